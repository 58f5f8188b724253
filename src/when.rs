//! Dates, times and runbook offsets as written in data files.
//!
//! A date may carry the weekday the writer believes it falls on
//! (`Monday, 2025-12-25`): the weekday is a claim, checked by rule GN0401.

use chrono::{NaiveDate, NaiveDateTime, NaiveTime, Weekday};
use serde::Deserialize;
use serde::de::{self, Deserializer};
use std::fmt;

/// An ISO 8601 date, optionally with a time of day and a claimed weekday.
#[derive(Clone, Debug, PartialEq)]
pub struct When {
    pub date: NaiveDate,
    pub time: Option<NaiveTime>,
    pub weekday: Option<Weekday>,
}

impl When {
    pub fn parse(text: &str) -> Result<When, String> {
        let bad = || {
            format!(
                "expected an ISO 8601 date such as `2025-12-25`, `2025-12-25 06:00` or `Thursday, 2025-12-25`, found `{}`",
                text.trim()
            )
        };
        let mut rest = text.trim();
        let mut weekday = None;
        if let Some(first) = rest.split([',', ' ']).next()
            && first.chars().all(|c| c.is_ascii_alphabetic())
            && !first.is_empty()
        {
            weekday = Some(parse_weekday(first).ok_or_else(bad)?);
            rest = rest[first.len()..].trim_start_matches(',').trim();
        }
        let (date_s, time_s) = match rest.find(['T', ' ']) {
            Some(i) => (&rest[..i], Some(rest[i + 1..].trim())),
            None => (rest, None),
        };
        let date = NaiveDate::parse_from_str(date_s, "%Y-%m-%d").map_err(|_| bad())?;
        if !(1900..=9999).contains(&chrono::Datelike::year(&date)) {
            return Err(format!(
                "`{}` is not a plausible date (years 1900 to 9999)",
                text.trim()
            ));
        }
        let time = match time_s {
            Some(t) => Some(parse_clock(t).ok_or_else(bad)?),
            None => None,
        };
        Ok(When {
            date,
            time,
            weekday,
        })
    }

    pub fn naive(&self) -> NaiveDateTime {
        self.date.and_time(self.time.unwrap_or(NaiveTime::MIN))
    }
}

pub fn parse_weekday(s: &str) -> Option<Weekday> {
    let l = s.to_ascii_lowercase();
    let days = [
        ("monday", Weekday::Mon),
        ("tuesday", Weekday::Tue),
        ("wednesday", Weekday::Wed),
        ("thursday", Weekday::Thu),
        ("friday", Weekday::Fri),
        ("saturday", Weekday::Sat),
        ("sunday", Weekday::Sun),
    ];
    days.iter()
        .find(|(name, _)| l == *name || (l.len() == 3 && name.starts_with(&l)))
        .map(|(_, d)| *d)
}

pub fn weekday_name(d: Weekday) -> &'static str {
    match d {
        Weekday::Mon => "Monday",
        Weekday::Tue => "Tuesday",
        Weekday::Wed => "Wednesday",
        Weekday::Thu => "Thursday",
        Weekday::Fri => "Friday",
        Weekday::Sat => "Saturday",
        Weekday::Sun => "Sunday",
    }
}

/// `06:00`, `6:00`, `06:00:30`.
pub fn parse_clock(s: &str) -> Option<NaiveTime> {
    NaiveTime::parse_from_str(s, "%H:%M")
        .or_else(|_| NaiveTime::parse_from_str(s, "%H:%M:%S"))
        .ok()
}

impl fmt::Display for When {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.date.format("%Y-%m-%d"))?;
        if let Some(t) = self.time {
            write!(f, " {}", t.format("%H:%M"))?;
        }
        Ok(())
    }
}

impl<'de> Deserialize<'de> for When {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        When::parse(&s).map_err(de::Error::custom)
    }
}

impl schemars::JsonSchema for When {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "When".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "string",
            "description": "An ISO 8601 date (`YYYY-MM-DD`), optionally with a local time (`HH:MM`, in the release's time zone) after a space or `T`. A weekday written in front (`Thursday, 2025-12-25`, or `Thu`) is a claim, checked.",
            "examples": ["2025-12-25", "2025-12-25 06:00", "Thursday, 2025-12-25"],
        })
    }
}

/// Runbook offsets are bounded: a year either side of the deployment.
const MAX_OFFSET_SECS: f64 = 366.0 * 86400.0;

/// A point in a runbook: an offset from the deployment time (`T-60 min`, `T+0`,
/// `T+4h`) or a wall-clock time on the deployment day (`05:30`).
#[derive(Clone, Debug, PartialEq)]
pub enum At {
    /// Seconds relative to the deployment time.
    Offset(i64),
    Clock(NaiveTime),
}

impl At {
    pub fn parse(text: &str) -> Result<At, String> {
        let t = text.trim();
        let bad = || {
            format!(
                "expected an offset such as `T-60 min`, `T+0`, `T+4h`, or a time such as `05:30`, found `{t}`"
            )
        };
        if let Some(rest) = t.strip_prefix('T').or_else(|| t.strip_prefix('t')) {
            let rest = rest.trim();
            if rest.is_empty() || rest == "0" || rest == "+0" || rest == "-0" {
                return Ok(At::Offset(0));
            }
            let (sign, body) = match rest.as_bytes()[0] {
                b'+' => (1, &rest[1..]),
                b'-' => (-1, &rest[1..]),
                _ => return Err(bad()),
            };
            let body = body.trim();
            let amount = if body.chars().all(|c| c.is_ascii_digit()) {
                crate::amount::Amount::parse(&format!("{body} min"))
            } else {
                crate::amount::Amount::parse(body)
            }
            .map_err(|_| bad())?;
            if amount.dim != crate::amount::Dim::Time || amount.is_range() || amount.at_least {
                return Err(bad());
            }
            if body.starts_with(['-', '+']) {
                return Err(bad());
            }
            if amount.lo > MAX_OFFSET_SECS {
                return Err(format!("`{t}` is more than a year from the deployment"));
            }
            return Ok(At::Offset(sign * amount.lo.round() as i64));
        }
        parse_clock(t).map(At::Clock).ok_or_else(bad)
    }
}

