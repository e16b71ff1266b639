//! ASN.1 times (UTCTime / GeneralizedTime) as OpenSSL reads, writes and
//! prints them, and pyOpenSSL's `YYYYMMDDhhmmssZ` strings.

use std::time::{SystemTime, UNIX_EPOCH};

use super::asn1::tlv;
use super::{Error, Result};

/// UTCTime tag.
pub(crate) const UTC_TIME: u8 = 23;
/// GeneralizedTime tag.
pub(crate) const GENERALIZED_TIME: u8 = 24;

/// An ASN.1 `Time` (UTCTime or GeneralizedTime) exactly as a certificate,
/// CRL or revoked entry stores it: its type and its text.
///
/// Converts from a [`SystemTime`] (`TryFrom`: years outside 0–9999 are an
/// error) and from pyOpenSSL's strings (`"20300101000000Z"`, `FromStr` /
/// `TryFrom<&str>`), and back into a `SystemTime`. `Display` is OpenSSL's
/// `ASN1_TIME_print` text, as `openssl x509 -dates` shows it.
///
/// ```
/// use std::time::{Duration, SystemTime, UNIX_EPOCH};
/// use puressl::crypto::Asn1Time;
/// let t = Asn1Time::try_from(UNIX_EPOCH + Duration::from_secs(1_700_000_000)).unwrap();
/// assert_eq!(t.to_string(), "Nov 14 22:13:20 2023 GMT");
/// assert_eq!(t.to_generalized(), "20231114221320Z");
/// assert_eq!(t.type_name(), "UTCTime");
/// assert_eq!("20231114221320Z".parse::<Asn1Time>().unwrap(), t);
/// assert_eq!(SystemTime::from(t), UNIX_EPOCH + Duration::from_secs(1_700_000_000));
/// ```
#[doc(alias = "ASN1_TIME")]
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Asn1Time {
    tag: u8,
    text: String,
    /// Seconds since the Unix epoch (offset applied).
    unix: i64,
}

/// Broken-down UTC time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Tm {
    year: i64,
    month: u32,
    day: u32,
    hour: u32,
    min: u32,
    sec: u32,
}

fn invalid(text: &str, reason: &str) -> Error {
    Error::InvalidTime {
        text: text.to_owned(),
        reason: reason.to_owned(),
    }
}

fn days_in_month(y: i64, m: u32) -> u32 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        _ => 28,
    }
}

/// Days since 1970-01-01 of a civil date (proleptic Gregorian).
fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(m);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146097 + doe - 719468
}

fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719468;
    let era = z.div_euclid(146097);
    let doe = z - era * 146097;
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

fn tm_from_unix(t: i64) -> Tm {
    let days = t.div_euclid(86400);
    let secs = t.rem_euclid(86400);
    let (year, month, day) = civil_from_days(days);
    Tm {
        year,
        month,
        day,
        hour: (secs / 3600) as u32,
        min: ((secs % 3600) / 60) as u32,
        sec: (secs % 60) as u32,
    }
}

fn unix_from_tm(tm: &Tm) -> i64 {
    days_from_civil(tm.year, tm.month, tm.day) * 86400
        + i64::from(tm.hour) * 3600
        + i64::from(tm.min) * 60
        + i64::from(tm.sec)
}

fn num(s: &[u8], text: &str) -> Result<u32> {
    if s.is_empty() || !s.iter().all(u8::is_ascii_digit) {
        return Err(invalid(text, "expected digits"));
    }
    Ok(s.iter().fold(0u32, |a, &d| a * 10 + u32::from(d - b'0')))
}

