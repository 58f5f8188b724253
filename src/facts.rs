//! Derived values: everything gonogo computes from the facts of a release, once.
//! The rules compare claims with these values; the pages and `facts.json` show them.

use crate::amount::{Amount, Dim, fmt_duration, fmt_num};
use crate::load::Release;
use crate::model::*;
use crate::when::Timeline;
use crate::when::{At, fmt_offset, weekday_name};
use chrono::{Datelike, NaiveDateTime, TimeZone};
use serde::Serialize;
use std::collections::BTreeMap;

#[derive(Clone, Copy, Debug, Default, Serialize, PartialEq)]
pub struct Count {
    pub done: u64,
    pub total: u64,
}

impl Count {
    pub fn pct(&self) -> Option<f64> {
        (self.total > 0).then(|| self.done as f64 * 100.0 / self.total as f64)
    }
    fn add(&mut self, o: Count) {
        self.done = self.done.saturating_add(o.done);
        self.total = self.total.saturating_add(o.total);
    }
}

/// Items per priority, below a checklist node.
#[derive(Clone, Copy, Debug, Default, Serialize)]
pub struct Tallies {
    pub critical: Count,
    pub high: Count,
    pub recommended: Count,
    pub other: Count,
}

impl Tallies {
    pub fn all(&self) -> Count {
        let mut c = self.critical;
        c.add(self.high);
        c.add(self.recommended);
        c.add(self.other);
        c
    }
    fn slot(&mut self, p: Option<Priority>) -> &mut Count {
        match p {
            Some(Priority::Critical) => &mut self.critical,
            Some(Priority::High) => &mut self.high,
            Some(Priority::Recommended) => &mut self.recommended,
            None => &mut self.other,
        }
    }
    fn add(&mut self, o: &Tallies) {
        self.critical.add(o.critical);
        self.high.add(o.high);
        self.recommended.add(o.recommended);
        self.other.add(o.other);
    }
}

/// Computed sums of the quantities below a node (None when a part is unknown).
#[derive(Clone, Debug, Default)]
pub struct Sums {
    pub duration: Option<Amount>,
    pub checks: Option<Amount>,
    pub lines: Option<Amount>,
    pub size: Option<Amount>,
}

pub const QUANTITIES: [&str; 4] = ["duration", "checks", "lines", "size"];

impl Sums {
    pub fn get(&self, q: &str) -> Option<&Amount> {
        match q {
            "duration" => self.duration.as_ref(),
            "checks" => self.checks.as_ref(),
            "lines" => self.lines.as_ref(),
            _ => self.size.as_ref(),
        }
    }
    fn set(&mut self, q: &str, v: Option<Amount>) {
        match q {
            "duration" => self.duration = v,
            "checks" => self.checks = v,
            "lines" => self.lines = v,
            _ => self.size = v,
        }
    }
}

pub fn stated<'a>(n: &'a Node, q: &str) -> Option<&'a S<Amount>> {
    match q {
        "duration" => n.duration.as_deref(),
        "checks" => n.checks.as_deref(),
        "lines" => n.lines.as_deref(),
        _ => n.size.as_deref(),
    }
}

/// The value of each quantity of a node: the sum of its children when every child
/// has it, else what the node states. Phases with `start` and `end` take their span.
pub fn node_sums(n: &Node, deploy: &Timeline) -> Sums {
    let children: Vec<Sums> = n.items.iter().map(|c| node_sums(c, deploy)).collect();
    let mut s = Sums::default();
    for q in QUANTITIES {
        let from_children = children_sum(n, &children, q);
        let own = stated(n, q).map(|a| a.value.clone());
        let span = (q == "duration").then(|| span_of(n, deploy)).flatten();
        s.set(q, span.or(from_children).or(own));
    }
    s
}

/// Sum of a quantity over the children, when every child has it.
pub fn children_sum(n: &Node, children: &[Sums], q: &str) -> Option<Amount> {
    if children.is_empty() || (q == "duration" && n.items.iter().any(|c| c.parallel)) {
        return None;
    }
    let mut acc: Option<Amount> = None;
    for c in children {
        let v = c.get(q)?;
        acc = Some(match acc {
            None => v.clone(),
            Some(a) if a.dim == v.dim => a.add(v),
            Some(_) => return None,
        });
    }
    acc
}

/// `end - start` of a node, in seconds, as an amount.
pub fn span_of(n: &Node, tl: &Timeline) -> Option<Amount> {
    let (s, e) = tl.span(&n.start.as_ref()?.value, &n.end.as_ref()?.value)?;
    Some(Amount::exact((e - s) as f64, Dim::Time))
}

