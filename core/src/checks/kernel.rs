//! Protection of kernel state: tunables, modules, logs, the clock, cgroups, hostname.

use super::{Check, Doc, NA_DEFAULT, Outcome, Spec, Suggestion, SystemdText, Theme};
use crate::advise::Tier;

pub const PROTECT_CONTROL_GROUPS: Check = Check {
    name: "ProtectControlGroups=",
    json_field: "ProtectControlGroups",
    weight: 1000,
    range: 1,
    default_dependencies_only: false,
    assess: |m, _| Outcome::unless(m.protect_control_groups),
    systemd: SystemdText {
        good: "Service cannot modify the control group file system",
        bad: "Service may modify the control group file system",
        na: NA_DEFAULT,
    },
    doc: Doc {
        good: "The cgroup file system is read-only.",
        bad: "May change control group settings, including resource limits of other services.",
        why: "ProtectControlGroups=yes makes /sys/fs/cgroup read-only for the service. A compromised \
              root service can then neither lift its own memory, CPU or task limits nor move itself out of \
              its cgroup or change other services' limits.",
        fix: Some("ProtectControlGroups=yes"),
        breaks: "Changing cgroup settings under /sys/fs/cgroup fails with 'Read-only file system'. \
                 Container runtimes (docker, podman, runc) and programs that create sub-cgroups for \
                 their workers fail to start them.",
        relax: "A service that really manages cgroups needs a delegated subtree (Delegate=yes) and this \
                option off, in that one unit only. Most services that only want to change their own \
                limits can have systemd set them instead: MemoryMax=, CPUQuota=, TasksMax=.",
        example: "[Service]\nProtectControlGroups=yes\n",
    },
    theme: Theme::Kernel,
    directive: "ProtectControlGroups=",
    since: 232,
};

pub const PROTECT_KERNEL_MODULES: Check = Check {
    name: "ProtectKernelModules=",
    json_field: "ProtectKernelModules",
    weight: 1000,
    range: 1,
    default_dependencies_only: false,
    assess: |m, _| Outcome::unless(m.protect_kernel_modules),
    systemd: SystemdText {
        good: "Service cannot load or read kernel modules",
        bad: "Service may load or read kernel modules",
        na: NA_DEFAULT,
    },
    doc: Doc {
        good: "Cannot load kernel modules.",
        bad: "May load kernel modules, which run with full kernel privileges.",
        why: "ProtectKernelModules=yes removes CAP_SYS_MODULE from the bounding set, blocks the module \
              loading system calls and makes the module directories inaccessible. Loading a module runs \
              arbitrary code in the kernel: it is the shortest path from a compromised root service to \
              owning the whole machine, and the classic way to install a rootkit.",
        fix: Some("ProtectKernelModules=yes"),
        breaks: "Modules the service would load on demand must be loaded at boot (modules-load.d). \
                 modprobe and insmod run by the service fail ('Operation not permitted', or the \
                 module is not found because /usr/lib/modules is hidden), so network, storage and VPN \
                 tools that load their driver on demand fail at start.",
        relax: "Load the module at boot instead and keep the protection: put its name in a file under \
                /etc/modules-load.d/ (for example /etc/modules-load.d/wireguard.conf).",
        example: "[Service]\nProtectKernelModules=yes\n",
    },
    theme: Theme::Kernel,
    directive: "ProtectKernelModules=",
    since: 232,
};

