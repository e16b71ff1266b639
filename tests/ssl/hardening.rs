//! TLS conformance of a puressl server against hostile but well-keyed
//! peers: a raw rustls client (on puressl's provider) that finishes a real
//! handshake with a `Connection<Memory>` server, then uses the negotiated
//! keys to send what a conforming peer never would, and reads the alert the
//! server answers with (decrypted with the negotiated keys too).

use std::net::{TcpListener, TcpStream};
use std::sync::Arc;
use std::thread;

use puressl::crypto::FileType;
use puressl::provider::{self, cipher_suite};
use puressl::ssl::{Connection, Context, Memory, Method};
use rustls::client::WebPkiServerVerifier;
use rustls::crypto::cipher::{
    AeadKey, InboundOpaqueMessage, Iv, MessageDecrypter, MessageEncrypter, OutboundPlainMessage,
};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, ServerName};
use rustls::{
    ClientConfig, ClientConnection, ConnectionTrafficSecrets, ContentType, ProtocolVersion,
    RootCertStore, SupportedCipherSuite,
};

use crate::support::child;
use crate::support::ssl;
use ssl::{accept_tcp, client_ctx, path, s_client, s_server_p256, server_ctx};

/// `AlertDescription::RecordOverflow`.
const RECORD_OVERFLOW: u8 = 22;

/// A rustls client on puressl's provider, limited to `suite`, trusting the
/// P-256 CA, with secret extraction on.
fn raw_client(suite: SupportedCipherSuite) -> ClientConnection {
    let mut p = provider::provider();
    p.cipher_suites = vec![suite];
    let p = Arc::new(p);
    let mut roots = RootCertStore::empty();
    for c in CertificateDer::pem_file_iter(path("p256-ca.pem")).expect("ca") {
        roots.add(c.expect("ca cert")).expect("add root");
    }
    let verifier = WebPkiServerVerifier::builder_with_provider(Arc::new(roots), Arc::clone(&p))
        .build()
        .expect("verifier");
    let version = match suite {
        SupportedCipherSuite::Tls12(_) => &rustls::version::TLS12,
        SupportedCipherSuite::Tls13(_) => &rustls::version::TLS13,
    };
    let mut cfg = ClientConfig::builder_with_provider(p)
        .with_protocol_versions(&[version])
        .expect("versions")
        .with_webpki_verifier(verifier)
        .with_no_client_auth();
    cfg.enable_secret_extraction = true;
    let name = ServerName::try_from("localhost").expect("name");
    ClientConnection::new(Arc::new(cfg), name).expect("client")
}

/// Moves the client's pending records to the server and lets it answer.
fn client_to_server(c: &mut ClientConnection, s: &mut Connection<Memory>) -> usize {
    let mut buf = Vec::new();
    while c.wants_write() {
        c.write_tls(&mut buf).expect("write_tls");
    }
    if !buf.is_empty() {
        s.bio_write(&buf).expect("bio_write");
    }
    let _ = s.do_handshake();
    buf.len()
}

/// Moves the server's pending records to the client.
fn server_to_client(s: &mut Connection<Memory>, c: &mut ClientConnection) -> usize {
    let Ok(buf) = s.bio_read(1 << 20) else {
        return 0;
    };
    let mut off = 0;
    while off < buf.len() {
        off += c.read_tls(&mut &buf[off..]).expect("read_tls");
        c.process_new_packets().expect("client processes");
    }
    buf.len()
}

/// A finished handshake between a raw client and a puressl server, with
/// every post-handshake message (tickets) delivered.
fn connected(suite: SupportedCipherSuite) -> (ClientConnection, Connection<Memory>) {
    let mut c = raw_client(suite);
    let ctx = server_ctx(Method::Tls);
    let mut s = Connection::new(&ctx, Memory::default());
    s.set_accept_state().expect("accept state");
    for _ in 0..20 {
        let moved = client_to_server(&mut c, &mut s) + server_to_client(&mut s, &mut c);
        if moved == 0 && !c.is_handshaking() {
            assert_eq!(c.negotiated_cipher_suite(), Some(suite));
            return (c, s);
        }
    }
    panic!("handshake did not finish");
}