/// Which points of the runbook can be placed in time, for a release.
pub fn timeline(r: &Release) -> Timeline {
    fn kinds(nodes: &[Node], offsets: &mut bool, clocks: &mut bool) {
        for n in nodes {
            for at in [&n.start, &n.end, &n.at].into_iter().flatten() {
                match at.value {
                    At::Offset(_) => *offsets = true,
                    At::Clock(_) => *clocks = true,
                }
            }
            kinds(&n.items, offsets, clocks);
        }
    }
    let (mut offsets, mut clocks) = (false, false);
    if let Some(rb) = &r.runbook {
        kinds(&rb.v.phases, &mut offsets, &mut clocks);
        if let Some(w) = &rb.v.window {
            for at in [&w.start, &w.end] {
                match at.value {
                    At::Offset(_) => offsets = true,
                    At::Clock(_) => clocks = true,
                }
            }
        }
    }
    if let Some(rb) = &r.rollback {
        kinds(&rb.v.steps, &mut offsets, &mut clocks);
    }
    let deploy = r.info.v.deploy.as_ref().map(|d| &d.value);
    Timeline {
        date: deploy.map(|d| d.date),
        time: deploy.and_then(|d| d.time),
        tz: r.tz,
        offsets_only: !clocks,
        clocks_only: !offsets,
    }
}

/// Items below a node, per priority; a node's priority applies to its items.
pub fn node_tallies(n: &Node, inherited: Option<Priority>) -> Tallies {
    let p = n.priority.or(inherited);
    let mut t = Tallies::default();
    if let Some(tally) = &n.tally {
        for (slot, r) in [
            (Some(Priority::Critical), &tally.critical),
            (Some(Priority::High), &tally.high),
            (Some(Priority::Recommended), &tally.recommended),
            (p, &tally.other),
        ] {
            if let Some(r) = r {
                // A tally without both counts is reported by GN0001 and counts as nothing.
                let (Some(done), Some(total)) = (&r.value.num, &r.value.den) else {
                    continue;
                };
                let (done, total) = (done.lo as u64, total.lo as u64);
                t.slot(slot).add(Count { done, total });
            }
        }
    }
    if n.items.is_empty() {
        if n.tally.is_none() {
            t.slot(p).add(Count {
                done: u64::from(n.done == Some(true)),
                total: 1,
            });
        }
        return t;
    }
    for c in &n.items {
        t.add(&node_tallies(c, p));
    }
    t
}

/// The release's deployment as a zoned time, when date and time are known.
pub fn deploy_time(r: &Release) -> Option<chrono::DateTime<chrono_tz::Tz>> {
    let d = r.info.v.deploy.as_ref()?;
    d.value.time?;
    r.tz.from_local_datetime(&d.value.naive()).earliest()
}

/// A moment given as local date-time in the release's zone, as UTC.
pub fn local_to_utc(r: &Release, t: NaiveDateTime) -> Option<chrono::DateTime<chrono::Utc>> {
    r.tz.from_local_datetime(&t)
        .earliest()
        .map(|z| z.with_timezone(&chrono::Utc))
}

// ---------- the decision ----------

#[derive(Clone, Debug, Serialize)]
pub struct Criterion {
    pub name: String,
    pub ok: bool,
    /// The detail in parts when it names items or approvals, each linked to its
    /// place; empty otherwise. Left out of facts.json when empty.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub parts: Vec<Part>,
    /// "critical items 10/25 done; policy needs 25/25 (100%)".
    pub detail: String,
}

#[derive(Clone, Debug, Serialize)]
pub struct DecisionView {
    pub value: Decision,
    pub label: &'static str,
    /// CSS class: go, conditional, nogo.
    pub class: &'static str,
    /// For anything short of GO: the failed criteria.
    pub reasons: Vec<String>,
    pub go: Vec<Criterion>,
    pub go_with_conditions: Vec<Criterion>,
}

/// Inputs of the policy, computed once.
pub struct Standing {
    pub tallies: Tallies,
    /// Required approvals given (approved or conditional).
    pub approvals: Count,
    /// Required approvals given without conditions.
    pub approvals_unconditional: Count,
    /// Roles whose latest sign-off rejects the release (required or not).
    pub rejected: Vec<String>,
    pub highest_open_risk: Option<Level>,
    /// Automated tests that ran (passed, failed or errored).
    pub tests_run: u64,
    pub failing_tests: u64,
    /// Manual scenarios, and those not passed (failed, blocked, not run).
    pub scenarios: u64,
    pub failing_scenarios: u64,
    /// "1 blocked, 1 not run".
    pub scenario_breakdown: String,
    pub missed_metrics: u64,
    pub conditions: usize,
    /// Titles of the items not done, critical and high-priority (counted items of a
    /// `tally` have no titles).
    pub open_critical: Vec<Named>,
    pub open_high: Vec<Named>,
    /// Required roles whose approval is not given.
    pub missing_roles: Vec<Named>,
}

/// "a, b, c and 3 more": the first few of `of` things, by name, for a one-line
/// reason (`of` may be more than the names known: counted items have none).
/// How many names a reason gives before "and N more".
const SHOWN: usize = 3;

/// Something a reason names (an item not done, an approval missing) and where it
/// is on the release's pages: `index.html#item-2-1`, `approval.html#signoff-3`.
#[derive(Clone, Debug)]
pub struct Named {
    pub name: String,
    pub href: String,
}

