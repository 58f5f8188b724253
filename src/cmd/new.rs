//! `gonogo new release`: a release from an earlier one (being written).

use crate::cli::NewCommand;

pub fn run(_what: NewCommand) -> anyhow::Result<bool> {
    anyhow::bail!("gonogo new is not available in this build yet")
}
