//! Numbers as people write them in readiness documents: durations ("30-45 minutes",
//! "3.5 hours"), counts of things ("25 checks", "50+ tests"), sizes ("6.4 KB"),
//! percentages ("90%+", "70-90%") and fractions ("16+/18", "12-16/18").

use regex::Regex;
use std::sync::LazyLock;

#[derive(Clone, Debug, PartialEq)]
pub enum Unit {
    Minutes,
    Kilobytes,
    /// A counted noun, singular and lower case: "check", "item".
    Count(String),
    /// A bare figure (a table cell), with its currency sign if it has one.
    Number(String),
}

impl Unit {
    pub fn show(&self, v: f64) -> String {
        match self {
            Unit::Minutes => show_minutes(v),
            Unit::Kilobytes => format!("{} KB", trim(v)),
            Unit::Number(cur) => format!("{cur}{}", trim(v)),
            Unit::Count(noun) => {
                let s = trim(v);
                if s == "1" {
                    format!("1 {noun}")
                } else {
                    format!("{s} {noun}s")
                }
            }
        }
    }
}

/// A written quantity, or range of quantities, in the unit's base (minutes, KB, count).
#[derive(Clone, Debug)]
pub struct Q {
    pub lo: f64,
    pub hi: f64,
    /// "50+": at least `lo`.
    pub open: bool,
    /// Half a unit of the last digit written (3.5 hours: 3 minutes); 0 for whole
    /// counts and whole minutes or hours, which people mean exactly.
    pub tol: f64,
    pub unit: Unit,
    /// Byte range in the scanned text.
    pub start: usize,
    pub end: usize,
}

impl Q {
    pub fn show(&self) -> String {
        let mut s = if self.lo == self.hi {
            self.unit.show(self.lo)
        } else {
            format!("{} to {}", self.unit.show(self.lo), self.unit.show(self.hi))
        };
        if self.open {
            s.push_str(" or more");
        }
        s
    }
}

pub fn trim(v: f64) -> String {
    crate::amount::fmt_num(v, 2)
}

pub fn show_minutes(m: f64) -> String {
    let m = (m * 100.0).round() / 100.0;
    if m < 60.0 {
        return format!("{} min", trim(m));
    }
    let h = (m / 60.0).floor();
    let rest = m - h * 60.0;
    if rest.abs() < 0.005 {
        format!("{} h", trim(h))
    } else {
        format!("{} h {} min", trim(h), trim(rest))
    }
}

/// Digits, a dot or a sign right before a number mean it is part of something else
/// (`T-60min`, `v1.10`, `#42`).
fn glued(text: &str, start: usize) -> bool {
    text[..start].chars().next_back().is_some_and(|c| {
        c.is_alphanumeric() || matches!(c, '.' | '-' | '+' | '/' | ':' | '#' | '$')
    })
}

fn decimals(s: &str) -> i32 {
    s.split_once('.').map_or(0, |(_, f)| f.len() as i32)
}

pub(super) fn half_ulp(s: &str) -> f64 {
    match decimals(s) {
        0 => 0.0,
        d => 0.5 * 10f64.powi(-d),
    }
}

pub(crate) fn num(s: &str) -> Option<f64> {
    s.replace(',', "").parse().ok()
}

static DURATION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)(?P<a>\d+(?:\.\d+)?)(?:\s*(?:-|–|to)\s*(?P<b>\d+(?:\.\d+)?))?(?P<plus>\+)?\s?(?P<u>minutes|minute|mins|min|hours|hour|hrs|hr|h|days|day)\b",
    )
    .expect("valid pattern")
});

fn minutes_per(unit: &str) -> f64 {
    match unit.to_ascii_lowercase().as_str() {
        "days" | "day" => 1440.0,
        u if u.starts_with('h') => 60.0,
        _ => 1.0,
    }
}

/// Every duration in `text`; "1 hour 30 minutes" is one.
pub fn durations(text: &str) -> Vec<Q> {
    let mut out: Vec<Q> = Vec::new();
    for c in DURATION.captures_iter(text) {
        let m = c.get(0).expect("match");
        if glued(text, m.start()) {
            continue;
        }
        let per = minutes_per(&c["u"]);
        let Some(a) = num(&c["a"]) else { continue };
        let b = c.name("b").and_then(|b| num(b.as_str())).unwrap_or(a);
        if b < a {
            continue;
        }
        let tol = half_ulp(&c["a"]).max(c.name("b").map_or(0.0, |b| half_ulp(b.as_str()))) * per;
        let q = Q {
            lo: a * per,
            hi: b * per,
            open: c.name("plus").is_some(),
            tol,
            unit: Unit::Minutes,
            start: m.start(),
            end: m.end(),
        };
        // 1 hour 30 minutes: one duration.
        if let Some(prev) = out.last_mut() {
            let between = text[prev.end..q.start].trim();
            if (between.is_empty() || between.eq_ignore_ascii_case("and"))
                && prev.lo == prev.hi
                && q.lo == q.hi
                && prev.lo >= 60.0
                && q.lo < 60.0
                && !prev.open
            {
                prev.lo += q.lo;
                prev.hi += q.hi;
                prev.end = q.end;
                prev.tol += q.tol;
                continue;
            }
        }
        out.push(q);
    }
    out
}