/// A reason's text in parts, the names it gives linked to their place.
#[derive(Clone, Debug, Serialize)]
pub struct Part {
    pub text: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub href: Option<String>,
}

/// The anchor of a checklist item: its place in the tree, 1-based, from the
/// release's list of checklists (`item-2-1`: the first item of the second list).
pub fn item_anchor(path: &[usize]) -> String {
    let p: Vec<String> = path.iter().map(|i| (i + 1).to_string()).collect();
    format!("item-{}", p.join("-"))
}

/// The items of priority `want` not done, under `n` at `path` (inheriting
/// `inherited`).
fn open_items(
    n: &Node,
    path: &mut Vec<usize>,
    inherited: Option<Priority>,
    want: Priority,
    out: &mut Vec<Named>,
) {
    let p = n.priority.or(inherited);
    if n.items.is_empty() {
        if n.tally.is_none() && p == Some(want) && n.done != Some(true) {
            out.push(Named {
                name: n.title.value.clone(),
                href: format!("index.html#{}", item_anchor(path)),
            });
        }
        return;
    }
    for (i, c) in n.items.iter().enumerate() {
        path.push(i);
        open_items(c, path, p, want, out);
        path.pop();
    }
}

/// "A, B, C and 12 more" in parts, each name linked: `before` and `after` around.
fn named_parts(before: String, names: &[Named], of: usize, after: String) -> Vec<Part> {
    let shown = &names[..names.len().min(SHOWN)];
    let mut parts = vec![Part {
        text: before,
        href: None,
    }];
    for (k, n) in shown.iter().enumerate() {
        if k > 0 {
            parts.push(Part {
                text: ", ".into(),
                href: None,
            });
        }
        parts.push(Part {
            text: n.name.clone(),
            href: Some(n.href.clone()),
        });
    }
    let rest = of.max(names.len()).saturating_sub(shown.len());
    let tail = match rest {
        0 => after,
        n => format!(" and {n} more{after}"),
    };
    parts.push(Part {
        text: tail,
        href: None,
    });
    parts
}

/// "approvals 2/4 given (missing: QA Lead, CTO); policy needs all 4", in parts.
fn missing_parts(a: Count, s: &Standing) -> Vec<Part> {
    named_parts(
        format!("approvals {}/{} given (missing: ", a.done, a.total),
        &s.missing_roles,
        s.missing_roles.len(),
        format!("); policy needs all {}", a.total),
    )
}

fn text_of(parts: &[Part]) -> String {
    parts.iter().map(|p| p.text.as_str()).collect()
}

