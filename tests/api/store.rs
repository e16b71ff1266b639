//! pyOpenSSL's X509Store / X509StoreContext behaviours (its test suite's
//! TestX509Store and TestX509StoreContext, reference §2.5), hashed CA
//! directories, the system store, and the verify callback.

use std::cell::RefCell;

use puressl::crypto::{X509Store, X509StoreContext, X509StoreFlags, X509VerifyError, X509};

use crate::support::pki;
use pki::*;

struct Chain {
    root: Ca,
    inter: Ca,
    service: Ca,
}

/// pyOpenSSL's fixture shape: root → intermediate (CA) → intermediate-service.
fn fixture() -> Chain {
    let root = make(&Spec::ca("Testing Root CA", 1), &key("rsa2048"), None);
    let inter = make(&Spec::ca("intermediate", 2), &key("ec-p256"), Some(&root));
    let service = make(
        &Spec::new("intermediate-service", 3).times("20250101000000Z", "20300101000000Z"),
        &key("ec-p256"),
        Some(&inter),
    );
    Chain {
        root,
        inter,
        service,
    }
}

fn cn(c: &X509) -> String {
    c.subject().get("CN").unwrap().unwrap()
}

fn store_with(certs: &[&X509]) -> X509Store {
    let mut s = X509Store::new();
    for c in certs {
        s.add_cert(c).unwrap();
    }
    s.set_time(AT).unwrap();
    s
}

#[test]
fn store_basics() {
    let f = fixture();
    let mut s = X509Store::new();
    s.add_cert(&f.root.cert).unwrap();
    s.add_cert(&f.root.cert).unwrap();
    assert_eq!(s.certificates().len(), 1);
    assert!(s.add_cert(&X509::new()).is_err());
    assert!(s.load_locations(None, None).is_err());
    let dir = TempDir::new("store-basics");
    let not_pem = dir.path("not.pem");
    std::fs::write(&not_pem, b"this is not PEM").unwrap();
    assert!(s.load_locations(Some(&not_pem), None).is_err());
    assert!(s
        .load_locations(Some(&dir.path("missing.pem")), None)
        .is_err());
    assert!(s
        .load_locations(None, Some(&dir.path("missing-dir")))
        .is_err());
    // Unimplemented flags are errors and change nothing.
    for f in [
        X509StoreFlags::POLICY_CHECK,
        X509StoreFlags::ALLOW_PROXY_CERTS,
        X509StoreFlags::USE_DELTAS,
        X509StoreFlags::EXTENDED_CRL_SUPPORT,
        X509StoreFlags::SUITEB_128_LOS,
        X509StoreFlags::CRL_CHECK | X509StoreFlags::INHIBIT_MAP,
    ] {
        assert!(s.set_flags(f).is_err(), "{f:?}");
    }
    assert_eq!(s.flags(), X509StoreFlags::empty());
    s.set_flags(X509StoreFlags::CRL_CHECK | X509StoreFlags::PARTIAL_CHAIN)
        .unwrap();
    assert_eq!(s.flags().bits(), 0x80004);
    assert_eq!(X509StoreFlags::CRL_CHECK_ALL.bits(), 8);
    assert_eq!(X509StoreFlags::IGNORE_CRITICAL.bits(), 16);
    assert_eq!(X509StoreFlags::X509_STRICT.bits(), 32);
    assert_eq!(X509StoreFlags::CHECK_SS_SIGNATURE.bits(), 0x4000);
    assert!(X509StoreFlags::from_openssl(0x4_0000_0000).is_err());
    assert!(s.set_time("not a time").is_err());
}

#[test]
fn chain_verification_and_reuse() {
    let f = fixture();
    let store = store_with(&[&f.root.cert, &f.inter.cert]);
    let mut ctx = X509StoreContext::new(&store, &f.service.cert, None);
    for _ in 0..2 {
        let chain = ctx.verify_certificate().unwrap();
        let cns: Vec<String> = chain.iter().map(cn).collect();
        assert_eq!(
            cns,
            ["intermediate-service", "intermediate", "Testing Root CA"]
        );
    }
    assert_eq!(ctx.verified_chain().unwrap().len(), 3);
    // The intermediate as untrusted chain; the same chain reused.
    let empty = store_with(&[]);
    let store = store_with(&[&f.root.cert]);
    let chain = [f.inter.cert.clone()];
    let mut ctx = X509StoreContext::new(&store, &f.service.cert, Some(&chain));
    ctx.verify_certificate().unwrap();
    ctx.verify_certificate().unwrap();
    // set_store swaps the store.
    ctx.set_store(&empty);
    assert_eq!(ctx.verify_certificate().unwrap_err().code(), 20);
}

