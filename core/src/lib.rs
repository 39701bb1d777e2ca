//! Exposure core: a pure function pipeline `parse → model → assess → report`.
//!
//! Nothing here does IO, reads a clock or knows about the DOM. Parsing never fails: every
//! stage returns what it could make of its input plus [`Diagnostic`]s. A score is a pure
//! function of the model, the policy and the systemd [`Version`].
//!
//! Entry points: [`analyze`] for pasted text (a unit file, `systemctl cat` or `systemctl show`
//! output) and [`analyze_unit`] for a unit and its drop-ins given as separate files.

pub mod advise;
pub mod checks;
pub mod diag;
pub mod document;
pub mod exercise;
pub mod input;
pub mod learn;
pub mod link;
pub mod load;
pub mod model;
pub mod online;
pub mod order;
pub mod policy;
pub mod report;
pub mod scan;
pub mod score;
pub mod show;
pub mod stepwise;
pub mod syntax;
pub mod syscalls;
pub mod tables;
pub mod unit;
pub mod version;

pub use diag::{Diagnostic, Severity, Span, printable};
pub use input::InputKind;
pub use model::Mode;
pub use policy::Policy;
pub use report::{Predicate, Row, Tenths, UnitReport};
pub use version::Version;

use unit::{UnitName, UnitType};

/// How to read and score the input.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Force the input kind instead of detecting it.
    pub kind: Option<InputKind>,
    /// The unit name to assess a single pasted unit file under (default: `unit.service`, or
    /// the type its sections suggest).
    pub unit_name: Option<String>,
    pub version: Version,
    pub policy: Option<Policy>,
    /// Assess units of the per-user service manager, as `systemd-analyze --user` does (K10).
    pub user: bool,
}

impl Options {
    /// The default options, scoring as `version`.
    pub fn for_version(version: Version) -> Options {
        Options {
            version,
            ..Options::default()
        }
    }
}

/// The largest input analyzed: 16 MiB. A paste, or a unit's files together, over it is
/// refused with an `input-too-large` diagnostic instead of analyzed. Real inputs are far
/// smaller (`systemctl show --all` of every unit of a system is a few MiB), while analysis
/// runs at about 3 to 10 MiB/s natively and long lists can take tens of times the input in
/// memory (`core/benches/limits.rs`), so the limit keeps a stray paste from stalling the page
/// or exhausting its memory.
pub const MAX_INPUT_BYTES: usize = 16 << 20;

/// A size in MiB with one decimal, rounded to nearest (`10.0`, `16.5`). Integer arithmetic:
/// formatting a float would pull several KiB of float-printing code into the page's bundle.
pub fn format_mib(bytes: usize) -> String {
    const MIB: u64 = 1 << 20;
    let tenths = (bytes as u64 * 10 + MIB / 2) / MIB;
    format!("{}.{}", tenths / 10, tenths % 10)
}

/// A byte count with thousands separators: `16,777,300`.
pub fn format_bytes(bytes: u64) -> String {
    let digits = bytes.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, d) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(d);
    }
    out
}

/// A size as people read it, exact too: `16.0 MiB (16,777,300 bytes)`. Near the limit the
/// rounded size alone would read as if it were within it.
pub fn format_size(bytes: u64) -> String {
    format!(
        "{} MiB ({} bytes)",
        format_mib(usize::try_from(bytes).unwrap_or(usize::MAX)),
        format_bytes(bytes)
    )
}

/// Why `len` bytes are refused: `16.0 MiB (16,777,300 bytes) is over the 16 MiB limit`.
pub fn over_limit(len: u64) -> String {
    format!(
        "{} is over the {} MiB limit",
        format_size(len),
        MAX_INPUT_BYTES >> 20
    )
}

fn too_large(len: usize) -> Diagnostic {
    Diagnostic::new(
        Severity::Error,
        "input-too-large",
        format!("The input is not analyzed: {}", over_limit(len as u64)),
    )
    .with_help("paste the units one at a time (systemctl cat UNIT or systemctl show UNIT)")
}

