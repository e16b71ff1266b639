//! Unit tests against the vectors and the `openssl` CLI (the helpers they
//! need are crate-private: `from_parts`, `ExtContext`, `print_extensions`).

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};

use const_oid::ObjectIdentifier;
use der::{Decode, Encode};
use x509_cert::certificate::CertificateInner;
use x509_cert::crl::CertificateList;
use x509_cert::ext::Extension;
use x509_cert::request::{CertReq, ExtensionReq};

use super::{print_extensions, ExtContext, X509Extension};
use crate::crypto::asn1::tlv::{self, tag};

fn vectors() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/vectors")
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// DER of a vector file (the first PEM block for PEM files).
fn read_der(rel: &str) -> Vec<u8> {
    let bytes = std::fs::read(vectors().join(rel)).expect("vector file");
    if bytes.starts_with(b"0") {
        return bytes;
    }
    let text = String::from_utf8_lossy(&bytes).replace("X509 CERTIFICATE", "CERTIFICATE");
    pem::parse(text.as_bytes()).expect("PEM").into_contents()
}

fn convert(exts: &[Extension]) -> Vec<X509Extension> {
    exts.iter()
        .map(|e| X509Extension::from_parts(e.extn_id, e.critical, e.extn_value.as_bytes().to_vec()))
        .collect()
}

/// The extensions of a certificate, read at the TLV level: x509-cert's
/// strict time and serial checks refuse some of the vectors (a UTCTime it
/// does not accept, a negative serial), which is beside the point here.
fn cert_exts(der: &[u8]) -> Vec<X509Extension> {
    let cert = tlv::parse_tagged(der, tag::SEQUENCE, "certificate").expect("certificate");
    let mut tbs = cert
        .reader()
        .read_tag(tag::SEQUENCE, "tbs")
        .expect("tbs")
        .reader();
    while !tbs.is_empty() {
        let field = tbs.read("field").expect("field");
        if field.tag == 0xa3 {
            let list = tlv::parse_tagged(field.content, tag::SEQUENCE, "extensions");
            return super::list::parse(list.expect("extensions").content).expect("extensions");
        }
    }
    Vec::new()
}

fn csr_exts(der: &[u8]) -> Vec<X509Extension> {
    let req = CertReq::from_der(der).expect("CSR");
    let ext_req: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.9.14");
    let mut out = Vec::new();
    for attr in req.info.attributes.iter().filter(|a| a.oid == ext_req) {
        for v in attr.values.iter() {
            let exts: ExtensionReq = v.decode_as().expect("extensionRequest");
            out.extend(convert(&exts.0));
        }
    }
    out
}

fn expected() -> serde_json::Value {
    let text = std::fs::read_to_string(vectors().join("expected.json")).expect("expected.json");
    serde_json::from_str(&text).expect("json")
}

fn check_one(path: &str, ext: &X509Extension, want: &serde_json::Value, with_str: bool) {
    let ctx = format!("{path} {}", ext.oid());
    assert_eq!(
        ext.short_name(),
        want["short_name"].as_str().unwrap_or_default(),
        "{ctx}"
    );
    assert_eq!(
        ext.oid().to_string(),
        want["oid"].as_str().unwrap_or_default(),
        "{ctx}"
    );
    assert_eq!(
        ext.critical(),
        want["critical"].as_bool().unwrap_or_default(),
        "{ctx}"
    );
    assert_eq!(
        hex(ext.data()),
        want["data_hex"].as_str().unwrap_or_default(),
        "{ctx}"
    );
    if with_str {
        match want["str"].as_str() {
            Some(s) => assert_eq!(ext.to_text().expect(&ctx), s, "{ctx}"),
            None => assert!(ext.to_text().is_err(), "{ctx}: str() raised in pyOpenSSL"),
        }
    }
}

#[test]
fn every_vector_extension_matches_expected_json() {
    let all = expected();
    let files = all["files"].as_object().expect("files");
    let mut checked = 0;
    for (path, f) in files {
        let kind = f["kind"].as_str().unwrap_or_default();
        let exts = match kind {
            "x509" => cert_exts(&read_der(path)),
            "csr" => csr_exts(&read_der(path)),
            "crl" => {
                let crl =
                    CertificateList::<x509_cert::certificate::Rfc5280>::from_der(&read_der(path))
                        .expect("CRL");
                let tbs = &crl.tbs_cert_list;
                let exts = convert(tbs.crl_extensions.as_deref().unwrap_or_default());
                let want = f["extensions"].as_array().expect("crl extensions");
                assert_eq!(exts.len(), want.len(), "{path}");
                for (e, w) in exts.iter().zip(want) {
                    check_one(path, e, w, false);
                    checked += 1;
                }
                let revoked = tbs.revoked_certificates.as_deref().unwrap_or_default();
                let want_rev = f["revoked"]
                    .as_array()
                    .map(Vec::as_slice)
                    .unwrap_or_default();
                assert_eq!(revoked.len(), want_rev.len(), "{path}");
                for (r, w) in revoked.iter().zip(want_rev) {
                    let exts = convert(r.crl_entry_extensions.as_deref().unwrap_or_default());
                    let want = w["extensions"].as_array().expect("entry extensions");
                    assert_eq!(exts.len(), want.len(), "{path}");
                    for (e, w) in exts.iter().zip(want) {
                        check_one(path, e, w, true);
                        checked += 1;
                    }
                }
                continue;
            }
            _ => continue,
        };
        let want = f["extensions"]
            .as_array()
            .map(Vec::as_slice)
            .unwrap_or_default();
        assert_eq!(exts.len(), want.len(), "{path}");
        for (e, w) in exts.iter().zip(want) {
            check_one(path, e, w, true);
            checked += 1;
        }
    }
    assert!(checked > 150, "only {checked} extensions checked");
}

