//! `crypto::Error`: the structured variants say what was wrong, and an
//! algorithm's own error stays reachable as the `source()`.

use std::error::Error as _;

use puressl::crypto::{
    self, Error, FileType, HostFlags, KeyType, PKey, Pkcs12, Purpose, X509Crl, X509Name, X509Req,
    X509Store, X509StoreFlags, X509,
};

use crate::support::{pki, vectors};

#[test]
fn rsa_signing_failure_keeps_its_source() {
    // PKCS#1 v1.5 with SHA-512 needs 94 bytes; a 512-bit key has 64.
    let key = PKey::generate_key(KeyType::Rsa, 512).unwrap();
    let e = crypto::sign(&key, b"data", "sha512").unwrap_err();
    match &e {
        Error::OperationFailed {
            operation: "RSA signing",
            reason,
            source: Some(_),
        } => assert!(reason.contains("too big"), "{reason}"),
        _ => panic!("{e:?}"),
    }
    assert!(e.to_string().starts_with("RSA signing failed: "), "{e}");
    assert!(e.source().is_some());
    let io: std::io::Error = e.into();
    assert_eq!(io.kind(), std::io::ErrorKind::InvalidData);
}

#[test]
fn invalid_rsa_key_keeps_its_source() {
    // PKCS#1 RSAPublicKey { n = 15, e = 3 }: a 4-bit modulus.
    let pem = b"-----BEGIN RSA PUBLIC KEY-----\nMAYCAQ8CAQM=\n-----END RSA PUBLIC KEY-----\n";
    let e = crypto::load_publickey(FileType::Pem, pem).unwrap_err();
    match &e {
        Error::InvalidKey {
            reason,
            source: Some(_),
        } => assert!(reason.starts_with("invalid RSA public key: "), "{reason}"),
        _ => panic!("{e:?}"),
    }
    assert!(e.source().is_some());
}

#[test]
fn objects_missing_a_part() {
    let e = X509::new().to_der().unwrap_err();
    assert!(
        matches!(
            e,
            Error::NotSigned {
                object: "certificate"
            }
        ),
        "{e:?}"
    );
    assert!(
        e.to_string().starts_with("the certificate is not signed"),
        "{e}"
    );
    let e = X509Req::new().to_der().unwrap_err();
    assert!(
        matches!(
            e,
            Error::NotSigned {
                object: "certificate request"
            }
        ),
        "{e:?}"
    );
    let e = X509::new().pubkey().unwrap_err();
    assert!(
        matches!(&e, Error::MissingField { object, field } if object == "certificate" && field == "public key"),
        "{e:?}"
    );
    assert_eq!(e.to_string(), "the certificate has no public key");
    let e = crypto::dump_crl(FileType::Pem, &X509Crl::new()).unwrap_err();
    assert!(
        matches!(
            e,
            Error::NotSigned { object: "CRL" } | Error::MissingField { .. }
        ),
        "{e:?}"
    );
}

#[test]
fn numbers_out_of_range() {
    let e = X509::new().set_version(3).unwrap_err();
    assert!(
        matches!(&e, Error::OutOfRange { what: "certificate version", value: 3, expected } if expected == "must be 0, 1 or 2"),
        "{e:?}"
    );
    assert_eq!(
        e.to_string(),
        "certificate version 3 is out of range: must be 0, 1 or 2"
    );
    // The three signed structures share one setter; each keeps its bound
    // and its message, and a refused version leaves the value unchanged.
    let mut crl = X509Crl::new();
    crl.set_version(1).unwrap();
    let e = crl.set_version(2).unwrap_err();
    assert_eq!(
        e.to_string(),
        "CRL version 2 is out of range: only 0 (v1) and 1 (v2) exist"
    );
    assert_eq!(crl.version(), 1);
    let mut req = X509Req::new();
    let e = req.set_version(1).unwrap_err();
    assert_eq!(
        e.to_string(),
        "certificate request version 1 is out of range: only 0 is valid"
    );
    assert_eq!(req.version(), 0);
    let e = PKey::generate_key(KeyType::Ec, 255).unwrap_err();
    assert_eq!(
        e.to_string(),
        "EC key size 255 is out of range: 256, 384 or 521 bits"
    );
    // A bad argument is InvalidInput for io::Error.
    let io: std::io::Error = e.into();
    assert_eq!(io.kind(), std::io::ErrorKind::InvalidInput);
}

