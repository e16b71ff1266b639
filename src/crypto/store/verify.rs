//! Chain building and verification in OpenSSL 3.0's order
//! (`X509_verify_cert`: `build_chain`, `check_extensions`,
//! `check_revocation`, `internal_verify`, `check_name_constraints`), with
//! the purpose checks of `check_extensions` when a purpose is set.

use const_oid::ObjectIdentifier;

use super::cert_view::{likely_issued, CertInfo, KU_CRL_SIGN, KU_KEY_CERT_SIGN};
use super::identity::IdParams;
use super::X509VerifyError as E;
use super::{
    locations, name_constraints, security, X509Store, X509StoreContextError, X509StoreFlags,
};
use crate::crypto::asn1::oid::ids;
use crate::crypto::time::{now, Asn1Time};
use crate::crypto::{X509Name, X509};

use std::sync::Arc;

/// A certificate with its derived flags, shared: the chain, the pool and
/// the store's cache hand the same one around without copying it.
pub(super) type Info = Arc<CertInfo>;

type Cb<'c> = Option<&'c mut dyn FnMut(&X509, E, u32, bool) -> bool>;

/// Trust evaluation of a (partial) chain, as `check_trust` returns it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Trust {
    Trusted,
    Untrusted,
}

/// Verification stopped: the error to report.
pub(super) struct Stop;

pub(super) struct Ctx<'s, 'c> {
    pub(super) store: &'s X509Store,
    pub(super) flags: X509StoreFlags,
    /// The time to check against, or `None` with `NO_CHECK_TIME`.
    pub(super) time: Option<i64>,
    pub(super) depth: usize,
    pub(super) chain: Vec<Info>,
    pub(super) num_untrusted: usize,
    pub(super) error: E,
    pub(super) error_depth: usize,
    pub(super) error_cert: Option<X509>,
    pub(super) cb: Cb<'c>,
    pub(super) purpose: Option<super::Purpose>,
    /// The leaf's host, e-mail and IP checks (`check_id`).
    pub(super) id: &'s IdParams,
}

/// Verifies `leaf` (see [`X509StoreContext`](super::X509StoreContext)).
pub(crate) fn verify(
    store: &X509Store,
    leaf: X509,
    untrusted: Vec<X509>,
    purpose: Option<super::Purpose>,
    id: &IdParams,
    cb: Cb<'_>,
) -> Result<Vec<X509>, X509StoreContextError> {
    let invalid = |c: &X509| X509StoreContextError::new(E::INVALID_CALL, 0, c.clone());
    let leaf_info = Arc::new(CertInfo::owning(leaf).map_err(|c| invalid(&c))?);
    let mut pool = Vec::new();
    for c in untrusted {
        pool.push(Arc::new(CertInfo::owning(c).map_err(|c| invalid(&c))?));
    }
    let flags = store.flags;
    let time = if flags.contains(X509StoreFlags::USE_CHECK_TIME) {
        Some(store.time.unwrap_or_else(now))
    } else if flags.contains(X509StoreFlags::NO_CHECK_TIME) {
        None
    } else {
        Some(now())
    };
    let mut ctx = Ctx {
        store,
        flags,
        time,
        depth: store.depth.unwrap_or(super::DEFAULT_DEPTH) as usize + 1,
        chain: vec![leaf_info],
        num_untrusted: 1,
        error: E::OK,
        error_depth: 0,
        error_cert: None,
        cb,
        purpose,
        id,
    };
    let ok = ctx.verify_chain(pool).is_ok();
    if ok {
        // The leaf and the intermediates are this call's own: moved out.
        Ok(ctx
            .chain
            .into_iter()
            .map(|c| Arc::try_unwrap(c).map_or_else(|c| c.cert.clone(), |c| c.cert))
            .collect())
    } else {
        let err = if ctx.error == E::OK {
            E::UNSPECIFIED
        } else {
            ctx.error
        };
        let cert = ctx
            .error_cert
            .or_else(|| ctx.chain.get(ctx.error_depth).map(|c| c.cert.clone()))
            .or_else(|| ctx.chain.first().map(|c| c.cert.clone()))
            .unwrap_or_default();
        Err(X509StoreContextError::new(
            err,
            u32::try_from(ctx.error_depth).unwrap_or(u32::MAX),
            cert,
        ))
    }
}

fn depth_u32(d: usize) -> u32 {
    u32::try_from(d).unwrap_or(u32::MAX)
}

