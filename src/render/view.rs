//! Serializable views of a release for the templates and `facts.json`: computed
//! values and facts only; claims never appear here.

use crate::amount::fmt_num;
use crate::facts::*;
use crate::load::Release;
use crate::model::*;
use crate::signing::Signing;
use serde::Serialize;

#[derive(Serialize)]
pub struct ReleaseView {
    pub id: String,
    /// SHA-256 of the files the release was built from, shortened (12 hex digits).
    pub fingerprint: String,
    /// Paper size of printed pages: "A4" or "letter".
    pub paper: &'static str,
    pub product: String,
    pub version: Option<String>,
    pub title: Option<String>,
    pub environment: Option<String>,
    pub commit: Option<String>,
    pub rollback_target: Option<String>,
    pub owner: Option<String>,
    pub timezone: String,
    /// Always present: `deploy.scheduled` is false (and `long_date` says "not
    /// scheduled") while the release has no deployment date.
    pub deploy: DeployView,
    pub last_updated: Option<String>,
    pub conditions: Vec<String>,
    pub decision: DecisionView,
    pub readiness: ProgressView,
    /// Non-empty priorities, in order critical, high, recommended, other.
    pub progress: Vec<ProgressView>,
    /// The same, by name, for expressions: `{{ tally.critical.done }}`.
    pub tally: TallyView,
    pub tests: Option<TestsView>,
    pub metrics: Vec<MetricView>,
    pub metrics_met: usize,
    pub approvals: Option<ApprovalsView>,
    pub risks: Option<RisksView>,
    pub checklists: Vec<NodeView>,
    pub runbook: Option<RunbookView>,
    pub rollback: Option<RollbackView>,
    pub contacts: Option<ContactsView>,
    pub monitoring: Option<MonitoringView>,
    pub communications: Vec<TemplateView>,
    pub narrative: Vec<NarrativeView>,
    pub outcome: Option<OutcomeView>,
    /// What is judged after the deployment (`after_deployment` checklists and
    /// metrics), apart from the readiness above.
    pub after: Option<AfterView>,
    /// The change since the previous release of the same product.
    pub previous: Option<PreviousView>,
    /// The release of the same product that follows this one, if the data has it.
    pub next: Option<NextView>,
    /// The product's releases up to this one (with a chart): none without a previous
    /// release. Kept in the index's rows, for the sparkline per product.
    pub history: Option<super::trend::HistoryView>,
    /// Whether any metric has a note, any risk an owner: a column only then. Left out
    /// of facts.json when false.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub metric_notes: bool,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub risk_owners: bool,
    /// Whether the release has a calendar file (`deploy.ics`): it has a deployment
    /// time. Left out of facts.json when false.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub calendar: bool,
    /// The calendar file itself (not part of facts.json).
    #[serde(skip)]
    pub ics: Option<String>,
    /// What a signer attests to, one line per fact: the sheet's "what you are
    /// approving" summary.
    pub attest: Vec<AttestLine>,
}

/// One line of the "what you are approving" summary.
#[derive(Serialize)]
pub struct AttestLine {
    pub label: &'static str,
    pub text: String,
}

/// A later release of the same product: where its report is.
#[derive(Serialize)]
pub struct NextView {
    pub id: String,
    pub version: Option<String>,
}

#[derive(Serialize)]
pub struct PreviousView {
    pub id: String,
    pub version: Option<String>,
    pub tests_before: Option<u64>,
    pub tests_after: Option<u64>,
    /// "+3", "-2", "±0".
    pub tests_change: Option<String>,
    pub metrics: Vec<MetricChange>,
}

#[derive(Serialize)]
pub struct MetricChange {
    pub name: String,
    /// Both values in the unit of the metric's target, so they read side by side.
    pub before: Option<String>,
    pub after: Option<String>,
    pub before_status: &'static str,
    pub after_status: &'static str,
    /// "−8.75 s", "+0.2%": the change, in the target's unit.
    pub change: Option<String>,
    /// "better", "worse" or "unchanged", by the target's direction (`<` lower is
    /// better, `>` higher is better); a word, never a colour alone.
    pub trend: Option<&'static str>,
}

/// `x` in the unit `t` is written in, with as many decimals as the written precision of
/// `x` needs there (8,900 ms in seconds is 8.9 s; 0.142 s stays 0.142 s): exact, never
/// rounded.
pub(super) fn in_unit(x: f64, steps: &[f64], t: &crate::amount::Amount) -> String {
    let decimals = steps
        .iter()
        .map(|s| {
            if *s > 0.0 {
                (-(s / t.factor).log10()).ceil().max(0.0) as usize
            } else {
                3
            }
        })
        .max()
        .unwrap_or(0)
        .min(9);
    let n = crate::amount::fmt_num(x / t.factor, decimals);
    match t.unit.as_str() {
        "" => n,
        "%" => format!("{n}%"),
        u if u.starts_with('/') => format!("{n}{u}"),
        u => format!("{n} {u}"),
    }
}

