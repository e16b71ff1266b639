//! The examples, run as a user runs them: `quickstart`, `certgen` (its PKI
//! checked with `openssl verify`), `memory_bio`, and the `server`/`client`
//! pair as interop instruments — echo tests against `openssl s_client` and
//! `openssl s_server -rev` over TLS 1.2 and 1.3, with client certificates
//! required and presented, resumption, and the client's host-name check.
//!
//! `cargo test` builds the examples into target/debug/examples before it
//! runs this file (`cargo test --test api examples::` alone does not: run
//! `cargo build --examples` first).

use std::io::{BufRead, BufReader, Read, Write};
use std::path::PathBuf;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::{Arc, Mutex, OnceLock};
use std::thread;
use std::time::{Duration, Instant};

use puressl::crypto::{
    dump_certificate, load_certificate, load_privatekey, FileType, KeyType, PKey, X509Extension,
    X509,
};

use crate::support::child;
use crate::support::ssl;
use crate::support::tools;
use child::{Kill, WAIT};
use tools::{example_binary, tmp_path};

/// Runs an example to completion with `stdin`; (success, stdout, stderr).
fn run(name: &str, args: &[&str], stdin: &[u8]) -> (bool, String, String) {
    run_program(example_binary(name), args, stdin)
}

fn run_program(
    program: impl AsRef<std::ffi::OsStr>,
    args: &[&str],
    stdin: &[u8],
) -> (bool, String, String) {
    let mut child = Kill(
        Command::new(program)
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap(),
    );
    child.0.stdin.take().unwrap().write_all(stdin).unwrap();
    let mut out = child.0.stdout.take().unwrap();
    let mut err = child.0.stderr.take().unwrap();
    let t = thread::spawn(move || {
        let mut s = String::new();
        let _ = err.read_to_string(&mut s);
        s
    });
    let mut stdout = String::new();
    let _ = out.read_to_string(&mut stdout);
    let stderr = t.join().unwrap();
    let deadline = Instant::now() + WAIT;
    let ok = loop {
        match child.0.try_wait().unwrap() {
            Some(status) => break status.success(),
            None if Instant::now() < deadline => thread::sleep(Duration::from_millis(20)),
            None => panic!("{stdout}{stderr}: did not exit"),
        }
    };
    (ok, stdout, stderr)
}

/// A running program whose stdout and stderr collect in `log` (and stdout
/// alone in `out`), with stdin kept open; killed when dropped.
struct Running {
    child: Kill,
    stdin: Option<ChildStdin>,
    out: Arc<Mutex<String>>,
    log: Arc<Mutex<String>>,
}

impl Running {
    fn spawn(program: impl AsRef<std::ffi::OsStr>, args: &[&str]) -> Running {
        let mut child: Child = Command::new(program)
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let out = Arc::new(Mutex::new(String::new()));
        let log = Arc::new(Mutex::new(String::new()));
        let stdout = child.stdout.take().unwrap();
        let stderr = child.stderr.take().unwrap();
        Self::collect(stdout, vec![Arc::clone(&out), Arc::clone(&log)]);
        Self::collect(stderr, vec![Arc::clone(&log)]);
        Running {
            stdin: child.stdin.take(),
            child: Kill(child),
            out,
            log,
        }
    }

    fn collect(from: impl Read + Send + 'static, sinks: Vec<Arc<Mutex<String>>>) {
        thread::spawn(move || {
            let mut r = BufReader::new(from);
            let mut line = String::new();
            while r.read_line(&mut line).map(|n| n > 0).unwrap_or(false) {
                for s in &sinks {
                    s.lock().unwrap().push_str(&line);
                }
                line.clear();
            }
        });
    }

    fn send(&mut self, data: &[u8]) {
        let stdin = self.stdin.as_mut().unwrap();
        stdin.write_all(data).unwrap();
        stdin.flush().unwrap();
    }

    /// Closes stdin (end of input).
    fn close_stdin(&mut self) {
        self.stdin = None;
    }

