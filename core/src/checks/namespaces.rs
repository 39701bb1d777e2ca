//! Which kinds of namespaces the service may create (`RestrictNamespaces=`).
//!
//! The restriction applies to what the service's own processes ask for (clone, unshare, setns);
//! the namespaces systemd sets up for PrivateTmp=, PrivateNetwork= and the like are created
//! before it takes effect and keep working. One example serves all seven checks:
//! `RestrictNamespaces=yes` forbids every kind.

use super::{Check, Doc, NA_DEFAULT, Outcome, Spec, Suggestion, SystemdText, Theme};
use crate::advise::Tier;
use crate::model::Model;
use crate::tables::namespace_flag;

/// Fails while the service may still create namespaces of kind `ns`.
fn namespace_outcome(m: &Model, ns: &str) -> Outcome {
    let flag = namespace_flag(ns).expect("known namespace");
    Outcome::unless(m.restrict_namespaces & flag == 0)
}

pub const USER: Check = Check {
    name: "RestrictNamespaces=~user",
    json_field: "RestrictNamespaces_user",
    weight: 1500,
    range: 1,
    default_dependencies_only: false,
    assess: |m, _| namespace_outcome(m, "user"),
    systemd: SystemdText {
        good: "Service cannot create user namespaces",
        bad: "Service may create user namespaces",
        na: NA_DEFAULT,
    },
    doc: Doc {
        good: "Cannot create user namespaces.",
        bad: "May create user namespaces, which expose much more kernel code to an unprivileged attacker.",
        why: "Inside a new user namespace a process holds every capability, which unlocks large parts of the \
              kernel (mounting, network configuration, netfilter) that are otherwise root-only. Many local \
              privilege escalation exploits start by creating one.",
        fix: Some("RestrictNamespaces=yes"),
        breaks: "Creating namespaces fails: container tools, browsers and sandboxing helpers \
                 (bubblewrap) break. For a user namespace (clone, unshare or setns with that flag \
                 fail with EPERM) that means Chromium and Electron sandboxes ('No usable sandbox!'), \
                 bubblewrap, Flatpak and rootless podman.",
        relax: "List only the kinds the service uses, for example RestrictNamespaces=user mnt for a \
                bubblewrap sandbox: the other five stay forbidden.",
        example: "[Service]\nRestrictNamespaces=yes\n",
    },
    theme: Theme::Namespaces,
    directive: "RestrictNamespaces=",
    since: 233,
};

pub const MNT: Check = Check {
    name: "RestrictNamespaces=~mnt",
    json_field: "RestrictNamespaces_mnt",
    weight: 500,
    range: 1,
    default_dependencies_only: false,
    assess: |m, _| namespace_outcome(m, "mnt"),
    systemd: SystemdText {
        good: "Service cannot create file system namespaces",
        bad: "Service may create file system namespaces",
        na: NA_DEFAULT,
    },
    doc: Doc {
        good: "Cannot create mnt namespaces.",
        bad: "May create mount namespaces.",
        why: "A new mount namespace lets a process rearrange its view of the file system; combined with a \
              user namespace it lets an unprivileged process mount things, a common step in escaping other \
              restrictions.",
        fix: Some("RestrictNamespaces=yes"),
        breaks: "Creating or joining a mount namespace (clone, unshare or setns with that flag) fails with EPERM. \
                 unshare -m, bubblewrap and container runtimes fail; systemd's own PrivateTmp=, \
                 ProtectSystem= and similar keep working.",
        relax: "If the service sandboxes itself, allow just what it uses: RestrictNamespaces=mnt (or \
                user mnt).",
        example: "[Service]\nRestrictNamespaces=yes\n",
    },
    theme: Theme::Namespaces,
    directive: "RestrictNamespaces=",
    since: 233,
};

pub const IPC: Check = Check {
    name: "RestrictNamespaces=~ipc",
    json_field: "RestrictNamespaces_ipc",
    weight: 500,
    range: 1,
    default_dependencies_only: false,
    assess: |m, _| namespace_outcome(m, "ipc"),
    systemd: SystemdText {
        good: "Service cannot create IPC namespaces",
        bad: "Service may create IPC namespaces",
        na: NA_DEFAULT,
    },
    doc: Doc {
        good: "Cannot create ipc namespaces.",
        bad: "May create IPC namespaces.",
        why: "IPC namespaces give a process its own System V IPC objects and POSIX message queues. A service \
              rarely needs to make one, and every namespace kind it may create is more kernel code within \
              its reach.",
        fix: Some("RestrictNamespaces=yes"),
        breaks: "Creating or joining an IPC namespace (clone, unshare or setns with that flag) fails with EPERM. \
                 Only container runtimes and sandboxing tools that isolate IPC are affected.",
        relax: "Allow it only where a container runtime or sandbox tool needs it, listed with the other \
                kinds it uses: RestrictNamespaces=mnt pid ipc.",
        example: "[Service]\nRestrictNamespaces=yes\n",
    },
    theme: Theme::Namespaces,
    directive: "RestrictNamespaces=",
    since: 233,
};

