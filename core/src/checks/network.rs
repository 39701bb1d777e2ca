//! Network access: the network namespace, socket families and IP address lists.

use super::{Check, Doc, NA_DEFAULT, Outcome, Spec, SystemdText, Theme};
use crate::model::{IpPrefix, Mode, Model};
use crate::tables;

pub const PRIVATE_NETWORK: Check = Check {
    name: "PrivateNetwork=",
    json_field: "PrivateNetwork",
    weight: 2500,
    range: 1,
    default_dependencies_only: false,
    assess: |m, _| Outcome::unless(m.private_network),
    systemd: SystemdText {
        good: "Service has no access to the host's network",
        bad: "Service has access to the host's network",
        na: NA_DEFAULT,
    },
    doc: Doc {
        good: "Has only a private loopback interface.",
        bad: "Can reach every network the host can reach.",
        why: "PrivateNetwork=yes runs the service in a new network namespace with only its own loopback \
              device: no route to the outside, no access to the host's interfaces, and no access to \
              abstract UNIX sockets bound on the host. A compromised service can neither reach other \
              machines nor be reached, which ends data theft over the network and lateral movement. It \
              carries the highest weight of all checks.",
        fix: Some("PrivateNetwork=yes"),
        breaks: "Every connection to the outside fails with ENETUNREACH ('Network is unreachable'), DNS \
                 lookups fail, and ports the service listens on can only be reached from inside its \
                 namespace. Host services listening on 127.0.0.1 are out of reach too, since the \
                 service has a loopback of its own.",
        relax: "For a server, keep it on and let a .socket unit listen: sockets opened by systemd in the \
                host's namespace and passed to the service still work. For a client that needs a few \
                hosts, turn it off and use IPAddressDeny=any with IPAddressAllow= for those hosts. \
                Units that must talk over one private loopback can share a namespace with \
                JoinsNamespaceOf=.",
        example: "[Service]\nPrivateNetwork=yes\n",
    },
    theme: Theme::Network,
    directive: "PrivateNetwork=",
    since: 33,
};

/// The five buckets the `RestrictAddressFamilies=` checks look at.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Bucket {
    Inet,
    Unix,
    Netlink,
    Packet,
    Other,
}

fn bucket_of(af: u16) -> Bucket {
    match af {
        tables::AF_INET | tables::AF_INET6 => Bucket::Inet,
        tables::AF_UNIX => Bucket::Unix,
        tables::AF_NETLINK => Bucket::Netlink,
        tables::AF_PACKET => Bucket::Packet,
        _ => Bucket::Other,
    }
}

/// 0 when the bucket is restricted: every bucket starts as "restricted if allow-list", and any
/// listed family flips its bucket.
fn af_badness(m: &Model, b: Bucket) -> Outcome {
    let f = &m.restrict_address_families;
    let mut restricted = f.allow_list;
    if f.families.iter().any(|&af| bucket_of(af) == b) {
        restricted = !f.allow_list;
    }
    Outcome::of(u32::from(!restricted))
}

/// The example shared by the checks an allow list of the three common families passes.
const AF_COMMON_EXAMPLE: &str = "[Service]\nRestrictAddressFamilies=AF_UNIX AF_INET AF_INET6\n";

pub const AF_INET_INET6: Check = Check {
    name: "RestrictAddressFamilies=~AF_(INET|INET6)",
    json_field: "RestrictAddressFamilies_AF_INET_INET6",
    weight: 1500,
    range: 1,
    default_dependencies_only: false,
    assess: |m, _| af_badness(m, Bucket::Inet),
    systemd: SystemdText {
        good: "Service cannot allocate Internet sockets",
        bad: "Service may allocate Internet sockets",
        na: NA_DEFAULT,
    },
    doc: Doc {
        good: "Cannot open IPv4/IPv6 sockets.",
        bad: "May open IPv4 and IPv6 sockets.",
        why: "RestrictAddressFamilies= limits which socket families the service may create. A service that \
              never talks TCP/IP should not be able to: with AF_INET and AF_INET6 left out of the allow list, \
              a compromised service cannot send data away or open a remote shell.",
        fix: None,
        breaks: "Creating an IPv4 or IPv6 socket fails with EAFNOSUPPORT ('Address family not supported by \
                 protocol'): connecting, listening and DNS lookups that go to a name server directly all \
                 fail.",
        relax: "A server can keep INET out of the list if a .socket unit opens its listening sockets: the \
                restriction applies to creating sockets, not to using the ones systemd passes in. \
                Otherwise list just the families it uses: RestrictAddressFamilies=AF_UNIX AF_INET \
                AF_INET6, and limit the peers with IPAddressDeny=any and IPAddressAllow=.",
        example: "[Service]\nRestrictAddressFamilies=AF_UNIX\n",
    },
    theme: Theme::Network,
    directive: "RestrictAddressFamilies=",
    since: 211,
};

