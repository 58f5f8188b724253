//! GN1302 audit-sum in Markdown tables, where real documents keep their arithmetic:
//! a `Total` (`TOTAL`, `Grand total`, `Sum`) row whose cells are not the sums of the
//! rows above, and a `Total` column that is not the sum of the other figures of its
//! row; and a total stated on the line after a table ("Total: 1,640 tests",
//! "Total downtime: 10 min") that is not the sum of the column it totals.
//!
//! Precision first. A column is summed only when every row above the total states a
//! figure of one kind (a number, a duration, a size or a fraction `a/b`) and its
//! header does not name something that does not add up (a rate, an average, a
//! percentage, a version, a date). A table with a subtotal, or with more than one total
//! row, is not read. A total column is read only where the table itself shows that it
//! sums the other figures: in at least two rows it does, exactly. A total below a
//! table is read only when exactly one column holds its kind of figure in every row
//! and that column's header names nothing its label does not ("Total tests" does not
//! total a "Failed tests" column).

use super::Ctx;
use super::doc::{Kind, plain};
use super::quantity::{self, Q, Unit};
use super::sums::{Reading, report};
use crate::diag::Diagnostic;
use regex::Regex;
use std::sync::LazyLock;

pub fn check(cx: &Ctx, out: &mut Vec<Diagnostic>) {
    for t in tables(cx) {
        total_row(cx, &t, out);
        total_column(cx, &t, out);
        total_below(cx, &t, out);
    }
}

/// A cell: its text (markup blanked) and byte range in the line's content.
pub(crate) struct Cell {
    pub text: String,
    pub start: usize,
    pub end: usize,
}

pub(crate) struct Table {
    /// The line index of the header row.
    pub head: usize,
    pub header: Vec<String>,
    /// (line index, cells) of the body rows.
    pub rows: Vec<(usize, Vec<Cell>)>,
}

fn cells(content: &str) -> Vec<Cell> {
    let p = plain(content);
    let mut out = vec![];
    let bytes = p.as_bytes();
    let mut start = 0;
    let mut i = 0;
    while i <= bytes.len() {
        let at_bar = i < bytes.len() && bytes[i] == b'|' && (i == 0 || bytes[i - 1] != b'\\');
        if at_bar || i == bytes.len() {
            let raw = &p[start..i];
            let lead = raw.len() - raw.trim_start().len();
            let text = raw.trim().to_string();
            out.push(Cell {
                start: start + lead,
                end: start + lead + text.len(),
                text,
            });
            start = i + 1;
        }
        i += 1;
    }
    // The empty cells before a leading `|` and after a trailing one.
    if out.first().is_some_and(|c| c.text.is_empty()) && p.trim_start().starts_with('|') {
        out.remove(0);
    }
    if out.last().is_some_and(|c| c.text.is_empty()) && p.trim_end().ends_with('|') {
        out.pop();
    }
    out
}

/// The tables of the document: a header row, the `|---|` rule, then body rows.
pub(crate) fn tables(cx: &Ctx) -> Vec<Table> {
    let lines = &cx.doc.lines;
    let mut out = vec![];
    let mut i = 0;
    while i + 1 < lines.len() {
        let (h, r) = (&lines[i], &lines[i + 1]);
        if h.fenced || h.kind != Kind::Row || r.kind != Kind::Rule || !r.text.contains('|') {
            i += 1;
            continue;
        }
        let header: Vec<String> = cells(h.content()).into_iter().map(|c| c.text).collect();
        let mut rows = vec![];
        let mut j = i + 2;
        while j < lines.len() && lines[j].kind == Kind::Row && !lines[j].fenced {
            rows.push((j, cells(lines[j].content())));
            j += 1;
        }
        out.push(Table {
            head: i,
            header,
            rows,
        });
        i = j;
    }
    out
}

static TOTAL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(?:grand\s+)?(?:totals?|sum)\b[^a-z0-9]*$").expect("valid pattern")
});
static SUBTOTAL: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)\bsub-?totals?\b").expect("valid pattern"));
/// Headers of figures that do not add up.
static NOT_ADDED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)%|\b(?:rate|ratio|avg|average|mean|median|p\d\d|percent(?:age)?|max(?:imum)?|min(?:imum)?|per|each|version|id|no|year|date|day|start|end|at|when|target|threshold|limit|goal|score|level|priority|port|build|release|week|sprint|phase|step|delta|diff(?:erence)?|growth|trend)\b|#|^\W*change\b(?:\s+(?:vs|from|since|over|on)\b.*)?\W*$")
        .expect("valid pattern")
});
static NUMBER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?P<cur>[$€£])?\s*(?P<n>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)$")
        .expect("valid pattern")
});
static FRACTION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?P<a>\d{1,3}(?:,\d{3})+|\d+)\s*/\s*(?P<b>\d{1,3}(?:,\d{3})+|\d+)$")
        .expect("valid pattern")
});

