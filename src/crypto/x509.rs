//! `X509`: certificates.

use super::asn1::oid::ids;
use super::asn1::pem;
use super::asn1::tlv::{self, bad};
use super::extension::{self, ExtContext, X509Extension};
use super::serial::SerialNumber;
use super::signed::{
    self, algorithm_long_name, algorithm_oid, signer_digest, verify_tbs, Algorithm, Envelope,
};
use super::time::{self, Asn1Time, IntoAsn1Time};
use super::{AsPublicKey, DigestArg, Error, PKey, Result, X509Name};

/// An X.509 certificate: pyOpenSSL's `X509`.
///
/// A loaded certificate keeps its exact encoding: dumping it gives back the
/// identical DER until a setter changes it. A changed certificate must be
/// [`sign`](Self::sign)ed again before it can be dumped.
///
/// ```no_run
/// use puressl::crypto::{dump_certificate, FileType, KeyType, PKey, X509};
/// let key = PKey::generate_key(KeyType::Ec, 256)?;
/// let mut cert = X509::new();
/// cert.set_version(2)?;
/// cert.set_serial_number(42u32);
/// cert.subject_mut().set("CN", "example.test")?;
/// cert.set_issuer(&cert.subject().clone());
/// cert.gmtime_adj_not_before(0)?;
/// cert.gmtime_adj_not_after(86400)?;
/// cert.set_pubkey(&key)?;
/// cert.sign(&key, "sha256")?;
/// let pem = dump_certificate(FileType::Pem, &cert)?;
/// # Ok::<(), puressl::crypto::Error>(())
/// ```
#[doc(alias = "X509Type")]
#[derive(Clone)]
pub struct X509 {
    version: u8,
    serial: SerialNumber,
    /// DER AlgorithmIdentifier inside the TBSCertificate.
    tbs_sig_alg: Option<Vec<u8>>,
    issuer: X509Name,
    not_before: Option<Asn1Time>,
    not_after: Option<Asn1Time>,
    subject: X509Name,
    /// DER SubjectPublicKeyInfo.
    spki: Option<Vec<u8>>,
    /// Raw `[1] issuerUniqueID` / `[2] subjectUniqueID` elements.
    issuer_uid: Option<Vec<u8>>,
    subject_uid: Option<Vec<u8>>,
    extensions: Vec<X509Extension>,
    /// Signature, outer algorithm and the exact encoding.
    envelope: Envelope,
}

impl Default for X509 {
    fn default() -> Self {
        Self::new()
    }
}

impl std::fmt::Debug for X509 {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("X509")
            .field("version", &self.version)
            .field("serial", &self.serial)
            .field("subject", &self.subject)
            .field("issuer", &self.issuer)
            .field("not_before", &self.not_before())
            .field("not_after", &self.not_after())
            .finish_non_exhaustive()
    }
}

impl PartialEq for X509 {
    /// Certificates are equal when their DER encodings are; an unsigned
    /// certificate equals nothing but itself field by field.
    fn eq(&self, other: &Self) -> bool {
        match (self.to_der(), other.to_der()) {
            (Ok(a), Ok(b)) => a == b,
            _ => false,
        }
    }
}

impl X509 {
    /// An empty certificate: version 0 (v1), serial 0, empty names, no
    /// times, no key, not signed.
    pub fn new() -> Self {
        Self {
            version: 0,
            serial: SerialNumber::zero(),
            tbs_sig_alg: None,
            issuer: X509Name::new(),
            not_before: None,
            not_after: None,
            subject: X509Name::new(),
            spki: None,
            issuer_uid: None,
            subject_uid: None,
            extensions: Vec::new(),
            envelope: Envelope::unsigned(&signed::CERTIFICATE),
        }
    }

