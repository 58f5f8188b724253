//! The preview's HTTP side: hyper parses and writes HTTP/1.1 on a single-threaded
//! tokio runtime; this module only decides what each request gets.
//!
//! Bounds, so that no client (a stuck tab, a script, a slowloris) can lock the preview
//! out: every connection is a task, not a thread; its request headers must arrive
//! within [`HEADER_TIMEOUT`] and be at most [`MAX_HEADER_BYTES`]; the whole connection
//! (one request: no keep-alive) is dropped after [`CONNECTION_TIMEOUT`]; at most
//! [`MAX_CONNECTIONS`] are open at once, further ones wait in the listen queue until a
//! slot frees (never reset).

use super::{Content, Shared, VERSION_PATH, pages};
use http_body_util::Full;
use hyper::body::Bytes;
use hyper::header::{self, HeaderValue};
use hyper::{Method, Request, StatusCode};
use std::convert::Infallible;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

pub const HEADER_TIMEOUT: Duration = Duration::from_secs(5);
pub const CONNECTION_TIMEOUT: Duration = Duration::from_secs(30);
pub const MAX_CONNECTIONS: usize = 512;
const MAX_HEADER_BYTES: usize = 16 * 1024;

type Response = hyper::Response<Full<Bytes>>;

/// Serves `listener` until the runtime stops (it does not, short of an error).
pub fn serve(listener: std::net::TcpListener, shared: Shared) -> anyhow::Result<()> {
    listener.set_nonblocking(true)?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_io()
        .enable_time()
        .build()?;
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::from_std(listener)?;
        let slots = Arc::new(tokio::sync::Semaphore::new(MAX_CONNECTIONS));
        loop {
            // Wait for a free slot before accepting: connections beyond the limit
            // queue in the kernel instead of being reset.
            let slot = Arc::clone(&slots).acquire_owned().await?;
            let stream = match listener.accept().await {
                Ok((stream, _)) => stream,
                Err(e) => {
                    // Usually transient (too many open files, an aborted connection).
                    eprintln!("warning: cannot accept a connection: {e}");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            };
            let shared = Arc::clone(&shared);
            tokio::spawn(async move {
                let _slot = slot;
                let service = hyper::service::service_fn(move |req| {
                    let response = respond(&req, &shared);
                    async move { Ok::<_, Infallible>(response) }
                });
                let connection = hyper::server::conn::http1::Builder::new()
                    .timer(hyper_util::rt::TokioTimer::new())
                    .header_read_timeout(HEADER_TIMEOUT)
                    .max_buf_size(MAX_HEADER_BYTES)
                    .keep_alive(false)
                    .serve_connection(hyper_util::rt::TokioIo::new(stream), service);
                // Errors here are the client's (disconnects, timeouts, bad requests).
                let _ = tokio::time::timeout(CONNECTION_TIMEOUT, connection).await;
            });
        }
    })
}

fn response(status: StatusCode, content_type: &'static str, body: impl Into<Bytes>) -> Response {
    let mut r = hyper::Response::new(Full::new(body.into()));
    *r.status_mut() = status;
    let h = r.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    r
}

fn text(status: StatusCode, body: &str) -> Response {
    response(status, "text/plain; charset=utf-8", format!("{body}\n"))
}

/// Only names of this machine's loopback address are answered (against DNS rebinding).
pub fn host_allowed(host: &str) -> bool {
    let name = match host.rsplit_once(':') {
        Some((name, port)) if port.bytes().all(|b| b.is_ascii_digit()) => name,
        _ => host,
    };
    name.eq_ignore_ascii_case("localhost") || name == "127.0.0.1"
}

fn respond<B>(req: &Request<B>, shared: &Shared) -> Response {
    let method = req.method();
    if method != Method::GET && method != Method::HEAD {
        let mut r = text(
            StatusCode::METHOD_NOT_ALLOWED,
            "only GET and HEAD are served",
        );
        r.headers_mut()
            .insert(header::ALLOW, HeaderValue::from_static("GET, HEAD"));
        return r;
    }
    // The Host header, and the authority of an absolute-form target, name this machine.
    let host = req
        .headers()
        .get(header::HOST)
        .map(|h| h.to_str().unwrap_or("\u{0}"));
    let authority = req.uri().authority().map(|a| a.as_str());
    if host.into_iter().chain(authority).any(|h| !host_allowed(h)) {
        return text(
            StatusCode::FORBIDDEN,
            "only requests to 127.0.0.1 or localhost are served",
        );
    }
    let Some(path) = percent_decode(req.uri().path()) else {
        return text(StatusCode::BAD_REQUEST, "bad percent-encoding in the path");
    };
    if !path.starts_with('/') {
        return text(StatusCode::BAD_REQUEST, "bad request target");
    }
    if path
        .split('/')
        .any(|segment| segment == ".." || segment == ".")
        || path.contains(['\\', '\0'])
    {
        return text(StatusCode::BAD_REQUEST, "paths with `..` are not served");
    }
    let (version, content) = {
        let b = super::lock(shared);
        (b.version, Arc::clone(&b.content))
    };
    if path == VERSION_PATH {
        return text(StatusCode::OK, &version.to_string());
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
                response(StatusCode::OK, content_type(&rel), body)
            } else if site.contains_key(&Path::new(&rel).join("index.html")) {
                // `/id` → `/id/`, so the page's relative links resolve.
                let mut r = text(StatusCode::MOVED_PERMANENTLY, "moved");
                if let Ok(to) = HeaderValue::from_str(&format!("/{}/", percent_encode(&rel))) {
                    r.headers_mut().insert(header::LOCATION, to);
                }
                r
            } else {
                let body = pages::not_found(&path);
                response(
                    StatusCode::NOT_FOUND,
                    content_type(".html"),
                    inject(body.as_bytes(), version),
                )
            }
        }
        Content::Errors { html: page, text } => {
            let is_page = html || !rel.rsplit('/').next().unwrap_or("").contains('.');
            if is_page {
                response(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    content_type(".html"),
                    inject(page.as_bytes(), version),
                )
            } else {
                response(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "text/plain; charset=utf-8",
                    text.clone(),
                )
            }
        }
    }
}

/// The media type of a built file, by its extension.
pub fn content_type(path: &str) -> &'static str {
    match path.rsplit_once('.').map(|(_, ext)| ext) {
        Some("html") => "text/html; charset=utf-8",
        Some("md") => "text/markdown; charset=utf-8",
        Some("json") => "application/json",
        Some("css") => "text/css; charset=utf-8",
        Some("txt") => "text/plain; charset=utf-8",
        Some("pdf") => "application/pdf",
        Some("ics") => "text/calendar; charset=utf-8",
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

    #[test]
    fn pdfs_are_served_as_pdf() {
        assert_eq!(content_type("x/approval.pdf"), "application/pdf");
        assert_eq!(content_type("x/deploy.ics"), "text/calendar; charset=utf-8");
        assert_eq!(content_type("x/unknown.bin"), "application/octet-stream");
    }
}
