//! A whole build from arbitrary files (see `gonogo::fuzz::build_files` for the format).
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| gonogo::fuzz::build_files(data));