/// The change from `b` to `a` against a target: in its unit, and which way is better.
fn metric_change(
    t: &crate::model::Target,
    b: Option<&crate::amount::Amount>,
    a: Option<&crate::amount::Amount>,
) -> (Option<String>, Option<&'static str>) {
    let (Some(a), Some(b)) = (a, b) else {
        return (None, None);
    };
    if a.dim != t.value.dim || b.dim != t.value.dim || a.is_range() || b.is_range() {
        return (None, None);
    }
    let delta = a.lo - b.lo;
    if delta.abs() < 1e-12 {
        return (Some("±0".into()), Some("unchanged"));
    }
    let size = in_unit(delta.abs(), &[a.step, b.step], &t.value);
    // A change of a percentage is in points: 0% to 0.2% is 0.2 points, not 0.2%.
    let size = match size.strip_suffix('%') {
        Some(n) if t.value.dim == crate::amount::Dim::Percent => format!("{n} points"),
        _ => size,
    };
    let sign = if delta > 0.0 { "+" } else { "−" };
    let lower_is_better = matches!(t.cmp, crate::model::Cmp::Lt | crate::model::Cmp::Le);
    let better = (delta < 0.0) == lower_is_better;
    (
        Some(format!("{sign}{size}")),
        Some(if better { "better" } else { "worse" }),
    )
}

fn status_of(met: Option<bool>) -> &'static str {
    match met {
        Some(true) => "met",
        Some(false) => "missed",
        None => "not measured",
    }
}

fn previous_view(r: &Release, p: &Release) -> PreviousView {
    let (after, before) = (
        r.tests.as_ref().map(|_| test_totals(r).total),
        p.tests.as_ref().map(|_| test_totals(p).total),
    );
    let change = after.zip(before).map(|(a, b)| match a.cmp(&b) {
        std::cmp::Ordering::Greater => format!("+{}", a - b),
        std::cmp::Ordering::Less => format!("-{}", b - a),
        std::cmp::Ordering::Equal => "±0".into(),
    });
    let mut metrics = vec![];
    if let (Some(ms), Some(pms)) = (&r.metrics, &p.metrics) {
        for (i, m) in ms.v.iter().enumerate() {
            if let Some((j, pm)) = pms
                .v
                .iter()
                .enumerate()
                .find(|(_, x)| x.name.value == m.name.value)
            {
                let (a, b) = (metric_actual(r, i), metric_actual(p, j));
                let t = &m.target.value;
                // In the target's unit where the value measures what the target does.
                let shown = |x: &crate::amount::Amount| {
                    if x.dim == t.value.dim && x.unit != t.value.unit && !x.is_range() {
                        in_unit(x.lo, &[x.step], &t.value)
                    } else {
                        x.to_string()
                    }
                };
                let (change, trend) = metric_change(t, b, a);
                metrics.push(MetricChange {
                    name: m.name.value.clone(),
                    before: b.map(shown),
                    after: a.map(shown),
                    before_status: status_of(metric_result(pm, b).met),
                    after_status: status_of(metric_result(m, a).met),
                    change,
                    trend,
                });
            }
        }
    }
    PreviousView {
        id: p.id.clone(),
        version: p.info.v.version.clone(),
        tests_before: before,
        tests_after: after,
        tests_change: change,
        metrics,
    }
}

#[derive(Serialize)]
pub struct DeployView {
    pub scheduled: bool,
    pub date: String,
    pub weekday: String,
    /// "Thursday, 25 December 2025".
    pub long_date: String,
    /// "06:00 EST" when a time is set.
    pub local: Option<String>,
    pub utc: Option<String>,
}

#[derive(Serialize)]
pub struct TallyView {
    pub critical: ProgressView,
    pub high: ProgressView,
    pub recommended: ProgressView,
    pub other: ProgressView,
    pub all: ProgressView,
}

#[derive(Serialize)]
pub struct ProgressView {
    pub name: String,
    pub done: u64,
    pub total: u64,
    pub pct: String,
    pub pct_num: f64,
}

fn progress(name: &str, c: Count) -> ProgressView {
    ProgressView {
        name: name.into(),
        done: c.done,
        total: c.total,
        pct: rate_text(c),
        pct_num: c.pct().unwrap_or(0.0),
    }
}

#[derive(Serialize)]
pub struct TestsView {
    pub suites: Vec<SuiteView>,
    /// The totals again at the top level, for expressions: `{{ tests.passed }}`.
    #[serde(flatten)]
    pub counts: TestTotals,
    pub totals: TestTotals,
    pub pass_rate: String,
    pub duration: Option<String>,
    pub failures: Vec<String>,
    pub manual: Option<ManualView>,
}

#[derive(Serialize)]
pub struct SuiteView {
    pub name: String,
    pub framework: Option<String>,
    pub passed: u64,
    pub failed: u64,
    pub errored: u64,
    pub skipped: u64,
    pub total: u64,
    pub pass_rate: String,
    pub duration: Option<String>,
    /// Report files the counts were read from.
    pub reports: Vec<String>,
}

