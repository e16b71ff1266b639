//! Host, e-mail and IP checks (issue 15) and the certificates OpenSSL
//! treats as invalid, against OpenSSL 3.0:
//! - `X509::check_host` / `check_email` / `check_ip` answer as libcrypto's
//!   `X509_check_host` / `X509_check_email` / `X509_check_ip_asc` with every
//!   `X509_CHECK_FLAG_*` (called through Python's ctypes: the CLI has no
//!   host-flag options);
//! - `X509Store::set_host` / `set_email` / `set_ip` report the same first
//!   error and the same callback errors as `openssl verify -verify_hostname
//!   / -verify_email / -verify_ip`;
//! - malformed subjectAltNames and repeated extensions (built with `der`)
//!   fail as in `openssl verify`, as do the name-constraint work limit and
//!   invalid IP names under IP constraints.

use std::io::Write;
use std::process::{Command, Stdio};

use der::asn1::Any;
use der::{Encode, Tag, TagNumber};
use puressl::crypto::{HostFlags, X509Store, X509StoreContext, X509StoreFlags, X509};

use crate::support::pki;
use pki::*;

/// Extensions: (name, critical, value).
type Exts = Vec<(&'static str, bool, &'static str)>;

fn check(dir: &TempDir, case: &Case<'_>) -> Outcome {
    let cli = openssl_verify(dir, case);
    let ours = puressl_verify(case);
    let what = format!(
        "{} host={:?} email={:?} ip={:?}",
        case.name, case.host, case.email, case.ip
    );
    assert_eq!(ours.0, cli.0, "{what}: first error");
    assert_eq!(ours.1, cli.1, "{what}: callback errors");
    ours
}

