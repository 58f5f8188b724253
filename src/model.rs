//! The data format: what a lead writes in `data/`. Facts are plain fields; fields
//! documented as *claims* are derived values a person wrote down. Claims are optional,
//! checked when present, and never rendered.
//!
//! The same types give the JSON Schema of the data files (`gonogo schema`): doc
//! comments become descriptions, so they are written for the people editing the YAML.

use crate::amount::Amount;
use crate::when::{At, When};
use schemars::JsonSchema;
use serde::de::{self, Deserializer};
use serde::{Deserialize, Serialize};
use serde_saphyr::Spanned;
use std::fmt;

/// A value with the line and column it was read from.
pub type S<T> = Spanned<T>;

/// Defines an enum read from a lenient, case-insensitive string
/// (`GO WITH CONDITIONS`, `go-with-conditions` and `go_with_conditions` are one value).
macro_rules! word_enum {
    ($(#[doc = $doc:literal])* $name:ident { $($variant:ident => $label:literal [$($alias:literal),*]),+ $(,)? }) => {
        $(#[doc = $doc])*
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
        impl JsonSchema for $name {
            fn schema_name() -> std::borrow::Cow<'static, str> { stringify!($name).into() }
            fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
                word_schema(&[$($doc),*], &[$(($label, &[$($alias),*])),+])
            }
        }
    };
}

/// The schema of a `word_enum!`: the labels as written (for completion), or any
/// spelling `parse` accepts: any case, `-`, `_` or a space between
/// words, surrounding spaces, and the aliases.
fn word_schema(doc: &[&str], words: &[(&str, &[&str])]) -> schemars::Schema {
    let labels: Vec<&str> = words.iter().map(|(l, _)| *l).collect();
    let quoted = |ws: &[&str]| {
        ws.iter()
            .map(|w| format!("`{w}`"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let mut description = doc.iter().map(|l| l.trim()).collect::<Vec<_>>().join(" ");
    if !description.is_empty() {
        description.push(' ');
    }
    description.push_str(&format!(
        "One of {}; case does not matter, and `-`, `_` and a space between words are alike.",
        quoted(&labels)
    ));
    let key = |l: &str| l.to_ascii_lowercase().replace(' ', "-");
    let aliases: Vec<String> = words
        .iter()
        .filter_map(|(l, a)| {
            let other: Vec<&str> = a.iter().copied().filter(|a| *a != key(l)).collect();
            (!other.is_empty()).then(|| format!("{} for `{l}`", quoted(&other)))
        })
        .collect();
    if !aliases.is_empty() {
        description.push_str(&format!(" Also accepted: {}.", aliases.join("; ")));
    }
    // The keys `parse` compares with: lower case, `-` between words.
    let keys = words
        .iter()
        .flat_map(|(l, a)| std::iter::once(key(l)).chain(a.iter().map(|a| a.to_string())));
    let mut alternatives: Vec<String> = vec![];
    for k in keys {
        let alternative = k
            .chars()
            .map(|c| match c {
                '-' => "[-_ ]".to_string(),
                c if c.is_ascii_alphabetic() => format!("[{}{}]", c, c.to_ascii_uppercase()),
                c if c.is_ascii_alphanumeric() => c.to_string(),
                c => format!("\\{c}"),
            })
            .collect();
        if !alternatives.contains(&alternative) {
            alternatives.push(alternative);
        }
    }
    let pattern = format!("^\\s*(?:{})\\s*$", alternatives.join("|"));
    schemars::json_schema!({
        "type": "string",
        "description": description,
        "anyOf": [{ "enum": labels }, { "pattern": pattern }],
        "examples": labels,
    })
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
    /// Paper size of printed pages and PDFs.
    Paper { A4 => "A4" [], Letter => "letter" ["us-letter"] }
);
word_enum!(
    /// A risk level.
    Level { Low => "low" [], Medium => "medium" [], High => "high" [], Critical => "critical" [] }
);
word_enum!(
    /// The highest risk level a policy lets stay open; `none` allows no open risk.
    MaxRisk { NoOpen => "none" [], Low => "low" [], Medium => "medium" [], High => "high" [], Critical => "critical" [] }
);
word_enum!(
    /// The state of a risk: `open`, or handled (`mitigated`, `accepted`). Risks that
    /// are not mitigated count as open for the policy and the overall level.
    RiskStatus { Open => "open" [], Mitigated => "mitigated" [], Accepted => "accepted" [] }
);
word_enum!(
    /// The priority of a checklist item (a node's priority applies to the items below it).
    Priority { Critical => "critical" [], High => "high" [], Recommended => "recommended" ["low", "nice-to-have"] }
);
word_enum!(
    /// The state of a sign-off. An `approved` or `conditional` sign-off counts as an
    /// approval only with the approver's name and date.
    SignStatus {
        Approved => "approved" [],
        Conditional => "conditional" ["approved-with-conditions"],
        Pending => "pending" ["awaiting"],
        Rejected => "rejected" [],
    }
);
word_enum!(
    /// The result of a manual test scenario.
    ScenarioResult { Pass => "pass" ["passed"], Fail => "fail" ["failed"], Blocked => "blocked" [], NotRun => "not run" ["pending"] }
);
word_enum!(
    /// Whether a rollback trigger fires by itself or needs a person's decision.
    TriggerKind { Automatic => "automatic" ["immediate", "auto"], Manual => "manual" ["conditional"] }
);

/// `data/gonogo.yaml`: the site.
#[derive(Clone, Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SiteConfig {
    /// Title of the index page.
    #[schemars(example = "Release readiness")]
    pub title: String,
    /// The organisation the releases belong to, shown on the index page.
    #[schemars(example = "Example Engineering")]
    pub organisation: Option<String>,
    /// IANA time zone used when a release names none, e.g. `Europe/Berlin`.
    #[schemars(with = "Option<String>", example = &"UTC", example = "America/New_York")]
    pub timezone: Option<S<String>>,
    /// The default go/no-go policy; a release may override it with its own `policy`.
    /// Without one, gonogo's built-in policy applies (the one `gonogo init` writes).
    pub policy: Option<Policy>,
    /// Markdown shown on the index page.
    pub description: Option<String>,
    /// Paper size of the printed sign-off sheet and runbook (HTML print and PDF):
    /// `A4` (the default) or `letter`.
    pub paper: Option<Paper>,
    /// Write `approval.pdf` and `runbook.pdf` for every release (the default). A site
    /// of thousands of releases that prints from the browser may turn this off.
    pub pdf: Option<bool>,
}

/// One YAML file of a release: any subset of the sections. Files of one release are
/// merged; a section defined in two files is an error.
#[derive(Clone, Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ReleaseFile {
    /// What is released, where and when. Every release needs this section (in one of
    /// its files) with at least the product name.
    pub release: Option<ReleaseInfo>,
    /// Automated test suites (counts typed in or read from JUnit XML reports) and
    /// manual test scenarios.
    pub tests: Option<Tests>,
    /// Measured values against their targets.
    pub metrics: Option<Vec<Metric>>,
    /// Required roles and their sign-offs.
    pub approvals: Option<Approvals>,
    /// The risk register.
    pub risks: Option<Risks>,
    /// Checklists: a tree of nodes (sections and items); a node's priority applies to
    /// the items below it.
    pub checklists: Option<Vec<Node>>,
    /// Go/no-go thresholds for this release, replacing the site's policy.
    pub policy: Option<Policy>,
    /// The deployment runbook: a window and its phases.
    pub runbook: Option<Runbook>,
    /// When and how to roll back.
    pub rollback: Option<Rollback>,
    /// People, escalation paths and channels.
    pub contacts: Option<Contacts>,
    /// What to watch after the deployment.
    pub monitoring: Option<Monitoring>,
    /// Message templates filled in with facts, ready to copy.
    pub communications: Option<Vec<Template>>,
    /// Narrative sections in Markdown (`*.md` files in the release folder are
    /// narrative sections too).
    pub narrative: Option<Vec<Narrative>>,
    /// The record of results: a blank form until they exist.
    pub outcome: Option<Outcome>,
    /// Sections of the file that could not be read (each reported once): left out.
    #[serde(skip)]
    #[schemars(skip)]
    pub unread: Vec<String>,
}

impl ReleaseFile {
    /// Takes every section `other` has (one file's sections read one at a time).
    pub fn absorb(&mut self, other: ReleaseFile) {
        macro_rules! take {
            ($($f:ident),*) => { $( if other.$f.is_some() { self.$f = other.$f; } )* };
        }
        take!(
            release,
            tests,
            metrics,
            approvals,
            risks,
            checklists,
            policy,
            runbook,
            rollback,
            contacts,
            monitoring,
            communications,
            narrative,
            outcome
        );
    }
}

/// What is released, where and when; the decision and its related claims.
#[derive(Clone, Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ReleaseInfo {
    /// The product released; releases of one product are compared with the previous one.
    #[schemars(example = "Studio Pod")]
    pub product: String,
    /// The version released; quote it (`"1.0"`) so YAML keeps it as written.
    /// Releases of one product are ordered by version, numerically (1.10 after 1.9).
    #[schemars(example = &"1.0")]
    pub version: Option<String>,
    /// A short title shown under the product name.
    #[schemars(example = "Render queue and retries")]
    pub title: Option<String>,
    /// The environment deployed to.
    #[schemars(example = &"production")]
    pub environment: Option<String>,
    /// The commit (or tag) deployed.
    #[schemars(example = "9c41d2e7")]
    pub commit: Option<String>,
    /// The commit (or tag) a rollback returns to.
    #[schemars(example = "460d1cb6")]
    pub rollback_target: Option<String>,
    /// The role or person owning the release.
    #[schemars(example = "Technical Lead")]
    pub owner: Option<String>,
    /// IANA time zone of the deployment; defaults to the site's.
    #[schemars(with = "Option<String>", example = "America/New_York")]
    pub timezone: Option<S<String>>,
    /// Deployment date and local time (in `timezone`); absent while not scheduled.
    #[schemars(with = "Option<When>", example = "2025-12-25 06:00")]
    pub deploy: Option<S<When>>,
    /// When this release's data was last updated; must not be after the build.
    #[schemars(with = "Option<When>", example = "2025-12-24")]
    pub last_updated: Option<S<When>>,
    /// Conditions written down for a GO WITH CONDITIONS.
    #[serde(default)]
    pub conditions: Vec<String>,
    /// Claim: the go/no-go decision the policy gives.
    #[schemars(with = "Option<Decision>")]
    pub decision: Option<S<Decision>>,
    /// Claim: `ready` (the decision is not NO-GO) or `not ready`.
    #[schemars(with = "Option<Readiness>")]
    pub status: Option<S<Readiness>>,
    /// Claim: the overall risk level (the highest level among risks not mitigated;
    /// `low` with none).
    #[schemars(with = "Option<Level>")]
    pub risk_level: Option<S<Level>>,
    /// Claim: share of checklist items done (listed and tallied), e.g. `40%`.
    #[schemars(with = "Option<Amount>", example = "40%")]
    pub readiness: Option<S<Amount>>,
}

/// Automated test suites and manual testing.
#[derive(Clone, Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Tests {
    /// Automated test suites.
    #[serde(default)]
    pub suites: Vec<Suite>,
    /// Manual test scenarios.
    pub manual: Option<Manual>,
    /// Claim: number of automated tests (all suites, skipped included).
    #[schemars(with = "Option<Amount>", example = "116")]
    pub total: Option<S<Amount>>,
    /// Claim: passed automated tests, as `116/116 (100%)`, `116/116` or `100%`.
    #[schemars(with = "Option<Ratio>", example = "116/116 (100%)")]
    pub pass_rate: Option<S<Ratio>>,
    /// Claim: number of suites.
    #[schemars(with = "Option<Amount>", example = "4")]
    pub suite_count: Option<S<Amount>>,
    /// Claim: total duration of the suites.
    #[schemars(with = "Option<Amount>", example = "3.88 s")]
    pub duration: Option<S<Amount>>,
}

