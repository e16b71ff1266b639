//! `ssl::tokio::TlsStream` (the `tokio` feature): async client and server
//! over tokio TCP on 127.0.0.1, and against `openssl s_client`.
#![cfg(feature = "tokio")]

use std::io::ErrorKind;

use puressl::crypto::{load_certificate, FileType};
use puressl::ssl::tokio::TlsStream;
use puressl::ssl::{Context, Error, Method, Shutdown};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

use crate::support::child;
use crate::support::ssl;
use ssl::{client_ctx, path, s_client, server_ctx};

/// 64 KiB that are not periodic in any small length.
fn payload() -> Vec<u8> {
    (0..65_536u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8 ^ (i / 256) as u8)
        .collect()
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap()
}

/// What the async server saw: version, suite, SNI, bytes echoed, and its
/// close_notify flags at the end.
type Seen = (
    Option<&'static str>,
    Option<&'static str>,
    Option<String>,
    usize,
    Shutdown,
);

/// Accepts one TLS connection, echoes until the client's close_notify,
/// then closes.
async fn echo_once(listener: TcpListener, ctx: Context) -> Seen {
    let (tcp, _) = listener.accept().await.unwrap();
    let mut tls = TlsStream::accept(&ctx, tcp).await.unwrap();
    let mut buf = vec![0u8; 10_000];
    let mut total = 0;
    loop {
        let n = tls.read(&mut buf).await.unwrap();
        if n == 0 {
            break;
        }
        total += n;
        tls.write_all(&buf[..n]).await.unwrap();
    }
    tls.shutdown().await.unwrap();
    (
        tls.protocol_version_name(),
        tls.cipher_name(),
        tls.servername(),
        total,
        tls.shutdown_state(),
    )
}

/// An async client and an async server: handshake, 64 KiB echoed and
/// checked byte by byte, clean shutdown both ways; returns (client's
/// version, client's suite).
fn async_echo(client: Method) -> (&'static str, &'static str) {
    runtime().block_on(async {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let server = tokio::spawn(echo_once(listener, server_ctx(Method::Tls)));

        let tcp = TcpStream::connect(addr).await.unwrap();
        let tls = TlsStream::connect(&client_ctx(client), Some("localhost"), tcp)
            .await
            .unwrap();
        assert_eq!(tls.verify_result(), 0);
        let leaf =
            load_certificate(FileType::Pem, &std::fs::read(path("p256.pem")).unwrap()).unwrap();
        let peer = tls.peer_certificate().unwrap().expect("server certificate");
        assert_eq!(peer.to_der().unwrap(), leaf.to_der().unwrap());
        assert_eq!(tls.servername().as_deref(), Some("localhost"));
        let version = tls.protocol_version_name().unwrap();
        let suite = tls.cipher_name().unwrap();

        let data = payload();
        let (mut rd, mut wr) = tokio::io::split(tls);
        let sent = data.clone();
        let writer = async move {
            // Odd-sized writes: records do not line up with the reads.
            for chunk in sent.chunks(7_777) {
                wr.write_all(chunk).await.unwrap();
            }
            wr.flush().await.unwrap();
            wr
        };
        let reader = async move {
            let mut got = vec![0u8; data.len()];
            rd.read_exact(&mut got).await.unwrap();
            (rd, got, data)
        };
        let (mut wr, (mut rd, got, data)) = tokio::join!(writer, reader);
        assert_eq!(got.len(), data.len());
        if let Some(i) = got.iter().zip(&data).position(|(a, b)| a != b) {
            panic!("byte {i} differs: {} != {}", got[i], data[i]);
        }

        // close_notify from the client; the server answers with its own.
        wr.shutdown().await.unwrap();
        let mut rest = Vec::new();
        assert_eq!(rd.read_to_end(&mut rest).await.unwrap(), 0);
        let tls = rd.unsplit(wr);
        assert_eq!(tls.shutdown_state(), Shutdown::SENT | Shutdown::RECEIVED);

        let (s_version, s_suite, s_name, s_total, s_shutdown) = server.await.unwrap();
        assert_eq!(s_version, Some(version));
        assert_eq!(s_suite, Some(suite));
        assert_eq!(s_name.as_deref(), Some("localhost"));
        assert_eq!(s_total, 65_536);
        assert_eq!(s_shutdown, Shutdown::SENT | Shutdown::RECEIVED);
        (version, suite)
    })
}