/// Where runbook points sit in real time: seconds relative to the deployment.
#[derive(Clone, Copy, Debug)]
pub struct Timeline {
    pub date: Option<NaiveDate>,
    pub time: Option<NaiveTime>,
    pub tz: chrono_tz::Tz,
    /// Without a deployment time, offsets and clock times cannot be compared with
    /// each other: only the kind the runbook uses alone is resolved.
    pub offsets_only: bool,
    pub clocks_only: bool,
}

impl Timeline {
    /// Seconds of `at` from the deployment (real elapsed time, across daylight-saving
    /// changes); clock times lie within 12 hours of the deployment time. Without a
    /// deployment time, clock times count from midnight.
    pub fn secs(&self, at: &At) -> Option<i64> {
        match (at, self.date.zip(self.time)) {
            (At::Offset(s), Some(_)) => Some(*s),
            (At::Offset(s), None) => self.offsets_only.then_some(*s),
            (At::Clock(t), None) => self
                .clocks_only
                .then(|| chrono::Timelike::num_seconds_from_midnight(t) as i64),
            (At::Clock(t), Some((date, time))) => {
                let deploy = date.and_time(time);
                let local = self.clock_near(*t, deploy);
                let (a, b) = (self.utc(local)?, self.utc(deploy)?);
                Some((a - b).num_seconds())
            }
        }
    }

    /// Start and end of an interval in seconds from the deployment. Without a
    /// deployment time, a clock-time end before the start is on the next day.
    pub fn span(&self, start: &At, end: &At) -> Option<(i64, i64)> {
        let (s, mut e) = (self.secs(start)?, self.secs(end)?);
        if e < s && self.time.is_none() && matches!(end, At::Clock(_)) {
            e += 86400;
        }
        Some((s, e))
    }

    /// The local date-time of a clock time, the day within 12 hours of `deploy`.
    pub fn clock_near(&self, t: NaiveTime, deploy: NaiveDateTime) -> NaiveDateTime {
        let local = deploy.date().and_time(t);
        let diff = (local - deploy).num_seconds();
        let day = chrono::Duration::days(1);
        if diff < -12 * 3600 {
            local + day
        } else if diff > 12 * 3600 {
            local - day
        } else {
            local
        }
    }

    /// A local date-time as UTC; `None` when it does not exist (a daylight-saving gap).
    pub fn utc(&self, local: NaiveDateTime) -> Option<chrono::DateTime<chrono::Utc>> {
        use chrono::TimeZone;
        self.tz
            .from_local_datetime(&local)
            .earliest()
            .map(|z| z.with_timezone(&chrono::Utc))
    }
}

/// `T-60 min`, `T+0`, `T+1 h 30 min`.
pub fn fmt_offset(secs: i64) -> String {
    if secs == 0 {
        return "T+0".into();
    }
    let sign = if secs < 0 { '-' } else { '+' };
    let m = secs.abs() / 60;
    let body = match (m / 60, m % 60) {
        (0, m) => format!("{m} min"),
        (h, 0) => format!("{h} h"),
        (h, m) => format!("{h} h {m} min"),
    };
    format!("T{sign}{body}")
}

impl<'de> Deserialize<'de> for At {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        At::parse(&s).map_err(de::Error::custom)
    }
}

impl schemars::JsonSchema for At {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "At".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "string",
            "description": "A point in a runbook: an offset from the deployment time (`T-60 min`, `T+0`, `T+4h`, `T+1 h 30 min`; a bare number is minutes; within a year), or a clock time (`05:30`) within 12 hours of the deployment time. Quote clock times.",
            "examples": ["T-60 min", "T+0", "T+4h", "05:30"],
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_dates_with_weekday_claims() {
        let w = When::parse("Monday, 2025-12-25 06:00").unwrap();
        assert_eq!(w.weekday, Some(Weekday::Mon));
        assert_eq!(w.time, NaiveTime::from_hms_opt(6, 0, 0));
        assert!(When::parse("Mon 2025-11-03").is_ok());
        assert!(When::parse("December 25").is_err());
        assert!(When::parse("Funday 2025-11-03").is_err());
    }

    #[test]
    fn parses_offsets() {
        assert_eq!(At::parse("T-60 min").unwrap(), At::Offset(-3600));
        assert_eq!(At::parse("T+4h").unwrap(), At::Offset(14400));
        assert_eq!(At::parse("T+0").unwrap(), At::Offset(0));
        assert_eq!(At::parse("T+30").unwrap(), At::Offset(1800));
        assert!(At::parse("T+soon").is_err());
        assert!(At::parse("T+99999999999999999999 h").is_err());
        assert!(At::parse("T--5 h").is_err());
        assert!(At::parse("T+-400 d").is_err());
        assert_eq!(At::parse("T+1 h 30 min").unwrap(), At::Offset(5400));
        assert!(When::parse("+262142-12-31 23:00").is_err());
        assert_eq!(fmt_offset(-5400), "T-1 h 30 min");
    }
}
