#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(
    init: puressl_fuzz::harness::write_seeds("load_certificate_request"),
    |data: &[u8]| {
        puressl_fuzz::harness::run("load_certificate_request", data);
    }
);
