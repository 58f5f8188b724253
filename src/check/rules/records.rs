//! GN0901 premature-record, GN0903 unconfirmed-success: an outcome, and what is
//! confirmed after the deployment (`after_deployment` checklists and metrics), are a
//! blank form until the deployment has happened; an outcome of success needs them
//! confirmed. (GN0902 future-record is in `calendar`.)

use crate::check::{Ctx, claim};
use crate::diag::Diagnostic;
use crate::facts::{afterwards, deploy_time, local_to_utc};
use crate::model::Node;

pub fn check(cx: &Ctx, out: &mut Vec<Diagnostic>) {
    misplaced(cx, out);
    after_deployment(cx, out);
    outcome(cx, out);
}

/// `after_deployment` marks a whole checklist: on an item inside one, or on a
/// runbook or rollback step, it would be read as nothing, so it is refused.
fn misplaced(cx: &Ctx, out: &mut Vec<Diagnostic>) {
    fn walk(cx: &Ctx, file: usize, n: &Node, allowed: bool, out: &mut Vec<Diagnostic>) {
        if n.after_deployment && !allowed {
            out.push(
                claim(
                    cx,
                    "GN0001",
                    file,
                    &n.title,
                    "`after_deployment` marks a whole checklist: set it on the checklist at the top, not on an item or a runbook step",
                )
                .claimed("after_deployment: true")
                .computed("ignored here, so refused"),
            );
        }
        for c in &n.items {
            walk(cx, file, c, false, out);
        }
    }
    for (file, n, checklist) in cx.r.trees() {
        walk(cx, file, n, checklist, out);
    }
}

/// Whether the deployment has happened by the build: false when it is not
/// scheduled or lies after the build (a date alone: the day after the build or
/// later).
fn deployed(cx: &Ctx) -> bool {
    let Some(d) = cx.r.info.v.deploy.as_ref() else {
        return false;
    };
    match deploy_time(cx.r) {
        Some(t) => t.with_timezone(&chrono::Utc) <= cx.build_time,
        None => d.value.date <= cx.build_time.with_timezone(&cx.r.tz).date_naive(),
    }
}

/// GN0901: an item of an `after_deployment` checklist ticked, or an
/// `after_deployment` metric measured, before the deployment has happened.
fn after_deployment(cx: &Ctx, out: &mut Vec<Diagnostic>) {
    if deployed(cx) {
        return;
    }
    let when = match &cx.r.info.v.deploy {
        Some(d) => format!("deployment {}, after the build", d.value),
        None => "release.deploy has no date".into(),
    };
    let a = afterwards(cx.r);
    for (file, title) in &a.ticked {
        out.push(
            claim(
                cx,
                "GN0901",
                *file,
                title,
                "an item confirmed after the deployment is ticked before the deployment has happened",
            )
            .claimed("done: true")
            .computed(when.clone()),
        );
    }
    if let Some(m) = &cx.r.metrics {
        for (i, name) in &a.measured {
            let actual = crate::facts::metric_actual(cx.r, *i).map(|x| x.to_string());
            out.push(
                claim(
                    cx,
                    "GN0901",
                    m.file,
                    name,
                    "a metric measured after the deployment has a value before the deployment has happened",
                )
                .claimed(format!("actual: {}", actual.unwrap_or_default()))
                .computed(when.clone()),
            );
        }
    }
}

/// GN0903: the outcome says the deployment succeeded while what was to confirm it
/// after the deployment is open or missed.
fn unconfirmed(cx: &Ctx, out: &mut Vec<Diagnostic>) {
    let Some(o) = &cx.r.outcome else { return };
    let Some(status) = &o.v.status else { return };
    if !says_success(&status.value) {
        return;
    }
    let a = afterwards(cx.r);
    let mut open = vec![];
    if a.items.total > a.items.done {
        open.push(format!(
            "{} of {} items after the deployment not confirmed",
            a.items.total - a.items.done,
            a.items.total
        ));
    }
    if !a.missed.is_empty() {
        open.push(format!(
            "{} of {} metrics after the deployment not met",
            a.missed.len(),
            a.metrics
        ));
    }
    if open.is_empty() {
        return;
    }
    let mut d = claim(
        cx,
        "GN0903",
        o.file,
        status,
        "the outcome is recorded as a success, but what confirms it after the deployment is not done",
    )
    .claimed(format!("status: {}", status.value))
    .computed(open.join("; "));
    for t in a.open.iter().chain(a.missed.iter()).take(10) {
        d = d.note(format!("open: {t}"));
    }
    out.push(d);
}

/// Whether a free-text status says the deployment succeeded: "success", "SUCCESS ✅",
/// "succeeded" — not "unsuccessful", "partial success" or "not successful".
pub fn says_success(status: &str) -> bool {
    let words: Vec<String> = status
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect();
    let yes = ["success", "successful", "succeeded", "successfully"];
    let no = [
        "not",
        "no",
        "unsuccessful",
        "partial",
        "partially",
        "failed",
        "failure",
        "fail",
    ];
    words.iter().any(|w| yes.contains(&w.as_str()))
        && !words.iter().any(|w| no.contains(&w.as_str()))
}

fn outcome(cx: &Ctx, out: &mut Vec<Diagnostic>) {
    unconfirmed(cx, out);
    let Some(o) = &cx.r.outcome else { return };
    let f = o.file;
    // The first result written down: what the diagnostic points at.
    let first =
        o.v.status
            .as_ref()
            .map(|s| (s.referenced, s.value.clone()))
            .or_else(|| {
                o.v.values.first().map(|v| {
                    (
                        v.value.referenced,
                        format!("{}: {}", v.name.value, v.value.value),
                    )
                })
            });
    let Some((loc, what)) = first else { return };
    let at = serde_saphyr::Spanned {
        value: (),
        referenced: loc,
        defined: loc,
    };
    let deploy = cx.r.info.v.deploy.as_ref().map(|d| &d.value);
    match (&o.v.recorded, deploy) {
        (None, _) => out.push(
            claim(
                cx,
                "GN0901",
                f,
                &at,
                "a result is recorded without the date it was recorded",
            )
            .claimed(what)
            .computed("no `recorded` date: the form must stay blank until the results exist"),
        ),
        (Some(_), None) => out.push(
            claim(
                cx,
                "GN0901",
                f,
                &at,
                "a result is recorded for a deployment that is not scheduled",
            )
            .claimed(what)
            .computed("release.deploy has no date"),
        ),
        (Some(rec), Some(dep)) => {
            // With both times known, the record must come after the deployment; with a
            // date alone, a record on the deployment day cannot be told apart.
            let early = match (rec.value.time, dep.time) {
                (Some(_), Some(_)) => {
                    match (local_to_utc(cx.r, rec.value.naive()), deploy_time(cx.r)) {
                        (Some(r), Some(d)) => r <= d.with_timezone(&chrono::Utc),
                        _ => false,
                    }
                }
                _ => rec.value.date < dep.date,
            };
            if early {
                out.push(
                    claim(
                        cx,
                        "GN0901",
                        f,
                        rec,
                        "a result is recorded before the deployment it reports on",
                    )
                    .claimed(format!("recorded {}", rec.value))
                    .computed(format!("deployment {dep}")),
                );
            }
        }
    }
}