/// Parses a UTCTime (`YYMMDDhhmm[ss](Z|±hhmm)`) or GeneralizedTime
/// (`YYYYMMDDhhmm[ss[.f]](Z|±hhmm)`) text; returns Unix seconds.
fn parse(tag: u8, text: &str) -> Result<i64> {
    let b = text.as_bytes();
    let ylen = if tag == UTC_TIME { 2 } else { 4 };
    let min_len = ylen + 8 + 1;
    if b.len() < min_len {
        return Err(invalid(text, "too short"));
    }
    let field = |i: usize, n: usize| -> Result<u32> {
        num(
            b.get(i..i + n).ok_or_else(|| invalid(text, "too short"))?,
            text,
        )
    };
    let mut year = i64::from(field(0, ylen)?);
    if tag == UTC_TIME {
        year += if year < 50 { 2000 } else { 1900 };
    }
    let mut p = ylen;
    let month = field(p, 2)?;
    let day = field(p + 2, 2)?;
    let hour = field(p + 4, 2)?;
    let min = field(p + 6, 2)?;
    p += 8;
    let mut sec = 0;
    if b.get(p).is_some_and(u8::is_ascii_digit) {
        sec = field(p, 2)?;
        p += 2;
        if tag == GENERALIZED_TIME && b.get(p) == Some(&b'.') {
            p += 1;
            let start = p;
            while b.get(p).is_some_and(u8::is_ascii_digit) {
                p += 1;
            }
            if p == start {
                return Err(invalid(text, "empty fraction of a second"));
            }
        }
    }
    if !(1..=12).contains(&month)
        || day < 1
        || day > days_in_month(year, month)
        || hour > 23
        || min > 59
        || sec > 59
    {
        return Err(invalid(text, "field out of range"));
    }
    let tm = Tm {
        year,
        month,
        day,
        hour,
        min,
        sec,
    };
    let mut unix = unix_from_tm(&tm);
    match b.get(p) {
        Some(b'Z') if p + 1 == b.len() => {}
        Some(&sign @ (b'+' | b'-')) if p + 5 == b.len() => {
            let oh = field(p + 1, 2)?;
            let om = field(p + 3, 2)?;
            if oh > 12 || om > 59 {
                return Err(invalid(text, "time zone offset out of range"));
            }
            let off = i64::from(oh * 3600 + om * 60);
            // Local time = UTC + offset.
            unix += if sign == b'+' { -off } else { off };
        }
        _ => return Err(invalid(text, "expected Z or a ±hhmm offset at the end")),
    }
    Ok(unix)
}

impl Asn1Time {
    /// Reads a DER `Time` element (UTCTime or GeneralizedTime).
    pub(crate) fn from_tlv(t: &tlv::Tlv<'_>) -> Result<Self> {
        if t.tag != UTC_TIME && t.tag != GENERALIZED_TIME {
            return Err(invalid("", "not a UTCTime or GeneralizedTime"));
        }
        let text = std::str::from_utf8(t.content)
            .map_err(|_| invalid("", "time is not ASCII"))?
            .to_owned();
        let unix = parse(t.tag, &text)?;
        Ok(Self {
            tag: t.tag,
            text,
            unix,
        })
    }

    /// Parses a time string as pyOpenSSL's `set_notBefore` accepts it
    /// (`ASN1_TIME_set_string`): a UTCTime text (`YYMMDDhhmm[ss]Z`) is kept
    /// as UTCTime; a GeneralizedTime text (`YYYYMMDDhhmmssZ`, or with a
    /// `±hhmm` offset) is stored verbatim, except that a `Z` time in 1950–2049
    /// is written as UTCTime, as RFC 5280 requires. Either way the getter
    /// returns the GeneralizedTime text given.
    pub(crate) fn from_set_string(text: &str) -> Result<Self> {
        if let Ok(unix) = parse(UTC_TIME, text) {
            return Ok(Self {
                tag: UTC_TIME,
                text: text.to_owned(),
                unix,
            });
        }
        let unix = parse(GENERALIZED_TIME, text)?;
        let b = text.as_bytes();
        // A plain YYYYMMDDhhmmssZ in the UTCTime range becomes UTCTime.
        if b.len() == 15 && b.last() == Some(&b'Z') {
            let year = tm_from_unix(unix).year;
            if (1950..2050).contains(&year) {
                return Ok(Self {
                    tag: UTC_TIME,
                    text: text.get(2..).unwrap_or_default().to_owned(),
                    unix,
                });
            }
        }
        Ok(Self {
            tag: GENERALIZED_TIME,
            text: text.to_owned(),
            unix,
        })
    }

