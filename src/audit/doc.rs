//! A hand-written Markdown (or plain-text) document read line by line into the
//! little structure the audit rules need: fenced code, headings, list items, the
//! line that leads a list, table rows, and who is whose parent.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Blank,
    /// `#` to `######`.
    Heading(u8),
    /// `-`, `*`, `+` or `1.` item; `task` is `Some(done)` for `[ ]` / `[x]`.
    Item {
        indent: usize,
        task: Option<bool>,
    },
    /// A `| a | b |` table row (the `|---|` separator is `Rule`).
    Row,
    /// A paragraph line; `lead` when a list starts on the very next line.
    Para {
        lead: bool,
    },
    /// A fence line, a `---` rule or a table separator: nothing to read.
    Rule,
    /// A `>` block quote or an indented code line: someone else's words.
    Quoted,
}

#[derive(Debug)]
pub struct Line<'a> {
    /// 1-based line number.
    pub no: u64,
    pub text: &'a str,
    /// Inside fenced code: never read by the rules.
    pub fenced: bool,
    pub kind: Kind,
    /// Byte offset in `text` where the content starts (after `#`, markers, `[ ]`).
    pub body: usize,
    /// The heading, item or lead line this line belongs to.
    pub parent: Option<usize>,
}

impl Line<'_> {
    pub fn content(&self) -> &str {
        &self.text[self.body..]
    }
    pub fn is_heading(&self) -> bool {
        matches!(self.kind, Kind::Heading(_))
    }
    pub fn is_item(&self) -> bool {
        matches!(self.kind, Kind::Item { .. })
    }
    /// A line the rules read: not fenced, not blank, not a rule.
    pub fn readable(&self) -> bool {
        !self.fenced && !matches!(self.kind, Kind::Blank | Kind::Rule | Kind::Quoted)
    }
}

pub struct Doc<'a> {
    pub lines: Vec<Line<'a>>,
    /// The lines whose parent is each line, in order.
    kids: Vec<Vec<usize>>,
    /// The lines with no parent.
    top: Vec<usize>,
}

fn fence_marker(t: &str) -> Option<(char, usize)> {
    let t = t.trim_start();
    let c = t.chars().next()?;
    if c != '`' && c != '~' {
        return None;
    }
    let n = t.chars().take_while(|x| *x == c).count();
    (n >= 3).then_some((c, n))
}

/// (indent, byte offset of the content, task state) of a list item line.
fn item(line: &str) -> Option<(usize, usize, Option<bool>)> {
    let indent = line.len() - line.trim_start_matches([' ', '\t']).len();
    let rest = &line[indent..];
    let marker = if rest.starts_with(['-', '*', '+']) {
        1
    } else {
        let digits = rest.chars().take_while(char::is_ascii_digit).count();
        if digits == 0 || digits > 3 || !rest[digits..].starts_with(['.', ')']) {
            return None;
        }
        digits + 1
    };
    let after = &rest[marker..];
    if !after.starts_with([' ', '\t']) {
        return None;
    }
    let after = after.trim_start();
    let task = if after.starts_with("[ ]") {
        Some(false)
    } else if after.starts_with("[x]") || after.starts_with("[X]") {
        Some(true)
    } else {
        None
    };
    let rest = if task.is_some() {
        after[3..].trim_start()
    } else {
        after
    };
    let body = line.len() - rest.len();
    Some((indent, body, task))
}

fn is_rule(t: &str) -> bool {
    let t = t.trim();
    if t.len() >= 3 {
        for c in ['-', '*', '_', '='] {
            if t.chars().all(|x| x == c || x == ' ') && t.contains(c) {
                return true;
            }
        }
    }
    // Table separator: | --- | :---: |
    t.starts_with('|') && t.chars().all(|c| matches!(c, '|' | '-' | ':' | ' '))
}

