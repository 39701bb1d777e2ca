//! The unit the page opens with when no link says otherwise.

/// A typical application server unit: it runs as its own user and has a first round of
/// hardening, so the page opens on a realistic mix of passing and failing checks.
pub const EXAMPLE_UNIT: &str = "\
# /etc/systemd/system/shop-frontend.service
# The web front-end of a small shop, behind a reverse proxy on the same host.
[Unit]
Description=Shop front-end (HTTP application server)
Documentation=man:shop-frontend(8)
After=network-online.target postgresql.service
Wants=network-online.target

[Service]
Type=notify
User=shop
Group=shop
ExecStart=/usr/bin/shop-frontend --listen 127.0.0.1:8081 \\
          --config /etc/shop/frontend.toml
ExecReload=/bin/kill -HUP $MAINPID
Restart=on-failure
RestartSec=2s
Environment=SHOP_LOG=info
Environment=SHOP_CACHE_DIR=/var/cache/shop
StateDirectory=shop
CacheDirectory=shop
LogsDirectory=shop

# First round of hardening
NoNewPrivileges=yes
PrivateTmp=yes
ProtectSystem=full
ProtectHome=read-only

[Install]
WantedBy=multi-user.target
";

/// One entry of the examples menu.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Example {
    /// The `<option value>`; stable, used by tests.
    pub id: &'static str,
    /// What the menu shows.
    pub label: &'static str,
    pub text: &'static str,
}

/// The examples menu, in order; the first one is the unit the page opens with.
pub const EXAMPLES: &[Example] = &[
    Example {
        id: "app-server",
        label: "Application server (the default)",
        text: EXAMPLE_UNIT,
    },
    Example {
        id: "web-server",
        label: "Web server on ports 80 and 443",
        text: WEB_SERVER,
    },
    Example {
        id: "database",
        label: "Database server",
        text: DATABASE,
    },
    Example {
        id: "batch-job",
        label: "Nightly batch job with DynamicUser=",
        text: BATCH_JOB,
    },
    Example {
        id: "socket-activated",
        label: "Socket-activated daemon (systemctl cat)",
        text: SOCKET_ACTIVATED,
    },
    Example {
        id: "hardened",
        label: "Heavily hardened service",
        text: HARDENED,
    },
    Example {
        id: "dbus-service",
        label: "D-Bus system service",
        text: DBUS_SERVICE,
    },
    Example {
        id: "show",
        label: "systemctl show output",
        text: SHOW_OUTPUT,
    },
];

/// The example with this menu value.
pub fn by_id(id: &str) -> Option<&'static Example> {
    EXAMPLES.iter().find(|e| e.id == id)
}

const WEB_SERVER: &str = "\
# /etc/systemd/system/static-web.service
# A static-site HTTP server that binds the privileged ports itself, then serves files
# from /srv/www as an unprivileged user.
[Unit]
Description=Static web server for /srv/www
After=network-online.target
Wants=network-online.target

[Service]
Type=simple
User=www
Group=www
ExecStart=/usr/sbin/static-web --root /srv/www --http :80 --https :443 \\
          --cert /etc/static-web/tls/fullchain.pem --key /etc/static-web/tls/key.pem
ExecReload=/bin/kill -USR1 $MAINPID
Restart=always
AmbientCapabilities=CAP_NET_BIND_SERVICE
CapabilityBoundingSet=CAP_NET_BIND_SERVICE
NoNewPrivileges=yes
PrivateTmp=yes
PrivateDevices=yes
ProtectSystem=strict
ProtectHome=yes
ReadOnlyPaths=/srv/www
LogsDirectory=static-web
RestrictAddressFamilies=AF_INET AF_INET6 AF_UNIX

[Install]
WantedBy=multi-user.target
";

const DATABASE: &str = "\
# /etc/systemd/system/ledgerdb.service
# A relational database server: one long-running process with its data under
# /var/lib/ledgerdb, reachable on the local network.
[Unit]
Description=LedgerDB database server
After=network.target

