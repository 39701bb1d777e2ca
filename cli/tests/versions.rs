//! `--systemd-version` end to end: on every command, in JSON, and `all` side by side. The
//! scores are compared with what the real releases printed for `corpus/versions`.

use std::process::{Command, Output, Stdio};

use exposure_conformance::{corpus_root, read_jsonl};
use serde_json::Value;

fn exposure(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_exposure"))
        .args(args)
        .env("LANG", "C.UTF-8")
        .env("SYSTEMD_EMOJI", "0")
        .stdin(Stdio::null())
        .output()
        .expect("run exposure")
}

fn text(b: &[u8]) -> String {
    String::from_utf8(b.to_vec()).unwrap()
}

/// The recorded output of `release` for each unit of corpus/versions, by file.
fn recorded(release: &str) -> Vec<Value> {
    read_jsonl(
        &corpus_root()
            .join("versions")
            .join(format!("expected-{release}.jsonl.gz")),
    )
}

fn unit_path(r: &Value) -> String {
    corpus_root()
        .join("versions")
        .join(r["file"].as_str().unwrap())
        .display()
        .to_string()
}

#[test]
fn json_carries_the_version_and_its_score() {
    for (release, version) in [("trixie", "debian-13"), ("sid", "262")] {
        for r in recorded(release).iter().take(20) {
            let out = exposure(&[
                "--systemd-version",
                version,
                "--format",
                "json",
                &unit_path(r),
            ]);
            let v: Value = serde_json::from_slice(&out.stdout).unwrap();
            assert_eq!(
                v["systemd_version"],
                Value::from(if release == "sid" { "262" } else { "257" })
            );
            let u = &v["units"][0];
            assert_eq!(
                u["systemd_version"],
                Value::from(if release == "sid" { "262" } else { "257" })
            );
            assert_eq!(u["systemd_version_evidence"], "verified");
            assert_eq!(u["unit"], r["assessed_as"]);
            assert_eq!(
                format!("{:.1}", u["exposure"].as_f64().unwrap()),
                r["exposure"].as_str().unwrap(),
                "{}",
                r["file"]
            );
            assert_eq!(u["checks"], r["checks"], "{}", r["file"]);
        }
    }
}

#[test]
fn the_table_is_the_release_s_own_overall_line() {
    for r in recorded("bookworm-backports").iter().take(10) {
        let out = exposure(&[
            "--systemd-version",
            "254",
            "--color",
            "never",
            &unit_path(r),
        ]);
        let stdout = text(&out.stdout);
        let last = stdout.lines().last().unwrap();
        // (The recorded line was captured without a terminal, so without the face.)
        assert!(
            last.starts_with(r["overall_line"].as_str().unwrap()),
            "{last}"
        );
    }
}

#[test]
fn all_versions_side_by_side() {
    let recs = [recorded("bookworm"), recorded("trixie"), recorded("sid")];
    let t04 = |rs: &[Value]| {
        rs.iter()
            .find(|r| r["file"].as_str().unwrap().contains("t04-ptmp-disc"))
            .cloned()
            .unwrap()
    };
    let path = unit_path(&t04(&recs[0]));
    let out = exposure(&["--systemd-version", "all", "--format", "json", &path]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let scores = v[0]["scores"].as_array().unwrap();
    assert_eq!(scores.len(), 12);
    let score = |id: &str| {
        scores
            .iter()
            .find(|s| s["systemd_version"] == id)
            .unwrap()
            .clone()
    };
    for (id, rec) in [("252", &recs[0]), ("257", &recs[1]), ("262", &recs[2])] {
        assert_eq!(
            format!("{:.1}", score(id)["exposure"].as_f64().unwrap()),
            t04(rec)["exposure"].as_str().unwrap(),
            "{id}"
        );
    }
    assert!(
        score("249")["error"]
            .as_str()
            .unwrap()
            .contains("no offline mode")
    );
    assert_eq!(score("255")["systemd_version_evidence"], "derived");

    let out = exposure(&["--systemd-version", "all", &path]);
    let table = text(&out.stdout);
    let mut lines = table.lines();
    let header: Vec<&str> = lines.next().unwrap().split_whitespace().collect();
    assert_eq!(header[0], "UNIT");
    assert_eq!(header.len(), 13);
    let row: Vec<&str> = lines.next().unwrap().split_whitespace().collect();
    assert_eq!(row[0], "t04-ptmp-disc.service");
    assert_eq!(row[1], "n/a");
    assert_eq!(row[2], t04(&recs[0])["exposure"].as_str().unwrap());
    assert_eq!(row[12], t04(&recs[2])["exposure"].as_str().unwrap());
    assert!(table.contains("252, 254, 257, 262 are verified against real binaries"));
}

#[test]
fn every_command_takes_the_version() {
    let r = &recorded("trixie")[3];
    let path = unit_path(r);
    let out = exposure(&[
        "suggest",
        "--format",
        "json",
        "--systemd-version",
        "257",
        &path,
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["systemd_version"], "257");
    assert_eq!(
        format!("{:.1}", v["exposure_before"].as_f64().unwrap()),
        r["exposure"].as_str().unwrap()
    );

    let out = exposure(&["explain", "PrivateTmp", "--systemd-version", "252"]);
    let s = text(&out.stdout);
    assert!(
        s.contains("PrivateTmp=disconnected is ignored here (needs 257)"),
        "{s}"
    );
    let out = exposure(&[
        "--systemd-version",
        "rhel-9",
        "explain",
        "CapabilityBoundingSet_CAP_BPF",
    ]);
    assert!(text(&out.stdout).contains("this check does not exist"));
    let out = exposure(&["--systemd-version", "249", "explain"]);
    assert!(text(&out.stdout).contains("RestrictNamespaces=~CLONE_NEWUSER"));
}

#[test]
fn bad_versions_and_unit_files_for_249_are_refused_with_a_reason() {
    let out = exposure(&["--systemd-version", "263", "x.service"]);
    assert_eq!(out.status.code(), Some(2));
    let e = text(&out.stderr);
    assert!(e.contains("unsupported systemd version \"263\""), "{e}");
    assert!(e.contains("257 (debian-13"), "{e}");
    let out = exposure(&["explain", "--systemd-version", "all", "PrivateTmp"]);
    assert_eq!(out.status.code(), Some(2));

    let path = unit_path(&recorded("bookworm")[0]);
    let out = exposure(&["--systemd-version", "ubuntu-22.04", &path]);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("systemd 249 has no offline mode"));
}
