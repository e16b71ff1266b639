//! `Connection<TcpStream>` against raw rustls over loopback TCP, same work:
//! one thread drives both ends over non-blocking sockets (a loopback write
//! lands in the peer's receive buffer inside the `send` call), so the bench
//! thread's CPU time counts both sides, the kernel's socket work included.
//! A handshake includes the TCP connect and accept; closing uses
//! `SO_LINGER` 0 so that thousands of connections leave no `TIME_WAIT`.

use std::io::{self, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::Arc;
use std::time::Duration;

use puressl::ssl::{Connection as SslConnection, Context, Error};
use rustls::pki_types::ServerName;
use rustls::{ClientConfig, ClientConnection, Connection, ServerConfig, ServerConnection};

/// A connected non-blocking pair: (client end, server end).
pub fn pair(listener: &TcpListener) -> (TcpStream, TcpStream) {
    let c = TcpStream::connect(listener.local_addr().expect("addr")).expect("connect");
    let (s, _) = listener.accept().expect("accept");
    for sock in [&c, &s] {
        sock.set_nonblocking(true).expect("non-blocking");
        sock.set_nodelay(true).expect("nodelay");
        socket2::SockRef::from(sock)
            .set_linger(Some(Duration::ZERO))
            .expect("linger");
    }
    (c, s)
}

/// The loopback listener the rows connect to.
pub fn listener() -> TcpListener {
    TcpListener::bind("127.0.0.1:0").expect("bind")
}

/// Moves what `conn` has to say to the socket and what the socket has to
/// `conn`; `false` at EOF.
fn step(conn: &mut Connection, sock: &mut TcpStream) -> bool {
    while conn.wants_write() {
        match conn.write_tls(sock) {
            Ok(_) => {}
            Err(e) if e.kind() == io::ErrorKind::WouldBlock => break,
            Err(e) => panic!("write_tls: {e}"),
        }
    }
    loop {
        match conn.read_tls(sock) {
            Ok(0) => return false,
            Ok(_) => {
                conn.process_new_packets().expect("process");
            }
            Err(e) if e.kind() == io::ErrorKind::WouldBlock => return true,
            Err(e) => panic!("read_tls: {e}"),
        }
    }
}

/// A raw rustls client and server over a fresh loopback pair, handshake done.
pub fn raw_connect(
    listener: &TcpListener,
    client: &Arc<ClientConfig>,
    server: &Arc<ServerConfig>,
) -> (Connection, TcpStream, Connection, TcpStream) {
    let (mut cs, mut ss) = pair(listener);
    let name = ServerName::try_from("localhost").expect("name");
    let mut c = Connection::Client(ClientConnection::new(Arc::clone(client), name).expect("c"));
    let mut s = Connection::Server(ServerConnection::new(Arc::clone(server)).expect("s"));
    while c.is_handshaking() || s.is_handshaking() || c.wants_write() || s.wants_write() {
        assert!(step(&mut c, &mut cs) && step(&mut s, &mut ss), "EOF");
    }
    (c, cs, s, ss)
}

/// `true` once done, `false` while waiting for the peer.
fn done(r: Result<(), Error>) -> bool {
    match r {
        Ok(()) => true,
        Err(Error::WantRead | Error::WantWrite) => false,
        Err(e) => panic!("handshake: {e}"),
    }
}

/// The wrapper's client and server over a fresh loopback pair, handshake
/// done.
pub fn wrapper_connect(
    listener: &TcpListener,
    client: &Context,
    server: &Context,
) -> (SslConnection<TcpStream>, SslConnection<TcpStream>) {
    let (cs, ss) = pair(listener);
    let mut c = SslConnection::new(client, cs);
    c.set_tlsext_host_name(b"localhost").expect("SNI");
    c.set_connect_state().expect("client");
    let mut s = SslConnection::new(server, ss);
    s.set_accept_state().expect("server");
    let (mut c_done, mut s_done) = (false, false);
    for _ in 0..16 {
        if !c_done {
            c_done = done(c.do_handshake());
        }
        if !s_done {
            s_done = done(s.do_handshake());
        }
        if c_done && s_done {
            return (c, s);
        }
    }
    panic!("wrapper handshake over TCP made no progress");
}

/// One 16 KiB write client → server over raw rustls, read back by the server.
pub fn raw_bulk(
    (c, cs, s, ss): &mut (Connection, TcpStream, Connection, TcpStream),
    data: &[u8],
    sink: &mut [u8],
) {
    c.writer().write_all(data).expect("write");
    step(c, cs);
    let mut got = 0;
    while got < sink.len() {
        match s.reader().read(&mut sink[got..]) {
            Ok(n) => got += n,
            Err(e) if e.kind() == io::ErrorKind::WouldBlock => {
                assert!(step(s, ss), "EOF");
            }
            Err(e) => panic!("read: {e}"),
        }
    }
}

/// The same through `Connection<TcpStream>`: `sendall`, then `recv` until
/// the record is read.
pub fn wrapper_bulk(
    (c, s): &mut (SslConnection<TcpStream>, SslConnection<TcpStream>),
    data: &[u8],
    sink: &mut [u8],
) {
    c.sendall(data).expect("send");
    let mut got = 0;
    while got < sink.len() {
        match s.recv(&mut sink[got..]) {
            Ok(n) => got += n,
            Err(Error::WantRead) => {}
            Err(e) => panic!("recv: {e}"),
        }
    }
}
