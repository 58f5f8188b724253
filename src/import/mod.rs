//! `gonogo import FILE... [--data DIR]`: hand-written readiness documents turned into
//! draft releases, one folder per document under `DIR/releases/`, so that `gonogo
//! check` reports in the data model what `gonogo audit` reports in the text.
//!
//! Safe by construction: nothing existing is replaced (a release folder that exists
//! is refused before anything is written), every draft is loaded and checked in
//! memory before it is written (a draft gonogo could not read is a bug, and refused),
//! and each folder is written whole or not at all.

mod emit;
mod read;

use anyhow::{Context, Result, bail};
use std::path::{Path, PathBuf};

/// One document's draft, ready to be written.
struct Planned {
    id: String,
    yaml: String,
    facts: usize,
    claims: usize,
    narrative: usize,
}

pub fn run(files: &[PathBuf], data: &Path) -> Result<bool> {
    if files.is_empty() {
        bail!("name at least one document to import");
    }
    let releases = data.join("releases");
    let mut planned: Vec<Planned> = vec![];
    for file in files {
        let bytes = crate::inside::read_named(file).map_err(|e| anyhow::anyhow!("{e}"))?;
        let Some((mut text, note)) = crate::audit::decode(&bytes) else {
            bail!("{}: not a text file (it holds NUL bytes)", file.display());
        };
        if let Some(why) = note {
            eprintln!("{}: {why}", file.display());
        }
        if let Some(found) = crate::audit::encoding::scan(&text) {
            text = crate::audit::encoding::repair(&text, &found);
            eprintln!(
                "{}: double-encoded characters repaired in the draft",
                file.display()
            );
        }
        let id = unique_id(file, &releases, &planned)?;
        let draft = read::read(&text);
        let yaml = emit::yaml(&draft, &file.display().to_string());
        validate(&id, &yaml).with_context(|| {
            format!(
                "the draft of {} does not load; this is a bug in gonogo import, please report it with the document",
                file.display()
            )
        })?;
        planned.push(Planned {
            facts: facts(&draft),
            claims: claims(&draft),
            narrative: draft.narrative.len(),
            id,
            yaml,
        });
    }
    std::fs::create_dir_all(&releases)
        .with_context(|| format!("cannot create {}", releases.display()))?;
    let site = data.join("gonogo.yaml");
    if !site.exists() {
        crate::write::atomic_file(&site, SITE.as_bytes())?;
        eprintln!("wrote {}", site.display());
    }
    for p in &planned {
        // Written into a folder beside and renamed into place: whole or not at all.
        let staging = tempfile::Builder::new()
            .prefix(".gonogo-import-")
            .tempdir_in(&releases)
            .with_context(|| format!("cannot create a folder in {}", releases.display()))?;
        std::fs::write(staging.path().join("release.yaml"), &p.yaml)?;
        let target = releases.join(&p.id);
        let kept = staging.keep();
        if let Err(e) = std::fs::rename(&kept, &target) {
            let _ = std::fs::remove_dir_all(&kept);
            return Err(e).with_context(|| format!("cannot create {}", target.display()));
        }
        eprintln!(
            "wrote {}: {} facts, {} claims, {} narrative sections",
            target.join("release.yaml").display(),
            p.facts,
            p.claims,
            p.narrative
        );
    }
    eprintln!(
        "next: gonogo check --data {} (the claims are checked against the facts)",
        data.display()
    );
    Ok(true)
}

const SITE: &str = "# yaml-language-server: $schema=../schema/site.schema.json\n# Written by `gonogo import`: the default policy applies (see the README).\ntitle: Release readiness\ntimezone: UTC\n";

/// The release id: the document's file name in lower case, letters, digits and
/// dashes; refused when that release exists (nothing is replaced).
fn unique_id(file: &Path, releases: &Path, planned: &[Planned]) -> Result<String> {
    let stem = file
        .file_stem()
        .map(|s| s.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    let mut id = String::new();
    for c in stem.chars() {
        if c.is_ascii_alphanumeric() || c == '.' || c == '_' {
            id.push(c);
        } else if !id.ends_with('-') {
            id.push('-');
        }
    }
    let id = id.trim_matches(['-', '.', '_']).to_string();
    let id = if id.is_empty() {
        "imported".to_string()
    } else {
        id
    };
    if let Err(why) = crate::load::release_id_problem(&id) {
        bail!("{}: {why}", file.display());
    }
    if releases.join(&id).exists() || releases.join(format!("{id}.yaml")).exists() {
        bail!(
            "release `{id}` already exists in {}: nothing was written (import never replaces a release; remove it or rename the document)",
            releases.display()
        );
    }
    if planned.iter().any(|p| p.id.eq_ignore_ascii_case(&id)) {
        bail!(
            "{} would be imported as `{id}` like another document named here: rename one",
            file.display()
        );
    }
    Ok(id)
}

/// The draft, loaded in memory as `gonogo check` loads a release: an invalid value
/// (GN0001) or a release gonogo cannot read is an error.
fn validate(id: &str, yaml: &str) -> Result<()> {
    let dir = tempfile::tempdir()?;
    let root = crate::inside::Root::new(dir.path(), "the data folder")?;
    let p = crate::load::load_bytes(root, id, yaml.as_bytes().to_vec())?;
    let bad: Vec<String> = p
        .diagnostics
        .iter()
        .filter(|d| d.code.starts_with("GN000"))
        .map(|d| {
            let line = d
                .loc
                .map(|l| format!("line {}: ", l.line))
                .unwrap_or_default();
            format!("{line}{}", d.message)
        })
        .collect();
    if !bad.is_empty() || p.releases.is_empty() {
        bail!("{}", bad.join("; "));
    }
    Ok(())
}

fn facts(d: &read::Draft) -> usize {
    fn nodes(n: &[read::Node]) -> usize {
        n.iter().map(|k| 1 + nodes(&k.items)).sum()
    }
    usize::from(d.deploy.is_some())
        + d.suites.len()
        + d.metrics.len()
        + d.signoffs.len()
        + d.risks.len()
        + nodes(&d.checklists)
}

fn claims(d: &read::Draft) -> usize {
    fn nodes(n: &[read::Node]) -> usize {
        n.iter()
            .map(|k| usize::from(matches!(k.claim, read::Claim::Sum(_))) + nodes(&k.items))
            .sum()
    }
    usize::from(d.deploy.as_ref().is_some_and(|(w, _)| w.contains(',')))
        + usize::from(d.all_approved.is_some())
        + d.metrics.iter().filter(|m| m.better.is_some()).count()
        + nodes(&d.checklists)
}
