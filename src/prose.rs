//! Narrative text: Markdown from YAML fields and from `*.md` files, with the
//! positions needed to point a diagnostic at a line and column of the source, and
//! the plain prose of it (code, quotes and raw HTML left out) for the checks.

use crate::diag::{Loc, SourceFile};
use crate::load::Release;
use crate::model::S;
use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

pub enum Origin<'a> {
    /// A YAML string (often a block scalar).
    Yaml(&'a S<String>),
    /// A Markdown file; the body starts at this byte offset.
    File(usize),
}

pub struct Prose<'a> {
    pub file: usize,
    pub title: &'a str,
    pub body: &'a str,
    pub origin: Origin<'a>,
}

/// Every narrative of a release: the YAML `narrative:` entries, then the files.
pub fn of<'a>(r: &'a Release, sources: &'a [SourceFile]) -> Vec<Prose<'a>> {
    let mut out = vec![];
    if let Some(n) = &r.narrative {
        for x in &n.v {
            out.push(Prose {
                file: n.file,
                title: &x.title,
                body: &x.body.value,
                origin: Origin::Yaml(&x.body),
            });
        }
    }
    for f in &r.narrative_files {
        let text = &sources[f.file].text;
        out.push(Prose {
            file: f.file,
            title: &f.title,
            body: &text[f.body_start.min(text.len())..],
            origin: Origin::File(f.body_start),
        });
    }
    out
}

impl Prose<'_> {
    /// The source location of a byte offset in the body.
    pub fn locate(&self, sources: &[SourceFile], at: usize, len: usize) -> Loc {
        let src = &sources[self.file].text;
        let (line_in_body, col_in_line) = line_col(self.body, at);
        match &self.origin {
            Origin::File(start) => {
                let (line, byte_col) = line_col(src, start + at);
                // Columns are counted in characters, as everywhere in diagnostics.
                let line_start = start + at + 1 - byte_col;
                let col = src
                    .get(line_start..start + at)
                    .map(|t| t.chars().count())
                    .unwrap_or(0)
                    + 1;
                Loc {
                    file: self.file,
                    line: line as u64,
                    col: col as u64,
                    len: len as u64,
                }
            }
            Origin::Yaml(s) => {
                // Find the body's lines in the source, in order, from the scalar's line.
                let src_lines: Vec<&str> = src.lines().collect();
                let mut next = (s.referenced.line() as usize).saturating_sub(1);
                let mut found = None;
                for (k, bl) in self.body.lines().enumerate().take(line_in_body) {
                    let content = bl.trim_start();
                    if content.is_empty() {
                        continue;
                    }
                    let Some(j) = (next..src_lines.len()).find(|j| src_lines[*j].contains(content))
                    else {
                        break;
                    };
                    if k + 1 == line_in_body {
                        let lead = bl.len() - content.len();
                        let start = src_lines[j].find(content).unwrap_or(0);
                        let byte_col = start + col_in_line.saturating_sub(1).saturating_sub(lead);
                        let chars = src_lines[j]
                            .get(..byte_col)
                            .map(|t| t.chars().count())
                            .unwrap_or(0);
                        found = Some((j + 1, chars + 1));
                    }
                    next = j + 1;
                }
                let (line, col) =
                    found.unwrap_or((s.referenced.line() as usize, s.referenced.column() as usize));
                Loc {
                    file: self.file,
                    line: line as u64,
                    col: col as u64,
                    len: len as u64,
                }
            }
        }
    }
}

/// 1-based line and byte column (1-based) of a byte offset.
fn line_col(text: &str, at: usize) -> (usize, usize) {
    let at = at.min(text.len());
    let before = &text[..at];
    let line = before.matches('\n').count() + 1;
    let col = at - before.rfind('\n').map(|i| i + 1).unwrap_or(0) + 1;
    (line, col)
}

/// A run of prose (a paragraph, heading, list item or table cell) as plain text,
/// with a map from plain offsets back to body offsets.
pub struct Run {
    pub text: String,
    map: Vec<(usize, usize)>,
}

impl Run {
    /// The body offset of a plain-text offset.
    pub fn source(&self, plain: usize) -> usize {
        match self.map.binary_search_by(|(p, _)| p.cmp(&plain)) {
            Ok(i) => self.map[i].1,
            Err(0) => 0,
            Err(i) => self.map[i - 1].1 + (plain - self.map[i - 1].0),
        }
    }
}

/// The prose of a Markdown body: code (blocks and spans), block quotes, raw HTML and
/// `{{ expressions }}` are left out.
pub fn runs(body: &str) -> Vec<Run> {
    let mut out = vec![];
    let mut cur = Run {
        text: String::new(),
        map: vec![],
    };
    let mut skip = 0usize;
    let flush = |cur: &mut Run, out: &mut Vec<Run>| {
        if !cur.text.trim().is_empty() {
            out.push(std::mem::replace(
                cur,
                Run {
                    text: String::new(),
                    map: vec![],
                },
            ));
        } else {
            *cur = Run {
                text: String::new(),
                map: vec![],
            };
        }
    };
    let parser = Parser::new_ext(body, Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH)
        .into_offset_iter();
    for (event, range) in parser {
        match event {
            Event::Start(Tag::CodeBlock(_) | Tag::BlockQuote(_) | Tag::HtmlBlock) => skip += 1,
            Event::End(TagEnd::CodeBlock | TagEnd::BlockQuote(_) | TagEnd::HtmlBlock) => {
                skip = skip.saturating_sub(1)
            }
            Event::Text(t) if skip == 0 => {
                // Text is usually the source itself; find it to keep offsets exact.
                let src = &body[range.clone()];
                let start = if src == t.as_ref() {
                    range.start
                } else {
                    range.start + src.find(t.as_ref()).unwrap_or(0)
                };
                cur.map.push((cur.text.len(), start));
                cur.text.push_str(&t);
            }
            Event::Code(_) if skip == 0 => {
                cur.map.push((cur.text.len(), range.start));
                cur.text.push_str(" ⟨code⟩ ");
            }
            Event::SoftBreak | Event::HardBreak if skip == 0 => {
                cur.map.push((cur.text.len(), range.start));
                cur.text.push(' ');
            }
            Event::End(
                TagEnd::Paragraph | TagEnd::Heading(_) | TagEnd::Item | TagEnd::TableCell,
            ) => flush(&mut cur, &mut out),
            _ => {}
        }
    }
    flush(&mut cur, &mut out);
    // Blank out expressions: the numbers in them are computed, not typed.
    for r in &mut out {
        while let (Some(a), Some(b)) = (r.text.find("{{"), r.text.find("}}")) {
            if b < a {
                break;
            }
            let blank = " ".repeat(b + 2 - a);
            r.text.replace_range(a..b + 2, &blank);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prose_leaves_out_code_quotes_and_expressions() {
        let body = "We ship on **Monday**, 2025-12-25.\n\n```\nMonday, 2025-12-25\n```\n\n> Monday, 2025-12-25\n\n`x` and {{ tests.passed }} tests";
        let r = runs(body);
        assert_eq!(r.len(), 2);
        assert_eq!(r[0].text, "We ship on Monday, 2025-12-25.");
        assert_eq!(&body[r[0].source(11)..r[0].source(11) + 6], "Monday");
        assert!(!r[1].text.contains("tests.passed"));
    }
}
