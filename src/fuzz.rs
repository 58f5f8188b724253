//! Entry points for the cargo-fuzz targets under `fuzz/` and for the test that
//! replays their corpus (`tests/fuzz_corpus.rs`); not part of gonogo's interface.
//! Each takes arbitrary input: an error or a diagnostic is an answer, a panic (or a
//! failed invariant, asserted here) is a bug.

use crate::cli::{Color, CommonArgs, MessageFormat, Output};
use std::path::{Component, Path, PathBuf};
use std::sync::Mutex;

/// One release file, through what `gonogo check` does: the loader (size, UTF-8,
/// invisible characters, YAML with its alias limits, merging, time zones), the
/// reports it names, every check, the narrative filled, and the findings printed in
/// every message format.
pub fn release_yaml(data: &[u8]) {
    // Nothing is written per input: the text is loaded from memory into an empty data
    // folder made once (reports the text names are looked for there, and are missing).
    static EMPTY: std::sync::OnceLock<tempfile::TempDir> = std::sync::OnceLock::new();
    let dir = EMPTY.get_or_init(scratch);
    let root = crate::inside::Root::new(dir.path(), "the data folder").expect("a scratch folder");
    let Ok(p) = crate::load::load_bytes(root, "r", data.to_vec()) else {
        return;
    };
    let Ok(p) = crate::cmd::finish(p, None, None, None, Default::default(), build_time()) else {
        return;
    };
    // One message format per input, by its length: each format is reached as often,
    // for a quarter of the cost of all four.
    one_format(&p, FORMATS[data.len() % FORMATS.len()]);
}

/// Narrative Markdown: the HTML of the pages and the Markdown of the Markdown pages
/// (rendered as CommonMark renders them) never carry a script, an event handler, a
/// frame or a script URL, and the prose the checks read maps back into the text.
pub fn narrative(md: &str) {
    let html = crate::render::markdown::to_html(md);
    if let Some(p) = unsafe_html(&html).first() {
        panic!("to_html: {p}\n{html}");
    }
    let out = crate::render::markdown::to_markdown(md);
    assert!(!out.contains('<'), "to_markdown keeps raw HTML: {out}");
    let html = commonmark(&out);
    if let Some(p) = unsafe_html(&html).first() {
        panic!("to_markdown: {p}\n{out}\n{html}");
    }
    for run in crate::prose::runs(md) {
        for (plain, _) in run.text.char_indices() {
            run.source(plain);
        }
    }
}

/// A whole build from arbitrary files. The input is a list of files in the format
/// `head` prints several files in: a line `==> releases/a/release.yaml <==`, then
/// the file's bytes up to the next such line. Names are relative paths of plain
/// components (letters, digits, `.`, `_`, `-`; at most 4 deep, 32 files). The data
/// folder is loaded, checked and rendered as `gonogo build` does, pages discarded;
/// every page must stay inside the output folder, and no HTML page (nor Markdown page
/// rendered as CommonMark) may carry a script, an event handler or a script URL.
pub fn build_files(data: &[u8]) {
    let dir = scratch();
    for (name, bytes) in split_files(data) {
        let path = dir.path().join(name);
        if let Some(parent) = path.parent() {
            // A name already taken by a file: that file is kept.
            if std::fs::create_dir_all(parent).is_err() {
                continue;
            }
        }
        let _ = std::fs::write(&path, bytes);
    }
    pipeline(dir.path(), true, FORMATS[data.len() % FORMATS.len()]);
}

