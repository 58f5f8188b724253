//! CLI tests: the real binary on real files.

mod common;
use common::{copy_dir, walk};
use std::path::{Path, PathBuf};
use std::process::Command;

#[path = "cli/audit.rs"]
mod audit;
#[path = "cli/rules.rs"]
mod rules;

/// A fixed build time after every date in the fixtures (2026-06-01).
const EPOCH: &str = "1780272000";

pub fn gonogo(args: &[&str], cwd: &Path) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_gonogo"))
        .args(args)
        .current_dir(cwd)
        .env("SOURCE_DATE_EPOCH", EPOCH)
        .env("NO_COLOR", "1")
        .output()
        .expect("run gonogo");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// (code, file name, line) of every diagnostic in rustc-style output.
pub fn diagnostics(stderr: &str) -> Vec<(String, String, u32)> {
    let mut out = vec![];
    let mut code = None;
    for line in stderr.lines() {
        if let Some(rest) = line.strip_prefix("error[") {
            code = rest.split(']').next().map(str::to_string);
        } else if let Some(loc) = line.trim_start().strip_prefix("--> ")
            && let Some(c) = code.take()
        {
            let mut parts = loc.rsplitn(3, ':');
            let _col = parts.next();
            let line_no: u32 = parts.next().unwrap().parse().unwrap();
            let file = Path::new(parts.next().unwrap())
                .file_name()
                .unwrap()
                .to_string_lossy()
                .into_owned();
            out.push((c, file, line_no));
        }
    }
    out.sort();
    out
}

fn expect(fixture: &str, file: &str, expected: &[(&str, u32)]) {
    let dir = root().join("tests/fixtures/as-written").join(fixture);
    let (code, _, err) = gonogo(&["check", "--data", dir.to_str().unwrap()], &root());
    assert_eq!(code, 1, "{fixture} must fail:\n{err}");
    let mut want: Vec<(String, String, u32)> = expected
        .iter()
        .map(|(c, l)| (c.to_string(), file.to_string(), *l))
        .collect();
    want.sort();
    assert_eq!(diagnostics(&err), want, "{fixture}:\n{err}");
}

#[test]
fn studio_pod_as_written() {
    // Seeds 000 and 001: Monday, December 25, 2025 is a Thursday (in the data and in
    // the prose); four APPROVED sign-offs with blank names; "all approvals obtained";
    // GO / APPROVED stated. 116/116, 5/5 and the 100% pass rate are right.
    expect(
        "studio-pod",
        "studio-pod.yaml",
        &[
            ("GN0401", 7),
            ("GN0801", 9),
            ("GN0801", 10),
            ("GN0602", 35),
            ("GN0601", 37),
            ("GN0601", 38),
            ("GN0601", 39),
            ("GN0601", 40),
            ("GN1002", 71),
        ],
    );
}

#[test]
fn rls_as_written() {
    // Seed 002: READY while two approvals are pending; a monitoring result
    // (SUCCESSFUL) filled in before the deployment. The 30-minute briefing adds up.
    expect("rls", "rls.yaml", &[("GN0801", 4), ("GN0901", 29)]);
}

#[test]
fn framework_as_written() {
    // Seed 003: 50.2 KB and 2,018 lines are not the sums; 6 stages take 3 h 45 min,
    // not 3.5 h; stage 2 has 22 checks, stage 3 has 14; phases add to 17.5-27.5 h;
    // 16/18 is not 90 %, 12/18 is not 70 %; GO WITH CONDITIONS with 10/25 critical.
    expect(
        "framework",
        "framework.yaml",
        &[
            ("GN0801", 5),
            ("GN0802", 9),
            ("GN0802", 12),
            ("GN0101", 20),
            ("GN0101", 21),
            ("GN0101", 30),
            ("GN0101", 53),
            ("GN0101", 61),
            ("GN0101", 74),
        ],
    );
}

#[test]
fn midi_as_written() {
    // Seed 004: post-deployment parts add to 3 h 45 min - 5 h 45 min, not 1-2 h;
    // phases add to 7 h - 9 h 15 min, not 6-8 h; READY with unanswered go/no-go
    // questions; a SUCCESS record before the deployment.
    expect(
        "midi",
        "midi.yaml",
        &[
            ("GN0801", 5),
            ("GN0101", 16),
            ("GN0101", 33),
            ("GN0901", 40),
        ],
    );
}

/// The example data built into a fresh `site` folder: the folder's owner and path.
fn example_site() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("site");
    let (code, _, err) = gonogo(&["build", "--out", out.to_str().unwrap()], &root());
    assert_eq!(code, 0, "{err}");
    (tmp, out)
}

#[test]
fn example_data_builds() {
    let (_tmp, out) = example_site();
    for id in ["studio-pod-1.0"] {
        for f in [
            "index.html",
            "index.md",
            "approval.html",
            "approval.md",
            "runbook.html",
            "runbook.md",
            "facts.json",
        ] {
            assert!(out.join(id).join(f).is_file(), "{id}/{f} missing");
        }
    }
    assert!(out.join("index.html").is_file() && out.join("assets/style.css").is_file());
}

#[test]
fn pdf_can_be_turned_off() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    copy_dir(&root().join("data"), &data);
    let cfg = data.join("gonogo.yaml");
    let text = std::fs::read_to_string(&cfg).unwrap();
    std::fs::write(&cfg, format!("{text}pdf: false\n")).unwrap();
    let out = tmp.path().join("site");
    let (code, _, err) = gonogo(
        &[
            "build",
            "--data",
            data.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ],
        &root(),
    );
    assert_eq!(code, 0, "{err}");
    assert!(out.join("studio-pod-1.0/approval.html").is_file());
    assert!(
        !walk(&out)
            .iter()
            .any(|p| p.extension().is_some_and(|e| e == "pdf"))
    );
    // On by default.
    let (code, _, err) = gonogo(&["build", "--out", out.to_str().unwrap()], &root());
    assert_eq!(code, 0, "{err}");
    assert!(out.join("studio-pod-1.0/approval.pdf").is_file());
}

fn manifest(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut files: Vec<(PathBuf, Vec<u8>)> = walk(dir)
        .into_iter()
        .map(|p| {
            (
                p.strip_prefix(dir).unwrap().to_path_buf(),
                std::fs::read(&p).unwrap(),
            )
        })
        .collect();
    files.sort();
    files
}

#[test]
fn same_input_same_bytes() {
    let tmp = tempfile::tempdir().unwrap();
    let (a, b) = (tmp.path().join("a"), tmp.path().join("b"));
    for out in [&a, &b] {
        let (code, _, err) = gonogo(&["build", "--out", out.to_str().unwrap()], &root());
        assert_eq!(code, 0, "{err}");
    }
    assert_eq!(manifest(&a), manifest(&b));
}

#[test]
fn environment_does_not_change_the_bytes() {
    // Time zone, locale, umask, worker threads and output path differ; the build
    // time is the same (SOURCE_DATE_EPOCH, set by `gonogo()` and here).
    let tmp = tempfile::tempdir().unwrap();
    let run = |out: &Path, tz: &str, lang: &str, umask: &str, threads: &str| {
        let status = Command::new("sh")
            .arg("-c")
            .arg(format!("umask {umask}; exec \"$0\" build --out \"$1\""))
            .arg(env!("CARGO_BIN_EXE_gonogo"))
            .arg(out)
            .current_dir(root())
            .env("SOURCE_DATE_EPOCH", EPOCH)
            .env("TZ", tz)
            .env("LANG", lang)
            .env("LC_ALL", lang)
            .env("GONOGO_THREADS", threads)
            .output()
            .expect("run gonogo");
        assert!(
            status.status.success(),
            "{}",
            String::from_utf8_lossy(&status.stderr)
        );
    };
    let (a, b) = (tmp.path().join("a"), tmp.path().join("deeper/b"));
    run(&a, "UTC", "C", "022", "1");
    run(&b, "Pacific/Kiritimati", "de_DE.UTF-8", "077", "4");
    assert_eq!(manifest(&a), manifest(&b));
}

#[test]
fn failed_build_leaves_output_untouched() {
    let (tmp, out) = example_site();
    let before = manifest(&out);
    let bad = root().join("tests/fixtures/as-written/midi");
    let (code, _, err) = gonogo(
        &[
            "build",
            "--data",
            bad.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ],
        &root(),
    );
    assert_eq!(code, 1);
    assert!(err.contains("nothing written"), "{err}");
    assert_eq!(manifest(&out), before);
    // No staging folder is left behind either.
    let leftovers: Vec<_> = std::fs::read_dir(tmp.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(leftovers.len(), 1, "{leftovers:?}");
}

#[test]
fn refuses_to_replace_a_folder_it_did_not_write() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("precious.txt"), "keep me").unwrap();
    let (code, _, err) = gonogo(&["build", "--out", tmp.path().to_str().unwrap()], &root());
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("refusing to replace"), "{err}");
    assert!(tmp.path().join("precious.txt").exists());
}

#[test]
fn exit_codes() {
    let (code, _, _) = gonogo(&["build", "--no-such-flag"], &root());
    assert_eq!(code, 2);
    let (code, _, err) = gonogo(&["check", "--data", "/nonexistent/gonogo-data"], &root());
    assert_eq!(code, 2);
    assert!(err.contains("cannot read the data folder"), "{err}");
    let (code, _, err) = gonogo(&["check"], &root());
    assert_eq!(code, 0, "{err}");
    let (code, out, _) = gonogo(&["explain", "GN0101"], &root());
    assert_eq!(code, 0);
    assert!(out.contains("sum-mismatch"));
}

