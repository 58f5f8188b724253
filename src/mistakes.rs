//! What the YAML parser's and the deserializer's errors mean, in words a lead can act
//! on: where the mistake is (a tab in the indentation, a quote left open, a line
//! indented differently from its neighbours, often reported a line away), what the
//! field wants, and what was probably meant.

use crate::diag::{Diagnostic, Loc};

/// Turns a YAML or type error into GN0001, adding a did-you-mean for unknown keys.
pub fn yaml_error(file: usize, text: &str, e: &serde_saphyr::Error) -> Diagnostic {
    let full = e.without_snippet().to_string();
    let first = full.lines().next().unwrap_or("").trim();
    let first = first.strip_prefix("error: ").unwrap_or(first);
    // "line 4 column 5: message" -> "message"
    let message = match first.split_once(": ") {
        Some((head, rest)) if head.starts_with("line ") => rest.to_string(),
        _ => first.to_string(),
    };
    // Location is shown by the snippet; drop the library's own suffix and advice.
    let message = match message.rfind(" at line ") {
        Some(i) if message[i..].contains(", column ") => message[..i].to_string(),
        _ => message,
    };
    let message = match message.strip_prefix("duplicate mapping key: ") {
        Some(rest) => format!(
            "duplicate key `{}`",
            rest.split(", set DuplicateKeyPolicy")
                .next()
                .unwrap_or(rest)
        ),
        None => message,
    };
    let mut d = Diagnostic::error("GN0001", message.clone());
    if message.starts_with("budget breached: Depth") || message == "recursion limit exceeded" {
        d.message = "nested too deep: data files nest at most 64 levels".into();
    }
    if message.contains("merge keys are not allowed") {
        d.message = "`<<` merge keys are not read".into();
        d = d.note(
            "merge keys are YAML 1.1, not 1.2, and overlapping merges are resolved silently; write the keys out (an anchor `&a` with an alias `*a` may still stand for a whole value)",
        );
    }
    let token = e.location().map(|l| scalar_at(text, l.line(), l.column()));
    if let Some(token) = token.filter(|_| message.starts_with("invalid "))
        && let Some(note) = yaml_1_1_number(token)
    {
        d.message = format!("`{token}` is not a number gonogo reads");
        d = d.note(note);
    }
    if let Some(l) = e.location() {
        d = d.at(Loc {
            file,
            line: l.line(),
            col: l.column(),
            len: 1,
        });
    }
    // serde's words for a number that is not one name a Rust type; say what is wanted.
    if let Some(token) = token.filter(|t| !t.is_empty() && yaml_1_1_number(t).is_none()) {
        let wanted = match message.as_str() {
            "invalid u64" | "invalid u32" | "invalid usize" => Some("a whole number (a count)"),
            "invalid i64" | "invalid i32" => Some("a whole number"),
            "invalid f64" | "invalid f32" => Some("a number"),
            _ => None,
        };
        if let Some(wanted) = wanted {
            let key = e
                .location()
                .and_then(|l| key_before(text, l.line(), l.column()));
            d.message = match &key {
                Some(k) => format!("`{k}` takes {wanted}, such as 120; found `{token}`"),
                None => format!("expected {wanted}, found `{token}`"),
            };
            if wanted.contains("count") && token.starts_with('-') {
                d = d.note("a count cannot be negative");
            } else if wanted.contains("whole") && token.parse::<f64>().is_ok() {
                d = d.note("write it without a decimal point");
            } else if token.chars().any(|c| c.is_ascii_digit())
                && token.chars().any(|c| c.is_alphabetic())
            {
                d = d.note("a letter among the digits (`O` for `0`, `l` for `1`?)");
            }
        }
    }
    if let Some(l) = e.location()
        && let Some(better) = syntax(text, &message, l.line())
    {
        d.message = better.message;
        d.loc = Some(Loc {
            file,
            line: better.line,
            col: better.col,
            len: 1,
        });
        d = d.note(better.fix);
        d = d.note(format!("the YAML parser said: {message}"));
    }
    if let Some(field) = message
        .strip_prefix("missing field `")
        .and_then(|r| r.split_once('`'))
        .map(|(f, _)| f.to_string())
        && let Some(l) = e.location()
        && let Some((line, col, owner)) = owner_of(text, l.line())
    {
        d.message = format!("{owner} has no `{field}:`, which it needs");
        d.loc = Some(Loc {
            file,
            line,
            col,
            len: 1,
        });
        d = d.note(format!("add `{field}: …` among its keys"));
    }
    if message.starts_with("invalid boolean")
        && let Some(token) = token.filter(|t| !t.is_empty())
    {
        d.message = format!("`{token}` is not a boolean: write `true` or `false`");
        d = d.note(
            "YAML 1.2 reads only true and false as booleans; yes, no, on and off are YAML 1.1, which gonogo does not guess at",
        );
    }
    if let Some((unknown, expected)) = unknown_field(&message) {
        let expected = match expected.find(" at line ") {
            Some(i) => &expected[..i],
            None => expected.as_str(),
        };
        let candidates: Vec<&str> = expected.split(", ").map(|s| s.trim_matches('`')).collect();
        if let Some(best) = did_you_mean(&unknown, &candidates) {
            d = d.note(format!("did you mean `{best}`?"));
        }
        d.message = format!("unknown key `{unknown}`");
        if unknown.starts_with(|c: char| c.is_ascii_digit()) {
            d = d.note(
                "inside `{ }` a comma ends an entry: a number written with a thousands separator (`1,150 rps`) needs quotes",
            );
        }
        d = d.note(format!("expected one of: {}", candidates.join(", ")));
    }
    d
}

