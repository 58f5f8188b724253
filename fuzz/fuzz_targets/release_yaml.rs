//! One release file (arbitrary bytes) through the loader and `gonogo check`.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| gonogo::fuzz::release_yaml(data));
