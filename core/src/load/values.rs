//! Value parsers shared by the offline loader and the online reader.

use super::cparse::{self, UNQUOTE};
use crate::model::{
    DevicePolicy, IpPrefix, KeyringMode, Model, NotifyAccess, ProcSubset, ProtectHome, ProtectProc,
    ProtectSystem,
};
use crate::tables::cap_bit;
use std::borrow::Cow;

/// systemd's `parse_boolean()`.
pub fn parse_boolean(v: &str) -> Option<bool> {
    const YES: &[&str] = &["1", "yes", "y", "true", "t", "on"];
    const NO: &[&str] = &["0", "no", "n", "false", "f", "off"];
    if YES.iter().any(|y| y.eq_ignore_ascii_case(v)) {
        Some(true)
    } else if NO.iter().any(|n| n.eq_ignore_ascii_case(v)) {
        Some(false)
    } else {
        None
    }
}

/// Splits a value into words the way `extract_first_word(…, EXTRACT_UNQUOTE)` does: separated
/// by whitespace, with `'…'`/`"…"` quoting and backslash escapes. `None` on bad quoting.
pub fn words(v: &str) -> Option<Vec<String>> {
    let (ws, bad) = cparse::words(v, UNQUOTE);
    (!bad).then(|| ws.into_iter().map(Cow::into_owned).collect())
}

/// Parses an IP prefix the way `in_addr_prefix_from_string_auto()` does (a missing prefix
/// length means a full-length prefix; the length is read like C's `strtoul`, so `010` is 8).
pub fn parse_ip_prefix(s: &str) -> Option<IpPrefix> {
    let (addr, len) = match s.split_once('/') {
        Some((a, l)) => (a, Some(l)),
        None => (s, None),
    };
    let (v6, bytes, max) = if let Ok(a) = addr.parse::<std::net::Ipv4Addr>() {
        let mut b = [0u8; 16];
        b[..4].copy_from_slice(&a.octets());
        (false, b, 32u8)
    } else if let Ok(a) = addr.parse::<std::net::Ipv6Addr>() {
        (true, a.octets(), 128u8)
    } else {
        return None;
    };
    let prefix_len = match len {
        None => max,
        Some(l) => {
            let n = cparse::safe_atou(l, 0)?;
            if n > u32::from(max) {
                return None;
            }
            n as u8
        }
    };
    Some(IpPrefix {
        v6,
        addr: bytes,
        prefix_len,
    })
}

/// The words of a model enum, as unit files and `systemctl show` both write them.
pub(crate) trait Words: Copy + 'static {
    /// Each word with its value (compared case-sensitively).
    const WORDS: &'static [(&'static str, Self)];
    /// The values of a true and a false boolean, for a setting that takes one too (read
    /// before the words, in any of `parse_boolean()`'s spellings).
    const BOOLEAN: Option<(Self, Self)> = None;

    /// The value `v` names, if any.
    fn parse(v: &str) -> Option<Self> {
        if let Some((yes, no)) = Self::BOOLEAN
            && let Some(b) = parse_boolean(v)
        {
            return Some(if b { yes } else { no });
        }
        Self::WORDS.iter().find(|(w, _)| *w == v).map(|&(_, t)| t)
    }

    /// The accepted words (`yes` and `no` first where a boolean is taken).
    fn names() -> Vec<&'static str> {
        let booleans = Self::BOOLEAN.map(|_| ["yes", "no"]).unwrap_or_default();
        booleans
            .into_iter()
            .chain(Self::WORDS.iter().map(|(w, _)| *w))
            .collect()
    }

    /// The accepted words as a sentence lists them: `yes, no, read-only or tmpfs`.
    fn expected() -> String {
        let names = Self::names();
        match names.split_last() {
            Some((last, [])) => (*last).to_owned(),
            Some((last, rest)) => format!("{} or {last}", rest.join(", ")),
            None => String::new(),
        }
    }

    /// Why the loader ignores a value that is none of the words.
    fn ignored_why() -> String {
        if Self::BOOLEAN.is_some() {
            format!("expected {}", Self::expected())
        } else {
            format!("expected one of {}", Self::names().join(", "))
        }
    }
}

impl Words for ProtectHome {
    const WORDS: &'static [(&'static str, Self)] = &[
        ("read-only", ProtectHome::ReadOnly),
        ("tmpfs", ProtectHome::Tmpfs),
    ];
    const BOOLEAN: Option<(Self, Self)> = Some((ProtectHome::Yes, ProtectHome::No));
}

impl Words for ProtectSystem {
    const WORDS: &'static [(&'static str, Self)] = &[
        ("full", ProtectSystem::Full),
        ("strict", ProtectSystem::Strict),
    ];
    const BOOLEAN: Option<(Self, Self)> = Some((ProtectSystem::Yes, ProtectSystem::No));
}

impl Words for ProtectProc {
    const WORDS: &'static [(&'static str, Self)] = &[
        ("default", ProtectProc::Default),
        ("noaccess", ProtectProc::NoAccess),
        ("invisible", ProtectProc::Invisible),
        ("ptraceable", ProtectProc::Ptraceable),
    ];
}