/// The files of a [`build_files`] input.
pub fn split_files(data: &[u8]) -> Vec<(PathBuf, &[u8])> {
    let mut files: Vec<(PathBuf, &[u8])> = vec![];
    let mut current: Option<(PathBuf, usize)> = None;
    let mut at = 0;
    while at <= data.len() {
        let end = data[at..]
            .iter()
            .position(|b| *b == b'\n')
            .map_or(data.len(), |i| at + i);
        let line = &data[at..end];
        let header = line
            .strip_prefix(b"==> ")
            .and_then(|l| l.strip_suffix(b" <=="))
            .and_then(|n| std::str::from_utf8(n).ok())
            .and_then(file_name);
        if let Some(name) = header {
            if let Some((prev, from)) = current.take() {
                files.push((prev, &data[from..at]));
            }
            if files.len() >= 32 {
                return files;
            }
            current = Some((name, (end + 1).min(data.len())));
        }
        at = end + 1;
    }
    if let Some((prev, from)) = current {
        files.push((prev, &data[from..]));
    }
    files
}

fn file_name(name: &str) -> Option<PathBuf> {
    let parts: Vec<&str> = name.split('/').collect();
    let plain = |p: &&str| {
        !p.is_empty()
            && *p != "."
            && *p != ".."
            && p.bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'))
    };
    (parts.len() <= 4 && parts.iter().all(plain)).then(|| parts.iter().collect())
}

/// A fresh data folder, in memory (`/dev/shm`) where there is one.
fn scratch() -> tempfile::TempDir {
    let shm = Path::new("/dev/shm");
    if shm.is_dir()
        && let Ok(t) = tempfile::Builder::new()
            .prefix("gonogo-fuzz")
            .tempdir_in(shm)
    {
        return t;
    }
    tempfile::Builder::new()
        .prefix("gonogo-fuzz")
        .tempdir()
        .expect("a temporary folder")
}

/// Load, ingest, check and render (pages too when `pages`) at a fixed build time,
/// then the findings in one message format.
fn pipeline(data: &Path, pages: bool, format: MessageFormat) {
    let args = CommonArgs {
        data: data.to_path_buf(),
        releases: vec![],
        output: Output {
            message_format: MessageFormat::Human,
            color: Color::Never,
            quiet: false,
        },
        deny: vec![],
        require: None,
        no_cache: true,
    };
    let problems = Mutex::new(vec![]);
    let sink = |rel: PathBuf, bytes: Vec<u8>| {
        let inside = rel.components().all(|c| matches!(c, Component::Normal(_)));
        let mut found = vec![];
        if !inside {
            found.push(format!(
                "a page outside the output folder: {}",
                rel.display()
            ));
        }
        let html = match rel.extension().and_then(|e| e.to_str()) {
            Some("html") => Some(String::from_utf8_lossy(&bytes).into_owned()),
            Some("md") => Some(commonmark(&String::from_utf8_lossy(&bytes))),
            _ => None,
        };
        for p in html.as_deref().map(unsafe_html).unwrap_or_default() {
            found.push(format!("{}: {p}", rel.display()));
        }
        problems.lock().expect("not poisoned").extend(found);
        Ok(())
    };
    let sink: &crate::render::Sink = &sink;
    let Ok(p) = crate::cmd::assess(
        &args,
        None,
        pages.then_some(sink),
        &Default::default(),
        build_time(),
    ) else {
        return;
    };
    let problems = problems.into_inner().expect("not poisoned");
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    one_format(&p, format);
}

/// A fixed build time, after every date in the example data (2026-06-01).
fn build_time() -> chrono::DateTime<chrono::Utc> {
    chrono::DateTime::from_timestamp(1_780_272_000, 0).expect("a date")
}

const FORMATS: [MessageFormat; 4] = [
    MessageFormat::Human,
    MessageFormat::Json,
    MessageFormat::Github,
    MessageFormat::Sarif,
];

fn one_format(p: &crate::load::Project, format: MessageFormat) {
    let output = Output {
        message_format: format,
        color: Color::Never,
        quiet: false,
    };
    let scope = crate::report::Scope {
        count: p.releases.len(),
        noun: "release",
    };
    crate::report::format(&output, &p.sources, &p.diagnostics, scope);
}

/// Markdown as a CommonMark viewer shows it: raw HTML passes through.
fn commonmark(md: &str) -> String {
    let mut html = String::new();
    pulldown_cmark::html::push_html(
        &mut html,
        pulldown_cmark::Parser::new_ext(md, pulldown_cmark::Options::all()),
    );
    html
}

