//! GN0601 incomplete-approval, GN0602 approvals-mismatch.

use crate::check::{Ctx, claim};
use crate::diag::Diagnostic;
use crate::facts::{approval_count, placeholder_name, required_roles, signoff_complete};
use crate::model::SignStatus;

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
    let deploy = cx.r.info.v.deploy.as_ref().map(|d| &d.value);
    let count = approval_count(&a.v, deploy);
    if let Some(c) = &a.v.all_approved {
        let all = count.done == count.total;
        if c.value != all {
            let missing: Vec<String> = required_roles(&a.v)
                .into_iter()
                .filter(|role| {
                    !a.v.signoffs
                        .iter()
                        .any(|s| &s.role.value == role && signoff_complete(s, deploy))
                })
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