struct Leaves {
    root: Ca,
    certs: Vec<(&'static str, Ca)>,
}

const HOSTS: &[&str] = &[
    "www.example.com",
    "WWW.EXAMPLE.COM",
    "cn.example.com",
    "a.wild.example.com",
    "A.Wild.Example.Com",
    "a.b.wild.example.com",
    "wild.example.com",
    "foo.part.example.com",
    "f.part.example.com",
    "oof.part.example.com",
    "example.com",
    "xn--bcher-kva.example.com",
    "XN--BCHER-KVA.example.com",
    "a.xn--idn.example",
    "xn--a.xn--idn.example",
    "upper.example.org",
    ".example.com",
    ".wild.example.com",
    ".org",
    "127.0.0.1",
    "x.cnwild.example.com",
    "single",
    "a.single",
    "*.wild.example.com",
    "www.example.com.",
    "a_b.wild.example.com",
];

const EMAILS: &[&str] = &[
    "User@Example.com",
    "User@example.COM",
    "user@example.com",
    "Alice@example.com",
    "alice@example.com",
    "bob@EXAMPLE.com",
    "Bob@example.com",
    "example.com",
];

const IPS: &[&str] = &[
    "127.0.0.1",
    "::1",
    "127.0.0.2",
    "::ffff:127.0.0.1",
    "0:0:0:0:0:0:0:1",
    "10.1.2.3",
];

/// The flag sets of the `check_*` comparison.
const FLAG_SETS: &[u32] = &[0, 0x1, 0x2, 0x4, 0x8, 0x10, 0x20, 0x24, 0x9, 0x21];

fn leaves() -> Leaves {
    let root = make(&Spec::ca("Identity Root", 1), &key("ec-p256"), None);
    let lk = key("ec-p256");
    let mk = |spec: Spec<'_>| make(&spec, &lk, Some(&root));
    let certs = vec![
        (
            "san",
            mk(Spec::new("cn.example.com", 10).ext(
                "subjectAltName",
                false,
                "DNS:www.example.com, DNS:*.wild.example.com, DNS:f*.part.example.com, \
                 DNS:*.com, DNS:xn--bcher-kva.example.com, DNS:*.xn--idn.example, \
                 DNS:UPPER.Example.ORG, DNS:*.single",
            )),
        ),
        (
            "cn",
            mk(Spec::new("cn.example.com", 11).subject_entry("emailAddress", "Alice@Example.COM")),
        ),
        ("cnwild", mk(Spec::new("*.cnwild.example.com", 12))),
        (
            "ip",
            mk(Spec::new("127.0.0.1", 13).ext(
                "subjectAltName",
                false,
                "IP:127.0.0.1, IP:::1, email:User@Example.com",
            )),
        ),
        (
            "mixed",
            mk(Spec::new("cn.example.com", 14)
                .subject_entry("emailAddress", "alice@example.com")
                .ext(
                    "subjectAltName",
                    false,
                    "email:bob@example.com, URI:https://www.example.com/, IP:10.1.2.3",
                )),
        ),
        (
            "nosubject",
            mk(Spec::new("", 15).ext("subjectAltName", true, "DNS:www.example.com")),
        ),
    ];
    Leaves { root, certs }
}

/// libcrypto's answers (`> 0` is a match) for `(cert file, kind, flags,
/// value)` queries, through Python's ctypes.
fn libcrypto_answers(queries: &[(String, &str, u32, &str)]) -> Vec<i32> {
    const SCRIPT: &str = r#"
import ctypes, ctypes.util, sys
lib = ctypes.CDLL(ctypes.util.find_library("crypto"))
V = ctypes.c_void_p
lib.BIO_new_file.restype = V
lib.BIO_new_file.argtypes = [ctypes.c_char_p, ctypes.c_char_p]
lib.PEM_read_bio_X509.restype = V
lib.PEM_read_bio_X509.argtypes = [V, V, V, V]
lib.X509_check_host.argtypes = [V, ctypes.c_char_p, ctypes.c_size_t, ctypes.c_uint, V]
lib.X509_check_email.argtypes = [V, ctypes.c_char_p, ctypes.c_size_t, ctypes.c_uint]
lib.X509_check_ip_asc.argtypes = [V, ctypes.c_char_p, ctypes.c_uint]
certs = {}
for line in sys.stdin:
    path, kind, flags, value = line.rstrip("\n").split("\t")
    if path not in certs:
        certs[path] = lib.PEM_read_bio_X509(lib.BIO_new_file(path.encode(), b"r"), None, None, None)
    x, v, f = certs[path], value.encode(), int(flags)
    if kind == "host":
        r = lib.X509_check_host(x, v, len(v), f, None)
    elif kind == "email":
        r = lib.X509_check_email(x, v, len(v), f)
    else:
        r = lib.X509_check_ip_asc(x, v, f)
    print(r)
"#;
    let mut child = Command::new("python3")
        .arg("-c")
        .arg(SCRIPT)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("python3");
    let mut input = String::new();
    for (path, kind, flags, value) in queries {
        input.push_str(&format!("{path}\t{kind}\t{flags}\t{value}\n"));
    }
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "python3 ctypes oracle failed");
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| l.parse().unwrap())
        .collect()
}

#[test]
fn check_functions_answer_as_libcrypto_with_every_flag() {
    let dir = TempDir::new("identity-check");
    let l = leaves();
    let mut queries = Vec::new();
    let mut ours = Vec::new();
    for (name, leaf) in &l.certs {
        let path = dir.path(&format!("{name}.pem"));
        write_certs(&path, &[&leaf.cert]);
        let path = path.display().to_string();
        for &flags in FLAG_SETS {
            let hf = HostFlags::from_bits(flags).unwrap();
            for h in HOSTS {
                queries.push((path.clone(), "host", flags, *h));
                ours.push(leaf.cert.check_host(h, hf).unwrap());
            }
        }
        for e in EMAILS {
            queries.push((path.clone(), "email", 0, *e));
            ours.push(leaf.cert.check_email(e).unwrap());
        }
        for ip in IPS {
            queries.push((path.clone(), "ip", 0, *ip));
            ours.push(leaf.cert.check_ip(ip.parse().unwrap()).unwrap());
        }
    }
    let theirs = libcrypto_answers(&queries);
    assert_eq!(theirs.len(), queries.len());
    let mut matches = 0;
    for ((q, ours), theirs) in queries.iter().zip(&ours).zip(&theirs) {
        assert_eq!(*ours, *theirs > 0, "{q:?}: ours {ours}, libcrypto {theirs}");
        matches += usize::from(*ours);
    }
    // The matrix has both answers in numbers.
    assert!(matches > 100 && matches < queries.len() / 2, "{matches}");
    // Bad input is an error, as OpenSSL's -2.
    let cert = &l.certs[0].1.cert;
    assert!(cert.check_host("", HostFlags::empty()).is_err());
    assert!(cert
        .check_host("a\0b.example.com", HostFlags::empty())
        .is_err());
    assert!(cert.check_email("a\0@example.com").is_err());
}

