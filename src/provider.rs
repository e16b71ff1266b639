//! puressl's own rustls `CryptoProvider`, made only of RustCrypto crates
//! (in progress).
