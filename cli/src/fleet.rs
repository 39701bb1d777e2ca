//! `exposure fleet DIR...`: every unit of many hosts scored, and one view of them all.
//!
//! Each entry of a DIR is a host, named by the entry: a file is that host's `systemctl show`
//! capture (many units, separated by blank lines, as `systemctl show` prints them), a folder
//! holds its unit files. Hosts are scored a few at a time on all cores and their results
//! written as they come (JSON hosts, Prometheus samples) in host-name order; across hosts, only
//! a small summary per unit name is kept (a histogram of scores and a few distinct variants),
//! so memory does not grow with the number of hosts.

use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use exposure_core::checks::REGISTRY;
use exposure_core::{Options, Tenths, UnitReport, Version};
use serde::Serialize;

use crate::render::md_cell;
use crate::{complain, complain_all};

/// Output formats of `exposure fleet`.
#[derive(Copy, Clone, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// One JSON document: per host its units and scores, per unit name the scores across hosts.
    Json,
    /// Prometheus text format for node_exporter's textfile collector.
    Prometheus,
    /// A report to read: worst units, most deviating units, one line per host.
    Markdown,
}

/// What `exposure fleet` was asked.
pub struct Args<'a> {
    pub dirs: &'a [PathBuf],
    pub format: Format,
    pub threshold: u32,
    /// Per-check gauges in the Prometheus output.
    pub checks: bool,
    pub version: Version,
}

/// Host names listed in a unit's summary per distinct variant at most.
const NAMED: usize = 10;
/// Distinct variants (score and per-check results) kept per unit name; hosts of further
/// variants are counted in the histogram and as deviating, not named.
const VARIANTS: usize = 16;
/// Rows of each table of the Markdown report.
const TOP: usize = 20;
/// Per-check results: badness, or N/A (or a check this version has not).
const NA: u16 = u16::MAX;

/// One unit of one host, as the fleet keeps it: no rows, no text.
struct Unit {
    name: String,
    exposure: Tenths,
    /// Per registry index: the badness, or [`NA`].
    badness: Box<[u16]>,
    /// Per registry index: the row's exposure cell in tenths (0 when it passes), for the
    /// per-check gauges; empty unless asked for.
    cells: Box<[u16]>,
}

impl Unit {
    fn of(r: &UnitReport, cells: bool) -> Unit {
        let mut badness = vec![NA; REGISTRY.len()].into_boxed_slice();
        let mut cell = if cells {
            vec![NA; REGISTRY.len()].into_boxed_slice()
        } else {
            Box::default()
        };
        for row in &r.rows {
            if let Some(b) = row.detail.badness {
                badness[row.detail.check] = u16::try_from(b).unwrap_or(NA - 1);
                if cells {
                    cell[row.detail.check] = row.exposure.map_or(0, |t| t.0 as u16);
                }
            }
        }
        Unit {
            name: r.unit.clone(),
            exposure: r.exposure,
            badness,
            cells: cell,
        }
    }
}

/// One host, scored.
struct Host {
    name: String,
    /// "systemctl show" or "unit files".
    input: &'static str,
    units: Vec<Unit>,
    refused: Vec<(String, String)>,
    /// Messages of inputs that could not be read (the whole host, or some of its files).
    unreadable: Vec<String>,
    errors: usize,
    warnings: usize,
}

impl Host {
    fn worst(&self) -> Option<&Unit> {
        // The first of the highest, in the host's order.
        self.units.iter().rev().max_by_key(|u| u.exposure)
    }
    fn above(&self, threshold: u32) -> impl Iterator<Item = &Unit> {
        self.units.iter().filter(move |u| u.exposure.0 > threshold)
    }
}

/// The hosts of the DIRs: their entries in name order (hidden ones left out), DIR by DIR.
fn hosts(dirs: &[PathBuf]) -> Result<Vec<PathBuf>, String> {
    let mut out = Vec::new();
    for d in dirs {
        let rd = std::fs::read_dir(d).map_err(|e| format!("{}: {e}", d.display()))?;
        let mut names: Vec<PathBuf> = rd
            .filter_map(Result::ok)
            .filter(|e| !e.file_name().to_string_lossy().starts_with('.'))
            .map(|e| e.path())
            .collect();
        names.sort();
        out.extend(names);
    }
    Ok(out)
}

