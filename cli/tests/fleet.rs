//! `exposure fleet` on real captures: hosts made of the online corpus's `systemctl show`
//! output (many units per file, as `systemctl show '*.service'` prints them), one of them
//! changed so that it deviates, and a host of unit files. Every score is compared with real
//! systemd 252 (the corpus's online and offline records) or with the CLI's own scoring of the
//! same capture, never with a number written here.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use common::{run_in, tmpdir};
use exposure_conformance::{corpus_root, read_jsonl};
use serde_json::Value;

/// A fleet folder: `full` (every captured unit), `half` (every other unit), `changed`
/// (every third unit, each with `NoNewPrivileges=yes` and `PrivateTmp=yes`), and `files`, a
/// folder with a few unit files of the offline corpus. Returns the folder, the online records
/// by unit name and the offline records of the unit files.
fn fleet(tag: &str) -> (PathBuf, BTreeMap<String, Value>, Vec<Value>) {
    let online = corpus_root().join("online");
    let recs = read_jsonl(&online.join("expected.jsonl.gz"));
    let dir = tmpdir("fleet", tag);
    let mut by_name = BTreeMap::new();
    let (mut full, mut half, mut changed) = (Vec::new(), Vec::new(), Vec::new());
    for (i, r) in recs.iter().enumerate() {
        let unit = r["unit"].as_str().unwrap();
        let folder = r["file"].as_str().unwrap().split('/').next().unwrap();
        let show = std::fs::read_to_string(online.join(folder).join(unit).join("show.txt"))
            .unwrap_or_else(|e| panic!("{folder}/{unit}/show.txt: {e}"));
        by_name.insert(r["assessed_as"].as_str().unwrap().to_owned(), r.clone());
        full.push(show.clone());
        if i % 2 == 0 {
            half.push(show.clone());
        }
        if i % 3 == 0 {
            changed.push(
                show.replace("\nNoNewPrivileges=no\n", "\nNoNewPrivileges=yes\n")
                    .replace("\nPrivateTmp=no\n", "\nPrivateTmp=yes\n"),
            );
        }
    }
    // Units are separated by an empty line, as systemctl show prints several.
    std::fs::write(dir.join("full"), full.join("\n")).unwrap();
    std::fs::write(dir.join("half"), half.join("\n")).unwrap();
    std::fs::write(dir.join("changed"), changed.join("\n")).unwrap();
    let dev = corpus_root().join("dev");
    let files = dir.join("files");
    std::fs::create_dir(&files).unwrap();
    let offline: Vec<Value> = read_jsonl(&dev.join("expected.jsonl.gz"))
        .into_iter()
        .filter(|r| {
            r["loaded"] == true
                && r["dropins"].as_array().is_some_and(Vec::is_empty)
                && !r["unit"].as_str().unwrap().contains('@')
        })
        .take(12)
        .collect();
    for r in &offline {
        let unit = r["unit"].as_str().unwrap();
        std::fs::copy(dev.join(r["file"].as_str().unwrap()), files.join(unit)).unwrap();
    }
    (dir, by_name, offline)
}

