//! Differential property test: thousands of random units, scored by us and by the real
//! `systemd-analyze security --offline=yes` (systemd 252), must agree on everything: whether
//! the unit loads, the assessed name, the overall exposure and predicate, and every row (set,
//! name, json_field, description, exposure) in order.
//!
//! The generator is deterministic: `EXPOSURE_DIFF_SEED` picks the seed (default fixed) and
//! `EXPOSURE_DIFF_CASES` the number of units (default 6000). Units are written in batches into
//! a temporary folder and each batch is scored by one `systemd-analyze` run for the text form
//! (for the overall exposure) and one for `--json=short` (for the rows). On a mismatch the
//! test shrinks the unit line by line against the real tool, prints the unit files and both
//! outputs, and fails.
//!
//! More knobs: `EXPOSURE_DIFF_SHOW` (how many distinct mismatches to shrink and print, default
//! 4) and `EXPOSURE_DIFF_KEEP` (keep the last batch's unit files in the temporary folder).
//!
//! Without `systemd-analyze` of systemd 252 on the PATH the test prints a loud notice and
//! passes.
//!
//! The same units against other releases' real binaries: `EXPOSURE_DIFF_RELEASES` (a comma
//! list of `bookworm-backports`, `trixie`, `sid`) runs `random_units_match_release_oracles`,
//! which scores `EXPOSURE_DIFF_ORACLE_CASES` units (default 2000) per release with that
//! release's `systemd-analyze` through `../shared/tools/oracle-version.sh` and compares them
//! with our score for its profile (254, 257, 262). `make test-versions` runs it for all three;
//! without the variable the test says how and passes. The generator includes the values the
//! versions read differently (`PrivateTmp=disconnected`, `ProtectHostname=private:x`, …).

use std::collections::HashMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

use exposure_conformance::corpus_root;
use exposure_core::{FileInput, Options, Version, analyze_unit};
use serde_json::Value;

const DEFAULT_SEED: u64 = 0x5eed_0252_0038;
const DEFAULT_CASES: usize = 6000;
const BATCH: usize = 1000;
/// How many mismatching units to shrink and print in full.
const SHOW: usize = 4;

// ---------------------------------------------------------------------------------------
// A small deterministic PRNG (SplitMix64).

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    /// Uniform in `0..n` (n > 0).
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    /// True with probability `p` percent.
    fn pct(&mut self, p: u32) -> bool {
        self.below(100) < p as usize
    }
    fn pick<'a>(&mut self, xs: &[&'a str]) -> &'a str {
        xs[self.below(xs.len())]
    }
    /// Weighted pick from `(weight, value)` pairs.
    fn weighted<'a>(&mut self, xs: &[(u32, &'a str)]) -> &'a str {
        let total: u32 = xs.iter().map(|x| x.0).sum();
        let mut r = self.below(total as usize) as u32;
        for &(w, v) in xs {
            if r < w {
                return v;
            }
            r -= w;
        }
        unreachable!()
    }
    /// `n` words from `pool` (repeats allowed), `lo..=hi` of them.
    fn words(&mut self, pool: &[&str], lo: usize, hi: usize) -> Vec<String> {
        let n = lo + self.below(hi - lo + 1);
        (0..n).map(|_| self.pick(pool).to_owned()).collect()
    }
    /// Joins words with a random separator (mostly one space).
    fn join(&mut self, ws: &[String]) -> String {
        let mut s = String::new();
        for (i, w) in ws.iter().enumerate() {
            if i > 0 {
                s.push_str(self.weighted(&[(20, " "), (2, "  "), (1, "\t"), (1, " \t ")]));
            }
            s.push_str(w);
        }
        s
    }
}

// ---------------------------------------------------------------------------------------
// Value pools. Each mixes the common spellings with the odd ones systemd treats specially.

const BOOLS: &[(u32, &str)] = &[
    (10, "yes"),
    (10, "no"),
    (3, "true"),
    (3, "false"),
    (2, "on"),
    (2, "off"),
    (2, "1"),
    (2, "0"),
    (1, "y"),
    (1, "n"),
    (1, "t"),
    (1, "f"),
    (1, "YES"),
    (1, "No"),
    (1, "TRUE"),
    (1, "oFF"),
    (2, ""),
    (1, "maybe"),
    (1, "2"),
    (1, "yes no"),
    (1, "ye"),
    (1, "\"yes\""),
    (1, "yes # comment"),
    (1, "'no'"),
];

/// Values beyond booleans that some versions accept (K5 of the versions spec), and near misses.
const VERSIONED_VALUES: &[(&str, &[&str])] = &[
    (
        "PrivateTmp",
        &["connected", "disconnected", "Disconnected", ""],
    ),
    (
        "PrivateUsers",
        &["self", "identity", "full", "managed", "bogus", ""],
    ),
    ("ProtectControlGroups", &["private", "strict", "Strict", ""]),
    (
        "ProtectHostname",
        &[
            "private",
            "private:web1",
            "yes:web1",
            "no:web1",
            "private:a..b",
            "private:",
            "",
        ],
    ),
    ("PrivateMounts", &["", "no", "yes"]),
];

/// The valid spellings only (DynamicUser= rejects anything else fatally).
const GOOD_BOOLS: &[(u32, &str)] = &[
    (10, "yes"),
    (10, "no"),
    (2, "true"),
    (2, "off"),
    (1, "1"),
    (1, "N"),
];

const BOOL_SETTINGS: &[&str] = &[
    "PrivateDevices",
    "PrivateMounts",
    "PrivateNetwork",
    "PrivateTmp",
    "PrivateUsers",
    "ProtectControlGroups",
    "ProtectKernelModules",
    "ProtectKernelTunables",
    "ProtectKernelLogs",
    "ProtectClock",
    "ProtectHostname",
    "LockPersonality",
    "MemoryDenyWriteExecute",
    "NoNewPrivileges",
    "RemoveIPC",
    "RestrictRealtime",
    "RestrictSUIDSGID",
];

const CAPS: &[&str] = &[
    "CAP_CHOWN",
    "CAP_DAC_OVERRIDE",
    "CAP_DAC_READ_SEARCH",
    "CAP_FOWNER",
    "CAP_FSETID",
    "CAP_KILL",
    "CAP_SETGID",
    "CAP_SETUID",
    "CAP_SETPCAP",
    "CAP_LINUX_IMMUTABLE",
    "CAP_NET_BIND_SERVICE",
    "CAP_NET_BROADCAST",
    "CAP_NET_ADMIN",
    "CAP_NET_RAW",
    "CAP_IPC_LOCK",
    "CAP_IPC_OWNER",
    "CAP_SYS_MODULE",
    "CAP_SYS_RAWIO",
    "CAP_SYS_CHROOT",
    "CAP_SYS_PTRACE",
    "CAP_SYS_PACCT",
    "CAP_SYS_ADMIN",
    "CAP_SYS_BOOT",
    "CAP_SYS_NICE",
    "CAP_SYS_RESOURCE",
    "CAP_SYS_TIME",
    "CAP_SYS_TTY_CONFIG",
    "CAP_MKNOD",
    "CAP_LEASE",
    "CAP_AUDIT_WRITE",
    "CAP_AUDIT_CONTROL",
    "CAP_SETFCAP",
    "CAP_MAC_OVERRIDE",
    "CAP_MAC_ADMIN",
    "CAP_SYSLOG",
    "CAP_WAKE_ALARM",
    "CAP_BLOCK_SUSPEND",
    "CAP_AUDIT_READ",
    "CAP_PERFMON",
    "CAP_BPF",
    "CAP_CHECKPOINT_RESTORE",
];

