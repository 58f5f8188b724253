//! `gonogo serve`: build the site in memory, serve it on 127.0.0.1, rebuild when a
//! file under the data or templates folder changes, and reload the open page.
//!
//! Nothing is written to disk. The server is plain `std::net` with one thread per
//! connection (`Connection: close`); a watcher thread polls the modification times and
//! sizes of every file every 250 ms. Served HTML pages (never built files) get a small
//! script that polls `/__gonogo/version` and reloads when the build changes. While the
//! data has errors, pages show the diagnostics instead of the last good site.

use crate::cli::ServeArgs;
use crate::diag::Severity;
use crate::write::Site;
use anyhow::Context as _;
use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime};

const POLL: Duration = Duration::from_millis(250);
const DEBOUNCE: Duration = Duration::from_millis(200);
/// A folder that never stops changing is rebuilt at least this often.
const MAX_DEBOUNCE: Duration = Duration::from_secs(2);
const VERSION_PATH: &str = "/__gonogo/version";
const MAX_HEADER_BYTES: u64 = 16 * 1024;
const MAX_CONNECTIONS: usize = 128;
const IO_TIMEOUT: Duration = Duration::from_secs(10);

/// What the server shows: the site, or the reason there is none.
#[derive(PartialEq)]
enum Content {
    Site(Site),
    /// The error page (HTML body) and the same diagnostics as plain text.
    Errors {
        html: String,
        text: String,
    },
}

struct Build {
    version: u64,
    content: Arc<Content>,
}

type Shared = Arc<Mutex<Build>>;

pub fn run(a: &ServeArgs) -> anyhow::Result<bool> {
    // Loopback only: the site may hold facts that are not public.
    let addr = SocketAddr::from((Ipv4Addr::LOCALHOST, a.port));
    let listener = TcpListener::bind(addr).map_err(|e| {
        if e.kind() == std::io::ErrorKind::AddrInUse {
            anyhow::anyhow!(
                "port {} on 127.0.0.1 is already in use; choose another with --port (0 picks a free one)",
                a.port
            )
        } else {
            anyhow::Error::new(e).context(format!("cannot listen on 127.0.0.1:{}", a.port))
        }
    })?;
    let port = listener.local_addr()?.port();

    let watched = watched_roots(a);
    let before = snapshot(&watched);
    // The first build fails like `gonogo build` when gonogo cannot run at all (no data
    // folder, a template that does not compile); later failures are shown in the page.
    let parsed = crate::load::Parsed::default();
    let content = build(a, None, &parsed)?;
    let shared: Shared = Arc::new(Mutex::new(Build {
        version: 1,
        content: Arc::new(content),
    }));

    std::thread::scope(|scope| {
        std::thread::Builder::new()
            .name("gonogo-watch".into())
            .spawn_scoped(scope, || watch(a, watched, before, &shared, &parsed))
            .context("cannot start the file watcher")?;
        eprintln!("serving http://127.0.0.1:{port}/");
        if !a.common.output.quiet {
            eprintln!("watching for changes; press Ctrl-C to stop");
        }
        accept(&listener, &shared);
        anyhow::bail!("the server on 127.0.0.1:{port} stopped accepting connections")
    })
}

/// Accepts connections forever, one thread each.
fn accept(listener: &TcpListener, shared: &Shared) {
    let active = Arc::new(AtomicUsize::new(0));
    for stream in listener.incoming() {
        let stream = match stream {
            Ok(s) => s,
            Err(e) => {
                // Usually a transient error (too many open files, aborted connection).
                eprintln!("warning: cannot accept a connection: {e}");
                std::thread::sleep(Duration::from_millis(50));
                continue;
            }
        };
        if active.load(Ordering::SeqCst) >= MAX_CONNECTIONS {
            drop(stream);
            continue;
        }
        let slot = Slot::take(&active);
        let shared = Arc::clone(shared);
        // A failed spawn drops the closure, the stream and the slot with it.
        let _ = std::thread::Builder::new()
            .name("gonogo-http".into())
            .spawn(move || {
                let _slot = slot;
                // Errors here are the client's (disconnects, timeouts, bad requests).
                let _ = handle(stream, &shared);
            });
    }
}

/// One counted connection; released when dropped, even if its thread panics.
struct Slot(Arc<AtomicUsize>);

