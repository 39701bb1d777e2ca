//! Baselines: `--write-baseline FILE` records, per unit, the exposure the threshold sees, the
//! checks that fail (and are not accepted), and the warnings and errors; `--baseline FILE`
//! compares a run with it and fails only on what got worse. `FILE` may also be a document of
//! `--format json`.

use std::collections::{BTreeMap, BTreeSet};

use exposure_core::{Severity, Tenths};
use serde_json::{Value, json};

use crate::Assessed;
use crate::outcome::FailOn;

/// The version of the baseline file's shape.
pub const FORMAT: u64 = 1;

/// One unit as recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub unit: String,
    /// The input it was read from, as named on the command line.
    pub file: String,
    /// The exposure `--threshold` is compared with (with accepted risks); `None` when systemd
    /// refuses the unit.
    pub exposure: Option<Tenths>,
    /// The json_fields of the checks that fail and are not accepted.
    pub failing: BTreeSet<String>,
    /// `code: message` of each warning and error (no line: lines move).
    pub diagnostics: Vec<String>,
}

/// A recorded run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Baseline {
    pub systemd_version: String,
    pub units: Vec<Entry>,
}

fn diagnostic_key(code: &str, message: &str) -> String {
    format!("{code}: {message}")
}

fn tenths(v: &Value) -> Option<Tenths> {
    v.as_f64()
        .filter(|x| (0.0..=10.0).contains(x))
        .map(|x| Tenths((x * 10.0).round() as u32))
}

/// The entry of one assessed unit.
pub fn entry(a: &Assessed) -> Entry {
    let r = &a.report;
    let accepted = |check: usize| a.accepted.iter().any(|x| x.check == check);
    let mut diagnostics: Vec<String> = r
        .diagnostics
        .iter()
        .filter(|d| d.severity >= Severity::Warning)
        .map(|d| diagnostic_key(d.code, &d.message))
        .collect();
    diagnostics.sort();
    Entry {
        unit: r.unit.clone(),
        file: a.path.clone(),
        exposure: r.refused.is_none().then(|| a.effective_exposure()),
        failing: if r.refused.is_some() {
            BTreeSet::new()
        } else {
            r.rows
                .iter()
                .filter(|row| row.set == Some(false) && !accepted(row.detail.check))
                .map(|row| row.json_field.to_owned())
                .collect()
        },
        diagnostics,
    }
}

/// The baseline of a run.
pub fn of(assessed: &[Assessed], systemd_version: &str) -> Baseline {
    let mut units: Vec<Entry> = assessed.iter().map(entry).collect();
    units.sort_by(|a, b| (&a.unit, &a.file).cmp(&(&b.unit, &b.file)));
    Baseline {
        systemd_version: systemd_version.to_owned(),
        units,
    }
}

impl Baseline {
    /// The file's JSON: sorted, without the tool's version or a date, so that it changes only
    /// when the units do.
    pub fn to_json(&self) -> Value {
        let units: Vec<Value> = self
            .units
            .iter()
            .map(|e| {
                json!({
                    "unit": e.unit,
                    "file": e.file,
                    "exposure": e.exposure.map(Tenths::as_f64),
                    "refused": e.exposure.is_none(),
                    "failing": e.failing,
                    "diagnostics": e.diagnostics,
                })
            })
            .collect();
        json!({
            "exposure_baseline": FORMAT,
            "systemd_version": self.systemd_version,
            "units": units,
        })
    }

