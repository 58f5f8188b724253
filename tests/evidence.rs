//! No evidence, no GO: every criterion of the policy is earned by evidence. Each case
//! starts from one release that is GO with nothing stated wrongly, then takes one piece
//! of evidence away (or puts a stand-in in its place) and requires the decision
//! claimed in the data (`decision: GO`) to be contradicted, with the reason naming what
//! is missing.

use std::path::PathBuf;
use std::process::Command;

const EPOCH: &str = "1780272000";

/// A release that is GO under the default policy: tests ran and passed, the one
/// critical item is done, the approver is named and signed before the deployment.
const GO: &str = r#"release:
  product: Ledger
  version: "3.2"
  timezone: Europe/Berlin
  deploy: 2026-03-10 07:00
  decision: GO
tests:
  suites:
    - { name: unit, passed: 40, failed: 0 }
approvals:
  signoffs:
    - { role: QA, name: Mira Hoffmann, status: approved, date: 2026-03-09 }
checklists:
  - title: Launch
    items:
      - { title: Migration rehearsed, priority: critical, done: true }
"#;

fn check(release: &str, site: Option<&str>) -> (i32, String) {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("releases/ledger-3.2");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("release.yaml"), release).unwrap();
    if let Some(site) = site {
        std::fs::write(tmp.path().join("gonogo.yaml"), site).unwrap();
    }
    let out = Command::new(env!("CARGO_BIN_EXE_gonogo"))
        .args(["check", "--no-cache", "--data"])
        .arg(tmp.path())
        .current_dir(PathBuf::from(env!("CARGO_MANIFEST_DIR")))
        .env("SOURCE_DATE_EPOCH", EPOCH)
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// The release is no longer GO, for the reason given.
fn not_go(release: &str, site: Option<&str>, reason: &str) -> String {
    let (code, err) = check(release, site);
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains("error[GN0801]") && err.contains("stated: GO"),
        "the GO claim must be contradicted:\n{err}"
    );
    assert!(err.contains(reason), "expected `{reason}` in:\n{err}");
    err
}

#[test]
fn the_complete_release_is_go() {
    let (code, err) = check(GO, None);
    assert_eq!(code, 0, "{err}");
}

#[test]
fn no_test_results_is_no_go() {
    let without: String = GO
        .lines()
        .filter(|l| !l.starts_with("tests:") && !l.contains("suites:") && !l.contains("name: unit"))
        .map(|l| format!("{l}\n"))
        .collect();
    not_go(
        &without,
        None,
        "no automated test results: policy needs 0 failing of at least 1 test",
    );
    // Zero tests run (only skipped ones) is no evidence either.
    not_go(
        &GO.replace("passed: 40, failed: 0", "passed: 0, failed: 0, skipped: 3"),
        None,
        "no automated test results",
    );
    // The policy can ask for more.
    let site = "title: T\npolicy:\n  go:\n    max_failing_tests: 0\n    min_tests: 100\n";
    not_go(
        GO,
        Some(site),
        "40 automated tests ran: policy needs at least 100",
    );
    // And can drop the requirement, in words.
    let site = "title: T\npolicy:\n  go:\n    max_failing_tests: 0\n    min_tests: 0\n    all_approvals: true\n";
    let (code, err) = check(&without, Some(site));
    assert_eq!(code, 0, "{err}");
}

#[test]
fn a_placeholder_name_is_not_an_approver() {
    for name in ["____", "TBD", "\"?\"", "n/a", "\"-\"", "xxx", "<name>"] {
        let release = GO.replace("name: Mira Hoffmann", &format!("name: {name}"));
        let err = not_go(
            &release,
            None,
            "approvals 0/1 given (missing: QA); policy needs all 1",
        );
        assert!(
            err.contains("error[GN0601]") && err.contains("is a placeholder, not a name"),
            "{name}: {err}"
        );
    }
    // A short real name is a name.
    let (code, err) = check(&GO.replace("Mira Hoffmann", "Li"), None);
    assert_eq!(code, 0, "{err}");
}

#[test]
fn a_sign_off_after_the_deployment_does_not_count() {
    let release = GO.replace("date: 2026-03-09", "date: 2026-03-11");
    let err = not_go(&release, None, "approvals 0/1 given");
    assert!(err.contains("error[GN0402]"), "{err}");
    assert!(err.contains("does not count as an approval"), "{err}");
    // The same day, before the deployment's hour, counts.
    let (code, err) = check(
        &GO.replace("date: 2026-03-09", "date: 2026-03-10 06:30"),
        None,
    );
    assert_eq!(code, 0, "{err}");
}

