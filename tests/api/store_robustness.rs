//! Damaged inputs never panic: every truncation and many byte flips of a
//! CRL load or fail cleanly, and certificates with damaged extensions go
//! through chain verification without panicking.

use puressl::crypto::{
    load_certificate, load_crl, FileType, X509Store, X509StoreContext, X509StoreFlags,
};

use crate::support::vectors;
use vectors::*;

#[test]
fn damaged_crls_load_or_fail_cleanly() {
    for path in ["crl/root.crl.der", "crl/inter_empty.crl.der"] {
        let der = read_vector(path);
        for n in 0..der.len() {
            assert!(
                load_crl(FileType::Asn1, &der[..n]).is_err(),
                "{path} cut at {n}"
            );
        }
        for i in 0..der.len() {
            for mask in [0x01u8, 0x80, 0xff] {
                let mut d = der.clone();
                d[i] ^= mask;
                if let Ok(crl) = load_crl(FileType::Asn1, &d) {
                    let _ = crl.to_text();
                    for r in crl.revoked() {
                        let _ = r.reason();
                    }
                    let _ = crl.crl_number();
                }
            }
        }
    }
}

#[test]
fn damaged_intermediates_verify_without_panics() {
    let root = load_certificate(FileType::Pem, &read_vector("certs/ca_rsa.pem")).unwrap();
    let leaf = load_certificate(FileType::Pem, &read_vector("certs/leaf.pem")).unwrap();
    let crl = load_crl(FileType::Pem, &read_vector("crl/inter_empty.crl.pem")).unwrap();
    let inter_der = read_vector("certs/inter_ec.der");
    let mut store = X509Store::new();
    store.add_cert(&root).unwrap();
    store.add_crl(&crl).unwrap();
    store.set_time("20260101000000Z").unwrap();
    store
        .set_flags(X509StoreFlags::CRL_CHECK | X509StoreFlags::X509_STRICT)
        .unwrap();
    let mut loaded = 0;
    for i in 0..inter_der.len() {
        let mut d = inter_der.clone();
        d[i] ^= 0x01;
        let Ok(inter) = load_certificate(FileType::Asn1, &d) else {
            continue;
        };
        loaded += 1;
        let chain = [inter.clone()];
        let r = X509StoreContext::new(&store, &leaf, Some(&chain)).verify_certificate();
        // A changed intermediate never verifies: its signature (or the leaf's) breaks.
        assert!(r.is_err(), "flip at {i} verified");
        let _ = X509StoreContext::new(&store, &inter, None).verify_certificate();
    }
    assert!(loaded > 100);
}