    /// Reads a DER certificate. Strict: definite, minimal lengths and no
    /// bytes after the certificate (OpenSSL tolerates both; puressl does not).
    pub fn from_der(der: &[u8]) -> Result<Self> {
        let (envelope, tbs) = Envelope::parse(der, &signed::CERTIFICATE)?;
        let mut t = tbs.reader();
        let version = match t.read_optional(0xa0, "version")? {
            Some(v) => {
                let i = tlv::parse_one(v.content, "version")?.expect(0x02, "version")?;
                match i.content {
                    [v @ 0..=2] => *v,
                    _ => return Err(bad("version", "must be 0, 1 or 2")),
                }
            }
            None => 0,
        };
        let serial = SerialNumber::from_der_content(t.read_tag(0x02, "serialNumber")?.content)?;
        let tbs_sig_alg = t.read_tag(0x30, "signature")?.full.to_vec();
        let issuer = X509Name::from_tlv_content(t.read_tag(0x30, "issuer")?.content)?;
        let validity = t.read_tag(0x30, "validity")?;
        let mut v = validity.reader();
        let not_before = Asn1Time::from_tlv(&v.read("notBefore")?)?;
        let not_after = Asn1Time::from_tlv(&v.read("notAfter")?)?;
        v.finish("validity")?;
        let subject = X509Name::from_tlv_content(t.read_tag(0x30, "subject")?.content)?;
        let spki = t.read_tag(0x30, "subjectPublicKeyInfo")?.full.to_vec();
        let issuer_uid = t
            .read_optional(0x81, "issuerUniqueID")?
            .map(|x| x.full.to_vec());
        let subject_uid = t
            .read_optional(0x82, "subjectUniqueID")?
            .map(|x| x.full.to_vec());
        let extensions = match t.read_optional(0xa3, "extensions")? {
            Some(x) => {
                let seq = tlv::parse_one(x.content, "extensions")?.expect(0x30, "extensions")?;
                extension::list::parse(seq.content)?
            }
            None => Vec::new(),
        };
        t.finish("TBSCertificate")?;
        // OpenSSL 3.0 loads v1/v2 certificates with extensions too; only
        // signing refuses to write one.
        Ok(Self {
            version,
            serial,
            tbs_sig_alg: Some(tbs_sig_alg),
            issuer,
            not_before: Some(not_before),
            not_after: Some(not_after),
            subject,
            spki: Some(spki),
            issuer_uid,
            subject_uid,
            extensions,
            envelope,
        })
    }

    /// Reads the first certificate of a PEM buffer (see [`load_certificate`](crate::crypto::load_certificate)).
    pub fn from_pem(pem: &[u8]) -> Result<Self> {
        let der = pem::decode_first_der(pem, pem::CERTIFICATE_LABELS)?;
        Self::from_der(&der)
    }

    /// Reads every certificate of a PEM buffer, in order.
    pub fn stack_from_pem(pem: &[u8]) -> Result<Vec<Self>> {
        pem::decode_all_der(pem, pem::CERTIFICATE_LABELS)?
            .iter()
            .map(|d| Self::from_der(d))
            .collect()
    }

    /// The DER encoding. An unsigned or modified-but-not-re-signed
    /// certificate is an error.
    pub fn to_der(&self) -> Result<Vec<u8>> {
        self.envelope.to_der()
    }

    /// The PEM encoding (`-----BEGIN CERTIFICATE-----`).
    pub fn to_pem(&self) -> Result<Vec<u8>> {
        Ok(pem::encode("CERTIFICATE", &self.to_der()?).into_bytes())
    }

    /// The DER of the TBSCertificate that is (or was) signed, for signature checks.
    pub fn tbs_der(&self) -> Result<Vec<u8>> {
        self.envelope.tbs_der(|| self.encode_tbs())
    }

    fn touch(&mut self) {
        self.envelope.touch();
    }

