//! The only place that touches the output folder. The site is written to a staging
//! folder beside it and swapped in, so the output folder is always either the old
//! site or the new one. On Linux the swap is one atomic `renameat2(RENAME_EXCHANGE)`.

use anyhow::{Context, Result, bail};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The in-memory site: relative path -> bytes.
pub type Site = BTreeMap<PathBuf, Vec<u8>>;

/// A file in every site gonogo writes; an existing non-empty folder without it is
/// never replaced, so a mistyped `--out` cannot delete someone's work.
pub const MARKER: &str = ".gonogo-site";

/// The output folder as an absolute path with symlinks resolved, so the staging
/// folder is created beside the real folder (never inside it, as `--out .` would).
fn resolve(out: &Path) -> Result<PathBuf> {
    if out.exists() {
        return std::fs::canonicalize(out)
            .with_context(|| format!("cannot resolve {}", out.display()));
    }
    let name = out
        .file_name()
        .with_context(|| format!("{} is not a folder name", out.display()))?;
    let parent = match out.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    std::fs::create_dir_all(&parent)
        .with_context(|| format!("cannot create {}", parent.display()))?;
    let parent = std::fs::canonicalize(&parent)
        .with_context(|| format!("cannot resolve {}", parent.display()))?;
    Ok(parent.join(name))
}

/// Staging folders a killed build left beside the output (a build killed before
/// the swap leaves the site as it was, and this folder): removed once they are ten
/// minutes old, so a build running at the same moment keeps its own.
fn remove_stale_staging(parent: &Path) {
    let Ok(entries) = std::fs::read_dir(parent) else {
        return;
    };
    for e in entries.flatten() {
        let stale = e
            .file_name()
            .to_string_lossy()
            .starts_with(".gonogo-staging-")
            && e.metadata()
                .and_then(|m| m.modified())
                .ok()
                .and_then(|t| t.elapsed().ok())
                .is_some_and(|age| age > std::time::Duration::from_secs(600));
        if stale {
            let _ = std::fs::remove_dir_all(e.path());
        }
    }
}

/// A new site being written beside the output folder; [`Staging::commit`] swaps it
/// in, dropping it removes it (an error leaves nothing behind). Files can be put
/// from several threads.
pub struct Staging {
    out_arg: PathBuf,
    out: PathBuf,
    dir: tempfile::TempDir,
    files: std::sync::atomic::AtomicUsize,
    /// Folders already created, so each is made once.
    dirs: std::sync::Mutex<std::collections::HashSet<PathBuf>>,
    /// The site being replaced, if gonogo wrote it: a file whose bytes did not change
    /// is hard-linked from it instead of written, so it keeps its inode and mtime and
    /// a deploy step that syncs by mtime uploads only what changed.
    previous: Option<PathBuf>,
    /// Files linked from the previous site.
    kept: std::sync::atomic::AtomicUsize,
}

impl Staging {
    /// Checks that `out_arg` may be replaced and creates the staging folder.
    pub fn new(out_arg: &Path) -> Result<Staging> {
        let out = resolve(out_arg)?;
        let parent = out.parent().with_context(|| {
            format!(
                "{} has no parent folder to stage the site in",
                out.display()
            )
        })?;
        if out.exists() {
            if !out.is_dir() {
                bail!("{} exists and is not a folder", out_arg.display());
            }
            let empty = std::fs::read_dir(&out)
                .with_context(|| format!("cannot read {}", out_arg.display()))?
                .next()
                .is_none();
            if !empty && !out.join(MARKER).exists() {
                bail!(
                    "{} is not empty and was not written by gonogo (no {MARKER}); refusing to replace it",
                    out_arg.display()
                );
            }
        }
        let previous = out.join(MARKER).is_file().then(|| out.clone());
        remove_stale_staging(parent);
        let dir = tempfile::Builder::new()
            .prefix(".gonogo-staging-")
            .tempdir_in(parent)
            .with_context(|| format!("cannot create a staging folder in {}", parent.display()))?;
        Ok(Staging {
            out_arg: out_arg.to_path_buf(),
            out,
            dir,
            files: Default::default(),
            dirs: Default::default(),
            previous,
            kept: Default::default(),
        })
    }

    /// Writes one file of the new site; `rel` is relative to the site's root.
    pub fn put(&self, rel: &Path, bytes: &[u8]) -> Result<()> {
        let path = self.dir.path().join(rel);
        self.make_parent(&path)?;
        self.place(rel, &path, bytes)?;
        self.files
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        Ok(())
    }

    fn make_parent(&self, path: &Path) -> Result<()> {
        if let Some(dir) = path.parent()
            && !self.dirs.lock().expect("dirs lock").contains(dir)
        {
            std::fs::create_dir_all(dir)
                .with_context(|| format!("cannot create {}", dir.display()))?;
            self.dirs
                .lock()
                .expect("dirs lock")
                .insert(dir.to_path_buf());
        }
        Ok(())
    }