impl Slot {
    fn take(active: &Arc<AtomicUsize>) -> Slot {
        active.fetch_add(1, Ordering::SeqCst);
        Slot(Arc::clone(active))
    }
}

impl Drop for Slot {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

fn lock(shared: &Shared) -> std::sync::MutexGuard<'_, Build> {
    shared
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

// ---------------------------------------------------------------------------
// Building and watching

/// Builds the site in memory. With `previous` (the site shown, when only release
/// files changed since it was built), a release whose facts are the same keeps its
/// pages from it instead of making them again.
fn build(
    a: &ServeArgs,
    previous: Option<&Site>,
    parsed: &crate::load::Parsed,
) -> anyhow::Result<Content> {
    let site = std::sync::Mutex::new(crate::write::Site::new());
    let sink = |rel: PathBuf, bytes: Vec<u8>| {
        site.lock().expect("site lock").insert(rel, bytes);
        Ok(())
    };
    let reuse = |id: &str, facts: &[u8]| {
        let Some(prev) = previous else { return false };
        let dir = Path::new(id);
        if prev.get(&dir.join("facts.json")).map(Vec::as_slice) != Some(facts) {
            return false;
        }
        let mut site = site.lock().expect("site lock");
        for (path, bytes) in prev
            .range(dir.to_path_buf()..)
            .take_while(|(path, _)| path.starts_with(dir))
        {
            site.insert(path.clone(), bytes.clone());
        }
        true
    };
    let (p, ok) = super::analyze(
        &a.common,
        a.templates.as_deref(),
        Some(&sink),
        &super::Previous {
            pages: previous.is_some().then_some(&reuse),
            parsed: Some(parsed),
        },
    )?;
    let (reused, fresh) = parsed.counts();
    super::Timings::start().note(&format!(
        "release files: {fresh} parsed, {reused} unchanged since the last build (not parsed again)"
    ));
    Ok(if ok {
        Content::Site(site.into_inner().expect("site lock"))
    } else {
        diagnostics_page(&p)
    })
}

fn watched_roots(a: &ServeArgs) -> Vec<PathBuf> {
    let mut roots = vec![a.common.data.clone()];
    roots.extend(a.templates.clone());
    roots
}

/// Modification time and size of every file under the roots (links followed).
type Snapshot = BTreeMap<PathBuf, (Option<SystemTime>, u64)>;

fn snapshot(roots: &[PathBuf]) -> Snapshot {
    let mut out = Snapshot::new();
    for root in roots {
        for entry in walkdir::WalkDir::new(root).follow_links(true).into_iter() {
            // Unreadable entries and link loops are skipped; the build reports what matters.
            let Ok(entry) = entry else { continue };
            let Ok(meta) = entry.metadata() else { continue };
            if meta.is_file() {
                out.insert(
                    entry.path().to_path_buf(),
                    (meta.modified().ok(), meta.len()),
                );
            }
        }
    }
    out
}

/// Polls the roots and rebuilds after a change has settled. Never returns.
fn watch(
    a: &ServeArgs,
    roots: Vec<PathBuf>,
    mut last: Snapshot,
    shared: &Shared,
    parsed: &crate::load::Parsed,
) {
    loop {
        std::thread::sleep(POLL);
        let mut now = snapshot(&roots);
        if now == last {
            continue;
        }
        // Debounce: wait until the files stop changing (an editor saving several
        // files, a script copying a folder), but not forever.
        let started = Instant::now();
        loop {
            std::thread::sleep(DEBOUNCE);
            let again = snapshot(&roots);
            let settled = again == now;
            now = again;
            if settled || started.elapsed() >= MAX_DEBOUNCE {
                break;
            }
        }
        // Only files of releases changed (not the site file, not a template): the
        // pages of releases whose facts are the same can be kept.
        let releases = a.common.data.join("releases");
        let only_releases = last
            .keys()
            .chain(now.keys())
            .filter(|p| last.get(*p) != now.get(*p))
            .all(|p| p.starts_with(&releases));
        last = now;
        if !a.common.output.quiet {
            eprintln!("\nchange detected: rebuilding");
        }
        let shown = Arc::clone(&lock(shared).content);
        let previous = match (&*shown, only_releases) {
            (Content::Site(site), true) => Some(site),
            _ => None,
        };
        let content = match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            build(a, previous, parsed)
        })) {
            Ok(Ok(content)) => content,
            Ok(Err(e)) => {
                eprintln!("error: {e:#}");
                failure_page(&format!("{e:#}"))
            }
            Err(_) => failure_page("gonogo failed while building the site; see the terminal"),
        };
        let mut b = lock(shared);
        if !a.common.output.quiet {
            match &content {
                Content::Site(site) => eprintln!("rebuilt: {} files", site.len()),
                Content::Errors { .. } => {
                    eprintln!("not rebuilt: the pages show the errors until they are fixed")
                }
            }
        }
        if *b.content != content {
            b.version += 1;
            b.content = Arc::new(content);
        }
    }
}

