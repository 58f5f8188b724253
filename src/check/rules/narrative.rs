//! GN1002 narrative-weekday, GN1003 narrative-count, GN1004 narrative-percentage:
//! numbers typed by hand in narrative Markdown, checked where the text says what
//! they are about. Code, block quotes and `{{ expressions }}` are not read.

use crate::amount::{Amount, Dim, fmt_num};
use crate::check::Ctx;
use crate::diag::Diagnostic;
use crate::facts::{
    Count, approval_count, long_date, metric_actual, metric_result, pass_rate, standing,
    test_totals,
};
use crate::model::ScenarioResult;
use crate::prose::{Prose, Run};
use crate::when::{parse_weekday, weekday_name};
use chrono::{Datelike, NaiveDate};
use regex::Regex;
use std::sync::LazyLock;

const DAY: &str = r"(?P<wd>(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*)\.?";
const MONTH: &str = r"(?P<mon>(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*)\.?";

static DATES: LazyLock<Vec<Regex>> = LazyLock::new(|| {
    [
        // Monday, December 25, 2025
        format!(r"(?i)\b{DAY},?\s+{MONTH}\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<y>\d{{4}})\b"),
        // Monday, 25 December 2025 · Mon 3 Nov 2025
        format!(r"(?i)\b{DAY},?\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\s+{MONTH},?\s+(?P<y>\d{{4}})\b"),
        // Monday, 2025-12-25
        format!(r"(?i)\b{DAY},?\s+(?P<iso>\d{{4}}-\d{{2}}-\d{{2}})\b"),
        // 2025-11-03 (Monday)
        format!(r"(?i)\b(?P<iso>\d{{4}}-\d{{2}}-\d{{2}})\s*\(\s*{DAY}"),
    ]
    .iter()
    .map(|p| Regex::new(p).expect("valid date pattern"))
    .collect()
});

static FRACTION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)\b(?P<n>\d[\d,]*)(?P<plus>\+)?\s*(?:/|out\s+of|of)\s*(?P<m>\d[\d,]*)\s+(?P<mods>(?:[a-z-]+\s+){0,2}?)(?P<noun>tests?|scenarios?|approvals?|sign-?offs?|items?)\b(?P<after>(?:\s+[a-z]+){0,2})",
    )
    .expect("valid fraction pattern")
});

static PASS_RATE: LazyLock<Vec<Regex>> = LazyLock::new(|| {
    [
        r"(?i)\bpass(?:ing)?\s+rate\b[^%\d.]{0,20}?(?P<p>\d+(?:\.\d+)?)\s*%",
        r"(?i)(?P<p>\d+(?:\.\d+)?)\s*%\s+pass(?:ing)?\s+rate\b",
    ]
    .iter()
    .map(|p| Regex::new(p).expect("valid rate pattern"))
    .collect()
});

static BETTER: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)(?P<p>\d+(?:\.\d+)?)\s*%\s+better").expect("valid pattern"));

pub fn check(cx: &Ctx, out: &mut Vec<Diagnostic>) {
    for prose in crate::prose::of(cx.r, cx.sources) {
        for run in crate::prose::runs(prose.body) {
            weekdays(cx, &prose, &run, out);
            fractions(cx, &prose, &run, out);
            percentages(cx, &prose, &run, out);
        }
    }
}

fn at(cx: &Ctx, prose: &Prose, run: &Run, start: usize, end: usize) -> crate::diag::Loc {
    let s = run.source(start);
    prose.locate(cx.sources, s, end.saturating_sub(start))
}

