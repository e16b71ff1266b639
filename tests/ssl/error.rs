//! ssl::Error, Method, Options and VerifyMode: values and mappings.

use puressl::ssl::{Error, Method, Options, ProtoVersion, VerifyMode};
use std::error::Error as _;
use std::io;

#[test]
fn verify_mode_values_are_pyopenssl_values() {
    assert_eq!(VerifyMode::NONE.bits(), 0);
    assert_eq!(VerifyMode::PEER.bits(), 1);
    assert_eq!(VerifyMode::FAIL_IF_NO_PEER_CERT.bits(), 2);
    assert_eq!(VerifyMode::CLIENT_ONCE.bits(), 4);
}

#[test]
fn options_values_are_openssl3_values() {
    assert_eq!(Options::ALL.bits(), 0x8000_0850);
    assert_eq!(Options::NO_SSLV2.bits(), 0);
    assert_eq!(Options::NO_SSLV3.bits(), 0x0200_0000);
    assert_eq!(Options::NO_TLSV1.bits(), 0x0400_0000);
    assert_eq!(Options::NO_TLSV1_2.bits(), 0x0800_0000);
    assert_eq!(Options::NO_TLSV1_1.bits(), 0x1000_0000);
    assert_eq!(Options::NO_TLSV1_3.bits(), 0x2000_0000);
    assert_eq!(Options::NO_TICKET.bits(), 0x4000);
    assert_eq!(Options::NO_COMPRESSION.bits(), 0x2_0000);
    assert_eq!(Options::CIPHER_SERVER_PREFERENCE.bits(), 0x40_0000);
}

#[test]
fn methods() {
    assert_eq!(
        Method::Tls.versions().unwrap(),
        (ProtoVersion::Tls1_2, ProtoVersion::Tls1_3)
    );
    assert_eq!(
        Method::TlsV1_2.versions().unwrap(),
        (ProtoVersion::Tls1_2, ProtoVersion::Tls1_2)
    );
    assert_eq!(
        Method::TlsV1_3.versions().unwrap(),
        (ProtoVersion::Tls1_3, ProtoVersion::Tls1_3)
    );
    for (m, name) in [
        (Method::SslV2, "SSLv2"),
        (Method::SslV3, "SSLv3"),
        (Method::TlsV1, "TLSv1"),
        (Method::TlsV1_1, "TLSv1.1"),
    ] {
        let e = m.versions().unwrap_err();
        let text = e.to_string();
        assert!(text.contains(&format!("{name} is not supported")), "{text}");
        match e {
            Error::Ssl(s) => assert_eq!(s.triples()[0].0, "SSL routines"),
            other => panic!("{other:?}"),
        }
    }
    assert_eq!(ProtoVersion::Tls1_2.name(), "TLSv1.2");
    assert_eq!(ProtoVersion::Tls1_3.code(), 0x0304);
}

#[test]
fn io_mapping() {
    let kind = |e: Error| io::Error::from(e).kind();
    assert_eq!(kind(Error::ZeroReturn), io::ErrorKind::BrokenPipe);
    assert_eq!(kind(Error::WantRead), io::ErrorKind::WouldBlock);
    assert_eq!(kind(Error::WantWrite), io::ErrorKind::WouldBlock);
    let eof = Error::SysCall {
        errno: -1,
        message: "Unexpected EOF".into(),
    };
    assert_eq!(eof.errno(), Some(-1));
    assert_eq!(kind(eof), io::ErrorKind::UnexpectedEof);
    let reset = Error::SysCall {
        errno: 104,
        message: "Connection reset by peer".into(),
    };
    assert_eq!(kind(reset), io::ErrorKind::ConnectionReset);
    assert!(Error::WantRead.is_retryable());
    assert!(!Error::ZeroReturn.is_retryable());
}

