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
    let order = version.profile().order;
    let keys = sort_keys(&rows, order);
    // The array systemd sorts starts with the header row (key 0), which compares before
    // everything.
    let mut v: Vec<u64> = std::iter::once(0).chain(keys).collect();
    // Only 250–261's rows of both kinds, with and without a description, need the comparator
    // that is not an order. Otherwise it orders the keys as integers (the kind is their top
    // field), so the integer comparison gives the same result faster.
    let kinds = v.iter().fold(0u8, |k, x| k | 1 << (x >> KIND_SHIFT));
    if order == RowOrder::GlibcMerge && kinds & 0b110 == 0b110 {
        glibc_msort(&mut v, &|a, b| compare_keys(a, b, order));
    } else {
        crate::order::sort_unstable_by(&mut v, |a, b| a.cmp(b));
    }
    let mut slots: Vec<Option<Row>> = rows.into_iter().map(Some).collect();
    v.into_iter()
        .skip(1)
        .map(|k| slots[(k & IDX) as usize].take().expect("each row once"))
        .collect()
}

/// The fields of a sort key ([`sort_keys`]): the kind (0 the header, 1 a row without a
/// description, 2 one with) on top, what orders rows of one kind (the description's or the
/// weight's place, then the name's), and the row's table index at the bottom.
const KIND_SHIFT: u32 = 62;
const MAJOR_SHIFT: u32 = 31;
const NAME_SHIFT: u32 = 7;
const IDX: u64 = (1 << NAME_SHIFT) - 1;
/// The largest key [`rank_keys`] gives (2 × 2^10 texts, shifted by 16), within 31 bits.
const RANK_MAX: u64 = (1 << 27) - 1;

/// Two keys of [`sort_keys`] compared as systemd's comparator compares their rows: rows of one
/// kind by their keys (description descending or weight descending, then name, then table
/// order), the header first, and a row without a description against one with it as the
/// version does.
fn compare_keys(a: u64, b: u64, order: RowOrder) -> std::cmp::Ordering {
    let (ka, kb) = (a >> KIND_SHIFT, b >> KIND_SHIFT);
    if ka == kb {
        a.cmp(&b)
    } else if ka == 0 || kb == 0 || order != RowOrder::GlibcMerge {
        // The header first; in 262 (EmptyFirst) rows without a description first.
        ka.cmp(&kb)
    } else {
        // Mixed cell types fall back to insertion order, reversed with the column.
        (b & IDX).cmp(&(a & IDX))
    }
}

/// One number a row, which [`compare_keys`] compares as the version's comparator compares the
/// rows. Descriptions and names become their places among the registry's texts (bytewise;
/// the registry's own texts found by address), so that the merge sort compares integers.
fn sort_keys(rows: &[Row], order: RowOrder) -> Vec<u64> {
    let t = text_tables();
    let names: Vec<(&str, Option<u32>)> = rows
        .iter()
        .map(|r| {
            let i = r.detail.check;
            (
                r.name,
                same(r.name, REGISTRY[i].name).then(|| t.name_rank[i]),
            )
        })
        .collect();
    let descriptions: Vec<(&str, Option<u32>)> = rows
        .iter()
        .filter_map(|r| {
            let d = r.description.as_deref()?;
            let c = &REGISTRY[r.detail.check];
            let ranks = t.text_rank[r.detail.check];
            let exact = [c.systemd.good, c.systemd.bad, c.systemd.na]
                .into_iter()
                .zip(ranks)
                .find(|(x, _)| same(d, x))
                .map(|(_, rank)| rank);
            Some((d, exact))
        })
        .collect();
    let name_keys = rank_keys(&names, &t.names);
    let mut desc_keys = rank_keys(&descriptions, &t.texts).into_iter();
    // 249's order: the weights (a policy's may be any number) as their places among the rows'.
    let mut weights: Vec<u32> = Vec::new();
    if order == RowOrder::Weight {
        weights = rows.iter().map(|r| r.detail.weight).collect();
        crate::order::sort(&mut weights);
        weights.dedup();
    }
    rows.iter()
        .enumerate()
        .map(|(i, r)| {
            let low = (name_keys[i] << NAME_SHIFT) | i as u64;
            match (order, &r.description) {
                (RowOrder::Weight, _) => {
                    let place = weights.partition_point(|&w| w < r.detail.weight);
                    let heavier_first = (weights.len() - place) as u64;
                    (1 << KIND_SHIFT) | (heavier_first << MAJOR_SHIFT) | low
                }
                (_, None) => (1 << KIND_SHIFT) | low,
                (_, Some(_)) => {
                    let d = desc_keys.next().expect("a key per description");
                    // Description descending: its complement.
                    (2 << KIND_SHIFT) | ((RANK_MAX - d) << MAJOR_SHIFT) | low
                }
            }
        })
        .collect()
}

/// Whether `a` is the very text `b` (the same bytes at the same address).
fn same(a: &str, b: &str) -> bool {
    a.len() == b.len() && std::ptr::eq(a.as_ptr(), b.as_ptr())
}

