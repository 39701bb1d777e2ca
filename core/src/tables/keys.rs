//! Which unit-file keys a systemd version knows.
//!
//! 252's full table is in `directives.rs`; `directive_versions.rs` holds, for each verified
//! release (252, 254, 257, 262), the keys it added and dropped against the release before it
//! and the keys it still recognises only to log that their support was removed (both read from
//! the real binaries by `scripts/gen-version-directives.py`). A profile names its table with a
//! [`DirectiveTable`]: a verified release, or two verified neighbours for the releases between
//! them, where a key either neighbour knows counts as known (we never warn about a key that
//! release may well know; a warning it would print can be missed there).

use super::DIRECTIVES_252;
use super::directive_versions::DIRECTIVE_RELEASES;
use crate::scan::FastMap;
use std::sync::OnceLock;

/// What one verified release changed, by section.
pub struct DirectiveRelease {
    /// The profile id of the release (`"257"`).
    pub id: &'static str,
    pub added: &'static [(&'static str, &'static [&'static str])],
    pub dropped: &'static [(&'static str, &'static [&'static str])],
    /// Keys it recognises only to say "Support for option Key= has been removed".
    pub retired: &'static [(&'static str, &'static [&'static str])],
}

/// The keys a profile knows: one verified release's, or (for a release between two verified
/// ones) what either neighbour knows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DirectiveTable {
    Release(&'static str),
    Between(&'static str, &'static str),
}

/// What a key is to a version, in a section.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KeyStatus {
    Known,
    /// Recognised only to be ignored with "support … has been removed".
    Retired,
    Unknown,
}

/// For each key, the sections that know it and those where it is retired (bits).
type KeyBits = FastMap<&'static str, (u64, u64)>;

/// Per verified release: for each key, the sections (bits over [`DIRECTIVES_252`]'s section
/// indices) that know it and those where it is retired. Built the first time a release is
/// asked about (a run asks about one or two); one hash lookup a key answers the loader's
/// questions, which a paste of a million unknown keys asks a million times.
fn release_keys(release: usize) -> &'static KeyBits {
    static RELEASES: OnceLock<Vec<OnceLock<KeyBits>>> = OnceLock::new();
    let maps =
        RELEASES.get_or_init(|| DIRECTIVE_RELEASES.iter().map(|_| OnceLock::new()).collect());
    maps[release].get_or_init(|| {
        assert!(DIRECTIVES_252.len() <= 64, "one bit per section");
        let mut known = KeyBits::default();
        for (i, (_, keys)) in DIRECTIVES_252.iter().enumerate() {
            for key in keys.split_ascii_whitespace() {
                known.entry(key).or_insert((0, 0)).0 |= 1 << i;
            }
        }
        // Each release changes the one before it.
        for r in &DIRECTIVE_RELEASES[..=release] {
            for &(section, keys) in r.added {
                for key in keys {
                    known.entry(key).or_insert((0, 0)).0 |= section_bit(section);
                }
            }
            for &(section, keys) in r.dropped {
                for key in keys {
                    if let Some(bits) = known.get_mut(key) {
                        bits.0 &= !section_bit(section);
                    }
                }
            }
        }
        // Retired keys are the release's own list.
        for &(section, keys) in DIRECTIVE_RELEASES[release].retired {
            for key in keys {
                known.entry(key).or_insert((0, 0)).1 |= section_bit(section);
            }
        }
        known
    })
}

fn release_index(id: &str) -> usize {
    DIRECTIVE_RELEASES
        .iter()
        .position(|r| r.id == id)
        .unwrap_or_else(|| panic!("no directive table for release {id}"))
}

fn section_bit(section: &str) -> u64 {
    DIRECTIVES_252
        .iter()
        .position(|(s, _)| *s == section)
        .map_or(0, |i| 1 << i)
}

/// The first verified release (by profile id) that parses `key` in `section`, for saying where
/// a key the chosen version does not know comes from.
pub fn first_release_knowing(section: &str, key: &str) -> Option<&'static str> {
    let bit = section_bit(section);
    (0..DIRECTIVE_RELEASES.len())
        .find(|&i| {
            release_keys(i)
                .get(key)
                .is_some_and(|&(known, _)| known & bit != 0)
        })
        .map(|i| DIRECTIVE_RELEASES[i].id)
}

impl DirectiveTable {
    /// `(known, retired)` section bits of `key`.
    fn bits(self, key: &str) -> (u64, u64) {
        let of = |id: &str| {
            release_keys(release_index(id))
                .get(key)
                .copied()
                .unwrap_or((0, 0))
        };
        match self {
            DirectiveTable::Release(id) => of(id),
            DirectiveTable::Between(a, b) => {
                let ((ka, ra), (kb, rb)) = (of(a), of(b));
                let known = ka | kb;
                (known, (ra | rb) & !known)
            }
        }
    }

    /// What `key` is in `section`.
    pub fn status(self, section: &str, key: &str) -> KeyStatus {
        let (known, retired) = self.bits(key);
        let bit = section_bit(section);
        if known & bit != 0 {
            KeyStatus::Known
        } else if retired & bit != 0 {
            KeyStatus::Retired
        } else {
            KeyStatus::Unknown
        }
    }

