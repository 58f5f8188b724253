//! Every file gonogo reads lies inside its root and is a regular file: nothing from
//! outside the data folder (a symlink to `/proc/self/environ`, a release folder
//! linked elsewhere) reaches a page, a FIFO never hangs a run, a hidden release is
//! refused rather than skipped.

mod common;
use common::copy_dir;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::{Duration, Instant};

const EPOCH: &str = "1780272000";
const SECRET: &str = "gonogo-test-secret-4f1c9e";

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Runs gonogo with a secret in its environment, failing the test if it takes more
/// than 60 s (a FIFO opened for reading would block for ever).
fn gonogo(args: &[&str], cwd: &Path) -> (i32, String, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_gonogo"))
        .args(args)
        .current_dir(cwd)
        .env("SOURCE_DATE_EPOCH", EPOCH)
        .env("NO_COLOR", "1")
        .env("GONOGO_CACHE_DIR", cwd.join(".cache-of-test"))
        .env("CI_TOKEN", SECRET)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let start = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if start.elapsed() > Duration::from_secs(60) {
            let _ = child.kill();
            panic!("gonogo {args:?} did not finish in 60 s");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let Output {
        status,
        stdout,
        stderr,
    } = child.wait_with_output().unwrap();
    (
        status.code().unwrap_or(-1),
        String::from_utf8_lossy(&stdout).into_owned(),
        String::from_utf8_lossy(&stderr).into_owned(),
    )
}

fn project() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    copy_dir(&root().join("data"), &data);
    (tmp, data)
}

fn release_dir(data: &Path) -> PathBuf {
    data.join("releases/studio-pod-1.1")
}

fn every_file_under(dir: &Path) -> String {
    let mut all = String::new();
    for e in walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
    {
        let text = e.path().extension().is_some_and(|x| x != "pdf");
        if e.file_type().is_file() && text {
            all.push_str(&String::from_utf8_lossy(&std::fs::read(e.path()).unwrap()));
        }
    }
    all
}

#[test]
fn a_narrative_linked_to_the_environment_or_passwd_is_refused_and_never_published() {
    for target in ["/proc/self/environ", "/etc/passwd"] {
        let (tmp, data) = project();
        std::os::unix::fs::symlink(target, release_dir(&data).join("notes.md")).unwrap();
        let (code, _, err) = gonogo(&["check", "--data", data.to_str().unwrap()], tmp.path());
        assert_eq!(code, 1, "{err}");
        assert!(err.contains("error[GN0001]"), "{err}");
        assert!(err.contains("leads outside the data folder"), "{err}");
        let (code, out, err) = gonogo(
            &[
                "check",
                "--data",
                data.to_str().unwrap(),
                "--message-format",
                "json",
            ],
            tmp.path(),
        );
        assert_eq!(code, 1);
        let site = tmp.path().join("site");
        let (code, _, build_err) = gonogo(
            &[
                "build",
                "--data",
                data.to_str().unwrap(),
                "--out",
                site.to_str().unwrap(),
            ],
            tmp.path(),
        );
        assert_eq!(code, 1, "{build_err}");
        assert!(!site.exists(), "nothing written");
        for text in [&out, &err, &build_err] {
            assert!(
                !text.contains(SECRET) && !text.contains("root:x:0"),
                "{text}"
            );
        }
    }
}

#[test]
fn a_release_folder_linked_out_of_the_data_folder_is_not_loaded() {
    let (tmp, data) = project();
    let outside = tmp.path().join("elsewhere");
    copy_dir(&release_dir(&data), &outside);
    std::os::unix::fs::symlink(&outside, data.join("releases/linked-1.0")).unwrap();
    let (code, _, err) = gonogo(&["check", "--data", data.to_str().unwrap()], tmp.path());
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains("error[GN0004]") && err.contains("linked-1.0 leads outside the data folder"),
        "{err}"
    );
    // A link inside the data folder is fine.
    let (tmp, data) = project();
    std::os::unix::fs::symlink("studio-pod-1.1", data.join("releases/alias")).unwrap();
    let (code, _, err) = gonogo(&["check", "--data", data.to_str().unwrap()], tmp.path());
    assert_ne!(code, 2, "{err}");
    assert!(!err.contains("leads outside"), "{err}");
}

