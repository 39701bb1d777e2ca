//! The `exposure` binary end to end: formats, exit statuses, drop-in discovery, stdin.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use exposure_conformance::{corpus_root, read_jsonl};
use serde_json::Value;

fn exposure(args: &[&str], stdin: Option<&str>) -> Output {
    let mut c = Command::new(env!("CARGO_BIN_EXE_exposure"));
    c.args(args)
        .env("LANG", "C.UTF-8")
        .env("TERM", "xterm")
        .env_remove("NO_COLOR")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = c.spawn().expect("run exposure");
    if let Some(s) = stdin {
        use std::io::Write;
        child.stdin.take().unwrap().write_all(s.as_bytes()).unwrap();
    } else {
        drop(child.stdin.take());
    }
    child.wait_with_output().unwrap()
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).unwrap()
}

fn tmpdir(tag: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("exposure-cli-test-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn corpus_records() -> (PathBuf, Vec<Value>) {
    let dev = corpus_root().join("dev");
    let recs = read_jsonl(&dev.join("expected.jsonl.gz"));
    (dev, recs)
}

/// Paths of every corpus record that has no drop-in (those need their folder layout, which the
/// corpus keeps, so they work too — but keep this list simple).
fn corpus_paths(dev: &Path, recs: &[Value]) -> Vec<String> {
    recs.iter()
        .map(|r| {
            let file = r["file"].as_str().unwrap();
            let unit = r["unit"].as_str().unwrap();
            // Instance records live next to their template.
            let dir = Path::new(file).parent().unwrap();
            dev.join(dir).join(unit).display().to_string()
        })
        .collect()
}

#[test]
fn table_matches_systemds_overall_lines_for_the_whole_corpus() {
    let (dev, recs) = corpus_records();
    let paths = corpus_paths(&dev, &recs);
    let args: Vec<&str> = paths.iter().map(String::as_str).collect();
    let out = exposure(&args, None);
    // Masked units make the run fail, as systemd-analyze does.
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    let overall: Vec<&str> = text
        .lines()
        .filter(|l| l.starts_with("→ Overall"))
        .collect();
    let expected: Vec<String> = recs
        .iter()
        .filter(|r| r["loaded"] == Value::Bool(true))
        .map(|r| r["overall_line"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(overall.len(), expected.len());
    for (o, e) in overall.iter().zip(&expected) {
        // systemd's recorded line stops before the face; ours carries the emoji too.
        let (line, face) = o.rsplit_once(' ').unwrap();
        assert_eq!(line, e.as_str());
        assert!(face.chars().all(|c| (c as u32) >= 0x1F600), "{o}");
    }
    // The summary table follows.
    assert!(text.contains("\nUNIT "), "summary table missing");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(stderr.matches("is masked").count(), 6, "{stderr}");
}

#[test]
fn json_rows_equal_systemds_json() {
    let (dev, recs) = corpus_records();
    let paths = corpus_paths(&dev, &recs);
    let args: Vec<&str> = std::iter::once("--format=json")
        .chain(paths.iter().map(String::as_str))
        .collect();
    let out = exposure(&args, None);
    let v: Vec<Value> = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(v.len(), recs.len());
    for (ours, r) in v.iter().zip(&recs) {
        if r["loaded"] == Value::Bool(false) {
            assert!(ours["refused"].is_string());
            assert!(ours["exposure"].is_null());
            continue;
        }
        assert_eq!(ours["checks"], r["checks"], "{}", r["unit"]);
        let e: f64 = r["exposure"].as_str().unwrap().parse().unwrap();
        assert_eq!(ours["exposure"].as_f64().unwrap(), e);
        assert_eq!(ours["predicate"], r["predicate"]);
        assert_eq!(ours["unit"], r["assessed_as"]);
    }
}

#[test]
fn threshold_is_strictly_greater_in_tenths() {
    let d = tmpdir("threshold");
    let unit = d.join("plain.service");
    std::fs::write(&unit, "[Service]\nExecStart=/usr/bin/true\n").unwrap();
    let u = unit.to_str().unwrap();
    assert_eq!(
        exposure(&["--threshold=96", u], None).status.code(),
        Some(0)
    );
    assert_eq!(
        exposure(&["--threshold", "95", u], None).status.code(),
        Some(1)
    );
    assert_eq!(
        exposure(&["--threshold=101", u], None).status.code(),
        Some(2)
    );
}

#[test]
fn dropins_and_templates_are_found_beside_the_file() {
    let d = tmpdir("dropins");
    std::fs::write(
        d.join("web@.service"),
        "[Service]\nExecStart=/usr/bin/true\n",
    )
    .unwrap();
    std::fs::create_dir_all(d.join("web@blue.service.d")).unwrap();
    std::fs::write(
        d.join("web@blue.service.d/10-dyn.conf"),
        "[Service]\nDynamicUser=yes\n",
    )
    .unwrap();
    let out = exposure(&[d.join("web@blue.service").to_str().unwrap()], None);
    assert_eq!(out.status.code(), Some(0));
    assert!(stdout(&out).contains("Overall exposure level for web@blue.service: 8.4 EXPOSED"));
    let out = exposure(&[d.join("web@.service").to_str().unwrap()], None);
    assert!(stdout(&out).contains("Overall exposure level for web@i.service: 9.6 UNSAFE"));
}

#[test]
fn masked_and_missing_units_are_refused() {
    let d = tmpdir("masked");
    std::fs::write(d.join("gone.service"), "").unwrap();
    let out = exposure(&[d.join("gone.service").to_str().unwrap()], None);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("masked"));
    let out = exposure(&[d.join("nope.service").to_str().unwrap()], None);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no such file"));
}

#[test]
fn stdin_systemctl_cat_gives_details_and_summary() {
    let cat = "# /lib/systemd/system/a.service\n[Service]\nExecStart=/x\n\n# /etc/systemd/system/a.service.d/o.conf\n[Service]\nDynamicUser=yes\n\n# /lib/systemd/system/b.service\n[Service]\nExecStart=/y\nProtectSytem=strict\n";
    let out = exposure(&["-"], Some(cat));
    assert_eq!(out.status.code(), Some(0));
    let text = stdout(&out);
    assert!(text.contains("Overall exposure level for a.service: 8.4 EXPOSED"));
    assert!(text.contains("Overall exposure level for b.service: 9.6 UNSAFE"));
    assert!(
        text.contains("\nUNIT      EXPOSURE PREDICATE HAPPY\na.service      8.4 EXPOSED   "),
        "{text}"
    );
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("/lib/systemd/system/b.service:12: Unknown key ProtectSytem="),
        "{err}"
    );
    assert!(err.contains("did you mean ProtectSystem=?"), "{err}");
    assert!(!text.contains('\x1b'), "no colour when not a terminal");
}

#[test]
fn sarif_has_a_result_per_failing_check_with_locations() {
    let d = tmpdir("sarif");
    let unit = d.join("s.service");
    std::fs::write(&unit, "[Service]\nExecStart=/usr/bin/true\nPrivateTmp=no\n").unwrap();
    let out = exposure(&["--format=sarif", unit.to_str().unwrap()], None);
    let v: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(v["version"], "2.1.0");
    let results = v["runs"][0]["results"].as_array().unwrap();
    // ex1 fails 75 checks (74 fully, UMask partly).
    assert_eq!(
        results
            .iter()
            .filter(|r| r["ruleId"] != "diagnostic/overridden")
            .count(),
        75
    );
    let tmp = results
        .iter()
        .find(|r| r["ruleId"] == "PrivateTmp")
        .unwrap();
    assert_eq!(
        tmp["locations"][0]["physicalLocation"]["region"]["startLine"],
        3
    );
    assert_eq!(tmp["level"], "warning");
}

#[test]
fn explain_prints_the_teaching_text() {
    let out = exposure(&["explain", "PrivateTmp"], None);
    assert_eq!(out.status.code(), Some(0));
    let t = stdout(&out);
    assert!(
        t.contains("PrivateTmp=")
            && t.contains("Fix:    PrivateTmp=yes")
            && t.contains("freedesktop.org")
    );
    for heading in [
        "What it does and why it matters\n  ",
        "What it may break\n  ",
        "How to relax it\n  ",
        "Example (a drop-in",
        "Since:  ",
        "Manual: https://",
    ] {
        assert!(t.contains(heading), "missing {heading:?} in\n{t}");
    }
    assert!(t.contains("\n  [Service]\n  PrivateTmp=yes\n"), "{t}");
    assert!(
        t.contains("JoinsNamespaceOf="),
        "the relax text is printed: {t}"
    );
    let t = stdout(&exposure(&["explain", "SystemCallArchitectures"], None));
    assert!(t.contains("Since:  systemd 209"), "{t}");
    assert!(t.contains("SIGSYS"), "{t}");
    assert_eq!(exposure(&["explain", "Bogus"], None).status.code(), Some(1));
}

#[test]
fn policies_change_weights_and_bad_ones_are_refused() {
    let d = tmpdir("policy");
    let unit = d.join("p.service");
    std::fs::write(&unit, "[Service]\nExecStart=/usr/bin/true\n").unwrap();
    let pol = d.join("policy.json");
    std::fs::write(&pol, r#"{"PrivateNetwork":{"weight":0},"UserOrDynamicUser":{"weight":100},"UMask":{"range":20}}"#).unwrap();
    let out = exposure(
        &[
            "--security-policy",
            pol.to_str().unwrap(),
            unit.to_str().unwrap(),
        ],
        None,
    );
    assert!(stdout(&out).contains(": 9.5 UNSAFE"), "{}", stdout(&out));
    std::fs::write(&pol, r#"{"UMask":{"range":0}}"#).unwrap();
    let out = exposure(
        &[
            "--security-policy",
            pol.to_str().unwrap(),
            unit.to_str().unwrap(),
        ],
        None,
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("range of 0"));
    std::fs::write(&pol, "{oops").unwrap();
    let out = exposure(
        &[
            "--security-policy",
            pol.to_str().unwrap(),
            unit.to_str().unwrap(),
        ],
        None,
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains(":1:"));
}

#[test]
fn suggest_prints_a_dropin_and_json() {
    let d = tmpdir("suggest");
    let unit = d.join("job.service");
    std::fs::write(
        &unit,
        "[Service]\nType=oneshot\nExecStart=/usr/bin/report\n",
    )
    .unwrap();
    let u = unit.to_str().unwrap();
    let out = exposure(&["suggest", "--tier", "strict", u], None);
    assert_eq!(out.status.code(), Some(0));
    let text = stdout(&out);
    assert!(
        text.contains("\n[Service]\n") && text.contains("\nDynamicUser=yes\n"),
        "{text}"
    );
    let out = exposure(&["suggest", "--format=json", u], None);
    let v: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(v["unit"], "job.service");
    assert_eq!(v["exposure_before"].as_f64(), Some(9.6));
    assert!(v["exposure_after"].as_f64().unwrap() < 9.6);
    assert!(
        v["dropin"]
            .as_str()
            .unwrap()
            .starts_with("# Hardening suggested by Exposure")
    );
    let first = &v["lines"][0];
    assert!(
        first["setting"].is_string()
            && first["gain"].as_f64().unwrap() > 0.0
            && first["may_break"].is_string()
    );
    // Installing the drop-in gives the predicted score.
    std::fs::create_dir_all(d.join("job.service.d")).unwrap();
    std::fs::write(
        d.join("job.service.d/override.conf"),
        v["dropin"].as_str().unwrap(),
    )
    .unwrap();
    let out = exposure(&["--format=json", u], None);
    let r: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(r[0]["exposure"], v["exposure_after"]);
}

#[test]
fn systemctl_show_captures_are_scored_online() {
    let online = corpus_root().join("online");
    let recs = read_jsonl(&online.join("expected.jsonl.gz"));
    let r = recs
        .iter()
        .find(|r| r["unit"] == "chrony.service")
        .expect("chrony in the online corpus");
    let show = online.join("chrony/chrony.service/show.txt");
    let out = exposure(&["--format=json", show.to_str().unwrap()], None);
    let v: Vec<Value> = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(v[0]["checks"], r["checks"]);
    let e: f64 = r["exposure"].as_str().unwrap().parse().unwrap();
    assert_eq!(v[0]["exposure"].as_f64(), Some(e));
    // Forcing offline semantics reads the same text as a (meaningless) unit file instead.
    let out = exposure(
        &["--mode=offline", "--format=json", show.to_str().unwrap()],
        None,
    );
    let v: Vec<Value> = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(v[0]["unit"], "unit.service");
}
