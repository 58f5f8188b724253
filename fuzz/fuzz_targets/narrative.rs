//! Narrative Markdown (arbitrary UTF-8) through the HTML and Markdown renderers.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(md) = std::str::from_utf8(data) {
        gonogo::fuzz::narrative(md);
    }
});