#[test]
fn special_files_are_refused_without_blocking() {
    let (tmp, data) = project();
    let fifo = release_dir(&data).join("extra.yaml");
    let made = Command::new("mkfifo").arg(&fifo).status().unwrap();
    assert!(made.success());
    let (code, _, err) = gonogo(&["check", "--data", data.to_str().unwrap()], tmp.path());
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("is a named pipe, not a regular file"), "{err}");
    // A FIFO as a test report.
    let (tmp, data) = project();
    let dir = data.join("releases/fifo-1.0");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("release.yaml"),
        "release: {product: Fifo, version: '1.0'}\ntests:\n  suites:\n    - name: unit\n      reports: [report.xml]\n",
    )
    .unwrap();
    assert!(
        Command::new("mkfifo")
            .arg(dir.join("report.xml"))
            .status()
            .unwrap()
            .success()
    );
    let (code, _, err) = gonogo(&["check", "--data", data.to_str().unwrap()], tmp.path());
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains("error[GN1101]") && err.contains("is a named pipe"),
        "{err}"
    );
    // `gonogo audit` reads only regular files, and only 16 MiB of them.
    let (code, _, err) = gonogo(&["audit", "/dev/zero"], tmp.path());
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("/dev/zero is a device, not a regular file"),
        "{err}"
    );
}

#[test]
fn hidden_release_files_are_refused_not_skipped() {
    let (tmp, data) = project();
    let releases = data.join("releases");
    let text = std::fs::read_to_string(release_dir(&data).join("release.yaml")).unwrap();
    for name in [".yaml", "..yaml", ".gonogo-site.yaml"] {
        std::fs::write(releases.join(name), &text).unwrap();
    }
    std::fs::create_dir(releases.join(".hidden")).unwrap();
    std::fs::write(releases.join(".hidden/release.yaml"), &text).unwrap();
    // Not data: left alone without a word.
    std::fs::write(releases.join(".DS_Store"), [0u8, 1, 2]).unwrap();
    let (code, _, err) = gonogo(&["check", "--data", data.to_str().unwrap()], tmp.path());
    assert_eq!(code, 1, "{err}");
    for name in [".yaml", "..yaml", ".gonogo-site.yaml", ".hidden"] {
        let shown = format!("releases/{name} is hidden");
        assert!(err.contains(&shown), "{name}: {err}");
    }
    assert_eq!(err.matches("error[GN0004]").count(), 4, "{err}");
    let (code, _, err) = gonogo(
        &[
            "new",
            "release",
            ".hidden-2",
            "--data",
            data.to_str().unwrap(),
        ],
        tmp.path(),
    );
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("starts with `.`"), "{err}");
    assert!(!releases.join(".hidden-2").exists());
}

#[test]
fn control_characters_in_data_are_refused_at_their_place() {
    let (tmp, data) = project();
    std::fs::write(
        release_dir(&data).join("notes.md"),
        "# Notes\n\nAll good.\nA NUL \0 here.\n",
    )
    .unwrap();
    let site = tmp.path().join("site");
    let (code, _, err) = gonogo(
        &[
            "build",
            "--data",
            data.to_str().unwrap(),
            "--out",
            site.to_str().unwrap(),
        ],
        tmp.path(),
    );
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains("a control character (U+0000) in the data"),
        "{err}"
    );
    assert!(err.contains("notes.md:4:7"), "{err}");
    assert!(!site.exists());
    // Tabs and carriage returns are text.
    std::fs::write(
        release_dir(&data).join("notes.md"),
        "# Notes\r\n\r\n\tAll good.\r\n",
    )
    .unwrap();
    let (code, _, err) = gonogo(
        &[
            "build",
            "--data",
            data.to_str().unwrap(),
            "--out",
            site.to_str().unwrap(),
        ],
        tmp.path(),
    );
    assert_eq!(code, 0, "{err}");
    assert!(!every_file_under(&site).contains('\0'));
}