    /// A time at `unix` seconds: UTCTime for 1950–2049, GeneralizedTime
    /// otherwise (as OpenSSL's `ASN1_TIME_set`). Years outside 0–9999 are
    /// [`Error::InvalidTime`].
    pub fn from_unix(unix: i64) -> Result<Self> {
        let tm = tm_from_unix(unix);
        if !(0..=9999).contains(&tm.year) {
            return Err(invalid(&unix.to_string(), "year out of range"));
        }
        let body = format!(
            "{:02}{:02}{:02}{:02}{:02}Z",
            tm.month, tm.day, tm.hour, tm.min, tm.sec
        );
        let (tag, text) = if (1950..2050).contains(&tm.year) {
            (UTC_TIME, format!("{:02}{body}", tm.year % 100))
        } else {
            (GENERALIZED_TIME, format!("{:04}{body}", tm.year))
        };
        Ok(Self { tag, text, unix })
    }

    /// The current time, as [`from_unix`](Self::from_unix) writes it.
    pub(crate) fn now_plus(secs: i64) -> Result<Self> {
        Self::from_unix(now().saturating_add(secs))
    }

    /// The current time (whole seconds), as [`from_unix`](Self::from_unix) writes it.
    pub fn now() -> Result<Self> {
        Self::now_plus(0)
    }

    /// Seconds since the Unix epoch (a `±hhmm` offset applied).
    pub fn unix(&self) -> i64 {
        self.unix
    }

    /// `UTCTime` or `GeneralizedTime`: how the time is encoded.
    pub fn type_name(&self) -> &'static str {
        if self.tag == UTC_TIME {
            "UTCTime"
        } else {
            "GeneralizedTime"
        }
    }

    /// The GeneralizedTime text pyOpenSSL's `get_notBefore()` returns: a
    /// GeneralizedTime verbatim, a UTCTime converted to `YYYYMMDDhhmmssZ`.
    pub fn to_generalized(&self) -> String {
        if self.tag == GENERALIZED_TIME {
            return self.text.clone();
        }
        let tm = tm_from_unix(self.unix);
        format!(
            "{:04}{:02}{:02}{:02}{:02}{:02}Z",
            tm.year, tm.month, tm.day, tm.hour, tm.min, tm.sec
        )
    }

    /// The DER element.
    pub(crate) fn encode(&self) -> Vec<u8> {
        tlv::tlv(self.tag, self.text.as_bytes())
    }

    /// `ASN1_TIME_print`: `Jan  1 00:00:00 2020 GMT` (also the `Display` text).
    pub(crate) fn print(&self) -> String {
        const MON: [&str; 12] = [
            "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
        ];
        let tm = tm_from_unix(self.unix);
        let mut frac = "";
        if self.tag == GENERALIZED_TIME
            && let Some(i) = self.text.find('.')
        {
            let rest = self.text.get(i..).unwrap_or_default();
            let n = 1 + rest.bytes().skip(1).take_while(u8::is_ascii_digit).count();
            frac = rest.get(..n).unwrap_or_default();
        }
        let mon = MON
            .get((tm.month as usize).saturating_sub(1))
            .copied()
            .unwrap_or("???");
        // OpenSSL 3.0 converts offsets to UTC and always says GMT.
        format!(
            "{mon} {:2} {:02}:{:02}:{:02}{frac} {} GMT",
            tm.day, tm.hour, tm.min, tm.sec, tm.year
        )
    }
}

impl std::fmt::Display for Asn1Time {
    /// OpenSSL's `ASN1_TIME_print`: `Jan  1 00:00:00 2020 GMT`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.print())
    }
}

impl std::str::FromStr for Asn1Time {
    type Err = Error;
    /// pyOpenSSL's `set_notBefore` strings: `YYYYMMDDhhmmssZ`,
    /// `YYYYMMDDhhmmss±hhmm` or UTCTime text `YYMMDDhhmm[ss]Z`.
    fn from_str(text: &str) -> Result<Self> {
        Self::from_set_string(text)
    }
}

impl TryFrom<&str> for Asn1Time {
    type Error = Error;
    fn try_from(text: &str) -> Result<Self> {
        Self::from_set_string(text)
    }
}