/// The text between `start` (a whole line) and the first following line that
/// starts with `end`.
fn cut(text: &str, start: &str, end: &str) -> Option<String> {
    let from = text.find(start)? + start.len();
    let rest = &text[from..];
    let to = rest
        .match_indices('\n')
        .map(|(i, _)| i + 1)
        .find(|&i| rest[i..].starts_with(end))?;
    Some(rest[..to].to_owned())
}

fn openssl(args: &[&str]) -> String {
    let out = Command::new("openssl")
        .args(args)
        .output()
        .expect("openssl");
    assert!(
        out.status.success(),
        "openssl {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("utf-8")
}

#[test]
fn print_extensions_equals_openssl_x509_text() {
    let mut n = 0;
    for entry in std::fs::read_dir(vectors().join("certs")).expect("certs") {
        let path = entry.expect("entry").path();
        if path.extension().and_then(|e| e.to_str()) != Some("der") {
            continue;
        }
        let p = path.to_str().expect("path");
        let text = openssl(&["x509", "-inform", "DER", "-in", p, "-text", "-noout"]);
        let exts = cert_exts(&std::fs::read(&path).expect("read"));
        let Some(want) = cut(
            &text,
            "        X509v3 extensions:\n",
            "    Signature Algorithm:",
        ) else {
            assert!(exts.is_empty(), "{p}");
            continue;
        };
        let mut got = String::new();
        print_extensions(&mut got, &exts, 12);
        assert_eq!(got, want, "{p}");
        n += 1;
    }
    assert!(n >= 11, "{n}");
}

#[test]
fn print_extensions_equals_openssl_req_text() {
    for name in ["leaf_rsa.csr.der", "ec.csr.der", "badsig.csr.der"] {
        let path = vectors().join("csr").join(name);
        let p = path.to_str().expect("path");
        let text = openssl(&["req", "-inform", "DER", "-in", p, "-text", "-noout"]);
        let want = cut(
            &text,
            "            Requested Extensions:\n",
            "    Signature Algorithm:",
        )
        .expect("Requested Extensions");
        let mut got = String::new();
        print_extensions(
            &mut got,
            &csr_exts(&std::fs::read(&path).expect("read")),
            16,
        );
        assert_eq!(got, want, "{p}");
    }
}

#[test]
fn print_extensions_equals_openssl_crl_text() {
    for name in ["root.crl.der", "inter_empty.crl.der"] {
        let path = vectors().join("crl").join(name);
        let p = path.to_str().expect("path");
        let text = openssl(&["crl", "-inform", "DER", "-in", p, "-text", "-noout"]);
        let crl = CertificateList::<x509_cert::certificate::Rfc5280>::from_der(
            &std::fs::read(&path).expect("read"),
        )
        .expect("CRL");
        let tbs = &crl.tbs_cert_list;
        let want = cut(&text, "        CRL extensions:\n", "Revoked Certificates:")
            .or_else(|| {
                cut(
                    &text,
                    "        CRL extensions:\n",
                    "No Revoked Certificates.",
                )
            })
            .expect("CRL extensions");
        let mut got = String::new();
        print_extensions(
            &mut got,
            &convert(tbs.crl_extensions.as_deref().unwrap_or_default()),
            12,
        );
        assert_eq!(got, want, "{p}");
        // Entry extensions, in order of the revoked entries that have any.
        let mut rest = text.as_str();
        for r in tbs.revoked_certificates.as_deref().unwrap_or_default() {
            let Some(exts) = r.crl_entry_extensions.as_deref() else {
                continue;
            };
            let start = "        CRL entry extensions:\n";
            let at = rest.find(start).expect("entry extensions");
            rest = &rest[at..];
            // The section: the following lines indented by 12 or more spaces.
            let want: String = rest[start.len()..]
                .split_inclusive('\n')
                .take_while(|l| l.starts_with("            "))
                .collect();
            let mut got = String::new();
            print_extensions(&mut got, &convert(exts), 12);
            assert_eq!(got, want, "{p}");
            rest = &rest[start.len()..];
        }
    }
}

// ---------------------------------------------------------------------------
// Building from configuration values, compared with `openssl req -addext`.

static COUNTER: AtomicUsize = AtomicUsize::new(0);

fn tmp(name: &str) -> PathBuf {
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    std::env::temp_dir().join(format!("puressl-ext-{}-{n}-{name}", std::process::id()))
}

/// A minimal OpenSSL configuration (no default extensions), written once.
fn min_conf() -> &'static Path {
    static CONF: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();
    CONF.get_or_init(|| {
        let conf = tmp("min.cnf");
        std::fs::write(&conf, "[req]\ndistinguished_name=dn\n[dn]\n").expect("write conf");
        conf
    })
}

/// A self-signed certificate with `-addext "name=value"` made by the CLI
/// (serial 5, subject and issuer `/CN=t`) and its `-text` dump; `None` when
/// the CLI refuses the value.
fn cli_cert_text(name: &str, value: &str) -> Option<(Vec<u8>, String)> {
    let key = vectors().join("keys/ec-p256.pkcs8.pem");
    let out = Command::new("openssl")
        .env("OPENSSL_CONF", min_conf())
        .args(["req", "-new", "-x509", "-key"])
        .arg(&key)
        .args(["-subj", "/CN=t", "-set_serial", "5", "-days", "1", "-text"])
        .arg("-addext")
        .arg(format!("{name}={value}"))
        .output()
        .expect("openssl");
    if !out.status.success() {
        return None;
    }
    let text = String::from_utf8(out.stdout).expect("utf-8");
    let der = pem::parse(text.as_bytes()).expect("PEM").into_contents();
    Some((der, text))
}

fn cli_cert(name: &str, value: &str) -> Option<Vec<u8>> {
    cli_cert_text(name, value).map(|(der, _)| der)
}