/// Everything known about one paste.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Analysis {
    pub kind: InputKind,
    pub units: Vec<UnitReport>,
    /// Problems of the input as a whole (e.g. text before the first `systemctl cat` header, a
    /// policy systemd would abort on).
    pub diagnostics: Vec<Diagnostic>,
}

impl Analysis {
    /// Appends the [`analyze_part`] of the units that follow this one's: their units, then
    /// their diagnostics.
    pub fn append(&mut self, later: Analysis) {
        self.units.extend(later.units);
        self.diagnostics.extend(later.diagnostics);
    }
}

/// Analyzes pasted text. Text over [`MAX_INPUT_BYTES`] is refused with a diagnostic.
pub fn analyze(text: &str, opts: &Options) -> Analysis {
    analyze_part(text, opts, 0..usize::MAX)
}

/// How many units [`analyze_part`] can take a paste's analysis apart into: the units of a unit
/// file, `systemctl cat` or `systemctl show` paste (0 for text over [`MAX_INPUT_BYTES`]).
/// Linear in the text and much cheaper than analyzing it.
pub fn unit_count(text: &str, opts: &Options) -> usize {
    if text.len() > MAX_INPUT_BYTES {
        return 0;
    }
    match opts.kind.unwrap_or_else(|| input::detect(text)) {
        InputKind::UnitFile => 1,
        InputKind::SystemctlCat => input::split_cat(text).0.len(),
        InputKind::SystemctlShow => show::parse(text).units.len(),
    }
}

/// The part of [`analyze`]'s result that concerns the units at positions `units` of the paste
/// (in paste order; see [`unit_count`]), and the diagnostics of the paste as a whole with the
/// part that starts at unit 0 (so the first part must not be empty). Appending the parts of
/// consecutive ranges — their units, then their diagnostics, in order — gives exactly what
/// `analyze` gives: a caller that must not block for long (the page, with megabytes pasted)
/// analyzes a long paste a few units at a time.
pub fn analyze_part(text: &str, opts: &Options, units: std::ops::Range<usize>) -> Analysis {
    let whole = units.start == 0;
    if text.len() > MAX_INPUT_BYTES {
        // Refused at once: the kind is told from the first 64 KiB only.
        let head = &text[..text.floor_char_boundary(64 << 10)];
        return Analysis {
            kind: opts.kind.unwrap_or_else(|| input::detect(head)),
            units: Vec::new(),
            diagnostics: if whole {
                vec![too_large(text.len())]
            } else {
                Vec::new()
            },
        };
    }
    let kind = opts.kind.unwrap_or_else(|| input::detect(text));
    let mut analysis = Analysis {
        kind,
        units: Vec::new(),
        diagnostics: Vec::new(),
    };
    let wanted = |i: &usize| units.contains(i);
    match kind {
        InputKind::UnitFile | InputKind::SystemctlCat => {
            let (units, outside) = paste_units(text, kind, opts);
            if whole {
                analysis.diagnostics.extend(outside);
            }
            for (i, (name, files)) in units.into_iter().enumerate() {
                if wanted(&i) {
                    push(&mut analysis, analyze_files(&name, &files, opts));
                }
            }
        }
        InputKind::SystemctlShow => {
            let (units, diagnostics) = online::analyze_show(text, opts, &wanted);
            if whole {
                analysis.diagnostics.extend(diagnostics);
            }
            for u in units {
                push(&mut analysis, u);
            }
        }
    }
    analysis
}

/// The units of a unit-file or `systemctl cat` paste, each as its name and its files (unit
/// file first, then drop-ins), with offsets into the paste. Empty for `systemctl show` input.
pub fn unit_files<'a>(
    text: &'a str,
    kind: InputKind,
    opts: &Options,
) -> Vec<(String, Vec<FileInput<'a>>)> {
    paste_units(text, kind, opts).0
}

