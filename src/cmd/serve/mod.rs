//! `gonogo serve`: build the site in memory, serve it on 127.0.0.1, rebuild when a
//! file under the data or templates folder changes, and reload the open page.
//!
//! Nothing is written to disk. HTTP is hyper's (`http.rs`), file events are the
//! operating system's through notify (`watch.rs`). Served HTML pages (never built
//! files) get a small script that polls `/__gonogo/version` and reloads when the build
//! changes. While the data has errors, pages show the diagnostics (`pages.rs`) instead
//! of the last good site.

mod http;
mod pages;
mod watch;

use crate::cli::ServeArgs;
use crate::write::Site;
use anyhow::Context as _;
use std::net::{Ipv4Addr, SocketAddr, TcpListener};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

const VERSION_PATH: &str = "/__gonogo/version";

/// What the server shows: the site, or the reason there is none.
#[derive(PartialEq)]
enum Content {
    Site(Site),
    /// The error page (HTML body) and the same diagnostics as plain text.
    Errors {
        html: String,
        text: String,
    },
}

struct Build {
    version: u64,
    content: Arc<Content>,
}

type Shared = Arc<Mutex<Build>>;

pub fn run(a: &ServeArgs) -> anyhow::Result<bool> {
    // Loopback only: the site may hold facts that are not public.
    let addr = SocketAddr::from((Ipv4Addr::LOCALHOST, a.port));
    let listener = TcpListener::bind(addr).map_err(|e| {
        if e.kind() == std::io::ErrorKind::AddrInUse {
            anyhow::anyhow!(
                "port {} on 127.0.0.1 is already in use; choose another with --port (0 picks a free one)",
                a.port
            )
        } else {
            anyhow::Error::new(e).context(format!("cannot listen on 127.0.0.1:{}", a.port))
        }
    })?;
    let port = listener.local_addr()?.port();

    // Watching starts before the first build, so an edit made during it is seen.
    let mut roots = vec![a.common.data.clone()];
    roots.extend(a.templates.clone());
    let changes = watch::Changes::start(&roots, &a.common.data.join("releases"))?;
    // The first build fails like `gonogo build` when gonogo cannot run at all (no data
    // folder, a template that does not compile); later failures are shown in the page.
    let parsed = crate::load::Parsed::default();
    let content = build(a, None, &parsed)?;
    let shared: Shared = Arc::new(Mutex::new(Build {
        version: 1,
        content: Arc::new(content),
    }));

    let stop = changes.stopper();
    std::thread::scope(|scope| {
        std::thread::Builder::new()
            .name("gonogo-watch".into())
            .spawn_scoped(scope, || rebuild_on_change(a, changes, &shared, &parsed))
            .context("cannot start the file watcher")?;
        eprintln!("serving http://127.0.0.1:{port}/");
        if !a.common.output.quiet {
            eprintln!("watching for changes; press Ctrl-C to stop");
        }
        let served = http::serve(listener, Arc::clone(&shared));
        // The watcher ends too, so that the scope can end and the error be told.
        stop.now();
        served.with_context(|| format!("the server on 127.0.0.1:{port} stopped"))?;
        anyhow::bail!("the server on 127.0.0.1:{port} stopped accepting connections")
    })
}

fn lock(shared: &Shared) -> std::sync::MutexGuard<'_, Build> {
    shared
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// Builds the site in memory. With `previous` (the site shown, when only release
/// files changed since it was built), a release whose facts are the same keeps its
/// pages from it instead of making them again.
fn build(
    a: &ServeArgs,
    previous: Option<&Site>,
    parsed: &crate::load::Parsed,
) -> anyhow::Result<Content> {
    let site = std::sync::Mutex::new(crate::write::Site::new());
    let sink = |rel: PathBuf, bytes: Vec<u8>| {
        site.lock().expect("site lock").insert(rel, bytes);
        Ok(())
    };
    let reuse = |id: &str, facts: &[u8]| {
        let Some(prev) = previous else { return false };
        let dir = Path::new(id);
        if prev.get(&dir.join("facts.json")).map(Vec::as_slice) != Some(facts) {
            return false;
        }
        let mut site = site.lock().expect("site lock");
        for (path, bytes) in prev
            .range(dir.to_path_buf()..)
            .take_while(|(path, _)| path.starts_with(dir))
        {
            site.insert(path.clone(), bytes.clone());
        }
        true
    };
    let (p, ok) = super::analyze(
        &a.common,
        a.templates.as_deref(),
        Some(&sink),
        &super::Previous {
            pages: previous.is_some().then_some(&reuse),
            parsed: Some(parsed),
        },
    )?;
    let (reused, fresh) = parsed.counts();
    super::Timings::start().note(&format!(
        "release files: {fresh} parsed, {reused} unchanged since the last build (not parsed again)"
    ));
    Ok(if ok {
        Content::Site(site.into_inner().expect("site lock"))
    } else {
        pages::diagnostics_page(&p)
    })
}

/// Rebuilds after each settled change and swaps the shown content. Returns only when
/// the watcher stops.
fn rebuild_on_change(
    a: &ServeArgs,
    changes: watch::Changes,
    shared: &Shared,
    parsed: &crate::load::Parsed,
) {
    while let Some(change) = changes.next() {
        if !a.common.output.quiet {
            eprintln!("\nchange detected: rebuilding");
        }
        let shown = Arc::clone(&lock(shared).content);
        // Only files of releases changed (not the site file, not a template): the
        // pages of releases whose facts are the same can be kept.
        let previous = match (&*shown, change.only_releases) {
            (Content::Site(site), true) => Some(site),
            _ => None,
        };
        let content = match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            build(a, previous, parsed)
        })) {
            Ok(Ok(content)) => content,
            Ok(Err(e)) => {
                eprintln!("error: {e:#}");
                pages::failure_page(&format!("{e:#}"))
            }
            Err(_) => {
                pages::failure_page("gonogo failed while building the site; see the terminal")
            }
        };
        let mut b = lock(shared);
        if !a.common.output.quiet {
            match &content {
                Content::Site(site) => eprintln!("rebuilt: {} files", site.len()),
                Content::Errors { .. } => {
                    eprintln!("not rebuilt: the pages show the errors until they are fixed")
                }
            }
        }
        if *b.content != content {
            b.version += 1;
            b.content = Arc::new(content);
        }
    }
    if !changes.stopped() {
        eprintln!("warning: the file watcher stopped; changes are no longer picked up");
    }
}
