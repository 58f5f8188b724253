//! GN0401 weekday-mismatch, GN0402 date-order, GN0403 nonexistent-local-time,
//! GN0902 future-record (dates after the build).

use crate::check::{Ctx, claim};
use crate::diag::Diagnostic;
use crate::facts::{local_to_utc, long_date};
use crate::model::S;
use crate::when::{When, weekday_name};
use chrono::Datelike;

pub fn check(cx: &Ctx, out: &mut Vec<Diagnostic>) {
    let r = cx.r;
    let info = &r.info;
    let mut dates: Vec<(usize, &S<When>, String)> = vec![];
    if let Some(d) = &info.v.deploy {
        dates.push((info.file, d, "the deployment date".into()));
    }
    if let Some(d) = &info.v.last_updated {
        dates.push((info.file, d, "`last_updated`".into()));
    }
    if let Some(a) = &r.approvals {
        for s in &a.v.signoffs {
            if let Some(d) = &s.date {
                dates.push((a.file, d, format!("the sign-off date of {}", s.role.value)));
            }
        }
    }
    if let Some(o) = &r.outcome
        && let Some(d) = &o.v.recorded
    {
        dates.push((o.file, d, "the outcome's `recorded` date".into()));
    }
    for (file, d, what) in &dates {
        if d.value.time.is_some() && local_to_utc(r, d.value.naive()).is_none() {
            out.push(
                claim(
                    cx,
                    "GN0403",
                    *file,
                    d,
                    format!(
                        "{what} is a local time that does not exist in {}",
                        r.tz.name()
                    ),
                )
                .claimed(d.value.to_string())
                .computed("skipped by a daylight-saving change"),
            );
        }
        if let Some(w) = d.value.weekday
            && w != d.value.date.weekday()
        {
            out.push(
                claim(
                    cx,
                    "GN0401",
                    *file,
                    d,
                    format!("{what} is not a {}", weekday_name(w)),
                )
                .claimed(format!("{}, {}", weekday_name(w), d.value.date))
                .computed(long_date(d.value.date)),
            );
        }
    }
    // Sign-offs approve a deployment that has not happened yet.
    if let (Some(deploy), Some(a)) = (&info.v.deploy, &r.approvals) {
        for s in &a.v.signoffs {
            if let Some(d) = &s.date
                && crate::facts::signed_after(&d.value, &deploy.value)
            {
                out.push(
                    claim(
                        cx,
                        "GN0402",
                        a.file,
                        d,
                        format!("{} signed after the deployment it approves", s.role.value),
                    )
                    .claimed(d.value.to_string())
                    .computed(format!("deployment {}", deploy.value))
                    .note("a sign-off after the deployment does not count as an approval"),
                );
            }
        }
    }
    // Nothing can be dated after the build, except the deployment itself.
    let today = cx.build_time.with_timezone(&r.tz).date_naive();
    for (file, d, what) in dates.iter().skip(usize::from(info.v.deploy.is_some())) {
        let after = match d.value.time {
            Some(_) => local_to_utc(r, d.value.naive()).is_some_and(|u| u > cx.build_time),
            None => d.value.date > today,
        };
        if after {
            out.push(
                claim(
                    cx,
                    "GN0902",
                    *file,
                    d,
                    format!("{what} lies after the build"),
                )
                .claimed(d.value.to_string())
                .computed(format!(
                    "built {}",
                    cx.build_time.format("%Y-%m-%d %H:%M UTC")
                )),
            );
        }
    }
}
