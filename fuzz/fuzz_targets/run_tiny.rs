//! libFuzzer target: a tiny structured scenario, loaded and run (see `bulwark_fuzz::run_tiny`).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| bulwark_fuzz::run_tiny_bytes(data));
