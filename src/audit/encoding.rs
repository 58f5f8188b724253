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

/// `run` decoded back through `page`, when that gives the UTF-8 it once was.
fn repair_run(run: &str, page: &'static Encoding) -> Option<String> {
    let (bytes, _, unmappable) = page.encode(run);
    if unmappable {
        return None;
    }
    let s = std::str::from_utf8(&bytes).ok()?;
    (!s.is_ascii() && s.chars().count() < run.chars().count()).then(|| s.to_string())
}

pub fn scan(text: &str) -> Option<Found> {
    let all = runs(text);
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
        "{} places on {} lines; `gonogo audit --fix-encoding` writes a repaired copy beside the file",
        found.runs.len(),
        lines.len()
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
