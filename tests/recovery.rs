//! Every finding in one run: one value gonogo cannot read is one finding at its own
//! line and column, and the rest of the release is still read and checked.

use std::process::Command;

fn check(release: &str) -> (i32, String) {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("releases/ledger-3.2");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("release.yaml"), release).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_gonogo"))
        .args(["check", "--no-cache", "--data"])
        .arg(tmp.path())
        .env("SOURCE_DATE_EPOCH", "1780272000")
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// (code, line) of every finding.
fn found(err: &str) -> Vec<(String, u32)> {
    let mut out = vec![];
    let mut code = None;
    for l in err.lines() {
        if let Some(rest) = l
            .strip_prefix("error[")
            .or_else(|| l.strip_prefix("warning["))
        {
            code = Some(rest[..6].to_string());
        } else if let Some(loc) = l.trim_start().strip_prefix("--> ")
            && let Some(c) = code.take()
        {
            let line = loc.rsplit(':').nth(1).unwrap().parse().unwrap();
            out.push((c, line));
        }
    }
    out
}

const RELEASE: &str = r#"release:
  product: Ledger
  version: "3.2"
  decision: GO
  deploy: Monday, 2026-03-10 07:00
tests:
  suites:
    - { name: unit, passed: 12O, failed: 0 }
metrics:
  - { name: Latency, target: "< 200 ms", actual: soon }
approvals:
  signoffs:
    - { role: QA, name: TBD, status: approved, date: 2026-03-09 }
checklists:
  - title: Launch
    duration: 30 min
    items:
      - { title: Migrate, duration: 45 min, done: true }
      - { title: Verify, duration: 30 min, done: true }
"#;

#[test]
fn every_invalid_value_and_every_other_finding_in_one_run() {
    let (code, err) = check(RELEASE);
    assert_eq!(code, 1, "{err}");
    let got = found(&err);
    for want in [
        ("GN0001", 8),  // passed: 12O
        ("GN0001", 10), // soon
        ("GN0401", 5),  // 2026-03-10 is a Tuesday
        ("GN0601", 13), // TBD is no name
        ("GN0101", 16), // 45 + 30 min is not 30 min
    ] {
        assert!(
            got.contains(&(want.0.to_string(), want.1)),
            "{want:?} not in {got:?}:\n{err}"
        );
    }
    assert!(
        err.contains("`passed` takes a whole number (a count), such as 120; found `12O`"),
        "{err}"
    );
    assert!(
        err.contains("in 1 release"),
        "the release is still checked: {err}"
    );
    // One cause, one finding: no decision finding about the sections left out.
    assert!(!err.contains("GN0801"), "{err}");
    assert_eq!(err.matches("is left out of this run").count(), 2, "{err}");
}

#[test]
fn a_release_section_that_cannot_be_read_is_one_finding() {
    let release = RELEASE.replace(
        "  version: \"3.2\"\n",
        "  version: \"3.2\"\n  owner: [unclosed\n",
    );
    let (code, err) = check(&release);
    assert_eq!(code, 1, "{err}");
    assert!(
        !err.contains("has no `release:` section"),
        "no cascade: {err}"
    );
    // The other sections' own errors are still reported.
    assert!(err.contains("found `12O`"), "{err}");
}

#[test]
fn a_file_that_reads_whole_is_read_whole() {
    let fixed = RELEASE
        .replace("12O", "120")
        .replace("soon", "150 ms")
        .replace("Monday", "Tuesday")
        .replace("name: TBD", "name: Mira Hoffmann")
        .replace("duration: 30 min\n", "duration: 1 h 15 min\n")
        .replace("  decision: GO\n", "");
    let (code, err) = check(&fixed);
    assert_eq!(code, 0, "{err}");
}

#[test]
fn a_quantity_in_the_wrong_dimension_is_refused_not_dropped_from_a_sum() {
    let runbook = |middle: &str| {
        format!(
            "release: {{product: Ledger, version: '3.2'}}\nchecklists:\n  - title: Cutover\n    duration: 2 h\n    items:\n      - {{ title: a, duration: 10 min }}\n      - {{ title: b, duration: {middle} }}\n      - {{ title: c, duration: 10 min }}\n      - {{ title: d, duration: 10 min }}\n"
        )
    };
    for bad in ["30 bananas", "5 KB", "10%"] {
        let (code, err) = check(&runbook(bad));
        assert_eq!(code, 1, "{err}");
        assert!(
            err.contains(&format!("`duration` is a time, not `{bad}`")),
            "{bad}: {err}"
        );
        assert!(found(&err).contains(&("GN0001".to_string(), 7)), "{err}");
    }
    // In time, the sum is checked: 60 min is not 2 h.
    let (code, err) = check(&runbook("30 min"));
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("error[GN0101]"), "{err}");
    let (code, err) = check(&runbook("90 min"));
    assert_eq!(code, 0, "{err}");
}