#[test]
fn unknown_names() {
    let e = X509Name::new().set("bogusAttribute", "x").unwrap_err();
    assert!(
        matches!(&e, Error::UnknownName { kind: "name attribute", name, .. } if name == "bogusAttribute"),
        "{e:?}"
    );
    assert!(e.to_string().contains("no such attribute"), "{e}");
    let e = Purpose::from_name("nope").unwrap_err();
    assert_eq!(e.to_string(), "unknown certificate purpose \"nope\"");
    let e = X509StoreFlags::from_openssl(1 << 40).unwrap_err();
    assert!(
        matches!(&e, Error::UnknownName { kind: "X509_V_FLAG bits", name, .. } if name == "0x10000000000"),
        "{e:?}"
    );
}

#[test]
fn file_types_an_operation_does_not_take() {
    for (e, op) in [
        (
            crypto::load_certificate(FileType::Text, b"").unwrap_err(),
            "load_certificate",
        ),
        (
            crypto::load_crl(FileType::Text, b"").unwrap_err(),
            "load_crl",
        ),
        (
            crypto::load_privatekey(FileType::Text, b"", None).unwrap_err(),
            "load_privatekey",
        ),
    ] {
        assert!(
            matches!(e, Error::UnsupportedFileType { operation, file_type: FileType::Text } if operation == op),
            "{e:?}"
        );
        assert_eq!(
            e.to_string(),
            format!("{op} does not support FILETYPE_TEXT (only FILETYPE_PEM and FILETYPE_ASN1)")
        );
    }
}

/// A DER element with a short- or long-form length.
fn tlv(tag: u8, content: &[u8]) -> Vec<u8> {
    let mut out = vec![tag];
    let len = content.len();
    if len < 0x80 {
        out.push(len as u8);
    } else {
        let bytes: Vec<u8> = len
            .to_be_bytes()
            .into_iter()
            .skip_while(|&b| b == 0)
            .collect();
        out.push(0x80 | bytes.len() as u8);
        out.extend(bytes);
    }
    out.extend_from_slice(content);
    out
}

/// A PFX without a MAC holding one SafeBag (`bag_id`, `value`, attributes).
fn pfx_with_bag(bag_id: &[u8], value: &[u8], attributes: Option<&[u8]>) -> Vec<u8> {
    const DATA: &[u8] = &[0x06, 9, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 1, 7, 1];
    let data_info = |content: &[u8]| tlv(0x30, &[DATA, &tlv(0xa0, &tlv(0x04, content))].concat());
    let mut bag = [bag_id, &tlv(0xa0, value)].concat();
    if let Some(a) = attributes {
        bag.extend(tlv(0x31, a));
    }
    let safe_contents = tlv(0x30, &tlv(0x30, &bag));
    let auth_safe = tlv(0x30, &data_info(&safe_contents));
    tlv(0x30, &[&[2, 1, 3][..], &data_info(&auth_safe)].concat())
}

/// The scrypt/AES-256-CBC PKCS#8 vector (DER) and its password.
fn scrypt_pkcs8() -> (Vec<u8>, Vec<u8>) {
    let e = &vectors::expected()["files"]["keys/ec-p256.pkcs8-scrypt.pem"];
    let pw = vectors::unhex(e["password_hex"].as_str().unwrap());
    let der = vectors::pem_body(&vectors::read_vector("keys/ec-p256.pkcs8-scrypt.pem"));
    // scrypt r = 8 at 47..50, the aes-256-cbc OID's last arc at 65.
    assert_eq!(der[47..50], [0x02, 0x01, 0x08]);
    assert_eq!(der[55..66], AES_256_CBC);
    (der, pw)
}