pub const PROTECT_KERNEL_TUNABLES: Check = Check {
    name: "ProtectKernelTunables=",
    json_field: "ProtectKernelTunables",
    weight: 1000,
    range: 1,
    default_dependencies_only: false,
    assess: |m, _| Outcome::unless(m.protect_kernel_tunables),
    systemd: SystemdText {
        good: "Service cannot alter kernel tunables (/proc/sys, …)",
        bad: "Service may alter kernel tunables",
        na: NA_DEFAULT,
    },
    doc: Doc {
        good: "/proc/sys, /sys and similar kernel interfaces are read-only.",
        bad: "May change kernel parameters through /proc/sys and /sys.",
        why: "ProtectKernelTunables=yes makes /proc/sys, /sys, /proc/sysrq-trigger and similar kernel \
              interfaces read-only for the service. A compromised root service cannot switch off kernel \
              hardening (ptrace or BPF restrictions, address randomisation), turn on IP forwarding or \
              trigger a reboot through SysRq.",
        fix: Some("ProtectKernelTunables=yes"),
        breaks: "Writing /proc/sys or /sys at run time fails with 'Read-only file system'; set \
                 sysctls in sysctl.d instead. That covers sysctl -w, echo into /proc/sys and the \
                 attributes under /sys (EROFS); reading them still works.",
        relax: "Set the values once at boot and keep the protection: a file in /etc/sysctl.d/ for sysctls, \
                a udev rule for /sys attributes of a device.",
        example: "[Service]\nProtectKernelTunables=yes\n",
    },
    theme: Theme::Kernel,
    directive: "ProtectKernelTunables=",
    since: 232,
};

pub const PROTECT_KERNEL_LOGS: Check = Check {
    name: "ProtectKernelLogs=",
    json_field: "ProtectKernelLogs",
    weight: 1000,
    range: 1,
    default_dependencies_only: false,
    assess: |m, _| Outcome::unless(m.protect_kernel_logs),
    systemd: SystemdText {
        good: "Service cannot read from or write to the kernel log ring buffer",
        bad: "Service may read from or write to the kernel log ring buffer",
        na: NA_DEFAULT,
    },
    doc: Doc {
        good: "Cannot read or write the kernel log.",
        bad: "May read the kernel log (which leaks addresses and hardware details) or write fake entries.",
        why: "ProtectKernelLogs=yes removes CAP_SYSLOG, blocks the syslog(2) system call and makes \
              /dev/kmsg and /proc/kmsg inaccessible. Kernel messages can reveal kernel addresses that help \
              an exploit, and writing to /dev/kmsg lets an attacker forge kernel log lines.",
        fix: Some("ProtectKernelLogs=yes"),
        breaks: "Reading the kernel log (dmesg, /dev/kmsg) fails. dmesg reports 'read kernel buffer \
                 failed: Operation not permitted'; log collectors that read /dev/kmsg or /proc/kmsg \
                 fail to open it; tools that log through /dev/kmsg lose their messages.",
        relax: "Read kernel messages from the journal instead, which already collects them: journalctl -k, \
                or the journal API with the service's user in the systemd-journal group.",
        example: "[Service]\nProtectKernelLogs=yes\n",
    },
    theme: Theme::Kernel,
    directive: "ProtectKernelLogs=",
    since: 244,
};

pub const PROTECT_CLOCK: Check = Check {
    name: "ProtectClock=",
    json_field: "ProtectClock",
    weight: 1000,
    range: 1,
    default_dependencies_only: false,
    assess: |m, _| Outcome::unless(m.protect_clock),
    systemd: SystemdText {
        good: "Service cannot write to the hardware clock or system clock",
        bad: "Service may write to the hardware clock or system clock",
        na: NA_DEFAULT,
    },
    doc: Doc {
        good: "Cannot change the system or hardware clock.",
        bad: "May change the clock, which confuses logs, certificates and time-based security.",
        why: "ProtectClock=yes removes CAP_SYS_TIME and CAP_WAKE_ALARM, blocks the clock-setting system \
              calls and allows the hardware clock device only for reading. A wrong clock breaks \
              certificate and token expiry checks, replay protection and the order of log entries, all of \
              which an attacker may want.",
        fix: Some("ProtectClock=yes"),
        breaks: "Setting the time (date -s, hwclock, an NTP client) fails with EPERM. Because it adds a \
                 read-only char-rtc entry to DeviceAllow=, any other device the service opens (a serial \
                 port, a GPU) now fails with EPERM too, unless listed. For the same reason, with \
                 PrivateDevices=yes the DeviceAllow= check keeps a small exposure.",
        relax: "If the service uses a device, list it next to the clock: DeviceAllow=/dev/ttyUSB0 rw. Only \
                time synchronisation daemons need the clock itself: leave it off only in their units.",
        example: "[Service]\nProtectClock=yes\n",
    },
    theme: Theme::Kernel,
    directive: "ProtectClock=",
    since: 245,
};

