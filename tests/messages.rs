//! Messages a lead can act on: realistic editing mistakes in the starter project of
//! `gonogo init`, each answered with what to change, at the line to change.

use std::path::{Path, PathBuf};
use std::process::Command;

fn gonogo(args: &[&str], dir: &Path) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_gonogo"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env("SOURCE_DATE_EPOCH", "1780272000")
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// A fresh starter project; the path of its release file.
fn starter(tmp: &Path) -> PathBuf {
    let (code, _, err) = gonogo(&["init", "p"], tmp);
    assert_eq!(code, 0, "{err}");
    tmp.join("p/data/releases/example-1.0/release.yaml")
}

/// The starter's release file with `from` replaced by `to` (once), checked: the
/// human output.
fn check_edit(from: &str, to: &str) -> String {
    let tmp = tempfile::tempdir().unwrap();
    let file = starter(tmp.path());
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(text.contains(from), "{from:?} is not in the starter");
    std::fs::write(&file, text.replacen(from, to, 1)).unwrap();
    let (code, _, err) = gonogo(&["check", "--data", "p/data"], tmp.path());
    assert_eq!(code, 1, "{err}");
    err
}

/// The line number in the starter's release file of the first line containing `s`.
fn line_of(s: &str) -> usize {
    let tmp = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(starter(tmp.path())).unwrap();
    text.lines().position(|l| l.contains(s)).unwrap() + 1
}

fn assert_says(err: &str, wanted: &[&str]) {
    for w in wanted {
        assert!(err.contains(w), "{w:?} not in:\n{err}");
    }
}

#[test]
fn a_count_mistyped_says_what_the_field_takes() {
    let at = format!("release.yaml:{}:15", line_of("passed: 3 "));
    for (typed, why) in [
        ("12O", "a letter among the digits"),
        ("-120", "a count cannot be negative"),
        ("120.0", "write it without a decimal point"),
    ] {
        let err = check_edit("passed: 3 ", &format!("passed: {typed} "));
        assert_says(
            &err,
            &[
                &format!("`passed` takes a whole number (a count), such as 120; found `{typed}`"),
                why,
                &at,
            ],
        );
        // One cause, one finding: the narrative naming the facts of the section left
        // out is not reported as well.
        assert!(!err.contains("GN1001"), "{err}");
    }
}

#[test]
fn indentation_slips_name_the_line_and_the_indentation_wanted() {
    let line = line_of("  version: \"1.0\"");
    let err = check_edit("  version: \"1.0\"", " version: \"1.0\"");
    assert_says(
        &err,
        &[
            &format!("line {line} is indented 1 space, which matches no line above it"),
            &format!("release.yaml:{line}:2"),
            "indent it 2 spaces like `product:`",
            "the YAML parser said:",
        ],
    );
    let line = line_of("      framework: pytest");
    let err = check_edit("      framework: pytest", "     framework: pytest");
    assert_says(
        &err,
        &[
            &format!("line {line} is indented 5 spaces"),
            "6 spaces like `name:`",
        ],
    );
}

#[test]
fn a_tab_is_found_where_it_is_not_where_the_parser_stopped() {
    let line = line_of("  version: \"1.0\"");
    let err = check_edit("  version: \"1.0\"", "\tversion: \"1.0\"");
    assert_says(
        &err,
        &[
            "a tab in the indentation: YAML indents with spaces only",
            &format!("release.yaml:{line}:1"),
            &format!("replace the tab at column 1 of line {line}"),
        ],
    );
}

#[test]
fn an_unclosed_quote_is_reported_where_it_opens() {
    let line = line_of("title: First release");
    let err = check_edit("title: First release", "title: \"First release");
    assert_says(
        &err,
        &[
            &format!("a quoted value is not closed: the `\"` on line {line} has no closing `\"`"),
            &format!("release.yaml:{line}:10"),
        ],
    );
}

#[test]
fn yes_is_not_a_boolean_and_says_what_to_write() {
    let err = check_edit(
        "priority: critical, done: true }",
        "priority: critical, done: yes }",
    );
    assert_says(
        &err,
        &[
            "`yes` is not a boolean: write `true` or `false`",
            "YAML 1.1",
        ],
    );
}

