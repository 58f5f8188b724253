//! The record of the last run: an unchanged data folder is answered from it, with the
//! same findings and the output untouched; any change, and any damage to the record,
//! is a full run.

mod common;

use common::copy_dir;
use std::path::{Path, PathBuf};
use std::process::Command;

struct Env {
    _tmp: tempfile::TempDir,
    data: PathBuf,
    out: PathBuf,
    cache: PathBuf,
}

fn setup() -> Env {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    copy_dir(&Path::new(env!("CARGO_MANIFEST_DIR")).join("data"), &data);
    Env {
        data,
        out: tmp.path().join("site"),
        cache: tmp.path().join("cache"),
        _tmp: tmp,
    }
}

/// Runs gonogo with phase timings on: a full run prints `timing: load`, a run
/// answered from the record does not.
fn run(e: &Env, args: &[&str], epoch: &str) -> (i32, String, bool) {
    let (code, err) = run_timed(e, args, epoch);
    let full = err.contains("timing: load");
    let shown: String = err
        .lines()
        .filter(|l| !l.starts_with("timing: "))
        .map(|l| format!("{l}\n"))
        .collect();
    (code, shown, full)
}

/// Exit code and the whole of stderr, timing lines included.
fn run_timed(e: &Env, args: &[&str], epoch: &str) -> (i32, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_gonogo"))
        .args(args)
        .args(["--data", e.data.to_str().unwrap()])
        .env("SOURCE_DATE_EPOCH", epoch)
        .env("NO_COLOR", "1")
        .env("GONOGO_TIMINGS", "1")
        .env("GONOGO_CACHE_DIR", &e.cache)
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    (out.status.code().unwrap_or(-1), err)
}

const EPOCH: &str = "1893456000";

/// Replaces `from` with `to` in one release's `release.yaml`; returns its text before.
fn edit(e: &Env, release: &str, from: &str, to: &str) -> String {
    let file = e.data.join("releases").join(release).join("release.yaml");
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(text.contains(from), "{from} in {release}");
    std::fs::write(&file, text.replace(from, to)).unwrap();
    text
}

fn check(e: &Env) -> (i32, String, bool) {
    run(e, &["check"], EPOCH)
}

fn build(e: &Env) -> (i32, String, bool) {
    run(e, &["build", "--out", e.out.to_str().unwrap()], EPOCH)
}

/// Path, bytes and modification time of every output file.
fn stamps(dir: &Path) -> Vec<(PathBuf, Vec<u8>, std::time::SystemTime)> {
    let mut v: Vec<_> = common::walk(dir)
        .into_iter()
        .map(|p| {
            let m = std::fs::metadata(&p).unwrap().modified().unwrap();
            (p.clone(), std::fs::read(&p).unwrap(), m)
        })
        .collect();
    v.sort();
    v
}

#[test]
fn an_unchanged_folder_is_answered_from_the_record_and_any_change_is_a_full_run() {
    let e = setup();
    let first = check(&e);
    assert!(first.2, "the first run is a full one");
    assert_eq!(first.0, 0, "{}", first.1);
    let again = check(&e);
    assert!(!again.2, "unchanged: answered from the record");
    assert_eq!((again.0, &again.1), (first.0, &first.1));

    // Touched but the same bytes: still unchanged.
    let file = e.data.join("releases/studio-pod-1.1/release.yaml");
    let text = std::fs::read_to_string(&file).unwrap();
    std::thread::sleep(std::time::Duration::from_millis(20));
    std::fs::write(&file, &text).unwrap();
    assert!(!check(&e).2, "same bytes are no change");

    // One figure edited: a full run that finds it, then the finding from the record.
    std::fs::write(&file, text.replace("passed: 120", "passed: 121")).unwrap();
    let edited = check(&e);
    assert!(edited.2);
    assert_eq!(edited.0, 1);
    assert!(edited.1.contains("error[GN"), "{}", edited.1);
    let recorded = check(&e);
    assert!(!recorded.2);
    assert_eq!((recorded.0, &recorded.1), (edited.0, &edited.1));
    std::fs::write(&file, &text).unwrap();

    // A file added anywhere in the folder, another pinned time, another flag.
    assert!(check(&e).2);
    std::fs::write(e.data.join("releases/notes.txt"), "x").unwrap();
    assert!(check(&e).2, "a new file");
    assert!(!check(&e).2);
    assert!(
        run(&e, &["check"], "1893456001").2,
        "another SOURCE_DATE_EPOCH"
    );
    assert!(
        run(&e, &["check", "--deny", "warnings"], EPOCH).2,
        "another flag"
    );
    assert!(run(&e, &["check", "--no-cache"], EPOCH).2, "--no-cache");
}

