//! The keys each version knows, against the real `systemd-analyze` of each verified release.
//!
//! One unit holds every key whose meaning changes between the verified releases (added,
//! dropped, or recognised only as removed in any of them), plus a few never known. Each
//! release's own systemd-analyze says, per line, "Unknown key" or "Support for option … has
//! been removed"; our loader, with that release's profile, must say the same of the same lines
//! (`unknown-key`/`wrong-section` and `removed-key`), and nothing of the others.
//!
//! The installed 252 always runs; the releases of `EXPOSURE_DIFF_RELEASES` (as for the
//! differential test; `make test-versions` sets it) run through `oracle-version.sh`.

use exposure_conformance::corpus_root;
use exposure_core::tables::DIRECTIVE_RELEASES;
use exposure_core::{FileInput, Options, Version, analyze_unit};
use std::collections::BTreeMap;
use std::process::Command;

const NAME: &str = "exposure-keys-probe.service";

/// The probe unit: `[Unit]` then `[Service]` keys, each with an empty value (which every
/// parser takes as "reset", so no line is refused for its value).
fn probe() -> String {
    let mut unit = Vec::new();
    let mut service = Vec::new();
    for r in DIRECTIVE_RELEASES {
        for list in [r.added, r.dropped, r.retired] {
            for &(section, keys) in list {
                let into = match section {
                    "Unit" => &mut unit,
                    "Service" => &mut service,
                    _ => continue,
                };
                into.extend(keys.iter().copied());
            }
        }
    }
    // Keys no release knows, and one that belongs to another section.
    unit.extend(["NoSuchUnitKey", "ProtectSystem"]);
    service.extend(["NoSuchServiceKey", "Description"]);
    for v in [&mut unit, &mut service] {
        v.sort_unstable();
        v.dedup();
    }
    let mut text = String::from("[Unit]\n");
    for k in unit {
        text += &format!("{k}=\n");
    }
    text += "[Service]\nExecStart=/bin/true\n";
    for k in service {
        text += &format!("{k}=\n");
    }
    text
}

/// Line → what the real systemd-analyze said of it (`unknown` or `removed`).
fn theirs(release: &str, dir: &std::path::Path, text: &str) -> BTreeMap<u32, &'static str> {
    let path = dir.join(NAME);
    std::fs::write(&path, text).unwrap();
    let out = Command::new(corpus_root().join("../tools/oracle-version.sh"))
        .arg(release)
        .arg(&path)
        .arg("--json=short")
        .output()
        .expect("run oracle-version.sh");
    let stderr = String::from_utf8_lossy(&out.stderr);
    let mut said = BTreeMap::new();
    let prefix = format!("{}:", path.display());
    for line in stderr.lines() {
        let Some(rest) = line.strip_prefix(&prefix) else {
            continue;
        };
        let (n, msg) = rest.split_once(": ").unwrap_or(("", rest));
        let Ok(n) = n.parse::<u32>() else { continue };
        if msg.starts_with("Unknown key") {
            said.insert(n, "unknown");
        } else if msg.starts_with("Support for option") && msg.contains("has been removed") {
            said.insert(n, "removed");
        }
    }
    assert!(
        !said.is_empty(),
        "{release}: systemd-analyze said nothing of the probe (status {:?}): {stderr}",
        out.status
    );
    said
}

fn ours(version: Version, text: &str) -> BTreeMap<u32, &'static str> {
    let files = [FileInput::whole(Some(NAME), text)];
    let report = analyze_unit(NAME, &files, &Options::for_version(version)).expect("loads");
    report
        .diagnostics
        .iter()
        .filter_map(|d| {
            let kind = match d.code {
                "unknown-key" | "wrong-section" => "unknown",
                "removed-key" => "removed",
                _ => return None,
            };
            Some((d.span?.line, kind))
        })
        .collect()
}

fn compare(release: &str, profile: &str) -> Option<String> {
    let version = Version::parse(profile).unwrap();
    let text = probe();
    let dir = std::env::temp_dir().join(format!(
        "exposure-directives-{}-{release}",
        std::process::id()
    ));
    std::fs::create_dir_all(&dir).unwrap();
    let real = theirs(release, &dir, &text);
    let _ = std::fs::remove_dir_all(&dir);
    let mine = ours(version, &text);
    let lines: Vec<&str> = text.lines().collect();
    let mut diffs = Vec::new();
    for n in real
        .keys()
        .chain(mine.keys())
        .collect::<std::collections::BTreeSet<_>>()
    {
        let (r, m) = (real.get(n), mine.get(n));
        if r != m {
            diffs.push(format!(
                "  line {n} `{}`: systemd {release} says {:?}, we say {:?}",
                lines[*n as usize - 1],
                r,
                m
            ));
        }
    }
    println!(
        "{release} (profile {profile}): {} lines flagged by systemd, {} differences",
        real.len(),
        diffs.len()
    );
    (!diffs.is_empty()).then(|| format!("{release}:\n{}", diffs.join("\n")))
}

#[test]
fn keys_match_the_installed_systemd() {
    if let Some(d) = compare("bookworm", "252") {
        panic!("{d}");
    }
}

#[test]
fn keys_match_the_release_oracles() {
    let Some(releases) = exposure_conformance::releases_from_env() else {
        return;
    };
    let mut failed = Vec::new();
    for (rel, version) in releases {
        failed.extend(compare(rel, version.as_str()));
    }
    assert!(failed.is_empty(), "{}", failed.join("\n"));
}
