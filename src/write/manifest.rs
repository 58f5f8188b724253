//! `.gonogo-site`: the list of every file gonogo wrote into a site, each with its
//! SHA-256, in the format `sha256sum` writes (so `sha256sum -c .gonogo-site` inside
//! the site verifies it), between a header line and a trailer line holding the
//! SHA-256 of everything above it. A build replaces or removes a file of the output
//! folder only when this list names it and the file still has the listed hash; an
//! empty, edited or truncated list is not a manifest, and the folder is not gonogo's.

use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::path::Path;

/// The manifest's file name, at the root of every site gonogo writes.
pub const NAME: &str = ".gonogo-site";

const HEADER: &str = "# gonogo site manifest 1: the files gonogo wrote here and their SHA-256 (check with `sha256sum -c .gonogo-site`); gonogo replaces only these";
const TRAILER: &str = "# end of manifest, SHA-256 of the lines above: ";

pub type Sha = [u8; 32];

pub fn sha(bytes: &[u8]) -> Sha {
    Sha256::digest(bytes).into()
}

/// The SHA-256 of a file's bytes, read in blocks; None when it is not a regular file
/// or cannot be read.
pub fn sha_file(path: &Path) -> Option<Sha> {
    sha_reader(crate::inside::open_if_regular(path)?)
}

/// The SHA-256 of everything `f` reads.
pub fn sha_reader(mut f: impl std::io::Read) -> Option<Sha> {
    let mut h = Sha256::new();
    let mut buf = vec![0u8; 64 * 1024];
    loop {
        let n = f.read(&mut buf).ok()?;
        if n == 0 {
            break;
        }
        h.update(&buf[..n]);
    }
    Some(h.finalize().into())
}

/// Lower-case hex digits of `bytes`.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn unhex(s: &str) -> Option<Sha> {
    if s.len() != 64
        || !s
            .bytes()
            .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase())
    {
        return None;
    }
    let mut out = [0u8; 32];
    for (i, o) in out.iter_mut().enumerate() {
        *o = u8::from_str_radix(&s[2 * i..2 * i + 2], 16).ok()?;
    }
    Some(out)
}

/// A site path as the manifest may name it: relative, `/`-separated, no `.` or `..`
/// part, no character `sha256sum` would escape.
fn valid_path(p: &str) -> bool {
    !p.is_empty()
        && p != NAME
        && !p.contains(['\\', '\n', '\r', '\0'])
        && p.split('/').all(|part| !matches!(part, "" | "." | ".."))
}

/// Relative path -> SHA-256 of the file gonogo wrote there.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Manifest {
    pub files: BTreeMap<String, Sha>,
}

impl Manifest {
    /// The manifest's bytes: the same files, the same bytes.
    pub fn render(&self) -> Vec<u8> {
        let mut body = String::with_capacity(80 * (self.files.len() + 2));
        body.push_str(HEADER);
        body.push('\n');
        for (path, sha) in &self.files {
            body.push_str(&hex(sha));
            body.push_str("  ");
            body.push_str(path);
            body.push('\n');
        }
        let sum = hex(&sha(body.as_bytes()));
        body.push_str(TRAILER);
        body.push_str(&sum);
        body.push('\n');
        body.into_bytes()
    }

    /// Reads a manifest; Err says why the bytes are not one gonogo wrote.
    pub fn parse(bytes: &[u8]) -> Result<Manifest, String> {
        let text = std::str::from_utf8(bytes).map_err(|_| "it is not UTF-8 text".to_string())?;
        let Some(first) = text.lines().next() else {
            return Err("it is empty".into());
        };
        if first != HEADER {
            return Err(if first.contains("written by gonogo") {
                "it is the marker of an older gonogo, with no list of files".into()
            } else {
                "its first line is not gonogo's manifest header".into()
            });
        }
        let body_end = text
            .rfind(TRAILER)
            .ok_or("it has no closing line (cut short?)")?;
        let (body, trailer) = text.split_at(body_end);
        let sum = trailer[TRAILER.len()..].strip_suffix('\n').unwrap_or("");
        if unhex(sum).is_none_or(|s| s != sha(body.as_bytes())) {
            return Err("its checksum does not match its lines (edited or damaged)".into());
        }
        let mut files = BTreeMap::new();
        for line in body.lines().skip(1) {
            let (h, path) = line
                .split_once("  ")
                .ok_or_else(|| format!("the line `{line}` is not `SHA-256  path`"))?;
            let sha = unhex(h).ok_or_else(|| format!("`{h}` is not a SHA-256"))?;
            if !valid_path(path) {
                return Err(format!("`{path}` is not a path inside the site"));
            }
            if files.insert(path.to_string(), sha).is_some() {
                return Err(format!("`{path}` is listed twice"));
            }
        }
        Ok(Manifest { files })
    }

    /// The manifest of the folder `dir`: None when it has none.
    pub fn read(dir: &Path) -> Option<Result<Manifest, String>> {
        let path = dir.join(NAME);
        let meta = std::fs::symlink_metadata(&path).ok()?;
        if !meta.is_file() {
            return Some(Err("it is not a regular file".into()));
        }
        Some(
            std::fs::read(&path)
                .map_err(|e| format!("it cannot be read: {e}"))
                .and_then(|b| Manifest::parse(&b)),
        )
    }

    /// Every folder that holds a listed file, as a relative path (`releases`,
    /// `releases/x`), for telling gonogo's folders from the user's.
    pub fn folders(&self) -> std::collections::HashSet<String> {
        let mut out = std::collections::HashSet::new();
        for path in self.files.keys() {
            let mut p = path.as_str();
            while let Some((parent, _)) = p.rsplit_once('/') {
                if !out.insert(parent.to_string()) {
                    break;
                }
                p = parent;
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Manifest {
        let mut m = Manifest::default();
        m.files.insert("index.html".into(), sha(b"<html>"));
        m.files.insert("releases/a/facts.json".into(), sha(b"{}"));
        m
    }

    #[test]
    fn round_trips_and_refuses_anything_else() {
        let m = sample();
        let bytes = m.render();
        assert_eq!(Manifest::parse(&bytes).unwrap(), m);
        assert!(Manifest::parse(b"").is_err());
        assert!(
            Manifest::parse(b"written by gonogo; this folder is replaced on every build\n")
                .unwrap_err()
                .contains("older gonogo")
        );
        // Any edit of a listed line, or a line added, breaks the checksum.
        let text = String::from_utf8(bytes).unwrap();
        let edited = text.replace("index.html", "index.htm");
        assert!(Manifest::parse(edited.as_bytes()).is_err());
        let cut = &text[..text.len() - 10];
        assert!(Manifest::parse(cut.as_bytes()).is_err());
    }

    #[test]
    fn paths_stay_inside_the_site() {
        for bad in [
            "../x",
            "/etc/passwd",
            "a//b",
            "a/./b",
            ".gonogo-site",
            "a\\b",
        ] {
            assert!(!valid_path(bad), "{bad}");
        }
        assert!(valid_path("releases/a-1.0/index.html"));
    }

    #[test]
    fn folders_are_every_ancestor() {
        let f = sample().folders();
        let mut f: Vec<_> = f.into_iter().collect();
        f.sort();
        assert_eq!(f, ["releases", "releases/a"]);
    }
}
