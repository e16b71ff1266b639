//! AES-GCM and ChaCha20-Poly1305 record protection for TLS 1.3 and TLS 1.2.
//!
//! Records are sealed and opened in place: the plaintext is copied once into
//! rustls' [`PrefixedPayload`] (which already reserves room for the record
//! header), encrypted there, and the tag appended; inbound records are
//! decrypted inside rustls' receive buffer. AES-GCM is puressl's own
//! composition of the `aes` and `polyval` crates ([`gcm`]: one pass per
//! batch, GHASH as POLYVAL); ChaCha20-Poly1305 is the `chacha20poly1305`
//! crate. Tags are checked in constant time, and key schedules are zeroized
//! on drop (`zeroize` features).

use core::marker::PhantomData;

use chacha20poly1305::aead::{AeadInOut, KeyInit};
use rustls::crypto::cipher::{
    make_tls12_aad, make_tls13_aad, AeadKey, InboundOpaqueMessage, InboundPlainMessage, Iv,
    KeyBlockShape, MessageDecrypter, MessageEncrypter, Nonce, OutboundOpaqueMessage,
    OutboundPlainMessage, PrefixedPayload, Tls12AeadAlgorithm, Tls13AeadAlgorithm,
    UnsupportedOperationError, NONCE_LEN,
};
use rustls::{ConnectionTrafficSecrets, ContentType, Error, PeerMisbehaved, ProtocolVersion};

/// Length of every AEAD tag used in TLS.
pub(crate) const TAG_LEN: usize = 16;
/// Length of the explicit nonce that TLS 1.2 AES-GCM records carry.
const GCM_EXPLICIT_NONCE_LEN: usize = 8;
/// Length of the implicit (salt) part of a TLS 1.2 AES-GCM nonce.
const GCM_FIXED_IV_LEN: usize = 4;
/// The largest plaintext a record may carry: 2^14 bytes (RFC 5246 §6.2.1,
/// RFC 8446 §5.1). TLS 1.3 records are checked by rustls itself (in
/// `into_tls13_unpadded_message`); TLS 1.2 ones here.
pub(crate) const MAX_FRAGMENT_LEN: usize = 1 << 14;

/// RFC 5246 §6.2.3: a TLS 1.2 record whose plaintext would exceed 2^14
/// bytes is fatal; `PeerSentOversizedRecord` makes rustls send the
/// `record_overflow` alert. The length is public, so it is checked before
/// any work is spent on opening the record.
fn check_tls12_len(pt_len: usize) -> Result<(), Error> {
    if pt_len > MAX_FRAGMENT_LEN {
        return Err(Error::PeerSentOversizedRecord);
    }
    Ok(())
}

/// One AEAD primitive with a 96-bit nonce and a 128-bit tag.
pub(crate) trait Cipher: Send + Sync + Sized + 'static {
    /// Key length in bytes.
    const KEY_LEN: usize;
    /// Makes the keyed cipher (key schedule computed once per direction).
    fn new(key: &[u8]) -> Option<Self>;
    /// Encrypts `buf` in place and returns the tag.
    fn seal(&self, nonce: &[u8; NONCE_LEN], aad: &[u8], buf: &mut [u8]) -> Option<[u8; TAG_LEN]>;
    /// Decrypts `buf` in place if `tag` authenticates it (constant-time check).
    fn open(&self, nonce: &[u8; NONCE_LEN], aad: &[u8], buf: &mut [u8], tag: &[u8]) -> bool;
    /// Packs key and IV for kTLS-style export.
    fn secrets(key: AeadKey, iv: Iv) -> ConnectionTrafficSecrets;
}

/// ChaCha20-Poly1305 is the `chacha20poly1305` crate's; AES-GCM is
/// [`gcm`]'s own (its `Cipher` impl is there).
impl Cipher for chacha20poly1305::ChaCha20Poly1305 {
    const KEY_LEN: usize = 32;

    fn new(key: &[u8]) -> Option<Self> {
        <Self as KeyInit>::new_from_slice(key).ok()
    }

    #[inline]
    fn seal(&self, nonce: &[u8; NONCE_LEN], aad: &[u8], buf: &mut [u8]) -> Option<[u8; TAG_LEN]> {
        let tag = self
            .encrypt_inout_detached(&(*nonce).into(), aad, buf.into())
            .ok()?;
        Some(tag.into())
    }

