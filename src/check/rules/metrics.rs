//! GN0301 target-met-mismatch, GN0302 better-than-target-mismatch, GN0303
//! unit-mismatch, GN0304 actual-mismatch (a typed value beside its JSON source).

use crate::amount::{Amount, Dim, fmt_num};
use crate::check::{Ctx, claim};
use crate::diag::Diagnostic;
use crate::facts::{metric_actual, metric_result};

pub fn check(cx: &Ctx, out: &mut Vec<Diagnostic>) {
    let Some(ms) = &cx.r.metrics else { return };
    let f = ms.file;
    for (i, m) in ms.v.iter().enumerate() {
        let actual = metric_actual(cx.r, i);
        let res = metric_result(m, actual);
        let name = &m.name.value;
        if let (Some(from), Some(typed), Some(read)) = (&m.from, &m.actual, actual)
            && !typed.value.agrees_with(read)
        {
            let what = format!(
                "`{name}`: the typed actual value disagrees with {}",
                from.file.value
            );
            out.push(
                claim(cx, "GN0304", f, typed, what)
                    .claimed(&typed.value)
                    .computed(typed.value.render_like(read)),
            );
        }
        if !res.comparable {
            let what =
                format!("`{name}`: the actual value and the target measure different things");
            let d = match &m.actual {
                Some(a) => claim(cx, "GN0303", f, a, what),
                None => claim(cx, "GN0303", f, &m.target, what),
            };
            out.push(
                d.claimed(format!(
                    "actual {}",
                    actual.map(|a| a.to_string()).unwrap_or_default()
                ))
                .computed(format!("target {}", m.target.value)),
            );
            continue;
        }
        if let (Some(c), None) = (&m.met, res.met)
            && c.value
        {
            out.push(
                claim(
                    cx,
                    "GN0301",
                    f,
                    c,
                    format!("`{name}` is stated to meet its target but no result shows it"),
                )
                .claimed("met")
                .computed(match actual {
                    None => "not measured: no `actual` value".to_string(),
                    Some(a) => format!("cannot tell: actual {a} has no upper bound"),
                }),
            );
        }
        if let (Some(c), Some(met)) = (&m.met, res.met)
            && c.value != met
        {
            out.push(
                claim(
                    cx,
                    "GN0301",
                    f,
                    c,
                    format!(
                        "`{name}` is stated to {} its target",
                        if c.value { "meet" } else { "miss" }
                    ),
                )
                .claimed(if c.value { "met" } else { "missed" })
                .computed(format!(
                    "{} (actual {}, target {})",
                    if met { "met" } else { "missed" },
                    actual.map(|a| a.to_string()).unwrap_or_default(),
                    m.target.value
                )),
            );
        }
        if let Some(c) = &m.better {
            match res.better {
                Some(b) => {
                    let computed = Amount::exact(b, Dim::Percent);
                    if !c.value.agrees_with(&computed) {
                        out.push(
                            claim(
                                cx,
                                "GN0302",
                                f,
                                c,
                                format!("`{name}`: \"% better than target\" is wrong"),
                            )
                            .claimed(format!("{} better", c.value))
                            .computed(format!(
                                "{}% better (actual {}, target {})",
                                fmt_num(b, 2),
                                actual.map(|a| a.to_string()).unwrap_or_default(),
                                m.target.value
                            )),
                        );
                    }
                }
                None => out.push(
                    claim(
                        cx,
                        "GN0302",
                        f,
                        c,
                        format!(
                            "`{name}`: \"% better than target\" is stated but cannot be computed"
                        ),
                    )
                    .claimed(&c.value)
                    .computed("no actual value, or a target of zero"),
                ),
            }
        }
    }
}
