//! ECDSA on NIST P-256 for the TLS provider, built for speed on
//! fiat-crypto's verified field arithmetic.
//!
//! * [`field`], [`scalar`]: GF(p) and integers mod n (fiat-crypto, Montgomery
//!   domain, constant time);
//! * [`point`]: complete projective formulas (Renes–Costello–Batina);
//! * [`table`]: constant-time fixed-base k·G with a comb table built once;
//! * [`jacobian`]: variable-time u1·G + u2·Q for verification;
//! * [`ecdsa`], [`rfc6979`], [`der`]: signing with hedged RFC 6979 nonces,
//!   byte-identical to the `p256` crate, and strict verification.
//!
//! All secret-dependent work (k·G, inversions, scalar arithmetic, table
//! lookups) runs in constant time; only verification, on public data,
//! branches.

pub(crate) mod der;
pub(crate) mod ecdsa;
pub(crate) mod field;
pub(crate) mod jacobian;
pub(crate) mod point;
pub(crate) mod rfc6979;
pub(crate) mod scalar;
pub(crate) mod table;

#[cfg(test)]
mod tests;
