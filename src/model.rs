//! The data format: what a lead writes in `data/`. Facts are plain fields; fields
//! documented as *claims* are derived values a person wrote down. Claims are optional,
//! checked when present, and never rendered.

use crate::amount::Amount;
use crate::when::{At, When};
use serde::de::{self, Deserializer};
use serde::{Deserialize, Serialize};
use serde_saphyr::Spanned;
use std::fmt;

/// A value with the line and column it was read from.
pub type S<T> = Spanned<T>;

/// Defines an enum read from a lenient, case-insensitive string
/// (`GO WITH CONDITIONS`, `go-with-conditions` and `go_with_conditions` are one value).
macro_rules! word_enum {
    ($(#[$m:meta])* $name:ident { $($variant:ident => $label:literal [$($alias:literal),*]),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
        pub enum $name { $($variant),+ }
        impl $name {
            #[allow(dead_code)]
            pub const ALL: &'static [$name] = &[$($name::$variant),+];
            pub fn label(self) -> &'static str { match self { $($name::$variant => $label),+ } }
            pub fn parse(s: &str) -> Option<$name> {
                let k: String = s.trim().chars()
                    .map(|c| if c == '_' || c == ' ' { '-' } else { c.to_ascii_lowercase() })
                    .collect();
                $( if k == $label.to_ascii_lowercase().replace(' ', "-") $(|| k == $alias)* { return Some($name::$variant); } )+
                None
            }
        }
        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result { f.write_str(self.label()) }
        }
        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let s = String::deserialize(d)?;
                $name::parse(&s).ok_or_else(|| de::Error::custom(format!(
                    "expected one of {}, found `{}`",
                    [$($label),+].map(|l| format!("`{l}`")).join(", "), s)))
            }
        }
    };
}

word_enum!(
    /// The outcome of the go/no-go policy.
    Decision {
        Go => "GO" ["go-for-production", "approved"],
        GoWithConditions => "GO WITH CONDITIONS" ["conditional-go"],
        NoGo => "NO-GO" ["nogo", "no-go", "not-ready"],
    }
);
word_enum!(
    /// A stated readiness status: `ready` claims the decision is not NO-GO.
    Readiness {
        Ready => "ready" ["approved-for-production", "ready-for-production", "ready-for-deployment"],
        NotReady => "not ready" ["awaiting-approvals", "pending", "blocked"],
    }
);
word_enum!(
    Level { Low => "low" [], Medium => "medium" [], High => "high" [], Critical => "critical" [] }
);
word_enum!(
    /// The highest risk level a policy lets stay open; `none` allows no open risk.
    MaxRisk { NoOpen => "none" [], Low => "low" [], Medium => "medium" [], High => "high" [], Critical => "critical" [] }
);
word_enum!(
    RiskStatus { Open => "open" [], Mitigated => "mitigated" [], Accepted => "accepted" [] }
);
word_enum!(
    Priority { Critical => "critical" [], High => "high" [], Recommended => "recommended" ["low", "nice-to-have"] }
);
word_enum!(
    SignStatus {
        Approved => "approved" [],
        Conditional => "conditional" ["approved-with-conditions"],
        Pending => "pending" ["awaiting"],
        Rejected => "rejected" [],
    }
);
word_enum!(
    ScenarioResult { Pass => "pass" ["passed"], Fail => "fail" ["failed"], Blocked => "blocked" [], NotRun => "not run" ["pending"] }
);
word_enum!(
    TriggerKind { Automatic => "automatic" ["immediate", "auto"], Manual => "manual" ["conditional"] }
);

/// `data/gonogo.yaml`: the site.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SiteConfig {
    /// Title of the index page.
    pub title: String,
    pub organisation: Option<String>,
    /// IANA time zone used when a release names none, e.g. `Europe/Berlin`.
    pub timezone: Option<S<String>>,
    /// The default go/no-go policy.
    pub policy: Option<Policy>,
    /// Markdown shown on the index page.
    pub description: Option<String>,
}

