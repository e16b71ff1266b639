//! Object identifiers: the public [`Oid`] type and the one table of the
//! OIDs puressl's own code names.
//!
//! Constants are `const_oid` [`ObjectIdentifier`]s (from `const_oid::db`
//! where it names them); [`Oid`] is what the API returns, because names and
//! request attributes may carry arcs wider than `const_oid`'s 32 bits
//! (`2.25.<UUID>`), which OpenSSL reads and prints.

use std::fmt;
use std::str::FromStr;

use const_oid::ObjectIdentifier;

use super::tlv::bad;
use crate::crypto::{Error, Result};

/// An ASN.1 OBJECT IDENTIFIER: what [`NameEntry::oid`](crate::crypto::NameEntry::oid),
/// [`ReqAttribute::oid`](crate::crypto::ReqAttribute::oid) and
/// [`X509Extension::oid`](crate::crypto::X509Extension::oid) return.
///
/// It prints dotted (`2.5.4.3`), parses from dotted text, and compares
/// with dotted text and with `const_oid` constants.
///
/// ```
/// use puressl::crypto::{Oid, X509Name};
/// let mut name = X509Name::new();
/// name.set("CN", "example.test")?;
/// let oid = name.entries()[0].oid();
/// assert_eq!(oid.to_string(), "2.5.4.3");
/// assert_eq!(oid, "2.5.4.3");
/// assert_eq!(oid, "2.5.4.3".parse::<Oid>()?);
/// assert_eq!(oid.as_bytes(), [0x55, 0x04, 0x03]);
/// # Ok::<(), puressl::crypto::Error>(())
/// ```
#[doc(alias = "ASN1_OBJECT")]
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Oid(Vec<u8>);

impl Oid {
    /// From the content octets of a DER OBJECT IDENTIFIER (checked).
    pub fn from_der_content(content: &[u8]) -> Result<Self> {
        oid_to_string(content)?;
        Ok(Self(content.to_vec()))
    }

    /// From content octets already checked by [`oid_to_string`].
    pub(crate) fn from_valid(content: Vec<u8>) -> Self {
        Self(content)
    }

    /// The content octets of its DER encoding (no tag or length).
    pub fn as_bytes(&self) -> &[u8] {
        &self.0
    }

    /// The dotted text (`2.5.4.3`).
    fn dotted(&self) -> String {
        // Checked on construction: cannot fail.
        oid_to_string(&self.0).unwrap_or_default()
    }
}

impl fmt::Display for Oid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.dotted())
    }
}

impl fmt::Debug for Oid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Oid({})", self.dotted())
    }
}

impl FromStr for Oid {
    type Err = Error;

    /// Dotted text; anything else (`CN`, `3.1`, `2.5..4`) is an error.
    fn from_str(text: &str) -> Result<Self> {
        Ok(Self(oid_from_string(text)?))
    }
}

impl From<ObjectIdentifier> for Oid {
    fn from(oid: ObjectIdentifier) -> Self {
        Self(oid.as_bytes().to_vec())
    }
}

impl From<&ObjectIdentifier> for Oid {
    fn from(oid: &ObjectIdentifier) -> Self {
        Self(oid.as_bytes().to_vec())
    }
}

impl PartialEq<ObjectIdentifier> for Oid {
    fn eq(&self, other: &ObjectIdentifier) -> bool {
        self.0 == other.as_bytes()
    }
}

impl PartialEq<Oid> for ObjectIdentifier {
    fn eq(&self, other: &Oid) -> bool {
        self.as_bytes() == other.0
    }
}

impl PartialEq<str> for Oid {
    fn eq(&self, other: &str) -> bool {
        oid_from_string(other).is_ok_and(|b| b == self.0)
    }
}

impl PartialEq<&str> for Oid {
    fn eq(&self, other: &&str) -> bool {
        *self == **other
    }
}

/// Dotted text of OID content octets (arcs up to 128 bits).
pub(crate) fn oid_to_string(content: &[u8]) -> Result<String> {
    let err = || bad("OBJECT IDENTIFIER", "malformed encoding");
    if content.is_empty() || content.last().is_some_and(|b| b & 0x80 != 0) {
        return Err(err());
    }
    let mut arcs: Vec<u128> = Vec::new();
    let mut cur: u128 = 0;
    let mut fresh = true;
    for &b in content {
        if fresh && b == 0x80 {
            return Err(err()); // leading 0x80: not minimal
        }
        fresh = false;
        if cur > (u128::MAX >> 7) {
            return Err(bad("OBJECT IDENTIFIER", "arc larger than 128 bits"));
        }
        cur = (cur << 7) | u128::from(b & 0x7f);
        if b & 0x80 == 0 {
            arcs.push(cur);
            cur = 0;
            fresh = true;
        }
    }
    let mut s = String::new();
    for (i, a) in arcs.iter().enumerate() {
        if i == 0 {
            let (x, y) = match *a {
                v if v < 40 => (0, v),
                v if v < 80 => (1, v - 40),
                v => (2, v - 80),
            };
            s.push_str(&format!("{x}.{y}"));
        } else {
            s.push_str(&format!(".{a}"));
        }
    }
    Ok(s)
}

