//! `exposure`: the systemd-analyze security score of unit files, without systemd.

mod accept;
mod baseline;
mod diff;
mod document;
mod files;
mod fleet;
mod github;
mod locate;
mod names;
mod outcome;
mod par;
mod render;
mod sarif;
mod stdin_unit;
mod walk;

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{CommandFactory, Parser, Subcommand, ValueEnum};
use exposure_core::version::Evidence;
use exposure_core::{
    Analysis, FileInput, InputKind, Options, Policy, Severity, UnitReport, Version, printable,
};

const EXAMPLES: &str = "\
Examples:
  exposure /lib/systemd/system/nginx.service
      Score a unit file (drop-ins in nginx.service.d/ beside it are applied).
  systemctl cat nginx sshd | exposure -
      Score several units from systemctl cat output, with the summary table.
  systemctl show nginx | exposure --mode online -
      Score a running unit from its properties, as online systemd-analyze does.
  exposure --threshold 50 --format sarif units/ > exposure.sarif
      Fail CI when a unit under units/ scores above 5.0; write results for code scanning.
  exposure --format github --fail-on warning --accept accepted-risks.json units/
      Annotate a pull request in GitHub Actions; fail on misread lines too.
  exposure --write-baseline exposure-baseline.json units/
  exposure --baseline exposure-baseline.json units/
      Record the units' state once (commit the file); then fail only on what got worse.
  exposure diff old/units/ units/ >> \"$GITHUB_STEP_SUMMARY\"
      Before → after for a pull request: scores, changed checks, what they may break.
  exposure suggest --tier strict /etc/systemd/system/myapp.service
      Print a hardening drop-in for systemctl edit, with the score it reaches.
  exposure explain PrivateTmp
      Explain a check.

Exit status:
  0  every unit was assessed, none scored above the threshold, and no diagnostic is at the
     level --fail-on names (with --baseline: nothing regressed)
  1  a unit scored above the threshold (each is named), could not be read, loaded or
     assessed, or a diagnostic is at the --fail-on level (with --baseline: a regression)
  2  invalid command line";

#[derive(Parser, Debug)]
#[command(
    name = "exposure",
    version,
    about = "Score systemd units like `systemd-analyze security`, from files, without systemd",
    after_help = EXAMPLES,
    args_conflicts_with_subcommands = true
)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
    /// The systemd whose `systemd-analyze security` to score as: 249, 252, 252-rhel, 254, 255,
    /// 256, 257, 258, 259, 260, 261, 262, a distribution (debian-12, debian-13, ubuntu-22.04,
    /// ubuntu-24.04, rhel-9, rhel-10, fedora-42, sid, …), or `all` to print the score under
    /// every version side by side. Default: 257 (Debian 13).
    #[arg(long, value_name = "VERSION", global = true)]
    systemd_version: Option<String>,
    /// The address of the Exposure page that `explain` and SARIF rules link to: each check and
    /// option as URL#learn/NAME, an entry of its Learn view (default: $EXPOSURE_LEARN_URL;
    /// without either, SARIF links the man page).
    #[arg(long, value_name = "URL", global = true)]
    learn_url: Option<String>,
    /// Unit files, folders (every *.service in them), `systemctl cat` or `systemctl show`
    /// captures; `-` reads standard input.
    #[arg(value_name = "FILE")]
    files: Vec<PathBuf>,
    #[command(flatten)]
    opts: CheckOpts,
}

