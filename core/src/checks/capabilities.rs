//! Capabilities: the pieces of root's power a service keeps in its bounding set.
//!
//! Each check fails when any of its capabilities is still in `CapabilityBoundingSet=` (after
//! the drops that PrivateDevices=, ProtectKernelModules=, ProtectKernelLogs= and ProtectClock=
//! imply). Remove them with `CapabilityBoundingSet=~CAP_…`, or better, list only what the
//! service needs: `CapabilityBoundingSet=CAP_NET_BIND_SERVICE`. Each example is the `~` line
//! that passes exactly its own check; `relax` shows the narrow allow-list form.

use super::{Check, Doc, EARLY, NA_DEFAULT, Outcome, Spec, SystemdText, Theme};
use crate::model::Model;
use crate::tables::cap_bit;

/// Fails while the bounding set keeps any capability of `mask`.
fn kept(m: &Model, mask: u64) -> Outcome {
    Outcome::unless(m.capability_bounding_set & mask == 0)
}

pub const SYS_ADMIN: Check = Check {
    name: "CapabilityBoundingSet=~CAP_SYS_ADMIN",
    json_field: "CapabilityBoundingSet_CAP_SYS_ADMIN",
    weight: 1500,
    range: 1,
    default_dependencies_only: false,
    assess: |m, _| kept(m, const { cap_bit("cap_sys_admin") }),
    systemd: SystemdText {
        good: "Service has no administrator privileges",
        bad: "Service has administrator privileges",
        na: NA_DEFAULT,
    },
    doc: Doc {
        good: "Cannot use CAP_SYS_ADMIN.",
        bad: "Keeps CAP_SYS_ADMIN, the catch-all capability that is nearly root.",
        why: "CAP_SYS_ADMIN covers mounting, creating most namespaces, many device ioctls, quotas, swap, \
              the host name and dozens of other operations. Many of them lead straight to full root, so \
              holding it is close to holding root. Almost no daemon needs it.",
        fix: None,
        breaks: "Whatever needed it fails with EPERM ('Operation not permitted'): mount and umount, setns \
                 into other namespaces, many ioctls on disks and devices, quotactl, sethostname. Find \
                 the failing call in the journal or with strace -f before deciding what to give back.",
        relax: "Replace it with something narrower: BindPaths= or TemporaryFileSystem= for mounts the \
                service made itself, CAP_NET_ADMIN for network configuration, CAP_BPF with CAP_PERFMON \
                for tracing tools on Linux 5.8 or later, CAP_SYS_RESOURCE for raised limits.",
        example: "[Service]\nCapabilityBoundingSet=~CAP_SYS_ADMIN\n",
    },
    theme: Theme::Capabilities,
    directive: "CapabilityBoundingSet=",
    since: EARLY,
};

pub const SET_UID_GID_PCAP: Check = Check {
    name: "CapabilityBoundingSet=~CAP_SET(UID|GID|PCAP)",
    json_field: "CapabilityBoundingSet_CAP_SET_UID_GID_PCAP",
    weight: 1500,
    range: 1,
    default_dependencies_only: false,
    assess: |m, _| {
        kept(
            m,
            const { cap_bit("cap_setuid") | cap_bit("cap_setgid") | cap_bit("cap_setpcap") },
        )
    },
    systemd: SystemdText {
        good: "Service cannot change UID/GID identities/capabilities",
        bad: "Service may change UID/GID identities/capabilities",
        na: NA_DEFAULT,
    },
    doc: Doc {
        good: "Cannot switch users or groups.",
        bad: "May switch to any user or group, root included.",
        why: "CAP_SETUID and CAP_SETGID let a process become any user or join any group, including root \
              from an unprivileged identity it was dropped to. CAP_SETPCAP lets it hand capabilities to \
              others and change securebits. With User= set, systemd switches users before the service \
              starts, so the service itself needs none of them.",
        fix: None,
        breaks: "Daemons that start as root and drop to their own user themselves (setuid, setgid, \
                 setgroups, initgroups) fail at start with EPERM, and so do su, sudo and runuser run by \
                 the service.",
        relax: "Let systemd switch: User=myapp and Group=myapp. If the program insists on doing it itself, \
                keep only the two it uses, CapabilityBoundingSet=CAP_SETUID CAP_SETGID plus whatever \
                else it needs, and never CAP_SETPCAP.",
        example: "[Service]\nCapabilityBoundingSet=~CAP_SETUID CAP_SETGID CAP_SETPCAP\n",
    },
    theme: Theme::Capabilities,
    directive: "CapabilityBoundingSet=",
    since: EARLY,
};

