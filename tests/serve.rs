//! `gonogo serve`: the real binary on a copy of the example data, over real sockets.

mod common;
use common::copy_dir;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{Ipv4Addr, SocketAddr, TcpStream};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex, mpsc};
use std::time::{Duration, Instant};

/// A fixed build time after every date in the data (2026-06-01), as in tests/cli.rs.
const EPOCH: &str = "1780272000";
/// How long a change may take to reach the served page.
const RELOAD: Duration = Duration::from_secs(2);

/// The running server; killed when dropped, also when a test panics.
struct Server {
    child: Child,
    port: u16,
    stderr: Arc<Mutex<String>>,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Server {
    fn start(data: &Path) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_gonogo"))
            .args(["serve", "--port", "0", "--data"])
            .arg(data)
            .env("SOURCE_DATE_EPOCH", EPOCH)
            .env("NO_COLOR", "1")
            .env("GONOGO_TIMINGS", "1")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start gonogo serve");
        let stderr = Arc::new(Mutex::new(String::new()));
        let (tx, rx) = mpsc::channel();
        let pipe = child.stderr.take().unwrap();
        let log = Arc::clone(&stderr);
        // Keep draining stderr so the server never blocks on a full pipe.
        std::thread::spawn(move || {
            for line in BufReader::new(pipe).lines() {
                let Ok(line) = line else { break };
                if let Some(rest) = line.strip_prefix("serving http://127.0.0.1:") {
                    let _ = tx.send(rest.trim_end_matches('/').parse::<u16>().ok());
                }
                let mut log = log.lock().unwrap();
                log.push_str(&line);
                log.push('\n');
            }
        });
        let mut server = Server {
            child,
            port: 0,
            stderr,
        };
        match rx.recv_timeout(Duration::from_secs(20)) {
            Ok(Some(port)) => server.port = port,
            _ => panic!(
                "no `serving http://127.0.0.1:PORT/` line; stderr:\n{}",
                server.log()
            ),
        }
        server
    }

    fn log(&self) -> String {
        self.stderr.lock().unwrap().clone()
    }

    fn get(&self, path: &str) -> Response {
        request(
            SocketAddr::from((Ipv4Addr::LOCALHOST, self.port)),
            &format!("GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{}\r\n", self.port),
        )
        .unwrap_or_else(|e| panic!("GET {path}: {e}; stderr:\n{}", self.log()))
    }

