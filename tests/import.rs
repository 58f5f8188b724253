//! `gonogo import`: hand-written documents become draft releases that load without
//! a single GN0001, that `gonogo check` finds the seeds' contradictions in, and that
//! check clean when the document was right. Nothing existing is ever replaced.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn gonogo(args: &[&str], cwd: &Path) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_gonogo"))
        .args(args)
        .current_dir(cwd)
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// (release, code) of every finding `gonogo check` reports on `data`.
fn check(data: &Path) -> (i32, BTreeSet<(String, String)>) {
    let (code, out, _) = gonogo(
        &[
            "check",
            "--data",
            data.to_str().unwrap(),
            "--message-format",
            "json",
        ],
        &root(),
    );
    let mut found = BTreeSet::new();
    for line in out.lines() {
        let v: serde_json::Value = serde_json::from_str(line).unwrap();
        if v["type"] == "diagnostic" {
            let file = v["file"].as_str().unwrap_or_default();
            let release = file.split("releases/").nth(1).unwrap_or(file);
            let release = release.split('/').next().unwrap_or_default().to_string();
            found.insert((release, v["code"].as_str().unwrap().to_string()));
        }
    }
    (code, found)
}

fn seeds() -> Vec<String> {
    let mut s: Vec<String> = std::fs::read_dir(root().join("tests/fixtures/seeds"))
        .unwrap()
        .map(|e| e.unwrap().path().display().to_string())
        .collect();
    s.sort();
    s
}

#[test]
fn seeds_import_to_drafts_whose_check_names_their_contradictions() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    let mut args = vec!["import".to_string()];
    args.extend(seeds());
    args.extend(["--data".into(), data.display().to_string()]);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let (code, _, err) = gonogo(&args, &root());
    assert_eq!(code, 0, "{err}");
    assert!(data.join("gonogo.yaml").is_file());
    assert!(err.contains("wrote"), "{err}");
    let (code, found) = check(&data);
    assert_eq!(code, 1);
    assert!(
        !found.iter().any(|(_, c)| c.starts_with("GN000")),
        "a draft does not load: {found:?}"
    );
    let has = |release: &str, rule: &str| found.contains(&(release.to_string(), rule.to_string()));
    // 000: "Monday, December 25, 2025" is a Thursday (the deployment line and prose).
    assert!(has("000_d3a5f3b614d209da", "GN0401"), "{found:?}");
    // 001: the same weekday; four APPROVED sign-offs with no name; "All approvals
    // obtained" over them.
    for rule in ["GN0401", "GN0601", "GN0602"] {
        assert!(has("001_c7dbde6e8f3be9e7", rule), "{rule}: {found:?}");
    }
    // 002: READY FOR PRODUCTION DEPLOYMENT while the document awaits @pm and the CTO.
    assert!(has("002_f915bc6d7d0882bf", "GN0801"), "{found:?}");
    // 003: "Total Estimated Time: 20-40 hours" over phases adding to 17.5-27.5 h.
    assert!(has("003_75224a3e73faf112", "GN0101"), "{found:?}");
    // 004: the post-deployment parts take longer than the 1-2 hours given.
    assert!(has("004_62c2bee7b93f6c2f", "GN0101"), "{found:?}");

    // Each value names the line of the document it came from.
    let draft =
        std::fs::read_to_string(data.join("releases/001_c7dbde6e8f3be9e7/release.yaml")).unwrap();
    assert!(
        draft.contains("deploy: \"Monday, 2025-12-25 06:00\"  # ")
            && draft.contains("001_c7dbde6e8f3be9e7.txt:292 (the weekday is a claim)"),
        "{draft}"
    );
    assert!(draft.contains("better: \"76%\""), "{draft}");
    assert!(draft.contains("narrative:"), "{draft}");
    // The stated decision waits for the facts it rests on.
    assert!(draft.contains("  # decision: \"GO\""), "{draft}");
}

#[test]
fn a_corrected_document_imports_to_a_release_that_checks_clean() {
    let tmp = tempfile::tempdir().unwrap();
    let seed =
        std::fs::read_to_string(root().join("tests/fixtures/seeds/001_c7dbde6e8f3be9e7.txt"))
            .unwrap();
    let names = ["Ana Ruiz", "Jordan Patel", "Sam Okafor", "Lee Chen"];
    let mut fixed = seed
        .replace("MONDAY, DECEMBER 25", "THURSDAY, DECEMBER 25")
        .replace("Monday, December 25", "Thursday, December 25");
    for n in names {
        fixed = fixed.replacen("**Name**: ________________", &format!("**Name**: {n}"), 1);
    }
    std::fs::write(tmp.path().join("approval.md"), fixed).unwrap();
    let (code, _, err) = gonogo(&["import", "approval.md", "--data", "data"], tmp.path());
    assert_eq!(code, 0, "{err}");
    let (code, found) = check(&tmp.path().join("data"));
    assert_eq!((code, found), (0, BTreeSet::new()));
}

