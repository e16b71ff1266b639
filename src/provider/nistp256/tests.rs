//! Differential tests against the `p256` crate, plus RFC 6979 A.2.5.

use p256::elliptic_curve::sec1::ToSec1Point;
use p256::elliptic_curve::PrimeField;
use sha2::{Digest, Sha256};
use signature::hazmat::PrehashVerifier;

use super::ecdsa::{verify_sha256, SigningKey, VerifyingKey};
use super::jacobian::mul_double_vartime;
use super::point::G;
use super::scalar::Scalar;
use super::table::mul_base;

/// Deterministic test bytes: SHA-256(label || i).
fn bytes(label: &str, i: u32) -> [u8; 32] {
    let mut h = Sha256::new();
    h.update(label.as_bytes());
    h.update(i.to_be_bytes());
    h.finalize().into()
}

fn hex(s: &str) -> Vec<u8> {
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).expect("hex"))
        .collect()
}

fn arr(s: &str) -> [u8; 32] {
    hex(s).try_into().expect("32 bytes")
}

fn p256_mul_base(k: &[u8; 32]) -> Vec<u8> {
    let s = Option::<p256::Scalar>::from(p256::Scalar::from_repr((*k).into())).expect("scalar");
    (p256::ProjectivePoint::GENERATOR * s)
        .to_affine()
        .to_sec1_point(false)
        .as_bytes()
        .to_vec()
}

/// Edge scalars: 1, 2, small, n-1, n-2, 2^255, 2^255 ± 1, all-high digits.
fn edge_scalars() -> Vec<[u8; 32]> {
    let n = super::field::limbs_to_be(&super::scalar::N);
    let mut v = Vec::new();
    for small in [1u8, 2, 3, 7, 8, 9, 15, 16, 17, 0x88, 0xff] {
        let mut b = [0u8; 32];
        b[31] = small;
        v.push(b);
    }
    for sub in [1u8, 2, 3, 8, 9] {
        let mut b = n;
        b[31] -= sub;
        v.push(b);
    }
    let mut top = [0u8; 32];
    top[0] = 0x80;
    v.push(top);
    let mut top1 = top;
    top1[31] = 1;
    v.push(top1);
    let mut below = [0xff; 32];
    below[0] = 0x7f;
    v.push(below);
    v.push([0x88; 32]);
    v.push([0x77; 32]);
    v.push([0x08; 32]);
    let mut big = n;
    big[1] = 0; // large but below n
    v.push(big);
    // 2^256 mod n and 2^257 mod n (the comb's last-row argument), digits
    // that are all 16 (each recodes to -16 with a carry), all 15.
    for h in [
        "00000000ffffffff00000000000000004319055258e8617b0c46353d039cdaaf",
        "00000001fffffffe000000000000000086320aa4b1d0c2f6188c6a7a0739b55e",
        "4210842108421084210842108421084210842108421084210842108421084210",
        "bdef7be5f7bdef74def7bdef7bdef7bfc52b04382c4a263c4da96426f841b8b8",
    ] {
        v.push(arr(h));
    }
    v
}

#[test]
fn mul_base_matches_p256() {
    let mut scalars = edge_scalars();
    scalars.extend((0..300).map(|i| Scalar::reduce_bytes(&bytes("k", i)).to_bytes()));
    for k in scalars {
        let ours = mul_base(&Option::<Scalar>::from(Scalar::from_bytes(&k)).expect("below n"));
        let ours = ours.to_affine().expect("nonzero k").to_uncompressed();
        assert_eq!(ours.to_vec(), p256_mul_base(&k), "k = {k:02x?}");
    }
    assert!(mul_base(&Scalar::ZERO).to_affine().is_none());
}

#[test]
fn double_mul_matches_p256() {
    for i in 0..60 {
        let (a, b, q) = (
            Scalar::reduce_bytes(&bytes("a", i)),
            Scalar::reduce_bytes(&bytes("b", i)),
            Scalar::reduce_bytes(&bytes("q", i)),
        );
        let q_point = mul_base(&q).to_affine().expect("finite");
        let ours = mul_double_vartime(&a, &b, &q_point)
            .to_affine()
            .expect("finite");
        // a·G + b·(q·G) = (a + b·q)·G
        let expect = p256_mul_base(&(a + b * q).to_bytes());
        assert_eq!(ours.to_uncompressed().to_vec(), expect);
    }
    // Edge cases: u2·Q = -u1·G gives the identity; Q = G doubles.
    let one = Scalar::ONE;
    assert!(mul_double_vartime(&one, &-one, &G).to_affine().is_none());
    let two = mul_double_vartime(&one, &one, &G).to_affine().expect("2G");
    assert_eq!(
        two.to_uncompressed().to_vec(),
        p256_mul_base(&(one + one).to_bytes())
    );
}

