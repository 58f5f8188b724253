//! GN0601 incomplete-approval, GN0602 approvals-mismatch, GN0603 stale-approval,
//! GN0604 unbound-approval.

use crate::check::{Ctx, claim};
use crate::diag::Diagnostic;
use crate::facts::{placeholder_name, required_roles};
use crate::model::SignStatus;
use crate::signing::{Signing, State};

pub fn check(cx: &Ctx, out: &mut Vec<Diagnostic>) {
    let Some(a) = &cx.r.approvals else { return };
    let f = a.file;
    for s in &a.v.signoffs {
        if !matches!(
            s.status.value,
            SignStatus::Approved | SignStatus::Conditional
        ) {
            continue;
        }
        let no_name = s.name.as_ref().is_none_or(|n| placeholder_name(&n.value));
        let missing: Vec<&str> = [(no_name, "name"), (s.date.is_none(), "date")]
            .into_iter()
            .filter_map(|(m, w)| m.then_some(w))
            .collect();
        // A stand-in for a name (`TBD`, `____`) is no name: said so, not quoted back.
        let stand_in = s
            .name
            .as_ref()
            .filter(|n| !n.value.trim().is_empty() && placeholder_name(&n.value))
            .map(|n| format!(" (`{}` is a placeholder, not a name)", n.value.trim()));
        if !missing.is_empty() {
            out.push(
                claim(
                    cx,
                    "GN0601",
                    f,
                    &s.status,
                    format!(
                        "the sign-off of {} is marked {} without a {}{}",
                        s.role.value,
                        s.status.value,
                        missing.join(" or "),
                        stand_in.unwrap_or_default()
                    ),
                )
                .claimed(s.status.value.label())
                .computed("pending: an approval needs the approver's name and the date"),
            );
        }
    }
    let Some(sg) = Signing::of(cx.r) else { return };
    bound(cx, &sg, out);
    let count = sg.count(true);
    if let Some(c) = &a.v.all_approved {
        let all = count.done == count.total;
        if c.value != all {
            let missing: Vec<String> = required_roles(&a.v)
                .into_iter()
                .filter(|role| !sg.approved(role, true))
                .collect();
            let mut d = claim(
                cx,
                "GN0602",
                f,
                c,
                if c.value {
                    "all approvals are stated as given, but some are missing"
                } else {
                    "approvals are stated as incomplete, but all are given"
                },
            )
            .claimed(if c.value {
                "all approved"
            } else {
                "not all approved"
            })
            .computed(format!("{}/{} required approvals", count.done, count.total));
            if !missing.is_empty() {
                d = d.note(format!("missing: {}", missing.join(", ")));
            }
            out.push(d);
        }
    }
}

/// GN0603 and GN0604: approvals that do not count because of the version of the facts
/// they approved.
fn bound(cx: &Ctx, sg: &Signing, out: &mut Vec<Diagnostic>) {
    let Some(a) = &cx.r.approvals else { return };
    for s in &a.v.signoffs {
        let who = match s.name.as_ref() {
            Some(n) => format!("{} ({})", s.role.value, n.value.trim()),
            None => s.role.value.clone(),
        };
        match sg.state(s) {
            State::Stale => {
                let Some(fp) = &s.fingerprint else { continue };
                let mut d = Diagnostic::warning(
                    "GN0603",
                    format!(
                        "the approval of {who} was given for data {}; the facts have changed since (now {}), so it no longer counts",
                        fp.value.trim(),
                        sg.fingerprint()
                    ),
                )
                .claimed(format!("approved data {}", fp.value.trim()))
                .computed(format!("data {}", sg.fingerprint()));
                d.loc = cx.loc(a.file, fp);
                for n in crate::signing::changes(cx.r, cx.sources, fp.value.trim()) {
                    d = d.note(n);
                }
                out.push(d.note(format!(
                    "to approve the facts as they are now: gonogo approve {} --role \"{}\" --name \"…\"",
                    cx.r.id, s.role.value
                )));
            }
            State::Unbound => {
                let mut d = Diagnostic::warning(
                    "GN0604",
                    format!(
                        "the approval of {who} does not name the data fingerprint it approves; the policy requires one (`fingerprint_required`), so it does not count"
                    ),
                )
                .computed(format!("data {}", sg.fingerprint()));
                d.loc = cx.loc(a.file, &s.status);
                out.push(d.note(format!(
                    "record it by signing with: gonogo approve {} --role \"{}\" --name \"…\"",
                    cx.r.id, s.role.value
                )));
            }
            _ => {}
        }
    }
}
