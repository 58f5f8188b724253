//! Finds the data files, deserializes them with line/column kept, and merges the
//! files of each release. Problems in the data are diagnostics; only an unreadable
//! data folder is an `Err`.

use crate::diag::{Diagnostic, Loc, SourceFile};
use crate::model::*;
use anyhow::{Context, Result, bail};
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

/// A section of a release with the file it came from.
#[derive(Debug)]
pub struct Sec<T> {
    pub file: usize,
    pub v: T,
}

#[derive(Debug)]
pub struct Release {
    pub id: String,
    pub info: Sec<ReleaseInfo>,
    pub tz: chrono_tz::Tz,
    pub tests: Option<Sec<Tests>>,
    pub metrics: Option<Sec<Vec<Metric>>>,
    pub approvals: Option<Sec<Approvals>>,
    pub risks: Option<Sec<Risks>>,
    pub checklists: Option<Sec<Vec<Node>>>,
    pub policy: Option<Sec<Policy>>,
    pub runbook: Option<Sec<Runbook>>,
    pub rollback: Option<Sec<Rollback>>,
    pub contacts: Option<Sec<Contacts>>,
    pub monitoring: Option<Sec<Monitoring>>,
    pub communications: Option<Sec<Vec<Template>>>,
    pub narrative: Option<Sec<Vec<Narrative>>>,
    pub outcome: Option<Sec<Outcome>>,
    /// Filled by the ingest stage: each suite's results (from reports or as typed).
    pub suite_results: Vec<crate::ingest::SuiteResult>,
    /// Filled by the ingest stage: each metric's actual value (from JSON or as typed).
    pub metric_actuals: Vec<Option<crate::amount::Amount>>,
    /// Narrative Markdown files of the release (`*.md` in its folder).
    pub narrative_files: Vec<NarrativeFile>,
    /// Every file the release was built from (absolute): its YAML and Markdown, the site
    /// file, and (added by the ingest stage) its reports and JSON files.
    pub inputs: Vec<PathBuf>,
    /// SHA-256 over `inputs`, shortened: printed on every page of the sign-off sheet.
    pub fingerprint: String,
    /// Set by the ingest stage from the policy: an approval counts only with the
    /// fingerprint it approves.
    pub fingerprint_required: bool,
    /// Sections that could not be read (each a GN0001 already): the checks that need
    /// the whole release (the decision, trends, narrative) are not run.
    pub unread: Vec<String>,
}

/// A Markdown file of narrative: its title is its first `# heading`, else its name.
#[derive(Debug)]
pub struct NarrativeFile {
    pub file: usize,
    pub title: String,
    /// Byte offset in the file where the body (after the title line) starts.
    pub body_start: usize,
}

impl Release {
    /// Whether `section` was read (and, for `tests`, every report of it).
    pub fn readable(&self, section: &str) -> bool {
        !self.unread.iter().any(|s| s == section)
    }

    /// The top-level nodes of every tree (checklists, runbook phases, rollback steps),
    /// with their file and whether they are checklist items.
    pub fn trees(&self) -> Vec<(usize, &Node, bool)> {
        let mut out = vec![];
        if let Some(c) = &self.checklists {
            out.extend(c.v.iter().map(|n| (c.file, n, true)));
        }
        if let Some(rb) = &self.runbook {
            out.extend(rb.v.phases.iter().map(|n| (rb.file, n, false)));
        }
        if let Some(rb) = &self.rollback {
            out.extend(rb.v.steps.iter().map(|n| (rb.file, n, false)));
        }
        out
    }
}

pub struct Project {
    /// Release files read and parsed ahead, in parallel, by [`load`].
    prefetched: HashMap<PathBuf, Prefetched>,
    /// With `--release`: the ids to render (others are loaded only to compare with).
    pub rendered: Option<Vec<String>>,
    /// The release each source file belongs to (none: the site file).
    pub file_owner: Vec<Option<String>>,
    pub site: Option<Sec<SiteConfig>>,
    pub releases: Vec<Release>,
    pub sources: Vec<SourceFile>,
    pub diagnostics: Vec<Diagnostic>,
    /// The data folder: every file read lies inside it ([`crate::inside`]).
    pub root: crate::inside::Root,
}

pub fn load(data: &Path) -> Result<Project> {
    load_with(data, None)
}

/// Release files parsed by earlier loads, by path, with the text each was parsed
/// from: `serve` keeps one across rebuilds, so a file whose text is the same is
/// cloned instead of parsed again (parsing is most of a rebuild's time). Files that
/// did not parse are not kept; paths not seen by the last load are dropped.
#[derive(Default)]
pub struct Parsed {
    files: std::sync::Mutex<HashMap<PathBuf, (String, ReleaseFile)>>,
    /// Files taken from the memo and files parsed, since [`Parsed::counts`].
    reused: std::sync::atomic::AtomicUsize,
    parsed: std::sync::atomic::AtomicUsize,
}

