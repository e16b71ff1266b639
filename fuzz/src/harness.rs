//! What each fuzz target does with its input, in one place.
//!
//! The cargo-fuzz targets in `fuzz/fuzz_targets/` call these functions, and
//! the regular test `tests/api/fuzz_regressions.rs` of the main crate includes
//! this file (`#[path]`) to replay the crash reproducers in
//! `tests/data/fuzz/<target>/` through exactly the same code without a
//! fuzzer. Only puressl's public API is used. Every function must return
//! normally on any input: a panic is a finding.
#![allow(dead_code)]

use std::sync::OnceLock;

use puressl::crypto::{
    dump_certificate, dump_certificate_request, dump_crl, dump_privatekey, dump_publickey,
    load_certificate, load_certificate_request, load_crl, load_pkcs12, load_pkcs7_data,
    load_privatekey, load_publickey, FileType, NetscapeSpki, Passphrase, Purpose, X509Crl,
    X509Extension, X509Name, X509Store, X509StoreContext, X509StoreFlags, X509,
};
use puressl::ssl::{Connection, Context, Memory, Method, VerifyMode};

/// The target names, in the order `fuzz/run.sh` runs them.
pub const TARGETS: &[&str] = &[
    "tls_records",
    "tls_server",
    "tls_client",
    "load_certificate_der",
    "load_certificate_pem",
    "verify_certificate",
    "load_privatekey",
    "load_publickey",
    "load_certificate_request",
    "load_crl",
    "load_pkcs7_data",
    "load_pkcs12",
    "load_privatekey_passphrase",
    "netscape_spki",
    "x509_extension",
    "set_cipher_list",
];

/// Runs target `name` on `data`; false for an unknown name.
pub fn run(name: &str, data: &[u8]) -> bool {
    match name {
        "load_certificate_pem" => load_certificate_pem(data),
        "load_certificate_der" => load_certificate_der(data),
        "load_certificate_request" => certificate_request(data),
        "load_privatekey" => privatekey(data),
        "load_privatekey_passphrase" => privatekey_passphrase(data),
        "load_publickey" => publickey(data),
        "load_pkcs12" => pkcs12(data),
        "load_pkcs7_data" => pkcs7(data),
        "load_crl" => crl(data),
        "netscape_spki" => spki(data),
        "x509_extension" => extension(data),
        "set_cipher_list" => cipher_list(data),
        "verify_certificate" => verify_chain(data),
        "tls_server" => tls_server(data),
        "tls_client" => tls_client(data),
        "tls_records" => {
            tls_records(data);
        }
        _ => return false,
    }
    true
}

// ---------------------------------------------------------------- walkers

/// Reads everything a loaded certificate offers (text dump, names,
/// extensions, key), since that code reads the same untrusted bytes.
pub fn walk_cert(c: &X509) {
    let _ = dump_certificate(FileType::Text, c);
    let _ = dump_certificate(FileType::Asn1, c);
    let _ = dump_certificate(FileType::Pem, c);
    if let Ok(k) = c.pubkey() {
        let _ = dump_publickey(FileType::Pem, &k);
    }
    let _ = c.not_before();
    let _ = c.not_after();
    let _ = c.has_expired();
    let _ = c.signature_algorithm();
    let _ = c.digest("sha256");
    let _ = c.serial_number();
    let _ = c.version();
    for e in c.extensions() {
        let _ = e.to_text();
        let _ = e.long_name();
    }
    walk_name(c.subject());
    walk_name(c.issuer());
}

pub fn walk_name(n: &X509Name) {
    for e in n.entries() {
        let _ = e.text();
    }
    let _ = n.oneline();
    let _ = n.to_rfc4514();
    let _ = n.components();
    let _ = n.hash();
    let _ = n.der();
}

