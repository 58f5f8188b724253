//! `gonogo approve` and approvals bound to a version of the facts: an approver signs
//! in the data, a fact changes afterwards, and the approval stops counting, with a
//! finding that names the approver and the fact that changed.

use std::path::{Path, PathBuf};
use std::process::Command;

/// 2026-03-04 12:00 UTC: the day before the starter project's deployment.
const DAY_BEFORE: &str = "1772625600";

fn gonogo(dir: &Path, args: &[&str]) -> (i32, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_gonogo"))
        .args(args)
        .current_dir(dir)
        .env("SOURCE_DATE_EPOCH", DAY_BEFORE)
        .env("NO_COLOR", "1")
        .env("GONOGO_CACHE_DIR", dir.join(".cache"))
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn git(dir: &Path, args: &[&str]) {
    let ok = Command::new("git")
        .args(["-c", "user.name=t", "-c", "user.email=t@example.com"])
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap();
    assert!(ok.status.success(), "git {args:?}: {ok:?}");
}

/// The starter project, without its `all_approved` claim, as a git repository.
fn project(edit: impl Fn(String) -> String) -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("p");
    let (code, err) = gonogo(tmp.path(), &["init", "p"]);
    assert_eq!(code, 0, "{err}");
    let file = dir.join("data/releases/example-1.0/release.yaml");
    let text = std::fs::read_to_string(&file).unwrap();
    let text = text.replace("  all_approved: true                # claim\n", "");
    std::fs::write(&file, edit(text)).unwrap();
    git(&dir, &["init", "-q", "."]);
    git(&dir, &["add", "-A"]);
    git(&dir, &["commit", "-qm", "data"]);
    (tmp, file)
}

fn decision(dir: &Path) -> String {
    let (code, err) = gonogo(dir, &["build", "--no-cache", "--out", "site"]);
    assert_eq!(code, 0, "{err}");
    let facts: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(dir.join("site/example-1.0/facts.json")).unwrap(),
    )
    .unwrap();
    facts["decision"]["label"].as_str().unwrap().to_string()
}

#[test]
fn an_approval_is_of_a_version_of_the_facts() {
    let (_tmp, file) = project(|t| t);
    let dir = file.ancestors().nth(4).unwrap().to_path_buf();
    let before = std::fs::read_to_string(&file).unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o640)).unwrap();
    let (code, err) = gonogo(
        &dir,
        &[
            "approve",
            "example-1.0",
            "--role",
            "QA lead",
            "--name",
            "Alex Roe",
        ],
    );
    assert_eq!(code, 0, "{err}");
    // The file keeps its permissions (a temporary file would be 0600).
    let mode = std::fs::metadata(&file).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o640);
    let fp = err
        .split("for data ")
        .nth(1)
        .unwrap()
        .split_whitespace()
        .next()
        .unwrap()
        .to_string();
    let after = std::fs::read_to_string(&file).unwrap();
    // One line added, nothing else touched.
    let (old, new): (Vec<&str>, Vec<&str>) = (before.lines().collect(), after.lines().collect());
    assert_eq!(new.len(), old.len() + 1);
    let added: Vec<&&str> = new.iter().filter(|l| !old.contains(l)).collect();
    assert_eq!(
        added,
        [&format!(
            "    - {{role: \"QA lead\", name: \"Alex Roe\", status: approved, date: 2026-03-04, fingerprint: \"{fp}\"}}"
        )
        .as_str()]
    );
    assert!(old.iter().all(|l| new.contains(l)));
    let (code, err) = gonogo(&dir, &["check", "--no-cache"]);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains(&format!("example-1.0  data {fp}")), "{err}");
    assert_eq!(decision(&dir), "GO");
    git(&dir, &["commit", "-qam", "QA lead approves"]);

    // Wednesday: a fact changes. The approval is stale and no longer counts.
    let text = after.replace("actual: 0.2%, met: true", "actual: 0.4%, met: true");
    assert_ne!(text, after);
    std::fs::write(&file, text).unwrap();
    let (code, err) = gonogo(&dir, &["check", "--no-cache"]);
    assert_eq!(code, 0, "warnings only:\n{err}");
    assert!(
        err.contains(&format!(
            "warning[GN0603]: the approval of QA lead (Alex Roe) was given for data {fp}"
        )),
        "{err}"
    );
    assert!(
        err.contains(
            "changed since: releases/example-1.0/release.yaml: metrics[1].actual 0.2% → 0.4%"
        ),
        "{err}"
    );
    assert!(
        err.contains("gonogo approve example-1.0 --role \"QA lead\""),
        "{err}"
    );
    assert_eq!(decision(&dir), "NO-GO");
    let sheet = std::fs::read_to_string(dir.join("site/example-1.0/approval.md")).unwrap();
    assert!(
        sheet.contains("the facts have changed since") && sheet.contains("**stale**"),
        "{sheet}"
    );

    // Signing again, for the facts as they are now, makes it count again.
    let (code, err) = gonogo(
        &dir,
        &[
            "approve",
            "example-1.0",
            "--role",
            "qa LEAD",
            "--name",
            "Alex Roe",
        ],
    );
    assert_eq!(code, 0, "{err}");
    let (code, err) = gonogo(&dir, &["check", "--no-cache"]);
    assert_eq!(code, 0, "{err}");
    assert!(!err.contains("GN0603"), "{err}");
    assert_eq!(decision(&dir), "GO");
}

