//! Whether a run fails, and why: units above `--threshold`, units not assessed, inputs not
//! read, and diagnostics at the level `--fail-on` names.

use exposure_core::{Severity, Tenths};

use crate::Assessed;

/// Which diagnostics fail the run.
#[derive(Copy, Clone, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum FailOn {
    /// Diagnostics never fail the run (the threshold and refusals still do).
    Never,
    /// Warnings and errors fail it: unknown keys, settings systemd ignores, invalid values.
    Warning,
    /// Errors fail it: what makes systemd refuse a unit or a file.
    Error,
}

impl FailOn {
    pub fn as_str(self) -> &'static str {
        match self {
            FailOn::Never => "never",
            FailOn::Warning => "warning",
            FailOn::Error => "error",
        }
    }
    pub(crate) fn counts(self, s: Severity) -> bool {
        match self {
            FailOn::Never => false,
            FailOn::Warning => s >= Severity::Warning,
            FailOn::Error => s >= Severity::Error,
        }
    }
}

/// How many risks a unit accepted, and systemd's own score of it.
pub type WithAccepted = (usize, Tenths);

/// What a run found that decides its exit status.
#[derive(Debug, Default)]
pub struct Outcome {
    /// The threshold, in tenths.
    pub threshold: u32,
    /// Units above it, with the exposure compared (with accepted risks, if any) and, when
    /// risks were accepted, how many and systemd's own score.
    pub above: Vec<(String, Tenths, Option<WithAccepted>)>,
    /// Units systemd would not load (they are reported as not assessed).
    pub refused: usize,
    /// Messages of inputs that could not be read or had no unit.
    pub unreadable: Vec<String>,
    /// Diagnostics of the assessed units by severity: info, warning, error.
    pub diagnostics: [usize; 3],
    /// How many of them `--fail-on` counts.
    pub failing_diagnostics: usize,
    pub fail_on: Option<FailOn>,
    /// The comparison with `--baseline`: then only its regressions (and inputs not read) fail
    /// the run, instead of the threshold, refusals and diagnostics.
    pub baseline: Option<crate::baseline::Comparison>,
}

impl Outcome {
    pub fn of(
        assessed: &[Assessed],
        threshold: u32,
        fail_on: FailOn,
        unreadable: Vec<String>,
    ) -> Outcome {
        let mut o = Outcome {
            threshold,
            unreadable,
            fail_on: Some(fail_on),
            ..Outcome::default()
        };
        for a in assessed {
            let r = &a.report;
            if r.refused.is_some() {
                o.refused += 1;
            } else if a.effective_exposure().0 > threshold {
                let accepted = a.accepted_exposure.map(|_| (a.accepted.len(), r.exposure));
                o.above
                    .push((r.unit.clone(), a.effective_exposure(), accepted));
            }
            for d in &r.diagnostics {
                o.diagnostics[d.severity as usize] += 1;
                if fail_on.counts(d.severity) {
                    o.failing_diagnostics += 1;
                }
            }
        }
        o
    }

    /// Whether the run fails (exit status 1).
    pub fn failed(&self) -> bool {
        if let Some(c) = &self.baseline {
            return !c.regressions.is_empty() || !self.unreadable.is_empty();
        }
        !self.above.is_empty()
            || self.refused > 0
            || !self.unreadable.is_empty()
            || self.failing_diagnostics > 0
    }

    /// Why the run fails, one message a line (after `exposure: `): each unit above the
    /// threshold, and the diagnostics `--fail-on` counts.
    pub fn reasons(&self) -> Vec<String> {
        if let Some(c) = &self.baseline {
            return c
                .regressions
                .iter()
                .map(|r| format!("regression against {}: {r}", c.file))
                .collect();
        }
        let mut out: Vec<String> = self
            .above
            .iter()
            .map(|(unit, e, accepted)| {
                let with = accepted
                    .map(|(n, systemd)| {
                        format!(
                            " with {n} accepted risk{} (systemd's score: {systemd})",
                            if n == 1 { "" } else { "s" }
                        )
                    })
                    .unwrap_or_default();
                format!(
                    "{unit}: {e}{with} > {} (--threshold {})",
                    Tenths(self.threshold),
                    self.threshold
                )
            })
            .collect();
        if self.failing_diagnostics > 0 {
            let fail_on = self.fail_on.unwrap_or(FailOn::Never);
            let what = if fail_on == FailOn::Error {
                "error"
            } else {
                "warning or error"
            };
            out.push(format!(
                "{} diagnostic{} at {what} level (--fail-on {})",
                self.failing_diagnostics,
                if self.failing_diagnostics == 1 {
                    ""
                } else {
                    "s"
                },
                fail_on.as_str()
            ));
        }
        out
    }
}