/// Key and IV of one direction.
fn key_iv(secrets: ConnectionTrafficSecrets) -> (AeadKey, Iv) {
    match secrets {
        ConnectionTrafficSecrets::Aes128Gcm { key, iv }
        | ConnectionTrafficSecrets::Aes256Gcm { key, iv }
        | ConnectionTrafficSecrets::Chacha20Poly1305 { key, iv } => (key, iv),
        _ => panic!("unexpected secrets"),
    }
}

/// The client's sealing side, built from its extracted secrets with the
/// suite's own AEAD algorithm (the provider's code).
fn sealer(suite: SupportedCipherSuite, tx: ConnectionTrafficSecrets) -> Box<dyn MessageEncrypter> {
    let (key, iv) = key_iv(tx);
    match suite {
        SupportedCipherSuite::Tls13(s) => s.aead_alg.encrypter(key, iv),
        SupportedCipherSuite::Tls12(s) => {
            let fixed = s.aead_alg.key_block_shape().fixed_iv_len;
            let (salt, explicit) = iv.as_ref().split_at(fixed);
            s.aead_alg.encrypter(key, salt, explicit)
        }
    }
}

/// The client's opening side (the server's write direction).
fn opener(suite: SupportedCipherSuite, rx: ConnectionTrafficSecrets) -> Box<dyn MessageDecrypter> {
    let (key, iv) = key_iv(rx);
    match suite {
        SupportedCipherSuite::Tls13(s) => s.aead_alg.decrypter(key, iv),
        SupportedCipherSuite::Tls12(s) => {
            let fixed = s.aead_alg.key_block_shape().fixed_iv_len;
            s.aead_alg.decrypter(key, &iv.as_ref()[..fixed])
        }
    }
}

/// After a handshake on `suite`, the client seals one application-data
/// record of `len` plaintext bytes with the negotiated keys; returns the
/// server's `recv` error text and the alert it sent `(level, description)`.
fn send_sealed(suite: SupportedCipherSuite, len: usize) -> (String, Option<(u8, u8)>) {
    send_sealed_as(suite, ContentType::ApplicationData, 0x61, len)
}

/// [`send_sealed`] with the record's (TLS 1.3: inner) content type and
/// the byte its plaintext is made of.
fn send_sealed_as(
    suite: SupportedCipherSuite,
    typ: ContentType,
    fill: u8,
    len: usize,
) -> (String, Option<(u8, u8)>) {
    let (c, mut s) = connected(suite);
    let secrets = c.dangerous_extract_secrets().expect("extract secrets");
    let (tx_seq, tx) = secrets.tx;
    let (rx_seq, rx) = secrets.rx;
    let data = vec![fill; len];
    let record = sealer(suite, tx)
        .encrypt(
            OutboundPlainMessage {
                typ,
                version: ProtocolVersion::TLSv1_2,
                payload: data.as_slice().into(),
            },
            tx_seq,
        )
        .expect("seal")
        .encode();
    s.bio_write(&record).expect("bio_write");
    let mut buf = vec![0u8; 1 << 15];
    let err = match s.recv(&mut buf) {
        Ok(n) => return (format!("accepted {n} bytes"), None),
        Err(e) => e.to_string(),
    };
    (err, read_alert(&mut s, suite, rx_seq, rx))
}

/// The first record the server wrote, opened with its write keys, as an
/// alert `(level, description)`.
fn read_alert(
    s: &mut Connection<Memory>,
    suite: SupportedCipherSuite,
    seq: u64,
    rx: ConnectionTrafficSecrets,
) -> Option<(u8, u8)> {
    let wire = s.bio_read(1 << 16).ok()?;
    let len = usize::from(u16::from_be_bytes([wire[3], wire[4]]));
    let mut body = wire[5..5 + len].to_vec();
    let typ = ContentType::from(wire[0]);
    let version = ProtocolVersion::from(u16::from_be_bytes([wire[1], wire[2]]));
    let plain = opener(suite, rx)
        .decrypt(InboundOpaqueMessage::new(typ, version, &mut body), seq)
        .expect("open the server's record");
    assert_eq!(plain.typ, ContentType::Alert);
    Some((plain.payload[0], plain.payload[1]))
}

