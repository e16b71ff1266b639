//! CRL checks in OpenSSL 3.0's order (`check_revocation`, `check_cert`,
//! `get_crl_sk` scoring, `check_crl`, `cert_crl`), for complete CRLs issued
//! by the certificate's issuer, with issuingDistributionPoint scope.

use const_oid::ObjectIdentifier;

use super::cert_view::{check_akid, likely_issued, parse_akid, CertInfo, KU_CRL_SIGN};
use super::crl::X509Crl;
use super::verify::{Ctx, Stop};
use super::X509VerifyError as E;
use super::{locations, X509StoreFlags};
use crate::crypto::asn1::oid::ids;
use crate::crypto::asn1::tlv::{parse_one, Reader};
use crate::crypto::time::Asn1Time;
use crate::crypto::X509Name;

/// Critical CRL extensions OpenSSL handles: IDP, AKI, deltaCRLIndicator.
const CRL_HANDLED_CRITICAL: [ObjectIdentifier; 3] = [
    ids::ISSUING_DISTRIBUTION_POINT,
    ids::AUTHORITY_KEY_IDENTIFIER,
    ids::DELTA_CRL_INDICATOR,
];

const SCORE_NOCRITICAL: u32 = 0x100;
const SCORE_SCOPE: u32 = 0x080;
const SCORE_TIME: u32 = 0x040;
const SCORE_ISSUER_NAME: u32 = 0x020;
const SCORE_ISSUER_CERT: u32 = 0x018;
const SCORE_AKID: u32 = 0x004;

/// A DistributionPointName: the raw GeneralNames of a fullName, or `None`
/// for a nameRelativeToCRLIssuer (not compared by puressl: never matches).
type DpName = Option<Names>;

/// GeneralNames as `(tag, content)` pairs.
type Names = Vec<(u8, Vec<u8>)>;

/// The issuingDistributionPoint of a CRL.
#[derive(Default)]
struct Idp {
    dp: Option<DpName>,
    only_user: bool,
    only_ca: bool,
    only_attr: bool,
    reasons: bool,
    indirect: bool,
}

fn general_names(content: &[u8]) -> Option<Names> {
    let mut r = Reader::new(content);
    let mut out = Vec::new();
    while !r.is_empty() {
        let g = r.read("GeneralName").ok()?;
        out.push((g.tag, g.content.to_vec()));
    }
    Some(out)
}

/// A `[0] DistributionPointName` element's content.
fn dp_name(content: &[u8]) -> Option<DpName> {
    let inner = parse_one(content, "DistributionPointName").ok()?;
    match inner.tag {
        0xa0 => Some(Some(general_names(inner.content)?)),
        0xa1 => Some(None),
        _ => None,
    }
}

fn flag(content: &[u8]) -> Option<bool> {
    match content {
        [0] => Some(false),
        [_] => Some(true),
        _ => None,
    }
}

/// Parses the CRL's issuingDistributionPoint; `Err` when it is malformed.
fn crl_idp(crl: &X509Crl) -> Result<Option<Idp>, ()> {
    let Some(ext) = crl
        .extensions()
        .iter()
        .find(|e| e.id() == ids::ISSUING_DISTRIBUTION_POINT)
    else {
        return Ok(None);
    };
    let seq = parse_one(ext.data(), "issuingDistributionPoint").map_err(|_| ())?;
    let mut r = seq.reader();
    let mut idp = Idp::default();
    while !r.is_empty() {
        let t = r.read("issuingDistributionPoint").map_err(|_| ())?;
        match t.tag {
            0xa0 => idp.dp = Some(dp_name(t.content).ok_or(())?),
            0x81 => idp.only_user = flag(t.content).ok_or(())?,
            0x82 => idp.only_ca = flag(t.content).ok_or(())?,
            0x83 => idp.reasons = true,
            0x84 => idp.indirect = flag(t.content).ok_or(())?,
            0x85 => idp.only_attr = flag(t.content).ok_or(())?,
            _ => return Err(()),
        }
    }
    Ok(Some(idp))
}

