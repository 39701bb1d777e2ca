//! Pathological inputs stay linear: every case runs at two sizes, ten times apart, with the
//! throughput in MiB/s, so a superlinear cost shows as a throughput that falls with the size.
//! Also a single 5 MiB line (systemd stops reading the file at a line of 1 MiB or more) and
//! the refusal of an input over `MAX_INPUT_BYTES`.
//!
//! Run: `cargo bench -p exposure-core --bench limits` (a few minutes; one case:
//! `cargo bench -p exposure-core --bench limits -- 'continuation'`).

#![cfg_attr(target_arch = "wasm32", allow(dead_code, unused_imports))]

use std::fmt::Write as _;
#[cfg(not(target_arch = "wasm32"))]
use std::time::Duration;

#[cfg(not(target_arch = "wasm32"))]
use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use exposure_core::{InputKind, MAX_INPUT_BYTES, Options, analyze};

const MIB: usize = 1 << 20;
const HEAD: &str = "[Unit]\nDescription=limits\n\n[Service]\nExecStart=/usr/bin/daemon\n";

/// A hardened daemon, written for this benchmark (about 1 KiB).
const UNIT: &str = "\
[Unit]
Description=Example queue worker
After=network-online.target
Wants=network-online.target

[Service]
Type=notify
User=worker
ExecStart=/usr/bin/worker --queue default
Restart=on-failure
StateDirectory=worker
CapabilityBoundingSet=CAP_NET_BIND_SERVICE
NoNewPrivileges=yes
PrivateTmp=yes
PrivateDevices=yes
ProtectSystem=strict
ProtectHome=yes
ProtectKernelTunables=yes
ProtectKernelModules=yes
ProtectControlGroups=yes
RestrictAddressFamilies=AF_UNIX AF_INET AF_INET6
RestrictNamespaces=yes
LockPersonality=yes
SystemCallArchitectures=native
SystemCallFilter=@system-service
SystemCallFilter=~@privileged @resources
IPAddressDeny=any
IPAddressAllow=localhost 10.0.0.0/8
DeviceAllow=/dev/null rw
UMask=0027

[Install]
WantedBy=multi-user.target
";

/// One unit of `systemctl show` output, as far as the checks read it.
const SHOW_UNIT: &str = "\
Type=simple
User=worker
DynamicUser=no
PrivateTmp=yes
PrivateDevices=no
PrivateNetwork=no
PrivateUsers=no
ProtectSystem=full
ProtectHome=read-only
ProtectKernelTunables=yes
ProtectKernelModules=no
ProtectControlGroups=no
NoNewPrivileges=yes
CapabilityBoundingSet=cap_chown cap_net_bind_service cap_sys_admin
AmbientCapabilities=
RestrictNamespaces=cgroup ipc net uts
RestrictAddressFamilies=AF_UNIX AF_INET
SystemCallArchitectures=native
SystemCallFilter=~@mount
UMask=0022
DevicePolicy=auto
LoadState=loaded
ActiveState=active
";