/// Whether `x` has an extension `oid` marked critical.
fn has_critical(x: &CertInfo, oid: ObjectIdentifier) -> bool {
    x.cert
        .extensions()
        .iter()
        .any(|e| e.id() == oid && e.critical())
}

impl Ctx<'_, '_> {
    /// `verify_cb_cert`: reports `err` for the certificate at `depth` (or
    /// `cert`); `Ok` when the callback overrides it.
    pub(super) fn fail(&mut self, cert: Option<&X509>, depth: usize, err: E) -> Result<(), Stop> {
        self.error_depth = depth;
        let cert = cert
            .cloned()
            .or_else(|| self.chain.get(depth).map(|c| c.cert.clone()));
        self.error_cert = cert.clone();
        if err != E::OK {
            self.error = err;
        }
        let go_on = match (self.cb.as_mut(), cert.as_ref()) {
            (Some(cb), Some(c)) => cb(c, self.error, depth_u32(depth), false),
            _ => false,
        };
        if go_on {
            self.error = E::OK;
            Ok(())
        } else {
            Err(Stop)
        }
    }

    pub(super) fn fail_if(&mut self, cond: bool, depth: usize, err: E) -> Result<(), Stop> {
        if cond {
            self.fail(None, depth, err)
        } else {
            Ok(())
        }
    }

    fn verify_chain(&mut self, pool: Vec<Info>) -> Result<(), Stop> {
        let level = self.store.auth_level;
        let leaf_weak = self
            .chain
            .first()
            .is_some_and(|c| !security::key_ok(&c.cert, level));
        self.fail_if(leaf_weak, 0, E::EE_KEY_TOO_SMALL)?;
        self.build_chain(pool)?;
        self.check_extensions()?;
        self.check_auth_level()?;
        self.check_id()?;
        self.check_revocation()?;
        self.internal_verify()?;
        self.check_name_constraints()
    }

    /// Trusted certificates whose subject is `name`: the store's, then
    /// those of hashed directories.
    fn trusted_by_subject(&self, name: &X509Name) -> Result<Vec<Info>, E> {
        let mut out: Vec<Info> = self.store.infos_by_subject(name).collect();
        let from_dirs =
            locations::dir_certs(&self.store.dirs, name).map_err(|_| E::STORE_LOOKUP)?;
        for c in from_dirs {
            if let Some(ci) = CertInfo::new(&c)
                && !out.iter().any(|o| o.der == ci.der)
            {
                out.push(Arc::new(ci));
            }
        }
        Ok(out)
    }

    /// Whether `c` is within its validity period (no callback).
    fn time_ok(&self, c: &X509) -> bool {
        let Some(t) = self.time else {
            return true;
        };
        match (c.raw_not_before(), c.raw_not_after()) {
            (Some(nb), Some(na)) => nb.unix() <= t && na.unix() > t,
            _ => false,
        }
    }

    /// `X509_STORE_CTX_get1_issuer`: the first trusted issuer valid now, else
    /// the one that expires last.
    fn trusted_issuer(&self, x: &CertInfo) -> Result<Option<Info>, E> {
        let mut best: Option<Info> = None;
        for cand in self.trusted_by_subject(x.cert.issuer())? {
            if cand.invalid || !likely_issued(&cand, x) {
                continue;
            }
            if self.time_ok(&cand.cert) {
                return Ok(Some(cand));
            }
            let later = match (&best, cand.cert.raw_not_after()) {
                (None, _) => true,
                (Some(b), Some(na)) => b
                    .cert
                    .raw_not_after()
                    .is_none_or(|bn| na.unix() > bn.unix()),
                _ => false,
            };
            if later {
                best = Some(cand);
            }
        }
        Ok(best)
    }

    /// An untrusted issuer of `x` from `pool` that is not yet in the chain.
    fn untrusted_issuer(&self, pool: &[Info], x: &CertInfo) -> Option<usize> {
        let mut best: Option<usize> = None;
        for (i, cand) in pool.iter().enumerate() {
            let dup = !(x.self_issued && self.chain.len() == 1)
                && self.chain.iter().any(|c| c.der == cand.der);
            if dup || cand.invalid || !likely_issued(cand, x) {
                continue;
            }
            if self.time_ok(&cand.cert) {
                return Some(i);
            }
            let later = match best.and_then(|b| pool.get(b)) {
                None => true,
                Some(b) => match (cand.cert.raw_not_after(), b.cert.raw_not_after()) {
                    (Some(a), Some(bn)) => a.unix() > bn.unix(),
                    _ => false,
                },
            };
            if later {
                best = Some(i);
            }
        }
        best
    }

