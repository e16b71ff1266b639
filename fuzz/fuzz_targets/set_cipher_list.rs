#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(
    init: puressl_fuzz::harness::write_seeds("set_cipher_list"),
    |data: &[u8]| {
        puressl_fuzz::harness::run("set_cipher_list", data);
    }
);