/// RFC 5246 §6.2.3, RFC 8446 §5.2: a record of 2^14 + 1 plaintext bytes,
/// authentic under the negotiated keys, is answered with a fatal
/// `record_overflow`; 2^14 bytes are received. TLS 1.2 on both AEADs and
/// TLS 1.3.
#[test]
fn oversized_record_gets_record_overflow() {
    for suite in [
        cipher_suite::TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
        cipher_suite::TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256,
        cipher_suite::TLS13_AES_256_GCM_SHA384,
        cipher_suite::TLS13_CHACHA20_POLY1305_SHA256,
    ] {
        let name = format!("{:?}", suite.suite());
        let (err, alert) = send_sealed(suite, 1 << 14);
        assert_eq!(err, "accepted 16384 bytes", "{name}");
        assert_eq!(alert, None, "{name}");
        let (err, alert) = send_sealed(suite, (1 << 14) + 1);
        assert!(
            err.contains("peer sent excess record size"),
            "{name}: {err}"
        );
        assert_eq!(alert, Some((2, RECORD_OVERFLOW)), "{name}");
    }
}

/// Serves one TCP connection with `ctx` on a free port: the handshake's
/// result.
fn serve_once(ctx: Context) -> (u16, thread::JoinHandle<Result<(), String>>) {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = listener.local_addr().expect("addr").port();
    let handle = thread::spawn(move || {
        let stream = accept_tcp(&listener)?;
        let mut conn = Connection::new(&ctx, stream);
        conn.set_accept_state().map_err(|e| e.to_string())?;
        conn.do_handshake().map_err(|e| e.to_string())
    });
    (port, handle)
}

fn rsa_server_ctx() -> Context {
    let mut ctx = Context::new(Method::Tls).expect("ctx");
    ctx.use_certificate_file(path("rsa2048.pem"), FileType::Pem)
        .expect("cert");
    ctx.use_privatekey_file(path("rsa2048.key"), FileType::Pem)
        .expect("key");
    ctx
}

/// A server context and the `openssl s_client` arguments to try on it.
type Case = (fn() -> Context, &'static [&'static str]);

/// When no signature scheme the client offers fits the server's key, the
/// server refuses before its ServerHello with `handshake_failure`, as
/// OpenSSL does (tlsfuzzer's "only legacy sigalgs" TLS 1.3 case, and
/// ecdsa_sha1 / ecdsa_sha224 only); `openssl s_client` reads only the 7
/// bytes of the alert record.
#[test]
fn unusable_sigalgs_refused_before_server_hello() {
    let cases: [Case; 4] = [
        (
            rsa_server_ctx,
            &["-tls1_3", "-sigalgs", "RSA+SHA256:RSA+SHA384"],
        ),
        // A context with a ClientHello callback takes another path in.
        (
            || {
                let mut ctx = rsa_server_ctx();
                ctx.set_tlsext_servername_callback(|_| Ok(()));
                ctx
            },
            &["-tls1_3", "-sigalgs", "RSA+SHA256"],
        ),
        (
            || server_ctx(Method::Tls),
            &[
                "-tls1_2",
                "-sigalgs",
                "ECDSA+SHA1",
                "-cipher",
                "ALL:@SECLEVEL=0",
            ],
        ),
        (
            || server_ctx(Method::Tls),
            &[
                "-tls1_2",
                "-sigalgs",
                "ECDSA+SHA224",
                "-cipher",
                "ALL:@SECLEVEL=0",
            ],
        ),
    ];
    for (ctx, args) in cases {
        let (port, server) = serve_once(ctx());
        let (ok, out) = s_client(port, args, b"");
        let err = server.join().expect("server thread").unwrap_err();
        assert!(!ok, "{args:?}: {out}");
        assert!(out.contains("alert handshake failure"), "{args:?}: {out}");
        assert!(
            out.contains("SSL handshake has read 7 bytes"),
            "{args:?}: {out}"
        );
        assert!(
            err.contains("NoSignatureSchemesInCommon"),
            "{args:?}: {err}"
        );
    }
    // A scheme that fits is still served: RSA-PSS on TLS 1.3, ECDSA-SHA256
    // on TLS 1.2 next to the unusable ones.
    let cases: [Case; 2] = [
        (
            rsa_server_ctx,
            &["-tls1_3", "-sigalgs", "RSA+SHA256:RSA-PSS+SHA256"],
        ),
        (
            || server_ctx(Method::Tls),
            &[
                "-tls1_2",
                "-sigalgs",
                "ECDSA+SHA1:ECDSA+SHA256",
                "-cipher",
                "ALL:@SECLEVEL=0",
            ],
        ),
    ];
    for (ctx, args) in cases {
        let (port, server) = serve_once(ctx());
        let (_, out) = s_client(port, args, b"");
        server.join().expect("server thread").expect("handshake");
        assert!(out.contains("Verification"), "{args:?}: {out}");
    }
}

