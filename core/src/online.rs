//! The online path: `systemctl show` properties → [`Model`], read the way
//! `systemd-analyze security` reads a unit's D-Bus properties (systemd 252), including the
//! adjustments the online analyzer makes itself.
//!
//! What `systemctl show` prints differs from unit-file syntax in ways that matter here:
//!
//! - values are the manager's effective ones: drop-ins merged, `~` lists inverted, groups and
//!   keywords expanded, `unit_patch_contexts()` implications applied;
//! - empty values are left out of plain `show`, so a missing line means *empty* (a missing
//!   `CapabilityBoundingSet=` is the empty set, a missing `User=` is root), not "default";
//! - `RestrictAddressFamilies=`/`SystemCallFilter=` print `~` for a deny list: an absent line or
//!   `=~` (`--all`) is the empty deny list (no restriction) while `=` with nothing after it is
//!   the empty *allow* list (nothing allowed);
//! - capabilities are lowercase names (`0x29` for an unnamed bit), namespaces the *allowed*
//!   types (`yes` none, `no` all), `UMask=` octal, `DeviceAllow=` one `PATH PERMS` line per
//!   entry in the order the analyzer lists them.
//!
//! After reading, the online analyzer turns PrivateMounts= on when other settings imply a
//! mount namespace, and drops again the capabilities that PrivateDevices= and the
//! ProtectKernel*/ProtectClock settings remove (a no-op on real output).

use crate::Options;
use crate::diag::{Diagnostic, Severity};
use crate::load::values::{
    BOOLEANS, DEVICE_POLICY, ENUMS, EnumSetting, IMPLIED_CAPABILITY_DROPS, always_printed,
    parse_boolean, parse_ip_prefix, words,
};
use crate::model::{AfFilter, IpPrefix, Mode, Model, Origin, SyscallFilter};
use crate::report::UnitReport;
use crate::show::{self, Property, ShowUnit};
use crate::syscalls::SyscallSet;
use crate::tables;

/// The result of reading one unit's properties: the shape of a unit loaded offline, so both
/// are scored by the one `scored` in `lib.rs`.
pub type Online = crate::load::Loaded;

/// Reads one unit of `systemctl show` output. `fallback_name` names a unit without `Id=`.
pub fn from_show(u: &ShowUnit<'_>, fallback_name: &str) -> Online {
    from_show_as(u, fallback_name, crate::Version::V252)
}

/// [`from_show`] as the analyzer of `version` reads the properties.
pub fn from_show_as(u: &ShowUnit<'_>, fallback_name: &str, version: crate::Version) -> Online {
    let mut r = Reader {
        m: Model::service_defaults(fallback_name),
        diags: u.diagnostics.clone(),
        errno_entries: version.profile().errno_entries_recognised,
    };
    r.m.mode = Mode::Online;
    let name = match u.id() {
        Some(id) => id.to_owned(),
        None => {
            r.diags.push(Diagnostic::new(
                Severity::Warning,
                "missing-id",
                format!("The output has no Id= line; the unit is assessed as {fallback_name}"),
            ));
            fallback_name.to_owned()
        }
    };
    r.m.unit = name.clone();
    r.read(u);

    let refused = refusal(u, &name, &mut r.diags);
    if refused.is_none() {
        r.diags.extend(partial_show(u));
    }
    r.online_adjustments(u);
    Online {
        model: r.m,
        diagnostics: r.diags,
        refused,
    }
}

/// Why `systemd-analyze security` refuses the unit online (not a service, not loaded), if it
/// does, with the diagnostic that says so.
fn refusal(u: &ShowUnit<'_>, name: &str, diags: &mut Vec<Diagnostic>) -> Option<String> {
    let mut refused = None;
    if !name.ends_with(".service") {
        refused = Some(format!(
            "Unit {name} is not a service: systemd-analyze security assesses only services online."
        ));
        let mut d = Diagnostic::new(
            Severity::Error,
            "not-a-service",
            format!("{name} is not a .service unit; systemd-analyze security refuses it online"),
        );
        if let Some(p) = u.get("Id") {
            d = d.at(None, p.span);
        }
        diags.push(d);
    } else if let Some(p) = u.get("LoadState") {
        refused = match p.value {
            "loaded" => None,
            "not-found" => Some(format!("Unit {name} not found, cannot analyze.")),
            "masked" => Some(format!("Unit {name} is masked, cannot analyze.")),
            other => Some(format!(
                "Unit {name} not loaded properly (LoadState={other}), cannot analyze."
            )),
        };
        if refused.is_some() {
            diags.push(
                Diagnostic::new(
                    Severity::Error,
                    "not-loaded",
                    format!(
                        "LoadState={}: systemd-analyze security refuses to assess {name}",
                        p.value
                    ),
                )
                .at(None, p.span),
            );
        }
    }
    refused
}

