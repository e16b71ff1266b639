//! `Pkcs7`: PKCS#7 / CMS messages, pyOpenSSL's `PKCS7` and `load_pkcs7_data`.

mod parse;

use der::{Decode, Tagged};

use super::asn1::oid::ids::{
    ID_DATA, ID_ENVELOPED_DATA, ID_SIGNED_AND_ENVELOPED_DATA, ID_SIGNED_DATA,
};
use super::asn1::pem;
use super::{dump_certificate, load_certificate, Error, FileType, Result, X509};
use parse::Parsed;

/// PEM labels a PKCS#7 is read from (`PKCS7`, its old alias, and the `CMS`
/// label `openssl cms -outform PEM` writes).
const PEM_LABELS: &[&str] = &["PKCS7", "PKCS #7 SIGNED DATA", "CMS"];

/// A PKCS#7 (CMS) message: pyOpenSSL's `PKCS7`.
///
/// Any content type loads; the certificates and CRLs of a SignedData (the
/// certs-only bundle `openssl crl2pkcs7` writes is the common case) are
/// available, and such a bundle can be written with
/// [`from_certificates`](Pkcs7::from_certificates).
///
/// ```
/// use puressl::crypto::{load_pkcs7_data, FileType, Pkcs7};
/// let pem = std::fs::read("tests/vectors/pkcs7/certs.p7b")?;
/// let p7 = load_pkcs7_data(FileType::Pem, &pem)?;
/// assert!(p7.type_is_signed());
/// assert_eq!(p7.type_name(), "pkcs7-signedData");
/// let certs = p7.certificates().unwrap();
/// assert_eq!(certs.len(), 2);
/// // Writing the bundle again gives the same bytes crl2pkcs7 wrote.
/// assert_eq!(Pkcs7::from_certificates(certs)?.to_der(), p7.to_der());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[doc(alias = "PKCS7")]
#[doc(alias = "PKCS7Type")]
#[derive(Clone)]
pub struct Pkcs7 {
    parsed: Parsed,
    certs: Option<Vec<X509>>,
}

impl PartialEq for Pkcs7 {
    /// Equal when the DER encodings are.
    fn eq(&self, other: &Self) -> bool {
        self.to_der() == other.to_der()
    }
}

impl Eq for Pkcs7 {}

impl std::fmt::Debug for Pkcs7 {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Pkcs7")
            .field("type", &self.type_name())
            .field("certificates", &self.certs.as_ref().map(Vec::len))
            .finish()
    }
}

impl Pkcs7 {
    fn from_parsed(parsed: Parsed) -> Result<Self> {
        let certs = match &parsed.certs {
            Some(list) => Some(
                list.iter()
                    .map(|der| load_certificate(FileType::Asn1, der))
                    .collect::<Result<Vec<_>>>()?,
            ),
            None => None,
        };
        Ok(Pkcs7 { parsed, certs })
    }

    /// Reads a DER or BER (indefinite-length, as `cms -stream` writes)
    /// `ContentInfo`. Trailing bytes are an error.
    pub fn from_der(der: &[u8]) -> Result<Self> {
        Self::from_parsed(parse::parse(der)?)
    }

    /// Reads the first `PKCS7` PEM block (also `PKCS #7 SIGNED DATA` and
    /// `CMS`); text before it is skipped.
    pub fn from_pem(pem: &[u8]) -> Result<Self> {
        let block = pem::decode_first(pem, PEM_LABELS)?;
        Self::from_der(&block.der)
    }

    /// A certs-only SignedData holding `certs` in this order, as
    /// `openssl crl2pkcs7 -nocrl -certfile …` writes it.
    pub fn from_certificates(certs: &[X509]) -> Result<Self> {
        Self::from_certificates_and_crls(certs, &[])
    }