#[test]
fn messages_look_like_rustc() {
    let dir = root().join("tests/fixtures/as-written/studio-pod");
    let (_, _, err) = gonogo(&["check", "--data", dir.to_str().unwrap()], &root());
    assert!(
        err.contains("error[GN0401]: the deployment date is not a Monday"),
        "{err}"
    );
    assert!(
        err.contains("stated: Monday, 2025-12-25; computed: Thursday, 25 December 2025"),
        "{err}"
    );
    assert!(
        err.contains("deploy: Monday, 2025-12-25 06:00"),
        "source line quoted:\n{err}"
    );
}

#[test]
fn invalid_data_is_explained() {
    let tmp = tempfile::tempdir().unwrap();
    let rel = tmp.path().join("releases");
    std::fs::create_dir_all(&rel).unwrap();
    std::fs::write(
        rel.join("a.yaml"),
        "release:\n  product: X\ntests:\n  suites:\n    - name: s\n      pased: 3\n",
    )
    .unwrap();
    std::fs::write(
        rel.join("b.yaml"),
        "release:\n  product: X\n  deploy: 25/12/2025\n",
    )
    .unwrap();
    std::fs::write(
        rel.join("c.yaml"),
        "release: {product: X}\nrelease: {product: Y}\n",
    )
    .unwrap();
    let (code, _, err) = gonogo(&["check", "--data", tmp.path().to_str().unwrap()], &root());
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains("unknown key `pased`") && err.contains("did you mean `passed`?"),
        "{err}"
    );
    assert!(err.contains("a.yaml:6:7"), "{err}");
    assert!(
        err.contains("expected an ISO 8601 date") && err.contains("found `25/12/2025`"),
        "{err}"
    );
    assert!(err.contains("duplicate key `release`"), "{err}");
    assert!(
        err.contains("3 errors"),
        "every file is reported in one run:\n{err}"
    );
}

#[test]
fn templates_can_be_overridden_by_name() {
    let tmp = tempfile::tempdir().unwrap();
    let tpl = tmp.path().join("tpl");
    std::fs::create_dir_all(&tpl).unwrap();
    std::fs::write(
        tpl.join("report.md"),
        "custom report for {{ r.product | md }}\n",
    )
    .unwrap();
    let out = tmp.path().join("site");
    let (code, _, err) = gonogo(
        &[
            "build",
            "--templates",
            tpl.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ],
        &root(),
    );
    assert_eq!(code, 0, "{err}");
    let md = std::fs::read_to_string(out.join("studio-pod-1.0/index.md")).unwrap();
    assert_eq!(md, "custom report for Studio Pod\n");
    // The other templates are still the built-in ones.
    assert!(
        std::fs::read_to_string(out.join("studio-pod-1.0/index.html"))
            .unwrap()
            .contains("Studio Pod")
    );

    std::fs::write(tpl.join("report.md"), "{% for x in %}\n").unwrap();
    let (code, _, err) = gonogo(
        &[
            "build",
            "--templates",
            tpl.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ],
        &root(),
    );
    assert_eq!(
        code, 2,
        "a broken template is gonogo failing to run:\n{err}"
    );
    assert!(err.contains("report.md"), "{err}");
}

#[test]
fn data_is_escaped_in_html_and_markdown() {
    let tmp = tempfile::tempdir().unwrap();
    let rel = tmp.path().join("releases/x");
    std::fs::create_dir_all(&rel).unwrap();
    std::fs::write(
        rel.join("r.yaml"),
        "release:\n  product: \"<script>alert(1)</script> | *bold*\"\nnarrative:\n  - title: \"<img src=x onerror=alert(1)>\"\n    body: \"<script>alert(2)</script>\\n\\n[click](javascript:alert(3))\"\n",
    )
    .unwrap();
    let out = tmp.path().join("site");
    let (code, _, err) = gonogo(
        &[
            "build",
            "--data",
            tmp.path().to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ],
        &root(),
    );
    assert_eq!(code, 0, "{err}");
    for page in [
        "x/index.html",
        "x/approval.html",
        "x/runbook.html",
        "index.html",
    ] {
        let html = std::fs::read_to_string(out.join(page)).unwrap();
        assert!(!html.contains("<script"), "{page}");
        assert!(!html.contains("<img"), "{page}");
        assert!(
            !html.to_lowercase().contains("href=\"javascript:"),
            "{page}"
        );
    }
    let md = std::fs::read_to_string(out.join("x/index.md")).unwrap();
    assert!(!md.contains("<script"), "{md}");
    assert!(
        md.contains("\\| \\*bold\\*"),
        "table-breaking characters escaped:\n{md}"
    );
}

/// Rendered pages are compared with `tests/snapshots/`; after an intended change,
/// `UPDATE_SNAPSHOTS=1 cargo test` rewrites them (review the diff before committing).
#[test]
fn rendered_pages_match_snapshots() {
    let (_tmp, out) = example_site();
    let pages = [
        "index.md",
        "index.html",
        "studio-pod-1.0/index.md",
        "studio-pod-1.0/index.html",
        "studio-pod-1.0/approval.md",
        "studio-pod-1.0/approval.html",
        "studio-pod-1.0/runbook.md",
        "studio-pod-1.0/facts.json",
        "studio-pod-1.1/index.md",
        "deployment-framework/index.md",
        "midi-software-center/runbook.md",
        "rls-tech-debt-001.1/approval.md",
    ];
    let dir = root().join("tests/snapshots");
    let update = std::env::var_os("UPDATE_SNAPSHOTS").is_some();
    let mut stale = vec![];
    for page in pages {
        let mut got = std::fs::read_to_string(out.join(page)).unwrap();
        if page.ends_with(".json") {
            // facts.json is written compact, on one line: kept indented here, so a
            // change reads as lines (the keys keep their order).
            assert_eq!(got.lines().count(), 1, "{page} is compact");
            let v: serde_json::Value = serde_json::from_str(&got).unwrap();
            got = serde_json::to_string_pretty(&v).unwrap() + "\n";
        }
        let snap = dir.join(page.replace('/', "__"));
        if update {
            std::fs::create_dir_all(&dir).unwrap();
            std::fs::write(&snap, &got).unwrap();
            continue;
        }
        let want = std::fs::read_to_string(&snap).unwrap_or_default();
        if got != want {
            let line = got
                .lines()
                .zip(want.lines())
                .position(|(a, b)| a != b)
                .unwrap_or(0);
            stale.push(format!(
                "{page}: first difference at line {}:\n  got:  {}\n  want: {}",
                line + 1,
                got.lines().nth(line).unwrap_or(""),
                want.lines().nth(line).unwrap_or("")
            ));
        }
    }
    assert!(
        stale.is_empty(),
        "snapshots differ (UPDATE_SNAPSHOTS=1 cargo test to accept):\n{}",
        stale.join("\n")
    );
}

fn data_dir(files: &[(&str, &str)]) -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    for (name, text) in files {
        let path = tmp.path().join("releases").join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    tmp
}

fn codes_for(files: &[(&str, &str)]) -> (i32, Vec<(String, String, u32)>, String) {
    let tmp = data_dir(files);
    let (code, _, err) = gonogo(&["check", "--data", tmp.path().to_str().unwrap()], &root());
    (code, diagnostics(&err), err)
}

#[test]
fn runbook_times_are_real_elapsed_time() {
    // Clock times without a deployment time are still checked against each other.
    let (_, d, err) = codes_for(&[(
        "a.yaml",
        "release: { product: X, deploy: 2025-12-25 }\nrunbook:\n  window: { start: \"05:00\", end: \"06:00\" }\n  phases:\n    - { title: A, start: \"05:00\", end: \"07:00\", duration: 9 h }\n    - { title: B, start: \"06:00\", end: \"08:00\" }\n",
    )]);
    let codes: Vec<&str> = d.iter().map(|x| x.0.as_str()).collect();
    assert_eq!(codes, ["GN0501", "GN0502", "GN0502", "GN0503"], "{err}");
    // Crossing midnight is one hour, not minus 23; a spring-forward night is 2 h of
    // real time from 01:00 to 04:00 local.
    let (code, _, err) = codes_for(&[
        (
            "b.yaml",
            "release: { product: Y, deploy: 2025-12-25 23:30 }\nrunbook:\n  phases:\n    - { title: A, start: \"23:30\", end: \"00:30\", duration: 1 h }\n",
        ),
        (
            "c.yaml",
            "release: { product: Z, deploy: 2026-03-08 01:00, timezone: America/New_York }\nrunbook:\n  phases:\n    - { title: A, start: \"01:00\", end: \"04:00\", duration: 2 h }\n    - { title: B, start: T+2h, end: T+3h }\n",
        ),
    ]);
    assert_eq!(code, 0, "{err}");
}

#[test]
fn absurd_numbers_are_errors_not_panics() {
    for text in [
        "release: { product: X, deploy: 2025-12-25 06:00 }\nrunbook:\n  phases:\n    - { title: A, start: \"T--99999999999999999999 h\", end: \"T+0\" }\n",
        "release: { product: X, deploy: 2025-12-25 06:00 }\nrunbook:\n  phases:\n    - { title: A, start: \"T+5 min\", duration: \"99999999999999999999 h\" }\n",
        "release: { product: X, deploy: \"+262142-12-31 23:00\" }\n",
        "release: { product: X }\ntests:\n  suites: [ { name: a, passed: 18446744073709551615, failed: 1 } ]\n  total: 0\n",
        "release: { product: X }\nchecklists:\n  - { title: c, tally: { high: \"30/25\" } }\n",
    ] {
        let (code, _, err) = codes_for(&[("r.yaml", text)]);
        assert_eq!(code, 1, "{text}\n{err}");
        assert!(!err.contains("panicked"), "{err}");
    }
}

