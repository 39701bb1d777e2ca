//! Where a finding is: the file and line a person opens (on the terminal), and the artifact
//! and line code scanning shows (in SARIF).
//!
//! Core gives every location as a file (the path of a `systemctl cat` header, or of a file
//! read from disk; `None` for a single pasted unit) and a line of the whole input. For files
//! read from disk that line is the file's own; in a `systemctl cat` text it is the line of
//! the paste, and the file's own line is that minus the line of the file's header.

use std::path::{Component, Path, PathBuf};

/// One file of a `systemctl cat` text: the paste lines it spans.
#[derive(Debug, Clone)]
pub struct CatSpan {
    pub path: String,
    /// The paste line of its `# /path` header; the file's line N is paste line header + N.
    pub header_line: u32,
    /// The last paste line that belongs to it.
    pub last_line: u32,
    /// The paste line of its first `[Service]` header, if it has one.
    pub service_line: Option<u32>,
}

/// How an input was read, which says how to turn core's lines into file lines.
#[derive(Debug, Clone)]
pub enum Source {
    /// A unit and its drop-ins read from disk: lines are already the files' own.
    Disk {
        /// The unit file read (the template for an instance).
        unit_file: String,
        /// The line of its `[Service]` header, if it has one.
        service_line: Option<u32>,
    },
    /// A text: a capture named on the command line (`capture`) or standard input (`None`).
    Text {
        capture: Option<String>,
        /// The files of a `systemctl cat` text (empty for another kind of text).
        cat: Vec<CatSpan>,
        /// For a single unit file's text: the line of its `[Service]` header.
        service_line: Option<u32>,
    },
}

/// A file and a 1-based line in it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Place {
    pub file: String,
    pub line: u32,
}

/// The line of the first `[Service]` header of `text`, counting `text`'s first line as
/// `first`.
pub fn service_line(text: &str, first: u32) -> Option<u32> {
    text.lines()
        .position(|l| l.trim() == "[Service]")
        .map(|i| first + i as u32)
}

impl Source {
    /// The source of a text read from `capture` (or standard input).
    pub fn text(text: &str, capture: Option<String>, kind: exposure_core::InputKind) -> Source {
        let mut cat = Vec::new();
        let mut service = None;
        match kind {
            exposure_core::InputKind::SystemctlCat => {
                let (units, _) = exposure_core::input::split_cat(text);
                for f in units
                    .iter()
                    .flat_map(|u| std::iter::once(&u.unit).chain(&u.dropins))
                {
                    let lines = f.text.lines().count() as u32;
                    cat.push(CatSpan {
                        path: f.path.to_owned(),
                        header_line: f.header_line,
                        last_line: f.header_line + lines,
                        service_line: service_line(f.text, f.header_line + 1),
                    });
                }
            }
            exposure_core::InputKind::UnitFile => service = service_line(text, 1),
            exposure_core::InputKind::SystemctlShow => {}
        }
        Source::Text {
            capture,
            cat,
            service_line: service,
        }
    }

    /// The `systemctl cat` file that holds paste line `line` (named `file`, when known).
    fn cat_file(&self, file: Option<&str>, line: u32) -> Option<&CatSpan> {
        let Source::Text { cat, .. } = self else {
            return None;
        };
        cat.iter().find(|c| {
            c.header_line < line && line <= c.last_line && file.is_none_or(|f| f == c.path)
        })
    }

    /// The file and line a person opens for core's (`file`, `line`): for a `systemctl cat`
    /// text the file its header names and the line within it; `label` names the input when
    /// there is no file.
    pub fn in_file(&self, file: Option<&str>, line: u32, label: &str) -> Place {
        if let Some(c) = self.cat_file(file, line) {
            return Place {
                file: c.path.clone(),
                line: line - c.header_line,
            };
        }
        Place {
            file: file.unwrap_or(label).to_owned(),
            line,
        }
    }

    /// The artifact that holds core's (`file`, `line`), for code scanning: the file read from
    /// disk, or the capture file at the line of the capture; for standard input the file a
    /// `systemctl cat` header names (at its own line), else `stdin`.
    pub fn artifact(&self, file: Option<&str>, line: u32, label: &str) -> Place {
        match self {
            Source::Disk { .. } => Place {
                file: file.unwrap_or(label).to_owned(),
                line,
            },
            Source::Text {
                capture: Some(c), ..
            } => Place {
                file: c.clone(),
                line,
            },
            Source::Text { capture: None, .. } => match self.cat_file(file, line) {
                Some(c) => Place {
                    file: c.path.clone(),
                    line: line - c.header_line,
                },
                None => Place {
                    file: file.unwrap_or("stdin").to_owned(),
                    line,
                },
            },
        }
    }

    /// Where a finding about `unit` as a whole goes (a check no line sets, the unit's
    /// score): the `[Service]` header of its unit file, else the file's first line. `rows`
    /// give the lines of a `systemctl show` capture, which has no header: the first of them.
    pub fn anchor(&self, unit: &str, label: &str, first_origin: Option<u32>) -> Place {
        match self {
            Source::Disk {
                unit_file,
                service_line,
            } => Place {
                file: unit_file.clone(),
                line: service_line.unwrap_or(1),
            },
            Source::Text {
                cat, service_line, ..
            } => {
                if cat.is_empty() {
                    let line = service_line.or(first_origin).unwrap_or(1);
                    return self.artifact(None, line, label);
                }
                let template = template_of(unit);
                let named = |c: &&CatSpan| {
                    let base = c.path.rsplit('/').next().unwrap_or(&c.path);
                    base == unit || template.as_deref() == Some(base)
                };
                let c = cat.iter().find(named).unwrap_or(&cat[0]);
                let line = c.service_line.unwrap_or(c.header_line + 1);
                self.artifact(Some(&c.path), line, label)
            }
        }
    }

