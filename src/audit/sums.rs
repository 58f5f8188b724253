//! GN1302 audit-sum: a stated total that is not the sum of its parts. Parts are
//! found three ways: the children of a heading, list item or lead line that states
//! a quantity; the siblings before a "Total: …" line; and a group of N phases or
//! stages when a line says "N stages over 3.5 hours". A fourth, narrow form checks
//! "N documents (X KB, Y lines)" against the "(a KB, b lines)" of each document.

use super::Ctx;
use super::doc::{Doc, Kind, plain};
use super::quantity::{self, Q, Unit};
use crate::diag::Diagnostic;
use regex::Regex;
use std::sync::LazyLock;

pub fn check(cx: &Ctx, out: &mut Vec<Diagnostic>) {
    children(cx, out);
    totals(cx, out);
    groups(cx, out);
    inventory(cx, out);
}

/// One part: its line and quantity.
type Part = (usize, Q);

/// The sum of the parts, as [lo, hi] with `hi` infinite when a part is open or some
/// children state nothing in the unit; the tolerance is the parts' precision.
struct Sum {
    lo: f64,
    hi: f64,
    tol: f64,
}

fn sum(parts: &[Part], complete: bool) -> Sum {
    let mut s = Sum {
        lo: 0.0,
        hi: 0.0,
        tol: 0.0,
    };
    for (_, q) in parts {
        s.lo += q.lo;
        s.hi += if q.open { f64::INFINITY } else { q.hi };
        s.tol += q.tol;
    }
    if !complete {
        s.hi = f64::INFINITY;
    }
    s
}

/// How a claim relates to its parts.
#[derive(Clone, Copy, PartialEq)]
pub(super) enum Reading {
    /// "Total: 58 items", a count or size over its parts: the sum, exactly.
    Total,
    /// A duration over its parts: a window the parts must fit in (it may hold
    /// slack); a range must hold the whole sum.
    Window,
}

/// Whether a claim cannot be the sum. An exact total must be in the sum's range, a
/// window at least the sum, a range total must hold the whole sum; "50+" must be
/// reachable.
fn contradicts(c: &Q, s: &Sum, reading: Reading) -> bool {
    let tol = c.tol + s.tol + 1e-9;
    if c.open {
        return s.hi + tol < c.lo;
    }
    if s.hi.is_infinite() || (reading == Reading::Window && c.lo == c.hi) {
        return s.lo - tol > c.hi;
    }
    s.lo < c.lo - tol || s.hi > c.hi + tol
}

/// The reading of a claim: durations are windows except on a "Total" line.
fn reading(c: &Q, total: bool) -> Reading {
    if c.unit == Unit::Minutes && !total {
        Reading::Window
    } else {
        Reading::Total
    }
}

/// Words that say the parts do not add up to the whole: they run side by side, are
/// alternatives, or the figure is only a bound.
pub(crate) static NOT_A_SUM: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)\b(?:parallel|concurrent(?:ly)?|simultaneous(?:ly)?|at the same time|options?|either|alternatives?|about|around|approx(?:imately)?|roughly|under|within|up to|at most|less than|no more than|max(?:imum)?|budget|each|per)\b|~",
    )
    .expect("valid pattern")
});

fn show_sum(unit: &Unit, s: &Sum) -> String {
    if s.hi.is_infinite() {
        format!("{} or more", unit.show(s.lo))
    } else if (s.hi - s.lo).abs() < 1e-9 {
        unit.show(s.lo)
    } else {
        format!("{} to {}", unit.show(s.lo), unit.show(s.hi))
    }
}

