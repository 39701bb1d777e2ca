//! System call filtering (`SystemCallFilter=`) and ABIs (`SystemCallArchitectures=`).
//!
//! Each group check asks whether the filter lets any real member of the group through: with an
//! allow list, a member that is in the list offends (badness 9); with a deny list, a member
//! missing from it offends (badness 10). The first offender is named in systemd's text.

use super::{Check, Doc, NA_DEFAULT, Outcome, Spec, Suggestion, SystemdText, Theme};
use crate::advise::Tier;
use crate::model::Model;
use crate::syscalls::Groups;

fn group_badness(m: &Model, groups: &Groups, group: &str) -> Outcome {
    let f = &m.syscall_filter;
    if !f.allow_list && f.set.is_empty() {
        return Outcome::text(10, "Service does not filter system calls");
    }
    let offender = groups.first_offender(group, &|i| f.set.contains(i) == f.allow_list);
    match (f.allow_list, offender) {
        (true, Some(s)) => Outcome::text(
            9,
            format!(
                "System call allow list defined for service, and {group} is included (e.g. {s} is allowed)"
            ),
        ),
        (true, None) => Outcome::text(
            0,
            format!("System call allow list defined for service, and {group} is not included"),
        ),
        (false, Some(s)) => Outcome::text(
            10,
            format!(
                "System call deny list defined for service, and {group} is not included (e.g. {s} is allowed)"
            ),
        ),
        (false, None) => Outcome::text(
            0,
            format!("System call deny list defined for service, and {group} is included"),
        ),
    }
}

/// How a blocked call shows up, the same for every group.
macro_rules! blocked {
    ($what:literal) => {
        concat!(
            $what,
            " A blocked call kills the process with SIGSYS ('Bad system call', a core dump and \
             status=31/SYS in systemctl status), or returns an error instead if \
             SystemCallErrorNumber= is set."
        )
    };
}

/// The example for the groups `@system-service` leaves out.
const SYSTEM_SERVICE_EXAMPLE: &str = "[Service]\nSystemCallFilter=@system-service\n";

pub const SWAP: Check = Check {
    name: "SystemCallFilter=~@swap",
    json_field: "SystemCallFilter_swap",
    weight: 1000,
    range: 10,
    default_dependencies_only: false,
    assess: |m, p| group_badness(m, &p.groups, "@swap"),
    systemd: SystemdText {
        good: "",
        bad: "",
        na: NA_DEFAULT,
    },
    doc: Doc {
        good: "The system calls of @swap are blocked.",
        bad: "May enable and disable swap devices.",
        why: "@swap holds swapon and swapoff. Turning swap off can push a loaded machine into the out-of-memory \
              killer; turning a crafted file on as swap can expose or corrupt memory. Only swap management \
              tools need them.",
        fix: Some("SystemCallFilter=~@swap"),
        breaks: blocked!("zram and swap-file managers cannot enable or disable swap."),
        relax: "Only a swap manager needs the group; allow the two calls in its own unit: \
                SystemCallFilter=@system-service swapon swapoff.",
        example: SYSTEM_SERVICE_EXAMPLE,
    },
    theme: Theme::SystemCalls,
    directive: "SystemCallFilter=",
    since: 233,
};

pub const OBSOLETE: Check = Check {
    name: "SystemCallFilter=~@obsolete",
    json_field: "SystemCallFilter_obsolete",
    weight: 250,
    range: 10,
    default_dependencies_only: false,
    assess: |m, p| group_badness(m, &p.groups, "@obsolete"),
    systemd: SystemdText {
        good: "",
        bad: "",
        na: NA_DEFAULT,
    },
    doc: Doc {
        good: "The system calls of @obsolete are blocked.",
        bad: "May call obsolete and unimplemented system calls.",
        why: "@obsolete holds system calls no modern program uses, such as uselib, create_module and _sysctl. \
              Allowing them only widens the kernel code an attacker can reach.",
        fix: Some("SystemCallFilter=~@obsolete"),
        breaks: blocked!("Only very old binaries make these calls."),
        relax: "Allow the one call an old binary needs by name, after the allow list: \
                SystemCallFilter=@system-service uselib.",
        example: SYSTEM_SERVICE_EXAMPLE,
    },
    theme: Theme::SystemCalls,
    directive: "SystemCallFilter=",
    since: 231,
};