/// One YAML file of a release: any subset of the sections. Files of one release are
/// merged; a section defined in two files is an error.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReleaseFile {
    pub release: Option<ReleaseInfo>,
    pub tests: Option<Tests>,
    pub metrics: Option<Vec<Metric>>,
    pub approvals: Option<Approvals>,
    pub risks: Option<Risks>,
    pub checklists: Option<Vec<Node>>,
    pub policy: Option<Policy>,
    pub runbook: Option<Runbook>,
    pub rollback: Option<Rollback>,
    pub contacts: Option<Contacts>,
    pub monitoring: Option<Monitoring>,
    pub communications: Option<Vec<Template>>,
    pub narrative: Option<Vec<Narrative>>,
    pub outcome: Option<Outcome>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReleaseInfo {
    pub product: String,
    pub version: Option<String>,
    /// A short title shown under the product name.
    pub title: Option<String>,
    pub environment: Option<String>,
    pub commit: Option<String>,
    pub rollback_target: Option<String>,
    pub owner: Option<String>,
    /// IANA time zone of the deployment; defaults to the site's.
    pub timezone: Option<S<String>>,
    /// Deployment date and local time; absent while not scheduled.
    pub deploy: Option<S<When>>,
    pub last_updated: Option<S<When>>,
    /// Conditions written down for a GO WITH CONDITIONS.
    #[serde(default)]
    pub conditions: Vec<String>,
    /// Claim: the go/no-go decision.
    pub decision: Option<S<Decision>>,
    /// Claim: `ready` (decision is not NO-GO) or `not ready`.
    pub status: Option<S<Readiness>>,
    /// Claim: the overall risk level.
    pub risk_level: Option<S<Level>>,
    /// Claim: share of checklist items done, e.g. `40%`.
    pub readiness: Option<S<Amount>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Tests {
    #[serde(default)]
    pub suites: Vec<Suite>,
    pub manual: Option<Manual>,
    /// Claim: number of automated tests.
    pub total: Option<S<Amount>>,
    /// Claim: passed tests, as `116/116 (100%)`, `116/116` or `100%`.
    pub pass_rate: Option<S<Ratio>>,
    /// Claim: number of suites.
    pub suite_count: Option<S<Amount>>,
    /// Claim: total duration of the suites.
    pub duration: Option<S<Amount>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Suite {
    pub name: S<String>,
    pub framework: Option<String>,
    /// JUnit XML files or globs (`reports/**/*.xml`), relative to the folder of this
    /// YAML file and inside the data folder. With reports, the counts below are claims.
    #[serde(default)]
    pub reports: Vec<S<String>>,
    pub passed: Option<S<u64>>,
    pub failed: Option<S<u64>>,
    pub errored: Option<S<u64>>,
    pub skipped: Option<S<u64>>,
    pub duration: Option<S<Amount>>,
    /// Claim: tests in this suite.
    pub total: Option<S<Amount>>,
    /// Names of failing tests (read from the reports when there are any).
    #[serde(default)]
    pub failures: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Manual {
    pub scenarios: Vec<Scenario>,
    /// Fact when the scenarios give no durations; otherwise a claim about their sum.
    pub duration: Option<S<Amount>>,
    /// Fact when the scenarios give no case counts; otherwise a claim about their sum.
    pub cases: Option<S<Amount>>,
    /// Claim: scenarios passed, as `5/5 (100%)`.
    pub pass_rate: Option<S<Ratio>>,
    /// When the scenarios ran, e.g. `Mon-Wed`.
    pub period: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    pub name: String,
    pub result: ScenarioResult,
    pub duration: Option<S<Amount>>,
    pub cases: Option<S<Amount>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Metric {
    pub name: S<String>,
    /// `< 1000 ms`, `<= 1%`, `>= 99%`, `50+`.
    pub target: S<Target>,
    /// Measured value; absent until measured. With `from`, a claim about the file.
    pub actual: Option<S<Amount>>,
    /// Read the actual value from a JSON file (a benchmark tool's output).
    pub from: Option<FromJson>,
    pub note: Option<String>,
    /// Claim: "% better than target", e.g. `76%`.
    pub better: Option<S<Amount>>,
    /// Claim: whether the target is met.
    pub met: Option<S<bool>>,
}

/// A number in a JSON file, e.g. hyperfine's `--export-json` output.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FromJson {
    /// Path relative to the folder of this YAML file, inside the data folder.
    pub file: S<String>,
    /// RFC 6901 JSON Pointer, e.g. `/results/0/mean`.
    pub pointer: S<String>,
    /// Unit of the number in the file: `s`, `ms`, `us`/`µs`, `%`, `ratio` (0-1), or a
    /// counted noun; defaults to the target's unit.
    pub unit: Option<S<String>>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum Cmp {
    Lt,
    Le,
    Gt,
    Ge,
}

/// A target such as `< 1000 ms` or `>= 99%`; `50+` means `>= 50`.
#[derive(Clone, Debug)]
pub struct Target {
    pub cmp: Cmp,
    pub value: Amount,
}

impl Target {
    pub fn parse(s: &str) -> Result<Target, String> {
        let t = s.trim();
        let ops = [
            ("<=", Cmp::Le),
            ("≤", Cmp::Le),
            (">=", Cmp::Ge),
            ("≥", Cmp::Ge),
            ("<", Cmp::Lt),
            (">", Cmp::Gt),
        ];
        for (op, cmp) in ops {
            if let Some(rest) = t.strip_prefix(op) {
                let value = Amount::parse(rest)?;
                if value.is_range() || value.at_least {
                    return Err(format!("a target compares with one value, found `{t}`"));
                }
                return Ok(Target { cmp, value });
            }
        }
        let value = Amount::parse(t)?;
        if value.at_least && !value.is_range() {
            return Ok(Target {
                cmp: Cmp::Ge,
                value: Amount {
                    at_least: false,
                    ..value
                },
            });
        }
        Err(format!(
            "expected a target such as `< 1000 ms`, `>= 99%` or `50+`, found `{t}`"
        ))
    }

    pub fn lower_is_better(&self) -> bool {
        matches!(self.cmp, Cmp::Lt | Cmp::Le)
    }
}

impl fmt::Display for Target {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let op = match self.cmp {
            Cmp::Lt => "<",
            Cmp::Le => "≤",
            Cmp::Gt => ">",
            Cmp::Ge => "≥",
        };
        write!(f, "{op} {}", self.value)
    }
}

impl<'de> Deserialize<'de> for Target {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = crate::model::scalar_string(d)?;
        Target::parse(&s).map_err(de::Error::custom)
    }
}

/// Reads a YAML scalar (string or number) as its text.
pub fn scalar_string<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    struct V;
    impl de::Visitor<'_> for V {
        type Value = String;
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("a string or a number")
        }
        fn visit_str<E: de::Error>(self, v: &str) -> Result<String, E> {
            Ok(v.to_string())
        }
        fn visit_u64<E: de::Error>(self, v: u64) -> Result<String, E> {
            Ok(v.to_string())
        }
        fn visit_i64<E: de::Error>(self, v: i64) -> Result<String, E> {
            Ok(v.to_string())
        }
        fn visit_f64<E: de::Error>(self, v: f64) -> Result<String, E> {
            Ok(v.to_string())
        }
    }
    d.deserialize_any(V)
}

