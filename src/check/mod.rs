//! The rule engine: each family of rules compares claims with derived values and
//! records diagnostics. Findings are data; a rule never stops the run.

use crate::diag::{Diagnostic, Loc};
use crate::load::{Project, Release};
use crate::model::{Policy, S};

pub mod rules;

/// What every rule sees of one release.
pub struct Ctx<'a> {
    pub r: &'a Release,
    pub policy: &'a Policy,
    /// The release of the same product just before this one, if any.
    pub previous: Option<&'a Release>,
    /// The loaded files, to place findings inside narrative text.
    pub sources: &'a [crate::diag::SourceFile],
    /// The file the policy came from (the release's or gonogo.yaml); none for the
    /// built-in default.
    pub policy_file: Option<usize>,
    /// The time of the build (now, or SOURCE_DATE_EPOCH).
    pub build_time: chrono::DateTime<chrono::Utc>,
}

impl Ctx<'_> {
    pub fn loc<T>(&self, file: usize, s: &S<T>) -> Option<Loc> {
        // Built-in values (the default policy) have no location.
        (s.referenced.line() > 0).then(|| Loc::of(file, s))
    }
}

/// Builds a claim diagnostic located at the claim.
pub fn claim<T>(
    cx: &Ctx,
    code: &'static str,
    file: usize,
    at: &S<T>,
    message: impl Into<String>,
) -> Diagnostic {
    let mut d = Diagnostic::error(code, message);
    d.loc = cx.loc(file, at);
    d
}

/// The rule families, in the order their diagnostics are reported.
/// A family of rules: reads one release, appends what it finds.
pub type Family = fn(&Ctx, &mut Vec<Diagnostic>);

pub const FAMILIES: &[(&str, Family)] = &[
    ("units", rules::units::check),
    ("sums", rules::sums::check),
    ("ratios", rules::ratios::check),
    ("metrics", rules::metrics::check),
    ("calendar", rules::calendar::check),
    ("durations", rules::durations::check),
    ("approvals", rules::approvals::check),
    ("risks", rules::risks::check),
    ("decision", rules::decision::check),
    ("records", rules::records::check),
    ("trends", rules::trends::check),
    ("narrative", rules::narrative::check),
];

pub fn build_time() -> chrono::DateTime<chrono::Utc> {
    std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|s| s.trim().parse::<i64>().ok())
        .and_then(|s| chrono::DateTime::from_timestamp(s, 0))
        .unwrap_or_else(chrono::Utc::now)
}

/// Runs every rule on every release, appending to the project's diagnostics.
pub fn run(p: &mut Project, build_time: chrono::DateTime<chrono::Utc>) {
    let fallback = crate::facts::default_policy();
    let site_policy = p.site.as_ref().and_then(|s| s.v.policy.as_ref());
    let site_file = p
        .site
        .as_ref()
        .filter(|s| s.v.policy.is_some())
        .map(|s| s.file);
    let mut found = vec![];
    let prev = crate::facts::previous_all(&p.releases);
    for (i, r) in p.releases.iter().enumerate() {
        let previous = prev[i].map(|j| &p.releases[j]);
        let policy = crate::facts::policy_of(r, site_policy, &fallback);
        let policy_file = r.policy.as_ref().map(|p| p.file).or(site_file);
        let cx = Ctx {
            r,
            policy,
            policy_file,
            previous,
            sources: &p.sources,
            build_time,
        };
        // A release with a section that could not be read (reported once, as GN0001)
        // gets no decision, trend or narrative findings: they would be about the
        // section's absence, not about the data.
        let partial = !r.unread.is_empty() || previous.is_some_and(|p| !p.unread.is_empty());
        for (name, family) in FAMILIES {
            if partial && matches!(*name, "decision" | "trends" | "narrative") {
                continue;
            }
            family(&cx, &mut found);
        }
    }
    // A site policy's counts are checked against each release that uses it.
    p.diagnostics.extend(found);
    dedup(&mut p.diagnostics);
}

/// A site policy shared by many releases would repeat the same finding: keep one.
fn dedup(d: &mut Vec<Diagnostic>) {
    let mut seen = std::collections::HashSet::new();
    d.retain(|x| seen.insert((x.code, x.loc, x.message.clone())));
}
