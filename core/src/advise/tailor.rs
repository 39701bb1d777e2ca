//! The candidate lines of a drop-in: those the checks declare beside themselves, and the ones
//! tailored across checks (ProtectSystem='s writable paths, address families, capabilities,
//! system calls, the network, DynamicUser=), withheld where the unit needs what they take.

use std::borrow::Cow;

use super::traits::Traits;
use super::{Line, Tier};
use crate::model::{Model, ProtectSystem};
use crate::report::Tenths;

/// A candidate line before gains are known.
pub(super) struct Candidate {
    pub(super) setting: &'static str,
    pub(super) value: String,
    pub(super) tier: Tier,
    pub(super) may_break: Cow<'static, str>,
    pub(super) withheld: Option<String>,
    /// Lines that must follow it in the drop-in (e.g. a second `SystemCallFilter=`).
    pub(super) extra: Vec<(&'static str, String)>,
}

fn cand(
    setting: &'static str,
    value: impl Into<String>,
    tier: Tier,
    may_break: impl Into<Cow<'static, str>>,
) -> Candidate {
    Candidate {
        setting,
        value: value.into(),
        tier,
        may_break: may_break.into(),
        withheld: None,
        extra: Vec::new(),
    }
}

impl Candidate {
    /// The candidate as a line of the advice.
    pub(super) fn line(&self, gain: Tenths, left_out: bool) -> Line {
        Line {
            setting: self.setting,
            value: self.value.clone(),
            tier: self.tier,
            gain,
            may_break: self.may_break.clone(),
            withheld: self.withheld.clone(),
            left_out,
        }
    }
}

/// Capabilities few services need, dropped in the moderate tier.
const RARELY_NEEDED_CAPS: &[&str] = &[
    "CAP_SYS_ADMIN",
    "CAP_SYS_PTRACE",
    "CAP_SYS_MODULE",
    "CAP_SYS_RAWIO",
    "CAP_SYS_TIME",
    "CAP_SYS_BOOT",
    "CAP_SYS_PACCT",
    "CAP_SYS_TTY_CONFIG",
    "CAP_SYS_NICE",
    "CAP_SYS_RESOURCE",
    "CAP_MAC_ADMIN",
    "CAP_MAC_OVERRIDE",
    "CAP_AUDIT_CONTROL",
    "CAP_AUDIT_READ",
    "CAP_AUDIT_WRITE",
    "CAP_SYSLOG",
    "CAP_LINUX_IMMUTABLE",
    "CAP_BPF",
    "CAP_WAKE_ALARM",
    "CAP_BLOCK_SUSPEND",
    "CAP_LEASE",
    "CAP_MKNOD",
    "CAP_NET_ADMIN",
    "CAP_IPC_LOCK",
];

/// The paths to give back with `ReadWritePaths=` when the drop-in makes the file system
/// read-only: those the unit's lines show it writes, those its program is known to write, and
/// the conventional `/run/NAME`, `/var/log/NAME`, `/var/lib/NAME`, `/var/cache/NAME` and
/// `/var/spool/NAME` of its names; each with a `-` prefix (systemd skips a path that does not
/// exist), none twice or inside another. `keep` picks the places (e.g. only /etc for
/// `ProtectSystem=full`, which leaves /var writable).
fn writable_paths(t: &Traits, keep: impl Fn(&str) -> bool) -> Vec<String> {
    let mut all: Vec<String> = t.writes.iter().map(|(p, _)| p.clone()).collect();
    if let Some(n) = t.needs {
        all.extend(n.writes.iter().map(|p| (*p).to_owned()));
    }
    for name in &t.names {
        for base in ["/run", "/var/log", "/var/lib", "/var/cache", "/var/spool"] {
            all.push(format!("{base}/{name}"));
        }
    }
    all.retain(|p| keep(p));
    let inside = |p: &str, q: &str| p != q && (q == "/" || p.starts_with(&format!("{q}/")));
    let mut out: Vec<String> = Vec::new();
    for p in &all {
        if !out.iter().any(|q| q == p) && !all.iter().any(|q| inside(p, q)) {
            out.push(p.clone());
        }
    }
    out.into_iter().map(|p| format!("-{p}")).collect()
}

/// The order the drop-in lists lines of equal gain in (a setting not listed comes last). It
/// is presentation only: what is suggested, and the gain of each line, are the checks' and
/// the tailoring's. The kernel and privilege basics come first, then the file system, then
/// what spans checks.
const DROPIN_ORDER: &[&str] = &[
    "NoNewPrivileges",
    "PrivateTmp",
    "ProtectKernelTunables",
    "ProtectKernelModules",
    "ProtectKernelLogs",
    "ProtectControlGroups",
    "ProtectHostname",
    "LockPersonality",
    "RestrictRealtime",
    "RestrictSUIDSGID",
    "SystemCallArchitectures",
    "KeyringMode",
    "NotifyAccess",
    "RemoveIPC",
    "ProtectSystem",
    "ProtectHome",
    "PrivateDevices",
    "PrivateMounts",
    "RestrictNamespaces",
    "MemoryDenyWriteExecute",
    "UMask",
    "ProtectProc",
    "ProcSubset",
    "Delegate",
    "RestrictAddressFamilies",
    "CapabilityBoundingSet",
    "SystemCallFilter",
    "PrivateNetwork",
    "IPAddressDeny",
    "PrivateUsers",
    "DevicePolicy",
    "DynamicUser",
];

/// The candidates, in drop-in order: the lines the checks declare (in registry order), then
/// the ones tailored across checks.
pub(super) fn candidates(m: &Model, t: &Traits, p: &crate::version::Profile) -> Vec<Candidate> {
    let needed = needed_caps(t);
    let mut c = declared(m, t, needed);
    protect_system(m, t, &mut c);
    address_families(m, t, &mut c);
    capabilities(m, needed, &mut c);
    system_calls(m, t, p, &mut c);
    network(m, t, &mut c);
    dynamic_user(m, t, &mut c);
    // Lines of equal gain keep the order of `DROPIN_ORDER` (a stable sort: within one setting,
    // weaker first).
    crate::order::sort_by_key(&mut c, &|x| {
        DROPIN_ORDER
            .iter()
            .position(|s| *s == x.setting)
            .unwrap_or(DROPIN_ORDER.len())
    });
    // A program that runs other programs' jobs passes every restriction on to them: only the
    // safe tier, whose settings jobs rarely notice.
    if let Some(n) = t.needs.filter(|n| n.runs_jobs) {
        for x in c
            .iter_mut()
            .filter(|x| x.tier > Tier::Safe && x.withheld.is_none())
        {
            x.withheld = Some(format!(
                "{} runs other programs as its users, and they would inherit it ({})",
                n.programs[0], n.why
            ));
        }
    }
    c
}

/// The lines the checks declare ([`Spec::suggest`](crate::checks::Spec::suggest)) that the
/// unit wants, each with its risk read from its check's `breaks`, withheld where the unit's
/// lines show it needs what the line takes away.
fn declared(m: &Model, t: &Traits, needed: u64) -> Vec<Candidate> {
    let mut c = Vec::new();
    for check in &crate::checks::REGISTRY {
        let Some(spec) = crate::checks::spec(check.json_field) else {
            continue;
        };
        for s in spec.suggest.iter().filter(|s| (s.when)(m)) {
            let risk = crate::checks::breaks_clause(check.doc.breaks, s.risk);
            let mut x = cand(s.setting, s.value, s.tier, risk);
            if (s.reset)(m) {
                x.value = String::new();
                x.extra.push((s.setting, s.value.to_owned()));
            }
            x.withheld = withhold(s.setting, t, needed);
            c.push(x);
        }
    }
    c
}

/// Why a declared line is not suggested for this unit, if it is not.
fn withhold(setting: &str, t: &Traits, needed: u64) -> Option<String> {
    match setting {
        // NotifyAccess=all is never a default: the unit asks for it, usually because a worker
        // reports readiness (squid's kid: with main, the start times out).
        "NotifyAccess" if t.notify_type => Some(
            "the unit lets its child processes report readiness (Type=notify with NotifyAccess=all): a start would wait for a message systemd then ignores"
                .into(),
        ),
        "PrivateDevices" => t
            .device_allow
            .as_ref()
            .map(|d| format!("the unit allows real devices ({d})")),
        "MemoryDenyWriteExecute" => t.jit.as_ref().map(|rt| {
            format!("ExecStart= runs {rt}, which usually needs writable executable memory")
        }),
        "PrivateUsers" => {
            if t.switches_user() {
                Some(format!(
                    "{}, which needs the host's capabilities",
                    switches_itself(t)
                ))
            } else if let Some(n) = t.needs.filter(|n| n.owns_files) {
                Some(format!(
                    "{} writes files other users own as root, which a user namespace of its own cannot ({})",
                    n.programs[0], n.why
                ))
            } else if needed & cap_mask(&["CAP_NET_BIND_SERVICE"]) != 0 {
                Some(
                    "the service keeps CAP_NET_BIND_SERVICE, which has no effect in a user namespace of its own"
                        .into(),
                )
            } else {
                None
            }
        }
        _ => None,
    }
}

/// "PROGRAM starts as root and switches to its own user".
fn switches_itself(t: &Traits) -> String {
    format!(
        "{} starts as root and switches to its own user",
        t.main.as_deref().unwrap_or("its program")
    )
}

/// `ProtectSystem=`, with the paths the unit writes given back with `ReadWritePaths=`.
fn protect_system(m: &Model, t: &Traits, c: &mut Vec<Candidate>) {
    let give_back = |x: &mut Candidate, paths: Vec<String>| {
        x.extra
            .extend(paths.into_iter().map(|p| ("ReadWritePaths", p)));
    };
    if m.protect_system == Some(ProtectSystem::No) {
        let mut x = cand(
            "ProtectSystem",
            "full",
            Tier::Safe,
            "writes to /usr, /boot, /efi and /etc fail with 'Read-only file system' (except the ReadWritePaths= given back below)",
        );
        give_back(&mut x, writable_paths(t, |p| p.starts_with("/etc/")));
        c.push(x);
    }
    if matches!(
        m.protect_system,
        Some(ProtectSystem::No | ProtectSystem::Yes | ProtectSystem::Full)
    ) {
        let mut x = cand(
            "ProtectSystem",
            "strict",
            Tier::Moderate,
            "every write outside /dev, /proc, /sys, the unit's StateDirectory= etc. and the ReadWritePaths= below (the paths its lines, its program and its names point to; '-' skips one that does not exist) fails with 'Read-only file system': add any other path it writes",
        );
        give_back(&mut x, writable_paths(t, |_| true));
        c.push(x);
    }
}

/// `RestrictAddressFamilies=`: the common three (and netlink for a program that lists
/// interfaces), or only AF_UNIX for a unit that shows no sign of using the network.
fn address_families(m: &Model, t: &Traits, c: &mut Vec<Candidate>) {
    let raf = &m.restrict_address_families;
    if raf.allow_list || !raf.families.is_empty() {
        return;
    }
    // Weaker first: within one setting the last candidate the tier allows wins.
    let netlink = t.need(|n| n.netlink);
    c.push(cand(
        "RestrictAddressFamilies",
        if netlink {
            "AF_UNIX AF_INET AF_INET6 AF_NETLINK"
        } else {
            "AF_UNIX AF_INET AF_INET6"
        },
        Tier::Moderate,
        if netlink {
            "sockets of other families fail with EAFNOSUPPORT; AF_NETLINK stays because its program lists network interfaces (getifaddrs)"
        } else {
            "sockets of other families fail with EAFNOSUPPORT; netlink users (network tools, udev clients) need AF_NETLINK"
        },
    ));
    if !t.uses_network {
        c.push(cand(
            "RestrictAddressFamilies",
            "AF_UNIX",
            Tier::Strict,
            "Internet and netlink sockets fail with EAFNOSUPPORT: a daemon that listens or lists interfaces without saying so in its unit stops at start (seen: 'listen tcp :9100: socket: address family not supported by protocol', avahi-daemon 'socket() failed: Address family not supported')",
        ));
    }
}

/// The mask of the named capabilities.
fn cap_mask(names: &[&str]) -> u64 {
    names
        .iter()
        .filter_map(|n| crate::tables::capability_from_name(n))
        .fold(0u64, |a, b| a | 1 << b)
}

/// What the service needs: the capabilities its unit names, those its program is known to
/// need, and those of a root daemon's own work (binding low ports, switching users).
fn needed_caps(t: &Traits) -> u64 {
    let mut needed = t.named_caps;
    if let Some(n) = t.needs {
        needed |= cap_mask(n.caps);
        if n.owns_files {
            needed |= cap_mask(&["CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_FOWNER"]);
        }
        if n.sets_clock {
            needed |= cap_mask(&["CAP_SYS_TIME"]);
        }
        if n.chroots {
            needed |= cap_mask(&["CAP_SYS_CHROOT"]);
        }
    }
    if t.binds_low_ports || (t.starts_root && t.uses_network) {
        needed |= cap_mask(&["CAP_NET_BIND_SERVICE"]);
    }
    if t.switches_user() {
        needed |= cap_mask(&["CAP_SETUID", "CAP_SETGID"]);
    }
    // Its own commands change owners (ExecStartPre=/bin/chown …), as root.
    if t.starts_root
        && t.programs
            .iter()
            .any(|p| matches!(p.as_str(), "chown" | "chgrp" | "install"))
    {
        needed |= cap_mask(&["CAP_CHOWN", "CAP_FOWNER"]);
    }
    needed
}

/// `CapabilityBoundingSet=`: the rarely needed ones dropped (moderate), then only what the
/// service needs kept (strict).
fn capabilities(m: &Model, needed: u64, c: &mut Vec<Candidate>) {
    let rare = cap_mask(RARELY_NEEDED_CAPS) & !needed;
    if m.capability_bounding_set & rare != 0 {
        let drop: Vec<&str> = RARELY_NEEDED_CAPS
            .iter()
            .copied()
            .filter(|n| m.capability_bounding_set & rare & cap_mask(&[n]) != 0)
            .collect();
        c.push(cand(
            "CapabilityBoundingSet",
            format!("~{}", drop.join(" ")),
            Tier::Moderate,
            "operations that need these capabilities fail with EPERM even as root (network configuration, ptrace, raw I/O, mounting); capabilities the unit names or its program needs stay",
        ));
    }
    let keep = needed & m.capability_bounding_set;
    if m.capability_bounding_set & !keep != 0 {
        let names: Vec<String> = crate::tables::CAPABILITIES
            .iter()
            .enumerate()
            .filter(|(b, _)| keep & (1u64 << b) != 0)
            .map(|(_, n)| n.to_ascii_uppercase())
            .collect();
        let mut x = cand(
            "CapabilityBoundingSet",
            "",
            Tier::Strict,
            if keep == 0 {
                "the service keeps no capabilities: a root service can no longer bind ports below 1024, change file ownership, switch users or bypass permissions"
            } else {
                "the service keeps only the capabilities listed below (those its unit names, its program is known to need, binding low ports, switching users); anything else it does as root fails with EPERM or EACCES, e.g. writing into a folder its own user owns (seen: dnsmasq 'failed to open pidfile /run/dnsmasq/dnsmasq.pid: Permission denied')"
            },
        );
        if !names.is_empty() {
            x.extra.push(("CapabilityBoundingSet", names.join(" ")));
        }
        c.push(x);
    }
}

/// `SystemCallFilter=`. A service that starts as root may switch users itself (setuid, chown
/// are @privileged) and set resource limits (@resources): the moderate tier keeps both for it,
/// the strict tier blocks them unless its program is known to switch users. A program that
/// chroots keeps `chroot` (of @mount), one that sets the clock @clock.
fn system_calls(m: &Model, t: &Traits, p: &crate::version::Profile, c: &mut Vec<Candidate>) {
    let root_work = t.starts_root;
    let mut keep_groups: Vec<&str> = Vec::new();
    if t.need(|n| n.sets_clock) {
        keep_groups.push("@clock");
    }
    if t.need(|n| n.chroots) {
        keep_groups.push("@mount");
    }
    let allow = std::iter::once("@system-service")
        .chain(t.need(|n| n.sets_clock).then_some("@clock"))
        .chain(t.need(|n| n.chroots).then_some("chroot"))
        .collect::<Vec<_>>()
        .join(" ");
    let f = &m.syscall_filter;
    if !f.allow_list && f.set.is_empty() {
        let breaks = "system calls outside the usual service set fail with EPERM ('Operation not permitted' in the journal); a service that starts as root keeps @privileged and @resources to switch users and set limits";
        let mut x = cand("SystemCallFilter", allow.clone(), Tier::Moderate, breaks);
        if !root_work {
            x.extra
                .push(("SystemCallFilter", "~@privileged @resources".into()));
        }
        x.extra.push(("SystemCallErrorNumber", "EPERM".into()));
        c.push(x);
        if root_work && !t.privileged_work() {
            let mut x = cand(
                "SystemCallFilter",
                allow,
                Tier::Strict,
                "system calls outside the usual service set, and switching users, changing owners and resource limits (@privileged @resources), fail with EPERM: a root daemon that drops to its own user stops at start, one that chowns its files cannot write them (seen: rsyslog stops writing /var/log/syslog)",
            );
            x.extra
                .push(("SystemCallFilter", "~@privileged @resources".into()));
            x.extra.push(("SystemCallErrorNumber", "EPERM".into()));
            c.push(x);
        }
        return;
    }
    // The groups whose SystemCallFilter=~@group check does not pass, in registry order, less
    // those the service needs.
    let failing: Vec<&str> = crate::checks::REGISTRY
        .iter()
        .filter_map(|c| Some((c.name.strip_prefix("SystemCallFilter=~")?, c)))
        .filter(|(_, c)| matches!((c.assess)(m, p), crate::checks::Outcome::Badness(b, _) if b > 0))
        .map(|(group, _)| group)
        .filter(|g| !keep_groups.contains(g))
        .collect();
    let root_groups = ["@privileged", "@resources"];
    let moderate: Vec<&str> = failing
        .iter()
        .copied()
        .filter(|g| !root_work || !root_groups.contains(g))
        .collect();
    let breaks = "the listed groups of system calls are blocked; daemons that drop privileges themselves need @privileged (setuid, chown)";
    if !moderate.is_empty() {
        c.push(cand(
            "SystemCallFilter",
            format!("~{}", moderate.join(" ")),
            Tier::Moderate,
            breaks,
        ));
    }
    if moderate.len() < failing.len() && !t.privileged_work() {
        c.push(cand(
            "SystemCallFilter",
            format!("~{}", failing.join(" ")),
            Tier::Strict,
            breaks,
        ));
    }
}

/// Network isolation, withheld from a unit that appears to use the network.
fn network(m: &Model, t: &Traits, c: &mut Vec<Candidate>) {
    let mut push = |setting, value, may_break, reason: &str| {
        let mut x = cand(setting, value, Tier::Strict, may_break);
        x.withheld = t.uses_network.then(|| reason.to_owned());
        c.push(x);
    };
    if !m.private_network {
        push(
            "PrivateNetwork",
            "yes",
            "the service has only a loopback interface: every outside connection and DNS lookup fails",
            "the unit appears to use the network (network targets, sockets, Internet address families)",
        );
    }
    // Custom BPF filters already pass the IP check.
    let bpf = !m.ip_ingress_filter_path.is_empty() || !m.ip_egress_filter_path.is_empty();
    if !bpf && !m.denies_all_ip() {
        push(
            "IPAddressDeny",
            "any",
            "all IP traffic is dropped; add IPAddressAllow= for the addresses the service must reach",
            "the unit appears to use the network; list its peers in IPAddressAllow= before denying the rest",
        );
    }
}

/// `DynamicUser=`, withheld from a unit whose identity or files a fresh UID would break.
fn dynamic_user(m: &Model, t: &Traits, c: &mut Vec<Candidate>) {
    let user_named = m.user.is_some() && !m.dynamic_user;
    if m.dynamic_user || !(m.runs_privileged() || user_named) {
        return;
    }
    let mut x = cand(
        "DynamicUser",
        "yes",
        Tier::Strict,
        "the service runs as a fresh UID each start; files it must own elsewhere become inaccessible, and ProtectSystem=strict and ProtectHome=read-only are implied (seen: pg_ctlcluster refuses to run a cluster as 'nobody')",
    );
    x.withheld = if let Some(u) = &t.fixed_user {
        Some(format!("the unit names a fixed identity ({u})"))
    } else if t.switches_user() {
        Some(switches_itself(t))
    } else if let Some(n) = t.needs.filter(|n| !n.writes.is_empty()) {
        Some(format!(
            "{} writes {} as root ({})",
            n.programs[0],
            n.writes.join(", "),
            n.why
        ))
    } else if let Some((path, line)) = t.writes.first() {
        Some(format!(
            "the unit writes {path} ({line}), outside the folders a dynamic user owns"
        ))
    } else if let Some(s) = &t.persistent_state {
        Some(format!(
            "the unit keeps persistent state ({s}) whose ownership a dynamic user would change"
        ))
    } else if t.uses_dbus {
        Some("the unit talks to D-Bus, whose policies usually name a fixed user".into())
    } else {
        None
    };
    c.push(x);
}
