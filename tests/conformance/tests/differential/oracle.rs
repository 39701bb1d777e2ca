//! Running both sides: our score of a case, and the real `systemd-analyze` (252 on the PATH,
//! or a release through its oracle script) on a batch of cases written to a folder.

use crate::generate::Case;
use exposure_conformance::corpus_root;
use exposure_core::FileInput;
use exposure_core::Options;
use exposure_core::Version;
use exposure_core::analyze_unit;
use serde_json::Value;
use std::collections::HashMap;
use std::path::Path;
use std::path::PathBuf;
use std::process::Command;

// ---------------------------------------------------------------------------------------
// Running both sides.

#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Outcome {
    /// The unit does not load; the text says why (our reason, or systemd's messages).
    Refused(String),
    Scored {
        unit: String,
        exposure: String,
        predicate: String,
        rows: Vec<Value>,
    },
}

pub(crate) fn ours(c: &Case, t: &Target) -> Outcome {
    let texts: Vec<(String, &str)> = std::iter::once((c.file.clone(), c.main.as_str()))
        .chain(
            c.dropins
                .iter()
                .map(|(n, t)| (format!("{}.d/{n}", c.file), t.as_str())),
        )
        .collect();
    let files: Vec<FileInput<'_>> = texts
        .iter()
        .map(|(p, t)| FileInput::whole(Some(p), t))
        .collect();
    match analyze_unit(&c.file, &files, &Options::for_version(t.version)) {
        Err(d) => Outcome::Refused(format!("error: {}", d.message)),
        Ok(r) => match r.refused {
            Some(why) => Outcome::Refused(why),
            None => Outcome::Scored {
                unit: r.unit.clone(),
                exposure: r.exposure.to_string(),
                predicate: r.predicate.as_str().to_owned(),
                rows: r
                    .rows
                    .iter()
                    .map(|row| serde_json::to_value(row).unwrap())
                    .collect(),
            },
        },
    }
}

pub(crate) fn write_cases(dir: &Path, cases: &[Case]) -> Vec<PathBuf> {
    let _ = std::fs::remove_dir_all(dir);
    std::fs::create_dir_all(dir).unwrap();
    let mut paths = Vec::new();
    for c in cases {
        let p = dir.join(&c.file);
        std::fs::write(&p, &c.main).unwrap();
        if !c.dropins.is_empty() {
            let d = dir.join(format!("{}.d", c.file));
            std::fs::create_dir_all(&d).unwrap();
            for (n, t) in &c.dropins {
                std::fs::write(d.join(n), t).unwrap();
            }
        }
        paths.push(p);
    }
    paths
}

/// The systemd-analyze compared with: the installed one (252), or a release's through the
/// oracle script; and the profile we score as.
pub(crate) struct Target {
    pub(crate) version: Version,
    /// `None`: the installed `systemd-analyze`; else a release `oracle-version.sh` knows.
    pub(crate) release: Option<String>,
}

impl Target {
    /// The name a case is assessed as by this version (templates get its instance).
    pub(crate) fn assessed(&self, c: &Case) -> String {
        if c.file.contains("@.") {
            c.assessed
                .replacen("@i.", &format!("@{}.", self.version.profile().instance), 1)
        } else {
            c.assessed.clone()
        }
    }
}

pub(crate) fn oracle_script() -> PathBuf {
    corpus_root().join("../tools/oracle-version.sh")
}

pub(crate) fn run_analyze(paths: &[PathBuf], json: bool, t: &Target) -> std::process::Output {
    let mut cmd = match &t.release {
        None => {
            let mut cmd = Command::new("systemd-analyze");
            cmd.arg("security").arg("--offline=yes").arg("--no-pager");
            if json {
                cmd.arg("--json=short");
            }
            cmd.args(paths);
            cmd
        }
        // The script runs `security --offline=yes ARGS FILE`: the other files go with the
        // arguments (units are matched by name, so the order does not matter).
        Some(rel) => {
            let mut cmd = Command::new(oracle_script());
            cmd.arg(rel).arg(&paths[0]);
            if json {
                cmd.arg("--json=short");
            }
            cmd.args(&paths[1..]);
            cmd
        }
    };
    // An empty SYSTEMD_UNIT_PATH keeps the host's units and drop-ins out: the search path is
    // then only the folder of the given files.
    cmd.env("SYSTEMD_UNIT_PATH", "")
        .env("LC_ALL", "C")
        .env("SYSTEMD_COLORS", "0")
        .env("SYSTEMD_LOG_COLOR", "0")
        .env_remove("SYSTEMD_ANALYZE_DEBUG");
    let out = cmd.output().expect("run systemd-analyze");
    if out.status.code().is_none() {
        panic!(
            "systemd-analyze was killed by a signal ({:?}) on {} units; stderr:\n{}",
            out.status,
            paths.len(),
            String::from_utf8_lossy(&out.stderr)
        );
    }
    out
}

