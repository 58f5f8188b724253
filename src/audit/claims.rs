//! The line-level audit rules:
//! GN1301 audit-weekday, a weekday that does not match its date;
//! GN1303 audit-ratio, a percentage beside a fraction that it is not;
//! GN1304 audit-better, "N% better" than a target that the numbers beside it do not give;
//! GN1305 audit-status, a status the document's own rules or pending approvals forbid;
//! GN1306 audit-signoff, a sign-off marked APPROVED with a blank name or signature.

use super::Ctx;
use super::doc::{Kind, plain};
use super::quantity::{self, Pct};
use crate::diag::Diagnostic;
use crate::when::weekday_name;
use chrono::{Datelike, NaiveDate};
use regex::Regex;
use std::sync::LazyLock;

pub fn check(cx: &Ctx, out: &mut Vec<Diagnostic>) {
    weekdays(cx, out);
    timelines(cx, out);
    ratios(cx, out);
    better(cx, out);
    conditions(cx, out);
    pending(cx, out);
    signoffs(cx, out);
}

fn readable<'a>(cx: &'a Ctx<'_>) -> impl Iterator<Item = (usize, String)> + 'a {
    (0..cx.doc.lines.len())
        .filter(|i| cx.doc.lines[*i].readable())
        .map(|i| (i, plain(cx.doc.lines[i].content())))
}

static FULL_DATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)\b(?:(?P<mon>(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*)\.?\s+(?P<d>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<y>\d{4})|(?P<d2>\d{1,2})\s+(?P<mon2>(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*)\.?,?\s+(?P<y2>\d{4})|(?P<iso>\d{4}-\d{2}-\d{2}))\b",
    )
    .expect("valid pattern")
});

/// The dates written with their year in `t`.
fn full_dates(t: &str) -> Vec<NaiveDate> {
    FULL_DATE
        .captures_iter(t)
        .filter_map(|c| match c.name("iso") {
            Some(iso) => NaiveDate::parse_from_str(iso.as_str(), "%Y-%m-%d").ok(),
            None => {
                let (mon, d, y) = match c.name("mon") {
                    Some(m) => (m.as_str(), &c["d"], &c["y"]),
                    None => (&c["mon2"], &c["d2"], &c["y2"]),
                };
                crate::textdate::month_number(mon)
                    .and_then(|m| NaiveDate::from_ymd_opt(y.parse().ok()?, m, d.parse().ok()?))
            }
        })
        .collect()
}

/// Every date written with its year in the document.
fn dated(cx: &Ctx) -> Vec<NaiveDate> {
    readable(cx).flat_map(|(_, t)| full_dates(&t)).collect()
}

/// A line that gives an example: its dates are not the document's.
static EXAMPLE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:example|e\.g\.|for instance|such as|say)\b").expect("valid pattern")
});

fn weekdays(cx: &Ctx, out: &mut Vec<Diagnostic>) {
    let known = dated(cx);
    let mut years: Vec<i32> = known.iter().map(|d| d.year()).collect();
    years.sort();
    years.dedup();
    static RANGE_BEFORE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)\b(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?\s*(?:[-–—/]|to|through|thru|until)\s*$")
            .expect("valid pattern")
    });
    for (i, t) in readable(cx) {
        for c in crate::textdate::weekday_claims(&t) {
            // "Mon–Fri, Nov 3 – Nov 14": the weekday ends a range of days.
            if RANGE_BEFORE.is_match(&t[..c.start]) {
                continue;
            }
            // A date written without its year takes the year the document gives the
            // same day elsewhere, when it gives exactly one.
            let year = match c.year {
                Some(_) => None,
                None => {
                    // …and only when every dated line of the document is in that year:
                    // the same day written with it elsewhere, or at least two dates of
                    // that one year (never on a line that gives an example).
                    let same_day = known
                        .iter()
                        .any(|d| d.month() == c.month && d.day() == c.day);
                    match years.as_slice() {
                        [y] if same_day || (known.len() >= 2 && !EXAMPLE.is_match(&t)) => Some(*y),
                        _ => continue,
                    }
                }
            };
            let Some(date) = c.date(year) else { continue };
            if date.weekday() == c.weekday {
                continue;
            }
            // "2025-06-08 (Sat)": the stated text ends with the parenthesis it opened.
            let mut end = c.end;
            let stated = &t[c.start..end];
            if stated.matches('(').count() > stated.matches(')').count()
                && t[end..].trim_start().starts_with(')')
            {
                end += t[end..].find(')').map_or(0, |k| k + 1);
            }
            let mut d = Diagnostic::error(
                "GN1301",
                format!(
                    "{} is a {}, not a {}",
                    date.format("%-d %B %Y"),
                    weekday_name(date.weekday()),
                    weekday_name(c.weekday)
                ),
            )
            .at(cx.loc(i, c.start, end))
            .claimed(t[c.start..end].trim())
            .computed(crate::facts::long_date(date));
            // "Thursday, March 7th, 2018" in a 2019 schedule: the weekday is right for
            // a year next to the one written.
            if let Some(y) = c.year {
                for near in [y - 1, y + 1] {
                    if let Some(other) = chrono::NaiveDate::from_ymd_opt(near, c.month, c.day)
                        && other.weekday() == c.weekday
                    {
                        d = d.note(format!(
                            "{} is a {}: is the year the mistake?",
                            other.format("%-d %B %Y"),
                            weekday_name(c.weekday)
                        ));
                    }
                }
            }
            if c.year.is_none() {
                d = d.note(format!(
                    "the date has no year; {} is the year of every other date in the document",
                    date.year()
                ));
            }
            out.push(d);
        }
    }
}

