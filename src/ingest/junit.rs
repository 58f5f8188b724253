//! JUnit XML as real runners write it: a `<testsuites>` root or a bare
//! `<testsuite>`, nested suites, `<failure>`, `<error>`, `<skipped>`, CDATA output.
//! The file is streamed, never loaded whole. Counts come from the `<testcase>`
//! elements; suite attributes that disagree with them are reported, not trusted.

use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};
use std::io::BufReader;
#[cfg(test)]
use std::path::Path;

#[derive(Debug, Default)]
pub struct Report {
    pub passed: u64,
    pub failed: u64,
    pub errored: u64,
    pub skipped: u64,
    /// Seconds: the root's `time`, else the sum of top-level suites' `time`, else of
    /// the test cases'.
    pub time: Option<f64>,
    /// "class › name (failure|error)".
    pub failures: Vec<String>,
    /// Suite attributes that disagree with the counted test cases.
    pub inconsistencies: Vec<String>,
    /// Tests that passed only when run again (Surefire's `<flakyFailure>`,
    /// `<flakyError>`): counted as passed, named here.
    pub flaky: Vec<String>,
}

#[derive(Clone, Copy, Default, PartialEq)]
struct Counts {
    tests: u64,
    failures: u64,
    errors: u64,
    skipped: u64,
}

struct SuiteFrame {
    name: String,
    declared: [Option<u64>; 4],
    counted: Counts,
    time: Option<f64>,
    case_time: f64,
}

#[derive(Clone, Copy, PartialEq)]
enum Outcome {
    Passed,
    Skipped,
    Failed,
    Errored,
}

struct Case {
    name: String,
    time: Option<f64>,
    outcome: Outcome,
    /// Failed or errored on an earlier attempt.
    flaky: bool,
}

/// Deepest nesting of elements accepted; real reports nest a few levels.
const MAX_DEPTH: usize = 256;

fn attr(e: &BytesStart, name: &str) -> Option<String> {
    e.try_get_attribute(name).ok().flatten().and_then(|a| {
        a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
            .ok()
            .map(|v| v.into_owned())
    })
}

/// The tests a suite says did not run: `skipped` and `disabled` together (JUnit 5
/// and googletest write disabled tests apart from skipped ones).
fn skipped_declared(e: &BytesStart) -> Option<u64> {
    match (num(e, "skipped"), num(e, "disabled")) {
        (None, None) => None,
        (a, b) => Some(a.unwrap_or(0) + b.unwrap_or(0)),
    }
}

fn num(e: &BytesStart, name: &str) -> Option<u64> {
    attr(e, name).and_then(|v| v.trim().parse().ok())
}

/// Seconds of a `time` attribute. A comma is a decimal comma when it is the only
/// separator (`0,288`, as runners in some locales write it), a thousands separator
/// beside a point (`1,234.5`).
fn secs(e: &BytesStart) -> Option<f64> {
    attr(e, "time")
        .and_then(|v| seconds(v.trim()))
        .filter(|t| t.is_finite() && *t >= 0.0)
}

fn seconds(v: &str) -> Option<f64> {
    let plain = if v.contains('.') {
        v.replace(',', "")
    } else if v.matches(',').count() == 1 {
        v.replace(',', ".")
    } else {
        v.to_string()
    };
    plain.parse().ok()
}

/// Largest JUnit report read (streamed: memory does not grow with it).
pub const MAX_BYTES: u64 = 1 << 30;

#[cfg(test)]
pub fn read(path: &Path) -> Result<Report, String> {
    read_file(std::fs::File::open(path).map_err(|e| format!("cannot open: {e}"))?)
}

/// Counts the test cases of one report, streamed in constant memory: a report in
/// another encoding (a UTF-16 byte-order mark, or `encoding="ISO-8859-1"`,
/// `windows-1252`… declared) is decoded with encoding_rs as it is read, and captured
/// output (`<system-out>`, `<system-err>`) is skipped, not buffered.
pub fn read_file(file: std::fs::File) -> Result<Report, String> {
    use super::xmlstream::{Decode, Elide};
    use std::io::{BufRead, Read};
    let mut file = BufReader::new(file.take(MAX_BYTES));
    let head = file.fill_buf().map_err(|e| format!("cannot read: {e}"))?;
    match encoding_of(head) {
        None => read_from(Elide::new(file)),
        Some(encoding) => read_from(Elide::new(BufReader::new(Decode::new(file, encoding)))),
    }
}

