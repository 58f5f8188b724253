//! Quantities as people write them: `58`, `2,018`, `50+`, `12-16`, `6.4 KB`,
//! `30-45 min`, `3.5 hours`, `90%`. Each keeps the precision the writer used, so a
//! claim is compared with the computed value at that precision ("70%" agrees with
//! 70.33 %, "76%" does not).

use serde::de::{self, Deserializer, Visitor};
use serde::{Deserialize, Serialize};
use std::fmt;

/// What a quantity measures; values of one dimension add up.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Dim {
    Count,
    Percent,
    /// Base unit: seconds.
    Time,
    /// Base unit: kilobytes.
    Size,
    /// Events per unit of time (`1,200 req/s`, `90 ops/min`). Base unit: per second.
    Rate,
}

/// A number, a range or a lower bound, with a unit, in base units.
#[derive(Clone, Debug, PartialEq)]
pub struct Amount {
    pub lo: f64,
    pub hi: f64,
    /// Written with a trailing `+`: "at least".
    pub at_least: bool,
    pub dim: Dim,
    /// The unit as the writer spelled it, normalised ("min", "h", "KB", "%", "checks").
    pub unit: String,
    /// Base units per unit of `unit`.
    pub factor: f64,
    /// The writer's precision in base units (the value of one step of the last digit).
    pub step: f64,
}

struct Unit {
    dim: Dim,
    name: String,
    factor: f64,
}

/// Largest number accepted in a quantity: far beyond any real count or duration, small
/// enough that sums and conversions stay exact and never overflow.
const MAX_VALUE: f64 = 1e12;

/// `1 h 30 min`, `1h30m`, `2 d 4 h`: several time parts, added.
fn compound_duration(t: &str) -> Option<Amount> {
    let mut parts: Vec<(String, String)> = vec![];
    let mut chars = t.chars().peekable();
    while chars.peek().is_some() {
        while chars.peek().is_some_and(|c| c.is_whitespace()) {
            chars.next();
        }
        let num: String =
            std::iter::from_fn(|| chars.next_if(|c| c.is_ascii_digit() || *c == '.')).collect();
        while chars.peek().is_some_and(|c| c.is_whitespace()) {
            chars.next();
        }
        let unit: String = std::iter::from_fn(|| chars.next_if(|c| c.is_alphabetic())).collect();
        if num.is_empty() || unit.is_empty() {
            return None;
        }
        parts.push((num, unit));
    }
    if parts.len() < 2 {
        return None;
    }
    let mut total = 0.0;
    let mut step = f64::MAX;
    let mut smallest: Option<Unit> = None;
    for (num, unit) in &parts {
        let (v, d) = parse_number(num)?;
        let u = unit_of(unit).filter(|u| u.dim == Dim::Time)?;
        total += v * u.factor;
        step = step.min(10f64.powi(-(d as i32)) * u.factor);
        if smallest.as_ref().is_none_or(|s| u.factor < s.factor) {
            smallest = Some(u);
        }
    }
    let u = smallest?;
    Some(Amount {
        lo: total,
        hi: total,
        at_least: false,
        dim: Dim::Time,
        unit: u.name,
        factor: u.factor,
        step,
    })
}

/// `3 h 15 min - 4 h 30 min`, `45 min – 1 h 15 min`: a range of times whose ends are
/// written with several parts (a plain `30-45 min` is read by the simple form).
fn compound_range(t: &str) -> Option<Amount> {
    let (lo, hi) = t
        .split_once(" - ")
        .or_else(|| t.split_once(" – "))
        .or_else(|| t.split_once('–'))?;
    let (lo, hi) = (lo.trim(), hi.trim());
    if compound_duration(lo).is_none() && compound_duration(hi).is_none() {
        return None;
    }
    let end = |s: &str| {
        Amount::parse_unchecked(s)
            .ok()
            .filter(|a| a.dim == Dim::Time && !a.is_range() && !a.at_least)
    };
    let (lo, hi) = (end(lo)?, end(hi)?);
    if hi.lo < lo.lo {
        return None;
    }
    let finer = if lo.factor <= hi.factor { &lo } else { &hi };
    Some(Amount {
        lo: lo.lo,
        hi: hi.hi,
        at_least: false,
        dim: Dim::Time,
        unit: finer.unit.clone(),
        factor: finer.factor,
        step: lo.step.min(hi.step),
    })
}

