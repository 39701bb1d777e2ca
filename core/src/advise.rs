//! The hardening advisor: a `[Service]` drop-in that lowers a unit's exposure, tailored to
//! what the unit does, in three tiers, with the score systemd will compute once it is
//! installed.
//!
//! The prediction is not estimated: the drop-in is appended to the unit's files as its last
//! drop-in and the unit is assessed again by the same engine, so the predicted score has the
//! same parity with systemd as any other score.

use std::borrow::Cow;

use serde::Serialize;

use crate::diag::Diagnostic;
use crate::model::{Model, ProtectSystem};
use crate::report::{Predicate, Tenths};
use crate::syntax;
use crate::unit::UnitName;
use crate::{FileInput, Options, load, score};

/// How far the suggestions go. Each tier includes the ones below it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Tier {
    /// Settings that rarely break anything.
    Safe,
    /// Settings that suit most daemons but break some.
    Moderate,
    /// Everything that lowers the score and fits what the unit appears to do.
    Strict,
}

impl Tier {
    pub const ALL: [Tier; 3] = [Tier::Safe, Tier::Moderate, Tier::Strict];
    pub fn as_str(self) -> &'static str {
        match self {
            Tier::Safe => "safe",
            Tier::Moderate => "moderate",
            Tier::Strict => "strict",
        }
    }
    pub fn parse(s: &str) -> Option<Tier> {
        Tier::ALL.into_iter().find(|t| t.as_str() == s)
    }
}

/// One suggested setting.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Line {
    /// The directive, e.g. `ProtectSystem`.
    pub setting: &'static str,
    /// Its value, e.g. `strict`.
    pub value: String,
    pub tier: Tier,
    /// How much this line lowers the overall exposure, given the lines before it.
    pub gain: Tenths,
    /// What the setting may break and how that shows.
    pub may_break: Cow<'static, str>,
    /// Set when the line is only shown as a comment, with the reason it is not suggested.
    pub withheld: Option<String>,
    /// The person asked to leave this line out ([`advise_leaving_out`]): it is shown as a
    /// comment, its gain is 0 and the predicted score is computed without it.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub left_out: bool,
}

/// The advice for one unit.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Advice {
    pub unit: String,
    pub tier: Tier,
    pub exposure_before: Tenths,
    pub predicate_before: Predicate,
    pub exposure_after: Tenths,
    pub predicate_after: Predicate,
    /// The drop-in file, ready for `systemctl edit`.
    pub dropin: String,
    /// The suggested settings in drop-in order (withheld ones last).
    pub lines: Vec<Line>,
}

mod needs;
mod steps;
pub use needs::{KNOWN, Needs};
pub use steps::{DROPIN_FILE, Step, StepKind, steps};

/// What the unit appears to do, read from its own lines.
#[derive(Debug, Default)]
struct Traits {
    uses_network: bool,
    binds_low_ports: bool,
    uses_dbus: bool,
    fixed_user: Option<String>,
    persistent_state: Option<String>,
    jit: Option<String>,
    exec: String,
    /// The main process starts as root: no `User=` (or root), or `ExecStart=` with `!` or `+`.
    starts_root: bool,
    /// The names the service's own folders go by: the unit's (without instance and suffix),
    /// its `User=` and `Group=`.
    names: Vec<String>,
    /// Paths the unit's own lines show it writes (`PIDFile=`'s folder, `WorkingDirectory=`,
    /// arguments of its commands under /run, /var or /srv), each with the line it was read from.
    writes: Vec<(String, String)>,
    /// The programs its commands run (without their folders), `ExecStart=`'s first.
    programs: Vec<String>,
    /// `ExecStart=`'s program (without its folder).
    main: Option<String>,
    /// Capabilities the unit names itself (`AmbientCapabilities=`, a `CapabilityBoundingSet=`
    /// that lists what to keep): never dropped without a word.
    named_caps: u64,
    /// A `DeviceAllow=` line: the unit wants some real devices.
    device_allow: Option<String>,
    /// What its program is known to need ([`needs::KNOWN`]).
    needs: Option<&'static Needs>,
    /// `ExecStart=` names a user to switch to (`-u NAME`, `--user NAME`, `--user=NAME`).
    user_argument: bool,
    /// `Type=notify` (or `notify-reload`).
    notify_type: bool,
}

impl Traits {
    fn switches_user(&self) -> bool {
        self.starts_root && (self.user_argument || self.needs.is_some_and(|n| n.switches_user))
    }
    /// A root daemon that switches users or changes its files' owners: it keeps @privileged
    /// (setuid, setgroups, chown) in every tier.
    fn privileged_work(&self) -> bool {
        self.switches_user() || (self.starts_root && self.need(|n| n.owns_files))
    }
    fn need(&self, f: impl Fn(&Needs) -> bool) -> bool {
        self.needs.is_some_and(f)
    }
}

/// The path a command-line word or setting names, with `/var/run` and `/var/lock` read as the
/// folders they link to and the specifiers for the runtime, state, cache and logs folders
/// expanded; `None` for anything that is not a plain absolute path.
fn path_of(word: &str) -> Option<String> {
    let w = word.trim_end_matches([';', ',', '/']);
    let w = [
        ("%t", "/run"),
        ("%S", "/var/lib"),
        ("%C", "/var/cache"),
        ("%L", "/var/log"),
    ]
    .iter()
    .find_map(|(s, to)| w.strip_prefix(s).map(|r| format!("{to}{r}")))
    .unwrap_or_else(|| w.to_owned());
    if !w.starts_with('/')
        || w.contains(['$', '%', '*', '?', '[', '{', '\\'])
        || w.chars().any(|c| c.is_control() || !c.is_ascii())
        || w.split('/').any(|c| c == "..")
        || w.contains("//")
    {
        return None;
    }
    for (from, to) in [("/var/run", "/run"), ("/var/lock", "/run/lock")] {
        if let Some(r) = w.strip_prefix(from)
            && (r.is_empty() || r.starts_with('/'))
        {
            return Some(format!("{to}{r}"));
        }
    }
    Some(w)
}

