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

/// The digest argument of the signing functions ([`X509::sign`](super::X509::sign),
/// [`X509Req::sign`](super::X509Req::sign), [`X509Crl::sign`](super::X509Crl::sign),
/// [`sign`](super::sign), …): a [`MessageDigest`], an OpenSSL digest name as
/// pyOpenSSL takes it (`"sha256"`, any case), or no digest ([`DigestArg::NONE`],
/// pyOpenSSL's `""`, for Ed25519 keys, which hash internally).
///
/// Converting from a name never fails; an unknown name is reported as
/// [`Error::UnknownDigest`] by the call that uses it.
///
/// ```
/// use puressl::crypto::{DigestArg, MessageDigest};
/// assert_eq!(DigestArg::from("SHA256"), DigestArg::from(MessageDigest::Sha256));
/// assert_eq!(DigestArg::from(""), DigestArg::NONE);
/// assert_eq!(DigestArg::from("sha256").digest().unwrap(), MessageDigest::Sha256);
/// assert!(DigestArg::from("monkeys").digest().is_err());
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct DigestArg(Choice);

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Choice {
    Digest(MessageDigest),
    NoDigest,
    Unknown(String),
}

impl DigestArg {
    /// No separate digest: what Ed25519 signatures take (pyOpenSSL's `""`).
    pub const NONE: DigestArg = DigestArg(Choice::NoDigest);

    /// The digest this argument names. [`DigestArg::NONE`] and an unknown name
    /// are [`Error::UnknownDigest`] (with the name; `""` for none).
    pub fn digest(&self) -> Result<MessageDigest> {
        match &self.0 {
            Choice::Digest(md) => Ok(*md),
            Choice::NoDigest => Err(Error::UnknownDigest(String::new())),
            Choice::Unknown(n) => Err(Error::UnknownDigest(n.clone())),
        }
    }

    /// The digest to sign with for an Ed25519 key (`ed25519`) or another
    /// key: Ed25519 takes no digest ([`DigestArg::NONE`]; SHA-512 is what it
    /// uses inside), every other key type needs one. (A flag, not the key
    /// type, so that `digest` does not depend on `pkey`, which uses it.)
    pub(crate) fn for_signing(&self, ed25519: bool) -> Result<MessageDigest> {
        if !ed25519 {
            return self.digest();
        }
        match &self.0 {
            Choice::NoDigest => Ok(MessageDigest::Sha512),
            Choice::Digest(md) => Err(ed25519_takes_no_digest(md.name())),
            Choice::Unknown(n) => Err(ed25519_takes_no_digest(n)),
        }
    }
}

fn ed25519_takes_no_digest(given: &str) -> Error {
    Error::KeyTypeMismatch(format!(
        "Ed25519 signs without a separate digest: pass \"\" (DigestArg::NONE) instead of {given:?}"
    ))
}

impl From<MessageDigest> for DigestArg {
    fn from(md: MessageDigest) -> Self {
        DigestArg(Choice::Digest(md))
    }
}

impl From<Option<MessageDigest>> for DigestArg {
    /// `None` is [`DigestArg::NONE`].
    fn from(md: Option<MessageDigest>) -> Self {
        md.map_or(DigestArg::NONE, DigestArg::from)
    }
}

impl From<&str> for DigestArg {
    /// `""` is [`DigestArg::NONE`]; any other text is looked up with
    /// [`MessageDigest::from_name`] (an unknown name fails where it is used).
    fn from(name: &str) -> Self {
        if name.is_empty() {
            return DigestArg::NONE;
        }
        match MessageDigest::from_name(name) {
            Ok(md) => DigestArg(Choice::Digest(md)),
            Err(_) => DigestArg(Choice::Unknown(name.to_owned())),
        }
    }
}

impl From<&&str> for DigestArg {
    /// As `From<&str>` (for loops over arrays of names).
    fn from(name: &&str) -> Self {
        DigestArg::from(*name)
    }
}

impl From<&String> for DigestArg {
    fn from(name: &String) -> Self {
        DigestArg::from(name.as_str())
    }
}

impl From<String> for DigestArg {
    fn from(name: String) -> Self {
        DigestArg::from(name.as_str())
    }
}

impl From<&MessageDigest> for DigestArg {
    fn from(md: &MessageDigest) -> Self {
        DigestArg::from(*md)
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

    #[test]
    fn digest_arg_from_names_digests_and_none() {
        assert_eq!(
            DigestArg::from("Sha384").digest().unwrap(),
            MessageDigest::Sha384
        );
        assert_eq!(
            DigestArg::from(MessageDigest::Md5).digest().unwrap(),
            MessageDigest::Md5
        );
        assert_eq!(DigestArg::from(None), DigestArg::NONE);
        assert!(matches!(DigestArg::NONE.digest(), Err(Error::UnknownDigest(n)) if n.is_empty()));
        assert!(matches!(
            DigestArg::from("monkeys").for_signing(false),
            Err(Error::UnknownDigest(n)) if n == "monkeys"
        ));
        assert_eq!(
            DigestArg::NONE.for_signing(true).unwrap(),
            MessageDigest::Sha512
        );
        let e = DigestArg::from(MessageDigest::Sha256)
            .for_signing(true)
            .unwrap_err();
        assert!(e.to_string().contains("instead of \"sha256\""), "{e}");
    }

    fn hex(b: &[u8]) -> String {
        b.iter().map(|x| format!("{x:02x}")).collect()
    }
}
