//! The `exposure` binary end to end: formats, exit statuses, drop-in discovery, stdin.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use exposure_conformance::{corpus_root, read_jsonl};

mod common;
use serde_json::Value;

fn exposure(args: &[&str], stdin: Option<&str>) -> Output {
    let input = stdin.map_or(Input::None, |s| Input::Bytes(s.as_bytes()));
    run(Command::new(env!("CARGO_BIN_EXE_exposure")), args, input)
}

/// What the binary reads on standard input.
enum Input<'a> {
    None,
    Bytes(&'a [u8]),
    File(&'a Path),
}

/// Runs the binary with at most 1 GB of address space and for at most 20 s: a regression
/// that reads without bound or blocks then fails (out of memory, or status 124) instead of
/// exhausting the machine or hanging the test run.
fn guarded(args: &[&str], stdin: Input<'_>) -> Output {
    let mut c = Command::new("sh");
    c.arg("-c")
        .arg(r#"ulimit -v 1000000 && exec timeout 20 "$0" "$@""#)
        .arg(env!("CARGO_BIN_EXE_exposure"));
    let out = run(c, args, stdin);
    assert_ne!(out.status.code(), Some(124), "timed out: {args:?}");
    out
}

/// Runs the binary as systemd 252 scores (the version installed here, whose outputs these
/// tests compare with), unless the test names another version itself.
fn run(mut c: Command, args: &[&str], stdin: Input<'_>) -> Output {
    if !args.contains(&"--systemd-version") {
        c.args(["--systemd-version", "252"]);
    }
    c.args(args)
        .env("LANG", "C.UTF-8")
        .env("TERM", "xterm")
        .env_remove("NO_COLOR")
        .stdin(match stdin {
            Input::File(p) => Stdio::from(std::fs::File::open(p).unwrap()),
            _ => Stdio::piped(),
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = c.spawn().expect("run exposure");
    if let Input::Bytes(s) = stdin {
        use std::io::Write;
        // The binary may refuse the input before reading it all.
        let _ = child.stdin.take().unwrap().write_all(s);
    } else {
        drop(child.stdin.take());
    }
    child.wait_with_output().unwrap()
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8(o.stderr.clone()).unwrap()
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
    let doc: Value = serde_json::from_str(&stdout(&out)).unwrap();
    let v = doc["units"].as_array().unwrap();
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
        // The line within b.service (line 12 of the paste, whose line 9 is b's header).
        err.contains("/lib/systemd/system/b.service:3: Unknown key ProtectSytem="),
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
    let out = exposure(
        &[
            "--format=sarif",
            "--sarif-results=checks",
            unit.to_str().unwrap(),
        ],
        None,
    );
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
fn explain_links_the_learn_entry() {
    let t = stdout(&exposure(&["explain", "PrivateTmp"], None));
    assert!(
        t.contains("\nLearn:  #learn/PrivateTmp in the page's Learn view"),
        "{t}"
    );
    let t = stdout(&exposure(
        &[
            "explain",
            "ReadWritePaths=",
            "--learn-url",
            "https://example.org/x/",
        ],
        None,
    ));
    assert!(
        t.contains("\nLearn:  https://example.org/x/#learn/ReadWritePaths\n"),
        "{t}"
    );
    // A check many of whose kind one option sets links that option's entry; the address may
    // come from the environment.
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_exposure"))
        .args(["explain", "CapabilityBoundingSet_CAP_SYS_ADMIN"])
        .env("EXPOSURE_LEARN_URL", "https://example.org/y/")
        .output()
        .unwrap();
    let t = stdout(&out);
    assert!(
        t.contains("\nLearn:  https://example.org/y/#learn/CapabilityBoundingSet\n"),
        "{t}"
    );
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
    // Standard output is the drop-in alone; the steps to install, check and undo it follow
    // the summary on standard error.
    assert!(!text.contains("systemctl revert"), "{text}");
    let err = stderr(&out);
    for step in [
        "sudo install -D -m 0644 exposure-hardening.conf /etc/systemd/system/job.service.d/exposure-hardening.conf && sudo systemctl daemon-reload",
        "sudo systemctl restart job.service && systemctl is-active job.service",
        "journalctl -u job.service -b -n 50",
        "systemd-analyze security job.service",
        "sudo rm /etc/systemd/system/job.service.d/exposure-hardening.conf && sudo systemctl daemon-reload",
        "sudo systemctl revert job.service",
    ] {
        assert!(err.contains(step), "{step} missing:\n{err}");
    }
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
    let steps = v["steps"].as_array().unwrap();
    assert!(steps.iter().any(|s| s["kind"] == "undo"
        && s["command"]
            == "sudo systemctl revert job.service && sudo systemctl restart job.service"));
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
    assert_eq!(r["units"][0]["exposure"], v["exposure_after"]);
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
    let doc: Value = serde_json::from_str(&stdout(&out)).unwrap();
    let v = &doc["units"];
    assert_eq!(v[0]["checks"], r["checks"]);
    let e: f64 = r["exposure"].as_str().unwrap().parse().unwrap();
    assert_eq!(v[0]["exposure"].as_f64(), Some(e));
    // Forcing offline semantics reads the same text as a (meaningless) unit file instead.
    let out = exposure(
        &["--mode=offline", "--format=json", show.to_str().unwrap()],
        None,
    );
    let doc: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(doc["units"][0]["unit"], "unit.service");
}

// ---- Bounded reads (issue 11): nothing read past the limit, nothing that blocks. ----

const LIMIT_HIT: &str = "more than 16,777,216 bytes, over the 16 MiB limit; reading stopped there";

#[test]
fn dev_zero_on_standard_input_stops_one_byte_past_the_limit() {
    let out = guarded(&["-"], Input::File(Path::new("/dev/zero")));
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        stderr(&out),
        format!("exposure: standard input: {LIMIT_HIT}\n")
    );
    assert!(out.stdout.is_empty());
}

#[test]
fn a_unit_that_is_a_character_device_is_masked_without_being_read() {
    let d = tmpdir("chardev");
    let unit = d.join("zero.service");
    std::os::unix::fs::symlink("/dev/zero", &unit).unwrap();
    let out = guarded(&[unit.to_str().unwrap()], Input::None);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains("zero.service: is a character device, which systemd reads as empty"),
        "{err}"
    );
    assert!(
        err.contains("not assessed: Unit zero.service is masked"),
        "{err}"
    );
    // As a capture (a name that is no unit's), a device is refused outright.
    let out = guarded(&["/dev/zero"], Input::None);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        stderr(&out),
        "exposure: /dev/zero: is a character device, not a regular file\n"
    );
}

#[test]
fn a_policy_that_is_a_device_is_refused() {
    let d = tmpdir("policy-dev");
    let unit = d.join("p.service");
    std::fs::write(&unit, "[Service]\nExecStart=/usr/bin/true\n").unwrap();
    let out = guarded(
        &["--security-policy", "/dev/zero", unit.to_str().unwrap()],
        Input::None,
    );
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        stderr(&out),
        "exposure: cannot read the security policy: /dev/zero: is a character device, not a \
         regular file\n"
    );
    assert!(out.stdout.is_empty());
}

#[test]
fn a_sparse_gigabyte_is_refused_from_its_size_without_being_read() {
    let d = tmpdir("sparse");
    let refusal = "1024.0 MiB (1,073,741,824 bytes) is over the 16 MiB limit; not read\n";
    for name in ["sparse.service", "sparse.txt"] {
        let p = d.join(name);
        std::fs::File::create(&p).unwrap().set_len(1 << 30).unwrap();
        let started = std::time::Instant::now();
        let out = guarded(&[p.to_str().unwrap()], Input::None);
        assert_eq!(out.status.code(), Some(1));
        assert_eq!(
            stderr(&out),
            format!("exposure: {}: {refusal}", p.display())
        );
        // Reading (and decoding) a gigabyte of zeros takes seconds; a stat takes nothing.
        assert!(started.elapsed().as_secs() < 5);
        let out = guarded(&["-"], Input::File(&p));
        assert_eq!(stderr(&out), format!("exposure: standard input: {refusal}"));
        std::fs::remove_file(&p).unwrap();
    }
    // A sparse policy too.
    let pol = d.join("policy.json");
    std::fs::File::create(&pol)
        .unwrap()
        .set_len(1 << 30)
        .unwrap();
    let out = guarded(
        &["--security-policy", pol.to_str().unwrap(), "-"],
        Input::Bytes(b"[Service]\nExecStart=/x\n"),
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains(refusal), "{}", stderr(&out));
}

#[test]
fn sizes_near_the_limit_are_exact_and_the_limit_itself_is_read() {
    let d = tmpdir("limit");
    // A unit of exactly `len` bytes: comment lines of 1 KiB after ExecStart=.
    let unit_of = |len: usize| {
        let mut s = String::from("[Service]\nExecStart=/usr/bin/true\n");
        while s.len() < len {
            let n = (len - s.len()).min(1024);
            s.push('#');
            s.push_str(&"x".repeat(n.saturating_sub(2)));
            s.push_str(&"\n"[..n.min(2) - 1]);
        }
        assert_eq!(s.len(), len);
        s
    };
    let limit = 16 << 20;
    let at = d.join("at.service");
    std::fs::write(&at, unit_of(limit)).unwrap();
    let out = guarded(&[at.to_str().unwrap()], Input::None);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let out = guarded(&["-"], Input::File(&at));
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let over = d.join("over.service");
    std::fs::write(&over, unit_of(limit + 1)).unwrap();
    let out = guarded(&[over.to_str().unwrap()], Input::None);
    assert_eq!(
        stderr(&out),
        format!(
            "exposure: {}: 16.0 MiB (16,777,217 bytes) is over the 16 MiB limit; not read\n",
            over.display()
        )
    );
    // Standard input that is a file is refused from its size too; a pipe stops one byte past.
    let out = guarded(&["-"], Input::File(&over));
    assert_eq!(
        stderr(&out),
        "exposure: standard input: 16.0 MiB (16,777,217 bytes) is over the 16 MiB limit; not read\n"
    );
    let out = guarded(&["-"], Input::Bytes(unit_of(limit + 1).as_bytes()));
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        stderr(&out),
        format!("exposure: standard input: {LIMIT_HIT}\n")
    );
    // Invalid UTF-8 is measured in the input's bytes, and refused when its U+FFFFs (3 bytes
    // each) would take the text over the limit.
    let bin = d.join("bin.service");
    let mut bytes = b"[Service]\nExecStart=/usr/bin/true\n".to_vec();
    bytes.resize(10 << 20, 0xff);
    std::fs::write(&bin, &bytes).unwrap();
    let out = guarded(&[bin.to_str().unwrap()], Input::None);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        stderr(&out),
        format!(
            "exposure: {}:3: not valid UTF-8; with U+FFFF (3 bytes) in place of each invalid \
             sequence, its 10,485,760 bytes become 30.0 MiB (31,457,212 bytes), which is over the \
             16 MiB limit; not analyzed\n",
            bin.display()
        )
    );
    // A unit's files count together: 10 MiB and a 7 MiB drop-in are over the limit.
    let ten = d.join("ten.service");
    std::fs::write(&ten, unit_of(10 << 20)).unwrap();
    std::fs::create_dir_all(d.join("ten.service.d")).unwrap();
    let seven = d.join("ten.service.d/seven.conf");
    std::fs::write(&seven, "#".repeat(7 << 20)).unwrap();
    let out = guarded(&[ten.to_str().unwrap()], Input::None);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        stderr(&out),
        format!(
            "exposure: {}: with the unit's files read before it, 17.0 MiB (17,825,792 bytes) is \
             over the 16 MiB limit; not read\n",
            seven.display()
        )
    );
    // So does the text invalid UTF-8 becomes: 3 MiB of 0xff become 9 MiB.
    let mut bytes = b"[Service]\n".to_vec();
    bytes.resize(3 << 20, 0xff);
    std::fs::write(&seven, &bytes).unwrap();
    let out = guarded(&[ten.to_str().unwrap()], Input::None);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        stderr(&out),
        format!(
            "exposure: {}:2: not valid UTF-8; with U+FFFF (3 bytes) in place of each invalid \
             sequence, its 3,145,728 bytes become 9.0 MiB (9,437,164 bytes), which with the \
             unit's files read before it is over the 16 MiB limit; not analyzed\n",
            seven.display()
        )
    );
    // 56 MB of files: not left behind.
    std::fs::remove_dir_all(&d).unwrap();
}

