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
    /// Build, serve the site on 127.0.0.1, and rebuild when data or templates change.
    Serve(ServeArgs),
    /// Find contradictions in hand-written readiness documents (Markdown or text).
    Audit(AuditArgs),
    /// Print the long explanation of a rule with a failing and a passing example.
    Explain {
        /// A rule code such as GN0101 or a name such as sum-mismatch; without it, list every rule.
        code: Option<String>,
        /// Print the whole catalogue as JSON (code, name, summary, explanation, examples).
        #[arg(long, conflicts_with = "code")]
        json: bool,
    },
    /// Print the JSON Schema (draft 2020-12) of the data files, for editors.
    Schema {
        /// Which file the schema describes.
        #[arg(value_enum, default_value_t = SchemaKind::Release)]
        kind: SchemaKind,
    },
    /// Write a commented starter project that builds, and fails instructively when edited wrong.
    Init {
        /// Folder to create (must be empty or absent).
        #[arg(default_value = ".", value_name = "DIR")]
        dir: PathBuf,
    },
    /// Sign off a release in its data: adds one sign-off line, dated today and bound
    /// to the data fingerprint of the facts it approves.
    Approve(ApproveArgs),
    /// Turn hand-written readiness documents into draft releases: facts as facts, the
    /// figures they state as claims, the rest as narrative. Nothing existing is replaced.
    Import {
        /// Markdown or text documents, one draft release each (named after the file).
        #[arg(required = true, value_name = "FILE")]
        files: Vec<PathBuf>,
        /// Folder holding gonogo.yaml and releases/ (gonogo.yaml is written when absent).
        #[arg(long, default_value = "data", value_name = "DIR")]
        data: PathBuf,
    },
    /// Create things in an existing project.
    New {
        #[command(subcommand)]
        what: NewCommand,
    },
    /// Print shell completions for bash, zsh, fish, elvish or powershell.
    Completions {
        /// The shell to complete for.
        shell: clap_complete::Shell,
    },
    /// Print the man page (roff) of gonogo.
    Man,
    /// Benchmark aid: read and deserialize every data file, then stop (no checks, no
    /// rendering); prints the number of releases loaded.
    #[command(hide = true)]
    Parse {
        /// Folder holding gonogo.yaml and releases/.
        #[arg(long, default_value = "data", value_name = "DIR")]
        data: PathBuf,
    },
}

#[derive(Args, Debug)]
pub struct ApproveArgs {
    /// Id of the release to sign (its folder name under releases/).
    #[arg(value_name = "RELEASE")]
    pub release: String,
    /// The role signing: one the release requires or that has signed it before.
    #[arg(long, value_name = "ROLE")]
    pub role: String,
    /// The approver's name, as the sheet prints it.
    #[arg(long, value_name = "NAME")]
    pub name: String,
    /// The word given; default `approved` (`conditional` when --conditions is given).
    #[arg(long, value_enum, value_name = "STATUS")]
    pub status: Option<ApproveStatus>,
    /// A condition attached to the approval (repeatable); implies `--status conditional`.
    #[arg(long = "conditions", alias = "condition", value_name = "TEXT")]
    pub conditions: Vec<String>,
    /// Folder holding gonogo.yaml and releases/.
    #[arg(long, default_value = "data", value_name = "DIR")]
    pub data: PathBuf,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ApproveStatus {
    /// Approved as the facts stand.
    Approved,
    /// Approved with the conditions given.
    Conditional,
    /// Rejected: blocks GO while it is the role's latest word.
    Rejected,
}

impl ApproveStatus {
    pub fn word(self) -> &'static str {
        match self {
            ApproveStatus::Approved => "approved",
            ApproveStatus::Conditional => "conditional",
            ApproveStatus::Rejected => "rejected",
        }
    }
}

