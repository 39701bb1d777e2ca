//! What a unit appears to do, read from its own lines: the facts the advisor tailors its
//! suggestions to (the network, D-Bus, a fixed user, the paths it writes, its programs).

use super::needs::{self, Needs};
use crate::model::Model;
use crate::syntax;
use crate::unit::UnitName;

/// What the unit appears to do, read from its own lines.
#[derive(Debug, Default)]
pub(super) struct Traits {
    pub(super) uses_network: bool,
    pub(super) binds_low_ports: bool,
    pub(super) uses_dbus: bool,
    pub(super) fixed_user: Option<String>,
    pub(super) persistent_state: Option<String>,
    pub(super) jit: Option<String>,
    pub(super) exec: String,
    /// The main process starts as root: no `User=` (or root), or `ExecStart=` with `!` or `+`.
    pub(super) starts_root: bool,
    /// The names the service's own folders go by: the unit's (without instance and suffix),
    /// its `User=` and `Group=`.
    pub(super) names: Vec<String>,
    /// Paths the unit's own lines show it writes (`PIDFile=`'s folder, `WorkingDirectory=`,
    /// arguments of its commands under /run, /var or /srv), each with the line it was read from.
    pub(super) writes: Vec<(String, String)>,
    /// The programs its commands run (without their folders), `ExecStart=`'s first.
    pub(super) programs: Vec<String>,
    /// `ExecStart=`'s program (without its folder).
    pub(super) main: Option<String>,
    /// Capabilities the unit names itself (`AmbientCapabilities=`, a `CapabilityBoundingSet=`
    /// that lists what to keep): never dropped without a word.
    pub(super) named_caps: u64,
    /// A `DeviceAllow=` line: the unit wants some real devices.
    pub(super) device_allow: Option<String>,
    /// What its program is known to need ([`needs::KNOWN`]).
    pub(super) needs: Option<&'static Needs>,
    /// `ExecStart=` names a user to switch to (`-u NAME`, `--user NAME`, `--user=NAME`).
    pub(super) user_argument: bool,
    /// `Type=notify` (or `notify-reload`).
    pub(super) notify_type: bool,
}

