//! A draft release written as YAML text: every value quoted as JSON quotes it (a
//! valid YAML scalar whatever it holds), with a comment naming the line it came from,
//! and the narrative as literal blocks.

use super::read::{Draft, Node};
use std::fmt::Write;

fn q(s: &str) -> String {
    serde_json::to_string(s).expect("a string serializes")
}

pub fn yaml(d: &Draft, source: &str) -> String {
    let at = |line: u64| format!("# {source}:{line}");
    let mut o = String::new();
    let _ = writeln!(
        o,
        "# yaml-language-server: $schema=../../../schema/release.schema.json"
    );
    let _ = writeln!(
        o,
        "# Draft imported by `gonogo import` from {source}. Each value names the line it came\n# from; what was not read as a fact is kept as narrative below. Claims (the figures the\n# document states about its facts) are marked: `gonogo check` compares them with the facts."
    );
    let _ = writeln!(o, "release:");
    let _ = writeln!(o, "  product: {}", q(&d.product));
    if let Some(v) = &d.version {
        let _ = writeln!(o, "  version: {}", q(v));
    }
    if !d.title.is_empty() {
        let _ = writeln!(o, "  title: {}", q(&d.title));
    }
    if let Some((w, line)) = &d.deploy {
        let claim = if w.contains(',') {
            " (the weekday is a claim)"
        } else {
            ""
        };
        let _ = writeln!(o, "  deploy: {}  {}{claim}", q(w), at(*line));
    }
    // A stated decision is checked against the policy's, which fails closed: it needs
    // test results, every approval, and the critical and high-priority items done.
    // A draft holds what the document gives as data, rarely all of that, so the
    // decision would fail for want of evidence rather than because the document
    // contradicts itself: it waits as a comment until the facts are complete.
    // Where the document itself lists an approval as awaited, pending or rejected, a
    // GO or READY contradicts the document's own facts: then the claim is written.
    let refused = d
        .signoffs
        .iter()
        .any(|s| matches!(s.status, "pending" | "rejected"));
    for (key, stated) in [("decision", &d.decision), ("status", &d.status)] {
        if let Some((w, line)) = stated {
            if refused && matches!(*w, "GO" | "ready" | "GO WITH CONDITIONS") {
                let _ = writeln!(
                    o,
                    "  {key}: {}  {} (claim; the document lists an approval not given)",
                    q(w),
                    at(*line)
                );
            } else {
                let _ = writeln!(
                    o,
                    "  # {key}: {}  {} (claim): uncomment once the tests, approvals and checklist it rests on are here",
                    q(w),
                    at(*line)
                );
            }
        }
    }
    if !d.suites.is_empty() {
        let _ = writeln!(o, "\ntests:\n  suites:");
        for s in &d.suites {
            let _ = writeln!(
                o,
                "    - {{ name: {}, passed: {}, failed: {} }}  {}",
                q(&s.name),
                s.passed,
                s.failed,
                at(s.line)
            );
        }
    }
    if !d.metrics.is_empty() {
        let _ = writeln!(o, "\nmetrics:");
        for m in &d.metrics {
            let _ = write!(o, "  - {{ name: {}, target: {}", q(&m.name), q(&m.target));
            if let Some(a) = &m.actual {
                let _ = write!(o, ", actual: {}", q(a));
            }
            if let Some(b) = &m.better {
                let _ = write!(o, ", better: {}", q(b));
            }
            let claim = if m.better.is_some() {
                " (better: claim)"
            } else {
                ""
            };
            let _ = writeln!(o, " }}  {}{claim}", at(m.line));
        }
    }
    if !d.signoffs.is_empty() {
        let _ = writeln!(o, "\napprovals:\n  signoffs:");
        for s in &d.signoffs {
            let _ = write!(o, "    - {{ role: {}", q(&s.role));
            if let Some(n) = &s.name {
                let _ = write!(o, ", name: {}", q(n));
            }
            // An approval counts with its date; one the document gives without a date
            // is written pending (fail closed) and says so.
            let undated = s.date.is_none() && matches!(s.status, "approved" | "conditional");
            let status = if undated { "pending" } else { s.status };
            let _ = write!(o, ", status: {status}");
            if let Some(dt) = &s.date {
                let _ = write!(o, ", date: {}", q(dt));
            }
            let mut why = String::new();
            if s.name.is_none() {
                why.push_str(" (no name written)");
            }
            if undated {
                let _ = write!(
                    why,
                    " ({} in the document, without a date: add `date:` and set `status: {}`)",
                    s.status, s.status
                );
            }
            let _ = writeln!(o, " }}  {}{why}", at(s.line));
        }
        if let Some((line, count)) = d.all_approved {
            // The claim waits, as a comment, when it would fail because of the draft and
            // not the document: over approvals written pending for want of a date, or
            // when the document has several groups of approvals and speaks of one.
            let undated = d
                .signoffs
                .iter()
                .any(|s| s.date.is_none() && matches!(s.status, "approved" | "conditional"));
            let why = if undated {
                Some("uncomment once every approval above has its date")
            } else if d.approval_groups > 1 {
                Some(
                    "the document says this of one of its groups of approvals; the draft lists them all",
                )
            } else {
                None
            };
            let wait = if why.is_some() { "# " } else { "" };
            let _ = writeln!(o, "  {wait}all_approved: true  {} (claim)", at(line));
            if let Some(n) = count {
                let _ = writeln!(o, "  {wait}approved: \"{n}/{n}\"  {} (claim)", at(line));
            }
            if let Some(why) = why {
                let _ = writeln!(o, "  # ({why})");
            }
        }
    }
    if !d.risks.is_empty() {
        let _ = writeln!(o, "\nrisks:\n  items:");
        for r in &d.risks {
            let _ = write!(
                o,
                "    - {{ title: {}, level: {}, status: {}",
                q(&r.title),
                r.level,
                r.status
            );
            if let Some(m) = &r.mitigation {
                let _ = write!(o, ", mitigation: {}", q(m));
            }
            let _ = writeln!(o, " }}  {}", at(r.line));
        }
    }
    if !d.checklists.is_empty() {
        let _ = writeln!(o, "\nchecklists:");
        for n in &d.checklists {
            node(&mut o, n, 1, &at);
        }
    }
    if !d.narrative.is_empty() {
        let _ = writeln!(o, "\nnarrative:");
        for (title, body) in &d.narrative {
            let _ = writeln!(o, "  - title: {}\n    body: |2", q(title));
            for line in body.lines() {
                if line.trim().is_empty() {
                    let _ = writeln!(o);
                } else {
                    let _ = writeln!(o, "      {line}");
                }
            }
        }
    }
    o
}

fn node(o: &mut String, n: &Node, depth: usize, at: &dyn Fn(u64) -> String) {
    let pad = "  ".repeat(depth);
    let _ = writeln!(o, "{pad}- title: {}  {}", q(&n.title), at(n.line));
    if let Some(dur) = &n.duration {
        match n.claim {
            super::read::Claim::Fact => {
                let _ = writeln!(o, "{pad}  duration: {}", q(dur));
            }
            super::read::Claim::Sum(line) => {
                let _ = writeln!(
                    o,
                    "{pad}  duration: {}  {} (claim: the sum of the items below)",
                    q(dur),
                    at(line)
                );
            }
            super::read::Claim::Window => {
                let _ = writeln!(
                    o,
                    "{pad}  # duration: {}  the time the document gives for the whole; the items fit in it (gonogo would compare it with their exact sum)",
                    q(dur)
                );
            }
        }
    }
    if let Some(done) = n.done {
        let _ = writeln!(o, "{pad}  done: {done}");
    }
    if !n.items.is_empty() {
        let _ = writeln!(o, "{pad}  items:");
        for k in &n.items {
            node(o, k, depth + 2, at);
        }
    }
}