/// [`unit_files`], and for a `systemctl cat` paste the warning about text before its first
/// header: both from one pass over the text.
pub(crate) fn paste_units<'a>(
    text: &'a str,
    kind: InputKind,
    opts: &Options,
) -> (Vec<(String, Vec<FileInput<'a>>)>, Option<Diagnostic>) {
    match kind {
        InputKind::UnitFile => {
            let name = opts.unit_name.clone().unwrap_or_else(|| default_name(text));
            let file = FileInput::whole(None, text);
            (vec![(name, vec![file])], None)
        }
        InputKind::SystemctlCat => {
            let (units, outside) = input::split_cat(text);
            let units = units
                .into_iter()
                .map(|u| {
                    let file_name = u.unit.path.rsplit('/').next().unwrap_or(u.unit.path);
                    let dropin_dirs: Vec<&str> = u
                        .dropins
                        .iter()
                        .filter_map(|d| d.path.rsplit('/').nth(1))
                        .collect();
                    let name = cat_unit_name(file_name, &dropin_dirs, opts.unit_name.as_deref());
                    let files = std::iter::once(&u.unit)
                        .chain(&u.dropins)
                        .map(|f| FileInput {
                            path: Some(f.path),
                            text: f.text,
                            offset: f.offset,
                            line_base: f.header_line,
                        })
                        .collect();
                    (name, files)
                })
                .collect();
            let outside = outside.map(|(offset, line)| {
                Diagnostic::new(
                    Severity::Warning,
                    "outside-file",
                    "Text before the first '# /path' header belongs to no file and is ignored",
                )
                .at(
                    None,
                    Span {
                        line,
                        start: offset as u32,
                        end: offset as u32,
                    },
                )
            });
            (units, outside)
        }
        InputKind::SystemctlShow => (Vec::new(), None),
    }
}

/// The name of a unit in `systemctl cat` output. `systemctl cat foo@bar.service` prints the
/// template's path (`# /…/foo@.service`); the instance shows only in the folders of its
/// drop-ins (`# /…/foo@bar.service.d/x.conf`), so it is taken from there, else from the name
/// the caller gives (`--unit`), else the template is assessed as systemd assesses one.
fn cat_unit_name(file_name: &str, dropin_dirs: &[&str], given: Option<&str>) -> String {
    let Some(template) = UnitName::parse(file_name).filter(UnitName::is_template) else {
        return file_name.to_owned();
    };
    dropin_dirs
        .iter()
        .filter_map(|d| d.strip_suffix(".d"))
        .chain(given)
        .find_map(|n| template.instance_named(n))
        .map_or_else(|| file_name.to_owned(), |n| n.full)
}

pub(crate) fn push(a: &mut Analysis, r: Result<UnitReport, Diagnostic>) {
    match r {
        Ok(u) => a.units.push(u),
        Err(d) => a.diagnostics.push(d),
    }
}

/// One file of a unit: the unit file first, then drop-ins in the order systemd applies them.
#[derive(Debug, Clone, Copy)]
pub struct FileInput<'a> {
    /// Where it came from (a path in `systemctl cat` output or on disk), for diagnostics.
    pub path: Option<&'a str>,
    pub text: &'a str,
    /// Byte offset of `text` in the whole input, so spans point into what the user pasted.
    pub offset: usize,
    /// Line number in the whole input of the line before `text`'s first line.
    pub line_base: u32,
}

impl<'a> FileInput<'a> {
    /// A file given whole (not cut from a larger paste): its spans count from its own first
    /// byte and line.
    pub const fn whole(path: Option<&'a str>, text: &'a str) -> Self {
        FileInput {
            path,
            text,
            offset: 0,
            line_base: 0,
        }
    }
}

