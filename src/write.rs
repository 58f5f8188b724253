//! The only place that touches the output folder. The site is written to a staging
//! folder beside it and swapped in with renames, so the output folder is always
//! either the old site or the new one.

use anyhow::{Context, Result, bail};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The in-memory site: relative path -> bytes.
pub type Site = BTreeMap<PathBuf, Vec<u8>>;

/// A file in every site gonogo writes; an existing non-empty folder without it is
/// never replaced, so a mistyped `--out` cannot delete someone's work.
pub const MARKER: &str = ".gonogo-site";

pub fn write_site(out: &Path, site: &Site) -> Result<()> {
    let parent = match out.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    std::fs::create_dir_all(&parent)
        .with_context(|| format!("cannot create {}", parent.display()))?;
    if out.exists() {
        if !out.is_dir() {
            bail!("{} exists and is not a folder", out.display());
        }
        let empty = std::fs::read_dir(out)
            .with_context(|| format!("cannot read {}", out.display()))?
            .next()
            .is_none();
        if !empty && !out.join(MARKER).exists() {
            bail!(
                "{} is not empty and was not written by gonogo (no {MARKER}); refusing to replace it",
                out.display()
            );
        }
    }
    let staging = tempfile::Builder::new()
        .prefix(".gonogo-staging-")
        .tempdir_in(&parent)
        .with_context(|| format!("cannot create a staging folder in {}", parent.display()))?;
    for (rel, bytes) in site {
        let path = staging.path().join(rel);
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)
                .with_context(|| format!("cannot create {}", dir.display()))?;
        }
        std::fs::write(&path, bytes).with_context(|| format!("cannot write {}", path.display()))?;
    }
    std::fs::write(
        staging.path().join(MARKER),
        b"written by gonogo; this folder is replaced on every build\n",
    )
    .context("cannot write the site marker")?;
    let staged = staging.keep();
    if out.exists() {
        let old = tempfile::Builder::new()
            .prefix(".gonogo-old-")
            .tempdir_in(&parent)
            .context("cannot reserve a name for the previous site")?
            .keep();
        // `old` exists and is empty: a directory can be renamed over an empty one.
        std::fs::rename(out, &old)
            .with_context(|| format!("cannot move the previous site {} aside", out.display()))?;
        if let Err(e) = std::fs::rename(&staged, out) {
            let _ = std::fs::rename(&old, out);
            let _ = std::fs::remove_dir_all(&staged);
            return Err(e)
                .with_context(|| format!("cannot move the new site into {}", out.display()));
        }
        std::fs::remove_dir_all(&old)
            .with_context(|| format!("cannot remove the previous site at {}", old.display()))?;
    } else {
        std::fs::rename(&staged, out)
            .with_context(|| format!("cannot move the new site into {}", out.display()))?;
    }
    Ok(())
}