#[test]
fn deterministic_signatures_match_p256() {
    use signature::Signer;
    for i in 0..40 {
        let d = Scalar::reduce_bytes(&bytes("d", i)).to_bytes();
        let ours = SigningKey::from_bytes(&d).expect("key");
        let theirs = p256::ecdsa::SigningKey::from_bytes(&d.into()).expect("key");
        assert_eq!(
            ours.public_key().to_vec(),
            theirs
                .verifying_key()
                .to_sec1_point(false)
                .as_bytes()
                .to_vec()
        );
        let msg = bytes("m", i);
        let msg = &msg[..(i as usize % 33)];
        let (r, s) = ours.sign_prehash(&Sha256::digest(msg), &[]).expect("sign");
        let fixed: p256::ecdsa::Signature = theirs.sign(msg);
        assert_eq!([r, s].concat(), fixed.to_bytes().to_vec());
        let der: p256::ecdsa::DerSignature = theirs.sign(msg);
        assert_eq!(super::der::encode(&r, &s), der.as_bytes());
        // Hedged: the same additional data gives the `ecdsa` crate's nonce.
        let extra = bytes("extra", i);
        let (hr, hs) = ours
            .sign_prehash(&Sha256::digest(msg), &extra)
            .expect("sign");
        let (hedged, _) = ecdsa::hazmat::sign_prehashed_rfc6979::<p256::NistP256, Sha256>(
            theirs.as_nonzero_scalar(),
            &Sha256::digest(msg),
            &extra,
        );
        assert_eq!([hr, hs].concat(), hedged.to_bytes().to_vec());
        // SHA-384 hashes (TLS 1.2 may pair them with P-256) are truncated alike.
        let h384 = sha2::Sha384::digest(msg);
        let (r, s) = ours.sign_prehash(&h384, &[]).expect("sign");
        let theirs384: p256::ecdsa::Signature =
            signature::hazmat::PrehashSigner::sign_prehash(&theirs, &h384).expect("sign");
        assert_eq!([r, s].concat(), theirs384.to_bytes().to_vec());
    }
}

#[test]
fn rfc6979_a25_vectors() {
    // RFC 6979 appendix A.2.5, P-256 with SHA-256.
    let x = arr("C9AFA9D845BA75166B5C215767B1D6934E50C3DB36E89B127B8A622B120F6721");
    let key = SigningKey::from_bytes(&x).expect("key");
    let public = key.public_key();
    assert_eq!(
        public[1..33],
        arr("60FED4BA255A9D31C961EB74C6356D68C049B8923B61FA6CE669622E60F29FB6")
    );
    assert_eq!(
        public[33..],
        arr("7903FE1008B8BC99A41AE9E95628BC64F2F1B20C2D7E9F5177A3C294D4462299")
    );
    for (msg, r, s) in [
        (
            "sample",
            "EFD48B2AACB6A8FD1140DD9CD45E81D69D2C877B56AAF991C34D0EA84EAF3716",
            "F7CB1C942D657C41D436C7A1B6E29F65F3E900DBB9AFF4064DC4AB2F843ACDA8",
        ),
        (
            "test",
            "F1ABB023518351CD71D881567B1EA663ED3EFCF6C5132B354F28D3B0B7D38367",
            "019F4113742A2B14BD25926B49C649155F267E60D3814B4C0CC84250E46F0083",
        ),
    ] {
        let h = Sha256::digest(msg.as_bytes());
        let sig = key.sign_prehash(&h, &[]).expect("sign");
        assert_eq!(sig, (arr(r), arr(s)), "message {msg}");
        let der = super::der::encode(&sig.0, &sig.1);
        assert!(verify_sha256(&public, msg.as_bytes(), &der));
        assert!(!verify_sha256(&public, b"other", &der));
    }
}

/// p256's verdict on (key, message, DER signature).
fn p256_verdict(public: &[u8], msg: &[u8], sig: &[u8]) -> bool {
    let Ok(key) = p256::ecdsa::VerifyingKey::from_sec1_bytes(public) else {
        return false;
    };
    let Ok(sig) = p256::ecdsa::DerSignature::try_from(sig) else {
        return false;
    };
    key.verify_prehash(&Sha256::digest(msg), &sig).is_ok()
}

