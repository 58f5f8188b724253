//! Every rule fires on one input and stays silent on a near-identical one.

use super::gonogo;
use std::path::Path;

type Files = Vec<(String, String)>;

/// The examples, as `gonogo explain --json` prints them: (code, fails, passes).
fn cases() -> Vec<(String, Files, Files)> {
    let (code, out, err) = gonogo(
        &["explain", "--json"],
        Path::new(env!("CARGO_MANIFEST_DIR")),
    );
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let files = |x: &serde_json::Value| -> Files {
        x.as_array()
            .unwrap()
            .iter()
            .map(|f| {
                (
                    f["name"].as_str().unwrap().to_string(),
                    f["text"].as_str().unwrap().to_string(),
                )
            })
            .collect()
    };
    v.as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["code"].as_str().unwrap().to_string(),
                files(&r["fails"]),
                files(&r["passes"]),
            )
        })
        .collect()
}

/// Content `@path` copies a real report from tests/fixtures/reports/; `@path|a|b`
/// copies it with `a` replaced by `b`.
fn content(text: &str) -> String {
    let Some(spec) = text.strip_prefix('@') else {
        return text.to_string();
    };
    let mut parts = spec.split('|');
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/reports")
        .join(parts.next().unwrap());
    let mut s = std::fs::read_to_string(path).unwrap();
    if let (Some(a), Some(b)) = (parts.next(), parts.next()) {
        assert!(s.contains(a), "{a} not in {spec}");
        s = s.replacen(a, b, 1);
    }
    s
}

fn run_case(code: &str, files: &[(String, String)]) -> (i32, Vec<String>, String) {
    let tmp = tempfile::tempdir().unwrap();
    let rel = tmp.path().join("releases/example");
    let mut options: Vec<String> = vec![];
    for (name, text) in files {
        // `$ARGS`: the options the example is checked with.
        if name == "$ARGS" {
            options.extend(text.split_whitespace().map(String::from));
            continue;
        }
        // A name with a folder is a path under releases/ (another release).
        let path = if name.contains('/') {
            rel.parent().unwrap().join(name)
        } else {
            rel.join(name)
        };
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, content(text)).unwrap();
    }
    // GN13xx are the rules of `gonogo audit`, which reads Markdown files as given.
    let audited: Vec<String> = files
        .iter()
        .filter(|_| code.starts_with("GN13"))
        .map(|(n, _)| rel.join(n).to_str().unwrap().to_string())
        .collect();
    let mut args: Vec<&str> = vec![
        "check",
        "--deny",
        "warnings",
        "--data",
        tmp.path().to_str().unwrap(),
    ];
    args.extend(options.iter().map(String::as_str));
    if !audited.is_empty() {
        args = vec!["audit"];
        args.extend(audited.iter().map(String::as_str));
    }
    let (code, _, err) = gonogo(&args, Path::new(env!("CARGO_MANIFEST_DIR")));
    let codes = err
        .lines()
        .filter_map(|l| {
            l.strip_prefix("error[")
                .or_else(|| l.strip_prefix("warning["))
        })
        .map(|l| l[..6].to_string())
        .collect();
    (code, codes, err)
}

#[test]
fn every_rule_fires_and_stays_silent() {
    for (code, fail, pass) in cases() {
        let (rc, codes, err) = run_case(&code, &fail);
        assert_eq!(rc, 1, "{code} should fail:\n{err}");
        assert!(codes.contains(&code), "{code} did not fire:\n{err}");
        let (rc, codes, err) = run_case(&code, &pass);
        assert!(
            !codes.contains(&code),
            "{code} fired on the passing case:\n{err}"
        );
        assert_eq!(rc, 0, "{code} passing case should be clean:\n{err}");
    }
}

#[test]
fn every_catalogued_code_has_examples_and_docs() {
    let cases = cases();
    assert!(cases.len() >= 30);
    let readme =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap();
    for (code, fail, pass) in &cases {
        assert!(
            !fail.is_empty() && !pass.is_empty(),
            "{code} needs a failing and a passing example"
        );
        let (rc, text, _) = gonogo(&["explain", code], Path::new(env!("CARGO_MANIFEST_DIR")));
        assert_eq!(rc, 0);
        assert!(
            text.contains("Fails:") && text.contains("Passes:"),
            "{code}:\n{text}"
        );
        assert!(
            readme.contains(code.as_str()),
            "README's rule catalogue lacks {code}"
        );
    }
}

#[test]
fn every_code_the_source_can_emit_is_explained_with_examples() {
    // Every `"GNnnnn"` literal in src/ is a code some run can print; `gonogo explain`
    // must have it, with a failing and a passing example (run by the test above).
    let explained: std::collections::BTreeSet<String> =
        cases().into_iter().map(|(code, _, _)| code).collect();
    let mut emitted = std::collections::BTreeSet::new();
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    for e in walkdir::WalkDir::new(&src)
        .into_iter()
        .filter_map(Result::ok)
    {
        if e.path().extension().is_none_or(|x| x != "rs") {
            continue;
        }
        let text = std::fs::read_to_string(e.path()).unwrap();
        let bytes = text.as_bytes();
        for (i, _) in text.match_indices("\"GN") {
            let code = &bytes[i + 1..(i + 7).min(bytes.len())];
            if code.len() == 6
                && code[2..].iter().all(u8::is_ascii_digit)
                && bytes.get(i + 7) == Some(&b'"')
            {
                emitted.insert(String::from_utf8(code.to_vec()).unwrap());
            }
        }
    }
    assert!(emitted.len() >= 30, "{emitted:?}");
    let missing: Vec<&String> = emitted.difference(&explained).collect();
    assert!(
        missing.is_empty(),
        "codes the source can emit that `explain` lacks: {missing:?}"
    );
}
