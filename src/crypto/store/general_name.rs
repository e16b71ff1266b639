//! `GeneralNames` as OpenSSL 3.0 decodes them (`GENERAL_NAME` in
//! `crypto/x509/v3_genn.c`): an entry OpenSSL cannot decode makes the whole
//! extension undecodable, and the certificate invalid.

use crate::crypto::asn1::ber::collect_string;
use crate::crypto::asn1::oid::oid_to_string;
use crate::crypto::asn1::tlv::{parse_one, Reader, Tlv};
use crate::crypto::X509Name;

/// `GEN_EMAIL`: rfc822Name `[1]` IA5String.
pub(crate) const GEN_EMAIL: u8 = 0x81;
/// `GEN_DNS`: dNSName `[2]` IA5String.
pub(crate) const GEN_DNS: u8 = 0x82;
/// `GEN_DIRNAME`: directoryName `[4]` EXPLICIT Name.
pub(crate) const GEN_DIRNAME: u8 = 0xa4;
/// `GEN_URI`: uniformResourceIdentifier `[6]` IA5String.
pub(crate) const GEN_URI: u8 = 0x86;
/// `GEN_IPADD`: iPAddress `[7]` OCTET STRING.
pub(crate) const GEN_IPADD: u8 = 0x87;

/// A GeneralName as name constraints and subjectAltName use it.
#[derive(Debug, Clone)]
pub(crate) struct GeneralName {
    /// The identifier octet (`0x82` for a dNSName, ...).
    pub(crate) tag: u8,
    /// The content octets.
    pub(crate) content: Vec<u8>,
    /// In a name constraint subtree: a maximum, or a minimum other than 0
    /// (OpenSSL does not support them).
    pub(crate) min_max: bool,
}

/// Whether `gen` (its identifier octet and content) decodes as one of
/// OpenSSL's `GENERAL_NAME` choices. The string choices (`[1]`, `[2]`,
/// `[6]`, `[7]`) may be primitive or, as BER allows and OpenSSL accepts,
/// constructed; `[0]`, `[3]`, `[4]` and `[5]` must be constructed and hold
/// what their types need; `[8]` must be a primitive, valid OID; other tag
/// numbers (`[9]`–`[30]`, or another class) are not a GeneralName.
pub(crate) fn decodes(tag: u8, content: &[u8]) -> bool {
    match tag {
        // otherName: SEQUENCE { type-id OID, value [0] EXPLICIT ANY }.
        0xa0 => {
            let mut r = Reader::new(content);
            let oid = r.read_tag(0x06, "otherName type-id").ok();
            let value = r.read_tag(0xa0, "otherName value").ok();
            match (oid, value) {
                (Some(o), Some(v)) => {
                    oid_to_string(o.content).is_ok()
                        && parse_one(v.content, "otherName value").is_ok()
                        && r.is_empty()
                }
                _ => false,
            }
        }
        // IA5String and OCTET STRING choices, primitive.
        0x81 | 0x82 | 0x86 | 0x87 => true,
        // The same, constructed (BER): a sequence of primitive chunks.
        0xa1 | 0xa2 | 0xa6 | 0xa7 => collect_string(content).is_some(),
        // x400Address: an ORAddress SEQUENCE content, kept undecoded.
        0xa3 => true,
        // directoryName: EXPLICIT Name.
        GEN_DIRNAME => parse_one(content, "directoryName")
            .ok()
            .filter(|n| n.tag == 0x30)
            .is_some_and(|n| X509Name::from_tlv_content(n.content).is_ok()),
        // ediPartyName: SEQUENCE { [0] DirectoryString OPTIONAL, [1] DirectoryString }.
        0xa5 => edi_party_name(content),
        // registeredID: OBJECT IDENTIFIER.
        0x88 => oid_to_string(content).is_ok(),
        _ => false,
    }
}

/// A DirectoryString (`DIRECTORYSTRING`): Teletex, Printable, Universal,
/// UTF8 or BMP string.
fn directory_string(der: &[u8]) -> bool {
    parse_one(der, "DirectoryString")
        .is_ok_and(|t| matches!(t.tag, 0x14 | 0x13 | 0x1c | 0x0c | 0x1e))
}

fn edi_party_name(content: &[u8]) -> bool {
    let mut r = Reader::new(content);
    if r.peek_tag() == Some(0xa0) {
        match r.read("nameAssigner") {
            Ok(t) if directory_string(t.content) => {}
            _ => return false,
        }
    }
    match r.read_tag(0xa1, "partyName") {
        Ok(t) if directory_string(t.content) => r.is_empty(),
        _ => false,
    }
}

/// The GeneralName `t`, or `None` when OpenSSL cannot decode it. A string
/// choice in the constructed (BER) form is kept in the primitive form, its
/// chunks joined, as OpenSSL holds it.
pub(crate) fn general_name(t: &Tlv<'_>) -> Option<GeneralName> {
    if !decodes(t.tag, t.content) {
        return None;
    }
    let (tag, content) = crate::crypto::extension::general_name::primitive(t)?;
    Some(GeneralName {
        tag,
        content: content.into_owned(),
        min_max: false,
    })
}

/// The entries of a `GeneralNames` SEQUENCE's content, or `None` when one
/// does not decode (OpenSSL's `d2i_GENERAL_NAMES` fails).
pub(crate) fn general_names(content: &[u8]) -> Option<Vec<GeneralName>> {
    let mut r = Reader::new(content);
    let mut out = Vec::new();
    while !r.is_empty() {
        out.push(general_name(&r.read("GeneralName").ok()?)?);
    }
    Some(out)
}

/// The subjectAltName extension value (`GeneralNames`), or `None` when it
/// does not decode.
pub(crate) fn subject_alt_names(value: &[u8]) -> Option<Vec<GeneralName>> {
    let seq = parse_one(value, "subjectAltName").ok()?;
    if seq.tag != 0x30 {
        return None;
    }
    general_names(seq.content)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn openssl_choices() {
        assert!(decodes(0x82, b"a.example"));
        assert!(decodes(0x87, &[127, 0, 0, 1]));
        // Primitive encodings of the constructed choices.
        for tag in [0x80, 0x83, 0x84, 0x85] {
            assert!(!decodes(tag, &[0xff]), "{tag:#x}");
        }
        // Undefined tag numbers, primitive or constructed.
        for n in 9..=15u8 {
            assert!(!decodes(0x80 | n, &[0xff]), "[{n}]");
            assert!(!decodes(0xa0 | n, &[0x05, 0x00]), "[{n}] constructed");
        }
        // A constructed OID, a constructed IA5String (BER, accepted).
        assert!(!decodes(0xa8, &[0x06, 0x02, 0x2a, 0x03]));
        assert!(decodes(0xa2, &[0x16, 0x03, b'a', b'b', b'c']));
        // otherName with and without its [0] value.
        assert!(decodes(0xa0, &[0x06, 0x01, 0x2a, 0xa0, 0x02, 0x05, 0x00]));
        assert!(!decodes(0xa0, &[0x06, 0x01, 0x2a]));
        assert!(decodes(0x88, &[0x2a, 0x03]));
        assert!(!decodes(0x88, &[0x2a, 0x83]));
        assert!(general_names(&[0x82, 0x01, b'a', 0x89, 0x01, 0x00]).is_none());
    }
}
