//! The manual's socket flow on `Connection<socket2::Socket>` (bind, listen,
//! accept, connect, connect_ex, socket options, blocking mode, half-close),
//! the subset on `Connection<TcpStream>`, and `renegotiate` (a TLS 1.3
//! KeyUpdate) against `openssl s_server -msg`. 127.0.0.1 only, bounded waits.
#![cfg(unix)]

use std::io::Read;
use std::net::{Shutdown as SockShutdown, SocketAddr, TcpListener, TcpStream};
use std::os::fd::AsRawFd;
use std::sync::{mpsc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use puressl::ssl::{Connection, Context, Error, Method, Shutdown};
use socket2::{Domain, Socket, Type};

use crate::support::child;
use crate::support::ssl;
use child::{Kill, WAIT};
use ssl::{client_ctx, path, s_server_p256, server_ctx};

fn tcp() -> Socket {
    Socket::new(Domain::IPV4, Type::STREAM, None).unwrap()
}

/// A listening server connection on 127.0.0.1, any free port.
fn listening(ctx: &Context) -> (Connection<Socket>, SocketAddr) {
    let server = Connection::new(ctx, tcp());
    server.bind("127.0.0.1:0").unwrap();
    server.listen(5).unwrap();
    let addr = server.getsockname().unwrap();
    (server, addr)
}

/// Accepts on a non-blocking listener, polling until `WAIT` runs out.
fn accept(server: &Connection<Socket>) -> (Connection<Socket>, SocketAddr) {
    server.setblocking(false).unwrap();
    let deadline = Instant::now() + WAIT;
    loop {
        match server.accept() {
            Ok((conn, peer)) => {
                conn.get_ref().set_read_timeout(Some(WAIT)).unwrap();
                conn.get_ref().set_write_timeout(Some(WAIT)).unwrap();
                return (conn, peer);
            }
            Err(Error::WantRead) if Instant::now() < deadline => {
                thread::sleep(Duration::from_millis(5))
            }
            Err(e) => panic!("accept: {e}"),
        }
    }
}

fn recv_all(conn: &mut Connection<Socket>, len: usize) -> Vec<u8> {
    let mut got = Vec::new();
    let mut buf = [0u8; 4096];
    while got.len() < len {
        let n = conn.recv(&mut buf).unwrap();
        got.extend_from_slice(&buf[..n]);
    }
    got
}

#[test]
fn bind_listen_accept_connect_echo_and_close() {
    let (server, addr) = listening(&server_ctx(Method::Tls));
    assert_eq!(addr.ip().to_string(), "127.0.0.1");
    assert_ne!(addr.port(), 0);
    let err = server.getpeername().unwrap_err();
    assert_eq!(err.errno(), Some(libc::ENOTCONN), "{err}");
    // Nobody is waiting yet: a non-blocking accept is WantRead.
    server.setblocking(false).unwrap();
    assert!(matches!(server.accept(), Err(Error::WantRead)));

    let served = thread::spawn(move || {
        let (mut conn, peer) = accept(&server);
        assert_eq!(conn.state_string(), "before SSL initialization");
        conn.do_handshake().unwrap();
        let msg = recv_all(&mut conn, 17);
        conn.sendall(&msg).unwrap();
        // close_notify, then half-close the socket; the client's
        // close_notify still arrives on the read half.
        assert!(!conn.shutdown().unwrap());
        conn.sock_shutdown(SockShutdown::Write).unwrap();
        assert!(conn.shutdown().unwrap());
        assert_eq!(conn.shutdown_state().bits(), 3);
        (peer, conn.getsockname().unwrap(), conn.cipher_name())
    });

    let mut client = Connection::new(&client_ctx(Method::Tls), tcp());
    client.set_tlsext_host_name(b"localhost").unwrap();
    client.connect(addr).unwrap();
    client.get_ref().set_read_timeout(Some(WAIT)).unwrap();
    assert_eq!(client.getpeername().unwrap(), addr);
    assert_eq!(client.fileno(), client.get_ref().as_raw_fd());
    let link = std::fs::read_link(format!("/proc/self/fd/{}", client.fileno())).unwrap();
    assert!(link.to_string_lossy().starts_with("socket:["), "{link:?}");

    client.do_handshake().unwrap();
    assert_eq!(client.protocol_version_name(), Some("TLSv1.3"));
    client.sendall(b"ping over socket2").unwrap();
    assert_eq!(recv_all(&mut client, 17), b"ping over socket2");
    assert!(matches!(client.recv(&mut [0u8; 8]), Err(Error::ZeroReturn)));
    assert_eq!(client.shutdown_state(), Shutdown::RECEIVED);
    assert!(client.shutdown().unwrap());

    let (peer, server_side, cipher) = served.join().unwrap();
    assert_eq!(peer, client.getsockname().unwrap());
    assert_eq!(server_side, addr);
    assert_eq!(cipher, client.cipher_name());
    client.close();
}

#[test]
fn non_blocking_mode_surfaces_want_read_and_want_write() {
    let (server, addr) = listening(&server_ctx(Method::Tls));
    let (done_tx, done_rx) = mpsc::channel::<()>();
    let (go_tx, go_rx) = mpsc::channel::<()>();
    let served = thread::spawn(move || {
        let (mut conn, _) = accept(&server);
        go_rx.recv_timeout(WAIT).unwrap();
        conn.do_handshake().unwrap();
        // Hold the connection open without reading.
        let _ = done_rx.recv_timeout(WAIT);
    });

    let mut client = Connection::new(&client_ctx(Method::Tls), tcp());
    client
        .setsockopt(libc::SOL_SOCKET, libc::SO_SNDBUF, 4096)
        .unwrap();
    client.connect(addr).unwrap();
    client.setblocking(false).unwrap();
    assert!(matches!(client.do_handshake(), Err(Error::WantRead)));
    assert!(client.want_read());
    assert!(!client.want_write());
    assert_eq!(client.state_string(), "SSLv3/TLS write client hello");
    go_tx.send(()).unwrap();

    let deadline = Instant::now() + WAIT;
    loop {
        match client.do_handshake() {
            Ok(()) => break,
            Err(Error::WantRead) if Instant::now() < deadline => {
                thread::sleep(Duration::from_millis(2))
            }
            Err(e) => panic!("handshake: {e}"),
        }
    }
    assert!(!client.want_read());
    assert_eq!(
        client.state_string(),
        "SSL negotiation finished successfully"
    );
    // Nothing to read: WantRead, not a block.
    assert!(matches!(client.recv(&mut [0u8; 64]), Err(Error::WantRead)));
    assert!(client.want_read());

    // The server does not read: the socket fills up and send says WantWrite.
    let chunk = vec![0x5a; 16 * 1024];
    let mut sent = 0usize;
    let stopped = loop {
        match client.send(&chunk) {
            Ok(n) => sent += n,
            Err(e) => break e,
        }
        assert!(sent < 512 << 20, "the socket never filled up");
    };
    assert!(matches!(stopped, Error::WantWrite), "{stopped}");
    assert!(client.want_write());
    assert!(!client.want_read());
    assert!(sent > 0);
    done_tx.send(()).unwrap();
    served.join().unwrap();
}

#[test]
fn connect_ex_reports_errno_and_sets_state_only_on_success() {
    let port = TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .unwrap()
        .port();
    let ctx = client_ctx(Method::Tls);
    let mut refused = Connection::new(&ctx, tcp());
    assert_eq!(
        refused.connect_ex(("127.0.0.1", port)).unwrap(),
        libc::ECONNREFUSED
    );
    assert_eq!(refused.state_string(), "before SSL initialization");
    let err = refused.do_handshake().unwrap_err();
    assert!(err.to_string().contains("connection type not set"), "{err}");
    let err = refused.connect(("127.0.0.1", port)).unwrap_err();
    assert_eq!(err.errno(), Some(libc::ECONNREFUSED), "{err}");

    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let mut ok = Connection::new(&ctx, tcp());
    assert_eq!(ok.connect_ex(listener.local_addr().unwrap()).unwrap(), 0);
    let err = ok.set_connect_state().unwrap_err();
    assert!(err.to_string().contains("side already set"), "{err}");
    let err = ok.set_accept_state().unwrap_err();
    assert!(err.to_string().contains("side already set"), "{err}");
}

#[test]
fn accept_without_a_certificate_fails_before_accepting() {
    let (server, addr) = listening(&client_ctx(Method::Tls));
    let _client = TcpStream::connect(addr).unwrap();
    let err = server.accept().unwrap_err();
    assert!(err.to_string().contains("cannot act as a server"), "{err}");
    // The client is still in the queue for a better-configured accept.
    server.get_ref().set_nonblocking(false).unwrap();
    let (sock, _) = server.get_ref().accept().unwrap();
    assert_eq!(
        sock.peer_addr().unwrap().as_socket(),
        _client.local_addr().ok()
    );
}

#[test]
fn socket_options_by_level_and_name() {
    let conn = Connection::new(&Context::new(Method::Tls).unwrap(), tcp());
    for (level, name) in [
        (libc::SOL_SOCKET, libc::SO_REUSEADDR),
        (libc::SOL_SOCKET, libc::SO_KEEPALIVE),
        (libc::SOL_SOCKET, libc::SO_BROADCAST),
        (libc::IPPROTO_TCP, libc::TCP_NODELAY),
    ] {
        assert_eq!(conn.getsockopt(level, name).unwrap(), 0);
        conn.setsockopt(level, name, 7).unwrap();
        assert_eq!(conn.getsockopt(level, name).unwrap(), 1, "{level}/{name}");
        conn.setsockopt(level, name, 0).unwrap();
        assert_eq!(conn.getsockopt(level, name).unwrap(), 0);
    }
    // Linux doubles the buffer sizes it is given (socket(7)).
    conn.setsockopt(libc::SOL_SOCKET, libc::SO_RCVBUF, 32768)
        .unwrap();
    assert_eq!(
        conn.getsockopt(libc::SOL_SOCKET, libc::SO_RCVBUF).unwrap(),
        65536
    );
    conn.setsockopt(libc::SOL_SOCKET, libc::SO_SNDBUF, 32768)
        .unwrap();
    assert_eq!(
        conn.getsockopt(libc::SOL_SOCKET, libc::SO_SNDBUF).unwrap(),
        65536
    );
    conn.setsockopt(libc::IPPROTO_IP, libc::IP_TTL, 17).unwrap();
    assert_eq!(conn.getsockopt(libc::IPPROTO_IP, libc::IP_TTL).unwrap(), 17);
    assert_eq!(
        conn.getsockopt(libc::SOL_SOCKET, libc::SO_TYPE).unwrap(),
        libc::SOCK_STREAM
    );
    assert_eq!(
        conn.getsockopt(libc::SOL_SOCKET, libc::SO_ERROR).unwrap(),
        0
    );

    let err = conn
        .setsockopt(libc::SOL_SOCKET, libc::SO_RCVBUF, -1)
        .unwrap_err();
    assert_eq!(err.errno(), Some(libc::EINVAL), "{err}");
    let err = conn
        .setsockopt(libc::SOL_SOCKET, libc::SO_TYPE, 1)
        .unwrap_err();
    assert!(err.to_string().contains("read-only"), "{err}");
    let err = conn
        .getsockopt(libc::SOL_SOCKET, libc::SO_LINGER)
        .unwrap_err();
    assert_eq!(err.errno(), Some(libc::ENOPROTOOPT), "{err}");
    assert!(err.to_string().contains("not supported"), "{err}");
}

#[test]
fn tcp_stream_has_the_socket_subset() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let stream = TcpStream::connect(addr).unwrap();
    let (mut peer, peer_addr) = listener.accept().unwrap();
    peer.set_read_timeout(Some(WAIT)).unwrap();
    let ctx = client_ctx(Method::Tls);
    let mut conn = Connection::new(&ctx, stream);
    assert_eq!(conn.getpeername().unwrap(), addr);
    assert_eq!(conn.getsockname().unwrap(), peer_addr);
    assert_eq!(conn.fileno(), conn.get_ref().as_raw_fd());
    assert_eq!(
        conn.getsockopt(libc::IPPROTO_TCP, libc::TCP_NODELAY)
            .unwrap(),
        0
    );
    conn.setblocking(false).unwrap();
    conn.set_connect_state().unwrap();
    assert!(matches!(conn.do_handshake(), Err(Error::WantRead)));
    conn.sock_shutdown(SockShutdown::Write).unwrap();
    // The peer sees the ClientHello record, then the half-close (EOF).
    let mut hello = Vec::new();
    peer.read_to_end(&mut hello).unwrap();
    assert_eq!(&hello[..3], &[0x16, 0x03, 0x01]);
    let len = usize::from(u16::from_be_bytes([hello[3], hello[4]]));
    assert_eq!(hello.len(), 5 + len);
    assert_eq!(hello[5], 1, "ClientHello");
}

