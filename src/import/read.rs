//! A hand-written document read into a draft release: the facts in the forms `gonogo
//! audit` understands, each figure the document states about them as a claim, and
//! every line not placed as a fact kept as narrative. Each value remembers its line.
//!
//! What is read: the title (product and version); "Deployment:" and "Status:" /
//! "Decision:" lines; sign-off blocks (a heading, then Name / Date / Status lines) and
//! tables of approvals (Role, Name, Status); "All N approvals obtained"; metric tables
//! (Metric, Target, Actual, and "N% better"); risk tables (Risk, Level, Status); test
//! results "116/116 tests passing" and tables of suites (Suite, Passed, Failed); and
//! sections whose headings state a duration in brackets, with their sub-sections and
//! list items, as checklists (task items `[x]` done). A value gonogo's own parser
//! would not take is left in the narrative, never written as a fact.

use crate::audit::doc::{self, Doc, Kind, plain};
use crate::audit::quantity;
use crate::audit::tables::{self, Table};
use crate::model::Target;
use regex::Regex;
use std::collections::BTreeSet;
use std::sync::LazyLock;

mod approvals;
mod checklists;
mod table;

/// A value and the line (1-based) it came from.
pub type At<T> = (T, u64);

#[derive(Default)]
pub struct Draft {
    pub title: String,
    pub product: String,
    pub version: Option<String>,
    pub deploy: Option<At<String>>,
    pub decision: Option<At<&'static str>>,
    pub status: Option<At<&'static str>>,
    pub suites: Vec<Suite>,
    pub metrics: Vec<Metric>,
    pub signoffs: Vec<Signoff>,
    /// The line of a statement that every approval is in, and the count it gives.
    pub all_approved: Option<(u64, Option<usize>)>,
    /// How many tables or runs of sign-off blocks the approvals came from.
    pub approval_groups: usize,
    pub risks: Vec<Risk>,
    pub checklists: Vec<Node>,
    pub narrative: Vec<(String, String)>,
}

pub struct Suite {
    pub name: String,
    pub passed: u64,
    pub failed: u64,
    pub line: u64,
}

pub struct Metric {
    pub name: String,
    pub target: String,
    pub actual: Option<String>,
    pub better: Option<String>,
    pub line: u64,
}

pub struct Signoff {
    pub role: String,
    pub name: Option<String>,
    pub status: &'static str,
    pub date: Option<String>,
    pub line: u64,
}

pub struct Risk {
    pub title: String,
    pub level: &'static str,
    pub status: &'static str,
    pub mitigation: Option<String>,
    pub line: u64,
}

/// What a node's duration is in the draft.
#[derive(Clone, Copy, PartialEq)]
pub enum Claim {
    /// Its own (not every item states one): a fact.
    Fact,
    /// A claim about the items' sum, from the line given: a "Total …:" line, or a
    /// heading over items that take longer than it says.
    Sum(u64),
    /// A time given for the whole that its items fit in: kept as a comment, since
    /// gonogo compares a node's duration with the exact sum.
    Window,
}

pub struct Node {
    pub title: String,
    pub duration: Option<String>,
    pub claim: Claim,
    pub done: Option<bool>,
    pub items: Vec<Node>,
    pub line: u64,
}

pub fn read(text: &str) -> Draft {
    let d = doc::parse(text);
    let cx = crate::audit::Ctx { file: 0, doc: &d };
    let wrong = crate::audit::audit_text(0, text)
        .into_iter()
        .filter(|f| f.code == "GN1302")
        .filter_map(|f| f.loc.map(|l| l.line))
        .collect();
    let mut r = Reader {
        d: &d,
        wrong,
        used: BTreeSet::new(),
        out: Draft::default(),
    };
    r.title();
    r.key_values();
    for t in tables::tables(&cx) {
        r.table(&t);
    }
    r.signoff_blocks();
    r.approval_lines();
    r.checklists();
    r.narrative();
    r.out
}

struct Reader<'a> {
    d: &'a Doc<'a>,
    /// The lines where `gonogo audit` finds a total that is not the sum of its parts.
    wrong: BTreeSet<u64>,
    /// Lines placed as facts: not repeated in the narrative.
    used: BTreeSet<usize>,
    out: Draft,
}

/// Emoji and markers around a value: "✅ APPROVED", "🟢 **GO**".
fn bare(v: &str) -> String {
    let s = bare_unbalanced(v);
    // "Pre-Approval Phase (Now)" keeps its closing bracket.
    if s.matches('(').count() > s.matches(')').count() {
        format!("{s})")
    } else {
        s
    }
}

fn bare_unbalanced(v: &str) -> String {
    let keep = |c: char| c.is_alphanumeric() || matches!(c, '<' | '>' | '=' | '+' | '%');
    let v = v.trim_matches(|c: char| !keep(c));
    // A status marker after the name: "Automated Testing ✅ COMPLETE".
    let v = match v.find(|c: char| !c.is_alphanumeric() && c >= '\u{2190}') {
        Some(i) if i > 0 => &v[..i],
        _ => v,
    };
    v.trim_matches(|c: char| !keep(c)).trim().to_string()
}