/// The DER of OID 2.16.840.1.101.3.4.1.42 (aes-256-cbc).
const AES_256_CBC: [u8; 11] = [6, 9, 0x60, 0x86, 0x48, 1, 0x65, 3, 4, 1, 0x2a];

/// The `source()` of `e`, which must be an [`Error::UnsupportedAlgorithm`]
/// naming `algorithm` with the cause outside its text.
fn unsupported_source<'e>(e: &'e Error, algorithm: &str) -> &'e (dyn std::error::Error + 'static) {
    assert!(
        matches!(e, Error::UnsupportedAlgorithm { algorithm: a, source: Some(_) } if a == algorithm),
        "{e:?}"
    );
    assert_eq!(e.to_string(), format!("unsupported algorithm: {algorithm}"));
    e.source().expect("source")
}

#[test]
fn unknown_pbes2_cipher_in_pkcs8_keeps_the_decoder_error() {
    // aes-256-cbc → 2.16.840.1.101.3.4.1.43 (aes-256-ofb), which pkcs5 lacks.
    let (mut der, pw) = scrypt_pkcs8();
    der[65] = 0x2b;
    let e = crypto::load_privatekey(FileType::Asn1, &der, Some(pw.into())).unwrap_err();
    let source = unsupported_source(&e, "key encryption scheme 1.2.840.113549.1.5.13");
    assert!(source.downcast_ref::<der::Error>().is_some(), "{source:?}");
    assert!(
        source.to_string().contains("2.16.840.1.101.3.4.1.43"),
        "{source}"
    );
}

#[test]
fn unknown_pbes2_cipher_in_pkcs12_keeps_the_decoder_error() {
    let mut p12 = Pkcs12::new();
    p12.set_privatekey(Some(pki::key("ec-p256")));
    let mut der = p12.export(None, 1, None).unwrap();
    let mut patched = 0;
    for i in 0..der.len() - AES_256_CBC.len() {
        if der[i..i + AES_256_CBC.len()] == AES_256_CBC {
            der[i + AES_256_CBC.len() - 1] = 0x2b;
            patched += 1;
        }
    }
    assert!(patched > 0);
    let e = crypto::load_pkcs12(&der, None).unwrap_err();
    let source = unsupported_source(&e, "encryption algorithm 1.2.840.113549.1.5.13");
    assert!(source.downcast_ref::<der::Error>().is_some(), "{source:?}");
}

#[test]
fn bad_scrypt_parameters_keep_the_pkcs5_error() {
    const SHROUDED_KEY_BAG: &[u8] = &[
        0x06, 11, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 1, 12, 10, 1, 2,
    ];
    // scrypt block size r = 0: within the memory limit, refused by scrypt.
    let (mut der, pw) = scrypt_pkcs8();
    der[49] = 0;
    let pkcs8 = crypto::load_privatekey(FileType::Asn1, &der, Some(pw.into())).unwrap_err();
    // The same key as a PKCS#12 pkcs8ShroudedKeyBag.
    let pkcs12 =
        crypto::load_pkcs12(&pfx_with_bag(SHROUDED_KEY_BAG, &der, None), None).unwrap_err();
    for (e, algorithm) in [
        (
            pkcs8,
            "key encryption parameters for 1.3.6.1.4.1.11591.4.11",
        ),
        (pkcs12, "PBES2"),
    ] {
        let source = unsupported_source(&e, algorithm);
        assert!(
            matches!(
                source.downcast_ref::<pkcs5::Error>(),
                Some(pkcs5::Error::AlgorithmParametersInvalid { .. })
            ),
            "{source:?}"
        );
    }
}

