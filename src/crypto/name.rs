//! `X509Name`: distinguished names.

use std::cmp::Ordering;
use std::fmt;

use super::asn1::objects;
use super::asn1::oid::{ids, oid_from_string, oid_to_string, Oid};
use super::asn1::string;
use super::asn1::tlv::{self, bad, Reader};
use super::{Error, MessageDigest, Result};

/// The attributes RFC 4514 (and OpenSSL's `XN_FLAG_RFC2253`) writes by name.
const RFC4514_KEYS: [(const_oid::ObjectIdentifier, &str); 9] = [
    (ids::COMMON_NAME, "CN"),
    (ids::LOCALITY, "L"),
    (ids::STATE, "ST"),
    (ids::ORGANIZATION, "O"),
    (ids::ORGANIZATIONAL_UNIT, "OU"),
    (ids::COUNTRY, "C"),
    (ids::STREET, "STREET"),
    (ids::DOMAIN_COMPONENT, "DC"),
    (ids::USER_ID, "UID"),
];

/// One attribute of a name (`X509_NAME_ENTRY`): its OID, its ASN.1 string
/// type and its raw value bytes, plus the index of the RDN it belongs to.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct NameEntry {
    /// Dotted text, the key of OpenSSL's object table.
    oid: String,
    id: Oid,
    tag: u8,
    value: Vec<u8>,
    /// The value's whole encoding (tag, length, content).
    full: Vec<u8>,
    set: usize,
}

impl NameEntry {
    objects::attribute_oid_accessors!(
        oid: "`2.5.4.3` for `CN`",
        short: "`CN`",
        long: "`commonName`"
    );

    /// The ASN.1 tag byte of the value (12 = UTF8String, 19 = PrintableString, ...).
    pub fn asn1_tag(&self) -> u8 {
        self.tag
    }

    /// OpenSSL's name of the value's type: `UTF8STRING`, `PRINTABLESTRING`,
    /// `BMPSTRING`, `T61STRING`, `IA5STRING`, ...
    pub fn asn1_type(&self) -> &'static str {
        string::type_name(self.tag)
    }

    /// The raw value bytes as OpenSSL holds them, not converted (a
    /// BMPString stays UTF-16BE): what pyOpenSSL's `get_components()`
    /// returns. That is the content octets, except for a BIT STRING (without
    /// its unused-bits octet) and a SEQUENCE (its whole encoding).
    pub fn raw_value(&self) -> &[u8] {
        match self.tag {
            3 => self.value.get(1..).unwrap_or_default(),
            0x30 => &self.full,
            _ => &self.value,
        }
    }

    /// The content octets of the value.
    pub(crate) fn content(&self) -> &[u8] {
        &self.value
    }

    /// The value as text, converted as OpenSSL's `ASN1_STRING_to_UTF8` does
    /// (one-byte types as Latin-1, BMPString as UTF-16BE, UniversalString as
    /// UTF-32BE). Values that are not strings are an error.
    pub fn text(&self) -> Result<String> {
        string::to_utf8(self.tag, &self.value)
    }

    /// Index of the RDN (the `SET`) this entry belongs to: entries of one
    /// multi-valued RDN share it.
    pub fn rdn_index(&self) -> usize {
        self.set
    }

    /// The full DER of the value.
    fn value_der(&self) -> Vec<u8> {
        self.full.clone()
    }

    fn encode(&self) -> Vec<u8> {
        let mut c = tlv::tlv(0x06, self.id.as_bytes());
        c.extend_from_slice(&self.value_der());
        tlv::tlv(0x30, &c)
    }

    /// The entry as in the canonical encoding (`x509_name_canon`).
    fn canon(&self) -> Vec<u8> {
        const CANON: [u8; 7] = [
            string::UTF8,
            string::BMP,
            string::UNIVERSAL,
            string::PRINTABLE,
            string::T61,
            string::IA5,
            string::VISIBLE,
        ];
        if !CANON.contains(&self.tag) {
            return self.encode();
        }
        let Ok(text) = self.text() else {
            // Not convertible: OpenSSL fails; keep the raw encoding so that
            // equality and hashing stay total.
            return self.encode();
        };
        let is_space = |b: u8| matches!(b, b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r');
        let bytes = text.as_bytes();
        let start = bytes
            .iter()
            .position(|&b| !is_space(b))
            .unwrap_or(bytes.len());
        let end = bytes
            .iter()
            .rposition(|&b| !is_space(b))
            .map_or(start, |p| p + 1);
        let trimmed = bytes.get(start..end).unwrap_or(&[]);
        let mut out = Vec::with_capacity(trimmed.len());
        let mut i = 0;
        while let Some(&b) = trimmed.get(i) {
            if b & 0x80 != 0 {
                out.push(b);
                i += 1;
            } else if is_space(b) {
                out.push(b' ');
                while trimmed.get(i).is_some_and(|&x| is_space(x)) {
                    i += 1;
                }
            } else {
                out.push(b.to_ascii_lowercase());
                i += 1;
            }
        }
        let mut c = tlv::tlv(0x06, self.id.as_bytes());
        tlv::push_tlv(&mut c, string::UTF8, &out);
        tlv::tlv(0x30, &c)
    }
}