/// The warning that some properties plain `systemctl show` always prints are missing.
fn partial_show(u: &ShowUnit<'_>) -> Option<Diagnostic> {
    // If some of these are missing, the paste is partial (`-p`, or cut) and missing values
    // are guesses.
    let missing: Vec<&str> = always_printed().filter(|n| u.get(n).is_none()).collect();
    if missing.is_empty() {
        return None;
    }
    let shown: Vec<String> = missing.iter().take(4).map(|n| format!("{n}=")).collect();
    let d = Diagnostic::new(
        Severity::Warning,
        "partial-show",
        format!(
            "{} properties that systemctl show always prints are missing ({}{}); they are read the way systemd-analyze reads missing values (mostly empty or off), which may not be what the unit has",
            missing.len(),
            shown.join(", "),
            if missing.len() > 4 { ", …" } else { "" }
        ),
    )
    .with_help("paste the complete output of systemctl show UNIT, without -p");
    Some(d)
}

/// Assesses every unit of a `systemctl show` paste. Returns one result per unit plus the
/// problems of the paste as a whole.
/// `wanted` picks the units to assess by their position (see [`crate::analyze_part`]); the
/// diagnostics of the input as a whole come back whatever it picks.
pub fn analyze_show(
    text: &str,
    opts: &Options,
    wanted: &dyn Fn(&usize) -> bool,
) -> (Vec<Result<UnitReport, Diagnostic>>, Vec<Diagnostic>) {
    let mut parsed = show::parse(text);
    let diags = input_diagnostics(&mut parsed);
    let fallback = fallback_name(opts);
    let reports = parsed
        .units
        .iter()
        .enumerate()
        .filter(|(i, _)| wanted(i))
        .map(|(_, u)| unit_report(u, &fallback, opts))
        .collect();
    (reports, diags)
}

/// The diagnostics of a `systemctl show` paste as a whole.
pub(crate) fn input_diagnostics(parsed: &mut show::Show<'_>) -> Vec<Diagnostic> {
    let mut diags = std::mem::take(&mut parsed.diagnostics);
    if parsed.units.is_empty() {
        diags.push(Diagnostic::new(
            Severity::Error,
            "no-properties",
            "The input has no Name=value lines of systemctl show output",
        ));
    }
    diags
}

/// The name a unit without `Id=` is assessed under.
pub(crate) fn fallback_name(opts: &Options) -> String {
    opts.unit_name
        .clone()
        .unwrap_or_else(|| "unit.service".to_owned())
}

/// One unit of a `systemctl show` paste, assessed.
pub(crate) fn unit_report(
    u: &show::ShowUnit<'_>,
    fallback: &str,
    opts: &Options,
) -> Result<UnitReport, Diagnostic> {
    let o = from_show_as(u, fallback, opts.version);
    crate::scored(o.model.unit.clone(), o, opts)
}

struct Reader {
    m: Model,
    diags: Vec<Diagnostic>,
    /// Whether deny-list entries with their own errno (`mount:EPERM`) are cut at the colon;
    /// systemd 249 keeps them whole, so they match no syscall (K1).
    errno_entries: bool,
}

fn origin(p: &Property<'_>, implied: bool) -> Origin {
    Origin {
        file: None,
        line: p.span.line,
        directive: p.text().into(),
        implied,
    }
}

impl Reader {
    fn bad(&mut self, p: &Property<'_>, what: &str) {
        self.diags.push(
            Diagnostic::new(
                Severity::Warning,
                "invalid-value",
                format!(
                    "{}={} is not {what} as systemctl show prints it; {}",
                    p.name, p.value, "the value is ignored"
                ),
            )
            .at(None, p.span),
        );
    }

    /// What the analyzer has before reading: D-Bus always sends every property, so a missing
    /// line is an empty value, except for the few the analyzer defaults itself.
    fn analyzer_defaults(&mut self) {
        let m = &mut self.m;
        m.capability_bounding_set = 0;
        m.ambient_capabilities = 0;
        m.umask = 0o002;
        m.protect_home = None;
        m.protect_system = None;
        m.protect_proc = None;
        m.proc_subset = None;
        m.keyring_mode = None;
        m.notify_access = None;
        m.restrict_namespaces = u64::MAX;
    }

    /// Records the line a setting's value came from.
    fn from(&mut self, setting: &'static str, p: &Property<'_>) {
        self.m.reset_note(setting, Some(origin(p, false)));
    }