#[test]
fn fifos_and_directories_are_refused_without_blocking() {
    let d = tmpdir("special");
    let fifo = d.join("f.service");
    assert!(
        Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success()
    );
    let dir = d.join("dir.service");
    std::fs::create_dir(&dir).unwrap();
    let capture = d.join("capture.txt");
    assert!(
        Command::new("mkfifo")
            .arg(&capture)
            .status()
            .unwrap()
            .success()
    );
    for (p, what) in [
        (
            &fifo,
            "a FIFO (named pipe), not a regular file; give it on standard input instead",
        ),
        (&capture, "a FIFO (named pipe), not a regular file"),
        (&dir, "a directory, not a regular file"),
    ] {
        let out = guarded(&[p.to_str().unwrap()], Input::None);
        assert_eq!(out.status.code(), Some(1));
        let err = stderr(&out);
        assert!(
            err.starts_with(&format!("exposure: {}: is {what}", p.display())),
            "{err}"
        );
    }
    let out = guarded(&["suggest", fifo.to_str().unwrap()], Input::None);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("is a FIFO"), "{}", stderr(&out));
    // Standard input may well be a pipe.
    let out = guarded(&["-"], Input::Bytes(b"[Service]\nExecStart=/x\n"));
    assert_eq!(out.status.code(), Some(0));
}

