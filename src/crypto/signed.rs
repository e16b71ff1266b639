//! Signed DER structures (certificates, requests, CRLs): the one envelope
//! `SEQUENCE { tbs, signatureAlgorithm, signature BIT STRING }` they share,
//! the signature algorithm, signing a TBS encoding and checking its
//! signature.

use der::{Decode, Encode};
use spki::AlgorithmIdentifierOwned;

use super::asn1::objects;
use super::asn1::oid::oid_to_string;
use super::asn1::tlv::{self, bad, Tlv};
use super::{DigestArg, Error, MessageDigest, PKey, Result};

/// The AlgorithmIdentifier's OID, dotted.
pub(crate) fn algorithm_oid(alg_der: &[u8]) -> Result<String> {
    let seq =
        tlv::parse_one(alg_der, "AlgorithmIdentifier")?.expect(0x30, "AlgorithmIdentifier")?;
    let oid = seq.reader().read_tag(0x06, "algorithm")?;
    oid_to_string(oid.content)
}

/// OpenSSL's long name of a signature algorithm, or an error for an OID
/// OpenSSL does not know (pyOpenSSL raises `ValueError`).
pub(crate) fn algorithm_long_name(alg_der: &[u8]) -> Result<&'static str> {
    let oid = algorithm_oid(alg_der)?;
    objects::by_oid(&oid)
        .map(|o| o.ln)
        .ok_or_else(|| Error::unsupported(format!("undefined signature algorithm {oid}")))
}

/// Resolves the digest argument of `sign` for `key`: Ed25519 takes no
/// digest ([`DigestArg::NONE`], `""`), every other key type needs one.
pub(crate) fn signing_digest(key: &PKey, digest: DigestArg) -> Result<MessageDigest> {
    digest.for_signing(key.key_type() == crate::crypto::KeyType::Ed25519)
}

/// Signs `tbs` with `key`: `(AlgorithmIdentifier DER, BIT STRING content)`.
pub(crate) fn sign_tbs(key: &PKey, alg: &AlgorithmIdentifierOwned, tbs: &[u8]) -> Result<Vec<u8>> {
    if !key.is_private() {
        return Err(Error::PublicKeyOnly);
    }
    let sig = key.sign_with_algorithm(alg, tbs)?;
    let mut bits = Vec::with_capacity(sig.len() + 1);
    bits.push(0);
    bits.extend_from_slice(&sig);
    Ok(bits)
}

/// Verifies a signature over `tbs` made as `alg_der` says.
pub(crate) fn verify_tbs(key: &PKey, alg_der: &[u8], tbs: &[u8], bits: &[u8]) -> Result<()> {
    let alg = AlgorithmIdentifierOwned::from_der(alg_der)?;
    let sig = match bits.split_first() {
        Some((0, sig)) => sig,
        _ => return Err(bad("signature", "BIT STRING with unused bits")),
    };
    key.verify_with_algorithm(&alg, tbs, sig)
}

/// How one signed structure names its parts in errors.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Layout {
    /// The outer SEQUENCE (`Certificate`).
    outer: &'static str,
    /// The signed part (`TBSCertificate`).
    tbs: &'static str,
    /// The signature BIT STRING (`signatureValue`).
    signature: &'static str,
    /// What the structure is called in messages (`certificate`).
    noun: &'static str,
}

/// An X.509 certificate (RFC 5280 `Certificate`).
pub(crate) const CERTIFICATE: Layout = Layout {
    outer: "Certificate",
    tbs: "TBSCertificate",
    signature: "signatureValue",
    noun: "certificate",
};

/// A PKCS#10 request (RFC 2986 `CertificationRequest`).
pub(crate) const REQUEST: Layout = Layout {
    outer: "CertificationRequest",
    tbs: "CertificationRequestInfo",
    signature: "signature",
    noun: "certificate request",
};

/// A CRL (RFC 5280 `CertificateList`).
pub(crate) const CRL: Layout = Layout {
    outer: "CertificateList",
    tbs: "TBSCertList",
    signature: "signatureValue",
    noun: "CRL",
};

