//! server: pyOpenSSL's `simple` echo server on `puressl::ssl` — TLS 1.2 and
//! 1.3 on 127.0.0.1, one thread per client, every byte echoed back.
//!
//! ```sh
//! cargo run --example certgen -- pki
//! cargo run --release --example server -- --port 4433 --cert pki/server.pem --key pki/server.key
//! # require and verify a client certificate:
//! cargo run --release --example server -- --port 4433 --cert pki/server.pem --key pki/server.key \
//!     --ca pki/ca.pem --verify
//! # try it:
//! openssl s_client -connect 127.0.0.1:4433 -CAfile pki/ca.pem -cert pki/client.pem -key pki/client.key
//! ```
//!
//! Options:
//! - `--port P`: the port on 127.0.0.1 (0 picks a free one); the server
//!   prints `listening on 127.0.0.1:PORT` once it accepts connections.
//! - `--cert F`, `--key F`: the server certificate and its key (PEM).
//! - `--chain F`: intermediate certificates (PEM) sent after the leaf.
//! - `--ca F`: the CAs trusted for client certificates (PEM); their names
//!   go into the CertificateRequest.
//! - `--verify`: require a client certificate and verify it against `--ca`
//!   (`VERIFY_PEER | VERIFY_FAIL_IF_NO_PEER_CERT`); each call of the verify
//!   callback is logged.
//!
//! Session resumption is on: a session cache with a session-id context and
//! session tickets (the `Context` defaults), shared by all the threads.

use std::io::Write;
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::PathBuf;

use puressl::crypto::{FileType, X509VerifyError, X509};
use puressl::ssl::{Connection, Context, Error, Method, VerifyMode};

type BoxError = Box<dyn std::error::Error>;

/// The command line.
#[derive(Default)]
struct Args {
    port: u16,
    cert: PathBuf,
    key: PathBuf,
    chain: Option<PathBuf>,
    ca: Option<PathBuf>,
    verify: bool,
}

const USAGE: &str = "usage: server --port P --cert F --key F [--chain F] [--ca F --verify]";

fn parse_args() -> Result<Args, BoxError> {
    let mut args = Args::default();
    let (mut cert, mut key, mut port) = (None, None, None);
    let mut it = std::env::args_os().skip(1);
    while let Some(flag) = it.next() {
        let flag = flag.to_str().ok_or(USAGE)?.to_string();
        if flag == "--verify" {
            args.verify = true;
            continue;
        }
        let value = it
            .next()
            .ok_or_else(|| format!("{flag} needs a value\n{USAGE}"))?;
        match flag.as_str() {
            "--port" => port = Some(value.to_str().ok_or(USAGE)?.parse::<u16>()?),
            "--cert" => cert = Some(PathBuf::from(value)),
            "--key" => key = Some(PathBuf::from(value)),
            "--chain" => args.chain = Some(PathBuf::from(value)),
            "--ca" => args.ca = Some(PathBuf::from(value)),
            _ => return Err(format!("unknown option {flag}\n{USAGE}").into()),
        }
    }
    let (Some(port), Some(cert), Some(key)) = (port, cert, key) else {
        return Err(USAGE.into());
    };
    if args.verify && args.ca.is_none() {
        return Err(format!("--verify needs --ca\n{USAGE}").into());
    }
    (args.port, args.cert, args.key) = (port, cert, key);
    Ok(args)
}

/// The server context: certificate, key, chain, client verification and
/// session resumption.
fn context(args: &Args) -> Result<Context, BoxError> {
    let mut ctx = Context::new(Method::Tls)?;
    ctx.use_certificate_file(&args.cert, FileType::Pem)?;
    ctx.use_privatekey_file(&args.key, FileType::Pem)?;
    ctx.check_privatekey()?;
    if let Some(chain) = &args.chain {
        for cert in X509::stack_from_pem(&std::fs::read(chain)?)? {
            ctx.add_extra_chain_cert(&cert);
        }
    }
    if let Some(ca) = &args.ca {
        ctx.load_verify_locations(Some(ca), None)?;
        ctx.load_client_ca(ca)?;
    }
    if args.verify {
        ctx.set_verify(
            VerifyMode::PEER | VerifyMode::FAIL_IF_NO_PEER_CERT,
            Some(Box::new(
                |cert: &X509, errnum: X509VerifyError, depth: u32, ok: bool| {
                    println!(
                        "verify: depth={depth} errnum={} ok={} subject={:?}",
                        errnum.code(),
                        u8::from(ok),
                        cert.subject()
                    );
                    // OpenSSL's verdict stands: a bad certificate fails the handshake.
                    ok
                },
            )),
        );
    }
    // Resumption: sessions are resumed only under the same session-id context.
    ctx.set_session_id(b"puressl-example-server")?;
    Ok(ctx)
}

/// Serves one client: the handshake, then every byte echoed back until the
/// client closes.
fn serve(ctx: &Context, stream: TcpStream, peer: SocketAddr) -> Result<(), Error> {
    let mut conn = Connection::new(ctx, stream);
    conn.set_accept_state()?;
    conn.do_handshake()?;
    let client = match conn.peer_certificate()? {
        Some(cert) => format!("{:?}", cert.subject()),
        None => "no certificate".to_string(),
    };
    println!(
        "{peer}: {} {} resumed={} client={client}",
        conn.protocol_version_name().unwrap_or("?"),
        conn.cipher_name().unwrap_or("?"),
        u8::from(conn.session_reused()),
    );
    let mut buf = [0u8; 16 * 1024];
    loop {
        match conn.recv(&mut buf) {
            Ok(n) => {
                conn.sendall(&buf[..n])?;
            }
            // The client sent close_notify: answer it and stop.
            Err(Error::ZeroReturn) => {
                println!("{peer}: closed");
                // The client may already be gone: its close_notify is enough.
                let _ = conn.shutdown();
                return Ok(());
            }
            // The client went away without close_notify.
            Err(Error::SysCall { errno: -1, .. }) => {
                println!("{peer}: closed without close_notify");
                return Ok(());
            }
            Err(e) => return Err(e),
        }
    }
}

fn main() -> std::process::ExitCode {
    match run() {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("server: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}

fn run() -> Result<(), BoxError> {
    let args = parse_args()?;
    let ctx = context(&args)?;
    let listener = TcpListener::bind(("127.0.0.1", args.port))?;
    println!("listening on {}", listener.local_addr()?);
    std::io::stdout().flush()?;
    for incoming in listener.incoming() {
        let stream = match incoming {
            Ok(s) => s,
            Err(e) => {
                eprintln!("accept: {e}");
                continue;
            }
        };
        let peer = stream.peer_addr()?;
        // A clone of the context shares its cached configuration and its
        // session cache and ticket key with every other connection.
        let ctx = ctx.clone();
        std::thread::spawn(move || {
            if let Err(e) = serve(&ctx, stream, peer) {
                println!("{peer}: error: {e}");
            }
        });
    }
    Ok(())
}
