//! `gonogo build`: load, check, render, write. When a check fails nothing is written.

use crate::cli::BuildArgs;

pub fn run(a: &BuildArgs) -> anyhow::Result<bool> {
    let (p, site) = super::analyze(&a.common, a.templates.as_deref())?;
    let Some(site) = site else {
        eprintln!("nothing written: {} left as it was", a.out.display());
        return Ok(false);
    };
    let t = super::Timings::start();
    crate::write::write_site(&a.out, &site)?;
    t.lap("write");
    if !a.common.quiet {
        let n = p
            .rendered
            .as_ref()
            .map(Vec::len)
            .unwrap_or(p.releases.len());
        eprintln!(
            "built {n} release{} into {} ({} files)",
            if n == 1 { "" } else { "s" },
            a.out.display(),
            site.len() + 1
        );
    }
    Ok(true)
}
