//! The offline path: unit file + drop-ins → [`Model`], with the unit loader's semantics of
//! systemd 252 (value parsing, resets, merges, and the settings implied at load time).

use std::sync::Arc;

use crate::diag::{Diagnostic, Severity, Span};
use crate::model::{
    DevicePolicy, IpPrefix, KeyringMode, Model, NotifyAccess, Origin, ProcSubset, ProtectHome,
    ProtectProc, ProtectSystem,
};
use crate::syntax::{Entry, File};
use crate::tables::{self, DirectiveTable, KeyStatus, cap_bit};
use crate::unit::{UnitName, UnitType};
use crate::version::{CapInvert, Hostname, PrivateMounts, Profile, UnknownFamily, Version};

/// `PrivateUsers=managed` (where a version accepts it) refuses a unit that also sets one of
/// `User=`, `DynamicUser=`, `Group=` or `PAMName=`.
const MANAGED_USERS: (&str, &str) = ("PrivateUsers", "managed");

pub(crate) mod cparse;

use cparse::{DONT_COALESCE_SEPARATORS, RETAIN_ESCAPE, UNQUOTE, Word, extract_first_word};

/// The result of loading one unit offline.
#[derive(Debug, Clone)]
pub struct Loaded {
    pub model: Model,
    pub diagnostics: Vec<Diagnostic>,
    /// Why systemd would refuse to load the unit, if it would.
    pub refused: Option<String>,
}

/// A setting systemd treats as a fatal error: it stops reading the file there. In the unit
/// file that makes the unit fail to load; in a drop-in only the rest of that drop-in is lost.
struct Fatal(String);

/// Why systemd stops reading a file, for the code of the parser's diagnostic that says so.
fn fatal_reason(code: &str) -> Option<&'static str> {
    match code {
        "line-too-long" => Some("a line of 1 MiB or more"),
        "not-utf8" => Some("a line that is not UTF-8 clean"),
        "invalid-section-header" => Some("an invalid section header"),
        _ => None,
    }
}

/// Loads a unit from its files: `files[0]` is the unit file, the rest are drop-ins already in
/// the order systemd applies them. `name` is the name to assess (an instance for templates).
pub fn load(name: &UnitName, files: &[File], version: Version, user: bool) -> Loaded {
    Staged::read_in(name, files, version, user).finish()
}

/// A unit being loaded a file at a time: [`load`] is [`Staged::read`] (a [`Staged::new`],
/// then [`Staged::file`] for each file in order), then [`Staged::finish`]. The advisor loads a unit's own files once and
/// tries each drop-in on a copy of that state, without reading the unit again.
#[derive(Clone)]
pub(crate) struct Staged {
    l: Loader,
    /// Files read so far; the first is the unit file.
    files: usize,
    /// The unit file was refused, so systemd reads no drop-in.
    stopped: bool,
    /// The fatal line met in the file being read, if any: systemd stops reading it there.
    fatal: Option<(String, Option<Span>)>,
}

impl Staged {
    pub(crate) fn new(name: &UnitName, version: Version) -> Self {
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
        let l = Loader {
            name: name.clone(),
            profile: version.profile(),
            m: model,
            private_mounts: None,
            managed_users: false,
            root_mstack: false,
            group: false,
            pam_name: false,
            diags: Vec::new(),
            refused: None,
            exec_start: 0,
            exec_stop: 0,
            success_action: false,
            remain_after_exit: false,
            service_type: None,
            restart: None,
            bus_name: false,
            listens: 0,
            mount_what: false,
            mount_where: None,
            swap_what: None,
            automount_where: None,
            timer_values: 0,
            timer_on_change: false,
            path_specs: 0,
            af_started: false,
            sf_started: false,
            load_credentials: Vec::new(),
            set_credentials: Vec::new(),
            mount_images: 0,
            last_line: std::collections::HashMap::new(),
            did_you_mean: std::collections::HashMap::new(),
        };
        Staged {
            l,
            files: 0,
            stopped: false,
            fatal: None,
        }
    }

    /// The same unit as one of the per-user service manager (`--user`, K10): its execution
    /// defaults are the user manager's (`KeyringMode=inherit` for every unit type). Call it
    /// before the first file.
    pub(crate) fn in_user_manager(mut self) -> Self {
        if self.l.name.kind.has_exec_context() {
            self.l.m.keyring_mode = Some(KeyringMode::Inherit);
        }
        self.l.m.user_manager = true;
        self
    }

    /// A unit with `files` read, in order (the unit file first), not yet finished.
    pub(crate) fn read(name: &UnitName, files: &[File], version: Version) -> Self {
        Self::read_in(name, files, version, false)
    }

    /// [`Staged::read`] for the system manager or, with `user`, the per-user one.
    pub(crate) fn read_in(name: &UnitName, files: &[File], version: Version, user: bool) -> Self {
        let mut staged = Staged::new(name, version);
        if user {
            staged = staged.in_user_manager();
        }
        for f in files {
            staged.file(f);
        }
        staged
    }

    /// Reads the next file: the unit file first, then each drop-in.
    pub(crate) fn file(&mut self, f: &File) {
        self.begin_file(f);
        self.entries_from(f, 0, usize::MAX);
        self.end_file(f);
    }

    /// Starts reading the next file ([`Staged::file`] in parts: then [`Staged::entries`] until
    /// it returns `None`, then [`Staged::end_file`]).
    pub(crate) fn begin_file(&mut self, f: &File) {
        self.files += 1;
        self.fatal = None;
        if !self.stopped {
            self.l.diags.extend(f.diagnostics.iter().cloned());
        }
    }

    /// [`Staged::begin_file`] that takes the file's diagnostics rather than copying them (a
    /// file of a million bad lines has a million): the file keeps only those that
    /// [`Staged::end_file`] reads, the reasons of a fatal line.
    pub(crate) fn begin_file_taking(&mut self, f: &mut File) {
        self.files += 1;
        self.fatal = None;
        let all = std::mem::take(&mut f.diagnostics);
        f.diagnostics = all
            .iter()
            .filter(|d| fatal_reason(d.code).is_some())
            .cloned()
            .collect();
        if !self.stopped {
            self.l.diags.extend(all);
        }
    }

    /// Reads up to `count` more entries of the file begun, after the `done` first ones;
    /// returns how many entries are read in all, or `None` once there is nothing more to read
    /// (the end, or a fatal line).
    pub(crate) fn entries_from(&mut self, f: &File, done: usize, count: usize) -> Option<usize> {
        if self.stopped || self.fatal.is_some() {
            return None;
        }
        let upto = f.fatal_at.unwrap_or(f.entries.len()).min(f.entries.len());
        let end = done.saturating_add(count).min(upto);
        for e in f.entries.get(done..end).unwrap_or_default() {
            if let Err(Fatal(why)) = self.l.entry(f.path.as_deref(), e) {
                self.fatal = Some((why, Some(e.span)));
                return None;
            }
        }
        (end < upto).then_some(end)
    }

    /// Ends the file begun: what a fatal line in it means.
    pub(crate) fn end_file(&mut self, f: &File) {
        let first = self.files == 1;
        if self.stopped {
            return;
        }
        let l = &mut self.l;
        let mut fatal = self.fatal.take();
        if fatal.is_none() && (f.fatal || f.fatal_at.is_some()) {
            // The first fatal line's reason: systemd stopped there.
            let why = f
                .diagnostics
                .iter()
                .find_map(|d| fatal_reason(d.code))
                .unwrap_or("an invalid section header");
            fatal = Some((why.to_owned(), None));
        }
        let Some((why, span)) = fatal else {
            return;
        };
        let d = if first {
            // systemd does not load the unit at all.
            l.refuse(&why);
            Diagnostic::new(
                Severity::Error,
                "fatal-setting",
                format!("systemd refuses to load this unit: {why}"),
            )
        } else {
            Diagnostic::new(
                Severity::Warning,
                "dropin-aborted",
                format!(
                    "{why}: systemd stops reading this drop-in here, so the rest of it has no effect (the unit still loads)"
                ),
            )
        };
        match span {
            Some(span) => l.diags.push(d.at(f.path.as_deref(), span)),
            // A broken header in a drop-in: the parser already reported that line.
            None if !first => {}
            None => l.diags.push(d),
        }
        if first {
            self.stopped = true;
        }
    }

    /// Forgets the diagnostics so far and the "did you mean" answers: a copy made to score
    /// drop-ins needs only the model, so copies of it are cheaper. (The diagnostics decide
    /// nothing in the model: [`Staged::finish`] only adds one more when the unit is refused.)
    pub(crate) fn without_diagnostics(mut self) -> Self {
        self.l.diags = Vec::new();
        self.l.did_you_mean = std::collections::HashMap::new();
        self
    }

    /// Applies what loading implies once every file is read.
    pub(crate) fn finish(mut self) -> Loaded {
        self.l.finish();
        Loaded {
            model: self.l.m,
            diagnostics: self.l.diags,
            refused: self.l.refused,
        }
    }
}

