//! GN0001 for a quantity in the wrong dimension: units are part of a field's type. A
//! `duration` of `30 bananas` or `5 KB` would otherwise drop out of a sum silently.

use crate::amount::{Amount, Dim};
use crate::check::{Ctx, claim};
use crate::diag::Diagnostic;
use crate::model::{Node, S};

/// What a field takes, in words, for the message.
fn wants(dim: Dim) -> &'static str {
    match dim {
        Dim::Time => "a time such as `45 min`, `1 h 30 min` or `2-3 h`",
        Dim::Count => "a count such as `58`, `12-16` or `20+`",
        Dim::Size => "a size such as `6.4 KB` or `2 MB`",
        Dim::Percent => "a percentage such as `40%`",
        Dim::Rate => "a rate such as `1,200 req/s`",
    }
}

fn noun(dim: Dim) -> &'static str {
    match dim {
        Dim::Time => "a time",
        Dim::Count => "a count",
        Dim::Size => "a size",
        Dim::Percent => "a percentage",
        Dim::Rate => "a rate",
    }
}

fn field(
    cx: &Ctx,
    file: usize,
    name: &str,
    v: Option<&S<Amount>>,
    dim: Dim,
    out: &mut Vec<Diagnostic>,
) {
    let Some(v) = v else { return };
    if v.value.dim != dim {
        out.push(
            claim(
                cx,
                "GN0001",
                file,
                v,
                format!("`{name}` is {}, not `{}`", noun(dim), v.value),
            )
            .note(format!("`{name}` takes {}", wants(dim))),
        );
    }
}

fn node(cx: &Ctx, file: usize, n: &Node, out: &mut Vec<Diagnostic>) {
    field(cx, file, "duration", n.duration.as_deref(), Dim::Time, out);
    field(cx, file, "checks", n.checks.as_deref(), Dim::Count, out);
    field(cx, file, "lines", n.lines.as_deref(), Dim::Count, out);
    field(cx, file, "size", n.size.as_deref(), Dim::Size, out);
    field(cx, file, "total", n.total.as_deref(), Dim::Count, out);
    for c in &n.items {
        node(cx, file, c, out);
    }
}

pub fn check(cx: &Ctx, out: &mut Vec<Diagnostic>) {
    let r = cx.r;
    field(
        cx,
        r.info.file,
        "readiness",
        r.info.v.readiness.as_ref(),
        Dim::Percent,
        out,
    );
    if let Some(t) = &r.tests {
        let f = t.file;
        field(cx, f, "total", t.v.total.as_ref(), Dim::Count, out);
        field(
            cx,
            f,
            "suite_count",
            t.v.suite_count.as_ref(),
            Dim::Count,
            out,
        );
        field(cx, f, "duration", t.v.duration.as_ref(), Dim::Time, out);
        for s in &t.v.suites {
            field(cx, f, "duration", s.duration.as_ref(), Dim::Time, out);
            field(cx, f, "total", s.total.as_ref(), Dim::Count, out);
        }
        if let Some(m) = &t.v.manual {
            field(cx, f, "duration", m.duration.as_ref(), Dim::Time, out);
            field(cx, f, "cases", m.cases.as_ref(), Dim::Count, out);
            for s in &m.scenarios {
                field(cx, f, "duration", s.duration.as_ref(), Dim::Time, out);
                field(cx, f, "cases", s.cases.as_ref(), Dim::Count, out);
            }
        }
    }
    for (file, n, _) in r.trees() {
        node(cx, file, n, out);
    }
    if let Some(rb) = &r.runbook {
        field(
            cx,
            rb.file,
            "duration",
            rb.v.duration.as_ref(),
            Dim::Time,
            out,
        );
    }
    if let Some(rb) = &r.rollback {
        field(
            cx,
            rb.file,
            "time_limit",
            rb.v.time_limit.as_ref(),
            Dim::Time,
            out,
        );
    }
    if let Some(k) = &r.risks
        && let Some(c) = &k.v.counts
    {
        for (name, v) in [
            ("critical", &c.critical),
            ("high", &c.high),
            ("medium", &c.medium),
            ("low", &c.low),
        ] {
            field(cx, k.file, name, v.as_ref(), Dim::Count, out);
        }
    }
    if let Some(m) = &r.monitoring {
        for c in &m.v.cadence {
            field(cx, m.file, "every", Some(&c.every), Dim::Time, out);
        }
    }
}
