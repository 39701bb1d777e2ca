//! The offline path: unit file + drop-ins → [`Model`], with the unit loader's semantics of
//! systemd 252 and, through the version's [`Profile`], of the other versions (value parsing,
//! resets, merges, and the settings implied at load time).
//!
//! This module holds the entry points and the loader's state; `Loader::entry` hands
//! each line to the module that reads it: `settings` (one-value settings), `lists`, `verify`
//! (the keys that decide whether a unit loads, and the refusals), `hints` (unknown keys), and
//! after the last file `implied`. `values` holds what the online reader shares.

use std::sync::Arc;

use crate::diag::{Diagnostic, Severity, Span};
use crate::model::{KeyringMode, Model, Origin};
use crate::syntax::{Entry, File};
use crate::tables::KeyStatus;
use crate::unit::{UnitName, UnitType};
use crate::version::{Profile, Version};

/// `PrivateUsers=managed` (where a version accepts it) refuses a unit that also sets one of
/// `User=`, `DynamicUser=`, `Group=` or `PAMName=`.
const MANAGED_USERS: (&str, &str) = ("PrivateUsers", "managed");

pub(crate) mod cparse;
mod hints;
mod implied;
mod lists;
mod settings;
pub(crate) mod values;
mod verify;

pub use hints::did_you_mean;
use values::setting_name;
pub use values::{boolean_setting_names, parse_boolean, parse_ip_prefix, words};

/// The result of loading one unit offline (or, as [`crate::online::Online`], of reading its
/// properties online).
#[derive(Debug, Clone)]
pub struct Loaded {
    pub model: Model,
    pub diagnostics: Vec<Diagnostic>,
    /// Why systemd would refuse to load the unit (online: why `systemd-analyze security`
    /// would refuse it), if it would.
    pub refused: Option<String>,
}

/// A setting systemd treats as a fatal error: it stops reading the file there. In the unit
/// file that makes the unit fail to load; in a drop-in only the rest of that drop-in is lost.
struct Fatal(String);

/// Why systemd stops reading a file, for the code of the parser's diagnostic that says so.
fn fatal_reason(code: &str) -> Option<&'static str> {
    match code {
        "line-too-long" => Some("a line of 1 MiB or more"),
        "not-utf8" => Some("a line that is not UTF-8 clean"),
        "invalid-section-header" => Some("an invalid section header"),
        _ => None,
    }
}

/// Loads a unit from its files: `files[0]` is the unit file, the rest are drop-ins already in
/// the order systemd applies them. `name` is the name to assess (an instance for templates).
pub fn load(name: &UnitName, files: &[File], version: Version, user: bool) -> Loaded {
    Staged::read_in(name, files, version, user).finish()
}

/// A unit being loaded a file at a time: [`load`] is [`Staged::read`] (a [`Staged::new`],
/// then [`Staged::file`] for each file in order), then [`Staged::finish`]. The advisor loads a unit's own files once and
/// tries each drop-in on a copy of that state, without reading the unit again.
#[derive(Clone)]
pub(crate) struct Staged {
    l: Loader,
    /// Files read so far; the first is the unit file.
    files: usize,
    /// The unit file was refused, so systemd reads no drop-in.
    stopped: bool,
    /// The fatal line met in the file being read, if any: systemd stops reading it there.
    fatal: Option<(String, Option<Span>)>,
}

impl Staged {
    pub(crate) fn new(name: &UnitName, version: Version) -> Self {
        let kind = name.kind;
        let model = if kind.has_exec_context() {
            let mut m = Model::service_defaults(&name.full);
            if kind != UnitType::Service {
                m.keyring_mode = Some(KeyringMode::Shared);
                m.notify_access = None;
            }
            m
        } else {
            Model::no_exec_defaults(&name.full)
        };
        let l = Loader {
            name: name.clone(),
            profile: version.profile(),
            m: model,
            private_mounts: None,
            managed_users: false,
            root_mstack: false,
            group: false,
            pam_name: false,
            diags: Vec::new(),
            refused: None,
            exec_start: 0,
            exec_stop: 0,
            success_action: false,
            remain_after_exit: false,
            service_type: None,
            restart: None,
            bus_name: false,
            listens: 0,
            mount_what: false,
            mount_where: None,
            swap_what: None,
            automount_where: None,
            timer_values: 0,
            timer_on_change: false,
            path_specs: 0,
            af_started: false,
            sf_started: false,
            load_credentials: Vec::new(),
            set_credentials: Vec::new(),
            mount_images: 0,
            last_line: crate::scan::FastMap::default(),
            file_name: None,
            did_you_mean: std::collections::HashMap::new(),
        };
        Staged {
            l,
            files: 0,
            stopped: false,
            fatal: None,
        }
    }