impl TryFrom<SystemTime> for Asn1Time {
    type Error = Error;
    /// The time in whole seconds (a fraction is dropped, towards the past).
    fn try_from(t: SystemTime) -> Result<Self> {
        let unix = match t.duration_since(UNIX_EPOCH) {
            Ok(d) => i64::try_from(d.as_secs()).unwrap_or(i64::MAX),
            Err(e) => {
                let d = e.duration();
                let whole = i64::try_from(d.as_secs()).unwrap_or(i64::MAX);
                // Round towards the past: -0.5 s is -1 s.
                whole
                    .saturating_add(i64::from(d.subsec_nanos() > 0))
                    .saturating_neg()
            }
        };
        Self::from_unix(unix)
    }
}

impl From<Asn1Time> for SystemTime {
    fn from(t: Asn1Time) -> Self {
        SystemTime::from(&t)
    }
}

impl From<&Asn1Time> for SystemTime {
    fn from(t: &Asn1Time) -> Self {
        let secs = std::time::Duration::from_secs(t.unix.unsigned_abs());
        if t.unix >= 0 {
            UNIX_EPOCH + secs
        } else {
            UNIX_EPOCH - secs
        }
    }
}

/// The accessors of `Option<Asn1Time>` fields of a signed structure
/// (notBefore and notAfter of `X509`, thisUpdate and nextUpdate of
/// `X509Crl`), one row a field: the getter's and the setter's pyOpenSSL
/// names as `doc(alias)`es, then
/// `fn field("label"), fn asn1_type, fn time, fn setter;` for the time as
/// text (the getter is named as the field), its encoding, the time itself,
/// and the setter (which drops the cached signature with `touch`). Doc
/// lines after the aliases are added to the setter's docs.
macro_rules! time_field_accessors {
    ($(
        #[doc(alias = $get_alias:literal)]
        #[doc(alias = $set_alias:literal)]
        $(#[$set_meta:meta])*
        fn $field:ident($label:literal), fn $asn1_type:ident, fn $time:ident, fn $set:ident;
    )*) => {$(
        #[doc = concat!(
            $label, " as a GeneralizedTime string (`YYYYMMDDhhmmssZ`; a value set with an ",
            "offset reads back verbatim), or `None` when unset. pyOpenSSL `", $get_alias, "`."
        )]
        #[doc(alias = $get_alias)]
        pub fn $field(&self) -> Option<String> {
            self.$field.as_ref().map($crate::crypto::Asn1Time::to_generalized)
        }

        #[doc = concat!("`UTCTime` or `GeneralizedTime`: how ", $label, " is encoded.")]
        pub fn $asn1_type(&self) -> Option<&'static str> {
            self.$field.as_ref().map($crate::crypto::Asn1Time::type_name)
        }

        #[doc = concat!(
            $label, " as an [`Asn1Time`](crate::crypto::Asn1Time) (convertible to a ",
            "`SystemTime`), or `None` when unset."
        )]
        pub fn $time(&self) -> Option<&$crate::crypto::Asn1Time> {
            self.$field.as_ref()
        }

        #[doc = concat!(
            "Sets ", $label, ": an [`Asn1Time`](crate::crypto::Asn1Time), a `SystemTime`, ",
            "or text `YYYYMMDDhhmmssZ` / `YYYYMMDDhhmmss±hhmm` (`YYMMDDhhmmssZ` UTCTime text ",
            "is accepted too). A `Z` time in 1950–2049 is encoded as UTCTime, as RFC 5280 ",
            "requires; other times as GeneralizedTime, text verbatim. Bad text is an error."
        )]
        $(#[$set_meta])*
        #[doc(alias = $set_alias)]
        pub fn $set(
            &mut self,
            when: impl $crate::crypto::time::IntoAsn1Time,
        ) -> $crate::crypto::Result<()> {
            self.$field = Some(when.into_asn1_time()?);
            self.touch();
            Ok(())
        }
    )*};
}
pub(crate) use time_field_accessors;

