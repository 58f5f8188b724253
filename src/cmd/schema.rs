//! `gonogo schema`: the JSON Schema of the data files (being written).

use crate::cli::SchemaKind;

pub fn run(_kind: SchemaKind) -> anyhow::Result<bool> {
    anyhow::bail!("gonogo schema is not available in this build yet")
}
