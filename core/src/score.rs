//! The formula: per-check badness → overall exposure, row cells, predicate, row order.
//!
//! All arithmetic is unsigned integer arithmetic with ceilings applied per check, exactly as
//! systemd does; the row cells therefore do not add up to the overall exposure.

use std::borrow::Cow;

use crate::checks::{CAP_BPF_INDEX, NA_EARLY_BOOT, NA_POLICY, Outcome, REGISTRY};
use crate::diag::{Diagnostic, Severity};
use crate::model::Model;
use crate::policy::Policy;
use crate::report::{Predicate, Row, RowDetail, Tenths};
use crate::version::{CapBpf, RowOrder, Version};

fn ceil_div(a: u64, b: u64) -> u64 {
    a.div_ceil(b)
}

/// Why an assessment cannot be made (systemd aborts on these policies).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AssessError {
    /// Every check was excluded: the total weight is zero.
    NoWeight,
    /// A policy range of zero.
    ZeroRange { json_field: &'static str },
    /// A policy range smaller than the badness the check computed.
    RangeBelowBadness {
        json_field: &'static str,
        range: u32,
        badness: u32,
    },
}

impl std::fmt::Display for AssessError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            AssessError::NoWeight => write!(
                f,
                "the security policy gives every check weight 0, so there is nothing to score (systemd-analyze aborts on this policy)"
            ),
            AssessError::ZeroRange { json_field } => write!(
                f,
                "the security policy gives {json_field} a range of 0 (systemd-analyze aborts on this policy); ranges must be at least 1"
            ),
            AssessError::RangeBelowBadness {
                json_field,
                range,
                badness,
            } => write!(
                f,
                "the security policy gives {json_field} a range of {range}, below the badness {badness} it computes (systemd-analyze aborts on this policy)"
            ),
        }
    }
}

impl std::error::Error for AssessError {}

/// A policy systemd-analyze aborts on is an error of the whole assessment.
impl From<AssessError> for Diagnostic {
    fn from(e: AssessError) -> Self {
        Diagnostic::new(Severity::Error, "policy", e.to_string())
    }
}

/// The scored result: overall exposure and rows in systemd's printed order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Assessment {
    pub exposure: Tenths,
    pub predicate: Predicate,
    pub rows: Vec<Row>,
}

/// A check's numbers before they become a row.
struct Raw {
    badness: Option<u32>,
    weight: u32,
    range: u32,
    description: Option<Cow<'static, str>>,
}

/// The two sums the exposure is made of: the checks' weighted badness (each `badness × weight
/// / range` rounded up) and their weight, over the checks that apply.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sums {
    pub badness: u64,
    pub weight: u64,
}

impl Sums {
    fn of<'a>(raws: impl IntoIterator<Item = &'a Raw>) -> Result<Sums, AssessError> {
        let (mut s, mut w) = (0u64, 0u64);
        for r in raws {
            if let Some(b) = r.badness {
                s += ceil_div(u64::from(b) * u64::from(r.weight), u64::from(r.range));
                w += u64::from(r.weight);
            }
        }
        if w == 0 {
            return Err(AssessError::NoWeight);
        }
        Ok(Sums {
            badness: s,
            weight: w,
        })
    }

    /// The overall exposure: `100 × badness / weight` tenths, rounded up.
    pub fn exposure(self) -> Tenths {
        Tenths(ceil_div(self.badness * 100, self.weight) as u32)
    }

    /// The exposure before rounding, in millionths (`10⁶ × badness / weight`): it tells apart
    /// changes too small to move the rounded score.
    pub fn millionths(self) -> u64 {
        self.badness * 1_000_000 / self.weight
    }
}