pub fn walk_crl(crl: &X509Crl) {
    let _ = dump_crl(FileType::Text, crl);
    let _ = dump_crl(FileType::Asn1, crl);
    walk_name(crl.issuer());
    for r in crl.revoked() {
        let _ = (r.serial(), r.reason(), r.rev_date());
    }
}

/// Splits `data` at its first byte: a passphrase of that many bytes (at
/// most the rest) and the rest.
fn split_passphrase(data: &[u8]) -> Option<(&[u8], &[u8])> {
    let (&n, rest) = data.split_first()?;
    let n = usize::from(n).min(rest.len());
    Some(rest.split_at(n))
}

// ---------------------------------------------------------------- crypto loaders

pub fn load_certificate_pem(data: &[u8]) {
    if let Ok(c) = load_certificate(FileType::Pem, data) {
        walk_cert(&c);
    }
}

pub fn load_certificate_der(data: &[u8]) {
    if let Ok(c) = load_certificate(FileType::Asn1, data) {
        walk_cert(&c);
    }
}

pub fn certificate_request(data: &[u8]) {
    for ft in [FileType::Pem, FileType::Asn1] {
        if let Ok(r) = load_certificate_request(ft, data) {
            let _ = dump_certificate_request(FileType::Text, &r);
            let _ = dump_certificate_request(FileType::Asn1, &r);
            for e in r.extensions().unwrap_or_default() {
                let _ = e.to_text();
            }
            for a in r.attributes() {
                for i in 0..a.value_count() {
                    let _ = a.value_text(i);
                }
            }
            if let Ok(k) = r.pubkey() {
                let _ = r.verify(&k);
            }
            walk_name(r.subject());
        }
    }
}

pub fn privatekey(data: &[u8]) {
    for ft in [FileType::Pem, FileType::Asn1] {
        if let Ok(k) = load_privatekey(ft, data, None) {
            let _ = dump_privatekey(FileType::Text, &k, None);
            let _ = dump_privatekey(FileType::Asn1, &k, None);
            let _ = k.check();
        }
    }
}

/// First byte: passphrase length; then the passphrase; then the key.
pub fn privatekey_passphrase(data: &[u8]) {
    let Some((pass, data)) = split_passphrase(data) else {
        return;
    };
    for ft in [FileType::Pem, FileType::Asn1] {
        if let Ok(k) = load_privatekey(ft, data, Some(Passphrase::from(pass))) {
            let _ = dump_privatekey(FileType::Text, &k, None);
        }
    }
}

pub fn publickey(data: &[u8]) {
    for ft in [FileType::Pem, FileType::Asn1] {
        if let Ok(k) = load_publickey(ft, data) {
            let _ = dump_publickey(FileType::Pem, &k);
            let _ = k.bits();
        }
    }
}

/// First byte: passphrase length (255: no passphrase); then the
/// passphrase; then the PKCS#12 file.
pub fn pkcs12(data: &[u8]) {
    let Some((&n, _)) = data.split_first() else {
        return;
    };
    let (pass, der) = if n == 255 {
        (None, &data[1..])
    } else {
        match split_passphrase(data) {
            Some((p, d)) => (Some(p), d),
            None => return,
        }
    };
    if let Ok(p) = load_pkcs12(der, pass) {
        if let Some(c) = p.certificate() {
            walk_cert(c);
        }
        for c in p.ca_certificates().unwrap_or(&[]) {
            walk_cert(c);
        }
        if let Some(k) = p.privatekey() {
            let _ = dump_privatekey(FileType::Pem, k, None);
        }
        let _ = p.friendly_name();
    }
}

pub fn pkcs7(data: &[u8]) {
    for ft in [FileType::Pem, FileType::Asn1] {
        if let Ok(p) = load_pkcs7_data(ft, data) {
            let _ = (p.type_name(), p.content_type_oid(), p.to_der());
            for c in p.certificates().unwrap_or(&[]) {
                walk_cert(c);
            }
        }
    }
}

