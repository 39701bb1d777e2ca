//! Baselines (issue 17): `--write-baseline` records a run, `--baseline` fails only on what got
//! worse and reports what got better. Exposures are compared with the installed
//! systemd-analyze (252), never written down.

use std::path::Path;
use std::process::Output;

mod common;

use common::{run_in, systemd_exposure};
use serde_json::Value;

fn stderr(o: &Output) -> String {
    String::from_utf8(o.stderr.clone()).unwrap()
}

const WEB: &str = "[Unit]\nDescription=web\n[Service]\nExecStart=/usr/bin/web\nPrivateTmp=yes\n\
                   ProtectSystem=strict\nNoNewPrivileges=yes\n";
const DB: &str = "[Service]\nExecStart=/usr/bin/db\nUser=db\n";

/// A scratch project: units/web.service and units/db.service.
fn project(tag: &str) -> std::path::PathBuf {
    let d = common::tmpdir("baseline", tag);
    std::fs::create_dir_all(d.join("units")).unwrap();
    std::fs::write(d.join("units/web.service"), WEB).unwrap();
    std::fs::write(d.join("units/db.service"), DB).unwrap();
    d
}

/// The exposure systemd-analyze gives `unit`, as the baseline writes it (a JSON number).
fn systemd(unit: &Path) -> Option<f64> {
    systemd_exposure(unit).map(|e| e.parse().unwrap())
}

