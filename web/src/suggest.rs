//! The first, simple form of the override block: for each failing check that one boolean
//! setting fixes, the line that sets it. (The full advisor, with tiers and tailoring, belongs
//! to core; this is the placeholder the page shows meanwhile.)

use exposure_core::Row;

/// Checks (by `json_field`) that a single `Key=yes` line makes pass.
const BOOLEAN_FIXES: &[&str] = &[
    "LockPersonality",
    "MemoryDenyWriteExecute",
    "NoNewPrivileges",
    "PrivateDevices",
    "PrivateMounts",
    "PrivateNetwork",
    "PrivateTmp",
    "PrivateUsers",
    "ProtectClock",
    "ProtectControlGroups",
    "ProtectHome",
    "ProtectHostname",
    "ProtectKernelLogs",
    "ProtectKernelModules",
    "ProtectKernelTunables",
    "RemoveIPC",
    "RestrictRealtime",
    "RestrictSUIDSGID",
];

/// The line that fixes the check with this `json_field`, if one boolean does.
pub fn boolean_fix(json_field: &str) -> Option<String> {
    BOOLEAN_FIXES
        .contains(&json_field)
        .then(|| format!("{json_field}=yes"))
}

/// The suggested drop-in for these rows: `[Service]` and one line per failing check with a
/// boolean fix, in row order; the empty string when there is nothing to suggest.
pub fn override_block(rows: &[Row]) -> String {
    let mut lines: Vec<String> = Vec::new();
    for row in rows.iter().filter(|r| r.set == Some(false)) {
        if let Some(line) = boolean_fix(row.json_field)
            && !lines.contains(&line)
        {
            lines.push(line);
        }
    }
    if lines.is_empty() {
        return String::new();
    }
    let mut block = String::from("[Service]\n");
    for line in lines {
        block.push_str(&line);
        block.push('\n');
    }
    block
}

#[cfg(test)]
mod tests {
    use exposure_core::Tenths;
    use exposure_core::report::RowDetail;

    use super::*;

    fn row(json_field: &'static str, set: Option<bool>) -> Row {
        Row {
            set,
            name: json_field,
            json_field,
            description: None,
            exposure: set.map(|s| Tenths(if s { 0 } else { 3 })),
            detail: RowDetail::default(),
        }
    }

    #[test]
    fn lists_failing_boolean_checks_under_service() {
        let rows = [
            row("PrivateTmp", Some(false)),
            row("ProtectSystem", Some(false)), // needs a value, not a boolean
            row("PrivateDevices", Some(true)), // passes
            row("PrivateNetwork", None),       // not applicable
            row("NoNewPrivileges", Some(false)),
        ];
        assert_eq!(
            override_block(&rows),
            "[Service]\nPrivateTmp=yes\nNoNewPrivileges=yes\n"
        );
    }

    #[test]
    fn nothing_to_suggest_is_empty() {
        assert_eq!(override_block(&[]), "");
        assert_eq!(override_block(&[row("PrivateTmp", Some(true))]), "");
        assert_eq!(override_block(&[row("UserOrDynamicUser", Some(false))]), "");
    }

    #[test]
    fn a_line_appears_once() {
        let rows = [
            row("PrivateTmp", Some(false)),
            row("PrivateTmp", Some(false)),
        ];
        assert_eq!(override_block(&rows), "[Service]\nPrivateTmp=yes\n");
    }

    #[test]
    fn boolean_fix_knows_only_boolean_settings() {
        assert_eq!(
            boolean_fix("ProtectClock").as_deref(),
            Some("ProtectClock=yes")
        );
        assert_eq!(boolean_fix("CapabilityBoundingSet_CAP_SYS_ADMIN"), None);
        assert_eq!(boolean_fix("protectclock"), None);
    }
}
