//! The check registry: every check systemd-analyze security 252 runs, in one table.
//!
//! Each check lives in a themed file beside its teaching text, the way a linter keeps a rule
//! and its documentation together. A check is one [`Check`] literal with named fields — id,
//! `json_field`, weight, range, texts — with a small `assess` function from the [`Model`] to a
//! badness; beside it, its [`Spec`]: the settings it reads, its pass/fail table and the lines
//! the advisor suggests for it.
//!
//! Two kinds of text sit on a check:
//! - [`SystemdText`]: the exact strings systemd-analyze prints for each outcome. They are
//!   interface data, like the option names: our JSON rows must equal systemd's byte for byte,
//!   and systemd orders its rows by these strings, so we need them to print rows in its order.
//! - [`Doc`]: our own explanation for people (what it does, what it blocks, what it may break).

mod capabilities;
mod devices;
mod filesystem;
mod identity;
mod kernel;
mod misc;
mod namespaces;
mod network;
mod syscall_filter;

use std::borrow::Cow;

use crate::advise::Tier;
use crate::model::Model;
use crate::version::Profile;

/// What a check's rule returns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// A badness in `0..=range`, with systemd's text when the rule makes its own.
    Badness(u32, Option<Cow<'static, str>>),
    /// The check does not apply (e.g. `SupplementaryGroups=` for a root service).
    NotApplicable,
    /// It does not apply, with systemd's text saying why.
    NotApplicableText(Cow<'static, str>),
}

impl Outcome {
    fn of(b: u32) -> Outcome {
        Outcome::Badness(b, None)
    }
    /// Passes (badness 0) when `on`, fails (badness 1) otherwise: the "on passes, off fails"
    /// rule of the boolean settings.
    fn unless(on: bool) -> Outcome {
        Outcome::of(u32::from(!on))
    }
    fn text(b: u32, s: impl Into<Cow<'static, str>>) -> Outcome {
        Outcome::Badness(b, Some(s.into()))
    }
}

/// The strings systemd prints in the DESCRIPTION column for the three fixed outcomes.
#[derive(Debug, Clone, Copy)]
pub struct SystemdText {
    pub good: &'static str,
    pub bad: &'static str,
    pub na: &'static str,
}

/// A theme, for grouping checks on the page and options in the Learn view (which sorts the
/// checks' catch-all `Other` into its finer themes, see `learn::THEMES`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Theme {
    Identity,
    FileSystem,
    Devices,
    Kernel,
    Network,
    SystemCalls,
    Capabilities,
    Namespaces,
    Ipc,
    Resources,
    Other,
}

impl Theme {
    pub fn title(self) -> &'static str {
        match self {
            Theme::Identity => "Identity",
            Theme::FileSystem => "File system",
            Theme::Devices => "Devices",
            Theme::Kernel => "Kernel",
            Theme::Network => "Network",
            Theme::SystemCalls => "System calls",
            Theme::Capabilities => "Capabilities",
            Theme::Namespaces => "Namespaces",
            Theme::Ipc => "IPC",
            Theme::Resources => "Resources",
            Theme::Other => "Other",
        }
    }
}

/// Our own teaching text for a check.
#[derive(Debug, Clone, Copy)]
pub struct Doc {
    /// One line: what a passing result means, in plain words.
    pub good: &'static str,
    /// One line: what a failing result means.
    pub bad: &'static str,
    /// What the setting does and what attack or mistake it blocks.
    pub why: &'static str,
    /// The setting to add to pass, when there is one direct line (e.g. `PrivateTmp=yes`).
    pub fix: Option<&'static str>,
    /// What turning the setting on may break, and how that shows up (an error in the journal,
    /// "Read-only file system", a missing /dev node, a SIGSYS core dump, …).
    pub breaks: &'static str,
    /// How to loosen the setting for one real need instead of dropping it.
    pub relax: &'static str,
    /// A minimal drop-in that passes the check on a plain service: a `[Service]` line and one to
    /// four settings, ready for `systemctl edit`. The tests apply every example to
    /// `ExecStart=/usr/bin/true` and require the check's badness to fall.
    pub example: &'static str,
}

