//! GN0201 fraction-percentage-mismatch, GN0202 rate-mismatch, GN0203
//! readiness-mismatch: fractions and percentages, at the precision written.

use crate::amount::{Amount, Dim, fmt_num};
use crate::check::{Ctx, claim};
use crate::diag::Diagnostic;
use crate::facts::{Count, Tallies, node_tallies, standing, test_totals};
use crate::model::{Node, Ratio, S, ScenarioResult};

pub fn check(cx: &Ctx, out: &mut Vec<Diagnostic>) {
    let r = cx.r;
    if let Some(t) = r.tests.as_ref().filter(|_| r.readable("tests")) {
        let totals = test_totals(r);
        if let Some(c) = &t.v.pass_rate {
            against(
                cx,
                t.file,
                c,
                crate::facts::pass_count(&totals),
                "the pass rate",
                out,
            );
        }
        if let Some(m) = &t.v.manual
            && let Some(c) = &m.pass_rate
        {
            let done = m
                .scenarios
                .iter()
                .filter(|s| s.result == ScenarioResult::Pass)
                .count() as u64;
            against(
                cx,
                t.file,
                c,
                Count {
                    done,
                    total: m.scenarios.len() as u64,
                },
                "the scenario pass rate",
                out,
            );
        }
    }
    if let Some(a) = &r.approvals
        && let Some(c) = &a.v.approved
    {
        against(
            cx,
            a.file,
            c,
            crate::signing::Signing::of(r)
                .map(|sg| sg.count(true))
                .unwrap_or_default(),
            "the approval count",
            out,
        );
    }
    for (file, n, _) in r.trees() {
        walk(cx, file, n, None, out);
    }
    if let Some(c) = &r.info.v.readiness {
        let all = standing(r).tallies.all();
        if let Some(p) = all.pct() {
            let computed = Amount::exact(p, Dim::Percent);
            if !c.value.agrees_with(&computed) {
                out.push(
                    claim(
                        cx,
                        "GN0203",
                        r.info.file,
                        c,
                        "the stated readiness is not the share of checklist items done",
                    )
                    .claimed(&c.value)
                    .computed(format!(
                        "{} ({}/{} items)",
                        c.value.render_like(&computed),
                        all.done,
                        all.total
                    )),
                );
            }
        }
    }
}

fn walk(
    cx: &Ctx,
    file: usize,
    n: &Node,
    inherited: Option<crate::model::Priority>,
    out: &mut Vec<Diagnostic>,
) {
    let p = n.priority.or(inherited);
    if let Some(t) = &n.tally {
        for r in [&t.critical, &t.high, &t.recommended, &t.other]
            .into_iter()
            .flatten()
        {
            let v = &r.value;
            let whole =
                |a: &crate::amount::Amount| !a.at_least && !a.is_range() && a.lo.fract() == 0.0;
            let valid = match (&v.num, &v.den) {
                (Some(n), Some(d)) => whole(n) && whole(d) && n.lo <= d.lo,
                _ => false,
            };
            if valid {
                consistent(cx, file, r, out);
            } else {
                out.push(
                    claim(cx, "GN0001", file, r, "a tally needs whole counts written as done/total, with done no more than total")
                        .claimed(v)
                        .computed("e.g. `10/25`"),
                );
            }
        }
    }
    if let Some(pr) = &n.progress {
        let t: Tallies = node_tallies(n, inherited);
        for (name, claimed, count) in [
            ("critical", &pr.critical, t.critical),
            ("high-priority", &pr.high, t.high),
            ("recommended", &pr.recommended, t.recommended),
            ("all", &pr.all, t.all()),
        ] {
            if let Some(c) = claimed {
                against(
                    cx,
                    file,
                    c,
                    count,
                    &format!("the progress of {name} items in `{}`", n.title.value),
                    out,
                );
            }
        }
    }
    for c in &n.items {
        walk(cx, file, c, p, out);
    }
}

