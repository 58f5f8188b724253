//! `gonogo schema`: the emitted JSON Schema is valid draft 2020-12, equals the committed
//! `schema/*.schema.json`, accepts every example data file, and rejects what the loader
//! rejects for an unknown key.

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Runs the real binary: (exit code, stdout, stderr).
fn gonogo(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_gonogo"))
        .args(args)
        .current_dir(root())
        // A fixed build time after every date in the fixtures (2026-06-01).
        .env("SOURCE_DATE_EPOCH", "1780272000")
        .env("NO_COLOR", "1")
        .output()
        .expect("run gonogo");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// The output of `gonogo schema <kind>`.
fn schema_text(kind: &str) -> String {
    let (code, out, err) = gonogo(&["schema", kind]);
    assert_eq!(code, 0, "gonogo schema {kind} failed:\n{err}");
    out
}

fn schema(kind: &str) -> Value {
    serde_json::from_str(&schema_text(kind)).expect("the schema is JSON")
}

fn validator(kind: &str) -> jsonschema::Validator {
    let s = schema(kind);
    jsonschema::draft202012::meta::validate(&s)
        .unwrap_or_else(|e| panic!("the {kind} schema is not valid draft 2020-12: {e}"));
    jsonschema::draft202012::new(&s).expect("the schema compiles")
}

/// A YAML file read as JSON, the way an editor's YAML language server sees it.
fn yaml(text: &str) -> Value {
    serde_saphyr::from_str::<Value>(text).expect("valid YAML")
}

/// The schema errors of one YAML text, one line each.
fn errors(v: &jsonschema::Validator, text: &str) -> Vec<String> {
    let value = yaml(text);
    v.iter_errors(&value)
        .map(|e| format!("{}: {e}", e.instance_path()))
        .collect()
}

/// The YAML files of a data folder: (path, is the site file).
fn data_files(dir: &Path) -> Vec<(PathBuf, bool)> {
    let mut out = vec![];
    for entry in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let entry = entry.unwrap();
        let p = entry.path();
        if p.extension().is_some_and(|e| e == "yaml" || e == "yml") {
            out.push((p.to_path_buf(), p == dir.join("gonogo.yaml")));
        }
    }
    out
}

#[test]
fn schemas_are_draft_2020_12_with_a_title() {
    for kind in ["release", "site"] {
        let s = schema(kind);
        assert_eq!(
            s["$schema"], "https://json-schema.org/draft/2020-12/schema",
            "{kind}"
        );
        assert!(s["title"].as_str().is_some_and(|t| !t.is_empty()), "{kind}");
        assert_eq!(s["additionalProperties"], false, "{kind}");
        validator(kind);
    }
    // `release` is the default.
    let (code, out, _) = gonogo(&["schema"]);
    assert_eq!(code, 0);
    assert_eq!(out, schema_text("release"));
}

/// Every object in the schema denies unknown keys, and every property is described.
#[test]
fn every_object_is_closed_and_every_field_described() {
    fn walk(v: &Value, at: &str, problems: &mut Vec<String>) {
        match v {
            Value::Object(m) => {
                if m.get("type").is_some_and(|t| t == "object") {
                    if m.get("additionalProperties") != Some(&Value::Bool(false)) {
                        problems.push(format!("{at}: additionalProperties is not false"));
                    }
                    for (name, p) in m.get("properties").and_then(Value::as_object).unwrap() {
                        if !p.get("description").is_some_and(Value::is_string) {
                            problems.push(format!("{at}.{name}: no description"));
                        }
                    }
                }
                for (k, x) in m {
                    walk(x, &format!("{at}/{k}"), problems);
                }
            }
            Value::Array(a) => a.iter().for_each(|x| walk(x, at, problems)),
            _ => {}
        }
    }
    for kind in ["release", "site"] {
        let s = schema(kind);
        let mut problems = vec![];
        walk(&s, kind, &mut problems);
        for (name, def) in s["$defs"].as_object().unwrap() {
            if !def.get("description").is_some_and(Value::is_string) {
                problems.push(format!("{kind}: $defs/{name} has no description"));
            }
        }
        assert!(problems.is_empty(), "{}", problems.join("\n"));
    }
}

#[test]
fn committed_schema_files_are_current() {
    for kind in ["release", "site"] {
        let path = root().join(format!("schema/{kind}.schema.json"));
        let committed = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            committed == schema_text(kind),
            "{} is out of date: run `cargo run -- schema {kind} > schema/{kind}.schema.json`",
            path.display()
        );
    }
}

