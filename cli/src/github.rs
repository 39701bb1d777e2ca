//! `--format github`: workflow-command annotations for GitHub Actions, and a Markdown job
//! summary (appended to `$GITHUB_STEP_SUMMARY` when it is set).
//!
//! GitHub shows at most 10 annotations of each kind (error, warning, notice) per step: the
//! ones shown are the units that cost most (by exposure) and then the diagnostics (errors,
//! then warnings, then the rest), and the summary says what was left out.

use std::path::Path;

use exposure_core::{Predicate, Severity};

use crate::Assessed;
use crate::locate::{Place, workspace_path};
use crate::outcome::Outcome;
use crate::render::md_cell;
use crate::sarif::{cost, failing};

/// GitHub's limit of annotations of one kind per step.
pub const PER_KIND: usize = 10;

/// The kinds of annotation, as workflow commands name them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Kind {
    Error,
    Warning,
    Notice,
}

impl Kind {
    fn command(self) -> &'static str {
        match self {
            Kind::Error => "error",
            Kind::Warning => "warning",
            Kind::Notice => "notice",
        }
    }
}

struct Annotation {
    kind: Kind,
    /// Higher first: a unit's exposure in tenths (plus 1000 so units come before diagnostics).
    rank: u32,
    place: Place,
    title: String,
    message: String,
}

