//! Capabilities: the pieces of root's power a service keeps in its bounding set.
//!
//! Each check fails when any of its capabilities is still in `CapabilityBoundingSet=` (after
//! the drops that PrivateDevices=, ProtectKernelModules=, ProtectKernelLogs= and ProtectClock=
//! imply). Remove them with `CapabilityBoundingSet=~CAP_…`, or better, list only what the
//! service needs: `CapabilityBoundingSet=CAP_NET_BIND_SERVICE`.

use super::{Check, Doc, NA_DEFAULT, Outcome, SystemdText, Theme};
use crate::tables::cap_bit;

macro_rules! cap_check {
    ($name:literal, $field:literal, $w:literal, [$($cap:literal),+], since = $since:literal,
     systemd = ($good:literal, $bad:literal), doc = ($dgood:literal, $dbad:literal, $why:literal)) => {
        Check {
            name: concat!("CapabilityBoundingSet=~", $name),
            json_field: concat!("CapabilityBoundingSet_", $field),
            weight: $w,
            range: 1,
            default_dependencies_only: false,
            assess: |m| {
                const MASK: u64 = 0 $(| cap_bit($cap))+;
                Outcome::of(u32::from(m.capability_bounding_set & MASK != 0))
            },
            systemd: SystemdText { good: $good, bad: $bad, na: NA_DEFAULT },
            doc: Doc {
                good: $dgood,
                bad: $dbad,
                why: $why,
                fix: None,
            },
            theme: Theme::Capabilities,
            directive: "CapabilityBoundingSet=",
            since: $since,
        }
    };
}

pub const SYS_ADMIN: Check = cap_check!(
    "CAP_SYS_ADMIN",
    "CAP_SYS_ADMIN",
    1500,
    ["cap_sys_admin"],
    since = 209,
    systemd = (
        "Service has no administrator privileges",
        "Service has administrator privileges"
    ),
    doc = (
        "Cannot use CAP_SYS_ADMIN.",
        "Keeps CAP_SYS_ADMIN, the catch-all capability that is nearly root.",
        "CAP_SYS_ADMIN covers mounting, namespaces, many ioctls and dozens of other operations; holding it \
         is close to holding root. Almost no daemon needs it."
    )
);

pub const SET_UID_GID_PCAP: Check = cap_check!(
    "CAP_SET(UID|GID|PCAP)",
    "CAP_SET_UID_GID_PCAP",
    1500,
    ["cap_setuid", "cap_setgid", "cap_setpcap"],
    since = 209,
    systemd = (
        "Service cannot change UID/GID identities/capabilities",
        "Service may change UID/GID identities/capabilities"
    ),
    doc = (
        "Cannot switch users or groups.",
        "May switch to any user or group, root included.",
        "CAP_SETUID and CAP_SETGID let a process become any user; CAP_SETPCAP lets it hand capabilities \
         around. Daemons that start as root and drop to their own user need them only at start; with \
         User= set, systemd does the switch and the service never needs them."
    )
);

pub const SYS_PTRACE: Check = cap_check!(
    "CAP_SYS_PTRACE",
    "CAP_SYS_PTRACE",
    1500,
    ["cap_sys_ptrace"],
    since = 209,
    systemd = (
        "Service has no ptrace() debugging abilities",
        "Service has ptrace() debugging abilities"
    ),
    doc = (
        "Cannot trace other processes.",
        "May attach to and control any process with ptrace().",
        "CAP_SYS_PTRACE lets a process read and write the memory of any other process, stealing secrets \
         or injecting code. Only debuggers and some monitoring tools need it."
    )
);

pub const SYS_TIME: Check = cap_check!(
    "CAP_SYS_TIME",
    "CAP_SYS_TIME",
    1000,
    ["cap_sys_time"],
    since = 209,
    systemd = (
        "Service processes cannot change the system clock",
        "Service processes may change the system clock"
    ),
    doc = (
        "Cannot set the clock.",
        "May set the system clock.",
        "CAP_SYS_TIME allows setting the system and hardware clocks. Only time synchronisation daemons \
         need it. ProtectClock=yes removes it too."
    )
);

pub const NET_ADMIN: Check = cap_check!(
    "CAP_NET_ADMIN",
    "CAP_NET_ADMIN",
    1000,
    ["cap_net_admin"],
    since = 209,
    systemd = (
        "Service has no network configuration privileges",
        "Service has network configuration privileges"
    ),
    doc = (
        "Cannot reconfigure networking.",
        "May change interfaces, routes and firewall rules.",
        "CAP_NET_ADMIN covers interface configuration, routing, firewalling and more. Network managers, \
         VPN daemons and firewalls need it; application servers do not."
    )
);