#[test]
fn example_data_files_point_at_the_schema_and_validate() {
    let release = validator("release");
    let site = validator("site");
    let data = root().join("data");
    let files = data_files(&data);
    assert!(files.len() >= 6, "{files:?}");
    let mut problems = vec![];
    for (path, is_site) in files {
        let text = std::fs::read_to_string(&path).unwrap();
        // The first line names the schema by a relative path that exists.
        let first = text.lines().next().unwrap_or("");
        let kind = if is_site { "site" } else { "release" };
        match first.strip_prefix("# yaml-language-server: $schema=") {
            Some(rel) => {
                let target = path.parent().unwrap().join(rel);
                let want = root().join(format!("schema/{kind}.schema.json"));
                if target.canonicalize().ok() != want.canonicalize().ok() {
                    problems.push(format!(
                        "{}: $schema={rel} is not {}",
                        path.display(),
                        want.display()
                    ));
                }
            }
            None => problems.push(format!(
                "{}: no yaml-language-server comment",
                path.display()
            )),
        }
        let v = if is_site { &site } else { &release };
        for e in errors(v, &text) {
            problems.push(format!("{}: {e}", path.display()));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// The as-written fixtures hold valid data with wrong claims: they fit the schema.
#[test]
fn as_written_fixtures_validate() {
    let release = validator("release");
    let site = validator("site");
    let dir = root().join("tests/fixtures/as-written");
    let mut problems = vec![];
    let mut n = 0;
    for fixture in std::fs::read_dir(&dir).unwrap() {
        let fixture = fixture.unwrap().path();
        for (path, is_site) in data_files(&fixture) {
            n += 1;
            let text = std::fs::read_to_string(&path).unwrap();
            let v = if is_site { &site } else { &release };
            for e in errors(v, &text) {
                problems.push(format!("{}: {e}", path.display()));
            }
        }
    }
    assert!(n >= 8, "only {n} files");
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// The starter files `gonogo init` and `gonogo new release` write fit the schema too.
#[test]
fn starter_files_validate() {
    let mut problems = vec![];
    for (kind, file) in [("site", "gonogo.yaml"), ("release", "release.yaml")] {
        let path = root().join("templates/starter").join(file);
        let text = std::fs::read_to_string(&path).unwrap();
        for e in errors(&validator(kind), &text) {
            problems.push(format!("{}: {e}", path.display()));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// Writes a data folder with a minimal site file and one release file.
fn data_folder(release: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("gonogo.yaml"), "title: Test\n").unwrap();
    std::fs::create_dir_all(dir.path().join("releases/x")).unwrap();
    std::fs::write(dir.path().join("releases/x/release.yaml"), release).unwrap();
    dir
}

fn check(dir: &Path) -> (i32, String) {
    let (code, out, err) = gonogo(&["check", "--data", dir.to_str().unwrap()]);
    (code, format!("{out}{err}"))
}

#[test]
fn an_unknown_key_fails_the_schema_and_the_loader() {
    let text = "release: {product: X, prodcut: Y}\n";
    let errs = errors(&validator("release"), text);
    assert!(!errs.is_empty(), "the schema accepts an unknown key");
    let dir = data_folder(text);
    let (code, out) = check(dir.path());
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("GN0001"), "{out}");

    // The same at the top level and in the site file.
    assert!(!errors(&validator("release"), "release: {product: X}\nrisk: []\n").is_empty());
    assert!(!errors(&validator("site"), "title: T\ntitel: T\n").is_empty());
    // And the file without the typo passes both.
    let good = "release: {product: X}\n";
    assert!(errors(&validator("release"), good).is_empty());
    let dir = data_folder(good);
    let (code, out) = check(dir.path());
    assert!(!out.contains("GN0001"), "{out}");
    assert_eq!(code, 0, "{out}");
}

/// Words are read leniently (any case, `-`, `_` or a space between words, aliases):
/// what the loader accepts, the schema accepts, and a word it rejects the schema rejects.
#[test]
fn lenient_words_match_the_loader() {
    let v = validator("release");
    let ok = "release:\n  product: X\n  decision: go_with_conditions\n  status: Not-Ready\n  risk_level: ' MEDIUM '\n\
              risks:\n  items: [{ title: T, level: High, status: MITIGATED }]\n\
              policy:\n  go: { max_open_risk: None }\n\
              tests:\n  manual:\n    scenarios: [{ name: S, result: not_run }, { name: T, result: passed }]\n\
              approvals:\n  signoffs: [{ role: R, status: approved with conditions }]\n\
              rollback:\n  triggers: [{ condition: C, kind: Auto }]\n\
              checklists: [{ title: T, items: [{ title: I, priority: nice to have }] }]\n";
    assert_eq!(errors(&v, ok), Vec::<String>::new());
    let dir = data_folder(ok);
    let (_, out) = check(dir.path());
    assert!(!out.contains("GN0001"), "{out}");

    for bad in [
        "release: {product: X, decision: maybe}\n",
        "release: {product: X, decision: go  with conditions}\n",
        "release: {product: X}\nrisks: {items: [{title: T, level: severe, status: open}]}\n",
    ] {
        assert!(!errors(&v, bad).is_empty(), "the schema accepts {bad}");
        let dir = data_folder(bad);
        let (code, out) = check(dir.path());
        assert_eq!(code, 1, "{bad}: {out}");
        assert!(out.contains("GN0001"), "{bad}: {out}");
    }
}