fn fleet_run(dir: &Path, args: &[&str]) -> (Option<i32>, String, String) {
    let mut all = vec!["fleet"];
    all.extend_from_slice(args);
    let d = dir.to_str().unwrap();
    all.push(d);
    let out = run_in(None, &all, None);
    (
        out.status.code(),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

fn f(v: &Value) -> f64 {
    match v {
        Value::String(s) => s.parse().unwrap(),
        v => v.as_f64().unwrap(),
    }
}

/// The units of `exposure --format json FILE`: the CLI's online scoring of a capture.
fn scored_alone(file: &Path) -> BTreeMap<String, Value> {
    let out = run_in(None, &["--format=json", file.to_str().unwrap()], None);
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    doc["units"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| (u["unit"].as_str().unwrap().to_owned(), u.clone()))
        .collect()
}

#[test]
fn hosts_score_as_systemd_and_deviations_name_the_checks() {
    let (dir, online, offline) = fleet("json");
    let (code, out, err) = fleet_run(&dir, &["--format=json"]);
    assert_eq!(code, Some(0), "{err}");
    let doc: Value = serde_json::from_str(&out).unwrap();
    let hosts = doc["hosts"].as_array().unwrap();
    let names: Vec<&str> = hosts.iter().map(|h| h["host"].as_str().unwrap()).collect();
    assert_eq!(names, ["changed", "files", "full", "half"]);

    let changed_alone = scored_alone(&dir.join("changed"));
    let mut scores: BTreeMap<String, Vec<(String, f64)>> = BTreeMap::new();
    for h in hosts {
        let host = h["host"].as_str().unwrap();
        let units = h["units"].as_array().unwrap();
        assert!(!units.is_empty(), "{host}");
        for u in units {
            let name = u["unit"].as_str().unwrap();
            let e = f(&u["exposure"]);
            match host {
                // Real systemd 252, online, on the same capture.
                "full" | "half" => assert_eq!(e, f(&online[name]["exposure"]), "{host} {name}"),
                // Changed captures have no record: the CLI's own online path on the same file.
                "changed" => assert_eq!(e, f(&changed_alone[name]["exposure"]), "{name}"),
                // Real systemd 252, offline, on the same unit file.
                _ => {
                    let r = offline.iter().find(|r| r["assessed_as"] == name).unwrap();
                    assert_eq!(e, f(&r["exposure"]), "{name}");
                }
            }
            scores
                .entry(name.to_owned())
                .or_default()
                .push((host.to_owned(), e));
        }
        let worst = units.iter().map(|u| f(&u["exposure"])).fold(0.0, f64::max);
        assert_eq!(f(&h["worst"]["exposure"]), worst, "{host}");
    }
    assert_eq!(
        hosts.iter().find(|h| h["host"] == "full").unwrap()["units"]
            .as_array()
            .unwrap()
            .len(),
        online.len()
    );

    // Per unit name: min, median, max and the deviating hosts, from the hosts' own scores.
    let units = doc["units"].as_array().unwrap();
    assert_eq!(units.len(), scores.len());
    let full_alone = scored_alone(&dir.join("full"));
    let mut deviations = 0;
    for u in units {
        let name = u["unit"].as_str().unwrap();
        let mut s: Vec<f64> = scores[name].iter().map(|(_, e)| *e).collect();
        s.sort_by(f64::total_cmp);
        assert_eq!(u["hosts"], s.len(), "{name}");
        assert_eq!(f(&u["min"]), s[0], "{name}");
        assert_eq!(f(&u["max"]), s[s.len() - 1], "{name}");
        assert_eq!(f(&u["median"]), s[(s.len() - 1) / 2], "{name}");
        let common = f(&u["most_common"]);
        let count = |x: f64| s.iter().filter(|y| **y == x).count();
        assert!(s.iter().all(|x| count(*x) <= count(common)), "{name}");
        let deviating: Vec<&(String, f64)> =
            scores[name].iter().filter(|(_, e)| *e != common).collect();
        assert_eq!(u["deviating_hosts"], deviating.len(), "{name}");
        for d in u["deviations"].as_array().unwrap() {
            deviations += 1;
            for host in d["examples"].as_array().unwrap() {
                let (_, e) = deviating.iter().find(|(h, _)| host == h.as_str()).unwrap();
                assert_eq!(f(&d["exposure"]), *e, "{name} on {host}");
            }
            // A changed unit that deviates from the full capture's: the checks named are the
            // ones whose results differ between the two captures' own scoring.
            if d["examples"] == serde_json::json!(["changed"])
                && f(&u["most_common"]) == f(&full_alone[name]["exposure"])
            {
                let checks = |u: &Value| -> BTreeMap<String, Value> {
                    u["checks"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .map(|c| (c["json_field"].as_str().unwrap().to_owned(), c.clone()))
                        .collect()
                };
                let (a, b) = (checks(&changed_alone[name]), checks(&full_alone[name]));
                let differ: BTreeSet<&str> = a
                    .iter()
                    .filter(|(k, c)| b.get(*k) != Some(c))
                    .map(|(k, _)| k.as_str())
                    .collect();
                let named: BTreeSet<&str> = d["checks"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|c| c.as_str().unwrap())
                    .collect();
                assert_eq!(named, differ, "{name}");
                assert!(named.contains("NoNewPrivileges") || named.contains("PrivateTmp"));
            }
        }
    }
    assert!(deviations > 0, "the changed host deviates");
    let summary = &doc["summary"];
    assert_eq!(summary["hosts"], 4);
    assert_eq!(
        summary["units"],
        scores.values().map(Vec::len).sum::<usize>()
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn prometheus_samples_equal_the_json_and_families_are_grouped() {
    let (dir, _, _) = fleet("prom");
    let (_, json, _) = fleet_run(&dir, &["--format=json"]);
    let doc: Value = serde_json::from_str(&json).unwrap();
    let (code, prom, err) = fleet_run(&dir, &["--format=prometheus", "--checks"]);
    assert_eq!(code, Some(0), "{err}");
    let mut samples = BTreeMap::new();
    let mut families = Vec::new();
    for line in prom.lines() {
        if let Some(rest) = line.strip_prefix("# TYPE ") {
            let (name, kind) = rest.split_once(' ').unwrap();
            assert_eq!(kind, "gauge");
            families.push(name.to_owned());
            continue;
        }
        if line.starts_with("# HELP ") {
            continue;
        }
        let (metric, value) = line.rsplit_once(' ').unwrap();
        let name = metric.split('{').next().unwrap();
        // Every sample belongs to the family declared last: families are not interleaved.
        assert_eq!(families.last().map(String::as_str), Some(name), "{line}");
        samples.insert(metric.to_owned(), value.parse::<f64>().unwrap());
    }
    let unique: BTreeSet<&String> = families.iter().collect();
    assert_eq!(unique.len(), families.len(), "one TYPE line per family");
    let mut scored = 0;
    for h in doc["hosts"].as_array().unwrap() {
        let host = h["host"].as_str().unwrap();
        for u in h["units"].as_array().unwrap() {
            let key = format!(
                "exposure_score{{host=\"{host}\",unit=\"{}\"}}",
                u["unit"].as_str().unwrap()
            );
            assert_eq!(samples.get(&key), Some(&f(&u["exposure"])), "{key}");
            scored += 1;
        }
    }
    assert_eq!(
        samples
            .keys()
            .filter(|k| k.starts_with("exposure_score{"))
            .count(),
        scored
    );
    // Per-check gauges: the CLI's own checks of the same capture, N/A ones left out.
    let alone = scored_alone(&dir.join("half"));
    for (unit, u) in &alone {
        for c in u["checks"].as_array().unwrap() {
            let key = format!(
                "exposure_check_exposure{{host=\"half\",unit=\"{unit}\",check=\"{}\"}}",
                c["json_field"].as_str().unwrap()
            );
            let want = match (&c["set"], &c["exposure"]) {
                (Value::Null, _) => None,
                (_, Value::Null) => Some(0.0),
                (_, e) => Some(f(e)),
            };
            assert_eq!(samples.get(&key).copied(), want, "{key}");
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn markdown_and_the_threshold() {
    let (dir, _, _) = fleet("md");
    let (_, json, _) = fleet_run(&dir, &["--format=json", "--threshold=50"]);
    let doc: Value = serde_json::from_str(&json).unwrap();
    let above: usize = doc["hosts"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|h| h["units"].as_array().unwrap())
        .filter(|u| f(&u["exposure"]) > 5.0)
        .count();
    assert!(above > 0);
    assert_eq!(doc["summary"]["above_threshold"], above);
    let (code, md, err) = fleet_run(&dir, &["--format=markdown", "--threshold=50"]);
    assert_eq!(code, Some(1), "units above 5.0 fail the run");
    assert!(
        err.contains(&format!("{above} units above the threshold 5.0")),
        "{err}"
    );
    for section in [
        "# Fleet exposure",
        "## Worst units",
        "## Most deviating units",
        "## Hosts",
    ] {
        assert!(md.contains(&format!("{section}\n")), "{section}");
    }
    for h in ["changed", "files", "full", "half"] {
        assert!(md.contains(&format!("\n| {h} | ")), "{h}");
    }
    // The worst unit of the fleet heads the worst units' table.
    let worst = &doc["units"][0];
    assert!(md.contains(&format!(
        "## Worst units\n\n| unit | max | median | min | hosts |\n| --- | ---: | ---: | ---: | ---: |\n| {} | {:.1} |",
        worst["unit"].as_str().unwrap(),
        f(&worst["max"])
    )));
    // Without units above it, the run succeeds; a host that cannot be read fails it.
    let (code, _, _) = fleet_run(&dir, &["--format=markdown"]);
    assert_eq!(code, Some(0));
    std::fs::write(dir.join("empty"), "").unwrap();
    let (code, _, err) = fleet_run(&dir, &["--format=markdown"]);
    assert_eq!(code, Some(1));
    assert!(err.contains("empty"), "{err}");
    let _ = std::fs::remove_dir_all(&dir);
}