#[test]
fn a_conditional_sign_off_is_not_a_go() {
    let release = GO.replace("status: approved", "status: conditional");
    not_go(
        &release,
        None,
        "approvals 0/1 given without conditions (1 conditional); policy needs all 1 without conditions",
    );
    // A policy may accept it.
    let site = "title: T\npolicy:\n  go:\n    all_approvals: true\n    max_failing_tests: 0\n    accept_conditional: true\n";
    let (code, err) = check(&release, Some(site));
    assert_eq!(code, 0, "{err}");
}

#[test]
fn manual_scenarios_are_their_own_criterion() {
    let manual = "  manual:\n    scenarios:\n      - { name: Checkout by hand, result: pass }\n      - { name: Refund by hand, result: blocked }\n";
    let release = GO.replace(
        "    - { name: unit, passed: 40, failed: 0 }\n",
        &format!("    - {{ name: unit, passed: 40, failed: 0 }}\n{manual}"),
    );
    let err = not_go(
        &release,
        None,
        "1 of 2 manual scenarios not passed (1 blocked); policy allows 0",
    );
    assert!(
        !err.contains("failing"),
        "a blocked scenario is not a failing automated test: {err}"
    );
    let (code, err) = check(&release.replace("result: blocked", "result: pass"), None);
    assert_eq!(code, 0, "{err}");
}

#[test]
fn no_checklist_is_no_go() {
    let without: String = GO
        .lines()
        .take_while(|l| !l.starts_with("checklists:"))
        .map(|l| format!("{l}\n"))
        .collect();
    not_go(
        &without,
        None,
        "no checklist items: policy needs 100% of critical items done",
    );
}

/// Builds `release` (its decision claim removed) and returns the site's folder.
fn build(release: &str) -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("data/releases/ledger-3.2");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("release.yaml"),
        release.replace("  decision: GO\n", ""),
    )
    .unwrap();
    let site = tmp.path().join("site");
    let out = Command::new(env!("CARGO_BIN_EXE_gonogo"))
        .args(["build", "--no-cache", "--data"])
        .arg(tmp.path().join("data"))
        .arg("--out")
        .arg(&site)
        .env("SOURCE_DATE_EPOCH", EPOCH)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    (tmp, site)
}

#[test]
fn a_rate_on_a_page_is_never_rounded_up_to_100() {
    let release = GO.replace("passed: 40, failed: 0", "passed: 1999, failed: 1");
    let (_tmp, site) = build(&release);
    for page in [
        "index.html",
        "index.md",
        "ledger-3.2/index.html",
        "ledger-3.2/index.md",
    ] {
        let text = std::fs::read_to_string(site.join(page)).unwrap();
        assert!(text.contains("99.9%"), "{page} shows the pass rate 99.9%");
    }
    // Every pass rate in facts.json (the suite's and the release's).
    let facts = std::fs::read_to_string(site.join("ledger-3.2/facts.json")).unwrap();
    fn rates(v: &serde_json::Value, out: &mut Vec<serde_json::Value>) {
        match v {
            serde_json::Value::Object(m) => {
                for (k, x) in m {
                    if k == "pass_rate" {
                        out.push(x.clone());
                    }
                    rates(x, out);
                }
            }
            serde_json::Value::Array(a) => a.iter().for_each(|x| rates(x, out)),
            _ => {}
        }
    }
    let mut found = vec![];
    rates(&serde_json::from_str(&facts).unwrap(), &mut found);
    assert!(found.len() >= 2, "{facts}");
    assert!(found.iter().all(|r| r == "99.9%"), "{found:?}");
    // Claims: 100 % means all, at any precision written.
    let claimed = release.replace(
        "    - { name: unit, passed: 1999, failed: 1 }\n",
        "    - { name: unit, passed: 1999, failed: 1 }\n  pass_rate: 100%\n",
    );
    let (code, err) = check(&claimed.replace("  decision: GO\n", ""), None);
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains("error[GN0202]") && err.contains("computed: 1999/2000 (99.9%)"),
        "{err}"
    );
    let (code, err) = check(
        &claimed
            .replace("  decision: GO\n", "")
            .replace("100%", "99.95%"),
        None,
    );
    assert_eq!(code, 0, "{err}");
    // A fraction and its percentage.
    let fraction = GO.replace("  decision: GO\n", "").replace(
        "    - { name: unit, passed: 40, failed: 0 }\n",
        "    - { name: unit, passed: 199, failed: 1 }\n  pass_rate: 199/200 (100%)\n",
    );
    let (code, err) = check(&fraction, None);
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains("error[GN0201]") && err.contains("199/200 = 99.5%"),
        "{err}"
    );
    let (code, err) = check(&fraction.replace("(100%)", "(99.5%)"), None);
    assert_eq!(code, 0, "{err}");
}

