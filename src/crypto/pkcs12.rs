//! `Pkcs12`: PKCS#12 (PFX) files, pyOpenSSL's `PKCS12` and `load_pkcs12`.

mod bags;
mod kdf;
mod mac;
mod pbe;

use super::{
    dump_certificate, load_certificate, Error, FileType, MessageDigest, PKey, Result, X509,
};
use bags::{BuildInput, BuildOptions};
use pbe::Scheme;

/// The contents of a PKCS#12 file: a private key, its certificate, further
/// (CA) certificates and a friendly name. pyOpenSSL's `PKCS12`.
///
/// Read one with [`load_pkcs12`]; build one with [`Pkcs12::new`] and the
/// setters, then [`export`](Pkcs12::export) it.
///
/// ```
/// use puressl::crypto::{load_pkcs12, KeyType, PKey, Pkcs12};
/// let key = PKey::generate_key(KeyType::Ec, 256)?;
/// let mut p12 = Pkcs12::new();
/// p12.set_privatekey(Some(key.clone()));
/// p12.set_friendly_name(Some(b"my key"));
/// let der = p12.export(Some(b"secret"), 2048, Some(2048))?;
///
/// let back = load_pkcs12(&der, Some(b"secret"))?;
/// assert_eq!(back.privatekey(), Some(&key));
/// // Without a certificate the friendly name is not reported (as pyOpenSSL).
/// assert_eq!(back.friendly_name(), None);
/// assert!(load_pkcs12(&der, Some(b"wrong")).is_err());
/// # Ok::<(), puressl::crypto::Error>(())
/// ```
#[doc(alias = "PKCS12")]
#[doc(alias = "PKCS12Type")]
#[derive(Clone, Debug, Default)]
pub struct Pkcs12 {
    certificate: Option<X509>,
    private_key: Option<PKey>,
    ca_certificates: Option<Vec<X509>>,
    friendly_name: Option<Vec<u8>>,
}

/// Which layout [`Pkcs12::export_as`] writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Pkcs12Format {
    /// What OpenSSL 3 writes by default: key and certificates encrypted with
    /// PBES2 (PBKDF2-HMAC-SHA256, AES-256-CBC), HMAC-SHA256 MAC.
    Modern,
    /// What pyOpenSSL's `export` wrote through `PKCS12_create`: key and
    /// certificates encrypted with `pbeWithSHAAnd3-KeyTripleDES-CBC`,
    /// HMAC-SHA1 MAC. Readable by OpenSSL 1.x and old Windows/Java; use it
    /// with pyOpenSSL's defaults `iter = 2048`, `mac_iter = Some(1)`.
    Legacy,
    /// What `openssl pkcs12 -export -legacy` (and OpenSSL 1.x by default)
    /// writes: certificates encrypted with `pbeWithSHAAnd40BitRC2-CBC`, the
    /// key with `pbeWithSHAAnd3-KeyTripleDES-CBC`, HMAC-SHA1 MAC.
    OpenSslLegacy,
}

impl Pkcs12 {
    /// An empty PKCS#12 (pyOpenSSL `PKCS12()`).
    pub fn new() -> Self {
        Self::default()
    }

    /// The certificate that belongs to the private key (pyOpenSSL
    /// `get_certificate`).
    #[doc(alias = "get_certificate")]
    pub fn certificate(&self) -> Option<&X509> {
        self.certificate.as_ref()
    }

    /// Sets (or clears) the certificate.
    pub fn set_certificate(&mut self, cert: Option<X509>) {
        self.certificate = cert;
    }

    /// The private key (pyOpenSSL `get_privatekey`).
    #[doc(alias = "get_privatekey")]
    pub fn privatekey(&self) -> Option<&PKey> {
        self.private_key.as_ref()
    }

    /// Sets (or clears) the private key.
    pub fn set_privatekey(&mut self, key: Option<PKey>) {
        self.private_key = key;
    }