/// One automated test suite: counts typed in, or read from JUnit XML reports.
#[derive(Clone, Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Suite {
    /// Name of the suite.
    #[schemars(with = "String", example = "Automated suite")]
    pub name: S<String>,
    /// The test runner.
    #[schemars(example = &"Vitest", example = "cargo-nextest", example = &"pytest")]
    pub framework: Option<String>,
    /// JUnit XML files or globs (`reports/**/*.xml`), relative to the folder of this
    /// YAML file and inside the data folder. With reports, the counts below are claims.
    #[serde(default)]
    #[schemars(with = "Vec<String>", example = ["reports/junit.xml", "reports/more/**/*.xml"])]
    pub reports: Vec<S<String>>,
    /// Passed tests (a claim about the reports when `reports` is given).
    #[schemars(with = "Option<u64>")]
    pub passed: Option<S<u64>>,
    /// Failed tests (a claim about the reports when `reports` is given).
    #[schemars(with = "Option<u64>")]
    pub failed: Option<S<u64>>,
    /// Tests that errored (a claim about the reports when `reports` is given).
    #[schemars(with = "Option<u64>")]
    pub errored: Option<S<u64>>,
    /// Skipped tests (a claim about the reports when `reports` is given).
    #[schemars(with = "Option<u64>")]
    pub skipped: Option<S<u64>>,
    /// Time the suite took (a claim about the reports when `reports` is given).
    #[schemars(with = "Option<Amount>", example = "3.88 s")]
    pub duration: Option<S<Amount>>,
    /// Claim: tests in this suite (passed, failed, errored and skipped).
    #[schemars(with = "Option<Amount>", example = "116")]
    pub total: Option<S<Amount>>,
    /// Names of failing tests (read from the reports when there are any).
    #[serde(default)]
    pub failures: Vec<String>,
}

