//! Encrypted private keys: PKCS#8 `EncryptedPrivateKeyInfo` (PBES2 with
//! PBKDF2 or scrypt; PKCS#12-style `PBE-SHA1-3DES`) and OpenSSL's legacy
//! `Proc-Type: 4,ENCRYPTED` PEM.

use const_oid::ObjectIdentifier;
use der::asn1::{AnyRef, OctetStringRef};
use der::{Decode, Encode, Sequence};
use spki::AlgorithmIdentifierRef;
use zeroize::Zeroizing;

use super::cipher::{bmp_password, bytes_to_key_md5, pkcs12_kdf_sha1, Cbc};
use super::encoding::decode_strict;
use crate::crypto::asn1::oid::ids;
use crate::crypto::{Error, Result};

/// PKCS#12 PBE schemes (SHA-1 KDF) and their ciphers.
const PKCS12_PBE: [(ObjectIdentifier, Cbc); 4] = [
    (ids::PBE_SHA1_3DES, Cbc::DesEde3),
    (ids::PBE_SHA1_2DES, Cbc::DesEde2),
    (ids::PBE_SHA1_RC2_128, Cbc::Rc2_128),
    (ids::PBE_SHA1_RC2_40, Cbc::Rc2_40),
];

/// PKCS#5 v1.5 PBES1 schemes: PBKDF1 with MD5 or SHA-1, DES or RC2-64.
const PBES1: [(ObjectIdentifier, bool, Cbc); 4] = [
    (ids::PBE_MD5_DES, false, Cbc::Des),
    (ids::PBE_MD5_RC2_64, false, Cbc::Rc2_64),
    (ids::PBE_SHA1_DES, true, Cbc::Des),
    (ids::PBE_SHA1_RC2_64, true, Cbc::Rc2_64),
];
/// The PKCS#5 arc (PBES1 schemes and PBES2).
use crate::crypto::asn1::oid::ids::PKCS5 as OID_PKCS5;

/// Most iterations accepted for the legacy PBE schemes (a hostile file must
/// not keep a loader busy for minutes; pkcs5 caps PBKDF2 likewise).
const MAX_PBE_ITERATIONS: u32 = 10_000_000;

/// Most memory scrypt may use while loading a key (OpenSSL's default limit).
const MAX_SCRYPT_MEMORY: u128 = 32 * 1024 * 1024;

/// PBKDF2 iterations OpenSSL uses when writing (`PKCS5_DEFAULT_ITER`).
const PBKDF2_ITERATIONS: u32 = 2048;

/// `EncryptedPrivateKeyInfo` with the algorithm kept as raw DER.
#[derive(Sequence)]
struct EncryptedPrivateKeyInfo<'a> {
    algorithm: AnyRef<'a>,
    encrypted_data: &'a OctetStringRef,
}

/// PKCS#12 `pkcs-12PbeParams`, also PBES1's `PBEParameter`.
#[derive(Sequence)]
struct PbeParams<'a> {
    salt: &'a OctetStringRef,
    iterations: u32,
}

