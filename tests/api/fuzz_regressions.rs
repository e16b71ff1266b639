//! Replays the fuzzers' findings without a fuzzer: every file under
//! `tests/data/fuzz/<target>/` (a minimised input that once panicked, see
//! FUZZING.md) goes through the same code as the cargo-fuzz target
//! `<target>` (`fuzz/src/harness.rs`, included here), which must return.

use crate::harness;

use std::path::Path;

const DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/fuzz");

/// The inputs stored for `target`, sorted by name.
fn inputs(target: &str) -> Vec<(String, Vec<u8>)> {
    let dir = Path::new(DIR).join(target);
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return Vec::new();
    };
    let mut files: Vec<_> = entries.map(|e| e.unwrap().path()).collect();
    files.sort();
    files
        .into_iter()
        .map(|p| (p.display().to_string(), std::fs::read(&p).unwrap()))
        .collect()
}

#[test]
fn every_reproducer_names_a_target() {
    for entry in std::fs::read_dir(DIR).unwrap() {
        let entry = entry.unwrap();
        if !entry.file_type().unwrap().is_dir() {
            continue;
        }
        let name = entry.file_name().to_string_lossy().into_owned();
        assert!(
            harness::TARGETS.contains(&name.as_str()),
            "tests/data/fuzz/{name} is not a fuzz target"
        );
    }
}

#[test]
fn reproducers_return_without_panicking() {
    let mut replayed = 0;
    for target in harness::TARGETS {
        for (path, data) in inputs(target) {
            eprintln!("replaying {path}");
            assert!(harness::run(target, &data));
            replayed += 1;
        }
    }
    eprintln!("{replayed} inputs replayed");
}

#[test]
fn generated_seeds_return_without_panicking() {
    // The seeds the targets make for themselves (fuzz/run.sh adds the
    // vector files): TLS transcripts, chains, extension values, cipher lists.
    for target in harness::TARGETS {
        for seed in harness::seeds(target) {
            assert!(harness::run(target, &seed));
        }
    }
    assert_eq!(harness::seeds("tls_server").len(), 3);
    assert_eq!(harness::seeds("tls_server")[0][1..4], [0x16, 0x03, 0x01]);
    assert_eq!(harness::seeds("tls_client")[1][1..4], [0x16, 0x03, 0x03]);
}

#[test]
fn record_framing_round_trips() {
    let (to_server, to_client) = harness::transcript(2);
    assert!(to_server.len() > 100 && to_client.len() > 100);
    for stream in [&to_server, &to_client] {
        let records = harness::split_records(stream);
        assert!(records.iter().all(|r| (20..=23).contains(&r.kind)));
        assert_eq!(&harness::join_records(&records), stream);
    }
}

#[test]
fn unedited_man_in_the_middle_completes_the_handshake() {
    // An empty edit list must leave a working connection: the structure-aware
    // target only reaches deep states if its pass-through is faithful.
    // The client sends 3000 bytes in each of rounds 4..9 (5 rounds).
    for sel in [0u8, 1, 2, 4, 8] {
        assert_eq!(harness::tls_records(&[sel]), 5 * 3000, "selector {sel}");
    }
    // Dropping the client's first record (its ClientHello) leaves nothing.
    assert_eq!(harness::tls_records(&[0, 0x80, 3, 0, 0, 0]), 0);
}
