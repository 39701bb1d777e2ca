//! The reference behind the page's Learn view: every sandboxing option that matters for
//! confinement, scored or not, grouped by theme, each with what it does, why it matters, what it
//! may break, how to relax it narrowly, a minimal example, the systemd version it arrived in,
//! the values later versions added, the checks it moves (with their weights) and its man page.
//!
//! An option that a check scores takes its texts from the check's own teaching doc
//! (`checks/*.rs`), so nothing is written twice; an option several checks score (26 for
//! `CapabilityBoundingSet=`) and the options no check scores are written here, in [`WRITTEN`].
//! Versions come from the man pages' "Added in version" notes (`tables::OPTION_SINCE`), else
//! from the check.

use serde::Serialize;

use crate::checks::{self, REGISTRY};
use crate::tables::OPTION_SINCE;
use crate::version::Version;

pub use crate::checks::Theme;

/// The Learn view's themes, in the order it shows them (every theme but the checks'
/// catch-all `Other`, whose options `theme_of` sorts into these).
pub const THEMES: [Theme; 10] = [
    Theme::Identity,
    Theme::FileSystem,
    Theme::Devices,
    Theme::Kernel,
    Theme::Network,
    Theme::SystemCalls,
    Theme::Capabilities,
    Theme::Namespaces,
    Theme::Ipc,
    Theme::Resources,
];

/// An option written here: one no check scores, or one several checks score.
pub struct Written {
    /// The directive without `=`, e.g. `ReadWritePaths`.
    pub name: &'static str,
    pub theme: Theme,
    /// One line: what it does.
    pub summary: &'static str,
    pub why: &'static str,
    pub breaks: &'static str,
    pub relax: &'static str,
    /// A minimal drop-in, `[Service]` first.
    pub example: &'static str,
    /// Checks (by `json_field`) whose outcome it changes although they are named after another
    /// setting (`IPAddressAllow=` and the `IPAddressDeny` check).
    pub affects: &'static [&'static str],
    /// For an option no check scores: why systemd-analyze leaves it out, and why it matters.
    pub unscored: &'static str,
    /// The version it arrived in, from systemd's NEWS, where the man page's note is missing or
    /// covers several options.
    pub since: Option<u32>,
}

/// One entry of the reference.
#[derive(Debug, Clone, Serialize)]
pub struct Entry {
    /// The directive without `=`: the anchor of `#learn/NAME`.
    pub name: &'static str,
    pub theme: Theme,
    pub summary: &'static str,
    pub why: &'static str,
    pub breaks: &'static str,
    pub relax: &'static str,
    pub example: &'static str,
    /// The systemd version that added it, when known (1: older than systemd 38).
    pub since: Option<u32>,
    /// Values beyond booleans that later versions accept, with the first version taking each.
    pub values: Vec<(&'static str, &'static str)>,
    /// The checks it moves: `(json_field, the name systemd prints, weight)`.
    pub checks: Vec<(&'static str, &'static str, u32)>,
    /// Empty for a scored option; else why systemd-analyze does not score it.
    pub unscored: &'static str,
    pub man: String,
}

/// The theme of an option a single check scores: the check's, with the checks' catch-all
/// sorted into the Learn view's finer themes.
fn theme_of(check: &checks::Check) -> Theme {
    match check.json_field {
        "KeyringMode" | "NotifyAccess" | "RemoveIPC" => Theme::Ipc,
        "Delegate" | "RestrictRealtime" => Theme::Resources,
        "MemoryDenyWriteExecute" => Theme::Kernel,
        _ => match check.theme {
            Theme::Other => Theme::Kernel,
            theme => theme,
        },
    }
}

fn man_url(name: &str, page: &str) -> String {
    format!("https://www.freedesktop.org/software/systemd/man/{page}.html#{name}=")
}

fn option_since(name: &str) -> Option<(&'static str, u32)> {
    OPTION_SINCE
        .binary_search_by(|(n, _, _)| (*n).cmp(name))
        .ok()
        .map(|i| (OPTION_SINCE[i].1, OPTION_SINCE[i].2))
}

/// The values beyond booleans any version accepts for `setting`, with the first version that
/// takes each.
fn later_values(setting: &str) -> Vec<(&'static str, &'static str)> {
    let mut out: Vec<(&'static str, &'static str)> = Vec::new();
    for v in Version::all() {
        for (s, values) in v.profile().accepts {
            if *s == setting {
                for x in *values {
                    if !out.iter().any(|(y, _)| y == x) {
                        out.push((x, v.as_str()));
                    }
                }
            }
        }
    }
    out
}

