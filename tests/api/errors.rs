//! `crypto::Error`: the structured variants say what was wrong, and an
//! algorithm's own error stays reachable as the `source()`.

use std::error::Error as _;

use puressl::crypto::{
    self, Error, FileType, KeyType, PKey, Purpose, X509Crl, X509Name, X509Req, X509StoreFlags, X509,
};

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
