//! What the service can see and change in the file system.

use super::{Check, Doc, NA_EARLY_BOOT, Outcome, SystemdText, Theme, boolean_check};
use crate::model::{ProcSubset, ProtectHome, ProtectProc, ProtectSystem};

pub const PRIVATE_MOUNTS: Check = boolean_check!(
    "PrivateMounts",
    private_mounts,
    weight = 1000,
    Theme::FileSystem,
    since = 239,
    default_deps_only = false,
    systemd = (
        "Service cannot install system mounts",
        "Service may install system mounts"
    ),
    doc = (
        "Runs in its own mount namespace; its mounts stay private.",
        "Shares the host's mount namespace: mounts it makes are visible to everyone.",
        "PrivateMounts=yes gives the service its own mount namespace with one-way propagation from the \
         host. Anything it mounts stays inside, so it cannot hide or replace parts of the host's file \
         tree. Services whose job is to mount file systems for the host (automounters, storage \
         daemons) must not use it."
    )
);

/// `PrivateTmp=`, which DynamicUser=yes turns on.
pub const PRIVATE_TMP: Check = Check {
    default_dependencies_only: true,
    systemd: SystemdText {
        good: "Service has no access to other software's temporary files",
        bad: "Service has access to other software's temporary files",
        na: NA_EARLY_BOOT,
    },
    ..boolean_check!(
        "PrivateTmp",
        private_tmp,
        weight = 1000,
        Theme::FileSystem,
        since = 1,
        default_deps_only = true,
        systemd = ("", ""),
        doc = (
            "Has its own empty /tmp and /var/tmp.",
            "Shares /tmp and /var/tmp with every other process.",
            "PrivateTmp=yes mounts fresh /tmp and /var/tmp directories for the service, removed when it \
             stops. Predictable temporary file names can no longer be raced by other users, and the \
             service cannot read what other programs leave there. It breaks services that exchange \
             files with others through /tmp (for example X11 sockets in /tmp/.X11-unix)."
        )
    )
};

/// `ProtectHome=`: home directories hold the most personal data on a machine.
pub const PROTECT_HOME: Check = Check {
    name: "ProtectHome=",
    json_field: "ProtectHome",
    weight: 1000,
    range: 10,
    default_dependencies_only: true,
    assess: |m| match m.protect_home {
        Some(ProtectHome::Yes) => Outcome::text(0, "Service has no access to home directories"),
        Some(ProtectHome::ReadOnly) => {
            Outcome::text(5, "Service has read-only access to home directories")
        }
        Some(ProtectHome::Tmpfs) => {
            Outcome::text(1, "Service has access to fake empty home directories")
        }
        Some(ProtectHome::No) | None => {
            Outcome::text(10, "Service has full access to home directories")
        }
    },
    systemd: SystemdText {
        good: "",
        bad: "",
        na: NA_EARLY_BOOT,
    },
    doc: Doc {
        good: "Cannot see users' home directories.",
        bad: "Can read (and as root, change) everything under /home, /root and /run/user.",
        why: "ProtectHome=yes makes /home, /root and /run/user inaccessible; read-only keeps them \
              readable; tmpfs shows empty directories in their place. A daemon almost never needs \
              users' files, and this keeps SSH keys, browser profiles and mail out of its reach. \
              Services that serve user content (a web server's ~/public_html) need read-only or a \
              narrow BindReadOnlyPaths= instead.",
        fix: Some("ProtectHome=yes"),
    },
    theme: Theme::FileSystem,
    directive: "ProtectHome=",
    since: 214,
};

/// `ProtectSystem=`: keeps the operating system's own files read-only for the service.
pub const PROTECT_SYSTEM: Check = Check {
    name: "ProtectSystem=",
    json_field: "ProtectSystem",
    weight: 1000,
    range: 10,
    default_dependencies_only: true,
    assess: |m| match m.protect_system {
        Some(ProtectSystem::Strict) => Outcome::text(
            0,
            "Service has strict read-only access to the OS file hierarchy",
        ),
        Some(ProtectSystem::Full) => Outcome::text(
            3,
            "Service has very limited write access to the OS file hierarchy",
        ),
        Some(ProtectSystem::Yes) => Outcome::text(
            5,
            "Service has limited write access to the OS file hierarchy",
        ),
        Some(ProtectSystem::No) | None => {
            Outcome::text(10, "Service has full access to the OS file hierarchy")
        }
    },
    systemd: SystemdText {
        good: "",
        bad: "",
        na: NA_EARLY_BOOT,
    },
    doc: Doc {
        good: "The whole file system is read-only except what the unit opens up.",
        bad: "May write to the operating system's files.",
        why: "ProtectSystem=yes makes /usr and /boot read-only, full adds /etc, and strict makes the \
              entire file system read-only except /dev, /proc, /sys and the paths listed in \
              ReadWritePaths= or created by StateDirectory= and friends. A compromised service then \
              cannot replace binaries or edit configuration. With strict, writes elsewhere fail with \
              'Read-only file system' (EROFS): give each needed path back with ReadWritePaths=.",
        fix: Some("ProtectSystem=strict"),
    },
    theme: Theme::FileSystem,
    directive: "ProtectSystem=",
    since: 214,
};