pub const PROTECT_HOSTNAME: Check = Check {
    name: "ProtectHostname=",
    json_field: "ProtectHostname",
    weight: 50,
    range: 1,
    default_dependencies_only: false,
    assess: |m, _| Outcome::unless(m.protect_hostname),
    systemd: SystemdText {
        good: "Service cannot change system host/domainname",
        bad: "Service may change system host/domainname",
        na: NA_DEFAULT,
    },
    doc: Doc {
        good: "Cannot change the host name.",
        bad: "May change the machine's host or domain name.",
        why: "ProtectHostname=yes puts the service in its own UTS namespace and blocks the calls that set \
              the host or domain name. A compromised service cannot rename the machine, which would \
              mislabel logs and metrics and confuse software that trusts the name.",
        fix: Some("ProtectHostname=yes"),
        breaks: "Setting the host name fails (only hostname managers do). sethostname() and \
                 setdomainname() return EPERM. The service keeps the name the host had when it \
                 started: if the host is renamed later, the service still sees the old name.",
        relax: "Change the name through systemd-hostnamed (hostnamectl, or its D-Bus API) instead; the \
                service then needs no privilege of its own. Only hostname managers need it off.",
        example: "[Service]\nProtectHostname=yes\n",
    },
    theme: Theme::Kernel,
    directive: "ProtectHostname=",
    since: 242,
};

pub const LOCK_PERSONALITY: Check = Check {
    name: "LockPersonality=",
    json_field: "LockPersonality",
    weight: 100,
    range: 1,
    default_dependencies_only: false,
    assess: |m, _| Outcome::unless(m.lock_personality),
    systemd: SystemdText {
        good: "Service cannot change ABI personality",
        bad: "Service may change ABI personality",
        na: NA_DEFAULT,
    },
    doc: Doc {
        good: "Cannot switch the process execution domain.",
        bad: "May change its ABI personality, reaching rarely used and less tested kernel code paths.",
        why: "LockPersonality=yes locks the execution domain set with personality(2). The service cannot \
              switch to emulation modes whose kernel code is old and rarely audited, nor set flags such as \
              ADDR_NO_RANDOMIZE, which turns off address randomisation for the programs it runs.",
        fix: Some("LockPersonality=yes"),
        breaks: "Emulators and some legacy 32-bit programs that switch personality fail. The calls \
                 that change it return EPERM, for setarch and linux32 too.",
        relax: "Nothing narrower exists. If only a helper needs another personality, run that helper in its \
                own unit and keep the lock in the main one.",
        example: "[Service]\nLockPersonality=yes\n",
    },
    theme: Theme::Kernel,
    directive: "LockPersonality=",
    since: 235,
};

