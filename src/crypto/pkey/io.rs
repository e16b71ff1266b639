//! pyOpenSSL's `load_privatekey`, `dump_privatekey`, `load_publickey` and
//! `dump_publickey`.

use rsa::traits::{PrivateKeyParts, PublicKeyParts};
use zeroize::Zeroizing;

use super::cipher::Cbc;
use super::encoding::{
    private_from_any_der, private_from_dsa_der, private_from_pkcs1_der, private_from_pkcs8_der,
    private_from_sec1_der, public_from_pkcs1_der,
};
use super::encrypted::{
    decrypt_legacy_pem, decrypt_pkcs8, encrypt_legacy_pem, encrypt_pkcs8, is_encrypted_pkcs8,
};
use super::text::bn_print;
use super::{PKey, Passphrase, Private};
use crate::crypto::asn1::pem;
use crate::crypto::{Error, FileType, Result};

/// The PEM labels `load_privatekey` accepts.
const PRIVATE_LABELS: [&str; 5] = [
    "PRIVATE KEY",
    "ENCRYPTED PRIVATE KEY",
    "RSA PRIVATE KEY",
    "EC PRIVATE KEY",
    "DSA PRIVATE KEY",
];

/// The PEM labels `load_publickey` accepts.
const PUBLIC_LABELS: [&str; 2] = ["PUBLIC KEY", "RSA PUBLIC KEY"];

fn need_passphrase(passphrase: &mut Option<Passphrase<'_>>) -> Result<Zeroizing<Vec<u8>>> {
    passphrase
        .as_mut()
        .ok_or(Error::PassphraseRequired)?
        .get(false)
}

/// Reads the plaintext DER of a private key under PEM `label`.
fn private_from_label(label: &str, der: &[u8]) -> Result<Private> {
    match label {
        "RSA PRIVATE KEY" => private_from_pkcs1_der(der),
        "EC PRIVATE KEY" => private_from_sec1_der(der, None),
        "DSA PRIVATE KEY" => private_from_dsa_der(der),
        _ => private_from_pkcs8_der(der),
    }
}

/// After a decryption, a key that does not parse means the passphrase was wrong.
fn after_decrypt(r: Result<Private>) -> Result<Private> {
    r.map_err(|e| match e {
        Error::Der(_) | Error::TrailingData { .. } => Error::BadDecrypt,
        e => e,
    })
}

/// Loads a private key (pyOpenSSL `load_privatekey`).
///
/// PEM: PKCS#8 (`PRIVATE KEY`), encrypted PKCS#8 (`ENCRYPTED PRIVATE KEY`:
/// PBES2 with PBKDF2 or scrypt and AES-CBC or DES-EDE3-CBC, or
/// `PBE-SHA1-3DES`), and the traditional `RSA`/`EC`/`DSA PRIVATE KEY`,
/// also in their legacy encrypted form (`Proc-Type: 4,ENCRYPTED`,
/// `DEK-Info` AES-128/192/256-CBC, DES-EDE3-CBC, DES-CBC). Text before the
/// block is skipped. ASN1: PKCS#8, encrypted PKCS#8 or traditional DER.
///
/// An encrypted key without `passphrase` is [`Error::PassphraseRequired`]
/// (nothing is ever prompted for); a wrong passphrase is
/// [`Error::BadDecrypt`]. A passphrase given for a key that is not encrypted
/// is not used.
///
/// ```
/// use puressl::crypto::{self, FileType, KeyType, PKey, Passphrase};
/// let key = PKey::generate_key(KeyType::Ec, 256).unwrap();
/// let pem = crypto::dump_privatekey(FileType::Pem, &key, Some(("aes-256-cbc", "pw".into()))).unwrap();
/// assert!(crypto::load_privatekey(FileType::Pem, &pem, None).is_err());
/// let back = crypto::load_privatekey(FileType::Pem, &pem, Some(Passphrase::from("pw"))).unwrap();
/// assert_eq!(back, key);
/// ```
pub fn load_privatekey(
    filetype: FileType,
    buffer: &[u8],
    passphrase: Option<Passphrase<'_>>,
) -> Result<PKey> {
    let mut passphrase = passphrase;
    let (private, plain) = match filetype {
        FileType::Pem => {
            let block = pem::decode_first(buffer, &PRIVATE_LABELS)?;
            if let Some(proc_type) = block.header("Proc-Type") {
                if proc_type.replace(' ', "") != "4,ENCRYPTED" {
                    return Err(Error::PemHeader {
                        header: "Proc-Type",
                        reason: format!("{proc_type:?} is not \"4,ENCRYPTED\""),
                    });
                }
                let dek = block.header("DEK-Info").ok_or_else(|| Error::PemHeader {
                    header: "DEK-Info",
                    reason: "missing from an encrypted PEM block".into(),
                })?;
                let pw = need_passphrase(&mut passphrase)?;
                let der = decrypt_legacy_pem(dek, &block.der, &pw)?;
                (after_decrypt(private_from_label(&block.label, &der))?, der)
            } else if block.label == "ENCRYPTED PRIVATE KEY" {
                let pw = need_passphrase(&mut passphrase)?;
                let der = decrypt_pkcs8(&block.der, &pw)?;
                (after_decrypt(private_from_pkcs8_der(&der))?, der)
            } else {
                (private_from_label(&block.label, &block.der)?, block.der)
            }
        }
        FileType::Asn1 => {
            if is_encrypted_pkcs8(buffer) {
                let pw = need_passphrase(&mut passphrase)?;
                let der = decrypt_pkcs8(buffer, &pw)?;
                (after_decrypt(private_from_pkcs8_der(&der))?, der)
            } else {
                let der = Zeroizing::new(buffer.to_vec());
                (private_from_any_der(buffer)?, der)
            }
        }
        FileType::Text => {
            return Err(Error::UnsupportedFileType {
                operation: "load_privatekey",
                file_type: FileType::Text,
            })
        }
    };
    Ok(PKey::from_private_der(private, &plain))
}