#[test]
fn broken_dropin_links_are_skipped_and_dev_null_hides_a_dropin() {
    let d = tmpdir("dropin-links");
    let unit = d.join("a.service");
    std::fs::write(&unit, "[Service]\nExecStart=/usr/bin/true\n").unwrap();
    let here = d.join("a.service.d");
    std::fs::create_dir_all(&here).unwrap();
    std::fs::write(here.join("20-dyn.conf"), "[Service]\nDynamicUser=yes\n").unwrap();
    std::os::unix::fs::symlink(d.join("missing.conf"), here.join("10-dangling.conf")).unwrap();
    std::os::unix::fs::symlink("11-loop.conf", here.join("11-loop.conf")).unwrap();
    std::fs::create_dir(here.join("12-dir.conf")).unwrap();
    let u = unit.to_str().unwrap();
    let out = guarded(&[u], Input::None);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let overall = "→ Overall exposure level for a.service: 8.4 EXPOSED";
    assert!(stdout(&out).contains(overall), "{}", stdout(&out));
    let err = stderr(&out);
    for (file, why) in [
        (
            "10-dangling.conf",
            "it is a dangling link (its target does not exist)",
        ),
        ("11-loop.conf", "it is a link in a loop"),
        ("12-dir.conf", "it is a directory"),
    ] {
        let line = format!(
            "exposure: {}: drop-in skipped: {why} (systemd skips it too)\n",
            here.join(file).display()
        );
        assert!(err.contains(&line), "{line:?} not in {err}");
    }
    if let Some(sd) = common::systemd_overall(&unit) {
        assert_eq!(sd, overall);
    }

    // A drop-in linked to /dev/null is empty: it hides the same name in service.d/.
    std::fs::remove_file(here.join("20-dyn.conf")).unwrap();
    std::fs::create_dir_all(d.join("service.d")).unwrap();
    std::fs::write(
        d.join("service.d/20-dyn.conf"),
        "[Service]\nDynamicUser=yes\n",
    )
    .unwrap();
    std::os::unix::fs::symlink("/dev/null", here.join("20-dyn.conf")).unwrap();
    let out = guarded(&[u], Input::None);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let overall = "→ Overall exposure level for a.service: 9.6 UNSAFE";
    assert!(stdout(&out).contains(overall), "{}", stdout(&out));
    if let Some(sd) = common::systemd_overall(&unit) {
        assert_eq!(sd, overall);
    }

    // Any other device (or a FIFO) as a drop-in would make systemd block: not assessed.
    std::os::unix::fs::symlink("/dev/zero", here.join("30-zero.conf")).unwrap();
    let out = guarded(&[u], Input::None);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains(&format!(
            "exposure: {}: this drop-in is a character device, not a file or /dev/null",
            here.join("30-zero.conf").display()
        )),
        "{}",
        stderr(&out)
    );
}