#[test]
fn errors_as_pyopenssl_reports_them() {
    let f = fixture();
    // Missing intermediate.
    let store = store_with(&[&f.root.cert]);
    let e = X509StoreContext::new(&store, &f.service.cert, None)
        .verify_certificate()
        .unwrap_err();
    assert_eq!(
        e.errors(),
        (20, 0, "unable to get local issuer certificate")
    );
    assert_eq!(e.to_string(), "unable to get local issuer certificate");
    assert_eq!(cn(e.certificate()), "intermediate-service");
    // Only the intermediate in the store.
    let store = store_with(&[&f.inter.cert]);
    let e = X509StoreContext::new(&store, &f.service.cert, None)
        .verify_certificate()
        .unwrap_err();
    assert_eq!(e.errors(), (2, 1, "unable to get issuer certificate"));
    assert_eq!(cn(e.certificate()), "intermediate");
    // Partial chain accepts it.
    let mut store = store_with(&[&f.inter.cert]);
    store.set_flags(X509StoreFlags::PARTIAL_CHAIN).unwrap();
    let chain = X509StoreContext::new(&store, &f.service.cert, None)
        .verify_certificate()
        .unwrap();
    assert_eq!(chain.len(), 2);
    // Self-signed root not in the store.
    let store = store_with(&[]);
    let e = X509StoreContext::new(&store, &f.root.cert, None)
        .verify_certificate()
        .unwrap_err();
    assert_eq!(e.errors(), (18, 0, "self-signed certificate"));
    // Time: 2050 → the root (depth 2, checked first)... here the service
    // certificate expires in 2030 and the root in 2035: the root first.
    let mut store = store_with(&[&f.root.cert, &f.inter.cert]);
    store.set_time("20500101000000Z").unwrap();
    let e = X509StoreContext::new(&store, &f.service.cert, None)
        .verify_certificate()
        .unwrap_err();
    assert_eq!(e.errors(), (10, 2, "certificate has expired"));
    store.set_time("20300101000000Z").unwrap(); // exactly notAfter of the leaf
    let e = X509StoreContext::new(&store, &f.service.cert, None)
        .verify_certificate()
        .unwrap_err();
    assert_eq!(e.errors(), (10, 0, "certificate has expired"));
    store.set_time("20100101000000Z").unwrap();
    let e = X509StoreContext::new(&store, &f.service.cert, None)
        .verify_certificate()
        .unwrap_err();
    assert_eq!(e.code(), 9);
    assert_eq!(e.message(), "certificate is not yet valid");
    assert_eq!(
        X509VerifyError::from_code(9).name(),
        "X509_V_ERR_CERT_NOT_YET_VALID"
    );
}

#[test]
fn crl_revocation_as_pyopenssl_tests_it() {
    let f = fixture();
    let root_crl = crl(&f.root, &[2], "20250101000000Z", "20270101000000Z");
    let inter_crl = crl(&f.inter, &[], "20250101000000Z", "20270101000000Z");
    let mut store = store_with(&[&f.root.cert, &f.inter.cert]);
    store
        .set_flags(X509StoreFlags::CRL_CHECK | X509StoreFlags::CRL_CHECK_ALL)
        .unwrap();
    let e = X509StoreContext::new(&store, &f.service.cert, None)
        .verify_certificate()
        .unwrap_err();
    assert_eq!(e.errors(), (3, 0, "unable to get certificate CRL"));
    store.add_crl(&inter_crl).unwrap();
    store.add_crl(&root_crl).unwrap();
    let e = X509StoreContext::new(&store, &f.service.cert, None)
        .verify_certificate()
        .unwrap_err();
    assert_eq!(e.errors(), (23, 1, "certificate revoked"));
    assert_eq!(cn(e.certificate()), "intermediate");
}

