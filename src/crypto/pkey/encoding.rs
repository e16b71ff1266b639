//! DER encodings of keys: SubjectPublicKeyInfo, PKCS#8 PrivateKeyInfo and the
//! "traditional" forms (PKCS#1 `RSAPrivateKey`, SEC1 `ECPrivateKey`,
//! OpenSSL's six-INTEGER `DSAPrivateKey`), written byte for byte as OpenSSL
//! writes them.

use const_oid::ObjectIdentifier;
use der::asn1::{AnyRef, BitStringRef, OctetStringRef, UintRef};
use der::{Decode, Encode, Sequence, Tagged};
use rsa::traits::{PrivateKeyParts, PublicKeyParts};
use rsa::BoxedUint;
use spki::{AlgorithmIdentifier, SubjectPublicKeyInfoRef};
use subtle::ConstantTimeEq;
use zeroize::Zeroizing;

use super::{Private, Public};
use crate::crypto::{Error, Result};

pub(crate) use crate::crypto::asn1::oid::ids::{
    DSA as OID_DSA, EC_PUBLIC_KEY as OID_EC, ED25519 as OID_ED25519, RSA_ENCRYPTION as OID_RSA,
    SECP256R1 as OID_P256, SECP384R1 as OID_P384, SECP521R1 as OID_P521,
};

/// DSA domain parameters (`Dss-Parms`).
#[derive(Sequence)]
struct DssParms<'a> {
    p: UintRef<'a>,
    q: UintRef<'a>,
    g: UintRef<'a>,
}

/// OpenSSL's traditional `DSA PRIVATE KEY`: version, p, q, g, y, x.
#[derive(Sequence)]
struct DsaPrivateKey<'a> {
    version: UintRef<'a>,
    p: UintRef<'a>,
    q: UintRef<'a>,
    g: UintRef<'a>,
    y: UintRef<'a>,
    x: UintRef<'a>,
}

/// Decodes `T` from `der`, turning "bytes left over" into [`Error::TrailingData`].
pub(crate) fn decode_strict<'a, T>(der: &'a [u8], what: &'static str) -> Result<T>
where
    T: Decode<'a, Error = der::Error>,
{
    T::from_der(der).map_err(|e| match e.kind() {
        der::ErrorKind::TrailingData { decoded, .. } => Error::TrailingData {
            what,
            offset: u32::from(decoded) as usize,
        },
        _ => Error::from(e),
    })
}

fn uint(bytes: &[u8]) -> Result<UintRef<'_>> {
    Ok(UintRef::new(bytes)?)
}

/// Big-endian bytes of a public number, without leading zeros.
fn be(n: &BoxedUint) -> Box<[u8]> {
    n.to_be_bytes_trimmed_vartime()
}

/// Big-endian bytes of a secret number, without leading zeros, wiped on drop.
fn be_secret(n: &BoxedUint) -> Zeroizing<Vec<u8>> {
    let full = Zeroizing::new(n.to_be_bytes());
    let start = full.iter().position(|b| *b != 0).unwrap_or(full.len());
    Zeroizing::new(full.get(start..).unwrap_or_default().to_vec())
}

fn to_big(bytes: &UintRef<'_>) -> BoxedUint {
    BoxedUint::from_be_slice_vartime(bytes.as_bytes())
}

/// `bytes` at the precision `bits` (that of the modulus it is used with:
/// crypto-bigint requires matching precisions and only debug-asserts them);
/// an error naming `what` when the value is wider.
fn to_big_at(bytes: &UintRef<'_>, bits: u32, what: &str) -> Result<BoxedUint> {
    BoxedUint::from_be_slice(bytes.as_bytes(), bits)
        .map_err(|_| Error::invalid_key(format!("DSA {what} is larger than its modulus")))
}

pub(crate) fn curve_oid(public: &Public) -> Option<ObjectIdentifier> {
    match public {
        Public::P256(_) => Some(OID_P256),
        Public::P384(_) => Some(OID_P384),
        Public::P521(_) => Some(OID_P521),
        _ => None,
    }
}

