//! Online conformance: for every unit captured from a running systemd 252, reading its
//! `systemctl show` output (plain and `--all`) must give exactly what the ONLINE
//! `systemd-analyze security` printed for it — overall exposure, predicate, and every row
//! (set, name, json_field, description, exposure) in the same order.

use std::path::Path;

use exposure_conformance::{corpus_root, read_gz, read_jsonl};
use exposure_core::{InputKind, Options, UnitReport, Version, analyze, input};
use serde_json::Value;

/// What systemd-analyze printed for one unit.
struct Expected<'a> {
    unit: &'a str,
    exposure: &'a str,
    predicate: &'a str,
    checks: &'a [Value],
}

/// Compares one report with systemd's record; returns the differences.
fn compare(report: &UnitReport, e: &Expected<'_>) -> Vec<String> {
    let mut problems = Vec::new();
    if let Some(why) = &report.refused {
        problems.push(format!("we refused it ({why}), systemd scored it"));
    }
    if report.unit != e.unit {
        problems.push(format!("unit name {} != {}", report.unit, e.unit));
    }
    if report.exposure.to_string() != e.exposure {
        problems.push(format!("exposure {} != {}", report.exposure, e.exposure));
    }
    if report.predicate.as_str() != e.predicate {
        problems.push(format!("predicate {} != {}", report.predicate, e.predicate));
    }
    let ours: Vec<Value> = report
        .rows
        .iter()
        .map(|row| serde_json::to_value(row).unwrap())
        .collect();
    if ours != e.checks {
        if let Some((i, (a, b))) = ours
            .iter()
            .zip(e.checks)
            .enumerate()
            .find(|(_, (a, b))| a != b)
        {
            problems.push(format!("row {i}: ours {a} systemd {b}"));
        }
        if ours.len() != e.checks.len() {
            problems.push(format!("{} rows != {}", ours.len(), e.checks.len()));
        }
    }
    problems
}

/// Analyzes one capture, which must be detected as `systemctl show` output and hold one unit.
fn analyze_capture(text: &str) -> Result<UnitReport, String> {
    if input::detect(text) != InputKind::SystemctlShow {
        return Err(format!("detected as {:?}", input::detect(text)));
    }
    let a = analyze(text, &Options::for_version(Version::V252));
    if a.kind != InputKind::SystemctlShow {
        return Err(format!("analyzed as {:?}", a.kind));
    }
    if !a.diagnostics.is_empty() {
        return Err(format!("paste diagnostics: {:?}", a.diagnostics));
    }
    match a.units.as_slice() {
        [u] => Ok(u.clone()),
        us => Err(format!("{} units", us.len())),
    }
}

/// Exact matches and failures of one kind of capture.
#[derive(Default)]
struct Tally {
    exact: usize,
    total: usize,
    failures: Vec<String>,
}

impl Tally {
    fn check(&mut self, label: &str, text: &str, e: &Expected<'_>) {
        self.total += 1;
        let problems = match analyze_capture(text) {
            Ok(report) => compare(&report, e),
            Err(err) => vec![err],
        };
        if problems.is_empty() {
            self.exact += 1;
        } else {
            self.failures
                .push(format!("{} ({label}): {}", e.unit, problems.join("; ")));
        }
    }
}

/// Prints the one-line summary and fails with every mismatch.
fn report(what: &str, plain: Tally, all: Tally) {
    println!(
        "{what}: {} exact of {} (show), {} exact of {} (show --all)",
        plain.exact, plain.total, all.exact, all.total
    );
    let failures: Vec<String> = plain.failures.into_iter().chain(all.failures).collect();
    assert!(
        failures.is_empty(),
        "{} mismatches:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn corpus_matches_systemd_analyze_online() {
    let root = corpus_root().join("online");
    let records = read_jsonl(&root.join("expected.jsonl.gz"));
    assert!(records.len() >= 300, "corpus too small: {}", records.len());
    let (mut plain, mut all) = (Tally::default(), Tally::default());
    for r in &records {
        let dir = root
            .join(r["package"].as_str().unwrap())
            .join(r["unit"].as_str().unwrap());
        let e = Expected {
            unit: r["assessed_as"].as_str().unwrap(),
            exposure: r["exposure"].as_str().unwrap(),
            predicate: r["predicate"].as_str().unwrap(),
            checks: r["checks"].as_array().unwrap(),
        };
        plain.check(
            "show",
            &std::fs::read_to_string(dir.join("show.txt")).unwrap(),
            &e,
        );
        all.check("show --all", &read_gz(&dir.join("show-all.txt.gz")), &e);
    }
    report("online conformance", plain, all);
}

/// The hand-picked samples (Debian units and the hand-written zz-* test units): their
/// `security.txt` ends with the overall line and `security-short.json` holds the rows.
#[test]
fn samples_match_systemd_analyze_online() {
    let root = corpus_root().join("online/samples");
    let mut dirs: Vec<_> = std::fs::read_dir(&root)
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.join("show.txt").is_file() && p.join("security-short.json").is_file())
        .collect();
    dirs.sort();
    assert!(dirs.len() >= 20, "too few samples: {}", dirs.len());
    let (mut plain, mut all) = (Tally::default(), Tally::default());
    for dir in &dirs {
        let (unit, exposure, predicate) = overall(&dir.join("security.txt"));
        let checks: Vec<Value> = serde_json::from_str(
            &std::fs::read_to_string(dir.join("security-short.json")).unwrap(),
        )
        .unwrap();
        let e = Expected {
            unit: &unit,
            exposure: &exposure,
            predicate: &predicate,
            checks: &checks,
        };
        plain.check(
            "show",
            &std::fs::read_to_string(dir.join("show.txt")).unwrap(),
            &e,
        );
        all.check(
            "show --all",
            &std::fs::read_to_string(dir.join("show-all.txt")).unwrap(),
            &e,
        );
    }
    report("online samples", plain, all);
}