impl Parsed {
    fn files(&self) -> std::sync::MutexGuard<'_, HashMap<PathBuf, (String, ReleaseFile)>> {
        // A panic elsewhere while it was held leaves the map as it was: still usable.
        self.files.lock().unwrap_or_else(|e| e.into_inner())
    }
    fn get(&self, path: &Path, text: &str) -> Option<ReleaseFile> {
        let file = self
            .files()
            .get(path)
            .and_then(|(was, file)| (was == text).then(|| file.clone()));
        let counter = if file.is_some() {
            &self.reused
        } else {
            &self.parsed
        };
        counter.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        file
    }
    fn put(&self, path: &Path, text: &str, file: &ReleaseFile) {
        self.files()
            .insert(path.to_path_buf(), (text.to_string(), file.clone()));
    }
    fn keep_only(&self, paths: &[&PathBuf]) {
        let keep: std::collections::HashSet<&Path> = paths.iter().map(|p| p.as_path()).collect();
        self.files().retain(|p, _| keep.contains(p.as_path()));
    }
    /// Release files reused and release files parsed since the last call.
    pub fn counts(&self) -> (usize, usize) {
        use std::sync::atomic::Ordering::Relaxed;
        (self.reused.swap(0, Relaxed), self.parsed.swap(0, Relaxed))
    }
}

/// [`load`], taking release files whose text is unchanged from `parsed`.
pub fn load_with(data: &Path, parsed: Option<&Parsed>) -> Result<Project> {
    let meta = std::fs::metadata(data)
        .with_context(|| format!("cannot read the data folder {}", data.display()))?;
    if !meta.is_dir() {
        bail!("{} is not a folder", data.display());
    }
    let root = crate::inside::Root::new(data, "the data folder")
        .with_context(|| format!("cannot read the data folder {}", data.display()))?;
    let mut p = Project::empty(root);
    let site_path = data.join("gonogo.yaml");
    if !site_path.exists() && !data.join("releases").is_dir() {
        bail!(
            "{} has neither gonogo.yaml nor a releases/ folder; is --data pointing at the right folder?",
            data.display()
        );
    }
    if site_path.exists()
        && let Some((file, cfg)) = p.parse_file::<SiteConfig>(&site_path)?
    {
        p.site = Some(Sec { file, v: cfg });
    }
    let site_tz = p
        .site
        .as_ref()
        .and_then(|s| s.v.timezone.as_ref().map(|t| (s.file, t.clone())));
    let default_tz = site_tz.and_then(|(file, t)| p.check_tz(file, &t));

    let releases_dir = data.join("releases");
    if !releases_dir.is_dir() {
        return Ok(p);
    }
    // Release id -> its YAML files and its Markdown narrative files, in a stable order.
    let mut groups: BTreeMap<String, Vec<PathBuf>> = BTreeMap::new();
    let mut narratives: BTreeMap<String, Vec<PathBuf>> = BTreeMap::new();
    let mut entries: Vec<_> = std::fs::read_dir(&releases_dir)
        .with_context(|| format!("cannot list {}", releases_dir.display()))?
        .collect::<Result<_, _>>()
        .with_context(|| format!("cannot list {}", releases_dir.display()))?;
    entries.sort_by_key(|e| e.file_name());
    for entry in entries {
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().to_string();
        let is_dir = path.is_dir();
        if name.starts_with('.') {
            // A hidden release would be skipped without a word: it is refused instead.
            // Other hidden files (`.DS_Store`, an editor's swap file) are not data.
            // By name: `.yaml` has no extension to Rust's `Path`, but is a YAML file.
            let data_name = |n: &std::ffi::OsStr| {
                let n = n.to_string_lossy();
                [".yaml", ".yml", ".md", ".markdown"]
                    .iter()
                    .any(|x| n.ends_with(x))
            };
            let holds_data = if is_dir {
                std::fs::read_dir(&path)
                    .is_ok_and(|mut d| d.any(|e| e.is_ok_and(|e| data_name(&e.file_name()))))
            } else {
                data_name(entry.file_name().as_os_str())
            };
            if holds_data {
                let at = p.named(&path);
                p.diagnostics.push(
                    Diagnostic::error(
                        "GN0004",
                        format!(
                            "{} is hidden (its name starts with `.`), so it would be skipped; release ids cannot start with `.`",
                            display_path(&path).display()
                        ),
                    )
                    .note("rename it without the leading dot")
                    .at(at),
                );
            }
            continue;
        }
        if is_dir {
            if let Err(why) = p.root.dir(&path) {
                let at = p.named(&path);
                p.diagnostics.push(Diagnostic::error("GN0004", why).at(at));
                continue;
            }
            // Every entry with a data file's name, whatever it is: reading it refuses a
            // folder, a FIFO or a link out with a finding instead of skipping it.
            let mut files: Vec<PathBuf> = walkdir::WalkDir::new(&path)
                .min_depth(1)
                .max_depth(1)
                .sort_by_file_name()
                .into_iter()
                .filter_map(|e| e.ok())
                .map(|e| e.into_path())
                .filter(|f| is_yaml(f) || is_markdown(f))
                .collect();
            files.sort();
            let (md, yaml): (Vec<PathBuf>, Vec<PathBuf>) =
                files.into_iter().partition(|f| is_markdown(f));
            narratives.entry(name.clone()).or_default().extend(md);
            groups.entry(name).or_default().extend(yaml);
        } else if is_yaml(&path) || is_markdown(&path) {
            let id = name
                .rsplit_once('.')
                .map(|(s, _)| s.to_string())
                .unwrap_or(name);
            if is_yaml(&path) {
                groups.entry(id).or_default().push(path);
            } else {
                narratives.entry(id).or_default().push(path);
            }
        }
    }
    // Two ids that differ only in case would write one output folder on the file
    // systems of macOS and Windows: whichever came last would silently win there.
    let mut lower: BTreeMap<String, Vec<&String>> = BTreeMap::new();
    for id in groups.keys() {
        lower.entry(id.to_ascii_lowercase()).or_default().push(id);
    }
    let clashes: Vec<Vec<String>> = lower
        .values()
        .filter(|v| v.len() > 1)
        .map(|v| v.iter().map(|s| s.to_string()).collect())
        .collect();
    for same in clashes {
        let names: Vec<String> = same.iter().map(|s| format!("`{s}`")).collect();
        // At a file of the second name, or at its folder when it holds no YAML (a
        // folder of narrative or reports alone: found by fuzzing, it panicked here).
        let file = same[1..]
            .iter()
            .chain(&same[..1])
            .find_map(|id| groups[id].first().cloned())
            .unwrap_or_else(|| releases_dir.join(&same[1]));
        let at = p.named(&file);
        p.diagnostics.push(
            Diagnostic::error(
                "GN0004",
                format!(
                    "releases {} differ only in case: they would write the same output folder on case-insensitive file systems",
                    names.join(" and ")
                ),
            )
            .note("rename one of them")
            .at(at),
        );
    }
    // Reading and parsing is most of a cold build: every release file is parsed in
    // parallel first, then assembled in order as before.
    let all: Vec<&PathBuf> = groups.values().flatten().collect();
    p.prefetched = prefetch(&p.root, &all, parsed);
    if let Some(memo) = parsed {
        memo.keep_only(&all);
    }
    for (id, files) in groups {
        let first_file = p.sources.len();
        let md = narratives.remove(&id).unwrap_or_default();
        if let Some(mut r) = p.load_release(&id, &files, default_tz)? {
            for path in md {
                if let Some(n) = p.read_narrative(&path)? {
                    r.narrative_files.push(n);
                    r.inputs.push(absolute(&path));
                }
            }
            if site_path.exists() {
                r.inputs.push(absolute(&site_path));
            }
            p.releases.push(r);
        }
        p.file_owner.resize(first_file, None);
        p.file_owner.resize(p.sources.len(), Some(id.clone()));
    }
    p.file_owner.resize(p.sources.len(), None);
    Ok(p)
}

