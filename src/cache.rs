//! The record of the last `check` or `build` of a data folder, so a run whose inputs
//! have not changed is answered without parsing anything again.
//!
//! A record holds every file under the data folder (and under `--templates`) with its
//! SHA-256 and its stat stamp (size, modification and change times, inode), the
//! findings printed, the fingerprints, and for a build the stamps of every file
//! written. A later run walks the same folders: when every stamp is equal, or every
//! file whose stamp moved still has the recorded hash, nothing has changed and the
//! recorded answer is printed again. Anything else (a file added, removed or edited;
//! another gonogo binary, template, flag, output folder or `SOURCE_DATE_EPOCH`; an
//! output file touched; a record that does not verify) is a full run.
//!
//! A build that is not answered from the record still uses it: when the previous
//! build succeeded with the same binary, flags and output folder, and nothing outside
//! `releases/` changed (site file, templates), each release whose every output file
//! is as that build left it and whose facts (`facts.json`) are the same keeps its
//! pages, linked from the previous site instead of made again
//! ([`Cache::previous_pages`]).
//!
//! The record is written atomically and ends with the SHA-256 of its body: a torn or
//! edited record is ignored, never trusted. Findings that depend on the time of the
//! build (GN0902, a date after the build) are never answered from a record unless
//! `SOURCE_DATE_EPOCH` pins that time.

use crate::diag::{Diagnostic, Loc, Severity, SourceFile};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// Bumped whenever the record's meaning changes.
const FORMAT: u32 = 1;

/// Where records live: `GONOGO_CACHE_DIR`, else `$XDG_CACHE_HOME/gonogo`, else
/// `~/.cache/gonogo`. None when there is no home to keep it in.
/// The folder of the records: `GONOGO_CACHE_DIR`, else `$XDG_CACHE_HOME/gonogo`, else
/// `~/.cache/gonogo`.
pub fn dir() -> Option<PathBuf> {
    let var = |k: &str| {
        std::env::var_os(k)
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
    };
    var("GONOGO_CACHE_DIR")
        .or_else(|| var("XDG_CACHE_HOME").map(|d| d.join("gonogo")))
        .or_else(|| var("HOME").map(|d| d.join(".cache/gonogo")))
}

#[derive(Serialize, Deserialize, PartialEq, Eq, Clone, Debug)]
struct Stamp {
    path: String,
    len: u64,
    mtime: i64,
    ctime: i64,
    ino: u64,
}

#[derive(Serialize, Deserialize, Clone)]
struct Input {
    #[serde(flatten)]
    stamp: Stamp,
    sha: String,
}

#[derive(Serialize, Deserialize, Clone)]
struct CachedDiagnostic {
    code: String,
    error: bool,
    message: String,
    /// Index into `Record::sources`, line, column, length.
    loc: Option<(usize, u64, u64, u64)>,
    claimed: Option<String>,
    computed: Option<String>,
    notes: Vec<String>,
}

/// A file quoted by findings: shown path, absolute path, the quoted lines.
type Quoted = (PathBuf, PathBuf, Vec<(u64, String)>);

#[derive(Serialize, Deserialize, Clone)]
struct Record {
    format: u32,
    /// What ran: binary, command, flags, folders, pinned time.
    key: String,
    inputs: Vec<Input>,
    release_count: usize,
    /// Rendered releases and their data fingerprints.
    fingerprints: Vec<(String, String)>,
    /// Files quoted by the findings: shown path, absolute path, and the lines quoted
    /// (number, text): a finding shows its line, not the whole file.
    sources: Vec<Quoted>,
    diagnostics: Vec<CachedDiagnostic>,
    ok: bool,
    /// For a build: every file written, relative to the output folder.
    output: Vec<Stamp>,
    output_files: usize,
}

/// What a run is, beyond its input files.
pub struct Run<'a> {
    pub command: &'a str,
    pub data: &'a Path,
    pub templates: Option<&'a Path>,
    pub out: Option<&'a Path>,
    pub releases: &'a [String],
    pub deny: String,
}

/// A run answered from its record.
pub struct Hit {
    pub release_count: usize,
    pub fingerprints: Vec<(String, String)>,
    pub sources: Vec<SourceFile>,
    pub diagnostics: Vec<Diagnostic>,
    pub ok: bool,
    pub output_files: usize,
}