#[derive(clap::Args, Debug, Clone)]
struct CheckOpts {
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    format: Format,
    /// Fail (exit status 1) when a unit's exposure is above N, in tenths (0-100): 50 fails 5.1
    /// and up, as systemd-analyze --threshold.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(0..=100), default_value_t = 100)]
    threshold: u32,
    /// A policy in systemd-analyze's --security-policy JSON format.
    #[arg(long, value_name = "FILE")]
    security_policy: Option<PathBuf>,
    /// Read input as unit files (offline) or as `systemctl show` output (online); detected by
    /// default.
    #[arg(long, value_enum)]
    mode: Option<Mode>,
    /// Name to assess standard input under, e.g. `nginx.service`; for `systemctl cat` output
    /// of a template whose drop-in folders name no instance, the instance to assess
    /// (`foo@bar.service`).
    #[arg(long, value_name = "NAME")]
    unit: Option<String>,
    /// Assess units of the per-user service manager, as `systemd-analyze --user` does: the
    /// user manager's defaults (KeyringMode=inherit); from systemd 262 such a unit runs as the
    /// calling user and is never counted as root.
    #[arg(long)]
    user: bool,
    /// Colour: auto (only on a terminal, never with NO_COLOR), always or never.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    color: ColorChoice,
    /// SARIF results: one per unit with failing checks (units), or one per failing check
    /// (checks); one per diagnostic in both.
    #[arg(long, value_enum, default_value_t = sarif::Granularity::Units)]
    sarif_results: sarif::Granularity,
    /// Accepted risks: a JSON file {"accept": [{"unit": GLOB, "checks": [...], "reason": ...,
    /// "expires": "YYYY-MM-DD"}]}. Comments `# exposure: accept CHECK... -- REASON` in the
    /// unit's files accept risks too.
    #[arg(long, value_name = "FILE")]
    accept: Option<PathBuf>,
    /// Which diagnostics fail the run (exit status 1): never (the default), warning (unknown
    /// keys, settings systemd ignores, invalid values, and errors) or error.
    #[arg(long, value_enum, value_name = "LEVEL", default_value_t = outcome::FailOn::Never)]
    fail_on: outcome::FailOn,
    /// The SARIF run's category (runAutomationDetails.id), to keep several uploads apart.
    #[arg(long, value_name = "ID", default_value = "exposure/",
          value_parser = clap::builder::NonEmptyStringValueParser::new())]
    sarif_category: String,
    /// Compare with a baseline (written by --write-baseline, or a --format json document): only
    /// regressions fail the run — a unit whose exposure went up, a check that newly fails, a new
    /// diagnostic at the --fail-on level, a new unit above the threshold; improvements are
    /// reported. Replaces the threshold for the units the baseline knows.
    #[arg(long, value_name = "FILE")]
    baseline: Option<PathBuf>,
    /// Record this run as a baseline: per unit, its exposure, failing checks and diagnostics.
    /// The run then succeeds unless an input cannot be read; with --baseline, the file is
    /// written only when there is no regression.
    #[arg(long, value_name = "FILE")]
    write_baseline: Option<PathBuf>,
    /// `--learn-url` or `$EXPOSURE_LEARN_URL` (a global option, set by `main`).
    #[arg(skip)]
    learn_url: Option<String>,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Suggest a drop-in that lowers a unit's exposure, with the score systemd will give it.
    Suggest {
        /// The unit file (drop-ins beside it are taken into account); `-` reads a unit file or
        /// `systemctl cat` output from standard input.
        file: PathBuf,
        /// With `-`: the unit to advise on (of several in `systemctl cat` output), or the name
        /// to read a unit file's text under, e.g. `nginx.service`.
        #[arg(long, value_name = "NAME")]
        unit: Option<String>,
        /// How far to go: safe (rarely breaks anything), moderate, or strict.
        #[arg(long, value_enum, default_value_t = TierArg::Moderate)]
        tier: TierArg,
        /// Output format: the drop-in as text, or JSON.
        #[arg(long, value_enum, default_value_t = SuggestFormat::Text)]
        format: SuggestFormat,
    },
    /// Compare two versions of units (files, folders or `systemctl cat` captures): the score
    /// before and after, each check that changed with the lines that set it, what it protects
    /// against and may break. Markdown for a pull request or the job summary, or JSON.
    Diff {
        /// The units before the change: a unit file, a folder, a capture, or `-`.
        old: PathBuf,
        /// The units after the change.
        new: PathBuf,
        /// Name to assess standard input under, as for scoring.
        #[arg(long, value_name = "NAME")]
        unit: Option<String>,
        /// Output format.
        #[arg(long, value_enum, default_value_t = diff::Format::Markdown)]
        format: diff::Format,
    },
    /// Score every unit of many hosts and compare them: per host its units and worst, per
    /// unit name the scores across hosts (min, median, max) and the hosts that deviate from
    /// the most common score, with the checks that differ. Each entry of a DIR is a host
    /// named by the entry: a file holds its `systemctl show` output for many units (collect
    /// it with `ssh HOST "systemctl show '*.service'" > DIR/HOST`; see docs/fleet.md), a
    /// folder its unit files. Hosts are read a few at a time; memory does not grow with
    /// their number. Exit status 1 when a unit is above --threshold or a host cannot be read.
    Fleet {
        /// Folders of hosts: one `systemctl show` capture file or unit-file folder per host.
        #[arg(value_name = "DIR", required = true)]
        dirs: Vec<PathBuf>,
        /// Output format.
        #[arg(long, value_enum, default_value_t = fleet::Format::Json)]
        format: fleet::Format,
        /// Fail (exit status 1) when a unit's exposure is above N, in tenths (0-100), as for
        /// scoring; units above it are counted per host.
        #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(0..=100), default_value_t = 100)]
        threshold: u32,
        /// With --format prometheus: a gauge per unit and check too (exposure_check_exposure).
        #[arg(long)]
        checks: bool,
    },
    /// Print a shell completion script, e.g. `exposure completions bash >
    /// /etc/bash_completion.d/exposure`.
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the manual page (roff), e.g. `exposure man > exposure.1 && man ./exposure.1`.
    Man,
    /// Explain a check: what it does, why it matters, how to pass it.
    Explain {
        /// A check's name or json_field, e.g. PrivateTmp or CapabilityBoundingSet_CAP_SYS_ADMIN.
        name: Option<String>,
    },
}

#[derive(Copy, Clone, Debug, PartialEq, Eq, ValueEnum)]
enum TierArg {
    Safe,
    Moderate,
    Strict,
}

#[derive(Copy, Clone, Debug, PartialEq, Eq, ValueEnum)]
enum SuggestFormat {
    Text,
    Json,
}

#[derive(Copy, Clone, Debug, PartialEq, Eq, ValueEnum)]
enum Format {
    Table,
    Json,
    Sarif,
    /// GitHub Actions annotations, and a job summary.
    Github,
}

#[derive(Copy, Clone, Debug, PartialEq, Eq, ValueEnum)]
enum Mode {
    Offline,
    Online,
}

#[derive(Copy, Clone, Debug, PartialEq, Eq, ValueEnum)]
enum ColorChoice {
    Auto,
    Always,
    Never,
}

/// What `--systemd-version` chose.
#[derive(Clone, Copy)]
enum Versions {
    One(Version),
    /// `all`: every profile, side by side.
    All,
}

/// Reads `--systemd-version`; `None` (after a message) when it names no profile.
fn versions(arg: Option<&str>, all_allowed: bool) -> Option<Versions> {
    match arg {
        None => Some(Versions::One(Version::default())),
        Some(a) if a.eq_ignore_ascii_case("all") && all_allowed => Some(Versions::All),
        Some(a) => match Version::parse(a) {
            Some(v) => Some(Versions::One(v)),
            None => {
                eprintln!(
                    "exposure: unsupported systemd version {a:?}; supported: {}{}",
                    Version::choices(),
                    if all_allowed { ", or all" } else { "" }
                );
                None
            }
        },
    }
}