/// The context `openssl req -x509` gives its extensions: subject = issuer.
fn self_ctx(cert_der: &[u8]) -> ExtContext {
    let cert = CertificateInner::<x509_cert::certificate::Rfc5280>::from_der(cert_der)
        .expect("certificate");
    let tbs = cert.tbs_certificate();
    let spki = tbs.subject_public_key_info().to_der().expect("spki");
    ExtContext {
        subject_spki: Some(spki.clone()),
        issuer_spki: Some(spki),
        issuer_key_id: None,
        issuer_issuer_der: Some(tbs.issuer().to_der().expect("name")),
        issuer_serial: Some(tbs.serial_number().as_bytes().to_vec()),
    }
}

fn check_build(name: &str, value: &str) {
    let (der, text) =
        cli_cert_text(name, value).unwrap_or_else(|| panic!("openssl refused {name}={value}"));
    let exts = cert_exts(&der);
    let ours = X509Extension::new_with_context(name, false, value, &self_ctx(&der))
        .unwrap_or_else(|e| panic!("{name}={value}: {e}"));
    let theirs = exts
        .iter()
        .find(|e| e.oid() == ours.oid())
        .unwrap_or_else(|| panic!("{name}={value}: not in the CLI certificate"));
    assert_eq!(hex(ours.data()), hex(theirs.data()), "{name}={value}");
    assert_eq!(ours.critical(), theirs.critical(), "{name}={value}");
    // And the whole extension section prints as the CLI prints it.
    let want = cut(
        &text,
        "        X509v3 extensions:\n",
        "    Signature Algorithm:",
    )
    .expect("section");
    let mut got = String::new();
    print_extensions(&mut got, &exts, 12);
    assert_eq!(got, want, "{name}={value}");
}

const LONG_OID: &str =
    "1.2.3.4.5.6.7.8.9.10.11.12.13.14.15.16.17.18.19.20.21.22.23.24.25.26.27.28.29.30.31.32.33.34.35.36";

