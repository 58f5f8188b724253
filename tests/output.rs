//! The output folder: a build replaces only what it wrote (proved by the site's
//! manifest), keeps everything else, refuses an output folder that holds what it
//! reads, and leaves nothing behind when it is killed or interrupted.

mod common;
use common::copy_dir;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

const EPOCH: &str = "1780272000";

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A test's own folder, with its own cache of records (so runs are not answered from
/// another test's record).
struct Scratch {
    tmp: tempfile::TempDir,
}

impl Scratch {
    fn new() -> Scratch {
        let tmp = tempfile::tempdir().unwrap();
        std::fs::create_dir(tmp.path().join("cache")).unwrap();
        Scratch { tmp }
    }
    fn path(&self, rel: &str) -> PathBuf {
        self.tmp.path().join(rel)
    }
    /// A copy of the example data at `rel`.
    fn data(&self, rel: &str) -> PathBuf {
        let d = self.path(rel);
        copy_dir(&root().join("data"), &d);
        d
    }
    fn command(&self, args: &[&str]) -> Command {
        let mut c = Command::new(env!("CARGO_BIN_EXE_gonogo"));
        c.args(args)
            .current_dir(self.tmp.path())
            .env("SOURCE_DATE_EPOCH", EPOCH)
            .env("NO_COLOR", "1")
            .env("GONOGO_CACHE_DIR", self.path("cache"));
        c
    }
    fn run(&self, args: &[&str]) -> (i32, String) {
        let out = self.command(args).output().unwrap();
        (
            out.status.code().unwrap_or(-1),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    }
    fn build(&self, data: &Path, out: &Path) -> (i32, String) {
        self.run(&[
            "build",
            "--data",
            data.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ])
    }
}

/// Every file and symlink under `dir` with its bytes (a symlink: its target).
fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    for e in walkdir::WalkDir::new(dir).min_depth(1) {
        let e = e.unwrap();
        let rel = e
            .path()
            .strip_prefix(dir)
            .unwrap()
            .to_string_lossy()
            .into_owned();
        if e.file_type().is_symlink() {
            let t = std::fs::read_link(e.path()).unwrap();
            out.insert(rel, t.to_string_lossy().into_owned().into_bytes());
        } else if e.file_type().is_file() {
            out.insert(rel, std::fs::read(e.path()).unwrap());
        }
    }
    out
}

fn names(dir: &Path) -> Vec<String> {
    let mut n: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    n.sort();
    n
}

#[test]
fn the_data_folder_inside_the_output_folder_is_refused_and_kept() {
    let s = Scratch::new();
    let data = s.data("data");
    let public = s.path("pub");
    assert_eq!(s.build(&data, &public).0, 0);
    // The data moved into the published folder, then built from there.
    copy_dir(&data, &public.join("data"));
    let before = tree(&public);
    let (code, err) = s.build(&public.join("data"), &public);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("the data folder") && err.contains("is inside it"),
        "{err}"
    );
    assert_eq!(tree(&public), before, "nothing touched");
    // The data folder as the output folder, with a forged marker in it.
    std::fs::write(data.join(".gonogo-site"), "").unwrap();
    let before = tree(&data);
    let (code, err) = s.build(&data, &data);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("is the same folder as it"), "{err}");
    assert_eq!(tree(&data), before);
    // `--out .` from the data folder is the same.
    let out = s
        .command(&["build", "--data", ".", "--out", "."])
        .current_dir(&data)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(tree(&data), before);
}

#[test]
fn an_empty_or_forged_marker_proves_nothing() {
    let s = Scratch::new();
    let data = s.data("data");
    let out = s.path("out");
    std::fs::create_dir(&out).unwrap();
    std::fs::write(out.join("precious.txt"), "keep me").unwrap();
    for marker in [
        "",
        "written by gonogo; this folder is replaced on every build\n",
        "# gonogo site manifest 1: the files gonogo wrote here and their SHA-256 (check with `sha256sum -c .gonogo-site`); gonogo replaces only these\n",
    ] {
        std::fs::write(out.join(".gonogo-site"), marker).unwrap();
        let before = tree(&out);
        let (code, err) = s.build(&data, &out);
        assert_eq!(code, 2, "{err}");
        assert!(err.contains("is not a manifest gonogo wrote"), "{err}");
        assert_eq!(tree(&out), before);
    }
}

