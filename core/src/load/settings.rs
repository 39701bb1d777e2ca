//! The exec-context settings with one value: booleans, enums, users, paths, `UMask=`.

use super::cparse::{self, UNQUOTE};
use super::values::parse_boolean;
use super::values::{BoolKind, BoolSetting, EnumSetting, boolean_named, enum_named};
use super::{Fatal, Loader, MANAGED_USERS};
use crate::syntax::Entry;
use crate::unit::UnitType;
use crate::version::{Hostname, PrivateMounts, Version};

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

    /// An exec-context setting (`setting` is its name): booleans and enums by their tables in
    /// [`values`](super::values), the others by family.
    pub(super) fn setting(
        &mut self,
        setting: &'static str,
        file: Option<&str>,
        e: &Entry,
    ) -> Result<(), Fatal> {
        if let Some(b) = boolean_named(setting) {
            return self.boolean(b, file, e);
        }
        if let Some(s) = enum_named(setting) {
            self.enum_value(s, file, e);
            return Ok(());
        }
        match setting {
            "User" => {
                let u = self.user_group(e)?;
                self.m.user = u;
                self.set_single(setting, file, e);
            }
            "SupplementaryGroups" => return self.supplementary_groups(file, e),
            "UMask" => return self.umask(file, e),
            "RootDirectory" | "RootImage" => return self.root_path(setting, file, e),
            "MountImages" => self.mount_images(file, e),
            "LoadCredential"
            | "LoadCredentialEncrypted"
            | "SetCredential"
            | "SetCredentialEncrypted" => self.credential(setting, file, e),
            "CapabilityBoundingSet" | "AmbientCapabilities" => {
                return self.capabilities(setting, file, e);
            }
            "RestrictNamespaces" => return self.restrict_namespaces(file, e),
            "RestrictAddressFamilies" => return self.address_families(file, e),
            "SystemCallArchitectures" => return self.architectures(file, e),
            "SystemCallFilter" => self.syscall_filter(file, e),
            "IPAddressAllow" | "IPAddressDeny" => self.ip_access(setting, file, e),
            "IPIngressFilterPath" | "IPEgressFilterPath" => {
                return self.ip_filter_path(setting, file, e);
            }
            "DeviceAllow" => self.device_allow(file, e),
            _ => {}
        }
        Ok(())
    }

    /// A boolean setting, read as its [`BoolKind`] says.
    fn boolean(&mut self, b: &BoolSetting, file: Option<&str>, e: &Entry) -> Result<(), Fatal> {
        let setting = b.name;
        let on = match b.offline {
            BoolKind::Plain => self.bool_setting(setting, file, e),
            BoolKind::OrValue => self.bool_or_value(setting, file, e),
            BoolKind::Fatal => match parse_boolean(&e.value) {
                Some(on) => {
                    self.set_single(setting, file, e);
                    Some(on)
                }
                None => return Err(self.fatal(e, "not a boolean")),
            },
            BoolKind::PrivateMounts => {
                self.private_mounts_setting(setting, file, e);
                None
            }
            BoolKind::Hostname => match self.profile.hostname {
                Hostname::Boolean => self.bool_or_value(setting, file, e),
                Hostname::Enum => {
                    self.protect_hostname(setting, file, e);
                    None
                }
            },
            BoolKind::Delegate => {
                self.delegate(file, e);
                None
            }
        };
        if let Some(on) = on {
            *(b.field)(&mut self.m) = on;
            if setting == MANAGED_USERS.0 {
                self.managed_users = (setting, e.value.as_str()) == MANAGED_USERS;
            }
        }
        Ok(())
    }

    /// An enum setting by its table: one of its words, or the line is ignored.
    fn enum_value(&mut self, s: &EnumSetting, file: Option<&str>, e: &Entry) {
        if (s.set)(&mut self.m, &e.value) {
            self.set_single(s.name, file, e);
        } else {
            self.ignored(file, e, &(s.ignored_why)());
        }
    }

    /// `UMask=`: an octal mode.
    pub(super) fn umask(&mut self, file: Option<&str>, e: &Entry) -> Result<(), Fatal> {
        let v = e.value.as_str();
        let setting = "UMask";
        // parse_mode(): octal, no sign, at most 07777.
        match cparse::safe_atou(v, 8 | cparse::REFUSE_PLUS_MINUS).filter(|m| *m <= 0o7777) {
            Some(mask) => {
                self.m.umask = mask;
                self.set_single(setting, file, e);
            }
            None => self.ignored(file, e, "not an octal mode"),
        }
        Ok(())
    }

    /// `RootDirectory=` / `RootImage=`: an absolute, normalized path; a bad one is fatal.
    pub(super) fn root_path(
        &mut self,
        setting: &'static str,
        file: Option<&str>,
        e: &Entry,
    ) -> Result<(), Fatal> {
        let v = e.value.as_str();
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
        let r = service("Delegate=cpu bogus\n");
        fail(&r, "Delegate", "0.1");
    }

    #[test]
    fn umask_takes_any_number_of_leading_zeros() {
        let r = service("UMask=0000000000000000077\n");
        pass(&r, "UMask");
        assert_eq!(r.exposure.to_string(), "9.6");
    }
}