#[test]
fn a_rate_over_nothing_is_not_a_rate() {
    let none = GO.replace("passed: 40, failed: 0", "passed: 0, failed: 0");
    for rate in ["0/0 (0%)", "0/0 (100%)", "100%"] {
        let claimed = none.replace(
            "    - { name: unit, passed: 0, failed: 0 }\n",
            &format!("    - {{ name: unit, passed: 0, failed: 0 }}\n  pass_rate: \"{rate}\"\n"),
        );
        let (code, err) = check(&claimed, None);
        assert_eq!(code, 1, "{err}");
        assert!(
            err.contains("the pass rate is stated over nothing"),
            "{rate}: {err}"
        );
    }
}

#[test]
fn counts_too_large_to_add_exactly_are_an_error_not_a_wrong_sum() {
    let max = u64::MAX;
    for counts in [
        format!("passed: {max}, failed: {max}"),
        format!("passed: {max}, failed: 0"),
        "passed: 9007199254740993, failed: 0".to_string(),
    ] {
        let release = GO.replace("passed: 40, failed: 0", &counts);
        let (code, err) = check(&release, None);
        assert_eq!(code, 1, "{err}");
        assert!(
            err.contains("error[GN0001]") && err.contains("more than gonogo adds exactly"),
            "{counts}: {err}"
        );
    }
    let (code, err) = check(&GO.replace("passed: 40", "passed: 9007199254740000"), None);
    assert_eq!(code, 0, "{err}");
}

#[test]
fn a_report_counts_once() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("releases/ledger-3.2");
    std::fs::create_dir_all(dir.join("reports")).unwrap();
    std::fs::write(
        dir.join("reports/vitest.xml"),
        "<testsuite name=\"u\" tests=\"2\"><testcase name=\"a\"/><testcase name=\"b\"/></testsuite>\n",
    )
    .unwrap();
    let run = |suites: &str| {
        let release = GO.replace("    - { name: unit, passed: 40, failed: 0 }\n", suites);
        std::fs::write(dir.join("release.yaml"), release).unwrap();
        let out = Command::new(env!("CARGO_BIN_EXE_gonogo"))
            .args(["check", "--no-cache", "--data"])
            .arg(tmp.path())
            .env("SOURCE_DATE_EPOCH", EPOCH)
            .env("NO_COLOR", "1")
            .output()
            .unwrap();
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    // Two patterns of one suite match the file: read once (2 tests, not 4).
    let (code, err) =
        run("    - { name: unit, reports: [reports/vitest.xml, \"reports/*.xml\"], passed: 2 }\n");
    assert_eq!(code, Some(0), "{err}");
    // Two suites name it: a finding.
    let (code, err) = run(
        "    - { name: unit, reports: [reports/vitest.xml] }\n    - { name: again, reports: [\"reports/*.xml\"] }\n",
    );
    assert_eq!(code, Some(1), "{err}");
    assert!(
        err.contains("error[GN1101]")
            && err.contains("reports/vitest.xml is already counted in suite `unit`"),
        "{err}"
    );
}

/// What can only be confirmed after the deployment: a critical item and a metric not
/// measured yet. Marked `after_deployment`, they are shown apart and do not count.
const AFTER: &str = r#"metrics:
  - { name: Error rate over 24 h, target: "< 1%", after_deployment: true }
  - title: Success criteria
    after_deployment: true
    items:
      - { title: Users happy, priority: critical, done: false }
"#;

fn with_after(release: &str, after: &str) -> String {
    // The metric goes before `checklists:`, the list after the last checklist.
    let (metric, list) = after.split_once("  - title:").unwrap();
    let list = format!("  - title:{list}");
    release.replace("checklists:\n", &format!("{metric}checklists:\n")) + &list
}

