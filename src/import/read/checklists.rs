//! Sections that state their duration (in brackets or after "estimated") as
//! checklists, and what a node's duration is in the draft: a fact, a claim, or a
//! window kept as a comment.

use super::*;

impl Reader<'_> {
    /// Sections whose headings state a duration in brackets, as checklists.
    pub(super) fn checklists(&mut self) {
        let roots: Vec<usize> = (0..self.d.lines.len())
            .filter(|h| self.timed(*h) && self.d.lines[*h].parent.is_none_or(|p| !self.timed(p)))
            .collect();
        for h in roots {
            let node = self.node(h);
            self.out.checklists.push(node);
        }
    }

    /// A heading that states its duration, or has a sub-section that does.
    fn timed(&self, h: usize) -> bool {
        let l = &self.d.lines[h];
        l.readable()
            && matches!(l.kind, Kind::Heading(2..))
            && (duration_of(&self.text(h)).is_some()
                || self
                    .d
                    .children(h)
                    .any(|k| self.d.lines[k].is_heading() && self.timed(k)))
    }

    /// A line's text with the lines that continue it (a list item wrapped).
    fn joined(&self, i: usize) -> String {
        let mut t = self.text(i);
        for (next, k) in (self.no(i) + 1..).zip(self.d.children(i)) {
            let c = &self.d.lines[k];
            if !matches!(c.kind, Kind::Para { .. }) || c.no != next {
                break;
            }
            t.push(' ');
            t.push_str(&self.text(k));
        }
        t
    }

    fn node(&mut self, i: usize) -> Node {
        let t = if self.d.lines[i].is_item() {
            self.joined(i)
        } else {
            self.text(i)
        };
        let l = &self.d.lines[i];
        let done = match l.kind {
            Kind::Item { task, .. } => task,
            _ => None,
        };
        let mut items = vec![];
        let kids: Vec<usize> = self.d.children(i).collect();
        let heads: Vec<usize> = kids
            .iter()
            .copied()
            .filter(|k| self.d.lines[*k].is_heading())
            .collect();
        let chosen: Vec<usize> = if heads.is_empty() {
            // Items count when each is a task or states its duration.
            kids.iter()
                .copied()
                .filter(|k| self.d.lines[*k].is_item())
                .filter(|k| {
                    matches!(self.d.lines[*k].kind, Kind::Item { task: Some(_), .. })
                        || duration_of(&self.joined(*k)).is_some()
                })
                .collect()
        } else {
            heads
        };
        for k in chosen {
            items.push(self.node(k));
        }
        self.used.insert(i);
        let mut duration = duration_of(&t);
        let mut line = l.no;
        // "Total Estimated Time: 20-40 hours" in the section: the total of its parts.
        let mut total = false;
        if l.is_heading() && !items.is_empty() {
            let lines: Vec<usize> = self.section_lines(i);
            if let Some((j, d)) = lines.iter().find_map(|j| {
                let tt = self.text(*j);
                TOTAL
                    .is_match(&tt)
                    .then(|| quantity::durations(&tt).into_iter().next())
                    .flatten()
                    .and_then(|q| {
                        let w = tt[q.start..q.end].trim().to_string();
                        crate::amount::Amount::parse(&w).ok().map(|_| (*j, w))
                    })
            }) && duration.is_none()
            {
                duration = Some(d);
                line = self.no(j);
                total = true;
                self.used.insert(j);
            }
        }
        let complete = !items.is_empty() && items.iter().all(|k: &Node| k.duration.is_some());
        let claim = if duration.is_none() || !complete {
            Claim::Fact
        } else if total {
            Claim::Sum(line)
        } else {
            // A heading's duration over items that all state theirs: a window they
            // fit in, unless they take longer than its upper end.
            let whole = duration
                .as_deref()
                .and_then(|d| crate::amount::Amount::parse(d).ok());
            let parts: Option<Vec<crate::amount::Amount>> = items
                .iter()
                .map(|k| {
                    k.duration
                        .as_deref()
                        .and_then(|d| crate::amount::Amount::parse(d).ok())
                })
                .collect();
            let hedged = crate::audit::sums::NOT_A_SUM.is_match(&t);
            match (whole, parts) {
                (Some(w), Some(p))
                    if !hedged && p.iter().map(|a| a.lo).sum::<f64>() > w.hi + 1e-9 =>
                {
                    Claim::Sum(l.no)
                }
                // The document's own reading (the audit's) finds the figure wrong:
                // then it is a claim, and `check` reports it too.
                _ if self.wrong.contains(&l.no) => Claim::Sum(l.no),
                _ => Claim::Window,
            }
        };
        Node {
            title: title_without_duration(&t),
            duration,
            claim,
            done,
            items,
            line: l.no,
        }
    }

    /// The lines of heading `i`'s section that are not headings: its own and those of
    /// its sub-sections.
    fn section_lines(&self, i: usize) -> Vec<usize> {
        let mut out = vec![];
        for k in self.d.children(i) {
            if self.d.lines[k].is_heading() {
                out.extend(self.section_lines(k));
            } else {
                out.push(k);
            }
        }
        out
    }
}

static TOTAL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^[^a-z0-9]*total(?:\s+(?:estimated|planned|expected))?(?:\s+(?:time|duration|effort))?[^a-z0-9]*:")
        .expect("valid pattern")
});

/// The duration a heading or item states in brackets, as gonogo writes it.
pub(super) fn duration_of(t: &str) -> Option<String> {
    let (start, end) = crate::audit::procedures::stated_estimate(t)?;
    let written = t[start..end].trim().to_string();
    crate::amount::Amount::parse(&written).ok().map(|_| written)
}

/// "Phase 5: Production Deployment (4-6 hours)" → "Phase 5: Production Deployment".
pub(super) fn title_without_duration(t: &str) -> String {
    // "Rollback — estimated time: 4-6 hours", "Smoke checks (est. 20 min)".
    static ESTIMATED: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)[\s—–(-]*\b(?:estimated|estimate|est\.|eta)\b[^)]*\)?\s*$")
            .expect("valid pattern")
    });
    if let Some(m) = ESTIMATED.find(t)
        && m.start() > 0
        && !quantity::durations(m.as_str()).is_empty()
    {
        return bare(&t[..m.start()]);
    }
    let mut s = t.to_string();
    if let Some(q) = quantity::paren_duration(t)
        && let Some(open) = t[..q.start].rfind('(')
        && let Some(close) = t[q.end..].find(')')
    {
        s = format!("{}{}", &t[..open], &t[q.end + close + 1..]);
    }
    bare(s.trim())
}