#[test]
fn output_path_is_resolved_before_swapping() {
    let tmp = tempfile::tempdir().unwrap();
    let data = root().join("data");
    let real = tmp.path().join("real");
    let (code, _, err) = gonogo(
        &[
            "build",
            "--data",
            data.to_str().unwrap(),
            "--out",
            real.to_str().unwrap(),
        ],
        &root(),
    );
    assert_eq!(code, 0, "{err}");
    // Through a symlink, twice: the real folder is replaced, the link kept.
    let link = tmp.path().join("link");
    std::os::unix::fs::symlink(&real, &link).unwrap();
    for _ in 0..2 {
        let (code, _, err) = gonogo(
            &[
                "build",
                "--data",
                data.to_str().unwrap(),
                "--out",
                link.to_str().unwrap(),
            ],
            &root(),
        );
        assert_eq!(code, 0, "{err}");
    }
    assert!(link.join("index.html").is_file());
    // `--out .` from inside the site: nothing is staged inside it.
    let (code, _, err) = gonogo(
        &["build", "--data", data.to_str().unwrap(), "--out", "."],
        &real,
    );
    assert_eq!(code, 0, "{err}");
    let mut names: Vec<String> = std::fs::read_dir(tmp.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(
        names,
        ["link", "real"],
        "no staging folders left beside the site"
    );
    assert!(std::fs::read_dir(&real).unwrap().all(|e| {
        !e.unwrap()
            .file_name()
            .to_string_lossy()
            .starts_with(".gonogo-staging")
    }));
}

#[test]
fn narrative_numbers_are_checked_where_they_are_written() {
    let md = "# Summary\n\nWe deploy **Monday, December 25, 2025**; 116/116 tests pass.\n\n```\nMonday, December 25, 2025\n```\n\n> Monday, December 25, 2025\n";
    let (code, d, err) = codes_for(&[
        (
            "sp/r.yaml",
            "release: {product: X, deploy: 2025-12-25 06:00}\ntests:\n  suites: [{name: s, passed: 116}]\nnarrative:\n  - title: Notes\n    body: |\n      Fine.\n\n      Ship on {{ deploy.date | weekday }}; 4 of 5 tests pass.\n",
        ),
        ("sp/summary.md", md),
    ]);
    assert_eq!(code, 1, "{err}");
    // Code blocks and quotes are not read; each finding points inside its file.
    assert_eq!(
        d,
        [
            ("GN1002".to_string(), "summary.md".to_string(), 3),
            ("GN1003".to_string(), "r.yaml".to_string(), 9)
        ],
        "{err}"
    );
    assert!(err.contains("summary.md:3:13"), "{err}");
    assert!(err.contains("r.yaml:9:44"), "{err}");
}

#[test]
fn narrative_expressions_render_the_same_in_html_and_markdown() {
    let tmp = data_dir(&[
        (
            "x/r.yaml",
            "release: {product: X, deploy: 2025-12-25 06:00}\ntests:\n  suites: [{name: s, passed: 116}]\n",
        ),
        (
            "x/summary.md",
            "# Summary\n\n{{ tests.passed }} tests pass; we ship on {{ release.deploy.date | weekday }}.\n",
        ),
    ]);
    let out = tmp.path().join("site");
    let (code, _, err) = gonogo(
        &[
            "build",
            "--data",
            tmp.path().to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ],
        &root(),
    );
    assert_eq!(code, 0, "{err}");
    let html = std::fs::read_to_string(out.join("x/index.html")).unwrap();
    let md = std::fs::read_to_string(out.join("x/index.md")).unwrap();
    for page in [&html, &md] {
        assert!(
            page.contains("116 tests pass; we ship on Thursday."),
            "{page}"
        );
        assert!(page.contains("Summary"));
    }
}

/// A data folder whose release `x` holds a copy of the real-runner reports.
fn data_with_reports(yaml: &str) -> tempfile::TempDir {
    let tmp = data_dir(&[("x/r.yaml", yaml)]);
    copy_dir(
        &root().join("tests/fixtures/reports"),
        &tmp.path().join("releases/x/reports"),
    );
    tmp
}

#[test]
fn junit_reports_from_real_runners() {
    let tmp = data_with_reports(
        "release: {product: X}\ntests:\n  suites:\n    - {name: rust, framework: cargo-nextest, reports: [reports/nextest/junit.xml]}\n    - {name: python, framework: pytest, reports: [reports/pytest/junit.xml]}\n    - {name: js, framework: vitest, reports: [\"reports/vitest/*.xml\"]}\nmetrics:\n  - {name: sleep, target: \"< 20 ms\", from: {file: reports/hyperfine/hyperfine.json, pointer: /results/0/mean, unit: s}}\n  - {name: k6 avg, target: \"< 5 ms\", from: {file: reports/k6/k6.json, pointer: /metrics/http_req_duration/avg, unit: ms}}\n",
    );
    let out = tmp.path().join("site");
    let (code, _, err) = gonogo(
        &[
            "build",
            "--deny",
            "warnings",
            "--data",
            tmp.path().to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ],
        &root(),
    );
    assert_eq!(code, 0, "{err}");
    let facts: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("x/facts.json")).unwrap()).unwrap();
    let counts: Vec<(u64, u64, u64, u64)> = facts["tests"]["suites"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["passed"].as_u64().unwrap(),
                s["failed"].as_u64().unwrap(),
                s["errored"].as_u64().unwrap(),
                s["skipped"].as_u64().unwrap(),
            )
        })
        .collect();
    // As counted from the <testcase> elements (see tests/fixtures/reports/README.md).
    assert_eq!(counts, [(4, 2, 1, 0), (4, 2, 2, 2), (5, 6, 0, 3)]);
    let failures = facts["tests"]["failures"].to_string();
    for name in [
        "tests::fails_with_odd_characters",
        "test_errors_in_fixture_setup",
        "fails with odd characters",
    ] {
        assert!(failures.contains(name), "{name} not in {failures}");
    }
    let report = std::fs::read_to_string(out.join("x/index.html")).unwrap();
    assert!(
        report.contains("tests::fails_plain_assert_eq"),
        "the report lists failing tests by name"
    );
    assert_eq!(facts["metrics"][0]["actual"], "11.674 ms");
    assert_eq!(facts["metrics"][1]["actual"], "2.698 ms");
    let index = std::fs::read_to_string(out.join("index.html")).unwrap();
    assert!(
        index.contains(">50%<"),
        "the index shows the pass rate: 13 of 26 run (5 skipped)"
    );
}

#[test]
fn counts_typed_beside_reports_are_claims() {
    let tmp = data_with_reports(
        "release: {product: X}\ntests:\n  suites:\n    - {name: py, reports: [reports/pytest/junit.xml], passed: 4, failed: 1, skipped: 2}\n",
    );
    let (code, _, err) = gonogo(&["check", "--data", tmp.path().to_str().unwrap()], &root());
    assert_eq!(code, 1, "{err}");
    assert_eq!(
        diagnostics(&err),
        [("GN0103".to_string(), "r.yaml".to_string(), 4)],
        "{err}"
    );
    assert!(
        err.contains("stated: 1; computed: 2 in releases/x/reports/pytest/junit.xml"),
        "{err}"
    );
}

#[test]
fn fewer_tests_than_the_previous_release_warns() {
    let tmp = data_dir(&[
        (
            "a/r.yaml",
            "release: {product: P, version: \"2.9\"}\ntests:\n  suites: [{name: py, reports: [junit.xml]}]\n",
        ),
        (
            "b/r.yaml",
            "release: {product: P, version: \"2.10\"}\ntests:\n  suites: [{name: py, reports: [junit.xml]}]\n",
        ),
    ]);
    let reports = root().join("tests/fixtures/reports/pytest");
    std::fs::copy(
        reports.join("junit.xml"),
        tmp.path().join("releases/a/junit.xml"),
    )
    .unwrap();
    std::fs::copy(
        reports.join("junit-subset.xml"),
        tmp.path().join("releases/b/junit.xml"),
    )
    .unwrap();
    let (code, _, err) = gonogo(&["check", "--data", tmp.path().to_str().unwrap()], &root());
    assert_eq!(code, 0, "a warning does not fail the check:\n{err}");
    assert!(
        err.contains("warning[GN1201]: P 2.10 has fewer tests than P 2.9"),
        "{err}"
    );
    assert!(
        err.contains("computed: 4 tests; 10 tests in P 2.9") && !err.contains("stated: 4 tests"),
        "{err}"
    );
    let (code, _, _) = gonogo(
        &[
            "check",
            "--deny",
            "warnings",
            "--data",
            tmp.path().to_str().unwrap(),
        ],
        &root(),
    );
    assert_eq!(code, 1);
    let out = tmp.path().join("site");
    let (code, _, err) = gonogo(
        &[
            "build",
            "--data",
            tmp.path().to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ],
        &root(),
    );
    assert_eq!(code, 0, "{err}");
    let md = std::fs::read_to_string(out.join("b/index.md")).unwrap();
    assert!(md.contains("Automated tests: 10 → 4 (**-6**)"), "{md}");
}