/// Whether a service may keep writing under `path` with the file system read-only: runtime,
/// variable data and served folders, not the folders themselves.
fn writable_place(path: &str) -> bool {
    ["/run", "/var/", "/srv/"].iter().any(|p| {
        path.starts_with(p)
            && !["/var/tmp", "/run/user"]
                .iter()
                .any(|x| path.starts_with(x))
    }) && !matches!(path, "/var/lib" | "/var/cache" | "/var/spool")
}

/// A written path as the folder to give back: a file that is replaced while the service runs
/// (a PID file, a socket, a lock) is given back through its folder.
fn folder_of(path: &str) -> String {
    let last = path.rsplit('/').next().unwrap_or_default();
    let replaced = ["pid", "sock", "socket", "lock", "log", "db", "tmp"]
        .iter()
        .any(|e| last.rsplit_once('.').is_some_and(|(_, x)| x == *e));
    match path.rsplit_once('/') {
        Some((dir, _)) if replaced && !dir.is_empty() => dir.to_owned(),
        _ => path.to_owned(),
    }
}

fn traits(model: &Model, name: &UnitName, files: &[syntax::File]) -> Traits {
    let mut t = Traits {
        starts_root: model.runs_privileged(),
        ..Traits::default()
    };
    let simple = |v: &str| {
        !v.is_empty()
            && v != "root"
            && v != "0"
            && v.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"-_.".contains(&b))
    };
    if simple(&name.prefix) {
        t.names.push(name.prefix.clone());
    }
    let mut writes: Vec<(String, String)> = Vec::new();
    for e in files.iter().flat_map(|f| &f.entries) {
        let v = e.value.as_str();
        let line = || format!("{}={v}", e.key);
        match e.key.as_str() {
            "After" | "Wants" | "Requires" | "BindsTo" => {
                if v.contains("network") || v.contains("nss-lookup") {
                    t.uses_network = true;
                }
                if v.contains("dbus") {
                    t.uses_dbus = true;
                }
            }
            "Sockets" | "ListenStream" | "ListenDatagram" => t.uses_network = true,
            "BusName" => t.uses_dbus = true,
            "Type" if v == "dbus" => t.uses_dbus = true,
            "Type" => t.notify_type = v.starts_with("notify"),
            "User" | "Group" if !v.is_empty() && v != "root" && v != "0" => {
                t.fixed_user = Some(format!("{}={v}", e.key));
                if simple(v) && !t.names.iter().any(|n| n == v) {
                    t.names.push(v.to_owned());
                }
            }
            "StateDirectory"
            | "CacheDirectory"
            | "LogsDirectory"
            | "ReadWritePaths"
            | "ReadWriteDirectories"
            | "WorkingDirectory"
                if !v.is_empty() && t.persistent_state.is_none() =>
            {
                t.persistent_state = Some(format!("{}={v}", e.key));
            }
            "DeviceAllow" if !v.is_empty() => t.device_allow = Some(line()),
            "DeviceAllow" => t.device_allow = None,
            "AmbientCapabilities" | "CapabilityBoundingSet" => {
                if v.is_empty() {
                    if e.key == "CapabilityBoundingSet" {
                        t.named_caps = model.ambient_capabilities;
                    }
                } else if !v.starts_with('~') {
                    for c in v.split_ascii_whitespace() {
                        if let Some(b) = crate::tables::capability_from_name(c) {
                            t.named_caps |= 1 << b;
                        }
                    }
                }
            }
            _ => {}
        }
        match e.key.as_str() {
            "ExecStart" => {
                if v.is_empty() {
                    t.exec.clear();
                }
                t.exec.push_str(v);
                t.exec.push(' ');
                let flags: String = v.chars().take_while(|c| "-@:+!|".contains(*c)).collect();
                if flags.contains(['+', '!']) {
                    t.starts_root = true;
                }
                if v.split_ascii_whitespace()
                    .any(|w| matches!(w, "-u" | "--user") || w.starts_with("--user="))
                {
                    t.user_argument = true;
                }
            }
            "PIDFile" => {
                // Its folder, whatever specifiers the file's own name holds (hostapd.%i.pid).
                if let Some(p) = v
                    .rsplit_once('/')
                    .and_then(|(dir, _)| path_of(dir))
                    .filter(|p| writable_place(p))
                {
                    writes.push((p, line()));
                }
            }
            "WorkingDirectory" => {
                if let Some(p) = path_of(v.trim_start_matches('-')).filter(|p| writable_place(p)) {
                    writes.push((p, line()));
                }
            }
            _ => {}
        }
        if matches!(
            e.key.as_str(),
            "ExecStartPre"
                | "ExecStartPost"
                | "ExecStart"
                | "ExecReload"
                | "ExecStop"
                | "ExecStopPost"
                | "ExecCondition"
                | "Environment"
        ) {
            {
                let words = v
                    .split(|c: char| c.is_ascii_whitespace() || "'\"=".contains(c))
                    .filter(|w| !w.is_empty());
                let program = e.key != "Environment";
                for (i, w) in words.enumerate() {
                    if program && i == 0 {
                        let w = w.trim_start_matches(['-', '@', ':', '+', '!', '|']);
                        if let Some(base) = w.rsplit('/').next()
                            && !base.is_empty()
                        {
                            if e.key == "ExecStart" {
                                t.main = Some(base.to_owned());
                            }
                            if !t.programs.iter().any(|p| p == base) {
                                t.programs.push(base.to_owned());
                            }
                            // A package's own helper (/usr/share/dnsmasq/systemd-helper,
                            // /usr/lib/postfix/configure-instance.sh) names its package by
                            // its folder.
                            for lib in ["/usr/share/", "/usr/lib/", "/usr/libexec/"] {
                                if let Some(pkg) = w
                                    .strip_prefix(lib)
                                    .and_then(|r| r.split_once('/'))
                                    .map(|(p, _)| p)
                                    .filter(|p| !t.programs.iter().any(|q| q == p))
                                {
                                    t.programs.push(pkg.to_owned());
                                }
                            }
                        }
                        continue;
                    }
                    // A file whose name holds a specifier or variable (…/%i.pid): its folder.
                    let path = path_of(w).map(|p| folder_of(&p)).or_else(|| {
                        let (dir, _) = w.rsplit_once('/')?;
                        path_of(dir).filter(|_| dir.contains('/'))
                    });
                    if let Some(p) = path.filter(|p| writable_place(p)) {
                        writes.push((p, line()));
                    }
                }
            }
        }
    }
    // The program ExecStart= runs decides; the others (helpers in ExecStartPre=) only when it
    // is not in the table.
    t.needs = t
        .main
        .as_ref()
        .and_then(|m| needs::of(std::slice::from_ref(m)))
        .or_else(|| needs::of(&t.programs));
    t.writes = writes;
    if t.need(|n| n.netlink || n.listens) {
        t.uses_network = true;
    }
    let net_bind = crate::tables::cap_bit("cap_net_bind_service");
    let explicit_caps = model.origins.contains_key("CapabilityBoundingSet");
    if model.ambient_capabilities & net_bind != 0
        || (explicit_caps && model.capability_bounding_set & net_bind != 0)
    {
        t.binds_low_ports = true;
        t.uses_network = true;
    }
    let raf = &model.restrict_address_families;
    if raf.allow_list
        && raf
            .families
            .iter()
            .any(|&f| f == crate::tables::AF_INET || f == crate::tables::AF_INET6)
    {
        t.uses_network = true;
    }
    if !model.ip_address_allow.is_empty() {
        t.uses_network = true;
    }
    let exec = t.exec.to_ascii_lowercase();
    for rt in [
        "java", "node", "nodejs", "dotnet", "mono", "luajit", "php", "ruby", "python", "qemu",
        "erl", "beam",
    ] {
        if exec.split(|c: char| !c.is_ascii_alphanumeric()).any(|w| {
            w == rt
                || w.starts_with(rt)
                    && w[rt.len()..]
                        .bytes()
                        .all(|b| b.is_ascii_digit() || b == b'.')
        }) {
            t.jit = Some(rt.to_owned());
            break;
        }
    }
    t
}