#[derive(Clone)]
struct Loader {
    name: UnitName,
    /// The knobs of the version loading the unit.
    profile: &'static Profile,
    m: Model,
    /// `PrivateMounts=` as the last valid line left it (`None`: unset); [`Loader::finish`]
    /// turns it into the model's value as the profile says (K4).
    private_mounts: Option<bool>,
    /// Whether the last valid `PrivateUsers=` is `managed`, and whether `Group=` and
    /// `PAMName=` are set (for [`MANAGED_USERS`]).
    managed_users: bool,
    /// Whether `RootMStack=` is set (where the profile knows it).
    root_mstack: bool,
    group: bool,
    pam_name: bool,
    diags: Vec<Diagnostic>,
    refused: Option<String>,
    exec_start: usize,
    exec_stop: usize,
    success_action: bool,
    remain_after_exit: bool,
    service_type: Option<&'static str>,
    restart: Option<&'static str>,
    bus_name: bool,
    /// Sockets: how many Listen*= entries there are.
    listens: usize,
    /// Mounts: whether What= is set, and Where= as given.
    mount_what: bool,
    mount_where: Option<String>,
    /// Swaps: What=; automounts: Where= (both default to the path the unit name encodes).
    swap_what: Option<String>,
    automount_where: Option<String>,
    /// Timers: how many OnCalendar=/On*Sec= values, and whether OnClockChange=/OnTimezoneChange=.
    timer_values: usize,
    timer_on_change: bool,
    /// Path units: how many Path*=/DirectoryNotEmpty= entries.
    path_specs: usize,
    /// Whether RestrictAddressFamilies= / SystemCallFilter= have a list since the last reset.
    af_started: bool,
    sf_started: bool,
    /// Credential lines as (id, encrypted) (`LoadCredential*=`, `SetCredential*=`); the last
    /// line of an id wins.
    load_credentials: Vec<(String, bool)>,
    set_credentials: Vec<(String, bool)>,
    /// Number of valid `MountImages=` entries.
    mount_images: usize,
    /// Last line that assigned each single-valued setting, to tell when a line is overridden.
    last_line: std::collections::HashMap<&'static str, (Option<String>, Span)>,
    /// "Did you mean" answers by (section, unknown key): a key repeated on thousands of lines
    /// is compared with the section's directives once.
    did_you_mean: std::collections::HashMap<(String, String), Option<&'static str>>,
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
        "LoadCredential",
        "LoadCredentialEncrypted",
        "SetCredential",
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
    let (ws, bad) = cparse::words(v, UNQUOTE);
    (!bad).then_some(ws)
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

/// Architectures `seccomp_arch_from_string()` knows in systemd 252 built against libseccomp
/// 2.5 (no loongarch64; names are case-sensitive).
const ARCHITECTURES: &[&str] = &[
    "native",
    "x86",
    "x86-64",
    "x32",
    "arm",
    "arm64",
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

/// `parse_errno()`, or `kill`: an errno name (any case) or a number 0..=4095.
fn valid_errno_or_action(e: &str) -> bool {
    e == "kill"
        || ERRNO_NAMES.split(' ').any(|x| x.eq_ignore_ascii_case(e))
        || cparse::safe_atoi(e).is_some_and(|v| (0..4096).contains(&v))
}

/// `parse_syscall_and_errno()`: `name[:errno]` → (name, has errno). `Err` when the errno part
/// is not valid or the name is empty.
fn syscall_and_errno(word: &str) -> Result<(&str, bool), ()> {
    let (n, errno) = match word.split_once(':') {
        None => (word, false),
        Some((n, e)) => {
            if !valid_errno_or_action(e) {
                return Err(());
            }
            (n, true)
        }
    };
    if n.is_empty() {
        Err(())
    } else {
        Ok((n, errno))
    }
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

fn ip_prefix(v6: bool, addr: &[u8], prefix_len: u8) -> IpPrefix {
    let mut a = [0u8; 16];
    a[..addr.len()].copy_from_slice(addr);
    IpPrefix {
        v6,
        addr: a,
        prefix_len,
    }
}

/// `is_localhost()`: `localhost`, `localhost.localdomain` and their subdomains, any case,
/// with an optional trailing dot.
fn is_localhost_name(w: &str) -> bool {
    let w = w.to_ascii_lowercase();
    let w = w.strip_suffix('.').unwrap_or(&w);
    w == "localhost"
        || w == "localhost.localdomain"
        || w.ends_with(".localhost")
        || w.ends_with(".localhost.localdomain")
}

/// Masks the host bits of a prefix, as `in_addr_prefix_add()` does before storing it.
fn mask(p: &mut IpPrefix) {
    let bits = if p.v6 { 128 } else { 32 };
    for i in usize::from(p.prefix_len)..bits {
        p.addr[i / 8] &= !(0x80 >> (i % 8));
    }
}

/// Adds a prefix to an IP access set (masked). Duplicates are dropped once, in `finish()`:
/// a search per line would make a long list quadratic.
fn add_prefix(list: &mut Vec<IpPrefix>, mut p: IpPrefix) {
    mask(&mut p);
    list.push(p);
}

/// `valid_device_node_path()`.
fn valid_device_path(p: &str) -> bool {
    let under = |prefix: &str| {
        p.strip_prefix(prefix)
            .is_some_and(|r| r.is_empty() || r.starts_with('/'))
    };
    (under("/dev") || under("/run/systemd/inaccessible"))
        && !p.ends_with('/')
        && cparse::path_is_normalized(p)
}

/// `capability_from_name()`: a number in any C notation (0..=`max`: 63 in 252, 62 from 254),
/// or a name, any case.
fn capability_from_name_upto(w: &str, max: u32) -> Option<u32> {
    if let Some(i) = cparse::safe_atoi(w) {
        return u32::try_from(i).ok().filter(|&i| i <= max);
    }
    tables::CAPABILITIES
        .iter()
        .position(|c| c.eq_ignore_ascii_case(w))
        .map(|i| i as u32)
}

const SERVICE_TYPES: &[&str] = &[
    "simple", "exec", "forking", "oneshot", "dbus", "notify", "idle",
];
const RESTARTS: &[&str] = &[
    "no",
    "on-success",
    "on-failure",
    "on-abnormal",
    "on-watchdog",
    "on-abort",
    "always",
];
const EMERGENCY_ACTIONS: &[&str] = &[
    "none",
    "reboot",
    "reboot-force",
    "reboot-immediate",
    "poweroff",
    "poweroff-force",
    "poweroff-immediate",
    "exit",
    "exit-force",
];
const EXEC_KEYS: &[&str] = &[
    "ExecCondition",
    "ExecStartPre",
    "ExecStart",
    "ExecStartPost",
    "ExecReload",
    "ExecStop",
    "ExecStopPre",
    "ExecStopPost",
];
const LISTEN_KEYS: &[&str] = &[
    "ListenStream",
    "ListenDatagram",
    "ListenSequentialPacket",
    "ListenFIFO",
    "ListenNetlink",
    "ListenSpecial",
    "ListenMessageQueue",
    "ListenUSBFunction",
];

/// Whether a timer value parses: a calendar shorthand for `OnCalendar=` (full calendar
/// expressions are only roughly checked), a time span like `5min` or `1h 30s` for the others.
fn timer_value_valid(key: &str, v: &str) -> bool {
    const UNITS: &[&str] = &[
        "", "us", "usec", "ms", "msec", "s", "sec", "second", "seconds", "m", "min", "minute",
        "minutes", "h", "hr", "hour", "hours", "d", "day", "days", "w", "week", "weeks", "M",
        "month", "months", "y", "year", "years",
    ];
    if key == "OnCalendar" {
        const SHORT: &[&str] = &[
            "minutely",
            "hourly",
            "daily",
            "monthly",
            "weekly",
            "yearly",
            "annually",
            "quarterly",
            "semiannually",
        ];
        return SHORT.contains(&v) || v.bytes().any(|b| b.is_ascii_digit() || b == b'*');
    }
    v.split_whitespace().all(|w| {
        let d = w
            .bytes()
            .take_while(|b| b.is_ascii_digit() || *b == b'.')
            .count();
        d > 0 && UNITS.contains(&&w[d..])
    }) && !v.trim().is_empty()
}

/// `service_name_is_valid()`: a unique (`:1.42`) or well-known (`org.example.Foo`) bus name.
fn bus_name_valid(p: &str) -> bool {
    let unique = p.starts_with(':');
    let body = if unique { &p[1..] } else { p };
    if p.is_empty() || p.len() > 255 || body.is_empty() || !body.contains('.') {
        return false;
    }
    body.split('.').all(|el| {
        !el.is_empty()
            && el.bytes().enumerate().all(|(i, c)| {
                c.is_ascii_alphabetic()
                    || c == b'_'
                    || c == b'-'
                    || (c.is_ascii_digit() && (i > 0 || unique))
            })
    })
}

/// `unit_name_from_path(path, ".mount")` without the suffix: the path simplified, slashes
/// trimmed and turned into dashes, other special bytes escaped as `\xNN`.
fn mount_unit_stem(path: &str) -> String {
    let p = cparse::path_simplify(path);
    let p = p.trim_matches('/');
    if p.is_empty() {
        return "-".into();
    }
    let mut out = String::new();
    for (i, b) in p.bytes().enumerate() {
        match b {
            b'/' => out.push('-'),
            b'.' if i == 0 => out.push_str("\\x2e"),
            b if b.is_ascii_alphanumeric() || b == b':' || b == b'_' || b == b'.' => {
                out.push(b as char)
            }
            b => out.push_str(&format!("\\x{b:02x}")),
        }
    }
    out
}

impl Loader {
    fn refuse(&mut self, why: &str) {
        if self.refused.is_none() {
            self.refused = Some(why.to_owned());
        }
    }

    fn warn(
        &mut self,
        file: Option<&str>,
        e: &Entry,
        code: &'static str,
        msg: String,
    ) -> Diagnostic {
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

    /// A value systemd treats as a fatal error; [`Staged::file`] reports it, depending on
    /// whether it is in the unit file or in a drop-in.
    fn fatal(&self, e: &Entry, why: &str) -> Fatal {
        Fatal(format!("{}={}: {why}", e.key, e.value))
    }

    fn origin(file: Option<&str>, e: &Entry) -> Origin {
        Origin {
            file: file.map(Arc::from),
            line: e.span.line,
            directive: Arc::from(format!("{}={}", e.key, e.value)),
            implied: false,
        }
    }

    /// Records that `setting` now has a value set by `e` alone (replacing earlier lines).
    fn set_single(&mut self, setting: &'static str, file: Option<&str>, e: &Entry) {
        if let Some((pf, ps)) = self
            .last_line
            .insert(setting, (file.map(str::to_owned), e.span))
        {
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

    /// Expands specifiers like `unit_full_printf()`; `None` on an unknown one.
    fn printf(&self, v: &str) -> Option<String> {
        self.name.expand_specifiers(v).ok()
    }

    fn entry(&mut self, file: Option<&str>, e: &Entry) -> Result<(), Fatal> {
        let section = &*e.section;
        // K6: a directive newer than the 252 table, read where the profile knows it. The
        // profile knows exactly where it arrived (260), closer than a table between two
        // verified releases does.
        if e.key == "RootMStack"
            && self.name.kind.has_exec_context()
            && self.name.kind.section() == Some(section)
        {
            if !self.profile.root_mstack {
                self.unknown_key(file, e);
                return Ok(());
            }
            self.root_mstack = !e.value.is_empty();
            self.m.reset_note("RootMStack", Some(Self::origin(file, e)));
            return Ok(());
        }
        match self.profile.directives.status(section, &e.key) {
            KeyStatus::Known => {}
            KeyStatus::Retired => {
                let msg = format!(
                    "Support for {}= has been removed from systemd (as of {}); it ignores this line",
                    e.key, self.profile.id
                );
                let d = Diagnostic::new(Severity::Warning, "removed-key", msg).at(file, e.span);
                self.diags.push(d);
                return Ok(());
            }
            KeyStatus::Unknown => {
                if !e.key.starts_with("X-") {
                    self.unknown_key(file, e);
                }
                return Ok(());
            }
        }
        if section == "Install" {
            return Ok(());
        }
        let v = e.value.as_str();
        if section == "Unit" {
            match e.key.as_str() {
                "DefaultDependencies" => match parse_boolean(v) {
                    Some(b) => {
                        self.m.default_dependencies = b;
                        self.set_single("DefaultDependencies", file, e);
                    }
                    None => self.ignored(file, e, "not a boolean"),
                },
                "SuccessAction" => match EMERGENCY_ACTIONS.iter().find(|a| **a == v) {
                    Some(a) => self.success_action = *a != "none",
                    None => self.ignored(file, e, "not an action systemd knows"),
                },
                _ => {}
            }
            return Ok(());
        }
        // The type's own section.
        let service = self.name.kind == UnitType::Service;
        match e.key.as_str() {
            "Type" if service => match SERVICE_TYPES.iter().find(|t| **t == v) {
                Some(t) => self.service_type = Some(t),
                None => self.ignored(file, e, "not a service type"),
            },
            "Restart" if service => match RESTARTS.iter().find(|t| **t == v) {
                Some(t) => self.restart = Some(t),
                None => self.ignored(file, e, "not a restart setting"),
            },
            "RemainAfterExit" if service => match parse_boolean(v) {
                Some(b) => self.remain_after_exit = b,
                None => self.ignored(file, e, "not a boolean"),
            },
            "BusName" if service => match self.printf(v) {
                Some(n) if bus_name_valid(&n) => self.bus_name = true,
                _ => self.ignored(file, e, "not a valid D-Bus service name"),
            },
            k if k.starts_with("Exec") && EXEC_KEYS.contains(&k) => {
                let added = self.exec_command(file, e)?;
                let count = match k {
                    "ExecStart" => &mut self.exec_start,
                    "ExecStop" => &mut self.exec_stop,
                    _ => return Ok(()),
                };
                match added {
                    None => *count = 0,
                    Some(n) => *count += n,
                }
            }
            k if LISTEN_KEYS.contains(&k) => {
                if v.is_empty() {
                    self.listens = 0;
                } else if self.listen_valid(k, v) {
                    self.listens += 1;
                } else {
                    self.ignored(file, e, "not a valid socket address or path");
                }
            }
            "What" if self.name.kind == UnitType::Mount => self.mount_what = !v.is_empty(),
            "Where" | "What"
                if matches!(
                    self.name.kind,
                    UnitType::Mount | UnitType::Automount | UnitType::Swap
                ) =>
            {
                // config_parse_unit_path_printf(), not fatal: a bad path is ignored.
                let p = if v.is_empty() {
                    Some(None)
                } else {
                    self.printf(v)
                        .and_then(|p| cparse::path_simplify_checked(&p, true))
                        .map(Some)
                };
                match p {
                    None => self.ignored(file, e, "not an absolute, normalized path"),
                    Some(p) => match self.name.kind {
                        UnitType::Mount => self.mount_where = p,
                        UnitType::Automount => self.automount_where = p,
                        _ => self.swap_what = p,
                    },
                }
            }
            "OnCalendar" | "OnActiveSec" | "OnBootSec" | "OnStartupSec" | "OnUnitActiveSec"
            | "OnUnitInactiveSec" => {
                if v.is_empty() {
                    self.timer_values = 0;
                } else if timer_value_valid(&e.key, v) {
                    self.timer_values += 1;
                } else {
                    self.ignored(file, e, "not a valid time");
                }
            }
            "OnClockChange" | "OnTimezoneChange" => match parse_boolean(v) {
                Some(b) => self.timer_on_change |= b,
                None => self.ignored(file, e, "not a boolean"),
            },
            "PathExists" | "PathExistsGlob" | "PathChanged" | "PathModified"
            | "DirectoryNotEmpty" => {
                if v.is_empty() {
                    self.path_specs = 0;
                } else if self
                    .printf(v)
                    .and_then(|p| cparse::path_simplify_checked(&p, true))
                    .is_some()
                {
                    self.path_specs += 1;
                } else {
                    self.ignored(file, e, "not an absolute, normalized path");
                }
            }
            "Group" => {
                let g = self.user_group(e)?;
                self.group = g.is_some();
                return Ok(());
            }
            "PAMName" => self.pam_name = !v.is_empty(),
            "SocketUser" | "SocketGroup" => return self.user_group(e).map(|_| ()),
            _ => {}
        }
        let Some(setting) = setting_name(&e.key) else {
            return Ok(());
        };
        self.setting(setting, file, e)
    }

    fn unknown_key(&mut self, file: Option<&str>, e: &Entry) {
        let section = &*e.section;
        // Is it a real directive of another section?
        let elsewhere = self.profile.directives.elsewhere(section, &e.key);
        let hardening = setting_name(&e.key).is_some();
        let mut msg = match tables::first_release_knowing(section, &e.key) {
            // A key of a later systemd: the unit looks stronger than it is on this one.
            Some(later) => format!(
                "{}= is not known to systemd {} (systemd {later} knows it), so this systemd \
                 ignores this line",
                e.key, self.profile.id
            ),
            None => format!(
                "Unknown key {}= in section [{section}]; systemd ignores this line",
                e.key
            ),
        };
        let help = if let Some(s) = elsewhere {
            if hardening {
                msg = format!(
                    "{}= has no effect in [{section}]: systemd ignores it there, so this hardening setting does nothing",
                    e.key
                );
            }
            Some(format!(
                "{}= belongs in the [{}] section",
                e.key,
                self.name
                    .kind
                    .section()
                    .filter(|_| s != "Unit" && s != "Install")
                    .unwrap_or(s)
            ))
        } else {
            let near = *self
                .did_you_mean
                .entry((section.to_owned(), e.key.to_string()))
                .or_insert_with(|| did_you_mean(self.profile.directives, &e.key, section));
            near.map(|k| format!("did you mean {k}=?"))
        };
        let code = if elsewhere.is_some() {
            "wrong-section"
        } else {
            "unknown-key"
        };
        let mut d = Diagnostic::new(Severity::Warning, code, msg).at(file, e.span);
        d.help = help;
        self.diags.push(d);
    }

    /// `config_parse_exec()`: how many commands the line adds (`None`: it resets the list).
    /// A malformed command is fatal unless it has the `-` prefix, which makes systemd skip it.
    fn exec_command(&mut self, file: Option<&str>, e: &Entry) -> Result<Option<usize>, Fatal> {
        let v = e.value.as_str();
        if v.is_empty() {
            return Ok(None);
        }
        let mut added = 0;
        let mut p = Some(v);
        loop {
            let first = match extract_first_word(p, cparse::WHITESPACE, UNQUOTE) {
                Word::Found(w, rest) => {
                    p = rest;
                    w
                }
                Word::End | Word::Invalid => return Ok(Some(added)),
            };
            if first == ";" {
                continue;
            }
            // Prefixes: - @ : + ! !!
            let mut f = first.as_str();
            let (mut ignore, mut argv0, mut colon, mut plus, mut bang) =
                (false, false, false, false, 0);
            loop {
                match f.as_bytes().first() {
                    Some(b'-') if !ignore => ignore = true,
                    Some(b'@') if !argv0 => argv0 = true,
                    Some(b':') if !colon => colon = true,
                    Some(b'+') if !plus && bang == 0 => plus = true,
                    Some(b'!') if !plus && bang < 2 => bang += 1,
                    _ => break,
                }
                f = &f[1..];
            }
            let bad = |l: &mut Self, why: &str| -> Result<Option<usize>, Fatal> {
                if ignore {
                    l.ignored(file, e, why);
                    Ok(Some(added))
                } else {
                    Err(l.fatal(e, why))
                }
            };
            let Some(path) = self.printf(f) else {
                return bad(self, "it uses a specifier systemd does not know");
            };
            if path.is_empty() {
                return bad(self, "the command is empty");
            }
            if path
                .chars()
                .any(|c| c < ' ' || c == '\x7f' || c == '\\' || c == '"' || c == '\'')
            {
                return bad(self, "the executable name has special characters");
            }
            if path.ends_with('/') {
                return bad(self, "the executable path is a directory");
            }
            let valid = if cparse::path_is_absolute(&path) {
                !path.is_empty() && path.len() < 4096 && path.split('/').all(|c| c.len() <= 255)
            } else {
                cparse::filename_is_valid(&path)
            };
            if !valid {
                return bad(self, "neither a valid executable name nor an absolute path");
            }
            let mut argc = usize::from(!argv0);
            let mut semicolon = false;
            while let Some(rest) = p.filter(|r| !r.is_empty()) {
                let b = rest.as_bytes();
                let ws = |i: usize| b.get(i).is_none_or(|c| b" \t\n\r".contains(c));
                if b[0] == b';' && ws(1) {
                    p = Some(rest[1..].trim_start_matches([' ', '\t', '\n', '\r']));
                    semicolon = true;
                    break;
                }
                if b[0] == b'\\' && b.get(1) == Some(&b';') && ws(2) {
                    p = Some(rest[2..].trim_start_matches([' ', '\t', '\n', '\r']));
                    argc += 1;
                    continue;
                }
                match extract_first_word(Some(rest), cparse::WHITESPACE, UNQUOTE) {
                    Word::End => {
                        p = None;
                        break;
                    }
                    Word::Invalid => return bad(self, "unbalanced quoting"),
                    Word::Found(w, r) => {
                        if self.printf(&w).is_none() {
                            return bad(self, "it uses a specifier systemd does not know");
                        }
                        argc += 1;
                        p = r;
                    }
                }
            }
            if argc == 0 {
                return bad(self, "the executable name or argument 0 is empty");
            }
            added += 1;
            if !semicolon {
                return Ok(Some(added));
            }
        }
    }

    /// Whether systemd accepts a `Listen*=` value (`config_parse_socket_listen()`), roughly:
    /// absolute paths for FIFOs and special files, and for sockets a path, an abstract name,
    /// a port or `address:port`.
    fn listen_valid(&self, key: &str, v: &str) -> bool {
        let Some(v) = self.printf(v) else {
            return false;
        };
        match key {
            "ListenFIFO" | "ListenSpecial" | "ListenMessageQueue" | "ListenUSBFunction" => {
                cparse::path_simplify_checked(&v, true).is_some()
            }
            "ListenNetlink" => !v.is_empty(),
            _ => {
                let port = |s: &str| {
                    s.parse::<u16>().is_ok_and(|p| p > 0) && s.bytes().all(|b| b.is_ascii_digit())
                };
                if v.starts_with('/') || v.starts_with('@') {
                    v.len() < 108
                } else if key == "ListenSequentialPacket" {
                    false
                } else if port(&v) || v.starts_with("vsock:") {
                    true
                } else if let Some((a, p)) = v.rsplit_once(':') {
                    let a = a.strip_prefix('[').and_then(|a| a.strip_suffix(']'));
                    port(p)
                        && match a {
                            Some(a6) => a6
                                .split('%')
                                .next()
                                .unwrap_or("")
                                .parse::<std::net::Ipv6Addr>()
                                .is_ok(),
                            None => v
                                .rsplit_once(':')
                                .unwrap()
                                .0
                                .parse::<std::net::Ipv4Addr>()
                                .is_ok(),
                        }
                } else {
                    false
                }
            }
        }
    }

    /// `config_parse_user_group_compat()`: `None` for an empty value (unset), else the name.
    /// An unknown specifier or an invalid name is fatal.
    fn user_group(&mut self, e: &Entry) -> Result<Option<String>, Fatal> {
        if e.value.is_empty() {
            return Ok(None);
        }
        let Some(u) = self.printf(&e.value) else {
            return Err(self.fatal(e, "it uses a specifier systemd does not know"));
        };
        if !valid_user_relaxed(&u) {
            return Err(self.fatal(e, "not a valid user/group name or numeric ID"));
        }
        Ok(Some(u))
    }

    fn bool_setting(
        &mut self,
        setting: &'static str,
        file: Option<&str>,
        e: &Entry,
    ) -> Option<bool> {
        match parse_boolean(&e.value) {
            Some(b) => {
                self.set_single(setting, file, e);
                Some(b)
            }
            None => {
                let why = if e.value.is_empty() {
                    "an empty value is not a boolean"
                } else {
                    "not a boolean"
                };
                self.ignored(file, e, why);
                None
            }
        }
    }

    /// A boolean-fed setting that may also take values the version accepts beyond booleans
    /// (K5), each of which turns it on. A value another version accepts is ignored here, and
    /// the diagnostic names the version it needs.
    fn bool_or_value(
        &mut self,
        setting: &'static str,
        file: Option<&str>,
        e: &Entry,
    ) -> Option<bool> {
        if parse_boolean(&e.value).is_none() && self.profile.accepts(setting, &e.value) {
            self.set_single(setting, file, e);
            return Some(true);
        }
        if parse_boolean(&e.value).is_none()
            && let Some(v) = Version::first_accepting(setting, &e.value)
        {
            let msg = format!(
                "{}={} does nothing on systemd {} (needs {v}): systemd {} ignores the line, so the \
                 setting keeps its previous value and its check fails there",
                e.key, e.value, self.profile.id, self.profile.id
            );
            self.warn(file, e, "value-needs-newer-systemd", msg);
            return None;
        }
        self.bool_setting(setting, file, e)
    }

    /// `PrivateMounts=` (K4): a boolean, or a tri-state whose empty value resets it to unset.
    fn private_mounts_setting(&mut self, setting: &'static str, file: Option<&str>, e: &Entry) {
        if e.value.is_empty() && self.profile.private_mounts == PrivateMounts::TriState {
            self.set_single(setting, file, e);
            self.private_mounts = None;
        } else if let Some(b) = self.bool_setting(setting, file, e) {
            self.private_mounts = Some(b);
        }
    }

    /// `ProtectHostname=` as an enum (K5, from 258): a boolean or `private`, optionally with
    /// `:HOSTNAME` after a true value or `private`; an empty value resets it to `no`.
    fn protect_hostname(&mut self, setting: &'static str, file: Option<&str>, e: &Entry) {
        let v = e.value.as_str();
        if v.is_empty() {
            self.set_single(setting, file, e);
            self.m.protect_hostname = false;
            return;
        }
        let (mode, host) = match v.split_once(':') {
            Some((m, h)) => (m, Some(h)),
            None => (v, None),
        };
        let on = match parse_boolean(mode) {
            Some(b) => b,
            None if self.profile.accepts(setting, mode) => true,
            None => {
                self.ignored(
                    file,
                    e,
                    "expected a boolean or private, optionally with :HOSTNAME",
                );
                return;
            }
        };
        if let Some(h) = host {
            if !on {
                self.ignored(
                    file,
                    e,
                    "a host name may follow only a true value or private",
                );
                return;
            }
            if !hostname_valid(h) {
                self.ignored(file, e, "not a valid host name");
                return;
            }
        }
        self.set_single(setting, file, e);
        self.m.protect_hostname = on;
    }

    /// An enum setting: `table` maps the accepted strings (case-sensitive) to values.
    fn enum_setting<T: Copy>(
        &mut self,
        setting: &'static str,
        file: Option<&str>,
        e: &Entry,
        table: &[(&str, T)],
    ) -> Option<T> {
        match table.iter().find(|(s, _)| *s == e.value) {
            Some(&(_, t)) => {
                self.set_single(setting, file, e);
                Some(t)
            }
            None => {
                let names: Vec<&str> = table.iter().map(|(s, _)| *s).collect();
                self.ignored(file, e, &format!("expected one of {}", names.join(", ")));
                None
            }
        }
    }

    fn setting(
        &mut self,
        setting: &'static str,
        file: Option<&str>,
        e: &Entry,
    ) -> Result<(), Fatal> {
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
                let u = self.user_group(e)?;
                self.m.user = u;
                self.set_single(setting, file, e);
            }
            "DynamicUser" => match parse_boolean(v) {
                Some(b) => {
                    self.m.dynamic_user = b;
                    self.set_single(setting, file, e);
                }
                None => return Err(self.fatal(e, "not a boolean")),
            },
            "SupplementaryGroups" => {
                if v.is_empty() {
                    self.m.supplementary_groups.clear();
                    self.set_list(setting, file, e);
                    return Ok(());
                }
                // Words are taken without unquoting, and each is added as it is read.
                let mut p = Some(v);
                loop {
                    match extract_first_word(p, cparse::WHITESPACE, 0) {
                        Word::End => break,
                        Word::Invalid => return Err(self.fatal(e, "invalid syntax")),
                        Word::Found(w, rest) => {
                            p = rest;
                            let Some(g) = self.printf(&w) else {
                                return Err(
                                    self.fatal(e, "it uses a specifier systemd does not know")
                                );
                            };
                            if !valid_user_relaxed(&g) {
                                return Err(self.fatal(
                                    e,
                                    &format!("{g} is not a valid group name or numeric ID"),
                                ));
                            }
                            self.m.supplementary_groups.push(g);
                        }
                    }
                }
                self.set_list(setting, file, e);
            }
            "PrivateDevices" => boolean!(private_devices),
            "PrivateMounts" => self.private_mounts_setting(setting, file, e),
            "PrivateNetwork" => boolean!(private_network),
            "PrivateTmp" => {
                if let Some(b) = self.bool_or_value(setting, file, e) {
                    self.m.private_tmp = b;
                }
            }
            "PrivateUsers" => {
                if let Some(b) = self.bool_or_value(setting, file, e) {
                    self.m.private_users = b;
                    self.managed_users = (setting, v) == MANAGED_USERS;
                }
            }
            "ProtectControlGroups" => {
                if let Some(b) = self.bool_or_value(setting, file, e) {
                    self.m.protect_control_groups = b;
                }
            }
            "ProtectKernelModules" => boolean!(protect_kernel_modules),
            "ProtectKernelTunables" => boolean!(protect_kernel_tunables),
            "ProtectKernelLogs" => boolean!(protect_kernel_logs),
            "ProtectClock" => boolean!(protect_clock),
            "ProtectHostname" => match self.profile.hostname {
                Hostname::Boolean => {
                    if let Some(b) = self.bool_or_value(setting, file, e) {
                        self.m.protect_hostname = b;
                    }
                }
                Hostname::Enum => self.protect_hostname(setting, file, e),
            },
            "LockPersonality" => boolean!(lock_personality),
            "MemoryDenyWriteExecute" => boolean!(memory_deny_write_execute),
            "NoNewPrivileges" => boolean!(no_new_privileges),
            "RemoveIPC" => boolean!(remove_ipc),
            "RestrictRealtime" => boolean!(restrict_realtime),
            "RestrictSUIDSGID" => boolean!(restrict_suid_sgid),
            "Delegate" => self.delegate(file, e),
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
                let table = [
                    ("default", ProtectProc::Default),
                    ("noaccess", ProtectProc::NoAccess),
                    ("invisible", ProtectProc::Invisible),
                    ("ptraceable", ProtectProc::Ptraceable),
                ];
                if let Some(p) = self.enum_setting(setting, file, e, &table) {
                    self.m.protect_proc = Some(p);
                }
            }
            "ProcSubset" => {
                let table = [("all", ProcSubset::All), ("pid", ProcSubset::Pid)];
                if let Some(p) = self.enum_setting(setting, file, e, &table) {
                    self.m.proc_subset = Some(p);
                }
            }
            "KeyringMode" => {
                let table = [
                    ("inherit", KeyringMode::Inherit),
                    ("private", KeyringMode::Private),
                    ("shared", KeyringMode::Shared),
                ];
                if let Some(k) = self.enum_setting(setting, file, e, &table) {
                    self.m.keyring_mode = Some(k);
                }
            }
            "NotifyAccess" => {
                let table = [
                    ("none", NotifyAccess::None),
                    ("main", NotifyAccess::Main),
                    ("exec", NotifyAccess::Exec),
                    ("all", NotifyAccess::All),
                ];
                if let Some(n) = self.enum_setting(setting, file, e, &table) {
                    self.m.notify_access = Some(n);
                }
            }
            "DevicePolicy" => {
                let table = [
                    ("auto", DevicePolicy::Auto),
                    ("closed", DevicePolicy::Closed),
                    ("strict", DevicePolicy::Strict),
                ];
                if let Some(p) = self.enum_setting(setting, file, e, &table) {
                    self.m.device_policy = p;
                }
            }
            "UMask" => {
                // parse_mode(): octal, no sign, at most 07777.
                match cparse::safe_atou(v, 8 | cparse::REFUSE_PLUS_MINUS).filter(|m| *m <= 0o7777) {
                    Some(mask) => {
                        self.m.umask = mask;
                        self.set_single(setting, file, e);
                    }
                    None => self.ignored(file, e, "not an octal mode"),
                }
            }
            "RootDirectory" | "RootImage" => {
                // config_parse_unit_path_printf() with fatal = true.
                let Some(p) = self.printf(v) else {
                    return Err(self.fatal(e, "it uses a specifier systemd does not know"));
                };
                let value = if p.is_empty() {
                    None
                } else {
                    match cparse::path_simplify_checked(&p, true) {
                        Some(p) => Some(p),
                        None => {
                            let why = if cparse::path_is_absolute(&p) {
                                "the path is not normalized"
                            } else {
                                "the path is not absolute"
                            };
                            return Err(self.fatal(e, why));
                        }
                    }
                };
                if setting == "RootDirectory" {
                    self.m.root_directory = value;
                } else {
                    self.m.root_image = value;
                }
                self.set_single(setting, file, e);
            }
            "MountImages" => self.mount_images(file, e),
            "LoadCredential"
            | "LoadCredentialEncrypted"
            | "SetCredential"
            | "SetCredentialEncrypted" => self.credential(setting, file, e),
            "CapabilityBoundingSet" | "AmbientCapabilities" => {
                let (invert, rest) = match v.strip_prefix('~') {
                    Some(r) => (true, r),
                    None => (false, v),
                };
                // Words up to the first syntax error count; unknown names are skipped.
                let (ws, _) = cparse::words(rest, UNQUOTE);
                let mut sum = 0u64;
                for w in &ws {
                    match capability_from_name_upto(w, self.profile.max_capability_number) {
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
                let all = match self.profile.cap_invert {
                    CapInvert::AllBits => u64::MAX,
                    CapInvert::KernelKnown => (1u64 << tables::CAPABILITIES.len()) - 1,
                };
                if sum == 0 || *slot == initial {
                    *slot = if invert { all & !sum } else { sum };
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
                    return Ok(());
                }
                match parse_boolean(v) {
                    Some(true) => {
                        self.m.restrict_namespaces = 0;
                        self.m.reset_note(setting, Some(Self::origin(file, e)));
                        return Ok(());
                    }
                    Some(false) => {
                        self.m.restrict_namespaces = tables::NAMESPACES_ALL7;
                        self.m.reset_note(setting, Some(Self::origin(file, e)));
                        return Ok(());
                    }
                    None => {}
                }
                let (invert, rest) = match v.strip_prefix('~') {
                    Some(r) => (true, r),
                    None => (false, v),
                };
                // namespace_flags_from_string(): words without unquoting; any bad word or
                // syntax error rejects the whole line.
                let (ws, bad) = cparse::words(rest, 0);
                if bad {
                    self.ignored(file, e, "invalid syntax");
                    return Ok(());
                }
                let mut flags = 0u64;
                for w in ws {
                    match tables::namespace_flag(&w) {
                        Some(f) => flags |= f,
                        None => {
                            self.ignored(file, e, &format!("{w} is not a namespace type"));
                            return Ok(());
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
                    return Ok(());
                }
                if v == "none" {
                    af.families.clear();
                    af.allow_list = true;
                    self.af_started = false;
                    self.m.reset_note(setting, Some(Self::origin(file, e)));
                    return Ok(());
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
                let (ws, _) = cparse::words(rest, UNQUOTE);
                for w in ws {
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
                        None if self.profile.unknown_family == UnknownFamily::Stop => {
                            self.warn(
                                file,
                                e,
                                "invalid-value",
                                format!(
                                    "{w} is not an address family systemd knows; systemd {} stops reading the line there, so the names after it are ignored",
                                    self.profile.id
                                ),
                            );
                            break;
                        }
                        None => {
                            self.warn(
                                file,
                                e,
                                "invalid-value",
                                format!(
                                    "{w} is not an address family systemd knows; it is skipped"
                                ),
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
                    return Ok(());
                }
                let (ws, _) = cparse::words(v, UNQUOTE);
                for w in ws {
                    if ARCHITECTURES.contains(&w.as_str())
                        || self.profile.extra_architectures.contains(&w.as_str())
                    {
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
                if v.is_empty() {
                    self.ip_filter_paths(setting).clear();
                    self.set_list(setting, file, e);
                    return Ok(());
                }
                let Some(p) = self.printf(v) else {
                    self.ignored(file, e, "it uses a specifier systemd does not know");
                    return Ok(());
                };
                let Some(p) = cparse::path_simplify_checked(&p, true) else {
                    self.ignored(file, e, "not an absolute, normalized path");
                    return Ok(());
                };
                // Duplicates are dropped in finish().
                self.ip_filter_paths(setting).push(p);
                self.set_list(setting, file, e);
            }
            "DeviceAllow" => self.device_allow(file, e),
            _ => {}
        }
        Ok(())
    }

    fn ip_filter_paths(&mut self, setting: &str) -> &mut Vec<String> {
        if setting == "IPIngressFilterPath" {
            &mut self.m.ip_ingress_filter_path
        } else {
            &mut self.m.ip_egress_filter_path
        }
    }

    /// `config_parse_delegate()`.
    fn delegate(&mut self, file: Option<&str>, e: &Entry) {
        // Only services (and scopes) can delegate; elsewhere the line is ignored.
        if self.name.kind != UnitType::Service {
            self.ignored(file, e, "only services can delegate");
            return;
        }
        let v = e.value.as_str();
        let on = if v.is_empty() {
            // An empty value turns delegation on (with no controllers).
            true
        } else if let Some(b) = parse_boolean(v) {
            b
        } else {
            // A list of controllers turns it on, even if none of them is known; a syntax error
            // leaves it as it was.
            if cparse::words(v, UNQUOTE).1 {
                self.ignored(file, e, "invalid syntax");
                return;
            }
            true
        };
        self.m.delegate = on;
        self.set_single("Delegate", file, e);
    }

    /// `config_parse_mount_images()`: counts the entries systemd keeps.
    fn mount_images(&mut self, file: Option<&str>, e: &Entry) {
        let v = e.value.as_str();
        if v.is_empty() {
            self.mount_images = 0;
            self.set_list("MountImages", file, e);
            return;
        }
        let mut p = Some(v);
        loop {
            let tuple = match extract_first_word(p, cparse::WHITESPACE, UNQUOTE | RETAIN_ESCAPE) {
                Word::End | Word::Invalid => break,
                Word::Found(t, rest) => {
                    p = rest;
                    t
                }
            };
            let mut fields = tuple.splitn(3, ':');
            let source = fields.next().unwrap_or("");
            let dest = fields.next().unwrap_or("");
            let source = source.strip_prefix('-').unwrap_or(source);
            let ok = self
                .printf(source)
                .and_then(|s| cparse::path_simplify_checked(&s, true))
                .is_some()
                && !dest.is_empty()
                && self
                    .printf(dest)
                    .and_then(|d| cparse::path_simplify_checked(&d, true))
                    .is_some();
            if ok {
                self.mount_images += 1;
            } else {
                self.warn(
                    file,
                    e,
                    "invalid-value",
                    format!("MountImages= entry {tuple} is not SOURCE:DESTINATION with absolute paths; systemd skips it"),
                );
            }
        }
        self.set_list("MountImages", file, e);
    }

    /// `config_parse_load_credential()` / `config_parse_set_credential()`: tracks which
    /// credentials exist and whether they are encrypted.
    fn credential(&mut self, setting: &'static str, file: Option<&str>, e: &Entry) {
        let v = e.value.as_str();
        let load = setting.starts_with("Load");
        let encrypted = setting.ends_with("Encrypted");
        if v.is_empty() {
            if load {
                self.load_credentials.clear();
            } else {
                self.set_credentials.clear();
            }
            self.set_list(setting, file, e);
            return;
        }
        let (id, rest) = match extract_first_word(Some(v), ":", DONT_COALESCE_SEPARATORS) {
            Word::Found(id, rest) => (id, rest),
            Word::End | Word::Invalid => {
                self.ignored(file, e, "invalid syntax");
                return;
            }
        };
        let rest = rest.unwrap_or("");
        if !load && rest.is_empty() {
            self.ignored(file, e, "expected ID:DATA");
            return;
        }
        let Some(id) = self
            .printf(&id)
            .filter(|k| cparse::credential_name_valid(k))
        else {
            self.ignored(file, e, "not a valid credential name");
            return;
        };
        if load {
            if !rest.is_empty() {
                let Some(src) = self.printf(rest) else {
                    self.ignored(file, e, "it uses a specifier systemd does not know");
                    return;
                };
                let ok = if cparse::path_is_absolute(&src) {
                    cparse::path_is_normalized(&src)
                } else {
                    cparse::credential_name_valid(&src)
                };
                if !ok {
                    self.ignored(file, e, "not a valid credential source");
                    return;
                }
            }
        } else if encrypted && !cparse::base64_valid(rest) {
            self.ignored(file, e, "the encrypted data is not valid Base64");
            return;
        }
        let map = if load {
            &mut self.load_credentials
        } else {
            &mut self.set_credentials
        };
        // The last line of an id wins, as finish() reads the list (a search per line would
        // make a long list quadratic).
        map.push((id, encrypted));
        self.set_list(setting, file, e);
    }

    fn syscall_filter(&mut self, file: Option<&str>, e: &Entry) {
        let v = e.value.as_str();
        let f = &mut self.m.syscall_filter;
        if v.is_empty() {
            f.set.clear();
            f.allow_list = false;
            self.sf_started = false;
            self.m
                .reset_note("SystemCallFilter", Some(Self::origin(file, e)));
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
                self.profile
                    .groups
                    .expand("@default", &mut |i| set.insert(i));
            }
        }
        let allow = self.m.syscall_filter.allow_list;
        // Words without unquoting, applied one by one up to the first syntax error.
        let (ws, _) = cparse::words(rest, 0);
        for w in ws {
            let Ok((name, errno)) = syscall_and_errno(&w) else {
                self.warn(
                    file,
                    e,
                    "invalid-value",
                    format!("{w}: invalid system call or error number; systemd skips it"),
                );
                continue;
            };
            if !invert && errno {
                self.warn(
                    file,
                    e,
                    "invalid-value",
                    format!(
                        "{w}: allowed system calls cannot take an error number; systemd skips it"
                    ),
                );
                continue;
            }
            let add = invert != allow;
            let set = &mut self.m.syscall_filter.set;
            let known = self.profile.groups.expand(name, &mut |i| {
                if add { set.insert(i) } else { set.remove(i) }
            });
            if !known {
                let what = if name.starts_with('@') {
                    "system call group"
                } else {
                    "system call"
                };
                self.warn(
                    file,
                    e,
                    "invalid-value",
                    format!(
                        "{name} is not a {what} systemd {} knows; it is skipped",
                        self.profile.id
                    ),
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
        // Words without unquoting; a bad prefix is skipped, the rest of the line still counts.
        let (ws, _) = cparse::words(v, 0);
        let mut bad = Vec::new();
        for w in ws {
            match w.as_str() {
                "any" => {
                    add_prefix(list, ip_prefix(false, &[0; 4], 0));
                    add_prefix(list, ip_prefix(true, &[0; 16], 0));
                }
                "link-local" => {
                    add_prefix(list, ip_prefix(false, &[169, 254, 0, 0], 16));
                    add_prefix(list, ip_prefix(true, &[0xfe, 0x80], 64));
                }
                "multicast" => {
                    add_prefix(list, ip_prefix(false, &[224, 0, 0, 0], 4));
                    add_prefix(list, ip_prefix(true, &[0xff], 8));
                }
                w if is_localhost_name(w) => {
                    add_prefix(list, ip_prefix(false, &[127, 0, 0, 0], 8));
                    let mut one = [0u8; 16];
                    one[15] = 1;
                    add_prefix(list, ip_prefix(true, &one, 128));
                }
                w => match parse_ip_prefix(w) {
                    Some(p) => add_prefix(list, p),
                    None => bad.push(w.to_owned()),
                },
            }
        }
        for w in bad {
            self.warn(
                file,
                e,
                "invalid-value",
                format!("{w} is not an IP address prefix; systemd skips it"),
            );
        }
        self.m.note(setting, Self::origin(file, e));
    }

    fn device_allow(&mut self, file: Option<&str>, e: &Entry) {
        let v = e.value.as_str();
        if v.is_empty() {
            self.m.device_allow.clear();
            self.m
                .reset_note("DeviceAllow", Some(Self::origin(file, e)));
            return;
        }
        let (path, rest) = match extract_first_word(Some(v), cparse::WHITESPACE, UNQUOTE) {
            Word::Found(p, rest) => (p, rest.unwrap_or("")),
            Word::End | Word::Invalid => {
                self.ignored(file, e, "bad quoting");
                return;
            }
        };
        let Some(path) = self.printf(&path) else {
            self.ignored(file, e, "it uses a specifier systemd does not know");
            return;
        };
        let path = if path.starts_with("block-") || path.starts_with("char-") {
            path
        } else {
            match cparse::path_simplify_checked(&path, false) {
                Some(p) if valid_device_path(&p) => p,
                _ => {
                    self.ignored(file, e, "not a /dev/ node, char-* or block-* name");
                    return;
                }
            }
        };
        if !rest.chars().all(|c| "rwm".contains(c)) {
            self.ignored(file, e, "access must be made of r, w and m");
            return;
        }
        let perms = perms_of(rest);
        // Kept oldest first while loading (finish() turns the list newest first): inserting
        // at the front here would make a long list quadratic.
        self.m.device_allow.push((path, perms));
        self.m.note("DeviceAllow", Self::origin(file, e));
    }

    /// Applies what systemd implies at load time (`unit_patch_contexts()`) and checks what
    /// makes it refuse a unit (`service_verify()`, `socket_verify()`, `mount_verify()`).
    fn finish(&mut self) {
        // The lists were built by appending; now they get their final shape (sets keep the
        // first occurrence, device entries go newest first).
        {
            let m = &mut self.m;
            let mut seen = std::collections::HashSet::new();
            m.ip_address_allow
                .retain(|p| seen.insert((p.v6, p.addr, p.prefix_len)));
            seen.clear();
            m.ip_address_deny
                .retain(|p| seen.insert((p.v6, p.addr, p.prefix_len)));
            for list in [&mut m.ip_ingress_filter_path, &mut m.ip_egress_filter_path] {
                let mut seen = std::collections::HashSet::new();
                list.retain(|p| seen.insert(p.clone()));
            }
            m.device_allow.reverse();
        }
        let implied = |m: &Model, by: &str| -> Option<Origin> {
            m.origins.get(by).and_then(|v| v.last()).map(|o| Origin {
                implied: true,
                ..o.clone()
            })
        };
        if self.name.kind.has_exec_context() {
            let m = &mut self.m;
            m.private_mounts = match self.profile.private_mounts {
                PrivateMounts::Explicit => self.private_mounts == Some(true),
                PrivateMounts::TriState => self.private_mounts != Some(false),
            };
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
                    for s in [
                        "PrivateTmp",
                        "RemoveIPC",
                        "ProtectSystem",
                        "NoNewPrivileges",
                        "RestrictSUIDSGID",
                    ] {
                        m.reset_note(s, Some(o.clone()));
                    }
                }
            }
        }
        if self.name.kind.has_cgroup_context() && self.name.kind.has_exec_context() {
            let images = self.m.root_image.is_some() || self.mount_images > 0 || self.root_mstack;
            let encrypted = |list: &[(String, bool)]| {
                let mut seen = std::collections::HashSet::new();
                list.iter().rev().any(|(id, enc)| seen.insert(id) && *enc)
            };
            let tpm = encrypted(&self.load_credentials) || encrypted(&self.set_credentials);
            let m = &mut self.m;
            if m.private_devices && m.device_policy == DevicePolicy::Auto {
                m.device_policy = DevicePolicy::Closed;
                if let Some(o) = implied(m, "PrivateDevices") {
                    m.reset_note("DevicePolicy", Some(o));
                }
            }
            // Only added when something already restricts devices, since they imply that
            // everything else is blocked. Each is prepended, so the last added comes first.
            if m.device_policy != DevicePolicy::Auto || !m.device_allow.is_empty() {
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
                if tpm && let Some(dev) = self.profile.tpm_device {
                    m.device_allow.insert(0, (dev.into(), "rw".into()));
                }
            }
        }
        if self.refused.is_none()
            && let Some(why) = self.verify()
        {
            self.refuse(why);
        }
        if self.refused.is_none()
            && self.managed_users
            && self.name.kind.has_exec_context()
            && (self.m.user.is_some() || self.m.dynamic_user || self.group || self.pam_name)
        {
            self.refuse(
                "PrivateUsers=managed may not be used together with User=, DynamicUser=, Group= \
                 or PAMName=.",
            );
        }
        if self.refused.is_none()
            && self.m.user_manager
            && self.m.dynamic_user
            && self.profile.user_dynamic_refused
        {
            self.refuse("DynamicUser= enabled for user unit, which is not supported.");
        }
        if let Some(why) = &self.refused
            && !self.diags.iter().any(|d| d.severity == Severity::Error)
        {
            self.diags.push(Diagnostic::new(
                Severity::Error,
                "refused",
                format!("systemd refuses to load this unit: {why}"),
            ));
        }
    }

    /// Why the type's own checks refuse the unit after loading, if they do.
    fn verify(&self) -> Option<&'static str> {
        match self.name.kind {
            UnitType::Service => {
                let ty = self.service_type.unwrap_or(if self.bus_name {
                    "dbus"
                } else if self.exec_start > 0
                    || (self.profile.credentials_need_exec_start
                        && !(self.load_credentials.is_empty() && self.set_credentials.is_empty()))
                {
                    "simple"
                } else {
                    "oneshot"
                });
                let start = self.exec_start > 0;
                if !start && self.exec_stop == 0 && !self.success_action {
                    Some("the service has no ExecStart=, ExecStop= or SuccessAction=")
                } else if ty != "oneshot" && !start {
                    Some("the service has no ExecStart=, which only Type=oneshot allows")
                } else if !self.remain_after_exit && !start && !self.success_action {
                    Some(
                        "the service has neither ExecStart= nor SuccessAction=, and no RemainAfterExit=yes",
                    )
                } else if ty != "oneshot" && self.exec_start > 1 {
                    Some("the service has more than one ExecStart=, which only Type=oneshot allows")
                } else if ty == "oneshot" && matches!(self.restart, Some("always" | "on-success")) {
                    Some("Type=oneshot services cannot have Restart=always or Restart=on-success")
                } else if ty == "dbus" && !self.bus_name {
                    Some("Type=dbus services need BusName=")
                } else {
                    None
                }
            }
            UnitType::Socket if self.listens == 0 => {
                Some("the socket has no Listen*= setting (ListenStream=, ListenDatagram=, …)")
            }
            UnitType::Mount => {
                let stem = self
                    .name
                    .full
                    .strip_suffix(".mount")
                    .unwrap_or(&self.name.full);
                match &self.mount_where {
                    Some(w) if mount_unit_stem(w) != stem => {
                        Some("the mount's Where= does not match its unit name")
                    }
                    _ if !self.mount_what => Some("the mount has no What="),
                    _ => None,
                }
            }
            UnitType::Automount => {
                let stem = self
                    .name
                    .full
                    .strip_suffix(".automount")
                    .unwrap_or(&self.name.full);
                match &self.automount_where {
                    Some(w) if w == "/" => Some("an automount cannot be for the root directory"),
                    Some(w) if mount_unit_stem(w) != stem => {
                        Some("the automount's Where= does not match its unit name")
                    }
                    None if stem == "-" => Some("an automount cannot be for the root directory"),
                    _ => None,
                }
            }
            UnitType::Swap => {
                let stem = self
                    .name
                    .full
                    .strip_suffix(".swap")
                    .unwrap_or(&self.name.full);
                match &self.swap_what {
                    Some(w) if mount_unit_stem(w) != stem => {
                        Some("the swap's What= does not match its unit name")
                    }
                    _ => None,
                }
            }
            UnitType::Timer if self.timer_values == 0 && !self.timer_on_change => {
                Some("the timer has no OnCalendar=, On*Sec=, OnClockChange= or OnTimezoneChange=")
            }
            UnitType::Path if self.path_specs == 0 => {
                Some("the path unit has no PathExists=, PathChanged=, … setting")
            }
            _ => None,
        }
    }
}

/// Device access as the analyzer prints it: the flags in r, w, m order.
/// systemd's `hostname_is_valid()`: dot-separated labels of letters, digits and `-`, no
/// empty label, at most 64 characters.
fn hostname_valid(h: &str) -> bool {
    !h.is_empty()
        && h.len() <= 64
        && h.split('.')
            .all(|l| !l.is_empty() && l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-'))
}

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
pub fn did_you_mean(table: DirectiveTable, key: &str, section: &str) -> Option<&'static str> {
    let lower: Vec<char> = key.chars().map(|c| c.to_ascii_lowercase()).collect();
    let limit = 2.max(key.len() / 5);
    // How often each ASCII character occurs in the key (others never match a name).
    let mut counts = [0u32; 128];
    for &c in &lower {
        if c.is_ascii() {
            counts[c as usize] += 1;
        }
    }
    let (mut prev, mut cur) = (Vec::new(), Vec::new());
    let mut best: Option<(usize, &'static str)> = None;
    for k in table.keys(section) {
        // Two lower bounds of the distance skip most names cheaply: the difference in length
        // (a megabyte-long key would otherwise cost a huge comparison per name), and the
        // characters one has that the other lacks (an unknown key is compared with every
        // name of its section).
        if lower.len().abs_diff(k.len()) > limit {
            continue;
        }
        let mut left = counts;
        let mut only_k = 0;
        for b in k.bytes() {
            let slot = &mut left[usize::from(b.to_ascii_lowercase() & 0x7f)];
            if *slot > 0 {
                *slot -= 1;
            } else {
                only_k += 1;
            }
        }
        let only_key = lower.len() - (k.len() - only_k);
        if only_k.max(only_key) > limit {
            continue;
        }
        let d = levenshtein(&lower, k, limit, &mut prev, &mut cur);
        if best.is_none_or(|(bd, _)| d < bd) {
            best = Some((d, k));
        }
    }
    best.filter(|&(d, _)| d <= limit).map(|(_, k)| k)
}

/// Edit distance between `a` (lower case) and the directive name `b` (ASCII, compared in lower
/// case), or `limit + 1` as soon as it must exceed `limit`. The two rows are buffers reused
/// across calls: this runs for every known key of the section for each unknown one.
fn levenshtein(
    a: &[char],
    b: &str,
    limit: usize,
    prev: &mut Vec<usize>,
    cur: &mut Vec<usize>,
) -> usize {
    let b = b.as_bytes();
    prev.clear();
    prev.extend(0..=b.len());
    cur.clear();
    cur.resize(b.len() + 1, 0);
    for i in 1..=a.len() {
        cur[0] = i;
        let mut row_min = i;
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != char::from(b[j - 1].to_ascii_lowercase()));
            cur[j] = (prev[j] + 1).min(cur[j - 1] + 1).min(prev[j - 1] + cost);
            row_min = row_min.min(cur[j]);
        }
        if row_min > limit {
            // No later row can come back under the limit.
            return limit + 1;
        }
        std::mem::swap(prev, cur);
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    //! Each test is a unit that an earlier version of the loader got wrong, with the values
    //! systemd-analyze 252.38 (`--offline=yes`) prints for it.

    use crate::{FileInput, Options, UnitReport, analyze_unit};

    fn run(name: &str, files: &[&str]) -> UnitReport {
        let inputs: Vec<FileInput<'_>> = files
            .iter()
            .map(|t| FileInput {
                path: None,
                text: t,
                offset: 0,
                line_base: 0,
            })
            .collect();
        // The values below are systemd 252's, checked with its systemd-analyze.
        analyze_unit(name, &inputs, &Options::for_version(crate::Version::V252))
            .expect("valid unit name")
    }

    /// (set, exposure) of a row, as systemd's JSON has them.
    fn row(r: &UnitReport, field: &str) -> (Option<bool>, Option<String>) {
        let row = r
            .rows
            .iter()
            .find(|x| x.json_field == field)
            .expect("row exists");
        (row.set, row.exposure.map(|e| e.to_string()))
    }

    fn pass(r: &UnitReport, field: &str) {
        assert_eq!(row(r, field), (Some(true), None), "{field} should pass");
    }

    fn fail(r: &UnitReport, field: &str, exposure: &str) {
        assert_eq!(
            row(r, field),
            (Some(false), Some(exposure.into())),
            "{field} should fail"
        );
    }

    const START: &str = "[Service]\nExecStart=/bin/true\n";

    #[test]
    fn unknown_architectures_are_dropped() {
        // libseccomp 2.5 has no loongarch64, so only native remains.
        let r = run(
            "a.service",
            &[&format!(
                "{START}SystemCallArchitectures=native loongarch64\n"
            )],
        );
        pass(&r, "SystemCallArchitectures");
        assert_eq!(r.exposure.to_string(), "9.4");
    }

    #[test]
    fn delegate_only_applies_to_services() {
        let r = run(
            "a.socket",
            &["[Socket]\nListenStream=/run/x.sock\nDelegate=yes\n"],
        );
        pass(&r, "Delegate");
        assert_eq!(r.exposure.to_string(), "9.8");
        // A list with an unknown controller still turns delegation on.
        let r = run("a.service", &[&format!("{START}Delegate=cpu bogus\n")]);
        fail(&r, "Delegate", "0.1");
    }

    #[test]
    fn a_fatal_line_in_a_dropin_only_ends_that_dropin() {
        let r = run(
            "a.service",
            &[
                START,
                "[Service]\nPrivateNetwork=yes\nUser=a/b\nPrivateTmp=yes\n",
            ],
        );
        assert!(r.refused.is_none());
        pass(&r, "PrivateNetwork");
        fail(&r, "PrivateTmp", "0.2");
        fail(&r, "UserOrDynamicUser", "0.4");
        assert_eq!(r.exposure.to_string(), "9.1");
        // The same in the unit file makes the unit fail to load.
        assert!(
            run("a.service", &[&format!("{START}User=a/b\n")])
                .refused
                .is_some()
        );
        // So does an unknown specifier in User= (it used to be ignored).
        assert!(
            run("a.service", &[&format!("{START}User=%Q\n")])
                .refused
                .is_some()
        );
        // A path setting that systemd rejects is fatal too; in a drop-in it ends the drop-in.
        assert!(
            run("a.service", &[&format!("{START}RootDirectory=/a/../b\n")])
                .refused
                .is_some()
        );
        let r = run(
            "a.service",
            &[START, "[Service]\nRootDirectory=relative\nPrivateTmp=yes\n"],
        );
        assert!(r.refused.is_none());
        fail(&r, "PrivateTmp", "0.2");
    }

    #[test]
    fn a_line_that_is_not_utf8_clean_is_fatal() {
        // As systemd-analyze 252 reads them ("String is not UTF-8 clean"): the unit file fails
        // to load; U+FFFF stands for invalid bytes, the other noncharacters are refused as such.
        for bad in [
            "Description=a\u{ffff}",
            "  \u{fdd0}",
            "[Serv\u{ffff}ice]",
            "X-Foo=\u{10ffff}",
            "PrivateTmp=yes \\\n\u{fffe}",
        ] {
            let r = run("a.service", &[&format!("{START}{bad}\n")]);
            assert_eq!(
                r.refused.as_deref(),
                Some("a line that is not UTF-8 clean"),
                "{bad:?}"
            );
        }
        // U+FFFD is valid UTF-8, and comments are not checked.
        let r = run(
            "a.service",
            &[&format!("{START}Description=a\u{fffd}\n# \u{ffff}\n")],
        );
        assert!(r.refused.is_none());
        // In a drop-in the line ends the drop-in.
        let r = run(
            "a.service",
            &[
                START,
                "[Service]\nPrivateNetwork=yes\nX=\u{ffff}\nPrivateTmp=yes\n",
            ],
        );
        assert!(r.refused.is_none());
        pass(&r, "PrivateNetwork");
        fail(&r, "PrivateTmp", "0.2");
        assert!(r.diagnostics.iter().any(|d| d.code == "not-utf8"));
    }

    #[test]
    fn a_broken_header_in_a_dropin_only_ends_that_dropin() {
        let r = run(
            "a.service",
            &[
                START,
                "[Service]\nPrivateTmp=yes\n[Service\nPrivateNetwork=yes\n",
            ],
        );
        assert!(r.refused.is_none());
        pass(&r, "PrivateTmp");
        fail(&r, "PrivateNetwork", "0.5");
        // "[]" is an unknown section, not a broken header.
        let r = run(
            "a.service",
            &[&format!(
                "{START}[]\nPrivateTmp=yes\n[Service]\nPrivateNetwork=yes\n"
            )],
        );
        assert!(r.refused.is_none());
        fail(&r, "PrivateTmp", "0.2");
        pass(&r, "PrivateNetwork");
    }

    #[test]
    fn namespace_lists_are_not_unquoted() {
        // `"pid"` is not a namespace name, so the whole line is ignored.
        let r = run(
            "a.service",
            &[&format!("{START}RestrictNamespaces=~user \"pid\"\n")],
        );
        fail(&r, "RestrictNamespaces_user", "0.3");
        fail(&r, "RestrictNamespaces_pid", "0.1");
    }

    #[test]
    fn capability_numbers_are_read_like_c() {
        // 021 is octal (17, CAP_SYS_RAWIO), 0x15 is 21 (CAP_SYS_ADMIN).
        let r = run(
            "a.service",
            &[&format!("{START}CapabilityBoundingSet=~021 0x15\n")],
        );
        pass(&r, "CapabilityBoundingSet_CAP_SYS_RAWIO");
        pass(&r, "CapabilityBoundingSet_CAP_SYS_ADMIN");
        assert_eq!(r.exposure.to_string(), "9.1");
        // Words before a quoting error still count.
        let r = run(
            "a.service",
            &[&format!(
                "{START}CapabilityBoundingSet=CAP_KILL 'cap_chown\n"
            )],
        );
        fail(&r, "CapabilityBoundingSet_CAP_KILL", "0.1");
        pass(&r, "CapabilityBoundingSet_CAP_CHOWN_FSETID_SETFCAP");
        assert_eq!(r.exposure.to_string(), "7.2");
    }

    #[test]
    fn errno_names_are_case_insensitive() {
        let r = run(
            "a.service",
            &[&format!("{START}SystemCallFilter=~@cpu-emulation:eperm\n")],
        );
        pass(&r, "SystemCallFilter_cpu_emulation");
        assert_eq!(r.exposure.to_string(), "9.5");
    }

    #[test]
    fn only_valid_encrypted_credentials_add_the_tpm() {
        // No data (invalid), and an encrypted credential replaced by a plain one.
        let r = run(
            "a.service",
            &[&format!(
                "{START}PrivateDevices=yes\nSetCredentialEncrypted=foo\nLoadCredentialEncrypted=bar:/x\nLoadCredential=bar:/y\n"
            )],
        );
        pass(&r, "DeviceAllow");
        let r = run(
            "a.service",
            &[&format!(
                "{START}PrivateDevices=yes\nSetCredentialEncrypted=foo:YWJj\n"
            )],
        );
        fail(&r, "DeviceAllow", "0.1");
        let d = r
            .rows
            .iter()
            .find(|x| x.json_field == "DeviceAllow")
            .unwrap();
        assert_eq!(
            d.description.as_deref(),
            Some("Service has a device ACL with some special devices: /dev/tpmrm0:rw")
        );
    }

    #[test]
    fn ip_prefixes_are_masked_and_bad_words_skipped() {
        // 127.0.0.1/4 is stored as 112.0.0.0/4, which is not localhost.
        let r = run(
            "a.service",
            &[&format!(
                "{START}IPAddressDeny=any\nIPAddressAllow=127.0.0.1/4\n"
            )],
        );
        fail(&r, "IPAddressDeny", "0.1");
        // A bad word does not drop the rest of the line.
        let r = run("a.service", &[&format!("{START}IPAddressDeny=bogus any\n")]);
        pass(&r, "IPAddressDeny");
    }

    #[test]
    fn service_and_socket_verification() {
        assert!(
            run("a.service", &["[Service]\nExecStop=/bin/true\n"])
                .refused
                .is_some()
        );
        assert!(
            run(
                "a.service",
                &["[Service]\nExecStop=/bin/true\nRemainAfterExit=yes\n"]
            )
            .refused
            .is_none()
        );
        // An invalid Type= is ignored, so the oneshot set before it stays.
        assert!(
            run(
                "a.service",
                &["[Service]\nExecStart=/bin/a\nExecStart=/bin/b\nType=oneshot\nType=bogus\n"]
            )
            .refused
            .is_none()
        );
        // "@" needs an argument 0; ";" separates two commands.
        assert!(
            run("a.service", &["[Service]\nExecStart=@/bin/true\n"])
                .refused
                .is_some()
        );
        assert!(
            run("a.service", &["[Service]\nExecStart=/bin/a ; /bin/b\n"])
                .refused
                .is_some()
        );
        assert!(
            run("a.socket", &["[Socket]\nListenFIFO=relative\n"])
                .refused
                .is_some()
        );
        assert!(
            run("mnt-x.mount", &["[Mount]\nWhat=/dev/sda\nWhere=/mnt/y\n"])
                .refused
                .is_some()
        );
        assert!(
            run("dev-sw.swap", &["[Swap]\nWhat=/dev/other\n"])
                .refused
                .is_some()
        );
        assert!(
            run("t.timer", &["[Timer]\nOnCalendar=bogus\n"])
                .refused
                .is_some()
        );
    }

    #[test]
    fn a_lone_carriage_return_ends_a_line() {
        let r = run(
            "a.service",
            &[&format!("{START}User=foo\rPrivateTmp=yes\n")],
        );
        pass(&r, "UserOrDynamicUser");
        pass(&r, "PrivateTmp");
        assert_eq!(r.exposure.to_string(), "9.0");
    }

    #[test]
    fn system_manager_specifiers() {
        // %t is /run (an absolute path), %u is root.
        let r = run(
            "a.service",
            &[&format!("{START}RootDirectory=%t/root\nUser=%u\n")],
        );
        assert!(r.refused.is_none());
        pass(&r, "RootDirectoryOrRootImage");
        fail(&r, "UserOrDynamicUser", "0.4");
        assert_eq!(r.exposure.to_string(), "9.5");
        // A stray '%' at the end is kept.
        let r = run("a.service", &[&format!("{START}User=50%\n")]);
        pass(&r, "UserOrDynamicUser");
        assert_eq!(r.exposure.to_string(), "9.2");
    }

    #[test]
    fn umask_takes_any_number_of_leading_zeros() {
        let r = run(
            "a.service",
            &[&format!("{START}UMask=0000000000000000077\n")],
        );
        pass(&r, "UMask");
        assert_eq!(r.exposure.to_string(), "9.6");
    }
}
