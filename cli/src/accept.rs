//! Accepted risks: a check a unit is allowed to fail, with the reason written down.
//!
//! In a unit file or drop-in, a comment
//! `# exposure: accept PrivateNetwork ProtectHome -- serves DHCP on the host network`
//! (check names or json fields, then `--` and a reason, which is required); or an entry of
//! the file given with `--accept FILE` (JSON, see README). systemd's score is unchanged; the
//! unit also gets the score with its accepted checks given weight 0, as a policy would, and
//! `--threshold` applies to that one.

use std::path::Path;

use exposure_core::checks::REGISTRY;
use exposure_core::{Diagnostic, FileInput, Severity, Span};
use serde_json::Value;

/// One accepted check of one unit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Accepted {
    /// Registry index of the check.
    pub check: usize,
    pub reason: String,
    /// Where it was accepted: `FILE:LINE` of the comment, or the `--accept` file and entry.
    pub source: String,
    /// The last day it holds (`YYYY-MM-DD`), from an `--accept` file.
    pub expires: Option<String>,
    /// Accepted by a comment in the unit's own files (SARIF's `inSource`), not a file.
    pub in_source: bool,
}

/// The checks a comment's list names, and the names it does not know.
fn resolve(list: &str) -> (Vec<usize>, Vec<String>) {
    let (mut found, mut unknown) = (Vec::new(), Vec::new());
    for name in list
        .split(|c: char| c.is_whitespace() || c == ',')
        .filter(|s| !s.is_empty())
    {
        match exposure_core::checks::find(name) {
            Some((i, _)) => found.push(i),
            None => unknown.push(name.to_owned()),
        }
    }
    (found, unknown)
}

fn unknown_check(name: &str) -> Diagnostic {
    let mut d = Diagnostic::new(
        Severity::Warning,
        "accept-unknown-check",
        format!("exposure: accept names {name:?}, which is not a check; it is not accepted"),
    );
    if let Some(m) = crate::names::did_you_mean(name).first() {
        d = d.with_help(format!("did you mean {m}?"));
    }
    d
}

/// The acceptances written as comments in a unit's `files`, and the diagnostics of the
/// comments that are wrong (no reason: nothing accepted; an unknown check: the others are).
/// Lines are those of the input (`line_base` + the line in the file), as core's.
pub fn from_comments(files: &[FileInput<'_>], label: &str) -> (Vec<Accepted>, Vec<Diagnostic>) {
    let (mut accepted, mut diags) = (Vec::new(), Vec::new());
    for f in files {
        let mut offset = f.offset;
        for (i, raw) in f.text.split_inclusive('\n').enumerate() {
            let start = offset;
            offset += raw.len();
            let line = raw.trim();
            let Some(rest) = line
                .strip_prefix('#')
                .or_else(|| line.strip_prefix(';'))
                .map(str::trim_start)
                .and_then(|r| r.strip_prefix("exposure:"))
                .map(str::trim_start)
                .and_then(|r| r.strip_prefix("accept"))
                .filter(|r| r.is_empty() || r.starts_with(char::is_whitespace))
            else {
                continue;
            };
            let at = Span {
                line: f.line_base + i as u32 + 1,
                start: start as u32,
                end: (start + raw.trim_end().len()) as u32,
            };
            let (list, reason) = match rest.split_once(" --") {
                Some((l, r)) => (l, r.trim()),
                None => (rest, ""),
            };
            let (checks, unknown) = resolve(list);
            diags.extend(unknown.iter().map(|n| unknown_check(n).at(f.path, at)));
            if reason.is_empty() {
                diags.push(
                    Diagnostic::new(
                        Severity::Warning,
                        "accept-without-reason",
                        "exposure: accept without a reason accepts nothing",
                    )
                    .at(f.path, at)
                    .with_help("write the reason after --, e.g. # exposure: accept PrivateNetwork -- serves DHCP on the host network"),
                );
                continue;
            }
            if checks.is_empty() && unknown.is_empty() {
                diags.push(
                    Diagnostic::new(
                        Severity::Warning,
                        "accept-unknown-check",
                        "exposure: accept names no check",
                    )
                    .at(f.path, at),
                );
            }
            let file = f.path.unwrap_or(label);
            let file_line = at.line - f.line_base;
            accepted.extend(checks.into_iter().map(|check| Accepted {
                check,
                reason: reason.to_owned(),
                source: format!("{file}:{file_line}"),
                expires: None,
                in_source: true,
            }));
        }
    }
    (accepted, diags)
}

/// One entry of an `--accept` file.
#[derive(Debug, Clone)]
struct Entry {
    unit: String,
    checks: Vec<usize>,
    unknown: Vec<String>,
    reason: Option<String>,
    expires: Option<String>,
}

/// An `--accept` file: `{"accept": [{"unit", "checks", "reason", "expires"}]}`.
#[derive(Debug, Clone)]
pub struct AcceptFile {
    path: String,
    entries: Vec<Entry>,
}

/// Whether `date` is `YYYY-MM-DD`.
fn is_date(date: &str) -> bool {
    let b = date.as_bytes();
    b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit())
}

