//! The advisor's predictions against the real tool: for every unit of the dev corpus and each
//! tier, install the suggested drop-in beside a copy of the unit, run systemd-analyze offline,
//! and require its overall score to equal our prediction exactly. The installed systemd 252
//! always; with `EXPOSURE_ADVISE_RELEASES` (e.g. `trixie,sid`; `make test-versions` sets it)
//! also that release's systemd-analyze through `../shared/tools/oracle-version.sh`, against
//! the advice for its profile (257, 262).

use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};
use std::process::Command;

use exposure_conformance::corpus::CorpusUnit;
use exposure_conformance::{corpus_root, read_jsonl};
use exposure_core::advise::{Tier, advise, advise_leaving_out};
use exposure_core::{Options, Version};
use serde_json::Value;

struct Case {
    /// Name passed to systemd-analyze (the assessed name; its template file is beside it).
    arg: PathBuf,
    assessed: String,
    /// The tier, or `strict-partial`: strict with every other suggested line left out.
    variant: &'static str,
    before: String,
    predicted: String,
}

fn systemd_analyze() -> bool {
    Command::new("systemd-analyze")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
}

/// Runs systemd-analyze once on many units (the installed one, or a release's through the
/// oracle script); returns the overall score per printed unit name.
fn run_batch(args: &[&PathBuf], release: Option<&str>) -> BTreeMap<String, String> {
    let out = match release {
        None => Command::new("systemd-analyze")
            .env("SYSTEMD_UNIT_PATH", "")
            .env("LANG", "C.UTF-8")
            .args(["--no-pager", "security", "--offline=yes"])
            .args(args)
            .output(),
        // The script runs `security --offline=yes ARGS FILE`: the other files go first.
        Some(rel) => Command::new(corpus_root().join("../tools/oracle-version.sh"))
            .arg(rel)
            .arg(args[0])
            .args(&args[1..])
            .output(),
    }
    .expect("run systemd-analyze");
    let text = String::from_utf8_lossy(&out.stdout);
    let mut m = BTreeMap::new();
    for line in text.lines() {
        if let Some(rest) = line.strip_prefix("→ Overall exposure level for ") {
            let (name, tail) = rest.split_once(": ").unwrap();
            m.insert(name.to_owned(), tail.split(' ').next().unwrap().to_owned());
        }
    }
    m
}

#[test]
fn predicted_scores_equal_systemd_analyze_with_the_dropin_installed() {
    if !systemd_analyze() {
        eprintln!(
            "\n!!! systemd-analyze is not installed: SKIPPING the advisor conformance test !!!\n"
        );
        return;
    }
    // The installed systemd-analyze is Debian 12's 252.
    conformance("expected.jsonl.gz", Version::V252, None);
}

#[test]
fn predicted_scores_equal_the_release_oracles() {
    let Ok(list) = std::env::var("EXPOSURE_ADVISE_RELEASES") else {
        eprintln!(
            "\n!!! EXPOSURE_ADVISE_RELEASES is not set (e.g. trixie,sid; `make test-versions` sets \
             it): SKIPPING the advisor conformance against other releases !!!\n"
        );
        return;
    };
    for rel in list.split(',').map(str::trim).filter(|r| !r.is_empty()) {
        let id = match rel {
            "bookworm-backports" => "254",
            "trixie" => "257",
            "sid" => "262",
            _ => panic!("EXPOSURE_ADVISE_RELEASES: unknown release {rel:?}"),
        };
        let version = Version::parse(id).unwrap();
        conformance(&format!("expected-{rel}.jsonl.gz"), version, Some(rel));
    }
}