impl Words for ProcSubset {
    const WORDS: &'static [(&'static str, Self)] =
        &[("all", ProcSubset::All), ("pid", ProcSubset::Pid)];
}

impl Words for KeyringMode {
    const WORDS: &'static [(&'static str, Self)] = &[
        ("inherit", KeyringMode::Inherit),
        ("private", KeyringMode::Private),
        ("shared", KeyringMode::Shared),
    ];
}

impl Words for NotifyAccess {
    const WORDS: &'static [(&'static str, Self)] = &[
        ("none", NotifyAccess::None),
        ("main", NotifyAccess::Main),
        ("exec", NotifyAccess::Exec),
        ("all", NotifyAccess::All),
    ];
}

impl Words for DevicePolicy {
    const WORDS: &'static [(&'static str, Self)] = &[
        ("auto", DevicePolicy::Auto),
        ("closed", DevicePolicy::Closed),
        ("strict", DevicePolicy::Strict),
    ];
}

/// An enum-valued setting and the model field it fills.
pub(crate) struct EnumSetting {
    pub name: &'static str,
    /// Puts the value into the model; `false`, with the model untouched, when the value is
    /// none of the setting's words.
    pub set: fn(&mut Model, &str) -> bool,
    /// What the online reader holds for a value it cannot read.
    pub unreadable: fn(&mut Model),
    /// [`Words::expected`] and [`Words::ignored_why`] of the setting's enum.
    pub expected: fn() -> String,
    pub ignored_why: fn() -> String,
}

/// Puts the value `v` names into an optional field.
fn put<T: Words>(slot: &mut Option<T>, v: &str) -> bool {
    T::parse(v).map(|t| *slot = Some(t)).is_some()
}

/// `DevicePolicy=`, the one enum setting the model does not hold as an option.
pub(crate) const DEVICE_POLICY: EnumSetting = EnumSetting {
    name: "DevicePolicy",
    set: |m, v| {
        DevicePolicy::parse(v)
            .map(|p| m.device_policy = p)
            .is_some()
    },
    unreadable: |m| m.device_policy = DevicePolicy::Auto,
    expected: DevicePolicy::expected,
    ignored_why: DevicePolicy::ignored_why,
};

/// An enum setting held in an optional model field (unreadable online: `None`).
macro_rules! optional {
    ($name:literal, $field:ident, $ty:ty) => {
        EnumSetting {
            name: $name,
            set: |m, v| put(&mut m.$field, v),
            unreadable: |m| m.$field = None,
            expected: <$ty>::expected,
            ignored_why: <$ty>::ignored_why,
        }
    };
}

/// The enum settings, in the order the online reader reads them.
pub(crate) const ENUMS: &[EnumSetting] = &[
    optional!("ProtectHome", protect_home, ProtectHome),
    optional!("ProtectSystem", protect_system, ProtectSystem),
    optional!("ProtectProc", protect_proc, ProtectProc),
    optional!("ProcSubset", proc_subset, ProcSubset),
    optional!("KeyringMode", keyring_mode, KeyringMode),
    optional!("NotifyAccess", notify_access, NotifyAccess),
    DEVICE_POLICY,
];

/// The enum setting called `name`.
pub(crate) fn enum_named(name: &str) -> Option<&'static EnumSetting> {
    ENUMS.iter().find(|s| s.name == name)
}

/// How the offline loader reads a boolean setting; the online reader reads each as a plain
/// boolean, since `systemctl show` prints the effective value.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum BoolKind {
    /// A boolean; anything else is ignored.
    Plain,
    /// A boolean, or a value the version accepts beyond booleans, which turns it on (K5).
    OrValue,
    /// A boolean, a bad value being fatal (`DynamicUser=`).
    Fatal,
    /// `PrivateMounts=`: a boolean, or tri-state by version (K4).
    PrivateMounts,
    /// `ProtectHostname=`: a boolean, or an enum by version (K5).
    Hostname,
    /// `Delegate=`: a boolean or a list of controllers.
    Delegate,
}

/// A boolean setting and the model field it sets.
pub(crate) struct BoolSetting {
    pub name: &'static str,
    pub field: fn(&mut Model) -> &mut bool,
    pub offline: BoolKind,
}

const fn plain(name: &'static str, field: fn(&mut Model) -> &mut bool) -> BoolSetting {
    BoolSetting {
        name,
        field,
        offline: BoolKind::Plain,
    }
}

const fn special(
    name: &'static str,
    field: fn(&mut Model) -> &mut bool,
    offline: BoolKind,
) -> BoolSetting {
    BoolSetting {
        name,
        field,
        offline,
    }
}