/// The subcommands' names (the scoring command takes any other word for a file).
const SUBCOMMANDS: &[&str] = &["suggest", "explain", "diff", "fleet", "completions", "man"];

/// The command line with a leading `--systemd-version V` moved after the subcommand it
/// precedes (`exposure --systemd-version 257 suggest x.service`): the file arguments of the
/// scoring command would otherwise take the subcommand's name for a file.
fn args() -> Vec<std::ffi::OsString> {
    let mut args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    let flag = args.get(1).and_then(|a| a.to_str()).unwrap_or("");
    let taken = if flag == "--systemd-version" {
        3
    } else if flag.starts_with("--systemd-version=") {
        2
    } else {
        return args;
    };
    if args
        .get(taken)
        .and_then(|a| a.to_str())
        .is_some_and(|a| SUBCOMMANDS.contains(&a))
    {
        let sub = args.remove(taken);
        args.insert(1, sub);
    }
    args
}

fn main() -> ExitCode {
    let mut cli = Cli::parse_from(args());
    cli.opts.learn_url = cli
        .learn_url
        .clone()
        .or_else(|| std::env::var("EXPOSURE_LEARN_URL").ok())
        .filter(|u| !u.trim().is_empty());
    let arg = cli.systemd_version.as_deref();
    match cli.command {
        Some(Command::Explain { name }) => match versions(arg, false) {
            Some(Versions::One(v)) => explain(name.as_deref(), v, cli.opts.learn_url.as_deref()),
            _ => ExitCode::from(2),
        },
        Some(Command::Completions { shell }) => {
            let mut out = Vec::new();
            clap_complete::generate(shell, &mut Cli::command(), "exposure", &mut out);
            write_code(&out)
        }
        Some(Command::Man) => {
            let mut out = Vec::new();
            match clap_mangen::Man::new(Cli::command()).render(&mut out) {
                Ok(()) => write_code(&out),
                Err(e) => {
                    complain(&format!("cannot write the manual page: {e}"));
                    ExitCode::FAILURE
                }
            }
        }
        Some(Command::Diff {
            old,
            new,
            unit,
            format,
        }) => match versions(arg, false) {
            Some(Versions::One(v)) => diff::run(&old, &new, unit.as_deref(), format, v),
            _ => ExitCode::from(2),
        },
        Some(Command::Fleet {
            dirs,
            format,
            threshold,
            checks,
        }) => match versions(arg, false) {
            Some(Versions::One(version)) => fleet::run(&fleet::Args {
                dirs: &dirs,
                format,
                threshold,
                checks,
                version,
            }),
            _ => ExitCode::from(2),
        },
        Some(Command::Suggest {
            file,
            unit,
            tier,
            format,
        }) => match versions(arg, false) {
            Some(Versions::One(v)) => suggest(&file, unit.as_deref(), tier, format, v),
            _ => ExitCode::from(2),
        },
        None => {
            if cli.files.is_empty() {
                eprintln!(
                    "exposure: no FILE given (use - for standard input); see exposure --help"
                );
                return ExitCode::from(2);
            }
            match versions(arg, true) {
                Some(Versions::One(v)) => check(&cli.files, &cli.opts, v),
                Some(Versions::All) => compare_versions(&cli.files, &cli.opts),
                None => ExitCode::from(2),
            }
        }
    }
}

/// Prints a message of the tool on standard error, `exposure: ` first. Everything printed on
/// standard error goes through [`say`] or this: messages quote paths, keys and values of the
/// input, whose control characters must not reach the terminal.
fn complain(msg: &str) {
    say(&format!("exposure: {msg}"));
}

/// [`complain`] for each message.
fn complain_all<S: AsRef<str>>(msgs: impl IntoIterator<Item = S>) {
    for m in msgs {
        complain(m.as_ref());
    }
}

/// Prints one line on standard error with the input's control characters escaped.
fn say(line: &str) {
    eprintln!("{}", printable(line));
}

fn utf8_locale() -> bool {
    ["LC_ALL", "LC_CTYPE", "LANG"]
        .iter()
        .find_map(|k| std::env::var(k).ok().filter(|v| !v.is_empty()))
        .is_some_and(|v| {
            let v = v.to_ascii_lowercase();
            v.contains("utf-8") || v.contains("utf8")
        })
}

fn style(choice: ColorChoice) -> render::Style {
    let tty = std::io::stdout().is_terminal();
    let color = match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => tty && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()),
    };
    let utf8 = utf8_locale();
    let term_ok = std::env::var("TERM").is_ok_and(|t| !t.is_empty() && t != "dumb" && t != "linux");
    let emoji = match std::env::var("SYSTEMD_EMOJI").ok().as_deref() {
        Some("0" | "no" | "false" | "off") => false,
        Some(_) => true,
        None => term_ok && utf8,
    };
    render::Style { color, emoji, utf8 }
}

/// One assessed input: what to call it in output, its report, and how it was read.
pub(crate) struct Assessed {
    pub(crate) path: String,
    pub(crate) report: UnitReport,
    pub(crate) source: std::sync::Arc<locate::Source>,
    /// The checks accepted for this unit (by comments, or `--accept`).
    pub(crate) accepted: Vec<accept::Accepted>,
    /// Its exposure with the accepted checks given weight 0, when some are accepted.
    pub(crate) accepted_exposure: Option<exposure_core::Tenths>,
}

impl Assessed {
    fn new(path: String, report: UnitReport, source: std::sync::Arc<locate::Source>) -> Assessed {
        Assessed {
            path,
            report,
            source,
            accepted: Vec::new(),
            accepted_exposure: None,
        }
    }