const ODD_CAPS: &[&str] = &[
    "cap_sys_admin",
    "Cap_Net_Raw",
    "cap_bpf",
    "CAP_BOGUS",
    "SYS_ADMIN",
    "0",
    "7",
    "21",
    "39",
    "40",
    "41",
    "62",
    "63",
    "64",
    "99",
    "-1",
    "+5",
    "0x15",
    "021",
    "0o21",
    "0b10101",
    "00",
    "all",
    "CAP_CHOWN,CAP_KILL",
    "\"CAP_SYS_TIME\"",
    "'cap_kill'",
    "\"CAP_SYS_BOOT CAP_MKNOD\"",
    "'unterminated",
    "CAP_KILL\\",
];

const NAMESPACES: &[&str] = &["cgroup", "ipc", "net", "mnt", "pid", "user", "uts", "time"];
const ODD_NAMESPACES: &[&str] = &[
    "NET", "bogus", "all", "yes", "network", "\"pid\"", "ipc\\", "m\\nt",
];

const FAMILIES: &[&str] = &[
    "AF_UNIX",
    "AF_INET",
    "AF_INET6",
    "AF_NETLINK",
    "AF_PACKET",
    "AF_LOCAL",
    "AF_ROUTE",
    "AF_FILE",
    "AF_BLUETOOTH",
    "AF_ALG",
    "AF_VSOCK",
    "AF_CAN",
    "AF_XDP",
];
const ODD_FAMILIES: &[&str] = &[
    "af_unix",
    "af_inet6",
    "Af_Netlink",
    "AF_UNSPEC",
    "AF_BOGUS",
    "AF_MAX",
    "AF_DECnet",
    "AF_DECNET",
    "unix",
    "2",
    "none",
    "AF_MCTP",
    "\"AF_INET\"",
    "'AF_UNIX AF_PACKET'",
    "'AF_INET",
];

const ARCHES: &[&str] = &[
    "native",
    "x86-64",
    "x86",
    "x32",
    "arm64",
    "s390x",
    "mips64-le-n32",
    "riscv64",
    "parisc",
];
const ODD_ARCHES: &[&str] = &[
    "bogus",
    "x86_64",
    "NATIVE",
    "i386",
    "amd64",
    "loongarch64",
    "\"native\"",
    "'x86",
];

const SYSCALL_GROUPS: &[&str] = &[
    "@system-service",
    "@privileged",
    "@resources",
    "@mount",
    "@clock",
    "@debug",
    "@module",
    "@raw-io",
    "@reboot",
    "@swap",
    "@obsolete",
    "@cpu-emulation",
    "@chown",
    "@setuid",
    "@default",
    "@basic-io",
    "@file-system",
    "@io-event",
    "@ipc",
    "@keyring",
    "@memlock",
    "@network-io",
    "@process",
    "@signal",
    "@sync",
    "@timer",
    "@aio",
    "@pkey",
    "@known",
    "@sandbox",
    "@bogus",
    "@Privileged",
];
const SYSCALLS: &[&str] = &[
    "chown",
    "fchownat",
    "adjtimex",
    "clock_settime",
    "settimeofday",
    "ptrace",
    "perf_event_open",
    "init_module",
    "mount",
    "umount2",
    "pivot_root",
    "chroot",
    "reboot",
    "swapon",
    "swapoff",
    "ioperm",
    "iopl",
    "modify_ldt",
    "_sysctl",
    "uselib",
    "nfsservctl",
    "quotactl_fd",
    "set_mempolicy_home_node",
    "setpriority",
    "ioprio_set",
    "sched_setattr",
    "bpf",
    "setuid",
    "capset",
    "kexec_load",
    "read",
    "write",
    "open",
    "execve",
    "vm86",
    "umount",
    "chown32",
    "bogus_call",
    "open_tree",
    "lookup_dcookie",
    "afs_syscall",
    "\"mount\"",
    "CHOWN",
];
const ERRNOS: &[&str] = &[
    "EPERM", "EACCES", "ENOSYS", "1", "0", "4095", "4096", "kill", "EBOGUS", "", "eperm", "-1",
    "0x10", "Kill",
];

const USERS: &[(u32, &str)] = &[
    (24, "foo"),
    (6, "root"),
    (3, "0"),
    (4, "nobody"),
    (3, "1000"),
    (1, "65534"),
    (1, "4294967294"),
    (4, ""),
    (1, "%i"),
    (1, "%p"),
    (1, "%n"),
    (1, "%u"),
    (1, "foo bar"),
    (1, "_svc"),
    (1, "www-data"),
    (1, "Foo.Bar"),
    (1, "1a"),
    (1, "\"quoted\""),
    (1, "\u{e9}t\u{e9}"),
    (1, "x@y"),
    (1, "0x10"),
    (1, "-x"),
    // Fatal: the unit (or the rest of the drop-in) is dropped.
    (1, "65535"),
    (1, "4294967295"),
    (1, "-1"),
    (1, "a:b"),
    (1, "a/b"),
    (1, "%Q"),
    (1, "."),
];

const GROUPS: &[&str] = &[
    "adm",
    "wheel",
    "0",
    "%p",
    "\"quoted grp\"",
    "1000",
    "-x",
    "systemd-journal",
    // Rare: fatal for units without an instance, or always.
    "%i",
    "a\\ b",
    "bad:name",
];

const IP_WORDS: &[&str] = &[
    "any",
    "localhost",
    "link-local",
    "multicast",
    "127.0.0.1",
    "127.0.0.1/4",
    "127.0.0.0/8",
    "127.5.5.5/32",
    "127.1.2.3/010",
    "127.0.0.1/0x8",
    "::1",
    "::1/128",
    "::1/64",
    "0:0:0:0:0:0:0:1",
    "::/0",
    "0.0.0.0/0",
    "0.0.0.0/00",
    "0.0.0.0/1",
    "10.0.0.0/8",
    "192.168.1.1/24",
    "fe80::/64",
    "169.254.0.0/16",
    "224.0.0.0/4",
    "ff00::/8",
    "LOCALHOST",
    "localhost.",
    "foo.localhost",
    "x.localhost.localdomain.",
    "Any",
    "127.0.0.1/33",
    "10.0.0.0/",
    "10.0.0.0/+8",
    "bogus",
    "1.2.3",
    "127.1",
    "::ffff:127.0.0.1",
    "128.0.0.0/1",
    "2001:db8::/32",
    "\"any\"",
    "1.2.3.4\\",
];

const DEVICE_PATHS: &[&str] = &[
    "/dev/null",
    "/dev/sda",
    "/dev/tty0",
    "char-rtc",
    "char-pts",
    "char-*",
    "block-loop",
    "block-sd",
    "char-bogus",
    "/dev/../etc/passwd",
    "/dev//null",
    "/dev/./zero",
    "/dev/",
    "/dev",
    "/devices/x",
    "/etc/passwd",
    "null",
    "/run/systemd/inaccessible/chr",
    "/dev/%i",
    "/dev/%Q",
    "\"/dev/null\"",
    "'/dev/null rw'",
    "/sys/devices/x",
    "block-",
    "char-",
    "/dev/a\\ b",
];
const DEVICE_PERMS: &[&str] = &[
    "", "r", "w", "m", "rw", "rwm", "mwr", "wr", "x", "rx", "R", "rr", "r w",
];

// ---------------------------------------------------------------------------------------
// Units.

#[derive(Clone, Debug)]
struct Case {
    /// File name given to systemd-analyze, e.g. `u17.service` or `t17@.service`.
    file: String,
    /// The name systemd assesses it as (`t17@i.service` for a template).
    assessed: String,
    /// The unit file's text.
    main: String,
    /// Drop-ins in `<file>.d/`: (file name, text), in application order.
    dropins: Vec<(String, String)>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Service,
    Socket,
    Mount,
    Target,
    Swap,
    Timer,
    Path,
    Automount,
    Slice,
}

struct Gen<'a> {
    r: &'a mut Rng,
}