/// Scores one host: a `systemctl show` capture (any text the CLI reads) or a folder of unit
/// files.
fn score_host(path: &Path, opts: &Options, cells: bool) -> Host {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string());
    let folder = path.is_dir();
    let mut host = Host {
        name,
        input: if folder {
            "unit files"
        } else {
            "systemctl show"
        },
        units: Vec::new(),
        refused: Vec::new(),
        unreadable: Vec::new(),
        errors: 0,
        warnings: 0,
    };
    let add = |host: &mut Host, r: UnitReport| {
        for d in &r.diagnostics {
            match d.severity {
                exposure_core::Severity::Error => host.errors += 1,
                exposure_core::Severity::Warning => host.warnings += 1,
                _ => {}
            }
        }
        match &r.refused {
            Some(why) => host.refused.push((r.unit.clone(), why.clone())),
            None => host.units.push(Unit::of(&r, cells)),
        }
    };
    if folder {
        let mut warnings = Vec::new();
        let files = crate::walk::service_files(path, &mut warnings);
        host.unreadable.extend(warnings);
        if files.is_empty() {
            host.unreadable.push(format!(
                "{}: no service unit file (*.service) in this folder or below",
                path.display()
            ));
        }
        let opts = Options {
            kind: None,
            ..opts.clone()
        };
        for f in files {
            match crate::assess_path(&f, &opts, true, true) {
                Ok(list) => list.into_iter().for_each(|a| add(&mut host, a.report)),
                Err(msgs) => host.unreadable.extend(msgs),
            }
        }
        return host;
    }
    let mut warnings = Vec::new();
    let text = match crate::files::read_file(path, &mut warnings) {
        Ok(t) => t,
        Err(e) => {
            host.unreadable.push(e.0);
            return host;
        }
    };
    host.unreadable.extend(warnings);
    let a = exposure_core::analyze(&text, opts);
    if a.units.is_empty() {
        let why = a
            .diagnostics
            .first()
            .map_or("no unit found", |d| &d.message);
        host.unreadable.push(format!("{}: {why}", path.display()));
    }
    for d in &a.diagnostics {
        if d.severity == exposure_core::Severity::Error {
            host.errors += 1;
        }
    }
    for r in a.units {
        add(&mut host, r);
    }
    host
}

/// A distinct result of one unit name: its score and per-check badness, how many hosts have
/// it and the first few of them.
struct Variant {
    exposure: Tenths,
    badness: Box<[u16]>,
    count: u32,
    hosts: Vec<String>,
}

/// One unit name across the fleet.
#[derive(Default)]
struct Across {
    hist: Vec<u32>,
    hosts: u32,
    variants: Vec<Variant>,
}

impl Across {
    fn add(&mut self, host: &str, u: &Unit) {
        if self.hist.is_empty() {
            self.hist = vec![0; 101];
        }
        self.hist[(u.exposure.0 as usize).min(100)] += 1;
        self.hosts += 1;
        if let Some(v) = self
            .variants
            .iter_mut()
            .find(|v| v.exposure == u.exposure && v.badness == u.badness)
        {
            v.count += 1;
            if v.hosts.len() < NAMED {
                v.hosts.push(host.to_owned());
            }
        } else if self.variants.len() < VARIANTS {
            self.variants.push(Variant {
                exposure: u.exposure,
                badness: u.badness.clone(),
                count: 1,
                hosts: vec![host.to_owned()],
            });
        }
    }

    fn scores(&self) -> impl Iterator<Item = (Tenths, u32)> + '_ {
        self.hist
            .iter()
            .enumerate()
            .filter(|(_, n)| **n > 0)
            .map(|(s, n)| (Tenths(s as u32), *n))
    }
    fn min(&self) -> Tenths {
        self.scores().next().map_or(Tenths(0), |(s, _)| s)
    }
    fn max(&self) -> Tenths {
        self.scores().last().map_or(Tenths(0), |(s, _)| s)
    }
    /// The lower median.
    fn median(&self) -> Tenths {
        let mid = (self.hosts.saturating_sub(1)) / 2;
        let mut seen = 0;
        for (s, n) in self.scores() {
            seen += n;
            if seen > mid {
                return s;
            }
        }
        Tenths(0)
    }
    /// The most common score (the lower one of a tie).
    fn mode(&self) -> Tenths {
        let mut best = (Tenths(0), 0);
        for (s, n) in self.scores() {
            if n > best.1 {
                best = (s, n);
            }
        }
        best.0
    }
    fn deviating(&self) -> u32 {
        self.hosts - self.hist[self.mode().0 as usize]
    }

    fn doc<'a>(&'a self, unit: &'a str) -> UnitDoc<'a> {
        let mode = self.mode();
        // What the deviating hosts are compared with: the most common variant of that score.
        let reference = self
            .variants
            .iter()
            .filter(|v| v.exposure == mode)
            .max_by_key(|v| v.count);
        let mut named = 0usize;
        let variants: Vec<DeviationDoc<'a>> = self
            .variants
            .iter()
            .filter(|v| v.exposure != mode)
            .map(|v| {
                named += v.hosts.len();
                DeviationDoc {
                    exposure: v.exposure.as_f64(),
                    hosts: v.count,
                    examples: &v.hosts,
                    checks: reference.map_or_else(Vec::new, |r| differing(&r.badness, &v.badness)),
                }
            })
            .collect();
        UnitDoc {
            unit,
            hosts: self.hosts,
            min: self.min().as_f64(),
            median: self.median().as_f64(),
            max: self.max().as_f64(),
            most_common: mode.as_f64(),
            deviating_hosts: self.deviating(),
            deviations: variants,
        }
    }
}