/// What a cell states: figures of one kind, each a quantity.
#[derive(Clone)]
enum Val {
    One(Q),
    Frac(Q, Q),
}

impl Val {
    fn kind(&self) -> String {
        match self {
            Val::One(q) => format!("{:?}", q.unit),
            Val::Frac(..) => "fraction".into(),
        }
    }
}

fn number(s: &str, start: usize, end: usize) -> Option<Q> {
    let c = NUMBER.captures(s)?;
    let n = &c["n"];
    let v = quantity::num(n)?;
    Some(Q {
        lo: v,
        hi: v,
        open: false,
        tol: quantity::half_ulp(n),
        unit: Unit::Number(
            c.name("cur")
                .map(|m| m.as_str().to_string())
                .unwrap_or_default(),
        ),
        start,
        end,
    })
}

fn value(c: &Cell) -> Option<Val> {
    let s = c.text.as_str();
    if s.is_empty() || s.contains('%') {
        return None;
    }
    if let Some(q) = number(s, c.start, c.end) {
        return Some(Val::One(q));
    }
    if let Some(f) = FRACTION.captures(s) {
        let a = f.name("a")?;
        let b = f.name("b")?;
        let q = |m: regex::Match| number(m.as_str(), c.start + m.start(), c.start + m.end());
        return Some(Val::Frac(q(a)?, q(b)?));
    }
    // A duration or a size that is the whole cell.
    let mut qs = quantity::durations(s);
    qs.extend(quantity::sizes(s));
    if let [q] = qs.as_slice()
        && q.start == 0
        && q.end == s.len()
        && !q.open
    {
        return Some(Val::One(Q {
            start: c.start + q.start,
            end: c.start + q.end,
            ..q.clone()
        }));
    }
    None
}

fn is_total(c: &Cell) -> bool {
    TOTAL.is_match(&c.text)
}

/// A `Total` row: each column summed over the rows above it.
fn total_row(cx: &Ctx, t: &Table, out: &mut Vec<Diagnostic>) {
    let totals: Vec<usize> = (0..t.rows.len())
        .filter(|&r| t.rows[r].1.first().is_some_and(is_total))
        .collect();
    let sub = t
        .rows
        .iter()
        .any(|(_, cs)| cs.iter().any(|c| SUBTOTAL.is_match(&c.text)));
    let [at] = totals.as_slice() else { return };
    if sub || *at < 2 {
        return;
    }
    let (line, total) = &t.rows[*at];
    for (col, cell) in total.iter().enumerate().skip(1) {
        let header = t.header.get(col).map(String::as_str).unwrap_or("");
        if NOT_ADDED.is_match(header) {
            continue;
        }
        let Some(claim) = value(cell) else {
            continue;
        };
        let parts: Option<Vec<(usize, Val)>> = t.rows[..*at]
            .iter()
            .map(|(l, cs)| {
                let v = value(cs.get(col)?)?;
                (v.kind() == claim.kind()).then_some((*l, v))
            })
            .collect();
        let Some(parts) = parts else { continue };
        let what = format!("the {} rows above it", parts.len());
        match claim {
            Val::One(c) => {
                let ps: Vec<(usize, Q)> = parts
                    .into_iter()
                    .filter_map(|(l, v)| match v {
                        Val::One(q) => Some((l, q)),
                        Val::Frac(..) => None,
                    })
                    .collect();
                out.extend(report(cx, *line, &c, &ps, true, Reading::Total, &what));
            }
            Val::Frac(a, b) => {
                let (mut num, mut den) = (vec![], vec![]);
                for (l, v) in parts {
                    if let Val::Frac(x, y) = v {
                        num.push((l, x));
                        den.push((l, y));
                    }
                }
                out.extend(report(cx, *line, &a, &num, true, Reading::Total, &what));
                out.extend(report(cx, *line, &b, &den, true, Reading::Total, &what));
            }
        }
    }
}

