//! Untrusted text: filter-evasion payloads (after the OWASP XSS Filter Evasion Cheat
//! Sheet, tests/fixtures/xss/payloads.txt) in every slot that reaches a page — YAML
//! strings, narrative Markdown, link text and targets, image sources, table cells.
//! No page may then carry a script, an event handler, a frame, svg or math, or a
//! `javascript:`, `vbscript:` or `data:text/html` URL; the Markdown pages, rendered
//! as CommonMark renders them (raw HTML passes through), are held to the same.

mod common;
use std::path::Path;
use std::process::Command;

fn payloads() -> Vec<String> {
    std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/xss/payloads.txt"),
    )
    .unwrap()
    .lines()
    .filter(|l| !l.trim().is_empty())
    .map(str::to_string)
    .collect()
}

/// A YAML double-quoted scalar (JSON strings are valid YAML).
fn q(s: &str) -> String {
    serde_json::to_string(s).unwrap()
}

fn release(p: &str) -> String {
    let v = q(p);
    format!(
        "release:\n  product: {v}\n  title: {v}\n  owner: {v}\n  environment: {v}\n\
checklists:\n  - title: {v}\n    items:\n      - {{title: {v}, priority: high, done: true}}\n\
risks:\n  items:\n    - {{id: R1, title: {v}, level: low, status: mitigated, mitigation: {v}, owner: {v}}}\n\
approvals:\n  signoffs:\n    - {{role: {v}, name: {v}, status: pending, scope: {v}}}\n"
    )
}

fn narrative(p: &str) -> String {
    format!(
        "# Notes {p}\n\n{p}\n\n[{p}](https://example.com)\n\n[link]({p})\n\n![image]({p})\n\n<{p}>\n\n| a | b |\n|---|---|\n| {p} | x |\n\n- {p}\n\n> {p}\n"
    )
}

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
            if [
                "href",
                "src",
                "action",
                "formaction",
                "data",
                "background",
                "poster",
                "content",
                "style",
            ]
            .contains(&key.as_str())
                && (s.contains("javascript:")
                    || s.contains("vbscript:")
                    || s.contains("data:text/html")
                    || s.contains("expression("))
            {
                out.push(format!("script URL in {key}: {tag}"));
            }
        }
    }
    out
}

#[test]
fn no_payload_survives_into_a_page() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    std::fs::create_dir_all(data.join("releases")).unwrap();
    std::fs::write(data.join("gonogo.yaml"), "title: XSS\npdf: false\n").unwrap();
    let all = payloads();
    assert!(all.len() >= 40);
    for (i, p) in all.iter().enumerate() {
        let dir = data.join(format!("releases/x{i:02}"));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("release.yaml"), release(p)).unwrap();
        std::fs::write(dir.join("summary.md"), narrative(p)).unwrap();
    }
    let out = tmp.path().join("site");
    let run = Command::new(env!("CARGO_BIN_EXE_gonogo"))
        .args([
            "build",
            "--data",
            data.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ])
        .env("SOURCE_DATE_EPOCH", "1780272000")
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&run.stderr);
    assert!(run.status.success(), "{err}");
    let mut found = vec![];
    let mut pages = 0;
    for f in common::walk(&out) {
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
            found.push(format!("{}: {p}", f.strip_prefix(&out).unwrap().display()));
        }
    }
    assert!(pages >= 6 * all.len(), "{pages} pages");
    assert!(
        found.is_empty(),
        "{} problems:\n{}",
        found.len(),
        found[..found.len().min(20)].join("\n")
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
    ] {
        assert!(!problems(bad).is_empty(), "{bad}");
    }
    assert!(
        problems(
            "<p>&lt;script&gt;alert(1)&lt;/script&gt; onerror=x</p><a href=\"https://e.x\">ok</a>"
        )
        .is_empty()
    );
}