/// GN0201: the fraction and the percentage of one statement agree.
pub fn consistent(cx: &Ctx, file: usize, c: &S<Ratio>, out: &mut Vec<Diagnostic>) -> bool {
    if let (Some(pct), Some(frac)) = (&c.value.pct, c.value.fraction_pct()) {
        let computed = Amount::exact(frac, Dim::Percent);
        let agrees = if c.value.num.as_ref().is_some_and(|n| n.at_least) {
            // "16+/18" is at least 88.9 %: fine for "88%", wrong for "90%".
            pct.lo <= frac + pct.step / 2.0 + 1e-9 || pct.agrees_with(&computed)
        } else {
            pct.agrees_with(&computed)
                // 100 % means all and 0 % none: `199/200 (100%)` is wrong.
                && !(pct.lo == 100.0 && pct.hi == 100.0 && frac < 100.0)
                && !(pct.lo == 0.0 && pct.hi == 0.0 && frac > 0.0)
        };
        if !agrees {
            let (n, d) = (c.value.num.as_ref().unwrap(), c.value.den.as_ref().unwrap());
            out.push(
                claim(cx, "GN0201", file, c, format!("{n}/{d} is not {pct}"))
                    .claimed(&c.value)
                    .computed(format!("{n}/{d} = {}", shown_share(n, d, frac))),
            );
            return false;
        }
    }
    true
}

/// GN0202: a stated fraction or percentage against counted data.
fn against(
    cx: &Ctx,
    file: usize,
    c: &S<Ratio>,
    count: Count,
    what: &str,
    out: &mut Vec<Diagnostic>,
) {
    if !consistent(cx, file, c, out) {
        return;
    }
    let computed_text = match crate::amount::fmt_rate(count.done, count.total) {
        Some(rate) => format!("{}/{} ({rate})", count.done, count.total),
        None => format!("{}/{}: nothing to take a share of", count.done, count.total),
    };
    // A rate over nothing is no rate: `0/0 (100%)` and `0/0 (0%)` say nothing true.
    if count.total == 0 && (c.value.pct.is_some() || c.value.den.is_some()) {
        out.push(
            claim(
                cx,
                "GN0202",
                file,
                c,
                format!("{what} is stated over nothing"),
            )
            .claimed(&c.value)
            .computed(computed_text)
            .note("with none counted there is no rate; state it when there are results"),
        );
        return;
    }
    let exact = |v: u64| Amount::exact(v as f64, Dim::Count);
    let mut ok = true;
    if let Some(n) = &c.value.num {
        ok &= n.agrees_with(&exact(count.done));
    }
    if let Some(d) = &c.value.den {
        ok &= d.agrees_with(&exact(count.total));
    }
    if let (Some(p), Some(v)) = (&c.value.pct, count.pct()) {
        ok &= p.agrees_with(&Amount::exact(v, Dim::Percent));
        // 100 % means all and 0 % none, at any precision written.
        ok &= !(p.lo == 100.0 && p.hi == 100.0 && count.done < count.total);
        ok &= !(p.lo == 0.0 && p.hi == 0.0 && count.done > 0);
    }
    if !ok {
        out.push(
            claim(cx, "GN0202", file, c, format!("{what} is stated wrongly"))
                .claimed(&c.value)
                .computed(computed_text),
        );
    }
}

/// A written fraction's share as pages show shares ([`crate::amount::fmt_rate`]) when
/// both parts are whole numbers.
fn shown_share(n: &Amount, d: &Amount, frac: f64) -> String {
    let whole = |a: &Amount| a.lo >= 0.0 && a.lo.fract() == 0.0 && a.lo < 9.0e15;
    if whole(n)
        && whole(d)
        && let Some(s) = crate::amount::fmt_rate(n.lo as u64, d.lo as u64)
    {
        return s;
    }
    format!("{}%", fmt_num(frac, 1))
}