/// The uncompressed SEC1 point of an EC key.
pub(crate) fn ec_point(public: &Public) -> Option<Vec<u8>> {
    match public {
        Public::P256(k) => Some(k.to_sec1_point(false).as_bytes().to_vec()),
        Public::P384(k) => Some(k.to_sec1_point(false).as_bytes().to_vec()),
        Public::P521(k) => Some(k.to_sec1_point(false).as_bytes().to_vec()),
        _ => None,
    }
}

fn dsa_parms_der(k: &dsa::VerifyingKey) -> Result<Vec<u8>> {
    let c = k.components();
    let (p, q, g) = (be(c.p()), be(c.q()), be(c.g()));
    Ok(DssParms {
        p: uint(&p)?,
        q: uint(&q)?,
        g: uint(&g)?,
    }
    .to_der()?)
}

/// The AlgorithmIdentifier parameters of a key's SPKI / PKCS#8, as DER.
fn key_params_der(public: &Public) -> Result<(ObjectIdentifier, Option<Vec<u8>>)> {
    Ok(match public {
        Public::Rsa(_) => (OID_RSA, Some(AnyRef::NULL.to_der()?)),
        Public::Dsa(k) => (OID_DSA, Some(dsa_parms_der(k)?)),
        Public::P256(_) | Public::P384(_) | Public::P521(_) => {
            let oid = curve_oid(public).ok_or_else(|| Error::unsupported("curve"))?;
            (OID_EC, Some(oid.to_der()?))
        }
        Public::Ed25519(_) => (OID_ED25519, None),
    })
}

fn algorithm<'a>(
    oid: ObjectIdentifier,
    params: &'a Option<Vec<u8>>,
) -> Result<AlgorithmIdentifier<AnyRef<'a>>> {
    let parameters = match params {
        Some(p) => Some(AnyRef::from_der(p)?),
        None => None,
    };
    Ok(AlgorithmIdentifier { oid, parameters })
}

/// The raw `subjectPublicKey` bits.
fn public_key_bits(public: &Public) -> Result<Vec<u8>> {
    Ok(match public {
        Public::Rsa(k) => {
            let (n, e) = (be(k.n()), be(k.e()));
            pkcs1::RsaPublicKey {
                modulus: uint(&n)?,
                public_exponent: uint(&e)?,
            }
            .to_der()?
        }
        Public::Dsa(k) => uint(&be(k.y()))?.to_der()?,
        Public::P256(_) | Public::P384(_) | Public::P521(_) => {
            ec_point(public).ok_or_else(|| Error::unsupported("curve"))?
        }
        Public::Ed25519(k) => k.to_bytes().to_vec(),
    })
}

/// The DER SubjectPublicKeyInfo of a public key.
pub(crate) fn spki_der(public: &Public) -> Result<Vec<u8>> {
    let (oid, params) = key_params_der(public)?;
    let bits = public_key_bits(public)?;
    let spki = SubjectPublicKeyInfoRef {
        algorithm: algorithm(oid, &params)?,
        subject_public_key: BitStringRef::from_bytes(&bits)?,
    };
    Ok(spki.to_der()?)
}

fn curve_from_oid(oid: &ObjectIdentifier) -> Result<ObjectIdentifier> {
    if [OID_P256, OID_P384, OID_P521].contains(oid) {
        Ok(*oid)
    } else {
        Err(Error::unsupported(format!("elliptic curve {oid}")))
    }
}

fn ec_curve_param(params: Option<AnyRef<'_>>) -> Result<ObjectIdentifier> {
    let params = params.ok_or_else(|| Error::unsupported("EC key without curve parameters"))?;
    let oid: ObjectIdentifier = params.decode_as().map_err(|e| {
        Error::unsupported_by("EC key with explicit (not named) curve parameters", e)
    })?;
    curve_from_oid(&oid)
}