pub const SYS_PTRACE: Check = Check {
    name: "CapabilityBoundingSet=~CAP_SYS_PTRACE",
    json_field: "CapabilityBoundingSet_CAP_SYS_PTRACE",
    weight: 1500,
    range: 1,
    default_dependencies_only: false,
    assess: |m, _| kept(m, const { cap_bit("cap_sys_ptrace") }),
    systemd: SystemdText {
        good: "Service has no ptrace() debugging abilities",
        bad: "Service has ptrace() debugging abilities",
        na: NA_DEFAULT,
    },
    doc: Doc {
        good: "Cannot trace other processes.",
        bad: "May attach to and control any process with ptrace().",
        why: "CAP_SYS_PTRACE lets a process attach to any other process, read and write its memory and \
              registers, and take its file descriptors: enough to steal keys from an SSH agent or inject \
              code into a root process.",
        fix: None,
        breaks: "strace and gdb cannot attach to other users' processes, and reading /proc/PID/mem, \
                 environ or the fd directory of such processes fails with EACCES or EPERM. Process \
                 monitors show less detail.",
        relax: "Only debuggers and some monitoring agents need it: keep it in that agent's unit alone, \
                listed explicitly, CapabilityBoundingSet=CAP_SYS_PTRACE, and debug other services from \
                an administrator's shell instead.",
        example: "[Service]\nCapabilityBoundingSet=~CAP_SYS_PTRACE\n",
    },
    theme: Theme::Capabilities,
    directive: "CapabilityBoundingSet=",
    since: EARLY,
};

pub const SYS_TIME: Check = Check {
    name: "CapabilityBoundingSet=~CAP_SYS_TIME",
    json_field: "CapabilityBoundingSet_CAP_SYS_TIME",
    weight: 1000,
    range: 1,
    default_dependencies_only: false,
    assess: |m, _| kept(m, const { cap_bit("cap_sys_time") }),
    systemd: SystemdText {
        good: "Service processes cannot change the system clock",
        bad: "Service processes may change the system clock",
        na: NA_DEFAULT,
    },
    doc: Doc {
        good: "Cannot set the clock.",
        bad: "May set the system clock.",
        why: "CAP_SYS_TIME allows setting the system clock and the hardware clock. A wrong clock defeats \
              certificate and token expiry, replay protection and log ordering. ProtectClock=yes removes \
              it too.",
        fix: None,
        breaks: "settimeofday, clock_settime and adjtimex changes fail with EPERM: NTP clients log \
                 'Operation not permitted', date -s and hwclock --systohc fail.",
        relax: "Only time synchronisation daemons need it. Give it to them alone: \
                CapabilityBoundingSet=CAP_SYS_TIME in the NTP daemon's unit.",
        example: "[Service]\nCapabilityBoundingSet=~CAP_SYS_TIME\n",
    },
    theme: Theme::Capabilities,
    directive: "CapabilityBoundingSet=",
    since: EARLY,
};

pub const NET_ADMIN: Check = Check {
    name: "CapabilityBoundingSet=~CAP_NET_ADMIN",
    json_field: "CapabilityBoundingSet_CAP_NET_ADMIN",
    weight: 1000,
    range: 1,
    default_dependencies_only: false,
    assess: |m, _| kept(m, const { cap_bit("cap_net_admin") }),
    systemd: SystemdText {
        good: "Service has no network configuration privileges",
        bad: "Service has network configuration privileges",
        na: NA_DEFAULT,
    },
    doc: Doc {
        good: "Cannot reconfigure networking.",
        bad: "May change interfaces, routes and firewall rules.",
        why: "CAP_NET_ADMIN covers interface configuration, addresses, routing, firewall rules and many \
              socket options. With it a compromised service can redirect traffic, open the firewall or \
              take the machine off the network.",
        fix: None,
        breaks: "ip link, ip addr and ip route changes fail ('RTNETLINK answers: Operation not \
                 permitted'), nft and iptables fail, and so do creating TUN/TAP devices and some socket \
                 options.",
        relax: "Network managers, VPN daemons and firewalls need it; keep it alone in their units, with \
                the device they use: CapabilityBoundingSet=CAP_NET_ADMIN and DeviceAllow=/dev/net/tun rw.",
        example: "[Service]\nCapabilityBoundingSet=~CAP_NET_ADMIN\n",
    },
    theme: Theme::Capabilities,
    directive: "CapabilityBoundingSet=",
    since: EARLY,
};

pub const SYS_RAWIO: Check = Check {
    name: "CapabilityBoundingSet=~CAP_SYS_RAWIO",
    json_field: "CapabilityBoundingSet_CAP_SYS_RAWIO",
    weight: 1000,
    range: 1,
    default_dependencies_only: false,
    assess: |m, _| kept(m, const { cap_bit("cap_sys_rawio") }),
    systemd: SystemdText {
        good: "Service has no raw I/O access",
        bad: "Service has raw I/O access",
        na: NA_DEFAULT,
    },
    doc: Doc {
        good: "Cannot do raw I/O.",
        bad: "May access I/O ports and raw devices directly.",
        why: "CAP_SYS_RAWIO grants raw access to I/O ports, /dev/mem and /dev/port, and some raw disk \
              commands, bypassing drivers and file system permissions entirely. PrivateDevices=yes \
              removes it too.",
        fix: None,
        breaks: "Opening /dev/mem or /dev/port, ioperm and iopl, and some raw disk commands (SMART \
                 queries, firmware updates) fail with EPERM.",
        relax: "Disk health tools such as smartd need it; keep it in their unit alone, together with \
                DeviceAllow= for the disks they watch.",
        example: "[Service]\nCapabilityBoundingSet=~CAP_SYS_RAWIO\n",
    },
    theme: Theme::Capabilities,
    directive: "CapabilityBoundingSet=",
    since: EARLY,
};

