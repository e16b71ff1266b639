//! Signature encodings of RFC 8017: EMSA-PKCS1-v1_5 (§9.2) and EMSA-PSS
//! (§9.1.1) with MGF1 (appendix B.2.1) over the same hash.

use zeroize::Zeroizing;

use super::RsaError;
use crate::crypto::MessageDigest;

/// The DER `DigestInfo` prefix for `md`: `SEQUENCE { SEQUENCE { OID, NULL },
/// OCTET STRING (hash) }` up to the hash bytes, built from the digest OID.
fn digest_info_prefix(md: MessageDigest) -> Vec<u8> {
    let oid = md.oid();
    let oid = oid.as_bytes();
    let hlen = md.size();
    // All lengths are below 128: single-byte DER lengths.
    let alg_len = 2 + oid.len() + 2;
    let total = 2 + alg_len + 2 + hlen;
    let mut out = Vec::with_capacity(total + 2 - hlen);
    out.extend_from_slice(&[
        0x30,
        total as u8,
        0x30,
        alg_len as u8,
        0x06,
        oid.len() as u8,
    ]);
    out.extend_from_slice(oid);
    out.extend_from_slice(&[0x05, 0x00, 0x04, hlen as u8]);
    out
}

/// EMSA-PKCS1-v1_5: `00 01 FF…FF 00 DigestInfo` of `k` bytes.
pub(super) fn pkcs1v15(md: MessageDigest, hash: &[u8], k: usize) -> Result<Vec<u8>, RsaError> {
    if hash.len() != md.size() {
        return Err(RsaError::HashLength {
            expected: md.size(),
            got: hash.len(),
        });
    }
    let prefix = digest_info_prefix(md);
    let t_len = prefix.len() + hash.len();
    // At least eight 0xff bytes of padding (RFC 8017 §9.2 step 3).
    if k < t_len + 11 {
        return Err(RsaError::KeyTooSmall);
    }
    let mut em = vec![0xffu8; k];
    em[0] = 0x00;
    em[1] = 0x01;
    em[k - t_len - 1] = 0x00;
    em[k - t_len..k - hash.len()].copy_from_slice(&prefix);
    em[k - hash.len()..].copy_from_slice(hash);
    Ok(em)
}

/// MGF1 with `md`: `len` bytes XORed into `out`.
fn mgf1_xor(md: MessageDigest, seed: &[u8], out: &mut [u8]) {
    let mut input = Zeroizing::new(Vec::with_capacity(seed.len() + 4));
    for (counter, chunk) in out.chunks_mut(md.size()).enumerate() {
        input.clear();
        input.extend_from_slice(seed);
        input.extend_from_slice(&(counter as u32).to_be_bytes());
        let block = Zeroizing::new(md.hash(&input));
        for (o, b) in chunk.iter_mut().zip(block.iter()) {
            *o ^= b;
        }
    }
}

/// EMSA-PSS-ENCODE for a modulus of `mod_bits` bits, with `salt` (its length
/// is the salt length); returns `k = ceil(mod_bits / 8)` bytes (a leading
/// zero byte when `mod_bits − 1` is a multiple of 8).
pub(super) fn pss(
    md: MessageDigest,
    hash: &[u8],
    salt: &[u8],
    mod_bits: usize,
) -> Result<Vec<u8>, RsaError> {
    let h_len = md.size();
    if hash.len() != h_len {
        return Err(RsaError::HashLength {
            expected: h_len,
            got: hash.len(),
        });
    }
    let em_bits = mod_bits.saturating_sub(1);
    let em_len = em_bits.div_ceil(8);
    if em_len < h_len + salt.len() + 2 {
        return Err(RsaError::KeyTooSmall);
    }
    // H = Hash(00×8 || mHash || salt).
    let mut m_prime = Zeroizing::new(Vec::with_capacity(8 + h_len + salt.len()));
    m_prime.extend_from_slice(&[0u8; 8]);
    m_prime.extend_from_slice(hash);
    m_prime.extend_from_slice(salt);
    let h = md.hash(&m_prime);
    // DB = PS || 01 || salt, masked with MGF1(H).
    let db_len = em_len - h_len - 1;
    let k = mod_bits.div_ceil(8);
    let mut out = vec![0u8; k];
    let em = &mut out[k - em_len..];
    let (db, rest) = em.split_at_mut(db_len);
    db[db_len - salt.len() - 1] = 0x01;
    db[db_len - salt.len()..].copy_from_slice(salt);
    mgf1_xor(md, &h, db);
    // Clear the bits above em_bits.
    db[0] &= 0xffu8 >> (8 * em_len - em_bits);
    rest[..h_len].copy_from_slice(&h);
    rest[h_len] = 0xbc;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digest_info_prefixes_match_rfc8017() {
        // RFC 8017 §9.2 note 1 lists these encodings.
        let hex = |b: &[u8]| b.iter().map(|x| format!("{x:02x}")).collect::<String>();
        assert_eq!(
            hex(&digest_info_prefix(MessageDigest::Sha256)),
            "3031300d060960864801650304020105000420"
        );
        assert_eq!(
            hex(&digest_info_prefix(MessageDigest::Sha1)),
            "3021300906052b0e03021a05000414"
        );
        assert_eq!(
            hex(&digest_info_prefix(MessageDigest::Md5)),
            "3020300c06082a864886f70d020505000410"
        );
        assert_eq!(
            hex(&digest_info_prefix(MessageDigest::Sha512)),
            "3051300d060960864801650304020305000440"
        );
    }

    #[test]
    fn encodings_check_sizes() {
        let md = MessageDigest::Sha512;
        assert!(matches!(
            pkcs1v15(md, &[0; 63], 256),
            Err(RsaError::HashLength { .. })
        ));
        assert!(matches!(
            pkcs1v15(md, &[0; 64], 64),
            Err(RsaError::KeyTooSmall)
        ));
        assert!(matches!(
            pss(md, &[0; 64], &[0; 64], 1024),
            Err(RsaError::KeyTooSmall)
        ));
        let em = pss(md, &[7; 64], &[9; 20], 1025).expect("fits");
        assert_eq!(em.len(), 129);
        assert_eq!(em[0], 0);
        assert_eq!(em[128], 0xbc);
    }
}