/// Every entry: the options the checks score, then the ones written here, sorted by theme and
/// name.
pub fn entries() -> Vec<Entry> {
    let mut out: Vec<Entry> = Vec::new();
    for w in WRITTEN {
        out.push(entry_written(w));
    }
    for c in REGISTRY.iter() {
        let name = c.directive.trim_end_matches('=');
        if out.iter().any(|e| e.name == name) {
            continue;
        }
        let d = &c.doc;
        let (page, since) = option_since(name).map_or((None, None), |(p, s)| (Some(p), Some(s)));
        out.push(Entry {
            name,
            theme: theme_of(c),
            summary: d.good,
            why: d.why,
            breaks: d.breaks,
            relax: d.relax,
            example: d.example,
            since: since.or(Some(c.since)),
            values: later_values(c.json_field),
            checks: checks_of(name, &[]),
            unscored: "",
            man: page.map_or_else(|| c.url(), |p| man_url(name, p)),
        });
    }
    crate::order::sort_by(&mut out, &|a, b| (a.theme, a.name).cmp(&(b.theme, b.name)));
    out
}

/// The checks that read `name` (by their directive) or that `affects` names.
fn checks_of(name: &str, affects: &[&str]) -> Vec<(&'static str, &'static str, u32)> {
    REGISTRY
        .iter()
        .filter(|c| c.directive.trim_end_matches('=') == name || affects.contains(&c.json_field))
        .map(|c| (c.json_field, c.name, c.weight))
        .collect()
}

fn entry_written(w: &'static Written) -> Entry {
    let (page, since) = option_since(w.name).map_or((None, None), |(p, s)| (Some(p), Some(s)));
    let checks = checks_of(w.name, w.affects);
    let page = page.unwrap_or(if w.theme == Theme::Resources {
        "systemd.resource-control"
    } else {
        "systemd.exec"
    });
    Entry {
        name: w.name,
        theme: w.theme,
        summary: w.summary,
        why: w.why,
        breaks: w.breaks,
        relax: w.relax,
        example: w.example,
        since: since.or(w.since),
        values: later_values(w.name),
        checks,
        unscored: w.unscored,
        man: man_url(w.name, page),
    }
}

/// The entry for an option, by its name with or without `=`, in any case.
pub fn find(name: &str) -> Option<Entry> {
    let name = name.trim().trim_end_matches('=');
    entries()
        .into_iter()
        .find(|e| e.name.eq_ignore_ascii_case(name))
}

/// The entries whose name or texts contain every word of `query` (case-insensitive), names
/// first: what the Learn view's search box shows as you type.
pub fn search(query: &str) -> Vec<Entry> {
    let words: Vec<String> = query
        .split_whitespace()
        .map(|w| w.trim_end_matches('=').to_ascii_lowercase())
        .collect();
    let mut hits: Vec<(bool, Entry)> = entries()
        .into_iter()
        .filter_map(|e| {
            let name = e.name.to_ascii_lowercase();
            let text = format!("{} {} {} {}", e.summary, e.why, e.breaks, e.relax).to_lowercase();
            let all = words
                .iter()
                .all(|w| name.contains(w.as_str()) || text.contains(w.as_str()));
            all.then(|| (words.iter().any(|w| name.contains(w.as_str())), e))
        })
        .collect();
    crate::order::sort_by_key(&mut hits, &|(by_name, _)| !*by_name);
    hits.into_iter().map(|(_, e)| e).collect()
}

/// The URL fragment of the Learn view's index; an entry's is [`fragment`].
pub const INDEX_FRAGMENT: &str = "#learn";

/// The stable URL fragment of an entry, `#learn/NAME` (`#learn/ProtectSystem`): the page opens
/// the Learn view at that entry. The CLI's `explain` and SARIF's `helpUri` append it to the
/// page's address.
pub fn fragment(name: &str) -> String {
    format!("{INDEX_FRAGMENT}/{}", name.trim().trim_end_matches('='))
}

/// The address of an entry on the page at `base` (the page's address; a fragment it carries is
/// dropped): `https://example.org/exposure/#learn/ProtectSystem`.
pub fn url(base: &str, name: &str) -> String {
    let base = base.trim();
    let base = base.split('#').next().unwrap_or(base);
    format!("{base}{}", fragment(name))
}

/// Reads a URL fragment (with or without `#`): `None` when it is not the Learn view's,
/// `Some(None)` for the index (`#learn`), `Some(Some(name))` for an entry (`#learn/NAME`, the
/// name as written: [`find`] matches it in any case).
pub fn route(fragment: &str) -> Option<Option<&str>> {
    let f = fragment.strip_prefix('#').unwrap_or(fragment);
    let rest = f.strip_prefix("learn")?;
    if rest.is_empty() || rest == "/" {
        return Some(None);
    }
    let name = rest.strip_prefix('/')?;
    Some(Some(name.trim_end_matches('=')))
}

/// The name of the entry a check (by its `json_field`) belongs to: the directive it reads.
pub fn entry_of_check(json_field: &str) -> Option<&'static str> {
    REGISTRY
        .iter()
        .find(|c| c.json_field == json_field)
        .map(|c| c.directive.trim_end_matches('='))
}