const BUILD_CASES: &[(&str, &str)] = &[
    ("basicConstraints", "CA:TRUE"),
    ("basicConstraints", "CA:FALSE"),
    ("basicConstraints", "critical,CA:TRUE,pathlen:3"),
    ("basicConstraints", "CA:true, pathlen:0"),
    ("basicConstraints", "pathlen:2"),
    ("keyUsage", "digitalSignature, keyEncipherment"),
    ("keyUsage", "critical,keyCertSign,cRLSign"),
    ("keyUsage", "Digital Signature, Non Repudiation, dataEncipherment, keyAgreement"),
    ("keyUsage", "encipherOnly, decipherOnly"),
    ("keyUsage", "decipherOnly"),
    ("extendedKeyUsage", "serverAuth,clientAuth"),
    (
        "extendedKeyUsage",
        "codeSigning, 1.2.3.4, E-mail Protection, timeStamping, OCSPSigning, msSGC, anyExtendedKeyUsage",
    ),
    (
        "subjectAltName",
        "DNS:example.com, DNS:*.example.com, IP:192.0.2.1, IP:2001:db8::1, email:a@example.com, URI:https://example.com/x?y=1, RID:1.2.3.4",
    ),
    ("subjectAltName", "IP:::ffff:1.2.3.4, IP:::, DNS:caf\u{e9}.example"),
    ("issuerAltName", "URI:http://x.test/, email:i@x.test"),
    ("subjectAltName", "IP:010.1.1.1, IP:+1.2.3.4, IP:1. 2.3.-0, IP:1:2:3:4:5:6:1.2.3.4"),
    ("nameConstraints", "permitted;IP:010.0.0.0/255.0.0.0"),
    ("subjectKeyIdentifier", "hash"),
    ("subjectKeyIdentifier", "01:02:AB:cd"),
    ("subjectKeyIdentifier", "0102abcd"),
    ("authorityKeyIdentifier", "keyid:always"),
    ("authorityKeyIdentifier", "issuer"),
    ("authorityKeyIdentifier", "issuer:always"),
    ("authorityKeyIdentifier", "keyid:always,issuer:always"),
    ("authorityKeyIdentifier", "keyid,issuer"),
    ("nsComment", "Hello world, with: punctuation"),
    ("nsCertType", "client, server, email, objsign, sslCA, emailCA, objCA"),
    ("nsCertType", "reserved"),
    ("crlDistributionPoints", "URI:http://crl.test/a.crl"),
    ("crlDistributionPoints", "URI:http://a.test/1.crl, URI:http://b.test/2.crl, DNS:c.test"),
    ("freshestCRL", "URI:http://delta.test/d.crl"),
    ("authorityInfoAccess", "OCSP;URI:http://ocsp.test/, caIssuers;URI:http://ca.test/ca.der"),
    ("subjectInfoAccess", "caRepository;URI:http://repo.test/, 1.2.3.4;DNS:x.test"),
    ("certificatePolicies", "1.2.3.4, anyPolicy"),
    ("certificatePolicies", "2.23.140.1.2.1"),
    (
        "nameConstraints",
        "permitted;DNS:example.com, permitted;IP:192.168.0.0/255.255.0.0, excluded;email:bad.example.com, excluded;URI:.bad.test, permitted;IP:2001:db8::/ffff:ffff::",
    ),
    ("nameConstraints", "critical,excluded;DNS:x.test"),
    ("policyConstraints", "requireExplicitPolicy:1, inhibitPolicyMapping:2"),
    ("policyConstraints", "inhibitPolicyMapping:0"),
    ("inhibitAnyPolicy", "3"),
    ("noCheck", "ignored"),
    ("policyMappings", "1.2.3:1.2.4, anyPolicy:2.5.29.32.0"),
    ("issuingDistributionPoint", "fullname:URI:http://x,onlyuser:TRUE"),
    (
        "issuingDistributionPoint",
        "onlysomereasons:keyCompromise,indirectCRL:TRUE,onlyAA:TRUE,onlyCA:FALSE",
    ),
    ("issuingDistributionPoint", "onlyCA:yes"),
    ("ct_precert_poison", "NULL"),
    // Long OIDs: OpenSSL cuts them to 79 characters in some lists.
    ("extendedKeyUsage", LONG_OID),
    ("subjectAltName", "RID:1.2.3.4.5.6.7.8.9.10.11.12.13.14.15.16.17.18.19.20.21.22.23.24.25.26.27.28.29.30.31.32.33.34.35.36"),
    ("authorityInfoAccess", "1.2.3.4.5.6.7.8.9.10.11.12.13.14.15.16.17.18.19.20.21.22.23.24.25.26.27.28.29.30.31.32.33.34.35.36;URI:http://x"),
    ("policyMappings", "1.2.3.4.5.6.7.8.9.10.11.12.13.14.15.16.17.18.19.20.21.22.23.24.25.26.27.28.29.30.31.32.33.34.35.36:1.2.3"),
    ("certificatePolicies", LONG_OID),
    // ASN1: values and otherName.
    ("1.2.3", "ASN1:UTF8:a,b"),
    ("1.2.3", "ASN1:utf8:x"),
    ("1.2.3", "ASN1:IMP:5,UTF8:x"),
    ("1.2.3", "ASN1:EXP:5,IMP:3A,UTF8:x"),
    ("1.2.3", "ASN1:INT:0x100"),
    ("1.2.3", "ASN1:INTEGER:-129"),
    ("1.2.3", "ASN1:BOOL:yes"),
    ("1.2.3", "ASN1:NULL"),
    ("1.2.3", "ASN1:OID:serverAuth"),
    ("1.2.3", "ASN1:BMP:hi"),
    ("1.2.3", "ASN1:OCT:ab"),
    ("1.2.3", "ASN1:FORMAT:HEX,OCT:ab01"),
    ("1.2.3", "ASN1:BITSTR:ab"),
    ("1.2.3", "ASN1:FORMAT:BITLIST,BITSTR:1,3,9"),
    ("1.2.3", "ASN1:UTC:200101000000Z"),
    ("1.2.3", "ASN1:GENTIME:20200101000000Z"),
    ("1.2.3", "ASN1:IA5:"),
    ("1.2.3", "ASN1:EXP:0,EXP:1,OCTWRAP,UTF8:x"),
    ("1.2.3", "ASN1:IMP:0,OCTWRAP,UTF8:x"),
    ("1.2.3", "ASN1:SEQWRAP,INT:5"),
    ("1.2.3", "ASN1:BITWRAP,NULL"),
    ("1.2.3", "ASN1:IMP:2P,SETWRAP,INT:1"),
    ("1.2.3", "ASN1:PRINTABLE:Hello World"),
    ("1.2.3", "ASN1:NUMERIC:123 45"),
    ("1.2.3", "ASN1:T61:x"),
    ("1.2.3", "ASN1:UNIV:ab"),
    ("1.2.3", "ASN1:VISIBLE:v"),
    ("1.2.3", "ASN1:GENSTR:g"),
    ("1.2.3", "ASN1:ENUM:3"),
    ("1.2.3", "ASN1:UTF8:h\u{e9}llo"),
    ("1.2.3", "ASN1:FORMAT:UTF8,UTF8:h\u{e9}llo"),
    ("1.2.3", "ASN1:FORMAT:UTF8,BMP:\u{e9}\u{20ac}"),
    ("basicConstraints", "critical,ASN1:SEQWRAP,BOOL:TRUE"),
    ("subjectAltName", "otherName:1.3.6.1.4.1.311.20.2.3;UTF8:u@x, DNS:y"),
    ("subjectAltName", "otherName:msUPN;UTF8:u@x"),
    ("subjectAltName", "otherName:1.3.6.1.5.5.7.8.7;IA5:_srv.x"),
    ("subjectAltName", "otherName:1.2.3.4;INT:7"),
    ("nameConstraints", "permitted;otherName:1.3.6.1.4.1.311.20.2.3;UTF8:@x.test"),
    ("tlsfeature", "status_request"),
    ("tlsfeature", "status_request_v2, 99, STATUS_REQUEST"),
    ("1.2.3.4", "DER:0c0568656c6c6f"),
    ("basicConstraints", "critical,DER:30030101ff"),
    ("nsComment", "DER:16:03:61:62:63"),
];

/// Runs `f` over `items` on a few threads (each item runs the CLI).
fn par_each<T: Sync>(items: &[T], f: impl Fn(&T) + Sync) {
    let chunk = items.len().div_ceil(4).max(1);
    std::thread::scope(|s| {
        for part in items.chunks(chunk) {
            let f = &f;
            s.spawn(move || part.iter().for_each(f));
        }
    });
}

#[test]
fn building_from_config_equals_openssl_req_addext() {
    par_each(BUILD_CASES, |(name, value)| check_build(name, value));
}

#[test]
fn authority_key_identifier_suppressed_for_self_signed_without_always() {
    // OpenSSL leaves the extension out; puressl reports it.
    let der = cli_cert("authorityKeyIdentifier", "keyid").expect("cli");
    let aki = ObjectIdentifier::new_unwrap("2.5.29.35");
    assert!(cert_exts(&der).iter().all(|e| e.oid() != aki));
    let err =
        X509Extension::new_with_context("authorityKeyIdentifier", false, "keyid", &self_ctx(&der))
            .expect_err("empty");
    assert!(err.to_string().contains("keyid:always"), "{err}");
}

