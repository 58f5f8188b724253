//! `gonogo check`: load, check and render in memory; write nothing.

use crate::cli::CommonArgs;

pub fn run(a: &CommonArgs) -> anyhow::Result<bool> {
    let (p, site) = super::analyze(a, None)?;
    if !a.quiet {
        // The fingerprint printed on every page of a release's sign-off sheet: a signed
        // paper can be matched to the data it was built from.
        for r in p
            .releases
            .iter()
            .filter(|r| p.rendered.as_ref().is_none_or(|ids| ids.contains(&r.id)))
        {
            eprintln!("{}  data {}", r.id, r.fingerprint);
        }
        if site.is_some() {
            let n = p
                .rendered
                .as_ref()
                .map(Vec::len)
                .unwrap_or(p.releases.len());
            eprintln!(
                "checked {n} release{}: consistent",
                if n == 1 { "" } else { "s" }
            );
        }
    }
    Ok(site.is_some())
}