/// Keys for `texts` that compare as the texts do bytewise: a text of `table` (sorted, without
/// repeats) gets 2 × its index + 1, shifted by 16 (`Some(index)` when it is known); a text
/// that sorts just before the table's text at index `g` (and after the one before it) gets
/// 2 × `g`, shifted, plus its place among the other texts of that gap.
fn rank_keys(texts: &[(&str, Option<u32>)], table: &Table) -> Vec<u64> {
    let mut keys = vec![0u64; texts.len()];
    let mut between: Vec<(usize, &str, usize)> = Vec::new();
    for (i, &(text, exact)) in texts.iter().enumerate() {
        let at = match exact {
            Some(r) => r as usize,
            None => {
                let at = table.place(text);
                if table.texts.get(at) != Some(&text) {
                    between.push((at, text, i));
                    continue;
                }
                at
            }
        };
        keys[i] = (2 * at as u64 + 1) << 16;
    }
    // Equal texts get one key, so the order among them does not matter.
    crate::order::sort_unstable_by(&mut between, |a, b| {
        (a.0, a.1.as_bytes()).cmp(&(b.0, b.1.as_bytes()))
    });
    let mut place = 0u64;
    for (n, &(gap, text, i)) in between.iter().enumerate() {
        if n > 0 {
            let (g, t, _) = between[n - 1];
            place = if g != gap {
                0
            } else {
                place + u64::from(t != text)
            };
        }
        keys[i] = ((2 * gap as u64) << 16) | place;
    }
    keys
}

/// The registry's texts sorted bytewise without repeats (the checks' good, bad and n/a
/// descriptions; their names), with each check's places in them.
struct TextTables {
    texts: Table,
    text_rank: Vec<[u32; 3]>,
    names: Table,
    name_rank: Vec<u32>,
}

/// Texts sorted bytewise without repeats, with their first 16 bytes as numbers: most searches
/// are decided on those, as many texts share their first words.
struct Table {
    texts: Vec<&'static str>,
    heads: Vec<u128>,
}

impl Table {
    fn new(mut texts: Vec<&'static str>) -> Table {
        crate::order::sort_unstable_by(&mut texts, |a, b| a.as_bytes().cmp(b.as_bytes()));
        texts.dedup();
        let heads = texts.iter().map(|t| head(t)).collect();
        Table { texts, heads }
    }

    /// How many of the table's texts sort before `text`.
    fn place(&self, text: &str) -> usize {
        let h = head(text);
        let lo = self.heads.partition_point(|&x| x < h);
        let same = self.heads[lo..].partition_point(|&x| x == h);
        lo + self.texts[lo..lo + same].partition_point(|t| t.as_bytes() < text.as_bytes())
    }
}

/// The first 16 bytes of `text` as a big-endian number, zero-padded: when two heads differ,
/// they order as the texts do (a zero past a shorter text's end sorts where its end would).
fn head(text: &str) -> u128 {
    let mut h = [0u8; 16];
    let n = text.len().min(16);
    h[..n].copy_from_slice(&text.as_bytes()[..n]);
    u128::from_be_bytes(h)
}

fn text_tables() -> &'static TextTables {
    static TABLES: std::sync::OnceLock<TextTables> = std::sync::OnceLock::new();
    TABLES.get_or_init(|| {
        let texts = Table::new(
            REGISTRY
                .iter()
                .flat_map(|c| [c.systemd.good, c.systemd.bad, c.systemd.na])
                .collect(),
        );
        let names = Table::new(REGISTRY.iter().map(|c| c.name).collect());
        let place = |table: &Table, t: &str| table.place(t) as u32;
        // The fields of a key hold them: table indices, texts, names and their gaps.
        assert!(REGISTRY.len() <= IDX as usize);
        assert!(texts.texts.len() < 1 << 10 && names.texts.len() < 1 << 7);
        TextTables {
            text_rank: REGISTRY
                .iter()
                .map(|c| [c.systemd.good, c.systemd.bad, c.systemd.na].map(|t| place(&texts, t)))
                .collect(),
            name_rank: REGISTRY.iter().map(|c| place(&names, c.name)).collect(),
            texts,
            names,
        }
    })
}

/// glibc's `msort_with_tmp`: top-down merge sort, left half ⌊n/2⌋, ties taken from the left.
fn glibc_msort(v: &mut [u64], cmp: &impl Fn(u64, u64) -> std::cmp::Ordering) {
    let mut tmp = vec![0; v.len()];
    msort_with_tmp(v, &mut tmp, cmp);
}

