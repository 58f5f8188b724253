//! `deploy.ics`: deployment day as an iCalendar file, read back with a real parser
//! (the icalendar crate's), in the release's time zone, daylight-saving changes in
//! its VTIMEZONE, folded and CRLF-ended as RFC 5545 requires, the same bytes twice.

use icalendar::parser::{Component, read_calendar, unfold};
use std::path::{Path, PathBuf};
use std::process::Command;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn build(data: &Path, out: &Path) {
    let o = Command::new(env!("CARGO_BIN_EXE_gonogo"))
        .args(["build", "--no-cache", "--data"])
        .arg(data)
        .arg("--out")
        .arg(out)
        .env("SOURCE_DATE_EPOCH", "1780272000")
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
}

fn prop<'a>(c: &'a Component, name: &str) -> Option<&'a icalendar::parser::Property<'a>> {
    c.properties.iter().find(|p| p.name.as_str() == name)
}

fn value(c: &Component, name: &str) -> String {
    prop(c, name)
        .map(|p| p.val.as_str().to_string())
        .unwrap_or_default()
}

fn tzid(c: &Component, name: &str) -> String {
    prop(c, name)
        .and_then(|p| p.params.iter().find(|x| x.key.as_str() == "TZID"))
        .and_then(|x| x.val.as_ref().map(|v| v.as_str().to_string()))
        .unwrap_or_default()
}

/// The raw file keeps RFC 5545's line rules: CRLF, at most 75 octets a line.
fn well_formed(text: &str) {
    assert!(text.ends_with("\r\n"));
    for line in text.split("\r\n").filter(|l| !l.is_empty()) {
        assert!(line.len() <= 75, "{} octets: {line}", line.len());
        assert!(!line.contains('\n'), "a bare LF: {line:?}");
    }
}

#[test]
fn the_example_release_calendar_reads_back_in_its_time_zone() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("site");
    build(&root().join("data"), &out);
    let text = std::fs::read_to_string(out.join("studio-pod-1.0/deploy.ics")).unwrap();
    well_formed(&text);
    let unfolded = unfold(&text);
    let cal = read_calendar(&unfolded).unwrap();
    assert!(text.starts_with("BEGIN:VCALENDAR\r\n"));
    let version = cal.properties.iter().find(|p| p.name.as_str() == "VERSION");
    assert_eq!(version.map(|p| p.val.as_str()), Some("2.0"));
    let top = &cal;
    let tz: Vec<&Component> = top
        .components
        .iter()
        .filter(|c| c.name.as_str() == "VTIMEZONE")
        .collect();
    assert_eq!(tz.len(), 1);
    assert_eq!(value(tz[0], "TZID"), "America/New_York");
    let events: Vec<&Component> = top
        .components
        .iter()
        .filter(|c| c.name.as_str() == "VEVENT")
        .collect();
    let deploy = events[0];
    assert_eq!(value(deploy, "SUMMARY"), "Deployment: Studio Pod 1.0");
    // The runbook's window, 05:30 to 07:30 local.
    assert_eq!(value(deploy, "DTSTART"), "20251225T053000");
    assert_eq!(tzid(deploy, "DTSTART"), "America/New_York");
    assert_eq!(value(deploy, "DTEND"), "20251225T073000");
    // Checkpoints without a time of their own are listed on the deployment event.
    assert!(
        value(deploy, "DESCRIPTION").contains("Run smoke tests"),
        "{text}"
    );
    // Each timed phase is an event; every UID differs; DTSTAMP is in UTC.
    assert!(events.len() >= 2);
    let mut uids: Vec<String> = events.iter().map(|e| value(e, "UID")).collect();
    uids.sort();
    uids.dedup();
    assert_eq!(uids.len(), events.len());
    assert!(events.iter().all(|e| value(e, "DTSTAMP").ends_with('Z')));
    // Linked from the report and the runbook.
    for page in ["index.html", "runbook.html", "index.md", "runbook.md"] {
        let p = std::fs::read_to_string(out.join("studio-pod-1.0").join(page)).unwrap();
        assert!(p.contains("deploy.ics"), "{page}");
    }
    // The same input gives the same bytes.
    let again = tmp.path().join("again");
    build(&root().join("data"), &again);
    assert_eq!(
        std::fs::read(again.join("studio-pod-1.0/deploy.ics")).unwrap(),
        text.as_bytes()
    );
    // A release without a deployment time has no calendar, and no link to one.
    assert!(!out.join("deployment-framework/deploy.ics").exists());
    let p = std::fs::read_to_string(out.join("deployment-framework/index.html")).unwrap();
    assert!(!p.contains("deploy.ics"));
}