/// Each check's badness, weight, range and description, in registry order.
fn rate(
    model: &Model,
    policy: Option<&Policy>,
    version: Version,
) -> Result<Vec<(usize, Raw)>, AssessError> {
    let mut raws = Vec::with_capacity(REGISTRY.len());
    for (i, c) in REGISTRY.iter().enumerate() {
        if !version.has_check(i) {
            continue;
        }
        let pe = policy.and_then(|p| p.get(c.json_field));
        let weight = pe.and_then(|e| e.weight).unwrap_or(c.weight);
        let range = pe.and_then(|e| e.range).unwrap_or(c.range);
        let (badness, dynamic) = if c.default_dependencies_only && !model.default_dependencies {
            (None, Some(Cow::Borrowed(NA_EARLY_BOOT)))
        } else if weight == 0 {
            (None, Some(Cow::Borrowed(NA_POLICY)))
        } else {
            match (c.assess)(model, version.profile()) {
                Outcome::Badness(b, d) => (Some(b), d),
                Outcome::NotApplicable => (None, None),
                Outcome::NotApplicableText(d) => (None, Some(d)),
            }
        };
        if let Some(b) = badness {
            if range == 0 {
                return Err(AssessError::ZeroRange {
                    json_field: c.json_field,
                });
            }
            if b > range {
                return Err(AssessError::RangeBelowBadness {
                    json_field: c.json_field,
                    range,
                    badness: b,
                });
            }
        }
        let pick =
            |policy_text: Option<&String>, builtin: &'static str| -> Option<Cow<'static, str>> {
                match policy_text {
                    Some(t) => Some(Cow::Owned(t.clone())),
                    None if builtin.is_empty() => None,
                    None => Some(Cow::Borrowed(builtin)),
                }
            };
        // K2: a row whose good and bad texts this version prints the other way round.
        let (good, bad) = if i == CAP_BPF_INDEX && version.profile().cap_bpf == CapBpf::Swapped {
            (c.systemd.bad, c.systemd.good)
        } else {
            (c.systemd.good, c.systemd.bad)
        };
        let description = dynamic.or_else(|| match badness {
            None => pick(pe.and_then(|e| e.description_na.as_ref()), c.systemd.na),
            Some(b) if b == range => pick(pe.and_then(|e| e.description_bad.as_ref()), bad),
            Some(0) => pick(pe.and_then(|e| e.description_good.as_ref()), good),
            Some(_) => None,
        });
        raws.push((
            i,
            Raw {
                badness,
                weight,
                range,
                description,
            },
        ));
    }
    Ok(raws)
}

/// The exposure's sums without the rows: what [`assess`] scores, for callers that need the
/// number only (the advisor scores a unit once per line it tries).
pub fn sums(model: &Model, policy: Option<&Policy>, version: Version) -> Result<Sums, AssessError> {
    let raws = rate(model, policy, version)?;
    Sums::of(raws.iter().map(|(_, r)| r))
}

/// The overall exposure of an assessment's `rows` with the checks `excluded` (registry
/// indices) given weight 0, as a policy giving them weight 0 would score the unit: they leave
/// both sums. What a unit scores with its accepted risks; `None` when no weight is left.
pub fn exposure_excluding(rows: &[Row], excluded: &[usize]) -> Option<Tenths> {
    let (mut badness, mut weight) = (0u64, 0u64);
    for r in rows.iter().filter(|r| !excluded.contains(&r.detail.check)) {
        if let Some(b) = r.detail.badness {
            let w = u64::from(r.detail.weight);
            badness += ceil_div(u64::from(b) * w, u64::from(r.detail.range.max(1)));
            weight += w;
        }
    }
    (weight > 0).then(|| Sums { badness, weight }.exposure())
}

/// Assesses a model. The result depends only on the model, the policy and the version.
pub fn assess(
    model: &Model,
    policy: Option<&Policy>,
    version: Version,
) -> Result<Assessment, AssessError> {
    let raws = rate(model, policy, version)?;
    let sums = Sums::of(raws.iter().map(|(_, r)| r))?;
    let w = sums.weight;
    let exposure = sums.exposure();

    let rows: Vec<Row> = raws
        .into_iter()
        .map(|(i, r)| {
            let c = &REGISTRY[i];
            let cell = match r.badness {
                Some(b) if b > 0 => {
                    let x = ceil_div(
                        ceil_div(u64::from(b) * u64::from(r.weight) * 100, u64::from(r.range)),
                        w,
                    );
                    Some(Tenths(x as u32))
                }
                _ => None,
            };
            // ✓ only for a badness of 0; a partial badness is a ✗ like a full one.
            let set = r.badness.map(|b| b == 0);
            let summary = match r.badness {
                None => "Not applicable.",
                Some(0) => c.doc.good,
                Some(_) => c.doc.bad,
            };
            // K2: a few rows have other names in some versions.
            let name = version.row_name(c);
            Row {
                set,
                name,
                json_field: c.json_field,
                description: r.description,
                exposure: cell,
                detail: RowDetail {
                    check: i,
                    badness: r.badness,
                    weight: r.weight,
                    range: r.range,
                    summary,
                },
            }
        })
        .collect();
    let rows = sort_rows(rows, version);
    Ok(Assessment {
        exposure,
        predicate: Predicate::of(exposure),
        rows,
    })
}