#[derive(Serialize)]
pub struct ManualView {
    pub scenarios: Vec<ScenarioView>,
    pub passed: u64,
    pub total: u64,
    pub pass_rate: String,
    pub duration: Option<String>,
    pub cases: Option<String>,
    pub period: Option<String>,
}

#[derive(Serialize)]
pub struct ScenarioView {
    pub name: String,
    pub result: &'static str,
    pub passed: bool,
    pub duration: Option<String>,
    pub cases: Option<String>,
}

#[derive(Serialize)]
pub struct MetricView {
    pub name: String,
    pub target: String,
    pub actual: Option<String>,
    /// The JSON file and pointer the actual value was read from.
    pub source: Option<String>,
    /// "met", "missed" or "not measured".
    pub status: &'static str,
    pub better: Option<String>,
    pub note: Option<String>,
}

#[derive(Serialize)]
pub struct ApprovalsView {
    pub approved: u64,
    pub required: u64,
    pub all_approved: bool,
    /// One block per required role (and any extra sign-off).
    pub blocks: Vec<SignoffView>,
}

#[derive(Serialize)]
pub struct SignoffView {
    pub role: String,
    /// `signoff-N` for the Nth required role: what a missing approval links to.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub anchor: Option<String>,
    pub name: Option<String>,
    /// approved, conditional, pending, rejected, stale, unbound: pending when incomplete.
    pub status: &'static str,
    pub complete: bool,
    pub required: bool,
    /// Why an approval in the data does not count (stale, or without a fingerprint).
    pub warning: Option<String>,
    pub date: Option<String>,
    /// The data fingerprint the sign-off recorded.
    pub fingerprint: Option<String>,
    /// For a sign-off the data already gives (one that counts, or a rejection): "Approved
    /// in the data on 2026-01-12 by Avery Chen". The sheet then prints no line to sign.
    pub recorded: Option<String>,
    pub scope: Option<String>,
    pub conditions: Vec<String>,
    pub note: Option<String>,
}

#[derive(Serialize)]
pub struct RisksView {
    pub overall: &'static str,
    pub open: usize,
    pub counts: Vec<(String, usize)>,
    pub items: Vec<RiskView>,
}

#[derive(Serialize)]
pub struct RiskView {
    pub id: Option<String>,
    pub title: String,
    pub level: &'static str,
    pub status: &'static str,
    pub mitigation: Option<String>,
    pub owner: Option<String>,
}

#[derive(Serialize)]
pub struct NodeView {
    pub title: String,
    pub priority: Option<&'static str>,
    pub done: Option<bool>,
    pub owner: Option<String>,
    pub command: Option<String>,
    pub expected: Option<String>,
    pub note: Option<String>,
    pub checkpoint: bool,
    pub parallel: bool,
    pub at: Option<TimeLabel>,
    pub start: Option<TimeLabel>,
    pub end: Option<TimeLabel>,
    pub duration: Option<String>,
    pub checks: Option<String>,
    pub lines: Option<String>,
    pub size: Option<String>,
    /// "3/5 done" for a group of checklist items.
    pub progress: Option<String>,
    pub tally: Vec<ProgressView>,
    pub items: Vec<NodeView>,
    /// A checklist group whose items are all done: the report folds it away (its
    /// summary says so). Left out of facts.json when false.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub complete: bool,
    /// The anchor of an open checklist item (`item-2-1`), which the decision's
    /// reasons link to. Left out of facts.json when none.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub anchor: Option<String>,
    /// The title carries its own number ("Phase 1: …", "2. Deploy"): the runbook
    /// shows no second one. Left out of facts.json when false.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub numbered: bool,
}

/// "Phase 1: …", "Step 2 – …", "3. …", "4) …".
fn own_number(title: &str) -> bool {
    let t = title.trim_start().to_ascii_lowercase();
    let rest = ["phase", "step", "stage", "part"]
        .iter()
        .find_map(|w| t.strip_prefix(w))
        .map_or(t.as_str(), str::trim_start);
    let digits = rest.chars().take_while(char::is_ascii_digit).count();
    digits > 0 && (rest.len() != t.len() || rest[digits..].starts_with(['.', ')', ':']))
}

#[derive(Serialize)]
pub struct RunbookView {
    pub window: Option<(TimeLabel, TimeLabel)>,
    pub duration: Option<String>,
    pub phases: Vec<NodeView>,
}

#[derive(Serialize)]
pub struct RollbackView {
    pub target: Option<String>,
    pub time_limit: Option<String>,
    pub automatic: Vec<TriggerView>,
    pub manual: Vec<TriggerView>,
    pub steps: Vec<NodeView>,
}

#[derive(Serialize)]
pub struct TriggerView {
    pub condition: String,
    pub threshold: Option<String>,
    pub action: Option<String>,
}

#[derive(Serialize)]
pub struct ContactsView {
    pub people: Vec<PersonView>,
    pub escalation: Vec<EscalationView>,
    pub channels: Vec<ChannelView>,
}

#[derive(Serialize)]
pub struct PersonView {
    pub role: String,
    pub name: Option<String>,
    pub contact: Option<String>,
    pub duty: Option<String>,
}

