//! Facts as data: capability, address-family and namespace names, syscall groups, directives.

mod directive_versions;
mod directives;
mod keys;
mod option_since;
mod syscall_groups;
mod syscall_versions;

pub use directive_versions::DIRECTIVE_RELEASES;
pub use directives::DIRECTIVES_252;
pub use keys::*;
pub use option_since::OPTION_SINCE;
pub use syscall_groups::{GROUPS_252, SYSCALL_NAMES};
pub use syscall_versions::*;

/// Capability names by bit number (Linux 6.x; `CAP_LAST_CAP` = 40).
pub static CAPABILITIES: [&str; 41] = [
    "cap_chown",
    "cap_dac_override",
    "cap_dac_read_search",
    "cap_fowner",
    "cap_fsetid",
    "cap_kill",
    "cap_setgid",
    "cap_setuid",
    "cap_setpcap",
    "cap_linux_immutable",
    "cap_net_bind_service",
    "cap_net_broadcast",
    "cap_net_admin",
    "cap_net_raw",
    "cap_ipc_lock",
    "cap_ipc_owner",
    "cap_sys_module",
    "cap_sys_rawio",
    "cap_sys_chroot",
    "cap_sys_ptrace",
    "cap_sys_pacct",
    "cap_sys_admin",
    "cap_sys_boot",
    "cap_sys_nice",
    "cap_sys_resource",
    "cap_sys_time",
    "cap_sys_tty_config",
    "cap_mknod",
    "cap_lease",
    "cap_audit_write",
    "cap_audit_control",
    "cap_setfcap",
    "cap_mac_override",
    "cap_mac_admin",
    "cap_syslog",
    "cap_wake_alarm",
    "cap_block_suspend",
    "cap_audit_read",
    "cap_perfmon",
    "cap_bpf",
    "cap_checkpoint_restore",
];

/// Bit number of a capability name (case-insensitive, with or without `cap_`? no: systemd
/// requires the `cap_` prefix) or a decimal number 0..=63.
pub fn capability_from_name(name: &str) -> Option<u32> {
    if let Some(i) = CAPABILITIES
        .iter()
        .position(|c| c.eq_ignore_ascii_case(name))
    {
        return Some(i as u32);
    }
    // systemd also accepts plain numbers (but not signs or hex).
    if !name.is_empty() && name.len() <= 2 && name.bytes().all(|b| b.is_ascii_digit()) {
        let n: u32 = name.parse().ok()?;
        if n < 64 {
            return Some(n);
        }
    }
    None
}

/// The mask bit of a lowercase capability name, usable in constants.
pub const fn cap_bit(name: &str) -> u64 {
    let mut i = 0;
    while i < CAPABILITIES.len() {
        let c = CAPABILITIES[i].as_bytes();
        let n = name.as_bytes();
        if c.len() == n.len() {
            let mut j = 0;
            while j < c.len() && c[j] == n[j] {
                j += 1;
            }
            if j == c.len() {
                return 1u64 << i;
            }
        }
        i += 1;
    }
    panic!("unknown capability name")
}

/// Address families: `(name, number)`, aliases included, as glibc's `<bits/socket.h>` defines them.
pub static ADDRESS_FAMILIES: &[(&str, u16)] = &[
    ("AF_UNSPEC", 0),
    ("AF_LOCAL", 1),
    ("AF_UNIX", 1),
    ("AF_FILE", 1),
    ("AF_INET", 2),
    ("AF_AX25", 3),
    ("AF_IPX", 4),
    ("AF_APPLETALK", 5),
    ("AF_NETROM", 6),
    ("AF_BRIDGE", 7),
    ("AF_ATMPVC", 8),
    ("AF_X25", 9),
    ("AF_INET6", 10),
    ("AF_ROSE", 11),
    ("AF_DECnet", 12),
    ("AF_NETBEUI", 13),
    ("AF_SECURITY", 14),
    ("AF_KEY", 15),
    ("AF_NETLINK", 16),
    ("AF_ROUTE", 16),
    ("AF_PACKET", 17),
    ("AF_ASH", 18),
    ("AF_ECONET", 19),
    ("AF_ATMSVC", 20),
    ("AF_RDS", 21),
    ("AF_SNA", 22),
    ("AF_IRDA", 23),
    ("AF_PPPOX", 24),
    ("AF_WANPIPE", 25),
    ("AF_LLC", 26),
    ("AF_IB", 27),
    ("AF_MPLS", 28),
    ("AF_CAN", 29),
    ("AF_TIPC", 30),
    ("AF_BLUETOOTH", 31),
    ("AF_IUCV", 32),
    ("AF_RXRPC", 33),
    ("AF_ISDN", 34),
    ("AF_PHONET", 35),
    ("AF_IEEE802154", 36),
    ("AF_CAIF", 37),
    ("AF_ALG", 38),
    ("AF_NFC", 39),
    ("AF_VSOCK", 40),
    ("AF_KCM", 41),
    ("AF_QIPCRTR", 42),
    ("AF_SMC", 43),
    ("AF_XDP", 44),
    ("AF_MCTP", 45),
];