#[test]
fn hashed_directories_with_both_hashes() {
    let f = fixture();
    for old in [false, true] {
        let dir = TempDir::new(if old { "capath-old" } else { "capath-new" });
        let subject = f.root.cert.subject();
        let h = if old {
            subject.hash_old()
        } else {
            subject.hash()
        };
        std::fs::write(dir.path(&format!("{h:08x}.0")), pem_of(&f.root.cert)).unwrap();
        let ih = if old {
            f.inter.cert.subject().hash_old()
        } else {
            f.inter.cert.subject().hash()
        };
        let crl = crl(&f.inter, &[3], "20250101000000Z", "20270101000000Z");
        std::fs::write(dir.path(&format!("{ih:08x}.r0")), crl.to_pem().unwrap()).unwrap();
        let mut store = X509Store::new();
        store.load_locations(None, Some(&dir.0)).unwrap();
        store.set_time(AT).unwrap();
        let chain = [f.inter.cert.clone()];
        X509StoreContext::new(&store, &f.service.cert, Some(&chain))
            .verify_certificate()
            .unwrap();
        // The CRL in the directory is found too.
        store.set_flags(X509StoreFlags::CRL_CHECK).unwrap();
        let e = X509StoreContext::new(&store, &f.service.cert, Some(&chain))
            .verify_certificate()
            .unwrap_err();
        assert_eq!(e.code(), 23);
    }
    // An empty directory: unable to get local issuer certificate.
    let dir = TempDir::new("capath-empty");
    let mut store = X509Store::new();
    store.load_locations(None, Some(&dir.0)).unwrap();
    store.set_time(AT).unwrap();
    let e = X509StoreContext::new(&store, &f.inter.cert, None)
        .verify_certificate()
        .unwrap_err();
    assert_eq!(e.code(), 20);
    // A CA file with the root and a CRL.
    let dir = TempDir::new("cafile");
    let file = dir.path("ca.pem");
    let mut data = pem_of(&f.root.cert);
    data.extend(
        crl(&f.root, &[], "20250101000000Z", "20270101000000Z")
            .to_pem()
            .unwrap(),
    );
    std::fs::write(&file, data).unwrap();
    let mut store = X509Store::new();
    store.load_locations(Some(&file), None).unwrap();
    assert_eq!(store.certificates().len(), 1);
    assert_eq!(store.crls().len(), 1);
}

#[test]
fn system_trust_store() {
    let mut store = X509Store::new();
    store.set_default_verify_paths().unwrap();
    assert!(
        !store.certificates().is_empty(),
        "the system bundle has certificates"
    );
}

#[test]
fn verify_callback_order_and_override() {
    let f = fixture();
    let store = store_with(&[&f.root.cert, &f.inter.cert]);
    let calls = RefCell::new(Vec::new());
    let mut ctx = X509StoreContext::new(&store, &f.service.cert, None);
    ctx.set_verify_callback(|c, err, depth, ok| {
        calls.borrow_mut().push((cn(c), err.code(), depth, ok));
        ok
    });
    ctx.verify_certificate().unwrap();
    drop(ctx);
    assert_eq!(
        calls.take(),
        [
            ("Testing Root CA".to_owned(), 0, 2, true),
            ("intermediate".to_owned(), 0, 1, true),
            ("intermediate-service".to_owned(), 0, 0, true),
        ]
    );
    // Untrusted: one error call; returning ok fails.
    let store = store_with(&[]);
    let mut ctx = X509StoreContext::new(&store, &f.service.cert, None);
    ctx.set_verify_callback(|c, err, depth, ok| {
        calls.borrow_mut().push((cn(c), err.code(), depth, ok));
        ok
    });
    let e = ctx.verify_certificate().unwrap_err();
    drop(ctx);
    assert_eq!(e.code(), 20);
    assert_eq!(
        calls.take(),
        [("intermediate-service".to_owned(), 20, 0, false)]
    );
    // Returning true overrides every error: 20, then 21 (OpenSSL's order).
    let mut ctx = X509StoreContext::new(&store, &f.service.cert, None);
    ctx.set_verify_callback(|c, err, depth, ok| {
        calls.borrow_mut().push((cn(c), err.code(), depth, ok));
        true
    });
    let chain = ctx.verify_certificate().unwrap();
    drop(ctx);
    assert_eq!(chain.len(), 1);
    assert_eq!(
        calls.take(),
        [
            ("intermediate-service".to_owned(), 20, 0, false),
            ("intermediate-service".to_owned(), 21, 0, false),
            ("intermediate-service".to_owned(), 0, 0, true),
        ]
    );
}