/// "1 test", "2 tests".
pub fn plural(n: u64, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

pub fn default_policy() -> Policy {
    let ratio = |s: &str| S {
        value: Ratio::parse(s).expect("built-in ratio"),
        referenced: serde_saphyr::Location::UNKNOWN,
        defined: serde_saphyr::Location::UNKNOWN,
    };
    let level = |s: &str| S {
        value: MaxRisk::parse(s).expect("built-in level"),
        referenced: serde_saphyr::Location::UNKNOWN,
        defined: serde_saphyr::Location::UNKNOWN,
    };
    Policy {
        go: Criteria {
            critical_done: Some(ratio("100%")),
            high_done: Some(ratio("90%")),
            recommended_done: None,
            all_approvals: true,
            max_open_risk: Some(level("medium")),
            max_failing_tests: Some(0),
            min_tests: None,
            max_failing_scenarios: None,
            accept_conditional: None,
            max_missed_metrics: Some(0),
            conditions_required: false,
        },
        go_with_conditions: Some(Criteria {
            critical_done: Some(ratio("100%")),
            high_done: Some(ratio("70%")),
            recommended_done: None,
            all_approvals: true,
            max_open_risk: Some(level("high")),
            max_failing_tests: Some(0),
            min_tests: None,
            max_failing_scenarios: None,
            accept_conditional: None,
            max_missed_metrics: Some(1),
            conditions_required: true,
        }),
        fingerprint_required: false,
    }
}

/// Items a threshold requires out of `total`: the percentage when written, else the
/// fraction's share.
pub fn required_items(r: &Ratio, total: u64) -> u64 {
    let pct = r
        .pct
        .as_ref()
        .map(|p| p.lo)
        .or_else(|| r.fraction_pct())
        .unwrap_or(100.0);
    ((pct / 100.0) * total as f64 - 1e-9).ceil().max(0.0) as u64
}

/// The criteria of `c` against the release's standing. `is_go`: these are the GO
/// criteria (a conditional sign-off is then not an approval unless the policy says so).
/// Every criterion is earned by evidence: no checklist items, no approvals or no
/// automated test results fail the criteria that need them.
pub fn evaluate(c: &Criteria, s: &Standing, is_go: bool) -> Vec<Criterion> {
    let mut out = vec![];
    // A rejection is never outweighed, whatever the policy: it is a criterion of every
    // level, shown only when it fails.
    if !s.rejected.is_empty() {
        out.push(Criterion {
            parts: vec![],
            name: "rejections".into(),
            ok: false,
            detail: format!("rejected by {}", s.rejected.join(", ")),
        });
    }
    let no_checklist = s.tallies.all().total == 0;
    for (name, ratio, count) in [
        ("critical items", &c.critical_done, s.tallies.critical),
        ("high-priority items", &c.high_done, s.tallies.high),
        (
            "recommended items",
            &c.recommended_done,
            s.tallies.recommended,
        ),
    ] {
        if let Some(r) = ratio {
            if no_checklist {
                out.push(Criterion {
                    parts: vec![],
                    name: name.into(),
                    ok: false,
                    detail: format!(
                        "no checklist items: policy needs {} of {name} done",
                        r.value
                    ),
                });
                continue;
            }
            let need = required_items(&r.value, count.total);
            let pct = r
                .value
                .pct
                .as_ref()
                .map(|p| p.to_string())
                .unwrap_or_else(|| {
                    format!("{}%", fmt_num(r.value.fraction_pct().unwrap_or(100.0), 1))
                });
            let open = match name {
                "critical items" => &s.open_critical[..],
                "high-priority items" => &s.open_high[..],
                _ => &[],
            };
            let ok = count.done >= need;
            let head = format!("{name} {}/{} done", count.done, count.total);
            let tail = format!("; policy needs {need}/{} ({pct})", count.total);
            let parts = if ok || open.is_empty() {
                vec![]
            } else {
                let n =
                    usize::try_from(count.total.saturating_sub(count.done)).unwrap_or(usize::MAX);
                named_parts(format!("{head} (open: "), open, n, format!("){tail}"))
            };
            out.push(Criterion {
                name: name.into(),
                ok,
                detail: match parts.is_empty() {
                    true => format!("{head}{tail}"),
                    false => text_of(&parts),
                },
                parts,
            });
        }
    }
    if c.all_approvals {
        let conditional = c.accept_conditional.unwrap_or(!is_go);
        let a = if conditional {
            s.approvals
        } else {
            s.approvals_unconditional
        };
        let pending_conditional = s.approvals.done - s.approvals_unconditional.done;
        let (detail, parts) = if a.total == 0 {
            (
                "no approvals are listed; policy needs every required approval".to_string(),
                vec![],
            )
        } else if !conditional && pending_conditional > 0 && a.done < a.total {
            (
                format!(
                    "approvals {}/{} given without conditions ({} conditional); policy needs all {} without conditions",
                    a.done, a.total, pending_conditional, a.total
                ),
                vec![],
            )
        } else if a.done < a.total && !s.missing_roles.is_empty() {
            let parts = missing_parts(a, s);
            (text_of(&parts), parts)
        } else {
            (
                format!(
                    "approvals {}/{} given; policy needs all {}",
                    a.done, a.total, a.total
                ),
                vec![],
            )
        };
        out.push(Criterion {
            name: "approvals".into(),
            // With nobody asked to approve, nobody has approved.
            ok: a.total > 0 && a.done >= a.total,
            parts,
            detail,
        });
    }
    if let Some(max) = &c.max_open_risk {
        let allowed = Level::parse(max.value.label());
        let ok = match (s.highest_open_risk, allowed) {
            (None, _) => true,
            (Some(h), Some(a)) => h <= a,
            (Some(_), None) => false,
        };
        let highest = s.highest_open_risk.map(|l| l.label()).unwrap_or("none");
        out.push(Criterion {
            parts: vec![],
            name: "open risk".into(),
            ok,
            detail: format!(
                "highest open risk {highest}; policy allows up to {}",
                max.value
            ),
        });
    }
    if let Some(max) = c.max_failing_tests {
        let min = c.min_tests.unwrap_or(1);
        let detail = if s.tests_run == 0 && min > 0 {
            format!(
                "no automated test results: policy needs {max} failing of at least {}",
                plural(min, "test", "tests")
            )
        } else if s.tests_run < min {
            format!(
                "{} ran: policy needs at least {min}",
                plural(s.tests_run, "automated test", "automated tests")
            )
        } else {
            format!(
                "{} failing of {} run; policy allows {max}",
                s.failing_tests,
                plural(s.tests_run, "automated test", "automated tests")
            )
        };
        out.push(Criterion {
            parts: vec![],
            name: "failing tests".into(),
            ok: s.failing_tests <= max && s.tests_run >= min,
            detail,
        });
    }
    if let Some(max) = c.max_failing_scenarios.or(c.max_failing_tests)
        && s.scenarios > 0
    {
        out.push(Criterion {
            parts: vec![],
            name: "manual scenarios".into(),
            ok: s.failing_scenarios <= max,
            detail: if s.failing_scenarios == 0 {
                format!(
                    "{} passed; policy allows {max} not passed",
                    plural(s.scenarios, "manual scenario", "manual scenarios")
                )
            } else {
                format!(
                    "{} of {} not passed ({}); policy allows {max}",
                    s.failing_scenarios,
                    plural(s.scenarios, "manual scenario", "manual scenarios"),
                    s.scenario_breakdown
                )
            },
        });
    }
    if let Some(max) = c.max_missed_metrics {
        out.push(Criterion {
            parts: vec![],
            name: "missed metrics".into(),
            ok: s.missed_metrics <= max,
            detail: format!(
                "{} missed or not measured; policy allows {max}",
                plural(s.missed_metrics, "metric", "metrics")
            ),
        });
    }
    if c.conditions_required {
        out.push(Criterion {
            parts: vec![],
            name: "conditions".into(),
            ok: s.conditions > 0,
            detail: format!(
                "{} conditions written down; policy needs at least 1",
                s.conditions
            ),
        });
    }
    out
}

pub fn decide(policy: &Policy, s: &Standing) -> DecisionView {
    let go = evaluate(&policy.go, s, true);
    let gwc = policy
        .go_with_conditions
        .as_ref()
        .map(|c| evaluate(c, s, false))
        .unwrap_or_default();
    let failed = |v: &[Criterion]| -> Vec<String> {
        v.iter()
            .filter(|c| !c.ok)
            .map(|c| c.detail.clone())
            .collect()
    };
    let (value, reasons) = if go.iter().all(|c| c.ok) {
        (Decision::Go, vec![])
    } else if policy.go_with_conditions.is_some() && gwc.iter().all(|c| c.ok) {
        (Decision::GoWithConditions, failed(&go))
    } else {
        // The GO criteria that fail are what stands between the release and GO.
        (Decision::NoGo, failed(&go))
    };
    DecisionView {
        value,
        label: value.label(),
        class: match value {
            Decision::Go => "go",
            Decision::GoWithConditions => "conditional",
            Decision::NoGo => "nogo",
        },
        reasons,
        go,
        go_with_conditions: gwc,
    }
}

// ---------- metrics ----------

pub struct MetricResult {
    pub met: Option<bool>,
    /// "% better than target" (negative: worse).
    pub better: Option<f64>,
    pub comparable: bool,
}

/// The actual value of metric `i`: read from its JSON file, or as typed.
pub fn metric_actual(r: &Release, i: usize) -> Option<&Amount> {
    r.metric_actuals.get(i).and_then(Option::as_ref)
}

pub fn metric_result(m: &Metric, actual: Option<&Amount>) -> MetricResult {
    let t = &m.target.value;
    let Some(actual) = actual else {
        return MetricResult {
            met: None,
            better: None,
            comparable: true,
        };
    };
    let noun = |a: &Amount| match a.dim {
        Dim::Rate => a.unit.split('/').next().unwrap_or("").to_ascii_lowercase(),
        _ => a.unit.to_ascii_lowercase(),
    };
    let nouns_differ = matches!(actual.dim, Dim::Count | Dim::Rate)
        && !noun(actual).is_empty()
        && !noun(&t.value).is_empty()
        && noun(actual) != noun(&t.value);
    if actual.dim != t.value.dim || nouns_differ {
        return MetricResult {
            met: None,
            better: None,
            comparable: false,
        };
    }
    // "500+ ms" has no upper bound: it cannot be shown to stay under a ceiling.
    if actual.at_least && t.lower_is_better() {
        return MetricResult {
            met: None,
            better: None,
            comparable: true,
        };
    }
    // A measured range meets a ceiling only with its worst (highest) value, and a floor
    // with its lowest.
    let (worst, tv) = if t.lower_is_better() {
        (actual.hi, t.value.lo)
    } else {
        (actual.lo, t.value.lo)
    };
    let met = match t.cmp {
        Cmp::Lt => worst < tv,
        Cmp::Le => worst <= tv,
        Cmp::Gt => worst > tv,
        Cmp::Ge => worst >= tv,
    };
    let better = (tv != 0.0).then(|| {
        if t.lower_is_better() {
            (tv - worst) / tv * 100.0
        } else {
            (worst - tv) / tv * 100.0
        }
    });
    MetricResult {
        met: Some(met),
        better,
        comparable: true,
    }
}

// ---------- approvals and risks ----------

/// A name that names nobody: blank, only punctuation (`____`, `?`, `-`), or a
/// stand-in (`TBD`, `n/a`, `xxx`, `<name>`).
pub fn placeholder_name(name: &str) -> bool {
    let n = name
        .trim()
        .trim_matches(|c: char| matches!(c, '<' | '>' | '[' | ']' | '(' | ')' | '{' | '}'))
        .trim()
        .to_lowercase();
    if !n.chars().any(char::is_alphanumeric) {
        return true;
    }
    if n.chars().all(|c| c == 'x') {
        return true;
    }
    matches!(
        n.as_str(),
        "tbd"
            | "tba"
            | "tbc"
            | "n/a"
            | "na"
            | "none"
            | "null"
            | "nil"
            | "nobody"
            | "todo"
            | "pending"
            | "unknown"
            | "name"
            | "approver"
            | "signature"
            | "fill in"
            | "your name"
            | "first last"
            | "firstname lastname"
    )
}

/// Whether a sign-off dated `signed` comes after the deployment `deploy`: by the
/// clock when both have a time, else by the date.
pub fn signed_after(signed: &crate::when::When, deploy: &crate::when::When) -> bool {
    match (signed.time, deploy.time) {
        (Some(_), Some(_)) => signed.naive() > deploy.naive(),
        _ => signed.date > deploy.date,
    }
}

/// Whether a sign-off counts as an approval: approved (or conditional), by a named
/// person (no placeholder), dated, and not after the deployment `deploy` it approves.
pub fn signoff_complete(s: &Signoff, deploy: Option<&crate::when::When>) -> bool {
    matches!(
        s.status.value,
        SignStatus::Approved | SignStatus::Conditional
    ) && s.name.as_ref().is_some_and(|n| !placeholder_name(&n.value))
        && s.date
            .as_ref()
            .is_some_and(|d| deploy.is_none_or(|dep| !signed_after(&d.value, dep)))
}

pub fn required_roles(a: &Approvals) -> Vec<String> {
    match &a.required {
        Some(r) => r.iter().map(|s| s.value.clone()).collect(),
        None => {
            let mut roles: Vec<String> = vec![];
            for s in &a.signoffs {
                if !roles.contains(&s.role.value) {
                    roles.push(s.role.value.clone());
                }
            }
            roles
        }
    }
}

pub fn highest_open_risk(r: &Risks) -> Option<Level> {
    r.items
        .iter()
        .filter(|x| x.status != RiskStatus::Mitigated)
        .map(|x| x.level)
        .max()
}

/// The overall risk level: the highest not mitigated, else low.
pub fn overall_risk(r: &Risks) -> Level {
    highest_open_risk(r).unwrap_or(Level::Low)
}

// ---------- tests ----------

#[derive(Clone, Copy, Debug, Default, Serialize)]
pub struct TestTotals {
    pub passed: u64,
    pub failed: u64,
    pub errored: u64,
    pub skipped: u64,
    pub total: u64,
}

pub fn test_totals(r: &Release) -> TestTotals {
    let mut x = TestTotals::default();
    for s in &r.suite_results {
        x.passed = x.passed.saturating_add(s.passed);
        x.failed = x.failed.saturating_add(s.failed);
        x.errored = x.errored.saturating_add(s.errored);
        x.skipped = x.skipped.saturating_add(s.skipped);
    }
    x.total = x
        .passed
        .saturating_add(x.failed)
        .saturating_add(x.errored)
        .saturating_add(x.skipped);
    x
}

/// Pass rate of executed tests (skipped ones excluded).
pub fn pass_rate(t: &TestTotals) -> Option<f64> {
    pass_count(t).pct()
}

pub fn sum_amounts<'a>(items: impl Iterator<Item = Option<&'a Amount>>) -> Option<Amount> {
    let mut acc: Option<Amount> = None;
    for v in items {
        let v = v?;
        acc = Some(match acc {
            None => v.clone(),
            Some(a) if a.dim == v.dim => a.add(v),
            Some(_) => return None,
        });
    }
    acc
}