/// One release file, `releases/<id>.yaml` under `root`, loaded from `bytes` as
/// [`load`] loads it from the file, without reading or listing anything: the fuzz
/// targets' way in (reports it names are still read from under `root`).
pub fn load_bytes(root: crate::inside::Root, id: &str, bytes: Vec<u8>) -> Result<Project> {
    let path = root.path().join("releases").join(format!("{id}.yaml"));
    let mut p = Project::empty(root);
    p.prefetched
        .insert(path.clone(), parse_bytes(&path, bytes, None));
    if let Some(r) = p.load_release(id, &[path], None)? {
        p.releases.push(r);
    }
    p.file_owner = vec![Some(id.to_string()); p.sources.len()];
    Ok(p)
}

/// Why `id` cannot be a release id: the one rule for `check` and `gonogo new`.
pub fn release_id_problem(id: &str) -> std::result::Result<(), String> {
    if id.is_empty()
        || !id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'))
    {
        return Err(format!(
            "release id `{id}` may only use letters, digits, `.`, `_` and `-`"
        ));
    }
    // Ids become folder names next to the site's own files; a hidden one would be
    // skipped by the loader.
    let lower = id.to_ascii_lowercase();
    if lower.starts_with('.') {
        return Err(format!(
            "release id `{id}` starts with `.`: it would be a hidden folder, skipped; rename the release"
        ));
    }
    if lower == "assets" || [".html", ".md", ".json"].iter().any(|e| lower.ends_with(e)) {
        return Err(format!(
            "release id `{id}` would clash with the site's own files; rename the release"
        ));
    }
    Ok(())
}

fn is_markdown(p: &Path) -> bool {
    matches!(
        p.extension().and_then(|e| e.to_str()),
        Some("md" | "markdown")
    )
}

