//! What the service can see and change in the file system.

use super::{
    Check, Doc, EARLY, NA_DEFAULT, NA_EARLY_BOOT, Outcome, Spec, Suggestion, SystemdText, Theme,
};
use crate::advise::Tier;
use crate::model::{ProcSubset, ProtectHome, ProtectProc, ProtectSystem};

pub const PRIVATE_MOUNTS: Check = Check {
    name: "PrivateMounts=",
    json_field: "PrivateMounts",
    weight: 1000,
    range: 1,
    default_dependencies_only: false,
    assess: |m, _| Outcome::unless(m.private_mounts),
    systemd: SystemdText {
        good: "Service cannot install system mounts",
        bad: "Service may install system mounts",
        na: NA_DEFAULT,
    },
    doc: Doc {
        good: "Runs in its own mount namespace; its mounts stay private.",
        bad: "Shares the host's mount namespace: mounts it makes are visible to everyone.",
        why: "PrivateMounts=yes gives the service its own mount namespace in which mounts flow in from the \
              host but never back out. Anything the service mounts or unmounts stays inside, so it cannot \
              hide, cover or replace parts of the host's file tree for other programs.",
        fix: Some("PrivateMounts=yes"),
        breaks: "File systems the service mounts are not visible to the rest of the system. The \
                 mounts succeed, so automounters, storage daemons and services that run mount helpers \
                 on behalf of the host appear to work while other programs find empty mount points.",
        relax: "There is no middle ground: a service's mounts either stay private or propagate. Keep it \
                off only in the one unit whose job is mounting for the host; mounts a service makes for \
                itself keep working with it on.",
        example: "[Service]\nPrivateMounts=yes\n",
    },
    theme: Theme::FileSystem,
    directive: "PrivateMounts=",
    since: 239,
};

/// `PrivateTmp=`, which DynamicUser=yes turns on.
pub const PRIVATE_TMP: Check = Check {
    default_dependencies_only: true,
    systemd: SystemdText {
        good: "Service has no access to other software's temporary files",
        bad: "Service has access to other software's temporary files",
        na: NA_EARLY_BOOT,
    },
    ..Check {
        name: "PrivateTmp=",
        json_field: "PrivateTmp",
        weight: 1000,
        range: 1,
        default_dependencies_only: true,
        assess: |m, _| Outcome::unless(m.private_tmp),
        systemd: SystemdText {
            good: "",
            bad: "",
            na: NA_DEFAULT,
        },
        doc: Doc {
            good: "Has its own empty /tmp and /var/tmp.",
            bad: "Shares /tmp and /var/tmp with every other process.",
            why: "PrivateTmp=yes mounts fresh /tmp and /var/tmp directories for the service, removed when it \
                  stops. Other local users can no longer race it with symlinks or files at predictable \
                  temporary names, and it cannot read what other programs leave there.",
            fix: Some("PrivateTmp=yes"),
            breaks: "Files shared with other programs through /tmp or /var/tmp (such as X11 sockets) \
                     are no longer visible. The other side does not find them (ENOENT): X11 sockets \
                     in /tmp/.X11-unix, lock or socket files a client expects there. Whatever the \
                     service leaves in /var/tmp is deleted when it stops.",
            relax: "Exchange files through a dedicated directory instead, such as RuntimeDirectory=myapp \
                    (/run/myapp) or a path listed in ReadWritePaths=. Two units that must share one \
                    private /tmp can both set PrivateTmp=yes and join it with JoinsNamespaceOf=.",
            example: "[Service]\nPrivateTmp=yes\n",
        },
        theme: Theme::FileSystem,
        directive: "PrivateTmp=",
        since: EARLY,
    }
};

