//! The systemd version an assessment is made for. It is a parameter of every assessment, never
//! a global. A [`Version`] is a handle on a [`Profile`]: the values of the knobs K1–K11 of
//! `shared/spec/versions.md` for one target. Code reads knob values from the profile and never
//! compares version numbers; a new systemd release is a new entry of [`PROFILES`] plus tests.

use serde::{Serialize, Serializer};

use crate::syscalls::{self, Groups};
use crate::tables::DirectiveTable;

/// What backs a profile.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Evidence {
    /// Checked against a real binary of this release (on the corpora of the test suite).
    Verified,
    /// Read from systemd's sources, not checked against a binary.
    Derived,
}

impl Evidence {
    /// The label shown beside a score.
    pub fn label(self) -> &'static str {
        match self {
            Evidence::Verified => "verified against real binaries",
            Evidence::Derived => "derived from systemd's source",
        }
    }
}

/// K1: how the settings are obtained.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Modes {
    /// Unit files (`--offline=yes`) and `systemctl show` captures.
    OfflineAndOnline,
    /// No `--offline`: only what a running manager exports (`systemctl show`).
    OnlineOnly,
}

/// K2: the CapabilityBoundingSet=~CAP_BPF row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CapBpf {
    /// No such row: 80 checks.
    Absent,
    /// The row with its good and bad texts exchanged.
    Swapped,
    /// The row with the texts the right way round.
    Fixed,
}

/// K3: the order of the rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RowOrder {
    /// Weight descending, then name, then table order (systemd 249).
    Weight,
    /// Description descending, then name, with glibc's merge sort over a comparator that orders
    /// a row without a description against one with it by reversed table index (250–261).
    GlibcMerge,
    /// Rows without a description first, then description descending, name, table order (262).
    EmptyFirst,
}

/// K4: how the offline loader reads `PrivateMounts=`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PrivateMounts {
    /// A boolean: the check passes only on an explicit true; an empty value is rejected.
    Explicit,
    /// Unset, yes or no: the check passes unless the last valid assignment is `no`; an empty
    /// value resets to unset.
    TriState,
}

/// K5: how `ProtectHostname=` is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Hostname {
    /// A boolean; an empty value is rejected.
    Boolean,
    /// A boolean or `private`, optionally followed by `:HOSTNAME` after a true value or
    /// `private`; an empty value resets to `no`.
    Enum,
}

/// K8: an unknown name in `RestrictAddressFamilies=`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UnknownFamily {
    /// It is skipped; the rest of the line still applies.
    Skip,
    /// It ends the line: the names before it apply, the names after it do not.
    Stop,
}

/// What a `~` capability list (`CapabilityBoundingSet=~CAP_X`) is computed against.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CapInvert {
    /// All 64 bits: `~` alone gives every bit, which still counts as "unset" for the next line.
    AllBits,
    /// The capabilities the running kernel knows (from 259): `~` alone is a real value, so a
    /// later plain list adds to it instead of replacing it.
    KernelKnown,
}

/// K11: what the command refuses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Refusals {
    /// `--offline=yes` without a unit is an error (otherwise nothing is printed, exit 0).
    pub no_units: bool,
    /// A security policy whose top level is not a JSON object is an error (otherwise it is
    /// ignored).
    pub policy_not_object: bool,
    /// Built-in essential units (`multi-user.target`, …) are found without a file.
    pub builtin_units: bool,
}

/// K10: how a unit of the per-user service manager (`--user`) is assessed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UserScope {
    /// As a system unit, but with the user manager's defaults (`KeyringMode=inherit`).
    Defaults,
    /// Also never "privileged": the User= row passes as the calling user's identity,
    /// `SupplementaryGroups=` is assessed, `RemoveIPC=` does not apply (262).
    Unprivileged,
}