const MON: &str = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?";

/// A span of days in a heading or lead line: "Nov 3 – Nov 5, 2025",
/// "November 3-5, 2025", "2025-11-03 to 2025-11-05".
static DAY_RANGE: LazyLock<Vec<Regex>> = LazyLock::new(|| {
    let to = r"\s*(?:-|–|—|to|through|until)\s*";
    [
        format!(r"(?i)\b(?P<m1>{MON})\s+(?P<d1>\d{{1,2}})(?:,?\s+(?P<y1>\d{{4}}))?{to}(?:(?P<m2>{MON})\s+)?(?P<d2>\d{{1,2}}),?\s+(?P<y2>\d{{4}})\b"),
        format!(r"(?i)\b(?P<i1>\d{{4}}-\d{{2}}-\d{{2}}){to}(?P<i2>\d{{4}}-\d{{2}}-\d{{2}})\b"),
    ]
    .iter()
    .map(|p| Regex::new(p).expect("valid pattern"))
    .collect()
});

fn day_range(t: &str) -> Option<(NaiveDate, NaiveDate)> {
    for re in DAY_RANGE.iter() {
        let Some(c) = re.captures(t) else { continue };
        let (a, b) = if let (Some(i1), Some(i2)) = (c.name("i1"), c.name("i2")) {
            (
                NaiveDate::parse_from_str(i1.as_str(), "%Y-%m-%d").ok()?,
                NaiveDate::parse_from_str(i2.as_str(), "%Y-%m-%d").ok()?,
            )
        } else {
            let y2: i32 = c["y2"].parse().ok()?;
            let y1: i32 = c.name("y1").map_or(Some(y2), |y| y.as_str().parse().ok())?;
            let m1 = crate::textdate::month_number(&c["m1"])?;
            let m2 = c
                .name("m2")
                .map_or(Some(m1), |m| crate::textdate::month_number(m.as_str()))?;
            (
                NaiveDate::from_ymd_opt(y1, m1, c["d1"].parse().ok()?)?,
                NaiveDate::from_ymd_opt(y2, m2, c["d2"].parse().ok()?)?,
            )
        };
        return (a <= b).then_some((a, b));
    }
    None
}

/// An item of a timeline that starts with a weekday: "Thursday: staging", "**Thu
/// 14:00** – deploy"; not "Mon-Wed: testing" (a range) nor a weekday with its own
/// date (read by the weekday rule).
static DAY_ITEM: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^[^a-z0-9]*(?P<wd>(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*)\.?(?P<rest>.*)$")
        .expect("valid pattern")
});