    /// `check_trust` for the certificates added at `from..`.
    fn check_trust(&mut self, from: usize) -> Trust {
        let num = self.chain.len();
        if self
            .chain
            .iter()
            .skip(from.max(self.num_untrusted))
            .any(|c| c.self_signed)
        {
            return Trust::Trusted;
        }
        let partial = self.flags.contains(X509StoreFlags::PARTIAL_CHAIN);
        if self.num_untrusted < num {
            return if partial {
                Trust::Trusted
            } else {
                Trust::Untrusted
            };
        }
        if partial {
            // Last resort: the leaf itself is in the store.
            let Some(leaf) = self.chain.first() else {
                return Trust::Untrusted;
            };
            let found = self
                .trusted_by_subject(leaf.cert.subject())
                .ok()
                .and_then(|v| v.into_iter().find(|c| c.der == leaf.der));
            if let Some(m) = found {
                if let Some(slot) = self.chain.first_mut() {
                    *slot = m;
                }
                self.num_untrusted = 0;
                return Trust::Trusted;
            }
        }
        Trust::Untrusted
    }

    /// `build_chain` with trusted-first lookups: the store is asked for the
    /// issuer of the chain's top first; only while it finds nothing (or
    /// the top is self-signed) is the untrusted pool searched, and once
    /// the store has answered, the pool is not searched again.
    fn build_chain(&mut self, mut pool: Vec<Info>) -> Result<(), Stop> {
        let mut search_untrusted = true;
        let mut trust = Trust::Untrusted;
        let mut ss = self.chain.first().is_some_and(|c| c.self_signed);
        loop {
            let added = match self.extend_from_store(&mut ss) {
                Ok(added) => added,
                Err(e) => {
                    self.error = e;
                    return self.fail(None, self.chain.len() - 1, e);
                }
            };
            if let Some(from) = added {
                search_untrusted = false;
                trust = self.check_trust(from);
                if trust == Trust::Trusted {
                    break;
                }
                if !ss {
                    continue;
                }
            }
            // One more trusted lookup happens in OpenSSL after the pool has
            // nothing more; it finds nothing new, so stop there.
            if !search_untrusted || !self.extend_from_pool(&mut pool, &mut ss) {
                break;
            }
        }
        self.finish_chain(trust, ss)
    }

    /// One trusted-store lookup for the issuer of the chain's top. The
    /// issuer is pushed, or, when the chain so far is one self-signed
    /// untrusted certificate found in the store itself, it replaces that
    /// certificate. Returns where `check_trust` must start when the chain
    /// changed; `Err` when the lookup failed.
    fn extend_from_store(&mut self, ss: &mut bool) -> Result<Option<usize>, E> {
        let num = self.chain.len();
        let Some(top) = self.chain.last().cloned() else {
            return Ok(None);
        };
        if self.depth < num {
            return Ok(None);
        }
        let Some(issuer) = self.trusted_issuer(&top)? else {
            return Ok(None);
        };
        if !*ss {
            *ss = issuer.self_signed;
            self.chain.push(issuer);
            Ok(Some(num))
        } else if num == self.num_untrusted && issuer.der == top.der {
            self.num_untrusted -= 1;
            if let Some(slot) = self.chain.last_mut() {
                *slot = issuer;
            }
            Ok(Some(num - 1))
        } else {
            Ok(None)
        }
    }

    /// Moves an issuer of the chain's top from the untrusted `pool` onto
    /// the chain; `false` when there is none (or the top is self-signed, or
    /// the chain is at its depth limit).
    fn extend_from_pool(&mut self, pool: &mut Vec<Info>, ss: &mut bool) -> bool {
        if *ss || self.depth < self.chain.len() {
            return false;
        }
        let next = self
            .chain
            .last()
            .and_then(|top| self.untrusted_issuer(pool, top));
        let Some(i) = next else {
            return false;
        };
        let c = pool.remove(i);
        *ss = c.self_signed;
        self.chain.push(c);
        self.num_untrusted += 1;
        true
    }

