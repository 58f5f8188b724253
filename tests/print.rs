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

const ROLES: [&str; 8] = [
    "Engineering lead",
    "QA lead",
    "Security officer",
    "Database owner",
    "Operations lead",
    "Product owner",
    "Support lead",
    "Compliance officer",
];

/// Every sign-off block of `roles` is whole on one page: on each page, as many
/// blocks start (a role) as end (each block says "signature" once: the line to sign,
/// or "no signature needed" when the data holds the approval).
fn whole_blocks(pdf: &Path, pages: u32, roles: &[&str]) {
    let mut seen = 0;
    for p in 1..=pages {
        let out = Command::new(tool("pdftotext"))
            .args(["-f", &p.to_string(), "-l", &p.to_string()])
            .arg(pdf)
            .arg("-")
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&out.stdout).to_string();
        let starts = roles.iter().filter(|r| text.contains(*r)).count();
        let ends = text.to_lowercase().matches("signature").count();
        assert_eq!(
            starts,
            ends,
            "{}: page {p} splits a block:\n{text}",
            pdf.display()
        );
        seen += starts;
    }
    assert_eq!(seen, roles.len(), "{}: blocks missing", pdf.display());
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
    for (i, role) in ROLES.iter().enumerate() {
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
        // Eight approvers, half of them blocks still to be signed (12 mm of ink room
        // each): two pages at most, no block split between them.
        let e = tmp.path().join("e.pdf");
        let (pages, _, text) = print(&out.join("eight/approval.html"), &e);
        assert!(pages <= 2, "{paper}: {pages} pages:\n{text}");
        whole_blocks(&e, pages, &ROLES);
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
        if paper == "A4" {
            assert_eq!(pages, 1, "{paper}: eight approvers on one page:\n{text}");
        } else {
            assert!(pages <= 2, "{paper}: {pages} pages:\n{text}");
        }
        whole_blocks(&out.join("eight/approval.pdf"), pages, &ROLES);
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

/// `gonogo init`'s starter project with its release file edited, built: the site.
fn starter_site(edit: impl FnOnce(String) -> String) -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("p");
    gonogo(&["init", dir.to_str().unwrap()]);
    let file = dir.join("data/releases/example-1.0/release.yaml");
    std::fs::write(&file, edit(std::fs::read_to_string(&file).unwrap())).unwrap();
    let out = dir.join("site");
    gonogo(&[
        "build",
        "--data",
        dir.join("data").to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    (tmp, out)
}

#[test]
fn overlong_text_is_cut_with_a_note_not_lost_silently() {
    if common::tools(&["pdfinfo", "pdftotext"], INSTALL).is_none() {
        return;
    }
    let long: Vec<String> = (0..6000).map(|i| format!("word{i}")).collect();
    let (_tmp, out) = starter_site(|t| {
        t.replace(
            "scope: Code and architecture",
            &format!("scope: \"{}\"", long.join(" ")),
        )
    });
    let (_, _, text) = read_pdf(&out.join("example-1.0/approval.pdf"));
    assert!(text.contains("continues on the HTML page"), "{text}");
    // The blocks' names and dates are still printed (both approved in the data:
    // no line to sign).
    assert_eq!(text.matches("APPROVED IN THE DATA").count(), 2, "{text}");
    for needle in ["Sam Doe", "Alex Roe", "2026-03-02", "2026-03-03"] {
        assert!(text.contains(needle), "{needle}: {text}");
    }
}

#[test]
fn the_sheet_says_what_is_approved_and_prints_every_name_whole() {
    if common::tools(&["pdfinfo", "pdftotext"], INSTALL).is_none() {
        return;
    }
    let long = "Maximiliane Alexandra Konstantinopoulou-Vanderbilt de la Fuente y Montenegro Ravensworth-Smythe III of Westmoreland";
    let mid = "Bartholomew Fitzgerald-Okonkwo Papadopoulos-Schwarzenegger Dimitriou-Lee-Smith";
    assert!(long.len() >= 105 && mid.len() >= 75);
    let (_tmp, out) = starter_site(|t| {
        t.replace("name: Sam Doe", &format!("name: \"{long}\""))
            .replace(
                "name: Alex Roe, status: approved, date: 2026-03-03",
                &format!("name: \"{mid}\", status: pending"),
            )
            .replace("all_approved: true", "all_approved: false")
    });
    let pdf = out.join("example-1.0/approval.pdf");
    let (pages, _, text) = read_pdf(&pdf);
    assert_eq!(pages, 1, "{text}");
    // What the signer approves: the state of the release and the data version.
    let facts: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("example-1.0/facts.json")).unwrap())
            .unwrap();
    let fp = facts["fingerprint"].as_str().unwrap();
    for needle in [
        "What you are approving",
        "Readiness",
        "automated tests passed",
        "targets met",
        "Open risks",
        "Data version",
        fp,
        "Thursday, 5 March 2026, 06:00 CET",
    ] {
        assert!(
            text.contains(needle),
            "`{needle}` not on the sheet:\n{text}"
        );
    }
    // The approved block says so and has no line to sign; the pending one has
    // tick boxes, a comments line and a signature line.
    assert_eq!(text.matches("APPROVED IN THE DATA").count(), 1, "{text}");
    assert_eq!(text.matches("Signature:").count(), 1, "{text}");
    for needle in [
        "Approve with conditions",
        "Reject",
        "Conditions / comments:",
    ] {
        assert!(text.contains(needle), "`{needle}`:\n{text}");
    }
    // Every word of both names is printed, the last ones too: wrapped, not cut.
    let words: Vec<&str> = text.split_whitespace().collect();
    for name in [long, mid] {
        for w in name.split_whitespace() {
            assert!(words.contains(&w), "`{w}` of `{name}` not printed:\n{text}");
        }
    }
    // Nothing runs past the right edge: no line of the text is wider than the page.
    let widest = text.lines().map(|l| l.chars().count()).max().unwrap();
    assert!(widest < 120, "{widest} columns:\n{text}");
}

