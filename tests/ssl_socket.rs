//! `Connection<TcpStream>` against the `openssl` CLI (OpenSSL 3.0) on
//! 127.0.0.1: our client under `openssl s_server`, our server under
//! `openssl s_client`. Free ports, bounded waits, children killed by a guard.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use puressl::crypto::FileType;
use puressl::ssl::{Connection, Context, Error, Method, VerifyMode};

const DATA: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/provider/");
#[path = "support/child.rs"]
mod child;
use child::{Kill, WAIT};

/// Starts `openssl s_server -www` (one connection) and waits until it listens.
fn s_server() -> (Kill, SocketAddr) {
    for _attempt in 0..5 {
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("free port")
            .port();
        let accept = format!("127.0.0.1:{port}");
        let cert = format!("{DATA}p256.pem");
        let key = format!("{DATA}p256.key");
        let mut child = Kill(
            Command::new("openssl")
                .args([
                    "s_server", "-accept", &accept, "-cert", &cert, "-key", &key, "-www",
                    "-naccept", "1",
                ])
                .stdin(Stdio::null())
                .stdout(Stdio::piped())
                .stderr(Stdio::null())
                .spawn()
                .expect("spawn openssl s_server"),
        );
        let stdout = child.0.stdout.take().expect("stdout");
        let (tx, rx) = std::sync::mpsc::channel();
        thread::spawn(move || {
            let mut line = String::new();
            let mut r = BufReader::new(stdout);
            while r.read_line(&mut line).map(|n| n > 0).unwrap_or(false) {
                if line.contains("ACCEPT") {
                    let _ = tx.send(());
                }
                line.clear();
            }
        });
        if rx.recv_timeout(WAIT).is_ok() {
            return (child, SocketAddr::from(([127, 0, 0, 1], port)));
        }
    }
    panic!("openssl s_server did not start");
}

#[test]
fn our_client_against_openssl_s_server() {
    let (_guard, addr) = s_server();
    let mut ctx = Context::new(Method::Tls).unwrap();
    let ca = format!("{DATA}p256-ca.pem");
    ctx.load_verify_locations(Some(Path::new(&ca)), None)
        .unwrap();
    let depths = Arc::new(Mutex::new(Vec::new()));
    let seen = Arc::clone(&depths);
    ctx.set_verify(
        VerifyMode::PEER,
        Some(Box::new(move |_cert: &_, errnum, depth, ok| {
            seen.lock().unwrap().push((errnum, depth, ok));
            ok
        })),
    );
    ctx.set_alpn_protos(&[b"http/1.1"]).unwrap();

    let stream = TcpStream::connect_timeout(&addr, WAIT).unwrap();
    stream.set_read_timeout(Some(WAIT)).unwrap();
    stream.set_write_timeout(Some(WAIT)).unwrap();
    let mut conn = Connection::new(&ctx, stream);
    conn.set_tlsext_host_name(b"localhost").unwrap();
    conn.set_connect_state().unwrap();
    conn.do_handshake().unwrap();
    assert_eq!(*depths.lock().unwrap(), vec![(0, 1, true), (0, 0, true)]);
    assert_eq!(conn.protocol_version_name(), Some("TLSv1.3"));
    let cipher = conn.cipher_name().unwrap();
    assert!(conn.peer_certificate().unwrap().is_some());

    conn.sendall(b"GET / HTTP/1.0\r\n\r\n").unwrap();
    let mut page = Vec::new();
    let mut buf = [0u8; 4096];
    loop {
        match conn.recv(&mut buf) {
            Ok(n) => page.extend_from_slice(&buf[..n]),
            // s_server -www may close with or without close_notify.
            Err(Error::ZeroReturn) | Err(Error::SysCall { errno: -1, .. }) => break,
            Err(e) => panic!("recv: {e}"),
        }
    }
    let page = String::from_utf8_lossy(&page);
    assert!(page.starts_with("HTTP/1.0 200 ok"), "{page}");
    assert!(page.contains(cipher), "{cipher} not in:\n{page}");
}

#[test]
fn our_server_under_openssl_s_client() {
    let mut ctx = Context::new(Method::TlsV1_2).unwrap();
    ctx.use_certificate_file(format!("{DATA}p256.pem"), FileType::Pem)
        .unwrap();
    ctx.use_privatekey_file(format!("{DATA}p256.key"), FileType::Pem)
        .unwrap();
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let server = thread::spawn(move || -> Result<(String, String), String> {
        listener.set_nonblocking(true).map_err(|e| e.to_string())?;
        let deadline = Instant::now() + WAIT;
        let stream = loop {
            match listener.accept() {
                Ok((s, _)) => break s,
                Err(e)
                    if e.kind() == std::io::ErrorKind::WouldBlock && Instant::now() < deadline =>
                {
                    thread::sleep(Duration::from_millis(10))
                }
                Err(e) => return Err(format!("accept: {e}")),
            }
        };
        stream.set_nonblocking(false).map_err(|e| e.to_string())?;
        stream
            .set_read_timeout(Some(WAIT))
            .map_err(|e| e.to_string())?;
        stream
            .set_write_timeout(Some(WAIT))
            .map_err(|e| e.to_string())?;
        let mut conn = Connection::new(&ctx, stream);
        conn.set_accept_state().map_err(|e| e.to_string())?;
        // The std::io view: read one line, answer, close.
        let mut line = Vec::new();
        let mut byte = [0u8; 1];
        while !line.ends_with(b"\n") {
            match conn.read(&mut byte).map_err(|e| e.to_string())? {
                0 => break,
                _ => line.push(byte[0]),
            }
        }
        conn.write_all(b"pong from puressl\n")
            .map_err(|e| e.to_string())?;
        conn.flush().map_err(|e| e.to_string())?;
        conn.shutdown().map_err(|e| e.to_string())?;
        let cipher = conn.cipher_name().unwrap_or("none").to_string();
        Ok((String::from_utf8_lossy(&line).into_owned(), cipher))
    });

    let ca = format!("{DATA}p256-ca.pem");
    let connect = format!("127.0.0.1:{port}");
    let mut child = Kill(
        Command::new("openssl")
            .args([
                "s_client",
                "-connect",
                &connect,
                "-servername",
                "localhost",
                "-CAfile",
                &ca,
                "-verify_return_error",
                "-ign_eof",
            ])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn openssl s_client"),
    );
    if let Some(mut stdin) = child.0.stdin.take() {
        stdin.write_all(b"ping from openssl\n").unwrap();
    }
    let (ok, out) = child.finish();
    let served = server.join().expect("server thread");
    assert!(ok, "s_client failed:\n{out}");
    let (line, cipher) = served.unwrap_or_else(|e| panic!("server: {e}\n{out}"));
    assert_eq!(line, "ping from openssl\n");
    assert_eq!(cipher, "ECDHE-ECDSA-AES256-GCM-SHA384");
    assert!(out.contains("pong from puressl"), "{out}");
    assert!(out.contains("Verify return code: 0 (ok)"), "{out}");
    assert!(out.contains("Protocol  : TLSv1.2"), "{out}");
    assert!(out.contains(&format!("Cipher is {cipher}")), "{out}");
}