/// Every corpus unit and tier: the drop-in installed, `release`'s systemd-analyze (the
/// installed one for `None`) must print the score predicted for `version`.
fn conformance(expected: &str, version: Version, release: Option<&str>) {
    let dev = corpus_root().join("dev");
    let records = read_jsonl(&dev.join(expected));
    let work = std::env::temp_dir().join(format!(
        "exposure-advise-{}-{}",
        std::process::id(),
        release.unwrap_or("installed")
    ));
    let _ = std::fs::remove_dir_all(&work);
    let opts = Options::for_version(version);
    let mut cases = Vec::new();
    let mut problems = Vec::new();
    let mut tier_totals: BTreeMap<&str, (u32, u32, usize, usize)> = BTreeMap::new();
    for r in records.iter().filter(|r| r["loaded"] == Value::Bool(true)) {
        let unit = r["unit"].as_str().unwrap();
        let package = r["package"].as_str().unwrap();
        let file = r["file"].as_str().unwrap();
        let corpus = CorpusUnit::read(&dev, r);
        let files = corpus.files();
        let variants = [
            ("safe", Tier::Safe, false),
            ("moderate", Tier::Moderate, false),
            ("strict", Tier::Strict, false),
            ("strict-partial", Tier::Strict, true),
        ];
        for (variant, tier, partial) in variants {
            let mut a = advise(unit, &files, &opts, tier).unwrap();
            if partial {
                // The "what if" of unticking suggestions on the page: every other line out.
                let out: Vec<&str> = a
                    .lines
                    .iter()
                    .filter(|l| l.withheld.is_none())
                    .step_by(2)
                    .map(|l| l.setting)
                    .collect();
                a = advise_leaving_out(unit, &files, &opts, tier, &out).unwrap();
            }
            if a.exposure_after > a.exposure_before {
                problems.push(format!(
                    "{unit} {variant}: after {} above before {}",
                    a.exposure_after, a.exposure_before
                ));
            }
            let claimed: u32 = a.lines.iter().map(|l| l.gain.0).sum();
            if claimed != a.exposure_before.0 - a.exposure_after.0 {
                problems.push(format!(
                    "{unit} {variant}: gains add up to {claimed}, not the difference"
                ));
            }
            let t = tier_totals.entry(variant).or_default();
            t.0 += a.exposure_before.0;
            t.1 += a.exposure_after.0;
            t.2 += 1;
            if a.exposure_after.0 < 50 {
                t.3 += 1;
            }
            // Lay out: <work>/<tier>/<package>/<files as in the corpus> plus our drop-in.
            let dir = work.join(variant).join(package);
            for (p, t) in corpus.paths.iter().zip(&corpus.texts) {
                let rel = Path::new(p).strip_prefix(package).unwrap();
                let dst = dir.join(rel);
                std::fs::create_dir_all(dst.parent().unwrap()).unwrap();
                std::fs::write(dst, t).unwrap();
            }
            let assessed = r["assessed_as"].as_str().unwrap().to_owned();
            let unit_dir = Path::new(file)
                .parent()
                .unwrap()
                .strip_prefix(package)
                .unwrap();
            // The drop-in folder of the name systemd-analyze is given (the template's own
            // folder for a template, the instance's for an instance record).
            let ours = dir
                .join(unit_dir)
                .join(format!("{unit}.d"))
                .join("zz-exposure.conf");
            std::fs::create_dir_all(ours.parent().unwrap()).unwrap();
            std::fs::write(&ours, &a.dropin).unwrap();
            cases.push(Case {
                arg: dir.join(unit_dir).join(unit),
                assessed,
                variant,
                before: a.exposure_before.to_string(),
                predicted: a.exposure_after.to_string(),
            });
        }
    }
    // systemd-analyze puts the folders of all given files on one search path, so a batch must
    // not name the same unit twice.
    let mut remaining: Vec<&Case> = cases.iter().collect();
    let mut checked = 0;
    while !remaining.is_empty() {
        let mut names = HashSet::new();
        let (batch, rest): (Vec<&Case>, Vec<&Case>) = remaining
            .into_iter()
            .partition(|c| names.insert(c.arg.file_name().unwrap().to_owned()));
        remaining = rest;
        let args: Vec<&PathBuf> = batch.iter().map(|c| &c.arg).collect();
        let got = run_batch(&args, release);
        for c in batch {
            checked += 1;
            match got.get(&c.assessed) {
                Some(s) if *s == c.predicted => {}
                Some(s) => problems.push(format!(
                    "{} ({}): predicted {} but systemd-analyze says {s} (before {})",
                    c.assessed, c.variant, c.predicted, c.before
                )),
                None => problems.push(format!(
                    "{} ({}): systemd-analyze printed no score",
                    c.assessed, c.variant
                )),
            }
        }
    }
    let _ = std::fs::remove_dir_all(&work);
    for (tier, (b, a, n, ok)) in &tier_totals {
        println!(
            "advisor {tier}: mean exposure {:.2} → {:.2} over {n} units; {ok} reach OK or better",
            f64::from(*b) / 10.0 / *n as f64,
            f64::from(*a) / 10.0 / *n as f64
        );
    }
    println!(
        "advisor conformance ({}, as {version}): {} of {checked} predictions equal systemd-analyze",
        release.unwrap_or("installed"),
        checked - problems.len()
    );
    assert!(
        problems.is_empty(),
        "{} problems:\n{}",
        problems.len(),
        problems.join("\n")
    );
}
