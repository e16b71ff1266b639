//! The memory BIO after the handshake: `bio_write` hands ciphertext to
//! rustls without a copy into `Memory`, but, as OpenSSL's memory BIO,
//! processes nothing — data, alerts, errors and close_notify come out of
//! the next `recv`, in order, however the ciphertext is cut.

use puressl::ssl::{Connection, Error, Memory, Method, Shutdown};

use crate::support::ssl::{client_ctx, handshake, pair, pump, server_ctx};

/// A connected pair for TLS 1.3 and one for TLS 1.2.
fn connected() -> Vec<(Connection<Memory>, Connection<Memory>)> {
    [Method::Tls, Method::TlsV1_2]
        .into_iter()
        .map(|m| {
            let (mut c, mut s) = pair(&client_ctx(m), &server_ctx(m));
            handshake(&mut c, &mut s).unwrap();
            // The TLS 1.3 client reads its tickets.
            assert!(matches!(c.recv(&mut [0; 1]), Err(Error::WantRead)));
            (c, s)
        })
        .collect()
}

/// The rustls error under `e`, if any.
fn rustls_error(e: &Error) -> Option<rustls::Error> {
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        if let Some(r) = s.downcast_ref::<rustls::Error>() {
            return Some(r.clone());
        }
        source = s.source();
    }
    None
}

/// Everything `s` can give in `recv` calls of `step` bytes, until `WantRead`.
fn drain(s: &mut Connection<Memory>, step: usize) -> Vec<u8> {
    let mut got = Vec::new();
    let mut buf = vec![0u8; step];
    loop {
        match s.recv(&mut buf) {
            Ok(n) => got.extend_from_slice(&buf[..n]),
            Err(Error::WantRead) => return got,
            Err(e) => panic!("recv: {e}"),
        }
    }
}

#[test]
fn data_arrives_in_order_however_bio_write_cuts_it() {
    let data: Vec<u8> = (0..150_000u32).map(|i| (i * 31 + i / 509) as u8).collect();
    for (mut c, mut s) in connected() {
        // Cuts inside headers, inside bodies, several records at once, all.
        for cut in [1, 3, 5, 7, 1000, 16_406, 16_500, 40_000, 1 << 20] {
            c.sendall(&data).unwrap();
            let wire = c.bio_read(1 << 20).unwrap();
            assert!(wire.len() > data.len());
            let mut got = Vec::new();
            for (i, piece) in wire.chunks(cut).enumerate() {
                assert_eq!(s.bio_write(piece).unwrap(), piece.len());
                // Read now and then: bio_write then finds plaintext waiting,
                // bytes queued in Memory, or a partial record in rustls.
                if i % 3 == 1 {
                    got.extend(drain(&mut s, 7_000));
                }
            }
            got.extend(drain(&mut s, 16_384));
            assert_eq!(got.len(), data.len(), "cut {cut}");
            assert!(got == data, "cut {cut}: bytes differ");
            assert_eq!(s.pending(), 0);
            assert!(s.want_read());
        }
        // And the other way.
        s.sendall(&data[..40_000]).unwrap();
        pump(&mut s, &mut c);
        assert_eq!(drain(&mut c, 4096), &data[..40_000]);
    }
}

#[test]
fn bio_write_processes_nothing_until_recv() {
    for (mut c, mut s) in connected() {
        c.send(b"hello server").unwrap();
        pump(&mut c, &mut s);
        c.send(b" and more").unwrap();
        pump(&mut c, &mut s);
        // Like SSL_pending: nothing decrypted yet, so nothing pending.
        assert_eq!(s.pending(), 0);
        let mut buf = [0u8; 5];
        assert_eq!(s.recv(&mut buf).unwrap(), 5);
        assert_eq!(&buf, b"hello");
        // The rest of the first record is decrypted, and counts.
        assert!(s.pending() >= 7);
        assert_eq!(drain(&mut s, 64), b" server and more");

        // close_notify: only recv notices it.
        c.shutdown().unwrap();
        pump(&mut c, &mut s);
        assert_eq!(s.shutdown_state(), Shutdown::empty());
        assert_eq!(s.pending(), 0);
        assert!(matches!(s.recv(&mut buf), Err(Error::ZeroReturn)));
        assert_eq!(s.shutdown_state(), Shutdown::RECEIVED);
    }
}