pub const CLOCK: Check = Check {
    name: "SystemCallFilter=~@clock",
    json_field: "SystemCallFilter_clock",
    weight: 1000,
    range: 10,
    default_dependencies_only: false,
    assess: |m, p| group_badness(m, &p.groups, "@clock"),
    systemd: SystemdText {
        good: "",
        bad: "",
        na: NA_DEFAULT,
    },
    doc: Doc {
        good: "The system calls of @clock are blocked.",
        bad: "May call the system calls that set the clock.",
        why: "@clock holds settimeofday, clock_settime, clock_adjtime and adjtimex. Setting the clock can \
              defeat certificate expiry, replay protection and log ordering. Only time daemons need them. \
              ProtectClock=yes also blocks them at run time, but this check reads SystemCallFilter= only.",
        fix: Some("SystemCallFilter=~@clock"),
        breaks: blocked!(
            "NTP clients, date -s and hwclock fail. Some programs call adjtimex() only to read the clock's \
             synchronisation state and are caught as well."
        ),
        relax: "Time daemons keep the group in their own unit. For a program that only reads the sync \
                state, allow just that call: SystemCallFilter=@system-service adjtimex.",
        example: SYSTEM_SERVICE_EXAMPLE,
    },
    theme: Theme::SystemCalls,
    directive: "SystemCallFilter=",
    since: 231,
};

pub const CPU_EMULATION: Check = Check {
    name: "SystemCallFilter=~@cpu-emulation",
    json_field: "SystemCallFilter_cpu_emulation",
    weight: 250,
    range: 10,
    default_dependencies_only: false,
    assess: |m, p| group_badness(m, &p.groups, "@cpu-emulation"),
    systemd: SystemdText {
        good: "",
        bad: "",
        na: NA_DEFAULT,
    },
    doc: Doc {
        good: "The system calls of @cpu-emulation are blocked.",
        bad: "May call CPU emulation system calls such as modify_ldt.",
        why: "@cpu-emulation (modify_ldt, vm86, vm86old, subpage_prot, switch_endian) exists for emulators \
              and old 16-bit code. These calls reach old, rarely exercised kernel code that has had serious \
              bugs.",
        fix: Some("SystemCallFilter=~@cpu-emulation"),
        breaks: blocked!("Wine, DOSEMU and other emulators fail."),
        relax: "Only emulators need the group; allow the one call in their own unit: \
                SystemCallFilter=@system-service modify_ldt.",
        example: SYSTEM_SERVICE_EXAMPLE,
    },
    theme: Theme::SystemCalls,
    directive: "SystemCallFilter=",
    since: 231,
};

pub const DEBUG: Check = Check {
    name: "SystemCallFilter=~@debug",
    json_field: "SystemCallFilter_debug",
    weight: 1000,
    range: 10,
    default_dependencies_only: false,
    assess: |m, p| group_badness(m, &p.groups, "@debug"),
    systemd: SystemdText {
        good: "",
        bad: "",
        na: NA_DEFAULT,
    },
    doc: Doc {
        good: "The system calls of @debug are blocked.",
        bad: "May call debugging and tracing system calls such as ptrace.",
        why: "@debug holds ptrace, perf_event_open, pidfd_getfd and similar calls. With them a process can \
              read and change the memory of others, steal their file descriptors or profile the kernel.",
        fix: Some("SystemCallFilter=~@debug"),
        breaks: blocked!(
            "strace, gdb and perf fail, and so do crash reporters that attach to a crashing process."
        ),
        relax: "Debug the service in a separate unit or from an administrator's shell rather than \
                allowing @debug in production. A profiler that needs one call can have it alone: \
                SystemCallFilter=@system-service perf_event_open.",
        example: SYSTEM_SERVICE_EXAMPLE,
    },
    theme: Theme::SystemCalls,
    directive: "SystemCallFilter=",
    since: 231,
};

