//! Who the service runs as, and whether it can gain privileges.

use super::{Check, Doc, EARLY, NA_DEFAULT, Outcome, Spec, Suggestion, SystemdText, Theme};
use crate::advise::Tier;
use crate::model::Model;
use crate::version::{Profile, UserScope};

/// K10: a unit of the per-user manager, on a version that never counts such a unit as
/// privileged (it runs as the calling user, whatever `User=` says).
fn unprivileged_manager(m: &Model, p: &Profile) -> bool {
    m.user_manager && p.user_scope == UserScope::Unprivileged
}

/// `User=/DynamicUser=`: root is the worst identity a service can have; `nobody` is shared by
/// every service that uses it, so it scores almost as badly.
pub const USER_OR_DYNAMIC_USER: Check = Check {
    name: "User=/DynamicUser=",
    json_field: "UserOrDynamicUser",
    weight: 2000,
    range: 10,
    default_dependencies_only: false,
    assess: |m, p| {
        let user = m.user.as_deref();
        let root = matches!(user, Some("root") | Some("0"));
        if user == Some("nobody") {
            Outcome::text(
                9,
                "Service runs under as 'nobody' user, which should not be used for services",
            )
        } else if m.dynamic_user && !root {
            Outcome::text(0, "Service runs under a transient non-root user identity")
        } else if user.is_some_and(|u| !u.is_empty()) && !root {
            Outcome::text(0, "Service runs under a static non-root user identity")
        } else if unprivileged_manager(m, p) {
            Outcome::text(0, "Service runs under the calling user's identity")
        } else {
            Outcome::of(10)
        }
    },
    systemd: SystemdText {
        good: "",
        bad: "Service runs as root user",
        na: NA_DEFAULT,
    },
    doc: Doc {
        good: "Runs as an unprivileged user.",
        bad: "Runs as root: any bug in the service is a bug with full control of the machine.",
        why: "A service that runs as root can read and change every file, load kernel modules and undo \
              most other sandboxing. Running it under its own unprivileged account (User=) or under a \
              throw-away account allocated at each start (DynamicUser=yes) limits a compromise to what \
              that account may touch. The shared 'nobody' account is no answer: every service using it \
              can signal, trace and read the files of the others.",
        fix: Some("DynamicUser=yes"),
        breaks: "Everything root could do and the new user cannot fails with EACCES ('Permission denied') \
                 or EPERM ('Operation not permitted'): files and directories still owned by root, \
                 ports below 1024, other users' files. DynamicUser=yes also turns on ProtectSystem=strict, \
                 ProtectHome=read-only, PrivateTmp=yes, RemoveIPC=yes, NoNewPrivileges=yes and \
                 RestrictSUIDSGID=yes, so writes outside the unit's own directories fail with 'Read-only \
                 file system', and the numeric UID may change between starts.",
        relax: "Keep the unprivileged user and hand back the one power it lacks: \
                AmbientCapabilities=CAP_NET_BIND_SERVICE for a low port, or let a .socket unit open the \
                port. Give it writable places with StateDirectory=, CacheDirectory=, LogsDirectory= and \
                RuntimeDirectory=, which systemd creates and chowns. If other programs must share its \
                files under a fixed UID, use User= with a dedicated system account instead of \
                DynamicUser=.",
        example: "[Service]\nDynamicUser=yes\nStateDirectory=myapp\n",
    },
    theme: Theme::Identity,
    directive: "User=",
    since: EARLY,
};