    fn read(&mut self, u: &ShowUnit<'_>) {
        self.analyzer_defaults();
        if let Some(p) = u.get("DefaultDependencies") {
            match parse_boolean(p.value) {
                Some(b) => self.m.default_dependencies = b,
                None => self.bad(p, "a boolean"),
            }
            self.from("DefaultDependencies", p);
        }
        for b in BOOLEANS {
            if let Some(p) = u.get(b.name) {
                match parse_boolean(p.value) {
                    Some(on) => *(b.field)(&mut self.m) = on,
                    None => self.bad(p, "a boolean (yes or no)"),
                }
                self.from(b.name, p);
            }
        }
        if let Some(p) = u.get("User") {
            self.m.user = (!p.value.is_empty()).then(|| p.value.to_owned());
            self.from("User", p);
        }
        if let Some(p) = u.get("SupplementaryGroups") {
            self.m.supplementary_groups =
                words(p.value).unwrap_or_else(|| vec![p.value.to_owned()]);
            self.from("SupplementaryGroups", p);
        }
        self.enums(u);
        for (name, setting) in [
            ("RootDirectory", "RootDirectory"),
            ("RootImage", "RootImage"),
        ] {
            if let Some(p) = u.get(name) {
                let v = (!p.value.is_empty()).then(|| p.value.to_owned());
                if name == "RootDirectory" {
                    self.m.root_directory = v;
                } else {
                    self.m.root_image = v;
                }
                self.from(setting, p);
            }
        }
        if let Some(p) = u.get("CapabilityBoundingSet") {
            self.m.capability_bounding_set = self.caps(p);
            self.from("CapabilityBoundingSet", p);
        }
        if let Some(p) = u.get("AmbientCapabilities") {
            self.m.ambient_capabilities = self.caps(p);
            self.from("AmbientCapabilities", p);
        }
        if let Some(p) = u.get("UMask") {
            match u32::from_str_radix(p.value, 8) {
                Ok(v) if !p.value.is_empty() && v <= 0o777 => self.m.umask = v,
                _ => self.bad(p, "an octal file mode mask"),
            }
            self.from("UMask", p);
        }
        self.lists(u);
    }

    /// The list-valued settings (namespaces, families, system calls, IP access, devices).
    fn lists(&mut self, u: &ShowUnit<'_>) {
        if let Some(p) = u.get("RestrictNamespaces") {
            self.namespaces(p);
            self.from("RestrictNamespaces", p);
        }
        if let Some(p) = u.get("RestrictAddressFamilies") {
            self.address_families(p);
            self.from("RestrictAddressFamilies", p);
        }
        if let Some(p) = u.get("SystemCallArchitectures") {
            self.m.syscall_architectures = p.value.split_whitespace().map(str::to_owned).collect();
            self.from("SystemCallArchitectures", p);
        }
        if let Some(p) = u.get("SystemCallFilter") {
            self.syscall_filter(p);
            self.from("SystemCallFilter", p);
        }
        for (name, setting) in [
            ("IPAddressAllow", "IPAddressAllow"),
            ("IPAddressDeny", "IPAddressDeny"),
        ] {
            if let Some(p) = u.get(name) {
                let list = self.prefixes(p);
                if name == "IPAddressAllow" {
                    self.m.ip_address_allow = list;
                } else {
                    self.m.ip_address_deny = list;
                }
                self.from(setting, p);
            }
        }
        for (name, setting) in [
            ("IPIngressFilterPath", "IPIngressFilterPath"),
            ("IPEgressFilterPath", "IPEgressFilterPath"),
        ] {
            if let Some(p) = u.get(name) {
                let list: Vec<String> = words(p.value).unwrap_or_else(|| vec![p.value.to_owned()]);
                if name == "IPIngressFilterPath" {
                    self.m.ip_ingress_filter_path = list;
                } else {
                    self.m.ip_egress_filter_path = list;
                }
                self.from(setting, p);
            }
        }
        // Read after the lists, as the analyzer does.
        self.enum_value(u, &DEVICE_POLICY);
        for p in u.all("DeviceAllow") {
            // `PATH PERMS`; a path may contain spaces, the permissions cannot.
            let (path, perms) = p.value.rsplit_once(' ').unwrap_or((p.value, ""));
            if path.is_empty() {
                self.bad(p, "a device path followed by permissions");
                continue;
            }
            self.m
                .device_allow
                .push((path.to_owned(), perms.to_owned()));
            self.m.note("DeviceAllow", origin(p, false));
        }
    }

