//! The only place that touches the output folder. The site is written to a staging
//! folder beside it and swapped in, so the output folder is always either the old
//! site or the new one. On Linux the swap is one atomic `renameat2(RENAME_EXCHANGE)`.
//!
//! gonogo replaces only what it wrote, and proves it with the site's manifest
//! ([`manifest`]): a file the previous build listed, with its hash. Everything else in
//! the output folder (a `.git` folder, `CNAME`, `.nojekyll`, a file added by hand, a
//! page edited by hand) is the user's: it is kept in the new site (hard-linked into the
//! staging folder before the swap, so it is never missing from the output folder), or,
//! when the new site needs its place, the build refuses and names it.

mod guard;

pub mod manifest;
mod tidy;

pub use guard::refuse_overlap;
use manifest::{Manifest, Sha, sha, sha_file};

use anyhow::{Context, Result, bail};
use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering::Relaxed};

/// Installs the interrupt handler with no staging folder yet: an interrupt before the
/// build writes anything exits 130 / 143 and says so.
pub fn handle_interrupts() {
    tidy::on_interrupt_remove(None);
}

/// The in-memory site: relative path -> bytes.
pub type Site = BTreeMap<PathBuf, Vec<u8>>;

/// What a folder gonogo has not written may hold and still become the output folder
/// (a checked-out GitHub Pages branch): these are kept in the site it writes.
pub const PUBLISHING_FILES: &[&str] =
    &[".git", ".gitattributes", ".gitignore", ".nojekyll", "CNAME"];

