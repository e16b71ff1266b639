//! `ssl::tokio::TlsStream` (the `tokio` feature): async client and server
//! over tokio TCP on 127.0.0.1, and against `openssl s_client`. Built with
//! `--features tokio-runtime`, which adds tokio's runtime, TCP and macros.
#![cfg(feature = "tokio-runtime")]

use std::io::ErrorKind;
use std::time::Duration;

use puressl::crypto::{load_certificate, FileType};
use puressl::ssl::tokio::TlsStream;
use puressl::ssl::{Context, Error, Method, Shutdown};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

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
        assert_eq!(tls.verify_result().code(), 0);
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

/// Fails the test instead of hanging it: a lost wake-up shows as a
/// timeout here.
async fn within<T>(what: &str, fut: impl std::future::Future<Output = T>) -> T {
    tokio::time::timeout(Duration::from_secs(120), fut)
        .await
        .unwrap_or_else(|_| panic!("{what}: no progress in 120 s (a lost wake-up)"))
}

/// `n` bytes that are not periodic in any small length, different per `seed`.
fn stream_bytes(n: usize, seed: u32) -> Vec<u8> {
    (0..n as u32)
        .map(|i| (i.wrapping_add(seed).wrapping_mul(2_654_435_761) >> 11) as u8 ^ (i >> 9) as u8)
        .collect()
}

/// Both sides over a 97-byte in-memory pipe, in one task: every read and
/// write of the stream comes back `Pending` over and over (records are
/// split across many writes), and the handshake, a 64 KiB echo and the
/// shutdown still complete with every byte right. (It hung before: a TLS
/// 1.3 server's `accept` waited for its session tickets to be written,
/// which a client still in `connect`'s join does not read.)
fn echo_over_tiny_pipe(method: Method, version: &str) {
    tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .build()
        .unwrap()
        .block_on(within("tiny pipe echo", async {
            let (a, b) = tokio::io::duplex(97);
            let server_ctx = server_ctx(Method::Tls);
            let client_ctx = client_ctx(method);
            let (client, server) = tokio::join!(
                TlsStream::connect(&client_ctx, Some("127.0.0.1"), a),
                TlsStream::accept(&server_ctx, b),
            );
            let (client, mut server) = (client.unwrap(), server.unwrap());
            assert_eq!(client.protocol_version_name(), Some(version));
            assert_eq!(server.protocol_version_name(), Some(version));
            assert_eq!(
                server.servername(),
                None,
                "an IP address is not sent as SNI"
            );

            let echo = async move {
                let mut buf = [0u8; 1000];
                loop {
                    let n = server.read(&mut buf).await.unwrap();
                    if n == 0 {
                        break;
                    }
                    server.write_all(&buf[..n]).await.unwrap();
                    server.flush().await.unwrap();
                }
                server.shutdown().await.unwrap();
                server.shutdown_state()
            };
            let data = payload();
            let (mut rd, mut wr) = tokio::io::split(client);
            let talk = async {
                let sent = data.clone();
                let writer = async move {
                    wr.write_all(&sent).await.unwrap();
                    wr.shutdown().await.unwrap();
                    wr
                };
                let reader = async move {
                    let mut got = Vec::new();
                    rd.read_to_end(&mut got).await.unwrap();
                    (rd, got)
                };
                tokio::join!(writer, reader)
            };
            let (server_state, (wr, (rd, got))) = tokio::join!(echo, talk);
            assert_eq!(got.len(), data.len());
            assert!(got == data, "the echo differs");
            assert_eq!(server_state, Shutdown::SENT | Shutdown::RECEIVED);
            let client = rd.unsplit(wr);
            assert_eq!(client.shutdown_state(), Shutdown::SENT | Shutdown::RECEIVED);
        }));
}

#[test]
fn async_echo_over_tiny_pipe() {
    echo_over_tiny_pipe(Method::Tls, "TLSv1.3");
}

/// TLS 1.2: the server's last flight (its Finished) is what the client
/// waits for, so `accept` writes it all before returning.
#[test]
fn async_echo_over_tiny_pipe_tls12() {
    echo_over_tiny_pipe(Method::TlsV1_2, "TLSv1.2");
}

