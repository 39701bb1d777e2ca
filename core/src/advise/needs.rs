//! What well-known daemons need that their unit files do not say: data, keyed by the name of
//! the program a unit starts (`ExecStart=`'s executable, without its folder).
//!
//! A unit tells the advisor much (its `User=`, `PIDFile=`, the paths in its command lines), but
//! not that chronyd sets the clock or that postfix chroots its daemons. Each entry records such a
//! need and why (`why`): where the journal of a Debian 12 daemon under systemd 252 showed the
//! failure (issue 14's trials and the service trial harness, `tests/services/`), its message is
//! quoted; otherwise the entry states what the daemon's own documentation and Debian
//! configuration do (e.g. `chroot = y` in postfix's master.cf). Paths are given back with a `-`
//! prefix, so a path a system does not have costs nothing.

/// The needs of one daemon.
#[derive(Debug, Clone, Copy)]
pub struct Needs {
    /// Executable names (`ExecStart=`'s program without its folder) this entry is for.
    pub programs: &'static [&'static str],
    /// Paths it writes besides the conventional `/run/NAME`, `/var/log/NAME`, `/var/lib/NAME`,
    /// `/var/cache/NAME` and `/var/spool/NAME` of its unit and user names.
    pub writes: &'static [&'static str],
    /// Capabilities it needs beyond those its other needs imply (CAP_NET_BIND_SERVICE for
    /// every root daemon on the network, CAP_SETUID and CAP_SETGID for a user switch,
    /// CAP_SYS_CHROOT for a chroot, CAP_SYS_TIME for the clock).
    pub caps: &'static [&'static str],
    /// It creates or fixes its files and folders as root before or after switching users
    /// (CAP_CHOWN, CAP_DAC_OVERRIDE, CAP_FOWNER).
    pub owns_files: bool,
    /// It starts as root and switches to its own user (keeps CAP_SETUID, CAP_SETGID and the
    /// system calls that do it).
    pub switches_user: bool,
    /// It enumerates network interfaces (getifaddrs, which needs AF_NETLINK sockets).
    pub netlink: bool,
    /// It serves on the network although its unit need not say so (no network target).
    pub listens: bool,
    /// It chroots its workers (the `chroot` system call, CAP_SYS_CHROOT).
    pub chroots: bool,
    /// It sets the system clock (the @clock system calls, CAP_SYS_TIME).
    pub sets_clock: bool,
    /// It runs other programs' jobs, which inherit every restriction of its unit: only the
    /// safe tier applies.
    pub runs_jobs: bool,
    /// Why: the journal line seen when the need was not met, or what the daemon does.
    pub why: &'static str,
}

const NONE: Needs = Needs {
    programs: &[],
    writes: &[],
    caps: &[],
    owns_files: false,
    switches_user: false,
    netlink: false,
    listens: false,
    chroots: false,
    sets_clock: false,
    runs_jobs: false,
    why: "",
};