#[test]
fn a_damaged_record_is_ignored() {
    let e = setup();
    check(&e);
    assert!(!check(&e).2);
    let record = common::walk(&e.cache).pop().unwrap();
    let good = std::fs::read(&record).unwrap();
    // A byte changed in the middle (say a finding's text), or the record cut short.
    let mut flipped = good.clone();
    let i = flipped.len() / 2;
    flipped[i] ^= 0x20;
    for bad in [flipped, good[..good.len() / 2].to_vec(), b"{}".to_vec()] {
        std::fs::write(&record, &bad).unwrap();
        let (code, _, full) = check(&e);
        assert!(full, "a damaged record is never trusted");
        assert_eq!(code, 0);
    }
}

#[test]
fn an_unchanged_build_leaves_every_output_file_untouched() {
    let e = setup();
    let (code, err, full) = build(&e);
    assert!(full);
    assert_eq!(code, 0, "{err}");
    let before = stamps(&e.out);
    std::thread::sleep(std::time::Duration::from_millis(20));
    let (code, err, full) = build(&e);
    assert!(!full, "{err}");
    assert_eq!(code, 0);
    assert!(err.contains("files, all unchanged)"), "{err}");
    assert_eq!(
        stamps(&e.out),
        before,
        "same bytes, same modification times"
    );

    // An output file edited by hand is not what the build wrote: it is not replaced
    // (exit 2, named); removed, it is made again.
    let page = e.out.join("index.html");
    std::fs::write(&page, "defaced").unwrap();
    let (code, err, full) = build(&e);
    assert!(full);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("index.html"), "{err}");
    assert_eq!(std::fs::read(&page).unwrap(), b"defaced");
    std::fs::remove_file(&page).unwrap();
    let (code, err, full) = build(&e);
    assert!(full);
    assert_eq!(code, 0, "{err}");
    assert_ne!(std::fs::read(&page).unwrap(), b"defaced");

    // A template changed: a full run.
    let tpl = e.data.parent().unwrap().join("tpl");
    std::fs::create_dir_all(&tpl).unwrap();
    std::fs::write(tpl.join("report.md"), "# {{ r.id }}\n").unwrap();
    let with_tpl = |e: &Env| {
        run(
            e,
            &[
                "build",
                "--out",
                e.out.to_str().unwrap(),
                "--templates",
                tpl.to_str().unwrap(),
            ],
            EPOCH,
        )
    };
    assert!(with_tpl(&e).2);
    assert!(!with_tpl(&e).2);
    std::fs::write(tpl.join("report.md"), "# {{ r.id }}!\n").unwrap();
    assert!(with_tpl(&e).2, "a template edited");
    // No page of the old template is kept.
    for entry in std::fs::read_dir(e.data.join("releases")).unwrap() {
        let id = entry.unwrap().file_name().into_string().unwrap();
        let page = std::fs::read_to_string(e.out.join(&id).join("index.md")).unwrap();
        assert_eq!(page, format!("# {id}!\n"));
    }
}

