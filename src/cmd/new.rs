//! `gonogo new release <id> [--from <previous-id>]`: a new release with the structure
//! of an earlier one and its results cleared, so it starts as a blank form.

use crate::cli::NewCommand;
use anyhow::{Context, Result, bail};
use serde_json::Value;
use std::path::Path;

/// Keys that hold claims or results anywhere: dropped from the copy.
const DROPPED: &[&str] = &[
    "decision",
    "risk_level",
    "readiness",
    "better",
    "met",
    "all_approved",
    "approved",
    "pass_rate",
    "suite_count",
    "total",
    "progress",
    "counts",
    "actual",
    "from",
    "failures",
    "deploy",
    "last_updated",
];

pub fn run(what: NewCommand) -> Result<bool> {
    let NewCommand::Release {
        id,
        from,
        data,
        version,
    } = what;
    if let Err(why) = crate::load::release_id_problem(&id) {
        bail!("{why}");
    }
    let releases = data.join("releases");
    let target = releases.join(&id);
    if target.exists() || releases.join(format!("{id}.yaml")).exists() {
        bail!("release `{id}` already exists in {}", releases.display());
    }
    // An id that differs from another only in case would share its output folder on
    // macOS and Windows (GN0004): refused before anything is written.
    if let Ok(entries) = std::fs::read_dir(&releases) {
        for e in entries.flatten() {
            let name = e.file_name().to_string_lossy().into_owned();
            let other = name
                .strip_suffix(".yaml")
                .or_else(|| name.strip_suffix(".yml"))
                .unwrap_or(&name);
            if other != id && other.eq_ignore_ascii_case(&id) {
                bail!(
                    "release `{id}` differs from `{other}` only in case: both would write one output folder on case-insensitive file systems; choose another id"
                );
            }
        }
    }
    let Some(from) = from else {
        std::fs::create_dir_all(&target)
            .with_context(|| format!("cannot create {}", target.display()))?;
        let text = format!(
            "# Release {id}. Fill in the facts; `gonogo check` tells what is missing or contradictory.\nrelease:\n  product: {id}\n  version: \"{}\"\n  # deploy: 2026-01-15 06:00\n",
            version.as_deref().unwrap_or("0.1")
        );
        std::fs::write(target.join("release.yaml"), text)?;
        eprintln!("wrote {}", target.join("release.yaml").display());
        return Ok(true);
    };
    let source_dir = releases.join(&from);
    let files: Vec<std::path::PathBuf> = if source_dir.is_dir() {
        let mut f: Vec<_> = std::fs::read_dir(&source_dir)
            .with_context(|| format!("cannot read {}", source_dir.display()))?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| matches!(p.extension().and_then(|e| e.to_str()), Some("yaml" | "yml")))
            .collect();
        f.sort();
        f
    } else if releases.join(format!("{from}.yaml")).is_file() {
        vec![releases.join(format!("{from}.yaml"))]
    } else {
        bail!("no release `{from}` in {}", releases.display());
    };
    // Written into a staging folder and renamed into place: a failure leaves nothing.
    let staging = tempfile::Builder::new()
        .prefix(".gonogo-new-")
        .tempdir_in(&releases)
        .with_context(|| format!("cannot create a folder in {}", releases.display()))?;
    for f in files {
        let text =
            std::fs::read_to_string(&f).with_context(|| format!("cannot read {}", f.display()))?;
        let mut value: Value = serde_saphyr::from_str(&text)
            .map_err(|e| anyhow::anyhow!("{}: {}", f.display(), e.without_snippet()))?;
        // The commit is the earlier release's; it is what this one rolls back to.
        if let Some(info) = value.get_mut("release").and_then(Value::as_object_mut)
            && let Some(commit) = info.remove("commit")
        {
            info.insert("rollback_target".into(), commit);
        }
        clear(&mut value, None);
        if let (Some(v), Some(info)) = (
            &version,
            value.get_mut("release").and_then(Value::as_object_mut),
        ) {
            info.insert("version".into(), Value::String(v.clone()));
        }
        if let Some(obj) = value.as_object_mut() {
            // Results, and prose written about the earlier release's results.
            obj.remove("outcome");
            obj.remove("narrative");
        }
        let yaml = serde_saphyr::to_string(&value).context("cannot write YAML")?;
        // The source's comments, beside the keys still there (the editor-schema line
        // is written below).
        let commented: String = text
            .lines()
            .skip_while(|l| l.starts_with("# yaml-language-server:"))
            .map(|l| format!("{l}\n"))
            .collect();
        let yaml = super::comments::carry(&commented, &yaml);
        let name = f
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        // The editor-schema comment of the source file, if it had one.
        let schema_line = text
            .lines()
            .next()
            .filter(|l| l.starts_with("# yaml-language-server:"))
            .map(|l| format!("{l}\n"))
            .unwrap_or_default();
        let header = schema_line
            + &format!(
                "# Release {id}, made by `gonogo new release {id} --from {from}`: the structure of {from}\n# with its results, dates, claims, test reports and narrative cleared. Fill in the facts as\n# they arrive: `deploy`, test `reports` (or counts), metric values, sign-offs.\n"
            );
        write(&staging.path().join(&name), &(header + &yaml))?;
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        // A temporary folder is private (0700); a release folder is an ordinary one.
        let _ = std::fs::set_permissions(staging.path(), std::fs::Permissions::from_mode(0o755));
    }
    std::fs::rename(staging.path(), &target)
        .with_context(|| format!("cannot create {}", target.display()))?;
    let _ = staging.keep();
    eprintln!("wrote {} from {}", target.display(), source_dir.display());
    Ok(true)
}