fn ec_public(curve: ObjectIdentifier, point: &[u8]) -> Result<Public> {
    let bad = |_| Error::invalid_key("EC public key is not a valid point on its curve");
    Ok(match curve {
        c if c == OID_P256 => {
            Public::P256(p256::ecdsa::VerifyingKey::from_sec1_bytes(point).map_err(bad)?)
        }
        c if c == OID_P384 => {
            Public::P384(p384::ecdsa::VerifyingKey::from_sec1_bytes(point).map_err(bad)?)
        }
        c if c == OID_P521 => {
            Public::P521(p521::ecdsa::VerifyingKey::from_sec1_bytes(point).map_err(bad)?)
        }
        c => return Err(Error::unsupported(format!("elliptic curve {c}"))),
    })
}

fn dsa_components(params: Option<AnyRef<'_>>) -> Result<dsa::Components> {
    let params = params.ok_or_else(|| Error::unsupported("DSA key without parameters"))?;
    let parms: DssParms<'_> = params.decode_as()?;
    make_components(&parms.p, &parms.q, &parms.g)
}

fn make_components(p: &UintRef<'_>, q: &UintRef<'_>, g: &UintRef<'_>) -> Result<dsa::Components> {
    // OpenSSL's limits (OPENSSL_DSA_MAX_MODULUS_BITS; q is a hash size): a
    // hostile key must not cost minutes of modular exponentiation.
    if p.as_bytes().len() > 10_000 / 8 || q.as_bytes().len() > 64 {
        return Err(Error::invalid_key(format!(
            "DSA parameters too large ({} bit p, {} bit q)",
            p.as_bytes().len() * 8,
            q.as_bytes().len() * 8
        )));
    }
    let p_bits = to_big(p).bits_precision();
    let (p, q, g) = (to_big(p), to_big(q), to_big_at(g, p_bits, "g")?);
    dsa::Components::from_components(p.clone(), q.clone(), g.clone())
        .or_else(|_| dsa::Components::from_components_unchecked(p, q, g))
        .map_err(|e| Error::invalid_key_by("invalid DSA parameters", e))
}

fn dsa_public(components: dsa::Components, y: &UintRef<'_>) -> Result<dsa::VerifyingKey> {
    let p = components.p();
    let y = to_big_at(y, p.bits_precision(), "y")?;
    if y >= **p {
        return Err(Error::invalid_key("DSA public key y is not below p"));
    }
    dsa::VerifyingKey::from_components(components, y)
        .map_err(|e| Error::invalid_key_by("invalid DSA public key", e))
}

/// An RSA public key from its modulus and exponent (any size OpenSSL accepts).
fn rsa_public(key: &pkcs1::RsaPublicKey<UintRef<'_>>) -> Result<rsa::PublicKey> {
    rsa::PublicKey::new_with_size_limits(
        to_big(&key.modulus),
        to_big(&key.public_exponent),
        16..=16384,
    )
    .map_err(|e| Error::invalid_key_by(format!("invalid RSA public key: {e}"), e))
}

/// Reads a PKCS#1 `RSAPublicKey` (`BEGIN RSA PUBLIC KEY`).
pub(crate) fn public_from_pkcs1_der(der: &[u8]) -> Result<Public> {
    let key: pkcs1::RsaPublicKey<UintRef<'_>> = decode_strict(der, "RSA public key")?;
    Ok(Public::Rsa(rsa_public(&key)?))
}

/// Reads a decoded SubjectPublicKeyInfo.
pub(crate) fn public_from_spki(spki: &SubjectPublicKeyInfoRef<'_>) -> Result<Public> {
    let alg = &spki.algorithm;
    let bits = spki
        .subject_public_key
        .as_bytes()
        .ok_or_else(|| Error::invalid_key("public key BIT STRING has unused bits"))?;
    match alg.oid {
        o if o == OID_RSA => {
            let key: pkcs1::RsaPublicKey<UintRef<'_>> = decode_strict(bits, "RSA public key")?;
            Ok(Public::Rsa(rsa_public(&key)?))
        }
        o if o == OID_DSA => {
            let components = dsa_components(alg.parameters)?;
            let y: UintRef<'_> = decode_strict(bits, "DSA public key")?;
            Ok(Public::Dsa(dsa_public(components, &y)?))
        }
        o if o == OID_EC => ec_public(ec_curve_param(alg.parameters)?, bits),
        o if o == OID_ED25519 => {
            let bytes: &[u8; 32] = bits
                .try_into()
                .map_err(|e| Error::invalid_key_by("Ed25519 public key is not 32 bytes", e))?;
            ed25519_dalek::VerifyingKey::from_bytes(bytes)
                .map(Public::Ed25519)
                .map_err(|e| Error::invalid_key_by("invalid Ed25519 public key", e))
        }
        o => Err(Error::unsupported(format!("public key algorithm {o}"))),
    }
}