/// The checks (json_field) whose results differ between two variants.
fn differing(a: &[u16], b: &[u16]) -> Vec<&'static str> {
    a.iter()
        .zip(b)
        .enumerate()
        .filter(|(_, (x, y))| x != y)
        .map(|(i, _)| REGISTRY[i].json_field)
        .collect()
}

#[derive(Serialize)]
struct UnitDoc<'a> {
    unit: &'a str,
    hosts: u32,
    min: f64,
    median: f64,
    max: f64,
    most_common: f64,
    deviating_hosts: u32,
    /// Per distinct result with another score: how many hosts, the first few, and the checks
    /// that differ from the most common result.
    deviations: Vec<DeviationDoc<'a>>,
}

#[derive(Serialize)]
struct DeviationDoc<'a> {
    exposure: f64,
    hosts: u32,
    examples: &'a [String],
    checks: Vec<&'static str>,
}

#[derive(Serialize)]
struct HostDoc<'a> {
    host: &'a str,
    input: &'static str,
    units: Vec<HostUnitDoc<'a>>,
    worst: Option<HostUnitDoc<'a>>,
    above_threshold: Vec<&'a str>,
    refused: Vec<RefusedDoc<'a>>,
    unreadable: &'a [String],
    diagnostics: Counts,
}

#[derive(Serialize)]
struct HostUnitDoc<'a> {
    unit: &'a str,
    exposure: f64,
    predicate: String,
}

impl<'a> HostUnitDoc<'a> {
    fn of(u: &'a Unit) -> Self {
        HostUnitDoc {
            unit: &u.name,
            exposure: u.exposure.as_f64(),
            predicate: exposure_core::Predicate::of(u.exposure).to_string(),
        }
    }
}

#[derive(Serialize)]
struct RefusedDoc<'a> {
    unit: &'a str,
    reason: &'a str,
}

#[derive(Serialize, Default, Clone, Copy)]
struct Counts {
    error: usize,
    warning: usize,
}

#[derive(Serialize)]
struct Summary {
    hosts: usize,
    units: usize,
    unit_names: usize,
    refused: usize,
    unreadable_hosts: usize,
    threshold: f64,
    above_threshold: usize,
    worst: Option<WorstDoc>,
}

#[derive(Serialize, Clone)]
struct WorstDoc {
    host: String,
    unit: String,
    exposure: f64,
}

/// A host's line in the Markdown report, and its per-host Prometheus samples: small, kept.
struct HostLine {
    name: String,
    units: usize,
    worst: Option<(String, Tenths)>,
    above: usize,
    refused: usize,
    unreadable: bool,
}

/// A per-host Prometheus family: its name, its help and the value of a host's line.
type Family = (&'static str, &'static str, fn(&HostLine) -> String);

/// Everything kept across hosts.
struct Fleet {
    threshold: u32,
    units: HashMap<String, Across>,
    lines: Vec<HostLine>,
    total_units: usize,
    refused: usize,
    above: usize,
    worst: Option<(String, String, Tenths)>,
}

