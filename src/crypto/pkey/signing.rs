//! Signatures: RSA PKCS#1 v1.5 and RSASSA-PSS, DSA, ECDSA (DER encoded) and
//! Ed25519, and the AlgorithmIdentifiers OpenSSL writes for them.

use const_oid::ObjectIdentifier;
use der::asn1::Any;
use der::{Decode, Encode, Sequence};
use signature::hazmat::{PrehashVerifier, RandomizedPrehashSigner};
use signature::{Signer, Verifier};
use spki::AlgorithmIdentifierOwned;

use super::rsa_private::RsaError;
use super::{KeyType, Private, Public};
use crate::crypto::asn1::oid::ids;
use crate::crypto::{Error, MessageDigest, Result};
use crate::provider::nistp256::ecdsa as nistp256;

/// One row of [`SIG_OIDS`]: digest, RSA PKCS#1 v1.5, ECDSA and DSA OIDs.
type SigRow = (
    MessageDigest,
    Option<ObjectIdentifier>,
    Option<ObjectIdentifier>,
    Option<ObjectIdentifier>,
);

/// The signature OIDs OpenSSL uses for each digest (`None`: OpenSSL refuses).
const SIG_OIDS: [SigRow; 6] = [
    (MessageDigest::Md5, Some(ids::MD5_WITH_RSA), None, None),
    (
        MessageDigest::Sha1,
        Some(ids::SHA1_WITH_RSA),
        Some(ids::ECDSA_WITH_SHA1),
        Some(ids::DSA_WITH_SHA1),
    ),
    (
        MessageDigest::Sha224,
        Some(ids::SHA224_WITH_RSA),
        Some(ids::ECDSA_WITH_SHA224),
        Some(ids::DSA_WITH_SHA224),
    ),
    (
        MessageDigest::Sha256,
        Some(ids::SHA256_WITH_RSA),
        Some(ids::ECDSA_WITH_SHA256),
        Some(ids::DSA_WITH_SHA256),
    ),
    (
        MessageDigest::Sha384,
        Some(ids::SHA384_WITH_RSA),
        Some(ids::ECDSA_WITH_SHA384),
        Some(ids::DSA_WITH_SHA384),
    ),
    (
        MessageDigest::Sha512,
        Some(ids::SHA512_WITH_RSA),
        Some(ids::ECDSA_WITH_SHA512),
        Some(ids::DSA_WITH_SHA512),
    ),
];

use crate::crypto::asn1::oid::ids::{
    ED25519 as OID_ED25519, MGF1 as OID_MGF1, RSASSA_PSS as OID_RSASSA_PSS,
};

/// A signature scheme, as an AlgorithmIdentifier describes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Scheme {
    RsaPkcs1(MessageDigest),
    RsaPss { md: MessageDigest, salt: usize },
    Ecdsa(MessageDigest),
    Dsa(MessageDigest),
    Ed25519,
}

impl Scheme {
    fn key_type(self) -> KeyType {
        match self {
            Scheme::RsaPkcs1(_) | Scheme::RsaPss { .. } => KeyType::Rsa,
            Scheme::Ecdsa(_) => KeyType::Ec,
            Scheme::Dsa(_) => KeyType::Dsa,
            Scheme::Ed25519 => KeyType::Ed25519,
        }
    }
}

/// `RSASSA-PSS-params` (RFC 4055).
#[derive(Sequence)]
struct PssParams {
    #[asn1(context_specific = "0", optional = "true")]
    hash: Option<AlgorithmIdentifierOwned>,
    #[asn1(context_specific = "1", optional = "true")]
    mask_gen: Option<AlgorithmIdentifierOwned>,
    #[asn1(context_specific = "2", optional = "true")]
    salt_length: Option<u32>,
    #[asn1(context_specific = "3", optional = "true")]
    trailer_field: Option<u32>,
}

fn digest_of(alg: &AlgorithmIdentifierOwned) -> Result<MessageDigest> {
    MessageDigest::from_oid(&alg.oid)
        .ok_or_else(|| Error::unsupported(format!("digest {}", alg.oid)))
}