/// A run being prepared: the record's file and the key of this run.
pub struct Cache {
    file: PathBuf,
    key: String,
    roots: Vec<PathBuf>,
    /// The inputs' stamps when the run began (taken by [`Cache::lookup`]): a run during
    /// which an input changed is not recorded, since it may have read either version.
    before: std::sync::Mutex<Option<Vec<Stamp>>>,
    /// The output folder (absolute), left out of the inputs when it is inside the data
    /// folder (`--data . --out site`).
    out: Option<PathBuf>,
    /// The record as this run found it, read once (lookup, the pages a build keeps and
    /// the hashes a new record takes over all read it).
    last: std::sync::OnceLock<Option<Record>>,
}

use crate::write::manifest::hex;

fn abs(p: &Path) -> PathBuf {
    std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf())
}

impl Cache {
    /// None when caching is off (`--no-cache`, no cache folder).
    pub fn new(run: &Run, enabled: bool) -> Option<Cache> {
        if !enabled {
            return None;
        }
        let dir = dir()?;
        let data = abs(run.data);
        let out = run.out.map(abs);
        let templates = run.templates.map(abs);
        let exe = std::env::current_exe()
            .ok()
            .and_then(|e| stamp(&e, String::new()));
        let mut h = Sha256::new();
        for part in [
            format!("format {FORMAT}"),
            format!("gonogo {}", env!("CARGO_PKG_VERSION")),
            format!("binary {exe:?}"),
            format!("command {}", run.command),
            format!("data {}", data.display()),
            format!("out {out:?}"),
            format!("templates {templates:?}"),
            format!("releases {:?}", run.releases),
            format!("deny {}", run.deny),
            format!(
                "epoch {:?}",
                std::env::var("SOURCE_DATE_EPOCH")
                    .ok()
                    .filter(|s| !s.is_empty())
            ),
        ] {
            h.update(part.as_bytes());
            h.update([0]);
        }
        let key = hex(&h.finalize());
        let mut name = Sha256::new();
        name.update(format!("{}\0{}\0{out:?}", run.command, data.display()).as_bytes());
        let file = dir.join(format!("{}.json", &hex(&name.finalize())[..24]));
        let mut roots = vec![data];
        roots.extend(templates);
        let out = out.clone();
        Some(Cache {
            file,
            key,
            roots,
            before: Default::default(),
            out,
            last: Default::default(),
        })
    }

    /// The recorded answer, when nothing it depends on has changed.
    pub fn lookup(&self, out: Option<&Path>) -> Option<Hit> {
        let now = self.inputs();
        *self.before.lock().unwrap_or_else(|e| e.into_inner()) = Some(now.clone());
        let record = self.recorded()?;
        if record.format != FORMAT || record.key != self.key {
            return None;
        }
        let pinned = std::env::var("SOURCE_DATE_EPOCH").is_ok_and(|s| !s.is_empty());
        if !pinned && record.diagnostics.iter().any(|d| d.code == "GN0902") {
            return None;
        }
        // Same files, and each either stamped as before or with the same content.
        if now.len() != record.inputs.len() {
            return None;
        }
        let mut moved = false;
        for (s, was) in now.iter().zip(&record.inputs) {
            if s.path != was.stamp.path {
                return None;
            }
            if *s != was.stamp {
                moved = true;
                if sha_file(Path::new(&s.path))? != was.sha {
                    return None;
                }
            }
        }
        if let Some(out) = out
            && site_stamps(out) != record.output
        {
            return None;
        }
        let sources = record
            .sources
            .iter()
            .map(|(path, abs, lines)| SourceFile {
                path: path.clone(),
                abs: abs.clone(),
                text: sparse_text(lines),
            })
            .collect::<Vec<_>>();
        let mut diagnostics = vec![];
        for d in &record.diagnostics {
            let code = crate::diag::CATALOGUE
                .iter()
                .find(|r| r.code == d.code)?
                .code;
            diagnostics.push(Diagnostic {
                code,
                severity: if d.error {
                    Severity::Error
                } else {
                    Severity::Warning
                },
                message: d.message.clone(),
                loc: match d.loc {
                    Some((file, line, col, len)) if file < sources.len() => Some(Loc {
                        file,
                        line,
                        col,
                        len,
                    }),
                    Some(_) => return None,
                    None => None,
                },
                claimed: d.claimed.clone(),
                computed: d.computed.clone(),
                notes: d.notes.clone(),
            });
        }
        if moved {
            let mut record = record.clone();
            // Touched but unchanged: remember the new stamps so the next run is quick.
            for (input, s) in record.inputs.iter_mut().zip(now) {
                input.stamp = s;
            }
            self.write(&record);
        }
        Some(hit(record, sources, diagnostics))
    }