/// Pass/fail tables for the kernel checks, all booleans.
pub(crate) const SPECS: &[Spec] = &[
    Spec {
        field: PROTECT_CONTROL_GROUPS.json_field,
        pass: &[
            "ProtectControlGroups=yes",
            "ProtectControlGroups=true",
            "ProtectControlGroups=no\nProtectControlGroups=yes",
        ],
        fail: &[
            "",
            "ProtectControlGroups=no",
            "ProtectControlGroups=yes\nProtectControlGroups=no",
        ],
        // The values `private` and `strict` arrived in 257.
        pass_from: &[
            ("ProtectControlGroups=private", 257),
            ("ProtectControlGroups=strict", 257),
        ],
        suggest: &[Suggestion {
            setting: "ProtectControlGroups",
            value: "yes",
            tier: Tier::Safe,
            when: |m| !m.protect_control_groups,
            ..Suggestion::NONE
        }],
        ..Spec::NONE
    },
    Spec {
        field: PROTECT_KERNEL_MODULES.json_field,
        pass: &[
            "ProtectKernelModules=yes",
            "ProtectKernelModules=true",
            "ProtectKernelModules=no\nProtectKernelModules=yes",
        ],
        fail: &[
            "",
            "ProtectKernelModules=no",
            "ProtectKernelModules=yes\nProtectKernelModules=no",
        ],
        suggest: &[Suggestion {
            setting: "ProtectKernelModules",
            value: "yes",
            tier: Tier::Safe,
            when: |m| !m.protect_kernel_modules,
            ..Suggestion::NONE
        }],
        ..Spec::NONE
    },
    Spec {
        field: PROTECT_KERNEL_TUNABLES.json_field,
        pass: &[
            "ProtectKernelTunables=yes",
            "ProtectKernelTunables=true",
            "ProtectKernelTunables=no\nProtectKernelTunables=yes",
        ],
        fail: &[
            "",
            "ProtectKernelTunables=no",
            "ProtectKernelTunables=yes\nProtectKernelTunables=no",
        ],
        suggest: &[Suggestion {
            setting: "ProtectKernelTunables",
            value: "yes",
            tier: Tier::Safe,
            when: |m| !m.protect_kernel_tunables,
            ..Suggestion::NONE
        }],
        ..Spec::NONE
    },
    Spec {
        field: PROTECT_KERNEL_LOGS.json_field,
        pass: &[
            "ProtectKernelLogs=yes",
            "ProtectKernelLogs=true",
            "ProtectKernelLogs=no\nProtectKernelLogs=yes",
        ],
        fail: &[
            "",
            "ProtectKernelLogs=no",
            "ProtectKernelLogs=yes\nProtectKernelLogs=no",
        ],
        suggest: &[Suggestion {
            setting: "ProtectKernelLogs",
            value: "yes",
            tier: Tier::Safe,
            when: |m| !m.protect_kernel_logs,
            ..Suggestion::NONE
        }],
        ..Spec::NONE
    },
    Spec {
        field: PROTECT_CLOCK.json_field,
        pass: &[
            "ProtectClock=yes",
            "ProtectClock=true",
            "ProtectClock=no\nProtectClock=yes",
        ],
        fail: &["", "ProtectClock=no", "ProtectClock=yes\nProtectClock=no"],
        ..Spec::NONE
    },
    Spec {
        field: PROTECT_HOSTNAME.json_field,
        pass: &[
            "ProtectHostname=yes",
            "ProtectHostname=true",
            "ProtectHostname=no\nProtectHostname=yes",
        ],
        fail: &[
            "",
            "ProtectHostname=no",
            "ProtectHostname=yes\nProtectHostname=no",
        ],
        // `private` (a namespace without the host name) counts from 262 on; earlier it is refused.
        pass_from: &[("ProtectHostname=private", 262)],
        suggest: &[Suggestion {
            setting: "ProtectHostname",
            value: "yes",
            tier: Tier::Safe,
            when: |m| !m.protect_hostname,
            ..Suggestion::NONE
        }],
        ..Spec::NONE
    },
    Spec {
        field: LOCK_PERSONALITY.json_field,
        pass: &[
            "LockPersonality=yes",
            "LockPersonality=true",
            "LockPersonality=no\nLockPersonality=yes",
        ],
        fail: &[
            "",
            "LockPersonality=no",
            "LockPersonality=yes\nLockPersonality=no",
        ],
        suggest: &[Suggestion {
            setting: "LockPersonality",
            value: "yes",
            tier: Tier::Safe,
            when: |m| !m.lock_personality,
            ..Suggestion::NONE
        }],
        ..Spec::NONE
    },
];
