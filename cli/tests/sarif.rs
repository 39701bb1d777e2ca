//! `--format sarif` as GitHub code scanning takes it: valid against the official SARIF 2.1.0
//! schema (vendored in `schemas/`, see `schemas/README.md`), with every property GitHub
//! requires, locations that always have a line, and fingerprints that survive edits.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

mod common;

use common::run_in;
use exposure_conformance::{corpus_root, read_jsonl};
use serde_json::Value;

fn sarif_in(dir: Option<&Path>, args: &[&str], stdin: Option<&str>) -> Value {
    let mut all = vec!["--format=sarif"];
    all.extend_from_slice(args);
    let out = run_in(dir, &all, stdin);
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "not JSON ({e}): {}\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    })
}

fn tmpdir(tag: &str) -> PathBuf {
    common::tmpdir("sarif", tag)
}

fn validator() -> &'static jsonschema::Validator {
    static V: OnceLock<jsonschema::Validator> = OnceLock::new();
    V.get_or_init(|| {
        common::compile_schema(include_str!("schemas/sarif-2.1.0.json"), "the SARIF schema")
    })
}

/// The schema's complaints about `log` (empty when valid).
fn schema_errors(log: &Value) -> Vec<String> {
    validator()
        .iter_errors(log)
        .map(|e| format!("{}: {e}", e.instance_path()))
        .collect()
}