/// secp521r1 against OpenSSL both ways, TLS 1.2 and 1.3: a puressl server
/// limited to P-521 and `openssl s_client -groups P-521:P-256` (OpenSSL's
/// TLS 1.2 client wants the certificate's curve P-256 among its groups), a
/// puressl client offering P-521 and P-256 (for the same check in OpenSSL's
/// server) and `openssl s_server -groups P-521`;
/// both sides name the group.
#[test]
fn p521_key_exchange_with_openssl() {
    for version in ["-tls1_2", "-tls1_3"] {
        let (port, server) = {
            let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
            let port = listener.local_addr().expect("addr").port();
            let mut ctx = server_ctx(Method::Tls);
            ctx.set_groups_list("P-521").expect("groups");
            let handle = thread::spawn(move || -> Result<Option<&'static str>, String> {
                let stream = accept_tcp(&listener)?;
                let mut conn = Connection::new(&ctx, stream);
                conn.set_accept_state().map_err(|e| e.to_string())?;
                conn.do_handshake().map_err(|e| e.to_string())?;
                let group = conn.group_name();
                let _ = conn.shutdown();
                Ok(group)
            });
            (port, handle)
        };
        let (_, out) = s_client(port, &[version, "-groups", "P-521:P-256"], b"");
        let group = server.join().expect("server thread");
        assert_eq!(group, Ok(Some("secp521r1")), "{version}: {out}");
        assert!(
            out.contains("Server Temp Key: ECDH, secp521r1, 521 bits"),
            "{version}: {out}"
        );

        let (_kill, addr, _out) = s_server_p256(&[version, "-groups", "P-521"]);
        let mut ctx = client_ctx(Method::Tls);
        ctx.set_groups_list("P-521:P-256").expect("groups");
        let stream = TcpStream::connect(addr).expect("connect");
        stream.set_read_timeout(Some(child::WAIT)).expect("timeout");
        let mut conn = Connection::new(&ctx, stream);
        conn.set_connect_state().expect("connect state");
        conn.do_handshake().expect("handshake with s_server");
        assert_eq!(conn.group_name(), Some("secp521r1"), "{version}");
    }
}

/// After a handshake on `suite`, the client sends `wire` as it is; the
/// server's `recv` error and the alert it sent, opened with its keys.
fn send_raw(suite: SupportedCipherSuite, wire: &[u8]) -> (String, Option<(u8, u8)>) {
    let (c, mut s) = connected(suite);
    let secrets = c.dangerous_extract_secrets().expect("extract secrets");
    let (rx_seq, rx) = secrets.rx;
    s.bio_write(wire).expect("bio_write");
    let mut buf = vec![0u8; 1 << 15];
    let err = match s.recv(&mut buf) {
        Ok(n) => return (format!("accepted {n} bytes"), None),
        Err(e) => e.to_string(),
    };
    (err, read_alert(&mut s, suite, rx_seq, rx))
}