#[test]
fn findings_that_depend_on_the_time_of_the_build_are_never_recorded_answers() {
    // Without SOURCE_DATE_EPOCH the build time is now: a date "after the build" may
    // not be after the next one, so such a run is always a full one.
    let e = setup();
    let file = e.data.join("releases/studio-pod-1.1/release.yaml");
    let text = std::fs::read_to_string(&file).unwrap();
    std::fs::write(
        &file,
        text.replace("last_updated: 2026-01-13", "last_updated: 2999-01-13"),
    )
    .unwrap();
    let (code, err, full) = run(&e, &["check"], "");
    assert!(full);
    assert_eq!(code, 1);
    assert!(err.contains("GN0902"), "{err}");
    assert!(run(&e, &["check"], "").2, "not answered from the record");
}

#[test]
fn a_changed_release_rewrites_only_the_files_whose_bytes_changed() {
    // A deploy step that syncs by modification time uploads only what changed: every
    // file whose bytes are the same is linked from the previous site (same inode, same
    // mtime), and the folder is still swapped in whole.
    use std::os::unix::fs::MetadataExt;
    let e = setup();
    let (code, err, _) = build(&e);
    assert_eq!(code, 0, "{err}");
    let before = stamps(&e.out);
    let inode = |p: &Path| std::fs::metadata(p).unwrap().ino();
    let inodes: Vec<u64> = before.iter().map(|(p, _, _)| inode(p)).collect();
    std::thread::sleep(std::time::Duration::from_millis(20));

    edit(
        &e,
        "deployment-framework",
        "No recent build verification",
        "No build verified this week",
    );
    let (code, err, full) = build(&e);
    assert!(full, "a change is a new build");
    assert_eq!(code, 0, "{err}");
    let after = stamps(&e.out);
    assert_eq!(
        after.iter().map(|(p, _, _)| p).collect::<Vec<_>>(),
        before.iter().map(|(p, _, _)| p).collect::<Vec<_>>()
    );
    let mut changed = vec![];
    for ((path, old, mtime), (i, (_, new, new_mtime))) in
        before.iter().zip(inodes.iter().zip(&after))
    {
        let rel = path
            .strip_prefix(&e.out)
            .unwrap()
            .to_string_lossy()
            .into_owned();
        if old == new {
            assert_eq!(mtime, new_mtime, "{rel}: same bytes, same mtime");
            assert_eq!(*i, inode(path), "{rel}: same bytes, same file");
        } else {
            assert_ne!(mtime, new_mtime, "{rel}: new bytes, written anew");
            changed.push(rel);
        }
    }
    changed.sort();
    assert!(
        changed
            .iter()
            .all(|f| f.starts_with("deployment-framework/") || f == ".gonogo-site"),
        "{changed:?}"
    );
    assert!(
        changed.contains(&"deployment-framework/index.html".to_string()),
        "{changed:?}"
    );
    let files = before.len();
    assert!(
        err.contains(&format!(
            "({files} files, {} unchanged)",
            files - changed.len()
        )),
        "{err}"
    );
}

/// Every file under `dir`, relative, with its bytes.
fn tree(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut v: Vec<_> = common::walk(dir)
        .into_iter()
        .map(|p| {
            (
                p.strip_prefix(dir).unwrap().to_path_buf(),
                std::fs::read(&p).unwrap(),
            )
        })
        .collect();
    v.sort();
    v
}