/// The knobs of one target, K1–K11 of `shared/spec/versions.md`.
#[derive(Debug)]
pub struct Profile {
    /// What `--systemd-version` and `&v=` take: `257`, `252-rhel`.
    pub id: &'static str,
    /// Who ships it, for people: `Debian 13, Fedora 42, RHEL 10`.
    pub shipped_by: &'static str,
    /// The exact release it was checked against or read from: `257.13`.
    pub release: &'static str,
    pub evidence: Evidence,
    /// Other names accepted for it (distributions the spec pins, point releases checked).
    pub aliases: &'static [&'static str],
    /// K1.
    pub modes: Modes,
    /// K2.
    pub cap_bpf: CapBpf,
    /// K2: rows whose printed name differs from the registry's, by `json_field`.
    pub row_names: &'static [(&'static str, &'static str)],
    /// K3.
    pub order: RowOrder,
    /// K4.
    pub private_mounts: PrivateMounts,
    /// K5: values other than booleans that a boolean-fed setting accepts (each turns it on).
    pub accepts: &'static [(&'static str, &'static [&'static str])],
    /// K5.
    pub hostname: Hostname,
    /// K6: the device entry `LoadCredentialEncrypted=`/`SetCredentialEncrypted=` add when a
    /// device policy is in force.
    pub tpm_device: Option<&'static str>,
    /// K6: `RootMStack=` (a directive from 260) implies the image device entries as
    /// `RootImage=` does.
    pub root_mstack: bool,
    /// K6: the DeviceAllow= description lists the entries (`…special devices: a:rw`).
    pub device_list_in_text: bool,
    /// K7: the syscall groups, and the members libseccomp cannot resolve.
    pub groups: Groups,
    /// K1 (249): deny-list entries with their own errno (`~@mount:EPERM`) are recognised online.
    pub errno_entries_recognised: bool,
    /// K8.
    pub unknown_family: UnknownFamily,
    /// K9: the instance a bare template is assessed as, offline and online.
    pub instance: &'static str,
    pub online_instance: &'static str,
    /// K11.
    pub refusals: Refusals,
    /// K10: what `--user` (a unit of the per-user service manager) changes.
    pub user_scope: UserScope,
    /// K10: `DynamicUser=` in a per-user unit makes systemd refuse the unit (seen in 257 and
    /// 262, not in 254; 255 and 256 are taken as 254, as the spec's interpolation says).
    pub user_dynamic_refused: bool,
    /// The unit-file keys it parses, and those it recognises only as removed (verified releases'
    /// own tables; a release between two verified ones knows what either of them knows).
    pub directives: DirectiveTable,
    /// Found by the differential test against 262.1 (not in the spec): what a `~` capability
    /// list is computed against (259's capability parser, the spec's "no effect" note
    /// notwithstanding: `CapabilityBoundingSet=~` then `=CAP_X` keeps every capability).
    pub cap_invert: CapInvert,
    /// Found by the differential test against 262.1: an empty section header (`[]`) is an
    /// invalid header, so a unit file with one does not load (before, an unknown section).
    pub empty_section_fatal: bool,
    /// Found by the differential test against 254.26 and 257.13: the largest capability
    /// number a list takes (`CapabilityBoundingSet=~63`: 252 takes 63, 254 and later stop at
    /// 62 and skip 63 as unknown).
    pub max_capability_number: u32,
    /// Found by the differential test against 257.13: architectures its libseccomp knows
    /// beyond those of 252's (2.5.4), for `SystemCallArchitectures=`.
    pub extra_architectures: &'static [&'static str],
    /// Found by the differential test against 257.13: a service without `ExecStart=` that has
    /// credentials (`LoadCredential*=`, `SetCredential*=`) no longer defaults to
    /// `Type=oneshot` but to `simple`, so it is refused unless it says `Type=oneshot` (up to
    /// 254, and by derivation 256, it is a oneshot service like any without `ExecStart=`).
    pub credentials_need_exec_start: bool,
}

impl Profile {
    /// Whether `value` (not a boolean) turns the boolean-fed `setting` on (K5).
    pub fn accepts(&self, setting: &str, value: &str) -> bool {
        self.accepts
            .iter()
            .any(|(s, vs)| *s == setting && vs.contains(&value))
    }
}

/// The seven namespace rows under their 249 names.
const CLONE_NAMES: &[(&str, &str)] = &[
    (
        "RestrictNamespaces_user",
        "RestrictNamespaces=~CLONE_NEWUSER",
    ),
    ("RestrictNamespaces_mnt", "RestrictNamespaces=~CLONE_NEWNS"),
    ("RestrictNamespaces_ipc", "RestrictNamespaces=~CLONE_NEWIPC"),
    ("RestrictNamespaces_pid", "RestrictNamespaces=~CLONE_NEWPID"),
    (
        "RestrictNamespaces_cgroup",
        "RestrictNamespaces=~CLONE_NEWCGROUP",
    ),
    ("RestrictNamespaces_net", "RestrictNamespaces=~CLONE_NEWNET"),
    ("RestrictNamespaces_uts", "RestrictNamespaces=~CLONE_NEWUTS"),
];