/// Orders rows as the version prints them (K3). From 250: description descending (bytewise),
/// then name ascending, then table order. Until 261 a row without a description compares
/// against one with a description by reversed table order; that relation is not transitive, so
/// the result is the one glibc's merge sort produces, which we reproduce step by step. 262
/// puts rows without a description first, a total order. 249 sorts by weight.
fn sort_rows(rows: Vec<Row>, version: Version) -> Vec<Row> {
    use std::cmp::Ordering;
    let order = version.profile().order;
    // Each text's first 16 bytes as a number, compared before the texts themselves: most
    // comparisons end there (see [`Prefixed`]).
    let keys: Vec<(Option<Prefixed<'_>>, Prefixed<'_>)> = rows
        .iter()
        .map(|r| {
            (
                r.description.as_deref().map(Prefixed::new),
                Prefixed::new(r.name),
            )
        })
        .collect();
    let cmp = |ia: usize, ib: usize| -> Ordering {
        let (ka, kb) = (&keys[ia], &keys[ib]);
        let first = match order {
            RowOrder::Weight => rows[ib].detail.weight.cmp(&rows[ia].detail.weight),
            RowOrder::GlibcMerge | RowOrder::EmptyFirst => match (&ka.0, &kb.0) {
                (Some(x), Some(y)) => x.cmp(y).reverse(),
                (None, None) => Ordering::Equal,
                (None, Some(_)) if order == RowOrder::EmptyFirst => Ordering::Less,
                (Some(_), None) if order == RowOrder::EmptyFirst => Ordering::Greater,
                // Mixed cell types fall back to insertion order, reversed with the column.
                _ => ia.cmp(&ib).reverse(),
            },
        };
        first
            .then_with(|| ka.1.cmp(&kb.1))
            .then_with(|| ia.cmp(&ib))
    };
    // The array systemd sorts starts with the header row, which compares before everything.
    // Index 0 stands for the header; rows are 1..=n.
    let mut idx: Vec<usize> = (0..=rows.len()).collect();
    let order = |a: usize, b: usize| -> Ordering {
        match (a, b) {
            (0, 0) => Ordering::Equal,
            (0, _) => Ordering::Less,
            (_, 0) => Ordering::Greater,
            _ => cmp(a - 1, b - 1),
        }
    };
    glibc_msort(&mut idx, &order);
    let mut slots: Vec<Option<Row>> = rows.into_iter().map(Some).collect();
    idx.into_iter()
        .filter(|&i| i != 0)
        .map(|i| slots[i - 1].take().expect("each row once"))
        .collect()
}

/// A text ordered bytewise, as `strcmp` orders it, with its first 16 bytes read as one
/// big-endian number (zero-padded): when two prefixes differ their order is the texts' order
/// (a zero byte past a shorter text's end sorts where the end would), so only equal prefixes
/// compare the bytes.
#[derive(PartialEq, Eq)]
struct Prefixed<'a> {
    prefix: u128,
    text: &'a [u8],
}

impl<'a> Prefixed<'a> {
    fn new(text: &'a str) -> Self {
        let mut head = [0u8; 16];
        let n = text.len().min(16);
        head[..n].copy_from_slice(&text.as_bytes()[..n]);
        Prefixed {
            prefix: u128::from_be_bytes(head),
            text: text.as_bytes(),
        }
    }
}

impl PartialOrd for Prefixed<'_> {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Prefixed<'_> {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.prefix
            .cmp(&other.prefix)
            .then_with(|| self.text.cmp(other.text))
    }
}

/// glibc's `msort_with_tmp`: top-down merge sort, left half ⌊n/2⌋, ties taken from the left.
fn glibc_msort(v: &mut [usize], cmp: &impl Fn(usize, usize) -> std::cmp::Ordering) {
    let mut tmp = vec![0; v.len()];
    msort_with_tmp(v, &mut tmp, cmp);
}