    /// Fetches `path` until `ok` holds, for at most RELOAD.
    fn wait_for(&self, path: &str, what: &str, ok: impl Fn(&Response) -> bool) -> Response {
        let start = Instant::now();
        loop {
            let r = self.get(path);
            if ok(&r) {
                return r;
            }
            if start.elapsed() > RELOAD {
                panic!(
                    "{path} did not show {what} within {RELOAD:?}; last response {}:\n{}\nstderr:\n{}",
                    r.status,
                    r.body,
                    self.log()
                );
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

#[derive(Debug)]
struct Response {
    status: u16,
    headers: String,
    body: String,
}

impl Response {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers.lines().find_map(|l| {
            let (k, v) = l.split_once(':')?;
            k.trim().eq_ignore_ascii_case(name).then(|| v.trim())
        })
    }
}

/// A minimal HTTP/1.1 client: one request per connection.
fn request(addr: SocketAddr, head: &str) -> std::io::Result<Response> {
    let mut s = TcpStream::connect_timeout(&addr, Duration::from_secs(5))?;
    s.set_read_timeout(Some(Duration::from_secs(10)))?;
    s.write_all(format!("{head}Connection: close\r\n\r\n").as_bytes())?;
    let mut raw = vec![];
    s.read_to_end(&mut raw)?;
    let raw = String::from_utf8_lossy(&raw).into_owned();
    let (headers, body) = raw.split_once("\r\n\r\n").unwrap_or((&raw, ""));
    let status = headers
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    Ok(Response {
        status,
        headers: headers.to_string(),
        body: body.to_string(),
    })
}

const RELOAD_SCRIPT: &str = "/__gonogo/version";

#[test]
fn serves_rebuilds_and_shows_errors() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    copy_dir(&Path::new(env!("CARGO_MANIFEST_DIR")).join("data"), &data);
    let mut server = Server::start(&data);

    // The index and a release page, with the reload script injected.
    let index = server.get("/");
    assert_eq!(index.status, 200, "{index:?}");
    assert_eq!(
        index.header("content-type"),
        Some("text/html; charset=utf-8")
    );
    assert!(index.body.contains("Studio Pod"), "{}", index.body);
    assert!(index.body.contains(RELOAD_SCRIPT));
    let script = index.body.find(RELOAD_SCRIPT).unwrap();
    assert!(
        index.body[script..].contains("</body>"),
        "script before </body>"
    );
    let page = server.get("/studio-pod-1.0/");
    assert_eq!(page.status, 200);
    assert!(page.body.contains("Production launch"), "{}", page.body);
    assert!(page.body.contains(RELOAD_SCRIPT));
    assert_eq!(
        server.get("/studio-pod-1.0/index.html").body,
        page.body,
        "`/x/` is x/index.html"
    );
    for (path, kind) in [
        ("/studio-pod-1.0/runbook.html", "text/html; charset=utf-8"),
        ("/studio-pod-1.0/index.md", "text/markdown; charset=utf-8"),
        ("/studio-pod-1.0/facts.json", "application/json"),
        ("/assets/style.css", "text/css; charset=utf-8"),
        ("/studio-pod-1.0/approval.pdf", "application/pdf"),
    ] {
        let r = server.get(path);
        assert_eq!(r.status, 200, "{path}");
        assert_eq!(r.header("content-type"), Some(kind), "{path}");
        assert_eq!(
            r.body.contains(RELOAD_SCRIPT),
            kind.starts_with("text/html"),
            "only HTML gets the script: {path}"
        );
    }
    let facts: serde_json::Value =
        serde_json::from_str(&server.get("/studio-pod-1.0/facts.json").body).unwrap();
    assert_eq!(facts["product"], "Studio Pod");
    let moved = server.get("/studio-pod-1.0");
    assert_eq!(moved.status, 301);
    assert_eq!(moved.header("location"), Some("/studio-pod-1.0/"));
    assert_eq!(server.get("/no-such-release/").status, 404);
    assert_eq!(server.get("/studio-pod-1.0/nothing.html").status, 404);
    for bad in ["/../Cargo.toml", "/studio-pod-1.0/../../x", "/%2e%2e/x"] {
        assert_eq!(server.get(bad).status, 400, "{bad}");
    }
    let version: u64 = server.get("/__gonogo/version").body.trim().parse().unwrap();
    let other = server.get("/rls-tech-debt-001.1/index.md");
    assert_eq!(other.status, 200);

    // An edit shows up without a restart, and bumps the version the script polls.
    let file = data.join("releases/studio-pod-1.0/release.yaml");
    let good = std::fs::read_to_string(&file).unwrap();
    let edited = good.replace("title: Production launch", "title: Launch rehearsal");
    assert_ne!(edited, good);
    std::fs::write(&file, &edited).unwrap();
    server.wait_for("/studio-pod-1.0/", "the new title", |r| {
        r.status == 200 && r.body.contains("Launch rehearsal")
    });
    let after: u64 = server.get("/__gonogo/version").body.trim().parse().unwrap();
    assert!(after > version, "version {version} → {after}");
    // Only a release file changed: the other releases' facts are the same (the next
    // release of the product compares figures, not titles), so they kept their pages.
    let log = server.log();
    let kept: Vec<&str> = log
        .lines()
        .filter_map(|l| l.strip_prefix("timing: pages kept from the previous build for "))
        .collect();
    assert_eq!(kept, ["4 releases (facts unchanged)"], "{log}");
    // Only the edited file was parsed again; the others were taken as parsed before.
    assert!(
        log.contains("timing: release files: 5 parsed, 0 unchanged")
            && log.contains("timing: release files: 1 parsed, 4 unchanged"),
        "{log}"
    );
    assert!(
        server.get("/rls-tech-debt-001.1/index.md").body == other.body,
        "a kept page is the page as it was"
    );

    // Invalid data: every page shows the diagnostics instead of the stale site.
    let line = edited
        .lines()
        .position(|l| l.starts_with("  environment:"))
        .unwrap()
        + 1;
    std::fs::write(
        &file,
        edited.replace("  environment: production", "  environmnt: production"),
    )
    .unwrap();
    let at = format!("release.yaml:{line}:3");
    let err = server.wait_for("/studio-pod-1.0/", "the error page", |r| {
        r.body.contains("GN0001")
    });
    assert!(err.body.contains(&at), "{at} in\n{}", err.body);
    assert!(
        err.body.contains("unknown key `environmnt`"),
        "{}",
        err.body
    );
    assert!(err.body.contains(RELOAD_SCRIPT));
    assert!(!err.body.contains("Launch rehearsal"), "no stale site");
    let index = server.get("/");
    assert!(index.body.contains("GN0001") && index.body.contains(&at));
    assert!(
        index
            .header("content-type")
            .unwrap()
            .starts_with("text/html")
    );

    // Fixed: the site comes back.
    std::fs::write(&file, &good).unwrap();
    let back = server.wait_for("/studio-pod-1.0/", "the site again", |r| {
        r.status == 200 && r.body.contains("Production launch")
    });
    assert!(!back.body.contains("GN0001"));
    assert!(back.body.contains(RELOAD_SCRIPT));

    // Nothing was written next to the data.
    assert!(!tmp.path().join("site").exists());
    assert!(server.child.try_wait().unwrap().is_none(), "still running");
}

#[test]
fn survives_clients_that_misbehave_and_answers_loopback_only() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    copy_dir(&Path::new(env!("CARGO_MANIFEST_DIR")).join("data"), &data);
    let mut server = Server::start(&data);
    let addr = SocketAddr::from((Ipv4Addr::LOCALHOST, server.port));

    // Connect and leave; send half a request and leave; ask and leave before the answer.
    drop(TcpStream::connect(addr).unwrap());
    let mut s = TcpStream::connect(addr).unwrap();
    s.write_all(b"GET / HT").unwrap();
    drop(s);
    for _ in 0..20 {
        let mut s = TcpStream::connect(addr).unwrap();
        s.write_all(b"GET /studio-pod-1.0/facts.json HTTP/1.1\r\n\r\n")
            .unwrap();
        drop(s);
    }
    let r = request(addr, "POST / HTTP/1.1\r\n").unwrap();
    assert_eq!(r.status, 405);
    // Another site's name pointing at 127.0.0.1 (DNS rebinding) is refused.
    let r = request(addr, "GET / HTTP/1.1\r\nHost: attacker.example\r\n").unwrap();
    assert_eq!(r.status, 403);
    let r = request(addr, "GET / HTTP/1.1\r\nHost: localhost\r\n").unwrap();
    assert_eq!(r.status, 200);
    assert_eq!(server.get("/").status, 200);

    // A second server on the same port fails with a clear message.
    let out = Command::new(env!("CARGO_BIN_EXE_gonogo"))
        .args(["serve", "--port", &server.port.to_string(), "--data"])
        .arg(&data)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("already in use"), "{err}");