impl fmt::Debug for NameEntry {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("NameEntry")
            .field("oid", &self.oid)
            .field("short_name", &self.short_name())
            .field("type", &self.asn1_type())
            .field("value", &String::from_utf8_lossy(&self.value))
            .field("rdn", &self.set)
            .finish()
    }
}

/// An X.509 distinguished name: pyOpenSSL's `X509Name`.
///
/// A name is a value: `X509::subject()` returns a shared reference to the
/// certificate's name (`.clone()` it for a copy of your own), and changes go
/// through `subject_mut`/`set_subject` — there is no hidden aliasing as in
/// pyOpenSSL, where mutating `get_subject()`'s result changes the certificate.
///
/// Attributes are read and written by OpenSSL short name, long name or
/// dotted OID (`CN`, `commonName`, `2.5.4.3`):
///
/// ```
/// use puressl::crypto::X509Name;
/// let mut name = X509Name::new();
/// name.set("C", "US").unwrap();
/// name.set("commonName", "foo").unwrap();
/// assert_eq!(name.get("CN").unwrap().as_deref(), Some("foo"));
/// assert_eq!(format!("{name:?}"), "<X509Name object '/C=US/CN=foo'>");
/// assert_eq!(name.to_string(), "CN=foo,C=US");
/// assert!(name.set("C", "USA").is_err()); // countryName is exactly 2 characters
/// ```
///
/// Equality, ordering and hashing use the canonical encoding, as OpenSSL's
/// `X509_NAME_cmp` does (case and whitespace of string values do not matter).
#[doc(alias = "X509NameType")]
#[derive(Clone, Default)]
pub struct X509Name {
    entries: Vec<NameEntry>,
}

impl X509Name {
    /// An empty name.
    pub fn new() -> Self {
        Self::default()
    }

    /// Reads a DER-encoded `Name` (strict: definite minimal lengths, no
    /// trailing bytes). Any attribute value type is kept as it is.
    pub fn from_der(der: &[u8]) -> Result<Self> {
        let outer = tlv::parse_one(der, "Name")?.expect(0x30, "Name")?;
        Self::from_tlv_content(outer.content)
    }