// ---------------------------------------------------------------------------
// Error pages

const PAGE_STYLE: &str = "body{font:15px/1.5 system-ui,sans-serif;margin:2rem auto;max-width:60rem;padding:0 1rem;color:#222}\
h1{font-size:1.4rem;color:#a40000}li{margin:0 0 1rem}code,pre{font:13px ui-monospace,monospace}\
pre{background:#f4f4f4;padding:.4rem .6rem;overflow-x:auto;margin:.3rem 0}\
.error .code{color:#a40000}.warning .code{color:#8a5a00}.note{color:#555}";

fn page(title: &str, body: &str) -> String {
    format!(
        "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{}</title>\n<style>{PAGE_STYLE}</style>\n</head>\n<body>\n{body}\n</body>\n</html>\n",
        escape(title)
    )
}

/// The page shown instead of the site while the data has errors.
fn diagnostics_page(p: &crate::load::Project) -> Content {
    let mut diags: Vec<_> = p.diagnostics.iter().collect();
    diags.sort_by_key(|d| d.severity);
    let errors = diags
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .count();
    let title = format!(
        "gonogo: {errors} error{} in the data",
        if errors == 1 { "" } else { "s" }
    );
    let mut html = format!(
        "<h1>{}</h1>\n<p>The site is not shown until the data is consistent. \
         This page reloads when a file changes.</p>\n<ol>\n",
        escape(&title)
    );
    let mut text = format!("{title}\n\n");
    for d in diags {
        let level = match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        html.push_str(&format!(
            "<li class=\"{level}\"><strong class=\"code\">{level}[{}]</strong>: {}",
            escape(d.code),
            escape(&d.message)
        ));
        text.push_str(&format!("{level}[{}]: {}\n", d.code, d.message));
        if let Some(loc) = d.loc {
            let file = p
                .sources
                .get(loc.file)
                .map(|s| s.path.display().to_string())
                .unwrap_or_else(|| "?".into());
            let at = format!("{file}:{}:{}", loc.line, loc.col);
            html.push_str(&format!("<div><code>{}</code></div>", escape(&at)));
            text.push_str(&format!(" --> {at}\n"));
            let line = p.sources.get(loc.file).and_then(|s| {
                s.text
                    .lines()
                    .nth(usize::try_from(loc.line).ok()?.checked_sub(1)?)
            });
            if let Some(line) = line {
                html.push_str(&format!("<pre>{}</pre>", escape(line)));
            }
        }
        if d.claimed.is_some() || d.computed.is_some() {
            let parts: Vec<String> = [("stated", &d.claimed), ("computed", &d.computed)]
                .into_iter()
                .filter_map(|(k, v)| v.as_ref().map(|v| format!("{k}: {v}")))
                .collect();
            let parts = parts.join("; ");
            html.push_str(&format!("<div>{}</div>", escape(&parts)));
            text.push_str(&format!(" {parts}\n"));
        }
        for n in &d.notes {
            html.push_str(&format!("<div class=\"note\">note: {}</div>", escape(n)));
            text.push_str(&format!(" = note: {n}\n"));
        }
        html.push_str("</li>\n");
        text.push('\n');
    }
    html.push_str("</ol>");
    Content::Errors {
        html: page(&title, &html),
        text,
    }
}

/// The page shown when gonogo could not build at all (e.g. a template does not compile).
fn failure_page(message: &str) -> Content {
    let title = "gonogo could not build the site";
    let body = format!(
        "<h1>{title}</h1>\n<pre>{}</pre>\n<p>This page reloads when a file changes.</p>",
        escape(message)
    );
    Content::Errors {
        html: page(title, &body),
        text: format!("{title}\n\n{message}\n"),
    }
}

fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

// ---------------------------------------------------------------------------
// HTTP

struct Response {
    status: u16,
    content_type: &'static str,
    body: Vec<u8>,
    location: Option<String>,
}

impl Response {
    fn new(status: u16, content_type: &'static str, body: impl Into<Vec<u8>>) -> Response {
        Response {
            status,
            content_type,
            body: body.into(),
            location: None,
        }
    }
    fn text(status: u16, body: &str) -> Response {
        Response::new(status, "text/plain; charset=utf-8", format!("{body}\n"))
    }
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        301 => "Moved Permanently",
        400 => "Bad Request",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        500 => "Internal Server Error",
        _ => "Unknown",
    }
}

fn handle(stream: TcpStream, shared: &Shared) -> std::io::Result<()> {
    stream.set_read_timeout(Some(IO_TIMEOUT))?;
    stream.set_write_timeout(Some(IO_TIMEOUT))?;
    let mut reader = BufReader::new((&stream).take(MAX_HEADER_BYTES));
    let mut request_line = String::new();
    if reader.read_line(&mut request_line)? == 0 {
        return Ok(()); // connected and left
    }
    let mut host = None;
    let mut complete = false;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line)? == 0 {
            break;
        }
        if line == "\r\n" || line == "\n" {
            complete = true;
            break;
        }
        if let Some((name, value)) = line.split_once(':')
            && name.trim().eq_ignore_ascii_case("host")
        {
            host = Some(value.trim().to_string());
        }
    }
    let mut parts = request_line.split_whitespace();
    let (method, target) = (parts.next().unwrap_or(""), parts.next().unwrap_or(""));
    let response = if !complete {
        Response::text(400, "incomplete request, or headers too large")
    } else {
        respond(method, target, host.as_deref(), shared)
    };
    let mut head = format!(
        "HTTP/1.1 {} {}\r\nContent-Type: {}\r\nContent-Length: {}\r\n\
         Cache-Control: no-store\r\nX-Content-Type-Options: nosniff\r\nConnection: close\r\n",
        response.status,
        reason(response.status),
        response.content_type,
        response.body.len()
    );
    if let Some(location) = &response.location {
        head.push_str(&format!("Location: {location}\r\n"));
    }
    if response.status == 405 {
        head.push_str("Allow: GET, HEAD\r\n");
    }
    head.push_str("\r\n");
    let mut out = head.into_bytes();
    if method != "HEAD" {
        out.extend_from_slice(&response.body);
    }
    let mut stream = stream;
    stream.write_all(&out)?;
    stream.flush()
}

/// Only names of this machine's loopback address are answered (against DNS rebinding).
fn host_allowed(host: &str) -> bool {
    let name = match host.rsplit_once(':') {
        Some((name, port)) if port.bytes().all(|b| b.is_ascii_digit()) => name,
        _ => host,
    };
    name.eq_ignore_ascii_case("localhost") || name == "127.0.0.1"
}