pub const SYS_RAWIO: Check = cap_check!(
    "CAP_SYS_RAWIO",
    "CAP_SYS_RAWIO",
    1000,
    ["cap_sys_rawio"],
    since = 209,
    systemd = (
        "Service has no raw I/O access",
        "Service has raw I/O access"
    ),
    doc = (
        "Cannot do raw I/O.",
        "May access I/O ports and raw devices directly.",
        "CAP_SYS_RAWIO grants raw access to I/O ports, /dev/mem and block devices, bypassing file system \
         permissions entirely. PrivateDevices=yes removes it too."
    )
);

pub const SYS_MODULE: Check = cap_check!(
    "CAP_SYS_MODULE",
    "CAP_SYS_MODULE",
    1000,
    ["cap_sys_module"],
    since = 209,
    systemd = (
        "Service cannot load kernel modules",
        "Service may load kernel modules"
    ),
    doc = (
        "Cannot load kernel modules.",
        "May load kernel modules.",
        "CAP_SYS_MODULE lets a process load code into the kernel. ProtectKernelModules=yes removes it \
         too."
    )
);

pub const AUDIT: Check = cap_check!(
    "CAP_AUDIT_*",
    "CAP_AUDIT",
    500,
    ["cap_audit_control", "cap_audit_read", "cap_audit_write"],
    since = 209,
    systemd = (
        "Service has no audit subsystem access",
        "Service has audit subsystem access"
    ),
    doc = (
        "Cannot use the audit subsystem.",
        "May read, write or reconfigure the kernel audit log.",
        "The audit capabilities let a process change audit rules, read the audit stream or forge \
         audit records, undermining the trail an investigation relies on. Only audit daemons and \
         login services need them."
    )
);

pub const SYSLOG: Check = cap_check!(
    "CAP_SYSLOG",
    "CAP_SYSLOG",
    500,
    ["cap_syslog"],
    since = 209,
    systemd = (
        "Service has no access to kernel logging",
        "Service has access to kernel logging"
    ),
    doc = (
        "Cannot use privileged kernel logging operations.",
        "May read and clear the kernel log.",
        "CAP_SYSLOG allows privileged syslog(2) operations and reveals kernel addresses. \
         ProtectKernelLogs=yes removes it too."
    )
);

pub const SYS_NICE_RESOURCE: Check = cap_check!(
    "CAP_SYS_(NICE|RESOURCE)",
    "CAP_SYS_NICE_RESOURCE",
    500,
    ["cap_sys_nice", "cap_sys_resource"],
    since = 209,
    systemd = (
        "Service has no privileges to change resource use parameters",
        "Service has privileges to change resource use parameters"
    ),
    doc = (
        "Cannot raise priorities or resource limits.",
        "May raise its priority and override resource limits.",
        "CAP_SYS_NICE and CAP_SYS_RESOURCE let a process raise scheduling priority and exceed resource \
         limits and quotas, which makes denial of service easier."
    )
);

pub const MKNOD: Check = cap_check!(
    "CAP_MKNOD",
    "CAP_MKNOD",
    500,
    ["cap_mknod"],
    since = 209,
    systemd = (
        "Service cannot create device nodes",
        "Service may create device nodes"
    ),
    doc = (
        "Cannot create device nodes.",
        "May create device nodes, and so reach any device.",
        "CAP_MKNOD allows creating device nodes, a way around a minimal /dev. PrivateDevices=yes removes \
         it too."
    )
);

pub const CHOWN_FSETID_SETFCAP: Check = cap_check!(
    "CAP_(CHOWN|FSETID|SETFCAP)",
    "CAP_CHOWN_FSETID_SETFCAP",
    1000,
    ["cap_chown", "cap_fsetid", "cap_setfcap"],
    since = 209,
    systemd = (
        "Service cannot change file ownership/access mode/capabilities",
        "Service may change file ownership/access mode/capabilities unrestricted"
    ),
    doc = (
        "Cannot change file ownership or file capabilities freely.",
        "May change owners of any file and set file capabilities.",
        "CAP_CHOWN changes any file's owner, CAP_FSETID keeps setuid bits when editing files, and \
         CAP_SETFCAP grants capabilities to binaries: together a path to persistent privilege."
    )
);