/// Manual testing: scenarios and their results.
#[derive(Clone, Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Manual {
    /// The scenarios run by hand.
    pub scenarios: Vec<Scenario>,
    /// Fact when the scenarios give no durations; otherwise a claim about their sum.
    #[schemars(with = "Option<Amount>", example = "84 min")]
    pub duration: Option<S<Amount>>,
    /// Fact when the scenarios give no case counts; otherwise a claim about their sum.
    #[schemars(with = "Option<Amount>", example = "42")]
    pub cases: Option<S<Amount>>,
    /// Claim: scenarios passed, as `5/5 (100%)`.
    #[schemars(with = "Option<Ratio>", example = "5/5 (100%)")]
    pub pass_rate: Option<S<Ratio>>,
    /// When the scenarios ran, e.g. `Mon-Wed`.
    #[schemars(example = "Mon-Wed")]
    pub period: Option<String>,
}

/// One manual test scenario.
#[derive(Clone, Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    /// Name of the scenario.
    #[schemars(example = "E2E flow")]
    pub name: String,
    /// `pass`, `fail`, `blocked` or `not run`.
    pub result: ScenarioResult,
    /// Time the scenario took.
    #[schemars(with = "Option<Amount>", example = "20 min")]
    pub duration: Option<S<Amount>>,
    /// Number of test cases in the scenario.
    #[schemars(with = "Option<Amount>", example = "8")]
    pub cases: Option<S<Amount>>,
}