/// A record header and `len` body bytes.
fn raw_record(typ: u8, len: usize) -> Vec<u8> {
    let mut r = vec![typ, 3, 3];
    r.extend_from_slice(&u16::try_from(len).expect("len").to_be_bytes());
    r.resize(5 + len, 0x42);
    r
}

/// RFC 5246 §6.2.3 / RFC 8446 §5.2: a protected record longer than the
/// protocol allows gets `record_overflow` (rustls alone sends
/// `decode_error` from 2^14 + 2048 bytes on, and `bad_record_mac` for a
/// TLS 1.3 record between 2^14 + 256 and that), protected with the
/// negotiated keys.
#[test]
fn oversized_protected_records_get_record_overflow() {
    for suite in [
        cipher_suite::TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
        cipher_suite::TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256,
        cipher_suite::TLS13_AES_256_GCM_SHA384,
        cipher_suite::TLS13_CHACHA20_POLY1305_SHA256,
    ] {
        let tls13 = matches!(suite, SupportedCipherSuite::Tls13(_));
        let name = format!("{:?}", suite.suite());
        let mut lens = vec![(1 << 14) + 2048, 0xffff];
        if tls13 {
            lens.push((1 << 14) + 257);
        }
        for len in lens {
            let (err, alert) = send_raw(suite, &raw_record(0x17, len));
            assert!(
                err.contains("peer sent excess record size"),
                "{name} {len}: {err}"
            );
            assert_eq!(alert, Some((2, RECORD_OVERFLOW)), "{name} {len}");
        }
        // A forged record of a legal length is still bad_record_mac.
        let len = if tls13 { (1 << 14) + 256 } else { 1000 };
        let (err, alert) = send_raw(suite, &raw_record(0x17, len));
        assert!(err.contains("decrypt"), "{name} {len}: {err}");
        assert_eq!(alert, Some((2, 20)), "{name} {len}");
    }
}

/// A puressl server and what it answers to `wire` as the client's first
/// flight: the handshake error and every byte it wrote.
fn first_flight(wire: &[u8]) -> (String, Vec<u8>) {
    let plain = first_flight_to(&server_ctx(Method::Tls), wire);
    // A context with a ClientHello callback reads the first flight through
    // rustls' Acceptor: the same answer.
    let mut ctx = server_ctx(Method::Tls);
    ctx.set_tlsext_servername_callback(|_| Ok(()));
    let accepting = first_flight_to(&ctx, wire);
    if plain.0.is_empty() {
        assert!(accepting.0.is_empty(), "{accepting:?}");
        assert_eq!(plain.1.first(), accepting.1.first());
    } else {
        assert_eq!(plain, accepting);
    }
    plain
}

/// [`first_flight`] to a server with `ctx`.
fn first_flight_to(ctx: &Context, wire: &[u8]) -> (String, Vec<u8>) {
    let mut s = Connection::new(ctx, Memory::default());
    s.set_accept_state().expect("accept state");
    s.bio_write(wire).expect("bio_write");
    let mut err = String::new();
    for _ in 0..64 {
        match s.do_handshake() {
            Err(e) if e.is_retryable() => {}
            Err(e) => {
                err = e.to_string();
                break;
            }
            Ok(()) => break,
        }
    }
    (err, s.bio_read(1 << 16).unwrap_or_default())
}