/// One check of the registry.
#[derive(Debug, Clone, Copy)]
pub struct Check {
    /// The id as systemd prints it in the NAME column, e.g. `PrivateDevices=`.
    pub name: &'static str,
    /// The key of the check in JSON output and in security policies.
    pub json_field: &'static str,
    pub weight: u32,
    pub range: u32,
    /// N/A when the unit has `DefaultDependencies=no` (early-boot services).
    pub default_dependencies_only: bool,
    pub assess: fn(&Model, &Profile) -> Outcome,
    pub systemd: SystemdText,
    pub doc: Doc,
    pub theme: Theme,
    /// The directive whose man page section documents the check (anchor in systemd.exec(5),
    /// or systemd.resource-control(5) for the cgroup ones).
    pub directive: &'static str,
    /// The systemd version that introduced the option. [`EARLY`] (1) marks options older than
    /// systemd 38, the oldest release in systemd's NEWS, whose exact release is not recorded.
    pub since: u32,
}

impl Check {
    /// The man page address of the option.
    pub fn url(&self) -> String {
        let page = match self.directive {
            "IPAddressDeny=" | "DeviceAllow=" | "Delegate=" => "systemd.resource-control",
            "NotifyAccess=" => "systemd.service",
            _ => "systemd.exec",
        };
        format!(
            "https://www.freedesktop.org/software/systemd/man/{page}.html#{}",
            self.directive
        )
    }
}

/// `Check::since` for options that predate systemd 38, the oldest release in systemd's NEWS.
pub const EARLY: u32 = 1;

/// systemd's text for a check that a policy or the unit type made not applicable.
pub const NA_DEFAULT: &str = "";
/// systemd's text for the checks skipped because of `DefaultDependencies=no`.
pub const NA_EARLY_BOOT: &str = "Service runs in special boot phase, option is not appropriate";
/// systemd's text for a check a policy disabled (weight 0).
pub const NA_POLICY: &str = "Option excluded by policy, skipping";

/// The registry index of `CapabilityBoundingSet=~CAP_BPF`, the row some versions lack (K2).
pub const CAP_BPF_INDEX: usize = 44;

/// All 81 checks of systemd 252.38/252.39, in systemd's table order.
pub static REGISTRY: [Check; 81] = [
    identity::USER_OR_DYNAMIC_USER,
    identity::SUPPLEMENTARY_GROUPS,
    devices::PRIVATE_DEVICES,
    filesystem::PRIVATE_MOUNTS,
    network::PRIVATE_NETWORK,
    filesystem::PRIVATE_TMP,
    identity::PRIVATE_USERS,
    kernel::PROTECT_CONTROL_GROUPS,
    kernel::PROTECT_KERNEL_MODULES,
    kernel::PROTECT_KERNEL_TUNABLES,
    kernel::PROTECT_KERNEL_LOGS,
    kernel::PROTECT_CLOCK,
    filesystem::PROTECT_HOME,
    kernel::PROTECT_HOSTNAME,
    filesystem::PROTECT_SYSTEM,
    filesystem::ROOT_DIRECTORY,
    kernel::LOCK_PERSONALITY,
    misc::MEMORY_DENY_WRITE_EXECUTE,
    identity::NO_NEW_PRIVILEGES,
    capabilities::SYS_ADMIN,
    capabilities::SET_UID_GID_PCAP,
    capabilities::SYS_PTRACE,
    capabilities::SYS_TIME,
    capabilities::NET_ADMIN,
    capabilities::SYS_RAWIO,
    capabilities::SYS_MODULE,
    capabilities::AUDIT,
    capabilities::SYSLOG,
    capabilities::SYS_NICE_RESOURCE,
    capabilities::MKNOD,
    capabilities::CHOWN_FSETID_SETFCAP,
    capabilities::DAC_FOWNER_IPC_OWNER,
    capabilities::KILL,
    capabilities::NET_BIND_SERVICE_BROADCAST_RAW,
    capabilities::SYS_BOOT,
    capabilities::MAC,
    capabilities::LINUX_IMMUTABLE,
    capabilities::IPC_LOCK,
    capabilities::SYS_CHROOT,
    capabilities::BLOCK_SUSPEND,
    capabilities::WAKE_ALARM,
    capabilities::LEASE,
    capabilities::SYS_TTY_CONFIG,
    capabilities::SYS_PACCT,
    capabilities::BPF,
    filesystem::UMASK,
    misc::KEYRING_MODE,
    filesystem::PROTECT_PROC,
    filesystem::PROC_SUBSET,
    misc::NOTIFY_ACCESS,
    identity::REMOVE_IPC,
    misc::DELEGATE,
    misc::RESTRICT_REALTIME,
    identity::RESTRICT_SUID_SGID,
    namespaces::USER,
    namespaces::MNT,
    namespaces::IPC,
    namespaces::PID,
    namespaces::CGROUP,
    namespaces::NET,
    namespaces::UTS,
    network::AF_INET_INET6,
    network::AF_UNIX,
    network::AF_NETLINK,
    network::AF_PACKET,
    network::AF_OTHER,
    syscall_filter::ARCHITECTURES,
    syscall_filter::SWAP,
    syscall_filter::OBSOLETE,
    syscall_filter::CLOCK,
    syscall_filter::CPU_EMULATION,
    syscall_filter::DEBUG,
    syscall_filter::MOUNT,
    syscall_filter::MODULE,
    syscall_filter::RAW_IO,
    syscall_filter::REBOOT,
    syscall_filter::PRIVILEGED,
    syscall_filter::RESOURCES,
    network::IP_ADDRESS_DENY,
    devices::DEVICE_ALLOW,
    capabilities::AMBIENT,
];

