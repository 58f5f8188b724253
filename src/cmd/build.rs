//! `gonogo build`: load, check, render, write. When a check fails nothing is written.

use crate::cli::BuildArgs;

pub fn run(a: &BuildArgs) -> anyhow::Result<bool> {
    // From the start, SIGINT and SIGTERM end the build through gonogo's handler
    // (exit 130 / 143, saying what was left), whenever they come.
    crate::write::handle_interrupts();
    // Before anything is read or touched: the output folder must not hold (or be
    // inside) what the build reads.
    let cache_dir = (!a.common.no_cache).then(crate::cache::dir).flatten();
    let mut inputs: Vec<(&str, &std::path::Path)> = vec![("data folder", &a.common.data)];
    if let Some(t) = &a.templates {
        inputs.push(("templates folder", t));
    }
    if let Some(c) = &cache_dir {
        inputs.push(("cache folder", c));
    }
    crate::write::refuse_overlap(&a.out, &inputs)?;
    crate::write::remove_abandoned_beside(&a.out)?;
    let cache = super::cache_for(&a.common, "build", a.templates.as_deref(), Some(&a.out));
    if let Some(hit) = super::lookup(cache.as_ref(), Some(&a.out)) {
        // Inputs and output are as the last build left them: nothing to do, nothing
        // touched.
        super::print_hit(&a.common, &hit);
        if hit.ok && !a.common.output.quiet {
            let n = hit.fingerprints.len();
            eprintln!(
                "built {n} release{} into {} ({} files, all unchanged)",
                if n == 1 { "" } else { "s" },
                a.out.display(),
                hit.output_files,
            );
        }
        if !hit.ok {
            eprintln!("nothing written: {} left as it was", a.out.display());
        }
        return Ok(hit.ok);
    }
    // The output folder is checked first: a build that cannot be written fails fast.
    let staging = crate::write::Staging::new(&a.out)?;
    let sink = |rel: std::path::PathBuf, bytes: Vec<u8>| staging.put(&rel, &bytes);
    // A release whose facts are those of the previous build (same gonogo, templates
    // and site file) keeps that build's pages: linked, not made again.
    let previous = cache.as_ref().and_then(|c| c.previous_pages(&a.out));
    let reuse = |id: &str, facts: &[u8]| {
        let files = previous.as_ref().and_then(|p| p.get(id));
        files.is_some_and(|files| {
            staging.keep(files, &std::path::Path::new(id).join("facts.json"), facts)
        })
    };
    let (p, ok) = super::analyze(
        &a.common,
        a.templates.as_deref(),
        Some(&sink),
        &super::Previous {
            pages: previous.is_some().then_some(&reuse),
            parsed: None,
        },
    )?;
    if !ok {
        // A failed build is recorded too: the next run over the same data, with the
        // output as it is, is answered with the same findings.
        if let Some(c) = &cache {
            c.store(&p, &p.diagnostics, ok, Some(&a.out));
        }
        eprintln!("nothing written: {} left as it was", a.out.display());
        return Ok(false);
    }
    let t = super::Timings::start();
    let written = staging.commit()?;
    t.lap("write (swap in)");
    if let Some(c) = &cache {
        c.store(&p, &p.diagnostics, ok, Some(&a.out));
        t.lap("record (cache)");
    }
    if !a.common.output.quiet {
        let n = p.rendered_releases().count();
        // Files whose bytes did not change were linked from the previous site: the
        // count tells a deploy step what to expect.
        let files = written.files;
        let unchanged = match written.unchanged {
            0 => String::new(),
            k if k == files => ", all unchanged".to_string(),
            k => format!(", {k} unchanged"),
        };
        let kept = match written.kept.len() {
            0 => String::new(),
            n => format!(
                "; kept {}{}, not gonogo's",
                written
                    .kept
                    .iter()
                    .take(5)
                    .cloned()
                    .collect::<Vec<_>>()
                    .join(", "),
                if n > 5 {
                    format!(" and {} more", n - 5)
                } else {
                    String::new()
                }
            ),
        };
        eprintln!(
            "built {n} release{} into {} ({files} files{unchanged}{kept})",
            if n == 1 { "" } else { "s" },
            a.out.display(),
        );
    }
    Ok(true)
}
