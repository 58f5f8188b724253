//! GN0801 decision-mismatch, GN0802 policy-count-mismatch.

use crate::check::{Ctx, claim};
use crate::diag::Diagnostic;
use crate::facts::{decide, required_items, standing};
use crate::model::{Criteria, Decision, Readiness};

pub fn check(cx: &Ctx, out: &mut Vec<Diagnostic>) {
    let r = cx.r;
    let s = standing(r);
    let d = decide(cx.policy, &s);
    let policy_file = cx.policy_file;
    // Thresholds whose written counts contradict their percentage or the data.
    let mut thresholds = vec![("go", &cx.policy.go)];
    if let Some(g) = &cx.policy.go_with_conditions {
        thresholds.push(("go_with_conditions", g));
    }
    for (level, c) in thresholds {
        thresholds_of(cx, policy_file, level, c, &s, out);
    }
    let info = &r.info;
    if let Some(c) = &info.v.decision
        && c.value != d.value
    {
        out.push(with_reasons(
            claim(
                cx,
                "GN0801",
                info.file,
                c,
                format!(
                    "the decision is stated as {} but the policy gives {}",
                    c.value, d.value
                ),
            )
            .claimed(c.value)
            .computed(d.value),
            &d,
            c.value == Decision::GoWithConditions,
        ));
    }
    if let Some(c) = &info.v.status {
        let ready = d.value != Decision::NoGo;
        if (c.value == Readiness::Ready) != ready {
            out.push(with_reasons(
                claim(
                    cx,
                    "GN0801",
                    info.file,
                    c,
                    format!(
                        "the status is stated as {} but the policy gives {}",
                        c.value, d.value
                    ),
                )
                .claimed(c.value)
                .computed(d.value),
                &d,
                false,
            ));
        }
    }
}

/// The failed criteria, as notes: of GO WITH CONDITIONS when that was the claim and
/// the policy gives NO-GO (what GO alone needs is beside the point), else of GO.
fn with_reasons(
    mut diag: Diagnostic,
    d: &crate::facts::DecisionView,
    claimed_conditions: bool,
) -> Diagnostic {
    let reasons: Vec<&String> = if claimed_conditions && d.value == Decision::NoGo {
        d.go_with_conditions
            .iter()
            .filter(|c| !c.ok)
            .map(|c| &c.detail)
            .collect()
    } else {
        d.reasons.iter().collect()
    };
    for reason in reasons {
        diag = diag.note(format!("failed: {reason}"));
    }
    diag
}

fn thresholds_of(
    cx: &Ctx,
    file: Option<usize>,
    level: &str,
    c: &Criteria,
    s: &crate::facts::Standing,
    out: &mut Vec<Diagnostic>,
) {
    for (name, ratio, total) in [
        ("critical_done", &c.critical_done, s.tallies.critical.total),
        ("high_done", &c.high_done, s.tallies.high.total),
        (
            "recommended_done",
            &c.recommended_done,
            s.tallies.recommended.total,
        ),
    ] {
        let Some(r) = ratio else { continue };
        let (Some(num), Some(den)) = (&r.value.num, &r.value.den) else {
            continue;
        };
        let Some(file) = file else { continue };
        let mut problems = vec![];
        if den.lo as u64 != total {
            problems.push(format!("the release has {total} such items, not {den}"));
        }
        if let Some(pct) = &r.value.pct {
            let need = required_items(&r.value, den.lo as u64);
            if num.lo as u64 != need {
                problems.push(format!("{pct} of {den} needs {need}/{den}"));
            }
        }
        if !problems.is_empty() {
            out.push(
                claim(
                    cx,
                    "GN0802",
                    file,
                    r,
                    format!("policy `{level}.{name}` contradicts its own count"),
                )
                .claimed(&r.value)
                .computed(problems.join("; ")),
            );
        }
    }
}

/// GN0803 below-requirement: `--require go` (or `conditions`) and a release whose
/// decision falls short of it, or cannot be made (a section left out: no evidence,
/// no GO). Run after every other check, for the releases being checked.
pub fn require(p: &mut crate::load::Project, required: crate::cli::Require) {
    use crate::cli::Require;
    let wanted = match required {
        Require::Go => "GO",
        Require::Conditions => "GO or GO WITH CONDITIONS",
    };
    let fallback = crate::facts::default_policy();
    let site_policy = p.site.as_ref().and_then(|s| s.v.policy.as_ref());
    let mut found = vec![];
    for r in p.rendered_releases() {
        let at = match &r.info.v.decision {
            Some(d) => crate::diag::Loc::of(r.info.file, d),
            None => crate::diag::Loc::whole(r.info.file),
        };
        if !r.unread.is_empty() {
            let sections: Vec<String> = r.unread.iter().map(|s| format!("`{s}:`")).collect();
            found.push(
                Diagnostic::error(
                    "GN0803",
                    format!(
                        "release `{}` has no decision, and {wanted} is required: {} could not be read",
                        r.id,
                        sections.join(" and ")
                    ),
                )
                .at(at)
                .note("without the evidence no decision is made; fix the GN0001 findings first"),
            );
            continue;
        }
        let policy = crate::facts::policy_of(r, site_policy, &fallback);
        let d = decide(policy, &standing(r));
        let enough = match required {
            Require::Go => d.value == Decision::Go,
            Require::Conditions => d.value != Decision::NoGo,
        };
        if enough {
            continue;
        }
        // What stands in the way: the criteria of the decision required that fail.
        let criteria = match required {
            Require::Go => &d.go,
            Require::Conditions => &d.go_with_conditions,
        };
        let mut diag = Diagnostic::error(
            "GN0803",
            format!(
                "release `{}` is {}, and {wanted} is required",
                r.id, d.value
            ),
        )
        .at(at)
        .computed(d.value);
        for c in criteria.iter().filter(|c| !c.ok) {
            diag = diag.note(format!("fails: {}", c.detail));
        }
        found.push(diag);
    }
    if p.rendered_releases().next().is_none() {
        found.push(Diagnostic::error(
            "GN0803",
            format!("no release was checked, so none is {wanted}"),
        ));
    }
    p.diagnostics.extend(found);
}