/// A fraction and/or a percentage as written: `116/116 (100%)`, `16+/18`, `40%`,
/// `90% (16/18)`, `10/25`.
#[derive(Clone, Debug)]
pub struct Ratio {
    pub num: Option<Amount>,
    pub den: Option<Amount>,
    pub pct: Option<Amount>,
}

impl Ratio {
    pub fn parse(s: &str) -> Result<Ratio, String> {
        let bad = || {
            format!(
                "expected a fraction and/or percentage such as `116/116 (100%)`, `10/25` or `90%`, found `{}`",
                s.trim()
            )
        };
        let mut r = Ratio {
            num: None,
            den: None,
            pct: None,
        };
        let cleaned = s.replace(['(', ')'], " ");
        for part in cleaned.split_whitespace() {
            if let Some((n, d)) = part.split_once('/') {
                r.num = Some(Amount::parse(n).map_err(|_| bad())?);
                r.den = Some(Amount::parse(d).map_err(|_| bad())?);
            } else if part.ends_with('%') || part.ends_with("%+") {
                r.pct = Some(Amount::parse(part).map_err(|_| bad())?);
            } else {
                return Err(bad());
            }
        }
        if r.num.is_none() && r.pct.is_none() {
            return Err(bad());
        }
        Ok(r)
    }