/// What sits beside a check in its file, keyed by `json_field`: the settings it reads and its
/// pass/fail table, in the manner of a linter that keeps `pass` and `fail` snippets next to
/// each rule. Each case is the lines that follow `[Service]\nExecStart=/usr/bin/true\n` in a
/// unit; `tests/conformance/tests/check_cases.rs` runs every case through the real
/// systemd-analyze and our engine and requires both to agree with the table.
#[derive(Debug, Clone, Copy)]
pub struct Spec {
    /// The check's `json_field`.
    pub field: &'static str,
    /// The settings (directive names, without `=`) whose values the check reads, for provenance.
    /// Empty means the setting named like the check's `json_field`.
    pub reads: &'static [&'static str],
    /// Snippets the check passes (badness 0) in every version.
    pub pass: &'static [&'static str],
    /// Snippets the check fails (badness above 0) in every version.
    pub fail: &'static [&'static str],
    /// Snippets for which the check is not applicable in every version.
    pub na: &'static [&'static str],
    /// Snippets whose outcome depends on the version: they pass from the given systemd
    /// release on and fail before it.
    pub pass_from: &'static [(&'static str, u32)],
    /// The lines the advisor suggests for the check, weaker first (within one setting the
    /// strongest one a tier allows wins). The advisor adds what spans checks: capabilities,
    /// system calls, address families, the network, `ProtectSystem=`'s writable paths and
    /// `DynamicUser=`, and it withholds a line when the unit's own lines show it needs what
    /// the line takes away.
    pub suggest: &'static [Suggestion],
}

/// A line the advisor suggests for a check, declared beside it. What it may break is not
/// written again: it is one sentence of the check's [`Doc::breaks`].
#[derive(Debug, Clone, Copy)]
pub struct Suggestion {
    /// The directive, without `=` (most often the one the check is named after).
    pub setting: &'static str,
    pub value: &'static str,
    pub tier: Tier,
    /// Whether the unit wants the line: its check fails in a way the value changes.
    pub when: fn(&Model) -> bool,
    /// Whether the line must first reset a list the unit already sets (an empty assignment):
    /// for the settings whose lists only grow, like `SystemCallArchitectures=`.
    pub reset: fn(&Model) -> bool,
    /// Which sentence of the check's [`Doc::breaks`] (from 0) says what this value may break:
    /// the advisor prints it as the line's risk.
    pub risk: usize,
}

impl Suggestion {
    /// The defaults, for `..Suggestion::NONE`: never suggested, no reset, the first sentence.
    pub const NONE: Suggestion = Suggestion {
        setting: "",
        value: "",
        tier: Tier::Safe,
        when: |_| false,
        reset: |_| false,
        risk: 0,
    };
}