pub const SYS_MODULE: Check = Check {
    name: "CapabilityBoundingSet=~CAP_SYS_MODULE",
    json_field: "CapabilityBoundingSet_CAP_SYS_MODULE",
    weight: 1000,
    range: 1,
    default_dependencies_only: false,
    assess: |m, _| kept(m, const { cap_bit("cap_sys_module") }),
    systemd: SystemdText {
        good: "Service cannot load kernel modules",
        bad: "Service may load kernel modules",
        na: NA_DEFAULT,
    },
    doc: Doc {
        good: "Cannot load kernel modules.",
        bad: "May load kernel modules.",
        why: "CAP_SYS_MODULE lets a process load code into the running kernel, the classic way to install \
              a rootkit. ProtectKernelModules=yes removes it too.",
        fix: None,
        breaks: "modprobe and insmod fail ('Operation not permitted'); tools that load their driver on \
                 demand fail at start.",
        relax: "Load the module at boot instead, from a file in /etc/modules-load.d/, and keep the \
                capability out of every service.",
        example: "[Service]\nCapabilityBoundingSet=~CAP_SYS_MODULE\n",
    },
    theme: Theme::Capabilities,
    directive: "CapabilityBoundingSet=",
    since: EARLY,
};

pub const AUDIT: Check = Check {
    name: "CapabilityBoundingSet=~CAP_AUDIT_*",
    json_field: "CapabilityBoundingSet_CAP_AUDIT",
    weight: 500,
    range: 1,
    default_dependencies_only: false,
    assess: |m, _| {
        kept(
            m,
            const {
                cap_bit("cap_audit_control")
                    | cap_bit("cap_audit_read")
                    | cap_bit("cap_audit_write")
            },
        )
    },
    systemd: SystemdText {
        good: "Service has no audit subsystem access",
        bad: "Service has audit subsystem access",
        na: NA_DEFAULT,
    },
    doc: Doc {
        good: "Cannot use the audit subsystem.",
        bad: "May read, write or reconfigure the kernel audit log.",
        why: "CAP_AUDIT_CONTROL changes audit rules and login IDs, CAP_AUDIT_READ reads the audit stream \
              and CAP_AUDIT_WRITE writes records into it. An attacker with them can switch auditing off \
              or forge the trail an investigation relies on.",
        fix: None,
        breaks: "auditctl fails; programs that write audit records (sshd, login, su) log an error and the \
                 records are lost; pam_loginuid fails to set the login ID ('Error writing \
                 /proc/self/loginuid: Operation not permitted').",
        relax: "Login services need CAP_AUDIT_WRITE, and CAP_AUDIT_CONTROL for pam_loginuid: keep those \
                two and drop CAP_AUDIT_READ, which only audit readers need.",
        example: "[Service]\nCapabilityBoundingSet=~CAP_AUDIT_CONTROL CAP_AUDIT_READ CAP_AUDIT_WRITE\n",
    },
    theme: Theme::Capabilities,
    directive: "CapabilityBoundingSet=",
    since: EARLY,
};

pub const SYSLOG: Check = Check {
    name: "CapabilityBoundingSet=~CAP_SYSLOG",
    json_field: "CapabilityBoundingSet_CAP_SYSLOG",
    weight: 500,
    range: 1,
    default_dependencies_only: false,
    assess: |m, _| kept(m, const { cap_bit("cap_syslog") }),
    systemd: SystemdText {
        good: "Service has no access to kernel logging",
        bad: "Service has access to kernel logging",
        na: NA_DEFAULT,
    },
    doc: Doc {
        good: "Cannot use privileged kernel logging operations.",
        bad: "May read and clear the kernel log.",
        why: "CAP_SYSLOG allows reading and clearing the kernel log and shows real kernel addresses in \
              /proc/kallsyms and similar files, which helps an exploit defeat kernel address \
              randomisation. ProtectKernelLogs=yes removes it too.",
        fix: None,
        breaks: "dmesg fails ('read kernel buffer failed: Operation not permitted') where \
                 kernel.dmesg_restrict is on, and kernel addresses read as zeros.",
        relax: "Read kernel messages from the journal (journalctl -k) instead; only a kernel log \
                collector needs the capability.",
        example: "[Service]\nCapabilityBoundingSet=~CAP_SYSLOG\n",
    },
    theme: Theme::Capabilities,
    directive: "CapabilityBoundingSet=",
    since: EARLY,
};

