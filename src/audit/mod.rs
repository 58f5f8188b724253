//! `gonogo audit`: contradictions inside hand-written readiness documents (Markdown
//! or plain text), found from the documents' own numbers, dates and rules. Nothing
//! here needs gonogo's data model: a team can run it before writing any YAML.
//!
//! Precision over recall: a rule reads only forms it understands (see each module)
//! and stays silent otherwise. Fenced code is never read.

pub(crate) mod approvals;
mod claims;
pub(crate) mod doc;
pub(crate) mod encoding;
mod labelled;
pub(crate) mod procedures;
pub(crate) mod quantity;
mod spans;
pub(crate) mod sums;
pub(crate) mod tables;

use crate::diag::{Diagnostic, Loc, SourceFile};
use std::path::{Path, PathBuf};

/// What the rules see of one document.
pub struct Ctx<'a> {
    pub file: usize,
    pub doc: &'a doc::Doc<'a>,
}

impl Ctx<'_> {
    /// Location of bytes `start..end` of line `i`'s content.
    pub fn loc(&self, i: usize, start: usize, end: usize) -> Loc {
        let l = &self.doc.lines[i];
        let s = (l.body + start).min(l.text.len());
        let e = (l.body + end).min(l.text.len()).max(s);
        let col = l.text.get(..s).map_or(s, |p| p.chars().count()) as u64 + 1;
        let len = l.text.get(s..e).map_or(e - s, |p| p.chars().count()) as u64;
        Loc {
            file: self.file,
            line: l.no,
            col,
            len,
        }
    }
    pub fn line_no(&self, i: usize) -> u64 {
        self.doc.lines[i].no
    }
}

/// The files to audit: files as given, folders walked for .md, .markdown and .txt.
pub fn collect(paths: &[PathBuf]) -> anyhow::Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    for p in paths {
        let meta = std::fs::metadata(p)
            .map_err(|e| anyhow::anyhow!("cannot read `{}`: {e}", p.display()))?;
        if meta.is_dir() {
            let mut found: Vec<PathBuf> = walkdir::WalkDir::new(p)
                .follow_links(false)
                .into_iter()
                .filter_map(Result::ok)
                .filter(|e| e.file_type().is_file())
                .map(|e| e.into_path())
                .filter(|f| {
                    f.extension().and_then(|x| x.to_str()).is_some_and(|x| {
                        matches!(x.to_ascii_lowercase().as_str(), "md" | "markdown" | "txt")
                    })
                })
                .collect();
            found.sort();
            out.extend(found);
        } else {
            out.push(p.clone());
        }
    }
    Ok(out)
}

/// Audits every file; returns the sources (for printing) and the findings.
pub fn audit(
    files: &[PathBuf],
    fix_encoding: bool,
) -> anyhow::Result<(Vec<SourceFile>, Vec<Diagnostic>)> {
    let mut sources = Vec::new();
    let mut out = Vec::new();
    for path in files {
        // Only regular files, and at most 16 MiB: `gonogo audit /dev/zero` is refused.
        let bytes = crate::inside::read_named(path).map_err(|e| anyhow::anyhow!("{e}"))?;
        let file = sources.len();
        let (text, note) = if let Some(decoded) = decode(&bytes) {
            decoded
        } else {
            // A binary file among the documents: say so and go on with the others.
            out.push(
                Diagnostic::warning("GN1307", "not a text file (it holds NUL bytes); skipped").at(
                    Loc {
                        file,
                        line: 1,
                        col: 1,
                        len: 0,
                    },
                ),
            );
            sources.push(SourceFile {
                path: path.clone(),
                abs: std::path::absolute(path).unwrap_or_else(|_| path.clone()),
                text: String::new(),
            });
            continue;
        };
        if let Some(why) = note {
            out.push(
                Diagnostic::warning("GN1307", why)
                    .at(Loc {
                        file,
                        line: 1,
                        col: 1,
                        len: 0,
                    })
                    .note("save it as UTF-8 so that every tool reads the same characters"),
            );
        }
        let mut found_here = audit_text(file, &text);
        if let Some(found) = encoding::scan(&text) {
            found_here.push(encoding::diagnostic(file, &text, &found));
            if fix_encoding {
                let fixed_path = fixed_name(path);
                crate::write::atomic_file(&fixed_path, encoding::repair(&text, &found).as_bytes())?;
                eprintln!("wrote {}", fixed_path.display());
            }
        }
        found_here.sort_by_key(|d| d.loc.map(|l| (l.line, l.col)));
        out.extend(found_here);
        sources.push(SourceFile {
            path: path.clone(),
            abs: std::path::absolute(path).unwrap_or_else(|_| path.clone()),
            text,
        });
    }
    Ok((sources, out))
}

/// A document's text, and what was done to read it when it was not UTF-8 (UTF-16
/// by its byte-order mark, else Windows-1252); None for a binary file (NUL bytes).
pub(crate) fn decode(bytes: &[u8]) -> Option<(String, Option<&'static str>)> {
    let utf16 = match bytes.get(..2) {
        Some([0xFF, 0xFE]) => Some(encoding_rs::UTF_16LE),
        Some([0xFE, 0xFF]) => Some(encoding_rs::UTF_16BE),
        _ => None,
    };
    if let Some(enc) = utf16 {
        let (t, _, _) = enc.decode(bytes);
        return Some((t.into_owned(), Some("the file is UTF-16; read it as such")));
    }
    if bytes.contains(&0) {
        return None;
    }
    Some(match std::str::from_utf8(bytes) {
        Ok(t) => (t.to_string(), None),
        Err(_) => {
            let (t, _, _) = encoding_rs::WINDOWS_1252.decode(bytes);
            (
                t.into_owned(),
                Some("the file is not UTF-8; read it as Windows-1252"),
            )
        }
    })
}

/// `notes.md` → `notes.fixed.md`.
fn fixed_name(path: &Path) -> PathBuf {
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let name = match path.extension() {
        Some(ext) => format!("{stem}.fixed.{}", ext.to_string_lossy()),
        None => format!("{stem}.fixed"),
    };
    path.with_file_name(name)
}

/// Every rule on one document's text.
pub fn audit_text(file: usize, text: &str) -> Vec<Diagnostic> {
    let d = doc::parse(text);
    let cx = Ctx { file, doc: &d };
    let mut out = Vec::new();
    claims::check(&cx, &mut out);
    sums::check(&cx, &mut out);
    tables::check(&cx, &mut out);
    spans::check(&cx, &mut out);
    labelled::check(&cx, &mut out);
    procedures::check(&cx, &mut out);
    approvals::check(&cx, &mut out);
    out.sort_by_key(|d| d.loc.map(|l| (l.line, l.col)));
    out.dedup_by(|a, b| a.code == b.code && a.loc == b.loc);
    out
}
