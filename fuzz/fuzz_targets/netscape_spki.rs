#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(
    init: puressl_fuzz::harness::write_seeds("netscape_spki"),
    |data: &[u8]| {
        puressl_fuzz::harness::run("netscape_spki", data);
    }
);