/// "Thursday: …" items under a heading or lead line that dates them: a span of days
/// ("Timeline (Nov 3 – Nov 5, 2025)") or one day ("Deployment day: 2025-11-03").
/// Each weekday must fall in the span. Spans of a week or more are not read.
fn timelines(cx: &Ctx, out: &mut Vec<Diagnostic>) {
    let doc = cx.doc;
    for (i, t) in readable(cx) {
        let l = &doc.lines[i];
        if !(l.is_heading() || l.kind == (Kind::Para { lead: true })) {
            continue;
        }
        let span = day_range(&t).or_else(|| {
            // One day, when the line says it is a day: "Deployment day: 2025-11-03".
            if !t.to_ascii_lowercase().contains(" day") {
                return None;
            }
            let dates = full_dates(&t);
            match dates.as_slice() {
                [d] => Some((*d, *d)),
                _ => None,
            }
        });
        let Some((from, to)) = span else { continue };
        if (to - from).num_days() >= 6 {
            continue;
        }
        for j in doc.children(i) {
            if !doc.lines[j].is_item() {
                continue;
            }
            let it = plain(doc.lines[j].content());
            let Some(c) = DAY_ITEM.captures(&it) else {
                continue;
            };
            let Some(wd) = crate::when::parse_weekday(&c["wd"]) else {
                continue;
            };
            let rest = c["rest"].trim_start();
            if rest.starts_with(['-', '–', '—', '/'])
                && DAY_ITEM.is_match(rest.trim_start_matches(['-', '–', '—', '/']))
            {
                continue;
            }
            if !crate::textdate::weekday_claims(&it).is_empty() || FULL_DATE.is_match(&it) {
                continue;
            }
            if from
                .iter_days()
                .take_while(|d| *d <= to)
                .any(|d| d.weekday() == wd)
            {
                continue;
            }
            let m = c.name("wd").expect("weekday");
            let span_text = if from == to {
                format!(
                    "{} ({})",
                    from.format("%-d %B %Y"),
                    weekday_name(from.weekday())
                )
            } else {
                format!(
                    "{} to {} ({} to {})",
                    from.format("%-d %B"),
                    to.format("%-d %B %Y"),
                    weekday_name(from.weekday()),
                    weekday_name(to.weekday())
                )
            };
            out.push(
                Diagnostic::error(
                    "GN1301",
                    format!("{} is not a day of {span_text}", weekday_name(wd)),
                )
                .at(cx.loc(j, m.start(), m.end()))
                .claimed(m.as_str())
                .computed(span_text.clone())
                .note(format!("line {} dates this timeline", cx.line_no(i))),
            );
        }
    }
}

/// Whether `p` (a written percentage) and `f` (a value computed from the document's
/// numbers) agree to the precision `p` was written with: rounded or cut off.
fn agrees(p: f64, decimals: i32, f: f64) -> bool {
    (p - f).abs() < 10f64.powi(-decimals) - 1e-9
}

/// Whether `start..end` is alone in a parenthesis (with words, no other figure)
/// that does not hold `other`.
fn in_brackets(seg: &str, start: usize, end: usize, other: &impl Span) -> bool {
    let Some(open) = seg[..start].rfind('(') else {
        return false;
    };
    if seg[open..start].contains(')') {
        return false;
    }
    let Some(close) = seg[end..].find(')').map(|i| i + end) else {
        return false;
    };
    let (os, oe) = other.span();
    let inner = format!("{}{}", &seg[open + 1..start], &seg[end..close]);
    let lower = inner.to_ascii_lowercase();
    // "(50% per arm)": a share of each part, not the whole.
    let share = lower
        .split_whitespace()
        .any(|w| matches!(w, "per" | "each" | "every"));
    let holds_other = os >= open && oe <= close;
    !(holds_other || share || inner.contains(|c: char| c.is_ascii_digit()))
}

trait Span {
    fn span(&self) -> (usize, usize);
}
impl Span for Pct {
    fn span(&self) -> (usize, usize) {
        (self.start, self.end)
    }
}
impl Span for quantity::Frac {
    fn span(&self) -> (usize, usize) {
        (self.start, self.end)
    }
}

