//! Removing what a build leaves beside the output folder (the previous site after a
//! swap, the staging folder of a killed build) without ever removing a file gonogo
//! cannot prove is its own: a file goes only when the manifest lists it with its hash,
//! or when the new site holds the same file (same inode: it was linked there). Anything
//! else is moved into the new site, or left where it is with a warning.

use super::manifest::{Manifest, sha_file};
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};

/// The prefix of every staging folder; the creating process's id follows it, so a
/// later build can tell an abandoned one from one still being written.
pub const STAGING: &str = ".gonogo-staging-";

/// Removes `old` (a site folder that is no longer the output), keeping every file
/// gonogo did not write: each such file is moved to the same place in `site` when
/// that place is free. `ours(rel, path)` tells whether the regular file at `rel` is
/// shown to be gonogo's. Returns the files neither removed nor moved (then `old`
/// stays).
pub fn remove_old(old: &Path, site: &Path, ours: &dyn Fn(&str, &Path) -> bool) -> Vec<PathBuf> {
    let mut left = vec![];
    let entries: Vec<walkdir::DirEntry> = walkdir::WalkDir::new(old)
        .min_depth(1)
        .contents_first(true)
        .into_iter()
        .filter_map(Result::ok)
        .collect();
    for e in entries {
        let path = e.path();
        let Ok(rel) = path.strip_prefix(old) else {
            continue;
        };
        let rel_s = rel.to_string_lossy();
        if e.file_type().is_dir() {
            // Empty by now unless something in it was kept.
            let _ = std::fs::remove_dir(path);
            continue;
        }
        let there = site.join(rel);
        let safe =
            same_file(path, &there) || (e.file_type().is_file() && ours(rel_s.as_ref(), path));
        if safe {
            if std::fs::remove_file(path).is_err() {
                left.push(path.to_path_buf());
            }
            continue;
        }
        // Not gonogo's and not in the new site: it goes there, where it was.
        let moved = std::fs::symlink_metadata(&there).is_err()
            && there.parent().is_some_and(Path::is_dir)
            && std::fs::rename(path, &there).is_ok();
        if !moved {
            left.push(path.to_path_buf());
        }
    }
    if left.is_empty() {
        let _ = std::fs::remove_dir(old);
    }
    left
}

/// Whether `a` and `b` are the same file (hard links of one inode), or symlinks with
/// the same target.
fn same_file(a: &Path, b: &Path) -> bool {
    let (Ok(ma), Ok(mb)) = (std::fs::symlink_metadata(a), std::fs::symlink_metadata(b)) else {
        return false;
    };
    if ma.file_type().is_symlink() && mb.file_type().is_symlink() {
        return std::fs::read_link(a).ok() == std::fs::read_link(b).ok();
    }
    ma.dev() == mb.dev() && ma.ino() == mb.ino()
}

/// The staging folders beside `out` whose build is gone (its process is not running):
/// each is removed as [`remove_old`] removes a previous site, so files that are not
/// gonogo's are moved into the output folder or left. A folder that holds a manifest
/// (a complete site) has its listed files checked against their hashes; one without
/// (a build killed while writing) holds only what that build wrote or linked.
pub fn remove_abandoned(parent: &Path, out: &Path) {
    let Ok(entries) = std::fs::read_dir(parent) else {
        return;
    };
    for e in entries.flatten() {
        let name = e.file_name();
        let Some(rest) = name.to_str().and_then(|n| n.strip_prefix(STAGING)) else {
            continue;
        };
        let Some(pid) = rest.split('-').next().and_then(|p| p.parse::<u32>().ok()) else {
            continue;
        };
        if !e.file_type().is_ok_and(|t| t.is_dir()) || running(pid) {
            continue;
        }
        let dir = e.path();
        let manifest = Manifest::read(&dir);
        let listed = |rel: &str, path: &Path| {
            rel == super::manifest::NAME
                || match &manifest {
                    // A complete site: each file it lists, with that hash.
                    Some(Ok(m)) => m
                        .files
                        .get(rel)
                        .is_some_and(|h| sha_file(path).as_ref() == Some(h)),
                    Some(Err(_)) => false,
                    // Written by the killed build itself: every regular file is its own.
                    None => true,
                }
        };
        let left = remove_old(&dir, out, &listed);
        if !left.is_empty() {
            eprintln!(
                "warning: {} was left by a build that did not finish and holds {} file{} gonogo did not write (first: {}); it is kept",
                dir.display(),
                left.len(),
                if left.len() == 1 { "" } else { "s" },
                left[0].display()
            );
        }
    }
}

/// Whether process `pid` is running gonogo (or cannot be told: then it is left).
fn running(pid: u32) -> bool {
    if pid == std::process::id() {
        return true;
    }
    let proc = Path::new("/proc");
    if !proc.join("self").exists() {
        // No way to tell here: treat it as running, keep its folder.
        return true;
    }
    match std::fs::read(proc.join(pid.to_string()).join("comm")) {
        Ok(comm) => std::fs::read(proc.join("self/comm")).ok() == Some(comm),
        Err(_) => false,
    }
}

/// The staging folder of the build in progress, removed if the build is
/// interrupted (SIGINT, SIGTERM) before its swap.
static ACTIVE: std::sync::Mutex<Option<PathBuf>> = std::sync::Mutex::new(None);

/// Registers `dir` as the staging folder to remove on SIGINT or SIGTERM (once
/// per process, a thread waits for them; afterwards the process exits with 128 +
/// the signal's number, as the shell reports a signal).
pub fn on_interrupt_remove(dir: Option<PathBuf>) {
    static WATCH: std::sync::Once = std::sync::Once::new();
    SWAPPED.store(false, std::sync::atomic::Ordering::SeqCst);
    *ACTIVE.lock().unwrap_or_else(|e| e.into_inner()) = dir;
    WATCH.call_once(|| {
        use signal_hook::consts::{SIGINT, SIGTERM};
        let Ok(mut signals) = signal_hook::iterator::Signals::new([SIGINT, SIGTERM]) else {
            return;
        };
        std::thread::spawn(move || {
            if let Some(sig) = signals.forever().next() {
                let active = ACTIVE.lock().unwrap_or_else(|e| e.into_inner());
                if let Some(dir) = active.as_ref() {
                    // Writers still running may add a file to a folder being removed
                    // (then its removal fails): remove until it is gone. They cannot
                    // make the staging folder again (see `create_below`).
                    for _ in 0..100 {
                        if std::fs::remove_dir_all(dir).is_ok() || !dir.exists() {
                            break;
                        }
                    }
                    eprintln!("interrupted: nothing written, the output folder is as it was");
                } else if SWAPPED.load(std::sync::atomic::Ordering::SeqCst) {
                    eprintln!("interrupted: the new site was already in place");
                } else {
                    eprintln!("interrupted");
                }
                std::process::exit(128 + sig);
            }
        });
    });
}

/// Set once the new site is in place: an interrupt after it says so.
pub static SWAPPED: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// Holds off the interrupt handler while the output folder is swapped and the
/// previous site removed: a signal then waits until both are over, and finds no
/// staging folder to remove and no previous site left beside the output.
pub fn swapping() -> std::sync::MutexGuard<'static, Option<PathBuf>> {
    ACTIVE.lock().unwrap_or_else(|e| e.into_inner())
}
