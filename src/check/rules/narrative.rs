//! GN1002 narrative-weekday, GN1003 narrative-count, GN1004 narrative-percentage:
//! numbers typed by hand in narrative Markdown, checked where the text says what
//! they are about. Code, block quotes and `{{ expressions }}` are not read.

use crate::amount::{Amount, Dim, fmt_num};
use crate::check::Ctx;
use crate::diag::Diagnostic;
use crate::facts::{
    Count, long_date, metric_actual, metric_result, pass_rate, standing, test_totals,
};
use crate::model::ScenarioResult;
use crate::prose::{Prose, Run};
use crate::when::weekday_name;
use chrono::Datelike;
use regex::Regex;
use std::sync::LazyLock;

static FRACTION: LazyLock<Regex> = LazyLock::new(|| {
    // The noun must follow the numbers, with at most two known qualifiers between:
    // "5/5 manual scenarios", "10/25 critical items"; not "2/3 of the items".
    Regex::new(
        r"(?i)\b(?P<n>\d[\d,]*)(?P<plus>\+)?\s*(?:/|out\s+of|of)\s*(?P<m>\d[\d,]*)\s+(?P<mods>(?:(?:manual|automated|unit|integration|e2e|critical|high-priority|high|recommended|checklist|required)\s+){0,2})(?P<noun>tests|test|scenarios?|approvals?|sign-?offs?|items?)\b(?P<after>(?:\s+[a-z']+){0,4})",
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
    for c in crate::textdate::weekday_claims(&run.text) {
        let Some(date) = c.date(None) else { continue };
        if date.weekday() != c.weekday {
            out.push(
                Diagnostic::error(
                    "GN1002",
                    format!("the narrative calls {} a {}", date, weekday_name(c.weekday)),
                )
                .at(at(cx, prose, run, c.start, c.end))
                .claimed(run.text[c.start..c.end].trim())
                .computed(long_date(date)),
            );
        }
    }
}

fn number(s: &str) -> Option<u64> {
    s.replace(',', "").parse().ok()
}

/// What a fraction's words say it counts.
#[derive(PartialEq)]
enum Sense {
    Good,
    Bad,
    Skipped,
}

/// Reads the words after a fraction ("passing", "did not pass", "pending", "done").
/// Without a word that says what is counted, the fraction is not checked.
fn sense(words: &[&str], good: &[&str], bad: &[&str]) -> Option<Sense> {
    for (i, w) in words.iter().enumerate() {
        let negated = i > 0 && matches!(words[i - 1], "not" | "never" | "n't");
        if ["skip", "skipped", "skipping"].contains(w) {
            return Some(Sense::Skipped);
        }
        if ["run", "ran", "executed", "attempted"].contains(w) {
            return None;
        }
        if good.contains(w) {
            return Some(if negated { Sense::Bad } else { Sense::Good });
        }
        if bad.contains(w) {
            return Some(if negated { Sense::Good } else { Sense::Bad });
        }
    }
    None
}

fn fractions(cx: &Ctx, prose: &Prose, run: &Run, out: &mut Vec<Diagnostic>) {
    let r = cx.r;
    let pass = [
        "pass",
        "passes",
        "passed",
        "passing",
        "green",
        "succeed",
        "succeeded",
        "succeeding",
    ];
    let fail = [
        "fail", "fails", "failed", "failing", "red", "broken", "erroring", "errored",
    ];
    for c in FRACTION.captures_iter(&run.text) {
        let (Some(n), Some(m)) = (number(&c["n"]), number(&c["m"])) else {
            continue;
        };
        let mods = c["mods"].to_ascii_lowercase();
        let after = c["after"].to_ascii_lowercase();
        let words: Vec<&str> = after.split_whitespace().collect();
        let noun = c["noun"].to_ascii_lowercase();
        // What the fraction counts, from the words around it, and the data it is about.
        let (what, count): (String, Count) = if noun == "tests" && !mods.contains("manual") {
            if r.tests.is_none() {
                continue;
            }
            let t = test_totals(r);
            match sense(&words, &pass, &fail) {
                Some(Sense::Good) => (
                    "passing tests".into(),
                    Count {
                        done: t.passed,
                        total: t.total,
                    },
                ),
                Some(Sense::Bad) => (
                    "failing tests".into(),
                    Count {
                        done: t.failed + t.errored,
                        total: t.total,
                    },
                ),
                Some(Sense::Skipped) => (
                    "skipped tests".into(),
                    Count {
                        done: t.skipped,
                        total: t.total,
                    },
                ),
                None => continue,
            }
        } else if noun.starts_with("scenario") || (noun == "tests" && mods.contains("manual")) {
            let Some(ms) = r.tests.as_ref().and_then(|t| t.v.manual.as_ref()) else {
                continue;
            };
            let with = |res: ScenarioResult| {
                ms.scenarios.iter().filter(|s| s.result == res).count() as u64
            };
            let total = ms.scenarios.len() as u64;
            match sense(&words, &pass, &fail) {
                Some(Sense::Good) => (
                    "passing scenarios".into(),
                    Count {
                        done: with(ScenarioResult::Pass),
                        total,
                    },
                ),
                Some(Sense::Bad) => (
                    "failing scenarios".into(),
                    Count {
                        done: with(ScenarioResult::Fail),
                        total,
                    },
                ),
                _ => continue,
            }
        } else if noun.starts_with("approval") || noun.starts_with("sign") {
            let Some(sg) = crate::signing::Signing::of(r) else {
                continue;
            };
            let k = sg.count(true);
            let given = [
                "given", "obtained", "approved", "signed", "received", "granted", "complete", "in",
            ];
            let pending = [
                "pending",
                "missing",
                "outstanding",
                "awaiting",
                "open",
                "due",
            ];
            match sense(&words, &given, &pending) {
                Some(Sense::Good) => ("approvals given".into(), k),
                Some(Sense::Bad) => (
                    "pending approvals".into(),
                    Count {
                        done: k.total - k.done,
                        total: k.total,
                    },
                ),
                _ => continue,
            }
        } else if noun.starts_with("item") {
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
            let done = [
                "done",
                "complete",
                "completed",
                "checked",
                "ticked",
                "closed",
                "finished",
            ];
            let open = [
                "open",
                "pending",
                "remaining",
                "outstanding",
                "missing",
                "todo",
                "left",
            ];
            match sense(&words, &done, &open) {
                Some(Sense::Good) => (format!("{label} done"), k),
                Some(Sense::Bad) => (
                    format!("open {label}"),
                    Count {
                        done: k.total - k.done,
                        total: k.total,
                    },
                ),
                _ => continue,
            }
        } else {
            continue;
        };
        let plus = c.name("plus").is_some();
        let n_ok = if plus {
            count.done >= n
        } else {
            count.done == n
        };
        // "174/174 tests pass" over 3 skipped counts the tests that ran, as the pass
        // rate does (`pass_rate`): the total, or the total less the skipped, is meant.
        let run_total = match what.as_str() {
            "passing tests" | "failing tests" => {
                let t = test_totals(r);
                Some(t.total.saturating_sub(t.skipped))
            }
            _ => None,
        };
        let count = match run_total {
            Some(run) if m == run && m != count.total => Count {
                done: count.done,
                total: run,
            },
            _ => count,
        };
        if !(n_ok && count.total == m) {
            let whole = c.get(0).expect("whole match");
            out.push(
                Diagnostic::error(
                    "GN1003",
                    format!("the narrative's count of {what} is wrong"),
                )
                .at(at(cx, prose, run, whole.start(), whole.end()))
                .claimed(whole.as_str().trim())
                .computed(format!("{}/{} {what}", count.done, count.total)),
            );
        }
    }
}

fn percent(text: &str) -> Option<Amount> {
    Amount::parse(&format!("{text}%")).ok()
}

/// The clause around byte `at`: from the previous sentence end (a period not inside a
/// number, or `;`) to the next.
fn clause(text: &str, at: usize) -> (usize, usize) {
    let b = text.as_bytes();
    let ends = |i: usize| {
        b[i] == b';'
            || (b[i] == b'.'
                && !(i > 0
                    && b[i - 1].is_ascii_digit()
                    && i + 1 < b.len()
                    && b[i + 1].is_ascii_digit()))
    };
    let start = (0..at.min(b.len()))
        .rev()
        .find(|i| ends(*i))
        .map(|i| i + 1)
        .unwrap_or(0);
    let end = (at..b.len()).find(|i| ends(*i)).unwrap_or(b.len());
    (start, end)
}

fn percentages(cx: &Ctx, prose: &Prose, run: &Run, out: &mut Vec<Diagnostic>) {
    let r = cx.r;
    let text = &run.text;
    for re in PASS_RATE.iter() {
        for c in re.captures_iter(text) {
            let whole = c.get(0).expect("whole match");
            // "went from 95% to 100%": a change, not a statement of the current rate.
            if whole.as_str().to_ascii_lowercase().contains("from") {
                continue;
            }
            let Some(claimed) = percent(&c["p"]) else {
                continue;
            };
            // The subject is named in the same clause, before the number.
            let (start, _) = clause(text, whole.start());
            let before = text[start..whole.end()].to_ascii_lowercase();
            let (what, value) = if before.contains("scenario") || before.contains("manual") {
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
    let lower = text.to_ascii_lowercase();
    let names: Vec<String> =
        ms.v.iter()
            .map(|m| m.name.value.to_ascii_lowercase())
            .collect();
    for (i, m) in ms.v.iter().enumerate() {
        let name = &names[i];
        if name.is_empty() {
            continue;
        }
        for (pos, _) in lower.match_indices(name.as_str()) {
            // "N% better" after this mention, within its clause and before another
            // metric is named.
            let from = pos + name.len();
            let (_, end) = clause(text, from);
            let next_metric = names
                .iter()
                .filter_map(|other| lower[from..end].find(other.as_str()))
                .min()
                .map(|k| from + k)
                .unwrap_or(end);
            let window = &text[from..next_metric.min(end)];
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
                let start = from + p.start();
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
}