/// Analyzes a unit given as its unit file plus drop-ins. `name` is the unit's file name; a
/// template (`foo@.service`) is assessed as systemd does, as `foo@i.service`. Files over
/// [`MAX_INPUT_BYTES`] together are refused.
pub fn analyze_unit(
    name: &str,
    files: &[FileInput<'_>],
    opts: &Options,
) -> Result<UnitReport, Diagnostic> {
    check_size(files)?;
    analyze_files(name, files, opts)
}

/// Refuses a unit whose files are over [`MAX_INPUT_BYTES`] together.
pub(crate) fn check_size(files: &[FileInput<'_>]) -> Result<(), Diagnostic> {
    let len = files.iter().map(|f| f.text.len()).sum();
    if len > MAX_INPUT_BYTES {
        return Err(too_large(len));
    }
    Ok(())
}

pub(crate) fn analyze_files(
    name: &str,
    files: &[FileInput<'_>],
    opts: &Options,
) -> Result<UnitReport, Diagnostic> {
    let unit = load_unit_in(name, files, opts.version, opts.user)?;
    report(unit.name, unit.loaded, opts)
}

/// A unit's files parsed, before loading.
pub(crate) struct ParsedUnit {
    /// The name assessed (an instance for a template).
    pub name: UnitName,
    pub files: Vec<syntax::File>,
}

/// A unit's name as given (a template stays one), or why it cannot be assessed: not a unit
/// name, or a version without an offline mode (249), which refuses unit files.
pub(crate) fn unit_name(name: &str, version: Version) -> Result<UnitName, Diagnostic> {
    if let Some(why) = version.unit_files_refused() {
        return Err(Diagnostic::new(Severity::Error, "version-online-only", why));
    }
    UnitName::parse(name).ok_or_else(|| {
        Diagnostic::new(
            Severity::Error,
            "invalid-unit-name",
            format!("{name:?} is not a valid unit name (expected something like foo.service)"),
        )
    })
}

/// What a version does to a file once parsed (262 refuses empty section names).
pub(crate) fn for_version(mut file: syntax::File, version: Version) -> syntax::File {
    if version.profile().empty_section_fatal {
        file.refuse_empty_section_names(version.as_str());
    }
    file
}

/// Parses a unit's name and files for a version.
pub(crate) fn parse_unit(
    name: &str,
    files: &[FileInput<'_>],
    version: Version,
) -> Result<ParsedUnit, Diagnostic> {
    let parsed = unit_name(name, version)?;
    let sections = parsed.kind.sections();
    let files = files
        .iter()
        .map(|f| {
            let file = syntax::parse(
                f.text,
                f.path,
                syntax::Origin {
                    offset: f.offset,
                    line_base: f.line_base,
                },
                Some(sections),
            );
            for_version(file, version)
        })
        .collect();
    Ok(ParsedUnit {
        name: parsed.assessed_as(version.profile().instance),
        files,
    })
}

/// A unit parsed and loaded offline, before scoring.
pub(crate) struct LoadedUnit {
    /// The name assessed (an instance for a template).
    pub name: UnitName,
    pub loaded: load::Loaded,
}

/// Parses a unit's files and loads them as a system unit; an empty unit file is refused as
/// masked.
#[cfg(test)]
pub(crate) fn load_unit(
    name: &str,
    files: &[FileInput<'_>],
    version: Version,
) -> Result<LoadedUnit, Diagnostic> {
    load_unit_in(name, files, version, false)
}

/// [`load_unit`] for the system manager or, with `user`, the per-user one.
pub(crate) fn load_unit_in(
    name: &str,
    files: &[FileInput<'_>],
    version: Version,
    user: bool,
) -> Result<LoadedUnit, Diagnostic> {
    let ParsedUnit { name, files } = parse_unit(name, files, version)?;
    let masked = files.first().is_some_and(|f| f.empty);
    let loaded = load::load(&name, &files, version, user);
    Ok(loaded_unit(name, loaded, masked))
}

/// A unit loaded from its files, refused as masked when its unit file is empty (`masked`).
pub(crate) fn loaded_unit(name: UnitName, mut loaded: load::Loaded, masked: bool) -> LoadedUnit {
    if masked {
        loaded.refused = Some(format!("Unit {} is masked (its file is empty).", name.full));
        loaded.diagnostics.push(Diagnostic::new(
            Severity::Error,
            "masked",
            format!(
                "The unit file is empty, which systemd reads as masked: {} cannot be assessed",
                name.full
            ),
        ));
    }
    LoadedUnit { name, loaded }
}

/// Scores a loaded unit into its report.
pub(crate) fn report(
    name: UnitName,
    loaded: load::Loaded,
    opts: &Options,
) -> Result<UnitReport, Diagnostic> {
    scored(name.full, loaded, opts)
}

/// Scores a unit read offline or online into its report, named `unit`.
pub(crate) fn scored(
    unit: String,
    loaded: load::Loaded,
    opts: &Options,
) -> Result<UnitReport, Diagnostic> {
    let assessment = score::assess(&loaded.model, opts.policy.as_ref(), opts.version)?;
    Ok(UnitReport {
        unit,
        exposure: assessment.exposure,
        predicate: assessment.predicate,
        rows: assessment.rows,
        refused: loaded.refused,
        diagnostics: loaded.diagnostics,
        origins: loaded.model.origins,
    })
}

/// A name for a pasted unit file: `unit.<type>` after the type-specific section it has.
fn default_name(text: &str) -> String {
    let kind = text
        .lines()
        .filter_map(|l| {
            let t = l.trim();
            t.strip_prefix('[')?.strip_suffix(']')
        })
        .find_map(|s| {
            [
                UnitType::Service,
                UnitType::Socket,
                UnitType::Mount,
                UnitType::Swap,
                UnitType::Timer,
                UnitType::Path,
                UnitType::Slice,
                UnitType::Automount,
            ]
            .into_iter()
            .find(|k| k.section() == Some(s))
        })
        .unwrap_or(UnitType::Service);
    format!("unit.{}", kind.suffix())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Analyzes `text` in parts of `step` units and appends them as a caller would.
    fn in_parts(text: &str, opts: &Options, step: usize) -> Analysis {
        let n = unit_count(text, opts);
        let mut all = analyze_part(text, opts, 0..step.min(n.max(1)));
        let mut at = step;
        while at < n {
            all.append(analyze_part(text, opts, at..(at + step).min(n)));
            at += step;
        }
        all
    }

    #[test]
    fn a_paste_analyzed_in_parts_is_the_paste_analyzed_whole() {
        let cat = "stray text\n# /lib/systemd/system/a.service\n[Service]\nExecStart=/x\nBogus=1\n\
            # /etc/systemd/system/a.service.d/o.conf\n[Service]\nPrivateTmp=yes\n\
            # /lib/systemd/system/not-a-name\n[Service]\nExecStart=/y\n\
            # /lib/systemd/system/b@.service\n[Service]\nExecStart=/z %i\n\
            # /lib/systemd/system/c.socket\n[Socket]\nListenStream=80\n\
            # /lib/systemd/system/d.service\n[Service]\n";
        let show = "Id=a.service\nLoadState=loaded\nType=simple\nPrivateTmp=yes\n\n\
            Id=b.service\nLoadState=loaded\nUser=nobody\nbroken line\n\n\
            Id=c.service\nLoadState=masked\n\nId=d.service\nLoadState=loaded\n";
        let unit = "[Service]\nExecStart=/x\nProtectSystem=strict\n";
        // (`not-a-name` is a header without a unit name: its file joins the unit before it.)
        for (text, units) in [(cat, 4), (show, 4), (unit, 1), ("", 1), ("garbage", 1)] {
            let opts = Options::default();
            assert_eq!(unit_count(text, &opts), units, "{text:?}");
            let whole = analyze(text, &opts);
            for step in 1..=units + 1 {
                assert_eq!(
                    in_parts(text, &opts, step),
                    whole,
                    "{text:?} in parts of {step}"
                );
            }
            // A part that starts later has no input-wide diagnostics and only its own units.
            if units > 1 {
                let last = analyze_part(text, &opts, units - 1..units);
                assert!(last.units.len() <= 1);
                assert!(last.diagnostics.iter().all(|d| d.code != "outside-file"));
            }
        }
        // Found by fuzzing (a unit file read as `systemctl show`: its last block holds no
        // property, so its diagnostic belongs to the input as a whole).
        let as_show = Options {
            kind: Some(InputKind::SystemctlShow),
            ..Options::default()
        };
        let unit_as_show = "[Unit]\nDescription=x\n\n[Service]\nExecStart=/x\n\n[Install]\n";
        assert_eq!(unit_count(unit_as_show, &as_show), 2);
        for step in 1..=2 {
            assert_eq!(
                in_parts(unit_as_show, &as_show, step),
                analyze(unit_as_show, &as_show)
            );
        }
        let big = "#".repeat(MAX_INPUT_BYTES + 1);
        assert_eq!(unit_count(&big, &Options::default()), 0);
        assert_eq!(
            in_parts(&big, &Options::default(), 1),
            analyze(&big, &Options::default())
        );
    }

    #[test]
    fn sizes_in_mib_round_to_one_decimal() {
        assert_eq!(format_mib(0), "0.0");
        assert_eq!(format_mib(10 << 20), "10.0");
        assert_eq!(format_mib((16 << 20) + (1 << 19)), "16.5");
        assert_eq!(format_mib((1 << 20) + 52_428), "1.0");
        assert_eq!(format_mib((1 << 20) + 52_429), "1.1");
        assert_eq!(format_bytes(0), "0");
        assert_eq!(format_bytes(999), "999");
        assert_eq!(format_bytes(1000), "1,000");
        assert_eq!(format_bytes(16_777_300), "16,777,300");
        assert_eq!(format_bytes(1 << 30), "1,073,741,824");
        assert_eq!(
            over_limit(16_777_300),
            "16.0 MiB (16,777,300 bytes) is over the 16 MiB limit"
        );
    }

    #[test]
    fn analyzes_a_pasted_unit() {
        // (systemd 252's score: from 254 an unset PrivateMounts= passes.)
        let a = analyze(
            "[Service]\nExecStart=/usr/bin/true\n",
            &Options::for_version(Version::V252),
        );
        assert_eq!(a.kind, InputKind::UnitFile);
        assert_eq!(a.units.len(), 1);
        assert_eq!(a.units[0].unit, "unit.service");
        assert_eq!(a.units[0].exposure.to_string(), "9.6");
        assert!(a.units[0].refused.is_none());
    }

    #[test]
    fn refuses_a_service_without_exec_start() {
        let a = analyze("[Unit]\nDescription=x\n", &Options::default());
        assert!(
            a.units[0]
                .refused
                .as_deref()
                .unwrap()
                .contains("ExecStart=")
        );
    }

    #[test]
    fn garbage_gives_diagnostics_not_panics() {
        let a = analyze("this is not a unit\n\u{0}\\\n[", &Options::default());
        assert_eq!(a.units.len(), 1);
        assert!(!a.units[0].diagnostics.is_empty());
    }

    #[test]
    fn input_over_the_limit_is_refused_with_a_diagnostic() {
        let big = format!("[Service]\nExecStart=/x\n{}", "#".repeat(MAX_INPUT_BYTES));
        let a = analyze(&big, &Options::default());
        assert!(a.units.is_empty());
        assert_eq!(a.diagnostics.len(), 1);
        let d = &a.diagnostics[0];
        assert_eq!((d.severity, d.code), (Severity::Error, "input-too-large"));
        assert_eq!(
            d.message,
            "The input is not analyzed: 16.0 MiB (16,777,239 bytes) is over the 16 MiB limit"
        );
        let f = FileInput::whole(None, &big[..MAX_INPUT_BYTES / 2 + 1]);
        let e = analyze_unit("a.service", &[f, f], &Options::default()).unwrap_err();
        assert_eq!(e.code, "input-too-large");
    }

    #[test]
    fn systemctl_cat_with_two_units() {
        let text = "# /lib/systemd/system/a.service\n[Service]\nExecStart=/x\n\n# /etc/systemd/system/a.service.d/o.conf\n[Service]\nDynamicUser=yes\n\n# /lib/systemd/system/b.service\n[Service]\nExecStart=/y\n";
        let a = analyze(text, &Options::for_version(Version::V252));
        assert_eq!(a.kind, InputKind::SystemctlCat);
        let names: Vec<_> = a.units.iter().map(|u| u.unit.as_str()).collect();
        assert_eq!(names, ["a.service", "b.service"]);
        assert_eq!(a.units[0].exposure.to_string(), "8.4");
        assert_eq!(a.units[1].exposure.to_string(), "9.6");
        // Provenance points into the pasted text.
        let row = a.units[0]
            .rows
            .iter()
            .find(|r| r.json_field == "PrivateTmp")
            .unwrap();
        let first = a.units[0].provenance(row).next().unwrap();
        assert_eq!(first.line, 7);
        assert!(first.implied);
    }
}