#[test]
fn bad_report_and_json_references_are_errors() {
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("secret.xml"), "<testsuite/>").unwrap();
    let tmp = data_with_reports(&format!(
        "release: {{product: X}}\ntests:\n  suites:\n    - {{name: a, reports: [reports/missing.xml]}}\n    - {{name: b, reports: [../../gonogo.yaml]}}\n    - {{name: c, reports: [\"{}\"]}}\n    - {{name: d, reports: [\"reports/none/*.xml\"]}}\n    - {{name: e, reports: [reports/README.md]}}\n    - {{name: f, reports: [link.xml]}}\nmetrics:\n  - {{name: m, target: \"< 1 s\", from: {{file: reports/hyperfine/hyperfine.json, pointer: /results/7/mean}}}}\n  - {{name: n, target: \"< 1 s\", from: {{file: reports/hyperfine/hyperfine.json, pointer: /results/0/command}}}}\n",
        outside.path().join("secret.xml").display()
    ));
    std::os::unix::fs::symlink(
        outside.path().join("secret.xml"),
        tmp.path().join("releases/x/link.xml"),
    )
    .unwrap();
    let (code, _, err) = gonogo(
        &[
            "build",
            "--data",
            tmp.path().to_str().unwrap(),
            "--out",
            tmp.path().join("site").to_str().unwrap(),
        ],
        &root(),
    );
    assert_eq!(code, 1, "{err}");
    assert!(!tmp.path().join("site").exists(), "nothing written");
    let codes: Vec<(String, u32)> = diagnostics(&err)
        .into_iter()
        .map(|(c, _, l)| (c, l))
        .collect();
    assert_eq!(
        codes,
        [
            ("GN1101".to_string(), 4),
            ("GN1101".to_string(), 5),
            ("GN1101".to_string(), 6),
            ("GN1101".to_string(), 7),
            ("GN1101".to_string(), 8),
            ("GN1101".to_string(), 9),
            ("GN1103".to_string(), 11),
            ("GN1103".to_string(), 12),
        ],
        "{err}"
    );
    for text in [
        "cannot read",
        "uses `..`",
        "is absolute",
        "matches no file",
        "not a JUnit report",
        "outside the data folder",
        "resolves to nothing",
        "not a number",
    ] {
        assert!(err.contains(text), "{text}:\n{err}");
    }
}

fn as_written(name: &str) -> String {
    root()
        .join("tests/fixtures/as-written")
        .join(name)
        .to_str()
        .unwrap()
        .to_string()
}

#[test]
fn json_messages_are_one_object_per_line_then_a_summary() {
    let (code, out, err) = gonogo(
        &[
            "check",
            "--message-format",
            "json",
            "--data",
            &as_written("midi"),
        ],
        &root(),
    );
    assert_eq!(code, 1, "{err}");
    let lines: Vec<serde_json::Value> = out
        .lines()
        .map(|l| serde_json::from_str(l).expect("each line is JSON"))
        .collect();
    let (summary, findings) = lines.split_last().unwrap();
    assert_eq!(summary["type"], "summary");
    assert_eq!(summary["errors"], 4);
    assert_eq!(summary["ok"], false);
    let runbook = findings
        .iter()
        .find(|d| d["code"] == "GN0101" && d["line"] == 16)
        .expect("the runbook total");
    assert_eq!(runbook["severity"], "error");
    assert!(
        runbook["file"]
            .as_str()
            .unwrap()
            .ends_with("midi/releases/midi.yaml")
    );
    assert_eq!(runbook["column"], 13);
    assert_eq!(runbook["end_column"], 18);
    assert_eq!(runbook["claimed"], "6-8 h");
    assert_eq!(runbook["computed"], "7-9.25 h");
    assert!(!err.contains("error["), "no human text mixed in:\n{err}");
}

#[test]
fn github_annotations_are_escaped() {
    // A data folder whose path holds the characters workflow commands must escape.
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("odd,dir:name");
    std::fs::create_dir_all(data.join("releases")).unwrap();
    std::fs::write(data.join("releases/r.yaml"), "release: {product: X}\nmetrics:\n  - {name: m, target: \"< 30 s\", actual: \"8,900 ms\", better: 76%}\n").unwrap();
    let (code, out, _) = gonogo(
        &[
            "check",
            "--message-format",
            "github",
            "--data",
            data.to_str().unwrap(),
        ],
        &root(),
    );
    assert_eq!(code, 1);
    let line = out.lines().next().unwrap();
    assert!(line.starts_with("::error file="), "{line}");
    assert!(
        line.contains("odd%2Cdir%3Aname/releases/r.yaml,line=3,col="),
        "{line}"
    );
    assert!(
        line.contains(",title=GN0302 better-than-target-mismatch::"),
        "{line}"
    );
    assert!(
        line.contains("(stated: 76%25 better; computed: 70.33%25 better"),
        "{line}"
    );
    assert_eq!(out.lines().count(), 1, "{out}");
}

/// The official SARIF 2.1.0 schema, compiled (see below for the one pattern fixed).
fn sarif_validator() -> jsonschema::Validator {
    let schema =
        std::fs::read_to_string(root().join("tests/fixtures/sarif/sarif-schema-2.1.0.json"))
            .unwrap()
            .replace(
                "^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$",
                "^[a-zA-Z]{2}(-[a-zA-Z]{2})?$",
            );
    jsonschema::options()
        .build(&serde_json::from_str(&schema).unwrap())
        .unwrap()
}

/// A run that cannot be done (exit 2) still answers in the machine format asked
/// for: CI reads why, and gets a SARIF log to upload (before: nothing on stdout).
#[test]
fn a_run_that_cannot_be_done_answers_in_the_format_asked_for() {
    let missing = root().join("no-such-folder");
    let missing = missing.to_str().unwrap();
    let run = |format: &str| {
        let (code, out, err) = gonogo(
            &["check", "--message-format", format, "--data", missing],
            &root(),
        );
        assert_eq!(code, 2, "{err}");
        assert!(err.contains("cannot read the data folder"), "{err}");
        out
    };
    let json = run("json");
    let lines: Vec<serde_json::Value> = json
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines[0]["type"], "error");
    assert!(
        lines[0]["message"]
            .as_str()
            .unwrap()
            .contains("cannot read the data folder"),
        "{json}"
    );
    assert_eq!(lines[1]["type"], "summary");
    assert_eq!(lines[1]["ok"], false);
    let github = run("github");
    assert!(
        github.starts_with("::error title=gonogo could not run::cannot read the data folder"),
        "{github}"
    );
    let sarif: serde_json::Value = serde_json::from_str(&run("sarif")).unwrap();
    let errors: Vec<String> = sarif_validator()
        .iter_errors(&sarif)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    let invocation = &sarif["runs"][0]["invocations"][0];
    assert_eq!(invocation["executionSuccessful"], false);
    assert!(
        invocation["toolExecutionNotifications"][0]["message"]["text"]
            .as_str()
            .unwrap()
            .contains("cannot read the data folder")
    );
    // The human format keeps stdout empty: stderr says it.
    assert_eq!(run("human"), "");
}

#[test]
fn sarif_log_is_valid_sarif_2_1_0() {
    let (code, out, _) = gonogo(
        &[
            "check",
            "--message-format",
            "sarif",
            "--data",
            &as_written("framework"),
        ],
        &root(),
    );
    assert_eq!(code, 1);
    let log: serde_json::Value = serde_json::from_str(&out).unwrap();
    let schema: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(root().join("tests/fixtures/sarif/sarif-schema-2.1.0.json"))
            .unwrap(),
    )
    .unwrap();
    // The official schema's `language` properties (of run and toolComponent) carry a
    // malformed pattern (an unbalanced `]`) that a strict ECMA-262 checker rejects when
    // compiling the schema; gonogo never writes `language`, so those patterns are
    // replaced in memory by the one intended before compiling.
    let schema: serde_json::Value =
        serde_json::from_str(&serde_json::to_string(&schema).unwrap().replace(
            "^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$",
            "^[a-zA-Z]{2}(-[a-zA-Z]{2})?$",
        ))
        .unwrap();
    let validator = jsonschema::options().build(&schema).unwrap();
    let errors: Vec<String> = validator
        .iter_errors(&log)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    let results = log["runs"][0]["results"].as_array().unwrap();
    assert_eq!(results.len(), 9);
    assert_eq!(results[0]["ruleId"], "GN0101");
    assert_eq!(
        results[0]["locations"][0]["physicalLocation"]["region"]["startLine"],
        21
    );
}

#[test]
fn quiet_and_colour() {
    let (code, _, err) = gonogo(&["check", "--quiet"], &root());
    assert_eq!(code, 0);
    assert!(err.is_empty(), "{err}");
    let (_, _, err) = gonogo(
        &["check", "--color", "always", "--data", &as_written("rls")],
        &root(),
    );
    assert!(err.contains("\u{1b}["), "colour when asked");
    // NO_COLOR is set by the test harness and stderr is a pipe: no colour by default.
    let (_, _, err) = gonogo(&["check", "--data", &as_written("rls")], &root());
    assert!(!err.contains("\u{1b}["), "{err}");
}

#[test]
fn one_release_at_a_time() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("site");
    let (code, _, err) = gonogo(
        &[
            "build",
            "--release",
            "studio-pod-1.1",
            "--out",
            out.to_str().unwrap(),
        ],
        &root(),
    );
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("built 1 release"), "{err}");
    assert!(out.join("studio-pod-1.1/index.html").is_file());
    assert!(
        !out.join("studio-pod-1.0").exists(),
        "the release it is compared with is not rendered"
    );
    let index = std::fs::read_to_string(out.join("index.md")).unwrap();
    assert!(
        index.contains("Studio Pod 1.1") && !index.contains("MIDI"),
        "{index}"
    );
    let report = std::fs::read_to_string(out.join("studio-pod-1.1/index.md")).unwrap();
    assert!(report.contains("Compared with"), "still compared with 1.0");
    let (code, _, err) = gonogo(&["check", "--release", "studio-pod-1.O"], &root());
    assert_eq!(code, 2);
    assert!(
        err.contains("no release `studio-pod-1.O`")
            && err.contains("did you mean `studio-pod-1.0`?"),
        "{err}"
    );
}