/// Reads a DER SubjectPublicKeyInfo.
pub(crate) fn public_from_spki_der(der: &[u8]) -> Result<Public> {
    let spki: SubjectPublicKeyInfoRef<'_> = decode_strict(der, "SubjectPublicKeyInfo")?;
    public_from_spki(&spki)
}

// ---------------------------------------------------------------- private keys

fn rsa_pkcs1_der(k: &rsa::PrivateKey) -> Result<Zeroizing<Vec<u8>>> {
    let primes = k.primes();
    let (Some(p), Some(q), [_, _]) = (primes.first(), primes.get(1), primes) else {
        return Err(Error::unsupported("multi-prime RSA"));
    };
    let missing = || Error::invalid_key("RSA key without CRT values");
    let (n, e) = (be(k.n()), be(k.e()));
    let d = be_secret(k.d());
    let (p, q) = (be_secret(p), be_secret(q));
    let dp = be_secret(k.dp().ok_or_else(missing)?);
    let dq = be_secret(k.dq().ok_or_else(missing)?);
    let qinv = Zeroizing::new(k.crt_coefficient().ok_or_else(missing)?);
    let qinv = be_secret(&qinv);
    let key = pkcs1::RsaPrivateKey {
        modulus: uint(&n)?,
        public_exponent: uint(&e)?,
        private_exponent: uint(&d)?,
        prime1: uint(&p)?,
        prime2: uint(&q)?,
        exponent1: uint(&dp)?,
        exponent2: uint(&dq)?,
        coefficient: uint(&qinv)?,
        other_prime_infos: None,
    };
    Ok(Zeroizing::new(key.to_der()?))
}

fn ec_secret(private: &Private) -> Option<Zeroizing<Vec<u8>>> {
    match private {
        Private::P256(k) => Some(Zeroizing::new(Zeroizing::new(k.to_bytes()).to_vec())),
        Private::P384(k) => Some(Zeroizing::new(Zeroizing::new(k.to_bytes()).to_vec())),
        Private::P521(k) => Some(Zeroizing::new(Zeroizing::new(k.to_bytes()).to_vec())),
        _ => None,
    }
}

/// SEC1 `ECPrivateKey`; `with_curve` adds the `[0]` parameters (traditional
/// form), PKCS#8 leaves them out.
fn sec1_der(
    private: &Private,
    public: &Public,
    with_curve: bool,
    with_public: bool,
) -> Result<Zeroizing<Vec<u8>>> {
    let secret =
        ec_secret(private).ok_or_else(|| Error::KeyTypeMismatch("not an EC key".into()))?;
    let point = ec_point(public).ok_or_else(|| Error::KeyTypeMismatch("not an EC key".into()))?;
    let parameters = match (with_curve, curve_oid(public)) {
        (true, Some(oid)) => Some(sec1::EcParameters::NamedCurve(oid)),
        _ => None,
    };
    let key = sec1::EcPrivateKey {
        private_key: &secret,
        parameters,
        public_key: with_public.then_some(point.as_slice()),
    };
    Ok(Zeroizing::new(key.to_der()?))
}

fn dsa_der(k: &dsa::SigningKey) -> Result<Zeroizing<Vec<u8>>> {
    let vk = k.verifying_key();
    let c = vk.components();
    let (p, q, g, y) = (be(c.p()), be(c.q()), be(c.g()), be(vk.y()));
    let x = be_secret(k.x());
    let key = DsaPrivateKey {
        version: uint(&[0])?,
        p: uint(&p)?,
        q: uint(&q)?,
        g: uint(&g)?,
        y: uint(&y)?,
        x: uint(&x)?,
    };
    Ok(Zeroizing::new(key.to_der()?))
}

