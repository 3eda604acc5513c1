//! The `scale` fuzz target: see `ips_fidelity_fuzz::scale` (fuzz/src/lib.rs) for what it
//! feeds and which promises it holds the loader to.

#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| ips_fidelity_fuzz::scale(data));