#[test]
fn init_writes_a_project_that_builds_and_fails_instructively() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("proj");
    let (code, _, err) = gonogo(&["init", dir.to_str().unwrap()], &root());
    assert_eq!(code, 0, "{err}");
    let data = dir.join("data");
    let out = dir.join("site");
    let (code, _, err) = gonogo(
        &[
            "build",
            "--deny",
            "warnings",
            "--data",
            data.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ],
        &root(),
    );
    assert_eq!(code, 0, "{err}");
    assert!(out.join("example-1.0/approval.html").is_file());
    // The comments say: change `passed: 3` to 4, and the check fails with GN0103.
    let file = data.join("releases/example-1.0/release.yaml");
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(text.contains("change `passed: 3` below to `passed: 4`"));
    std::fs::write(&file, text.replace("      passed: 3 ", "      passed: 4 ")).unwrap();
    let (code, _, err) = gonogo(&["check", "--data", data.to_str().unwrap()], &root());
    assert_eq!(code, 1);
    assert_eq!(
        diagnostics(&err),
        [("GN0103".to_string(), "release.yaml".to_string(), 28)],
        "{err}"
    );
    assert!(
        dir.join("schema/release.schema.json").is_file(),
        "the schema the files name is there"
    );
    // init never overwrites.
    let (code, _, err) = gonogo(&["init", dir.to_str().unwrap()], &root());
    assert_eq!(code, 2);
    assert!(err.contains("does not overwrite"), "{err}");
}

#[test]
fn new_release_copies_the_structure_with_results_cleared() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    copy_dir(&root().join("data"), &data);
    let (code, _, err) = gonogo(
        &[
            "new",
            "release",
            "studio-pod-1.2",
            "--from",
            "studio-pod-1.1",
            "--version",
            "1.2",
            "--data",
            data.to_str().unwrap(),
        ],
        &root(),
    );
    assert_eq!(code, 0, "{err}");
    let text = std::fs::read_to_string(data.join("releases/studio-pod-1.2/release.yaml")).unwrap();
    assert!(
        text.starts_with("# yaml-language-server: $schema="),
        "{text}"
    );
    assert!(
        text.contains("version: '1.2'")
            || text.contains("version: \"1.2\"")
            || text.contains("version: 1.2"),
        "{text}"
    );
    assert!(
        text.contains("status: pending") && !text.contains("status: approved"),
        "{text}"
    );
    assert!(
        !text.contains("done: true") && text.contains("done: false"),
        "{text}"
    );
    assert!(
        !text.contains("deploy:") && !text.contains("reports:") && !text.contains("actual:"),
        "{text}"
    );
    assert!(
        text.contains("Render queue and retries"),
        "the structure is kept"
    );
    let (code, _, err) = gonogo(
        &[
            "check",
            "--data",
            data.to_str().unwrap(),
            "--release",
            "studio-pod-1.2",
        ],
        &root(),
    );
    assert_eq!(code, 0, "the blank form is consistent:\n{err}");
    let (code, _, err) = gonogo(
        &[
            "new",
            "release",
            "studio-pod-1.2",
            "--from",
            "studio-pod-1.1",
            "--data",
            data.to_str().unwrap(),
        ],
        &root(),
    );
    assert_eq!(code, 2);
    assert!(err.contains("already exists"), "{err}");
}

#[test]
fn completions_man_page_and_help() {
    for shell in ["bash", "zsh", "fish"] {
        let (code, out, _) = gonogo(&["completions", shell], &root());
        assert_eq!(code, 0);
        assert!(
            out.contains("gonogo") && out.contains("message-format"),
            "{shell}"
        );
    }
    let (code, out, _) = gonogo(&["man"], &root());
    assert_eq!(code, 0);
    assert!(
        out.starts_with(".ie") || out.contains(".TH gonogo"),
        "{}",
        &out[..200.min(out.len())]
    );
    for sub in [
        "build",
        "check",
        "serve",
        "explain",
        "schema",
        "init",
        "new",
        "completions",
        "man",
    ] {
        let (code, out, _) = gonogo(&[sub, "--help"], &root());
        assert_eq!(code, 0, "{sub}");
        assert!(out.contains("Usage: gonogo"), "{sub}");
    }
}

#[test]
fn explain_shows_examples() {
    let (code, out, _) = gonogo(&["explain", "gn0802"], &root());
    assert_eq!(code, 0);
    assert!(
        out.contains("policy-count-mismatch")
            && out.contains("Fails:")
            && out.contains("90% (16/18)"),
        "{out}"
    );
    let (code, _, err) = gonogo(&["explain", "GN9999"], &root());
    assert_eq!(code, 2);
    assert!(err.contains("no rule `GN9999`"));
}

/// The example workflow's gonogo commands run as written on the example data.
#[test]
fn example_github_workflow_commands_work() {
    let text = std::fs::read_to_string(root().join("examples/github-actions.yml")).unwrap();
    let workflow: serde_json::Value = serde_saphyr::from_str(&text).unwrap();
    let mut runs = vec![];
    for job in workflow["jobs"].as_object().unwrap().values() {
        for step in job["steps"].as_array().unwrap() {
            if let Some(run) = step["run"].as_str().filter(|r| r.starts_with("gonogo ")) {
                runs.push(run.to_string());
            }
        }
    }
    assert_eq!(runs.len(), 1, "{runs:?}");
    // The check job is the action (tests/action.rs runs its steps).
    assert!(text.contains("uses: gonogo/gonogo@main"), "{text}");
    let tmp = tempfile::tempdir().unwrap();
    for run in runs {
        let command = run
            .split(" > ")
            .next()
            .unwrap()
            .split(" || ")
            .next()
            .unwrap();
        let args: Vec<String> = command
            .split_whitespace()
            .skip(1)
            .map(|a| a.replace("\"${GITHUB_REF_NAME#release/}\"", "studio-pod-1.1"))
            .map(|a| {
                if a == "site" {
                    tmp.path().join("site").display().to_string()
                } else {
                    a
                }
            })
            .collect();
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let (code, out, err) = gonogo(&args, &root());
        assert_eq!(code, 0, "{run}\n{out}{err}");
    }
    assert!(tmp.path().join("site/studio-pod-1.1/index.html").is_file());
}

/// Correct or unrelated prose must not be flagged (a false alarm costs trust).
#[test]
fn narrative_checks_stay_silent_on_prose_they_cannot_read() {
    let yaml = "release: {product: X, deploy: 2025-12-25 06:00}\ntests:\n  suites: [{name: s, passed: 3, skipped: 1}]\n  manual:\n    scenarios:\n      - {name: a, result: pass}\n      - {name: b, result: pass}\n      - {name: c, result: fail}\n      - {name: d, result: not run}\n      - {name: e, result: not run}\nmetrics:\n  - {name: Response time p95, target: \"< 800 ms\", actual: 420 ms}\n  - {name: Error rate, target: \"< 1%\", actual: 0.2%}\napprovals:\n  signoffs:\n    - {role: A, name: Ann, status: approved, date: 2025-12-20}\n    - {role: B, status: pending}\nchecklists:\n  - title: L\n    items: [{title: a, done: true}, {title: b, done: true}, {title: c, done: true}, {title: d}]\n";
    let md = "# Notes\n\n\
We shipped 2/3 of the items last week. 1 of 3 test environments are ready. \
3/4 items noted as done. 3 of 5 scenarios were run. 1 of 5 scenarios failed. \
2/5 scenarios pass. 1 of 2 sign-offs are still pending. 1 of 2 approvals given.\n\n\
The pass rate went from 95% to 100%. Pass rate: 100 %. The manual pass rate is 40%.\n\n\
Error rate 0.2% vs target 1%, 80% better. Response time p95 improved, while error rate was 80% better. \
Response time p95 is 47.5% better.\n\n\
On Thursday, 25 December 2025 at 06:00; Thursday 2025-12-25T06:00; 2025-12-25 (Thu).\n";
    let (code, _, err) = codes_for(&[("x/r.yaml", yaml), ("x/notes.md", md)]);
    assert_eq!(code, 0, "{err}");
    // The same prose with wrong numbers is caught.
    let wrong = md
        .replace("1 of 5 scenarios failed", "2 of 5 scenarios failed")
        .replace(
            "Response time p95 is 47.5% better",
            "Response time p95 is 50% better",
        )
        .replace("Thursday 2025-12-25T06:00", "Tuesday 2025-12-25T06:00");
    let (code, d, err) = codes_for(&[("x/r.yaml", yaml), ("x/notes.md", &wrong)]);
    assert_eq!(code, 1);
    let codes: Vec<&str> = d.iter().map(|x| x.0.as_str()).collect();
    assert_eq!(codes, ["GN1002", "GN1003", "GN1004"], "{err}");
}

#[test]
fn selecting_a_release_ignores_unrelated_broken_ones() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    copy_dir(&root().join("data"), &data);
    let midi = data.join("releases/midi-software-center/release.yaml");
    let text = std::fs::read_to_string(&midi).unwrap();
    std::fs::write(
        &midi,
        text.replacen(
            "  product: MIDI Software Center",
            "  product: MIDI Software Center\n  bogus_key: 1",
            1,
        ),
    )
    .unwrap();
    let (code, _, err) = gonogo(
        &[
            "check",
            "--data",
            data.to_str().unwrap(),
            "--release",
            "studio-pod-1.1",
        ],
        &root(),
    );
    assert_eq!(code, 0, "{err}");
    let (code, _, err) = gonogo(
        &[
            "check",
            "--data",
            data.to_str().unwrap(),
            "--release",
            "midi-software-center",
        ],
        &root(),
    );
    assert_eq!(code, 1, "the broken release itself still fails:\n{err}");
    assert!(err.contains("unknown key `bogus_key`"), "{err}");
}

