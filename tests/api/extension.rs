//! `X509Extension` through the public API: pyOpenSSL's documented values,
//! `str()` formats and error behaviour.

use puressl::crypto::{Error, X509Extension};

fn ext(name: &str, critical: bool, value: &str) -> X509Extension {
    X509Extension::new(name, critical, value).unwrap_or_else(|e| panic!("{name}={value}: {e}"))
}

#[test]
fn pyopenssl_get_data_examples() {
    assert_eq!(
        ext("basicConstraints", true, "CA:true").data(),
        b"0\x03\x01\x01\xff"
    );
    assert_eq!(ext("basicConstraints", false, "CA:FALSE").data(), b"0\x00");
    let ku = ext("keyUsage", false, "digitalSignature, keyEncipherment");
    assert_eq!(ku.data(), b"\x03\x02\x05\xa0");
    assert_eq!(ku.to_string(), "Digital Signature, Key Encipherment");
}

#[test]
fn pyopenssl_str_examples() {
    let cases = [
        ("basicConstraints", "CA:TRUE", "CA:TRUE"),
        ("basicConstraints", "CA:FALSE", "CA:FALSE"),
        ("basicConstraints", "CA:true,pathlen:0", "CA:TRUE, pathlen:0"),
        (
            "keyUsage",
            "digitalSignature,nonRepudiation,keyEncipherment",
            "Digital Signature, Non Repudiation, Key Encipherment",
        ),
        ("keyUsage", "keyCertSign", "Certificate Sign"),
        (
            "extendedKeyUsage",
            "serverAuth,clientAuth",
            "TLS Web Server Authentication, TLS Web Client Authentication",
        ),
        ("subjectKeyIdentifier", "83:55:77:2d:04:ae", "83:55:77:2D:04:AE"),
        ("nsComment", "a raw comment, kept as is", "a raw comment, kept as is"),
        (
            "subjectAltName",
            "DNS:a.example, IP:192.0.2.1, IP:2001:db8::1, email:x@example, URI:http://u/, RID:1.2.3",
            "DNS:a.example, IP Address:192.0.2.1, IP Address:2001:DB8:0:0:0:0:0:1, \
             email:x@example, URI:http://u/, Registered ID:1.2.3",
        ),
        (
            "authorityInfoAccess",
            "OCSP;URI:http://ocsp/, caIssuers;URI:http://ca/",
            "OCSP - URI:http://ocsp/\nCA Issuers - URI:http://ca/",
        ),
        (
            "crlDistributionPoints",
            "URI:http://crl/a.crl",
            "Full Name:\n  URI:http://crl/a.crl",
        ),
        (
            "nameConstraints",
            "permitted;DNS:example.test, permitted;IP:10.0.0.0/255.0.0.0, excluded;email:bad.test",
            "Permitted:\n  DNS:example.test\n  IP:10.0.0.0/255.0.0.0\nExcluded:\n  email:bad.test",
        ),
        ("certificatePolicies", "anyPolicy, 1.2.3", "Policy: X509v3 Any Policy\nPolicy: 1.2.3"),
        (
            "policyConstraints",
            "requireExplicitPolicy:1,inhibitPolicyMapping:2",
            "Require Explicit Policy:1, Inhibit Policy Mapping:2",
        ),
        ("inhibitAnyPolicy", "4", "4"),
        ("tlsfeature", "status_request, 99", "status_request, 99"),
        ("nsCertType", "client, server, objsign", "SSL Client, SSL Server, Object Signing"),
        ("noCheck", "ignored", ""),
    ];
    for (name, value, want) in cases {
        let e = ext(name, false, value);
        assert_eq!(e.to_string(), want, "{name}={value}");
        assert_eq!(e.to_text().expect("printable"), want, "{name}={value}");
        assert_eq!(e.short_name(), name);
    }
}

#[test]
fn subject_alt_name_keeps_nul_bytes_like_pyopenssl() {
    // pyOpenSSL's NUL-byte test certificate's SAN, given as DER.
    let mut der = Vec::new();
    let items: [(u8, &[u8]); 5] = [
        (0x82, b"altnull.python.org\x00example.com"),
        (0x81, b"null@python.org\x00user@example.org"),
        (0x86, b"http://null.python.org\x00http://example.org"),
        (0x87, &[192, 0, 2, 1]),
        (
            0x87,
            &[0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1],
        ),
    ];
    for (tag, v) in items {
        der.push(tag);
        der.push(v.len() as u8);
        der.extend_from_slice(v);
    }
    assert!(der.len() > 127 && der.len() < 256);
    let mut value = vec![0x30, 0x81, der.len() as u8];
    value.extend_from_slice(&der);
    let hex: String = value.iter().map(|b| format!("{b:02x}")).collect();
    let e = ext("subjectAltName", false, &format!("DER:{hex}"));
    let want = "DNS:altnull.python.org\x00example.com, email:null@python.org\x00user@example.org, \
                URI:http://null.python.org\x00http://example.org, IP Address:192.0.2.1, \
                IP Address:2001:DB8:0:0:0:0:0:1";
    assert_eq!(e.to_text().expect("printable"), want);
    assert_eq!(e.to_string(), want);
}