#[test]
fn approve_keeps_flow_lists_and_comments_and_re_checks_clean() {
    let (_tmp, file) = project(|t| {
        t.replace(
            "  signoffs:\n    - { role: Engineering lead, name: Sam Doe, status: approved, date: 2026-03-02, scope: Code and architecture }\n    - { role: QA lead, name: Alex Roe, status: approved, date: 2026-03-03, scope: Test results }\n",
            "  signoffs: [   # who signed\n    { role: Engineering lead, name: Sam Doe, status: approved, date: 2026-03-02, scope: \"Code, and ] architecture\" }  # lead\n  ]\n",
        )
    });
    let dir = file.ancestors().nth(4).unwrap().to_path_buf();
    let before = std::fs::read_to_string(&file).unwrap();
    assert!(before.contains("signoffs: [   # who signed"));
    let (code, err) = gonogo(
        &dir,
        &[
            "approve",
            "example-1.0",
            "--role",
            "QA lead",
            "--name",
            "Alex Roe",
            "--conditions",
            "Watch the error rate for 24 h",
        ],
    );
    assert_eq!(code, 0, "{err}");
    let after = std::fs::read_to_string(&file).unwrap();
    assert_eq!(after.lines().count(), before.lines().count());
    assert!(
        after.contains("architecture\" }, {role: \"QA lead\", name: \"Alex Roe\", status: conditional, date: 2026-03-04, conditions: [\"Watch the error rate for 24 h\"], fingerprint: \""),
        "{after}"
    );
    assert!(after.contains("}  # lead\n  ]\n"), "{after}");
    let (code, err) = gonogo(&dir, &["check", "--no-cache"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(decision(&dir), "GO WITH CONDITIONS");
}

#[test]
fn approve_refuses_what_would_not_count_and_leaves_the_file_alone() {
    let (_tmp, file) = project(|t| {
        t.replace(
            "date: 2026-03-03, scope: Test results }",
            "date: 2026-03-05, scope: Test results }",
        )
    });
    let dir = file.ancestors().nth(4).unwrap().to_path_buf();
    let before = std::fs::read(&file).unwrap();
    let approve = |extra: &[&str]| {
        let mut args = vec!["approve", "example-1.0"];
        args.extend_from_slice(extra);
        gonogo(&dir, &args)
    };
    // An unknown role: a did-you-mean.
    let (code, err) = approve(&["--role", "QA laed", "--name", "Alex Roe"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("did you mean `QA lead`?"), "{err}");
    // No name.
    let (code, err) = approve(&["--role", "QA lead", "--name", "TBD"]);
    assert_eq!(code, 2, "{err}");
    // A later sign-off of the role still counts: the new one would not; put back.
    let (code, err) = approve(&["--role", "QA lead", "--name", "Alex Roe"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("is unchanged"), "{err}");
    assert!(err.contains("dated later still counts"), "{err}");
    // Conditions with a plain approval.
    let (code, err) = approve(&[
        "--role",
        "QA lead",
        "--name",
        "Alex Roe",
        "--status",
        "approved",
        "--conditions",
        "x",
    ]);
    assert_eq!(code, 2, "{err}");
    assert_eq!(std::fs::read(&file).unwrap(), before);
    // After the deployment, a sign-off does not count.
    let out = Command::new(env!("CARGO_BIN_EXE_gonogo"))
        .args([
            "approve",
            "example-1.0",
            "--role",
            "Engineering lead",
            "--name",
            "Sam Doe",
        ])
        .current_dir(&dir)
        .env("SOURCE_DATE_EPOCH", "1780272000")
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("is after the deployment"), "{err}");
    assert_eq!(std::fs::read(&file).unwrap(), before);
}
