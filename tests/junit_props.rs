//! Property test of the JUnit reader: random reports (nested suites, reruns,
//! statuses, several failure elements, system output, three encodings) read by the
//! gonogo binary, against a plain counter written here from the rules alone. A
//! failing, erroring, disabled or not-run case is never counted as passed.
//!
//! `PROPTEST_CASES=200 cargo test --release --test junit_props` runs longer.

use proptest::prelude::*;
use std::process::Command;

/// What a test case holds.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Kind {
    Pass,
    Failure,
    /// Two `<failure>` elements in one case (one failing test).
    TwoFailures,
    Error,
    Skipped,
    /// `status="disabled"` (JUnit 5, Ant).
    Disabled,
    /// googletest's `DISABLED_` test: `status="notrun" result="suppressed"`.
    NotRun,
    /// `<skipped/>` and `<failure>` together: the failure counts.
    SkippedAndFailure,
    /// `status="disabled"` with a `<failure>`: the failure counts.
    DisabledButFailed,
    /// Surefire: failed, then `<rerunFailure>` again.
    RerunFailure,
    /// Surefire: `<flakyFailure>` then passed: a pass, named flaky.
    FlakyPass,
}

#[derive(Debug, Clone)]
enum Node {
    Case(Kind, bool),
    Suite(Vec<Node>, bool),
    /// A suite with no test case that declares failures and errors.
    Hollow(u8, u8),
}

fn kind() -> impl Strategy<Value = Kind> {
    proptest::sample::select(vec![
        Kind::Pass,
        Kind::Pass,
        Kind::Pass,
        Kind::Failure,
        Kind::TwoFailures,
        Kind::Error,
        Kind::Skipped,
        Kind::Disabled,
        Kind::NotRun,
        Kind::SkippedAndFailure,
        Kind::DisabledButFailed,
        Kind::RerunFailure,
        Kind::FlakyPass,
    ])
}

fn node() -> impl Strategy<Value = Node> {
    let leaf = prop_oneof![
        8 => (kind(), any::<bool>()).prop_map(|(k, out)| Node::Case(k, out)),
        1 => (0..3u8, 0..2u8).prop_map(|(f, e)| Node::Hollow(f, e)),
    ];
    leaf.prop_recursive(4, 40, 6, |inner| {
        (prop::collection::vec(inner, 0..6), any::<bool>()).prop_map(|(c, d)| Node::Suite(c, d))
    })
}

/// The plain counter: passed, failed, errored, skipped.
fn count(n: &Node, c: &mut [u64; 4]) {
    match n {
        Node::Case(k, _) => {
            let i = match k {
                Kind::Pass | Kind::FlakyPass => 0,
                Kind::Failure
                | Kind::TwoFailures
                | Kind::SkippedAndFailure
                | Kind::DisabledButFailed
                | Kind::RerunFailure => 1,
                Kind::Error => 2,
                Kind::Skipped | Kind::Disabled | Kind::NotRun => 3,
            };
            c[i] += 1;
        }
        Node::Suite(children, _) => children.iter().for_each(|x| count(x, c)),
        Node::Hollow(f, e) => {
            c[1] += u64::from(*f);
            c[2] += u64::from(*e);
        }
    }
}

