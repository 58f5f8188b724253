//! GN1302 audit-sum for a total whose label names what it counts: "Total automated
//! tests: 180", "**Total test cases:** 180 cases", after a list whose items state
//! their own counts in brackets ("Unit tests (120)", "API (45 tests)").
//!
//! Precision first. The label's last word is the counted noun; a label that names a
//! subset ("Total failed tests", "Total open bugs") or a duration ("Total downtime")
//! is not read, nor a total that hedges ("about", "up to"). Every item of the list
//! must state one figure in brackets, bare or of the same noun, and no bracket may
//! hold a year; one item without a figure and the line is not read.

use super::Ctx;
use super::doc::{Kind, plain};
use super::quantity::{self, Q, Unit};
use super::sums::{NOT_A_SUM, Reading, report};
use crate::diag::Diagnostic;
use regex::Regex;
use std::sync::LazyLock;

/// "Total <label>: <figure>"; the label one to four words, not time words (those
/// are read by sums.rs).
static LABELLED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^[^a-z0-9]*total\s+(?P<label>[a-z][a-z-]*(?:\s+[a-z][a-z-]*){0,3})[^a-z0-9:]*:[\s*]*(?P<n>\d{1,3}(?:,\d{3})+|\d+)(?:\s+(?P<noun>[a-z]+))?")
        .expect("valid pattern")
});
/// Label words that name a part of the whole, or something that is not a count.
pub(super) static SUBSET: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:fail(?:ed|ing|ures?)?|pass(?:ed|ing)?|open|closed|skipped|flaky|blocked|blocking|remaining|new|resolved|fixed|pending|outstanding|critical|high|medium|low|unique|distinct|net|known|active|missing|time|duration|effort|downtime|cost|budget|size|hours?|minutes?|days?|weeks?|estimated|planned|expected|percent(?:age)?|rate)\b")
        .expect("valid pattern")
});
/// A bracket that holds one count: "(120)", "(45 tests)", "(12 more tests)".
static BRACKET: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)^\s*(?P<n>\d{1,3}(?:,\d{3})+|\d+)(?:\s+(?:[a-z][\w-]*\s+){0,2}?(?P<noun>[a-z]+))?\s*$",
    )
    .expect("valid pattern")
});

/// `tests` → `test`, `cases` → `case`; `process` stays.
fn singular(w: &str) -> String {
    let w = w.to_ascii_lowercase();
    match w.strip_suffix('s') {
        Some(x) if x.len() > 2 && !x.ends_with('s') => x.to_string(),
        _ => w,
    }
}

pub fn check(cx: &Ctx, out: &mut Vec<Diagnostic>) {
    let doc = cx.doc;
    for i in 0..doc.lines.len() {
        let l = &doc.lines[i];
        if !l.readable() || !matches!(l.kind, Kind::Para { .. } | Kind::Item { .. }) {
            continue;
        }
        let t = plain(l.content());
        let Some(c) = LABELLED.captures(&t) else {
            continue;
        };
        let label = &c["label"];
        if SUBSET.is_match(label) || NOT_A_SUM.is_match(&t) {
            continue;
        }
        let Some(noun) = label.split_whitespace().last().map(singular) else {
            continue;
        };
        if c.name("noun").is_some_and(|n| singular(n.as_str()) != noun) {
            continue;
        }
        let n = c.name("n").expect("a figure");
        let Some(v) = quantity::num(n.as_str()) else {
            continue;
        };
        // "Total test cases: 180" counts cases; "Total artifacts attached: 17" is
        // shown as written.
        let unit = if label.ends_with(['s', 'S']) {
            Unit::Count(noun.clone())
        } else {
            Unit::Number(String::new())
        };
        let claim = Q {
            lo: v,
            hi: v,
            open: false,
            tol: 0.0,
            unit: unit.clone(),
            start: n.start(),
            end: c.get(0).expect("match").end(),
        };
        let items: Vec<usize> = if l.is_item() {
            doc.siblings(i)
                .filter(|j| *j < i && doc.lines[*j].is_item())
                .collect()
        } else {
            doc.list_before(i)
        };
        let parts: Option<Vec<(usize, Q)>> = items
            .iter()
            .map(|k| bracketed(&plain(doc.lines[*k].content()), &noun, &unit).map(|q| (*k, q)))
            .collect();
        let Some(parts) = parts else { continue };
        let what = format!("the {} items above it", parts.len());
        out.extend(report(cx, i, &claim, &parts, true, Reading::Total, &what));
    }
}

/// The one bracket of an item that holds a count of `noun` (or a bare figure).
fn bracketed(t: &str, noun: &str, unit: &Unit) -> Option<Q> {
    // A hedge elsewhere in the item ("regressions of less than 5% (3)") is about
    // another figure: the bracket holds a plain count or nothing is read.
    if t.to_ascii_lowercase().contains("subtotal") {
        return None;
    }
    let mut found = None;
    let mut from = 0;
    while let Some(open) = t[from..].find('(').map(|k| k + from) {
        let close = t[open..].find(')').map(|k| open + k)?;
        if let Some(c) = BRACKET.captures(&t[open + 1..close]) {
            let m = c.name("n").expect("a figure");
            let v = quantity::num(m.as_str())?;
            let counted = c.name("noun").is_none_or(|w| singular(w.as_str()) == noun);
            let year = c.name("noun").is_none() && (1900.0..=2100.0).contains(&v);
            if !counted || year || found.is_some() {
                return None;
            }
            found = Some(Q {
                lo: v,
                hi: v,
                open: false,
                tol: 0.0,
                unit: unit.clone(),
                start: open + 1 + m.start(),
                end: open + 1 + m.end(),
            });
        }
        from = close + 1;
    }
    found
}
