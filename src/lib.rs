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
mod import;
mod ingest;
mod inside;
mod load;
mod mistakes;
mod model;
mod par;
mod pdf;
mod prose;
mod render;
mod report;
mod signing;
mod textdate;
mod when;
mod write;

pub use cli::Cli;

/// A run that could not be done (exit 2): the error, and what to print on stdout for
/// it in the run's message format (JSON, GitHub annotations, SARIF; none for people).
pub struct Failure {
    pub error: anyhow::Error,
    pub stdout: Option<String>,
}

/// Runs one parsed command line: `Ok(true)` when everything passed, `Ok(false)` when
/// findings fail the run (exit 1), `Err` when the run could not be done (exit 2).
pub fn run(cli: Cli) -> Result<bool, Failure> {
    use cli::Command;
    let format = match &cli.command {
        Command::Build(a) => Some(a.common.output.message_format),
        Command::Check(a) => Some(a.output.message_format),
        Command::Serve(a) => Some(a.common.output.message_format),
        Command::Audit(a) => Some(a.output.message_format),
        _ => None,
    };
    cmd::run(cli).map_err(|error| {
        let causes: Vec<String> = error.chain().skip(1).map(|c| c.to_string()).collect();
        let stdout = format.and_then(|f| report::failure(f, &error.to_string(), &causes));
        Failure { error, stdout }
    })
}
