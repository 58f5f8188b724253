//! Helpers shared by the test binaries (each uses some of them).
#![allow(dead_code)]

use std::path::{Path, PathBuf};

/// Every file under `dir`, recursively.
pub fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = vec![];
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(walk(&p))
        } else {
            out.push(p)
        }
    }
    out
}

/// Copies a folder tree (files and folders only).
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        if e.path().is_dir() {
            copy_dir(&e.path(), &to.join(e.file_name()));
        } else {
            std::fs::copy(e.path(), to.join(e.file_name())).unwrap();
        }
    }
}
pub mod xss;

/// The path of each program a test needs, or None when one is missing: the test is
/// then skipped, saying so on stderr, unless `GONOGO_REQUIRE_TOOLS=1` (set by
/// `.ci/run`, which installs them) makes a missing program a failure, so nothing goes
/// untested in CI.
pub fn tools(names: &[&str], install: &str) -> Option<Vec<String>> {
    let mut found = vec![];
    let mut missing = vec![];
    for name in names {
        let out = std::process::Command::new("sh")
            .arg("-c")
            .arg(format!("command -v {name}"))
            .output()
            .expect("sh");
        if out.status.success() {
            found.push(String::from_utf8_lossy(&out.stdout).trim().to_string());
        } else {
            missing.push(*name);
        }
    }
    if missing.is_empty() {
        return Some(found);
    }
    let why = format!("needs {} ({install}; .ci/run does)", missing.join(", "));
    if std::env::var("GONOGO_REQUIRE_TOOLS").is_ok_and(|v| v == "1") {
        panic!("GONOGO_REQUIRE_TOOLS=1 and this test {why}");
    }
    // Written past the test harness's capture, so `cargo test` shows it.
    use std::io::Write;
    let _ = writeln!(std::io::stderr(), "skipped: this test {why}");
    None
}

/// Whether fonts for every one of `chars` are installed (asked of fontconfig's
/// `fc-list`); when not, the test is skipped, or fails under `GONOGO_REQUIRE_TOOLS=1`,
/// as in [`tools`].
pub fn fonts_for(chars: &[char], install: &str) -> bool {
    tools(&["fc-list"], install).is_some_and(|_| {
        let missing: Vec<String> = chars
            .iter()
            .filter(|c| {
                let out = std::process::Command::new("fc-list")
                    .arg(format!(":charset={:x}", **c as u32))
                    .arg("file")
                    .output()
                    .expect("fc-list");
                String::from_utf8_lossy(&out.stdout).trim().is_empty()
            })
            .map(|c| format!("U+{:04X}", *c as u32))
            .collect();
        if missing.is_empty() {
            return true;
        }
        let why = format!(
            "needs fonts for {} ({install}; .ci/run does)",
            missing.join(", ")
        );
        if std::env::var("GONOGO_REQUIRE_TOOLS").is_ok_and(|v| v == "1") {
            panic!("GONOGO_REQUIRE_TOOLS=1 and this test {why}");
        }
        use std::io::Write;
        let _ = writeln!(std::io::stderr(), "skipped: this test {why}");
        false
    })
}