#[derive(Serialize)]
pub struct EscalationView {
    pub area: String,
    pub primary: String,
    pub backup: Option<String>,
}

#[derive(Serialize)]
pub struct ChannelView {
    pub name: String,
    pub address: String,
}

#[derive(Serialize)]
pub struct MonitoringView {
    pub cadence: Vec<CadenceView>,
    pub thresholds: Vec<ThresholdView>,
    pub plan: Vec<String>,
}

#[derive(Serialize)]
pub struct CadenceView {
    pub every: String,
    pub check: String,
    pub during: Option<String>,
}

#[derive(Serialize)]
pub struct ThresholdView {
    pub metric: String,
    pub target: Option<String>,
    pub alert: String,
    pub action: Option<String>,
}

#[derive(Serialize)]
pub struct TemplateView {
    pub kind: String,
    pub channel: Option<String>,
    pub subject: Option<String>,
    /// Filled in from the facts (plain text).
    pub body: String,
}

#[derive(Serialize)]
pub struct NarrativeView {
    pub title: String,
    /// Filled-in Markdown (for .md pages, raw HTML made inert).
    pub markdown: String,
    /// Sanitized HTML.
    pub html: String,
}

/// The checklists and metrics confirmed after the deployment: not part of the
/// readiness or the decision.
#[derive(Serialize)]
pub struct AfterView {
    pub checklists: Vec<NodeView>,
    pub metrics: Vec<MetricView>,
    pub metrics_met: usize,
    /// Items confirmed, of the checklists.
    pub confirmed: ProgressView,
    /// Whether the outcome is recorded (the deployment has happened): until then
    /// these are a plan, not a shortfall.
    pub judged: bool,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub metric_notes: bool,
}

#[derive(Serialize)]
pub struct OutcomeView {
    pub recorded: Option<String>,
    pub recorded_by: Option<String>,
    pub status: Option<String>,
    pub values: Vec<(String, String)>,
    pub notes: Option<String>,
}

impl ReleaseView {
    /// The view without what only the release's own pages show: what the built-in
    /// index needs of each release, so a site of thousands of releases does not keep
    /// every page's data until the index is written.
    pub fn index_row(self) -> ReleaseView {
        ReleaseView {
            conditions: vec![],
            progress: vec![],
            metrics: vec![],
            checklists: vec![],
            runbook: None,
            rollback: None,
            contacts: None,
            monitoring: None,
            communications: vec![],
            narrative: vec![],
            outcome: None,
            after: None,
            previous: None,
            ics: None,
            attest: vec![],
            ..self
        }
    }
}