pub fn parse(text: &str) -> Doc<'_> {
    let mut lines: Vec<Line> = Vec::new();
    let mut fence: Option<(char, usize)> = None;
    // Inside a list: indented lines continue items, they are not code.
    let mut in_list = false;
    for (i, raw) in text.split('\n').enumerate() {
        let t = raw.strip_suffix('\r').unwrap_or(raw);
        let no = i as u64 + 1;
        let mut l = Line {
            no,
            text: t,
            fenced: fence.is_some(),
            kind: Kind::Rule,
            body: 0,
            parent: None,
        };
        if let Some((c, n)) = fence {
            if let Some((c2, n2)) = fence_marker(t)
                && c2 == c
                && n2 >= n
                && t.trim().chars().all(|x| x == c)
            {
                fence = None;
            }
            lines.push(l);
            continue;
        }
        if let Some(m) = fence_marker(t) {
            fence = Some(m);
            l.fenced = true;
            lines.push(l);
            continue;
        }
        let trimmed = t.trim();
        let indent = t.len() - t.trim_start_matches([' ', '\t']).len();
        let after_blank_or_code = lines
            .last()
            .is_none_or(|p| matches!(p.kind, Kind::Blank | Kind::Quoted | Kind::Heading(_)));
        l.kind = if trimmed.is_empty() {
            Kind::Blank
        } else if (trimmed.starts_with('>') && indent < 4)
            || (indent >= 4 && !in_list && after_blank_or_code)
        {
            // A block quote, or an indented code block.
            Kind::Quoted
        } else if is_rule(t) {
            Kind::Rule
        } else if let Some(level) = heading_level(t) {
            l.body = t.len() - t.trim_start_matches('#').trim_start().len();
            Kind::Heading(level)
        } else if let Some((indent, body, task)) = item(t) {
            l.body = body;
            Kind::Item { indent, task }
        } else if trimmed.starts_with('|') {
            Kind::Row
        } else {
            l.body = t.len() - t.trim_start().len();
            Kind::Para { lead: false }
        };
        in_list = match l.kind {
            Kind::Item { .. } => true,
            Kind::Blank => in_list,
            Kind::Para { .. } => in_list && indent > 0,
            _ => false,
        };
        lines.push(l);
    }
    link(&mut lines);
    let mut kids = vec![Vec::new(); lines.len()];
    let mut top = Vec::new();
    for (i, l) in lines.iter().enumerate() {
        if l.fenced || matches!(l.kind, Kind::Blank | Kind::Rule | Kind::Quoted) {
            continue;
        }
        match l.parent {
            Some(p) => kids[p].push(i),
            None => top.push(i),
        }
    }
    Doc { lines, kids, top }
}

fn heading_level(t: &str) -> Option<u8> {
    let n = t.chars().take_while(|c| *c == '#').count();
    ((1..=6).contains(&n) && t[n..].starts_with([' ', '\t'])).then_some(n as u8)
}

/// Sets `parent` and `lead`.
fn link(lines: &mut [Line]) {
    let mut headings: Vec<(u8, usize)> = Vec::new();
    let mut items: Vec<(usize, usize)> = Vec::new(); // (indent, index)
    let mut lead: Option<usize> = None;
    let mut prev_para: Option<usize> = None;
    for i in 0..lines.len() {
        if lines[i].fenced {
            continue;
        }
        let heading = headings.last().map(|(_, h)| *h);
        match lines[i].kind {
            Kind::Heading(level) => {
                while headings.last().is_some_and(|(l, _)| *l >= level) {
                    headings.pop();
                }
                lines[i].parent = headings.last().map(|(_, h)| *h);
                headings.push((level, i));
                items.clear();
                lead = None;
                prev_para = None;
            }
            Kind::Item { indent, .. } => {
                if items.is_empty() && lead.is_none() {
                    // A paragraph line right above the first item leads the list.
                    if let Some(p) = prev_para
                        && p + 1 == i
                    {
                        lines[p].kind = Kind::Para { lead: true };
                        lead = Some(p);
                    }
                }
                while items.last().is_some_and(|(ind, _)| *ind >= indent) {
                    items.pop();
                }
                lines[i].parent = items.last().map(|(_, x)| *x).or(lead).or(heading);
                items.push((indent, i));
                prev_para = None;
            }
            Kind::Para { .. } => {
                let indented = lines[i].text.starts_with([' ', '\t']);
                if indented && let Some((_, last)) = items.last() {
                    // A continuation of the item above.
                    lines[i].parent = Some(*last);
                } else {
                    items.clear();
                    lead = None;
                    lines[i].parent = heading;
                    prev_para = Some(i);
                }
            }
            Kind::Row => {
                items.clear();
                lead = None;
                lines[i].parent = heading;
                prev_para = None;
            }
            Kind::Rule | Kind::Quoted => {
                items.clear();
                lead = None;
                prev_para = None;
            }
            Kind::Blank => {}
        }
    }
}

impl<'a> Doc<'a> {
    /// Lines whose parent is `i`, in order.
    pub fn children(&self, i: usize) -> impl Iterator<Item = usize> + '_ {
        self.kids[i].iter().copied()
    }

    /// The lines with the same parent as `i`, `i` included.
    pub fn siblings(&self, i: usize) -> impl Iterator<Item = usize> + '_ {
        match self.lines[i].parent {
            Some(p) => &self.kids[p],
            None => &self.top,
        }
        .iter()
        .copied()
    }

    /// The top-level items of the list that ends right above line `i` (blank lines
    /// between allowed), in order; empty when the line above is not an item.
    pub fn list_before(&self, i: usize) -> Vec<usize> {
        let Some(mut top) = (0..i).rev().find(|j| self.lines[*j].kind != Kind::Blank) else {
            return vec![];
        };
        if !self.lines[top].is_item() || self.lines[top].fenced {
            return vec![];
        }
        while let Some(p) = self.lines[top].parent.filter(|p| self.lines[*p].is_item()) {
            top = p;
        }
        let mut run: Vec<usize> = self
            .siblings(top)
            .filter(|j| *j <= top)
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .take_while(|j| self.lines[*j].is_item())
            .collect();
        run.reverse();
        run
    }

    /// The heading a line is under.
    pub fn section(&self, mut i: usize) -> Option<usize> {
        loop {
            i = self.lines[i].parent?;
            if self.lines[i].is_heading() {
                return Some(i);
            }
        }
    }
}

