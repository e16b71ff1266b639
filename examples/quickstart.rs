//! puressl quickstart: make a CA, issue a server certificate, and run a TLS 1.3
//! handshake between a rustls server and client that both run on puressl's own
//! pure-Rust crypto provider — all in memory, no sockets, no C.
//!
//! ```sh
//! cargo run --release --example quickstart
//! ```

use std::io::{Read, Write};
use std::sync::Arc;

use puressl::crypto::{
    dump_certificate, dump_privatekey, load_privatekey, FileType, KeyType, PKey, X509Extension,
    X509,
};
use rustls::pki_types::{CertificateDer, PrivateKeyDer, ServerName};
use rustls::{ClientConfig, ClientConnection, RootCertStore, ServerConfig, ServerConnection};

type BoxError = Box<dyn std::error::Error>;

fn main() -> Result<(), BoxError> {
    // 1. A certificate authority: a P-256 key and a self-signed v3 certificate.
    let ca_key = PKey::generate_key(KeyType::Ec, 256)?;
    let mut ca = X509::new();
    ca.set_version(2)?;
    ca.set_serial_number(1u64);
    ca.subject_mut().set("CN", "puressl quickstart CA")?;
    ca.subject_mut().set("O", "puressl")?;
    let ca_name = ca.subject();
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
        "CA:     {:?}, serial {}, {} ({})",
        ca.subject(),
        ca.serial_number(),
        ca.signature_algorithm()?,
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
    println!(
        "server: {:?}, issued by {:?}",
        cert.subject(),
        cert.issuer()
    );
    for i in 0..cert.extension_count() {
        let ext = cert.extension(i)?;
        println!("        {}: {}", ext.short_name(), ext);
    }

    // The key survives a PEM round trip (PKCS#8, as pyOpenSSL writes it).
    let pem = dump_privatekey(FileType::Pem, &server_key, None)?;
    let reloaded = load_privatekey(FileType::Pem, &pem, None)?;
    assert_eq!(reloaded, server_key);
    println!(
        "key:    {} bytes of PKCS#8 PEM, reloads to the same {}-bit {} key",
        pem.len(),
        reloaded.bits(),
        reloaded.key_type().name()
    );

    // 3. rustls on puressl's provider: server with the chain, client trusting the CA.
    let provider = Arc::new(puressl::provider::provider());
    let chain = vec![
        CertificateDer::from(dump_certificate(FileType::Asn1, &cert)?),
        CertificateDer::from(dump_certificate(FileType::Asn1, &ca)?),
    ];
    let key_der = PrivateKeyDer::try_from(server_key.private_key_to_pkcs8_der()?.to_vec())?;
    let server_config = ServerConfig::builder_with_provider(provider.clone())
        .with_protocol_versions(&[&rustls::version::TLS13])?
        .with_no_client_auth()
        .with_single_cert(chain, key_der)?;
    let mut roots = RootCertStore::empty();
    roots.add(CertificateDer::from(dump_certificate(FileType::Asn1, &ca)?))?;
    let client_config = ClientConfig::builder_with_provider(provider)
        .with_protocol_versions(&[&rustls::version::TLS13])?
        .with_root_certificates(roots)
        .with_no_client_auth();

    let mut client =
        ClientConnection::new(Arc::new(client_config), ServerName::try_from("localhost")?)?;
    let mut server = ServerConnection::new(Arc::new(server_config))?;

    // 4. The handshake, moving bytes through memory.
    let mut flights = 0;
    while client.is_handshaking() || server.is_handshaking() {
        transfer(&mut client, &mut server)?;
        transfer(&mut server, &mut client)?;
        flights += 1;
        if flights > 10 {
            return Err("handshake did not finish".into());
        }
    }
    client
        .writer()
        .write_all(b"hello from the puressl client")?;
    transfer(&mut client, &mut server)?;
    let mut got = vec![0u8; 64];
    let n = server.reader().read(&mut got)?;
    server
        .writer()
        .write_all(b"hello back from the puressl server")?;
    transfer(&mut server, &mut client)?;
    let mut back = vec![0u8; 64];
    let m = client.reader().read(&mut back)?;

    println!(
        "TLS:    {:?}, {:?}, key exchange {:?}",
        client.protocol_version().ok_or("no version")?,
        client.negotiated_cipher_suite().ok_or("no suite")?.suite(),
        client
            .negotiated_key_exchange_group()
            .ok_or("no group")?
            .name()
    );
    println!(
        "        client verified the server chain ({} certificates) against the CA",
        client.peer_certificates().map_or(0, |c| c.len())
    );
    println!(
        "        server got: {:?}",
        String::from_utf8_lossy(&got[..n])
    );
    println!(
        "        client got: {:?}",
        String::from_utf8_lossy(&back[..m])
    );
    Ok(())
}

/// Moves all pending TLS bytes from one side to the other.
fn transfer(
    from: &mut impl std::ops::DerefMut<Target = rustls::ConnectionCommon<impl rustls::SideData>>,
    to: &mut impl std::ops::DerefMut<Target = rustls::ConnectionCommon<impl rustls::SideData>>,
) -> Result<(), BoxError> {
    let mut buf = Vec::new();
    while from.wants_write() {
        from.write_tls(&mut buf)?;
    }
    let mut slice = &buf[..];
    while !slice.is_empty() {
        to.read_tls(&mut slice)?;
        to.process_new_packets()?;
    }
    Ok(())
}