pub const MOUNT: Check = Check {
    name: "SystemCallFilter=~@mount",
    json_field: "SystemCallFilter_mount",
    weight: 1000,
    range: 10,
    default_dependencies_only: false,
    assess: |m, p| group_badness(m, &p.groups, "@mount"),
    systemd: SystemdText {
        good: "",
        bad: "",
        na: NA_DEFAULT,
    },
    doc: Doc {
        good: "The system calls of @mount are blocked.",
        bad: "May call mount and related system calls.",
        why: "@mount holds mount, umount2, pivot_root, chroot and the new mount API (fsopen, fsmount, \
              move_mount, …). Mounting over a path can replace what other code reads there; a service that \
              mounts nothing should not be able to.",
        fix: Some("SystemCallFilter=~@mount"),
        breaks: blocked!("Programs that mount file systems, or chroot into a directory, fail."),
        relax: "Let systemd do the mounting before the service starts: BindPaths=, BindReadOnlyPaths=, \
                TemporaryFileSystem= and RootDirectory= need no @mount in the service.",
        example: SYSTEM_SERVICE_EXAMPLE,
    },
    theme: Theme::SystemCalls,
    directive: "SystemCallFilter=",
    since: 231,
};

pub const MODULE: Check = Check {
    name: "SystemCallFilter=~@module",
    json_field: "SystemCallFilter_module",
    weight: 1000,
    range: 10,
    default_dependencies_only: false,
    assess: |m, p| group_badness(m, &p.groups, "@module"),
    systemd: SystemdText {
        good: "",
        bad: "",
        na: NA_DEFAULT,
    },
    doc: Doc {
        good: "The system calls of @module are blocked.",
        bad: "May call the system calls that load kernel modules.",
        why: "@module holds init_module, finit_module and delete_module. A loaded module runs with full \
              kernel privilege, so these calls are the shortest path from root to a rootkit.",
        fix: Some("SystemCallFilter=~@module"),
        breaks: blocked!("modprobe, insmod and rmmod run by the service fail."),
        relax: "Load the module at boot from /etc/modules-load.d/ and keep the calls blocked.",
        example: SYSTEM_SERVICE_EXAMPLE,
    },
    theme: Theme::SystemCalls,
    directive: "SystemCallFilter=",
    since: 231,
};

pub const RAW_IO: Check = Check {
    name: "SystemCallFilter=~@raw-io",
    json_field: "SystemCallFilter_raw_io",
    weight: 1000,
    range: 10,
    default_dependencies_only: false,
    assess: |m, p| group_badness(m, &p.groups, "@raw-io"),
    systemd: SystemdText {
        good: "",
        bad: "",
        na: NA_DEFAULT,
    },
    doc: Doc {
        good: "The system calls of @raw-io are blocked.",
        bad: "May call raw I/O port system calls.",
        why: "@raw-io holds ioperm, iopl and the PCI configuration calls: direct access to hardware that \
              bypasses every driver and permission check.",
        fix: Some("SystemCallFilter=~@raw-io"),
        breaks: blocked!("Only old hardware tools that poke I/O ports directly make these calls."),
        relax: "Run such a tool in its own unit with the one call it needs: \
                SystemCallFilter=@system-service ioperm.",
        example: SYSTEM_SERVICE_EXAMPLE,
    },
    theme: Theme::SystemCalls,
    directive: "SystemCallFilter=",
    since: 231,
};

pub const REBOOT: Check = Check {
    name: "SystemCallFilter=~@reboot",
    json_field: "SystemCallFilter_reboot",
    weight: 1000,
    range: 10,
    default_dependencies_only: false,
    assess: |m, p| group_badness(m, &p.groups, "@reboot"),
    systemd: SystemdText {
        good: "",
        bad: "",
        na: NA_DEFAULT,
    },
    doc: Doc {
        good: "The system calls of @reboot are blocked.",
        bad: "May call reboot and kexec system calls.",
        why: "@reboot holds reboot, kexec_load and kexec_file_load. With them a process can halt the machine \
              or boot a kernel of its choosing.",
        fix: Some("SystemCallFilter=~@reboot"),
        breaks: blocked!("A service that reboots the machine by calling reboot() itself fails."),
        relax: "Ask systemd to reboot instead (systemctl reboot, or logind's D-Bus API); that needs no \
                call from this group in the service.",
        example: SYSTEM_SERVICE_EXAMPLE,
    },
    theme: Theme::SystemCalls,
    directive: "SystemCallFilter=",
    since: 233,
};