#[test]
fn a_missing_field_points_at_the_mapping_that_lacks_it() {
    let line = line_of("release:");
    let err = check_edit("  product: Example service\n", "");
    assert_says(
        &err,
        &[
            "`release:` has no `product:`, which it needs",
            &format!("release.yaml:{line}:1"),
        ],
    );
    let err = check_edit("- { name: Sign-up flow, result: pass", "- { result: pass");
    assert_says(&err, &["this `{ … }` has no `name:`, which it needs"]);
}

#[test]
fn every_finding_names_a_file_even_a_missing_section() {
    let tmp = tempfile::tempdir().unwrap();
    let file = starter(tmp.path());
    let text = std::fs::read_to_string(&file).unwrap();
    let (a, b) = (text.find("release:").unwrap(), text.find("tests:").unwrap());
    std::fs::write(&file, format!("{}{}", &text[..a], &text[b..])).unwrap();
    let (code, out, _) = gonogo(
        &["check", "--data", "p/data", "--message-format", "json"],
        tmp.path(),
    );
    assert_eq!(code, 1);
    let first: serde_json::Value = serde_json::from_str(out.lines().next().unwrap()).unwrap();
    assert_eq!(first["code"], "GN0004");
    assert_eq!(
        first["file"], "p/data/releases/example-1.0/release.yaml",
        "{out}"
    );
    assert!(
        first["line"].is_null(),
        "a finding about the file as a whole"
    );
    let (_, out, _) = gonogo(
        &["check", "--data", "p/data", "--message-format", "github"],
        tmp.path(),
    );
    assert!(
        out.starts_with("::error file=p/data/releases/example-1.0/release.yaml,title=GN0004"),
        "{out}"
    );
}

#[test]
fn an_unknown_fact_in_the_narrative_is_named_at_its_place_with_a_suggestion() {
    let line = line_of("{{ tests.passed }}");
    let err = check_edit("{{ tests.passed }}", "{{ tests.totl }}");
    assert_says(
        &err,
        &[
            "`tests.totl` is not a fact of this release",
            &format!("release.yaml:{line}:45"),
            "did you mean `tests.total`?",
            "the facts under `tests`:",
        ],
    );
    assert!(!err.contains("__tera"), "engine internals leak: {err}");
    let err = check_edit("{{ tests.passed }}", "{{ test.passed }}");
    assert_says(
        &err,
        &[
            "`test` is not a fact of this release",
            "did you mean `tests`?",
        ],
    );
}

#[test]
fn a_time_zone_spelled_with_a_space_gets_its_iana_name() {
    let tmp = tempfile::tempdir().unwrap();
    starter(tmp.path());
    let site = tmp.path().join("p/data/gonogo.yaml");
    let text = std::fs::read_to_string(&site).unwrap();
    let text = match text.lines().find(|l| l.starts_with("timezone:")) {
        Some(l) => text.replace(l, "timezone: America/New York"),
        None => format!("{text}\ntimezone: America/New York\n"),
    };
    std::fs::write(&site, text).unwrap();
    let (code, _, err) = gonogo(&["check", "--data", "p/data"], tmp.path());
    assert_eq!(code, 1);
    assert_says(&err, &["did you mean `America/New_York`?"]);
}

#[test]
fn a_json_file_as_a_test_report_is_named_for_what_it_is() {
    let tmp = tempfile::tempdir().unwrap();
    let file = starter(tmp.path());
    let reports = file.parent().unwrap().join("reports");
    std::fs::write(reports.join("r.json"), "{\"results\": []}\n").unwrap();
    std::fs::write(reports.join("notes.txt"), "hello there\n").unwrap();
    std::fs::write(reports.join("empty.xml"), "").unwrap();
    let text = std::fs::read_to_string(&file).unwrap();
    for (name, says) in [
        ("r.json", "a JSON file, not a JUnit XML report"),
        (
            "notes.txt",
            "not a JUnit XML report: text and no <testsuites>",
        ),
        ("empty.xml", "empty file"),
    ] {
        std::fs::write(
            &file,
            text.replace("reports/junit.xml", &format!("reports/{name}")),
        )
        .unwrap();
        let (code, _, err) = gonogo(&["check", "--data", "p/data"], tmp.path());
        assert_eq!(code, 1);
        assert_says(&err, &[says]);
    }
}