    /// The same unit as one of the per-user service manager (`--user`, K10): its execution
    /// defaults are the user manager's (`KeyringMode=inherit` for every unit type). Call it
    /// before the first file.
    pub(crate) fn in_user_manager(mut self) -> Self {
        if self.l.name.kind.has_exec_context() {
            self.l.m.keyring_mode = Some(KeyringMode::Inherit);
        }
        self.l.m.user_manager = true;
        self
    }

    /// A unit with `files` read, in order (the unit file first), not yet finished.
    pub(crate) fn read(name: &UnitName, files: &[File], version: Version) -> Self {
        Self::read_in(name, files, version, false)
    }

    /// [`Staged::read`] for the system manager or, with `user`, the per-user one.
    pub(crate) fn read_in(name: &UnitName, files: &[File], version: Version, user: bool) -> Self {
        let mut staged = Staged::new(name, version);
        if user {
            staged = staged.in_user_manager();
        }
        for f in files {
            staged.file(f);
        }
        staged
    }

    /// Reads the next file: the unit file first, then each drop-in.
    pub(crate) fn file(&mut self, f: &File) {
        self.begin_file(f);
        self.entries_from(f, 0, usize::MAX);
        self.end_file(f);
    }

    /// Starts reading the next file ([`Staged::file`] in parts: then [`Staged::entries`] until
    /// it returns `None`, then [`Staged::end_file`]).
    pub(crate) fn begin_file(&mut self, f: &File) {
        self.l.file_name = f.path.as_deref().map(Arc::from);
        self.files += 1;
        self.fatal = None;
        if !self.stopped {
            self.l.diags.extend(f.diagnostics.iter().cloned());
        }
    }

    /// [`Staged::begin_file`] that takes the file's diagnostics rather than copying them (a
    /// file of a million bad lines has a million): the file keeps only those that
    /// [`Staged::end_file`] reads, the reasons of a fatal line.
    pub(crate) fn begin_file_taking(&mut self, f: &mut File) {
        self.l.file_name = f.path.as_deref().map(Arc::from);
        self.files += 1;
        self.fatal = None;
        let all = std::mem::take(&mut f.diagnostics);
        f.diagnostics = all
            .iter()
            .filter(|d| fatal_reason(d.code).is_some())
            .cloned()
            .collect();
        if !self.stopped {
            self.l.diags.extend(all);
        }
    }

    /// Reads up to `count` more entries of the file begun, after the `done` first ones;
    /// returns how many entries are read in all, or `None` once there is nothing more to read
    /// (the end, or a fatal line).
    pub(crate) fn entries_from(&mut self, f: &File, done: usize, count: usize) -> Option<usize> {
        if self.stopped || self.fatal.is_some() {
            return None;
        }
        let upto = f.fatal_at.unwrap_or(f.entries.len()).min(f.entries.len());
        let end = done.saturating_add(count).min(upto);
        for e in f.entries.get(done..end).unwrap_or_default() {
            if let Err(Fatal(why)) = self.l.entry(f.path.as_deref(), e) {
                self.fatal = Some((why, Some(e.span)));
                return None;
            }
        }
        (end < upto).then_some(end)
    }

    /// Ends the file begun: what a fatal line in it means.
    pub(crate) fn end_file(&mut self, f: &File) {
        let first = self.files == 1;
        if self.stopped {
            return;
        }
        let l = &mut self.l;
        let mut fatal = self.fatal.take();
        if fatal.is_none() && (f.fatal || f.fatal_at.is_some()) {
            // The first fatal line's reason: systemd stopped there.
            let why = f
                .diagnostics
                .iter()
                .find_map(|d| fatal_reason(d.code))
                .unwrap_or("an invalid section header");
            fatal = Some((why.to_owned(), None));
        }
        let Some((why, span)) = fatal else {
            return;
        };
        let d = if first {
            // systemd does not load the unit at all.
            l.refuse(&why);
            Diagnostic::new(
                Severity::Error,
                "fatal-setting",
                format!("systemd refuses to load this unit: {why}"),
            )
        } else {
            Diagnostic::new(
                Severity::Warning,
                "dropin-aborted",
                format!(
                    "{why}: systemd stops reading this drop-in here, so the rest of it has no effect (the unit still loads)"
                ),
            )
        };
        match span {
            Some(span) => l.diags.push(d.at(f.path.as_deref(), span)),
            // A broken header in a drop-in: the parser already reported that line.
            None if !first => {}
            None => l.diags.push(d),
        }
        if first {
            self.stopped = true;
        }
    }