#[test]
fn store_host_email_ip_checks_match_openssl_verify() {
    let dir = TempDir::new("identity-verify");
    let l = leaves();
    for (name, leaf) in &l.certs {
        for h in HOSTS {
            let mut case = Case::new(name, &leaf.cert, vec![&l.root.cert], vec![]);
            case.host = Some(h);
            check(&dir, &case);
        }
        for e in EMAILS {
            let mut case = Case::new(name, &leaf.cert, vec![&l.root.cert], vec![]);
            case.email = Some(e);
            check(&dir, &case);
        }
        for ip in IPS {
            let mut case = Case::new(name, &leaf.cert, vec![&l.root.cert], vec![]);
            case.ip = Some(ip);
            check(&dir, &case);
        }
    }
    // All three at once, right and wrong.
    let ip_leaf = &l.certs[3].1.cert;
    let mut case = Case::new("all", ip_leaf, vec![&l.root.cert], vec![]);
    case.host = Some("127.0.0.1");
    case.email = Some("User@example.COM");
    case.ip = Some("::1");
    assert_eq!(check(&dir, &case).0, None);
    case.host = Some("localhost");
    assert_eq!(check(&dir, &case).0, Some((62, 0)));
    case.host = None;
    case.email = Some("user@example.com");
    assert_eq!(check(&dir, &case).0, Some((63, 0)));
    case.email = None;
    case.ip = Some("127.0.0.2");
    assert_eq!(check(&dir, &case).0, Some((64, 0)));
}