/// The encoding of a report that is not UTF-8: by its byte-order mark, else by the
/// encoding its XML declaration names. None for UTF-8 (and for what names none).
fn encoding_of(head: &[u8]) -> Option<&'static encoding_rs::Encoding> {
    if let Some((encoding, _)) = encoding_rs::Encoding::for_bom(head) {
        return (encoding != encoding_rs::UTF_8).then_some(encoding);
    }
    let decl = head.strip_prefix(b"<?xml")?;
    let end = decl.windows(2).position(|w| w == b"?>")?;
    let decl = std::str::from_utf8(&decl[..end]).ok()?;
    let at = decl.find("encoding")?;
    let value = decl[at + "encoding".len()..]
        .trim_start()
        .strip_prefix('=')?
        .trim_start();
    let quote = value.chars().next().filter(|c| *c == '"' || *c == '\'')?;
    let label = value[1..].split(quote).next()?;
    let encoding = encoding_rs::Encoding::for_label(label.trim().as_bytes())?;
    // A declaration read as ASCII is not UTF-16, whatever it says (.NET writes
    // UTF-8 files labelled utf-16): such a file is read as UTF-8.
    let utf16 = encoding == encoding_rs::UTF_16LE || encoding == encoding_rs::UTF_16BE;
    (encoding != encoding_rs::UTF_8 && !utf16).then_some(encoding)
}