/// OID content octets of a dotted string such as `2.5.4.3`.
pub(crate) fn oid_from_string(text: &str) -> Result<Vec<u8>> {
    let err = || bad("OBJECT IDENTIFIER", format!("{text:?} is not a dotted OID"));
    let arcs: Vec<u128> = text
        .split('.')
        .map(|p| {
            if p.is_empty() || !p.bytes().all(|b| b.is_ascii_digit()) {
                Err(err())
            } else {
                p.parse::<u128>().map_err(|_| err())
            }
        })
        .collect::<Result<_>>()?;
    let (first, second) = match arcs.as_slice() {
        [a, b, ..] => (*a, *b),
        _ => return Err(err()),
    };
    if first > 2 || (first < 2 && second >= 40) {
        return Err(err());
    }
    let mut out = Vec::new();
    let lead = (first * 40).checked_add(second).ok_or_else(err)?;
    for a in std::iter::once(lead).chain(arcs.iter().skip(2).copied()) {
        let mut tmp = vec![(a & 0x7f) as u8];
        let mut v = a >> 7;
        while v > 0 {
            tmp.push(0x80 | (v & 0x7f) as u8);
            v >>= 7;
        }
        out.extend(tmp.iter().rev());
    }
    Ok(out)
}

/// The OIDs puressl's code names, in one table (DER content octets checked
/// at compile time by `const_oid`).
pub(crate) mod ids {
    use const_oid::ObjectIdentifier as O;

    const fn o(dotted: &str) -> O {
        O::new_unwrap(dotted)
    }

    // Name attributes.
    pub(crate) const COMMON_NAME: O = o("2.5.4.3");
    pub(crate) const COUNTRY: O = o("2.5.4.6");
    pub(crate) const LOCALITY: O = o("2.5.4.7");
    pub(crate) const STATE: O = o("2.5.4.8");
    pub(crate) const STREET: O = o("2.5.4.9");
    pub(crate) const ORGANIZATION: O = o("2.5.4.10");
    pub(crate) const ORGANIZATIONAL_UNIT: O = o("2.5.4.11");
    pub(crate) const DOMAIN_COMPONENT: O = o("0.9.2342.19200300.100.1.25");
    pub(crate) const USER_ID: O = o("0.9.2342.19200300.100.1.1");
    pub(crate) const EMAIL_ADDRESS: O = o("1.2.840.113549.1.9.1");

    // PKCS#9 request attributes.
    pub(crate) const CHALLENGE_PASSWORD: O = o("1.2.840.113549.1.9.7");
    pub(crate) const EXTENSION_REQUEST: O = o("1.2.840.113549.1.9.14");
    pub(crate) const MS_EXTENSION_REQUEST: O = o("1.3.6.1.4.1.311.2.1.14");

    // PKCS#7 content types.
    pub(crate) const ID_DATA: O = o("1.2.840.113549.1.7.1");
    pub(crate) const ID_SIGNED_DATA: O = o("1.2.840.113549.1.7.2");
    pub(crate) const ID_ENVELOPED_DATA: O = o("1.2.840.113549.1.7.3");
    pub(crate) const ID_SIGNED_AND_ENVELOPED_DATA: O = o("1.2.840.113549.1.7.4");
    pub(crate) const ID_DIGESTED_DATA: O = o("1.2.840.113549.1.7.5");
    pub(crate) const ID_ENCRYPTED_DATA: O = o("1.2.840.113549.1.7.6");

    // PKCS#12 bags and PKCS#9 bag attributes.
    pub(crate) const KEY_BAG: O = o("1.2.840.113549.1.12.10.1.1");
    pub(crate) const SHROUDED_KEY_BAG: O = o("1.2.840.113549.1.12.10.1.2");
    pub(crate) const CERT_BAG: O = o("1.2.840.113549.1.12.10.1.3");
    pub(crate) const SAFE_CONTENTS_BAG: O = o("1.2.840.113549.1.12.10.1.6");
    pub(crate) const X509_CERTIFICATE: O = o("1.2.840.113549.1.9.22.1");
    pub(crate) const FRIENDLY_NAME: O = o("1.2.840.113549.1.9.20");
    pub(crate) const LOCAL_KEY_ID: O = o("1.2.840.113549.1.9.21");