    #[inline]
    fn open(&self, nonce: &[u8; NONCE_LEN], aad: &[u8], buf: &mut [u8], tag: &[u8]) -> bool {
        let Ok(tag) = <[u8; TAG_LEN]>::try_from(tag) else {
            return false;
        };
        self.decrypt_inout_detached(&(*nonce).into(), aad, buf.into(), &tag.into())
            .is_ok()
    }

    fn secrets(key: AeadKey, iv: Iv) -> ConnectionTrafficSecrets {
        ConnectionTrafficSecrets::Chacha20Poly1305 { key, iv }
    }
}

mod gcm;
pub(crate) use gcm::{Aes128Gcm, Aes256Gcm};

/// Builds the 12-byte IV of a TLS 1.2 suite from the key block parts.
fn tls12_iv(fixed: &[u8], explicit: &[u8]) -> Option<Iv> {
    let mut iv = [0u8; NONCE_LEN];
    if fixed.len() + explicit.len() != NONCE_LEN {
        return None;
    }
    let (a, b) = iv.split_at_mut(fixed.len());
    a.copy_from_slice(fixed);
    b.copy_from_slice(explicit);
    Some(Iv::from(iv))
}

// ---------------------------------------------------------------- TLS 1.3

/// A TLS 1.3 AEAD algorithm over cipher `C`.
pub(crate) struct Tls13<C>(PhantomData<fn() -> C>);

/// TLS 1.3 AES-128-GCM.
pub(crate) static TLS13_AES_128_GCM: Tls13<Aes128Gcm> = Tls13(PhantomData);
/// TLS 1.3 AES-256-GCM.
pub(crate) static TLS13_AES_256_GCM: Tls13<Aes256Gcm> = Tls13(PhantomData);
/// TLS 1.3 ChaCha20-Poly1305.
pub(crate) static TLS13_CHACHA20_POLY1305: Tls13<chacha20poly1305::ChaCha20Poly1305> =
    Tls13(PhantomData);

impl<C: Cipher> Tls13AeadAlgorithm for Tls13<C> {
    fn encrypter(&self, key: AeadKey, iv: Iv) -> Box<dyn MessageEncrypter> {
        match C::new(key.as_ref()) {
            Some(cipher) => Box::new(Tls13Record { cipher, iv }),
            None => Box::new(Broken),
        }
    }

    fn decrypter(&self, key: AeadKey, iv: Iv) -> Box<dyn MessageDecrypter> {
        match C::new(key.as_ref()) {
            Some(cipher) => Box::new(Tls13Record { cipher, iv }),
            None => Box::new(Broken),
        }
    }

    fn key_len(&self) -> usize {
        C::KEY_LEN
    }

    fn extract_keys(
        &self,
        key: AeadKey,
        iv: Iv,
    ) -> Result<ConnectionTrafficSecrets, UnsupportedOperationError> {
        Ok(C::secrets(key, iv))
    }
}

/// One direction of TLS 1.3 record protection.
struct Tls13Record<C> {
    cipher: C,
    iv: Iv,
}

impl<C: Cipher> MessageEncrypter for Tls13Record<C> {
    fn encrypt(
        &mut self,
        msg: OutboundPlainMessage<'_>,
        seq: u64,
    ) -> Result<OutboundOpaqueMessage, Error> {
        let total_len = self.encrypted_payload_len(msg.payload.len());
        let mut payload = PrefixedPayload::with_capacity(total_len);
        payload.extend_from_chunks(&msg.payload);
        payload.extend_from_slice(&[u8::from(msg.typ)]);
        let nonce = Nonce::new(&self.iv, seq).0;
        let aad = make_tls13_aad(total_len);
        let tag = self
            .cipher
            .seal(&nonce, &aad, payload.as_mut())
            .ok_or(Error::EncryptError)?;
        payload.extend_from_slice(&tag);
        Ok(OutboundOpaqueMessage::new(
            ContentType::ApplicationData,
            ProtocolVersion::TLSv1_2,
            payload,
        ))
    }

    fn encrypted_payload_len(&self, payload_len: usize) -> usize {
        payload_len + 1 + TAG_LEN
    }
}

