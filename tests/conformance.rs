//! JUnit conformance: the fixture suites other JUnit-reading tools keep
//! (`tests/fixtures/junit-peers/`: EnricoMi/publish-unit-test-result-action,
//! dorny/test-reporter, mikepenz/action-junit-report, with the counts each project
//! expects; googletest's and Ant's own output), read by the gonogo binary, file by file.
//! Every difference from a peer is listed, with the reason, in
//! `tests/fixtures/junit-peers/DIFFERENCES.tsv`; a difference not listed there, or a
//! listed one that no longer happens, fails the test.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

const PEERS: &[&str] = &["enricomi", "dorny", "mikepenz", "googletest", "ant"];

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/junit-peers")
}

/// One row of a peer's `expected.tsv`: counts it states (`None`: not stated).
struct Expected {
    peer: &'static str,
    file: String,
    /// tests, passed, failed, errored, skipped.
    counts: [Option<u64>; 5],
    /// The peer refuses the file (a parse error, "invalid format", "empty").
    refused: bool,
}

fn expected() -> Vec<Expected> {
    let mut out = vec![];
    for peer in PEERS {
        let text = std::fs::read_to_string(root().join(peer).join("expected.tsv")).unwrap();
        for line in text.lines().skip(1) {
            let cols: Vec<&str> = line.split('\t').collect();
            assert_eq!(cols.len(), 7, "{peer}: {line}");
            let counts = std::array::from_fn(|i| cols[1 + i].parse().ok());
            let all_blank = cols[1..6].iter().all(|c| *c == "-");
            let w = cols[6].to_lowercase();
            let refused = all_blank
                && (w.contains("pars")
                    || w.contains("invalid")
                    || w.contains("expects the warning"));
            out.push(Expected {
                peer,
                file: cols[0].to_string(),
                counts,
                refused,
            });
        }
    }
    out
}