/// A measured value against its target.
#[derive(Clone, Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Metric {
    /// Name of the metric; a metric of the same name in the previous release of the
    /// product is compared with this one.
    #[schemars(with = "String", example = "Error rate")]
    pub name: S<String>,
    /// `< 1000 ms`, `<= 1%`, `>= 99%`, `50+`.
    #[schemars(with = "Target")]
    pub target: S<Target>,
    /// Measured value; absent until measured (then the metric counts as missed). With
    /// `from`, a claim about the file.
    #[schemars(with = "Option<Amount>", example = "8,900 ms", example = "0.2%")]
    pub actual: Option<S<Amount>>,
    /// Read the actual value from a JSON file (a benchmark tool's output).
    pub from: Option<FromJson>,
    /// A remark shown with the metric.
    pub note: Option<String>,
    /// Claim: "% better than target", e.g. `76%`.
    #[schemars(with = "Option<Amount>", example = "76%")]
    pub better: Option<S<Amount>>,
    /// Claim: whether the target is met.
    #[schemars(with = "Option<bool>")]
    pub met: Option<S<bool>>,
    /// Measured after the deployment: shown apart and not counted toward the decision
    /// (`max_missed_metrics`); measured before the deployment has happened, or missed
    /// under an outcome of success, it is a finding (GN0901, GN0903).
    #[serde(default)]
    pub after_deployment: bool,
}

/// A number in a JSON file, e.g. hyperfine's `--export-json` output.
#[derive(Clone, Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FromJson {
    /// Path relative to the folder of this YAML file, inside the data folder.
    #[schemars(with = "String", example = "reports/hyperfine.json")]
    pub file: S<String>,
    /// RFC 6901 JSON Pointer, e.g. `/results/0/mean`.
    #[schemars(with = "String", example = "/results/0/mean")]
    pub pointer: S<String>,
    /// Unit of the number in the file: `s`, `ms`, `us`/`µs`, `%`, `ratio` (0-1), or a
    /// counted noun; defaults to the target's unit.
    #[schemars(with = "Option<String>", example = &"s", example = &"ms", example = &"ratio")]
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

impl JsonSchema for Target {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Target".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "string",
            "description": "A target: a comparison (`<`, `<=`, `>`, `>=`, or `≤`, `≥`) with one quantity (a number with an optional unit: `ms`, `s`, `min`, `h`, `KB`, `MB`, `%`, or a counted noun), or an at-least quantity `50+` (meaning `>= 50`).",
            "examples": ["< 1000 ms", "<= 1%", ">= 99%", "50+"],
        })
    }
}

impl JsonSchema for Ratio {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Ratio".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "string",
            "description": "A fraction and/or a percentage: `done/total`, a percentage, or both with the other in parentheses (`116/116 (100%)`, `90% (16/18)`). Either part may be at least (`16+/18`, `90%+`). When both are written they must agree.",
            "examples": ["116/116 (100%)", "10/25", "90%"],
        })
    }
}

