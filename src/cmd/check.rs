//! `gonogo check`: load, check and render in memory; write nothing.

use crate::cli::CommonArgs;

pub fn run(a: &CommonArgs) -> anyhow::Result<bool> {
    let (p, site) = super::analyze(a, None)?;
    if site.is_some() && !a.quiet {
        let n = p.releases.len();
        eprintln!(
            "checked {n} release{}: consistent",
            if n == 1 { "" } else { "s" }
        );
    }
    Ok(site.is_some())
}