/// Sentence `n` (from 0) of a check's `breaks` text, as a clause: without its final period,
/// and with its first letter lowered unless it opens a name ("System V"). Sentences end
/// with ". ".
pub fn breaks_clause(breaks: &'static str, n: usize) -> Cow<'static, str> {
    let sentence = breaks.split(". ").nth(n).unwrap_or(breaks);
    let sentence = sentence.strip_suffix('.').unwrap_or(sentence);
    let mut words = sentence.split(' ');
    let first = words.next().unwrap_or_default();
    let name = words
        .next()
        .is_some_and(|w| w.chars().all(|c| c.is_ascii_uppercase()));
    let mut chars = first.chars();
    match chars.next() {
        Some(c) if c.is_ascii_uppercase() && !name && !chars.any(|c| c.is_ascii_uppercase()) => {
            Cow::Owned(format!("{}{}", c.to_ascii_lowercase(), &sentence[1..]))
        }
        _ => Cow::Borrowed(sentence),
    }
}

impl Spec {
    /// A spec with nothing in it, for `..Spec::NONE`.
    pub const NONE: Spec = Spec {
        field: "",
        reads: &[],
        pass: &[],
        fail: &[],
        na: &[],
        pass_from: &[],
        suggest: &[],
    };
}

/// Every check's [`Spec`], gathered from the themed files.
pub fn specs() -> impl Iterator<Item = &'static Spec> {
    [
        capabilities::SPECS,
        devices::SPECS,
        filesystem::SPECS,
        identity::SPECS,
        kernel::SPECS,
        misc::SPECS,
        namespaces::SPECS,
        network::SPECS,
        syscall_filter::SPECS,
    ]
    .into_iter()
    .flatten()
}

/// The [`Spec`] of the check with this `json_field`.
pub fn spec(json_field: &str) -> Option<&'static Spec> {
    specs().find(|s| s.field == json_field)
}

/// The settings a check reads (see [`Spec::reads`]).
pub fn reads(check: &'static Check) -> &'static [&'static str] {
    match spec(check.json_field) {
        Some(s) if !s.reads.is_empty() => s.reads,
        _ => std::slice::from_ref(&check.json_field),
    }
}

/// [`reads`] of the check at registry index `check`, looked up once for all checks (every
/// assessment asks it for every row).
pub fn reads_at(check: usize) -> &'static [&'static str] {
    static READS: std::sync::OnceLock<Vec<&'static [&'static str]>> = std::sync::OnceLock::new();
    READS.get_or_init(|| REGISTRY.iter().map(reads).collect())[check]
}