fn respond(method: &str, target: &str, host: Option<&str>, shared: &Shared) -> Response {
    if method != "GET" && method != "HEAD" {
        return Response::text(405, "only GET and HEAD are served");
    }
    if host.is_some_and(|h| !host_allowed(h)) {
        return Response::text(403, "only requests to 127.0.0.1 or localhost are served");
    }
    let raw = target.split(['?', '#']).next().unwrap_or("");
    if !raw.starts_with('/') {
        return Response::text(400, "bad request target");
    }
    let Some(path) = percent_decode(raw) else {
        return Response::text(400, "bad percent-encoding in the path");
    };
    if path
        .split('/')
        .any(|segment| segment == ".." || segment == ".")
        || path.contains(['\\', '\0'])
    {
        return Response::text(400, "paths with `..` are not served");
    }
    let (version, content) = {
        let b = lock(shared);
        (b.version, Arc::clone(&b.content))
    };
    if path == VERSION_PATH {
        return Response::text(200, &version.to_string());
    }
    let rel = path.trim_start_matches('/');
    let rel = if rel.is_empty() || rel.ends_with('/') {
        format!("{rel}index.html")
    } else {
        rel.to_string()
    };
    let html = rel.ends_with(".html");
    match &*content {
        Content::Site(site) => {
            if let Some(bytes) = site.get(Path::new(&rel)) {
                let body = if html {
                    inject(bytes, version)
                } else {
                    bytes.clone()
                };
                Response::new(200, content_type(&rel), body)
            } else if site.contains_key(&Path::new(&rel).join("index.html")) {
                // `/id` → `/id/`, so the page's relative links resolve.
                let mut r = Response::text(301, "moved");
                r.location = Some(format!("/{}/", percent_encode(&rel)));
                r
            } else {
                let body = page(
                    "Not found",
                    &format!(
                        "<h1>Not found</h1>\n<p><code>{}</code> is not part of the site. \
                         <a href=\"/\">All releases</a></p>",
                        escape(&path)
                    ),
                );
                Response::new(404, content_type(".html"), inject(body.as_bytes(), version))
            }
        }
        Content::Errors { html: page, text } => {
            let is_page = html || !rel.rsplit('/').next().unwrap_or("").contains('.');
            if is_page {
                Response::new(500, content_type(".html"), inject(page.as_bytes(), version))
            } else {
                Response::new(500, "text/plain; charset=utf-8", text.clone())
            }
        }
    }
}

fn content_type(path: &str) -> &'static str {
    match path.rsplit_once('.').map(|(_, ext)| ext) {
        Some("html") => "text/html; charset=utf-8",
        Some("md") => "text/markdown; charset=utf-8",
        Some("json") => "application/json",
        Some("css") => "text/css; charset=utf-8",
        Some("txt") => "text/plain; charset=utf-8",
        Some("svg") => "image/svg+xml",
        Some("png") => "image/png",
        Some("js") => "text/javascript; charset=utf-8",
        _ => "application/octet-stream",
    }
}

/// The live-reload script, with the build version the page was served at.
fn reload_script(version: u64) -> String {
    format!(
        "<script>/* gonogo serve: live reload */(function(){{var v=\"{version}\";\
         function poll(){{fetch(\"{VERSION_PATH}\",{{cache:\"no-store\"}})\
         .then(function(r){{return r.text()}})\
         .then(function(t){{if(t.trim()!==v){{location.reload()}}else{{setTimeout(poll,500)}}}},\
         function(){{setTimeout(poll,500)}})}}setTimeout(poll,500)}})();</script>\n"
    )
}

/// Inserts the reload script before the last `</body>` (or at the end).
fn inject(html: &[u8], version: u64) -> Vec<u8> {
    let script = reload_script(version);
    let at = html
        .windows(7)
        .rposition(|w| w.eq_ignore_ascii_case(b"</body>"))
        .unwrap_or(html.len());
    let mut out = Vec::with_capacity(html.len() + script.len());
    out.extend_from_slice(&html[..at]);
    out.extend_from_slice(script.as_bytes());
    out.extend_from_slice(&html[at..]);
    out
}

fn percent_decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = std::str::from_utf8(bytes.get(i + 1..i + 3)?).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

fn percent_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn injects_before_the_last_body_end() {
        let out = String::from_utf8(inject(b"<body>x</body></BODY>", 7)).unwrap();
        assert!(out.starts_with("<body>x</body><script>"));
        assert!(out.ends_with("</script>\n</BODY>"));
        assert!(out.contains("var v=\"7\""));
        let out = String::from_utf8(inject(b"no end", 1)).unwrap();
        assert!(out.starts_with("no end<script>"));
    }

    #[test]
    fn decodes_and_encodes_paths() {
        assert_eq!(percent_decode("/a%20b/%2e%2E").as_deref(), Some("/a b/.."));
        assert_eq!(percent_decode("/%zz"), None);
        assert_eq!(percent_decode("/%4"), None);
        assert_eq!(percent_encode("a b/c.html"), "a%20b/c.html");
    }

    #[test]
    fn answers_loopback_names_only() {
        assert!(host_allowed("127.0.0.1:8000"));
        assert!(host_allowed("localhost"));
        assert!(host_allowed("LOCALHOST:1"));
        assert!(!host_allowed("evil.example:8000"));
        assert!(!host_allowed("127.0.0.1.evil.example"));
    }
}
