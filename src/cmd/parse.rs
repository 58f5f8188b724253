//! `gonogo parse` (hidden): the parse-only floor of a build, for benchmarks. Runs the
//! same loader as `build` and `check` (every file found, read and deserialized, the
//! sections of each release merged) and stops there: no ingest, checks or rendering.

use std::path::Path;

pub fn run(data: &Path) -> anyhow::Result<bool> {
    let p = crate::load::load(data)?;
    let errors = p
        .diagnostics
        .iter()
        .filter(|d| d.severity == crate::diag::Severity::Error)
        .count();
    println!(
        "parsed {} releases from {} files ({errors} errors)",
        p.releases.len(),
        p.sources.len()
    );
    Ok(errors == 0)
}
