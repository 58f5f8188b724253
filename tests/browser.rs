//! XSS payloads in a real browser: the site built from the payloads (the hand-written
//! ones and every 8th of the brs-kb corpus, all with GONOGO_XSS_FULL=1) is opened page by page in headless
//! Chromium by tests/browser/check.mjs (playwright-core), and every Markdown page too,
//! rendered the way a Markdown viewer would before sanitizing. Nothing may run: no
//! script (a report-only CSP sees every attempt), no dialog, no navigation, no popup.
//! The same harness checks the example site's layout at phone and laptop widths
//! (layout.mjs) and its accessibility with axe-core's WCAG 2.1 A/AA rules (axe.mjs).
//! The test installs its npm packages itself (`npm ci --prefix tests/browser`); without
//! Chromium or Node.js it is skipped, saying so, unless GONOGO_REQUIRE_TOOLS=1 (`.ci/run`).

mod common;
use common::xss;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn check_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/browser")
}

/// The browser check's npm packages, installed by the test itself from the lock file
/// (`npm ci`, once per run of this binary) when they are not there yet.
fn packages() -> bool {
    static INSTALL: std::sync::Mutex<Option<bool>> = std::sync::Mutex::new(None);
    let mut done = INSTALL.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(ok) = *done {
        return ok;
    }
    let present = || {
        check_dir().join("node_modules/playwright-core").is_dir()
            && check_dir().join("node_modules/markdown-it").is_dir()
            && check_dir().join("node_modules/axe-core").is_dir()
    };
    let ok = present() || {
        use std::io::Write;
        let _ = writeln!(
            std::io::stderr(),
            "installing the browser check's packages: npm ci --prefix tests/browser"
        );
        let run = Command::new("npm")
            .args(["ci", "--no-audit", "--no-fund", "--prefix"])
            .arg(check_dir())
            .output()
            .expect("npm");
        assert!(
            run.status.success(),
            "npm ci --prefix tests/browser failed:\n{}",
            String::from_utf8_lossy(&run.stderr)
        );
        present()
    };
    *done = Some(ok);
    ok
}

/// Runs the browser check on a folder of pages; None when Chromium or Node.js is not
/// installed (the test is skipped, or fails under GONOGO_REQUIRE_TOOLS=1).
fn browser_check(site: &Path) -> Option<Output> {
    node_script("check.mjs", site, &[])
}

/// Runs one of tests/browser/'s scripts on a folder of pages; None when Chromium or
/// Node.js is not installed.
fn node_script(script: &str, site: &Path, args: &[&str]) -> Option<Output> {
    let tools = common::tools(
        &["chromium", "node", "npm"],
        "apt-get install chromium nodejs npm",
    )?;
    assert!(packages(), "the browser check's packages did not install");
    Some(
        Command::new(&tools[1])
            .arg(check_dir().join(script))
            .arg(site)
            .args(args)
            .env("CHROMIUM", &tools[0])
            .output()
            .expect("run node"),
    )
}

#[test]
fn no_payload_runs_in_chromium() {
    let mut all = xss::handwritten();
    // Every 8th corpus payload by default (about 560, 10 s of Chromium per 100 a
    // release here); GONOGO_XSS_FULL=1 for all 4,459 (8.5 minutes on two busy cores).
    all.extend(xss::corpus_sample());
    let tmp = tempfile::tempdir().unwrap();
    let site = xss::build(&all, 100, tmp.path());
    let Some(run) = browser_check(&site) else {
        return;
    };
    let out = String::from_utf8_lossy(&run.stdout);
    let err = String::from_utf8_lossy(&run.stderr);
    assert!(run.status.success(), "{out}\n{err}");
    assert!(out.contains("nothing ran"), "{out}");
}

