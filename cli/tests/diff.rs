//! `exposure diff OLD NEW` (issue 17): the before/after report for a pull request. Scores are
//! compared with the installed systemd-analyze (252), never written down.

use std::path::Path;
use std::process::Output;

mod common;

use common::{run_in, systemd_exposure};
use exposure_core::checks::find;
use serde_json::Value;

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8(o.stderr.clone()).unwrap()
}

const OLD: &str = "[Unit]\nDescription=web\n[Service]\nExecStart=/usr/bin/web\nUser=web\n";
/// OLD with four protections (lines 6 to 9) and a misspelt key (line 10).
const NEW: &str = "[Unit]\nDescription=web\n[Service]\nExecStart=/usr/bin/web\nUser=web\n\
                   PrivateTmp=yes\nProtectSystem=strict\nProtectHome=yes\nPrivateNetwork=yes\n\
                   ProtectSytem=full\n";

/// old/web.service and new/web.service in a scratch folder.
fn project(tag: &str, old: &str, new: &str) -> std::path::PathBuf {
    let d = common::tmpdir("diff", tag);
    for (side, text) in [("old", old), ("new", new)] {
        std::fs::create_dir_all(d.join(side)).unwrap();
        std::fs::write(d.join(side).join("web.service"), text).unwrap();
    }
    d
}

/// `exposure diff --format json ARGS` in `dir`.
fn diff_json(dir: &Path, args: &[&str]) -> Value {
    let mut all = vec!["diff", "--format=json"];
    all.extend_from_slice(args);
    let out = run_in(Some(dir), &all, None);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let doc = serde_json::from_slice(&out.stdout).unwrap();
    valid(&doc);
    doc
}