fn read_from<R: std::io::BufRead>(input: R) -> Result<Report, String> {
    let mut reader = Reader::from_reader(input);
    reader.config_mut().check_end_names = true;
    let mut buf = Vec::new();
    let mut rep = Report::default();
    let mut suites: Vec<SuiteFrame> = vec![];
    let mut case: Option<Case> = None;
    let mut root_time: Option<f64> = None;
    let mut top_suite_time = 0.0;
    let mut any_top_suite_time = false;
    let mut all_case_time = 0.0;
    let mut depth = 0usize;
    let mut saw_root = false;
    let mut root_is_suites = false;
    // The first text before any element: what the file is, when it is not XML.
    let mut text_first: Option<String> = None;
    loop {
        let event = reader
            .read_event_into(&mut buf)
            .map_err(|e| format!("not valid XML at byte {}: {e}", reader.error_position()))?;
        if let Event::Text(t) = &event
            && saw_root
            && depth == 0
        {
            let t: &str = &t[..];
            if !t.trim().is_empty() {
                return Err(format!(
                    "text after the report ended (`{}`): two reports in one file, or a truncated copy?",
                    t.trim().chars().take(40).collect::<String>()
                ));
            }
        }
        if let Event::Text(t) = &event
            && !saw_root
            && text_first.is_none()
        {
            let t: &str = &t[..];
            if !t.trim().is_empty() {
                text_first = Some(t.trim().chars().take(40).collect());
            }
        }
        let (start, empty) = match &event {
            Event::Start(e) => (Some(e), false),
            Event::Empty(e) => (Some(e), true),
            _ => (None, false),
        };
        if let Some(e) = start {
            let tag = e.local_name().as_ref().to_string();
            if saw_root && depth == 0 {
                return Err(format!(
                    "a second root element <{tag}> after the report ended: two reports in one file? (name each in `reports:`)"
                ));
            }
            if !saw_root {
                saw_root = true;
                if tag != "testsuites" && tag != "testsuite" {
                    return Err(format!(
                        "not a JUnit report: the root element is <{}>, expected <testsuites> or <testsuite>",
                        tag
                    ));
                }
                if tag == "testsuites" {
                    root_time = secs(e);
                    root_is_suites = true;
                }
            }
            if !empty {
                depth += 1;
                if depth > MAX_DEPTH {
                    return Err(format!("elements nest deeper than {MAX_DEPTH} levels"));
                }
            }
            match tag.as_str() {
                // The root's own counts are checked like a suite's.
                // A `<testsuites>` inside another is a group of suites like a suite.
                "testsuites" if !empty => suites.push(SuiteFrame {
                    name: attr(e, "name").unwrap_or_else(|| "testsuites".into()),
                    declared: [
                        num(e, "tests"),
                        num(e, "failures"),
                        num(e, "errors"),
                        skipped_declared(e),
                    ],
                    counted: Counts::default(),
                    time: None,
                    case_time: 0.0,
                }),
                "testsuite" => {
                    if suites.len() == usize::from(root_is_suites)
                        && let Some(t) = secs(e)
                    {
                        top_suite_time += t;
                        any_top_suite_time = true;
                    }
                    let frame = SuiteFrame {
                        name: attr(e, "name").unwrap_or_default(),
                        declared: [
                            num(e, "tests"),
                            num(e, "failures"),
                            num(e, "errors"),
                            skipped_declared(e),
                        ],
                        counted: Counts::default(),
                        time: secs(e),
                        case_time: 0.0,
                    };
                    if empty {
                        close_suite(frame, &mut suites, &mut rep);
                    } else {
                        suites.push(frame);
                    }
                }
                "testcase" => {
                    let name = match (attr(e, "classname"), attr(e, "name")) {
                        (Some(c), Some(n)) if !c.is_empty() => format!("{c} › {n}"),
                        (_, Some(n)) => n,
                        (Some(c), None) => c,
                        (None, None) => "(unnamed test)".into(),
                    };
                    if case.is_some() {
                        // No runner writes this; reading on would lose the outer case
                        // and its outcome.
                        return Err(format!(
                            "a <testcase> inside another <testcase> (`{name}`): the outer case's result cannot be read"
                        ));
                    }
                    // A test that did not run is not a pass: JUnit 5 and Ant write
                    // `status="disabled"`, googletest `status="notrun"` or
                    // `result="suppressed"` for DISABLED_ tests.
                    let not_run = attr(e, "status").is_some_and(|v| {
                        matches!(
                            v.trim().to_ascii_lowercase().as_str(),
                            "disabled" | "notrun" | "not run" | "skipped" | "ignored"
                        )
                    }) || attr(e, "result").is_some_and(|v| {
                        matches!(
                            v.trim().to_ascii_lowercase().as_str(),
                            "suppressed" | "skipped"
                        )
                    });
                    let c = Case {
                        name,
                        time: secs(e),
                        outcome: if not_run {
                            Outcome::Skipped
                        } else {
                            Outcome::Passed
                        },
                        flaky: false,
                    };
                    if empty {
                        close_case(c, &mut suites, &mut rep, &mut all_case_time);
                    } else {
                        case = Some(c);
                    }
                }
                // A failure or error of the suite itself (Ant: a test class that does
                // not load): an errored test, never nothing.
                "failure" | "error" if case.is_none() && !suites.is_empty() => {
                    let suite = suites.last().map(|s| s.name.clone()).unwrap_or_default();
                    let name = format!(
                        "{} (the suite itself)",
                        if suite.is_empty() {
                            "(unnamed suite)"
                        } else {
                            &suite
                        }
                    );
                    rep.errored += 1;
                    rep.failures.push(format!("{name} ({tag})"));
                    if let Some(s) = suites.last_mut() {
                        s.counted.errors += 1;
                    }
                }
                // Surefire's reruns: a failed attempt before the one that passed.
                "flakyFailure" | "flakyError" if case.is_some() => {
                    if let Some(c) = case.as_mut() {
                        c.flaky = true;
                    }
                }
                "failure" | "error" | "skipped" if case.is_some() => {
                    let c = case.as_mut().expect("inside a test case");
                    let o = match tag.as_str() {
                        "failure" => Outcome::Failed,
                        "error" => Outcome::Errored,
                        _ => Outcome::Skipped,
                    };
                    // An error outranks a failure, which outranks a skip.
                    let rank = |o: Outcome| match o {
                        Outcome::Passed => 0,
                        Outcome::Skipped => 1,
                        Outcome::Failed => 2,
                        Outcome::Errored => 3,
                    };
                    if rank(o) > rank(c.outcome) {
                        c.outcome = o;
                    }
                }
                _ => {}
            }
        }
        match event {
            Event::End(e) => {
                depth = depth.saturating_sub(1);
                match e.local_name().as_ref() {
                    "testcase" => {
                        if let Some(c) = case.take() {
                            close_case(c, &mut suites, &mut rep, &mut all_case_time);
                        }
                    }
                    "testsuite" | "testsuites" => {
                        if let Some(frame) = suites.pop() {
                            close_suite(frame, &mut suites, &mut rep);
                        }
                    }
                    _ => {}
                }
            }
            Event::Eof => break,
            _ => {}
        }
        buf.clear();
    }
    if !saw_root {
        return Err(match text_first {
            None => "empty file: no <testsuites> or <testsuite> element".into(),
            Some(t) if t.starts_with(['{', '[']) => {
                "a JSON file, not a JUnit XML report: `reports:` reads JUnit XML; a JSON benchmark or metrics file is read by a metric's `from:`".into()
            }
            Some(t) => format!(
                "not a JUnit XML report: text and no <testsuites> or <testsuite> element (it starts `{t}`)"
            ),
        });
    }
    if depth != 0 || !suites.is_empty() {
        return Err("the file ends before its elements are closed (truncated?)".into());
    }
    rep.time = root_time
        .or(any_top_suite_time.then_some(top_suite_time))
        .or((all_case_time > 0.0).then_some(all_case_time));
    Ok(rep)
}