impl<C: Cipher> MessageDecrypter for Tls13Record<C> {
    fn decrypt<'a>(
        &mut self,
        mut msg: InboundOpaqueMessage<'a>,
        seq: u64,
    ) -> Result<InboundPlainMessage<'a>, Error> {
        let payload = &mut msg.payload;
        // RFC 8446 §5.2: a protected record over 2^14 + 256 bytes is
        // `record_overflow` (before any work is spent on it).
        if payload.len() > MAX_FRAGMENT_LEN + 256 {
            return Err(Error::PeerSentOversizedRecord);
        }
        let Some(ct_len) = payload.len().checked_sub(TAG_LEN) else {
            return Err(Error::DecryptError);
        };
        let nonce = Nonce::new(&self.iv, seq).0;
        let aad = make_tls13_aad(payload.len());
        let (ct, tag) = payload.split_at_mut(ct_len);
        if !self.cipher.open(&nonce, &aad, ct, tag) {
            return Err(Error::DecryptError);
        }
        payload.truncate(ct_len);
        match msg.into_tls13_unpadded_message() {
            // RFC 8446 §5.4: an inner plaintext of zeros only (no content
            // type) MUST get `unexpected_message`; rustls sends no alert at
            // all for `IllegalTlsInnerPlaintext`, and `unexpected_message`
            // only for this, its sibling record-layer error.
            Err(Error::PeerMisbehaved(PeerMisbehaved::IllegalTlsInnerPlaintext)) => Err(
                Error::PeerMisbehaved(PeerMisbehaved::IllegalMiddleboxChangeCipherSpec),
            ),
            r => r,
        }
    }
}

// ---------------------------------------------------------------- TLS 1.2

/// TLS 1.2 AES-GCM (RFC 5288): 4-byte implicit salt, 8-byte explicit nonce.
pub(crate) struct Tls12Gcm<C>(PhantomData<fn() -> C>);

/// TLS 1.2 AES-128-GCM.
pub(crate) static TLS12_AES_128_GCM: Tls12Gcm<Aes128Gcm> = Tls12Gcm(PhantomData);
/// TLS 1.2 AES-256-GCM.
pub(crate) static TLS12_AES_256_GCM: Tls12Gcm<Aes256Gcm> = Tls12Gcm(PhantomData);

impl<C: Cipher> Tls12AeadAlgorithm for Tls12Gcm<C> {
    fn encrypter(&self, key: AeadKey, iv: &[u8], extra: &[u8]) -> Box<dyn MessageEncrypter> {
        match (C::new(key.as_ref()), tls12_iv(iv, extra)) {
            (Some(cipher), Some(iv)) => Box::new(Tls12GcmRecord { cipher, iv }),
            _ => Box::new(Broken),
        }
    }

    fn decrypter(&self, key: AeadKey, iv: &[u8]) -> Box<dyn MessageDecrypter> {
        // Only the salt matters when opening: the rest comes with each record.
        match (
            C::new(key.as_ref()),
            tls12_iv(iv, &[0u8; GCM_EXPLICIT_NONCE_LEN]),
        ) {
            (Some(cipher), Some(iv)) => Box::new(Tls12GcmRecord { cipher, iv }),
            _ => Box::new(Broken),
        }
    }

    fn key_block_shape(&self) -> KeyBlockShape {
        KeyBlockShape {
            enc_key_len: C::KEY_LEN,
            fixed_iv_len: GCM_FIXED_IV_LEN,
            explicit_nonce_len: GCM_EXPLICIT_NONCE_LEN,
        }
    }

    fn extract_keys(
        &self,
        key: AeadKey,
        iv: &[u8],
        explicit: &[u8],
    ) -> Result<ConnectionTrafficSecrets, UnsupportedOperationError> {
        let iv = tls12_iv(iv, explicit).ok_or(UnsupportedOperationError)?;
        Ok(C::secrets(key, iv))
    }
}

/// One direction of TLS 1.2 AES-GCM record protection.
struct Tls12GcmRecord<C> {
    cipher: C,
    /// Salt || per-connection random explicit-nonce base.
    iv: Iv,
}

