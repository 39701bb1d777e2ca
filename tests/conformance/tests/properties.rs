//! Properties of the engine over generated inputs (proptest):
//!
//! - no input panics, whatever kind it is read as, and what comes back is in range: every
//!   exposure within 0..=100, every row's badness within its range, every diagnostic and
//!   provenance line within the input;
//! - reordering the lines of different settings within a section leaves the score unchanged;
//! - a drop-in that repeats the unit's own settings changes no score (systemd merges the
//!   repeated list settings into the same sets; only `DeviceAllow=` lists its entries twice in
//!   the row's text, which systemd-analyze 252 prints that way too).
//!
//! Also the regression tests for inputs the fuzz targets (`fuzz/`) found.
//!
//! Case counts are modest so the suite stays fast; raise them with `PROPTEST_CASES=10000`.

use exposure_conformance::invariants::check_analysis;
use exposure_core::{Diagnostic, FileInput, InputKind, Options, UnitReport, analyze, analyze_unit};
use proptest::prelude::*;
use proptest::sample::select;

/// Analyzes `text` as detected and as every input kind, checking each result.
fn analyze_all_ways(text: &str) {
    for kind in [
        None,
        Some(InputKind::UnitFile),
        Some(InputKind::SystemctlCat),
        Some(InputKind::SystemctlShow),
    ] {
        let opts = Options {
            kind,
            ..Options::default()
        };
        check_analysis(&analyze(text, &opts), text);
    }
}

/// Valid values of settings the checks read (nothing here makes systemd refuse the unit).
const SETTINGS: &[(&str, &[&str])] = &[
    ("User", &["root", "nobody", "daemon", "1000", ""]),
    ("DynamicUser", &["yes", "no"]),
    ("SupplementaryGroups", &["adm", "adm audio", ""]),
    ("PrivateTmp", &["yes", "no"]),
    ("PrivateDevices", &["yes", "no"]),
    ("PrivateNetwork", &["yes", "no"]),
    ("PrivateUsers", &["yes", "no"]),
    ("PrivateMounts", &["yes", "no"]),
    ("ProtectKernelTunables", &["yes", "no"]),
    ("ProtectKernelModules", &["yes", "no"]),
    ("ProtectKernelLogs", &["yes", "no"]),
    ("ProtectControlGroups", &["yes", "no"]),
    ("ProtectClock", &["yes", "no"]),
    ("ProtectHostname", &["yes", "no"]),
    ("NoNewPrivileges", &["yes", "no"]),
    ("LockPersonality", &["yes", "no"]),
    ("MemoryDenyWriteExecute", &["yes", "no"]),
    ("RestrictRealtime", &["yes", "no"]),
    ("RestrictSUIDSGID", &["yes", "no"]),
    ("RemoveIPC", &["yes", "no"]),
    ("Delegate", &["yes", "no"]),
    ("ProtectSystem", &["yes", "no", "full", "strict"]),
    ("ProtectHome", &["yes", "no", "read-only", "tmpfs"]),
    (
        "ProtectProc",
        &["default", "noaccess", "invisible", "ptraceable"],
    ),
    ("ProcSubset", &["all", "pid"]),
    ("KeyringMode", &["inherit", "private", "shared"]),
    ("NotifyAccess", &["none", "main", "all"]),
    ("UMask", &["0022", "0027", "0077", "0002"]),
    ("DevicePolicy", &["auto", "closed", "strict"]),
    (
        "DeviceAllow",
        &["/dev/null rw", "char-rtc r", "/dev/sda", ""],
    ),
    ("RootDirectory", &["/srv/root", ""]),
    ("SystemCallArchitectures", &["native", "native x86", ""]),
    (
        "CapabilityBoundingSet",
        &[
            "CAP_SYS_ADMIN",
            "~CAP_SYS_ADMIN CAP_NET_ADMIN",
            "CAP_NET_BIND_SERVICE CAP_CHOWN",
            "~",
            "",
        ],
    ),
    ("AmbientCapabilities", &["CAP_NET_BIND_SERVICE", ""]),
    (
        "RestrictNamespaces",
        &["yes", "no", "~user", "user net", "cgroup", ""],
    ),
    (
        "RestrictAddressFamilies",
        &["AF_INET AF_INET6", "~AF_PACKET", "AF_UNIX", "none", ""],
    ),
    (
        "SystemCallFilter",
        &[
            "@system-service",
            "~@privileged @resources",
            "~@mount",
            "@basic-io",
            "~ptrace:EPERM",
            "",
        ],
    ),
    ("IPAddressDeny", &["any", "192.168.0.0/16", ""]),
    (
        "IPAddressAllow",
        &["localhost", "10.0.0.0/8", "link-local", ""],
    ),
];