fn ratios(cx: &Ctx, out: &mut Vec<Diagnostic>) {
    for (i, t) in readable(cx) {
        // Table cells are read one by one; so are clauses.
        let mut from = 0;
        for seg in t.split(['|', ';']) {
            let seg_start = from;
            from += seg.len() + 1;
            let fracs = quantity::fractions(seg);
            let pcts: Vec<Pct> = quantity::percents(seg);
            for f in &fracs {
                // The nearest percentage; a bound ("<1%") there blocks the pairing.
                let near = pcts
                    .iter()
                    .filter(|p| p.end <= f.start || p.start >= f.end)
                    .min_by_key(|p| {
                        if p.end <= f.start {
                            f.start - p.end
                        } else {
                            p.start - f.end
                        }
                    });
                let Some(p) = near else { continue };
                if p.bound {
                    continue;
                }
                let (a, b) = if p.end <= f.start {
                    (p.end, f.start)
                } else {
                    (f.end, p.start)
                };
                let between = &seg[a..b];
                // One figure restates the other: in brackets right after it ("100%
                // (116/116)", "90%+ of high items complete (16+/18)"), or "= 100%".
                // "100% on 10/14" or "5% of traffic in 2/3 regions" are two facts.
                let joined = between.trim() == "=" || between.trim() == ") =";
                let bracketed =
                    in_brackets(seg, f.start, f.end, p) || in_brackets(seg, p.start, p.end, f);
                if !(joined || bracketed)
                    || between.contains(|c: char| c.is_ascii_digit() || matches!(c, ',' | '"'))
                    || between.contains(". ")
                    || between.split_whitespace().count() > 8
                {
                    continue;
                }
                let f_lo = f.lo / f.of * 100.0;
                let f_hi = f.hi / f.of * 100.0;
                // A threshold may also be written as the count that first meets it:
                // 90% of 18 is 16.2, so "90%+ (17+/18)" and "70-90% (13-16/18)" agree.
                let need = |pct: f64| pct / 100.0 * f.of;
                let lo_ok = agrees(p.lo, p.decimals, f_lo)
                    || ((p.open || p.lo < p.hi) && f.lo == (need(p.lo) - 1e-9).ceil());
                let hi_ok = agrees(p.hi, p.decimals, f_hi)
                    || (p.lo < p.hi && f.hi == (need(p.hi) + 1e-9).floor());
                let ok = if p.open && !f.open && f.lo == f.hi {
                    // "95%+ (116/116)": at least, to the precision written.
                    f_lo >= p.lo - 0.5 * 10f64.powi(-p.decimals)
                } else if p.lo == p.hi {
                    lo_ok
                } else {
                    lo_ok && hi_ok
                };
                if ok {
                    continue;
                }
                let shown = |lo: f64, hi: f64| {
                    if (hi - lo).abs() < 1e-9 {
                        format!("{}%", quantity::trim(lo))
                    } else {
                        format!("{}% to {}%", quantity::trim(lo), quantity::trim(hi))
                    }
                };
                let ptext = seg[p.start..p.end].to_string();
                let ftext = seg[f.start..f.end].to_string();
                out.push(
                    Diagnostic::error(
                        "GN1303",
                        format!("{ptext} is not {ftext}, which is {}", shown(f_lo, f_hi)),
                    )
                    .at(cx.loc(
                        i,
                        seg_start + p.start.min(f.start),
                        seg_start + p.end.max(f.end),
                    ))
                    .claimed(ptext)
                    .computed(shown(f_lo, f_hi)),
                );
            }
        }
    }
}

static BETTER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(?P<p>\d+(?:\.\d+)?)\s*%(?P<plus>\+)?\s+(?:better|faster|lower|under)\b(?:\s+than\s+(?:the\s+)?(?P<than>[\w.-]+))?")
        .expect("valid pattern")
});
static AMOUNT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(?P<op>[<>≤≥]\s*=?\s*)?(?P<v>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)\s*(?P<u>%|[a-zµ/]+)?")
        .expect("valid pattern")
});

/// (op, value in the unit's base, unit family) of a target or actual cell. Units
/// that convert (ms, s, min, h; KB, MB, GB) are brought to one base; any other unit
/// must be the same word on both sides.
fn amount(s: &str) -> Option<(Option<char>, f64, String)> {
    let c = AMOUNT.captures(s.trim())?;
    let v: f64 = c["v"].replace(',', "").parse().ok()?;
    let op = c.name("op").and_then(|o| o.as_str().trim().chars().next());
    let unit = c
        .name("u")
        .map(|u| u.as_str().to_ascii_lowercase())
        .unwrap_or_default();
    let (scale, fam) = match unit.as_str() {
        "ms" => (1.0, "time"),
        "s" | "sec" | "secs" | "second" | "seconds" => (1000.0, "time"),
        "min" | "mins" | "minute" | "minutes" => (60_000.0, "time"),
        "h" | "hr" | "hrs" | "hour" | "hours" => (3_600_000.0, "time"),
        "kb" => (1.0, "size"),
        "mb" => (1000.0, "size"),
        "gb" => (1_000_000.0, "size"),
        _ => (1.0, unit.as_str()),
    };
    Some((op, v * scale, fam.to_string()))
}

/// How much better `actual` is than `target` (in %), from the target's direction.
fn better_by(
    target: &(Option<char>, f64, String),
    actual: &(Option<char>, f64, String),
) -> Option<f64> {
    if target.2 != actual.2 || target.1 == 0.0 || actual.0.is_some() {
        return None;
    }
    match target.0 {
        Some('<' | '≤') => Some((target.1 - actual.1) / target.1 * 100.0),
        Some('>' | '≥') => Some((actual.1 - target.1) / target.1 * 100.0),
        _ => None,
    }
}

