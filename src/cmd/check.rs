//! `gonogo check`: load, check and fill the narrative; write nothing.

use crate::cli::CommonArgs;

pub fn run(a: &CommonArgs) -> anyhow::Result<bool> {
    let (p, ok) = super::analyze(a, None, None)?;
    if !a.output.quiet {
        // The fingerprint printed on every page of a release's sign-off sheet: a signed
        // paper can be matched to the data it was built from.
        for r in p.rendered_releases() {
            eprintln!("{}  data {}", r.id, r.fingerprint);
        }
        if ok {
            let n = p.rendered_releases().count();
            eprintln!(
                "checked {n} release{}: consistent",
                if n == 1 { "" } else { "s" }
            );
        }
    }
    Ok(ok)
}
