//! `NetscapeSpki`: Netscape SignedPublicKeyAndChallenge (SPKAC), what HTML's
//! `<keygen>` sent and `openssl spkac` writes; pyOpenSSL's `NetscapeSPKI`.

use base64::Engine as _;
use der::asn1::{BitString, Ia5String};
use der::{Decode, Encode, Sequence};
use spki::{AlgorithmIdentifierOwned, SubjectPublicKeyInfoOwned};

use super::{AsPublicKey, Error, PKey, Result};

/// `PublicKeyAndChallenge ::= SEQUENCE { spki SubjectPublicKeyInfo, challenge IA5String }`.
#[derive(Clone, Debug, PartialEq, Eq, Sequence)]
struct PublicKeyAndChallenge {
    spki: SubjectPublicKeyInfoOwned,
    challenge: Ia5String,
}

/// `SignedPublicKeyAndChallenge ::= SEQUENCE { publicKeyAndChallenge,
/// signatureAlgorithm AlgorithmIdentifier, signature BIT STRING }`.
#[derive(Clone, Debug, PartialEq, Eq, Sequence)]
struct SignedPublicKeyAndChallenge {
    public_key_and_challenge: PublicKeyAndChallenge,
    signature_algorithm: AlgorithmIdentifierOwned,
    signature: BitString,
}

/// A Netscape SPKI (SPKAC): a public key and a challenge string, signed with
/// the matching private key. pyOpenSSL's `NetscapeSPKI`.
///
/// ```
/// use puressl::crypto::NetscapeSpki;
/// let line = "SPKAC=MIHIMHAwWTATBgcqhkjOPQIBBggqhkjOPQMBBwNCAARgpnIbQjeh2MCVeMloiXwHnhQd0a7RS0Wbka\
///             sVltlT2d2xkZfrRnLxhsmPn8Ybxl9Mh27zaRaRr6AI0GEXhVGbFhNlYyBjaGFsbGVuZ2Ugc3RyaW5nMAoGCCqG\
///             SM49BAMCA0gAMEUCIQCrLVyZedJJR9sx36JS5lkfLskth1LVA7VkJxsPaIJC+gIgBDXGJvnB1zY8eCNNdzqHvl4\
///             mUJq7m1ve+P9kFgtJ4pQ=";
/// let spki = NetscapeSpki::from_b64(line).unwrap();
/// assert_eq!(spki.challenge(), "ec challenge string");
/// assert_eq!(spki.signature_algorithm().unwrap(), "ecdsa-with-SHA256");
/// let key = spki.pubkey().unwrap();
/// spki.verify(&key).unwrap();
/// ```
#[doc(alias = "NetscapeSPKI")]
#[doc(alias = "NetscapeSPKIType")]
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NetscapeSpki {
    spki: Option<SubjectPublicKeyInfoOwned>,
    /// Always ASCII (an IA5String).
    challenge: String,
    /// Signature algorithm and value; `None` until signed (or after a change).
    signature: Option<(AlgorithmIdentifierOwned, BitString)>,
}

impl Default for NetscapeSpki {
    fn default() -> Self {
        Self::new()
    }
}

fn corrupt(e: der::Error) -> Error {
    Error::malformed_by("SPKAC", e)
}

impl NetscapeSpki {
    /// An empty SPKI: no key, empty challenge, not signed.
    pub fn new() -> Self {
        NetscapeSpki {
            spki: None,
            challenge: String::new(),
            signature: None,
        }
    }

    /// Reads the base64 form. A leading `SPKAC=` (as `openssl spkac`
    /// prints it) and any whitespace or line breaks are accepted.
    ///
    /// pyOpenSSL documented this as `NetscapeSPKI(enc)` but never
    /// implemented it after 0.13.
    #[doc(alias = "NetscapeSPKI")]
    pub fn from_b64(enc: impl AsRef<[u8]>) -> Result<Self> {
        let mut text: Vec<u8> = enc
            .as_ref()
            .iter()
            .copied()
            .filter(|b| !b.is_ascii_whitespace())
            .collect();
        if text.starts_with(b"SPKAC=") {
            text.drain(..6);
        }
        let engine = base64::engine::GeneralPurpose::new(
            &base64::alphabet::STANDARD,
            base64::engine::GeneralPurposeConfig::new()
                .with_decode_padding_mode(base64::engine::DecodePaddingMode::Indifferent),
        );
        let der = engine
            .decode(&text)
            .map_err(|e| Error::malformed_by("SPKAC base64", e))?;
        Self::from_der(&der)
    }

    /// Reads the DER `SignedPublicKeyAndChallenge`.
    pub fn from_der(der: &[u8]) -> Result<Self> {
        let s = SignedPublicKeyAndChallenge::from_der(der).map_err(corrupt)?;
        Ok(NetscapeSpki {
            spki: Some(s.public_key_and_challenge.spki),
            challenge: s.public_key_and_challenge.challenge.as_str().to_owned(),
            signature: Some((s.signature_algorithm, s.signature)),
        })
    }