/// A candidate line before gains are known.
struct Candidate {
    setting: &'static str,
    value: String,
    tier: Tier,
    may_break: Cow<'static, str>,
    withheld: Option<String>,
    /// Lines that must follow it in the drop-in (e.g. a second `SystemCallFilter=`).
    extra: Vec<(&'static str, String)>,
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
fn candidates(m: &Model, t: &Traits, p: &crate::version::Profile) -> Vec<Candidate> {
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
    c.sort_by_key(|x| {
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
    if !m.private_network {
        let mut x = cand(
            "PrivateNetwork",
            "yes",
            Tier::Strict,
            "the service has only a loopback interface: every outside connection and DNS lookup fails",
        );
        if t.uses_network {
            x.withheld = Some("the unit appears to use the network (network targets, sockets, Internet address families)".into());
        }
        c.push(x);
    }
    // Custom BPF filters already pass the IP check.
    let bpf = !m.ip_ingress_filter_path.is_empty() || !m.ip_egress_filter_path.is_empty();
    if !bpf && !m.denies_all_ip() {
        let mut x = cand(
            "IPAddressDeny",
            "any",
            Tier::Strict,
            "all IP traffic is dropped; add IPAddressAllow= for the addresses the service must reach",
        );
        if t.uses_network {
            x.withheld = Some("the unit appears to use the network; list its peers in IPAddressAllow= before denying the rest".into());
        }
        c.push(x);
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

fn render_value(setting: &str, value: &str) -> String {
    format!("{setting}={value}")
}

/// The name the suggested drop-in is read under when it is scored.
const DROPIN_PATH: &str = "exposure-suggested.conf";

/// A unit's own files loaded once, then scored with one drop-in more, as often as the advisor
/// tries a line: each try reads the drop-in on a copy of the loaded state instead of parsing
/// and loading the unit again, and computes the score without building rows. The score equals
/// [`analyze_unit`](crate::analyze_unit)'s for the unit's files plus that drop-in (a unit test and the `advise` fuzz
/// target compare the two).
struct Probe<'a> {
    name: &'a UnitName,
    staged: load::Staged,
}

impl<'a> Probe<'a> {
    fn new(name: &'a UnitName, files: &[syntax::File], version: crate::Version) -> Self {
        Probe {
            name,
            staged: load::Staged::read(name, files, version).without_diagnostics(),
        }
    }

    /// The unit as its own files load it, without any drop-in more.
    fn model(&self) -> Model {
        self.staged.clone().finish().model
    }

    /// The unit's sums with `dropin` read as its last drop-in.
    fn sums(&self, dropin: &str, opts: &Options) -> Result<score::Sums, Diagnostic> {
        let file = syntax::parse(
            dropin,
            Some(DROPIN_PATH),
            syntax::Origin::default(),
            Some(self.name.kind.sections()),
        );
        let mut staged = self.staged.clone();
        staged.file(&file);
        let loaded = staged.finish();
        Ok(score::sums(
            &loaded.model,
            opts.policy.as_ref(),
            opts.version,
        )?)
    }
}

/// A chosen line: setting, value, and the lines that must follow it.
type Chosen<'a> = (&'static str, String, &'a [(&'static str, String)]);

fn dropin_body(lines: &[Chosen<'_>]) -> String {
    let mut s = String::from("[Service]\n");
    for (k, v, extra) in lines {
        s.push_str(&render_value(k, v));
        s.push('\n');
        for (ek, ev) in extra.iter() {
            s.push_str(&render_value(ek, ev));
            s.push('\n');
        }
    }
    s
}

/// Suggests a drop-in for a unit given as its files (unit file first, then drop-ins).
pub fn advise(
    name: &str,
    files: &[FileInput<'_>],
    opts: &Options,
    tier: Tier,
) -> Result<Advice, Diagnostic> {
    advise_leaving_out(name, files, opts, tier, &[])
}

/// [`advise`], with the suggested lines for the settings in `left_out` kept out of the
/// drop-in: they stay in [`Advice::lines`] (marked [`Line::left_out`], at the place they would
/// take) and in the drop-in as comments, and the predicted score is the unit's with the other
/// lines only — the "what if" of unticking a suggestion. The order of the lines does not
/// depend on what is left out, so a list of them does not move when one is unticked.
pub fn advise_leaving_out(
    name: &str,
    files: &[FileInput<'_>],
    opts: &Options,
    tier: Tier,
    left_out: &[&str],
) -> Result<Advice, Diagnostic> {
    crate::check_size(files)?;
    // Parse and load once: the model and lines feed the tailoring and the "before" score, and
    // each drop-in tried is read on a copy of the loaded state.
    let unit = crate::parse_unit(name, files, opts.version)?;
    let kind = unit.name.kind;
    let probe = Probe::new(&unit.name, &unit.files, opts.version);
    let model = probe.model();
    let t = traits(&model, &unit.name, &unit.files);
    let cands = candidates(&model, &t, opts.version.profile());
    let before = score::sums(&model, opts.policy.as_ref(), opts.version)?;
    let section = kind.section().unwrap_or("Service");
    let body =
        |lines: &[Chosen<'_>]| dropin_body(lines).replacen("[Service]", &format!("[{section}]"), 1);

    let mut cands: Vec<Candidate> = cands.into_iter().filter(|c| c.tier <= tier).collect();
    // Within one setting keep only the strongest value the tier allows.
    let mut seen = std::collections::HashSet::new();
    cands.reverse();
    // A withheld value does not displace a weaker one the tier allows (a job runner keeps the
    // safe tier's ProtectSystem=full when strict is withheld).
    cands.retain(|c| c.withheld.is_some() || seen.insert(c.setting));
    cands.reverse();

    // Order by the exposure each line removes on its own, most first, measured before the
    // rounding to tenths so that small gains still order correctly.
    let score = |lines: &[Chosen<'_>]| -> Option<(u32, u64)> {
        let s = probe.sums(&body(lines), opts).ok()?;
        Some((s.exposure().0, s.millionths()))
    };
    let base = before.exposure().0;
    let base_precise = before.millionths();
    let mut scored: Vec<(u64, usize)> = Vec::new();
    for (i, c) in cands.iter().enumerate() {
        if c.withheld.is_some() {
            continue;
        }
        let (_, p) =
            score(&[(c.setting, c.value.clone(), &c.extra)]).unwrap_or((base, base_precise));
        scored.push((base_precise.saturating_sub(p), i));
    }
    scored.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));

    let mut lines = Vec::new();
    // The extra lines that follow each entry of `lines` in the drop-in.
    let mut extras: Vec<&[(&'static str, String)]> = Vec::new();
    let mut chosen: Vec<Chosen<'_>> = Vec::new();
    let mut current = base;
    let mut current_precise = base_precise;
    for &(alone, i) in &scored {
        let c = &cands[i];
        if left_out.contains(&c.setting) {
            if alone > 0 {
                lines.push(Line {
                    setting: c.setting,
                    value: c.value.clone(),
                    tier: c.tier,
                    gain: Tenths(0),
                    may_break: c.may_break.clone(),
                    withheld: None,
                    left_out: true,
                });
                extras.push(&c.extra);
            }
            continue;
        }
        let mut next = chosen.clone();
        next.push((c.setting, c.value.clone(), &c.extra));
        let (e, p) = score(&next).unwrap_or((current, current_precise));
        // A line that removes nothing, alone or with the others, is left out.
        if alone == 0 || p >= current_precise {
            continue;
        }
        lines.push(Line {
            setting: c.setting,
            value: c.value.clone(),
            tier: c.tier,
            gain: Tenths(current.saturating_sub(e)),
            may_break: c.may_break.clone(),
            withheld: None,
            left_out: false,
        });
        extras.push(&c.extra);
        chosen = next;
        current = e;
        current_precise = p;
    }
    let after = probe.sums(&body(&chosen), opts)?.exposure();
    let before = before.exposure();
    for c in cands.iter().filter(|c| c.withheld.is_some()) {
        lines.push(Line {
            setting: c.setting,
            value: c.value.clone(),
            tier: c.tier,
            gain: Tenths(0),
            may_break: c.may_break.clone(),
            withheld: c.withheld.clone(),
            left_out: false,
        });
    }

    // Render the drop-in: a comment line before each setting.
    let unit = unit.name.full.clone();
    let mut dropin = format!(
        "# Hardening suggested by Exposure ({} tier) for {unit}.\n# Exposure {} {} → {} {} (systemd {}). Install as /etc/systemd/system/{unit}.d/{}, then: systemctl daemon-reload; systemctl restart {unit}; systemctl is-active {unit}; undo: rm that file and reload.\n[{section}]\n",
        tier.as_str(),
        before,
        Predicate::of(before),
        after,
        Predicate::of(after),
        opts.version,
        steps::DROPIN_FILE,
    );
    for (l, extra) in lines.iter().zip(&extras) {
        // A line left out is a comment, as are the lines that go with it.
        let hash = if l.left_out {
            dropin.push_str(&format!("# Left out · risk: {}.\n", l.may_break));
            "#"
        } else {
            let gain = if l.gain.0 == 0 {
                "< 0.1".to_owned()
            } else {
                format!("\u{2212}{}", l.gain)
            };
            dropin.push_str(&format!("# Gain {gain} · risk: {}.\n", l.may_break));
            ""
        };
        for (k, v) in
            std::iter::once((l.setting, &l.value)).chain(extra.iter().map(|(k, v)| (*k, v)))
        {
            dropin.push_str(hash);
            dropin.push_str(&render_value(k, v));
            dropin.push('\n');
        }
    }
    for l in lines.iter().filter(|l| l.withheld.is_some()) {
        dropin.push_str(&format!(
            "# Not suggested: {}.\n#{}\n",
            // It quotes the unit's own lines: keep their control characters out of the file.
            crate::printable(l.withheld.as_deref().unwrap_or_default()),
            render_value(l.setting, &l.value)
        ));
    }
    Ok(Advice {
        unit,
        tier,
        exposure_before: before,
        predicate_before: Predicate::of(before),
        exposure_after: after,
        predicate_after: Predicate::of(after),
        dropin,
        lines,
    })
}

/// Advice for every unit of a paste (a unit file or `systemctl cat` output), in paste order.
/// `systemctl show` input gets none: a drop-in is predicted from unit files, not properties.
pub fn advise_paste(text: &str, opts: &Options, tier: Tier) -> Vec<Advice> {
    advise_paste_leaving_out(text, opts, tier, &[], None)
}

/// [`advise_paste`] with some lines left out ([`advise_leaving_out`]), given as
/// `(unit, setting)` pairs; with `only`, for that unit alone, e.g. the one a page shows, which
/// spares advising every unit of a long paste. Units are named as reports name them (the name
/// assessed: `foo@i.service` for the template `foo@.service`).
pub fn advise_paste_leaving_out(
    text: &str,
    opts: &Options,
    tier: Tier,
    left_out: &[(String, String)],
    only: Option<&str>,
) -> Vec<Advice> {
    if text.len() > crate::MAX_INPUT_BYTES {
        return Vec::new();
    }
    let kind = opts.kind.unwrap_or_else(|| crate::input::detect(text));
    crate::unit_files(text, kind, opts)
        .into_iter()
        .filter_map(|(name, files)| {
            let assessed = crate::unit::UnitName::parse(&name).map_or_else(
                || name.clone(),
                |n| n.assessed_as(opts.version.profile().instance).full,
            );
            if only.is_some_and(|only| only != assessed) {
                return None;
            }
            let out: Vec<&str> = left_out
                .iter()
                .filter(|(u, _)| *u == assessed)
                .map(|(_, s)| s.as_str())
                .collect();
            advise_leaving_out(&name, &files, opts, tier, &out).ok()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    //! The scores below are systemd 252's (checked with its systemd-analyze).
    use super::*;
    use crate::{analyze_unit, load_unit, parse_unit};

    /// The probe (the unit loaded once, each drop-in read on a copy) scores exactly as the
    /// engine does on the unit's files plus the drop-in, including where the drop-in is not
    /// read at all (a refused unit file) or not in effect (an empty unit file, a drop-in that
    /// stops at a fatal line, settings a socket's section does not take).
    #[test]
    fn the_probe_scores_as_the_engine_does() {
        let units = [
            ("plain.service", "[Service]\nExecStart=/usr/bin/true\n"),
            (
                "web@blue.service",
                "[Service]\nUser=%i\nExecStart=/usr/bin/webd %I\nPrivateTmp=yes\nCapabilityBoundingSet=~CAP_SYS_ADMIN\n",
            ),
            ("masked.service", ""),
            // A fatal line in the unit file: systemd reads no drop-in after it.
            (
                "broken.service",
                "[Service]\nExecStart=/usr/bin/true\nUser=%Z\n",
            ),
            (
                "sock.socket",
                "[Socket]\nListenStream=80\n[Service]\nPrivateTmp=yes\n",
            ),
        ];
        let dropins = [
            "",
            "[Service]\nPrivateDevices=yes\nDevicePolicy=closed\n",
            "[Service]\nDynamicUser=yes\nSystemCallFilter=@system-service\nSystemCallFilter=~@privileged\n",
            "[Socket]\nPrivateNetwork=yes\nProtectSystem=strict\n",
            // Stops at the fatal line: ProtectHome= after it is not read.
            "[Service]\nNoNewPrivileges=yes\nUser=%Z\nProtectHome=yes\n",
            "[Service]\nRestrictAddressFamilies=AF_UNIX\nRestrictAddressFamilies=\nIPAddressDeny=any\n",
        ];
        let opts = Options::for_version(crate::Version::V252);
        for (name, text) in units {
            let files = [FileInput::whole(Some("/etc/systemd/system/unit"), text)];
            assert_eq!(
                load_unit(name, &files, opts.version)
                    .unwrap()
                    .loaded
                    .refused
                    .is_some(),
                name == "broken.service" || name == "masked.service",
                "{name}"
            );
            let unit = parse_unit(name, &files, opts.version).unwrap();
            let probe = Probe::new(&unit.name, &unit.files, opts.version);
            assert_eq!(
                probe.model(),
                load_unit(name, &files, opts.version).unwrap().loaded.model
            );
            for dropin in dropins {
                let mut with = files.to_vec();
                with.push(FileInput::whole(Some(DROPIN_PATH), dropin));
                let engine = analyze_unit(name, &with, &opts).unwrap();
                if dropin.contains("%Z") && name.ends_with(".service") && name != "broken.service" {
                    assert!(
                        engine
                            .diagnostics
                            .iter()
                            .any(|d| d.code == "dropin-aborted"),
                        "{name}"
                    );
                }
                let sums = probe.sums(dropin, &opts).unwrap();
                assert_eq!(sums.exposure(), engine.exposure, "{name} with {dropin:?}");
                // The sums are the rows' own numbers.
                let (mut s, mut w) = (0, 0);
                for r in &engine.rows {
                    if let Some(b) = r.detail.badness {
                        s += (u64::from(b) * u64::from(r.detail.weight))
                            .div_ceil(u64::from(r.detail.range));
                        w += u64::from(r.detail.weight);
                    }
                }
                assert_eq!(
                    (sums.badness, sums.weight),
                    (s, w),
                    "{name} with {dropin:?}"
                );
            }
        }
    }

    fn advise_text(name: &str, text: &str, tier: Tier) -> Advice {
        let f = [FileInput::whole(None, text)];
        advise(name, &f, &Options::for_version(crate::Version::V252), tier).unwrap()
    }

    fn has(a: &Advice, setting: &str) -> Option<String> {
        a.lines
            .iter()
            .find(|l| l.setting == setting && l.withheld.is_none())
            .map(|l| l.value.clone())
    }

    #[test]
    fn comments_quote_the_unit_without_its_control_characters() {
        let unit = "[Service]\nExecStart=/usr/bin/true\nWorkingDirectory=/srv/\x1b[8mx\u{202e}\n";
        let a = advise_text("state.service", unit, Tier::Strict);
        let why = a.lines.iter().find_map(|l| l.withheld.as_deref()).unwrap();
        assert!(
            why.contains("/srv/\x1b[8m"),
            "the advice keeps the value: {why}"
        );
        assert!(
            a.dropin
                .contains("(WorkingDirectory=/srv/\\x1b[8mx\\u{202e}) whose ownership"),
            "{}",
            a.dropin
        );
        assert!(!a.dropin.contains(['\x1b', '\u{202e}']), "{}", a.dropin);
    }

    #[test]
    fn units_over_the_size_limit_are_refused() {
        let big = format!("[Service]\n{}", "#".repeat(crate::MAX_INPUT_BYTES));
        let files = [FileInput::whole(None, &big)];
        let e = advise(
            "big.service",
            &files,
            &Options::for_version(crate::Version::V252),
            Tier::Strict,
        )
        .unwrap_err();
        assert_eq!(e.code, "input-too-large");
    }

    #[test]
    fn tiers_lower_the_score_step_by_step() {
        let unit = "[Service]\nExecStart=/usr/bin/true\n";
        let safe = advise_text("plain.service", unit, Tier::Safe);
        let moderate = advise_text("plain.service", unit, Tier::Moderate);
        let strict = advise_text("plain.service", unit, Tier::Strict);
        assert_eq!(safe.exposure_before, Tenths(96));
        assert!(safe.exposure_after < safe.exposure_before);
        assert!(moderate.exposure_after < safe.exposure_after);
        assert!(strict.exposure_after < moderate.exposure_after);
        // The predicted score is what the engine gives the unit with the drop-in applied.
        let f = [
            FileInput::whole(None, unit),
            FileInput::whole(None, &strict.dropin),
        ];
        let r = analyze_unit(
            "plain.service",
            &f,
            &Options::for_version(crate::Version::V252),
        )
        .unwrap();
        assert_eq!(r.exposure, strict.exposure_after);
        // Gains add up to the difference.
        let sum: u32 = strict.lines.iter().map(|l| l.gain.0).sum();
        assert_eq!(sum, strict.exposure_before.0 - strict.exposure_after.0);
    }

    #[test]
    fn a_web_server_keeps_internet_sockets_and_low_ports() {
        let unit = "[Unit]\nAfter=network.target\n[Service]\nExecStart=/usr/sbin/webd\nAmbientCapabilities=CAP_NET_BIND_SERVICE\nUser=www-data\n";
        let a = advise_text("webd.service", unit, Tier::Strict);
        assert_eq!(
            has(&a, "RestrictAddressFamilies").as_deref(),
            Some("AF_UNIX AF_INET AF_INET6")
        );
        assert!(has(&a, "PrivateNetwork").is_none());
        assert!(
            a.dropin
                .contains("CapabilityBoundingSet=CAP_NET_BIND_SERVICE\n")
        );
        // User= names a fixed identity: DynamicUser= is only a comment.
        assert!(has(&a, "DynamicUser").is_none());
        assert!(a.dropin.contains("#DynamicUser=yes"));
    }

    #[test]
    fn a_unit_with_user_and_state_gets_no_dynamic_user() {
        let unit = "[Service]\nExecStart=/usr/bin/db\nStateDirectory=db\n";
        let a = advise_text("db.service", unit, Tier::Strict);
        assert!(has(&a, "DynamicUser").is_none());
        let w = a.lines.iter().find(|l| l.setting == "DynamicUser").unwrap();
        assert!(w.withheld.as_deref().unwrap().contains("StateDirectory=db"));
    }

    #[test]
    fn a_batch_job_gets_dynamic_user_and_no_network() {
        let unit = "[Service]\nType=oneshot\nExecStart=/usr/bin/report\n";
        let a = advise_text("report.service", unit, Tier::Strict);
        assert_eq!(has(&a, "DynamicUser").as_deref(), Some("yes"));
        assert_eq!(has(&a, "PrivateNetwork").as_deref(), Some("yes"));
        assert_eq!(
            has(&a, "RestrictAddressFamilies").as_deref(),
            Some("AF_UNIX")
        );
    }

    #[test]
    fn settings_already_passing_are_not_suggested() {
        let unit = "[Service]\nExecStart=/usr/bin/true\nPrivateTmp=yes\nProtectSystem=strict\n";
        let a = advise_text("x.service", unit, Tier::Strict);
        assert!(has(&a, "PrivateTmp").is_none());
        assert!(has(&a, "ProtectSystem").is_none());
    }

    #[test]
    fn pastes_get_advice_per_unit() {
        let cat = "# /lib/systemd/system/a.service\n[Service]\nExecStart=/x\n# /lib/systemd/system/b.service\n[Service]\nExecStart=/y\nPrivateTmp=yes\n";
        let all = advise_paste(cat, &Options::for_version(crate::Version::V252), Tier::Safe);
        let names: Vec<_> = all.iter().map(|a| a.unit.as_str()).collect();
        assert_eq!(names, ["a.service", "b.service"]);
        assert!(has(&all[0], "PrivateTmp").is_some());
        assert!(has(&all[1], "PrivateTmp").is_none());
        assert!(
            advise_paste(
                "Id=x.service\nLoadState=loaded\nType=simple\n",
                &Options::for_version(crate::Version::V252),
                Tier::Safe
            )
            .is_empty()
        );
    }

    #[test]
    fn leaving_a_line_out_predicts_the_score_without_it() {
        let unit = "[Unit]\nAfter=network.target\n[Service]\nExecStart=/usr/sbin/webd\n";
        let name = "webd.service";
        let files = [FileInput::whole(None, unit)];
        let opts = Options::for_version(crate::Version::V252);
        let all = advise(name, &files, &opts, Tier::Strict).unwrap();
        let out = advise_leaving_out(
            name,
            &files,
            &opts,
            Tier::Strict,
            &["ProtectHome", "PrivateDevices"],
        )
        .unwrap();
        // Every line is still there, in the same order: the ones left out are marked, and a
        // line that only helps without them (DevicePolicy= without PrivateDevices=) joins
        // at its own place.
        let mut rest = out.lines.iter();
        for l in &all.lines {
            assert!(
                rest.any(|o| o.setting == l.setting && o.value == l.value),
                "{} moved or went missing",
                l.setting
            );
        }
        assert!(
            out.lines
                .iter()
                .any(|l| l.setting == "DevicePolicy" && !l.left_out)
        );
        for l in &out.lines {
            let expect = l.setting == "ProtectHome" || l.setting == "PrivateDevices";
            assert_eq!(l.left_out, expect, "{}", l.setting);
            if l.left_out {
                assert_eq!(l.gain, Tenths(0));
                assert!(
                    out.dropin
                        .contains(&format!("\n#{}={}\n", l.setting, l.value))
                );
                assert!(
                    !out.dropin
                        .contains(&format!("\n{}={}\n", l.setting, l.value))
                );
            }
        }
        assert!(out.exposure_after > all.exposure_after);
        assert_eq!(out.exposure_before, all.exposure_before);
        // The prediction is the engine's score with the drop-in as written.
        let with = [files[0], FileInput::whole(None, &out.dropin)];
        let r = analyze_unit(name, &with, &opts).unwrap();
        assert_eq!(r.exposure, out.exposure_after);
        let sum: u32 = out.lines.iter().map(|l| l.gain.0).sum();
        assert_eq!(sum, out.exposure_before.0 - out.exposure_after.0);
        // Leaving out every line offered (and then those offered in their place) ends with a
        // drop-in of comments only, which predicts no change.
        let mut every: Vec<&str> = Vec::new();
        let none = loop {
            let a = advise_leaving_out(name, &files, &opts, Tier::Strict, &every).unwrap();
            let offered: Vec<&str> = a
                .lines
                .iter()
                .filter(|l| !l.left_out && l.withheld.is_none())
                .map(|l| l.setting)
                .collect();
            if offered.is_empty() {
                break a;
            }
            every.extend(offered);
        };
        assert_eq!(none.exposure_after, none.exposure_before);
        assert!(
            none.lines
                .iter()
                .all(|l| l.left_out || l.withheld.is_some())
        );
    }

    #[test]
    fn pastes_leave_lines_out_per_unit() {
        let cat = "# /lib/systemd/system/a.service\n[Service]\nExecStart=/x\n# /lib/systemd/system/b.service\n[Service]\nExecStart=/y\n";
        let out = [("b.service".to_owned(), "PrivateTmp".to_owned())];
        let all = advise_paste_leaving_out(
            cat,
            &Options::for_version(crate::Version::V252),
            Tier::Safe,
            &out,
            None,
        );
        let left = |a: &Advice| {
            a.lines
                .iter()
                .any(|l| l.setting == "PrivateTmp" && l.left_out)
        };
        assert!(!left(&all[0]));
        assert!(left(&all[1]));
        assert!(all[1].exposure_after > all[0].exposure_after);
        // One unit alone.
        let only = advise_paste_leaving_out(
            cat,
            &Options::for_version(crate::Version::V252),
            Tier::Safe,
            &out,
            Some("b.service"),
        );
        assert_eq!(only, all[1..]);
        // A template is named as its report names it, the instance assessed, both to pick it
        // and to leave its lines out.
        let t = "# /lib/systemd/system/t@.service\n[Service]\nExecStart=/x\n";
        let off = [("t@i.service".to_owned(), "PrivateTmp".to_owned())];
        let one = advise_paste_leaving_out(
            t,
            &Options::for_version(crate::Version::V252),
            Tier::Safe,
            &off,
            Some("t@i.service"),
        );
        assert_eq!(one.len(), 1);
        assert_eq!(one[0].unit, "t@i.service");
        assert!(left(&one[0]));
        assert!(
            advise_paste_leaving_out(
                t,
                &Options::for_version(crate::Version::V252),
                Tier::Safe,
                &off,
                Some("t@.service")
            )
            .is_empty()
        );
    }

    /// The drop-in's `ReadWritePaths=` values, in order.
    fn given_back(a: &Advice) -> Vec<&str> {
        a.dropin
            .lines()
            .filter_map(|l| l.strip_prefix("ReadWritePaths="))
            .collect()
    }

    #[test]
    fn a_read_only_file_system_gives_back_the_paths_the_unit_writes() {
        let unit = "[Service]\nUser=app\nPIDFile=/var/run/appd/%i.pid\nWorkingDirectory=/srv/app\nEnvironment=SOCK=/run/app.sock\nExecStartPre=/bin/mkdir -p /var/lib/app/queue\nExecStart=/usr/bin/appd --log=/var/log/appd.log --conf /etc/app.conf\n";
        let a = advise_text("appd.service", unit, Tier::Moderate);
        assert_eq!(has(&a, "ProtectSystem").as_deref(), Some("strict"));
        let rw = given_back(&a);
        // From the unit's lines first, in their order (the PID file's and socket's folders,
        // /var/run read as /run; the log file's folder), then the conventional folders of its
        // names (appd, app); none inside another (/run/appd, /var/lib/app/queue), /etc never,
        // each with '-'.
        assert_eq!(
            rw,
            [
                "-/srv/app",
                "-/run",
                "-/var/log",
                "-/var/lib/appd",
                "-/var/cache/appd",
                "-/var/spool/appd",
                "-/var/lib/app",
                "-/var/cache/app",
                "-/var/spool/app",
            ],
            "{}",
            a.dropin
        );
        // The paths follow ProtectSystem=strict, as part of it.
        assert!(
            a.dropin
                .contains("ProtectSystem=strict\nReadWritePaths=-/srv/app\n"),
            "{}",
            a.dropin
        );
        // The unit writes outside the folders a dynamic user would own.
        let s = advise_text(
            "appd.service",
            "[Service]\nPIDFile=/run/appd.pid\nExecStart=/usr/bin/appd\n",
            Tier::Strict,
        );
        let why = s
            .lines
            .iter()
            .find(|l| l.setting == "DynamicUser")
            .and_then(|l| l.withheld.clone())
            .unwrap();
        assert!(why.contains("/run (PIDFile=/run/appd.pid)"), "{why}");
        // A safe tier leaves /var writable: nothing to give back.
        assert!(given_back(&advise_text("appd.service", unit, Tier::Safe)).is_empty());
    }

    #[test]
    fn a_root_daemon_keeps_low_ports_and_its_user_switch() {
        let unit =
            "[Unit]\nAfter=network.target\n[Service]\nExecStart=/usr/sbin/nginx -g 'daemon on;'\n";
        let a = advise_text("web.service", unit, Tier::Strict);
        let caps: Vec<&str> = a
            .dropin
            .lines()
            .filter_map(|l| l.strip_prefix("CapabilityBoundingSet="))
            .collect();
        assert_eq!(caps[0], "", "{}", a.dropin);
        for c in ["CAP_NET_BIND_SERVICE", "CAP_SETUID", "CAP_SETGID"] {
            assert!(caps[1].split(' ').any(|x| x == c), "{c}: {}", a.dropin);
        }
        // @privileged (setuid, setgroups) stays allowed for it.
        assert!(!a.dropin.contains("~@privileged"), "{}", a.dropin);
        assert!(has(&a, "DynamicUser").is_none() && has(&a, "PrivateUsers").is_none());
        // A root daemon named by -u switches users too.
        let b = advise_text(
            "x.service",
            "[Service]\nExecStart=/usr/sbin/xd -u xd\n",
            Tier::Strict,
        );
        assert!(b.dropin.contains("CAP_SETUID"), "{}", b.dropin);
        // A job runner gets only the safe tier.
        let c = advise_text(
            "cron.service",
            "[Service]\nExecStart=/usr/sbin/cron -f\n",
            Tier::Strict,
        );
        assert!(
            c.lines
                .iter()
                .all(|l| l.tier == Tier::Safe || l.withheld.is_some())
        );
        // …and keeps it: the withheld ProtectSystem=strict does not take ProtectSystem=full
        // away, so no tier scores worse than the one below it.
        assert_eq!(has(&c, "ProtectSystem").as_deref(), Some("full"));
        let safe = advise_text(
            "cron.service",
            "[Service]\nExecStart=/usr/sbin/cron -f\n",
            Tier::Safe,
        );
        assert!(c.exposure_after <= safe.exposure_after);
    }

    #[test]
    fn jit_runtimes_keep_writable_executable_memory() {
        let unit = "[Service]\nExecStart=/usr/bin/java -jar app.jar\n";
        let a = advise_text("app.service", unit, Tier::Moderate);
        assert!(has(&a, "MemoryDenyWriteExecute").is_none());
        assert!(a.dropin.contains("#MemoryDenyWriteExecute=yes"));
    }
}