#[test]
fn identity_errors_come_where_openssl_reports_them() {
    let dir = TempDir::new("identity-order");
    let root = make(&Spec::ca("Order Root", 1), &key("ec-p256"), None);
    let lk = key("ec-p256");
    let san = "DNS:good.example.com";
    // Tolerated earlier errors: an unhandled critical extension (34,
    // check_extensions), an unsuitable purpose (26); later ones: expiry
    // (10, internal_verify), a bad signature (7).
    let critical = make(
        &Spec::new("c", 2)
            .ext("subjectAltName", false, san)
            .ext("1.2.3.4", true, "DER:0500"),
        &lk,
        Some(&root),
    );
    let client_only = make(
        &Spec::new("p", 3).ext("subjectAltName", false, san).ext(
            "extendedKeyUsage",
            false,
            "clientAuth",
        ),
        &lk,
        Some(&root),
    );
    let expired = make(
        &Spec::new("e", 4)
            .ext("subjectAltName", false, san)
            .times("20200101000000Z", "20210101000000Z"),
        &lk,
        Some(&root),
    );
    let other_root = make(&Spec::ca("Order Root", 1), &key("ec-p384"), None);
    let mut bad_sig = make(
        &Spec::new("s", 5).ext("subjectAltName", false, san),
        &lk,
        Some(&root),
    );
    bad_sig.cert.sign(&other_root.key, "sha256").unwrap();
    for (name, leaf, purpose, first_ok, first_bad) in [
        ("critical", &critical, None, Some((34, 0)), Some((34, 0))),
        (
            "purpose",
            &client_only,
            Some(puressl::crypto::Purpose::SslServer),
            Some((26, 0)),
            Some((26, 0)),
        ),
        ("expired", &expired, None, Some((10, 0)), Some((62, 0))),
        ("badsig", &bad_sig, None, Some((7, 0)), Some((62, 0))),
    ] {
        for (host, first) in [
            ("good.example.com", first_ok),
            ("bad.example.com", first_bad),
        ] {
            let mut case = Case::new(name, &leaf.cert, vec![&root.cert], vec![]);
            case.purpose = purpose;
            case.host = Some(host);
            assert_eq!(check(&dir, &case).0, first, "{name} {host}");
        }
    }
    // Past the CLI's callback: a callback that lets everything pass sees
    // 34, then 62, 63, 64 (check_id's order), then the expiry.
    let all = make(
        &Spec::new("all", 6)
            .ext("subjectAltName", false, "DNS:good.example.com")
            .ext("1.2.3.4", true, "DER:0500")
            .times("20200101000000Z", "20210101000000Z"),
        &lk,
        Some(&root),
    );
    let mut store = X509Store::new();
    store.add_cert(&root.cert).unwrap();
    store.set_time_unix(AT_UNIX);
    store.set_host("bad.example.com").unwrap();
    store.set_email("a@example.com").unwrap();
    store.set_ip("10.0.0.1".parse().unwrap());
    let mut seen = Vec::new();
    let mut ctx = X509StoreContext::new(&store, &all.cert, None);
    ctx.set_verify_callback(|_, code, depth, _| {
        seen.push((code.code(), depth));
        true
    });
    ctx.verify_certificate().unwrap();
    drop(ctx);
    assert_eq!(
        seen,
        vec![(34, 0), (62, 0), (63, 0), (64, 0), (0, 1), (10, 0), (0, 0)]
    );
    // A context's host replaces the store's; "" clears it.
    let mut ctx = X509StoreContext::new(&store, &all.cert, None);
    ctx.set_host("good.example.com").unwrap();
    assert_eq!(ctx.verify_certificate().unwrap_err().code(), 34);
    let mut store2 = store.clone();
    store2.set_host("").unwrap();
    store2
        .set_flags(puressl::crypto::X509StoreFlags::IGNORE_CRITICAL)
        .unwrap();
    let mut ctx = X509StoreContext::new(&store2, &all.cert, None);
    assert_eq!(ctx.verify_certificate().unwrap_err().code(), 63);
    // add_host: any one of them.
    let mut store3 = X509Store::new();
    store3.add_cert(&root.cert).unwrap();
    store3.set_time_unix(AT_UNIX);
    store3.add_host("x.example.com").unwrap();
    store3.add_host("good.example.com").unwrap();
    assert!(X509StoreContext::new(&store3, &expired.cert, None)
        .verify_certificate()
        .is_err_and(|e| e.code() == 10));
    assert!(store3.set_host("a\0b").is_err());
}

/// A subjectAltName value: a SEQUENCE of the given (tag, constructed,
/// content) GeneralNames, encoded with `der`.
fn san_der(names: &[(u32, bool, &[u8])]) -> String {
    let items: Vec<Any> = names
        .iter()
        .map(|(n, constructed, content)| {
            Any::new(
                Tag::ContextSpecific {
                    constructed: *constructed,
                    number: TagNumber(*n),
                },
                content.to_vec(),
            )
            .unwrap()
        })
        .collect();
    let der = items.to_der().unwrap();
    der.iter().map(|b| format!("{b:02X}")).collect()
}