/// `SupplementaryGroups=`: extra groups widen what a non-root service can reach.
pub const SUPPLEMENTARY_GROUPS: Check = Check {
    name: "SupplementaryGroups=",
    json_field: "SupplementaryGroups",
    weight: 200,
    range: 1,
    default_dependencies_only: false,
    assess: |m, p| {
        if m.runs_privileged() && !unprivileged_manager(m, p) {
            Outcome::NotApplicable
        } else {
            Outcome::of(u32::from(!m.supplementary_groups.is_empty()))
        }
    },
    systemd: SystemdText {
        good: "Service has no supplementary groups",
        bad: "Service runs with supplementary groups",
        na: "Service runs as root, option does not matter",
    },
    doc: Doc {
        good: "No extra groups beyond the service's own.",
        bad: "Member of extra groups, each granting access to more files and devices.",
        why: "Every supplementary group adds the files, sockets and devices owned by that group to what \
              the service can reach. Some groups quietly grant a lot: disk can read raw disks, adm reads \
              most logs, docker is as good as root. For a service that runs as root this check does not \
              apply: root can reach everything anyway.",
        fix: None,
        breaks: "Files, sockets and devices the service reached only through a group become unreadable: \
                 opening them fails with EACCES ('Permission denied'). A service that lost video or \
                 render cannot open /dev/dri; one that lost adm cannot read /var/log.",
        relax: "Keep only the one group that owns what the service needs (SupplementaryGroups=render, \
                not a list), or grant a single file with an ACL (a tmpfiles.d 'a+' line) and drop the \
                group. An empty SupplementaryGroups= line in a drop-in clears the groups the unit file \
                set.",
        example: "[Service]\nDynamicUser=yes\nSupplementaryGroups=\n",
    },
    theme: Theme::Identity,
    directive: "SupplementaryGroups=",
    since: EARLY,
};

pub const PRIVATE_USERS: Check = Check {
    name: "PrivateUsers=",
    json_field: "PrivateUsers",
    weight: 1000,
    range: 1,
    default_dependencies_only: false,
    assess: |m, _| Outcome::unless(m.private_users),
    systemd: SystemdText {
        good: "Service does not have access to other users",
        bad: "Service has access to other users",
        na: NA_DEFAULT,
    },
    doc: Doc {
        good: "Sees only itself and root in a private user namespace.",
        bad: "Shares the host's user and group database.",
        why: "PrivateUsers=yes runs the service in its own user namespace in which only root and the \
              service's own user and group are mapped; every other UID and GID shows up as nobody. \
              Capabilities the service holds then count only inside that namespace, so even a service \
              running as root has no privilege over the host's files, processes or network.",
        fix: Some("PrivateUsers=yes"),
        breaks: "Other users' files appear owned by nobody and host capabilities are lost; services \
                 that chown files, write files other users own or switch users break (seen: rsyslog \
                 stops writing /var/log/syslog). Changing ownership to an unmapped user, switching to \
                 one, and every operation that needs a capability on the host (binding ports below \
                 1024, changing the network, loading modules) fail with EPERM or EINVAL, even for \
                 root.",
        relax: "systemd 252 has no partial form. Use it for services that need no host privilege at all; \
                for the others, remove the powers one by one with CapabilityBoundingSet= instead.",
        example: "[Service]\nPrivateUsers=yes\n",
    },
    theme: Theme::Identity,
    directive: "PrivateUsers=",
    since: 232,
};

pub const NO_NEW_PRIVILEGES: Check = Check {
    name: "NoNewPrivileges=",
    json_field: "NoNewPrivileges",
    weight: 1000,
    range: 1,
    default_dependencies_only: false,
    assess: |m, _| Outcome::unless(m.no_new_privileges),
    systemd: SystemdText {
        good: "Service processes cannot acquire new privileges",
        bad: "Service processes may acquire new privileges",
        na: NA_DEFAULT,
    },
    doc: Doc {
        good: "Cannot gain privileges through setuid programs or file capabilities.",
        bad: "May gain privileges by running setuid/setgid programs or binaries with file capabilities.",
        why: "NoNewPrivileges=yes sets the kernel's no_new_privs flag for the service and everything it \
              starts: executing a setuid, setgid or capability-carrying binary no longer grants anything. \
              An attacker inside the service cannot climb through sudo, su or a vulnerable setuid helper.",
        fix: Some("NoNewPrivileges=yes"),
        breaks: "Setuid and setgid programs (sudo, su, some mail and ping helpers) run without their \
                 extra privileges and fail with EPERM. sudo reports that its effective uid is not 0, \
                 sendmail-style setgid drop programs (postdrop) and PAM's unix_chkpwd fail, and ping \
                 fails on systems where it is setuid. SELinux domain transitions on exec are limited \
                 as well.",
        relax: "Give the service the capability the helper needed instead of the helper's setuid bit, for \
                example AmbientCapabilities=CAP_NET_RAW for a non-root service that pings. Note that \
                SystemCallFilter=, RestrictNamespaces= and similar options already turn no_new_privs on \
                for a service without CAP_SYS_ADMIN, so leaving this off may not bring the helper back.",
        example: "[Service]\nNoNewPrivileges=yes\n",
    },
    theme: Theme::Identity,
    directive: "NoNewPrivileges=",
    since: 187,
};

