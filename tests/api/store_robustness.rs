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

/// `(label, extension, value as hex, OpenSSL's first error, strict DER accepts)`.
pub(crate) type EncodingCase = (
    &'static str,
    &'static str,
    &'static str,
    Option<(i32, u32)>,
    bool,
);

/// Extension values encoded in ways strict DER forbids, placed on an
/// intermediate CA: `(label, extension, value as hex, OpenSSL 3.0.19's first
/// error, whether strict DER decoding with `der`'s derive accepts it)`.
///
/// OpenSSL's answer is the first error of `openssl verify -attime 1767225600
/// -CAfile root.pem -untrusted inter.pem leaf.pem` (the test runs it again);
/// `(20, 0)` means OpenSSL could not decode the value (`EXFLAG_INVALID` on
/// the intermediate, so the leaf has no issuer). The `der` column is
/// `x509_cert::ext::pkix::{BasicConstraints, SubjectKeyIdentifier,
/// AuthorityKeyIdentifier, NameConstraints}::from_der` (`der` 0.8.3,
/// `x509-cert` 0.3.0) on the same bytes: where it differs from OpenSSL's
/// decoding for a reason other than BER lengths, constructed OCTET STRINGs
/// or bytes after the value (which puressl rewrites or drops before
/// decoding), puressl keeps a hand decoder (CONTRIBUTING.md, "ASN.1
/// encodings").
pub(crate) const EXT_ENCODINGS: &[EncodingCase] = &[
    // basicConstraints (on an intermediate with no other CA marker)
    ("bc-ff", "basicConstraints", "30030101ff", None, true),
    ("bc-ca01", "basicConstraints", "3003010101", None, false),
    (
        "bc-false-explicit",
        "basicConstraints",
        "3003010100",
        Some((79, 1)),
        true,
    ),
    (
        "bc-pathlen-pad",
        "basicConstraints",
        "30070101ff02020001",
        Some((20, 0)),
        false,
    ),
    (
        "bc-pathlen-256",
        "basicConstraints",
        "30070101ff02020100",
        None,
        false,
    ),
    (
        "bc-pathlen-neg",
        "basicConstraints",
        "30060101ff0201ff",
        Some((20, 0)),
        false,
    ),
    (
        "bc-indef",
        "basicConstraints",
        "30800101ff0000",
        None,
        false,
    ),
    (
        "bc-longlen",
        "basicConstraints",
        "3081030101ff",
        None,
        false,
    ),
    (
        "bc-trailing",
        "basicConstraints",
        "30030101ff00",
        None,
        false,
    ),
    (
        "bc-bool-long",
        "basicConstraints",
        "3004010200ff",
        Some((20, 0)),
        false,
    ),
    (
        "bc-reversed",
        "basicConstraints",
        "30060201010101ff",
        Some((20, 0)),
        false,
    ),
    // subjectKeyIdentifier
    (
        "skid-plain",
        "subjectKeyIdentifier",
        "040401020304",
        None,
        true,
    ),
    (
        "skid-constructed",
        "subjectKeyIdentifier",
        "24080402010204020304",
        None,
        false,
    ),
    (
        "skid-indef",
        "subjectKeyIdentifier",
        "24800404010203040000",
        None,
        false,
    ),
    (
        "skid-longlen",
        "subjectKeyIdentifier",
        "04810401020304",
        None,
        false,
    ),
    (
        "skid-trailing",
        "subjectKeyIdentifier",
        "04040102030400",
        None,
        false,
    ),
    ("skid-empty", "subjectKeyIdentifier", "0400", None, true),
    (
        "skid-int",
        "subjectKeyIdentifier",
        "020101",
        Some((20, 0)),
        false,
    ),
    // authorityKeyIdentifier (the root has no subjectKeyIdentifier and
    // serial 5, so only the serial is compared)
    (
        "akid-keyid",
        "authorityKeyIdentifier",
        "3006800401020304",
        None,
        true,
    ),
    (
        "akid-serial",
        "authorityKeyIdentifier",
        "3003820105",
        None,
        true,
    ),
    (
        "akid-order",
        "authorityKeyIdentifier",
        "3009820105800401020304",
        Some((20, 0)),
        false,
    ),
    (
        "akid-dup",
        "authorityKeyIdentifier",
        "300c800401020304800401020304",
        Some((20, 0)),
        false,
    ),
    (
        "akid-keyid-constructed",
        "authorityKeyIdentifier",
        "300aa0080402010204020304",
        None,
        false,
    ),
    (
        "akid-indef",
        "authorityKeyIdentifier",
        "30808004010203040000",
        None,
        false,
    ),
    (
        "akid-serial-pad",
        "authorityKeyIdentifier",
        "300482020005",
        Some((20, 0)),
        false,
    ),
    (
        "akid-serial-21",
        "authorityKeyIdentifier",
        "30178215010101010101010101010101010101010101010101",
        Some((20, 1)),
        true,
    ),
    (
        "akid-serial-neg",
        "authorityKeyIdentifier",
        "30038201fb",
        Some((20, 1)),
        true,
    ),
    ("akid-empty", "authorityKeyIdentifier", "3000", None, true),
    (
        "akid-issuer-empty",
        "authorityKeyIdentifier",
        "3002a100",
        None,
        true,
    ),
    (
        "akid-trailing",
        "authorityKeyIdentifier",
        "300680040102030400",
        None,
        false,
    ),
    (
        "akid-issuer-dirname",
        "authorityKeyIdentifier",
        "3018a113a411300f310d300b06035504030c04526f6f74820105",
        None,
        true,
    ),
    (
        "akid-issuer-constructed-uri",
        "authorityKeyIdentifier",
        "300ea10ca60a1608687474703a2f2f78",
        None,
        false,
    ),
    (
        "akid-issuer-latin1-uri",
        "authorityKeyIdentifier",
        "300ca10a8608687474703a2f2fe9",
        None,
        false,
    ),
    // nameConstraints (the leaf's subjectAltName is www.example.com)
    (
        "nc-plain",
        "nameConstraints",
        "3011a00f300d820b6578616d706c652e636f6d",
        None,
        true,
    ),
    (
        "nc-min0",
        "nameConstraints",
        "3014a0123010820b6578616d706c652e636f6d800100",
        None,
        true,
    ),
    (
        "nc-min1",
        "nameConstraints",
        "3014a0123010820b6578616d706c652e636f6d800101",
        Some((49, 0)),
        true,
    ),
    (
        "nc-max",
        "nameConstraints",
        "3014a0123010820b6578616d706c652e636f6d810105",
        Some((49, 0)),
        true,
    ),
    (
        "nc-min-pad",
        "nameConstraints",
        "3015a0133011820b6578616d706c652e636f6d80020000",
        Some((20, 0)),
        false,
    ),
    (
        "nc-max-min",
        "nameConstraints",
        "3017a0153013820b6578616d706c652e636f6d810105800100",
        Some((20, 0)),
        false,
    ),
    (
        "nc-excluded-first",
        "nameConstraints",
        "3022a10f300d820b6578616d706c652e636f6da00f300d820b6578616d706c652e636f6d",
        Some((20, 0)),
        false,
    ),
    (
        "nc-dup-permitted",
        "nameConstraints",
        "3022a00f300d820b6578616d706c652e636f6da00f300d820b6578616d706c652e636f6d",
        Some((20, 0)),
        false,
    ),
    (
        "nc-empty-permitted",
        "nameConstraints",
        "3002a000",
        None,
        true,
    ),
    ("nc-empty", "nameConstraints", "3000", None, true),
    (
        "nc-indef",
        "nameConstraints",
        "3080a00f300d820b6578616d706c652e636f6d0000",
        None,
        false,
    ),
    (
        "nc-subtree-indef",
        "nameConstraints",
        "3013a0113080820b6578616d706c652e636f6d0000",
        None,
        false,
    ),
    (
        "nc-trailing",
        "nameConstraints",
        "3011a00f300d820b6578616d706c652e636f6d00",
        None,
        false,
    ),
    (
        "nc-base-constructed",
        "nameConstraints",
        "3015a0133011a20f16076578616d706c6516042e636f6d",
        None,
        false,
    ),
    (
        "nc-base-constructed-other",
        "nameConstraints",
        "3015a0133011a20f16076578616d706c6516042e6f7267",
        Some((47, 0)),
        false,
    ),
    (
        "nc-base-latin1",
        "nameConstraints",
        "3011a00f300d820b6578e96d706c652e636f6d",
        Some((47, 0)),
        false,
    ),
];