/// Sends `line`, returns what `s_server -rev` sent back.
fn rev(conn: &mut Connection<Socket>, line: &str) -> String {
    conn.sendall(format!("{line}\n").as_bytes()).unwrap();
    let mut got = Vec::new();
    let mut buf = [0u8; 256];
    while !got.ends_with(b"\n") {
        let n = conn.recv(&mut buf).unwrap();
        got.extend_from_slice(&buf[..n]);
    }
    String::from_utf8(got).unwrap()
}

/// Closes cleanly, waits for `s_server` to exit (it serves one connection)
/// so that all its output is flushed, and returns that output.
fn close_and_collect(mut conn: Connection<Socket>, guard: Kill, log: &Mutex<String>) -> String {
    assert!(!conn.shutdown().unwrap());
    conn.close();
    let (ok, _) = guard.finish();
    assert!(ok, "s_server failed:\n{}", log.lock().unwrap());
    // The reader thread sees EOF right after the exit.
    let deadline = Instant::now() + WAIT;
    // The statistics OpenSSL prints on exit end with this line.
    while !log.lock().unwrap().contains("cache full overflows") && Instant::now() < deadline {
        thread::sleep(Duration::from_millis(5));
    }
    log.lock().unwrap().clone()
}

fn reversed(s: &str) -> String {
    s.chars().rev().collect::<String>() + "\n"
}