/// The boolean settings, in the order the online reader reads them.
pub(crate) const BOOLEANS: &[BoolSetting] = &[
    special("DynamicUser", |m| &mut m.dynamic_user, BoolKind::Fatal),
    plain("PrivateDevices", |m| &mut m.private_devices),
    special(
        "PrivateMounts",
        |m| &mut m.private_mounts,
        BoolKind::PrivateMounts,
    ),
    plain("PrivateNetwork", |m| &mut m.private_network),
    special("PrivateTmp", |m| &mut m.private_tmp, BoolKind::OrValue),
    special("PrivateUsers", |m| &mut m.private_users, BoolKind::OrValue),
    special(
        "ProtectControlGroups",
        |m| &mut m.protect_control_groups,
        BoolKind::OrValue,
    ),
    plain("ProtectKernelModules", |m| &mut m.protect_kernel_modules),
    plain("ProtectKernelTunables", |m| &mut m.protect_kernel_tunables),
    plain("ProtectKernelLogs", |m| &mut m.protect_kernel_logs),
    plain("ProtectClock", |m| &mut m.protect_clock),
    special(
        "ProtectHostname",
        |m| &mut m.protect_hostname,
        BoolKind::Hostname,
    ),
    plain("LockPersonality", |m| &mut m.lock_personality),
    plain("MemoryDenyWriteExecute", |m| {
        &mut m.memory_deny_write_execute
    }),
    plain("NoNewPrivileges", |m| &mut m.no_new_privileges),
    plain("RemoveIPC", |m| &mut m.remove_ipc),
    plain("RestrictRealtime", |m| &mut m.restrict_realtime),
    plain("RestrictSUIDSGID", |m| &mut m.restrict_suid_sgid),
    special("Delegate", |m| &mut m.delegate, BoolKind::Delegate),
];

/// The boolean setting called `name`.
pub(crate) fn boolean_named(name: &str) -> Option<&'static BoolSetting> {
    BOOLEANS.iter().find(|s| s.name == name)
}

/// A setting that, when on, drops capabilities from the bounding set.
pub(crate) struct CapabilityDrop {
    pub by: &'static str,
    pub on: fn(&Model) -> bool,
    pub caps: &'static [&'static str],
}

impl CapabilityDrop {
    /// The bits it drops.
    pub(crate) fn mask(&self) -> u64 {
        self.caps.iter().fold(0, |a, c| a | cap_bit(c))
    }
}

/// The capabilities settings drop, in the order the loader applies them
/// (`unit_patch_contexts()`); the online analyzer applies the first one last.
pub(crate) const IMPLIED_CAPABILITY_DROPS: &[CapabilityDrop] = &[
    CapabilityDrop {
        by: "PrivateDevices",
        on: |m| m.private_devices,
        caps: &["cap_mknod", "cap_sys_rawio"],
    },
    CapabilityDrop {
        by: "ProtectKernelModules",
        on: |m| m.protect_kernel_modules,
        caps: &["cap_sys_module"],
    },
    CapabilityDrop {
        by: "ProtectKernelLogs",
        on: |m| m.protect_kernel_logs,
        caps: &["cap_syslog"],
    },
    CapabilityDrop {
        by: "ProtectClock",
        on: |m| m.protect_clock,
        caps: &["cap_sys_time", "cap_wake_alarm"],
    },
];

/// The settings the assessment reads besides [`BOOLEANS`] and [`ENUMS`], each with a reader of
/// its own: users, paths, lists, credentials.
const OTHER_SETTINGS: &[&str] = &[
    "User",
    "SupplementaryGroups",
    "RootDirectory",
    "RootImage",
    "CapabilityBoundingSet",
    "AmbientCapabilities",
    "UMask",
    "RestrictNamespaces",
    "RestrictAddressFamilies",
    "SystemCallArchitectures",
    "SystemCallFilter",
    "IPAddressAllow",
    "IPAddressDeny",
    "IPIngressFilterPath",
    "IPEgressFilterPath",
    "DeviceAllow",
    "DefaultDependencies",
    "MountImages",
    "LoadCredential",
    "LoadCredentialEncrypted",
    "SetCredential",
    "SetCredentialEncrypted",
];

/// Which setting the assessment reads a key is, as a static name for provenance.
pub(crate) fn setting_name(key: &str) -> Option<&'static str> {
    let names = BOOLEANS.iter().map(|b| b.name);
    let names = names.chain(ENUMS.iter().map(|e| e.name));
    names
        .chain(OTHER_SETTINGS.iter().copied())
        .find(|n| *n == key)
}

/// The properties a loaded service always prints, even in plain `systemctl show`: the
/// booleans, the enums and a few more, in the order the online reader reads them.
pub(crate) fn always_printed() -> impl Iterator<Item = &'static str> {
    let enums = ENUMS.iter().filter(|e| e.name != DEVICE_POLICY.name);
    BOOLEANS
        .iter()
        .map(|b| b.name)
        .chain(enums.map(|e| e.name))
        .chain([
            "UMask",
            "RestrictNamespaces",
            DEVICE_POLICY.name,
            "DefaultDependencies",
        ])
}

/// The names of the boolean settings (for test generators).
pub fn boolean_setting_names() -> impl Iterator<Item = &'static str> {
    BOOLEANS.iter().map(|b| b.name)
}
