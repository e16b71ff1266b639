//! memory_bio: a TLS handshake and an exchange driven by hand through memory
//! BIOs (`bio_write` / `bio_read`) — the pattern an event loop (mio, tokio, a
//! GUI loop, a test harness) uses when puressl must not own the socket.
//!
//! ```sh
//! cargo run --example memory_bio
//! ```
//!
//! A `Connection<Memory>` never touches the network: the caller feeds it
//! the ciphertext that arrived (`bio_write`) and takes the ciphertext to send
//! (`bio_read`). Every call that needs bytes from the peer returns
//! `Err(Error::WantRead)`: not a failure, but "flush what I wrote, and call
//! me again when more ciphertext has arrived".

use std::collections::VecDeque;

use puressl::crypto::{KeyType, PKey, X509Extension, X509};
use puressl::ssl::{Connection, Context, Error, Memory, Method, VerifyMode};

type BoxError = Box<dyn std::error::Error>;

/// One end of the event loop: a connection and the ciphertext queued for it
/// (what "the network" delivered and the loop has not fed in yet).
struct Endpoint {
    name: &'static str,
    conn: Connection<Memory>,
    inbox: VecDeque<Vec<u8>>,
}

impl Endpoint {
    /// Feeds everything that arrived, then drives the handshake one step.
    /// `Ok(true)`: done; `Ok(false)`: waiting for the peer (`WantRead`).
    fn step_handshake(&mut self) -> Result<bool, Error> {
        while let Some(chunk) = self.inbox.pop_front() {
            self.conn.bio_write(&chunk)?;
        }
        match self.conn.do_handshake() {
            Ok(()) => Ok(true),
            // WantRead: the handshake stopped because it needs the peer's
            // next flight. Its own flight is waiting in the BIO for
            // `bio_read` — send it, or the two sides wait for each other
            // for ever. An event loop registers read interest here.
            Err(Error::WantRead) => Ok(false),
            // WantWrite never comes from a memory BIO (it grows as needed);
            // over a non-blocking socket it means "wait until writable".
            Err(e) => Err(e),
        }
    }

    /// Takes whatever ciphertext the connection produced: what an event
    /// loop writes to its socket when it becomes writable.
    fn outgoing(&mut self) -> Result<Option<Vec<u8>>, Error> {
        match self.conn.bio_read(16 * 1024) {
            Ok(data) => Ok(Some(data)),
            // bio_read's WantRead means "nothing to send right now".
            Err(Error::WantRead) => Ok(None),
            Err(e) => Err(e),
        }
    }
}

/// Moves one round of ciphertext each way, as the network would.
fn deliver(a: &mut Endpoint, b: &mut Endpoint) -> Result<usize, Error> {
    let mut moved = 0;
    while let Some(data) = a.outgoing()? {
        println!("  {} -> {}: {} bytes", a.name, b.name, data.len());
        moved += data.len();
        b.inbox.push_back(data);
    }
    while let Some(data) = b.outgoing()? {
        println!("  {} -> {}: {} bytes", b.name, a.name, data.len());
        moved += data.len();
        a.inbox.push_back(data);
    }
    Ok(moved)
}

fn main() -> Result<(), BoxError> {
    // A self-signed server certificate for "localhost", trusted by the client.
    let key = PKey::generate_key(KeyType::Ec, 256)?;
    let mut cert = X509::new();
    cert.set_version(2)?;
    cert.set_serial_number(1u64);
    cert.subject_mut().set("CN", "localhost")?;
    let name = cert.subject().clone();
    cert.set_issuer(&name);
    cert.set_pubkey(&key)?;
    cert.gmtime_adj_not_before(-60)?;
    cert.gmtime_adj_not_after(3600)?;
    cert.add_extensions([X509Extension::new(
        "subjectAltName",
        false,
        "DNS:localhost",
    )?]);
    cert.sign(&key, "sha256")?;

    let mut server_ctx = Context::new(Method::Tls)?;
    server_ctx.use_certificate(&cert)?;
    server_ctx.use_privatekey(&key)?;
    let mut client_ctx = Context::new(Method::Tls)?;
    client_ctx.cert_store_mut().add_cert(&cert)?;
    client_ctx.set_verify(VerifyMode::PEER, None);

    // `Connection::new(&ctx, Memory::default())` is pyOpenSSL's
    // `Connection(ctx, None)`: a connection with a memory BIO.
    let mut client = Endpoint {
        name: "client",
        conn: Connection::new(&client_ctx, Memory::default()),
        inbox: VecDeque::new(),
    };
    client.conn.set_tlsext_host_name(b"localhost")?;
    client.conn.set_connect_state()?;
    let mut server = Endpoint {
        name: "server",
        conn: Connection::new(&server_ctx, Memory::default()),
        inbox: VecDeque::new(),
    };
    server.conn.set_accept_state()?;

    // The loop: step both, deliver what they wrote, until both are done and
    // nothing moves (the TLS 1.3 server sends its tickets after its Finished).
    println!("handshake:");
    for round in 1.. {
        let c_done = client.step_handshake()?;
        let s_done = server.step_handshake()?;
        let moved = deliver(&mut client, &mut server)?;
        if c_done && s_done && moved == 0 && client.inbox.is_empty() && server.inbox.is_empty() {
            println!("  done after {round} rounds");
            break;
        }
        if round > 10 {
            return Err("the handshake did not finish".into());
        }
    }
    println!(
        "negotiated {} {} (client verify result {})",
        client.conn.protocol_version_name().ok_or("no version")?,
        client.conn.cipher_name().ok_or("no cipher")?,
        client.conn.verify_result().code()
    );

    // Application data goes the same way: `send` encrypts into the BIO...
    client.conn.send(b"ping over memory BIOs")?;
    let mut buf = [0u8; 1024];
    // ...and a `recv` before the ciphertext has arrived is WantRead too.
    assert!(matches!(server.conn.recv(&mut buf), Err(Error::WantRead)));
    deliver(&mut client, &mut server)?;
    for chunk in server.inbox.drain(..) {
        server.conn.bio_write(&chunk)?;
    }
    let n = server.conn.recv(&mut buf)?;
    println!("server got: {}", String::from_utf8_lossy(&buf[..n]));

    // A clean close: shutdown() sends close_notify; the peer's recv then
    // reports ZeroReturn (pyOpenSSL's ZeroReturnError).
    client.conn.shutdown()?;
    deliver(&mut client, &mut server)?;
    for chunk in server.inbox.drain(..) {
        server.conn.bio_write(&chunk)?;
    }
    match server.conn.recv(&mut buf) {
        Err(Error::ZeroReturn) => println!("server: the client closed the connection (ZeroReturn)"),
        other => return Err(format!("expected ZeroReturn, got {other:?}").into()),
    }
    Ok(())
}