pub fn release_view(r: &Release, policy: &Policy, previous: Option<&Release>) -> ReleaseView {
    let i = &r.info.v;
    let st = standing(r);
    let decision = decide(policy, &st);
    let tl = timeline(r);
    let deploy_clock = &tl;
    let deploy = i
        .deploy
        .as_ref()
        .map(|d| {
            let lab = d
                .value
                .time
                .map(|_| time_label(r, &crate::when::At::Offset(0)));
            DeployView {
                scheduled: true,
                date: d.value.date.format("%Y-%m-%d").to_string(),
                weekday: crate::when::weekday_name(chrono::Datelike::weekday(&d.value.date)).into(),
                long_date: long_date(d.value.date),
                local: lab.as_ref().map(|l| l.local.clone()),
                utc: lab.map(|l| l.utc),
            }
        })
        .unwrap_or(DeployView {
            scheduled: false,
            date: String::new(),
            weekday: String::new(),
            long_date: "not scheduled".into(),
            local: None,
            utc: None,
        });
    // Checklist items carry anchors by their place among all the checklists.
    let lists = || r.checklists.iter().flat_map(|c| c.v.iter()).enumerate();
    let checklists = lists()
        .filter(|(_, n)| !n.after_deployment)
        .map(|(i, n)| node_view(r, n, None, Some(&mut vec![i])))
        .collect();
    let (mut metrics, mut after_metrics): (Vec<MetricView>, Vec<MetricView>) = (vec![], vec![]);
    for (i, m) in r.metrics.iter().flat_map(|m| m.v.iter()).enumerate() {
        let view = metric_view(m, metric_actual(r, i));
        match m.after_deployment {
            false => metrics.push(view),
            true => after_metrics.push(view),
        }
    }
    let after_checklists: Vec<NodeView> = lists()
        .filter(|(_, n)| n.after_deployment)
        .map(|(i, n)| node_view(r, n, None, Some(&mut vec![i])))
        .collect();
    let after = (!after_checklists.is_empty() || !after_metrics.is_empty()).then(|| AfterView {
        confirmed: progress("after the deployment", afterwards(r).items),
        judged: r.outcome.as_ref().is_some_and(|o| o.v.recorded.is_some()),
        metrics_met: after_metrics.iter().filter(|m| m.status == "met").count(),
        metric_notes: after_metrics.iter().any(|m| m.note.is_some()),
        checklists: after_checklists,
        metrics: after_metrics,
    });
    let mut v = ReleaseView {
        id: r.id.clone(),
        fingerprint: r.fingerprint.clone(),
        paper: "A4",
        product: i.product.clone(),
        version: i.version.clone(),
        title: i.title.clone(),
        environment: i.environment.clone(),
        commit: i.commit.clone(),
        rollback_target: i.rollback_target.clone(),
        owner: i.owner.clone(),
        timezone: r.tz.name().to_string(),
        deploy,
        last_updated: i.last_updated.as_ref().map(|d| d.value.to_string()),
        conditions: i.conditions.clone(),
        decision,
        readiness: progress("all items", st.tallies.all()),
        tally: TallyView {
            critical: progress("critical", st.tallies.critical),
            high: progress("high", st.tallies.high),
            recommended: progress("recommended", st.tallies.recommended),
            other: progress("other", st.tallies.other),
            all: progress("all", st.tallies.all()),
        },
        progress: [
            ("critical", st.tallies.critical),
            ("high", st.tallies.high),
            ("recommended", st.tallies.recommended),
            ("other", st.tallies.other),
        ]
        .into_iter()
        .filter(|(_, c)| c.total > 0)
        .map(|(n, c)| progress(n, c))
        .collect(),
        tests: r.tests.as_ref().map(|t| tests_view(r, &t.v)),
        metrics_met: metrics.iter().filter(|m| m.status == "met").count(),
        metrics,
        approvals: r
            .approvals
            .as_ref()
            .and(crate::signing::Signing::of(r))
            .map(|sg| approvals_view(&sg)),
        risks: r.risks.as_ref().map(|x| risks_view(&x.v)),
        checklists,
        runbook: r.runbook.as_ref().map(|rb| RunbookView {
            window: rb
                .v
                .window
                .as_ref()
                .map(|w| (time_label(r, &w.start.value), time_label(r, &w.end.value))),
            duration: sum_amounts(
                rb.v.phases
                    .iter()
                    .map(|p| node_sums(p, deploy_clock).duration)
                    .collect::<Vec<_>>()
                    .iter()
                    .map(Option::as_ref),
            )
            .filter(|_| !rb.v.phases.iter().any(|p| p.parallel))
            .as_ref()
            .map(duration_text),
            phases: rb
                .v
                .phases
                .iter()
                .map(|n| node_view(r, n, None, None))
                .collect(),
        }),
        rollback: r.rollback.as_ref().map(|rb| RollbackView {
            target: i.rollback_target.clone(),
            time_limit: rb.v.time_limit.as_ref().map(|t| duration_text(&t.value)),
            automatic: triggers(&rb.v.triggers, TriggerKind::Automatic),
            manual: triggers(&rb.v.triggers, TriggerKind::Manual),
            steps: rb
                .v
                .steps
                .iter()
                .map(|n| node_view(r, n, None, None))
                .collect(),
        }),
        contacts: r.contacts.as_ref().map(|c| ContactsView {
            people: c
                .v
                .people
                .iter()
                .map(|p| PersonView {
                    role: p.role.clone(),
                    name: p.name.clone(),
                    contact: p.contact.clone(),
                    duty: p.duty.clone(),
                })
                .collect(),
            escalation: c
                .v
                .escalation
                .iter()
                .map(|e| EscalationView {
                    area: e.area.clone(),
                    primary: e.primary.clone(),
                    backup: e.backup.clone(),
                })
                .collect(),
            channels: c
                .v
                .channels
                .iter()
                .map(|x| ChannelView {
                    name: x.name.clone(),
                    address: x.address.clone(),
                })
                .collect(),
        }),
        monitoring: r.monitoring.as_ref().map(|m| MonitoringView {
            cadence: m
                .v
                .cadence
                .iter()
                .map(|c| CadenceView {
                    every: duration_text(&c.every.value),
                    check: c.check.clone(),
                    during: c.during.clone(),
                })
                .collect(),
            thresholds: m
                .v
                .thresholds
                .iter()
                .map(|t| ThresholdView {
                    metric: t.metric.clone(),
                    target: t.target.clone(),
                    alert: t.alert.clone(),
                    action: t.action.clone(),
                })
                .collect(),
            plan: m.v.plan.clone(),
        }),
        communications: vec![],
        narrative: vec![],
        after,
        outcome: r.outcome.as_ref().map(|o| OutcomeView {
            recorded: o.v.recorded.as_ref().map(|d| d.value.to_string()),
            recorded_by: o.v.recorded_by.clone(),
            status: o.v.status.as_ref().map(|s| s.value.clone()),
            values: o
                .v
                .values
                .iter()
                .map(|v| (v.name.value.clone(), v.value.value.clone()))
                .collect(),
            notes: o.v.notes.clone(),
        }),
        previous: previous.map(|p| previous_view(r, p)),
        next: None,
        history: None,
        metric_notes: false,
        risk_owners: false,
        calendar: false,
        ics: None,
        attest: vec![],
    };
    v.attest = attest(&v);
    v.metric_notes = v.metrics.iter().any(|m| m.note.is_some());
    v.risk_owners = v
        .risks
        .as_ref()
        .is_some_and(|x| x.items.iter().any(|i| i.owner.is_some()));
    v
}

