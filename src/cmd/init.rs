//! `gonogo init`: a commented starter project that builds with exit 0 and fails in an
//! instructive way when a claim is edited wrong (the comments say how).

use anyhow::{Context, Result, bail};
use std::path::Path;

const FILES: &[(&str, &str)] = &[
    (
        "data/gonogo.yaml",
        include_str!("../../templates/starter/gonogo.yaml"),
    ),
    (
        "data/releases/example-1.0/release.yaml",
        include_str!("../../templates/starter/release.yaml"),
    ),
    (
        "data/releases/example-1.0/reports/junit.xml",
        include_str!("../../templates/starter/junit.xml"),
    ),
];

pub fn run(dir: &Path) -> Result<bool> {
    if dir.join("data").exists() || dir.join("schema").exists() {
        bail!(
            "{} already has a data/ or schema/ folder; gonogo init does not overwrite anything",
            dir.display()
        );
    }
    // The schemas the data files name on their first line, for editor completion.
    let mut files: Vec<(&str, String)> = FILES.iter().map(|(p, t)| (*p, t.to_string())).collect();
    for (path, kind) in [
        (
            "schema/release.schema.json",
            crate::cli::SchemaKind::Release,
        ),
        ("schema/site.schema.json", crate::cli::SchemaKind::Site),
    ] {
        files.push((
            path,
            serde_json::to_string_pretty(&super::schema::schema(kind))? + "\n",
        ));
    }
    for (rel, text) in files {
        let path = dir.join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)
                .with_context(|| format!("cannot create {}", parent.display()))?;
        }
        std::fs::write(&path, text).with_context(|| format!("cannot write {}", path.display()))?;
    }
    let (data, out) = (dir.join("data"), dir.join("site"));
    eprintln!(
        "wrote a starter project in {}\n  gonogo check --data {}                    # consistent\n  gonogo build --data {} --out {}    # writes the site\nthen edit a claim as the comments in release.yaml suggest and check again.",
        dir.display(),
        data.display(),
        data.display(),
        out.display()
    );
    Ok(true)
}
