//! Dates written with a weekday in free text ("Monday, December 25, 2025",
//! "2025-11-03 (Monday)", "Mon 3 Nov 2025"), found by the narrative checks and by
//! `gonogo audit`.

use crate::when::parse_weekday;
use chrono::{NaiveDate, Weekday};
use regex::Regex;
use std::sync::LazyLock;

const DAY: &str = r"(?P<wd>(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*)\.?";
const MONTH: &str = r"(?P<mon>(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*)\.?";

static DATES: LazyLock<Vec<Regex>> = LazyLock::new(|| {
    [
        // Monday, December 25, 2025 · Monday, December 25 (the year may be left out)
        format!(
            r"(?i)\b{DAY},?\s+{MONTH}\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\b(?:,?\s+(?P<y>\d{{4}})\b)?"
        ),
        // Monday, 25 December 2025 · Mon 3 Nov 2025
        format!(
            r"(?i)\b{DAY},?\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\s+{MONTH}\b(?:,?\s+(?P<y>\d{{4}})\b)?"
        ),
        // Monday, 2025-12-25
        format!(r"(?i)\b{DAY},?\s+(?P<iso>\d{{4}}-\d{{2}}-\d{{2}})(?:\b|T)"),
        // 2025-11-03 (Monday)
        format!(r"(?i)\b(?P<iso>\d{{4}}-\d{{2}}-\d{{2}})\s*\(\s*{DAY}"),
        // December 25, 2025 (Thursday)
        format!(
            r"(?i)\b{MONTH}\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<y>\d{{4}})\s*\(\s*{DAY}"
        ),
        // 25 December 2025 (Thursday)
        format!(r"(?i)\b(?P<d>\d{{1,2}})\s+{MONTH},?\s+(?P<y>\d{{4}})\s*\(\s*{DAY}"),
        // Dec 17 (Monday) · 17 Dec (Monday): the year left out
        format!(r"(?i)\b{MONTH}\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\s*\(\s*{DAY}"),
        format!(r"(?i)\b(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\s+{MONTH}\s*\(\s*{DAY}"),
    ]
    .iter()
    .map(|p| Regex::new(p).expect("valid date pattern"))
    .collect()
});

/// A weekday stated next to a date.
#[derive(Debug, Clone, PartialEq)]
pub struct WeekdayClaim {
    /// Byte range of the whole mention in the text.
    pub start: usize,
    pub end: usize,
    pub weekday: Weekday,
    /// Month and day as written.
    pub month: u32,
    pub day: u32,
    /// The year, when written.
    pub year: Option<i32>,
}

impl WeekdayClaim {
    /// The date, in the written year or else in `year`.
    pub fn date(&self, year: Option<i32>) -> Option<NaiveDate> {
        NaiveDate::from_ymd_opt(self.year.or(year)?, self.month, self.day)
    }
}

/// Every weekday-and-date mention in `text`, in order, without overlaps. Words that
/// only look like weekdays or months ("Monitoring", "Mayor") are not read.
pub fn weekday_claims(text: &str) -> Vec<WeekdayClaim> {
    let mut out: Vec<WeekdayClaim> = Vec::new();
    // The spans taken so far, by start: they never overlap, so a new match overlaps
    // one only if it overlaps the last to start before it ends (linear, not a scan
    // of every claim per match).
    let mut taken: std::collections::BTreeMap<usize, usize> = Default::default();
    for re in DATES.iter() {
        for c in re.captures_iter(text) {
            let Some(weekday) = parse_weekday(&c["wd"]) else {
                continue;
            };
            let m = c.get(0).expect("whole match");
            let (year, month, day) = match c.name("iso") {
                Some(iso) => {
                    let Ok(d) = NaiveDate::parse_from_str(iso.as_str(), "%Y-%m-%d") else {
                        continue;
                    };
                    use chrono::Datelike;
                    (Some(d.year()), d.month(), d.day())
                }
                None => {
                    let Some(month) = month_number(&c["mon"]) else {
                        continue;
                    };
                    let Ok(day) = c["d"].parse() else { continue };
                    (
                        c.name("y").and_then(|y| y.as_str().parse().ok()),
                        month,
                        day,
                    )
                }
            };
            if taken
                .range(..m.end())
                .next_back()
                .is_some_and(|(_, end)| *end > m.start())
            {
                continue;
            }
            taken.insert(m.start(), m.end());
            out.push(WeekdayClaim {
                start: m.start(),
                end: m.end(),
                weekday,
                month,
                day,
                year,
            });
        }
    }
    out.sort_by_key(|c| c.start);
    out
}

/// `december`, `Dec`, `Sept.` → 12, 12, 9; anything else → None.
pub fn month_number(word: &str) -> Option<u32> {
    let w = word.trim_end_matches('.').to_ascii_lowercase();
    const FULL: [&str; 12] = [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ];
    FULL.iter()
        .position(|f| {
            w == *f || (w.len() == 3 && f.starts_with(&w)) || (w == "sept" && *f == "september")
        })
        .map(|i| i as u32 + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(text: &str) -> (Weekday, u32, u32, Option<i32>) {
        let c = weekday_claims(text);
        assert_eq!(c.len(), 1, "{text}: {c:?}");
        (c[0].weekday, c[0].month, c[0].day, c[0].year)
    }

    #[test]
    fn forms() {
        assert_eq!(
            one("Monday, December 25, 2025"),
            (Weekday::Mon, 12, 25, Some(2025))
        );
        assert_eq!(one("MONDAY, DECEMBER 25."), (Weekday::Mon, 12, 25, None));
        assert_eq!(
            one("on Mon 3 Nov 2025 at"),
            (Weekday::Mon, 11, 3, Some(2025))
        );
        assert_eq!(
            one("2025-11-03 (Monday - Deployment Day)"),
            (Weekday::Mon, 11, 3, Some(2025))
        );
        assert_eq!(
            one("Thursday, 2025-11-06"),
            (Weekday::Thu, 11, 6, Some(2025))
        );
        assert_eq!(
            one("December 25, 2025 (Thursday)"),
            (Weekday::Thu, 12, 25, Some(2025))
        );
        assert_eq!(
            one("3 November 2025 (Mon)"),
            (Weekday::Mon, 11, 3, Some(2025))
        );
    }

    #[test]
    fn not_dates() {
        for t in [
            "Monitoring December 25, 2025",
            "Mon-Wed: manual testing",
            "Monday 5:30 AM: checks",
            "Sunday, 2:00-6:00 AM UTC",
            "Mayday 3 2025",
        ] {
            assert!(weekday_claims(t).is_empty(), "{t}");
        }
    }
}
