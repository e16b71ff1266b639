//! `X509Crl`: certificate revocation lists (pyOpenSSL's `CRL`).

use super::revoked::{self, Revoked};
use crate::crypto::asn1::oid::ids;
use crate::crypto::asn1::pem::{self, CRL_LABELS};
use crate::crypto::asn1::tlv::{self, bad};
use crate::crypto::extension;
use crate::crypto::signed::{
    self, algorithm_long_name, algorithm_oid, signer_digest, verify_tbs, Algorithm, Envelope,
};
use crate::crypto::time::{self, Asn1Time};
use crate::crypto::{DigestArg, Error, PKey, Result, SerialNumber, X509Extension, X509Name, X509};

/// A certificate revocation list: pyOpenSSL's `CRL`.
///
/// A loaded CRL keeps its exact encoding until a setter changes it; a
/// changed CRL must be [`sign`](Self::sign)ed again before it is dumped.
///
/// ```
/// use puressl::crypto::{FileType, Revoked, X509Crl, X509};
/// # use puressl::crypto::{KeyType, PKey, X509Extension, X509Name};
/// # fn issue(subject: &str, ca: bool, issuer: Option<(&X509, &PKey)>) -> Result<(X509, PKey), puressl::crypto::Error> {
/// #     let key = PKey::generate_key(KeyType::Ec, 256)?;
/// #     let mut c = X509::new();
/// #     c.set_version(2)?;
/// #     c.set_serial_number(1u64);
/// #     c.subject_mut().set("CN", subject)?;
/// #     let issuer_name: X509Name = issuer.map_or_else(|| c.subject().clone(), |(i, _)| i.subject().clone());
/// #     c.set_issuer(&issuer_name);
/// #     c.set_pubkey(&key)?;
/// #     c.gmtime_adj_not_before(-60)?;
/// #     c.gmtime_adj_not_after(3600)?;
/// #     let bc = if ca { "CA:TRUE" } else { "CA:FALSE" };
/// #     c.add_extensions([X509Extension::new("basicConstraints", true, bc)?]);
/// #     c.sign(issuer.map_or(&key, |(_, k)| k), "sha256")?;
/// #     Ok((c, key))
/// # }
/// let (ca_cert, ca_key) = issue("CA", true, None)?;
/// let mut crl = X509Crl::new();
/// let mut r = Revoked::new();
/// r.set_serial(b"0ABC")?;
/// r.set_rev_date(b"20240101000000Z")?;
/// r.set_reason(Some(b"keyCompromise"))?;
/// crl.add_revoked(&r);
/// let pem = crl.export(&ca_cert, &ca_key, FileType::Pem, 30, "sha256")?;
/// assert!(pem.starts_with(b"-----BEGIN X509 CRL-----"));
/// # Ok::<(), puressl::crypto::Error>(())
/// ```
#[doc(alias = "CRL")]
#[derive(Debug, Clone, PartialEq)]
pub struct X509Crl {
    version: u8,
    tbs_sig_alg: Option<Vec<u8>>,
    issuer: X509Name,
    last_update: Option<Asn1Time>,
    next_update: Option<Asn1Time>,
    revoked: Vec<Revoked>,
    extensions: Vec<X509Extension>,
    /// Signature, outer algorithm and the exact encoding.
    envelope: Envelope,
}

impl Default for X509Crl {
    fn default() -> Self {
        Self::new()
    }
}

impl X509Crl {
    /// An empty CRL: version 0 (v1, as `X509_CRL_new` leaves it), empty
    /// issuer, no dates, no entries, not signed.
    pub fn new() -> Self {
        Self {
            version: 0,
            tbs_sig_alg: None,
            issuer: X509Name::new(),
            last_update: None,
            next_update: None,
            revoked: Vec::new(),
            extensions: Vec::new(),
            envelope: Envelope::unsigned(&signed::CRL),
        }
    }

