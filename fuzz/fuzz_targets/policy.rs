//! Arbitrary bytes as a `--security-policy` JSON file, then used to assess fixed units.
#![no_main]

use exposure_core::{InputKind, Options, Policy, analyze};
use exposure_conformance::invariants::check_analysis_json;
use libfuzzer_sys::fuzz_target;

/// A unit that reaches most checks with partial badness (lists, masks, enums).
const UNIT: &str = "\
[Unit]
Description=fuzzed policy target
[Service]
ExecStart=/usr/bin/daemon
User=daemon
ProtectSystem=full
ProtectHome=read-only
PrivateTmp=yes
CapabilityBoundingSet=CAP_NET_BIND_SERVICE CAP_SYS_ADMIN
RestrictAddressFamilies=AF_INET AF_UNIX AF_NETLINK
RestrictNamespaces=~user mnt
SystemCallFilter=@system-service
SystemCallArchitectures=native
IPAddressDeny=any
IPAddressAllow=localhost
DeviceAllow=/dev/null rw
UMask=0022
";

/// The same kind of unit as `systemctl show` prints it.
const SHOW: &str = "\
Id=daemon.service
Type=simple
User=daemon
ProtectSystem=full
PrivateTmp=yes
CapabilityBoundingSet=cap_net_bind_service cap_sys_admin
RestrictNamespaces=cgroup ipc net uts
UMask=0022
LoadState=loaded
";

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let Ok((policy, _diagnostics)) = Policy::parse(&text) else {
        return;
    };
    for (input, kind) in [
        (UNIT, InputKind::UnitFile),
        (SHOW, InputKind::SystemctlShow),
    ] {
        let opts = Options {
            kind: Some(kind),
            policy: Some(policy.clone()),
            ..Options::default()
        };
        check_analysis_json(&analyze(input, &opts), input);
    }
});
