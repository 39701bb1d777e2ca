//! The advisor's predictions against the real tool: for every unit of the dev corpus and each
//! tier, install the suggested drop-in beside a copy of the unit, run systemd-analyze offline,
//! and require its overall score to equal our prediction exactly. The installed systemd 252
//! always; with `EXPOSURE_ADVISE_RELEASES` (e.g. `trixie,sid`; `make test-versions` sets it)
//! also that release's systemd-analyze through `../shared/tools/oracle-version.sh`, against
//! the advice for its profile (257, 262).

use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};
use std::process::Command;

use exposure_conformance::corpus::CorpusUnit;
use exposure_conformance::{corpus_root, read_jsonl};
use exposure_core::advise::{Tier, advise, advise_leaving_out};
use exposure_core::{Options, Version};
use serde_json::Value;

struct Case {
    /// Name passed to systemd-analyze (the assessed name; its template file is beside it).
    arg: PathBuf,
    assessed: String,
    /// The tier, or `strict-partial`: strict with every other suggested line left out.
    variant: &'static str,
    before: String,
    predicted: String,
}

fn systemd_analyze() -> bool {
    Command::new("systemd-analyze")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
}

/// Runs systemd-analyze once on many units (the installed one, or a release's through the
/// oracle script); returns the overall score per printed unit name.
fn run_batch(args: &[&PathBuf], release: Option<&str>) -> BTreeMap<String, String> {
    let out = match release {
        None => Command::new("systemd-analyze")
            .env("SYSTEMD_UNIT_PATH", "")
            .env("LANG", "C.UTF-8")
            .args(["--no-pager", "security", "--offline=yes"])
            .args(args)
            .output(),
        // The script runs `security --offline=yes ARGS FILE`: the other files go first.
        Some(rel) => Command::new(corpus_root().join("../tools/oracle-version.sh"))
            .arg(rel)
            .arg(args[0])
            .args(&args[1..])
            .output(),
    }
    .expect("run systemd-analyze");
    let text = String::from_utf8_lossy(&out.stdout);
    let mut m = BTreeMap::new();
    for line in text.lines() {
        if let Some(rest) = line.strip_prefix("→ Overall exposure level for ") {
            let (name, tail) = rest.split_once(": ").unwrap();
            m.insert(name.to_owned(), tail.split(' ').next().unwrap().to_owned());
        }
    }
    m
}

#[test]
fn predicted_scores_equal_systemd_analyze_with_the_dropin_installed() {
    if !systemd_analyze() {
        eprintln!(
            "\n!!! systemd-analyze is not installed: SKIPPING the advisor conformance test !!!\n"
        );
        return;
    }
    // The installed systemd-analyze is Debian 12's 252.
    conformance("expected.jsonl.gz", Version::V252, None);
}

#[test]
fn predicted_scores_equal_the_release_oracles() {
    let Ok(list) = std::env::var("EXPOSURE_ADVISE_RELEASES") else {
        eprintln!(
            "\n!!! EXPOSURE_ADVISE_RELEASES is not set (e.g. trixie,sid; `make test-versions` sets \
             it): SKIPPING the advisor conformance against other releases !!!\n"
        );
        return;
    };
    for rel in list.split(',').map(str::trim).filter(|r| !r.is_empty()) {
        let id = match rel {
            "bookworm-backports" => "254",
            "trixie" => "257",
            "sid" => "262",
            _ => panic!("EXPOSURE_ADVISE_RELEASES: unknown release {rel:?}"),
        };
        let version = Version::parse(id).unwrap();
        conformance(&format!("expected-{rel}.jsonl.gz"), version, Some(rel));
    }
}