/// One `Key=value` line of [`SETTINGS`], as (setting index, line).
fn setting_line() -> impl Strategy<Value = (usize, String)> {
    (0..SETTINGS.len()).prop_flat_map(|i| {
        let (key, values) = SETTINGS[i];
        select(values).prop_map(move |v| (i, format!("{key}={v}")))
    })
}

/// The score of a unit and, per row, its state, exposure and text.
type Score = (
    String,
    Option<bool>,
    Vec<(&'static str, Option<bool>, Option<String>, Option<String>)>,
);

fn score(r: &UnitReport) -> Score {
    let mut rows: Vec<_> = r
        .rows
        .iter()
        .map(|row| {
            (
                row.json_field,
                row.set,
                row.exposure.map(|e| e.to_string()),
                row.description.as_deref().map(str::to_owned),
            )
        })
        .collect();
    rows.sort();
    (
        r.exposure.to_string(),
        r.refused.as_ref().map(|_| true),
        rows,
    )
}

fn assess(files: &[&str]) -> UnitReport {
    let files: Vec<FileInput<'_>> = files
        .iter()
        .map(|text| FileInput::whole(None, text))
        .collect();
    analyze_unit("prop.service", &files, &Options::default()).expect("a valid unit name")
}

const HEAD: &str = "[Unit]\nDescription=property\n\n[Service]\nExecStart=/usr/bin/daemon\n";

/// Pieces of text that stress the readers, joined by [`SEPARATORS`].
fn fragment() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => setting_line().prop_map(|(_, l)| l),
        1 => select(&[
            "[Unit]", "[Service]", "[Install]", "[Socket]", "[X-Vendor]", "[Service",
            "[]", "[Ser\"vice]", "[a\\b]", "Service]", "[[Service]]",
        ][..]).prop_map(str::to_owned),
        1 => select(&[
            "# /etc/systemd/system/a.service", "# /lib/systemd/system/b.socket",
            "# /etc/systemd/system/a.service.d/override.conf", "# /relative.service",
            "Id=a.service", "LoadState=loaded", "Names=a.service b.service",
            "CapabilityBoundingSet=cap_chown cap_sys_admin", "FragmentPath=/x",
        ][..]).prop_map(str::to_owned),
        1 => select(&[
            "ExecStart=/bin/true", "ExecStart=", "Type=oneshot", "Type=dbus",
            "BusName=a.b", "User=%i", "User=a:b", "DynamicUser=maybe", "=value", "Key",
            "Key = spaced value ", "\u{feff}[Service]", "; comment", "# comment",
            "X-Vendor=1", "PrivateTmp=yes \\", "\\", "\\\\", "RootImage=/img",
            "SystemCallFilter=~@default:EPERM", "UMask=999", "ProtectSystem=sometimes",
        ][..]).prop_map(str::to_owned),
        1 => any::<String>(),
        1 => "[ -~]{0,80}",
    ]
}

const SEPARATORS: &[&str] = &[
    "\n", "\n", "\n", "\r\n", "\r", "\0", "\n\n", " \\\n", "\n\r",
];

fn text() -> impl Strategy<Value = String> {
    prop::collection::vec((fragment(), select(SEPARATORS)), 0..40).prop_map(|parts| {
        parts
            .into_iter()
            .map(|(f, sep)| f + sep)
            .collect::<String>()
    })
}

