//! Purpose checks (`X509_V_ERR_INVALID_PURPOSE`, 26): for every case and
//! purpose, X509StoreContext reports the same first error (code, depth) as
//! `openssl verify -purpose NAME`, and its callback sees the same errors in
//! the same order as the CLI's callback.

use puressl::crypto::{Purpose, X509Store, X509StoreFlags, X509};

use crate::support::pki;
use pki::*;

/// The purposes OpenSSL 3.0's `openssl verify -purpose` knows.
const PURPOSES: [Purpose; 9] = [
    Purpose::SslClient,
    Purpose::SslServer,
    Purpose::NsSslServer,
    Purpose::SmimeSign,
    Purpose::SmimeEncrypt,
    Purpose::CrlSign,
    Purpose::Any,
    Purpose::OcspHelper,
    Purpose::TimestampSign,
];

/// Extensions: (name, critical, value).
type Exts<'a> = Vec<(&'a str, bool, &'a str)>;
/// (case name, leaf, trusted, untrusted).
type Chain<'a> = (&'a str, &'a X509, Vec<&'a X509>, Vec<&'a X509>);

fn check(dir: &TempDir, case: &Case<'_>) -> Outcome {
    let cli = openssl_verify(dir, case);
    let ours = puressl_verify(case);
    let p = case.purpose.map_or("none", Purpose::name);
    assert_eq!(ours.0, cli.0, "{} -purpose {p}: first error", case.name);
    assert_eq!(ours.1, cli.1, "{} -purpose {p}: callback errors", case.name);
    ours
}

/// A version 1 self-signed root without extensions.
fn v1_root(cn: &str, key: &puressl::crypto::PKey) -> Ca {
    let mut c = X509::new();
    c.set_version(0).unwrap();
    c.set_serial_number(77u64);
    c.subject_mut().set("CN", cn).unwrap();
    c.set_issuer(&c.subject().clone());
    c.set_not_before("20250101000000Z").unwrap();
    c.set_not_after("20350101000000Z").unwrap();
    c.set_pubkey(key).unwrap();
    c.sign(key, "sha256").unwrap();
    Ca {
        cert: c,
        key: key.clone(),
    }
}

