//! `--user` (K10): every dev-corpus unit assessed as a unit of the per-user service manager,
//! against the real `systemd-analyze --user security --offline=yes` — the installed 252 always,
//! and the releases of `EXPOSURE_DIFF_RELEASES` (`make test-versions`) through
//! `oracle-version.sh`. The overall exposure, the predicate, every row, and whether systemd
//! refuses the unit (262 and 257 refuse `DynamicUser=` in a user unit) must be equal.

use exposure_conformance::corpus::CorpusUnit;
use exposure_conformance::{corpus_root, read_jsonl};
use exposure_core::{Options, Version, analyze_unit};
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;

/// What the real tool printed for one unit: `Err` when it refused it.
type Real = Result<(String, String, Value), String>;

fn run(release: Option<&str>, unit: &Path, json: bool, runtime: &Path) -> std::process::Output {
    // The script runs `security --offline=yes` itself and passes what follows the unit on.
    let mut cmd = match release {
        None => {
            let mut c = Command::new("systemd-analyze");
            c.args(["--user", "security", "--offline=yes", "--no-pager"])
                .arg(unit);
            c
        }
        Some(rel) => {
            let mut c = Command::new(corpus_root().join("../tools/oracle-version.sh"));
            c.arg(rel).arg(unit).arg("--user");
            c
        }
    };
    if json {
        cmd.arg("--json=short");
    }
    cmd.env("SYSTEMD_UNIT_PATH", "")
        .env("XDG_RUNTIME_DIR", runtime)
        .env("LC_ALL", "C")
        .env("SYSTEMD_COLORS", "0")
        .output()
        .expect("run systemd-analyze")
}

fn theirs(release: Option<&str>, unit: &Path, runtime: &Path) -> Real {
    let text = run(release, unit, false, runtime);
    let out = String::from_utf8_lossy(&text.stdout);
    let Some(line) = out
        .lines()
        .find(|l| l.contains("Overall exposure level for"))
    else {
        return Err(String::from_utf8_lossy(&text.stderr).trim().to_owned());
    };
    let mut words = line.rsplit(": ").next().unwrap_or("").split_whitespace();
    let exposure = words.next().unwrap_or("").to_owned();
    let predicate = words.next().unwrap_or("").to_owned();
    let json = run(release, unit, true, runtime);
    let rows: Value = serde_json::from_slice(&json.stdout).expect("--json=short output");
    Ok((exposure, predicate, rows))
}

/// Lays out a corpus unit's file and drop-ins in `dir` as systemd looks for them; the path to
/// assess (an instance path beside its template).
fn lay_out(u: &CorpusUnit, dir: &Path) -> PathBuf {
    for (k, (path, text)) in u.paths.iter().zip(&u.texts).enumerate() {
        let name = path.rsplit('/').next().unwrap();
        let to = if k == 0 {
            dir.join(name)
        } else {
            dir.join(format!("{}.d", u.unit)).join(name)
        };
        std::fs::create_dir_all(to.parent().unwrap()).unwrap();
        std::fs::write(to, text).unwrap();
    }
    dir.join(&u.unit)
}

fn compare(release: Option<&str>, version: Version) -> (usize, usize, Vec<String>) {
    let root = corpus_root().join("dev");
    let records: Vec<Value> = read_jsonl(&root.join("expected.jsonl.gz"))
        .into_iter()
        .filter(|r| r["loaded"] != Value::Bool(false) && r["exit_code"] == 0)
        .collect();
    let scratch = std::env::temp_dir().join(format!(
        "exposure-user-{}-{}",
        std::process::id(),
        release.unwrap_or("installed")
    ));
    let runtime = scratch.join("runtime");
    std::fs::create_dir_all(&runtime).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&runtime, std::fs::Permissions::from_mode(0o700)).unwrap();
    }
    let opts = Options {
        version,
        user: true,
        ..Options::default()
    };
    let chunks: Vec<&[Value]> = records.chunks(records.len().div_ceil(2)).collect();
    let results: Vec<(usize, usize, Vec<String>)> = std::thread::scope(|s| {
        let handles: Vec<_> = chunks
            .iter()
            .enumerate()
            .map(|(n, chunk)| {
                let (root, scratch, runtime, opts) = (&root, &scratch, &runtime, &opts);
                s.spawn(move || {
                    let (mut scored, mut refused, mut failures) = (0, 0, Vec::new());
                    for (i, r) in chunk.iter().enumerate() {
                        let dir = scratch.join(format!("{n}-{i}"));
                        std::fs::create_dir_all(&dir).unwrap();
                        let corpus = CorpusUnit::read(root, r);
                        let path = lay_out(&corpus, &dir);
                        let unit = corpus.unit.as_str();
                        let ours = analyze_unit(unit, &corpus.files(), opts).unwrap();
                        let real = theirs(release, &path, runtime);
                        let _ = std::fs::remove_dir_all(&dir);
                        match (&real, &ours.refused) {
                            (Err(_), Some(_)) => refused += 1,
                            (Err(why), None) => failures
                                .push(format!("{unit}: systemd refuses it ({why}), we scored it")),
                            (Ok(_), Some(why)) => failures
                                .push(format!("{unit}: we refused it ({why}), systemd scored it")),
                            (Ok((exposure, predicate, rows)), None) => {
                                let ours_rows = serde_json::to_value(&ours.rows).unwrap();
                                if *exposure != ours.exposure.to_string()
                                    || predicate != ours.predicate.as_str()
                                    || *rows != ours_rows
                                {
                                    failures.push(format!(
                                        "{unit}: systemd {exposure} {predicate}, we {} {}{}",
                                        ours.exposure,
                                        ours.predicate,
                                        if *rows != ours_rows {
                                            " (rows differ)"
                                        } else {
                                            ""
                                        }
                                    ));
                                } else {
                                    scored += 1;
                                }
                            }
                        }
                    }
                    (scored, refused, failures)
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    let _ = std::fs::remove_dir_all(&scratch);
    results
        .into_iter()
        .fold((0, 0, Vec::new()), |(a, b, mut f), (x, y, g)| {
            f.extend(g);
            (a + x, b + y, f)
        })
}

fn report(name: &str, (scored, refused, failures): (usize, usize, Vec<String>)) -> Option<String> {
    println!(
        "--user, {name}: {scored} scored exactly, {refused} refusals matched, {} failures",
        failures.len()
    );
    (!failures.is_empty()).then(|| format!("{name}:\n  {}", failures.join("\n  ")))
}

#[test]
fn user_units_match_the_installed_systemd() {
    if let Some(f) = report("installed 252", compare(None, Version::V252)) {
        panic!("{f}");
    }
}

#[test]
fn user_units_match_the_release_oracles() {
    let Some(releases) = exposure_conformance::releases_from_env() else {
        return;
    };
    let mut failed = Vec::new();
    for (rel, version) in releases {
        failed.extend(report(rel, compare(Some(rel), version)));
    }
    assert!(failed.is_empty(), "{}", failed.join("\n"));
}
