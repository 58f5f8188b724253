//! GN0701 risk-level-mismatch, GN0702 risk-count-mismatch.

use crate::amount::{Amount, Dim};
use crate::check::{Ctx, claim};
use crate::diag::Diagnostic;
use crate::facts::overall_risk;
use crate::model::{Level, S};

pub fn check(cx: &Ctx, out: &mut Vec<Diagnostic>) {
    let r = cx.r;
    let Some(risks) = &r.risks else {
        if let Some(c) = &r.info.v.risk_level {
            level(cx, r.info.file, c, Level::Low, "no risks are listed", out);
        }
        return;
    };
    let overall = overall_risk(&risks.v);
    let why = match risks
        .v
        .items
        .iter()
        .filter(|x| x.level == overall && x.status != crate::model::RiskStatus::Mitigated)
        .map(|x| x.title.as_str())
        .next()
    {
        Some(t) => format!("highest risk not mitigated: {t} ({overall})"),
        None => "every listed risk is mitigated".into(),
    };
    for (file, c) in [
        (risks.file, &risks.v.level),
        (r.info.file, &r.info.v.risk_level),
    ] {
        if let Some(c) = c {
            level(cx, file, c, overall, &why, out);
        }
    }
    if let Some(counts) = &risks.v.counts {
        for (lv, c) in [
            (Level::Critical, &counts.critical),
            (Level::High, &counts.high),
            (Level::Medium, &counts.medium),
            (Level::Low, &counts.low),
        ] {
            if let Some(c) = c {
                let n = risks.v.items.iter().filter(|x| x.level == lv).count();
                if !c.value.agrees_with(&Amount::exact(n as f64, Dim::Count)) {
                    out.push(
                        claim(
                            cx,
                            "GN0702",
                            risks.file,
                            c,
                            format!("the number of {lv} risks is wrong"),
                        )
                        .claimed(&c.value)
                        .computed(n),
                    );
                }
            }
        }
    }
}

fn level(
    cx: &Ctx,
    file: usize,
    c: &S<Level>,
    overall: Level,
    why: &str,
    out: &mut Vec<Diagnostic>,
) {
    if c.value != overall {
        out.push(
            claim(
                cx,
                "GN0701",
                file,
                c,
                format!(
                    "the overall risk level is stated as {} but is {overall}",
                    c.value
                ),
            )
            .claimed(c.value)
            .computed(overall)
            .note(why.to_string()),
        );
    }
}
