//! GN0501 phase-duration-mismatch, GN0502 outside-window, GN0503 phase-overlap.

use crate::check::{Ctx, claim};
use crate::diag::Diagnostic;
use crate::facts::{node_sums, span_of};
use crate::model::Node;
use crate::when::fmt_offset;

pub fn check(cx: &Ctx, out: &mut Vec<Diagnostic>) {
    let Some(rb) = &cx.r.runbook else { return };
    let f = rb.file;
    let deploy = cx.r.info.v.deploy.as_ref().and_then(|d| d.value.time);
    let mut phases_all: Vec<&Node> = vec![];
    collect(&rb.v.phases, &mut phases_all);
    for n in &phases_all {
        if let (Some(claimed), Some(span)) = (&n.duration, span_of(n, deploy))
            && !claimed.value.agrees_with(&span)
        {
            out.push(
                claim(cx, "GN0501", f, claimed, format!("`{}` is stated to last {} but runs from its start to its end in another time", n.title.value, claimed.value))
                    .claimed(&claimed.value)
                    .computed(claimed.value.render_like(&span)),
            );
        }
    }
    // Interval of each top-level phase, in seconds from the deployment.
    let interval = |n: &Node| -> Option<(i64, i64)> {
        let s = n.start.as_ref()?.value.seconds_from(deploy)?;
        let e = match &n.end {
            Some(e) => e.value.seconds_from(deploy)?,
            None => s + node_sums(n, deploy).duration.map(|d| d.hi as i64)?,
        };
        Some((s, e))
    };
    if let Some(w) = &rb.v.window
        && let (Some(ws), Some(we)) = (
            w.start.value.seconds_from(deploy),
            w.end.value.seconds_from(deploy),
        )
    {
        for n in &rb.v.phases {
            if let Some((s, e)) = interval(n)
                && (s < ws || e > we)
            {
                let at = n.start.as_ref().unwrap();
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
                    .claimed(format!("{} to {}", fmt_offset(s), fmt_offset(e)))
                    .computed(format!(
                        "window {} to {}",
                        fmt_offset(ws),
                        fmt_offset(we)
                    )),
                );
            }
        }
    }
    let timed: Vec<(&Node, (i64, i64))> =
        rb.v.phases
            .iter()
            .filter_map(|n| interval(n).map(|i| (n, i)))
            .collect();
    for (i, (a, (_, ae))) in timed.iter().enumerate() {
        for (b, (bs, be)) in timed.iter().skip(i + 1) {
            let (as_, _) = interval(a).unwrap();
            if (a.parallel || b.parallel) || *bs >= *ae || *be <= as_ {
                continue;
            }
            let at = b.start.as_ref().unwrap();
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
                .claimed(format!("starts {}", fmt_offset(*bs)))
                .computed(format!("`{}` ends {}", a.title.value, fmt_offset(*ae)))
                .note("mark one of them `parallel: true` if they run side by side"),
            );
        }
    }
}

fn collect<'a>(nodes: &'a [Node], out: &mut Vec<&'a Node>) {
    for n in nodes {
        out.push(n);
        collect(&n.items, out);
    }
}
