//! Which facts changed since a stale approval: found in git, when the data folder is a
//! git checkout. The commits that touched the release's files are searched, newest
//! first, for the one whose files have the fingerprint the approval recorded; its files
//! are then compared with today's, YAML value by value.
//!
//! Only `git` itself is run (`rev-parse`, `log`, `cat-file`), on the local repository:
//! nothing is fetched. Where git is missing, or no commit has the fingerprint, the
//! finding says that the changes cannot be told, and why.

use crate::diag::SourceFile;
use crate::ingest::{digest, hashed, without_sections};
use crate::load::Release;
use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// Commits searched for the approved fingerprint.
const COMMITS: usize = 100;
/// Changes named in a finding.
const SHOWN: usize = 8;

/// Notes for a GN0603 finding: which facts changed since `approved`.
pub fn changes(r: &Release, sources: &[SourceFile], approved: &str) -> Vec<String> {
    match find(r, sources, approved) {
        Ok(notes) => notes,
        Err(why) => vec![format!("which facts changed cannot be told: {why}")],
    }
}

fn git(dir: &Path) -> Command {
    let mut c = Command::new("git");
    c.arg("-C")
        .arg(dir)
        .stdin(Stdio::null())
        .stderr(Stdio::null());
    // No pager, no prompt, no hook or credential helper could matter for these reads.
    c.env("GIT_TERMINAL_PROMPT", "0")
        .env("GIT_OPTIONAL_LOCKS", "0");
    c
}

fn find(r: &Release, sources: &[SourceFile], approved: &str) -> Result<Vec<String>, String> {
    let dir = r
        .inputs
        .first()
        .and_then(|f| f.parent())
        .ok_or("the release has no files")?;
    let top = git(dir)
        .args(["rev-parse", "--show-toplevel"])
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| PathBuf::from(String::from_utf8_lossy(&o.stdout).trim()))
        .ok_or("the data folder is not in a git checkout (or git is not installed)")?;
    let top = std::fs::canonicalize(&top).unwrap_or(top);
    let root = data_root(r, sources).ok_or("the data folder is not known")?;
    // Each file as (path relative to the data folder, path relative to the checkout).
    let mut files: Vec<(String, String)> = r
        .inputs
        .iter()
        .filter_map(|f| {
            let real = std::fs::canonicalize(f).ok()?;
            let rel = real
                .strip_prefix(&root)
                .ok()?
                .to_string_lossy()
                .replace('\\', "/");
            let in_git = real
                .strip_prefix(&top)
                .ok()?
                .to_string_lossy()
                .replace('\\', "/");
            hashed(&rel)?;
            Some((rel, in_git))
        })
        .collect();
    files.sort();
    files.dedup();
    let log = git(&top)
        .args(["log", "--format=%H %cs", "-n", &COMMITS.to_string(), "--"])
        .args(files.iter().map(|(_, g)| g))
        .output()
        .map_err(|e| format!("git could not be run: {e}"))?;
    let commits: Vec<(String, String)> = String::from_utf8_lossy(&log.stdout)
        .lines()
        .filter_map(|l| l.split_once(' '))
        .map(|(h, d)| (h.to_string(), d.to_string()))
        .collect();
    if commits.is_empty() {
        return Err("the release's files have no commits in git".into());
    }
    let wanted: Vec<String> = commits
        .iter()
        .flat_map(|(c, _)| files.iter().map(move |(_, g)| format!("{c}:{g}")))
        .collect();
    let blobs = cat(&top, &wanted)?;
    for (i, (commit, date)) in commits.iter().enumerate() {
        let at = &blobs[i * files.len()..(i + 1) * files.len()];
        let fp = digest(files.iter().zip(at).filter_map(|((rel, _), b)| {
            let b = b.clone()?;
            Some((
                rel.clone(),
                Box::new(std::io::Cursor::new(b)) as Box<dyn Read>,
            ))
        }));
        if fp.eq_ignore_ascii_case(approved) {
            return Ok(compare(&root, &files, at, commit, date));
        }
    }
    Err(format!(
        "none of the last {} commits of its files has data {approved}",
        commits.len()
    ))
}

/// The data folder: the folder above `releases/` of the release's first file.
fn data_root(r: &Release, sources: &[SourceFile]) -> Option<PathBuf> {
    let file = sources.get(r.info.file)?;
    let real = std::fs::canonicalize(&file.abs).ok()?;
    real.ancestors()
        .find(|a| a.file_name().is_some_and(|n| n == "releases"))
        .and_then(|a| a.parent())
        .map(Path::to_path_buf)
}