static VERSION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\bv?(?P<v>\d+(?:\.\d+)+(?:-[a-z0-9.]+)?)\b").expect("valid pattern")
});
static ISO: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b(?P<d>\d{4}-\d{2}-\d{2})(?:[ T]+(?:at\s+)?(?P<t>\d{1,2}:\d{2}))?")
        .expect("valid pattern")
});
static WRITTEN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?P<mon>(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*)\.?\s+(?P<d>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<y>\d{4})(?:,?\s+(?:at\s+)?(?P<t>\d{1,2}:\d{2})\s*(?P<ampm>[ap]\.?m\.?)?)?")
        .expect("valid pattern")
});
/// "13 Mar 2026", "5 July 2025 at 06:00".
static DAY_FIRST: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?P<d>\d{1,2})(?:st|nd|rd|th)?\s+(?P<mon>(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*)\.?,?\s+(?P<y>\d{4})(?:,?\s+(?:at\s+)?(?P<t>\d{1,2}:\d{2})\s*(?P<ampm>[ap]\.?m\.?)?)?")
        .expect("valid pattern")
});
static WEEKDAY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)\b(?P<wd>(?:mon|tues?|wed(?:nes)?|thu(?:rs)?|fri|sat(?:ur)?|sun)(?:day)?)\b,?\s*$",
    )
    .expect("valid pattern")
});

/// "Monday, December 25, 2025 at 06:00 UTC" → "Monday, 2025-12-25 06:00": the date
/// as gonogo writes it, the weekday kept as the claim it is.
fn date_value(v: &str) -> Option<String> {
    let (date, time, at) = if let Some(c) = ISO.captures(v) {
        let m = c.get(0).expect("match");
        (
            c["d"].to_string(),
            c.name("t").map(|t| t.as_str().to_string()),
            m.start(),
        )
    } else {
        let c = WRITTEN.captures(v).or_else(|| DAY_FIRST.captures(v))?;
        let m = c.get(0).expect("match");
        let month = crate::textdate::month_number(&c["mon"])?;
        let date =
            chrono::NaiveDate::from_ymd_opt(c["y"].parse().ok()?, month, c["d"].parse().ok()?)?;
        let time = c.name("t").and_then(|t| {
            let (h, mi) = t.as_str().split_once(':')?;
            let mut h: u32 = h.parse().ok()?;
            match c.name("ampm").map(|a| a.as_str().to_ascii_lowercase()) {
                Some(a) if a.starts_with('p') && h < 12 => h += 12,
                Some(a) if a.starts_with('a') && h == 12 => h = 0,
                _ => {}
            }
            Some(format!("{h:02}:{mi}"))
        });
        (date.format("%Y-%m-%d").to_string(), time, m.start())
    };
    let weekday = WEEKDAY.captures(&v[..at]).map(|c| c["wd"].to_string());
    let text = match (weekday, time) {
        (Some(w), Some(t)) => format!("{w}, {date} {t}"),
        (Some(w), None) => format!("{w}, {date}"),
        (None, Some(t)) => format!("{date} {t}"),
        (None, None) => date,
    };
    crate::when::When::parse(&text).ok().map(|_| text)
}

fn decision_word(v: &str) -> Option<&'static str> {
    let v = bare(v).to_ascii_uppercase();
    if v.starts_with("NO-GO") || v.starts_with("NO GO") {
        Some("NO-GO")
    } else if v.starts_with("GO WITH CONDITIONS") || v.starts_with("CONDITIONAL GO") {
        Some("GO WITH CONDITIONS")
    } else if v == "GO" || v.starts_with("GO FOR") || v.starts_with("GO ") && !v.contains("NOT") {
        Some("GO")
    } else {
        None
    }
}

fn readiness_word(v: &str) -> Option<&'static str> {
    let v = bare(v).to_ascii_uppercase();
    if v.starts_with("NOT READY") {
        Some("not ready")
    } else if v.starts_with("READY FOR PRODUCTION") || v == "READY" {
        Some("ready")
    } else {
        None
    }
}

