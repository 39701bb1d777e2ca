//! The offline path: unit file + drop-ins → [`Model`], with the unit loader's semantics of
//! systemd 252 (value parsing, resets, merges, and the settings implied at load time).

use crate::diag::{Diagnostic, Severity, Span};
use crate::model::{
    DevicePolicy, IpPrefix, KeyringMode, Model, NotifyAccess, Origin, ProcSubset, ProtectHome,
    ProtectProc, ProtectSystem,
};
use crate::syntax::{Entry, File};
use crate::syscalls;
use crate::tables::{self, cap_bit};
use crate::unit::{UnitName, UnitType};

/// The result of loading one unit offline.
#[derive(Debug, Clone)]
pub struct Loaded {
    pub model: Model,
    pub diagnostics: Vec<Diagnostic>,
    /// Why systemd would refuse to load the unit, if it would.
    pub refused: Option<String>,
}

/// Loads a unit from its files: `files[0]` is the unit file, the rest are drop-ins already in
/// the order systemd applies them. `name` is the name to assess (an instance for templates).
pub fn load(name: &UnitName, files: &[File]) -> Loaded {
    let kind = name.kind;
    let model = if kind.has_exec_context() {
        let mut m = Model::service_defaults(&name.full);
        if kind != UnitType::Service {
            m.keyring_mode = Some(KeyringMode::Shared);
            m.notify_access = None;
        }
        m
    } else {
        Model::no_exec_defaults(&name.full)
    };
    let mut l = Loader {
        name,
        m: model,
        diags: Vec::new(),
        refused: None,
        exec_start: 0,
        exec_stop: 0,
        success_action: false,
        service_type: None,
        restart: None,
        bus_name: false,
        af_started: false,
        sf_started: false,
        last_line: std::collections::HashMap::new(),
    };
    for f in files {
        l.diags.extend(f.diagnostics.iter().cloned());
        if f.fatal {
            l.refuse("the unit file has an invalid section header");
        }
        for e in &f.entries {
            l.entry(f.path.as_deref(), e);
        }
    }
    l.finish();
    Loaded {
        model: l.m,
        diagnostics: l.diags,
        refused: l.refused,
    }
}

struct Loader<'a> {
    name: &'a UnitName,
    m: Model,
    diags: Vec<Diagnostic>,
    refused: Option<String>,
    exec_start: usize,
    exec_stop: usize,
    success_action: bool,
    service_type: Option<String>,
    restart: Option<String>,
    bus_name: bool,
    /// Whether RestrictAddressFamilies= / SystemCallFilter= have a list since the last reset.
    af_started: bool,
    sf_started: bool,
    /// Last line that assigned each single-valued setting, to tell when a line is overridden.
    last_line: std::collections::HashMap<&'static str, (Option<String>, Span)>,
}

/// Which exec-context directive a key is, as a static name for provenance.
fn setting_name(key: &str) -> Option<&'static str> {
    const NAMES: &[&str] = &[
        "User",
        "DynamicUser",
        "SupplementaryGroups",
        "PrivateDevices",
        "PrivateMounts",
        "PrivateNetwork",
        "PrivateTmp",
        "PrivateUsers",
        "ProtectControlGroups",
        "ProtectKernelModules",
        "ProtectKernelTunables",
        "ProtectKernelLogs",
        "ProtectClock",
        "ProtectHostname",
        "LockPersonality",
        "MemoryDenyWriteExecute",
        "NoNewPrivileges",
        "RemoveIPC",
        "RestrictRealtime",
        "RestrictSUIDSGID",
        "Delegate",
        "ProtectHome",
        "ProtectSystem",
        "ProtectProc",
        "ProcSubset",
        "KeyringMode",
        "NotifyAccess",
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
        "DevicePolicy",
        "DeviceAllow",
        "DefaultDependencies",
        "MountImages",
        "LoadCredentialEncrypted",
        "SetCredentialEncrypted",
    ];
    NAMES.iter().find(|n| **n == key).copied()
}

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
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut in_word = false;
    let mut quote: Option<char> = None;
    let mut chars = v.chars();
    while let Some(c) = chars.next() {
        match quote {
            Some(q) => {
                if c == q {
                    quote = None;
                } else if c == '\\' {
                    cur.push(chars.next()?);
                } else {
                    cur.push(c);
                }
            }
            None => {
                if matches!(c, ' ' | '\t' | '\n' | '\r') {
                    if in_word {
                        out.push(std::mem::take(&mut cur));
                        in_word = false;
                    }
                } else if c == '\'' || c == '"' {
                    quote = Some(c);
                    in_word = true;
                } else if c == '\\' {
                    cur.push(chars.next()?);
                    in_word = true;
                } else {
                    cur.push(c);
                    in_word = true;
                }
            }
        }
    }
    if quote.is_some() {
        return None;
    }
    if in_word {
        out.push(cur);
    }
    Some(out)
}

/// systemd's relaxed user/group name rule (`VALID_USER_RELAX | VALID_USER_ALLOW_NUMERIC`).
fn valid_user_relaxed(u: &str) -> bool {
    if u.is_empty() {
        return false;
    }
    if let Ok(n) = u.parse::<u64>() {
        // parse_uid(): 0..=4294967294, minus the 16-bit "nobody" overflow value 65535.
        return u.bytes().all(|b| b.is_ascii_digit()) && n < 4_294_967_295 && n != 65_535;
    }
    !(u.starts_with(' ')
        || u.ends_with(' ')
        || u.chars().any(|c| c.is_control())
        || u.contains([':', '/'])
        || u.bytes().all(|b| b.is_ascii_digit())
        || (u.starts_with('-') && u[1..].bytes().all(|b| b.is_ascii_digit()))
        || u == "."
        || u == "..")
}

