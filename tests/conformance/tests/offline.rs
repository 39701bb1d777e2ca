//! Offline conformance: every unit of the dev corpus must get exactly what each real
//! `systemd-analyze security --offline=yes` printed for it — overall exposure, predicate, the
//! name it was assessed as, and every row (set, name, json_field, description, exposure) in
//! the same order. Masked units must be refused. The releases: Debian 12 (252,
//! `expected.jsonl.gz`), its backports (254), Debian 13 (257) and sid (262); and the
//! version-sensitive units of `corpus/versions` under all four.

use std::path::Path;

use exposure_conformance::corpus::CorpusUnit;
use exposure_conformance::{corpus_root, read_jsonl};
use exposure_core::{Options, Version, analyze_unit};
use serde_json::{Value, json};

/// What one corpus gave: exact matches, refusals that matched, and every mismatch.
struct Outcome {
    exact: usize,
    refused: usize,
    failures: Vec<String>,
    total: usize,
}

/// Compares every record with what we compute for `version`. A record names its unit file
/// (`file`, relative to `root`), its drop-ins (`dropins`, optional) and what systemd printed.
fn compare(root: &Path, records: &[Value], version: Version) -> Outcome {
    let opts = Options {
        version,
        ..Options::default()
    };
    let mut failures = Vec::new();
    let (mut exact, mut refused) = (0, 0);
    for r in records {
        let corpus = CorpusUnit::read(root, r);
        let unit = corpus.unit.as_str();
        let files = corpus.files();
        let report =
            analyze_unit(unit, &files, &opts).unwrap_or_else(|d| panic!("{unit}: {}", d.message));
        let loaded = r["loaded"] != json!(false) && r["exit_code"] == json!(0);
        if !loaded {
            if report.refused.is_some() {
                refused += 1;
            } else {
                failures.push(format!("{unit}: systemd refuses it, we scored it"));
            }
            continue;
        }
        if let Some(why) = &report.refused {
            failures.push(format!("{unit}: we refused it ({why}), systemd scored it"));
            continue;
        }
        let mut problems = Vec::new();
        if report.unit != r["assessed_as"].as_str().unwrap() {
            problems.push(format!("unit name {} != {}", report.unit, r["assessed_as"]));
        }
        if report.exposure.to_string() != r["exposure"].as_str().unwrap() {
            problems.push(format!("exposure {} != {}", report.exposure, r["exposure"]));
        }
        if report.predicate.as_str() != r["predicate"].as_str().unwrap() {
            problems.push(format!(
                "predicate {} != {}",
                report.predicate, r["predicate"]
            ));
        }
        let ours: Vec<Value> = report
            .rows
            .iter()
            .map(|row| serde_json::to_value(row).unwrap())
            .collect();
        let theirs = r["checks"].as_array().unwrap();
        if &ours != theirs {
            for (i, (a, b)) in ours.iter().zip(theirs).enumerate() {
                if a != b {
                    problems.push(format!("row {i}: ours {a} systemd {b}"));
                    break;
                }
            }
            if ours.len() != theirs.len() {
                problems.push(format!("{} rows != {}", ours.len(), theirs.len()));
            }
        }
        if problems.is_empty() {
            exact += 1;
        } else {
            failures.push(format!("{unit}: {}", problems.join("; ")));
        }
    }
    Outcome {
        exact,
        refused,
        failures,
        total: records.len(),
    }
}

fn require_exact(what: &str, o: &Outcome) {
    println!(
        "{what}: {} exact, {} refusals matched, {} failures, of {} records",
        o.exact,
        o.refused,
        o.failures.len(),
        o.total
    );
    assert!(
        o.failures.is_empty(),
        "{what}: {} mismatches:\n{}",
        o.failures.len(),
        o.failures.join("\n")
    );
}

fn dev_corpus(expected: &str, version: &str) {
    let dev = corpus_root().join("dev");
    let records = read_jsonl(&dev.join(expected));
    assert!(records.len() >= 300, "corpus too small: {}", records.len());
    let version = Version::parse(version).unwrap();
    let o = compare(&dev, &records, version);
    require_exact(&format!("dev corpus, {expected} as systemd {version}"), &o);
}

#[test]
fn dev_corpus_matches_systemd_analyze_offline() {
    dev_corpus("expected.jsonl.gz", "252");
}

#[test]
fn dev_corpus_matches_bookworm_backports_254() {
    dev_corpus("expected-bookworm-backports.jsonl.gz", "254");
}

#[test]
fn dev_corpus_matches_trixie_257() {
    dev_corpus("expected-trixie.jsonl.gz", "257");
}

#[test]
fn dev_corpus_matches_sid_262() {
    dev_corpus("expected-sid.jsonl.gz", "262");
}

#[test]
fn version_sensitive_units_match_every_release() {
    let root = corpus_root().join("versions");
    let mut all = Vec::new();
    for (release, version) in [
        ("bookworm", "252"),
        ("bookworm-backports", "254"),
        ("trixie", "257"),
        ("sid", "262"),
    ] {
        let records = read_jsonl(&root.join(format!("expected-{release}.jsonl.gz")));
        assert!(records.len() >= 49, "{release}: {} records", records.len());
        let o = compare(&root, &records, Version::parse(version).unwrap());
        println!(
            "versions corpus, {release} as systemd {version}: {} exact of {}",
            o.exact + o.refused,
            o.total
        );
        all.extend(o.failures.into_iter().map(|f| format!("{release}: {f}")));
    }
    assert!(
        all.is_empty(),
        "{} mismatches:\n{}",
        all.len(),
        all.join("\n")
    );
}