fn unit_of(word: &str) -> Option<Unit> {
    let w = word.to_ascii_lowercase();
    let (dim, name, factor) = match w.as_str() {
        "us" | "µs" | "μs" | "microsecond" | "microseconds" => (Dim::Time, "µs", 0.000_001),
        "ms" | "msec" | "millisecond" | "milliseconds" => (Dim::Time, "ms", 0.001),
        "s" | "sec" | "secs" | "second" | "seconds" => (Dim::Time, "s", 1.0),
        "m" | "min" | "mins" | "minute" | "minutes" => (Dim::Time, "min", 60.0),
        "h" | "hr" | "hrs" | "hour" | "hours" => (Dim::Time, "h", 3600.0),
        "d" | "day" | "days" => (Dim::Time, "d", 86400.0),
        "b" | "bytes" => (Dim::Size, "B", 1.0 / 1024.0),
        "kb" | "kib" => (Dim::Size, "KB", 1.0),
        "mb" | "mib" => (Dim::Size, "MB", 1024.0),
        "gb" | "gib" => (Dim::Size, "GB", 1024.0 * 1024.0),
        "%" | "percent" => (Dim::Percent, "%", 1.0),
        _ => return rate_unit(&w),
    };
    Some(Unit {
        dim,
        name: name.to_string(),
        factor,
    })
}

/// A rate: `req/s`, `ops/min`, `/s`, `requests per second`, `rps`, `qps`, `tps`.
/// The noun is kept (`req/s` and `ops/s` are not compared), normalised so that
/// `rps`, `req/s` and `requests/sec` are one unit.
fn rate_unit(w: &str) -> Option<Unit> {
    let (noun, per) = match w {
        "rps" => ("req", "s"),
        "qps" => ("queries", "s"),
        "tps" => ("tx", "s"),
        "ops" => return None,
        _ => w
            .split_once('/')
            .or_else(|| w.split_once(" per "))
            .map(|(n, p)| (n.trim(), p.trim()))?,
    };
    let noun = match noun {
        "req" | "reqs" | "request" | "requests" => "req",
        "op" | "ops" | "operation" | "operations" => "ops",
        "query" | "queries" => "queries",
        "tx" | "txn" | "txns" | "transaction" | "transactions" => "tx",
        n if n.chars().all(|c| c.is_alphabetic() || c == '-') => n,
        _ => return None,
    };
    let time = unit_of(per).filter(|u| u.dim == Dim::Time)?;
    Some(Unit {
        dim: Dim::Rate,
        name: format!("{noun}/{}", time.name),
        factor: 1.0 / time.factor,
    })
}

/// Parses one number as written, returning the value and its number of decimals.
fn parse_number(s: &str) -> Option<(f64, u32)> {
    let s = s.trim();
    if s.is_empty() {
        return None;
    }
    let plain: String = s.chars().filter(|c| *c != ',' && *c != '_').collect();
    // A thousands separator must sit between digit groups of three.
    if s.contains(',') {
        let int_part = s.split('.').next().unwrap_or("");
        let groups: Vec<&str> = int_part.split(',').collect();
        if groups.iter().skip(1).any(|g| g.len() != 3) || groups[0].is_empty() {
            return None;
        }
    }
    if !plain
        .chars()
        .all(|c| c.is_ascii_digit() || c == '.' || c == '-')
    {
        return None;
    }
    let value: f64 = plain.parse().ok()?;
    let decimals = plain
        .split_once('.')
        .map(|(_, d)| d.len() as u32)
        .unwrap_or(0);
    Some((value, decimals))
}

impl Amount {
    /// Parses a quantity as written.
    pub fn parse(text: &str) -> Result<Amount, String> {
        let a = Self::parse_unchecked(text)?;
        if a.lo < 0.0 {
            return Err(format!(
                "a quantity cannot be negative, found `{}`",
                text.trim()
            ));
        }
        if a.hi / a.factor > MAX_VALUE {
            return Err(format!("`{}` is too large to be a quantity", text.trim()));
        }
        Ok(a)
    }