#[test]
fn from_crypto_error_keeps_source() {
    let crypto = puressl::crypto::X509::from_pem(b"not pem").unwrap_err();
    let text = crypto.to_string();
    let e = Error::from(crypto);
    let Error::Ssl(stack) = &e else {
        panic!("{e:?}")
    };
    assert_eq!(stack.triples()[0].2, text);
    let src = e.source().unwrap().source().unwrap();
    assert!(src.downcast_ref::<puressl::crypto::Error>().is_some());
    assert_eq!(io::Error::from(e).kind(), io::ErrorKind::InvalidData);
}

/// `?` converts across puressl's error types and `io::Error`: a store
/// error and an io::Error into `ssl::Error` and `crypto::Error`, a
/// crypto::Error and a store error into `io::Error`; sources stay chained.
#[test]
fn question_mark_across_error_types() {
    use puressl::crypto::{self, FileType, X509Store, X509StoreContext, X509VerifyError};
    let vectors = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/vectors/certs/");
    // The leaf verified against an empty store fails with error 20.
    fn verify_leaf(dir: &str) -> Result<(), Error> {
        let pem = std::fs::read(format!("{dir}leaf.pem"))?; // io::Error
        let leaf = crypto::load_certificate(FileType::Pem, &pem)?; // crypto::Error
        let store = X509Store::new();
        X509StoreContext::new(&store, &leaf, None).verify_certificate()?; // store error
        Ok(())
    }
    let e = verify_leaf(vectors).unwrap_err();
    let Error::Ssl(stack) = &e else {
        panic!("{e:?}")
    };
    assert_eq!(
        stack.triples(),
        [(
            "x509 certificate routines",
            "",
            "unable to get local issuer certificate"
        )]
    );
    let store_err = e
        .source()
        .and_then(|s| s.source())
        .and_then(|s| s.downcast_ref::<crypto::X509StoreContextError>())
        .expect("the store error is the source");
    assert_eq!(
        store_err.error(),
        X509VerifyError::UNABLE_TO_GET_ISSUER_CERT_LOCALLY
    );
    // A missing file: io::Error → ssl::Error::SysCall with errno ENOENT.
    let e = verify_leaf("/nonexistent/").unwrap_err();
    assert_eq!(e.errno(), Some(2), "{e:?}");

    // The same steps returning crypto::Error and io::Error.
    fn verify_crypto(dir: &str) -> Result<(), crypto::Error> {
        let pem = std::fs::read(format!("{dir}leaf.pem"))?;
        let leaf = crypto::load_certificate(FileType::Pem, &pem)?;
        X509StoreContext::new(&X509Store::new(), &leaf, None).verify_certificate()?;
        Ok(())
    }
    let e = verify_crypto(vectors).unwrap_err();
    assert!(
        matches!(&e, crypto::Error::Verify { error, depth: 0, .. } if error.code() == 20)
            && e.verify_error().map(|v| v.code()) == Some(20),
        "{e:?}"
    );
    assert_eq!(
        e.to_string(),
        "certificate verify failed: unable to get local issuer certificate"
    );
    assert!(matches!(
        verify_crypto("/nonexistent/"),
        Err(crypto::Error::Io(io)) if io.kind() == io::ErrorKind::NotFound
    ));
    fn verify_io(dir: &str) -> io::Result<()> {
        let pem = std::fs::read(format!("{dir}leaf.pem"))?;
        let leaf = crypto::load_certificate(FileType::Pem, &pem)?;
        X509StoreContext::new(&X509Store::new(), &leaf, None).verify_certificate()?;
        Ok(())
    }
    let e = verify_io(vectors).unwrap_err();
    assert_eq!(e.kind(), io::ErrorKind::InvalidData);
    assert_eq!(e.to_string(), "unable to get local issuer certificate");
    let e = io::Error::from(crypto::load_certificate(FileType::Pem, b"junk").unwrap_err());
    assert_eq!(e.kind(), io::ErrorKind::InvalidData);
    assert!(e
        .get_ref()
        .and_then(|i| i.downcast_ref::<crypto::Error>())
        .is_some());
    // rustls is re-exported, so its error converts without naming the crate.
    let e = Error::from(puressl::rustls::Error::DecryptError);
    assert!(e.source().is_some());
}