[Service]
Type=notify
User=ledgerdb
Group=ledgerdb
ExecStart=/usr/lib/ledgerdb/bin/ledgerdb-server -D /var/lib/ledgerdb/data
ExecReload=/bin/kill -HUP $MAINPID
KillMode=mixed
KillSignal=SIGINT
TimeoutSec=infinity
OOMScoreAdjust=-900
LimitNOFILE=65536
StateDirectory=ledgerdb
RuntimeDirectory=ledgerdb
PrivateTmp=yes
ProtectHome=yes
ProtectSystem=full
NoNewPrivileges=yes

[Install]
WantedBy=multi-user.target
";

const BATCH_JOB: &str = "\
# /etc/systemd/system/report-digest.service
# Runs once a night from report-digest.timer: reads yesterday's logs, writes a summary,
# exits. It needs no fixed account, so systemd allocates one for each run.
[Unit]
Description=Nightly report digest

[Service]
Type=oneshot
DynamicUser=yes
ExecStart=/usr/bin/report-digest --since yesterday --out /var/lib/report-digest
StateDirectory=report-digest
SupplementaryGroups=systemd-journal
Nice=10
IOSchedulingClass=idle
PrivateNetwork=yes
ProtectHome=yes
CapabilityBoundingSet=
";

const SOCKET_ACTIVATED: &str = "\
# /etc/systemd/system/gopherd.service
# `systemctl cat gopherd.service`: gopherd.socket (ListenStream=70) starts it on the first
# connection and hands over the listening socket, so the daemon never binds a privileged
# port itself. Only .service units are assessed, so the socket is not pasted here.
[Unit]
Description=Gopher protocol server
Requires=gopherd.socket

[Service]
ExecStart=/usr/sbin/gopherd --systemd-socket --root /srv/gopher
User=gopher
NonBlocking=yes
PrivateTmp=yes
PrivateDevices=yes
ProtectSystem=strict
ProtectHome=yes
ProtectKernelTunables=yes
ProtectControlGroups=yes
RestrictAddressFamilies=AF_INET AF_INET6

# /etc/systemd/system/gopherd.service.d/override.conf
[Service]
NoNewPrivileges=yes
";

const HARDENED: &str = "\
# /etc/systemd/system/thumbnailer.service
# Turns uploaded images into thumbnails. It only reads one spool directory and writes
# another, so nearly everything can be taken away from it.
[Unit]
Description=Image thumbnail worker

[Service]
Type=simple
DynamicUser=yes
ExecStart=/usr/bin/thumbnailer --in /var/spool/uploads --out /var/lib/thumbnailer
ReadOnlyPaths=/var/spool/uploads
StateDirectory=thumbnailer
UMask=0077

NoNewPrivileges=yes
CapabilityBoundingSet=
AmbientCapabilities=
PrivateTmp=yes
PrivateDevices=yes
PrivateNetwork=yes
PrivateUsers=yes
PrivateIPC=yes
ProtectSystem=strict
ProtectHome=yes
ProtectProc=invisible
ProcSubset=pid
ProtectKernelTunables=yes
ProtectKernelModules=yes
ProtectKernelLogs=yes
ProtectControlGroups=yes
ProtectClock=yes
ProtectHostname=yes
RestrictAddressFamilies=none
RestrictNamespaces=yes
RestrictRealtime=yes
RestrictSUIDSGID=yes
LockPersonality=yes
MemoryDenyWriteExecute=yes
RemoveIPC=yes
KeyringMode=private
NotifyAccess=none
DevicePolicy=closed
IPAddressDeny=any
SystemCallArchitectures=native
SystemCallFilter=@system-service
SystemCallFilter=~@privileged @resources
SystemCallErrorNumber=EPERM
";

const DBUS_SERVICE: &str = "\
# /etc/systemd/system/backlightd.service
# Lets desktop sessions change the screen brightness: it owns a name on the system bus
# and writes to /sys/class/backlight on request.
[Unit]
Description=Backlight control service

[Service]
Type=dbus
BusName=org.example.Backlight1
ExecStart=/usr/libexec/backlightd
ProtectHome=yes
PrivateTmp=yes
PrivateNetwork=yes
";

