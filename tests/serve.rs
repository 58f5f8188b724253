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