    /// Forgets the diagnostics so far and the "did you mean" answers: a copy made to score
    /// drop-ins needs only the model, so copies of it are cheaper. (The diagnostics decide
    /// nothing in the model: [`Staged::finish`] only adds one more when the unit is refused.)
    pub(crate) fn without_diagnostics(mut self) -> Self {
        self.l.diags = Vec::new();
        self.l.did_you_mean = std::collections::HashMap::new();
        self
    }

    /// Applies what loading implies once every file is read.
    pub(crate) fn finish(mut self) -> Loaded {
        self.l.finish();
        Loaded {
            model: self.l.m,
            diagnostics: self.l.diags,
            refused: self.l.refused,
        }
    }
}

#[derive(Clone)]
struct Loader {
    name: UnitName,
    /// The knobs of the version loading the unit.
    profile: &'static Profile,
    m: Model,
    /// `PrivateMounts=` as the last valid line left it (`None`: unset); [`Loader::finish`]
    /// turns it into the model's value as the profile says (K4).
    private_mounts: Option<bool>,
    /// Whether the last valid `PrivateUsers=` is `managed`, and whether `Group=` and
    /// `PAMName=` are set (for [`MANAGED_USERS`]).
    managed_users: bool,
    /// Whether `RootMStack=` is set (where the profile knows it).
    root_mstack: bool,
    group: bool,
    pam_name: bool,
    diags: Vec<Diagnostic>,
    refused: Option<String>,
    exec_start: usize,
    exec_stop: usize,
    success_action: bool,
    remain_after_exit: bool,
    service_type: Option<&'static str>,
    restart: Option<&'static str>,
    bus_name: bool,
    /// Sockets: how many Listen*= entries there are.
    listens: usize,
    /// Mounts: whether What= is set, and Where= as given.
    mount_what: bool,
    mount_where: Option<String>,
    /// Swaps: What=; automounts: Where= (both default to the path the unit name encodes).
    swap_what: Option<String>,
    automount_where: Option<String>,
    /// Timers: how many OnCalendar=/On*Sec= values, and whether OnClockChange=/OnTimezoneChange=.
    timer_values: usize,
    timer_on_change: bool,
    /// Path units: how many Path*=/DirectoryNotEmpty= entries.
    path_specs: usize,
    /// Whether RestrictAddressFamilies= / SystemCallFilter= have a list since the last reset.
    af_started: bool,
    sf_started: bool,
    /// Credential lines as (id, encrypted) (`LoadCredential*=`, `SetCredential*=`); the last
    /// line of an id wins.
    load_credentials: Vec<(String, bool)>,
    set_credentials: Vec<(String, bool)>,
    /// Number of valid `MountImages=` entries.
    mount_images: usize,
    /// Last line that assigned each single-valued setting, to tell when a line is overridden.
    last_line: crate::scan::FastMap<&'static str, (Option<Arc<str>>, Span)>,
    /// The name of the file being read, shared by the origins of its lines.
    file_name: Option<Arc<str>>,
    /// "Did you mean" answers by (section, unknown key): a key repeated on thousands of lines
    /// is compared with the section's directives once.
    did_you_mean: std::collections::HashMap<(String, String), Option<&'static str>>,
}

impl Loader {
    fn refuse(&mut self, why: &str) {
        if self.refused.is_none() {
            self.refused = Some(why.to_owned());
        }
    }

    fn warn(
        &mut self,
        file: Option<&str>,
        e: &Entry,
        code: &'static str,
        msg: String,
    ) -> Diagnostic {
        let d = Diagnostic::new(Severity::Warning, code, msg).at(file, e.span);
        self.diags.push(d.clone());
        d
    }

    /// A value systemd ignores: the setting keeps its previous value.
    fn ignored(&mut self, file: Option<&str>, e: &Entry, why: &str) {
        let msg = format!(
            "{}={} is ignored by systemd ({why}); the setting keeps its previous value",
            e.key, e.value
        );
        self.warn(file, e, "invalid-value", msg);
    }

    /// A value systemd treats as a fatal error; [`Staged::file`] reports it, depending on
    /// whether it is in the unit file or in a drop-in.
    fn fatal(&self, e: &Entry, why: &str) -> Fatal {
        Fatal(format!("{}={}: {why}", e.key, e.value))
    }

    fn origin(&self, file: Option<&str>, e: &Entry) -> Origin {
        let mut directive = String::with_capacity(e.key.len() + 1 + e.value.len());
        directive.push_str(&e.key);
        directive.push('=');
        directive.push_str(&e.value);
        Origin {
            file: self.shared_name(file),
            line: e.span.line,
            directive: Arc::from(directive),
            implied: false,
        }
    }