#[test]
fn a_bad_record_fails_the_next_recv_not_bio_write() {
    for (mut c, mut s) in connected() {
        c.send(b"tampered").unwrap();
        let mut wire = c.bio_read(1 << 16).unwrap();
        *wire.last_mut().unwrap() ^= 1;
        assert_eq!(s.bio_write(&wire).unwrap(), wire.len());
        // Nothing processed: no alert yet, no error state.
        assert!(matches!(s.bio_read(100), Err(Error::WantRead)));
        assert_eq!(s.state_string(), "SSL negotiation finished successfully");
        assert_eq!(s.pending(), 0);
        // recv finds it: bad_record_mac, sent to the peer.
        let mut buf = [0u8; 64];
        let e = s.recv(&mut buf).unwrap_err();
        assert!(matches!(e, Error::Ssl(_)), "{e:?}");
        assert_eq!(rustls_error(&e), Some(rustls::Error::DecryptError));
        assert_eq!(s.state_string(), "error");
        pump(&mut s, &mut c);
        let e = c.recv(&mut buf).unwrap_err();
        assert_eq!(
            rustls_error(&e),
            Some(rustls::Error::AlertReceived(
                rustls::AlertDescription::BadRecordMac
            ))
        );
        // From then on, OpenSSL's error state on both sides.
        assert!(matches!(
            s.recv(&mut buf),
            Err(Error::SysCall { errno: -1, .. })
        ));
        assert!(matches!(c.recv(&mut buf), Err(Error::ZeroReturn)));
        // Ciphertext arriving after the failure is taken and ignored.
        assert_eq!(s.bio_write(&wire).unwrap(), wire.len());
        assert!(matches!(
            s.recv(&mut buf),
            Err(Error::SysCall { errno: -1, .. })
        ));
    }
}

/// Records: "hello", " world" (good) and a tampered third, fed at once or
/// one `bio_write` each.
fn good_good_bad(c: &mut Connection<Memory>, s: &mut Connection<Memory>, one_write: bool) {
    let mut wire = Vec::new();
    for part in [&b"hello"[..], b" world", b"lost"] {
        c.send(part).unwrap();
        wire.push(c.bio_read(1 << 16).unwrap());
    }
    *wire[2].last_mut().unwrap() ^= 1;
    if one_write {
        let all = wire.concat();
        assert_eq!(s.bio_write(&all).unwrap(), all.len());
    } else {
        for w in &wire {
            assert_eq!(s.bio_write(w).unwrap(), w.len());
        }
    }
}

#[test]
fn good_records_before_a_bad_one_are_received_first() {
    // As OpenSSL (pyOpenSSL 23.2, same records): recv returns the good
    // records' data, the next recv fails with the bad record's error, and
    // later calls get the error state's SysCall(-1).
    for one_write in [true, false] {
        for (mut c, mut s) in connected() {
            good_good_bad(&mut c, &mut s, one_write);
            let mut buf = [0u8; 4];
            assert_eq!(s.recv(&mut buf).unwrap(), 4);
            assert_eq!(&buf, b"hell");
            assert_eq!(s.pending(), 7);
            assert_eq!(s.recv_peek(&mut buf).unwrap(), 4);
            assert_eq!(&buf, b"o wo");
            assert_eq!(s.recv(&mut [0u8; 0]).unwrap(), 0);
            let mut rest = [0u8; 64];
            assert_eq!(s.recv(&mut rest).unwrap(), 7);
            assert_eq!(&rest[..7], b"o world");
            assert_eq!(s.pending(), 0);
            let e = s.recv(&mut rest).unwrap_err();
            assert!(matches!(e, Error::Ssl(_)), "{e:?}");
            assert_eq!(rustls_error(&e), Some(rustls::Error::DecryptError));
            assert!(matches!(
                s.recv(&mut rest),
                Err(Error::SysCall { errno: -1, .. })
            ));
            assert!(matches!(
                s.send(b"x"),
                Err(Error::SysCall { errno: -1, .. })
            ));
            // The peer got bad_record_mac.
            pump(&mut s, &mut c);
            let e = c.recv(&mut rest).unwrap_err();
            assert_eq!(
                rustls_error(&e),
                Some(rustls::Error::AlertReceived(
                    rustls::AlertDescription::BadRecordMac
                ))
            );
        }
    }
    // The held error is reported by whichever call comes next.
    let (mut c, mut s) = connected().remove(1);
    good_good_bad(&mut c, &mut s, true);
    let mut buf = [0u8; 64];
    assert_eq!(s.recv(&mut buf).unwrap(), 11);
    let e = s.send(b"x").unwrap_err();
    assert_eq!(rustls_error(&e), Some(rustls::Error::DecryptError));
}

#[test]
fn key_update_through_bio_write() {
    let (mut c, mut s) = connected().remove(0);
    c.renegotiate().unwrap();
    c.send(b"after the update").unwrap();
    pump(&mut c, &mut s);
    let mut buf = [0u8; 64];
    let n = s.recv(&mut buf).unwrap();
    assert_eq!(&buf[..n], b"after the update");
    // The server's answering KeyUpdate, then data with its new keys.
    s.send(b"answer").unwrap();
    pump(&mut s, &mut c);
    let n = c.recv(&mut buf).unwrap();
    assert_eq!(&buf[..n], b"answer");
}