/// Required roles and their sign-offs.
#[derive(Clone, Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Approvals {
    /// Roles whose approval is required; defaults to every role with a sign-off.
    #[schemars(with = "Option<Vec<String>>", example = ["Technical Lead", "QA Lead"])]
    pub required: Option<Vec<S<String>>>,
    /// One sign-off per role.
    pub signoffs: Vec<Signoff>,
    /// Claim: every required role has approved.
    #[schemars(with = "Option<bool>")]
    pub all_approved: Option<S<bool>>,
    /// Claim: approved required roles, as `4/4`.
    #[schemars(with = "Option<Ratio>", example = "4/4")]
    pub approved: Option<S<Ratio>>,
}

/// One role's sign-off.
#[derive(Clone, Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Signoff {
    /// The role signing off.
    #[schemars(with = "String", example = "QA Lead")]
    pub role: S<String>,
    /// The approver's name; an approval without it counts as pending.
    #[schemars(with = "Option<String>", example = "Jordan Patel")]
    pub name: Option<S<String>>,
    /// `approved`, `conditional`, `pending` or `rejected`.
    #[schemars(with = "SignStatus")]
    pub status: S<SignStatus>,
    /// When the sign-off was given; an approval without it counts as pending, and it
    /// must not be after the deployment.
    #[schemars(with = "Option<When>", example = "2025-12-22")]
    pub date: Option<S<When>>,
    /// What the approver signs for.
    #[schemars(example = "Test results")]
    pub scope: Option<String>,
    /// Conditions attached to the sign-off.
    #[serde(default)]
    pub conditions: Vec<String>,
    /// A remark shown with the sign-off.
    pub note: Option<String>,
    /// The data fingerprint of the facts approved, as the sign-off sheet and `gonogo
    /// check` print it (`gonogo approve` records it). When the facts have changed since,
    /// the sign-off is stale and no longer counts.
    #[schemars(with = "Option<String>", example = "3f2a9c1b0e4d")]
    pub fingerprint: Option<S<String>>,
}

/// The risk register.
#[derive(Clone, Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Risks {
    /// The risks.
    pub items: Vec<Risk>,
    /// Claim: the overall risk level (the highest level among risks not mitigated;
    /// `low` with none).
    #[schemars(with = "Option<Level>")]
    pub level: Option<S<Level>>,
    /// Claims: number of risks per level.
    pub counts: Option<LevelCounts>,
}

/// Claims: the number of listed risks at each level, whatever their status.
#[derive(Clone, Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct LevelCounts {
    /// Claim: number of critical risks.
    #[schemars(with = "Option<Amount>", example = "0")]
    pub critical: Option<S<Amount>>,
    /// Claim: number of high risks.
    #[schemars(with = "Option<Amount>", example = "1")]
    pub high: Option<S<Amount>>,
    /// Claim: number of medium risks.
    #[schemars(with = "Option<Amount>", example = "2")]
    pub medium: Option<S<Amount>>,
    /// Claim: number of low risks.
    #[schemars(with = "Option<Amount>", example = "3")]
    pub low: Option<S<Amount>>,
}

/// One risk.
#[derive(Clone, Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Risk {
    /// A short identifier.
    #[schemars(example = &"R1")]
    pub id: Option<String>,
    /// What could go wrong.
    #[schemars(example = "Database load spikes")]
    pub title: String,
    /// `low`, `medium`, `high` or `critical`.
    pub level: Level,
    /// `open`, `mitigated` or `accepted`.
    pub status: RiskStatus,
    /// What was done about it.
    #[schemars(example = "Connection pooling")]
    pub mitigation: Option<String>,
    /// Who owns the risk.
    pub owner: Option<String>,
}