fn is_yaml(p: &Path) -> bool {
    matches!(p.extension().and_then(|e| e.to_str()), Some("yaml" | "yml"))
}

fn absolute(p: &Path) -> PathBuf {
    std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf())
}

fn display_path(p: &Path) -> PathBuf {
    std::env::current_dir()
        .ok()
        .and_then(|cwd| p.strip_prefix(&cwd).ok().map(Path::to_path_buf))
        .unwrap_or_else(|| p.to_path_buf())
}

impl Project {
    /// A project of nothing yet, reading from `root`.
    fn empty(root: crate::inside::Root) -> Project {
        Project {
            root,
            prefetched: HashMap::new(),
            rendered: None,
            file_owner: vec![],
            site: None,
            releases: vec![],
            sources: vec![],
            diagnostics: vec![],
        }
    }

    /// Whether a release is rendered (with `--release`, only the named ones are).
    pub fn is_rendered(&self, r: &Release) -> bool {
        self.rendered.as_ref().is_none_or(|ids| ids.contains(&r.id))
    }

    /// The releases that are rendered.
    pub fn rendered_releases(&self) -> impl Iterator<Item = &Release> {
        self.releases.iter().filter(|r| self.is_rendered(r))
    }

    /// Id and data fingerprint of each rendered release, as `check` prints them.
    pub fn fingerprints(&self) -> Vec<(String, String)> {
        self.rendered_releases()
            .map(|r| (r.id.clone(), r.fingerprint.clone()))
            .collect()
    }

    /// A release file: parsed ahead by [`prefetch`] when possible.
    fn parse_release_file(&mut self, path: &Path) -> Result<Option<(usize, ReleaseFile)>> {
        let Some(pre) = self.prefetched.remove(path) else {
            return self.parse_file::<ReleaseFile>(path);
        };
        match pre {
            Prefetched::Unreadable(why) => Ok(self.unreadable(path, why)),
            Prefetched::Parsed(text, parsed) => {
                let file = self.sources.len();
                self.add_source(path, text);
                match parsed {
                    Ok(v) => Ok(Some((file, *v))),
                    Err(e) => {
                        self.diagnostics.push(crate::mistakes::yaml_error(
                            file,
                            &self.sources[file].text,
                            &e,
                        ));
                        Ok(None)
                    }
                }
            }
            Prefetched::Partial(text, v, errors) => {
                let file = self.sources.len();
                self.add_source(path, text);
                for (i, (section, e)) in errors.iter().enumerate() {
                    let mut d = crate::mistakes::yaml_error(file, &self.sources[file].text, e);
                    // Said once per section, at its first invalid value.
                    if i == 0 || errors[i - 1].0 != *section {
                        d = d.note(format!(
                            "the `{section}:` section is left out of this run; checks that need it (and the decision) are not run"
                        ));
                    }
                    self.diagnostics.push(d);
                }
                Ok(Some((file, *v)))
            }
        }
    }

    /// Reads and deserializes one file; a problem in it becomes a diagnostic.
    fn parse_file<T: serde::de::DeserializeOwned>(
        &mut self,
        path: &Path,
    ) -> Result<Option<(usize, T)>> {
        let file = self.sources.len();
        let bytes = match self.root.read(path) {
            Ok(b) => b,
            Err(why) => return Ok(self.unreadable(path, why)),
        };
        let text = match String::from_utf8(bytes) {
            Ok(t) => t,
            Err(e) => {
                let why = format!(
                    "{} is not UTF-8 (invalid byte at offset {})",
                    path.display(),
                    e.utf8_error().valid_up_to()
                );
                return Ok(self.unreadable(path, why));
            }
        };
        self.add_source(path, text);
        let text = &self.sources[file].text;
        let options = yaml_options();
        match serde_saphyr::from_str_with_options::<T>(text, options) {
            Ok(v) => Ok(Some((file, v))),
            Err(e) => {
                let d = crate::mistakes::yaml_error(file, text, &e);
                self.diagnostics.push(d);
                Ok(None)
            }
        }
    }

    /// Reads a narrative Markdown file into the sources.
    fn read_narrative(&mut self, path: &Path) -> Result<Option<NarrativeFile>> {
        let bytes = match self.root.read(path) {
            Ok(b) => b,
            Err(why) => return Ok(self.unreadable(path, why)),
        };
        let Ok(text) = String::from_utf8(bytes) else {
            return Ok(self.unreadable(path, format!("{} is not UTF-8", path.display())));
        };
        let file = self.sources.len();
        let first = text.lines().next().unwrap_or("");
        let (title, body_start) = match first.strip_prefix("# ") {
            Some(t) => (
                t.trim().to_string(),
                first.len() + usize::from(text.len() > first.len()),
            ),
            None => (
                path.file_stem()
                    .map(|s| s.to_string_lossy().replace(['-', '_'], " "))
                    .unwrap_or_default(),
                0,
            ),
        };
        self.add_source(path, text);
        Ok(Some(NarrativeFile {
            file,
            title,
            body_start,
        }))
    }