    /// `file` as an `Arc`, the one of the file being read when it is that file.
    fn shared_name(&self, file: Option<&str>) -> Option<Arc<str>> {
        match (file, &self.file_name) {
            (Some(f), Some(n)) if **n == *f => Some(n.clone()),
            (f, _) => f.map(Arc::from),
        }
    }

    /// Records that `setting` now has a value set by `e` alone (replacing earlier lines).
    fn set_single(&mut self, setting: &'static str, file: Option<&str>, e: &Entry) {
        if let Some((pf, ps)) = self
            .last_line
            .insert(setting, (self.shared_name(file), e.span))
        {
            let d = Diagnostic::new(
                Severity::Info,
                "overridden",
                format!(
                    "{setting}= is set again on line {}; this earlier value has no effect",
                    e.span.line
                ),
            )
            .at(pf.as_deref(), ps);
            self.diags.push(d);
        }
        self.m.reset_note(setting, Some(self.origin(file, e)));
    }

    /// Records that `e` added to a list setting (or reset it when the value is empty).
    fn set_list(&mut self, setting: &'static str, file: Option<&str>, e: &Entry) {
        if e.value.is_empty() {
            self.m.reset_note(setting, Some(self.origin(file, e)));
        } else {
            self.m.note(setting, self.origin(file, e));
        }
    }

    /// Expands specifiers like `unit_full_printf()`; `None` on an unknown one.
    fn printf(&self, v: &str) -> Option<String> {
        self.name.expand_specifiers(v).ok()
    }

    fn entry(&mut self, file: Option<&str>, e: &Entry) -> Result<(), Fatal> {
        let section = &*e.section;
        // K6: a directive newer than the 252 table, read where the profile knows it. The
        // profile knows exactly where it arrived (260), closer than a table between two
        // verified releases does.
        if e.key == "RootMStack"
            && self.name.kind.has_exec_context()
            && self.name.kind.section() == Some(section)
        {
            if !self.profile.root_mstack {
                self.unknown_key(file, e);
                return Ok(());
            }
            self.root_mstack = !e.value.is_empty();
            self.m.reset_note("RootMStack", Some(self.origin(file, e)));
            return Ok(());
        }
        match self.profile.directives.status(section, &e.key) {
            KeyStatus::Known => {}
            KeyStatus::Retired => {
                self.removed_key(file, e);
                return Ok(());
            }
            KeyStatus::Unknown => {
                if !e.key.starts_with("X-") {
                    self.unknown_key(file, e);
                }
                return Ok(());
            }
        }
        if section == "Install" {
            return Ok(());
        }
        if section == "Unit" {
            self.unit_key(file, e);
            return Ok(());
        }
        // The type's own section: the keys that decide whether the unit loads, the users and
        // groups, then the settings the assessment reads.
        self.type_key(file, e)?;
        match e.key.as_str() {
            "Group" => {
                let g = self.user_group(e)?;
                self.group = g.is_some();
                return Ok(());
            }
            "PAMName" => self.pam_name = !e.value.is_empty(),
            "SocketUser" | "SocketGroup" => return self.user_group(e).map(|_| ()),
            _ => {}
        }
        let Some(setting) = setting_name(&e.key) else {
            return Ok(());
        };
        self.setting(setting, file, e)
    }
}

#[cfg(test)]
pub(super) mod testing {
    //! Each test is a unit that an earlier version of the loader got wrong, with the values
    //! systemd-analyze 252.38 (`--offline=yes`) prints for it.

    use crate::{FileInput, Options, UnitReport, analyze_unit};

    pub(super) fn run(name: &str, files: &[&str]) -> UnitReport {
        let inputs: Vec<FileInput<'_>> = files.iter().map(|t| FileInput::whole(None, t)).collect();
        // The values below are systemd 252's, checked with its systemd-analyze.
        analyze_unit(name, &inputs, &Options::for_version(crate::Version::V252))
            .expect("valid unit name")
    }

    /// (set, exposure) of a row, as systemd's JSON has them.
    pub(super) fn row(r: &UnitReport, field: &str) -> (Option<bool>, Option<String>) {
        let row = r
            .rows
            .iter()
            .find(|x| x.json_field == field)
            .expect("row exists");
        (row.set, row.exposure.map(|e| e.to_string()))
    }

    pub(super) fn pass(r: &UnitReport, field: &str) {
        assert_eq!(row(r, field), (Some(true), None), "{field} should pass");
    }

    pub(super) fn fail(r: &UnitReport, field: &str, exposure: &str) {
        assert_eq!(
            row(r, field),
            (Some(false), Some(exposure.into())),
            "{field} should fail"
        );
    }