    /// Reads a DER `CertificateList`. Strict: definite minimal lengths, no
    /// trailing bytes.
    pub fn from_der(der: &[u8]) -> Result<Self> {
        let (envelope, tbs) = Envelope::parse(der, &signed::CRL)?;
        let mut t = tbs.reader();
        let version = match t.read_optional(0x02, "version")? {
            Some(v) => match v.content {
                [1] => 1,
                _ => return Err(bad("CRL version", "must be absent (v1) or 1 (v2)")),
            },
            None => 0,
        };
        let tbs_sig_alg = t.read_tag(0x30, "signature")?.full.to_vec();
        let issuer = X509Name::from_tlv_content(t.read_tag(0x30, "issuer")?.content)?;
        let last_update = Asn1Time::from_tlv(&t.read("thisUpdate")?)?;
        let next_update = match t.peek_tag() {
            Some(time::UTC_TIME | time::GENERALIZED_TIME) => {
                Some(Asn1Time::from_tlv(&t.read("nextUpdate")?)?)
            }
            _ => None,
        };
        let revoked = match t.read_optional(0x30, "revokedCertificates")? {
            Some(l) => revoked::parse_list(l.content)?,
            None => Vec::new(),
        };
        let extensions = match t.read_optional(0xa0, "crlExtensions")? {
            Some(x) => {
                let seq =
                    tlv::parse_one(x.content, "crlExtensions")?.expect(0x30, "crlExtensions")?;
                extension::list::parse(seq.content)?
            }
            None => Vec::new(),
        };
        t.finish("TBSCertList")?;
        Ok(Self {
            version,
            tbs_sig_alg: Some(tbs_sig_alg),
            issuer,
            last_update: Some(last_update),
            next_update,
            revoked,
            extensions,
            envelope,
        })
    }

    /// Reads the first `X509 CRL` PEM block.
    pub fn from_pem(pem: &[u8]) -> Result<Self> {
        Self::from_der(&pem::decode_first_der(pem, CRL_LABELS)?)
    }

    /// Reads every `X509 CRL` block of a PEM buffer, in order.
    pub fn stack_from_pem(pem: &[u8]) -> Result<Vec<Self>> {
        pem::decode_all_der(pem, CRL_LABELS)?
            .iter()
            .map(|d| Self::from_der(d))
            .collect()
    }

    /// The DER encoding; an unsigned or changed-but-not-re-signed CRL is an error.
    pub fn to_der(&self) -> Result<Vec<u8>> {
        self.envelope.to_der()
    }

    /// The PEM encoding (`-----BEGIN X509 CRL-----`).
    pub fn to_pem(&self) -> Result<Vec<u8>> {
        Ok(pem::encode("X509 CRL", &self.to_der()?).into_bytes())
    }

    fn touch(&mut self) {
        self.envelope.touch();
    }

    signed::version_accessors! {
        /// The version: 0 for v1, 1 for v2.
        fn version;
        /// Sets the version (0 = v1, 1 = v2); other values are an error.
        fn set_version("CRL version", max 1, "only 0 (v1) and 1 (v2) exist");
    }

    signed::name_field_accessors! {
        #[doc(alias = "get_issuer")]
        /// [`sign`](Self::sign) sets it from the issuer certificate.
        fn issuer("CRL"), fn set_issuer;
    }

    time::time_field_accessors! {
        #[doc(alias = "get_lastUpdate")]
        #[doc(alias = "set_lastUpdate")]
        fn last_update("thisUpdate"), fn last_update_asn1_type, fn last_update_time, fn set_last_update;
        #[doc(alias = "get_nextUpdate")]
        #[doc(alias = "set_nextUpdate")]
        fn next_update("nextUpdate"), fn next_update_asn1_type, fn next_update_time, fn set_next_update;
    }

    /// The revoked entries in file order. pyOpenSSL's `get_revoked()`
    /// returns `None` where this is empty.
    #[doc(alias = "get_revoked")]
    pub fn revoked(&self) -> &[Revoked] {
        &self.revoked
    }

    /// Appends a copy of `revoked`. pyOpenSSL `add_revoked`.
    pub fn add_revoked(&mut self, revoked: &Revoked) {
        self.revoked.push(revoked.clone());
        self.touch();
    }

    /// The CRL extensions (authorityKeyIdentifier, crlNumber, ...).
    pub fn extensions(&self) -> &[X509Extension] {
        &self.extensions
    }

    /// Appends CRL extensions.
    pub fn add_extensions<I: IntoIterator<Item = X509Extension>>(&mut self, extensions: I) {
        self.extensions.extend(extensions);
        self.touch();
    }

    /// The `crlNumber` extension's value, if present and well formed.
    pub fn crl_number(&self) -> Option<SerialNumber> {
        let ext = self.extensions.iter().find(|e| e.id() == ids::CRL_NUMBER)?;
        let t = tlv::parse_one(ext.data(), "crlNumber").ok()?;
        if t.tag != 0x02 {
            return None;
        }
        SerialNumber::from_der_content(t.content).ok()
    }