impl<C: Cipher> MessageEncrypter for Tls12GcmRecord<C> {
    fn encrypt(
        &mut self,
        msg: OutboundPlainMessage<'_>,
        seq: u64,
    ) -> Result<OutboundOpaqueMessage, Error> {
        let total_len = self.encrypted_payload_len(msg.payload.len());
        let mut payload = PrefixedPayload::with_capacity(total_len);
        let nonce = Nonce::new(&self.iv, seq).0;
        let aad = make_tls12_aad(seq, msg.typ, msg.version, msg.payload.len());
        payload.extend_from_slice(&nonce[GCM_FIXED_IV_LEN..]);
        payload.extend_from_chunks(&msg.payload);
        let body = payload
            .as_mut()
            .get_mut(GCM_EXPLICIT_NONCE_LEN..)
            .ok_or(Error::EncryptError)?;
        let tag = self
            .cipher
            .seal(&nonce, &aad, body)
            .ok_or(Error::EncryptError)?;
        payload.extend_from_slice(&tag);
        Ok(OutboundOpaqueMessage::new(msg.typ, msg.version, payload))
    }

    fn encrypted_payload_len(&self, payload_len: usize) -> usize {
        GCM_EXPLICIT_NONCE_LEN + payload_len + TAG_LEN
    }
}

impl<C: Cipher> MessageDecrypter for Tls12GcmRecord<C> {
    fn decrypt<'a>(
        &mut self,
        mut msg: InboundOpaqueMessage<'a>,
        seq: u64,
    ) -> Result<InboundPlainMessage<'a>, Error> {
        let payload = &mut msg.payload;
        let Some(pt_len) = payload.len().checked_sub(GCM_EXPLICIT_NONCE_LEN + TAG_LEN) else {
            return Err(Error::DecryptError);
        };
        check_tls12_len(pt_len)?;
        let mut nonce = [0u8; NONCE_LEN];
        let (salt, explicit) = nonce.split_at_mut(GCM_FIXED_IV_LEN);
        salt.copy_from_slice(&self.iv.as_ref()[..GCM_FIXED_IV_LEN]);
        let (record_nonce, rest) = payload.split_at_mut(GCM_EXPLICIT_NONCE_LEN);
        explicit.copy_from_slice(record_nonce);
        let aad = make_tls12_aad(seq, msg.typ, msg.version, pt_len);
        let (ct, tag) = rest.split_at_mut(pt_len);
        if !self.cipher.open(&nonce, &aad, ct, tag) {
            return Err(Error::DecryptError);
        }
        Ok(msg.into_plain_message_range(GCM_EXPLICIT_NONCE_LEN..GCM_EXPLICIT_NONCE_LEN + pt_len))
    }
}

/// TLS 1.2 ChaCha20-Poly1305 (RFC 7905): 12-byte implicit IV, no explicit nonce.
pub(crate) struct Tls12ChaCha;

/// TLS 1.2 ChaCha20-Poly1305.
pub(crate) static TLS12_CHACHA20_POLY1305: Tls12ChaCha = Tls12ChaCha;

type ChaCha = chacha20poly1305::ChaCha20Poly1305;

impl Tls12AeadAlgorithm for Tls12ChaCha {
    fn encrypter(&self, key: AeadKey, iv: &[u8], _extra: &[u8]) -> Box<dyn MessageEncrypter> {
        match (<ChaCha as Cipher>::new(key.as_ref()), tls12_iv(iv, &[])) {
            (Some(cipher), Some(iv)) => Box::new(Tls12ChaChaRecord { cipher, iv }),
            _ => Box::new(Broken),
        }
    }

    fn decrypter(&self, key: AeadKey, iv: &[u8]) -> Box<dyn MessageDecrypter> {
        match (<ChaCha as Cipher>::new(key.as_ref()), tls12_iv(iv, &[])) {
            (Some(cipher), Some(iv)) => Box::new(Tls12ChaChaRecord { cipher, iv }),
            _ => Box::new(Broken),
        }
    }

    fn key_block_shape(&self) -> KeyBlockShape {
        KeyBlockShape {
            enc_key_len: <ChaCha as Cipher>::KEY_LEN,
            fixed_iv_len: NONCE_LEN,
            explicit_nonce_len: 0,
        }
    }

    fn extract_keys(
        &self,
        key: AeadKey,
        iv: &[u8],
        _explicit: &[u8],
    ) -> Result<ConnectionTrafficSecrets, UnsupportedOperationError> {
        let iv = tls12_iv(iv, &[]).ok_or(UnsupportedOperationError)?;
        Ok(ChaCha::secrets(key, iv))
    }
}