impl Gen<'_> {
    fn bool_value(&mut self) -> String {
        self.r.weighted(BOOLS).to_owned()
    }

    fn caps(&mut self) -> String {
        let n = self.r.below(5);
        let ws: Vec<String> = (0..n)
            .map(|_| {
                if self.r.pct(80) {
                    self.r.pick(CAPS).to_owned()
                } else {
                    self.r.pick(ODD_CAPS).to_owned()
                }
            })
            .collect();
        let v = self.r.join(&ws);
        match self.r.below(40) {
            0..=13 => format!("~{v}"),
            14 => format!("~ {v}"),
            15 => "~".into(),
            _ => v,
        }
    }

    fn namespaces(&mut self) -> String {
        match self.r.below(12) {
            0 => "yes".into(),
            1 => "no".into(),
            2 => String::new(),
            3 => self.bool_value(),
            4 => "~".into(),
            _ => {
                let mut ws = self.r.words(NAMESPACES, 1, 4);
                if self.r.pct(10) {
                    ws.push(self.r.pick(ODD_NAMESPACES).to_owned());
                }
                let v = self.r.join(&ws);
                if self.r.pct(45) { format!("~{v}") } else { v }
            }
        }
    }

    fn families(&mut self) -> String {
        match self.r.below(12) {
            0 => "none".into(),
            1 => String::new(),
            2 => "~".into(),
            _ => {
                let mut ws = self.r.words(FAMILIES, 1, 4);
                if self.r.pct(25) {
                    let i = self.r.below(ws.len() + 1);
                    ws.insert(i, self.r.pick(ODD_FAMILIES).to_owned());
                }
                let v = self.r.join(&ws);
                if self.r.pct(40) { format!("~{v}") } else { v }
            }
        }
    }

    fn syscall_word(&mut self) -> String {
        let mut w = if self.r.pct(50) {
            self.r.pick(SYSCALL_GROUPS).to_owned()
        } else {
            self.r.pick(SYSCALLS).to_owned()
        };
        if self.r.pct(10) {
            w = format!("{w}:{}", self.r.pick(ERRNOS));
        }
        if self.r.pct(1) {
            w = format!(":{w}");
        }
        w
    }

    fn syscall_filter(&mut self) -> String {
        if self.r.pct(8) {
            return String::new();
        }
        let n = 1 + self.r.below(4);
        let ws: Vec<String> = (0..n).map(|_| self.syscall_word()).collect();
        let v = self.r.join(&ws);
        match self.r.below(40) {
            0..=17 => format!("~{v}"),
            18 => "~".into(),
            _ => v,
        }
    }

    fn ip_list(&mut self) -> String {
        if self.r.pct(10) {
            return String::new();
        }
        let ws = self.r.words(IP_WORDS, 1, 3);
        self.r.join(&ws)
    }

    fn device_allow(&mut self) -> String {
        if self.r.pct(8) {
            return String::new();
        }
        let p = self.r.pick(DEVICE_PATHS);
        let m = self.r.pick(DEVICE_PERMS);
        if m.is_empty() {
            p.to_owned()
        } else {
            let sep = self.r.weighted(&[(10, " "), (1, "  "), (1, "\t")]);
            format!("{p}{sep}{m}")
        }
    }

    fn umask(&mut self) -> String {
        self.r
            .weighted(&[
                (4, "0022"),
                (3, "0027"),
                (3, "0077"),
                (2, "027"),
                (1, "0007"),
                (1, "0002"),
                (1, "0000"),
                (1, "0"),
                (1, "7777"),
                (1, "0777"),
                (1, "17777"),
                (1, "00000077"),
                (1, "0000000000000000027"),
                (1, ""),
                (1, "abc"),
                (1, "0o22"),
                (1, "+022"),
                (1, "-022"),
                (1, "-0"),
                (1, "0x12"),
                (1, "0022 0077"),
                (1, "8"),
                (1, "0040"),
                (1, "0020"),
                (1, "0004"),
                (1, "0066"),
                (1, "077\\"),
            ])
            .to_owned()
    }

    /// One random hardening directive: (key, value).
    fn directive(&mut self, kind: Kind) -> (String, String) {
        let r = self.r.below(105);
        let (k, v): (&str, String) = match r {
            0..=29 => {
                let k = self.r.pick(BOOL_SETTINGS);
                match VERSIONED_VALUES.iter().find(|(s, _)| *s == k) {
                    Some((_, values)) if self.r.pct(30) => (k, self.r.pick(values).to_owned()),
                    _ => (k, self.bool_value()),
                }
            }
            30..=32 => ("User", self.r.weighted(USERS).to_owned()),
            33..=34 => ("DynamicUser", {
                if self.r.pct(97) {
                    self.r.weighted(GOOD_BOOLS).to_owned()
                } else {
                    self.bool_value()
                }
            }),
            35 => ("SupplementaryGroups", {
                if self.r.pct(15) {
                    String::new()
                } else {
                    let mut ws = self.r.words(&GROUPS[..8], 1, 3);
                    if self.r.pct(5) {
                        ws.push(self.r.pick(&GROUPS[8..]).to_owned());
                    }
                    self.r.join(&ws)
                }
            }),
            36 => (
                "ProtectHome",
                self.r
                    .pick(&[
                        "yes",
                        "no",
                        "read-only",
                        "tmpfs",
                        "Read-Only",
                        "true",
                        "",
                        "bogus",
                        "0",
                        "TMPFS",
                    ])
                    .to_owned(),
            ),
            37 => (
                "ProtectSystem",
                self.r
                    .pick(&[
                        "yes", "no", "full", "strict", "Strict", "1", "", "off", "FULL", "bogus",
                    ])
                    .to_owned(),
            ),
            38 => (
                "ProtectProc",
                self.r
                    .pick(&[
                        "default",
                        "noaccess",
                        "invisible",
                        "ptraceable",
                        "Invisible",
                        "",
                        "x",
                        "yes",
                    ])
                    .to_owned(),
            ),
            39 => (
                "ProcSubset",
                self.r
                    .pick(&["all", "pid", "PID", "", "x", "pid all"])
                    .to_owned(),
            ),
            40 => (
                "KeyringMode",
                self.r
                    .pick(&["inherit", "private", "shared", "Shared", "", "x"])
                    .to_owned(),
            ),
            41 => (
                "NotifyAccess",
                self.r
                    .pick(&["none", "main", "exec", "all", "ALL", "", "x"])
                    .to_owned(),
            ),
            42 => ("Delegate", {
                match self.r.below(7) {
                    0 => String::new(),
                    1 | 2 => self.bool_value(),
                    3 => "cpu 'memory".into(),
                    _ => {
                        let ws = self.r.words(
                            &["cpu", "memory", "io", "pids", "cpuset", "bogus", "CPU"],
                            1,
                            3,
                        );
                        self.r.join(&ws)
                    }
                }
            }),
            43 => (
                "RootDirectory",
                self.r
                    .weighted(&[
                        (4, "/"),
                        (6, "/srv/root"),
                        (3, ""),
                        (2, "/%i"),
                        (2, "//"),
                        (2, "/srv/./x/"),
                        (1, "/srv root"),
                        (2, "%t/root"),
                        (1, "%S/x"),
                        (1, "/srv/%H"),
                        (1, "%i"),
                        (1, "relative"),
                        (1, "/a/../b"),
                        (1, "-/srv/x"),
                    ])
                    .to_owned(),
            ),
            44 => (
                "RootImage",
                self.r
                    .weighted(&[
                        (5, "/img.raw"),
                        (3, ""),
                        (2, "/"),
                        (2, "/x/%i.raw"),
                        (1, "%C/img.raw"),
                        (1, "img.raw"),
                        (1, "/a/../b.raw"),
                    ])
                    .to_owned(),
            ),
            45 => (
                "MountImages",
                self.r
                    .pick(&[
                        "/a.raw:/mnt",
                        "",
                        "-/a.raw:/mnt",
                        "/a.raw",
                        "bad",
                        "/a.raw:/mnt:ro",
                        "/a.raw:/mnt:root:ro /b.raw:/b",
                        "/a.raw:rel",
                        "'/a b.raw:/mnt'",
                        "/a.raw:/m/../x",
                    ])
                    .to_owned(),
            ),
            46..=50 => {
                let k = if self.r.pct(70) {
                    "CapabilityBoundingSet"
                } else {
                    "AmbientCapabilities"
                };
                (
                    k,
                    if self.r.pct(8) {
                        String::new()
                    } else {
                        self.caps()
                    },
                )
            }
            51..=53 => ("RestrictNamespaces", self.namespaces()),
            54..=57 => ("RestrictAddressFamilies", self.families()),
            58..=59 => ("SystemCallArchitectures", {
                if self.r.pct(10) {
                    String::new()
                } else {
                    let mut ws = self.r.words(ARCHES, 1, 2);
                    if self.r.pct(15) {
                        let i = self.r.below(ws.len() + 1);
                        ws.insert(i, self.r.pick(ODD_ARCHES).to_owned());
                    }
                    self.r.join(&ws)
                }
            }),
            60..=67 => ("SystemCallFilter", self.syscall_filter()),
            68 => (
                "SystemCallErrorNumber",
                self.r.pick(&["EPERM", "kill", "bogus"]).to_owned(),
            ),
            69 => ("ExecStop", self.r.pick(&["/bin/true", ""]).to_owned()),
            70..=73 => {
                let k = if self.r.pct(50) {
                    "IPAddressAllow"
                } else {
                    "IPAddressDeny"
                };
                (k, self.ip_list())
            }
            74 => {
                let k = if self.r.pct(50) {
                    "IPIngressFilterPath"
                } else {
                    "IPEgressFilterPath"
                };
                (
                    k,
                    self.r
                        .pick(&[
                            "/sys/fs/bpf/x",
                            "",
                            "relative",
                            "/sys/fs/bpf/%i",
                            "/sys/../x",
                            "%t/bpf",
                        ])
                        .to_owned(),
                )
            }
            75..=76 => (
                "DevicePolicy",
                self.r
                    .pick(&["auto", "closed", "strict", "", "bogus", "Closed"])
                    .to_owned(),
            ),
            77..=80 => ("DeviceAllow", self.device_allow()),
            81..=83 => ("UMask", self.umask()),
            84 => {
                let k = self.r.pick(&["LoadCredentialEncrypted", "LoadCredential"]);
                let v = self.r.pick(&[
                    "foo:/etc/foo.cred",
                    "",
                    "foo",
                    "bad/name:/x",
                    "foo:rel",
                    "foo:/a/../b",
                    ":/x",
                    "%i:/x",
                ]);
                (k, v.to_owned())
            }
            85 => {
                let k = self.r.pick(&["SetCredentialEncrypted", "SetCredential"]);
                let v = self.r.pick(&[
                    "foo:YWJj",
                    "foo:abc",
                    "",
                    "foo",
                    "foo:",
                    "bar:YW Jj ZA==",
                    "foo:YWI=x",
                ]);
                (k, v.to_owned())
            }
            86 => (
                "Type",
                self.r
                    .pick(&[
                        "simple", "notify", "oneshot", "forking", "exec", "idle", "dbus", "bogus",
                        "",
                    ])
                    .to_owned(),
            ),
            87 => ("WatchdogSec", self.r.pick(&["5", "0", ""]).to_owned()),
            88 => (
                "Group",
                self.r
                    .weighted(&[
                        (4, "foo"),
                        (2, "root"),
                        (2, ""),
                        (1, "%p"),
                        (1, "0"),
                        (1, "%i"),
                    ])
                    .to_owned(),
            ),
            89 => ("ProtectClock", self.bool_value()),
            90 => ("PrivateDevices", self.bool_value()),
            91..=92 => ("DynamicUser", "yes".into()),
            93 => ("User", "foo".into()),
            94 => {
                let k =
                    self.r
                        .weighted(&[(1, "ExecStart"), (2, "ExecStartPre"), (1, "ExecStopPost")]);
                let v = self.r.pick(&[
                    "/usr/bin/true",
                    "",
                    "-/bin/false x",
                    "bogus",
                    "@/bin/true t",
                    "+/bin/true",
                    "!!/bin/x ; /bin/y",
                    "-@/bin/true",
                    "/bin/x \\; y",
                    "-/bin/'x",
                ]);
                (k, v.to_owned())
            }
            95 => ("SystemCallFilter", "@system-service".into()),
            96 => ("SystemCallFilter", "~@privileged @resources".into()),
            97 => ("RestrictAddressFamilies", "AF_UNIX AF_INET AF_INET6".into()),
            98 => ("CapabilityBoundingSet", String::new()),
            99 => ("RemainAfterExit", self.bool_value()),
            100 => match kind {
                Kind::Socket => (
                    self.r
                        .pick(&["ListenStream", "ListenDatagram", "ListenFIFO"]),
                    self.r.pick(&["/run/x.sock", "", "127.0.0.1:99"]).to_owned(),
                ),
                Kind::Mount => ("Where", self.r.pick(&["/mnt/elsewhere", ""]).to_owned()),
                _ => (
                    "Restart",
                    self.r
                        .pick(&["always", "no", "on-success", "bogus"])
                        .to_owned(),
                ),
            },
            101 => (
                "SocketUser",
                self.r.weighted(&[(5, "foo"), (1, "a:b")]).to_owned(),
            ),
            // Bus names must be unique within a batch: @ID@ becomes the unit's index.
            102 => (
                "BusName",
                self.r
                    .pick(&[
                        "org.example.n@ID@",
                        "",
                        "org.%j.n@ID@",
                        "9bad.name",
                        "nodot",
                    ])
                    .to_owned(),
            ),
            _ => ("IPAddressDeny", "any".into()),
        };
        (k.to_owned(), v)
    }

    /// A fully hardened base, so that low scores get exercised too.
    fn hardened(&self) -> Vec<(String, String)> {
        let base: &[(&str, &str)] = &[
            ("DynamicUser", "yes"),
            ("CapabilityBoundingSet", ""),
            ("AmbientCapabilities", ""),
            ("NoNewPrivileges", "yes"),
            ("PrivateDevices", "yes"),
            ("PrivateMounts", "yes"),
            ("PrivateNetwork", "yes"),
            ("PrivateTmp", "yes"),
            ("PrivateUsers", "yes"),
            ("ProtectClock", "yes"),
            ("ProtectControlGroups", "yes"),
            ("ProtectHome", "yes"),
            ("ProtectHostname", "yes"),
            ("ProtectKernelLogs", "yes"),
            ("ProtectKernelModules", "yes"),
            ("ProtectKernelTunables", "yes"),
            ("ProtectProc", "invisible"),
            ("ProcSubset", "pid"),
            ("ProtectSystem", "strict"),
            ("RemoveIPC", "yes"),
            ("RestrictAddressFamilies", "none"),
            ("RestrictNamespaces", "yes"),
            ("RestrictRealtime", "yes"),
            ("RestrictSUIDSGID", "yes"),
            ("LockPersonality", "yes"),
            ("MemoryDenyWriteExecute", "yes"),
            ("SystemCallArchitectures", "native"),
            ("SystemCallFilter", "@system-service"),
            ("SystemCallFilter", "~@privileged @resources"),
            ("IPAddressDeny", "any"),
            ("UMask", "0077"),
            ("RootDirectory", "/srv/root"),
            ("DevicePolicy", "closed"),
        ];
        base.iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    /// Renders `Key=Value` with random spacing, continuations and case.
    fn line(&mut self, k: &str, v: &str) -> String {
        let mut key = k.to_owned();
        if self.r.pct(1) {
            key = key.to_ascii_lowercase();
        }
        let (pre, eq) = match self.r.below(30) {
            0 => (" ", "="),
            1 => ("\t", " = "),
            2 => ("", "= "),
            3 => ("", " ="),
            _ => ("", "="),
        };
        let post = if self.r.pct(3) { " \t" } else { "" };
        let mut v = v.to_owned();
        if self.r.pct(5) {
            if let Some(i) = v.find(' ') {
                // A backslash continuation in the middle of the value.
                let indent = self.r.pick(&["", " ", "\t"]);
                let comment = if self.r.pct(30) {
                    "# a comment inside\n"
                } else {
                    ""
                };
                let blank = if self.r.pct(10) { "\n" } else { "" };
                v = format!("{} \\\n{comment}{blank}{indent}{}", &v[..i], &v[i + 1..]);
            } else if self.r.pct(50) {
                v = format!("{v}\\\n");
            }
        }
        if self.r.pct(1) {
            // A lone carriage return, or a NUL, also ends a line for systemd.
            let eol = self.r.pick(&["\r", "\r\r", "\n\r", "\0", "\0\n"]);
            v = format!("{v}{eol}PrivateTmp=yes");
        }
        format!("{pre}{key}{eq}{v}{post}")
    }
}