    fn parse_unchecked(text: &str) -> Result<Amount, String> {
        let t = text.trim();
        let bad = || {
            format!(
                "expected a quantity such as `58`, `50+`, `12-16`, `6.4 KB`, `30-45 min`, `1 h 30 min` or `90%`, found `{t}`"
            )
        };
        if let Some(a) = compound_duration(t).or_else(|| compound_range(t)) {
            return Ok(a);
        }
        // Split into the numeric part and the unit word.
        let split = t
            .char_indices()
            .find(|(_, c)| c.is_alphabetic() || matches!(c, '%' | '/'))
            .map(|(i, _)| i)
            .unwrap_or(t.len());
        let (num, unit_word) = (t[..split].trim(), t[split..].trim());
        // "16+" and "90%+" both mean "at least".
        let (unit_word, unit_plus) = match unit_word.strip_suffix('+') {
            Some(u) => (u.trim(), true),
            None => (unit_word, false),
        };
        let (num, at_least) = match num.strip_suffix('+') {
            Some(n) => (n.trim(), true),
            None => (num, unit_plus),
        };
        let (lo_s, hi_s) = match num.find('-').filter(|i| *i > 0) {
            Some(i) => (&num[..i], Some(&num[i + 1..])),
            None => (num, None),
        };
        let (lo, dlo) = parse_number(lo_s).ok_or_else(bad)?;
        let (hi, dhi) = match hi_s {
            Some(h) => parse_number(h).ok_or_else(bad)?,
            None => (lo, dlo),
        };
        if hi < lo || (at_least && hi_s.is_some()) {
            return Err(bad());
        }
        let unit = if unit_word.is_empty() {
            Unit {
                dim: Dim::Count,
                name: String::new(),
                factor: 1.0,
            }
        } else if let Some(u) = unit_of(unit_word) {
            u
        } else if unit_word
            .chars()
            .all(|c| c.is_alphabetic() || c == ' ' || c == '-')
        {
            // A counted noun: "checks", "items", "lines", "tests".
            return Ok(Amount {
                lo,
                hi,
                at_least,
                dim: Dim::Count,
                unit: unit_word.to_string(),
                factor: 1.0,
                step: 10f64.powi(-(dlo.max(dhi) as i32)),
            });
        } else {
            return Err(bad());
        };
        let step = 10f64.powi(-(dlo.max(dhi) as i32)) * unit.factor;
        Ok(Amount {
            lo: lo * unit.factor,
            hi: hi * unit.factor,
            at_least,
            dim: unit.dim,
            unit: unit.name,
            factor: unit.factor,
            step,
        })
    }

    pub fn exact(value: f64, dim: Dim) -> Amount {
        let (unit, factor) = match dim {
            Dim::Count => ("", 1.0),
            Dim::Percent => ("%", 1.0),
            Dim::Time => ("min", 60.0),
            Dim::Size => ("KB", 1.0),
            Dim::Rate => ("/s", 1.0),
        };
        Amount {
            lo: value,
            hi: value,
            at_least: false,
            dim,
            unit: unit.into(),
            factor,
            step: 0.0,
        }
    }

    pub fn is_range(&self) -> bool {
        self.hi > self.lo
    }

    /// Adds another amount of the same dimension (ranges add as ranges).
    pub fn add(&self, other: &Amount) -> Amount {
        Amount {
            lo: self.lo + other.lo,
            hi: self.hi + other.hi,
            at_least: self.at_least || other.at_least,
            ..self.clone()
        }
    }