pub const AF_UNIX: Check = Check {
    name: "RestrictAddressFamilies=~AF_UNIX",
    json_field: "RestrictAddressFamilies_AF_UNIX",
    weight: 25,
    range: 1,
    default_dependencies_only: false,
    assess: |m, _| af_badness(m, Bucket::Unix),
    systemd: SystemdText {
        good: "Service cannot allocate local sockets",
        bad: "Service may allocate local sockets",
        na: NA_DEFAULT,
    },
    doc: Doc {
        good: "Cannot open UNIX domain sockets.",
        bad: "May open UNIX domain sockets.",
        why: "Local sockets reach other services on the same machine: D-Bus, the journal, databases, the \
              Docker socket. Each is a way to ask a more privileged process for something. Most services \
              need AF_UNIX, and it carries little weight in the score.",
        fix: None,
        breaks: "Creating a UNIX socket fails with EAFNOSUPPORT: syslog() and sd_journal_print() messages \
                 are lost, D-Bus calls fail, and user or group lookups through nscd or systemd-userdb \
                 fail. Output written to stdout and stderr still reaches the journal, because systemd \
                 passes that socket in.",
        relax: "Keep AF_UNIX unless the service truly talks to nothing local: its weight is 25 of 56460. \
                Limit whom it can reach instead, with file permissions on the sockets or \
                InaccessiblePaths= for ones it must not use, such as /run/docker.sock.",
        example: "[Service]\nRestrictAddressFamilies=AF_INET AF_INET6\n",
    },
    theme: Theme::Network,
    directive: "RestrictAddressFamilies=",
    since: 211,
};

pub const AF_NETLINK: Check = Check {
    name: "RestrictAddressFamilies=~AF_NETLINK",
    json_field: "RestrictAddressFamilies_AF_NETLINK",
    weight: 200,
    range: 1,
    default_dependencies_only: false,
    assess: |m, _| af_badness(m, Bucket::Netlink),
    systemd: SystemdText {
        good: "Service cannot allocate netlink sockets",
        bad: "Service may allocate netlink sockets",
        na: NA_DEFAULT,
    },
    doc: Doc {
        good: "Cannot open netlink sockets.",
        bad: "May open netlink sockets to talk to kernel subsystems.",
        why: "Netlink sockets are how programs query and configure the kernel's networking, firewall, audit \
              and device events. They reach a lot of kernel code; only network managers, udev-like tools and \
              some monitoring agents need them.",
        fix: None,
        breaks: "Creating a netlink socket fails with EAFNOSUPPORT: ip and ss fail, getifaddrs() cannot \
                 list interfaces (so does anything that binds to 'all interfaces' by enumerating them), \
                 and udev device monitors and audit clients fail.",
        relax: "Add just this family to the allow list: RestrictAddressFamilies=AF_UNIX AF_INET AF_INET6 \
                AF_NETLINK. The netlink protocols it can use are then still limited by its \
                capabilities (no CAP_NET_ADMIN, no network changes).",
        example: AF_COMMON_EXAMPLE,
    },
    theme: Theme::Network,
    directive: "RestrictAddressFamilies=",
    since: 211,
};

pub const AF_PACKET: Check = Check {
    name: "RestrictAddressFamilies=~AF_PACKET",
    json_field: "RestrictAddressFamilies_AF_PACKET",
    weight: 1000,
    range: 1,
    default_dependencies_only: false,
    assess: |m, _| af_badness(m, Bucket::Packet),
    systemd: SystemdText {
        good: "Service cannot allocate packet sockets",
        bad: "Service may allocate packet sockets",
        na: NA_DEFAULT,
    },
    doc: Doc {
        good: "Cannot open raw packet sockets.",
        bad: "May open packet sockets, which see and forge raw link-layer traffic.",
        why: "AF_PACKET sockets capture and inject raw link-layer frames: sniffing other machines' traffic \
              and spoofing addresses. Only DHCP clients and servers, packet capture tools and similar \
              need them.",
        fix: None,
        breaks: "Creating a packet socket fails with EAFNOSUPPORT: DHCP clients and servers, tcpdump, arping \
                 and LLDP agents fail.",
        relax: "Add AF_PACKET to the allow list only in the unit that needs it, and keep CAP_NET_RAW out of \
                every other unit, since opening a packet socket needs it too.",
        example: AF_COMMON_EXAMPLE,
    },
    theme: Theme::Network,
    directive: "RestrictAddressFamilies=",
    since: 211,
};