/// The plain scalar starting at 1-based `line` and `col`, up to the next separator.
fn scalar_at(text: &str, line: u64, col: u64) -> &str {
    let Some(l) = text.lines().nth(line.saturating_sub(1) as usize) else {
        return "";
    };
    let start = l
        .char_indices()
        .nth(col.saturating_sub(1) as usize)
        .map_or(l.len(), |(i, _)| i);
    let rest = &l[start..];
    let end = rest
        .find(|c: char| c.is_whitespace() || matches!(c, ',' | ']' | '}' | '#'))
        .unwrap_or(rest.len());
    &rest[..end]
}

/// What a YAML 1.1 reader would make of a number YAML 1.2 refuses or reads
/// differently: a leading zero (octal in 1.1) and base-60 `1:20` (80 in 1.1).
fn yaml_1_1_number(token: &str) -> Option<String> {
    let digits = token.trim_start_matches(['-', '+']);
    let all_digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if digits.len() > 1 && digits.starts_with('0') && all_digits(digits) {
        let plain = digits.trim_start_matches('0');
        return Some(format!(
            "a leading zero makes it octal in YAML 1.1 and decimal in 1.2; write {}",
            if plain.is_empty() { "0" } else { plain }
        ));
    }
    if digits.contains(':') && digits.split(':').all(all_digits) {
        return Some(
            "YAML 1.1 reads this as a base-60 number; write the number, or quote it if it is a time"
                .into(),
        );
    }
    None
}

fn unknown_field(message: &str) -> Option<(String, String)> {
    let rest = message
        .strip_prefix("unknown field `")
        .or_else(|| message.strip_prefix("unknown variant `"))?;
    let (name, tail) = rest.split_once('`')?;
    let expected = tail
        .trim_start_matches(", expected one of ")
        .trim_start_matches(", expected ")
        .to_string();
    Some((name.to_string(), expected))
}

/// The closest candidate by edit distance, when it is close enough to be a typo.
pub fn did_you_mean<'a>(word: &str, candidates: &[&'a str]) -> Option<&'a str> {
    candidates
        .iter()
        .map(|c| (edit_distance(word, c), *c))
        .filter(|(d, c)| *d <= (c.len().max(word.len()) / 3).max(1))
        .min()
        .map(|(_, c)| c)
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != *cb);
            cur.push((prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1));
        }
        prev = cur;
    }
    prev[b.len()]
}

