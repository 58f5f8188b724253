//! GN0101 sum-mismatch and GN0102 count-mismatch: totals stated on a group against
//! the sum over its children.

use crate::amount::{Amount, Dim};
use crate::check::{Ctx, claim};
use crate::diag::Diagnostic;
use crate::facts::{
    QUANTITIES, children_sum, node_sums, node_tallies, stated, sum_amounts, test_totals,
};
use crate::model::{Node, S};
use crate::when::Timeline;

pub fn check(cx: &Ctx, out: &mut Vec<Diagnostic>) {
    let r = cx.r;
    let tl = crate::facts::timeline(r);
    let deploy = &tl;
    for (file, n, checklist) in r.trees() {
        walk(cx, file, n, deploy, checklist, out);
    }
    if let Some(rb) = &r.runbook
        && let Some(claimed) = &rb.v.duration
        && rb.v.phases.iter().any(|p| p.parallel)
    {
        parallel_runbook(cx, rb.file, claimed, &rb.v.phases, deploy, out);
    }
    if let Some(rb) = &r.runbook
        && let Some(claimed) = &rb.v.duration
        && !rb.v.phases.iter().any(|p| p.parallel)
    {
        let sums: Vec<_> = rb.v.phases.iter().map(|p| node_sums(p, deploy)).collect();
        if let Some(total) = sum_amounts(sums.iter().map(|s| s.duration.as_ref())) {
            let how = "the sum of its phases";
            compare(
                cx,
                rb.file,
                claimed,
                &total,
                "the runbook's duration",
                how,
                out,
            );
        }
    }
    // The rollback's steps must fit in its time limit.
    if let Some(rb) = &r.rollback
        && let Some(limit) = &rb.v.time_limit
        && limit.value.dim == Dim::Time
    {
        let steps: Vec<_> = rb.v.steps.iter().map(|s| node_sums(s, deploy)).collect();
        let known: f64 = steps
            .iter()
            .filter_map(|s| s.duration.as_ref())
            .filter(|d| d.dim == Dim::Time)
            .map(|d| d.lo)
            .sum();
        let tol = limit.value.step / 2.0 * (1.0 + 1e-9) + 1e-9;
        if known > limit.value.hi + tol {
            let mut took = limit.value.clone();
            took.lo = known;
            took.hi = known;
            out.push(
                claim(
                    cx,
                    "GN0101",
                    rb.file,
                    limit,
                    "the rollback's steps take longer than its time limit",
                )
                .claimed(&limit.value)
                .computed(format!(
                    "the steps take at least {}",
                    limit.value.render_like(&took)
                )),
            );
        }
    }
    if let Some(t) = r.tests.as_ref().filter(|_| r.readable("tests")) {
        let f = t.file;
        let totals = test_totals(r);
        if let Some(c) = &t.v.total {
            count(cx, f, c, totals.total, "automated tests", out);
        }
        if let Some(c) = &t.v.suite_count {
            count(cx, f, c, t.v.suites.len() as u64, "test suites", out);
        }
        for (s, x) in t.v.suites.iter().zip(&r.suite_results) {
            if let Some(c) = &s.total {
                let what = format!("tests in suite `{}`", s.name.value);
                count(cx, f, c, x.total(), &what, out);
            }
            if s.reports.is_empty() {
                continue;
            }
            // Typed beside reports, a count is a claim about the reports.
            for (name, typed, read) in [
                ("passed", &s.passed, x.passed),
                ("failed", &s.failed, x.failed),
                ("errored", &s.errored, x.errored),
                ("skipped", &s.skipped, x.skipped),
            ] {
                if let Some(c) = typed
                    && c.value != read
                {
                    let what = format!(
                        "`{name}` of suite `{}` disagrees with its reports",
                        s.name.value
                    );
                    out.push(
                        claim(cx, "GN0103", f, c, what)
                            .claimed(c.value)
                            .computed(format!("{read} in {}", x.reports.join(", "))),
                    );
                }
            }
            if let (Some(c), Some(read)) = (&s.duration, &x.duration)
                && !c.value.agrees_with(read)
            {
                let what = format!(
                    "the duration of suite `{}` disagrees with its reports",
                    s.name.value
                );
                out.push(
                    claim(cx, "GN0103", f, c, what)
                        .claimed(&c.value)
                        .computed(c.value.render_like(read)),
                );
            }
        }
        if let Some(c) = &t.v.duration
            && let Some(sum) = sum_amounts(r.suite_results.iter().map(|s| s.duration.as_ref()))
        {
            compare(
                cx,
                f,
                c,
                &sum,
                "the tests' duration",
                "the sum of the suites' durations",
                out,
            );
        }
        if let Some(m) = &t.v.manual {
            if let Some(c) = &m.duration
                && let Some(sum) = sum_amounts(
                    m.scenarios
                        .iter()
                        .map(|s| s.duration.as_ref().map(|d| &d.value)),
                )
            {
                compare(
                    cx,
                    f,
                    c,
                    &sum,
                    "the manual testing duration",
                    "the sum of the scenarios' durations",
                    out,
                );
            }
            if let Some(c) = &m.cases
                && let Some(sum) = sum_amounts(
                    m.scenarios
                        .iter()
                        .map(|s| s.cases.as_ref().map(|d| &d.value)),
                )
            {
                compare(
                    cx,
                    f,
                    c,
                    &sum,
                    "the number of test cases",
                    "the sum over the scenarios",
                    out,
                );
            }
        }
    }
}