/// The unit a line of systemd-analyze's stderr is about, if it names one of ours: lines start
/// with `/dir/NAME:LINE: …`, `/dir/NAME.d/x.conf:LINE: …`, `NAME: …` or `Unit NAME …`.
pub(crate) fn stderr_unit<'a>(line: &'a str, dir: &str) -> Option<&'a str> {
    let rest = line.strip_prefix("Unit ").unwrap_or(line);
    let rest = rest
        .strip_prefix(dir)
        .map_or(rest, |r| r.trim_start_matches('/'));
    let end = rest.find([':', ' ', '/']).unwrap_or(rest.len());
    let name = &rest[..end];
    Some(name.strip_suffix(".d").unwrap_or(name))
}

/// Scores `cases` with the real tool: one text run (for the overall exposure) and one JSON run
/// (for the rows), side by side.
pub(crate) fn theirs(dir: &Path, cases: &[Case], target: &Target) -> Vec<Outcome> {
    let paths = write_cases(dir, cases);
    let (text, json) = std::thread::scope(|s| {
        let t = s.spawn(|| run_analyze(&paths, false, target));
        let j = run_analyze(&paths, true, target);
        (t.join().unwrap(), j)
    });
    if std::env::var_os("EXPOSURE_DIFF_KEEP").is_none() {
        let _ = std::fs::remove_dir_all(dir);
    }
    let stdout = String::from_utf8_lossy(&text.stdout);
    let stderr = String::from_utf8_lossy(&text.stderr);
    // Summary lines, in the order the units were given (refused units print nothing).
    let mut summaries: Vec<(String, String, String)> = Vec::new();
    for l in stdout.lines() {
        // (`->` in the C locale, `→` in a UTF-8 one, as the oracle script runs it.)
        if let Some(rest) = l
            .strip_prefix("-> Overall exposure level for ")
            .or_else(|| l.strip_prefix("→ Overall exposure level for "))
        {
            let (name, tail) = rest.rsplit_once(": ").expect("summary line");
            let mut it = tail.split(' ');
            let e = it.next().unwrap().to_owned();
            let p = it.next().unwrap().to_owned();
            summaries.push((name.to_owned(), e, p));
        }
    }
    // With --json there is no summary: one array per scored unit, in the same order.
    let jstdout = String::from_utf8_lossy(&json.stdout);
    let arrays: Vec<Vec<Value>> = jstdout
        .lines()
        .filter(|l| l.starts_with('['))
        .map(|l| serde_json::from_str(l).expect("JSON array"))
        .collect();
    assert_eq!(
        summaries.len(),
        arrays.len(),
        "the text and JSON runs scored a different number of units"
    );
    let mut by_name: HashMap<String, (String, String, Vec<Value>)> = HashMap::new();
    for ((n, e, p), rows) in summaries.into_iter().zip(arrays) {
        by_name.insert(n, (e, p, rows));
    }
    let dir_s = dir.to_string_lossy();
    let mut messages: HashMap<&str, Vec<&str>> = HashMap::new();
    for l in stderr.lines() {
        if let Some(u) = stderr_unit(l, &dir_s) {
            messages.entry(u).or_default().push(l);
        }
    }
    cases
        .iter()
        .map(|c| {
            let assessed = target.assessed(c);
            match by_name.remove(&assessed) {
                Some((exposure, predicate, rows)) => Outcome::Scored {
                    unit: assessed,
                    exposure,
                    predicate,
                    rows,
                },
                None => {
                    let mut why: Vec<&str> =
                        messages.get(c.file.as_str()).cloned().unwrap_or_default();
                    if assessed != c.file {
                        why.extend(messages.get(assessed.as_str()).cloned().unwrap_or_default());
                    }
                    Outcome::Refused(why.join("\n"))
                }
            }
        })
        .collect()
}