    /// Records this run: its inputs as they are now, what it found and, for a build,
    /// what it wrote. Failing to record is not an error: the next run is a full one.
    pub fn store(
        &self,
        p: &crate::load::Project,
        diagnostics: &[Diagnostic],
        ok: bool,
        out: Option<&Path>,
    ) {
        let stamps = self.inputs();
        let before = self.before.lock().unwrap_or_else(|e| e.into_inner()).take();
        if before.is_some_and(|b| b != stamps) {
            // An input changed while this run read the inputs: the next run is a full one.
            return;
        }
        // A file stamped as in the last record has the recorded hash (as `lookup` trusts);
        // only the others are read again.
        let known: HashMap<&str, &Input> = self
            .recorded()
            .map(|r| {
                r.inputs
                    .iter()
                    .map(|i| (i.stamp.path.as_str(), i))
                    .collect()
            })
            .unwrap_or_default();
        let shas = crate::par::map_with(
            &stamps,
            || (),
            |_, s| match known.get(s.path.as_str()) {
                Some(was) if was.stamp == *s => Some(was.sha.clone()),
                _ => sha_file(Path::new(&s.path)),
            },
        );
        let mut inputs = Vec::with_capacity(stamps.len());
        for (stamp, sha) in stamps.into_iter().zip(shas) {
            let Some(sha) = sha else { return };
            inputs.push(Input { stamp, sha });
        }
        // Each quoted file once, with the lines its findings quote.
        let mut quoted: Vec<(usize, std::collections::BTreeSet<u64>)> = vec![];
        let mut index = std::collections::HashMap::new();
        let mut cached = vec![];
        for d in diagnostics {
            let loc = d.loc.map(|l| {
                let i = *index.entry(l.file).or_insert_with(|| {
                    quoted.push((l.file, Default::default()));
                    quoted.len() - 1
                });
                quoted[i].1.insert(l.line);
                (i, l.line, l.col, l.len)
            });
            cached.push(CachedDiagnostic {
                code: d.code.to_string(),
                error: d.severity == Severity::Error,
                message: d.message.clone(),
                loc,
                claimed: d.claimed.clone(),
                computed: d.computed.clone(),
                notes: d.notes.clone(),
            });
        }
        let sources = quoted
            .into_iter()
            .map(|(file, wanted)| {
                let src = &p.sources[file];
                let lines = src
                    .text
                    .split('\n')
                    .zip(1u64..)
                    .filter(|(_, n)| wanted.contains(n))
                    .map(|(line, n)| (n, line.to_string()))
                    .collect();
                (src.path.clone(), src.abs.clone(), lines)
            })
            .collect();
        let output = out.map(site_stamps).unwrap_or_default();
        let record = Record {
            format: FORMAT,
            key: self.key.clone(),
            inputs,
            release_count: p.releases.len(),
            fingerprints: p.fingerprints(),
            sources,
            diagnostics: cached,
            ok,
            output_files: output.len(),
            output,
        };
        self.write(&record);
    }

    /// For a build not answered from its record: the files the previous build wrote
    /// under each release's folder, for the releases whose every file is still as it
    /// wrote them, when that build succeeded with the same binary, flags and output
    /// and every input outside `releases/` (the site file, templates) is unchanged.
    /// Such a release's pages can be kept when its facts are the same.
    pub fn previous_pages(&self, out: &Path) -> Option<HashMap<String, Vec<PathBuf>>> {
        let record = self.recorded()?;
        if record.format != FORMAT || record.key != self.key || !record.ok {
            return None;
        }
        let releases = self.roots.first()?.join("releases");
        let global = |path: &str| !Path::new(path).starts_with(&releases);
        // The inputs as `lookup` found them at the start of this run.
        let now: Vec<Stamp> = self
            .before
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
            .unwrap_or_else(|| self.inputs())
            .into_iter()
            .filter(|s| global(&s.path))
            .collect();
        let was: Vec<&Input> = record
            .inputs
            .iter()
            .filter(|i| global(&i.stamp.path))
            .collect();
        if now.len() != was.len() {
            return None;
        }
        for (s, w) in now.iter().zip(was) {
            if s.path != w.stamp.path || (*s != w.stamp && sha_file(Path::new(&s.path))? != w.sha) {
                return None;
            }
        }
        let current: HashMap<String, Stamp> = site_stamps(out)
            .into_iter()
            .map(|s| (s.path.clone(), s))
            .collect();
        let mut pages: HashMap<String, Vec<PathBuf>> = HashMap::new();
        let mut spoiled = std::collections::HashSet::new();
        for s in &record.output {
            let Some((id, _)) = s.path.split_once('/') else {
                continue;
            };
            if current.get(&s.path) != Some(s) {
                spoiled.insert(id.to_string());
            }
            pages
                .entry(id.to_string())
                .or_default()
                .push(PathBuf::from(&s.path));
        }
        pages.retain(|id, _| !spoiled.contains(id));
        Some(pages)
    }

