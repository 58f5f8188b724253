//! Source data that lives in files CI already writes: JUnit XML test reports and
//! JSON benchmark outputs. Runs after loading, before the checks; what it reads
//! becomes the facts of the release, and numbers typed beside it become claims.

pub mod json;
pub mod junit;
mod xmlstream;

use crate::amount::Amount;
use crate::diag::{Diagnostic, Loc};
use crate::load::{Project, Release};
use crate::model::S;
use serde::Serialize;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// A suite's results: from its reports when it names any, else as typed.
#[derive(Clone, Debug, Default, Serialize)]
pub struct SuiteResult {
    pub passed: u64,
    pub failed: u64,
    pub errored: u64,
    pub skipped: u64,
    #[serde(skip)]
    pub duration: Option<Amount>,
    pub failures: Vec<String>,
    /// The report files read, relative to the data folder.
    pub reports: Vec<String>,
    /// The reports' counts overflowed when added.
    #[serde(skip)]
    pub saturated: bool,
    /// A report of the suite could not be read: its counts are unknown, not zero.
    #[serde(skip)]
    pub unread: bool,
}

/// Said once, on the finding about a report that cannot be read.
const UNREAD_NOTE: &str =
    "the suite's results are unknown: the checks of the test counts and the decision are not run";

impl SuiteResult {
    pub fn total(&self) -> u64 {
        self.passed
            .saturating_add(self.failed)
            .saturating_add(self.errored)
            .saturating_add(self.skipped)
    }
}

/// Reads every report and JSON file the releases name.
pub fn run(p: &mut Project) {
    let root = p.root.clone();
    let site_required = p
        .site
        .as_ref()
        .and_then(|s| s.v.policy.as_ref())
        .is_some_and(|p| p.fingerprint_required);
    let mut found = vec![];
    for i in 0..p.releases.len() {
        let mut inputs = vec![];
        let (suites, metrics) = {
            let r = &p.releases[i];
            (
                suites_of(p, r, &root, &mut found, &mut inputs),
                metrics_of(p, r, &root, &mut found, &mut inputs),
            )
        };
        let r = &mut p.releases[i];
        if suites.iter().any(|s| s.unread) && !r.unread.iter().any(|s| s == "tests") {
            r.unread.push("tests".into());
        }
        r.suite_results = suites;
        r.metric_actuals = metrics;
        r.inputs.extend(inputs);
        r.fingerprint = fingerprint(root.path(), &r.inputs);
        r.fingerprint_required = match &r.policy {
            Some(own) => own.v.fingerprint_required,
            None => site_required,
        };
    }
    p.diagnostics.extend(found);
}

fn base_dir(p: &Project, file: usize) -> PathBuf {
    p.sources[file]
        .abs
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default()
}

