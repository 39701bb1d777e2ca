//! Every check's pass/fail table (`checks::Spec`, beside each check in `core/src/checks/`)
//! held to the real `systemd-analyze security`: each case becomes a unit
//! (`[Service]\nExecStart=/usr/bin/true\n` and the case's lines), all of them go through one
//! run of systemd-analyze, and for every check the table names, systemd's row must say `set`
//! true for a pass case, false for a fail case and null for an N/A case. Our engine, scoring
//! the same unit as the same version, must say the same. A table entry that is wrong about
//! systemd fails here as surely as an engine bug does; the messages say which side disagreed.
//!
//! The installed systemd-analyze (252) runs always. `EXPOSURE_DIFF_RELEASES` (a comma list of
//! `bookworm-backports`, `trixie`, `sid`; `make test-versions` sets it) adds those releases
//! through `../shared/tools/oracle-version.sh`.

use exposure_conformance::corpus_root;
use exposure_core::checks::{REGISTRY, spec};
use exposure_core::{FileInput, Options, Version, analyze_unit};
use serde_json::Value;
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::process::Command;

const PLAIN: &str = "[Service]\nExecStart=/usr/bin/true\n";

/// What a case expects of one check: `Some(true)` pass, `Some(false)` fail, `None` N/A.
struct Expect {
    check: usize,
    snippet: &'static str,
    set: Option<bool>,
}

/// Every (check, snippet, expected set) of the tables, for systemd `major`.
fn expectations(version: Version, major: u32) -> Vec<Expect> {
    let mut out = Vec::new();
    for (check, c) in REGISTRY.iter().enumerate() {
        if !version.has_check(check) {
            continue;
        }
        let s = spec(c.json_field).unwrap_or_else(|| panic!("{}: no Spec", c.name));
        let cases = s
            .pass
            .iter()
            .map(|&u| (u, Some(true)))
            .chain(s.fail.iter().map(|&u| (u, Some(false))))
            .chain(s.na.iter().map(|&u| (u, None)))
            .chain(s.pass_from.iter().map(|&(u, v)| (u, Some(major >= v))));
        for (snippet, set) in cases {
            out.push(Expect {
                check,
                snippet,
                set,
            });
        }
    }
    out
}

fn unit_text(snippet: &str) -> String {
    format!("{PLAIN}{snippet}\n")
}

