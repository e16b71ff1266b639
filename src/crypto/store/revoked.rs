//! `Revoked`: one entry of a CRL (pyOpenSSL's `Revoked`).

use crate::crypto::asn1::tlv::{self, Reader};
use crate::crypto::extension;
use crate::crypto::time::Asn1Time;
use crate::crypto::{Error, Result, SerialNumber, X509Extension};

/// OID of the CRL entry extension `CRLReason`.
use crate::crypto::asn1::oid::ids::CRL_REASON;

/// The reason names pyOpenSSL's `Revoked.all_reasons()` lists, in the order
/// of their `CRLReason` values 0–6.
const REASONS: [&str; 7] = [
    "unspecified",
    "keyCompromise",
    "CACompromise",
    "affiliationChanged",
    "superseded",
    "cessationOfOperation",
    "certificateHold",
];

/// A revoked certificate entry of an [`X509Crl`](crate::crypto::X509Crl):
/// serial number, revocation date and entry extensions (the reason code
/// among them). pyOpenSSL's `Revoked`.
///
/// ```
/// use puressl::crypto::Revoked;
/// let mut r = Revoked::new();
/// r.set_serial(b"10b")?;
/// assert_eq!(r.serial(), b"010B");
/// r.set_reason(Some(b"Key Compromise"))?;
/// assert_eq!(r.reason().as_deref(), Some(&b"Key Compromise"[..]));
/// r.set_rev_date(b"20240101000000Z")?;
/// assert_eq!(r.rev_date().as_deref(), Some(&b"20240101000000Z"[..]));
/// # Ok::<(), puressl::crypto::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Revoked {
    serial: SerialNumber,
    date: Option<Asn1Time>,
    extensions: Vec<X509Extension>,
}

impl Default for Revoked {
    fn default() -> Self {
        Self::new()
    }
}

impl Revoked {
    /// An empty entry: serial 0, no date, no extensions.
    pub fn new() -> Self {
        Self {
            serial: SerialNumber::zero(),
            date: None,
            extensions: Vec::new(),
        }
    }

    /// Reads one `revokedCertificates` entry (the SEQUENCE's content).
    pub(crate) fn from_content(content: &[u8]) -> Result<Self> {
        let mut r = Reader::new(content);
        let serial = SerialNumber::from_der_content(r.read_tag(0x02, "userCertificate")?.content)?;
        let date = Asn1Time::from_tlv(&r.read("revocationDate")?)?;
        let extensions = match r.read_optional(0x30, "crlEntryExtensions")? {
            Some(x) => extension::list::parse(x.content)?,
            None => Vec::new(),
        };
        r.finish("revokedCertificate")?;
        Ok(Self {
            serial,
            date: Some(date),
            extensions,
        })
    }

    /// The DER of the entry.
    pub(crate) fn encode(&self) -> Result<Vec<u8>> {
        let date = self.date.as_ref().ok_or_else(|| {
            Error::missing(
                format!("revoked entry {:X}", self.serial),
                "revocation date",
            )
        })?;
        let mut c = tlv::tlv(0x02, &self.serial.to_der_content());
        c.extend_from_slice(&date.encode());
        if !self.extensions.is_empty() {
            c.extend_from_slice(&extension::list::encode(&self.extensions));
        }
        Ok(tlv::tlv(0x30, &c))
    }

    /// The serial as pyOpenSSL's `get_serial()` gives it: upper-case hex
    /// of the magnitude padded to an even number of digits (`b"0ABC"`), a
    /// leading `-` for a negative serial (OpenSSL's `i2a_ASN1_INTEGER`).
    #[doc(alias = "get_serial")]
    pub fn serial(&self) -> Vec<u8> {
        let mut out = String::new();
        if self.serial.is_negative() {
            out.push('-');
        }
        if self.serial.magnitude().is_empty() {
            out.push_str("00");
        }
        for b in self.serial.magnitude() {
            out.push_str(&format!("{b:02X}"));
        }
        out.into_bytes()
    }

    /// The serial number as a number.
    pub fn serial_number(&self) -> &SerialNumber {
        &self.serial
    }

    /// Sets the serial from hex text as pyOpenSSL's `set_serial(hex)` does
    /// (`BN_hex2bn`): the leading hex digits are read (`b"31ppp"` gives
    /// `0x31`); text that starts with no hex digit is an error.
    pub fn set_serial(&mut self, hex: &[u8]) -> Result<()> {
        let (neg, body) = match hex.split_first() {
            Some((b'-', rest)) => (true, rest),
            _ => (false, hex),
        };
        let digits: Vec<u8> = body
            .iter()
            .take_while(|b| b.is_ascii_hexdigit())
            .copied()
            .collect();
        if digits.is_empty() {
            return Err(Error::invalid_string(
                "revoked serial number",
                format!("{:?} is not hexadecimal", String::from_utf8_lossy(hex)),
            ));
        }
        let text = format!("0x{}", String::from_utf8_lossy(&digits));
        let v: SerialNumber = text.parse()?;
        self.serial = SerialNumber::from_sign_magnitude(neg, v.magnitude());
        Ok(())
    }

