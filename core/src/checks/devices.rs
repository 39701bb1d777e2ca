//! Access to hardware and device nodes.

use super::{Check, Doc, NA_DEFAULT, Outcome, SystemdText, Theme, boolean_check};
use crate::model::DevicePolicy;

pub const PRIVATE_DEVICES: Check = boolean_check!(
    "PrivateDevices",
    private_devices,
    weight = 1000,
    Theme::Devices,
    since = 209,
    default_deps_only = false,
    systemd = (
        "Service has no access to hardware devices",
        "Service potentially has access to hardware devices"
    ),
    doc = (
        "Sees only pseudo devices such as /dev/null and /dev/urandom.",
        "Sees the host's /dev, including disks and other hardware.",
        "PrivateDevices=yes gives the service a minimal /dev (null, zero, full, random, urandom, tty, \
         pts) and takes away CAP_MKNOD and CAP_SYS_RAWIO. It also turns on a closed device policy. A \
         compromised service cannot read raw disks or talk to hardware. Services that use real devices \
         (GPUs, serial ports, disks, /dev/net/tun) break with 'No such file or directory'."
    )
);

/// `DeviceAllow=` with `DevicePolicy=`: the cgroup device access list.
pub const DEVICE_ALLOW: Check = Check {
    name: "DeviceAllow=",
    json_field: "DeviceAllow",
    weight: 1000,
    range: 10,
    default_dependencies_only: false,
    assess: |m| {
        if matches!(m.device_policy, DevicePolicy::Strict | DevicePolicy::Closed) {
            if m.device_allow.is_empty() {
                Outcome::text(0, "Service has a minimal device ACL")
            } else {
                let list: Vec<String> = m
                    .device_allow
                    .iter()
                    .map(|(p, a)| format!("{p}:{a}"))
                    .collect();
                Outcome::text(
                    5,
                    format!(
                        "Service has a device ACL with some special devices: {}",
                        list.join(" ")
                    ),
                )
            }
        } else {
            Outcome::text(10, "Service has no device ACL")
        }
    },
    systemd: SystemdText {
        good: "",
        bad: "",
        na: NA_DEFAULT,
    },
    doc: Doc {
        good: "Device access is limited by a closed or strict device policy.",
        bad: "No device access list: the service may open any device node it can see.",
        why: "DevicePolicy=closed (or strict) with DeviceAllow= entries makes the kernel refuse every \
              device except the listed ones, whatever the file permissions say. PrivateDevices=yes sets \
              a closed policy for you. Listed devices still count as some exposure: ProtectClock=yes \
              adds char-rtc, so a fully closed list is rare.",
        fix: Some("DevicePolicy=closed"),
    },
    theme: Theme::Devices,
    directive: "DeviceAllow=",
    since: 208,
};