    fn signed(&self) -> Result<SignedPublicKeyAndChallenge> {
        let spki = self
            .spki
            .clone()
            .ok_or_else(|| Error::missing("SPKI", "public key"))?;
        let (alg, sig) = self
            .signature
            .clone()
            .ok_or(Error::NotSigned { object: "SPKI" })?;
        Ok(SignedPublicKeyAndChallenge {
            public_key_and_challenge: PublicKeyAndChallenge {
                spki,
                challenge: self.ia5_challenge()?,
            },
            signature_algorithm: alg,
            signature: sig,
        })
    }

    /// The DER `SignedPublicKeyAndChallenge`. The SPKI must have a key and
    /// be signed.
    pub fn to_der(&self) -> Result<Vec<u8>> {
        Ok(self.signed()?.to_der()?)
    }

    /// The base64 form (no `SPKAC=` prefix, no line breaks), as pyOpenSSL's
    /// `b64_encode()` returns it. The SPKI must have a key and be signed.
    pub fn b64_encode(&self) -> Result<String> {
        Ok(base64::engine::general_purpose::STANDARD.encode(self.to_der()?))
    }

    /// The public key (pyOpenSSL `get_pubkey`); a new SPKI without a key
    /// is an error.
    #[doc(alias = "get_pubkey")]
    pub fn pubkey(&self) -> Result<PKey> {
        match &self.spki {
            Some(spki) => PKey::public_key_from_der(&spki.to_der()?),
            None => Err(Error::missing("SPKI", "public key")),
        }
    }

    /// Sets the public key (its public half is used). Drops any signature.
    pub fn set_pubkey(&mut self, key: &PKey) -> Result<()> {
        let der = key.public_key_to_der()?;
        self.spki = Some(SubjectPublicKeyInfoOwned::from_der(&der)?);
        self.signature = None;
        Ok(())
    }

    /// The challenge string.
    pub fn challenge(&self) -> &str {
        &self.challenge
    }

    fn ia5_challenge(&self) -> Result<Ia5String> {
        Ia5String::new(&self.challenge).map_err(|e| {
            Error::invalid_string_by("SPKAC challenge", "must be ASCII (IA5String)", e)
        })
    }

    /// Sets the challenge (IA5String: ASCII only). Drops any signature.
    pub fn set_challenge(&mut self, challenge: &str) -> Result<()> {
        if !challenge.is_ascii() {
            return Err(Error::invalid_string(
                "SPKAC challenge",
                "must be ASCII (IA5String)",
            ));
        }
        self.challenge = challenge.to_owned();
        self.signature = None;
        Ok(())
    }

    /// OpenSSL's long name of the signature algorithm
    /// (`md5WithRSAEncryption`, `ecdsa-with-SHA256`, `ED25519`); an unsigned
    /// SPKI or an OID OpenSSL does not know is an error (as for
    /// [`X509::signature_algorithm`](super::X509::signature_algorithm)).
    pub fn signature_algorithm(&self) -> Result<&'static str> {
        let oid = self.signature_algorithm_oid()?;
        super::asn1::objects::by_oid(&oid)
            .map(|o| o.ln)
            .ok_or_else(|| Error::unsupported(format!("undefined signature algorithm {oid}")))
    }

    /// The dotted OID of the signature algorithm; an unsigned SPKI is an error.
    pub fn signature_algorithm_oid(&self) -> Result<String> {
        self.signature
            .as_ref()
            .map(|(alg, _)| alg.oid.to_string())
            .ok_or(Error::NotSigned { object: "SPKI" })
    }

    /// Signs the key and challenge with `key` (the private half of the SPKI's
    /// key): pyOpenSSL `sign(pkey, digest)`. `digest` is a
    /// [`MessageDigest`](super::MessageDigest) or an OpenSSL digest name
    /// (`"sha256"`, `"md5"`, ...); Ed25519 keys take `DigestArg::NONE` or `""`.
    pub fn sign(&mut self, key: &PKey, digest: impl Into<super::DigestArg>) -> Result<()> {
        let digest = super::signed::signing_digest(key, digest.into())?;
        if !key.is_private() {
            return Err(Error::PublicKeyOnly);
        }
        let pkc = PublicKeyAndChallenge {
            spki: self
                .spki
                .clone()
                .ok_or_else(|| Error::missing("SPKI", "public key"))?,
            challenge: self.ia5_challenge()?,
        };
        let tbs = pkc.to_der()?;
        let alg = key.signature_algorithm(digest)?;
        let sig = key.sign_with_algorithm(&alg, &tbs)?;
        self.signature = Some((alg, BitString::from_bytes(&sig)?));
        Ok(())
    }

    /// Checks the signature with `key` (a [`PKey`] or anything holding a
    /// public key). A signature that does not verify is
    /// [`Error::BadSignature`] (pyOpenSSL raises `Error`); an unsigned SPKI
    /// is an error too.
    pub fn verify<K: AsPublicKey + ?Sized>(&self, key: &K) -> Result<()> {
        let key = key.as_public_key()?;
        let (alg, sig) = self
            .signature
            .as_ref()
            .ok_or(Error::NotSigned { object: "SPKI" })?;
        let tbs = self.signed()?.public_key_and_challenge.to_der()?;
        let sig = sig
            .as_bytes()
            .ok_or_else(|| Error::malformed("SPKAC signature", "BIT STRING with unused bits"))?;
        key.verify_with_algorithm(alg, &tbs, sig)
    }
}