fn better(cx: &Ctx, out: &mut Vec<Diagnostic>) {
    let doc = cx.doc;
    let mut header: Option<Vec<String>> = None;
    for i in 0..doc.lines.len() {
        let l = &doc.lines[i];
        if l.fenced || l.kind != Kind::Row {
            if !(l.kind == Kind::Rule && header.is_some()) {
                header = None;
            }
            if l.fenced || l.kind == Kind::Row {
                continue;
            }
        }
        let t = plain(l.content());
        if l.kind == Kind::Row {
            let cells: Vec<String> = t
                .trim()
                .trim_matches('|')
                .split('|')
                .map(|c| c.trim().to_ascii_lowercase())
                .collect();
            let Some(h) = &header else {
                header = Some(cells);
                continue;
            };
            let col = |name: &str| h.iter().position(|c| c.contains(name));
            let (Some(tc), Some(ac)) = (col("target"), col("actual")) else {
                continue;
            };
            let raw: Vec<&str> = t.trim().trim_matches('|').split('|').collect();
            let (Some(target), Some(actual)) = (
                raw.get(tc).and_then(|c| amount(c)),
                raw.get(ac).and_then(|c| amount(c)),
            ) else {
                continue;
            };
            let offset = t.find(raw[0]).unwrap_or(0);
            let mut at = offset;
            for cell in &raw {
                if let Some(c) = BETTER.captures(cell) {
                    claim(
                        cx,
                        i,
                        at + c.get(0).expect("m").start(),
                        &c,
                        target.clone(),
                        actual.clone(),
                        out,
                    );
                }
                at += cell.len() + 1;
            }
            continue;
        }
        // "240ms (target: <1000ms) - 76% better"
        let Some(c) = BETTER.captures(&t) else {
            continue;
        };
        let lower = t.to_ascii_lowercase();
        let Some(k) = lower.find("target") else {
            continue;
        };
        let after = t[k + 6..].trim_start_matches([':', ' ']);
        let before = t[..k].trim_end().trim_end_matches('(').trim_end();
        let actual_text = before.rsplit([':', '|']).next().unwrap_or(before);
        let (Some(target), Some(actual)) = (amount(after), amount(actual_text)) else {
            continue;
        };
        claim(cx, i, c.get(0).expect("m").start(), &c, target, actual, out);
    }
}

fn claim(
    cx: &Ctx,
    i: usize,
    start: usize,
    c: &regex::Captures,
    target: (Option<char>, f64, String),
    actual: (Option<char>, f64, String),
    out: &mut Vec<Diagnostic>,
) {
    // "12% faster than 3.1": compared with something other than the target.
    if let Some(than) = c.name("than") {
        let t = than.as_str().to_ascii_lowercase();
        if !matches!(
            t.as_str(),
            "target" | "targets" | "goal" | "slo" | "budget" | "threshold"
        ) {
            return;
        }
    }
    let Some(by) = better_by(&target, &actual) else {
        return;
    };
    let p: f64 = c["p"].parse().unwrap_or(f64::NAN);
    let dec = c["p"].split_once('.').map_or(0, |(_, f)| f.len() as i32);
    let ok = if c.name("plus").is_some() {
        by > p - 10f64.powi(-dec)
    } else {
        agrees(p, dec, by)
    };
    if ok {
        return;
    }
    let m = c.get(0).expect("m");
    out.push(
        Diagnostic::error(
            "GN1304",
            format!(
                "{} than target, but the target and actual beside it give {}%",
                m.as_str().trim(),
                quantity::trim(by)
            ),
        )
        .at(cx.loc(i, start, start + m.len()))
        .claimed(m.as_str().trim())
        .computed(format!("{}%", quantity::trim(by))),
    );
}

/// The status a "Key: value" line states, when its key names a status or decision:
/// (byte start of the value, the status in capitals).
fn status_value(t: &str) -> Option<(usize, String)> {
    let colon = t.find(':')?;
    let key = t[..colon].trim().to_ascii_lowercase();
    if key.len() > 30 || key.contains('|') {
        return None;
    }
    if ![
        "status",
        "decision",
        "assessment",
        "readiness",
        "recommendation",
    ]
    .iter()
    .any(|k| key.ends_with(k))
    {
        return None;
    }
    // Skip emoji and their mis-encoded forms before the first word.
    let w = t[colon + 1..]
        .split_whitespace()
        .find(|w| w.chars().any(|c| c.is_ascii_alphanumeric()))?;
    let at = w.as_ptr() as usize - t.as_ptr() as usize;
    Some((at, t[at..].trim().to_ascii_uppercase()))
}

/// Every status a line of the document states: (line, byte offset of the value,
/// the status, the value in capitals).
fn status_claims(cx: &Ctx) -> Vec<(usize, usize, &'static str, String)> {
    readable(cx)
        .filter(|(i, _)| !cx.doc.lines[*i].is_heading())
        .filter_map(|(i, t)| {
            let (at, value) = status_value(&t)?;
            let (off, status) = status_word_at(&value)?;
            Some((i, at + off, status, value[off..].to_string()))
        })
        .collect()
}