#[test]
fn the_browser_check_sees_what_runs() {
    // The check above can fail: each of these pages runs script or leaves the page.
    let tmp = tempfile::tempdir().unwrap();
    let bad = [
        ("img.html", "<p>x<img src=x onerror=alert(1)></p>"),
        ("link.html", "<a href=\"jav&#x09;ascript:alert(2)\">x</a>"),
        (
            "hover.html",
            "<div onmouseover=\"document.title='x'\">x</div>",
        ),
        ("script.html", "<script>void 0</script>"),
        (
            "refresh.html",
            "<meta http-equiv=refresh content=\"0;url=https://example.com/\">",
        ),
        ("page.md", "# Notes\n\n<img src=x onerror=alert(3)>\n"),
        ("link.md", "[x](javascript:alert(4))\n"),
    ];
    let good = [
        (
            "ok.html",
            "<p>&lt;img src=x onerror=alert(1)&gt;</p><a href=\"https://example.com/\">ok</a>",
        ),
        (
            "ok.md",
            "# Notes\n\n&lt;img src=x onerror=alert(1)>\n\n[x](\\javascript:alert(4))\n",
        ),
    ];
    for (name, text) in bad.iter().chain(&good) {
        std::fs::write(tmp.path().join(name), text).unwrap();
    }
    let Some(run) = browser_check(tmp.path()) else {
        return;
    };
    let out = String::from_utf8_lossy(&run.stdout);
    assert_eq!(run.status.code(), Some(1), "{out}");
    for (name, _) in bad {
        let served = if name.ends_with(".md") {
            format!("{name}.html")
        } else {
            name.to_string()
        };
        assert!(
            out.lines().any(|l| l.starts_with(&format!("{served}: "))),
            "{name} not caught:\n{out}"
        );
    }
    assert!(out.contains("img.html: alert: 1"), "{out}");
    assert!(out.contains("page.md.html: alert: 3"), "{out}");
    assert!(
        out.contains("refresh.html: request document: https://example.com/"),
        "{out}"
    );
    for (name, _) in good {
        assert!(!out.contains(name), "{name} flagged:\n{out}");
    }
}

/// The example data built into a fresh `site` folder: the folder's owner and path.
fn example_site() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("site");
    let built = Command::new(env!("CARGO_BIN_EXE_gonogo"))
        .args(["build", "--no-cache", "--data"])
        .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("data"))
        .arg("--out")
        .arg(&site)
        .output()
        .unwrap();
    assert!(built.status.success());
    (tmp, site)
}

/// Runs tests/browser/layout.mjs on a folder of pages at the widths given.
fn layout_check(site: &Path, widths: &[&str]) -> Option<Output> {
    node_script("layout.mjs", site, widths)
}

/// Every page of the example site reads on a phone (360 and 390 px) and a laptop
/// (1280 px) without scrolling the page sideways: tables scroll in their own box,
/// the index becomes one card per release with its decision under its name.
#[test]
fn every_page_reads_at_360_px_without_scrolling_sideways() {
    let (tmp, site) = example_site();
    let Some(run) = layout_check(&site, &["360", "390", "1280"]) else {
        return;
    };
    let out = String::from_utf8_lossy(&run.stdout);
    let err = String::from_utf8_lossy(&run.stderr);
    assert!(
        run.status.success(),
        "pages wider than the window:\n{out}\n{err}"
    );
    // The check can fail: a page with a wide fixed element is reported.
    let wide = tmp.path().join("wide");
    std::fs::create_dir_all(&wide).unwrap();
    std::fs::write(wide.join("w.html"), "<div style=\"width: 500px\">x</div>").unwrap();
    let run = layout_check(&wide, &["360"]).unwrap();
    assert_eq!(run.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&run.stdout).contains("360 w.html"));
}

/// Every page of the example site passes axe-core's WCAG 2.0 and 2.1 A and AA rules
/// (contrast, landmarks, table headers, names of links and controls, links told
/// apart by more than colour, scrolling tables reachable by keyboard) in headless
/// Chromium, on a laptop and on a phone.
#[test]
fn every_page_passes_axe_wcag_2_1_aa() {
    let (tmp, site) = example_site();
    let Some(run) = node_script("axe.mjs", &site, &["1280", "360"]) else {
        return;
    };
    let out = String::from_utf8_lossy(&run.stdout);
    let err = String::from_utf8_lossy(&run.stderr);
    assert!(
        run.status.success(),
        "accessibility violations:\n{out}\n{err}"
    );
    // The check can fail: an image without a text alternative and a link in a
    // paragraph told apart only by colour are reported.
    let bad = tmp.path().join("bad");
    std::fs::create_dir_all(&bad).unwrap();
    std::fs::write(
        bad.join("b.html"),
        "<!doctype html><html lang=\"en\"><title>b</title><main><img src=\"x.png\"><p style=\"color:#000\">Read <a href=\"#\" style=\"color:#00c;text-decoration:none\">this</a> now.</p></main></html>",
    )
    .unwrap();
    let run = node_script("axe.mjs", &bad, &["1280"]).unwrap();
    assert_eq!(run.status.code(), Some(1));
    let out = String::from_utf8_lossy(&run.stdout);
    assert!(out.contains("1280 b.html image-alt"), "{out}");
}