/// RFC 8446 §5.1 / RFC 5246 §6.2.1: a plaintext record over 2^14 bytes is
/// `record_overflow` (rustls takes it); a ClientHello over rustls' 64 KiB
/// limit gets OpenSSL's `illegal_parameter` (rustls closes without an
/// alert). Both alerts are plaintext: nothing else was sent.
#[test]
fn oversized_first_flight_gets_an_alert() {
    let (err, out) = first_flight(&raw_record(0x16, (1 << 14) + 1));
    assert!(err.contains("record overflow"), "{err}");
    assert_eq!(out, [0x15, 3, 3, 0, 2, 2, RECORD_OVERFLOW]);

    // ClientHellos of 65535 bytes (legal; rustls' limit is the size of its
    // buffer, which the record headers overflow) and of 70000 bytes: no
    // alert from rustls, OpenSSL's illegal_parameter from the guard.
    let hello = |len: usize| {
        let mut body = vec![1];
        body.extend_from_slice(&u32::try_from(len).expect("len").to_be_bytes()[1..]);
        body.resize(4 + len, 0);
        body[4..6].copy_from_slice(&[3, 3]);
        let mut wire = Vec::new();
        for chunk in body.chunks(1 << 14) {
            wire.extend_from_slice(&[0x16, 3, 1]);
            wire.extend_from_slice(&u16::try_from(chunk.len()).expect("len").to_be_bytes());
            wire.extend_from_slice(chunk);
        }
        wire
    };
    let (err, out) = first_flight(&hello(70_000));
    assert!(err.contains("HandshakePayloadTooLarge"), "{err}");
    assert_eq!(out, [0x15, 3, 3, 0, 2, 2, 47]);
    let (err, out) = first_flight(&hello(0xffff));
    assert!(err.contains("excessive message size"), "{err}");
    assert_eq!(out, [0x15, 3, 3, 0, 2, 2, 47]);
}

/// RFC 8446 §5.4: a TLS 1.3 record whose inner plaintext is zeros only (no
/// content type) gets `unexpected_message` (rustls alone sends nothing).
#[test]
fn all_zero_inner_plaintext_gets_unexpected_message() {
    for suite in [
        cipher_suite::TLS13_AES_256_GCM_SHA384,
        cipher_suite::TLS13_CHACHA20_POLY1305_SHA256,
    ] {
        for len in [0, 1, 100] {
            // The sealer appends the type byte: 0, after `len` zero bytes.
            let (err, alert) = send_sealed_as(suite, ContentType::from(0), 0, len);
            assert!(err.contains("peer misbehaved"), "{len}: {err}");
            assert_eq!(alert, Some((2, 10)), "{len}");
        }
    }
}

/// A real ClientHello (TLS 1.3 and 1.2 offered) from a puressl client,
/// re-framed into records of at most `frag` body bytes, with
/// `legacy_version` set to `version`.
fn client_hello(version: u16, frag: usize) -> Vec<u8> {
    let ctx = client_ctx(Method::Tls);
    let mut c = Connection::new(&ctx, Memory::default());
    c.set_connect_state().expect("connect state");
    assert!(c.do_handshake().is_err());
    let record = c.bio_read(1 << 16).expect("hello");
    let mut body = record[5..].to_vec();
    body[4..6].copy_from_slice(&version.to_be_bytes());
    let mut wire = Vec::new();
    for chunk in body.chunks(frag) {
        wire.extend_from_slice(&[0x16, 3, 1]);
        wire.extend_from_slice(&u16::try_from(chunk.len()).expect("len").to_be_bytes());
        wire.extend_from_slice(chunk);
    }
    wire
}

/// RFC 8446 Appendix D.5: a ClientHello with `legacy_version` 0x0300 or
/// less is refused with `protocol_version` (rustls answers it when
/// `supported_versions` offers TLS 1.3), whole or fragmented into 1-byte
/// records; 0x0301 and 0x0303 are served.
#[test]
fn ssl3_legacy_version_gets_protocol_version() {
    for frag in [1 << 14, 1] {
        for version in [0x0300, 0x0002] {
            let (err, out) = first_flight(&client_hello(version, frag));
            assert!(err.contains("legacy_version"), "{version:#x} {frag}: {err}");
            assert_eq!(out, [0x15, 3, 3, 0, 2, 2, 70], "{version:#x} {frag}");
        }
        for version in [0x0301, 0x0303] {
            let (err, out) = first_flight(&client_hello(version, frag));
            assert_eq!(err, "", "{version:#x} {frag}");
            assert_eq!(
                out.first(),
                Some(&0x16),
                "{version:#x} {frag}: a ServerHello"
            );
        }
    }
}