static COUNT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)(?P<a>\d{1,3}(?:,\d{3})+|\d+)(?:\s*-\s*(?P<b>\d+))?(?P<plus>\+)?\s+(?:[a-z][\w/'-]*\s+){0,3}?(?P<noun>checks?|items?|tests?|lines?|steps?|scenarios?|documents?|files?|cases?|tasks?|headers?)\b",
    )
    .expect("valid pattern")
});

/// Every count of a known noun in `text` ("25 checks", "2,018 total lines").
pub fn counts(text: &str) -> Vec<Q> {
    let mut out = Vec::new();
    for c in COUNT.captures_iter(text) {
        let m = c.get(0).expect("match");
        if glued(text, m.start()) {
            continue;
        }
        let Some(a) = num(&c["a"]) else { continue };
        let b = c.name("b").and_then(|b| num(b.as_str())).unwrap_or(a);
        let noun = c["noun"].to_ascii_lowercase();
        let noun = noun.strip_suffix('s').unwrap_or(&noun).to_string();
        out.push(Q {
            lo: a,
            hi: b,
            open: c.name("plus").is_some(),
            tol: 0.0,
            unit: Unit::Count(noun),
            start: m.start(),
            end: m.end(),
        });
    }
    out
}

static SIZE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?P<a>\d+(?:\.\d+)?)\s*(?P<u>KB|kB|MB)\b").expect("valid pattern")
});

/// Every size in KB or MB (1 MB = 1000 KB).
pub fn sizes(text: &str) -> Vec<Q> {
    let mut out = Vec::new();
    for c in SIZE.captures_iter(text) {
        let m = c.get(0).expect("match");
        if glued(text, m.start()) {
            continue;
        }
        let per = if &c["u"] == "MB" { 1000.0 } else { 1.0 };
        let Some(a) = num(&c["a"]) else { continue };
        out.push(Q {
            lo: a * per,
            hi: a * per,
            open: false,
            tol: half_ulp(&c["a"]) * per,
            unit: Unit::Kilobytes,
            start: m.start(),
            end: m.end(),
        });
    }
    out
}

/// The quantities of `text` in the same kind of unit as `like`.
pub fn of_unit(text: &str, like: &Unit) -> Vec<Q> {
    let all = match like {
        Unit::Minutes => durations(text),
        Unit::Kilobytes => sizes(text),
        Unit::Count(_) => counts(text),
        Unit::Number(_) => vec![],
    };
    all.into_iter().filter(|q| &q.unit == like).collect()
}

/// Words that make a duration an offset or a frequency: "1 hour before", "every 5 min".
pub fn offset(text: &str) -> bool {
    static OFFSET: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(
            r"(?i)\b(?:before|after|prior to|ago|every|per|later|until|each|if needed|optional|up to)\b|\bT\s*[-+]\s*\d",
        )
        .expect("valid pattern")
    });
    OFFSET.is_match(text)
}

/// The duration a parenthesis starts with: "(30-45 minutes)", "(1 hour) - 20 checks".
/// Offsets ("(1 hour before)", "(T-1 hour)") and frequencies ("(every 5 min)") are
/// not durations of the thing named.
pub fn paren_duration(text: &str) -> Option<Q> {
    let mut from = 0;
    while let Some(i) = text[from..].find('(').map(|i| i + from) {
        let close = text[i..].find(')').map(|j| i + j)?;
        let inner = &text[i + 1..close];
        if !offset(inner)
            && let Some(q) = durations(inner).into_iter().next()
            && inner[..q.start].trim().is_empty()
            && durations(&inner[q.end..]).is_empty()
        {
            return Some(Q {
                start: q.start + i + 1,
                end: q.end + i + 1,
                ..q
            });
        }
        from = close + 1;
    }
    None
}

#[derive(Clone, Debug)]
pub struct Pct {
    pub lo: f64,
    pub hi: f64,
    pub open: bool,
    /// Preceded by `<`, `>`, `~`: a bound or an estimate, not a value.
    pub bound: bool,
    pub decimals: i32,
    pub start: usize,
    pub end: usize,
}

static PERCENT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?P<a>\d+(?:\.\d+)?)(?:\s*(?:-|–)\s*(?P<b>\d+(?:\.\d+)?))?\s*%(?P<plus>\+)?")
        .expect("valid pattern")
});