/// Builds one random case with global index `idx`.
fn gen_case(r: &mut Rng, idx: usize) -> Case {
    let kind = match r.below(100) {
        0..=4 => Kind::Socket,
        5..=8 => Kind::Mount,
        9..=10 => Kind::Target,
        11..=12 => Kind::Swap,
        13 => Kind::Timer,
        14 => Kind::Path,
        15 => Kind::Automount,
        16..=17 => Kind::Slice,
        _ => Kind::Service,
    };
    let (file, assessed) = match kind {
        Kind::Socket => (format!("s{idx}.socket"), format!("s{idx}.socket")),
        Kind::Mount => (format!("mnt-m{idx}.mount"), format!("mnt-m{idx}.mount")),
        Kind::Target => (format!("g{idx}.target"), format!("g{idx}.target")),
        Kind::Swap => (format!("dev-sw{idx}.swap"), format!("dev-sw{idx}.swap")),
        Kind::Timer => (format!("tm{idx}.timer"), format!("tm{idx}.timer")),
        Kind::Path => (format!("p{idx}.path"), format!("p{idx}.path")),
        Kind::Automount => (
            format!("mnt-a{idx}.automount"),
            format!("mnt-a{idx}.automount"),
        ),
        Kind::Slice => (format!("sl{idx}.slice"), format!("sl{idx}.slice")),
        Kind::Service => match r.below(20) {
            0 | 1 => (format!("t{idx}@.service"), format!("t{idx}@i.service")),
            2 => (
                format!("root@r{idx}.service"),
                format!("root@r{idx}.service"),
            ),
            3 => (
                format!("nobody@n{idx}.service"),
                format!("nobody@n{idx}.service"),
            ),
            4 => (format!("9x{idx}.service"), format!("9x{idx}.service")),
            5 => (format!("a.b-c{idx}.service"), format!("a.b-c{idx}.service")),
            _ => (format!("u{idx}.service"), format!("u{idx}.service")),
        },
    };
    let mut g = Gen { r };
    let section = match kind {
        Kind::Service | Kind::Target => "Service",
        Kind::Socket => "Socket",
        Kind::Mount => "Mount",
        Kind::Swap => "Swap",
        Kind::Timer => "Timer",
        Kind::Path => "Path",
        Kind::Automount => "Automount",
        Kind::Slice => "Slice",
    };

    // The directives, in order.
    let mut dirs: Vec<(String, String)> = Vec::new();
    if g.r.pct(20) {
        dirs.extend(g.hardened());
    }
    let n = g.r.below(30);
    for _ in 0..n {
        dirs.push(g.directive(kind));
    }
    // Shuffle a little: swap some pairs.
    for _ in 0..dirs.len() / 3 {
        let a = g.r.below(dirs.len());
        let b = g.r.below(dirs.len());
        dirs.swap(a, b);
    }

    // Type-specific must-haves.
    let mut head: Vec<String> = Vec::new();
    match kind {
        Kind::Service => {
            if !g.r.pct(3) {
                head.push("ExecStart=/usr/bin/true".into());
            }
        }
        Kind::Socket => {
            if !g.r.pct(10) {
                head.push(format!("ListenStream=/run/s{idx}.sock"));
            }
        }
        Kind::Mount => {
            if !g.r.pct(3) {
                head.push("What=/dev/sda1".into());
            }
            let w = g.r.weighted(&[
                (10, "/mnt/m{}"),
                (2, ""),
                (1, "//mnt/./m{}/"),
                (1, "/mnt/elsewhere"),
            ]);
            if !w.is_empty() {
                head.push(format!("Where={}", w.replace("{}", &idx.to_string())));
            }
        }
        Kind::Swap => {
            let w = g.r.weighted(&[
                (6, "/dev/sw{}"),
                (2, ""),
                (1, "/dev//sw{}"),
                (1, "/dev/other"),
            ]);
            if !w.is_empty() {
                head.push(format!("What={}", w.replace("{}", &idx.to_string())));
            }
        }
        Kind::Timer => {
            let v = g.r.weighted(&[
                (6, "OnCalendar=daily"),
                (2, "OnBootSec=5min"),
                (1, "OnCalendar=bogus"),
                (1, "OnClockChange=yes"),
                (1, ""),
            ]);
            if !v.is_empty() {
                head.push(v.to_owned());
            }
        }
        Kind::Path => {
            let v = g.r.weighted(&[
                (6, "PathExists=/etc/x"),
                (1, "PathChanged=rel"),
                (1, "PathModified="),
            ]);
            head.push(v.to_owned());
        }
        Kind::Automount => {
            let w = g.r.weighted(&[(6, "/mnt/a{}"), (2, ""), (1, "/mnt/other")]);
            if !w.is_empty() {
                head.push(format!("Where={}", w.replace("{}", &idx.to_string())));
            }
        }
        Kind::Target | Kind::Slice => {}
    }

    // Distribute directives over the main file and drop-ins.
    let ndrop = if g.r.pct(25) { 1 + g.r.below(3) } else { 0 };
    let mut bodies: Vec<Vec<String>> = vec![Vec::new(); 1 + ndrop];
    for (k, v) in &dirs {
        let which = if ndrop == 0 || g.r.pct(60) {
            0
        } else {
            1 + g.r.below(ndrop)
        };
        let l = g.line(k, v);
        bodies[which].push(l);
        if g.r.pct(4) {
            let c = g.r.pick(&[
                "# comment",
                "; comment",
                "#User=root",
                "   # indented comment",
                "",
                "[X-Extra]\n[Service]",
                "  [Service]  ",
            ]);
            bodies[which].push(c.to_owned());
        }
    }

    let mut unit_sec = vec!["Description=random unit".to_owned()];
    if g.r.pct(12) {
        let v = g.r.pick(&["no", "yes", "false", "bogus", ""]);
        unit_sec.push(format!("DefaultDependencies={v}"));
    }
    if g.r.pct(2) {
        unit_sec.push(format!(
            "SuccessAction={}",
            g.r.pick(&["none", "exit", "reboot", "bogus"])
        ));
    }
    if g.r.pct(3) {
        // A hardening directive in the wrong section is ignored.
        let (k, v) = g.directive(kind);
        unit_sec.push(format!("{k}={v}"));
    }

    let mut main = String::new();
    if g.r.pct(3) {
        main.push_str("# leading comment\n\n");
    }
    if g.r.pct(2) {
        main.push('\u{feff}');
    }
    let _ = writeln!(main, "[Unit]");
    for l in &unit_sec {
        let _ = writeln!(main, "{l}");
    }
    let _ = writeln!(main, "\n[{section}]");
    for l in &head {
        let _ = writeln!(main, "{l}");
    }
    for l in &bodies[0] {
        let _ = writeln!(main, "{l}");
    }
    if g.r.pct(3) {
        let other = g.r.pick(&[
            "[X-Foo]",
            "[service]",
            "[Install]",
            "[Bogus]",
            "[]",
            "[ Service]",
            "[Service] # c",
        ]);
        let (k, v) = g.directive(kind);
        let _ = writeln!(main, "{other}\n{k}={v}");
    }
    if g.r.pct(30) {
        main.push_str("\n[Install]\nWantedBy=multi-user.target\n");
    }
    // Occasional refusals.
    match g.r.below(200) {
        0 => main.push_str("[Service\n"),
        1 => main.clear(),
        2 if kind == Kind::Service => {
            let _ = write!(main, "[{section}]\nExecStart=/usr/bin/false\n");
        }
        3 if kind == Kind::Service => {
            let _ = write!(main, "[{section}]\nType=dbus\n");
        }
        4 if kind == Kind::Service => {
            let _ = write!(main, "[{section}]\nType=oneshot\nRestart=always\n");
        }
        5 => main.push_str("[Bad\"Name]\nUser=root\n"),
        _ => {}
    }
    if g.r.pct(2) {
        main = main.replace('\n', "\r\n");
    }

    let mut dropins = Vec::new();
    for (i, body) in bodies.iter().enumerate().skip(1) {
        let name = format!("{:02}-{}.conf", g.r.below(90), ["a", "b", "c"][i - 1]);
        let mut t = String::new();
        if !g.r.pct(3) {
            let _ = writeln!(t, "[{section}]");
        }
        for (j, l) in body.iter().enumerate() {
            if j > 0 && g.r.pct(2) {
                // A broken header: systemd stops reading this drop-in here.
                t.push_str("[Service\n");
            }
            t.push_str(l);
            t.push('\n');
        }
        dropins.push((name, t));
    }
    if g.r.pct(4) {
        // A drop-in that resets lists.
        let mut t = format!("[{section}]\n");
        for k in [
            "SystemCallFilter",
            "CapabilityBoundingSet",
            "IPAddressAllow",
            "RestrictAddressFamilies",
            "DeviceAllow",
            "User",
            "RootDirectory",
        ] {
            if g.r.pct(50) {
                let _ = writeln!(t, "{k}=");
            }
        }
        dropins.push(("99-reset.conf".into(), t));
    }
    dropins.sort_by(|a, b| a.0.cmp(&b.0));
    dropins.dedup_by(|a, b| a.0 == b.0);
    let id = idx.to_string();
    let main = main.replace("@ID@", &id);
    for d in &mut dropins {
        d.1 = d.1.replace("@ID@", &id);
    }
    Case {
        file,
        assessed,
        main,
        dropins,
    }
}