/// Whether `der` is shaped like an `EncryptedPrivateKeyInfo`.
pub(crate) fn is_encrypted_pkcs8(der: &[u8]) -> bool {
    EncryptedPrivateKeyInfo::from_der(der)
        .ok()
        .and_then(|e| e.algorithm.decode_as::<AlgorithmIdentifierRef<'_>>().ok())
        .is_some()
}

/// A PBES2 decryption error: an algorithm or parameters the `pkcs5` crate
/// refuses are [`Error::UnsupportedAlgorithm`] (keeping its error), anything
/// else is a wrong passphrase or corrupt data.
fn map_pkcs5(e: pkcs5::Error) -> Error {
    let algorithm = match e {
        pkcs5::Error::UnsupportedAlgorithm { oid } => format!("key encryption algorithm {oid}"),
        pkcs5::Error::NoPbes1CryptSupport => "this PBES1 key encryption scheme".into(),
        pkcs5::Error::AlgorithmParametersInvalid { oid } => {
            format!("key encryption parameters for {oid}")
        }
        _ => return Error::BadDecrypt,
    };
    Error::unsupported_by(algorithm, e)
}

/// Decrypts an `EncryptedPrivateKeyInfo` to the PrivateKeyInfo DER.
pub(crate) fn decrypt_pkcs8(der: &[u8], password: &[u8]) -> Result<Zeroizing<Vec<u8>>> {
    let info: EncryptedPrivateKeyInfo<'_> = decode_strict(der, "encrypted PKCS#8 key")?;
    let alg: AlgorithmIdentifierRef<'_> = info.algorithm.decode_as()?;
    let data = info.encrypted_data.as_bytes();
    let pbe_params = || -> Result<PbeParams<'_>> {
        let p: PbeParams<'_> = alg
            .parameters
            .ok_or_else(|| Error::unsupported(format!("{} without parameters", alg.oid)))?
            .decode_as()?;
        if p.iterations > MAX_PBE_ITERATIONS {
            return Err(Error::LimitExceeded {
                what: "PBE iteration count".into(),
                reason: format!("{} is over the limit of {MAX_PBE_ITERATIONS}", p.iterations),
            });
        }
        Ok(p)
    };
    if let Some((_, cipher)) = PKCS12_PBE.iter().find(|(o, _)| *o == alg.oid) {
        let params = pbe_params()?;
        let pw = bmp_password(password);
        let salt = params.salt.as_bytes();
        let key = pkcs12_kdf_sha1(&pw, salt, 1, params.iterations, cipher.key_len());
        let iv = pkcs12_kdf_sha1(&pw, salt, 2, params.iterations, cipher.iv_len());
        return cipher.decrypt(&key, &iv, data);
    }
    if let Some((_, sha1, cipher)) = PBES1.iter().find(|(o, _, _)| *o == alg.oid) {
        let params = pbe_params()?;
        let dk = pbkdf1(*sha1, password, params.salt.as_bytes(), params.iterations);
        let (key, iv) = dk.split_at(8);
        return cipher.decrypt(key, iv, data);
    }
    if !alg.oid.starts_with(OID_PKCS5) {
        return Err(Error::unsupported(format!(
            "key encryption algorithm {}",
            alg.oid
        )));
    }
    let oid = alg.oid;
    let scheme = pkcs5::EncryptionScheme::try_from(alg)
        .map_err(|e| Error::unsupported_by(format!("key encryption scheme {oid}"), e))?;
    check_kdf_limits(&scheme)?;
    let plain = scheme.decrypt(password, data).map_err(map_pkcs5)?;
    Ok(Zeroizing::new(plain))
}

/// Refuses PBES2 key-derivation parameters read from a file that would
/// panic inside the `pkcs5` crate or keep a loader busy for minutes: scrypt
/// `N` must be a power of two of at least 2 and need at most
/// [`MAX_SCRYPT_MEMORY`] (counted as OpenSSL does, `128·r·(N + 2 + p)`
/// bytes); PBKDF2 may run at most pkcs5's own cap of iterations (which
/// pkcs5 enforces only when writing).
pub(crate) fn check_kdf_limits(scheme: &pkcs5::EncryptionScheme) -> Result<()> {
    let Some(pbes2) = scheme.pbes2() else {
        return Ok(());
    };
    if let Some(scrypt) = pbes2.kdf.scrypt() {
        let n = scrypt.cost_parameter;
        if n < 2 || !n.is_power_of_two() {
            return Err(Error::LimitExceeded {
                what: "scrypt parameters".into(),
                reason: format!("cost parameter N = {n} is not a power of two above 1"),
            });
        }
        let memory = 128u128
            * u128::from(scrypt.block_size)
            * (u128::from(n) + 2 + u128::from(scrypt.parallelization));
        if memory > MAX_SCRYPT_MEMORY {
            return Err(Error::LimitExceeded {
                what: "scrypt parameters".into(),
                reason: format!(
                    "they need {memory} bytes of memory, over the {MAX_SCRYPT_MEMORY}-byte limit"
                ),
            });
        }
    }
    if let Some(p) = pbes2.kdf.pbkdf2() {
        let max = pkcs5::pbes2::Pbkdf2Params::MAX_ITERATION_COUNT;
        if p.iteration_count > max {
            return Err(Error::LimitExceeded {
                what: "PBKDF2 iteration count".into(),
                reason: format!("{} is over the limit of {max}", p.iteration_count),
            });
        }
    }
    Ok(())
}

/// PBKDF1 (PKCS#5 v1.5) with MD5 or SHA-1: 16 bytes, key then IV.
fn pbkdf1(sha1: bool, password: &[u8], salt: &[u8], iterations: u32) -> Zeroizing<Vec<u8>> {
    use sha1::Digest as _;
    let hash = |parts: &[&[u8]]| -> Zeroizing<Vec<u8>> {
        if sha1 {
            let mut h = sha1::Sha1::new();
            parts.iter().for_each(|p| h.update(p));
            Zeroizing::new(h.finalize().to_vec())
        } else {
            let mut h = md5::Md5::new();
            parts.iter().for_each(|p| h.update(p));
            Zeroizing::new(h.finalize().to_vec())
        }
    };
    let mut t = hash(&[password, salt]);
    for _ in 1..iterations.max(1) {
        t = hash(&[&t]);
    }
    t.truncate(16);
    t
}