#[derive(Subcommand, Debug)]
pub enum NewCommand {
    /// Add a release: copies the structure of `--from` with its results cleared.
    Release {
        /// Id of the new release (its folder name under releases/).
        id: String,
        /// Release to copy the structure from.
        #[arg(long, value_name = "ID")]
        from: Option<String>,
        /// Version of the new release (`release.version`); otherwise kept from `--from`.
        #[arg(long, value_name = "VERSION")]
        version: Option<String>,
        /// Folder holding gonogo.yaml and releases/.
        #[arg(long, default_value = "data", value_name = "DIR")]
        data: PathBuf,
    },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum SchemaKind {
    /// A release file: data/releases/<id>/*.yaml.
    Release,
    /// The site file: data/gonogo.yaml.
    Site,
}

#[derive(Args, Debug)]
pub struct ServeArgs {
    #[command(flatten)]
    pub common: CommonArgs,
    /// Port on 127.0.0.1 (0 picks a free one).
    #[arg(long, default_value_t = 8000)]
    pub port: u16,
    /// Folder of templates overriding the built-in ones by name.
    #[arg(long, value_name = "DIR")]
    pub templates: Option<PathBuf>,
}

#[derive(Args, Debug)]
pub struct CommonArgs {
    /// Folder holding gonogo.yaml and releases/.
    #[arg(long, default_value = "data", value_name = "DIR")]
    pub data: PathBuf,
    /// Only these releases (repeatable), with the releases they are compared with.
    #[arg(long = "release", value_name = "ID")]
    pub releases: Vec<String>,
    #[command(flatten)]
    pub output: Output,
    /// Treat these findings as errors: `--deny warnings` fails on any warning.
    #[arg(long, value_enum, value_name = "WHAT")]
    pub deny: Vec<Deny>,
    /// A CI gate on the decision: every release checked must be GO (`go`), or GO or GO
    /// WITH CONDITIONS (`conditions`); one short of it is finding GN0803 (exit 1, so a
    /// build publishes nothing), as is one whose decision cannot be made.
    #[arg(long, value_enum, value_name = "DECISION")]
    pub require: Option<Require>,
    /// Neither use nor keep the record of the last run (check and build answer an
    /// unchanged data folder from it; GONOGO_CACHE_DIR says where it is kept).
    #[arg(long)]
    pub no_cache: bool,
}

#[derive(Args, Debug)]
pub struct AuditArgs {
    /// Documents to read; a folder is searched for .md, .markdown and .txt files.
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<PathBuf>,
    /// Write a repaired copy (NAME.fixed.EXT) of every double-encoded file beside it.
    #[arg(long)]
    pub fix_encoding: bool,
    #[command(flatten)]
    pub output: Output,
}

/// How findings are printed (check, build, serve and audit alike).
#[derive(Args, Debug)]
pub struct Output {
    /// How to print findings: for people, JSON lines, GitHub Actions annotations, or SARIF.
    #[arg(long, value_enum, default_value_t = MessageFormat::Human)]
    pub message_format: MessageFormat,
    /// When to colour messages (NO_COLOR and a non-terminal turn `auto` off).
    #[arg(long, value_enum, default_value_t = Color::Auto)]
    pub color: Color,
    /// Print only the findings (errors and warnings), no progress or summary lines.
    #[arg(long, short)]
    pub quiet: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum MessageFormat {
    /// rustc-style messages with the source line.
    Human,
    /// One JSON object per finding, then a summary object.
    Json,
    /// GitHub Actions workflow commands (annotations on the pull request diff).
    Github,
    /// One SARIF 2.1.0 log, for code-scanning upload.
    Sarif,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Require {
    /// Only GO passes.
    Go,
    /// GO or GO WITH CONDITIONS passes.
    Conditions,
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

#[cfg(test)]
mod tests {
    use super::Cli;
    use clap::CommandFactory;

    /// Every subcommand and every flag or argument explains itself in `--help`.
    #[test]
    fn everything_has_help() {
        fn walk(cmd: &clap::Command, path: &str) {
            for arg in cmd.get_arguments() {
                let id = arg.get_id().as_str();
                if id == "help" || id == "version" {
                    continue;
                }
                assert!(arg.get_help().is_some(), "{path} {id} has no help");
            }
            for sub in cmd.get_subcommands() {
                assert!(
                    sub.get_about().is_some(),
                    "{path} {} has no about",
                    sub.get_name()
                );
                walk(sub, &format!("{path} {}", sub.get_name()));
            }
        }
        Cli::command().debug_assert();
        walk(&Cli::command(), "gonogo");
    }
}