/// A checklist, a checklist section, an item, a runbook phase or step, a rollback
/// step: one tree. A quantity (`duration`, `checks`, `lines`, `size`) on a node whose
/// children all carry it is a claim about their sum; on a leaf it is a fact.
#[derive(Clone, Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Node {
    /// What the node is.
    #[schemars(with = "String", example = "Deploy to staging")]
    pub title: S<String>,
    /// `critical`, `high` or `recommended`; applies to the items below this node.
    pub priority: Option<Priority>,
    /// Checkbox state; runbook steps start unticked.
    pub done: Option<bool>,
    /// Who does it.
    pub owner: Option<String>,
    /// A command to run.
    #[schemars(example = "npm run test:smoke")]
    pub command: Option<String>,
    /// What should be seen when it worked.
    pub expected: Option<String>,
    /// A remark shown with the node.
    pub note: Option<String>,
    /// A go/no-go checkpoint: stop and check before going on.
    #[serde(default)]
    pub checkpoint: bool,
    /// On a checklist (top level): its items are confirmed after the deployment
    /// ("Users happy", "Error rate stable for 24 hours"). They are shown apart, do not
    /// count toward readiness or the decision, and are judged once the deployment has
    /// happened: ticked before it, or open under an outcome of success, they are a
    /// finding (GN0901, GN0903).
    #[serde(default)]
    pub after_deployment: bool,
    /// Start of a phase: an offset (`T-60 min`) or a time (`05:30`).
    #[schemars(with = "Option<At>", example = &"05:30")]
    pub start: Option<Box<S<At>>>,
    /// End of a phase: an offset (`T+30 min`) or a time (`06:30`).
    #[schemars(with = "Option<At>", example = &"06:30")]
    pub end: Option<Box<S<At>>>,
    /// When a step happens.
    #[schemars(with = "Option<At>", example = "T+5 min")]
    pub at: Option<Box<S<At>>>,
    /// Runs alongside its siblings (may overlap them).
    #[serde(default)]
    pub parallel: bool,
    /// Time taken (or time limit, for rollback steps). On a phase with `start` and
    /// `end`, a claim about the time between them; on a node whose children all state
    /// it, a claim about their sum.
    #[schemars(with = "Option<Amount>", example = "15 min", example = "30-45 min")]
    pub duration: Option<Box<S<Amount>>>,
    /// Number of checks; on a node whose children all state it, a claim about their sum.
    #[schemars(with = "Option<Amount>", example = "4")]
    pub checks: Option<Box<S<Amount>>>,
    /// Number of lines (of code, of a document); on a node whose children all state
    /// it, a claim about their sum.
    #[schemars(with = "Option<Amount>", example = "2,018")]
    pub lines: Option<Box<S<Amount>>>,
    /// A size such as `6.4 KB`; on a node whose children all state it, a claim about
    /// their sum.
    #[schemars(with = "Option<Amount>", example = "6.4 KB")]
    pub size: Option<Box<S<Amount>>>,
    /// Item counts kept elsewhere, per priority, as `done/total`: facts.
    pub tally: Option<Box<Tally>>,
    /// Claim: number of items below this node (tallied items included).
    #[schemars(with = "Option<Amount>", example = "25")]
    pub total: Option<Box<S<Amount>>>,
    /// Claims: items done per priority, as `10/25 (40%)`.
    pub progress: Option<Box<Progress>>,
    /// The nodes below this one.
    #[serde(default)]
    pub items: Vec<Node>,
}

/// Items kept in another document, per priority, as `done/total`: facts.
#[derive(Clone, Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Tally {
    /// Critical items done, as `done/total`.
    #[schemars(with = "Option<Ratio>", example = "10/25")]
    pub critical: Option<S<Ratio>>,
    /// High-priority items done, as `done/total`.
    #[schemars(with = "Option<Ratio>", example = "0/18")]
    pub high: Option<S<Ratio>>,
    /// Recommended items done, as `done/total`.
    #[schemars(with = "Option<Ratio>", example = "0/15")]
    pub recommended: Option<S<Ratio>>,
    /// Items without a priority.
    #[schemars(with = "Option<Ratio>", example = "3/4")]
    pub other: Option<S<Ratio>>,
}

/// Claims: items done below a node, per priority.
#[derive(Clone, Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Progress {
    /// Claim: critical items done, as `10/25 (40%)`.
    #[schemars(with = "Option<Ratio>", example = "10/25 (40%)")]
    pub critical: Option<S<Ratio>>,
    /// Claim: high-priority items done.
    #[schemars(with = "Option<Ratio>", example = "0/18 (0%)")]
    pub high: Option<S<Ratio>>,
    /// Claim: recommended items done.
    #[schemars(with = "Option<Ratio>", example = "0/15")]
    pub recommended: Option<S<Ratio>>,
    /// Claim: all items done.
    #[schemars(with = "Option<Ratio>", example = "10/58 (17%)")]
    pub all: Option<S<Ratio>>,
}

/// Go/no-go thresholds: GO when every `go` criterion holds, else GO WITH CONDITIONS
/// when every `go_with_conditions` criterion holds, else NO-GO.
#[derive(Clone, Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Policy {
    /// Criteria for GO.
    pub go: Criteria,
    /// Criteria for GO WITH CONDITIONS, checked when GO fails; without them, a release
    /// that is not GO is NO-GO.
    pub go_with_conditions: Option<Criteria>,
    /// An approval counts only when it records the data fingerprint it approves
    /// (`fingerprint:` on the sign-off, as `gonogo approve` writes it).
    #[serde(default)]
    pub fingerprint_required: bool,
}

