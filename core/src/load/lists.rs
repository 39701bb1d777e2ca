//! The list settings: capabilities, namespaces, address families, architectures, system
//! calls, IP access, devices, images and credentials.

use super::cparse::{
    self, DONT_COALESCE_SEPARATORS, RETAIN_ESCAPE, UNQUOTE, Word, extract_first_word,
};
use super::settings::valid_user_relaxed;
use super::values::{parse_boolean, parse_ip_prefix};
use super::{Fatal, Loader};
use crate::model::IpPrefix;
use crate::syntax::Entry;
use crate::tables;
use crate::version::{CapInvert, UnknownFamily};

/// Architectures `seccomp_arch_from_string()` knows in systemd 252 built against libseccomp
/// 2.5 (no loongarch64; names are case-sensitive).
pub(super) const ARCHITECTURES: &[&str] = &[
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

pub(super) const ERRNO_NAMES: &str = "EPERM ENOENT ESRCH EINTR EIO ENXIO E2BIG ENOEXEC EBADF ECHILD EAGAIN ENOMEM EACCES EFAULT ENOTBLK EBUSY EEXIST EXDEV ENODEV ENOTDIR EISDIR EINVAL ENFILE EMFILE ENOTTY ETXTBSY EFBIG ENOSPC ESPIPE EROFS EMLINK EPIPE EDOM ERANGE EDEADLK EDEADLOCK ENAMETOOLONG ENOLCK ENOSYS ENOTEMPTY ELOOP EWOULDBLOCK ENOMSG EIDRM ECHRNG EL2NSYNC EL3HLT EL3RST ELNRNG EUNATCH ENOCSI EL2HLT EBADE EBADR EXFULL ENOANO EBADRQC EBADSLT EBFONT ENOSTR ENODATA ETIME ENOSR ENONET ENOPKG EREMOTE ENOLINK EADV ESRMNT ECOMM EPROTO EMULTIHOP EDOTDOT EBADMSG EOVERFLOW ENOTUNIQ EBADFD EREMCHG ELIBACC ELIBBAD ELIBSCN ELIBMAX ELIBEXEC EILSEQ ERESTART ESTRPIPE EUSERS ENOTSOCK EDESTADDRREQ EMSGSIZE EPROTOTYPE ENOPROTOOPT EPROTONOSUPPORT ESOCKTNOSUPPORT EOPNOTSUPP ENOTSUP EPFNOSUPPORT EAFNOSUPPORT EADDRINUSE EADDRNOTAVAIL ENETDOWN ENETUNREACH ENETRESET ECONNABORTED ECONNRESET ENOBUFS EISCONN ENOTCONN ESHUTDOWN ETOOMANYREFS ETIMEDOUT ECONNREFUSED EHOSTDOWN EHOSTUNREACH EALREADY EINPROGRESS ESTALE EUCLEAN ENOTNAM ENAVAIL EISNAM EREMOTEIO EDQUOT ENOMEDIUM EMEDIUMTYPE ECANCELED ENOKEY EKEYEXPIRED EKEYREVOKED EKEYREJECTED EOWNERDEAD ENOTRECOVERABLE ERFKILL EHWPOISON";

/// `parse_errno()`, or `kill`: an errno name (any case) or a number 0..=4095.
pub(super) fn valid_errno_or_action(e: &str) -> bool {
    e == "kill"
        || ERRNO_NAMES.split(' ').any(|x| x.eq_ignore_ascii_case(e))
        || cparse::safe_atoi(e).is_some_and(|v| (0..4096).contains(&v))
}

/// `parse_syscall_and_errno()`: `name[:errno]` → (name, has errno). `Err` when the errno part
/// is not valid or the name is empty.
pub(super) fn syscall_and_errno(word: &str) -> Result<(&str, bool), ()> {
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

pub(super) fn ip_prefix(v6: bool, addr: &[u8], prefix_len: u8) -> IpPrefix {
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
pub(super) fn is_localhost_name(w: &str) -> bool {
    let w = w.to_ascii_lowercase();
    let w = w.strip_suffix('.').unwrap_or(&w);
    w == "localhost"
        || w == "localhost.localdomain"
        || w.ends_with(".localhost")
        || w.ends_with(".localhost.localdomain")
}

/// Masks the host bits of a prefix, as `in_addr_prefix_add()` does before storing it.
pub(super) fn mask(p: &mut IpPrefix) {
    let bits = if p.v6 { 128 } else { 32 };
    for i in usize::from(p.prefix_len)..bits {
        p.addr[i / 8] &= !(0x80 >> (i % 8));
    }
}

/// Adds a prefix to an IP access set (masked). Duplicates are dropped once, in `finish()`:
/// a search per line would make a long list quadratic.
pub(super) fn add_prefix(list: &mut Vec<IpPrefix>, mut p: IpPrefix) {
    mask(&mut p);
    list.push(p);
}

/// `valid_device_node_path()`.
pub(super) fn valid_device_path(p: &str) -> bool {
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
pub(super) fn capability_from_name_upto(w: &str, max: u32) -> Option<u32> {
    if let Some(i) = cparse::safe_atoi(w) {
        return u32::try_from(i).ok().filter(|&i| i <= max);
    }
    tables::CAPABILITIES
        .iter()
        .position(|c| c.eq_ignore_ascii_case(w))
        .map(|i| i as u32)
}

pub(super) fn perms_of(s: &str) -> String {
    let all = s.is_empty();
    let mut p = String::new();
    for c in ['r', 'w', 'm'] {
        if all || s.contains(c) {
            p.push(c);
        }
    }
    p
}

impl Loader {
    /// `SupplementaryGroups=`: group names, each checked and added as it is read.
    pub(super) fn supplementary_groups(
        &mut self,
        file: Option<&str>,
        e: &Entry,
    ) -> Result<(), Fatal> {
        let v = e.value.as_str();
        let setting = "SupplementaryGroups";
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
                        return Err(self.fatal(e, "it uses a specifier systemd does not know"));
                    };
                    if !valid_user_relaxed(&g) {
                        return Err(
                            self.fatal(e, &format!("{g} is not a valid group name or numeric ID"))
                        );
                    }
                    self.m.supplementary_groups.push(g);
                }
            }
        }
        self.set_list(setting, file, e);
        Ok(())
    }

    /// `CapabilityBoundingSet=` / `AmbientCapabilities=`: names or numbers, `~` inverting.
    pub(super) fn capabilities(
        &mut self,
        setting: &'static str,
        file: Option<&str>,
        e: &Entry,
    ) -> Result<(), Fatal> {
        let v = e.value.as_str();
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
            self.m.reset_note(setting, Some(self.origin(file, e)));
        } else {
            if invert {
                *slot &= !sum;
            } else {
                *slot |= sum;
            }
            self.m.note(setting, self.origin(file, e));
        }
        Ok(())
    }

    /// `RestrictNamespaces=`: a boolean, or namespace types (`~` for the forbidden ones).
    pub(super) fn restrict_namespaces(
        &mut self,
        file: Option<&str>,
        e: &Entry,
    ) -> Result<(), Fatal> {
        let v = e.value.as_str();
        let setting = "RestrictNamespaces";
        const INITIAL: u64 = u64::MAX;
        if v.is_empty() {
            self.m.restrict_namespaces = INITIAL;
            self.m.reset_note(setting, Some(self.origin(file, e)));
            return Ok(());
        }
        match parse_boolean(v) {
            Some(true) => {
                self.m.restrict_namespaces = 0;
                self.m.reset_note(setting, Some(self.origin(file, e)));
                return Ok(());
            }
            Some(false) => {
                self.m.restrict_namespaces = tables::NAMESPACES_ALL7;
                self.m.reset_note(setting, Some(self.origin(file, e)));
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
            self.m.reset_note(setting, Some(self.origin(file, e)));
        } else {
            if invert {
                self.m.restrict_namespaces &= !flags;
            } else {
                self.m.restrict_namespaces |= flags;
            }
            self.m.note(setting, self.origin(file, e));
        }
        Ok(())
    }

    /// `RestrictAddressFamilies=`: `none`, or families to allow (`~`: to deny).
    pub(super) fn address_families(&mut self, file: Option<&str>, e: &Entry) -> Result<(), Fatal> {
        let v = e.value.as_str();
        let setting = "RestrictAddressFamilies";
        let af = &mut self.m.restrict_address_families;
        if v.is_empty() {
            af.families.clear();
            af.allow_list = false;
            self.af_started = false;
            self.m.reset_note(setting, Some(self.origin(file, e)));
            return Ok(());
        }
        if v == "none" {
            af.families.clear();
            af.allow_list = true;
            self.af_started = false;
            self.m.reset_note(setting, Some(self.origin(file, e)));
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
                        format!("{w} is not an address family systemd knows; it is skipped"),
                    );
                }
            }
        }
        self.m.note(setting, self.origin(file, e));
        Ok(())
    }

    /// `SystemCallArchitectures=`: the architectures systemd knows, others skipped.
    pub(super) fn architectures(&mut self, file: Option<&str>, e: &Entry) -> Result<(), Fatal> {
        let v = e.value.as_str();
        let setting = "SystemCallArchitectures";
        if v.is_empty() {
            self.m.syscall_architectures.clear();
            self.m.reset_note(setting, Some(self.origin(file, e)));
            return Ok(());
        }
        let (ws, _) = cparse::words(v, UNQUOTE);
        for w in ws {
            if ARCHITECTURES.contains(&&*w) || self.profile.extra_architectures.contains(&&*w) {
                if !self.m.syscall_architectures.iter().any(|a| *a == w) {
                    self.m.syscall_architectures.push(w.into_owned());
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
        self.m.note(setting, self.origin(file, e));
        Ok(())
    }

    /// `IPIngressFilterPath=` / `IPEgressFilterPath=`: absolute paths of BPF programs.
    pub(super) fn ip_filter_path(
        &mut self,
        setting: &'static str,
        file: Option<&str>,
        e: &Entry,
    ) -> Result<(), Fatal> {
        let v = e.value.as_str();
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
        Ok(())
    }

    pub(super) fn ip_filter_paths(&mut self, setting: &str) -> &mut Vec<String> {
        if setting == "IPIngressFilterPath" {
            &mut self.m.ip_ingress_filter_path
        } else {
            &mut self.m.ip_egress_filter_path
        }
    }

    /// `config_parse_mount_images()`: counts the entries systemd keeps.
    pub(super) fn mount_images(&mut self, file: Option<&str>, e: &Entry) {
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
    pub(super) fn credential(&mut self, setting: &'static str, file: Option<&str>, e: &Entry) {
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

    pub(super) fn syscall_filter(&mut self, file: Option<&str>, e: &Entry) {
        let v = e.value.as_str();
        let f = &mut self.m.syscall_filter;
        if v.is_empty() {
            f.set.clear();
            f.allow_list = false;
            self.sf_started = false;
            self.m
                .reset_note("SystemCallFilter", Some(self.origin(file, e)));
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
                self.profile.groups.apply("@default", &mut f.set, true);
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
            let known = self.profile.groups.apply(name, set, add);
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
        self.m.note("SystemCallFilter", self.origin(file, e));
    }

    pub(super) fn ip_access(&mut self, setting: &'static str, file: Option<&str>, e: &Entry) {
        let v = e.value.as_str();
        let list = if setting == "IPAddressAllow" {
            &mut self.m.ip_address_allow
        } else {
            &mut self.m.ip_address_deny
        };
        if v.is_empty() {
            list.clear();
            self.m.reset_note(setting, Some(self.origin(file, e)));
            return;
        }
        // Words without unquoting; a bad prefix is skipped, the rest of the line still counts.
        let (ws, _) = cparse::words(v, 0);
        let mut bad = Vec::new();
        for w in ws {
            match &*w {
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
        self.m.note(setting, self.origin(file, e));
    }

    pub(super) fn device_allow(&mut self, file: Option<&str>, e: &Entry) {
        let v = e.value.as_str();
        if v.is_empty() {
            self.m.device_allow.clear();
            self.m.reset_note("DeviceAllow", Some(self.origin(file, e)));
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
        self.m.note("DeviceAllow", self.origin(file, e));
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::*;

    #[test]
    fn unknown_architectures_are_dropped() {
        // libseccomp 2.5 has no loongarch64, so only native remains.
        let r = service("SystemCallArchitectures=native loongarch64\n");
        pass(&r, "SystemCallArchitectures");
        assert_eq!(r.exposure.to_string(), "9.4");
    }

    #[test]
    fn namespace_lists_are_not_unquoted() {
        // `"pid"` is not a namespace name, so the whole line is ignored.
        let r = service("RestrictNamespaces=~user \"pid\"\n");
        fail(&r, "RestrictNamespaces_user", "0.3");
        fail(&r, "RestrictNamespaces_pid", "0.1");
    }

    #[test]
    fn capability_numbers_are_read_like_c() {
        // 021 is octal (17, CAP_SYS_RAWIO), 0x15 is 21 (CAP_SYS_ADMIN).
        let r = service("CapabilityBoundingSet=~021 0x15\n");
        pass(&r, "CapabilityBoundingSet_CAP_SYS_RAWIO");
        pass(&r, "CapabilityBoundingSet_CAP_SYS_ADMIN");
        assert_eq!(r.exposure.to_string(), "9.1");
        // Words before a quoting error still count.
        let r = service("CapabilityBoundingSet=CAP_KILL 'cap_chown\n");
        fail(&r, "CapabilityBoundingSet_CAP_KILL", "0.1");
        pass(&r, "CapabilityBoundingSet_CAP_CHOWN_FSETID_SETFCAP");
        assert_eq!(r.exposure.to_string(), "7.2");
    }

    #[test]
    fn errno_names_are_case_insensitive() {
        let r = service("SystemCallFilter=~@cpu-emulation:eperm\n");
        pass(&r, "SystemCallFilter_cpu_emulation");
        assert_eq!(r.exposure.to_string(), "9.5");
    }

    #[test]
    fn ip_prefixes_are_masked_and_bad_words_skipped() {
        // 127.0.0.1/4 is stored as 112.0.0.0/4, which is not localhost.
        let r = service("IPAddressDeny=any\nIPAddressAllow=127.0.0.1/4\n");
        fail(&r, "IPAddressDeny", "0.1");
        // A bad word does not drop the rest of the line.
        let r = service("IPAddressDeny=bogus any\n");
        pass(&r, "IPAddressDeny");
    }
}
