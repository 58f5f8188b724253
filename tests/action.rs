//! `action.yml`, the composite GitHub Action: its steps' commands run as written,
//! with the inputs substituted as GitHub substitutes them. The install step
//! (`cargo install`, a release build) runs in CI (`.ci/run` sets
//! GONOGO_REQUIRE_TOOLS=1); elsewhere the binary under test stands in for it.

mod common;
use std::path::{Path, PathBuf};
use std::process::Command;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A step: its name, its run script and its environment.
type Step = (String, String, Vec<(String, String)>);

/// The action's steps with a script, `${{ inputs.x }}` replaced.
fn steps(inputs: &[(&str, &str)]) -> Vec<Step> {
    let text = std::fs::read_to_string(root().join("action.yml")).unwrap();
    let action: serde_json::Value = serde_saphyr::from_str(&text).unwrap();
    let defaults = action["inputs"].as_object().unwrap();
    let input = |name: &str| -> String {
        inputs
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v.to_string())
            .unwrap_or_else(|| defaults[name]["default"].as_str().unwrap().to_string())
    };
    let substitute = |s: &str| -> String {
        let mut out = s.to_string();
        for name in defaults.keys() {
            out = out.replace(&format!("${{{{ inputs.{name} }}}}"), &input(name));
        }
        assert!(
            !out.contains("${{"),
            "an expression the test does not know: {out}"
        );
        out
    };
    assert_eq!(action["runs"]["using"], "composite");
    action["runs"]["steps"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|s| {
            let run = s["run"].as_str()?;
            assert_eq!(s["shell"], "bash", "every step runs in bash");
            let env = s["env"]
                .as_object()
                .map(|m| {
                    m.iter()
                        .map(|(k, v)| (k.clone(), substitute(v.as_str().unwrap())))
                        .collect()
                })
                .unwrap_or_default();
            Some((
                s["name"].as_str().unwrap().to_string(),
                substitute(run),
                env,
            ))
        })
        .collect()
}

struct Runner {
    tmp: tempfile::TempDir,
    path: String,
}

impl Runner {
    fn new() -> Runner {
        let tmp = tempfile::tempdir().unwrap();
        common::copy_dir(&root().join("data"), &tmp.path().join("work/data"));
        std::fs::create_dir_all(tmp.path().join("runner")).unwrap();
        std::fs::write(tmp.path().join("github_path"), "").unwrap();
        let bin = Path::new(env!("CARGO_BIN_EXE_gonogo")).parent().unwrap();
        let path = format!("{}:{}", bin.display(), std::env::var("PATH").unwrap());
        Runner { tmp, path }
    }

    /// Runs one step's script in the workspace: (exit code, stdout, stderr).
    fn run(&self, script: &str, env: &[(String, String)]) -> (i32, String, String) {
        let out = Command::new("bash")
            .args(["-eo", "pipefail", "-c", script])
            .current_dir(self.tmp.path().join("work"))
            .envs(env.iter().map(|(k, v)| (k.as_str(), v.as_str())))
            .env("PATH", &self.path)
            .env("GITHUB_ACTION_PATH", root())
            .env("RUNNER_TEMP", self.tmp.path().join("runner"))
            .env("GITHUB_PATH", self.tmp.path().join("github_path"))
            .env("GONOGO_CACHE_DIR", self.tmp.path().join("cache"))
            // The install step's build, kept between runs beside the crate's own.
            .env("CARGO_TARGET_DIR", root().join("target/action-install"))
            .env("NO_COLOR", "1")
            .output()
            .unwrap();
        (
            out.status.code().unwrap_or(-1),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    }
}

#[test]
fn the_action_checks_annotates_writes_sarif_and_gates() {
    let mut r = Runner::new();
    let all = steps(&[]);
    let names: Vec<&str> = all.iter().map(|(n, _, _)| n.as_str()).collect();
    assert_eq!(names, ["Install gonogo", "Check the readiness data"]);
    let (_, install, install_env) = &all[0];
    if std::env::var_os("GONOGO_REQUIRE_TOOLS").is_some() {
        let (code, _, err) = r.run(install, install_env);
        assert_eq!(code, 0, "the install step failed:\n{err}");
        let added = std::fs::read_to_string(r.tmp.path().join("github_path")).unwrap();
        let bin = added.trim();
        assert!(Path::new(bin).join("gonogo").is_file(), "{added}");
        // The later steps find the installed gonogo first, as on GitHub.
        r.path = format!("{bin}:{}", r.path);
    } else {
        eprintln!(
            "action.yml's install step (cargo install, a release build) is not run here; .ci/run runs it"
        );
    }

    // The example data, no gate: consistent, a SARIF log with no results.
    let (_, check, env) = &steps(&[])[1];
    let (code, out, err) = r.run(check, env);
    assert_eq!(code, 0, "{out}{err}");
    let sarif: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(r.tmp.path().join("work/gonogo.sarif")).unwrap(),
    )
    .unwrap();
    assert_eq!(sarif["runs"][0]["results"].as_array().unwrap().len(), 0);

    // With the gate: the NO-GO releases fail it, annotated, and in the SARIF log.
    let (_, check, env) = &steps(&[("require", "go"), ("sarif-file", "gate.sarif")])[1];
    let (code, out, err) = r.run(check, env);
    assert_eq!(code, 1, "{out}{err}");
    assert!(
        out.contains("::error file=data/releases/studio-pod-1.1/release.yaml,title=GN0803"),
        "{out}"
    );
    let sarif: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(r.tmp.path().join("work/gate.sarif")).unwrap(),
    )
    .unwrap();
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    assert!(
        results.iter().all(|x| x["ruleId"] == "GN0803"),
        "{results:?}"
    );
    assert_eq!(results.len(), 4);

    // One GO release under the gate passes it.
    let (_, check, env) = &steps(&[("require", "go"), ("release", "studio-pod-1.0")])[1];
    let (code, out, err) = r.run(check, env);
    assert_eq!(code, 0, "{out}{err}");
}
