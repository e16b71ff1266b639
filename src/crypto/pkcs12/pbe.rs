//! Password-based encryption of PKCS#12 bags: the PKCS#12 PBE schemes of
//! RFC 7292 appendix C (SHA-1 with 3DES / 2-key 3DES / RC2), and PBES1/PBES2
//! of PKCS#5 (RFC 8018) through the `pkcs5` crate.

use cbc::cipher::{block_padding::Pkcs7, BlockModeDecrypt, BlockModeEncrypt, InnerIvInit, KeyInit};
use const_oid::ObjectIdentifier;
use der::asn1::OctetString;
use der::{Decode, Encode, Sequence};
use spki::AlgorithmIdentifierOwned;
use zeroize::Zeroizing;

use super::kdf::{check_iterations, derive, Password, Purpose};
use crate::crypto::{Error, MessageDigest, Result};

pub(crate) use crate::crypto::asn1::oid::ids::{
    PBES2, PBE_SHA1_2DES, PBE_SHA1_3DES, PBE_SHA1_RC2_128, PBE_SHA1_RC2_40, PBE_SHA1_RC4_128,
    PBE_SHA1_RC4_40,
};

/// Length of the salts puressl writes (OpenSSL's `PKCS5_SALT_LEN`).
pub(crate) const SALT_LEN: usize = 8;

/// `pkcs-12PbeParams ::= SEQUENCE { salt OCTET STRING, iterations INTEGER }`.
#[derive(Sequence)]
struct Pkcs12PbeParams {
    salt: OctetString,
    iterations: u32,
}

/// How bags are encrypted when writing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Scheme {
    /// PBES2 with PBKDF2-HMAC-SHA256 and AES-256-CBC (OpenSSL 3's default).
    Pbes2Aes256,
    /// `pbeWithSHAAnd3-KeyTripleDES-CBC` (pyOpenSSL's `export`).
    Sha1TripleDes,
    /// `pbewithSHAAnd40BitRC2-CBC` (OpenSSL 1.x / `-legacy` certificates).
    Sha1Rc2_40,
}

/// A human name for an encryption OID, for error messages.
pub(crate) fn alg_name(oid: &ObjectIdentifier) -> String {
    let name = match *oid {
        PBE_SHA1_RC4_128 => "pbeWithSHA1And128BitRC4",
        PBE_SHA1_RC4_40 => "pbeWithSHA1And40BitRC4",
        PBE_SHA1_3DES => "pbeWithSHA1And3-KeyTripleDES-CBC",
        PBE_SHA1_2DES => "pbeWithSHA1And2-KeyTripleDES-CBC",
        PBE_SHA1_RC2_128 => "pbeWithSHA1And128BitRC2-CBC",
        PBE_SHA1_RC2_40 => "pbeWithSHA1And40BitRC2-CBC",
        PBES2 => "PBES2",
        _ => return oid.to_string(),
    };
    name.to_owned()
}

fn params_of(alg: &AlgorithmIdentifierOwned) -> Result<Pkcs12PbeParams> {
    let params = alg
        .parameters
        .as_ref()
        .ok_or_else(|| Error::malformed(format!("{} parameters", alg_name(&alg.oid)), "missing"))?;
    let params: Pkcs12PbeParams = params.decode_as()?;
    Ok(params)
}

fn cbc_decrypt<C>(cipher: C, iv: &[u8], data: &[u8]) -> Result<Zeroizing<Vec<u8>>>
where
    C: cbc::cipher::BlockCipherDecrypt,
{
    let dec = cbc::Decryptor::<C>::inner_iv_slice_init(cipher, iv)
        .map_err(|e| Error::failed_by("PKCS#12 PBE decryption", "bad IV length", e))?;
    dec.decrypt_padded_vec::<Pkcs7>(data)
        .map(Zeroizing::new)
        .map_err(|_| Error::BadDecrypt)
}

fn cbc_encrypt<C>(cipher: C, iv: &[u8], data: &[u8]) -> Result<Vec<u8>>
where
    C: cbc::cipher::BlockCipherEncrypt,
{
    let enc = cbc::Encryptor::<C>::inner_iv_slice_init(cipher, iv)
        .map_err(|e| Error::failed_by("PKCS#12 PBE encryption", "bad IV length", e))?;
    Ok(enc.encrypt_padded_vec::<Pkcs7>(data))
}

