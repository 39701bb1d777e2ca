//! Unit names: types, templates and instances, and the name specifiers (`%n`, `%i`, …).

/// The unit types systemd knows, with what they carry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UnitType {
    Service,
    Socket,
    Mount,
    Swap,
    Slice,
    Scope,
    Target,
    Timer,
    Path,
    Automount,
    Device,
}

impl UnitType {
    pub fn from_suffix(s: &str) -> Option<UnitType> {
        Some(match s {
            "service" => UnitType::Service,
            "socket" => UnitType::Socket,
            "mount" => UnitType::Mount,
            "swap" => UnitType::Swap,
            "slice" => UnitType::Slice,
            "scope" => UnitType::Scope,
            "target" => UnitType::Target,
            "timer" => UnitType::Timer,
            "path" => UnitType::Path,
            "automount" => UnitType::Automount,
            "device" => UnitType::Device,
            _ => return None,
        })
    }
    pub fn suffix(self) -> &'static str {
        match self {
            UnitType::Service => "service",
            UnitType::Socket => "socket",
            UnitType::Mount => "mount",
            UnitType::Swap => "swap",
            UnitType::Slice => "slice",
            UnitType::Scope => "scope",
            UnitType::Target => "target",
            UnitType::Timer => "timer",
            UnitType::Path => "path",
            UnitType::Automount => "automount",
            UnitType::Device => "device",
        }
    }
    /// The type's own section, e.g. `Service`.
    pub fn section(self) -> Option<&'static str> {
        Some(match self {
            UnitType::Service => "Service",
            UnitType::Socket => "Socket",
            UnitType::Mount => "Mount",
            UnitType::Swap => "Swap",
            UnitType::Slice => "Slice",
            UnitType::Scope => "Scope",
            UnitType::Timer => "Timer",
            UnitType::Path => "Path",
            UnitType::Automount => "Automount",
            UnitType::Target | UnitType::Device => return None,
        })
    }
    /// Sections a unit file of this type may have.
    pub fn sections(self) -> &'static [&'static str] {
        match self {
            UnitType::Service => &["Unit", "Service", "Install"],
            UnitType::Socket => &["Unit", "Socket", "Install"],
            UnitType::Mount => &["Unit", "Mount", "Install"],
            UnitType::Swap => &["Unit", "Swap", "Install"],
            UnitType::Slice => &["Unit", "Slice", "Install"],
            UnitType::Scope => &["Unit", "Scope", "Install"],
            UnitType::Timer => &["Unit", "Timer", "Install"],
            UnitType::Path => &["Unit", "Path", "Install"],
            UnitType::Automount => &["Unit", "Automount", "Install"],
            UnitType::Target | UnitType::Device => &["Unit", "Install"],
        }
    }
    pub fn has_exec_context(self) -> bool {
        matches!(
            self,
            UnitType::Service | UnitType::Socket | UnitType::Mount | UnitType::Swap
        )
    }
    pub fn has_cgroup_context(self) -> bool {
        self.has_exec_context() || matches!(self, UnitType::Slice | UnitType::Scope)
    }
}

/// A parsed unit name such as `foo@bar.service`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnitName {
    pub full: String,
    /// Everything before `@` (or before the suffix).
    pub prefix: String,
    /// The instance, for `foo@bar.service`; empty for a template `foo@.service`.
    pub instance: Option<String>,
    pub kind: UnitType,
}

impl UnitName {
    /// Parses a unit name; `None` when it is not valid (no known suffix, bad characters).
    pub fn parse(name: &str) -> Option<UnitName> {
        let (stem, suffix) = name.rsplit_once('.')?;
        let kind = UnitType::from_suffix(suffix)?;
        if stem.is_empty() || name.len() > 255 {
            return None;
        }
        let valid = |s: &str| {
            s.chars()
                .all(|c| c.is_ascii_alphanumeric() || ":-_.\\".contains(c))
        };
        let (prefix, instance) = match stem.split_once('@') {
            Some((p, i)) => {
                if p.is_empty() || !valid(p) || !valid(i) || i.contains('@') {
                    return None;
                }
                (p.to_owned(), Some(i.to_owned()))
            }
            None => {
                if !valid(stem) {
                    return None;
                }
                (stem.to_owned(), None)
            }
        };
        Some(UnitName {
            full: name.to_owned(),
            prefix,
            instance,
            kind,
        })
    }