fn walk(
    cx: &Ctx,
    file: usize,
    n: &Node,
    deploy: &Timeline,
    checklist: bool,
    out: &mut Vec<Diagnostic>,
) {
    let children: Vec<_> = n.items.iter().map(|c| node_sums(c, deploy)).collect();
    for q in QUANTITIES {
        // A phase with start and end is checked against its span (GN0501).
        if q == "duration" && n.start.is_some() && n.end.is_some() {
            continue;
        }
        if let (Some(claimed), Some(sum)) = (stated(n, q), children_sum(n, &children, q)) {
            let what = format!("`{q}` of `{}`", n.title.value);
            compare(
                cx,
                file,
                claimed,
                &sum,
                &what,
                &match n.items.len() {
                    1 => "its one part".to_string(),
                    k => format!("the sum over its {k} parts"),
                },
                out,
            );
        }
    }
    // A part that alone takes longer than the whole (a step of 1 h 30 min in a
    // 30-minute phase), where no sum of the parts is compared (some part without a
    // duration, parallel parts, or a phase timed by its start and end).
    let whole = if n.start.is_some() && n.end.is_some() {
        crate::facts::span_of(n, deploy).map(|a| (a, 1e-9))
    } else {
        stated(n, "duration").map(|d| (d.value.clone(), d.value.step / 2.0 * (1.0 + 1e-9) + 1e-9))
    };
    let summed = n.start.is_none() && children_sum(n, &children, "duration").is_some();
    if let Some((whole, tol)) = whole.filter(|(w, _)| w.dim == Dim::Time && !summed) {
        for c in &n.items {
            if let Some(d) = c.duration.as_deref()
                && d.value.dim == Dim::Time
                && d.value.lo > whole.hi + tol
            {
                out.push(
                    claim(
                        cx,
                        "GN0101",
                        file,
                        d,
                        format!(
                            "`{}` takes longer than `{}`, which it is part of",
                            c.title.value, n.title.value
                        ),
                    )
                    .claimed(&d.value)
                    .computed(format!("at most {}", d.value.render_like(&whole))),
                );
            }
        }
    }
    if let Some(c) = &n.total {
        let items = if checklist {
            node_tallies(n, None).all().total
        } else {
            leaves(n)
        };
        count(
            cx,
            file,
            c,
            items,
            &format!("items in `{}`", n.title.value),
            out,
        );
    }
    for c in &n.items {
        walk(cx, file, c, deploy, checklist, out);
    }
}

fn leaves(n: &Node) -> u64 {
    if n.items.is_empty() {
        1
    } else {
        n.items.iter().map(leaves).sum()
    }
}

