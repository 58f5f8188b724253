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

fn sign_status(v: &str) -> Option<&'static str> {
    let v = bare(v).to_ascii_uppercase();
    if v.is_empty() || v.chars().all(|c| matches!(c, '_' | '-' | '—' | ' ')) {
        return Some("pending");
    }
    if v.contains("REJECT") || v.contains("NO-GO") || v.contains("DENIED") {
        Some("rejected")
    } else if v.contains("CONDITION") {
        Some("conditional")
    } else if v.contains("PENDING") || v.contains("AWAIT") || v.contains("NOT YET") || v == "TBD" {
        Some("pending")
    } else if v.contains("APPROVED") || v == "YES" || v == "GO" || v.contains("SIGNED") {
        Some("approved")
    } else {
        None
    }
}

/// A name as written, unless it is blank or a placeholder (then the sign-off has none).
fn name_value(v: &str) -> Option<String> {
    let v = v.trim().trim_matches('*').trim();
    let blank = v.is_empty()
        || v.chars().all(|c| matches!(c, '_' | '-' | '—' | ' ' | '.'))
        || matches!(
            v.to_ascii_uppercase().as_str(),
            "[NAME]" | "TBD" | "TODO" | "?"
        );
    (!blank).then(|| v.to_string())
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

    /// Whether line `i` is in a section of Name / Status lines (a sign-off block).
    fn signoff_section(&self, i: usize) -> bool {
        self.d.section(i).is_some_and(|h| self.block(h).is_some())
    }

    /// The Name / Date / Status lines directly under heading `h`, when it is a sign-off.
    fn block(&self, h: usize) -> Option<Vec<(usize, String, String)>> {
        let kv: Vec<(usize, String, String)> = self
            .d
            .children(h)
            .filter(|j| matches!(self.d.lines[*j].kind, Kind::Para { .. } | Kind::Item { .. }))
            .filter_map(|j| {
                let t = self.text(j);
                let (k, v) = t.split_once(':')?;
                Some((j, k.trim().to_ascii_lowercase(), v.trim().to_string()))
            })
            .collect();
        let has = |key: &str| kv.iter().any(|(_, k, _)| k == key);
        (has("name") && (has("status") || has("approval") || has("decision"))).then_some(kv)
    }

    /// "✅ @qa (Quinn) - Testing & QA: APPROVED", and under "Awaiting:" the items
    /// "- [ ] @pm (Morgan) - Business Approval": one sign-off a line, a role once.
    fn approval_lines(&mut self) {
        for i in 0..self.d.lines.len() {
            let l = &self.d.lines[i];
            if !l.readable() || !matches!(l.kind, Kind::Para { .. } | Kind::Item { .. }) {
                continue;
            }
            let t = self.text(i);
            let awaited = l.parent.is_some_and(|p| {
                let lead = &self.d.lines[p];
                lead.kind == (Kind::Para { lead: true }) && AWAITING_LEAD.is_match(&self.text(p))
            }) && matches!(
                l.kind,
                Kind::Item {
                    task: Some(false),
                    ..
                }
            );
            let Some(c) = APPROVAL_LINE.captures(&t) else {
                continue;
            };
            let status = match c.name("status") {
                Some(s) => sign_status(s.as_str()),
                None if awaited => Some("pending"),
                None => None,
            };
            let Some(status) = status else { continue };
            let role = bare(&c["role"]);
            if role.is_empty()
                || self
                    .out
                    .signoffs
                    .iter()
                    .any(|s| s.role.eq_ignore_ascii_case(&role))
            {
                continue;
            }
            self.out.signoffs.push(Signoff {
                role,
                name: c.name("name").and_then(|n| name_value(n.as_str())),
                status,
                date: None,
                line: l.no,
            });
            self.used.insert(i);
        }
    }

    fn signoff_blocks(&mut self) {
        let mut blocks = false;
        for h in 0..self.d.lines.len() {
            if !self.d.lines[h].is_heading() || self.d.lines[h].fenced {
                continue;
            }
            let Some(kv) = self.block(h) else { continue };
            if !blocks {
                blocks = true;
                self.out.approval_groups += 1;
            }
            let get = |key: &[&str]| {
                kv.iter()
                    .find(|(_, k, _)| key.contains(&k.as_str()))
                    .map(|(_, _, v)| v.clone())
            };
            let Some(status) =
                get(&["status", "approval", "decision"]).and_then(|s| sign_status(&s))
            else {
                continue;
            };
            self.out.signoffs.push(Signoff {
                role: bare(&self.text(h)),
                name: get(&["name"]).and_then(|n| name_value(&n)),
                status,
                date: get(&["date", "signed"])
                    .and_then(|d| date_value(&d))
                    .map(|d| {
                        // A sign-off's date is a date: a weekday in front stays in the text.
                        d.split_once(", ").map_or(d.clone(), |(_, r)| r.to_string())
                    }),
                line: self.no(h),
            });
            self.used.insert(h);
            self.used.extend(kv.iter().map(|(j, _, _)| *j));
        }
        // "All approvals obtained", "All 4 sign-offs received": read as the audit
        // reads them (not a condition, a plan or a denial).
        let cx = crate::audit::Ctx {
            file: 0,
            doc: self.d,
        };
        if let Some(st) = crate::audit::approvals::statements(&cx).first()
            && !self.out.signoffs.is_empty()
        {
            self.out.all_approved = Some((self.no(st.line), st.count));
        }
    }

    fn table(&mut self, t: &Table) {
        let col = |names: &[&str]| {
            t.header.iter().position(|h| {
                let h = bare(h).to_ascii_lowercase();
                names
                    .iter()
                    .any(|n| h == *n || h.starts_with(&format!("{n} ")))
            })
        };
        let cell = |cs: &[tables::Cell], c: Option<usize>| {
            c.and_then(|c| cs.get(c))
                .map(|x| x.text.trim().to_string())
                .unwrap_or_default()
        };
        let mut used = false;
        if let (Some(m), Some(tg)) = (
            col(&["metric", "measure", "kpi"]),
            col(&["target", "goal", "threshold"]),
        ) {
            let actual = col(&["actual", "result", "measured", "value"]);
            let status = col(&["status", "result vs target", "vs target"]);
            for (l, cs) in &t.rows {
                let target = bare(&cell(cs, Some(tg)));
                if Target::parse(&target).is_err() {
                    continue;
                }
                let a = bare(&cell(cs, actual));
                let better = cell(cs, status);
                let better = BETTER.captures(&better).map(|c| format!("{}%", &c["p"]));
                self.out.metrics.push(Metric {
                    name: bare(&cell(cs, Some(m))),
                    target,
                    actual: crate::amount::Amount::parse(&a).ok().map(|_| a),
                    better,
                    line: self.no(*l),
                });
                self.used.insert(*l);
                used = true;
            }
        } else if let (Some(r), Some(st)) = (
            col(&["role", "function", "team", "area"]).or_else(|| col(&["approver"])),
            col(&["status", "approval", "decision", "sign-off"]),
        ) {
            let name = col(&["name", "approver", "signed by"]).filter(|n| *n != r);
            let date = col(&["date", "signed", "recorded"]);
            self.out.approval_groups += 1;
            for (l, cs) in &t.rows {
                let Some(status) = sign_status(&cell(cs, Some(st))) else {
                    continue;
                };
                let n = cell(cs, name);
                self.out.signoffs.push(Signoff {
                    role: bare(&cell(cs, Some(r))),
                    name: name_value(&n),
                    status,
                    date: date_value(&cell(cs, date))
                        .map(|d| d.split_once(", ").map_or(d.clone(), |(_, r)| r.to_string())),
                    line: self.no(*l),
                });
                self.used.insert(*l);
                used = true;
            }
        } else if let (Some(r), Some(lv)) = (
            col(&["risk", "title", "description"]),
            col(&["level", "severity", "impact", "rating"]),
        ) {
            let st = col(&["status", "state"]);
            let mit = col(&["mitigation", "response", "plan"]);
            for (l, cs) in &t.rows {
                let level = match bare(&cell(cs, Some(lv))).to_ascii_lowercase().as_str() {
                    "low" => "low",
                    "medium" | "med" | "moderate" => "medium",
                    "high" => "high",
                    "critical" => "critical",
                    _ => continue,
                };
                let status = match bare(&cell(cs, st)).to_ascii_lowercase() {
                    s if s.contains("mitigat")
                        || s.contains("closed")
                        || s.contains("resolved") =>
                    {
                        "mitigated"
                    }
                    s if s.contains("accept") => "accepted",
                    _ => "open",
                };
                let m = bare(&cell(cs, mit));
                self.out.risks.push(Risk {
                    title: bare(&cell(cs, Some(r))),
                    level,
                    status,
                    mitigation: (!m.is_empty()).then_some(m),
                    line: self.no(*l),
                });
                self.used.insert(*l);
                used = true;
            }
        } else if let (Some(s), Some(p)) = (
            col(&["suite", "test suite", "tests"]),
            col(&["passed", "pass", "passing"]),
        ) {
            let f = col(&["failed", "fail", "failing"]);
            for (l, cs) in &t.rows {
                let name = bare(&cell(cs, Some(s)));
                let num = |c: Option<usize>| {
                    quantity::num(&bare(&cell(cs, c))).filter(|v| v.fract() == 0.0 && *v >= 0.0)
                };
                let Some(passed) = num(Some(p)) else { continue };
                if name.to_ascii_lowercase().starts_with("total") {
                    continue;
                }
                self.out.suites.push(Suite {
                    name,
                    passed: passed as u64,
                    failed: num(f).unwrap_or(0.0) as u64,
                    line: self.no(*l),
                });
                self.used.insert(*l);
                used = true;
            }
        }
        if used {
            self.used.insert(t.head);
            if let Some(rule) = t.head.checked_add(1) {
                self.used.insert(rule);
            }
        }
    }

    /// Sections whose headings state a duration in brackets, as checklists.
    fn checklists(&mut self) {
        let roots: Vec<usize> = (0..self.d.lines.len())
            .filter(|h| self.timed(*h) && self.d.lines[*h].parent.is_none_or(|p| !self.timed(p)))
            .collect();
        for h in roots {
            let node = self.node(h);
            self.out.checklists.push(node);
        }
    }

    /// A heading that states its duration, or has a sub-section that does.
    fn timed(&self, h: usize) -> bool {
        let l = &self.d.lines[h];
        l.readable()
            && matches!(l.kind, Kind::Heading(2..))
            && (duration_of(&self.text(h)).is_some()
                || self
                    .d
                    .children(h)
                    .any(|k| self.d.lines[k].is_heading() && self.timed(k)))
    }

    /// A line's text with the lines that continue it (a list item wrapped).
    fn joined(&self, i: usize) -> String {
        let mut t = self.text(i);
        for (next, k) in (self.no(i) + 1..).zip(self.d.children(i)) {
            let c = &self.d.lines[k];
            if !matches!(c.kind, Kind::Para { .. }) || c.no != next {
                break;
            }
            t.push(' ');
            t.push_str(&self.text(k));
        }
        t
    }

    fn node(&mut self, i: usize) -> Node {
        let t = if self.d.lines[i].is_item() {
            self.joined(i)
        } else {
            self.text(i)
        };
        let l = &self.d.lines[i];
        let done = match l.kind {
            Kind::Item { task, .. } => task,
            _ => None,
        };
        let mut items = vec![];
        let kids: Vec<usize> = self.d.children(i).collect();
        let heads: Vec<usize> = kids
            .iter()
            .copied()
            .filter(|k| self.d.lines[*k].is_heading())
            .collect();
        let chosen: Vec<usize> = if heads.is_empty() {
            // Items count when each is a task or states its duration.
            kids.iter()
                .copied()
                .filter(|k| self.d.lines[*k].is_item())
                .filter(|k| {
                    matches!(self.d.lines[*k].kind, Kind::Item { task: Some(_), .. })
                        || duration_of(&self.joined(*k)).is_some()
                })
                .collect()
        } else {
            heads
        };
        for k in chosen {
            items.push(self.node(k));
        }
        self.used.insert(i);
        let mut duration = duration_of(&t);
        let mut line = l.no;
        // "Total Estimated Time: 20-40 hours" in the section: the total of its parts.
        let mut total = false;
        if l.is_heading() && !items.is_empty() {
            let lines: Vec<usize> = self.section_lines(i);
            if let Some((j, d)) = lines.iter().find_map(|j| {
                let tt = self.text(*j);
                TOTAL
                    .is_match(&tt)
                    .then(|| quantity::durations(&tt).into_iter().next())
                    .flatten()
                    .and_then(|q| {
                        let w = tt[q.start..q.end].trim().to_string();
                        crate::amount::Amount::parse(&w).ok().map(|_| (*j, w))
                    })
            }) && duration.is_none()
            {
                duration = Some(d);
                line = self.no(j);
                total = true;
                self.used.insert(j);
            }
        }
        let complete = !items.is_empty() && items.iter().all(|k: &Node| k.duration.is_some());
        let claim = if duration.is_none() || !complete {
            Claim::Fact
        } else if total {
            Claim::Sum(line)
        } else {
            // A heading's duration over items that all state theirs: a window they
            // fit in, unless they take longer than its upper end.
            let whole = duration
                .as_deref()
                .and_then(|d| crate::amount::Amount::parse(d).ok());
            let parts: Option<Vec<crate::amount::Amount>> = items
                .iter()
                .map(|k| {
                    k.duration
                        .as_deref()
                        .and_then(|d| crate::amount::Amount::parse(d).ok())
                })
                .collect();
            let hedged = crate::audit::sums::NOT_A_SUM.is_match(&t);
            match (whole, parts) {
                (Some(w), Some(p))
                    if !hedged && p.iter().map(|a| a.lo).sum::<f64>() > w.hi + 1e-9 =>
                {
                    Claim::Sum(l.no)
                }
                // The document's own reading (the audit's) finds the figure wrong:
                // then it is a claim, and `check` reports it too.
                _ if self.wrong.contains(&l.no) => Claim::Sum(l.no),
                _ => Claim::Window,
            }
        };
        Node {
            title: title_without_duration(&t),
            duration,
            claim,
            done,
            items,
            line: l.no,
        }
    }

    /// The lines of heading `i`'s section that are not headings: its own and those of
    /// its sub-sections.
    fn section_lines(&self, i: usize) -> Vec<usize> {
        let mut out = vec![];
        for k in self.d.children(i) {
            if self.d.lines[k].is_heading() {
                out.extend(self.section_lines(k));
            } else {
                out.push(k);
            }
        }
        out
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

/// "@qa (Quinn) - Testing & QA: APPROVED", "CTO/Engineering Lead - Final Go/No-Go: AWAITING".
static APPROVAL_LINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^[^a-z0-9@]*(?:@[\w.-]+\s*)?(?:[A-Za-z][\w/ .&-]{0,40}?\s*)?(?:\((?P<name>[^)]{1,60})\)\s*)?[-–—]\s+(?P<role>[^:]{2,80}?)(?::\s*(?P<status>approved|awaiting|pending|rejected)\W*)?\s*$")
        .expect("valid pattern")
});
/// A lead line over the approvals still awaited: "Awaiting:", "Pending approvals:".
static AWAITING_LEAD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\W*(?:awaiting|pending|outstanding)(?:\s+(?:approvals?|sign-?offs?))?\W*$")
        .expect("valid pattern")
});
/// Sections whose "Status:" is the release's: readiness, decision, summary, status.
static OVERALL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:readiness|decision|summary|status|conclusion|go/no-go|overview)\b")
        .expect("valid pattern")
});
static TOTAL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^[^a-z0-9]*total(?:\s+(?:estimated|planned|expected))?(?:\s+(?:time|duration|effort))?[^a-z0-9]*:")
        .expect("valid pattern")
});
static BETTER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(?P<p>\d+(?:\.\d+)?)\s*%\s*(?:better|faster|lower|under)")
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

/// The duration a heading or item states in brackets, as gonogo writes it.
fn duration_of(t: &str) -> Option<String> {
    let (start, end) = crate::audit::procedures::stated_estimate(t)?;
    let written = t[start..end].trim().to_string();
    crate::amount::Amount::parse(&written).ok().map(|_| written)
}

/// "Phase 5: Production Deployment (4-6 hours)" → "Phase 5: Production Deployment".
fn title_without_duration(t: &str) -> String {
    // "Rollback — estimated time: 4-6 hours", "Smoke checks (est. 20 min)".
    static ESTIMATED: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)[\s—–(-]*\b(?:estimated|estimate|est\.|eta)\b[^)]*\)?\s*$")
            .expect("valid pattern")
    });
    if let Some(m) = ESTIMATED.find(t)
        && m.start() > 0
        && !quantity::durations(m.as_str()).is_empty()
    {
        return bare(&t[..m.start()]);
    }
    let mut s = t.to_string();
    if let Some(q) = quantity::paren_duration(t)
        && let Some(open) = t[..q.start].rfind('(')
        && let Some(close) = t[q.end..].find(')')
    {
        s = format!("{}{}", &t[..open], &t[q.end + close + 1..]);
    }
    bare(s.trim())
}