pub fn crl(data: &[u8]) {
    for ft in [FileType::Pem, FileType::Asn1] {
        if let Ok(crl) = load_crl(ft, data) {
            walk_crl(&crl);
        }
    }
}

pub fn spki(data: &[u8]) {
    if let Ok(s) = NetscapeSpki::from_b64(data) {
        let _ = s.signature_algorithm();
        let _ = s.challenge();
        let _ = s.b64_encode();
        if let Ok(k) = s.pubkey() {
            let _ = s.verify(&k);
        }
    }
}

/// The extension names `X509Extension::new` knows (and two it does not).
const EXTENSION_NAMES: &[&str] = &[
    "basicConstraints",
    "keyUsage",
    "extendedKeyUsage",
    "subjectAltName",
    "issuerAltName",
    "subjectKeyIdentifier",
    "authorityKeyIdentifier",
    "nsComment",
    "nsCertType",
    "crlDistributionPoints",
    "authorityInfoAccess",
    "certificatePolicies",
    "nameConstraints",
    "policyConstraints",
    "inhibitAnyPolicy",
    "policyMappings",
    "subjectInfoAccess",
    "noCheck",
    "tlsfeature",
    "nsBaseUrl",
    "nsCaPolicyUrl",
    "nsSslServerName",
    "1.2.3.4",
    "unknownName",
];

/// First byte: extension name (index) and critical bit; the rest (lossy
/// UTF-8) is the value in OpenSSL's config syntax.
pub fn extension(data: &[u8]) {
    let Some((&sel, value)) = data.split_first() else {
        return;
    };
    let name = EXTENSION_NAMES[usize::from(sel & 0x7f) % EXTENSION_NAMES.len()];
    let value = String::from_utf8_lossy(value);
    if let Ok(e) = X509Extension::new(name, sel & 0x80 != 0, &value) {
        let _ = e.to_text();
        let _ = e.long_name();
        let _ = e.data();
    }
}

/// The whole input (lossy UTF-8) is a cipher list, on a TLS and a TLS 1.2
/// context; a list that is accepted must still make a connection.
pub fn cipher_list(data: &[u8]) {
    let list = String::from_utf8_lossy(data);
    for method in [Method::Tls, Method::TlsV1_2] {
        let Ok(mut ctx) = Context::new(method) else {
            continue;
        };
        if ctx.set_cipher_list(&list).is_ok() {
            let c = Connection::new(&ctx, Memory::default());
            let _ = c.cipher_list();
        }
        let _ = ctx.set_tls13_ciphersuites(&list);
    }
}

// ---------------------------------------------------------------- verification

/// The trust anchors of the interop vectors and the verification time of
/// their expected results (2026-01-01).
const ROOT_DER: &[u8] = include_bytes!("../../tests/vectors/certs/ca_rsa.der");
const ROOT_CRL_DER: &[u8] = include_bytes!("../../tests/vectors/crl/root.crl.der");
const VERIFY_AT: i64 = 1_767_225_600;

/// Splits `data` into length-prefixed (u16 big-endian) items.
pub fn split_items(mut data: &[u8]) -> Vec<&[u8]> {
    let mut items = Vec::new();
    while data.len() >= 2 {
        let n = usize::from(u16::from_be_bytes([data[0], data[1]])).min(data.len() - 2);
        items.push(&data[2..2 + n]);
        data = &data[2 + n..];
    }
    items
}

