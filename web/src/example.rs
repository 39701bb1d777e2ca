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