    /// Keeps `files` (relative paths: every file the previous build wrote under one
    /// release's folder, each still as it wrote them) by linking them from the previous
    /// site, when the previous site's `facts_file` holds exactly `facts`. Returns
    /// whether they were kept; when not, nothing was added to the staging folder.
    pub fn keep(&self, files: &[PathBuf], facts_file: &Path, facts: &[u8]) -> bool {
        let Some(prev) = &self.previous else {
            return false;
        };
        if !files.iter().any(|f| f == facts_file)
            || std::fs::read(prev.join(facts_file)).ok().as_deref() != Some(facts)
        {
            return false;
        }
        let mut made: Vec<PathBuf> = Vec::with_capacity(files.len());
        for rel in files {
            let path = self.dir.path().join(rel);
            if self.make_parent(&path).is_err()
                || std::fs::hard_link(prev.join(rel), &path).is_err()
            {
                for m in made {
                    let _ = std::fs::remove_file(m);
                }
                return false;
            }
            made.push(path);
        }
        use std::sync::atomic::Ordering::Relaxed;
        self.files.fetch_add(files.len(), Relaxed);
        self.kept.fetch_add(files.len(), Relaxed);
        true
    }

    /// Writes `bytes` at `path` in the staging folder, or links the previous site's
    /// `rel` there when it holds exactly these bytes.
    fn place(&self, rel: &Path, path: &Path, bytes: &[u8]) -> Result<()> {
        if let Some(prev) = &self.previous {
            let old = prev.join(rel);
            let same = std::fs::symlink_metadata(&old)
                .is_ok_and(|m| m.is_file() && m.len() == bytes.len() as u64)
                && std::fs::read(&old).is_ok_and(|b| b == bytes);
            if same && std::fs::hard_link(&old, path).is_ok() {
                self.kept.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                return Ok(());
            }
        }
        std::fs::write(path, bytes).with_context(|| format!("cannot write {}", path.display()))
    }

    /// Files put so far.
    pub fn count(&self) -> usize {
        self.files.load(std::sync::atomic::Ordering::Relaxed)
    }

    /// Swaps the new site in: the output folder is the old site until this returns,
    /// the new one after. Returns how many of its files were left as they were
    /// (linked from the previous site).
    pub fn commit(self) -> Result<usize> {
        self.place(
            Path::new(MARKER),
            &self.dir.path().join(MARKER),
            b"written by gonogo; this folder is replaced on every build\n",
        )
        .context("cannot write the site marker")?;
        let Staging {
            out_arg,
            out,
            dir,
            kept,
            ..
        } = self;
        let kept = kept.into_inner();
        let staging = dir;
        let out_arg = out_arg.as_path();
        let parent = out.parent().expect("resolved above");

        if !out.exists() {
            std::fs::rename(staging.path(), &out)
                .with_context(|| format!("cannot move the new site into {}", out_arg.display()))?;
            // The staging path no longer exists; nothing to clean up.
            let _ = staging.keep();
            return Ok(kept);
        }
        if exchange(staging.path(), &out).is_ok() {
            // The staging path now holds the previous site.
            if let Err(e) = staging.close() {
                eprintln!(
                    "warning: the new site is in place, but the previous one could not be removed: {e}"
                );
            }
            return Ok(kept);
        }
        // Without an atomic exchange: move the old site aside, the new one in.
        let old = tempfile::Builder::new()
            .prefix(".gonogo-old-")
            .tempdir_in(parent)
            .context("cannot reserve a name for the previous site")?;
        // `old` exists and is empty: on Linux a directory can be renamed over an empty one.
        std::fs::rename(&out, old.path()).with_context(|| {
            format!("cannot move the previous site {} aside", out_arg.display())
        })?;
        if let Err(e) = std::fs::rename(staging.path(), &out) {
            return match std::fs::rename(old.path(), &out) {
                Ok(()) => Err(e).with_context(|| {
                    format!("cannot move the new site into {}", out_arg.display())
                }),
                Err(restore) => {
                    let kept = old.keep();
                    Err(e).with_context(|| {
                        format!(
                            "cannot move the new site into {}, nor the previous one back ({restore}); the previous site is at {}",
                            out_arg.display(),
                            kept.display()
                        )
                    })
                }
            };
        }
        let _ = staging.keep();
        if let Err(e) = old.close() {
            eprintln!(
                "warning: the new site is in place, but the previous one could not be removed: {e}"
            );
        }
        Ok(kept)
    }
}

#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> std::io::Result<()> {
    use rustix::fs::{CWD, RenameFlags, renameat_with};
    renameat_with(CWD, a, CWD, b, RenameFlags::EXCHANGE).map_err(std::io::Error::from)
}

#[cfg(not(target_os = "linux"))]
fn exchange(_: &Path, _: &Path) -> std::io::Result<()> {
    Err(std::io::Error::from(std::io::ErrorKind::Unsupported))
}

/// Writes one file atomically: a temporary file beside it, renamed over it.
pub fn atomic_file(path: &Path, bytes: &[u8]) -> Result<()> {
    use std::io::Write;
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let mut tmp = tempfile::NamedTempFile::new_in(dir)
        .with_context(|| format!("cannot create a file in {}", dir.display()))?;
    tmp.write_all(bytes)
        .with_context(|| format!("cannot write {}", path.display()))?;
    tmp.persist(path)
        .with_context(|| format!("cannot write {}", path.display()))?;
    Ok(())
}