#[test]
fn renegotiate_sends_a_key_update_openssl_sees() {
    let (guard, addr, log) = s_server_p256(&["-rev", "-msg", "-tls1_3"]);
    let mut conn = Connection::new(&client_ctx(Method::Tls), tcp());
    conn.set_tlsext_host_name(b"localhost").unwrap();
    conn.connect(addr).unwrap();
    conn.get_ref().set_read_timeout(Some(WAIT)).unwrap();
    conn.do_handshake().unwrap();
    assert_eq!(conn.protocol_version_name(), Some("TLSv1.3"));
    assert_eq!(
        rev(&mut conn, "before the update"),
        reversed("before the update")
    );
    conn.renegotiate().unwrap();
    assert_eq!(
        rev(&mut conn, "after the update"),
        reversed("after the update")
    );
    conn.renegotiate().unwrap();
    assert_eq!(rev(&mut conn, "and once more"), reversed("and once more"));
    let out = close_and_collect(conn, guard, &log);
    // OpenSSL received both KeyUpdates and answered each (update_requested).
    let received = out
        .matches("<<< TLS 1.3, Handshake [length 0005], KeyUpdate")
        .count();
    let answered = out
        .matches(">>> TLS 1.3, Handshake [length 0005], KeyUpdate")
        .count();
    assert_eq!((received, answered), (2, 2), "{out}");
}

