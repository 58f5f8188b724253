//! Comments carried from one YAML file to a rewrite of it (`gonogo new release`): a
//! serializer writes no comments, so each comment of the source is put back beside the
//! key it was written at, found by its path (`tests.suites[0].passed`), whatever the
//! layout of either file. A comment whose key is gone moves to the next key that is
//! still there; trailing comments of a key that is gone are dropped with it.

use std::collections::{HashMap, HashSet};

/// Which lines are the text of a `|` or `>` value (a `# heading` there is text, not
/// a comment): the lines after such a key indented deeper than it, blank ones too.
fn block_text(text: &str) -> Vec<bool> {
    let mut inside: Option<usize> = None;
    text.lines()
        .map(|line| {
            let t = line.trim_start();
            let indent = line.len() - t.len();
            if let Some(k) = inside {
                if t.is_empty() || indent > k {
                    return true;
                }
                inside = None;
            }
            let value = strip_comment(t).trim_end();
            let opens = value
                .rsplit([' ', ':'])
                .next()
                .is_some_and(|v| v.starts_with(['|', '>']) && v.len() <= 3)
                && (value.contains(": ") || value.starts_with("- "));
            if opens {
                inside = Some(indent);
            }
            false
        })
        .collect()
}

/// The key path of each line of block-style YAML that starts a key or a sequence
/// entry (None for blank lines, comments, continuation lines and block text).
fn paths(text: &str) -> Vec<Option<String>> {
    let in_text = block_text(text);
    // (column, segment, whether the line opens a block: `key:` with no value).
    let mut stack: Vec<(usize, String, bool)> = vec![];
    let mut counters: HashMap<String, usize> = HashMap::new();
    let joined = |stack: &[(usize, String, bool)]| {
        let mut p = String::new();
        for (_, seg, _) in stack {
            if !p.is_empty() && !seg.starts_with('[') {
                p.push('.');
            }
            p.push_str(seg);
        }
        p
    };
    text.lines()
        .zip(in_text)
        .map(|(line, in_text)| {
            let t = line.trim_start();
            if in_text || t.is_empty() || t.starts_with('#') {
                return None;
            }
            let indent = line.len() - t.len();
            let item = t == "-" || t.starts_with("- ");
            while let Some((col, seg, opens)) = stack.last() {
                let keeps =
                    *col < indent || (*col == indent && item && !seg.starts_with('[') && *opens);
                if keeps {
                    break;
                }
                stack.pop();
            }
            let mut rest = t;
            let mut col = indent;
            let mut any = false;
            while rest == "-" || rest.starts_with("- ") {
                let parent = joined(&stack);
                let n = counters.entry(parent).or_insert(0);
                stack.push((col, format!("[{n}]"), false));
                *n += 1;
                any = true;
                let after = rest[1..].trim_start();
                col += rest.len() - after.len();
                rest = after;
            }
            if let Some(key) = key_of(rest) {
                let value = strip_comment(&rest[rest.find(':').map_or(0, |i| i + 1)..]);
                stack.push((col, key.to_string(), value.trim().is_empty()));
                any = true;
            }
            any.then(|| joined(&stack))
        })
        .collect()
}

/// `key` of a line `key: value` or `key:` (plain or quoted keys; not flow mappings).
fn key_of(t: &str) -> Option<&str> {
    if t.starts_with(['{', '[', '#', '|', '>']) {
        return None;
    }
    let (key, after) = match t.strip_prefix(['"', '\'']) {
        Some(rest) => {
            let q = t.as_bytes()[0] as char;
            let end = rest.find(q)?;
            (&rest[..end], &rest[end + 1..])
        }
        None => {
            let end = t
                .find(": ")
                .or_else(|| t.strip_suffix(':').map(|k| k.len()))?;
            (&t[..end], &t[end..])
        }
    };
    (after.starts_with(':') && !key.is_empty()).then_some(key)
}

/// The line without its trailing comment (` # …` outside quotes).
fn strip_comment(line: &str) -> &str {
    comment_at(line).map_or(line, |i| &line[..i])
}

/// Where a trailing comment starts: a `#` after a space, outside quotes.
fn comment_at(line: &str) -> Option<usize> {
    let mut quote = None;
    let b = line.as_bytes();
    for (i, c) in line.char_indices() {
        match (quote, c) {
            (None, '"' | '\'') => quote = Some(c),
            (Some(q), c) if c == q => quote = None,
            (None, '#') if i == 0 || b[i - 1] == b' ' => return Some(i),
            _ => {}
        }
    }
    None
}