/// A workflow command's message: `%`, CR and LF escaped (and, as everywhere, the input's
/// control characters).
fn escape_data(s: &str) -> String {
    exposure_core::printable(s)
        .replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// A workflow command's property value: also `:` and `,`.
fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

fn unit_kind(p: Predicate) -> Kind {
    match p {
        Predicate::Dangerous | Predicate::Unsafe => Kind::Error,
        Predicate::Exposed | Predicate::Medium => Kind::Warning,
        _ => Kind::Notice,
    }
}

/// The annotations and the Markdown summary of a run.
pub fn render(assessed: &[Assessed], outcome: &Outcome, systemd_version: &str) -> (String, String) {
    let cwd = std::env::current_dir().unwrap_or_default();
    let mut all: Vec<Annotation> = Vec::new();
    for a in assessed {
        let r = &a.report;
        let anchor = a.anchor();
        if r.refused.is_none() {
            let mut rows = failing(r);
            rows.sort_by_key(|row| std::cmp::Reverse(cost(row)));
            // Accepted checks cost nothing any more: a unit whose failing checks are all
            // accepted gets no annotation.
            rows.retain(|row| !a.accepted.iter().any(|x| x.check == row.detail.check));
            if !rows.is_empty() {
                let e = a.effective_exposure();
                let title = match a.accepted_exposure {
                    Some(_) => format!(
                        "{}: {e} {} with accepted risks ({} {} as systemd scores it)",
                        r.unit,
                        Predicate::of(e),
                        r.exposure,
                        r.predicate
                    ),
                    None => format!("{}: {} {}", r.unit, r.exposure, r.predicate),
                };
                let named: Vec<String> = rows
                    .iter()
                    .take(5)
                    .map(|row| match row.exposure {
                        Some(e) => format!("{} ({e})", row.name),
                        None => row.name.to_owned(),
                    })
                    .collect();
                all.push(Annotation {
                    kind: unit_kind(Predicate::of(e)),
                    rank: 1000 + e.0,
                    place: anchor.clone(),
                    title,
                    message: format!(
                        "{} of {} checks fail. Costing most: {}. `exposure suggest` proposes a drop-in.",
                        rows.len(),
                        r.rows.len(),
                        named.join(", ")
                    ),
                });
            }
        }
        for d in &r.diagnostics {
            let place = match d.line() {
                Some(l) => a.source.artifact(d.file.as_deref(), l, &a.path),
                None => anchor.clone(),
            };
            let (kind, rank) = match d.severity {
                Severity::Error => (Kind::Error, 2),
                Severity::Warning => (Kind::Warning, 1),
                Severity::Info => (Kind::Notice, 0),
            };
            let mut message = d.message.clone();
            if let Some(h) = &d.help {
                message.push_str(&format!(" ({h})"));
            }
            all.push(Annotation {
                kind,
                rank,
                place,
                title: format!("{}: {}", r.unit, d.code),
                message,
            });
        }
    }
    // Stable: equal ranks keep input order.
    all.sort_by_key(|a| (a.kind, std::cmp::Reverse(a.rank)));
    let mut shown = String::new();
    let mut left_out = [0usize; 3];
    let mut per_kind = [0usize; 3];
    for a in &all {
        let k = a.kind as usize;
        if per_kind[k] == PER_KIND {
            left_out[k] += 1;
            continue;
        }
        per_kind[k] += 1;
        shown.push_str(&format!(
            "::{} file={},line={},title={}::{}\n",
            a.kind.command(),
            escape_property(&workspace_path(&a.place.file, &cwd)),
            a.place.line.max(1),
            escape_property(&a.title),
            escape_data(&a.message)
        ));
    }
    let summary = summary(assessed, outcome, systemd_version, &left_out, &cwd);
    (shown, summary)
}

fn summary(
    assessed: &[Assessed],
    outcome: &Outcome,
    systemd_version: &str,
    left_out: &[usize; 3],
    cwd: &Path,
) -> String {
    let mut md = format!(
        "## Exposure\n\nScores as `systemd-analyze security` (systemd {systemd_version}) gives \
         them; threshold {}.\n\n| Unit | Exposure | Verdict | File | Costing most |\n| --- | \
         ---: | --- | --- | --- |\n",
        exposure_core::Tenths(outcome.threshold)
    );
    for a in assessed {
        let r = &a.report;
        let file = md_cell(&workspace_path(&a.source.unit_file(&r.unit, &a.path), cwd));
        if let Some(why) = &r.refused {
            md.push_str(&format!(
                "| `{}` | | not assessed | {file} | {} |\n",
                md_cell(&r.unit),
                md_cell(why)
            ));
            continue;
        }
        let mut rows = failing(r);
        rows.sort_by_key(|row| std::cmp::Reverse(cost(row)));
        let top: Vec<String> = rows
            .iter()
            .take(3)
            .map(|row| format!("`{}`", md_cell(row.name)))
            .collect();
        let crossed = if r.exposure.0 > outcome.threshold {
            " ⛔"
        } else {
            ""
        };
        md.push_str(&format!(
            "| `{}` | {}{crossed} | {} | {file} | {} |\n",
            md_cell(&r.unit),
            r.exposure,
            r.predicate,
            top.join(", ")
        ));
    }
    let [info, warning, error] = outcome.diagnostics;
    md.push_str(&format!(
        "\nDiagnostics: {error} errors, {warning} warnings, {info} notes.\n"
    ));
    let mut out_notes = Vec::new();
    for (k, name) in [(0, "error"), (1, "warning"), (2, "notice")] {
        if left_out[k] > 0 {
            out_notes.push(format!(
                "{} {name} annotation{} (GitHub shows {PER_KIND} of each kind per step)",
                left_out[k],
                if left_out[k] == 1 { "" } else { "s" }
            ));
        }
    }
    for u in &outcome.unreadable {
        out_notes.push(format!("not read: {}", md_cell(u)));
    }
    if !out_notes.is_empty() {
        md.push_str("\n**Left out:**\n\n");
        for n in out_notes {
            md.push_str(&format!("- {n}\n"));
        }
    }
    if let Some(c) = &outcome.baseline {
        md.push_str(&c.markdown());
    }
    let reasons = outcome.reasons();
    if outcome.failed() {
        md.push_str("\n**Failed:**");
        if reasons.is_empty() {
            md.push_str(" a unit could not be read or assessed.\n");
        } else {
            md.push('\n');
            md.push('\n');
            for r in reasons {
                md.push_str(&format!("- {}\n", md_cell(&r)));
            }
        }
    } else {
        md.push_str("\n**Passed.**\n");
    }
    md
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn workflow_commands_are_escaped() {
        assert_eq!(escape_data("50% a:b"), "50%25 a:b");
        assert_eq!(escape_property("a:b,c%"), "a%3Ab%2Cc%25");
        assert_eq!(md_cell("a|b\nc`"), "a\\|b\\nc'");
    }
}