/// What the time setters take ([`X509::set_not_before`](super::X509::set_not_before),
/// [`X509Crl::set_last_update`](super::X509Crl::set_last_update),
/// [`X509Store::set_time`](super::X509Store::set_time), …):
/// an [`Asn1Time`], a [`SystemTime`], or pyOpenSSL's text (`&str`, `String`,
/// bytes) in the forms [`Asn1Time`]'s `FromStr` reads.
pub trait IntoAsn1Time {
    /// The time, or [`Error::InvalidTime`] for bad text or an out-of-range year.
    fn into_asn1_time(self) -> Result<Asn1Time>;
}

impl IntoAsn1Time for Asn1Time {
    fn into_asn1_time(self) -> Result<Asn1Time> {
        Ok(self)
    }
}

impl IntoAsn1Time for &Asn1Time {
    fn into_asn1_time(self) -> Result<Asn1Time> {
        Ok(self.clone())
    }
}

impl IntoAsn1Time for SystemTime {
    fn into_asn1_time(self) -> Result<Asn1Time> {
        Asn1Time::try_from(self)
    }
}

impl IntoAsn1Time for &str {
    fn into_asn1_time(self) -> Result<Asn1Time> {
        Asn1Time::from_set_string(self)
    }
}

impl IntoAsn1Time for &String {
    fn into_asn1_time(self) -> Result<Asn1Time> {
        Asn1Time::from_set_string(self)
    }
}

impl IntoAsn1Time for String {
    fn into_asn1_time(self) -> Result<Asn1Time> {
        Asn1Time::from_set_string(&self)
    }
}

impl IntoAsn1Time for &[u8] {
    /// ASCII text, as pyOpenSSL's bytes arguments.
    fn into_asn1_time(self) -> Result<Asn1Time> {
        let text = std::str::from_utf8(self).map_err(|_| Error::InvalidTime {
            text: String::from_utf8_lossy(self).into_owned(),
            reason: "the time is not ASCII".into(),
        })?;
        Asn1Time::from_set_string(text)
    }
}

impl<const N: usize> IntoAsn1Time for &[u8; N] {
    fn into_asn1_time(self) -> Result<Asn1Time> {
        self.as_slice().into_asn1_time()
    }
}

/// Now, in Unix seconds.
pub(crate) fn now() -> i64 {
    match SystemTime::now().duration_since(UNIX_EPOCH) {
        Ok(d) => i64::try_from(d.as_secs()).unwrap_or(i64::MAX),
        Err(e) => -(i64::try_from(e.duration().as_secs()).unwrap_or(i64::MAX)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_and_print() {
        let t = Asn1Time::from_set_string("20040203040506Z").unwrap();
        assert_eq!(t.type_name(), "UTCTime");
        assert_eq!(t.to_generalized(), "20040203040506Z");
        assert_eq!(t.encode(), b"\x17\x0d040203040506Z");
        let o = Asn1Time::from_set_string("20040203040506+0530").unwrap();
        assert_eq!(o.to_generalized(), "20040203040506+0530");
        assert_eq!(o.unix(), t.unix() - 5 * 3600 - 30 * 60);
        let m = Asn1Time::from_set_string("20040203040506-0115").unwrap();
        assert_eq!(m.unix(), t.unix() + 3600 + 15 * 60);
        assert!(Asn1Time::from_set_string("foo bar").is_err());
        assert!(Asn1Time::from_set_string("20041303040506Z").is_err());
        assert!(Asn1Time::from_set_string("20040230040506Z").is_err());
        let g = Asn1Time::from_set_string("20500101000000Z").unwrap();
        assert_eq!(g.type_name(), "GeneralizedTime");
        assert_eq!(g.print(), "Jan  1 00:00:00 2050 GMT");
        assert_eq!(
            Asn1Time::from_unix(0).unwrap().to_generalized(),
            "19700101000000Z"
        );
        assert_eq!(
            Asn1Time::from_unix(951_782_400).unwrap().to_generalized(),
            "20000229000000Z"
        );
        let u = Asn1Time::from_set_string("500101000000Z").unwrap();
        assert_eq!(u.to_generalized(), "19500101000000Z");
    }
}
