//! CA files, `c_rehash` directories and the system trust store.

use std::fmt;
use std::path::{Path, PathBuf};

use super::crl::X509Crl;
use crate::crypto::asn1::pem;
use crate::crypto::{Error, Result, X509Name, X509};

/// Labels `PEM_X509_INFO_read_bio` reads certificates and CRLs from.
const LABELS: &[&str] = &["CERTIFICATE", "X509 CERTIFICATE", "X509 CRL"];

/// Bundle files, in the order they are tried.
const DEFAULT_FILES: &[&str] = &[
    "/etc/ssl/certs/ca-certificates.crt",
    "/etc/pki/tls/certs/ca-bundle.crt",
    "/etc/ssl/ca-bundle.pem",
    "/etc/pki/ca-trust/extracted/pem/tls-ca-bundle.pem",
    "/etc/ssl/cert.pem",
    "/usr/lib/ssl/cert.pem",
    "/usr/local/share/certs/ca-root-nss.crt",
];

/// Hashed directories, in the order they are tried.
const DEFAULT_DIRS: &[&str] = &["/etc/ssl/certs", "/usr/lib/ssl/certs", "/etc/pki/tls/certs"];

/// A file that could not be read: the path, with the operating system's
/// error as the [`source`](std::error::Error::source). Carried inside an
/// [`Error::Io`] of the same [`kind`](std::io::Error::kind).
#[derive(Debug)]
struct PathError {
    path: PathBuf,
    source: std::io::Error,
}

impl fmt::Display for PathError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.path.display(), self.source)
    }
}

impl std::error::Error for PathError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.source)
    }
}

fn read(path: &Path) -> Result<Vec<u8>> {
    std::fs::read(path).map_err(|source| {
        let kind = source.kind();
        let path = path.to_path_buf();
        Error::Io(std::io::Error::new(kind, PathError { path, source }))
    })
}

/// Every certificate and CRL of a PEM file (`X509_load_cert_crl_file`);
/// a file with neither is an error.
pub(crate) fn load_file(path: &Path) -> Result<(Vec<X509>, Vec<X509Crl>)> {
    let data = read(path)?;
    let mut certs = Vec::new();
    let mut crls = Vec::new();
    for block in pem::decode_all(&data, LABELS)? {
        if block.label == "X509 CRL" {
            crls.push(X509Crl::from_der(&block.der)?);
        } else {
            certs.push(X509::from_der(&block.der)?);
        }
    }
    Ok((certs, crls))
}

/// The `HASH.N` (or `HASH.rN` with `crl`) files for `name` in `dir`, for
/// both name hashes, each list stopping at the first missing number.
fn hashed_files(dir: &Path, name: &X509Name, crl: bool) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let r = if crl { "r" } else { "" };
    let mut hashes = vec![name.hash(), name.hash_old()];
    hashes.dedup();
    for h in hashes {
        for n in 0u32.. {
            let p = dir.join(format!("{h:08x}.{r}{n}"));
            if !p.is_file() {
                break;
            }
            out.push(p);
        }
    }
    out
}

/// Certificates with subject `name` found in hashed directories.
pub(crate) fn dir_certs(dirs: &[PathBuf], name: &X509Name) -> Result<Vec<X509>> {
    let mut out = Vec::new();
    for d in dirs {
        for p in hashed_files(d, name, false) {
            let data = read(&p)?;
            for c in X509::stack_from_pem(&data)? {
                if c.subject() == name {
                    out.push(c);
                }
            }
        }
    }
    Ok(out)
}

/// CRLs with issuer `name` found in hashed directories.
pub(crate) fn dir_crls(dirs: &[PathBuf], name: &X509Name) -> Result<Vec<X509Crl>> {
    let mut out = Vec::new();
    for d in dirs {
        for p in hashed_files(d, name, true) {
            let data = read(&p)?;
            for c in X509Crl::stack_from_pem(&data)? {
                if c.issuer() == name {
                    out.push(c);
                }
            }
        }
    }
    Ok(out)
}

/// The system bundle file and hashed directory, from `SSL_CERT_FILE` /
/// `SSL_CERT_DIR` or the usual places.
pub(crate) fn default_paths() -> (Option<PathBuf>, Option<PathBuf>) {
    let env_file = std::env::var_os("SSL_CERT_FILE").map(PathBuf::from);
    let env_dir = std::env::var_os("SSL_CERT_DIR").map(PathBuf::from);
    if env_file.is_some() || env_dir.is_some() {
        return (
            env_file.filter(|p| p.is_file()),
            env_dir.filter(|p| p.is_dir()),
        );
    }
    let file = DEFAULT_FILES
        .iter()
        .map(PathBuf::from)
        .find(|p| p.is_file());
    let dir = DEFAULT_DIRS.iter().map(PathBuf::from).find(|p| p.is_dir());
    (file, dir)
}
