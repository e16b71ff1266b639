//! Interop with a second TLS implementation, tlslite-ng (pure Python), both
//! directions: a tlslite-ng client against a puressl server and a puressl
//! client against a tlslite-ng server, TLS 1.2 and 1.3, client
//! certificates, resumption, KeyUpdate, and the oversized TLS 1.2 record
//! tlslite-ng can be made to send. The peer is tests/tlslite/peer.py, run
//! with the venv `.ci/run` makes (target/pyopenssl-venv, shared with the
//! pyOpenSSL tests; `PURESSL_TLSLITE_PYTHON` overrides it). Without it the
//! tests skip, except under `CI=true`.

use std::io::{BufRead, BufReader};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{ChildStdout, Command, Stdio};
use std::sync::mpsc;
use std::thread;

use puressl::crypto::FileType;
use puressl::ssl::{Connection, Context, Error, Method, VerifyMode};

use crate::support::child;
use crate::support::ssl;
use child::{Kill, WAIT};
use ssl::{accept_tcp, client_ctx, path, server_ctx};

/// The Python with tlslite-ng, or `None` (a skip, not under CI).
fn python() -> Option<PathBuf> {
    let candidates = [
        std::env::var_os("PURESSL_TLSLITE_PYTHON").map(PathBuf::from),
        Some(Path::new(env!("CARGO_MANIFEST_DIR")).join("target/pyopenssl-venv/bin/python")),
    ];
    let found = candidates.into_iter().flatten().find(|p| {
        Command::new(p)
            .args(["-c", "import tlslite"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success())
    });
    if found.is_none() {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "CI: no tlslite-ng (target/pyopenssl-venv, made by .ci/run)"
        );
        eprintln!("skipped: no tlslite-ng (run .ci/run, or set PURESSL_TLSLITE_PYTHON)");
    }
    found
}

/// Runs peer.py with `args`; the child and its stdout.
fn peer(python: &Path, args: &[&str]) -> (Kill, BufReader<ChildStdout>) {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/tlslite/peer.py");
    let mut child = Kill(
        Command::new(python)
            .arg(script)
            .args(args)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("spawn peer.py"),
    );
    let out = BufReader::new(child.0.stdout.take().expect("stdout"));
    (child, out)
}

/// The next `CONN`/`ALERT`/`ERROR` line of the peer, within `WAIT`.
fn next_line(lines: &mpsc::Receiver<String>) -> String {
    lines
        .recv_timeout(WAIT)
        .unwrap_or_else(|_| "TIMEOUT".into())
}

