//! Access to hardware and device nodes.

use super::{Check, Doc, NA_DEFAULT, Outcome, Spec, Suggestion, SystemdText, Theme};
use crate::advise::Tier;
use crate::model::DevicePolicy;

pub const PRIVATE_DEVICES: Check = Check {
    name: "PrivateDevices=",
    json_field: "PrivateDevices",
    weight: 1000,
    range: 1,
    default_dependencies_only: false,
    assess: |m, _| Outcome::unless(m.private_devices),
    systemd: SystemdText {
        good: "Service has no access to hardware devices",
        bad: "Service potentially has access to hardware devices",
        na: NA_DEFAULT,
    },
    doc: Doc {
        good: "Sees only pseudo devices such as /dev/null and /dev/urandom.",
        bad: "Sees the host's /dev, including disks and other hardware.",
        why: "PrivateDevices=yes gives the service its own minimal /dev holding only pseudo devices (null, \
              zero, full, random, urandom, tty, pts), removes CAP_MKNOD and CAP_SYS_RAWIO from its bounding \
              set and turns on a closed device policy. A compromised service cannot read raw disks, \
              /dev/mem or other hardware, nor create a device node to get around that.",
        fix: Some("PrivateDevices=yes"),
        breaks: "Real devices (disks, GPUs, serial ports, /dev/net/tun) disappear from /dev; opening \
                 them fails with ENOENT. Opening /dev/sda, /dev/ttyUSB0, /dev/dri/* or /dev/fuse \
                 reports 'No such file or directory', and programs that probe hardware report none. \
                 Creating a device node with mknod fails with EPERM.",
        relax: "For a service that needs one device, leave PrivateDevices= off and close the rest with \
                the device policy: DevicePolicy=closed with DeviceAllow=/dev/ttyUSB0 rw lets the kernel \
                open only the pseudo devices and that one.",
        example: "[Service]\nPrivateDevices=yes\n",
    },
    theme: Theme::Devices,
    directive: "PrivateDevices=",
    since: 209,
};

/// `DeviceAllow=` with `DevicePolicy=`: the cgroup device access list.
pub const DEVICE_ALLOW: Check = Check {
    name: "DeviceAllow=",
    json_field: "DeviceAllow",
    weight: 1000,
    range: 10,
    default_dependencies_only: false,
    assess: |m, p| {
        if matches!(m.device_policy, DevicePolicy::Strict | DevicePolicy::Closed) {
            if m.device_allow.is_empty() {
                Outcome::text(0, "Service has a minimal device ACL")
            } else if !p.device_list_in_text {
                Outcome::text(5, "Service has a device ACL with some special devices")
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
        why: "DevicePolicy=closed makes the kernel (through the service's cgroup) refuse to open any \
              device node except the standard pseudo devices and those listed in DeviceAllow=, \
              whatever the file permissions say; strict does not even allow the pseudo devices \
              unless listed. A compromised root service then cannot read disks or reach hardware \
              through nodes it finds or creates. PrivateDevices=yes sets a closed policy for you. \
              Each listed device still counts as some exposure, and ProtectClock=yes adds char-rtc, \
              so a list with no entries at all is rare.",
        fix: Some("DevicePolicy=closed"),
        breaks: "Opening device nodes other than the pseudo devices fails with EPERM. That holds even \
                 for root and even though the node exists: serial ports, GPUs, /dev/net/tun, \
                 /dev/fuse, disks. Programs that probe hardware report it as missing or unusable.",
        relax: "List each device the service needs, with the least access: DeviceAllow=/dev/ttyUSB0 rw, \
                DeviceAllow=/dev/net/tun rw, or a whole class by its name in /proc/devices, such as \
                DeviceAllow=char-ttyUSB rw. The check then shows a partial score instead of a pass, \
                which is the honest result.",
        example: "[Service]\nDevicePolicy=closed\n",
    },
    theme: Theme::Devices,
    directive: "DeviceAllow=",
    since: 205,
};

/// Pass/fail tables for the device checks.
pub(crate) const SPECS: &[Spec] = &[
    Spec {
        field: PRIVATE_DEVICES.json_field,
        pass: &[
            "PrivateDevices=yes",
            "PrivateDevices=true",
            "PrivateDevices=no\nPrivateDevices=yes",
        ],
        fail: &[
            "",
            "PrivateDevices=no",
            "PrivateDevices=yes\nPrivateDevices=no",
        ],
        suggest: &[Suggestion {
            setting: "PrivateDevices",
            value: "yes",
            tier: Tier::Moderate,
            when: |m| !m.private_devices,
            ..Suggestion::NONE
        }],
        ..Spec::NONE
    },
    Spec {
        field: DEVICE_ALLOW.json_field,
        reads: &["DevicePolicy", "DeviceAllow"],
        pass: &[
            "DevicePolicy=closed\nDeviceAllow=/dev/null rw\nDeviceAllow=",
            "DevicePolicy=closed",
            "DevicePolicy=strict",
            "PrivateDevices=yes",
        ],
        fail: &[
            "PrivateDevices=yes\nDeviceAllow=/dev/sda r",
            "PrivateDevices=yes\nProtectClock=yes",
            "",
            "DevicePolicy=auto",
            "DevicePolicy=closed\nDeviceAllow=/dev/null rw",
            "DevicePolicy=closed\nProtectClock=yes",
        ],
        suggest: &[Suggestion {
            setting: "DevicePolicy",
            value: "closed",
            tier: Tier::Strict,
            when: |m| matches!(m.device_policy, DevicePolicy::Auto) && !m.private_devices,
            ..Suggestion::NONE
        }],
        ..Spec::NONE
    },
];
