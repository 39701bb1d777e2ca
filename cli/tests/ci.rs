//! The command in CI (issue 17): the versioned JSON document and its schema, exit statuses
//! (`--threshold`, `--fail-on`), and what a packager runs into.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;

mod common;

use common::{VERSION, run_in};
use exposure_conformance::{corpus_root, read_jsonl};
use serde_json::Value;

fn exposure(args: &[&str], stdin: Option<&str>) -> Output {
    run_in(None, args, stdin)
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8(o.stderr.clone()).unwrap()
}

fn tmpdir(tag: &str) -> PathBuf {
    common::tmpdir("ci", tag)
}

fn validator() -> &'static jsonschema::Validator {
    static V: OnceLock<jsonschema::Validator> = OnceLock::new();
    V.get_or_init(|| {
        common::compile_schema(
            include_str!("../../docs/exposure-report.schema.json"),
            "the report schema",
        )
    })
}

/// Runs `exposure --format json ARGS` and returns the document, valid against
/// `docs/exposure-report.schema.json` (or the test fails).
fn document(args: &[&str], stdin: Option<&str>) -> (Value, Output) {
    let mut all = vec!["--format=json"];
    all.extend_from_slice(args);
    let out = exposure(&all, stdin);
    let doc: Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}\n{}", stdout(&out), stderr(&out)));
    let errors: Vec<String> = validator()
        .iter_errors(&doc)
        .map(|e| format!("{}: {e}", e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{}", errors.join("\n"));
    (doc, out)
}

const PLAIN: &str = "[Service]\nExecStart=/usr/bin/true\n";

#[test]
fn the_json_document_is_versioned_and_valid_for_the_whole_corpus() {
    let dev = corpus_root().join("dev");
    let recs = read_jsonl(&dev.join("expected.jsonl.gz"));
    let paths: Vec<String> = recs
        .iter()
        .map(|r| {
            let dir = Path::new(r["file"].as_str().unwrap()).parent().unwrap();
            dev.join(dir)
                .join(r["unit"].as_str().unwrap())
                .display()
                .to_string()
        })
        .collect();
    let args: Vec<&str> = paths.iter().map(String::as_str).collect();
    let (doc, out) = document(&args, None);
    assert_eq!(out.status.code(), Some(1), "masked units fail the run");
    assert_eq!(doc["schema_version"], 1);
    assert_eq!(doc["tool"]["name"], "exposure");
    assert_eq!(doc["tool"]["version"], env!("CARGO_PKG_VERSION"));
    assert_eq!(doc["systemd_version"], "252");
    let s = &doc["summary"];
    assert_eq!(s["units"].as_u64().unwrap() as usize, recs.len());
    let refused = recs
        .iter()
        .filter(|r| r["loaded"] == Value::Bool(false))
        .count();
    assert_eq!(s["refused"].as_u64().unwrap() as usize, refused);
    assert_eq!(s["failed"], true);
    assert_eq!(s["threshold"].as_f64(), Some(10.0));
    assert_eq!(s["above_threshold"], serde_json::json!([]));
    let highest = recs
        .iter()
        .filter_map(|r| r["exposure"].as_str())
        .map(|e| e.parse::<f64>().unwrap())
        .fold(0.0, f64::max);
    assert_eq!(s["highest_exposure"].as_f64(), Some(highest));
    assert_eq!(
        doc["units"][0]["file"].as_str(),
        Some(paths[0].as_str()),
        "each unit names its input"
    );
    // The schema is strict enough to refuse what would break a reader.
    for (path, bad) in [
        ("/schema_version", serde_json::json!(2)),
        ("/units/0/exposure", serde_json::json!("9.6")),
        ("/units/0/checks/0/set", serde_json::json!("yes")),
        ("/summary/fail_on", serde_json::json!("sometimes")),
    ] {
        let mut broken = doc.clone();
        *broken.pointer_mut(path).unwrap() = bad;
        assert!(!validator().is_valid(&broken), "{path}");
    }
    let mut broken = doc.clone();
    broken["summary"].as_object_mut().unwrap().remove("failed");
    assert!(!validator().is_valid(&broken));
}

#[test]
fn the_document_of_other_inputs_is_valid_too() {
    let cat = "# /lib/systemd/system/a.service\n[Service]\nExecStart=/x\nProtectSytem=strict\n\n# /lib/systemd/system/b.service\n[Service]\nUser=nobody\n";
    let (doc, out) = document(&["-"], Some(cat));
    assert_eq!(out.status.code(), Some(1), "b.service has no ExecStart=");
    let s = &doc["summary"];
    assert_eq!(
        (s["units"].as_u64(), s["refused"].as_u64()),
        (Some(2), Some(1))
    );
    assert_eq!(doc["units"][0]["file"], "<stdin>");
    assert!(s["diagnostics"]["warning"].as_u64().unwrap() >= 1);
    // systemctl show, and an input that cannot be read.
    let (doc, out) = document(
        &["-", "/nonexistent/x.service"],
        Some("Id=s.service\nExecStart={ path=/x ; }\n"),
    );
    assert_eq!(out.status.code(), Some(1));
    let unreadable = doc["summary"]["unreadable"].as_array().unwrap();
    assert_eq!(unreadable.len(), 1);
    assert!(unreadable[0].as_str().unwrap().contains("no such file"));
    assert_eq!(doc["units"].as_array().unwrap().len(), 1);
    // Text before the first header belongs to the first unit's diagnostics.
    let (doc, _) = document(&["-"], Some(&format!("junk\n{cat}")));
    assert_eq!(doc["units"][0]["diagnostics"][0]["code"], "outside-file");
}

#[test]
fn threshold_failures_name_the_units_that_crossed_it() {
    let d = tmpdir("threshold");
    std::fs::write(d.join("plain.service"), PLAIN).unwrap();
    std::fs::write(
        d.join("dyn.service"),
        "[Service]\nExecStart=/usr/bin/true\nDynamicUser=yes\n",
    )
    .unwrap();
    let out = run_in(
        Some(&d),
        &["--threshold=90", "plain.service", "dyn.service"],
        None,
    );
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        stderr(&out),
        "exposure: plain.service: 9.6 > 9.0 (--threshold 90)\n"
    );
    let out = run_in(
        Some(&d),
        &["--threshold=80", "plain.service", "dyn.service"],
        None,
    );
    assert_eq!(
        stderr(&out),
        "exposure: plain.service: 9.6 > 8.0 (--threshold 80)\n\
         exposure: dyn.service: 8.4 > 8.0 (--threshold 80)\n"
    );
    let (doc, _) = document(
        &[
            "--threshold=90",
            d.join("plain.service").to_str().unwrap(),
            d.join("dyn.service").to_str().unwrap(),
        ],
        None,
    );
    assert_eq!(
        doc["summary"]["above_threshold"],
        serde_json::json!(["plain.service"])
    );
    assert_eq!(doc["summary"]["threshold"].as_f64(), Some(9.0));
    let out = run_in(Some(&d), &["--threshold=96", "plain.service"], None);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(stderr(&out), "");
}