    /// Closes stdin and waits (bounded) for the program to exit; whether it
    /// succeeded.
    fn finish(mut self) -> bool {
        self.close_stdin();
        let deadline = Instant::now() + WAIT;
        loop {
            match self.child.0.try_wait().unwrap() {
                Some(status) => return status.success(),
                None if Instant::now() < deadline => thread::sleep(Duration::from_millis(20)),
                None => panic!("did not exit:\n{}", self.log()),
            }
        }
    }

    /// Waits (bounded) until `what` holds for the collected output (stdout
    /// alone if `stdout_only`); the output.
    fn wait_until(&self, stdout_only: bool, what: impl Fn(&str) -> bool) -> String {
        let deadline = Instant::now() + WAIT;
        loop {
            let text = if stdout_only { &self.out } else { &self.log }
                .lock()
                .unwrap()
                .clone();
            if what(&text) {
                return text;
            }
            assert!(
                Instant::now() < deadline,
                "timed out; output so far:\n{}",
                self.log.lock().unwrap()
            );
            thread::sleep(Duration::from_millis(20));
        }
    }

    fn wait_for(&self, text: &str) -> String {
        self.wait_until(false, |s| s.contains(text))
    }

    fn log(&self) -> String {
        self.log.lock().unwrap().clone()
    }
}

/// The PKI certgen writes (made once per test binary), plus a certificate
/// from the same CA for another name (`other.example`, `IP:127.0.0.2`).
struct Pki {
    dir: PathBuf,
}

impl Pki {
    fn path(&self, name: &str) -> String {
        self.dir.join(name).to_str().unwrap().to_string()
    }
}

fn pki() -> &'static Pki {
    static PKI: OnceLock<Pki> = OnceLock::new();
    PKI.get_or_init(|| {
        let dir = tmp_path("pki");
        let (ok, out, err) = run("certgen", &[dir.to_str().unwrap()], b"");
        assert!(ok, "certgen failed: {out}{err}");
        let ca =
            load_certificate(FileType::Pem, &std::fs::read(dir.join("ca.pem")).unwrap()).unwrap();
        let ca_key = load_privatekey(
            FileType::Pem,
            &std::fs::read(dir.join("ca.key")).unwrap(),
            None,
        )
        .unwrap();
        let key = PKey::generate_key(KeyType::Ec, 256).unwrap();
        let mut cert = X509::new();
        cert.set_version(2).unwrap();
        cert.set_serial_number(9u64);
        cert.subject_mut().set("CN", "other.example").unwrap();
        cert.set_issuer(ca.subject());
        cert.set_pubkey(&key).unwrap();
        cert.gmtime_adj_not_before(-60).unwrap();
        cert.gmtime_adj_not_after(3600).unwrap();
        cert.add_extensions([
            X509Extension::new("extendedKeyUsage", false, "serverAuth").unwrap(),
            X509Extension::new("subjectAltName", false, "DNS:other.example, IP:127.0.0.2").unwrap(),
        ]);
        cert.sign(&ca_key, "sha256").unwrap();
        std::fs::write(
            dir.join("other.pem"),
            dump_certificate(FileType::Pem, &cert).unwrap(),
        )
        .unwrap();
        std::fs::write(
            dir.join("other.key"),
            puressl::crypto::dump_privatekey(FileType::Pem, &key, None).unwrap(),
        )
        .unwrap();
        Pki { dir }
    })
}

fn openssl_verify(args: &[&str]) -> (bool, String) {
    let out = Command::new("openssl")
        .arg("verify")
        .args(args)
        .output()
        .unwrap();
    let text =
        String::from_utf8_lossy(&out.stdout).to_string() + &String::from_utf8_lossy(&out.stderr);
    (out.status.success(), text)
}