    /// Takes acceptances and their diagnostics for this unit.
    fn accept(
        &mut self,
        (accepted, diags): (Vec<accept::Accepted>, Vec<exposure_core::Diagnostic>),
    ) {
        self.report.diagnostics.extend(diags);
        for a in accepted {
            if !self.accepted.iter().any(|b| b.check == a.check) {
                self.accepted.push(a);
            }
        }
    }

    /// Where a finding about the unit as a whole goes (see [`locate::Source::anchor`]): the
    /// first line that set a value helps place a `systemctl show` capture's.
    pub(crate) fn anchor(&self) -> locate::Place {
        let first_origin = self
            .report
            .rows
            .iter()
            .flat_map(|row| self.report.provenance(row).map(|o| o.line))
            .min();
        self.source
            .anchor(&self.report.unit, &self.path, first_origin)
    }

    /// The exposure `--threshold` is compared with: with accepted risks when there are some.
    pub(crate) fn effective_exposure(&self) -> exposure_core::Tenths {
        self.accepted_exposure.unwrap_or(self.report.exposure)
    }
}

/// The options of a scoring run for one version, with the policy read; `Err` is the exit status.
fn scoring_options(o: &CheckOpts, version: Version) -> Result<Options, ExitCode> {
    let mut opts = Options {
        version,
        unit_name: o.unit.clone(),
        // Offline input may still be a unit file or systemctl cat output: that is decided per
        // file, in assess_path.
        kind: (o.mode == Some(Mode::Online)).then_some(InputKind::SystemctlShow),
        user: o.user,
        ..Options::default()
    };
    if let Some(p) = &o.security_policy {
        let mut warnings = Vec::new();
        let read = files::read_file(p, &mut warnings);
        complain_all(&warnings);
        let text = match read {
            Ok(t) => t,
            Err(e) => {
                complain(&format!("cannot read the security policy: {}", e.0));
                return Err(ExitCode::FAILURE);
            }
        };
        match Policy::parse_for(&text, version) {
            Ok((policy, warnings)) => {
                for w in warnings {
                    complain(&format!("{}: {}", p.display(), w.message));
                }
                opts.policy = Some(policy);
            }
            Err(e) => {
                complain(&format!("{}:{e}", p.display()));
                return Err(ExitCode::FAILURE);
            }
        }
    }
    Ok(opts)
}