pub const DAC_FOWNER_IPC_OWNER: Check = cap_check!(
    "CAP_(DAC_*|FOWNER|IPC_OWNER)",
    "CAP_DAC_FOWNER_IPC_OWNER",
    1000,
    [
        "cap_dac_override",
        "cap_dac_read_search",
        "cap_fowner",
        "cap_ipc_owner"
    ],
    since = 209,
    systemd = (
        "Service cannot override UNIX file/IPC permission checks",
        "Service may override UNIX file/IPC permission checks"
    ),
    doc = (
        "File and IPC permission checks apply to it.",
        "May ignore file and IPC permissions.",
        "CAP_DAC_OVERRIDE and CAP_DAC_READ_SEARCH bypass read, write and search permissions on every \
         file; CAP_FOWNER bypasses owner checks; CAP_IPC_OWNER bypasses IPC permissions. This is what \
         makes root able to read /etc/shadow."
    )
);

pub const KILL: Check = cap_check!(
    "CAP_KILL",
    "CAP_KILL",
    500,
    ["cap_kill"],
    since = 209,
    systemd = (
        "Service cannot send UNIX signals to arbitrary processes",
        "Service may send UNIX signals to arbitrary processes"
    ),
    doc = (
        "Can signal only its own processes.",
        "May send signals to any process.",
        "CAP_KILL lets a process kill or stop any other process on the machine. Process supervisors \
         need it; most services do not."
    )
);

pub const NET_BIND_SERVICE_BROADCAST_RAW: Check = Check {
    json_field: "CapabilityBoundingSet_CAP_NET_BIND_SERVICE_BROADCAST_RAW)",
    ..cap_check!(
        "CAP_NET_(BIND_SERVICE|BROADCAST|RAW)",
        "unused",
        500,
        ["cap_net_bind_service", "cap_net_broadcast", "cap_net_raw"],
        since = 209,
        systemd = (
            "Service has no elevated networking privileges",
            "Service has elevated networking privileges"
        ),
        doc = (
            "No elevated networking privileges.",
            "May bind low ports, broadcast, or use raw sockets.",
            "CAP_NET_BIND_SERVICE binds ports below 1024, CAP_NET_BROADCAST sends broadcasts and \
             CAP_NET_RAW opens raw sockets (sniffing and spoofing). A web server needs only \
             CAP_NET_BIND_SERVICE, and only if it binds port 80 or 443 itself. The json_field of this \
             check really ends with a ')' in systemd: policies must use it that way."
        )
    )
};

pub const SYS_BOOT: Check = cap_check!(
    "CAP_SYS_BOOT",
    "CAP_SYS_BOOT",
    100,
    ["cap_sys_boot"],
    since = 209,
    systemd = (
        "Service cannot issue reboot()",
        "Service may issue reboot()"
    ),
    doc = (
        "Cannot reboot the machine.",
        "May reboot the machine or load a new kernel.",
        "CAP_SYS_BOOT allows reboot(2) and kexec_load(2)."
    )
);

pub const MAC: Check = cap_check!(
    "CAP_MAC_*",
    "CAP_MAC",
    100,
    ["cap_mac_admin", "cap_mac_override"],
    since = 209,
    systemd = (
        "Service cannot adjust SMACK MAC",
        "Service may adjust SMACK MAC"
    ),
    doc = (
        "Cannot change mandatory access control.",
        "May override or reconfigure mandatory access control (SMACK).",
        "CAP_MAC_ADMIN and CAP_MAC_OVERRIDE let a process change or bypass SMACK policy."
    )
);

pub const LINUX_IMMUTABLE: Check = cap_check!(
    "CAP_LINUX_IMMUTABLE",
    "CAP_LINUX_IMMUTABLE",
    75,
    ["cap_linux_immutable"],
    since = 209,
    systemd = (
        "Service cannot mark files immutable",
        "Service may mark files immutable"
    ),
    doc = (
        "Cannot set immutable or append-only flags.",
        "May make files immutable or append-only, or clear those flags.",
        "CAP_LINUX_IMMUTABLE controls the immutable and append-only file attributes, used to protect \
         logs and critical files."
    )
);

pub const IPC_LOCK: Check = cap_check!(
    "CAP_IPC_LOCK",
    "CAP_IPC_LOCK",
    50,
    ["cap_ipc_lock"],
    since = 209,
    systemd = (
        "Service cannot lock memory into RAM",
        "Service may lock memory into RAM"
    ),
    doc = (
        "Cannot lock memory beyond its limit.",
        "May lock any amount of memory into RAM.",
        "CAP_IPC_LOCK lifts the limit on locked memory, which can starve the rest of the system. \
         Programs that keep keys out of swap (gpg-agent, vault) use it."
    )
);