/// The standing of a release against any policy.
/// The checklists that count toward readiness and the decision: those not marked
/// `after_deployment`.
pub fn before_deployment(r: &Release) -> impl Iterator<Item = &Node> {
    r.checklists
        .iter()
        .flat_map(|c| c.v.iter())
        .filter(|n| !n.after_deployment)
}

/// What is judged after the deployment: the items of the `after_deployment`
/// checklists and the `after_deployment` metrics.
#[derive(Default)]
pub struct Afterwards {
    pub items: Count,
    /// Titles of the items not done (counted items of a `tally` have none).
    pub open: Vec<String>,
    /// Items ticked done: (file, title).
    pub ticked: Vec<(usize, S<String>)>,
    pub metrics: u64,
    /// Names of the metrics not met (no actual value, or missing the target).
    pub missed: Vec<String>,
    /// Metrics with an actual value: (index in `metrics`, name).
    pub measured: Vec<(usize, S<String>)>,
}

pub fn afterwards(r: &Release) -> Afterwards {
    fn walk(file: usize, n: &Node, a: &mut Afterwards) {
        if n.items.is_empty() {
            if n.tally.is_none() {
                if n.done == Some(true) {
                    a.ticked.push((file, n.title.clone()));
                } else {
                    a.open.push(n.title.value.clone());
                }
            }
            return;
        }
        for c in &n.items {
            walk(file, c, a);
        }
    }
    let mut a = Afterwards::default();
    if let Some(c) = &r.checklists {
        for n in c.v.iter().filter(|n| n.after_deployment) {
            a.items.add(node_tallies(n, None).all());
            walk(c.file, n, &mut a);
        }
    }
    for (i, m) in r.metrics.iter().flat_map(|m| m.v.iter()).enumerate() {
        if !m.after_deployment {
            continue;
        }
        a.metrics += 1;
        let actual = metric_actual(r, i);
        if actual.is_some() {
            a.measured.push((i, m.name.clone()));
        }
        if metric_result(m, actual).met != Some(true) {
            a.missed.push(m.name.value.clone());
        }
    }
    a
}