/// Every corpus unit and tier: the drop-in installed, `release`'s systemd-analyze (the
/// installed one for `None`) must print the score predicted for `version`.
fn conformance(expected: &str, version: Version, release: Option<&str>) {
    let dev = corpus_root().join("dev");
    let records = read_jsonl(&dev.join(expected));
    let work = std::env::temp_dir().join(format!(
        "exposure-advise-{}-{}",
        std::process::id(),
        release.unwrap_or("installed")
    ));
    let _ = std::fs::remove_dir_all(&work);
    let opts = Options::for_version(version);
    let mut cases = Vec::new();
    let mut problems = Vec::new();
    let mut tier_totals: BTreeMap<&str, (u32, u32, usize, usize)> = BTreeMap::new();
    for r in records.iter().filter(|r| r["loaded"] == Value::Bool(true)) {
        let unit = r["unit"].as_str().unwrap();
        let package = r["package"].as_str().unwrap();
        let file = r["file"].as_str().unwrap();
        let corpus = CorpusUnit::read(&dev, r);
        let files = corpus.files();
        let variants = [
            ("safe", Tier::Safe, false),
            ("moderate", Tier::Moderate, false),
            ("strict", Tier::Strict, false),
            ("strict-partial", Tier::Strict, true),
        ];
        // No tier may predict a worse score than the tier below it.
        let mut below: Option<(&str, exposure_core::Tenths)> = None;
        for (variant, tier, partial) in variants {
            let mut a = advise(unit, &files, &opts, tier).unwrap();
            if !partial {
                if let Some((name, after)) = below
                    && a.exposure_after > after
                {
                    problems.push(format!(
                        "{unit} {variant}: after {} above {name}'s {after}",
                        a.exposure_after
                    ));
                }
                below = Some((variant, a.exposure_after));
            }
            if partial {
                // The "what if" of unticking suggestions on the page: every other line out.
                let out: Vec<&str> = a
                    .lines
                    .iter()
                    .filter(|l| l.withheld.is_none())
                    .step_by(2)
                    .map(|l| l.setting)
                    .collect();
                a = advise_leaving_out(unit, &files, &opts, tier, &out).unwrap();
            }
            if a.exposure_after > a.exposure_before {
                problems.push(format!(
                    "{unit} {variant}: after {} above before {}",
                    a.exposure_after, a.exposure_before
                ));
            }
            let claimed: u32 = a.lines.iter().map(|l| l.gain.0).sum();
            if claimed != a.exposure_before.0 - a.exposure_after.0 {
                problems.push(format!(
                    "{unit} {variant}: gains add up to {claimed}, not the difference"
                ));
            }
            let t = tier_totals.entry(variant).or_default();
            t.0 += a.exposure_before.0;
            t.1 += a.exposure_after.0;
            t.2 += 1;
            if a.exposure_after.0 < 50 {
                t.3 += 1;
            }
            // Lay out: <work>/<tier>/<package>/<files as in the corpus> plus our drop-in.
            let dir = work.join(variant).join(package);
            for (p, t) in corpus.paths.iter().zip(&corpus.texts) {
                let rel = Path::new(p).strip_prefix(package).unwrap();
                let dst = dir.join(rel);
                std::fs::create_dir_all(dst.parent().unwrap()).unwrap();
                std::fs::write(dst, t).unwrap();
            }
            let assessed = r["assessed_as"].as_str().unwrap().to_owned();
            let unit_dir = Path::new(file)
                .parent()
                .unwrap()
                .strip_prefix(package)
                .unwrap();
            // The drop-in folder of the name systemd-analyze is given (the template's own
            // folder for a template, the instance's for an instance record).
            let ours = dir
                .join(unit_dir)
                .join(format!("{unit}.d"))
                .join("zz-exposure.conf");
            std::fs::create_dir_all(ours.parent().unwrap()).unwrap();
            std::fs::write(&ours, &a.dropin).unwrap();
            cases.push(Case {
                arg: dir.join(unit_dir).join(unit),
                assessed,
                variant,
                before: a.exposure_before.to_string(),
                predicted: a.exposure_after.to_string(),
            });
        }
    }
    // systemd-analyze puts the folders of all given files on one search path, so a batch must
    // not name the same unit twice.
    let mut remaining: Vec<&Case> = cases.iter().collect();
    let mut checked = 0;
    while !remaining.is_empty() {
        let mut names = HashSet::new();
        let (batch, rest): (Vec<&Case>, Vec<&Case>) = remaining
            .into_iter()
            .partition(|c| names.insert(c.arg.file_name().unwrap().to_owned()));
        remaining = rest;
        let args: Vec<&PathBuf> = batch.iter().map(|c| &c.arg).collect();
        let got = run_batch(&args, release);
        for c in batch {
            checked += 1;
            match got.get(&c.assessed) {
                Some(s) if *s == c.predicted => {}
                Some(s) => problems.push(format!(
                    "{} ({}): predicted {} but systemd-analyze says {s} (before {})",
                    c.assessed, c.variant, c.predicted, c.before
                )),
                None => problems.push(format!(
                    "{} ({}): systemd-analyze printed no score",
                    c.assessed, c.variant
                )),
            }
        }
    }
    let _ = std::fs::remove_dir_all(&work);
    for (tier, (b, a, n, ok)) in &tier_totals {
        println!(
            "advisor {tier}: mean exposure {:.2} → {:.2} over {n} units; {ok} reach OK or better",
            f64::from(*b) / 10.0 / *n as f64,
            f64::from(*a) / 10.0 / *n as f64
        );
    }
    println!(
        "advisor conformance ({}, as {version}): {} of {checked} predictions equal systemd-analyze",
        release.unwrap_or("installed"),
        checked - problems.len()
    );
    assert!(
        problems.is_empty(),
        "{} problems:\n{}",
        problems.len(),
        problems.join("\n")
    );
}