    fn encode_tbs(&self) -> Result<Vec<u8>> {
        let need = |what: &str| Error::missing("certificate", what);
        let mut c = Vec::new();
        if self.version != 0 {
            let v = tlv::tlv(0x02, &[self.version]);
            tlv::push_tlv(&mut c, 0xa0, &v);
        }
        tlv::push_tlv(&mut c, 0x02, &self.serial.to_der_content());
        c.extend_from_slice(
            self.tbs_sig_alg
                .as_deref()
                .ok_or_else(|| need("signature algorithm"))?,
        );
        c.extend_from_slice(&self.issuer.der());
        let mut validity = self
            .not_before
            .as_ref()
            .ok_or_else(|| need("notBefore"))?
            .encode();
        validity.extend_from_slice(
            &self
                .not_after
                .as_ref()
                .ok_or_else(|| need("notAfter"))?
                .encode(),
        );
        tlv::push_tlv(&mut c, 0x30, &validity);
        c.extend_from_slice(&self.subject.der());
        c.extend_from_slice(self.spki.as_deref().ok_or_else(|| need("public key"))?);
        if let Some(u) = &self.issuer_uid {
            c.extend_from_slice(u);
        }
        if let Some(u) = &self.subject_uid {
            c.extend_from_slice(u);
        }
        if !self.extensions.is_empty() {
            if self.version != 2 {
                return Err(Error::out_of_range(
                    "certificate version",
                    self.version,
                    "extensions need version 2 (X.509 v3)",
                ));
            }
            let exts = extension::list::encode(&self.extensions);
            tlv::push_tlv(&mut c, 0xa3, &exts);
        }
        Ok(tlv::tlv(0x30, &c))
    }

    /// Signs the certificate with `key` (pyOpenSSL `sign(pkey, digest)`):
    /// `digest` is a [`MessageDigest`](crate::crypto::MessageDigest) or an OpenSSL digest name (`"sha256"`,
    /// ...) for RSA, DSA and ECDSA keys; Ed25519 keys sign without a separate
    /// digest and take [`DigestArg::NONE`] or `""` (any digest is an error).
    /// A public-only key is an error.
    ///
    /// ```
    /// use puressl::crypto::{KeyType, MessageDigest, PKey, X509};
    /// let key = PKey::generate_key(KeyType::Ec, 256).unwrap();
    /// let mut cert = X509::new();
    /// cert.set_pubkey(&key).unwrap();
    /// cert.gmtime_adj_not_before(0).unwrap();
    /// cert.gmtime_adj_not_after(3600).unwrap();
    /// cert.sign(&key, MessageDigest::Sha256).unwrap();
    /// cert.sign(&key, "sha384").unwrap(); // pyOpenSSL's spelling works too
    /// ```
    pub fn sign(&mut self, key: &PKey, digest: impl Into<DigestArg>) -> Result<()> {
        let md = signer_digest(key, digest.into())?;
        let alg = Algorithm::new(key, md)?;
        self.tbs_sig_alg = Some(alg.der.clone());
        let tbs = self.encode_tbs()?;
        self.envelope.seal(key, &alg, tbs)
    }

    /// Checks the certificate's signature with `key` (the issuer's public
    /// key): `Ok(())`, or [`Error::BadSignature`] and other errors.
    pub fn verify(&self, key: &PKey) -> Result<()> {
        let (alg, bits) = self.envelope.signed_parts()?;
        verify_tbs(key, alg, &self.tbs_der()?, bits)
    }

    signed::version_accessors! {
        /// The version, 0-based (2 = X.509 v3). pyOpenSSL `get_version`.
        #[doc(alias = "get_version")]
        fn version;
        /// Sets the version: 0 (v1), 1 (v2) or 2 (v3); anything else is an error.
        fn set_version("certificate version", max 2, "must be 0, 1 or 2");
    }

    /// The serial number. pyOpenSSL `get_serial_number`.
    #[doc(alias = "get_serial_number")]
    pub fn serial_number(&self) -> &SerialNumber {
        &self.serial
    }

    /// Sets the serial number (any size and sign).
    pub fn set_serial_number(&mut self, serial: impl Into<SerialNumber>) {
        self.serial = serial.into();
        self.touch();
    }

    signed::name_field_accessors! {
        #[doc(alias = "get_issuer")]
        /// (`cert.set_issuer(&cert.subject().clone())` for a self-signed certificate.)
        fn issuer("certificate"), mut fn issuer_mut, fn set_issuer;
        #[doc(alias = "get_subject")]
        fn subject("certificate"), mut fn subject_mut, fn set_subject;
    }

    signed::public_key_accessors!("certificate");