/// `RemoveIPC=`: System V IPC objects left behind by a user can be abused later.
pub const REMOVE_IPC: Check = Check {
    name: "RemoveIPC=",
    json_field: "RemoveIPC",
    weight: 100,
    range: 1,
    default_dependencies_only: false,
    assess: |m, p| {
        if unprivileged_manager(m, p) {
            Outcome::NotApplicableText("RemoveIPC= has no effect on per-user services".into())
        } else if m.runs_privileged() {
            Outcome::NotApplicable
        } else {
            Outcome::of(u32::from(!m.remove_ipc))
        }
    },
    systemd: SystemdText {
        good: "Service user cannot leave SysV IPC objects around",
        bad: "Service user may leave SysV IPC objects around",
        na: "Service runs as root, option does not apply",
    },
    doc: Doc {
        good: "IPC objects of the service user are removed when it stops.",
        bad: "Shared memory, semaphores and message queues may outlive the service.",
        why: "RemoveIPC=yes deletes the System V and POSIX IPC objects (shared memory, semaphores, \
              message queues) owned by the service's user and group when the service stops. Nothing it \
              created lingers for another process, or for the next holder of a recycled dynamic UID, to \
              read or tamper with. It never applies to root, so the check is N/A for root services.",
        fix: Some("RemoveIPC=yes"),
        breaks: "System V or POSIX IPC objects the service user keeps between runs are removed when \
                 it stops. Shared memory and semaphores are gone after a stop or restart: a later run \
                 that expected to reattach to them starts cold, and other processes of the same user \
                 that still use them get EINVAL or EIDRM. If several units share one user account, \
                 stopping one removes the objects of all of them.",
        relax: "Give the service its own account (DynamicUser=yes or a dedicated User=), so the cleanup \
                only ever touches its own objects. Keep state that must survive a restart in files \
                under StateDirectory= rather than in IPC objects.",
        example: "[Service]\nUser=myapp\nRemoveIPC=yes\n",
    },
    theme: Theme::Identity,
    directive: "RemoveIPC=",
    since: 232,
};

pub const RESTRICT_SUID_SGID: Check = Check {
    name: "RestrictSUIDSGID=",
    json_field: "RestrictSUIDSGID",
    weight: 1000,
    range: 1,
    default_dependencies_only: false,
    assess: |m, _| Outcome::unless(m.restrict_suid_sgid),
    systemd: SystemdText {
        good: "SUID/SGID file creation by service is restricted",
        bad: "Service may create SUID/SGID files",
        na: NA_DEFAULT,
    },
    doc: Doc {
        good: "Cannot create setuid or setgid files.",
        bad: "May create setuid/setgid files, a classic way to leave a backdoor.",
        why: "RestrictSUIDSGID=yes makes the kernel refuse to create files with the setuid or setgid bit \
              or to set those bits on existing files. A compromised service cannot plant a privileged binary \
              or a setgid copy of a shell for later use.",
        fix: Some("RestrictSUIDSGID=yes"),
        breaks: "Creating setuid or setgid files fails (installers, package managers). chmod u+s or \
                 g+s, and creating a file with those bits, return EPERM, so build tools that install \
                 setuid programs (make install of such a program) stop working.",
        relax: "Create setuid files at install time, from the package's scripts, rather than from a running \
                service; a step that must run at start can be an ExecStartPre= line with the '+' prefix, \
                which runs without the unit's sandboxing.",
        example: "[Service]\nRestrictSUIDSGID=yes\n",
    },
    theme: Theme::Identity,
    directive: "RestrictSUIDSGID=",
    since: 242,
};

