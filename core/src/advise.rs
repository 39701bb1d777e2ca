//! The hardening advisor: a `[Service]` drop-in that lowers a unit's exposure, tailored to
//! what the unit does, in three tiers, with the score systemd will compute once it is
//! installed.
//!
//! The prediction is not estimated: the drop-in is appended to the unit's files as its last
//! drop-in and the unit is assessed again by the same engine, so the predicted score has the
//! same parity with systemd as any other score.

use std::borrow::Cow;

use serde::Serialize;

use crate::diag::Diagnostic;
use crate::model::Model;
use crate::report::{Predicate, Tenths};
use crate::syntax;
use crate::unit::UnitName;
use crate::{FileInput, Options, load, score};

/// How far the suggestions go. Each tier includes the ones below it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Tier {
    /// Settings that rarely break anything.
    Safe,
    /// Settings that suit most daemons but break some.
    Moderate,
    /// Everything that lowers the score and fits what the unit appears to do.
    Strict,
}

impl Tier {
    pub const ALL: [Tier; 3] = [Tier::Safe, Tier::Moderate, Tier::Strict];
    pub fn as_str(self) -> &'static str {
        match self {
            Tier::Safe => "safe",
            Tier::Moderate => "moderate",
            Tier::Strict => "strict",
        }
    }
    pub fn parse(s: &str) -> Option<Tier> {
        Tier::ALL.into_iter().find(|t| t.as_str() == s)
    }
}

/// One suggested setting.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Line {
    /// The directive, e.g. `ProtectSystem`.
    pub setting: &'static str,
    /// Its value, e.g. `strict`.
    pub value: String,
    pub tier: Tier,
    /// How much this line lowers the overall exposure, given the lines before it.
    pub gain: Tenths,
    /// What the setting may break and how that shows.
    pub may_break: Cow<'static, str>,
    /// Set when the line is only shown as a comment, with the reason it is not suggested.
    pub withheld: Option<String>,
    /// The person asked to leave this line out ([`advise_leaving_out`]): it is shown as a
    /// comment, its gain is 0 and the predicted score is computed without it.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub left_out: bool,
}

/// The advice for one unit.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Advice {
    pub unit: String,
    pub tier: Tier,
    pub exposure_before: Tenths,
    pub predicate_before: Predicate,
    pub exposure_after: Tenths,
    pub predicate_after: Predicate,
    /// The drop-in file, ready for `systemctl edit`.
    pub dropin: String,
    /// The suggested settings in drop-in order (withheld ones last).
    pub lines: Vec<Line>,
}

mod needs;
mod steps;
mod tailor;
mod traits;
pub use needs::{KNOWN, Needs};
pub use steps::{DROPIN_FILE, Step, StepKind, steps};
use tailor::{Candidate, candidates};
use traits::traits;

fn render_value(setting: &str, value: &str) -> String {
    format!("{setting}={value}")
}

/// The name the suggested drop-in is read under when it is scored.
const DROPIN_PATH: &str = "exposure-suggested.conf";

/// A unit's own files loaded once, then scored with one drop-in more, as often as the advisor
/// tries a line: each try reads the drop-in on a copy of the loaded state instead of parsing
/// and loading the unit again, and computes the score without building rows. The score equals
/// [`analyze_unit`](crate::analyze_unit)'s for the unit's files plus that drop-in (a unit test and the `advise` fuzz
/// target compare the two).
struct Probe<'a> {
    name: &'a UnitName,
    staged: load::Staged,
}

impl<'a> Probe<'a> {
    fn new(name: &'a UnitName, files: &[syntax::File], version: crate::Version) -> Self {
        Probe {
            name,
            staged: load::Staged::read(name, files, version).without_diagnostics(),
        }
    }

    /// The unit as its own files load it, without any drop-in more.
    fn model(&self) -> Model {
        self.staged.clone().finish().model
    }

    /// The unit's sums with `dropin` read as its last drop-in.
    fn sums(&self, dropin: &str, opts: &Options) -> Result<score::Sums, Diagnostic> {
        let file = syntax::parse(
            dropin,
            Some(DROPIN_PATH),
            syntax::Origin::default(),
            Some(self.name.kind.sections()),
        );
        let mut staged = self.staged.clone();
        staged.file(&file);
        let loaded = staged.finish();
        Ok(score::sums(
            &loaded.model,
            opts.policy.as_ref(),
            opts.version,
        )?)
    }
}

