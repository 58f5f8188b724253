//! Printing in a real browser: headless Chromium prints the sign-off sheet and the
//! runbook to PDF (A4 and US Letter); poppler's `pdfinfo` and `pdftotext` read them back.
//! `.ci/run` installs Debian's `chromium` and `poppler-utils`.

mod common;
use common::copy_dir;
use std::path::{Path, PathBuf};
use std::process::Command;

/// How to get what the print tests need (Debian's packages).
const INSTALL: &str = "apt-get install chromium poppler-utils";

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn tool(name: &str) -> String {
    let found = Command::new("sh")
        .arg("-c")
        .arg(format!("command -v {name}"))
        .output()
        .unwrap();
    assert!(
        found.status.success(),
        "`{name}` is needed for the print tests: apt-get install chromium poppler-utils (.ci/run does)"
    );
    String::from_utf8(found.stdout).unwrap().trim().to_string()
}

fn gonogo(args: &[&str]) {
    let out = Command::new(env!("CARGO_BIN_EXE_gonogo"))
        .args(args)
        .env("SOURCE_DATE_EPOCH", "1780272000")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Prints an HTML page to PDF with Chromium; returns (page count, page size, text).
fn print(html: &Path, pdf: &Path) -> (u32, String, String) {
    let profile = tempfile::tempdir().unwrap();
    let status = Command::new(tool("chromium"))
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-pdf-header-footer",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .arg(format!("--print-to-pdf={}", pdf.display()))
        .arg(format!("file://{}", html.display()))
        .output()
        .unwrap();
    assert!(
        pdf.is_file(),
        "chromium wrote no PDF: {}",
        String::from_utf8_lossy(&status.stderr)
    );
    read_pdf(pdf)
}

/// Page count, page size and text of a PDF, read by poppler.
pub fn read_pdf(pdf: &Path) -> (u32, String, String) {
    let info = Command::new(tool("pdfinfo")).arg(pdf).output().unwrap();
    let info = String::from_utf8_lossy(&info.stdout).to_string();
    let field = |name: &str| {
        info.lines()
            .find(|l| l.starts_with(name))
            .map(|l| l[name.len()..].trim().to_string())
            .unwrap_or_default()
    };
    let pages: u32 = field("Pages:").parse().unwrap();
    let text = Command::new(tool("pdftotext"))
        .args(["-layout"])
        .arg(pdf)
        .arg("-")
        .output()
        .unwrap();
    (
        pages,
        field("Page size:"),
        String::from_utf8_lossy(&text.stdout).to_string(),
    )
}

/// The example data, on the given paper, plus a release with eight approvers.
fn site(paper: &str) -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    copy_dir(&root().join("data"), &data);
    let site_file = data.join("gonogo.yaml");
    let text = std::fs::read_to_string(&site_file).unwrap();
    std::fs::write(&site_file, format!("{text}\npaper: {paper}\n")).unwrap();
    let mut eight = String::from(
        "release: {product: Eight approvers, version: \"1.0\", deploy: 2026-02-03 09:00}\napprovals:\n  signoffs:\n",
    );
    let roles = [
        "Engineering lead",
        "QA lead",
        "Security officer",
        "Database owner",
        "Operations lead",
        "Product owner",
        "Support lead",
        "Compliance officer",
    ];
    for (i, role) in roles.iter().enumerate() {
        if i % 2 == 0 {
            eight.push_str(&format!("    - {{ role: {role}, name: Approver Number {i} Ñoño-Żółć, status: approved, date: 2026-02-01, scope: \"Scope of the {role}, covering every change that touches their area of responsibility\" }}\n"));
        } else {
            eight.push_str(&format!(
                "    - {{ role: {role}, status: pending, scope: \"Scope of the {role}\" }}\n"
            ));
        }
    }
    std::fs::create_dir_all(data.join("releases/eight")).unwrap();
    std::fs::write(data.join("releases/eight/release.yaml"), eight).unwrap();
    let out = tmp.path().join("site");
    gonogo(&[
        "build",
        "--data",
        data.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    (tmp, out)
}

#[test]
fn sign_off_sheets_and_runbooks_print_on_a4_and_letter() {
    if common::tools(&["chromium", "pdfinfo", "pdftotext"], INSTALL).is_none() {
        return;
    }
    for (paper, size) in [("A4", "(A4)"), ("letter", "(letter)")] {
        let (tmp, out) = site(paper);
        let fingerprint = |id: &str| -> String {
            let facts: serde_json::Value = serde_json::from_str(
                &std::fs::read_to_string(out.join(id).join("facts.json")).unwrap(),
            )
            .unwrap();
            facts["fingerprint"].as_str().unwrap().to_string()
        };
        // The sign-off sheet of Studio Pod 1.0: one page, names, roles, page footer.
        let (pages, got_size, text) = print(
            &out.join("studio-pod-1.0/approval.html"),
            &tmp.path().join("a.pdf"),
        );
        assert!(got_size.ends_with(size), "{paper}: {got_size}");
        assert_eq!(pages, 1, "{paper}:\n{text}");
        for needle in [
            "Avery Chen",
            "Technical Lead",
            "Riley Novak",
            "Product Lead",
            "GO",
            "Page 1 of 1",
        ] {
            assert!(
                text.contains(needle),
                "{paper}: `{needle}` not printed:\n{text}"
            );
        }
        assert!(
            text.contains(&format!(
                "studio-pod-1.0 · data {}",
                fingerprint("studio-pod-1.0")
            )),
            "{paper}: footer:\n{text}"
        );
        assert!(
            !text.contains("All releases") && !text.contains("Readiness report"),
            "{paper}: navigation printed:\n{text}"
        );
        // Eight approvers, half of them blank blocks still to be signed: one page.
        let (pages, _, text) = print(&out.join("eight/approval.html"), &tmp.path().join("e.pdf"));
        assert_eq!(
            pages, 1,
            "{paper}: eight approvers must fit one page:\n{text}"
        );
        assert!(
            text.contains("Compliance officer") && text.contains("Ñoño-Żółć"),
            "{paper}:\n{text}"
        );
        // The runbook: every page numbered and fingerprinted, commands and times present.
        let (pages, _, text) = print(
            &out.join("studio-pod-1.0/runbook.html"),
            &tmp.path().join("r.pdf"),
        );
        assert!((2..=8).contains(&pages), "{paper}: {pages} pages");
        assert!(
            text.contains(&format!("Page {pages} of {pages}")),
            "{paper}:\n{text}"
        );
        assert_eq!(
            text.matches(&format!("data {}", fingerprint("studio-pod-1.0")))
                .count(),
            pages as usize,
            "{paper}: a fingerprint on every page"
        );
        for needle in [
            "npm run test:smoke",
            "05:30 EST",
            "10:30 UTC",
            "RLS violation",
            "e8c88805",
            "#incident",
        ] {
            assert!(
                text.contains(needle),
                "{paper}: `{needle}` not printed:\n{text}"
            );
        }
    }
}

#[test]
fn gonogos_own_pdfs_hold_names_roles_and_fingerprint() {
    if common::tools(&["pdfinfo", "pdftotext"], INSTALL).is_none() {
        return;
    }
    for (paper, size) in [("A4", "(A4)"), ("letter", "(letter)")] {
        let (_tmp, out) = site(paper);
        let facts: serde_json::Value = serde_json::from_str(
            &std::fs::read_to_string(out.join("studio-pod-1.0/facts.json")).unwrap(),
        )
        .unwrap();
        let fingerprint = facts["fingerprint"].as_str().unwrap();
        let (pages, got_size, text) = read_pdf(&out.join("studio-pod-1.0/approval.pdf"));
        assert!(got_size.ends_with(size), "{paper}: {got_size}");
        assert_eq!(pages, 1, "{paper}:\n{text}");
        for needle in [
            "Avery Chen",
            "Technical Lead",
            "Jordan Patel",
            "QA Lead",
            "Sam Okafor",
            "Riley Novak",
            "Page 1 of 1",
            "GO",
        ] {
            assert!(
                text.contains(needle),
                "{paper}: `{needle}` not in the PDF:\n{text}"
            );
        }
        assert!(
            text.contains(&format!("data {fingerprint}")),
            "{paper}:\n{text}"
        );
        let (pages, _, text) = read_pdf(&out.join("eight/approval.pdf"));
        assert_eq!(pages, 1, "{paper}: eight approvers on one page:\n{text}");
        assert!(
            text.contains("Ñoño-Żółć") && text.contains("Compliance officer"),
            "{paper}:\n{text}"
        );
        let (pages, _, text) = read_pdf(&out.join("studio-pod-1.0/runbook.pdf"));
        assert!(pages >= 2, "{paper}");
        assert!(
            text.contains(&format!("Page {pages} of {pages}")),
            "{paper}:\n{text}"
        );
        assert_eq!(
            text.matches(&format!("data {fingerprint}")).count(),
            pages as usize,
            "{paper}: on every page"
        );
        for needle in [
            "npm run test:smoke",
            "05:30 EST",
            "10:30 UTC",
            "RLS violation",
            "#incident",
            "Rolling Studio Pod back to e8c88805",
        ] {
            assert!(
                text.contains(needle),
                "{paper}: `{needle}` not in the runbook PDF:\n{text}"
            );
        }
    }
}

#[test]
fn overlong_text_is_cut_with_a_note_not_lost_silently() {
    if common::tools(&["pdfinfo", "pdftotext"], INSTALL).is_none() {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("p");
    gonogo(&["init", dir.to_str().unwrap()]);
    let file = dir.join("data/releases/example-1.0/release.yaml");
    let long: Vec<String> = (0..6000).map(|i| format!("word{i}")).collect();
    let text = std::fs::read_to_string(&file).unwrap().replace(
        "scope: Code and architecture",
        &format!("scope: \"{}\"", long.join(" ")),
    );
    std::fs::write(&file, text).unwrap();
    let out = dir.join("site");
    gonogo(&[
        "build",
        "--data",
        dir.join("data").to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    let (_, _, text) = read_pdf(&out.join("example-1.0/approval.pdf"));
    assert!(text.contains("continues on the HTML page"), "{text}");
    // The block's name, signature and date lines are still printed.
    assert_eq!(text.matches("Signature:").count(), 2, "{text}");
    assert!(
        text.contains("Sam Doe") && text.contains("Alex Roe"),
        "{text}"
    );
}