fn weekdays(cx: &Ctx, prose: &Prose, run: &Run, out: &mut Vec<Diagnostic>) {
    for re in DATES.iter() {
        for c in re.captures_iter(&run.text) {
            let Some(wd) = parse_weekday(&c["wd"]) else {
                continue;
            };
            let date = match c.name("iso") {
                Some(iso) => NaiveDate::parse_from_str(iso.as_str(), "%Y-%m-%d").ok(),
                None => month_number(&c["mon"]).and_then(|m| {
                    NaiveDate::from_ymd_opt(c["y"].parse().ok()?, m, c["d"].parse().ok()?)
                }),
            };
            let Some(date) = date else { continue };
            if date.weekday() != wd {
                let m = c.get(0).expect("whole match");
                out.push(
                    Diagnostic::error(
                        "GN1002",
                        format!("the narrative calls {} a {}", date, weekday_name(wd)),
                    )
                    .at(at(cx, prose, run, m.start(), m.end()))
                    .claimed(m.as_str().trim())
                    .computed(long_date(date)),
                );
            }
        }
    }
}

fn month_number(word: &str) -> Option<u32> {
    let w = word.to_ascii_lowercase();
    let months = [
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
    ];
    let full = [
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
    (0..12)
        .find(|i| w == months[*i] || w == full[*i] || (w == "sept" && *i == 8))
        .map(|i| i as u32 + 1)
}

fn number(s: &str) -> Option<u64> {
    s.replace(',', "").parse().ok()
}

fn fractions(cx: &Ctx, prose: &Prose, run: &Run, out: &mut Vec<Diagnostic>) {
    let r = cx.r;
    for c in FRACTION.captures_iter(&run.text) {
        let (Some(n), Some(m)) = (number(&c["n"]), number(&c["m"])) else {
            continue;
        };
        let mods = c["mods"].to_ascii_lowercase();
        let after = c["after"].to_ascii_lowercase();
        let noun = c["noun"].to_ascii_lowercase();
        let negative = |words: &[&str]| words.iter().any(|w| after.contains(w) || mods.contains(w));
        // What the fraction counts, from the words around it, and the data it is about.
        let (what, count): (String, Option<Count>) =
            if noun.starts_with("test") && !mods.contains("manual") {
                let Some(_) = &r.tests else { continue };
                let t = test_totals(r);
                if negative(&["fail"]) {
                    (
                        "failing tests".into(),
                        Some(Count {
                            done: t.failed + t.errored,
                            total: t.total,
                        }),
                    )
                } else if negative(&["skip"]) {
                    (
                        "skipped tests".into(),
                        Some(Count {
                            done: t.skipped,
                            total: t.total,
                        }),
                    )
                } else {
                    (
                        "passing tests".into(),
                        Some(Count {
                            done: t.passed,
                            total: t.total,
                        }),
                    )
                }
            } else if noun.starts_with("scenario")
                || (noun.starts_with("test") && mods.contains("manual"))
            {
                let Some(m) = r.tests.as_ref().and_then(|t| t.v.manual.as_ref()) else {
                    continue;
                };
                let passed = m
                    .scenarios
                    .iter()
                    .filter(|s| s.result == ScenarioResult::Pass)
                    .count() as u64;
                let total = m.scenarios.len() as u64;
                if negative(&["fail"]) {
                    (
                        "failing scenarios".into(),
                        Some(Count {
                            done: total - passed,
                            total,
                        }),
                    )
                } else {
                    (
                        "passing scenarios".into(),
                        Some(Count {
                            done: passed,
                            total,
                        }),
                    )
                }
            } else if noun.starts_with("approval") || noun.starts_with("sign") {
                let Some(a) = &r.approvals else { continue };
                let k = approval_count(&a.v);
                if negative(&["pending", "missing", "outstanding", "awaiting"]) {
                    (
                        "pending approvals".into(),
                        Some(Count {
                            done: k.total - k.done,
                            total: k.total,
                        }),
                    )
                } else {
                    ("approvals given".into(), Some(k))
                }
            } else {
                let t = standing(r).tallies;
                let (label, k) = if mods.contains("critical") {
                    ("critical items", t.critical)
                } else if mods.contains("high") {
                    ("high-priority items", t.high)
                } else if mods.contains("recommended") {
                    ("recommended items", t.recommended)
                } else {
                    ("items", t.all())
                };
                if k.total == 0 {
                    continue;
                }
                if negative(&[
                    "open",
                    "pending",
                    "missing",
                    "outstanding",
                    "remaining",
                    "not",
                ]) {
                    (
                        format!("open {label}"),
                        Some(Count {
                            done: k.total - k.done,
                            total: k.total,
                        }),
                    )
                } else {
                    (format!("{label} done"), Some(k))
                }
            };
        let Some(k) = count else { continue };
        let plus = c.name("plus").is_some();
        let n_ok = if plus { k.done >= n } else { k.done == n };
        if !(n_ok && k.total == m) {
            let whole = c.get(0).expect("whole match");
            out.push(
                Diagnostic::error(
                    "GN1003",
                    format!("the narrative's count of {what} is wrong"),
                )
                .at(at(cx, prose, run, whole.start(), whole.end()))
                .claimed(whole.as_str().trim())
                .computed(format!("{}/{} {what}", k.done, k.total)),
            );
        }
    }
}

fn percent(text: &str) -> Option<Amount> {
    Amount::parse(&format!("{text}%")).ok()
}

fn percentages(cx: &Ctx, prose: &Prose, run: &Run, out: &mut Vec<Diagnostic>) {
    let r = cx.r;
    let lower = run.text.to_ascii_lowercase();
    for re in PASS_RATE.iter() {
        for c in re.captures_iter(&run.text) {
            let Some(claimed) = percent(&c["p"]) else {
                continue;
            };
            let (what, value) = if lower.contains("scenario") || lower.contains("manual") {
                let Some(m) = r.tests.as_ref().and_then(|t| t.v.manual.as_ref()) else {
                    continue;
                };
                let passed = m
                    .scenarios
                    .iter()
                    .filter(|s| s.result == ScenarioResult::Pass)
                    .count() as u64;
                (
                    "scenario pass rate",
                    Count {
                        done: passed,
                        total: m.scenarios.len() as u64,
                    }
                    .pct(),
                )
            } else {
                if r.tests.is_none() {
                    continue;
                }
                ("test pass rate", pass_rate(&test_totals(r)))
            };
            let Some(v) = value else { continue };
            if !claimed.agrees_with(&Amount::exact(v, Dim::Percent)) {
                let p = c.name("p").expect("percentage");
                out.push(
                    Diagnostic::error("GN1004", format!("the narrative states the {what} wrongly"))
                        .at(at(cx, prose, run, p.start(), p.end() + 1))
                        .claimed(format!("{claimed}"))
                        .computed(format!("{}%", fmt_num(v, 2))),
                );
            }
        }
    }
    let Some(ms) = &r.metrics else { return };
    for (i, m) in ms.v.iter().enumerate() {
        let name = m.name.value.to_ascii_lowercase();
        let Some(pos) = lower.find(&name) else {
            continue;
        };
        // "% better" within the same clause after the metric's name.
        let rest = &run.text[pos + name.len()..];
        let window = rest.split(['.', ';']).next().unwrap_or(rest);
        let Some(c) = BETTER.captures(window) else {
            continue;
        };
        let Some(claimed) = percent(&c["p"]) else {
            continue;
        };
        let Some(b) = metric_result(m, metric_actual(r, i)).better else {
            continue;
        };
        if !claimed.agrees_with(&Amount::exact(b, Dim::Percent)) {
            let p = c.name("p").expect("percentage");
            let start = pos + name.len() + p.start();
            out.push(
                Diagnostic::error(
                    "GN1004",
                    format!(
                        "the narrative states how much better `{}` is than its target wrongly",
                        m.name.value
                    ),
                )
                .at(at(cx, prose, run, start, start + p.len() + 1))
                .claimed(format!("{claimed} better"))
                .computed(format!("{}% better", fmt_num(b, 2))),
            );
        }
    }
}
