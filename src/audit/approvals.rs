//! GN1308 audit-approvals: a statement that every approval is in ("All 4 approvals
//! obtained", "every sign-off received") while the document's own table of
//! approvals shows one that is not: a status PENDING, awaited, rejected or blank, or
//! a count of approvals the table does not have.
//!
//! Precision first. A table is a table of approvals when it has one status column
//! ("Status", "Approval", "Decision", "Signed") and a column that names who approves
//! ("Role", "Approver", "Name", "Team"), and at least one of its rows is approved. A
//! statement is read only when it says the approvals are in ("obtained", "received",
//! "complete", "in place"), not when it says they will be or must be ("once all
//! approvals are obtained", "all sign-offs are required"). The statement is read
//! against the nearest table of approvals in its section or the sections under it;
//! a table under another heading is about something else.

use super::Ctx;
use super::doc::{Kind, plain};
use super::tables::{Table, tables};
use crate::diag::Diagnostic;
use regex::Regex;
use std::sync::LazyLock;

/// "All 4 approvals obtained", "every required sign-off has been received",
/// "All approvers signed", "All sign-offs: complete".
static CLAIM: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:all|every)\s+(?:(?P<n>\d{1,2}|two|three|four|five|six|seven|eight|nine|ten)\s+)?(?:of\s+the\s+)?(?:[a-z][\w/-]*\s+){0,2}?(?:approvals?|sign-?offs?|approvers?|signatures?|votes?)\b(?P<rest>[^.;]{0,40})")
        .expect("valid pattern")
});
/// Words that say the approvals are in.
static DONE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^[\s:*—-]*(?:[\w.]+\s+){0,3}?(?:(?:have|has)\s+(?:been\s+)?|are\s+|were\s+|was\s+)?(?:obtained|received|given|in\s+place|in(?:\s*$|\s*[.,;!—-]|\s+and\b)|complete[d]?|collected|signed|approved|secured|in\s+hand|granted|done|recorded|logged|cast|✅|✔)")
        .expect("valid pattern")
});
/// Words before the claim, in its sentence, that make it a condition, a plan, a
/// requirement or a denial rather than a statement of fact.
static NOT_FACT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:if|once|when|until|after|before|unless|not|no|pending|awaiting|need|needs|require[sd]?|must|should|will|shall|to\s+be|expect(?:ed|s)?|ensure|verify|confirm|check|whether|until|wait(?:ing)?|request(?:ed)?)\b|\?")
        .expect("valid pattern")
});
static WHO: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:role|approver|name|team|function|area|stakeholder|owner|signatory|member|voter|who|reviewer)s?\b")
        .expect("valid pattern")
});
static STATUS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\W*(?:status|approval(?:\s+status)?|approved\??|decision|sign-?off(?:\s+status)?|signed\??|state|vote|result)\W*$")
        .expect("valid pattern")
});
static APPROVED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:approved|yes|signed|go|granted|accepted)\b|✅|✔|☑")
        .expect("valid pattern")
});
static NOT_YET: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:pending|awaiting|waiting|tbd|todo|not|no|rejected|denied|no-go|requested|in\s+review|in\s+progress|open|declined)\b|⏳|❌|🟡|🔴|✗")
        .expect("valid pattern")
});
static NOT_NEEDED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\W*(?:n/?a|not\s+(?:required|needed|applicable)|optional)\b")
        .expect("valid pattern")
});

/// A row's approval: Some(true) given, Some(false) not (yet), None not needed.
fn given(cell: &str) -> Option<bool> {
    let c = cell.trim();
    if NOT_NEEDED.is_match(c) {
        return None;
    }
    if c.chars()
        .all(|ch| matches!(ch, '-' | '—' | '–' | '_' | ' ' | '.' | '…'))
    {
        return Some(false);
    }
    Some(APPROVED.is_match(c) && !NOT_YET.is_match(c))
}

struct Approvals {
    head: usize,
    /// (line index, who, status as written, given).
    rows: Vec<(usize, String, String, bool)>,
}

fn approvals(t: &Table) -> Option<Approvals> {
    let status: Vec<usize> = (0..t.header.len())
        .filter(|c| STATUS.is_match(&t.header[*c]))
        .collect();
    let [sc] = status.as_slice() else { return None };
    let who = (0..t.header.len()).find(|c| c != sc && WHO.is_match(&t.header[*c]))?;
    let mut rows = vec![];
    for (l, cs) in &t.rows {
        let cell = cs.get(*sc).map_or("", |c| c.text.as_str());
        if let Some(g) = given(cell) {
            let name = cs.get(who).map_or("", |c| c.text.as_str());
            rows.push((*l, name.trim().to_string(), cell.trim().to_string(), g));
        }
    }
    rows.iter()
        .any(|r| r.3)
        .then_some(Approvals { head: t.head, rows })
}

