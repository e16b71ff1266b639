#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(
    init: puressl_fuzz::harness::write_seeds("x509_extension"),
    |data: &[u8]| {
        puressl_fuzz::harness::run("x509_extension", data);
    }
);
