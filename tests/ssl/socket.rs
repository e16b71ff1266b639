//! `Connection<TcpStream>` against the `openssl` CLI (OpenSSL 3.0) on
//! 127.0.0.1: our client under `openssl s_server`, our server under
//! `openssl s_client`. Free ports, bounded waits, children killed by a guard.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::thread;

use puressl::ssl::{Connection, Context, Error, Method, VerifyMode};

use crate::support::child;
use crate::support::ssl;
use child::WAIT;
use ssl::{accept_tcp, path, s_client, s_server_p256, server_ctx};

#[test]
fn our_client_against_openssl_s_server() {
    let (_guard, addr, _) = s_server_p256(&["-www"]);
    let mut ctx = Context::new(Method::Tls).unwrap();
    let ca = path("p256-ca.pem");
    ctx.load_verify_locations(Some(Path::new(&ca)), None)
        .unwrap();
    let depths = Arc::new(Mutex::new(Vec::new()));
    let seen = Arc::clone(&depths);
    ctx.set_verify(
        VerifyMode::PEER,
        Some(Box::new(move |_cert: &_, errnum, depth, ok| {
            seen.lock().unwrap().push((errnum.code(), depth, ok));
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
    let ctx = server_ctx(Method::TlsV1_2);
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let server = thread::spawn(move || -> Result<(String, String), String> {
        let stream = accept_tcp(&listener)?;
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

    let ca = path("p256-ca.pem");
    let (ok, out) = s_client(
        port,
        &[
            "-servername",
            "localhost",
            "-CAfile",
            &ca,
            "-verify_return_error",
        ],
        b"ping from openssl\n",
    );
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
