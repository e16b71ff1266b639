use const_oid::ObjectIdentifier;
use sha2::Digest as _;

use super::{Error, Result};

/// A message digest, named as OpenSSL names it (`md5`, `sha1`, `sha224`,
/// `sha256`, `sha384`, `sha512`; case-insensitive).
///
/// ```
/// use puressl::crypto::MessageDigest;
/// let md = MessageDigest::from_name("SHA256").unwrap();
/// assert_eq!(md, MessageDigest::Sha256);
/// assert_eq!(md.name(), "sha256");
/// assert!(MessageDigest::from_name("monkeys").is_err());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MessageDigest {
    /// MD5 (insecure; for fingerprints and legacy formats).
    Md5,
    /// SHA-1 (insecure for signatures; still common in fingerprints).
    Sha1,
    /// SHA-224.
    Sha224,
    /// SHA-256.
    Sha256,
    /// SHA-384.
    Sha384,
    /// SHA-512.
    Sha512,
}

impl MessageDigest {
    /// Every digest puressl knows, in OpenSSL's usual order.
    pub const ALL: [MessageDigest; 6] = [
        MessageDigest::Md5,
        MessageDigest::Sha1,
        MessageDigest::Sha224,
        MessageDigest::Sha256,
        MessageDigest::Sha384,
        MessageDigest::Sha512,
    ];

    /// Looks a digest up by its OpenSSL name, ignoring case. Accepts the
    /// short names (`sha256`), the dashed forms (`sha-256`, `sha2-256`) and the
    /// OpenSSL long names (`SHA256`, `md5`).
    ///
    /// An unknown name is [`Error::UnknownDigest`].
    pub fn from_name(name: &str) -> Result<Self> {
        let n = name.trim().to_ascii_lowercase();
        let md = match n.as_str() {
            "md5" => Self::Md5,
            "sha1" | "sha-1" => Self::Sha1,
            "sha224" | "sha-224" | "sha2-224" => Self::Sha224,
            "sha256" | "sha-256" | "sha2-256" => Self::Sha256,
            "sha384" | "sha-384" | "sha2-384" => Self::Sha384,
            "sha512" | "sha-512" | "sha2-512" => Self::Sha512,
            _ => return Err(Error::UnknownDigest(name.to_owned())),
        };
        Ok(md)
    }

    /// The OpenSSL short name, lower case (`sha256`).
    pub fn name(self) -> &'static str {
        match self {
            Self::Md5 => "md5",
            Self::Sha1 => "sha1",
            Self::Sha224 => "sha224",
            Self::Sha256 => "sha256",
            Self::Sha384 => "sha384",
            Self::Sha512 => "sha512",
        }
    }

    /// The digest algorithm's object identifier.
    pub fn oid(self) -> ObjectIdentifier {
        use const_oid::db::rfc5912;
        match self {
            Self::Md5 => rfc5912::ID_MD_5,
            Self::Sha1 => rfc5912::ID_SHA_1,
            Self::Sha224 => rfc5912::ID_SHA_224,
            Self::Sha256 => rfc5912::ID_SHA_256,
            Self::Sha384 => rfc5912::ID_SHA_384,
            Self::Sha512 => rfc5912::ID_SHA_512,
        }
    }

    /// Looks a digest up by its object identifier.
    pub fn from_oid(oid: &ObjectIdentifier) -> Option<Self> {
        Self::ALL.into_iter().find(|md| md.oid() == *oid)
    }

    /// Output length in bytes.
    pub fn size(self) -> usize {
        match self {
            Self::Md5 => 16,
            Self::Sha1 => 20,
            Self::Sha224 => 28,
            Self::Sha256 => 32,
            Self::Sha384 => 48,
            Self::Sha512 => 64,
        }
    }

    /// Hashes `data` in one call.
    ///
    /// ```
    /// use puressl::crypto::MessageDigest;
    /// assert_eq!(MessageDigest::Sha1.hash(b"abc")[..4], [0xa9, 0x99, 0x3e, 0x36]);
    /// ```
    pub fn hash(self, data: &[u8]) -> Vec<u8> {
        match self {
            Self::Md5 => md5::Md5::digest(data).to_vec(),
            Self::Sha1 => sha1::Sha1::digest(data).to_vec(),
            Self::Sha224 => sha2::Sha224::digest(data).to_vec(),
            Self::Sha256 => sha2::Sha256::digest(data).to_vec(),
            Self::Sha384 => sha2::Sha384::digest(data).to_vec(),
            Self::Sha512 => sha2::Sha512::digest(data).to_vec(),
        }
    }
}

impl std::fmt::Display for MessageDigest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

impl std::str::FromStr for MessageDigest {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        Self::from_name(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_hash_sizes() {
        for md in MessageDigest::ALL {
            assert_eq!(MessageDigest::from_name(md.name()).unwrap(), md);
            assert_eq!(
                MessageDigest::from_name(&md.name().to_uppercase()).unwrap(),
                md
            );
            assert_eq!(md.hash(b"").len(), md.size());
            assert_eq!(MessageDigest::from_oid(&md.oid()), Some(md));
        }
        assert_eq!(
            hex(&MessageDigest::Md5.hash(b"abc")),
            "900150983cd24fb0d6963f7d28e17f72"
        );
        assert!(matches!(
            MessageDigest::from_name("zippers"),
            Err(Error::UnknownDigest(n)) if n == "zippers"
        ));
    }

    fn hex(b: &[u8]) -> String {
        b.iter().map(|x| format!("{x:02x}")).collect()
    }
}