fn parse_pss(params: Option<&Any>) -> Result<Scheme> {
    let params = params.ok_or_else(|| Error::unsupported("RSASSA-PSS without parameters"))?;
    let p: PssParams = params.decode_as()?;
    let md = match &p.hash {
        Some(h) => digest_of(h)?,
        None => MessageDigest::Sha1,
    };
    let mgf_md = match &p.mask_gen {
        Some(m) if m.oid == OID_MGF1 => {
            let inner: AlgorithmIdentifierOwned = m
                .parameters
                .as_ref()
                .ok_or_else(|| Error::unsupported("MGF1 without a digest"))?
                .decode_as()?;
            digest_of(&inner)?
        }
        Some(m) => return Err(Error::unsupported(format!("mask generation {}", m.oid))),
        None => MessageDigest::Sha1,
    };
    if mgf_md != md {
        return Err(Error::unsupported(format!(
            "RSASSA-PSS with hash {md} and MGF1 hash {mgf_md}"
        )));
    }
    if p.trailer_field.is_some_and(|t| t != 1) {
        return Err(Error::unsupported("RSASSA-PSS trailer field other than 1"));
    }
    let salt = p.salt_length.unwrap_or(20) as usize;
    Ok(Scheme::RsaPss { md, salt })
}

fn parse(alg: &AlgorithmIdentifierOwned) -> Result<Scheme> {
    if alg.oid == OID_RSASSA_PSS {
        return parse_pss(alg.parameters.as_ref());
    }
    if alg.oid == OID_ED25519 {
        return Ok(Scheme::Ed25519);
    }
    for (md, rsa, ec, dsa) in SIG_OIDS {
        if rsa == Some(alg.oid) {
            return Ok(Scheme::RsaPkcs1(md));
        }
        if ec == Some(alg.oid) {
            return Ok(Scheme::Ecdsa(md));
        }
        if dsa == Some(alg.oid) {
            return Ok(Scheme::Dsa(md));
        }
    }
    Err(Error::unsupported(format!(
        "signature algorithm {}",
        alg.oid
    )))
}

/// The AlgorithmIdentifier OpenSSL writes for `kind` signing with `md`.
pub(crate) fn signature_algorithm(
    kind: KeyType,
    md: MessageDigest,
) -> Result<AlgorithmIdentifierOwned> {
    let row = SIG_OIDS.iter().find(|r| r.0 == md);
    let (oid, parameters) = match kind {
        KeyType::Rsa => (row.and_then(|r| r.1), Some(Any::null())),
        KeyType::Ec => (row.and_then(|r| r.2), None),
        KeyType::Dsa => (row.and_then(|r| r.3), None),
        KeyType::Ed25519 => (Some(OID_ED25519), None),
    };
    let oid =
        oid.ok_or_else(|| Error::unsupported(format!("{} signatures with {md}", kind.name())))?;
    Ok(AlgorithmIdentifierOwned { oid, parameters })
}

/// Runs `$body` with `$D` bound to the digest type of `$md`.
macro_rules! with_digest {
    ($md:expr, $D:ident => $body:expr) => {
        match $md {
            MessageDigest::Md5 => {
                type $D = md5::Md5;
                $body
            }
            MessageDigest::Sha1 => {
                type $D = sha1::Sha1;
                $body
            }
            MessageDigest::Sha224 => {
                type $D = sha2::Sha224;
                $body
            }
            MessageDigest::Sha256 => {
                type $D = sha2::Sha256;
                $body
            }
            MessageDigest::Sha384 => {
                type $D = sha2::Sha384;
                $body
            }
            MessageDigest::Sha512 => {
                type $D = sha2::Sha512;
                $body
            }
        }
    };
}

/// ECDSA over a prehash with the curve module `$c` (DER signature out).
macro_rules! ecdsa_sign {
    ($c:ident, $k:expr, $hash:expr) => {{
        let sig: $c::ecdsa::DerSignature =
            $k.sign_prehash_with_rng(&mut crate::rand::Rng, $hash)
                .map_err(|e| Error::failed_by("ECDSA signing", e.to_string(), e))?;
        Ok(sig.as_bytes().to_vec())
    }};
}