fn suites_of(
    p: &Project,
    r: &Release,
    root: &crate::inside::Root,
    out: &mut Vec<Diagnostic>,
    inputs: &mut Vec<PathBuf>,
) -> Vec<SuiteResult> {
    let Some(t) = &r.tests else { return vec![] };
    let base = base_dir(p, t.file);
    let typed = |v: &Option<S<u64>>| v.as_ref().map(|x| x.value).unwrap_or(0);
    // Each report counts once: twice in one suite (two patterns match it) it is read
    // once; in two suites it is a finding.
    let mut counted: HashMap<PathBuf, String> = HashMap::new();
    let results: Vec<SuiteResult> = t
        .v
        .suites
        .iter()
        .map(|s| {
            if s.reports.is_empty() {
                if s.passed.is_none() {
                    out.push(
                        Diagnostic::error("GN0001", format!("suite `{}` needs `passed` (and failed, skipped …) or `reports`", s.name.value))
                            .at(Loc::of(t.file, &s.name)),
                    );
                }
                return SuiteResult {
                    passed: typed(&s.passed),
                    failed: typed(&s.failed),
                    errored: typed(&s.errored),
                    skipped: typed(&s.skipped),
                    duration: s.duration.as_ref().map(|d| d.value.clone()),
                    failures: s.failures.clone(),
                    reports: vec![],
                    saturated: false,
                    unread: false,
                };
            }
            let mut res = SuiteResult::default();
            let mut res_saturated = false;
            let mut secs = 0.0;
            let mut any_time = false;
            for pattern in &s.reports {
                let files = match resolve(root, &base, &pattern.value) {
                    Ok(f) => f,
                    Err(e) => {
                        out.push(
                            Diagnostic::error("GN1101", e)
                                .at(Loc::of(t.file, pattern))
                                .note(UNREAD_NOTE),
                        );
                        res.unread = true;
                        continue;
                    }
                };
                for f in files {
                    let shown = f.strip_prefix(root.path()).unwrap_or(&f).display().to_string();
                    match counted.get(&f) {
                        Some(suite) if *suite == s.name.value => continue,
                        Some(suite) => {
                            out.push(
                                Diagnostic::error(
                                    "GN1101",
                                    format!("{shown} is already counted in suite `{suite}`"),
                                )
                                .at(Loc::of(t.file, pattern))
                                .note("a report counts once; name it in one suite"),
                            );
                            continue;
                        }
                        None => {
                            counted.insert(f.clone(), s.name.value.clone());
                        }
                    }
                    match root.open(&f, junit::MAX_BYTES).and_then(junit::read_file) {
                        Ok(rep) => {
                            let mut add = |a: &mut u64, b: u64| match a.checked_add(b) {
                                Some(v) => *a = v,
                                None => {
                                    *a = u64::MAX;
                                    res_saturated = true;
                                }
                            };
                            add(&mut res.passed, rep.passed);
                            add(&mut res.failed, rep.failed);
                            add(&mut res.errored, rep.errored);
                            add(&mut res.skipped, rep.skipped);
                            if let Some(t) = rep.time {
                                secs += t;
                                any_time = true;
                            }
                            res.failures.extend(rep.failures);
                            if !rep.flaky.is_empty() {
                                let n = rep.flaky.len();
                                let names: Vec<&str> =
                                    rep.flaky.iter().take(5).map(String::as_str).collect();
                                out.push(
                                    Diagnostic::warning(
                                        "GN1104",
                                        format!(
                                            "{shown}: {n} test{} passed only when run again: {}{}",
                                            if n == 1 { "" } else { "s" },
                                            names.join(", "),
                                            if n > 5 { ", …" } else { "" }
                                        ),
                                    )
                                    .at(Loc::of(t.file, pattern))
                                    .note("counted as passed (the last attempt passed); a test that fails now and then is not evidence that it works"),
                                );
                            }
                            for w in rep.inconsistencies {
                                out.push(
                                    Diagnostic::warning("GN1102", format!("{shown}: {w}"))
                                        .at(Loc::of(t.file, pattern))
                                        .note("counted the <testcase> elements; the attribute is ignored"),
                                );
                            }
                        }
                        Err(e) => {
                            res.unread = true;
                            out.push(
                                Diagnostic::error("GN1101", format!("{shown}: {e}"))
                                    .at(Loc::of(t.file, pattern))
                                    .note(UNREAD_NOTE),
                            );
                        }
                    }
                    res.reports.push(shown);
                    inputs.push(f.clone());
                }
            }
            res.saturated = res_saturated;
            res.duration = any_time.then(|| {
                let mut a = Amount::exact(secs, crate::amount::Dim::Time);
                a.unit = "s".into();
                a.factor = 1.0;
                a.step = 0.01;
                a
            });
            res
        })
        .collect();
    // Counts gonogo cannot add exactly are an error, never a wrong sum.
    let sum = |f: fn(&SuiteResult) -> u64| results.iter().map(|x| u128::from(f(x))).sum::<u128>();
    let all = sum(|x| x.passed) + sum(|x| x.failed) + sum(|x| x.errored) + sum(|x| x.skipped);
    if all > MAX_EXACT || results.iter().any(|x| x.saturated) {
        out.push(
            Diagnostic::error(
                "GN0001",
                format!(
                    "the test counts add up to {all}, more than gonogo adds exactly ({MAX_EXACT})"
                ),
            )
            .at(Loc::of(t.file, &t.v.suites[0].name))
            .note("a count this large is a mistake in the data or the report"),
        );
    }
    results
}

