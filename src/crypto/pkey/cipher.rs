//! Block ciphers in CBC mode as OpenSSL names them, and the two legacy key
//! derivations OpenSSL uses for private keys: `EVP_BytesToKey` (MD5, one
//! round: `Proc-Type: 4,ENCRYPTED` PEM) and the PKCS#12 KDF (SHA-1:
//! `PBE-SHA1-3DES` PKCS#8).

use cbc::cipher::block_padding::Pkcs7;
use cbc::cipher::{BlockModeDecrypt, BlockModeEncrypt, KeyIvInit};
use sha1::Digest as _;
use zeroize::Zeroizing;

use crate::crypto::{Error, Result};

/// A CBC cipher for key encryption.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Cbc {
    Aes128,
    Aes192,
    Aes256,
    DesEde3,
    DesEde2,
    Des,
    Rc2_40,
    Rc2_64,
    Rc2_128,
}

macro_rules! with_cipher {
    ($c:expr, $T:ident => $body:expr) => {
        match $c {
            Cbc::Aes128 => {
                type $T = aes::Aes128;
                $body
            }
            Cbc::Aes192 => {
                type $T = aes::Aes192;
                $body
            }
            Cbc::Aes256 => {
                type $T = aes::Aes256;
                $body
            }
            Cbc::DesEde3 => {
                type $T = des::TdesEde3;
                $body
            }
            Cbc::DesEde2 => {
                type $T = des::TdesEde2;
                $body
            }
            Cbc::Des => {
                type $T = des::Des;
                $body
            }
            // RC2's effective key length is the key length here (40, 64, 128).
            Cbc::Rc2_40 | Cbc::Rc2_64 | Cbc::Rc2_128 => {
                type $T = rc2::Rc2;
                $body
            }
        }
    };
}

impl Cbc {
    /// Looks a cipher up by its OpenSSL name (`aes-256-cbc`, `aes256`,
    /// `des-ede3-cbc`, `des3`, `des-ede-cbc`, `des-cbc`, `des`, `rc2-cbc`,
    /// `rc2-64-cbc`, `rc2-40-cbc`; any case). Anything else is
    /// [`Error::UnknownCipher`].
    pub(crate) fn from_name(name: &str) -> Result<Cbc> {
        Ok(match name.to_ascii_lowercase().as_str() {
            "aes-128-cbc" | "aes128" => Cbc::Aes128,
            "aes-192-cbc" | "aes192" => Cbc::Aes192,
            "aes-256-cbc" | "aes256" => Cbc::Aes256,
            "des-ede3-cbc" | "des3" => Cbc::DesEde3,
            "des-ede-cbc" => Cbc::DesEde2,
            "des-cbc" | "des" => Cbc::Des,
            "rc2-cbc" | "rc2" | "rc2-128-cbc" => Cbc::Rc2_128,
            "rc2-64-cbc" => Cbc::Rc2_64,
            "rc2-40-cbc" => Cbc::Rc2_40,
            _ => return Err(Error::UnknownCipher(name.to_owned())),
        })
    }

