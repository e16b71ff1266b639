//! The documentation keeps up with the pyOpenSSL 0.8 manual: every name the
//! manual lists (functions, methods, classes, constants, exceptions, the
//! X509Name members) is in docs/MIGRATING.md and findable through rustdoc
//! search (an item of that name or a `#[doc(alias)]`). The manual is read
//! from the copy in tests/data/.

use std::collections::BTreeSet;
use std::path::Path;

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

/// `(section, name)` for every entry of the manual's chapter 3: a line of
/// three spaces, an optional `exception `, an identifier and an optional
/// argument list, inside a numbered section (`3.1 crypto …`, `3.3.2
/// Connection objects`).
fn manual_entries() -> Vec<(String, String)> {
    let bytes = std::fs::read(Path::new(ROOT).join("tests/data/pyOpenSSL-0.8-manual.txt")).unwrap();
    // The manual has a stray non-UTF-8 byte.
    let text = String::from_utf8_lossy(&bytes);
    let mut section: Option<String> = None;
    let mut out = Vec::new();
    for line in text.lines() {
        let trimmed = line.trim_start();
        if trimmed.starts_with("3.") {
            let (num, rest) = trimmed
                .split_once(char::is_whitespace)
                .unwrap_or((trimmed, ""));
            if num[2..].chars().all(|c| c.is_ascii_digit() || c == '.') && !rest.is_empty() {
                section = Some(trimmed.to_string());
                continue;
            }
        }
        let Some(sec) = &section else { continue };
        let Some(body) = line.strip_prefix("   ") else {
            continue;
        };
        if body.starts_with(' ') {
            continue;
        }
        let body = body.trim_end();
        let body = body.strip_prefix("exception ").unwrap_or(body);
        let (name, args) = match body.find('(') {
            Some(i) => (&body[..i], &body[i..]),
            None => (body, ""),
        };
        let ident = !name.is_empty()
            && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
            && !name.starts_with(|c: char| c.is_ascii_digit());
        if ident && (args.is_empty() || args.ends_with(')')) {
            out.push((sec.clone(), name.to_string()));
        }
    }
    out
}

fn manual_names() -> BTreeSet<String> {
    manual_entries().into_iter().map(|(_, n)| n).collect()
}

#[test]
fn the_manual_has_the_entries_we_expect() {
    let entries = manual_entries();
    assert_eq!(entries.len(), 169);
    assert_eq!(manual_names().len(), 156);
    let has = |sec: &str, name: &str| entries.iter().any(|(s, n)| s.starts_with(sec) && n == name);
    assert!(has("3.1 crypto", "X509StoreType"));
    assert!(has("3.1.2 X509Name", "countryName"));
    assert!(has("3.2 rand", "screen"));
    assert!(has("3.3 SSL", "ConnectionType"));
    assert!(has("3.3.2 Connection", "want_write"));
    assert!(!has("3", "Contents"));
}

#[test]
fn migrating_md_names_every_manual_entry() {
    let doc = std::fs::read_to_string(Path::new(ROOT).join("docs/MIGRATING.md")).unwrap();
    let missing: Vec<String> = manual_names()
        .into_iter()
        .filter(|n| !doc.contains(&format!("`{n}`")) && !doc.contains(&format!("`{n}(")))
        .collect();
    assert!(missing.is_empty(), "not in docs/MIGRATING.md: {missing:?}");
}

/// Every `doc(alias = "…")` and every item name declared in `dir`, lower-cased
/// (rustdoc's search is case-insensitive).
fn searchable_names(dir: &Path, out: &mut BTreeSet<String>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            searchable_names(&path, out);
            continue;
        }
        if path.extension().is_none_or(|e| e != "rs") {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        for line in text.lines() {
            let line = line.trim_start();
            if let Some(rest) = line.strip_prefix("#[doc(alias = \"") {
                out.insert(rest.split('"').next().unwrap().to_lowercase());
            }
            let words: Vec<&str> = line.split_whitespace().collect();
            for w in words.windows(2) {
                if ["fn", "struct", "enum", "const", "type", "mod", "trait"].contains(&w[0]) {
                    let name: String = w[1]
                        .chars()
                        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                        .collect();
                    out.insert(name.to_lowercase());
                }
            }
        }
    }
}

#[test]
fn every_manual_name_is_findable_in_rustdoc() {
    let mut names = BTreeSet::new();
    searchable_names(&Path::new(ROOT).join("src"), &mut names);
    assert!(names.contains("x509storetype") && names.contains("do_handshake"));
    let missing: Vec<String> = manual_names()
        .into_iter()
        .filter(|n| !names.contains(&n.to_lowercase()))
        .collect();
    assert!(missing.is_empty(), "no item or doc(alias) for: {missing:?}");
}

#[test]
fn rand_screen_is_documented_on_every_platform() {
    // Windows-only as in pyOpenSSL, but built under cfg(doc) everywhere, so
    // Linux docs (and docs.rs) list it.
    let src = std::fs::read_to_string(Path::new(ROOT).join("src/rand.rs")).unwrap();
    let at = src.find("pub fn screen()").unwrap();
    let head = &src[..at];
    let attrs = &head[head.rfind("\n\n").unwrap()..];
    assert!(attrs.contains("#[cfg(any(windows, doc))]"), "{attrs}");
    assert!(
        attrs.contains("#[cfg_attr(docsrs, doc(cfg(windows)))]"),
        "{attrs}"
    );
}