pub const AF_OTHER: Check = Check {
    name: "RestrictAddressFamilies=~…",
    json_field: "RestrictAddressFamilies_OTHER",
    weight: 1250,
    range: 1,
    default_dependencies_only: false,
    assess: |m, _| af_badness(m, Bucket::Other),
    systemd: SystemdText {
        good: "Service cannot allocate exotic sockets",
        bad: "Service may allocate exotic sockets",
        na: NA_DEFAULT,
    },
    doc: Doc {
        good: "Cannot open exotic socket families.",
        bad: "May open rarely used socket families (Bluetooth, CAN, AF_ALG, …), historically rich in kernel bugs.",
        why: "Dozens of socket families exist (Bluetooth, CAN, AF_ALG, AF_VSOCK, X.25, …) and most services \
              need none of them beyond UNIX, INET and INET6. The rarely used ones get little testing and \
              have repeatedly been the entry point of kernel exploits, often by loading a forgotten \
              protocol module on first use. An allow list closes all of them at once.",
        fix: None,
        breaks: "Creating a socket of any family not listed fails with EAFNOSUPPORT: Bluetooth daemons, CAN \
                 bus tools, VM guest agents over AF_VSOCK, and programs that use the kernel's crypto API \
                 through AF_ALG.",
        relax: "Add only the family the service needs to the allow list: RestrictAddressFamilies=AF_UNIX \
                AF_INET AF_INET6 AF_VSOCK for a guest agent. The check then fails, but every other exotic \
                family stays closed.",
        example: AF_COMMON_EXAMPLE,
    },
    theme: Theme::Network,
    directive: "RestrictAddressFamilies=",
    since: 211,
};

/// Whether an allow-list entry counts as localhost. Offline, any 127.x.x.x or ::1 address does;
/// online, the analyzer only tests /8 IPv4 and /128 IPv6 entries.
fn is_localhost(p: &IpPrefix, mode: Mode) -> bool {
    let loopback = if p.v6 {
        p.addr[..15].iter().all(|&b| b == 0) && p.addr[15] == 1
    } else {
        p.addr[0] == 127
    };
    match mode {
        Mode::Offline => loopback,
        Mode::Online => loopback && p.prefix_len == if p.v6 { 128 } else { 8 },
    }
}

/// `IPAddressDeny=` with `IPAddressAllow=` and the BPF filter paths.
pub const IP_ADDRESS_DENY: Check = Check {
    name: "IPAddressDeny=",
    json_field: "IPAddressDeny",
    weight: 1000,
    range: 10,
    default_dependencies_only: false,
    assess: |m, _| {
        if !m.ip_ingress_filter_path.is_empty() || !m.ip_egress_filter_path.is_empty() {
            return Outcome::text(
                0,
                "Service defines custom ingress/egress IP filters with BPF programs",
            );
        }
        if !m.denies_all_ip() {
            return Outcome::text(10, "Service does not define an IP address allow list");
        }
        if m.ip_address_allow.iter().any(|p| !is_localhost(p, m.mode)) {
            Outcome::text(
                5,
                "Service defines IP address allow list with non-localhost entries",
            )
        } else if m.ip_address_allow.iter().any(|p| is_localhost(p, m.mode)) {
            Outcome::text(
                2,
                "Service defines IP address allow list with only localhost entries",
            )
        } else {
            Outcome::text(0, "Service blocks all IP address ranges")
        }
    },
    systemd: SystemdText {
        good: "",
        bad: "",
        na: NA_DEFAULT,
    },
    doc: Doc {
        good: "All IP traffic is blocked except an explicit allow list.",
        bad: "No IP address firewall for the service.",
        why: "IPAddressDeny=any with IPAddressAllow= entries gives the service its own firewall, enforced \
              by a BPF program on its cgroup: packets to or from addresses not allowed are dropped. A \
              compromised service cannot send data anywhere else or scan the local network, and a \
              service that only talks to localhost or one subnet says so in its unit.",
        fix: Some("IPAddressDeny=any"),
        breaks: "Sending to an address not allowed fails with EPERM ('Operation not permitted'), and \
                 packets from such addresses are dropped, so clients and outgoing connections time out. \
                 DNS fails unless the name server's address is allowed.",
        relax: "Allow exactly the peers it needs: IPAddressAllow=localhost, IPAddressAllow=10.0.0.0/8, or \
                the keywords link-local and multicast. The check scores an allow list with only \
                localhost better than one with other networks.",
        example: "[Service]\nIPAddressDeny=any\n",
    },
    theme: Theme::Network,
    directive: "IPAddressDeny=",
    since: 235,
};

