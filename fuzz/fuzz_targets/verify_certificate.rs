#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(
    init: puressl_fuzz::harness::write_seeds("verify_certificate"),
    |data: &[u8]| {
        puressl_fuzz::harness::run("verify_certificate", data);
    }
);