#[test]
fn authority_key_identifier_prefers_the_issuer_subject_key_identifier() {
    // A different issuer: keyid comes from the issuer's SKI.
    let issuer_spki = std::fs::read(vectors().join("keys/rsa2048.pub.der")).expect("key");
    let subject_spki = std::fs::read(vectors().join("keys/ec-p256.pub.der")).expect("key");
    let ctx = ExtContext {
        subject_spki: Some(subject_spki),
        issuer_spki: Some(issuer_spki),
        issuer_key_id: Some(vec![1, 2, 3]),
        issuer_issuer_der: None,
        issuer_serial: None,
    };
    let ext =
        X509Extension::new_with_context("authorityKeyIdentifier", false, "keyid,issuer", &ctx)
            .expect("aki");
    assert_eq!(ext.data(), b"\x30\x05\x80\x03\x01\x02\x03");
    assert_eq!(ext.to_text().expect("text"), "01:02:03");
    // issuer:always needs the issuer's name and serial.
    let err =
        X509Extension::new_with_context("authorityKeyIdentifier", false, "issuer:always", &ctx)
            .expect_err("no name");
    assert!(err.to_string().contains("issuer"), "{err}");
}

const BAD_CASES: &[(&str, &str, &str)] = &[
    ("basicConstraints", "CA:maybe", "maybe"),
    ("basicConstraints", "CA:TRUE,", "empty item"),
    ("basicConstraints", "pathlen:x", "\"x\""),
    ("basicConstraints", "isCA:TRUE", "isCA"),
    ("keyUsage", "digitalSignature, bogus", "bogus"),
    ("extendedKeyUsage", "serverAuth, notAnOid", "notAnOid"),
    ("subjectAltName", "IP:1.2.3", "1.2.3"),
    ("subjectAltName", "IP:1.2.3.4x", "1.2.3.4x"),
    ("subjectAltName", "IP:1.2.3.256", "1.2.3.256"),
    ("subjectAltName", "IP:1.2.3.-1", "1.2.3.-1"),
    ("subjectAltName", "IP:1::2::3", "1::2::3"),
    ("subjectAltName", "IP:1.2.3.4/24", "1.2.3.4/24"),
    ("subjectAltName", "FOO:bar", "FOO"),
    ("subjectAltName", "DNS", "DNS"),
    ("subjectAltName", "RID:not.an.oid", "not.an.oid"),
    ("subjectAltName", "dirName:dir_sect", "dirName"),
    ("subjectAltName", "email:copy", "email:copy"),
    ("issuerAltName", "issuer:copy", "issuer:copy"),
    ("subjectKeyIdentifier", "hash", "subject"),
    ("subjectKeyIdentifier", "0g", "0g"),
    ("subjectKeyIdentifier", "abc", "odd"),
    ("authorityKeyIdentifier", "keyid", "issuer"),
    ("authorityKeyIdentifier", "keyid:sometimes", "sometimes"),
    ("authorityKeyIdentifier", "serial", "serial"),
    ("crlDistributionPoints", "dp_section", "dp_section"),
    ("crlDistributionPoints", "URI", "URI"),
    ("authorityInfoAccess", "OCSP:URI:http://x/", "OCSP"),
    (
        "authorityInfoAccess",
        "notAMethod;URI:http://x/",
        "notAMethod",
    ),
    ("certificatePolicies", "1.2.3.4:x", "1.2.3.4"),
    ("certificatePolicies", "@polsect", "@polsect"),
    ("nameConstraints", "allowed;DNS:x", "allowed"),
    ("nameConstraints", "permitted;IP:10.0.0.0", "10.0.0.0"),
    (
        "nameConstraints",
        "permitted;IP:10.0.0.0/ffff::",
        "10.0.0.0/ffff::",
    ),
    (
        "policyConstraints",
        "requireExplicitPolicy",
        "requireExplicitPolicy",
    ),
    ("policyConstraints", "foo:1", "foo"),
    ("inhibitAnyPolicy", "three", "three"),
    ("tlsfeature", "status_requestX", "status_requestX"),
    ("tlsfeature", "70000", "70000"),
    ("basicConstraints", "DER:30030101f", "odd"),
    ("basicConstraints", "@section", "@section"),
    ("crlNumber", "5", "DER:"),
    ("1.2.3", "ASN1:PRINTABLE:a@b", "U+0040"),
    ("1.2.3", "ASN1:IMP:1,EXP:2,UTF8:x", "explicit"),
    ("1.2.3", "ASN1:GENTIME:bad", "bad"),
    ("1.2.3", "ASN1:FOO:x", "FOO"),
    ("1.2.3", "ASN1:SEQUENCE:sect", "SEQUENCE"),
    ("1.2.3", "ASN1:NULL:x", "NULL:x"),
    ("1.2.3", "ASN1:INT:zz", "zz"),
    ("1.2.3", "ASN1:IA5:\u{e9}", "U+00C3"),
    ("1.2.3", "ASN1:FORMAT:HEX,UTF8:00", "FORMAT"),
    ("1.2.3", "ASN1:IMP:40,UTF8:x", "40"),
    ("subjectAltName", "otherName:1.2.3", "otherName"),
    ("subjectAltName", "otherName:bogus;UTF8:x", "bogus"),
    ("certificateIssuer", "DNS:x", "DER:"),
    ("policyMappings", "1.2.3", "1.2.3"),
    ("policyMappings", "1.2.3:nope", "nope"),
    ("issuingDistributionPoint", "onlysomereasons:bogus", "bogus"),
    ("issuingDistributionPoint", "onlyuser:maybe", "maybe"),
    (
        "issuingDistributionPoint",
        "onlyEverything:TRUE",
        "onlyEverything",
    ),
    ("fooBar", "x", "fooBar"),
    ("X509v3 Basic Constraints", "CA:TRUE", "short name"),
    ("1.2.3.4", "DER:zz", "zz"),
    ("unknownExtension", "DER:0500", "unknownExtension"),
];

#[test]
fn bad_values_are_errors_naming_the_token() {
    for (name, value, token) in BAD_CASES {
        let err = X509Extension::new(name, false, value)
            .err()
            .unwrap_or_else(|| panic!("{name}={value} was accepted"));
        let msg = err.to_string();
        assert!(
            msg.contains(token),
            "{name}={value}: {msg:?} does not name {token:?}"
        );
    }
}