#[test]
fn friendly_names_keep_the_utf_errors() {
    let mut p12 = Pkcs12::new();
    p12.set_privatekey(Some(pki::key("ec-p256")));
    p12.set_friendly_name(Some(b"caf\xe9"));
    let e = p12.export(None, 1, None).unwrap_err();
    assert!(
        matches!(&e, Error::InvalidString { field, reason, source: Some(_) }
            if field == "friendly name" && reason == "not UTF-8"),
        "{e:?}"
    );
    assert_eq!(e.to_string(), "invalid friendly name: not UTF-8");
    assert!(e
        .source()
        .and_then(|s| s.downcast_ref::<std::str::Utf8Error>())
        .is_some());

    // A certBag whose friendlyName BMPString holds a lone surrogate.
    const CERT_BAG: &[u8] = &[
        0x06, 11, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 1, 12, 10, 1, 3,
    ];
    const X509_CERTIFICATE: &[u8] = &[0x06, 10, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 1, 9, 22, 1];
    const FRIENDLY_NAME: &[u8] = &[0x06, 9, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 1, 9, 20];
    let cert_bag = tlv(
        0x30,
        &[X509_CERTIFICATE, &tlv(0xa0, &tlv(0x04, b"not read"))].concat(),
    );
    let name = tlv(
        0x30,
        &[FRIENDLY_NAME, &tlv(0x31, &tlv(0x1e, &[0xd8, 0]))].concat(),
    );
    let e = crypto::load_pkcs12(&pfx_with_bag(CERT_BAG, &cert_bag, Some(&name)), None).unwrap_err();
    assert!(
        matches!(&e, Error::InvalidString { field, source: Some(_), .. } if field == "PKCS#12 friendlyName"),
        "{e:?}"
    );
    assert!(e
        .source()
        .and_then(|s| s.downcast_ref::<std::string::FromUtf16Error>())
        .is_some());
}

#[test]
fn bad_utf8_in_a_name_keeps_the_utf8_error() {
    // Name: CN as a UTF8String holding the byte 0xff.
    let cn = [0x06, 0x03, 0x55, 0x04, 0x03, 0x0c, 0x01, 0xff];
    let der = tlv(0x30, &tlv(0x31, &tlv(0x30, &cn)));
    let name = X509Name::from_der(&der).unwrap();
    let e = name.entries()[0].text().unwrap_err();
    assert!(
        matches!(&e, Error::Malformed { reason, source: Some(_), .. } if reason == "invalid UTF-8 in UTF8String"),
        "{e:?}"
    );
    assert_eq!(
        e.to_string(),
        "invalid string value: invalid UTF-8 in UTF8String"
    );
    assert!(e
        .source()
        .and_then(|s| s.downcast_ref::<std::str::Utf8Error>())
        .is_some());

    // check_host on that subject: InvalidString, caused by the Malformed
    // error, caused by the Utf8Error.
    let mut cert = X509::new();
    cert.set_subject(&name);
    let e = cert
        .check_host("example.com", HostFlags::empty())
        .unwrap_err();
    assert!(
        matches!(&e, Error::InvalidString { field, source: Some(_), .. } if field == "subject"),
        "{e:?}"
    );
    let inner = e.source().and_then(|s| s.downcast_ref::<Error>());
    assert!(matches!(inner, Some(Error::Malformed { .. })), "{inner:?}");
    assert!(inner
        .and_then(|i| i.source())
        .and_then(|s| s.downcast_ref::<std::str::Utf8Error>())
        .is_some());
}

#[test]
fn unreadable_ca_file_keeps_the_os_error() {
    let path = std::path::Path::new("/nonexistent/puressl-ca.pem");
    let e = X509Store::new()
        .load_locations(Some(path), None)
        .unwrap_err();
    let Error::Io(io) = &e else { panic!("{e:?}") };
    assert_eq!(io.kind(), std::io::ErrorKind::NotFound);
    assert!(
        io.to_string().starts_with("/nonexistent/puressl-ca.pem: "),
        "{io}"
    );
    // crypto::Error → io::Error (with the path) → the OS error.
    let os = e
        .source()
        .and_then(|s| s.source())
        .and_then(|s| s.downcast_ref::<std::io::Error>())
        .expect("the OS error");
    assert_eq!(os.kind(), std::io::ErrorKind::NotFound);
    assert!(os.raw_os_error().is_some());
    // `?` into io::Error keeps the kind.
    let io: std::io::Error = e.into();
    assert_eq!(io.kind(), std::io::ErrorKind::NotFound);
}