    /// The end of `build_chain`: a last trust check of an all-untrusted
    /// chain, then the error for a chain that is not trusted.
    fn finish_chain(&mut self, mut trust: Trust, ss: bool) -> Result<(), Stop> {
        let num = self.chain.len();
        if num <= self.depth && trust == Trust::Untrusted && num == self.num_untrusted {
            trust = self.check_trust(num);
        }
        if trust == Trust::Trusted {
            return Ok(());
        }
        let num = self.chain.len();
        let err = self.untrusted_chain_error(ss);
        self.fail(None, num - 1, err)
    }

    /// Why a chain that `build_chain` could not anchor is not trusted.
    fn untrusted_chain_error(&self, ss: bool) -> E {
        let num = self.chain.len();
        if num > self.depth {
            E::CERT_CHAIN_TOO_LONG
        } else if ss && num == 1 {
            E::DEPTH_ZERO_SELF_SIGNED_CERT
        } else if ss {
            E::SELF_SIGNED_CERT_IN_CHAIN
        } else if self.num_untrusted < num {
            E::UNABLE_TO_GET_ISSUER_CERT
        } else {
            E::UNABLE_TO_GET_ISSUER_CERT_LOCALLY
        }
    }

    /// `check_auth_level`: issuer keys and signature digests against the
    /// authentication security level.
    fn check_auth_level(&mut self) -> Result<(), Stop> {
        let level = self.store.auth_level;
        if level <= 0 {
            return Ok(());
        }
        let num = self.chain.len();
        for i in 0..num {
            let Some(info) = self.chain.get(i).cloned() else {
                break;
            };
            let c = &info.cert;
            self.fail_if(i > 0 && !security::key_ok(c, level), i, E::CA_KEY_TOO_SMALL)?;
            self.fail_if(
                i + 1 < num && !security::sig_ok(c, level),
                i,
                E::CA_MD_TOO_WEAK,
            )?;
        }
        Ok(())
    }

    /// `check_id`: the leaf against the hosts, e-mail and IP address set
    /// (errors 62, 63, 64 at depth 0, in that order).
    fn check_id(&mut self) -> Result<(), Stop> {
        let Some(leaf) = self.chain.first().cloned() else {
            return Ok(());
        };
        for code in self.id.failures(&leaf.cert) {
            self.fail(Some(&leaf.cert), 0, code)?;
        }
        Ok(())
    }

    /// `check_extensions`: critical extensions, CA flags, strict checks, path length.
    fn check_extensions(&mut self) -> Result<(), Stop> {
        let num = self.chain.len();
        let strict = self.flags.contains(X509StoreFlags::X509_STRICT);
        let ignore_critical = self.flags.contains(X509StoreFlags::IGNORE_CRITICAL);
        let mut plen: i64 = 0;
        for i in 0..num {
            let Some(x) = self.chain.get(i).cloned() else {
                break;
            };
            self.fail_if(
                !ignore_critical && x.unhandled_critical,
                i,
                E::UNHANDLED_CRITICAL_EXTENSION,
            )?;
            let ret = x.check_ca();
            if i == 0 {
                self.fail_if(strict && ret != 1 && ret != 0, i, E::INVALID_CA)?;
            } else {
                self.fail_if(
                    ret == 0 || ((i + 1 < num || strict) && ret != 1),
                    i,
                    E::INVALID_CA,
                )?;
            }
            // `check_curve`, for every certificate of a chain of two or more.
            self.fail_if(num > 1 && x.explicit_ec, i, E::EC_KEY_EXPLICIT_PARAMS)?;
            if strict && num > 1 {
                self.strict_checks(&x, i, num)?;
            }
            if let Some(p) = self.purpose {
                // `check_purpose`: the leaf for the purpose, the others as
                // CAs; answers other than 0 and 1 only fail in strict mode.
                let ret = p.check(&x, i > 0);
                self.fail_if(ret == 0 || (strict && ret != 1), i, E::INVALID_PURPOSE)?;
            }
            self.fail_if(
                i > 1 && x.pathlen != -1 && plen > x.pathlen,
                i,
                E::PATH_LENGTH_EXCEEDED,
            )?;
            if i > 0 && !x.self_issued {
                plen += 1;
            }
        }
        Ok(())
    }

