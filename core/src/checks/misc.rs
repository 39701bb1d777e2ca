//! Memory, keyring, notification, delegation and scheduling.

use super::{Check, Doc, NA_DEFAULT, Outcome, SystemdText, Theme, boolean_check};
use crate::model::{KeyringMode, NotifyAccess};

pub const MEMORY_DENY_WRITE_EXECUTE: Check = boolean_check!(
    "MemoryDenyWriteExecute",
    memory_deny_write_execute,
    weight = 100,
    Theme::Other,
    since = 231,
    default_deps_only = false,
    systemd = (
        "Service cannot create writable executable memory mappings",
        "Service may create writable executable memory mappings"
    ),
    doc = (
        "Cannot create memory that is both writable and executable.",
        "May create writable and executable memory, which makes injected code easy to run.",
        "MemoryDenyWriteExecute=yes forbids memory mappings that are writable and executable at once, \
         or become executable later. Exploits that write shellcode into memory and jump to it are \
         stopped. Just-in-time compilers need such memory: Java, Node.js, .NET, LuaJIT and PCRE with \
         JIT crash or fall back to slower paths."
    )
);

/// `KeyringMode=`: whether the service shares the kernel keyring with others.
pub const KEYRING_MODE: Check = Check {
    name: "KeyringMode=",
    json_field: "KeyringMode",
    weight: 1000,
    range: 1,
    default_dependencies_only: false,
    assess: |m| Outcome::of(u32::from(m.keyring_mode != Some(KeyringMode::Private))),
    systemd: SystemdText {
        good: "Service doesn't share key material with other services",
        bad: "Service shares key material with other service",
        na: NA_DEFAULT,
    },
    doc: Doc {
        good: "Has its own session keyring.",
        bad: "Shares kernel keyring key material with other processes.",
        why: "KeyringMode=private (the default for system services) gives the service its own session \
              keyring, so keys it stores (disk encryption, Kerberos, NFS credentials) cannot be read by \
              other services. shared links in the user keyring; inherit passes on the caller's.",
        fix: Some("KeyringMode=private"),
    },
    theme: Theme::Other,
    directive: "KeyringMode=",
    since: 235,
};

/// `NotifyAccess=`: who may send readiness and status messages for the service.
pub const NOTIFY_ACCESS: Check = Check {
    name: "NotifyAccess=",
    json_field: "NotifyAccess",
    weight: 1000,
    range: 1,
    default_dependencies_only: false,
    assess: |m| Outcome::of(u32::from(m.notify_access == Some(NotifyAccess::All))),
    systemd: SystemdText {
        good: "Service child processes cannot alter service state",
        bad: "Service child processes may alter service state",
        na: NA_DEFAULT,
    },
    doc: Doc {
        good: "Only the main process (or none) may send sd_notify messages.",
        bad: "Any process of the service may claim readiness, change the main PID or reset the watchdog.",
        why: "With NotifyAccess=all, every process in the service's cgroup can send notifications to the \
              manager, including a compromised helper that could fake readiness or redirect MAINPID. \
              main or exec limit it to the processes that need it.",
        fix: Some("NotifyAccess=main"),
    },
    theme: Theme::Other,
    directive: "NotifyAccess=",
    since: 188,
};

/// `Delegate=`: handing a cgroup subtree to the service.
pub const DELEGATE: Check = Check {
    name: "Delegate=",
    json_field: "Delegate",
    weight: 100,
    range: 1,
    default_dependencies_only: false,
    assess: |m| Outcome::of(u32::from(m.delegate)),
    systemd: SystemdText {
        good: "Service does not maintain its own delegated control group subtree",
        bad: "Service maintains its own delegated control group subtree",
        na: NA_DEFAULT,
    },
    doc: Doc {
        good: "Does not manage its own cgroup subtree.",
        bad: "Manages its own cgroup subtree and its resource controls.",
        why: "Delegate=yes hands the service's cgroup subtree to the service so it can create cgroups and \
              set limits below it, as container managers do. It also means the service controls \
              resources the manager would otherwise control. Note that an empty Delegate= turns \
              delegation on.",
        fix: Some("Delegate=no"),
    },
    theme: Theme::Other,
    directive: "Delegate=",
    since: 218,
};

pub const RESTRICT_REALTIME: Check = boolean_check!(
    "RestrictRealtime",
    restrict_realtime,
    weight = 500,
    Theme::Other,
    since = 231,
    default_deps_only = false,
    systemd = (
        "Service realtime scheduling access is restricted",
        "Service may acquire realtime scheduling"
    ),
    doc = (
        "Cannot switch to real-time scheduling.",
        "May use real-time scheduling, which can starve the rest of the system.",
        "RestrictRealtime=yes refuses the real-time scheduling policies (SCHED_FIFO, SCHED_RR, \
         SCHED_DEADLINE). A runaway or malicious real-time process can freeze a CPU. Audio servers and \
         some low-latency daemons need real-time priority."
    )
);