#[test]
fn bad_values_are_refused_by_openssl_too() {
    // The same values, where OpenSSL's semantics are the same, fail in the CLI.
    par_each(BAD_CASES, |(name, value, _)| {
        // keyid:sometimes: OpenSSL reads any value but "always" as plain keyid.
        // Tag numbers from 31 up (high-tag-number form) are not supported.
        if matches!(
            *value,
            "email:copy"
                | "issuer:copy"
                | "hash"
                | "keyid"
                | "dp_section"
                | "keyid:sometimes"
                | "ASN1:IMP:40,UTF8:x"
        ) || value.starts_with('@')
            || value.starts_with("dirName")
            || matches!(*name, "crlNumber" | "certificateIssuer")
        {
            return; // needs sections/context puressl does not take, or is valid there
        }
        assert!(
            cli_cert(name, value).is_none(),
            "openssl accepted {name}={value}"
        );
    });
}

/// Hand-made extension values (every printer branch, odd and broken
/// encodings), given to the CLI as `name=DER:hex`: the DER must survive and
/// the `-text` section must match byte for byte.
const PRINT_CASES: &[(&str, &str)] = &[
    ("subjectAltName/all", "308201128206612e74657374a48186308183310b300906035504061302555331123010060355040a0c09466f6f2c20496e632e311b300d06035504030c06206c65616423300a060355040b0c03612b623113301106035504031e0a004200fc0063006820ac310d300b06035504071404436166e93111300f06032a03040c08785c79227a3b3c3e310c300a06035504030c03c3a901a015060a2b060104018237140203a0070c0575706e4078a01406082b06010505070805a0080c06786d70704078a01406082b06010505070807a00816065f7372762e78a01406082b06010505070809a0080c06736d74704078a00e06032a0304a0070c056f74686572870501020304058803551d11860a687474703a2f2f782f7f"),
    ("subjectAltName/x400", "300ca30230008206622e74657374"),
    ("subjectAltName/edi", "3009a5073005a1030c0170"),
    ("subjectAltName/edi-ok", "300fa50aa003130161a1030c017082017a"),
    ("subjectAltName/empty", "3000"),
    ("subjectAltName/upn-wrongtype", "3017a015060a2b060104018237140203a007160575706e4078"),
    ("subjectAltName/nul", "30058203610062"),
    ("issuerAltName/dir", "308189a48186308183310b300906035504061302555331123010060355040a0c09466f6f2c20496e632e311b300d06035504030c06206c65616423300a060355040b0c03612b623113301106035504031e0a004200fc0063006820ac310d300b06035504071404436166e93111300f06032a03040c08785c79227a3b3c3e310c300a06035504030c03c3a901"),
    ("certificateIssuer/x", "308192820763692e74657374a48186308183310b300906035504061302555331123010060355040a0c09466f6f2c20496e632e311b300d06035504030c06206c65616423300a060355040b0c03612b623113301106035504031e0a004200fc0063006820ac310d300b06035504071404436166e93111300f06032a03040c08785c79227a3b3c3e310c300a06035504030c03c3a901"),
    ("keyUsage/empty", "030100"),
    ("keyUsage/all", "030307ff80"),
    ("extendedKeyUsage/empty", "3000"),
    ("extendedKeyUsage/many", "302206082b06010505070315060a2b0601040182371402020604551d250006042a030405"),
    ("basicConstraints/negpath", "30060101ff0201ff"),
    ("basicConstraints/bigpath", "301302110100000000000000000000000000000000"),
    ("basicConstraints/bad", "30020200"),
    ("crlNumber/big", "021200ff11111111111111111111111111111111"),
    ("crlNumber/127bits", "02107fffffffffffffffffffffffffffffff"),
    ("crlNumber/neg", "02118000000000000000000000000000000000"),
    ("deltaCRL/x", "020105"),
    ("CRLReason/x", "0a0108"),
    ("CRLReason/unknown", "0a0107"),
    ("invalidityDate/x", "181132303234303232393132333435362e355a"),
    ("holdInstructionCode/x", "06072a8648ce380203"),
    ("authorityKeyIdentifier/full", "30819e80020102a18193a48186308183310b300906035504061302555331123010060355040a0c09466f6f2c20496e632e311b300d06035504030c06206c65616423300a060355040b0c03612b623113301106035504031e0a004200fc0063006820ac310d300b06035504071404436166e93111300f06032a03040c08785c79227a3b3c3e310c300a06035504030c03c3a9018208646e732e74657374820200ab"),
    ("authorityKeyIdentifier/serialonly", "3003820105"),
    ("authorityInfoAccess/empty", "3000"),
    ("authorityInfoAccess/dir", "3081a230819306082b06010505073005a48186308183310b300906035504061302555331123010060355040a0c09466f6f2c20496e632e311b300d06035504030c06206c65616423300a060355040b0c03612b623113301106035504031e0a004200fc0063006820ac310d300b06035504071404436166e93111300f06032a03040c08785c79227a3b3c3e310c300a06035504030c03c3a901300a06022a0387040a000001"),
    ("crlDistributionPoints/rel", "30353014a012a110300e06035504030c0764702c206f6e653004810207803017810100a2128206782e7465737486086c6461703a2f2f79"),
    ("crlDistributionPoints/reasons-only", "30143012a00ca00a8608687474703a2f2f618102017e"),
    ("freshestCRL/x", "3010300ea00ca00a8608687474703a2f2f64"),
    ("issuingDistributionPoint/full", "301aa00ea00c860a687474703a2f2f6964708101ff830207808401ff"),
    ("issuingDistributionPoint/empty", "3000"),
    ("issuingDistributionPoint/ca", "30068201ff8501ff"),
    ("certificatePolicies/quals", "3064305a06022a033054301706082b06010505070202300b1a096f6e6c792074657874301806082b06010505070202300c300a0c034f72673003020107300706022a040c0171301606082b06010505070201160a687474703a2f2f63707330060604551d2000"),
    ("nameConstraints/ip", "3081c6a081c3300a87080a000000ff0000003022872000000000000000000000000000000000ffffffff000000000000000000000000308189a48186308183310b300906035504061302555331123010060355040a0c09466f6f2c20496e632e311b300d06035504030c06206c65616423300a060355040b0c03612b623113301106035504031e0a004200fc0063006820ac310d300b06035504071404436166e93111300f06032a03040c08785c79227a3b3c3e310c300a06035504030c03c3a90130058703010203"),
    ("nameConstraints/dn2", "304da14b3049a4473045310a30080603550405020105310d300b06042a0304050c0323782031093007060355040316003111300f06035504031c08000000410001f600310a300806035504030c0120"),
    ("nameConstraints/dn-0", "3017a1153013a411300f310d300b06035504031e04d83dde00"),
    ("subjectAltName/dn-0", "3013a411300f310d300b06035504031e04d83dde00"),
    ("nameConstraints/dn-1", "3015a1133011a40f300d310b300906035504030c02fffe"),
    ("subjectAltName/dn-1", "3011a40f300d310b300906035504030c02fffe"),
    ("nameConstraints/dn-2", "3014a1123010a40e300c310a300806035504031401ff"),
    ("subjectAltName/dn-2", "3010a40e300c310a300806035504031401ff"),
    ("nameConstraints/dn-3", "3014a1123010a40e300c310a300806035504031e0100"),
    ("subjectAltName/dn-3", "3010a40e300c310a300806035504031e0100"),
    ("nameConstraints/dn-4", "3017a1153013a411300f310d300b06035504031c0400110000"),
    ("subjectAltName/dn-4", "3013a411300f310d300b06035504031c0400110000"),
    ("nameConstraints/dn-5", "3020a11e301ca41a3018311630140603550403170d3230303130313030303030305a"),
    ("subjectAltName/dn-5", "301ca41a3018311630140603550403170d3230303130313030303030305a"),
    ("nameConstraints/dn-6", "3014a1123010a40e300c310a300806035504030a0101"),
    ("subjectAltName/dn-6", "3010a40e300c310a300806035504030a0101"),
    ("nameConstraints/dn-7", "3015a1133011a40f300d310b3009060355040307026f64"),
    ("subjectAltName/dn-7", "3011a40f300d310b3009060355040307026f64"),
    ("subjectAltName/longdn", "308201aca482019c3082019831423040060355040b0c39756e69742d302d787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787831423040060355040b0c39756e69742d312d787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787831423040060355040b0c39756e69742d322d787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787831423040060355040b0c39756e69742d332d787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787831423040060355040b0c39756e69742d342d787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787831423040060355040b0c39756e69742d352d7878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878820a61667465722e74657374"),
    ("authorityKeyIdentifier/longdn", "308201a7a18201a0a482019c3082019831423040060355040b0c39756e69742d302d787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787831423040060355040b0c39756e69742d312d787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787831423040060355040b0c39756e69742d322d787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787831423040060355040b0c39756e69742d332d787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787831423040060355040b0c39756e69742d342d787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787831423040060355040b0c39756e69742d352d7878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878820101"),
    ("crlDistributionPoints/longdn", "308201a8308201a4a28201a0a482019c3082019831423040060355040b0c39756e69742d302d787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787831423040060355040b0c39756e69742d312d787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787831423040060355040b0c39756e69742d322d787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787831423040060355040b0c39756e69742d332d787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787831423040060355040b0c39756e69742d342d787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787831423040060355040b0c39756e69742d352d7878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878"),
    ("ct_precert_scts/two", "0481bc00ba007500000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f0000018bcfe5687b000004030046000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f404142434445004100000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f00000000000000000002010204010010000102030405060708090a0b0c0d0e0f"),
    ("ct_precert_scts/v2", "047f007d000401010203007500000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f0000018bcfe5687b000004030046000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f404142434445"),
    ("ct_precert_scts/alg", "04340032003000000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f0000018bcfe5687b000002020001aa"),
    ("ct_precert_scts/dates", "04760074003000000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f000000dd9aa6e3e7000004030001aa004000000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f000003bb2cc3d800000004030011000102030405060708090a0b0c0d0e0f10"),
    ("ct_cert_scts/one", "04819a0098009600000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f0000018bcfe5687b002100000000000000000000000000000000000000000000000000000000000000000004030046000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f404142434445"),
    ("ct_precert_scts/bad", "040700050003616263"),
    ("proxyCertInfo/inf", "300c300a06082b06010505071500"),
    ("proxyCertInfo/full", "301c020105301706082b06010505071501040b736f6d6520706f6c696379"),
    ("proxyCertInfo/zero", "300b020100300606022a030400"),
    ("proxyCertInfo/neg", "300a0202ff01300406022a03"),
    ("basicConstraints/trailing", "300000"),
    ("subjectAltName/trailing", "30038201740500"),
    ("keyUsage/badunused", "03028080"),
    ("keyUsage/masked", "030207ff"),
    ("keyUsage/onlyunused", "030107"),
    ("subjectAltName/extra", "30058201610500"),
    ("extendedKeyUsage/member", "300306012a"),
    ("crlDistributionPoints/badreasons", "3006300481020980"),
    ("nameConstraints/excl", "300da10b300986072e782e74657374"),
    ("policyConstraints/empty", "3000"),
    ("policyMappings/x", "3016300a06022a030604551d2000300806022a0506022a06"),
    ("privateKeyUsagePeriod/both", "3022800f32303230303130313030303030305a810f32303330313233313233353935395a"),
    ("privateKeyUsagePeriod/after", "3011810f32303330313233313233353935395a"),
    ("archiveCutoff/x", "180f32303235303130323033303430355a"),
    ("ct_precert_poison/bad", "050100"),
    ("inhibitAnyPolicy/x", "020100"),
    ("nsComment/nul", "160761626300646566"),
    ("nsBaseUrl/x", "160c687474703a2f2f626173652f"),
    ("nsCertType/x", "030201fe"),
    ("tlsfeature/x", "300a02010502011102020100"),
    ("tlsfeature/empty", "3000"),
    ("noCheck/x", "0500"),
    ("1.2.3.4.5/x", "0001090a0d207e7f80ff20616263"),
    ("qcStatements/x", "3000"),
    ("subjectAltName/notder", "30038201"),
];