#[test]
fn a_template_linked_out_of_the_templates_folder_is_refused() {
    let (tmp, data) = project();
    let templates = tmp.path().join("templates");
    std::fs::create_dir(&templates).unwrap();
    std::os::unix::fs::symlink("/etc/passwd", templates.join("style.css")).unwrap();
    let site = tmp.path().join("site");
    let (code, _, err) = gonogo(
        &[
            "build",
            "--data",
            data.to_str().unwrap(),
            "--out",
            site.to_str().unwrap(),
            "--templates",
            templates.to_str().unwrap(),
        ],
        tmp.path(),
    );
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("leads outside the templates folder"), "{err}");
    assert!(!site.exists());
}

#[test]
fn a_narrative_that_would_run_away_is_refused_before_it_runs() {
    let (tmp, data) = project();
    let notes = release_dir(&data).join("notes.md");
    for (text, says) in [
        (
            "{% for i in range(end=100000) %}{% for j in range(end=100000) %}x{% endfor %}{% endfor %}",
            "`range(…)` is not available in narrative text",
        ),
        (
            "{% set x = 1 %}{{ x }}",
            "`{% set %}` is not available in narrative text",
        ),
        (
            "{{ release.id | replace(from=\"\", to=\"aaaaaaaa\") | replace(from=\"\", to=\"aaaaaaaa\") }}",
            "the filter `replace` is not available",
        ),
    ] {
        std::fs::write(&notes, format!("# Notes\n\n{text}\n")).unwrap();
        let started = Instant::now();
        let (code, _, err) = gonogo(&["check", "--data", data.to_str().unwrap()], tmp.path());
        assert_eq!(code, 1, "{err}");
        assert!(
            err.contains("error[GN1001]") && err.contains(says),
            "{text}: {err}"
        );
        assert!(started.elapsed() < Duration::from_secs(30), "{text}");
    }
    // Facts, conditions and a loop over the facts still fill in.
    std::fs::write(
        &notes,
        "# Notes\n\n{% if tests %}{{ tests.pass_rate }}{% endif %} {% for s in tests.suites %}{{ s.name | upper }} {% endfor %}\n",
    )
    .unwrap();
    let (code, _, err) = gonogo(&["check", "--data", data.to_str().unwrap()], tmp.path());
    assert_eq!(code, 0, "{err}");
}

#[test]
fn a_finding_on_a_megabyte_line_is_a_few_lines_of_output() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("releases/x");
    std::fs::create_dir_all(&dir).unwrap();
    let long = "a".repeat(1 << 20);
    std::fs::write(
        dir.join("release.yaml"),
        format!("release: {{product: X, title: \"{long}\", prodcut: y, version: \"{long}\"}}\n"),
    )
    .unwrap();
    let (code, _, err) = gonogo(
        &["check", "--data", tmp.path().to_str().unwrap()],
        tmp.path(),
    );
    assert_eq!(code, 1, "{}", &err[..err.len().min(2000)]);
    assert!(
        err.contains("unknown key `prodcut`"),
        "{}",
        &err[..err.len().min(2000)]
    );
    // The real column, on a line the renderer cuts to the span.
    assert!(
        err.contains("release.yaml:1:1048610"),
        "{}",
        &err[..err.len().min(2000)]
    );
    assert!(err.len() < 8_000, "{} bytes of messages", err.len());
}

/// Findings along one long narrative line cost their number, not their number times
/// the line's length: 8× the input takes at most ~8× the steps. Compared on the same
/// machine in one run (a ratio, not a time limit), each size the fastest of three.
#[test]
fn many_findings_on_one_long_line_are_linear() {
    let time = |n: usize| {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("releases/x");
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("release.yaml"), "release: {product: X}\n").unwrap();
        std::fs::write(dir.join("notes.md"), "Monday, December 25, 2025 ".repeat(n)).unwrap();
        (0..3)
            .map(|_| {
                let t = std::time::Instant::now();
                let out = std::process::Command::new(env!("CARGO_BIN_EXE_gonogo"))
                    .args(["check", "--no-cache", "--data"])
                    .arg(tmp.path())
                    .output()
                    .unwrap();
                assert_eq!(out.status.code(), Some(1));
                t.elapsed().as_secs_f64()
            })
            .fold(f64::MAX, f64::min)
    };
    let (small, big) = (time(2_000), time(16_000));
    // Quadratic was ×64 here (×4 per doubling); linear is ×8 plus start-up noise.
    assert!(
        big < small * 20.0,
        "2,000 findings {small:.3}s, 16,000 {big:.3}s"
    );
}