#[test]
fn fail_on_makes_diagnostics_fail_the_run() {
    let d = tmpdir("fail-on");
    // An unknown key is a warning; an invalid section header is an error (a fatal file).
    std::fs::write(
        d.join("typo.service"),
        "[Service]\nExecStart=/usr/bin/true\nProtectSytem=strict\n",
    )
    .unwrap();
    std::fs::write(d.join("clean.service"), PLAIN).unwrap();
    let code = |args: &[&str]| run_in(Some(&d), args, None).status.code();
    assert_eq!(code(&["typo.service"]), Some(0), "never is the default");
    assert_eq!(code(&["--fail-on=never", "typo.service"]), Some(0));
    assert_eq!(code(&["--fail-on=error", "typo.service"]), Some(0));
    let out = run_in(Some(&d), &["--fail-on=warning", "typo.service"], None);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains("typo.service:3: Unknown key ProtectSytem=")
            && err.ends_with(
                "exposure: 1 diagnostic at warning or error level (--fail-on warning)\n"
            ),
        "{err}"
    );
    assert_eq!(code(&["--fail-on=warning", "clean.service"]), Some(0));
    assert_eq!(code(&["--fail-on=bogus", "clean.service"]), Some(2));
    // An error-level diagnostic: a drop-in with an invalid section header is not read.
    std::fs::create_dir_all(d.join("clean.service.d")).unwrap();
    std::fs::write(
        d.join("clean.service.d/bad.conf"),
        "[Service\nPrivateTmp=yes\n",
    )
    .unwrap();
    let out = run_in(Some(&d), &["--fail-on=error", "clean.service"], None);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("(--fail-on error)"),
        "{}",
        stderr(&out)
    );
    // The JSON document says so.
    let (doc, _) = document(
        &[
            "--fail-on=warning",
            d.join("typo.service").to_str().unwrap(),
        ],
        None,
    );
    assert_eq!(doc["summary"]["fail_on"], "warning");
    assert_eq!(doc["summary"]["failed"], true);
    assert_eq!(doc["summary"]["diagnostics"]["warning"], 1);
}