    /// Keeps a file's text for messages, and reports characters in it that make
    /// text read differently from how it is stored: bidirectional overrides and
    /// isolates (a printed sheet could show another order than what was checked),
    /// and invisible characters between ordinary ones ("1\u{200B}00").
    fn add_source(&mut self, path: &Path, text: String) -> usize {
        let file = self.sources.len();
        let mut found = 0;
        // Every character looked for is encoded in UTF-8 from a lead byte 0xE1 (U+180E),
        // 0xE2 (U+200B..U+2069) or 0xEF (U+FEFF): a line without one has none.
        // So are control characters (a NUL byte, an escape; C1 controls start with 0xC2)
        // but tab and carriage return.
        let suspect = |line: &str| {
            line.bytes().any(|b| {
                matches!(b, 0xC2 | 0xE1 | 0xE2 | 0xEF)
                    || (b < 0x20 && b != b'\t' && b != b'\r')
                    || b == 0x7F
            })
        };
        for (i, line) in text.lines().enumerate().filter(|(_, l)| suspect(l)) {
            let chars: Vec<char> = line.chars().collect();
            for (col, c) in chars.iter().enumerate() {
                let bidi = matches!(*c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}');
                let invisible = matches!(*c, '\u{200B}' | '\u{2060}' | '\u{180E}')
                    || (*c == '\u{FEFF}' && (i, col) != (0, 0));
                // Joiners shape scripts and emoji; between plain ASCII they only hide.
                let ascii_around = |k: Option<&char>| k.is_none_or(|x| x.is_ascii());
                let joiner = matches!(*c, '\u{200C}' | '\u{200D}')
                    && ascii_around(col.checked_sub(1).and_then(|k| chars.get(k)))
                    && ascii_around(chars.get(col + 1));
                let control = c.is_control() && !matches!(*c, '\t' | '\r') && (*c as u32) < 0xA0;
                if !(bidi || invisible || joiner || control) {
                    continue;
                }
                found += 1;
                if found > 5 {
                    continue;
                }
                let what = if bidi {
                    "a bidirectional control character"
                } else if control {
                    "a control character"
                } else {
                    "an invisible character"
                };
                self.diagnostics.push(
                    Diagnostic::error(
                        "GN0001",
                        format!("{what} (U+{:04X}) in the data", *c as u32),
                    )
                    .at(Loc {
                        file,
                        line: i as u64 + 1,
                        col: col as u64 + 1,
                        len: 1,
                    })
                    .note(
                        "it can make the text read differently from what gonogo checked; remove it",
                    ),
                );
            }
        }
        self.sources.push(SourceFile {
            path: display_path(path),
            abs: absolute(path),
            text,
        });
        file
    }

    /// Records a file that cannot be parsed at all (too big, not UTF-8).
    fn unreadable<T>(&mut self, path: &Path, why: String) -> Option<T> {
        let at = self.named(path);
        self.diagnostics
            .push(Diagnostic::error("GN0001", why).at(at));
        None
    }

    /// A path a finding is about as a whole (a file not read, a folder): named among
    /// the sources, with no text, so that every finding has a file.
    fn named(&mut self, path: &Path) -> Loc {
        self.sources.push(SourceFile {
            path: display_path(path),
            abs: absolute(path),
            text: String::new(),
        });
        Loc::whole(self.sources.len() - 1)
    }

    fn check_tz(&mut self, file: usize, name: &S<String>) -> Option<chrono_tz::Tz> {
        match name.value.parse::<chrono_tz::Tz>() {
            Ok(tz) => Some(tz),
            Err(_) => {
                let mut d = Diagnostic::error(
                    "GN0003",
                    format!("`{}` is not an IANA time zone", name.value),
                )
                .at(Loc::of(file, name));
                if let Some(s) = crate::mistakes::tz_suggestion(&name.value) {
                    d = d.note(format!("did you mean `{s}`?"));
                }
                self.diagnostics.push(d);
                None
            }
        }
    }

