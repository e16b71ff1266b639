#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(
    init: puressl_fuzz::harness::write_seeds("tls_client"),
    |data: &[u8]| {
        puressl_fuzz::harness::run("tls_client", data);
    }
);