/// Encrypts a PrivateKeyInfo DER as OpenSSL does for `-v2 CIPHER`: PBES2,
/// PBKDF2-HMAC-SHA256 with 2048 iterations and a 16-byte salt, the named
/// CBC cipher with a random IV.
pub(crate) fn encrypt_pkcs8(plain: &[u8], cipher: Cbc, password: &[u8]) -> Result<Vec<u8>> {
    let mut salt = [0u8; 16];
    crate::rand::fill(&mut salt);
    let mut iv = vec![0u8; cipher.iv_len()];
    crate::rand::fill(&mut iv);
    let kdf =
        pkcs5::pbes2::Pbkdf2Params::hmac_sha256(PBKDF2_ITERATIONS, &salt).map_err(map_pkcs5)?;
    let params = pkcs5::pbes2::Parameters {
        kdf: kdf.into(),
        encryption: cipher.pbes2_scheme(&iv)?,
    };
    // Encrypt here rather than in pkcs5, which refuses to write DES-CBC.
    let mut key = Zeroizing::new(vec![0u8; cipher.key_len()]);
    pbkdf2::pbkdf2_hmac::<sha2::Sha256>(password, &salt, PBKDF2_ITERATIONS, &mut key);
    let data = cipher.encrypt(&key, &iv, plain)?;
    let alg = pkcs5::EncryptionScheme::from(params).to_der()?;
    let info = EncryptedPrivateKeyInfo {
        algorithm: AnyRef::from_der(&alg)?,
        encrypted_data: OctetStringRef::new(&data)?,
    };
    Ok(info.to_der()?)
}

/// Parses a `DEK-Info` value (`AES-256-CBC,<hex IV>`).
fn dek_info(value: &str) -> Result<(Cbc, Vec<u8>)> {
    let (name, iv_hex) = value.split_once(',').ok_or_else(|| Error::PemHeader {
        header: "DEK-Info",
        reason: format!("{value:?} has no IV"),
    })?;
    let cipher = Cbc::from_name(name.trim())?;
    let iv_hex = iv_hex.trim();
    let bad_iv = || Error::PemHeader {
        header: "DEK-Info",
        reason: format!("IV {iv_hex:?} is not {} hex bytes", cipher.iv_len()),
    };
    if iv_hex.len() != cipher.iv_len() * 2 || !iv_hex.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(bad_iv());
    }
    let iv = (0..iv_hex.len())
        .step_by(2)
        .map(|i| {
            iv_hex
                .get(i..i + 2)
                .and_then(|h| u8::from_str_radix(h, 16).ok())
        })
        .collect::<Option<Vec<u8>>>()
        .ok_or_else(bad_iv)?;
    Ok((cipher, iv))
}

/// Decrypts the body of a `Proc-Type: 4,ENCRYPTED` PEM block.
pub(crate) fn decrypt_legacy_pem(
    dek_info_value: &str,
    body: &[u8],
    password: &[u8],
) -> Result<Zeroizing<Vec<u8>>> {
    let (cipher, iv) = dek_info(dek_info_value)?;
    let salt = iv.get(..8).ok_or(Error::BadDecrypt)?;
    let key = bytes_to_key_md5(password, salt, cipher.key_len());
    cipher.decrypt(&key, &iv, body)
}

/// Encrypts a traditional key DER for a `Proc-Type: 4,ENCRYPTED` PEM block;
/// returns the `DEK-Info` value and the ciphertext.
pub(crate) fn encrypt_legacy_pem(
    plain: &[u8],
    cipher: Cbc,
    password: &[u8],
) -> Result<(String, Vec<u8>)> {
    let mut iv = vec![0u8; cipher.iv_len()];
    crate::rand::fill(&mut iv);
    let salt = iv.get(..8).ok_or(Error::BadDecrypt)?;
    let key = bytes_to_key_md5(password, salt, cipher.key_len());
    let data = cipher.encrypt(&key, &iv, plain)?;
    let iv_hex: String = iv.iter().map(|b| format!("{b:02X}")).collect();
    Ok((format!("{},{iv_hex}", cipher.pem_name()), data))
}
