//! GN0901 premature-record, GN0902 future-record: an outcome is a blank form until
//! the deployment has happened.

use crate::check::{Ctx, claim};
use crate::diag::Diagnostic;
use crate::facts::{deploy_time, local_to_utc};

pub fn check(cx: &Ctx, out: &mut Vec<Diagnostic>) {
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