#[test]
fn a_folder_scores_every_service_in_it_with_its_dropins() {
    let d = tmpdir("folder");
    for sub in [
        "units/sub",
        "units/web.service.d",
        "units/multi-user.target.wants",
    ] {
        std::fs::create_dir_all(d.join(sub)).unwrap();
    }
    std::fs::write(d.join("units/web.service"), PLAIN).unwrap();
    std::fs::write(
        d.join("units/web.service.d/10-dyn.conf"),
        "[Service]\nDynamicUser=yes\n",
    )
    .unwrap();
    std::fs::write(d.join("units/sub/job@.service"), PLAIN).unwrap();
    std::fs::write(d.join("units/sub/x.socket"), "[Socket]\nListenStream=1\n").unwrap();
    std::os::unix::fs::symlink(
        "../web.service",
        d.join("units/multi-user.target.wants/web.service"),
    )
    .unwrap();
    let out = run_in(Some(&d), &["units"], None);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(
        text.contains("Overall exposure level for job@i.service: 9.6 UNSAFE"),
        "{text}"
    );
    // The drop-in applies: 8.4, not 9.6.
    assert!(
        text.contains("Overall exposure level for web.service: 8.4 EXPOSED"),
        "{text}"
    );
    assert_eq!(text.matches("→ Overall").count(), 2, "{text}");
    let (doc, _) = document(&[d.join("units").to_str().unwrap()], None);
    let files: Vec<&str> = doc["units"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["file"].as_str().unwrap())
        .collect();
    assert_eq!(
        files,
        [
            d.join("units/sub/job@.service").display().to_string(),
            d.join("units/web.service").display().to_string()
        ]
    );
    // A folder without any is an input not read.
    std::fs::create_dir_all(d.join("empty")).unwrap();
    let out = run_in(Some(&d), &["empty"], None);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        stderr(&out),
        "exposure: empty: no service unit file (*.service) in this folder or below\n"
    );
}

