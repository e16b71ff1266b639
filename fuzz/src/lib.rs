//! Shared code of puressl's fuzz targets: see `harness.rs` and FUZZING.md.
pub mod harness;