/// A dev corpus unit that systemd loads, read from the corpus.
fn corpus_unit(unit: &str) -> CorpusUnit {
    static RECORDS: std::sync::OnceLock<Vec<Value>> = std::sync::OnceLock::new();
    let dev = corpus_root().join("dev");
    let records = RECORDS.get_or_init(|| read_jsonl(&dev.join("expected.jsonl.gz")));
    let r = records
        .iter()
        .find(|r| r["unit"] == unit && r["loaded"] == Value::Bool(true))
        .unwrap_or_else(|| panic!("{unit} is not in the dev corpus"));
    CorpusUnit::read(&dev, r)
}

/// Every unit of the dev corpus that systemd loads, with the texts of its files.
fn loaded_units() -> Vec<(String, Vec<String>)> {
    let dev = corpus_root().join("dev");
    read_jsonl(&dev.join("expected.jsonl.gz"))
        .iter()
        .filter(|r| r["loaded"] == Value::Bool(true))
        .map(|r| {
            let u = CorpusUnit::read(&dev, r);
            (u.unit, u.texts)
        })
        .collect()
}

/// The drop-in suggested for a dev corpus unit (as systemd 252 scores it).
fn corpus_dropin(unit: &str, tier: Tier) -> String {
    advise(
        unit,
        &corpus_unit(unit).files(),
        &Options::for_version(Version::V252),
        tier,
    )
    .unwrap()
    .dropin
}

/// The values of `key=` lines in effect in a drop-in (comments are not).
fn values<'a>(dropin: &'a str, key: &str) -> Vec<&'a str> {
    dropin
        .lines()
        .filter_map(|l| l.strip_prefix(key)?.strip_prefix('='))
        .collect()
}

/// The capabilities a drop-in leaves in a bounding set that had `before`: `~` lines remove,
/// an empty line resets to none, other lines add.
fn bounding_after(dropin: &str, before: &HashSet<String>) -> HashSet<String> {
    let mut set = before.clone();
    for v in values(dropin, "CapabilityBoundingSet") {
        if v.is_empty() {
            set.clear();
        } else if let Some(drop) = v.strip_prefix('~') {
            for c in drop.split_whitespace() {
                set.remove(c);
            }
        } else {
            set.extend(v.split_whitespace().map(str::to_owned));
        }
    }
    set
}

fn caps(list: &[&str]) -> HashSet<String> {
    list.iter().map(|c| (*c).to_owned()).collect()
}

const ALL_CAPS: &[&str] = &[
    "CAP_CHOWN",
    "CAP_DAC_OVERRIDE",
    "CAP_FOWNER",
    "CAP_KILL",
    "CAP_SETGID",
    "CAP_SETUID",
    "CAP_NET_BIND_SERVICE",
    "CAP_SYS_CHROOT",
    "CAP_SYS_TIME",
];

#[test]
fn read_only_file_systems_give_back_what_the_daemon_writes() {
    let nginx = corpus_dropin("nginx.service", Tier::Moderate);
    assert_eq!(values(&nginx, "ProtectSystem"), ["strict"], "{nginx}");
    let rw = values(&nginx, "ReadWritePaths");
    // PIDFile=/run/nginx.pid: its folder; the logs by the unit's name.
    for p in ["-/run", "-/var/log/nginx", "-/var/lib/nginx"] {
        assert!(rw.contains(&p), "{p} missing:\n{nginx}");
    }
    // Existing folders keep their owners and stay after a stop: no *Directory= is set.
    for k in [
        "RuntimeDirectory",
        "LogsDirectory",
        "StateDirectory",
        "CacheDirectory",
    ] {
        assert!(values(&nginx, k).is_empty(), "{k}:\n{nginx}");
    }
    let apache = corpus_dropin("apache2.service", Tier::Moderate);
    let rw = values(&apache, "ReadWritePaths");
    for p in ["-/var/log/apache2", "-/run/apache2", "-/run/lock/apache2"] {
        assert!(rw.contains(&p), "{p} missing:\n{apache}");
    }
    // Paths in the unit's own commands (ExecStartPre=/bin/mkdir … /var/log/mosquitto).
    let mosquitto = corpus_dropin("mosquitto.service", Tier::Moderate);
    let rw = values(&mosquitto, "ReadWritePaths");
    for p in ["-/var/log/mosquitto", "-/run/mosquitto"] {
        assert!(rw.contains(&p), "{p} missing:\n{mosquitto}");
    }
    // postfix's workers chroot into its spool; rsyslog would put postfix's log socket there.
    let postfix = corpus_dropin("postfix@.service", Tier::Moderate);
    let rw = values(&postfix, "ReadWritePaths");
    for p in ["-/var/spool/postfix", "-/var/lib/postfix"] {
        assert!(rw.contains(&p), "{p} missing:\n{postfix}");
    }
    assert!(
        values(&postfix, "SystemCallFilter")
            .iter()
            .any(|v| v.split(' ').any(|w| w == "chroot")),
        "{postfix}"
    );
}