#[test]
fn malformed_alt_names_and_repeated_extensions_fail_as_in_openssl() {
    let dir = TempDir::new("identity-invalid");
    let root = make(&Spec::ca("Invalid Root", 1), &key("ec-p256"), None);
    let ik = key("ec-p384");
    let lk = key("ec-p256");
    let inter = make(&Spec::ca("Invalid Inter", 2), &ik, Some(&root));
    let oid_name: &[u8] = &[0x06, 0x03, 0x2a, 0x03, 0x04, 0xa0, 0x02, 0x05, 0x00];
    let dir_name: &[u8] = &[0x30, 0x00];
    let mut sans: Vec<(String, String, bool)> = Vec::new();
    let mut push = |label: String, names: &[(u32, bool, &[u8])], fails: bool| {
        sans.push((label, format!("DER:{}", san_der(names)), fails));
    };
    // Primitive encodings of the constructed choices.
    for n in [0u32, 3, 4, 5] {
        push(
            format!("primitive-[{n}]"),
            &[(2, false, b"ok.example.com"), (n, false, b"\xff")],
            true,
        );
    }
    // Undefined tags, primitive and constructed.
    for n in 9u32..=15 {
        push(format!("undefined-[{n}]"), &[(n, false, b"x")], true);
        push(
            format!("undefined-c[{n}]"),
            &[(n, true, &[0x05, 0x00])],
            true,
        );
    }
    // Well-formed ones of every choice, and BER forms OpenSSL accepts.
    push("otherName".into(), &[(0, true, oid_name)], false);
    push("directoryName".into(), &[(4, true, dir_name)], false);
    push("x400".into(), &[(3, true, &[0x30, 0x00])], false);
    push("registeredID".into(), &[(8, false, &[0x2a, 0x03])], false);
    push(
        "registeredID-bad".into(),
        &[(8, false, &[0x2a, 0x83])],
        true,
    );
    push(
        "constructed-dns".into(),
        &[(2, true, &[0x16, 0x01, b'a'])],
        false,
    );
    push(
        "constructed-oid".into(),
        &[(8, true, &[0x06, 0x01, 0x2a])],
        true,
    );
    push(
        "otherName-no-value".into(),
        &[(0, true, &[0x06, 0x01, 0x2a])],
        true,
    );
    push(
        "ediParty".into(),
        &[(5, true, &[0xa1, 0x03, 0x0c, 0x01, b'x'])],
        false,
    );
    push(
        "ediParty-bad".into(),
        &[(5, true, &[0xa1, 0x01, 0x00])],
        true,
    );
    push("ip-5-bytes".into(), &[(7, false, &[1, 2, 3, 4, 5])], false);
    let mut failing = 0;
    for (i, (label, value, fails)) in sans.iter().enumerate() {
        let leaf = make(
            &Spec::new("leaf.example.com", 100 + i as u64).ext("subjectAltName", false, value),
            &lk,
            Some(&inter),
        );
        let case = Case::new(label, &leaf.cert, vec![&root.cert], vec![&inter.cert]);
        let got = check(&dir, &case).0;
        assert_eq!(got.is_some(), *fails, "{label}: {got:?}");
        failing += usize::from(got.is_some());
        if *fails {
            assert_eq!(got, Some((20, 0)), "{label}");
            // The one-off check ignores an undecodable SAN, as OpenSSL does.
            assert!(leaf
                .cert
                .check_host("leaf.example.com", HostFlags::empty())
                .unwrap());
        }
    }
    assert!(failing >= 20, "{failing}");

    // Repeated extensions: on the leaf, the intermediate, the root.
    let twice =
        |name: &'static str, value: &'static str| -> Vec<(&'static str, bool, &'static str)> {
            vec![(name, false, value), (name, false, value)]
        };
    let mut rows: Vec<(String, Exts)> = vec![
        (
            "dup-san".into(),
            twice("subjectAltName", "DNS:leaf.example.com"),
        ),
        ("dup-bc".into(), twice("basicConstraints", "CA:FALSE")),
        ("dup-ku".into(), twice("keyUsage", "digitalSignature")),
        ("dup-eku".into(), twice("extendedKeyUsage", "serverAuth")),
        ("dup-unknown".into(), twice("1.2.3.4", "DER:0500")),
        (
            "dup-crldp".into(),
            twice("crlDistributionPoints", "URI:http://crl.example/x.crl"),
        ),
        ("dup-cp".into(), twice("certificatePolicies", "1.2.3.4")),
        (
            "dup-aia".into(),
            twice("authorityInfoAccess", "OCSP;URI:http://ocsp.example/"),
        ),
    ];
    rows.push(("empty-ku".into(), vec![("keyUsage", false, "DER:030100")]));
    for (i, (label, exts)) in rows.iter().enumerate() {
        let mut spec = Spec::new("leaf.example.com", 200 + i as u64);
        for (n, c, v) in exts {
            spec = spec.ext(n, *c, v);
        }
        let leaf = make(&spec, &lk, Some(&inter));
        let case = Case::new(label, &leaf.cert, vec![&root.cert], vec![&inter.cert]);
        check(&dir, &case);
    }
    for (label, ext) in [
        ("inter-dup-bc", ("basicConstraints", "CA:TRUE")),
        ("inter-dup-unknown", ("1.2.3.4", "DER:0500")),
    ] {
        let mut spec = Spec::ca("Dup Inter", 300);
        spec = spec.ext(ext.0, false, ext.1);
        let bad_inter = make(&spec, &ik, Some(&root));
        let leaf = make(&Spec::new("leaf.example.com", 301), &lk, Some(&bad_inter));
        let case = Case::new(label, &leaf.cert, vec![&root.cert], vec![&bad_inter.cert]);
        check(&dir, &case);
        let case = Case::new(label, &leaf.cert, vec![&root.cert, &bad_inter.cert], vec![]);
        check(&dir, &case);
    }
    // A root whose basicConstraints says CA:FALSE but keyUsage allows
    // keyCertSign: OpenSSL 3.0.19 reports 79 (invalid CA) at depth 1 here.
    let odd_root = make(
        &Spec::new("Odd Root", 400)
            .ext("basicConstraints", true, "CA:FALSE")
            .ext("keyUsage", true, "keyCertSign, cRLSign"),
        &key("ec-p384"),
        None,
    );
    let leaf = make(&Spec::new("leaf.example.com", 401), &lk, Some(&odd_root));
    let case = Case::new("odd-root", &leaf.cert, vec![&odd_root.cert], vec![]);
    assert_eq!(check(&dir, &case).0, Some((79, 1)));
}