impl Traits {
    pub(super) fn switches_user(&self) -> bool {
        self.starts_root && (self.user_argument || self.needs.is_some_and(|n| n.switches_user))
    }
    /// A root daemon that switches users or changes its files' owners: it keeps @privileged
    /// (setuid, setgroups, chown) in every tier.
    pub(super) fn privileged_work(&self) -> bool {
        self.switches_user() || (self.starts_root && self.need(|n| n.owns_files))
    }
    pub(super) fn need(&self, f: impl Fn(&Needs) -> bool) -> bool {
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

pub(super) fn traits(model: &Model, name: &UnitName, files: &[syntax::File]) -> Traits {
    let mut t = Traits {
        starts_root: model.runs_privileged(),
        ..Traits::default()
    };
    if simple_name(&name.prefix) {
        t.names.push(name.prefix.clone());
    }
    let mut writes: Vec<(String, String)> = Vec::new();
    for e in files.iter().flat_map(|f| &f.entries) {
        t.read_setting(model, e);
        t.read_command(e, &mut writes);
        t.read_words(e, &mut writes);
    }
    t.writes = writes;
    // The program ExecStart= runs decides; the others (helpers in ExecStartPre=) only when it
    // is not in the table.
    t.needs = t
        .main
        .as_ref()
        .and_then(|m| needs::of(std::slice::from_ref(m)))
        .or_else(|| needs::of(&t.programs));
    if t.need(|n| n.netlink || n.listens) {
        t.uses_network = true;
    }
    t.read_model(model);
    t.jit = jit_runtime(&t.exec);
    t
}

/// A name a service's folders may go by: not empty, not root, no specifiers or slashes.
fn simple_name(v: &str) -> bool {
    !v.is_empty()
        && v != "root"
        && v != "0"
        && v.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-_.".contains(&b))
}

impl Traits {
    /// What one setting says about the network, D-Bus, the identity, state and devices.
    fn read_setting(&mut self, model: &Model, e: &syntax::Entry) {
        let v = e.value.as_str();
        let line = || format!("{}={v}", e.key);
        match e.key.as_str() {
            "After" | "Wants" | "Requires" | "BindsTo" => {
                if v.contains("network") || v.contains("nss-lookup") {
                    self.uses_network = true;
                }
                if v.contains("dbus") {
                    self.uses_dbus = true;
                }
            }
            "Sockets" | "ListenStream" | "ListenDatagram" => self.uses_network = true,
            "BusName" => self.uses_dbus = true,
            "Type" if v == "dbus" => self.uses_dbus = true,
            "Type" => self.notify_type = v.starts_with("notify"),
            "User" | "Group" if !v.is_empty() && v != "root" && v != "0" => {
                self.fixed_user = Some(format!("{}={v}", e.key));
                if simple_name(v) && !self.names.iter().any(|n| n == v) {
                    self.names.push(v.to_owned());
                }
            }
            "StateDirectory"
            | "CacheDirectory"
            | "LogsDirectory"
            | "ReadWritePaths"
            | "ReadWriteDirectories"
            | "WorkingDirectory"
                if !v.is_empty() && self.persistent_state.is_none() =>
            {
                self.persistent_state = Some(format!("{}={v}", e.key));
            }
            "DeviceAllow" if !v.is_empty() => self.device_allow = Some(line()),
            "DeviceAllow" => self.device_allow = None,
            "AmbientCapabilities" | "CapabilityBoundingSet" => {
                if v.is_empty() {
                    if e.key == "CapabilityBoundingSet" {
                        self.named_caps = model.ambient_capabilities;
                    }
                } else if !v.starts_with('~') {
                    for c in v.split_ascii_whitespace() {
                        if let Some(b) = crate::tables::capability_from_name(c) {
                            self.named_caps |= 1 << b;
                        }
                    }
                }
            }
            _ => {}
        }
    }

    /// `ExecStart=` (its prefixes and a user argument), `PIDFile=` and `WorkingDirectory=`.
    fn read_command(&mut self, e: &syntax::Entry, writes: &mut Vec<(String, String)>) {
        let v = e.value.as_str();
        let line = || format!("{}={v}", e.key);
        match e.key.as_str() {
            "ExecStart" => {
                if v.is_empty() {
                    self.exec.clear();
                }
                self.exec.push_str(v);
                self.exec.push(' ');
                let flags: String = v.chars().take_while(|c| "-@:+!|".contains(*c)).collect();
                if flags.contains(['+', '!']) {
                    self.starts_root = true;
                }
                if v.split_ascii_whitespace()
                    .any(|w| matches!(w, "-u" | "--user") || w.starts_with("--user="))
                {
                    self.user_argument = true;
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
    }

    /// The words of its commands and environment: the programs it runs and the paths it
    /// writes.
    fn read_words(&mut self, e: &syntax::Entry, writes: &mut Vec<(String, String)>) {
        let v = e.value.as_str();
        let line = || format!("{}={v}", e.key);
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
                                self.main = Some(base.to_owned());
                            }
                            if !self.programs.iter().any(|p| p == base) {
                                self.programs.push(base.to_owned());
                            }
                            // A package's own helper (/usr/share/dnsmasq/systemd-helper,
                            // /usr/lib/postfix/configure-instance.sh) names its package by
                            // its folder.
                            for lib in ["/usr/share/", "/usr/lib/", "/usr/libexec/"] {
                                if let Some(pkg) = w
                                    .strip_prefix(lib)
                                    .and_then(|r| r.split_once('/'))
                                    .map(|(p, _)| p)
                                    .filter(|p| !self.programs.iter().any(|q| q == p))
                                {
                                    self.programs.push(pkg.to_owned());
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

    /// What the loaded unit says: a capability to bind low ports, Internet families, an IP
    /// allow list.
    fn read_model(&mut self, model: &Model) {
        let net_bind = crate::tables::cap_bit("cap_net_bind_service");
        let explicit_caps = model.origins.contains_key("CapabilityBoundingSet");
        if model.ambient_capabilities & net_bind != 0
            || (explicit_caps && model.capability_bounding_set & net_bind != 0)
        {
            self.binds_low_ports = true;
            self.uses_network = true;
        }
        let raf = &model.restrict_address_families;
        if raf.allow_list
            && raf
                .families
                .iter()
                .any(|&f| f == crate::tables::AF_INET || f == crate::tables::AF_INET6)
        {
            self.uses_network = true;
        }
        if !model.ip_address_allow.is_empty() {
            self.uses_network = true;
        }
    }
}

/// The runtime whose JIT wants writable executable memory, if the commands run one.
fn jit_runtime(exec: &str) -> Option<String> {
    let exec = exec.to_ascii_lowercase();
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
            return Some(rt.to_owned());
        }
    }
    None
}