/// `output` with the comments of `source` put back (see the module's note).
pub fn carry(source: &str, output: &str) -> String {
    let out_paths = paths(output);
    let present: HashSet<&str> = out_paths.iter().flatten().map(String::as_str).collect();
    // Full-line comments waiting for the next key that is still there.
    let mut before: HashMap<String, Vec<String>> = HashMap::new();
    let mut trailing: HashMap<String, String> = HashMap::new();
    let mut waiting: Vec<String> = vec![];
    for ((line, path), in_text) in source.lines().zip(paths(source)).zip(block_text(source)) {
        if in_text {
            continue;
        }
        let t = line.trim_start();
        if t.starts_with('#') {
            // As written, indentation included: it says what the comment is about.
            waiting.push(line.to_string());
            continue;
        }
        if t.is_empty() {
            if !waiting.is_empty() {
                waiting.push(String::new());
            }
            continue;
        }
        let Some(path) = path else { continue };
        if !present.contains(path.as_str()) {
            // The comments above a section that is gone are about it.
            if !path.contains(['.', '[']) {
                waiting.clear();
            }
            continue;
        }
        if !waiting.is_empty() {
            before.entry(path.clone()).or_default().append(&mut waiting);
        }
        if let Some(i) = comment_at(line).filter(|i| *i > line.len() - t.len()) {
            trailing.insert(path, line[i..].to_string());
        }
    }
    let mut out = String::new();
    for (line, path) in output.lines().zip(&out_paths) {
        if let Some(p) = path {
            for c in before.remove(p).unwrap_or_default() {
                out.push_str(&c);
                out.push('\n');
            }
        }
        out.push_str(line);
        if let Some(c) = path.as_ref().and_then(|p| trailing.get(p))
            && comment_at(line).is_none()
        {
            // Aligned as the starter files align them, at least two spaces after.
            let pad = 36usize.saturating_sub(line.chars().count()).max(2);
            out.push_str(&" ".repeat(pad));
            out.push_str(c);
        }
        out.push('\n');
    }
    // Comments after the last key the output still has.
    for c in waiting.iter().filter(|c| !c.is_empty()) {
        out.push_str(&format!("{c}\n"));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_follow_keys_and_entries_in_either_layout() {
        let a = "release:\n  product: X\ntests:\n  suites:\n    - name: a\n      passed: 3\n    - { name: b }\n";
        let b =
            "release:\n  product: X\ntests:\n  suites:\n  - name: a\n    passed: 0\n  - name: b\n";
        let pa: Vec<_> = paths(a).into_iter().flatten().collect();
        let pb: Vec<_> = paths(b).into_iter().flatten().collect();
        assert_eq!(
            pa,
            [
                "release",
                "release.product",
                "tests",
                "tests.suites",
                "tests.suites[0].name",
                "tests.suites[0].passed",
                "tests.suites[1]",
            ]
        );
        assert_eq!(pb[..6], pa[..6]);
        assert_eq!(pb[6], "tests.suites[1].name");
    }

    #[test]
    fn lines_of_a_block_value_are_text_not_comments() {
        let source = "runbook:\n  command: |\n    # take a backup\n    pg_dump x\n  owner: dba   # who\nnarrative:\n  - body: |\n      # Heading\n      text\n";
        let output = "runbook:\n  command: |\n    # take a backup\n    pg_dump x\n  owner: dba\n";
        assert_eq!(
            carry(source, output),
            "runbook:\n  command: |\n    # take a backup\n    pg_dump x\n  owner: dba                        # who\n"
        );
    }

    #[test]
    fn comments_come_back_beside_their_keys() {
        let source = "# top\nrelease:\n  product: X   # the product\n  # gone with its key\n  commit: abc\n  owner: Me\ntests:\n  passed: 3   # claim: must match\n# the end\n";
        let output = "release:\n  product: X\n  owner: Me\ntests:\n  passed: 0\n";
        assert_eq!(
            carry(source, output),
            "# top\nrelease:\n  product: X                        # the product\n  # gone with its key\n  owner: Me\ntests:\n  passed: 0                         # claim: must match\n# the end\n"
        );
    }
}