pub const PID: Check = Check {
    name: "RestrictNamespaces=~pid",
    json_field: "RestrictNamespaces_pid",
    weight: 500,
    range: 1,
    default_dependencies_only: false,
    assess: |m, _| namespace_outcome(m, "pid"),
    systemd: SystemdText {
        good: "Service cannot create process namespaces",
        bad: "Service may create process namespaces",
        na: NA_DEFAULT,
    },
    doc: Doc {
        good: "Cannot create pid namespaces.",
        bad: "May create PID namespaces.",
        why: "In a new PID namespace a process becomes PID 1 of its own process tree and its children are \
              invisible from inside other namespaces, which can be used to hide activity from a compromised \
              service's own tools.",
        fix: Some("RestrictNamespaces=yes"),
        breaks: "Creating or joining a PID namespace (clone, unshare or setns with that flag) fails with EPERM. \
                 Container runtimes, bubblewrap --unshare-pid and Chromium's sandbox fail.",
        relax: "List the kinds the sandboxing tool uses, for example RestrictNamespaces=user mnt pid.",
        example: "[Service]\nRestrictNamespaces=yes\n",
    },
    theme: Theme::Namespaces,
    directive: "RestrictNamespaces=",
    since: 233,
};

pub const CGROUP: Check = Check {
    name: "RestrictNamespaces=~cgroup",
    json_field: "RestrictNamespaces_cgroup",
    weight: 500,
    range: 1,
    default_dependencies_only: false,
    assess: |m, _| namespace_outcome(m, "cgroup"),
    systemd: SystemdText {
        good: "Service cannot create cgroup namespaces",
        bad: "Service may create cgroup namespaces",
        na: NA_DEFAULT,
    },
    doc: Doc {
        good: "Cannot create cgroup namespaces.",
        bad: "May create cgroup namespaces.",
        why: "A cgroup namespace changes how the control group tree looks from inside. A service rarely \
              needs one; container runtimes create one per container.",
        fix: Some("RestrictNamespaces=yes"),
        breaks: "Creating or joining a cgroup namespace (clone, unshare or setns with that flag) fails with EPERM. \
                 Container runtimes (runc, crun) that give each container its own cgroup view fail to start \
                 containers.",
        relax: "Allow it only in the unit that runs containers, together with the other kinds the \
                runtime uses.",
        example: "[Service]\nRestrictNamespaces=yes\n",
    },
    theme: Theme::Namespaces,
    directive: "RestrictNamespaces=",
    since: 233,
};

pub const NET: Check = Check {
    name: "RestrictNamespaces=~net",
    json_field: "RestrictNamespaces_net",
    weight: 500,
    range: 1,
    default_dependencies_only: false,
    assess: |m, _| namespace_outcome(m, "net"),
    systemd: SystemdText {
        good: "Service cannot create network namespaces",
        bad: "Service may create network namespaces",
        na: NA_DEFAULT,
    },
    doc: Doc {
        good: "Cannot create net namespaces.",
        bad: "May create network namespaces.",
        why: "A new network namespace comes with its own interfaces, routes and firewall. With a user \
              namespace it hands network configuration code, a rich source of kernel bugs, to an \
              unprivileged process.",
        fix: Some("RestrictNamespaces=yes"),
        breaks: "Creating or joining a network namespace (clone, unshare or setns with that flag) fails with EPERM. \
                 ip netns, container runtimes and the network sandbox of Chromium fail.",
        relax: "Allow it only in the unit that manages network namespaces, e.g. RestrictNamespaces=net \
                for a tool that only runs ip netns.",
        example: "[Service]\nRestrictNamespaces=yes\n",
    },
    theme: Theme::Namespaces,
    directive: "RestrictNamespaces=",
    since: 233,
};

pub const UTS: Check = Check {
    name: "RestrictNamespaces=~uts",
    json_field: "RestrictNamespaces_uts",
    weight: 100,
    range: 1,
    default_dependencies_only: false,
    assess: |m, _| namespace_outcome(m, "uts"),
    systemd: SystemdText {
        good: "Service cannot create hostname namespaces",
        bad: "Service may create hostname namespaces",
        na: NA_DEFAULT,
    },
    doc: Doc {
        good: "Cannot create uts namespaces.",
        bad: "May create UTS (hostname) namespaces.",
        why: "A UTS namespace gives a process its own host and domain name. It is nearly harmless alone, but \
              a service rarely needs one, and forbidding it costs nothing.",
        fix: Some("RestrictNamespaces=yes"),
        breaks: "Creating or joining a UTS namespace (clone, unshare or setns with that flag) fails with EPERM. \
                 Only container runtimes and unshare -u are affected.",
        relax: "Allow it only in the unit that runs containers, listed with the other kinds it uses.",
        example: "[Service]\nRestrictNamespaces=yes\n",
    },
    theme: Theme::Namespaces,
    directive: "RestrictNamespaces=",
    since: 233,
};

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
        suggest: &[Suggestion {
            setting: "RestrictNamespaces",
            value: "yes",
            tier: Tier::Moderate,
            when: |m| m.restrict_namespaces != 0,
            ..Suggestion::NONE
        }],
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
