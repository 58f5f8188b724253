//! A site built from untrusted text: XSS payloads in every slot that reaches a page.
//! Shared by the static scan (tests/xss.rs) and the browser check (tests/browser.rs).

use std::path::{Path, PathBuf};
use std::process::Command;

fn fixture(name: &str) -> String {
    std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/xss")
            .join(name),
    )
    .unwrap()
}

/// The 50 hand-written payloads (tests/fixtures/xss/payloads.txt).
pub fn handwritten() -> Vec<String> {
    fixture("payloads.txt")
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(str::to_string)
        .collect()
}

/// Characters gonogo refuses in data (GN0001): bidirectional controls, invisible
/// characters and control characters (NUL, escape; tab, line feed and carriage return
/// are text). A payload carrying one never reaches a page.
pub fn refused(p: &str) -> bool {
    p.chars().any(|c| {
        (c.is_control() && !matches!(c, '\t' | '\n' | '\r') && (c as u32) < 0xA0)
            || matches!(
                c,
                '\u{202A}'..='\u{202E}'
                    | '\u{2066}'..='\u{2069}'
                    | '\u{200B}'..='\u{200D}'
                    | '\u{2060}'
                    | '\u{180E}'
                    | '\u{FEFF}'
            )
    })
}

/// The brs-kb corpus (tests/fixtures/xss/brs-kb.jsonl), less the payloads gonogo
/// refuses outright.
pub fn corpus() -> Vec<String> {
    fixture("brs-kb.jsonl")
        .lines()
        .map(|l| serde_json::from_str::<String>(l).unwrap())
        .filter(|p| !refused(p))
        .collect()
}

/// The corpus for slow checks: every 8th payload (a spread over all its sources),
/// or all of it with `GONOGO_XSS_FULL=1`.
pub fn corpus_sample() -> Vec<String> {
    let all = corpus();
    if std::env::var("GONOGO_XSS_FULL").is_ok_and(|v| v == "1") {
        return all;
    }
    all.into_iter().step_by(8).collect()
}

/// A YAML double-quoted scalar (JSON strings are valid YAML).
fn q(s: &str) -> String {
    serde_json::to_string(s).unwrap()
}

/// Text that gonogo fills as a template (narrative, messages), kept as written.
fn raw(s: &str) -> String {
    format!("{{% raw %}}{s}{{% endraw %}}")
}