#[test]
fn quickstart_handshakes_tls13_through_puressl_ssl() {
    let dir = tmp_path("quickstart-cwd");
    std::fs::create_dir_all(&dir).unwrap();
    let out = Command::new(example_binary("quickstart"))
        .current_dir(&dir)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let lines: Vec<&str> = stdout.lines().collect();
    assert!(
        lines.contains(&"subject:  <X509Name object '/CN=localhost'>"),
        "{stdout}"
    );
    assert!(
        lines.contains(&"issuer:   <X509Name object '/CN=puressl quickstart CA/O=puressl'>"),
        "{stdout}"
    );
    assert!(lines.contains(&"protocol: TLSv1.3"), "{stdout}");
    assert!(
        lines.contains(&"cipher:   TLS_AES_256_GCM_SHA384"),
        "{stdout}"
    );
    assert!(lines.contains(&"verify:   0 (X509_V_OK)"), "{stdout}");
    assert!(
        lines.contains(&"echoed:   hello from the puressl client"),
        "{stdout}"
    );
    // No files left behind.
    assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 0);
    std::fs::remove_dir(&dir).unwrap();
}

#[test]
fn certgen_output_passes_openssl_verify() {
    let p = pki();
    let ca = p.path("ca.pem");
    let (ok, text) =
        openssl_verify(&["-CAfile", &ca, &p.path("server.pem"), &p.path("client.pem")]);
    assert!(ok, "{text}");
    assert_eq!(
        text,
        format!(
            "{}: OK\n{}: OK\n",
            p.path("server.pem"),
            p.path("client.pem")
        )
    );
    // Each certificate is fit for its purpose, and only for it.
    assert!(
        openssl_verify(&[
            "-purpose",
            "sslserver",
            "-CAfile",
            &ca,
            &p.path("server.pem")
        ])
        .0
    );
    assert!(
        openssl_verify(&[
            "-purpose",
            "sslclient",
            "-CAfile",
            &ca,
            &p.path("client.pem")
        ])
        .0
    );
    assert!(
        !openssl_verify(&[
            "-purpose",
            "sslserver",
            "-CAfile",
            &ca,
            &p.path("client.pem")
        ])
        .0
    );
    // The server certificate names localhost and 127.0.0.1.
    assert!(
        openssl_verify(&[
            "-verify_hostname",
            "localhost",
            "-CAfile",
            &ca,
            &p.path("server.pem")
        ])
        .0
    );
    assert!(
        openssl_verify(&[
            "-verify_ip",
            "127.0.0.1",
            "-CAfile",
            &ca,
            &p.path("server.pem")
        ])
        .0
    );
    // Each key belongs to its certificate (openssl compares the public keys).
    for name in ["ca", "server", "client"] {
        let of = |args: &[&str]| Command::new("openssl").args(args).output().unwrap().stdout;
        let from_cert = of(&[
            "x509",
            "-in",
            &p.path(&format!("{name}.pem")),
            "-noout",
            "-pubkey",
        ]);
        let from_key = of(&["pkey", "-in", &p.path(&format!("{name}.key")), "-pubout"]);
        assert!(from_cert.starts_with(b"-----BEGIN PUBLIC KEY-----"));
        assert_eq!(from_cert, from_key, "{name}");
    }
}

#[test]
fn memory_bio_drives_a_handshake_by_hand() {
    let (ok, out, err) = run("memory_bio", &[], b"");
    assert!(ok, "{out}{err}");
    assert!(
        out.contains("negotiated TLSv1.3 TLS_AES_256_GCM_SHA384 (client verify result 0)"),
        "{out}"
    );
    assert!(
        out.contains("\nserver got: ping over memory BIOs\n"),
        "{out}"
    );
    assert!(
        out.ends_with("server: the client closed the connection (ZeroReturn)\n"),
        "{out}"
    );
}

/// The server example on a free port, with `extra` arguments.
fn start_server(cert: &str, key: &str, extra: &[&str]) -> (Running, u16) {
    let mut args = vec!["--port", "0", "--cert", cert, "--key", key];
    args.extend_from_slice(extra);
    let server = Running::spawn(example_binary("server"), &args);
    let log = server.wait_for("listening on 127.0.0.1:");
    let port = log
        .lines()
        .find_map(|l| l.strip_prefix("listening on 127.0.0.1:"))
        .unwrap()
        .parse()
        .unwrap();
    (server, port)
}