    /// Parses the content of the `Name` SEQUENCE.
    pub(crate) fn from_tlv_content(content: &[u8]) -> Result<Self> {
        let mut entries = Vec::new();
        let mut rdns = Reader::new(content);
        let mut set = 0;
        while !rdns.is_empty() {
            let rdn = rdns.read_tag(0x31, "RelativeDistinguishedName")?;
            let mut atvs = rdn.reader();
            if atvs.is_empty() {
                return Err(bad("RelativeDistinguishedName", "empty SET"));
            }
            while !atvs.is_empty() {
                let atv = atvs.read_tag(0x30, "AttributeTypeAndValue")?;
                let mut r = atv.reader();
                let oid = r.read_tag(0x06, "attribute type")?;
                let value = r.read("attribute value")?;
                r.finish("AttributeTypeAndValue")?;
                check_value_tag(value.tag)?;
                entries.push(NameEntry {
                    oid: oid_to_string(oid.content)?,
                    id: Oid::from_valid(oid.content.to_vec()),
                    tag: value.tag,
                    value: value.content.to_vec(),
                    full: value.full.to_vec(),
                    set,
                });
            }
            set += 1;
        }
        Ok(Self { entries })
    }

    /// The DER encoding of the name (pyOpenSSL `X509Name.der()`).
    pub fn der(&self) -> Vec<u8> {
        let mut content = Vec::new();
        for rdn in self.rdns() {
            let mut set = Vec::new();
            for e in rdn {
                set.extend_from_slice(&e.encode());
            }
            tlv::push_tlv(&mut content, 0x31, &set);
        }
        tlv::tlv(0x30, &content)
    }

    /// The entries grouped by RDN, in DER order.
    pub fn rdns(&self) -> Vec<&[NameEntry]> {
        let mut out = Vec::new();
        let mut start = 0;
        for i in 1..=self.entries.len() {
            let boundary = match (self.entries.get(i), self.entries.get(i - 1)) {
                (Some(a), Some(b)) => a.set != b.set,
                _ => true,
            };
            if boundary {
                if let Some(s) = self.entries.get(start..i) {
                    out.push(s);
                }
                start = i;
            }
        }
        out
    }

    /// Every attribute in DER order.
    pub fn entries(&self) -> &[NameEntry] {
        &self.entries
    }

    /// Number of attributes (`X509_NAME_entry_count`).
    pub fn entry_count(&self) -> usize {
        self.entries.len()
    }

    /// `(short name, raw value bytes)` of every attribute in DER order:
    /// pyOpenSSL's `get_components()` (values are not converted; unknown
    /// OIDs have the short name `UNDEF`).
    #[doc(alias = "get_components")]
    pub fn components(&self) -> Vec<(String, Vec<u8>)> {
        self.entries
            .iter()
            .map(|e| (e.short_name().to_owned(), e.raw_value().to_vec()))
            .collect()
    }

    /// Resolves an attribute name: OpenSSL short name, long name, or dotted
    /// OID (an OID OpenSSL does not know is accepted too).
    fn resolve(attr: &str) -> Result<(String, Option<u32>)> {
        if let Some(o) = objects::by_name(attr) {
            return Ok((o.oid.to_owned(), Some(o.nid)));
        }
        if oid_from_string(attr).is_ok() {
            return Ok((attr.to_owned(), None));
        }
        Err(Error::unknown(
            "name attribute",
            attr,
            "no such attribute: not an OpenSSL object name or a dotted OID",
        ))
    }

    /// The first attribute with this name, as text (pyOpenSSL's
    /// `name.CN`): `Ok(None)` when absent, an error for an unknown attribute
    /// name or a value that is not a string.
    ///
    /// The manual's members are names here: `countryName` (`C`),
    /// `stateOrProvinceName` (`ST`), `localityName` (`L`),
    /// `organizationName` (`O`), `organizationalUnitName` (`OU`),
    /// `commonName` (`CN`), `emailAddress`; any other OpenSSL short or long
    /// name or a dotted OID works too.
    #[doc(alias = "__getattr__")]
    #[doc(alias = "countryName")]
    #[doc(alias = "stateOrProvinceName")]
    #[doc(alias = "localityName")]
    #[doc(alias = "organizationName")]
    #[doc(alias = "organizationalUnitName")]
    #[doc(alias = "commonName")]
    #[doc(alias = "emailAddress")]
    pub fn get(&self, attr: &str) -> Result<Option<String>> {
        self.first_entry(attr)?.map(NameEntry::text).transpose()
    }