/// Every problem in `html`: forbidden elements, event handlers, script URLs (after
/// the scanner of `tests/xss.rs`, with URLs read as a browser reads their scheme).
pub fn unsafe_html(html: &str) -> Vec<String> {
    let mut out = vec![];
    let mut at = 0;
    while let Some(p) = html[at..].find('<') {
        let start = at + p;
        let tag_end = tag_end(html, start);
        let tag = &html[start..tag_end];
        at = tag_end;
        let after = tag[1..].trim_start_matches('/');
        let name: String = after
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '!' || *c == '-')
            .collect::<String>()
            .to_ascii_lowercase();
        if name.is_empty() || name.starts_with('!') {
            continue;
        }
        // Our own pages use <meta name=…>, the stylesheet <link> and a bare <style>.
        let allowed = match name.as_str() {
            "meta" => !tag.to_ascii_lowercase().contains("http-equiv"),
            "link" => tag.contains("stylesheet") && tag.contains("assets/style.css"),
            "style" => !tag.contains('='),
            // The history charts gonogo draws (render::trend): its own opening tag,
            // every text in it escaped (an attribute breaking out is still caught).
            "svg" => {
                tag == "</svg>"
                    || tag.starts_with(
                        "<svg class=\"trend\" xmlns=\"http://www.w3.org/2000/svg\" width=\"",
                    )
            }
            _ => false,
        };
        let forbidden = [
            "script", "iframe", "frame", "frameset", "object", "embed", "svg", "math", "base",
            "meta", "link", "form", "button", "style",
        ]
        .contains(&name.as_str());
        if forbidden && !allowed {
            out.push(format!("<{name}> element: {tag}"));
        }
        let attrs = &after[name.len().min(after.len())..];
        for (key, value) in attributes(attrs) {
            let key = key.to_ascii_lowercase();
            if key.starts_with("on") {
                out.push(format!("event handler {key}: {tag}"));
            }
            let value = decode_entities(value);
            let url_attr = [
                "href",
                "src",
                "action",
                "formaction",
                "data",
                "background",
                "poster",
                "xlink:href",
            ]
            .contains(&key.as_str());
            if url_attr && script_scheme(&value) {
                out.push(format!("script URL in {key}: {tag}"));
            }
            let squeezed = value.to_ascii_lowercase().replace(char::is_whitespace, "");
            if (key == "style" || key == "content")
                && (squeezed.contains("expression(") || squeezed.contains("javascript:"))
            {
                out.push(format!("script in {key}: {tag}"));
            }
        }
    }
    out
}

/// The end (exclusive) of the tag that starts at `start`, quotes respected.
fn tag_end(html: &str, start: usize) -> usize {
    let mut quote = None;
    for (i, c) in html[start + 1..].char_indices() {
        match (quote, c) {
            (None, '"' | '\'') => quote = Some(c),
            (Some(q), c) if c == q => quote = None,
            (None, '>') => return start + 1 + i + 1,
            _ => {}
        }
    }
    html.len()
}

/// The attributes of a tag (after its name): `key`, `key=value`, `key="value"`.
fn attributes(mut s: &str) -> Vec<(&str, &str)> {
    let mut out = vec![];
    loop {
        s = s.trim_start_matches(|c: char| c.is_whitespace() || c == '/');
        if s.is_empty() || s.starts_with('>') {
            return out;
        }
        let key_len = s
            .find(|c: char| c.is_whitespace() || matches!(c, '=' | '>' | '/'))
            .unwrap_or(s.len())
            .max(1);
        let key = &s[..key_len];
        s = s[key_len..].trim_start();
        let Some(rest) = s.strip_prefix('=') else {
            out.push((key, ""));
            continue;
        };
        let rest = rest.trim_start();
        let (value, after) = match rest.chars().next() {
            Some(q @ ('"' | '\'')) => {
                let end = rest[1..].find(q).map_or(rest.len(), |i| i + 1);
                (&rest[1..end], &rest[(end + 1).min(rest.len())..])
            }
            _ => {
                let end = rest
                    .find(|c: char| c.is_whitespace() || c == '>')
                    .unwrap_or(rest.len());
                (&rest[..end], &rest[end..])
            }
        };
        out.push((key, value));
        s = after;
    }
}

