//! GN1307 audit-encoding: UTF-8 text that was once read as a legacy code page and
//! saved again ("ðŸŸ¢" for 🟢, "âœ…" for ✅). A run of non-ASCII characters is
//! double-encoded when encoding it back to the code page gives valid UTF-8 that is
//! not plain ASCII. Text that is merely non-English ("café", "→") never round-trips.

use crate::diag::{Diagnostic, Loc};
use encoding_rs::Encoding;

/// The code pages tried, in order of preference when several repair the same text.
const PAGES: [(&Encoding, &str); 3] = [
    (encoding_rs::WINDOWS_1252, "Windows-1252"),
    (encoding_rs::WINDOWS_1254, "Windows-1254 (Turkish)"),
    (encoding_rs::MACINTOSH, "Mac Roman"),
];

pub struct Found {
    pub page: usize,
    /// (byte start, byte end, repaired text) of each run.
    pub runs: Vec<(usize, usize, String)>,
}

/// Runs of non-ASCII characters, as byte ranges.
fn runs(text: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in text.char_indices() {
        match (c.is_ascii(), start) {
            (false, None) => start = Some(i),
            (true, Some(s)) => {
                out.push((s, i));
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        out.push((s, text.len()));
    }
    out
}

/// `run` decoded back through `page`, where that gives the UTF-8 it once was. Bytes
/// that do not form a character (some were lost when the text was mis-read) keep
/// their characters as they are.
fn repair_run(run: &str, page: &'static Encoding) -> Option<String> {
    let (bytes, _, unmappable) = page.encode(run);
    if unmappable || bytes.len() != run.chars().count() {
        return None;
    }
    let chars: Vec<char> = run.chars().collect();
    let mut out = String::new();
    let mut repaired = false;
    let mut i = 0;
    while i < bytes.len() {
        let len = match bytes[i] {
            0xC2..=0xDF => 2,
            0xE0..=0xEF => 3,
            0xF0..=0xF4 => 4,
            _ => 0,
        };
        if len > 0
            && let Some(seq) = bytes.get(i..i + len)
            && let Ok(s) = std::str::from_utf8(seq)
        {
            out.push_str(s);
            repaired = true;
            i += len;
        } else {
            out.push(chars[i]);
            i += 1;
        }
    }
    // What mis-read UTF-8 hides is punctuation, Latin letters, symbols and emoji;
    // "’é" read back as Mac Roman gives Armenian, which nobody wrote.
    let plausible = out
        .chars()
        .filter(|c| !c.is_ascii())
        .all(|c| matches!(c as u32, 0xA0..=0x17F | 0x2000..));
    (repaired && plausible).then_some(out)
}

/// `text` with inline code and quotations blanked out (byte positions kept): a
/// document that quotes mis-encoded text to discuss it is not itself mis-encoded.
/// Fenced code is scanned: a box drawn in a code block is still the document's text.
fn own_words(text: &str) -> String {
    let doc = super::doc::parse(text);
    let mut out = String::with_capacity(text.len());
    for (i, (l, raw)) in doc.lines.iter().zip(text.split('\n')).enumerate() {
        if i > 0 {
            out.push('\n');
        }
        if l.fenced {
            out.push_str(l.text);
        } else {
            out.push_str(&l.text[..l.body]);
            out.push_str(&super::doc::plain(l.content()));
        }
        // The `\r` of a CRLF line ending.
        out.push_str(&" ".repeat(raw.len() - l.text.len()));
    }
    out
}

pub fn scan(text: &str) -> Option<Found> {
    let own = own_words(text);
    let all: Vec<(usize, usize)> = runs(&own)
        .into_iter()
        .filter(|(s, e)| own.get(*s..*e) == text.get(*s..*e))
        .collect();
    let mut best: Option<Found> = None;
    for (page, (enc, _)) in PAGES.iter().enumerate() {
        let fixed: Vec<(usize, usize, String)> = all
            .iter()
            .filter_map(|(s, e)| repair_run(&text[*s..*e], enc).map(|r| (*s, *e, r)))
            .collect();
        if !fixed.is_empty() && best.as_ref().is_none_or(|b| fixed.len() > b.runs.len()) {
            best = Some(Found { page, runs: fixed });
        }
    }
    best
}

pub fn repair(text: &str, found: &Found) -> String {
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for (s, e, r) in &found.runs {
        out.push_str(&text[at..*s]);
        out.push_str(r);
        at = *e;
    }
    out.push_str(&text[at..]);
    out
}

pub fn diagnostic(file: usize, text: &str, found: &Found) -> Diagnostic {
    let (s, e, r) = &found.runs[0];
    let line = text[..*s].matches('\n').count() as u64 + 1;
    let line_start = text[..*s].rfind('\n').map_or(0, |i| i + 1);
    let col = text[line_start..*s].chars().count() as u64 + 1;
    let mut lines: Vec<usize> = found
        .runs
        .iter()
        .map(|(s, _, _)| text[..*s].matches('\n').count())
        .collect();
    lines.dedup();
    let page = PAGES[found.page].1;
    Diagnostic::warning(
        "GN1307",
        format!(
            "the text is double-encoded: UTF-8 read as {page} and saved again (`{}` is `{r}`)",
            &text[*s..*e]
        ),
    )
    .at(Loc {
        file,
        line,
        col,
        len: text[*s..*e].chars().count() as u64,
    })
    .claimed(&text[*s..*e])
    .computed(r)
    .note(format!(
        "{} place{} on {} line{}; `gonogo audit --fix-encoding` writes a repaired copy beside the file",
        found.runs.len(),
        if found.runs.len() == 1 { "" } else { "s" },
        lines.len(),
        if lines.len() == 1 { "" } else { "s" }
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_and_repairs() {
        let t = "Status: ðŸŸ¢ APPROVED âœ… and café →";
        let f = scan(t).unwrap();
        assert_eq!(PAGES[f.page].1, "Windows-1252");
        assert_eq!(repair(t, &f), "Status: 🟢 APPROVED ✅ and café →");
        let mac = "# \u{f8ff}üöÄ Deploy ‚úÖ";
        let f = scan(mac).unwrap();
        assert_eq!(PAGES[f.page].1, "Mac Roman");
        assert_eq!(repair(mac, &f), "# 🚀 Deploy ✅");
        let turkish = "ğŸŸ¢ LOW";
        assert_eq!(repair(turkish, &scan(turkish).unwrap()), "🟢 LOW");
    }

    #[test]
    fn clean_text_is_left_alone() {
        for t in [
            "café, naïve, Straße, → ✅ 🟢 日本",
            "plain ASCII",
            "£5 and €3",
        ] {
            assert!(scan(t).is_none(), "{t}");
        }
    }
}