#[test]
fn pre_releases_come_before_their_release() {
    let (code, _, err) = codes_for(&[
        (
            "a/r.yaml",
            "release: {product: P, version: 2.0.0-rc1}\ntests:\n  suites: [{name: s, passed: 4}]\n",
        ),
        (
            "b/r.yaml",
            "release: {product: P, version: 2.0.0}\ntests:\n  suites: [{name: s, passed: 5}]\n",
        ),
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(!err.contains("GN1201"), "{err}");
    let (_, _, err) = codes_for(&[
        (
            "a/r.yaml",
            "release: {product: P, version: 2.0.0-rc1}\ntests:\n  suites: [{name: s, passed: 5}]\n",
        ),
        (
            "b/r.yaml",
            "release: {product: P, version: 2.0.0}\ntests:\n  suites: [{name: s, passed: 4}]\n",
        ),
    ]);
    assert!(
        err.contains("warning[GN1201]: P 2.0.0 has fewer tests than P 2.0.0-rc1"),
        "{err}"
    );
}

#[test]
fn bidirectional_and_invisible_characters_are_rejected() {
    let tmp = tempfile::tempdir().unwrap();
    let rel = tmp.path().join("releases/x");
    std::fs::create_dir_all(&rel).unwrap();
    let write = |text: &str| std::fs::write(rel.join("release.yaml"), text).unwrap();
    let check = || gonogo(&["check", "--data", tmp.path().to_str().unwrap()], &root());
    // An override that prints "approved" reversed, and a zero-width space in a number.
    write(
        "release:\n  product: X\n  title: \"Sign \u{202E}devorppa\"\nchecklists:\n  - {title: a, done: true, note: \"1\u{200B}00\"}\n",
    );
    let (code, _, err) = check();
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains("a bidirectional control character (U+202E) in the data"),
        "{err}"
    );
    assert!(err.contains("release.yaml:3:16"), "{err}");
    assert!(err.contains("an invisible character (U+200B)"), "{err}");
    // Joiners inside emoji and Persian words are how those are written.
    write("release:\n  product: X\n  title: \"Dev 👩\u{200D}💻 team, می\u{200C}خواهم\"\n");
    let (code, _, err) = check();
    assert_eq!(code, 0, "{err}");
}

#[test]
fn yaml_1_1_booleans_are_rejected_not_coerced() {
    // `done: NO` must not quietly become false (nor `on` true): the Norway problem.
    let tmp = tempfile::tempdir().unwrap();
    let rel = tmp.path().join("releases/x");
    std::fs::create_dir_all(&rel).unwrap();
    for (word, col) in [("NO", 38), ("on", 38), ("yes", 38)] {
        std::fs::write(
            rel.join("release.yaml"),
            format!("release: {{product: X}}\nchecklists:\n  - {{title: a, priority: high, done: {word}}}\n"),
        )
        .unwrap();
        let (code, _, err) = gonogo(&["check", "--data", tmp.path().to_str().unwrap()], &root());
        assert_eq!(code, 1, "{word}: {err}");
        assert!(err.contains("error[GN0001]"), "{word}: {err}");
        assert!(
            err.contains(&format!("release.yaml:3:{col}")),
            "{word}: {err}"
        );
    }
    std::fs::write(
        rel.join("release.yaml"),
        "release: {product: X, version: 1.10}\nchecklists:\n  - {title: a, priority: high, done: true}\n",
    )
    .unwrap();
    let (code, _, err) = gonogo(&["check", "--data", tmp.path().to_str().unwrap()], &root());
    assert_eq!(code, 0, "{err}");
}

#[test]
fn yaml_1_1_numbers_and_merge_keys_are_refused_or_read_as_declared() {
    let tmp = tempfile::tempdir().unwrap();
    let rel = tmp.path().join("releases/x");
    std::fs::create_dir_all(&rel).unwrap();
    let data = tmp.path().to_str().unwrap();
    let suite = |passed: &str| {
        format!(
            "release: {{product: X, version: 1.10}}\ntests:\n  suites:\n    - {{name: unit, passed: {passed}, failed: 0}}\n"
        )
    };
    // Octal in YAML 1.1, decimal in 1.2, and base-60: never read as some number.
    for (passed, says) in [
        (
            "012",
            "a leading zero makes it octal in YAML 1.1 and decimal in 1.2; write 12",
        ),
        ("1:20", "YAML 1.1 reads this as a base-60 number"),
    ] {
        std::fs::write(rel.join("release.yaml"), suite(passed)).unwrap();
        let (code, _, err) = gonogo(&["check", "--data", data], &root());
        assert_eq!(code, 1, "{passed}: {err}");
        assert!(
            err.contains(&format!("`{passed}` is not a number gonogo reads")),
            "{err}"
        );
        assert!(err.contains("release.yaml:4:28"), "{err}");
        assert!(err.contains(says), "{err}");
    }
    // A string field keeps what was written: version 1.10 is not the number 1.1.
    std::fs::write(rel.join("release.yaml"), suite("12")).unwrap();
    let out = tmp.path().join("site");
    let (code, _, err) = gonogo(
        &["build", "--data", data, "--out", out.to_str().unwrap()],
        &root(),
    );
    assert_eq!(code, 0, "{err}");
    let page = std::fs::read_to_string(out.join("x/index.md")).unwrap();
    assert!(page.contains("1.10"), "{page}");

    // `<<` merges, one or two in a mapping: refused, not resolved by precedence.
    for risks in [
        "  - &a {id: R1, title: t, level: low, status: open}\n  - {<<: *a, id: R2}\n",
        "  - &a {id: R1, title: t, level: low, status: open}\n  - {<<: *a, <<: *a, id: R2}\n",
    ] {
        std::fs::write(
            rel.join("release.yaml"),
            format!("release: {{product: X}}\nrisks:\n  items:\n{risks}"),
        )
        .unwrap();
        let (code, _, err) = gonogo(&["check", "--data", data], &root());
        assert_eq!(code, 1, "{err}");
        assert!(err.contains("`<<` merge keys are not read"), "{err}");
        assert!(err.contains("release.yaml:5:6"), "{err}");
    }
}

#[test]
fn deep_nesting_is_refused_quickly() {
    let tmp = tempfile::tempdir().unwrap();
    let rel = tmp.path().join("releases/x");
    std::fs::create_dir_all(&rel).unwrap();
    let data = tmp.path().to_str().unwrap();
    let flow = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    // Checklist items nest (items of items): 200 levels of well-typed data, which
    // once overflowed a worker thread's stack in a debug build before the limit.
    let block: String = (0..200)
        .map(|i| {
            let pad = "    ".repeat(i);
            format!("{pad}- title: a\n{pad}  items:\n")
        })
        .collect();
    for body in [
        format!("release: {{product: X}}\nmetrics: {flow}\n"),
        format!("release: {{product: X}}\nchecklists:\n{block}"),
    ] {
        std::fs::write(rel.join("release.yaml"), body).unwrap();
        let started = std::time::Instant::now();
        let (code, _, err) = gonogo(&["check", "--data", data, "--no-cache"], &root());
        assert_eq!(code, 1, "{err}");
        assert!(
            err.contains("error[GN0001]: nested too deep: data files nest at most 64 levels"),
            "{err}"
        );
        assert!(started.elapsed() < std::time::Duration::from_secs(5));
    }
}

#[test]
fn release_ids_that_differ_only_in_case_are_an_error() {
    let tmp = tempfile::tempdir().unwrap();
    for id in ["Rel-1", "rel-1"] {
        let dir = tmp.path().join("releases").join(id);
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("release.yaml"), "release: {product: X}\n").unwrap();
    }
    let (code, _, err) = gonogo(&["check", "--data", tmp.path().to_str().unwrap()], &root());
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains("releases `Rel-1` and `rel-1` differ only in case"),
        "{err}"
    );
}

#[test]
fn pathological_markdown_renders_in_bounded_output() {
    // The inputs CommonMark's reference implementation tests for quadratic blow-ups:
    // nested emphasis, brackets, links, block quotes and lists, reference floods,
    // backtick runs, unfinished entities and tags. pulldown-cmark is linear on them;
    // this pins that the whole build stays so and the pages stay in proportion.
    let tmp = tempfile::tempdir().unwrap();
    let rel = tmp.path().join("releases/x");
    std::fs::create_dir_all(&rel).unwrap();
    std::fs::write(rel.join("release.yaml"), "release: {product: X}\n").unwrap();
    let n = 10_000;
    let cases = [
        format!("{}b{}", "*a **a ".repeat(n), " a** a*".repeat(n)),
        format!("{}a{}", "[".repeat(n), "]".repeat(n)),
        format!("{}b{}", "[a](".repeat(n), ")".repeat(n)),
        format!("{}a", "> ".repeat(n)),
        (0..500)
            .map(|i| format!("{}- a\n", "  ".repeat(i)))
            .collect(),
        format!("{}{}", "[a]: /u\n".repeat(n), "[a] ".repeat(n)),
        format!("{}a{}", "`".repeat(n), "``".repeat(n / 2)),
        "&#".repeat(n),
        "<a ".repeat(n),
    ];
    let body = format!("# Notes\n\n{}\n", cases.join("\n\n"));
    std::fs::write(rel.join("summary.md"), &body).unwrap();
    let out = tmp.path().join("site");
    let (code, _, err) = gonogo(
        &[
            "build",
            "--data",
            tmp.path().to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ],
        &root(),
    );
    assert_eq!(code, 0, "{err}");
    for page in ["index.html", "index.md"] {
        let size = std::fs::metadata(out.join("x").join(page)).unwrap().len() as usize;
        assert!(
            size < 4 * body.len(),
            "{page}: {size} bytes from {}",
            body.len()
        );
    }
}