/// A chosen line: setting, value, and the lines that must follow it.
type Chosen<'a> = (&'static str, String, &'a [(&'static str, String)]);

fn dropin_body(lines: &[Chosen<'_>]) -> String {
    let mut s = String::from("[Service]\n");
    for (k, v, extra) in lines {
        s.push_str(&render_value(k, v));
        s.push('\n');
        for (ek, ev) in extra.iter() {
            s.push_str(&render_value(ek, ev));
            s.push('\n');
        }
    }
    s
}

/// Suggests a drop-in for a unit given as its files (unit file first, then drop-ins).
pub fn advise(
    name: &str,
    files: &[FileInput<'_>],
    opts: &Options,
    tier: Tier,
) -> Result<Advice, Diagnostic> {
    advise_leaving_out(name, files, opts, tier, &[])
}

/// [`advise`], with the suggested lines for the settings in `left_out` kept out of the
/// drop-in: they stay in [`Advice::lines`] (marked [`Line::left_out`], at the place they would
/// take) and in the drop-in as comments, and the predicted score is the unit's with the other
/// lines only — the "what if" of unticking a suggestion. The order of the lines does not
/// depend on what is left out, so a list of them does not move when one is unticked.
pub fn advise_leaving_out(
    name: &str,
    files: &[FileInput<'_>],
    opts: &Options,
    tier: Tier,
    left_out: &[&str],
) -> Result<Advice, Diagnostic> {
    crate::check_size(files)?;
    // Parse and load once: the model and lines feed the tailoring and the "before" score, and
    // each drop-in tried is read on a copy of the loaded state.
    let unit = crate::parse_unit(name, files, opts.version)?;
    let kind = unit.name.kind;
    let probe = Probe::new(&unit.name, &unit.files, opts.version);
    let model = probe.model();
    let t = traits(&model, &unit.name, &unit.files);
    let cands = candidates(&model, &t, opts.version.profile());
    let before = score::sums(&model, opts.policy.as_ref(), opts.version)?;
    let section = kind.section().unwrap_or("Service");
    let body =
        |lines: &[Chosen<'_>]| dropin_body(lines).replacen("[Service]", &format!("[{section}]"), 1);

    let cands = strongest(cands, tier);

    let score = |lines: &[Chosen<'_>]| -> Option<(u32, u64)> {
        let s = probe.sums(&body(lines), opts).ok()?;
        Some((s.exposure().0, s.millionths()))
    };
    let base = before.exposure().0;
    let base_precise = before.millionths();
    let scored = alone_gains(&cands, base_precise, score);

    let mut lines = Vec::new();
    // The extra lines that follow each entry of `lines` in the drop-in.
    let mut extras: Vec<&[(&'static str, String)]> = Vec::new();
    let mut chosen: Vec<Chosen<'_>> = Vec::new();
    let mut current = base;
    let mut current_precise = base_precise;
    for &(alone, i) in &scored {
        let c = &cands[i];
        if left_out.contains(&c.setting) {
            if alone > 0 {
                lines.push(c.line(Tenths(0), true));
                extras.push(&c.extra);
            }
            continue;
        }
        let mut next = chosen.clone();
        next.push((c.setting, c.value.clone(), &c.extra));
        let (e, p) = score(&next).unwrap_or((current, current_precise));
        // A line that removes nothing, alone or with the others, is left out.
        if alone == 0 || p >= current_precise {
            continue;
        }
        lines.push(c.line(Tenths(current.saturating_sub(e)), false));
        extras.push(&c.extra);
        chosen = next;
        current = e;
        current_precise = p;
    }
    let after = probe.sums(&body(&chosen), opts)?.exposure();
    let before = before.exposure();
    lines.extend(
        cands
            .iter()
            .filter(|c| c.withheld.is_some())
            .map(|c| c.line(Tenths(0), false)),
    );

    let unit = unit.name.full.clone();
    let dropin = render(
        &Heading {
            unit: &unit,
            tier,
            section,
            before,
            after,
            version: opts.version,
        },
        &lines,
        &extras,
    );
    Ok(Advice {
        unit,
        tier,
        exposure_before: before,
        predicate_before: Predicate::of(before),
        exposure_after: after,
        predicate_after: Predicate::of(after),
        dropin,
        lines,
    })
}

/// The exposure each candidate removes on its own, with its index, most first, measured
/// before the rounding to tenths so that small gains still order correctly (ties keep the
/// candidates' order). Withheld candidates are not scored.
fn alone_gains(
    cands: &[Candidate],
    base_precise: u64,
    score: impl Fn(&[Chosen<'_>]) -> Option<(u32, u64)>,
) -> Vec<(u64, usize)> {
    let mut scored: Vec<(u64, usize)> = Vec::new();
    for (i, c) in cands.iter().enumerate() {
        if c.withheld.is_some() {
            continue;
        }
        let p = score(&[(c.setting, c.value.clone(), &c.extra)]).map_or(base_precise, |s| s.1);
        scored.push((base_precise.saturating_sub(p), i));
    }
    crate::order::sort_by(&mut scored, &|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    scored
}

/// What the drop-in's heading says.
struct Heading<'a> {
    unit: &'a str,
    tier: Tier,
    section: &'a str,
    before: Tenths,
    after: Tenths,
    version: crate::Version,
}

/// The drop-in: the heading, a comment line before each setting (its gain and risk, or that
/// it is left out), then the withheld lines as comments with the reason. `extras` holds the
/// lines that follow each of `lines`.
fn render(h: &Heading<'_>, lines: &[Line], extras: &[&[(&'static str, String)]]) -> String {
    let (unit, section) = (h.unit, h.section);
    let mut dropin = format!(
        "# Hardening suggested by Exposure ({} tier) for {unit}.\n# Exposure {} {} → {} {} (systemd {}). Install as /etc/systemd/system/{unit}.d/{}, then: systemctl daemon-reload; systemctl restart {unit}; systemctl is-active {unit}; undo: rm that file and reload.\n[{section}]\n",
        h.tier.as_str(),
        h.before,
        Predicate::of(h.before),
        h.after,
        Predicate::of(h.after),
        h.version,
        steps::DROPIN_FILE,
    );
    for (l, extra) in lines.iter().zip(extras) {
        // A line left out is a comment, as are the lines that go with it.
        let hash = if l.left_out {
            dropin.push_str(&format!("# Left out · risk: {}.\n", l.may_break));
            "#"
        } else {
            let gain = if l.gain.0 == 0 {
                "< 0.1".to_owned()
            } else {
                format!("\u{2212}{}", l.gain)
            };
            dropin.push_str(&format!("# Gain {gain} · risk: {}.\n", l.may_break));
            ""
        };
        for (k, v) in
            std::iter::once((l.setting, &l.value)).chain(extra.iter().map(|(k, v)| (*k, v)))
        {
            dropin.push_str(hash);
            dropin.push_str(&render_value(k, v));
            dropin.push('\n');
        }
    }
    for l in lines.iter().filter(|l| l.withheld.is_some()) {
        dropin.push_str(&format!(
            "# Not suggested: {}.\n#{}\n",
            // It quotes the unit's own lines: keep their control characters out of the file.
            crate::printable(l.withheld.as_deref().unwrap_or_default()),
            render_value(l.setting, &l.value)
        ));
    }
    dropin
}

/// Within one setting, the strongest value the tier allows (candidates come weaker first).
/// A withheld value does not displace a weaker one the tier allows (a job runner keeps the
/// safe tier's ProtectSystem=full when strict is withheld).
fn strongest(cands: Vec<Candidate>, tier: Tier) -> Vec<Candidate> {
    let mut cands: Vec<Candidate> = cands.into_iter().filter(|c| c.tier <= tier).collect();
    // A few dozen candidates: a list costs the page less code than a hash set.
    let mut seen: Vec<&str> = Vec::new();
    cands.reverse();
    cands.retain(|c| {
        if c.withheld.is_some() {
            return true;
        }
        if seen.contains(&c.setting) {
            return false;
        }
        seen.push(c.setting);
        true
    });
    cands.reverse();
    cands
}

/// Advice for every unit of a paste (a unit file or `systemctl cat` output), in paste order.
/// `systemctl show` input gets none: a drop-in is predicted from unit files, not properties.
pub fn advise_paste(text: &str, opts: &Options, tier: Tier) -> Vec<Advice> {
    advise_paste_leaving_out(text, opts, tier, &[], None)
}

/// [`advise_paste`] with some lines left out ([`advise_leaving_out`]), given as
/// `(unit, setting)` pairs; with `only`, for that unit alone, e.g. the one a page shows, which
/// spares advising every unit of a long paste. Units are named as reports name them (the name
/// assessed: `foo@i.service` for the template `foo@.service`).
pub fn advise_paste_leaving_out(
    text: &str,
    opts: &Options,
    tier: Tier,
    left_out: &[(String, String)],
    only: Option<&str>,
) -> Vec<Advice> {
    if text.len() > crate::MAX_INPUT_BYTES {
        return Vec::new();
    }
    let kind = opts.kind.unwrap_or_else(|| crate::input::detect(text));
    crate::unit_files(text, kind, opts)
        .into_iter()
        .filter_map(|(name, files)| {
            let assessed = crate::unit::UnitName::parse(&name).map_or_else(
                || name.clone(),
                |n| n.assessed_as(opts.version.profile().instance).full,
            );
            if only.is_some_and(|only| only != assessed) {
                return None;
            }
            let out: Vec<&str> = left_out
                .iter()
                .filter(|(u, _)| *u == assessed)
                .map(|(_, s)| s.as_str())
                .collect();
            advise_leaving_out(&name, &files, opts, tier, &out).ok()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    //! The scores below are systemd 252's (checked with its systemd-analyze).
    use super::*;
    use crate::{analyze_unit, load_unit, parse_unit};

    /// The probe (the unit loaded once, each drop-in read on a copy) scores exactly as the
    /// engine does on the unit's files plus the drop-in, including where the drop-in is not
    /// read at all (a refused unit file) or not in effect (an empty unit file, a drop-in that
    /// stops at a fatal line, settings a socket's section does not take).
    #[test]
    fn the_probe_scores_as_the_engine_does() {
        let units = [
            ("plain.service", "[Service]\nExecStart=/usr/bin/true\n"),
            (
                "web@blue.service",
                "[Service]\nUser=%i\nExecStart=/usr/bin/webd %I\nPrivateTmp=yes\nCapabilityBoundingSet=~CAP_SYS_ADMIN\n",
            ),
            ("masked.service", ""),
            // A fatal line in the unit file: systemd reads no drop-in after it.
            (
                "broken.service",
                "[Service]\nExecStart=/usr/bin/true\nUser=%Z\n",
            ),
            (
                "sock.socket",
                "[Socket]\nListenStream=80\n[Service]\nPrivateTmp=yes\n",
            ),
        ];
        let dropins = [
            "",
            "[Service]\nPrivateDevices=yes\nDevicePolicy=closed\n",
            "[Service]\nDynamicUser=yes\nSystemCallFilter=@system-service\nSystemCallFilter=~@privileged\n",
            "[Socket]\nPrivateNetwork=yes\nProtectSystem=strict\n",
            // Stops at the fatal line: ProtectHome= after it is not read.
            "[Service]\nNoNewPrivileges=yes\nUser=%Z\nProtectHome=yes\n",
            "[Service]\nRestrictAddressFamilies=AF_UNIX\nRestrictAddressFamilies=\nIPAddressDeny=any\n",
        ];
        let opts = Options::for_version(crate::Version::V252);
        for (name, text) in units {
            let files = [FileInput::whole(Some("/etc/systemd/system/unit"), text)];
            assert_eq!(
                load_unit(name, &files, opts.version)
                    .unwrap()
                    .loaded
                    .refused
                    .is_some(),
                name == "broken.service" || name == "masked.service",
                "{name}"
            );
            let unit = parse_unit(name, &files, opts.version).unwrap();
            let probe = Probe::new(&unit.name, &unit.files, opts.version);
            assert_eq!(
                probe.model(),
                load_unit(name, &files, opts.version).unwrap().loaded.model
            );
            for dropin in dropins {
                let mut with = files.to_vec();
                with.push(FileInput::whole(Some(DROPIN_PATH), dropin));
                let engine = analyze_unit(name, &with, &opts).unwrap();
                if dropin.contains("%Z") && name.ends_with(".service") && name != "broken.service" {
                    assert!(
                        engine
                            .diagnostics
                            .iter()
                            .any(|d| d.code == "dropin-aborted"),
                        "{name}"
                    );
                }
                let sums = probe.sums(dropin, &opts).unwrap();
                assert_eq!(sums.exposure(), engine.exposure, "{name} with {dropin:?}");
                // The sums are the rows' own numbers.
                let (mut s, mut w) = (0, 0);
                for r in &engine.rows {
                    if let Some(b) = r.detail.badness {
                        s += (u64::from(b) * u64::from(r.detail.weight))
                            .div_ceil(u64::from(r.detail.range));
                        w += u64::from(r.detail.weight);
                    }
                }
                assert_eq!(
                    (sums.badness, sums.weight),
                    (s, w),
                    "{name} with {dropin:?}"
                );
            }
        }
    }

    fn advise_text(name: &str, text: &str, tier: Tier) -> Advice {
        let f = [FileInput::whole(None, text)];
        advise(name, &f, &Options::for_version(crate::Version::V252), tier).unwrap()
    }

    fn has(a: &Advice, setting: &str) -> Option<String> {
        a.lines
            .iter()
            .find(|l| l.setting == setting && l.withheld.is_none())
            .map(|l| l.value.clone())
    }

    #[test]
    fn comments_quote_the_unit_without_its_control_characters() {
        let unit = "[Service]\nExecStart=/usr/bin/true\nWorkingDirectory=/srv/\x1b[8mx\u{202e}\n";
        let a = advise_text("state.service", unit, Tier::Strict);
        let why = a.lines.iter().find_map(|l| l.withheld.as_deref()).unwrap();
        assert!(
            why.contains("/srv/\x1b[8m"),
            "the advice keeps the value: {why}"
        );
        assert!(
            a.dropin
                .contains("(WorkingDirectory=/srv/\\x1b[8mx\\u{202e}) whose ownership"),
            "{}",
            a.dropin
        );
        assert!(!a.dropin.contains(['\x1b', '\u{202e}']), "{}", a.dropin);
    }

    #[test]
    fn units_over_the_size_limit_are_refused() {
        let big = format!("[Service]\n{}", "#".repeat(crate::MAX_INPUT_BYTES));
        let files = [FileInput::whole(None, &big)];
        let e = advise(
            "big.service",
            &files,
            &Options::for_version(crate::Version::V252),
            Tier::Strict,
        )
        .unwrap_err();
        assert_eq!(e.code, "input-too-large");
    }

    #[test]
    fn tiers_lower_the_score_step_by_step() {
        let unit = "[Service]\nExecStart=/usr/bin/true\n";
        let safe = advise_text("plain.service", unit, Tier::Safe);
        let moderate = advise_text("plain.service", unit, Tier::Moderate);
        let strict = advise_text("plain.service", unit, Tier::Strict);
        assert_eq!(safe.exposure_before, Tenths(96));
        assert!(safe.exposure_after < safe.exposure_before);
        assert!(moderate.exposure_after < safe.exposure_after);
        assert!(strict.exposure_after < moderate.exposure_after);
        // The predicted score is what the engine gives the unit with the drop-in applied.
        let f = [
            FileInput::whole(None, unit),
            FileInput::whole(None, &strict.dropin),
        ];
        let r = analyze_unit(
            "plain.service",
            &f,
            &Options::for_version(crate::Version::V252),
        )
        .unwrap();
        assert_eq!(r.exposure, strict.exposure_after);
        // Gains add up to the difference.
        let sum: u32 = strict.lines.iter().map(|l| l.gain.0).sum();
        assert_eq!(sum, strict.exposure_before.0 - strict.exposure_after.0);
    }

    #[test]
    fn a_web_server_keeps_internet_sockets_and_low_ports() {
        let unit = "[Unit]\nAfter=network.target\n[Service]\nExecStart=/usr/sbin/webd\nAmbientCapabilities=CAP_NET_BIND_SERVICE\nUser=www-data\n";
        let a = advise_text("webd.service", unit, Tier::Strict);
        assert_eq!(
            has(&a, "RestrictAddressFamilies").as_deref(),
            Some("AF_UNIX AF_INET AF_INET6")
        );
        assert!(has(&a, "PrivateNetwork").is_none());
        assert!(
            a.dropin
                .contains("CapabilityBoundingSet=CAP_NET_BIND_SERVICE\n")
        );
        // User= names a fixed identity: DynamicUser= is only a comment.
        assert!(has(&a, "DynamicUser").is_none());
        assert!(a.dropin.contains("#DynamicUser=yes"));
    }

    #[test]
    fn a_unit_with_user_and_state_gets_no_dynamic_user() {
        let unit = "[Service]\nExecStart=/usr/bin/db\nStateDirectory=db\n";
        let a = advise_text("db.service", unit, Tier::Strict);
        assert!(has(&a, "DynamicUser").is_none());
        let w = a.lines.iter().find(|l| l.setting == "DynamicUser").unwrap();
        assert!(w.withheld.as_deref().unwrap().contains("StateDirectory=db"));
    }

    #[test]
    fn a_batch_job_gets_dynamic_user_and_no_network() {
        let unit = "[Service]\nType=oneshot\nExecStart=/usr/bin/report\n";
        let a = advise_text("report.service", unit, Tier::Strict);
        assert_eq!(has(&a, "DynamicUser").as_deref(), Some("yes"));
        assert_eq!(has(&a, "PrivateNetwork").as_deref(), Some("yes"));
        assert_eq!(
            has(&a, "RestrictAddressFamilies").as_deref(),
            Some("AF_UNIX")
        );
    }

    #[test]
    fn settings_already_passing_are_not_suggested() {
        let unit = "[Service]\nExecStart=/usr/bin/true\nPrivateTmp=yes\nProtectSystem=strict\n";
        let a = advise_text("x.service", unit, Tier::Strict);
        assert!(has(&a, "PrivateTmp").is_none());
        assert!(has(&a, "ProtectSystem").is_none());
    }

    #[test]
    fn pastes_get_advice_per_unit() {
        let cat = "# /lib/systemd/system/a.service\n[Service]\nExecStart=/x\n# /lib/systemd/system/b.service\n[Service]\nExecStart=/y\nPrivateTmp=yes\n";
        let all = advise_paste(cat, &Options::for_version(crate::Version::V252), Tier::Safe);
        let names: Vec<_> = all.iter().map(|a| a.unit.as_str()).collect();
        assert_eq!(names, ["a.service", "b.service"]);
        assert!(has(&all[0], "PrivateTmp").is_some());
        assert!(has(&all[1], "PrivateTmp").is_none());
        assert!(
            advise_paste(
                "Id=x.service\nLoadState=loaded\nType=simple\n",
                &Options::for_version(crate::Version::V252),
                Tier::Safe
            )
            .is_empty()
        );
    }

    #[test]
    fn leaving_a_line_out_predicts_the_score_without_it() {
        let unit = "[Unit]\nAfter=network.target\n[Service]\nExecStart=/usr/sbin/webd\n";
        let name = "webd.service";
        let files = [FileInput::whole(None, unit)];
        let opts = Options::for_version(crate::Version::V252);
        let all = advise(name, &files, &opts, Tier::Strict).unwrap();
        let out = advise_leaving_out(
            name,
            &files,
            &opts,
            Tier::Strict,
            &["ProtectHome", "PrivateDevices"],
        )
        .unwrap();
        // Every line is still there, in the same order: the ones left out are marked, and a
        // line that only helps without them (DevicePolicy= without PrivateDevices=) joins
        // at its own place.
        let mut rest = out.lines.iter();
        for l in &all.lines {
            assert!(
                rest.any(|o| o.setting == l.setting && o.value == l.value),
                "{} moved or went missing",
                l.setting
            );
        }
        assert!(
            out.lines
                .iter()
                .any(|l| l.setting == "DevicePolicy" && !l.left_out)
        );
        for l in &out.lines {
            let expect = l.setting == "ProtectHome" || l.setting == "PrivateDevices";
            assert_eq!(l.left_out, expect, "{}", l.setting);
            if l.left_out {
                assert_eq!(l.gain, Tenths(0));
                assert!(
                    out.dropin
                        .contains(&format!("\n#{}={}\n", l.setting, l.value))
                );
                assert!(
                    !out.dropin
                        .contains(&format!("\n{}={}\n", l.setting, l.value))
                );
            }
        }
        assert!(out.exposure_after > all.exposure_after);
        assert_eq!(out.exposure_before, all.exposure_before);
        // The prediction is the engine's score with the drop-in as written.
        let with = [files[0], FileInput::whole(None, &out.dropin)];
        let r = analyze_unit(name, &with, &opts).unwrap();
        assert_eq!(r.exposure, out.exposure_after);
        let sum: u32 = out.lines.iter().map(|l| l.gain.0).sum();
        assert_eq!(sum, out.exposure_before.0 - out.exposure_after.0);
        // Leaving out every line offered (and then those offered in their place) ends with a
        // drop-in of comments only, which predicts no change.
        let mut every: Vec<&str> = Vec::new();
        let none = loop {
            let a = advise_leaving_out(name, &files, &opts, Tier::Strict, &every).unwrap();
            let offered: Vec<&str> = a
                .lines
                .iter()
                .filter(|l| !l.left_out && l.withheld.is_none())
                .map(|l| l.setting)
                .collect();
            if offered.is_empty() {
                break a;
            }
            every.extend(offered);
        };
        assert_eq!(none.exposure_after, none.exposure_before);
        assert!(
            none.lines
                .iter()
                .all(|l| l.left_out || l.withheld.is_some())
        );
    }

    #[test]
    fn pastes_leave_lines_out_per_unit() {
        let cat = "# /lib/systemd/system/a.service\n[Service]\nExecStart=/x\n# /lib/systemd/system/b.service\n[Service]\nExecStart=/y\n";
        let out = [("b.service".to_owned(), "PrivateTmp".to_owned())];
        let all = advise_paste_leaving_out(
            cat,
            &Options::for_version(crate::Version::V252),
            Tier::Safe,
            &out,
            None,
        );
        let left = |a: &Advice| {
            a.lines
                .iter()
                .any(|l| l.setting == "PrivateTmp" && l.left_out)
        };
        assert!(!left(&all[0]));
        assert!(left(&all[1]));
        assert!(all[1].exposure_after > all[0].exposure_after);
        // One unit alone.
        let only = advise_paste_leaving_out(
            cat,
            &Options::for_version(crate::Version::V252),
            Tier::Safe,
            &out,
            Some("b.service"),
        );
        assert_eq!(only, all[1..]);
        // A template is named as its report names it, the instance assessed, both to pick it
        // and to leave its lines out.
        let t = "# /lib/systemd/system/t@.service\n[Service]\nExecStart=/x\n";
        let off = [("t@i.service".to_owned(), "PrivateTmp".to_owned())];
        let one = advise_paste_leaving_out(
            t,
            &Options::for_version(crate::Version::V252),
            Tier::Safe,
            &off,
            Some("t@i.service"),
        );
        assert_eq!(one.len(), 1);
        assert_eq!(one[0].unit, "t@i.service");
        assert!(left(&one[0]));
        assert!(
            advise_paste_leaving_out(
                t,
                &Options::for_version(crate::Version::V252),
                Tier::Safe,
                &off,
                Some("t@.service")
            )
            .is_empty()
        );
    }

    /// The drop-in's `ReadWritePaths=` values, in order.
    fn given_back(a: &Advice) -> Vec<&str> {
        a.dropin
            .lines()
            .filter_map(|l| l.strip_prefix("ReadWritePaths="))
            .collect()
    }

    #[test]
    fn a_read_only_file_system_gives_back_the_paths_the_unit_writes() {
        let unit = "[Service]\nUser=app\nPIDFile=/var/run/appd/%i.pid\nWorkingDirectory=/srv/app\nEnvironment=SOCK=/run/app.sock\nExecStartPre=/bin/mkdir -p /var/lib/app/queue\nExecStart=/usr/bin/appd --log=/var/log/appd.log --conf /etc/app.conf\n";
        let a = advise_text("appd.service", unit, Tier::Moderate);
        assert_eq!(has(&a, "ProtectSystem").as_deref(), Some("strict"));
        let rw = given_back(&a);
        // From the unit's lines first, in their order (the PID file's and socket's folders,
        // /var/run read as /run; the log file's folder), then the conventional folders of its
        // names (appd, app); none inside another (/run/appd, /var/lib/app/queue), /etc never,
        // each with '-'.
        assert_eq!(
            rw,
            [
                "-/srv/app",
                "-/run",
                "-/var/log",
                "-/var/lib/appd",
                "-/var/cache/appd",
                "-/var/spool/appd",
                "-/var/lib/app",
                "-/var/cache/app",
                "-/var/spool/app",
            ],
            "{}",
            a.dropin
        );
        // The paths follow ProtectSystem=strict, as part of it.
        assert!(
            a.dropin
                .contains("ProtectSystem=strict\nReadWritePaths=-/srv/app\n"),
            "{}",
            a.dropin
        );
        // The unit writes outside the folders a dynamic user would own.
        let s = advise_text(
            "appd.service",
            "[Service]\nPIDFile=/run/appd.pid\nExecStart=/usr/bin/appd\n",
            Tier::Strict,
        );
        let why = s
            .lines
            .iter()
            .find(|l| l.setting == "DynamicUser")
            .and_then(|l| l.withheld.clone())
            .unwrap();
        assert!(why.contains("/run (PIDFile=/run/appd.pid)"), "{why}");
        // A safe tier leaves /var writable: nothing to give back.
        assert!(given_back(&advise_text("appd.service", unit, Tier::Safe)).is_empty());
    }

    #[test]
    fn a_root_daemon_keeps_low_ports_and_its_user_switch() {
        let unit =
            "[Unit]\nAfter=network.target\n[Service]\nExecStart=/usr/sbin/nginx -g 'daemon on;'\n";
        let a = advise_text("web.service", unit, Tier::Strict);
        let caps: Vec<&str> = a
            .dropin
            .lines()
            .filter_map(|l| l.strip_prefix("CapabilityBoundingSet="))
            .collect();
        assert_eq!(caps[0], "", "{}", a.dropin);
        for c in ["CAP_NET_BIND_SERVICE", "CAP_SETUID", "CAP_SETGID"] {
            assert!(caps[1].split(' ').any(|x| x == c), "{c}: {}", a.dropin);
        }
        // @privileged (setuid, setgroups) stays allowed for it.
        assert!(!a.dropin.contains("~@privileged"), "{}", a.dropin);
        assert!(has(&a, "DynamicUser").is_none() && has(&a, "PrivateUsers").is_none());
        // A root daemon named by -u switches users too.
        let b = advise_text(
            "x.service",
            "[Service]\nExecStart=/usr/sbin/xd -u xd\n",
            Tier::Strict,
        );
        assert!(b.dropin.contains("CAP_SETUID"), "{}", b.dropin);
        // A job runner gets only the safe tier.
        let c = advise_text(
            "cron.service",
            "[Service]\nExecStart=/usr/sbin/cron -f\n",
            Tier::Strict,
        );
        assert!(
            c.lines
                .iter()
                .all(|l| l.tier == Tier::Safe || l.withheld.is_some())
        );
        // …and keeps it: the withheld ProtectSystem=strict does not take ProtectSystem=full
        // away, so no tier scores worse than the one below it.
        assert_eq!(has(&c, "ProtectSystem").as_deref(), Some("full"));
        let safe = advise_text(
            "cron.service",
            "[Service]\nExecStart=/usr/sbin/cron -f\n",
            Tier::Safe,
        );
        assert!(c.exposure_after <= safe.exposure_after);
    }

    #[test]
    fn jit_runtimes_keep_writable_executable_memory() {
        let unit = "[Service]\nExecStart=/usr/bin/java -jar app.jar\n";
        let a = advise_text("app.service", unit, Tier::Moderate);
        assert!(has(&a, "MemoryDenyWriteExecute").is_none());
        assert!(a.dropin.contains("#MemoryDenyWriteExecute=yes"));
    }
}