/// One direction of TLS 1.2 ChaCha20-Poly1305 record protection.
struct Tls12ChaChaRecord {
    cipher: ChaCha,
    iv: Iv,
}

impl MessageEncrypter for Tls12ChaChaRecord {
    fn encrypt(
        &mut self,
        msg: OutboundPlainMessage<'_>,
        seq: u64,
    ) -> Result<OutboundOpaqueMessage, Error> {
        let total_len = self.encrypted_payload_len(msg.payload.len());
        let mut payload = PrefixedPayload::with_capacity(total_len);
        let nonce = Nonce::new(&self.iv, seq).0;
        let aad = make_tls12_aad(seq, msg.typ, msg.version, msg.payload.len());
        payload.extend_from_chunks(&msg.payload);
        let tag = self
            .cipher
            .seal(&nonce, &aad, payload.as_mut())
            .ok_or(Error::EncryptError)?;
        payload.extend_from_slice(&tag);
        Ok(OutboundOpaqueMessage::new(msg.typ, msg.version, payload))
    }

    fn encrypted_payload_len(&self, payload_len: usize) -> usize {
        payload_len + TAG_LEN
    }
}

impl MessageDecrypter for Tls12ChaChaRecord {
    fn decrypt<'a>(
        &mut self,
        mut msg: InboundOpaqueMessage<'a>,
        seq: u64,
    ) -> Result<InboundPlainMessage<'a>, Error> {
        let payload = &mut msg.payload;
        let Some(pt_len) = payload.len().checked_sub(TAG_LEN) else {
            return Err(Error::DecryptError);
        };
        check_tls12_len(pt_len)?;
        let nonce = Nonce::new(&self.iv, seq).0;
        let aad = make_tls12_aad(seq, msg.typ, msg.version, pt_len);
        let (ct, tag) = payload.split_at_mut(pt_len);
        if !self.cipher.open(&nonce, &aad, ct, tag) {
            return Err(Error::DecryptError);
        }
        payload.truncate(pt_len);
        Ok(msg.into_plain_message())
    }
}

/// Stands in when a key of the wrong length reaches us (rustls never does
/// this): every record fails instead of the process panicking.
struct Broken;

impl MessageEncrypter for Broken {
    fn encrypt(
        &mut self,
        _: OutboundPlainMessage<'_>,
        _: u64,
    ) -> Result<OutboundOpaqueMessage, Error> {
        Err(Error::EncryptError)
    }

    fn encrypted_payload_len(&self, payload_len: usize) -> usize {
        payload_len
    }
}

impl MessageDecrypter for Broken {
    fn decrypt<'a>(
        &mut self,
        _: InboundOpaqueMessage<'a>,
        _: u64,
    ) -> Result<InboundPlainMessage<'a>, Error> {
        Err(Error::DecryptError)
    }
}

#[cfg(test)]
mod tests {
    //! Known answers through the same `Cipher::seal`/`open` calls the record
    //! layer makes, and TLS record round trips.
    use super::*;

    fn unhex(s: &str) -> Vec<u8> {
        (0..s.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap_or_default())
            .collect()
    }

    fn kat<C: Cipher>(key: &str, nonce: &str, aad: &str, pt: &str, ct: &str, tag: &str) {
        let cipher = C::new(&unhex(key)).expect("key length");
        let nonce: [u8; NONCE_LEN] = unhex(nonce).try_into().expect("nonce length");
        let mut buf = unhex(pt);
        let got_tag = cipher.seal(&nonce, &unhex(aad), &mut buf).expect("seal");
        assert_eq!(buf, unhex(ct));
        assert_eq!(got_tag.to_vec(), unhex(tag));
        assert!(cipher.open(&nonce, &unhex(aad), &mut buf, &got_tag));
        assert_eq!(buf, unhex(pt));
        // A flipped tag bit is rejected (and leaves an error, not plaintext).
        let mut bad_tag = got_tag;
        bad_tag[15] ^= 1;
        let mut ct_buf = unhex(ct);
        assert!(!cipher.open(&nonce, &unhex(aad), &mut ct_buf, &bad_tag));
        assert!(!cipher.open(&nonce, &unhex(aad), &mut ct_buf, &bad_tag[..15]));
    }

