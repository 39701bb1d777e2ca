//! The exec-context settings with one value: booleans, enums, users, paths, `UMask=`.

use super::*;

/// systemd's relaxed user/group name rule (`VALID_USER_RELAX | VALID_USER_ALLOW_NUMERIC`).
pub(super) fn valid_user_relaxed(u: &str) -> bool {
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
pub(super) fn valid_user_strict(u: &str) -> bool {
    let mut c = u.chars();
    match c.next() {
        Some(f) if f.is_ascii_alphabetic() || f == '_' => {}
        _ => return false,
    }
    u.len() <= 31 && c.all(|ch| ch.is_ascii_alphanumeric() || ch == '_' || ch == '-')
}

/// Device access as the analyzer prints it: the flags in r, w, m order.
/// systemd's `hostname_is_valid()`: dot-separated labels of letters, digits and `-`, no
/// empty label, at most 64 characters.
pub(super) fn hostname_valid(h: &str) -> bool {
    !h.is_empty()
        && h.len() <= 64
        && h.split('.')
            .all(|l| !l.is_empty() && l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-'))
}

impl Loader {
    /// `config_parse_user_group_compat()`: `None` for an empty value (unset), else the name.
    /// An unknown specifier or an invalid name is fatal.
    pub(super) fn user_group(&mut self, e: &Entry) -> Result<Option<String>, Fatal> {
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

    pub(super) fn bool_setting(
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
    pub(super) fn bool_or_value(
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
    pub(super) fn private_mounts_setting(
        &mut self,
        setting: &'static str,
        file: Option<&str>,
        e: &Entry,
    ) {
        if e.value.is_empty() && self.profile.private_mounts == PrivateMounts::TriState {
            self.set_single(setting, file, e);
            self.private_mounts = None;
        } else if let Some(b) = self.bool_setting(setting, file, e) {
            self.private_mounts = Some(b);
        }
    }

    /// `ProtectHostname=` as an enum (K5, from 258): a boolean or `private`, optionally with
    /// `:HOSTNAME` after a true value or `private`; an empty value resets it to `no`.
    pub(super) fn protect_hostname(
        &mut self,
        setting: &'static str,
        file: Option<&str>,
        e: &Entry,
    ) {
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
    pub(super) fn enum_setting<T: Copy>(
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

    pub(super) fn setting(
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

    /// `config_parse_delegate()`.
    pub(super) fn delegate(&mut self, file: Option<&str>, e: &Entry) {
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
}

#[cfg(test)]
mod tests {
    use super::super::testing::*;

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
    fn umask_takes_any_number_of_leading_zeros() {
        let r = run(
            "a.service",
            &[&format!("{START}UMask=0000000000000000077\n")],
        );
        pass(&r, "UMask");
        assert_eq!(r.exposure.to_string(), "9.6");
    }
}