fn check(paths: &[PathBuf], o: &CheckOpts, version: Version) -> ExitCode {
    let opts = match scoring_options(o, version) {
        Ok(opts) => opts,
        Err(code) => return code,
    };
    if o.format == Format::Table && version.profile().evidence == Evidence::Derived {
        complain(&format!(
            "scored {} — {}",
            version.scores_it(),
            version.profile().evidence.label()
        ));
    }

    let mut assessed: Vec<Assessed> = Vec::new();
    let mut unreadable = Vec::new();
    let offline_only = o.mode == Some(Mode::Offline);
    // Independent files on all cores; what each says and scores is taken in input order.
    let inputs = expand_folders(paths, &mut unreadable);
    let results = par::map(&inputs, |p| {
        let mut said = Vec::new();
        let r = assess_path_saying(p, &opts, offline_only, &mut said);
        (said, r)
    });
    for (said, result) in results {
        complain_all(&said);
        match result {
            Ok(list) => assessed.extend(list),
            Err(msgs) => {
                complain_all(&msgs);
                unreadable.extend(msgs.iter().map(|m| printable(m).into_owned()));
            }
        }
    }

    // Accepted risks from --accept, then the score with them.
    if let Some(p) = &o.accept {
        match accept::read_file(p) {
            Ok(file) => {
                let today = accept::today();
                for a in &mut assessed {
                    let found = file.for_unit(&a.report.unit, &today);
                    a.accept(found);
                }
            }
            Err(e) => {
                complain(&format!("cannot use the accepted risks: {e}"));
                return ExitCode::FAILURE;
            }
        }
    }
    for a in &mut assessed {
        if !a.accepted.is_empty() && a.report.refused.is_none() {
            let checks: Vec<usize> = a.accepted.iter().map(|x| x.check).collect();
            // Nothing left to score is nothing exposed.
            a.accepted_exposure = Some(
                exposure_core::score::exposure_excluding(&a.report.rows, &checks)
                    .unwrap_or_default(),
            );
        }
    }

    let base = match &o.baseline {
        Some(p) => match read_baseline(p, opts.version) {
            Ok(b) => Some((p.display().to_string(), b)),
            Err(e) => {
                complain(&e);
                return ExitCode::FAILURE;
            }
        },
        None => None,
    };

    let st = style(o.color);
    for a in &assessed {
        if o.format == Format::Table {
            print_diagnostics(a);
        }
        if let Some(why) = &a.report.refused {
            complain(&not_assessed(&a.report.unit, why));
        }
    }
    let mut outcome = outcome::Outcome::of(&assessed, o.threshold, o.fail_on, unreadable);
    if let Some((file, b)) = &base {
        outcome.baseline = Some(baseline::compare(
            b,
            file,
            &assessed,
            o.threshold,
            o.fail_on,
        ));
    }

    let ok: Vec<&UnitReport> = assessed
        .iter()
        .filter(|a| a.report.refused.is_none())
        .map(|a| &a.report)
        .collect();
    let mut out = String::new();
    // The JSON document is written after `out`, as it is serialized.
    let mut json = false;
    match o.format {
        Format::Table => {
            let shown: Vec<&Assessed> = assessed
                .iter()
                .filter(|a| a.report.refused.is_none())
                .collect();
            let tables = par::map(&shown, |a| {
                let mut t = render::table(&a.report, st);
                t.push_str(&accept::table_lines(a, st));
                t
            });
            out.reserve(tables.iter().map(|t| t.len() + 1).sum());
            for (i, t) in tables.iter().enumerate() {
                if i > 0 {
                    out.push('\n');
                }
                out.push_str(t);
            }
            if ok.len() > 1 {
                out.push('\n');
                out.push_str(&render::summary(&ok, st));
            }
        }
        Format::Json => {
            json = true;
        }
        Format::Github => {
            let (annotations, summary) = github::render(&assessed, &outcome, opts.version.as_str());
            out = annotations;
            match std::env::var_os("GITHUB_STEP_SUMMARY").filter(|v| !v.is_empty()) {
                Some(file) => {
                    let appended = std::fs::OpenOptions::new()
                        .append(true)
                        .create(true)
                        .open(&file)
                        .and_then(|mut f| f.write_all(summary.as_bytes()));
                    if let Err(e) = appended {
                        complain(&format!(
                            "{}: cannot write the job summary: {e}",
                            std::path::Path::new(&file).display()
                        ));
                    }
                }
                None => {
                    out.push('\n');
                    out.push_str(&summary);
                }
            }
        }
        Format::Sarif => {
            let mut log = sarif::log(
                &assessed,
                o.sarif_results,
                &o.sarif_category,
                opts.version.as_str(),
            );
            if let Some(base) = &o.learn_url {
                sarif::link_rules_to_learn(&mut log, base);
            }
            out = render::json_text(&log);
            out.push('\n');
        }
    }
    let json_written = || {
        let mut stdout = std::io::stdout().lock();
        document::write(&mut stdout, &assessed, &outcome, opts.version)
            .and_then(|_| stdout.flush())
            .is_ok()
    };
    if !write_out(&out) || json && !json_written() {
        return ExitCode::FAILURE;
    }
    if let Some(c) = &outcome.baseline {
        complain_all(c.report());
    }
    // Recording a baseline as things are fails on nothing but inputs not read.
    let recording = o.write_baseline.is_some() && outcome.baseline.is_none();
    if !recording {
        complain_all(outcome.reasons());
    }
    let mut failed = outcome.failed();
    if let Some(p) = &o.write_baseline {
        if recording {
            failed = !outcome.unreadable.is_empty();
        }
        if outcome
            .baseline
            .as_ref()
            .is_some_and(|c| !c.regressions.is_empty())
        {
            complain(&format!(
                "{}: not written: there are regressions",
                p.display()
            ));
        } else {
            let b = baseline::of(&assessed, opts.version.as_str());
            let mut text = render::json_text(&b.to_json());
            text.push('\n');
            match std::fs::write(p, text) {
                Ok(()) => complain(&format!(
                    "{}: the baseline of {} unit{} written",
                    p.display(),
                    b.units.len(),
                    if b.units.len() == 1 { "" } else { "s" }
                )),
                Err(e) => {
                    complain(&format!("{}: cannot write the baseline: {e}", p.display()));
                    failed = true;
                }
            }
        }
    }
    if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

/// Reads `--baseline`, which must be of the version this run scores as.
fn read_baseline(p: &std::path::Path, version: Version) -> Result<baseline::Baseline, String> {
    let mut warnings = Vec::new();
    let text = files::read_file(p, &mut warnings);
    complain_all(&warnings);
    let text = text.map_err(|e| format!("cannot read the baseline: {}", e.0))?;
    let b = baseline::Baseline::parse(&text)
        .map_err(|e| format!("{}: not a baseline: {e}", p.display()))?;
    if b.systemd_version != version.as_str() {
        return Err(format!(
            "{}: the baseline is of systemd {}, this run scores as {}: pass \
             --systemd-version={} or write the baseline again",
            p.display(),
            b.systemd_version,
            version.as_str(),
            b.systemd_version
        ));
    }
    Ok(b)
}

/// The arguments with each folder replaced by the service unit files in it and its subfolders
/// (a folder named like a unit, `foo.service/`, is left for `assess_path` to refuse), and each
/// drop-in by its unit. A folder without any is an input not read: its message goes to
/// `unreadable`.
fn expand_folders(paths: &[PathBuf], unreadable: &mut Vec<String>) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for p in paths {
        let unit_named = p
            .file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|n| exposure_core::unit::UnitName::parse(n).is_some());
        if let Some(unit) = unit_of_dropin(p) {
            // A drop-in scores its unit, once (pre-commit passes the files a commit changed).
            if unit.is_file() {
                if !paths.contains(&unit) && !out.contains(&unit) {
                    out.push(unit);
                }
            } else {
                complain(&format!(
                    "{}: a drop-in, and {} is not beside its folder: not scored",
                    p.display(),
                    unit.display()
                ));
            }
            continue;
        }
        if unit_named || p.as_os_str() == "-" || !p.is_dir() {
            out.push(p.clone());
            continue;
        }
        let mut warnings = Vec::new();
        let found = walk::service_files(p, &mut warnings);
        complain_all(&warnings);
        if found.is_empty() {
            let msg = format!(
                "{}: no service unit file (*.service) in this folder or below",
                p.display()
            );
            complain(&msg);
            unreadable.push(printable(&msg).into_owned());
        }
        out.extend(found);
    }
    out
}

/// The unit file a drop-in `X.service.d/NAME.conf` belongs to (`X.service` beside the
/// folder); `None` for any other path.
fn unit_of_dropin(p: &std::path::Path) -> Option<PathBuf> {
    if p.extension()? != "conf" {
        return None;
    }
    let folder = p.parent()?;
    let unit = folder.file_name()?.to_str()?.strip_suffix(".d")?;
    exposure_core::unit::UnitName::parse(unit)?;
    Some(folder.parent()?.join(unit))
}