/// The content of the PKCS#8 `privateKey` OCTET STRING.
fn pkcs8_inner(
    private: &Private,
    public: &Public,
    with_ec_public: bool,
) -> Result<Zeroizing<Vec<u8>>> {
    match private {
        Private::Rsa(k) => rsa_pkcs1_der(k),
        Private::Dsa(k) => Ok(Zeroizing::new(uint(&be_secret(k.x()))?.to_der()?)),
        Private::P256(_) | Private::P384(_) | Private::P521(_) => {
            sec1_der(private, public, false, with_ec_public)
        }
        Private::Ed25519(k) => {
            let seed = Zeroizing::new(k.to_bytes());
            Ok(Zeroizing::new(
                OctetStringRef::new(seed.as_slice())?.to_der()?,
            ))
        }
    }
}

/// The unencrypted PKCS#8 PrivateKeyInfo (version 0, no public key), as
/// `openssl pkey` writes it.
pub(crate) fn pkcs8_der(private: &Private, with_ec_public: bool) -> Result<Zeroizing<Vec<u8>>> {
    let public = private.public();
    let (oid, params) = key_params_der(&public)?;
    let inner = pkcs8_inner(private, &public, with_ec_public)?;
    let info: pkcs8::PrivateKeyInfoRef<'_> =
        pkcs8::PrivateKeyInfo::new(algorithm(oid, &params)?, OctetStringRef::new(&inner)?);
    Ok(Zeroizing::new(info.to_der()?))
}

/// The traditional DER (`openssl pkey -traditional -outform DER`): PKCS#1
/// for RSA, SEC1 with the curve for EC, the six INTEGERs for DSA, and PKCS#8
/// for Ed25519 (which has no traditional form).
pub(crate) fn traditional_der(
    private: &Private,
    with_ec_public: bool,
) -> Result<Zeroizing<Vec<u8>>> {
    match private {
        Private::Rsa(k) => rsa_pkcs1_der(k),
        Private::Dsa(k) => dsa_der(k),
        Private::P256(_) | Private::P384(_) | Private::P521(_) => {
            sec1_der(private, &private.public(), true, with_ec_public)
        }
        Private::Ed25519(_) => pkcs8_der(private, true),
    }
}

/// Reads a PKCS#1 `RSAPrivateKey`.
pub(crate) fn private_from_pkcs1_der(der: &[u8]) -> Result<Private> {
    let key: pkcs1::RsaPrivateKey<UintRef<'_>> = decode_strict(der, "RSA private key")?;
    if key.other_prime_infos.is_some() {
        return Err(Error::unsupported("multi-prime RSA"));
    }
    if key.modulus.as_bytes().len() > 16384 / 8 {
        return Err(Error::invalid_key(format!(
            "RSA modulus of {} bits is over the 16384-bit limit",
            key.modulus.as_bytes().len() * 8
        )));
    }
    let secret = |u: &UintRef<'_>| to_big(u);
    let k = rsa::PrivateKey::from_components(
        to_big(&key.modulus),
        to_big(&key.public_exponent),
        secret(&key.private_exponent),
        vec![secret(&key.prime1), secret(&key.prime2)],
    )
    .map_err(|e| Error::invalid_key_by(format!("inconsistent RSA private key: {e}"), e))?;
    // The stored CRT values must agree with the ones derived from d, p, q.
    let same = |stored: &UintRef<'_>, derived: Option<&BoxedUint>| {
        derived.is_some_and(|d| bool::from(be_secret(d).as_slice().ct_eq(stored.as_bytes())))
    };
    let qinv = k.crt_coefficient();
    if !same(&key.exponent1, k.dp())
        || !same(&key.exponent2, k.dq())
        || !same(&key.coefficient, qinv.as_ref())
    {
        return Err(Error::invalid_key(
            "inconsistent RSA private key: CRT values do not match",
        ));
    }
    Ok(Private::Rsa(Box::new(super::RsaKey::new(k))))
}