pub fn percents(text: &str) -> Vec<Pct> {
    let mut out = Vec::new();
    for c in PERCENT.captures_iter(text) {
        let m = c.get(0).expect("match");
        if glued(text, m.start()) {
            continue;
        }
        let before = text[..m.start()].trim_end();
        let bound = before.ends_with(['<', '>', '~', '≤', '≥']);
        let Some(a) = num(&c["a"]) else { continue };
        let b = c.name("b").and_then(|b| num(b.as_str())).unwrap_or(a);
        out.push(Pct {
            lo: a,
            hi: b,
            open: c.name("plus").is_some(),
            bound,
            decimals: decimals(&c["a"]),
            start: m.start(),
            end: m.end(),
        });
    }
    out
}

#[derive(Clone, Debug)]
pub struct Frac {
    pub lo: f64,
    pub hi: f64,
    pub of: f64,
    pub open: bool,
    pub start: usize,
    pub end: usize,
}

static FRACTION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?P<a>\d+)(?:\s*-\s*(?P<b>\d+))?(?P<plus>\+)?(?:\s*/\s*|\s+(?:out\s+)?of\s+)(?P<n>\d+)",
    )
    .expect("valid pattern")
});

/// "16+/18", "12-16/18", "116/116"; not dates (12/25/2025), not "24/7".
pub fn fractions(text: &str) -> Vec<Frac> {
    let mut out = Vec::new();
    for c in FRACTION.captures_iter(text) {
        let m = c.get(0).expect("match");
        if glued(text, m.start()) {
            continue;
        }
        let after = &text[m.end()..];
        if after.starts_with(['/', '.', ','])
            && after[1..].starts_with(|c: char| c.is_ascii_digit())
            || after.starts_with('/')
        {
            continue;
        }
        let (Some(a), Some(n)) = (num(&c["a"]), num(&c["n"])) else {
            continue;
        };
        let b = c.name("b").and_then(|b| num(b.as_str())).unwrap_or(a);
        if n == 0.0 || b > n || b < a {
            continue;
        }
        out.push(Frac {
            lo: a,
            hi: b,
            of: n,
            open: c.name("plus").is_some(),
            start: m.start(),
            end: m.end(),
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mins(t: &str) -> Vec<(f64, f64, bool)> {
        durations(t).iter().map(|q| (q.lo, q.hi, q.open)).collect()
    }

    #[test]
    fn duration_forms() {
        assert_eq!(mins("(30-45 minutes)"), vec![(30.0, 45.0, false)]);
        assert_eq!(mins("over 3.5 hours"), vec![(210.0, 210.0, false)]);
        assert_eq!(mins("1 hour 30 minutes"), vec![(90.0, 90.0, false)]);
        assert_eq!(mins("(15 min, 2 hour, 24 hour)").len(), 3);
        assert_eq!(mins("20-40 hours"), vec![(1200.0, 2400.0, false)]);
        assert!(mins("Stage 3 - 24-Hour: 15 checks").is_empty());
        assert!(mins("T-60min: ready").is_empty());
        assert_eq!(durations("3.5 hours")[0].tol, 3.0);
    }

    #[test]
    fn count_forms() {
        let c = counts("Total: 58 go/no-go checklist items");
        assert_eq!((c[0].lo, &c[0].unit), (58.0, &Unit::Count("item".into())));
        let c = counts("**168+ individual validation steps**");
        assert!(c[0].open);
        assert_eq!(counts("2,018 total lines")[0].lo, 2018.0);
        assert_eq!(counts("(15 min) - 4 deployment checks")[0].lo, 4.0);
    }

    #[test]
    fn paren() {
        assert_eq!(
            paren_duration("Deployment Execution (2-3 Hours)")
                .unwrap()
                .hi,
            180.0
        );
        assert!(paren_duration("Pre-Deployment (1 Hour Before Go-Live)").is_none());
        assert!(paren_duration("Phase 1 (T-1 hour)").is_none());
        assert!(paren_duration("Deployment (6:00 AM - 6:30 AM)").is_none());
        assert_eq!(
            paren_duration("**Deploy** (15 min) - 4 checks").unwrap().lo,
            15.0
        );
    }

    #[test]
    fn ratios() {
        let f = fractions("(16+/18) and 24/7 and 12/25/2025 and 12-16/18");
        assert_eq!(f.len(), 2);
        assert!(f[0].open);
        assert_eq!((f[1].lo, f[1].hi, f[1].of), (12.0, 16.0, 18.0));
        let p = percents("90%+ of items, 70-90%, error <1%");
        assert!(p[0].open);
        assert_eq!((p[1].lo, p[1].hi), (70.0, 90.0));
        assert!(p[2].bound);
    }
}