pub const SYS_CHROOT: Check = cap_check!(
    "CAP_SYS_CHROOT",
    "CAP_SYS_CHROOT",
    50,
    ["cap_sys_chroot"],
    since = 209,
    systemd = (
        "Service cannot issue chroot()",
        "Service may issue chroot()"
    ),
    doc = (
        "Cannot chroot.",
        "May call chroot(), a building block for confusing setuid programs.",
        "CAP_SYS_CHROOT allows chroot(2). Some daemons (sshd privilege separation, FTP servers) jail \
         themselves with it."
    )
);

pub const BLOCK_SUSPEND: Check = cap_check!(
    "CAP_BLOCK_SUSPEND",
    "CAP_BLOCK_SUSPEND",
    25,
    ["cap_block_suspend"],
    since = 209,
    systemd = (
        "Service cannot establish wake locks",
        "Service may establish wake locks"
    ),
    doc = (
        "Cannot block system suspend.",
        "May keep the system from suspending.",
        "CAP_BLOCK_SUSPEND lets a process hold wake locks."
    )
);

pub const WAKE_ALARM: Check = cap_check!(
    "CAP_WAKE_ALARM",
    "CAP_WAKE_ALARM",
    25,
    ["cap_wake_alarm"],
    since = 209,
    systemd = (
        "Service cannot program timers that wake up the system",
        "Service may program timers that wake up the system"
    ),
    doc = (
        "Cannot set wake-up alarms.",
        "May program timers that wake a suspended system.",
        "CAP_WAKE_ALARM allows alarms that wake the machine. ProtectClock=yes removes it too."
    )
);

pub const LEASE: Check = cap_check!(
    "CAP_LEASE",
    "CAP_LEASE",
    25,
    ["cap_lease"],
    since = 209,
    systemd = (
        "Service cannot create file leases",
        "Service may create file leases"
    ),
    doc = (
        "Cannot take leases on others' files.",
        "May take file leases on files it does not own.",
        "CAP_LEASE lets a process take leases on arbitrary files, delaying other processes' access."
    )
);

pub const SYS_TTY_CONFIG: Check = cap_check!(
    "CAP_SYS_TTY_CONFIG",
    "CAP_SYS_TTY_CONFIG",
    25,
    ["cap_sys_tty_config"],
    since = 209,
    systemd = (
        "Service cannot issue vhangup()",
        "Service may issue vhangup()"
    ),
    doc = (
        "Cannot reconfigure terminals.",
        "May hang up terminals and reconfigure them.",
        "CAP_SYS_TTY_CONFIG allows vhangup(2) and privileged terminal ioctls."
    )
);

pub const SYS_PACCT: Check = cap_check!(
    "CAP_SYS_PACCT",
    "CAP_SYS_PACCT",
    25,
    ["cap_sys_pacct"],
    since = 209,
    systemd = ("Service cannot use acct()", "Service may use acct()"),
    doc = (
        "Cannot switch process accounting.",
        "May turn process accounting on or off.",
        "CAP_SYS_PACCT allows acct(2), which controls process accounting."
    )
);

/// CAP_BPF. Added in 252.19 with its good and bad texts swapped; 252.38/39 still print them
/// that way (the fix arrived in 252.28 for some branches but not in the Debian build measured).
pub const BPF: Check = cap_check!(
    "CAP_BPF",
    "CAP_BPF",
    25,
    ["cap_bpf"],
    since = 252,
    systemd = (
        "Service may not load BPF programs",
        "Service may load BPF programs"
    ),
    doc = (
        "Cannot load BPF programs.",
        "May load BPF programs into the kernel.",
        "CAP_BPF allows loading BPF programs and maps, kernel code with wide reach. Only tracing and \
         networking tools need it."
    )
);

/// `AmbientCapabilities=`: capabilities handed to a non-root process at start.
pub const AMBIENT: Check = Check {
    name: "AmbientCapabilities=",
    json_field: "AmbientCapabilities",
    weight: 500,
    range: 1,
    default_dependencies_only: false,
    assess: |m| Outcome::of(u32::from(m.ambient_capabilities != 0)),
    systemd: SystemdText {
        good: "Service process does not receive ambient capabilities",
        bad: "Service process receives ambient capabilities",
        na: NA_DEFAULT,
    },
    doc: Doc {
        good: "Starts with no ambient capabilities.",
        bad: "Starts with ambient capabilities, which survive exec into any program it runs.",
        why: "AmbientCapabilities= gives capabilities to a service running as a normal user, and they are \
              inherited by every program it executes. It is the right way to let a non-root web server \
              bind port 443 (AmbientCapabilities=CAP_NET_BIND_SERVICE), but every capability given here \
              is one more an attacker inherits, so keep the list minimal.",
        fix: None,
    },
    theme: Theme::Capabilities,
    directive: "AmbientCapabilities=",
    since: 229,
};
