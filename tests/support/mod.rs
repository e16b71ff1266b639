//! Shared support of the test binaries (`tests/api`, `tests/ssl`,
//! `tests/ssl_soak.rs`): each declares this module once and its test modules
//! `use crate::support::{ssl, pki, …}`. Every binary uses a different part.
#![allow(dead_code)]

pub mod child;
pub mod pki;
pub mod ssl;
pub mod tools;
pub mod vectors;