/// The signed envelope of a certificate, request or CRL: the outer
/// signatureAlgorithm, the signature, and the exact encoding while it still
/// matches the fields (a setter [`touch`](Self::touch)es it away; signing
/// makes a new one).
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Envelope {
    layout: &'static Layout,
    /// DER signatureAlgorithm of the outer structure.
    sig_alg: Option<Vec<u8>>,
    /// BIT STRING content of the signature (first octet: unused bits).
    signature: Option<Vec<u8>>,
    /// `(whole DER, TBS DER)` while they match the fields.
    encoded: Option<(Vec<u8>, Vec<u8>)>,
}

impl Envelope {
    /// The envelope of a new, unsigned structure.
    pub(crate) fn unsigned(layout: &'static Layout) -> Self {
        Self {
            layout,
            sig_alg: None,
            signature: None,
            encoded: None,
        }
    }

    /// Splits `der` (exactly one SEQUENCE) into the envelope and the TBS
    /// element, which the caller parses.
    pub(crate) fn parse<'a>(der: &'a [u8], layout: &'static Layout) -> Result<(Self, Tlv<'a>)> {
        let mut r = tlv::parse_tagged(der, 0x30, layout.outer)?.reader();
        let tbs = r.read_tag(0x30, layout.tbs)?;
        let sig_alg = r.read_tag(0x30, "signatureAlgorithm")?;
        let sig = r.read_tag(0x03, layout.signature)?;
        r.finish(layout.outer)?;
        if sig.content.is_empty() {
            return Err(bad(layout.signature, "empty BIT STRING"));
        }
        let envelope = Self {
            layout,
            sig_alg: Some(sig_alg.full.to_vec()),
            signature: Some(sig.content.to_vec()),
            encoded: Some((der.to_vec(), tbs.full.to_vec())),
        };
        Ok((envelope, tbs))
    }

    /// Forgets the exact encoding: a field changed.
    pub(crate) fn touch(&mut self) {
        self.encoded = None;
    }

    /// The DER encoding; an error once a field changed after signing.
    pub(crate) fn to_der(&self) -> Result<Vec<u8>> {
        match &self.encoded {
            Some((der, _)) => Ok(der.clone()),
            None => Err(Error::NotSigned {
                object: self.layout.noun,
            }),
        }
    }

    /// The TBS that is (or was) signed, else `encode`'s fresh one.
    pub(crate) fn tbs_der(&self, encode: impl FnOnce() -> Result<Vec<u8>>) -> Result<Vec<u8>> {
        match &self.encoded {
            Some((_, tbs)) => Ok(tbs.clone()),
            None => encode(),
        }
    }

    /// The DER of the outer signatureAlgorithm.
    pub(crate) fn algorithm_der(&self) -> Option<&[u8]> {
        self.sig_alg.as_deref()
    }

    /// The signature bytes (BIT STRING contents without the unused-bits octet).
    pub(crate) fn signature(&self) -> Option<&[u8]> {
        self.signature.as_deref().and_then(|b| b.get(1..))
    }

    /// `(signatureAlgorithm DER, BIT STRING content)`, or an error when unsigned.
    pub(crate) fn signed_parts(&self) -> Result<(&[u8], &[u8])> {
        match (&self.sig_alg, &self.signature) {
            (Some(a), Some(b)) => Ok((a, b)),
            _ => Err(Error::NotSigned {
                object: self.layout.noun,
            }),
        }
    }

    /// Signs `tbs` with `key` as `alg` says and keeps the new encoding.
    pub(crate) fn seal(&mut self, key: &PKey, alg: &Algorithm, tbs: Vec<u8>) -> Result<()> {
        let bits = sign_tbs(key, &alg.id, &tbs)?;
        let mut c = tbs.clone();
        c.extend_from_slice(&alg.der);
        tlv::push_tlv(&mut c, 0x03, &bits);
        self.sig_alg = Some(alg.der.clone());
        self.signature = Some(bits);
        self.encoded = Some((tlv::tlv(0x30, &c), tbs));
        Ok(())
    }
}

/// The signature algorithm a key signs with, and its DER.
pub(crate) struct Algorithm {
    id: AlgorithmIdentifierOwned,
    /// The AlgorithmIdentifier's DER (also the TBS `signature` field of
    /// certificates and CRLs).
    pub(crate) der: Vec<u8>,
}

impl Algorithm {
    /// What `key` signs with for digest `md`.
    pub(crate) fn new(key: &PKey, md: MessageDigest) -> Result<Self> {
        let id = key.signature_algorithm(md)?;
        let der = id.to_der()?;
        Ok(Self { id, der })
    }
}