/// The table.
pub const KNOWN: &[Needs] = &[
    Needs {
        programs: &["nginx"],
        writes: &["/run"],
        owns_files: true,
        switches_user: true,
        why: "nginx writes /run/nginx.pid and opens its logs as root, then its workers run as www-data; seen under systemd 252: '[emerg] open() \"/var/log/nginx/error.log\" failed (30: Read-only file system)', and '/run/nginx.pid failed (13: Permission denied)' without its capabilities",
        ..NONE
    },
    Needs {
        programs: &["apachectl", "apache2", "apache2ctl", "httpd"],
        writes: &["/run/lock/apache2", "/run/apache2"],
        caps: &["CAP_KILL"],
        owns_files: true,
        switches_user: true,
        why: "apachectl (through /etc/apache2/envvars) creates /run/apache2 and /run/lock/apache2; apache2 opens its logs as root, then its workers run as www-data; seen under systemd 252: 'AH00091: apache2: could not open error log file /var/log/apache2/error.log' ((30)Read-only file system, (13)Permission denied)",
        ..NONE
    },
    Needs {
        programs: &["chronyd"],
        writes: &["/run/chrony", "/var/lib/chrony", "/var/log/chrony"],
        owns_files: true,
        switches_user: true,
        sets_clock: true,
        why: "seen under systemd 252: chronyd exits with 'Fatal error : CAP_SYS_TIME not present', and (as root, in its _chrony-owned /run/chrony) 'Could not open /run/chrony/chronyd.pid : Permission denied' without CAP_DAC_OVERRIDE",
        ..NONE
    },
    Needs {
        programs: &["ntpd", "ntpsec", "openntpd"],
        switches_user: true,
        sets_clock: true,
        netlink: true,
        why: "a time daemon without CAP_SYS_TIME cannot set the clock",
        ..NONE
    },
    Needs {
        programs: &["unbound"],
        writes: &["/var/lib/unbound", "/run/unbound"],
        caps: &["CAP_CHOWN"],
        switches_user: true,
        netlink: true,
        chroots: true,
        why: "seen under systemd 252: unbound fails with 'getifaddrs: Address family not supported'",
        ..NONE
    },
    Needs {
        programs: &["named"],
        writes: &["/var/cache/bind", "/run/named", "/var/lib/bind"],
        caps: &["CAP_CHOWN"],
        switches_user: true,
        netlink: true,
        why: "named (-u bind) enumerates the interfaces it listens on (getifaddrs needs AF_NETLINK) and switches to the bind user; seen under systemd 252: 'named: setgid(): Invalid argument' in a user namespace of its own",
        ..NONE
    },
    Needs {
        programs: &["dnsmasq"],
        writes: &["/run/dnsmasq", "/var/lib/misc"],
        caps: &["CAP_NET_ADMIN", "CAP_NET_RAW"],
        switches_user: true,
        netlink: true,
        owns_files: true,
        why: "dnsmasq watches interfaces through netlink and writes its PID file as root into its own /run/dnsmasq; seen under systemd 252: 'dnsmasq: cannot create netlink socket: Address family not supported by protocol', and 'failed to open pidfile /run/dnsmasq/dnsmasq.pid: Permission denied' without CAP_DAC_OVERRIDE",
        ..NONE
    },
    Needs {
        programs: &["avahi-daemon"],
        writes: &["/run/avahi-daemon"],
        caps: &["CAP_KILL"],
        owns_files: true,
        switches_user: true,
        netlink: true,
        chroots: true,
        why: "avahi-daemon watches interfaces through netlink and chroots to /etc/avahi; seen under systemd 252: it dies at start ('Process … died: No such process; trying to remove PID file'), and with only its user switch kept 'Failed to create PID file: File exists'",
        ..NONE
    },
    Needs {
        // postmulti and postfix start master as root; its workers chroot into
        // /var/spool/postfix and switch to the postfix user.
        programs: &["postmulti", "postfix", "master"],
        writes: &[
            "/var/spool/postfix",
            "/var/lib/postfix",
            "/var/mail",
            "/var/spool/mail",
        ],
        caps: &["CAP_KILL"],
        owns_files: true,
        switches_user: true,
        netlink: true,
        chroots: true,
        why: "master writes /var/lib/postfix and /var/spool/postfix (its workers chroot there, master.cf chroot = y) and enumerates interfaces for inet_interfaces = all; seen under systemd 252: 'configure-instance.sh: mkdir: cannot create directory /var/spool/postfix/etc/ssl/certs.NEW: Read-only file system', and cron's mail through postfix's sendmail: 'inet_addr_local[getifaddrs]: getifaddrs: Address family not supported by protocol'",
        ..NONE
    },
    Needs {
        programs: &["exim4", "exim"],
        writes: &[
            "/var/spool/exim4",
            "/var/log/exim4",
            "/run/exim4",
            "/var/mail",
        ],
        owns_files: true,
        switches_user: true,
        why: "exim4 delivers local mail as the recipient",
        ..NONE
    },
    Needs {
        programs: &["rsyslogd"],
        // Its own logs are all of /var/log; Debian's postfix and haproxy add log sockets inside
        // their chroots (/var/spool/postfix/dev/log, /var/lib/haproxy/dev/log).
        writes: &[
            "/var/log",
            "/var/spool/rsyslog",
            "/var/spool/postfix",
            "/var/lib/haproxy",
        ],
        caps: &["CAP_SYSLOG", "CAP_SETUID", "CAP_SETGID"],
        owns_files: true,
        why: "seen under systemd 252: rsyslog cannot create the log sockets of postfix's and haproxy's chroots (/var/spool/postfix/dev/log, /var/lib/haproxy/dev/log)",
        ..NONE
    },
    Needs {
        programs: &["sshd"],
        caps: &["CAP_KILL", "CAP_AUDIT_WRITE"],
        owns_files: true,
        switches_user: true,
        chroots: true,
        runs_jobs: true,
        why: "sshd runs users' login shells, which inherit the unit's restrictions; seen under systemd 252: its ExecStartPre= (sshd -t) fails under the strict tier",
        ..NONE
    },
    Needs {
        programs: &["haproxy"],
        writes: &["/run", "/run/haproxy", "/var/lib/haproxy"],
        owns_files: true,
        switches_user: true,
        chroots: true,
        why: "haproxy chroots to /var/lib/haproxy, writes /run/haproxy.pid and keeps its stats socket in /run/haproxy; seen under systemd 252: 'Cannot chroot(/var/lib/haproxy)', and 'error when trying to preserve previous UNIX socket (Operation not permitted / Permission denied) [/run/haproxy/admin.sock]' without CAP_CHOWN and CAP_DAC_OVERRIDE",
        ..NONE
    },
    Needs {
        programs: &["squid"],
        writes: &[
            "/run",
            "/var/spool/squid",
            "/var/log/squid",
            "/var/cache/squid",
        ],
        owns_files: true,
        switches_user: true,
        why: "squid writes /run/squid.pid and its cache and logs as the proxy user; seen under systemd 252: '/var/log/squid/cache.log: Read-only file system', and 'initgroups: unable to set groups for User proxy' without its user switch",
        ..NONE
    },
    Needs {
        programs: &["cupsd"],
        writes: &[
            "/etc/cups",
            "/run/cups",
            "/var/spool/cups",
            "/var/cache/cups",
            "/var/log/cups",
        ],
        caps: &["CAP_KILL"],
        owns_files: true,
        switches_user: true,
        netlink: true,
        why: "cupsd rewrites /etc/cups/printers.conf, lists interfaces (getifaddrs) and fixes the modes of its folders; seen under systemd 252: 'Unable to change permissions of \"/var/log/cups\" - Read-only file system'",
        ..NONE
    },
    Needs {
        programs: &["mosquitto"],
        switches_user: true,
        why: "mosquitto's ExecStartPre= creates and chowns /var/log/mosquitto and /run/mosquitto as root; seen under systemd 252: 'chown: changing ownership of /var/log/mosquitto: Read-only file system' (and 'Operation not permitted' without CAP_CHOWN)",
        ..NONE
    },
    Needs {
        programs: &["memcached", "systemd-memcached-wrapper"],
        switches_user: true,
        why: "memcached switches to the user of /etc/memcached.conf",
        ..NONE
    },
    Needs {
        programs: &["vsftpd"],
        writes: &["/run/vsftpd", "/var/log"],
        owns_files: true,
        switches_user: true,
        chroots: true,
        why: "vsftpd chroots each session into secure_chroot_dir (/run/vsftpd/empty) as the ftp user and writes /var/log/vsftpd.log; seen under systemd 252: '500 OOPS: failed to open vsftpd log file:/var/log/vsftpd.log'",
        ..NONE
    },
    Needs {
        programs: &["dovecot"],
        writes: &[
            "/run/dovecot",
            "/var/lib/dovecot",
            "/var/mail",
            "/var/spool/mail",
        ],
        caps: &["CAP_KILL"],
        owns_files: true,
        switches_user: true,
        chroots: true,
        why: "dovecot chroots its login processes and reads mail as each user; seen under systemd 252: 'open(/var/lib/dovecot/.temp…) failed: Read-only file system'",
        ..NONE
    },
    Needs {
        programs: &["lighttpd"],
        writes: &["/run/lighttpd", "/var/log/lighttpd", "/var/cache/lighttpd"],
        owns_files: true,
        switches_user: true,
        why: "lighttpd opens its logs as root, then runs as www-data; seen under systemd 252: 'opening errorlog /var/log/lighttpd/error.log failed: Read-only file system', 'opening pid-file failed: /run/lighttpd.pid: Permission denied'",
        ..NONE
    },
    Needs {
        programs: &["snmpd"],
        writes: &["/var/lib/snmp", "/run"],
        caps: &["CAP_NET_ADMIN"],
        switches_user: true,
        netlink: true,
        why: "snmpd (-u Debian-snmp) writes /var/lib/snmp and /run/snmpd.pid and reads the interface table through netlink",
        ..NONE
    },
    Needs {
        programs: &["rpcbind"],
        writes: &["/run/rpcbind"],
        caps: &["CAP_CHOWN"],
        switches_user: true,
        netlink: true,
        why: "rpcbind switches to the _rpc user and lists local addresses",
        ..NONE
    },
    Needs {
        // Debian's postgresql@.service has no User=: pg_ctlcluster starts as root and runs the
        // cluster as its owner.
        programs: &["pg_ctlcluster"],
        writes: &[
            "/run/postgresql",
            "/var/log/postgresql",
            "/var/lib/postgresql",
        ],
        owns_files: true,
        switches_user: true,
        why: "pg_ctlcluster runs the cluster as its owner and writes /run/postgresql and /var/log/postgresql; seen under systemd 252: 'Could not open logfile /var/log/postgresql/postgresql-15-main.log', and with DynamicUser=yes 'You must run this program as the cluster owner (nobody) or root'",
        ..NONE
    },
    Needs {
        // Debian's mariadb.service starts mariadbd through `sh -c`; its ExecStartPost= runs
        // /etc/mysql/debian-start.
        programs: &["mariadbd", "mysqld", "mysqld_safe", "debian-start"],
        writes: &["/run/mysqld", "/var/lib/mysql", "/var/log/mysql"],
        why: "mariadbd keeps its socket and PID file in /run/mysqld (made by tmpfiles.d), its data in /var/lib/mysql; seen under systemd 252: 'Can't create/write to file ./ddl_recovery.log (Errcode: 30 \"Read-only file system\")'",
        ..NONE
    },
    Needs {
        programs: &["prometheus-node-exporter", "node_exporter"],
        listens: true,
        why: "the exporter serves its metrics on port 9100, which its unit does not mention; seen under systemd 252: 'listen tcp :9100: socket: address family not supported by protocol' with only AF_UNIX",
        ..NONE
    },
    Needs {
        programs: &["cron", "crond", "atd", "anacron"],
        writes: &["/run", "/var/spool/cron"],
        caps: &["CAP_DAC_OVERRIDE", "CAP_AUDIT_WRITE"],
        switches_user: true,
        runs_jobs: true,
        why: "cron runs every user's jobs, which inherit its unit's restrictions; seen under systemd 252: jobs stop running ('can't open or create /var/run/crond.pid', and a job's mail through sendmail fails with 'getifaddrs: Address family not supported'), atd: 'could not lock job: Read-only file system'",
        ..NONE
    },
];

/// The entry for one of these programs, if any.
pub fn of(programs: &[String]) -> Option<&'static Needs> {
    KNOWN
        .iter()
        .find(|n| programs.iter().any(|p| n.programs.contains(&p.as_str())))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_names_real_capabilities_and_absolute_paths() {
        for n in KNOWN {
            for c in n.caps {
                assert!(crate::tables::capability_from_name(c).is_some(), "{c}");
            }
            for p in n.writes {
                assert!(p.starts_with('/') && !p.ends_with('/'), "{p}");
            }
            assert!(!n.why.is_empty(), "{:?}", n.programs);
        }
        assert!(of(&["chronyd".into()]).unwrap().sets_clock);
        assert!(of(&["true".into()]).is_none());
    }
}
