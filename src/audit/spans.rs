//! GN1302 audit-sum for a span of dates: "April 2, 2024 - October 1, 2025 (26
//! weeks)", a length stated in brackets right after a range of two full dates, that
//! the calendar does not give. Schedules count in whole weeks, so a length in weeks
//! holds within a week of the days between the dates; a length in days holds counted
//! either with or without the last day.

use super::Ctx;
use super::doc::plain;
use crate::diag::Diagnostic;
use chrono::NaiveDate;
use regex::Regex;
use std::sync::LazyLock;

const MON: &str = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?";

fn date_pattern(n: u8) -> String {
    format!(
        r"(?:(?P<m{n}a>{MON})\s+(?P<d{n}a>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<y{n}a>\d{{4}})|(?P<d{n}b>\d{{1,2}})(?:st|nd|rd|th)?\s+(?P<m{n}b>{MON}),?\s+(?P<y{n}b>\d{{4}})|(?P<i{n}>\d{{4}}-\d{{2}}-\d{{2}}))"
    )
}

static SPAN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?i)\b{}\s*(?:-|–|—|to|through|until)\s*{}\s*\(\s*(?P<n>\d+)\s*(?P<u>weeks?|days?)\s*\)",
        date_pattern(1),
        date_pattern(2)
    ))
    .expect("valid pattern")
});

fn date(c: &regex::Captures, n: u8) -> Option<NaiveDate> {
    if let Some(iso) = c.name(&format!("i{n}")) {
        return NaiveDate::parse_from_str(iso.as_str(), "%Y-%m-%d").ok();
    }
    let (m, d, y) = ["a", "b"].iter().find_map(|v| {
        Some((
            c.name(&format!("m{n}{v}"))?,
            c.name(&format!("d{n}{v}"))?,
            c.name(&format!("y{n}{v}"))?,
        ))
    })?;
    NaiveDate::from_ymd_opt(
        y.as_str().parse().ok()?,
        crate::textdate::month_number(m.as_str())?,
        d.as_str().parse().ok()?,
    )
}

pub fn check(cx: &Ctx, out: &mut Vec<Diagnostic>) {
    for i in 0..cx.doc.lines.len() {
        if !cx.doc.lines[i].readable() {
            continue;
        }
        let t = plain(cx.doc.lines[i].content());
        for c in SPAN.captures_iter(&t) {
            let (Some(a), Some(b)) = (date(&c, 1), date(&c, 2)) else {
                continue;
            };
            let days = (b - a).num_days();
            let Ok(n) = c["n"].parse::<i64>() else {
                continue;
            };
            let weeks = c["u"].to_ascii_lowercase().starts_with('w');
            let holds = if weeks {
                (n * 7 - days).abs() <= 7
            } else {
                n == days || n == days + 1
            };
            if days < 0 || holds {
                continue;
            }
            let m = c.name("n").expect("length");
            let u = c.name("u").expect("unit");
            let stated = format!("{} {}", &c["n"], &c["u"]);
            let whole = c.get(0).expect("match");
            out.push(
                Diagnostic::error(
                    "GN1302",
                    format!("{stated} is not the length of the dates it follows"),
                )
                .at(cx.loc(i, m.start(), u.end()))
                .claimed(stated)
                .computed(if weeks {
                    format!("{days} days ({:.1} weeks)", days as f64 / 7.0)
                } else {
                    format!("{days} days")
                })
                .note(format!(
                    "{} to {}: {}",
                    a.format("%-d %B %Y"),
                    b.format("%-d %B %Y"),
                    t[whole.start()..m.start()]
                        .trim_end()
                        .trim_end_matches('(')
                        .trim_end()
                )),
            );
        }
    }
}