/// One side's half of the full-duplex test: `stream` split into a reader
/// task and a writer task on the runtime's threads (split before the
/// handshake, so both halves run it); the writer sends `send` in odd
/// pieces then close_notify, the reader takes everything until the peer's
/// close_notify. Returns what was read and the final close_notify flags.
async fn duplex_side(
    stream: TlsStream<tokio::io::DuplexStream>,
    send: Vec<u8>,
) -> (Vec<u8>, Shutdown) {
    let (mut rd, mut wr) = tokio::io::split(stream);
    let writer = tokio::spawn(async move {
        for (i, chunk) in send.chunks(40_000).enumerate() {
            wr.write_all(chunk).await.unwrap();
            if i % 3 == 0 {
                wr.flush().await.unwrap();
            }
        }
        wr.shutdown().await.unwrap();
        wr
    });
    let reader = tokio::spawn(async move {
        let mut got = Vec::new();
        let mut buf = vec![0u8; 3_001];
        loop {
            let n = rd.read(&mut buf).await.unwrap();
            if n == 0 {
                break;
            }
            got.extend_from_slice(&buf[..n]);
            // A slow reader now and then: the peer's writer must wait.
            if got.len() % 7 == 0 {
                tokio::task::yield_now().await;
            }
        }
        (rd, got)
    });
    let wr = writer.await.unwrap();
    let (rd, got) = reader.await.unwrap();
    (got, rd.unsplit(wr).shutdown_state())
}

/// 1 MiB each way at once over a 509-byte pipe, each side split into a
/// reader task and a writer task on a two-thread runtime: both directions
/// under backpressure all the time, reads and writes of one stream from
/// two tasks. Every byte arrives in order and both close_notify are seen.
/// (The two halves used to take each other's place as the one task the
/// pipe wakes, and one of them slept for ever.)
#[test]
fn async_one_mib_each_way_split_tasks_over_tiny_pipe() {
    const MIB: usize = 1 << 20;
    runtime().block_on(within("1 MiB each way", async {
        let (a, b) = tokio::io::duplex(509);
        let mut c = puressl::ssl::Connection::new(
            &client_ctx(Method::Tls),
            puressl::ssl::Memory::default(),
        );
        c.set_tlsext_host_name(b"localhost").unwrap();
        c.set_connect_state().unwrap();
        let mut s = puressl::ssl::Connection::new(
            &server_ctx(Method::Tls),
            puressl::ssl::Memory::default(),
        );
        s.set_accept_state().unwrap();
        let (up, down) = (stream_bytes(MIB, 1), stream_bytes(MIB, 2));
        let client = tokio::spawn(duplex_side(TlsStream::new(c, a), up.clone()));
        let server = tokio::spawn(duplex_side(TlsStream::new(s, b), down.clone()));
        let (c_got, c_state) = client.await.unwrap();
        let (s_got, s_state) = server.await.unwrap();
        assert_eq!((c_got.len(), s_got.len()), (MIB, MIB));
        assert!(c_got == down, "server → client differs");
        assert!(s_got == up, "client → server differs");
        assert_eq!(c_state, Shutdown::SENT | Shutdown::RECEIVED);
        assert_eq!(s_state, Shutdown::SENT | Shutdown::RECEIVED);
    }));
}