pub(super) fn report(
    cx: &Ctx,
    line: usize,
    claim: &Q,
    parts: &[Part],
    complete: bool,
    reading: Reading,
    what: &str,
) -> Option<Diagnostic> {
    if parts.len() < 2
        || parts
            .iter()
            .any(|(_, q)| q.lo == claim.lo && q.hi == claim.hi)
    {
        // One part as long as the whole: options or overlapping steps, not a sum.
        return None;
    }
    let s = sum(parts, complete);
    if !contradicts(claim, &s, reading) {
        return None;
    }
    // The first parts by name; a long list is summarised (it is in the document).
    const LISTED: usize = 8;
    let mut listed: Vec<String> = parts
        .iter()
        .take(LISTED)
        .map(|(l, q)| format!("{} (line {})", q.show(), cx.doc.lines[*l].no))
        .collect();
    if let (Some(more), Some((last, _))) = (parts.len().checked_sub(LISTED), parts.last())
        && more > 0
    {
        listed.push(format!(
            "{more} more parts, through line {}",
            cx.doc.lines[*last].no
        ));
    }
    let mut d = Diagnostic::error(
        "GN1302",
        format!("{} is not the sum of {what}", claim.show()),
    )
    .at(cx.loc(line, claim.start, claim.end))
    .claimed(claim.show())
    .computed(show_sum(&claim.unit, &s))
    .note(format!("the parts: {}", listed.join(" + ")));
    if !complete {
        d = d.note("some parts state no figure; even so they add up to more than the total");
    } else if reading == Reading::Window && claim.lo == claim.hi {
        d = d.note("the parts take longer than the time given for the whole");
    }
    Some(d)
}

/// The text the rules read on a line: its content without Markdown markers.
fn text(doc: &Doc, i: usize) -> String {
    plain(doc.lines[i].content())
}

/// The quantity a part states about itself in a bracketed label: "Deploy (15 min)",
/// "Application health (6 checks)". Figures in running text ("Checkpoint at 6
/// hours", "6 items were re-tested") and hedged parts ("(only if needed, up to
/// 1 hour)") are not parts.
fn part_quantity(doc: &Doc, i: usize, unit: &Unit) -> Option<Q> {
    let t = text(doc, i);
    if t.to_ascii_lowercase().contains("subtotal") || quantity::offset(&t) {
        return None;
    }
    if *unit == Unit::Minutes {
        return quantity::paren_duration(&t);
    }
    label(&t, unit).or_else(|| colon_fraction(&t, unit))
}

/// "Unit: 370/370", "Integration: 1,249/1,250 passing": a part of a count of tests
/// (or checks, cases…) given as passed over run; the run is the part.
static COLON_FRACTION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\s*[^:/\d\s][^:]{0,60}:\s*(?:\d{1,3}(?:,\d{3})+|\d+)\s*/\s*(?P<b>\d{1,3}(?:,\d{3})+|\d+)\s*(?:\(\s*\d+(?:\.\d+)?\s*%\s*\))?\s*(?:[a-z]+\s*)?(?:pass(?:ing|ed)?)?\s*[.;,]?\s*$")
        .expect("valid pattern")
});

fn colon_fraction(t: &str, unit: &Unit) -> Option<Q> {
    let Unit::Count(noun) = unit else { return None };
    if !matches!(
        noun.as_str(),
        "test" | "check" | "case" | "scenario" | "spec"
    ) {
        return None;
    }
    let b = COLON_FRACTION.captures(t)?.name("b")?;
    let v = quantity::num(b.as_str())?;
    Some(Q {
        lo: v,
        hi: v,
        open: false,
        tol: 0.0,
        unit: unit.clone(),
        start: b.start(),
        end: b.end(),
    })
}

/// The one quantity of `unit`'s kind alone in a parenthesis.
fn label(t: &str, unit: &Unit) -> Option<Q> {
    let mut from = 0;
    let mut found = None;
    while let Some(open) = t[from..].find('(').map(|i| i + from) {
        let close = t[open..].find(')').map(|j| open + j)?;
        let inner = &t[open + 1..close];
        let qs = quantity::of_unit(inner, unit);
        if let [q] = qs.as_slice()
            && inner[..q.start].trim().is_empty()
        {
            if found.is_some() {
                return None;
            }
            found = Some(Q {
                start: q.start + open + 1,
                end: q.end + open + 1,
                ..q.clone()
            });
        }
        from = close + 1;
    }
    found
}

