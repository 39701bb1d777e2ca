//! Which kinds of namespaces the service may create (`RestrictNamespaces=`).
//!
//! The restriction applies to what the service's own processes ask for (clone, unshare, setns);
//! the namespaces systemd sets up for PrivateTmp=, PrivateNetwork= and the like are created
//! before it takes effect and keep working. One example serves all seven checks:
//! `RestrictNamespaces=yes` forbids every kind.

use super::{Check, Doc, NA_DEFAULT, Outcome, SystemdText, Theme};
use crate::tables::namespace_flag;

/// What every namespace check may break, whatever the kind.
macro_rules! ns_breaks {
    ($a_ns:literal, $who:literal) => {
        concat!(
            "Creating or joining ",
            $a_ns,
            " namespace (clone, unshare or setns with that flag) fails with EPERM. ",
            $who
        )
    };
}

macro_rules! ns_check {
    ($ns:literal, $w:literal, $good:literal, $bad:literal, $dbad:literal, $why:literal,
     breaks = $breaks:expr, relax = $relax:literal) => {
        Check {
            name: concat!("RestrictNamespaces=~", $ns),
            json_field: concat!("RestrictNamespaces_", $ns),
            weight: $w,
            range: 1,
            default_dependencies_only: false,
            assess: |m, _| {
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
                breaks: $breaks,
                relax: $relax,
                example: "[Service]\nRestrictNamespaces=yes\n",
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
     kernel (mounting, network configuration, netfilter) that are otherwise root-only. Many local \
     privilege escalation exploits start by creating one.",
    breaks = ns_breaks!(
        "a user",
        "Chromium and Electron sandboxes ('No usable sandbox!'), bubblewrap, Flatpak and rootless \
         podman stop working."
    ),
    relax = "List only the kinds the service uses, for example RestrictNamespaces=user mnt for a \
             bubblewrap sandbox: the other five stay forbidden."
);

pub const MNT: Check = ns_check!(
    "mnt",
    500,
    "Service cannot create file system namespaces",
    "Service may create file system namespaces",
    "May create mount namespaces.",
    "A new mount namespace lets a process rearrange its view of the file system; combined with a \
     user namespace it lets an unprivileged process mount things, a common step in escaping other \
     restrictions.",
    breaks = ns_breaks!(
        "a mount",
        "unshare -m, bubblewrap and container runtimes fail; systemd's own PrivateTmp=, \
         ProtectSystem= and similar keep working."
    ),
    relax = "If the service sandboxes itself, allow just what it uses: RestrictNamespaces=mnt (or \
             user mnt)."
);

pub const IPC: Check = ns_check!(
    "ipc",
    500,
    "Service cannot create IPC namespaces",
    "Service may create IPC namespaces",
    "May create IPC namespaces.",
    "IPC namespaces give a process its own System V IPC objects and POSIX message queues. A service \
     rarely needs to make one, and every namespace kind it may create is more kernel code within \
     its reach.",
    breaks = ns_breaks!(
        "an IPC",
        "Only container runtimes and sandboxing tools that isolate IPC are affected."
    ),
    relax = "Allow it only where a container runtime or sandbox tool needs it, listed with the other \
             kinds it uses: RestrictNamespaces=mnt pid ipc."
);

pub const PID: Check = ns_check!(
    "pid",
    500,
    "Service cannot create process namespaces",
    "Service may create process namespaces",
    "May create PID namespaces.",
    "In a new PID namespace a process becomes PID 1 of its own process tree and its children are \
     invisible from inside other namespaces, which can be used to hide activity from a compromised \
     service's own tools.",
    breaks = ns_breaks!(
        "a PID",
        "Container runtimes, bubblewrap --unshare-pid and Chromium's sandbox fail."
    ),
    relax = "List the kinds the sandboxing tool uses, for example RestrictNamespaces=user mnt pid."
);

pub const CGROUP: Check = ns_check!(
    "cgroup",
    500,
    "Service cannot create cgroup namespaces",
    "Service may create cgroup namespaces",
    "May create cgroup namespaces.",
    "A cgroup namespace changes how the control group tree looks from inside. A service rarely \
     needs one; container runtimes create one per container.",
    breaks = ns_breaks!(
        "a cgroup",
        "Container runtimes (runc, crun) that give each container its own cgroup view fail to start \
         containers."
    ),
    relax = "Allow it only in the unit that runs containers, together with the other kinds the \
             runtime uses."
);

pub const NET: Check = ns_check!(
    "net",
    500,
    "Service cannot create network namespaces",
    "Service may create network namespaces",
    "May create network namespaces.",
    "A new network namespace comes with its own interfaces, routes and firewall. With a user \
     namespace it hands network configuration code, a rich source of kernel bugs, to an \
     unprivileged process.",
    breaks = ns_breaks!(
        "a network",
        "ip netns, container runtimes and the network sandbox of Chromium fail."
    ),
    relax = "Allow it only in the unit that manages network namespaces, e.g. RestrictNamespaces=net \
             for a tool that only runs ip netns."
);

pub const UTS: Check = ns_check!(
    "uts",
    100,
    "Service cannot create hostname namespaces",
    "Service may create hostname namespaces",
    "May create UTS (hostname) namespaces.",
    "A UTS namespace gives a process its own host and domain name. It is nearly harmless alone, but \
     a service rarely needs one, and forbidding it costs nothing.",
    breaks = ns_breaks!(
        "a UTS",
        "Only container runtimes and unshare -u are affected."
    ),
    relax = "Allow it only in the unit that runs containers, listed with the other kinds it uses."
);

use super::Spec;

/// Pass/fail tables for the namespace checks: an allow list without the type, or a deny list
/// with it, passes.
pub(crate) const SPECS: &[Spec] = &[
    Spec {
        field: USER.json_field,
        reads: &["RestrictNamespaces"],
        pass: &[
            "RestrictNamespaces=mnt\nRestrictNamespaces=pid",
            "RestrictNamespaces=yes",
            "RestrictNamespaces=~user",
            "RestrictNamespaces=uts",
            "RestrictNamespaces=no\nRestrictNamespaces=yes",
        ],
        fail: &[
            "RestrictNamespaces=mnt\nRestrictNamespaces=user",
            "RestrictNamespaces=yes\nRestrictNamespaces=no",
            "",
            "RestrictNamespaces=no",
            "RestrictNamespaces=user",
            "RestrictNamespaces=~uts",
        ],
        ..Spec::NONE
    },
    Spec {
        field: MNT.json_field,
        reads: &["RestrictNamespaces"],
        pass: &[
            "RestrictNamespaces=~mnt\nRestrictNamespaces=~pid",
            "RestrictNamespaces=yes",
            "RestrictNamespaces=~mnt",
            "RestrictNamespaces=uts",
            "RestrictNamespaces=no\nRestrictNamespaces=yes",
        ],
        fail: &[
            "",
            "RestrictNamespaces=no",
            "RestrictNamespaces=mnt",
            "RestrictNamespaces=~uts",
        ],
        ..Spec::NONE
    },
    Spec {
        field: IPC.json_field,
        reads: &["RestrictNamespaces"],
        pass: &[
            "RestrictNamespaces=yes",
            "RestrictNamespaces=~ipc",
            "RestrictNamespaces=uts",
            "RestrictNamespaces=no\nRestrictNamespaces=yes",
        ],
        fail: &[
            "",
            "RestrictNamespaces=no",
            "RestrictNamespaces=ipc",
            "RestrictNamespaces=~uts",
        ],
        ..Spec::NONE
    },
    Spec {
        field: PID.json_field,
        reads: &["RestrictNamespaces"],
        pass: &[
            "RestrictNamespaces=yes",
            "RestrictNamespaces=~pid",
            "RestrictNamespaces=uts",
            "RestrictNamespaces=no\nRestrictNamespaces=yes",
        ],
        fail: &[
            "",
            "RestrictNamespaces=no",
            "RestrictNamespaces=pid",
            "RestrictNamespaces=~uts",
        ],
        ..Spec::NONE
    },
    Spec {
        field: CGROUP.json_field,
        reads: &["RestrictNamespaces"],
        pass: &[
            "RestrictNamespaces=yes",
            "RestrictNamespaces=~cgroup",
            "RestrictNamespaces=uts",
            "RestrictNamespaces=no\nRestrictNamespaces=yes",
        ],
        fail: &[
            "",
            "RestrictNamespaces=no",
            "RestrictNamespaces=cgroup",
            "RestrictNamespaces=~uts",
        ],
        ..Spec::NONE
    },
    Spec {
        field: NET.json_field,
        reads: &["RestrictNamespaces"],
        pass: &[
            "RestrictNamespaces=yes",
            "RestrictNamespaces=~net",
            "RestrictNamespaces=uts",
            "RestrictNamespaces=no\nRestrictNamespaces=yes",
        ],
        fail: &[
            "",
            "RestrictNamespaces=no",
            "RestrictNamespaces=net",
            "RestrictNamespaces=~uts",
        ],
        ..Spec::NONE
    },
    Spec {
        field: UTS.json_field,
        reads: &["RestrictNamespaces"],
        pass: &[
            "RestrictNamespaces=yes",
            "RestrictNamespaces=~uts",
            "RestrictNamespaces=ipc",
            "RestrictNamespaces=no\nRestrictNamespaces=yes",
        ],
        fail: &[
            "",
            "RestrictNamespaces=no",
            "RestrictNamespaces=uts",
            "RestrictNamespaces=~ipc",
        ],
        ..Spec::NONE
    },
];