    /// The fraction as a percentage, when both parts are known.
    pub fn fraction_pct(&self) -> Option<f64> {
        match (&self.num, &self.den) {
            (Some(n), Some(d)) if d.lo > 0.0 => Some(n.lo / d.lo * 100.0),
            _ => None,
        }
    }
}

impl fmt::Display for Ratio {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (&self.num, &self.den, &self.pct) {
            (Some(n), Some(d), Some(p)) => write!(f, "{n}/{d} ({p})"),
            (Some(n), Some(d), None) => write!(f, "{n}/{d}"),
            (_, _, Some(p)) => write!(f, "{p}"),
            _ => Ok(()),
        }
    }
}

impl<'de> Deserialize<'de> for Ratio {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = scalar_string(d)?;
        Ratio::parse(&s).map_err(de::Error::custom)
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Approvals {
    /// Roles whose approval is required; defaults to every role with a sign-off.
    pub required: Option<Vec<S<String>>>,
    pub signoffs: Vec<Signoff>,
    /// Claim: every required role has approved.
    pub all_approved: Option<S<bool>>,
    /// Claim: approved required roles, as `4/4`.
    pub approved: Option<S<Ratio>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Signoff {
    pub role: S<String>,
    pub name: Option<S<String>>,
    pub status: S<SignStatus>,
    pub date: Option<S<When>>,
    /// What the approver signs for.
    pub scope: Option<String>,
    #[serde(default)]
    pub conditions: Vec<String>,
    pub note: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Risks {
    pub items: Vec<Risk>,
    /// Claim: the overall risk level.
    pub level: Option<S<Level>>,
    /// Claims: number of risks per level.
    pub counts: Option<LevelCounts>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LevelCounts {
    pub critical: Option<S<Amount>>,
    pub high: Option<S<Amount>>,
    pub medium: Option<S<Amount>>,
    pub low: Option<S<Amount>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Risk {
    pub id: Option<String>,
    pub title: String,
    pub level: Level,
    pub status: RiskStatus,
    pub mitigation: Option<String>,
    pub owner: Option<String>,
}

/// A checklist, a checklist section, an item, a runbook phase or step, a rollback
/// step: one tree. A quantity (`duration`, `checks`, `lines`, `size`) on a node whose
/// children all carry it is a claim about their sum; on a leaf it is a fact.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Node {
    pub title: S<String>,
    pub priority: Option<Priority>,
    /// Checkbox state; runbook steps start unticked.
    pub done: Option<bool>,
    pub owner: Option<String>,
    pub command: Option<String>,
    pub expected: Option<String>,
    pub note: Option<String>,
    #[serde(default)]
    pub checkpoint: bool,
    /// Start and end of a phase: offsets (`T-60 min`) or times (`05:30`).
    pub start: Option<S<At>>,
    pub end: Option<S<At>>,
    /// When a step happens.
    pub at: Option<S<At>>,
    /// Runs alongside its siblings (may overlap them).
    #[serde(default)]
    pub parallel: bool,
    /// Time taken (or time limit, for rollback steps).
    pub duration: Option<S<Amount>>,
    pub checks: Option<S<Amount>>,
    pub lines: Option<S<Amount>>,
    pub size: Option<S<Amount>>,
    /// Item counts kept elsewhere, per priority, as `done/total`: facts.
    pub tally: Option<Tally>,
    /// Claim: number of items below this node.
    pub total: Option<S<Amount>>,
    /// Claims: items done per priority, as `10/25 (40%)`.
    pub progress: Option<Progress>,
    #[serde(default)]
    pub items: Vec<Node>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Tally {
    pub critical: Option<S<Ratio>>,
    pub high: Option<S<Ratio>>,
    pub recommended: Option<S<Ratio>>,
    /// Items without a priority.
    pub other: Option<S<Ratio>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Progress {
    pub critical: Option<S<Ratio>>,
    pub high: Option<S<Ratio>>,
    pub recommended: Option<S<Ratio>>,
    pub all: Option<S<Ratio>>,
}

/// Go/no-go thresholds: GO when every `go` criterion holds, else GO WITH CONDITIONS
/// when every `go_with_conditions` criterion holds, else NO-GO.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Policy {
    pub go: Criteria,
    pub go_with_conditions: Option<Criteria>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Criteria {
    /// Minimum share of critical items done, e.g. `100%`; may state the count it
    /// implies, `100% (25/25)`, which is then checked.
    pub critical_done: Option<S<Ratio>>,
    pub high_done: Option<S<Ratio>>,
    pub recommended_done: Option<S<Ratio>>,
    /// Every required approval must be given.
    #[serde(default)]
    pub all_approvals: bool,
    /// Highest risk level that may still be open (not mitigated); `none` allows none.
    pub max_open_risk: Option<S<MaxRisk>>,
    pub max_failing_tests: Option<u64>,
    pub max_missed_metrics: Option<u64>,
    /// Conditions must be written down (`release.conditions`).
    #[serde(default)]
    pub conditions_required: bool,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Runbook {
    /// The deployment window: phases must sit inside it.
    pub window: Option<Window>,
    /// Claim: total duration of the phases (a range adds as a range).
    pub duration: Option<S<Amount>>,
    pub phases: Vec<Node>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Window {
    pub start: S<At>,
    pub end: S<At>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rollback {
    /// Longest time the rollback may take.
    pub time_limit: Option<S<Amount>>,
    #[serde(default)]
    pub triggers: Vec<Trigger>,
    #[serde(default)]
    pub steps: Vec<Node>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Trigger {
    pub condition: String,
    pub threshold: Option<String>,
    pub kind: TriggerKind,
    pub action: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Contacts {
    #[serde(default)]
    pub people: Vec<Person>,
    #[serde(default)]
    pub escalation: Vec<Escalation>,
    #[serde(default)]
    pub channels: Vec<Channel>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Person {
    pub role: String,
    pub name: Option<String>,
    pub contact: Option<String>,
    pub duty: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Escalation {
    pub area: String,
    pub primary: String,
    pub backup: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Channel {
    pub name: String,
    pub address: String,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Monitoring {
    #[serde(default)]
    pub cadence: Vec<Cadence>,
    #[serde(default)]
    pub thresholds: Vec<Threshold>,
    /// Free-form plan lines, e.g. "Daily reviews for the next 7 days".
    #[serde(default)]
    pub plan: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Cadence {
    pub every: S<Amount>,
    pub check: String,
    pub during: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Threshold {
    pub metric: String,
    pub target: Option<String>,
    pub alert: String,
    pub action: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Template {
    /// `announce`, `in progress`, `done`, `rollback`, or any name.
    pub kind: String,
    pub channel: Option<String>,
    pub subject: Option<String>,
    /// Text with `{{ expressions }}` filled in from the facts.
    pub body: S<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Narrative {
    pub title: String,
    /// Markdown; may insert facts with `{{ expressions }}`.
    pub body: S<String>,
}

/// The record of the deployment's result: a blank form until the results exist.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Outcome {
    /// When the results were recorded (must be after the deployment).
    pub recorded: Option<S<When>>,
    pub recorded_by: Option<String>,
    pub status: Option<S<String>>,
    #[serde(default)]
    pub values: Vec<OutcomeValue>,
    pub notes: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OutcomeValue {
    pub name: S<String>,
    pub value: S<String>,
}