    /// Whether this amount, written by a person, agrees with `computed` at the
    /// precision the person used. A written `100%` or `0%` must be exact.
    pub fn agrees_with(&self, computed: &Amount) -> bool {
        let tol = self.step / 2.0 * (1.0 + 1e-9) + 1e-9;
        let tol_for = |v: f64| {
            if self.dim == Dim::Percent && (v == 100.0 || v == 0.0) {
                1e-9
            } else {
                tol
            }
        };
        if self.at_least {
            // "100+" over parts that add to "60+": the total may well be 100 or more.
            return computed.at_least || computed.lo + tol_for(self.lo) >= self.lo;
        }
        if computed.at_least {
            return self.hi + tol_for(self.hi) >= computed.lo;
        }
        // The ends of a stated range of time or size are bounds, not figures with a
        // precision: "3-4 h" holds parts of 3 h 15 min - 3 h 45 min, not 3 h 15 min -
        // 4 h 30 min. Precision belongs to a single figure.
        if self.lo < self.hi && matches!(self.dim, Dim::Time | Dim::Size) {
            let eps = 1e-9 * self.hi.abs().max(1.0);
            return computed.lo >= self.lo - eps && computed.hi <= self.hi + eps;
        }
        // A percentage written cut off at its last digit, as gonogo itself writes a
        // rate (`11/12 (91.6%)`), agrees too; 0 % and 100 % are still exact.
        let cut_off = self.dim == Dim::Percent
            && self.lo == self.hi
            && computed.lo == computed.hi
            && self.lo != 0.0
            && self.lo != 100.0
            && computed.lo >= self.lo - 1e-9
            && computed.lo < self.lo + self.step - 1e-9;
        cut_off
            || ((self.lo - computed.lo).abs() <= tol_for(self.lo)
                && (self.hi - computed.hi).abs() <= tol_for(self.hi))
    }

    /// The value of `computed`, written in this amount's unit with one more decimal
    /// than the writer used (at least two), trailing zeros trimmed.
    pub fn render_like(&self, computed: &Amount) -> String {
        // At least two decimals (trailing zeros trimmed): 9.25 h, not 9.2 h.
        let decimals = if self.step > 0.0 {
            (((self.factor / self.step).log10().round() as i32).max(0) as usize + 1).max(2)
        } else {
            2
        };
        let one = |v: f64| fmt_num(v / self.factor, decimals);
        let mut s = one(computed.lo);
        if computed.hi > computed.lo {
            s = format!("{s}-{}", one(computed.hi));
        }
        join_unit_plus(&s, &self.unit, computed.at_least)
    }
}

/// "50+ jobs", but "90%+" as people write it.
fn join_unit_plus(num: &str, unit: &str, plus: bool) -> String {
    match (plus, unit) {
        (false, _) => join_unit(num, unit),
        (true, "%") => format!("{num}%+"),
        (true, _) => join_unit(&format!("{num}+"), unit),
    }
}

fn join_unit(num: &str, unit: &str) -> String {
    match unit {
        "" => num.to_string(),
        "%" => format!("{num}%"),
        u if u.starts_with('/') => format!("{num}{u}"),
        u => format!("{num} {u}"),
    }
}

/// `done` of `total` in percent, as every page, message and `facts.json` shows a rate
/// or share: one decimal, rounded down, so a rate never shows more than it is (1,999 of
/// 2,000 is 99.9 %, never 100 %); 100 % means all, 0 % means none: a share above 0
/// shows its first significant digit (1 of 20,000,000 is 0.000005 %). Computed on the
/// integers, so no floating-point rounding creeps in. `None` when `total` is 0.
pub fn fmt_rate(done: u64, total: u64) -> Option<String> {
    if total == 0 {
        return None;
    }
    let (done, total) = (u128::from(done), u128::from(total));
    for decimals in 1..=21u32 {
        let scaled = done * 100 * 10u128.pow(decimals) / total;
        if scaled > 0 || done == 0 || decimals == 21 {
            let int = scaled / 10u128.pow(decimals);
            let frac = scaled % 10u128.pow(decimals);
            let mut frac = format!("{frac:0width$}", width = decimals as usize);
            while frac.ends_with('0') {
                frac.pop();
            }
            return Some(if frac.is_empty() {
                format!("{int}%")
            } else {
                format!("{int}.{frac}%")
            });
        }
    }
    None
}

/// Formats a number with at most `decimals` decimals, trimming trailing zeros, with
/// thousands separators (`2,237`).
pub fn fmt_num(v: f64, decimals: usize) -> String {
    let s = format!("{v:.decimals$}");
    let s = if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    };
    if s == "-0" {
        return "0".into();
    }
    let (sign, rest) = s
        .strip_prefix('-')
        .map(|r| ("-", r))
        .unwrap_or(("", s.as_str()));
    let (int, frac) = rest
        .split_once('.')
        .map(|(i, f)| (i, Some(f)))
        .unwrap_or((rest, None));
    let mut grouped = String::new();
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    match frac {
        Some(f) => format!("{sign}{grouped}.{f}"),
        None => format!("{sign}{grouped}"),
    }
}