/// A `Total` column: in each row, the sum of the row's other figures of its kind,
/// where the table shows (in two rows at least) that this is what it holds.
fn total_column(cx: &Ctx, t: &Table, out: &mut Vec<Diagnostic>) {
    let Some(tc) = (1..t.header.len()).find(|&c| TOTAL.is_match(&t.header[c])) else {
        return;
    };
    // The columns that take part: every body row states a figure there.
    let numeric = |c: usize| {
        !NOT_ADDED.is_match(&t.header[c])
            && t.rows.iter().all(|(_, cs)| {
                cs.get(c)
                    .and_then(value)
                    .is_some_and(|v| matches!(v, Val::One(_)))
            })
    };
    let part_cols: Vec<usize> = (1..t.header.len())
        .filter(|&c| c != tc && numeric(c))
        .collect();
    if part_cols.len() < 2 || !numeric(tc) {
        return;
    }
    let one = |v: Option<Val>| match v {
        Some(Val::One(q)) => Some(q),
        _ => None,
    };
    let mut agree = 0;
    let mut wrong = vec![];
    for (l, cs) in &t.rows {
        let Some(total) = one(cs.get(tc).and_then(value)) else {
            return;
        };
        let parts: Vec<Q> = part_cols
            .iter()
            .filter_map(|&c| one(cs.get(c).and_then(value)))
            .collect();
        if parts.iter().any(|q| q.unit != total.unit) {
            return;
        }
        let sum: f64 = parts.iter().map(|q| q.lo).sum();
        let tol = total.tol + parts.iter().map(|q| q.tol).sum::<f64>() + 1e-9;
        if (sum - total.lo).abs() <= tol {
            agree += 1;
        } else {
            wrong.push((*l, total, parts, sum));
        }
    }
    if agree < 2 {
        return;
    }
    let names: Vec<&str> = part_cols.iter().map(|&c| t.header[c].as_str()).collect();
    for (l, total, parts, sum) in wrong {
        let shown: Vec<String> = parts.iter().map(Q::show).collect();
        out.push(
            Diagnostic::error(
                "GN1302",
                format!(
                    "{} is not the sum of its row ({})",
                    total.show(),
                    names.join(", ")
                ),
            )
            .at(cx.loc(l, total.start, total.end))
            .claimed(total.show())
            .computed(total.unit.show(sum))
            .note(format!("the parts: {}", shown.join(" + ")))
            .note(format!(
                "in {agree} other rows of the table the total column is the sum of these columns"
            )),
        );
    }
}

/// "Total: 1,640 tests", "**Total tests: 1,640**", "Total downtime: 10 min" on the
/// line after a table: the label (up to four words) and the text after the colon.
static BELOW: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^[^a-z0-9]*(?:grand\s+)?total(?P<label>(?:\s+[a-z][a-z-]*){0,4})[^a-z0-9:]*:")
        .expect("valid pattern")
});
/// Label words that say nothing of what is counted.
const FILLER: [&str; 12] = [
    "estimated",
    "planned",
    "expected",
    "time",
    "duration",
    "effort",
    "count",
    "number",
    "of",
    "no",
    "total",
    "the",
];

/// Lower-case words, a trailing plural `s` dropped: "Test cases" → test, case.
fn words(s: &str) -> Vec<String> {
    s.split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| {
            let w = w.to_ascii_lowercase();
            match w.strip_suffix('s') {
                Some(x) if x.len() > 2 && !x.ends_with('s') => x.to_string(),
                _ => w,
            }
        })
        .filter(|w| !FILLER.contains(&w.as_str()))
        .collect()
}