    /// A SignedData holding `certs` and the DER CRLs `crls`, in this order,
    /// as `openssl crl2pkcs7 -in CRL -certfile …` writes it. Each CRL must be
    /// one DER SEQUENCE.
    pub fn from_certificates_and_crls(certs: &[X509], crls: &[&[u8]]) -> Result<Self> {
        for (i, crl) in crls.iter().enumerate() {
            let any = der::asn1::Any::from_der(crl)
                .map_err(|e| Error::malformed_by(format!("CRL {i}"), e))?;
            if any.tag() != der::Tag::Sequence {
                return Err(Error::malformed(format!("CRL {i}"), "not a DER SEQUENCE"));
            }
        }
        let ders = certs
            .iter()
            .map(|c| dump_certificate(FileType::Asn1, c))
            .collect::<Result<Vec<_>>>()?;
        let refs: Vec<&[u8]> = ders.iter().map(Vec::as_slice).collect();
        Self::from_der(&parse::certs_only(&refs, crls)?)
    }

    /// The DER encoding (BER input comes out with definite lengths).
    pub fn to_der(&self) -> Vec<u8> {
        self.parsed.der.clone()
    }

    /// The PEM encoding (`-----BEGIN PKCS7-----`).
    pub fn to_pem(&self) -> String {
        pem::encode("PKCS7", &self.parsed.der)
    }

    /// Whether this is a SignedData (pyOpenSSL `type_is_signed`).
    pub fn type_is_signed(&self) -> bool {
        self.parsed.content_type == ID_SIGNED_DATA
    }

    /// Whether this is an EnvelopedData (pyOpenSSL `type_is_enveloped`).
    pub fn type_is_enveloped(&self) -> bool {
        self.parsed.content_type == ID_ENVELOPED_DATA
    }

    /// Whether this is a SignedAndEnvelopedData (pyOpenSSL
    /// `type_is_signedAndEnveloped`).
    #[doc(alias = "type_is_signedAndEnveloped")]
    pub fn type_is_signed_and_enveloped(&self) -> bool {
        self.parsed.content_type == ID_SIGNED_AND_ENVELOPED_DATA
    }

    /// Whether this is plain Data (pyOpenSSL `type_is_data`).
    pub fn type_is_data(&self) -> bool {
        self.parsed.content_type == ID_DATA
    }

    /// OpenSSL's short name of the content type (pyOpenSSL
    /// `get_type_name`): `pkcs7-signedData`, `pkcs7-envelopedData`,
    /// `pkcs7-data`, `pkcs7-digestData`, `pkcs7-encryptedData`,
    /// `pkcs7-signedAndEnvelopedData`, or `UNDEF`.
    #[doc(alias = "get_type_name")]
    pub fn type_name(&self) -> &'static str {
        parse::type_name(&self.parsed.content_type)
    }

    /// The content type's dotted OID (`1.2.840.113549.1.7.2`).
    pub fn content_type_oid(&self) -> String {
        self.parsed.content_type.to_string()
    }

    /// The certificates of a SignedData (or SignedAndEnvelopedData) in file
    /// order; `None` for other types. pyOpenSSL had no accessor
    /// (cryptography's `load_*_pkcs7_certificates` is the model).
    pub fn certificates(&self) -> Option<&[X509]> {
        self.certs.as_deref()
    }

    /// The DER of each CRL of a SignedData (or SignedAndEnvelopedData) in
    /// file order; `None` for other types.
    pub fn crls_der(&self) -> Option<&[Vec<u8>]> {
        self.parsed.crls.as_deref()
    }
}

/// Reads a PKCS#7 message: pyOpenSSL `load_pkcs7_data(type, buffer)`.
/// [`FileType::Text`] is an error.
pub fn load_pkcs7_data(kind: FileType, buffer: &[u8]) -> Result<Pkcs7> {
    match kind {
        FileType::Pem => Pkcs7::from_pem(buffer),
        FileType::Asn1 => Pkcs7::from_der(buffer),
        FileType::Text => Err(Error::UnsupportedFileType {
            operation: "load_pkcs7_data",
            file_type: FileType::Text,
        }),
    }
}