const SHOW_OUTPUT: &str = "\
Type=simple
Restart=on-failure
NotifyAccess=none
ExecStart={ path=/usr/bin/metrics-agent ; argv[]=/usr/bin/metrics-agent --push https://metrics.example.net ; ignore_errors=no ; start_time=[n/a] ; stop_time=[n/a] ; pid=0 ; code=(null) ; status=0/0 }
UMask=0022
User=metrics
Group=metrics
DynamicUser=no
RemoveIPC=no
RootDirectory=
CapabilityBoundingSet=cap_chown cap_dac_override cap_dac_read_search cap_fowner cap_fsetid cap_kill cap_setgid cap_setuid cap_setpcap cap_linux_immutable cap_net_bind_service cap_net_broadcast cap_net_admin cap_net_raw cap_ipc_lock cap_ipc_owner cap_sys_module cap_sys_rawio cap_sys_chroot cap_sys_ptrace cap_sys_pacct cap_sys_admin cap_sys_boot cap_sys_nice cap_sys_resource cap_sys_time cap_sys_tty_config cap_mknod cap_lease cap_audit_write cap_audit_control cap_setfcap cap_mac_override cap_mac_admin cap_syslog cap_wake_alarm cap_block_suspend cap_audit_read cap_perfmon cap_bpf cap_checkpoint_restore
AmbientCapabilities=
NoNewPrivileges=yes
PrivateTmp=yes
PrivateDevices=no
ProtectClock=no
ProtectKernelTunables=no
ProtectKernelModules=no
ProtectKernelLogs=no
ProtectControlGroups=no
PrivateNetwork=no
PrivateUsers=no
ProtectHome=read-only
ProtectSystem=full
ProtectHostname=no
ProtectProc=default
ProcSubset=all
RestrictRealtime=no
RestrictSUIDSGID=no
RestrictNamespaces=no
LockPersonality=no
MemoryDenyWriteExecute=no
SystemCallArchitectures=
KeyringMode=private
DevicePolicy=auto
IPAddressDeny=
RestrictAddressFamilies=
SystemCallFilter=
Id=metrics-agent.service
Names=metrics-agent.service
LoadState=loaded
ActiveState=active
SubState=running
FragmentPath=/etc/systemd/system/metrics-agent.service
";

#[cfg(test)]
mod tests {
    use exposure_core::input::detect;
    use exposure_core::{InputKind, Options, analyze};

    use super::*;

    #[test]
    fn every_example_is_assessed_as_what_it_claims_to_be() {
        let mut ids: Vec<_> = EXAMPLES.iter().map(|e| e.id).collect();
        ids.sort();
        ids.dedup();
        assert_eq!(ids.len(), EXAMPLES.len(), "menu values are unique");
        assert_eq!(EXAMPLES[0].text, EXAMPLE_UNIT, "the default comes first");
        for e in EXAMPLES {
            let a = analyze(e.text, &Options::default());
            assert_eq!(a.units.len(), 1, "{}: one unit", e.id);
            let expected = match e.id {
                "show" => InputKind::SystemctlShow,
                // each unit starts with its path, as `systemctl cat` prints it
                _ => InputKind::SystemctlCat,
            };
            assert_eq!(detect(e.text), expected, "{}", e.id);
            assert_eq!(a.kind, expected, "{}", e.id);
            assert!(
                a.units[0].refused.is_none(),
                "{}: {:?}",
                e.id,
                a.units[0].refused
            );
            assert!(!a.units[0].rows.is_empty(), "{}", e.id);
            assert_eq!(by_id(e.id), Some(e));
        }
        assert_eq!(by_id("nope"), None);
    }

    #[test]
    fn the_examples_span_the_scale() {
        let score =
            |id: &str| analyze(by_id(id).unwrap().text, &Options::default()).units[0].exposure;
        let hardened = score("hardened");
        let dbus = score("dbus-service");
        assert!(hardened.0 < 30, "hardened scores {hardened}");
        assert!(dbus.0 > hardened.0 + 40, "{dbus} vs {hardened}");
        let show = analyze(by_id("show").unwrap().text, &Options::default());
        assert_eq!(show.units[0].unit, "metrics-agent.service");
    }
}