pub fn standing(r: &Release) -> Standing {
    let mut tallies = Tallies::default();
    for list in before_deployment(r) {
        tallies.add(&node_tallies(list, None));
    }
    let signing = crate::signing::Signing::of(r);
    let approvals = signing.as_ref().map(|s| s.count(true)).unwrap_or_default();
    let approvals_unconditional = signing.as_ref().map(|s| s.count(false)).unwrap_or_default();
    let rejected = signing
        .as_ref()
        .map(|s| {
            s.rejections()
                .iter()
                .map(|x| x.role.value.clone())
                .collect()
        })
        .unwrap_or_default();
    let x = test_totals(r);
    let tests_run = pass_count(&x).total;
    let failing_tests = x.failed.saturating_add(x.errored);
    let (mut scenarios, mut failing_scenarios) = (0, 0);
    let mut by_result: BTreeMap<&'static str, u64> = BTreeMap::new();
    if let Some(m) = r.tests.as_ref().and_then(|t| t.v.manual.as_ref()) {
        for sc in &m.scenarios {
            scenarios += 1;
            if sc.result != ScenarioResult::Pass {
                failing_scenarios += 1;
                *by_result.entry(sc.result.label()).or_default() += 1;
            }
        }
    }
    let scenario_breakdown = by_result
        .iter()
        .map(|(k, n)| format!("{n} {k}"))
        .collect::<Vec<_>>()
        .join(", ");
    let missed_metrics = r
        .metrics
        .iter()
        .flat_map(|m| m.v.iter())
        .enumerate()
        .filter(|(_, m)| !m.after_deployment)
        .filter(|(i, m)| metric_result(m, metric_actual(r, *i)).met != Some(true))
        .count() as u64;
    let mut conditions = r.info.v.conditions.len();
    if let Some(a) = &r.approvals {
        conditions +=
            a.v.signoffs
                .iter()
                .map(|s| s.conditions.len())
                .sum::<usize>();
    }
    let (mut open_critical, mut open_high) = (vec![], vec![]);
    for (i, n) in r.checklists.iter().flat_map(|c| c.v.iter()).enumerate() {
        if n.after_deployment {
            continue;
        }
        open_items(
            n,
            &mut vec![i],
            None,
            Priority::Critical,
            &mut open_critical,
        );
        open_items(n, &mut vec![i], None, Priority::High, &mut open_high);
    }
    let missing_roles = match (&signing, &r.approvals) {
        // Linked to the role's block on the sign-off sheet (required roles first,
        // in order: `signoff-1` …).
        (Some(sg), Some(a)) => required_roles(&a.v)
            .into_iter()
            .enumerate()
            .filter(|(_, role)| !sg.approved(role, true))
            .map(|(i, role)| Named {
                name: role,
                href: format!("approval.html#signoff-{}", i + 1),
            })
            .collect(),
        _ => vec![],
    };
    Standing {
        open_critical,
        open_high,
        missing_roles,
        tallies,
        approvals,
        approvals_unconditional,
        rejected,
        highest_open_risk: r.risks.as_ref().and_then(|x| highest_open_risk(&x.v)),
        tests_run,
        failing_tests,
        scenarios,
        failing_scenarios,
        scenario_breakdown,
        missed_metrics,
        conditions,
    }
}