/// `→ Overall exposure level for UNIT: 6.7 MEDIUM 😐` → (unit, exposure, predicate).
fn overall(path: &Path) -> (String, String, String) {
    let text = std::fs::read_to_string(path).unwrap();
    let line = text
        .lines()
        .rev()
        .find_map(|l| {
            l.split_once("Overall exposure level for ")
                .map(|(_, rest)| rest)
        })
        .unwrap_or_else(|| panic!("no overall line in {}", path.display()));
    let (unit, rest) = line.split_once(": ").unwrap();
    let mut w = rest.split_whitespace();
    (
        unit.to_owned(),
        w.next().unwrap().to_owned(),
        w.next().unwrap().to_owned(),
    )
}

/// A unit that does not exist prints a full property list with `LoadState=not-found`;
/// systemd-analyze refuses it.
#[test]
fn not_found_unit_is_refused() {
    let text =
        std::fs::read_to_string(corpus_root().join("online/samples/extras/show-not-found.txt"))
            .unwrap();
    let a = analyze(&text, &Options::for_version(Version::V252));
    assert_eq!(a.kind, InputKind::SystemctlShow);
    assert_eq!(a.units.len(), 1);
    assert_eq!(a.units[0].unit, "does-not-exist.service");
    assert!(a.units[0].refused.as_deref().unwrap().contains("not found"));
}

/// `systemctl show -p … A B`: two units, each printing only the selected properties.
#[test]
fn two_units_with_selected_properties() {
    let text = std::fs::read_to_string(
        corpus_root().join("online/samples/extras/show-two-units-with-p.txt"),
    )
    .unwrap();
    let a = analyze(&text, &Options::for_version(Version::V252));
    assert_eq!(a.kind, InputKind::SystemctlShow);
    let names: Vec<_> = a.units.iter().map(|u| u.unit.as_str()).collect();
    assert_eq!(names, ["zz-default.service", "zz-hardened.service"]);
    // -p output lacks most properties: say so rather than guess silently.
    assert!(
        a.units[0]
            .diagnostics
            .iter()
            .any(|d| d.code == "partial-show")
    );
}

/// Every corpus capture pasted as one long `systemctl show` text (as `systemctl show A B C…`
/// prints them, separated by blank lines): the page analyzes a paste that long a few units
/// per task with `analyze_part`, which must give exactly `analyze`'s result — and each
/// unit's score must still be systemd's.
#[test]
fn the_whole_corpus_in_one_paste_analyzed_in_parts() {
    let root = corpus_root().join("online");
    let records = read_jsonl(&root.join("expected.jsonl.gz"));
    let mut text = String::new();
    for r in &records {
        let dir = root
            .join(r["package"].as_str().unwrap())
            .join(r["unit"].as_str().unwrap());
        let show = std::fs::read_to_string(dir.join("show.txt")).unwrap();
        if !text.is_empty() {
            text.push('\n');
        }
        text.push_str(show.trim_end_matches('\n'));
        text.push('\n');
    }
    let opts = Options {
        kind: Some(InputKind::SystemctlShow),
        ..Options::for_version(Version::V252)
    };
    let whole = analyze(&text, &opts);
    assert_eq!(whole.units.len(), records.len());
    for (u, r) in whole.units.iter().zip(&records) {
        assert_eq!(u.unit, r["assessed_as"].as_str().unwrap());
        assert_eq!(
            u.exposure.to_string(),
            r["exposure"].as_str().unwrap(),
            "{}",
            u.unit
        );
    }
    let n = exposure_core::unit_count(&text, &opts);
    assert_eq!(n, records.len());
    // (Each part parses the whole text again: few parts keep this test quick in debug builds.)
    for step in [25, 100] {
        let mut parts = exposure_core::analyze_part(&text, &opts, 0..step);
        let mut at = step;
        while at < n {
            parts.append(exposure_core::analyze_part(&text, &opts, at..at + step));
            at += step;
        }
        assert!(parts == whole, "parts of {step} differ from the whole");
    }
    println!("online conformance in one paste: {n} units, in parts of 25 and 100: equal");
}