// ---------------------------------------------------------------------------------------
// Running both sides.

#[derive(Clone, Debug, PartialEq)]
enum Outcome {
    /// The unit does not load; the text says why (our reason, or systemd's messages).
    Refused(String),
    Scored {
        unit: String,
        exposure: String,
        predicate: String,
        rows: Vec<Value>,
    },
}

fn ours(c: &Case, t: &Target) -> Outcome {
    let texts: Vec<(String, &str)> = std::iter::once((c.file.clone(), c.main.as_str()))
        .chain(
            c.dropins
                .iter()
                .map(|(n, t)| (format!("{}.d/{n}", c.file), t.as_str())),
        )
        .collect();
    let files: Vec<FileInput<'_>> = texts
        .iter()
        .map(|(p, t)| FileInput::whole(Some(p), t))
        .collect();
    match analyze_unit(&c.file, &files, &Options::for_version(t.version)) {
        Err(d) => Outcome::Refused(format!("error: {}", d.message)),
        Ok(r) => match r.refused {
            Some(why) => Outcome::Refused(why),
            None => Outcome::Scored {
                unit: r.unit.clone(),
                exposure: r.exposure.to_string(),
                predicate: r.predicate.as_str().to_owned(),
                rows: r
                    .rows
                    .iter()
                    .map(|row| serde_json::to_value(row).unwrap())
                    .collect(),
            },
        },
    }
}