#[test]
fn every_pid_file_folder_is_writable_under_a_read_only_file_system() {
    let mut checked = 0;
    for (unit, texts) in loaded_units() {
        let unit = unit.as_str();
        let Some(pid) = texts
            .iter()
            .flat_map(|t| t.lines())
            .filter_map(|l| l.strip_prefix("PIDFile="))
            .next_back()
        else {
            continue;
        };
        let pid = pid.trim().replace("/var/run/", "/run/");
        if !pid.starts_with("/run/") && !pid.starts_with("/var/") {
            continue;
        }
        let folder = &pid[..pid.rfind('/').unwrap()];
        for tier in [Tier::Moderate, Tier::Strict] {
            let d = corpus_dropin(unit, tier);
            if values(&d, "ProtectSystem") != ["strict"] {
                continue;
            }
            checked += 1;
            let rw = values(&d, "ReadWritePaths");
            assert!(
                rw.iter().any(|p| {
                    let p = p.trim_start_matches('-');
                    folder == p || folder.starts_with(&format!("{p}/"))
                }),
                "{unit} {tier:?}: PIDFile={pid} is not given back:\n{d}"
            );
        }
    }
    assert!(checked >= 10, "only {checked} drop-ins checked");
}

#[test]
fn daemons_keep_the_capabilities_and_sockets_their_work_needs() {
    let all = caps(ALL_CAPS);
    for (unit, need) in [
        // Port 80 and its workers' user switch.
        (
            "nginx.service",
            &["CAP_NET_BIND_SERVICE", "CAP_SETUID", "CAP_SETGID"][..],
        ),
        (
            "apache2.service",
            &["CAP_NET_BIND_SERVICE", "CAP_SETUID", "CAP_SETGID"],
        ),
        // Setting the clock: "CAP_SYS_TIME not present" otherwise.
        ("chrony.service", &["CAP_SYS_TIME"]),
        (
            "unbound.service",
            &["CAP_NET_BIND_SERVICE", "CAP_SETUID", "CAP_SETGID"],
        ),
        (
            "postfix@.service",
            &[
                "CAP_NET_BIND_SERVICE",
                "CAP_SETUID",
                "CAP_SETGID",
                "CAP_SYS_CHROOT",
            ],
        ),
        // Its ExecStartPre= chowns the log folder as root.
        ("mosquitto.service", &["CAP_CHOWN", "CAP_SETUID"]),
    ] {
        for tier in Tier::ALL {
            let d = corpus_dropin(unit, tier);
            let left = bounding_after(&d, &all);
            for c in need {
                assert!(left.contains(*c), "{unit} {tier:?} drops {c}:\n{d}");
            }
            // Switching users needs the host's capabilities and a fixed user.
            assert!(!values(&d, "DynamicUser").contains(&"yes"), "{unit}:\n{d}");
            assert!(!values(&d, "PrivateUsers").contains(&"yes"), "{unit}:\n{d}");
        }
    }
    // chronyd sets the clock: @clock is never blocked.
    for tier in Tier::ALL {
        let d = corpus_dropin("chrony.service", tier);
        assert!(
            !d.lines()
                .any(|l| l.starts_with("SystemCallFilter=~") && l.contains("@clock")),
            "{d}"
        );
    }
    // Interface listers keep AF_NETLINK (unbound: "getifaddrs: Address family not supported").
    for unit in ["unbound.service", "named.service", "postfix@.service"] {
        for tier in Tier::ALL {
            let d = corpus_dropin(unit, tier);
            for v in values(&d, "RestrictAddressFamilies") {
                assert!(v.contains("AF_NETLINK"), "{unit} {tier:?}:\n{d}");
            }
        }
    }
}

#[test]
fn capabilities_a_unit_names_are_never_dropped() {
    let mut checked = 0;
    for (unit, texts) in loaded_units() {
        let unit = unit.as_str();
        let named: HashSet<String> = texts
            .iter()
            .flat_map(|t| t.lines())
            .filter_map(|l| {
                l.strip_prefix("AmbientCapabilities=")
                    .or_else(|| l.strip_prefix("CapabilityBoundingSet="))
            })
            .filter(|v| !v.starts_with('~'))
            .flat_map(|v| v.split_whitespace().map(str::to_ascii_uppercase))
            .collect();
        if named.is_empty() {
            continue;
        }
        for tier in Tier::ALL {
            let d = corpus_dropin(unit, tier);
            let left = bounding_after(&d, &named);
            checked += 1;
            assert_eq!(left, named, "{unit} {tier:?} narrows its own list:\n{d}");
        }
    }
    assert!(checked >= 15, "only {checked} drop-ins checked");
}