#[test]
fn printing_hand_made_values_equals_openssl_x509_text() {
    par_each(PRINT_CASES, |(case, hex)| {
        let name = case.split('/').next().unwrap_or_default();
        check_build(name, &format!("DER:{hex}"));
    });
}

/// Every printer under every extension OID, on truncated and mutated
/// values: errors and fallbacks only, never a panic.
#[test]
fn printing_never_panics_on_damaged_values() {
    let mut values: Vec<Vec<u8>> = PRINT_CASES
        .iter()
        .filter_map(|(_, h)| {
            (0..h.len())
                .step_by(2)
                .map(|i| u8::from_str_radix(h.get(i..i + 2)?, 16).ok())
                .collect()
        })
        .collect();
    for rel in [
        "certs/leaf.der",
        "certs/inter_ec.der",
        "certs/p384.der",
        "certs/dsa.der",
    ] {
        values.extend(cert_exts(&read_der(rel)).iter().map(|e| e.data().to_vec()));
    }
    let oids: Vec<ObjectIdentifier> = [
        "2.5.29.14",
        "2.5.29.15",
        "2.5.29.16",
        "2.5.29.17",
        "2.5.29.18",
        "2.5.29.19",
        "2.5.29.20",
        "2.5.29.21",
        "2.5.29.23",
        "2.5.29.24",
        "2.5.29.27",
        "2.5.29.28",
        "2.5.29.29",
        "2.5.29.30",
        "2.5.29.31",
        "2.5.29.32",
        "2.5.29.33",
        "2.5.29.35",
        "2.5.29.36",
        "2.5.29.37",
        "2.5.29.46",
        "2.5.29.54",
        "1.3.6.1.5.5.7.1.1",
        "1.3.6.1.5.5.7.1.11",
        "1.3.6.1.5.5.7.1.24",
        "1.3.6.1.5.5.7.48.1.5",
        "1.3.6.1.5.5.7.48.1.6",
        "2.16.840.1.113730.1.1",
        "2.16.840.1.113730.1.13",
        "1.3.6.1.4.1.11129.2.4.2",
        "1.3.6.1.4.1.11129.2.4.3",
    ]
    .iter()
    .map(|o| ObjectIdentifier::new_unwrap(o))
    .collect();
    let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = move || {
        seed = seed
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (seed >> 33) as usize
    };
    let mut checked = 0usize;
    for v in &values {
        let mut variants = vec![v.clone()];
        for cut in [1, 2, 3, v.len() / 2] {
            variants.push(
                v.get(..v.len().saturating_sub(cut))
                    .unwrap_or_default()
                    .to_vec(),
            );
        }
        for _ in 0..6 {
            let mut m = v.clone();
            if let Some(b) = m.get_mut(next() % v.len().max(1)) {
                *b ^= 1 << (next() % 8);
            }
            variants.push(m);
        }
        for data in &variants {
            for oid in &oids {
                let ext = X509Extension::from_parts(*oid, false, data.clone());
                let _ = ext.to_text();
                let _ = ext.to_string();
                let mut out = String::new();
                print_extensions(&mut out, std::slice::from_ref(&ext), 4);
                assert!(out.ends_with('\n'));
                checked += 1;
            }
        }
    }
    assert!(checked > 10_000, "{checked}");
}