    /// The first attribute with this name, raw bytes.
    pub fn get_raw(&self, attr: &str) -> Result<Option<&[u8]>> {
        Ok(self.first_entry(attr)?.map(NameEntry::raw_value))
    }

    /// The first entry of the attribute `attr` names (short or long name, or
    /// dotted OID); an error when OpenSSL does not know the name.
    fn first_entry(&self, attr: &str) -> Result<Option<&NameEntry>> {
        let (oid, _) = Self::resolve(attr)?;
        Ok(self.entries.iter().find(|e| e.oid == oid))
    }

    /// Sets an attribute as pyOpenSSL's `name.CN = value` does: the first
    /// entry with this attribute is removed and the new one is appended at
    /// the end, in its own RDN. The string type is OpenSSL's choice
    /// (PrintableString for `C`, IA5String for `emailAddress`, UTF8String
    /// for most others) and OpenSSL's length limits apply (`C` exactly 2
    /// characters, `CN`/`O`/`OU` at most 64, ...). On error the name is unchanged.
    #[doc(alias = "__setattr__")]
    #[doc(alias = "countryName")]
    #[doc(alias = "stateOrProvinceName")]
    #[doc(alias = "localityName")]
    #[doc(alias = "organizationName")]
    #[doc(alias = "organizationalUnitName")]
    #[doc(alias = "commonName")]
    #[doc(alias = "emailAddress")]
    pub fn set(&mut self, attr: &str, value: &str) -> Result<()> {
        let entry = Self::make_entry(attr, value)?;
        if let Some(i) = self.entries.iter().position(|e| e.oid == entry.oid) {
            self.remove_at(i);
        }
        self.push(entry);
        Ok(())
    }

    /// Appends an attribute in a new RDN without removing existing ones
    /// (for repeated attributes such as several `OU`s).
    pub fn add(&mut self, attr: &str, value: &str) -> Result<()> {
        let entry = Self::make_entry(attr, value)?;
        self.push(entry);
        Ok(())
    }

    /// Removes every attribute with this name; returns how many were removed.
    pub fn remove(&mut self, attr: &str) -> Result<usize> {
        let (oid, _) = Self::resolve(attr)?;
        let mut n = 0;
        while let Some(i) = self.entries.iter().position(|e| e.oid == oid) {
            self.remove_at(i);
            n += 1;
        }
        Ok(n)
    }

    fn make_entry(attr: &str, value: &str) -> Result<NameEntry> {
        let (oid, nid) = Self::resolve(attr)?;
        let (tag, bytes) = match nid {
            Some(nid) => string::encode_for_nid(nid, attr, value)?,
            None => string::encode_for_nid(0, attr, value)?,
        };
        Ok(NameEntry {
            id: Oid::from_valid(oid_from_string(&oid)?),
            oid,
            tag,
            full: tlv::tlv(tag, &bytes),
            value: bytes,
            set: 0,
        })
    }

    fn push(&mut self, mut entry: NameEntry) {
        entry.set = self.entries.last().map_or(0, |e| e.set + 1);
        self.entries.push(entry);
    }

    /// `X509_NAME_delete_entry`: removes one entry, renumbering the RDNs
    /// after it when its RDN disappears.
    fn remove_at(&mut self, i: usize) {
        if i >= self.entries.len() {
            return;
        }
        let removed = self.entries.remove(i);
        let still_there = self.entries.iter().any(|e| e.set == removed.set);
        if !still_there {
            for e in self.entries.iter_mut().skip(i) {
                e.set -= 1;
            }
        }
    }

    /// The canonical encoding used by [`hash`](Self::hash) and comparisons:
    /// each RDN as a DER `SET` of its entries with string values converted
    /// to lower-cased, whitespace-folded UTF8String, concatenated without an
    /// outer SEQUENCE.
    pub(crate) fn canonical(&self) -> Vec<u8> {
        let mut out = Vec::new();
        for rdn in self.rdns() {
            let mut items: Vec<Vec<u8>> = rdn.iter().map(NameEntry::canon).collect();
            items.sort();
            let content: Vec<u8> = items.concat();
            tlv::push_tlv(&mut out, 0x31, &content);
        }
        out
    }

