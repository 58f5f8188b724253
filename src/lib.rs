//! gonogo: release readiness as a build. See README.md.
//!
//! The binary in `main.rs` is a thin shell over [`run`]; the library exists so the
//! fuzz targets under `fuzz/` can reach the loader and the renderer directly.

mod amount;
mod audit;
mod cache;
mod check;
mod cli;
mod cmd;
mod diag;
mod examples;
mod facts;
#[doc(hidden)]
pub mod fuzz;
mod ingest;
mod inside;
mod load;
mod model;
mod par;
mod pdf;
mod prose;
mod render;
mod report;
mod textdate;
mod when;
mod write;

pub use cli::Cli;

/// Runs one parsed command line: `Ok(true)` when everything passed, `Ok(false)` when
/// findings fail the run (exit 1), `Err` when the run could not be done (exit 2).
pub fn run(cli: Cli) -> anyhow::Result<bool> {
    cmd::run(cli)
}