#[test]
fn renegotiate_on_tls12_is_refused_and_the_connection_goes_on() {
    let (guard, addr, log) = s_server_p256(&["-rev", "-msg", "-tls1_2"]);
    let mut conn = Connection::new(&client_ctx(Method::Tls), tcp());
    conn.set_tlsext_host_name(b"localhost").unwrap();
    conn.connect(addr).unwrap();
    conn.get_ref().set_read_timeout(Some(WAIT)).unwrap();
    conn.do_handshake().unwrap();
    assert_eq!(conn.protocol_version_name(), Some("TLSv1.2"));
    let err = conn.renegotiate().unwrap_err();
    assert!(
        err.to_string()
            .contains("TLS 1.2 renegotiation is not supported"),
        "{err}"
    );
    assert_eq!(rev(&mut conn, "still talking"), reversed("still talking"));
    let out = close_and_collect(conn, guard, &log);
    assert!(!out.contains("HelloRequest"), "{out}");
}

#[test]
fn cipher_list_is_what_openssl_sees_offered() {
    let mut ctx = client_ctx(Method::Tls);
    ctx.set_cipher_list("ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-ECDSA-AES128-GCM-SHA256")
        .unwrap();
    ctx.set_tls13_ciphersuites("TLS_AES_128_GCM_SHA256:TLS_CHACHA20_POLY1305_SHA256")
        .unwrap();
    let (guard, addr, log) = s_server_p256(&[]);
    let mut conn = Connection::new(&ctx, tcp());
    conn.set_tlsext_host_name(b"localhost").unwrap();
    conn.connect(addr).unwrap();
    conn.get_ref().set_read_timeout(Some(WAIT)).unwrap();
    conn.do_handshake().unwrap();
    let ours = conn.cipher_list().join(":");
    // The strings' order.
    assert_eq!(
        ours,
        "TLS_AES_128_GCM_SHA256:TLS_CHACHA20_POLY1305_SHA256:\
         ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-ECDSA-AES128-GCM-SHA256"
    );
    assert_eq!(conn.cipher_name(), Some("TLS_AES_128_GCM_SHA256"));
    let out = close_and_collect(conn, guard, &log);
    let offered = out
        .lines()
        .find_map(|l| l.strip_prefix("Shared ciphers:"))
        .unwrap_or_else(|| panic!("no cipher list in:\n{out}"));
    // OpenSSL lists the client's offer, in the client's order, that it
    // supports too (all of ours).
    assert_eq!(offered, ours);
}

