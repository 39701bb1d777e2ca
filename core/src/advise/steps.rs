//! The commands that apply a suggested drop-in, check that the service still works and undo
//! it: plain data, for the command line and the page to print.

use serde::Serialize;

/// The name the suggested drop-in is saved under, in the unit's drop-in folder in /etc.
pub const DROPIN_FILE: &str = "exposure-hardening.conf";

/// What a step is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum StepKind {
    Apply,
    Check,
    Undo,
}

impl StepKind {
    pub fn as_str(self) -> &'static str {
        match self {
            StepKind::Apply => "apply",
            StepKind::Check => "check",
            StepKind::Undo => "undo",
        }
    }
}

/// One step: what it does, and the shell command that does it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Step {
    pub kind: StepKind,
    pub what: String,
    pub command: String,
}

/// A word as a POSIX shell reads it literally: unit names may hold `\` (systemd's escapes,
/// `foo\x2dbar.service`), which must be quoted.
fn quoted(word: &str) -> String {
    if !word.is_empty()
        && word
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"@%+=:,./-_".contains(&b))
    {
        word.to_owned()
    } else {
        format!("'{}'", word.replace('\'', "'\\''"))
    }
}

/// The steps for the drop-in suggested for `unit` (the name as assessed, e.g. `nginx.service`
/// or `getty@tty1.service`): install it as a file of its own, restart and check, and the two
/// ways back — removing that file alone, or reverting every local change of the unit.
pub fn steps(unit: &str) -> Vec<Step> {
    let u = quoted(unit);
    let dir = format!("/etc/systemd/system/{unit}.d");
    let file = quoted(&format!("{dir}/{DROPIN_FILE}"));
    let step = |kind, what: &str, command: String| Step {
        kind,
        what: what.to_owned(),
        command,
    };
    vec![
        step(
            StepKind::Apply,
            &format!(
                "Save the drop-in as {DROPIN_FILE}, install it in the unit's drop-in folder and reload systemd"
            ),
            format!("sudo install -D -m 0644 {DROPIN_FILE} {file} && sudo systemctl daemon-reload"),
        ),
        step(
            StepKind::Apply,
            "Or paste it into the editor systemctl opens (saved as override.conf beside any earlier local changes, and reloaded)",
            format!("sudo systemctl edit {u}"),
        ),
        step(
            StepKind::Check,
            "Restart the service and check that it runs",
            format!("sudo systemctl restart {u} && systemctl is-active {u}"),
        ),
        step(
            StepKind::Check,
            "Read its log since boot: 'Read-only file system', 'Operation not permitted' or 'not present' name what the drop-in took away",
            format!("journalctl -u {u} -b -n 50"),
        ),
        step(
            StepKind::Check,
            "Try what the service does (a page, a query, a login), then compare systemd's score with the prediction",
            format!("systemd-analyze security {u}"),
        ),
        step(
            StepKind::Undo,
            "Remove this drop-in only, reload and restart",
            format!("sudo rm {file} && sudo systemctl daemon-reload && sudo systemctl restart {u}"),
        ),
        step(
            StepKind::Undo,
            "Or revert every local change of the unit (all its drop-ins and overrides in /etc, including earlier ones) and restart",
            format!("sudo systemctl revert {u} && sudo systemctl restart {u}"),
        ),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn steps_apply_check_and_undo_the_drop_in_of_the_unit() {
        let s = steps("nginx.service");
        let cmds: Vec<&str> = s.iter().map(|s| s.command.as_str()).collect();
        assert!(cmds.contains(
            &"sudo systemctl restart nginx.service && systemctl is-active nginx.service"
        ));
        assert!(cmds.contains(&"journalctl -u nginx.service -b -n 50"));
        assert!(cmds.contains(&"systemd-analyze security nginx.service"));
        assert!(
            cmds.iter()
                .any(|c| c.starts_with("sudo systemctl revert nginx.service"))
        );
        // The narrow undo removes exactly the file the first step installs.
        let installed = cmds[0].split(' ').nth(6).unwrap();
        assert_eq!(
            installed,
            "/etc/systemd/system/nginx.service.d/exposure-hardening.conf"
        );
        assert!(
            cmds.iter()
                .any(|c| c.starts_with(&format!("sudo rm {installed} ")))
        );
        let kinds: Vec<StepKind> = s.iter().map(|s| s.kind).collect();
        assert!(kinds.is_sorted_by_key(|k| *k as u8));
    }

    #[test]
    fn escaped_unit_names_are_quoted_for_the_shell() {
        let s = steps("foo\\x2dbar@a b'.service");
        assert!(
            s[2].command
                .starts_with("sudo systemctl restart 'foo\\x2dbar@a b'\\''.service'"),
            "{}",
            s[2].command
        );
        assert_eq!(quoted("getty@tty1.service"), "getty@tty1.service");
    }
}