/// What GitHub code scanning requires beyond the schema (its "SARIF support" page): the
/// problems found, empty when there are none.
fn github_problems(log: &Value) -> Vec<String> {
    let mut p = Vec::new();
    let run = &log["runs"][0];
    let driver = &run["tool"]["driver"];
    if driver["name"].as_str().is_none_or(str::is_empty) {
        p.push("tool.driver.name missing".to_owned());
    }
    if run["automationDetails"]["id"]
        .as_str()
        .is_none_or(str::is_empty)
    {
        p.push("runAutomationDetails.id missing".to_owned());
    }
    let rules = driver["rules"].as_array().cloned().unwrap_or_default();
    let text = |v: &Value| v.as_str().filter(|s| !s.is_empty()).map(str::to_owned);
    for r in &rules {
        let id = r["id"].as_str().unwrap_or("?");
        for (what, v) in [
            ("id", &r["id"]),
            ("shortDescription.text", &r["shortDescription"]["text"]),
            ("fullDescription.text", &r["fullDescription"]["text"]),
            ("help.text", &r["help"]["text"]),
            ("help.markdown", &r["help"]["markdown"]),
            ("helpUri", &r["helpUri"]),
        ] {
            match text(v) {
                None => p.push(format!("rule {id}: {what} missing")),
                Some(s) if what.ends_with("Description.text") && s.chars().count() > 1024 => {
                    p.push(format!("rule {id}: {what} over 1024 characters"))
                }
                _ => {}
            }
        }
        let tags: Vec<&str> = r["properties"]["tags"]
            .as_array()
            .map(|t| t.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        if tags.len() > 10 {
            p.push(format!("rule {id}: more than 10 tags"));
        }
        if tags.contains(&"security") {
            match r["properties"]["security-severity"].as_str() {
                Some(s) if s.parse::<f64>().is_ok_and(|v| (0.1..=10.0).contains(&v)) => {}
                other => p.push(format!("rule {id}: security-severity {other:?}")),
            }
        }
    }
    let results = run["results"].as_array().cloned().unwrap_or_default();
    if results.len() > 25_000 {
        p.push("more than 25,000 results".to_owned());
    }
    for (n, r) in results.iter().enumerate() {
        let id = r["ruleId"].as_str().unwrap_or("?");
        match r["ruleIndex"].as_u64() {
            Some(i)
                if rules
                    .get(i as usize)
                    .is_some_and(|rule| rule["id"] == r["ruleId"]) => {}
            _ => p.push(format!(
                "result {n} ({id}): ruleIndex does not name its rule"
            )),
        }
        if text(&r["message"]["text"]).is_none() {
            p.push(format!("result {n} ({id}): message.text missing"));
        }
        if !["error", "warning", "note"].contains(&r["level"].as_str().unwrap_or("")) {
            p.push(format!("result {n} ({id}): level {}", r["level"]));
        }
        let locs = r["locations"].as_array().cloned().unwrap_or_default();
        if locs.is_empty() {
            p.push(format!("result {n} ({id}): no location"));
        }
        for l in locs
            .iter()
            .chain(r["relatedLocations"].as_array().into_iter().flatten())
        {
            let pl = &l["physicalLocation"];
            let uri = pl["artifactLocation"]["uri"].as_str().unwrap_or("");
            let base = pl["artifactLocation"]["uriBaseId"].as_str();
            let relative_ok = base == Some("%SRCROOT%") && !uri.starts_with('/');
            let absolute_ok = base.is_none() && uri.starts_with("file:///");
            if uri.is_empty() || !(relative_ok || absolute_ok) {
                p.push(format!(
                    "result {n} ({id}): artifact {}",
                    pl["artifactLocation"]
                ));
            }
            if pl["region"]["startLine"].as_u64().is_none_or(|l| l < 1) {
                p.push(format!("result {n} ({id}): no region.startLine"));
            }
        }
        let fp = r["partialFingerprints"].as_object();
        if fp.is_none_or(|f| f.is_empty() || !f.values().all(Value::is_string)) {
            p.push(format!("result {n} ({id}): partialFingerprints missing"));
        }
    }
    p
}

fn assert_accepted(log: &Value) {
    let errors = schema_errors(log);
    assert!(
        errors.is_empty(),
        "not valid SARIF 2.1.0:\n{}",
        errors.join("\n")
    );
    let problems = github_problems(log);
    assert!(
        problems.is_empty(),
        "not as GitHub requires:\n{}",
        problems.join("\n")
    );
}

fn results(log: &Value) -> Vec<Value> {
    log["runs"][0]["results"].as_array().unwrap().clone()
}

fn line(loc: &Value) -> u64 {
    loc["physicalLocation"]["region"]["startLine"]
        .as_u64()
        .unwrap()
}

fn uri(loc: &Value) -> &str {
    loc["physicalLocation"]["artifactLocation"]["uri"]
        .as_str()
        .unwrap()
}

#[test]
fn the_validator_refuses_what_github_would() {
    // The schema and the checks are strict enough to fail: a result without a message, a
    // level SARIF does not have, a rule without help.
    let d = tmpdir("neg");
    let unit = d.join("n.service");
    std::fs::write(&unit, "[Service]\nExecStart=/usr/bin/true\n").unwrap();
    let mut log = sarif_in(None, &[unit.to_str().unwrap()], None);
    assert_accepted(&log);
    log["runs"][0]["results"][0]["level"] = Value::from("fatal");
    assert!(!schema_errors(&log).is_empty());
    let mut log2 = sarif_in(None, &[unit.to_str().unwrap()], None);
    log2["runs"][0]["tool"]["driver"]["rules"][0]
        .as_object_mut()
        .unwrap()
        .remove("help");
    log2["runs"][0]["results"][0]
        .as_object_mut()
        .unwrap()
        .remove("partialFingerprints");
    let p = github_problems(&log2);
    assert!(p.iter().any(|m| m.contains("help.text missing")), "{p:?}");
    assert!(p.iter().any(|m| m.contains("partialFingerprints")), "{p:?}");
}

#[test]
fn the_whole_corpus_gives_sarif_github_accepts_in_both_granularities() {
    let dev = corpus_root().join("dev");
    let recs = read_jsonl(&dev.join("expected.jsonl.gz"));
    let paths: Vec<String> = recs
        .iter()
        .map(|r| {
            let file = r["file"].as_str().unwrap();
            let dir = Path::new(file).parent().unwrap();
            dev.join(dir)
                .join(r["unit"].as_str().unwrap())
                .display()
                .to_string()
        })
        .collect();
    let args: Vec<&str> = paths.iter().map(String::as_str).collect();
    let by_unit = sarif_in(None, &args, None);
    assert_accepted(&by_unit);
    let mut with_checks = vec!["--sarif-results=checks"];
    with_checks.extend(&args);
    let by_check = sarif_in(None, &with_checks, None);
    assert_accepted(&by_check);

    // One result per loaded unit with failing checks, plus the diagnostics (both ways).
    let loaded_failing = recs
        .iter()
        .filter(|r| r["loaded"] == Value::Bool(true))
        .filter(|r| {
            r["checks"]
                .as_array()
                .unwrap()
                .iter()
                .any(|c| c["set"] == Value::Bool(false))
        })
        .count();
    let unit_results = results(&by_unit)
        .iter()
        .filter(|r| r["ruleId"].as_str().unwrap().starts_with("exposure/"))
        .count();
    assert!(loaded_failing > 200, "{loaded_failing}");
    assert_eq!(unit_results, loaded_failing);
    let diags = |log: &Value| {
        results(log)
            .iter()
            .filter(|r| r["ruleId"].as_str().unwrap().starts_with("diagnostic/"))
            .count()
    };
    assert_eq!(diags(&by_unit), diags(&by_check));
    assert!(results(&by_check).len() > 10 * results(&by_unit).len() / 2);
    // Every check rule teaches: the doc of the check is its help.
    for rule in by_check["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .unwrap()
    {
        let id = rule["id"].as_str().unwrap();
        if let Some((_, c)) = exposure_core::checks::find(id) {
            assert!(rule["help"]["text"].as_str().unwrap().contains(c.doc.why));
            assert!(
                rule["help"]["markdown"]
                    .as_str()
                    .unwrap()
                    .contains(c.doc.breaks)
            );
            assert_eq!(rule["helpUri"], c.url());
        }
    }
}

#[test]
fn a_units_result_names_what_costs_most_and_points_at_its_lines() {
    let d = tmpdir("unit");
    std::fs::create_dir_all(d.join("units")).unwrap();
    std::fs::write(
        d.join("units/web.service"),
        "[Unit]\nDescription=web\n\n[Service]\nExecStart=/usr/bin/web\nPrivateNetwork=no\nPrivateTmp=yes\n",
    )
    .unwrap();
    let log = sarif_in(Some(&d), &["units/web.service"], None);
    assert_accepted(&log);
    let rs = results(&log);
    assert_eq!(rs.len(), 1, "{rs:?}");
    let r = &rs[0];
    assert_eq!(r["ruleId"], "exposure/unsafe");
    assert_eq!(r["level"], "error");
    let msg = r["message"]["text"].as_str().unwrap();
    assert!(
        msg.starts_with(
            "web.service: exposure 9.4 UNSAFE (as systemd-analyze security 252 scores it); "
        ) && msg.contains("Costing most: PrivateNetwork= (0.5)"),
        "{msg}"
    );
    // At the [Service] header of the unit file, relative to the working directory.
    let loc = &r["locations"][0];
    assert_eq!(uri(loc), "units/web.service");
    assert_eq!(
        loc["physicalLocation"]["artifactLocation"]["uriBaseId"],
        "%SRCROOT%"
    );
    assert_eq!(line(loc), 4);
    // The line that set PrivateNetwork=no is a related location.
    let related = r["relatedLocations"].as_array().unwrap();
    let net = related
        .iter()
        .find(|l| {
            l["message"]["text"]
                .as_str()
                .unwrap()
                .starts_with("PrivateNetwork=")
        })
        .expect("PrivateNetwork= related");
    assert_eq!(line(net), 6);
    let rule = &log["runs"][0]["tool"]["driver"]["rules"][0];
    assert_eq!(rule["properties"]["security-severity"], "9.0");
    assert!(
        rule["properties"]["tags"]
            .as_array()
            .unwrap()
            .contains(&Value::from("security"))
    );

    // By check: the failing PrivateNetwork= at its line, an unset check at [Service].
    let log = sarif_in(
        Some(&d),
        &["--sarif-results=checks", "units/web.service"],
        None,
    );
    assert_accepted(&log);
    let rs = results(&log);
    let by_id = |id: &str| rs.iter().find(|r| r["ruleId"] == id).unwrap().clone();
    assert_eq!(line(&by_id("PrivateNetwork")["locations"][0]), 6);
    assert_eq!(line(&by_id("ProtectSystem")["locations"][0]), 4);
    assert!(!rs.iter().any(|r| r["ruleId"] == "PrivateTmp"));
    let rules = log["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .unwrap();
    let net = rules.iter().find(|r| r["id"] == "PrivateNetwork").unwrap();
    assert_eq!(net["properties"]["security-severity"], "10.0");
    assert_eq!(log["runs"][0]["automationDetails"]["id"], "exposure/");
}

#[test]
fn fingerprints_survive_runs_and_moved_lines() {
    let d = tmpdir("fp");
    let unit = d.join("fp.service");
    let before = "[Service]\nExecStart=/usr/bin/true\nPrivateNetwork=no\nFoo=bar\n";
    let after = "# a comment\n\n[Service]\nFoo=bar\n# another\nExecStart=/usr/bin/true\n\nPrivateNetwork=no\n";
    let prints = |text: &str, mode: &str| {
        std::fs::write(&unit, text).unwrap();
        let log = sarif_in(Some(&d), &[mode, "fp.service"], None);
        assert_accepted(&log);
        let mut v: Vec<(String, String, u64)> = results(&log)
            .iter()
            .map(|r| {
                (
                    r["ruleId"].as_str().unwrap().to_owned(),
                    r["partialFingerprints"].to_string(),
                    line(&r["locations"][0]),
                )
            })
            .collect();
        v.sort();
        v
    };
    for mode in ["--sarif-results=units", "--sarif-results=checks"] {
        let a = prints(before, mode);
        let a2 = prints(before, mode);
        assert_eq!(a, a2, "the same across runs");
        let b = prints(after, mode);
        let ids = |v: &[(String, String, u64)]| {
            v.iter()
                .map(|(r, f, _)| (r.clone(), f.clone()))
                .collect::<Vec<_>>()
        };
        assert_eq!(ids(&a), ids(&b), "the same when lines move ({mode})");
        assert_ne!(a, b, "the lines did move");
        // Fingerprints are unique within a run.
        let mut fps: Vec<&String> = a.iter().map(|(_, f, _)| f).collect();
        fps.dedup();
        assert_eq!(fps.len(), a.len());
    }
    let unknown = prints(after, "--sarif-results=units")
        .into_iter()
        .find(|(r, _, _)| r == "diagnostic/unknown-key")
        .unwrap();
    assert_eq!(unknown.2, 4);
}

#[test]
fn standard_input_and_captures_are_located_in_their_files() {
    let cat = "# /lib/systemd/system/a.service\n[Unit]\nDescription=a\n[Service]\nExecStart=/x\n\n# /etc/systemd/system/a.service.d/o.conf\n[Service]\nPrivateNetwork=no\nProtectSytem=strict\n";
    // Standard input: the files systemctl cat names, at their own lines.
    let log = sarif_in(None, &["--sarif-results=checks", "-"], Some(cat));
    assert_accepted(&log);
    let rs = results(&log);
    let net = rs.iter().find(|r| r["ruleId"] == "PrivateNetwork").unwrap();
    assert_eq!(
        uri(&net["locations"][0]),
        "file:///etc/systemd/system/a.service.d/o.conf"
    );
    assert_eq!(line(&net["locations"][0]), 2);
    let typo = rs
        .iter()
        .find(|r| r["ruleId"] == "diagnostic/unknown-key")
        .unwrap();
    assert_eq!(line(&typo["locations"][0]), 3);
    let unset = rs.iter().find(|r| r["ruleId"] == "ProtectHome").unwrap();
    assert_eq!(
        uri(&unset["locations"][0]),
        "file:///lib/systemd/system/a.service"
    );
    assert_eq!(line(&unset["locations"][0]), 3);
    // A capture in the working directory is the artifact, at the line of the capture.
    let d = tmpdir("capture");
    std::fs::write(d.join("a.cat"), cat).unwrap();
    let log = sarif_in(Some(&d), &["--sarif-results=checks", "a.cat"], None);
    assert_accepted(&log);
    let rs = results(&log);
    let net = rs.iter().find(|r| r["ruleId"] == "PrivateNetwork").unwrap();
    assert_eq!(uri(&net["locations"][0]), "a.cat");
    assert_eq!(line(&net["locations"][0]), 9);
    // A plain unit on standard input: `stdin`, at its [Service] header.
    let log = sarif_in(
        None,
        &["--unit=p.service", "-"],
        Some("[Unit]\n[Service]\nExecStart=/x\n"),
    );
    assert_accepted(&log);
    let r = &results(&log)[0];
    assert_eq!(uri(&r["locations"][0]), "stdin");
    assert_eq!(line(&r["locations"][0]), 2);
    // systemctl show: the unit's first property line.
    let show = "Id=s.service\nExecStart={ path=/x ; }\nPrivateNetwork=no\n";
    let log = sarif_in(None, &["-"], Some(show));
    assert_accepted(&log);
    assert!(line(&results(&log)[0]["locations"][0]) >= 1);
}

#[test]
fn accepted_risks_are_suppressions_github_accepts() {
    let d = tmpdir("accepted");
    std::fs::write(
        d.join("a.service"),
        "[Service]\nExecStart=/usr/bin/true\n# exposure: accept PrivateNetwork PrivateTmp -- a router\n",
    )
    .unwrap();
    for mode in ["--sarif-results=units", "--sarif-results=checks"] {
        let log = sarif_in(Some(&d), &[mode, "a.service"], None);
        assert_accepted(&log);
    }
    let log = sarif_in(Some(&d), &["--sarif-results=checks", "a.service"], None);
    let suppressed: Vec<String> = results(&log)
        .iter()
        .filter(|r| r["suppressions"].is_array())
        .map(|r| r["ruleId"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(suppressed, ["PrivateNetwork", "PrivateTmp"]);
    let log = sarif_in(Some(&d), &["a.service"], None);
    let r = &results(&log)[0];
    let msg = r["message"]["text"].as_str().unwrap();
    assert!(
        msg.contains("With its 2 failing check(s) accepted: "),
        "{msg}"
    );
    assert!(!msg.contains("Costing most: PrivateNetwork="), "{msg}");
    assert!(r["suppressions"].is_null(), "other checks still fail");
}

/// Microsoft's SARIF Multitool, when `EXPOSURE_SARIF_MULTITOOL` names it (the binary
/// `Sarif.Multitool` of the npm package `@microsoft/sarif-multitool-linux`): its `validate`
/// with GitHub's ingestion rules (`--rule-kind Gh`) and SARIF's own must report no error or
/// warning. Skipped when the variable is not set (CI has no such binary).
#[test]
fn microsofts_validator_with_githubs_rules_finds_nothing_when_installed() {
    let Some(tool) = std::env::var_os("EXPOSURE_SARIF_MULTITOOL") else {
        return;
    };
    let d = tmpdir("multitool");
    std::fs::write(
        d.join("a.service"),
        "[Unit]\n[Service]\nExecStart=/x\nPrivateNetwork=no\nProtectSytem=yes\n# exposure: accept PrivateTmp -- a test\n",
    )
    .unwrap();
    for mode in ["--sarif-results=units", "--sarif-results=checks"] {
        let out = run_in(Some(&d), &["--format=sarif", mode, "a.service"], None);
        let file = d.join("out.sarif");
        std::fs::write(&file, &out.stdout).unwrap();
        for kind in ["Gh", "Sarif"] {
            let v = Command::new(&tool)
                .args(["validate", "--rule-kind", kind, "--level", "Error;Warning"])
                .arg(&file)
                .output()
                .unwrap();
            let text = String::from_utf8_lossy(&v.stdout);
            assert!(v.status.success(), "{text}");
            assert!(
                !text.contains(": error ") && !text.contains(": warning "),
                "{mode} {kind}: {text}"
            );
        }
    }
}

#[test]
fn fingerprints_do_not_depend_on_how_the_path_is_written() {
    let d = tmpdir("fp-path");
    std::fs::create_dir_all(d.join("units")).unwrap();
    std::fs::write(
        d.join("units/p.service"),
        "[Service]\nExecStart=/x\nProtectSytem=yes\n",
    )
    .unwrap();
    let prints = |arg: &str| -> Vec<String> {
        results(&sarif_in(Some(&d), &["--sarif-results=checks", arg], None))
            .iter()
            .map(|r| r["partialFingerprints"].to_string())
            .collect()
    };
    let a = prints("units/p.service");
    assert_eq!(a, prints("./units/p.service"));
    assert_eq!(a, prints(d.join("units/p.service").to_str().unwrap()));
    assert_eq!(a, prints("units"));
    assert!(a[0].contains("\"units/p.service:p.service:"), "{a:?}");
}

#[test]
fn a_unit_file_without_service_section_anchors_at_line_1() {
    let d = tmpdir("line1");
    std::fs::write(d.join("x.service"), "[Unit]\nDescription=x\n").unwrap();
    std::fs::create_dir_all(d.join("x.service.d")).unwrap();
    std::fs::write(
        d.join("x.service.d/10-exec.conf"),
        "\n[Service]\nExecStart=/usr/bin/true\nPrivateNetwork=no\n",
    )
    .unwrap();
    let log = sarif_in(Some(&d), &["--sarif-results=checks", "x.service"], None);
    assert_accepted(&log);
    let rs = results(&log);
    let unset = rs.iter().find(|r| r["ruleId"] == "PrivateTmp").unwrap();
    assert_eq!(uri(&unset["locations"][0]), "x.service");
    assert_eq!(line(&unset["locations"][0]), 1);
    let set = rs.iter().find(|r| r["ruleId"] == "PrivateNetwork").unwrap();
    assert_eq!(uri(&set["locations"][0]), "x.service.d/10-exec.conf");
    assert_eq!(line(&set["locations"][0]), 4);
}

#[test]
fn learn_url_points_each_check_rule_at_its_learn_entry() {
    let d = tmpdir("learn");
    std::fs::write(d.join("x.service"), "[Service]\nExecStart=/usr/bin/true\n").unwrap();
    let base = "https://example.org/exposure/";
    let args = ["--sarif-results=checks", "--learn-url", base, "x.service"];
    let log = sarif_in(Some(&d), &args, None);
    assert_accepted(&log);
    let rules = log["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .unwrap();
    let uri_of = |id: &str| {
        rules
            .iter()
            .find(|r| r["id"] == id)
            .map(|r| r["helpUri"].as_str().unwrap().to_owned())
    };
    assert_eq!(
        uri_of("PrivateTmp").unwrap(),
        "https://example.org/exposure/#learn/PrivateTmp"
    );
    assert_eq!(
        uri_of("CapabilityBoundingSet_CAP_SYS_ADMIN").unwrap(),
        "https://example.org/exposure/#learn/CapabilityBoundingSet"
    );
    let mut checks = 0;
    for r in rules {
        let id = r["id"].as_str().unwrap();
        if let Some(name) = exposure_core::learn::entry_of_check(id) {
            assert_eq!(r["helpUri"], format!("{base}#learn/{name}"));
            // The entry exists in the reference the page shows.
            assert!(exposure_core::learn::find(name).is_some(), "{name}");
            checks += 1;
        }
    }
    assert!(checks > 20, "{checks} check rules");
    // Without the address, the man page as before.
    let log = sarif_in(Some(&d), &["--sarif-results=checks", "x.service"], None);
    let rules = log["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .unwrap();
    let tmp = rules.iter().find(|r| r["id"] == "PrivateTmp").unwrap();
    assert!(tmp["helpUri"].as_str().unwrap().contains("freedesktop.org"));
}