/// Pass/fail tables for the network checks. An address family bucket counts as restricted when
/// an allow list leaves it out or a deny list names any family of it.
pub(crate) const SPECS: &[Spec] = &[
    Spec {
        field: PRIVATE_NETWORK.json_field,
        pass: &[
            "PrivateNetwork=yes",
            "PrivateNetwork=true",
            "PrivateNetwork=no\nPrivateNetwork=yes",
        ],
        fail: &[
            "NetworkNamespacePath=/run/netns/x",
            "",
            "PrivateNetwork=no",
            "PrivateNetwork=yes\nPrivateNetwork=no",
        ],
        ..Spec::NONE
    },
    Spec {
        field: AF_INET_INET6.json_field,
        reads: &["RestrictAddressFamilies"],
        pass: &[
            "RestrictAddressFamilies=AF_UNIX",
            "RestrictAddressFamilies=~AF_INET",
            "RestrictAddressFamilies=~AF_INET6",
            "RestrictAddressFamilies=none",
        ],
        fail: &[
            "RestrictAddressFamilies=AF_UNIX\nRestrictAddressFamilies=",
            "RestrictAddressFamilies=AF_UNIX\nRestrictAddressFamilies=AF_INET6",
            "",
            "RestrictAddressFamilies=AF_INET",
            "RestrictAddressFamilies=AF_UNIX AF_INET",
            "RestrictAddressFamilies=~AF_UNIX",
        ],
        ..Spec::NONE
    },
    Spec {
        field: AF_UNIX.json_field,
        reads: &["RestrictAddressFamilies"],
        pass: &[
            "RestrictAddressFamilies=AF_INET\nRestrictAddressFamilies=AF_INET6",
            "RestrictAddressFamilies=AF_INET",
            "RestrictAddressFamilies=~AF_UNIX",
            "RestrictAddressFamilies=none",
        ],
        fail: &[
            "",
            "RestrictAddressFamilies=AF_UNIX",
            "RestrictAddressFamilies=AF_INET AF_UNIX",
            "RestrictAddressFamilies=~AF_INET",
        ],
        ..Spec::NONE
    },
    Spec {
        field: AF_NETLINK.json_field,
        reads: &["RestrictAddressFamilies"],
        pass: &[
            "RestrictAddressFamilies=AF_UNIX",
            "RestrictAddressFamilies=~AF_NETLINK",
            "RestrictAddressFamilies=none",
        ],
        fail: &[
            "",
            "RestrictAddressFamilies=AF_NETLINK",
            "RestrictAddressFamilies=AF_UNIX AF_NETLINK",
            "RestrictAddressFamilies=~AF_UNIX",
        ],
        ..Spec::NONE
    },
    Spec {
        field: AF_PACKET.json_field,
        reads: &["RestrictAddressFamilies"],
        pass: &[
            "RestrictAddressFamilies=AF_UNIX",
            "RestrictAddressFamilies=~AF_PACKET",
            "RestrictAddressFamilies=none",
        ],
        fail: &[
            "",
            "RestrictAddressFamilies=AF_PACKET",
            "RestrictAddressFamilies=AF_UNIX AF_PACKET",
            "RestrictAddressFamilies=~AF_UNIX",
        ],
        ..Spec::NONE
    },
    Spec {
        field: AF_OTHER.json_field,
        reads: &["RestrictAddressFamilies"],
        pass: &[
            "RestrictAddressFamilies=AF_UNIX",
            "RestrictAddressFamilies=~AF_BLUETOOTH",
            "RestrictAddressFamilies=none",
        ],
        fail: &[
            "",
            "RestrictAddressFamilies=AF_BLUETOOTH",
            "RestrictAddressFamilies=AF_UNIX AF_BLUETOOTH",
            "RestrictAddressFamilies=~AF_UNIX",
        ],
        ..Spec::NONE
    },
    Spec {
        field: IP_ADDRESS_DENY.json_field,
        reads: &[
            "IPAddressDeny",
            "IPAddressAllow",
            "IPIngressFilterPath",
            "IPEgressFilterPath",
        ],
        pass: &[
            "IPEgressFilterPath=/sys/fs/bpf/filter",
            "IPAddressDeny=any\nIPAddressAllow=10.0.0.0/8\nIPAddressAllow=",
            "IPAddressDeny=any",
            "IPAddressDeny=0.0.0.0/0 ::/0",
            "IPIngressFilterPath=/sys/fs/bpf/filter",
        ],
        fail: &[
            "IPAddressDeny=any\nIPAddressDeny=",
            "IPAddressDeny=any\nIPAddressAllow=127.0.0.0/8 ::1/128",
            "IPAddressDeny=0.0.0.0/0",
            "",
            "IPAddressDeny=10.0.0.0/8",
            "IPAddressDeny=any\nIPAddressAllow=localhost",
            "IPAddressDeny=any\nIPAddressAllow=10.0.0.0/8",
        ],
        ..Spec::NONE
    },
];
