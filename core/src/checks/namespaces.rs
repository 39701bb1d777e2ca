//! Which kinds of namespaces the service may create (`RestrictNamespaces=`).

use super::{Check, Doc, NA_DEFAULT, Outcome, SystemdText, Theme};
use crate::tables::namespace_flag;

macro_rules! ns_check {
    ($ns:literal, $w:literal, $good:literal, $bad:literal, $dbad:literal, $why:literal) => {
        Check {
            name: concat!("RestrictNamespaces=~", $ns),
            json_field: concat!("RestrictNamespaces_", $ns),
            weight: $w,
            range: 1,
            default_dependencies_only: false,
            assess: |m| {
                let flag = namespace_flag($ns).expect("known namespace");
                Outcome::of(u32::from(m.restrict_namespaces & flag != 0))
            },
            systemd: SystemdText {
                good: $good,
                bad: $bad,
                na: NA_DEFAULT,
            },
            doc: Doc {
                good: concat!("Cannot create ", $ns, " namespaces."),
                bad: $dbad,
                why: $why,
                fix: Some("RestrictNamespaces=yes"),
            },
            theme: Theme::Namespaces,
            directive: "RestrictNamespaces=",
            since: 233,
        }
    };
}

pub const USER: Check = ns_check!(
    "user",
    1500,
    "Service cannot create user namespaces",
    "Service may create user namespaces",
    "May create user namespaces, which expose much more kernel code to an unprivileged attacker.",
    "Inside a new user namespace a process holds every capability, which unlocks large parts of the \
     kernel (mounting, networking configuration) that are otherwise root-only; many kernel exploits \
     start this way. Browsers and container tools use user namespaces for their own sandboxes."
);

pub const MNT: Check = ns_check!(
    "mnt",
    500,
    "Service cannot create file system namespaces",
    "Service may create file system namespaces",
    "May create mount namespaces.",
    "A new mount namespace lets a process rearrange its view of the file system, a common step in \
     escaping other restrictions."
);

pub const IPC: Check = ns_check!(
    "ipc",
    500,
    "Service cannot create IPC namespaces",
    "Service may create IPC namespaces",
    "May create IPC namespaces.",
    "IPC namespaces isolate System V IPC and POSIX message queues; a service rarely needs to make one."
);

pub const PID: Check = ns_check!(
    "pid",
    500,
    "Service cannot create process namespaces",
    "Service may create process namespaces",
    "May create PID namespaces.",
    "A PID namespace hides processes from the outside, which can be used to escape monitoring."
);

pub const CGROUP: Check = ns_check!(
    "cgroup",
    500,
    "Service cannot create cgroup namespaces",
    "Service may create cgroup namespaces",
    "May create cgroup namespaces.",
    "cgroup namespaces change how the control group tree looks from inside; container runtimes use \
     them."
);

pub const NET: Check = ns_check!(
    "net",
    500,
    "Service cannot create network namespaces",
    "Service may create network namespaces",
    "May create network namespaces.",
    "A new network namespace comes with its own interfaces, routes and firewall, and with user \
     namespaces it exposes network configuration code to unprivileged processes."
);

pub const UTS: Check = ns_check!(
    "uts",
    100,
    "Service cannot create hostname namespaces",
    "Service may create hostname namespaces",
    "May create UTS (hostname) namespaces.",
    "UTS namespaces give a process its own host name; harmless alone but rarely needed."
);