/// Runs `chains` (name, leaf, trusted, untrusted) under every purpose and
/// without one, with and without strict mode.
fn run_all(dir: &TempDir, chains: &[Chain<'_>], strict: bool) -> usize {
    let mut failures = 0;
    for (name, leaf, trusted, untrusted) in chains {
        for purpose in PURPOSES.map(Some).into_iter().chain([None]) {
            let mut case = Case::new(name, leaf, trusted.clone(), untrusted.clone());
            case.purpose = purpose;
            if strict {
                case.flags = X509StoreFlags::X509_STRICT;
            }
            if check(dir, &case).0.is_some_and(|(c, _)| c == 26) {
                failures += 1;
            }
        }
    }
    failures
}

#[test]
fn leaf_extensions_under_every_purpose() {
    leaf_matrix(false);
}

#[test]
fn leaf_extensions_under_every_purpose_strict() {
    leaf_matrix(true);
}

#[test]
fn ca_extensions_under_every_purpose() {
    ca_matrix(false);
}

#[test]
fn ca_extensions_under_every_purpose_strict() {
    ca_matrix(true);
}

/// Leaves with each extendedKeyUsage / keyUsage / nsCertType variant under
/// a root, for every purpose.
fn leaf_matrix(strict: bool) {
    let dir = TempDir::new(if strict {
        "purpose-leaf-s"
    } else {
        "purpose-leaf"
    });
    let rk = key("ec-p384");
    let k = key("ec-p256");
    let root = make(&Spec::ca("P Root", 1), &rk, None);
    let leaf_specs: Vec<(&str, Exts<'_>)> = vec![
        ("plain", vec![]),
        (
            "eku-server",
            vec![("extendedKeyUsage", false, "serverAuth")],
        ),
        (
            "eku-client",
            vec![("extendedKeyUsage", false, "clientAuth")],
        ),
        (
            "eku-email",
            vec![("extendedKeyUsage", false, "emailProtection")],
        ),
        ("eku-code", vec![("extendedKeyUsage", false, "codeSigning")]),
        (
            "eku-both",
            vec![("extendedKeyUsage", true, "serverAuth, clientAuth")],
        ),
        (
            "eku-any",
            vec![("extendedKeyUsage", false, "anyExtendedKeyUsage")],
        ),
        ("eku-sgc", vec![("extendedKeyUsage", false, "nsSGC")]),
        ("ku-sig", vec![("keyUsage", true, "digitalSignature")]),
        ("ku-encipher", vec![("keyUsage", true, "keyEncipherment")]),
        ("ku-agree", vec![("keyUsage", true, "keyAgreement")]),
        ("ku-nonrep", vec![("keyUsage", true, "nonRepudiation")]),
        ("ku-crl", vec![("keyUsage", true, "cRLSign")]),
        ("ns-client", vec![("nsCertType", false, "client")]),
        ("ns-server", vec![("nsCertType", false, "server")]),
        ("ns-email", vec![("nsCertType", false, "email")]),
        ("ns-objsign", vec![("nsCertType", false, "objsign")]),
        (
            "tsa",
            vec![
                ("extendedKeyUsage", true, "timeStamping"),
                ("keyUsage", true, "digitalSignature"),
            ],
        ),
        (
            "tsa-noncritical",
            vec![("extendedKeyUsage", false, "timeStamping")],
        ),
        (
            "server-ku-sig",
            vec![
                ("extendedKeyUsage", false, "serverAuth"),
                ("keyUsage", true, "digitalSignature, keyEncipherment"),
            ],
        ),
    ];
    let leaves: Vec<(String, Ca)> = leaf_specs
        .iter()
        .enumerate()
        .map(|(i, (name, exts))| {
            let mut spec = Spec::new(name, 100 + i as u64);
            for (n, c, v) in exts {
                spec = spec.ext(n, *c, v);
            }
            ((*name).to_string(), make(&spec, &k, Some(&root)))
        })
        .collect();
    let chains: Vec<Chain<'_>> = leaves
        .iter()
        .map(|(n, l)| (n.as_str(), &l.cert, vec![&root.cert], vec![]))
        .collect();
    let failures = run_all(&dir, &chains, strict);
    // Sanity: the matrix does exercise the purpose error.
    assert!(failures > 40, "{failures}");
}

/// Intermediates and roots with each CA variant (no keyCertSign,
/// CA:FALSE, keyUsage or nsCertType only, no extensions, v1 root, EKU),
/// for every purpose.
fn ca_matrix(strict: bool) {
    let dir = TempDir::new(if strict { "purpose-ca-s" } else { "purpose-ca" });
    let rk = key("ec-p384");
    let k = key("ec-p256");
    let root = make(&Spec::ca("Q Root", 1), &rk, None);
    let v1 = v1_root("Q V1 Root", &rk);
    let inter_specs: Vec<(&str, Exts<'_>)> = vec![
        (
            "ca",
            vec![
                ("basicConstraints", true, "CA:TRUE"),
                ("keyUsage", true, "keyCertSign, cRLSign"),
            ],
        ),
        (
            "ca-eku-server",
            vec![
                ("basicConstraints", true, "CA:TRUE"),
                ("extendedKeyUsage", false, "serverAuth"),
            ],
        ),
        (
            "ca-eku-client",
            vec![
                ("basicConstraints", true, "CA:TRUE"),
                ("extendedKeyUsage", false, "clientAuth"),
            ],
        ),
        (
            "ca-eku-email",
            vec![
                ("basicConstraints", true, "CA:TRUE"),
                ("extendedKeyUsage", false, "emailProtection"),
            ],
        ),
        (
            "ca-no-certsign",
            vec![
                ("basicConstraints", true, "CA:TRUE"),
                ("keyUsage", true, "digitalSignature, cRLSign"),
            ],
        ),
        ("ca-false", vec![("basicConstraints", true, "CA:FALSE")]),
        ("ku-only", vec![("keyUsage", true, "keyCertSign")]),
        ("ns-sslca", vec![("nsCertType", false, "sslCA")]),
        ("ns-emailca", vec![("nsCertType", false, "emailCA")]),
        ("no-ext", vec![]),
    ];
    let inters: Vec<(String, Ca, Ca)> = inter_specs
        .iter()
        .enumerate()
        .map(|(i, (name, exts))| {
            let mut spec = Spec::new(name, 200 + i as u64);
            for (n, c, v) in exts {
                spec = spec.ext(n, *c, v);
            }
            let inter = make(&spec, &k, Some(&root));
            let leaf = make(
                &Spec::new("leaf.example.com", 300 + i as u64),
                &k,
                Some(&inter),
            );
            ((*name).to_string(), inter, leaf)
        })
        .collect();
    let under_v1 = make(&Spec::new("v1leaf.example.com", 400), &k, Some(&v1));
    let client_root = make(
        &Spec::ca("Q Client Root", 2).ext("extendedKeyUsage", false, "clientAuth"),
        &rk,
        None,
    );
    let under_client_root = make(&Spec::new("c.example.com", 401), &k, Some(&client_root));
    let mut chains: Vec<Chain<'_>> = inters
        .iter()
        .map(|(n, i, l)| (n.as_str(), &l.cert, vec![&root.cert], vec![&i.cert]))
        .collect();
    chains.push(("v1-root", &under_v1.cert, vec![&v1.cert], vec![]));
    chains.push((
        "root-eku-client",
        &under_client_root.cert,
        vec![&client_root.cert],
        vec![],
    ));
    let failures = run_all(&dir, &chains, strict);
    assert!(failures > 10, "{failures}");
}

#[test]
fn names_and_ids() {
    for (i, p) in PURPOSES.iter().enumerate() {
        assert_eq!(p.id(), i as i32 + 1);
        assert_eq!(Purpose::from_name(p.name()).unwrap(), *p);
        assert_eq!(Purpose::from_id(p.id()).unwrap(), *p);
    }
    assert_eq!(Purpose::from_name("codesign").unwrap().id(), 10);
    assert!(Purpose::from_name("sslServer").is_err());
    assert!(Purpose::from_id(0).is_err());
    assert!(Purpose::from_id(11).is_err());
    let mut store = X509Store::new();
    assert_eq!(store.purpose(), None);
    let err = store.set_purpose(Purpose::CodeSign).unwrap_err();
    assert!(err.to_string().contains("codesign"), "{err}");
    assert_eq!(store.purpose(), None);
    store.set_purpose(Purpose::CrlSign).unwrap();
    assert_eq!(store.purpose(), Some(Purpose::CrlSign));
}
