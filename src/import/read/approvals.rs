//! Sign-offs: blocks of Name / Date / Status lines under a heading, approval lines
//! ("@qa (Quinn) - Testing & QA: APPROVED", the items under "Awaiting:"), and the
//! statement that every approval is in.

use super::*;

impl Reader<'_> {
    /// Whether line `i` is in a section of Name / Status lines (a sign-off block).
    pub(super) fn signoff_section(&self, i: usize) -> bool {
        self.d.section(i).is_some_and(|h| self.block(h).is_some())
    }

    /// The Name / Date / Status lines directly under heading `h`, when it is a sign-off.
    fn block(&self, h: usize) -> Option<Vec<(usize, String, String)>> {
        let kv: Vec<(usize, String, String)> = self
            .d
            .children(h)
            .filter(|j| matches!(self.d.lines[*j].kind, Kind::Para { .. } | Kind::Item { .. }))
            .filter_map(|j| {
                let t = self.text(j);
                let (k, v) = t.split_once(':')?;
                Some((j, k.trim().to_ascii_lowercase(), v.trim().to_string()))
            })
            .collect();
        let has = |key: &str| kv.iter().any(|(_, k, _)| k == key);
        (has("name") && (has("status") || has("approval") || has("decision"))).then_some(kv)
    }

    /// "✅ @qa (Quinn) - Testing & QA: APPROVED", and under "Awaiting:" the items
    /// "- [ ] @pm (Morgan) - Business Approval": one sign-off a line, a role once.
    pub(super) fn approval_lines(&mut self) {
        for i in 0..self.d.lines.len() {
            let l = &self.d.lines[i];
            if !l.readable() || !matches!(l.kind, Kind::Para { .. } | Kind::Item { .. }) {
                continue;
            }
            let t = self.text(i);
            let awaited = l.parent.is_some_and(|p| {
                let lead = &self.d.lines[p];
                lead.kind == (Kind::Para { lead: true }) && AWAITING_LEAD.is_match(&self.text(p))
            }) && matches!(
                l.kind,
                Kind::Item {
                    task: Some(false),
                    ..
                }
            );
            let Some(c) = APPROVAL_LINE.captures(&t) else {
                continue;
            };
            let status = match c.name("status") {
                Some(s) => sign_status(s.as_str()),
                None if awaited => Some("pending"),
                None => None,
            };
            let Some(status) = status else { continue };
            let role = bare(&c["role"]);
            if role.is_empty()
                || self
                    .out
                    .signoffs
                    .iter()
                    .any(|s| s.role.eq_ignore_ascii_case(&role))
            {
                continue;
            }
            self.out.signoffs.push(Signoff {
                role,
                name: c.name("name").and_then(|n| name_value(n.as_str())),
                status,
                date: None,
                line: l.no,
            });
            self.used.insert(i);
        }
    }

    pub(super) fn signoff_blocks(&mut self) {
        let mut blocks = false;
        for h in 0..self.d.lines.len() {
            if !self.d.lines[h].is_heading() || self.d.lines[h].fenced {
                continue;
            }
            let Some(kv) = self.block(h) else { continue };
            if !blocks {
                blocks = true;
                self.out.approval_groups += 1;
            }
            let get = |key: &[&str]| {
                kv.iter()
                    .find(|(_, k, _)| key.contains(&k.as_str()))
                    .map(|(_, _, v)| v.clone())
            };
            let Some(status) =
                get(&["status", "approval", "decision"]).and_then(|s| sign_status(&s))
            else {
                continue;
            };
            self.out.signoffs.push(Signoff {
                role: bare(&self.text(h)),
                name: get(&["name"]).and_then(|n| name_value(&n)),
                status,
                date: get(&["date", "signed"])
                    .and_then(|d| date_value(&d))
                    .map(|d| {
                        // A sign-off's date is a date: a weekday in front stays in the text.
                        d.split_once(", ").map_or(d.clone(), |(_, r)| r.to_string())
                    }),
                line: self.no(h),
            });
            self.used.insert(h);
            self.used.extend(kv.iter().map(|(j, _, _)| *j));
        }
        // "All approvals obtained", "All 4 sign-offs received": read as the audit
        // reads them (not a condition, a plan or a denial).
        let cx = crate::audit::Ctx {
            file: 0,
            doc: self.d,
        };
        if let Some(st) = crate::audit::approvals::statements(&cx).first()
            && !self.out.signoffs.is_empty()
        {
            self.out.all_approved = Some((self.no(st.line), st.count));
        }
    }
}

pub(super) fn sign_status(v: &str) -> Option<&'static str> {
    let v = bare(v).to_ascii_uppercase();
    if v.is_empty() || v.chars().all(|c| matches!(c, '_' | '-' | '—' | ' ')) {
        return Some("pending");
    }
    if v.contains("REJECT") || v.contains("NO-GO") || v.contains("DENIED") {
        Some("rejected")
    } else if v.contains("CONDITION") {
        Some("conditional")
    } else if v.contains("PENDING") || v.contains("AWAIT") || v.contains("NOT YET") || v == "TBD" {
        Some("pending")
    } else if v.contains("APPROVED") || v == "YES" || v == "GO" || v.contains("SIGNED") {
        Some("approved")
    } else {
        None
    }
}

/// A name as written, unless it is blank or a placeholder (then the sign-off has none).
pub(super) fn name_value(v: &str) -> Option<String> {
    let v = v.trim().trim_matches('*').trim();
    let blank = v.is_empty()
        || v.chars().all(|c| matches!(c, '_' | '-' | '—' | ' ' | '.'))
        || matches!(
            v.to_ascii_uppercase().as_str(),
            "[NAME]" | "TBD" | "TODO" | "?"
        );
    (!blank).then(|| v.to_string())
}

/// "@qa (Quinn) - Testing & QA: APPROVED", "CTO/Engineering Lead - Final Go/No-Go: AWAITING".
static APPROVAL_LINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^[^a-z0-9@]*(?:@[\w.-]+\s*)?(?:[A-Za-z][\w/ .&-]{0,40}?\s*)?(?:\((?P<name>[^)]{1,60})\)\s*)?[-–—]\s+(?P<role>[^:]{2,80}?)(?::\s*(?P<status>approved|awaiting|pending|rejected)\W*)?\s*$")
        .expect("valid pattern")
});

/// A lead line over the approvals still awaited: "Awaiting:", "Pending approvals:".
static AWAITING_LEAD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\W*(?:awaiting|pending|outstanding)(?:\s+(?:approvals?|sign-?offs?))?\W*$")
        .expect("valid pattern")
});