#[test]
fn verify_agrees_with_p256_on_valid_and_mutated_inputs() {
    use signature::Signer;
    // (Kept small: the crate itself is unoptimised under `cargo test`.)
    for i in 0..3 {
        let d = Scalar::reduce_bytes(&bytes("vd", i)).to_bytes();
        let key = p256::ecdsa::SigningKey::from_bytes(&d.into()).expect("key");
        let public = key.verifying_key().to_sec1_point(false).as_bytes().to_vec();
        let compressed = key.verifying_key().to_sec1_point(true).as_bytes().to_vec();
        let msg = bytes("vm", i);
        let sig: p256::ecdsa::DerSignature = key.sign(&msg);
        let sig = sig.as_bytes().to_vec();
        assert!(verify_sha256(&public, &msg, &sig));
        assert!(verify_sha256(&compressed, &msg, &sig));
        // Ours verifies with p256 too (hedged signature).
        let ours = SigningKey::from_bytes(&d).expect("key");
        let hedged = ours.sign_sha256_hedged(&msg).expect("sign");
        assert!(p256_verdict(&public, &msg, &hedged));
        assert!(verify_sha256(&public, &msg, &hedged));

        // Single-bit flips of signature, message and key: same verdict.
        // Every bit of the DER header and the first INTEGER's header, then
        // a spread over the rest.
        let bits = (0..40).chain((40..sig.len() * 8).step_by(9 + i as usize));
        for bit in bits {
            let mut m = sig.clone();
            m[bit / 8] ^= 1 << (bit % 8);
            assert_eq!(
                verify_sha256(&public, &msg, &m),
                p256_verdict(&public, &msg, &m),
                "sig bit {bit}"
            );
        }
        for bit in (0..256).step_by(31) {
            let mut m = msg;
            m[bit / 8] ^= 1 << (bit % 8);
            assert!(!verify_sha256(&public, &m, &sig));
        }
        for bit in (0..public.len() * 8).step_by(23) {
            let mut k = public.clone();
            k[bit / 8] ^= 1 << (bit % 8);
            assert_eq!(
                verify_sha256(&k, &msg, &sig),
                p256_verdict(&k, &msg, &sig),
                "key bit {bit}"
            );
            let mut c = compressed.clone();
            let at = bit % (c.len() * 8) / 8;
            c[at] ^= 1 << (bit % 8);
            assert_eq!(
                verify_sha256(&c, &msg, &sig),
                p256_verdict(&c, &msg, &sig),
                "compressed key bit {bit}"
            );
        }
        // Truncations and a trailing byte.
        for len in 0..sig.len() {
            assert!(!verify_sha256(&public, &msg, &sig[..len]));
        }
        let mut t = sig.clone();
        t.push(0);
        assert!(!verify_sha256(&public, &msg, &t));
    }
}

#[test]
fn verify_rejects_out_of_range_and_odd_encodings() {
    use signature::Signer;
    let d = [0x11u8; 32];
    let key = p256::ecdsa::SigningKey::from_bytes(&d.into()).expect("key");
    let public = key.verifying_key().to_sec1_point(false).as_bytes().to_vec();
    let msg = b"range";
    let sig: p256::ecdsa::Signature = key.sign(msg);
    let (r, s) = (sig.r().to_bytes(), sig.s().to_bytes());
    let r: [u8; 32] = r.into();
    let s: [u8; 32] = s.into();
    let n = super::field::limbs_to_be(&super::scalar::N);
    let zero = [0u8; 32];
    let enc = super::der::encode;
    assert!(verify_sha256(&public, msg, &enc(&r, &s)));
    // s and n - s both verify (no low-s rule), as with p256.
    let neg_s = (-Option::<Scalar>::from(Scalar::from_bytes(&s)).expect("s")).to_bytes();
    assert_eq!(
        verify_sha256(&public, msg, &enc(&r, &neg_s)),
        p256_verdict(&public, msg, &enc(&r, &neg_s))
    );
    assert!(verify_sha256(&public, msg, &enc(&r, &neg_s)));
    for (rr, ss) in [(zero, s), (r, zero), (n, s), (r, n), ([0xff; 32], s)] {
        let bad = enc(&rr, &ss);
        assert!(!verify_sha256(&public, msg, &bad));
        assert!(!p256_verdict(&public, msg, &bad));
    }
    // r + n in place of r (x reduction must not be skipped the other way).
    // Non-minimal INTEGER: an extra leading zero on r.
    let good = enc(&r, &s);
    let mut padded = vec![0x30, good[1] + 1, 0x02, good[3] + 1, 0x00];
    padded.extend_from_slice(&good[4..]);
    assert!(!verify_sha256(&public, msg, &padded));
    assert!(!p256_verdict(&public, msg, &padded));
    // Keys: identity, off-curve, coordinate ≥ p, compact form.
    assert!(!verify_sha256(&[0], msg, &good));
    let mut off = public.clone();
    off[64] ^= 1;
    assert!(!verify_sha256(&off, msg, &good));
    let p = hex("ffffffff00000001000000000000000000000000ffffffffffffffffffffffff");
    let mut big_x = vec![4];
    big_x.extend_from_slice(&p);
    big_x.extend_from_slice(&public[33..]);
    assert!(VerifyingKey::from_sec1(&big_x).is_err());
    let mut compact = vec![5];
    compact.extend_from_slice(&public[1..33]);
    assert_eq!(
        verify_sha256(&compact, msg, &good),
        p256_verdict(&compact, msg, &good)
    );
}