pub fn tz_suggestion(name: &str) -> Option<&'static str> {
    match name.to_ascii_uppercase().as_str() {
        "EST" | "EDT" | "ET" => Some("America/New_York"),
        "CST" | "CDT" | "CT" => Some("America/Chicago"),
        "PST" | "PDT" | "PT" => Some("America/Los_Angeles"),
        "CET" | "CEST" => Some("Europe/Berlin"),
        "UTC" | "GMT" | "Z" => Some("UTC"),
        _ => {
            // `America/New York`, `europe/berlin`, `Asia/Calcuta`: the IANA name
            // spelled with spaces, another case, or a typo.
            let key = |n: &str| n.to_ascii_lowercase().replace([' ', '-'], "_");
            let wanted = key(name.trim());
            let names: Vec<&'static str> =
                chrono_tz::TZ_VARIANTS.iter().map(|tz| tz.name()).collect();
            if let Some(exact) = names.iter().find(|n| key(n) == wanted) {
                return Some(exact);
            }
            // A typo is guessed at only in an Area/Location name: an abbreviation one
            // letter from another (IST, EST) may be hours away.
            if !wanted.contains('/') {
                return None;
            }
            let keys: Vec<String> = names.iter().map(|n| key(n)).collect();
            let keyed: Vec<&str> = keys.iter().map(String::as_str).collect();
            let best = did_you_mean(&wanted, &keyed)?;
            names.into_iter().find(|n| key(n) == best)
        }
    }
}

/// A syntax error said where the mistake is and what to change.
struct Syntax {
    message: String,
    line: u64,
    col: u64,
    fix: String,
}

/// Reads a YAML syntax error against the text: the parser reports what it could not
/// parse, often a line after the mistake or before it.
fn syntax(text: &str, message: &str, line: u64) -> Option<Syntax> {
    let lines: Vec<&str> = text.lines().collect();
    let at = usize::try_from(line).ok()?.checked_sub(1)?;
    // The parser's own words for a tab (not a user's word such as `stable`).
    if [
        "found a tab",
        "tabs disallowed",
        "tab cannot",
        "tab character",
    ]
    .iter()
    .any(|m| message.contains(m))
    {
        return tab(&lines, at);
    }
    if message.contains("quoted scalar") {
        return open_quote(&lines, at);
    }
    if message.contains("did not find expected")
        || message.contains("mapping values are not allowed")
        || message.contains("invalid indentation")
    {
        return indentation(&lines, at);
    }
    None
}

/// The first tab in the indentation of a line, from the line before the error on.
fn tab(lines: &[&str], at: usize) -> Option<Syntax> {
    // From the line before the error on (the parser may count lines its own way,
    // past the end of `lines`: then nothing is found).
    let from = at.saturating_sub(1).min(lines.len());
    let found = (from..lines.len()).find_map(|i| {
        let indent = lines[i].len() - lines[i].trim_start_matches([' ', '\t']).len();
        lines[i][..indent].find('\t').map(|c| (i, c))
    })?;
    let (i, c) = found;
    Some(Syntax {
        message: "a tab in the indentation: YAML indents with spaces only".into(),
        line: i as u64 + 1,
        col: lines[i][..c].chars().count() as u64 + 1,
        fix: format!(
            "replace the tab at column {} of line {} with spaces (editors: turn on \"insert spaces\" for YAML)",
            lines[i][..c].chars().count() + 1,
            i + 1
        ),
    })
}

/// The quote that opens a value and is not closed on its line, at or before the error.
fn open_quote(lines: &[&str], at: usize) -> Option<Syntax> {
    let last = at.min(lines.len().checked_sub(1)?);
    (last.saturating_sub(50)..=last).rev().find_map(|i| {
        let (col, quote) = unclosed(lines[i])?;
        Some(Syntax {
            message: format!(
                "a quoted value is not closed: the {quote} on line {} has no closing {quote}",
                i + 1
            ),
            line: i as u64 + 1,
            col: lines[i][..col].chars().count() as u64 + 1,
            fix: format!(
                "end the value with {quote} on the same line, or remove the opening {quote}"
            ),
        })
    })
}