pub fn policy_of<'a>(r: &'a Release, site: Option<&'a Policy>, fallback: &'a Policy) -> &'a Policy {
    r.policy.as_ref().map(|p| &p.v).or(site).unwrap_or(fallback)
}

// ---------- time labels ----------

/// Labels of a runbook point: the offset, the local wall-clock time, and UTC.
#[derive(Clone, Debug, Default, Serialize)]
pub struct TimeLabel {
    pub offset: String,
    pub local: String,
    pub utc: String,
}

pub fn time_label(r: &Release, at: &At) -> TimeLabel {
    let tl = timeline(r);
    let mut l = TimeLabel {
        offset: tl
            .secs(at)
            .filter(|_| tl.time.is_some() || matches!(at, At::Offset(_)))
            .map(fmt_offset)
            .unwrap_or_default(),
        ..Default::default()
    };
    let deploy = tl.date.zip(tl.time).map(|(d, t)| d.and_time(t));
    let utc = match (deploy, at) {
        (Some(d), At::Offset(s)) => tl.utc(d).and_then(|u| {
            chrono::Duration::try_seconds(*s).and_then(|delta| u.checked_add_signed(delta))
        }),
        (Some(d), At::Clock(t)) => tl.utc(tl.clock_near(*t, d)),
        (None, At::Clock(t)) => tl.date.and_then(|date| tl.utc(date.and_time(*t))),
        (None, At::Offset(_)) => None,
    };
    if let Some(u) = utc {
        let z = u.with_timezone(&r.tz);
        l.local = format!("{} {}", z.format("%H:%M"), z.format("%Z"));
        l.utc = if u.date_naive() != z.date_naive() {
            format!("{} UTC ({})", u.format("%H:%M"), u.format("%a %d %b"))
        } else {
            format!("{} UTC", u.format("%H:%M"))
        };
    } else if matches!(at, At::Clock(_)) && tl.date.is_some() {
        l.local = "does not exist (daylight-saving change)".into();
    }
    l
}