#[test]
fn a_github_pages_worktree_keeps_its_git_history_cname_and_nojekyll() {
    let s = Scratch::new();
    let data = s.data("data");
    let out = s.path("gh-pages");
    std::fs::create_dir(&out).unwrap();
    let git = |args: &[&str]| {
        let o = Command::new("git")
            .args(args)
            .current_dir(&out)
            .env("GIT_AUTHOR_NAME", "t")
            .env("GIT_AUTHOR_EMAIL", "t@example.com")
            .env("GIT_COMMITTER_NAME", "t")
            .env("GIT_COMMITTER_EMAIL", "t@example.com")
            .output()
            .expect("git");
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        String::from_utf8_lossy(&o.stdout).into_owned()
    };
    git(&["init", "-q", "-b", "gh-pages"]);
    std::fs::write(out.join("CNAME"), "readiness.example.com\n").unwrap();
    std::fs::write(out.join(".nojekyll"), "").unwrap();
    git(&["add", "CNAME", ".nojekyll"]);
    git(&["commit", "-q", "-m", "pages setup"]);
    let kept = |t: &BTreeMap<String, Vec<u8>>| -> BTreeMap<String, Vec<u8>> {
        t.iter()
            .filter(|(k, _)| k.starts_with(".git/") || *k == "CNAME" || *k == ".nojekyll")
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect()
    };
    let user = kept(&tree(&out));
    let (code, err) = s.build(&data, &out);
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains("kept .git, .nojekyll, CNAME, not gonogo's"),
        "{err}"
    );
    assert_eq!(kept(&tree(&out)), user, "the user's files, byte for byte");
    assert!(out.join("index.html").is_file());
    // The site is committed; a file added by hand afterwards is kept too.
    git(&["add", "-A"]);
    git(&["commit", "-q", "-m", "site"]);
    std::fs::write(out.join("releases-notes.txt"), "by hand").unwrap();
    std::fs::create_dir_all(out.join("extra/deep")).unwrap();
    std::fs::write(out.join("extra/deep/a.txt"), "by hand").unwrap();
    let user = kept(&tree(&out));
    // A change in the data: every page is made again, the swap replaces the folder.
    let cfg = data.join("gonogo.yaml");
    let text = std::fs::read_to_string(&cfg).unwrap();
    std::fs::write(
        &cfg,
        text.replace("title: Release readiness", "title: Readiness v2"),
    )
    .unwrap();
    let (code, err) = s.build(&data, &out);
    assert_eq!(code, 0, "{err}");
    assert_eq!(kept(&tree(&out)), user);
    assert_eq!(
        std::fs::read_to_string(out.join("releases-notes.txt")).unwrap(),
        "by hand"
    );
    assert_eq!(
        std::fs::read_to_string(out.join("extra/deep/a.txt")).unwrap(),
        "by hand"
    );
    assert!(git(&["log", "--format=%s"]).contains("pages setup"));
    assert!(
        git(&["status", "--porcelain"]).contains("index.html"),
        "git sees the new pages"
    );
    // Nothing is left beside the site.
    assert_eq!(names(s.tmp.path()), ["cache", "data", "gh-pages"]);
}

#[test]
fn a_folder_gonogo_did_not_write_is_refused_with_what_it_holds() {
    let s = Scratch::new();
    let data = s.data("data");
    let out = s.path("src");
    std::fs::create_dir(&out).unwrap();
    std::fs::write(out.join("main.rs"), "fn main() {}").unwrap();
    std::fs::write(out.join("CNAME"), "x").unwrap();
    let before = tree(&out);
    let (code, err) = s.build(&data, &out);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("not written by gonogo") && err.contains("`main.rs`"),
        "{err}"
    );
    assert!(
        !err.contains("`CNAME`"),
        "publishing files are not the problem: {err}"
    );
    assert_eq!(tree(&out), before);
}

#[test]
fn a_page_edited_by_hand_is_not_replaced_and_is_named() {
    let s = Scratch::new();
    let data = s.data("data");
    let out = s.path("site");
    assert_eq!(s.build(&data, &out).0, 0);
    let index = out.join("index.html");
    std::fs::write(&index, "<p>edited by hand</p>").unwrap();
    // A file where the new site needs a folder, too.
    let before = tree(&out);
    let cfg = data.join("gonogo.yaml");
    let text = std::fs::read_to_string(&cfg).unwrap();
    std::fs::write(
        &cfg,
        text.replace("title: Release readiness", "title: Readiness v2"),
    )
    .unwrap();
    let (code, err) = s.build(&data, &out);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("changed since it wrote them"), "{err}");
    assert!(err.contains("site/index.html"), "{err}");
    assert_eq!(tree(&out), before, "nothing written");
    assert!(
        names(s.tmp.path())
            .iter()
            .all(|n| !n.starts_with(".gonogo"))
    );
    // Moved away, the build goes on.
    std::fs::remove_file(&index).unwrap();
    let (code, err) = s.build(&data, &out);
    assert_eq!(code, 0, "{err}");
    assert!(
        std::fs::read_to_string(&index)
            .unwrap()
            .contains("Readiness v2")
    );
    // The manifest verifies with sha256sum.
    let o = Command::new("sha256sum")
        .args(["--quiet", "-c", ".gonogo-site"])
        .current_dir(&out)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stdout));
}