/// Input: one flags byte, then DER certificates, each prefixed by its
/// length (u16 BE): the first is the leaf, the others the untrusted chain.
/// Flag bits: 0 the last certificate is also trusted, 1 CRL checking with
/// the root's CRL, 2 a purpose (SSL server), 3 X509_STRICT, 4 partial chain
/// (the leaf's chain certificates trusted), 5 depth 1.
pub fn verify_chain(data: &[u8]) {
    let Some((&flags, rest)) = data.split_first() else {
        return;
    };
    let certs: Vec<X509> = split_items(rest)
        .into_iter()
        .filter_map(|der| load_certificate(FileType::Asn1, der).ok())
        .collect();
    let Some((leaf, chain)) = certs.split_first() else {
        return;
    };
    let mut store = X509Store::new();
    if let Ok(root) = load_certificate(FileType::Asn1, ROOT_DER) {
        let _ = store.add_cert(&root);
    }
    store.set_time_unix(VERIFY_AT);
    if flags & 1 != 0 {
        if let Some(last) = chain.last() {
            let _ = store.add_cert(last);
        }
    }
    let mut store_flags = X509StoreFlags::empty();
    if flags & 2 != 0 {
        if let Ok(crl) = load_crl(FileType::Asn1, ROOT_CRL_DER) {
            let _ = store.add_crl(&crl);
        }
        store_flags |= X509StoreFlags::CRL_CHECK;
    }
    if flags & 8 != 0 {
        store_flags |= X509StoreFlags::X509_STRICT;
    }
    if flags & 16 != 0 {
        store_flags |= X509StoreFlags::PARTIAL_CHAIN;
    }
    let _ = store.set_flags(store_flags);
    if flags & 32 != 0 {
        store.set_depth(1);
    }
    let mut ctx = X509StoreContext::new(&store, leaf, Some(chain));
    if flags & 4 != 0 {
        let _ = ctx.set_purpose(Purpose::SslServer);
    }
    if let Ok(path) = ctx.verify_certificate() {
        for c in &path {
            let _ = c.subject().oneline();
        }
    }
}

// ---------------------------------------------------------------- TLS

const SERVER_CERT: &[u8] = include_bytes!("../../tests/data/provider/p256.pem");
const SERVER_KEY: &[u8] = include_bytes!("../../tests/data/provider/p256.key");
const CA_CERT: &[u8] = include_bytes!("../../tests/data/provider/p256-ca.pem");
const RSA_CERT: &[u8] = include_bytes!("../../tests/data/provider/rsa2048.pem");
const RSA_KEY: &[u8] = include_bytes!("../../tests/data/provider/rsa2048.key");

/// Contexts made once: a server (P-256 or RSA), and clients that do or do
/// not verify the server, for `method`.
pub struct Contexts {
    pub server: Context,
    pub server_rsa: Context,
    pub client: Context,
    pub client_noverify: Context,
}

fn make_server(method: Method, cert: &[u8], key: &[u8]) -> Context {
    let mut ctx = Context::new(method).expect("context");
    let cert = load_certificate(FileType::Pem, cert).expect("server certificate");
    let key = load_privatekey(FileType::Pem, key, None).expect("server key");
    ctx.use_certificate(&cert).expect("use_certificate");
    ctx.use_privatekey(&key).expect("use_privatekey");
    ctx
}

fn make_contexts(method: Method) -> Contexts {
    let mut client = Context::new(method).expect("context");
    let ca = load_certificate(FileType::Pem, CA_CERT).expect("CA certificate");
    client.cert_store_mut().add_cert(&ca).expect("add CA");
    client.set_verify(VerifyMode::PEER, None);
    let mut client_noverify = Context::new(method).expect("context");
    client_noverify.set_verify(VerifyMode::NONE, None);
    Contexts {
        server: make_server(method, SERVER_CERT, SERVER_KEY),
        server_rsa: make_server(method, RSA_CERT, RSA_KEY),
        client,
        client_noverify,
    }
}

/// The contexts for TLS 1.2 only, TLS 1.3 only and both.
pub fn contexts() -> &'static [Contexts; 3] {
    static CTX: OnceLock<[Contexts; 3]> = OnceLock::new();
    CTX.get_or_init(|| {
        [
            make_contexts(Method::TlsV1_2),
            make_contexts(Method::TlsV1_3),
            make_contexts(Method::Tls),
        ]
    })
}

