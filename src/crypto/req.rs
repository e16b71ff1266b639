//! `X509Req`: certificate signing requests (PKCS#10).

use super::asn1::oid::{ids, oid_from_string, oid_to_string, Oid};
use super::asn1::tlv::{self, bad};
use super::asn1::{objects, pem, string};
use super::extension::{self, X509Extension};
use super::signed::{self, signer_digest, verify_tbs, Algorithm, Envelope};
use super::{AsPublicKey, Error, PKey, Result, X509Name};

/// One attribute of a request: its OID and its values, kept as DER.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReqAttribute {
    /// Dotted text, the key of OpenSSL's object table.
    oid: String,
    id: Oid,
    /// `(tag, content)` of each value.
    values: Vec<(u8, Vec<u8>)>,
}

impl ReqAttribute {
    objects::attribute_oid_accessors!(
        oid: "`1.2.840.113549.1.9.7` for `challengePassword`",
        short: "`challengePassword`, `extReq`",
        long: "`challengePassword`, `Extension Request`"
    );

    /// Number of values.
    pub fn value_count(&self) -> usize {
        self.values.len()
    }

    /// OpenSSL's type name of value `i` (`UTF8STRING`, `SEQUENCE`, ...).
    pub fn value_type(&self, i: usize) -> Option<&'static str> {
        self.values.get(i).map(|(t, _)| string::type_name(*t))
    }

    /// Value `i` as text, if it is a string type.
    pub fn value_text(&self, i: usize) -> Option<Result<String>> {
        self.values.get(i).map(|(t, c)| string::to_utf8(*t, c))
    }

    /// The full DER of value `i`.
    pub fn value_der(&self, i: usize) -> Option<Vec<u8>> {
        self.values.get(i).map(|(t, c)| tlv::tlv(*t, c))
    }

    pub(crate) fn values(&self) -> &[(u8, Vec<u8>)] {
        &self.values
    }

    fn encode(&self) -> Vec<u8> {
        let mut c = tlv::tlv(0x06, self.id.as_bytes());
        let mut set: Vec<Vec<u8>> = self.values.iter().map(|(t, v)| tlv::tlv(*t, v)).collect();
        set.sort();
        tlv::push_tlv(&mut c, 0x31, &set.concat());
        tlv::tlv(0x30, &c)
    }
}

/// A certificate signing request: pyOpenSSL's `X509Req`.
///
/// ```
/// use puressl::crypto::{KeyType, PKey, X509Extension, X509Req};
/// let key = PKey::generate_key(KeyType::Ec, 256)?;
/// let mut req = X509Req::new();
/// req.subject_mut().set("CN", "example.test")?;
/// req.set_pubkey(&key)?;
/// req.sign(&key, "sha256")?;
/// req.verify(&key)?;
/// # Ok::<(), puressl::crypto::Error>(())
/// ```
#[doc(alias = "X509ReqType")]
#[derive(Clone)]
pub struct X509Req {
    version: u8,
    subject: X509Name,
    spki: Option<Vec<u8>>,
    attributes: Vec<ReqAttribute>,
    /// Signature, outer algorithm and the exact encoding.
    envelope: Envelope,
}

impl PartialEq for X509Req {
    /// Requests are equal when their DER encodings are; a request that is
    /// not signed (or was changed since signing) has no encoding and equals
    /// nothing.
    fn eq(&self, other: &Self) -> bool {
        match (self.to_der(), other.to_der()) {
            (Ok(a), Ok(b)) => a == b,
            _ => false,
        }
    }
}

impl Default for X509Req {
    fn default() -> Self {
        Self::new()
    }
}

impl std::fmt::Debug for X509Req {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("X509Req")
            .field("version", &self.version)
            .field("subject", &self.subject)
            .finish_non_exhaustive()
    }
}

impl X509Req {
    /// An empty request (version 0, empty subject, no key, unsigned).
    pub fn new() -> Self {
        Self {
            version: 0,
            subject: X509Name::new(),
            spki: None,
            attributes: Vec::new(),
            envelope: Envelope::unsigned(&signed::REQUEST),
        }
    }

