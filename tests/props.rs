//! Property tests: random valid data always builds, every page shows what it was given
//! (escaped), and random edits of valid data never crash the binary.
//!
//! `PROPTEST_CASES=500 cargo test --release --test props` runs longer; the default
//! keeps `cargo test` quick. A failing case is shrunk and printed by proptest, and its
//! seed saved under `tests/props.proptest-regressions` so it is replayed first.

use proptest::prelude::*;
use std::path::Path;
use std::process::Command;

fn gonogo(args: &[&str]) -> (i32, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_gonogo"))
        .args(args)
        .env("SOURCE_DATE_EPOCH", "1893456000")
        .env("NO_COLOR", "1")
        .output()
        .expect("run gonogo");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Free text as people type it: letters of several scripts, Markdown and HTML
/// punctuation, quotes. No digits, so the text makes no numeric claim of its own.
fn text() -> impl Strategy<Value = String> {
    "[A-Za-zéüßЖж中文 <>&\"'*_`\\[\\]()#!|~-]{1,24}"
        .prop_filter("not blank", |s| !s.trim().is_empty())
}

fn pick(words: &'static [&'static str]) -> impl Strategy<Value = &'static str> {
    proptest::sample::select(words)
}

/// A YAML double-quoted scalar (JSON's string syntax is YAML's).
fn q(s: &str) -> String {
    serde_json::to_string(s).unwrap()
}