#[test]
fn name_constraint_limits_and_ip_syntax_match_openssl() {
    let dir = TempDir::new("identity-nc");
    let root = make(&Spec::ca("NC Root", 1), &key("ec-p256"), None);
    let ik = key("ec-p384");
    let lk = key("ec-p256");
    // IP constraints against a 5-byte IP SAN: 53 (unsupported name syntax).
    let ip_ca = make(
        &Spec::ca("NC IP", 2).ext("nameConstraints", true, "permitted;IP:10.0.0.0/255.0.0.0"),
        &ik,
        Some(&root),
    );
    let odd_ip = format!("DER:{}", san_der(&[(7, false, &[10, 1, 2, 3, 4])]));
    let leaf = make(
        &Spec::new("leaf", 10).ext("subjectAltName", false, &odd_ip),
        &lk,
        Some(&ip_ca),
    );
    let case = Case::new("nc-ip5", &leaf.cert, vec![&root.cert], vec![&ip_ca.cert]);
    assert_eq!(check(&dir, &case).0, Some((53, 0)));
    // An rfc822Name with two '@' under an e-mail constraint: OpenSSL
    // matches the host after the last '@' and accepts; puressl takes the
    // first '@', so the host is "evil.example@example.com", outside the
    // permitted "example.com": 47. A documented, deliberate difference.
    let mail_ca = make(
        &Spec::ca("NC Mail", 4).ext("nameConstraints", true, "permitted;email:example.com"),
        &ik,
        Some(&root),
    );
    let two_at = format!(
        "DER:{}",
        san_der(&[(1, false, b"a@evil.example@example.com")])
    );
    let leaf = make(
        &Spec::new("leaf", 11).ext("subjectAltName", false, &two_at),
        &lk,
        Some(&mail_ca),
    );
    let case = Case::new(
        "nc-two-at",
        &leaf.cert,
        vec![&root.cert],
        vec![&mail_ca.cert],
    );
    assert_eq!(openssl_verify(&dir, &case).0, None);
    assert_eq!(puressl_verify(&case).0, Some((47, 0)));
    // Work limit: (subject entries + SANs) × (permitted + excluded) over
    // 2^20 is error 1 at the leaf's depth.
    let permitted: Vec<String> = (0..1100).map(|i| format!("DNS:p{i}.example.com")).collect();
    let nc = format!("permitted;{}", permitted.join(",permitted;"));
    let big_ca = make(
        &Spec::ca("NC Big", 3).ext("nameConstraints", true, &nc),
        &ik,
        Some(&root),
    );
    for (label, n_names, first) in [
        ("nc-under", 900, Some((47, 0))),
        ("nc-over", 960, Some((1, 0))),
    ] {
        let sans: Vec<String> = (0..n_names)
            .map(|i| format!("DNS:n{i}.other.example"))
            .collect();
        let leaf = make(
            &Spec::new("leaf", 20).ext("subjectAltName", false, &sans.join(",")),
            &lk,
            Some(&big_ca),
        );
        let case = Case::new(label, &leaf.cert, vec![&root.cert], vec![&big_ca.cert]);
        assert_eq!(check(&dir, &case).0, first, "{label}");
    }
}