    /// The name in a `DEK-Info` header (`AES-256-CBC`, `DES-EDE3-CBC`).
    pub(crate) fn pem_name(self) -> &'static str {
        match self {
            Cbc::Aes128 => "AES-128-CBC",
            Cbc::Aes192 => "AES-192-CBC",
            Cbc::Aes256 => "AES-256-CBC",
            Cbc::DesEde3 => "DES-EDE3-CBC",
            Cbc::DesEde2 => "DES-EDE-CBC",
            Cbc::Des => "DES-CBC",
            Cbc::Rc2_40 => "RC2-40-CBC",
            Cbc::Rc2_64 => "RC2-64-CBC",
            Cbc::Rc2_128 => "RC2-CBC",
        }
    }

    pub(crate) fn key_len(self) -> usize {
        match self {
            Cbc::Aes128 | Cbc::DesEde2 | Cbc::Rc2_128 => 16,
            Cbc::Aes192 | Cbc::DesEde3 => 24,
            Cbc::Aes256 => 32,
            Cbc::Des | Cbc::Rc2_64 => 8,
            Cbc::Rc2_40 => 5,
        }
    }

    pub(crate) fn iv_len(self) -> usize {
        match self {
            Cbc::Aes128 | Cbc::Aes192 | Cbc::Aes256 => 16,
            Cbc::DesEde3 | Cbc::DesEde2 | Cbc::Des | Cbc::Rc2_40 | Cbc::Rc2_64 | Cbc::Rc2_128 => 8,
        }
    }

    /// Encrypts with PKCS#7 padding.
    pub(crate) fn encrypt(self, key: &[u8], iv: &[u8], plaintext: &[u8]) -> Result<Vec<u8>> {
        let bad =
            |e| Error::failed_by("key encryption", "wrong key or IV length for the cipher", e);
        Ok(
            with_cipher!(self, T => cbc::Encryptor::<T>::new_from_slices(key, iv)
            .map_err(bad)?
            .encrypt_padded_vec::<Pkcs7>(plaintext)),
        )
    }

    /// Decrypts and removes PKCS#7 padding; bad padding is [`Error::BadDecrypt`].
    pub(crate) fn decrypt(
        self,
        key: &[u8],
        iv: &[u8],
        ciphertext: &[u8],
    ) -> Result<Zeroizing<Vec<u8>>> {
        if ciphertext.is_empty() || !ciphertext.len().is_multiple_of(self.iv_len()) {
            return Err(Error::BadDecrypt);
        }
        let bad = |_| Error::BadDecrypt;
        let out = with_cipher!(self, T => cbc::Decryptor::<T>::new_from_slices(key, iv)
            .map_err(bad)?
            .decrypt_padded_vec::<Pkcs7>(ciphertext))
        .map_err(|_| Error::BadDecrypt)?;
        Ok(Zeroizing::new(out))
    }

    /// The PBES2 encryption scheme with this cipher and `iv`.
    pub(crate) fn pbes2_scheme(self, iv: &[u8]) -> Result<pkcs5::pbes2::EncryptionScheme> {
        use pkcs5::pbes2::EncryptionScheme as S;
        let bad = |e| Error::failed_by("key encryption", "wrong IV length for the cipher", e);
        Ok(match self {
            Cbc::Aes128 => S::Aes128Cbc {
                iv: iv.try_into().map_err(bad)?,
            },
            Cbc::Aes192 => S::Aes192Cbc {
                iv: iv.try_into().map_err(bad)?,
            },
            Cbc::Aes256 => S::Aes256Cbc {
                iv: iv.try_into().map_err(bad)?,
            },
            Cbc::DesEde3 => S::DesEde3Cbc {
                iv: iv.try_into().map_err(bad)?,
            },
            Cbc::Des => S::DesCbc {
                iv: iv.try_into().map_err(bad)?,
            },
            _ => {
                return Err(Error::unsupported(format!(
                    "{} in PKCS#8 (PBES2) encryption",
                    self.pem_name()
                )))
            }
        })
    }
}

/// OpenSSL's `EVP_BytesToKey` with MD5 and one round, as used by
/// `Proc-Type: 4,ENCRYPTED` PEM (salt = the first 8 bytes of the IV).
pub(crate) fn bytes_to_key_md5(password: &[u8], salt: &[u8], len: usize) -> Zeroizing<Vec<u8>> {
    let mut out = Zeroizing::new(Vec::with_capacity(len + 16));
    let mut prev: Option<Zeroizing<Vec<u8>>> = None;
    while out.len() < len {
        let mut h = md5::Md5::new();
        if let Some(p) = &prev {
            h.update(p.as_slice());
        }
        h.update(password);
        h.update(salt);
        let d = Zeroizing::new(h.finalize().to_vec());
        out.extend_from_slice(&d);
        prev = Some(d);
    }
    out.truncate(len);
    out
}