/// Prints a report's warnings and errors on standard error, each as `FILE:LINE: message
/// (help)`, the line within the file (also in a `systemctl cat` text).
fn print_diagnostics(a: &Assessed) {
    for d in a
        .report
        .diagnostics
        .iter()
        .filter(|d| d.severity >= Severity::Warning)
    {
        say(&diagnostic_line(d, &a.path, &a.source));
    }
}

/// `FILE:LINE: message (help)`; `path` names the input when the diagnostic names no file.
fn diagnostic_line(d: &exposure_core::Diagnostic, path: &str, source: &locate::Source) -> String {
    let loc = match d.line() {
        Some(l) => {
            let at = source.in_file(d.file.as_deref(), l, path);
            format!("{}:{}", at.file, at.line)
        }
        None => d.file.as_deref().unwrap_or(path).to_owned(),
    };
    let help = d
        .help
        .as_ref()
        .map(|h| format!(" ({h})"))
        .unwrap_or_default();
    format!("{loc}: {}{help}", d.message)
}

/// Why a unit is not assessed, as printed after `exposure: `.
fn not_assessed(unit: &str, why: &str) -> String {
    format!("{unit}: not assessed: {why}")
}

/// Reads one command-line argument and assesses what it holds; the messages of a failure.
fn assess_path(
    p: &std::path::Path,
    opts: &Options,
    offline_only: bool,
    quiet: bool,
) -> Result<Vec<Assessed>, Vec<String>> {
    let mut said = Vec::new();
    let result = assess_path_saying(p, opts, offline_only, &mut said);
    if !quiet {
        complain_all(&said);
    }
    result
}

/// [`assess_path`], with the warnings about reading (printed before its result) put in `said`
/// instead: what a thread that assesses files beside others returns.
fn assess_path_saying(
    p: &std::path::Path,
    opts: &Options,
    offline_only: bool,
    said: &mut Vec<String>,
) -> Result<Vec<Assessed>, Vec<String>> {
    let mut complain_all = |msgs: &[String]| said.extend_from_slice(msgs);
    let display = p.display().to_string();
    // Warnings about reading, printed before the unit is assessed.
    let mut warnings = Vec::new();
    let from_text = |text: &str,
                     label: &str,
                     capture: Option<String>,
                     opts: &Options|
     -> Result<Vec<Assessed>, Vec<String>> {
        let mut opts = opts.clone();
        if offline_only && exposure_core::input::detect(text) == InputKind::SystemctlShow {
            opts.kind = Some(InputKind::UnitFile);
        }
        let a: Analysis = exposure_core::analyze(text, &opts);
        let a_kind = a.kind;
        let source = std::sync::Arc::new(locate::Source::text(text, capture, a.kind));
        let msgs: Vec<String> = a
            .diagnostics
            .iter()
            .map(|d| diagnostic_line(d, label, &source))
            .collect();
        if a.units.is_empty() {
            return Err(if msgs.is_empty() {
                vec![format!("{label}: no unit found")]
            } else {
                msgs
            });
        }
        // Problems of the text as a whole go with its first unit: printed with its
        // diagnostics, counted by --fail-on, in the JSON and SARIF output.
        let mut units = a.units;
        units[0].diagnostics.splice(0..0, a.diagnostics);
        Ok(units
            .into_iter()
            .map(|report| {
                let mut a = Assessed::new(label.to_owned(), report, source.clone());
                let files = exposure_core::unit_files(text, a_kind, &opts);
                let unit = &a.report.unit;
                let template = locate::template_of(unit);
                if let Some((_, files)) = files
                    .iter()
                    .find(|(n, _)| n == unit || template.as_deref() == Some(n.as_str()))
                {
                    a.accept(accept::from_comments(files, label));
                }
                a
            })
            .collect())
    };
    if display == "-" {
        let text = files::read_stdin(&mut warnings);
        complain_all(&warnings);
        return from_text(&text.map_err(|e| vec![e.0])?, "<stdin>", None, opts);
    }
    let is_unit_name = p
        .file_name()
        .and_then(|n| n.to_str())
        .is_some_and(|n| exposure_core::unit::UnitName::parse(n).is_some());
    if is_unit_name && opts.kind != Some(InputKind::SystemctlShow) {
        let unit = files::read_unit(p, &mut warnings);
        complain_all(&warnings);
        let unit = unit.map_err(|e| vec![e.0])?;
        let inputs: Vec<FileInput<'_>> = unit
            .files
            .iter()
            .map(|(path, text)| FileInput::whole(Some(path), text))
            .collect();
        let report = exposure_core::analyze_unit(&unit.name, &inputs, opts)
            .map_err(|d| vec![format!("{display}: {}", d.message)])?;
        let (unit_file, text) = &unit.files[0];
        let source = locate::Source::Disk {
            unit_file: unit_file.clone(),
            service_line: locate::service_line(text, 1),
        };
        let mut a = Assessed::new(display.clone(), report, std::sync::Arc::new(source));
        a.accept(accept::from_comments(&inputs, &display));
        return Ok(vec![a]);
    }
    let text = files::read_file(p, &mut warnings);
    complain_all(&warnings);
    from_text(
        &text.map_err(|e| vec![e.0])?,
        &display,
        Some(display.clone()),
        opts,
    )
}