/// The pathological inputs: (name, size parameter, text, kind).
fn cases(scale: usize) -> Vec<(&'static str, String, Option<InputKind>)> {
    let n = 10_000 * scale;
    let mut v = Vec::new();

    // n continuation lines joined into one value.
    let mut t = format!("{HEAD}Environment=A=b \\\n");
    for _ in 0..n {
        t.push_str("x \\\n");
    }
    t.push_str("y\n");
    v.push(("continuation lines", t, None));

    // One long line, up to just under 1 MiB (systemd stops reading a file at a longer one,
    // benchmarked apart): a list of system calls, and a key that long.
    let line = if scale == 1 { MIB / 10 } else { MIB - 1 };
    let words = "read write ~open @io-event ";
    let value = words.repeat((line - "SystemCallFilter=".len()) / words.len());
    let t = format!("{HEAD}SystemCallFilter={value}\n");
    v.push(("one long value line", t, None));
    let t = format!("{HEAD}{}=x\n", "K".repeat(line - 2));
    v.push(("one long key line", t, None));

    // One key repeated n times (each line overrides the one before).
    v.push((
        "key repeated",
        format!("{HEAD}{}", "PrivateTmp=yes\n".repeat(n)),
        None,
    ));
    // An unknown key repeated n times (each gets a did-you-mean hint).
    v.push((
        "unknown key repeated",
        format!("{HEAD}{}", "PrivateTnp=yes\n".repeat(n)),
        None,
    ));

    // n DeviceAllow= lines, n distinct IPAddressAllow= lines.
    let mut t = HEAD.to_owned();
    for i in 0..n {
        writeln!(t, "DeviceAllow=/dev/dev{i} rw").unwrap();
    }
    v.push(("DeviceAllow lines", t, None));
    let mut t = HEAD.to_owned();
    for i in 0..n {
        writeln!(
            t,
            "IPAddressAllow=10.{}.{}.{}",
            i >> 16 & 255,
            i >> 8 & 255,
            i & 255
        )
        .unwrap();
    }
    v.push(("IPAddressAllow lines", t, None));

    // scale MiB of a realistic unit repeated: as one unit file, and as `systemctl cat` of
    // that many units.
    let copies = MIB * scale / UNIT.len();
    v.push(("unit repeated in one file", UNIT.repeat(copies), None));
    let mut t = String::new();
    for i in 0..copies {
        writeln!(t, "# /etc/systemd/system/worker{i}.service").unwrap();
        t.push_str(UNIT);
    }
    v.push(("systemctl cat of many units", t, None));

    // `systemctl show` output of n lines: many units, and one unit with n DeviceAllow= lines.
    let mut t = String::new();
    let block = SHOW_UNIT.lines().count() + 2;
    for i in 0..n.div_ceil(block) {
        writeln!(t, "Id=worker{i}.service").unwrap();
        t.push_str(SHOW_UNIT);
        t.push('\n');
    }
    v.push(("systemctl show lines", t, Some(InputKind::SystemctlShow)));
    let mut t = String::from("Id=worker.service\nDevicePolicy=closed\n");
    for i in 0..n {
        writeln!(t, "DeviceAllow=/dev/dev{i} rw").unwrap();
    }
    v.push((
        "systemctl show DeviceAllow lines",
        t,
        Some(InputKind::SystemctlShow),
    ));
    v
}

#[cfg(not(target_arch = "wasm32"))]
fn bench(c: &mut Criterion) {
    let small = cases(1);
    let large = cases(10);
    for ((name, s, kind), (_, l, _)) in small.iter().zip(&large) {
        let opts = Options {
            kind: *kind,
            ..Options::default()
        };
        let mut g = c.benchmark_group(*name);
        g.sample_size(10)
            .warm_up_time(Duration::from_millis(500))
            .measurement_time(Duration::from_secs(2));
        for text in [s, l] {
            g.throughput(Throughput::Bytes(text.len() as u64));
            let size = format!("{:.2} MiB", text.len() as f64 / MIB as f64);
            g.bench_with_input(BenchmarkId::from_parameter(size), text, |b, t| {
                b.iter(|| analyze(std::hint::black_box(t), &opts))
            });
        }
        g.finish();
    }

    // A single 5 MiB line: systemd stops reading the file there, and so does the reader.
    let long_line = format!(
        "{HEAD}Description={}\nPrivateTmp=yes\n",
        "a".repeat(5 * MIB)
    );
    let opts = Options::default();
    let a = analyze(&long_line, &opts);
    assert!(
        a.units[0].refused.is_some()
            && a.units[0]
                .diagnostics
                .iter()
                .any(|d| d.code == "line-too-long"),
        "a line of 1 MiB or more stops the reading"
    );
    let mut g = c.benchmark_group("one 5 MiB line");
    g.sample_size(10)
        .throughput(Throughput::Bytes(long_line.len() as u64));
    g.bench_function("systemd stops reading", |b| {
        b.iter(|| analyze(std::hint::black_box(&long_line), &opts))
    });
    g.finish();

    // Over the limit: refused at once.
    let over = UNIT.repeat(MAX_INPUT_BYTES / UNIT.len() + 1);
    assert_eq!(
        analyze(&over, &opts).diagnostics[0].code,
        "input-too-large",
        "an input over MAX_INPUT_BYTES is refused"
    );
    let mut g = c.benchmark_group("over MAX_INPUT_BYTES");
    g.sample_size(10)
        .throughput(Throughput::Bytes(over.len() as u64));
    g.bench_function("refused", |b| {
        b.iter(|| analyze(std::hint::black_box(&over), &opts))
    });
    g.finish();
}

#[cfg(not(target_arch = "wasm32"))]
criterion_group!(benches, bench);
#[cfg(not(target_arch = "wasm32"))]
criterion_main!(benches);

#[cfg(target_arch = "wasm32")]
fn main() {}