fn ec_private(curve: ObjectIdentifier, secret: &[u8], point: Option<&[u8]>) -> Result<Private> {
    let bad = |_| Error::invalid_key("EC private key is out of range for its curve");
    let private = match curve {
        c if c == OID_P256 => {
            Private::P256(p256::ecdsa::SigningKey::from_slice(secret).map_err(bad)?)
        }
        c if c == OID_P384 => {
            Private::P384(p384::ecdsa::SigningKey::from_slice(secret).map_err(bad)?)
        }
        c if c == OID_P521 => {
            Private::P521(p521::ecdsa::SigningKey::from_slice(secret).map_err(bad)?)
        }
        c => return Err(Error::unsupported(format!("elliptic curve {c}"))),
    };
    if let Some(point) = point
        && ec_public(curve, point)?.ne_key(&private.public())
    {
        return Err(Error::invalid_key(
            "EC private key does not match its embedded public key",
        ));
    }
    Ok(private)
}

/// Reads a SEC1 `ECPrivateKey`; `curve` comes from the PKCS#8 algorithm
/// parameters when there are any.
pub(crate) fn private_from_sec1_der(
    der: &[u8],
    curve: Option<ObjectIdentifier>,
) -> Result<Private> {
    let key: sec1::EcPrivateKey<'_> = match decode_strict(der, "EC private key") {
        Ok(k) => k,
        Err(e) if sec1_has_explicit_curve(der) => {
            return Err(Error::unsupported_by(
                "EC key with explicit (not named) curve parameters",
                e,
            ))
        }
        Err(e) => return Err(e),
    };
    let own = match key.parameters {
        Some(sec1::EcParameters::NamedCurve(oid)) => Some(curve_from_oid(&oid)?),
        None => None,
    };
    let curve = match (curve, own) {
        (Some(a), Some(b)) if a != b => {
            return Err(Error::invalid_key("EC key names two different curves"))
        }
        (Some(a), _) | (None, Some(a)) => a,
        (None, None) => return Err(Error::invalid_key("EC private key without a curve")),
    };
    ec_private(curve, key.private_key, key.public_key)
}

/// Whether a SEC1 key carries explicit curve parameters (`[0]` holding a
/// SEQUENCE rather than an OID).
fn sec1_has_explicit_curve(der: &[u8]) -> bool {
    let Ok(items) = Vec::<AnyRef<'_>>::from_der(der) else {
        return false;
    };
    items.iter().any(|a| {
        matches!(a.tag(), der::Tag::ContextSpecific { number, .. } if number.value() == 0)
            && a.value().first() == Some(&0x30)
    })
}

/// Whether a plaintext EC private key DER (SEC1, or PKCS#8 holding SEC1)
/// comes without the optional public key.
pub(crate) fn ec_public_omitted(der: &[u8]) -> bool {
    let sec1 = |d: &[u8]| sec1::EcPrivateKey::from_der(d).is_ok_and(|k| k.public_key.is_none());
    match pkcs8::PrivateKeyInfoRef::from_der(der) {
        Ok(info) => sec1(info.private_key.as_bytes()),
        Err(_) => sec1(der),
    }
}

/// Reads OpenSSL's traditional `DSA PRIVATE KEY`.
pub(crate) fn private_from_dsa_der(der: &[u8]) -> Result<Private> {
    let key: DsaPrivateKey<'_> = decode_strict(der, "DSA private key")?;
    if key.version.as_bytes() != [0u8].as_slice() && !key.version.as_bytes().is_empty() {
        return Err(Error::invalid_key("DSA private key version is not 0"));
    }
    let components = make_components(&key.p, &key.q, &key.g)?;
    let vk = dsa_public(components, &key.y)?;
    dsa_private(vk, &key.x)
}

