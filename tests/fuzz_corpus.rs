//! The fuzz corpus replayed: every input the cargo-fuzz targets kept (fuzz/corpus/)
//! and every crash they found (fuzz/regressions/) goes again through the same entry
//! points (`gonogo::fuzz`), so a regression fails `cargo test` without a fuzzer.

use std::path::Path;
use std::time::Instant;

fn replay(target: &str, run: impl Fn(&[u8])) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz");
    let mut inputs = vec![];
    for dir in ["corpus", "regressions"] {
        let Ok(entries) = std::fs::read_dir(root.join(dir).join(target)) else {
            continue;
        };
        inputs.extend(entries.map(|e| e.unwrap().path()));
    }
    inputs.sort();
    assert!(inputs.len() >= 5, "{target}: {} inputs", inputs.len());
    let started = Instant::now();
    for path in &inputs {
        let bytes = std::fs::read(path).unwrap();
        let slow = Instant::now();
        run(&bytes);
        let took = slow.elapsed().as_secs_f64();
        // libFuzzer's -timeout=10 in a release build; a debug build is slower.
        assert!(took < 20.0, "{} took {took:.1} s", path.display());
    }
    eprintln!(
        "{target}: {} inputs in {:.1} s",
        inputs.len(),
        started.elapsed().as_secs_f64()
    );
}

#[test]
fn release_yaml_corpus() {
    replay("release_yaml", gonogo::fuzz::release_yaml);
}

#[test]
fn narrative_corpus() {
    replay("narrative", |b| {
        if let Ok(md) = std::str::from_utf8(b) {
            gonogo::fuzz::narrative(md);
        }
    });
}

#[test]
fn build_files_corpus() {
    replay("build_files", gonogo::fuzz::build_files);
}
