//! What loading implies once every file is read (`unit_patch_contexts()`).

use super::Loader;
use super::settings::valid_user_strict;
use super::values::IMPLIED_CAPABILITY_DROPS;
use crate::diag::{Diagnostic, Severity};
use crate::model::{DevicePolicy, Model, Origin, ProtectHome, ProtectSystem};
use crate::version::PrivateMounts;

/// The line that implies a value: the last that set `by`, marked implied.
fn implied(m: &Model, by: &str) -> Option<Origin> {
    m.origins.get(by).and_then(|v| v.last()).map(|o| Origin {
        implied: true,
        ..o.clone()
    })
}

/// What `DynamicUser=yes` implies: a user named after the unit, and the settings it turns on.
fn dynamic_user(m: &mut Model, prefix: &str) {
    let by = implied(m, "DynamicUser");
    if m.user.is_none() {
        m.user = Some(if valid_user_strict(prefix) {
            prefix.to_owned()
        } else {
            "_du-derived".into()
        });
    }
    m.private_tmp = true;
    m.remove_ipc = true;
    m.protect_system = Some(ProtectSystem::Strict);
    if m.protect_home == Some(ProtectHome::No) {
        m.protect_home = Some(ProtectHome::ReadOnly);
        if let Some(o) = by.clone() {
            m.reset_note("ProtectHome", Some(o));
        }
    }
    m.no_new_privileges = true;
    m.restrict_suid_sgid = true;
    if let Some(o) = by {
        for s in [
            "PrivateTmp",
            "RemoveIPC",
            "ProtectSystem",
            "NoNewPrivileges",
            "RestrictSUIDSGID",
        ] {
            m.reset_note(s, Some(o.clone()));
        }
    }
}

impl Loader {
    /// Applies what systemd implies at load time (`unit_patch_contexts()`) and checks what
    /// makes it refuse a unit (`service_verify()`, `socket_verify()`, `mount_verify()`).
    pub(super) fn finish(&mut self) {
        self.shape_lists();
        if self.name.kind.has_exec_context() {
            self.exec_implications();
        }
        if self.name.kind.has_cgroup_context() && self.name.kind.has_exec_context() {
            self.device_implications();
        }
        self.refusals();
    }

    /// The lists were built by appending; now they get their final shape (sets keep the
    /// first occurrence, device entries go newest first).
    fn shape_lists(&mut self) {
        let m = &mut self.m;
        let mut seen = std::collections::HashSet::new();
        m.ip_address_allow
            .retain(|p| seen.insert((p.v6, p.addr, p.prefix_len)));
        seen.clear();
        m.ip_address_deny
            .retain(|p| seen.insert((p.v6, p.addr, p.prefix_len)));
        for list in [&mut m.ip_ingress_filter_path, &mut m.ip_egress_filter_path] {
            let mut seen = std::collections::HashSet::new();
            list.retain(|p| seen.insert(p.clone()));
        }
        m.device_allow.reverse();
    }

    /// `PrivateMounts=` as the version reads it, the capabilities settings drop, and what
    /// `DynamicUser=` implies.
    fn exec_implications(&mut self) {
        let m = &mut self.m;
        m.private_mounts = match self.profile.private_mounts {
            PrivateMounts::Explicit => self.private_mounts == Some(true),
            PrivateMounts::TriState => self.private_mounts != Some(false),
        };
        for drop in IMPLIED_CAPABILITY_DROPS {
            if (drop.on)(m) {
                m.capability_bounding_set &= !drop.mask();
                if let Some(o) = implied(m, drop.by) {
                    m.note("CapabilityBoundingSet", o);
                }
            }
        }
        if m.dynamic_user {
            dynamic_user(m, &self.name.prefix);
        }
    }

    /// The device policy `PrivateDevices=` implies, and the devices other settings allow.
    fn device_implications(&mut self) {
        let images = self.m.root_image.is_some() || self.mount_images > 0 || self.root_mstack;
        let encrypted = |list: &[(String, bool)]| {
            let mut seen = std::collections::HashSet::new();
            list.iter().rev().any(|(id, enc)| seen.insert(id) && *enc)
        };
        let tpm = encrypted(&self.load_credentials) || encrypted(&self.set_credentials);
        let m = &mut self.m;
        if m.private_devices && m.device_policy == DevicePolicy::Auto {
            m.device_policy = DevicePolicy::Closed;
            if let Some(o) = implied(m, "PrivateDevices") {
                m.reset_note("DevicePolicy", Some(o));
            }
        }
        // Only added when something already restricts devices, since they imply that
        // everything else is blocked. Each is prepended, so the last added comes first.
        if m.device_policy == DevicePolicy::Auto && m.device_allow.is_empty() {
            return;
        }
        if images {
            for (p, a) in [
                ("/dev/loop-control", "rw"),
                ("/dev/mapper/control", "rw"),
                ("block-loop", "rwm"),
                ("block-blkext", "rwm"),
                ("block-device-mapper", "rwm"),
            ] {
                m.device_allow.insert(0, (p.into(), a.into()));
            }
        }
        if m.protect_clock {
            m.device_allow.insert(0, ("char-rtc".into(), "r".into()));
            if let Some(o) = implied(m, "ProtectClock") {
                m.note("DeviceAllow", o);
            }
        }
        if tpm && let Some(dev) = self.profile.tpm_device {
            m.device_allow.insert(0, (dev.into(), "rw".into()));
        }
    }

    /// Why systemd refuses the unit once it is loaded, if it does, as a diagnostic.
    fn refusals(&mut self) {
        if self.refused.is_none()
            && let Some(why) = self.verify()
        {
            self.refuse(why);
        }
        if self.refused.is_none()
            && self.managed_users
            && self.name.kind.has_exec_context()
            && (self.m.user.is_some() || self.m.dynamic_user || self.group || self.pam_name)
        {
            self.refuse(
                "PrivateUsers=managed may not be used together with User=, DynamicUser=, Group= \
                 or PAMName=.",
            );
        }
        if self.refused.is_none()
            && self.m.user_manager
            && self.m.dynamic_user
            && self.profile.user_dynamic_refused
        {
            self.refuse("DynamicUser= enabled for user unit, which is not supported.");
        }
        if let Some(why) = &self.refused
            && !self.diags.iter().any(|d| d.severity == Severity::Error)
        {
            self.diags.push(Diagnostic::new(
                Severity::Error,
                "refused",
                format!("systemd refuses to load this unit: {why}"),
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::*;

    #[test]
    fn only_valid_encrypted_credentials_add_the_tpm() {
        // No data (invalid), and an encrypted credential replaced by a plain one.
        let r = service(
            "PrivateDevices=yes\nSetCredentialEncrypted=foo\nLoadCredentialEncrypted=bar:/x\nLoadCredential=bar:/y\n",
        );
        pass(&r, "DeviceAllow");
        let r = service("PrivateDevices=yes\nSetCredentialEncrypted=foo:YWJj\n");
        fail(&r, "DeviceAllow", "0.1");
        let d = r
            .rows
            .iter()
            .find(|x| x.json_field == "DeviceAllow")
            .unwrap();
        assert_eq!(
            d.description.as_deref(),
            Some("Service has a device ACL with some special devices: /dev/tpmrm0:rw")
        );
    }
}