/// Drives `conn` after its input was written: handshake, reads, a write,
/// a shutdown; each step may fail, none may panic.
fn drive(conn: &mut Connection<Memory>) {
    let mut buf = [0u8; 4096];
    for _ in 0..4 {
        let _ = conn.do_handshake();
        let _ = conn.recv(&mut buf);
    }
    let _ = conn.pending();
    let _ = conn.send(b"ping");
    let _ = conn.bio_read(1 << 20);
    let _ = conn.peer_certificate();
    let _ = conn.peer_cert_chain();
    let _ = conn.cipher_name();
    let _ = conn.protocol_version_name();
    let _ = conn.state_string();
    let _ = conn.shutdown();
    let _ = conn.bio_read(1 << 20);
}

/// A server fed arbitrary bytes. First byte: method (mod 3) and key (bit 2).
pub fn tls_server(data: &[u8]) {
    let Some((&sel, input)) = data.split_first() else {
        return;
    };
    let ctx = &contexts()[usize::from(sel & 3) % 3];
    let server = if sel & 4 != 0 {
        &ctx.server_rsa
    } else {
        &ctx.server
    };
    let mut s = Connection::new(server, Memory::default());
    if s.set_accept_state().is_err() {
        return;
    }
    // In two writes at a position the input picks, to hit the buffering.
    let cut = usize::from(sel >> 3).min(input.len());
    let _ = s.bio_write(&input[..cut]);
    let _ = s.do_handshake();
    let _ = s.bio_write(&input[cut..]);
    drive(&mut s);
}

/// A client fed arbitrary bytes (after its ClientHello). First byte:
/// method (mod 3) and whether it verifies the server (bit 2).
pub fn tls_client(data: &[u8]) {
    let Some((&sel, input)) = data.split_first() else {
        return;
    };
    let ctx = &contexts()[usize::from(sel & 3) % 3];
    let client = if sel & 4 != 0 {
        &ctx.client
    } else {
        &ctx.client_noverify
    };
    let mut c = Connection::new(client, Memory::default());
    if c.set_connect_state().is_err() {
        return;
    }
    let _ = c.do_handshake();
    let _ = c.bio_read(1 << 20);
    let cut = usize::from(sel >> 3).min(input.len());
    let _ = c.bio_write(&input[..cut]);
    let _ = c.do_handshake();
    let _ = c.bio_write(&input[cut..]);
    drive(&mut c);
}

/// One TLS record as sent: content type and payload (the header's version
/// and length are rebuilt when it is sent on).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Record {
    pub kind: u8,
    pub version: [u8; 2],
    pub payload: Vec<u8>,
}

/// Splits a byte stream at TLS record boundaries; a trailing partial record
/// is returned as one record with the bytes it has.
pub fn split_records(mut data: &[u8]) -> Vec<Record> {
    let mut out = Vec::new();
    while data.len() >= 5 {
        let n = usize::from(u16::from_be_bytes([data[3], data[4]])).min(data.len() - 5);
        out.push(Record {
            kind: data[0],
            version: [data[1], data[2]],
            payload: data[5..5 + n].to_vec(),
        });
        data = &data[5 + n..];
    }
    out
}

/// Frames records back into a stream, with lengths that match the payloads
/// (payloads over 65535 bytes are cut).
pub fn join_records(records: &[Record]) -> Vec<u8> {
    let mut out = Vec::new();
    for r in records {
        let payload = &r.payload[..r.payload.len().min(0xffff)];
        out.push(r.kind);
        out.extend_from_slice(&r.version);
        out.extend_from_slice(&(payload.len() as u16).to_be_bytes());
        out.extend_from_slice(payload);
    }
    out
}

/// One edit of the man-in-the-middle: which record (counted over the whole
/// connection per direction), what to do.
#[derive(Debug)]
struct Edit<'a> {
    to_server: bool,
    index: usize,
    op: u8,
    pos: usize,
    val: u8,
    bytes: &'a [u8],
}