#[test]
fn async_echo_tls13() {
    let (version, suite) = async_echo(Method::Tls);
    assert_eq!(version, "TLSv1.3");
    assert!(suite.starts_with("TLS_"), "{suite}");
}

#[test]
fn async_echo_tls12() {
    let (version, suite) = async_echo(Method::TlsV1_2);
    assert_eq!(version, "TLSv1.2");
    assert!(suite.starts_with("ECDHE-ECDSA-"), "{suite}");
}

/// A client that does not trust the server's CA fails the handshake with
/// the verify error; the server sees the client's alert.
#[test]
fn async_untrusted_server_fails_both_sides() {
    runtime().block_on(async {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let server = tokio::spawn(async move {
            let (tcp, _) = listener.accept().await.unwrap();
            TlsStream::accept(&server_ctx(Method::Tls), tcp)
                .await
                .map(|_| ())
        });
        let mut ctx = Context::new(Method::Tls).unwrap();
        ctx.load_verify_locations(Some(std::path::Path::new(&path("p384-ca.pem"))), None)
            .unwrap();
        ctx.set_verify(puressl::ssl::VerifyMode::PEER, None);
        let tcp = TcpStream::connect(addr).await.unwrap();
        let err = TlsStream::connect(&ctx, Some("localhost"), tcp)
            .await
            .unwrap_err();
        let text = err.to_string();
        assert!(matches!(err, Error::Ssl(_)), "{text}");
        assert!(text.contains("certificate verify failed"), "{text}");
        let server_err = server.await.unwrap().unwrap_err();
        assert!(matches!(server_err, Error::Ssl(_)), "{server_err}");
    });
}

/// A peer that closes TCP without close_notify is an `UnexpectedEof`
/// error, not a clean end of stream.
#[test]
fn async_truncation_is_unexpected_eof() {
    runtime().block_on(async {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let server = tokio::spawn(async move {
            let (tcp, _) = listener.accept().await.unwrap();
            let mut tls = TlsStream::accept(&server_ctx(Method::Tls), tcp)
                .await
                .unwrap();
            tls.write_all(b"partial").await.unwrap();
            tls.flush().await.unwrap();
            // Dropped: TCP FIN, no close_notify.
        });
        let tcp = TcpStream::connect(addr).await.unwrap();
        let mut tls = TlsStream::connect(&client_ctx(Method::Tls), Some("localhost"), tcp)
            .await
            .unwrap();
        server.await.unwrap();
        let mut got = Vec::new();
        let err = tls.read_to_end(&mut got).await.unwrap_err();
        assert_eq!(got, b"partial");
        assert_eq!(err.kind(), ErrorKind::UnexpectedEof);
        assert_eq!(tls.shutdown_state(), Shutdown::empty());
    });
}

/// `openssl s_client` (TLS 1.2 and 1.3) against the async server: its line
/// comes back, and it saw the negotiated version.
#[test]
fn async_server_with_openssl_s_client() {
    for (flag, version) in [("-tls1_3", "TLSv1.3"), ("-tls1_2", "TLSv1.2")] {
        let rt = runtime();
        let listener = rt.block_on(TcpListener::bind("127.0.0.1:0")).unwrap();
        let port = listener.local_addr().unwrap().port();
        let server = rt.spawn(async move {
            let (tcp, _) = listener.accept().await.unwrap();
            let mut tls = TlsStream::accept(&server_ctx(Method::Tls), tcp)
                .await
                .unwrap();
            let mut line = Vec::new();
            let mut byte = [0u8; 1];
            while !line.ends_with(b"\n") {
                assert_eq!(tls.read(&mut byte).await.unwrap(), 1);
                line.push(byte[0]);
            }
            tls.write_all(b"echo: ").await.unwrap();
            tls.write_all(&line).await.unwrap();
            tls.shutdown().await.unwrap();
            (line, tls.protocol_version_name())
        });
        let ca = path("p256-ca.pem");
        let (ok, out) = s_client(
            port,
            &[
                flag,
                "-CAfile",
                &ca,
                "-verify_return_error",
                "-servername",
                "localhost",
            ],
            b"hello async\n",
        );
        let (line, seen) = rt.block_on(server).unwrap();
        assert!(ok, "{out}");
        assert_eq!(line, b"hello async\n");
        assert_eq!(seen, Some(version));
        assert!(out.contains("echo: hello async"), "{out}");
        assert!(
            out.contains(&format!("Protocol  : {version}"))
                || out.contains(&format!("New, {version}")),
            "{out}"
        );
        assert!(out.contains("Verify return code: 0 (ok)"), "{out}");
    }
}