const ACCEPTS_257: &[(&str, &[&str])] = &[
    ("PrivateTmp", &["connected", "disconnected"]),
    ("PrivateUsers", &["self", "identity"]),
    ("ProtectControlGroups", &["private", "strict"]),
];
const ACCEPTS_258: &[(&str, &[&str])] = &[
    ("PrivateTmp", &["connected", "disconnected"]),
    ("PrivateUsers", &["self", "identity", "full"]),
    ("ProtectControlGroups", &["private", "strict"]),
    ("ProtectHostname", &["private"]),
];
const ACCEPTS_260: &[(&str, &[&str])] = &[
    ("PrivateTmp", &["connected", "disconnected"]),
    ("PrivateUsers", &["self", "identity", "full", "managed"]),
    ("ProtectControlGroups", &["private", "strict"]),
    ("ProtectHostname", &["private"]),
];

const OLD_REFUSALS: Refusals = Refusals {
    no_units: false,
    policy_not_object: false,
    builtin_units: false,
};
const REFUSALS_256: Refusals = Refusals {
    no_units: true,
    ..OLD_REFUSALS
};
const REFUSALS_261: Refusals = Refusals {
    policy_not_object: true,
    ..REFUSALS_256
};
const REFUSALS_262: Refusals = Refusals {
    builtin_units: true,
    ..REFUSALS_261
};

/// Debian 12's 252: the base every other profile is written against.
const P252: Profile = Profile {
    id: "252",
    shipped_by: "Debian 12",
    release: "252.38",
    evidence: Evidence::Verified,
    aliases: &["debian-12", "bookworm", "252.38", "252.39"],
    modes: Modes::OfflineAndOnline,
    cap_bpf: CapBpf::Fixed,
    row_names: &[],
    order: RowOrder::GlibcMerge,
    private_mounts: PrivateMounts::Explicit,
    accepts: &[],
    hostname: Hostname::Boolean,
    tpm_device: Some("/dev/tpmrm0"),
    root_mstack: false,
    device_list_in_text: true,
    groups: syscalls::GROUPS_252,
    directives: DirectiveTable::Release("252"),
    user_scope: UserScope::Defaults,
    user_dynamic_refused: false,
    errno_entries_recognised: true,
    unknown_family: UnknownFamily::Skip,
    instance: "i",
    online_instance: "i",
    refusals: OLD_REFUSALS,
    cap_invert: CapInvert::AllBits,
    empty_section_fatal: false,
    max_capability_number: 63,
    extra_architectures: &[],
    credentials_need_exec_start: false,
};

const P254: Profile = Profile {
    id: "254",
    shipped_by: "Debian 12 backports",
    release: "254.26",
    aliases: &["debian-12-backports", "bookworm-backports", "254.26"],
    private_mounts: PrivateMounts::TriState,
    max_capability_number: 62,
    tpm_device: Some("char-tpm"),
    groups: syscalls::GROUPS_254,
    directives: DirectiveTable::Release("254"),
    ..P252
};

const P257: Profile = Profile {
    id: "257",
    shipped_by: "Debian 13, Fedora 42, RHEL 10",
    release: "257.13",
    aliases: &["debian-13", "trixie", "fedora-42", "rhel-10", "257.13"],
    accepts: ACCEPTS_257,
    groups: syscalls::GROUPS_257,
    directives: DirectiveTable::Release("257"),
    user_dynamic_refused: true,
    instance: "test_instance",
    online_instance: "test_instance",
    refusals: REFUSALS_256,
    extra_architectures: &["loongarch64"],
    credentials_need_exec_start: true,
    ..P254
};

const P258: Profile = Profile {
    id: "258",
    shipped_by: "",
    release: "258",
    evidence: Evidence::Derived,
    aliases: &[],
    accepts: ACCEPTS_258,
    hostname: Hostname::Enum,
    tpm_device: None,
    groups: syscalls::GROUPS_258,
    directives: DirectiveTable::Between("257", "262"),
    ..P257
};

const P262: Profile = Profile {
    id: "262",
    shipped_by: "Debian unstable",
    release: "262.1",
    evidence: Evidence::Verified,
    aliases: &["debian-sid", "sid", "unstable", "262.1"],
    order: RowOrder::EmptyFirst,
    accepts: ACCEPTS_260,
    root_mstack: true,
    groups: syscalls::GROUPS_262,
    directives: DirectiveTable::Release("262"),
    user_scope: UserScope::Unprivileged,
    unknown_family: UnknownFamily::Stop,
    refusals: REFUSALS_262,
    cap_invert: CapInvert::KernelKnown,
    empty_section_fatal: true,
    ..P258
};