/// The one quantity of `unit`'s kind a sibling before a "Total" line states: a
/// label, or the only such figure on the line ("- 25 critical items").
fn sibling_quantity(doc: &Doc, i: usize, unit: &Unit) -> Option<Q> {
    if let Some(q) = part_quantity(doc, i, unit) {
        return Some(q);
    }
    let t = text(doc, i);
    if t.to_ascii_lowercase().contains("subtotal") || quantity::offset(&t) || *unit == Unit::Minutes
    {
        return None;
    }
    let mut qs = quantity::of_unit(&t, unit);
    (qs.len() == 1).then(|| qs.remove(0))
}

/// The quantities a heading, item or lead line states about itself.
fn claims(doc: &Doc, i: usize) -> Vec<Q> {
    let t = text(doc, i);
    let mut out = Vec::new();
    out.extend(quantity::paren_duration(&t));
    let counts = quantity::counts(&t);
    if counts.len() == 1 {
        out.extend(counts);
    }
    let sizes = quantity::sizes(&t);
    if sizes.len() == 1 {
        out.extend(sizes);
    }
    out
}

fn children(cx: &Ctx, out: &mut Vec<Diagnostic>) {
    let doc = cx.doc;
    for i in 0..doc.lines.len() {
        let l = &doc.lines[i];
        if !l.readable() {
            continue;
        }
        let kids: Vec<usize> = match l.kind {
            Kind::Heading(_) => {
                let heads: Vec<usize> = doc
                    .children(i)
                    .filter(|j| doc.lines[*j].is_heading())
                    .collect();
                if heads.is_empty() {
                    doc.children(i)
                        .filter(|j| doc.lines[*j].is_item())
                        .collect()
                } else {
                    heads
                }
            }
            Kind::Item { .. } | Kind::Para { lead: true } => doc
                .children(i)
                .filter(|j| doc.lines[*j].is_item())
                .collect(),
            _ => continue,
        };
        let own = text(doc, i);
        if kids.len() < 2 || is_total(&own) {
            continue;
        }
        // "(20 min each)", "(10 min, in parallel)", and a heading whose first
        // paragraph says the parts run side by side or are options.
        let first_para = doc
            .children(i)
            .find(|j| matches!(doc.lines[*j].kind, Kind::Para { .. }))
            .map(|j| text(doc, j))
            .unwrap_or_default();
        if NOT_A_SUM.is_match(&own) || NOT_A_SUM.is_match(&first_para) {
            continue;
        }
        for claim in claims(doc, i) {
            let parts: Vec<Part> = kids
                .iter()
                .filter_map(|k| part_quantity(doc, *k, &claim.unit).map(|q| (*k, q)))
                .collect();
            let complete = parts.len() == kids.len();
            let r = reading(&claim, false);
            out.extend(report(
                cx,
                i,
                &claim,
                &parts,
                complete,
                r,
                "the parts listed under it",
            ));
        }
    }
}

/// "Total: …", "Total time: …", "Total Estimated Time: …"; not "Total downtime: …"
/// or "Total cost: …", which are not sums of what comes before.
static TOTAL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^[^a-z0-9]*total(?:\s+(?:estimated|planned|expected))?(?:\s+(?:time|duration|effort))?[^a-z0-9]*:")
        .expect("valid pattern")
});

fn is_total(t: &str) -> bool {
    TOTAL.is_match(t)
}