    // Not reachable on this machine's other addresses (when it has one).
    if let Some(ip) = local_non_loopback_ip() {
        let other = SocketAddr::new(ip, server.port);
        assert!(
            TcpStream::connect_timeout(&other, Duration::from_secs(1)).is_err(),
            "answers on {other}"
        );
    }
    assert!(server.child.try_wait().unwrap().is_none(), "still running");
}

/// The address this machine would send from to a public address; connecting a UDP
/// socket sends nothing.
fn local_non_loopback_ip() -> Option<std::net::IpAddr> {
    let s = std::net::UdpSocket::bind("0.0.0.0:0").ok()?;
    s.connect("192.0.2.1:9").ok()?;
    let ip = s.local_addr().ok()?.ip();
    (!ip.is_loopback() && !ip.is_unspecified()).then_some(ip)
}

/// Opens a connection that sends nothing.
fn idle(addr: SocketAddr) -> TcpStream {
    let s = TcpStream::connect_timeout(&addr, Duration::from_secs(5)).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
    s
}

/// Whether the server closed `s` (end of stream or reset) within `within`.
fn closed_by_server(s: &mut TcpStream, within: Duration) -> bool {
    s.set_read_timeout(Some(within)).unwrap();
    let mut buf = [0u8; 1024];
    loop {
        match s.read(&mut buf) {
            Ok(0) => return true,
            Ok(_) => continue, // a 408 or 400 answer before closing
            Err(e) if e.kind() == std::io::ErrorKind::ConnectionReset => return true,
            Err(_) => return false, // timed out: still open
        }
    }
}