    pub(super) const START: &str = "[Service]\nExecStart=/bin/true\n";

    /// A service that starts `/bin/true`, with `extra` lines after `ExecStart=`, loaded.
    pub(super) fn service(extra: &str) -> UnitReport {
        run("a.service", &[&format!("{START}{extra}")])
    }
}

#[cfg(test)]
mod tests {
    use super::testing::*;

    #[test]
    fn a_fatal_line_in_a_dropin_only_ends_that_dropin() {
        let r = run(
            "a.service",
            &[
                START,
                "[Service]\nPrivateNetwork=yes\nUser=a/b\nPrivateTmp=yes\n",
            ],
        );
        assert!(r.refused.is_none());
        pass(&r, "PrivateNetwork");
        fail(&r, "PrivateTmp", "0.2");
        fail(&r, "UserOrDynamicUser", "0.4");
        assert_eq!(r.exposure.to_string(), "9.1");
        // The same in the unit file makes the unit fail to load.
        assert!(service("User=a/b\n").refused.is_some());
        // So does an unknown specifier in User= (it used to be ignored).
        assert!(service("User=%Q\n").refused.is_some());
        // A path setting that systemd rejects is fatal too; in a drop-in it ends the drop-in.
        assert!(service("RootDirectory=/a/../b\n").refused.is_some());
        let r = run(
            "a.service",
            &[START, "[Service]\nRootDirectory=relative\nPrivateTmp=yes\n"],
        );
        assert!(r.refused.is_none());
        fail(&r, "PrivateTmp", "0.2");
    }

    #[test]
    fn a_line_that_is_not_utf8_clean_is_fatal() {
        // As systemd-analyze 252 reads them ("String is not UTF-8 clean"): the unit file fails
        // to load; U+FFFF stands for invalid bytes, the other noncharacters are refused as such.
        for bad in [
            "Description=a\u{ffff}",
            "  \u{fdd0}",
            "[Serv\u{ffff}ice]",
            "X-Foo=\u{10ffff}",
            "PrivateTmp=yes \\\n\u{fffe}",
        ] {
            let r = service(&format!("{bad}\n"));
            assert_eq!(
                r.refused.as_deref(),
                Some("a line that is not UTF-8 clean"),
                "{bad:?}"
            );
        }
        // U+FFFD is valid UTF-8, and comments are not checked.
        let r = service("Description=a\u{fffd}\n# \u{ffff}\n");
        assert!(r.refused.is_none());
        // In a drop-in the line ends the drop-in.
        let r = run(
            "a.service",
            &[
                START,
                "[Service]\nPrivateNetwork=yes\nX=\u{ffff}\nPrivateTmp=yes\n",
            ],
        );
        assert!(r.refused.is_none());
        pass(&r, "PrivateNetwork");
        fail(&r, "PrivateTmp", "0.2");
        assert!(r.diagnostics.iter().any(|d| d.code == "not-utf8"));
    }

    #[test]
    fn a_broken_header_in_a_dropin_only_ends_that_dropin() {
        let r = run(
            "a.service",
            &[
                START,
                "[Service]\nPrivateTmp=yes\n[Service\nPrivateNetwork=yes\n",
            ],
        );
        assert!(r.refused.is_none());
        pass(&r, "PrivateTmp");
        fail(&r, "PrivateNetwork", "0.5");
        // "[]" is an unknown section, not a broken header.
        let r = service("[]\nPrivateTmp=yes\n[Service]\nPrivateNetwork=yes\n");
        assert!(r.refused.is_none());
        fail(&r, "PrivateTmp", "0.2");
        pass(&r, "PrivateNetwork");
    }

    #[test]
    fn a_lone_carriage_return_ends_a_line() {
        let r = service("User=foo\rPrivateTmp=yes\n");
        pass(&r, "UserOrDynamicUser");
        pass(&r, "PrivateTmp");
        assert_eq!(r.exposure.to_string(), "9.0");
    }

    #[test]
    fn system_manager_specifiers() {
        // %t is /run (an absolute path), %u is root.
        let r = service("RootDirectory=%t/root\nUser=%u\n");
        assert!(r.refused.is_none());
        pass(&r, "RootDirectoryOrRootImage");
        fail(&r, "UserOrDynamicUser", "0.4");
        assert_eq!(r.exposure.to_string(), "9.5");
        // A stray '%' at the end is kept.
        let r = service("User=50%\n");
        pass(&r, "UserOrDynamicUser");
        assert_eq!(r.exposure.to_string(), "9.2");
    }
}