/// Reads an `--accept` file; the message says what is wrong with it.
pub fn read_file(path: &Path) -> Result<AcceptFile, String> {
    let display = path.display().to_string();
    let mut warnings = Vec::new();
    let text = crate::files::read_file(path, &mut warnings).map_err(|e| e.0)?;
    crate::complain_all(&warnings);
    let v: Value = serde_json::from_str(&text)
        .map_err(|e| format!("{display}:{}:{}: not JSON: {e}", e.line(), e.column()))?;
    let list = v
        .get("accept")
        .and_then(Value::as_array)
        .ok_or_else(|| format!("{display}: expected {{\"accept\": [...]}}"))?;
    let mut entries = Vec::new();
    for (n, e) in list.iter().enumerate() {
        let at = format!("{display}: accept[{n}]");
        let text_of = |key: &str| -> Result<Option<String>, String> {
            match e.get(key) {
                None | Some(Value::Null) => Ok(None),
                Some(Value::String(s)) => Ok(Some(s.clone())),
                Some(_) => Err(format!("{at}: {key} must be a string")),
            }
        };
        let unit = text_of("unit")?.filter(|u| !u.is_empty()).ok_or_else(|| {
            format!("{at}: unit (a unit name or glob such as web-*.service) is required")
        })?;
        let checks = match e.get("checks") {
            Some(Value::Array(a)) => a
                .iter()
                .map(|c| c.as_str().map(str::to_owned))
                .collect::<Option<Vec<String>>>()
                .ok_or_else(|| format!("{at}: checks must be a list of check names"))?,
            Some(Value::String(s)) => vec![s.clone()],
            _ => return Err(format!("{at}: checks (a list of check names) is required")),
        };
        let (checks, unknown) = resolve(&checks.join(" "));
        let expires = text_of("expires")?;
        if let Some(d) = &expires
            && !is_date(d)
        {
            return Err(format!(
                "{at}: expires must be a date, YYYY-MM-DD (not {d:?})"
            ));
        }
        entries.push(Entry {
            unit,
            checks,
            unknown,
            reason: text_of("reason")?.filter(|r| !r.trim().is_empty()),
            expires,
        });
    }
    Ok(AcceptFile {
        path: display,
        entries,
    })
}

/// `name` matched against a glob with `*` (any run of characters) and `?` (one character).
pub fn glob(pattern: &str, name: &str) -> bool {
    let (p, n): (Vec<char>, Vec<char>) = (pattern.chars().collect(), name.chars().collect());
    let (mut pi, mut ni) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while ni < n.len() {
        if pi < p.len() && (p[pi] == '?' || p[pi] == n[ni]) {
            pi += 1;
            ni += 1;
        } else if pi < p.len() && p[pi] == '*' {
            star = Some((pi, ni));
            pi += 1;
        } else if let Some((sp, sn)) = star {
            pi = sp + 1;
            ni = sn + 1;
            star = Some((sp, sn + 1));
        } else {
            return false;
        }
    }
    p[pi..].iter().all(|&c| c == '*')
}