const UNSCORED_PATHS: &str = "systemd-analyze does not score it: it scores the broad settings \
    (ProtectSystem=, ProtectHome=, PrivateTmp=) and cannot know which paths matter to a \
    service. It still matters: it is how a strict file system view is made to work, or how \
    secrets are kept from a service that needs the rest.";

/// The options written here.
pub static WRITTEN: &[Written] = &[
    Written {
        name: "CapabilityBoundingSet",
        theme: Theme::Capabilities,
        summary: "Limits the capabilities the service and everything it starts can ever hold.",
        why: "Linux splits root's power into about forty capabilities (CAP_NET_ADMIN, \
              CAP_SYS_ADMIN, CAP_DAC_OVERRIDE, ...). A capability left out of the bounding set is \
              gone for good: no setuid program the service runs can get it back. \
              systemd-analyze scores 26 groups of capabilities separately, so this one line moves \
              more checks than any other.",
        breaks: "What needs a removed capability fails with EPERM ('Operation not permitted'): \
                 binding a port below 1024 without CAP_NET_BIND_SERVICE, switching to the \
                 service's own user without CAP_SETUID and CAP_SETGID, changing file owners \
                 without CAP_CHOWN, setting the clock without CAP_SYS_TIME.",
        relax: "Name what the service needs instead of emptying the set \
                (CapabilityBoundingSet=CAP_NET_BIND_SERVICE CAP_SETUID CAP_SETGID). A service \
                that runs as its own user from the start usually needs none, or one handed over \
                with AmbientCapabilities=.",
        example: "[Service]\nUser=nobody\nCapabilityBoundingSet=CAP_NET_BIND_SERVICE\nAmbientCapabilities=CAP_NET_BIND_SERVICE\n",
        affects: &[],
        unscored: "",
        since: None,
    },
    Written {
        name: "SystemCallFilter",
        theme: Theme::SystemCalls,
        summary: "Allows or denies system calls, by name or by group (@mount, @privileged, ...).",
        why: "A seccomp filter makes the kernel refuse the calls denied, so even code running \
              inside a compromised service cannot load kernel modules, mount file systems, \
              reboot or trace other processes. The usual form allows the @system-service group \
              and then takes @privileged and @resources away. systemd-analyze scores eleven \
              groups separately.",
        breaks: "A denied call kills the process with SIGSYS ('Bad system call', often with a \
                 core dump), or returns the error SystemCallErrorNumber= names. JIT runtimes, \
                 debuggers, and programs with sandboxes of their own are the usual victims.",
        relax: "Start from SystemCallFilter=@system-service, set SystemCallErrorNumber=EPERM so \
                that a denied call fails instead of killing the process, and allow single calls \
                back (a further SystemCallFilter=mbind line) rather than whole groups.",
        example: "[Service]\nSystemCallFilter=@system-service\nSystemCallFilter=~@privileged @resources\nSystemCallErrorNumber=EPERM\n",
        affects: &[],
        unscored: "",
        since: None,
    },
    Written {
        name: "RestrictAddressFamilies",
        theme: Theme::Network,
        summary: "Limits the kinds of sockets the service may create.",
        why: "socket() with an address family not allowed fails, so a compromised service cannot \
              open raw packet sockets (AF_PACKET) to sniff or forge traffic, reconfigure the \
              host through netlink, or reach the rarely used protocols where kernel bugs hide. \
              Most daemons need AF_UNIX, AF_INET and AF_INET6 only.",
        breaks: "socket() fails with EAFNOSUPPORT ('Address family not supported by protocol'): \
                 listing the network interfaces (getifaddrs(), used by DNS servers binding every \
                 address) needs AF_NETLINK, DHCP clients and capture tools need AF_PACKET.",
        relax: "Add the one family the service needs, for example AF_NETLINK for a server that \
                enumerates interfaces, rather than dropping the setting.",
        example: "[Service]\nRestrictAddressFamilies=AF_UNIX AF_INET AF_INET6\n",
        affects: &[],
        unscored: "",
        since: None,
    },
    Written {
        name: "RestrictNamespaces",
        theme: Theme::Namespaces,
        summary: "Limits which kinds of namespaces the service may create.",
        why: "Namespaces (user, mount, network, PID, IPC, UTS, cgroup) are what containers and \
              sandboxes are built from, and creating a user namespace exposes kernel code that \
              is otherwise reachable only by root. RestrictNamespaces=yes forbids creating any; \
              a list allows only the kinds named. systemd-analyze scores each kind.",
        breaks: "unshare(), setns() and clone() with namespace flags fail with EPERM: browsers \
                 and other programs with their own sandbox, container runtimes, and tools such as \
                 bwrap run by the service.",
        relax: "Allow only the kinds the service uses (RestrictNamespaces=user mnt for a program \
                with its own sandbox) instead of turning the setting off.",
        example: "[Service]\nRestrictNamespaces=yes\n",
        affects: &[],
        unscored: "",
        since: None,
    },
    Written {
        name: "ReadWritePaths",
        theme: Theme::FileSystem,
        summary: "Keeps chosen paths writable inside an otherwise read-only file system.",
        why: "ProtectSystem=strict and DynamicUser=yes make the whole file system read-only for \
              the service; ReadWritePaths= names the places it must still write to. It grants \
              nothing by itself: file modes and owners still apply. A '-' before a path makes a \
              missing one harmless.",
        breaks: "Nothing by itself. A path the service writes to and the list lacks is what \
                 breaks: writes there fail with EROFS ('Read-only file system'). A listed path \
                 that does not exist, without '-', stops the unit from starting \
                 (status 226/NAMESPACE).",
        relax: "For the service's own data prefer StateDirectory=, LogsDirectory=, \
                RuntimeDirectory= and CacheDirectory=, which systemd creates with the right \
                owner. Keep ReadWritePaths= for places shared with other programs, as narrow \
                as possible.",
        example: "[Service]\nProtectSystem=strict\nReadWritePaths=-/var/spool/myapp\n",
        affects: &[],
        unscored: UNSCORED_PATHS,
        since: None,
    },
    Written {
        name: "ReadOnlyPaths",
        theme: Theme::FileSystem,
        summary: "Makes chosen paths read-only for the service.",
        why: "Each path, with everything below it, is mounted read-only in the service's view, \
              even where its user could otherwise write: configuration and data the service \
              reads but must never change, on units that do not use ProtectSystem=strict.",
        breaks: "Writes below the paths fail with EROFS ('Read-only file system'). A listed path \
                 that does not exist, without '-', stops the unit (status 226/NAMESPACE).",
        relax: "List the exact directory, not a parent. Where the service must write one \
                directory inside, add it to ReadWritePaths=: the more specific path wins.",
        example: "[Service]\nReadOnlyPaths=/etc/myapp\n",
        affects: &[],
        unscored: UNSCORED_PATHS,
        since: Some(231),
    },
    Written {
        name: "InaccessiblePaths",
        theme: Theme::FileSystem,
        summary: "Hides chosen paths from the service entirely.",
        why: "Each path is covered by an empty node the service cannot open, so not even root \
              inside the service reads what is there. Hardening guides use it for secrets that \
              belong to other software: /etc/letsencrypt, /etc/ssh, /root, other services' data.",
        breaks: "Opening the hidden paths fails with EACCES ('Permission denied'), and so do \
                 programs that walk them (backups, searches). A listed path that does not exist, \
                 without '-', stops the unit (status 226/NAMESPACE).",
        relax: "Hide the narrowest directories that hold secrets. If the service needs one secret \
                from a hidden tree, hand it over with LoadCredential=, which copies it into a \
                private directory only the service can read.",
        example: "[Service]\nInaccessiblePaths=-/etc/letsencrypt -/root\n",
        affects: &[],
        unscored: UNSCORED_PATHS,
        since: None,
    },
    Written {
        name: "NoExecPaths",
        theme: Theme::FileSystem,
        summary: "Forbids running programs from chosen paths.",
        why: "Files below the paths are mounted noexec: the kernel refuses to execute them or to \
              map them as code. With NoExecPaths=/ and ExecPaths= naming the service's own \
              program and library directories, a payload dropped in /tmp, /var or a data \
              directory cannot be run. It does not stop an interpreter the service runs from \
              reading a script there.",
        breaks: "Running a program or loading a shared library from those paths fails with \
                 EACCES ('Permission denied'); so do plugins kept in data directories and JIT \
                 caches mapped from files.",
        relax: "Keep the directories the service executes from in ExecPaths=, which overrides \
                NoExecPaths= for them.",
        example: "[Service]\nNoExecPaths=/\nExecPaths=/usr /lib /lib64\n",
        affects: &[],
        unscored: UNSCORED_PATHS,
        since: Some(248),
    },
    Written {
        name: "TemporaryFileSystem",
        theme: Theme::FileSystem,
        summary: "Covers a path with an empty, private in-memory file system.",
        why: "The directory is replaced, for this service only, by a fresh tmpfs, so whatever is \
              really there disappears from its view. With BindReadOnlyPaths= it builds a minimal \
              view: cover /var, then bring back the one directory the service reads.",
        breaks: "Everything below the path is gone for the service; what it writes there is lost \
                 when it stops, and counts against memory.",
        relax: "Cover a narrower directory, or bind back exactly what the service reads \
                (BindReadOnlyPaths=) and writes (BindPaths=).",
        example: "[Service]\nTemporaryFileSystem=/var:ro\nBindReadOnlyPaths=/var/lib/myapp\n",
        affects: &[],
        unscored: UNSCORED_PATHS,
        since: None,
    },
    Written {
        name: "BindReadOnlyPaths",
        theme: Theme::FileSystem,
        summary: "Shows a host path to the service, read-only, at the same or another place.",
        why: "A bind mount brings a file or directory into the service's view without write \
              access: after TemporaryFileSystem= has hidden its parent, or to give a service in \
              RootDirectory= one configuration file from the host.",
        breaks: "Writes through it fail with EROFS ('Read-only file system'). A source that does \
                 not exist, without '-', stops the unit (status 226/NAMESPACE).",
        relax: "Use BindPaths= for what the service must write.",
        example: "[Service]\nTemporaryFileSystem=/etc:ro\nBindReadOnlyPaths=/etc/myapp /etc/resolv.conf\n",
        affects: &[],
        unscored: UNSCORED_PATHS,
        since: Some(233),
    },
    Written {
        name: "BindPaths",
        theme: Theme::FileSystem,
        summary: "Shows a host path to the service, writable, at the same or another place.",
        why: "A writable bind mount makes one host path reachable inside a reduced view, such as \
              RootDirectory= or a TemporaryFileSystem=, or puts a directory where the service \
              expects it without changing the host.",
        breaks: "The service can change the host's files through it, so a compromise reaches \
                 exactly what is bound. A source that does not exist, without '-', stops the unit.",
        relax: "Bind the narrowest directory, and read-only (BindReadOnlyPaths=) wherever the \
                service only reads.",
        example: "[Service]\nBindPaths=/srv/myapp/uploads\n",
        affects: &[],
        unscored: UNSCORED_PATHS,
        since: None,
    },
    Written {
        name: "RuntimeDirectory",
        theme: Theme::FileSystem,
        summary: "Creates /run/NAME for the service, owned by its user, and removes it at stop.",
        why: "Sockets and PID files get a writable place even under ProtectSystem=strict or \
              DynamicUser=yes, created with the right owner and mode before the service starts \
              and removed when it stops, so nothing stale is left for the next start or for \
              another program to take over.",
        breaks: "The directory is removed at every stop: clients expecting a socket there find \
                 none while the service is down, and files other programs put there are lost.",
        relax: "RuntimeDirectoryPreserve=restart keeps it across restarts; data that must \
                outlive the service belongs in StateDirectory=.",
        example: "[Service]\nRuntimeDirectory=myapp\nPIDFile=/run/myapp/myapp.pid\n",
        affects: &[],
        unscored: UNSCORED_PATHS,
        since: None,
    },
    Written {
        name: "StateDirectory",
        theme: Theme::FileSystem,
        summary: "Gives the service /var/lib/NAME, created and owned by its user.",
        why: "Persistent data gets a home that stays writable under ProtectSystem=strict and \
              works with DynamicUser= (the directory follows the changing user). \
              CacheDirectory=, LogsDirectory= and ConfigurationDirectory= do the same for \
              /var/cache, /var/log and /etc.",
        breaks: "When the directory's owner differs from the service's user, systemd changes the \
                 owner of the whole tree, which matters if other users' files live in it.",
        relax: "For a tree shared with other software use ReadWritePaths= instead; \
                StateDirectoryMode= sets the mode.",
        example: "[Service]\nDynamicUser=yes\nStateDirectory=myapp\nLogsDirectory=myapp\n",
        affects: &[],
        unscored: UNSCORED_PATHS,
        since: Some(235),
    },
    Written {
        name: "LoadCredential",
        theme: Theme::FileSystem,
        summary: "Hands a secret to the service in a private directory only it can read.",
        why: "The file is copied at start into $CREDENTIALS_DIRECTORY, a directory that is not \
              swapped out and only the service's user can read. The original can then stay \
              readable by root alone and be hidden with InaccessiblePaths=, and the service \
              still gets it under DynamicUser=.",
        breaks: "The service must read the secret from $CREDENTIALS_DIRECTORY/NAME instead of \
                 its usual path (many take the path as an option); the copy is made at start, so \
                 a renewed certificate needs a restart.",
        relax: "Keep the original where it is and point the service's option at the credential \
                path.",
        example: "[Service]\nLoadCredential=tls.key:/etc/ssl/private/myapp.key\n",
        affects: &[],
        unscored: "systemd-analyze does not score it: it cannot tell which files are secrets. It \
                   matters because it lets everything else stay locked away.",
        since: None,
    },
    Written {
        name: "IPAddressAllow",
        theme: Theme::Network,
        summary: "Lets traffic through to and from the listed networks, when IPAddressDeny= blocks the rest.",
        why: "systemd attaches a BPF filter to the service's control group: packets to or from an \
              address on IPAddressDeny= are dropped unless IPAddressAllow= lists it. \
              IPAddressDeny=any with a short allow list (localhost, the local network) keeps a \
              compromised service from reaching the internet. The IPAddressDeny check reads \
              both.",
        breaks: "Connections to other addresses fail or time out: DNS resolvers, package \
                 mirrors, time servers, remote databases. Needs cgroup v2 with BPF; systemd warns \
                 and lets traffic through where the kernel lacks it.",
        relax: "Add the specific hosts or networks the service talks to, rather than any.",
        example: "[Service]\nIPAddressDeny=any\nIPAddressAllow=localhost 10.0.0.0/8\n",
        affects: &["IPAddressDeny"],
        unscored: "",
        since: None,
    },
    Written {
        name: "SocketBindDeny",
        theme: Theme::Network,
        summary: "Limits the ports the service may listen on (with SocketBindAllow=).",
        why: "A BPF program refuses bind() to ports not allowed: with SocketBindAllow=tcp:443 \
              and SocketBindDeny=any, the service can only ever listen on 443, so a compromised \
              process cannot open a backdoor port.",
        breaks: "bind() to any other port fails with EPERM, including ports a client binds on \
                 purpose before connecting.",
        relax: "Allow each port the service listens on, by protocol (tcp:8080, udp:53).",
        example: "[Service]\nSocketBindAllow=tcp:443\nSocketBindDeny=any\n",
        affects: &[],
        unscored: "systemd-analyze does not score it: it arrived (249) after the list of checks \
                   was settled. It still closes a door the network checks leave open.",
        since: Some(249),
    },
    Written {
        name: "RestrictNetworkInterfaces",
        theme: Theme::Network,
        summary: "Limits the network interfaces the service may send and receive on.",
        why: "A BPF program drops the service's traffic on interfaces not listed, so a service \
              meant for the internal network cannot use the public one, or a local-only one \
              anything but lo.",
        breaks: "Traffic over other interfaces is dropped: a VPN, a second network card, a \
                 container bridge.",
        relax: "List every interface the service needs; names can be matched with wildcards.",
        example: "[Service]\nRestrictNetworkInterfaces=lo eth1\n",
        affects: &[],
        unscored: "systemd-analyze does not score it: it arrived (250) after the list of checks \
                   was settled.",
        since: None,
    },
    Written {
        name: "RestrictFileSystems",
        theme: Theme::Kernel,
        summary: "Limits the file system types on which the service may open files.",
        why: "A BPF LSM program refuses access to files on types not allowed, which keeps the \
              service away from special file systems with a large kernel surface (debugfs, \
              tracefs, bpffs). Needs the BPF LSM enabled in the kernel (lsm=...,bpf).",
        breaks: "Opening files on other types fails with EPERM; on kernels without the BPF LSM \
                 the setting does nothing.",
        relax: "Allow the types the service really uses, or deny the groups it never needs \
                (RestrictFileSystems=~@privileged-api).",
        example: "[Service]\nRestrictFileSystems=~@privileged-api\n",
        affects: &[],
        unscored: "systemd-analyze does not score it: it arrived (250) after the list of checks \
                   was settled, and it depends on the kernel's configuration.",
        since: None,
    },
    Written {
        name: "PrivateIPC",
        theme: Theme::Ipc,
        summary: "Gives the service its own System V IPC and POSIX message queues.",
        why: "Shared memory, semaphores and message queues of other processes become invisible \
              to the service, and its own cannot be reached from outside: no leaking or \
              tampering through objects that any process of the same user could otherwise open.",
        breaks: "Programs that share System V shared memory with others stop finding each \
                 other's objects (some databases and their tools, X11 clients using MIT-SHM).",
        relax: "Use it for services that talk to others over sockets only; leave it off for the \
                few that share memory segments.",
        example: "[Service]\nPrivateIPC=yes\n",
        affects: &[],
        unscored: "systemd-analyze does not score it: it arrived (248) after the list of checks \
                   was settled. RemoveIPC= is the scored, weaker cousin.",
        since: None,
    },
    Written {
        name: "PrivatePIDs",
        theme: Theme::Namespaces,
        summary: "Runs the service in its own PID namespace, as PID 1 of it.",
        why: "The service sees only its own processes: it cannot signal or trace other \
              services, and /proc shows nothing of them. Arrived in systemd 257.",
        breaks: "The main process becomes PID 1 of its namespace and must reap its children and \
                 handle signals as an init does; tools that look up other processes (pidof, \
                 reading other services' /proc entries) find nothing.",
        relax: "Leave it off for services that supervise or inspect other processes.",
        example: "[Service]\nPrivatePIDs=yes\n",
        affects: &[],
        unscored: "systemd-analyze does not score it (as of 262): it is newer than the checks.",
        since: None,
    },
    Written {
        name: "SystemCallLog",
        theme: Theme::SystemCalls,
        summary: "Logs the listed system calls to the audit log without refusing them.",
        why: "Building a SystemCallFilter= by trial and error kills the service at each \
              missing call. SystemCallLog= names calls (or groups) to record instead: run the \
              service with the groups you mean to deny logged, read the audit log, then deny \
              what it never used.",
        breaks: "Nothing is refused; a busy service logging a frequent call fills the audit log \
                 quickly, and the log needs auditing enabled in the kernel.",
        relax: "Log one or two groups at a time and remove the line once the filter is settled.",
        example: "[Service]\nSystemCallLog=@privileged @resources\n",
        affects: &[],
        unscored: "systemd-analyze does not score it: it confines nothing. It matters as the \
                   safe way to find the filter a service can live with.",
        since: None,
    },
    Written {
        name: "SecureBits",
        theme: Theme::Capabilities,
        summary: "Sets the process's securebits flags, which decide how root and capabilities mix.",
        why: "With noroot and noroot-locked, running a program as UID 0 no longer hands it every \
              capability, so root inside the service is an ordinary user plus the capabilities \
              granted explicitly; keep-caps keeps capabilities across a switch of user.",
        breaks: "Programs that start as root and expect full power (to open privileged files \
                 before dropping to their own user) lose it and fail with EPERM.",
        relax: "Prefer User= with AmbientCapabilities=; use noroot only for a service that never \
                needs root's implicit capabilities.",
        example: "[Service]\nSecureBits=noroot noroot-locked\n",
        affects: &[],
        unscored: "systemd-analyze does not score it: its checks read the user and the \
                   capability sets, which say most of the same. It still closes the gap a \
                   service started as root leaves.",
        since: None,
    },
    Written {
        name: "NetworkNamespacePath",
        theme: Theme::Namespaces,
        summary: "Runs the service inside an existing network namespace, named by its path.",
        why: "The service sees only the interfaces of that namespace (for example one set up \
              with a VPN as its only way out), so it cannot reach networks the namespace has no \
              route to. JoinsNamespaceOf= does the same with another unit's namespace.",
        breaks: "The service fails to start if the namespace file is missing; it sees none of \
                 the host's interfaces, including lo of the host.",
        relax: "Order the service after the unit that creates the namespace, and give the \
                namespace the routes the service needs.",
        example: "[Service]\nNetworkNamespacePath=/run/netns/vpn\n",
        affects: &[],
        unscored: "systemd-analyze does not score it: it only scores PrivateNetwork=, a fresh \
                   namespace with nothing in it. A prepared namespace is the way to give a \
                   service some network but not the host's.",
        since: None,
    },
    Written {
        name: "LimitCORE",
        theme: Theme::Resources,
        summary: "Caps the size of the core dumps the service's processes may leave.",
        why: "A core dump is a copy of the process's memory: keys, passwords and other users' \
              data it held. LimitCORE=0 means a crash leaves none behind for someone who can \
              read the dumps.",
        breaks: "A crash leaves no core dump to debug with.",
        relax: "Enable dumps for a debugging session only, or keep them and restrict who can \
                read them (coredumpctl stores them readable by root).",
        example: "[Service]\nLimitCORE=0\n",
        affects: &[],
        unscored: "systemd-analyze scores confinement, not resources. A dump of a service \
                   holding secrets is a secret too.",
        since: None,
    },
    Written {
        name: "MemoryMax",
        theme: Theme::Resources,
        summary: "Caps the memory the service may use.",
        why: "When the service's control group reaches the limit, the kernel reclaims its memory \
              and then kills it with the OOM killer: a leak or a hostile request cannot starve \
              the rest of the machine. MemoryHigh= throttles before that.",
        breaks: "The service is killed when a burst needs more than the limit (journal: \
                 'A process of this unit has been killed by the OOM killer').",
        relax: "Set MemoryHigh= a little below MemoryMax= so the service slows down before it is \
                killed, and size both from its measured peak.",
        example: "[Service]\nMemoryHigh=400M\nMemoryMax=500M\n",
        affects: &[],
        unscored: "systemd-analyze scores confinement, not resources. Limits still turn a \
                   runaway or attacked service into its own problem instead of the machine's.",
        since: None,
    },
    Written {
        name: "TasksMax",
        theme: Theme::Resources,
        summary: "Caps the number of processes and threads of the service.",
        why: "A fork bomb or a flood of connections each handled by a thread stops at the limit \
              instead of exhausting the machine's process table.",
        breaks: "fork() and thread creation fail with EAGAIN ('Resource temporarily \
                 unavailable') at the limit.",
        relax: "Size it from the service's measured peak, with room for bursts.",
        example: "[Service]\nTasksMax=64\n",
        affects: &[],
        unscored: "systemd-analyze scores confinement, not resources.",
        since: None,
    },
    Written {
        name: "CPUQuota",
        theme: Theme::Resources,
        summary: "Caps the CPU time the service gets.",
        why: "CPUQuota=50% gives the service at most half of one CPU: a busy loop or a costly \
              request cannot take the machine from other services.",
        breaks: "The service is throttled and answers more slowly under load.",
        relax: "Use CPUWeight= to give it a smaller share only when CPUs are contended.",
        example: "[Service]\nCPUQuota=50%\n",
        affects: &[],
        unscored: "systemd-analyze scores confinement, not resources.",
        since: None,
    },
];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{FileInput, Options, analyze_unit};

    #[test]
    fn every_check_has_an_entry_and_every_entry_teaches() {
        let all = entries();
        for c in REGISTRY.iter() {
            let e = all
                .iter()
                .find(|e| e.name == c.directive.trim_end_matches('='))
                .unwrap_or_else(|| panic!("no entry for {}", c.directive));
            assert!(e.checks.iter().any(|(f, _, _)| *f == c.json_field));
        }
        let mut names: Vec<&str> = all.iter().map(|e| e.name).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), all.len(), "names are unique");
        for e in &all {
            for t in [e.summary, e.why, e.breaks, e.relax] {
                assert!(t.len() > 20, "{}: {t:?}", e.name);
            }
            assert!(e.example.starts_with("[Service]\n") && e.example.ends_with('\n'));
            assert!(
                e.man
                    .starts_with("https://www.freedesktop.org/software/systemd/man/")
            );
            assert_eq!(e.checks.is_empty(), !e.unscored.is_empty(), "{}", e.name);
        }
        for t in THEMES {
            assert!(all.iter().any(|e| e.theme == t), "{t:?} has entries");
        }
        assert!(
            all.iter().all(|e| THEMES.contains(&e.theme)),
            "every entry is in a Learn theme"
        );
    }

    /// Every example is a drop-in systemd reads without a complaint: each line a known key of
    /// [Service] with a value it takes (as the newest version reads it).
    #[test]
    fn every_example_loads_cleanly() {
        let opts = Options::for_version(Version::parse("262").unwrap());
        for e in entries() {
            let unit = format!("[Service]\nExecStart=/usr/bin/true\n{}", &e.example[10..]);
            let files = [FileInput::whole(Some("x.service"), &unit)];
            let r = analyze_unit("x.service", &files, &opts).unwrap();
            assert!(r.refused.is_none(), "{}: {:?}", e.name, r.refused);
            assert!(
                r.diagnostics.is_empty(),
                "{}: {:?}",
                e.name,
                r.diagnostics.iter().map(|d| &d.message).collect::<Vec<_>>()
            );
        }
    }

    #[test]
    fn versions_come_from_the_man_pages_first() {
        assert_eq!(find("PrivatePIDs=").unwrap().since, Some(257));
        assert_eq!(find("restrictfilesystems").unwrap().since, Some(250));
        assert_eq!(find("ReadWritePaths").unwrap().since, Some(231));
        let tmp = find("PrivateTmp").unwrap();
        assert!(
            tmp.values
                .iter()
                .any(|(v, since)| *v == "disconnected" && *since == "257")
        );
        assert!(!tmp.checks.is_empty() && tmp.unscored.is_empty());
        let allow = find("IPAddressAllow").unwrap();
        assert_eq!(allow.checks[0].0, "IPAddressDeny");
        assert_eq!(find("CapabilityBoundingSet").unwrap().checks.len(), 26);
    }

    #[test]
    fn deep_links_round_trip() {
        assert_eq!(fragment("ProtectSystem="), "#learn/ProtectSystem");
        assert_eq!(
            url("https://example.org/x/#unit=abc", "PrivateTmp"),
            "https://example.org/x/#learn/PrivateTmp"
        );
        assert_eq!(route("#learn"), Some(None));
        assert_eq!(route("learn/"), Some(None));
        assert_eq!(route("#learn/ProtectSystem"), Some(Some("ProtectSystem")));
        assert_eq!(route("#unit=abc"), None);
        assert_eq!(route("#learnt"), None);
        assert_eq!(route(""), None);
        for e in entries() {
            let f = fragment(e.name);
            let name = route(&f).flatten().unwrap();
            assert_eq!(find(name).map(|x| x.name), Some(e.name));
        }
        for c in REGISTRY.iter() {
            let name = entry_of_check(c.json_field).unwrap();
            let e = find(name).unwrap();
            assert!(e.checks.iter().any(|(f, _, _)| *f == c.json_field));
        }
        assert_eq!(entry_of_check("NoSuchCheck"), None);
    }

    #[test]
    fn search_finds_by_name_then_by_text() {
        let hits = search("letsencrypt");
        assert_eq!(hits.first().map(|e| e.name), Some("InaccessiblePaths"));
        let hits = search("Paths");
        assert!(hits.iter().take(5).all(|e| e.name.contains("Paths")));
        assert!(search("no such words at all xyzzy").is_empty());
        assert_eq!(search("").len(), entries().len());
    }
}
