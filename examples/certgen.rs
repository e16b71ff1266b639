//! certgen: a small PKI for trying TLS, as pyOpenSSL's `mk_simple_certs.py`
//! made one — a CA, a server and a client certificate, each with its key.
//!
//! ```sh
//! cargo run --example certgen -- OUTDIR
//! openssl verify -CAfile OUTDIR/ca.pem OUTDIR/server.pem OUTDIR/client.pem
//! ```
//!
//! Writes, in OUTDIR (created if missing):
//!
//! | file | what |
//! |---|---|
//! | `ca.pem`, `ca.key` | the CA: `CN=puressl certgen CA`, `basicConstraints=critical,CA:TRUE` |
//! | `server.pem`, `server.key` | `CN=localhost`, SAN `DNS:localhost, IP:127.0.0.1`, `serverAuth` |
//! | `client.pem`, `client.key` | `CN=puressl client`, `clientAuth` |
//!
//! Keys are P-256 in unencrypted PKCS#8 PEM (mode 0600 on Unix); the
//! certificates are valid from one minute ago for a year.

use std::path::{Path, PathBuf};

use puressl::crypto::{
    dump_certificate, dump_privatekey, FileType, KeyType, PKey, X509Extension, X509,
};

type BoxError = Box<dyn std::error::Error>;

/// One year, in seconds.
const VALIDITY: i64 = 365 * 24 * 3600;

/// Makes a certificate for `cn` with `key`, signed by `issuer` (or by itself)
/// and carrying the extensions `(name, critical, value)`.
fn make_cert(
    cn: &str,
    serial: u64,
    key: &PKey,
    issuer: Option<(&X509, &PKey)>,
    exts: &[(&str, bool, &str)],
) -> Result<X509, BoxError> {
    let mut cert = X509::new();
    cert.set_version(2)?;
    cert.set_serial_number(serial);
    cert.subject_mut().set("C", "US")?;
    cert.subject_mut().set("O", "puressl")?;
    cert.subject_mut().set("CN", cn)?;
    cert.set_pubkey(key)?;
    cert.gmtime_adj_not_before(-60)?;
    cert.gmtime_adj_not_after(VALIDITY)?;
    let mut extensions = Vec::new();
    for &(name, critical, value) in exts {
        extensions.push(X509Extension::new(name, critical, value)?);
    }
    extensions.push(X509Extension::with_subject_issuer(
        "subjectKeyIdentifier",
        false,
        "hash",
        Some(&cert),
        None,
    )?);
    match issuer {
        Some((ca, _)) => {
            cert.set_issuer(ca.subject());
            extensions.push(X509Extension::with_subject_issuer(
                "authorityKeyIdentifier",
                false,
                "keyid",
                None,
                Some(ca),
            )?);
        }
        None => {
            let name = cert.subject().clone();
            cert.set_issuer(&name);
        }
    }
    cert.add_extensions(extensions);
    let signer = issuer.map_or(key, |(_, k)| k);
    cert.sign(signer, "sha256")?;
    Ok(cert)
}

/// Writes `cert` as `NAME.pem` and `key` as `NAME.key` in `dir`.
fn write_pair(dir: &Path, name: &str, cert: &X509, key: &PKey) -> Result<(), BoxError> {
    let cert_path = dir.join(format!("{name}.pem"));
    std::fs::write(&cert_path, dump_certificate(FileType::Pem, cert)?)?;
    let key_path = dir.join(format!("{name}.key"));
    write_secret(&key_path, &dump_privatekey(FileType::Pem, key, None)?)?;
    println!("{}  {:?}", cert_path.display(), cert.subject());
    println!("{}", key_path.display());
    Ok(())
}

/// Writes a private key readable by its owner only.
#[cfg(unix)]
fn write_secret(path: &Path, data: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o600)
        .open(path)?;
    f.write_all(data)
}

#[cfg(not(unix))]
fn write_secret(path: &Path, data: &[u8]) -> std::io::Result<()> {
    std::fs::write(path, data)
}

fn main() -> Result<(), BoxError> {
    let mut args = std::env::args_os().skip(1);
    let (Some(out), None) = (args.next(), args.next()) else {
        return Err("usage: certgen OUTDIR".into());
    };
    let dir = PathBuf::from(out);
    std::fs::create_dir_all(&dir)?;

    let ca_key = PKey::generate_key(KeyType::Ec, 256)?;
    let ca = make_cert(
        "puressl certgen CA",
        1,
        &ca_key,
        None,
        &[
            ("basicConstraints", true, "CA:TRUE"),
            ("keyUsage", true, "keyCertSign, cRLSign"),
        ],
    )?;
    write_pair(&dir, "ca", &ca, &ca_key)?;

    let server_key = PKey::generate_key(KeyType::Ec, 256)?;
    let server = make_cert(
        "localhost",
        2,
        &server_key,
        Some((&ca, &ca_key)),
        &[
            ("basicConstraints", true, "CA:FALSE"),
            ("keyUsage", true, "digitalSignature"),
            ("extendedKeyUsage", false, "serverAuth"),
            ("subjectAltName", false, "DNS:localhost, IP:127.0.0.1"),
        ],
    )?;
    write_pair(&dir, "server", &server, &server_key)?;

    let client_key = PKey::generate_key(KeyType::Ec, 256)?;
    let client = make_cert(
        "puressl client",
        3,
        &client_key,
        Some((&ca, &ca_key)),
        &[
            ("basicConstraints", true, "CA:FALSE"),
            ("keyUsage", true, "digitalSignature"),
            ("extendedKeyUsage", false, "clientAuth"),
        ],
    )?;
    write_pair(&dir, "client", &client, &client_key)?;
    Ok(())
}