#[test]
fn a_release_removed_from_the_data_loses_only_gonogo_files() {
    let s = Scratch::new();
    let data = s.data("data");
    let out = s.path("site");
    assert_eq!(s.build(&data, &out).0, 0);
    let releases = names(&data.join("releases"));
    let gone = &releases[0];
    std::fs::write(out.join(gone).join("signed.pdf"), "a scan").unwrap();
    std::fs::remove_dir_all(data.join("releases").join(gone)).unwrap();
    let (code, err) = s.build(&data, &out);
    assert_eq!(code, 0, "{err}");
    assert_eq!(names(&out.join(gone)), ["signed.pdf"]);
}

#[test]
fn inputs_inside_the_output_folder_are_refused() {
    let s = Scratch::new();
    let data = s.data("data");
    let out = s.path("site");
    assert_eq!(s.build(&data, &out).0, 0);
    let before = tree(&out);
    // Templates from the previous output, or inside it.
    for t in [out.clone(), out.join("assets")] {
        let (code, err) = s.run(&[
            "build",
            "--data",
            data.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
            "--templates",
            t.to_str().unwrap(),
        ]);
        assert_eq!(code, 2, "{err}");
        assert!(err.contains("the templates folder"), "{err}");
    }
    // The output folder inside the templates folder.
    let templates = s.path("templates");
    std::fs::create_dir(&templates).unwrap();
    let (code, err) = s.run(&[
        "build",
        "--data",
        data.to_str().unwrap(),
        "--out",
        templates.join("site").to_str().unwrap(),
        "--templates",
        templates.to_str().unwrap(),
    ]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("it is inside the templates folder"), "{err}");
    // The cache of records inside the output folder.
    let o = s
        .command(&[
            "build",
            "--data",
            data.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ])
        .env("GONOGO_CACHE_DIR", out.join(".cache"))
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("the cache folder"));
    // The output folder inside the data folder's releases.
    let (code, err) = s.build(&data, &data.join("releases/site"));
    assert_eq!(code, 2, "{err}");
    assert!(!data.join("releases/site").exists());
    assert_eq!(tree(&out), before);
    // An output folder elsewhere inside the data folder is fine (`--data . --out site`).
    let (code, err) = s.build(&data, &data.join("site"));
    assert_eq!(code, 0, "{err}");
}

#[test]
fn staging_folders_of_builds_that_are_gone_are_removed_others_kept() {
    let s = Scratch::new();
    let data = s.data("data");
    let out = s.path("site");
    assert_eq!(s.build(&data, &out).0, 0);
    // A build killed while writing (its process is gone): only its own files.
    let dead = s.path(".gonogo-staging-4000000-aaaaaa");
    std::fs::create_dir_all(dead.join("releases/x")).unwrap();
    std::fs::write(dead.join("releases/x/index.html"), "half a page").unwrap();
    // A previous site left after its swap, holding a file that appeared late.
    let old = s.path(".gonogo-staging-4000001-bbbbbb");
    copy_dir(&out, &old);
    std::fs::write(old.join("late.txt"), "written during the swap").unwrap();
    // A build still running (a process named gonogo).
    let fake = s.path("bin/gonogo");
    std::fs::create_dir_all(fake.parent().unwrap()).unwrap();
    std::fs::copy("/bin/sleep", &fake).unwrap();
    let mut running = Command::new(&fake).arg("60").spawn().unwrap();
    let live = s.path(&format!(".gonogo-staging-{}-cccccc", running.id()));
    std::fs::create_dir(&live).unwrap();
    std::fs::write(live.join("index.html"), "being written").unwrap();
    let (code, err) = s.build(&data, &out);
    let _ = running.kill();
    let _ = running.wait();
    assert_eq!(code, 0, "{err}");
    assert!(!dead.exists() && !old.exists(), "{:?}", names(s.tmp.path()));
    assert!(live.join("index.html").exists());
    assert_eq!(
        std::fs::read_to_string(out.join("late.txt")).unwrap(),
        "written during the swap"
    );
}

