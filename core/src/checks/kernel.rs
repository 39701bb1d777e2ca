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
        "ProtectControlGroups=yes mounts /sys/fs/cgroup read-only for the service, so it cannot lift \
         its own limits or meddle with other services' cgroups. Container managers and services that \
         manage cgroups themselves need it off (and Delegate= instead)."
    )
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
        "ProtectKernelModules=yes drops CAP_SYS_MODULE, blocks the module system calls and hides \
         /usr/lib/modules. Loading a module is the shortest path from root to owning the kernel. \
         Services that load drivers on demand (some network or storage tools) need modules loaded \
         beforehand, for example through modules-load.d."
    )
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
        "ProtectKernelTunables=yes makes /proc/sys, /sys, /proc/sysrq-trigger and related files \
         read-only. A compromised service cannot turn off kernel protections or change networking \
         parameters. Services that set sysctls at run time fail with 'Read-only file system'; set \
         those in sysctl.d instead."
    )
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
        "ProtectKernelLogs=yes drops CAP_SYSLOG and makes /dev/kmsg and /proc/kmsg inaccessible. \
         Kernel messages can reveal memory layout useful for exploits. Only log collectors need them."
    )
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
        "ProtectClock=yes drops CAP_SYS_TIME and CAP_WAKE_ALARM and denies writing the real-time clock \
         device. Only time synchronisation daemons need the clock. Note that it adds char-rtc to the \
         device list, so together with PrivateDevices=yes the DeviceAllow= check keeps a small \
         exposure."
    )
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
         the host name. Changing it can redirect logging and confuse other services. Only hostname \
         managers need it."
    )
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
        "LockPersonality=yes locks the personality(2) setting, so the process cannot switch to an \
         emulation mode whose kernel code is old and rarely audited. Only emulators and some legacy \
         32-bit programs need it."
    )
);