    /// The file that identifies a unit in fingerprints: its unit file (for standard input,
    /// the unit file a header names, else `stdin`).
    pub fn unit_file(&self, unit: &str, label: &str) -> String {
        match self {
            Source::Disk { unit_file, .. } => unit_file.clone(),
            Source::Text {
                capture: Some(c), ..
            } => c.clone(),
            Source::Text { .. } => self.anchor(unit, label, None).file,
        }
    }
}

/// `foo@.service` for `foo@i.service`.
pub fn template_of(unit: &str) -> Option<String> {
    let (prefix, rest) = unit.split_once('@')?;
    let (_, suffix) = rest.rsplit_once('.')?;
    Some(format!("{prefix}@.{suffix}"))
}

/// `path` relative to the working directory `cwd` when it is under it (as GitHub wants paths
/// of the checkout), else absolute.
pub fn workspace_path(path: &str, cwd: &Path) -> String {
    let p = Path::new(path);
    let abs = normalize(&if p.is_absolute() {
        p.to_path_buf()
    } else {
        cwd.join(p)
    });
    match abs.strip_prefix(normalize(cwd)) {
        Ok(rel) if !rel.as_os_str().is_empty() => rel.to_string_lossy().into_owned(),
        _ => abs.to_string_lossy().into_owned(),
    }
}

/// A SARIF artifact location for `path`: relative to the working directory (`%SRCROOT%`)
/// when it is under it, else an absolute `file://` URI.
pub fn artifact_location(path: &str, cwd: &Path) -> serde_json::Value {
    let p = Path::new(path);
    let abs = normalize(&if p.is_absolute() {
        p.to_path_buf()
    } else {
        cwd.join(p)
    });
    let cwd = normalize(cwd);
    match abs.strip_prefix(&cwd) {
        Ok(rel) if !rel.as_os_str().is_empty() => serde_json::json!({
            "uri": uri(&rel.to_string_lossy()),
            "uriBaseId": "%SRCROOT%",
        }),
        _ => serde_json::json!({ "uri": format!("file://{}", uri(&abs.to_string_lossy())) }),
    }
}

/// `p` without `.` components and with `..` applied, lexically (the file may not exist: a
/// `systemctl cat` header names a file of another machine).
fn normalize(p: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in p.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            c => out.push(c.as_os_str()),
        }
    }
    out
}

/// `path` as a URI reference (RFC 3986): every byte but the unreserved characters, `/` and
/// `@` (frequent in unit names, allowed in a path) is percent-encoded, so a space, `%`, `#`,
/// `?` or a non-ASCII character in a file name cannot change what the URI means.
pub fn uri(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/@".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use exposure_core::InputKind;

    #[test]
    fn uris_are_percent_encoded() {
        assert_eq!(
            uri("/etc/systemd/system/web@blue.service.d/10-x.conf"),
            "/etc/systemd/system/web@blue.service.d/10-x.conf"
        );
        assert_eq!(
            uri("units/a b%#?\u{e9}:\\x2d.service"),
            "units/a%20b%25%23%3F%C3%A9%3A%5Cx2d.service"
        );
    }

    #[test]
    fn artifacts_are_relative_to_the_working_directory_when_under_it() {
        let cwd = Path::new("/repo");
        let rel = |p| artifact_location(p, cwd);
        assert_eq!(
            rel("units/a.service"),
            serde_json::json!({"uri": "units/a.service", "uriBaseId": "%SRCROOT%"})
        );
        assert_eq!(rel("./units/../a.service")["uri"], "a.service");
        assert_eq!(rel("/repo/b/c.service")["uri"], "b/c.service");
        assert_eq!(
            rel("/etc/systemd/system/x.service"),
            serde_json::json!({"uri": "file:///etc/systemd/system/x.service"})
        );
        assert_eq!(
            rel("../other/x.service"),
            serde_json::json!({"uri": "file:///other/x.service"})
        );
    }

    #[test]
    fn cat_lines_become_file_lines() {
        let cat = "# /lib/a.service\n[Unit]\n[Service]\nExecStart=/x\n\n# /etc/a.service.d/o.conf\n[Service]\nFoo=1\n";
        let s = Source::text(cat, None, InputKind::SystemctlCat);
        let at = s.in_file(Some("/etc/a.service.d/o.conf"), 8, "<stdin>");
        assert_eq!(
            at,
            Place {
                file: "/etc/a.service.d/o.conf".into(),
                line: 2
            }
        );
        assert_eq!(s.anchor("a.service", "<stdin>", None).line, 2);
        // A capture file is the artifact itself, at the line of the capture.
        let s = Source::text(cat, Some("cap.txt".into()), InputKind::SystemctlCat);
        assert_eq!(
            s.artifact(Some("/etc/a.service.d/o.conf"), 8, "cap.txt"),
            Place {
                file: "cap.txt".into(),
                line: 8
            }
        );
        assert_eq!(s.anchor("a.service", "cap.txt", None).line, 3);
        assert_eq!(template_of("a@i.service").as_deref(), Some("a@.service"));
    }
}