    fn load_release(
        &mut self,
        id: &str,
        paths: &[PathBuf],
        default_tz: Option<chrono_tz::Tz>,
    ) -> Result<Option<Release>> {
        let mut parts: Vec<(usize, ReleaseFile)> = vec![];
        let mut failed = false;
        let first = Loc::whole(self.sources.len());
        for path in paths {
            match self.parse_release_file(path)? {
                Some(part) => parts.push(part),
                None => failed = true,
            }
        }
        if let Err(why) = release_id_problem(id) {
            let d = Diagnostic::error("GN0004", why);
            self.diagnostics
                .push(if paths.is_empty() { d } else { d.at(first) });
            return Ok(None);
        }
        if failed {
            return Ok(None);
        }
        let unread: Vec<String> = parts.iter().flat_map(|(_, p)| p.unread.clone()).collect();
        let mut seen: BTreeMap<&'static str, usize> = BTreeMap::new();
        macro_rules! take {
            ($field:ident) => {{
                let mut out: Option<Sec<_>> = None;
                for (file, part) in parts.iter_mut() {
                    if let Some(v) = part.$field.take() {
                        let name = stringify!($field);
                        if let Some(prev) = seen.get(name) {
                            self.diagnostics.push(Diagnostic::error(
                                "GN0002",
                                format!(
                                    "section `{name}` of release `{id}` is defined in both {} and {}",
                                    self.sources[*prev].path.display(),
                                    self.sources[*file].path.display()
                                ),
                            ));
                            failed = true;
                        } else {
                            seen.insert(name, *file);
                            out = Some(Sec { file: *file, v });
                        }
                    }
                }
                out
            }};
        }
        let info = take!(release);
        let tests = take!(tests);
        let metrics = take!(metrics);
        let approvals = take!(approvals);
        let risks = take!(risks);
        let checklists = take!(checklists);
        let policy = take!(policy);
        let runbook = take!(runbook);
        let rollback = take!(rollback);
        let contacts = take!(contacts);
        let monitoring = take!(monitoring);
        let communications = take!(communications);
        let narrative = take!(narrative);
        let outcome = take!(outcome);
        let Some(info) = info else {
            if unread.iter().any(|s| s == "release") {
                // Reported already: the `release:` section could not be read.
                return Ok(None);
            }
            let d = Diagnostic::error(
                "GN0004",
                format!("release `{id}` has no `release:` section (with at least `product:`)"),
            )
            .note(
                "add one, e.g. `release: { product: Example service, deploy: 2026-03-05 06:00 }`",
            );
            self.diagnostics
                .push(if paths.is_empty() { d } else { d.at(first) });
            return Ok(None);
        };
        if failed {
            return Ok(None);
        }
        let tz = match info.v.timezone.as_ref() {
            Some(t) => self.check_tz(info.file, t),
            None => default_tz.or(Some(chrono_tz::UTC)),
        };
        let Some(tz) = tz else { return Ok(None) };
        Ok(Some(Release {
            id: id.to_string(),
            info,
            tz,
            tests,
            metrics,
            approvals,
            risks,
            checklists,
            policy,
            runbook,
            rollback,
            contacts,
            monitoring,
            communications,
            narrative,
            outcome,
            suite_results: vec![],
            metric_actuals: vec![],
            narrative_files: vec![],
            unread,
            inputs: paths.iter().map(|p| absolute(p)).collect(),
            fingerprint: String::new(),
            fingerprint_required: false,
        }))
    }
}

pub use crate::mistakes::did_you_mean;

/// How every data file is read: YAML 1.2 booleans only, and aliases bounded far
/// below what an alias bomb needs (a readiness file replays a few hundred events at
/// most), so a bomb is refused after a few thousand nodes, in milliseconds.
fn yaml_options() -> serde_saphyr::Options {
    let mut o = serde_saphyr::options! { with_snippet: false, strict_booleans: true };
    o.alias_limits.max_total_replayed_events = 20_000;
    o.alias_limits.max_replay_stack_depth = 16;
    o.alias_limits.max_alias_expansions_per_anchor = 1_000;
    // `<<` merge keys are YAML 1.1, not 1.2, and two of them in one mapping are
    // resolved silently by precedence: a value would come from a place the reader did
    // not look. Refused, like YAML 1.1 booleans.
    o.merge_keys = serde_saphyr::MergeKeyPolicy::Error;
    o
}

/// A release file read and parsed ahead of assembly.
enum Prefetched {
    Unreadable(String),
    /// Read section by section: the sections that read, and each other one's error.
    Partial(String, Box<ReleaseFile>, Vec<(String, serde_saphyr::Error)>),
    Parsed(
        String,
        std::result::Result<Box<ReleaseFile>, serde_saphyr::Error>,
    ),
}

/// Reads and parses `paths` on all cores. I/O errors are left for the ordinary path
/// to report.
fn prefetch(
    root: &crate::inside::Root,
    paths: &[&PathBuf],
    parsed: Option<&Parsed>,
) -> HashMap<PathBuf, Prefetched> {
    crate::par::map_with(
        paths,
        || (),
        |_, path| prefetch_one(root, path, parsed).map(|pre| ((*path).clone(), pre)),
    )
    .into_iter()
    .flatten()
    .collect()
}

fn prefetch_one(
    root: &crate::inside::Root,
    path: &Path,
    memo: Option<&Parsed>,
) -> Option<Prefetched> {
    let bytes = match root.read(path) {
        Ok(b) => b,
        Err(why) => return Some(Prefetched::Unreadable(why)),
    };
    Some(parse_bytes(path, bytes, memo))
}