/// A build of many releases, long enough to be interrupted part way.
fn big_data(s: &Scratch) -> PathBuf {
    let data = s.data("big");
    let rel = data.join("releases");
    let first = names(&rel).into_iter().next().unwrap();
    let text = std::fs::read_to_string(rel.join(&first).join("release.yaml")).unwrap();
    // Copies of one release under other products (so no chain is compared).
    for i in 0..60 {
        let d = rel.join(format!("copy-{i:03}"));
        copy_dir(&rel.join(&first), &d);
        let product = text
            .lines()
            .find_map(|l| l.trim().strip_prefix("product:"))
            .unwrap()
            .trim()
            .to_string();
        std::fs::write(
            d.join("release.yaml"),
            text.replacen(
                &format!("product: {product}"),
                &format!("product: Copy {i}"),
                1,
            ),
        )
        .unwrap();
    }
    data
}

#[test]
fn an_interrupted_build_leaves_the_old_site_and_no_staging_folder() {
    let s = Scratch::new();
    let data = big_data(&s);
    let out = s.path("site");
    let (code, err) = s.build(&data, &out);
    assert_eq!(code, 0, "{err}");
    let old = tree(&out);
    let cfg = data.join("gonogo.yaml");
    let text = std::fs::read_to_string(&cfg).unwrap();
    std::fs::write(
        &cfg,
        text.replace("title: Release readiness", "title: Readiness v2"),
    )
    .unwrap();
    // The complete new site, built elsewhere: an interrupt after the swap leaves it.
    let new = {
        let other = s.path("site-v2");
        assert_eq!(s.build(&data, &other).0, 0);
        let t = tree(&other);
        std::fs::remove_dir_all(&other).unwrap();
        t
    };
    let mut interrupted = 0;
    for (i, delay) in [50u64, 150, 300, 500].into_iter().enumerate() {
        let signal = if i % 2 == 0 { "TERM" } else { "INT" };
        let child = s
            .command(&[
                "build",
                "--data",
                data.to_str().unwrap(),
                "--out",
                out.to_str().unwrap(),
                "--no-cache",
            ])
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        std::thread::sleep(std::time::Duration::from_millis(delay));
        Command::new("kill")
            .args([&format!("-{signal}"), &child.id().to_string()])
            .status()
            .unwrap();
        let done = child.wait_with_output().unwrap();
        let status = done.status;
        let leftovers: Vec<String> = names(s.tmp.path())
            .into_iter()
            .filter(|n| n.starts_with(".gonogo"))
            .collect();
        assert!(
            leftovers.is_empty(),
            "after SIG{signal} at {delay} ms: {leftovers:?} ({status:?}: {})",
            String::from_utf8_lossy(&done.stderr)
        );
        // Killed before gonogo's handler was installed (the process had just started):
        // nothing was written.
        let killed_early = {
            use std::os::unix::process::ExitStatusExt;
            status.signal().is_some()
        };
        if killed_early {
            assert!(
                tree(&out) == old,
                "SIG{signal} at {delay} ms, at start-up: the old site"
            );
        } else if status.code() == Some(if signal == "TERM" { 143 } else { 130 }) {
            interrupted += 1;
            let now = tree(&out);
            // Which paths differ, when neither: missing, extra or changed.
            let differ = |want: &BTreeMap<String, Vec<u8>>| -> Vec<String> {
                want.keys()
                    .chain(now.keys())
                    .filter(|k| want.get(*k) != now.get(*k))
                    .take(8)
                    .cloned()
                    .collect()
            };
            assert!(
                now == old || now == new,
                "interrupted by SIG{signal} at {delay} ms: the old site, or (after the swap) the new one, whole; differs from the old in {:?}, from the new in {:?}; stderr: {}",
                differ(&old),
                differ(&new),
                String::from_utf8_lossy(&done.stderr)
            );
        } else {
            assert!(status.success(), "SIG{signal} at {delay} ms: {status:?}");
            // It had finished: put the old data back for the next round.
            std::fs::write(&cfg, &text).unwrap();
            assert_eq!(s.build(&data, &out).0, 0);
            std::fs::write(
                &cfg,
                text.replace("title: Release readiness", "title: Readiness v2"),
            )
            .unwrap();
        }
    }
    assert!(interrupted > 0, "no signal landed during a build");
}