/// Criteria of one level of the policy; a criterion left out is not checked.
#[derive(Clone, Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Criteria {
    /// Minimum share of critical items done, e.g. `100%`; may state the count it
    /// implies, `100% (25/25)`, which is then checked.
    #[schemars(with = "Option<Ratio>", example = "100%", example = "100% (25/25)")]
    pub critical_done: Option<S<Ratio>>,
    /// Minimum share of high-priority items done, e.g. `90%`; may state the count it
    /// implies, `90% (17/18)`, which is then checked.
    #[schemars(with = "Option<Ratio>", example = "90%")]
    pub high_done: Option<S<Ratio>>,
    /// Minimum share of recommended items done; may state the count it implies, which
    /// is then checked.
    #[schemars(with = "Option<Ratio>", example = "50%")]
    pub recommended_done: Option<S<Ratio>>,
    /// Every required approval must be given (fails when no approval is listed at all).
    #[serde(default)]
    pub all_approvals: bool,
    /// Highest risk level that may still be open (not mitigated); `none` allows none.
    #[schemars(with = "Option<MaxRisk>")]
    pub max_open_risk: Option<S<MaxRisk>>,
    /// Most failing (failed or errored) automated tests allowed.
    #[schemars(example = 0)]
    pub max_failing_tests: Option<u64>,
    /// Fewest automated tests that must have run (passed, failed or errored; skipped
    /// ones are not evidence) for `max_failing_tests` to hold. Default 1: no test
    /// results, no GO. `0` drops the requirement.
    #[schemars(example = 1, example = 100)]
    pub min_tests: Option<u64>,
    /// Most manual scenarios allowed not to pass (failed, blocked or not run).
    /// Default: `max_failing_tests`, when that is set.
    #[schemars(example = 0)]
    pub max_failing_scenarios: Option<u64>,
    /// Whether a `conditional` sign-off counts as an approval for `all_approvals`.
    /// Default: no for `go` (a GO is not conditional), yes for `go_with_conditions`.
    pub accept_conditional: Option<bool>,
    /// Most metrics allowed to miss their target (a metric without an actual value
    /// counts as missed).
    #[schemars(example = 0)]
    pub max_missed_metrics: Option<u64>,
    /// Conditions must be written down (`release.conditions` lists at least one).
    #[serde(default)]
    pub conditions_required: bool,
}

/// The deployment runbook.
#[derive(Clone, Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Runbook {
    /// The deployment window: phases must sit inside it.
    pub window: Option<Window>,
    /// Claim: total duration of the phases (a range adds as a range).
    #[schemars(with = "Option<Amount>", example = "2 h")]
    pub duration: Option<S<Amount>>,
    /// The phases, one after another unless marked `parallel`; each a node with
    /// `start`/`end` and steps in `items`.
    pub phases: Vec<Node>,
}

/// The deployment window.
#[derive(Clone, Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Window {
    /// Start of the window: a time (`05:30`) or an offset from the deployment.
    #[schemars(with = "At", example = &"05:30")]
    pub start: S<At>,
    /// End of the window: a time (`07:30`) or an offset from the deployment.
    #[schemars(with = "At", example = &"07:30")]
    pub end: S<At>,
}

/// When and how to roll back.
#[derive(Clone, Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Rollback {
    /// Longest time the rollback may take.
    #[schemars(with = "Option<Amount>", example = "10 min")]
    pub time_limit: Option<S<Amount>>,
    /// What starts a rollback.
    #[serde(default)]
    pub triggers: Vec<Trigger>,
    /// The rollback steps (nodes).
    #[serde(default)]
    pub steps: Vec<Node>,
}

/// A condition that starts a rollback.
#[derive(Clone, Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Trigger {
    /// What is watched.
    #[schemars(example = "Error rate")]
    pub condition: String,
    /// When it fires, as free text.
    #[schemars(example = "> 5% for 5 min")]
    pub threshold: Option<String>,
    /// `automatic` or `manual`.
    pub kind: TriggerKind,
    /// What to do then.
    #[schemars(example = "Roll back")]
    pub action: Option<String>,
}

/// Who to reach, and where.
#[derive(Clone, Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Contacts {
    /// People on duty for the release.
    #[serde(default)]
    pub people: Vec<Person>,
    /// Who to escalate to, per area.
    #[serde(default)]
    pub escalation: Vec<Escalation>,
    /// Communication channels.
    #[serde(default)]
    pub channels: Vec<Channel>,
}