    /// Every input file: all under the data folder and templates but the output.
    fn inputs(&self) -> Vec<Stamp> {
        walk(&self.roots, self.out.as_deref())
    }

    /// The record as this run found it.
    fn recorded(&self) -> Option<&Record> {
        self.last.get_or_init(|| self.read()).as_ref()
    }

    fn read(&self) -> Option<Record> {
        let text = std::fs::read_to_string(&self.file).ok()?;
        let (body, sum) = text.trim_end().rsplit_once('\n')?;
        if hex(&Sha256::digest(body.as_bytes())) != sum {
            return None;
        }
        serde_json::from_str(body).ok()
    }

    fn write(&self, record: &Record) {
        let Ok(body) = serde_json::to_string(record) else {
            return;
        };
        let sum = hex(&Sha256::digest(body.as_bytes()));
        if let Some(parent) = self.file.parent() {
            let _ = std::fs::create_dir_all(parent);
        }
        let _ = crate::write::atomic_file(&self.file, format!("{body}\n{sum}\n").as_bytes());
    }
}

fn hit(record: &Record, sources: Vec<SourceFile>, diagnostics: Vec<Diagnostic>) -> Hit {
    Hit {
        release_count: record.release_count,
        fingerprints: record.fingerprints.clone(),
        sources,
        diagnostics,
        ok: record.ok,
        output_files: record.output_files,
    }
}

/// A file's text with only the recorded lines, each at its own line number.
fn sparse_text(lines: &[(u64, String)]) -> String {
    let mut text = String::new();
    let mut at = 1;
    for (n, line) in lines {
        while at < *n {
            text.push('\n');
            at += 1;
        }
        text.push_str(line);
    }
    text
}

fn stamp(path: &Path, name: String) -> Option<Stamp> {
    use std::os::unix::fs::MetadataExt;
    let m = std::fs::metadata(path).ok()?;
    Some(Stamp {
        path: name,
        len: m.len(),
        mtime: m
            .mtime()
            .saturating_mul(1_000_000_000)
            .saturating_add(m.mtime_nsec()),
        ctime: m
            .ctime()
            .saturating_mul(1_000_000_000)
            .saturating_add(m.ctime_nsec()),
        ino: m.ino(),
    })
}

/// Every file under `roots` (links followed to their target's stamp), by path.
fn walk(roots: &[PathBuf], skip: Option<&Path>) -> Vec<Stamp> {
    let mut out = vec![];
    for root in roots {
        for e in walkdir::WalkDir::new(root)
            .sort_by_file_name()
            .into_iter()
            .filter_entry(|e| skip.is_none_or(|s| e.path() != s))
            .filter_map(Result::ok)
        {
            if e.file_type().is_dir() {
                continue;
            }
            let path = e.path();
            // A dangling link or unreadable file is stamped as missing: any change shows.
            out.push(
                stamp(path, path.to_string_lossy().into_owned()).unwrap_or(Stamp {
                    path: path.to_string_lossy().into_owned(),
                    len: 0,
                    mtime: -1,
                    ctime: -1,
                    ino: 0,
                }),
            );
        }
    }
    out
}

/// Every file gonogo wrote into the site at `root` (its manifest and the files it
/// lists), named relative to it; what the user keeps there is not gonogo's to watch.
fn site_stamps(root: &Path) -> Vec<Stamp> {
    let name = crate::write::manifest::NAME;
    let Some(Ok(m)) = crate::write::manifest::Manifest::read(root) else {
        return vec![];
    };
    std::iter::once(name)
        .chain(m.files.keys().map(String::as_str))
        .map(|rel| {
            stamp(&root.join(rel), rel.to_string()).unwrap_or(Stamp {
                path: rel.to_string(),
                len: 0,
                mtime: -1,
                ctime: -1,
                ino: 0,
            })
        })
        .collect()
}

fn sha_file(path: &Path) -> Option<String> {
    // A FIFO or device in the data folder is hashed as nothing (never opened for
    // reading, which would block); the loader refuses it with a finding.
    let Some(f) = crate::inside::open_if_regular(path) else {
        return Some(String::new());
    };
    crate::write::manifest::sha_reader(f).map(|s| hex(&s))
}
