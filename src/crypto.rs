//! Certificates, requests, names, extensions, keys and containers:
//! pyOpenSSL's `OpenSSL.crypto`.
//!
//! The free functions (`load_*`, `dump_*`, `sign`, `verify`) mirror
//! pyOpenSSL's module-level functions; the types mirror its classes.

pub(crate) mod asn1;
mod digest;
mod error;
mod extension;
mod filetype;
mod io;
mod name;
mod pkcs12;
mod pkcs7;
pub(crate) mod pkey;
mod req;
mod serial;
mod sign;
mod signed;
mod spki;
mod store;
#[cfg(test)]
mod test_vectors;
mod text;
mod time;
mod verify_code;
mod x509;

pub use asn1::oid::Oid;
pub use digest::{DigestArg, MessageDigest};
pub use error::Error;
pub use extension::X509Extension;
pub use filetype::FileType;
pub use io::{
    dump_certificate, dump_certificate_request, dump_crl, load_certificate,
    load_certificate_request, load_crl,
};
pub use name::{NameEntry, X509Name};
pub use pkcs12::{load_pkcs12, Pkcs12, Pkcs12Format};
pub use pkcs7::{load_pkcs7_data, Pkcs7};
pub use pkey::{
    dump_privatekey, dump_privatekey_traditional, dump_publickey, load_privatekey, load_publickey,
    AsPublicKey, EcCurve, KeyType, PKey, Passphrase, MAX_PASSPHRASE_LEN,
};
pub use req::{ReqAttribute, X509Req};
pub use serial::SerialNumber;
pub use sign::{sign, verify};
pub use spki::NetscapeSpki;
pub use store::{
    HostFlags, Purpose, Revoked, X509Crl, X509Store, X509StoreContext, X509StoreContextError,
    X509StoreFlags,
};
pub use time::{Asn1Time, IntoAsn1Time};
pub use verify_code::X509VerifyError;
pub use x509::X509;

/// Result type of the `crypto` module.
pub type Result<T> = std::result::Result<T, Error>;