/// The certificate's crlDistributionPoints: `(distributionPoint, cRLIssuer)`.
fn cert_dps(x: &CertInfo) -> Vec<(Option<DpName>, Option<Names>)> {
    let mut out = Vec::new();
    let Some(ext) = x
        .cert
        .extensions()
        .iter()
        .find(|e| e.id() == ids::CRL_DISTRIBUTION_POINTS)
    else {
        return out;
    };
    let Ok(seq) = parse_one(ext.data(), "crlDistributionPoints") else {
        return out;
    };
    let mut r = seq.reader();
    while let Ok(dp) = r.read_tag(0x30, "DistributionPoint") {
        let mut d = dp.reader();
        let mut name = None;
        let mut issuer = None;
        while let Ok(t) = d.read("DistributionPoint") {
            match t.tag {
                0xa0 => name = dp_name(t.content),
                0xa2 => issuer = general_names(t.content),
                _ => {}
            }
        }
        out.push((name, issuer));
    }
    out
}

/// `idp_check_dp` for two full names (relative names never match here).
fn dp_match(a: &Option<DpName>, b: &Option<DpName>) -> bool {
    match (a, b) {
        (None, _) | (_, None) => true,
        (Some(Some(x)), Some(Some(y))) => x.iter().any(|g| y.contains(g)),
        _ => false,
    }
}

/// `crl_crldp_check`: whether `crl` covers `x`.
fn in_scope(x: &CertInfo, crl: &X509Crl, idp: Option<&Idp>, score: u32) -> bool {
    if let Some(i) = idp
        && (i.only_attr || (x.ca && i.only_user) || (!x.ca && i.only_ca))
    {
        return false;
    }
    let idp_dp = idp.and_then(|i| i.dp.clone());
    for (name, crl_issuer) in cert_dps(x) {
        let issuer_ok = match &crl_issuer {
            None => score & SCORE_ISSUER_NAME != 0,
            Some(gens) => gens.iter().any(|(tag, content)| {
                *tag == 0xa4
                    && parse_one(content, "directoryName")
                        .ok()
                        .and_then(|n| X509Name::from_tlv_content(n.content).ok())
                        .is_some_and(|n| &n == crl.issuer())
            }),
        };
        if issuer_ok && (idp.is_none() || dp_match(&name, &idp_dp)) {
            return true;
        }
    }
    idp_dp.is_none() && score & SCORE_ISSUER_NAME != 0
}

impl Ctx<'_, '_> {
    /// `check_revocation`: CRLs for the leaf, or every certificate with
    /// `CRL_CHECK_ALL`, when `CRL_CHECK` is set.
    pub(super) fn check_revocation(&mut self) -> Result<(), Stop> {
        if !self.flags.contains(X509StoreFlags::CRL_CHECK) {
            return Ok(());
        }
        let last = if self.flags.contains(X509StoreFlags::CRL_CHECK_ALL) {
            self.chain.len().saturating_sub(1)
        } else {
            0
        };
        for i in 0..=last {
            self.error_depth = i;
            self.check_cert_crl(i)?;
        }
        Ok(())
    }

    /// CRLs from the store and hashed directories issued by `name`.
    fn crls_by_issuer(&self, name: &X509Name) -> Vec<X509Crl> {
        let mut out: Vec<X509Crl> = self
            .store
            .crls
            .iter()
            .filter(|c| c.issuer() == name)
            .cloned()
            .collect();
        if let Ok(more) = locations::dir_crls(&self.store.dirs, name) {
            out.extend(more);
        }
        out
    }

    fn crl_time_ok(&self, crl: &X509Crl) -> bool {
        let Some(t) = self.time else {
            return true;
        };
        let lu_ok = crl.last_update_time().is_some_and(|l| l.unix() <= t);
        let nu_ok = crl.next_update_time().is_none_or(|n| n.unix() > t);
        lu_ok && nu_ok
    }

    fn crl_critical(crl: &X509Crl) -> bool {
        crl.extensions()
            .iter()
            .any(|e| e.critical() && !CRL_HANDLED_CRITICAL.contains(&e.id()))
            || crl.revoked().iter().any(|r| {
                r.extensions()
                    .iter()
                    .any(|e| e.critical() && e.id() != ids::CERTIFICATE_ISSUER)
            })
    }

