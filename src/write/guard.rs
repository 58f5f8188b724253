//! What a build refuses before it touches anything: an output folder that holds (or
//! is inside) what the build reads, and an output folder that cannot be swapped.

use anyhow::{Result, bail};
use std::path::{Path, PathBuf};

/// `p` with symlinks resolved as far as it exists, the rest appended: nothing is
/// created (a refused build touches nothing, not even the output's parent folder).
fn real(p: &Path) -> PathBuf {
    let abs = std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf());
    let mut existing = abs.as_path();
    let mut rest = vec![];
    loop {
        if let Ok(r) = std::fs::canonicalize(existing) {
            return rest.iter().rev().fold(r, |acc, part| acc.join(part));
        }
        match (existing.parent(), existing.file_name()) {
            (Some(parent), Some(name)) => {
                rest.push(name.to_os_string());
                existing = parent;
            }
            _ => return abs,
        }
    }
}

/// Refuses an output folder that a build would replace while reading from it: the
/// data folder, the templates folder or the cache inside it (or it), the output
/// folder inside the templates folder, the cache or the data folder's `releases/`.
/// `inputs` are (what, path) pairs: `("data folder", data)`.
pub fn refuse_overlap(out: &Path, inputs: &[(&str, &Path)]) -> Result<()> {
    let target = real(out);
    for (what, path) in inputs {
        let input = real(path);
        if input == target || input.starts_with(&target) {
            bail!(
                "refusing to build into {}: the {what} {} is {} it, and a build replaces the output folder. Choose an --out outside the {what}",
                out.display(),
                path.display(),
                if input == target {
                    "the same folder as"
                } else {
                    "inside"
                },
            );
        }
        let contained = if *what == "data folder" {
            target.starts_with(input.join("releases"))
        } else {
            target.starts_with(&input)
        };
        if contained {
            bail!(
                "refusing to build into {}: it is inside the {what} {}, which the build reads. Choose an --out outside it",
                out.display(),
                path.display(),
            );
        }
    }
    Ok(())
}

/// A mount point cannot be swapped with a folder beside it (nor renamed at all).
pub fn refuse_mount_point(out: &Path, shown: &Path) -> Result<()> {
    use std::os::unix::fs::MetadataExt;
    let Some(parent) = out.parent() else {
        return Ok(());
    };
    let (Ok(o), Ok(p)) = (std::fs::metadata(out), std::fs::metadata(parent)) else {
        return Ok(());
    };
    if o.dev() != p.dev() {
        bail!(
            "cannot build into {}: it is a mount point (another file system than its parent folder). gonogo writes the new site beside the output folder and swaps the two in one step, so that readers see the old site or the new one, and a mount point cannot be swapped. Build into a folder inside it (--out {}/site) or mount its parent",
            shown.display(),
            shown.display(),
        );
    }
    Ok(())
}