#[test]
fn suggest_reads_standard_input_with_unit() {
    let job = "[Service]\nType=oneshot\nExecStart=/usr/bin/report\n";
    let out = exposure(
        &["suggest", "--format=json", "--unit=job.service", "-"],
        Some(job),
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["unit"], "job.service");
    assert_eq!(v["exposure_before"].as_f64(), Some(9.6));
    // The same as from a file.
    let d = tmpdir("suggest-stdin");
    std::fs::write(d.join("job.service"), job).unwrap();
    let from_file = run_in(Some(&d), &["suggest", "--format=json", "job.service"], None);
    let w: Value = serde_json::from_slice(&from_file.stdout).unwrap();
    assert_eq!(v["exposure_after"], w["exposure_after"]);
    assert_eq!(v["dropin"], w["dropin"]);
    // systemctl cat of several units: --unit chooses, and is required.
    let cat = "# /lib/systemd/system/a.service\n[Service]\nExecStart=/x\n\n# /lib/systemd/system/b.service\n[Service]\nExecStart=/y\nDynamicUser=yes\n";
    let out = exposure(&["suggest", "-"], Some(cat));
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        stderr(&out),
        "exposure: standard input holds 2 units (a.service, b.service); choose one with --unit NAME\n"
    );
    let out = exposure(
        &["suggest", "--format=json", "--unit=b.service", "-"],
        Some(cat),
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        (v["unit"].as_str(), v["exposure_before"].as_f64()),
        (Some("b.service"), Some(8.4))
    );
    let out = exposure(&["suggest", "--unit=c.service", "-"], Some(cat));
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("no unit c.service in it (it holds a.service, b.service)"));
    let out = exposure(&["suggest", "-"], Some("Id=a.service\nUser=x\n"));
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("systemctl show output"),
        "{}",
        stderr(&out)
    );
    let out = run_in(
        Some(&d),
        &["suggest", "--unit=x.service", "job.service"],
        None,
    );
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn diagnostics_of_a_piped_systemctl_cat_give_the_line_within_each_file() {
    let cat = "# /lib/systemd/system/a.service\n[Unit]\nDescription=a\n\n[Service]\nExecStart=/x\n\n# /etc/systemd/system/a.service.d/override.conf\n[Service]\n\n\n\n\n\n\n\n\n\nPrivateTmp=maybe\nProtectSytem=strict\n";
    let out = exposure(&["-"], Some(cat));
    let err = stderr(&out);
    assert!(
        err.contains("/etc/systemd/system/a.service.d/override.conf:11: PrivateTmp=maybe")
            && err.contains(
                "/etc/systemd/system/a.service.d/override.conf:12: Unknown key ProtectSytem="
            ),
        "{err}"
    );
    // As from the files themselves.
    let d = tmpdir("cat-lines");
    std::fs::write(
        d.join("a.service"),
        "[Unit]\nDescription=a\n\n[Service]\nExecStart=/x\n\n",
    )
    .unwrap();
    std::fs::create_dir_all(d.join("a.service.d")).unwrap();
    std::fs::write(
        d.join("a.service.d/override.conf"),
        "[Service]\n\n\n\n\n\n\n\n\n\nPrivateTmp=maybe\nProtectSytem=strict\n",
    )
    .unwrap();
    let out = run_in(Some(&d), &["a.service"], None);
    assert!(stderr(&out).contains("a.service.d/override.conf:12: Unknown key ProtectSytem="));
}

#[test]
fn explain_offers_the_check_that_was_meant() {
    let out = exposure(&["explain", "PrivatTmp"], None);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        stderr(&out),
        "exposure: no check or option named \"PrivatTmp\"; did you mean PrivateTmp? \
         `exposure explain` lists the checks\n"
    );
    let out = exposure(&["explain", "RestrictNamespace"], None);
    assert!(
        stderr(&out).contains("did you mean one of RestrictNamespaces_user, "),
        "{}",
        stderr(&out)
    );
    let out = exposure(&["explain", "Bogus"], None);
    assert_eq!(
        stderr(&out),
        "exposure: no check or option named \"Bogus\"; `exposure explain` lists the checks\n"
    );
}

#[test]
fn explain_teaches_options_no_check_scores() {
    let out = exposure(&["explain", "InaccessiblePaths="], None);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.starts_with("InaccessiblePaths=  (File system)\n"),
        "{text}"
    );
    assert!(
        text.contains("\nNot scored\n") && text.contains("/etc/letsencrypt"),
        "{text}"
    );
    assert!(text.contains("Manual: https://www.freedesktop.org/software/systemd/man/systemd.exec.html#InaccessiblePaths="));
    // An option many checks score lists them with their weights.
    let out = exposure(&["explain", "RestrictAddressFamilies"], None);
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        text.matches("RestrictAddressFamilies_").count(),
        5,
        "{text}"
    );
    assert!(text.contains("Since:  systemd 211"), "{text}");
}