/// Reads the peer's stdout lines on a thread (so a hung peer cannot hang
/// the test).
fn lines_of(out: BufReader<ChildStdout>) -> mpsc::Receiver<String> {
    let (tx, rx) = mpsc::channel();
    thread::spawn(move || {
        for line in out.lines() {
            let Ok(line) = line else { break };
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    rx
}

/// `key=value` of a `CONN` line.
fn field<'a>(line: &'a str, key: &str) -> &'a str {
    line.split(' ')
        .find_map(|kv| kv.strip_prefix(key)?.strip_prefix('='))
        .unwrap_or_else(|| panic!("no {key} in {line:?}"))
}

/// What a puressl echo server saw of one connection.
#[derive(Debug)]
struct Served {
    reused: bool,
    peer_cn: Option<String>,
    version: String,
}

/// A puressl echo server for `conns` connections on a free port: echoes
/// until the peer closes. Reports each connection, or its error.
fn echo_server(
    ctx: Context,
    conns: usize,
) -> (u16, thread::JoinHandle<Vec<Result<Served, String>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = listener.local_addr().expect("addr").port();
    let handle = thread::spawn(move || {
        (0..conns)
            .map(|_| {
                let stream = accept_tcp(&listener)?;
                let mut conn = Connection::new(&ctx, stream);
                conn.set_accept_state().map_err(|e| e.to_string())?;
                let mut buf = [0u8; 1 << 15];
                loop {
                    match conn.recv(&mut buf) {
                        Ok(n) => conn
                            .sendall(&buf[..n])
                            .map(drop)
                            .map_err(|e| e.to_string())?,
                        Err(Error::ZeroReturn) => break,
                        Err(e) if e.to_string().contains("EOF") => break,
                        Err(e) => return Err(e.to_string()),
                    }
                }
                let _ = conn.shutdown();
                Ok(Served {
                    reused: conn.session_reused(),
                    peer_cn: conn
                        .peer_certificate()
                        .ok()
                        .flatten()
                        .and_then(|c| c.subject().get("CN").ok().flatten()),
                    version: conn.protocol_version_name().unwrap_or("none").to_string(),
                })
            })
            .collect()
    });
    (port, handle)
}

fn p256_files() -> (String, String) {
    (path("p256.pem"), path("p256.key"))
}

/// tlslite-ng client → puressl server: TLS 1.2 and 1.3, three connections
/// each (the second and third resume), a client certificate required and
/// verified, and (TLS 1.3) a KeyUpdate from the client in every
/// connection, answered by puressl.
#[test]
fn tlslite_client_against_puressl_server() {
    let Some(python) = python() else { return };
    let (cert, key) = p256_files();
    for version in ["1.2", "1.3"] {
        let mut ctx = server_ctx(Method::Tls);
        ctx.load_verify_locations(Some(Path::new(&path("p256-ca.pem"))), None)
            .expect("ca");
        ctx.set_verify(VerifyMode::PEER | VerifyMode::FAIL_IF_NO_PEER_CERT, None);
        ctx.set_session_id(b"tlslite").expect("sid");
        let (port, server) = echo_server(ctx, 3);
        let port = port.to_string();
        let mut args = vec![
            "client",
            "--port",
            &port,
            "--version",
            version,
            "--cert",
            &cert,
            "--key",
            &key,
            "--conns",
            "3",
        ];
        if version == "1.3" {
            args.push("--keyupdate");
        }
        let (_child, out) = peer(&python, &args);
        let lines = lines_of(out);
        let got: Vec<String> = (0..3).map(|_| next_line(&lines)).collect();
        let served = server.join().expect("server thread");
        for (i, (line, served)) in got.iter().zip(&served).enumerate() {
            let what = format!("TLS {version} connection {i}: {line} / {served:?}");
            assert!(line.starts_with("CONN "), "{what}");
            assert_eq!(field(line, "version"), version, "{what}");
            // A TLS 1.3 PSK resumption sends no certificate, and
            // tlslite-ng keeps none in the resumed session.
            let peer = if i > 0 && version == "1.3" {
                "none"
            } else {
                "localhost"
            };
            assert_eq!(field(line, "peer"), peer, "{what}");
            let echoed = if version == "1.3" {
                format!("hello_{i}.0|hello_{i}.1")
            } else {
                format!("hello_{i}.0")
            };
            assert_eq!(field(line, "echoed"), echoed, "{what}");
            assert_eq!(
                field(line, "resumed"),
                if i == 0 { "false" } else { "true" },
                "{what}"
            );
            let served = served.as_ref().expect("served");
            assert_eq!(served.reused, i > 0, "{what}");
            assert_eq!(served.version, format!("TLSv{version}"), "{what}");
            // The client certificate was presented on the full handshake
            // (puressl keeps it with the session).
            assert_eq!(served.peer_cn.as_deref(), Some("localhost"), "{what}");
        }
    }
}

/// puressl client → tlslite-ng server: TLS 1.2 and 1.3, the chain verified
/// against the CA, a client certificate the server asked for, two
/// connections through one Context (the second resumes from its cache), and (TLS 1.3) a
/// KeyUpdate from the server that puressl answers while the data flows, and
/// one from puressl that tlslite-ng answers.
#[test]
fn puressl_client_against_tlslite_server() {
    let Some(python) = python() else { return };
    let (cert, key) = p256_files();
    for version in ["1.2", "1.3"] {
        let mut args = vec![
            "server",
            "--cert",
            &cert,
            "--key",
            &key,
            "--version",
            version,
            "--conns",
            "2",
            "--require-cert",
        ];
        if version == "1.3" {
            args.push("--keyupdate");
        }
        let (_child, out) = peer(&python, &args);
        let lines = lines_of(out);
        let port_line = next_line(&lines);
        let port: u16 = port_line
            .strip_prefix("PORT ")
            .and_then(|p| p.parse().ok())
            .unwrap_or_else(|| panic!("peer.py: {port_line}"));
        let mut ctx = client_ctx(Method::Tls);
        ctx.use_certificate_file(path("p256.pem"), FileType::Pem)
            .expect("client cert");
        ctx.use_privatekey_file(path("p256.key"), FileType::Pem)
            .expect("client key");
        for i in 0..2 {
            let stream = TcpStream::connect(("127.0.0.1", port)).expect("connect");
            stream.set_read_timeout(Some(WAIT)).expect("timeout");
            let mut conn = Connection::new(&ctx, stream);
            conn.set_connect_state().expect("connect state");
            conn.do_handshake().expect("handshake with tlslite-ng");
            let want = format!("TLSv{version}");
            assert_eq!(conn.protocol_version_name(), Some(want.as_str()));
            let rounds = if version == "1.3" { 2 } else { 1 };
            for r in 0..rounds {
                if r == 1 {
                    // puressl's own KeyUpdate too (update_requested).
                    conn.renegotiate().expect("KeyUpdate");
                }
                let msg = format!("line {i}.{r}\n");
                conn.sendall(msg.as_bytes()).expect("send");
                let mut got = Vec::new();
                let mut buf = [0u8; 256];
                while !got.ends_with(b"\n") {
                    let n = conn.recv(&mut buf).expect("recv echo");
                    got.extend_from_slice(&buf[..n]);
                }
                assert_eq!(got, msg.as_bytes(), "TLS {version} connection {i}");
            }
            let line = next_line(&lines);
            let what = format!("TLS {version} connection {i}: {line}");
            assert!(line.starts_with("CONN "), "{what}");
            assert_eq!(field(&line, "version"), version, "{what}");
            assert_eq!(field(&line, "peer"), "localhost", "{what}");
            // tlslite-ng's server sets `resumed` for TLS 1.2 only (after a
            // TLS 1.3 PSK handshake it stays false, with openssl s_client
            // too); the client's view is authoritative: rustls reports a
            // resumption only when the server accepted the PSK.
            let tlslite_resumed = i > 0 && version == "1.2";
            assert_eq!(
                field(&line, "resumed"),
                tlslite_resumed.to_string(),
                "{what}"
            );
            assert_eq!(conn.session_reused(), i > 0, "{what}");
            let _ = conn.shutdown();
        }
    }
}

/// tlslite-ng sends one TLS 1.2 application-data record of 2^14 + 1
/// plaintext bytes (its record-size limit lifted): the puressl server
/// answers with a fatal `record_overflow` (RFC 5246 §6.2.3). TLS 1.3 too.
#[test]
fn tlslite_oversized_record_gets_record_overflow() {
    let Some(python) = python() else { return };
    for version in ["1.2", "1.3"] {
        let (port, server) = echo_server(server_ctx(Method::Tls), 1);
        let port = port.to_string();
        let (_child, out) = peer(
            &python,
            &[
                "client",
                "--port",
                &port,
                "--version",
                version,
                "--oversize",
            ],
        );
        let lines = lines_of(out);
        let line = next_line(&lines);
        let served = server.join().expect("server thread");
        assert_eq!(line, "ALERT record_overflow", "TLS {version}");
        let err = served[0].as_ref().expect_err("server error");
        assert!(err.contains("excess record size"), "TLS {version}: {err}");
    }
}