impl Reader<'_> {
    fn text(&self, i: usize) -> String {
        plain(self.d.lines[i].content())
    }

    fn no(&self, i: usize) -> u64 {
        self.d.lines[i].no
    }

    /// The first heading: product and version.
    fn title(&mut self) {
        let Some(i) = (0..self.d.lines.len())
            .find(|i| self.d.lines[*i].readable() && self.d.lines[*i].is_heading())
        else {
            return;
        };
        let t = self.d.lines[i].content().trim().to_string();
        self.out.title = bare(&t);
        let head = self
            .out
            .title
            .split([':', '—', '–', '|'])
            .next()
            .unwrap_or("")
            .to_string();
        let head = head.split(" - ").next().unwrap_or("").trim().to_string();
        match VERSION.captures(&head) {
            Some(c) => {
                let m = c.get(0).expect("match");
                self.out.version = Some(c["v"].to_string());
                self.out.product = bare(&head[..m.start()]);
            }
            None => self.out.product = bare(&head),
        }
        if self.out.product.is_empty() {
            self.out.product = self.out.title.clone();
        }
        self.used.insert(i);
    }

    /// "Deployment: …", "Status: …", "Decision: …" lines outside sign-off blocks.
    fn key_values(&mut self) {
        for i in 0..self.d.lines.len() {
            let l = &self.d.lines[i];
            if !l.readable() || !matches!(l.kind, Kind::Para { .. } | Kind::Item { .. }) {
                continue;
            }
            let t = self.text(i);
            let Some((k, v)) = t.split_once(':') else {
                continue;
            };
            let k = k.trim().to_ascii_lowercase();
            let in_signoff = self.signoff_section(i);
            if in_signoff {
                continue;
            }
            if self.out.deploy.is_none()
                && matches!(
                    k.as_str(),
                    "deployment"
                        | "deployment date"
                        | "deploy"
                        | "deploy date"
                        | "go-live"
                        | "go-live date"
                        | "release date"
                        | "launch"
                        | "launch date"
                        | "target launch"
                        | "production deployment"
                )
                && let Some(when) = date_value(v)
            {
                self.out.deploy = Some((when, l.no));
                self.used.insert(i);
            } else if matches!(
                k.as_str(),
                "decision" | "final decision" | "go/no-go decision"
            ) && self.out.decision.is_none()
                && let Some(w) = decision_word(v)
            {
                self.out.decision = Some((w, l.no));
                self.used.insert(i);
            } else if matches!(
                k.as_str(),
                "status" | "current status" | "readiness" | "overall status"
            ) && self.out.status.is_none()
                && (k != "status"
                    || self.d.section(i).is_none_or(|h| {
                        self.d.lines[h].kind == Kind::Heading(1) || OVERALL.is_match(&self.text(h))
                    }))
                && let Some(w) = readiness_word(v)
            {
                self.out.status = Some((w, l.no));
                self.used.insert(i);
            }
            if let Some(r) = tests_result(&t) {
                let key = t.split_once(':').map(|(k, _)| bare(k)).unwrap_or_default();
                let name = self
                    .d
                    .section(i)
                    .map(|h| bare(&self.text(h)))
                    .filter(|_| matches!(key.to_ascii_lowercase().as_str(), "result" | "results"))
                    .unwrap_or(key);
                if !name.is_empty() && !self.out.suites.iter().any(|s| s.name == name) {
                    self.out.suites.push(Suite {
                        name,
                        passed: r.0,
                        failed: r.1 - r.0,
                        line: l.no,
                    });
                    self.used.insert(i);
                }
            }
        }
    }

    /// Every line not placed as a fact, under its second-level section.
    fn narrative(&mut self) {
        let mut current: Option<(String, Vec<&str>)> = None;
        let mut sections: Vec<(String, Vec<&str>)> = vec![];
        for (i, l) in self.d.lines.iter().enumerate() {
            if !l.fenced && l.kind == Kind::Heading(2) {
                if let Some(c) = current.take() {
                    sections.push(c);
                }
                current = Some((bare(l.content()), vec![]));
                continue;
            }
            if self.used.contains(&i) || (!l.fenced && matches!(l.kind, Kind::Heading(1))) {
                continue;
            }
            let c = current.get_or_insert_with(|| ("Summary".to_string(), vec![]));
            // A horizontal rule is layout, not content.
            if !l.fenced
                && l.kind == Kind::Rule
                && !l.text.contains('|')
                && !l.text.trim_start().starts_with(['`', '~'])
            {
                continue;
            }
            c.1.push(l.text);
        }
        sections.extend(current);
        for (title, lines) in sections {
            let mut body = lines.join("\n").trim().to_string();
            // Braces that would read as a template are the document's own text.
            if body.contains("{{") || body.contains("{%") || body.contains("{#") {
                body = format!("{{% raw %}}\n{body}\n{{% endraw %}}");
            }
            if !body.is_empty() {
                self.out.narrative.push((
                    if title.is_empty() {
                        "Notes".into()
                    } else {
                        title
                    },
                    body,
                ));
            }
        }
    }
}

/// Sections whose "Status:" is the release's: readiness, decision, summary, status.
static OVERALL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:readiness|decision|summary|status|conclusion|go/no-go|overview)\b")
        .expect("valid pattern")
});
static RESULT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(?P<a>\d{1,3}(?:,\d{3})+|\d+)\s*/\s*(?P<b>\d{1,3}(?:,\d{3})+|\d+)\s+(?:automated\s+)?tests?\s+(?:passing|passed|pass)\b")
        .expect("valid pattern")
});

/// "Result: 116/116 tests passing (100%)": (passed, run).
fn tests_result(t: &str) -> Option<(u64, u64)> {
    let c = RESULT.captures(t)?;
    let a = quantity::num(&c["a"])? as u64;
    let b = quantity::num(&c["b"])? as u64;
    (a <= b).then_some((a, b))
}
