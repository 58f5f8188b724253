//! GN1201 fewer-tests, GN1202 metric-regressed: warnings against the previous release
//! of the same product (`--deny warnings` makes them errors).

use crate::check::Ctx;
use crate::diag::{Diagnostic, Loc};
use crate::facts::{metric_actual, metric_result, test_totals};

pub fn check(cx: &Ctx, out: &mut Vec<Diagnostic>) {
    let Some(prev) = cx.previous else { return };
    let r = cx.r;
    let label = |x: &crate::load::Release| match &x.info.v.version {
        Some(v) => format!("{} {v}", x.info.v.product),
        None => x.id.clone(),
    };
    if let (Some(t), Some(_)) = (&r.tests, &prev.tests) {
        let (now, before) = (test_totals(r).total, test_totals(prev).total);
        if now < before {
            // Nobody stated a number: both are counted.
            let mut d = Diagnostic::warning(
                "GN1201",
                format!(
                    "{} has fewer tests than {}: {now} against {before}",
                    label(r),
                    label(prev)
                ),
            )
            .computed(format!("{now} tests; {before} tests in {}", label(prev)));
            if let Some(first) = t.v.suites.first() {
                d = d.at(Loc::of(t.file, &first.name));
            }
            out.push(d.note("tests were removed or not run; say why before release"));
        }
    }
    if let (Some(ms), Some(pms)) = (&r.metrics, &prev.metrics) {
        for (i, m) in ms.v.iter().enumerate() {
            let Some((j, pm)) = pms
                .v
                .iter()
                .enumerate()
                .find(|(_, p)| p.name.value == m.name.value)
            else {
                continue;
            };
            let now = metric_result(m, metric_actual(r, i));
            let before = metric_result(pm, metric_actual(prev, j));
            if now.met == Some(false) && before.met == Some(true) {
                let show = |a: Option<&crate::amount::Amount>| {
                    a.map(|a| a.to_string()).unwrap_or_default()
                };
                out.push(
                    Diagnostic::warning(
                        "GN1202",
                        format!(
                            "`{}` regressed past its target since {}",
                            m.name.value,
                            label(prev)
                        ),
                    )
                    .at(Loc::of(ms.file, &m.name))
                    .claimed(format!(
                        "{} now (target {})",
                        show(metric_actual(r, i)),
                        m.target.value
                    ))
                    .computed(format!(
                        "{} in {}",
                        show(metric_actual(prev, j)),
                        label(prev)
                    )),
                );
            }
        }
    }
}