/// Parses the edit list: 5 bytes per edit (direction|index, op, pos u16 BE,
/// value) and, for the insert/replace ops, a length byte and that many bytes.
fn parse_edits(mut data: &[u8]) -> Vec<Edit<'_>> {
    let mut edits = Vec::new();
    while data.len() >= 5 && edits.len() < 16 {
        let (head, rest) = data.split_at(5);
        data = rest;
        let op = head[1] % 10;
        let mut bytes: &[u8] = &[];
        if op >= 8 {
            let Some((&n, rest)) = data.split_first() else {
                break;
            };
            let n = usize::from(n).min(rest.len());
            (bytes, data) = rest.split_at(n);
        }
        edits.push(Edit {
            to_server: head[0] & 0x80 != 0,
            index: usize::from(head[0] & 0x7f),
            op,
            pos: usize::from(u16::from_be_bytes([head[2], head[3]])),
            val: head[4],
            bytes,
        });
    }
    edits
}

/// Applies the edits for record number `index` of a direction; the records
/// it turns into.
fn apply(record: Record, edits: &[Edit<'_>], to_server: bool, index: usize) -> Vec<Record> {
    let mut out = vec![record];
    for e in edits
        .iter()
        .filter(|e| e.to_server == to_server && e.index == index)
    {
        let Some(r) = out.first_mut() else {
            break;
        };
        let len = r.payload.len();
        let at = if len == 0 { 0 } else { e.pos % len };
        match e.op {
            0 if len > 0 => r.payload[at] ^= 1 << (e.val % 8),
            1 if len > 0 => r.payload[at] = e.val,
            2 => r.payload.truncate(at),
            3 => out.clear(),
            4 => {
                let copy = r.clone();
                out.push(copy);
            }
            5 => r.kind = e.val,
            6 => r.version = [e.val, e.pos as u8],
            7 => {
                // Split the record in two at `at` (same type).
                let tail = r.payload.split_off(at);
                let second = Record {
                    kind: r.kind,
                    version: r.version,
                    payload: tail,
                };
                out.push(second);
            }
            8 => {
                let at = if len == 0 { 0 } else { e.pos % (len + 1) };
                r.payload.splice(at..at, e.bytes.iter().copied());
            }
            9 => r.payload = e.bytes.to_vec(),
            _ => {}
        }
    }
    out
}

/// The structure-aware target: a real puressl client and server handshake
/// in memory, then exchange application data and close, while a
/// man-in-the-middle edits the records the input picks (flip, set,
/// truncate, drop, duplicate, retype, split, insert, replace). Since both
/// ends are live, the edits reach every stage of the connection with valid
/// keys and signatures around them.
///
/// Input: one byte (method mod 3, RSA server bit 2, verifying client bit 3,
/// client certificate-free), then the edit list (see `parse_edits`).
/// Returns how many application bytes the server received.
pub fn tls_records(data: &[u8]) -> usize {
    let Some((&sel, rest)) = data.split_first() else {
        return 0;
    };
    let edits = parse_edits(rest);
    let ctx = &contexts()[usize::from(sel & 3) % 3];
    let server = if sel & 4 != 0 {
        &ctx.server_rsa
    } else {
        &ctx.server
    };
    // The RSA server's certificate is not under the P-256 CA: only the
    // P-256 server is checked by the verifying client.
    let client = if sel & 8 != 0 && sel & 4 == 0 {
        &ctx.client
    } else {
        &ctx.client_noverify
    };
    let mut c = Connection::new(client, Memory::default());
    let mut s = Connection::new(server, Memory::default());
    if c.set_connect_state().is_err() || s.set_accept_state().is_err() {
        return 0;
    }
    let mut counts = [0usize; 2];
    let changed = std::cell::Cell::new(false);
    let mut mitm = |from: &mut Connection<Memory>,
                    to: &mut Connection<Memory>,
                    to_server: bool,
                    edits: &[Edit<'_>]| {
        let Ok(bytes) = from.bio_read(1 << 20) else {
            return false;
        };
        let mut out = Vec::new();
        for r in split_records(&bytes) {
            let i = &mut counts[usize::from(to_server)];
            let edited = apply(r.clone(), edits, to_server, *i);
            changed.set(changed.get() | (edited != [r]));
            out.extend(edited);
            *i += 1;
        }
        let _ = to.bio_write(&join_records(&out));
        true
    };
    let payload: Vec<u8> = (0..3000u32).map(|i| i as u8).collect();
    let mut buf = vec![0u8; 8192];
    let mut received = 0;
    for round in 0..12 {
        let _ = c.do_handshake();
        let _ = s.do_handshake();
        if (4..9).contains(&round) {
            let _ = c.send(&payload);
            let _ = s.send(&payload[..100]);
        }
        if round >= 4 {
            while let Ok(n) = s.recv(&mut buf) {
                if n == 0 {
                    break;
                }
                received += n;
            }
            let _ = c.recv(&mut buf);
        }
        // Only an unedited connection is shut down: after close_notify went
        // out, a record rustls rejects (an edited one, or any record after
        // an edit desynchronised the stream) trips its one-fatal-alert debug
        // assertion (rustls/rustls#959, see FUZZING.md), an upstream panic
        // puressl cannot avoid. Edits stop there too.
        if round == 9 && !changed.get() {
            let _ = c.shutdown();
            let _ = s.shutdown();
        }
        let edits = if round < 9 { &edits[..] } else { &[] };
        let moved = mitm(&mut c, &mut s, true, edits) | mitm(&mut s, &mut c, false, edits);
        if !moved && round > 10 {
            break;
        }
    }
    let _ = c.peer_certificate();
    let _ = s.peer_certificate();
    received
}

/// The transcript of an unedited in-memory handshake plus a little data,
/// per direction: `(client to server, server to client)` byte streams.
/// Used to seed the raw `tls_server`/`tls_client` corpora.
pub fn transcript(method_index: usize) -> (Vec<u8>, Vec<u8>) {
    let ctx = &contexts()[method_index % 3];
    let mut c = Connection::new(&ctx.client_noverify, Memory::default());
    let mut s = Connection::new(&ctx.server, Memory::default());
    let (mut to_s, mut to_c) = (Vec::new(), Vec::new());
    if c.set_connect_state().is_err() || s.set_accept_state().is_err() {
        return (to_s, to_c);
    }
    for round in 0..8 {
        let _ = c.do_handshake();
        let _ = s.do_handshake();
        if round == 4 {
            let _ = c.send(b"GET / HTTP/1.0\r\n\r\n");
            let _ = s.send(b"HTTP/1.0 200 OK\r\n\r\n");
        }
        if let Ok(b) = c.bio_read(1 << 20) {
            let _ = s.bio_write(&b);
            to_s.extend_from_slice(&b);
        }
        if let Ok(b) = s.bio_read(1 << 20) {
            let _ = c.bio_write(&b);
            to_c.extend_from_slice(&b);
        }
    }
    (to_s, to_c)
}

// ---------------------------------------------------------------- seeds

const LEAF_DER: &[u8] = include_bytes!("../../tests/vectors/certs/leaf.der");
const INTER_DER: &[u8] = include_bytes!("../../tests/vectors/certs/inter_ec.der");

/// Prefixes `der` with its length (u16 BE), as `split_items` reads it.
fn item(der: &[u8]) -> Vec<u8> {
    let mut out = (der.len() as u16).to_be_bytes().to_vec();
    out.extend_from_slice(der);
    out
}

/// Seed inputs the targets make themselves (TLS transcripts, chains built
/// from the vectors, extension values and cipher strings); the vector files
/// are copied in by `fuzz/run.sh`.
pub fn seeds(target: &str) -> Vec<Vec<u8>> {
    match target {
        "tls_server" | "tls_client" => (0..3)
            .map(|m| {
                let (to_s, to_c) = transcript(m);
                let mut seed = vec![m as u8];
                seed.extend(if target == "tls_server" { to_s } else { to_c });
                seed
            })
            .collect(),
        "tls_records" => {
            let mut out: Vec<Vec<u8>> = [0u8, 1, 2, 4, 8, 9, 10].iter().map(|&s| vec![s]).collect();
            // A flip in the ClientHello, in the server's first flight, a
            // split record, a retyped record.
            out.push(vec![0, 0x80, 0, 0, 40, 1]);
            out.push(vec![1, 0x00, 0, 0, 60, 3]);
            out.push(vec![0, 0x01, 7, 0, 20, 0]);
            out.push(vec![2, 0x81, 5, 0, 0, 21]);
            out
        }
        "verify_certificate" => [0u8, 1, 2, 4, 8, 16, 32]
            .iter()
            .map(|&flags| {
                let mut seed = vec![flags];
                seed.extend(item(LEAF_DER));
                seed.extend(item(INTER_DER));
                seed
            })
            .chain(std::iter::once([vec![1], item(INTER_DER)].concat()))
            .collect(),
        "x509_extension" => [
            (0u8, "critical,CA:TRUE,pathlen:0"),
            (1, "digitalSignature,keyEncipherment,keyCertSign"),
            (2, "serverAuth,clientAuth,1.2.3.4"),
            (
                3,
                "DNS:a.example,IP:127.0.0.1,IP:::1,email:x@y.example,URI:http://x/",
            ),
            (3, "dirName:sect,otherName:1.2.3;UTF8:x,RID:1.2.3"),
            (5, "hash"),
            (6, "keyid:always,issuer"),
            (7, "a comment"),
            (8, "server,client,email"),
            (9, "URI:http://crl.example/a.crl"),
            (
                10,
                "OCSP;URI:http://ocsp.example/,caIssuers;URI:http://ca.example/",
            ),
            (11, "1.2.3.4,2.5.29.32.0"),
            (12, "permitted;DNS:.example,excluded;IP:10.0.0.0/255.0.0.0"),
            (13, "requireExplicitPolicy:1,inhibitPolicyMapping:2"),
            (14, "3"),
            (22, "DER:3003020101"),
            (22, "ASN1:UTF8String:hello"),
            (0x80, "CA:FALSE"),
        ]
        .iter()
        .map(|(sel, v)| [&[*sel][..], v.as_bytes()].concat())
        .collect(),
        "set_cipher_list" => [
            "ALL",
            "DEFAULT",
            "HIGH:!aNULL:!MD5",
            "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-CHACHA20-POLY1305",
            "ECDHE+AESGCM:-RSA:@STRENGTH",
            "TLS_AES_128_GCM_SHA256:TLS_CHACHA20_POLY1305_SHA256",
            "kECDHE+aECDSA+AES256",
            "!ALL:+COMPLEMENTOFALL",
        ]
        .iter()
        .map(|s| s.as_bytes().to_vec())
        .collect(),
        _ => Vec::new(),
    }
}

/// Writes `seeds(target)` into `$PURESSL_FUZZ_SEED_DIR` when that is set
/// (the fuzz targets call this at start-up; `fuzz/run.sh` sets it once).
pub fn write_seeds(target: &str) {
    let Some(dir) = std::env::var_os("PURESSL_FUZZ_SEED_DIR") else {
        return;
    };
    let dir = std::path::Path::new(&dir);
    let _ = std::fs::create_dir_all(dir);
    for (i, seed) in seeds(target).iter().enumerate() {
        let _ = std::fs::write(dir.join(format!("self-{i:02}")), seed);
    }
}
