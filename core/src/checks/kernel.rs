//! Protection of kernel state: tunables, modules, logs, the clock, cgroups, hostname.

use super::{Check, Theme, boolean_check};

pub const PROTECT_CONTROL_GROUPS: Check = boolean_check!(
    "ProtectControlGroups",
    protect_control_groups,
    weight = 1000,
    Theme::Kernel,
    since = 232,
    default_deps_only = false,
    systemd = (
        "Service cannot modify the control group file system",
        "Service may modify the control group file system"
    ),
    doc = (
        "The cgroup file system is read-only.",
        "May change control group settings, including resource limits of other services.",
        "ProtectControlGroups=yes makes /sys/fs/cgroup read-only for the service. A compromised \
         root service can then neither lift its own memory, CPU or task limits nor move itself out of \
         its cgroup or change other services' limits."
    ),
    breaks = "Writes under /sys/fs/cgroup fail with 'Read-only file system' (EROFS). Container runtimes \
              (docker, podman, runc) and programs that create sub-cgroups for their workers fail to \
              start them.",
    relax = "A service that really manages cgroups needs a delegated subtree (Delegate=yes) and this \
             option off, in that one unit only. Most services that only want to change their own \
             limits can have systemd set them instead: MemoryMax=, CPUQuota=, TasksMax=."
);

pub const PROTECT_KERNEL_MODULES: Check = boolean_check!(
    "ProtectKernelModules",
    protect_kernel_modules,
    weight = 1000,
    Theme::Kernel,
    since = 232,
    default_deps_only = false,
    systemd = (
        "Service cannot load or read kernel modules",
        "Service may load or read kernel modules"
    ),
    doc = (
        "Cannot load kernel modules.",
        "May load kernel modules, which run with full kernel privileges.",
        "ProtectKernelModules=yes removes CAP_SYS_MODULE from the bounding set, blocks the module \
         loading system calls and makes the module directories inaccessible. Loading a module runs \
         arbitrary code in the kernel: it is the shortest path from a compromised root service to \
         owning the whole machine, and the classic way to install a rootkit."
    ),
    breaks = "modprobe and insmod run by the service fail ('Operation not permitted', or the module is \
              not found because /usr/lib/modules is hidden). Network, storage and VPN tools that load \
              their driver on demand fail at start.",
    relax = "Load the module at boot instead and keep the protection: put its name in a file under \
             /etc/modules-load.d/ (for example /etc/modules-load.d/wireguard.conf)."
);

pub const PROTECT_KERNEL_TUNABLES: Check = boolean_check!(
    "ProtectKernelTunables",
    protect_kernel_tunables,
    weight = 1000,
    Theme::Kernel,
    since = 232,
    default_deps_only = false,
    systemd = (
        "Service cannot alter kernel tunables (/proc/sys, …)",
        "Service may alter kernel tunables"
    ),
    doc = (
        "/proc/sys, /sys and similar kernel interfaces are read-only.",
        "May change kernel parameters through /proc/sys and /sys.",
        "ProtectKernelTunables=yes makes /proc/sys, /sys, /proc/sysrq-trigger and similar kernel \
         interfaces read-only for the service. A compromised root service cannot switch off kernel \
         hardening (ptrace or BPF restrictions, address randomisation), turn on IP forwarding or \
         trigger a reboot through SysRq."
    ),
    breaks = "Writing a sysctl (sysctl -w, echo into /proc/sys) or a /sys attribute fails with \
              'Read-only file system' (EROFS). Reading them still works.",
    relax = "Set the values once at boot and keep the protection: a file in /etc/sysctl.d/ for sysctls, \
             a udev rule for /sys attributes of a device."
);