/// "Total: 58 items" after the items, or "Total Estimated Time: 20-40 hours" after
/// the sections it totals.
fn totals(cx: &Ctx, out: &mut Vec<Diagnostic>) {
    let doc = cx.doc;
    for i in 0..doc.lines.len() {
        let l = &doc.lines[i];
        if !l.readable() || l.is_heading() || l.kind == Kind::Row {
            continue;
        }
        let t = text(doc, i);
        if !is_total(&t) || NOT_A_SUM.is_match(&t) {
            continue;
        }
        // A total right below a table totals the table (tables.rs reads it).
        if (0..i)
            .rev()
            .find(|j| doc.lines[*j].kind != Kind::Blank)
            .is_some_and(|j| doc.lines[j].kind == Kind::Row)
        {
            continue;
        }
        let mut found: Vec<Q> = quantity::durations(&t);
        found.extend(quantity::counts(&t));
        found.extend(quantity::sizes(&t));
        found.sort_by_key(|q| q.start);
        let Some(claim) = found.into_iter().next() else {
            continue;
        };
        let stated = |run: &[usize]| {
            run.iter()
                .filter(|k| sibling_quantity(doc, **k, &claim.unit).is_some())
                .count()
        };
        let list = doc.list_before(i);
        let siblings: Vec<usize> = if l.is_item() {
            doc.siblings(i)
                .filter(|j| *j < i && doc.lines[*j].is_item())
                .collect()
        } else if stated(&list) >= 2 {
            // A total line right after the list it totals (two of its items at least
            // state a figure of the total's kind).
            list
        } else {
            // A total line under the last of the sections it totals.
            match doc.section(i) {
                Some(h) => doc
                    .siblings(h)
                    .filter(|j| *j <= h && doc.lines[*j].is_heading())
                    .collect(),
                None => vec![],
            }
        };
        let parts: Vec<Part> = siblings
            .iter()
            .filter_map(|k| sibling_quantity(doc, *k, &claim.unit).map(|q| (*k, q)))
            .collect();
        let complete = parts.len() == siblings.len();
        let r = reading(&claim, true);
        out.extend(report(
            cx,
            i,
            &claim,
            &parts,
            complete,
            r,
            "the parts before it",
        ));
    }
}

static GROUP_CLAIM: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?P<n>\d+)\s+(?:[a-z][\w-]*\s+)?(?P<noun>phase|stage|step)s\b")
        .expect("valid pattern")
});
static NUMBERED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^[^a-z0-9]*(?P<noun>phase|stage|step)\s+\d+\b").expect("valid pattern")
});

/// "6 validation stages over 3.5 hours", "(5 phases, 20-40 hours)": the one group of
/// exactly that many phases or stages in the document, each with its duration.
fn groups(cx: &Ctx, out: &mut Vec<Diagnostic>) {
    let doc = cx.doc;
    // Groups: numbered headings under one parent, or the items of a lead line that
    // names the noun.
    let mut found: Vec<(String, Vec<usize>)> = Vec::new();
    let mut seen: std::collections::HashSet<usize> = Default::default();
    for i in 0..doc.lines.len() {
        let l = &doc.lines[i];
        if !l.readable() {
            continue;
        }
        if l.is_heading()
            && !seen.contains(&i)
            && let Some(c) = NUMBERED.captures(&text(doc, i))
        {
            {
                let noun = c["noun"].to_ascii_lowercase();
                let members: Vec<usize> = doc
                    .siblings(i)
                    .filter(|j| {
                        let o = &doc.lines[*j];
                        *j >= i
                            && o.kind == l.kind
                            && NUMBERED
                                .captures(&text(doc, *j))
                                .is_some_and(|c| c["noun"].eq_ignore_ascii_case(&noun))
                    })
                    .collect();
                seen.extend(members.iter().copied());
                found.push((noun, members));
            }
        }
        if l.kind == (Kind::Para { lead: true }) {
            let t = text(doc, i).to_ascii_lowercase();
            for noun in ["phase", "stage", "step"] {
                if t.contains(&format!("{noun}s")) {
                    let members: Vec<usize> = doc
                        .children(i)
                        .filter(|j| doc.lines[*j].is_item())
                        .collect();
                    found.push((noun.to_string(), members));
                }
            }
        }
    }
    // Only groups whose every member states its duration.
    found.retain(|(_, members)| {
        members
            .iter()
            .all(|k| quantity::paren_duration(&text(doc, *k)).is_some())
    });
    for i in 0..doc.lines.len() {
        if !doc.lines[i].readable() {
            continue;
        }
        let t = text(doc, i);
        for c in GROUP_CLAIM.captures_iter(&t) {
            let m = c.get(0).expect("match");
            // The duration that follows in the same clause.
            let rest_end = t[m.end()..]
                .find(". ")
                .into_iter()
                .chain(t[m.end()..].find(';'))
                .min()
                .map_or(t.len(), |k| m.end() + k);
            let clause = &t[m.end()..rest_end];
            if NOT_A_SUM.is_match(clause) {
                continue;
            }
            let Some(claim) = quantity::durations(clause).into_iter().next() else {
                continue;
            };
            let claim = Q {
                start: claim.start + m.end(),
                end: claim.end + m.end(),
                ..claim
            };
            let Ok(n) = c["n"].parse::<usize>() else {
                continue;
            };
            let noun = c["noun"].to_ascii_lowercase();
            let matching: Vec<&Vec<usize>> = found
                .iter()
                .filter(|(g, members)| *g == noun && members.len() == n && !members.contains(&i))
                .map(|(_, m)| m)
                .collect();
            let [members] = matching.as_slice() else {
                continue;
            };
            let parts: Vec<Part> = members
                .iter()
                .filter_map(|k| quantity::paren_duration(&text(doc, *k)).map(|q| (*k, q)))
                .collect();
            if parts.len() != n {
                continue;
            }
            out.extend(report(
                cx,
                i,
                &claim,
                &parts,
                true,
                Reading::Window,
                &format!("its {n} {noun}s"),
            ));
        }
    }
}

