//! Random mutations of the example data never crash gonogo: whatever the bytes,
//! `check` and `build` end with 0, 1 or 2 and a message, never a panic. A seeded
//! generator (xorshift) makes every run the same; `GONOGO_MUTATIONS` sets how many.

mod common;
use std::path::{Path, PathBuf};
use std::process::Command;

struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

const SPLICES: &[&[u8]] = &[
    b"99999999999999999999",
    b"-1",
    b"1e308",
    b".nan",
    b"NO",
    b"2025-02-30",
    b"T+999999h",
    b"\xff\xfe",
    b"&a ",
    b"*a",
    b"<<: *a",
    b"0/0",
    b"1/0",
    b"100%",
    b"50+",
    b"{{ 1/0 }}",
    b"{% if %}",
    b"\xe2\x80\xae",
    b"\n  - ",
    b": ",
    b"[",
    b"{",
];

fn mutate(rng: &mut Rng, bytes: &mut Vec<u8>) {
    for _ in 0..1 + rng.below(4) {
        if bytes.is_empty() {
            return;
        }
        let i = rng.below(bytes.len());
        match rng.below(4) {
            0 => {
                let n = (1 + rng.below(20)).min(bytes.len() - i);
                bytes.drain(i..i + n);
            }
            1 => {
                let j = rng.below(bytes.len());
                let n = (1 + rng.below(40)).min(bytes.len() - j);
                let copy = bytes[j..j + n].to_vec();
                bytes.splice(i..i, copy);
            }
            2 => {
                let pool = b"0123456789:-#&*!|>{}[],'\" \n\tyes~%";
                bytes[i] = pool[rng.below(pool.len())];
            }
            _ => {
                let s = SPLICES[rng.below(SPLICES.len())];
                bytes.splice(i..i, s.iter().copied());
            }
        }
    }
}

fn files(dir: &Path) -> Vec<PathBuf> {
    let mut f: Vec<PathBuf> = common::walk(dir)
        .into_iter()
        .filter(|p| {
            p.extension()
                .and_then(|e| e.to_str())
                .is_some_and(|e| matches!(e, "yaml" | "md" | "xml" | "json"))
        })
        .collect();
    f.sort();
    f
}

#[test]
fn mutated_data_never_crashes() {
    let n: usize = std::env::var("GONOGO_MUTATIONS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(60);
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let tmp = tempfile::tempdir().unwrap();
    for it in 0..n {
        let data = tmp.path().join(format!("d{it}"));
        common::copy_dir(&root.join("data"), &data);
        let all = files(&data);
        let f = &all[rng.below(all.len())];
        let mut bytes = std::fs::read(f).unwrap();
        mutate(&mut rng, &mut bytes);
        std::fs::write(f, &bytes).unwrap();
        let out = tmp.path().join(format!("o{it}"));
        let cmd = if it % 2 == 0 { "check" } else { "build" };
        let mut args = vec![cmd, "--data", data.to_str().unwrap()];
        if cmd == "build" {
            args.extend(["--out", out.to_str().unwrap()]);
        }
        let r = Command::new(env!("CARGO_BIN_EXE_gonogo"))
            .args(&args)
            .env("SOURCE_DATE_EPOCH", "1780272000")
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&r.stderr);
        assert!(
            matches!(r.status.code(), Some(0..=2)) && !err.contains("panicked"),
            "mutation {it} of {} crashed gonogo {cmd}: {:?}\n{err}",
            f.display(),
            r.status
        );
        std::fs::remove_dir_all(&data).unwrap();
        let _ = std::fs::remove_dir_all(&out);
    }
}