/// The byte column and kind of a quote that opens a value and is not closed on the
/// line: `"` (with `\"` escapes) or `'` (with `''`). Quotes inside a plain value
/// (`it's`) and after a comment `#` do not count.
fn unclosed(line: &str) -> Option<(usize, &'static str)> {
    let b = line.as_bytes();
    let mut i = 0;
    // Where a value may start: the line's start, after `: `, `- `, `[`, `{`, `,`.
    let mut value_start = true;
    while i < b.len() {
        match b[i] {
            b'"' | b'\'' if value_start => {
                let q = b[i];
                let mut j = i + 1;
                loop {
                    if j >= b.len() {
                        return Some((i, if q == b'"' { "`\"`" } else { "`'`" }));
                    }
                    if q == b'"' && b[j] == b'\\' {
                        j += 2;
                        continue;
                    }
                    if b[j] == q {
                        if q == b'\'' && b.get(j + 1) == Some(&b'\'') {
                            j += 2;
                            continue;
                        }
                        break;
                    }
                    j += 1;
                }
                i = j + 1;
                value_start = false;
            }
            b'#' if i == 0 || b[i - 1] == b' ' => return None,
            b' ' | b'\t' => i += 1,
            b'[' | b'{' | b',' => {
                value_start = true;
                i += 1;
            }
            b':' | b'-' if b.get(i + 1).is_none_or(|c| *c == b' ') => {
                value_start = true;
                i += 1;
            }
            _ => {
                value_start = false;
                i += 1;
            }
        }
    }
    None
}

/// A line indented differently from every line it could belong to.
fn indentation(lines: &[&str], at: usize) -> Option<Syntax> {
    // What a line says once its comment is gone.
    let bare = |l: &str| {
        let t = l.trim();
        match t.find(" #") {
            Some(c) => t[..c].trim_end().to_string(),
            None => t.to_string(),
        }
    };
    // The parser points at the line it stopped on, or at the end of the one before.
    for i in [at, at + 1].into_iter().filter(|i| *i < lines.len()) {
        if !content(lines[i]) {
            continue;
        }
        let mine = indent(lines[i]);
        // The indentations open at this point, nearest first: walking back, each line
        // less indented than the last one kept; an entry `- key: v` opens two, the
        // dash's and its keys'.
        let mut open: Vec<(usize, usize, String)> = vec![];
        let mut limit = usize::MAX;
        for j in (0..i).rev().filter(|j| content(lines[*j])) {
            let k = indent(lines[j]);
            if k >= limit {
                continue;
            }
            let t = bare(lines[j]);
            if let Some(rest) = t.strip_prefix("- ")
                && rest.contains(':')
            {
                let key = rest.split(':').next().unwrap_or(rest).trim().to_string();
                open.push((k + 2, j, format!("`{key}:`")));
            }
            let key = t.split(": ").next().unwrap_or(&t).trim_end_matches(':');
            open.push((k, j, format!("`{key}:`").replace("`- ", "`- ")));
            limit = k;
            if k == 0 {
                break;
            }
        }
        let Some(before) = (0..i).rev().find(|j| content(lines[*j])) else {
            continue;
        };
        let b = bare(lines[before]);
        // A line more indented than the one before is its child when that line opens
        // a block (`key:`, `-`, `|`, `>`), or continues its plain text (no `key:`).
        let opens = b.ends_with(':') || b == "-" || b.ends_with('|') || b.ends_with('>');
        let is_key =
            bare(lines[i]).trim_start_matches("- ").contains(": ") || bare(lines[i]).ends_with(':');
        let child = mine > indent(lines[before]) && (opens || !is_key);
        if child || open.iter().any(|(k, _, _)| *k == mine) {
            continue;
        }
        let spaces = |n: usize| format!("{n} space{}", if n == 1 { "" } else { "s" });
        let levels: Vec<String> = open
            .iter()
            .take(3)
            .map(|(k, j, key)| format!("{} like {key} on line {}", spaces(*k), j + 1))
            .collect();
        return Some(Syntax {
            message: format!(
                "line {} is indented {}, which matches no line above it",
                i + 1,
                spaces(mine)
            ),
            line: i as u64 + 1,
            col: mine as u64 + 1,
            fix: format!(
                "YAML nests by indentation: indent it {} (or the line above it is the one out of line)",
                levels.join(", or ")
            ),
        });
    }
    None
}

