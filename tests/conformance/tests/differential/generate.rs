//! The generator: random units (and drop-ins) from a seeded RNG, deterministic for a seed.

use std::fmt::Write as _;
use std::sync::LazyLock;

use exposure_core::load::boolean_setting_names;

// ---------------------------------------------------------------------------------------
// A small deterministic PRNG (SplitMix64).

pub(crate) struct Rng(pub(crate) u64);

impl Rng {
    pub(crate) fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    /// Uniform in `0..n` (n > 0).
    pub(crate) fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    /// True with probability `p` percent.
    pub(crate) fn pct(&mut self, p: u32) -> bool {
        self.below(100) < p as usize
    }
    pub(crate) fn pick<'a>(&mut self, xs: &[&'a str]) -> &'a str {
        xs[self.below(xs.len())]
    }
    /// Weighted pick from `(weight, value)` pairs.
    pub(crate) fn weighted<'a>(&mut self, xs: &[(u32, &'a str)]) -> &'a str {
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
    pub(crate) fn words(&mut self, pool: &[&str], lo: usize, hi: usize) -> Vec<String> {
        let n = lo + self.below(hi - lo + 1);
        (0..n).map(|_| self.pick(pool).to_owned()).collect()
    }
    /// Joins words with a random separator (mostly one space).
    pub(crate) fn join(&mut self, ws: &[String]) -> String {
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

pub(crate) const BOOLS: &[(u32, &str)] = &[
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
pub(crate) const VERSIONED_VALUES: &[(&str, &[&str])] = &[
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
pub(crate) const GOOD_BOOLS: &[(u32, &str)] = &[
    (10, "yes"),
    (10, "no"),
    (2, "true"),
    (2, "off"),
    (1, "1"),
    (1, "N"),
];

/// The boolean settings the generator writes with any boolean spelling: the engine's table of
/// them, but for `DynamicUser=` (a bad value is fatal) and `Delegate=` (it takes controller
/// lists), which have generators of their own.
pub(crate) static BOOL_SETTINGS: LazyLock<Vec<&str>> = LazyLock::new(|| {
    boolean_setting_names()
        .filter(|n| !matches!(*n, "DynamicUser" | "Delegate"))
        .collect()
});

pub(crate) const CAPS: &[&str] = &[
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

pub(crate) const ODD_CAPS: &[&str] = &[
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

pub(crate) const NAMESPACES: &[&str] =
    &["cgroup", "ipc", "net", "mnt", "pid", "user", "uts", "time"];

pub(crate) const ODD_NAMESPACES: &[&str] = &[
    "NET", "bogus", "all", "yes", "network", "\"pid\"", "ipc\\", "m\\nt",
];

pub(crate) const FAMILIES: &[&str] = &[
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

pub(crate) const ODD_FAMILIES: &[&str] = &[
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

pub(crate) const ARCHES: &[&str] = &[
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

pub(crate) const ODD_ARCHES: &[&str] = &[
    "bogus",
    "x86_64",
    "NATIVE",
    "i386",
    "amd64",
    "loongarch64",
    "\"native\"",
    "'x86",
];

pub(crate) const SYSCALL_GROUPS: &[&str] = &[
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

pub(crate) const SYSCALLS: &[&str] = &[
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

pub(crate) const ERRNOS: &[&str] = &[
    "EPERM", "EACCES", "ENOSYS", "1", "0", "4095", "4096", "kill", "EBOGUS", "", "eperm", "-1",
    "0x10", "Kill",
];

pub(crate) const USERS: &[(u32, &str)] = &[
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

pub(crate) const GROUPS: &[&str] = &[
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

pub(crate) const IP_WORDS: &[&str] = &[
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

pub(crate) const DEVICE_PATHS: &[&str] = &[
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

pub(crate) const DEVICE_PERMS: &[&str] = &[
    "", "r", "w", "m", "rw", "rwm", "mwr", "wr", "x", "rx", "R", "rr", "r w",
];

// ---------------------------------------------------------------------------------------
// Units.

#[derive(Clone, Debug)]
pub(crate) struct Case {
    /// File name given to systemd-analyze, e.g. `u17.service` or `t17@.service`.
    pub(crate) file: String,
    /// The name systemd assesses it as (`t17@i.service` for a template).
    pub(crate) assessed: String,
    /// The unit file's text.
    pub(crate) main: String,
    /// Drop-ins in `<file>.d/`: (file name, text), in application order.
    pub(crate) dropins: Vec<(String, String)>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
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

pub(crate) struct Gen<'a> {
    pub(crate) r: &'a mut Rng,
}

impl Gen<'_> {
    pub(crate) fn bool_value(&mut self) -> String {
        self.r.weighted(BOOLS).to_owned()
    }

    pub(crate) fn caps(&mut self) -> String {
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

    pub(crate) fn namespaces(&mut self) -> String {
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

    pub(crate) fn families(&mut self) -> String {
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

    pub(crate) fn syscall_word(&mut self) -> String {
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

    pub(crate) fn syscall_filter(&mut self) -> String {
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

    pub(crate) fn ip_list(&mut self) -> String {
        if self.r.pct(10) {
            return String::new();
        }
        let ws = self.r.words(IP_WORDS, 1, 3);
        self.r.join(&ws)
    }

    pub(crate) fn device_allow(&mut self) -> String {
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

    pub(crate) fn umask(&mut self) -> String {
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
    pub(crate) fn directive(&mut self, kind: Kind) -> (String, String) {
        let r = self.r.below(105);
        let (k, v): (&str, String) = match r {
            0..=29 => {
                let k = self.r.pick(&BOOL_SETTINGS);
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
    pub(crate) fn hardened(&self) -> Vec<(String, String)> {
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
    pub(crate) fn line(&mut self, k: &str, v: &str) -> String {
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
pub(crate) fn gen_case(r: &mut Rng, idx: usize) -> Case {
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
