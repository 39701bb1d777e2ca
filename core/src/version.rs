//! The systemd version an assessment is made for. It is a parameter of every assessment,
//! never a global: later versions change defaults, groups and row order (see the spec's §7).

use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub enum Version {
    /// systemd 252 as Debian 12 ships it (252.38/252.39): 81 checks, W = 56460.
    #[default]
    #[serde(rename = "252")]
    V252,
}

impl Version {
    pub const ALL: [Version; 1] = [Version::V252];

    pub fn as_str(self) -> &'static str {
        match self {
            Version::V252 => "252",
        }
    }

    pub fn parse(s: &str) -> Option<Version> {
        match s {
            "252" | "v252" | "252.38" | "252.39" => Some(Version::V252),
            _ => None,
        }
    }

    /// Whether the check at this registry index exists in this version.
    pub fn has_check(self, _index: usize) -> bool {
        match self {
            Version::V252 => true,
        }
    }

    /// Whether rows without a description sort first (v262) rather than by 252's fallback.
    pub fn empty_descriptions_first(self) -> bool {
        match self {
            Version::V252 => false,
        }
    }
}

impl std::fmt::Display for Version {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}
