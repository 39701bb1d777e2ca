//! The typed security model: the effective values of every setting the assessment reads,
//! as systemd's unit loader (offline) or PID 1 (online) would hold them, with provenance.

use std::sync::Arc;

use serde::Serialize;
use serde::ser::SerializeMap;

use crate::syscalls::SyscallSet;

/// Where a value came from: a line of the input, or an implication of another setting.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Origin {
    /// The file within the input (`None` for a single pasted unit).
    pub file: Option<Arc<str>>,
    /// 1-based line in the whole input.
    pub line: u32,
    /// The directive as written, e.g. `DynamicUser=yes`. Shared: provenance is cloned into
    /// every row that reads the setting.
    pub directive: Arc<str>,
    /// True when the value was implied by `directive` rather than set by it.
    pub implied: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum ProtectHome {
    No,
    Yes,
    ReadOnly,
    Tmpfs,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum ProtectSystem {
    No,
    Yes,
    Full,
    Strict,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum ProtectProc {
    Default,
    NoAccess,
    Invisible,
    Ptraceable,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum ProcSubset {
    All,
    Pid,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum KeyringMode {
    Inherit,
    Private,
    Shared,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum NotifyAccess {
    None,
    Main,
    Exec,
    All,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum DevicePolicy {
    Auto,
    Closed,
    Strict,
}

/// An IP prefix from `IPAddressAllow=`/`IPAddressDeny=`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct IpPrefix {
    pub v6: bool,
    /// Address bytes (IPv4 in the first four).
    pub addr: [u8; 16],
    pub prefix_len: u8,
}

/// A `RestrictAddressFamilies=` value: allow-list or deny-list of family numbers. Families
/// that have no number (only possible online, from an unknown name) are kept as `u16::MAX`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct AfFilter {
    pub allow_list: bool,
    pub families: Vec<u16>,
}

/// A `SystemCallFilter=` value.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct SyscallFilter {
    pub allow_list: bool,
    pub set: SyscallSet,
}

/// Whether a value was read from unit files (offline) or from a running manager (online);
/// the analyzer treats a few values differently in each.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Mode {
    #[default]
    Offline,
    Online,
}

/// The lines behind each setting, by directive name: a vector kept sorted by name (a unit sets a
/// few dozen settings at most), which costs the page far less code than a `BTreeMap` and keeps
/// its order and its JSON (an object, keys in order).
#[derive(Clone, PartialEq, Eq, Default)]
pub struct Origins(Vec<(&'static str, Vec<Origin>)>);

/// Printed as a map, as the `BTreeMap` it replaces was.
impl std::fmt::Debug for Origins {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_map()
            .entries(self.0.iter().map(|(k, v)| (k, v)))
            .finish()
    }
}

impl Origins {
    fn find(&self, setting: &str) -> Result<usize, usize> {
        self.0.binary_search_by(|(s, _)| (*s).cmp(setting))
    }

    /// The lines behind `setting`, if any line set or implied it.
    pub fn get(&self, setting: &str) -> Option<&Vec<Origin>> {
        self.find(setting).ok().map(|i| &self.0[i].1)
    }

    pub fn contains_key(&self, setting: &str) -> bool {
        self.find(setting).is_ok()
    }

    /// The lines behind `setting`, an empty list added first if it has none.
    pub fn lines_mut(&mut self, setting: &'static str) -> &mut Vec<Origin> {
        let i = self.find(setting).unwrap_or_else(|i| {
            self.0.insert(i, (setting, Vec::new()));
            i
        });
        &mut self.0[i].1
    }
}

impl std::ops::Index<&str> for Origins {
    type Output = Vec<Origin>;
    fn index(&self, setting: &str) -> &Vec<Origin> {
        self.get(setting)
            .expect("no origin recorded for this setting")
    }
}

impl Serialize for Origins {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.0.len()))?;
        for (setting, lines) in &self.0 {
            map.serialize_entry(setting, lines)?;
        }
        map.end()
    }
}

/// The effective security settings of one unit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Model {
    pub mode: Mode,
    /// Unit name as assessed, e.g. `foo@i.service`.
    pub unit: String,
    /// Whether the unit type has an execution context (service, socket, mount, swap).
    pub has_exec_context: bool,
    pub default_dependencies: bool,
    /// `None`: unset (runs as root unless DynamicUser).
    pub user: Option<String>,
    pub dynamic_user: bool,
    pub supplementary_groups: Vec<String>,
    pub private_devices: bool,
    pub private_mounts: bool,
    pub private_network: bool,
    pub private_tmp: bool,
    pub private_users: bool,
    pub protect_control_groups: bool,
    pub protect_kernel_modules: bool,
    pub protect_kernel_tunables: bool,
    pub protect_kernel_logs: bool,
    pub protect_clock: bool,
    pub protect_hostname: bool,
    pub lock_personality: bool,
    pub memory_deny_write_execute: bool,
    pub no_new_privileges: bool,
    pub remove_ipc: bool,
    pub restrict_realtime: bool,
    pub restrict_suid_sgid: bool,
    pub delegate: bool,
    /// `None` only for units without an execution context.
    pub protect_home: Option<ProtectHome>,
    pub protect_system: Option<ProtectSystem>,
    pub protect_proc: Option<ProtectProc>,
    pub proc_subset: Option<ProcSubset>,
    pub keyring_mode: Option<KeyringMode>,
    pub notify_access: Option<NotifyAccess>,
    /// A unit of the per-user service manager (`systemd-analyze --user`), K10.
    pub user_manager: bool,
    pub root_directory: Option<String>,
    pub root_image: Option<String>,
    pub capability_bounding_set: u64,
    pub ambient_capabilities: u64,
    pub umask: u32,
    /// Namespace types the unit may still create (clone flags).
    pub restrict_namespaces: u64,
    pub restrict_address_families: AfFilter,
    /// Architecture names as stored (`native`, `x86-64`, …).
    pub syscall_architectures: Vec<String>,
    pub syscall_filter: SyscallFilter,
    pub ip_address_allow: Vec<IpPrefix>,
    pub ip_address_deny: Vec<IpPrefix>,
    pub ip_ingress_filter_path: Vec<String>,
    pub ip_egress_filter_path: Vec<String>,
    pub device_policy: DevicePolicy,
    /// `(path, perms)` newest first, as the analyzer lists them.
    pub device_allow: Vec<(String, String)>,
    /// For each setting (by directive name, e.g. `PrivateTmp`), the lines that set or
    /// implied its current value, oldest first.
    pub origins: Origins,
}