    time::time_field_accessors! {
        #[doc(alias = "get_notBefore")]
        #[doc(alias = "set_notBefore")]
        ///
        /// ```
        /// use std::time::{Duration, SystemTime};
        /// use puressl::crypto::X509;
        /// let mut cert = X509::new();
        /// cert.set_not_before("20240101000000Z").unwrap();
        /// cert.set_not_after(SystemTime::UNIX_EPOCH + Duration::from_secs(1_893_456_000)).unwrap();
        /// assert_eq!(cert.not_after().as_deref(), Some("20300101000000Z"));
        /// ```
        fn not_before("notBefore"), fn not_before_asn1_type, fn not_before_time, fn set_not_before;
        #[doc(alias = "get_notAfter")]
        #[doc(alias = "set_notAfter")]
        fn not_after("notAfter"), fn not_after_asn1_type, fn not_after_time, fn set_not_after;
    }

    /// Sets notBefore to now + `seconds`. pyOpenSSL `gmtime_adj_notBefore`.
    #[doc(alias = "gmtime_adj_notBefore")]
    pub fn gmtime_adj_not_before(&mut self, seconds: i64) -> Result<()> {
        self.not_before = Some(Asn1Time::now_plus(seconds)?);
        self.touch();
        Ok(())
    }

    /// Sets notAfter to now + `seconds`. pyOpenSSL `gmtime_adj_notAfter`.
    #[doc(alias = "gmtime_adj_notAfter")]
    pub fn gmtime_adj_not_after(&mut self, seconds: i64) -> Result<()> {
        self.not_after = Some(Asn1Time::now_plus(seconds)?);
        self.touch();
        Ok(())
    }

    /// Whether notAfter is in the past (notBefore is not looked at, as in
    /// pyOpenSSL). A certificate without notAfter is an error.
    pub fn has_expired(&self) -> Result<bool> {
        let na = self
            .not_after
            .as_ref()
            .ok_or_else(|| Error::missing("certificate", "notAfter"))?;
        Ok(na.unix() < time::now())
    }

    /// Whether `when` (an [`Asn1Time`], a `SystemTime`, or text
    /// `YYYYMMDDhhmmssZ` or with a `±hhmm` offset) lies within
    /// notBefore..=notAfter.
    pub fn is_valid_at(&self, when: impl IntoAsn1Time) -> Result<bool> {
        let t = when.into_asn1_time()?.unix();
        match (&self.not_before, &self.not_after) {
            (Some(nb), Some(na)) => Ok(nb.unix() <= t && t <= na.unix()),
            _ => Err(Error::missing("certificate", "validity period")),
        }
    }

    /// The fingerprint: the DER hashed with `digest` (a [`MessageDigest`](crate::crypto::MessageDigest) or
    /// its OpenSSL name), as `AB:CD:...` (upper-case hex). pyOpenSSL `digest`.
    pub fn digest(&self, digest: impl Into<DigestArg>) -> Result<String> {
        let md = digest.into().digest()?;
        let d = md.hash(&self.to_der()?);
        Ok(d.iter()
            .map(|b| format!("{b:02X}"))
            .collect::<Vec<_>>()
            .join(":"))
    }

    /// `X509_subject_name_hash` (SHA-1 of the canonical subject, =
    /// `openssl x509 -subject_hash`). pyOpenSSL `subject_name_hash`.
    pub fn subject_name_hash(&self) -> u32 {
        self.subject.hash()
    }

    /// The pre-1.0 MD5 subject hash (`openssl x509 -subject_hash_old`),
    /// the one the pyOpenSSL 0.8 manual describes.
    pub fn subject_name_hash_old(&self) -> u32 {
        self.subject.hash_old()
    }