impl AcceptFile {
    /// The acceptances of the file for `unit` on day `today` (`YYYY-MM-DD`), and the
    /// diagnostics of its entries that apply to the unit but accept nothing: no reason, an
    /// expiry date past, an unknown check.
    pub fn for_unit(&self, unit: &str, today: &str) -> (Vec<Accepted>, Vec<Diagnostic>) {
        let (mut accepted, mut diags) = (Vec::new(), Vec::new());
        for (n, e) in self.entries.iter().enumerate() {
            if !glob(&e.unit, unit) {
                continue;
            }
            let source = format!("{} (accept[{n}])", self.path);
            let file = Some(self.path.as_str());
            diags.extend(e.unknown.iter().map(|name| {
                let mut d = unknown_check(name);
                d.file = file.map(str::to_owned);
                d
            }));
            let Some(reason) = &e.reason else {
                let mut d = Diagnostic::new(
                    Severity::Warning,
                    "accept-without-reason",
                    format!("{source}: an acceptance without a reason accepts nothing"),
                )
                .with_help("add \"reason\": why the unit needs what the check forbids");
                d.file = file.map(str::to_owned);
                diags.push(d);
                continue;
            };
            if let Some(x) = &e.expires
                && x.as_str() < today
            {
                let mut d = Diagnostic::new(
                    Severity::Warning,
                    "accept-expired",
                    format!(
                        "{source}: the acceptance of {} expired on {x}; the checks count again",
                        e.checks
                            .iter()
                            .map(|&c| REGISTRY[c].json_field)
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                )
                .with_help("review the reason, then remove the entry or move its date");
                d.file = file.map(str::to_owned);
                diags.push(d);
                continue;
            }
            accepted.extend(e.checks.iter().map(|&check| Accepted {
                check,
                reason: reason.clone(),
                source: source.clone(),
                expires: e.expires.clone(),
                in_source: false,
            }));
        }
        (accepted, diags)
    }
}

/// What follows systemd's overall line for a unit with accepted risks: each accepted check
/// with what it costs and why, then the score with them. Nothing for other units, whose
/// output stays systemd's byte for byte.
pub fn table_lines(a: &crate::Assessed, style: crate::render::Style) -> String {
    let Some(e) = a.accepted_exposure else {
        return String::new();
    };
    let arrow = if style.utf8 { "→" } else { "->" };
    let mut out = String::new();
    for x in &a.accepted {
        let c = &REGISTRY[x.check];
        let cost = a
            .report
            .rows
            .iter()
            .find(|r| r.detail.check == x.check)
            .and_then(|r| r.exposure)
            .map(|e| format!(" ({e})"))
            .unwrap_or_default();
        out.push_str(&format!(
            "  accepted {}{cost}: {} [{}]\n",
            c.name,
            exposure_core::printable(&x.reason),
            exposure_core::printable(&x.source)
        ));
    }
    let p = exposure_core::Predicate::of(e);
    out.push_str(&format!(
        "{arrow} Exposure level with {} accepted risk{} for {}: {e} {p} (the threshold applies to it)\n",
        a.accepted.len(),
        if a.accepted.len() == 1 { "" } else { "s" },
        exposure_core::printable(&a.report.unit)
    ));
    out
}

/// Today's date in UTC, `YYYY-MM-DD` (from the system clock: expiry is the only use).
pub fn today() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    civil(secs / 86_400)
}

/// The date `days` after 1970-01-01 (Howard Hinnant's days-to-civil algorithm).
fn civil(days: u64) -> String {
    let z = days as i64 + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("{y:04}-{m:02}-{d:02}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(text: &str) -> FileInput<'_> {
        FileInput::whole(Some("u.service"), text)
    }

    #[test]
    fn comments_accept_checks_with_a_reason() {
        let text = "[Service]\n# exposure: accept PrivateNetwork, ProtectHome= -- serves DHCP\n; exposure: accept PrivateTmp\n# exposure: accept PrivatTmp -- typo\n# exposure: acceptable\n";
        let (a, d) = from_comments(&[file(text)], "u");
        let got: Vec<(&str, &str, &str)> = a
            .iter()
            .map(|x| {
                (
                    REGISTRY[x.check].json_field,
                    x.reason.as_str(),
                    x.source.as_str(),
                )
            })
            .collect();
        assert_eq!(
            got,
            [
                ("PrivateNetwork", "serves DHCP", "u.service:2"),
                ("ProtectHome", "serves DHCP", "u.service:2")
            ]
        );
        let codes: Vec<(&str, Option<u32>)> = d.iter().map(|d| (d.code, d.line())).collect();
        assert_eq!(
            codes,
            [
                ("accept-without-reason", Some(3)),
                ("accept-unknown-check", Some(4))
            ]
        );
        assert_eq!(d[1].help.as_deref(), Some("did you mean PrivateTmp?"));
    }

    #[test]
    fn globs_and_dates() {
        assert!(glob("web-*.service", "web-blue.service"));
        assert!(glob("*", "a.service"));
        assert!(glob("a?.service", "ab.service"));
        assert!(!glob("web-*.service", "db.service"));
        assert!(!glob("a.service", "a.service.x"));
        assert_eq!(civil(0), "1970-01-01");
        assert_eq!(civil(20_454), "2026-01-01");
        assert_eq!(civil(11_016), "2000-02-29");
        assert!(is_date("2027-01-31") && !is_date("2027-1-31"));
    }
}
