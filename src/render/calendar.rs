//! `deploy.ics`: deployment day as an iCalendar file (RFC 5545), so a team can put
//! it in their calendars. One event for the deployment window (the runbook's
//! `window`, else the span of its timed phases, else the deployment time), and one
//! for each runbook checkpoint that has a time. Times are written in the release's
//! own time zone, with a VTIMEZONE holding that zone's offsets around the day
//! (daylight-saving changes in it included); a UTC release is written in UTC.
//!
//! Deterministic: the stamp (DTSTAMP) is the release's `last_updated`, else its
//! deployment time, never the time of the build; UIDs are the release id and the
//! event's place, so a rebuilt file updates the events a calendar already holds.

use crate::load::Release;
use crate::model::Node;
use chrono::{DateTime, Duration, NaiveDateTime, Offset, TimeZone, Utc};
use chrono_tz::OffsetComponents;
use std::fmt::Write;

struct Event {
    uid: String,
    summary: String,
    start: DateTime<Utc>,
    end: Option<DateTime<Utc>>,
    description: Option<String>,
}

/// The calendar of a release with a deployment time; None without one.
pub fn ics(r: &Release) -> Option<String> {
    let info = &r.info.v;
    let deploy = info.deploy.as_ref()?;
    let time = deploy.value.time?;
    let tl = crate::facts::timeline(r);
    let deploy_utc = tl.utc(deploy.value.date.and_time(time))?;
    let at = |a: &crate::when::At| tl.secs(a).map(|s| deploy_utc + Duration::seconds(s));
    let name = match &info.version {
        Some(v) => format!("{} {v}", info.product),
        None => info.product.clone(),
    };
    let mut events = vec![];
    let runbook = r.runbook.as_ref().map(|rb| &rb.v);
    let window = runbook
        .and_then(|rb| rb.window.as_ref())
        .and_then(|w| Some((at(&w.start.value)?, at(&w.end.value)?)))
        .or_else(|| {
            // The span of the phases that state when they start and end.
            let spans: Vec<(DateTime<Utc>, DateTime<Utc>)> = runbook?
                .phases
                .iter()
                .filter_map(|p| Some((at(&p.start.as_ref()?.value)?, at(&p.end.as_ref()?.value)?)))
                .collect();
            let lo = spans.iter().map(|s| s.0).min()?;
            let hi = spans.iter().map(|s| s.1).max()?;
            Some((lo, hi))
        });
    let (start, end) = match window {
        Some((s, e)) if e >= s => (s, Some(e)),
        _ => (deploy_utc, None),
    };
    let mut timed = vec![];
    let mut untimed = vec![];
    if let Some(rb) = runbook {
        let mut n = 0;
        for (i, p) in rb.phases.iter().enumerate() {
            // A phase that states when it starts and ends is an event of its own.
            if let (Some(s), Some(e)) = (
                p.start.as_ref().and_then(|a| at(&a.value)),
                p.end.as_ref().and_then(|a| at(&a.value)),
            ) && e >= s
            {
                timed.push(Event {
                    uid: format!("{}.phase-{}@gonogo", r.id, i + 1),
                    summary: format!("{} ({name})", p.title.value),
                    start: s,
                    end: Some(e),
                    description: p.owner.as_ref().map(|o| format!("Owner: {o}")),
                });
            }
            checkpoints(p, &at, &r.id, &name, &mut n, &mut timed, &mut untimed);
        }
    }
    // Checkpoints without a time of their own are listed on the deployment event.
    let mut description: Vec<String> = info.title.iter().cloned().collect();
    if !untimed.is_empty() {
        description.push(format!("Checkpoints: {}", untimed.join("; ")));
    }
    events.push(Event {
        uid: format!("{}.deployment@gonogo", r.id),
        summary: format!("Deployment: {name}"),
        start,
        end,
        description: (!description.is_empty()).then(|| description.join("\n")),
    });
    events.extend(timed);
    let stamp = info
        .last_updated
        .as_ref()
        .and_then(|d| tl.utc(d.value.naive()))
        .unwrap_or(deploy_utc);
    Some(calendar(r, &events, stamp))
}

/// The checkpoints under `node`: those with a time as events, the others by title.
fn checkpoints(
    node: &Node,
    at: &dyn Fn(&crate::when::At) -> Option<DateTime<Utc>>,
    id: &str,
    name: &str,
    n: &mut usize,
    out: &mut Vec<Event>,
    untimed: &mut Vec<String>,
) {
    if node.checkpoint {
        let when = node
            .at
            .as_ref()
            .or(node.start.as_ref())
            .and_then(|a| at(&a.value));
        match when {
            Some(start) => {
                *n += 1;
                out.push(Event {
                    uid: format!("{id}.checkpoint-{n}@gonogo"),
                    summary: format!("Checkpoint: {} ({name})", node.title.value),
                    start,
                    end: None,
                    description: node.expected.clone(),
                });
            }
            None => untimed.push(node.title.value.clone()),
        }
    }
    for k in &node.items {
        checkpoints(k, at, id, name, n, out, untimed);
    }
}

