//! GN0501 phase-duration-mismatch, GN0502 outside-window, GN0503 phase-overlap.

use crate::check::{Ctx, claim};
use crate::diag::Diagnostic;
use crate::facts::{node_sums, span_of, timeline};
use crate::model::Node;
use crate::when::{Timeline, fmt_offset};

pub fn check(cx: &Ctx, out: &mut Vec<Diagnostic>) {
    let Some(rb) = &cx.r.runbook else { return };
    let f = rb.file;
    let tl = timeline(cx.r);
    let mut phases_all: Vec<&Node> = vec![];
    collect(&rb.v.phases, &mut phases_all);
    for n in &phases_all {
        if let (Some(claimed), Some(span)) = (&n.duration, span_of(n, &tl))
            && !claimed.value.agrees_with(&span)
        {
            out.push(
                claim(
                    cx,
                    "GN0501",
                    f,
                    claimed,
                    format!(
                        "`{}` is stated to last {} but runs from its start to its end in another time",
                        n.title.value, claimed.value
                    ),
                )
                .claimed(&claimed.value)
                .computed(claimed.value.render_like(&span)),
            );
        }
    }
    if let Some(w) = &rb.v.window
        && let Some((ws, we)) = interval_of(&tl, &w.start.value, Some(&w.end.value), None)
    {
        for n in &rb.v.phases {
            if let Some((s, e)) = interval(n, &tl)
                && (s < ws || e > we)
            {
                let at = n.start.as_ref().expect("a timed phase has a start");
                out.push(
                    claim(
                        cx,
                        "GN0502",
                        f,
                        at,
                        format!(
                            "phase `{}` does not sit inside the deployment window",
                            n.title.value
                        ),
                    )
                    .claimed(format!("{} to {}", label(&tl, s), label(&tl, e)))
                    .computed(format!(
                        "window {} to {}",
                        label(&tl, ws),
                        label(&tl, we)
                    )),
                );
            }
        }
    }
    let timed: Vec<(&Node, (i64, i64))> =
        rb.v.phases
            .iter()
            .filter_map(|n| interval(n, &tl).map(|i| (n, i)))
            .collect();
    for (i, (a, (a_start, a_end))) in timed.iter().enumerate() {
        for (b, (b_start, b_end)) in timed.iter().skip(i + 1) {
            if a.parallel || b.parallel || b_start >= a_end || b_end <= a_start {
                continue;
            }
            let at = b.start.as_ref().expect("a timed phase has a start");
            out.push(
                claim(
                    cx,
                    "GN0503",
                    f,
                    at,
                    format!(
                        "phase `{}` overlaps phase `{}`",
                        b.title.value, a.title.value
                    ),
                )
                .claimed(format!("starts {}", label(&tl, *b_start)))
                .computed(format!("`{}` ends {}", a.title.value, label(&tl, *a_end)))
                .note("mark one of them `parallel: true` if they run side by side"),
            );
        }
    }
}

/// Start and end of a phase in seconds: from `start` and `end`, or `start` and its
/// (longest) duration.
fn interval(n: &Node, tl: &Timeline) -> Option<(i64, i64)> {
    let dur = node_sums(n, tl)
        .duration
        .map(|d| d.hi.min(i64::MAX as f64 / 4.0) as i64);
    interval_of(
        tl,
        &n.start.as_ref()?.value,
        n.end.as_ref().map(|e| &e.value),
        dur,
    )
}

fn interval_of(
    tl: &Timeline,
    start: &crate::when::At,
    end: Option<&crate::when::At>,
    duration: Option<i64>,
) -> Option<(i64, i64)> {
    match end {
        Some(e) => tl.span(start, e),
        None => {
            let s = tl.secs(start)?;
            Some((s, s.checked_add(duration?)?))
        }
    }
}

/// An offset, or a clock time when the runbook has no deployment time.
fn label(tl: &Timeline, secs: i64) -> String {
    if tl.time.is_none() && tl.clocks_only {
        format!(
            "{:02}:{:02}",
            secs.rem_euclid(86400) / 3600,
            secs.rem_euclid(3600) / 60
        )
    } else {
        fmt_offset(secs)
    }
}

fn collect<'a>(nodes: &'a [Node], out: &mut Vec<&'a Node>) {
    for n in nodes {
        out.push(n);
        collect(&n.items, out);
    }
}
