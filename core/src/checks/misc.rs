//! Memory, keyring, notification, delegation and scheduling.

use super::{Check, Doc, EARLY, NA_DEFAULT, Outcome, Spec, Suggestion, SystemdText, Theme};
use crate::advise::Tier;
use crate::model::{KeyringMode, NotifyAccess};

pub const MEMORY_DENY_WRITE_EXECUTE: Check = Check {
    name: "MemoryDenyWriteExecute=",
    json_field: "MemoryDenyWriteExecute",
    weight: 100,
    range: 1,
    default_dependencies_only: false,
    assess: |m, _| Outcome::unless(m.memory_deny_write_execute),
    systemd: SystemdText {
        good: "Service cannot create writable executable memory mappings",
        bad: "Service may create writable executable memory mappings",
        na: NA_DEFAULT,
    },
    doc: Doc {
        good: "Cannot create memory that is both writable and executable.",
        bad: "May create writable and executable memory, which makes injected code easy to run.",
        why: "MemoryDenyWriteExecute=yes forbids memory mappings that are writable and executable at once, \
              and making writable memory executable later. The classic exploit step of writing code into a \
              buffer and jumping to it then fails; an attacker is left with reusing code already mapped.",
        fix: Some("MemoryDenyWriteExecute=yes"),
        breaks: "Just-in-time compilers (Java, Node.js, .NET, LuaJIT, PCRE JIT) crash or fall back to \
                 slow paths. It shows as an mmap or mprotect failing with EPERM, usually at start. \
                 Libraries marked as needing an executable stack fail to load.",
        relax: "Nothing narrower exists: keep it off in units that run a JIT runtime and on everywhere \
                else. Some programs can switch their JIT off (PCRE's JIT in many servers is optional), \
                which lets the protection stay.",
        example: "[Service]\nMemoryDenyWriteExecute=yes\n",
    },
    theme: Theme::Other,
    directive: "MemoryDenyWriteExecute=",
    since: 231,
};