/// "GO WITH CONDITIONS", "GO", "READY", "APPROVED", "NO-GO" at the start of a value.
fn status_word(v: &str) -> Option<&'static str> {
    let v = v.trim_start_matches(|c: char| !c.is_ascii_alphanumeric());
    start_status(v)
}

/// Words before a status that take it back or make it a plan: "NOT READY",
/// "ALMOST READY", "WILL BE READY".
const HEDGES: &[&str] = &[
    "NOT",
    "NO",
    "NEVER",
    "ALMOST",
    "NEARLY",
    "PARTIALLY",
    "PARTLY",
    "MOSTLY",
    "PENDING",
    "AWAITING",
    "WHEN",
    "IF",
    "UNTIL",
    "ONCE",
    "BE",
    "BEING",
    "TO",
    "WILL",
    "WOULD",
    "SHOULD",
    "NEEDS",
    "NEED",
    "UNLESS",
    "BEFORE",
    "AFTER",
    "MAYBE",
    "PROBABLY",
    "YET",
];

/// The status of a value and where it starts: at the start ("READY"), or after a
/// few words that say what is ready ("PRODUCTION DEPLOYMENT READY"), never after a
/// hedge, a negation or punctuation.
fn status_word_at(value: &str) -> Option<(usize, &'static str)> {
    let v = value.trim_start_matches(|c: char| !c.is_ascii_alphanumeric());
    let lead = value.len() - v.len();
    if let Some(s) = start_status(v) {
        return Some((lead, s));
    }
    for (before, tok) in v.split_whitespace().take(5).enumerate() {
        let off = tok.as_ptr() as usize - v.as_ptr() as usize;
        let word = tok.trim_end_matches(['.', '!', ',', ';', ')']);
        if before > 0 && matches!(word, "READY" | "GO" | "APPROVED") {
            return start_status(&v[off..]).map(|s| (lead + off, s));
        }
        let plain_word = tok.chars().all(|c| c.is_ascii_alphabetic() || c == '-');
        if !plain_word || HEDGES.contains(&tok) {
            return None;
        }
    }
    None
}

fn start_status(v: &str) -> Option<&'static str> {
    for s in [
        "GO WITH CONDITIONS",
        "NO-GO",
        "NO GO",
        "NOT READY",
        "GO",
        "READY",
        "APPROVED",
    ] {
        if v.starts_with(s)
            && v[s.len()..]
                .chars()
                .next()
                .is_none_or(|c| !c.is_ascii_alphanumeric() && c != '-')
        {
            // "READY FOR SIGN-OFF", "ready for review": what it is ready for is a step
            // still to come, so it announces that approval is pending. Not the status.
            if s == "READY" && ready_for_a_step(&v[s.len()..]) {
                return None;
            }
            return Some(s);
        }
    }
    None
}

/// Whether the words after READY name a step still to come ("for sign-off", "for
/// review", "for UAT") rather than the release's destination ("for production").
fn ready_for_a_step(after: &str) -> bool {
    let words: Vec<String> = after
        .split(|c: char| !c.is_ascii_alphanumeric() && c != '-')
        .filter(|w| !w.is_empty())
        .take(2)
        .map(|w| w.to_ascii_uppercase())
        .collect();
    match words.as_slice() {
        [f, what, ..] if f == "FOR" => matches!(
            what.as_str(),
            "SIGN-OFF"
                | "SIGNOFF"
                | "SIGN"
                | "REVIEW"
                | "APPROVAL"
                | "APPROVALS"
                | "UAT"
                | "QA"
                | "TESTING"
                | "TEST"
                | "VALIDATION"
                | "VERIFICATION"
                | "FEEDBACK"
                | "DISCUSSION"
                | "DECISION"
                | "GO-NO-GO"
                | "EVALUATION"
        ),
        _ => false,
    }
}

static ALL_REQUIRED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\ball\b[^()]*?\b(?P<cat>[a-z][a-z-]*)\s+(?:priority\s+)?items?\b[^()]*\((?P<k>\d+)\s*/\s*(?P<n>\d+)\)").expect("valid pattern")
});
static CURRENT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?P<k>\d+)\s*/\s*(?P<n>\d+)\s+(?P<cat>[a-z][a-z-]*)\b")
        .expect("valid pattern")
});