    /// The other certificates, in file order (pyOpenSSL
    /// `get_ca_certificates`); `None` when there are none.
    #[doc(alias = "get_ca_certificates")]
    pub fn ca_certificates(&self) -> Option<&[X509]> {
        self.ca_certificates.as_deref()
    }

    /// Sets (or clears) the other certificates.
    pub fn set_ca_certificates(&mut self, certs: Option<Vec<X509>>) {
        self.ca_certificates = certs;
    }

    /// The friendly name (pyOpenSSL `get_friendlyname`): on load, the
    /// `friendlyName` of the certificate's bag, as UTF-8.
    #[doc(alias = "get_friendlyname")]
    pub fn friendly_name(&self) -> Option<&[u8]> {
        self.friendly_name.as_deref()
    }

    /// Sets (or clears) the friendly name (pyOpenSSL `set_friendlyname`).
    /// It must be UTF-8 of characters in the Basic Multilingual Plane
    /// (checked by `export`).
    #[doc(alias = "set_friendlyname")]
    pub fn set_friendly_name(&mut self, name: Option<&[u8]>) {
        self.friendly_name = name.map(<[u8]>::to_vec);
    }

    /// Writes the PKCS#12 in [`Pkcs12Format::Modern`] form, as OpenSSL 3
    /// does: PBES2/AES-256-CBC encryption with `iter` PBKDF2 iterations and
    /// an HMAC-SHA256 MAC with `mac_iter` iterations (`None`: no MAC, which
    /// pyOpenSSL spelled `maciter=-1`). See [`export_as`](Self::export_as).
    pub fn export(
        &self,
        passphrase: Option<&[u8]>,
        iter: u32,
        mac_iter: Option<u32>,
    ) -> Result<Vec<u8>> {
        self.export_as(Pkcs12Format::Modern, passphrase, iter, mac_iter)
    }

    /// Writes the PKCS#12 in [`Pkcs12Format::Legacy`] form, what
    /// pyOpenSSL's `export(passphrase, iter=2048, maciter=1)` wrote.
    pub fn export_legacy(
        &self,
        passphrase: Option<&[u8]>,
        iter: u32,
        mac_iter: Option<u32>,
    ) -> Result<Vec<u8>> {
        self.export_as(Pkcs12Format::Legacy, passphrase, iter, mac_iter)
    }

    /// Writes the PKCS#12 (DER) the way OpenSSL's `PKCS12_create` lays it
    /// out: the certificate and then the CA certificates in one encrypted
    /// safe, the encrypted key in a second one; the friendly name and a
    /// `localKeyID` (SHA-1 of the certificate) on both the key's and the
    /// certificate's bag.
    ///
    /// Errors: nothing to export; a private key that is public only or does
    /// not belong to the certificate (pyOpenSSL: `key values mismatch`); an
    /// iteration count of 0; a friendly name that is not UTF-8 or has
    /// characters outside the BMP.
    pub fn export_as(
        &self,
        format: Pkcs12Format,
        passphrase: Option<&[u8]>,
        iter: u32,
        mac_iter: Option<u32>,
    ) -> Result<Vec<u8>> {
        let key_der = match &self.private_key {
            Some(k) if !k.is_private() => return Err(Error::PublicKeyOnly),
            Some(k) => Some(k.private_key_to_pkcs8_der()?),
            None => None,
        };
        let cert_der = match &self.certificate {
            Some(c) => Some(dump_certificate(FileType::Asn1, c)?),
            None => None,
        };
        let local_key_id = match (&self.private_key, &self.certificate, &cert_der) {
            (Some(key), Some(cert), Some(der)) => {
                if cert.pubkey()?.public_key() != key.public_key() {
                    return Err(Error::KeyMismatch);
                }
                Some(MessageDigest::Sha1.hash(der))
            }
            _ => None,
        };
        let ca_der = self
            .ca_certificates
            .iter()
            .flatten()
            .map(|c| dump_certificate(FileType::Asn1, c))
            .collect::<Result<Vec<_>>>()?;
        let name = match &self.friendly_name {
            Some(n) => Some(
                std::str::from_utf8(n)
                    .map_err(|e| Error::invalid_string_by("friendly name", "not UTF-8", e))?,
            ),
            None => None,
        };
        let input = BuildInput {
            key_pkcs8: key_der.as_ref().map(|k| k.as_slice()),
            cert: cert_der.as_deref(),
            ca_certs: ca_der.iter().map(Vec::as_slice).collect(),
            friendly_name: name,
            local_key_id,
        };
        let opts = match format {
            Pkcs12Format::Modern => BuildOptions {
                cert_scheme: Scheme::Pbes2Aes256,
                key_scheme: Scheme::Pbes2Aes256,
                iterations: iter,
                mac: mac_iter.map(|i| (MessageDigest::Sha256, i)),
            },
            Pkcs12Format::Legacy | Pkcs12Format::OpenSslLegacy => BuildOptions {
                cert_scheme: if format == Pkcs12Format::Legacy {
                    Scheme::Sha1TripleDes
                } else {
                    Scheme::Sha1Rc2_40
                },
                key_scheme: Scheme::Sha1TripleDes,
                iterations: iter,
                mac: mac_iter.map(|i| (MessageDigest::Sha1, i)),
            },
        };
        bags::build(&input, &opts, passphrase)
    }
}