#[test]
fn alias_bombs_are_refused_early() {
    // Ten levels of ten aliases would be 10^9 nodes; the replay limit stops it after
    // twenty thousand events, with the location of the alias.
    let tmp = tempfile::tempdir().unwrap();
    let rel = tmp.path().join("releases/x");
    std::fs::create_dir_all(&rel).unwrap();
    let mut doc = String::from("release: {product: X}\nchecklists:\n  - &n0 {title: x}\n");
    for i in 1..10 {
        let refs = vec![format!("*n{}", i - 1); 10].join(", ");
        doc.push_str(&format!("  - &n{i} {{title: t{i}, items: [{refs}]}}\n"));
    }
    std::fs::write(rel.join("release.yaml"), doc).unwrap();
    let (code, _, err) = gonogo(&["check", "--data", tmp.path().to_str().unwrap()], &root());
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains("error[GN0001]: alias replay limit exceeded"),
        "{err}"
    );
    assert!(err.contains("release.yaml:"), "{err}");
    // Aliases as people use them (a shared scope) are fine.
    std::fs::write(
        rel.join("release.yaml"),
        "release: {product: X}\napprovals:\n  signoffs:\n    - {role: QA, status: pending, scope: &s Tests and staging}\n    - {role: Dev, status: pending, scope: *s}\n",
    )
    .unwrap();
    let (code, _, err) = gonogo(&["check", "--data", tmp.path().to_str().unwrap()], &root());
    assert_eq!(code, 0, "{err}");
}

#[test]
fn template_errors_name_the_template_and_place_and_recursion_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let tpl = tmp.path().join("tpl");
    std::fs::create_dir_all(&tpl).unwrap();
    let out = tmp.path().join("site");
    let build = || {
        gonogo(
            &[
                "build",
                "--templates",
                tpl.to_str().unwrap(),
                "--out",
                out.to_str().unwrap(),
            ],
            &root(),
        )
    };
    std::fs::write(
        tpl.join("report.html"),
        "{% extends \"base.html\" %}\n{% block content %}\n{{ r.id \n{% endblock %}\n",
    )
    .unwrap();
    let (code, _, err) = build();
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("a template does not compile") && err.contains("report.html:4:1"),
        "{err}"
    );
    // A template that includes itself is found when templates are compiled.
    std::fs::write(tpl.join("report.html"), "{% include \"report.html\" %}\n").unwrap();
    let (code, _, err) = build();
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("Circular include"), "{err}");
    assert!(!out.exists(), "nothing is written");
    // A component that calls itself forever is an error, not a stack overflow.
    std::fs::write(
        tpl.join("report.html"),
        "{% component down(n: integer) %}<{{ n }}>{{ <down n={n + 1} /> }}{% endcomponent down %}\n{{ <down n={0} /> }}\n",
    )
    .unwrap();
    let (code, _, err) = build();
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("cannot render template report.html")
            && err.contains("recursion depth for components exceeded"),
        "{err}"
    );
    assert!(!out.exists(), "nothing is written");
}

#[test]
fn a_killed_build_leaves_the_old_site_or_the_new_one() {
    // SIGKILL at many points of a build that replaces a site: the output folder is
    // always byte for byte the old site or the new one (compared by manifest).
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    copy_dir(&root().join("data"), &data);
    let out = tmp.path().join("site");
    let build = |out: &Path| {
        gonogo(
            &[
                "build",
                "--data",
                data.to_str().unwrap(),
                "--out",
                out.to_str().unwrap(),
            ],
            &root(),
        )
    };
    assert_eq!(build(&out).0, 0);
    let old = manifest(&out);
    // The new data: another title on every page.
    let cfg = data.join("gonogo.yaml");
    let text = std::fs::read_to_string(&cfg).unwrap();
    std::fs::write(
        &cfg,
        text.replace("title: Release readiness", "title: Readiness v2"),
    )
    .unwrap();
    let reference = tmp.path().join("reference");
    assert_eq!(build(&reference).0, 0);
    let new = manifest(&reference);
    assert_ne!(old, new);
    let mut seen_old = 0;
    for delay_ms in (0..200).step_by(7) {
        let mut child = Command::new(env!("CARGO_BIN_EXE_gonogo"))
            .args([
                "build",
                "--data",
                data.to_str().unwrap(),
                "--out",
                out.to_str().unwrap(),
            ])
            .env("SOURCE_DATE_EPOCH", EPOCH)
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(std::time::Duration::from_millis(delay_ms));
        let _ = child.kill(); // SIGKILL
        let _ = child.wait();
        let now = manifest(&out);
        assert!(
            now == old || now == new,
            "after {delay_ms} ms the site is neither"
        );
        if now == old {
            seen_old += 1;
            continue;
        }
        // Put the old site back for the next round.
        std::fs::write(&cfg, &text).unwrap();
        assert_eq!(build(&out).0, 0);
        std::fs::write(
            &cfg,
            text.replace("title: Release readiness", "title: Readiness v2"),
        )
        .unwrap();
    }
    // Some kills landed before the swap (else the test proves little).
    assert!(seen_old > 0);
}

#[test]
fn oversized_and_non_utf8_files_are_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let rel = tmp.path().join("releases/x");
    std::fs::create_dir_all(&rel).unwrap();
    let check = || gonogo(&["check", "--data", tmp.path().to_str().unwrap()], &root());
    let big = format!(
        "release:\n  product: X\n  title: \"{}\"\n",
        "a".repeat(17 << 20)
    );
    std::fs::write(rel.join("release.yaml"), big).unwrap();
    let (code, _, err) = check();
    assert_eq!(code, 1);
    assert!(
        err.contains("such files are limited to 16777216 bytes"),
        "{err}"
    );
    std::fs::write(
        rel.join("release.yaml"),
        b"release: {product: \"caf\xe9\"}\n",
    )
    .unwrap();
    let (code, _, err) = check();
    assert_eq!(code, 1);
    assert!(
        err.contains("is not UTF-8 (invalid byte at offset 23)"),
        "{err}"
    );
}

#[test]
fn a_nul_byte_in_a_file_reference_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let rel = tmp.path().join("releases/x");
    std::fs::create_dir_all(&rel).unwrap();
    std::fs::write(
        rel.join("release.yaml"),
        "release: {product: X}\ntests:\n  suites:\n    - name: s\n      reports: [\"a\\0b.xml\"]\n",
    )
    .unwrap();
    let (code, _, err) = gonogo(&["check", "--data", tmp.path().to_str().unwrap()], &root());
    assert_eq!(code, 1);
    assert!(
        err.contains("error[GN1101]: a file name cannot contain a NUL byte"),
        "{err}"
    );
    assert!(err.contains("release.yaml:5:17"), "{err}");
}

/// `--require go` is a CI gate: a release short of GO is GN0803 with the criteria it
/// fails, exit 1, in every format; `build` publishes nothing; a release whose
/// decision cannot be made, and a run with no release, fail it too (fail closed).
#[test]
fn require_go_gates_the_pipeline_on_the_decision() {
    let data = root().join("data");
    let data = data.to_str().unwrap();
    let (code, _, err) = gonogo(
        &["check", "--no-cache", "--require", "go", "--data", data],
        &root(),
    );
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains("error[GN0803]: release `studio-pod-1.1` is NO-GO, and GO is required")
            && err.contains("fails: critical items 2/3 done (open: Rollback to 460d1cb6 rehearsed); policy needs 3/3 (100%)")
            && err.contains("fails: approvals 2/4 given (missing: Deployment Lead, Product Lead); policy needs all 4"),
        "{err}"
    );
    assert!(!err.contains("`studio-pod-1.0` is"), "1.0 is GO: {err}");
    // Only a GO release checked: the gate passes.
    let (code, _, err) = gonogo(
        &[
            "check",
            "--no-cache",
            "--require",
            "go",
            "--release",
            "studio-pod-1.0",
            "--data",
            data,
        ],
        &root(),
    );
    assert_eq!(code, 0, "{err}");
    // Every format carries it.
    for (format, needle) in [
        ("json", "\"code\":\"GN0803\""),
        (
            "github",
            "::error file=data/releases/studio-pod-1.1/release.yaml,title=GN0803",
        ),
        ("sarif", "\"ruleId\": \"GN0803\""),
    ] {
        let (code, out, _) = gonogo(
            &[
                "check",
                "--no-cache",
                "--require",
                "go",
                "--message-format",
                format,
                "--release",
                "studio-pod-1.1",
                "--data",
                "data",
            ],
            &root(),
        );
        assert_eq!(code, 1);
        assert!(out.contains(needle), "{format}: {out}");
    }
    // A build publishes nothing.
    let tmp = tempfile::tempdir().unwrap();
    let out_dir = tmp.path().join("site");
    let (code, _, err) = gonogo(
        &[
            "build",
            "--no-cache",
            "--require",
            "go",
            "--data",
            data,
            "--out",
            out_dir.to_str().unwrap(),
        ],
        &root(),
    );
    assert_eq!(code, 1, "{err}");
    assert!(!out_dir.exists(), "a NO-GO site was published");
    // No evidence, no GO: a section left out, or no release at all.
    let broken = tmp.path().join("broken");
    common::copy_dir(&root().join("data"), &broken);
    let file = broken.join("releases/studio-pod-1.0/release.yaml");
    let text = std::fs::read_to_string(&file).unwrap();
    let line = text.lines().find(|l| l.contains("done: true")).unwrap();
    std::fs::write(
        &file,
        text.replacen(line, &line.replace("done: true", "done: yes"), 1),
    )
    .unwrap();
    let (code, _, err) = gonogo(
        &[
            "check",
            "--no-cache",
            "--require",
            "go",
            "--release",
            "studio-pod-1.0",
            "--data",
            broken.to_str().unwrap(),
        ],
        &root(),
    );
    assert_eq!(code, 1);
    assert!(
        err.contains("release `studio-pod-1.0` has no decision, and GO is required: `checklists:` could not be read"),
        "{err}"
    );
    let empty = tmp.path().join("empty");
    std::fs::create_dir_all(empty.join("releases")).unwrap();
    let (code, _, err) = gonogo(
        &[
            "check",
            "--no-cache",
            "--require",
            "go",
            "--data",
            empty.to_str().unwrap(),
        ],
        &root(),
    );
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains("no release was checked, so none is GO"),
        "{err}"
    );
}

