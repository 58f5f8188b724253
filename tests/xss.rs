//! Untrusted text: XSS payloads — 50 hand-written after the OWASP XSS Filter Evasion
//! Cheat Sheet and the 4,462 of the brs-kb corpus (tests/fixtures/xss/) — in every slot
//! that reaches a page (tests/common/xss.rs): YAML strings, narrative Markdown, link
//! text and targets, image sources, table cells, headings, fenced commands and messages.
//! No page may then carry a script, an event handler, a frame, svg or math, or a
//! `javascript:`, `vbscript:` or `data:text/html` URL; the Markdown pages, rendered
//! as CommonMark renders them (raw HTML passes through, every extension on), are held
//! to the same. tests/browser.rs opens the same site in Chromium.

mod common;
use common::xss;
use std::path::Path;

/// Corpus payloads a release (one site of about 45 releases).
const CORPUS_BATCH: usize = 100;

/// Entities decoded, whitespace and controls dropped, lower case: what a browser
/// compares a URL scheme with.
fn scheme_text(v: &str) -> String {
    let mut out = String::new();
    let mut rest = v;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        let end = rest.find(';').unwrap_or(rest.len().min(12));
        let ent = &rest[1..end];
        let c = if let Some(hex) = ent.strip_prefix("#x").or(ent.strip_prefix("#X")) {
            u32::from_str_radix(hex, 16).ok().and_then(char::from_u32)
        } else if let Some(dec) = ent.strip_prefix('#') {
            dec.parse().ok().and_then(char::from_u32)
        } else {
            match ent {
                "colon" => Some(':'),
                "tab" | "Tab" => Some('\t'),
                "newline" | "NewLine" => Some('\n'),
                "amp" => Some('&'),
                _ => None,
            }
        };
        match c {
            Some(c) => {
                out.push(c);
                rest = &rest[(end + 1).min(rest.len())..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out.chars()
        .filter(|c| !c.is_whitespace() && !c.is_control())
        .collect::<String>()
        .to_ascii_lowercase()
}

/// Every problem in `html`: forbidden elements, event handlers, script URLs.
fn problems(html: &str) -> Vec<String> {
    let attr =
        regex::Regex::new(r#"(?s)\s([^\s=/>"']+)(?:\s*=\s*("[^"]*"|'[^']*'|[^\s>]+))?"#).unwrap();
    let mut out = vec![];
    let mut at = 0;
    while let Some(p) = html[at..].find('<') {
        let start = at + p;
        let after = html[start + 1..].trim_start_matches('/');
        let name: String = after
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '!' || *c == '-')
            .collect::<String>()
            .to_ascii_lowercase();
        // The end of the tag, quotes respected.
        let mut end = start + 1;
        let mut quote = None;
        for (i, c) in html[start + 1..].char_indices() {
            match (quote, c) {
                (None, '"' | '\'') => quote = Some(c),
                (Some(qc), c) if c == qc => quote = None,
                (None, '>') => {
                    end = start + 1 + i;
                    break;
                }
                _ => {}
            }
            end = start + 1 + i;
        }
        let tag = &html[start..=end.min(html.len() - 1)];
        at = end + 1;
        if name.is_empty() || name.starts_with('!') {
            continue;
        }
        // Our own pages use <meta name=…>, the stylesheet <link> and a bare <style>.
        let allowed = match name.as_str() {
            "meta" => !tag.to_ascii_lowercase().contains("http-equiv"),
            "link" => tag.contains("stylesheet") && tag.contains("assets/style.css"),
            "style" => !tag.contains('='),
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
        let slashes = tag[1..].len() - tag[1..].trim_start_matches('/').len();
        let attrs_from = (1 + slashes + name.len()).min(tag.len());
        for c in attr.captures_iter(&format!(" {}", &tag[attrs_from..])) {
            let key = c[1].to_ascii_lowercase();
            let val = c
                .get(2)
                .map_or("", |m| m.as_str())
                .trim_matches(['"', '\'']);
            if key.starts_with("on") {
                out.push(format!("event handler {key}: {tag}"));
            }
            let s = scheme_text(val);
            let scheme = |s: &str| {
                ["javascript:", "vbscript:", "data:text/html"]
                    .iter()
                    .any(|x| s.starts_with(x))
            };
            // A URL runs script by its scheme (`/x?u=javascript:` is a plain path); a
            // refresh or a style anywhere in its text.
            let url = [
                "href",
                "src",
                "action",
                "formaction",
                "data",
                "background",
                "poster",
                "xlink:href",
            ]
            .contains(&key.as_str())
                && scheme(&s);
            let text = ["content", "style"].contains(&key.as_str())
                && ["javascript:", "vbscript:", "data:text/html", "expression("]
                    .iter()
                    .any(|x| s.contains(x));
            if url || text {
                out.push(format!("script URL in {key}: {tag}"));
            }
        }
    }
    out
}

/// Every problem in the site's pages: each HTML page, and each Markdown page rendered
/// as CommonMark renders it. Returns the number of pages read and the problems.
fn scan(out: &Path) -> (usize, Vec<String>) {
    let mut found = vec![];
    let mut pages = 0;
    for f in common::walk(out) {
        let text = std::fs::read_to_string(&f).unwrap_or_default();
        let html = match f.extension().and_then(|e| e.to_str()) {
            Some("html") => text,
            Some("md") => {
                let mut h = String::new();
                pulldown_cmark::html::push_html(
                    &mut h,
                    pulldown_cmark::Parser::new_ext(&text, pulldown_cmark::Options::all()),
                );
                h
            }
            _ => continue,
        };
        pages += 1;
        for p in problems(&html) {
            found.push(format!("{}: {p}", f.strip_prefix(out).unwrap().display()));
        }
    }
    (pages, found)
}

fn assert_clean(payloads: &[String], per_release: usize) {
    let tmp = tempfile::tempdir().unwrap();
    let out = xss::build(payloads, per_release, tmp.path());
    let (pages, mut found) = scan(&out);
    // XSS_KEEP=1 keeps the site to look at.
    if std::env::var_os("XSS_KEEP").is_some() {
        eprintln!("site kept in {}", tmp.keep().display());
    }
    assert!(
        pages >= 6 * payloads.len().div_ceil(per_release),
        "{pages} pages"
    );
    // One line for each problem, with the first page it is on.
    let total = found.len();
    let mut seen = std::collections::HashSet::new();
    found.retain(|f| {
        seen.insert(
            f.split_once(": ")
                .map_or(f.as_str(), |(_, p)| p)
                .to_string(),
        )
    });
    assert!(
        found.is_empty(),
        "{total} problems, {} different:\n{}",
        found.len(),
        found[..found.len().min(40)].join("\n")
    );
}

#[test]
fn no_payload_survives_into_a_page() {
    let all = xss::handwritten();
    assert!(all.len() >= 40);
    assert_clean(&all, 1);
}

#[test]
fn no_corpus_payload_survives_into_a_page() {
    let all = xss::corpus();
    assert!(all.len() >= 4000, "{}", all.len());
    assert_clean(&all, CORPUS_BATCH);
}

#[test]
fn fenced_text_stays_in_its_fence() {
    // Commands and messages are fenced code in Markdown pages: a line of tildes or a
    // lone carriage return in them must not end the block early.
    let img = "<img src=x onerror=alert(1)>";
    assert_clean(
        &[
            format!("x\n~~~~\n{img}"),
            format!("x\n   ~~~~~~~~\n{img}\n~~~~"),
            format!("x\r{img}"),
            format!("x\r\n\r~~~~\r{img}"),
        ],
        1,
    );
}

#[test]
fn the_scanner_sees_what_it_must() {
    // The check above can fail: it finds each kind of problem in raw HTML.
    for bad in [
        "<script>x</script>",
        "<img src=x onerror=alert(1)>",
        "<a href=\"jav&#x09;ascript:alert(1)\">x</a>",
        "<a href='&#106;avascript:alert(1)'>x</a>",
        "<svg/onload=alert(1)>",
        "<iframe src=x></iframe>",
        "<div style=\"width: expression(alert(1))\">",
        "<a href=\" \x01JaVaScRiPt:alert(1)\">x</a>",
        "<a href=\"data:text/html;base64,PHNjcmlwdD4=\">x</a>",
    ] {
        assert!(!problems(bad).is_empty(), "{bad}");
    }
    assert!(
        problems(
            "<p>&lt;script&gt;alert(1)&lt;/script&gt; onerror=x</p><a href=\"https://e.x\">ok</a>\
             <a href=\"/r?u=javascript:alert(1)\">a relative path</a>"
        )
        .is_empty()
    );
}
