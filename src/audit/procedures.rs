//! GN1302 audit-sum for a procedure's estimate: a heading that says how long the
//! whole takes ("## Rollback procedure — estimated time: 4-6 hours", or
//! "**Estimated duration:** 4-6 hours" on the line under it) over numbered steps
//! that each give their own estimate ("### Step 2: Restore (45 min)", "1. Drain
//! traffic — estimated 10 min", or "Estimated time: 10 min" under the step).
//!
//! A step's estimate may also end its line after a dash ("Deploy the canary — 10
//! min"), and a figure written "~20 min" or "about 2 hours" is that within a quarter.
//! The estimate of the whole must be the sum of the steps' estimates, either way: a
//! range must hold the sum, so a procedure estimated at 4-6 hours whose steps add up
//! to 2 hours is as wrong as one whose steps add up to 8; a single figure must be
//! within a tenth of the sum (estimates are rounded). A bracketed duration in the
//! heading ("(4-6 h estimated)") is the estimate when the steps are numbered. Only numbered steps are read, and only
//! when every step states its estimate; a heading that says the steps run in
//! parallel, are options, or gives a bound ("up to", "within") is not read.

use super::Ctx;
use super::doc::{Doc, Kind, plain};
use super::quantity::{self, Q};
use super::sums::{Reading, report};
use crate::diag::Diagnostic;
use regex::Regex;
use std::sync::LazyLock;

/// "estimated time: 4-6 hours", "Estimate: 2 h", "est. 30 min", "ETA 1 hour".
static ESTIMATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:estimated|estimate|est\.|eta)(?:\s+(?:total\s+)?(?:time|duration|effort))?\s*[:=]?\s*$")
        .expect("valid pattern")
});
/// A step's own estimate as a key: "Duration: 10 min", "Time: 10 min".
static STEP_KEY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^[^a-z0-9]*(?:estimated\s+)?(?:time|duration|estimate)[^a-z0-9]*:?\s*$")
        .expect("valid pattern")
});
/// A step's estimate at the end of its line: "Deploy the canary — 10 min", "– ~10 min".
static TRAILING: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\s[—–-]\s*(?:~\s*)?$").expect("valid pattern"));
/// An approximate figure: "~20 min", "about 2 hours", "approx. 1 h".
static APPROX: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(?:~|\babout|\bapprox(?:imately|\.)?|\baround|\broughly)\s*$")
        .expect("valid pattern")
});
/// How far an approximate figure may be from the exact one.
const APPROXIMATE: f64 = 0.25;
/// How far a single estimate may be from the sum of its steps.
const ROUNDED: f64 = 0.1;
/// Words that make a figure a bound or the steps something else than a sequence.
static NOT_STEPS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:parallel|concurrent(?:ly)?|simultaneous(?:ly)?|at the same time|options?|either|alternatives?|under|within|up to|at most|less than|no more than|max(?:imum)?|budget|each|per)\b")
        .expect("valid pattern")
});

/// "Step 2: …", "2. …", "2) …" at the start of a heading.
static NUMBERED: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)^\s*(?:step\s+)?\d{1,3}\s*[.):]").expect("valid pattern"));

pub fn check(cx: &Ctx, out: &mut Vec<Diagnostic>) {
    let doc = cx.doc;
    for i in 0..doc.lines.len() {
        let l = &doc.lines[i];
        if !l.readable() || !l.is_heading() {
            continue;
        }
        let own = plain(l.content());
        // The estimate on the heading, or on the first line of its section.
        let first = doc
            .children(i)
            .next()
            .filter(|j| matches!(doc.lines[*j].kind, Kind::Para { .. }));
        let claim = estimate(&own)
            .or_else(|| labelled(&own))
            .map(|q| (i, q))
            .or_else(|| first.and_then(|j| estimate(&text(doc, j)).map(|q| (j, q))));
        let Some((at, claim)) = claim else { continue };
        if NOT_STEPS.is_match(&own) || first.is_some_and(|j| NOT_STEPS.is_match(&text(doc, j))) {
            continue;
        }
        let steps = steps(doc, i);
        let parts: Option<Vec<(usize, Q)>> = steps
            .iter()
            .map(|s| step_estimate(doc, *s).map(|q| (*s, q)))
            .collect();
        let Some(parts) = parts else { continue };
        let what = format!("the estimates of its {} steps", parts.len());
        // An estimate of the whole is the sum of the steps' estimates, either way: a
        // single figure within a tenth (people round estimates), a range end to end.
        let claim = if claim.lo == claim.hi {
            let claim = Q {
                tol: claim.tol.max(claim.hi * ROUNDED),
                ..claim
            };
            // Steps given as ranges agree with a single figure their sum can reach.
            let lo: f64 = parts.iter().map(|(_, q)| q.lo).sum();
            let hi: f64 = parts.iter().map(|(_, q)| q.hi).sum();
            let tol = claim.tol + parts.iter().map(|(_, q)| q.tol).sum::<f64>();
            if hi + tol >= claim.lo && lo - tol <= claim.hi {
                continue;
            }
            claim
        } else {
            claim
        };
        out.extend(report(cx, at, &claim, &parts, true, Reading::Total, &what));
    }
}