#[test]
fn a_missing_report_is_one_finding() {
    let tmp = tempfile::tempdir().unwrap();
    let rel = tmp.path().join("releases");
    std::fs::create_dir_all(rel.join("a-1.0")).unwrap();
    std::fs::create_dir_all(rel.join("a-1.1")).unwrap();
    std::fs::write(
        rel.join("a-1.0/release.yaml"),
        "release: {product: A, version: '1.0'}\ntests:\n  suites:\n    - { name: unit, passed: 116, failed: 0 }\n",
    )
    .unwrap();
    let now = |suite: &str| {
        std::fs::write(
            rel.join("a-1.1/release.yaml"),
            format!("release: {{product: A, version: '1.1'}}\ntests:\n  suites:\n    - {suite}\n  pass_rate: 116/116 (100%)\n"),
        )
        .unwrap();
        let out = Command::new(env!("CARGO_BIN_EXE_gonogo"))
            .args(["check", "--no-cache", "--data"])
            .arg(tmp.path())
            .env("NO_COLOR", "1")
            .output()
            .unwrap();
        String::from_utf8_lossy(&out.stderr).into_owned()
    };
    let err = now("{ name: unit, reports: [reports/missing.xml], passed: 116 }");
    assert_eq!(found(&err), [("GN1101".to_string(), 4)], "{err}");
    assert!(err.contains("the suite's results are unknown"), "{err}");
    // Fewer tests, counted on both sides: nothing is called stated.
    let err = now("{ name: unit, passed: 100, failed: 0 }");
    assert!(
        err.contains("warning[GN1201]: A 1.1 has fewer tests than A 1.0: 100 against 116"),
        "{err}"
    );
    assert!(
        err.contains("computed: 100 tests; 116 tests in A 1.0"),
        "{err}"
    );
    assert!(!err.contains("stated: 100 tests"), "{err}");
}

#[test]
fn a_runbook_with_parallel_phases_has_its_duration_checked_against_bounds() {
    let runbook = |claimed: &str| {
        format!(
            "release: {{product: Ledger, version: '3.2'}}\nrunbook:\n  duration: {claimed}\n  phases:\n    - {{ title: Migrate, duration: 1 h }}\n    - {{ title: Warm caches, duration: 45 min, parallel: true }}\n    - {{ title: Verify, duration: 15 min }}\n"
        )
    };
    for wrong in ["9 h", "30 min"] {
        let (code, err) = check(&runbook(wrong));
        assert_eq!(code, 1, "{wrong}: {err}");
        assert!(
            err.contains("error[GN0101]") && err.contains("outside what its phases allow"),
            "{wrong}: {err}"
        );
    }
    // 1 h 15 min sequential, 45 min alongside: anything from 1 h 15 min to 2 h.
    for right in ["1 h 15 min", "2 h", "1.5 h"] {
        let (code, err) = check(&runbook(right));
        assert_eq!(code, 0, "{right}: {err}");
    }
}

#[test]
fn sizes_are_binary_and_say_so() {
    let docs = |claimed: &str| {
        format!(
            "release: {{product: Ledger, version: '3.2'}}\nchecklists:\n  - title: Docs\n    size: {claimed}\n    items:\n      - {{ title: a, size: 512 KB }}\n      - {{ title: b, size: 512 KiB }}\n"
        )
    };
    let (code, err) = check(&docs("1 MB"));
    assert_eq!(code, 0, "{err}");
    let (code, err) = check(&docs("1,000 KB"));
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains("error[GN0101]") && err.contains("1 KB = 1,024 bytes"),
        "{err}"
    );
}