/// Human form of a duration in seconds: "45 min", "3 h 45 min", "2 d".
pub fn fmt_duration(secs: f64) -> String {
    let mins = (secs / 60.0).round() as i64;
    if secs > 0.0 && secs < 60.0 {
        return format!("{} s", fmt_num(secs, 2));
    }
    let (h, m) = (mins / 60, mins % 60);
    match (h, m) {
        (0, m) => format!("{m} min"),
        (h, 0) => format!("{h} h"),
        (h, m) => format!("{h} h {m} min"),
    }
}

impl fmt::Display for Amount {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.dim == Dim::Time && self.step == 0.0 {
            let mut s = fmt_duration(self.lo);
            if self.is_range() {
                s = format!("{s} – {}", fmt_duration(self.hi));
            }
            if self.at_least {
                s.push('+');
            }
            return f.write_str(&s);
        }
        let decimals = if self.step > 0.0 {
            ((self.factor / self.step).log10().round() as i32).max(0) as usize
        } else {
            2
        };
        let one = |v: f64| fmt_num(v / self.factor, decimals);
        let mut s = one(self.lo);
        if self.is_range() {
            s = format!("{s}-{}", one(self.hi));
        }
        f.write_str(&join_unit_plus(&s, &self.unit, self.at_least))
    }
}

impl Serialize for Amount {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.to_string())
    }
}

impl<'de> Deserialize<'de> for Amount {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = Amount;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a quantity such as `58`, `50+`, `12-16`, `6.4 KB` or `30-45 min`")
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Amount, E> {
                Amount::parse(&v.to_string()).map_err(E::custom)
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Amount, E> {
                Amount::parse(&v.to_string()).map_err(E::custom)
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Amount, E> {
                Amount::parse(&v.to_string()).map_err(E::custom)
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Amount, E> {
                Amount::parse(v).map_err(E::custom)
            }
        }
        d.deserialize_any(V)
    }
}

impl schemars::JsonSchema for Amount {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Amount".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": ["string", "number"],
            "description": "A quantity as written, kept at its precision: a number (`58`, `2,018`, `3.5`), an at-least number (`50+`), or a range (`12-16`), optionally with a unit: time (`ms`, `s`, `min`, `h`, `d`, or words such as `hours`), size (`B`, `KB`, `MB`, `GB`; binary, as `ls -lh` counts: 1 KB = 1,024 bytes, and `KiB`, `MiB`, `GiB` the same), `%`, a rate (`1,200 req/s`, `90 ops/min`, `/s`, `rps`; a rate of one noun is not compared with another's), or a counted noun (`25 checks`). Time parts add up: `1 h 30 min`, and a range of them is written `3 h 15 min - 4 h 30 min`. Never negative.",
            "minimum": 0,
            "examples": ["58", "2,018", "50+", "12-16", "6.4 KB", "30-45 min", "1 h 30 min", "90%"],
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn a(s: &str) -> Amount {
        Amount::parse(s).unwrap()
    }

    #[test]
    fn parses_the_forms_people_write() {
        assert_eq!(a("2,018").lo, 2018.0);
        assert!(a("50+").at_least);
        assert_eq!((a("12-16").lo, a("12-16").hi), (12.0, 16.0));
        assert_eq!(a("30-45 min").hi, 2700.0);
        assert_eq!(a("3.5 hours").lo, 12600.0);
        assert_eq!(a("6.4 KB").dim, Dim::Size);
        assert_eq!(a("90%").dim, Dim::Percent);
        for (text, per_second, shown) in [
            ("1,200 req/s", 1200.0, "1,200 req/s"),
            ("1200 rps", 1200.0, "1,200 req/s"),
            ("90 requests per minute", 1.5, "90 req/min"),
            ("30/min", 0.5, "30/min"),
            ("2.5 ops/ms", 2500.0, "2.5 ops/ms"),
        ] {
            let r = a(text);
            assert_eq!(r.dim, Dim::Rate, "{text}");
            assert!((r.lo - per_second).abs() < 1e-9, "{text}: {}", r.lo);
            assert_eq!(r.to_string(), shown);
        }
        let r = a("3 h 15 min - 4 h 30 min");
        assert_eq!((r.dim, r.lo, r.hi), (Dim::Time, 11_700.0, 16_200.0));
        assert_eq!(a("45 min – 1 h 15 min").hi, 4_500.0);
        assert!(Amount::parse("4 h 30 min - 3 h").is_err());
        assert!(Amount::parse("3/4").is_err());
        assert_eq!(a("25 checks").unit, "checks");
        assert!(Amount::parse("1,00").is_err());
        assert!(Amount::parse("ten").is_err());
        assert_eq!(a("3 h 45 min").lo, 13500.0);
        assert_eq!(a("1h30m").lo, 5400.0);
        assert!(Amount::parse("1 h 30 checks").is_err());
        assert!(Amount::parse("-5").is_err());
        assert!(a("90%+").at_least);
        assert!(Amount::parse("99999999999999999999 h").is_err());
    }

