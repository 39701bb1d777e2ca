//! System call filtering (`SystemCallFilter=`) and ABIs (`SystemCallArchitectures=`).
//!
//! Each group check asks whether the filter lets any real member of the group through: with an
//! allow list, a member that is in the list offends (badness 9); with a deny list, a member
//! missing from it offends (badness 10). The first offender is named in systemd's text.

use super::{Check, Doc, NA_DEFAULT, Outcome, SystemdText, Theme};
use crate::model::Model;
use crate::syscalls::first_offender;

fn group_badness(m: &Model, group: &str) -> Outcome {
    let f = &m.syscall_filter;
    if !f.allow_list && f.set.is_empty() {
        return Outcome::text(10, "Service does not filter system calls");
    }
    let offender = first_offender(group, &|i| f.set.contains(i) == f.allow_list);
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

macro_rules! group_check {
    ($group:literal, $field:literal, $w:literal, $dbad:literal, $why:literal) => {
        Check {
            name: concat!("SystemCallFilter=~@", $group),
            json_field: concat!("SystemCallFilter_", $field),
            weight: $w,
            range: 10,
            default_dependencies_only: false,
            assess: |m| group_badness(m, concat!("@", $group)),
            systemd: SystemdText {
                good: "",
                bad: "",
                na: NA_DEFAULT,
            },
            doc: Doc {
                good: concat!("The system calls of @", $group, " are blocked."),
                bad: $dbad,
                why: $why,
                fix: Some(concat!("SystemCallFilter=~@", $group)),
            },
            theme: Theme::SystemCalls,
            directive: "SystemCallFilter=",
            since: 231,
        }
    };
}

pub const SWAP: Check = group_check!(
    "swap",
    "swap",
    1000,
    "May enable and disable swap devices.",
    "@swap holds swapon and swapoff. Only swap management tools need them."
);

pub const OBSOLETE: Check = group_check!(
    "obsolete",
    "obsolete",
    250,
    "May call obsolete and unimplemented system calls.",
    "@obsolete holds system calls no modern program uses; allowing them only widens the kernel's \
     attack surface."
);

pub const CLOCK: Check = group_check!(
    "clock",
    "clock",
    1000,
    "May call the system calls that set the clock.",
    "@clock holds settimeofday, clock_settime, adjtimex and friends. Only time daemons need them. \
     ProtectClock=yes does not add them to the filter: this check looks at SystemCallFilter= only."
);

pub const CPU_EMULATION: Check = group_check!(
    "cpu-emulation",
    "cpu_emulation",
    250,
    "May call CPU emulation system calls such as modify_ldt.",
    "@cpu-emulation (modify_ldt, vm86, …) exists for emulators and old DOS and Windows programs."
);

pub const DEBUG: Check = group_check!(
    "debug",
    "debug",
    1000,
    "May call debugging and tracing system calls such as ptrace.",
    "@debug holds ptrace, perf_event_open and similar calls that read and control other processes."
);

pub const MOUNT: Check = group_check!(
    "mount",
    "mount",
    1000,
    "May call mount and related system calls.",
    "@mount holds mount, umount, pivot_root and the new mount API. A service that mounts nothing \
     should not be able to."
);

pub const MODULE: Check = group_check!(
    "module",
    "module",
    1000,
    "May call the system calls that load kernel modules.",
    "@module holds init_module, finit_module and delete_module."
);

pub const RAW_IO: Check = group_check!(
    "raw-io",
    "raw_io",
    1000,
    "May call raw I/O port system calls.",
    "@raw-io holds ioperm and iopl, direct hardware access."
);

pub const REBOOT: Check = group_check!(
    "reboot",
    "reboot",
    1000,
    "May call reboot and kexec system calls.",
    "@reboot holds reboot, kexec_load and kexec_file_load."
);

pub const PRIVILEGED: Check = group_check!(
    "privileged",
    "privileged",
    700,
    "May call system calls that need superuser capabilities.",
    "@privileged collects the calls that need capabilities (chown, setuid, mount, module loading, \
     swap, the clock, …). The common allow list @system-service includes some of them (chown, \
     setuid), so add SystemCallFilter=~@privileged after it. At 252 even ~@known misses nfsservctl."
);

pub const RESOURCES: Check = group_check!(
    "resources",
    "resources",
    700,
    "May call system calls that change resource limits and scheduling.",
    "@resources holds setrlimit, setpriority, sched_setattr and similar. @system-service includes \
     it, so add SystemCallFilter=~@resources after it if the service does not tune itself."
);

/// `SystemCallArchitectures=`: which ABIs may be used for system calls.
pub const ARCHITECTURES: Check = Check {
    name: "SystemCallArchitectures=",
    json_field: "SystemCallArchitectures",
    weight: 1000,
    range: 10,
    default_dependencies_only: false,
    assess: |m| {
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
        why: "A 64-bit process can still enter the kernel through the 32-bit ABIs, with different syscall \
              numbers; filters written for one ABI may not cover the other. \
              SystemCallArchitectures=native closes them. Write exactly native: even naming the host's \
              own architecture (x86-64) scores as 'multiple ABIs' in systemd 252.",
        fix: Some("SystemCallArchitectures=native"),
    },
    theme: Theme::SystemCalls,
    directive: "SystemCallArchitectures=",
    since: 213,
};