/// `KeyringMode=`: whether the service shares the kernel keyring with others.
pub const KEYRING_MODE: Check = Check {
    name: "KeyringMode=",
    json_field: "KeyringMode",
    weight: 1000,
    range: 1,
    default_dependencies_only: false,
    assess: |m, _| Outcome::of(u32::from(m.keyring_mode != Some(KeyringMode::Private))),
    systemd: SystemdText {
        good: "Service doesn't share key material with other services",
        bad: "Service shares key material with other service",
        na: NA_DEFAULT,
    },
    doc: Doc {
        good: "Has its own session keyring.",
        bad: "Shares kernel keyring key material with other processes.",
        why: "KeyringMode=private, the default for system services, gives the service a fresh session \
              keyring not linked to any other, so keys it stores in the kernel (disk encryption keys, \
              Kerberos tickets, NFS or CIFS credentials) cannot be read by other services, and it \
              cannot read theirs. shared also links in the keyring of the service's user; inherit \
              passes on the keyring of the service manager itself.",
        fix: Some("KeyringMode=private"),
        breaks: "Keys shared with other services through the kernel keyring are no longer visible. \
                 Keys that another service or an administrator put into a shared keyring are not \
                 found: the lookup fails with ENOKEY ('Required key not available').",
        relax: "Pass secrets through systemd credentials (LoadCredential=, SetCredential=) or a file \
                instead of the kernel keyring. If units must share keys, KeyringMode=shared shares \
                them only among units that run as the same user.",
        example: "[Service]\nKeyringMode=private\n",
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
    assess: |m, _| Outcome::of(u32::from(m.notify_access == Some(NotifyAccess::All))),
    systemd: SystemdText {
        good: "Service child processes cannot alter service state",
        bad: "Service child processes may alter service state",
        na: NA_DEFAULT,
    },
    doc: Doc {
        good: "Only the main process (or none) may send sd_notify messages.",
        bad: "Any process of the service may claim readiness, change the main PID or reset the watchdog.",
        why: "With NotifyAccess=all, every process in the service's cgroup may send sd_notify messages \
              to systemd. A compromised helper or child can then claim readiness too early, reset the \
              watchdog to hide a hang, or set MAINPID= to make systemd watch and signal a different \
              process. main or exec accept messages only from the processes that need to send them.",
        fix: Some("NotifyAccess=main"),
        breaks: "sd_notify messages from child processes (readiness from a worker) are ignored. The \
                 journal shows 'Got notification message from PID …, but reception only permitted for \
                 main PID …', and a Type=notify service whose readiness comes from a worker or a \
                 wrapper's child times out at start.",
        relax: "NotifyAccess=exec accepts messages from every process systemd starts for the unit \
                (ExecStartPre=, ExecStart=, …), but not from their children. Only when readiness really \
                comes from a forked worker is all needed.",
        example: "[Service]\nNotifyAccess=main\n",
    },
    theme: Theme::Other,
    directive: "NotifyAccess=",
    since: EARLY,
};

/// `Delegate=`: handing a cgroup subtree to the service.
pub const DELEGATE: Check = Check {
    name: "Delegate=",
    json_field: "Delegate",
    weight: 100,
    range: 1,
    default_dependencies_only: false,
    assess: |m, _| Outcome::of(u32::from(m.delegate)),
    systemd: SystemdText {
        good: "Service does not maintain its own delegated control group subtree",
        bad: "Service maintains its own delegated control group subtree",
        na: NA_DEFAULT,
    },
    doc: Doc {
        good: "Does not manage its own cgroup subtree.",
        bad: "Manages its own cgroup subtree and its resource controls.",
        why: "Delegate=yes hands the cgroup subtree below the service to the service itself, so it can \
              create cgroups and set limits inside it, as container managers and nested service \
              managers do. systemd stops managing those resources, and a compromised service can \
              rearrange its own processes and limits at will. Note that an empty Delegate= turns \
              delegation on in systemd 252.",
        fix: Some("Delegate=no"),
        breaks: "Container managers and services that manage their own cgroups stop working. Turning \
                 delegation off breaks programs that create their own sub-cgroups: container runtimes \
                 and nested service managers fail to start their workloads, typically with EACCES or \
                 EROFS on files under /sys/fs/cgroup.",
        relax: "Delegate only the controllers it uses, for example Delegate=cpu memory pids, rather than \
                all of them, and only in the unit that needs a subtree.",
        example: "[Service]\nDelegate=no\n",
    },
    theme: Theme::Other,
    directive: "Delegate=",
    since: 218,
};

pub const RESTRICT_REALTIME: Check = Check {
    name: "RestrictRealtime=",
    json_field: "RestrictRealtime",
    weight: 500,
    range: 1,
    default_dependencies_only: false,
    assess: |m, _| Outcome::unless(m.restrict_realtime),
    systemd: SystemdText {
        good: "Service realtime scheduling access is restricted",
        bad: "Service may acquire realtime scheduling",
        na: NA_DEFAULT,
    },
    doc: Doc {
        good: "Cannot switch to real-time scheduling.",
        bad: "May use real-time scheduling, which can starve the rest of the system.",
        why: "RestrictRealtime=yes refuses the real-time scheduling policies (SCHED_FIFO, SCHED_RR, \
              SCHED_DEADLINE). A real-time process runs before every normal one, so a runaway or malicious \
              one can monopolise a CPU and freeze the machine.",
        fix: Some("RestrictRealtime=yes"),
        breaks: "Real-time scheduling (audio servers, low-latency daemons) fails with EPERM. Audio \
                 servers such as JACK and PipeWire log that they could not get real-time priority and \
                 run with more latency.",
        relax: "Have systemd start the service with the policy it needs, CPUSchedulingPolicy=fifo with \
                CPUSchedulingPriority=, while the restriction keeps it from changing it later; or let \
                RealtimeKit grant real-time priority to individual threads.",
        example: "[Service]\nRestrictRealtime=yes\n",
    },
    theme: Theme::Other,
    directive: "RestrictRealtime=",
    since: 231,
};

/// Pass/fail tables for the other checks. The defaults of `KeyringMode=`, `NotifyAccess=` and
/// `Delegate=` pass.
pub(crate) const SPECS: &[Spec] = &[
    Spec {
        field: MEMORY_DENY_WRITE_EXECUTE.json_field,
        pass: &[
            "MemoryDenyWriteExecute=yes",
            "MemoryDenyWriteExecute=true",
            "MemoryDenyWriteExecute=no\nMemoryDenyWriteExecute=yes",
        ],
        fail: &[
            "",
            "MemoryDenyWriteExecute=no",
            "MemoryDenyWriteExecute=yes\nMemoryDenyWriteExecute=no",
        ],
        suggest: &[Suggestion {
            setting: "MemoryDenyWriteExecute",
            value: "yes",
            tier: Tier::Moderate,
            when: |m| !m.memory_deny_write_execute,
            ..Suggestion::NONE
        }],
        ..Spec::NONE
    },
    Spec {
        field: KEYRING_MODE.json_field,
        pass: &[
            "KeyringMode=bogus",
            "",
            "KeyringMode=private",
            "KeyringMode=shared\nKeyringMode=private",
        ],
        fail: &["KeyringMode=shared", "KeyringMode=inherit"],
        suggest: &[Suggestion {
            setting: "KeyringMode",
            value: "private",
            tier: Tier::Safe,
            when: |m| m.keyring_mode != Some(KeyringMode::Private) && m.has_exec_context,
            ..Suggestion::NONE
        }],
        ..Spec::NONE
    },
    Spec {
        field: NOTIFY_ACCESS.json_field,
        pass: &[
            "NotifyAccess=all\nNotifyAccess=main",
            "",
            "NotifyAccess=main",
            "NotifyAccess=exec",
            "NotifyAccess=none",
        ],
        fail: &["NotifyAccess=all", "NotifyAccess=main\nNotifyAccess=all"],
        suggest: &[Suggestion {
            setting: "NotifyAccess",
            value: "main",
            tier: Tier::Moderate,
            when: |m| m.notify_access == Some(NotifyAccess::All),
            ..Suggestion::NONE
        }],
        ..Spec::NONE
    },
    Spec {
        field: DELEGATE.json_field,
        pass: &["", "Delegate=no", "Delegate=yes\nDelegate=no"],
        // An empty Delegate= turns delegation on.
        fail: &[
            "Delegate=yes",
            "Delegate=cpu memory",
            "Delegate=pids",
            "Delegate=",
        ],
        suggest: &[Suggestion {
            setting: "Delegate",
            value: "no",
            tier: Tier::Strict,
            when: |m| m.delegate,
            ..Suggestion::NONE
        }],
        ..Spec::NONE
    },
    Spec {
        field: RESTRICT_REALTIME.json_field,
        pass: &[
            "RestrictRealtime=yes",
            "RestrictRealtime=true",
            "RestrictRealtime=no\nRestrictRealtime=yes",
        ],
        fail: &[
            "",
            "RestrictRealtime=no",
            "RestrictRealtime=yes\nRestrictRealtime=no",
        ],
        suggest: &[Suggestion {
            setting: "RestrictRealtime",
            value: "yes",
            tier: Tier::Safe,
            when: |m| !m.restrict_realtime,
            ..Suggestion::NONE
        }],
        ..Spec::NONE
    },
];
