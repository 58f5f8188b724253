//! Tables: metrics (Metric, Target, Actual), approvals (Role, Name, Status), risks
//! (Risk, Level, Status) and suites (Suite, Passed, Failed).

use super::approvals::{name_value, sign_status};
use super::*;

impl Reader<'_> {
    pub(super) fn table(&mut self, t: &Table) {
        let col = |names: &[&str]| {
            t.header.iter().position(|h| {
                let h = bare(h).to_ascii_lowercase();
                names
                    .iter()
                    .any(|n| h == *n || h.starts_with(&format!("{n} ")))
            })
        };
        let cell = |cs: &[tables::Cell], c: Option<usize>| {
            c.and_then(|c| cs.get(c))
                .map(|x| x.text.trim().to_string())
                .unwrap_or_default()
        };
        let mut used = false;
        if let (Some(m), Some(tg)) = (
            col(&["metric", "measure", "kpi"]),
            col(&["target", "goal", "threshold"]),
        ) {
            let actual = col(&["actual", "result", "measured", "value"]);
            let status = col(&["status", "result vs target", "vs target"]);
            for (l, cs) in &t.rows {
                let target = bare(&cell(cs, Some(tg)));
                if Target::parse(&target).is_err() {
                    continue;
                }
                let a = bare(&cell(cs, actual));
                let better = cell(cs, status);
                let better = BETTER.captures(&better).map(|c| format!("{}%", &c["p"]));
                self.out.metrics.push(Metric {
                    name: bare(&cell(cs, Some(m))),
                    target,
                    actual: crate::amount::Amount::parse(&a).ok().map(|_| a),
                    better,
                    line: self.no(*l),
                });
                self.used.insert(*l);
                used = true;
            }
        } else if let (Some(r), Some(st)) = (
            col(&["role", "function", "team", "area"]).or_else(|| col(&["approver"])),
            col(&["status", "approval", "decision", "sign-off"]),
        ) {
            let name = col(&["name", "approver", "signed by"]).filter(|n| *n != r);
            let date = col(&["date", "signed", "recorded"]);
            self.out.approval_groups += 1;
            for (l, cs) in &t.rows {
                let Some(status) = sign_status(&cell(cs, Some(st))) else {
                    continue;
                };
                let n = cell(cs, name);
                self.out.signoffs.push(Signoff {
                    role: bare(&cell(cs, Some(r))),
                    name: name_value(&n),
                    status,
                    date: date_value(&cell(cs, date))
                        .map(|d| d.split_once(", ").map_or(d.clone(), |(_, r)| r.to_string())),
                    line: self.no(*l),
                });
                self.used.insert(*l);
                used = true;
            }
        } else if let (Some(r), Some(lv)) = (
            col(&["risk", "title", "description"]),
            col(&["level", "severity", "impact", "rating"]),
        ) {
            let st = col(&["status", "state"]);
            let mit = col(&["mitigation", "response", "plan"]);
            for (l, cs) in &t.rows {
                let level = match bare(&cell(cs, Some(lv))).to_ascii_lowercase().as_str() {
                    "low" => "low",
                    "medium" | "med" | "moderate" => "medium",
                    "high" => "high",
                    "critical" => "critical",
                    _ => continue,
                };
                let status = match bare(&cell(cs, st)).to_ascii_lowercase() {
                    s if s.contains("mitigat")
                        || s.contains("closed")
                        || s.contains("resolved") =>
                    {
                        "mitigated"
                    }
                    s if s.contains("accept") => "accepted",
                    _ => "open",
                };
                let m = bare(&cell(cs, mit));
                self.out.risks.push(Risk {
                    title: bare(&cell(cs, Some(r))),
                    level,
                    status,
                    mitigation: (!m.is_empty()).then_some(m),
                    line: self.no(*l),
                });
                self.used.insert(*l);
                used = true;
            }
        } else if let (Some(s), Some(p)) = (
            col(&["suite", "test suite", "tests"]),
            col(&["passed", "pass", "passing"]),
        ) {
            let f = col(&["failed", "fail", "failing"]);
            for (l, cs) in &t.rows {
                let name = bare(&cell(cs, Some(s)));
                let num = |c: Option<usize>| {
                    quantity::num(&bare(&cell(cs, c))).filter(|v| v.fract() == 0.0 && *v >= 0.0)
                };
                let Some(passed) = num(Some(p)) else { continue };
                if name.to_ascii_lowercase().starts_with("total") {
                    continue;
                }
                self.out.suites.push(Suite {
                    name,
                    passed: passed as u64,
                    failed: num(f).unwrap_or(0.0) as u64,
                    line: self.no(*l),
                });
                self.used.insert(*l);
                used = true;
            }
        }
        if used {
            self.used.insert(t.head);
            if let Some(rule) = t.head.checked_add(1) {
                self.used.insert(rule);
            }
        }
    }
}

static BETTER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(?P<p>\d+(?:\.\d+)?)\s*%\s*(?:better|faster|lower|under)")
        .expect("valid pattern")
});