    /// OpenSSL's `X509_NAME_hash` (= `openssl x509 -subject_hash`): the
    /// first four bytes of SHA-1 over the canonical encoding, little-endian.
    /// pyOpenSSL's `X509Name.hash()`.
    pub fn hash(&self) -> u32 {
        le32(&MessageDigest::Sha1.hash(&self.canonical()))
    }

    /// The pre-1.0 OpenSSL hash `X509_NAME_hash_old` (= `openssl x509
    /// -subject_hash_old`): MD5 of the DER, first four bytes little-endian.
    /// This is the hash the pyOpenSSL 0.8 manual describes.
    pub fn hash_old(&self) -> u32 {
        le32(&MessageDigest::Md5.hash(&self.der()))
    }

    /// OpenSSL's one-line form `/C=US/CN=x` (`X509_NAME_oneline`, with its
    /// escaping): the text inside pyOpenSSL's `repr(name)`. Bytes outside
    /// `' '..='~'` are written `\xHH` (raw value bytes, so a BMPString shows
    /// its UTF-16 bytes), `/` and `+` are escaped with a backslash, and the
    /// entries of a multi-valued RDN are joined with `+`.
    pub fn oneline(&self) -> String {
        let mut out = String::new();
        let mut prev: Option<usize> = None;
        for e in &self.entries {
            out.push(if prev == Some(e.set) { '+' } else { '/' });
            prev = Some(e.set);
            out.push_str(&objects::short_name_or_oid(&e.oid));
            out.push('=');
            // GeneralString values that look like UCS-4 of ASCII: only every
            // fourth byte is printed, as OpenSSL does.
            let mut doit = [true; 4];
            let data = e.raw_value();
            if e.tag == 27 && data.len() % 4 == 0 {
                let mut nz = [false; 4];
                for (j, &b) in data.iter().enumerate() {
                    if b != 0 {
                        nz[j & 3] = true;
                    }
                }
                if !(nz[0] || nz[1] || nz[2]) {
                    doit = [false, false, false, true];
                }
            }
            for (j, &b) in data.iter().enumerate() {
                if !doit[j & 3] {
                    continue;
                }
                if !(b' '..=b'~').contains(&b) {
                    out.push_str(&format!("\\x{b:02X}"));
                } else if b == b'/' || b == b'+' {
                    out.push('\\');
                    out.push(char::from(b));
                } else {
                    out.push(char::from(b));
                }
            }
        }
        out
    }

    /// The RFC 4514 string, as Python `cryptography`'s `rfc4514_string()`
    /// writes it: RDNs in reverse order, `CN`, `L`, `ST`, `O`, `OU`, `C`,
    /// `STREET`, `DC`, `UID` by name and every other attribute by dotted OID,
    /// values escaped per RFC 4514 (non-string values as `#` + hex DER).
    pub fn to_rfc4514(&self) -> String {
        let rdns = self.rdns();
        let mut parts = Vec::with_capacity(rdns.len());
        for rdn in rdns.iter().rev() {
            let items: Vec<String> = rdn
                .iter()
                .map(|e| {
                    let key = RFC4514_KEYS
                        .iter()
                        .find(|(id, _)| e.id == *id)
                        .map_or_else(|| e.oid.clone(), |(_, key)| (*key).to_owned());
                    let value = match e.text() {
                        Ok(t) => escape_rfc4514(&t),
                        Err(_) => format!("#{}", hex(&e.value_der())),
                    };
                    format!("{key}={value}")
                })
                .collect();
            parts.push(items.join("+"));
        }
        parts.join(",")
    }
}

