//! `gonogo check`: load, check and fill the narrative; write nothing.

use crate::cli::CommonArgs;

pub fn run(a: &CommonArgs) -> anyhow::Result<bool> {
    let cache = super::cache_for(a, "check", None, None);
    if let Some(hit) = super::lookup(cache.as_ref(), None) {
        super::print_hit(a, &hit);
        summary(a, &hit.fingerprints, hit.ok);
        return Ok(hit.ok);
    }
    let (p, ok) = super::analyze(a, None, None, &Default::default())?;
    if let Some(c) = &cache {
        c.store(&p, &p.diagnostics, ok, None);
    }
    summary(a, &p.fingerprints(), ok);
    Ok(ok)
}

fn summary(a: &CommonArgs, fingerprints: &[(String, String)], ok: bool) {
    if !a.output.quiet {
        // The fingerprint printed on every page of a release's sign-off sheet: a signed
        // paper can be matched to the data it was built from.
        for (id, fingerprint) in fingerprints {
            eprintln!("{id}  data {fingerprint}");
        }
        if ok {
            let n = fingerprints.len();
            eprintln!(
                "checked {n} release{}: consistent",
                if n == 1 { "" } else { "s" }
            );
        }
    }
}
