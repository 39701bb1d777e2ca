//! Offline conformance: every unit of the dev corpus must get exactly what systemd-analyze 252
//! printed for it — overall exposure, predicate, and every row (set, name, json_field,
//! description, exposure) in the same order. Masked units must be refused.

use exposure_conformance::{corpus_root, read_jsonl};
use exposure_core::{FileInput, Options, analyze_unit};
use serde_json::{Value, json};

#[test]
fn dev_corpus_matches_systemd_analyze_offline() {
    let dev = corpus_root().join("dev");
    let records = read_jsonl(&dev.join("expected.jsonl.gz"));
    assert!(records.len() >= 300, "corpus too small: {}", records.len());
    let opts = Options::default();
    let mut failures = Vec::new();
    let (mut exact, mut refused) = (0, 0);
    for r in &records {
        let unit = r["unit"].as_str().unwrap();
        let mut paths: Vec<String> = vec![r["file"].as_str().unwrap().to_owned()];
        let mut dropins: Vec<String> = r["dropins"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| d.as_str().unwrap().to_owned())
            .collect();
        // systemd applies drop-ins sorted by file name.
        dropins.sort_by(|a, b| a.rsplit('/').next().cmp(&b.rsplit('/').next()));
        paths.extend(dropins);
        let texts: Vec<String> = paths
            .iter()
            .map(|p| std::fs::read_to_string(dev.join(p)).unwrap())
            .collect();
        let files: Vec<FileInput<'_>> = paths
            .iter()
            .zip(&texts)
            .map(|(p, t)| FileInput {
                path: Some(p),
                text: t,
                offset: 0,
                line_base: 0,
            })
            .collect();
        let report =
            analyze_unit(unit, &files, &opts).unwrap_or_else(|d| panic!("{unit}: {}", d.message));
        if r["loaded"] == json!(false) {
            if report.refused.is_some() {
                refused += 1;
            } else {
                failures.push(format!("{unit}: systemd refuses it (masked), we scored it"));
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
    println!(
        "offline conformance: {exact} exact, {refused} masked units refused, {} failures, of {} records",
        failures.len(),
        records.len()
    );
    assert!(
        failures.is_empty(),
        "{} mismatches:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