/// 256 cases per property, or `PROPTEST_CASES`.
fn config() -> ProptestConfig {
    let env = ProptestConfig::default();
    if std::env::var_os("PROPTEST_CASES").is_some() {
        env
    } else {
        ProptestConfig { cases: 256, ..env }
    }
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn arbitrary_text_never_panics(text in any::<String>()) {
        analyze_all_ways(&text);
    }

    #[test]
    fn unit_like_text_never_panics_and_stays_in_range(text in text()) {
        analyze_all_ways(&text);
    }

    #[test]
    fn lines_of_different_settings_commute(
        (lines, shuffled) in prop::collection::vec(setting_line(), 0..24)
            .prop_map(|v| {
                // One line per setting.
                let mut seen = std::collections::HashSet::new();
                v.into_iter()
                    .filter(|(i, _)| seen.insert(*i))
                    .map(|(_, l)| l)
                    .collect::<Vec<_>>()
            })
            .prop_flat_map(|v| (Just(v.clone()), Just(v).prop_shuffle()))
    ) {
        let a = format!("{HEAD}{}\n", lines.join("\n"));
        let b = format!("{HEAD}{}\n", shuffled.join("\n"));
        prop_assert_eq!(score(&assess(&[&a])), score(&assess(&[&b])));
    }

    #[test]
    fn a_dropin_repeating_the_unit_changes_no_score(
        lines in prop::collection::vec(setting_line().prop_map(|(_, l)| l), 0..24)
    ) {
        let body = lines.join("\n");
        let unit = format!("{HEAD}{body}\n");
        let dropin = format!("[Service]\n{body}\n");
        let once = score(&assess(&[&unit]));
        let twice = score(&assess(&[&unit, &dropin]));
        // DeviceAllow= entries are a list, not a set: systemd-analyze prints the repeated
        // entries in the row's text, but the row's badness does not change.
        let without_device_text = |mut s: Score| {
            for row in &mut s.2 {
                if row.0 == "DeviceAllow" {
                    row.3 = None;
                }
            }
            s
        };
        prop_assert_eq!(without_device_text(once), without_device_text(twice));
    }
}

/// Pathological shapes, each analyzed every way once (the limits benchmark times them).
#[test]
fn huge_lines_and_many_continuations_do_not_panic() {
    let long = "A".repeat(300_000);
    for text in [
        format!("{HEAD}Description={long}\n"),
        format!("{HEAD}{long}=x\n"),
        format!("{HEAD}Environment=a \\\n{}b\n", "x \\\n".repeat(20_000)),
        format!("{HEAD}{}", "\\\n".repeat(20_000)),
        format!("{HEAD}{}", "[".repeat(100_000)),
        format!("{HEAD}{}", "\0".repeat(100_000)),
        format!("{HEAD}{}", "\r".repeat(100_000)),
        "\u{feff}".repeat(10_000),
        format!(
            "Id=a.service\n{}",
            "DeviceAllow=/dev/null rw\n".repeat(10_000)
        ),
    ] {
        analyze_all_ways(&text);
    }
}

/// The did-you-mean hint, computed the plain way: the first name of the section at the
/// smallest case-insensitive edit distance, if within the limit.
/// The keys the hints are drawn from: the newest verified release's.
const TABLE: exposure_core::tables::DirectiveTable =
    exposure_core::tables::DirectiveTable::Release("262");

fn did_you_mean_reference(key: &str, section: &str) -> Option<&'static str> {
    fn distance(a: &[char], b: &[char]) -> usize {
        let mut prev: Vec<usize> = (0..=b.len()).collect();
        for i in 1..=a.len() {
            let mut cur = vec![i; b.len() + 1];
            for j in 1..=b.len() {
                let cost = usize::from(a[i - 1] != b[j - 1]);
                cur[j] = (prev[j] + 1).min(cur[j - 1] + 1).min(prev[j - 1] + cost);
            }
            prev = cur;
        }
        prev[b.len()]
    }
    let lower = |s: &str| {
        s.chars()
            .map(|c| c.to_ascii_lowercase())
            .collect::<Vec<_>>()
    };
    let mut best: Option<(usize, &'static str)> = None;
    for k in TABLE.keys(section) {
        let d = distance(&lower(key), &lower(k));
        if best.is_none_or(|(bd, _)| d < bd) {
            best = Some((d, k));
        }
    }
    best.filter(|&(d, _)| d <= 2.max(key.len() / 5))
        .map(|(_, k)| k)
}