/// The output folder as an absolute path with symlinks resolved, so the staging
/// folder is created beside the real folder (never inside it, as `--out .` would).
pub fn resolve(out: &Path) -> Result<PathBuf> {
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

/// Removes the staging folders that builds which are no longer running left beside
/// `out` (see [`tidy::remove_abandoned`]); a build does this first, even one that
/// then finds nothing to do.
pub fn remove_abandoned_beside(out: &Path) -> Result<()> {
    let out = resolve(out)?;
    if let Some(parent) = out.parent() {
        tidy::remove_abandoned(parent, &out);
    }
    Ok(())
}

/// The site being replaced, written by gonogo.
struct Previous {
    dir: PathBuf,
    manifest: Manifest,
    /// Its files already shown to hold their listed bytes (linked into the new site).
    verified: Mutex<HashSet<String>>,
}

/// What a commit did, for the summary line.
pub struct Written {
    /// Files of the new site that gonogo wrote (its manifest included).
    pub files: usize,
    /// Of those, files left as they were (linked from the previous site).
    pub unchanged: usize,
    /// Entries of the output folder gonogo did not write, kept in the new site.
    pub kept: Vec<String>,
}

/// A new site being written beside the output folder; [`Staging::commit`] swaps it
/// in, dropping it removes it (an error leaves nothing behind). Files can be put
/// from several threads.
pub struct Staging {
    out_arg: PathBuf,
    out: PathBuf,
    dir: tempfile::TempDir,
    /// Folders already created, so each is made once.
    dirs: Mutex<HashSet<PathBuf>>,
    /// The site being replaced, if gonogo wrote it: a file whose bytes did not change
    /// is hard-linked from it instead of written, so it keeps its inode and mtime and
    /// a deploy step that syncs by mtime uploads only what changed.
    previous: Option<Previous>,
    /// The new site's manifest: every file put, with its hash.
    written: Mutex<BTreeMap<String, Sha>>,
    /// Files linked from the previous site.
    kept: AtomicUsize,
    /// The topmost entries of the output folder that gonogo did not write (relative
    /// paths): kept in the new site.
    foreign: BTreeSet<String>,
    /// Files the new site would put where a foreign entry is.
    clashes: Mutex<BTreeSet<String>>,
}

fn rel_str(rel: &Path) -> String {
    rel.to_string_lossy().replace('\\', "/")
}

/// The entries of `dir` (relative to `root`) that the manifest does not account for:
/// a folder that holds no listed file is one entry, whatever it holds.
fn foreign_entries(
    root: &Path,
    dir: &Path,
    m: &Manifest,
    folders: &HashSet<String>,
    out: &mut BTreeSet<String>,
) -> Result<()> {
    let entries =
        std::fs::read_dir(dir).with_context(|| format!("cannot read {}", dir.display()))?;
    for e in entries {
        let e = e.with_context(|| format!("cannot read {}", dir.display()))?;
        let path = e.path();
        let rel = rel_str(path.strip_prefix(root).expect("under root"));
        if rel == manifest::NAME {
            continue;
        }
        let ty = e.file_type()?;
        if ty.is_dir() && folders.contains(&rel) {
            foreign_entries(root, &path, m, folders, out)?;
        } else if !(ty.is_file() && m.files.contains_key(&rel)) {
            out.insert(rel);
        }
    }
    Ok(())
}

/// Whether `path` (a foreign entry) and the new site's files overlap: the site has
/// a file at it, under it, or at one of its parents.
fn overlaps(path: &str, written: &BTreeMap<String, Sha>) -> bool {
    if written.contains_key(path) {
        return true;
    }
    let under = format!("{path}/");
    if written
        .range(under.clone()..)
        .next()
        .is_some_and(|(k, _)| k.starts_with(&under))
    {
        return true;
    }
    let mut p = path;
    while let Some((parent, _)) = p.rsplit_once('/') {
        if written.contains_key(parent) {
            return true;
        }
        p = parent;
    }
    false
}

/// Recreates `from` at `to` with hard links: folders are made (with their
/// permissions), files linked, symlinks made again with the same target.
fn link_tree(from: &Path, to: &Path) -> std::io::Result<()> {
    let meta = std::fs::symlink_metadata(from)?;
    let ty = meta.file_type();
    if ty.is_symlink() {
        std::os::unix::fs::symlink(std::fs::read_link(from)?, to)
    } else if ty.is_dir() {
        std::fs::create_dir(to)?;
        for e in std::fs::read_dir(from)? {
            let e = e?;
            link_tree(&e.path(), &to.join(e.file_name()))?;
        }
        std::fs::set_permissions(to, meta.permissions())
    } else {
        std::fs::hard_link(from, to)
    }
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
        let shown = out_arg.display();
        let mut previous = None;
        let mut foreign = BTreeSet::new();
        if out.exists() {
            if !out.is_dir() {
                bail!("{shown} exists and is not a folder");
            }
            guard::refuse_mount_point(&out, out_arg)?;
            match Manifest::read(&out) {
                Some(Ok(m)) => {
                    foreign_entries(&out, &out, &m, &m.folders(), &mut foreign)?;
                    previous = Some(Previous {
                        dir: out.clone(),
                        manifest: m,
                        verified: Default::default(),
                    });
                }
                Some(Err(why)) => bail!(
                    "{shown}/{} is not a manifest gonogo wrote ({why}), so gonogo cannot tell its files from yours; refusing to replace {shown}. If it holds only a site gonogo built, remove it and build again",
                    manifest::NAME
                ),
                None => {
                    let mut names: Vec<String> = std::fs::read_dir(&out)
                        .with_context(|| format!("cannot read {shown}"))?
                        .map(|e| e.map(|e| e.file_name().to_string_lossy().into_owned()))
                        .collect::<std::io::Result<_>>()
                        .with_context(|| format!("cannot read {shown}"))?;
                    names.sort();
                    let others: Vec<&String> = names
                        .iter()
                        .filter(|n| !PUBLISHING_FILES.contains(&n.as_str()))
                        .collect();
                    if !others.is_empty() {
                        bail!(
                            "{shown} is not empty and was not written by gonogo (no {}); refusing to replace it. It holds {}{}. Build into an empty or new folder; a folder holding only {} (a GitHub Pages branch) is accepted and those are kept",
                            manifest::NAME,
                            others
                                .iter()
                                .take(5)
                                .map(|s| format!("`{s}`"))
                                .collect::<Vec<_>>()
                                .join(", "),
                            if others.len() > 5 {
                                format!(" and {} more", others.len() - 5)
                            } else {
                                String::new()
                            },
                            PUBLISHING_FILES.join(", "),
                        );
                    }
                    foreign.extend(names);
                }
            }
        }
        // Made and registered while the interrupt handler is held off: a signal
        // between the two would otherwise leave the folder behind.
        tidy::on_interrupt_remove(None);
        let mut active = tidy::swapping();
        let dir = tempfile::Builder::new()
            .prefix(&format!("{}{}-", tidy::STAGING, std::process::id()))
            .tempdir_in(parent)
            .with_context(|| format!("cannot create a staging folder in {}", parent.display()))?;
        *active = Some(dir.path().to_path_buf());
        drop(active);
        Ok(Staging {
            out_arg: out_arg.to_path_buf(),
            out,
            dir,
            dirs: Default::default(),
            previous,
            written: Default::default(),
            kept: Default::default(),
            foreign,
            clashes: Default::default(),
        })
    }

    /// Writes one file of the new site; `rel` is relative to the site's root.
    pub fn put(&self, rel: &Path, bytes: &[u8]) -> Result<()> {
        let key = rel_str(rel);
        let hash = sha(bytes);
        if overlaps_foreign(&key, &self.foreign) {
            self.clashes
                .lock()
                .expect("clashes lock")
                .insert(key.clone());
        }
        let path = self.dir.path().join(rel);
        self.make_parent(&path)?;
        self.place(&key, &path, bytes, &hash)?;
        self.written.lock().expect("written lock").insert(key, hash);
        Ok(())
    }

    fn make_parent(&self, path: &Path) -> Result<()> {
        if let Some(dir) = path.parent()
            && !self.dirs.lock().expect("dirs lock").contains(dir)
        {
            create_below(self.dir.path(), dir)
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
        let listed: Option<Vec<(String, Sha)>> = files
            .iter()
            .map(|f| {
                let k = rel_str(f);
                let h = *prev.manifest.files.get(&k)?;
                Some((k, h))
            })
            .collect();
        let Some(listed) = listed else {
            return false;
        };
        if !files.iter().any(|f| f == facts_file)
            || prev.manifest.files.get(&rel_str(facts_file)) != Some(&sha(facts))
            || std::fs::read(prev.dir.join(facts_file)).ok().as_deref() != Some(facts)
            || listed
                .iter()
                .any(|(k, _)| overlaps_foreign(k, &self.foreign))
        {
            return false;
        }
        let mut made: Vec<PathBuf> = Vec::with_capacity(files.len());
        for rel in files {
            let path = self.dir.path().join(rel);
            if self.make_parent(&path).is_err()
                || std::fs::hard_link(prev.dir.join(rel), &path).is_err()
            {
                for m in made {
                    let _ = std::fs::remove_file(m);
                }
                return false;
            }
            made.push(path);
        }
        self.kept.fetch_add(files.len(), Relaxed);
        let mut verified = prev.verified.lock().expect("verified lock");
        let mut written = self.written.lock().expect("written lock");
        for (k, h) in listed {
            verified.insert(k.clone());
            written.insert(k, h);
        }
        true
    }

    /// Writes `bytes` at `path` in the staging folder, or links the previous site's
    /// `rel` there when it holds exactly these bytes (its listed hash, and its bytes).
    fn place(&self, rel: &str, path: &Path, bytes: &[u8], hash: &Sha) -> Result<()> {
        if let Some(prev) = &self.previous
            && prev.manifest.files.get(rel) == Some(hash)
        {
            let old = prev.dir.join(rel);
            let same = std::fs::symlink_metadata(&old)
                .is_ok_and(|m| m.is_file() && m.len() == bytes.len() as u64)
                && std::fs::read(&old).is_ok_and(|b| b == bytes);
            if same && std::fs::hard_link(&old, path).is_ok() {
                self.kept.fetch_add(1, Relaxed);
                prev.verified
                    .lock()
                    .expect("verified lock")
                    .insert(rel.to_string());
                return Ok(());
            }
        }
        std::fs::write(path, bytes).with_context(|| format!("cannot write {}", path.display()))
    }

    /// Swaps the new site in: the output folder is the old site until this returns,
    /// the new one after. Fails, with nothing changed, when a file the new site needs
    /// is where the output folder holds something gonogo did not write.
    pub fn commit(self) -> Result<Written> {
        let Staging {
            out_arg,
            out,
            dir,
            previous,
            written,
            kept,
            mut foreign,
            clashes,
            ..
        } = self;
        let mut written = written.into_inner().expect("written lock");
        let mut unchanged = kept.into_inner();
        let shown = out_arg.display();
        // Every file of the previous site not yet shown to be as gonogo wrote it is
        // read: one edited by hand (or replaced) is the user's.
        let mut ours: HashSet<String> = HashSet::new();
        if let Some(prev) = &previous {
            let verified = prev.verified.lock().expect("verified lock");
            let pending: Vec<(&String, &Sha)> = prev
                .manifest
                .files
                .iter()
                .filter(|(k, _)| !verified.contains(*k))
                .collect();
            let state = crate::par::map_with(
                &pending,
                || (),
                |_, (k, h)| {
                    let path = prev.dir.join(k);
                    match std::fs::symlink_metadata(&path) {
                        Err(_) => None, // gone: nothing to keep or remove
                        Ok(m) if m.is_file() && sha_file(&path).as_ref() == Some(*h) => Some(true),
                        Ok(_) => Some(false),
                    }
                },
            );
            for ((k, _), state) in pending.into_iter().zip(state) {
                match state {
                    Some(true) => {
                        ours.insert(k.clone());
                    }
                    Some(false) => {
                        foreign.insert(k.clone());
                    }
                    None => {}
                }
            }
            ours.extend(verified.iter().cloned());
        }
        let mut clashes = clashes.into_inner().expect("clashes lock");
        clashes.extend(foreign.iter().filter(|f| overlaps(f, &written)).cloned());
        if !clashes.is_empty() {
            let list: Vec<String> = clashes
                .iter()
                .take(10)
                .map(|c| format!("  {shown}/{c}"))
                .collect();
            bail!(
                "nothing written: the new site needs {} place{} in {shown} that hold{} files gonogo did not write (not in its {}, or changed since it wrote them):\n{}{}\nmove {} out of {shown} (or delete {}), then build again",
                clashes.len(),
                if clashes.len() == 1 { "" } else { "s" },
                if clashes.len() == 1 { "s" } else { "" },
                manifest::NAME,
                list.join("\n"),
                if clashes.len() > 10 {
                    format!("\n  and {} more", clashes.len() - 10)
                } else {
                    String::new()
                },
                if clashes.len() == 1 { "it" } else { "them" },
                if clashes.len() == 1 { "it" } else { "them" },
            );
        }
        // The user's entries, linked into the new site: they are in the output folder
        // before, during and after the swap.
        for f in &foreign {
            let to = dir.path().join(f);
            if let Some(p) = to.parent() {
                create_below(dir.path(), p)
                    .with_context(|| format!("cannot create {}", p.display()))?;
            }
            link_tree(&out.join(f), &to).with_context(|| {
                format!("nothing written: cannot keep {shown}/{f}, which gonogo did not write, in the new site")
            })?;
        }
        // The manifest: linked too when it did not change.
        let m = Manifest {
            files: std::mem::take(&mut written),
        };
        let bytes = m.render();
        let manifest_path = dir.path().join(manifest::NAME);
        let same = previous
            .as_ref()
            .is_some_and(|p| std::fs::read(p.dir.join(manifest::NAME)).is_ok_and(|b| b == bytes));
        if same && std::fs::hard_link(out.join(manifest::NAME), &manifest_path).is_ok() {
            unchanged += 1;
        } else {
            std::fs::write(&manifest_path, &bytes).context("cannot write the site manifest")?;
        }
        if previous.is_some() {
            ours.insert(manifest::NAME.to_string());
        }
        let files = m.files.len() + 1;
        let result = Written {
            files,
            unchanged,
            kept: foreign.into_iter().collect(),
        };
        let parent = out.parent().expect("resolved above");

        let mut swap = tidy::swapping();
        if !out.exists() {
            std::fs::rename(dir.path(), &out)
                .with_context(|| format!("cannot move the new site into {shown}"))?;
            // The staging path no longer exists; nothing to clean up.
            let _ = dir.keep();
            *swap = None;
            return Ok(result);
        }
        let old = if exchange(dir.path(), &out).is_ok() {
            // The staging path now holds the previous site.
            dir.keep()
        } else {
            // Without an atomic exchange: move the old site aside, the new one in.
            let old = tempfile::Builder::new()
                .prefix(&format!("{}{}-old-", tidy::STAGING, std::process::id()))
                .tempdir_in(parent)
                .context("cannot reserve a name for the previous site")?
                .keep();
            // `old` exists and is empty: on Linux a folder can be renamed over an empty one.
            std::fs::rename(&out, &old)
                .with_context(|| format!("cannot move the previous site {shown} aside"))?;
            if let Err(e) = std::fs::rename(dir.path(), &out) {
                return match std::fs::rename(&old, &out) {
                    Ok(()) => Err(e)
                        .with_context(|| format!("cannot move the new site into {shown}")),
                    Err(restore) => Err(e).with_context(|| {
                        format!(
                            "cannot move the new site into {shown}, nor the previous one back ({restore}); the previous site is at {}",
                            old.display()
                        )
                    }),
                };
            }
            let _ = dir.keep();
            old
        };
        *swap = None;
        tidy::SWAPPED.store(true, std::sync::atomic::Ordering::SeqCst);
        // Every file of `ours` was shown to hold its listed bytes moments ago. The
        // guard is held until the previous site is gone: an interrupt now would leave
        // it beside the output folder under a staging name.
        let left = tidy::remove_old(&old, &out, &|rel, _| ours.contains(rel));
        drop(swap);
        if !left.is_empty() {
            eprintln!(
                "warning: the new site is in place; the previous one is kept at {} because {} file{} in it could not be removed or moved into the new site (first: {})",
                old.display(),
                left.len(),
                if left.len() == 1 { "" } else { "s" },
                left[0].display()
            );
        }
        Ok(result)
    }
}

/// Whether the site file `rel` is at, under or above a foreign entry.
fn overlaps_foreign(rel: &str, foreign: &BTreeSet<String>) -> bool {
    if foreign.is_empty() {
        return false;
    }
    if foreign.contains(rel) {
        return true;
    }
    let mut p = rel;
    while let Some((parent, _)) = p.rsplit_once('/') {
        if foreign.contains(parent) {
            return true;
        }
        p = parent;
    }
    false
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
    atomic_file_with(path, bytes, None)
}

/// [`atomic_file`] over an existing file, keeping its permissions (a data file a
/// user edits: `gonogo approve`).
pub fn atomic_replace(path: &Path, bytes: &[u8]) -> Result<()> {
    let perms = std::fs::metadata(path)
        .with_context(|| format!("cannot read {}", path.display()))?
        .permissions();
    atomic_file_with(path, bytes, Some(perms))
}

fn atomic_file_with(path: &Path, bytes: &[u8], perms: Option<std::fs::Permissions>) -> Result<()> {
    use std::io::Write;
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let mut tmp = tempfile::NamedTempFile::new_in(dir)
        .with_context(|| format!("cannot create a file in {}", dir.display()))?;
    tmp.write_all(bytes)
        .with_context(|| format!("cannot write {}", path.display()))?;
    if let Some(perms) = perms {
        std::fs::set_permissions(tmp.path(), perms)
            .with_context(|| format!("cannot set the permissions of {}", path.display()))?;
    }
    tmp.persist(path)
        .with_context(|| format!("cannot write {}", path.display()))?;
    Ok(())
}

/// Creates `dir` and the folders between it and `root`, never `root` itself: once an
/// interrupt has removed the staging folder, a writer still running fails instead of
/// making it again (`create_dir_all` would, and leave it behind).
fn create_below(root: &Path, dir: &Path) -> std::io::Result<()> {
    let rel = dir.strip_prefix(root).map_err(|_| {
        std::io::Error::other(format!("{} is outside {}", dir.display(), root.display()))
    })?;
    let mut at = root.to_path_buf();
    for c in rel.components() {
        at.push(c);
        match std::fs::create_dir(&at) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists && at.is_dir() => {}
            Err(e) => return Err(e),
        }
    }
    Ok(())
}
