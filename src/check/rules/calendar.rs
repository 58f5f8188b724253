//! GN0401 weekday-mismatch, GN0402 date-order, GN0403 nonexistent-local-time,
//! GN0404 ambiguous-local-time, GN0902 future-record (dates after the build).

use crate::check::{Ctx, claim};
use crate::diag::Diagnostic;
use crate::facts::{local_to_utc, long_date};
use crate::model::Node;
use crate::model::S;
use crate::when::{At, When, weekday_name};
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
        if d.value.time.is_some() {
            twice(
                cx,
                *file,
                d,
                what,
                d.value.naive(),
                "gonogo takes the earlier; a time outside the repeated hour names one instant",
                out,
            );
        }
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
    clock_times(cx, out);
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

/// GN0404: a wall-clock time that happens twice (the clocks fall back over it) is
/// read as the first; said, so nobody times a step an hour off.
fn twice<T>(
    cx: &Ctx,
    file: usize,
    at: &S<T>,
    what: &str,
    local: chrono::NaiveDateTime,
    note: &str,
    out: &mut Vec<Diagnostic>,
) {
    use chrono::{LocalResult, TimeZone};
    if let LocalResult::Ambiguous(first, second) = cx.r.tz.from_local_datetime(&local) {
        let mut d = claim(
            cx,
            "GN0404",
            file,
            at,
            format!(
                "{what} is a local time that happens twice in {} on {}",
                cx.r.tz.name(),
                local.date()
            ),
        )
        .claimed(local.format("%H:%M").to_string())
        .computed(format!(
            "read as the first, {} ({}), not {} ({})",
            first.format("%H:%M %Z"),
            first.format("%:z"),
            second.format("%H:%M %Z"),
            second.format("%:z")
        ))
        .note(note);
        d.severity = crate::diag::Severity::Warning;
        out.push(d);
    }
}

/// The clock times of the runbook and the rollback (`05:30`), on the deployment's
/// day: one in a daylight-saving gap names no instant (GN0403), one the clocks pass
/// twice is ambiguous (GN0404). Offsets (`T+30 min`) are real elapsed time and
/// always name one instant.
fn clock_times(cx: &Ctx, out: &mut Vec<Diagnostic>) {
    let r = cx.r;
    let Some(deploy) = r.info.v.deploy.as_ref().map(|d| &d.value) else {
        return;
    };
    // A deployment that is itself in a gap has its own GN0403; its clock times are
    // not placed from it (one cause, one finding).
    if deploy.time.is_some() && local_to_utc(r, deploy.naive()).is_none() {
        return;
    }
    let tl = crate::facts::timeline(r);
    let mut points: Vec<(usize, &S<At>, String)> = vec![];
    fn walk<'a>(
        file: usize,
        nodes: &'a [Node],
        kind: &str,
        points: &mut Vec<(usize, &'a S<At>, String)>,
    ) {
        for n in nodes {
            for (at, which) in [(&n.start, "start"), (&n.end, "end"), (&n.at, "time")] {
                if let Some(at) = at {
                    points.push((
                        file,
                        at,
                        format!("the {which} of {kind} `{}`", n.title.value),
                    ));
                }
            }
            walk(file, &n.items, "step", points);
        }
    }
    if let Some(rb) = &r.runbook {
        if let Some(w) = &rb.v.window {
            points.push((
                rb.file,
                &w.start,
                "the start of the deployment window".into(),
            ));
            points.push((rb.file, &w.end, "the end of the deployment window".into()));
        }
        walk(rb.file, &rb.v.phases, "phase", &mut points);
    }
    if let Some(rb) = &r.rollback {
        walk(rb.file, &rb.v.steps, "rollback step", &mut points);
    }
    for (file, at, what) in points {
        let At::Clock(t) = at.value else { continue };
        let local = match deploy.time {
            Some(time) => tl.clock_near(t, deploy.date.and_time(time)),
            None => deploy.date.and_time(t),
        };
        if local_to_utc(r, local).is_none() {
            out.push(
                claim(
                    cx,
                    "GN0403",
                    file,
                    at,
                    format!(
                        "{what} is a local time that does not exist in {} on {}",
                        r.tz.name(),
                        local.date()
                    ),
                )
                .claimed(local.format("%H:%M").to_string())
                .computed("skipped by a daylight-saving change")
                .note("nothing is timed from it: write the time as the clocks show it, or as an offset from the deployment (`T+30 min`)"),
            );
        } else {
            twice(
                cx,
                file,
                at,
                &what,
                local,
                "write it as an offset from the deployment (`T+30 min`), which names one instant",
                out,
            );
        }
    }
}
