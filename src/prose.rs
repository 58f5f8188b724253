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
    /// Built at the first `locate`, so that locating every finding of a long text
    /// stays linear in its length.
    index: std::cell::OnceCell<Index>,
}

/// Where the body's lines are: their starts in the body, and where each sits in the
/// source (a Markdown file: the body's own lines; a YAML string: the source line
/// and byte at which the line's content was found, and the line's indentation).
struct Index {
    body_lines: Vec<usize>,
    src_lines: Vec<usize>,
    yaml: Vec<Option<(usize, usize, usize)>>,
    /// The last column counted: (line start, byte, characters before it), so that
    /// findings along one long line are counted from the last, not from its start.
    last: std::cell::Cell<(usize, usize, usize)>,
}

/// Byte offsets of the starts of the lines of `text`.
fn line_starts(text: &str) -> Vec<usize> {
    std::iter::once(0)
        .chain(text.match_indices('\n').map(|(i, _)| i + 1))
        .collect()
}

/// The 0-based line (of `starts`) holding byte `at`.
fn line_of(starts: &[usize], at: usize) -> usize {
    starts.partition_point(|s| *s <= at).saturating_sub(1)
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
                index: Default::default(),
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
            index: Default::default(),
        });
    }
    out
}

impl Prose<'_> {
    /// The source location of a byte offset in the body.
    pub fn locate(&self, sources: &[SourceFile], at: usize, len: usize) -> Loc {
        let src = &sources[self.file].text;
        let ix = self.index.get_or_init(|| self.build_index(src));
        let at = at.min(self.body.len());
        let (line, col) = match &self.origin {
            Origin::File(start) => {
                let abs = (start + at).min(src.len());
                let line = line_of(&ix.src_lines, abs);
                (line + 1, ix.chars_between(src, ix.src_lines[line], abs) + 1)
            }
            Origin::Yaml(s) => {
                let k = line_of(&ix.body_lines, at);
                let byte_in_line = at - ix.body_lines[k];
                match ix.yaml.get(k).copied().flatten() {
                    Some((j, start, lead)) => {
                        let line_start = ix.src_lines[j];
                        let end =
                            (line_start + start + byte_in_line.saturating_sub(lead)).min(src.len());
                        (j + 1, ix.chars_between(src, line_start, end) + 1)
                    }
                    None => (s.referenced.line() as usize, s.referenced.column() as usize),
                }
            }
        };
        Loc {
            file: self.file,
            line: line as u64,
            col: col as u64,
            len: len as u64,
        }
    }

    fn build_index(&self, src: &str) -> Index {
        let src_lines = line_starts(src);
        let body_lines = line_starts(self.body);
        let mut yaml = vec![];
        if let Origin::Yaml(s) = &self.origin {
            // Find the body's lines in the source, in order, from the scalar's line.
            let text_of = |j: usize| {
                let end = src_lines.get(j + 1).map_or(src.len(), |e| e - 1);
                &src[src_lines[j]..end.max(src_lines[j])]
            };
            let mut next = (s.referenced.line() as usize).saturating_sub(1);
            let mut lost = false;
            for bl in self.body.split('\n') {
                let content = bl.trim_start();
                if lost || content.is_empty() {
                    yaml.push(None);
                    continue;
                }
                match (next..src_lines.len()).find_map(|j| text_of(j).find(content).map(|p| (j, p)))
                {
                    Some((j, p)) => {
                        yaml.push(Some((j, p, bl.len() - content.len())));
                        next = j + 1;
                    }
                    None => {
                        lost = true;
                        yaml.push(None);
                    }
                }
            }
        }
        Index {
            body_lines,
            src_lines,
            yaml,
            last: std::cell::Cell::new((usize::MAX, 0, 0)),
        }
    }
}

impl Index {
    /// Characters of `src` from `line_start` to `at`, counted on from the last count
    /// when it was on the same line and before `at`.
    fn chars_between(&self, src: &str, line_start: usize, at: usize) -> usize {
        let (l, b, c) = self.last.get();
        let (from, base) = if l == line_start && b <= at {
            (b, c)
        } else {
            (line_start, 0)
        };
        let n = base + src.get(from..at).map_or(0, |t| t.chars().count());
        self.last.set((line_start, at, n));
        n
    }
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