#[test]
fn names_in_any_script_print_in_gonogos_pdf() {
    if common::tools(&["pdfinfo", "pdftotext"], INSTALL).is_none()
        || !common::fonts_for(
            &['山', '김', '🚀'],
            "apt-get install fonts-droid-fallback fonts-nanum fonts-symbola",
        )
    {
        return;
    }
    let names = [
        "山田 太郎",
        "김민준",
        "Zoë 🚀 Ng",
        "Ольга Петрова",
        "محمد علي",
        "Ngô Bảo Châu",
    ];
    let (_tmp, out) = starter_site(|t| {
        let mut text = t
            .replace("name: Sam Doe", &format!("name: \"{}\"", names[0]))
            .replace(
                "name: Alex Roe, status: approved, date: 2026-03-03",
                &format!("name: \"{}\", status: pending", names[2]),
            )
            .replace("all_approved: true", "all_approved: false");
        text = text.replace(
            "required: [Engineering lead, QA lead]",
            "required: [Engineering lead, QA lead, Ops, Legal, Finance, Support]",
        );
        text = text.replace(
        "  all_approved: false",
        &format!(
            "    - {{ role: Ops, name: \"{}\", status: pending }}\n    - {{ role: Legal, name: \"{}\", status: pending }}\n    - {{ role: Finance, name: \"{}\", status: pending }}\n    - {{ role: Support, name: \"{}\", status: pending }}\n  all_approved: false",
            names[1], names[3], names[4], names[5]
        ),
    );
        text
    });
    let pdf = out.join("example-1.0/approval.pdf");
    let (_, _, text) = read_pdf(&pdf);
    for name in names {
        // pdftotext marks right-to-left text with directional marks.
        let flat: String = text
            .chars()
            .filter(|c| !matches!(c, '\u{202a}'..='\u{202e}' | '\u{200e}' | '\u{200f}'))
            .collect();
        assert!(flat.contains(name), "`{name}` not in the PDF:\n{text}");
    }
    // The fonts that drew them are embedded: DejaVu and the fallbacks.
    let fonts = Command::new(tool("pdffonts")).arg(&pdf).output().unwrap();
    let fonts = String::from_utf8_lossy(&fonts.stdout);
    assert!(fonts.contains("DejaVuSans"), "{fonts}");
    assert!(
        fonts.lines().filter(|l| l.contains(" yes ")).count() >= 3,
        "{fonts}"
    );
}

/// The titles of the runbook's phases and of its steps that have steps under them.
fn group_titles(facts: &serde_json::Value) -> Vec<String> {
    fn walk(n: &serde_json::Value, out: &mut Vec<String>) {
        let items = n["items"].as_array().map(Vec::as_slice).unwrap_or_default();
        if !items.is_empty() {
            out.push(n["title"].as_str().unwrap_or_default().to_string());
        }
        for c in items {
            walk(c, out);
        }
    }
    let mut out = vec![];
    for p in facts["runbook"]["phases"].as_array().into_iter().flatten() {
        out.push(p["title"].as_str().unwrap_or_default().to_string());
        walk(p, &mut out);
    }
    out.sort();
    out.dedup();
    out
}

/// Printed from Chromium, no page of a runbook ends with a phase's head or a step
/// whose steps are on the next page.
#[test]
fn runbook_headings_stay_with_what_follows_them_in_print() {
    if common::tools(&["chromium", "pdfinfo", "pdftotext"], INSTALL).is_none() {
        return;
    }
    let (tmp, out) = site("A4");
    for id in [
        "midi-software-center",
        "rls-tech-debt-001.1",
        "studio-pod-1.0",
    ] {
        let facts: serde_json::Value = serde_json::from_str(
            &std::fs::read_to_string(out.join(id).join("facts.json")).unwrap(),
        )
        .unwrap();
        let groups = group_titles(&facts);
        assert!(!groups.is_empty(), "{id}");
        let pdf = tmp.path().join(format!("{id}.pdf"));
        let (pages, _, _) = print(&out.join(id).join("runbook.html"), &pdf);
        for p in 1..pages {
            let text = Command::new(tool("pdftotext"))
                .args(["-layout", "-f", &p.to_string(), "-l", &p.to_string()])
                .arg(&pdf)
                .arg("-")
                .output()
                .unwrap();
            let text = String::from_utf8_lossy(&text.stdout).to_string();
            // The last line above the page footer ("… Page N of M").
            let last = text
                .lines()
                .rev()
                .find(|l| !l.trim().is_empty() && !l.contains(&format!("Page {p} of")))
                .unwrap_or_default();
            let head = last.trim_start_matches(|c: char| {
                c.is_whitespace() || c == '☐' || c == '☑' || c.is_ascii_digit() || c == '.'
            });
            for g in &groups {
                assert!(
                    !head.starts_with(g.as_str()),
                    "{id}: page {p} of {pages} ends with the heading `{g}`:\n{text}"
                );
            }
        }
    }
}
