//! Network access: the network namespace, socket families and IP address lists.

use super::{Check, Doc, NA_DEFAULT, Outcome, SystemdText, Theme, boolean_check};
use crate::model::{IpPrefix, Mode, Model};
use crate::tables;

pub const PRIVATE_NETWORK: Check = boolean_check!(
    "PrivateNetwork",
    private_network,
    weight = 2500,
    Theme::Network,
    since = 33,
    default_deps_only = false,
    systemd = (
        "Service has no access to the host's network",
        "Service has access to the host's network"
    ),
    doc = (
        "Has only a private loopback interface.",
        "Can reach every network the host can reach.",
        "PrivateNetwork=yes runs the service in a new network namespace with only its own loopback \
         device: no route to the outside and no access to the host's interfaces or abstract sockets. \
         It is the single most valuable setting for services that never talk to the network (batch \
         jobs, local workers). Anything that listens on or connects to the network breaks, including \
         DNS lookups."
    )
);

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

macro_rules! af_check {
    ($name:literal, $field:literal, $w:literal, $bucket:expr, $good:literal, $bad:literal, $dgood:literal, $dbad:literal, $why:literal) => {
        Check {
            name: $name,
            json_field: $field,
            weight: $w,
            range: 1,
            default_dependencies_only: false,
            assess: |m| af_badness(m, $bucket),
            systemd: SystemdText {
                good: $good,
                bad: $bad,
                na: NA_DEFAULT,
            },
            doc: Doc {
                good: $dgood,
                bad: $dbad,
                why: $why,
                fix: None,
            },
            theme: Theme::Network,
            directive: "RestrictAddressFamilies=",
            since: 211,
        }
    };
}

pub const AF_INET_INET6: Check = af_check!(
    "RestrictAddressFamilies=~AF_(INET|INET6)",
    "RestrictAddressFamilies_AF_INET_INET6",
    1500,
    Bucket::Inet,
    "Service cannot allocate Internet sockets",
    "Service may allocate Internet sockets",
    "Cannot open IPv4/IPv6 sockets.",
    "May open IPv4 and IPv6 sockets.",
    "RestrictAddressFamilies= limits which socket families the service may create. A service that \
     never talks TCP/IP should not be able to: leave AF_INET and AF_INET6 out of the allow list. \
     Network servers and anything that resolves host names need them."
);

pub const AF_UNIX: Check = af_check!(
    "RestrictAddressFamilies=~AF_UNIX",
    "RestrictAddressFamilies_AF_UNIX",
    25,
    Bucket::Unix,
    "Service cannot allocate local sockets",
    "Service may allocate local sockets",
    "Cannot open UNIX domain sockets.",
    "May open UNIX domain sockets.",
    "Local sockets reach other services on the same machine (D-Bus, the journal, databases). Most \
     services need AF_UNIX, if only to log; it carries little weight in the score."
);

pub const AF_NETLINK: Check = af_check!(
    "RestrictAddressFamilies=~AF_NETLINK",
    "RestrictAddressFamilies_AF_NETLINK",
    200,
    Bucket::Netlink,
    "Service cannot allocate netlink sockets",
    "Service may allocate netlink sockets",
    "Cannot open netlink sockets.",
    "May open netlink sockets to talk to kernel subsystems.",
    "Netlink sockets are how programs query and configure the kernel's networking, audit and device \
     events. Only network managers, udev-like tools and some monitoring agents need AF_NETLINK."
);

pub const AF_PACKET: Check = af_check!(
    "RestrictAddressFamilies=~AF_PACKET",
    "RestrictAddressFamilies_AF_PACKET",
    1000,
    Bucket::Packet,
    "Service cannot allocate packet sockets",
    "Service may allocate packet sockets",
    "Cannot open raw packet sockets.",
    "May open packet sockets, which see and forge raw link-layer traffic.",
    "AF_PACKET sockets capture and inject raw frames: sniffing and spoofing. Only DHCP clients and \
     servers, packet capture tools and similar need them."
);

pub const AF_OTHER: Check = af_check!(
    "RestrictAddressFamilies=~…",
    "RestrictAddressFamilies_OTHER",
    1250,
    Bucket::Other,
    "Service cannot allocate exotic sockets",
    "Service may allocate exotic sockets",
    "Cannot open exotic socket families.",
    "May open rarely used socket families (Bluetooth, CAN, AF_ALG, …), historically rich in kernel bugs.",
    "Dozens of socket families exist and most services need none of them beyond INET, INET6 and UNIX. \
     The rare ones are a common source of kernel vulnerabilities. An allow list such as \
     RestrictAddressFamilies=AF_UNIX AF_INET AF_INET6 closes all of them at once."
);

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
    assess: |m| {
        if !m.ip_ingress_filter_path.is_empty() || !m.ip_egress_filter_path.is_empty() {
            return Outcome::text(
                0,
                "Service defines custom ingress/egress IP filters with BPF programs",
            );
        }
        let deny_all = m.ip_address_deny.iter().any(|p| !p.v6 && p.prefix_len == 0)
            && m.ip_address_deny.iter().any(|p| p.v6 && p.prefix_len == 0);
        if !deny_all {
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
              by the kernel on its sockets: packets to or from other addresses are dropped. A service \
              that only talks to localhost or one subnet should say so. Traffic to addresses left out \
              fails silently (timeouts, or EPERM on send).",
        fix: Some("IPAddressDeny=any"),
    },
    theme: Theme::Network,
    directive: "IPAddressDeny=",
    since: 235,
};