fn gonogo(data: &Path, args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_gonogo"))
        .args(args)
        .arg("--data")
        .arg(data)
        .arg("--no-cache")
        .env("SOURCE_DATE_EPOCH", "1780272000")
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// What gonogo made of each file: its counts, or why it refused it.
fn read_all(rows: &[Expected]) -> BTreeMap<(String, String), Result<[u64; 5], String>> {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    let id = |i: usize| format!("r{i:03}");
    for (i, e) in rows.iter().enumerate() {
        let dir = data.join("releases").join(id(i));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::copy(root().join(e.peer).join(&e.file), dir.join("report.xml")).unwrap();
        std::fs::write(
            dir.join("release.yaml"),
            format!(
                "release: {{product: \"{}/{}\"}}\ntests:\n  suites:\n    - {{name: s, reports: [report.xml]}}\n",
                e.peer,
                e.file.replace('"', "")
            ),
        )
        .unwrap();
    }
    // The files gonogo refuses: GN1101 findings, by release.
    let (_, stdout, _) = gonogo(&data, &["check", "--message-format", "json"]);
    let mut refused: BTreeMap<String, String> = BTreeMap::new();
    for line in stdout.lines() {
        let v: serde_json::Value = serde_json::from_str(line).unwrap();
        if v["code"] != "GN1101" {
            assert_ne!(v["severity"], "error", "{line}");
            continue;
        }
        let file = v["file"].as_str().unwrap_or_default().replace('\\', "/");
        let rel = file
            .split("releases/")
            .nth(1)
            .unwrap()
            .split('/')
            .next()
            .unwrap();
        refused.insert(rel.to_string(), v["message"].as_str().unwrap().to_string());
    }
    for rel in refused.keys() {
        std::fs::remove_dir_all(data.join("releases").join(rel)).unwrap();
    }
    let site = tmp.path().join("site");
    let (code, _, err) = gonogo(&data, &["build", "--out", site.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    let mut out = BTreeMap::new();
    for (i, e) in rows.iter().enumerate() {
        let key = (e.peer.to_string(), e.file.clone());
        if let Some(why) = refused.get(&id(i)) {
            out.insert(key, Err(why.clone()));
            continue;
        }
        let facts: serde_json::Value = serde_json::from_str(
            &std::fs::read_to_string(site.join(id(i)).join("facts.json")).unwrap(),
        )
        .unwrap();
        let t = &facts["tests"]["totals"];
        let n = |k: &str| t[k].as_u64().unwrap();
        out.insert(
            key,
            Ok([
                n("total"),
                n("passed"),
                n("failed"),
                n("errored"),
                n("skipped"),
            ]),
        );
    }
    out
}

/// count.py's counts of each file (`counted.tsv`), or its parse error.
fn counted() -> BTreeMap<(String, String), Result<[u64; 5], String>> {
    let mut out = BTreeMap::new();
    for peer in PEERS {
        let text = std::fs::read_to_string(root().join(peer).join("counted.tsv")).unwrap();
        for line in text.lines().skip(1) {
            let cols: Vec<&str> = line.split('\t').collect();
            let n: Vec<Option<u64>> = cols[1..6].iter().map(|c| c.parse().ok()).collect();
            let v = match n.iter().copied().collect::<Option<Vec<u64>>>() {
                Some(v) => Ok([v[0], v[1], v[2], v[3], v[4]]),
                None => Err(cols[6].to_string()),
            };
            out.insert((peer.to_string(), cols[0].to_string()), v);
        }
    }
    out
}

/// Where gonogo's reading differs from the peer's, in words; None when they agree.
fn differs(e: &Expected, got: &Result<[u64; 5], String>) -> Option<String> {
    let all_blank = e.counts.iter().all(Option::is_none);
    match got {
        Err(why) if e.refused => {
            let _ = why;
            None
        }
        Err(why) if all_blank => Some(format!("refused ({why}); the peer states no counts")),
        Err(why) => Some(format!("refused ({why})")),
        Ok(c) if e.refused => Some(format!("read as {c:?}; the peer refuses the file")),
        Ok(_) if all_blank => None,
        Ok(c) => {
            // A peer without an error count counts errors as failures.
            let mut ours = *c;
            if e.counts[3].is_none() {
                ours[2] += ours[3];
            }
            let names = ["tests", "passed", "failed", "errored", "skipped"];
            let diffs: Vec<String> = (0..5)
                .filter_map(|i| {
                    let want = e.counts[i]?;
                    (want != ours[i]).then(|| format!("{} {} (peer {want})", names[i], ours[i]))
                })
                .collect();
            (!diffs.is_empty()).then(|| diffs.join(", "))
        }
    }
}

#[test]
fn peers_fixtures_are_read_as_their_authors_count_them() {
    let rows = expected();
    assert!(rows.len() >= 100, "{} fixtures", rows.len());
    let got = read_all(&rows);
    // The documented differences: peer, file, what differs (as `differs` words it), why.
    let listed_text = std::fs::read_to_string(root().join("DIFFERENCES.tsv")).unwrap();
    let mut listed: BTreeMap<(String, String), String> = BTreeMap::new();
    for line in listed_text.lines().skip(1).filter(|l| !l.trim().is_empty()) {
        let cols: Vec<&str> = line.split('\t').collect();
        assert_eq!(cols.len(), 4, "DIFFERENCES.tsv: {line}");
        assert!(!cols[3].trim().is_empty(), "no reason given: {line}");
        listed.insert((cols[0].into(), cols[1].into()), cols[2].into());
    }
    let plain = counted();
    let mut problems = vec![];
    let mut same = 0;
    let mut compared = 0;
    for e in &rows {
        let key = (e.peer.to_string(), e.file.clone());
        let g = &got[&key];
        let d = differs(e, g);
        if e.refused || e.counts.iter().any(Option::is_some) {
            compared += 1;
        }
        // Against an independent plain counter (count.py: one test per <testcase>,
        // error > failure > skipped > passed): never more passes, never fewer failing.
        if let (Ok(c), Some(Ok(p))) = (g, plain.get(&key))
            && (c[1] > p[1] || c[2] + c[3] < p[2] + p[3])
        {
            problems.push(format!(
                "{}/{}: gonogo {c:?}, count.py {p:?}: more passes or fewer failing",
                e.peer, e.file
            ));
        }
        let is_compared = e.refused || e.counts.iter().any(Option::is_some);
        match (d, listed.remove(&key)) {
            (None, None) if is_compared => same += 1,
            (None, None) => {}
            (Some(d), Some(l)) if d == l => {}
            (Some(d), Some(l)) => {
                problems.push(format!("{}/{}: now `{d}`, listed as `{l}`", e.peer, e.file))
            }
            (Some(d), None) => problems.push(format!("{}\t{}\t{d}\t(why?)", e.peer, e.file)),
            (None, Some(l)) => problems.push(format!(
                "{}/{}: listed as `{l}` but now agrees with the peer: drop the line",
                e.peer, e.file
            )),
        }
    }
    for ((peer, file), l) in listed {
        problems.push(format!("{peer}/{file}: listed (`{l}`) but not a fixture"));
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    eprintln!(
        "{} fixtures, {compared} with the peer's counts: {same} read alike",
        rows.len()
    );
}