/// The key whose value starts at 1-based `line` and `col`: `passed` in `passed: 12O`
/// or in `{ passed: 12O }`.
fn key_before(text: &str, line: u64, col: u64) -> Option<String> {
    let l = text
        .lines()
        .nth(usize::try_from(line).ok()?.checked_sub(1)?)?;
    let at = l
        .char_indices()
        .nth(usize::try_from(col).ok()?.checked_sub(1)?)
        .map_or(l.len(), |(i, _)| i);
    let before = l[..at].trim_end().strip_suffix(':')?;
    let key = before
        .rsplit(|c: char| c.is_whitespace() || matches!(c, '{' | ',' | '-'))
        .next()?
        .trim_matches(['"', '\'']);
    (!key.is_empty()).then(|| key.to_string())
}

/// The mapping a block-style line belongs to, for a field missing from it (the parser
/// reports the mapping's end): its key line (`release:`) or its entry (`- name: x`),
/// 1-based line and column, and how to name it; in flow style, the `{` of the line.
fn owner_of(text: &str, line: u64) -> Option<(u64, u64, String)> {
    let lines: Vec<&str> = text.lines().collect();
    let at = usize::try_from(line)
        .ok()?
        .checked_sub(1)?
        .min(lines.len().checked_sub(1)?);
    // The line the parser stopped on may be the next key after the mapping: start from
    // the last content line at or before it that is not less indented than the mapping.
    let here = (0..=at).rev().find(|i| content(lines[*i]))?;
    let flow = {
        let t = lines[here].trim_start().trim_start_matches("- ");
        t.starts_with('{') || strip_quoted(lines[here]).contains(": {")
    };
    if flow && let Some(open) = lines[here].rfind('{') {
        let col = lines[here][..open].chars().count() as u64 + 1;
        return Some((here as u64 + 1, col, "this `{ … }`".into()));
    }
    let mine = indent(lines[here]);
    let owner = (0..here)
        .rev()
        .find(|j| content(lines[*j]) && indent(lines[*j]) < mine)?;
    let t = lines[owner].trim_start();
    let col = indent(lines[owner]) as u64 + 1;
    let name = if let Some(entry) = t.strip_prefix("- ") {
        format!("the entry `{}` on line {}", entry.trim(), owner + 1)
    } else {
        format!("`{}`", t.split('#').next().unwrap_or(t).trim())
    };
    Some((owner as u64 + 1, col, name))
}

/// The line with quoted text blanked and its comment cut: what is left is syntax.
fn strip_quoted(line: &str) -> String {
    let mut out = String::new();
    let mut quote = None;
    for c in line.chars() {
        match (quote, c) {
            (None, '"' | '\'') => {
                quote = Some(c);
                out.push(' ');
            }
            (Some(q), c) if c == q => {
                quote = None;
                out.push(' ');
            }
            (Some(_), _) => out.push(' '),
            (None, '#') if out.is_empty() || out.ends_with(' ') => break,
            (None, c) => out.push(c),
        }
    }
    out
}

/// The spaces a line is indented by.
fn indent(l: &str) -> usize {
    l.len() - l.trim_start_matches(' ').len()
}

/// Whether a line holds YAML (not blank, not only a comment).
fn content(l: &str) -> bool {
    let t = l.trim_start();
    !t.is_empty() && !t.starts_with('#')
}
