//! The PKCS#12 key derivation function (RFC 7292, appendix B.2) and the
//! password encodings PKCS#12 uses.

use zeroize::Zeroizing;

use crate::crypto::MessageDigest;

/// What the derived bytes are for (the diversifier `ID` of RFC 7292 B.3).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Purpose {
    /// Encryption key (ID 1).
    Key = 1,
    /// Initialisation vector (ID 2).
    Iv = 2,
    /// MAC key (ID 3).
    Mac = 3,
}

/// A PKCS#12 password in the two encodings the format uses.
///
/// `bmp` is the BMPString form the PKCS#12 KDF takes: UTF-16BE of the UTF-8
/// password followed by two zero bytes (bytes that are not valid UTF-8 are
/// taken one byte per character, as OpenSSL falls back to); an absent
/// password is the empty string *without* the terminator, which is how
/// OpenSSL encodes a `NULL` password. `raw` is the password as given, which
/// PBES2/PBKDF2 takes.
pub(crate) struct Password {
    pub(crate) raw: Zeroizing<Vec<u8>>,
    pub(crate) bmp: Zeroizing<Vec<u8>>,
}

impl Password {
    /// No password at all (OpenSSL's `NULL`).
    pub(crate) fn absent() -> Self {
        Password {
            raw: Zeroizing::new(Vec::new()),
            bmp: Zeroizing::new(Vec::new()),
        }
    }

    /// A password given as bytes (normally UTF-8). The empty password encodes
    /// as the BMPString terminator alone, `00 00`.
    pub(crate) fn new(pass: &[u8]) -> Self {
        let mut bmp = Zeroizing::new(Vec::with_capacity(pass.len() * 2 + 2));
        match std::str::from_utf8(pass) {
            Ok(s) => {
                for unit in s.encode_utf16() {
                    bmp.extend_from_slice(&unit.to_be_bytes());
                }
            }
            Err(_) => {
                for &b in pass {
                    bmp.extend_from_slice(&[0, b]);
                }
            }
        }
        bmp.extend_from_slice(&[0, 0]);
        Password {
            raw: Zeroizing::new(pass.to_vec()),
            bmp,
        }
    }

    /// `Some(p)` → [`Password::new`], `None` → [`Password::absent`].
    pub(crate) fn from_option(pass: Option<&[u8]>) -> Self {
        match pass {
            Some(p) => Self::new(p),
            None => Self::absent(),
        }
    }
}

/// Largest iteration count accepted from a file (as the `pkcs5` crate caps
/// PBKDF2), so that a hostile file cannot make a load run for hours.
pub(crate) const MAX_ITERATIONS: u32 = 100_000_000;

/// Checks an iteration count read from a file.
pub(crate) fn check_iterations(iterations: u32, what: &str) -> crate::crypto::Result<()> {
    if iterations > MAX_ITERATIONS {
        return Err(crate::crypto::Error::LimitExceeded {
            what: format!("PKCS#12 {what} iteration count"),
            reason: format!("{iterations} is more than the {MAX_ITERATIONS} puressl accepts"),
        });
    }
    Ok(())
}

/// The hash's input block size `v` in bytes.
fn block_size(md: MessageDigest) -> usize {
    match md {
        MessageDigest::Md5
        | MessageDigest::Sha1
        | MessageDigest::Sha224
        | MessageDigest::Sha256 => 64,
        MessageDigest::Sha384 | MessageDigest::Sha512 => 128,
    }
}

/// Repeats `src` to fill `v * ceil(len/v)` bytes (empty input stays empty).
fn stretch(src: &[u8], v: usize) -> Zeroizing<Vec<u8>> {
    let mut out = Zeroizing::new(Vec::new());
    if src.is_empty() {
        return out;
    }
    let len = v * src.len().div_ceil(v);
    out.extend(src.iter().cycle().take(len));
    out
}