/// The largest count gonogo adds and divides exactly (2^53, what a double holds).
const MAX_EXACT: u128 = 1 << 53;

fn metrics_of(
    p: &Project,
    r: &Release,
    root: &crate::inside::Root,
    out: &mut Vec<Diagnostic>,
    inputs: &mut Vec<PathBuf>,
) -> Vec<Option<Amount>> {
    let Some(ms) = &r.metrics else { return vec![] };
    let base = base_dir(p, ms.file);
    ms.v.iter()
        .map(|m| {
            let Some(from) = &m.from else {
                return m.actual.as_ref().map(|a| a.value.clone());
            };
            let files = match resolve(root, &base, &from.file.value) {
                Ok(f) => f,
                Err(e) => {
                    out.push(Diagnostic::error("GN1101", e).at(Loc::of(ms.file, &from.file)));
                    return None;
                }
            };
            let [file] = files.as_slice() else {
                out.push(
                    Diagnostic::error(
                        "GN1101",
                        format!(
                            "`{}` must name exactly one file, it matches {}",
                            from.file.value,
                            files.len()
                        ),
                    )
                    .at(Loc::of(ms.file, &from.file)),
                );
                return None;
            };
            inputs.push(file.clone());
            let number = root
                .read_up_to(file, json::MAX_BYTES)
                .and_then(|bytes| json::read_number(&bytes, &from.pointer.value));
            match number {
                Ok(v) => {
                    let unit = from.unit.as_ref().map(|u| u.value.as_str());
                    match json::to_amount(v, unit, &m.target.value.value) {
                        Ok(a) => Some(a),
                        Err(e) => {
                            let at = from
                                .unit
                                .as_ref()
                                .map(|u| Loc::of(ms.file, u))
                                .unwrap_or(Loc::of(ms.file, &from.pointer));
                            out.push(Diagnostic::error("GN1103", e).at(at));
                            None
                        }
                    }
                }
                Err(e) => {
                    let shown = file
                        .strip_prefix(root.path())
                        .unwrap_or(file)
                        .display()
                        .to_string();
                    out.push(
                        Diagnostic::error("GN1103", format!("{shown}: {e}"))
                            .at(Loc::of(ms.file, &from.pointer)),
                    );
                    None
                }
            }
        })
        .collect()
}

/// The version of a release's facts that an approver signs: SHA-256 over the files it
/// was built from (each as its path relative to the data folder and its bytes, in path
/// order), as the first 12 hex digits. Printed on every page of the sign-off sheet, and
/// recorded by a sign-off (`fingerprint:`) so that a change of the facts after it makes
/// it stale.
///
/// What a sign-off records must not change what was signed, and what happens after the
/// deployment must not un-sign it: the top-level `approvals` and `outcome` sections of
/// the YAML files are left out of the bytes hashed ([`without_sections`]). The site file
/// (`gonogo.yaml`) is not hashed: a change of site-wide settings re-decides every
/// release but does not un-sign them.
pub fn fingerprint(root: &Path, files: &[PathBuf]) -> String {
    let mut entries: Vec<(String, &PathBuf)> = files
        .iter()
        .map(|f| {
            let real = std::fs::canonicalize(f).unwrap_or_else(|_| f.clone());
            let rel = real
                .strip_prefix(root)
                .unwrap_or(&real)
                .to_string_lossy()
                .replace('\\', "/");
            (rel, f)
        })
        .collect();
    entries.sort();
    entries.dedup_by(|a, b| a.0 == b.0);
    digest(entries.into_iter().filter_map(|(rel, f)| {
        // Streamed: reports can be large.
        let file = crate::inside::open_if_regular(f);
        Some((rel, Box::new(file?) as Box<dyn std::io::Read>))
    }))
}