fn text(doc: &Doc, i: usize) -> String {
    plain(doc.lines[i].content())
}

/// The first duration that follows an estimate word ("… estimated time: 4-6 hours",
/// "(est. ~2 hours)").
fn estimate(t: &str) -> Option<Q> {
    quantity::durations(t)
        .into_iter()
        .find(|q| {
            let before = &t[..q.start];
            let before = APPROX.find(before).map_or(before, |m| &before[..m.start()]);
            ESTIMATE.is_match(before)
        })
        .filter(|q| !quantity::offset(&t[q.end..]))
        .map(|q| approximate(t, q))
}

/// A figure written "~20 min" or "about 2 hours" is that within a quarter.
fn approximate(t: &str, q: Q) -> Q {
    if APPROX.is_match(&t[..q.start]) {
        let tol = q.tol.max(q.hi * APPROXIMATE);
        Q { tol, ..q }
    } else {
        q
    }
}

/// A duration in brackets ("(~20 min)" too), or one that ends the line after a dash.
fn labelled(t: &str) -> Option<Q> {
    if let Some(q) = quantity::paren_duration(t) {
        return Some(q);
    }
    // "(~20 min)": a bracket that holds only an approximate duration.
    let bracketed = quantity::durations(t).into_iter().find(|q| {
        let before = t[..q.start].trim_end();
        let open = before.strip_suffix('~').unwrap_or(before).trim_end();
        open.ends_with('(') && t[q.end..].trim_start().starts_with(')')
    });
    let trailing = || {
        quantity::durations(t).into_iter().find(|q| {
            t[q.end..].trim().trim_end_matches('.').is_empty() && TRAILING.is_match(&t[..q.start])
        })
    };
    bracketed.or_else(trailing).map(|q| approximate(t, q))
}

/// The numbered steps of a section: its numbered sub-headings, or else the items of
/// a numbered list directly under it (not nested ones).
fn steps(doc: &Doc, i: usize) -> Vec<usize> {
    let heads: Vec<usize> = doc
        .children(i)
        .filter(|j| doc.lines[*j].is_heading())
        .collect();
    if !heads.is_empty() {
        return if heads.iter().all(|j| NUMBERED.is_match(&text(doc, *j))) {
            heads
        } else {
            vec![]
        };
    }
    let items: Vec<usize> = doc
        .children(i)
        .filter(|j| doc.lines[*j].is_item())
        .collect();
    let numbered = |j: &usize| {
        let raw = doc.lines[*j].text.trim_start();
        raw.starts_with(|c: char| c.is_ascii_digit())
    };
    if items.iter().all(numbered) {
        items
    } else {
        vec![]
    }
}

/// A step's own estimate: a duration in brackets, one after an estimate word, or a
/// "Duration: 10 min" line directly under the step.
fn step_estimate(doc: &Doc, s: usize) -> Option<Q> {
    // The step's line and the lines that continue it.
    let mut t = text(doc, s);
    for k in doc.children(s) {
        let c = &doc.lines[k];
        if !matches!(c.kind, Kind::Para { .. })
            || c.no != doc.lines[s].no + 1 + t.matches('\n').count() as u64
        {
            break;
        }
        t.push('\n');
        t.push_str(&text(doc, k));
    }
    let t = t.replace('\n', " ");
    // Offsets ("(1 hour before)") are refused where the figure is read; a step that
    // says "pause every job" still states its own estimate.
    if NOT_STEPS.is_match(&t) {
        return None;
    }
    if let Some(q) = labelled(&t).or_else(|| estimate(&t)) {
        return Some(q);
    }
    let mut found = doc.children(s).filter_map(|k| {
        let kt = text(doc, k);
        let q = quantity::durations(&kt).into_iter().next()?;
        (STEP_KEY.is_match(&kt[..q.start]) && !quantity::offset(&kt)).then_some(q)
    });
    let q = found.next()?;
    found.next().is_none().then_some(q)
}

/// The estimate a heading or step line states of itself, exactly as written: a
/// bracketed duration, one after "estimated", or one ending the line after a dash.
/// None for an approximate figure ("~10 min"), which a fact must not round away.
pub(crate) fn stated_estimate(t: &str) -> Option<(usize, usize)> {
    let q = labelled(t).or_else(|| estimate(t))?;
    (q.tol < q.hi * APPROXIMATE || q.hi == 0.0).then_some((q.start, q.end))
}