/// The config parser on scrambled values: errors, never a panic.
#[test]
fn building_never_panics_on_scrambled_values() {
    let names = [
        "basicConstraints",
        "keyUsage",
        "extendedKeyUsage",
        "subjectAltName",
        "issuerAltName",
        "subjectKeyIdentifier",
        "authorityKeyIdentifier",
        "nsComment",
        "nsCertType",
        "crlDistributionPoints",
        "authorityInfoAccess",
        "certificatePolicies",
        "nameConstraints",
        "policyConstraints",
        "inhibitAnyPolicy",
        "noCheck",
        "tlsfeature",
        "policyMappings",
        "issuingDistributionPoint",
        "1.2.3",
    ];
    let pieces = [
        "CA",
        ":",
        ",",
        ";",
        "TRUE",
        "pathlen",
        "0x",
        "-",
        "7",
        "DNS",
        "IP",
        "1.2.3.4",
        "::",
        "/",
        "email",
        "URI",
        "RID",
        "otherName",
        "ASN1",
        "DER",
        "UTF8",
        "IMP",
        "EXP",
        "é",
        " ",
        "@",
        "keyid",
        "issuer",
        "always",
        "permitted",
        "excluded",
        "OCSP",
        "critical",
        "ab",
        "\u{20ac}",
        "fullname",
        "onlysomereasons",
        "FORMAT",
        "HEX",
        "BITLIST",
        "OCTWRAP",
        "",
    ];
    let ctx = ExtContext {
        subject_spki: Some(std::fs::read(vectors().join("keys/ec-p256.pub.der")).expect("key")),
        issuer_spki: Some(b"\x30\x00".to_vec()),
        issuer_key_id: None,
        issuer_issuer_der: Some(b"\x30\x00".to_vec()),
        issuer_serial: Some(vec![1]),
    };
    let mut seed: u64 = 42;
    let mut next = move || {
        seed = seed
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (seed >> 33) as usize
    };
    for _ in 0..20_000 {
        let name = names[next() % names.len()];
        let value: String = (0..next() % 8)
            .map(|_| pieces[next() % pieces.len()])
            .collect();
        if let Ok(ext) = X509Extension::new_with_context(name, false, &value, &ctx) {
            let _ = ext.to_text();
        }
    }
}