    // Password-based encryption (PKCS#5, PKCS#12).
    pub(crate) const PKCS5: O = o("1.2.840.113549.1.5");
    pub(crate) const PBE_MD5_DES: O = o("1.2.840.113549.1.5.3");
    pub(crate) const PBE_MD5_RC2_64: O = o("1.2.840.113549.1.5.6");
    pub(crate) const PBE_SHA1_DES: O = o("1.2.840.113549.1.5.10");
    pub(crate) const PBE_SHA1_RC2_64: O = o("1.2.840.113549.1.5.11");
    pub(crate) const PBES2: O = o("1.2.840.113549.1.5.13");
    pub(crate) const PBE_SHA1_RC4_128: O = o("1.2.840.113549.1.12.1.1");
    pub(crate) const PBE_SHA1_RC4_40: O = o("1.2.840.113549.1.12.1.2");
    pub(crate) const PBE_SHA1_3DES: O = o("1.2.840.113549.1.12.1.3");
    pub(crate) const PBE_SHA1_2DES: O = o("1.2.840.113549.1.12.1.4");
    pub(crate) const PBE_SHA1_RC2_128: O = o("1.2.840.113549.1.12.1.5");
    pub(crate) const PBE_SHA1_RC2_40: O = o("1.2.840.113549.1.12.1.6");

    // Certificate and CRL extensions.
    pub(crate) const SUBJECT_KEY_IDENTIFIER: O = o("2.5.29.14");
    pub(crate) const KEY_USAGE: O = o("2.5.29.15");
    pub(crate) const SUBJECT_ALT_NAME: O = o("2.5.29.17");
    pub(crate) const BASIC_CONSTRAINTS: O = o("2.5.29.19");
    pub(crate) const CRL_NUMBER: O = o("2.5.29.20");
    pub(crate) const CRL_REASON: O = o("2.5.29.21");
    pub(crate) const DELTA_CRL_INDICATOR: O = o("2.5.29.27");
    pub(crate) const ISSUING_DISTRIBUTION_POINT: O = o("2.5.29.28");
    pub(crate) const CERTIFICATE_ISSUER: O = o("2.5.29.29");
    pub(crate) const NAME_CONSTRAINTS: O = o("2.5.29.30");
    pub(crate) const CRL_DISTRIBUTION_POINTS: O = o("2.5.29.31");
    pub(crate) const CERTIFICATE_POLICIES: O = o("2.5.29.32");
    pub(crate) const POLICY_MAPPINGS: O = o("2.5.29.33");
    pub(crate) const AUTHORITY_KEY_IDENTIFIER: O = o("2.5.29.35");
    pub(crate) const POLICY_CONSTRAINTS: O = o("2.5.29.36");
    pub(crate) const EXT_KEY_USAGE: O = o("2.5.29.37");
    pub(crate) const INHIBIT_ANY_POLICY: O = o("2.5.29.54");
    pub(crate) const NS_CERT_TYPE: O = o("2.16.840.1.113730.1.1");
    pub(crate) const IP_ADDR_BLOCKS: O = o("1.3.6.1.5.5.7.1.7");
    pub(crate) const AUTONOMOUS_SYS_IDS: O = o("1.3.6.1.5.5.7.1.8");
    pub(crate) const PROXY_CERT_INFO: O = o("1.3.6.1.5.5.7.1.14");
    pub(crate) const OCSP_NO_CHECK: O = o("1.3.6.1.5.5.7.48.1.5");

    // Extended key usages.
    pub(crate) const KP_SERVER_AUTH: O = o("1.3.6.1.5.5.7.3.1");
    pub(crate) const KP_CLIENT_AUTH: O = o("1.3.6.1.5.5.7.3.2");
    pub(crate) const KP_CODE_SIGNING: O = o("1.3.6.1.5.5.7.3.3");
    pub(crate) const KP_EMAIL_PROTECTION: O = o("1.3.6.1.5.5.7.3.4");
    pub(crate) const KP_TIME_STAMPING: O = o("1.3.6.1.5.5.7.3.8");
    pub(crate) const KP_OCSP_SIGNING: O = o("1.3.6.1.5.5.7.3.9");
    pub(crate) const KP_DVCS: O = o("1.3.6.1.5.5.7.3.10");
    pub(crate) const ANY_EXTENDED_KEY_USAGE: O = o("2.5.29.37.0");
    pub(crate) const NS_SGC: O = o("2.16.840.1.113730.4.1");
    pub(crate) const MS_SGC: O = o("1.3.6.1.4.1.311.10.3.3");