impl Model {
    /// The defaults of a system service before any directive (systemd 252).
    pub fn service_defaults(unit: &str) -> Model {
        Model {
            mode: Mode::Offline,
            unit: unit.to_owned(),
            has_exec_context: true,
            default_dependencies: true,
            user: None,
            dynamic_user: false,
            supplementary_groups: Vec::new(),
            private_devices: false,
            private_mounts: false,
            private_network: false,
            private_tmp: false,
            private_users: false,
            protect_control_groups: false,
            protect_kernel_modules: false,
            protect_kernel_tunables: false,
            protect_kernel_logs: false,
            protect_clock: false,
            protect_hostname: false,
            lock_personality: false,
            memory_deny_write_execute: false,
            no_new_privileges: false,
            remove_ipc: false,
            restrict_realtime: false,
            restrict_suid_sgid: false,
            delegate: false,
            protect_home: Some(ProtectHome::No),
            protect_system: Some(ProtectSystem::No),
            protect_proc: Some(ProtectProc::Default),
            proc_subset: Some(ProcSubset::All),
            keyring_mode: Some(KeyringMode::Private),
            notify_access: Some(NotifyAccess::None),
            user_manager: false,
            root_directory: None,
            root_image: None,
            capability_bounding_set: u64::MAX,
            ambient_capabilities: 0,
            umask: 0o022,
            restrict_namespaces: u64::MAX,
            restrict_address_families: AfFilter::default(),
            syscall_architectures: Vec::new(),
            syscall_filter: SyscallFilter::default(),
            ip_address_allow: Vec::new(),
            ip_address_deny: Vec::new(),
            ip_ingress_filter_path: Vec::new(),
            ip_egress_filter_path: Vec::new(),
            device_policy: DevicePolicy::Auto,
            device_allow: Vec::new(),
            origins: Origins::default(),
        }
    }

    /// The analyzer's own defaults for a unit without an execution context (e.g. a target):
    /// nothing is set, the umask is 0002, the keyring mode and notify access are unset.
    pub fn no_exec_defaults(unit: &str) -> Model {
        Model {
            has_exec_context: false,
            protect_home: None,
            protect_system: None,
            protect_proc: None,
            proc_subset: None,
            keyring_mode: None,
            notify_access: None,
            umask: 0o002,
            ..Model::service_defaults(unit)
        }
    }

    /// Whether the unit runs with root privileges, as the analyzer decides it: the user is
    /// `root`/`0`, or there is neither a user nor a dynamic user.
    pub fn runs_privileged(&self) -> bool {
        match self.user.as_deref() {
            Some("root") | Some("0") => true,
            Some("") | None => !self.dynamic_user,
            Some(_) => false,
        }
    }

    /// Whether `IPAddressDeny=` covers everything: an IPv4 /0 and an IPv6 /0 entry (one of
    /// them alone is not enough for the analyzer).
    pub fn denies_all_ip(&self) -> bool {
        self.ip_address_deny
            .iter()
            .any(|p| !p.v6 && p.prefix_len == 0)
            && self
                .ip_address_deny
                .iter()
                .any(|p| p.v6 && p.prefix_len == 0)
    }

    pub fn note(&mut self, setting: &'static str, origin: Origin) {
        self.origins.lines_mut(setting).push(origin);
    }

    /// Replaces the provenance of a setting (used when a value is reset).
    pub fn reset_note(&mut self, setting: &'static str, origin: Option<Origin>) {
        let v = self.origins.lines_mut(setting);
        v.clear();
        v.extend(origin);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(line: u32) -> Origin {
        Origin {
            file: None,
            line,
            directive: Arc::from("X=1"),
            implied: false,
        }
    }

    #[test]
    fn origins_stay_sorted_by_setting_and_serialize_as_an_object() {
        let mut m = Model::service_defaults("a.service");
        m.note("ProtectSystem", at(3));
        m.note("CapabilityBoundingSet", at(5));
        m.note("ProtectSystem", at(7));
        m.reset_note("NoNewPrivileges", Some(at(9)));
        assert!(m.origins.contains_key("ProtectSystem"));
        assert!(!m.origins.contains_key("PrivateTmp"));
        assert_eq!(
            m.origins["ProtectSystem"]
                .iter()
                .map(|o| o.line)
                .collect::<Vec<_>>(),
            [3, 7]
        );
        m.reset_note("ProtectSystem", None);
        assert_eq!(m.origins.get("ProtectSystem").map(Vec::len), Some(0));
        // Written in order of the settings' names, as an object (as the BTreeMap was).
        let json = serde_json::to_string(&m.origins).unwrap();
        let at = |k: &str| json.find(&format!("\"{k}\":")).unwrap();
        assert!(json.starts_with('{'));
        assert!(at("CapabilityBoundingSet") < at("NoNewPrivileges"));
        assert!(at("NoNewPrivileges") < at("ProtectSystem"));
        assert!(format!("{:?}", m.origins).starts_with("{\"CapabilityBoundingSet\": ["));
    }
}