fn dsa_private(vk: dsa::VerifyingKey, x: &UintRef<'_>) -> Result<Private> {
    let c = vk.components();
    let expected_y = {
        let params = crypto_bigint::modular::BoxedMontyParams::new_vartime(c.p().clone());
        let x = Zeroizing::new(to_big(x));
        crypto_bigint::modular::BoxedMontyForm::new((**c.g()).clone(), &params)
            .pow(&x)
            .retrieve()
    };
    if expected_y != **vk.y() {
        return Err(Error::invalid_key(
            "DSA private key does not match its public key",
        ));
    }
    // (from_components keeps its own zeroizing copy.)
    let x = to_big_at(x, c.q().bits_precision(), "x")?;
    dsa::SigningKey::from_components(vk, x)
        .map(|k| Private::Dsa(Box::new(k)))
        .map_err(|e| Error::invalid_key_by("invalid DSA private key", e))
}

/// Reads an unencrypted PKCS#8 PrivateKeyInfo.
pub(crate) fn private_from_pkcs8_der(der: &[u8]) -> Result<Private> {
    let info: pkcs8::PrivateKeyInfoRef<'_> = decode_strict(der, "PKCS#8 private key")?;
    let alg = &info.algorithm;
    let inner = info.private_key.as_bytes();
    let private = match alg.oid {
        o if o == OID_RSA => private_from_pkcs1_der(inner)?,
        o if o == OID_EC => private_from_sec1_der(inner, Some(ec_curve_param(alg.parameters)?))?,
        o if o == OID_DSA => {
            let components = dsa_components(alg.parameters)?;
            let x: UintRef<'_> = decode_strict(inner, "DSA private key")?;
            let (p, g) = (components.p().clone(), components.g().clone());
            let params = crypto_bigint::modular::BoxedMontyParams::new_vartime(p);
            let y = crypto_bigint::modular::BoxedMontyForm::new((*g).clone(), &params)
                .pow(&Zeroizing::new(to_big(&x)))
                .retrieve();
            let y_bytes = be(&y);
            let vk = dsa_public(components, &uint(&y_bytes)?)?;
            dsa_private(vk, &x)?
        }
        o if o == OID_ED25519 => {
            let seed: &OctetStringRef = decode_strict(inner, "Ed25519 private key")?;
            let seed: &[u8; 32] = seed
                .as_bytes()
                .try_into()
                .map_err(|e| Error::invalid_key_by("Ed25519 private key is not 32 bytes", e))?;
            Private::Ed25519(ed25519_dalek::SigningKey::from_bytes(seed))
        }
        o => return Err(Error::unsupported(format!("private key algorithm {o}"))),
    };
    if let Some(pk) = info.public_key {
        let bits = pk.as_bytes().unwrap_or_default();
        let ok = match &private {
            Private::Ed25519(k) => k.verifying_key().as_bytes().as_slice() == bits,
            _ => true,
        };
        if !ok {
            return Err(Error::invalid_key(
                "private key does not match its public key",
            ));
        }
    }
    Ok(private)
}

/// Reads an unencrypted private key in any DER form: PKCS#8 or traditional
/// (PKCS#1, SEC1, DSA), told apart by their shape so the error is the one of
/// the right format.
pub(crate) fn private_from_any_der(der: &[u8]) -> Result<Private> {
    let items: Vec<AnyRef<'_>> = decode_strict(der, "private key")?;
    match (items.get(1).map(|a| a.tag()), items.len()) {
        (Some(der::Tag::Sequence), _) => private_from_pkcs8_der(der),
        (Some(der::Tag::OctetString), _) => private_from_sec1_der(der, None),
        (Some(der::Tag::Integer), 6) => private_from_dsa_der(der),
        (Some(der::Tag::Integer), _) => private_from_pkcs1_der(der),
        _ => Err(Error::malformed(
            "private key",
            "not a PKCS#8, PKCS#1, SEC1 or DSA private key",
        )),
    }
}

impl Public {
    /// Whether two public keys differ.
    fn ne_key(&self, other: &Public) -> bool {
        match (spki_der(self), spki_der(other)) {
            (Ok(a), Ok(b)) => a != b,
            _ => true,
        }
    }
}