pub const PRIVILEGED: Check = Check {
    name: "SystemCallFilter=~@privileged",
    json_field: "SystemCallFilter_privileged",
    weight: 700,
    range: 10,
    default_dependencies_only: false,
    assess: |m, p| group_badness(m, &p.groups, "@privileged"),
    systemd: SystemdText {
        good: "",
        bad: "",
        na: NA_DEFAULT,
    },
    doc: Doc {
        good: "The system calls of @privileged are blocked.",
        bad: "May call system calls that need superuser capabilities.",
        why: "@privileged collects the calls that only make sense with capabilities: chown, setuid and \
              setgroups, capset, chroot, quotactl, module loading, swap, the clock, reboot. A service that runs \
              unprivileged does not need them, and blocking them still protects the host if it somehow gains \
              a capability. The usual \
              allow list @system-service includes some (chown, setuid, capset), so add \
              SystemCallFilter=~@privileged after it. In 252 even ~@known misses nfsservctl.",
        fix: Some("SystemCallFilter=~@privileged"),
        breaks: blocked!(
            "Daemons that start as root and switch to their own user (setuid, setgroups), and programs \
             that chown files, fail at that step."
        ),
        relax: "Let systemd switch users (User=, Group=) and create owned directories (StateDirectory= \
                and friends) so the service needs neither. If it must chown at run time, allow that \
                group back after the deny line: SystemCallFilter=@chown.",
        example: "[Service]\nSystemCallFilter=@system-service\nSystemCallFilter=~@privileged\n",
    },
    theme: Theme::SystemCalls,
    directive: "SystemCallFilter=",
    since: 231,
};

pub const RESOURCES: Check = Check {
    name: "SystemCallFilter=~@resources",
    json_field: "SystemCallFilter_resources",
    weight: 700,
    range: 10,
    default_dependencies_only: false,
    assess: |m, p| group_badness(m, &p.groups, "@resources"),
    systemd: SystemdText {
        good: "",
        bad: "",
        na: NA_DEFAULT,
    },
    doc: Doc {
        good: "The system calls of @resources are blocked.",
        bad: "May call system calls that change resource limits and scheduling.",
        why: "@resources holds setrlimit, setpriority, sched_setscheduler, sched_setaffinity, mbind and \
              similar calls that change limits, priorities and memory placement. A compromised service could \
              raise its own priority or limits to starve others. @system-service includes the group, so add \
              SystemCallFilter=~@resources after it if the service does not tune itself.",
        fix: Some("SystemCallFilter=~@resources"),
        breaks: blocked!(
            "Programs that raise their file limit at start, lower or raise their nice level, or pin \
             threads to CPUs (databases, JVMs, thread pools) fail at that step."
        ),
        relax: "Set the values in the unit, so systemd applies them before the filter: LimitNOFILE=, \
                Nice=, CPUAffinity=, CPUSchedulingPolicy=. If the program insists on the call, allow \
                just it: SystemCallFilter=setrlimit after the deny line.",
        example: "[Service]\nSystemCallFilter=@system-service\nSystemCallFilter=~@resources\n",
    },
    theme: Theme::SystemCalls,
    directive: "SystemCallFilter=",
    since: 232,
};