/// systemd's strict user name rule, used for the name DynamicUser= derives from the unit.
fn valid_user_strict(u: &str) -> bool {
    let mut c = u.chars();
    match c.next() {
        Some(f) if f.is_ascii_alphabetic() || f == '_' => {}
        _ => return false,
    }
    u.len() <= 31 && c.all(|ch| ch.is_ascii_alphanumeric() || ch == '_' || ch == '-')
}

const ARCHITECTURES: &[&str] = &[
    "native",
    "x86",
    "x86-64",
    "x32",
    "arm",
    "arm64",
    "loongarch64",
    "mips",
    "mips64",
    "mips64-n32",
    "mips-le",
    "mips64-le",
    "mips64-le-n32",
    "parisc",
    "parisc64",
    "ppc",
    "ppc64",
    "ppc64-le",
    "riscv64",
    "s390",
    "s390x",
];

const ERRNO_NAMES: &str = "EPERM ENOENT ESRCH EINTR EIO ENXIO E2BIG ENOEXEC EBADF ECHILD EAGAIN ENOMEM EACCES EFAULT ENOTBLK EBUSY EEXIST EXDEV ENODEV ENOTDIR EISDIR EINVAL ENFILE EMFILE ENOTTY ETXTBSY EFBIG ENOSPC ESPIPE EROFS EMLINK EPIPE EDOM ERANGE EDEADLK EDEADLOCK ENAMETOOLONG ENOLCK ENOSYS ENOTEMPTY ELOOP EWOULDBLOCK ENOMSG EIDRM ECHRNG EL2NSYNC EL3HLT EL3RST ELNRNG EUNATCH ENOCSI EL2HLT EBADE EBADR EXFULL ENOANO EBADRQC EBADSLT EBFONT ENOSTR ENODATA ETIME ENOSR ENONET ENOPKG EREMOTE ENOLINK EADV ESRMNT ECOMM EPROTO EMULTIHOP EDOTDOT EBADMSG EOVERFLOW ENOTUNIQ EBADFD EREMCHG ELIBACC ELIBBAD ELIBSCN ELIBMAX ELIBEXEC EILSEQ ERESTART ESTRPIPE EUSERS ENOTSOCK EDESTADDRREQ EMSGSIZE EPROTOTYPE ENOPROTOOPT EPROTONOSUPPORT ESOCKTNOSUPPORT EOPNOTSUPP ENOTSUP EPFNOSUPPORT EAFNOSUPPORT EADDRINUSE EADDRNOTAVAIL ENETDOWN ENETUNREACH ENETRESET ECONNABORTED ECONNRESET ENOBUFS EISCONN ENOTCONN ESHUTDOWN ETOOMANYREFS ETIMEDOUT ECONNREFUSED EHOSTDOWN EHOSTUNREACH EALREADY EINPROGRESS ESTALE EUCLEAN ENOTNAM ENAVAIL EISNAM EREMOTEIO EDQUOT ENOMEDIUM EMEDIUMTYPE ECANCELED ENOKEY EKEYEXPIRED EKEYREVOKED EKEYREJECTED EOWNERDEAD ENOTRECOVERABLE ERFKILL EHWPOISON";

/// `name[:errno]` → (name, has errno). `Err` when the errno part is not valid.
fn syscall_and_errno(word: &str) -> Result<(&str, bool), ()> {
    match word.split_once(':') {
        None => Ok((word, false)),
        Some((n, e)) => {
            let ok = e == "kill"
                || ERRNO_NAMES.split(' ').any(|x| x == e)
                || (e.parse::<u32>().is_ok_and(|v| v <= 4095) && !e.starts_with('+'));
            if !ok || n.is_empty() {
                Err(())
            } else {
                Ok((n, true))
            }
        }
    }
}

/// Parses an IP prefix the way `in_addr_prefix_from_string_auto()` does (a missing prefix
/// length means a full-length prefix).
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
            if l.is_empty() || !l.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            let n: u32 = l.parse().ok()?;
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

fn ip_prefix(v6: bool, addr: &[u8], prefix_len: u8) -> IpPrefix {
    let mut a = [0u8; 16];
    a[..addr.len()].copy_from_slice(addr);
    IpPrefix {
        v6,
        addr: a,
        prefix_len,
    }
}

fn is_localhost_name(w: &str) -> bool {
    let w = w.to_ascii_lowercase();
    let w = w.strip_suffix('.').unwrap_or(&w);
    w == "localhost" || w == "localhost.localdomain" || w.ends_with(".localhost") || w.ends_with(".localhost.localdomain")
}

/// Masks the host bits of a prefix.
fn mask(p: &mut IpPrefix) {
    let bits = if p.v6 { 128 } else { 32 };
    for i in 0..bits {
        if i >= usize::from(p.prefix_len) {
            p.addr[i / 8] &= !(0x80 >> (i % 8));
        }
    }
}

fn covers(b: &IpPrefix, a: &IpPrefix) -> bool {
    if a.v6 != b.v6 || b.prefix_len > a.prefix_len {
        return false;
    }
    (0..usize::from(b.prefix_len)).all(|i| {
        let m = 0x80 >> (i % 8);
        a.addr[i / 8] & m == b.addr[i / 8] & m
    })
}

