//! libFuzzer target: any bytes as a scenario file (see `bulwark_fuzz::scenario_load`).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| bulwark_fuzz::scenario_load(data));
