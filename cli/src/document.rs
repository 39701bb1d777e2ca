//! `--format json`: one versioned document, `docs/exposure-report.schema.json` describes it.
//! Serialized straight from the reports (no tree of JSON values in between).

use exposure_core::document::UnitJson;
use exposure_core::{Tenths, Version};
use serde::Serialize;
use serde_json::Value;

use crate::Assessed;
use crate::outcome::Outcome;

pub use exposure_core::document::SCHEMA_VERSION;

#[derive(Serialize)]
pub struct Document<'a> {
    schema_version: u32,
    tool: Tool,
    systemd_version: &'static str,
    units: Units<'a>,
    summary: Summary<'a>,
    #[serde(skip_serializing_if = "Option::is_none")]
    baseline: Option<Value>,
}

#[derive(Serialize)]
struct Tool {
    name: &'static str,
    version: &'static str,
}

struct Units<'a>(&'a [Assessed], Version);

impl Serialize for Units<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.0.iter().map(|a| unit_doc(a, self.1)))
    }
}

fn unit_doc(a: &Assessed, version: Version) -> UnitDoc<'_> {
    UnitDoc {
        base: UnitJson::new(&a.report, version),
        file: &a.path,
        exposure_accepted: a.accepted_exposure.map(Tenths::as_f64),
        accepted: a.accepted.iter().map(AcceptedDoc::from).collect(),
    }
}

/// The document's pretty text, exactly `render::json_text(&document(..))`, with the units
/// (nearly all of the text) serialized on all cores and put in place in input order.
pub fn text(assessed: &[Assessed], outcome: &Outcome, version: Version) -> String {
    // A unit is an element of the array of the document's units field: two levels deep.
    let units = crate::par::map(assessed, |a| {
        crate::render::json_text_at(&unit_doc(a, version), 2)
    });
    let mut doc = document(assessed, outcome, version);
    doc.units = Units(&[], version);
    let frame = crate::render::json_text(&doc);
    // The first such line is the document's own: field names are fixed and strings escaped.
    let empty = "\n  \"units\": [],\n";
    let at = frame.find(empty).expect("the document has a units field");
    let size: usize = units.iter().map(|u| u.len() + 6).sum();
    let mut out = String::with_capacity(frame.len() + size);
    out.push_str(&frame[..at]);
    out.push_str("\n  \"units\": [");
    for (i, unit) in units.iter().enumerate() {
        out.push_str(if i > 0 { ",\n    " } else { "\n    " });
        out.push_str(unit);
    }
    if !units.is_empty() {
        out.push_str("\n  ");
    }
    out.push_str("],\n");
    out.push_str(&frame[at + empty.len()..]);
    out
}

/// A unit of the document: the unit as core shapes it, then where it came from and what was
/// accepted.
#[derive(Serialize)]
struct UnitDoc<'a> {
    #[serde(flatten)]
    base: UnitJson<'a>,
    file: &'a str,
    exposure_accepted: Option<f64>,
    accepted: Vec<AcceptedDoc<'a>>,
}

#[derive(Serialize)]
struct AcceptedDoc<'a> {
    check: &'static str,
    reason: &'a str,
    source: &'a str,
    expires: Option<&'a str>,
}

impl<'a> From<&'a crate::accept::Accepted> for AcceptedDoc<'a> {
    fn from(x: &'a crate::accept::Accepted) -> Self {
        AcceptedDoc {
            check: exposure_core::checks::REGISTRY[x.check].json_field,
            reason: &x.reason,
            source: &x.source,
            expires: x.expires.as_deref(),
        }
    }
}

#[derive(Serialize)]
struct Summary<'a> {
    units: usize,
    assessed: usize,
    refused: usize,
    unreadable: &'a [String],
    highest_exposure: Option<f64>,
    threshold: f64,
    above_threshold: Vec<&'a str>,
    diagnostics: Counts,
    fail_on: Option<&'static str>,
    failed: bool,
}

#[derive(Serialize)]
struct Counts {
    error: usize,
    warning: usize,
    info: usize,
}

/// The document for `assessed`, with the run's `outcome`.
pub fn document<'a>(
    assessed: &'a [Assessed],
    outcome: &'a Outcome,
    version: Version,
) -> Document<'a> {
    let highest = assessed
        .iter()
        .filter(|a| a.report.refused.is_none())
        .map(|a| a.report.exposure)
        .max();
    let [info, warning, error] = outcome.diagnostics;
    Document {
        schema_version: SCHEMA_VERSION,
        tool: Tool {
            name: "exposure",
            version: env!("CARGO_PKG_VERSION"),
        },
        systemd_version: version.as_str(),
        units: Units(assessed, version),
        summary: Summary {
            units: assessed.len(),
            assessed: assessed.len() - outcome.refused,
            refused: outcome.refused,
            unreadable: &outcome.unreadable,
            highest_exposure: highest.map(Tenths::as_f64),
            threshold: f64::from(outcome.threshold) / 10.0,
            above_threshold: outcome.above.iter().map(|(u, _, _)| u.as_str()).collect(),
            diagnostics: Counts {
                error,
                warning,
                info,
            },
            fail_on: outcome.fail_on.map(|f| f.as_str()),
            failed: outcome.failed(),
        },
        baseline: outcome.baseline.as_ref().map(|c| c.to_json()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_text_is_the_serialized_document() {
        let version = Version::default();
        let texts = [
            "[Service]\nExecStart=/bin/true\n",
            "[Service]\nExecStart=/bin/sleep 1\nPrivateTmp=yes\nUser=nobody\n",
            "[Service]\nExecStart=/bin/x\nDescription=caf\u{e9} \u{202e}\n",
        ];
        for n in 0..=texts.len() {
            let assessed: Vec<Assessed> = texts[..n]
                .iter()
                .enumerate()
                .map(|(i, t)| {
                    let opts = exposure_core::Options {
                        version,
                        unit_name: Some(format!("u{i}.service")),
                        ..Default::default()
                    };
                    let a = exposure_core::analyze(t, &opts);
                    let source = crate::locate::Source::Disk {
                        unit_file: format!("u{i}.service"),
                        service_line: Some(1),
                    };
                    let report = a.units.into_iter().next().expect("a unit");
                    Assessed::new(format!("u{i}.service"), report, std::sync::Arc::new(source))
                })
                .collect();
            let outcome = Outcome::of(
                &assessed,
                0,
                crate::outcome::FailOn::Warning,
                vec!["gone\n".into()],
            );
            let whole = crate::render::json_text(&document(&assessed, &outcome, version));
            assert_eq!(text(&assessed, &outcome, version), whole, "{n} units");
        }
    }
}