/// `ProtectHome=`: home directories hold the most personal data on a machine.
pub const PROTECT_HOME: Check = Check {
    name: "ProtectHome=",
    json_field: "ProtectHome",
    weight: 1000,
    range: 10,
    default_dependencies_only: true,
    assess: |m, _| match m.protect_home {
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
              readable but not writable; tmpfs mounts empty directories in their place. A daemon \
              almost never needs users' files, and this keeps SSH keys, browser profiles, mail and \
              shell histories out of its reach.",
        fix: Some("ProtectHome=yes"),
        breaks: "/home, /root and /run/user become empty and inaccessible; services that serve users' \
                 files need read-only or BindReadOnlyPaths=. Writes under /home, /root and /run/user \
                 fail. A web server's ~/public_html, a backup agent and anything whose User= has its \
                 home directory under /home are hit: with yes, opening their files fails with ENOENT \
                 or EACCES; with read-only, writing them fails with 'Read-only file system'.",
        relax: "ProtectHome=read-only when the service only reads users' files. To expose one \
                directory, use ProtectHome=tmpfs with BindPaths=/home/alice/shared (or \
                BindReadOnlyPaths=): only that directory appears. Give a service account a home \
                outside /home, such as /var/lib/myapp.",
        example: "[Service]\nProtectHome=yes\n",
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
    assess: |m, _| match m.protect_system {
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
        why: "ProtectSystem=yes makes /usr and the boot partitions read-only, full adds /etc, and \
              strict makes the entire file system read-only except /dev, /proc, /sys and the paths the \
              unit opens up with ReadWritePaths= or StateDirectory= and its siblings. A compromised \
              service then cannot replace binaries, plant a cron job or edit configuration, and a buggy \
              one cannot scribble over the system.",
        fix: Some("ProtectSystem=strict"),
        breaks: "Writes to protected paths fail with 'Read-only file system' (EROFS). With yes or full \
                 that only hits /usr, /boot, /efi and (full) /etc. With strict it hits log files in \
                 /var/log, PID files in /run, data in /var/lib, and even /tmp unless PrivateTmp=yes gives \
                 the service its own. The service usually logs the failing path: that is the path to \
                 open up.",
        relax: "Keep strict and give back exactly the paths it writes: StateDirectory=myapp, \
                LogsDirectory=myapp, RuntimeDirectory=myapp and CacheDirectory=myapp create and own \
                directories under /var/lib, /var/log, /run and /var/cache; ReadWritePaths=/srv/data \
                opens an existing path. Add PrivateTmp=yes for a writable /tmp.",
        example: "[Service]\nProtectSystem=strict\nStateDirectory=myapp\n",
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
    assess: |m, _| {
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
        why: "RootDirectory= (a directory) or RootImage= (a disk image) runs the service with a \
              different root, so the host's files simply do not exist for it: no shadow file, no host \
              configuration, no other services' data. It needs a prepared tree or image that holds the \
              binary and its libraries, so it suits self-contained or portable services more than \
              distribution packages.",
        fix: None,
        breaks: "Anything missing from the new root is missing for the service: the start fails with \
                 status=203/EXEC when the binary or a library is absent, name lookups fail without \
                 /etc/resolv.conf, and syslog messages are lost without /dev/log (standard output still \
                 reaches the journal, because systemd passes it in).",
        relax: "Bind in just what the service needs from the host: BindReadOnlyPaths=/etc/resolv.conf \
                /run/systemd/journal/socket for name lookups and logging, BindPaths= for its data. \
                Where a separate root is impractical, ProtectSystem=strict with \
                TemporaryFileSystem=/var:ro and BindPaths= gets much of the benefit, though it does not \
                pass this check.",
        example: "[Service]\nRootImage=/var/lib/machines/myapp.raw\n",
    },
    theme: Theme::FileSystem,
    directive: "RootDirectory=",
    since: EARLY,
};

/// `UMask=`: the default permissions of new files.
pub const UMASK: Check = Check {
    name: "UMask=",
    json_field: "UMask",
    weight: 100,
    range: 10,
    default_dependencies_only: false,
    assess: |m, _| {
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
        why: "The umask removes permission bits from every file and directory the service creates, \
              unless the program sets modes itself. systemd's default 0022 leaves new files readable by \
              every user; 0027 keeps them within the group; 0077 keeps them private. Secrets, caches \
              and logs written with a loose umask leak to every local account.",
        fix: Some("UMask=0077"),
        breaks: "Files the service creates are no longer readable by other users; readers outside its \
                 group get EACCES. Files the service creates are readable only by its own user. That \
                 is UMask=0077; 0027 still lets its group read them, so a reader put in that group \
                 keeps working. A log shipper reading its logs, a web server serving files it \
                 generated and clients connecting to a UNIX socket it creates get 'Permission \
                 denied'.",
        relax: "UMask=0027 keeps files readable by the service's group: put the readers in that group. \
                Or keep 0077 and set modes where sharing is intended: StateDirectoryMode=, \
                LogsDirectoryMode=, RuntimeDirectoryMode=, or a tmpfiles.d line for one path.",
        example: "[Service]\nUMask=0077\n",
    },
    theme: Theme::FileSystem,
    directive: "UMask=",
    since: EARLY,
};

/// `ProtectProc=`: what the service sees of other processes in /proc.
pub const PROTECT_PROC: Check = Check {
    name: "ProtectProc=",
    json_field: "ProtectProc",
    weight: 1000,
    range: 3,
    default_dependencies_only: false,
    assess: |m, _| {
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
        why: "ProtectProc= mounts the service's /proc with the kernel's hidepid option. invisible \
              hides processes of other users; ptraceable shows only those the service could trace \
              anyway; noaccess lists them but denies access to their details. Other processes' command \
              lines and environments often carry passwords and tokens. The hiding only affects a \
              process without CAP_SYS_PTRACE.",
        fix: Some("ProtectProc=invisible"),
        breaks: "Other users' processes vanish from /proc; monitoring agents and process managers \
                 cannot see them. ps and top show only the service's own processes, and looking up \
                 another process by PID (a supervisor checking a PID file, pidof, a metrics exporter) \
                 fails with ENOENT, or with EACCES under noaccess. It takes effect on Linux 5.8 or \
                 later.",
        relax: "ProtectProc=ptraceable shows what the service could trace anyway; ProtectProc=noaccess \
                keeps other PIDs visible (for liveness checks) while hiding their command lines, \
                environments and memory maps. Leave it at default only for real process monitors.",
        example: "[Service]\nProtectProc=invisible\n",
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
    assess: |m, _| Outcome::of(u32::from(m.proc_subset != Some(ProcSubset::Pid))),
    systemd: SystemdText {
        good: "Service has no access to non-process /proc files (/proc subset=)",
        bad: "Service has full access to non-process /proc files (/proc subset=)",
        na: "",
    },
    doc: Doc {
        good: "Sees only process directories in /proc.",
        bad: "Sees all of /proc, including kernel information and tunables.",
        why: "ProcSubset=pid hides everything in /proc that is not a process directory: /proc/sys, \
              /proc/kcore, /proc/meminfo, /proc/cpuinfo and the rest. Those files describe the kernel \
              and the hardware, leak information useful to an attacker and, for /proc/sys, offer \
              knobs to turn.",
        fix: Some("ProcSubset=pid"),
        breaks: "Reading /proc/meminfo, /proc/cpuinfo, /proc/partitions or /proc/sys fails with \
                 ENOENT; many runtimes and monitoring agents read them (seen: snmpd exits on \
                 '/proc/partitions: No such file or directory'). Runtimes and libraries read \
                 /proc/stat and /proc/loadavg at start too, to size thread pools and caches; they \
                 fail, or fall back to wrong guesses. sysctl cannot read values. It takes effect on \
                 Linux 5.8 or later.",
        relax: "systemd 252 offers only all or pid. If the service needs one of those files, leave \
                ProcSubset= unset and keep /proc/sys read-only with ProtectKernelTunables=yes.",
        example: "[Service]\nProcSubset=pid\n",
    },
    theme: Theme::FileSystem,
    directive: "ProcSubset=",
    since: 247,
};

/// Pass/fail tables for the file system checks. `DynamicUser=yes` implies `PrivateTmp=yes`,
/// `ProtectSystem=strict` and `ProtectHome=read-only`. An explicit `PrivateTmp=no` does not undo it.
pub(crate) const SPECS: &[Spec] = &[
    Spec {
        field: PRIVATE_MOUNTS.json_field,
        pass: &["PrivateMounts=yes", "PrivateMounts=true"],
        fail: &["PrivateMounts=no", "PrivateMounts=yes\nPrivateMounts=no"],
        // From 254 an unset (or emptied) PrivateMounts= passes; 252 needs it set.
        pass_from: &[("", 254), ("PrivateMounts=", 254)],
        suggest: &[Suggestion {
            setting: "PrivateMounts",
            value: "yes",
            tier: Tier::Moderate,
            when: |m| !m.private_mounts,
            ..Suggestion::NONE
        }],
        ..Spec::NONE
    },
    Spec {
        field: PRIVATE_TMP.json_field,
        pass: &[
            "DynamicUser=yes\nPrivateTmp=no",
            "PrivateTmp=yes",
            "PrivateTmp=true",
            "PrivateTmp=no\nPrivateTmp=yes",
            "DynamicUser=yes",
        ],
        fail: &[
            "PrivateTmp=maybe",
            "",
            "PrivateTmp=no",
            "PrivateTmp=yes\nPrivateTmp=no",
        ],
        na: &[
            "[Unit]\nDefaultDependencies=no",
            "PrivateTmp=yes\n[Unit]\nDefaultDependencies=no",
        ],
        pass_from: &[("PrivateTmp=disconnected", 257)],
        suggest: &[Suggestion {
            setting: "PrivateTmp",
            value: "yes",
            tier: Tier::Safe,
            when: |m| !m.private_tmp,
            ..Suggestion::NONE
        }],
        ..Spec::NONE
    },
    Spec {
        field: PROTECT_HOME.json_field,
        pass: &[
            "DynamicUser=yes\nProtectHome=yes",
            "ProtectHome=yes",
            "ProtectHome=true",
            "ProtectHome=read-only\nProtectHome=yes",
        ],
        fail: &[
            "DynamicUser=yes\nProtectHome=tmpfs",
            "ProtectHome=maybe",
            "",
            "ProtectHome=no",
            "ProtectHome=read-only",
            "ProtectHome=tmpfs",
            "DynamicUser=yes",
        ],
        suggest: &[
            Suggestion {
                setting: "ProtectHome",
                value: "read-only",
                tier: Tier::Safe,
                when: |m| m.protect_home == Some(ProtectHome::No),
                risk: 1,
                ..Suggestion::NONE
            },
            Suggestion {
                setting: "ProtectHome",
                value: "yes",
                tier: Tier::Moderate,
                when: |m| {
                    matches!(
                        m.protect_home,
                        Some(ProtectHome::No | ProtectHome::ReadOnly | ProtectHome::Tmpfs)
                    )
                },
                ..Suggestion::NONE
            },
        ],
        ..Spec::NONE
    },
    Spec {
        field: PROTECT_SYSTEM.json_field,
        pass: &[
            "DynamicUser=yes\nProtectSystem=full",
            "ProtectSystem=strict",
            "DynamicUser=yes",
            "ProtectSystem=full\nProtectSystem=strict",
        ],
        fail: &[
            "",
            "ProtectSystem=no",
            "ProtectSystem=yes",
            "ProtectSystem=full",
            "ProtectSystem=strict\nProtectSystem=full",
        ],
        ..Spec::NONE
    },
    Spec {
        field: ROOT_DIRECTORY.json_field,
        reads: &["RootDirectory", "RootImage"],
        pass: &["RootDirectory=/srv/root", "RootImage=/srv/root.raw"],
        fail: &[
            "RootImage=",
            "",
            "RootDirectory=/",
            "RootDirectory=/srv/root\nRootDirectory=",
        ],
        na: &[
            "[Unit]\nDefaultDependencies=no",
            "RootDirectory=/srv/root\n[Unit]\nDefaultDependencies=no",
        ],
        ..Spec::NONE
    },
    Spec {
        field: UMASK.json_field,
        pass: &[
            "UMask=077",
            "UMask=0777",
            "UMask=0077",
            "UMask=0067",
            "UMask=0177",
        ],
        fail: &[
            "UMask=0077\nUMask=0022",
            "",
            "UMask=0022",
            "UMask=0000",
            "UMask=0002",
            "UMask=0007",
            "UMask=0037",
            "UMask=0027",
        ],
        suggest: &[
            Suggestion {
                setting: "UMask",
                value: "0027",
                tier: Tier::Moderate,
                when: |m| m.umask & 0o027 != 0o027,
                ..Suggestion::NONE
            },
            Suggestion {
                setting: "UMask",
                value: "0077",
                tier: Tier::Strict,
                when: |m| m.umask & 0o077 != 0o077,
                risk: 1,
                ..Suggestion::NONE
            },
        ],
        ..Spec::NONE
    },
    Spec {
        field: PROTECT_PROC.json_field,
        pass: &["ProtectProc=invisible", "ProtectProc=ptraceable"],
        fail: &["", "ProtectProc=default", "ProtectProc=noaccess"],
        suggest: &[Suggestion {
            setting: "ProtectProc",
            value: "invisible",
            tier: Tier::Moderate,
            when: |m| m.protect_proc == Some(ProtectProc::Default),
            ..Suggestion::NONE
        }],
        ..Spec::NONE
    },
    Spec {
        field: PROC_SUBSET.json_field,
        pass: &["ProcSubset=pid", "ProcSubset=all\nProcSubset=pid"],
        fail: &["", "ProcSubset=all", "ProcSubset=pid\nProcSubset=all"],
        suggest: &[Suggestion {
            setting: "ProcSubset",
            value: "pid",
            tier: Tier::Strict,
            when: |m| m.proc_subset != Some(ProcSubset::Pid) && m.has_exec_context,
            ..Suggestion::NONE
        }],
        ..Spec::NONE
    },
];