fn msort_with_tmp(
    v: &mut [usize],
    tmp: &mut [usize],
    cmp: &impl Fn(usize, usize) -> std::cmp::Ordering,
) {
    let n = v.len();
    if n <= 1 {
        return;
    }
    let n1 = n / 2;
    msort_with_tmp(&mut v[..n1], tmp, cmp);
    msort_with_tmp(&mut v[n1..], tmp, cmp);
    let (mut i, mut j, mut k) = (0, n1, 0);
    while i < n1 && j < n {
        if cmp(v[i], v[j]) != std::cmp::Ordering::Greater {
            tmp[k] = v[i];
            i += 1;
        } else {
            tmp[k] = v[j];
            j += 1;
        }
        k += 1;
    }
    // What is left of the right half is already in place.
    let rest = n1 - i;
    tmp[k..k + rest].copy_from_slice(&v[i..n1]);
    k += rest;
    v[..k].copy_from_slice(&tmp[..k]);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn excluding_checks_scores_like_a_weight_0_policy() {
        let text = "[Service]\nExecStart=/usr/bin/true\nPrivateTmp=yes\nUMask=0022\n";
        let opts = crate::Options::default();
        let plain = crate::analyze(text, &opts).units.remove(0);
        for fields in [
            vec!["PrivateNetwork"],
            vec!["PrivateNetwork", "UserOrDynamicUser", "UMask"],
            vec!["PrivateTmp"],
        ] {
            let policy: String = fields
                .iter()
                .map(|f| format!("\"{f}\":{{\"weight\":0}}"))
                .collect::<Vec<_>>()
                .join(",");
            let (policy, _) = Policy::parse(&format!("{{{policy}}}")).unwrap();
            let with_policy = crate::analyze(
                text,
                &crate::Options {
                    policy: Some(policy),
                    ..crate::Options::default()
                },
            )
            .units
            .remove(0);
            let idx: Vec<usize> = fields
                .iter()
                .map(|f| crate::checks::find(f).unwrap().0)
                .collect();
            assert_eq!(
                exposure_excluding(&plain.rows, &idx),
                Some(with_policy.exposure),
                "{fields:?}"
            );
        }
        assert_eq!(exposure_excluding(&plain.rows, &[]), Some(plain.exposure));
        let all: Vec<usize> = (0..REGISTRY.len()).collect();
        assert_eq!(exposure_excluding(&plain.rows, &all), None);
    }

    #[test]
    fn plain_service_scores_like_systemd() {
        // ex1 of the spec: S = 53510, W = 56160 → 9.6 UNSAFE.
        let m = Model::service_defaults("ex1.service");
        let a = assess(&m, None, Version::V252).unwrap();
        assert_eq!(a.exposure, Tenths(96));
        assert_eq!(a.predicate, Predicate::Unsafe);
        assert_eq!(a.rows.len(), 81);
        let na: Vec<_> = a
            .rows
            .iter()
            .filter(|r| r.set.is_none())
            .map(|r| r.name)
            .collect();
        assert_eq!(na.len(), 2);
        // Rows start with the description that sorts last bytewise, as in systemd's output.
        assert_eq!(a.rows[0].name, "RootDirectory=/RootImage=");
        assert_eq!(a.rows[1].name, "SupplementaryGroups=");
    }

    #[test]
    fn row_cells_use_two_ceilings() {
        let m = Model::service_defaults("x.service");
        let a = assess(&m, None, Version::V252).unwrap();
        let umask = a.rows.iter().find(|r| r.json_field == "UMask").unwrap();
        // ceil(ceil(5*100*100/10)/56160) = 1 → "0.1"
        assert_eq!(umask.exposure, Some(Tenths(1)));
        assert_eq!(umask.set, Some(false));
    }

    #[test]
    fn policy_weight_zero_and_bad_ranges() {
        let m = Model::service_defaults("x.service");
        let (p, _) = Policy::parse(
            r#"{"PrivateNetwork":{"weight":0},"UserOrDynamicUser":{"weight":100},"UMask":{"range":20}}"#,
        )
        .unwrap();
        let a = assess(&m, Some(&p), Version::V252).unwrap();
        assert_eq!(a.exposure.to_string(), "9.5");
        let pn = a
            .rows
            .iter()
            .find(|r| r.json_field == "PrivateNetwork")
            .unwrap();
        assert_eq!(pn.description.as_deref(), Some(NA_POLICY));
        let (p, _) = Policy::parse(r#"{"UMask":{"range":0}}"#).unwrap();
        assert!(matches!(
            assess(&m, Some(&p), Version::V252),
            Err(AssessError::ZeroRange { .. })
        ));
        let (p, _) = Policy::parse(r#"{"UMask":{"range":3}}"#).unwrap();
        assert!(matches!(
            assess(&m, Some(&p), Version::V252),
            Err(AssessError::RangeBelowBadness { badness: 5, .. })
        ));
    }

    #[test]
    fn msort_is_stable_and_sorts() {
        let mut v = vec![5, 3, 9, 1, 3, 0];
        glibc_msort(&mut v, &|a, b| a.cmp(&b));
        assert_eq!(v, vec![0, 1, 3, 3, 5, 9]);
    }
}