#[test]
fn critical_flag_and_critical_prefix() {
    let e = ext("basicConstraints", false, "critical,CA:TRUE");
    assert!(e.critical());
    assert_eq!(e.data(), b"0\x03\x01\x01\xff");
    assert!(ext("basicConstraints", true, "CA:TRUE").critical());
    assert!(!ext("basicConstraints", false, "CA:TRUE").critical());
}

#[test]
fn der_values_for_any_extension() {
    let e = ext("1.3.6.1.4.1.55555.1.2", false, "DER:0c:05:68:65:6c:6c:6f");
    assert_eq!(e.oid().to_string(), "1.3.6.1.4.1.55555.1.2");
    assert_eq!(e.short_name(), "UNDEF");
    assert_eq!(e.long_name(), "1.3.6.1.4.1.55555.1.2");
    assert_eq!(e.data(), b"\x0c\x05hello");
    // pyOpenSSL's str() raises for an extension OpenSSL cannot print;
    // Display shows the bytes as `openssl x509 -text` does.
    assert!(matches!(
        e.to_text(),
        Err(Error::ExtensionNotPrintable { ref oid, name: "UNDEF" }) if oid == "1.3.6.1.4.1.55555.1.2"
    ));
    assert_eq!(e.to_string(), "..hello");
    // Long names work with DER: too.
    let e = ext("X509v3 Basic Constraints", false, "critical,DER:3000");
    assert_eq!(e.short_name(), "basicConstraints");
    assert_eq!(e.long_name(), "X509v3 Basic Constraints");
    assert!(e.critical());
}

#[test]
fn crl_entry_extensions_str_and_display() {
    // invalidityDate and holdInstructionCode: str() raises in pyOpenSSL
    // (OpenSSL's printers fail at indent 0); Display prints the value.
    let inv = ext(
        "invalidityDate",
        false,
        "DER:180f32303230303330313030303030305a",
    );
    assert_eq!(inv.short_name(), "invalidityDate");
    assert!(inv.to_text().is_err());
    assert_eq!(inv.to_string(), "Mar  1 00:00:00 2020 GMT");
    let hold = ext("holdInstructionCode", false, "DER:06072a8648ce380202");
    assert!(hold.to_text().is_err());
    assert_eq!(hold.to_string(), "Hold Instruction Call Issuer");
    let reason = ext("CRLReason", false, "DER:0a0101");
    assert_eq!(reason.to_text().expect("printable"), "Key Compromise");
    assert_eq!(
        ext("crlNumber", false, "DER:02012a")
            .to_text()
            .expect("text"),
        "42"
    );
}

#[test]
fn undecodable_values_are_not_printable() {
    // A BOOLEAN inside a SEQUENCE of the wrong length.
    let e = ext("basicConstraints", false, "DER:300401010000");
    assert!(e.to_text().is_err());
    assert_eq!(e.to_string(), "0.....");
    // Bytes after the value are ignored, as OpenSSL's d2i ignores them.
    let e = ext("basicConstraints", false, "DER:30030101ff0000");
    assert_eq!(e.to_text().expect("printable"), "CA:TRUE");
    // A keyUsage without any bit set: OpenSSL's printer fails.
    assert!(ext("keyUsage", false, "DER:030100").to_text().is_err());
}

#[test]
fn errors() {
    let unknown = X509Extension::new("notAnExtension", false, "x").expect_err("unknown");
    assert!(
        matches!(unknown, Error::UnknownName { kind: "extension name", ref name, .. } if name == "notAnExtension"),
        "{unknown:?}"
    );
    assert_eq!(
        unknown.to_string(),
        "unknown extension name \"notAnExtension\" (expected OpenSSL's short name)"
    );
    let bad = X509Extension::new("basicConstraints", false, "CA:perhaps").expect_err("bad");
    match bad {
        Error::InvalidExtensionValue { extension, reason } => {
            assert_eq!(extension, "basicConstraints");
            assert!(reason.contains("perhaps"), "{reason}");
        }
        other => panic!("{other:?}"),
    }
    let nul = X509Extension::new("nsComment", false, "a\0b").expect_err("nul");
    assert!(nul.to_string().contains("NUL"), "{nul}");
    let hash = X509Extension::new("subjectKeyIdentifier", false, "hash").expect_err("no subject");
    assert!(hash.to_string().contains("subject"), "{hash}");
}

#[test]
fn equality_and_clone() {
    let a = ext("subjectAltName", false, "DNS:a.test");
    assert_eq!(a.clone(), a);
    assert_ne!(a, ext("subjectAltName", true, "DNS:a.test"));
}
