//! Differential property test: thousands of random units, scored by us and by the real
//! `systemd-analyze security --offline=yes` (systemd 252), must agree on everything: whether
//! the unit loads, the assessed name, the overall exposure and predicate, and every row (set,
//! name, json_field, description, exposure) in order.
//!
//! The generator is deterministic: `EXPOSURE_DIFF_SEED` picks the seed (default fixed) and
//! `EXPOSURE_DIFF_CASES` the number of units (default 6000). Units are written in batches into
//! a temporary folder and each batch is scored by one `systemd-analyze` run for the text form
//! (for the overall exposure) and one for `--json=short` (for the rows). On a mismatch the
//! test shrinks the unit line by line against the real tool, prints the unit files and both
//! outputs, and fails.
//!
//! More knobs: `EXPOSURE_DIFF_SHOW` (how many distinct mismatches to shrink and print, default
//! 4) and `EXPOSURE_DIFF_KEEP` (keep the last batch's unit files in the temporary folder).
//!
//! Without `systemd-analyze` of systemd 252 on the PATH the test prints a loud notice and
//! passes.
//!
//! The same units against other releases' real binaries: `EXPOSURE_DIFF_RELEASES` (a comma
//! list of `bookworm-backports`, `trixie`, `sid`) runs `random_units_match_release_oracles`,
//! which scores `EXPOSURE_DIFF_ORACLE_CASES` units (default 2000) per release with that
//! release's `systemd-analyze` through `../shared/tools/oracle-version.sh` and compares them
//! with our score for its profile (254, 257, 262). `make test-versions` runs it for all three;
//! without the variable the test says how and passes. The generator includes the values the
//! versions read differently (`PrivateTmp=disconnected`, `ProtectHostname=private:x`, …).

mod generate;
mod oracle;
mod shrinker;

use generate::{Case, Rng, gen_case};
use oracle::{Outcome, Target, ours, theirs};
use shrinker::{explain, refusal_key, render, shrink, signature};

use std::collections::HashMap;
use std::fmt::Write as _;

use std::process::Command;

use exposure_core::Version;

const DEFAULT_SEED: u64 = 0x5eed_0252_0038;

const DEFAULT_CASES: usize = 6000;

const BATCH: usize = 1000;

/// How many mismatching units to shrink and print in full.
const SHOW: usize = 4;

fn env_or<T: std::str::FromStr>(name: &str, default: T) -> T {
    match std::env::var(name) {
        Ok(v) if !v.trim().is_empty() => {
            let v = v.trim();
            let parsed = match v.strip_prefix("0x") {
                Some(h) => u64::from_str_radix(h, 16)
                    .ok()
                    .and_then(|n| n.to_string().parse().ok()),
                None => v.parse().ok(),
            };
            parsed.unwrap_or_else(|| panic!("{name}={v} is not a number"))
        }
        _ => default,
    }
}

/// Why the real tool cannot be used, if it cannot: missing, or not systemd 252.
fn systemd_analyze_problem() -> Option<String> {
    match Command::new("systemd-analyze").arg("--version").output() {
        Err(e) => Some(format!("systemd-analyze is not on the PATH ({e})")),
        Ok(o) => {
            let v = String::from_utf8_lossy(&o.stdout);
            let first = v.lines().next().unwrap_or("").to_owned();
            (!o.status.success() || !first.starts_with("systemd 252 "))
                .then(|| format!("systemd-analyze is not systemd 252 (it says {first:?})"))
        }
    }
}

fn skip(problem: &str) {
    eprintln!();
    eprintln!("**********************************************************************");
    eprintln!("  SKIPPED: the differential test against the real tool cannot run:");
    eprintln!("  {problem}.");
    eprintln!("**********************************************************************");
    eprintln!();
}

#[test]
fn random_units_match_systemd_analyze() {
    if let Some(problem) = systemd_analyze_problem() {
        skip(&problem);
        return;
    }
    let cases: usize = env_or("EXPOSURE_DIFF_CASES", DEFAULT_CASES);
    // The installed systemd-analyze is Debian 12's 252.
    let target = Target {
        version: Version::V252,
        release: None,
    };
    if let Some(report) = differential(&target, cases) {
        panic!("{report}");
    }
}