/// Whether `der`'s derived types (`x509-cert`'s declarations) decode `value`
/// as strict DER.
fn der_derive_accepts(ext: &str, value: &[u8]) -> bool {
    use der::Decode;
    use x509_cert::ext::pkix::{
        AuthorityKeyIdentifier, BasicConstraints, NameConstraints, SubjectKeyIdentifier,
    };
    match ext {
        "basicConstraints" => BasicConstraints::from_der(value).is_ok(),
        "subjectKeyIdentifier" => SubjectKeyIdentifier::from_der(value).is_ok(),
        "authorityKeyIdentifier" => AuthorityKeyIdentifier::from_der(value).is_ok(),
        "nameConstraints" => NameConstraints::from_der(value).is_ok(),
        _ => unreachable!("{ext}"),
    }
}

fn hex_bytes(s: &str) -> Vec<u8> {
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
        .collect()
}

/// Every value of [`EXT_ENCODINGS`] gives the verdict OpenSSL gives: the
/// extension decoders read BER as OpenSSL's `d2i` does, not strict DER.
#[test]
fn extension_encodings_verify_as_in_openssl() {
    use crate::support::pki::{self, Case, Spec, TempDir};
    let dir = TempDir::new("ext-encodings");
    let mut root_spec = Spec::ca("Root", 5);
    root_spec.key_ids = false;
    let root = pki::make(&root_spec, &pki::key("ec-p256"), None);
    let (ik, lk) = (pki::key("ec-p384"), pki::key("ec-p256"));
    for &(label, ext, hex, want, der_ok) in EXT_ENCODINGS {
        let value = format!("DER:{hex}");
        let mut spec = if ext == "basicConstraints" {
            Spec::new("Inter", 7)
                .ext("basicConstraints", true, &value)
                .ext("keyUsage", true, "keyCertSign, cRLSign")
        } else {
            Spec::ca("Inter", 7).ext(ext, false, &value)
        };
        spec.key_ids = false;
        let inter = pki::make(&spec, &ik, Some(&root));
        let mut leaf_spec =
            Spec::new("leaf", 9).ext("subjectAltName", false, "DNS:www.example.com");
        leaf_spec.key_ids = false;
        let leaf = pki::make(&leaf_spec, &lk, Some(&inter));
        let case = Case::new(label, &leaf.cert, vec![&root.cert], vec![&inter.cert]);
        let cli = pki::openssl_verify(&dir, &case);
        assert_eq!(cli.0, want, "{label}: OpenSSL's answer changed");
        assert_eq!(pki::puressl_verify(&case), cli, "{label}");
        assert_eq!(
            der_derive_accepts(ext, &hex_bytes(hex)),
            der_ok,
            "{label}: strict DER's answer changed; revisit the decoder choice"
        );
    }
}