#[test]
fn our_server_key_update_under_openssl_s_client() {
    let (server, addr) = listening(&server_ctx(Method::Tls));
    let served = thread::spawn(move || -> Result<String, String> {
        let (mut conn, _) = accept(&server);
        conn.do_handshake().map_err(|e| e.to_string())?;
        let line = {
            let mut got = Vec::new();
            let mut buf = [0u8; 64];
            while !got.ends_with(b"\n") {
                let n = conn.recv(&mut buf).map_err(|e| e.to_string())?;
                got.extend_from_slice(&buf[..n]);
            }
            String::from_utf8_lossy(&got).into_owned()
        };
        conn.renegotiate().map_err(|e| e.to_string())?;
        conn.sendall(b"pong after the key update\n")
            .map_err(|e| e.to_string())?;
        conn.shutdown().map_err(|e| e.to_string())?;
        Ok(line)
    });
    let ca = path("p256-ca.pem");
    let (ok, out) = ssl::s_client(
        addr.port(),
        &[
            "-servername",
            "localhost",
            "-CAfile",
            &ca,
            "-verify_return_error",
            "-tls1_3",
            "-msg",
        ],
        b"ping from openssl\n",
    );
    let served = served.join().expect("server thread");
    assert!(ok, "s_client failed:\n{out}");
    assert_eq!(
        served.unwrap_or_else(|e| panic!("{e}\n{out}")),
        "ping from openssl\n"
    );
    let update = out
        .find("<<< TLS 1.3, Handshake [length 0005], KeyUpdate")
        .unwrap_or_else(|| panic!("no KeyUpdate received:\n{out}"));
    let pong = out.find("pong after the key update").expect("pong");
    assert!(update < pong, "{out}");
}
