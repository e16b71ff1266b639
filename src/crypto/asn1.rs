//! The one ASN.1 layer under `crypto`: the strict DER reader and writer, the
//! BER normalizer, OID text, ASN.1 string types, OpenSSL's object table and
//! PEM armour.
//!
//! Every DER structure puressl reads by hand (certificates, requests, CRLs,
//! names, extension values, ECDSA signatures) goes through [`tlv::Reader`];
//! fixed structures that need no exact bytes are declared with `der` derive
//! where they are used (PKCS#12 bags, PKCS#8, SPKAC, subjectKeyIdentifier).
//! BER is read where OpenSSL reads it (PKCS#7, PKCS#12, extension values),
//! through [`ber`]; CONTRIBUTING.md ("ASN.1 encodings") has the rule.

pub(crate) mod ber;
pub(crate) mod objects;
mod objects_table;
pub(crate) mod oid;
pub(crate) mod pem;
pub(crate) mod string;
pub(crate) mod tlv;
pub(crate) mod value;