impl Fleet {
    fn add(&mut self, h: &Host) {
        for u in &h.units {
            match self.units.get_mut(&u.name) {
                Some(a) => a.add(&h.name, u),
                None => {
                    let mut a = Across::default();
                    a.add(&h.name, u);
                    self.units.insert(u.name.clone(), a);
                }
            }
        }
        let worst = h.worst();
        if let Some(w) = worst
            && self.worst.as_ref().is_none_or(|(_, _, e)| w.exposure > *e)
        {
            self.worst = Some((h.name.clone(), w.name.clone(), w.exposure));
        }
        let above = h.above(self.threshold).count();
        self.total_units += h.units.len();
        self.refused += h.refused.len();
        self.above += above;
        self.lines.push(HostLine {
            name: h.name.clone(),
            units: h.units.len(),
            worst: worst.map(|w| (w.name.clone(), w.exposure)),
            above,
            refused: h.refused.len(),
            unreadable: h.units.is_empty() && !h.unreadable.is_empty(),
        });
    }

    /// Unit names, the worst first (highest maximum, then highest median, then name).
    fn by_worst(&self) -> Vec<(&String, &Across)> {
        let mut v: Vec<_> = self
            .units
            .iter()
            .map(|(n, a)| (std::cmp::Reverse((a.max(), a.median())), n, a))
            .collect();
        v.sort_unstable_by(|x, y| (&x.0, x.1).cmp(&(&y.0, y.1)));
        v.into_iter().map(|(_, n, a)| (n, a)).collect()
    }

    fn summary(&self) -> Summary {
        Summary {
            hosts: self.lines.len(),
            units: self.total_units,
            unit_names: self.units.len(),
            refused: self.refused,
            unreadable_hosts: self.lines.iter().filter(|l| l.unreadable).count(),
            threshold: f64::from(self.threshold) / 10.0,
            above_threshold: self.above,
            worst: self.worst.as_ref().map(|(h, u, e)| WorstDoc {
                host: h.clone(),
                unit: u.clone(),
                exposure: e.as_f64(),
            }),
        }
    }
}

/// A Prometheus label value: backslash, double quote and newline escaped.
fn label(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            c => out.push(c),
        }
    }
    out
}

/// The writer of one format, fed host by host, then finished with what was kept.
struct Output<W: Write> {
    w: W,
    format: Format,
    checks: bool,
    version: Version,
    first_host: bool,
    /// The per-check samples (`--checks`), spilled to a file while the scores stream: a
    /// Prometheus metric's samples must be one group.
    spill: Option<(PathBuf, std::io::BufWriter<std::fs::File>)>,
}

impl<W: Write> Output<W> {
    fn start(&mut self) -> std::io::Result<()> {
        match self.format {
            Format::Json => {
                let head = crate::render::json_text(&Head {
                    schema_version: 1,
                    tool: "exposure fleet",
                    version: env!("CARGO_PKG_VERSION"),
                    systemd_version: self.version.as_str(),
                });
                // Reopen the object to append the streamed fields.
                let head = head.strip_suffix("\n}").unwrap_or(&head);
                write!(self.w, "{head},\n  \"hosts\": [")
            }
            Format::Prometheus => {
                writeln!(
                    self.w,
                    "# HELP exposure_score The unit's overall exposure as systemd-analyze security \
                     {} scores it (0.0 best, 10.0 worst).\n# TYPE exposure_score gauge",
                    self.version.as_str()
                )?;
                if self.checks {
                    let path = std::env::temp_dir()
                        .join(format!("exposure-fleet-{}.prom", std::process::id()));
                    let f = std::fs::File::create(&path)?;
                    let mut bw = std::io::BufWriter::new(f);
                    writeln!(
                        bw,
                        "# HELP exposure_check_exposure What one check adds to the unit's \
                         exposure (0.0 when it passes; N/A checks left out).\n# TYPE \
                         exposure_check_exposure gauge"
                    )?;
                    self.spill = Some((path, bw));
                }
                Ok(())
            }
            Format::Markdown => Ok(()),
        }
    }