#[test]
fn github_annotations_are_ranked_capped_and_summarized() {
    let d = tmpdir("github");
    // 12 UNSAFE units and one EXPOSED, plus a unit with a typo.
    for i in 0..12 {
        std::fs::write(d.join(format!("u{i:02}.service")), PLAIN).unwrap();
    }
    std::fs::write(
        d.join("dyn.service"),
        "[Service]\nExecStart=/usr/bin/true\nDynamicUser=yes\nProtectSytem=strict\n",
    )
    .unwrap();
    let summary = d.join("summary.md");
    let mut c = Command::new(env!("CARGO_BIN_EXE_exposure"));
    let out = c
        .args([VERSION, "--format=github", "--threshold=90", "."])
        .current_dir(&d)
        .env("GITHUB_STEP_SUMMARY", &summary)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    let lines: Vec<&str> = text.lines().collect();
    let errors: Vec<&&str> = lines.iter().filter(|l| l.starts_with("::error ")).collect();
    assert_eq!(errors.len(), 10, "{text}");
    assert_eq!(
        *errors[0],
        "::error file=u00.service,line=1,title=u00.service%3A 9.6 UNSAFE::75 of 81 checks fail. \
         Costing most: PrivateNetwork= (0.5), User=/DynamicUser= (0.4), RestrictNamespaces=~user \
         (0.3), CapabilityBoundingSet=~CAP_SET(UID|GID|PCAP) (0.3), \
         RestrictAddressFamilies=~AF_(INET|INET6) (0.3). `exposure suggest` proposes a drop-in."
    );
    let warnings: Vec<&&str> = lines
        .iter()
        .filter(|l| l.starts_with("::warning "))
        .collect();
    assert_eq!(warnings.len(), 2, "{text}");
    // The unit before its diagnostic: ranked by exposure.
    assert!(
        warnings[0]
            .starts_with("::warning file=dyn.service,line=1,title=dyn.service%3A 8.4 EXPOSED::")
    );
    assert!(warnings[1].starts_with("::warning file=dyn.service,line=4,title=dyn.service%3A unknown-key::Unknown key ProtectSytem="));
    assert_eq!(
        lines.len(),
        12,
        "only annotations on stdout when the summary goes to its file"
    );
    let md = std::fs::read_to_string(&summary).unwrap();
    assert!(md.starts_with("## Exposure\n"), "{md}");
    assert!(
        md.contains("| `dyn.service` | 8.4 | EXPOSED | dyn.service | `PrivateNetwork=`, "),
        "{md}"
    );
    assert!(
        md.contains("| `u11.service` | 9.6 ⛔ | UNSAFE | u11.service |"),
        "{md}"
    );
    assert!(
        md.contains("- 2 error annotations (GitHub shows 10 of each kind per step)"),
        "{md}"
    );
    assert!(
        md.contains("- u00.service: 9.6 > 9.0 (--threshold 90)"),
        "{md}"
    );
    // Without GITHUB_STEP_SUMMARY the summary follows the annotations.
    let out = run_in(Some(&d), &["--format=github", "dyn.service"], None);
    assert_eq!(out.status.code(), Some(0));
    let text = stdout(&out);
    assert!(
        text.contains("\n## Exposure\n") && text.contains("**Passed.**"),
        "{text}"
    );
}

