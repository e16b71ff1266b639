//! async_server: a TLS echo server on tokio's multi-threaded runtime with
//! `puressl::ssl::tokio::TlsStream` — TLS 1.2 and 1.3 on 127.0.0.1, one task
//! per client, every byte echoed back. Needs the `tokio-runtime`
//! feature (`tokio` plus tokio's runtime and TCP; a program of your own
//! needs only `tokio` and its own tokio dependency).
//!
//! ```sh
//! cargo run --example certgen -- pki
//! cargo run --release --features tokio-runtime --example async_server -- \
//!     --port 4433 --cert pki/server.pem --key pki/server.key
//! # try it:
//! openssl s_client -connect 127.0.0.1:4433 -CAfile pki/ca.pem
//! ```
//!
//! Options:
//! - `--port P`: the port on 127.0.0.1 (0 picks a free one); the server
//!   prints `listening on 127.0.0.1:PORT` once it accepts connections.
//! - `--cert F`, `--key F`: the server certificate and its key (PEM).
//!
//! All the connections share one `Context` (its cached configuration,
//! session cache and ticket key): sessions resume.

use std::io::Write;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

use puressl::crypto::FileType;
use puressl::ssl::tokio::TlsStream;
use puressl::ssl::{Context, Method};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

type BoxError = Box<dyn std::error::Error + Send + Sync>;

const USAGE: &str = "usage: async_server --port P --cert F --key F";

/// The command line: port, certificate, key.
fn parse_args() -> Result<(u16, PathBuf, PathBuf), BoxError> {
    let (mut port, mut cert, mut key) = (None, None, None);
    let mut it = std::env::args_os().skip(1);
    while let Some(flag) = it.next() {
        let flag = flag.to_str().ok_or(USAGE)?.to_string();
        let value = it
            .next()
            .ok_or_else(|| format!("{flag} needs a value\n{USAGE}"))?;
        match flag.as_str() {
            "--port" => port = Some(value.to_str().ok_or(USAGE)?.parse::<u16>()?),
            "--cert" => cert = Some(PathBuf::from(value)),
            "--key" => key = Some(PathBuf::from(value)),
            _ => return Err(format!("unknown option {flag}\n{USAGE}").into()),
        }
    }
    match (port, cert, key) {
        (Some(port), Some(cert), Some(key)) => Ok((port, cert, key)),
        _ => Err(USAGE.into()),
    }
}

/// Serves one client: the handshake, then every byte echoed back until the
/// client's close_notify, answered with ours.
async fn serve(ctx: &Context, tcp: TcpStream, peer: SocketAddr) -> Result<(), BoxError> {
    let mut tls = TlsStream::accept(ctx, tcp).await?;
    println!(
        "{peer}: {} {} resumed={}",
        tls.protocol_version_name().unwrap_or("?"),
        tls.cipher_name().unwrap_or("?"),
        u8::from(tls.session_reused()),
    );
    let mut buf = vec![0u8; 16 * 1024];
    loop {
        let n = tls.read(&mut buf).await?;
        if n == 0 {
            println!("{peer}: closed");
            // The client may already be gone: its close_notify is enough.
            let _ = tls.shutdown().await;
            return Ok(());
        }
        tls.write_all(&buf[..n]).await?;
        tls.flush().await?;
    }
}

#[tokio::main(flavor = "multi_thread")]
async fn main() -> std::process::ExitCode {
    match run().await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("async_server: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}

async fn run() -> Result<(), BoxError> {
    let (port, cert, key) = parse_args()?;
    let mut ctx = Context::new(Method::Tls)?;
    ctx.use_certificate_file(&cert, FileType::Pem)?;
    ctx.use_privatekey_file(&key, FileType::Pem)?;
    ctx.check_privatekey()?;
    ctx.set_session_id(b"puressl-async-server")?;
    let ctx = Arc::new(ctx);
    let listener = TcpListener::bind(("127.0.0.1", port)).await?;
    println!("listening on {}", listener.local_addr()?);
    std::io::stdout().flush()?;
    loop {
        let (tcp, peer) = match listener.accept().await {
            Ok(accepted) => accepted,
            Err(e) => {
                eprintln!("accept: {e}");
                continue;
            }
        };
        let ctx = Arc::clone(&ctx);
        tokio::spawn(async move {
            if let Err(e) = serve(&ctx, tcp, peer).await {
                println!("{peer}: error: {e}");
            }
        });
    }
}