    // Public key algorithms and curves.
    pub(crate) const RSA_ENCRYPTION: O = o("1.2.840.113549.1.1.1");
    pub(crate) const DSA: O = o("1.2.840.10040.4.1");
    pub(crate) const EC_PUBLIC_KEY: O = o("1.2.840.10045.2.1");
    pub(crate) const ED25519: O = o("1.3.101.112");
    pub(crate) const ED448: O = o("1.3.101.113");
    pub(crate) const SECP256R1: O = o("1.2.840.10045.3.1.7");
    pub(crate) const SECP384R1: O = o("1.3.132.0.34");
    pub(crate) const SECP521R1: O = o("1.3.132.0.35");

    // Signature algorithms.
    pub(crate) const MD2_WITH_RSA: O = o("1.2.840.113549.1.1.2");
    pub(crate) const MD4_WITH_RSA: O = o("1.2.840.113549.1.1.3");
    pub(crate) const MD5_WITH_RSA: O = o("1.2.840.113549.1.1.4");
    pub(crate) const SHA1_WITH_RSA: O = o("1.2.840.113549.1.1.5");
    pub(crate) const MGF1: O = o("1.2.840.113549.1.1.8");
    pub(crate) const RSASSA_PSS: O = o("1.2.840.113549.1.1.10");
    pub(crate) const SHA256_WITH_RSA: O = o("1.2.840.113549.1.1.11");
    pub(crate) const SHA384_WITH_RSA: O = o("1.2.840.113549.1.1.12");
    pub(crate) const SHA512_WITH_RSA: O = o("1.2.840.113549.1.1.13");
    pub(crate) const SHA224_WITH_RSA: O = o("1.2.840.113549.1.1.14");
    pub(crate) const SHA1_WITH_RSA_OIW: O = o("1.3.14.3.2.29");
    pub(crate) const DSA_WITH_SHA1: O = o("1.2.840.10040.4.3");
    pub(crate) const DSA_WITH_SHA1_OIW: O = o("1.3.14.3.2.27");
    pub(crate) const DSA_WITH_SHA224: O = o("2.16.840.1.101.3.4.3.1");
    pub(crate) const DSA_WITH_SHA256: O = o("2.16.840.1.101.3.4.3.2");
    pub(crate) const DSA_WITH_SHA384: O = o("2.16.840.1.101.3.4.3.3");
    pub(crate) const DSA_WITH_SHA512: O = o("2.16.840.1.101.3.4.3.4");
    pub(crate) const ECDSA_WITH_SHA1: O = o("1.2.840.10045.4.1");
    pub(crate) const ECDSA_WITH_SHA224: O = o("1.2.840.10045.4.3.1");
    pub(crate) const ECDSA_WITH_SHA256: O = o("1.2.840.10045.4.3.2");
    pub(crate) const ECDSA_WITH_SHA384: O = o("1.2.840.10045.4.3.3");
    pub(crate) const ECDSA_WITH_SHA512: O = o("1.2.840.10045.4.3.4");

    // Digests.
    pub(crate) const SHA256: O = o("2.16.840.1.101.3.4.2.1");
    pub(crate) const SHA384: O = o("2.16.840.1.101.3.4.2.2");
    pub(crate) const SHA512: O = o("2.16.840.1.101.3.4.2.3");
    pub(crate) const SHA224: O = o("2.16.840.1.101.3.4.2.4");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn oids() {
        for s in [
            "2.5.4.3",
            "1.2.840.113549.1.9.1",
            "2.25.329800735698586629295641978511506172918",
            "0.9.2342.19200300.100.1.1",
        ] {
            let enc = oid_from_string(s).unwrap();
            assert_eq!(oid_to_string(&enc).unwrap(), s);
        }
        assert_eq!(oid_from_string("2.5.4.3").unwrap(), [0x55, 4, 3]);
        assert!(oid_from_string("CN").is_err());
        assert!(oid_from_string("3.1").is_err());
        assert!(oid_to_string(&[0x80, 0x01]).is_err());
    }

    #[test]
    fn oid_type_compares_with_text_and_constants() {
        let cn: Oid = "2.5.4.3".parse().unwrap();
        assert_eq!(cn, ids::COMMON_NAME);
        assert_eq!(cn, "2.5.4.3");
        assert_ne!(cn, "2.5.4.30");
        assert_eq!(cn.to_string(), "2.5.4.3");
        assert_eq!(format!("{cn:?}"), "Oid(2.5.4.3)");
        let big: Oid = "2.25.329800735698586629295641978511506172918"
            .parse()
            .unwrap();
        assert_eq!(
            big.to_string(),
            "2.25.329800735698586629295641978511506172918"
        );
        assert!(Oid::from_der_content(&[0x80, 0x01]).is_err());
        assert!("CN".parse::<Oid>().is_err());
    }
}