pub const AF_UNIX: u16 = 1;
pub const AF_INET: u16 = 2;
pub const AF_INET6: u16 = 10;
pub const AF_NETLINK: u16 = 16;
pub const AF_PACKET: u16 = 17;

/// Family number of a name, as systemd's `af_from_name()` (case-insensitive).
pub fn address_family(name: &str) -> Option<u16> {
    ADDRESS_FAMILIES
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(name))
        .map(|&(_, v)| v)
}

/// Canonical name of a family number (the first name listed for it, as `systemctl show`
/// prints: `AF_UNIX`, never `AF_LOCAL`).
pub fn address_family_name(af: u16) -> Option<&'static str> {
    match af {
        1 => Some("AF_UNIX"),
        16 => Some("AF_NETLINK"),
        _ => ADDRESS_FAMILIES
            .iter()
            .find(|&&(_, v)| v == af)
            .map(|&(n, _)| n),
    }
}

/// Namespace types in the order `systemctl show` prints them, with their clone flags.
pub static NAMESPACES: [(&str, u64); 8] = [
    ("cgroup", 0x0200_0000),
    ("ipc", 0x0800_0000),
    ("net", 0x4000_0000),
    ("mnt", 0x0002_0000),
    ("pid", 0x2000_0000),
    ("user", 0x1000_0000),
    ("uts", 0x0400_0000),
    ("time", 0x0000_0080),
];

/// The seven namespace flags that `RestrictNamespaces=no` and `~list` are computed against
/// (252 leaves `time` out).
pub const NAMESPACES_ALL7: u64 =
    0x0200_0000 | 0x0800_0000 | 0x4000_0000 | 0x0002_0000 | 0x2000_0000 | 0x1000_0000 | 0x0400_0000;

pub fn namespace_flag(name: &str) -> Option<u64> {
    NAMESPACES.iter().find(|(n, _)| *n == name).map(|&(_, f)| f)
}

/// Group members that libseccomp 2.5.4 does not resolve to a real syscall on x86-64; the
/// analyzer skips them when it looks for an offending syscall.
pub static NOT_ON_X86_64: &[&str] = &[
    "chown32",
    "clock_adjtime64",
    "clock_settime64",
    "fchown32",
    "lchown32",
    "nice",
    "pciconfig_iobase",
    "pciconfig_read",
    "pciconfig_write",
    "rtas",
    "s390_pci_mmio_read",
    "s390_pci_mmio_write",
    "s390_runtime_instr",
    "setfsuid32",
    "setgroups32",
    "setresuid32",
    "setreuid32",
    "setuid32",
    "subpage_prot",
    "switch_endian",
    "sys_debug_setcontext",
    "umount",
    "vm86",
    "vm86old",
    // @obsolete members that x86-64 lacks
    "bdflush",
    "break",
    "ftime",
    "gtty",
    "idle",
    "lock",
    "mpx",
    "prof",
    "profil",
    "sgetmask",
    "ssetmask",
    "stime",
    "stty",
    "ulimit",
];

/// Index of a syscall name in [`ALL_SYSCALL_NAMES`] (the names of every version).
pub fn syscall_index(name: &str) -> Option<usize> {
    ALL_SYSCALL_NAMES.binary_search(&name).ok()
}

/// Members of a syscall group (`@name`) in definition order, for systemd 252.
pub fn syscall_group(name: &str) -> Option<&'static [&'static str]> {
    GROUPS_252.iter().find(|(g, _)| *g == name).map(|&(_, m)| m)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_sorted_for_binary_search() {
        assert!(SYSCALL_NAMES.windows(2).all(|w| w[0] < w[1]));
        assert!(syscall_index("chown").is_some());
        assert!(syscall_index("no_such_call").is_none());
    }

    #[test]
    fn group_members_are_known_names_or_groups() {
        for (g, members) in GROUPS_252 {
            for m in *members {
                if let Some(sub) = m.strip_prefix('@') {
                    assert!(
                        syscall_group(&format!("@{sub}")).is_some(),
                        "{g} nests unknown {m}"
                    );
                } else {
                    assert!(syscall_index(m).is_some(), "{g}: {m}");
                }
            }
        }
        for m in NOT_ON_X86_64 {
            assert!(syscall_index(m).is_some(), "{m}");
        }
    }

    #[test]
    fn capability_names_and_numbers() {
        assert_eq!(capability_from_name("CAP_SYS_ADMIN"), Some(21));
        assert_eq!(capability_from_name("cap_bpf"), Some(39));
        assert_eq!(capability_from_name("63"), Some(63));
        assert_eq!(capability_from_name("64"), None);
        assert_eq!(capability_from_name("SYS_ADMIN"), None);
    }

    #[test]
    fn families_and_namespaces() {
        assert_eq!(address_family("af_local"), Some(1));
        assert_eq!(address_family_name(1), Some("AF_UNIX"));
        assert_eq!(address_family("AF_ROUTE"), Some(AF_NETLINK));
        assert_eq!(namespace_flag("user"), Some(0x1000_0000));
        assert_eq!(NAMESPACES_ALL7.count_ones(), 7);
    }
}
