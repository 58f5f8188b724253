//! `gonogo init`: a starter project (being written).

pub fn run(_dir: &std::path::Path) -> anyhow::Result<bool> {
    anyhow::bail!("gonogo init is not available in this build yet")
}