    /// The instance of this template that `name` names (`foo@bar.service` for `foo@.service`),
    /// if it names one.
    pub fn instance_named(&self, name: &str) -> Option<UnitName> {
        let n = UnitName::parse(name)?;
        (self.is_template()
            && !n.is_template()
            && n.instance.is_some()
            && n.prefix == self.prefix
            && n.kind == self.kind)
            .then_some(n)
    }

    pub fn is_template(&self) -> bool {
        self.instance.as_deref() == Some("")
    }

    /// The name systemd-analyze 252 assesses for this name: a template gets instance `i`.
    pub fn assessed(&self) -> UnitName {
        self.assessed_as("i")
    }

    /// The name a template is assessed under with the given instance (K9: `i` offline up to
    /// 256, `test_instance` from 257); other names are themselves.
    pub fn assessed_as(&self, instance: &str) -> UnitName {
        if self.is_template() {
            let full = format!("{}@{instance}.{}", self.prefix, self.kind.suffix());
            UnitName {
                full,
                instance: Some(instance.into()),
                ..self.clone()
            }
        } else {
            self.clone()
        }
    }

    /// The template this instance comes from (`foo@bar.service` → `foo@.service`).
    pub fn template(&self) -> Option<String> {
        self.instance
            .as_ref()
            .map(|_| format!("{}@.{}", self.prefix, self.kind.suffix()))
    }

    /// Resolves the specifiers in `s` the way systemd's system manager does (`unit_full_printf()`).
    /// Name specifiers come from the unit name; the directories and the identity of the system
    /// manager have fixed values (`%t` is `/run`, `%u` is `root`, `%h` is `/root`, …). Facts of
    /// the host (`%H`, `%m`, `%b`, …) stay as written. `Err(spec)` names an unknown specifier,
    /// which systemd rejects.
    pub fn expand_specifiers(&self, s: &str) -> Result<String, char> {
        if !s.contains('%') {
            return Ok(s.to_owned());
        }
        let mut out = String::with_capacity(s.len());
        let mut it = s.chars();
        while let Some(c) = it.next() {
            if c != '%' {
                out.push(c);
                continue;
            }
            let Some(spec) = it.next() else {
                // A stray '%' at the end is kept.
                out.push('%');
                break;
            };
            let stem = self.full.rsplit_once('.').map_or(&*self.full, |(s, _)| s);
            match spec {
                '%' => out.push('%'),
                'n' => out.push_str(&self.full),
                'N' => out.push_str(stem),
                'p' => out.push_str(&self.prefix),
                'P' => out.push_str(&unescape(&self.prefix)),
                'i' => out.push_str(self.instance.as_deref().unwrap_or("")),
                'I' => out.push_str(&unescape(self.instance.as_deref().unwrap_or(""))),
                'j' => out.push_str(self.prefix.rsplit('-').next().unwrap_or("")),
                'J' => out.push_str(&unescape(self.prefix.rsplit('-').next().unwrap_or(""))),
                'f' => {
                    let name = self.instance.as_deref().unwrap_or(&self.prefix);
                    out.push('/');
                    out.push_str(unescape(name).trim_start_matches('/'));
                }
                // The system manager's directories and identity.
                't' => out.push_str("/run"),
                'S' => out.push_str("/var/lib"),
                'C' => out.push_str("/var/cache"),
                'L' => out.push_str("/var/log"),
                'E' => out.push_str("/etc"),
                'T' => out.push_str("/tmp"),
                'V' => out.push_str("/var/tmp"),
                'd' => {
                    out.push_str("/run/credentials/");
                    out.push_str(&self.full);
                }
                'h' => out.push_str("/root"),
                's' => out.push_str("/bin/sh"),
                'u' | 'g' => out.push_str("root"),
                'U' | 'G' => out.push('0'),
                'R' => out.push('/'),
                'r' => out.push_str("/system.slice"),
                'c' => {
                    out.push_str("/system.slice/");
                    out.push_str(&self.full);
                }
                // The unit file's own path; only its being absolute matters here.
                'y' => {
                    out.push_str("/etc/systemd/system/");
                    out.push_str(&self.full);
                }
                'Y' => out.push_str("/etc/systemd/system"),
                // Host facts: keep them as written; systemd would fill them in at load time.
                'a' | 'A' | 'b' | 'B' | 'H' | 'l' | 'm' | 'M' | 'o' | 'q' | 'v' | 'w' | 'W' => {
                    out.push('%');
                    out.push(spec);
                }
                // Any other letter or digit is an error; other characters are kept as is.
                other if other.is_ascii_alphanumeric() => return Err(other),
                other => {
                    out.push('%');
                    out.push(other);
                }
            }
        }
        Ok(out)
    }
}