/// `SystemCallArchitectures=`: which ABIs may be used for system calls.
pub const ARCHITECTURES: Check = Check {
    name: "SystemCallArchitectures=",
    json_field: "SystemCallArchitectures",
    weight: 1000,
    range: 10,
    default_dependencies_only: false,
    assess: |m, _| {
        let a = &m.syscall_architectures;
        if a.is_empty() {
            Outcome::text(10, "Service may execute system calls with all ABIs")
        } else if a.len() == 1 && a[0] == "native" {
            Outcome::text(0, "Service may execute system calls only with native ABI")
        } else {
            Outcome::text(8, "Service may execute system calls with multiple ABIs")
        }
    },
    systemd: SystemdText {
        good: "",
        bad: "",
        na: NA_DEFAULT,
    },
    doc: Doc {
        good: "Only the native system call ABI is allowed.",
        bad: "May use other ABIs (such as 32-bit x86 on x86-64), where filters are easy to get wrong.",
        why: "A 64-bit process can still enter the kernel through the 32-bit ABIs, with different system \
              call numbers and less tested compatibility code; filters written for one ABI are easy to \
              get wrong for the other. SystemCallArchitectures=native closes every ABI but the \
              machine's own. Write exactly native: even naming the host's own architecture (x86-64) \
              scores as 'multiple ABIs' in systemd 252.",
        fix: Some("SystemCallArchitectures=native"),
        breaks: "32-bit binaries and foreign ABIs can no longer make system calls and are killed. A \
                 32-bit (or x32) program run by the service gets SIGSYS on its first system call: \
                 'Bad system call', a core dump, status=31/SYS.",
        relax: "If it must run 32-bit helpers, list both ABIs: SystemCallArchitectures=native x86. The \
                check then shows a partial score instead of the worst one.",
        example: "[Service]\nSystemCallArchitectures=native\n",
    },
    theme: Theme::SystemCalls,
    directive: "SystemCallArchitectures=",
    since: 209,
};