    /// RFC 8439, section 2.8.2.
    #[test]
    fn chacha20_poly1305_rfc8439() {
        let pt: String = b"Ladies and Gentlemen of the class of '99: If I could offer you only one tip for the future, sunscreen would be it."
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        kat::<ChaCha>(
            "808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f",
            "070000004041424344454647",
            "50515253c0c1c2c3c4c5c6c7",
            &pt,
            "d31a8d34648e60db7b86afbc53ef7ec2a4aded51296e08fea9e2b5a736ee62d63dbea45e8ca9671282fafb69da92728b1a71de0a9e060b2905d6a5b67ecd3b3692ddbd7f2d778b8c9803aee328091b58fab324e4fad675945585808b4831d7bc3ff4def08e4b7a9de576d26586cec64b6116",
            "1ae10b594f09e26a7e902ecbd0600691",
        );
    }

    const GCM_PT: &str = "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a721c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b391aafd255";

    /// The GCM specification (McGrew and Viega), test case 3 (AES-128).
    #[test]
    fn aes_128_gcm_spec_case3() {
        kat::<Aes128Gcm>(
            "feffe9928665731c6d6a8f9467308308",
            "cafebabefacedbaddecaf888",
            "",
            GCM_PT,
            "42831ec2217774244b7221b784d0d49ce3aa212f2c02a4e035c17e2329aca12e21d514b25466931c7d8f6a5aac84aa051ba30b396a0aac973d58e091473f5985",
            "4d5c2af327cd64a62cf35abd2ba6fab4",
        );
    }

    /// NIST CAVP gcmEncryptExtIV128: an empty message, tag only.
    #[test]
    fn aes_128_gcm_nist_empty() {
        kat::<Aes128Gcm>(
            "11754cd72aec309bf52f7687212e8957",
            "3c819d9a9bed087615030b65",
            "",
            "",
            "",
            "250327c674aaf477aef2675748cf6971",
        );
    }

    /// The GCM specification, test case 16 (AES-256, with AAD).
    #[test]
    fn aes_256_gcm_spec_case16() {
        kat::<Aes256Gcm>(
            "feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308",
            "cafebabefacedbaddecaf888",
            "feedfacedeadbeeffeedfacedeadbeefabaddad2",
            &GCM_PT[..120],
            "522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662",
            "76fc6ece0f4e1768cddf8853bb2d551b",
        );
    }

    /// A 32-byte key: rustls' `AeadKey` can only be built at full length
    /// outside rustls, so the record round trips use the 256-bit ciphers
    /// (AES-128 records are covered by the handshake tests).
    fn key() -> AeadKey {
        let mut k = [0u8; 32];
        for (i, b) in k.iter_mut().enumerate() {
            *b = i as u8;
        }
        AeadKey::from(k)
    }

    fn round_trip(
        mut enc: Box<dyn MessageEncrypter>,
        mut dec: Box<dyn MessageDecrypter>,
        overhead: usize,
    ) {
        let data = b"hello, record layer";
        for seq in [0u64, 1, 7, u64::MAX >> 1] {
            let msg = OutboundPlainMessage {
                typ: ContentType::ApplicationData,
                version: ProtocolVersion::TLSv1_2,
                payload: data.as_slice().into(),
            };
            assert_eq!(enc.encrypted_payload_len(data.len()), data.len() + overhead);
            let sealed = enc.encrypt(msg, seq).expect("encrypt");
            let mut wire = sealed.encode();
            assert_eq!(wire.len(), 5 + data.len() + overhead);
            let mut body = wire.split_off(5);
            // Wrong sequence number: authentication fails.
            let mut copy = body.clone();
            let opaque = InboundOpaqueMessage::new(
                ContentType::ApplicationData,
                ProtocolVersion::TLSv1_2,
                &mut copy,
            );
            assert!(matches!(
                dec.decrypt(opaque, seq + 1),
                Err(Error::DecryptError)
            ));
            let opaque = InboundOpaqueMessage::new(
                ContentType::ApplicationData,
                ProtocolVersion::TLSv1_2,
                &mut body,
            );
            let plain = dec.decrypt(opaque, seq).expect("decrypt");
            assert_eq!(plain.payload, data);
            assert_eq!(plain.typ, ContentType::ApplicationData);
        }
        let mut short = [0u8; 3];
        let opaque = InboundOpaqueMessage::new(
            ContentType::ApplicationData,
            ProtocolVersion::TLSv1_2,
            &mut short,
        );
        assert!(matches!(dec.decrypt(opaque, 0), Err(Error::DecryptError)));
    }