fn number(w: &str) -> Option<usize> {
    let words = [
        "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
    ];
    w.parse().ok().or_else(|| {
        words
            .iter()
            .position(|x| x.eq_ignore_ascii_case(w))
            .map(|p| p + 2)
    })
}

/// A statement that every approval is in: its line, its byte range in the line's
/// text (markup blanked), and the count it states ("All 4 approvals obtained").
pub(crate) struct Statement {
    pub line: usize,
    pub start: usize,
    pub end: usize,
    pub count: Option<usize>,
}

/// Every statement of the document that says all approvals are in (not a condition,
/// a plan or a denial).
pub(crate) fn statements(cx: &Ctx) -> Vec<Statement> {
    let doc = cx.doc;
    let mut out = vec![];
    for i in 0..doc.lines.len() {
        let l = &doc.lines[i];
        if !l.readable() || l.kind == Kind::Row {
            continue;
        }
        let t = plain(l.content());
        for c in CLAIM.captures_iter(&t) {
            let m = c.get(0).expect("match");
            let sentence = t[..m.start()]
                .rfind(['.', ';', '!', ':'])
                .map_or(0, |k| k + 1);
            let rest = c.name("rest").expect("a group that always takes part");
            let Some(done) = DONE.find(rest.as_str()) else {
                continue;
            };
            // The words before the claim in its sentence, and those before its verb.
            if NOT_FACT.is_match(&t[sentence..m.start()])
                || NOT_FACT.is_match(&rest.as_str()[..done.end()])
            {
                continue;
            }
            out.push(Statement {
                line: i,
                start: m.start(),
                end: rest.start() + done.end(),
                count: c.name("n").and_then(|n| number(n.as_str())),
            });
        }
    }
    out
}

pub fn check(cx: &Ctx, out: &mut Vec<Diagnostic>) {
    let doc = cx.doc;
    let found: Vec<Approvals> = tables(cx).iter().filter_map(approvals).collect();
    if found.is_empty() {
        return;
    }
    for st in statements(cx) {
        {
            let i = st.line;
            let t = plain(doc.lines[i].content());
            let (start, end) = (st.start, st.end);
            // The nearest table of approvals in the claim's section (or one of its
            // sub-sections): a table under another heading is about something else.
            let section = doc.section(i);
            let within = |mut h: Option<usize>| loop {
                if h == section {
                    return true;
                }
                match h {
                    Some(x) => h = doc.lines[x].parent,
                    None => return false,
                }
            };
            let table = found
                .iter()
                .filter(|a| within(doc.section(a.head)))
                .min_by_key(|a| a.head.abs_diff(i));
            let Some(a) = table else { continue };
            let open: Vec<&(usize, String, String, bool)> =
                a.rows.iter().filter(|r| !r.3).collect();
            let stated = st.count;
            let counted = stated.is_some_and(|n| n != a.rows.len());
            if open.is_empty() && !counted {
                continue;
            }
            let claim = t[start..end].trim_end();
            let mut d = if open.is_empty() {
                Diagnostic::error(
                    "GN1308",
                    format!(
                        "the document says all {} approvals are in, but its table lists {}",
                        stated.unwrap_or_default(),
                        a.rows.len()
                    ),
                )
                .computed(format!("{} approvals", a.rows.len()))
            } else {
                let listed: Vec<String> = open
                    .iter()
                    .take(3)
                    .map(|(l, who, status, _)| {
                        let status = if status.is_empty() { "blank" } else { status };
                        format!("{who} ({status}, line {})", cx.line_no(*l))
                    })
                    .collect();
                let more = open.len().saturating_sub(3);
                let tail = if more > 0 {
                    format!(" and {more} more")
                } else {
                    String::new()
                };
                Diagnostic::error(
                    "GN1308",
                    format!(
                        "the document says every approval is in, but its table of approvals shows {} not given",
                        if open.len() == 1 { "one".to_string() } else { open.len().to_string() }
                    ),
                )
                .computed(format!(
                    "{} of {} approvals given",
                    a.rows.len() - open.len(),
                    a.rows.len()
                ))
                .note(format!("not given: {}{tail}", listed.join(", ")))
            };
            d = d
                .at(cx.loc(i, start, start + claim.len()))
                .claimed(claim.to_string())
                .note(format!(
                    "the table of approvals starts on line {}",
                    cx.line_no(a.head)
                ));
            out.push(d);
        }
    }
}