/// `openssl s_client` to the port with `args`: sends `line`, waits for it
/// to come back on stdout, then closes its input (s_client exits).
fn s_client_echo(port: u16, args: &[&str], line: &str) -> String {
    let connect = format!("127.0.0.1:{port}");
    let mut all = vec!["s_client", "-connect", &connect];
    all.extend_from_slice(args);
    let mut client = Running::spawn("openssl", &all);
    client.send(format!("{line}\n").as_bytes());
    let out = client.wait_until(true, |s| s.contains(line));
    assert!(client.finish(), "{out}");
    out
}

#[test]
fn server_echoes_to_s_client_over_tls12_and_tls13_with_a_required_client_certificate() {
    let p = pki();
    let (ca, cert, key) = (p.path("ca.pem"), p.path("client.pem"), p.path("client.key"));
    let (server, port) = start_server(
        &p.path("server.pem"),
        &p.path("server.key"),
        &["--ca", &ca, "--verify"],
    );
    for (version, expect) in [
        ("-tls1_2", "TLSv1.2 ECDHE-ECDSA-AES256-GCM-SHA384"),
        ("-tls1_3", "TLSv1.3 TLS_AES_256_GCM_SHA384"),
    ] {
        let line = format!("hello over {version}");
        let args = [
            version,
            "-CAfile",
            &ca,
            "-verify_return_error",
            "-verify_hostname",
            "localhost",
            "-cert",
            &cert,
            "-key",
            &key,
        ];
        let out = s_client_echo(port, &args, &line);
        assert!(out.contains("Verify return code: 0 (ok)"), "{out}");
        let log = server.wait_for(&format!(
            "{expect} resumed=0 client=<X509Name object '/C=US/O=puressl/CN=puressl client'>"
        ));
        // The verify callback saw the CA (depth 1) then the leaf (depth 0).
        assert!(log.contains(
            "verify: depth=1 errnum=0 ok=1 subject=<X509Name object '/C=US/O=puressl/CN=puressl certgen CA'>\n\
             verify: depth=0 errnum=0 ok=1 subject=<X509Name object '/C=US/O=puressl/CN=puressl client'>\n"
        ), "{log}");
    }
    // Without a client certificate the handshake fails on the server.
    let connect = format!("127.0.0.1:{port}");
    let mut client = Running::spawn(
        "openssl",
        &["s_client", "-connect", &connect, "-tls1_2", "-CAfile", &ca],
    );
    client.close_stdin();
    let log = server.wait_for(": error: ");
    assert_eq!(log.matches(": error: ").count(), 1, "{log}");
    assert_eq!(log.matches(" resumed=").count(), 2, "{log}");
}

#[test]
fn server_resumes_sessions_for_s_client() {
    let p = pki();
    let ca = p.path("ca.pem");
    let (server, port) = start_server(&p.path("server.pem"), &p.path("server.key"), &[]);
    for (version, extra) in [
        ("-tls1_3", None),
        ("-tls1_2", None),
        ("-tls1_2", Some("-no_ticket")),
    ] {
        let sess = tmp_path("session.pem");
        let sess_s = sess.to_str().unwrap();
        let mut args = vec![version, "-CAfile", &ca, "-sess_out", sess_s];
        args.extend(extra);
        let first = s_client_echo(port, &args, "first");
        assert!(first.contains("\nNew, "), "{first}");
        // s_client writes the session file when it has the session.
        let deadline = Instant::now() + WAIT;
        while std::fs::metadata(&sess)
            .map(|m| m.len() == 0)
            .unwrap_or(true)
        {
            assert!(Instant::now() < deadline, "no session file");
            thread::sleep(Duration::from_millis(20));
        }
        // Let the first s_client go, so the session file is complete.
        thread::sleep(Duration::from_millis(200));
        let mut args = vec![version, "-CAfile", &ca, "-sess_in", sess_s];
        args.extend(extra);
        let second = s_client_echo(port, &args, "second");
        assert!(
            second.contains("\nReused, "),
            "{version} {extra:?}: {second}"
        );
        let _ = std::fs::remove_file(&sess);
    }
    assert_eq!(
        server.log().matches("resumed=1").count(),
        3,
        "{}",
        server.log()
    );
}