/// Runs systemd-analyze (text or JSON) on `paths`, the installed one or a release's.
fn run(paths: &[PathBuf], json: bool, release: Option<&str>) -> String {
    let mut cmd = match release {
        None => {
            let mut cmd = Command::new("systemd-analyze");
            cmd.args(["security", "--offline=yes", "--no-pager"]);
            if json {
                cmd.arg("--json=short");
            }
            cmd.args(paths);
            cmd
        }
        // The script takes one unit file and then systemd-analyze's arguments; the other
        // files go with the arguments.
        Some(rel) => {
            let mut cmd = Command::new(corpus_root().join("../tools/oracle-version.sh"));
            cmd.arg(rel).arg(&paths[0]);
            if json {
                cmd.arg("--json=short");
            }
            cmd.args(&paths[1..]);
            cmd
        }
    };
    let out = cmd
        .env("SYSTEMD_UNIT_PATH", "")
        .env("LC_ALL", "C")
        .env("SYSTEMD_COLORS", "0")
        .output()
        .expect("run systemd-analyze");
    assert!(
        out.status.code().is_some(),
        "systemd-analyze was killed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// systemd's rows by unit name and json_field: `set` (true, false or null).
fn theirs(dir: &Path, units: &[(String, String)], release: Option<&str>) -> SetsByUnit {
    let _ = std::fs::remove_dir_all(dir);
    std::fs::create_dir_all(dir).unwrap();
    let paths: Vec<PathBuf> = units
        .iter()
        .map(|(name, text)| {
            let p = dir.join(name);
            std::fs::write(&p, text).unwrap();
            p
        })
        .collect();
    let (text, json) = std::thread::scope(|s| {
        let t = s.spawn(|| run(&paths, false, release));
        let j = run(&paths, true, release);
        (t.join().unwrap(), j)
    });
    let _ = std::fs::remove_dir_all(dir);
    // The text run names the units in the order the JSON run prints their arrays.
    let names: Vec<&str> = text
        .lines()
        .filter_map(|l| {
            let rest = l
                .strip_prefix("-> Overall exposure level for ")
                .or_else(|| l.strip_prefix("→ Overall exposure level for "))?;
            Some(rest.rsplit_once(": ")?.0)
        })
        .collect();
    let arrays: Vec<Vec<Value>> = json
        .lines()
        .filter(|l| l.starts_with('['))
        .map(|l| serde_json::from_str(l).expect("a JSON array"))
        .collect();
    assert_eq!(names.len(), units.len(), "systemd scored every case unit");
    assert_eq!(arrays.len(), units.len());
    names
        .into_iter()
        .zip(arrays)
        .map(|(n, rows)| (n.to_owned(), sets(&rows)))
        .collect()
}

type SetsByUnit = HashMap<String, HashMap<String, Option<bool>>>;

fn sets(rows: &[Value]) -> HashMap<String, Option<bool>> {
    rows.iter()
        .map(|r| {
            (
                r["json_field"].as_str().expect("json_field").to_owned(),
                r["set"].as_bool(),
            )
        })
        .collect()
}

/// Our rows for one case unit, scored as `version`.
fn ours(name: &str, text: &str, version: Version) -> HashMap<String, Option<bool>> {
    let path = format!("/etc/systemd/system/{name}");
    let files = [FileInput::whole(Some(&path), text)];
    let r = analyze_unit(name, &files, &Options::for_version(version)).expect("the case loads");
    assert!(r.refused.is_none(), "{name}: {:?}", r.refused);
    let rows: Vec<Value> = r
        .rows
        .iter()
        .map(|row| serde_json::to_value(row).unwrap())
        .collect();
    sets(&rows)
}

/// Checks every table against one systemd; returns the disagreements.
fn check_target(version: Version, major: u32, release: Option<&str>) -> (usize, Vec<String>) {
    let expect = expectations(version, major);
    // One unit per distinct snippet.
    let mut by_snippet: BTreeMap<&str, String> = BTreeMap::new();
    for e in &expect {
        let n = by_snippet.len();
        by_snippet
            .entry(e.snippet)
            .or_insert_with(|| format!("case{n}.service"));
    }
    let units: Vec<(String, String)> = by_snippet
        .iter()
        .map(|(s, n)| (n.clone(), unit_text(s)))
        .collect();
    let dir = std::env::temp_dir().join(format!(
        "exposure-check-cases-{}-{}",
        std::process::id(),
        release.unwrap_or("installed")
    ));
    let theirs = theirs(&dir, &units, release);
    let ours: HashMap<&str, _> = units
        .iter()
        .map(|(n, t)| (n.as_str(), ours(n, t, version)))
        .collect();
    let word = |s: Option<bool>| match s {
        Some(true) => "pass",
        Some(false) => "fail",
        None => "N/A",
    };
    let mut wrong = Vec::new();
    for e in &expect {
        let c = &REGISTRY[e.check];
        let name = &by_snippet[e.snippet];
        let sd = theirs[name].get(c.json_field).copied().flatten();
        let sd_row = theirs[name].contains_key(c.json_field);
        let us = ours[name.as_str()].get(c.json_field).copied().flatten();
        let unit = unit_text(e.snippet);
        if !sd_row || sd != e.set {
            wrong.push(format!(
                "table vs systemd {major}: {} should {} but systemd says {}{}, with\n{unit}",
                c.name,
                word(e.set),
                word(sd),
                if sd_row { "" } else { " (no row)" }
            ));
        }
        if us != sd {
            wrong.push(format!(
                "PARITY {major}: {} — systemd says {}, we say {}, with\n{unit}",
                c.name,
                word(sd),
                word(us)
            ));
        }
    }
    (units.len(), wrong)
}

fn report(version: Version, major: u32, release: Option<&str>) -> Vec<String> {
    let start = std::time::Instant::now();
    let (units, wrong) = check_target(version, major, release);
    println!(
        "systemd {major} ({}): {} expectations over {units} case units in {:.1?}, {} disagreements",
        release.unwrap_or("installed"),
        expectations(version, major).len(),
        start.elapsed(),
        wrong.len()
    );
    wrong
}

#[test]
fn tables_match_the_installed_systemd() {
    let wrong = report(Version::V252, 252, None);
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn tables_match_the_release_oracles() {
    let Some(releases) = exposure_conformance::releases_from_env() else {
        return;
    };
    let mut wrong = Vec::new();
    for (rel, version) in releases {
        let major: u32 = version
            .as_str()
            .parse()
            .expect("a release profile is a number");
        wrong.extend(report(version, major, Some(rel)));
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}