/// The figure a total line states right after its colon: a duration, a size, a
/// count of a noun, or a bare number (counted in the label's last word, if any).
fn below_claim(t: &str, from: usize, label: &[String]) -> Option<(Q, Option<String>)> {
    let rest = &t[from..];
    let lead = rest.len() - rest.trim_start_matches([' ', '*']).len();
    let at = from + lead;
    let shift = |q: Q| Q {
        start: q.start + from,
        end: q.end + from,
        ..q
    };
    let mut found: Vec<Q> = quantity::durations(rest);
    found.extend(quantity::sizes(rest));
    found.extend(quantity::counts(rest));
    if let Some(q) = found
        .into_iter()
        .map(shift)
        .find(|q| q.start == at && !q.open)
    {
        let noun = match &q.unit {
            Unit::Count(n) => Some(n.clone()),
            _ => None,
        };
        return Some((q, noun));
    }
    let figure = &t[at..];
    let end = figure
        .find(|c: char| !(c.is_ascii_digit() || matches!(c, ',' | '.' | '$' | '€' | '£')))
        .unwrap_or(figure.len());
    let digits = figure[..end].trim_end_matches(['.', ',']);
    // The figure ends the clause: "Total tests: 1,640", "Total: 1,640 (all passed)".
    let after = figure[digits.len()..].trim_start_matches([' ', '*']);
    if !(after.is_empty() || after.starts_with(['(', '.', ';', ','])) {
        return None;
    }
    let q = number(digits, at, at + digits.len())?;
    // "Total tests: 1,640" counts tests; "Total PRs merged: 131" is shown as written.
    let plural = t[..from]
        .trim_end_matches(|c: char| !c.is_ascii_alphanumeric())
        .ends_with(['s', 'S']);
    match (label.last(), &q.unit) {
        (Some(noun), Unit::Number(cur)) if cur.is_empty() && plural => Some((
            Q {
                unit: Unit::Count(noun.clone()),
                ..q
            },
            Some(noun.clone()),
        )),
        (noun, _) => Some((q, noun.cloned())),
    }
}

/// A total stated on the line after a table (a blank line between allowed): the
/// sum of the one column that holds that kind of figure in every row and whose
/// header names nothing the label does not. A table with a Total row is read there.
fn total_below(cx: &Ctx, t: &Table, out: &mut Vec<Diagnostic>) {
    let lines = &cx.doc.lines;
    let Some((last, _)) = t.rows.last() else {
        return;
    };
    if t.rows.len() < 2
        || t.rows
            .iter()
            .any(|(_, cs)| cs.first().is_some_and(is_total))
    {
        return;
    }
    let Some(j) = (last + 1..lines.len()).find(|&j| lines[j].kind != Kind::Blank) else {
        return;
    };
    let l = &lines[j];
    if !l.readable() || !matches!(l.kind, Kind::Para { .. } | Kind::Item { .. }) {
        return;
    }
    let text = plain(l.content());
    if super::sums::NOT_A_SUM.is_match(&text) || SUBTOTAL.is_match(&text) {
        return;
    }
    let Some(c) = BELOW.captures(&text) else {
        return;
    };
    let label = words(&c["label"]);
    let Some((claim, noun)) = below_claim(&text, c.get(0).expect("match").end(), &label) else {
        return;
    };
    // The columns that hold a figure of the claim's kind in every row.
    let column = |col: usize| -> Option<Vec<(usize, Q)>> {
        let header = t.header.get(col)?;
        if NOT_ADDED.is_match(header) {
            return None;
        }
        let head = words(header);
        // "Total failed tests" does not total a Tests column.
        if label
            .iter()
            .any(|w| !head.contains(w) && super::labelled::SUBSET.is_match(w))
        {
            return None;
        }
        // The table's own Total column, when the label names no other column.
        let own_total = TOTAL.is_match(header);
        let named = own_total
            || match &noun {
                // Counted: the header names the noun and no word the label lacks.
                Some(n) => head.contains(n) && head.iter().all(|w| w == n || label.contains(w)),
                // A duration, size or sum: any header, unless the label names what it is.
                None => label.is_empty() || label.iter().any(|w| head.contains(w)),
            };
        if !named {
            return None;
        }
        t.rows
            .iter()
            .map(|(l, cs)| match value(cs.get(col)?)? {
                Val::One(q) => {
                    let same = match (&claim.unit, &q.unit) {
                        (Unit::Count(_), Unit::Number(cur)) => cur.is_empty(),
                        (a, b) => a == b,
                    };
                    same.then_some((
                        *l,
                        Q {
                            unit: claim.unit.clone(),
                            ..q
                        },
                    ))
                }
                Val::Frac(..) => None,
            })
            .collect()
    };
    let found: Vec<Vec<(usize, Q)>> = (1..t.header.len()).filter_map(column).collect();
    let [parts] = found.as_slice() else { return };
    let what = format!(
        "the {} rows of the table above it (line {})",
        parts.len(),
        lines[t.head].no
    );
    out.extend(report(cx, j, &claim, parts, true, Reading::Total, &what));
}