pub const SYS_NICE_RESOURCE: Check = Check {
    name: "CapabilityBoundingSet=~CAP_SYS_(NICE|RESOURCE)",
    json_field: "CapabilityBoundingSet_CAP_SYS_NICE_RESOURCE",
    weight: 500,
    range: 1,
    default_dependencies_only: false,
    assess: |m, _| {
        kept(
            m,
            const { cap_bit("cap_sys_nice") | cap_bit("cap_sys_resource") },
        )
    },
    systemd: SystemdText {
        good: "Service has no privileges to change resource use parameters",
        bad: "Service has privileges to change resource use parameters",
        na: NA_DEFAULT,
    },
    doc: Doc {
        good: "Cannot raise priorities or resource limits.",
        bad: "May raise its priority and override resource limits.",
        why: "CAP_SYS_NICE allows raising priority, real-time scheduling and changing other processes' \
              scheduling; CAP_SYS_RESOURCE allows exceeding resource limits, quotas and the disk space \
              reserved for root. Together they let a runaway or hostile service starve everything else.",
        fix: None,
        breaks: "Lowering the nice value, real-time scheduling and raising a hard limit (such as the open \
                 file limit) fail with EPERM; on a nearly full disk, writes fail with ENOSPC earlier \
                 because the root reserve is no longer available.",
        relax: "Set the values in the unit instead: LimitNOFILE=, Nice=, IOSchedulingClass=, \
                CPUSchedulingPolicy=. systemd applies them before the service starts, so it needs \
                neither capability.",
        example: "[Service]\nCapabilityBoundingSet=~CAP_SYS_NICE CAP_SYS_RESOURCE\n",
    },
    theme: Theme::Capabilities,
    directive: "CapabilityBoundingSet=",
    since: EARLY,
};

pub const MKNOD: Check = Check {
    name: "CapabilityBoundingSet=~CAP_MKNOD",
    json_field: "CapabilityBoundingSet_CAP_MKNOD",
    weight: 500,
    range: 1,
    default_dependencies_only: false,
    assess: |m, _| kept(m, const { cap_bit("cap_mknod") }),
    systemd: SystemdText {
        good: "Service cannot create device nodes",
        bad: "Service may create device nodes",
        na: NA_DEFAULT,
    },
    doc: Doc {
        good: "Cannot create device nodes.",
        bad: "May create device nodes, and so reach any device.",
        why: "CAP_MKNOD allows creating device nodes. A process that can make a node for a disk or for \
              /dev/mem can get around a minimal /dev and file permissions. PrivateDevices=yes removes it \
              too.",
        fix: None,
        breaks: "mknod for block and character devices fails with EPERM (FIFOs and sockets still work); \
                 tools that build root file systems or containers fail.",
        relax: "Create the nodes the service needs at boot, with a udev rule or a tmpfiles.d 'c' line, \
                and keep the capability out of the service.",
        example: "[Service]\nCapabilityBoundingSet=~CAP_MKNOD\n",
    },
    theme: Theme::Capabilities,
    directive: "CapabilityBoundingSet=",
    since: EARLY,
};

pub const CHOWN_FSETID_SETFCAP: Check = Check {
    name: "CapabilityBoundingSet=~CAP_(CHOWN|FSETID|SETFCAP)",
    json_field: "CapabilityBoundingSet_CAP_CHOWN_FSETID_SETFCAP",
    weight: 1000,
    range: 1,
    default_dependencies_only: false,
    assess: |m, _| {
        kept(
            m,
            const { cap_bit("cap_chown") | cap_bit("cap_fsetid") | cap_bit("cap_setfcap") },
        )
    },
    systemd: SystemdText {
        good: "Service cannot change file ownership/access mode/capabilities",
        bad: "Service may change file ownership/access mode/capabilities unrestricted",
        na: NA_DEFAULT,
    },
    doc: Doc {
        good: "Cannot change file ownership or file capabilities freely.",
        bad: "May change owners of any file and set file capabilities.",
        why: "CAP_CHOWN gives any file to any user, CAP_FSETID keeps setuid and setgid bits on files it \
              modifies, and CAP_SETFCAP attaches capabilities to binaries. Together they are a way to \
              plant a privileged program that survives the attack.",
        fix: None,
        breaks: "chown to another user fails with EPERM (restoring backups, unpacking archives that keep \
                 owners), setcap fails, and modifying a setuid file clears its setuid bit.",
        relax: "Let systemd set ownership: StateDirectory= and its siblings are created owned by the \
                service's user, and tmpfiles.d 'z' or 'Z' lines fix ownership of other paths at boot. If \
                it must chown at run time, keep CAP_CHOWN alone.",
        example: "[Service]\nCapabilityBoundingSet=~CAP_CHOWN CAP_FSETID CAP_SETFCAP\n",
    },
    theme: Theme::Capabilities,
    directive: "CapabilityBoundingSet=",
    since: EARLY,
};