/// A release file's bytes, decoded and parsed (by section where the whole fails).
fn parse_bytes(path: &Path, bytes: Vec<u8>, memo: Option<&Parsed>) -> Prefetched {
    let text = match String::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            return Prefetched::Unreadable(format!(
                "{} is not UTF-8 (invalid byte at offset {})",
                path.display(),
                e.utf8_error().valid_up_to()
            ));
        }
    };
    if let Some(file) = memo.and_then(|m| m.get(path, &text)) {
        return Prefetched::Parsed(text, Ok(Box::new(file)));
    }

    let options = yaml_options();
    let parsed = serde_saphyr::from_str_with_options::<ReleaseFile>(&text, options).map(Box::new);
    if let (Some(m), Ok(file)) = (memo, &parsed) {
        m.put(path, &text, file);
    }
    if parsed.is_err()
        && let Some((file, errors)) = read_by_section(&text)
    {
        return Prefetched::Partial(text, Box::new(file), errors);
    }
    Prefetched::Parsed(text, parsed)
}

/// The top-level sections of a block-style YAML file: (key, first line, end line),
/// 0-based, end exclusive. None when the file is not laid out so (flow style at the
/// top, several documents, a quoted key): then it is read whole.
fn top_level_sections(lines: &[&str]) -> Option<Vec<(String, usize, usize)>> {
    let mut starts: Vec<(String, usize)> = vec![];
    for (i, l) in lines.iter().enumerate() {
        let l = l.trim_end_matches('\r');
        if l.is_empty() || l.starts_with([' ', '\t', '#']) {
            continue;
        }
        let key: String = l
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-'))
            .collect();
        let rest = &l[key.len()..];
        if key.is_empty() || !(rest == ":" || rest.starts_with(": ") || rest.starts_with(":\t")) {
            return None;
        }
        starts.push((key, i));
    }
    let ends: Vec<usize> = starts
        .iter()
        .skip(1)
        .map(|(_, i)| *i)
        .chain([lines.len()])
        .collect();
    Some(
        starts
            .into_iter()
            .zip(ends)
            .map(|((k, s), e)| (k, s, e))
            .collect(),
    )
}

/// A release file that does not read whole, read one top-level section at a time, so
/// one invalid value does not hide the rest of the release: the sections that read,
/// and the errors of each section that does not (at their own lines and columns:
/// each section is read at its place in the file). None when reading by section finds
/// no error of its own (a duplicate section, an alias across sections): the error of
/// the whole file stands.
fn read_by_section(text: &str) -> Option<(ReleaseFile, Vec<(String, serde_saphyr::Error)>)> {
    let lines: Vec<&str> = text.split('\n').collect();
    let sections = top_level_sections(&lines)?;
    let mut file = ReleaseFile::default();
    let mut errors = vec![];
    for (key, start, end) in sections {
        match read_section(&lines, start, end) {
            Ok(f) => file.absorb(f),
            Err(errs) => {
                file.unread.push(key.clone());
                errors.extend(errs.into_iter().map(|e| (key.clone(), e)));
            }
        }
    }
    (!errors.is_empty()).then_some((file, errors))
}

/// How many invalid values of one section are reported; past that, the rest of the
/// section is not searched (the section is left out either way).
const MAX_ERRORS_PER_SECTION: usize = 20;

/// A section longer than this (bytes) reports its first invalid value only: each
/// stand-in reads the section again, and a release's section is a few KB, so the
/// search stays bounded (at most about 200 readings of 256 KiB) on any file.
const MAX_SEARCHED_SECTION: usize = 256 * 1024;