/// `--systemd-version all`: every unit's score under every profile, side by side. The inputs
/// are read again for each version; messages are printed once, for the default version. Exit
/// status 1 when a version that reads a unit refuses it or scores it above the threshold, or
/// when no version can read an input.
fn compare_versions(paths: &[PathBuf], o: &CheckOpts) -> ExitCode {
    if o.format == Format::Sarif {
        complain("--systemd-version all prints a table or JSON, not SARIF");
        return ExitCode::from(2);
    }
    if o.baseline.is_some() || o.write_baseline.is_some() {
        complain("a baseline is of one systemd version, not of --systemd-version all");
        return ExitCode::from(2);
    }
    let base = match scoring_options(o, Version::default()) {
        Ok(opts) => opts,
        Err(code) => return code,
    };
    let offline_only = o.mode == Some(Mode::Offline);
    let mut failed = false;
    let mut units: Vec<render::Across> = Vec::new();
    for p in paths {
        let mut per_version = Vec::new();
        for v in Version::all() {
            let opts = Options {
                version: v,
                ..base.clone()
            };
            let quiet = v != Version::default();
            per_version.push((v, assess_path(p, &opts, offline_only, quiet)));
        }
        let count = per_version
            .iter()
            .filter_map(|(_, r)| r.as_ref().ok().map(Vec::len))
            .max();
        let Some(count) = count else {
            // No version could read it: say why, as the default version does.
            if let Some((_, Err(msgs))) = per_version.iter().find(|(v, _)| *v == Version::default())
            {
                complain_all(msgs);
            }
            failed = true;
            continue;
        };
        for i in 0..count {
            let scores: Vec<(Version, Result<UnitReport, String>)> = per_version
                .iter()
                .map(|(v, r)| {
                    let r = match r {
                        Ok(list) => list
                            .get(i)
                            .map(|a| a.report.clone())
                            .ok_or_else(|| "no such unit".to_owned()),
                        Err(msgs) => Err(msgs.join("; ")),
                    };
                    (*v, r)
                })
                .collect();
            for (_, r) in &scores {
                if let Ok(r) = r
                    && (r.refused.is_some() || r.exposure.0 > o.threshold)
                {
                    failed = true;
                }
            }
            let unit = scores
                .iter()
                .find(|(v, r)| *v == Version::default() && r.is_ok())
                .or_else(|| scores.iter().find(|(_, r)| r.is_ok()))
                .and_then(|(_, r)| r.as_ref().ok())
                .map(|r| r.unit.clone())
                .unwrap_or_default();
            units.push(render::Across { unit, scores });
        }
    }
    let out = match o.format {
        Format::Json => format!("{}\n", render::json_text(&render::across_json(&units))),
        _ => render::across_table(&units),
    };
    if !write_out(&out) {
        return ExitCode::FAILURE;
    }
    if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

/// [`write_out`] of generated bytes, as an exit status.
fn write_code(out: &[u8]) -> ExitCode {
    if write_out(&String::from_utf8_lossy(out)) {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

/// Writes the whole output to standard output; false when it cannot (a closed pipe).
fn write_out(out: &str) -> bool {
    let mut stdout = std::io::stdout().lock();
    stdout
        .write_all(out.as_bytes())
        .and_then(|_| stdout.flush())
        .is_ok()
}

fn suggest(
    path: &std::path::Path,
    unit_name: Option<&str>,
    tier: TierArg,
    format: SuggestFormat,
    version: Version,
) -> ExitCode {
    let opts = Options {
        version,
        ..Options::default()
    };
    use exposure_core::advise::{Tier, advise, steps};
    let tier = match tier {
        TierArg::Safe => Tier::Safe,
        TierArg::Moderate => Tier::Moderate,
        TierArg::Strict => Tier::Strict,
    };
    let mut warnings = Vec::new();
    let stdin = path.as_os_str() == "-";
    if unit_name.is_some() && !stdin {
        complain("--unit names the unit of standard input (exposure suggest --unit NAME -)");
        return ExitCode::from(2);
    }
    let unit = if stdin {
        files::read_stdin(&mut warnings)
            .map_err(|e| e.0)
            .and_then(|text| stdin_unit::unit_from_text(&text, unit_name))
    } else {
        files::read_unit(path, &mut warnings).map_err(|e| e.0)
    };
    complain_all(&warnings);
    let unit = match unit {
        Ok(u) => u,
        Err(e) => {
            complain(&e);
            return ExitCode::FAILURE;
        }
    };
    let inputs: Vec<FileInput<'_>> = unit
        .files
        .iter()
        .map(|(p, text)| FileInput::whole(Some(p), text))
        .collect();
    let report = match exposure_core::analyze_unit(&unit.name, &inputs, &opts) {
        Ok(r) => r,
        Err(d) => {
            complain(&format!("{}: {}", path.display(), d.message));
            return ExitCode::FAILURE;
        }
    };
    // A unit systemd refuses to load gets no drop-in: say why, as the check does.
    if let Some(why) = &report.refused {
        let (unit_file, text) = &unit.files[0];
        let source = locate::Source::Disk {
            unit_file: unit_file.clone(),
            service_line: locate::service_line(text, 1),
        };
        print_diagnostics(&Assessed::new(
            path.display().to_string(),
            report.clone(),
            std::sync::Arc::new(source),
        ));
        complain(&not_assessed(&report.unit, why));
        complain("no drop-in is suggested for a unit systemd does not load");
        return ExitCode::FAILURE;
    }
    let advice = match advise(&unit.name, &inputs, &opts, tier) {
        Ok(a) => a,
        Err(d) => {
            complain(&format!("{}: {}", path.display(), d.message));
            return ExitCode::FAILURE;
        }
    };
    match format {
        SuggestFormat::Text => {
            // The drop-in's comments quote the unit with its control characters escaped.
            print!("{}", advice.dropin);
            complain(&format!(
                "{}: {} {} → {} {} with this drop-in ({} tier, {} — {})",
                advice.unit,
                advice.exposure_before,
                advice.predicate_before,
                advice.exposure_after,
                advice.predicate_after,
                tier.as_str(),
                version.scores_it(),
                version.profile().evidence.label()
            ));
            // Standard output stays the drop-in alone (`exposure suggest x > file.conf`); the
            // steps that install, check and undo it go beside the summary.
            for line in render::steps_text(&steps(&advice.unit)).lines() {
                say(line);
            }
        }
        SuggestFormat::Json => {
            let lines: Vec<serde_json::Value> = advice
                .lines
                .iter()
                .map(|l| {
                    serde_json::json!({
                        "setting": l.setting,
                        "value": l.value,
                        "tier": l.tier.as_str(),
                        "gain": l.gain.as_f64(),
                        "may_break": l.may_break,
                        "withheld": l.withheld,
                    })
                })
                .collect();
            let v = serde_json::json!({
                "unit": advice.unit,
                "systemd_version": version.as_str(),
                "systemd_version_evidence": version.profile().evidence,
                "tier": tier.as_str(),
                "exposure_before": advice.exposure_before.as_f64(),
                "predicate_before": advice.predicate_before.as_str(),
                "exposure_after": advice.exposure_after.as_f64(),
                "predicate_after": advice.predicate_after.as_str(),
                "dropin": advice.dropin,
                "lines": lines,
                "steps": steps(&advice.unit),
            });
            println!("{}", render::json_text(&v));
        }
    }
    ExitCode::SUCCESS
}

fn explain(name: Option<&str>, version: Version, learn_url: Option<&str>) -> ExitCode {
    use exposure_core::checks::{REGISTRY, find};
    let Some(name) = name else {
        for (i, c) in REGISTRY.iter().enumerate() {
            if version.has_check(i) {
                println!("{:<58} {}", version.row_name(c), c.json_field);
            }
        }
        return ExitCode::SUCCESS;
    };
    let Some((index, c)) = find(name) else {
        if let Some(e) = exposure_core::learn::find(name) {
            explain_option(&e, learn_url);
            return ExitCode::SUCCESS;
        }
        let guesses = names::did_you_mean(name);
        let hint = match guesses.as_slice() {
            [] => String::new(),
            [one] => format!("did you mean {one}? "),
            more => format!("did you mean one of {}? ", more.join(", ")),
        };
        complain(&format!(
            "no check or option named {name:?}; {hint}`exposure explain` lists the checks"
        ));
        return ExitCode::FAILURE;
    };
    println!("{}  ({})", version.row_name(c), c.json_field);
    println!(
        "theme: {}   weight: {}   range: {}",
        c.theme.title(),
        c.weight,
        c.range
    );
    println!();
    println!("Passes: {}", c.doc.good);
    println!("Fails:  {}", c.doc.bad);
    section("What it does and why it matters", c.doc.why);
    section("What it may break", c.doc.breaks);
    section("How to relax it", c.doc.relax);
    example(c.doc.example);
    if let Some(fix) = c.doc.fix {
        println!("Fix:    {fix}");
    }
    since(c.since);
    println!("Manual: {}", c.url());
    learn_line(c.directive, learn_url);
    println!();
    println!("In systemd {}", version.explain_check(index));
    ExitCode::SUCCESS
}

/// `explain` of a sandboxing option rather than a check: the Learn view's entry, for options no
/// check scores (`ReadWritePaths`) and those many checks score (`CapabilityBoundingSet`).
fn explain_option(e: &exposure_core::learn::Entry, learn_url: Option<&str>) {
    println!("{}=  ({})", e.name, e.theme.title());
    println!();
    println!("{}", e.summary);
    section("What it does and why it matters", e.why);
    section("What it may break", e.breaks);
    section("How to relax it", e.relax);
    example(e.example);
    if e.checks.is_empty() {
        section("Not scored", e.unscored);
        println!();
    } else {
        println!("Scored by:");
        for (field, name, weight) in &e.checks {
            println!("  {name:<58} {field} (weight {weight})");
        }
        println!();
    }
    if let Some(v) = e.since {
        since(v);
    }
    for (value, version) in &e.values {
        println!("Value:  {}={value} from systemd {version}", e.name);
    }
    println!("Manual: {}", e.man);
    learn_line(e.name, learn_url);
}

/// `explain`'s link to the option's entry in the page's Learn view: the page's address and
/// `#learn/NAME`, or the fragment alone when no address was given.
fn learn_line(name: &str, learn_url: Option<&str>) {
    use exposure_core::learn;
    match learn_url {
        Some(base) => println!("Learn:  {}", learn::url(base, name)),
        None => println!(
            "Learn:  {} in the page's Learn view (--learn-url URL gives the page's address)",
            learn::fragment(name)
        ),
    }
}

/// A titled paragraph of `explain`, wrapped and indented by two spaces.
fn section(title: &str, text: &str) {
    println!();
    println!("{title}");
    for line in textwrap(text, 76).lines() {
        println!("  {line}");
    }
}

/// `explain`'s example drop-in, indented, with a blank line after it.
fn example(text: &str) {
    println!();
    println!("Example (a drop-in, e.g. with systemctl edit UNIT)");
    for line in text.lines() {
        println!("  {line}");
    }
    println!();
}

/// `explain`'s line on the systemd version that added an option.
fn since(version: u32) {
    if version == exposure_core::checks::EARLY {
        println!("Since:  before systemd 38 (older than systemd's release notes)");
    } else {
        println!("Since:  systemd {version}");
    }
}

fn textwrap(s: &str, width: usize) -> String {
    let mut out = String::new();
    let mut line = String::new();
    for w in s.split_whitespace() {
        if !line.is_empty() && line.len() + 1 + w.len() > width {
            out.push_str(&line);
            out.push('\n');
            line.clear();
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(w);
    }
    out.push_str(&line);
    out
}