#[test]
fn slow_and_many_clients_never_lock_the_preview_out() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    copy_dir(&Path::new(env!("CARGO_MANIFEST_DIR")).join("data"), &data);
    let server = Server::start(&data);
    let addr = SocketAddr::from((Ipv4Addr::LOCALHOST, server.port));

    // 200 connections that say nothing and 200 that send a header line a second
    // (a slowloris); before, 128 slow connections got every new one reset.
    let mut quiet: Vec<TcpStream> = (0..200).map(|_| idle(addr)).collect();
    let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let slow: Vec<_> = (0..200)
        .map(|_| {
            let mut s = idle(addr);
            s.write_all(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n")
                .unwrap();
            s
        })
        .collect();
    let dripping = {
        let stop = Arc::clone(&stop);
        std::thread::spawn(move || {
            let mut slow = slow;
            let mut sent = 0;
            while !stop.load(std::sync::atomic::Ordering::SeqCst) && sent < 20 {
                std::thread::sleep(Duration::from_secs(1));
                // A write fails once the server has closed the connection.
                slow.retain_mut(|s| s.write_all(b"X-Slow: 1\r\n").is_ok());
                sent += 1;
            }
            slow.len()
        })
    };
    // Meanwhile every request is answered at once.
    let started = Instant::now();
    while started.elapsed() < Duration::from_secs(3) {
        let asked = Instant::now();
        let r = server.get("/");
        assert_eq!(r.status, 200);
        assert!(
            asked.elapsed() < Duration::from_secs(2),
            "answered after {:?} beside 400 slow connections",
            asked.elapsed()
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    // A connection is given 5 s for its request headers, then closed: the quiet ones
    // and the slow ones alike.
    for s in &mut quiet {
        assert!(
            closed_by_server(s, Duration::from_secs(6)),
            "a connection that sent nothing is still open after the header timeout"
        );
    }
    std::thread::sleep(Duration::from_secs(2));
    stop.store(true, std::sync::atomic::Ordering::SeqCst);
    let still_open = dripping.join().unwrap();
    assert_eq!(
        still_open, 0,
        "slow connections outlived the header timeout"
    );

    // More connections than the server takes at once (512): the ones beyond wait in
    // the queue and are answered once slots free, never reset.
    let crowd: Vec<TcpStream> = (0..560).map(|_| idle(addr)).collect();
    let asked = Instant::now();
    let r = server.get("/");
    assert_eq!(r.status, 200, "{r:?}");
    assert!(
        asked.elapsed() < Duration::from_secs(9),
        "{:?}",
        asked.elapsed()
    );
    drop(crowd);
    assert_eq!(server.get("/").status, 200);
}

/// Idle, the preview costs nothing however many files the data folder holds: it waits
/// for the system's file events instead of polling (before: 56 % of a core at 100,000
/// files, polling every 250 ms).
#[cfg(target_os = "linux")]
#[test]
fn an_idle_preview_of_a_large_data_folder_uses_no_cpu() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    copy_dir(&Path::new(env!("CARGO_MANIFEST_DIR")).join("data"), &data);
    // 30,000 files the site does not use (attachments kept beside the data).
    for d in 0..300 {
        let dir = data.join(format!("attachments/d{d:03}"));
        std::fs::create_dir_all(&dir).unwrap();
        for f in 0..100 {
            std::fs::write(dir.join(format!("f{f:03}.txt")), "x").unwrap();
        }
    }
    let server = Server::start(&data);
    assert_eq!(server.get("/").status, 200);
    let cpu = || {
        let stat = std::fs::read_to_string(format!("/proc/{}/stat", server.child.id())).unwrap();
        // Fields after the command name (which is in parentheses): utime is the 14th
        // field of the line, stime the 15th, in clock ticks.
        let after = &stat[stat.rfind(')').unwrap() + 2..];
        let f: Vec<u64> = after
            .split_whitespace()
            .map(|x| x.parse().unwrap_or(0))
            .collect();
        f[11] + f[12]
    };
    std::thread::sleep(Duration::from_millis(500));
    let before = cpu();
    std::thread::sleep(Duration::from_secs(3));
    let used = cpu() - before;
    // Clock ticks are 1/100 s on Linux: at most 0.05 s of CPU in 3 s idle.
    assert!(used <= 5, "{used} ticks of CPU in 3 s idle");

    // And a change is still seen.
    let file = data.join("releases/studio-pod-1.0/release.yaml");
    let good = std::fs::read_to_string(&file).unwrap();
    std::fs::write(
        &file,
        good.replace("title: Production launch", "title: Launch rehearsal"),
    )
    .unwrap();
    server.wait_for("/studio-pod-1.0/", "the new title", |r| {
        r.body.contains("Launch rehearsal")
    });
}