#[test]
fn explicit_ec_parameters_are_error_94_as_in_openssl() {
    let dir = TempDir::new("identity-explicit");
    let days = ["-days", "3650"];
    openssl_in(
        &dir,
        &[
            "ecparam",
            "-name",
            "prime256v1",
            "-param_enc",
            "explicit",
            "-genkey",
            "-noout",
            "-out",
            "ex.key",
        ],
    );
    openssl_in(
        &dir,
        &[
            "ecparam",
            "-name",
            "prime256v1",
            "-genkey",
            "-noout",
            "-out",
            "named.key",
        ],
    );
    for (name, key) in [("exca", "ex.key"), ("namedca", "named.key")] {
        let mut args = vec!["req", "-x509", "-key", key, "-subj"];
        let subj = format!("/CN={name}");
        args.extend([subj.as_str(), "-out"]);
        let out = format!("{name}.pem");
        args.push(&out);
        args.extend(days);
        args.extend([
            "-addext",
            "basicConstraints=critical,CA:TRUE",
            "-addext",
            "keyUsage=keyCertSign,cRLSign",
        ]);
        openssl_in(&dir, &args);
    }
    for (name, key, ca, ca_key) in [
        ("exleaf", "ex.key", "namedca.pem", "named.key"),
        ("underex", "named.key", "exca.pem", "ex.key"),
    ] {
        let csr = format!("{name}.csr");
        let subj = format!("/CN={name}.example");
        openssl_in(
            &dir,
            &["req", "-new", "-key", key, "-subj", &subj, "-out", &csr],
        );
        let out = format!("{name}.pem");
        let mut args = vec![
            "x509",
            "-req",
            "-in",
            &csr,
            "-CA",
            ca,
            "-CAkey",
            ca_key,
            "-set_serial",
            "7",
            "-out",
            &out,
        ];
        args.extend(days);
        openssl_in(&dir, &args);
    }
    let load = |n: &str| X509::from_pem(&std::fs::read(dir.path(n)).unwrap()).unwrap();
    let (exca, namedca, exleaf, underex) = (
        load("exca.pem"),
        load("namedca.pem"),
        load("exleaf.pem"),
        load("underex.pem"),
    );
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    for (label, leaf, ca, want) in [
        ("explicit-leaf", &exleaf, &namedca, Some((94, 0))),
        ("explicit-ca", &underex, &exca, Some((94, 1))),
        ("explicit-alone", &exca, &exca, None),
    ] {
        for (flags, level) in [
            (X509StoreFlags::empty(), None),
            (X509StoreFlags::X509_STRICT, None),
            (X509StoreFlags::empty(), Some(1)),
        ] {
            let mut case = Case::new(label, leaf, vec![ca], vec![]);
            case.at = now;
            case.flags = flags;
            case.auth_level = level;
            assert_eq!(check(&dir, &case).0, want, "{label} {flags:?} {level:?}");
        }
    }
}