/// A status whose own requirements, written in the document, are not met: "GO WITH
/// CONDITIONS" requires "ALL critical items complete (25/25)" and the document says
/// "10/25 critical".
fn conditions(cx: &Ctx, out: &mut Vec<Diagnostic>) {
    let doc = cx.doc;
    // (status, category, n, line) of every "all … items complete (n/n)" requirement
    // under a heading that names a status.
    let mut reqs: Vec<(&'static str, String, u64, usize)> = Vec::new();
    for (i, t) in readable(cx) {
        let Some(c) = ALL_REQUIRED.captures(&t) else {
            continue;
        };
        if c["k"] != c["n"] {
            continue;
        }
        let Some(h) = doc.section(i) else { continue };
        let heading = plain(doc.lines[h].content()).to_ascii_uppercase();
        let Some(status) = status_word(&heading) else {
            continue;
        };
        let Ok(n) = c["n"].parse() else { continue };
        reqs.push((status, c["cat"].to_ascii_lowercase(), n, i));
    }
    if reqs.is_empty() {
        return;
    }
    // (category, k, n, line) of every "k/n category" stated.
    let mut facts: Vec<(String, u64, u64, usize)> = Vec::new();
    for (i, t) in readable(cx) {
        if reqs.iter().any(|r| r.3 == i) {
            continue;
        }
        for c in CURRENT.captures_iter(&t) {
            let (Ok(k), Ok(n)) = (c["k"].parse(), c["n"].parse()) else {
                continue;
            };
            facts.push((c["cat"].to_ascii_lowercase(), k, n, i));
        }
    }
    for (i, at, status, _) in status_claims(cx) {
        for (_, cat, n, rline) in reqs.iter().filter(|r| r.0 == status) {
            // A document that also says all are done (progress over weeks) is
            // not read: which count is current cannot be told.
            if facts.iter().any(|f| f.0 == *cat && f.2 == *n && f.1 == *n) {
                continue;
            }
            let Some((_, k, _, fline)) =
                facts.iter().find(|f| f.0 == *cat && f.2 == *n && f.1 < *n)
            else {
                continue;
            };
            out.push(
                Diagnostic::error(
                    "GN1305",
                    format!("{status}, but the document's own rule for it is not met: all {n} {cat} items, and {k}/{n} are done"),
                )
                .at(cx.loc(i, at, at + status.len()))
                .claimed(status)
                .computed(format!("{k}/{n} {cat}"))
                .note(format!(
                    "line {} requires all {cat} items for {status}; line {} says {k}/{n}",
                    cx.line_no(*rline),
                    cx.line_no(*fline)
                )),
            );
        }
    }
}

static AWAITING: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:awaiting|pending|not yet (?:obtained|received|given|signed))\b")
        .expect("valid pattern")
});
static PAREN_AWAITING: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\((?:awaiting|pending)\s+(?:\w+\s+)?(?:approvals?|sign-?offs?)\)")
        .expect("valid pattern")
});
/// Words that say the wait is over, or about something else.
static SETTLED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:received|approved by|obtained|no longer|was pending|next release)\b")
        .expect("valid pattern")
});
static APPROVAL: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)approv|sign-?off|go/no-go").expect("valid pattern"));

/// READY / GO / APPROVED stated while the same document lists approvals as pending.
fn pending(cx: &Ctx, out: &mut Vec<Diagnostic>) {
    let doc = cx.doc;
    let mut evidence: Vec<(usize, String)> = Vec::new();
    for (i, t) in readable(cx) {
        let l = &doc.lines[i];
        // "Status: AWAITING FINAL APPROVALS", "Security sign-off: PENDING", or
        // "(awaiting approval)": a statement that an approval is still awaited, not
        // a feature that lists "expenses pending approval".
        let stated = key_value(&t).is_some_and(|(k, v)| {
            let v = v.trim_start_matches(|c: char| !c.is_ascii_alphanumeric());
            AWAITING.find(v).is_some_and(|m| m.start() == 0)
                && (APPROVAL.is_match(&k) || APPROVAL.is_match(v))
        }) || PAREN_AWAITING.is_match(&t);
        if stated && !SETTLED.is_match(&t) {
            evidence.push((i, t.trim().to_string()));
        }
        // "Awaiting:" followed by the approvals awaited.
        if l.kind == (Kind::Para { lead: true })
            && AWAITING.is_match(&t)
            && t.trim().trim_end_matches(':').split_whitespace().count() <= 3
        {
            for j in doc.children(i) {
                let c = &doc.lines[j];
                let ct = plain(c.content());
                if !matches!(
                    c.kind,
                    Kind::Item {
                        task: Some(true),
                        ..
                    }
                ) && APPROVAL.is_match(&ct)
                {
                    evidence.push((j, ct.trim().to_string()));
                }
            }
        }
    }
    if evidence.is_empty() {
        return;
    }
    for (i, at, status, value) in status_claims(cx) {
        if !matches!(status, "GO" | "READY" | "APPROVED") {
            continue;
        }
        // A sign-off's own status speaks for one person, not for the release.
        let signoff = doc.section(i).is_some_and(|h| {
            doc.children(h).any(|j| {
                key_value(&plain(doc.lines[j].content()))
                    .is_some_and(|(k, _)| matches!(k.as_str(), "name" | "signature"))
            })
        });
        if signoff {
            continue;
        }
        // The status as written, up to its first sentence end and at most 8 words.
        let shown = value
            .split("**")
            .next()
            .unwrap_or(&value)
            .split(['.', ';', '(', '|'])
            .next()
            .unwrap_or_default()
            .split_whitespace()
            .take(8)
            .collect::<Vec<_>>()
            .join(" ");
        let list: Vec<String> = evidence
            .iter()
            .take(3)
            .map(|(j, e)| format!("line {}: {e}", cx.line_no(*j)))
            .collect();
        out.push(
            Diagnostic::error(
                "GN1305",
                format!("{status} while the document lists approvals as pending"),
            )
            .at(cx.loc(i, at, at + status.len()))
            .claimed(shown)
            .computed("approvals pending")
            .note(list.join("; ")),
        );
    }
}