/// `ip_address_access_reduce()`: masks every entry and drops the ones another entry covers.
fn reduce(list: &mut Vec<IpPrefix>) {
    let mut i = 0;
    while i < list.len() {
        mask(&mut list[i]);
        let a = list[i];
        let covered = list
            .iter()
            .enumerate()
            .any(|(j, b)| j != i && covers(b, &a));
        if covered {
            list.remove(i);
        } else {
            i += 1;
        }
    }
}

/// Whether a string is a valid device node path for `DeviceAllow=`.
fn valid_device_path(p: &str) -> bool {
    (p.starts_with("/dev/") || p.starts_with("/run/systemd/inaccessible/"))
        && !p.ends_with('/')
        && !p.split('/').any(|c| c == "." || c == "..")
}

/// `path_simplify()`: drops duplicate slashes and `.` components.
fn simplify_path(p: &str) -> String {
    let mut out = String::new();
    if p.starts_with('/') {
        out.push('/');
    }
    let parts: Vec<&str> = p.split('/').filter(|c| !c.is_empty() && *c != ".").collect();
    out.push_str(&parts.join("/"));
    if out.is_empty() {
        out.push('.');
    }
    out
}

impl Loader<'_> {
    fn refuse(&mut self, why: &str) {
        if self.refused.is_none() {
            self.refused = Some(why.to_owned());
        }
    }

    fn warn(&mut self, file: Option<&str>, e: &Entry, code: &'static str, msg: String) -> Diagnostic {
        let d = Diagnostic::new(Severity::Warning, code, msg).at(file, e.span);
        self.diags.push(d.clone());
        d
    }

    /// A value systemd ignores: the setting keeps its previous value.
    fn ignored(&mut self, file: Option<&str>, e: &Entry, why: &str) {
        let msg = format!(
            "{}={} is ignored by systemd ({why}); the setting keeps its previous value",
            e.key, e.value
        );
        self.warn(file, e, "invalid-value", msg);
    }

    fn origin(file: Option<&str>, e: &Entry) -> Origin {
        Origin {
            file: file.map(str::to_owned),
            line: e.span.line,
            directive: format!("{}={}", e.key, e.value),
            implied: false,
        }
    }

    /// Records that `setting` now has a value set by `e` alone (replacing earlier lines).
    fn set_single(&mut self, setting: &'static str, file: Option<&str>, e: &Entry) {
        if let Some((pf, ps)) = self.last_line.insert(setting, (file.map(str::to_owned), e.span)) {
            let d = Diagnostic::new(
                Severity::Info,
                "overridden",
                format!(
                    "{setting}= is set again on line {}; this earlier value has no effect",
                    e.span.line
                ),
            )
            .at(pf.as_deref(), ps);
            self.diags.push(d);
        }
        self.m.reset_note(setting, Some(Self::origin(file, e)));
    }

    /// Records that `e` added to a list setting (or reset it when the value is empty).
    fn set_list(&mut self, setting: &'static str, file: Option<&str>, e: &Entry) {
        if e.value.is_empty() {
            self.m.reset_note(setting, Some(Self::origin(file, e)));
        } else {
            self.m.note(setting, Self::origin(file, e));
        }
    }

    fn entry(&mut self, file: Option<&str>, e: &Entry) {
        let section = e.section.as_str();
        let known = tables::directives(section)
            .iter()
            .any(|(k, _)| *k == e.key);
        if !known {
            if e.key.starts_with("X-") {
                return;
            }
            self.unknown_key(file, e);
            return;
        }
        if section == "Install" {
            return;
        }
        if section == "Unit" {
            match e.key.as_str() {
                "DefaultDependencies" => match parse_boolean(&e.value) {
                    Some(b) => {
                        self.m.default_dependencies = b;
                        self.set_single("DefaultDependencies", file, e);
                    }
                    None => self.ignored(file, e, "not a boolean"),
                },
                "SuccessAction" => {
                    self.success_action = !e.value.is_empty() && e.value != "none";
                }
                _ => {}
            }
            return;
        }
        // The type's own section.
        let v = e.value.as_str();
        match e.key.as_str() {
            "Type" if self.name.kind == UnitType::Service => {
                self.service_type = (!v.is_empty()).then(|| v.to_owned());
            }
            "Restart" if self.name.kind == UnitType::Service => {
                self.restart = (!v.is_empty()).then(|| v.to_owned());
            }
            "BusName" => self.bus_name = !v.is_empty(),
            "ExecStart" => {
                if v.is_empty() {
                    self.exec_start = 0;
                } else {
                    self.exec_start += 1;
                }
            }
            "ExecStop" => {
                if v.is_empty() {
                    self.exec_stop = 0;
                } else {
                    self.exec_stop += 1;
                }
            }
            _ => {}
        }
        let Some(setting) = setting_name(&e.key) else {
            return;
        };
        self.setting(setting, file, e);
    }

    fn unknown_key(&mut self, file: Option<&str>, e: &Entry) {
        let section = e.section.as_str();
        // Is it a real directive of another section?
        let elsewhere = tables::DIRECTIVES_252
            .iter()
            .find(|(s, d)| *s != section && d.iter().any(|(k, _)| *k == e.key))
            .map(|(s, _)| *s);
        let hardening = setting_name(&e.key).is_some();
        let mut msg = format!("Unknown key {}= in section [{section}]; systemd ignores this line", e.key);
        let help = if let Some(s) = elsewhere {
            if hardening {
                msg = format!(
                    "{}= has no effect in [{section}]: systemd ignores it there, so this hardening setting does nothing",
                    e.key
                );
            }
            Some(format!("{}= belongs in the [{}] section", e.key, self.name.kind.section().filter(|_| s != "Unit" && s != "Install").unwrap_or(s)))
        } else {
            did_you_mean(&e.key, section).map(|k| format!("did you mean {k}=?"))
        };
        let code = if elsewhere.is_some() { "wrong-section" } else { "unknown-key" };
        let mut d = Diagnostic::new(Severity::Warning, code, msg).at(file, e.span);
        d.help = help;
        self.diags.push(d);
    }

    fn bool_setting(&mut self, setting: &'static str, file: Option<&str>, e: &Entry) -> Option<bool> {
        match parse_boolean(&e.value) {
            Some(b) => {
                self.set_single(setting, file, e);
                Some(b)
            }
            None => {
                let why = if e.value.is_empty() { "an empty value is not a boolean" } else { "not a boolean" };
                self.ignored(file, e, why);
                None
            }
        }
    }

    fn setting(&mut self, setting: &'static str, file: Option<&str>, e: &Entry) {
        let v = e.value.as_str();
        macro_rules! boolean {
            ($field:ident) => {{
                if let Some(b) = self.bool_setting(setting, file, e) {
                    self.m.$field = b;
                }
            }};
        }
        match setting {
            "User" => {
                if v.is_empty() {
                    self.m.user = None;
                    self.set_single(setting, file, e);
                    return;
                }
                let Ok(u) = self.name.expand_specifiers(v) else {
                    self.ignored(file, e, "it uses an unknown specifier");
                    return;
                };
                if !valid_user_relaxed(&u) {
                    let d = Diagnostic::new(
                        Severity::Error,
                        "invalid-user",
                        format!("User={v} is not a valid user name or UID: systemd refuses to load the unit"),
                    )
                    .at(file, e.span);
                    self.diags.push(d);
                    self.refuse("User= is not a valid user name or numeric ID");
                    return;
                }
                self.m.user = Some(u);
                self.set_single(setting, file, e);
            }
            "DynamicUser" => match parse_boolean(v) {
                Some(b) => {
                    self.m.dynamic_user = b;
                    self.set_single(setting, file, e);
                }
                None => {
                    let d = Diagnostic::new(
                        Severity::Error,
                        "invalid-value",
                        format!("DynamicUser={v} is not a boolean: systemd refuses to load the unit"),
                    )
                    .at(file, e.span);
                    self.diags.push(d);
                    self.refuse("DynamicUser= has an invalid value");
                }
            },
            "SupplementaryGroups" => {
                if v.is_empty() {
                    self.m.supplementary_groups.clear();
                } else {
                    let Some(ws) = words(v) else {
                        self.ignored(file, e, "bad quoting");
                        return;
                    };
                    for w in ws {
                        match self.name.expand_specifiers(&w) {
                            Ok(g) if valid_user_relaxed(&g) => self.m.supplementary_groups.push(g),
                            _ => {
                                self.warn(
                                    file,
                                    e,
                                    "invalid-value",
                                    format!("Group name {w} is not valid; systemd skips it"),
                                );
                            }
                        }
                    }
                }
                self.set_list(setting, file, e);
            }
            "PrivateDevices" => boolean!(private_devices),
            "PrivateMounts" => boolean!(private_mounts),
            "PrivateNetwork" => boolean!(private_network),
            "PrivateTmp" => boolean!(private_tmp),
            "PrivateUsers" => boolean!(private_users),
            "ProtectControlGroups" => boolean!(protect_control_groups),
            "ProtectKernelModules" => boolean!(protect_kernel_modules),
            "ProtectKernelTunables" => boolean!(protect_kernel_tunables),
            "ProtectKernelLogs" => boolean!(protect_kernel_logs),
            "ProtectClock" => boolean!(protect_clock),
            "ProtectHostname" => boolean!(protect_hostname),
            "LockPersonality" => boolean!(lock_personality),
            "MemoryDenyWriteExecute" => boolean!(memory_deny_write_execute),
            "NoNewPrivileges" => boolean!(no_new_privileges),
            "RemoveIPC" => boolean!(remove_ipc),
            "RestrictRealtime" => boolean!(restrict_realtime),
            "RestrictSUIDSGID" => boolean!(restrict_suid_sgid),
            "Delegate" => {
                // An empty value turns delegation on, as does a list of controllers.
                self.m.delegate = parse_boolean(v).unwrap_or(true);
                self.set_single(setting, file, e);
            }
            "ProtectHome" => {
                let p = match parse_boolean(v) {
                    Some(true) => Some(ProtectHome::Yes),
                    Some(false) => Some(ProtectHome::No),
                    None => match v {
                        "read-only" => Some(ProtectHome::ReadOnly),
                        "tmpfs" => Some(ProtectHome::Tmpfs),
                        _ => None,
                    },
                };
                match p {
                    Some(p) => {
                        self.m.protect_home = Some(p);
                        self.set_single(setting, file, e);
                    }
                    None => self.ignored(file, e, "expected yes, no, read-only or tmpfs"),
                }
            }
            "ProtectSystem" => {
                let p = match parse_boolean(v) {
                    Some(true) => Some(ProtectSystem::Yes),
                    Some(false) => Some(ProtectSystem::No),
                    None => match v {
                        "full" => Some(ProtectSystem::Full),
                        "strict" => Some(ProtectSystem::Strict),
                        _ => None,
                    },
                };
                match p {
                    Some(p) => {
                        self.m.protect_system = Some(p);
                        self.set_single(setting, file, e);
                    }
                    None => self.ignored(file, e, "expected yes, no, full or strict"),
                }
            }
            "ProtectProc" => {
                let p = match v {
                    "default" => Some(ProtectProc::Default),
                    "noaccess" => Some(ProtectProc::NoAccess),
                    "invisible" => Some(ProtectProc::Invisible),
                    "ptraceable" => Some(ProtectProc::Ptraceable),
                    _ => None,
                };
                match p {
                    Some(p) => {
                        self.m.protect_proc = Some(p);
                        self.set_single(setting, file, e);
                    }
                    None => self.ignored(file, e, "expected default, noaccess, invisible or ptraceable"),
                }
            }
            "ProcSubset" => match v {
                "all" | "pid" => {
                    self.m.proc_subset = Some(if v == "pid" { ProcSubset::Pid } else { ProcSubset::All });
                    self.set_single(setting, file, e);
                }
                _ => self.ignored(file, e, "expected all or pid"),
            },
            "KeyringMode" => {
                let k = match v {
                    "inherit" => Some(KeyringMode::Inherit),
                    "private" => Some(KeyringMode::Private),
                    "shared" => Some(KeyringMode::Shared),
                    _ => None,
                };
                match k {
                    Some(k) => {
                        self.m.keyring_mode = Some(k);
                        self.set_single(setting, file, e);
                    }
                    None => self.ignored(file, e, "expected inherit, private or shared"),
                }
            }
            "NotifyAccess" => {
                let n = match v {
                    "none" => Some(NotifyAccess::None),
                    "main" => Some(NotifyAccess::Main),
                    "exec" => Some(NotifyAccess::Exec),
                    "all" => Some(NotifyAccess::All),
                    _ => None,
                };
                match n {
                    Some(n) => {
                        self.m.notify_access = Some(n);
                        self.set_single(setting, file, e);
                    }
                    None => self.ignored(file, e, "expected none, main, exec or all"),
                }
            }
            "DevicePolicy" => {
                let p = match v {
                    "auto" => Some(DevicePolicy::Auto),
                    "closed" => Some(DevicePolicy::Closed),
                    "strict" => Some(DevicePolicy::Strict),
                    _ => None,
                };
                match p {
                    Some(p) => {
                        self.m.device_policy = p;
                        self.set_single(setting, file, e);
                    }
                    None => self.ignored(file, e, "expected auto, closed or strict"),
                }
            }
            "UMask" => {
                let ok = !v.is_empty() && v.len() <= 12 && v.bytes().all(|b| (b'0'..=b'7').contains(&b));
                match ok.then(|| u32::from_str_radix(v, 8).ok()).flatten().filter(|m| *m <= 0o7777) {
                    Some(mask) => {
                        self.m.umask = mask;
                        self.set_single(setting, file, e);
                    }
                    None => self.ignored(file, e, "not an octal mode"),
                }
            }
            "RootDirectory" | "RootImage" => {
                let slot = if setting == "RootDirectory" {
                    &mut self.m.root_directory
                } else {
                    &mut self.m.root_image
                };
                if v.is_empty() {
                    *slot = None;
                    self.set_single(setting, file, e);
                    return;
                }
                match self.name.expand_specifiers(v) {
                    Ok(p) if p.starts_with('/') && !p.split('/').any(|c| c == "..") => {
                        let p = simplify_path(&p);
                        if setting == "RootDirectory" {
                            self.m.root_directory = Some(p);
                        } else {
                            self.m.root_image = Some(p);
                        }
                        self.set_single(setting, file, e);
                    }
                    _ => self.ignored(file, e, "not an absolute, normalized path"),
                }
            }
            "MountImages" | "LoadCredentialEncrypted" | "SetCredentialEncrypted" => {
                self.set_list(setting, file, e);
            }
            "CapabilityBoundingSet" | "AmbientCapabilities" => {
                let (invert, rest) = match v.strip_prefix('~') {
                    Some(r) => (true, r),
                    None => (false, v),
                };
                let Some(ws) = words(rest) else {
                    self.ignored(file, e, "bad quoting");
                    return;
                };
                let mut sum = 0u64;
                for w in &ws {
                    match tables::capability_from_name(w) {
                        Some(b) => sum |= 1 << b,
                        None => {
                            self.warn(
                                file,
                                e,
                                "unknown-capability",
                                format!("{w} is not a capability systemd knows; it is skipped"),
                            );
                        }
                    }
                }
                let (slot, initial) = if setting == "CapabilityBoundingSet" {
                    (&mut self.m.capability_bounding_set, u64::MAX)
                } else {
                    (&mut self.m.ambient_capabilities, 0)
                };
                if sum == 0 || *slot == initial {
                    *slot = if invert { !sum } else { sum };
                    self.m.reset_note(setting, Some(Self::origin(file, e)));
                } else {
                    if invert {
                        *slot &= !sum;
                    } else {
                        *slot |= sum;
                    }
                    self.m.note(setting, Self::origin(file, e));
                }
            }
            "RestrictNamespaces" => {
                const INITIAL: u64 = u64::MAX;
                if v.is_empty() {
                    self.m.restrict_namespaces = INITIAL;
                    self.m.reset_note(setting, Some(Self::origin(file, e)));
                    return;
                }
                match parse_boolean(v) {
                    Some(true) => {
                        self.m.restrict_namespaces = 0;
                        self.m.reset_note(setting, Some(Self::origin(file, e)));
                        return;
                    }
                    Some(false) => {
                        self.m.restrict_namespaces = tables::NAMESPACES_ALL7;
                        self.m.reset_note(setting, Some(Self::origin(file, e)));
                        return;
                    }
                    None => {}
                }
                let (invert, rest) = match v.strip_prefix('~') {
                    Some(r) => (true, r),
                    None => (false, v),
                };
                let mut flags = 0u64;
                for w in words(rest).unwrap_or_else(|| vec!["\"".into()]) {
                    match tables::namespace_flag(&w) {
                        Some(f) => flags |= f,
                        None => {
                            self.ignored(file, e, &format!("{w} is not a namespace type"));
                            return;
                        }
                    }
                }
                if self.m.restrict_namespaces == INITIAL {
                    self.m.restrict_namespaces = if invert {
                        !flags & tables::NAMESPACES_ALL7
                    } else {
                        flags
                    };
                    self.m.reset_note(setting, Some(Self::origin(file, e)));
                } else {
                    if invert {
                        self.m.restrict_namespaces &= !flags;
                    } else {
                        self.m.restrict_namespaces |= flags;
                    }
                    self.m.note(setting, Self::origin(file, e));
                }
            }
            "RestrictAddressFamilies" => {
                let af = &mut self.m.restrict_address_families;
                if v.is_empty() {
                    af.families.clear();
                    af.allow_list = false;
                    self.af_started = false;
                    self.m.reset_note(setting, Some(Self::origin(file, e)));
                    return;
                }
                if v == "none" {
                    af.families.clear();
                    af.allow_list = true;
                    self.af_started = false;
                    self.m.reset_note(setting, Some(Self::origin(file, e)));
                    return;
                }
                let (invert, rest) = match v.strip_prefix('~') {
                    Some(r) => (true, r),
                    None => (false, v),
                };
                if !self.af_started {
                    self.af_started = true;
                    af.families.clear();
                    af.allow_list = !invert;
                }
                let allow = self.m.restrict_address_families.allow_list;
                for w in words(rest).unwrap_or_default() {
                    match tables::address_family(&w).filter(|&n| n != 0) {
                        Some(n) => {
                            let fams = &mut self.m.restrict_address_families.families;
                            if invert != allow {
                                if !fams.contains(&n) {
                                    fams.push(n);
                                }
                            } else {
                                fams.retain(|&x| x != n);
                            }
                        }
                        None => {
                            self.warn(
                                file,
                                e,
                                "invalid-value",
                                format!("{w} is not an address family systemd knows; it is skipped"),
                            );
                        }
                    }
                }
                self.m.note(setting, Self::origin(file, e));
            }
            "SystemCallArchitectures" => {
                if v.is_empty() {
                    self.m.syscall_architectures.clear();
                    self.m.reset_note(setting, Some(Self::origin(file, e)));
                    return;
                }
                for w in words(v).unwrap_or_default() {
                    if ARCHITECTURES.contains(&w.as_str()) {
                        if !self.m.syscall_architectures.contains(&w) {
                            self.m.syscall_architectures.push(w);
                        }
                    } else {
                        self.warn(
                            file,
                            e,
                            "invalid-value",
                            format!("{w} is not an architecture systemd knows; it is skipped"),
                        );
                    }
                }
                self.m.note(setting, Self::origin(file, e));
            }
            "SystemCallFilter" => self.syscall_filter(file, e),
            "IPAddressAllow" | "IPAddressDeny" => self.ip_access(setting, file, e),
            "IPIngressFilterPath" | "IPEgressFilterPath" => {
                let list = if setting == "IPIngressFilterPath" {
                    &mut self.m.ip_ingress_filter_path
                } else {
                    &mut self.m.ip_egress_filter_path
                };
                if v.is_empty() {
                    list.clear();
                } else if v.starts_with('/') {
                    list.push(v.to_owned());
                } else {
                    self.ignored(file, e, "not an absolute path");
                    return;
                }
                self.set_list(setting, file, e);
            }
            "DeviceAllow" => self.device_allow(file, e),
            _ => {}
        }
    }

    fn syscall_filter(&mut self, file: Option<&str>, e: &Entry) {
        let v = e.value.as_str();
        let f = &mut self.m.syscall_filter;
        if v.is_empty() {
            f.set.clear();
            f.allow_list = false;
            self.sf_started = false;
            self.m.reset_note("SystemCallFilter", Some(Self::origin(file, e)));
            return;
        }
        let (invert, rest) = match v.strip_prefix('~') {
            Some(r) => (true, r),
            None => (false, v),
        };
        if !self.sf_started {
            self.sf_started = true;
            f.set.clear();
            f.allow_list = !invert;
            if f.allow_list {
                let set = &mut f.set;
                syscalls::expand("@default", &mut |i| set.insert(i));
            }
        }
        let allow = self.m.syscall_filter.allow_list;
        let Some(ws) = words(rest) else {
            self.ignored(file, e, "bad quoting");
            return;
        };
        for w in ws {
            let Ok((name, errno)) = syscall_and_errno(&w) else {
                self.warn(file, e, "invalid-value", format!("{w}: invalid error number; systemd skips it"));
                continue;
            };
            if !invert && errno {
                self.warn(
                    file,
                    e,
                    "invalid-value",
                    format!("{w}: allowed system calls cannot take an error number; systemd skips it"),
                );
                continue;
            }
            let add = invert != allow;
            let set = &mut self.m.syscall_filter.set;
            let known = syscalls::expand(name, &mut |i| {
                if add {
                    set.insert(i)
                } else {
                    set.remove(i)
                }
            });
            if !known {
                let what = if name.starts_with('@') { "system call group" } else { "system call" };
                self.warn(
                    file,
                    e,
                    "invalid-value",
                    format!("{name} is not a {what} systemd 252 knows; it is skipped"),
                );
            }
        }
        self.m.note("SystemCallFilter", Self::origin(file, e));
    }

    fn ip_access(&mut self, setting: &'static str, file: Option<&str>, e: &Entry) {
        let v = e.value.as_str();
        let list = if setting == "IPAddressAllow" {
            &mut self.m.ip_address_allow
        } else {
            &mut self.m.ip_address_deny
        };
        if v.is_empty() {
            list.clear();
            self.m.reset_note(setting, Some(Self::origin(file, e)));
            return;
        }
        let mut bad = None;
        for w in words(v).unwrap_or_default() {
            match w.as_str() {
                "any" => {
                    list.push(ip_prefix(false, &[0; 4], 0));
                    list.push(ip_prefix(true, &[0; 16], 0));
                }
                "link-local" => {
                    list.push(ip_prefix(false, &[169, 254, 0, 0], 16));
                    list.push(ip_prefix(true, &[0xfe, 0x80], 64));
                }
                "multicast" => {
                    list.push(ip_prefix(false, &[224, 0, 0, 0], 4));
                    list.push(ip_prefix(true, &[0xff], 8));
                }
                w if is_localhost_name(w) => {
                    list.push(ip_prefix(false, &[127, 0, 0, 0], 8));
                    let mut one = [0u8; 16];
                    one[15] = 1;
                    list.push(ip_prefix(true, &one, 128));
                }
                w => match parse_ip_prefix(w) {
                    Some(p) => list.push(p),
                    None => {
                        // systemd drops the rest of the line at the first bad prefix.
                        bad = Some(w.to_owned());
                        break;
                    }
                },
            }
        }
        if let Some(w) = bad {
            self.warn(
                file,
                e,
                "invalid-value",
                format!("{w} is not an IP address prefix; systemd ignores it and the rest of this line"),
            );
        } else {
            reduce(list);
        }
        self.m.note(setting, Self::origin(file, e));
    }

    fn device_allow(&mut self, file: Option<&str>, e: &Entry) {
        let v = e.value.as_str();
        if v.is_empty() {
            self.m.device_allow.clear();
            self.m.reset_note("DeviceAllow", Some(Self::origin(file, e)));
            return;
        }
        let (path, rest) = match first_word(v) {
            Some(x) => x,
            None => {
                self.ignored(file, e, "bad quoting");
                return;
            }
        };
        let Ok(path) = self.name.expand_specifiers(&path) else {
            self.ignored(file, e, "it uses an unknown specifier");
            return;
        };
        let path = if path.starts_with("block-") || path.starts_with("char-") {
            path
        } else {
            let p = simplify_path(&path);
            if !valid_device_path(&p) {
                self.ignored(file, e, "not a /dev/ node, char-* or block-* name");
                return;
            }
            p
        };
        if !rest.is_empty() && !rest.chars().all(|c| "rwm".contains(c)) {
            self.ignored(file, e, "access must be made of r, w and m");
            return;
        }
        let perms = perms_of(&rest);
        self.m.device_allow.insert(0, (path, perms));
        self.m.note("DeviceAllow", Self::origin(file, e));
    }

    /// Applies what systemd implies at load time (`unit_patch_contexts()`) and checks what
    /// makes it refuse a service.
    fn finish(&mut self) {
        let implied = |m: &Model, by: &str| -> Option<Origin> {
            m.origins.get(by).and_then(|v| v.last()).map(|o| Origin {
                implied: true,
                ..o.clone()
            })
        };
        if self.name.kind.has_exec_context() {
            let m = &mut self.m;
            if m.private_devices {
                m.capability_bounding_set &= !(cap_bit("cap_mknod") | cap_bit("cap_sys_rawio"));
                if let Some(o) = implied(m, "PrivateDevices") {
                    m.note("CapabilityBoundingSet", o);
                }
            }
            if m.protect_kernel_modules {
                m.capability_bounding_set &= !cap_bit("cap_sys_module");
                if let Some(o) = implied(m, "ProtectKernelModules") {
                    m.note("CapabilityBoundingSet", o);
                }
            }
            if m.protect_kernel_logs {
                m.capability_bounding_set &= !cap_bit("cap_syslog");
                if let Some(o) = implied(m, "ProtectKernelLogs") {
                    m.note("CapabilityBoundingSet", o);
                }
            }
            if m.protect_clock {
                m.capability_bounding_set &= !(cap_bit("cap_sys_time") | cap_bit("cap_wake_alarm"));
                if let Some(o) = implied(m, "ProtectClock") {
                    m.note("CapabilityBoundingSet", o);
                }
            }
            if m.dynamic_user {
                let by = implied(m, "DynamicUser");
                if m.user.is_none() {
                    let prefix = &self.name.prefix;
                    m.user = Some(if valid_user_strict(prefix) {
                        prefix.clone()
                    } else {
                        "_du-derived".into()
                    });
                }
                m.private_tmp = true;
                m.remove_ipc = true;
                m.protect_system = Some(ProtectSystem::Strict);
                if m.protect_home == Some(ProtectHome::No) {
                    m.protect_home = Some(ProtectHome::ReadOnly);
                    if let Some(o) = by.clone() {
                        m.reset_note("ProtectHome", Some(o));
                    }
                }
                m.no_new_privileges = true;
                m.restrict_suid_sgid = true;
                if let Some(o) = by {
                    for s in ["PrivateTmp", "RemoveIPC", "ProtectSystem", "NoNewPrivileges", "RestrictSUIDSGID"] {
                        m.reset_note(s, Some(o.clone()));
                    }
                }
            }
        }
        if self.name.kind.has_cgroup_context() && self.name.kind.has_exec_context() {
            let m = &mut self.m;
            if m.private_devices && m.device_policy == DevicePolicy::Auto {
                m.device_policy = DevicePolicy::Closed;
                if let Some(o) = implied(m, "PrivateDevices") {
                    m.reset_note("DevicePolicy", Some(o));
                }
            }
            if m.device_policy != DevicePolicy::Auto || !m.device_allow.is_empty() {
                let images = m.root_image.is_some() || m.origins.get("MountImages").is_some_and(|v| !v.is_empty());
                if images {
                    for (p, a) in [
                        ("/dev/loop-control", "rw"),
                        ("/dev/mapper/control", "rw"),
                        ("block-loop", "rwm"),
                        ("block-blkext", "rwm"),
                        ("block-device-mapper", "rwm"),
                    ] {
                        m.device_allow.insert(0, (p.into(), a.into()));
                    }
                }
                if m.protect_clock {
                    m.device_allow.insert(0, ("char-rtc".into(), "r".into()));
                    if let Some(o) = implied(m, "ProtectClock") {
                        m.note("DeviceAllow", o);
                    }
                }
                let creds = ["LoadCredentialEncrypted", "SetCredentialEncrypted"]
                    .iter()
                    .any(|k| m.origins.get(*k).is_some_and(|v| v.iter().any(|o| !o.directive.ends_with('='))));
                if creds {
                    m.device_allow.insert(0, ("/dev/tpmrm0".into(), "rw".into()));
                }
            }
        }
        if self.name.kind == UnitType::Service {
            let ty = self.service_type.clone().unwrap_or_else(|| {
                if self.bus_name {
                    "dbus".into()
                } else if self.exec_start > 0 {
                    "simple".into()
                } else {
                    "oneshot".into()
                }
            });
            if self.exec_start == 0 && self.exec_stop == 0 && !self.success_action {
                self.refuse("the service has no ExecStart=, ExecStop= or SuccessAction=");
            } else if ty != "oneshot" && self.exec_start > 1 {
                self.refuse("the service has more than one ExecStart=, which only Type=oneshot allows");
            } else if ty == "oneshot" && matches!(self.restart.as_deref(), Some("always" | "on-success")) {
                self.refuse("Type=oneshot services cannot have Restart=always or Restart=on-success");
            } else if ty == "dbus" && !self.bus_name {
                self.refuse("Type=dbus services need BusName=");
            }
        }
        if let Some(why) = &self.refused {
            if !self.diags.iter().any(|d| d.severity == Severity::Error) {
                self.diags.push(Diagnostic::new(
                    Severity::Error,
                    "refused",
                    format!("systemd refuses to load this unit: {why}"),
                ));
            }
        }
    }
}

