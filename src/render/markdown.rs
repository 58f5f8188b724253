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
/// the text as written and no link for a Markdown viewer to follow. A heading's
/// attribute block (`## x {onclick=…}`, read by some viewers) loses its `{`.
///
/// Breaking the definition that wins can hand its label to a later one of the same
/// name, so the text is read again until nothing is left to break; past a few rounds
/// every `[` and `{` is escaped.
pub fn to_markdown(md: &str) -> String {
    let mut text = md.replace('<', "&lt;");
    for _ in 0..4 {
        let mut breaks = unsafe_spots(&text);
        if breaks.is_empty() {
            return text;
        }
        breaks.sort_unstable();
        breaks.dedup();
        let mut out = String::with_capacity(text.len() + 6 * breaks.len());
        let mut from = 0;
        for at in breaks {
            out.push_str(&text[from..at]);
            if text[at..].starts_with('{') {
                out.push_str("&#123;");
                from = at + 1;
            } else {
                out.push('\\');
                from = at;
            }
        }
        out.push_str(&text[from..]);
        text = out;
    }
    let mut out = String::with_capacity(text.len() * 2);
    let mut backslashes = 0;
    for c in text.chars() {
        match c {
            '[' if backslashes % 2 == 0 => out.push_str("\\["),
            '{' => out.push_str("&#123;"),
            _ => out.push(c),
        }
        backslashes = if c == '\\' { backslashes + 1 } else { 0 };
    }
    out
}

/// Where `md` must change to hold no unsafe link, image or reference definition and
/// no heading attributes: byte offsets of a `(`, `[` (a backslash goes before) or `{`
/// (replaced by an entity).
fn unsafe_spots(md: &str) -> Vec<usize> {
    let parser = Parser::new_ext(md, Options::all());
    let mut spots: Vec<usize> = parser
        .reference_definitions()
        .iter()
        .filter(|(_, def)| !safe_url(&def.dest))
        .filter_map(|(_, def)| md[def.span.clone()].find('[').map(|i| def.span.start + i))
        .collect();
    for (event, range) in Parser::new_ext(md, Options::all()).into_offset_iter() {
        match &event {
            Event::Start(Tag::Link { dest_url, .. })
            | Event::Start(Tag::Image { dest_url, .. })
                if !safe_url(dest_url) =>
            {
                // An inline link loses its `(`; a wikilink (`[[javascript:…]]`) its
                // first `[` (a reference link loses its definition, above).
                let text = &md[range.clone()];
                if let Some(at) = link_paren(text).or_else(|| text.find('[')) {
                    spots.push(range.start + at);
                }
            }
            Event::Start(Tag::Heading {
                id, classes, attrs, ..
            }) if id.is_some() || !classes.is_empty() || !attrs.is_empty() => {
                if let Some(at) = md[range.clone()].rfind('{') {
                    spots.push(range.start + at);
                }
            }
            _ => {}
        }
    }
    spots
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

/// A fence for `text` in a Markdown code block: one tilde more than the longest run
/// that starts a line of it (four at least), so that no line of it closes the block.
pub fn fence(text: &str) -> String {
    let longest = text
        .split(['\n', '\r'])
        .map(|l| l.trim_start().chars().take_while(|&c| c == '~').count())
        .max()
        .unwrap_or(0);
    "~".repeat(longest.max(3) + 1)
}

/// Text for a fenced code block: every line break a `\n`, which the `indent` filter
/// sees, so that no line of it (after a lone `\r`) falls out of its list item.
pub fn code(text: &str) -> String {
    text.replace("\r\n", "\n").replace('\r', "\n")
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
            // Heading attributes (`## x {onclick=…}`) in viewers that read them.
            '{' => out.push_str("&#123;"),
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
    fn fences_outlast_their_text() {
        assert_eq!(fence("ls"), "~~~~");
        assert_eq!(fence("a\n  ~~~~~~ x\rb"), "~~~~~~~");
        assert_eq!(code("a\rb\r\nc\n"), "a\nb\nc\n");
    }

    #[test]
    fn headings_keep_no_attributes() {
        // Viewers that read heading attributes would make `onerror` one.
        let attrs = |md: &str| {
            let mut h = String::new();
            html::push_html(&mut h, Parser::new_ext(md, Options::all()));
            let tags = h.split('<').map(|t| t.split('>').next().unwrap_or(""));
            assert!(
                !tags.into_iter().any(|t| t.contains("onerror")),
                "{md} -> {h}"
            );
        };
        attrs(&to_markdown(
            "## x {onerror=alert(1)}\n\nx\n{.a onerror=alert(1)}\n---\n",
        ));
        attrs(&format!(
            "## {}",
            escape_md("\"<img src=x onerror=alert(1)>\" {x=1}")
        ));
        attrs(&format!(
            "### {}",
            escape_md("{ \"$x\": \"<img src=x onerror=alert(1)>\" }")
        ));
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
        // A second definition of a label takes over once the first is broken.
        inert(
            "[ ][ref]\n\n[ref]: javascript:alert(1)\n\n[[ ][ref]\n\n[ref]: javascript:alert(2)](https://e.x)\n",
        );
        inert("[[javascript:alert(1)]](https://e.x) [[page|javascript:alert(1)]]");
        let many: String = (0..20)
            .map(|i| format!("[r]: javascript:alert({i})\n\n"))
            .collect();
        inert(&format!("[x][r]\n\n{many}"));
        assert_eq!(
            to_markdown("[ok](https://example.com) <b>"),
            "[ok](https://example.com) &lt;b>"
        );
    }
}