#[test]
fn client_echoes_through_s_server_rev_over_tls12_and_tls13_presenting_a_certificate() {
    let p = pki();
    let (ca, cert, key) = (p.path("ca.pem"), p.path("client.pem"), p.path("client.key"));
    for (version, expect) in [
        ("-tls1_2", "connected: TLSv1.2 ECDHE-ECDSA-AES256-GCM-SHA384 server=<X509Name object '/C=US/O=puressl/CN=localhost'>"),
        ("-tls1_3", "connected: TLSv1.3 TLS_AES_256_GCM_SHA384 server=<X509Name object '/C=US/O=puressl/CN=localhost'>"),
    ] {
        let (server_cert, server_key) = (p.path("server.pem"), p.path("server.key"));
        // -Verify 1: a client certificate is required (the echo proves one
        // was presented and verified).
        let (_server, addr, log) = ssl::s_server(&[
            "-rev", "-naccept", "1", version, "-cert", &server_cert, "-key", &server_key,
            "-Verify", "1", "-CAfile", &ca,
        ]);
        let port = addr.port().to_string();
        let (ok, out, err) = run(
            "client",
            &["--host", "localhost", "--port", &port, "--ca", &ca, "--cert", &cert, "--key", &key],
            b"hello\nab c\n",
        );
        assert!(ok, "{out}{err}\n{}", log.lock().unwrap());
        assert_eq!(out, "olleh\nc ba\n");
        assert!(err.starts_with(expect), "{err}");
    }
}

#[test]
fn client_and_server_examples_echo_with_mutual_verification() {
    let p = pki();
    let ca = p.path("ca.pem");
    let (server, port) = start_server(
        &p.path("server.pem"),
        &p.path("server.key"),
        &["--ca", &ca, "--verify"],
    );
    let port = port.to_string();
    let input = "one\ntwo two\n\nthree\n";
    for host in ["localhost", "127.0.0.1"] {
        let args = [
            "--host",
            host,
            "--port",
            &port,
            "--ca",
            &ca,
            "--cert",
            &p.path("client.pem"),
            "--key",
            &p.path("client.key"),
        ];
        let (ok, out, err) = run("client", &args, input.as_bytes());
        assert!(ok, "{out}{err}");
        assert_eq!(out, input, "{err}");
    }
    let log = server.wait_until(false, |s| s.matches(": closed\n").count() == 2);
    assert_eq!(
        log.matches("client=<X509Name object '/C=US/O=puressl/CN=puressl client'>")
            .count(),
        2
    );
}

/// The client checks the host it was given against the server's valid
/// certificate: a DNS name against its DNS names, an IP address against its
/// IP addresses (other.pem names IP 127.0.0.2, not 127.0.0.1).
#[test]
fn client_refuses_a_valid_certificate_issued_for_another_host_or_ip() {
    let p = pki();
    let ca = p.path("ca.pem");
    for (host, mismatch) in [
        ("localhost", "hostname mismatch"),
        ("127.0.0.1", "IP address mismatch"),
    ] {
        let (_server, port) = start_server(&p.path("other.pem"), &p.path("other.key"), &[]);
        let port = port.to_string();
        let (ok, out, err) = run(
            "client",
            &["--host", host, "--port", &port, "--ca", &ca],
            b"hello\n",
        );
        assert!(!ok, "{host}: {out}{err}");
        assert_eq!(out, "", "{host}");
        assert_eq!(
            err.trim_end(),
            format!(
                "client: SSL routines::certificate verify failed; x509 certificate routines::{mismatch}"
            ),
            "{host}"
        );
    }
}
