//! Narrative Markdown: rendered with pulldown-cmark and sanitized (raw HTML becomes
//! text, links and images may only use safe URL schemes).

use pulldown_cmark::{CowStr, Event, Options, Parser, Tag, html};

fn safe_url(url: &str) -> bool {
    let lower: String = url
        .trim()
        .chars()
        .filter(|c| !c.is_whitespace() && !c.is_control())
        .collect::<String>()
        .to_ascii_lowercase();
    match lower.split_once(':') {
        // A colon before any slash, ? or # starts a scheme.
        Some((scheme, _)) if !scheme.contains(['/', '?', '#']) => {
            matches!(scheme, "http" | "https" | "mailto")
        }
        _ => true,
    }
}

pub fn to_html(md: &str) -> String {
    let parser = Parser::new_ext(
        md,
        Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH | Options::ENABLE_TASKLISTS,
    );
    let events = parser.map(|e| match e {
        Event::Html(h) | Event::InlineHtml(h) => Event::Text(h),
        Event::Start(Tag::Link {
            link_type,
            dest_url,
            title,
            id,
        }) if !safe_url(&dest_url) => Event::Start(Tag::Link {
            link_type,
            dest_url: CowStr::from("#"),
            title,
            id,
        }),
        Event::Start(Tag::Image {
            link_type,
            dest_url,
            title,
            id,
        }) if !safe_url(&dest_url) => Event::Start(Tag::Image {
            link_type,
            dest_url: CowStr::from("#"),
            title,
            id,
        }),
        other => other,
    });
    let mut out = String::new();
    html::push_html(&mut out, events);
    out
}

/// Narrative for Markdown pages: raw HTML is made inert by escaping `<`, and a link
/// or image whose URL is not safe (`javascript:`, `data:` …) stops being one: a
/// backslash before its `(` (or before the `[` of its reference definition) leaves
/// the text as written and no link for a Markdown viewer to follow.
pub fn to_markdown(md: &str) -> String {
    let parser = Parser::new_ext(md, Options::all());
    let mut breaks: Vec<usize> = parser
        .reference_definitions()
        .iter()
        .filter(|(_, def)| !safe_url(&def.dest))
        .filter_map(|(_, def)| md[def.span.clone()].find('[').map(|i| def.span.start + i))
        .collect();
    for (event, range) in Parser::new_ext(md, Options::all()).into_offset_iter() {
        let dest = match &event {
            Event::Start(Tag::Link { dest_url, .. })
            | Event::Start(Tag::Image { dest_url, .. }) => dest_url,
            _ => continue,
        };
        if safe_url(dest) {
            continue;
        }
        if let Some(at) = link_paren(&md[range.clone()]) {
            breaks.push(range.start + at);
        }
    }
    breaks.sort_unstable();
    breaks.dedup();
    let mut out = String::with_capacity(md.len() + breaks.len());
    let mut from = 0;
    for at in breaks {
        out.push_str(&md[from..at]);
        out.push('\\');
        from = at;
    }
    out.push_str(&md[from..]);
    out.replace('<', "&lt;")
}

/// The byte offset of the `(` that opens an inline link's destination: after the `]`
/// that closes the link text (brackets matched, escapes skipped).
fn link_paren(link: &str) -> Option<usize> {
    let bytes = link.as_bytes();
    let mut depth = 0usize;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 1,
            b'[' => depth += 1,
            b']' => {
                depth = depth.checked_sub(1)?;
                if depth == 0 {
                    return (bytes.get(i + 1) == Some(&b'(')).then_some(i + 1);
                }
            }
            _ => {}
        }
        i += 1;
    }
    None
}

/// Escapes a value from data for a Markdown page (tables and inline text).
pub fn escape_md(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            // An entity, not a backslash: `\<script>` would still be raw HTML to some viewers.
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '\\' | '`' | '*' | '_' | '[' | ']' | '|' | '#' | '!' | '~' => {
                out.push('\\');
                out.push(c);
            }
            '\n' | '\r' => out.push(' '),
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sanitizes() {
        let h = to_html(
            "<script>alert(1)</script>\n\n[x](javascript:alert(1)) [y](https://example.com)",
        );
        assert!(!h.contains("<script"));
        assert!(!h.contains("javascript:"));
        assert!(h.contains("https://example.com"));
        assert!(!to_html("[x](JaVaScRiPt:alert(1))").contains("alert"));
    }

    #[test]
    fn markdown_pages_keep_no_unsafe_link() {
        let inert = |md: &str| {
            let out = to_markdown(md);
            let mut h = String::new();
            html::push_html(&mut h, Parser::new_ext(&out, Options::all()));
            assert!(
                !h.contains("href=\"javascript") && !h.contains("src=\"javascript"),
                "{md} -> {out} -> {h}"
            );
            assert!(
                !h.to_ascii_lowercase().contains("href=\"data:"),
                "{md} -> {h}"
            );
            out
        };
        inert("[x](javascript:alert(1))");
        inert("![i](javascript:alert(1))");
        inert("[![i](https://ok)](javascript:alert(1))");
        inert("[x](&#106;avascript:alert(1))");
        inert("[x][r]\n\n[r]: javascript:alert(1)\n");
        inert("[x](data:text/html,<script>alert(1)</script>)");
        assert_eq!(
            to_markdown("[ok](https://example.com) <b>"),
            "[ok](https://example.com) &lt;b>"
        );
    }
}