/// Derives `n` bytes from the BMPString password `bmp_password` (see
/// [`Password::bmp`]), `salt` and `iterations` with the hash `md`, as RFC 7292
/// appendix B.2 defines (OpenSSL's `PKCS12_key_gen_uni`).
///
/// `iterations` of zero is treated as one, as OpenSSL does.
pub(crate) fn derive(
    md: MessageDigest,
    bmp_password: &[u8],
    salt: &[u8],
    iterations: u32,
    purpose: Purpose,
    n: usize,
) -> Zeroizing<Vec<u8>> {
    let args = (bmp_password, salt, iterations, purpose, n);
    match md {
        MessageDigest::Md5 => derive_with::<md5::Md5>(block_size(md), args),
        MessageDigest::Sha1 => derive_with::<sha1::Sha1>(block_size(md), args),
        MessageDigest::Sha224 => derive_with::<sha2::Sha224>(block_size(md), args),
        MessageDigest::Sha256 => derive_with::<sha2::Sha256>(block_size(md), args),
        MessageDigest::Sha384 => derive_with::<sha2::Sha384>(block_size(md), args),
        MessageDigest::Sha512 => derive_with::<sha2::Sha512>(block_size(md), args),
    }
}

fn derive_with<D: sha2::Digest>(
    v: usize,
    (bmp_password, salt, iterations, purpose, n): (&[u8], &[u8], u32, Purpose, usize),
) -> Zeroizing<Vec<u8>> {
    let d = vec![purpose as u8; v];
    let mut i_buf = stretch(salt, v);
    i_buf.extend_from_slice(&stretch(bmp_password, v));

    let mut out = Zeroizing::new(Vec::with_capacity(n + 64));
    while out.len() < n {
        let mut h = D::new();
        h.update(&d);
        h.update(&*i_buf);
        let mut a = h.finalize();
        for _ in 1..iterations {
            a = D::digest(&a);
        }
        out.extend_from_slice(&a);
        let a = Zeroizing::new(a.to_vec());
        if out.len() >= n {
            break;
        }
        // B = A repeated to v bytes; every v-byte block I_j of I becomes
        // (I_j + B + 1) mod 2^(8v).
        let b = stretch(&a, v);
        for block in i_buf.chunks_mut(v) {
            let mut carry: u16 = 1;
            for (x, y) in block.iter_mut().zip(b.iter()).rev() {
                let sum = u16::from(*x) + u16::from(*y) + carry;
                *x = (sum & 0xff) as u8;
                carry = sum >> 8;
            }
        }
    }
    out.truncate(n);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hex(b: &[u8]) -> String {
        b.iter().map(|x| format!("{x:02x}")).collect()
    }

    #[test]
    fn password_encodings() {
        assert_eq!(&*Password::new(b"ab").bmp, &[0, b'a', 0, b'b', 0, 0]);
        assert_eq!(&*Password::new(b"").bmp, &[0, 0]);
        assert!(Password::absent().bmp.is_empty());
        // U+00E4 and a supplementary-plane character (surrogate pair).
        assert_eq!(
            &*Password::new("\u{e4}\u{1F600}".as_bytes()).bmp,
            &[0x00, 0xe4, 0xd8, 0x3d, 0xde, 0x00, 0, 0]
        );
        // Not UTF-8: one byte per character.
        assert_eq!(&*Password::new(&[0xff]).bmp, &[0x00, 0xff, 0, 0]);
    }

    /// Values computed with OpenSSL's `PKCS12_key_gen_utf8` (through
    /// `openssl pkcs12 -export -legacy` and `-info -debug`) are checked in the
    /// integration tests; these are the classic test vectors of the KDF
    /// (password "smeg", salt 0A58CF64530D823F, 1 iteration, SHA-1).
    #[test]
    fn rfc7292_kdf_known_answers() {
        let pass = Password::new(b"smeg");
        let salt = [0x0a, 0x58, 0xcf, 0x64, 0x53, 0x0d, 0x82, 0x3f];
        let key = derive(MessageDigest::Sha1, &pass.bmp, &salt, 1, Purpose::Key, 24);
        assert_eq!(
            hex(&key),
            "8aaae6297b6cb04642ab5b077851284eb7128f1a2a7fbca3"
        );
        let iv = derive(MessageDigest::Sha1, &pass.bmp, &salt, 1, Purpose::Iv, 8);
        assert_eq!(hex(&iv), "79993dfe048d3b76");
    }
}