/// Every target, oldest first.
pub static PROFILES: [Profile; 12] = [
    Profile {
        id: "249",
        shipped_by: "Ubuntu 22.04",
        release: "249",
        evidence: Evidence::Derived,
        aliases: &["ubuntu-22.04", "jammy"],
        modes: Modes::OnlineOnly,
        cap_bpf: CapBpf::Absent,
        row_names: CLONE_NAMES,
        order: RowOrder::Weight,
        // Encrypted credentials do not exist yet.
        tpm_device: None,
        device_list_in_text: false,
        groups: syscalls::GROUPS_249,
        errno_entries_recognised: false,
        online_instance: "test-instance",
        ..P252
    },
    P252,
    Profile {
        id: "252-rhel",
        shipped_by: "RHEL 9",
        release: "252 (RHEL 9)",
        evidence: Evidence::Derived,
        aliases: &["rhel-9"],
        cap_bpf: CapBpf::Absent,
        groups: syscalls::GROUPS_252_RHEL,
        ..P252
    },
    P254,
    Profile {
        id: "255",
        shipped_by: "Ubuntu 24.04",
        release: "255.4",
        evidence: Evidence::Derived,
        aliases: &["ubuntu-24.04", "noble"],
        cap_bpf: CapBpf::Swapped,
        groups: syscalls::GROUPS_255,
        directives: DirectiveTable::Between("254", "257"),
        ..P254
    },
    Profile {
        id: "256",
        shipped_by: "",
        release: "256",
        evidence: Evidence::Derived,
        aliases: &[],
        groups: syscalls::GROUPS_256,
        directives: DirectiveTable::Between("254", "257"),
        refusals: REFUSALS_256,
        ..P254
    },
    P257,
    P258,
    Profile {
        id: "259",
        release: "259",
        groups: syscalls::GROUPS_259,
        cap_invert: CapInvert::KernelKnown,
        ..P258
    },
    Profile {
        id: "260",
        release: "260",
        root_mstack: true,
        accepts: ACCEPTS_260,
        groups: syscalls::GROUPS_260,
        cap_invert: CapInvert::KernelKnown,
        ..P258
    },
    Profile {
        id: "261",
        release: "261",
        root_mstack: true,
        accepts: ACCEPTS_260,
        groups: syscalls::GROUPS_261,
        unknown_family: UnknownFamily::Stop,
        refusals: REFUSALS_261,
        cap_invert: CapInvert::KernelKnown,
        ..P258
    },
    P262,
];

/// A target: a handle on one of the [`PROFILES`].
#[derive(Clone, Copy)]
pub struct Version(&'static Profile);

impl Default for Version {
    /// The version scored when none is chosen: Debian 13's, Fedora 42's and RHEL 10's 257.
    fn default() -> Self {
        Version::V257
    }
}

impl PartialEq for Version {
    fn eq(&self, other: &Self) -> bool {
        self.0.id == other.0.id
    }
}

impl Eq for Version {}

impl std::fmt::Debug for Version {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Version({})", self.0.id)
    }
}

impl Serialize for Version {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.0.id)
    }
}

impl Version {
    /// Debian 12's systemd 252.
    pub const V252: Version = Version(&PROFILES[1]);
    /// Debian 13's systemd 257, the default.
    pub const V257: Version = Version(&PROFILES[6]);

    /// Every target, oldest first.
    pub fn all() -> impl Iterator<Item = Version> {
        PROFILES.iter().map(Version)
    }

    pub fn profile(self) -> &'static Profile {
        self.0
    }

    pub fn as_str(self) -> &'static str {
        self.0.id
    }

    /// A profile by id (`257`, `v257`, `252-rhel`), distribution (`debian-13`, `rhel-9`) or
    /// checked point release (`257.13`); case does not matter.
    pub fn parse(s: &str) -> Option<Version> {
        let s = s.trim().to_ascii_lowercase();
        let id = s.strip_prefix('v').unwrap_or(&s);
        Version::all().find(|v| v.0.id == id || v.0.aliases.contains(&s.as_str()))
    }

    /// The ids and aliases [`Version::parse`] takes, for messages.
    pub fn choices() -> String {
        Version::all()
            .map(|v| {
                if v.0.aliases.is_empty() {
                    v.0.id.to_owned()
                } else {
                    format!("{} ({})", v.0.id, v.0.aliases.join(", "))
                }
            })
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// Whether the check at this registry index exists in this version.
    pub fn has_check(self, index: usize) -> bool {
        index != crate::checks::CAP_BPF_INDEX || self.0.cap_bpf != CapBpf::Absent
    }

    /// Whether unit files can be scored (otherwise only `systemctl show` captures).
    pub fn reads_unit_files(self) -> bool {
        self.0.modes == Modes::OfflineAndOnline
    }

    /// Why a unit file cannot be scored for this version, when it cannot.
    pub fn unit_files_refused(self) -> Option<String> {
        (!self.reads_unit_files()).then(|| {
            format!(
                "systemd {} has no offline mode: its systemd-analyze security scores only units a \
                 running systemd has loaded. Paste `systemctl show UNIT` output of that machine to \
                 score it as {} does, or choose another version",
                self.0.id, self.0.id
            )
        })
    }

    /// `as systemd 257 scores it`, the words beside a score.
    pub fn scores_it(self) -> String {
        format!("as systemd {} scores it", self.0.id)
    }

    /// The first profile (oldest first) that accepts `value` for the boolean-fed `setting`
    /// beyond booleans, for "needs 257" diagnostics.
    pub fn first_accepting(setting: &str, value: &str) -> Option<Version> {
        Version::all().find(|v| v.accepts(setting, value))
    }

    /// Whether `value` (not a boolean) turns `setting` on in this version.
    pub fn accepts(self, setting: &str, value: &str) -> bool {
        self.0.accepts(setting, value)
    }
}