fn calendar(r: &Release, events: &[Event], stamp: DateTime<Utc>) -> String {
    let tz = r.tz;
    let utc = tz.name() == "UTC" || tz.name() == "Etc/UTC";
    let mut lines: Vec<String> = vec![
        "BEGIN:VCALENDAR".into(),
        "VERSION:2.0".into(),
        format!("PRODID:-//gonogo//gonogo {}//EN", env!("CARGO_PKG_VERSION")),
        "CALSCALE:GREGORIAN".into(),
        "METHOD:PUBLISH".into(),
    ];
    let lo = events.iter().map(|e| e.start).min().unwrap_or(stamp);
    let hi = events
        .iter()
        .map(|e| e.end.unwrap_or(e.start))
        .max()
        .unwrap_or(stamp);
    if !utc {
        lines.extend(vtimezone(
            tz,
            lo - Duration::days(1),
            hi + Duration::days(1),
        ));
    }
    let when = |key: &str, t: DateTime<Utc>| {
        if utc {
            format!("{key}:{}", t.format("%Y%m%dT%H%M%SZ"))
        } else {
            format!(
                "{key};TZID={}:{}",
                tz.name(),
                t.with_timezone(&tz).format("%Y%m%dT%H%M%S")
            )
        }
    };
    for e in events {
        lines.push("BEGIN:VEVENT".into());
        lines.push(format!("UID:{}", text(&e.uid)));
        lines.push(format!("DTSTAMP:{}", stamp.format("%Y%m%dT%H%M%SZ")));
        lines.push(when("DTSTART", e.start));
        if let Some(end) = e.end {
            lines.push(when("DTEND", end));
        }
        lines.push(format!("SUMMARY:{}", text(&e.summary)));
        if let Some(d) = &e.description {
            lines.push(format!("DESCRIPTION:{}", text(d)));
        }
        lines.push("END:VEVENT".into());
    }
    lines.push("END:VCALENDAR".into());
    let mut out = String::new();
    for l in lines {
        fold(&mut out, &l);
    }
    out
}

/// The zone's observances from `lo` to `hi`: the offset in force at `lo`, then one
/// per change of offset (found hour by hour, then to the second).
fn vtimezone(tz: chrono_tz::Tz, lo: DateTime<Utc>, hi: DateTime<Utc>) -> Vec<String> {
    let offset = |t: DateTime<Utc>| tz.offset_from_utc_datetime(&t.naive_utc());
    let mut parts: Vec<(NaiveDateTime, chrono_tz::TzOffset, chrono_tz::TzOffset)> = vec![];
    let first = offset(lo);
    parts.push((lo.with_timezone(&tz).naive_local(), first, first));
    let mut t = lo;
    let mut prev = first;
    while t < hi {
        let next = t + Duration::hours(1);
        let o = offset(next);
        if o.fix() != prev.fix() {
            // The instant of the change, to the second.
            let (mut a, mut b) = (t, next);
            while b - a > Duration::seconds(1) {
                let mid = a + (b - a) / 2;
                if offset(mid).fix() == prev.fix() {
                    a = mid;
                } else {
                    b = mid;
                }
            }
            let local_before =
                b.naive_utc() + Duration::seconds(prev.fix().local_minus_utc() as i64);
            parts.push((local_before, prev, o));
            prev = o;
        }
        t = next;
    }
    let hhmm = |o: &chrono_tz::TzOffset| {
        let s = o.fix().local_minus_utc();
        let sign = if s < 0 { '-' } else { '+' };
        let s = s.abs();
        format!("{sign}{:02}{:02}", s / 3600, (s % 3600) / 60)
    };
    let mut out = vec!["BEGIN:VTIMEZONE".to_string(), format!("TZID:{}", tz.name())];
    for (start, from, to) in parts {
        let kind = if to.dst_offset().num_seconds() != 0 {
            "DAYLIGHT"
        } else {
            "STANDARD"
        };
        out.push(format!("BEGIN:{kind}"));
        out.push(format!("DTSTART:{}", start.format("%Y%m%dT%H%M%S")));
        out.push(format!("TZOFFSETFROM:{}", hhmm(&from)));
        out.push(format!("TZOFFSETTO:{}", hhmm(&to)));
        let abbr = to.to_string();
        if !abbr.is_empty() && !abbr.starts_with(['+', '-']) {
            out.push(format!("TZNAME:{}", text(&abbr)));
        }
        out.push(format!("END:{kind}"));
    }
    out.push("END:VTIMEZONE".into());
    out
}

/// A TEXT value escaped (RFC 5545 §3.3.11): backslash, semicolon, comma, newline.
fn text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// One content line, folded at 75 octets (never inside a character), CRLF-ended.
fn fold(out: &mut String, line: &str) {
    let mut width = 0;
    for c in line.chars() {
        let n = c.len_utf8();
        if width + n > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += n;
    }
    let _ = write!(out, "\r\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_lines_fold_at_75_octets_between_characters() {
        let mut out = String::new();
        fold(&mut out, &format!("SUMMARY:{}", "é".repeat(60)));
        for l in out.split("\r\n").filter(|l| !l.is_empty()) {
            assert!(l.len() <= 75, "{l}");
        }
        assert_eq!(
            out.replace("\r\n ", ""),
            format!("SUMMARY:{}\r\n", "é".repeat(60))
        );
        assert_eq!(text("a, b; c\\d\ne"), "a\\, b\\; c\\\\d\\ne");
    }
}