/// Finds a check by `json_field` or by printed name (with or without the trailing `=`).
pub fn find(key: &str) -> Option<(usize, &'static Check)> {
    REGISTRY.iter().enumerate().find(|(_, c)| {
        c.json_field == key
            || c.name == key
            || c.name.strip_suffix('=') == Some(key)
            || c.json_field.eq_ignore_ascii_case(key)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn registry_matches_systemd_totals() {
        // 252.19+ has 81 checks summing to 56460.
        assert_eq!(REGISTRY.iter().map(|c| c.weight).sum::<u32>(), 56460);
        let mut fields: Vec<_> = REGISTRY.iter().map(|c| c.json_field).collect();
        fields.sort_unstable();
        fields.dedup();
        assert_eq!(fields.len(), 81, "json_field values are unique");
        assert!(REGISTRY.iter().all(|c| c.range >= 1));
        assert_eq!(
            REGISTRY[33].json_field,
            "CapabilityBoundingSet_CAP_NET_BIND_SERVICE_BROADCAST_RAW)"
        );
    }

    #[test]
    fn every_check_is_documented() {
        for c in &REGISTRY {
            assert!(
                !c.doc.good.is_empty() && !c.doc.bad.is_empty() && !c.doc.why.is_empty(),
                "{}",
                c.name
            );
            assert!(
                c.url()
                    .starts_with("https://www.freedesktop.org/software/systemd/man/")
            );
            assert!(c.since > 0, "{}", c.name);
        }
    }

    #[test]
    fn every_check_teaches_breakage_relaxation_and_an_example() {
        for c in &REGISTRY {
            let d = &c.doc;
            assert!(
                !d.breaks.trim().is_empty() && !d.relax.trim().is_empty(),
                "{}: breaks and relax must be written",
                c.name
            );
            let body = d
                .example
                .strip_prefix("[Service]\n")
                .unwrap_or_else(|| panic!("{}: example must start with [Service]", c.name));
            assert!(d.example.ends_with('\n'), "{}", c.name);
            let lines = body.lines().count();
            assert!(
                (1..=4).contains(&lines),
                "{}: {lines} setting lines",
                c.name
            );
            let f = crate::syntax::parse(
                d.example,
                None,
                crate::syntax::Origin::default(),
                Some(&["Unit", "Service", "Install"]),
            );
            assert!(!f.fatal && !f.entries.is_empty(), "{}: {f:?}", c.name);
            assert!(
                f.entries.iter().all(|e| &*e.section == "Service"),
                "{}: every example line belongs in [Service]",
                c.name
            );
            assert!(
                f.diagnostics
                    .iter()
                    .all(|x| x.severity < crate::Severity::Warning),
                "{}: {:?}",
                c.name,
                f.diagnostics
            );
        }
    }

    /// The unit every example is applied to.
    const PLAIN: &str = "[Service]\nExecStart=/usr/bin/true\n";
    const DROPIN: &str = "/etc/systemd/system/plain.service.d/example.conf";

    /// Extra lines for checks that a plain root service already passes or for which it is not
    /// applicable: with them the check fails, so the example has something to fix.
    fn failing_base(json_field: &str) -> &'static str {
        match json_field {
            // Root services: not applicable, so start from an unprivileged user with a group.
            "SupplementaryGroups" => "User=app\nSupplementaryGroups=adm\n",
            "RemoveIPC" => "User=app\n",
            // The defaults pass; start from the setting that fails.
            "KeyringMode" => "KeyringMode=shared\n",
            "NotifyAccess" => "NotifyAccess=all\n",
            "Delegate" => "Delegate=yes\n",
            "AmbientCapabilities" => "AmbientCapabilities=CAP_NET_BIND_SERVICE\n",
            _ => "",
        }
    }

    /// The badness of check `idx` for `base` with `dropin` (if any) installed, and the warnings
    /// the drop-in itself caused.
    fn assess_with(base: &str, dropin: Option<&str>, idx: usize) -> (Option<u32>, Vec<String>) {
        let mut files = vec![crate::FileInput::whole(
            Some("/etc/systemd/system/plain.service"),
            base,
        )];
        if let Some(text) = dropin {
            files.push(crate::FileInput::whole(Some(DROPIN), text));
        }
        let r = crate::analyze_unit(
            "plain.service",
            &files,
            // 252, where every example's check fails on a plain service (from 254 an unset
            // PrivateMounts= already passes).
            &crate::Options::for_version(crate::Version::V252),
        )
        .expect("the plain unit loads");
        assert!(r.refused.is_none(), "{:?}", r.refused);
        let row = r
            .rows
            .iter()
            .find(|row| row.detail.check == idx)
            .expect("every check has a row");
        let warnings = r
            .diagnostics
            .iter()
            .filter(|d| d.severity >= crate::Severity::Warning && d.file.as_deref() == Some(DROPIN))
            .map(|d| d.message.clone())
            .collect();
        (row.detail.badness, warnings)
    }

    /// The strong test: each example, installed as a drop-in, lowers its own check's badness,
    /// and on a plain service it passes the check outright.
    ///
    /// There are no exceptions at systemd 252: every check has a one-snippet pass. Six checks pass
    /// (or do not apply to) a plain root service, so they are measured against the failing base
    /// of `failing_base` instead. Two things a reader might expect to be exceptions are not:
    /// `DeviceAllow=` passes with `DevicePolicy=closed` alone (ProtectClock=yes would add a
    /// char-rtc entry and cap it at a partial score, so its example leaves ProtectClock out), and
    /// `SystemCallFilter=~@privileged` / `~@resources` need the deny line after `@system-service`,
    /// which includes parts of both groups.
    #[test]
    fn every_example_lowers_its_check() {
        for (idx, c) in REGISTRY.iter().enumerate() {
            let base = format!("{PLAIN}{}", failing_base(c.json_field));
            let (before, _) = assess_with(&base, None, idx);
            let (after, warnings) = assess_with(&base, Some(c.doc.example), idx);
            assert!(
                warnings.is_empty(),
                "{}: the example draws warnings: {warnings:?}",
                c.name
            );
            let lower = match (before, after) {
                (Some(b), Some(a)) => a < b,
                (None, Some(0)) => true,
                _ => false,
            };
            assert!(
                lower,
                "{}: badness {before:?} -> {after:?} with\n{}",
                c.name, c.doc.example
            );
            let (plain, _) = assess_with(PLAIN, Some(c.doc.example), idx);
            assert_eq!(
                plain,
                Some(0),
                "{}: the example should pass on its own",
                c.name
            );
        }
    }

    /// Every check has a spec beside it, with at least two passing and two failing cases.
    #[test]
    fn every_check_has_a_pass_fail_table() {
        for c in &REGISTRY {
            let s = spec(c.json_field).unwrap_or_else(|| panic!("{}: no Spec", c.name));
            assert!(
                s.pass.len() >= 2 && s.fail.len() >= 2,
                "{}: {} pass, {} fail cases",
                c.name,
                s.pass.len(),
                s.fail.len()
            );
        }
        assert_eq!(specs().count(), REGISTRY.len(), "one Spec per check");
    }

    /// Our engine agrees with every table at 252 (the conformance test `check_cases` holds the
    /// tables to the real systemd-analyze of each release).
    #[test]
    fn the_engine_agrees_with_every_table_at_252() {
        let mut wrong = Vec::new();
        for (idx, c) in REGISTRY.iter().enumerate() {
            let s = spec(c.json_field).unwrap();
            let from = s.pass_from.iter().map(|&(u, v)| (u, v <= 252));
            let expected = s
                .pass
                .iter()
                .map(|&u| (u, true))
                .chain(s.fail.iter().map(|&u| (u, false)))
                .chain(from);
            for (unit, pass) in expected {
                let (got, _) = assess_with(&format!("{PLAIN}{unit}\n"), None, idx);
                if got.is_none() || (got == Some(0)) != pass {
                    wrong.push(format!(
                        "{}: {unit:?} should {} but has badness {got:?}",
                        c.name,
                        if pass { "pass" } else { "fail" }
                    ));
                }
            }
            for unit in s.na {
                let (got, _) = assess_with(&format!("{PLAIN}{unit}\n"), None, idx);
                if got.is_some() {
                    wrong.push(format!(
                        "{}: {unit:?} should be N/A but has badness {got:?}",
                        c.name
                    ));
                }
            }
        }
        assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    }

    /// Every line a check suggests names a sentence of the check's `breaks` as its risk, and
    /// once installed on a unit that wants it, the unit no longer does.
    #[test]
    fn every_suggestion_has_a_risk_and_satisfies_itself() {
        let mut n = 0;
        for c in &REGISTRY {
            for s in spec(c.json_field).unwrap().suggest {
                n += 1;
                assert!(!s.setting.is_empty() && !s.value.is_empty(), "{}", c.name);
                let sentences = c.doc.breaks.split(". ").count();
                assert!(s.risk < sentences, "{}: no sentence {}", c.name, s.risk);
                let risk = breaks_clause(c.doc.breaks, s.risk);
                assert!(
                    !risk.is_empty() && !risk.ends_with('.'),
                    "{}: {risk}",
                    c.name
                );
                let line = format!("{}={}", s.setting, s.value);
                let dropin = format!("[Service]\n{line}\n");
                let files = [
                    crate::FileInput::whole(Some("/etc/systemd/system/plain.service"), PLAIN),
                    crate::FileInput::whole(Some(DROPIN), &dropin),
                ];
                let model = crate::load_unit("plain.service", &files, crate::Version::V252)
                    .expect("the plain unit loads")
                    .loaded
                    .model;
                assert!(
                    !(s.when)(&model),
                    "{}: {line} leaves the unit wanting it",
                    c.name
                );
            }
        }
        assert!(n >= 25, "{n} suggestions");
    }

    #[test]
    fn a_risk_is_one_sentence_as_a_clause() {
        let text = "Writes fail. System V objects go. /home is empty. With UMask=0077, x.";
        assert_eq!(breaks_clause(text, 0), "writes fail");
        assert_eq!(breaks_clause(text, 1), "System V objects go");
        assert_eq!(breaks_clause(text, 2), "/home is empty");
        assert_eq!(breaks_clause(text, 3), "with UMask=0077, x");
        assert_eq!(
            breaks_clause("sd_notify is ignored.", 0),
            "sd_notify is ignored"
        );
    }

    #[test]
    fn find_by_field_or_name() {
        assert_eq!(find("PrivateTmp").unwrap().1.name, "PrivateTmp=");
        assert_eq!(find("PrivateTmp=").unwrap().1.json_field, "PrivateTmp");
        assert!(find("Nope").is_none());
    }
}