#[test]
fn a_step_longer_than_its_phase_and_a_rollback_over_its_limit_are_found() {
    let release = |step: &str, limit: &str| {
        format!(
            "release: {{product: Ledger, version: '3.2', deploy: 2026-03-10 07:00}}\nrunbook:\n  phases:\n    - title: Migrate\n      duration: 30 min\n      items:\n        - {{ title: Copy data, duration: {step} }}\n        - {{ title: Switch over }}\nrollback:\n  time_limit: {limit}\n  steps:\n    - {{ title: Stop, duration: 5 min }}\n    - {{ title: Restore, duration: 10 min }}\n"
        )
    };
    let (code, err) = check(&release("1 h 30 min", "15 min"));
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains("`Copy data` takes longer than `Migrate`"),
        "{err}"
    );
    assert!(found(&err).contains(&("GN0101".to_string(), 7)), "{err}");
    assert!(!err.contains("time limit"), "15 min fits 15 min: {err}");
    let (code, err) = check(&release("20 min", "10 min"));
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains("the rollback's steps take longer than its time limit"),
        "{err}"
    );
    assert!(!err.contains("takes longer than `Migrate`"), "{err}");
    let (code, err) = check(&release("20 min", "15 min"));
    assert_eq!(code, 0, "{err}");
}

#[test]
fn the_ends_of_a_stated_range_are_bounds() {
    let plan = |claimed: &str, second: &str| {
        format!(
            "release: {{product: Ledger, version: '3.2'}}\nchecklists:\n  - title: Cutover\n    duration: {claimed}\n    items:\n      - {{ title: a, duration: 2 h 15 min }}\n      - {{ title: b, duration: {second} }}\n"
        )
    };
    // 2 h 15 min + 1-2.25 h = 3 h 15 min - 4 h 30 min: past 4 h.
    let (code, err) = check(&plan("3-4 h", "1-2.25 h"));
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("error[GN0101]"), "{err}");
    // 3 h 15 min - 3 h 45 min lies inside 3-4 h.
    let (code, err) = check(&plan("3-4 h", "1-1.5 h"));
    assert_eq!(code, 0, "{err}");
    // A single figure keeps its precision: "4 h" for 4 h 15 min is fine, for 5 h not.
    let (code, err) = check(&plan("4 h", "2 h"));
    assert_eq!(code, 0, "{err}");
    let (code, _) = check(&plan("4 h", "2 h 45 min"));
    assert_eq!(code, 1);
}

#[test]
fn every_invalid_value_of_one_section_is_its_own_finding() {
    let release = RELEASE.replace(
        "    - { name: unit, passed: 12O, failed: 0 }\n",
        "    - name: unit\n      passed: 12O\n      failed: -3\n    - name: e2e\n      passd: 4\n      passed: 4\n    - name: api\n      passed: 120.0\n      skipped: many # flaky\n",
    );
    let (code, err) = check(&release);
    assert_eq!(code, 1, "{err}");
    let got = found(&err);
    for line in [9, 10, 12, 15, 16] {
        assert!(
            got.contains(&("GN0001".to_string(), line)),
            "a finding at line {line} in {got:?}:\n{err}"
        );
    }
    assert!(err.contains("unknown key `passd`"), "{err}");
    assert!(err.contains("did you mean `passed`?"), "{err}");
    // Every other section is still checked, and the section is said to be left out
    // once, not once per value.
    assert!(got.contains(&("GN0401".to_string(), 5)), "{got:?}");
    assert_eq!(
        err.matches("`tests:` section is left out").count(),
        1,
        "{err}"
    );
    // A stand-in used to read on never becomes a finding of its own.
    assert_eq!(
        got.iter()
            .filter(|(c, l)| c == "GN0001" && (8..=16).contains(l))
            .count(),
        5,
        "{got:?}\n{err}"
    );
}

#[test]
fn a_syntax_error_ends_the_search_of_its_section_without_a_cascade() {
    let release = RELEASE.replace(
        "    - { name: unit, passed: 12O, failed: 0 }\n",
        "    - name: unit\n      passed: 12O\n     failed: 0\n      skipped: x\n",
    );
    let (code, err) = check(&release);
    assert_eq!(code, 1, "{err}");
    let tests_findings = found(&err)
        .into_iter()
        .filter(|(c, l)| c == "GN0001" && (7..=11).contains(l))
        .count();
    assert!((1..=2).contains(&tests_findings), "{err}");
}

#[test]
fn an_entry_in_braces_is_stood_in_for_without_breaking_the_line() {
    let release = RELEASE.replace(
        "  - { name: Latency, target: \"< 200 ms\", actual: soon }\n",
        "  - { name: Throughput, target: \">= 1,200 req/s\", actual: 1,150 rps }\n  - { name: Latency, target: \"< 200 ms\", actual: soon }\n",
    );
    let (code, err) = check(&release);
    assert_eq!(code, 1, "{err}");
    let got = found(&err);
    assert!(got.contains(&("GN0001".to_string(), 10)), "{got:?}\n{err}");
    assert!(got.contains(&("GN0001".to_string(), 11)), "{got:?}\n{err}");
    assert!(err.contains("needs quotes"), "{err}");
    assert!(
        !err.contains("only valid inside a block"),
        "no cascade: {err}"
    );
}