fn write(path: &Path, text: &str) -> Result<()> {
    std::fs::write(path, text).with_context(|| format!("cannot write {}", path.display()))
}

/// Clears results in place: done → false, sign-offs pending and undated, scenarios not
/// run, typed test counts zero (report paths kept), tallies 0/n, claims removed.
fn clear(v: &mut Value, parent: Option<&str>) {
    match v {
        Value::Object(map) => {
            map.retain(|k, _| !DROPPED.contains(&k.as_str()));
            // The release's status and the risks' overall level are claims; a risk's
            // status and level are facts.
            match parent {
                Some("release") => {
                    map.remove("status");
                }
                Some("risks") => {
                    map.remove("level");
                }
                // The runbook's total is a claim: the sum of its phases.
                Some("runbook") => {
                    map.remove("duration");
                }
                _ => {}
            }
            for (k, child) in map.iter_mut() {
                match k.as_str() {
                    "done" => *child = Value::Bool(false),
                    "tally" => {
                        if let Value::Object(t) = child {
                            for r in t.values_mut() {
                                let total = r.as_str().and_then(|s| s.split('/').nth(1)).map(|s| {
                                    s.split_whitespace().next().unwrap_or("0").to_string()
                                });
                                *r = Value::String(format!(
                                    "0/{}",
                                    total.unwrap_or_else(|| "0".into())
                                ));
                            }
                        }
                    }
                    _ => clear(child, Some(k)),
                }
            }
            match parent {
                Some("signoffs") => {
                    map.insert("status".into(), Value::String("pending".into()));
                    map.remove("date");
                    map.remove("conditions");
                }
                Some("scenarios") => {
                    map.insert("result".into(), Value::String("not run".into()));
                    map.remove("duration");
                    map.remove("cases");
                }
                Some("suites") => {
                    // Reports are results too: the new release has none yet.
                    for key in [
                        "passed", "failed", "errored", "skipped", "duration", "reports",
                    ] {
                        map.remove(key);
                    }
                    map.insert("passed".into(), Value::from(0));
                }
                Some("manual") => {
                    map.remove("duration");
                    map.remove("cases");
                }
                _ => {}
            }
        }
        Value::Array(items) => {
            for item in items {
                clear(item, parent);
            }
        }
        _ => {}
    }
}
