//! `--format json`: one versioned document, `docs/exposure-report.schema.json` describes it.

use exposure_core::Version;
use serde_json::{Value, json};

use crate::Assessed;
use crate::outcome::Outcome;

pub use exposure_core::document::SCHEMA_VERSION;

/// The document for `assessed`, with the run's `outcome`.
pub fn document(assessed: &[Assessed], outcome: &Outcome, version: Version) -> Value {
    let units: Vec<Value> = assessed
        .iter()
        .map(|a| {
            let mut u = crate::render::json_unit(&a.report, version);
            u["file"] = json!(a.path);
            u["exposure_accepted"] = json!(a.accepted_exposure.map(|e| e.as_f64()));
            u["accepted"] = a
                .accepted
                .iter()
                .map(|x| {
                    json!({
                        "check": exposure_core::checks::REGISTRY[x.check].json_field,
                        "reason": x.reason,
                        "source": x.source,
                        "expires": x.expires,
                    })
                })
                .collect();
            u
        })
        .collect();
    let highest = assessed
        .iter()
        .filter(|a| a.report.refused.is_none())
        .map(|a| a.report.exposure)
        .max();
    let [info, warning, error] = outcome.diagnostics;
    let mut doc = json!({
        "schema_version": SCHEMA_VERSION,
        "tool": { "name": "exposure", "version": env!("CARGO_PKG_VERSION") },
        "systemd_version": version.as_str(),
        "units": units,
        "summary": {
            "units": assessed.len(),
            "assessed": assessed.len() - outcome.refused,
            "refused": outcome.refused,
            "unreadable": outcome.unreadable,
            "highest_exposure": highest.map(|e| e.as_f64()),
            "threshold": f64::from(outcome.threshold) / 10.0,
            "above_threshold": outcome.above.iter().map(|(u, _, _)| u).collect::<Vec<_>>(),
            "diagnostics": { "error": error, "warning": warning, "info": info },
            "fail_on": outcome.fail_on.map(|f| f.as_str()),
            "failed": outcome.failed(),
        },
    });
    if let Some(c) = &outcome.baseline {
        doc["baseline"] = c.to_json();
    }
    doc
}