fn write_cases(dir: &Path, cases: &[Case]) -> Vec<PathBuf> {
    let _ = std::fs::remove_dir_all(dir);
    std::fs::create_dir_all(dir).unwrap();
    let mut paths = Vec::new();
    for c in cases {
        let p = dir.join(&c.file);
        std::fs::write(&p, &c.main).unwrap();
        if !c.dropins.is_empty() {
            let d = dir.join(format!("{}.d", c.file));
            std::fs::create_dir_all(&d).unwrap();
            for (n, t) in &c.dropins {
                std::fs::write(d.join(n), t).unwrap();
            }
        }
        paths.push(p);
    }
    paths
}

/// The systemd-analyze compared with: the installed one (252), or a release's through the
/// oracle script; and the profile we score as.
struct Target {
    version: Version,
    /// `None`: the installed `systemd-analyze`; else a release `oracle-version.sh` knows.
    release: Option<String>,
}

impl Target {
    /// The name a case is assessed as by this version (templates get its instance).
    fn assessed(&self, c: &Case) -> String {
        if c.file.contains("@.") {
            c.assessed
                .replacen("@i.", &format!("@{}.", self.version.profile().instance), 1)
        } else {
            c.assessed.clone()
        }
    }
}

fn oracle_script() -> PathBuf {
    corpus_root().join("../tools/oracle-version.sh")
}

fn run_analyze(paths: &[PathBuf], json: bool, t: &Target) -> std::process::Output {
    let mut cmd = match &t.release {
        None => {
            let mut cmd = Command::new("systemd-analyze");
            cmd.arg("security").arg("--offline=yes").arg("--no-pager");
            if json {
                cmd.arg("--json=short");
            }
            cmd.args(paths);
            cmd
        }
        // The script runs `security --offline=yes ARGS FILE`: the other files go with the
        // arguments (units are matched by name, so the order does not matter).
        Some(rel) => {
            let mut cmd = Command::new(oracle_script());
            cmd.arg(rel).arg(&paths[0]);
            if json {
                cmd.arg("--json=short");
            }
            cmd.args(&paths[1..]);
            cmd
        }
    };
    // An empty SYSTEMD_UNIT_PATH keeps the host's units and drop-ins out: the search path is
    // then only the folder of the given files.
    cmd.env("SYSTEMD_UNIT_PATH", "")
        .env("LC_ALL", "C")
        .env("SYSTEMD_COLORS", "0")
        .env("SYSTEMD_LOG_COLOR", "0")
        .env_remove("SYSTEMD_ANALYZE_DEBUG");
    let out = cmd.output().expect("run systemd-analyze");
    if out.status.code().is_none() {
        panic!(
            "systemd-analyze was killed by a signal ({:?}) on {} units; stderr:\n{}",
            out.status,
            paths.len(),
            String::from_utf8_lossy(&out.stderr)
        );
    }
    out
}

/// The unit a line of systemd-analyze's stderr is about, if it names one of ours: lines start
/// with `/dir/NAME:LINE: …`, `/dir/NAME.d/x.conf:LINE: …`, `NAME: …` or `Unit NAME …`.
fn stderr_unit<'a>(line: &'a str, dir: &str) -> Option<&'a str> {
    let rest = line.strip_prefix("Unit ").unwrap_or(line);
    let rest = rest
        .strip_prefix(dir)
        .map_or(rest, |r| r.trim_start_matches('/'));
    let end = rest.find([':', ' ', '/']).unwrap_or(rest.len());
    let name = &rest[..end];
    Some(name.strip_suffix(".d").unwrap_or(name))
}