/// Fails unless `doc` is valid against docs/exposure-diff.schema.json.
fn valid(doc: &Value) {
    static V: std::sync::OnceLock<jsonschema::Validator> = std::sync::OnceLock::new();
    let v = V.get_or_init(|| {
        common::compile_schema(
            include_str!("../../docs/exposure-diff.schema.json"),
            "the diff schema",
        )
    });
    let errors: Vec<String> = v
        .iter_errors(doc)
        .map(|e| format!("{}: {e}", e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{}", errors.join("\n"));
}

#[test]
fn a_hardening_change_is_reported_with_its_scores_lines_and_what_it_may_break() {
    let d = project("harden", OLD, NEW);
    let out = run_in(
        Some(&d),
        &["diff", "old/web.service", "new/web.service"],
        None,
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(stderr(&out), "");
    let md = stdout(&out);
    let doc = diff_json(&d, &["old/web.service", "new/web.service"]);
    assert_eq!(doc["exposure_diff"], 1);
    assert_eq!(doc["systemd_version"], "252");
    let u = &doc["units"][0];
    assert_eq!(u["unit"], "web.service");
    assert_eq!(u["status"], "better");
    let (before, after) = (
        u["before"]["exposure"].as_f64().unwrap(),
        u["after"]["exposure"].as_f64().unwrap(),
    );
    // The numbers are systemd's.
    if let Some(e) = systemd_exposure(&d.join("old/web.service")) {
        assert_eq!(format!("{before:.1}"), e);
    }
    if let Some(e) = systemd_exposure(&d.join("new/web.service")) {
        assert_eq!(format!("{after:.1}"), e);
    }
    let change = u["change"].as_f64().unwrap();
    assert!((change - (after - before)).abs() < 1e-9);
    assert!(change < 0.0);
    let (bp, ap) = (
        u["before"]["predicate"].as_str().unwrap(),
        u["after"]["predicate"].as_str().unwrap(),
    );
    assert!(
        md.contains(&format!(
            "| `web.service` | {before:.1} {bp} | {after:.1} {ap} | -{:.1} better |",
            -change
        )),
        "{md}"
    );
    assert!(md.contains(&format!(
        "### `web.service`: {before:.1} {bp} → {after:.1} {ap}"
    )));
    // Exactly the four checks the new lines pass changed, each set by its line.
    let checks = u["checks"].as_array().unwrap();
    let mut fields: Vec<&str> = checks
        .iter()
        .map(|c| c["check"].as_str().unwrap())
        .collect();
    fields.sort();
    assert_eq!(
        fields,
        [
            "PrivateNetwork",
            "PrivateTmp",
            "ProtectHome",
            "ProtectSystem"
        ]
    );
    for (field, line, directive) in [
        ("PrivateTmp", 6, "PrivateTmp=yes"),
        ("ProtectSystem", 7, "ProtectSystem=strict"),
        ("ProtectHome", 8, "ProtectHome=yes"),
        ("PrivateNetwork", 9, "PrivateNetwork=yes"),
    ] {
        let c = checks.iter().find(|c| c["check"] == field).unwrap();
        assert_eq!(c["better"], true);
        assert_eq!(c["worse"], false);
        assert_eq!(c["before"]["set"], false);
        assert_eq!(c["after"]["set"], true);
        assert_eq!(c["after"]["exposure"], Value::Null);
        assert!(c["change"].as_f64().unwrap() < 0.0);
        assert_eq!(
            c["lines"],
            serde_json::json!([{ "file": "new/web.service", "line": line, "directive": directive }])
        );
        let (_, check) = find(field).unwrap();
        assert_eq!(c["weight"], check.weight);
        assert_eq!(c["may_break"], check.doc.breaks);
        assert!(
            md.contains(&format!("`{directive}` (new/web.service:{line})")),
            "{md}"
        );
        assert!(md.contains(&format!(
            "**May break:** {}",
            check.doc.breaks.replace('`', "'")
        )));
    }
    // The largest change comes first.
    assert_eq!(checks[0]["check"], "PrivateNetwork");
    assert_eq!(
        u["new_diagnostics"][0]["at"], "new/web.service:10",
        "{}",
        u["new_diagnostics"]
    );
    assert!(
        md.contains("**New diagnostics:**\n\n- new/web.service:10: unknown-key: "),
        "{md}"
    );
}

#[test]
fn a_change_that_drops_a_protection_says_what_is_no_longer_protected() {
    let d = project("regress", NEW, OLD);
    let doc = diff_json(&d, &["old/web.service", "new/web.service"]);
    let u = &doc["units"][0];
    assert_eq!(u["status"], "worse");
    assert!(u["change"].as_f64().unwrap() > 0.0);
    let c = u["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["check"] == "PrivateTmp")
        .unwrap();
    assert_eq!(c["better"], false);
    assert_eq!(c["worse"], true);
    assert_eq!(c["may_break"], Value::Null);
    // The line the change removed, in the old file.
    assert_eq!(c["lines"][0]["file"], "old/web.service");
    assert_eq!(c["lines"][0]["line"], 6);
    assert_eq!(u["fixed_diagnostics"].as_array().unwrap().len(), 1);
    let out = run_in(Some(&d), &["diff", "old", "new"], None);
    let md = stdout(&out);
    assert!(md.contains("**No longer protected:**\n\n- `"), "{md}");
    assert!(
        md.contains("| before: `PrivateTmp=yes` (old/web.service:6) |"),
        "{md}"
    );
    assert!(
        md.contains("**Fixed diagnostics:**\n\n- unknown-key: "),
        "{md}"
    );
    assert!(md.contains("worse |"), "{md}");
}

#[test]
fn folders_pair_units_by_name_and_list_added_and_removed_ones() {
    let d = project("folders", OLD, OLD);
    std::fs::write(d.join("old/gone.service"), "[Service]\nExecStart=/x\n").unwrap();
    std::fs::write(
        d.join("new/added.service"),
        "[Service]\nExecStart=/x\nDynamicUser=yes\n",
    )
    .unwrap();
    // A drop-in beside the new unit is part of it.
    std::fs::create_dir_all(d.join("new/web.service.d")).unwrap();
    std::fs::write(
        d.join("new/web.service.d/harden.conf"),
        "[Service]\nPrivateTmp=yes\n",
    )
    .unwrap();
    let doc = diff_json(&d, &["old", "new"]);
    let status: Vec<(&str, &str)> = doc["units"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| (u["unit"].as_str().unwrap(), u["status"].as_str().unwrap()))
        .collect();
    assert!(status.contains(&("web.service", "better")), "{status:?}");
    assert!(status.contains(&("added.service", "added")), "{status:?}");
    assert!(status.contains(&("gone.service", "removed")), "{status:?}");
    let web = doc["units"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["unit"] == "web.service")
        .unwrap();
    assert_eq!(web["checks"][0]["check"], "PrivateTmp");
    assert_eq!(
        web["checks"][0]["lines"][0]["file"],
        "new/web.service.d/harden.conf"
    );
    assert_eq!(web["checks"][0]["lines"][0]["line"], 2);
    if let Some(e) = systemd_exposure(&d.join("new/web.service")) {
        assert_eq!(
            format!("{:.1}", web["after"]["exposure"].as_f64().unwrap()),
            e
        );
    }
    let added = doc["units"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["unit"] == "added.service")
        .unwrap();
    assert_eq!(added["before"], Value::Null);
    if let Some(e) = systemd_exposure(&d.join("new/added.service")) {
        assert_eq!(
            format!("{:.1}", added["after"]["exposure"].as_f64().unwrap()),
            e
        );
    }
    let md = stdout(&run_in(Some(&d), &["diff", "old", "new"], None));
    assert!(md.contains("| `added.service` | — | "), "{md}");
    assert!(md.contains(" | new unit |"), "{md}");
    assert!(md.contains("| `gone.service` | "), "{md}");
    assert!(md.contains(" | — | removed |"), "{md}");
    // A folder with no unit yet: every unit is new.
    std::fs::create_dir_all(d.join("empty")).unwrap();
    let doc = diff_json(&d, &["empty", "new"]);
    assert!(
        doc["units"]
            .as_array()
            .unwrap()
            .iter()
            .all(|u| u["status"] == "added")
    );
}

#[test]
fn a_systemctl_cat_capture_gives_the_lines_within_its_files() {
    let d = common::tmpdir("diff", "cat");
    std::fs::write(d.join("old.service"), OLD).unwrap();
    let cat = format!(
        "# /etc/systemd/system/web.service\n{OLD}\n# /etc/systemd/system/web.service.d/override.conf\n[Service]\nPrivateTmp=yes\n"
    );
    let out = run_in(
        Some(&d),
        &["diff", "--format=json", "old.service", "-"],
        Some(&cat),
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    valid(&doc);
    let c = &doc["units"][0]["checks"][0];
    assert_eq!(c["check"], "PrivateTmp");
    assert_eq!(
        c["lines"][0],
        serde_json::json!({ "file": "/etc/systemd/system/web.service.d/override.conf", "line": 2, "directive": "PrivateTmp=yes" })
    );
}

#[test]
fn unusable_inputs_fail_with_a_message() {
    let d = project("bad", OLD, NEW);
    let out = run_in(Some(&d), &["diff", "-", "-"], Some(OLD));
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        stderr(&out),
        "exposure: only one of OLD and NEW can be standard input\n"
    );
    let out = run_in(Some(&d), &["diff", "old/missing.service", "new"], None);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).starts_with("exposure: "), "{}", stderr(&out));
    assert!(out.stdout.is_empty());
    // --systemd-version before the subcommand is the subcommand's.
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_exposure"))
        .current_dir(&d)
        .args([
            "--systemd-version",
            "257",
            "diff",
            "--format=json",
            "old",
            "new",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["systemd_version"], "257");
}