#[test]
fn explain_takes_a_rule_name_as_the_list_shows_it() {
    let tmp = tempfile::tempdir().unwrap();
    let (code, out, _) = gonogo(&["explain", "sum-mismatch"], tmp.path());
    assert_eq!(code, 0);
    assert!(out.starts_with("GN0101 sum-mismatch"), "{out}");
    let (code, _, err) = gonogo(&["explain", "sum-mismach"], tmp.path());
    assert_eq!(code, 2);
    assert_says(&err, &["did you mean `sum-mismatch`?"]);
}

/// `gonogo new release` from the starter: the structure with its comments, the earlier
/// commit as the rollback target, no claim left (the runbook's total), consistent; an
/// id that differs from another only in case is refused.
#[test]
fn a_new_release_keeps_the_comments_and_clears_every_claim() {
    let tmp = tempfile::tempdir().unwrap();
    let file = starter(tmp.path());
    let (code, _, err) = gonogo(
        &[
            "new",
            "release",
            "example-1.1",
            "--from",
            "example-1.0",
            "--data",
            "p/data",
        ],
        tmp.path(),
    );
    assert_eq!(code, 0, "{err}");
    let new = std::fs::read_to_string(
        file.with_file_name("")
            .with_file_name("example-1.1/release.yaml"),
    )
    .unwrap();
    assert_says(
        &new,
        &[
            "passed: 0",
            "# claim: must match the report",
            "# what must hold for a GO WITH CONDITIONS",
            "rollback_target: 0a1b2c3d",
            "Fields marked \"claim\" are numbers a person may write down",
        ],
    );
    assert!(
        !new.contains("commit:"),
        "the earlier release's commit:\n{new}"
    );
    assert!(
        !new.contains("duration: 2 h") && !new.contains("the phases add up to this"),
        "the runbook's total is a claim:\n{new}"
    );
    assert!(
        !new.contains("{{ expressions }} insert computed facts"),
        "the narrative's comment goes with it:\n{new}"
    );
    let (code, _, err) = gonogo(&["check", "--data", "p/data"], tmp.path());
    assert_eq!(code, 0, "the new release checks clean:\n{err}");
    let (code, _, err) = gonogo(
        &["new", "release", "Example-1.0", "--data", "p/data"],
        tmp.path(),
    );
    assert_eq!(code, 2);
    assert_says(&err, &["differs from `example-1.0` only in case"]);
    assert!(!tmp.path().join("p/data/releases/Example-1.0").exists());
}

/// Found in review: a file with old-Mac line ends (a lone CR) and a tab does not
/// crash the translation of the parser's message; an abbreviation one letter from
/// another zone gets no guess (IST is not EST).
#[test]
fn odd_line_ends_and_short_zone_names_are_answered_safely() {
    let tmp = tempfile::tempdir().unwrap();
    let file = starter(tmp.path());
    std::fs::write(
        &file,
        "release:\r  product: X\r  version: '1'\r\towner: me\r",
    )
    .unwrap();
    let (code, _, err) = gonogo(&["check", "--data", "p/data"], tmp.path());
    assert!(code == 1 || code == 2, "exit {code}: {err}");
    assert!(!err.contains("panicked"), "{err}");
    let site = tmp.path().join("p/data/gonogo.yaml");
    let text = std::fs::read_to_string(&site).unwrap();
    let text = match text.lines().find(|l| l.starts_with("timezone:")) {
        Some(l) => text.replace(l, "timezone: IST"),
        None => format!("{text}\ntimezone: IST\n"),
    };
    std::fs::write(&site, text).unwrap();
    let (_, _, err) = gonogo(&["check", "--data", "p/data"], tmp.path());
    assert!(err.contains("`IST` is not an IANA time zone"), "{err}");
    assert!(!err.contains("did you mean `EST`"), "{err}");
}