/// The digest of a `sign(key, digest)` call, checked as [`signing_digest`]
/// does, and the key checked to be private.
pub(crate) fn signer_digest(key: &PKey, digest: DigestArg) -> Result<MessageDigest> {
    let md = signing_digest(key, digest)?;
    if !key.is_private() {
        return Err(Error::PublicKeyOnly);
    }
    Ok(md)
}

/// The accessors of `X509Name` fields of a signed structure (the issuer
/// and subject of `X509`, the subject of `X509Req`, the issuer of
/// `X509Crl`), one row a field: the getter's pyOpenSSL name as a
/// `doc(alias)`, then `fn field("owner"), [mut fn field_mut,] fn setter;`
/// for the name by reference (the getter is named as the field), for
/// in-place changes and the setter; both changes drop the cached signature
/// with `touch`. Doc lines after the alias are added to the getter's docs.
macro_rules! name_field_accessors {
    ($(
        #[doc(alias = $alias:literal)]
        $(#[$get_meta:meta])*
        fn $field:ident($owner:literal), $(mut fn $get_mut:ident,)? fn $set:ident;
    )*) => {$(
        #[doc = concat!("The ", stringify!($field), " name. pyOpenSSL `", $alias, "`.")]
        #[doc = ""]
        #[doc = concat!(
            "A reference into the ", $owner, ": `.clone()` it to keep or change a copy."
        )]
        $(#[$get_meta])*
        #[doc(alias = $alias)]
        pub fn $field(&self) -> &$crate::crypto::X509Name {
            &self.$field
        }

        $(
            #[doc = concat!("The ", stringify!($field), " name, for in-place changes ",
                "(pyOpenSSL's live `", $alias, "()` view, made explicit).")]
            pub fn $get_mut(&mut self) -> &mut $crate::crypto::X509Name {
                self.touch();
                &mut self.$field
            }
        )?

        #[doc = concat!("Sets the ", stringify!($field), " name (copied).")]
        pub fn $set(&mut self, name: &$crate::crypto::X509Name) {
            self.$field = name.clone();
            self.touch();
        }
    )*};
}
pub(crate) use name_field_accessors;

/// `version` and `set_version` of a signed structure holding its 0-based
/// version in `version`: the setter refuses anything above `$max` with
/// [`Error::OutOfRange`](crate::crypto::Error::OutOfRange) naming `$what`.
macro_rules! version_accessors {
    (
        $(#[$get_meta:meta])*
        fn version;
        $(#[$set_meta:meta])*
        fn set_version($what:literal, max $max:literal, $expected:literal);
    ) => {
        $(#[$get_meta])*
        pub fn version(&self) -> u8 {
            self.version
        }

        $(#[$set_meta])*
        pub fn set_version(&mut self, version: u8) -> $crate::crypto::Result<()> {
            if version > $max {
                return Err($crate::crypto::Error::out_of_range($what, version, $expected));
            }
            self.version = version;
            self.touch();
            Ok(())
        }
    };
}
pub(crate) use version_accessors;

/// `pubkey`, `public_key_der` and `set_pubkey` of a structure holding its
/// DER SubjectPublicKeyInfo in `spki` (`X509`, `X509Req`); `$owner` names
/// it in the error for a missing key.
macro_rules! public_key_accessors {
    ($owner:literal) => {
        #[doc = concat!(
                    "The public key (public only). pyOpenSSL `get_pubkey`; an error for a ", $owner,
                    " without a key or with a key type puressl cannot read."
                )]
        #[doc(alias = "get_pubkey")]
        pub fn pubkey(&self) -> $crate::crypto::Result<$crate::crypto::PKey> {
            let spki = self
                .spki
                .as_deref()
                .ok_or_else(|| $crate::crypto::Error::missing($owner, "public key"))?;
            $crate::crypto::PKey::public_key_from_der(spki)
        }

        /// The DER SubjectPublicKeyInfo.
        pub fn public_key_der(&self) -> Option<&[u8]> {
            self.spki.as_deref()
        }

        /// Sets the public key (only its public half is used).
        pub fn set_pubkey(&mut self, key: &$crate::crypto::PKey) -> $crate::crypto::Result<()> {
            self.spki = Some(key.public_key_to_der()?);
            self.touch();
            Ok(())
        }
    };
}
pub(crate) use public_key_accessors;