/// Reads a PKCS#12 file (DER or BER): pyOpenSSL `load_pkcs12(buffer,
/// passphrase)`, with OpenSSL's `PKCS12_parse` rules.
///
/// - The passphrase is checked against the MAC first; a wrong one is
///   [`Error::MacVerifyFailure`]. `None` and `Some(b"")` are the same and
///   open files written with no password or with the empty password (both
///   encodings are tried, as OpenSSL does). A file without a MAC only opens
///   without a passphrase.
/// - Passwords are UTF-8, converted to the BMPString PKCS#12 uses (bytes that
///   are not UTF-8 are taken as Latin-1, as OpenSSL does).
/// - The first private key is the key; the first certificate whose public key
///   matches it is the certificate, and its bag's `friendlyName` the friendly
///   name; every other certificate goes to the CA list, in file order. A
///   file without a key (`openssl pkcs12 -nokeys`) has no certificate, only
///   CA certificates.
/// - Supported encryption: PBES2 (PBKDF2 or scrypt with AES-CBC or 3DES),
///   the PKCS#12 PBEs with 3DES, 2-key 3DES, RC2-128 and RC2-40, PBES1. RC4,
///   PBMAC1 and public-key privacy/integrity modes are reported as
///   unsupported. CRL and secret bags and further keys are skipped, as
///   OpenSSL skips them.
/// - A corrupt file is an error naming the part that broke and the offset.
///
/// ```
/// let der = std::fs::read("tests/vectors/pkcs12/nopass.p12")?;
/// let p12 = puressl::crypto::load_pkcs12(&der, None)?;
/// assert!(p12.certificate().is_some());
/// assert_eq!(p12.ca_certificates().map(|c| c.len()), Some(2));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn load_pkcs12(buffer: &[u8], passphrase: Option<&[u8]>) -> Result<Pkcs12> {
    let contents = bags::parse(buffer, passphrase)?;
    let key = match &contents.key {
        Some(k) => Some(PKey::private_key_from_pkcs8_der(&k.pkcs8)?),
        None => None,
    };
    let mut certificate = None;
    let mut friendly_name = None;
    let mut cas = Vec::new();
    for entry in contents.certs {
        let cert = load_certificate(FileType::Asn1, &entry.der)?;
        if let (Some(k), None) = (&key, &certificate) {
            // X509_check_private_key: a certificate whose key cannot be read
            // simply does not match.
            if cert
                .pubkey()
                .is_ok_and(|p| p.public_key() == k.public_key())
            {
                certificate = Some(cert);
                friendly_name = entry.friendly_name.map(String::into_bytes);
                continue;
            }
        }
        cas.push(cert);
    }
    Ok(Pkcs12 {
        certificate,
        private_key: key,
        ca_certificates: if cas.is_empty() { None } else { Some(cas) },
        friendly_name,
    })
}