#[test]
fn killed_builds_leave_nothing_the_next_build_does_not_remove() {
    let s = Scratch::new();
    let data = big_data(&s);
    let out = s.path("site");
    assert_eq!(s.build(&data, &out).0, 0);
    let cfg = data.join("gonogo.yaml");
    let text = std::fs::read_to_string(&cfg).unwrap();
    for (i, delay) in [80u64, 200, 350].into_iter().enumerate() {
        std::fs::write(
            &cfg,
            text.replace(
                "title: Release readiness",
                &format!("title: Readiness v{i}"),
            ),
        )
        .unwrap();
        let mut child = s
            .command(&[
                "build",
                "--data",
                data.to_str().unwrap(),
                "--out",
                out.to_str().unwrap(),
                "--no-cache",
            ])
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(std::time::Duration::from_millis(delay));
        let _ = child.kill(); // SIGKILL: no chance to clean up
        let _ = child.wait();
    }
    let (code, err) = s.build(&data, &out);
    assert_eq!(code, 0, "{err}");
    assert_eq!(names(s.tmp.path()), ["big", "cache", "site"]);
}

#[test]
fn a_mount_point_as_the_output_folder_is_refused_in_words() {
    use std::os::unix::fs::MetadataExt;
    let shm = Path::new("/dev/shm");
    let (Ok(a), Ok(b)) = (std::fs::metadata(shm), std::fs::metadata("/dev")) else {
        panic!("this test needs /dev/shm, a tmpfs mount point on Linux");
    };
    assert_ne!(a.dev(), b.dev(), "/dev/shm is expected to be a mount point");
    let s = Scratch::new();
    let data = s.data("data");
    let (code, err) = s.build(&data, shm);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("it is a mount point"), "{err}");
    assert!(!err.contains("Device or resource busy"), "{err}");
    assert!(std::fs::read_dir("/dev").unwrap().all(|e| {
        !e.unwrap()
            .file_name()
            .to_string_lossy()
            .starts_with(".gonogo")
    }));
}

/// Runbook phases titled "Phase 1: …" are not numbered again ("1. Phase 1: …"), in
/// HTML and Markdown; a phase titled without a number still is.
#[test]
fn a_phase_that_carries_its_own_number_is_not_numbered_twice() {
    let s = Scratch::new();
    let out = s.path("site");
    let (code, err) = s.build(&root().join("data"), &out);
    assert_eq!(code, 0, "{err}");
    let html = std::fs::read_to_string(out.join("deployment-framework/runbook.html")).unwrap();
    assert!(
        html.contains("<h3>Phase 1: code integration"),
        "doubled number"
    );
    assert!(!html.contains("1.</span>Phase 1"));
    let md = std::fs::read_to_string(out.join("deployment-framework/runbook.md")).unwrap();
    assert!(md.contains("\n## Phase 1: code integration"), "{md}");
    let other = std::fs::read_to_string(out.join("studio-pod-1.0/runbook.html")).unwrap();
    assert!(other.contains("<span class=\"phase-num\">1.</span>"));
    // Each step without sub-steps has a place, in print, for the time done and initials.
    let steps = other.matches("<li class=\"step").count();
    let blanks = other.matches("class=\"by-hand print-only\"").count();
    assert!(blanks > 0 && blanks <= steps, "{blanks} of {steps}");
    let css = std::fs::read_to_string(out.join("assets/style.css")).unwrap();
    assert!(css.contains(".print-only { display: none; }"));
}

/// In a UTC release the runbook's window is shown once, not as "Local (UTC)" and
/// again as "UTC"; in another zone both are shown.
#[test]
fn a_utc_window_is_not_shown_twice() {
    let s = Scratch::new();
    let data = s.path("d");
    std::fs::create_dir_all(data.join("releases/a")).unwrap();
    std::fs::create_dir_all(data.join("releases/b")).unwrap();
    std::fs::write(data.join("gonogo.yaml"), "title: T\n").unwrap();
    let rel = |tz: &str| {
        format!(
            "release: {{product: P{tz}, timezone: {tz}, deploy: 2026-05-05 09:00}}\nrunbook:\n  window: {{start: \"08:30\", end: \"10:00\"}}\n  phases: [{{title: Go, start: \"09:00\", end: \"09:30\"}}]\n"
        )
    };
    std::fs::write(data.join("releases/a/release.yaml"), rel("UTC")).unwrap();
    std::fs::write(data.join("releases/b/release.yaml"), rel("Europe/Berlin")).unwrap();
    let out = s.path("site");
    let (code, err) = s.build(&data, &out);
    assert_eq!(code, 0, "{err}");
    let utc = std::fs::read_to_string(out.join("a/runbook.html")).unwrap();
    assert!(utc.contains("Local (UTC)"));
    assert!(!utc.contains("<span class=\"kpi-lbl\">UTC</span>"));
    let berlin = std::fs::read_to_string(out.join("b/runbook.html")).unwrap();
    assert!(berlin.contains("<span class=\"kpi-lbl\">UTC</span>"));
}