/// The prose of a line's content: `**bold**` markers, `` `code` `` spans, "quoted
/// text" and link targets blanked out with spaces, so byte positions are kept. Code
/// and quotations are what someone else wrote, not what the document states.
pub fn plain(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut in_code = false;
    let mut quote: Option<char> = None;
    let blank = |out: &mut String, c: char| out.push_str(&" ".repeat(c.len_utf8()));
    for c in s.chars() {
        match c {
            '`' => {
                in_code = !in_code;
                out.push(' ');
            }
            _ if in_code => blank(&mut out, c),
            '"' | '\u{201C}' | '\u{201D}' => {
                let closing = if c == '\u{201C}' { '\u{201D}' } else { c };
                match quote {
                    Some(q) if q == c || (q == '\u{201D}' && c == '\u{201D}') => quote = None,
                    None => quote = Some(closing),
                    _ => {}
                }
                blank(&mut out, c);
            }
            _ if quote.is_some() => blank(&mut out, c),
            '*' | '_' => out.push(' '),
            _ => out.push(c),
        }
    }
    // An unclosed quote or code span: read the rest after all.
    if in_code || quote.is_some() {
        return s
            .chars()
            .map(|c| if matches!(c, '*' | '_' | '`') { ' ' } else { c })
            .collect();
    }
    // ~~struck-through~~ text, <!-- comments --> and [text](targets) are not prose;
    // each is blanked in one pass from left to right. Linear: the next opening of
    // each kind is remembered until passed, and a kind whose closing is not found
    // once is never looked for again (blanking makes no new closing).
    const KINDS: [(&str, &str); 3] = [("~~", "~~"), ("<!--", "-->"), ("](", ")")];
    let mut next: [Option<usize>; 3] = KINDS.map(|(open, _)| out.find(open));
    let mut dead = next.map(|n| n.is_none());
    let mut at = 0;
    while at < out.len() {
        for k in 0..KINDS.len() {
            if !dead[k] && next[k].is_some_and(|p| p < at) {
                next[k] = out[at..].find(KINDS[k].0).map(|i| at + i);
                dead[k] = next[k].is_none();
            }
        }
        let Some(k) = (0..KINDS.len())
            .filter(|k| !dead[*k])
            .min_by_key(|k| next[*k])
        else {
            break;
        };
        let (open, close) = KINDS[k];
        let start = next[k].expect("a live kind has its next opening");
        let search = start + open.len();
        let Some(j) = out[search..].find(close) else {
            dead[k] = true;
            continue;
        };
        let end = search + j + close.len();
        let spaces = " ".repeat(end - start);
        out.replace_range(start..end, &spaces);
        at = end;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn structure() {
        let d = parse(
            "# T\n\n## A (1 hour)\n### B (30 min)\n- x\n  - y\n- z\n**Lead**:\n1. one\n2. two\n```\n## not\n```\n### C\n",
        );
        let k = |n: usize| &d.lines[n - 1];
        assert_eq!(k(3).kind, Kind::Heading(2));
        assert_eq!(k(3).parent, Some(0));
        assert_eq!(k(4).parent, Some(2));
        assert_eq!(k(5).parent, Some(3));
        assert_eq!(k(6).parent, Some(4));
        assert_eq!(k(7).parent, Some(3));
        assert_eq!(k(8).kind, Kind::Para { lead: true });
        assert_eq!(k(9).parent, Some(7));
        assert!(k(12).fenced);
        assert_eq!(k(14).parent, Some(2));
        assert_eq!(d.children(2).collect::<Vec<_>>(), vec![3, 13]);
        assert_eq!(k(5).content(), "x");
        assert_eq!(d.list_before(7), vec![4, 6]);
        assert_eq!(d.list_before(4), Vec::<usize>::new());
    }

    #[test]
    fn tasks() {
        let d = parse("- [ ] open\n- [x] done\n");
        assert_eq!(
            d.lines[0].kind,
            Kind::Item {
                indent: 0,
                task: Some(false)
            }
        );
        assert_eq!(d.lines[1].content(), "done");
    }

    #[test]
    fn plain_strips_markers_and_targets() {
        assert_eq!(plain("**a** [b](./c.md)").trim_end(), "  a   [b");
        assert_eq!(plain("x `a: 1` \"Monday\" y"), "x                 y");
        assert_eq!(plain("it's 5\" long").len(), "it's 5\" long".len());
    }
}