// ---- Nothing smuggled: the input's control characters never reach the terminal raw. ----

fn assert_no_raw_controls(o: &Output) {
    for (what, bytes) in [("stdout", &o.stdout), ("stderr", &o.stderr)] {
        let text = String::from_utf8_lossy(bytes);
        assert!(
            !text.contains(['\x1b', '\r', '\u{9b}', '\u{202e}']),
            "raw control character on {what}: {text:?}"
        );
    }
}

#[test]
fn a_spoofing_id_is_printed_escaped() {
    // The capture of the probe: the name ends in ESC [8m (hide what follows).
    let show = "Id=nginx.service: 1.2 OK 🙂\x1b[8m\nExecStart={ path=/usr/sbin/nginx ; }\n";
    let out = exposure(&["-"], Some(show));
    assert_no_raw_controls(&out);
    assert!(
        stderr(&out).contains("nginx.service: 1.2 OK 🙂\\x1b[8m"),
        "{}",
        stderr(&out)
    );
    // Names that do end in .service are assessed: the table, the summary and the overall
    // lines escape them too.
    let show = "Id=nginx.service: 1.2 OK 🙂\x1b[8m.service\nExecStart={ path=/x ; }\n\n\
                Id=b\u{202e}ecivres.service\nExecStart={ path=/y ; }\n";
    let out = exposure(&["-"], Some(show));
    assert_no_raw_controls(&out);
    let text = stdout(&out);
    assert!(
        text.contains("Overall exposure level for nginx.service: 1.2 OK 🙂\\x1b[8m.service: "),
        "{text}"
    );
    assert!(text.contains("\nb\\u{202e}ecivres.service "), "{text}");
    // JSON and SARIF escape them as \uXXXX (serde the C0 controls, json_text the rest).
    for format in ["--format=json", "--format=sarif"] {
        let out = exposure(&[format, "-"], Some(show));
        assert_no_raw_controls(&out);
    }
    let out = exposure(&["--format=json", "-"], Some(show));
    let text = stdout(&out);
    assert!(
        text.contains(r#""unit": "nginx.service: 1.2 OK 🙂\u001b[8m.service""#),
        "{text}"
    );
    assert!(
        text.contains(r#""unit": "b\u202eecivres.service""#),
        "{text}"
    );
}

#[test]
fn diagnostics_escape_keys_values_and_paths() {
    let d = tmpdir("esc-diag");
    let unit = d.join("esc.service");
    std::fs::write(
        &unit,
        "[Service]\nExecStart=/usr/bin/true\nPrivateTmp=\x1b[2Jmaybe\nFoo\x1b]0;x\x07=1\n",
    )
    .unwrap();
    let out = exposure(&[unit.to_str().unwrap()], None);
    assert_no_raw_controls(&out);
    let err = stderr(&out);
    assert!(
        err.contains(":3: PrivateTmp=\\x1b[2Jmaybe is ignored"),
        "{err}"
    );
    assert!(
        err.contains(":4: ") && err.contains("\\x1b]0;x\\x07"),
        "{err}"
    );
    // A path: a missing file whose name holds an escape sequence.
    let missing = d.join("\x1b[31mred.service");
    let out = exposure(&[missing.to_str().unwrap()], None);
    assert_eq!(out.status.code(), Some(1));
    assert_no_raw_controls(&out);
    assert!(
        stderr(&out).contains("\\x1b[31mred.service"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn suggest_escapes_the_unit_it_quotes_in_its_comments() {
    let d = tmpdir("esc-suggest");
    let unit = d.join("state.service");
    std::fs::write(
        &unit,
        "[Service]\nExecStart=/usr/bin/true\nWorkingDirectory=/srv/\x1b[8mhidden\n",
    )
    .unwrap();
    let out = exposure(&["suggest", "--tier=strict", unit.to_str().unwrap()], None);
    assert_eq!(out.status.code(), Some(0));
    assert_no_raw_controls(&out);
    assert!(
        stdout(&out).contains("(WorkingDirectory=/srv/\\x1b[8mhidden) whose ownership"),
        "{}",
        stdout(&out)
    );
}

#[test]
fn suggest_on_a_unit_systemd_refuses_says_why_and_fails() {
    let d = tmpdir("suggest-refused");
    let unit = d.join("noexec.service");
    std::fs::write(&unit, "[Service]\nUser=nobody\n").unwrap();
    for args in [vec!["suggest"], vec!["suggest", "--format=json"]] {
        let mut args = args;
        args.push(unit.to_str().unwrap());
        let out = exposure(&args, None);
        assert_eq!(out.status.code(), Some(1));
        assert!(out.stdout.is_empty(), "{}", stdout(&out));
        let err = stderr(&out);
        assert!(
            err.contains("exposure: noexec.service: not assessed: ")
                && err.contains("ExecStart=")
                && err.contains("no drop-in is suggested"),
            "{err}"
        );
    }
    let masked = d.join("masked.service");
    std::fs::write(&masked, "").unwrap();
    let out = exposure(&["suggest", masked.to_str().unwrap()], None);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("is masked"), "{}", stderr(&out));
}

#[test]
fn sarif_uris_are_percent_encoded() {
    let d = tmpdir("sarif-uri");
    let dir = d.join("a b%#?é");
    std::fs::create_dir_all(&dir).unwrap();
    let unit = dir.join("s.service");
    std::fs::write(&unit, "[Service]\nExecStart=/usr/bin/true\n").unwrap();
    let out = exposure(&["--format=sarif", unit.to_str().unwrap()], None);
    let v: Value = serde_json::from_str(&stdout(&out)).unwrap();
    let uri =
        v["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
            .as_str()
            .unwrap()
            .to_owned();
    assert!(uri.ends_with("/a%20b%25%23%3F%C3%A9/s.service"), "{uri}");
    assert!(uri.bytes().all(|b| b.is_ascii_graphic()), "{uri}");
}

#[test]
fn invalid_utf8_is_read_alike_from_files_and_standard_input_and_as_systemd_reads_it() {
    let d = tmpdir("utf8");
    let unit = d.join("u.service");
    let warning = "not valid UTF-8 (the first such line); its invalid bytes are read as U+FFFF, \
                   which systemd's unit-file parser refuses like invalid UTF-8 (outside comments)";
    // systemd reads a comment with invalid bytes, and refuses a unit file with any other line.
    for (bytes, line, status) in [
        (
            &b"[Service]\nExecStart=/usr/bin/true\n# caf\xe9\nPrivateTmp=yes\n"[..],
            3,
            0,
        ),
        (
            &b"[Service]\nExecStart=/usr/bin/true\nDescription=caf\xe9\n"[..],
            3,
            1,
        ),
        (
            &b"[Service]\nExecStart=/usr/bin/true\nPrivateTmp=yes \\\n\xff\n"[..],
            4,
            1,
        ),
    ] {
        std::fs::write(&unit, bytes).unwrap();
        let from_file = exposure(&["--format=json", unit.to_str().unwrap()], None);
        let from_stdin = guarded(
            &["--format=json", "--unit=u.service", "-"],
            Input::Bytes(bytes),
        );
        assert_eq!(from_file.status.code(), Some(status));
        assert_eq!(from_stdin.status.code(), Some(status));
        let a: Value = serde_json::from_str(&stdout(&from_file)).unwrap();
        let b: Value = serde_json::from_str(&stdout(&from_stdin)).unwrap();
        for field in ["checks", "exposure", "refused"] {
            assert_eq!(a["units"][0][field], b["units"][0][field], "{field}");
        }
        assert!(
            stderr(&from_file)
                .starts_with(&format!("exposure: {}:{line}: {warning}\n", unit.display())),
            "{}",
            stderr(&from_file)
        );
        assert!(
            stderr(&from_stdin)
                .starts_with(&format!("exposure: standard input:{line}: {warning}\n")),
            "{}",
            stderr(&from_stdin)
        );
        if status == 1 {
            assert_eq!(a["units"][0]["refused"], "a line that is not UTF-8 clean");
        }
        if let Some(loaded) = systemd_loads(&unit) {
            assert_eq!(loaded, status == 0);
        }
    }
    // In a drop-in the line and the rest of the drop-in are ignored.
    std::fs::write(&unit, "[Service]\nExecStart=/usr/bin/true\n").unwrap();
    std::fs::create_dir_all(d.join("u.service.d")).unwrap();
    std::fs::write(
        d.join("u.service.d/a.conf"),
        b"[Service]\nPrivateNetwork=yes\nX-A=\xff\nPrivateTmp=yes\n",
    )
    .unwrap();
    let out = exposure(&[unit.to_str().unwrap()], None);
    assert_eq!(out.status.code(), Some(0));
    let overall = "→ Overall exposure level for u.service: 9.1 UNSAFE";
    assert!(stdout(&out).contains(overall), "{}", stdout(&out));
    assert!(
        stderr(&out).contains("a.conf:3: This line is not UTF-8 clean to systemd"),
        "{}",
        stderr(&out)
    );
    if let Some(sd) = common::systemd_overall(&unit) {
        assert_eq!(sd, overall);
    }
}

/// Whether systemd-analyze loads `unit` (None when it is not installed here).
fn systemd_loads(unit: &Path) -> Option<bool> {
    let out = Command::new("systemd-analyze")
        .args(["security", "--offline=yes"])
        .arg(unit)
        .output()
        .ok()?;
    Some(String::from_utf8_lossy(&out.stdout).contains("→ Overall"))
}