    fn host(&mut self, h: &Host, threshold: u32) -> std::io::Result<()> {
        match self.format {
            Format::Json => {
                let doc = HostDoc {
                    host: &h.name,
                    input: h.input,
                    units: h.units.iter().map(HostUnitDoc::of).collect(),
                    worst: h.worst().map(HostUnitDoc::of),
                    above_threshold: h.above(threshold).map(|u| u.name.as_str()).collect(),
                    refused: h
                        .refused
                        .iter()
                        .map(|(u, r)| RefusedDoc { unit: u, reason: r })
                        .collect(),
                    unreadable: &h.unreadable,
                    diagnostics: Counts {
                        error: h.errors,
                        warning: h.warnings,
                    },
                };
                let text = crate::render::json_text_at(&doc, 2);
                let sep = if self.first_host { "" } else { "," };
                self.first_host = false;
                write!(self.w, "{sep}\n    {text}")
            }
            Format::Prometheus => {
                let host = label(&h.name);
                for u in &h.units {
                    writeln!(
                        self.w,
                        "exposure_score{{host=\"{host}\",unit=\"{}\"}} {}",
                        label(&u.name),
                        u.exposure
                    )?;
                }
                if let Some((_, f)) = &mut self.spill {
                    for u in &h.units {
                        let unit = label(&u.name);
                        for (i, c) in u.cells.iter().enumerate() {
                            if *c != NA {
                                writeln!(
                                    f,
                                    "exposure_check_exposure{{host=\"{host}\",unit=\"{unit}\",\
                                     check=\"{}\"}} {}",
                                    REGISTRY[i].json_field,
                                    Tenths(u32::from(*c))
                                )?;
                            }
                        }
                    }
                }
                Ok(())
            }
            Format::Markdown => Ok(()),
        }
    }

    fn finish(mut self, fleet: &Fleet) -> std::io::Result<()> {
        match self.format {
            Format::Json => {
                if !self.first_host {
                    write!(self.w, "\n  ")?;
                }
                write!(self.w, "],\n  \"units\": [")?;
                for (i, (name, a)) in fleet.by_worst().into_iter().enumerate() {
                    let sep = if i > 0 { "," } else { "" };
                    let text = crate::render::json_text_at(&a.doc(name), 2);
                    write!(self.w, "{sep}\n    {text}")?;
                }
                if !fleet.units.is_empty() {
                    write!(self.w, "\n  ")?;
                }
                let summary = crate::render::json_text_at(&fleet.summary(), 1);
                writeln!(self.w, "],\n  \"summary\": {summary}\n}}")?;
            }
            Format::Prometheus => {
                let families: [Family; 3] = [
                    ("exposure_host_units", "Units scored on the host.", |l| {
                        l.units.to_string()
                    }),
                    (
                        "exposure_host_worst_score",
                        "The highest exposure of the host's units.",
                        |l| l.worst.as_ref().map_or(String::new(), |w| w.1.to_string()),
                    ),
                    (
                        "exposure_host_above_threshold",
                        "Units above the --threshold on the host.",
                        |l| l.above.to_string(),
                    ),
                ];
                for (name, help, value) in families {
                    writeln!(self.w, "# HELP {name} {help}\n# TYPE {name} gauge")?;
                    for l in &fleet.lines {
                        let v = value(l);
                        if !v.is_empty() {
                            writeln!(self.w, "{name}{{host=\"{}\"}} {v}", label(&l.name))?;
                        }
                    }
                }
                if let Some((path, f)) = self.spill.take() {
                    let copied = f
                        .into_inner()
                        .map_err(|e| e.into_error())
                        .and_then(|_| std::fs::File::open(&path))
                        .and_then(|mut f| std::io::copy(&mut f, &mut self.w));
                    let _ = std::fs::remove_file(&path);
                    copied?;
                }
            }
            Format::Markdown => self.markdown(fleet)?,
        }
        self.w.flush()
    }