/// ECDSA verification of a DER signature over a prehash.
macro_rules! ecdsa_verify {
    ($c:ident, $k:expr, $hash:expr, $sig:expr) => {{
        let sig = $c::ecdsa::Signature::from_der($sig).map_err(|_| Error::BadSignature)?;
        $k.verify_prehash($hash, &sig)
            .map_err(|_| Error::BadSignature)
    }};
}

/// ECDSA P-256 signing on the provider's constant-time P-256 code (the
/// `p256` crate only holds the key): hedged RFC 6979 nonces, the same
/// signature as p256's `sign_prehash_with_rng` for the same randomness.
fn p256_sign(k: &p256::ecdsa::SigningKey, hash: &[u8]) -> Result<Vec<u8>> {
    let secret = zeroize::Zeroizing::new(<[u8; 32]>::from(k.to_bytes()));
    let key = nistp256::SigningKey::from_bytes(&secret)
        .map_err(|e| Error::failed_by("ECDSA signing", e.to_string(), e))?;
    key.sign_prehash_hedged(hash)
        .map_err(|e| Error::failed_by("ECDSA signing", e.to_string(), e))
}

/// ECDSA P-256 verification on the provider's P-256 code, which is
/// several times faster than the `p256` crate's (hashes shorter than 256
/// bits are zero-extended, longer ones truncated, as SEC 1 says).
fn p256_verify(k: &p256::ecdsa::VerifyingKey, hash: &[u8], sig: &[u8]) -> Result<()> {
    let key = nistp256::VerifyingKey::from_sec1(k.to_sec1_point(false).as_bytes())
        .map_err(|_| Error::BadSignature)?;
    if key.verify_prehash(hash, sig) {
        Ok(())
    } else {
        Err(Error::BadSignature)
    }
}

/// The crate error for a failed fast RSA signature.
fn rsa_error(e: RsaError) -> Error {
    match e {
        RsaError::Rng(e) => Error::Rng(e),
        e => Error::failed_by("RSA signing", e.to_string(), e),
    }
}

fn sign_scheme(private: &Private, scheme: Scheme, data: &[u8]) -> Result<Vec<u8>> {
    let mut rng = crate::rand::Rng;
    let mismatch = || {
        Error::KeyTypeMismatch(format!(
            "a {} key cannot make {:?} signatures",
            private.public().kind().name(),
            scheme
        ))
    };
    match (private, scheme) {
        (Private::Rsa(k), Scheme::RsaPkcs1(md)) => {
            let hash = md.hash(data);
            if let Some(fast) = k.fast() {
                return fast.sign_pkcs1v15(md, &hash).map_err(rsa_error);
            }
            with_digest!(md, D => k.sign_with_rng(&mut rng, rsa::Pkcs1v15Sign::new::<D>(), &hash))
                .map_err(|e| {
                    Error::failed_by(
                        "RSA signing",
                        format!("{e} (digest too big for the key?)"),
                        e,
                    )
                })
        }
        (Private::Rsa(k), Scheme::RsaPss { md, salt }) => {
            let hash = md.hash(data);
            if let Some(fast) = k.fast() {
                return fast.sign_pss(md, &hash, salt).map_err(rsa_error);
            }
            with_digest!(md, D => k.sign_with_rng(&mut rng, rsa::pss::Pss::<D>::new_with_salt(salt), &hash))
                .map_err(|e| Error::failed_by("RSA-PSS signing", format!("{e} (digest too big for the key?)"), e))
        }
        (Private::Dsa(k), Scheme::Dsa(md)) => {
            let sig = k
                .sign_prehash_with_rng(&mut rng, &md.hash(data))
                .map_err(|e| Error::failed_by("DSA signing", e.to_string(), e))?;
            Ok(sig.to_der()?)
        }
        (Private::P256(k), Scheme::Ecdsa(md)) => p256_sign(k, &md.hash(data)),
        (Private::P384(k), Scheme::Ecdsa(md)) => ecdsa_sign!(p384, k, &md.hash(data)),
        (Private::P521(k), Scheme::Ecdsa(md)) => ecdsa_sign!(p521, k, &md.hash(data)),
        (Private::Ed25519(k), Scheme::Ed25519) => Ok(k.sign(data).to_bytes().to_vec()),
        _ => Err(mismatch()),
    }
}

