//! `gonogo schema`: the JSON Schema (draft 2020-12) of the data files, generated from
//! the types the loader reads them into (`crate::model`), so the two cannot drift.
//! Editors use it through the `# yaml-language-server: $schema=…` comment on the
//! first line of a data file; `schema/*.schema.json` in the repository hold the output.

use crate::cli::SchemaKind;
use crate::model::{ReleaseFile, SiteConfig};
use schemars::generate::SchemaSettings;

pub fn run(kind: SchemaKind) -> anyhow::Result<bool> {
    println!("{}", serde_json::to_string_pretty(&schema(kind))?);
    Ok(true)
}

/// The schema of one kind of data file.
pub fn schema(kind: SchemaKind) -> schemars::Schema {
    let generator = SchemaSettings::draft2020_12().into_generator();
    let (mut schema, title) = match kind {
        SchemaKind::Release => (
            generator.into_root_schema_for::<ReleaseFile>(),
            "gonogo release file (data/releases/<id>/*.yaml or data/releases/<id>.yaml)",
        ),
        SchemaKind::Site => (
            generator.into_root_schema_for::<SiteConfig>(),
            "gonogo site file (data/gonogo.yaml)",
        ),
    };
    schema.insert("title".into(), title.into());
    schema
}