/// The first word and the rest after it (separators coalesced), as `extract_first_word()`.
fn first_word(v: &str) -> Option<(String, String)> {
    let v = v.trim_start_matches([' ', '\t']);
    let end = v.find([' ', '\t']).unwrap_or(v.len());
    let ws = words(&v[..end])?;
    let w = ws.into_iter().next().unwrap_or_default();
    Some((w, v[end..].trim_start_matches([' ', '\t']).to_owned()))
}

/// Device access as the analyzer prints it: the flags in r, w, m order.
fn perms_of(s: &str) -> String {
    let all = s.is_empty();
    let mut p = String::new();
    for c in ['r', 'w', 'm'] {
        if all || s.contains(c) {
            p.push(c);
        }
    }
    p
}

/// The closest known directive of a section, for a "did you mean" hint.
pub fn did_you_mean(key: &str, section: &str) -> Option<&'static str> {
    let lower = key.to_ascii_lowercase();
    let mut best: Option<(usize, &'static str)> = None;
    for (k, _) in tables::directives(section) {
        let d = if k.to_ascii_lowercase() == lower {
            0
        } else {
            levenshtein(&lower, &k.to_ascii_lowercase())
        };
        if best.is_none_or(|(bd, _)| d < bd) {
            best = Some((d, k));
        }
    }
    best.filter(|&(d, _)| d <= 2.max(key.len() / 5)).map(|(_, k)| k)
}

fn levenshtein(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for i in 1..=a.len() {
        cur[0] = i;
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            cur[j] = (prev[j] + 1).min(cur[j - 1] + 1).min(prev[j - 1] + cost);
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}
