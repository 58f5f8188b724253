//! File events for `serve`, from the operating system through notify (inotify,
//! FSEvents, ReadDirectoryChangesW): nothing is polled while nothing changes, however
//! many files the data folder holds. Where the system cannot watch every folder (the
//! inotify watch limit), notify's polling watcher takes over, once a second, and says so.

use notify::{EventKind, RecursiveMode, Watcher};
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::time::{Duration, Instant};

/// A change is settled when no event came for this long (an editor saving several
/// files, a script copying a folder)...
const DEBOUNCE: Duration = Duration::from_millis(150);
/// ...or, for a folder that never stops changing, after this long.
const MAX_DEBOUNCE: Duration = Duration::from_secs(2);
/// The polling watcher's interval, where events are not available.
const POLL: Duration = Duration::from_secs(1);

type Events = Receiver<notify::Result<notify::Event>>;

pub struct Changes {
    events: Events,
    /// Kept alive: dropping it stops the events.
    _watcher: Box<dyn Watcher + Send>,
    releases: PathBuf,
    /// Ends [`Changes::next`] from another thread (the server stopped).
    stop: std::sync::Arc<std::sync::atomic::AtomicBool>,
    wake: std::sync::mpsc::Sender<notify::Result<notify::Event>>,
}

/// Stops a [`Changes`] from another thread: its `next` returns None.
pub struct Stop {
    stop: std::sync::Arc<std::sync::atomic::AtomicBool>,
    wake: std::sync::mpsc::Sender<notify::Result<notify::Event>>,
}

impl Stop {
    pub fn now(&self) {
        self.stop.store(true, std::sync::atomic::Ordering::SeqCst);
        let _ = self.wake.send(Ok(notify::Event::default()));
    }
}

/// One settled change.
pub struct Change {
    /// Every changed path is under `releases/` (no site file, no template).
    pub only_releases: bool,
}

impl Changes {
    /// Watches every root, recursively.
    pub fn start(roots: &[PathBuf], releases: &Path) -> anyhow::Result<Changes> {
        let roots: Vec<PathBuf> = roots.iter().map(|r| canonical(r)).collect();
        let (tx, events) = channel();
        let wake = tx.clone();
        let sender = tx.clone();
        let mut watcher: Box<dyn Watcher + Send> =
            Box::new(notify::recommended_watcher(move |e| {
                let _ = sender.send(e);
            })?);
        let mut failed = None;
        for root in &roots {
            if let Err(e) = watcher.watch(root, RecursiveMode::Recursive) {
                failed = Some(e);
                break;
            }
        }
        if let Some(e) = failed {
            let why = match e.kind {
                notify::ErrorKind::MaxFilesWatch => {
                    "the system's limit on watched folders is reached \
                     (raise fs.inotify.max_user_watches)"
                        .to_string()
                }
                _ => e.to_string(),
            };
            eprintln!(
                "warning: cannot watch the folders for changes ({why}); checking them every {} s instead",
                POLL.as_secs()
            );
            let config = notify::Config::default().with_poll_interval(POLL);
            watcher = Box::new(notify::PollWatcher::new(
                move |e| {
                    let _ = tx.send(e);
                },
                config,
            )?);
            for root in &roots {
                watcher.watch(root, RecursiveMode::Recursive)?;
            }
        }
        Ok(Changes {
            events,
            _watcher: watcher,
            releases: canonical(releases),
            stop: Default::default(),
            wake,
        })
    }

    /// Blocks until files changed and the change settled; None when the watcher stopped.
    /// Whether [`Stop::now`] was called.
    pub fn stopped(&self) -> bool {
        self.stop.load(std::sync::atomic::Ordering::SeqCst)
    }

    /// A handle that makes [`Changes::next`] return None.
    pub fn stopper(&self) -> Stop {
        Stop {
            stop: std::sync::Arc::clone(&self.stop),
            wake: self.wake.clone(),
        }
    }

    pub fn next(&self) -> Option<Change> {
        let mut change = Change {
            only_releases: true,
        };
        loop {
            let event = self.events.recv().ok()?;
            if self.stopped() {
                return None;
            }
            if self.note(&mut change, event) {
                break;
            }
        }
        let started = Instant::now();
        loop {
            let left = MAX_DEBOUNCE.saturating_sub(started.elapsed());
            if left.is_zero() {
                break;
            }
            match self.events.recv_timeout(DEBOUNCE.min(left)) {
                Ok(_) if self.stopped() => return None,
                Ok(event) => {
                    self.note(&mut change, event);
                }
                Err(RecvTimeoutError::Timeout) => break,
                Err(RecvTimeoutError::Disconnected) => return None,
            }
        }
        Some(change)
    }

    /// Adds an event to the change; whether it changed anything (reading a file, as
    /// the build itself does, is not a change).
    fn note(&self, change: &mut Change, event: notify::Result<notify::Event>) -> bool {
        match event {
            Ok(e) if matches!(e.kind, EventKind::Access(_)) => false,
            Ok(e) => {
                // Events were lost (a queue overflowed): anything may have changed.
                if e.need_rescan() || e.paths.is_empty() {
                    change.only_releases = false;
                }
                if !e.paths.iter().all(|p| p.starts_with(&self.releases)) {
                    change.only_releases = false;
                }
                true
            }
            Err(_) => {
                change.only_releases = false;
                true
            }
        }
    }
}

/// The path as the watcher reports it: links resolved, absolute.
fn canonical(path: &Path) -> PathBuf {
    std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf())
}