#[test]
fn true_documents_import_to_releases_that_check_clean() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    let mut files: Vec<String> = std::fs::read_dir(root().join("tests/fixtures/audit/true"))
        .unwrap()
        .map(|e| e.unwrap().path().display().to_string())
        .filter(|p| p.ends_with(".md"))
        .collect();
    files.sort();
    let mut args = vec!["import".to_string()];
    args.extend(files.iter().cloned());
    args.extend(["--data".into(), data.display().to_string()]);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let (code, _, err) = gonogo(&args, &root());
    assert_eq!(code, 0, "{err}");
    let (code, found) = check(&data);
    assert_eq!((code, found), (0, BTreeSet::new()));
    let releases = std::fs::read_dir(data.join("releases")).unwrap().count();
    assert_eq!(releases, files.len());
}

#[test]
fn import_never_replaces_a_release_and_writes_nothing_when_refused() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(
        tmp.path().join("notes.md"),
        "# Pay 2.1\n\n**Deployment**: 2026-03-10 06:00\n",
    )
    .unwrap();
    std::fs::write(tmp.path().join("other.md"), "# Web 3.0\n").unwrap();
    let (code, _, err) = gonogo(&["import", "notes.md", "--data", "data"], tmp.path());
    assert_eq!(code, 0, "{err}");
    let path = tmp.path().join("data/releases/notes/release.yaml");
    let before = std::fs::read(&path).unwrap();
    assert!(String::from_utf8_lossy(&before).contains("deploy: \"2026-03-10 06:00\""));
    // A second import of the same name is refused, and so is the whole run: the other
    // document named with it is not written either.
    let (code, _, err) = gonogo(
        &["import", "other.md", "notes.md", "--data", "data"],
        tmp.path(),
    );
    assert_eq!(code, 2);
    assert!(err.contains("already exists"), "{err}");
    assert_eq!(std::fs::read(&path).unwrap(), before);
    assert!(!tmp.path().join("data/releases/other").exists());
    // No staging folder is left behind.
    let left: Vec<_> = std::fs::read_dir(tmp.path().join("data/releases"))
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(left.len(), 1, "{left:?}");
    let (code, _, err) = gonogo(&["import", "missing.md", "--data", "data"], tmp.path());
    assert_eq!(code, 2);
    assert!(err.contains("missing.md"), "{err}");
}

#[test]
fn braces_in_a_document_stay_text() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(
        tmp.path().join("t.md"),
        "# Tool 1.2\n\n## Notes\n\nTemplates use `{{ name }}` and {% if %} blocks.\n",
    )
    .unwrap();
    let (code, _, err) = gonogo(&["import", "t.md", "--data", "d"], tmp.path());
    assert_eq!(code, 0, "{err}");
    let (code, found) = check(&tmp.path().join("d"));
    assert_eq!((code, found), (0, BTreeSet::new()));
    let (code, _, err) = gonogo(&["build", "--data", "d", "--out", "site"], tmp.path());
    assert_eq!(code, 0, "{err}");
    let page = std::fs::read_to_string(tmp.path().join("site/tool-1.2/index.html"))
        .or_else(|_| std::fs::read_to_string(tmp.path().join("site/t/index.html")))
        .unwrap();
    assert!(page.contains("{{ name }}"), "{page}");
}

/// The blind documents (tests/fixtures/audit/blind/): every draft loads, and `check`
/// reports only planted contradictions: two approval statements over a table with a
/// pending and a rejected row, and two procedure estimates their steps do not add up
/// to. The other planted ones are totals the drafts do not carry as claims yet, or
/// statements about one of several tables, which wait as comments.
#[test]
fn blind_documents_import_and_check_reports_only_planted_contradictions() {
    for (set, want) in [
        // The verification plan's 1.5 hours over steps adding to 2 h 10 min.
        ("set1", vec![("release-signoff-record", "GN0101")]),
        (
            "set2",
            vec![
                ("pocketly-4.12-release-readiness", "GN0602"),
                // The deployment procedure's 5 hours over steps adding to 3.5 h.
                ("q2-fy2025-release-approval-memo", "GN0101"),
                ("q2-fy2025-release-approval-memo", "GN0602"),
            ],
        ),
        ("set3", vec![]),
    ] {
        let tmp = tempfile::tempdir().unwrap();
        let data = tmp.path().join("data");
        let dir = root().join("tests/fixtures/audit/blind").join(set);
        let mut files: Vec<String> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().path().display().to_string())
            .filter(|p| p.ends_with(".md"))
            .collect();
        files.sort();
        let mut args = vec!["import".to_string()];
        args.extend(files);
        args.extend(["--data".into(), data.display().to_string()]);
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let (code, _, err) = gonogo(&args, &root());
        assert_eq!(code, 0, "{set}: {err}");
        let (_, found) = check(&data);
        let want: BTreeSet<(String, String)> = want
            .into_iter()
            .map(|(r, c)| (r.to_string(), c.to_string()))
            .collect();
        assert_eq!(found, want, "{set}");
    }
}