/// A baseline file, valid against docs/exposure-baseline.schema.json (or the test fails).
fn read_json(p: &Path) -> Value {
    let v: Value = serde_json::from_str(&std::fs::read_to_string(p).unwrap()).unwrap();
    let schema = common::compile_schema(
        include_str!("../../docs/exposure-baseline.schema.json"),
        "the baseline schema",
    );
    let errors: Vec<String> = schema
        .iter_errors(&v)
        .map(|e| format!("{}: {e}", e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{}", errors.join("\n"));
    v
}

#[test]
fn a_baseline_records_each_unit_and_tolerates_what_it_recorded() {
    let d = project("record");
    let out = run_in(
        Some(&d),
        &[
            "--threshold=50",
            "--write-baseline=exposure-baseline.json",
            "units",
        ],
        None,
    );
    // Both units are above 5.0, but recording is not judging.
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(
        stderr(&out),
        "exposure: exposure-baseline.json: the baseline of 2 units written\n"
    );
    let b = read_json(&d.join("exposure-baseline.json"));
    assert_eq!(b["exposure_baseline"], 1);
    assert_eq!(b["systemd_version"], "252");
    let units = b["units"].as_array().unwrap();
    let names: Vec<&str> = units.iter().map(|u| u["unit"].as_str().unwrap()).collect();
    assert_eq!(names, ["db.service", "web.service"], "sorted by name");
    for u in units {
        let file = u["file"].as_str().unwrap();
        if let Some(e) = systemd(&d.join(file)) {
            assert_eq!(u["exposure"].as_f64(), Some(e), "{file}");
        }
        assert_eq!(u["refused"], false);
    }
    let failing = |i: usize| -> Vec<&str> {
        units[i]["failing"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f.as_str().unwrap())
            .collect()
    };
    assert!(failing(0).contains(&"PrivateTmp"), "db has no PrivateTmp=");
    assert!(
        !failing(1).contains(&"PrivateTmp"),
        "web has PrivateTmp=yes"
    );
    assert!(!failing(0).contains(&"UserOrDynamicUser"));

    // The same units against it: nothing regressed, whatever the threshold says.
    let out = run_in(
        Some(&d),
        &[
            "--threshold=50",
            "--baseline=exposure-baseline.json",
            "units",
        ],
        None,
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(
        stderr(&out),
        "exposure: baseline: no regression against exposure-baseline.json\n"
    );
    // Without the baseline, the threshold fails them.
    let out = run_in(Some(&d), &["--threshold=50", "units"], None);
    assert_eq!(out.status.code(), Some(1));
    // Writing the same units again gives the same file, byte for byte (it is committed).
    let before = std::fs::read(d.join("exposure-baseline.json")).unwrap();
    run_in(
        Some(&d),
        &["--write-baseline=exposure-baseline.json", "units"],
        None,
    );
    assert_eq!(
        std::fs::read(d.join("exposure-baseline.json")).unwrap(),
        before
    );
}

#[test]
fn regressions_fail_the_run_and_improvements_are_reported() {
    let d = project("regress");
    let out = run_in(Some(&d), &["--write-baseline=b.json", "units"], None);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let web_before = systemd(&d.join("units/web.service"));
    let db_before = systemd(&d.join("units/db.service"));
    // web loses PrivateTmp=, db gains ProtectHome= (and a misspelt key), a new unit appears.
    std::fs::write(
        d.join("units/web.service"),
        WEB.replace("PrivateTmp=yes\n", ""),
    )
    .unwrap();
    std::fs::write(
        d.join("units/db.service"),
        format!("{DB}ProtectHome=yes\nProtectSytem=full\n"),
    )
    .unwrap();
    std::fs::write(d.join("units/new.service"), "[Service]\nExecStart=/x\n").unwrap();
    let web_after = systemd(&d.join("units/web.service"));
    let db_after = systemd(&d.join("units/db.service"));
    let new = systemd(&d.join("units/new.service"));

    let out = run_in(
        Some(&d),
        &["--threshold=50", "--baseline=b.json", "units"],
        None,
    );
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let err = stderr(&out);
    let ours = |unit: &str| -> String {
        // Our own numbers, checked against systemd's below where it is installed.
        let o = run_in(Some(&d), &["--format=json", unit], None);
        let v: Value = serde_json::from_slice(&o.stdout).unwrap();
        format!("{:.1}", v["units"][0]["exposure"].as_f64().unwrap())
    };
    let (wb, wa) = (
        web_before.map(|e| format!("{e:.1}")),
        web_after.map(|e| format!("{e:.1}")),
    );
    if let (Some(wb), Some(wa)) = (&wb, &wa) {
        assert!(wa > wb, "dropping PrivateTmp= raises the exposure");
        assert!(
            err.contains(&format!(
                "exposure: regression against b.json: web.service: exposure {wb} → {wa} (baseline {wb})\n"
            )),
            "{err}"
        );
    }
    assert!(
        err.contains(
            "exposure: regression against b.json: web.service: a check newly fails: PrivateTmp\n"
        ),
        "{err}"
    );
    let n = ours("units/new.service");
    if let Some(e) = new {
        assert_eq!(n, format!("{e:.1}"));
    }
    assert!(
        err.contains(&format!(
            "exposure: regression against b.json: new.service: new, {n} > 5.0 (--threshold 50)\n"
        )),
        "{err}"
    );
    if let (Some(b), Some(a)) = (db_before, db_after) {
        assert!(
            err.contains(&format!(
                "exposure: baseline: improved: db.service: exposure {b:.1} → {a:.1}\n"
            )),
            "{err}"
        );
    }
    assert!(
        err.contains("exposure: baseline: improved: db.service: passes now: ProtectHome\n"),
        "{err}"
    );
    // The misspelt key is a new warning: a note unless --fail-on counts it.
    assert!(
        err.contains("exposure: baseline: db.service: new warning: unknown-key: ")
            && err.contains("(not failing: --fail-on never)"),
        "{err}"
    );
    assert!(!err.contains("no regression"), "{err}");
    let out = run_in(
        Some(&d),
        &["--fail-on=warning", "--baseline=b.json", "units"],
        None,
    );
    assert!(
        stderr(&out).contains(
            "exposure: regression against b.json: db.service: new warning: unknown-key: "
        ),
        "{}",
        stderr(&out)
    );

    // A ratchet does not record regressions.
    let before = std::fs::read(d.join("b.json")).unwrap();
    let out = run_in(
        Some(&d),
        &["--baseline=b.json", "--write-baseline=b.json", "units"],
        None,
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("exposure: b.json: not written: there are regressions\n"));
    assert_eq!(std::fs::read(d.join("b.json")).unwrap(), before);

    // Undo web's regression and drop the new unit: the improvements are recorded.
    std::fs::write(d.join("units/web.service"), WEB).unwrap();
    std::fs::remove_file(d.join("units/new.service")).unwrap();
    let out = run_in(
        Some(&d),
        &["--baseline=b.json", "--write-baseline=b.json", "units"],
        None,
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        stderr(&out).contains(
            "exposure: baseline: no regression against b.json (--write-baseline records the improvements)\n"
        ),
        "{}",
        stderr(&out)
    );
    let b = read_json(&d.join("b.json"));
    let db = &b["units"][0];
    assert_eq!(db["unit"], "db.service");
    assert_eq!(db["diagnostics"].as_array().unwrap().len(), 1);
    if let Some(a) = db_after {
        assert_eq!(db["exposure"].as_f64(), Some(a));
    }
    // A unit the baseline knows and this run does not have is a note.
    let out = run_in(Some(&d), &["--baseline=b.json", "units/db.service"], None);
    assert_eq!(out.status.code(), Some(0));
    assert!(
        stderr(&out).contains(
            "exposure: baseline: web.service: in the baseline (units/web.service), not in this run\n"
        ),
        "{}",
        stderr(&out)
    );
}

#[test]
fn a_json_document_serves_as_a_baseline_and_reports_the_comparison() {
    let d = project("document");
    let out = run_in(Some(&d), &["--format=json", "units"], None);
    std::fs::write(d.join("report.json"), &out.stdout).unwrap();
    let out = run_in(
        Some(&d),
        &["--threshold=50", "--baseline=report.json", "units"],
        None,
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    std::fs::write(
        d.join("units/web.service"),
        WEB.replace("PrivateTmp=yes\n", ""),
    )
    .unwrap();
    let out = run_in(
        Some(&d),
        &["--format=json", "--baseline=report.json", "units"],
        None,
    );
    assert_eq!(out.status.code(), Some(1));
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    let schema = common::compile_schema(
        include_str!("../../docs/exposure-report.schema.json"),
        "the report schema",
    );
    assert!(
        schema.is_valid(&doc),
        "the document with a baseline is valid"
    );
    assert_eq!(doc["summary"]["failed"], true);
    assert_eq!(doc["baseline"]["file"], "report.json");
    let regressions: Vec<&str> = doc["baseline"]["regressions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r.as_str().unwrap())
        .collect();
    assert!(regressions.contains(&"web.service: a check newly fails: PrivateTmp"));
    // The job summary has the comparison.
    let out = run_in(
        Some(&d),
        &["--format=github", "--baseline=report.json", "units"],
        None,
    );
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("### Against the baseline `report.json`"),
        "{text}"
    );
    assert!(
        text.contains("**Regressions:**\n\n")
            && text.contains("- web.service: a check newly fails: PrivateTmp\n"),
        "{text}"
    );
    assert!(text.contains(
        "- regression against report.json: web.service: a check newly fails: PrivateTmp\n"
    ));
}

#[test]
fn a_baseline_of_another_version_or_no_baseline_at_all_is_refused() {
    let d = project("refused");
    run_in(Some(&d), &["--write-baseline=b.json", "units"], None);
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_exposure"))
        .current_dir(&d)
        .args(["--systemd-version=257", "--baseline=b.json", "units"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        stderr(&out),
        "exposure: b.json: the baseline is of systemd 252, this run scores as 257: pass \
         --systemd-version=252 or write the baseline again\n"
    );
    assert!(
        out.stdout.is_empty(),
        "nothing is scored against the wrong baseline"
    );
    std::fs::write(d.join("bad.json"), "{\"units\": 3}").unwrap();
    let out = run_in(Some(&d), &["--baseline=bad.json", "units"], None);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        stderr(&out),
        "exposure: bad.json: not a baseline: no \"systemd_version\"\n"
    );
    let out = run_in(Some(&d), &["--baseline=missing.json", "units"], None);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).starts_with("exposure: cannot read the baseline: "));
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_exposure"))
        .current_dir(&d)
        .args(["--systemd-version=all", "--baseline=b.json", "units"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        stderr(&out),
        "exposure: a baseline is of one systemd version, not of --systemd-version all\n"
    );
}

#[test]
fn a_refused_unit_is_recorded_and_fails_only_when_newly_refused() {
    let d = project("refused-unit");
    // An empty unit file is a masked unit: systemd refuses it, and so the run fails.
    std::fs::write(d.join("units/masked.service"), "").unwrap();
    let out = run_in(Some(&d), &["units"], None);
    assert_eq!(out.status.code(), Some(1));
    run_in(Some(&d), &["--write-baseline=b.json", "units"], None);
    let b = read_json(&d.join("b.json"));
    let masked = b["units"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["unit"] == "masked.service")
        .unwrap();
    assert_eq!(masked["refused"], true);
    assert_eq!(masked["exposure"], Value::Null);
    let out = run_in(Some(&d), &["--baseline=b.json", "units"], None);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    // A unit that loaded before and is refused now regresses.
    std::fs::write(d.join("units/web.service"), "").unwrap();
    let out = run_in(Some(&d), &["--baseline=b.json", "units"], None);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains(
            "exposure: regression against b.json: web.service: systemd would not load it any more ("
        ),
        "{}",
        stderr(&out)
    );
}