/// The state a signer approves, from the view the pages show: deployment, readiness,
/// tests, metrics, open risks, and the data version (the decision is printed above it).
fn attest(v: &ReleaseView) -> Vec<AttestLine> {
    let mut out = vec![];
    let mut line = |label, text: String| out.push(AttestLine { label, text });
    let when = match &v.deploy.local {
        Some(t) => format!("{}, {t}", v.deploy.long_date),
        None => v.deploy.long_date.clone(),
    };
    line("Deployment", when);
    let mut ready = match v.readiness.total {
        0 => "no checklist items".to_string(),
        _ => format!(
            "{} — {}/{} checklist items done",
            v.readiness.pct, v.readiness.done, v.readiness.total
        ),
    };
    for p in v
        .progress
        .iter()
        .filter(|p| p.name == "critical" || p.name == "high")
    {
        ready.push_str(&format!("; {} {}/{}", p.name, p.done, p.total));
    }
    line("Readiness", ready);
    if let Some(t) = &v.tests {
        let c = &t.totals;
        let failing = c.failed + c.errored;
        let mut s = format!("{}/{} automated tests passed", c.passed, c.total);
        s.push_str(&match failing {
            0 => ", none failing".to_string(),
            n => format!(", {n} failing"),
        });
        if c.skipped > 0 {
            s.push_str(&format!(", {} skipped", c.skipped));
        }
        if let Some(m) = &t.manual {
            s.push_str(&format!("; manual {}/{} passed", m.passed, m.total));
        }
        line("Tests", s);
    }
    if !v.metrics.is_empty() {
        let missed: Vec<&str> = v
            .metrics
            .iter()
            .filter(|m| m.status != "met")
            .map(|m| m.name.as_str())
            .collect();
        let mut s = format!("{}/{} targets met", v.metrics_met, v.metrics.len());
        if !missed.is_empty() {
            s.push_str(&format!("; not met: {}", missed.join(", ")));
        }
        line("Metrics", s);
    }
    if let Some(a) = &v.after {
        let mut parts = vec![];
        if a.confirmed.total > 0 {
            parts.push(plural(a.confirmed.total, "item", "items"));
        }
        if !a.metrics.is_empty() {
            parts.push(plural(a.metrics.len() as u64, "metric", "metrics"));
        }
        if !parts.is_empty() {
            line(
                "After the deployment",
                format!(
                    "{} to confirm, not part of the decision",
                    parts.join(" and ")
                ),
            );
        }
    }
    if let Some(r) = &v.risks {
        let open: Vec<String> = ["critical", "high", "medium", "low"]
            .iter()
            .filter_map(|l| {
                let n = r
                    .items
                    .iter()
                    .filter(|x| x.level == *l && x.status != "mitigated")
                    .count();
                (n > 0).then(|| format!("{n} {l}"))
            })
            .collect();
        line(
            "Open risks",
            match r.open {
                0 => "none".to_string(),
                n => format!("{n} ({})", open.join(", ")),
            },
        );
    }
    line("Data version", v.fingerprint.clone());
    out
}

fn triggers(t: &[Trigger], kind: TriggerKind) -> Vec<TriggerView> {
    t.iter()
        .filter(|x| x.kind == kind)
        .map(|x| TriggerView {
            condition: x.condition.clone(),
            threshold: x.threshold.clone(),
            action: x.action.clone(),
        })
        .collect()
}

/// A node's view; `at`, for a checklist node, is its place in the checklists (see
/// [`item_anchor`]), and none for a runbook or rollback node.
fn node_view(
    r: &Release,
    n: &Node,
    inherited: Option<Priority>,
    mut at: Option<&mut Vec<usize>>,
) -> NodeView {
    let checklist = at.is_some();
    let sums = node_sums(n, &timeline(r));
    let p = n.priority.or(inherited);
    let t = node_tallies(n, inherited);
    let all = t.all();
    let text = |a: Option<&crate::amount::Amount>| a.map(|a| a.to_string());
    NodeView {
        numbered: own_number(&n.title.value),
        title: n.title.value.clone(),
        priority: p.map(|p| p.label()),
        done: n.done,
        owner: n.owner.clone(),
        command: n.command.clone(),
        expected: n.expected.clone(),
        note: n.note.clone(),
        checkpoint: n.checkpoint,
        parallel: n.parallel,
        at: n.at.as_ref().map(|a| time_label(r, &a.value)),
        start: n.start.as_ref().map(|a| time_label(r, &a.value)),
        end: n.end.as_ref().map(|a| time_label(r, &a.value)),
        duration: sums.duration.as_ref().map(duration_text),
        checks: text(sums.checks.as_ref()),
        lines: text(sums.lines.as_ref()),
        size: text(sums.size.as_ref()),
        progress: (checklist && (!n.items.is_empty() || n.tally.is_some()))
            .then(|| format!("{}/{} done", all.done, all.total)),
        tally: if n.tally.is_some() {
            [
                ("critical", t.critical),
                ("high", t.high),
                ("recommended", t.recommended),
                ("other", t.other),
            ]
            .into_iter()
            .filter(|(_, c)| c.total > 0)
            .map(|(name, c)| progress(name, c))
            .collect()
        } else {
            vec![]
        },
        complete: checklist
            && (!n.items.is_empty() || n.tally.is_some())
            && all.total > 0
            && all.done == all.total,
        // Open items are what a reason can name: they carry the anchor it links to.
        anchor: match &at {
            Some(path) if n.items.is_empty() && n.tally.is_none() && n.done != Some(true) => {
                Some(item_anchor(path))
            }
            _ => None,
        },
        items: n
            .items
            .iter()
            .enumerate()
            .map(|(i, c)| match at.as_deref_mut() {
                Some(path) => {
                    path.push(i);
                    let v = node_view(r, c, p, Some(path));
                    path.pop();
                    v
                }
                None => node_view(r, c, p, None),
            })
            .collect(),
    }
}