/// `RootDirectory=/RootImage=`: running in a separate root is the strongest file-system jail.
pub const ROOT_DIRECTORY: Check = Check {
    name: "RootDirectory=/RootImage=",
    json_field: "RootDirectoryOrRootImage",
    weight: 200,
    range: 1,
    default_dependencies_only: true,
    assess: |m| {
        let set = |p: &Option<String>| p.as_deref().is_some_and(|p| !p.is_empty() && p != "/");
        Outcome::of(u32::from(!(set(&m.root_directory) || set(&m.root_image))))
    },
    systemd: SystemdText {
        good: "Service has its own root directory/image",
        bad: "Service runs within the host's root directory",
        na: NA_EARLY_BOOT,
    },
    doc: Doc {
        good: "Runs inside its own root directory or disk image.",
        bad: "Sees the host's root file system.",
        why: "RootDirectory= or RootImage= runs the service with a different root, so the host's files \
              simply do not exist for it. It needs a prepared tree or image holding the binary and its \
              libraries, so it is rarely practical for distribution packages; ProtectSystem=strict and \
              TemporaryFileSystem= get most of the benefit.",
        fix: None,
    },
    theme: Theme::FileSystem,
    directive: "RootDirectory=",
    since: 1,
};

/// `UMask=`: the default permissions of new files.
pub const UMASK: Check = Check {
    name: "UMask=",
    json_field: "UMask",
    weight: 100,
    range: 10,
    default_dependencies_only: false,
    assess: |m| {
        let u = m.umask;
        if u & 0o002 == 0 {
            Outcome::text(10, "Files created by service are world-writable by default")
        } else if u & 0o004 == 0 {
            Outcome::text(5, "Files created by service are world-readable by default")
        } else if u & 0o020 == 0 {
            Outcome::text(2, "Files created by service are group-writable by default")
        } else if u & 0o040 == 0 {
            Outcome::text(1, "Files created by service are group-readable by default")
        } else {
            Outcome::text(
                0,
                "Files created by service are accessible only by service's own user by default",
            )
        }
    },
    systemd: SystemdText {
        good: "",
        bad: "",
        na: "",
    },
    doc: Doc {
        good: "New files are private to the service's user.",
        bad: "New files are readable (or writable) by other users unless the program says otherwise.",
        why: "The umask removes permission bits from every file and directory the service creates. The \
              default 0022 leaves new files world-readable; 0027 keeps them in the group; 0077 keeps \
              them private. A tighter umask can break other programs that expect to read the \
              service's output files (logs read by a monitoring agent, sockets used by clients).",
        fix: Some("UMask=0077"),
    },
    theme: Theme::FileSystem,
    directive: "UMask=",
    since: 1,
};

/// `ProtectProc=`: what the service sees of other processes in /proc.
pub const PROTECT_PROC: Check = Check {
    name: "ProtectProc=",
    json_field: "ProtectProc",
    weight: 1000,
    range: 3,
    default_dependencies_only: false,
    assess: |m| {
        Outcome::of(match m.protect_proc {
            Some(ProtectProc::NoAccess) => 1,
            Some(ProtectProc::Invisible | ProtectProc::Ptraceable) => 0,
            Some(ProtectProc::Default) | None => 3,
        })
    },
    systemd: SystemdText {
        good: "Service has restricted access to process tree (/proc hidepid=)",
        bad: "Service has full access to process tree (/proc hidepid=)",
        na: "",
    },
    doc: Doc {
        good: "Other users' processes are hidden in /proc.",
        bad: "Can see every process on the machine, with command lines and environment details.",
        why: "ProtectProc=invisible mounts /proc with hidepid so processes of other users vanish; \
              ptraceable shows only those the service could trace; noaccess shows them but denies \
              access to their details. Command lines of other processes often carry secrets. Tools that \
              monitor other processes (process supervisors, metrics exporters) need the default. It \
              has no effect unless the service runs as a non-root user without CAP_SYS_PTRACE.",
        fix: Some("ProtectProc=invisible"),
    },
    theme: Theme::FileSystem,
    directive: "ProtectProc=",
    since: 247,
};

/// `ProcSubset=`: hides the kernel's non-process files in /proc.
pub const PROC_SUBSET: Check = Check {
    name: "ProcSubset=",
    json_field: "ProcSubset",
    weight: 10,
    range: 1,
    default_dependencies_only: false,
    assess: |m| Outcome::of(u32::from(m.proc_subset != Some(ProcSubset::Pid))),
    systemd: SystemdText {
        good: "Service has no access to non-process /proc files (/proc subset=)",
        bad: "Service has full access to non-process /proc files (/proc subset=)",
        na: "",
    },
    doc: Doc {
        good: "Sees only process directories in /proc.",
        bad: "Sees all of /proc, including kernel information and tunables.",
        why: "ProcSubset=pid hides everything in /proc that is not a process directory: /proc/sys, \
              /proc/kcore, /proc/meminfo and the rest. Programs that read /proc/meminfo, /proc/cpuinfo \
              or /proc/sys (many runtimes do, to size caches) fail with ENOENT.",
        fix: Some("ProcSubset=pid"),
    },
    theme: Theme::FileSystem,
    directive: "ProcSubset=",
    since: 247,
};