    /// Reads a DER request (strict: minimal lengths, no trailing bytes).
    pub fn from_der(der: &[u8]) -> Result<Self> {
        let (envelope, info) = Envelope::parse(der, &signed::REQUEST)?;
        let mut i = info.reader();
        let version = match i.read_tag(0x02, "version")?.content {
            [v] if *v < 0x80 => *v,
            _ => return Err(bad("version", "out of range")),
        };
        let subject = X509Name::from_tlv_content(i.read_tag(0x30, "subject")?.content)?;
        let spki = i.read_tag(0x30, "subjectPKInfo")?.full.to_vec();
        let attrs = i.read_tag(0xa0, "attributes")?;
        i.finish("CertificationRequestInfo")?;
        let mut attributes = Vec::new();
        let mut a = attrs.reader();
        while !a.is_empty() {
            let attr = a.read_tag(0x30, "Attribute")?;
            let mut ar = attr.reader();
            let oid = ar.read_tag(0x06, "attribute type")?;
            let set = ar.read_tag(0x31, "attribute values")?;
            ar.finish("Attribute")?;
            let mut values = Vec::new();
            let mut vr = set.reader();
            while !vr.is_empty() {
                let v = vr.read("attribute value")?;
                values.push((v.tag, v.content.to_vec()));
            }
            attributes.push(ReqAttribute {
                oid: oid_to_string(oid.content)?,
                id: Oid::from_valid(oid.content.to_vec()),
                values,
            });
        }
        Ok(Self {
            version,
            subject,
            spki: Some(spki),
            attributes,
            envelope,
        })
    }

    /// Reads the first `CERTIFICATE REQUEST` (or `NEW CERTIFICATE REQUEST`) PEM block.
    pub fn from_pem(pem: &[u8]) -> Result<Self> {
        Self::from_der(&pem::decode_first_der(pem, pem::REQUEST_LABELS)?)
    }

    /// The DER encoding; a changed request must be signed again first.
    pub fn to_der(&self) -> Result<Vec<u8>> {
        self.envelope.to_der()
    }

    /// The PEM encoding (`-----BEGIN CERTIFICATE REQUEST-----`).
    pub fn to_pem(&self) -> Result<Vec<u8>> {
        Ok(pem::encode("CERTIFICATE REQUEST", &self.to_der()?).into_bytes())
    }

    fn touch(&mut self) {
        self.envelope.touch();
    }

    fn encode_info(&self) -> Result<Vec<u8>> {
        let mut c = tlv::tlv(0x02, &[self.version]);
        c.extend_from_slice(&self.subject.der());
        c.extend_from_slice(
            self.spki
                .as_deref()
                .ok_or_else(|| Error::missing("certificate request", "public key"))?,
        );
        let attrs: Vec<u8> = self
            .attributes
            .iter()
            .flat_map(ReqAttribute::encode)
            .collect();
        tlv::push_tlv(&mut c, 0xa0, &attrs);
        Ok(tlv::tlv(0x30, &c))
    }

    /// Signs the request (pyOpenSSL `sign(pkey, digest)`); `digest` as for
    /// [`X509::sign`](crate::crypto::X509::sign): a [`MessageDigest`](crate::crypto::MessageDigest)
    /// or its name (`DigestArg::NONE` or `""` for Ed25519).
    pub fn sign(&mut self, key: &PKey, digest: impl Into<crate::crypto::DigestArg>) -> Result<()> {
        let md = signer_digest(key, digest.into())?;
        let alg = Algorithm::new(key, md)?;
        let info = self.encode_info()?;
        self.envelope.seal(key, &alg, info)
    }

    /// Checks the signature with `key` (pyOpenSSL `verify(pkey)`, which
    /// returns `True` or raises): `Ok(())`, or an error such as
    /// [`Error::BadSignature`].
    pub fn verify<K: AsPublicKey + ?Sized>(&self, key: &K) -> Result<()> {
        let (alg, bits) = self.envelope.signed_parts()?;
        let info = self.envelope.tbs_der(|| self.encode_info())?;
        verify_tbs(&key.as_public_key()?, alg, &info, bits)
    }