    /// The `X509_V_FLAG_X509_STRICT` part of `check_extensions` (OpenSSL 3.0),
    /// in its order: CA constraints, names, the signature algorithm, key
    /// identifiers.
    fn strict_checks(&mut self, x: &CertInfo, i: usize, num: usize) -> Result<(), Stop> {
        self.strict_ca_checks(x, i)?;
        self.strict_name_checks(x, i)?;
        self.fail_if(
            x.cert.tbs_sig_alg_der() != x.cert.sig_alg_der(),
            i,
            E::SIGNATURE_ALGORITHM_INCONSISTENCY,
        )?;
        self.strict_key_id_checks(x, i, num)
    }

    /// Strict: pathLenConstraint, basicConstraints criticality and keyUsage
    /// against the cA flag.
    fn strict_ca_checks(&mut self, x: &CertInfo, i: usize) -> Result<(), Stop> {
        let ku = x.key_usage.unwrap_or(0);
        if x.pathlen != -1 {
            self.fail_if(!x.ca, i, E::PATHLEN_INVALID_FOR_NON_CA)?;
            self.fail_if(
                ku & KU_KEY_CERT_SIGN == 0,
                i,
                E::PATHLEN_WITHOUT_KU_KEY_CERT_SIGN,
            )?;
        }
        self.fail_if(
            x.ca && x.bcons && !x.bcons_critical,
            i,
            E::CA_BCONS_NOT_CRITICAL,
        )?;
        if x.ca {
            self.fail_if(x.key_usage.is_none(), i, E::CA_CERT_MISSING_KEY_USAGE)
        } else {
            self.fail_if(
                ku & KU_KEY_CERT_SIGN != 0,
                i,
                E::KU_KEY_CERT_SIGN_INVALID_FOR_NON_CA,
            )
        }
    }

    /// Strict: empty issuer and subject names, and the subjectAltName that
    /// must stand in for an empty subject.
    fn strict_name_checks(&mut self, x: &CertInfo, i: usize) -> Result<(), Stop> {
        let ku = x.key_usage.unwrap_or(0);
        self.fail_if(x.cert.issuer().entry_count() == 0, i, E::ISSUER_NAME_EMPTY)?;
        let subject_empty = x.cert.subject().entry_count() == 0;
        self.fail_if(
            (x.ca || ku & KU_CRL_SIGN != 0 || x.san.is_none()) && subject_empty,
            i,
            E::SUBJECT_NAME_EMPTY,
        )?;
        self.fail_if(
            subject_empty && x.san.is_some() && !has_critical(x, ids::SUBJECT_ALT_NAME),
            i,
            E::EMPTY_SUBJECT_SAN_NOT_CRITICAL,
        )?;
        self.fail_if(
            x.san.as_ref().is_some_and(Vec::is_empty),
            i,
            E::EMPTY_SUBJECT_ALT_NAME,
        )
    }

    /// Strict: authority and subject key identifiers (not critical, present
    /// where v3 needs them), and no extensions before v3.
    fn strict_key_id_checks(&mut self, x: &CertInfo, i: usize, num: usize) -> Result<(), Stop> {
        self.fail_if(
            x.akid.is_some() && has_critical(x, ids::AUTHORITY_KEY_IDENTIFIER),
            i,
            E::AUTHORITY_KEY_IDENTIFIER_CRITICAL,
        )?;
        self.fail_if(
            x.skid.is_some() && has_critical(x, ids::SUBJECT_KEY_IDENTIFIER),
            i,
            E::SUBJECT_KEY_IDENTIFIER_CRITICAL,
        )?;
        if x.cert.version() >= 2 {
            self.fail_if(
                i + 1 < num && x.akid.as_ref().is_none_or(|a| a.key_id.is_none()),
                i,
                E::MISSING_AUTHORITY_KEY_IDENTIFIER,
            )?;
            self.fail_if(
                x.ca && x.skid.is_none(),
                i,
                E::MISSING_SUBJECT_KEY_IDENTIFIER,
            )
        } else {
            self.fail_if(
                !x.cert.extensions().is_empty(),
                i,
                E::EXTENSIONS_REQUIRE_VERSION_3,
            )
        }
    }