pub const PROTECT_KERNEL_LOGS: Check = boolean_check!(
    "ProtectKernelLogs",
    protect_kernel_logs,
    weight = 1000,
    Theme::Kernel,
    since = 244,
    default_deps_only = false,
    systemd = (
        "Service cannot read from or write to the kernel log ring buffer",
        "Service may read from or write to the kernel log ring buffer"
    ),
    doc = (
        "Cannot read or write the kernel log.",
        "May read the kernel log (which leaks addresses and hardware details) or write fake entries.",
        "ProtectKernelLogs=yes removes CAP_SYSLOG, blocks the syslog(2) system call and makes \
         /dev/kmsg and /proc/kmsg inaccessible. Kernel messages can reveal kernel addresses that help \
         an exploit, and writing to /dev/kmsg lets an attacker forge kernel log lines."
    ),
    breaks = "dmesg fails ('read kernel buffer failed: Operation not permitted'); log collectors that read \
              /dev/kmsg or /proc/kmsg fail to open it; tools that log through /dev/kmsg lose their \
              messages.",
    relax = "Read kernel messages from the journal instead, which already collects them: journalctl -k, \
             or the journal API with the service's user in the systemd-journal group."
);

pub const PROTECT_CLOCK: Check = boolean_check!(
    "ProtectClock",
    protect_clock,
    weight = 1000,
    Theme::Kernel,
    since = 245,
    default_deps_only = false,
    systemd = (
        "Service cannot write to the hardware clock or system clock",
        "Service may write to the hardware clock or system clock"
    ),
    doc = (
        "Cannot change the system or hardware clock.",
        "May change the clock, which confuses logs, certificates and time-based security.",
        "ProtectClock=yes removes CAP_SYS_TIME and CAP_WAKE_ALARM, blocks the clock-setting system \
         calls and allows the hardware clock device only for reading. A wrong clock breaks \
         certificate and token expiry checks, replay protection and the order of log entries, all of \
         which an attacker may want."
    ),
    breaks = "Setting the time (date -s, hwclock, an NTP client) fails with EPERM. Because it adds a \
              read-only char-rtc entry to DeviceAllow=, any other device the service opens (a serial \
              port, a GPU) now fails with EPERM too, unless listed. For the same reason, with \
              PrivateDevices=yes the DeviceAllow= check keeps a small exposure.",
    relax = "If the service uses a device, list it next to the clock: DeviceAllow=/dev/ttyUSB0 rw. Only \
             time synchronisation daemons need the clock itself: leave it off only in their units."
);

pub const PROTECT_HOSTNAME: Check = boolean_check!(
    "ProtectHostname",
    protect_hostname,
    weight = 50,
    Theme::Kernel,
    since = 242,
    default_deps_only = false,
    systemd = (
        "Service cannot change system host/domainname",
        "Service may change system host/domainname"
    ),
    doc = (
        "Cannot change the host name.",
        "May change the machine's host or domain name.",
        "ProtectHostname=yes puts the service in its own UTS namespace and blocks the calls that set \
         the host or domain name. A compromised service cannot rename the machine, which would \
         mislabel logs and metrics and confuse software that trusts the name."
    ),
    breaks = "sethostname() and setdomainname() fail with EPERM. The service keeps the name the host had \
              when it started: if the host is renamed later, the service still sees the old name.",
    relax = "Change the name through systemd-hostnamed (hostnamectl, or its D-Bus API) instead; the \
             service then needs no privilege of its own. Only hostname managers need it off."
);

pub const LOCK_PERSONALITY: Check = boolean_check!(
    "LockPersonality",
    lock_personality,
    weight = 100,
    Theme::Kernel,
    since = 235,
    default_deps_only = false,
    systemd = (
        "Service cannot change ABI personality",
        "Service may change ABI personality"
    ),
    doc = (
        "Cannot switch the process execution domain.",
        "May change its ABI personality, reaching rarely used and less tested kernel code paths.",
        "LockPersonality=yes locks the execution domain set with personality(2). The service cannot \
         switch to emulation modes whose kernel code is old and rarely audited, nor set flags such as \
         ADDR_NO_RANDOMIZE, which turns off address randomisation for the programs it runs."
    ),
    breaks = "Calls that change the personality fail with EPERM: setarch and linux32, and emulators such \
              as those for old 32-bit or foreign binaries.",
    relax = "Nothing narrower exists. If only a helper needs another personality, run that helper in its \
             own unit and keep the lock in the main one."
);

use super::Spec;

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
        ..Spec::NONE
    },
];