static ENTRY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\((?P<kb>\d+(?:\.\d+)?)\s*KB,\s*(?P<lines>\d{1,3}(?:,\d{3})+|\d+)\s+lines\)")
        .expect("valid pattern")
});
static DOCUMENTS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?P<n>\d+)\s+(?:[a-z]+\s+){0,2}documents\b").expect("valid pattern")
});

/// "5 comprehensive documents (50.2 KB, 2,018 lines)" against each listed
/// document's "(6.4 KB, 270 lines)".
fn inventory(cx: &Ctx, out: &mut Vec<Diagnostic>) {
    let doc = cx.doc;
    let readable: Vec<usize> = (0..doc.lines.len())
        .filter(|i| doc.lines[*i].readable())
        .collect();
    let claim_lines: Vec<(usize, usize)> = readable
        .iter()
        .filter_map(|i| {
            let t = text(doc, *i);
            let n = DOCUMENTS.captures(&t)?["n"].parse().ok()?;
            Some((*i, n))
        })
        .collect();
    let claim_set: std::collections::HashSet<usize> = claim_lines.iter().map(|(c, _)| *c).collect();
    let mut kb_parts: Vec<Part> = Vec::new();
    let mut line_parts: Vec<Part> = Vec::new();
    for i in &readable {
        if claim_set.contains(i) {
            continue;
        }
        let t = text(doc, *i);
        for c in ENTRY.captures_iter(&t) {
            let t_kb = quantity::sizes(&c[0]);
            let t_lines = quantity::counts(&c[0]);
            if let (Some(kb), Some(lines)) = (t_kb.first(), t_lines.first()) {
                let off = c.get(0).expect("match").start();
                kb_parts.push((
                    *i,
                    Q {
                        start: kb.start + off,
                        end: kb.end + off,
                        ..kb.clone()
                    },
                ));
                line_parts.push((
                    *i,
                    Q {
                        start: lines.start + off,
                        end: lines.end + off,
                        ..lines.clone()
                    },
                ));
            }
        }
    }
    for (i, n) in claim_lines {
        if kb_parts.len() != n {
            continue;
        }
        // The totals: on the claim line, or in items beside it that say "total".
        let mut lines_to_read = vec![i];
        if doc.lines[i].is_item() {
            lines_to_read.extend(
                doc.siblings(i)
                    .filter(|j| *j != i && doc.lines[*j].is_item())
                    .filter(|j| text(doc, *j).to_ascii_lowercase().contains("total")),
            );
        }
        for j in lines_to_read {
            let t = text(doc, j);
            for claim in quantity::sizes(&t) {
                out.extend(report(
                    cx,
                    j,
                    &claim,
                    &kb_parts,
                    true,
                    Reading::Total,
                    &format!("the sizes of the {n} documents"),
                ));
            }
            for claim in quantity::counts(&t)
                .into_iter()
                .filter(|q| q.unit == Unit::Count("line".into()))
            {
                out.extend(report(
                    cx,
                    j,
                    &claim,
                    &line_parts,
                    true,
                    Reading::Total,
                    &format!("the lines of the {n} documents"),
                ));
            }
        }
    }
}