/// Pass/fail tables and the settings each identity check reads. A root service makes the
/// checks about a dropped identity not applicable.
/// `DynamicUser=yes` implies `NoNewPrivileges=yes`, `RemoveIPC=yes` and `RestrictSUIDSGID=yes`;
/// with `User=nobody` it still counts as running as nobody.
pub(crate) const SPECS: &[Spec] = &[
    Spec {
        field: USER_OR_DYNAMIC_USER.json_field,
        reads: &["User", "DynamicUser"],
        pass: &[
            "DynamicUser=yes\nUser=app",
            "User=app",
            "DynamicUser=yes",
            "User=1000",
        ],
        fail: &[
            "DynamicUser=yes\nUser=nobody",
            "User=app\nUser=",
            "DynamicUser=no",
            "",
            "User=root",
            "User=0",
            "User=nobody",
            "DynamicUser=yes\nUser=root",
        ],
        ..Spec::NONE
    },
    Spec {
        field: SUPPLEMENTARY_GROUPS.json_field,
        reads: &["SupplementaryGroups", "User", "DynamicUser"],
        pass: &[
            "User=app",
            "DynamicUser=yes",
            "User=app\nSupplementaryGroups=adm\nSupplementaryGroups=",
        ],
        fail: &[
            "User=app\nSupplementaryGroups=adm",
            "DynamicUser=yes\nSupplementaryGroups=adm",
        ],
        na: &[
            "User=0\nSupplementaryGroups=adm",
            "",
            "SupplementaryGroups=adm",
            "User=root\nSupplementaryGroups=adm",
        ],
        ..Spec::NONE
    },
    Spec {
        field: PRIVATE_USERS.json_field,
        pass: &[
            "PrivateUsers=yes",
            "PrivateUsers=true",
            "PrivateUsers=no\nPrivateUsers=yes",
        ],
        fail: &["", "PrivateUsers=no", "PrivateUsers=yes\nPrivateUsers=no"],
        // The values `self` and `identity` arrived in 257.
        pass_from: &[("PrivateUsers=self", 257), ("PrivateUsers=identity", 257)],
        suggest: &[Suggestion {
            setting: "PrivateUsers",
            value: "yes",
            tier: Tier::Strict,
            when: |m| !m.private_users,
            ..Suggestion::NONE
        }],
        ..Spec::NONE
    },
    Spec {
        field: NO_NEW_PRIVILEGES.json_field,
        pass: &[
            "DynamicUser=yes",
            "NoNewPrivileges=yes",
            "NoNewPrivileges=true",
            "NoNewPrivileges=no\nNoNewPrivileges=yes",
        ],
        fail: &[
            "User=app\nSystemCallFilter=@basic-io",
            "",
            "NoNewPrivileges=no",
            "NoNewPrivileges=yes\nNoNewPrivileges=no",
        ],
        suggest: &[Suggestion {
            setting: "NoNewPrivileges",
            value: "yes",
            tier: Tier::Safe,
            when: |m| !m.no_new_privileges,
            ..Suggestion::NONE
        }],
        ..Spec::NONE
    },
    Spec {
        field: REMOVE_IPC.json_field,
        reads: &["RemoveIPC", "User", "DynamicUser"],
        pass: &[
            "User=app\nRemoveIPC=yes",
            "DynamicUser=yes",
            "DynamicUser=yes\nRemoveIPC=no",
        ],
        fail: &["User=app", "User=app\nRemoveIPC=no"],
        na: &[
            "User=root\nDynamicUser=yes",
            "User=0\nRemoveIPC=yes",
            "",
            "RemoveIPC=yes",
            "User=root\nRemoveIPC=yes",
        ],
        suggest: &[Suggestion {
            setting: "RemoveIPC",
            value: "yes",
            tier: Tier::Safe,
            when: |m| !m.runs_privileged() && !m.remove_ipc,
            ..Suggestion::NONE
        }],
        ..Spec::NONE
    },
    Spec {
        field: RESTRICT_SUID_SGID.json_field,
        pass: &[
            "RestrictSUIDSGID=yes",
            "RestrictSUIDSGID=true",
            "RestrictSUIDSGID=no\nRestrictSUIDSGID=yes",
            "DynamicUser=yes",
        ],
        fail: &[
            "",
            "RestrictSUIDSGID=no",
            "RestrictSUIDSGID=yes\nRestrictSUIDSGID=no",
        ],
        suggest: &[Suggestion {
            setting: "RestrictSUIDSGID",
            value: "yes",
            tier: Tier::Safe,
            when: |m| !m.restrict_suid_sgid,
            ..Suggestion::NONE
        }],
        ..Spec::NONE
    },
];