/// `audit` over unclosed openers (`[a](`, `<!--`) is linear: 8× the input, at most
/// ~8× the time (it was ×64: 64 KB took 35 s, 128 KB did not finish in a minute).
#[test]
fn audit_over_unclosed_openers_is_linear() {
    for unit in ["[a](", "<!--", "~~x"] {
        let time = |n: usize| {
            let tmp = tempfile::tempdir().unwrap();
            let f = tmp.path().join("doc.md");
            std::fs::write(&f, unit.repeat(n)).unwrap();
            (0..3)
                .map(|_| {
                    let t = std::time::Instant::now();
                    let out = std::process::Command::new(env!("CARGO_BIN_EXE_gonogo"))
                        .arg("audit")
                        .arg(&f)
                        .output()
                        .unwrap();
                    assert!(out.status.code().is_some());
                    t.elapsed().as_secs_f64()
                })
                .fold(f64::MAX, f64::min)
        };
        let (small, big) = (time(4_000), time(32_000));
        assert!(
            big < small * 20.0,
            "{unit}: 4,000 {small:.3}s, 32,000 {big:.3}s"
        );
    }
}

/// One audit finding stays readable however much of the document it is about: the
/// parts of a sum are listed up to 8 and counted beyond, a status is quoted up to 8
/// words, and nothing quoted runs past 1,000 bytes (before: one diagnostic could be
/// 21.9 MB, the list of every part of a 20,000-part procedure).
#[test]
fn an_audit_finding_over_a_huge_document_stays_small() {
    let tmp = tempfile::tempdir().unwrap();
    let parts = tmp.path().join("parts.md");
    let mut text = String::from("## Briefing (30 minutes)\n");
    for i in 0..20_000 {
        text.push_str(&format!("### Part {i} (10 min)\n"));
    }
    std::fs::write(&parts, text).unwrap();
    let status = tmp.path().join("status.md");
    std::fs::write(
        &status,
        format!(
            "**Status:** AWAITING FINAL APPROVALS\n\n**Current Status:** READY FOR PRODUCTION {}\n",
            "and more words ".repeat(20_000)
        ),
    )
    .unwrap();
    for (file, code, expect) in [
        (&parts, "GN1302", "19992 more parts, through line 20001"),
        (
            &status,
            "GN1305",
            "READY FOR PRODUCTION AND MORE WORDS AND MORE",
        ),
    ] {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_gonogo"))
            .args(["audit", "--message-format", "json"])
            .arg(file)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1));
        let stdout = String::from_utf8(out.stdout).unwrap();
        let finding = stdout.lines().next().unwrap();
        assert!(
            finding.contains(code) && finding.contains(expect),
            "{finding}"
        );
        assert!(finding.len() < 1_000, "{} bytes: {finding}", finding.len());
        assert!(!finding.contains("more bytes"), "{finding}");
    }
}

/// Found by fuzzing (fuzz/regressions/build_files/): a release folder whose name
/// differs only in case from another and that holds no YAML (a narrative alone)
/// made `check` panic. Now both names are reported (GN0004), at the folder, exit 1.
#[test]
fn a_case_clash_with_a_folder_without_yaml_is_a_finding_not_a_panic() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path();
    std::fs::write(data.join("gonogo.yaml"), "title: T\n").unwrap();
    std::fs::create_dir_all(data.join("releases/Web-1.0")).unwrap();
    std::fs::create_dir_all(data.join("releases/web-1.0")).unwrap();
    std::fs::write(
        data.join("releases/Web-1.0/release.yaml"),
        "release: {product: Web, version: \"1.0\"}\n",
    )
    .unwrap();
    std::fs::write(data.join("releases/web-1.0/summary.md"), "# Notes\n").unwrap();
    let (code, _, err) = gonogo(&["check", "--data", "."], data);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("GN0004"), "{err}");
    assert!(
        err.contains("`Web-1.0` and `web-1.0` differ only in case"),
        "{err}"
    );
    assert!(!err.contains("panicked"), "{err}");
}