pub const DAC_FOWNER_IPC_OWNER: Check = Check {
    name: "CapabilityBoundingSet=~CAP_(DAC_*|FOWNER|IPC_OWNER)",
    json_field: "CapabilityBoundingSet_CAP_DAC_FOWNER_IPC_OWNER",
    weight: 1000,
    range: 1,
    default_dependencies_only: false,
    assess: |m, _| {
        kept(
            m,
            const {
                cap_bit("cap_dac_override")
                    | cap_bit("cap_dac_read_search")
                    | cap_bit("cap_fowner")
                    | cap_bit("cap_ipc_owner")
            },
        )
    },
    systemd: SystemdText {
        good: "Service cannot override UNIX file/IPC permission checks",
        bad: "Service may override UNIX file/IPC permission checks",
        na: NA_DEFAULT,
    },
    doc: Doc {
        good: "File and IPC permission checks apply to it.",
        bad: "May ignore file and IPC permissions.",
        why: "CAP_DAC_OVERRIDE and CAP_DAC_READ_SEARCH bypass read, write and search permissions on every \
              file; CAP_FOWNER bypasses the checks reserved for a file's owner (chmod, timestamps); \
              CAP_IPC_OWNER bypasses IPC permissions. These are what let root read every user's files \
              and the password hashes in /etc/shadow.",
        fix: None,
        breaks: "A root service can no longer read or write files that their permissions do not grant to \
                 root's own UID and groups: opening them fails with EACCES ('Permission denied'). Backup \
                 agents and services reading other users' files are hit first.",
        relax: "Grant access to the specific files instead, by group membership or an ACL. A backup \
                tool that only reads can keep CAP_DAC_READ_SEARCH alone, which bypasses read checks but \
                not write checks.",
        example: "[Service]\nCapabilityBoundingSet=~CAP_DAC_OVERRIDE CAP_DAC_READ_SEARCH CAP_FOWNER CAP_IPC_OWNER\n",
    },
    theme: Theme::Capabilities,
    directive: "CapabilityBoundingSet=",
    since: EARLY,
};

pub const KILL: Check = Check {
    name: "CapabilityBoundingSet=~CAP_KILL",
    json_field: "CapabilityBoundingSet_CAP_KILL",
    weight: 500,
    range: 1,
    default_dependencies_only: false,
    assess: |m, _| kept(m, const { cap_bit("cap_kill") }),
    systemd: SystemdText {
        good: "Service cannot send UNIX signals to arbitrary processes",
        bad: "Service may send UNIX signals to arbitrary processes",
        na: NA_DEFAULT,
    },
    doc: Doc {
        good: "Can signal only its own processes.",
        bad: "May send signals to any process.",
        why: "CAP_KILL lets a process send signals to processes of other users: stop, kill or confuse \
              any service on the machine. Without it, a service can still signal processes running as its \
              own user, including its children.",
        fix: None,
        breaks: "Signals to processes of another user fail with EPERM: a log rotation hook that sends \
                 SIGHUP to a daemon running as a different user, or a supervisor managing workers under \
                 other accounts.",
        relax: "Let systemd deliver the signal (ExecReload=, systemctl kill --signal=) or run the signalled \
                process as the same user. Process supervisors keep CAP_KILL alone.",
        example: "[Service]\nCapabilityBoundingSet=~CAP_KILL\n",
    },
    theme: Theme::Capabilities,
    directive: "CapabilityBoundingSet=",
    since: EARLY,
};

/// The json_field of this check really ends with a `)` in systemd 252, so it is set by hand.
pub const NET_BIND_SERVICE_BROADCAST_RAW: Check = Check {
    json_field: "CapabilityBoundingSet_CAP_NET_BIND_SERVICE_BROADCAST_RAW)",
    ..Check {
        name: "CapabilityBoundingSet=~CAP_NET_(BIND_SERVICE|BROADCAST|RAW)",
        json_field: "CapabilityBoundingSet_unused",
        weight: 500,
        range: 1,
        default_dependencies_only: false,
        assess: |m, _| {
            kept(
                m,
                const {
                    cap_bit("cap_net_bind_service")
                        | cap_bit("cap_net_broadcast")
                        | cap_bit("cap_net_raw")
                },
            )
        },
        systemd: SystemdText {
            good: "Service has no elevated networking privileges",
            bad: "Service has elevated networking privileges",
            na: NA_DEFAULT,
        },
        doc: Doc {
            good: "No elevated networking privileges.",
            bad: "May bind low ports, broadcast, or use raw sockets.",
            why: "CAP_NET_BIND_SERVICE binds ports below 1024, which clients trust to belong to a system \
                  service; CAP_NET_RAW opens raw and packet sockets, enough to sniff traffic and forge \
                  packets; CAP_NET_BROADCAST allows broadcast and multicast listening. The json_field of \
                  this check really ends with a ')' in systemd 252: policies must write it that way.",
            fix: None,
            breaks: "Binding a port below 1024 fails with EACCES ('Permission denied'); tcpdump, arping and \
                     DHCP clients fail to open their sockets ('Operation not permitted'); ping fails where \
                     it relies on raw sockets rather than ICMP datagram sockets.",
            relax: "A web server needs only CAP_NET_BIND_SERVICE: CapabilityBoundingSet=CAP_NET_BIND_SERVICE \
                    (with AmbientCapabilities=CAP_NET_BIND_SERVICE for a non-root user). Better still, let \
                    a .socket unit bind the port so the service needs no capability at all.",
            example: "[Service]\nCapabilityBoundingSet=~CAP_NET_BIND_SERVICE CAP_NET_BROADCAST CAP_NET_RAW\n",
        },
        theme: Theme::Capabilities,
        directive: "CapabilityBoundingSet=",
        since: EARLY,
    }
};

