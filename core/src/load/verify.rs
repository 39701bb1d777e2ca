//! The keys of a unit type's own section that decide whether systemd loads the unit, and the
//! checks that refuse it (`service_verify()`, `socket_verify()`, `mount_verify()`, …).

use super::cparse::{self, UNQUOTE, Word, extract_first_word};
use super::values::parse_boolean;
use super::{Fatal, Loader};
use crate::syntax::Entry;
use crate::unit::UnitType;

pub(super) const SERVICE_TYPES: &[&str] = &[
    "simple", "exec", "forking", "oneshot", "dbus", "notify", "idle",
];

pub(super) const RESTARTS: &[&str] = &[
    "no",
    "on-success",
    "on-failure",
    "on-abnormal",
    "on-watchdog",
    "on-abort",
    "always",
];

pub(super) const EMERGENCY_ACTIONS: &[&str] = &[
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

pub(super) const EXEC_KEYS: &[&str] = &[
    "ExecCondition",
    "ExecStartPre",
    "ExecStart",
    "ExecStartPost",
    "ExecReload",
    "ExecStop",
    "ExecStopPre",
    "ExecStopPost",
];

pub(super) const LISTEN_KEYS: &[&str] = &[
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
pub(super) fn timer_value_valid(key: &str, v: &str) -> bool {
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
pub(super) fn bus_name_valid(p: &str) -> bool {
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
pub(super) fn mount_unit_stem(path: &str) -> String {
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

/// A command's prefixes (`-`, `@`, `:`, `+`, `!`, `!!`) taken off: whether it has `-` (a bad
/// command is skipped) and `@` (argument 0 comes next), and the executable.
fn exec_prefixes(first: &str) -> (bool, bool, &str) {
    let mut f = first;
    let (mut ignore, mut argv0, mut colon, mut plus, mut bang) = (false, false, false, false, 0);
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
    (ignore, argv0, f)
}

impl Loader {
    /// A key of `[Unit]`: `DefaultDependencies=`, and `SuccessAction=` for a service's checks.
    pub(super) fn unit_key(&mut self, file: Option<&str>, e: &Entry) {
        let v = e.value.as_str();
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
    }

    /// A key of the type's own section that decides whether systemd loads the unit.
    pub(super) fn type_key(&mut self, file: Option<&str>, e: &Entry) -> Result<(), Fatal> {
        let v = e.value.as_str();
        let service = self.name.kind == UnitType::Service;
        match e.key.as_str() {
            "Type" | "Restart" | "RemainAfterExit" | "BusName" if service => {
                self.service_key(file, e)
            }
            k if k.starts_with("Exec") && EXEC_KEYS.contains(&k) => return self.exec_key(file, e),
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
                self.mount_path(file, e)
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
            _ => {}
        }
        Ok(())
    }

    /// `Where=` of a mount or automount, `What=` of a swap: checked against the unit's name.
    fn mount_path(&mut self, file: Option<&str>, e: &Entry) {
        let v = e.value.as_str();
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

    /// A key only services have that decides whether one loads.
    fn service_key(&mut self, file: Option<&str>, e: &Entry) {
        let v = e.value.as_str();
        match e.key.as_str() {
            "Type" => match SERVICE_TYPES.iter().find(|t| **t == v) {
                Some(t) => self.service_type = Some(t),
                None => self.ignored(file, e, "not a service type"),
            },
            "Restart" => match RESTARTS.iter().find(|t| **t == v) {
                Some(t) => self.restart = Some(t),
                None => self.ignored(file, e, "not a restart setting"),
            },
            "RemainAfterExit" => match parse_boolean(v) {
                Some(b) => self.remain_after_exit = b,
                None => self.ignored(file, e, "not a boolean"),
            },
            "BusName" => match self.printf(v) {
                Some(n) if bus_name_valid(&n) => self.bus_name = true,
                _ => self.ignored(file, e, "not a valid D-Bus service name"),
            },
            _ => {}
        }
    }

    /// `Exec*=`: counts the commands of `ExecStart=` and `ExecStop=`.
    fn exec_key(&mut self, file: Option<&str>, e: &Entry) -> Result<(), Fatal> {
        let added = self.exec_command(file, e)?;
        let count = match e.key.as_str() {
            "ExecStart" => &mut self.exec_start,
            "ExecStop" => &mut self.exec_stop,
            _ => return Ok(()),
        };
        match added {
            None => *count = 0,
            Some(n) => *count += n,
        }
        Ok(())
    }

    /// `config_parse_exec()`: how many commands the line adds (`None`: it resets the list).
    /// A malformed command is fatal unless it has the `-` prefix, which makes systemd skip it.
    pub(super) fn exec_command(
        &mut self,
        file: Option<&str>,
        e: &Entry,
    ) -> Result<Option<usize>, Fatal> {
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
            let (ignore, argv0, f) = exec_prefixes(&first);
            match self
                .exec_path(f)
                .and_then(|()| self.exec_arguments(&mut p, argv0))
            {
                Err(why) if ignore => {
                    self.ignored(file, e, why);
                    return Ok(Some(added));
                }
                Err(why) => return Err(self.fatal(e, why)),
                Ok(semicolon) => {
                    added += 1;
                    if !semicolon {
                        return Ok(Some(added));
                    }
                }
            }
        }
    }

    /// Why systemd rejects the executable of a command (its prefixes taken off), if it does.
    fn exec_path(&self, f: &str) -> Result<(), &'static str> {
        let Some(path) = self.printf(f) else {
            return Err("it uses a specifier systemd does not know");
        };
        if path.is_empty() {
            return Err("the command is empty");
        }
        if path
            .chars()
            .any(|c| c < ' ' || c == '\x7f' || c == '\\' || c == '"' || c == '\'')
        {
            return Err("the executable name has special characters");
        }
        if path.ends_with('/') {
            return Err("the executable path is a directory");
        }
        let valid = if cparse::path_is_absolute(&path) {
            !path.is_empty() && path.len() < 4096 && path.split('/').all(|c| c.len() <= 255)
        } else {
            cparse::filename_is_valid(&path)
        };
        if !valid {
            return Err("neither a valid executable name nor an absolute path");
        }
        Ok(())
    }

    /// Reads a command's arguments from `p`, up to the `;` that ends it; whether one did
    /// (another command follows), or why systemd rejects them.
    fn exec_arguments(&self, p: &mut Option<&str>, argv0: bool) -> Result<bool, &'static str> {
        let mut argc = usize::from(!argv0);
        let mut semicolon = false;
        while let Some(rest) = p.filter(|r| !r.is_empty()) {
            let b = rest.as_bytes();
            let ws = |i: usize| b.get(i).is_none_or(|c| b" \t\n\r".contains(c));
            if b[0] == b';' && ws(1) {
                *p = Some(rest[1..].trim_start_matches([' ', '\t', '\n', '\r']));
                semicolon = true;
                break;
            }
            if b[0] == b'\\' && b.get(1) == Some(&b';') && ws(2) {
                *p = Some(rest[2..].trim_start_matches([' ', '\t', '\n', '\r']));
                argc += 1;
                continue;
            }
            match extract_first_word(Some(rest), cparse::WHITESPACE, UNQUOTE) {
                Word::End => {
                    *p = None;
                    break;
                }
                Word::Invalid => return Err("unbalanced quoting"),
                Word::Found(w, r) => {
                    if self.printf(&w).is_none() {
                        return Err("it uses a specifier systemd does not know");
                    }
                    argc += 1;
                    *p = r;
                }
            }
        }
        if argc == 0 {
            return Err("the executable name or argument 0 is empty");
        }
        Ok(semicolon)
    }

    /// Whether systemd accepts a `Listen*=` value (`config_parse_socket_listen()`), roughly:
    /// absolute paths for FIFOs and special files, and for sockets a path, an abstract name,
    /// a port or `address:port`.
    pub(super) fn listen_valid(&self, key: &str, v: &str) -> bool {
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

    /// Why `service_verify()` refuses the service, if it does.
    fn service_verify(&self) -> Option<&'static str> {
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

    /// The unit's name without its type suffix `suffix`.
    fn stem(&self, suffix: &str) -> &str {
        self.name
            .full
            .strip_suffix(suffix)
            .unwrap_or(&self.name.full)
    }

    /// Why the type's own checks refuse the unit after loading, if they do.
    pub(super) fn verify(&self) -> Option<&'static str> {
        match self.name.kind {
            UnitType::Service => self.service_verify(),
            UnitType::Socket if self.listens == 0 => {
                Some("the socket has no Listen*= setting (ListenStream=, ListenDatagram=, …)")
            }
            UnitType::Mount => {
                let stem = self.stem(".mount");
                match &self.mount_where {
                    Some(w) if mount_unit_stem(w) != stem => {
                        Some("the mount's Where= does not match its unit name")
                    }
                    _ if !self.mount_what => Some("the mount has no What="),
                    _ => None,
                }
            }
            UnitType::Automount => {
                let stem = self.stem(".automount");
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
                let stem = self.stem(".swap");
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

#[cfg(test)]
mod tests {
    use super::super::testing::*;

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
}
