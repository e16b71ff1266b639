//! `Pkcs12`: PKCS#12 (PFX) files, pyOpenSSL's `PKCS12` and `load_pkcs12`.
#![allow(dead_code)]

mod bags;
mod kdf;
mod mac;
mod pbe;