#[test]
fn pages_of_releases_whose_facts_did_not_change_are_kept_and_the_site_is_the_same() {
    // A release's pages are made from its facts alone: when they, gonogo, the
    // templates and the site file are as at the previous build, its pages are linked
    // from that build instead of made again. The site must be byte for byte the one a
    // build from scratch makes.
    let e = setup();
    let fresh = |e: &Env| {
        let dir = e.out.with_file_name("fresh");
        let _ = std::fs::remove_dir_all(&dir);
        let (code, err, _) = run(
            e,
            &["build", "--no-cache", "--out", dir.to_str().unwrap()],
            EPOCH,
        );
        assert_eq!(code, 0, "{err}");
        tree(&dir)
    };
    let kept = |err: &str| -> Option<usize> {
        let line = err.lines().find(|l| l.contains("pages kept"))?;
        line.split_whitespace().find_map(|w| w.parse().ok())
    };
    let (code, err) = run_timed(&e, &["build", "--out", e.out.to_str().unwrap()], EPOCH);
    assert_eq!(code, 0, "{err}");
    assert_eq!(kept(&err), None, "no previous build: {err}");

    edit(
        &e,
        "deployment-framework",
        "No recent build verification",
        "Not verified",
    );
    // An output page of another release removed by hand: that release is made again.
    std::fs::remove_file(e.out.join("studio-pod-1.0/runbook.md")).unwrap();
    let err = run_timed(&e, &["build", "--out", e.out.to_str().unwrap()], EPOCH).1;
    let releases = std::fs::read_dir(e.data.join("releases")).unwrap().count();
    assert_eq!(kept(&err), Some(releases - 2), "{err}");
    assert_eq!(
        tree(&e.out),
        fresh(&e),
        "the same site as a build from scratch"
    );

    // The site file changed (its title is on every page): nothing is kept.
    let site = e.data.join("gonogo.yaml");
    let cfg = std::fs::read_to_string(&site).unwrap();
    assert!(cfg.contains("title: "), "{cfg}");
    std::fs::write(&site, cfg.replacen("title: ", "title: New ", 1)).unwrap();
    let err = run_timed(&e, &["build", "--out", e.out.to_str().unwrap()], EPOCH).1;
    assert_eq!(kept(&err), None, "{err}");
    assert_eq!(tree(&e.out), fresh(&e));

    // After a failed build (which writes nothing) the next build makes every page.
    let other_text = edit(&e, "studio-pod-1.1", "passed: 120", "passed: 121");
    assert_eq!(build(&e).0, 1);
    std::fs::write(
        e.data.join("releases/studio-pod-1.1/release.yaml"),
        &other_text,
    )
    .unwrap();
    let (code, err) = run_timed(&e, &["build", "--out", e.out.to_str().unwrap()], EPOCH);
    assert_eq!(code, 0, "{err}");
    assert_eq!(kept(&err), None, "{err}");
    assert_eq!(tree(&e.out), fresh(&e));
}

#[test]
fn an_output_folder_inside_the_data_folder_is_not_an_input() {
    // `gonogo build --data . --out site`: the site is not part of what it is built from,
    // so the next build with nothing changed is answered from the record.
    let e = setup();
    let out = e.data.join("site");
    let args = ["build", "--out", out.to_str().unwrap()];
    let (code, err, full) = run(&e, &args, EPOCH);
    assert_eq!(code, 0, "{err}");
    assert!(full);
    let (code, err, full) = run(&e, &args, EPOCH);
    assert_eq!(code, 0, "{err}");
    assert!(!full, "answered from the record: {err}");
    assert!(err.contains("all unchanged"), "{err}");
    // A change in the data is still a change.
    edit(
        &e,
        "deployment-framework",
        "No recent build verification",
        "Not verified",
    );
    assert!(run(&e, &args, EPOCH).2);
    assert!(!run(&e, &args, EPOCH).2);
}

/// A release added to the data: the earlier release of its product, whose own files
/// did not change, is rendered again so its report links forward to the new one.
#[test]
fn a_new_release_is_linked_from_the_one_before_it() {
    let e = setup();
    assert_eq!(build(&e).0, 0);
    let page = e.out.join("studio-pod-1.1/index.html");
    assert!(
        !std::fs::read_to_string(&page)
            .unwrap()
            .contains("A later release")
    );
    let (code, _, _) = run(
        &e,
        &[
            "new",
            "release",
            "studio-pod-1.2",
            "--from",
            "studio-pod-1.1",
            "--version",
            "1.2",
        ],
        EPOCH,
    );
    assert_eq!(code, 0);
    assert_eq!(build(&e).0, 0);
    let html = std::fs::read_to_string(&page).unwrap();
    assert!(
        html.contains("A later release of Studio Pod is in the data: <a href=\"../studio-pod-1.2/index.html\">Studio Pod 1.2</a>"),
        "{html}"
    );
    let md = std::fs::read_to_string(e.out.join("studio-pod-1.1/index.md")).unwrap();
    assert!(md.contains("](../studio-pod-1.2/index.md)"), "{md}");
}