/// A "Key: value" line: (key in lower case, value).
fn key_value(t: &str) -> Option<(String, String)> {
    let (k, v) = t.split_once(':')?;
    let k = k.trim().to_ascii_lowercase();
    (k.len() <= 30).then(|| (k, v.trim().to_string()))
}

/// Empty, underscores, dashes or a placeholder such as "[NAME]".
fn blank(v: &str) -> bool {
    let v = v.trim();
    let inner = v
        .strip_prefix('[')
        .and_then(|x| x.strip_suffix(']'))
        .map(|x| x.trim().to_ascii_uppercase());
    // Initials ("[JP]") or a ticked box ("[X]") are an answer; these are not.
    let placeholder = inner.is_some_and(|x| {
        matches!(
            x.as_str(),
            "" | "NAME" | "FULL NAME" | "SIGNATURE" | "SIGN HERE" | "TBD" | "TODO"
        )
    });
    placeholder || v.chars().all(|c| matches!(c, '_' | '-' | ' ' | '.' | '…'))
}

fn signoffs(cx: &Ctx, out: &mut Vec<Diagnostic>) {
    let doc = cx.doc;
    // A block: the key-value lines of one section, split where a key repeats.
    let mut block: Vec<(usize, String, String)> = Vec::new();
    let mut keys: std::collections::HashSet<String> = Default::default();
    let mut section = None;
    let flush = |block: &mut Vec<(usize, String, String)>, out: &mut Vec<Diagnostic>| {
        let approved = block.iter().find(|(_, k, v)| {
            matches!(
                k.as_str(),
                "status" | "decision" | "approval" | "approval status"
            ) && matches!(
                status_word(&v.to_ascii_uppercase()),
                Some("APPROVED" | "GO")
            )
        });
        if let Some((a, _, _)) = approved {
            let missing: Vec<&(usize, String, String)> = block
                .iter()
                .filter(|(_, k, v)| {
                    matches!(k.as_str(), "name" | "signature" | "signed") && blank(v)
                })
                .collect();
            if let Some((first, _, _)) = missing.first() {
                let what: Vec<&str> = missing
                    .iter()
                    .map(|(_, k, _)| if k == "name" { "name" } else { "signature" })
                    .collect();
                let len = doc.lines[*first].content().len();
                out.push(
                    Diagnostic::error(
                        "GN1306",
                        format!(
                            "a sign-off marked APPROVED has no {}",
                            what.join(" and no ")
                        ),
                    )
                    .at(cx.loc(*first, 0, len))
                    .claimed("APPROVED")
                    .computed(format!("blank {}", what.join(" and ")))
                    .note(format!("marked APPROVED on line {}", cx.line_no(*a))),
                );
            }
        }
        block.clear();
    };
    for (i, t) in readable(cx) {
        let sec = doc.section(i).or(if doc.lines[i].is_heading() {
            Some(i)
        } else {
            None
        });
        if sec != section || doc.lines[i].is_heading() {
            flush(&mut block, out);
            section = sec;
        }
        if doc.lines[i].is_heading() {
            continue;
        }
        if doc.lines[i].kind == (Kind::Para { lead: true }) {
            // A paragraph that leads a list starts a new block ("Additional
            // approvers (optional):").
            flush(&mut block, out);
        }
        let Some((k, v)) = key_value(&t) else {
            continue;
        };
        if block.is_empty() {
            keys.clear();
        }
        if keys.contains(&k) {
            flush(&mut block, out);
            keys.clear();
        }
        keys.insert(k.clone());
        block.push((i, k, v));
    }
    flush(&mut block, out);
}