#[test]
fn rates_are_a_dimension_of_their_own() {
    let release = RELEASE.replace(
        "  - { name: Latency, target: \"< 200 ms\", actual: soon }\n",
        "  - { name: Throughput, target: \">= 1,200 req/s\", actual: \"1,150 rps\", met: true }\n  - { name: Batch, target: \">= 90 ops/min\", actual: 2 ops/s, met: true }\n  - { name: Mixed, target: \">= 90 ops/min\", actual: 2 req/s }\n  - { name: Wrong, target: \">= 90 ops/min\", actual: 2 s }\n",
    );
    let (code, err) = check(&release);
    assert_eq!(code, 1, "{err}");
    let got = found(&err);
    assert!(
        err.contains("computed: missed (actual 1,150 req/s, target ≥ 1,200 req/s)"),
        "{err}"
    );
    assert!(got.contains(&("GN0301".to_string(), 10)), "{got:?}");
    // 2 ops/s is 120 ops/min: met, as stated.
    assert!(!got.iter().any(|(_, l)| *l == 11), "{got:?}\n{err}");
    // Requests are not operations, and seconds are not a rate.
    assert!(got.contains(&("GN0303".to_string(), 12)), "{got:?}");
    assert!(got.contains(&("GN0303".to_string(), 13)), "{got:?}");
}

#[test]
fn a_range_of_compound_times_parses_and_its_ends_are_bounds() {
    let with = |claim: &str| {
        RELEASE.replace(
            "    duration: 30 min\n",
            &format!("    duration: {claim}\n"),
        )
    };
    // The items add to 1 h 15 min.
    let (_, err) = check(&with("1 h 10 min - 1 h 20 min"));
    assert!(!found(&err).contains(&("GN0101".to_string(), 16)), "{err}");
    let (_, err) = check(&with("1 h 20 min - 1 h 45 min"));
    assert!(found(&err).contains(&("GN0101".to_string(), 16)), "{err}");
}

#[test]
fn runbook_clock_times_on_a_daylight_saving_night_are_checked() {
    let night = |deploy: &str, start: &str| {
        format!(
            "release:\n  product: Ledger\n  timezone: Europe/Berlin\n  deploy: {deploy}\nrunbook:\n  phases:\n    - {{ title: Migrate, start: \"{start}\", end: \"04:00\" }}\n    - {{ title: Verify, start: \"04:00\", end: \"04:30\" }}\n"
        )
    };
    // Spring forward: 02:00-03:00 does not exist on 2026-03-29.
    let (code, err) = check(&night("2026-03-29 01:00", "02:30"));
    assert_eq!(code, 1, "{err}");
    assert!(found(&err).contains(&("GN0403".to_string(), 7)), "{err}");
    assert!(
        err.contains("does not exist in Europe/Berlin on 2026-03-29"),
        "{err}"
    );
    let (code, err) = check(&night("2026-03-29 01:00", "03:30"));
    assert_eq!(code, 0, "{err}");
    // Fall back: 02:00-03:00 happens twice on 2026-10-25; said, not guessed silently.
    let (code, err) = check(&night("2026-10-25 01:00", "02:30"));
    assert_eq!(code, 0, "a warning: {err}");
    assert!(found(&err).contains(&("GN0404".to_string(), 7)), "{err}");
    assert!(
        err.contains("02:30 CEST (+02:00), not 02:30 CET (+01:00)"),
        "{err}"
    );
    let (_, err) = check(&night("2026-10-25 01:00", "03:30"));
    assert!(!err.contains("GN0404"), "{err}");
    // A deployment in the gap is one finding; the phases are not placed from it.
    let (_, err) = check(&night("2026-03-29 02:30", "02:45"));
    assert_eq!(err.matches("GN0403").count(), 1, "{err}");
}

#[test]
fn a_long_section_reports_its_first_invalid_value_only() {
    // Every stand-in reads the section again: past 256 KiB only the first is found,
    // so a big file with a mistake on every line stays quick.
    let mut release = String::from("release:\n  product: Ledger\ntests:\n  suites:\n");
    for i in 0..8_000 {
        release.push_str(&format!("    - {{ name: s{i}, passed: 12O, failed: 0 }}\n"));
    }
    let (code, err) = check(&release);
    assert_eq!(code, 1, "{err}");
    assert_eq!(
        err.matches("found `12O`").count(),
        1,
        "{}",
        &err[..2000.min(err.len())]
    );
}