fn private_of(key: &PKey) -> Result<&Private> {
    key.private_part().ok_or(Error::PublicKeyOnly)
}

/// Writes a private key (pyOpenSSL `dump_privatekey`).
///
/// * PEM: PKCS#8 `PRIVATE KEY`, byte for byte as `openssl pkey` writes it;
///   with `(cipher, passphrase)`, `ENCRYPTED PRIVATE KEY` (PBES2,
///   PBKDF2-HMAC-SHA256, 2048 iterations, the named cipher: `aes-128-cbc`,
///   `aes-192-cbc`, `aes-256-cbc`, `des-ede3-cbc`, `des-cbc`).
/// * ASN1: the traditional DER (PKCS#1, SEC1, OpenSSL DSA; PKCS#8 for
///   Ed25519), as `openssl pkey -outform DER` writes it. Encryption is
///   [`Error::UnsupportedFileType`] here.
/// * Text: RSA keys as `openssl rsa -text -noout` prints them; other key
///   types are [`Error::KeyTypeMismatch`].
///
/// An unknown cipher is [`Error::UnknownCipher`]; a public-only key is
/// [`Error::PublicKeyOnly`]. See [`dump_privatekey_traditional`] for the
/// legacy `Proc-Type: 4,ENCRYPTED` form.
pub fn dump_privatekey(
    filetype: FileType,
    key: &PKey,
    cipher: Option<(&str, Passphrase<'_>)>,
) -> Result<Zeroizing<Vec<u8>>> {
    let private = private_of(key)?;
    let cipher = match cipher {
        Some((name, pw)) => Some((Cbc::from_name(name)?, pw)),
        None => None,
    };
    match filetype {
        FileType::Pem => {
            let der = key.private_key_to_pkcs8_der()?;
            let pem = match cipher {
                None => pem::encode("PRIVATE KEY", &der),
                Some((c, mut pw)) => {
                    let pw = pw.get(true)?;
                    pem::encode("ENCRYPTED PRIVATE KEY", &encrypt_pkcs8(&der, c, &pw)?)
                }
            };
            Ok(Zeroizing::new(pem.into_bytes()))
        }
        FileType::Asn1 | FileType::Text if cipher.is_some() => Err(Error::UnsupportedFileType {
            operation: "dump_privatekey with a cipher",
            file_type: filetype,
        }),
        FileType::Asn1 => key.traditional_der(),
        FileType::Text => match private {
            Private::Rsa(k) => Ok(Zeroizing::new(rsa_text(k).into_bytes())),
            _ => Err(Error::KeyTypeMismatch(format!(
                "FILETYPE_TEXT is only supported for RSA keys, not {}",
                key.key_type().name()
            ))),
        },
    }
}

/// Writes a private key in OpenSSL's traditional PEM form (`BEGIN RSA/EC/DSA
/// PRIVATE KEY`, as `openssl pkey -traditional` does), optionally encrypted
/// the legacy way: `Proc-Type: 4,ENCRYPTED` and `DEK-Info` with the named
/// cipher, key from `EVP_BytesToKey` (MD5). Prefer [`dump_privatekey`]'s
/// PKCS#8 encryption; this exists for software that only reads the old form.
///
/// Ed25519 has no traditional form: without a cipher it is written as PKCS#8
/// (as OpenSSL does), with one it is [`Error::UnsupportedAlgorithm`].
///
/// ```
/// use puressl::crypto::{self, FileType, KeyType, PKey, Passphrase};
/// let key = PKey::generate_key(KeyType::Ec, 384).unwrap();
/// let pem = crypto::dump_privatekey_traditional(&key, Some(("des-ede3-cbc", "pw".into()))).unwrap();
/// assert!(pem.starts_with(b"-----BEGIN EC PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\n"));
/// let back = crypto::load_privatekey(FileType::Pem, &pem, Some("pw".into())).unwrap();
/// assert_eq!(back, key);
/// ```
pub fn dump_privatekey_traditional(
    key: &PKey,
    cipher: Option<(&str, Passphrase<'_>)>,
) -> Result<Zeroizing<Vec<u8>>> {
    let private = private_of(key)?;
    let label = match private {
        Private::Rsa(_) => "RSA PRIVATE KEY",
        Private::Dsa(_) => "DSA PRIVATE KEY",
        Private::P256(_) | Private::P384(_) | Private::P521(_) => "EC PRIVATE KEY",
        Private::Ed25519(_) => "PRIVATE KEY",
    };
    let der = key.traditional_der()?;
    let pem = match cipher {
        None => pem::encode(label, &der),
        Some((name, mut pw)) => {
            let c = Cbc::from_name(name)?;
            if matches!(private, Private::Ed25519(_)) {
                return Err(Error::unsupported(
                    "Ed25519 keys have no traditional encrypted form",
                ));
            }
            let pw = pw.get(true)?;
            let (dek, data) = encrypt_legacy_pem(&der, c, &pw)?;
            pem::encode_with_headers(
                label,
                &[("Proc-Type", "4,ENCRYPTED"), ("DEK-Info", &dek)],
                &data,
            )
        }
    };
    Ok(Zeroizing::new(pem.into_bytes()))
}

/// `openssl rsa -text -noout`.
fn rsa_text(k: &rsa::PrivateKey) -> String {
    let mut out = format!(
        "Private-Key: ({} bit, {} primes)\n",
        k.n().bit_width_vartime(),
        k.primes().len()
    );
    bn_print(&mut out, "modulus:", k.n(), 0);
    bn_print(&mut out, "publicExponent:", k.e(), 0);
    bn_print(&mut out, "privateExponent:", k.d(), 0);
    let labels = ["prime1:", "prime2:"];
    for (label, p) in labels.iter().zip(k.primes()) {
        bn_print(&mut out, label, p, 0);
    }
    if let Some(dp) = k.dp() {
        bn_print(&mut out, "exponent1:", dp, 0);
    }
    if let Some(dq) = k.dq() {
        bn_print(&mut out, "exponent2:", dq, 0);
    }
    if let Some(qinv) = k.crt_coefficient() {
        bn_print(&mut out, "coefficient:", &Zeroizing::new(qinv), 0);
    }
    out
}

/// Loads a public key (pyOpenSSL `load_publickey`): a SubjectPublicKeyInfo
/// (`BEGIN PUBLIC KEY` or DER), or a PKCS#1 `BEGIN RSA PUBLIC KEY`.
///
/// ```
/// use puressl::crypto::{self, FileType, KeyType, PKey};
/// let key = PKey::generate_key(KeyType::Ed25519, 0).unwrap();
/// let pem = crypto::dump_publickey(FileType::Pem, &key).unwrap();
/// assert!(pem.starts_with(b"-----BEGIN PUBLIC KEY-----\n"));
/// let public = crypto::load_publickey(FileType::Pem, &pem).unwrap();
/// assert_eq!(public, key);
/// assert!(!public.is_private());
/// ```
pub fn load_publickey(filetype: FileType, buffer: &[u8]) -> Result<PKey> {
    match filetype {
        FileType::Pem => {
            let block = pem::decode_first(buffer, &PUBLIC_LABELS)?;
            if block.label == "RSA PUBLIC KEY" {
                Ok(PKey::from_public(public_from_pkcs1_der(&block.der)?))
            } else {
                PKey::public_key_from_der(&block.der)
            }
        }
        FileType::Asn1 => PKey::public_key_from_der(buffer),
        FileType::Text => Err(Error::UnsupportedFileType {
            operation: "load_publickey",
            file_type: FileType::Text,
        }),
    }
}

/// Writes the SubjectPublicKeyInfo of `key` (pyOpenSSL `dump_publickey`):
/// `BEGIN PUBLIC KEY` PEM or DER, as `openssl pkey -pubout` writes them.
/// Text is [`Error::UnsupportedFileType`].
pub fn dump_publickey(filetype: FileType, key: &PKey) -> Result<Vec<u8>> {
    match filetype {
        FileType::Pem => Ok(pem::encode("PUBLIC KEY", &key.public_key_to_der()?).into_bytes()),
        FileType::Asn1 => key.public_key_to_der(),
        FileType::Text => Err(Error::UnsupportedFileType {
            operation: "dump_publickey",
            file_type: FileType::Text,
        }),
    }
}