    fn markdown(&mut self, fleet: &Fleet) -> std::io::Result<()> {
        let w = &mut self.w;
        let s = fleet.summary();
        writeln!(
            w,
            "# Fleet exposure\n\n{} hosts, {} units ({} unit names), scored as systemd-analyze \
             security {}; {} above the threshold {}.\n",
            s.hosts,
            s.units,
            s.unit_names,
            self.version.as_str(),
            s.above_threshold,
            Tenths((s.threshold * 10.0) as u32)
        )?;
        writeln!(
            w,
            "## Worst units\n\n| unit | max | median | min | hosts |\n| --- | ---: | ---: | ---: | ---: |"
        )?;
        for (name, a) in fleet.by_worst().into_iter().take(TOP) {
            writeln!(
                w,
                "| {} | {} | {} | {} | {} |",
                md_cell(name),
                a.max(),
                a.median(),
                a.min(),
                a.hosts
            )?;
        }
        writeln!(
            w,
            "\n## Most deviating units\n\nHosts whose score differs from the most common one, \
             and the checks that make the difference.\n\n| unit | most common | deviating hosts \
             | examples |\n| --- | ---: | ---: | --- |"
        )?;
        let mut deviating: Vec<_> = fleet
            .units
            .iter()
            .filter(|(_, a)| a.deviating() > 0)
            .collect();
        deviating.sort_by(|(na, a), (nb, b)| b.deviating().cmp(&a.deviating()).then(na.cmp(nb)));
        if deviating.is_empty() {
            writeln!(
                w,
                "| (none: every unit scores the same on every host) | | | |"
            )?;
        }
        for (name, a) in deviating.into_iter().take(TOP) {
            let doc = a.doc(name);
            let examples: Vec<String> = doc
                .deviations
                .iter()
                .map(|d| {
                    let hosts: Vec<String> =
                        d.examples.iter().take(3).map(|h| md_cell(h)).collect();
                    let more = d.hosts as usize - hosts.len();
                    let more = if more > 0 {
                        format!(" +{more}")
                    } else {
                        String::new()
                    };
                    let checks = if d.checks.is_empty() {
                        String::new()
                    } else {
                        format!(": {}", d.checks.join(", "))
                    };
                    format!(
                        "{} on {}{more}{checks}",
                        Tenths((d.exposure * 10.0).round() as u32),
                        hosts.join(", ")
                    )
                })
                .collect();
            writeln!(
                w,
                "| {} | {} | {} | {} |",
                md_cell(name),
                a.mode(),
                a.deviating(),
                examples.join("; ")
            )?;
        }
        writeln!(
            w,
            "\n## Hosts\n\n| host | units | worst unit | worst | above threshold | refused |\n| --- | \
             ---: | --- | ---: | ---: | ---: |"
        )?;
        for l in &fleet.lines {
            let (wu, ws) = match &l.worst {
                Some((u, e)) => (md_cell(u), e.to_string()),
                None if l.unreadable => ("(not read)".to_owned(), String::new()),
                None => (String::new(), String::new()),
            };
            writeln!(
                w,
                "| {} | {} | {wu} | {ws} | {} | {} |",
                md_cell(&l.name),
                l.units,
                l.above,
                l.refused
            )?;
        }
        Ok(())
    }
}

#[derive(Serialize)]
struct Head {
    schema_version: u32,
    tool: &'static str,
    version: &'static str,
    systemd_version: &'static str,
}

/// `exposure fleet`.
pub fn run(a: &Args<'_>) -> ExitCode {
    let paths = match hosts(a.dirs) {
        Ok(p) => p,
        Err(e) => {
            complain(&e);
            return ExitCode::from(2);
        }
    };
    if paths.is_empty() {
        complain("no host in the folders given (one capture file or unit folder per host)");
        return ExitCode::from(2);
    }
    // A file is a host's `systemctl show` capture; a folder's unit files are read offline.
    let opts = Options {
        version: a.version,
        kind: Some(exposure_core::InputKind::SystemctlShow),
        ..Options::default()
    };
    let mut fleet = Fleet {
        threshold: a.threshold,
        units: HashMap::new(),
        lines: Vec::new(),
        total_units: 0,
        refused: 0,
        above: 0,
        worst: None,
    };
    let stdout = std::io::stdout().lock();
    let mut out = Output {
        w: std::io::BufWriter::with_capacity(1 << 16, stdout),
        format: a.format,
        checks: a.checks && a.format == Format::Prometheus,
        version: a.version,
        first_host: true,
        spill: None,
    };
    let cells = out.checks;
    let written = (|| -> std::io::Result<()> {
        out.start()?;
        // A few hosts per thread at a time: what is held is bounded by the batch.
        let batch = crate::par::cores() * 4;
        for chunk in paths.chunks(batch) {
            let scored = crate::par::map(chunk, |p| score_host(p, &opts, cells));
            for h in &scored {
                complain_all(&h.unreadable);
                out.host(h, a.threshold)?;
                fleet.add(h);
            }
        }
        Ok(())
    })();
    let finished = written.and_then(|()| out.finish(&fleet));
    if let Err(e) = finished {
        if e.kind() != std::io::ErrorKind::BrokenPipe {
            complain(&format!("cannot write the report: {e}"));
        }
        return ExitCode::FAILURE;
    }
    let unreadable = fleet.lines.iter().filter(|l| l.unreadable).count();
    if fleet.above > 0 {
        complain(&format!(
            "{} unit{} above the threshold {}",
            fleet.above,
            if fleet.above == 1 { "" } else { "s" },
            Tenths(a.threshold)
        ));
    }
    if unreadable > 0 || fleet.above > 0 {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}
