//! The strip of the shown unit's score under every systemd version, beside the score: what
//! happens to this unit on an upgrade (Debian 12 → 13). Pure, tested natively.

use exposure_core::{InputKind, Options, Predicate, Tenths, Version, analyze_part};

/// Above this many bytes the strip is not computed: it assesses the unit once per version.
pub const STRIP_LIMIT: usize = 64 << 10;

/// One version's score of the unit: `None` when that version refuses the unit or cannot read
/// the input (249 and a unit file).
#[derive(Debug, Clone, PartialEq)]
pub struct VersionScore {
    pub version: Version,
    pub score: Option<(Tenths, Predicate)>,
}

/// The score of the unit at position `index` of the paste under every version, oldest first.
/// Empty for a text over [`STRIP_LIMIT`].
pub fn scores(
    text: &str,
    kind: Option<InputKind>,
    unit_name: Option<&str>,
    index: usize,
) -> Vec<VersionScore> {
    if text.len() > STRIP_LIMIT {
        return Vec::new();
    }
    Version::all()
        .map(|version| {
            let opts = Options {
                kind,
                version,
                unit_name: unit_name.map(str::to_owned),
                ..Options::default()
            };
            let a = analyze_part(text, &opts, index..index + 1);
            let score = a
                .units
                .first()
                .filter(|u| u.refused.is_none())
                .map(|u| (u.exposure, u.predicate));
            VersionScore { version, score }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_version_scores_the_unit_shown() {
        let cat = "# /etc/systemd/system/a.service\n[Service]\nExecStart=/x\n\n\
                   # /etc/systemd/system/b.service\n[Service]\nExecStart=/y\nPrivateTmp=disconnected\n";
        let s = scores(cat, None, None, 1);
        assert_eq!(s.len(), Version::all().count());
        let at = |id: &str| {
            s.iter()
                .find(|v| v.version.as_str() == id)
                .unwrap()
                .score
                .map(|(t, _)| t.to_string())
        };
        // Each equals what that version scores the unit as on its own.
        for v in Version::all().filter(|v| v.reads_unit_files()) {
            let opts = Options::for_version(v);
            let alone = exposure_core::analyze(cat, &opts).units[1]
                .exposure
                .to_string();
            assert_eq!(at(v.as_str()), Some(alone), "{v}");
        }
        // 249 reads no unit file.
        assert_eq!(at("249"), None);
        assert!(scores(&"#".repeat(STRIP_LIMIT + 1), None, None, 0).is_empty());
    }
}