fn close_case(c: Case, suites: &mut [SuiteFrame], rep: &mut Report, all_case_time: &mut f64) {
    let mut k = Counts {
        tests: 1,
        ..Counts::default()
    };
    if c.flaky && c.outcome == Outcome::Passed {
        rep.flaky.push(c.name.clone());
    }
    match c.outcome {
        Outcome::Passed => rep.passed += 1,
        Outcome::Skipped => {
            rep.skipped += 1;
            k.skipped = 1;
        }
        Outcome::Failed => {
            rep.failed += 1;
            k.failures = 1;
            rep.failures.push(format!("{} (failure)", c.name));
        }
        Outcome::Errored => {
            rep.errored += 1;
            k.errors = 1;
            rep.failures.push(format!("{} (error)", c.name));
        }
    }
    let t = c.time.unwrap_or(0.0);
    *all_case_time += t;
    if let Some(s) = suites.last_mut() {
        s.counted.tests += k.tests;
        s.counted.failures += k.failures;
        s.counted.errors += k.errors;
        s.counted.skipped += k.skipped;
        s.case_time += t;
    }
}

fn close_suite(frame: SuiteFrame, suites: &mut [SuiteFrame], rep: &mut Report) {
    let mut c = frame.counted;
    let names = ["tests", "failures", "errors", "skipped"];
    let counted = [c.tests, c.failures, c.errors, c.skipped];
    let name = if frame.name.is_empty() {
        "(unnamed)".to_string()
    } else {
        frame.name.clone()
    };
    let mut wrong = vec![];
    for i in 0..4 {
        if let Some(d) = frame.declared[i]
            && d != counted[i]
        {
            wrong.push(format!("{}=\"{d}\" but {} counted", names[i], counted[i]));
        }
    }
    // A suite without a single test case that declares failures or errors: they are
    // counted (fail closed), so a report whose cases were lost does not read green.
    // Where cases exist, writers count differently (one per `<failure>` element, say),
    // and a difference is only reported (GN1102).
    let no_cases = counted[0] == 0;
    for (i, what) in [(1, "failure"), (2, "error")] {
        if !no_cases {
            break;
        }
        let Some(d) = frame.declared[i] else { continue };
        let excess = d.saturating_sub(counted[i]);
        if excess == 0 {
            continue;
        }
        if i == 1 {
            rep.failed = rep.failed.saturating_add(excess);
            c.failures += excess;
        } else {
            rep.errored = rep.errored.saturating_add(excess);
            c.errors += excess;
        }
        c.tests += excess;
        rep.failures.push(format!(
            "suite `{name}`: {excess} {what}{} it declares, no test case shows (counted as {})",
            if excess == 1 { "" } else { "s" },
            if i == 1 { "failing" } else { "errored" }
        ));
    }
    if !wrong.is_empty() {
        rep.inconsistencies
            .push(format!("suite `{name}` says {}", wrong.join(", ")));
    }
    let _ = frame.time;
    if let Some(parent) = suites.last_mut() {
        parent.counted.tests += c.tests;
        parent.counted.failures += c.failures;
        parent.counted.errors += c.errors;
        parent.counted.skipped += c.skipped;
        parent.case_time += frame.case_time;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(xml: &str) -> Result<Report, String> {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("r.xml");
        std::fs::write(&p, xml).unwrap();
        read(&p)
    }

    #[test]
    fn counts_children_and_reports_wrong_attributes() {
        let r = parse(
            r#"<?xml version="1.0"?>
<testsuites time="1.5"><testsuite name="a" tests="5" failures="0">
  <testcase classname="m" name="ok" time="0.1"/>
  <testcase name="bad"><failure message="x &lt; y"><![CDATA[ ]]> odd ✓ ]]></failure></testcase>
  <testcase name="err"><error/></testcase>
  <testcase name="skip"><skipped/></testcase>
  <testsuite name="inner"><testcase name="deep"/></testsuite>
</testsuite></testsuites>"#,
        )
        .unwrap();
        assert_eq!((r.passed, r.failed, r.errored, r.skipped), (2, 1, 1, 1));
        assert_eq!(r.time, Some(1.5));
        assert_eq!(r.failures, ["bad (failure)", "err (error)"]);
        assert_eq!(r.inconsistencies.len(), 1, "{:?}", r.inconsistencies);
        let root = parse(
            r#"<testsuites tests="3"><testsuite><testcase name="a"/></testsuite></testsuites>"#,
        )
        .unwrap();
        assert_eq!(
            root.inconsistencies,
            ["suite `testsuites` says tests=\"3\" but 1 counted"]
        );
        assert!(r.inconsistencies[0].contains("failures=\"0\" but 1 counted"));
    }

    #[test]
    fn rejects_what_is_not_a_report() {
        assert!(parse("").unwrap_err().contains("empty"));
        assert!(
            parse("<html/>")
                .unwrap_err()
                .contains("root element is <html>")
        );
        assert!(
            parse("<testsuite><testcase name='a'>")
                .unwrap_err()
                .contains("truncated")
        );
        assert!(parse("<testsuite><testcase></testsuite>").is_err());
    }

    /// Nothing that did not pass is counted as passed: disabled and not-run cases,
    /// an error of the suite itself, a case inside a case.
    #[test]
    fn what_did_not_run_or_pass_is_never_a_pass() {
        let r = parse(
            r#"<testsuite name="s" tests="4" disabled="2" skipped="1">
  <testcase name="a" status="disabled"/>
  <testcase name="DISABLED_b" status="notrun" result="suppressed"/>
  <testcase name="c"><skipped/></testcase>
  <testcase name="d" status="run" result="completed"/>
</testsuite>"#,
        )
        .unwrap();
        assert_eq!((r.passed, r.skipped), (1, 3));
        assert!(r.inconsistencies.is_empty(), "{:?}", r.inconsistencies);
        // Ant: a test class that fails to load is an <error> of the suite.
        let r = parse(
            r#"<testsuite name="com.x.BrokenTest" tests="0" errors="1"><error message="ClassNotFoundException"/></testsuite>"#,
        )
        .unwrap();
        assert_eq!((r.passed, r.errored), (0, 1));
        assert_eq!(r.failures, ["com.x.BrokenTest (the suite itself) (error)"]);
        assert!(r.inconsistencies.is_empty(), "{:?}", r.inconsistencies);
        let nested = parse(
            r#"<testsuite><testcase name="outer"><testcase name="inner"/><failure/></testcase></testsuite>"#,
        );
        assert!(nested.unwrap_err().contains("inside another <testcase>"));
    }

    #[test]
    fn a_test_that_passed_on_a_rerun_is_named_flaky() {
        let r = parse(
            r#"<testsuite name="s"><testcase classname="C" name="t"><flakyFailure message="timeout"/></testcase><testcase name="u"><failure/><rerunFailure/></testcase></testsuite>"#,
        )
        .unwrap();
        assert_eq!((r.passed, r.failed), (1, 1));
        assert_eq!(r.flaky, ["C › t"]);
    }

    #[test]
    fn encodings_times_and_odd_shapes_are_read_as_meant() {
        // ISO-8859-1 declared, a UTF-16 byte-order mark.
        let dir = tempfile::tempdir().unwrap();
        let latin = dir.path().join("latin.xml");
        let mut bytes =
            b"<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><testsuite><testcase name=\"caf"
                .to_vec();
        bytes.push(0xE9);
        bytes.extend_from_slice(b"\"><failure/></testcase></testsuite>");
        std::fs::write(&latin, bytes).unwrap();
        let r = read(&latin).unwrap();
        assert_eq!(r.failures, ["caf\u{e9} (failure)"]);
        let utf16 = dir.path().join("utf16.xml");
        let mut bytes = vec![0xFF, 0xFE];
        for u in "<testsuite><testcase name=\"a\"/></testsuite>".encode_utf16() {
            bytes.extend_from_slice(&u.to_le_bytes());
        }
        std::fs::write(&utf16, bytes).unwrap();
        assert_eq!(read(&utf16).unwrap().passed, 1);
        // UTF-8 labelled utf-16 (as .NET writes it), no byte-order mark: read as UTF-8.
        let mislabelled = dir.path().join("mislabelled.xml");
        std::fs::write(
            &mislabelled,
            "<?xml version=\"1.0\" encoding=\"utf-16\"?><testsuite><testcase name=\"caf\u{e9}\"/></testsuite>",
        )
        .unwrap();
        assert_eq!(read(&mislabelled).unwrap().passed, 1);
        // A decimal comma, a thousands separator beside a point.
        assert_eq!(seconds("0,288"), Some(0.288));
        assert_eq!(seconds("1,234.5"), Some(1234.5));
        assert_eq!(seconds("12.5"), Some(12.5));
        // <testsuites> inside <testsuites> is a group, not the root's end.
        let r = parse(
            r#"<testsuites tests="2"><testsuites tests="1"><testsuite tests="1"><testcase name="a"/></testsuite></testsuites><testsuite tests="1"><testcase name="b"/></testsuite></testsuites>"#,
        )
        .unwrap();
        assert_eq!(r.passed, 2);
        assert!(r.inconsistencies.is_empty(), "{:?}", r.inconsistencies);
        // Two reports in one file, or text after the root: refused, not summed.
        assert!(
            parse("<testsuite><testcase name='a'/></testsuite><testsuite><testcase name='b'/></testsuite>")
                .unwrap_err()
                .contains("second root element")
        );
        assert!(
            parse("<testsuite><testcase name='a'/></testsuite>garbage")
                .unwrap_err()
                .contains("text after the report ended")
        );
    }

    #[test]
    fn entities_are_never_expanded_nor_fetched() {
        // A billion-laughs DTD and an external entity: quick-xml reads no DTD, so
        // nothing is expanded (memory stays flat) and no file or URL is opened.
        let mut dtd =
            String::from("<?xml version=\"1.0\"?>\n<!DOCTYPE lolz [\n<!ENTITY lol \"lol\">\n");
        for i in 1..10 {
            let prev = if i == 1 {
                "lol".to_string()
            } else {
                format!("lol{}", i - 1)
            };
            dtd.push_str(&format!(
                "<!ENTITY lol{i} \"{}\">\n",
                format!("&{prev};").repeat(10)
            ));
        }
        dtd.push_str("<!ENTITY xxe SYSTEM \"file:///etc/passwd\">\n]>\n");
        let r = parse(&format!(
            "{dtd}<testsuites><testsuite name=\"s\"><testcase name=\"&lol9;&xxe;\"/></testsuite></testsuites>"
        ))
        .unwrap();
        assert_eq!(r.passed, 1);
        assert!(r.failures.is_empty());
        // Nesting deeper than any report is refused, not recursed into.
        let deep = format!(
            "{}{}",
            "<testsuite>".repeat(100_000),
            "</testsuite>".repeat(100_000)
        );
        assert!(parse(&deep).unwrap_err().contains("nest deeper"));
    }
}