    /// Whether `key` is a directive this version parses in `section`.
    pub fn is_directive(self, section: &str, key: &str) -> bool {
        self.status(section, key) == KeyStatus::Known
    }

    /// The first section (in 252's table order) other than `section` where this version parses
    /// `key`.
    pub fn elsewhere(self, section: &str, key: &str) -> Option<&'static str> {
        let bits = self.bits(key).0 & !section_bit(section);
        (bits != 0).then(|| DIRECTIVES_252[bits.trailing_zeros() as usize].0)
    }

    /// Every key this version parses in `section` (252's order, then later additions).
    pub fn keys<'a>(self, section: &'a str) -> impl Iterator<Item = &'static str> + 'a {
        let base = DIRECTIVES_252
            .iter()
            .filter(move |(s, _)| *s == section)
            .flat_map(|(_, keys)| keys.split_ascii_whitespace());
        let added = DIRECTIVE_RELEASES
            .iter()
            .flat_map(|r| r.added.iter())
            .filter(move |(s, _)| *s == section)
            .flat_map(|(_, keys)| keys.iter().copied());
        // A key is added once (no release re-adds what an earlier one added or 252 had).
        base.chain(added)
            .filter(move |k| self.is_directive(section, k))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const R252: DirectiveTable = DirectiveTable::Release("252");
    const R257: DirectiveTable = DirectiveTable::Release("257");
    const R262: DirectiveTable = DirectiveTable::Release("262");

    #[test]
    fn every_table_names_a_verified_release() {
        for p in crate::version::PROFILES.iter() {
            match p.directives {
                DirectiveTable::Release(id) => {
                    release_index(id);
                }
                DirectiveTable::Between(a, b) => {
                    assert!(release_index(a) < release_index(b), "{}", p.id);
                }
            }
        }
    }

    #[test]
    fn the_section_strings_hold_names_separated_by_single_spaces() {
        for (section, keys) in DIRECTIVES_252 {
            for key in keys.split(' ').filter(|_| !keys.is_empty()) {
                assert!(
                    !key.is_empty() && key.bytes().all(|b| b.is_ascii_alphanumeric()),
                    "[{section}] {key:?}"
                );
            }
        }
        assert_eq!(R252.keys("Service").filter(|k| *k == "User").count(), 1);
    }

    #[test]
    fn directives_are_per_section() {
        assert!(R252.keys("Service").any(|k| k == "ProtectSystem"));
        assert!(R252.keys("Unit").any(|k| k == "DefaultDependencies"));
        assert_eq!(R252.keys("Nope").count(), 0);
        assert!(R252.is_directive("Service", "ProtectSystem"));
        assert!(R252.is_directive("Unit", "Description"));
        assert!(!R252.is_directive("Install", "ProtectSystem"));
        assert!(!R252.is_directive("Nope", "User"));
        // the first other section of the table that knows it, as the loader's hint names
        assert_eq!(R252.elsewhere("Install", "ProtectSystem"), Some("Service"));
        assert_eq!(R252.elsewhere("Unit", "Description"), None);
        assert_eq!(R252.elsewhere("Service", "NoSuchKey"), None);
        let first = DIRECTIVES_252
            .iter()
            .find(|(_, d)| d.split_ascii_whitespace().any(|k| k == "User"))
            .map(|(s, _)| *s);
        assert_eq!(R252.elsewhere("Unit", "User"), first);
    }

    #[test]
    fn keys_arrive_and_retire_by_release() {
        // PrivatePIDs= arrived in 257; MemoryLimit= is only recognised as removed in 262.
        assert_eq!(R252.status("Service", "PrivatePIDs"), KeyStatus::Unknown);
        assert_eq!(R257.status("Service", "PrivatePIDs"), KeyStatus::Known);
        assert_eq!(R257.status("Service", "MemoryLimit"), KeyStatus::Known);
        assert_eq!(R262.status("Service", "MemoryLimit"), KeyStatus::Retired);
        assert_eq!(
            R252.status("Service", "SysVStartPriority"),
            KeyStatus::Retired
        );
        assert!(R262.keys("Service").any(|k| k == "PrivatePIDs"));
        assert!(!R262.keys("Service").any(|k| k == "MemoryLimit"));
        // between two verified releases, either neighbour's knowledge counts
        let between = DirectiveTable::Between("257", "262");
        assert_eq!(between.status("Service", "MemoryLimit"), KeyStatus::Known);
        assert_eq!(between.status("Service", "RootMStack"), KeyStatus::Known);
        assert_eq!(between.status("Service", "NetClass"), KeyStatus::Retired);
        assert_eq!(first_release_knowing("Service", "PrivatePIDs"), Some("257"));
        assert_eq!(first_release_knowing("Service", "RootMStack"), Some("262"));
        assert_eq!(first_release_knowing("Service", "User"), Some("252"));
        assert_eq!(first_release_knowing("Service", "NoSuchKey"), None);
    }
}
