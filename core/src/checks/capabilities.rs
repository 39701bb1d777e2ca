//! Capabilities: the pieces of root's power a service keeps in its bounding set.
//!
//! Each check fails when any of its capabilities is still in `CapabilityBoundingSet=` (after
//! the drops that PrivateDevices=, ProtectKernelModules=, ProtectKernelLogs= and ProtectClock=
//! imply). Remove them with `CapabilityBoundingSet=~CAP_…`, or better, list only what the
//! service needs: `CapabilityBoundingSet=CAP_NET_BIND_SERVICE`. Each example is the `~` line
//! that passes exactly its own check; `relax` shows the narrow allow-list form.

use super::{Check, Doc, EARLY, NA_DEFAULT, Outcome, SystemdText, Theme};
use crate::tables::cap_bit;

macro_rules! cap_check {
    ($name:literal, $field:literal, $w:literal, [$($cap:literal),+], since = $since:expr,
     systemd = ($good:literal, $bad:literal), doc = ($dgood:literal, $dbad:literal, $why:literal),
     breaks = $breaks:literal, relax = $relax:literal, example = $example:literal) => {
        Check {
            name: concat!("CapabilityBoundingSet=~", $name),
            json_field: concat!("CapabilityBoundingSet_", $field),
            weight: $w,
            range: 1,
            default_dependencies_only: false,
            assess: |m, _| {
                const MASK: u64 = 0 $(| cap_bit($cap))+;
                Outcome::of(u32::from(m.capability_bounding_set & MASK != 0))
            },
            systemd: SystemdText { good: $good, bad: $bad, na: NA_DEFAULT },
            doc: Doc {
                good: $dgood,
                bad: $dbad,
                why: $why,
                fix: None,
                breaks: $breaks,
                relax: $relax,
                example: $example,
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
    since = EARLY,
    systemd = (
        "Service has no administrator privileges",
        "Service has administrator privileges"
    ),
    doc = (
        "Cannot use CAP_SYS_ADMIN.",
        "Keeps CAP_SYS_ADMIN, the catch-all capability that is nearly root.",
        "CAP_SYS_ADMIN covers mounting, creating most namespaces, many device ioctls, quotas, swap, \
         the host name and dozens of other operations. Many of them lead straight to full root, so \
         holding it is close to holding root. Almost no daemon needs it."
    ),
    breaks = "Whatever needed it fails with EPERM ('Operation not permitted'): mount and umount, setns \
              into other namespaces, many ioctls on disks and devices, quotactl, sethostname. Find \
              the failing call in the journal or with strace -f before deciding what to give back.",
    relax = "Replace it with something narrower: BindPaths= or TemporaryFileSystem= for mounts the \
             service made itself, CAP_NET_ADMIN for network configuration, CAP_BPF with CAP_PERFMON \
             for tracing tools on Linux 5.8 or later, CAP_SYS_RESOURCE for raised limits.",
    example = "[Service]\nCapabilityBoundingSet=~CAP_SYS_ADMIN\n"
);

pub const SET_UID_GID_PCAP: Check = cap_check!(
    "CAP_SET(UID|GID|PCAP)",
    "CAP_SET_UID_GID_PCAP",
    1500,
    ["cap_setuid", "cap_setgid", "cap_setpcap"],
    since = EARLY,
    systemd = (
        "Service cannot change UID/GID identities/capabilities",
        "Service may change UID/GID identities/capabilities"
    ),
    doc = (
        "Cannot switch users or groups.",
        "May switch to any user or group, root included.",
        "CAP_SETUID and CAP_SETGID let a process become any user or join any group, including root \
         from an unprivileged identity it was dropped to. CAP_SETPCAP lets it hand capabilities to \
         others and change securebits. With User= set, systemd switches users before the service \
         starts, so the service itself needs none of them."
    ),
    breaks = "Daemons that start as root and drop to their own user themselves (setuid, setgid, \
              setgroups, initgroups) fail at start with EPERM, and so do su, sudo and runuser run by \
              the service.",
    relax = "Let systemd switch: User=myapp and Group=myapp. If the program insists on doing it itself, \
             keep only the two it uses, CapabilityBoundingSet=CAP_SETUID CAP_SETGID plus whatever \
             else it needs, and never CAP_SETPCAP.",
    example = "[Service]\nCapabilityBoundingSet=~CAP_SETUID CAP_SETGID CAP_SETPCAP\n"
);

pub const SYS_PTRACE: Check = cap_check!(
    "CAP_SYS_PTRACE",
    "CAP_SYS_PTRACE",
    1500,
    ["cap_sys_ptrace"],
    since = EARLY,
    systemd = (
        "Service has no ptrace() debugging abilities",
        "Service has ptrace() debugging abilities"
    ),
    doc = (
        "Cannot trace other processes.",
        "May attach to and control any process with ptrace().",
        "CAP_SYS_PTRACE lets a process attach to any other process, read and write its memory and \
         registers, and take its file descriptors: enough to steal keys from an SSH agent or inject \
         code into a root process."
    ),
    breaks = "strace and gdb cannot attach to other users' processes, and reading /proc/PID/mem, \
              environ or the fd directory of such processes fails with EACCES or EPERM. Process \
              monitors show less detail.",
    relax = "Only debuggers and some monitoring agents need it: keep it in that agent's unit alone, \
             listed explicitly, CapabilityBoundingSet=CAP_SYS_PTRACE, and debug other services from \
             an administrator's shell instead.",
    example = "[Service]\nCapabilityBoundingSet=~CAP_SYS_PTRACE\n"
);

pub const SYS_TIME: Check = cap_check!(
    "CAP_SYS_TIME",
    "CAP_SYS_TIME",
    1000,
    ["cap_sys_time"],
    since = EARLY,
    systemd = (
        "Service processes cannot change the system clock",
        "Service processes may change the system clock"
    ),
    doc = (
        "Cannot set the clock.",
        "May set the system clock.",
        "CAP_SYS_TIME allows setting the system clock and the hardware clock. A wrong clock defeats \
         certificate and token expiry, replay protection and log ordering. ProtectClock=yes removes \
         it too."
    ),
    breaks = "settimeofday, clock_settime and adjtimex changes fail with EPERM: NTP clients log \
              'Operation not permitted', date -s and hwclock --systohc fail.",
    relax = "Only time synchronisation daemons need it. Give it to them alone: \
             CapabilityBoundingSet=CAP_SYS_TIME in the NTP daemon's unit.",
    example = "[Service]\nCapabilityBoundingSet=~CAP_SYS_TIME\n"
);

pub const NET_ADMIN: Check = cap_check!(
    "CAP_NET_ADMIN",
    "CAP_NET_ADMIN",
    1000,
    ["cap_net_admin"],
    since = EARLY,
    systemd = (
        "Service has no network configuration privileges",
        "Service has network configuration privileges"
    ),
    doc = (
        "Cannot reconfigure networking.",
        "May change interfaces, routes and firewall rules.",
        "CAP_NET_ADMIN covers interface configuration, addresses, routing, firewall rules and many \
         socket options. With it a compromised service can redirect traffic, open the firewall or \
         take the machine off the network."
    ),
    breaks = "ip link, ip addr and ip route changes fail ('RTNETLINK answers: Operation not \
              permitted'), nft and iptables fail, and so do creating TUN/TAP devices and some socket \
              options.",
    relax = "Network managers, VPN daemons and firewalls need it; keep it alone in their units, with \
             the device they use: CapabilityBoundingSet=CAP_NET_ADMIN and DeviceAllow=/dev/net/tun rw.",
    example = "[Service]\nCapabilityBoundingSet=~CAP_NET_ADMIN\n"
);

pub const SYS_RAWIO: Check = cap_check!(
    "CAP_SYS_RAWIO",
    "CAP_SYS_RAWIO",
    1000,
    ["cap_sys_rawio"],
    since = EARLY,
    systemd = (
        "Service has no raw I/O access",
        "Service has raw I/O access"
    ),
    doc = (
        "Cannot do raw I/O.",
        "May access I/O ports and raw devices directly.",
        "CAP_SYS_RAWIO grants raw access to I/O ports, /dev/mem and /dev/port, and some raw disk \
         commands, bypassing drivers and file system permissions entirely. PrivateDevices=yes \
         removes it too."
    ),
    breaks = "Opening /dev/mem or /dev/port, ioperm and iopl, and some raw disk commands (SMART \
              queries, firmware updates) fail with EPERM.",
    relax = "Disk health tools such as smartd need it; keep it in their unit alone, together with \
             DeviceAllow= for the disks they watch.",
    example = "[Service]\nCapabilityBoundingSet=~CAP_SYS_RAWIO\n"
);

pub const SYS_MODULE: Check = cap_check!(
    "CAP_SYS_MODULE",
    "CAP_SYS_MODULE",
    1000,
    ["cap_sys_module"],
    since = EARLY,
    systemd = (
        "Service cannot load kernel modules",
        "Service may load kernel modules"
    ),
    doc = (
        "Cannot load kernel modules.",
        "May load kernel modules.",
        "CAP_SYS_MODULE lets a process load code into the running kernel, the classic way to install \
         a rootkit. ProtectKernelModules=yes removes it too."
    ),
    breaks = "modprobe and insmod fail ('Operation not permitted'); tools that load their driver on \
              demand fail at start.",
    relax = "Load the module at boot instead, from a file in /etc/modules-load.d/, and keep the \
             capability out of every service.",
    example = "[Service]\nCapabilityBoundingSet=~CAP_SYS_MODULE\n"
);

pub const AUDIT: Check = cap_check!(
    "CAP_AUDIT_*",
    "CAP_AUDIT",
    500,
    ["cap_audit_control", "cap_audit_read", "cap_audit_write"],
    since = EARLY,
    systemd = (
        "Service has no audit subsystem access",
        "Service has audit subsystem access"
    ),
    doc = (
        "Cannot use the audit subsystem.",
        "May read, write or reconfigure the kernel audit log.",
        "CAP_AUDIT_CONTROL changes audit rules and login IDs, CAP_AUDIT_READ reads the audit stream \
         and CAP_AUDIT_WRITE writes records into it. An attacker with them can switch auditing off \
         or forge the trail an investigation relies on."
    ),
    breaks = "auditctl fails; programs that write audit records (sshd, login, su) log an error and the \
              records are lost; pam_loginuid fails to set the login ID ('Error writing \
              /proc/self/loginuid: Operation not permitted').",
    relax = "Login services need CAP_AUDIT_WRITE, and CAP_AUDIT_CONTROL for pam_loginuid: keep those \
             two and drop CAP_AUDIT_READ, which only audit readers need.",
    example =
        "[Service]\nCapabilityBoundingSet=~CAP_AUDIT_CONTROL CAP_AUDIT_READ CAP_AUDIT_WRITE\n"
);

pub const SYSLOG: Check = cap_check!(
    "CAP_SYSLOG",
    "CAP_SYSLOG",
    500,
    ["cap_syslog"],
    since = EARLY,
    systemd = (
        "Service has no access to kernel logging",
        "Service has access to kernel logging"
    ),
    doc = (
        "Cannot use privileged kernel logging operations.",
        "May read and clear the kernel log.",
        "CAP_SYSLOG allows reading and clearing the kernel log and shows real kernel addresses in \
         /proc/kallsyms and similar files, which helps an exploit defeat kernel address \
         randomisation. ProtectKernelLogs=yes removes it too."
    ),
    breaks = "dmesg fails ('read kernel buffer failed: Operation not permitted') where \
              kernel.dmesg_restrict is on, and kernel addresses read as zeros.",
    relax = "Read kernel messages from the journal (journalctl -k) instead; only a kernel log \
             collector needs the capability.",
    example = "[Service]\nCapabilityBoundingSet=~CAP_SYSLOG\n"
);

pub const SYS_NICE_RESOURCE: Check = cap_check!(
    "CAP_SYS_(NICE|RESOURCE)",
    "CAP_SYS_NICE_RESOURCE",
    500,
    ["cap_sys_nice", "cap_sys_resource"],
    since = EARLY,
    systemd = (
        "Service has no privileges to change resource use parameters",
        "Service has privileges to change resource use parameters"
    ),
    doc = (
        "Cannot raise priorities or resource limits.",
        "May raise its priority and override resource limits.",
        "CAP_SYS_NICE allows raising priority, real-time scheduling and changing other processes' \
         scheduling; CAP_SYS_RESOURCE allows exceeding resource limits, quotas and the disk space \
         reserved for root. Together they let a runaway or hostile service starve everything else."
    ),
    breaks = "Lowering the nice value, real-time scheduling and raising a hard limit (such as the open \
              file limit) fail with EPERM; on a nearly full disk, writes fail with ENOSPC earlier \
              because the root reserve is no longer available.",
    relax = "Set the values in the unit instead: LimitNOFILE=, Nice=, IOSchedulingClass=, \
             CPUSchedulingPolicy=. systemd applies them before the service starts, so it needs \
             neither capability.",
    example = "[Service]\nCapabilityBoundingSet=~CAP_SYS_NICE CAP_SYS_RESOURCE\n"
);

pub const MKNOD: Check = cap_check!(
    "CAP_MKNOD",
    "CAP_MKNOD",
    500,
    ["cap_mknod"],
    since = EARLY,
    systemd = (
        "Service cannot create device nodes",
        "Service may create device nodes"
    ),
    doc = (
        "Cannot create device nodes.",
        "May create device nodes, and so reach any device.",
        "CAP_MKNOD allows creating device nodes. A process that can make a node for a disk or for \
         /dev/mem can get around a minimal /dev and file permissions. PrivateDevices=yes removes it \
         too."
    ),
    breaks = "mknod for block and character devices fails with EPERM (FIFOs and sockets still work); \
              tools that build root file systems or containers fail.",
    relax = "Create the nodes the service needs at boot, with a udev rule or a tmpfiles.d 'c' line, \
             and keep the capability out of the service.",
    example = "[Service]\nCapabilityBoundingSet=~CAP_MKNOD\n"
);

pub const CHOWN_FSETID_SETFCAP: Check = cap_check!(
    "CAP_(CHOWN|FSETID|SETFCAP)",
    "CAP_CHOWN_FSETID_SETFCAP",
    1000,
    ["cap_chown", "cap_fsetid", "cap_setfcap"],
    since = EARLY,
    systemd = (
        "Service cannot change file ownership/access mode/capabilities",
        "Service may change file ownership/access mode/capabilities unrestricted"
    ),
    doc = (
        "Cannot change file ownership or file capabilities freely.",
        "May change owners of any file and set file capabilities.",
        "CAP_CHOWN gives any file to any user, CAP_FSETID keeps setuid and setgid bits on files it \
         modifies, and CAP_SETFCAP attaches capabilities to binaries. Together they are a way to \
         plant a privileged program that survives the attack."
    ),
    breaks = "chown to another user fails with EPERM (restoring backups, unpacking archives that keep \
              owners), setcap fails, and modifying a setuid file clears its setuid bit.",
    relax = "Let systemd set ownership: StateDirectory= and its siblings are created owned by the \
             service's user, and tmpfiles.d 'z' or 'Z' lines fix ownership of other paths at boot. If \
             it must chown at run time, keep CAP_CHOWN alone.",
    example = "[Service]\nCapabilityBoundingSet=~CAP_CHOWN CAP_FSETID CAP_SETFCAP\n"
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
    since = EARLY,
    systemd = (
        "Service cannot override UNIX file/IPC permission checks",
        "Service may override UNIX file/IPC permission checks"
    ),
    doc = (
        "File and IPC permission checks apply to it.",
        "May ignore file and IPC permissions.",
        "CAP_DAC_OVERRIDE and CAP_DAC_READ_SEARCH bypass read, write and search permissions on every \
         file; CAP_FOWNER bypasses the checks reserved for a file's owner (chmod, timestamps); \
         CAP_IPC_OWNER bypasses IPC permissions. These are what let root read every user's files \
         and the password hashes in /etc/shadow."
    ),
    breaks = "A root service can no longer read or write files that their permissions do not grant to \
              root's own UID and groups: opening them fails with EACCES ('Permission denied'). Backup \
              agents and services reading other users' files are hit first.",
    relax = "Grant access to the specific files instead, by group membership or an ACL. A backup \
             tool that only reads can keep CAP_DAC_READ_SEARCH alone, which bypasses read checks but \
             not write checks.",
    example = "[Service]\nCapabilityBoundingSet=~CAP_DAC_OVERRIDE CAP_DAC_READ_SEARCH CAP_FOWNER CAP_IPC_OWNER\n"
);

pub const KILL: Check = cap_check!(
    "CAP_KILL",
    "CAP_KILL",
    500,
    ["cap_kill"],
    since = EARLY,
    systemd = (
        "Service cannot send UNIX signals to arbitrary processes",
        "Service may send UNIX signals to arbitrary processes"
    ),
    doc = (
        "Can signal only its own processes.",
        "May send signals to any process.",
        "CAP_KILL lets a process send signals to processes of other users: stop, kill or confuse \
         any service on the machine. Without it, a service can still signal processes running as its \
         own user, including its children."
    ),
    breaks = "Signals to processes of another user fail with EPERM: a log rotation hook that sends \
              SIGHUP to a daemon running as a different user, or a supervisor managing workers under \
              other accounts.",
    relax = "Let systemd deliver the signal (ExecReload=, systemctl kill --signal=) or run the signalled \
             process as the same user. Process supervisors keep CAP_KILL alone.",
    example = "[Service]\nCapabilityBoundingSet=~CAP_KILL\n"
);

/// The json_field of this check really ends with a `)` in systemd 252, so it is set by hand.
pub const NET_BIND_SERVICE_BROADCAST_RAW: Check = Check {
    json_field: "CapabilityBoundingSet_CAP_NET_BIND_SERVICE_BROADCAST_RAW)",
    ..cap_check!(
        "CAP_NET_(BIND_SERVICE|BROADCAST|RAW)",
        "unused",
        500,
        ["cap_net_bind_service", "cap_net_broadcast", "cap_net_raw"],
        since = EARLY,
        systemd = (
            "Service has no elevated networking privileges",
            "Service has elevated networking privileges"
        ),
        doc = (
            "No elevated networking privileges.",
            "May bind low ports, broadcast, or use raw sockets.",
            "CAP_NET_BIND_SERVICE binds ports below 1024, which clients trust to belong to a system \
             service; CAP_NET_RAW opens raw and packet sockets, enough to sniff traffic and forge \
             packets; CAP_NET_BROADCAST allows broadcast and multicast listening. The json_field of \
             this check really ends with a ')' in systemd 252: policies must write it that way."
        ),
        breaks = "Binding a port below 1024 fails with EACCES ('Permission denied'); tcpdump, arping and \
                  DHCP clients fail to open their sockets ('Operation not permitted'); ping fails where \
                  it relies on raw sockets rather than ICMP datagram sockets.",
        relax = "A web server needs only CAP_NET_BIND_SERVICE: CapabilityBoundingSet=CAP_NET_BIND_SERVICE \
                 (with AmbientCapabilities=CAP_NET_BIND_SERVICE for a non-root user). Better still, let \
                 a .socket unit bind the port so the service needs no capability at all.",
        example = "[Service]\nCapabilityBoundingSet=~CAP_NET_BIND_SERVICE CAP_NET_BROADCAST CAP_NET_RAW\n"
    )
};

pub const SYS_BOOT: Check = cap_check!(
    "CAP_SYS_BOOT",
    "CAP_SYS_BOOT",
    100,
    ["cap_sys_boot"],
    since = EARLY,
    systemd = (
        "Service cannot issue reboot()",
        "Service may issue reboot()"
    ),
    doc = (
        "Cannot reboot the machine.",
        "May reboot the machine or load a new kernel.",
        "CAP_SYS_BOOT allows reboot(2) and loading a new kernel with kexec: a compromised service could \
         take the machine down at will, or boot a kernel of its choosing."
    ),
    breaks = "Calling reboot() or kexec directly fails with EPERM. Asking systemd to reboot (systemctl \
              reboot, or logind over D-Bus) does not use this capability and keeps working for a root \
              service.",
    relax = "Have the service ask systemd to reboot rather than call reboot() itself; then nothing \
             needs the capability.",
    example = "[Service]\nCapabilityBoundingSet=~CAP_SYS_BOOT\n"
);

pub const MAC: Check = cap_check!(
    "CAP_MAC_*",
    "CAP_MAC",
    100,
    ["cap_mac_admin", "cap_mac_override"],
    since = EARLY,
    systemd = (
        "Service cannot adjust SMACK MAC",
        "Service may adjust SMACK MAC"
    ),
    doc = (
        "Cannot change mandatory access control.",
        "May override or reconfigure mandatory access control (SMACK).",
        "CAP_MAC_ADMIN and CAP_MAC_OVERRIDE let a process change or bypass the policy of a mandatory \
         access control system, mainly SMACK; SELinux also uses CAP_MAC_ADMIN for a few operations. \
         With them, the last layer that could contain a compromised root service is gone."
    ),
    breaks = "On SMACK systems, changing labels or rules fails with EPERM. Elsewhere, tools that set \
              security labels the policy does not know (some SELinux relabelling) fail; most services \
              notice nothing.",
    relax = "Only the tools that manage the security policy need them; keep them in those units \
             alone.",
    example = "[Service]\nCapabilityBoundingSet=~CAP_MAC_ADMIN CAP_MAC_OVERRIDE\n"
);

pub const LINUX_IMMUTABLE: Check = cap_check!(
    "CAP_LINUX_IMMUTABLE",
    "CAP_LINUX_IMMUTABLE",
    75,
    ["cap_linux_immutable"],
    since = EARLY,
    systemd = (
        "Service cannot mark files immutable",
        "Service may mark files immutable"
    ),
    doc = (
        "Cannot set immutable or append-only flags.",
        "May make files immutable or append-only, or clear those flags.",
        "CAP_LINUX_IMMUTABLE controls the immutable and append-only file attributes, which protect \
         logs and critical files even from root. With it an attacker can clear the flags and rewrite \
         the logs, or make a planted file hard to remove."
    ),
    breaks = "chattr +i, +a, -i and -a fail with EPERM.",
    relax = "Set the flags once from an administrator's shell or from an ExecStartPre= line with the \
             '+' prefix, which runs without the unit's restrictions, and keep the capability out of \
             the service.",
    example = "[Service]\nCapabilityBoundingSet=~CAP_LINUX_IMMUTABLE\n"
);

pub const IPC_LOCK: Check = cap_check!(
    "CAP_IPC_LOCK",
    "CAP_IPC_LOCK",
    50,
    ["cap_ipc_lock"],
    since = EARLY,
    systemd = (
        "Service cannot lock memory into RAM",
        "Service may lock memory into RAM"
    ),
    doc = (
        "Cannot lock memory beyond its limit.",
        "May lock any amount of memory into RAM.",
        "CAP_IPC_LOCK lifts the limit on memory locked into RAM. A process that locks too much can \
         starve the rest of the system of memory."
    ),
    breaks = "mlock and mlockall beyond the memory-lock limit fail with ENOMEM or EPERM. Programs that \
              keep keys out of swap (gpg-agent, HashiCorp Vault) warn or refuse to start.",
    relax = "Raise the limit instead of lifting it: LimitMEMLOCK=64M gives the service that much locked \
             memory without the capability.",
    example = "[Service]\nCapabilityBoundingSet=~CAP_IPC_LOCK\n"
);

pub const SYS_CHROOT: Check = cap_check!(
    "CAP_SYS_CHROOT",
    "CAP_SYS_CHROOT",
    50,
    ["cap_sys_chroot"],
    since = EARLY,
    systemd = (
        "Service cannot issue chroot()",
        "Service may issue chroot()"
    ),
    doc = (
        "Cannot chroot.",
        "May call chroot(), a building block for confusing setuid programs.",
        "CAP_SYS_CHROOT allows chroot(2). Inside a root directory it prepared, an attacker can feed a \
         privileged program fake configuration or libraries."
    ),
    breaks = "chroot fails with EPERM: daemons that jail themselves (sshd's privilege separation, FTP \
              servers, BIND with -t, Postfix services marked chroot) fail at start or at login.",
    relax = "Let systemd set the root with RootDirectory=, or keep CAP_SYS_CHROOT alone for a daemon \
             that jails itself.",
    example = "[Service]\nCapabilityBoundingSet=~CAP_SYS_CHROOT\n"
);

pub const BLOCK_SUSPEND: Check = cap_check!(
    "CAP_BLOCK_SUSPEND",
    "CAP_BLOCK_SUSPEND",
    25,
    ["cap_block_suspend"],
    since = EARLY,
    systemd = (
        "Service cannot establish wake locks",
        "Service may establish wake locks"
    ),
    doc = (
        "Cannot block system suspend.",
        "May keep the system from suspending.",
        "CAP_BLOCK_SUSPEND lets a process hold kernel wake locks, so a buggy or hostile service can \
         keep a laptop from sleeping and drain its battery."
    ),
    breaks = "The EPOLLWAKEUP flag is silently ignored and writing /sys/power/wake_lock fails; the \
              system may suspend while the service is busy.",
    relax =
        "Take a suspend inhibitor lock through logind instead (systemd-inhibit, or its D-Bus API).",
    example = "[Service]\nCapabilityBoundingSet=~CAP_BLOCK_SUSPEND\n"
);

pub const WAKE_ALARM: Check = cap_check!(
    "CAP_WAKE_ALARM",
    "CAP_WAKE_ALARM",
    25,
    ["cap_wake_alarm"],
    since = EARLY,
    systemd = (
        "Service cannot program timers that wake up the system",
        "Service may program timers that wake up the system"
    ),
    doc = (
        "Cannot set wake-up alarms.",
        "May program timers that wake a suspended system.",
        "CAP_WAKE_ALARM allows timers on the CLOCK_REALTIME_ALARM and CLOCK_BOOTTIME_ALARM clocks, \
         which wake a suspended machine. ProtectClock=yes removes it too."
    ),
    breaks = "Creating an alarm timer (timer_create or timerfd_create on an _ALARM clock) fails with \
              EPERM.",
    relax = "Schedule the wake-up with a systemd timer unit with WakeSystem=yes instead of arming \
             alarms from the service.",
    example = "[Service]\nCapabilityBoundingSet=~CAP_WAKE_ALARM\n"
);

pub const LEASE: Check = cap_check!(
    "CAP_LEASE",
    "CAP_LEASE",
    25,
    ["cap_lease"],
    since = EARLY,
    systemd = (
        "Service cannot create file leases",
        "Service may create file leases"
    ),
    doc = (
        "Cannot take leases on others' files.",
        "May take file leases on files it does not own.",
        "CAP_LEASE lets a process take leases on files it does not own, which delays other processes \
         that open them: a way to stall other services."
    ),
    breaks = "fcntl(F_SETLEASE) on files owned by another user fails; file servers that use kernel \
              leases (Samba's kernel oplocks) fall back or log errors.",
    relax = "Run the service as the owner of the files it leases, or keep CAP_LEASE alone for the file \
             server.",
    example = "[Service]\nCapabilityBoundingSet=~CAP_LEASE\n"
);

pub const SYS_TTY_CONFIG: Check = cap_check!(
    "CAP_SYS_TTY_CONFIG",
    "CAP_SYS_TTY_CONFIG",
    25,
    ["cap_sys_tty_config"],
    since = EARLY,
    systemd = (
        "Service cannot issue vhangup()",
        "Service may issue vhangup()"
    ),
    doc = (
        "Cannot reconfigure terminals.",
        "May hang up terminals and reconfigure them.",
        "CAP_SYS_TTY_CONFIG allows vhangup(2) and privileged terminal and console ioctls: a service \
         could hang up other users' sessions or change the console's keyboard mapping."
    ),
    breaks = "vhangup() and console configuration (keymaps, fonts) fail with EPERM.",
    relax = "Only getty and console setup tools need it; keep it in their units alone.",
    example = "[Service]\nCapabilityBoundingSet=~CAP_SYS_TTY_CONFIG\n"
);

pub const SYS_PACCT: Check = cap_check!(
    "CAP_SYS_PACCT",
    "CAP_SYS_PACCT",
    25,
    ["cap_sys_pacct"],
    since = EARLY,
    systemd = ("Service cannot use acct()", "Service may use acct()"),
    doc = (
        "Cannot switch process accounting.",
        "May turn process accounting on or off.",
        "CAP_SYS_PACCT allows acct(2): switching process accounting off hides what ran on the \
         machine, and pointing it at a file of the attacker's choice fills that file."
    ),
    breaks = "acct() fails with EPERM; only the process accounting service (accton) needs it.",
    relax = "Keep it in the accounting service's unit alone.",
    example = "[Service]\nCapabilityBoundingSet=~CAP_SYS_PACCT\n"
);

/// CAP_BPF. Added in 252.19 with its good and bad texts swapped; 252.38/39 still print them
/// that way (the fix arrived in 252.28 for some branches but not in the Debian build measured).
/// `since` is the first release that scores it, not the (older) CapabilityBoundingSet= itself.
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
        "CAP_BPF allows loading BPF programs and creating BPF maps: code that runs inside the kernel, \
         checked by a verifier that has had exploitable bugs. Together with CAP_PERFMON or \
         CAP_NET_ADMIN it lets a process trace or rewrite traffic and system activity."
    ),
    breaks = "bpf() fails with EPERM: tracing tools (bpftrace, BCC), BPF-based network and security \
              agents fail to load their programs.",
    relax = "Give BPF agents CAP_BPF with CAP_PERFMON (tracing) or CAP_NET_ADMIN (networking) rather \
             than CAP_SYS_ADMIN, in their units alone.",
    example = "[Service]\nCapabilityBoundingSet=~CAP_BPF\n"
);

/// `AmbientCapabilities=`: capabilities handed to a non-root process at start.
pub const AMBIENT: Check = Check {
    name: "AmbientCapabilities=",
    json_field: "AmbientCapabilities",
    weight: 500,
    range: 1,
    default_dependencies_only: false,
    assess: |m, _| Outcome::of(u32::from(m.ambient_capabilities != 0)),
    systemd: SystemdText {
        good: "Service process does not receive ambient capabilities",
        bad: "Service process receives ambient capabilities",
        na: NA_DEFAULT,
    },
    doc: Doc {
        good: "Starts with no ambient capabilities.",
        bad: "Starts with ambient capabilities, which survive exec into any program it runs.",
        why: "AmbientCapabilities= gives capabilities to a service running as a normal user, and they \
              are inherited by every program it executes. It is the right way to let a non-root web \
              server bind port 443, but every capability listed is one more an attacker inherits.",
        fix: None,
        breaks: "Removing them takes the power away from the non-root service: binding a port below 1024 \
                 fails with EACCES, other operations with EPERM.",
        relax: "Keep exactly the one it needs and bound it too: AmbientCapabilities=CAP_NET_BIND_SERVICE \
                with CapabilityBoundingSet=CAP_NET_BIND_SERVICE. For a listening port, a .socket unit \
                removes the need entirely. An empty AmbientCapabilities= in a drop-in clears the list.",
        example: "[Service]\nAmbientCapabilities=\n",
    },
    theme: Theme::Capabilities,
    directive: "AmbientCapabilities=",
    since: 229,
};

use super::Spec;

/// `CapabilityBoundingSet=` is all the capability checks read (the drops other settings imply are
/// folded into the bounding set before a check looks at it).
const READS: &[&str] = &["CapabilityBoundingSet"];

/// Pass: the group removed with `~`, an empty set, an allow list without the group, and the
/// settings that drop a capability for you. Fail: the default full set, an allow list with the
/// group, and (for groups of several) a `~` line that leaves one of them.
pub(crate) const SPECS: &[Spec] = &[
    Spec {
        field: SYS_ADMIN.json_field,
        reads: READS,
        pass: &[
            "User=app\nCapabilityBoundingSet=~CAP_SYS_ADMIN",
            "AmbientCapabilities=CAP_SYS_ADMIN\nCapabilityBoundingSet=CAP_KILL",
            "CapabilityBoundingSet=~CAP_SYS_ADMIN",
            "CapabilityBoundingSet=",
            "CapabilityBoundingSet=CAP_KILL",
        ],
        fail: &[
            "CapabilityBoundingSet=CAP_KILL\nCapabilityBoundingSet=CAP_SYS_ADMIN",
            "CapabilityBoundingSet=~CAP_SYS_ADMIN\nCapabilityBoundingSet=CAP_SYS_ADMIN",
            "",
            "CapabilityBoundingSet=CAP_SYS_ADMIN",
            "CapabilityBoundingSet=CAP_KILL CAP_SYS_ADMIN",
            "CapabilityBoundingSet=~CAP_KILL",
        ],
        ..Spec::NONE
    },
    Spec {
        field: SET_UID_GID_PCAP.json_field,
        reads: READS,
        pass: &[
            "CapabilityBoundingSet=~CAP_SETUID CAP_SETGID CAP_SETPCAP",
            "CapabilityBoundingSet=",
            "CapabilityBoundingSet=CAP_KILL",
        ],
        fail: &[
            "",
            "CapabilityBoundingSet=CAP_SETUID",
            "CapabilityBoundingSet=CAP_KILL CAP_SETPCAP",
            "CapabilityBoundingSet=~CAP_SETUID CAP_SETGID",
        ],
        ..Spec::NONE
    },
    Spec {
        field: SYS_PTRACE.json_field,
        reads: READS,
        pass: &[
            "CapabilityBoundingSet=~CAP_SYS_PTRACE",
            "CapabilityBoundingSet=",
            "CapabilityBoundingSet=CAP_KILL",
        ],
        fail: &[
            "",
            "CapabilityBoundingSet=CAP_SYS_PTRACE",
            "CapabilityBoundingSet=CAP_KILL CAP_SYS_PTRACE",
            "CapabilityBoundingSet=~CAP_KILL",
        ],
        ..Spec::NONE
    },
    Spec {
        field: SYS_TIME.json_field,
        reads: READS,
        pass: &[
            "CapabilityBoundingSet=~CAP_SYS_TIME",
            "CapabilityBoundingSet=",
            "CapabilityBoundingSet=CAP_KILL",
            "ProtectClock=yes",
        ],
        fail: &[
            "",
            "CapabilityBoundingSet=CAP_SYS_TIME",
            "CapabilityBoundingSet=CAP_KILL CAP_SYS_TIME",
            "CapabilityBoundingSet=~CAP_KILL",
        ],
        ..Spec::NONE
    },
    Spec {
        field: NET_ADMIN.json_field,
        reads: READS,
        pass: &[
            "CapabilityBoundingSet=~CAP_NET_ADMIN",
            "CapabilityBoundingSet=",
            "CapabilityBoundingSet=CAP_KILL",
        ],
        fail: &[
            "",
            "CapabilityBoundingSet=CAP_NET_ADMIN",
            "CapabilityBoundingSet=CAP_KILL CAP_NET_ADMIN",
            "CapabilityBoundingSet=~CAP_KILL",
        ],
        ..Spec::NONE
    },
    Spec {
        field: SYS_RAWIO.json_field,
        reads: READS,
        pass: &[
            "CapabilityBoundingSet=~CAP_SYS_RAWIO",
            "CapabilityBoundingSet=",
            "CapabilityBoundingSet=CAP_KILL",
            "PrivateDevices=yes",
        ],
        fail: &[
            "",
            "CapabilityBoundingSet=CAP_SYS_RAWIO",
            "CapabilityBoundingSet=CAP_KILL CAP_SYS_RAWIO",
            "CapabilityBoundingSet=~CAP_KILL",
        ],
        ..Spec::NONE
    },
    Spec {
        field: SYS_MODULE.json_field,
        reads: READS,
        pass: &[
            "CapabilityBoundingSet=~CAP_SYS_MODULE",
            "CapabilityBoundingSet=",
            "CapabilityBoundingSet=CAP_KILL",
            "ProtectKernelModules=yes",
        ],
        fail: &[
            "",
            "CapabilityBoundingSet=CAP_SYS_MODULE",
            "CapabilityBoundingSet=CAP_KILL CAP_SYS_MODULE",
            "CapabilityBoundingSet=~CAP_KILL",
        ],
        ..Spec::NONE
    },
    Spec {
        field: AUDIT.json_field,
        reads: READS,
        pass: &[
            "CapabilityBoundingSet=~CAP_AUDIT_CONTROL CAP_AUDIT_READ CAP_AUDIT_WRITE",
            "CapabilityBoundingSet=",
            "CapabilityBoundingSet=CAP_KILL",
        ],
        fail: &[
            "",
            "CapabilityBoundingSet=CAP_AUDIT_CONTROL",
            "CapabilityBoundingSet=CAP_KILL CAP_AUDIT_WRITE",
            "CapabilityBoundingSet=~CAP_AUDIT_CONTROL CAP_AUDIT_READ",
        ],
        ..Spec::NONE
    },
    Spec {
        field: SYSLOG.json_field,
        reads: READS,
        pass: &[
            "CapabilityBoundingSet=~CAP_SYSLOG",
            "CapabilityBoundingSet=",
            "CapabilityBoundingSet=CAP_KILL",
            "ProtectKernelLogs=yes",
        ],
        fail: &[
            "",
            "CapabilityBoundingSet=CAP_SYSLOG",
            "CapabilityBoundingSet=CAP_KILL CAP_SYSLOG",
            "CapabilityBoundingSet=~CAP_KILL",
        ],
        ..Spec::NONE
    },
    Spec {
        field: SYS_NICE_RESOURCE.json_field,
        reads: READS,
        pass: &[
            "CapabilityBoundingSet=~CAP_SYS_NICE CAP_SYS_RESOURCE",
            "CapabilityBoundingSet=",
            "CapabilityBoundingSet=CAP_KILL",
        ],
        fail: &[
            "",
            "CapabilityBoundingSet=CAP_SYS_NICE",
            "CapabilityBoundingSet=CAP_KILL CAP_SYS_RESOURCE",
            "CapabilityBoundingSet=~CAP_SYS_NICE",
        ],
        ..Spec::NONE
    },
    Spec {
        field: MKNOD.json_field,
        reads: READS,
        pass: &[
            "CapabilityBoundingSet=~CAP_MKNOD",
            "CapabilityBoundingSet=",
            "CapabilityBoundingSet=CAP_KILL",
            "PrivateDevices=yes",
        ],
        fail: &[
            "",
            "CapabilityBoundingSet=CAP_MKNOD",
            "CapabilityBoundingSet=CAP_KILL CAP_MKNOD",
            "CapabilityBoundingSet=~CAP_KILL",
        ],
        ..Spec::NONE
    },
    Spec {
        field: CHOWN_FSETID_SETFCAP.json_field,
        reads: READS,
        pass: &[
            "CapabilityBoundingSet=~CAP_CHOWN CAP_FSETID CAP_SETFCAP",
            "CapabilityBoundingSet=",
            "CapabilityBoundingSet=CAP_KILL",
        ],
        fail: &[
            "",
            "CapabilityBoundingSet=CAP_CHOWN",
            "CapabilityBoundingSet=CAP_KILL CAP_SETFCAP",
            "CapabilityBoundingSet=~CAP_CHOWN CAP_FSETID",
        ],
        ..Spec::NONE
    },
    Spec {
        field: DAC_FOWNER_IPC_OWNER.json_field,
        reads: READS,
        pass: &[
            "CapabilityBoundingSet=~CAP_DAC_OVERRIDE CAP_DAC_READ_SEARCH CAP_FOWNER CAP_IPC_OWNER",
            "CapabilityBoundingSet=",
            "CapabilityBoundingSet=CAP_KILL",
        ],
        fail: &[
            "",
            "CapabilityBoundingSet=CAP_DAC_OVERRIDE",
            "CapabilityBoundingSet=CAP_KILL CAP_IPC_OWNER",
            "CapabilityBoundingSet=~CAP_DAC_OVERRIDE CAP_DAC_READ_SEARCH CAP_FOWNER",
        ],
        ..Spec::NONE
    },
    Spec {
        field: KILL.json_field,
        reads: READS,
        pass: &[
            "CapabilityBoundingSet=CAP_KILL\nCapabilityBoundingSet=~CAP_KILL",
            "CapabilityBoundingSet=~CAP_KILL",
            "CapabilityBoundingSet=",
            "CapabilityBoundingSet=CAP_CHOWN",
        ],
        fail: &[
            "",
            "CapabilityBoundingSet=CAP_KILL",
            "CapabilityBoundingSet=CAP_CHOWN CAP_KILL",
            "CapabilityBoundingSet=~CAP_CHOWN",
        ],
        ..Spec::NONE
    },
    Spec {
        field: NET_BIND_SERVICE_BROADCAST_RAW.json_field,
        reads: READS,
        pass: &[
            "CapabilityBoundingSet=~CAP_NET_BIND_SERVICE CAP_NET_BROADCAST CAP_NET_RAW",
            "CapabilityBoundingSet=",
            "CapabilityBoundingSet=CAP_KILL",
        ],
        fail: &[
            "",
            "CapabilityBoundingSet=CAP_NET_BIND_SERVICE",
            "CapabilityBoundingSet=CAP_KILL CAP_NET_RAW",
            "CapabilityBoundingSet=~CAP_NET_BIND_SERVICE CAP_NET_BROADCAST",
        ],
        ..Spec::NONE
    },
    Spec {
        field: SYS_BOOT.json_field,
        reads: READS,
        pass: &[
            "CapabilityBoundingSet=~CAP_SYS_BOOT",
            "CapabilityBoundingSet=",
            "CapabilityBoundingSet=CAP_KILL",
        ],
        fail: &[
            "",
            "CapabilityBoundingSet=CAP_SYS_BOOT",
            "CapabilityBoundingSet=CAP_KILL CAP_SYS_BOOT",
            "CapabilityBoundingSet=~CAP_KILL",
        ],
        ..Spec::NONE
    },
    Spec {
        field: MAC.json_field,
        reads: READS,
        pass: &[
            "CapabilityBoundingSet=~CAP_MAC_ADMIN CAP_MAC_OVERRIDE",
            "CapabilityBoundingSet=",
            "CapabilityBoundingSet=CAP_KILL",
        ],
        fail: &[
            "",
            "CapabilityBoundingSet=CAP_MAC_ADMIN",
            "CapabilityBoundingSet=CAP_KILL CAP_MAC_OVERRIDE",
            "CapabilityBoundingSet=~CAP_MAC_ADMIN",
        ],
        ..Spec::NONE
    },
    Spec {
        field: LINUX_IMMUTABLE.json_field,
        reads: READS,
        pass: &[
            "CapabilityBoundingSet=~CAP_LINUX_IMMUTABLE",
            "CapabilityBoundingSet=",
            "CapabilityBoundingSet=CAP_KILL",
        ],
        fail: &[
            "",
            "CapabilityBoundingSet=CAP_LINUX_IMMUTABLE",
            "CapabilityBoundingSet=CAP_KILL CAP_LINUX_IMMUTABLE",
            "CapabilityBoundingSet=~CAP_KILL",
        ],
        ..Spec::NONE
    },
    Spec {
        field: IPC_LOCK.json_field,
        reads: READS,
        pass: &[
            "CapabilityBoundingSet=~CAP_IPC_LOCK",
            "CapabilityBoundingSet=",
            "CapabilityBoundingSet=CAP_KILL",
        ],
        fail: &[
            "",
            "CapabilityBoundingSet=CAP_IPC_LOCK",
            "CapabilityBoundingSet=CAP_KILL CAP_IPC_LOCK",
            "CapabilityBoundingSet=~CAP_KILL",
        ],
        ..Spec::NONE
    },
    Spec {
        field: SYS_CHROOT.json_field,
        reads: READS,
        pass: &[
            "CapabilityBoundingSet=~CAP_SYS_CHROOT",
            "CapabilityBoundingSet=",
            "CapabilityBoundingSet=CAP_KILL",
        ],
        fail: &[
            "",
            "CapabilityBoundingSet=CAP_SYS_CHROOT",
            "CapabilityBoundingSet=CAP_KILL CAP_SYS_CHROOT",
            "CapabilityBoundingSet=~CAP_KILL",
        ],
        ..Spec::NONE
    },
    Spec {
        field: BLOCK_SUSPEND.json_field,
        reads: READS,
        pass: &[
            "CapabilityBoundingSet=~CAP_BLOCK_SUSPEND",
            "CapabilityBoundingSet=",
            "CapabilityBoundingSet=CAP_KILL",
        ],
        fail: &[
            "",
            "CapabilityBoundingSet=CAP_BLOCK_SUSPEND",
            "CapabilityBoundingSet=CAP_KILL CAP_BLOCK_SUSPEND",
            "CapabilityBoundingSet=~CAP_KILL",
        ],
        ..Spec::NONE
    },
    Spec {
        field: WAKE_ALARM.json_field,
        reads: READS,
        pass: &[
            "CapabilityBoundingSet=~CAP_WAKE_ALARM",
            "CapabilityBoundingSet=",
            "CapabilityBoundingSet=CAP_KILL",
            "ProtectClock=yes",
        ],
        fail: &[
            "",
            "CapabilityBoundingSet=CAP_WAKE_ALARM",
            "CapabilityBoundingSet=CAP_KILL CAP_WAKE_ALARM",
            "CapabilityBoundingSet=~CAP_KILL",
        ],
        ..Spec::NONE
    },
    Spec {
        field: LEASE.json_field,
        reads: READS,
        pass: &[
            "CapabilityBoundingSet=~CAP_LEASE",
            "CapabilityBoundingSet=",
            "CapabilityBoundingSet=CAP_KILL",
        ],
        fail: &[
            "",
            "CapabilityBoundingSet=CAP_LEASE",
            "CapabilityBoundingSet=CAP_KILL CAP_LEASE",
            "CapabilityBoundingSet=~CAP_KILL",
        ],
        ..Spec::NONE
    },
    Spec {
        field: SYS_TTY_CONFIG.json_field,
        reads: READS,
        pass: &[
            "CapabilityBoundingSet=~CAP_SYS_TTY_CONFIG",
            "CapabilityBoundingSet=",
            "CapabilityBoundingSet=CAP_KILL",
        ],
        fail: &[
            "",
            "CapabilityBoundingSet=CAP_SYS_TTY_CONFIG",
            "CapabilityBoundingSet=CAP_KILL CAP_SYS_TTY_CONFIG",
            "CapabilityBoundingSet=~CAP_KILL",
        ],
        ..Spec::NONE
    },
    Spec {
        field: SYS_PACCT.json_field,
        reads: READS,
        pass: &[
            "CapabilityBoundingSet=~CAP_SYS_PACCT",
            "CapabilityBoundingSet=",
            "CapabilityBoundingSet=CAP_KILL",
        ],
        fail: &[
            "",
            "CapabilityBoundingSet=CAP_SYS_PACCT",
            "CapabilityBoundingSet=CAP_KILL CAP_SYS_PACCT",
            "CapabilityBoundingSet=~CAP_KILL",
        ],
        ..Spec::NONE
    },
    Spec {
        field: BPF.json_field,
        reads: READS,
        pass: &[
            "CapabilityBoundingSet=~CAP_BPF",
            "CapabilityBoundingSet=",
            "CapabilityBoundingSet=CAP_KILL",
        ],
        fail: &[
            "",
            "CapabilityBoundingSet=CAP_BPF",
            "CapabilityBoundingSet=CAP_KILL CAP_BPF",
            "CapabilityBoundingSet=~CAP_KILL",
        ],
        ..Spec::NONE
    },
    Spec {
        field: "AmbientCapabilities",
        pass: &[
            "",
            "AmbientCapabilities=",
            "AmbientCapabilities=CAP_NET_RAW\nAmbientCapabilities=",
        ],
        fail: &[
            "AmbientCapabilities=CAP_NET_BIND_SERVICE",
            "User=app\nAmbientCapabilities=CAP_NET_RAW",
            "AmbientCapabilities=~CAP_NET_RAW",
        ],
        ..Spec::NONE
    },
];