    /// The string-valued settings the analyzer compares with fixed words (`DevicePolicy=`
    /// apart: it is read after the lists).
    fn enums(&mut self, u: &ShowUnit<'_>) {
        for s in ENUMS.iter().filter(|s| s.name != DEVICE_POLICY.name) {
            self.enum_value(u, s);
        }
    }

    /// An enum setting by its table; a value that is none of its words is diagnosed, and read
    /// as the analyzer reads it.
    fn enum_value(&mut self, u: &ShowUnit<'_>, s: &EnumSetting) {
        if let Some(p) = u.get(s.name) {
            if !(s.set)(&mut self.m, p.value) {
                self.bad(p, &(s.expected)());
                (s.unreadable)(&mut self.m);
            }
            self.from(s.name, p);
        }
    }

    /// A capability set: lowercase names, `0xN` for bit N when it has no name.
    fn caps(&mut self, p: &Property<'_>) -> u64 {
        let mut set = 0u64;
        for w in p.value.split_whitespace() {
            let bit = match w.strip_prefix("0x") {
                Some(hex) => u32::from_str_radix(hex, 16).ok().filter(|&b| b < 64),
                None => tables::capability_from_name(w),
            };
            match bit {
                Some(b) => set |= 1 << b,
                None => self.word(p, w, "capability"),
            }
        }
        set
    }

    fn word(&mut self, p: &Property<'_>, w: &str, what: &str) {
        self.diags.push(
            Diagnostic::new(
                Severity::Warning,
                "unknown-name",
                format!(
                    "{}=: {w:?} is not a known {what} name and is ignored",
                    p.name
                ),
            )
            .at(None, p.span),
        );
    }

    /// The namespace types the unit may still create.
    fn namespaces(&mut self, p: &Property<'_>) {
        let v = p.value;
        self.m.restrict_namespaces = match v {
            "yes" => 0,
            "no" => u64::MAX,
            _ => {
                // `systemctl show` prints the allowed types; a `~` list (never printed, but
                // easy to paste from a unit file) names the forbidden ones.
                let (invert, list) = match v.strip_prefix('~') {
                    Some(rest) => (true, rest),
                    None => (false, v),
                };
                let mut flags = 0u64;
                for w in list.split_whitespace() {
                    match tables::namespace_flag(w) {
                        Some(f) => flags |= f,
                        None => self.word(p, w, "namespace type"),
                    }
                }
                if invert {
                    tables::NAMESPACES_ALL7 & !flags
                } else {
                    flags
                }
            }
        };
    }

    fn address_families(&mut self, p: &Property<'_>) {
        let (allow_list, list) = match p.value.strip_prefix('~') {
            Some(rest) => (false, rest),
            None => (true, p.value),
        };
        let mut families = Vec::new();
        for w in list.split_whitespace() {
            // The analyzer compares the names literally with the five it buckets; anything
            // else, known or not, counts as an exotic family.
            let af = match w {
                "AF_INET" => tables::AF_INET,
                "AF_INET6" => tables::AF_INET6,
                "AF_UNIX" => tables::AF_UNIX,
                "AF_NETLINK" => tables::AF_NETLINK,
                "AF_PACKET" => tables::AF_PACKET,
                _ => {
                    let n = tables::address_family(w);
                    if n.is_none() {
                        self.word(p, w, "address family");
                    }
                    n.filter(|n| {
                        ![
                            tables::AF_INET,
                            tables::AF_INET6,
                            tables::AF_UNIX,
                            tables::AF_NETLINK,
                            tables::AF_PACKET,
                        ]
                        .contains(n)
                    })
                    .unwrap_or(u16::MAX)
                }
            };
            families.push(af);
        }
        self.m.restrict_address_families = AfFilter {
            allow_list,
            families,
        };
    }

    fn syscall_filter(&mut self, p: &Property<'_>) {
        let (allow_list, list) = match p.value.strip_prefix('~') {
            Some(rest) => (false, rest),
            None => (true, p.value),
        };
        let mut set = SyscallSet::default();
        let mut unknown = Vec::new();
        for w in list.split_whitespace() {
            // Deny entries may carry `:ERRNO`; the analyzer cuts names at the first colon.
            let name = if allow_list || self.errno_entries {
                w.split(':').next().unwrap_or(w)
            } else {
                w
            };
            match tables::syscall_index(name) {
                Some(i) => set.insert(i),
                None => unknown.push(name),
            }
        }
        if !unknown.is_empty() {
            let shown: Vec<&str> = unknown.iter().take(5).copied().collect();
            self.diags.push(
                Diagnostic::new(
                    Severity::Info,
                    "unknown-syscall",
                    format!(
                        "SystemCallFilter=: {} system call name(s) unknown to this build are ignored ({}{}); none of them belongs to an assessed group",
                        unknown.len(),
                        shown.join(" "),
                        if unknown.len() > 5 { " …" } else { "" }
                    ),
                )
                .at(None, p.span),
            );
        }
        self.m.syscall_filter = SyscallFilter { allow_list, set };
    }