impl Version {
    /// The name the version prints for a check (K2: 249 names the namespace rows after the
    /// clone flags).
    pub fn row_name(self, c: &crate::checks::Check) -> &'static str {
        self.0
            .row_names
            .iter()
            .find(|(f, _)| *f == c.json_field)
            .map_or(c.name, |&(_, n)| n)
    }

    /// What is particular to the check at `index` in this version, for `explain` and the
    /// page: `257 (verified against real binaries): …`, saying whether the version has the
    /// row and which values beyond yes/no its setting takes here and from which version.
    pub fn explain_check(self, index: usize) -> String {
        let c = &crate::checks::REGISTRY[index];
        let mut out = format!("{} ({}): ", self.0.id, self.0.evidence.label());
        if !self.has_check(index) {
            out.push_str("this check does not exist; the score is computed without it.");
            return out;
        }
        out.push_str(&format!("the check is scored as {}.", self.row_name(c)));
        let setting = c.json_field;
        let mut values: Vec<&str> = Vec::new();
        for v in Version::all() {
            for (s, vs) in v.0.accepts {
                if *s == setting {
                    for x in *vs {
                        if !values.contains(x) {
                            values.push(x);
                        }
                    }
                }
            }
        }
        for x in values {
            let since = Version::first_accepting(setting, x).map_or("", |v| v.as_str());
            if self.accepts(setting, x) {
                out.push_str(&format!(" {setting}={x} passes (since {since})."));
            } else {
                out.push_str(&format!(
                    " {setting}={x} is ignored here (needs {since}), so the check fails on it."
                ));
            }
        }
        out
    }
}

impl std::fmt::Display for Version {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.0.id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_and_aliases_parse() {
        assert_eq!(Version::parse("252"), Some(Version::V252));
        for (s, id) in [
            ("v257", "257"),
            ("debian-13", "257"),
            ("RHEL-10", "257"),
            ("rhel-9", "252-rhel"),
            ("ubuntu-22.04", "249"),
            ("ubuntu-24.04", "255"),
            ("bookworm-backports", "254"),
            ("sid", "262"),
            ("262", "262"),
        ] {
            assert_eq!(Version::parse(s).map(|v| v.as_str()), Some(id), "{s}");
        }
        assert_eq!(Version::parse("263"), None);
        assert_eq!(Version::parse(""), None);
        let ids: Vec<_> = Version::all().map(|v| v.as_str()).collect();
        assert_eq!(
            ids,
            [
                "249", "252", "252-rhel", "254", "255", "256", "257", "258", "259", "260", "261",
                "262"
            ]
        );
    }

    #[test]
    fn labels_say_what_backs_each_profile() {
        let verified: Vec<_> = Version::all()
            .filter(|v| v.profile().evidence == Evidence::Verified)
            .map(|v| v.as_str())
            .collect();
        assert_eq!(verified, ["252", "254", "257", "262"]);
    }

    #[test]
    fn values_name_the_version_that_brought_them() {
        let first = |s, v| Version::first_accepting(s, v).map(|v| v.as_str());
        assert_eq!(first("PrivateTmp", "disconnected"), Some("257"));
        assert_eq!(first("PrivateUsers", "full"), Some("258"));
        assert_eq!(first("PrivateUsers", "managed"), Some("260"));
        assert_eq!(first("ProtectHostname", "private"), Some("258"));
        assert_eq!(first("PrivateTmp", "bogus"), None);
    }
}