#[test]
fn what_is_confirmed_after_the_deployment_does_not_block_the_go() {
    let (code, err) = check(&with_after(GO, AFTER), None);
    assert_eq!(code, 0, "{err}");
    // The same items without the mark count: an open critical item, a metric not met.
    let unmarked = AFTER
        .replace(", after_deployment: true", "")
        .replace("    after_deployment: true\n", "");
    let err = not_go(&with_after(GO, &unmarked), None, "critical items");
    assert!(err.contains("Users happy") || err.contains("1/2"), "{err}");
    assert!(err.contains("metric"), "{err}");
}

#[test]
fn what_is_confirmed_after_the_deployment_is_judged_after_it() {
    // Ticked and measured before the deployment has happened (it is after the build).
    let later = with_after(GO, AFTER)
        .replace("deploy: 2026-03-10 07:00", "deploy: 2026-07-10 07:00")
        .replace("date: 2026-03-09", "date: 2026-05-09")
        .replace(
            "Users happy, priority: critical, done: false",
            "Users happy, priority: critical, done: true",
        )
        .replace(
            "target: \"< 1%\", after",
            "target: \"< 1%\", actual: 0.2%, after",
        );
    let (code, err) = check(&later, None);
    assert_eq!(code, 1, "{err}");
    assert_eq!(err.matches("error[GN0901]").count(), 2, "{err}");
    assert!(
        err.contains("ticked before the deployment has happened"),
        "{err}"
    );
    assert!(err.contains("has a value before the deployment"), "{err}");
    // After the deployment, an outcome of success with the item open contradicts it…
    let outcome = "outcome: { status: Success ✅, recorded: 2026-03-11 09:00 }\n";
    let (code, err) = check(&(with_after(GO, AFTER) + outcome), None);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("error[GN0903]"), "{err}");
    assert!(err.contains("open: Users happy"), "{err}");
    assert!(err.contains("open: Error rate over 24 h"), "{err}");
    // …a partial one does not, and neither does success once all is confirmed.
    let partial = outcome.replace("Success ✅", "partial success");
    let (code, err) = check(&(with_after(GO, AFTER) + &partial), None);
    assert_eq!(code, 0, "{err}");
    let confirmed = with_after(GO, AFTER)
        .replace(
            "Users happy, priority: critical, done: false",
            "Users happy, priority: critical, done: true",
        )
        .replace(
            "target: \"< 1%\", after",
            "target: \"< 1%\", actual: 0.2%, after",
        );
    let (code, err) = check(&(confirmed + outcome), None);
    assert_eq!(code, 0, "{err}");
}

#[test]
fn after_deployment_on_an_item_or_a_step_is_refused_not_ignored() {
    let nested = GO.replace(
        "      - { title: Migration rehearsed, priority: critical, done: true }\n",
        "      - { title: Migration rehearsed, priority: critical, done: true }\n      - { title: Users happy, priority: critical, done: false, after_deployment: true }\n",
    );
    let (code, err) = check(&nested, None);
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains("error[GN0001]") && err.contains("marks a whole checklist"),
        "{err}"
    );
    let step =
        format!("{GO}runbook:\n  phases:\n    - {{ title: Deploy, after_deployment: true }}\n");
    let (code, err) = check(&step, None);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("marks a whole checklist"), "{err}");
}

#[test]
fn the_report_shows_what_is_confirmed_after_the_deployment_apart() {
    let (_tmp, site) = build(&with_after(GO, AFTER));
    let html = std::fs::read_to_string(site.join("ledger-3.2/index.html")).unwrap();
    let after = html
        .split("id=\"after-deployment\"")
        .nth(1)
        .expect("a section of its own");
    assert!(
        after.contains("Users happy") && after.contains("Error rate over 24 h"),
        "{after}"
    );
    assert!(after.contains("The outcome is not recorded yet"), "{after}");
    let before = html.split("id=\"after-deployment\"").next().unwrap();
    assert!(
        !before.contains("Users happy"),
        "counted before the deployment"
    );
    assert!(
        before.contains("1/1 items done"),
        "readiness is the items before"
    );
    let facts = std::fs::read_to_string(site.join("ledger-3.2/facts.json")).unwrap();
    let facts: serde_json::Value = serde_json::from_str(&facts).unwrap();
    assert_eq!(facts["readiness"]["total"], 1);
    assert_eq!(facts["after"]["confirmed"]["total"], 1);
    assert_eq!(facts["after"]["metrics"][0]["name"], "Error rate over 24 h");
    assert_eq!(facts["metrics"].as_array().unwrap().len(), 0);
}