fn metric_view(m: &Metric, actual: Option<&crate::amount::Amount>) -> MetricView {
    let res = metric_result(m, actual);
    MetricView {
        name: m.name.value.clone(),
        target: m.target.value.to_string(),
        actual: actual.map(|a| a.to_string()),
        source: m
            .from
            .as_ref()
            .map(|f| format!("{} {}", f.file.value, f.pointer.value)),
        status: match res.met {
            Some(true) => "met",
            Some(false) => "missed",
            None => "not measured",
        },
        better: res
            .better
            .filter(|b| *b > 0.0 && res.met == Some(true))
            .map(|b| format!("{}% better", fmt_num(b, 1))),
        note: m.note.clone(),
    }
}

fn tests_view(r: &Release, t: &Tests) -> TestsView {
    let totals = test_totals(r);
    TestsView {
        suites: t
            .suites
            .iter()
            .zip(&r.suite_results)
            .map(|(s, x)| {
                let counts = TestTotals {
                    passed: x.passed,
                    failed: x.failed,
                    errored: x.errored,
                    skipped: x.skipped,
                    total: x.total(),
                };
                SuiteView {
                    name: s.name.value.clone(),
                    framework: s.framework.clone(),
                    passed: x.passed,
                    failed: x.failed,
                    errored: x.errored,
                    skipped: x.skipped,
                    total: x.total(),
                    pass_rate: rate_text(pass_count(&counts)),
                    duration: x.duration.as_ref().map(|d| d.to_string()),
                    reports: x.reports.clone(),
                }
            })
            .collect(),
        counts: totals,
        totals,
        pass_rate: rate_text(pass_count(&totals)),
        duration: sum_amounts(r.suite_results.iter().map(|s| s.duration.as_ref()))
            .map(|d| d.to_string()),
        failures: t
            .suites
            .iter()
            .zip(&r.suite_results)
            .flat_map(|(s, x)| {
                x.failures
                    .iter()
                    .map(move |f| format!("{} › {f}", s.name.value))
            })
            .collect(),
        manual: t.manual.as_ref().map(|m| {
            let passed = m
                .scenarios
                .iter()
                .filter(|s| s.result == ScenarioResult::Pass)
                .count() as u64;
            let total = m.scenarios.len() as u64;
            ManualView {
                scenarios: m
                    .scenarios
                    .iter()
                    .map(|s| ScenarioView {
                        name: s.name.clone(),
                        result: s.result.label(),
                        passed: s.result == ScenarioResult::Pass,
                        duration: s.duration.as_ref().map(|d| duration_text(&d.value)),
                        cases: s.cases.as_ref().map(|c| c.value.to_string()),
                    })
                    .collect(),
                passed,
                total,
                pass_rate: rate_text(Count {
                    done: passed,
                    total,
                }),
                duration: sum_amounts(
                    m.scenarios
                        .iter()
                        .map(|s| s.duration.as_ref().map(|d| &d.value)),
                )
                .or_else(|| m.duration.as_ref().map(|d| d.value.clone()))
                .as_ref()
                .map(duration_text),
                cases: sum_amounts(
                    m.scenarios
                        .iter()
                        .map(|s| s.cases.as_ref().map(|d| &d.value)),
                )
                .or_else(|| m.cases.as_ref().map(|d| d.value.clone()))
                .map(|c| c.to_string()),
                period: m.period.clone(),
            }
        }),
    }
}