/// Character references decoded as a browser decodes them in an attribute (numeric
/// ones with or without `;`, and the named ones a scheme can be spelled with).
fn decode_entities(v: &str) -> String {
    let mut out = String::new();
    let mut rest = v;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        rest = &rest[i + 1..];
        let (c, len) = if let Some(num) = rest.strip_prefix('#') {
            let (hex, digits) = match num.strip_prefix(['x', 'X']) {
                Some(h) => (true, h),
                None => (false, num),
            };
            let n = digits
                .find(|c: char| {
                    !(if hex {
                        c.is_ascii_hexdigit()
                    } else {
                        c.is_ascii_digit()
                    })
                })
                .unwrap_or(digits.len());
            let value = u32::from_str_radix(&digits[..n], if hex { 16 } else { 10 }).ok();
            let len = 1 + usize::from(hex) + n;
            let len = len + usize::from(rest[len..].starts_with(';'));
            (value.and_then(char::from_u32), len)
        } else {
            let named = [
                ("colon;", ':'),
                ("Tab;", '\t'),
                ("tab;", '\t'),
                ("NewLine;", '\n'),
                ("newline;", '\n'),
                ("amp;", '&'),
                ("lt;", '<'),
                ("gt;", '>'),
                ("quot;", '"'),
                ("apos;", '\''),
            ];
            named
                .iter()
                .find(|(n, _)| rest.starts_with(n))
                .map_or((None, 0), |(n, c)| (Some(*c), n.len()))
        };
        match c {
            Some(c) => {
                out.push(c);
                rest = &rest[len..];
            }
            None => out.push('&'),
        }
    }
    out.push_str(rest);
    out
}

/// Whether a browser would read `url` as a `javascript:`, `vbscript:` or `data:` URL:
/// leading and trailing spaces and controls trimmed, tabs and newlines removed.
fn script_scheme(url: &str) -> bool {
    let url: String = url
        .trim_matches(|c: char| c <= ' ')
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .collect();
    let Some((scheme, _)) = url.split_once(':') else {
        return false;
    };
    matches!(
        scheme.to_ascii_lowercase().as_str(),
        "javascript" | "vbscript" | "data"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_scanner_sees_what_it_must() {
        for bad in [
            "<script>x</script>",
            "<img src=x onerror=alert(1)>",
            "<a href=\"jav&#x09;ascript:alert(1)\">x</a>",
            "<a href='&#106avascript:alert(1)'>x</a>",
            "<a href=\" &#x20;JAVASCRIPT&colon;alert(1)\">x</a>",
            "<img src=\"data:text/html,x\">",
            "<svg/onload=alert(1)>",
            "<iframe src=x></iframe>",
            "<div style=\"width: expression(alert(1))\">",
        ] {
            assert!(!unsafe_html(bad).is_empty(), "{bad}");
        }
        assert_eq!(
            unsafe_html(
                "<p>&lt;script&gt; onerror=x</p><a href=\"https://e.x/javascript:\" title=\"on\">ok</a><td style=\"text-align: left\">"
            ),
            Vec::<String>::new()
        );
    }

    #[test]
    fn files_are_split_at_head_style_lines() {
        let files = split_files(
            b"ignored\n==> gonogo.yaml <==\ntitle: x\n==> ../out <==\nkept\n==> releases/a/r.md <==\n# A",
        );
        let names: Vec<_> = files.iter().map(|(n, _)| n.to_str().unwrap()).collect();
        assert_eq!(names, ["gonogo.yaml", "releases/a/r.md"]);
        assert_eq!(files[0].1, b"title: x\n==> ../out <==\nkept\n");
        assert_eq!(files[1].1, b"# A");
    }
}
