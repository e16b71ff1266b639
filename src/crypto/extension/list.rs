//! `SEQUENCE OF Extension` as certificates, requests and CRLs carry it.

use const_oid::ObjectIdentifier;

use super::X509Extension;
use crate::crypto::asn1::tlv::{self, bad, Reader};
use crate::crypto::{Error, Result};

/// Parses `SEQUENCE OF Extension`.
pub(crate) fn parse(seq_content: &[u8]) -> Result<Vec<X509Extension>> {
    let mut out = Vec::new();
    let mut r = Reader::new(seq_content);
    while !r.is_empty() {
        let ext = r.read_tag(0x30, "Extension")?;
        let mut e = ext.reader();
        let oid = e.read_tag(0x06, "extnID")?;
        let critical = match e.read_optional(0x01, "critical")? {
            Some(b) => match b.content {
                [0xff] => true,
                [0x00] => false,
                _ => return Err(bad("Extension", "critical is not a DER BOOLEAN")),
            },
            None => false,
        };
        let value = e.read_tag(0x04, "extnValue")?;
        e.finish("Extension")?;
        let oid = ObjectIdentifier::from_bytes(oid.content)
            .map_err(|err| Error::malformed_with("extnID", "unsupported OID", err))?;
        out.push(X509Extension::from_parts(
            oid,
            critical,
            value.content.to_vec(),
        ));
    }
    Ok(out)
}

/// DER of `SEQUENCE OF Extension`.
pub(crate) fn encode(exts: &[X509Extension]) -> Vec<u8> {
    let mut content = Vec::new();
    for x in exts {
        let mut e = tlv::tlv(0x06, x.id().as_bytes());
        if x.critical() {
            e.extend_from_slice(&[0x01, 0x01, 0xff]);
        }
        tlv::push_tlv(&mut e, 0x04, x.data());
        tlv::push_tlv(&mut content, 0x30, &e);
    }
    tlv::tlv(0x30, &content)
}