pub const SYS_BOOT: Check = Check {
    name: "CapabilityBoundingSet=~CAP_SYS_BOOT",
    json_field: "CapabilityBoundingSet_CAP_SYS_BOOT",
    weight: 100,
    range: 1,
    default_dependencies_only: false,
    assess: |m, _| kept(m, const { cap_bit("cap_sys_boot") }),
    systemd: SystemdText {
        good: "Service cannot issue reboot()",
        bad: "Service may issue reboot()",
        na: NA_DEFAULT,
    },
    doc: Doc {
        good: "Cannot reboot the machine.",
        bad: "May reboot the machine or load a new kernel.",
        why: "CAP_SYS_BOOT allows reboot(2) and loading a new kernel with kexec: a compromised service could \
              take the machine down at will, or boot a kernel of its choosing.",
        fix: None,
        breaks: "Calling reboot() or kexec directly fails with EPERM. Asking systemd to reboot (systemctl \
                 reboot, or logind over D-Bus) does not use this capability and keeps working for a root \
                 service.",
        relax: "Have the service ask systemd to reboot rather than call reboot() itself; then nothing \
                needs the capability.",
        example: "[Service]\nCapabilityBoundingSet=~CAP_SYS_BOOT\n",
    },
    theme: Theme::Capabilities,
    directive: "CapabilityBoundingSet=",
    since: EARLY,
};

pub const MAC: Check = Check {
    name: "CapabilityBoundingSet=~CAP_MAC_*",
    json_field: "CapabilityBoundingSet_CAP_MAC",
    weight: 100,
    range: 1,
    default_dependencies_only: false,
    assess: |m, _| {
        kept(
            m,
            const { cap_bit("cap_mac_admin") | cap_bit("cap_mac_override") },
        )
    },
    systemd: SystemdText {
        good: "Service cannot adjust SMACK MAC",
        bad: "Service may adjust SMACK MAC",
        na: NA_DEFAULT,
    },
    doc: Doc {
        good: "Cannot change mandatory access control.",
        bad: "May override or reconfigure mandatory access control (SMACK).",
        why: "CAP_MAC_ADMIN and CAP_MAC_OVERRIDE let a process change or bypass the policy of a mandatory \
              access control system, mainly SMACK; SELinux also uses CAP_MAC_ADMIN for a few operations. \
              With them, the last layer that could contain a compromised root service is gone.",
        fix: None,
        breaks: "On SMACK systems, changing labels or rules fails with EPERM. Elsewhere, tools that set \
                 security labels the policy does not know (some SELinux relabelling) fail; most services \
                 notice nothing.",
        relax: "Only the tools that manage the security policy need them; keep them in those units \
                alone.",
        example: "[Service]\nCapabilityBoundingSet=~CAP_MAC_ADMIN CAP_MAC_OVERRIDE\n",
    },
    theme: Theme::Capabilities,
    directive: "CapabilityBoundingSet=",
    since: EARLY,
};

pub const LINUX_IMMUTABLE: Check = Check {
    name: "CapabilityBoundingSet=~CAP_LINUX_IMMUTABLE",
    json_field: "CapabilityBoundingSet_CAP_LINUX_IMMUTABLE",
    weight: 75,
    range: 1,
    default_dependencies_only: false,
    assess: |m, _| kept(m, const { cap_bit("cap_linux_immutable") }),
    systemd: SystemdText {
        good: "Service cannot mark files immutable",
        bad: "Service may mark files immutable",
        na: NA_DEFAULT,
    },
    doc: Doc {
        good: "Cannot set immutable or append-only flags.",
        bad: "May make files immutable or append-only, or clear those flags.",
        why: "CAP_LINUX_IMMUTABLE controls the immutable and append-only file attributes, which protect \
              logs and critical files even from root. With it an attacker can clear the flags and rewrite \
              the logs, or make a planted file hard to remove.",
        fix: None,
        breaks: "chattr +i, +a, -i and -a fail with EPERM.",
        relax: "Set the flags once from an administrator's shell or from an ExecStartPre= line with the \
                '+' prefix, which runs without the unit's restrictions, and keep the capability out of \
                the service.",
        example: "[Service]\nCapabilityBoundingSet=~CAP_LINUX_IMMUTABLE\n",
    },
    theme: Theme::Capabilities,
    directive: "CapabilityBoundingSet=",
    since: EARLY,
};

