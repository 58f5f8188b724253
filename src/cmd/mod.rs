//! One file per subcommand. Each returns Ok(true) when consistent, Ok(false) when
//! findings were reported, Err when gonogo could not run.

use crate::cli::{Cli, Color, Command};
use crate::diag::{Severity, render_human};
use crate::load::Project;
use std::io::IsTerminal;

mod build;
mod check;
mod explain;
mod init;
mod new;
mod schema;
mod serve;

pub fn run(cli: Cli) -> anyhow::Result<bool> {
    match cli.command {
        Command::Build(a) => build::run(&a),
        Command::Check(a) => check::run(&a),
        Command::Serve(a) => serve::run(&a),
        Command::Explain { code, json } => explain::run(code.as_deref(), json),
        Command::Schema { kind } => schema::run(kind),
        Command::Init { dir } => init::run(&dir),
        Command::New { what } => new::run(what),
        Command::Completions { shell } => {
            let mut cmd = <Cli as clap::CommandFactory>::command();
            clap_complete::generate(shell, &mut cmd, "gonogo", &mut std::io::stdout());
            Ok(true)
        }
        Command::Man => {
            let cmd = <Cli as clap::CommandFactory>::command();
            clap_mangen::Man::new(cmd).render(&mut std::io::stdout())?;
            Ok(true)
        }
    }
}

/// Loads, checks and renders the project in memory, printing every diagnostic to
/// stderr. Returns the site only when no error was found.
pub fn analyze(
    args: &crate::cli::CommonArgs,
    templates: Option<&std::path::Path>,
) -> anyhow::Result<(Project, Option<crate::write::Site>)> {
    let (data, color) = (args.data.as_path(), args.color);
    let deny_warnings = args.deny.contains(&crate::cli::Deny::Warnings);
    let mut p = crate::load::load(data)?;
    crate::ingest::run(&mut p, data);
    crate::check::run(&mut p, crate::check::build_time());
    let (site, problems) = crate::render::render_site(&p, templates)?;
    p.diagnostics.extend(problems);
    if deny_warnings {
        for d in &mut p.diagnostics {
            d.severity = Severity::Error;
        }
    }
    print(&p, &p.diagnostics, color);
    let ok = !p.diagnostics.iter().any(|d| d.severity == Severity::Error);
    Ok((p, ok.then_some(site)))
}

pub fn print(p: &Project, diagnostics: &[crate::diag::Diagnostic], color: Color) {
    let color = match color {
        Color::Always => true,
        Color::Never => false,
        Color::Auto => std::env::var_os("NO_COLOR").is_none() && std::io::stderr().is_terminal(),
    };
    let mut stderr = String::new();
    for d in diagnostics {
        stderr.push_str(&render_human(d, &p.sources, color));
        stderr.push_str("\n\n");
    }
    let errors = diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .count();
    let warnings = diagnostics.len() - errors;
    if errors + warnings > 0 {
        let plural = |n: usize| if n == 1 { "" } else { "s" };
        stderr.push_str(&format!(
            "{}: {errors} error{}, {warnings} warning{} in {} release{}\n",
            if errors > 0 { "error" } else { "warning" },
            plural(errors),
            plural(warnings),
            p.releases.len(),
            plural(p.releases.len()),
        ));
    }
    eprint!("{stderr}");
}