/// Whether a file of a release is hashed by [`fingerprint`], and whether as YAML.
pub fn hashed(rel: &str) -> Option<bool> {
    (rel != "gonogo.yaml").then(|| rel.ends_with(".yaml") || rel.ends_with(".yml"))
}

/// The fingerprint of `files` (path relative to the data folder, content), given in
/// path order: [`fingerprint`] reads them from the disk, and the search for the
/// commit a stale approval was given at reads them from git.
pub fn digest(files: impl Iterator<Item = (String, Box<dyn std::io::Read>)>) -> String {
    use sha2::{Digest, Sha256};
    use std::io::Read;
    let mut h = Sha256::new();
    for (rel, mut content) in files {
        let Some(yaml) = hashed(&rel) else { continue };
        h.update(rel.as_bytes());
        h.update([0]);
        if yaml {
            let mut text = String::new();
            if content.read_to_string(&mut text).is_ok() {
                h.update(without_sections(&text, &["approvals", "outcome"]).as_bytes());
            }
        } else {
            let mut buf = vec![0u8; 64 * 1024];
            while let Ok(n) = content.read(&mut buf) {
                if n == 0 {
                    break;
                }
                h.update(&buf[..n]);
            }
        }
        h.update([0]);
    }
    let digest = h.finalize();
    digest.iter().take(6).map(|b| format!("{b:02x}")).collect()
}

/// `text` without the top-level mappings `keys` (each from its `key:` line to the next
/// line that starts in the first column, comments and blank lines excepted). It can only
/// leave out too little, never too much: a key written another way (quoted, in a flow
/// mapping) stays in, and then recording a sign-off changes the fingerprint, which
/// `gonogo approve` notices and refuses.
pub fn without_sections(text: &str, keys: &[&str]) -> String {
    let mut out = String::with_capacity(text.len());
    let mut skipping = false;
    for line in text.split_inclusive('\n') {
        let top = line.starts_with(|c: char| !c.is_whitespace() && c != '#');
        if top {
            skipping = keys.iter().any(|k| {
                line.strip_prefix(k)
                    .and_then(|rest| rest.strip_prefix(':'))
                    .is_some_and(|rest| {
                        rest.is_empty() || rest.starts_with([' ', '\t', '\r', '\n', '#'])
                    })
            });
        }
        if !skipping {
            out.push_str(line);
        }
    }
    out
}

/// The files a path or glob names, relative to `base`, confined to `root`: no
/// absolute paths, no `..`, no NUL, no symlink that leads out. A glob must match.
pub fn resolve(
    root: &crate::inside::Root,
    base: &Path,
    pattern: &str,
) -> Result<Vec<PathBuf>, String> {
    if pattern.contains('\0') {
        return Err("a file name cannot contain a NUL byte".into());
    }
    let rel = Path::new(pattern);
    if rel.is_absolute() || pattern.starts_with('\\') {
        return Err(format!(
            "`{pattern}` is absolute; name files relative to the YAML file's folder"
        ));
    }
    if rel
        .components()
        .any(|c| matches!(c, std::path::Component::ParentDir))
    {
        return Err(format!(
            "`{pattern}` uses `..`; files must stay inside the data folder"
        ));
    }
    let inside = |f: &Path| -> Result<PathBuf, String> {
        root.file(f).map_err(|why| format!("`{pattern}`: {why}"))
    };
    if !pattern.contains(['*', '?', '[', '{']) {
        return Ok(vec![inside(&base.join(rel))?]);
    }
    let glob = globset::GlobBuilder::new(pattern)
        .literal_separator(true)
        .build()
        .map_err(|e| format!("`{pattern}` is not a valid glob: {e}"))?
        .compile_matcher();
    let mut files = vec![];
    for entry in walkdir::WalkDir::new(base)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
    {
        let Ok(relative) = entry.path().strip_prefix(base) else {
            continue;
        };
        if (entry.file_type().is_file() || entry.file_type().is_symlink())
            && glob.is_match(relative)
        {
            files.push(inside(entry.path())?);
        }
    }
    if files.is_empty() {
        return Err(format!("`{pattern}` matches no file"));
    }
    Ok(files)
}