fn approvals_view(sg: &Signing) -> ApprovalsView {
    use crate::signing::State;
    let a = sg.a;
    let roles = required_roles(a);
    let count = sg.count(true);
    let mut blocks = vec![];
    let view = |s: &Signoff, required: bool| {
        let state = sg.state(s);
        let complete = state == State::Counts;
        let date = s
            .date
            .as_ref()
            .map(|d| d.value.date.format("%Y-%m-%d").to_string());
        let approved = s.fingerprint.as_ref().map(|f| f.value.trim().to_string());
        let name = s
            .name
            .as_ref()
            .map(|n| n.value.clone())
            .filter(|n| !crate::facts::placeholder_name(n));
        let verb = match (state, s.status.value.label()) {
            (State::Rejected, _) => Some("Rejected"),
            (State::Counts, "conditional") => Some("Approved with conditions"),
            (State::Counts, _) => Some("Approved"),
            _ => None,
        };
        let recorded = verb.map(|v| {
            let mut t = format!("{v} in the data");
            if let Some(d) = &date {
                t.push_str(&format!(" on {d}"));
            }
            if let Some(n) = &name {
                t.push_str(&format!(" by {n}"));
            }
            if let Some(f) = &approved {
                t.push_str(&format!(", for data {f}"));
            }
            t.push('.');
            t
        });
        SignoffView {
            role: s.role.value.clone(),
            name,
            status: match state {
                State::Counts | State::Rejected => s.status.value.label(),
                State::Stale => "stale",
                State::Unbound => "unbound",
                State::Open | State::Superseded => "pending",
            },
            complete,
            required,
            // Why an approval in the data does not count, in words the sheet prints.
            warning: match state {
                State::Stale => Some(format!(
                    "Approved{} for data {}; the facts have changed since (now {}): this approval no longer counts and must be given again.",
                    date.as_deref().map(|d| format!(" on {d}")).unwrap_or_default(),
                    approved.as_deref().unwrap_or_default(),
                    sg.fingerprint()
                )),
                State::Unbound => Some(
                    "Approved without the data fingerprint it approves; the policy requires one: this approval does not count until it is given again with `gonogo approve`.".into(),
                ),
                _ => None,
            },
            date,
            fingerprint: approved,
            recorded,
            scope: s.scope.clone(),
            conditions: s.conditions.clone(),
            note: s.note.clone(),
            anchor: None,
        }
    };
    for (i, role) in roles.iter().enumerate() {
        let mut block = match sg.current(role) {
            Some(s) => view(s, true),
            None => SignoffView {
                role: role.clone(),
                name: None,
                status: "pending",
                complete: false,
                required: true,
                warning: None,
                date: None,
                fingerprint: None,
                recorded: None,
                scope: None,
                conditions: vec![],
                note: None,
                anchor: None,
            },
        };
        // A missing approval in the decision's reasons links here.
        block.anchor = Some(format!("signoff-{}", i + 1));
        blocks.push(block);
    }
    let mut extra: Vec<&str> = vec![];
    for s in &a.signoffs {
        let role = s.role.value.as_str();
        if !roles.iter().any(|r| r == role) && !extra.contains(&role) {
            extra.push(role);
            if let Some(current) = sg.current(role) {
                blocks.push(view(current, false));
            }
        }
    }
    ApprovalsView {
        approved: count.done,
        required: count.total,
        all_approved: count.done == count.total,
        blocks,
    }
}

fn risks_view(r: &Risks) -> RisksView {
    RisksView {
        overall: overall_risk(r).label(),
        open: r
            .items
            .iter()
            .filter(|x| x.status != RiskStatus::Mitigated)
            .count(),
        counts: Level::ALL
            .iter()
            .rev()
            .map(|l| {
                (
                    l.label().to_string(),
                    r.items.iter().filter(|x| x.level == *l).count(),
                )
            })
            .collect(),
        items: r
            .items
            .iter()
            .map(|x| RiskView {
                id: x.id.clone(),
                title: x.title.clone(),
                level: x.level.label(),
                status: x.status.label(),
                mitigation: x.mitigation.clone(),
                owner: x.owner.clone(),
            })
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::own_number;

    #[test]
    fn a_metric_change_is_exact_in_the_targets_unit_with_its_direction() {
        use crate::amount::Amount;
        use crate::model::Target;
        let t = Target::parse("< 30 s").unwrap();
        let (b, a) = (
            Amount::parse("8,900 ms").unwrap(),
            Amount::parse("0.142 s").unwrap(),
        );
        assert_eq!(
            super::metric_change(&t, Some(&b), Some(&a)),
            (Some("−8.758 s".into()), Some("better"))
        );
        let t = Target::parse("< 1%").unwrap();
        let (b, a) = (Amount::parse("0%").unwrap(), Amount::parse("0.2%").unwrap());
        assert_eq!(
            super::metric_change(&t, Some(&b), Some(&a)),
            (Some("+0.2 points".into()), Some("worse"))
        );
        let t = Target::parse(">= 99%").unwrap();
        assert_eq!(
            super::metric_change(&t, Some(&b), Some(&a)),
            (Some("+0.2 points".into()), Some("better"))
        );
        assert_eq!(
            super::metric_change(&t, Some(&a), Some(&a)).1,
            Some("unchanged")
        );
        assert_eq!(
            super::in_unit(8.9, &[0.001], &Amount::parse("30 s").unwrap()),
            "8.9 s"
        );
    }

    #[test]
    fn a_title_with_its_own_number_gets_no_second_one() {
        for t in [
            "Phase 1: code integration",
            "Step 2 – drain",
            "3. Deploy",
            "4) Verify",
            "stage 5",
        ] {
            assert!(own_number(t), "{t}");
        }
        for t in [
            "Deployment execution",
            "3 servers restarted",
            "Stepping back",
            "Phase out the old API",
        ] {
            assert!(!own_number(t), "{t}");
        }
    }
}
