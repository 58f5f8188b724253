//! `gonogo build`: load, check, render, write. When a check fails nothing is written.

use crate::cli::BuildArgs;

pub fn run(a: &BuildArgs) -> anyhow::Result<bool> {
    // The output folder is checked first: a build that cannot be written fails fast.
    let staging = crate::write::Staging::new(&a.out)?;
    let sink = |rel: std::path::PathBuf, bytes: Vec<u8>| staging.put(&rel, &bytes);
    let (p, ok) = super::analyze(&a.common, a.templates.as_deref(), Some(&sink))?;
    if !ok {
        eprintln!("nothing written: {} left as it was", a.out.display());
        return Ok(false);
    }
    let files = staging.count() + 1;
    let t = super::Timings::start();
    staging.commit()?;
    t.lap("write (swap in)");
    if !a.common.output.quiet {
        let n = p.rendered_releases().count();
        eprintln!(
            "built {n} release{} into {} ({files} files)",
            if n == 1 { "" } else { "s" },
            a.out.display(),
        );
    }
    Ok(true)
}