    #[test]
    fn tls13_records_round_trip() {
        let iv = || Iv::from([9u8; NONCE_LEN]);
        let algs: [&dyn Tls13AeadAlgorithm; 2] = [&TLS13_AES_256_GCM, &TLS13_CHACHA20_POLY1305];
        for alg in algs {
            assert_eq!(alg.key_len(), 32);
            round_trip(
                alg.encrypter(key(), iv()),
                alg.decrypter(key(), iv()),
                1 + TAG_LEN,
            );
        }
        // A key of the wrong length never panics: every record fails.
        let mut enc = TLS13_AES_128_GCM.encrypter(key(), iv());
        let msg = OutboundPlainMessage {
            typ: ContentType::ApplicationData,
            version: ProtocolVersion::TLSv1_2,
            payload: b"x".as_slice().into(),
        };
        assert!(matches!(enc.encrypt(msg, 0), Err(Error::EncryptError)));
    }

    #[test]
    fn tls12_records_round_trip() {
        let k = key;
        let chacha = &TLS12_CHACHA20_POLY1305;
        let iv = [3u8; NONCE_LEN];
        round_trip(
            chacha.encrypter(k(), &iv, &[]),
            chacha.decrypter(k(), &iv),
            TAG_LEN,
        );
        let gcm = &TLS12_AES_256_GCM;
        round_trip(
            gcm.encrypter(k(), &iv[..4], &[5u8; 8]),
            gcm.decrypter(k(), &iv[..4]),
            GCM_EXPLICIT_NONCE_LEN + TAG_LEN,
        );
    }

    /// Seals `len` bytes and opens them again: the decrypter's verdict.
    fn open_sealed(
        enc: &mut dyn MessageEncrypter,
        dec: &mut dyn MessageDecrypter,
        len: usize,
    ) -> Result<usize, Error> {
        let data = vec![0x61u8; len];
        let msg = OutboundPlainMessage {
            typ: ContentType::ApplicationData,
            version: ProtocolVersion::TLSv1_2,
            payload: data.as_slice().into(),
        };
        let mut body = enc.encrypt(msg, 3).expect("encrypt").encode().split_off(5);
        let opaque = InboundOpaqueMessage::new(
            ContentType::ApplicationData,
            ProtocolVersion::TLSv1_2,
            &mut body,
        );
        dec.decrypt(opaque, 3).map(|p| p.payload.len())
    }

    /// RFC 5246 §6.2.3 / RFC 8446 §5.2: 2^14 plaintext bytes open, one more
    /// is `PeerSentOversizedRecord` (rustls' `record_overflow` alert), on
    /// every suite.
    #[test]
    fn oversized_plaintext_is_record_overflow() {
        let iv = [3u8; NONCE_LEN];
        let pairs: Vec<(Box<dyn MessageEncrypter>, Box<dyn MessageDecrypter>)> = vec![
            (
                TLS12_CHACHA20_POLY1305.encrypter(key(), &iv, &[]),
                TLS12_CHACHA20_POLY1305.decrypter(key(), &iv),
            ),
            (
                TLS12_AES_256_GCM.encrypter(key(), &iv[..4], &[5u8; 8]),
                TLS12_AES_256_GCM.decrypter(key(), &iv[..4]),
            ),
            (
                TLS13_AES_256_GCM.encrypter(key(), Iv::from(iv)),
                TLS13_AES_256_GCM.decrypter(key(), Iv::from(iv)),
            ),
            (
                TLS13_CHACHA20_POLY1305.encrypter(key(), Iv::from(iv)),
                TLS13_CHACHA20_POLY1305.decrypter(key(), Iv::from(iv)),
            ),
        ];
        for (mut enc, mut dec) in pairs {
            assert_eq!(
                open_sealed(enc.as_mut(), dec.as_mut(), MAX_FRAGMENT_LEN).expect("2^14 opens"),
                MAX_FRAGMENT_LEN
            );
            for len in [MAX_FRAGMENT_LEN + 1, MAX_FRAGMENT_LEN + 2048 - 24] {
                assert!(matches!(
                    open_sealed(enc.as_mut(), dec.as_mut(), len),
                    Err(Error::PeerSentOversizedRecord)
                ));
            }
        }
    }
}
