//! client: a verifying TLS client on `puressl::ssl` — sends each line of
//! stdin, prints what comes back.
//!
//! ```sh
//! cargo run --example certgen -- pki
//! cargo run --release --example client -- --host localhost --port 4433 --ca pki/ca.pem
//! cargo run --release --example client -- --host 127.0.0.1 --port 4433 --ca pki/ca.pem \
//!     --cert pki/client.pem --key pki/client.key
//! ```
//!
//! The server's certificate chain is always verified: against `--ca F` when
//! given, else against the system's trust store. So is the host name:
//! `--host` is sent as SNI (for a DNS name) and the server's certificate
//! must be issued for it — a DNS name against the certificate's DNS
//! names, an IP address against its IP addresses. A valid certificate for
//! another name is refused. `--cert F --key F` present a client certificate.
//!
//! Each stdin line is sent with its newline; the client then prints the
//! reply up to its newline (an echo server sends the line back, `openssl
//! s_server -rev` sends it reversed). At the end of stdin it sends
//! close_notify and exits.

use std::io::BufRead;
use std::net::TcpStream;
use std::path::PathBuf;

use puressl::crypto::FileType;
use puressl::ssl::{Connection, Context, Error};

type BoxError = Box<dyn std::error::Error>;

#[derive(Default)]
struct Args {
    host: String,
    port: u16,
    ca: Option<PathBuf>,
    cert: Option<PathBuf>,
    key: Option<PathBuf>,
}

const USAGE: &str = "usage: client --host H --port P [--ca F] [--cert F --key F]";

fn parse_args() -> Result<Args, BoxError> {
    let mut args = Args::default();
    let (mut host, mut port) = (None, None);
    let mut it = std::env::args_os().skip(1);
    while let Some(flag) = it.next() {
        let flag = flag.to_str().ok_or(USAGE)?.to_string();
        let value = it
            .next()
            .ok_or_else(|| format!("{flag} needs a value\n{USAGE}"))?;
        match flag.as_str() {
            "--host" => host = Some(value.to_str().ok_or(USAGE)?.to_string()),
            "--port" => port = Some(value.to_str().ok_or(USAGE)?.parse::<u16>()?),
            "--ca" => args.ca = Some(PathBuf::from(value)),
            "--cert" => args.cert = Some(PathBuf::from(value)),
            "--key" => args.key = Some(PathBuf::from(value)),
            _ => return Err(format!("unknown option {flag}\n{USAGE}").into()),
        }
    }
    let (Some(host), Some(port)) = (host, port) else {
        return Err(USAGE.into());
    };
    if args.cert.is_some() != args.key.is_some() {
        return Err(format!("--cert and --key go together\n{USAGE}").into());
    }
    (args.host, args.port) = (host, port);
    Ok(args)
}

/// The client context: the trusted CAs, peer verification, and the
/// client certificate if one was given.
fn context(args: &Args) -> Result<Context, BoxError> {
    // The verifying constructors: VERIFY_PEER, and a connection refuses to
    // start until it is told the host name (or IP address) to check.
    let mut ctx = match &args.ca {
        Some(ca) => Context::verified_client_with_ca(ca)?,
        None => Context::verified_client()?,
    };
    if let (Some(cert), Some(key)) = (&args.cert, &args.key) {
        ctx.use_certificate_file(cert, FileType::Pem)?;
        ctx.use_privatekey_file(key, FileType::Pem)?;
        ctx.check_privatekey()?;
    }
    Ok(ctx)
}

/// Reads one reply: up to and including a newline, or to the end of the
/// connection. `None` when the server closed before sending anything.
fn read_line(conn: &mut Connection<TcpStream>) -> Result<Option<Vec<u8>>, Error> {
    let mut line = Vec::new();
    let mut buf = [0u8; 4096];
    while !line.ends_with(b"\n") {
        match conn.recv(&mut buf) {
            Ok(n) => line.extend_from_slice(&buf[..n]),
            Err(Error::ZeroReturn) => break,
            Err(e) => return Err(e),
        }
    }
    Ok((!line.is_empty()).then_some(line))
}

fn main() -> std::process::ExitCode {
    match run() {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("client: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}

fn run() -> Result<(), BoxError> {
    let args = parse_args()?;
    let ctx = context(&args)?;
    let stream = TcpStream::connect((args.host.as_str(), args.port))?;
    let mut conn = Connection::new(&ctx, stream);
    // The name to check the certificate against (and, for a DNS name, the
    // SNI the server sees). Without it no name would be checked at all.
    conn.set_tlsext_host_name(args.host.as_bytes())?;
    conn.set_connect_state()?;
    conn.do_handshake()?;
    let server = conn
        .peer_certificate()?
        .ok_or("the server sent no certificate")?;
    eprintln!(
        "connected: {} {} server={:?} issuer={:?} verify={} ({})",
        conn.protocol_version_name().unwrap_or("?"),
        conn.cipher_name().unwrap_or("?"),
        server.subject(),
        server.issuer(),
        conn.verify_result().code(),
        conn.verify_result()
    );

    for line in std::io::stdin().lock().lines() {
        let mut line = line?;
        line.push('\n');
        conn.sendall(line.as_bytes())?;
        match read_line(&mut conn)? {
            Some(reply) => print!("{}", String::from_utf8_lossy(&reply)),
            None => {
                eprintln!("the server closed the connection");
                return Ok(());
            }
        }
    }
    // A clean close: our close_notify; the server's answer is not awaited.
    conn.shutdown()?;
    Ok(())
}