fn verify_scheme(public: &Public, scheme: Scheme, data: &[u8], sig: &[u8]) -> Result<()> {
    if public.kind() != scheme.key_type() {
        return Err(Error::KeyTypeMismatch(format!(
            "a {} key cannot check {:?} signatures",
            public.kind().name(),
            scheme
        )));
    }
    match (public, scheme) {
        (Public::Rsa(k), Scheme::RsaPkcs1(md)) => {
            let hash = md.hash(data);
            with_digest!(md, D => k.verify(rsa::Pkcs1v15Sign::new::<D>(), &hash, sig))
                .map_err(|_| Error::BadSignature)
        }
        (Public::Rsa(k), Scheme::RsaPss { md, salt }) => {
            let hash = md.hash(data);
            with_digest!(md, D => k.verify(rsa::pss::Pss::<D>::new_with_salt(salt), &hash, sig))
                .map_err(|_| Error::BadSignature)
        }
        (Public::Dsa(k), Scheme::Dsa(md)) => {
            let sig = dsa::Signature::from_der(sig).map_err(|_| Error::BadSignature)?;
            k.verify_prehash(&md.hash(data), &sig)
                .map_err(|_| Error::BadSignature)
        }
        (Public::P256(k), Scheme::Ecdsa(md)) => p256_verify(k, &md.hash(data), sig),
        (Public::P384(k), Scheme::Ecdsa(md)) => ecdsa_verify!(p384, k, &md.hash(data), sig),
        (Public::P521(k), Scheme::Ecdsa(md)) => ecdsa_verify!(p521, k, &md.hash(data), sig),
        (Public::Ed25519(k), Scheme::Ed25519) => {
            let sig = ed25519_dalek::Signature::from_slice(sig).map_err(|_| Error::BadSignature)?;
            k.verify(data, &sig).map_err(|_| Error::BadSignature)
        }
        _ => Err(Error::BadSignature),
    }
}

fn plain_scheme(kind: KeyType, md: MessageDigest) -> Scheme {
    match kind {
        KeyType::Rsa => Scheme::RsaPkcs1(md),
        KeyType::Dsa => Scheme::Dsa(md),
        KeyType::Ec => Scheme::Ecdsa(md),
        KeyType::Ed25519 => Scheme::Ed25519,
    }
}

/// `crypto::sign`: any digest with RSA, DSA and ECDSA; Ed25519 signs `data`.
pub(crate) fn sign(private: &Private, data: &[u8], md: MessageDigest) -> Result<Vec<u8>> {
    sign_scheme(private, plain_scheme(private.public().kind(), md), data)
}

/// `crypto::verify`.
pub(crate) fn verify(public: &Public, data: &[u8], sig: &[u8], md: MessageDigest) -> Result<()> {
    verify_scheme(public, plain_scheme(public.kind(), md), data, sig)
}

pub(crate) fn sign_with_algorithm(
    private: &Private,
    alg: &AlgorithmIdentifierOwned,
    tbs: &[u8],
) -> Result<Vec<u8>> {
    sign_scheme(private, parse(alg)?, tbs)
}

pub(crate) fn verify_with_algorithm(
    public: &Public,
    alg: &AlgorithmIdentifierOwned,
    tbs: &[u8],
    sig: &[u8],
) -> Result<()> {
    verify_scheme(public, parse(alg)?, tbs, sig)
}

impl Public {
    pub(crate) fn kind(&self) -> KeyType {
        match self {
            Public::Rsa(_) => KeyType::Rsa,
            Public::Dsa(_) => KeyType::Dsa,
            Public::P256(_) | Public::P384(_) | Public::P521(_) => KeyType::Ec,
            Public::Ed25519(_) => KeyType::Ed25519,
        }
    }
}