/// Deployment on the night Berlin moves its clocks forward: the VTIMEZONE holds
/// both offsets and the instant of the change; a UTC release is written in UTC.
#[test]
fn a_night_of_a_clock_change_and_a_utc_release() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    std::fs::create_dir_all(data.join("releases/web-2.0")).unwrap();
    std::fs::create_dir_all(data.join("releases/api-3.1")).unwrap();
    std::fs::write(data.join("gonogo.yaml"), "title: T\n").unwrap();
    std::fs::write(
        data.join("releases/web-2.0/release.yaml"),
        "release: {product: Web, version: \"2.0\", timezone: Europe/Berlin, deploy: 2026-03-29 01:30}\nrunbook:\n  phases:\n    - { title: \"Migrate; then verify, carefully\", start: \"01:30\", end: \"04:00\", items: [{ title: Smoke tests pass, at: T+2h, checkpoint: true }] }\n",
    )
    .unwrap();
    std::fs::write(
        data.join("releases/api-3.1/release.yaml"),
        "release: {product: API, version: \"3.1\", timezone: UTC, deploy: 2026-05-05 09:00}\n",
    )
    .unwrap();
    let out = tmp.path().join("site");
    build(&data, &out);
    let text = std::fs::read_to_string(out.join("web-2.0/deploy.ics")).unwrap();
    well_formed(&text);
    let unfolded = unfold(&text);
    let cal = read_calendar(&unfolded).unwrap();
    let top = &cal;
    let tz = top
        .components
        .iter()
        .find(|c| c.name.as_str() == "VTIMEZONE")
        .unwrap();
    let kinds: Vec<(String, String, String)> = tz
        .components
        .iter()
        .map(|c| {
            (
                c.name.as_str().to_string(),
                value(c, "TZOFFSETTO"),
                value(c, "DTSTART"),
            )
        })
        .collect();
    assert_eq!(
        kinds,
        [
            (
                "STANDARD".to_string(),
                "+0100".to_string(),
                "20260328T013000".to_string()
            ),
            (
                "DAYLIGHT".to_string(),
                "+0200".to_string(),
                "20260329T020000".to_string()
            ),
        ]
    );
    let events: Vec<&Component> = top
        .components
        .iter()
        .filter(|c| c.name.as_str() == "VEVENT")
        .collect();
    // The phase: 01:30 CET to 04:00 CEST, written as the clocks show them.
    let phase = events
        .iter()
        .find(|e| value(e, "SUMMARY").starts_with("Migrate"))
        .unwrap();
    assert_eq!(value(phase, "DTSTART"), "20260329T013000");
    assert_eq!(value(phase, "DTEND"), "20260329T040000");
    // Text is escaped: the parser gives the commas and semicolons back.
    assert!(
        text.contains("SUMMARY:Migrate\\; then verify\\, carefully (Web 2.0)"),
        "{text}"
    );
    // T+2h from 01:30 CET is 04:30 CEST (the clocks skipped an hour).
    let check = events
        .iter()
        .find(|e| value(e, "SUMMARY").starts_with("Checkpoint"))
        .unwrap();
    assert_eq!(value(check, "DTSTART"), "20260329T043000");
    // UTC: no VTIMEZONE, times end in Z.
    let utc = std::fs::read_to_string(out.join("api-3.1/deploy.ics")).unwrap();
    well_formed(&utc);
    assert!(!utc.contains("VTIMEZONE"));
    assert!(utc.contains("DTSTART:20260505T090000Z"), "{utc}");
    read_calendar(&unfold(&utc)).unwrap();
}