pub const IPC_LOCK: Check = Check {
    name: "CapabilityBoundingSet=~CAP_IPC_LOCK",
    json_field: "CapabilityBoundingSet_CAP_IPC_LOCK",
    weight: 50,
    range: 1,
    default_dependencies_only: false,
    assess: |m, _| kept(m, const { cap_bit("cap_ipc_lock") }),
    systemd: SystemdText {
        good: "Service cannot lock memory into RAM",
        bad: "Service may lock memory into RAM",
        na: NA_DEFAULT,
    },
    doc: Doc {
        good: "Cannot lock memory beyond its limit.",
        bad: "May lock any amount of memory into RAM.",
        why: "CAP_IPC_LOCK lifts the limit on memory locked into RAM. A process that locks too much can \
              starve the rest of the system of memory.",
        fix: None,
        breaks: "mlock and mlockall beyond the memory-lock limit fail with ENOMEM or EPERM. Programs that \
                 keep keys out of swap (gpg-agent, HashiCorp Vault) warn or refuse to start.",
        relax: "Raise the limit instead of lifting it: LimitMEMLOCK=64M gives the service that much locked \
                memory without the capability.",
        example: "[Service]\nCapabilityBoundingSet=~CAP_IPC_LOCK\n",
    },
    theme: Theme::Capabilities,
    directive: "CapabilityBoundingSet=",
    since: EARLY,
};

pub const SYS_CHROOT: Check = Check {
    name: "CapabilityBoundingSet=~CAP_SYS_CHROOT",
    json_field: "CapabilityBoundingSet_CAP_SYS_CHROOT",
    weight: 50,
    range: 1,
    default_dependencies_only: false,
    assess: |m, _| kept(m, const { cap_bit("cap_sys_chroot") }),
    systemd: SystemdText {
        good: "Service cannot issue chroot()",
        bad: "Service may issue chroot()",
        na: NA_DEFAULT,
    },
    doc: Doc {
        good: "Cannot chroot.",
        bad: "May call chroot(), a building block for confusing setuid programs.",
        why: "CAP_SYS_CHROOT allows chroot(2). Inside a root directory it prepared, an attacker can feed a \
              privileged program fake configuration or libraries.",
        fix: None,
        breaks: "chroot fails with EPERM: daemons that jail themselves (sshd's privilege separation, FTP \
                 servers, BIND with -t, Postfix services marked chroot) fail at start or at login.",
        relax: "Let systemd set the root with RootDirectory=, or keep CAP_SYS_CHROOT alone for a daemon \
                that jails itself.",
        example: "[Service]\nCapabilityBoundingSet=~CAP_SYS_CHROOT\n",
    },
    theme: Theme::Capabilities,
    directive: "CapabilityBoundingSet=",
    since: EARLY,
};

pub const BLOCK_SUSPEND: Check = Check {
    name: "CapabilityBoundingSet=~CAP_BLOCK_SUSPEND",
    json_field: "CapabilityBoundingSet_CAP_BLOCK_SUSPEND",
    weight: 25,
    range: 1,
    default_dependencies_only: false,
    assess: |m, _| kept(m, const { cap_bit("cap_block_suspend") }),
    systemd: SystemdText {
        good: "Service cannot establish wake locks",
        bad: "Service may establish wake locks",
        na: NA_DEFAULT,
    },
    doc: Doc {
        good: "Cannot block system suspend.",
        bad: "May keep the system from suspending.",
        why: "CAP_BLOCK_SUSPEND lets a process hold kernel wake locks, so a buggy or hostile service can \
              keep a laptop from sleeping and drain its battery.",
        fix: None,
        breaks: "The EPOLLWAKEUP flag is silently ignored and writing /sys/power/wake_lock fails; the \
                 system may suspend while the service is busy.",
        relax: "Take a suspend inhibitor lock through logind instead (systemd-inhibit, or its D-Bus API).",
        example: "[Service]\nCapabilityBoundingSet=~CAP_BLOCK_SUSPEND\n",
    },
    theme: Theme::Capabilities,
    directive: "CapabilityBoundingSet=",
    since: EARLY,
};

pub const WAKE_ALARM: Check = Check {
    name: "CapabilityBoundingSet=~CAP_WAKE_ALARM",
    json_field: "CapabilityBoundingSet_CAP_WAKE_ALARM",
    weight: 25,
    range: 1,
    default_dependencies_only: false,
    assess: |m, _| kept(m, const { cap_bit("cap_wake_alarm") }),
    systemd: SystemdText {
        good: "Service cannot program timers that wake up the system",
        bad: "Service may program timers that wake up the system",
        na: NA_DEFAULT,
    },
    doc: Doc {
        good: "Cannot set wake-up alarms.",
        bad: "May program timers that wake a suspended system.",
        why: "CAP_WAKE_ALARM allows timers on the CLOCK_REALTIME_ALARM and CLOCK_BOOTTIME_ALARM clocks, \
              which wake a suspended machine. ProtectClock=yes removes it too.",
        fix: None,
        breaks: "Creating an alarm timer (timer_create or timerfd_create on an _ALARM clock) fails with \
                 EPERM.",
        relax: "Schedule the wake-up with a systemd timer unit with WakeSystem=yes instead of arming \
                alarms from the service.",
        example: "[Service]\nCapabilityBoundingSet=~CAP_WAKE_ALARM\n",
    },
    theme: Theme::Capabilities,
    directive: "CapabilityBoundingSet=",
    since: EARLY,
};