/// Scores `cases` with the real tool: one text run (for the overall exposure) and one JSON run
/// (for the rows), side by side.
fn theirs(dir: &Path, cases: &[Case], target: &Target) -> Vec<Outcome> {
    let paths = write_cases(dir, cases);
    let (text, json) = std::thread::scope(|s| {
        let t = s.spawn(|| run_analyze(&paths, false, target));
        let j = run_analyze(&paths, true, target);
        (t.join().unwrap(), j)
    });
    if std::env::var_os("EXPOSURE_DIFF_KEEP").is_none() {
        let _ = std::fs::remove_dir_all(dir);
    }
    let stdout = String::from_utf8_lossy(&text.stdout);
    let stderr = String::from_utf8_lossy(&text.stderr);
    // Summary lines, in the order the units were given (refused units print nothing).
    let mut summaries: Vec<(String, String, String)> = Vec::new();
    for l in stdout.lines() {
        // (`->` in the C locale, `→` in a UTF-8 one, as the oracle script runs it.)
        if let Some(rest) = l
            .strip_prefix("-> Overall exposure level for ")
            .or_else(|| l.strip_prefix("→ Overall exposure level for "))
        {
            let (name, tail) = rest.rsplit_once(": ").expect("summary line");
            let mut it = tail.split(' ');
            let e = it.next().unwrap().to_owned();
            let p = it.next().unwrap().to_owned();
            summaries.push((name.to_owned(), e, p));
        }
    }
    // With --json there is no summary: one array per scored unit, in the same order.
    let jstdout = String::from_utf8_lossy(&json.stdout);
    let arrays: Vec<Vec<Value>> = jstdout
        .lines()
        .filter(|l| l.starts_with('['))
        .map(|l| serde_json::from_str(l).expect("JSON array"))
        .collect();
    assert_eq!(
        summaries.len(),
        arrays.len(),
        "the text and JSON runs scored a different number of units"
    );
    let mut by_name: HashMap<String, (String, String, Vec<Value>)> = HashMap::new();
    for ((n, e, p), rows) in summaries.into_iter().zip(arrays) {
        by_name.insert(n, (e, p, rows));
    }
    let dir_s = dir.to_string_lossy();
    let mut messages: HashMap<&str, Vec<&str>> = HashMap::new();
    for l in stderr.lines() {
        if let Some(u) = stderr_unit(l, &dir_s) {
            messages.entry(u).or_default().push(l);
        }
    }
    cases
        .iter()
        .map(|c| {
            let assessed = target.assessed(c);
            match by_name.remove(&assessed) {
                Some((exposure, predicate, rows)) => Outcome::Scored {
                    unit: assessed,
                    exposure,
                    predicate,
                    rows,
                },
                None => {
                    let mut why: Vec<&str> =
                        messages.get(c.file.as_str()).cloned().unwrap_or_default();
                    if assessed != c.file {
                        why.extend(messages.get(assessed.as_str()).cloned().unwrap_or_default());
                    }
                    Outcome::Refused(why.join("\n"))
                }
            }
        })
        .collect()
}

/// What kind of difference there is, to keep a shrunk unit failing the same way.
fn signature(ours: &Outcome, theirs: &Outcome) -> Option<String> {
    match (ours, theirs) {
        (Outcome::Refused(_), Outcome::Refused(_)) => None,
        (Outcome::Refused(_), Outcome::Scored { .. }) => Some("we refuse".into()),
        (Outcome::Scored { .. }, Outcome::Refused(why)) => {
            Some(format!("systemd refuses: {}", refusal_key(why)))
        }
        (
            Outcome::Scored {
                unit: u1,
                exposure: e1,
                predicate: p1,
                rows: r1,
            },
            Outcome::Scored {
                unit: u2,
                exposure: e2,
                predicate: p2,
                rows: r2,
            },
        ) => {
            if u1 != u2 {
                return Some("unit name".into());
            }
            let fields: Vec<&str> = differing_rows(r1, r2).iter().map(|(f, _, _)| *f).collect();
            if !fields.is_empty() {
                return Some(fields.join(" "));
            }
            if r1 != r2 {
                return Some("row order".into());
            }
            (e1 != e2 || p1 != p2).then(|| "summary".into())
        }
    }
}

/// The gist of why systemd refused a unit: the message before "fatal error", or the
/// "Refusing" line, without file, line number and value.
fn refusal_key(why: &str) -> String {
    let lines: Vec<&str> = why.lines().collect();
    let mut key = lines.iter().find(|l| l.contains("Refusing")).copied();
    if let Some(i) = lines
        .iter()
        .position(|l| l.contains("Unit configuration has fatal error"))
    {
        key = i.checked_sub(1).map(|j| lines[j]);
    }
    let Some(k) = key else {
        return lines.last().copied().unwrap_or("").to_owned();
    };
    // Drop "/path/file:LINE: " or "NAME: ".
    let k = match k.find(": ") {
        Some(i) => &k[i + 2..],
        None => k,
    };
    let k = k.rsplit_once(": ").map_or(k, |(a, _)| a);
    k.to_owned()
}

/// Rows that differ, by `json_field`: (field, ours, systemd's).
fn differing_rows<'a>(
    r1: &'a [Value],
    r2: &'a [Value],
) -> Vec<(&'a str, Option<&'a Value>, Option<&'a Value>)> {
    let key = |v: &'a Value| v["json_field"].as_str().unwrap_or("");
    let m1: HashMap<&str, &Value> = r1.iter().map(|v| (key(v), v)).collect();
    let m2: HashMap<&str, &Value> = r2.iter().map(|v| (key(v), v)).collect();
    let mut out = Vec::new();
    for v in r1.iter().chain(r2) {
        let k = key(v);
        let (a, b) = (m1.get(k).copied(), m2.get(k).copied());
        if a != b && !out.iter().any(|(f, _, _)| *f == k) {
            out.push((k, a, b));
        }
    }
    out
}

/// A readable account of the difference.
fn explain(ours: &Outcome, theirs: &Outcome) -> String {
    match (ours, theirs) {
        (
            Outcome::Refused(why),
            Outcome::Scored {
                exposure,
                predicate,
                ..
            },
        ) => {
            format!("we refuse it ({why}); systemd scores it {exposure} {predicate}")
        }
        (
            Outcome::Scored {
                exposure,
                predicate,
                ..
            },
            Outcome::Refused(why),
        ) => {
            format!("systemd refuses it:\n{why}\n  we score it {exposure} {predicate}")
        }
        (
            Outcome::Scored {
                unit: u1,
                exposure: e1,
                predicate: p1,
                rows: r1,
            },
            Outcome::Scored {
                unit: u2,
                exposure: e2,
                predicate: p2,
                rows: r2,
            },
        ) => {
            let mut s = format!("ours: {u1} {e1} {p1}; systemd: {u2} {e2} {p2}\n");
            let rows = differing_rows(r1, r2);
            for (f, a, b) in &rows {
                let show = |v: Option<&Value>| v.map_or("(missing)".to_owned(), |v| v.to_string());
                let _ = writeln!(
                    s,
                    "  {f}:\n    ours    {}\n    systemd {}",
                    show(*a),
                    show(*b)
                );
            }
            if rows.is_empty() && r1 != r2 {
                let names = |r: &[Value]| -> String {
                    r.iter()
                        .map(|v| v["name"].as_str().unwrap_or("").to_owned())
                        .collect::<Vec<_>>()
                        .join(", ")
                };
                let _ = writeln!(
                    s,
                    "  row order differs:\n    ours    {}\n    systemd {}",
                    names(r1),
                    names(r2)
                );
            }
            s
        }
        _ => String::new(),
    }
}

fn render(c: &Case) -> String {
    // Make the invisible characters that matter to the parser visible.
    let show = |t: &str| {
        t.replace('\r', "<CR>")
            .replace('\u{feff}', "<BOM>")
            .replace('\0', "<NUL>")
    };
    let mut s = format!("==> {} <==\n{}", c.file, show(&c.main));
    for (n, t) in &c.dropins {
        let _ = write!(s, "==> {}.d/{n} <==\n{}", c.file, show(t));
    }
    s
}