pub fn long_date(d: chrono::NaiveDate) -> String {
    format!(
        "{}, {} {} {}",
        weekday_name(d.weekday()),
        d.day(),
        d.format("%B"),
        d.year()
    )
}

/// A share as pages show it ([`crate::amount::fmt_rate`]), or "–" when there is none.
pub fn rate_text(c: Count) -> String {
    crate::amount::fmt_rate(c.done, c.total).unwrap_or_else(|| "–".into())
}

/// The pass rate of executed tests as a share: passed of passed, failed and errored.
pub fn pass_count(t: &TestTotals) -> Count {
    Count {
        done: t.passed,
        total: t.passed.saturating_add(t.failed).saturating_add(t.errored),
    }
}

pub fn duration_text(a: &Amount) -> String {
    if a.dim == Dim::Time {
        let mut s = fmt_duration(a.lo);
        if a.is_range() {
            s = format!("{s} – {}", fmt_duration(a.hi));
        }
        if a.at_least {
            s.push('+');
        }
        s
    } else {
        a.to_string()
    }
}

// ---------- the previous release ----------

/// Sortable form of a version: its parts, whether it is a final release (not a
/// pre-release), the pre-release's parts.
pub type VersionKey = (Vec<(u64, String)>, bool, Vec<(u64, String)>);

/// Orders versions as people number them: `1.10` after `1.9`, `v2.0` like `2.0`, and a
/// pre-release (`2.0.0-rc1`) before its release (`2.0.0`).
pub fn version_key(v: &str) -> VersionKey {
    let v = v.trim().trim_start_matches(['v', 'V']);
    let (main, pre) = match v.split_once('-') {
        Some((m, p)) => (m, Some(p)),
        None => (v, None),
    };
    (
        parts(main),
        pre.is_none(),
        pre.map(parts).unwrap_or_default(),
    )
}

/// Numbers compare as numbers, words as words; a number sorts after a word.
fn parts(v: &str) -> Vec<(u64, String)> {
    let mut out = vec![];
    let mut num = String::new();
    let mut word = String::new();
    for c in v.chars() {
        if c.is_ascii_digit() {
            if !word.is_empty() {
                out.push((0, std::mem::take(&mut word)));
            }
            num.push(c);
        } else {
            if !num.is_empty() {
                out.push((
                    num.parse::<u64>().unwrap_or(u64::MAX).saturating_add(1),
                    String::new(),
                ));
                num.clear();
            }
            if c.is_alphanumeric() {
                word.push(c.to_ascii_lowercase());
            }
        }
    }
    if !num.is_empty() {
        out.push((
            num.parse::<u64>().unwrap_or(u64::MAX).saturating_add(1),
            String::new(),
        ));
    }
    if !word.is_empty() {
        out.push((0, word));
    }
    out
}

/// The previous release of every release: the latest earlier release of the same
/// product, by version (numerically) and else by deployment date. Keys are worked
/// out once and releases compared only within their product, so ten thousand
/// releases of twenty products cost milliseconds, not the square of the count.
pub fn previous_all(releases: &[Release]) -> Vec<Option<usize>> {
    let keys: Vec<_> = releases
        .iter()
        .map(|x| {
            (
                x.info.v.version.as_deref().map(version_key),
                x.info.v.deploy.as_ref().map(|d| d.value.naive()),
            )
        })
        .collect();
    let before = |a: usize, b: usize| -> bool {
        let ((va, da), (vb, db)) = (&keys[a], &keys[b]);
        match (va, vb) {
            (Some(va), Some(vb)) if va != vb => va < vb,
            _ => matches!((da, db), (Some(da), Some(db)) if da < db),
        }
    };
    let mut by_product: std::collections::HashMap<&str, Vec<usize>> = Default::default();
    for (i, r) in releases.iter().enumerate() {
        by_product
            .entry(r.info.v.product.as_str())
            .or_default()
            .push(i);
    }
    let mut out = vec![None; releases.len()];
    for group in by_product.values() {
        for &i in group {
            out[i] = group
                .iter()
                .copied()
                .filter(|&j| j != i && before(j, i))
                .max_by(|&a, &b| {
                    if before(a, b) {
                        std::cmp::Ordering::Less
                    } else if before(b, a) {
                        std::cmp::Ordering::Greater
                    } else {
                        releases[a].id.cmp(&releases[b].id)
                    }
                });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::version_key;

    #[test]
    fn versions_order_numerically() {
        assert!(version_key("1.9") < version_key("1.10"));
        assert!(version_key("2.0") < version_key("10.0"));
        assert!(version_key("v1.2.3") < version_key("v1.2.4"));
        assert!(version_key("2.0.0-rc1") < version_key("2.0.0"));
        assert!(version_key("2.0.0-rc1") < version_key("2.0.0-rc2"));
        assert!(version_key("1.0") < version_key("v2.0"));
    }
}