/// One release carrying `batch` in every YAML slot: the release's own fields hold the
/// payloads joined, every list gets one entry a payload.
pub fn release(batch: &[String]) -> String {
    let joined = q(&batch.join(" "));
    let mut y = format!(
        "release:\n  product: {joined}\n  version: {joined}\n  title: {joined}\n  owner: {joined}\n  \
environment: {joined}\n  commit: {joined}\n  rollback_target: {joined}\n  conditions:\n"
    );
    let each = |y: &mut String, f: &dyn Fn(&str) -> String| {
        for p in batch {
            y.push_str(&f(&q(p)));
        }
    };
    each(&mut y, &|v| format!("    - {v}\n"));
    y.push_str(&format!("checklists:\n  - title: {joined}\n    items:\n"));
    each(&mut y, &|v| {
        format!(
            "      - {{title: {v}, priority: high, done: true, owner: {v}, note: {v}, expected: {v}, command: {v}}}\n"
        )
    });
    y.push_str("risks:\n  items:\n");
    each(&mut y, &|v| {
        format!(
            "    - {{id: {v}, title: {v}, level: low, status: mitigated, mitigation: {v}, owner: {v}}}\n"
        )
    });
    y.push_str("approvals:\n  signoffs:\n");
    each(&mut y, &|v| {
        format!(
            "    - {{role: {v}, name: {v}, status: pending, scope: {v}, note: {v}, conditions: [{v}]}}\n"
        )
    });
    y.push_str("tests:\n  suites:\n");
    each(&mut y, &|v| {
        format!("    - {{name: {v}, framework: {v}, passed: 1, failed: 1, failures: [{v}]}}\n")
    });
    y.push_str("  manual:\n    scenarios:\n");
    each(&mut y, &|v| {
        format!("      - {{name: {v}, result: pass}}\n")
    });
    y.push_str("metrics:\n");
    each(&mut y, &|v| {
        format!("  - {{name: {v}, target: \"< 1%\", note: {v}}}\n")
    });
    y.push_str("runbook:\n  phases:\n");
    each(&mut y, &|v| {
        format!(
            "    - title: {v}\n      owner: {v}\n      note: {v}\n      expected: {v}\n      command: {v}\n      \
items:\n        - {{title: {v}, owner: {v}, note: {v}, expected: {v}, command: {v}}}\n"
        )
    });
    y.push_str("rollback:\n  triggers:\n");
    each(&mut y, &|v| {
        format!("    - {{condition: {v}, threshold: {v}, kind: immediate, action: {v}}}\n")
    });
    y.push_str("  steps:\n");
    each(&mut y, &|v| {
        format!("    - {{title: {v}, command: {v}, note: {v}}}\n")
    });
    y.push_str("contacts:\n  people:\n");
    each(&mut y, &|v| {
        format!("    - {{role: {v}, name: {v}, contact: {v}, duty: {v}}}\n")
    });
    y.push_str("  escalation:\n");
    each(&mut y, &|v| {
        format!("    - {{area: {v}, primary: {v}, backup: {v}}}\n")
    });
    y.push_str("  channels:\n");
    each(&mut y, &|v| format!("    - {{name: {v}, address: {v}}}\n"));
    y.push_str("monitoring:\n  thresholds:\n");
    each(&mut y, &|v| {
        format!("    - {{metric: {v}, target: {v}, alert: {v}, action: {v}}}\n")
    });
    y.push_str("  plan:\n");
    each(&mut y, &|v| format!("    - {v}\n"));
    y.push_str("communications:\n");
    for p in batch {
        let v = q(p);
        y.push_str(&format!(
            "  - {{kind: {v}, channel: {v}, subject: {v}, body: {}}}\n",
            q(&raw(p))
        ));
    }
    y.push_str("narrative:\n");
    for p in batch {
        y.push_str(&format!(
            "  - {{title: {}, body: {}}}\n",
            q(p),
            q(&raw(&narrative(p)))
        ));
    }
    y
}

/// Narrative Markdown with `p` as text, link text and target, image source, autolink,
/// table cell, list item and quote.
pub fn narrative(p: &str) -> String {
    format!(
        "{p}\n\n[{p}](https://example.com)\n\n[link]({p})\n\n![image]({p})\n\n<{p}>\n\n| a | b |\n|---|---|\n| {p} | x |\n\n- {p}\n\n> {p}\n"
    )
}

/// Builds a site with `per_release` payloads a release, in the YAML slots and in a
/// narrative file; returns the output folder (under `root`).
pub fn build(payloads: &[String], per_release: usize, root: &Path) -> PathBuf {
    let data = root.join("data");
    std::fs::create_dir_all(data.join("releases")).unwrap();
    std::fs::write(data.join("gonogo.yaml"), "title: XSS\npdf: false\n").unwrap();
    for (i, batch) in payloads.chunks(per_release).enumerate() {
        let dir = data.join(format!("releases/x{i:03}"));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("release.yaml"), release(batch)).unwrap();
        let title = batch[0].replace(['\n', '\r'], " ");
        let body: String = batch
            .iter()
            .map(|p| format!("## {p}\n\n{}\n", narrative(p)))
            .collect();
        std::fs::write(
            dir.join("summary.md"),
            format!("# Notes {title}\n{}\n", raw(&body)),
        )
        .unwrap();
    }
    let out = root.join("site");
    let run = Command::new(env!("CARGO_BIN_EXE_gonogo"))
        .args(["build", "--data"])
        .arg(&data)
        .arg("--out")
        .arg(&out)
        .env("SOURCE_DATE_EPOCH", "1780272000")
        .output()
        .unwrap();
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
            .chars()
            .take(4000)
            .collect::<String>()
    );
    out
}