fn msort_with_tmp(v: &mut [u64], tmp: &mut [u64], cmp: &impl Fn(u64, u64) -> std::cmp::Ordering) {
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

    /// The comparator as systemd writes it, over the texts, for [`sort_rows`] to agree with.
    fn sort_rows_by_texts(rows: &[Row], order: RowOrder) -> Vec<&'static str> {
        use std::cmp::Ordering;
        let cmp = |ia: usize, ib: usize| -> Ordering {
            let (ra, rb) = (&rows[ia], &rows[ib]);
            let first = match order {
                RowOrder::Weight => rb.detail.weight.cmp(&ra.detail.weight),
                _ => match (&ra.description, &rb.description) {
                    (Some(x), Some(y)) => x.as_bytes().cmp(y.as_bytes()).reverse(),
                    (None, None) => Ordering::Equal,
                    (None, Some(_)) if order == RowOrder::EmptyFirst => Ordering::Less,
                    (Some(_), None) if order == RowOrder::EmptyFirst => Ordering::Greater,
                    _ => ia.cmp(&ib).reverse(),
                },
            };
            first
                .then_with(|| ra.name.as_bytes().cmp(rb.name.as_bytes()))
                .then_with(|| ia.cmp(&ib))
        };
        let mut idx: Vec<u64> = (0..=rows.len() as u64).collect();
        glibc_msort(&mut idx, &|a, b| match (a, b) {
            (0, 0) => Ordering::Equal,
            (0, _) => Ordering::Less,
            (_, 0) => Ordering::Greater,
            _ => cmp(a as usize - 1, b as usize - 1),
        });
        idx.into_iter()
            .skip(1)
            .map(|i| rows[i as usize - 1].name)
            .collect()
    }

    #[test]
    fn rows_sort_as_the_comparator_over_the_texts_sorts_them() {
        let units = [
            "[Service]\nExecStart=/x\n",
            "[Service]\nExecStart=/x\nUser=a\nPrivateTmp=yes\nProtectSystem=full\n\
             SystemCallFilter=@system-service\nDeviceAllow=/dev/sda r\nDevicePolicy=closed\n",
            "[Unit]\nDefaultDependencies=no\n[Service]\nExecStart=/x\nDynamicUser=yes\n\
             RestrictAddressFamilies=AF_UNIX\nSystemCallFilter=~@mount\n",
        ];
        // Texts beside the registry's: a copy of one (another address), texts just before
        // and after one, two in one gap, an empty one, and a policy's own.
        let odd = |i: usize, r: &Row| -> Option<Cow<'static, str>> {
            let d = r.description.clone()?;
            Some(match i % 7 {
                0 => Cow::Owned(d.into_owned()),
                1 => Cow::Owned(format!("{d}!")),
                2 => Cow::Owned(format!("{d}!!")),
                3 => Cow::Owned(d[..d.len() - 1].to_owned()),
                4 => Cow::Owned(String::new()),
                _ => d,
            })
        };
        let mut cases = 0;
        let mut orders = Vec::new();
        for version in Version::all() {
            let order = version.profile().order;
            orders.push(order);
            for text in units {
                // Rows as 252 scores them offline (249 has no offline mode), sorted as
                // `version` sorts them.
                let opts = crate::Options::for_version(Version::V252);
                let report = crate::analyze(text, &opts).units.pop().expect("a unit");
                assert!(report.rows.len() > 70);
                let mut rows = report.rows.clone();
                rows.sort_by_key(|r| r.detail.check);
                for variant in 0..3 {
                    let mut rows = rows.clone();
                    if variant > 0 {
                        for (i, r) in rows.iter_mut().enumerate() {
                            if (i + variant) % 3 == 0 {
                                r.description = odd(i / 3 + variant, r);
                            }
                        }
                    }
                    if variant == 2 {
                        // Rows without a description among the others, and a policy's weights
                        // up to the largest.
                        for r in rows.iter_mut().step_by(5) {
                            r.description = None;
                        }
                        for (k, r) in rows.iter_mut().step_by(7).enumerate() {
                            r.detail.weight = [u32::MAX, 1 << 30, 0, 1 << 27][k % 4];
                        }
                    }
                    let want = sort_rows_by_texts(&rows, order);
                    let got: Vec<_> = sort_rows(rows, version).iter().map(|r| r.name).collect();
                    assert_eq!(got, want, "{} variant {variant}: {text}", version.as_str());
                    cases += 1;
                }
            }
        }
        assert!(cases >= 30);
        for o in [RowOrder::Weight, RowOrder::GlibcMerge, RowOrder::EmptyFirst] {
            assert!(orders.contains(&o), "{o:?} is tried");
        }
    }

    #[test]
    fn a_text_is_placed_in_the_table_as_bytes_order_it() {
        let t = &text_tables().texts;
        let mut probes: Vec<String> = vec![String::new(), "\u{ff}".into(), "Service".into()];
        for x in &t.texts {
            probes.extend([
                x.to_string(),
                format!("{x}!"),
                format!("{x}\0"),
                x[..x.len() / 2].into(),
            ]);
        }
        for p in &probes {
            let naive = t.texts.partition_point(|x| x.as_bytes() < p.as_bytes());
            assert_eq!(t.place(p), naive, "{p:?}");
        }
    }

    #[test]
    fn msort_is_stable_and_sorts() {
        let mut v = vec![5, 3, 9, 1, 3, 0];
        crate::order::sort_unstable_by(&mut v, |a, b| a.cmp(b));
        assert_eq!(v, vec![0, 1, 3, 3, 5, 9]);
    }
}