/// Decrypts `data`, encrypted with the algorithm `alg` under `pass`.
/// A wrong password or corrupt data is [`Error::BadDecrypt`].
pub(crate) fn decrypt(
    alg: &AlgorithmIdentifierOwned,
    pass: &Password,
    data: &[u8],
) -> Result<Zeroizing<Vec<u8>>> {
    let oid = alg.oid;
    match oid {
        PBE_SHA1_3DES | PBE_SHA1_2DES | PBE_SHA1_RC2_128 | PBE_SHA1_RC2_40 => {
            let p = params_of(alg)?;
            check_iterations(p.iterations, "PBE")?;
            let salt = p.salt.as_bytes();
            let (key_len, iv_len) = match oid {
                PBE_SHA1_3DES => (24, 8),
                PBE_SHA1_2DES => (16, 8),
                PBE_SHA1_RC2_128 => (16, 8),
                _ => (5, 8),
            };
            let md = MessageDigest::Sha1;
            let key = derive(md, &pass.bmp, salt, p.iterations, Purpose::Key, key_len);
            let iv = derive(md, &pass.bmp, salt, p.iterations, Purpose::Iv, iv_len);
            let bad_key = |e| Error::failed_by("PKCS#12 PBE decryption", "bad key length", e);
            match oid {
                PBE_SHA1_3DES => cbc_decrypt(
                    des::TdesEde3::new_from_slice(&key).map_err(bad_key)?,
                    &iv,
                    data,
                ),
                PBE_SHA1_2DES => cbc_decrypt(
                    des::TdesEde2::new_from_slice(&key).map_err(bad_key)?,
                    &iv,
                    data,
                ),
                PBE_SHA1_RC2_128 => {
                    cbc_decrypt(rc2::Rc2::new_with_eff_key_len(&key, 128), &iv, data)
                }
                _ => cbc_decrypt(rc2::Rc2::new_with_eff_key_len(&key, 40), &iv, data),
            }
        }
        PBE_SHA1_RC4_128 | PBE_SHA1_RC4_40 => Err(Error::unsupported(alg_name(&oid))),
        _ => {
            let scheme = pkcs5::EncryptionScheme::from_der(&alg.to_der()?)
                .map_err(|e| Error::unsupported_by(format!("encryption algorithm {oid}"), e))?;
            crate::crypto::pkey::encrypted::check_kdf_limits(&scheme)?;
            scheme
                .decrypt(&*pass.raw, data)
                .map(Zeroizing::new)
                .map_err(|e| match e {
                    pkcs5::Error::DecryptFailed => Error::BadDecrypt,
                    other => Error::unsupported_by(alg_name(&oid), other),
                })
        }
    }
}

/// Encrypts `data` under `pass` with `scheme`, a fresh random salt (and IV)
/// and `iterations`; returns the AlgorithmIdentifier and the ciphertext.
pub(crate) fn encrypt(
    scheme: Scheme,
    pass: &Password,
    iterations: u32,
    data: &[u8],
) -> Result<(AlgorithmIdentifierOwned, Vec<u8>)> {
    let mut salt = [0u8; SALT_LEN];
    crate::rand::fill(&mut salt);
    match scheme {
        Scheme::Pbes2Aes256 => {
            let mut iv = [0u8; 16];
            crate::rand::fill(&mut iv);
            let params =
                pkcs5::pbes2::Parameters::generate_pbkdf2_sha256_aes256cbc(iterations, &salt, iv)
                    .map_err(|e| Error::failed_by("PBES2 parameters", e.to_string(), e))?;
            let ct = params
                .encrypt(&*pass.raw, data)
                .map_err(|e| Error::failed_by("PBES2 encryption", e.to_string(), e))?;
            let scheme = pkcs5::EncryptionScheme::from(params);
            let alg = AlgorithmIdentifierOwned::from_der(&scheme.to_der()?)?;
            Ok((alg, ct))
        }
        Scheme::Sha1TripleDes | Scheme::Sha1Rc2_40 => {
            let md = MessageDigest::Sha1;
            let (oid, key_len) = match scheme {
                Scheme::Sha1TripleDes => (PBE_SHA1_3DES, 24),
                _ => (PBE_SHA1_RC2_40, 5),
            };
            let key = derive(md, &pass.bmp, &salt, iterations, Purpose::Key, key_len);
            let iv = derive(md, &pass.bmp, &salt, iterations, Purpose::Iv, 8);
            let ct = match scheme {
                Scheme::Sha1TripleDes => cbc_encrypt(
                    des::TdesEde3::new_from_slice(&key).map_err(|e| {
                        Error::failed_by("PKCS#12 PBE encryption", "bad key length", e)
                    })?,
                    &iv,
                    data,
                )?,
                _ => cbc_encrypt(rc2::Rc2::new_with_eff_key_len(&key, 40), &iv, data)?,
            };
            let params = Pkcs12PbeParams {
                salt: OctetString::new(salt.to_vec())?,
                iterations,
            };
            let alg = AlgorithmIdentifierOwned {
                oid,
                parameters: Some(der::Any::encode_from(&params)?),
            };
            Ok((alg, ct))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_every_scheme() {
        let pass = Password::new("pässword".as_bytes());
        let wrong = Password::new(b"password");
        for scheme in [
            Scheme::Pbes2Aes256,
            Scheme::Sha1TripleDes,
            Scheme::Sha1Rc2_40,
        ] {
            let msg = b"a PKCS#8 key would be here, 40-odd bytes long";
            let (alg, ct) = encrypt(scheme, &pass, 3, msg).unwrap();
            assert_ne!(&ct[..], &msg[..]);
            assert_eq!(&*decrypt(&alg, &pass, &ct).unwrap(), msg);
            // A wrong password gives bad decrypt (or, rarely, valid-looking
            // padding and garbage: never the message).
            match decrypt(&alg, &wrong, &ct) {
                Err(Error::BadDecrypt) => {}
                Ok(pt) => assert_ne!(&pt[..], &msg[..]),
                Err(e) => panic!("unexpected error {e}"),
            }
        }
    }

    #[test]
    fn rc4_is_reported_unsupported() {
        let alg = AlgorithmIdentifierOwned {
            oid: PBE_SHA1_RC4_128,
            parameters: None,
        };
        assert!(matches!(
            decrypt(&alg, &Password::absent(), b"xx"),
            Err(Error::UnsupportedAlgorithm { algorithm, .. }) if algorithm.contains("RC4")
        ));
    }
}