    fn prefixes(&mut self, p: &Property<'_>) -> Vec<IpPrefix> {
        let mut out = Vec::new();
        for w in p.value.split_whitespace() {
            match parse_ip_prefix(w) {
                Some(x) => out.push(x),
                None => self.word(p, w, "IP address prefix"),
            }
        }
        out
    }

    /// What `acquire_security_info()` does after reading the properties (online only).
    fn online_adjustments(&mut self, u: &ShowUnit<'_>) {
        let m = &mut self.m;
        let implied_by = |name: &str| u.get(name).map(|p| origin(p, true));
        let mut reasons = Vec::new();
        for (set, name) in [
            (m.private_devices, "PrivateDevices"),
            (m.private_tmp, "PrivateTmp"),
            (m.protect_control_groups, "ProtectControlGroups"),
            (m.protect_kernel_tunables, "ProtectKernelTunables"),
            (m.protect_kernel_modules, "ProtectKernelModules"),
            // Compared literally: a missing or empty value counts as "not no".
            (
                u.get("ProtectHome").map(|p| p.value) != Some("no"),
                "ProtectHome",
            ),
            (
                u.get("ProtectSystem").map(|p| p.value) != Some("no"),
                "ProtectSystem",
            ),
            (m.root_image.is_some(), "RootImage"),
        ] {
            if set {
                reasons.push(name);
            }
        }
        if !m.private_mounts && !reasons.is_empty() {
            m.private_mounts = true;
            let origins: Vec<Origin> = reasons.iter().filter_map(|n| implied_by(n)).collect();
            let v = m.origins.lines_mut("PrivateMounts");
            v.extend(origins);
        }
        // The loader's drops, PrivateDevices= last.
        let (first, rest) = IMPLIED_CAPABILITY_DROPS
            .split_first()
            .expect("the drops are listed");
        for drop in rest.iter().chain([first]) {
            let mask = drop.mask();
            if (drop.on)(m) && m.capability_bounding_set & mask != 0 {
                m.capability_bounding_set &= !mask;
                if let Some(o) = implied_by(drop.by) {
                    m.note("CapabilityBoundingSet", o);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::Row;
    use crate::{InputKind, analyze};

    /// The always-printed properties of an unhardened service, as plain `systemctl show`
    /// prints them (empty values left out), followed by `extra` lines.
    fn plain(extra: &str) -> String {
        let mut s = String::from(
            "Type=simple\nNotifyAccess=none\nDelegate=no\nDevicePolicy=auto\nUMask=0022\n",
        );
        for n in always_printed() {
            if ![
                "NotifyAccess",
                "Delegate",
                "DevicePolicy",
                "UMask",
                "DefaultDependencies",
            ]
            .contains(&n)
            {
                let v = match n {
                    "ProtectHome" | "ProtectSystem" | "RestrictNamespaces" => "no",
                    "ProtectProc" => "default",
                    "ProcSubset" => "all",
                    "KeyringMode" => "private",
                    _ => "no",
                };
                s.push_str(&format!("{n}={v}\n"));
            }
        }
        s.push_str(extra);
        s.push_str("Id=t.service\nLoadState=loaded\nDefaultDependencies=yes\n");
        s
    }

    fn one(text: &str) -> crate::UnitReport {
        let a = analyze(text, &Options::default());
        assert_eq!(a.kind, InputKind::SystemctlShow);
        assert!(a.diagnostics.is_empty(), "{:?}", a.diagnostics);
        assert_eq!(a.units.len(), 1);
        a.units.into_iter().next().unwrap()
    }

    fn row<'r>(u: &'r crate::UnitReport, field: &str) -> &'r Row {
        u.rows.iter().find(|r| r.json_field == field).unwrap()
    }

    fn model(text: &str) -> Model {
        let s = show::parse(text);
        from_show(&s.units[0], "unit.service").model
    }

    #[test]
    fn an_unhardened_service_scores_like_offline() {
        let u = one(&plain(
            "CapabilityBoundingSet=cap_chown cap_dac_override cap_dac_read_search cap_fowner cap_fsetid cap_kill cap_setgid cap_setuid cap_setpcap cap_linux_immutable cap_net_bind_service cap_net_broadcast cap_net_admin cap_net_raw cap_ipc_lock cap_ipc_owner cap_sys_module cap_sys_rawio cap_sys_chroot cap_sys_ptrace cap_sys_pacct cap_sys_admin cap_sys_boot cap_sys_nice cap_sys_resource cap_sys_time cap_sys_tty_config cap_mknod cap_lease cap_audit_write cap_audit_control cap_setfcap cap_mac_override cap_mac_admin cap_syslog cap_wake_alarm cap_block_suspend cap_audit_read cap_perfmon cap_bpf cap_checkpoint_restore\n",
        ));
        assert_eq!(u.unit, "t.service");
        assert!(u.refused.is_none());
        assert_eq!(u.exposure.to_string(), "9.6");
        assert!(u.diagnostics.is_empty(), "{:?}", u.diagnostics);
        // No User= line: root, so SupplementaryGroups= does not apply.
        assert_eq!(row(&u, "UserOrDynamicUser").detail.badness, Some(10));
        assert_eq!(row(&u, "SupplementaryGroups").set, None);
    }

    #[test]
    fn a_missing_capability_line_is_the_empty_set() {
        let u = one(&plain(""));
        for r in u
            .rows
            .iter()
            .filter(|r| r.json_field.starts_with("CapabilityBoundingSet_"))
        {
            assert_eq!(r.detail.badness, Some(0), "{}", r.name);
        }
        assert_eq!(row(&u, "AmbientCapabilities").detail.badness, Some(0));
    }

    #[test]
    fn capability_names_and_hex_bits() {
        let m = model(
            "CapabilityBoundingSet=cap_chown cap_net_bind_service 0x29\nAmbientCapabilities=cap_net_bind_service\nId=t.service\n",
        );
        assert_eq!(m.capability_bounding_set, 1 | 1 << 10 | 1 << 41);
        assert_eq!(m.ambient_capabilities, 1 << 10);
    }

    #[test]
    fn restrict_namespaces_lists_the_allowed_types() {
        // `RestrictNamespaces=~user net` in the unit prints as the five types still allowed:
        // the ~user and ~net checks pass, the other five fail (zz-denylists sample).
        let u = one(&plain("").replace(
            "RestrictNamespaces=no",
            "RestrictNamespaces=cgroup ipc mnt pid uts",
        ));
        let ns = |f: &str| row(&u, &format!("RestrictNamespaces_{f}")).set;
        assert_eq!(ns("user"), Some(true));
        assert_eq!(ns("net"), Some(true));
        for f in ["cgroup", "ipc", "mnt", "pid", "uts"] {
            assert_eq!(ns(f), Some(false), "{f}");
        }
        assert_eq!(
            row(&u, "RestrictNamespaces_user").description.as_deref(),
            Some("Service cannot create user namespaces")
        );
        assert_eq!(model("RestrictNamespaces=yes\n").restrict_namespaces, 0);
        assert_eq!(
            model("RestrictNamespaces=no\n").restrict_namespaces,
            u64::MAX
        );
    }

    #[test]
    fn ip_allow_list_uses_the_online_localhost_rule() {
        let deny = "IPAddressDeny=0.0.0.0/0 ::/0\n";
        let u = one(&plain(&format!("{deny}IPAddressAllow=127.0.0.1/32\n")));
        let r = row(&u, "IPAddressDeny");
        assert_eq!(r.detail.badness, Some(5));
        assert_eq!(
            r.description.as_deref(),
            Some("Service defines IP address allow list with non-localhost entries")
        );
        let u = one(&plain(&format!(
            "IPAddressAllow=::1/128 127.0.0.0/8\n{deny}"
        )));
        assert_eq!(row(&u, "IPAddressDeny").detail.badness, Some(2));
        let u = one(&plain(deny));
        assert_eq!(row(&u, "IPAddressDeny").detail.badness, Some(0));
        // Only one of the two families denied is no allow list at all.
        let u = one(&plain("IPAddressDeny=::/0\n"));
        assert_eq!(row(&u, "IPAddressDeny").detail.badness, Some(10));
    }

    fn af_badness(u: &crate::UnitReport) -> Vec<u32> {
        [
            "RestrictAddressFamilies_AF_INET_INET6",
            "RestrictAddressFamilies_AF_UNIX",
            "RestrictAddressFamilies_AF_NETLINK",
            "RestrictAddressFamilies_AF_PACKET",
            "RestrictAddressFamilies_OTHER",
        ]
        .iter()
        .map(|f| row(u, f).detail.badness.unwrap())
        .collect()
    }

    #[test]
    fn address_families_empty_versus_tilde() {
        // Absent (plain show) and `=~` (--all): no restriction.
        assert_eq!(af_badness(&one(&plain(""))), [1, 1, 1, 1, 1]);
        assert_eq!(
            af_badness(&one(&plain("RestrictAddressFamilies=~\n"))),
            [1, 1, 1, 1, 1]
        );
        // `=` with nothing: an empty allow list, nothing allowed.
        assert_eq!(
            af_badness(&one(&plain("RestrictAddressFamilies=\n"))),
            [0, 0, 0, 0, 0]
        );
        assert_eq!(
            af_badness(&one(&plain("RestrictAddressFamilies=AF_UNIX\n"))),
            [0, 1, 0, 0, 0]
        );
        assert_eq!(
            af_badness(&one(&plain("RestrictAddressFamilies=AF_ALG AF_UNIX\n"))),
            [0, 1, 0, 0, 1]
        );
        assert_eq!(
            af_badness(&one(&plain("RestrictAddressFamilies=~AF_INET6\n"))),
            [0, 1, 1, 1, 1]
        );
        assert_eq!(
            af_badness(&one(&plain("RestrictAddressFamilies=~AF_BLUETOOTH\n"))),
            [1, 1, 1, 1, 0]
        );
    }

    #[test]
    fn syscall_filter_deny_list_with_errno() {
        let u = one(&plain(
            "SystemCallFilter=~kexec_file_load kexec_load:EPERM reboot:13\n",
        ));
        let r = row(&u, "SystemCallFilter_reboot");
        assert_eq!(r.detail.badness, Some(0));
        assert_eq!(
            r.description.as_deref(),
            Some("System call deny list defined for service, and @reboot is included")
        );
        let r = row(&u, "SystemCallFilter_swap");
        assert_eq!(r.detail.badness, Some(10));
        // `~` alone (--all) and no line at all: no filter.
        for extra in ["SystemCallFilter=~\n", ""] {
            let u = one(&plain(extra));
            assert_eq!(
                row(&u, "SystemCallFilter_mount").description.as_deref(),
                Some("Service does not filter system calls")
            );
        }
    }

    #[test]
    fn syscall_filter_allow_list() {
        let u = one(&plain("SystemCallFilter=read write exit_group chown\n"));
        let r = row(&u, "SystemCallFilter_privileged");
        assert_eq!(r.detail.badness, Some(9));
        assert_eq!(
            r.description.as_deref(),
            Some(
                "System call allow list defined for service, and @privileged is included (e.g. chown is allowed)"
            )
        );
        assert_eq!(row(&u, "SystemCallFilter_mount").detail.badness, Some(0));
    }

    #[test]
    fn private_mounts_is_implied_online() {
        let text = plain("").replace("PrivateTmp=no", "PrivateTmp=yes");
        let u = one(&text);
        let r = row(&u, "PrivateMounts");
        assert_eq!(r.set, Some(true));
        assert_eq!(
            r.description.as_deref(),
            Some("Service cannot install system mounts")
        );
        // The row links to both the PrivateMounts=no line and the line that implied it.
        let implied: Vec<_> = u.provenance(r).filter(|o| o.implied).collect();
        assert_eq!(implied.len(), 1);
        assert_eq!(&*implied[0].directive, "PrivateTmp=yes");
        let line = text.lines().position(|l| l == "PrivateTmp=yes").unwrap() as u32 + 1;
        assert_eq!(implied[0].line, line);
        // ProtectSystem=full implies it too; with nothing set it stays off.
        let u = one(&plain("").replace("ProtectSystem=no", "ProtectSystem=full"));
        assert_eq!(row(&u, "PrivateMounts").set, Some(true));
        assert_eq!(row(&one(&plain("")), "PrivateMounts").set, Some(false));
    }

    #[test]
    fn capabilities_are_dropped_again_online() {
        let m = model(
            "CapabilityBoundingSet=cap_chown cap_sys_module cap_syslog\nProtectKernelModules=yes\nId=t.service\n",
        );
        assert_eq!(m.capability_bounding_set, 1 | 1 << 34);
        assert_eq!(
            &*m.origins["CapabilityBoundingSet"].last().unwrap().directive,
            "ProtectKernelModules=yes"
        );
    }

    #[test]
    fn device_allow_keeps_the_printed_order() {
        let u = one(&plain("").replace(
            "DevicePolicy=auto\n",
            "DevicePolicy=closed\nDeviceAllow=char-rtc r\nDeviceAllow=/dev/sda r\nDeviceAllow=/dev/net/tun rwm\n",
        ));
        let r = row(&u, "DeviceAllow");
        assert_eq!(r.detail.badness, Some(5));
        assert_eq!(
            r.description.as_deref(),
            Some(
                "Service has a device ACL with some special devices: char-rtc:r /dev/sda:r /dev/net/tun:rwm"
            )
        );
        assert_eq!(u.provenance(r).count(), 4);
    }

    #[test]
    fn umask_is_octal() {
        assert_eq!(model("UMask=0077\n").umask, 0o077);
        let u = one(&plain("").replace("UMask=0022", "UMask=0027"));
        assert_eq!(row(&u, "UMask").detail.badness, Some(1));
    }

    #[test]
    fn user_and_dynamic_user() {
        let u = one(&plain("User=nobody\n"));
        assert_eq!(row(&u, "UserOrDynamicUser").detail.badness, Some(9));
        // --all prints an empty User= for root.
        let u = one(&plain("User=\n"));
        assert_eq!(row(&u, "UserOrDynamicUser").detail.badness, Some(10));
        let u = one(&plain("User=zz-x\nSupplementaryGroups=adm users\n")
            .replace("DynamicUser=no", "DynamicUser=yes"));
        assert_eq!(row(&u, "UserOrDynamicUser").detail.badness, Some(0));
        assert_eq!(row(&u, "SupplementaryGroups").detail.badness, Some(1));
    }

    #[test]
    fn default_dependencies_no_makes_checks_not_applicable() {
        let u = one(&plain("").replace("DefaultDependencies=yes", "DefaultDependencies=no"));
        let r = row(&u, "PrivateTmp");
        assert_eq!(r.set, None);
        assert_eq!(
            r.description.as_deref(),
            Some("Service runs in special boot phase, option is not appropriate")
        );
    }

    #[test]
    fn units_that_are_not_loaded_or_not_services_are_refused() {
        let u = one(&plain("").replace("LoadState=loaded", "LoadState=masked"));
        assert!(u.refused.as_deref().unwrap().contains("masked"));
        assert!(
            u.diagnostics
                .iter()
                .any(|d| d.code == "not-loaded" && d.span.is_some())
        );
        let u = one(&plain("").replace("LoadState=loaded", "LoadState=not-found"));
        assert!(u.refused.as_deref().unwrap().contains("not found"));
        let u = one(&plain("").replace("Id=t.service", "Id=t.socket"));
        assert!(u.refused.as_deref().unwrap().contains("not a service"));
        assert!(
            u.diagnostics
                .iter()
                .any(|d| d.code == "not-a-service" && d.span.is_some())
        );
    }

    #[test]
    fn bad_values_are_diagnosed_on_their_line() {
        let text = plain("").replace("PrivateTmp=no", "PrivateTmp=maybe");
        let u = one(&text);
        let d = u
            .diagnostics
            .iter()
            .find(|d| d.code == "invalid-value")
            .unwrap();
        let line = text.lines().position(|l| l == "PrivateTmp=maybe").unwrap() as u32 + 1;
        assert_eq!(d.line(), Some(line));
        assert_eq!(row(&u, "PrivateTmp").detail.badness, Some(1));
        let u = one(&plain("CapabilityBoundingSet=cap_chown cap_bogus\n"));
        assert!(
            u.diagnostics
                .iter()
                .any(|d| d.code == "unknown-name" && d.message.contains("cap_bogus"))
        );
    }

    #[test]
    fn partial_output_is_flagged() {
        let a = analyze("User=nobody\nId=a.service\n", &Options::default());
        assert_eq!(a.kind, InputKind::SystemctlShow);
        assert!(
            a.units[0]
                .diagnostics
                .iter()
                .any(|d| d.code == "partial-show")
        );
        assert!(one(&plain("")).diagnostics.is_empty());
    }

    #[test]
    fn several_units_in_one_paste() {
        let text = format!(
            "{}\n{}",
            plain(""),
            plain("User=www-data\n").replace("Id=t.service", "Id=u.service")
        );
        let a = analyze(&text, &Options::default());
        let names: Vec<_> = a.units.iter().map(|u| u.unit.as_str()).collect();
        assert_eq!(names, ["t.service", "u.service"]);
        assert_eq!(
            row(&a.units[1], "UserOrDynamicUser").detail.badness,
            Some(0)
        );
        // Provenance of the second unit points into the whole paste.
        let u = &a.units[1];
        let p = u.provenance(row(u, "UserOrDynamicUser")).next().unwrap();
        assert_eq!(text.lines().nth(p.line as usize - 1), Some("User=www-data"));
    }
}