    /// Reads a baseline file, or a `--format json` document; `Err` says what is wrong.
    pub fn parse(text: &str) -> Result<Baseline, String> {
        let v: Value = serde_json::from_str(text).map_err(|e| format!("not JSON: {e}"))?;
        let version = v["systemd_version"]
            .as_str()
            .ok_or("no \"systemd_version\"")?
            .to_owned();
        let units = v["units"].as_array().ok_or("no \"units\" list")?;
        let field = |u: &Value, k: &str| -> Result<String, String> {
            u[k].as_str()
                .map(str::to_owned)
                .ok_or_else(|| format!("a unit without \"{k}\": {u}"))
        };
        let strings = |u: &Value| -> Vec<String> {
            u.as_array()
                .into_iter()
                .flatten()
                .filter_map(|s| s.as_str().map(str::to_owned))
                .collect()
        };
        let mut out = Vec::new();
        if let Some(format) = v.get("exposure_baseline") {
            if format.as_u64() != Some(FORMAT) {
                return Err(format!(
                    "\"exposure_baseline\": {format} is not a version this exposure reads ({FORMAT})"
                ));
            }
            for u in units {
                let refused = u["refused"].as_bool().unwrap_or(false);
                let exposure = tenths(&u["exposure"]);
                if !refused && exposure.is_none() {
                    return Err(format!("a unit without an exposure from 0 to 10: {u}"));
                }
                let mut diagnostics = strings(&u["diagnostics"]);
                diagnostics.sort();
                out.push(Entry {
                    unit: field(u, "unit")?,
                    file: field(u, "file")?,
                    exposure: if refused { None } else { exposure },
                    failing: strings(&u["failing"]).into_iter().collect(),
                    diagnostics,
                });
            }
        } else if v["schema_version"].as_u64() == Some(1) {
            // A report of --format json: the same facts, spelled out.
            for u in units {
                let refused = u["refused"].is_string();
                let exposure = tenths(&u["exposure_accepted"]).or_else(|| tenths(&u["exposure"]));
                if !refused && exposure.is_none() {
                    return Err(format!("a unit without an exposure from 0 to 10: {u}"));
                }
                let accepted: BTreeSet<&str> = u["accepted"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter_map(|x| x["check"].as_str())
                    .collect();
                let failing = u["checks"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter(|c| c["set"] == Value::Bool(false))
                    .filter_map(|c| c["json_field"].as_str())
                    .filter(|f| !accepted.contains(f))
                    .map(str::to_owned)
                    .collect();
                let mut diagnostics: Vec<String> = u["diagnostics"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter(|d| d["severity"] == "warning" || d["severity"] == "error")
                    .map(|d| {
                        diagnostic_key(
                            d["code"].as_str().unwrap_or_default(),
                            d["message"].as_str().unwrap_or_default(),
                        )
                    })
                    .collect();
                diagnostics.sort();
                out.push(Entry {
                    unit: field(u, "unit")?,
                    file: field(u, "file")?,
                    exposure: if refused { None } else { exposure },
                    failing,
                    diagnostics,
                });
            }
        } else {
            return Err(
                "neither a baseline (--write-baseline) nor a document of --format json".into(),
            );
        }
        Ok(Baseline {
            systemd_version: version,
            units: out,
        })
    }
}

/// A run against a baseline: what got worse fails the run, what got better is reported.
#[derive(Debug, Default, Clone)]
pub struct Comparison {
    /// The baseline file, as named on the command line.
    pub file: String,
    /// What got worse, one message each (`unit: …`): these fail the run.
    pub regressions: Vec<String>,
    /// What got better.
    pub improvements: Vec<String>,
    /// Neither: new units within the threshold, units gone, new diagnostics `--fail-on` does
    /// not count.
    pub notes: Vec<String>,
}

fn names(set: impl IntoIterator<Item = impl AsRef<str>>) -> String {
    set.into_iter()
        .map(|s| s.as_ref().to_owned())
        .collect::<Vec<_>>()
        .join(", ")
}

/// Compares `assessed` with `base`. A unit is matched by name and input, or by name alone when
/// the baseline has one unit of that name; a unit the baseline does not know is held to the
/// threshold.
pub fn compare(
    base: &Baseline,
    file: &str,
    assessed: &[Assessed],
    threshold: u32,
    fail_on: FailOn,
) -> Comparison {
    let mut c = Comparison {
        file: file.to_owned(),
        ..Comparison::default()
    };
    let mut used = vec![false; base.units.len()];
    for a in assessed {
        let now = entry(a);
        let same_name: Vec<usize> = (0..base.units.len())
            .filter(|&i| !used[i] && base.units[i].unit == now.unit)
            .collect();
        let found = same_name
            .iter()
            .copied()
            .find(|&i| base.units[i].file == now.file)
            .or_else(|| (same_name.len() == 1).then(|| same_name[0]));
        let unit = &now.unit;
        // Diagnostics: new ones (counted as a multiset: lines move, texts do not) and fixed ones.
        let mut before: BTreeMap<&str, usize> = BTreeMap::new();
        if let Some(i) = found {
            for d in &base.units[i].diagnostics {
                *before.entry(d).or_default() += 1;
            }
        }
        for d in a
            .report
            .diagnostics
            .iter()
            .filter(|d| d.severity >= Severity::Warning)
        {
            let key = diagnostic_key(d.code, &d.message);
            match before.get_mut(key.as_str()) {
                Some(n) if *n > 0 => *n -= 1,
                _ => {
                    let level = if d.severity == Severity::Error {
                        "error"
                    } else {
                        "warning"
                    };
                    let msg = format!("{unit}: new {level}: {key}");
                    if fail_on.counts(d.severity) {
                        c.regressions.push(msg);
                    } else {
                        c.notes.push(format!(
                            "{msg} (not failing: --fail-on {})",
                            fail_on.as_str()
                        ));
                    }
                }
            }
        }
        for (d, n) in &before {
            for _ in 0..*n {
                c.improvements.push(format!("{unit}: fixed: {d}"));
            }
        }
        let Some(i) = found else {
            match now.exposure {
                None => c.regressions.push(format!(
                    "{unit}: new, and systemd would not load it ({})",
                    a.report.refused.as_deref().unwrap_or_default()
                )),
                Some(e) if e.0 > threshold => c.regressions.push(format!(
                    "{unit}: new, {e} > {} (--threshold {threshold})",
                    Tenths(threshold)
                )),
                Some(e) => c.notes.push(format!("{unit}: new, {e}")),
            }
            continue;
        };
        used[i] = true;
        let old = &base.units[i];
        match (old.exposure, now.exposure) {
            (Some(_), None) => c.regressions.push(format!(
                "{unit}: systemd would not load it any more ({})",
                a.report.refused.as_deref().unwrap_or_default()
            )),
            (None, None) => {}
            (None, Some(e)) => {
                if e.0 > threshold {
                    c.regressions.push(format!(
                        "{unit}: loads now, {e} > {} (--threshold {threshold})",
                        Tenths(threshold)
                    ));
                } else {
                    c.improvements.push(format!("{unit}: loads now, {e}"));
                }
            }
            (Some(b), Some(e)) => {
                if e > b {
                    c.regressions
                        .push(format!("{unit}: exposure {b} → {e} (baseline {b})"));
                } else if e < b {
                    c.improvements.push(format!("{unit}: exposure {b} → {e}"));
                }
                let new: Vec<&String> = now.failing.difference(&old.failing).collect();
                if !new.is_empty() {
                    c.regressions.push(format!(
                        "{unit}: {} newly fail{}: {}",
                        if new.len() == 1 { "a check" } else { "checks" },
                        if new.len() == 1 { "s" } else { "" },
                        names(new)
                    ));
                }
                let passing: Vec<&String> = old.failing.difference(&now.failing).collect();
                if !passing.is_empty() {
                    c.improvements
                        .push(format!("{unit}: passes now: {}", names(passing)));
                }
            }
        }
    }
    for (i, e) in base.units.iter().enumerate() {
        if !used[i] {
            c.notes.push(format!(
                "{}: in the baseline ({}), not in this run",
                e.unit, e.file
            ));
        }
    }
    c
}

impl Comparison {
    /// The comparison in the JSON document.
    pub fn to_json(&self) -> Value {
        json!({
            "file": self.file,
            "regressions": self.regressions,
            "improvements": self.improvements,
            "notes": self.notes,
        })
    }

    /// The lines printed on standard error (after `exposure: `); the regressions are the
    /// run's reasons to fail, printed with them.
    pub fn report(&self) -> Vec<String> {
        let mut out = Vec::new();
        for i in &self.improvements {
            out.push(format!("baseline: improved: {i}"));
        }
        for n in &self.notes {
            out.push(format!("baseline: {n}"));
        }
        if self.regressions.is_empty() {
            out.push(format!(
                "baseline: no regression against {}{}",
                self.file,
                if self.improvements.is_empty() {
                    ""
                } else {
                    " (--write-baseline records the improvements)"
                }
            ));
        }
        out
    }

    /// The section of the job summary (`--format github`).
    pub fn markdown(&self) -> String {
        let mut md = format!(
            "\n### Against the baseline `{}`\n\n",
            self.file.replace('`', "'")
        );
        let list = |md: &mut String, title: &str, items: &[String]| {
            if !items.is_empty() {
                md.push_str(&format!("**{title}:**\n\n"));
                for i in items {
                    md.push_str(&format!(
                        "- {}\n",
                        exposure_core::printable(i).replace('|', "\\|")
                    ));
                }
                md.push('\n');
            }
        };
        if self.regressions.is_empty() {
            md.push_str("No regression.\n\n");
        }
        list(&mut md, "Regressions", &self.regressions);
        list(&mut md, "Improved", &self.improvements);
        list(&mut md, "Notes", &self.notes);
        md
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_baseline_reads_back_as_written() {
        let b = Baseline {
            systemd_version: "252".into(),
            units: vec![
                Entry {
                    unit: "a.service".into(),
                    file: "units/a.service".into(),
                    exposure: Some(Tenths(96)),
                    failing: ["PrivateTmp".to_owned(), "User".to_owned()].into(),
                    diagnostics: vec!["unknown-key: x".into()],
                },
                Entry {
                    unit: "b.service".into(),
                    file: "<stdin>".into(),
                    exposure: None,
                    failing: BTreeSet::new(),
                    diagnostics: vec![],
                },
            ],
        };
        let text = serde_json::to_string(&b.to_json()).unwrap();
        assert_eq!(Baseline::parse(&text), Ok(b));
    }

    #[test]
    fn a_file_that_is_no_baseline_is_refused_with_a_reason() {
        for (text, why) in [
            ("{", "not JSON"),
            ("{\"units\": []}", "systemd_version"),
            ("{\"systemd_version\": \"252\"}", "units"),
            (
                "{\"systemd_version\": \"252\", \"units\": []}",
                "neither a baseline",
            ),
            (
                "{\"exposure_baseline\": 2, \"systemd_version\": \"252\", \"units\": []}",
                "not a version",
            ),
            (
                "{\"exposure_baseline\": 1, \"systemd_version\": \"252\", \"units\": [{\"unit\": \"a.service\", \"file\": \"a\", \"exposure\": 11}]}",
                "exposure from 0 to 10",
            ),
        ] {
            let e = Baseline::parse(text).unwrap_err();
            assert!(e.contains(why), "{text}: {e}");
        }
    }
}
