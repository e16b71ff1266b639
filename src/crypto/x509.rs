//! `X509`: certificates.

pub(crate) mod asn1str;
#[allow(dead_code)]
pub(crate) mod objects;
mod objects_table;
#[allow(dead_code)] // parts are used by the certificate code only
pub(crate) mod tlv;