    /// `check_cert_time` with callbacks.
    fn check_cert_time(&mut self, depth: usize) -> Result<(), Stop> {
        let Some(t) = self.time else {
            return Ok(());
        };
        let Some(x) = self.chain.get(depth) else {
            return Ok(());
        };
        let nb = x.cert.raw_not_before().map(Asn1Time::unix);
        let na = x.cert.raw_not_after().map(Asn1Time::unix);
        self.fail_if(nb.is_none(), depth, E::ERROR_IN_CERT_NOT_BEFORE_FIELD)?;
        self.fail_if(nb.is_some_and(|nb| nb > t), depth, E::CERT_NOT_YET_VALID)?;
        self.fail_if(na.is_none(), depth, E::ERROR_IN_CERT_NOT_AFTER_FIELD)?;
        self.fail_if(na.is_some_and(|na| na <= t), depth, E::CERT_HAS_EXPIRED)
    }

    /// Whether `xs` carries a valid signature by `xi`'s key (`Err` when
    /// `xi`'s key cannot be decoded).
    fn signature_ok(xs: &CertInfo, xi: &CertInfo) -> Result<bool, ()> {
        let key = xi.cert.pubkey().map_err(|_| ())?;
        if xs.cert.tbs_sig_alg_der() != xs.cert.sig_alg_der() {
            return Ok(false);
        }
        Ok(xs.cert.verify(&key).is_ok())
    }

    /// `internal_verify`: signatures and validity periods, from the top of
    /// the chain down, with the per-certificate `ok` callback.
    fn internal_verify(&mut self) -> Result<(), Stop> {
        let num = self.chain.len();
        if num == 0 {
            return Ok(());
        }
        let mut n = num - 1;
        let top_self_issued = self.chain.get(n).is_some_and(|c| likely_issued(c, c));
        // (xi, xs) as indices; `skip_sig` for the time-only first step.
        let mut xi = n;
        let mut xs = n;
        let mut skip_sig = false;
        if !top_self_issued {
            if self.flags.contains(X509StoreFlags::PARTIAL_CHAIN) {
                skip_sig = true;
            } else if n == 0 {
                let c = self.chain.get(n).map(|c| c.cert.clone());
                self.fail(c.as_ref(), 0, E::UNABLE_TO_VERIFY_LEAF_SIGNATURE)?;
                skip_sig = true;
            } else {
                n -= 1;
                xs = n;
            }
        }
        while let (Some(s), Some(i)) = (self.chain.get(xs).cloned(), self.chain.get(xi).cloned()) {
            let check_ss = self.flags.contains(X509StoreFlags::CHECK_SS_SIGNATURE) && i.self_signed;
            if !skip_sig && (xs != xi || check_ss) {
                let issuer_depth = if xs == xi { n } else { n + 1 };
                let allowed = (xs == xi && !i.ca) || !i.ku_reject(KU_KEY_CERT_SIGN);
                if !allowed {
                    self.fail(Some(&i.cert), issuer_depth, E::KEYUSAGE_NO_CERTSIGN)?;
                }
                match Self::signature_ok(&s, &i) {
                    Err(()) => self.fail(
                        Some(&i.cert),
                        issuer_depth,
                        E::UNABLE_TO_DECODE_ISSUER_PUBLIC_KEY,
                    )?,
                    Ok(false) => self.fail(Some(&s.cert), n, E::CERT_SIGNATURE_FAILURE)?,
                    Ok(true) => {}
                }
            }
            skip_sig = false;
            self.check_cert_time(n)?;
            self.error_depth = n;
            let err = self.error;
            let go_on = match self.cb.as_mut() {
                Some(cb) => cb(&s.cert, err, depth_u32(n), true),
                None => true,
            };
            if !go_on {
                self.error_depth = n;
                self.error_cert = Some(s.cert.clone());
                return Err(Stop);
            }
            if n == 0 {
                break;
            }
            n -= 1;
            xi = xs;
            xs = n;
        }
        Ok(())
    }

    /// `check_name_constraints`.
    fn check_name_constraints(&mut self) -> Result<(), Stop> {
        let num = self.chain.len();
        for i in (0..num).rev() {
            let Some(x) = self.chain.get(i).cloned() else {
                continue;
            };
            if i != 0 && x.self_issued {
                continue;
            }
            for j in (i + 1..num).rev() {
                let Some(nc) = self.chain.get(j).and_then(|c| c.name_constraints.clone()) else {
                    continue;
                };
                let mut rv = name_constraints::check(&x, &nc);
                if rv.is_ok() && i == 0 {
                    rv = name_constraints::check_cn(&x, &nc);
                }
                if let Err(e) = rv {
                    self.fail(None, i, e)?;
                }
            }
        }
        Ok(())
    }
}
