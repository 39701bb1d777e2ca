//! Who the service runs as, and whether it can gain privileges.

use super::{Check, Doc, NA_DEFAULT, Outcome, SystemdText, Theme, boolean_check};

/// `User=/DynamicUser=`: root is the worst identity a service can have; `nobody` is shared by
/// every service that uses it, so it scores almost as badly.
pub const USER_OR_DYNAMIC_USER: Check = Check {
    name: "User=/DynamicUser=",
    json_field: "UserOrDynamicUser",
    weight: 2000,
    range: 10,
    default_dependencies_only: false,
    assess: |m| {
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
              most other sandboxing. Running it under its own unprivileged account (User=) or a \
              throw-away account allocated at start (DynamicUser=yes) limits a compromise to what that \
              account may touch. The shared 'nobody' account is no answer: every service using it can \
              interfere with the others.",
        fix: Some("DynamicUser=yes"),
    },
    theme: Theme::Identity,
    directive: "User=",
    since: 1,
};

/// `SupplementaryGroups=`: extra groups widen what a non-root service can reach.
pub const SUPPLEMENTARY_GROUPS: Check = Check {
    name: "SupplementaryGroups=",
    json_field: "SupplementaryGroups",
    weight: 200,
    range: 1,
    default_dependencies_only: false,
    assess: |m| {
        if m.runs_privileged() {
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
              the service can reach. Groups such as adm or disk quietly grant a lot. Grant access to the \
              few paths the service needs instead. For a service that runs as root this check does not \
              apply: root can reach everything anyway.",
        fix: None,
    },
    theme: Theme::Identity,
    directive: "SupplementaryGroups=",
    since: 1,
};

pub const PRIVATE_USERS: Check = boolean_check!(
    "PrivateUsers",
    private_users,
    weight = 1000,
    Theme::Identity,
    since = 232,
    default_deps_only = false,
    systemd = (
        "Service does not have access to other users",
        "Service has access to other users"
    ),
    doc = (
        "Sees only itself and root in a private user namespace.",
        "Shares the host's user and group database.",
        "PrivateUsers=yes runs the service in its own user namespace where only root, nobody and the \
         service's own user exist. Files of other users appear as owned by nobody, and capabilities held \
         inside the namespace mean nothing on the host. It can break services that must change file \
         ownership to arbitrary users or need real host capabilities."
    )
);

pub const NO_NEW_PRIVILEGES: Check = boolean_check!(
    "NoNewPrivileges",
    no_new_privileges,
    weight = 1000,
    Theme::Identity,
    since = 187,
    default_deps_only = false,
    systemd = (
        "Service processes cannot acquire new privileges",
        "Service processes may acquire new privileges"
    ),
    doc = (
        "Cannot gain privileges through setuid programs or file capabilities.",
        "May gain privileges by running setuid/setgid programs or binaries with file capabilities.",
        "NoNewPrivileges=yes sets the kernel's no_new_privs flag: executing a setuid, setgid or \
         capability-carrying binary no longer grants anything. An attacker inside the service cannot \
         climb through sudo, su or a vulnerable setuid helper. Services that deliberately call such \
         helpers (sendmail wrappers, ping on old systems) stop working."
    )
);

/// `RemoveIPC=`: System V IPC objects left behind by a user can be abused later.
pub const REMOVE_IPC: Check = Check {
    name: "RemoveIPC=",
    json_field: "RemoveIPC",
    weight: 100,
    range: 1,
    default_dependencies_only: false,
    assess: |m| {
        if m.runs_privileged() {
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
        why: "RemoveIPC=yes deletes the System V and POSIX IPC objects owned by the service's user and \
              group when the service stops, so nothing it created lingers for the next owner of that \
              UID to find. It does not apply to root services, whose objects are never removed.",
        fix: Some("RemoveIPC=yes"),
    },
    theme: Theme::Identity,
    directive: "RemoveIPC=",
    since: 232,
};

pub const RESTRICT_SUID_SGID: Check = boolean_check!(
    "RestrictSUIDSGID",
    restrict_suid_sgid,
    weight = 1000,
    Theme::Identity,
    since = 242,
    default_deps_only = false,
    systemd = (
        "SUID/SGID file creation by service is restricted",
        "Service may create SUID/SGID files"
    ),
    doc = (
        "Cannot create setuid or setgid files.",
        "May create setuid/setgid files, a classic way to leave a backdoor.",
        "RestrictSUIDSGID=yes makes the kernel refuse to set the setuid or setgid bit on files. A \
         compromised service cannot plant a privileged binary for later use. Package managers and \
         installers that legitimately create such files need it off."
    )
);