#[derive(Debug, Clone)]
struct Release {
    id: String,
    title: String,
    suites: Vec<(String, u32, u32, u32)>,
    metrics: Vec<(String, &'static str, u32, u32)>,
    signoffs: Vec<(String, Option<String>, &'static str, u32)>,
    risks: Vec<(String, &'static str, &'static str)>,
    items: Vec<(String, &'static str, bool)>,
}

fn release() -> impl Strategy<Value = Release> {
    (
        "[a-z][a-z0-9-]{0,10}",
        text(),
        prop::collection::vec((text(), 0..5000u32, 0..3u32, 0..20u32), 0..4),
        prop::collection::vec(
            (text(), pick(&["<", ">", "<=", ">="]), 0..900u32, 0..900u32),
            0..5,
        ),
        prop::collection::vec(
            (
                text(),
                prop::option::of(text()),
                pick(&["approved", "pending", "rejected", "conditional"]),
                1..28u32,
            ),
            0..5,
        ),
        prop::collection::vec(
            (
                text(),
                pick(&["low", "medium", "high", "critical"]),
                pick(&["open", "mitigated", "accepted"]),
            ),
            0..5,
        ),
        prop::collection::vec(
            (
                text(),
                pick(&["critical", "high", "recommended"]),
                any::<bool>(),
            ),
            0..8,
        ),
    )
        .prop_map(
            |(id, title, suites, metrics, signoffs, risks, items)| Release {
                id,
                title,
                suites,
                metrics,
                signoffs,
                risks,
                items,
            },
        )
}

impl Release {
    fn yaml(&self) -> String {
        let mut y = format!(
            "release:\n  product: {}\n  version: \"1.0\"\n  title: {}\n  deploy: 2030-02-03 10:00\n",
            q(&self.title),
            q(&self.title)
        );
        if !self.suites.is_empty() {
            y += "tests:\n  suites:\n";
            for (name, passed, failed, skipped) in &self.suites {
                y += &format!(
                    "    - {{name: {}, passed: {passed}, failed: {failed}, skipped: {skipped}}}\n",
                    q(name)
                );
            }
        }
        if !self.metrics.is_empty() {
            y += "metrics:\n";
            for (name, cmp, target, actual) in &self.metrics {
                y += &format!(
                    "  - {{name: {}, target: \"{cmp} {target} ms\", actual: {actual} ms}}\n",
                    q(name)
                );
            }
        }
        if !self.signoffs.is_empty() {
            y += "approvals:\n  signoffs:\n";
            for (role, name, status, day) in &self.signoffs {
                y += &format!("    - {{role: {}, status: {status}", q(role));
                // A decision taken is signed: it has a name and a date (GN0601), and
                // the name names someone (`>` or `TBD` would be a placeholder).
                let name = name.as_ref().or((*status != "pending").then_some(role));
                if let Some(name) = name {
                    let name = format!("A. {name}");
                    y += &format!(", name: {}, date: 2029-12-{day:02}", q(&name));
                }
                y += "}\n";
            }
        }
        if !self.risks.is_empty() {
            y += "risks:\n  items:\n";
            for (i, (title, level, status)) in self.risks.iter().enumerate() {
                y += &format!(
                    "    - {{id: R{}, title: {}, level: {level}, status: {status}}}\n",
                    i + 1,
                    q(title)
                );
            }
        }
        if !self.items.is_empty() {
            y += "checklists:\n  - title: Criteria\n    items:\n";
            for (title, priority, done) in &self.items {
                y += &format!(
                    "      - {{title: {}, priority: {priority}, done: {done}}}\n",
                    q(title)
                );
            }
        }
        y
    }
}

fn releases() -> impl Strategy<Value = Vec<Release>> {
    prop::collection::vec(release(), 1..4).prop_map(|mut v| {
        // Release ids are folder names: unique, and unique ignoring case.
        let mut seen = std::collections::BTreeSet::new();
        v.retain(|r| seen.insert(r.id.to_ascii_lowercase()));
        v
    })
}

fn write_data(dir: &Path, releases: &[Release]) {
    for r in releases {
        let folder = dir.join("releases").join(&r.id);
        std::fs::create_dir_all(&folder).unwrap();
        std::fs::write(folder.join("release.yaml"), r.yaml()).unwrap();
    }
}

fn html_escaped(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#x27;")
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    /// Facts alone never contradict themselves: any valid data builds (exit 0), every
    /// release gets its pages, and each title is on its page, escaped.
    #[test]
    fn random_valid_data_always_builds(rs in releases()) {
        let tmp = tempfile::tempdir().unwrap();
        let data = tmp.path().join("data");
        write_data(&data, &rs);
        let out = tmp.path().join("site");
        let (code, err) = gonogo(&[
            "build", "--data", data.to_str().unwrap(), "--out", out.to_str().unwrap(),
        ]);
        prop_assert_eq!(code, 0, "{}", err);
        for r in &rs {
            for page in ["index.html", "index.md", "approval.html", "runbook.html"] {
                prop_assert!(out.join(&r.id).join(page).is_file(), "{}/{} missing", r.id, page);
            }
            let html = std::fs::read_to_string(out.join(&r.id).join("index.html")).unwrap();
            let shown = html_escaped(r.title.trim());
            prop_assert!(
                html.contains(&shown) || html.contains(&shown.replace("&#x27;", "&#39;")),
                "title {:?} not on {}/index.html", r.title, r.id
            );
        }
    }

    /// Random edits of valid data (deleted, repeated or replaced bytes) are read, or
    /// refused with a message: exit 0, 1 or 2, never a panic.
    #[test]
    fn random_edits_never_crash(
        r in release(),
        edits in prop::collection::vec((any::<prop::sample::Index>(), 0..4u8, any::<u8>(), 1..40usize), 1..6),
    ) {
        let tmp = tempfile::tempdir().unwrap();
        let data = tmp.path().join("data");
        let mut bytes = r.yaml().into_bytes();
        for (at, op, byte, len) in edits {
            let i = at.index(bytes.len().max(1)).min(bytes.len());
            let end = (i + len).min(bytes.len());
            match op {
                0 => { bytes.drain(i..end); }
                1 => { let copy = bytes[i..end].to_vec(); bytes.splice(i..i, copy); }
                2 => { if i < bytes.len() { bytes[i] = byte; } }
                _ => { bytes.splice(i..i, [b'\n', b' ', byte, b':']); }
            }
        }
        let folder = data.join("releases").join(&r.id);
        std::fs::create_dir_all(&folder).unwrap();
        std::fs::write(folder.join("release.yaml"), &bytes).unwrap();
        let out = tmp.path().join("site");
        let (code, err) = gonogo(&[
            "build", "--data", data.to_str().unwrap(), "--out", out.to_str().unwrap(),
        ]);
        prop_assert!(matches!(code, 0..=2), "exit {}: {}", code, err);
        prop_assert!(!err.contains("panicked"), "{}", err);
    }
}