#[test]
fn random_units_match_release_oracles() {
    let Some(releases) = exposure_conformance::releases_from_env() else {
        return;
    };
    let cases: usize = env_or("EXPOSURE_DIFF_ORACLE_CASES", 2000);
    let mut failed = Vec::new();
    for (rel, version) in releases {
        let target = Target {
            version,
            release: Some(rel.to_owned()),
        };
        println!("differential against {rel} (profile {}):", version.as_str());
        failed.extend(differential(&target, cases));
    }
    assert!(failed.is_empty(), "{}", failed.join("\n\n"));
}

/// Generates `cases` random units and compares our scores for `target`'s profile with its
/// systemd-analyze; on a mismatch, the report with shrunk examples.
fn differential(target: &Target, cases: usize) -> Option<String> {
    let seed: u64 = env_or("EXPOSURE_DIFF_SEED", DEFAULT_SEED);
    let start = std::time::Instant::now();
    let dir = std::env::temp_dir().join(format!(
        "exposure-differential-{}-{}",
        std::process::id(),
        target.release.as_deref().unwrap_or("installed")
    ));
    let mut rng = Rng(seed);
    let mut failures: Vec<(Case, Outcome, Outcome)> = Vec::new();
    let (mut scored, mut refused) = (0usize, 0usize);
    let mut reasons: HashMap<String, usize> = HashMap::new();
    let mut done = 0;
    while done < cases {
        let n = BATCH.min(cases - done);
        let batch: Vec<Case> = (done..done + n).map(|i| gen_case(&mut rng, i)).collect();
        // Our side runs while systemd-analyze does.
        let (mine, real) = std::thread::scope(|s| {
            let mine = s.spawn(|| batch.iter().map(|c| ours(c, target)).collect::<Vec<_>>());
            let real = theirs(&dir, &batch, target);
            (mine.join().unwrap(), real)
        });
        for ((c, o), t) in batch.iter().zip(mine).zip(real) {
            match &t {
                Outcome::Refused(why) => {
                    refused += 1;
                    *reasons.entry(refusal_key(why)).or_default() += 1;
                }
                Outcome::Scored { .. } => scored += 1,
            }
            if signature(&o, &t).is_some() {
                failures.push((c.clone(), o, t));
            }
        }
        done += n;
    }
    println!(
        "differential: {cases} random units (seed {seed:#x}): {scored} scored and {refused} refused by systemd, \
         {} mismatches, in {:.1?}",
        failures.len(),
        start.elapsed()
    );
    let mut reasons: Vec<(String, usize)> = reasons.into_iter().collect();
    reasons.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    for (why, n) in reasons.iter().take(12) {
        println!("  refused {n:5}: {why}");
    }
    if failures.is_empty() {
        return None;
    }
    let mut report = String::new();
    let nshow: usize = env_or("EXPOSURE_DIFF_SHOW", SHOW);
    let mut shown: Vec<String> = Vec::new();
    for (c, o, t) in &failures {
        if shown.len() >= nshow {
            break;
        }
        let sig = signature(o, t).unwrap();
        if shown.contains(&sig) {
            continue;
        }
        let small = shrink(&dir, c, &sig, target);
        let (so, st) = (
            ours(&small, target),
            theirs(&dir, std::slice::from_ref(&small), target).remove(0),
        );
        let _ = writeln!(
            report,
            "\n---- {} ({sig}) ----\n{}\n-- the unit --\n{}-- shrunk to --\n{}\
             -- difference on the shrunk unit --\n{}",
            c.file,
            explain(o, t),
            render(c),
            render(&small),
            explain(&so, &st)
        );
        shown.push(sig);
    }
    let _ = writeln!(report, "\nall mismatches:");
    for (c, o, t) in failures.iter().take(100) {
        let _ = writeln!(report, "  {}: {}", c.file, signature(o, t).unwrap());
    }
    if failures.len() > 100 {
        let _ = writeln!(report, "  … and {} more", failures.len() - 100);
    }
    if std::env::var_os("EXPOSURE_DIFF_KEEP").is_none() {
        let _ = std::fs::remove_dir_all(&dir);
    }
    Some(format!(
        "{} of {cases} random units differ from systemd-analyze {} (seed {seed:#x}; rerun with \
         EXPOSURE_DIFF_SEED={seed:#x}):\n{report}",
        failures.len(),
        target.release.as_deref().unwrap_or("installed")
    ))
}
