//! OpenSSL's names of the objects extensions use, from the crate's copy of
//! OpenSSL 3.0's object table: an OID missing there prints in dotted form, as
//! OpenSSL prints the OIDs it does not know.

use const_oid::ObjectIdentifier;

use crate::crypto::asn1::objects;

/// OpenSSL's short name of `oid` (`OBJ_nid2sn`), if it knows one.
pub(crate) fn short_name(oid: &ObjectIdentifier) -> Option<&'static str> {
    objects::by_oid(&oid.to_string()).map(|o| o.sn)
}

/// OpenSSL's long name of `oid` (`OBJ_nid2ln`), if it knows one.
pub(crate) fn long_name(oid: &ObjectIdentifier) -> Option<&'static str> {
    objects::by_oid(&oid.to_string()).map(|o| o.ln)
}

/// `i2t_ASN1_OBJECT` / `i2a_ASN1_OBJECT`: the long name, or the dotted form.
pub(crate) fn obj_text(oid: &ObjectIdentifier) -> String {
    long_name(oid).map_or_else(|| oid.to_string(), str::to_owned)
}

/// [`obj_text`] for raw OID content octets; `None` if they are not an OID.
pub(crate) fn obj_text_raw(content: &[u8]) -> Option<String> {
    ObjectIdentifier::from_bytes(content)
        .ok()
        .map(|o| obj_text(&o))
}

/// `i2t_ASN1_OBJECT(buf, size, ..)`: [`obj_text_raw`] cut to `size - 1`
/// bytes, as OpenSSL's fixed buffers cut it (80 for key purposes, access
/// methods and policy mappings, 256 in general names).
pub(crate) fn obj_text_buf(content: &[u8], size: usize) -> Option<String> {
    let mut text = obj_text_raw(content)?;
    let mut end = size.saturating_sub(1).min(text.len());
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    text.truncate(end);
    Some(text)
}

/// `OBJ_txt2obj(text, 0)`: a short name, a long name or a dotted OID.
pub(crate) fn txt2obj(text: &str) -> Option<ObjectIdentifier> {
    if let Some(o) = objects::by_name(text) {
        return ObjectIdentifier::new(o.oid).ok();
    }
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit() || b == b'.') {
        return None;
    }
    ObjectIdentifier::new(text).ok()
}

/// `OBJ_sn2nid`: an OID by its short name only.
pub(crate) fn sn2obj(text: &str) -> Option<ObjectIdentifier> {
    objects::by_name(text)
        .filter(|o| o.sn == text)
        .and_then(|o| ObjectIdentifier::new(o.oid).ok())
}