#[test]
fn accepted_risks_keep_systemds_score_and_lower_the_one_the_threshold_sees() {
    let d = tmpdir("accept");
    let unit = "[Service]\nExecStart=/usr/bin/true\nDynamicUser=yes\nProtectSystem=strict\n\
                ProtectHome=yes\nPrivateDevices=yes\nCapabilityBoundingSet=\n\
                SystemCallFilter=@system-service\nRestrictNamespaces=yes\n\
                # exposure: accept PrivateNetwork -- serves DHCP on the host network\n";
    std::fs::write(d.join("dhcp.service"), unit).unwrap();
    std::fs::write(d.join("policy.json"), r#"{"PrivateNetwork":{"weight":0}}"#).unwrap();
    // The second number is the score of a weight-0 policy for the accepted check.
    let (with_policy, _) = document(
        &[
            "--security-policy",
            d.join("policy.json").to_str().unwrap(),
            d.join("dhcp.service").to_str().unwrap(),
        ],
        None,
    );
    let (doc, _) = document(&[d.join("dhcp.service").to_str().unwrap()], None);
    let u = &doc["units"][0];
    let systemd = u["exposure"].as_f64().unwrap();
    let plain = unit.replace("# exposure: accept", "# not accepted:");
    let (plain, _) = document(&["--unit=dhcp.service", "-"], Some(&plain));
    assert_eq!(
        Some(systemd),
        plain["units"][0]["exposure"].as_f64(),
        "systemd's score is unchanged"
    );
    assert_eq!(plain["units"][0]["exposure_accepted"], Value::Null);
    assert_eq!(u["exposure_accepted"], with_policy["units"][0]["exposure"]);
    let accepted = u["exposure_accepted"].as_f64().unwrap();
    assert!(accepted < systemd, "{accepted} {systemd}");
    let pred = |e: f64| match (e * 10.0).round() as u32 {
        100.. => "DANGEROUS",
        90..=99 => "UNSAFE",
        75..=89 => "EXPOSED",
        50..=74 => "MEDIUM",
        10..=49 => "OK",
        1..=9 => "SAFE",
        0 => "PERFECT",
    };
    assert_eq!(
        u["accepted"],
        serde_json::json!([{
            "check": "PrivateNetwork",
            "reason": "serves DHCP on the host network",
            "source": d.join("dhcp.service").display().to_string() + ":10",
            "expires": null,
        }])
    );
    // The table: systemd's lines as they are, then the accepted check and the second score.
    let out = run_in(Some(&d), &["dhcp.service"], None);
    let text = stdout(&out);
    let overall = format!(
        "\n→ Overall exposure level for dhcp.service: {systemd:.1} {} ",
        pred(systemd)
    );
    assert!(text.contains(&overall), "{text}");
    let tail = format!(
        "\n  accepted PrivateNetwork= (0.5): serves DHCP on the host network [dhcp.service:10]\n\
         → Exposure level with 1 accepted risk for dhcp.service: {accepted:.1} {} (the \
         threshold applies to it)\n",
        pred(accepted)
    );
    assert!(text.ends_with(&tail), "{text}");
    // --threshold compares the second score, and says so.
    let t = format!("--threshold={}", (accepted * 10.0).round() as u32);
    assert_eq!(
        run_in(Some(&d), &[&t, "dhcp.service"], None).status.code(),
        Some(0)
    );
    let out = run_in(Some(&d), &["--threshold=0", "dhcp.service"], None);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains(&format!(
            "exposure: dhcp.service: {accepted:.1} with 1 accepted risk (systemd's score: \
             {systemd:.1}) > 0.0 (--threshold 0)"
        )),
        "{}",
        stderr(&out)
    );
    // SARIF: the accepted finding is suppressed, with the reason.
    let out = run_in(
        Some(&d),
        &["--format=sarif", "--sarif-results=checks", "dhcp.service"],
        None,
    );
    let log: Value = serde_json::from_slice(&out.stdout).unwrap();
    let r = log["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["ruleId"] == "PrivateNetwork")
        .unwrap()
        .clone();
    assert_eq!(
        r["suppressions"],
        serde_json::json!([{
            "kind": "inSource",
            "status": "accepted",
            "justification": "serves DHCP on the host network (dhcp.service:10)",
        }])
    );
}

#[test]
fn an_acceptance_needs_a_reason_and_may_expire() {
    let d = tmpdir("accept-file");
    std::fs::write(
        d.join("web-a.service"),
        "[Service]\nExecStart=/usr/bin/true\n# exposure: accept ProtectHome\n",
    )
    .unwrap();
    std::fs::write(d.join("db.service"), PLAIN).unwrap();
    let (doc, out) = document(&[d.join("web-a.service").to_str().unwrap()], None);
    assert_eq!(out.status.code(), Some(0));
    let u = &doc["units"][0];
    assert_eq!(u["accepted"], serde_json::json!([]));
    assert_eq!(u["exposure_accepted"], Value::Null);
    assert_eq!(u["diagnostics"][0]["code"], "accept-without-reason");
    assert_eq!(u["diagnostics"][0]["span"]["line"], 3);
    let out = run_in(Some(&d), &["--fail-on=warning", "web-a.service"], None);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("web-a.service:3: exposure: accept without a reason accepts nothing"),
        "{}",
        stderr(&out)
    );
    // --accept: a glob, a reason, an expiry date.
    std::fs::write(
        d.join("accept.json"),
        r#"{"accept": [
            {"unit": "web-*.service", "checks": ["PrivateNetwork", "PrivatTmp"], "reason": "a web server", "expires": "2999-12-31"},
            {"unit": "*.service", "checks": ["ProtectHome"], "reason": "old", "expires": "2001-01-01"},
            {"unit": "db.service", "checks": ["PrivateUsers"]}
        ]}"#,
    )
    .unwrap();
    let (doc, out) = document(
        &[
            "--accept",
            d.join("accept.json").to_str().unwrap(),
            d.join("web-a.service").to_str().unwrap(),
            d.join("db.service").to_str().unwrap(),
        ],
        None,
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let web = &doc["units"][0];
    let checks: Vec<&str> = web["accepted"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["check"].as_str().unwrap())
        .collect();
    assert_eq!(checks, ["PrivateNetwork"]);
    assert_eq!(web["accepted"][0]["expires"], "2999-12-31");
    let codes = |u: &Value| -> Vec<String> {
        u["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| d["code"].as_str().unwrap().to_owned())
            .collect()
    };
    assert_eq!(
        codes(web),
        [
            "accept-without-reason",
            "accept-unknown-check",
            "accept-expired"
        ]
    );
    let db = &doc["units"][1];
    assert_eq!(db["accepted"], serde_json::json!([]));
    assert_eq!(codes(db), ["accept-expired", "accept-without-reason"]);
    // A file that is not what it should be stops the run.
    std::fs::write(
        d.join("bad.json"),
        r#"{"accept": [{"unit": "x", "checks": ["PrivateTmp"], "expires": "soon"}]}"#,
    )
    .unwrap();
    let out = run_in(Some(&d), &["--accept=bad.json", "db.service"], None);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        stderr(&out),
        "exposure: cannot use the accepted risks: bad.json: accept[0]: expires must be a date, YYYY-MM-DD (not \"soon\")\n"
    );
}