/// A person on duty for the release.
#[derive(Clone, Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Person {
    /// Their role.
    #[schemars(example = "On-call engineer")]
    pub role: String,
    /// Their name.
    pub name: Option<String>,
    /// How to reach them (handle, e-mail, phone).
    pub contact: Option<String>,
    /// What they do during the release.
    #[schemars(example = &"Standby")]
    pub duty: Option<String>,
}

/// An escalation path for one area.
#[derive(Clone, Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Escalation {
    /// The area.
    #[schemars(example = &"Database")]
    pub area: String,
    /// Who to contact first.
    #[schemars(example = "@data-engineer (Dara)")]
    pub primary: String,
    /// Who to contact when the primary does not answer.
    pub backup: Option<String>,
}

/// A communication channel.
#[derive(Clone, Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Channel {
    /// What the channel is for.
    #[schemars(example = &"Incident")]
    pub name: String,
    /// Where it is.
    #[schemars(example = "#incident")]
    pub address: String,
}

/// What to watch after the deployment.
#[derive(Clone, Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Monitoring {
    /// Checks made at a regular interval.
    #[serde(default)]
    pub cadence: Vec<Cadence>,
    /// Alert thresholds.
    #[serde(default)]
    pub thresholds: Vec<Threshold>,
    /// Free-form plan lines, e.g. "Daily reviews for the next 7 days".
    #[serde(default)]
    pub plan: Vec<String>,
}

/// A check made at a regular interval.
#[derive(Clone, Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Cadence {
    /// How often.
    #[schemars(with = "Amount", example = "5 min")]
    pub every: S<Amount>,
    /// What is checked.
    #[schemars(example = "Error rate")]
    pub check: String,
    /// For how long, as free text.
    #[schemars(example = "first hour")]
    pub during: Option<String>,
}

/// An alert threshold.
#[derive(Clone, Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Threshold {
    /// The metric watched.
    #[schemars(example = "Error rate")]
    pub metric: String,
    /// Its normal level, as free text.
    #[schemars(example = "< 1%")]
    pub target: Option<String>,
    /// When to alert, as free text.
    #[schemars(example = "> 2%")]
    pub alert: String,
    /// What to do then.
    #[schemars(example = "Alert immediately")]
    pub action: Option<String>,
}

/// A message template, filled in with facts.
#[derive(Clone, Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Template {
    /// `announce`, `in progress`, `done`, `rollback`, or any name.
    #[schemars(example = &"announce")]
    pub kind: String,
    /// Where the message goes.
    #[schemars(example = "#production-deployment")]
    pub channel: Option<String>,
    /// Subject line (with `{{ expressions }}` filled in).
    pub subject: Option<String>,
    /// Text with `{{ expressions }}` filled in from the facts.
    #[schemars(
        with = "String",
        example = "{{ product }} deploys on {{ deploy.long_date }} at {{ deploy.local }}."
    )]
    pub body: S<String>,
}

/// A narrative section.
#[derive(Clone, Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Narrative {
    /// Heading of the section.
    #[schemars(example = "Executive summary")]
    pub title: String,
    /// Markdown; may insert facts with `{{ expressions }}`.
    #[schemars(
        with = "String",
        example = "{{ tests.totals.passed }} automated tests pass."
    )]
    pub body: S<String>,
}

/// The record of the deployment's result: a blank form until the results exist.
#[derive(Clone, Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Outcome {
    /// When the results were recorded: after the deployment and not after the build.
    #[schemars(with = "Option<When>", example = "2025-12-25 09:00")]
    pub recorded: Option<S<When>>,
    /// Who recorded them.
    pub recorded_by: Option<String>,
    /// The result, as free text (needs `recorded`).
    #[schemars(with = "Option<String>", example = &"success")]
    pub status: Option<S<String>>,
    /// Measured values (need `recorded`).
    #[serde(default)]
    pub values: Vec<OutcomeValue>,
    /// Remarks on the outcome.
    pub notes: Option<String>,
}

/// A measured value recorded after the deployment.
#[derive(Clone, Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct OutcomeValue {
    /// What was measured.
    #[schemars(with = "String", example = "Error rate")]
    pub name: S<String>,
    /// The value, as free text.
    #[schemars(with = "String", example = "0.1%")]
    pub value: S<String>,
}
#[cfg(test)]
mod size {
    /// A release holds hundreds of nodes (checklist items, runbook steps) and a site
    /// thousands of releases: the rare, large fields of a node are boxed so a node
    /// stays small (it was 3,008 bytes, and 10,000 releases took 3.7 GB to parse).
    #[test]
    fn a_node_stays_small() {
        let n = std::mem::size_of::<super::Node>();
        assert!(n <= 320, "Node is {n} bytes");
    }
}
