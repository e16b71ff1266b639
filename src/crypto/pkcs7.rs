//! `Pkcs7`: PKCS#7 / CMS messages, pyOpenSSL's `PKCS7` and `load_pkcs7_data`.
#![allow(dead_code)]

pub(crate) mod ber;
mod parse;