    /// OpenSSL's long name of the signature algorithm (`sha256WithRSAEncryption`).
    pub fn signature_algorithm(&self) -> Result<&'static str> {
        algorithm_long_name(self.sig_alg_der()?)
    }

    /// The dotted OID of the signature algorithm.
    pub fn signature_algorithm_oid(&self) -> Result<String> {
        algorithm_oid(self.sig_alg_der()?)
    }

    fn sig_alg_der(&self) -> Result<&[u8]> {
        self.tbs_sig_alg
            .as_deref()
            .ok_or(Error::NotSigned { object: "CRL" })
    }

    pub(crate) fn outer_sig_alg_der(&self) -> Option<&[u8]> {
        self.envelope.algorithm_der()
    }

    /// The signature bytes (BIT STRING contents without the unused-bits octet).
    pub fn signature(&self) -> Option<&[u8]> {
        self.envelope.signature()
    }

    fn encode_tbs(&self) -> Result<Vec<u8>> {
        let need = |what: &str| Error::missing("CRL", what);
        let mut c = Vec::new();
        if self.version == 1 {
            c.extend_from_slice(&[0x02, 0x01, 0x01]);
        }
        c.extend_from_slice(
            self.tbs_sig_alg
                .as_deref()
                .ok_or_else(|| need("signature algorithm"))?,
        );
        c.extend_from_slice(&self.issuer.der());
        c.extend_from_slice(
            &self
                .last_update
                .as_ref()
                .ok_or_else(|| need("lastUpdate"))?
                .encode(),
        );
        if let Some(n) = &self.next_update {
            c.extend_from_slice(&n.encode());
        }
        if !self.revoked.is_empty() {
            let mut list = Vec::new();
            for r in &self.revoked {
                list.extend_from_slice(&r.encode()?);
            }
            tlv::push_tlv(&mut c, 0x30, &list);
        }
        if !self.extensions.is_empty() {
            tlv::push_tlv(&mut c, 0xa0, &extension::list::encode(&self.extensions));
        }
        Ok(tlv::tlv(0x30, &c))
    }

    /// The DER of the TBSCertList that is (or was) signed.
    pub(crate) fn tbs_der(&self) -> Result<Vec<u8>> {
        self.envelope.tbs_der(|| self.encode_tbs())
    }

    /// Signs the CRL as pyOpenSSL's `CRL.sign(issuer_cert, issuer_key,
    /// digest)`: the issuer name becomes the certificate's subject, the
    /// entries are sorted by serial (`X509_CRL_sort`), and the CRL is signed
    /// with `issuer_key` (`digest` as for [`X509::sign`]; `""` for Ed25519).
    pub fn sign(
        &mut self,
        issuer_cert: &X509,
        issuer_key: &PKey,
        digest: impl Into<DigestArg>,
    ) -> Result<()> {
        let md = signer_digest(issuer_key, digest.into())?;
        if self.last_update.is_none() {
            return Err(Error::missing("CRL", "lastUpdate (set it before signing)"));
        }
        self.issuer = issuer_cert.subject().clone();
        self.revoked.sort_by(|a, b| {
            let (x, y) = (a.serial_number(), b.serial_number());
            (x.magnitude().len(), x.magnitude(), x.is_negative()).cmp(&(
                y.magnitude().len(),
                y.magnitude(),
                y.is_negative(),
            ))
        });
        let alg = Algorithm::new(issuer_key, md)?;
        self.tbs_sig_alg = Some(alg.der.clone());
        let tbs = self.encode_tbs()?;
        self.envelope.seal(issuer_key, &alg, tbs)
    }

    /// Sets lastUpdate to now and nextUpdate to now + `days`, then signs
    /// (the first half of [`export`](Self::export)).
    pub(crate) fn sign_for_days(
        &mut self,
        issuer_cert: &X509,
        issuer_key: &PKey,
        days: u32,
        digest: impl Into<DigestArg>,
    ) -> Result<()> {
        self.last_update = Some(Asn1Time::now_plus(0)?);
        self.next_update = Some(Asn1Time::now_plus(i64::from(days) * 86_400)?);
        self.touch();
        self.sign(issuer_cert, issuer_key, digest)
    }

    /// Checks the CRL's signature with `key` (the issuer's public key).
    pub fn verify(&self, key: &PKey) -> Result<()> {
        let tbs = self.tbs_der()?;
        let (alg, bits) = self.envelope.signed_parts()?;
        verify_tbs(key, alg, &tbs, bits)
    }

    /// The entry for `serial`, if the CRL lists it.
    pub fn find_revoked(&self, serial: &SerialNumber) -> Option<&Revoked> {
        self.revoked.iter().find(|r| r.serial_number() == serial)
    }
}