    /// OpenSSL's long name of the signature algorithm
    /// (`sha256WithRSAEncryption`, `ecdsa-with-SHA384`, `dsa_with_SHA256`,
    /// `ED25519`, `rsassaPss`). pyOpenSSL `get_signature_algorithm`; an
    /// unsigned certificate or an unknown OID is an error.
    #[doc(alias = "get_signature_algorithm")]
    pub fn signature_algorithm(&self) -> Result<&'static str> {
        algorithm_long_name(self.signature_algorithm_der()?)
    }

    /// The dotted OID of the signature algorithm.
    pub fn signature_algorithm_oid(&self) -> Result<String> {
        algorithm_oid(self.signature_algorithm_der()?)
    }

    fn signature_algorithm_der(&self) -> Result<&[u8]> {
        self.tbs_sig_alg.as_deref().ok_or(Error::NotSigned {
            object: "certificate",
        })
    }

    /// The signature bytes (BIT STRING contents without the unused-bits octet).
    pub fn signature(&self) -> Option<&[u8]> {
        self.envelope.signature()
    }

    /// Number of extensions. pyOpenSSL `get_extension_count`.
    #[doc(alias = "get_extension_count")]
    pub fn extension_count(&self) -> usize {
        self.extensions.len()
    }

    /// The extension at `index`. pyOpenSSL `get_extension`; out of range is an error.
    #[doc(alias = "get_extension")]
    pub fn extension(&self, index: usize) -> Result<&X509Extension> {
        self.extensions.get(index).ok_or_else(|| {
            Error::out_of_range(
                "extension index",
                index,
                format!("the certificate has {} extensions", self.extensions.len()),
            )
        })
    }

    /// All extensions in order.
    pub fn extensions(&self) -> &[X509Extension] {
        &self.extensions
    }

    /// Appends extensions. pyOpenSSL `add_extensions`.
    pub fn add_extensions<I>(&mut self, extensions: I)
    where
        I: IntoIterator<Item = X509Extension>,
    {
        self.extensions.extend(extensions);
        self.touch();
    }

    /// The extension context this certificate gives as subject and/or issuer.
    pub(crate) fn fill_ext_context(
        ctx: &mut ExtContext,
        subject: Option<&X509>,
        issuer: Option<&X509>,
    ) {
        if let Some(s) = subject {
            ctx.subject_spki = s.spki.clone();
        }
        if let Some(i) = issuer {
            ctx.issuer_spki = i.spki.clone();
            ctx.issuer_key_id = i
                .extensions
                .iter()
                .find(|e| e.id() == ids::SUBJECT_KEY_IDENTIFIER)
                .and_then(|e| tlv::parse_one(e.data(), "subjectKeyIdentifier").ok())
                .filter(|t| t.tag == 0x04)
                .map(|t| t.content.to_vec());
            ctx.issuer_issuer_der = Some(i.issuer.der());
            ctx.issuer_serial = Some(i.serial.to_der_content());
        }
    }
}

impl AsPublicKey for X509 {
    /// The certificate's public key ([`X509::pubkey`]).
    fn as_public_key(&self) -> Result<PKey> {
        self.pubkey()
    }
}

impl X509Extension {
    /// `X509Extension(type_name, critical, value, subject, issuer)`: as
    /// [`X509Extension::new`], with the subject certificate (for
    /// `subjectKeyIdentifier = hash`) and the issuer certificate (for
    /// `authorityKeyIdentifier = keyid, issuer`).
    pub fn with_subject_issuer(
        type_name: &str,
        critical: bool,
        value: &str,
        subject: Option<&X509>,
        issuer: Option<&X509>,
    ) -> Result<X509Extension> {
        let mut ctx = ExtContext::default();
        X509::fill_ext_context(&mut ctx, subject, issuer);
        X509Extension::new_with_context(type_name, critical, value, &ctx)
    }
}

impl X509 {
    pub(crate) fn tbs_sig_alg_der(&self) -> Option<&[u8]> {
        self.tbs_sig_alg.as_deref()
    }

    pub(crate) fn sig_alg_der(&self) -> Option<&[u8]> {
        self.envelope.algorithm_der()
    }

    pub(crate) fn raw_not_before(&self) -> Option<&Asn1Time> {
        self.not_before.as_ref()
    }

    pub(crate) fn raw_not_after(&self) -> Option<&Asn1Time> {
        self.not_after.as_ref()
    }

    pub(crate) fn unique_ids(&self) -> (Option<&[u8]>, Option<&[u8]>) {
        (self.issuer_uid.as_deref(), self.subject_uid.as_deref())
    }
}
