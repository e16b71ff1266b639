//! Shared scaffolding of the SSL tests: contexts from the test PKI in
//! tests/data/provider/, in-memory `Connection<Memory>` pairs with their
//! pump/handshake loop, a bounded TCP accept, and the `openssl s_server` /
//! `s_client` peers on free 127.0.0.1 ports.
#![allow(dead_code)]

use std::io::{BufRead, BufReader, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::{mpsc, Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use puressl::crypto::FileType;
use puressl::ssl::{Connection, Context, Error, Memory, Method, VerifyMode};

use super::child::{Kill, WAIT};

/// The test PKI: certificates and keys made for the provider and SSL tests.
pub const DATA: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/provider/");

/// A file of the test PKI.
pub fn path(name: &str) -> String {
    format!("{DATA}{name}")
}

/// A server context with the P-256 leaf certificate and its key.
pub fn server_ctx(method: Method) -> Context {
    let mut ctx = Context::new(method).unwrap();
    ctx.use_certificate_file(path("p256.pem"), FileType::Pem)
        .unwrap();
    ctx.use_privatekey_file(path("p256.key"), FileType::Pem)
        .unwrap();
    ctx.check_privatekey().unwrap();
    ctx
}

/// A client context trusting the P-256 CA, verifying the peer.
pub fn client_ctx(method: Method) -> Context {
    let mut ctx = Context::new(method).unwrap();
    ctx.load_verify_locations(Some(Path::new(&path("p256-ca.pem"))), None)
        .unwrap();
    ctx.set_verify(VerifyMode::PEER, None);
    ctx
}

/// A client and a server connection over memory BIOs, in connect and
/// accept state.
pub fn pair(client: &Context, server: &Context) -> (Connection<Memory>, Connection<Memory>) {
    let mut c = Connection::new(client, Memory::default());
    c.set_connect_state().unwrap();
    let mut s = Connection::new(server, Memory::default());
    s.set_accept_state().unwrap();
    (c, s)
}

/// Moves all pending ciphertext from `a` to `b`; the number of bytes moved.
pub fn pump(a: &mut Connection<Memory>, b: &mut Connection<Memory>) -> usize {
    match a.bio_read(1 << 20) {
        Ok(data) => {
            assert_eq!(b.bio_write(&data).unwrap(), data.len());
            data.len()
        }
        Err(Error::WantRead) => 0,
        Err(e) => panic!("bio_read: {e}"),
    }
}

/// Runs both handshakes to completion (or to the first fatal error).
pub fn handshake(c: &mut Connection<Memory>, s: &mut Connection<Memory>) -> Result<(), Error> {
    for _ in 0..20 {
        let rc = c.do_handshake();
        let rs = s.do_handshake();
        let moved = pump(c, s) + pump(s, c);
        match (&rc, &rs) {
            (Ok(()), Ok(())) if moved == 0 => return Ok(()),
            (Err(e), _) | (_, Err(e)) if !e.is_retryable() => return rc.and(rs),
            _ => {}
        }
    }
    panic!("handshake did not finish")
}

/// An outcome in pyOpenSSL's terms: `ok`, or the exception with what
/// matters of it: `WantRead`, `ZeroReturn`, `SysCall(errno, message)`,
/// `Error(first reason)`.
pub fn outcome<T>(r: Result<T, Error>) -> String {
    match r {
        Ok(_) => "ok".into(),
        Err(Error::WantRead) => "WantRead".into(),
        Err(Error::ZeroReturn) => "ZeroReturn".into(),
        Err(Error::SysCall { errno, message }) => format!("SysCall({errno}, {message})"),
        Err(Error::Ssl(stack)) => format!("Error({})", stack.entries()[0].reason),
        Err(e) => format!("{e:?}"),
    }
}

/// Accepts one connection within `WAIT`; the stream gets read and write
/// timeouts of `WAIT`.
pub fn accept_tcp(listener: &TcpListener) -> Result<TcpStream, String> {
    listener.set_nonblocking(true).map_err(|e| e.to_string())?;
    let deadline = Instant::now() + WAIT;
    let stream = loop {
        match listener.accept() {
            Ok((s, _)) => break s,
            Err(e) if e.kind() == std::io::ErrorKind::WouldBlock && Instant::now() < deadline => {
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
    Ok(stream)
}

/// A change to the server's context before one connection of [`serve`].
pub type Step = Box<dyn FnOnce(&mut Context) + Send>;

/// Serves one connection per step on a free 127.0.0.1 port (each step may
/// change the context first): reads a line, answers `pong`, closes.
/// Returns the port and a handle giving `report(connection)` per
/// connection (or the first error).
pub fn serve<T: Send + 'static>(
    mut ctx: Context,
    steps: Vec<Step>,
    report: fn(&Connection<TcpStream>) -> T,
) -> (u16, thread::JoinHandle<Result<Vec<T>, String>>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let handle = thread::spawn(move || {
        let mut reports = Vec::new();
        for step in steps {
            step(&mut ctx);
            let stream = accept_tcp(&listener)?;
            let mut conn = Connection::new(&ctx, stream);
            conn.set_accept_state().map_err(|e| e.to_string())?;
            let mut byte = [0u8; 1];
            loop {
                match conn.recv(&mut byte) {
                    Ok(0) | Err(Error::ZeroReturn) => break,
                    Ok(_) if byte[0] == b'\n' => break,
                    Ok(_) => {}
                    Err(e) => return Err(format!("read: {e}")),
                }
            }
            conn.sendall(b"pong\n").map_err(|e| e.to_string())?;
            let _ = conn.shutdown();
            reports.push(report(&conn));
        }
        Ok(reports)
    });
    (port, handle)
}

/// `openssl s_server -accept 127.0.0.1:<free port> <args>`, waited for
/// (bounded) until it prints ACCEPT; a few ports are tried. Its stdout
/// collects in the returned buffer.
pub fn s_server(args: &[&str]) -> (Kill, SocketAddr, Arc<Mutex<String>>) {
    for _attempt in 0..5 {
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("free port")
            .port();
        let accept = format!("127.0.0.1:{port}");
        let mut child = Kill(
            Command::new("openssl")
                .args(["s_server", "-accept", &accept])
                .args(args)
                .stdin(Stdio::piped())
                .stdout(Stdio::piped())
                .stderr(Stdio::null())
                .spawn()
                .expect("spawn openssl s_server"),
        );
        let stdout = child.0.stdout.take().expect("stdout");
        let log = Arc::new(Mutex::new(String::new()));
        let sink = Arc::clone(&log);
        let (tx, rx) = mpsc::channel();
        thread::spawn(move || {
            let mut line = String::new();
            let mut r = BufReader::new(stdout);
            while r.read_line(&mut line).map(|n| n > 0).unwrap_or(false) {
                if line.contains("ACCEPT") {
                    let _ = tx.send(());
                }
                sink.lock().unwrap().push_str(&line);
                line.clear();
            }
        });
        if rx.recv_timeout(WAIT).is_ok() {
            return (child, SocketAddr::from(([127, 0, 0, 1], port)), log);
        }
        // Port raced away or openssl died: the guard kills it; try another port.
    }
    panic!("openssl s_server did not start");
}

/// `openssl s_server` with the P-256 leaf certificate for one connection,
/// plus `args`.
pub fn s_server_p256(args: &[&str]) -> (Kill, SocketAddr, Arc<Mutex<String>>) {
    let (cert, key) = (path("p256.pem"), path("p256.key"));
    let mut all = vec!["-cert", &cert, "-key", &key, "-naccept", "1"];
    all.extend_from_slice(args);
    s_server(&all)
}

/// Runs `openssl s_client -connect 127.0.0.1:<port> -ign_eof <args>`, writes
/// `input` to it, and waits (bounded) for its exit: whether it succeeded,
/// and its output (stdout and stderr).
pub fn s_client(port: u16, args: &[&str], input: &[u8]) -> (bool, String) {
    let connect = format!("127.0.0.1:{port}");
    let mut child = Kill(
        Command::new("openssl")
            .args(["s_client", "-connect", &connect, "-ign_eof"])
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn openssl s_client"),
    );
    if let Some(mut stdin) = child.0.stdin.take() {
        stdin.write_all(input).expect("stdin");
    }
    child.finish()
}

/// The verify-callback calls `openssl s_client` prints (its `depth=` lines and
/// the `verify error:num=` line after each): `(errnum, depth, ok)`.
pub fn s_client_calls(out: &str) -> Vec<(i32, u32, bool)> {
    let mut calls = Vec::new();
    let mut lines = out.lines().peekable();
    while let Some(line) = lines.next() {
        let Some(rest) = line.strip_prefix("depth=") else {
            continue;
        };
        let depth: u32 = rest.split(' ').next().unwrap().parse().unwrap();
        let err = lines
            .peek()
            .and_then(|l| l.strip_prefix("verify error:num="))
            .map(|e| e.split(':').next().unwrap().parse::<i32>().unwrap());
        calls.push(match err {
            Some(n) => (n, depth, false),
            None => (0, depth, true),
        });
    }
    calls
}