/// The index: how many releases have each decision, newest first (unscheduled ones,
/// still to come, on top), and a Tests column that says what ran: "100%" above
/// "120/122" read as a contradiction when 2 were skipped.
#[test]
fn the_index_counts_decisions_sorts_newest_first_and_says_what_ran() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("site");
    let (code, _, err) = gonogo(
        &["build", "--no-cache", "--out", out.to_str().unwrap()],
        &root(),
    );
    assert_eq!(code, 0, "{err}");
    let html = std::fs::read_to_string(out.join("index.html")).unwrap();
    assert!(
        html.contains(r#"<span class="badge badge-go">1 GO</span> · <span class="badge badge-nogo">4 NO-GO</span>"#),
        "{html}"
    );
    assert!(html.contains("120/120 run · 2 skipped"), "{html}");
    assert!(!html.contains("120/122"), "{html}");
    let md = std::fs::read_to_string(out.join("index.md")).unwrap();
    assert!(
        md.contains("**1 GO** · **4 NO-GO** of 5 releases, newest first."),
        "{md}"
    );
    let order: Vec<usize> = ["studio-pod-1.1/index.md", "studio-pod-1.0/index.md"]
        .iter()
        .map(|id| md.find(id).unwrap())
        .collect();
    assert!(order[0] < order[1], "1.1 (later) above 1.0:\n{md}");
    // Every release page links to the PDFs, its Markdown and the facts, which exist.
    for (page, md_name) in [
        ("index.html", "index.md"),
        ("approval.html", "approval.md"),
        ("runbook.html", "runbook.md"),
    ] {
        let html = std::fs::read_to_string(out.join("studio-pod-1.0").join(page)).unwrap();
        for target in ["approval.pdf", "runbook.pdf", md_name, "facts.json"] {
            assert!(
                html.contains(&format!("href=\"{target}\"")),
                "{page} does not link {target}"
            );
            assert!(
                out.join("studio-pod-1.0").join(target).is_file(),
                "{target}"
            );
        }
    }
}

#[test]
fn an_index_past_the_end_of_a_list_is_named_whole() {
    let (code, d, err) = codes_for(&[(
        "r.yaml",
        "release: { product: X }\nmetrics:\n  - { name: Latency, target: \"< 5 ms\", actual: 3 ms }\nnarrative:\n  - title: Summary\n    body: \"Target {{ metrics[3].target }}.\"\n",
    )]);
    assert_eq!(code, 1, "{err}");
    assert_eq!(
        d.iter().map(|x| x.0.as_str()).collect::<Vec<_>>(),
        ["GN1001"],
        "{err}"
    );
    assert!(
        err.contains("`metrics[3].target` has no value in this release"),
        "{err}"
    );
    assert!(!err.contains("is not a fact"), "{err}");
}

#[test]
fn blockers_are_named_and_linked_to_their_place() {
    let (_tmp, out) = example_site();
    // Every page with a decision banner, and the index: each link a reason gives
    // leads to an element of that id on the page it names.
    let mut pages = vec![out.join("index.html")];
    for id in [
        "deployment-framework",
        "rls-tech-debt-001.1",
        "midi-software-center",
        "studio-pod-1.1",
    ] {
        for f in ["index.html", "approval.html", "runbook.html"] {
            pages.push(out.join(id).join(f));
        }
    }
    let mut links = 0;
    for page in &pages {
        let html = std::fs::read_to_string(page).unwrap();
        let reasons: Vec<&str> = html
            .split("<ul class=\"reasons\">")
            .skip(1)
            .chain(html.split("<div class=\"decision-reasons\">").skip(1))
            .map(|s| s.split("</ul>").next().unwrap())
            .collect();
        for list in reasons {
            for href in list
                .split("href=\"")
                .skip(1)
                .map(|s| s.split('"').next().unwrap())
            {
                let (file, anchor) = href.split_once('#').expect("a link to a place");
                let target = page.parent().unwrap().join(file);
                let text = std::fs::read_to_string(&target).unwrap();
                assert!(
                    text.contains(&format!("id=\"{anchor}\"")),
                    "{}: {href} leads nowhere",
                    page.display()
                );
                links += 1;
            }
        }
    }
    // The framework's open critical items, the missing approvers of three releases.
    assert!(links >= 30, "{links} links");
    let index = std::fs::read_to_string(out.join("index.html")).unwrap();
    assert!(
        index.contains(
            "(missing: <a href=\"rls-tech-debt-001.1/approval.html#signoff-6\">Product Manager</a>"
        ),
        "missing approvers are named and linked on the index"
    );
}

#[test]
fn long_reports_have_a_table_of_contents_and_fold_finished_checklists() {
    let (_tmp, out) = example_site();
    for id in [
        "deployment-framework",
        "studio-pod-1.0",
        "studio-pod-1.1",
        "midi-software-center",
    ] {
        let html = std::fs::read_to_string(out.join(id).join("index.html")).unwrap();
        let toc = html
            .split("<nav class=\"toc no-print\" aria-label=\"On this page\">")
            .nth(1)
            .and_then(|t| t.split("</nav>").next())
            .unwrap_or_else(|| panic!("{id}: no table of contents"));
        let targets: Vec<&str> = toc
            .split("href=\"#")
            .skip(1)
            .map(|s| s.split('"').next().unwrap())
            .collect();
        assert!(targets.len() >= 4, "{id}: {targets:?}");
        for t in &targets {
            assert!(
                html.contains(&format!("<section id=\"{t}\""))
                    || html.contains(&format!(" id=\"{t}\">")),
                "{id}: #{t} leads nowhere"
            );
        }
        // Sections the release does not have are not listed.
        if !html.contains("<h2>Outcome</h2>") {
            assert!(!targets.contains(&"outcome"), "{id}");
        }
    }
    // Studio Pod 1.0's one checklist is all done: folded, its summary says so. Studio
    // Pod 1.1's has an open item: shown whole.
    let done = std::fs::read_to_string(out.join("studio-pod-1.0/index.html")).unwrap();
    assert!(done.contains("<details class=\"checklist-card is-complete\">\n<summary><span class=\"cl-title\">Success criteria validation</span> <span class=\"cl-progress\">✓ 16/16 done</span></summary>"), "folded");
    let open = std::fs::read_to_string(out.join("studio-pod-1.1/index.html")).unwrap();
    assert!(
        !open.contains("<details class=\"checklist-card"),
        "an open checklist is not folded"
    );
}

#[test]
fn a_product_history_is_charted_and_tabled() {
    let release = |v: &str, passed: u32, done: &str, latency: &str| {
        format!(
            "release: {{ product: Ledger, version: \"{v}\" }}\ntests:\n  suites: [ {{ name: unit, passed: {passed}, failed: 1 }} ]\nmetrics:\n  - {{ name: Latency, target: \"< 1 s\", actual: \"{latency}\" }}\nchecklists:\n  - title: Launch\n    items:\n      - {{ title: A, done: true }}\n      - {{ title: B, done: {done} }}\n"
        )
    };
    let tmp = data_dir(&[
        ("l-1.0/release.yaml", &release("1.0", 9, "false", "900 ms")),
        ("l-1.1/release.yaml", &release("1.1", 19, "true", "1.2 s")),
        ("l-1.2/release.yaml", &release("1.2", 39, "false", "0.5 s")),
        ("solo.yaml", "release: { product: Solo }\n"),
    ]);
    let out = tmp.path().join("site");
    let (code, _, err) = gonogo(
        &[
            "build",
            "--no-cache",
            "--data",
            tmp.path().to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ],
        &root(),
    );
    assert_eq!(code, 0, "{err}");
    let html = std::fs::read_to_string(out.join("l-1.2/index.html")).unwrap();
    let history = html
        .split("<section id=\"history\">")
        .nth(1)
        .expect("a history")
        .split("</section>")
        .next()
        .unwrap();
    // The chart is one image with the values said in words; the table holds the same.
    assert!(history.contains("role=\"img\" aria-label=\"Readiness: 1.0 50%, 1.1 100%, 1.2 50%. Pass rate: 1.0 90%, 1.1 95%, 1.2 97.5%.\""), "{history}");
    assert_eq!(history.matches("<circle").count(), 3, "{history}");
    assert!(
        history.contains("<a href=\"../l-1.0/index.html\">1.0</a>")
            && history.contains("1.2 <span class=\"muted\">(this release)</span>"),
        "{history}"
    );
    assert!(!history.contains("<script"), "{history}");
    // Each metric across the releases, in this release's unit, against each one's target.
    assert!(history.contains("<th scope=\"row\">Latency <span class=\"muted small\">&lt; 1 s</span></th><td class=\"n\">0.9 s ✓<span class=\"sr-only\"> met</span></td><td class=\"n\">1.2 s ✗<span class=\"sr-only\"> missed</span></td><td class=\"n\">0.5 s ✓"), "{history}");
    // The first release has no history; a release alone in its product neither.
    for id in ["l-1.0", "solo"] {
        let page = std::fs::read_to_string(out.join(id).join("index.html")).unwrap();
        assert!(!page.contains("id=\"history\""), "{id}");
    }
    // The index: one sparkline, on the product's newest release.
    let index = std::fs::read_to_string(out.join("index.html")).unwrap();
    assert_eq!(index.matches("<svg class=\"trend\"").count(), 1, "{index}");
    let md = std::fs::read_to_string(out.join("l-1.2/index.md")).unwrap();
    assert!(
        md.contains("| Latency (&lt; 1 s) | 0.9 s ✓ | 1.2 s ✗ | 0.5 s ✓ |"),
        "{md}"
    );
    assert!(
        md.contains("| [1.1](../l-1.1/index.md) | NO-GO | 100% | 20 | 95% | 0/1 |"),
        "{md}"
    );
}