/// Pass/fail tables for the system call checks: an allow list without the group, or a deny
/// list with it, passes.
pub(crate) const SPECS: &[Spec] = &[
    Spec {
        field: ARCHITECTURES.json_field,
        pass: &[
            "SystemCallArchitectures=native",
            "SystemCallArchitectures=x86\nSystemCallArchitectures=\nSystemCallArchitectures=native",
        ],
        fail: &[
            "SystemCallArchitectures=native\nSystemCallArchitectures=x86",
            "",
            "SystemCallArchitectures=native x86",
            "SystemCallArchitectures=x86-64",
        ],
        suggest: &[Suggestion {
            setting: "SystemCallArchitectures",
            value: "native",
            tier: Tier::Safe,
            when: |m| m.syscall_architectures.len() != 1 || m.syscall_architectures[0] != "native", // The list only grows: reset it first.
            reset: |m| !m.syscall_architectures.is_empty(),
            ..Suggestion::NONE
        }],
        ..Spec::NONE
    },
    Spec {
        field: SWAP.json_field,
        reads: &["SystemCallFilter"],
        pass: &[
            "SystemCallFilter=~swapon swapoff",
            "SystemCallFilter=~@privileged",
            "SystemCallFilter=~@swap",
            "SystemCallFilter=@basic-io",
            "SystemCallFilter=@system-service\nSystemCallFilter=~@swap",
        ],
        fail: &[
            "SystemCallFilter=~swapon",
            "SystemCallFilter=~@swap\nSystemCallFilter=",
            "",
            "SystemCallFilter=@swap",
            "SystemCallFilter=@basic-io @swap",
            "SystemCallFilter=~@reboot",
        ],
        ..Spec::NONE
    },
    Spec {
        field: OBSOLETE.json_field,
        reads: &["SystemCallFilter"],
        pass: &[
            "SystemCallFilter=~@obsolete",
            "SystemCallFilter=@basic-io",
            "SystemCallFilter=@system-service\nSystemCallFilter=~@obsolete",
        ],
        fail: &[
            "",
            "SystemCallFilter=@obsolete",
            "SystemCallFilter=@basic-io @obsolete",
            "SystemCallFilter=~@swap",
        ],
        ..Spec::NONE
    },
    Spec {
        field: CLOCK.json_field,
        reads: &["SystemCallFilter"],
        pass: &[
            "SystemCallFilter=~@clock",
            "SystemCallFilter=@basic-io",
            "SystemCallFilter=@system-service\nSystemCallFilter=~@clock",
        ],
        fail: &[
            "",
            "SystemCallFilter=@clock",
            "SystemCallFilter=@basic-io @clock",
            "SystemCallFilter=~@swap",
        ],
        ..Spec::NONE
    },
    Spec {
        field: CPU_EMULATION.json_field,
        reads: &["SystemCallFilter"],
        pass: &[
            "SystemCallFilter=~@cpu-emulation",
            "SystemCallFilter=@basic-io",
            "SystemCallFilter=@system-service\nSystemCallFilter=~@cpu-emulation",
        ],
        fail: &[
            "",
            "SystemCallFilter=@cpu-emulation",
            "SystemCallFilter=@basic-io @cpu-emulation",
            "SystemCallFilter=~@swap",
        ],
        ..Spec::NONE
    },
    Spec {
        field: DEBUG.json_field,
        reads: &["SystemCallFilter"],
        pass: &[
            "SystemCallFilter=~@debug",
            "SystemCallFilter=@basic-io",
            "SystemCallFilter=@system-service\nSystemCallFilter=~@debug",
        ],
        fail: &[
            "",
            "SystemCallFilter=@debug",
            "SystemCallFilter=@basic-io @debug",
            "SystemCallFilter=~@swap",
        ],
        ..Spec::NONE
    },
    Spec {
        field: MOUNT.json_field,
        reads: &["SystemCallFilter"],
        pass: &[
            "SystemCallFilter=~@swap\nSystemCallFilter=~@mount",
            "SystemCallFilter=~@mount",
            "SystemCallFilter=@basic-io",
            "SystemCallFilter=@system-service\nSystemCallFilter=~@mount",
        ],
        fail: &[
            "",
            "SystemCallFilter=@mount",
            "SystemCallFilter=@basic-io @mount",
            "SystemCallFilter=~@swap",
        ],
        ..Spec::NONE
    },
    Spec {
        field: MODULE.json_field,
        reads: &["SystemCallFilter"],
        pass: &[
            "SystemCallFilter=~@module",
            "SystemCallFilter=@basic-io",
            "SystemCallFilter=@system-service\nSystemCallFilter=~@module",
        ],
        fail: &[
            "",
            "SystemCallFilter=@module",
            "SystemCallFilter=@basic-io @module",
            "SystemCallFilter=~@swap",
        ],
        ..Spec::NONE
    },
    Spec {
        field: RAW_IO.json_field,
        reads: &["SystemCallFilter"],
        pass: &[
            "SystemCallFilter=~@raw-io",
            "SystemCallFilter=@basic-io",
            "SystemCallFilter=@system-service\nSystemCallFilter=~@raw-io",
        ],
        fail: &[
            "",
            "SystemCallFilter=@raw-io",
            "SystemCallFilter=@basic-io @raw-io",
            "SystemCallFilter=~@swap",
        ],
        ..Spec::NONE
    },
    Spec {
        field: REBOOT.json_field,
        reads: &["SystemCallFilter"],
        pass: &[
            "SystemCallFilter=~@reboot",
            "SystemCallFilter=@basic-io",
            "SystemCallFilter=@system-service\nSystemCallFilter=~@reboot",
        ],
        fail: &[
            "",
            "SystemCallFilter=@reboot",
            "SystemCallFilter=@basic-io @reboot",
            "SystemCallFilter=~@swap",
        ],
        ..Spec::NONE
    },
    Spec {
        field: PRIVILEGED.json_field,
        reads: &["SystemCallFilter"],
        pass: &[
            "SystemCallFilter=~@privileged",
            "SystemCallFilter=@basic-io",
            "SystemCallFilter=@system-service\nSystemCallFilter=~@privileged",
        ],
        fail: &[
            "SystemCallFilter=@system-service",
            "",
            "SystemCallFilter=@privileged",
            "SystemCallFilter=@basic-io @privileged",
            "SystemCallFilter=~@swap",
        ],
        ..Spec::NONE
    },
    Spec {
        field: RESOURCES.json_field,
        reads: &["SystemCallFilter"],
        pass: &[
            "SystemCallFilter=~@resources",
            "SystemCallFilter=@basic-io",
            "SystemCallFilter=@system-service\nSystemCallFilter=~@resources",
        ],
        fail: &[
            "SystemCallFilter=@system-service",
            "",
            "SystemCallFilter=@resources",
            "SystemCallFilter=@basic-io @resources",
            "SystemCallFilter=~@swap",
        ],
        ..Spec::NONE
    },
];
