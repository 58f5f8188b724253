//! One file per subcommand. Each returns Ok(true) when consistent, Ok(false) when
//! findings were reported, Err when gonogo could not run.

use crate::cli::{Cli, Command};
use crate::diag::Severity;
use crate::load::Project;

mod approve;
mod audit;
mod build;
mod check;
mod comments;
mod explain;
mod init;
mod new;
mod parse;
mod schema;
mod serve;

pub fn run(cli: Cli) -> anyhow::Result<bool> {
    match cli.command {
        Command::Build(a) => build::run(&a),
        Command::Check(a) => check::run(&a),
        Command::Audit(a) => audit::run(&a),
        Command::Serve(a) => serve::run(&a),
        Command::Explain { code, json } => explain::run(code.as_deref(), json),
        Command::Schema { kind } => schema::run(kind),
        Command::Init { dir } => init::run(&dir),
        Command::New { what } => new::run(what),
        Command::Approve(a) => approve::run(&a),
        Command::Import { files, data } => crate::import::run(&files, &data),
        Command::Parse { data } => parse::run(&data),
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

/// Loads, checks and renders the project, printing every diagnostic to stderr.
/// Pages go to `pages` (none: `check`, which renders only the text it checks), and
/// only while no error has been found. Returns whether the project is consistent.
pub fn analyze(
    args: &crate::cli::CommonArgs,
    templates: Option<&std::path::Path>,
    pages: Option<&crate::render::Sink>,
    previous: &Previous,
) -> anyhow::Result<(Project, bool)> {
    let p = assess(args, templates, pages, previous, crate::check::build_time())?;
    print(&p, &p.diagnostics, args);
    let ok = !p.diagnostics.iter().any(|d| d.severity == Severity::Error);
    Ok((p, ok))
}

/// What a run may take from the run before it instead of doing again.
#[derive(Default)]
pub struct Previous<'a> {
    /// Keeps a release's pages when its facts did not change.
    pub pages: Option<&'a crate::render::Reuse<'a>>,
    /// Release files parsed before, reused when their text is the same.
    pub parsed: Option<&'a crate::load::Parsed>,
}

/// [`analyze`] without printing, at a given build time: the project with every
/// diagnostic (the fuzz targets run it on arbitrary data).
pub fn assess(
    args: &crate::cli::CommonArgs,
    templates: Option<&std::path::Path>,
    pages: Option<&crate::render::Sink>,
    previous: &Previous,
    build_time: chrono::DateTime<chrono::Utc>,
) -> anyhow::Result<Project> {
    let t = Timings::start();
    let mut p = crate::load::load_with(&args.data, previous.parsed)?;
    t.lap("load (read + parse)");
    select(&mut p, &args.releases)?;
    let deny_warnings = args.deny.contains(&crate::cli::Deny::Warnings);
    let gate = Gate {
        deny_warnings,
        require: args.require,
    };
    finish(p, templates, pages, previous.pages, gate, build_time)
}

/// What makes a run fail beyond its errors: `--deny warnings`, `--require`.
#[derive(Default, Clone, Copy)]
pub struct Gate {
    pub deny_warnings: bool,
    pub require: Option<crate::cli::Require>,
}

/// What [`assess`] does once the data is loaded: reports read, checks run, pages
/// rendered (into `pages`, while no error was found).
pub fn finish(
    mut p: Project,
    templates: Option<&std::path::Path>,
    pages: Option<&crate::render::Sink>,
    reuse: Option<&crate::render::Reuse>,
    gate: Gate,
    build_time: chrono::DateTime<chrono::Utc>,
) -> anyhow::Result<Project> {
    let deny_warnings = gate.deny_warnings;
    let t = Timings::start();
    crate::ingest::run(&mut p);
    t.lap("ingest (reports, fingerprints)");
    crate::check::run(&mut p, build_time);
    if let Some(required) = gate.require {
        crate::check::rules::decision::require(&mut p, required);
    }
    t.lap("check");
    let failing = |p: &Project| {
        p.diagnostics.iter().any(|d| {
            d.severity == Severity::Error || (deny_warnings && d.severity == Severity::Warning)
        })
    };
    let discard = |_: std::path::PathBuf, _: Vec<u8>| Ok(());
    let sink: &crate::render::Sink = match pages {
        Some(s) if !failing(&p) => s,
        _ => &discard,
    };
    let render_pages = pages.is_some() && !failing(&p);
    let problems = crate::render::render_site(&p, templates, render_pages, sink, reuse)?;
    t.lap("render");
    p.diagnostics.extend(problems);
    if deny_warnings {
        for d in &mut p.diagnostics {
            d.severity = Severity::Error;
        }
    }
    Ok(p)
}

/// `--release ID` (repeatable): keep the named releases and the releases they are
/// compared with; only the named ones are rendered.
fn select(p: &mut Project, ids: &[String]) -> anyhow::Result<()> {
    if ids.is_empty() {
        return Ok(());
    }
    // Releases whose files failed to load are known too: their errors are reported.
    let mut known: Vec<&str> = p.releases.iter().map(|r| r.id.as_str()).collect();
    known.extend(p.file_owner.iter().flatten().map(String::as_str));
    known.sort();
    known.dedup();
    for id in ids {
        if !known.contains(&id.as_str()) {
            let hint = crate::load::did_you_mean(id, &known)
                .map(|s| format!("; did you mean `{s}`?"))
                .unwrap_or_default();
            anyhow::bail!(
                "no release `{id}` in the data{hint} (releases: {})",
                known.join(", ")
            );
        }
    }
    let mut keep: std::collections::BTreeSet<usize> = std::collections::BTreeSet::new();
    let prev = crate::facts::previous_all(&p.releases);
    for (i, r) in p.releases.iter().enumerate() {
        if ids.contains(&r.id) {
            keep.insert(i);
            keep.extend(prev[i]);
        }
    }
    // Findings in the files of releases that are neither named nor compared with are
    // not this run's business.
    let mut kept: Vec<String> = keep.iter().map(|i| p.releases[*i].id.clone()).collect();
    kept.extend(ids.iter().cloned());
    let owner = p.file_owner.clone();
    p.diagnostics.retain(
        |d| match d.loc.and_then(|l| owner.get(l.file).cloned().flatten()) {
            Some(id) => kept.contains(&id),
            None => true,
        },
    );
    let releases = std::mem::take(&mut p.releases);
    p.releases = releases
        .into_iter()
        .enumerate()
        .filter(|(i, _)| keep.contains(i))
        .map(|(_, r)| r)
        .collect();
    p.rendered = Some(ids.to_vec());
    Ok(())
}

/// The record of the last run like this one, unless `--no-cache`.
pub fn cache_for(
    a: &crate::cli::CommonArgs,
    command: &str,
    templates: Option<&std::path::Path>,
    out: Option<&std::path::Path>,
) -> Option<crate::cache::Cache> {
    let run = crate::cache::Run {
        command,
        data: &a.data,
        templates,
        out,
        releases: &a.releases,
        deny: format!("{:?} {:?}", a.deny, a.require),
    };
    crate::cache::Cache::new(&run, !a.no_cache)
}

/// Looks the run up in its record, timing the look when `GONOGO_TIMINGS` is set.
pub fn lookup(
    cache: Option<&crate::cache::Cache>,
    out: Option<&std::path::Path>,
) -> Option<crate::cache::Hit> {
    let t = Timings::start();
    let hit = cache.and_then(|c| c.lookup(out));
    if cache.is_some() {
        t.lap(if hit.is_some() {
            "cache (unchanged: answered from the record)"
        } else {
            "cache (changed or not recorded)"
        });
    }
    hit
}

/// Prints the findings of a run answered from its record, as the run printed them.
pub fn print_hit(a: &crate::cli::CommonArgs, hit: &crate::cache::Hit) {
    findings(a, &hit.sources, &hit.diagnostics, hit.release_count);
}

pub fn print(p: &Project, diagnostics: &[crate::diag::Diagnostic], args: &crate::cli::CommonArgs) {
    findings(args, &p.sources, diagnostics, p.releases.len());
}

fn findings(
    args: &crate::cli::CommonArgs,
    sources: &[crate::diag::SourceFile],
    diagnostics: &[crate::diag::Diagnostic],
    releases: usize,
) {
    crate::report::print(
        &args.output,
        sources,
        diagnostics,
        crate::report::Scope {
            count: releases,
            noun: "release",
        },
    );
}

/// Among the timings: how many releases kept their pages from the previous build.
pub fn note_kept(releases: usize) {
    Timings::start().note(&format!(
        "pages kept from the previous build for {releases} releases (facts unchanged)"
    ));
}

/// Phase times on stderr when `GONOGO_TIMINGS` is set: where a slow build spends
/// its time, without a profiler.
pub struct Timings {
    on: bool,
    last: std::cell::Cell<std::time::Instant>,
}

impl Timings {
    pub fn start() -> Timings {
        Timings {
            on: std::env::var_os("GONOGO_TIMINGS").is_some(),
            last: std::cell::Cell::new(std::time::Instant::now()),
        }
    }
    pub fn lap(&self, what: &str) {
        if self.on {
            let now = std::time::Instant::now();
            eprintln!(
                "timing: {what}: {:.3} s",
                (now - self.last.get()).as_secs_f64()
            );
            self.last.set(now);
        }
    }
    /// A line among the timings that is not a time.
    pub fn note(&self, what: &str) {
        if self.on {
            eprintln!("timing: {what}");
        }
    }
}
