//! The one rule for every file gonogo reads from a project (release files,
//! narratives, `gonogo.yaml`, test reports, JSON files, templates): it is a regular
//! file, its real path (every symlink followed) lies inside its root (the data folder,
//! or `--templates`), and it is at most [`MAX_FILE_BYTES`] long. A FIFO, a device, a
//! socket, `/proc/self/environ` behind a symlink, or a folder linked out of the data
//! folder is refused with a reason that the caller turns into a finding at the
//! reference or path; nothing from it is read.

use std::io::Read;
use std::path::{Path, PathBuf};

/// The size limit of any one input file.
pub const MAX_FILE_BYTES: u64 = 16 * 1024 * 1024;

/// A folder that files are confined to.
#[derive(Clone, Debug)]
pub struct Root {
    real: PathBuf,
    what: &'static str,
}

impl Root {
    /// `dir` as a root; `what` names it in messages ("the data folder").
    pub fn new(dir: &Path, what: &'static str) -> std::io::Result<Root> {
        Ok(Root {
            real: std::fs::canonicalize(dir)?,
            what,
        })
    }

    /// The root's real path.
    pub fn path(&self) -> &Path {
        &self.real
    }

    /// The real path of `path` when it lies inside the root (following symlinks).
    fn real_inside(&self, path: &Path) -> Result<PathBuf, String> {
        let real = std::fs::canonicalize(path)
            .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        if !real.starts_with(&self.real) {
            return Err(format!(
                "{} leads outside {} (through a symlink, to {}); only files inside it are read",
                path.display(),
                self.what,
                real.display()
            ));
        }
        Ok(real)
    }

    /// The real path of a regular file inside the root.
    pub fn file(&self, path: &Path) -> Result<PathBuf, String> {
        let real = self.real_inside(path)?;
        let meta =
            std::fs::metadata(&real).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        if !meta.is_file() {
            return Err(format!(
                "{} is {}, not a regular file",
                path.display(),
                kind(&meta)
            ));
        }
        Ok(real)
    }

    /// Whether `path` is a folder whose real path lies inside the root.
    pub fn dir(&self, path: &Path) -> Result<PathBuf, String> {
        let real = self.real_inside(path)?;
        if !real.is_dir() {
            return Err(format!("{} is not a folder", path.display()));
        }
        Ok(real)
    }

    /// Opens a regular file inside the root of at most `limit` bytes, for streaming
    /// (a JUnit report).
    pub fn open(&self, path: &Path, limit: u64) -> Result<std::fs::File, String> {
        let real = self.file(path)?;
        open_regular(&real, path, limit)
    }

    /// Reads a regular file inside the root, at most [`MAX_FILE_BYTES`].
    pub fn read(&self, path: &Path) -> Result<Vec<u8>, String> {
        self.read_up_to(path, MAX_FILE_BYTES)
    }

    /// Reads a regular file inside the root, at most `limit` bytes.
    pub fn read_up_to(&self, path: &Path, limit: u64) -> Result<Vec<u8>, String> {
        let f = self.open(path, limit)?;
        read_limited(f, path, limit)
    }
}

/// Reads a file named on the command line (`gonogo audit FILE`): not confined to a
/// folder, but only a regular file, and only up to [`MAX_FILE_BYTES`].
pub fn read_named(path: &Path) -> Result<Vec<u8>, String> {
    let f = open_regular(path, path, MAX_FILE_BYTES)?;
    read_limited(f, path, MAX_FILE_BYTES)
}

fn kind(meta: &std::fs::Metadata) -> &'static str {
    use std::os::unix::fs::FileTypeExt;
    let t = meta.file_type();
    if t.is_dir() {
        "a folder"
    } else if t.is_fifo() {
        "a named pipe"
    } else if t.is_char_device() || t.is_block_device() {
        "a device"
    } else if t.is_socket() {
        "a socket"
    } else {
        "a special file"
    }
}

/// Opens a file for reading only when it is a regular file, without blocking on a
/// FIFO (for hashing files that are not read as data: the cache's stamps).
pub fn open_if_regular(path: &Path) -> Option<std::fs::File> {
    open_regular(path, path, u64::MAX).ok()
}

/// Opens `real` without blocking (a FIFO swapped in would otherwise wait for a
/// writer) and checks on the open file that it is a regular file.
fn open_regular(real: &Path, shown: &Path, limit: u64) -> Result<std::fs::File, String> {
    use std::os::unix::fs::OpenOptionsExt;
    let f = std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(rustix::fs::OFlags::NONBLOCK.bits() as i32)
        .open(real)
        .map_err(|e| format!("cannot read {}: {e}", shown.display()))?;
    let meta = f
        .metadata()
        .map_err(|e| format!("cannot read {}: {e}", shown.display()))?;
    if !meta.is_file() {
        return Err(format!(
            "{} is {}, not a regular file",
            shown.display(),
            kind(&meta)
        ));
    }
    if meta.len() > limit {
        return Err(too_big(shown, meta.len(), limit));
    }
    Ok(f)
}

fn too_big(path: &Path, size: u64, limit: u64) -> String {
    format!(
        "{} is {size} bytes; such files are limited to {limit} bytes",
        path.display()
    )
}

/// Reads at most `limit` bytes, whatever the file's stated size.
fn read_limited(f: std::fs::File, path: &Path, limit: u64) -> Result<Vec<u8>, String> {
    let mut bytes = vec![];
    f.take(limit + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    if bytes.len() as u64 > limit {
        return Err(format!(
            "{} holds more than {limit} bytes; such files are limited to {limit} bytes",
            path.display()
        ));
    }
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_out_and_special_files_are_refused() {
        let tmp = tempfile::tempdir().unwrap();
        let root = Root::new(tmp.path(), "the data folder").unwrap();
        std::fs::write(tmp.path().join("a.yaml"), "x").unwrap();
        assert_eq!(root.read(&tmp.path().join("a.yaml")).unwrap(), b"x");
        std::os::unix::fs::symlink("/etc/passwd", tmp.path().join("p.md")).unwrap();
        let e = root.read(&tmp.path().join("p.md")).unwrap_err();
        assert!(e.contains("leads outside the data folder"), "{e}");
        std::os::unix::fs::symlink("a.yaml", tmp.path().join("b.yaml")).unwrap();
        assert!(
            root.read(&tmp.path().join("b.yaml")).is_ok(),
            "a link inside is fine"
        );
        let e = read_named(Path::new("/dev/zero")).unwrap_err();
        assert!(e.contains("is a device"), "{e}");
        let e = read_named(Path::new("/proc/self/environ"));
        // /proc files are regular files of size 0 that hold data: read, but bounded.
        assert!(e.is_ok_and(|b| (b.len() as u64) <= MAX_FILE_BYTES));
    }
}