#[test]
fn sha384_verify_matches_p256() {
    for i in 0..4 {
        let d = Scalar::reduce_bytes(&bytes("d384", i)).to_bytes();
        let key = p256::ecdsa::SigningKey::from_bytes(&d.into()).expect("key");
        let public = key.verifying_key().to_sec1_point(false).as_bytes().to_vec();
        let msg = bytes("m384", i);
        let sig: p256::ecdsa::Signature =
            signature::hazmat::PrehashSigner::sign_prehash(&key, &sha2::Sha384::digest(msg))
                .expect("sign");
        let der = sig.to_der();
        assert!(super::ecdsa::verify_sha384(&public, &msg, der.as_bytes()));
        assert!(!verify_sha256(&public, &msg, der.as_bytes()));
    }
}

#[test]
fn signing_key_range() {
    assert!(SigningKey::from_bytes(&[0; 32]).is_err());
    let n = super::field::limbs_to_be(&super::scalar::N);
    assert!(SigningKey::from_bytes(&n).is_err());
    assert!(SigningKey::from_bytes(&[0xff; 32]).is_err());
    let mut n1 = n;
    n1[31] -= 1;
    assert!(SigningKey::from_bytes(&n1).is_ok());
}

#[test]
fn short_hashes_are_zero_extended_as_the_ecdsa_crate_does() {
    use signature::hazmat::PrehashSigner;
    for i in 0..24 {
        let d = Scalar::reduce_bytes(&bytes("short d", i)).to_bytes();
        let ours = SigningKey::from_bytes(&d).expect("key");
        let theirs = p256::ecdsa::SigningKey::from_bytes(&d.into()).expect("key");
        let public = ours.public_key();
        let key = VerifyingKey::from_sec1(&public).expect("public");
        let full = bytes("short m", i);
        // MD5, SHA-1 and SHA-224 lengths, and one that is not a digest's.
        for len in [16, 20, 28, 31] {
            let h = &full[..len];
            let (r, s) = ours.sign_prehash(h, &[]).expect("sign");
            let sig: p256::ecdsa::Signature = theirs.sign_prehash(h).expect("sign");
            assert_eq!([r, s].concat(), sig.to_bytes().to_vec(), "len {len}");
            let extra = bytes("short extra", i);
            let (hr, hs) = ours.sign_prehash(h, &extra).expect("sign");
            let (hedged, _) = ecdsa::hazmat::sign_prehashed_rfc6979::<p256::NistP256, Sha256>(
                theirs.as_nonzero_scalar(),
                h,
                &extra,
            );
            assert_eq!([hr, hs].concat(), hedged.to_bytes().to_vec(), "len {len}");
            let der = super::der::encode(&r, &s);
            assert!(key.verify_prehash(h, &der), "len {len}");
            assert!(theirs.verifying_key().verify_prehash(h, &sig).is_ok());
            // A zero-extended hash is the same integer; a changed one fails.
            let mut padded = vec![0u8; 32 - len];
            padded.extend_from_slice(h);
            assert!(key.verify_prehash(&padded, &der), "len {len}");
            let mut other = h.to_vec();
            other[len - 1] ^= 1;
            assert!(!key.verify_prehash(&other, &der), "len {len}");
        }
    }
}
