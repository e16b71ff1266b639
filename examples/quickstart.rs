//! puressl quickstart: make a CA, issue a server certificate, and run a TLS 1.3
//! handshake between a `puressl::ssl` client and server — in memory, no
//! sockets, no files, no C.
//!
//! ```sh
//! cargo run --release --example quickstart
//! ```

use puressl::crypto::{
    dump_privatekey, load_privatekey, FileType, KeyType, PKey, X509Extension, X509,
};
use puressl::ssl::{Connection, Context, Error, Memory, Method, VerifyMode};

type BoxError = Box<dyn std::error::Error>;

fn main() -> Result<(), BoxError> {
    // 1. A certificate authority: a P-256 key and a self-signed v3 certificate.
    let ca_key = PKey::generate_key(KeyType::Ec, 256)?;
    let mut ca = X509::new();
    ca.set_version(2)?;
    ca.set_serial_number(1u64);
    ca.subject_mut().set("CN", "puressl quickstart CA")?;
    ca.subject_mut().set("O", "puressl")?;
    let ca_name = ca.subject().clone();
    ca.set_issuer(&ca_name);
    ca.set_pubkey(&ca_key)?;
    ca.gmtime_adj_not_before(-60)?;
    ca.gmtime_adj_not_after(3600)?;
    ca.add_extensions([
        X509Extension::new("basicConstraints", true, "CA:TRUE")?,
        X509Extension::new("keyUsage", true, "keyCertSign, cRLSign")?,
        X509Extension::with_subject_issuer("subjectKeyIdentifier", false, "hash", Some(&ca), None)?,
    ]);
    ca.sign(&ca_key, "sha256")?;
    println!(
        "CA:       {:?} (sha256 {})",
        ca.subject(),
        ca.digest("sha256")?
    );

    // 2. A server key and certificate for "localhost", issued by the CA.
    let server_key = PKey::generate_key(KeyType::Ec, 256)?;
    let mut cert = X509::new();
    cert.set_version(2)?;
    cert.set_serial_number(2u64);
    cert.subject_mut().set("CN", "localhost")?;
    cert.set_issuer(&ca_name);
    cert.set_pubkey(&server_key)?;
    cert.gmtime_adj_not_before(-60)?;
    cert.gmtime_adj_not_after(3600)?;
    cert.add_extensions([
        X509Extension::new("basicConstraints", true, "CA:FALSE")?,
        X509Extension::new("subjectAltName", false, "DNS:localhost, IP:127.0.0.1")?,
        X509Extension::new("extendedKeyUsage", false, "serverAuth")?,
        X509Extension::with_subject_issuer(
            "authorityKeyIdentifier",
            false,
            "keyid",
            None,
            Some(&ca),
        )?,
    ]);
    cert.sign(&ca_key, "sha256")?;

    // The key survives a PEM round trip (PKCS#8, as pyOpenSSL writes it).
    let pem = dump_privatekey(FileType::Pem, &server_key, None)?;
    assert_eq!(load_privatekey(FileType::Pem, &pem, None)?, server_key);

    // 3. The server context holds the certificate and key; the client
    //    context trusts the CA and verifies the peer.
    let mut server_ctx = Context::new(Method::Tls)?;
    server_ctx.use_certificate(&cert)?;
    server_ctx.use_privatekey(&server_key)?;
    server_ctx.check_privatekey()?;
    let mut client_ctx = Context::new(Method::Tls)?;
    client_ctx.cert_store_mut().add_cert(&ca)?;
    client_ctx.set_verify(VerifyMode::PEER, None);

    // 4. Two connections over memory BIOs (pyOpenSSL `Connection(ctx, None)`).
    //    The client sends SNI "localhost": the server certificate must match it.
    let mut client = Connection::new(&client_ctx, Memory::default());
    client.set_tlsext_host_name(b"localhost")?;
    client.set_connect_state()?;
    let mut server = Connection::new(&server_ctx, Memory::default());
    server.set_accept_state()?;

    // 5. The handshake: each side runs until it needs the peer's bytes
    //    (`WantRead`), then the ciphertext moves across.
    for _ in 0..10 {
        let c = client.do_handshake();
        let s = server.do_handshake();
        let moved = transfer(&mut client, &mut server)? + transfer(&mut server, &mut client)?;
        match (c, s) {
            (Ok(()), Ok(())) if moved == 0 => break,
            (Err(e), _) | (_, Err(e)) if !e.is_retryable() => return Err(e.into()),
            _ => {}
        }
    }

    // 6. What was negotiated, as pyOpenSSL reports it.
    let peer = client.peer_certificate()?.ok_or("no server certificate")?;
    println!("subject:  {:?}", peer.subject());
    println!("issuer:   {:?}", peer.issuer());
    println!(
        "protocol: {}",
        client.protocol_version_name().ok_or("no version")?
    );
    println!("cipher:   {}", client.cipher_name().ok_or("no cipher")?);
    println!("verify:   {} (X509_V_OK)", client.verify_result().code());

    // 7. An echo: the client sends, the server sends back what it got.
    client.sendall(b"hello from the puressl client")?;
    transfer(&mut client, &mut server)?;
    let mut buf = [0u8; 256];
    let n = server.recv(&mut buf)?;
    server.sendall(&buf[..n])?;
    transfer(&mut server, &mut client)?;
    let m = client.recv(&mut buf)?;
    println!("echoed:   {}", String::from_utf8_lossy(&buf[..m]));
    Ok(())
}

/// Moves all pending ciphertext from `from` to `to`; the number of bytes moved.
fn transfer(from: &mut Connection<Memory>, to: &mut Connection<Memory>) -> Result<usize, Error> {
    match from.bio_read(1 << 16) {
        Ok(data) => to.bio_write(&data),
        // Nothing to send: not an error for the pump.
        Err(Error::WantRead) => Ok(0),
        Err(e) => Err(e),
    }
}