    signed::version_accessors! {
        /// The version (pyOpenSSL `get_version`); PKCS#10 defines only 0.
        #[doc(alias = "get_version")]
        fn version;
        /// Sets the version; only 0 is valid (as in pyOpenSSL 23.2).
        fn set_version("certificate request version", max 0, "only 0 is valid");
    }

    signed::name_field_accessors! {
        #[doc(alias = "get_subject")]
        fn subject("request"), mut fn subject_mut, fn set_subject;
    }

    signed::public_key_accessors!("certificate request");

    /// The requested extensions (the first extensionRequest attribute);
    /// pyOpenSSL `get_extensions`.
    #[doc(alias = "get_extensions")]
    pub fn extensions(&self) -> Result<Vec<X509Extension>> {
        let Some(attr) = self
            .attributes
            .iter()
            .find(|a| a.id == ids::EXTENSION_REQUEST)
        else {
            return Ok(Vec::new());
        };
        match attr.values.as_slice() {
            [(0x30, content)] => extension::list::parse(content),
            _ => Err(bad(
                "extensionRequest",
                "expected one SEQUENCE OF Extension",
            )),
        }
    }

    /// Adds extensions to the extensionRequest attribute (created if absent).
    pub fn add_extensions<I>(&mut self, extensions: I) -> Result<()>
    where
        I: IntoIterator<Item = X509Extension>,
    {
        let mut all = self.extensions()?;
        all.extend(extensions);
        let seq = extension::list::encode(&all);
        let content = tlv::parse_one(&seq, "extensions")?.content.to_vec();
        let value = vec![(0x30, content)];
        match self
            .attributes
            .iter_mut()
            .find(|a| a.id == ids::EXTENSION_REQUEST)
        {
            Some(a) => a.values = value,
            None => self.attributes.push(ReqAttribute {
                oid: ids::EXTENSION_REQUEST.to_string(),
                id: ids::EXTENSION_REQUEST.into(),
                values: value,
            }),
        }
        self.touch();
        Ok(())
    }

    /// Every attribute, in order.
    pub fn attributes(&self) -> &[ReqAttribute] {
        &self.attributes
    }

    /// Adds a string attribute by OpenSSL name or OID (`challengePassword`,
    /// `unstructuredName`), with OpenSSL's string type choice.
    pub fn add_attribute(&mut self, attr: &str, value: &str) -> Result<()> {
        let (oid, nid) = match objects::by_name(attr) {
            Some(o) => (o.oid.to_owned(), o.nid),
            None => {
                oid_from_string(attr)?;
                (attr.to_owned(), 0)
            }
        };
        let (tag, bytes) = string::encode_for_nid(nid, attr, value)?;
        self.attributes.push(ReqAttribute {
            id: Oid::from_valid(oid_from_string(&oid)?),
            oid,
            values: vec![(tag, bytes)],
        });
        self.touch();
        Ok(())
    }

    /// The challengePassword attribute's text, if present.
    pub fn challenge_password(&self) -> Result<Option<String>> {
        self.attributes
            .iter()
            .find(|a| a.id == ids::CHALLENGE_PASSWORD)
            .and_then(|a| a.value_text(0))
            .transpose()
    }

    /// OpenSSL's long name of the signature algorithm.
    pub fn signature_algorithm(&self) -> Result<&'static str> {
        signed::algorithm_long_name(self.signature_algorithm_der()?)
    }

    /// The dotted OID of the signature algorithm.
    pub fn signature_algorithm_oid(&self) -> Result<String> {
        signed::algorithm_oid(self.signature_algorithm_der()?)
    }

    pub(crate) fn signature_algorithm_der(&self) -> Result<&[u8]> {
        self.envelope.algorithm_der().ok_or(Error::NotSigned {
            object: "certificate request",
        })
    }

    /// The signature bytes (without the BIT STRING's unused-bits octet).
    pub fn signature(&self) -> Option<&[u8]> {
        self.envelope.signature()
    }
}

impl AsPublicKey for X509Req {
    fn as_public_key(&self) -> Result<PKey> {
        self.pubkey()
    }
}