proptest! {
    #![proptest_config(config())]

    /// The hint skips names by lower bounds of the distance (kept fast for long and many
    /// unknown keys); it must still pick what the plain search picks.
    #[test]
    fn did_you_mean_matches_the_plain_search(
        key in prop_oneof![
            "[A-Za-z]{1,30}",
            select(TABLE.keys("Service").collect::<Vec<_>>()).prop_flat_map(|k| {
                // A name with a few edits.
                (Just(k.to_owned()), prop::collection::vec((0..40usize, "[a-zA-Z]?"), 0..4))
                    .prop_map(|(mut k, edits)| {
                        for (at, with) in edits {
                            let at = at % (k.len() + 1);
                            if at < k.len() && with.is_empty() {
                                k.remove(at);
                            } else if at < k.len() && at % 2 == 0 {
                                k.replace_range(at..at + 1, &with);
                            } else {
                                k.insert_str(at, &with);
                            }
                        }
                        k
                    })
            }),
        ],
        section in select(&["Service", "Unit", "Socket", "Install"][..]),
    ) {
        prop_assert_eq!(
            exposure_core::load::did_you_mean(TABLE, &key, section),
            did_you_mean_reference(&key, section)
        );
    }
}

#[test]
fn did_you_mean_hints_typos_and_skips_far_keys() {
    let did_you_mean = |k: &str, s: &str| exposure_core::load::did_you_mean(TABLE, k, s);
    assert_eq!(did_you_mean("PrivateTnp", "Service"), Some("PrivateTmp"));
    assert_eq!(
        did_you_mean("protectsystem", "Service"),
        Some("ProtectSystem")
    );
    assert_eq!(
        did_you_mean("ProtectSytem", "Service"),
        Some("ProtectSystem")
    );
    assert_eq!(did_you_mean("Zzzzzzzzzzzz", "Service"), None);
    // A megabyte-long key is compared with no name at all.
    assert_eq!(did_you_mean(&"K".repeat(1 << 20), "Service"), None);
}

/// `PrivateTmp=` and `PrivateDevices=` rows of a unit: whether each is set.
fn private_tmp_and_devices(r: &UnitReport) -> (Option<bool>, Option<bool>) {
    let set = |f: &str| r.rows.iter().find(|row| row.json_field == f).unwrap().set;
    (set("PrivateTmp"), set("PrivateDevices"))
}

/// systemd 252 reads lines shorter than 1 MiB (`LONG_LINE_MAX`); a longer line, comment or
/// continued line makes it stop reading the file (checked with `systemd-analyze security
/// --offline=yes`: the unit "failed to load properly: No buffer space available").
#[test]
fn lines_of_1_mib_or_more_stop_systemd_reading_the_file() {
    const MAX: usize = 1 << 20;
    let unit = |line: &str| format!("[Service]\nExecStart=/bin/true\n{line}\nPrivateTmp=yes\n");
    let longest = "Description=".to_owned() + &"a".repeat(MAX - 1 - "Description=".len());
    let r = assess(&[&unit(&longest)]);
    assert_eq!(r.refused, None);
    assert_eq!(private_tmp_and_devices(&r).0, Some(true));

    for line in [
        "Description=".to_owned() + &"a".repeat(MAX - "Description=".len()),
        "#".repeat(MAX),
        // A continuation: "Description=b  " (15 bytes once the backslash is a space) and a
        // next line that brings it to 1 MiB + 1.
        "Description=b \\\n".to_owned() + &"x".repeat(MAX - 14),
    ] {
        let r = assess(&[&unit(&line)]);
        assert!(r.refused.is_some(), "{} bytes", line.len());
        let d = r.diagnostics.iter().find(|d| d.code == "line-too-long");
        assert_eq!(
            d.and_then(Diagnostic::line),
            Some(3 + line.matches('\n').count() as u32)
        );
    }
    // Exactly 1 MiB once continued is still read.
    let r = assess(&[&unit(
        &("Description=b \\\n".to_owned() + &"x".repeat(MAX - 15)),
    )]);
    assert_eq!(r.refused, None);

    // In a drop-in, what comes before the long line counts and the unit still loads.
    let dropin = format!(
        "[Service]\nPrivateTmp=yes\nDescription={}\nPrivateDevices=yes\n",
        "a".repeat(MAX)
    );
    let r = assess(&["[Service]\nExecStart=/bin/true\n", &dropin]);
    assert_eq!(r.refused, None);
    assert_eq!(private_tmp_and_devices(&r), (Some(true), Some(false)));
}