/// OpenSSL reads a name's value as `ASN1_PRINTABLE`, an MSTRING of
/// universal tags: NumericString, PrintableString, T61String, IA5String,
/// UTF8String, UniversalString, BMPString, BIT STRING, SEQUENCE and the tags
/// it calls "unknown" (7–9, 11, 13–15, 29). Everything else (INTEGER, OCTET
/// STRING, VisibleString, VideotexString, GeneralString, times, context
/// tags, ...) makes `d2i_X509` fail (checked against OpenSSL 3.0), so it is
/// refused here too.
fn check_value_tag(tag: u8) -> Result<()> {
    let number = tag & 0x1f;
    let ok = tag & 0xc0 == 0
        && match number {
            3 | 7..=9 | 11..=15 | 18..=20 | 22 | 28..=30 => tag & 0x20 == 0,
            16 => tag == 0x30,
            _ => false,
        };
    if ok {
        Ok(())
    } else {
        Err(bad(
            "attribute value",
            format!(
                "tag 0x{tag:02x} ({}) is not allowed in a name",
                string::type_name(tag)
            ),
        ))
    }
}

fn le32(d: &[u8]) -> u32 {
    match d {
        [a, b, c, e, ..] => u32::from_le_bytes([*a, *b, *c, *e]),
        _ => 0,
    }
}

fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

fn escape_rfc4514(v: &str) -> String {
    if v.is_empty() {
        return String::new();
    }
    let mut s = String::with_capacity(v.len());
    for c in v.chars() {
        match c {
            '\\' | '"' | '+' | ',' | ';' | '<' | '>' => {
                s.push('\\');
                s.push(c);
            }
            '\0' => s.push_str("\\00"),
            _ => s.push(c),
        }
    }
    if s.starts_with('#') || s.starts_with(' ') {
        s.insert(0, '\\');
    }
    if s.ends_with(' ') {
        s.pop();
        s.push_str("\\ ");
    }
    s
}

impl PartialEq for X509Name {
    fn eq(&self, other: &Self) -> bool {
        // The same entries make the same canonical encoding: no need to
        // build it (the common case when a chain is checked).
        self.entries == other.entries || self.canonical() == other.canonical()
    }
}

impl Eq for X509Name {}

impl PartialOrd for X509Name {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for X509Name {
    /// `X509_NAME_cmp`: the canonical encodings, shorter first, then bytewise.
    fn cmp(&self, other: &Self) -> Ordering {
        let (a, b) = (self.canonical(), other.canonical());
        a.len().cmp(&b.len()).then_with(|| a.cmp(&b))
    }
}

impl std::hash::Hash for X509Name {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.canonical().hash(state);
    }
}

impl fmt::Debug for X509Name {
    /// `<X509Name object '/C=US/CN=x'>`, as pyOpenSSL's `repr()`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "<X509Name object '{}'>", self.oneline())
    }
}

impl fmt::Display for X509Name {
    /// The RFC 4514 form ([`to_rfc4514`](X509Name::to_rfc4514)).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_rfc4514())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn der_of_c_cn() {
        let mut n = X509Name::new();
        n.set("C", "US").unwrap();
        n.set("CN", "foo").unwrap();
        assert_eq!(
            hex(&n.der()),
            "301b310b3009060355040613025553310c300a06035504030c03666f6f"
        );
        assert_eq!(X509Name::from_der(&n.der()).unwrap().der(), n.der());
    }

    #[test]
    fn set_moves_to_end() {
        let mut n = X509Name::new();
        n.set("CN", "a").unwrap();
        n.set("O", "b").unwrap();
        n.set("CN", "c").unwrap();
        let c = n.components();
        assert_eq!(
            c,
            vec![("O".into(), b"b".to_vec()), ("CN".into(), b"c".to_vec())]
        );
        assert_eq!(n.rdns().len(), 2);
    }

    #[test]
    fn empty_name() {
        let n = X509Name::new();
        assert_eq!(n.oneline(), "");
        assert_eq!(n.der(), [0x30, 0]);
        assert_eq!(n.hash(), le32(&MessageDigest::Sha1.hash(b"")));
    }
}