/// Undoes systemd's name escaping: `-` becomes `/`, `\xNN` the byte NN.
fn unescape(s: &str) -> String {
    let mut out = Vec::new();
    let b = s.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'-' {
            out.push(b'/');
            i += 1;
        } else if b[i] == b'\\' && i + 3 < b.len() && b[i + 1] == b'x' {
            let hex = std::str::from_utf8(&b[i + 2..i + 4]).ok();
            match hex.and_then(|h| u8::from_str_radix(h, 16).ok()) {
                Some(v) => {
                    out.push(v);
                    i += 4;
                }
                None => {
                    out.push(b[i]);
                    i += 1;
                }
            }
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_names() {
        let n = UnitName::parse("foo@bar.service").unwrap();
        assert_eq!(n.prefix, "foo");
        assert_eq!(n.instance.as_deref(), Some("bar"));
        assert_eq!(n.kind, UnitType::Service);
        assert_eq!(n.template().as_deref(), Some("foo@.service"));
        assert!(UnitName::parse("foo").is_none());
        assert!(UnitName::parse("foo.bogus").is_none());
        assert!(UnitName::parse("a b.service").is_none());
        assert!(UnitName::parse("@x.service").is_none());
    }

    #[test]
    fn templates_are_assessed_as_instance_i() {
        let n = UnitName::parse("getty@.service").unwrap();
        assert!(n.is_template());
        assert_eq!(n.assessed().full, "getty@i.service");
    }

    #[test]
    fn specifiers() {
        let n = UnitName::parse("openvpn-client@my-vpn.service").unwrap();
        assert_eq!(n.expand_specifiers("%i").unwrap(), "my-vpn");
        assert_eq!(n.expand_specifiers("%I").unwrap(), "my/vpn");
        assert_eq!(
            n.expand_specifiers("%p:%j:%n").unwrap(),
            "openvpn-client:client:openvpn-client@my-vpn.service"
        );
        assert_eq!(n.expand_specifiers("%H/x").unwrap(), "%H/x");
        // The system manager's directories and identity have fixed values.
        assert_eq!(
            n.expand_specifiers("%t/%S:%u:%U:%h").unwrap(),
            "/run//var/lib:root:0:/root"
        );
        assert_eq!(n.expand_specifiers("100%%").unwrap(), "100%");
        assert_eq!(n.expand_specifiers("%Q"), Err('Q'));
        // systemd keeps a stray '%' at the end and '%' before a non-alphanumeric character.
        assert_eq!(n.expand_specifiers("50%").unwrap(), "50%");
        assert_eq!(n.expand_specifiers("%-x").unwrap(), "%-x");
    }
}