/// One top-level section, or every invalid value in it. After an invalid value the
/// section is read again with that value stood in for, to find the next one: each
/// mistake is one finding at its own place. A stand-in is only a way to read on: a
/// section with any invalid value is left out of the run whole (a check over part of
/// a section would report the part left out as a contradiction). Only errors about a
/// value are read past; a syntax error ends the search, since what follows it is
/// read differently by every guess.
fn read_section(
    lines: &[&str],
    start: usize,
    end: usize,
) -> std::result::Result<ReleaseFile, Vec<serde_saphyr::Error>> {
    let mut body: Vec<String> = lines[start..end].iter().map(|l| l.to_string()).collect();
    let searched = body.iter().map(|l| l.len() + 1).sum::<usize>() <= MAX_SEARCHED_SECTION;
    // The section at its place in the file, so locations are the file's own.
    let text = |body: &[String]| "\n".repeat(start) + &body.join("\n");
    let parse = |body: &[String]| {
        serde_saphyr::from_str_with_options::<ReleaseFile>(&text(body), yaml_options())
    };
    // Where the section's YAML itself stops reading, whatever the types: a stand-in
    // must leave that as it is, or it changed how the rest is read.
    let syntax = |body: &[String]| {
        serde_saphyr::from_str_with_options::<serde::de::IgnoredAny>(&text(body), yaml_options())
            .err()
            .map(|e| e.location().map(|l| (l.line(), l.column())))
    };
    // Needed only once a value fails to read; a section that reads costs one parse.
    let syntax_before = std::cell::OnceCell::new();
    let mut errors: Vec<serde_saphyr::Error> = vec![];
    let mut result = parse(&body);
    loop {
        let e = match result {
            Ok(f) if errors.is_empty() => return Ok(f),
            Ok(_) => return Err(errors),
            Err(e) => e,
        };
        let next = e
            .location()
            .map(|l| (l.line(), l.column()))
            .filter(|_| searched && errors.len() + 1 < MAX_ERRORS_PER_SECTION && is_value_error(&e))
            .and_then(|(line, col)| {
                let row = (line as usize).checked_sub(1 + start)?;
                stand_ins(body.get(row)?, col as usize, &e)
                    .into_iter()
                    .map(|replaced| {
                        let mut b = body.clone();
                        b[row] = replaced;
                        if matches!(e, serde_saphyr::Error::SerdeUnknownField { .. }) {
                            // An unknown key goes with everything nested under it.
                            let children_of = indent(&body[row]);
                            let mut k = row + 1;
                            while k < b.len()
                                && (b[k].trim().is_empty() || indent(&b[k]) > children_of)
                            {
                                b[k].clear();
                                k += 1;
                            }
                        }
                        b
                    })
                    // A stand-in that only moves the error to an earlier place (a
                    // required value missing) or keeps it where it is does not help;
                    // nor does one that changes where the YAML itself stops reading
                    // (checked last: most stand-ins fail the cheaper test first).
                    .map(|b| {
                        let r = parse(&b);
                        (b, r)
                    })
                    .find(|(b, r)| {
                        let forward = match r {
                            Ok(_) => true,
                            Err(n) => n
                                .location()
                                .is_some_and(|l| (l.line(), l.column()) > (line, col)),
                        };
                        forward && syntax(b) == *syntax_before.get_or_init(|| syntax(&body))
                    })
            });
        errors.push(e);
        match next {
            Some((b, r)) => {
                body = b;
                result = r;
            }
            None => return Err(errors),
        }
    }
}

fn indent(line: &str) -> usize {
    line.len() - line.trim_start_matches(' ').len()
}

/// An error about one value (its type, its form, an unknown key), past which the rest
/// of a section can still be read.
fn is_value_error(e: &serde_saphyr::Error) -> bool {
    use serde_saphyr::Error as E;
    matches!(
        e,
        E::Message { .. }
            | E::ExternalMessage { .. }
            | E::InvalidScalar { .. }
            | E::InvalidBooleanStrict { .. }
            | E::NonFiniteFloat { .. }
            | E::NullIntoString { .. }
            | E::SerdeInvalidType { .. }
            | E::SerdeInvalidValue { .. }
            | E::SerdeUnknownVariant { .. }
            | E::SerdeUnknownField { .. }
    )
}

/// The line with the value at 1-based `col` replaced by each stand-in to try, in
/// order; an unknown key is blanked with its value. Only a scalar is stood in for:
/// one that ends its line (before a comment), or its entry in a flow `{ }` or `[ ]`.
fn stand_ins(line: &str, col: usize, e: &serde_saphyr::Error) -> Vec<String> {
    let Some(start) = line
        .char_indices()
        .nth(col.saturating_sub(1))
        .map(|(i, _)| i)
    else {
        return vec![];
    };
    let (head, rest) = line.split_at(start);
    let in_flow = head.contains(['{', '[']);
    // The end of a plain scalar (or of a key and its value) in flow context.
    let flow_end = |s: &str| s.find([',', '}', ']']).unwrap_or(s.len());
    if matches!(e, serde_saphyr::Error::SerdeUnknownField { .. }) {
        if !in_flow {
            return vec![head.to_string()];
        }
        let end = flow_end(rest);
        let after = rest[end..]
            .strip_prefix(',')
            .map_or(&rest[end..], str::trim_start);
        return vec![format!("{head}{after}")];
    }
    let end = match rest.chars().next() {
        Some(q @ ('"' | '\'')) => match rest[1..].find(q) {
            Some(i) => i + 2,
            None => return vec![],
        },
        Some(_) if in_flow => flow_end(rest),
        Some(_) => rest.find(" #").unwrap_or(rest.len()),
        None => return vec![],
    };
    let tail = &rest[end..];
    if !(in_flow || tail.trim().is_empty() || tail.trim_start().starts_with('#')) {
        return vec![];
    }
    ["~", "0", "\"\"", "[]", "{}"]
        .iter()
        .map(|s| format!("{head}{s}{tail}"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_near_keys_only() {
        assert_eq!(did_you_mean("pased", &["passed", "failed"]), Some("passed"));
        assert_eq!(did_you_mean("banana", &["passed", "failed"]), None);
    }
}