    /// `get_crl_score`: 0 when the CRL cannot be used at all.
    fn crl_score(&self, x: &CertInfo, issuer: &CertInfo, crl: &X509Crl) -> u32 {
        let idp = match crl_idp(crl) {
            Ok(i) => i,
            Err(()) => return 0,
        };
        if idp.as_ref().is_some_and(|i| i.indirect || i.reasons) {
            return 0;
        }
        // Delta CRLs are not used.
        if crl
            .extensions()
            .iter()
            .any(|e| e.id() == ids::DELTA_CRL_INDICATOR)
        {
            return 0;
        }
        let mut score = SCORE_ISSUER_NAME;
        if !Self::crl_critical(crl) {
            score |= SCORE_NOCRITICAL;
        }
        if self.crl_time_ok(crl) {
            score |= SCORE_TIME;
        }
        let akid_ok = match crl
            .extensions()
            .iter()
            .find(|e| e.id() == ids::AUTHORITY_KEY_IDENTIFIER)
        {
            None => true,
            Some(e) => parse_akid(e.data()).is_some_and(|a| check_akid(issuer, &a).is_none()),
        };
        if !akid_ok {
            return 0;
        }
        score |= SCORE_AKID | SCORE_ISSUER_CERT;
        if in_scope(x, crl, idp.as_ref(), score) {
            score |= SCORE_SCOPE;
        }
        score
    }

    /// `check_cert` for the certificate at depth `i`.
    fn check_cert_crl(&mut self, i: usize) -> Result<(), Stop> {
        let num = self.chain.len();
        let Some(x) = self.chain.get(i).cloned() else {
            return Ok(());
        };
        let issuer_idx = if i + 1 < num { i + 1 } else { num - 1 };
        let Some(issuer) = self.chain.get(issuer_idx).cloned() else {
            return Ok(());
        };
        // get_crl_sk: the best score; among equals, the latest lastUpdate.
        let mut best: Option<(u32, X509Crl)> = None;
        for crl in self.crls_by_issuer(x.cert.issuer()) {
            let score = self.crl_score(&x, &issuer, &crl);
            if score == 0 {
                continue;
            }
            let better = match &best {
                None => true,
                Some((bs, bc)) => {
                    score > *bs
                        || (score == *bs
                            && crl.last_update_time().map(Asn1Time::unix)
                                > bc.last_update_time().map(Asn1Time::unix))
                }
            };
            if better {
                best = Some((score, crl));
            }
        }
        let Some((score, crl)) = best else {
            return self.fail(Some(&x.cert), i, E::UNABLE_TO_GET_CRL);
        };
        // check_crl
        if i + 1 >= num && !likely_issued(&issuer, &issuer) {
            self.fail(Some(&x.cert), i, E::UNABLE_TO_GET_CRL_ISSUER)?;
        }
        if issuer.ku_reject(KU_CRL_SIGN) {
            self.fail(Some(&x.cert), i, E::KEYUSAGE_NO_CRL_SIGN)?;
        }
        if score & SCORE_SCOPE == 0 {
            self.fail(Some(&x.cert), i, E::DIFFERENT_CRL_SCOPE)?;
        }
        if score & SCORE_TIME == 0 {
            self.check_crl_time(&crl, i)?;
        }
        match issuer.cert.pubkey() {
            Err(_) => self.fail(Some(&x.cert), i, E::UNABLE_TO_DECODE_ISSUER_PUBLIC_KEY)?,
            Ok(key) => {
                if crl.verify(&key).is_err() {
                    self.fail(Some(&x.cert), i, E::CRL_SIGNATURE_FAILURE)?;
                }
            }
        }
        // cert_crl
        if score & SCORE_NOCRITICAL == 0 && !self.flags.contains(X509StoreFlags::IGNORE_CRITICAL) {
            self.fail(Some(&x.cert), i, E::UNHANDLED_CRITICAL_CRL_EXTENSION)?;
        }
        if let Some(r) = crl.find_revoked(x.cert.serial_number()) {
            if r.reason_code() == Some(8) {
                return Ok(());
            }
            self.fail(Some(&x.cert), i, E::CERT_REVOKED)?;
        }
        Ok(())
    }

    /// `check_crl_time` with callbacks.
    fn check_crl_time(&mut self, crl: &X509Crl, i: usize) -> Result<(), Stop> {
        let Some(t) = self.time else {
            return Ok(());
        };
        let x = self.chain.get(i).map(|c| c.cert.clone());
        match crl.last_update_time() {
            None => self.fail(x.as_ref(), i, E::ERROR_IN_CRL_LAST_UPDATE_FIELD)?,
            Some(l) if l.unix() > t => self.fail(x.as_ref(), i, E::CRL_NOT_YET_VALID)?,
            Some(_) => {}
        }
        if crl.next_update_time().is_some_and(|n| n.unix() <= t) {
            self.fail(x.as_ref(), i, E::CRL_HAS_EXPIRED)?;
        }
        Ok(())
    }
}