#[test]
fn odd_inputs_never_panic_in_any_format() {
    let inputs = [
        "",
        "\n\n",
        "# /lib/systemd/system/a.service\n",
        "# /lib/systemd/system/a.service\n# /etc/systemd/system/a.service.d/x.conf\n",
        "junk before\n# /x/b@.service\n[Service]\nExecStart=/x\n# exposure: accept\n# exposure: accept -- why\n; exposure: accept Bogus, -- why\n",
        "Id=\nExecStart=\n",
        "Id=a.service\n\nId=a.service\n",
        "[Service\nExecStart=/x\n",
        "[Service]\nExecStart=/x\n# exposure: accept PrivateNetwork PrivateTmp UserOrDynamicUser -- all\n",
    ];
    for text in inputs {
        for format in ["table", "json", "sarif", "github"] {
            for extra in [
                &[][..],
                &[
                    "--sarif-results=checks",
                    "--fail-on=warning",
                    "--threshold=0",
                ][..],
            ] {
                let mut args = vec!["--format", format];
                args.extend_from_slice(extra);
                args.push("-");
                let out = exposure(&args, Some(text));
                assert!(
                    matches!(out.status.code(), Some(0 | 1)),
                    "{format} {extra:?} {text:?}: {:?}\n{}",
                    out.status,
                    stderr(&out)
                );
                if format == "json" {
                    document(&args[2..], Some(text));
                }
            }
        }
        let out = exposure(&["suggest", "-"], Some(text));
        assert!(
            matches!(out.status.code(), Some(0 | 1)),
            "suggest {text:?}: {}",
            stderr(&out)
        );
    }
}
