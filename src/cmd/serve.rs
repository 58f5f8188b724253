//! `gonogo serve`: live preview (being written).

use crate::cli::ServeArgs;

pub fn run(_a: &ServeArgs) -> anyhow::Result<bool> {
    anyhow::bail!("gonogo serve is not available in this build yet")
}
