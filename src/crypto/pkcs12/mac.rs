//! The PKCS#12 integrity MAC: HMAC keyed with the PKCS#12 KDF (RFC 7292
//! appendix B), over the authenticated safe.

use der::asn1::OctetString;
use der::Sequence;
use hmac::{KeyInit, Mac};
use spki::AlgorithmIdentifierOwned;

use super::kdf::{check_iterations, derive, Password, Purpose};
use super::pbe::SALT_LEN;
use crate::crypto::{Error, MessageDigest, Result};

/// `DigestInfo ::= SEQUENCE { digestAlgorithm AlgorithmIdentifier, digest OCTET STRING }`.
#[derive(Clone, Debug, Sequence)]
pub(crate) struct DigestInfo {
    pub(crate) algorithm: AlgorithmIdentifierOwned,
    pub(crate) digest: OctetString,
}

/// `MacData ::= SEQUENCE { mac DigestInfo, macSalt OCTET STRING, iterations INTEGER DEFAULT 1 }`.
#[derive(Clone, Debug, Sequence)]
pub(crate) struct MacData {
    pub(crate) mac: DigestInfo,
    pub(crate) mac_salt: OctetString,
    #[asn1(default = "one")]
    pub(crate) iterations: u32,
}

fn one() -> u32 {
    1
}

fn hmac_with<D: hmac::EagerHash>(key: &[u8], data: &[u8]) -> Result<Vec<u8>> {
    let mut m = <hmac::Hmac<D> as KeyInit>::new_from_slice(key)
        .map_err(|e| Error::failed_by("PKCS#12 MAC", "bad HMAC key length", e))?;
    m.update(data);
    Ok(m.finalize().into_bytes().to_vec())
}

fn hmac(md: MessageDigest, key: &[u8], data: &[u8]) -> Result<Vec<u8>> {
    match md {
        MessageDigest::Md5 => hmac_with::<md5::Md5>(key, data),
        MessageDigest::Sha1 => hmac_with::<sha1::Sha1>(key, data),
        MessageDigest::Sha224 => hmac_with::<sha2::Sha224>(key, data),
        MessageDigest::Sha256 => hmac_with::<sha2::Sha256>(key, data),
        MessageDigest::Sha384 => hmac_with::<sha2::Sha384>(key, data),
        MessageDigest::Sha512 => hmac_with::<sha2::Sha512>(key, data),
    }
}

fn compute(
    md: MessageDigest,
    pass: &Password,
    salt: &[u8],
    iter: u32,
    data: &[u8],
) -> Result<Vec<u8>> {
    let key = derive(md, &pass.bmp, salt, iter, Purpose::Mac, md.size());
    hmac(md, &key, data)
}

impl MacData {
    /// The MAC's digest, or an error naming the unsupported algorithm
    /// (e.g. PBMAC1 of RFC 9579).
    pub(crate) fn digest(&self) -> Result<MessageDigest> {
        MessageDigest::from_oid(&self.mac.algorithm.oid).ok_or_else(|| {
            Error::unsupported(format!("PKCS#12 MAC algorithm {}", self.mac.algorithm.oid))
        })
    }

    /// Whether the MAC over `data` verifies under `pass` (compared in constant time).
    pub(crate) fn verifies(&self, pass: &Password, data: &[u8]) -> Result<bool> {
        let md = self.digest()?;
        check_iterations(self.iterations, "MAC")?;
        let mac = compute(md, pass, self.mac_salt.as_bytes(), self.iterations, data)?;
        Ok(subtle::ConstantTimeEq::ct_eq(&mac[..], self.mac.digest.as_bytes()).into())
    }

    /// A fresh MAC over `data` with a random salt.
    pub(crate) fn create(
        md: MessageDigest,
        pass: &Password,
        iterations: u32,
        data: &[u8],
    ) -> Result<Self> {
        let mut salt = [0u8; SALT_LEN];
        crate::rand::fill(&mut salt);
        let mac = compute(md, pass, &salt, iterations, data)?;
        Ok(MacData {
            mac: DigestInfo {
                algorithm: AlgorithmIdentifierOwned {
                    oid: md.oid(),
                    parameters: Some(der::asn1::Null.into()),
                },
                digest: OctetString::new(mac)?,
            },
            mac_salt: OctetString::new(salt.to_vec())?,
            iterations,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn create_then_verify() {
        let p = Password::new(b"x");
        for md in [
            MessageDigest::Sha1,
            MessageDigest::Sha256,
            MessageDigest::Sha512,
        ] {
            let m = MacData::create(md, &p, 7, b"data").unwrap();
            assert!(m.verifies(&p, b"data").unwrap());
            assert!(!m.verifies(&p, b"datA").unwrap());
            assert!(!m.verifies(&Password::new(b"y"), b"data").unwrap());
        }
    }
}
