//! Command-line definition (clap types only).

use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

#[derive(Parser, Debug)]
#[command(
    name = "gonogo",
    version,
    about = "Build a consistent release-readiness site from YAML facts, and fail when a stated number contradicts them.",
    after_help = "Exit status: 0 consistent, 1 contradictions or invalid data found, 2 gonogo could not run."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Check the data and write the site (nothing is written when a check fails).
    Build(BuildArgs),
    /// Check the data without writing anything.
    Check(CommonArgs),
    /// Print the long explanation of a rule, e.g. `gonogo explain GN0101`.
    Explain {
        /// A rule code such as GN0101; without it, list every rule.
        code: Option<String>,
    },
}

#[derive(Args, Debug)]
pub struct CommonArgs {
    /// Folder holding gonogo.yaml and releases/.
    #[arg(long, default_value = "data", value_name = "DIR")]
    pub data: PathBuf,
    /// When to colour messages.
    #[arg(long, value_enum, default_value_t = Color::Auto)]
    pub color: Color,
    /// Treat these findings as errors: `--deny warnings` fails on any warning.
    #[arg(long, value_enum, value_name = "WHAT")]
    pub deny: Vec<Deny>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Deny {
    /// Every warning (inconsistent report attributes, regressions since the previous release).
    Warnings,
}

#[derive(Args, Debug)]
pub struct BuildArgs {
    #[command(flatten)]
    pub common: CommonArgs,
    /// Folder to write the site to; replaced as a whole on success.
    #[arg(long, default_value = "site", value_name = "DIR")]
    pub out: PathBuf,
    /// Folder of templates overriding the built-in ones by name (e.g. report.html).
    #[arg(long, value_name = "DIR")]
    pub templates: Option<PathBuf>,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum Color {
    Auto,
    Always,
    Never,
}