/// A password as the PKCS#12 KDF wants it: UTF-16BE with a terminating NUL
/// (bytes that are not UTF-8 are taken one per character, as OpenSSL does).
pub(crate) fn bmp_password(password: &[u8]) -> Zeroizing<Vec<u8>> {
    let mut out = Zeroizing::new(Vec::with_capacity(password.len() * 2 + 2));
    match std::str::from_utf8(password) {
        Ok(s) => {
            for unit in s.encode_utf16() {
                out.extend_from_slice(&unit.to_be_bytes());
            }
        }
        Err(_) => {
            for b in password {
                out.extend_from_slice(&[0, *b]);
            }
        }
    }
    out.extend_from_slice(&[0, 0]);
    out
}

/// The PKCS#12 key derivation (RFC 7292 appendix B) with SHA-1: `id` 1 for
/// key material, 2 for an IV, 3 for a MAC key.
pub(crate) fn pkcs12_kdf_sha1(
    bmp_password: &[u8],
    salt: &[u8],
    id: u8,
    iterations: u32,
    len: usize,
) -> Zeroizing<Vec<u8>> {
    const V: usize = 64;
    const U: usize = 20;
    let fill = |src: &[u8]| -> Zeroizing<Vec<u8>> {
        if src.is_empty() {
            return Zeroizing::new(Vec::new());
        }
        let n = V * src.len().div_ceil(V);
        Zeroizing::new(src.iter().copied().cycle().take(n).collect())
    };
    let mut i_buf = fill(salt);
    i_buf.extend_from_slice(&fill(bmp_password));
    let d = [id; V];
    let mut out = Zeroizing::new(Vec::with_capacity(len + U));
    while out.len() < len {
        let mut a = {
            let mut h = sha1::Sha1::new();
            h.update(d);
            h.update(i_buf.as_slice());
            Zeroizing::new(h.finalize().to_vec())
        };
        for _ in 1..iterations.max(1) {
            a = Zeroizing::new(sha1::Sha1::digest(a.as_slice()).to_vec());
        }
        out.extend_from_slice(&a);
        if out.len() >= len {
            break;
        }
        let b: Zeroizing<Vec<u8>> = Zeroizing::new(a.iter().copied().cycle().take(V).collect());
        for block in i_buf.chunks_mut(V) {
            // block = (block + b + 1) mod 2^(8V)
            let mut carry: u16 = 1;
            for (x, y) in block.iter_mut().zip(b.iter()).rev() {
                let sum = u16::from(*x) + u16::from(*y) + carry;
                *x = (sum & 0xff) as u8;
                carry = sum >> 8;
            }
        }
    }
    out.truncate(len);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cipher_names_and_round_trip() {
        for name in [
            "aes-128-cbc",
            "AES-192-CBC",
            "aes256",
            "des-ede3-cbc",
            "des3",
            "des-cbc",
        ] {
            let c = Cbc::from_name(name).unwrap();
            let key = vec![7u8; c.key_len()];
            let iv = vec![9u8; c.iv_len()];
            let ct = c.encrypt(&key, &iv, b"secret data").unwrap();
            assert_eq!(ct.len() % c.iv_len(), 0);
            assert_eq!(*c.decrypt(&key, &iv, &ct).unwrap(), b"secret data");
        }
        assert!(matches!(Cbc::from_name("rot13"), Err(Error::UnknownCipher(n)) if n == "rot13"));
    }

    #[test]
    fn bytes_to_key_matches_openssl_enc() {
        // openssl enc -aes-256-cbc -P -md md5 -pass pass:password -S 0102030405060708
        let out = std::process::Command::new("openssl")
            .args([
                "enc",
                "-aes-256-cbc",
                "-P",
                "-md",
                "md5",
                "-pass",
                "pass:password",
                "-S",
                "0102030405060708",
            ])
            .output()
            .unwrap();
        let text = String::from_utf8(out.stdout).unwrap();
        let key_line = text.lines().find(|l| l.starts_with("key=")).unwrap();
        let key = bytes_to_key_md5(b"password", &[1, 2, 3, 4, 5, 6, 7, 8], 32);
        let hex: String = key.iter().map(|b| format!("{b:02X}")).collect();
        assert_eq!(key_line, format!("key={hex}"));
    }
}