fn compare(
    cx: &Ctx,
    file: usize,
    claimed: &S<Amount>,
    computed: &Amount,
    what: &str,
    how: &str,
    out: &mut Vec<Diagnostic>,
) {
    if claimed.value.dim != computed.dim {
        out.push(
            claim(cx, "GN0101", file, claimed, format!("{what} is stated as {} but its parts are not measured in the same kind of unit", claimed.value))
                .claimed(&claimed.value),
        );
        return;
    }
    if !claimed.value.agrees_with(computed) {
        let mut d = claim(
            cx,
            "GN0101",
            file,
            claimed,
            format!("{what} does not equal {how}"),
        )
        .claimed(&claimed.value)
        .computed(claimed.value.render_like(computed));
        if computed.dim == Dim::Size {
            d = d.note("sizes are binary, as `ls -lh` and `du -h` count them: 1 KB = 1,024 bytes, 1 MB = 1,024 KB (KiB, MiB, GiB are read the same)");
        }
        out.push(d);
    }
}

fn count(
    cx: &Ctx,
    file: usize,
    claimed: &S<Amount>,
    n: u64,
    what: &str,
    out: &mut Vec<Diagnostic>,
) {
    let computed = Amount::exact(n as f64, Dim::Count);
    if !claimed.value.agrees_with(&computed) {
        out.push(
            claim(
                cx,
                "GN0102",
                file,
                claimed,
                format!("the number of {what} is wrong"),
            )
            .claimed(&claimed.value)
            .computed(n),
        );
    }
}

/// A runbook with phases that run alongside others (`parallel`): its length lies
/// between the longer of the sequential phases' sum and the longest parallel phase (all
/// overlapping) and the sum of every phase (none overlapping). A stated duration
/// outside those bounds, at the precision written, is GN0101.
fn parallel_runbook(
    cx: &Ctx,
    file: usize,
    claimed: &S<Amount>,
    phases: &[Node],
    deploy: &Timeline,
    out: &mut Vec<Diagnostic>,
) {
    // When every phase has a start and an end, the runbook runs from the first start
    // to the last end: that is its length, not a bound.
    let spans: Option<Vec<(i64, i64)>> = phases
        .iter()
        .map(|p| {
            let (s, e) = (p.start.as_ref()?, p.end.as_ref()?);
            deploy.span(&s.value, &e.value)
        })
        .collect();
    if let Some(spans) = spans.filter(|s| !s.is_empty()) {
        let first = spans.iter().map(|s| s.0).min().unwrap_or(0);
        let last = spans.iter().map(|s| s.1).max().unwrap_or(0);
        let span = Amount::exact((last - first) as f64, Dim::Time);
        let c = &claimed.value;
        if c.dim == Dim::Time && !c.agrees_with(&span) {
            out.push(
                claim(
                    cx,
                    "GN0101",
                    file,
                    claimed,
                    "the runbook's duration is not the time from its first phase's start to its last phase's end",
                )
                .claimed(c)
                .computed(c.render_like(&span))
                .note("every phase has a start and an end: the runbook runs from the earliest start to the latest end, whichever phases run in parallel"),
            );
        }
        return;
    }
    let sums: Vec<_> = phases.iter().map(|p| node_sums(p, deploy)).collect();
    let Some(all) = sum_amounts(sums.iter().map(|s| s.duration.as_ref())) else {
        return;
    };
    if all.dim != Dim::Time || claimed.value.dim != Dim::Time {
        return;
    }
    let sequential: f64 = phases
        .iter()
        .zip(&sums)
        .filter(|(p, _)| !p.parallel)
        .filter_map(|(_, s)| s.duration.as_ref().map(|d| d.lo))
        .sum();
    let longest_parallel = phases
        .iter()
        .zip(&sums)
        .filter(|(p, _)| p.parallel)
        .filter_map(|(_, s)| s.duration.as_ref().map(|d| d.lo))
        .fold(0.0, f64::max);
    let lower = sequential.max(longest_parallel);
    let upper = all.hi;
    let c = &claimed.value;
    let tol = c.step / 2.0 * (1.0 + 1e-9) + 1e-9;
    let too_short = !c.at_least && c.hi + tol < lower;
    let too_long = c.lo - tol > upper;
    if too_short || too_long {
        let mut bounds = all.clone();
        bounds.lo = lower;
        bounds.hi = upper;
        bounds.at_least = false;
        out.push(
            claim(
                cx,
                "GN0101",
                file,
                claimed,
                "the runbook's duration is outside what its phases allow",
            )
            .claimed(c)
            .computed(c.render_like(&bounds))
            .note("phases marked `parallel` may overlap the others: the runbook takes at least the longer of the sequential phases and the longest parallel one, at most all phases end to end"),
        );
    }
}