fn xml(n: &Node, id: &mut u32, out: &mut String) {
    *id += 1;
    let name = format!("t{id} é");
    match n {
        Node::Case(k, sysout) => {
            let attrs = match k {
                Kind::Disabled | Kind::DisabledButFailed => " status=\"disabled\"",
                Kind::NotRun => " status=\"notrun\" result=\"suppressed\"",
                _ => "",
            };
            let body = match k {
                Kind::Pass | Kind::Disabled | Kind::NotRun => "",
                Kind::Failure | Kind::DisabledButFailed => "<failure message=\"m\">at x</failure>",
                Kind::TwoFailures => "<failure message=\"a\"/><failure message=\"b\"/>",
                Kind::Error => "<error message=\"e\" type=\"E\"/>",
                Kind::Skipped => "<skipped/>",
                Kind::SkippedAndFailure => "<skipped/><failure message=\"f\"/>",
                Kind::RerunFailure => "<failure message=\"f\"/><rerunFailure message=\"again\"/>",
                Kind::FlakyPass => "<flakyFailure message=\"once\"/>",
            };
            let so = if *sysout {
                "<system-out><![CDATA[<testcase name=\"fake\"><failure/></testcase> ü]]></system-out>"
            } else {
                ""
            };
            out.push_str(&format!(
                "<testcase classname=\"c\" name=\"{name}\" time=\"0.5\"{attrs}>{body}{so}</testcase>\n"
            ));
        }
        Node::Suite(children, declare) => {
            let mut c = [0u64; 4];
            children.iter().for_each(|x| count(x, &mut c));
            let attrs = if *declare {
                format!(
                    " tests=\"{}\" failures=\"{}\" errors=\"{}\" skipped=\"{}\"",
                    c.iter().sum::<u64>(),
                    c[1],
                    c[2],
                    c[3]
                )
            } else {
                String::new()
            };
            out.push_str(&format!("<testsuite name=\"{name}\"{attrs}>\n"));
            for x in children {
                xml(x, id, out);
            }
            out.push_str("</testsuite>\n");
        }
        Node::Hollow(f, e) => out.push_str(&format!(
            "<testsuite name=\"{name}\" tests=\"{}\" failures=\"{f}\" errors=\"{e}\"/>\n",
            f + e
        )),
    }
}

/// The report's bytes in one of three encodings.
fn encode(text: &str, enc: u8) -> Vec<u8> {
    match enc {
        0 => format!("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n{text}").into_bytes(),
        1 => {
            let s = format!("<?xml version=\"1.0\" encoding=\"UTF-16\"?>\n{text}");
            let mut b = vec![0xFF, 0xFE];
            for u in s.encode_utf16() {
                b.extend_from_slice(&u.to_le_bytes());
            }
            b
        }
        _ => {
            let s = format!("<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>\n{text}");
            s.chars()
                .map(|c| u8::try_from(u32::from(c)).unwrap())
                .collect()
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 16, ..ProptestConfig::default() })]

    #[test]
    fn counts_match_a_plain_counter(
        reports in prop::collection::vec((prop::collection::vec(node(), 1..6), 0..3u8), 6),
    ) {
        let tmp = tempfile::tempdir().unwrap();
        let data = tmp.path().join("data");
        let mut want = vec![];
        for (i, (roots, enc)) in reports.iter().enumerate() {
            let dir = data.join(format!("releases/r{i}"));
            std::fs::create_dir_all(&dir).unwrap();
            let mut body = String::from("<testsuites name=\"all\">\n");
            let mut id = 0;
            let mut c = [0u64; 4];
            for n in roots {
                xml(n, &mut id, &mut body);
                count(n, &mut c);
            }
            body.push_str("</testsuites>\n");
            std::fs::write(dir.join("r.xml"), encode(&body, *enc)).unwrap();
            std::fs::write(
                dir.join("release.yaml"),
                format!("release: {{product: r{i}}}\ntests:\n  suites:\n    - {{name: s, reports: [r.xml]}}\n"),
            )
            .unwrap();
            want.push(c);
        }
        let site = tmp.path().join("site");
        let out = Command::new(env!("CARGO_BIN_EXE_gonogo"))
            .args(["build", "--no-cache", "--data"])
            .arg(&data)
            .arg("--out")
            .arg(&site)
            .env("SOURCE_DATE_EPOCH", "1780272000")
            .output()
            .unwrap();
        prop_assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        for (i, w) in want.iter().enumerate() {
            let facts: serde_json::Value = serde_json::from_str(
                &std::fs::read_to_string(site.join(format!("r{i}/facts.json"))).unwrap(),
            )
            .unwrap();
            let t = &facts["tests"]["totals"];
            let got = ["passed", "failed", "errored", "skipped"].map(|k| t[k].as_u64().unwrap());
            prop_assert_eq!(&got, w, "report r{} ({:?})", i, reports[i]);
        }
    }
}