    #[test]
    fn compares_at_the_writers_precision() {
        let computed = Amount::exact(70.333, Dim::Percent);
        assert!(a("70%").agrees_with(&computed));
        assert!(!a("76%").agrees_with(&computed));
        assert!(!a("100%").agrees_with(&Amount::exact(99.6, Dim::Percent)));
        // Cut off at the last digit, as gonogo writes a rate, or rounded: both agree.
        let eleven_twelfths = Amount::exact(1100.0 / 12.0, Dim::Percent);
        assert!(a("91.6%").agrees_with(&eleven_twelfths));
        assert!(a("91.7%").agrees_with(&eleven_twelfths));
        assert!(!a("91.5%").agrees_with(&eleven_twelfths));
        assert!(!a("91.8%").agrees_with(&eleven_twelfths));
        assert!(!a("0%").agrees_with(&Amount::exact(0.04, Dim::Percent)));
        assert!(a("99%").agrees_with(&Amount::exact(99.999, Dim::Percent)));
        // 2.25-2.5 h is "2-3 hours" at whole hours; 3.75 h is not "3.5 hours".
        let r = a("2 h").add(&a("15 min")).add(&a("0-15 min"));
        assert!(a("2-3 hours").agrees_with(&r));
        assert!(!a("3.5 hours").agrees_with(&a("225 min")));
        assert!(!a("20-40 hours").agrees_with(&a("17.5-27.5 h")));
        assert!(a("50+").agrees_with(&a("60")));
        assert!(a("168+").agrees_with(&a("58").add(&a("50+")).add(&a("60+"))));
        assert!(a("100+").agrees_with(&a("60+")));
        assert!(a("3.8 h").agrees_with(&a("3 h 45 min")));
        assert!(!a("20").agrees_with(&a("22")));
    }

    #[test]
    fn formats_like_people_write() {
        assert_eq!(fmt_num(2237.0, 0), "2,237");
        assert_eq!(fmt_num(-1234567.5, 1), "-1,234,567.5");
        assert_eq!(fmt_num(70.333, 1), "70.3");
        assert_eq!(a("2,018 lines").to_string(), "2,018 lines");
    }
}

#[cfg(test)]
mod rate_tests {
    use super::fmt_rate;

    #[test]
    fn a_rate_is_never_more_than_it_is() {
        assert_eq!(fmt_rate(1999, 2000).unwrap(), "99.9%");
        assert_eq!(fmt_rate(19_999_999, 20_000_000).unwrap(), "99.9%");
        assert_eq!(fmt_rate(2000, 2000).unwrap(), "100%");
        assert_eq!(fmt_rate(16, 18).unwrap(), "88.8%");
        assert_eq!(fmt_rate(1, 3).unwrap(), "33.3%");
        assert_eq!(fmt_rate(0, 7).unwrap(), "0%");
        assert_eq!(fmt_rate(1, 20_000_000).unwrap(), "0.000005%");
        assert_eq!(fmt_rate(1, 2000).unwrap(), "0.05%");
        assert_eq!(fmt_rate(u64::MAX - 1, u64::MAX).unwrap(), "99.9%");
        assert_eq!(fmt_rate(1, u64::MAX).unwrap(), "0.000000000000000005%");
        assert_eq!(fmt_rate(3, 0), None);
    }
}