/// The contents of `objects` (`commit:path`), in order; `None` where one is missing.
fn cat(top: &Path, objects: &[String]) -> Result<Vec<Option<Vec<u8>>>, String> {
    let mut child = git(top)
        .args(["cat-file", "--batch"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .map_err(|e| format!("git could not be run: {e}"))?;
    let mut stdin = child
        .stdin
        .take()
        .ok_or("git's input could not be opened")?;
    let requests: String = objects.iter().map(|o| format!("{o}\n")).collect();
    // Written from a thread: git answers while it reads, and both pipes are bounded.
    let writer = std::thread::spawn(move || stdin.write_all(requests.as_bytes()));
    let mut out = BufReader::new(
        child
            .stdout
            .take()
            .ok_or("git's output could not be read")?,
    );
    let mut blobs = Vec::with_capacity(objects.len());
    for _ in objects {
        let mut head = String::new();
        if out.read_line(&mut head).map_err(|e| e.to_string())? == 0 {
            break;
        }
        let parts: Vec<&str> = head.split_whitespace().collect();
        match parts.as_slice() {
            [_, kind, size] => {
                let size: usize = size.parse().map_err(|_| "git answered oddly")?;
                let mut body = vec![0; size + 1];
                out.read_exact(&mut body).map_err(|e| e.to_string())?;
                body.pop();
                blobs.push((*kind == "blob").then_some(body));
            }
            _ => blobs.push(None),
        }
    }
    let _ = writer.join();
    let _ = child.wait();
    if blobs.len() != objects.len() {
        return Err("git stopped answering".into());
    }
    Ok(blobs)
}

/// What differs between the files at the approved commit and today's.
fn compare(
    root: &Path,
    files: &[(String, String)],
    then: &[Option<Vec<u8>>],
    commit: &str,
    date: &str,
) -> Vec<String> {
    let mut changed: Vec<String> = vec![];
    for ((rel, _), was) in files.iter().zip(then) {
        let now = std::fs::read(root.join(rel)).ok();
        match (was, &now) {
            (None, Some(_)) => changed.push(format!("{rel} is new")),
            (Some(_), None) => changed.push(format!("{rel} was removed")),
            (Some(a), Some(b)) if a != b => {
                if hashed(rel) == Some(true) {
                    let values = yaml_changes(a, b);
                    if values.is_empty() {
                        // Only comments, layout or the approvals changed.
                        continue;
                    }
                    changed.extend(values.into_iter().map(|v| format!("{rel}: {v}")));
                } else {
                    changed.push(format!("{rel} changed"));
                }
            }
            _ => {}
        }
    }
    let short = &commit[..commit.len().min(12)];
    let mut notes = vec![format!(
        "the approved data is commit {short} ({date}); changed since: {}",
        if changed.is_empty() {
            "only the layout or comments of its files".to_string()
        } else {
            changed
                .iter()
                .take(SHOWN)
                .cloned()
                .collect::<Vec<_>>()
                .join("; ")
        }
    )];
    if changed.len() > SHOWN {
        notes.push(format!("and {} more changes", changed.len() - SHOWN));
    }
    notes
}

/// Value paths that differ between two YAML texts, as `tests.suites[0].passed: 116 → 114`.
fn yaml_changes(was: &[u8], now: &[u8]) -> Vec<String> {
    let parse = |b: &[u8]| -> Option<serde_json::Value> {
        let text = String::from_utf8_lossy(b);
        serde_saphyr::from_str(&without_sections(&text, &["approvals", "outcome"])).ok()
    };
    let (Some(a), Some(b)) = (parse(was), parse(now)) else {
        return vec!["its text changed (one version does not parse)".into()];
    };
    let mut out = vec![];
    diff("", &a, &b, &mut out);
    out
}

fn diff(path: &str, a: &serde_json::Value, b: &serde_json::Value, out: &mut Vec<String>) {
    use serde_json::Value;
    let key = |k: &str| {
        if path.is_empty() {
            k.to_string()
        } else {
            format!("{path}.{k}")
        }
    };
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            // In today's order, then the keys that were removed.
            let mut order: Vec<&String> = y.keys().collect();
            order.extend(x.keys().filter(|k| !y.contains_key(*k)));
            for k in order {
                match (x.get(k), y.get(k)) {
                    (Some(p), Some(q)) => diff(&key(k), p, q, out),
                    (None, Some(q)) => out.push(format!("{} added ({})", key(k), shown(q))),
                    (Some(p), None) => out.push(format!("{} removed (was {})", key(k), shown(p))),
                    (None, None) => {}
                }
            }
        }
        (Value::Array(x), Value::Array(y)) if x.len() == y.len() => {
            for (i, (p, q)) in x.iter().zip(y).enumerate() {
                diff(&format!("{path}[{i}]"), p, q, out);
            }
        }
        (Value::Array(x), Value::Array(y)) => {
            out.push(format!("{path}: {} items, were {}", y.len(), x.len()))
        }
        _ if a != b => out.push(format!("{path} {} → {}", shown(a), shown(b))),
        _ => {}
    }
}

/// A value as a finding quotes it: scalars as written, collections by size.
fn shown(v: &serde_json::Value) -> String {
    use serde_json::Value;
    let s = match v {
        Value::String(s) => s.clone(),
        Value::Array(a) => format!("{} items", a.len()),
        Value::Object(o) => format!("{} fields", o.len()),
        other => other.to_string(),
    };
    if s.chars().count() > 60 {
        s.chars().take(59).chain(['…']).collect()
    } else {
        s
    }
}