/// Shrinks a mismatching case by dropping drop-ins and single lines while it still mismatches
/// the same way (same [`signature`]).
fn shrink(dir: &Path, c: &Case, sig: &str, t: &Target) -> Case {
    let still = |c: &Case| {
        signature(&ours(c, t), &theirs(dir, std::slice::from_ref(c), t)[0]).as_deref() == Some(sig)
    };
    let mut best = c.clone();
    let mut i = 0;
    while i < best.dropins.len() {
        let mut t = best.clone();
        t.dropins.remove(i);
        if still(&t) {
            best = t;
        } else {
            i += 1;
        }
    }
    // File 0 is the unit file, then the drop-ins.
    for f in 0..=best.dropins.len() {
        let text = if f == 0 {
            &best.main
        } else {
            &best.dropins[f - 1].1
        };
        let mut lines: Vec<String> = text.lines().map(str::to_owned).collect();
        let mut j = lines.len();
        while j > 0 {
            j -= 1;
            let mut cand = lines.clone();
            cand.remove(j);
            let mut joined = cand.join("\n");
            if !cand.is_empty() {
                joined.push('\n');
            }
            let mut t = best.clone();
            if f == 0 {
                t.main = joined;
            } else {
                t.dropins[f - 1].1 = joined;
            }
            if still(&t) {
                best = t;
                lines = cand;
            }
        }
    }
    best
}

fn env_or<T: std::str::FromStr>(name: &str, default: T) -> T {
    match std::env::var(name) {
        Ok(v) if !v.trim().is_empty() => {
            let v = v.trim();
            let parsed = match v.strip_prefix("0x") {
                Some(h) => u64::from_str_radix(h, 16)
                    .ok()
                    .and_then(|n| n.to_string().parse().ok()),
                None => v.parse().ok(),
            };
            parsed.unwrap_or_else(|| panic!("{name}={v} is not a number"))
        }
        _ => default,
    }
}

/// Why the real tool cannot be used, if it cannot: missing, or not systemd 252.
fn systemd_analyze_problem() -> Option<String> {
    match Command::new("systemd-analyze").arg("--version").output() {
        Err(e) => Some(format!("systemd-analyze is not on the PATH ({e})")),
        Ok(o) => {
            let v = String::from_utf8_lossy(&o.stdout);
            let first = v.lines().next().unwrap_or("").to_owned();
            (!o.status.success() || !first.starts_with("systemd 252 "))
                .then(|| format!("systemd-analyze is not systemd 252 (it says {first:?})"))
        }
    }
}

fn skip(problem: &str) {
    eprintln!();
    eprintln!("**********************************************************************");
    eprintln!("  SKIPPED: the differential test against the real tool cannot run:");
    eprintln!("  {problem}.");
    eprintln!("**********************************************************************");
    eprintln!();
}

#[test]
fn random_units_match_systemd_analyze() {
    if let Some(problem) = systemd_analyze_problem() {
        skip(&problem);
        return;
    }
    let cases: usize = env_or("EXPOSURE_DIFF_CASES", DEFAULT_CASES);
    // The installed systemd-analyze is Debian 12's 252.
    let target = Target {
        version: Version::V252,
        release: None,
    };
    if let Some(report) = differential(&target, cases) {
        panic!("{report}");
    }
}

/// The releases `oracle-version.sh` runs, with the profile each is verified as.
const ORACLES: &[(&str, &str)] = &[
    ("bookworm-backports", "254"),
    ("trixie", "257"),
    ("sid", "262"),
];

#[test]
fn random_units_match_release_oracles() {
    let Ok(list) = std::env::var("EXPOSURE_DIFF_RELEASES") else {
        skip(
            "EXPOSURE_DIFF_RELEASES is not set (e.g. bookworm-backports,trixie,sid; \
             `make test-versions` sets it)",
        );
        return;
    };
    let cases: usize = env_or("EXPOSURE_DIFF_ORACLE_CASES", 2000);
    let mut failed = Vec::new();
    for rel in list.split(',').map(str::trim).filter(|r| !r.is_empty()) {
        let Some(&(_, id)) = ORACLES.iter().find(|(r, _)| *r == rel) else {
            panic!("EXPOSURE_DIFF_RELEASES: unknown release {rel:?}; known: {ORACLES:?}");
        };
        let target = Target {
            version: Version::parse(id).unwrap(),
            release: Some(rel.to_owned()),
        };
        println!("differential against {rel} (profile {id}):");
        failed.extend(differential(&target, cases));
    }
    assert!(failed.is_empty(), "{}", failed.join("\n\n"));
}

/// Generates `cases` random units and compares our scores for `target`'s profile with its
/// systemd-analyze; on a mismatch, the report with shrunk examples.
fn differential(target: &Target, cases: usize) -> Option<String> {
    let seed: u64 = env_or("EXPOSURE_DIFF_SEED", DEFAULT_SEED);
    let start = std::time::Instant::now();
    let dir = std::env::temp_dir().join(format!(
        "exposure-differential-{}-{}",
        std::process::id(),
        target.release.as_deref().unwrap_or("installed")
    ));
    let mut rng = Rng(seed);
    let mut failures: Vec<(Case, Outcome, Outcome)> = Vec::new();
    let (mut scored, mut refused) = (0usize, 0usize);
    let mut reasons: HashMap<String, usize> = HashMap::new();
    let mut done = 0;
    while done < cases {
        let n = BATCH.min(cases - done);
        let batch: Vec<Case> = (done..done + n).map(|i| gen_case(&mut rng, i)).collect();
        // Our side runs while systemd-analyze does.
        let (mine, real) = std::thread::scope(|s| {
            let mine = s.spawn(|| batch.iter().map(|c| ours(c, target)).collect::<Vec<_>>());
            let real = theirs(&dir, &batch, target);
            (mine.join().unwrap(), real)
        });
        for ((c, o), t) in batch.iter().zip(mine).zip(real) {
            match &t {
                Outcome::Refused(why) => {
                    refused += 1;
                    *reasons.entry(refusal_key(why)).or_default() += 1;
                }
                Outcome::Scored { .. } => scored += 1,
            }
            if signature(&o, &t).is_some() {
                failures.push((c.clone(), o, t));
            }
        }
        done += n;
    }
    println!(
        "differential: {cases} random units (seed {seed:#x}): {scored} scored and {refused} refused by systemd, \
         {} mismatches, in {:.1?}",
        failures.len(),
        start.elapsed()
    );
    let mut reasons: Vec<(String, usize)> = reasons.into_iter().collect();
    reasons.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    for (why, n) in reasons.iter().take(12) {
        println!("  refused {n:5}: {why}");
    }
    if failures.is_empty() {
        return None;
    }
    let mut report = String::new();
    let nshow: usize = env_or("EXPOSURE_DIFF_SHOW", SHOW);
    let mut shown: Vec<String> = Vec::new();
    for (c, o, t) in &failures {
        if shown.len() >= nshow {
            break;
        }
        let sig = signature(o, t).unwrap();
        if shown.contains(&sig) {
            continue;
        }
        let small = shrink(&dir, c, &sig, target);
        let (so, st) = (
            ours(&small, target),
            theirs(&dir, std::slice::from_ref(&small), target).remove(0),
        );
        let _ = writeln!(
            report,
            "\n---- {} ({sig}) ----\n{}\n-- the unit --\n{}-- shrunk to --\n{}\
             -- difference on the shrunk unit --\n{}",
            c.file,
            explain(o, t),
            render(c),
            render(&small),
            explain(&so, &st)
        );
        shown.push(sig);
    }
    let _ = writeln!(report, "\nall mismatches:");
    for (c, o, t) in failures.iter().take(100) {
        let _ = writeln!(report, "  {}: {}", c.file, signature(o, t).unwrap());
    }
    if failures.len() > 100 {
        let _ = writeln!(report, "  … and {} more", failures.len() - 100);
    }
    if std::env::var_os("EXPOSURE_DIFF_KEEP").is_none() {
        let _ = std::fs::remove_dir_all(&dir);
    }
    Some(format!(
        "{} of {cases} random units differ from systemd-analyze {} (seed {seed:#x}; rerun with \
         EXPOSURE_DIFF_SEED={seed:#x}):\n{report}",
        failures.len(),
        target.release.as_deref().unwrap_or("installed")
    ))
}