/// A server that writes 1 MiB to a client that does not read for a while
/// (over TCP, so the socket buffers fill): the server's write is
/// `Pending` until the client reads, then everything arrives.
#[test]
fn async_server_push_waits_for_slow_client() {
    // 40 MiB: more than loopback's socket buffers can hold even when TCP
    // autotuning grows them to the tcp_rmem + tcp_wmem maxima (32 MiB +
    // 4 MiB on the CI machines); 1 MiB sometimes fit and the server never
    // waited.
    const MIB: usize = 40 << 20;
    runtime().block_on(within("slow client", async {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let data = stream_bytes(MIB, 3);
        let sent = data.clone();
        let server = tokio::spawn(async move {
            let (tcp, _) = listener.accept().await.unwrap();
            let mut tls = TlsStream::accept(&server_ctx(Method::Tls), tcp)
                .await
                .unwrap();
            let start = tokio::time::Instant::now();
            tls.write_all(&sent).await.unwrap();
            tls.shutdown().await.unwrap();
            start.elapsed()
        });
        let tcp = TcpStream::connect(addr).await.unwrap();
        let mut tls = TlsStream::connect(&client_ctx(Method::Tls), Some("localhost"), tcp)
            .await
            .unwrap();
        tokio::time::sleep(Duration::from_millis(300)).await;
        let mut got = Vec::new();
        tls.read_to_end(&mut got).await.unwrap();
        let waited = server.await.unwrap();
        assert!(got == data, "the data differs ({} bytes)", got.len());
        // 40 MiB does not fit in loopback's socket buffers: the server
        // waited for the client's reads.
        assert!(waited >= Duration::from_millis(250), "{waited:?}");
        assert_eq!(tls.shutdown_state(), Shutdown::RECEIVED);
    }));
}

/// Shutdown: close_notify goes out, the stream's write side is shut; a
/// second shutdown is a no-op; writing afterwards is an error ("protocol
/// is shutdown"); reading still gets what the peer sends after it (TLS
/// 1.3 half-close), then 0 at the peer's close_notify.
#[test]
fn async_shutdown_is_a_half_close() {
    runtime().block_on(within("half close", async {
        let (a, b) = tokio::io::duplex(4096);
        let server = tokio::spawn(async move {
            let mut tls = TlsStream::accept(&server_ctx(Method::Tls), b)
                .await
                .unwrap();
            let mut got = Vec::new();
            // The client's close_notify ends this read_to_end with Ok.
            tls.read_to_end(&mut got).await.unwrap();
            let seen = tls.shutdown_state();
            // Half-closed: the server can still answer.
            tls.write_all(b"after your close_notify").await.unwrap();
            tls.shutdown().await.unwrap();
            (got, seen, tls.shutdown_state())
        });
        let mut tls = TlsStream::connect(&client_ctx(Method::Tls), Some("localhost"), a)
            .await
            .unwrap();
        tls.write_all(b"bye").await.unwrap();
        tls.shutdown().await.unwrap();
        assert_eq!(tls.shutdown_state(), Shutdown::SENT);
        tls.shutdown().await.unwrap();
        assert_eq!(tls.shutdown_state(), Shutdown::SENT);
        let err = tls.write_all(b"more").await.unwrap_err();
        assert!(err.to_string().contains("protocol is shutdown"), "{err}");
        let mut rest = Vec::new();
        assert_eq!(tls.read_to_end(&mut rest).await.unwrap(), 23);
        assert_eq!(rest, b"after your close_notify");
        assert_eq!(tls.shutdown_state(), Shutdown::SENT | Shutdown::RECEIVED);
        // At the end, reads keep returning 0.
        assert_eq!(tls.read(&mut [0u8; 8]).await.unwrap(), 0);
        let (got, seen, end) = server.await.unwrap();
        assert_eq!(got, b"bye");
        assert_eq!(seen, Shutdown::RECEIVED);
        assert_eq!(end, Shutdown::SENT | Shutdown::RECEIVED);
    }));
}

/// Shutting down before any handshake sends no close_notify (there is no
/// session to close) and shuts the stream: the peer's handshake sees an
/// end of stream.
#[test]
fn async_shutdown_before_handshake_only_closes_the_stream() {
    runtime().block_on(within("early shutdown", async {
        let (a, b) = tokio::io::duplex(4096);
        let mut c = puressl::ssl::Connection::new(
            &client_ctx(Method::Tls),
            puressl::ssl::Memory::default(),
        );
        c.set_connect_state().unwrap();
        let mut tls = TlsStream::new(c, a);
        tls.shutdown().await.unwrap();
        assert_eq!(tls.shutdown_state(), Shutdown::empty());
        let err = TlsStream::accept(&server_ctx(Method::Tls), b)
            .await
            .unwrap_err();
        assert!(matches!(err, Error::SysCall { .. }), "{err:?}");
        assert!(err.to_string().contains("EOF"), "{err}");
    }));
}