    /// Sets the serial number.
    pub fn set_serial_number(&mut self, serial: impl Into<SerialNumber>) {
        self.serial = serial.into();
    }

    /// The revocation date as `YYYYMMDDhhmmssZ` (pyOpenSSL `get_rev_date`), or
    /// `None` when unset.
    #[doc(alias = "get_rev_date")]
    pub fn rev_date(&self) -> Option<Vec<u8>> {
        self.date.as_ref().map(|d| d.to_generalized().into_bytes())
    }

    /// `UTCTime` or `GeneralizedTime`: how the date is encoded.
    pub fn rev_date_asn1_type(&self) -> Option<&'static str> {
        self.date.as_ref().map(Asn1Time::type_name)
    }

    /// Sets the revocation date: an [`Asn1Time`], a `SystemTime`, or text
    /// (bytes or `&str`: `YYYYMMDDhhmmssZ` or with a `±hhmm` offset).
    pub fn set_rev_date(&mut self, when: impl crate::crypto::IntoAsn1Time) -> Result<()> {
        self.date = Some(when.into_asn1_time()?);
        Ok(())
    }

    pub(crate) fn date(&self) -> Option<&Asn1Time> {
        self.date.as_ref()
    }

    /// The reason as OpenSSL prints the `CRLReason` entry extension
    /// (`b"Key Compromise"`), or `None` when the entry has none. pyOpenSSL
    /// `get_reason`.
    #[doc(alias = "get_reason")]
    pub fn reason(&self) -> Option<Vec<u8>> {
        let ext = self.extensions.iter().find(|e| e.id() == CRL_REASON)?;
        Some(ext.to_string().into_bytes())
    }

    /// The `CRLReason` code (0–10), if the entry has one.
    pub fn reason_code(&self) -> Option<u8> {
        let ext = self.extensions.iter().find(|e| e.id() == CRL_REASON)?;
        match ext.data() {
            [0x0a, 0x01, v] => Some(*v),
            _ => None,
        }
    }

    /// Sets the reason (one of [`all_reasons`](Self::all_reasons), compared
    /// ignoring case and spaces), or removes it with `None`. An unknown
    /// reason is an error (pyOpenSSL: `ValueError`).
    pub fn set_reason(&mut self, reason: Option<&[u8]>) -> Result<()> {
        self.extensions.retain(|e| e.id() != CRL_REASON);
        let Some(reason) = reason else {
            return Ok(());
        };
        let norm = |s: &[u8]| -> Vec<u8> {
            s.iter()
                .filter(|b| **b != b' ')
                .map(u8::to_ascii_lowercase)
                .collect()
        };
        let wanted = norm(reason);
        let (code, _) = (0u8..)
            .zip(REASONS)
            .find(|(_, r)| norm(r.as_bytes()) == wanted)
            .ok_or_else(|| {
                Error::unknown(
                    "revocation reason",
                    String::from_utf8_lossy(reason),
                    format!("expected one of {}", REASONS.join(", ")),
                )
            })?;
        self.extensions.push(X509Extension::from_parts(
            CRL_REASON,
            false,
            vec![0x0a, 0x01, code],
        ));
        Ok(())
    }

    /// The reason names pyOpenSSL accepts, as `Revoked.all_reasons()`
    /// lists them: `unspecified`, `keyCompromise`, `CACompromise`,
    /// `affiliationChanged`, `superseded`, `cessationOfOperation`,
    /// `certificateHold`.
    pub fn all_reasons() -> Vec<Vec<u8>> {
        REASONS.iter().map(|r| r.as_bytes().to_vec()).collect()
    }

    /// The entry extensions (reason code, invalidity date, hold instruction...).
    pub fn extensions(&self) -> &[X509Extension] {
        &self.extensions
    }

    /// Appends entry extensions.
    pub fn add_extensions<I: IntoIterator<Item = X509Extension>>(&mut self, extensions: I) {
        self.extensions.extend(extensions);
    }
}

/// Reads `revokedCertificates` (the SEQUENCE OF's content).
pub(crate) fn parse_list(content: &[u8]) -> Result<Vec<Revoked>> {
    let mut r = Reader::new(content);
    let mut out = Vec::new();
    while !r.is_empty() {
        let e = r.read_tag(0x30, "revokedCertificate")?;
        out.push(Revoked::from_content(e.content)?);
    }
    Ok(out)
}