pub const LEASE: Check = Check {
    name: "CapabilityBoundingSet=~CAP_LEASE",
    json_field: "CapabilityBoundingSet_CAP_LEASE",
    weight: 25,
    range: 1,
    default_dependencies_only: false,
    assess: |m, _| kept(m, const { cap_bit("cap_lease") }),
    systemd: SystemdText {
        good: "Service cannot create file leases",
        bad: "Service may create file leases",
        na: NA_DEFAULT,
    },
    doc: Doc {
        good: "Cannot take leases on others' files.",
        bad: "May take file leases on files it does not own.",
        why: "CAP_LEASE lets a process take leases on files it does not own, which delays other processes \
              that open them: a way to stall other services.",
        fix: None,
        breaks: "fcntl(F_SETLEASE) on files owned by another user fails; file servers that use kernel \
                 leases (Samba's kernel oplocks) fall back or log errors.",
        relax: "Run the service as the owner of the files it leases, or keep CAP_LEASE alone for the file \
                server.",
        example: "[Service]\nCapabilityBoundingSet=~CAP_LEASE\n",
    },
    theme: Theme::Capabilities,
    directive: "CapabilityBoundingSet=",
    since: EARLY,
};

pub const SYS_TTY_CONFIG: Check = Check {
    name: "CapabilityBoundingSet=~CAP_SYS_TTY_CONFIG",
    json_field: "CapabilityBoundingSet_CAP_SYS_TTY_CONFIG",
    weight: 25,
    range: 1,
    default_dependencies_only: false,
    assess: |m, _| kept(m, const { cap_bit("cap_sys_tty_config") }),
    systemd: SystemdText {
        good: "Service cannot issue vhangup()",
        bad: "Service may issue vhangup()",
        na: NA_DEFAULT,
    },
    doc: Doc {
        good: "Cannot reconfigure terminals.",
        bad: "May hang up terminals and reconfigure them.",
        why: "CAP_SYS_TTY_CONFIG allows vhangup(2) and privileged terminal and console ioctls: a service \
              could hang up other users' sessions or change the console's keyboard mapping.",
        fix: None,
        breaks: "vhangup() and console configuration (keymaps, fonts) fail with EPERM.",
        relax: "Only getty and console setup tools need it; keep it in their units alone.",
        example: "[Service]\nCapabilityBoundingSet=~CAP_SYS_TTY_CONFIG\n",
    },
    theme: Theme::Capabilities,
    directive: "CapabilityBoundingSet=",
    since: EARLY,
};

pub const SYS_PACCT: Check = Check {
    name: "CapabilityBoundingSet=~CAP_SYS_PACCT",
    json_field: "CapabilityBoundingSet_CAP_SYS_PACCT",
    weight: 25,
    range: 1,
    default_dependencies_only: false,
    assess: |m, _| kept(m, const { cap_bit("cap_sys_pacct") }),
    systemd: SystemdText {
        good: "Service cannot use acct()",
        bad: "Service may use acct()",
        na: NA_DEFAULT,
    },
    doc: Doc {
        good: "Cannot switch process accounting.",
        bad: "May turn process accounting on or off.",
        why: "CAP_SYS_PACCT allows acct(2): switching process accounting off hides what ran on the \
              machine, and pointing it at a file of the attacker's choice fills that file.",
        fix: None,
        breaks: "acct() fails with EPERM; only the process accounting service (accton) needs it.",
        relax: "Keep it in the accounting service's unit alone.",
        example: "[Service]\nCapabilityBoundingSet=~CAP_SYS_PACCT\n",
    },
    theme: Theme::Capabilities,
    directive: "CapabilityBoundingSet=",
    since: EARLY,
};

/// CAP_BPF. Added in 252.19 with its good and bad texts swapped; 252.38/39 still print them
/// that way (the fix arrived in 252.28 for some branches but not in the Debian build measured).
/// `since` is the first release that scores it, not the (older) CapabilityBoundingSet= itself.
pub const BPF: Check = Check {
    name: "CapabilityBoundingSet=~CAP_BPF",
    json_field: "CapabilityBoundingSet_CAP_BPF",
    weight: 25,
    range: 1,
    default_dependencies_only: false,
    assess: |m, _| kept(m, const { cap_bit("cap_bpf") }),
    systemd: SystemdText {
        good: "Service may not load BPF programs",
        bad: "Service may load BPF programs",
        na: NA_DEFAULT,
    },
    doc: Doc {
        good: "Cannot load BPF programs.",
        bad: "May load BPF programs into the kernel.",
        why: "CAP_BPF allows loading BPF programs and creating BPF maps: code that runs inside the kernel, \
              checked by a verifier that has had exploitable bugs. Together with CAP_PERFMON or \
              CAP_NET_ADMIN it lets a process trace or rewrite traffic and system activity.",
        fix: None,
        breaks: "bpf() fails with EPERM: tracing tools (bpftrace, BCC), BPF-based network and security \
                 agents fail to load their programs.",
        relax: "Give BPF agents CAP_BPF with CAP_PERFMON (tracing) or CAP_NET_ADMIN (networking) rather \
                than CAP_SYS_ADMIN, in their units alone.",
        example: "[Service]\nCapabilityBoundingSet=~CAP_BPF\n",
    },
    theme: Theme::Capabilities,
    directive: "CapabilityBoundingSet=",
    since: 252,
};

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
