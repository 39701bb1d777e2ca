//! SARIF 2.1.0 for code scanning (GitHub's subset): rules that teach, results that always have
//! a file and a line, fingerprints that survive edits.
//!
//! Results, by default one per unit with failing checks (its level from systemd's verdict,
//! the checks that cost most named in its message and pointed at as related locations) and
//! one per diagnostic; with `--sarif-results checks`, one per failing check instead of the
//! unit's.

use std::path::Path;

use exposure_core::checks::{Check, REGISTRY};
use exposure_core::{Diagnostic, Predicate, Row, Severity, UnitReport};
use serde_json::{Value, json};

use crate::Assessed;
use crate::locate::{Place, artifact_location, workspace_path};

/// What a result stands for.
#[derive(Copy, Clone, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Granularity {
    /// One result per unit with failing checks, and one per diagnostic.
    Units,
    /// One result per failing check, and one per diagnostic.
    Checks,
}

/// The sum of all check weights in systemd 252, which the overall exposure is a share of.
const TOTAL_WEIGHT: u32 = 56460;

/// How many related locations a unit's result points at, and how many checks its message
/// names.
const RELATED: usize = 10;
const NAMED: usize = 5;

/// GitHub shows at most 1024 characters of a rule's short and full descriptions.
const DESCRIPTION_MAX: usize = 1000;

/// `security-severity` of a check: its weight in systemd's formula over 250, with one decimal,
/// from 0.1 to 10.0 (2500, PrivateNetwork's weight, is 10.0 critical; 2000 is 8.0 high; 1000
/// is 4.0 medium; 500 and less are low).
pub fn check_severity(weight: u32) -> String {
    let tenths = (weight * 10).div_ceil(250).clamp(1, 100);
    format!("{}.{}", tenths / 10, tenths % 10)
}

/// `security-severity` of a unit's result: the lowest exposure systemd gives the unit's
/// verdict (UNSAFE is 9.0 and up: critical; EXPOSED 7.5: high; MEDIUM 5.0: medium; OK 1.0 and
/// SAFE 0.1: low).
pub fn predicate_severity(p: Predicate) -> &'static str {
    match p {
        Predicate::Dangerous => "10.0",
        Predicate::Unsafe => "9.0",
        Predicate::Exposed => "7.5",
        Predicate::Medium => "5.0",
        Predicate::Ok => "1.0",
        Predicate::Safe | Predicate::Perfect => "0.1",
    }
}

/// The level of a unit's result.
fn predicate_level(p: Predicate) -> &'static str {
    match p {
        Predicate::Dangerous | Predicate::Unsafe => "error",
        Predicate::Exposed | Predicate::Medium => "warning",
        Predicate::Ok | Predicate::Safe | Predicate::Perfect => "note",
    }
}

/// At most `max` characters of `s`, with `…` when cut.
fn clip(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        return s.to_owned();
    }
    let mut out: String = s.chars().take(max - 1).collect();
    out.push('…');
    out
}

/// A check's rule: its teaching text as help, its man page, its weight as severity.
fn check_rule(c: &Check) -> Value {
    let d = &c.doc;
    let fix = d
        .fix
        .map(|f| format!("\nDirect fix: {f}\n"))
        .unwrap_or_default();
    let text = format!(
        "{name} ({field}): weight {w} of the {TOTAL_WEIGHT} that systemd-analyze security's \
         exposure is a share of.\n\nPasses: {good}\nFails: {bad}\n\nWhat it does and why it \
         matters: {why}\n{fix}\nWhat it may break: {breaks}\n\nHow to relax it: {relax}\n\n\
         Example drop-in (systemctl edit UNIT):\n{example}\nManual: {url}\n",
        name = c.name,
        field = c.json_field,
        w = c.weight,
        good = d.good,
        bad = d.bad,
        why = d.why,
        breaks = d.breaks,
        relax = d.relax,
        example = d.example,
        url = c.url(),
    );
    let fix_md = d
        .fix
        .map(|f| format!("\n**Direct fix:** `{f}`\n"))
        .unwrap_or_default();
    let markdown = format!(
        "**{name}** (`{field}`), weight {w} of {TOTAL_WEIGHT} in systemd-analyze security's \
         exposure.\n\n- **Passes:** {good}\n- **Fails:** {bad}\n\n### What it does and why it \
         matters\n\n{why}\n{fix_md}\n### What it may break\n\n{breaks}\n\n### How to relax \
         it\n\n{relax}\n\n### Example\n\nA drop-in, e.g. with `systemctl edit UNIT`:\n\n\
         ```ini\n{example}```\n\n[{directive} in the manual]({url})\n",
        name = c.name,
        field = c.json_field,
        w = c.weight,
        good = d.good,
        bad = d.bad,
        why = d.why,
        breaks = d.breaks,
        relax = d.relax,
        example = d.example,
        directive = c.directive,
        url = c.url(),
    );
    json!({
        "id": c.json_field,
        "name": c.name,
        "shortDescription": { "text": clip(&format!("{}: {}", c.name, d.bad), DESCRIPTION_MAX) },
        "fullDescription": { "text": clip(d.why, DESCRIPTION_MAX) },
        "help": { "text": text, "markdown": markdown },
        "helpUri": c.url(),
        "defaultConfiguration": { "level": "warning" },
        "properties": {
            "tags": ["security", "systemd", "hardening", theme_tag(c)],
            "security-severity": check_severity(c.weight),
            "precision": "very-high",
        },
    })
}

fn theme_tag(c: &Check) -> String {
    c.theme.title().to_ascii_lowercase().replace(' ', "-")
}

/// The rule of a unit's result for verdict `p`.
fn unit_rule(p: Predicate) -> Value {
    let word = p.as_str();
    let min = predicate_severity(p);
    let full = format!(
        "systemd-analyze security scores this unit {word}: its overall exposure is {min} or \
         more (out of 10.0), the share of the weight of the hardening checks it fails. The \
         result names the checks that cost most; `exposure UNIT` prints them all, and \
         `exposure suggest UNIT` a drop-in that lowers the score."
    );
    let text = format!(
        "{full}\n\nsystemd's verdicts by overall exposure: 10.0 DANGEROUS, 9.0 UNSAFE, 7.5 \
         EXPOSED, 5.0 MEDIUM, 1.0 OK, 0.1 SAFE, 0.0 PERFECT. Every failing check costs its \
         weight (times how badly it fails); `exposure explain CHECK` says what a check \
         protects against, what it may break and how to relax it.\n"
    );
    let markdown = format!(
        "{full}\n\n| exposure | verdict |\n| --- | --- |\n| 10.0 | DANGEROUS |\n| 9.0 – 9.9 | \
         UNSAFE |\n| 7.5 – 8.9 | EXPOSED |\n| 5.0 – 7.4 | MEDIUM |\n| 1.0 – 4.9 | OK |\n| \
         0.1 – 0.9 | SAFE |\n| 0.0 | PERFECT |\n\nEvery failing check costs its weight (times \
         how badly it fails); `exposure explain CHECK` says what a check protects against, \
         what it may break and how to relax it.\n"
    );
    json!({
        "id": format!("exposure/{}", word.to_ascii_lowercase()),
        "name": format!("Unit{}", title_case(word)),
        "shortDescription": { "text": format!("The unit's exposure is {word} ({min} or more)") },
        "fullDescription": { "text": full },
        "help": { "text": text, "markdown": markdown },
        "helpUri": "https://www.freedesktop.org/software/systemd/man/systemd-analyze.html#systemd-analyze%20security%20%5BUNIT...%5D",
        "defaultConfiguration": { "level": predicate_level(p) },
        "properties": {
            "tags": ["security", "systemd", "hardening"],
            "security-severity": min,
            "precision": "very-high",
        },
    })
}

fn title_case(w: &str) -> String {
    let mut c = w.chars();
    c.next()
        .map(|f| f.to_ascii_uppercase().to_string() + &c.as_str().to_ascii_lowercase())
        .unwrap_or_default()
}

/// The rule of the diagnostics with code `code`.
fn diagnostic_rule(code: &str) -> Value {
    let what = match code {
        "unknown-key" => {
            "a key systemd does not know in this section (often a typo of a hardening option, which then does nothing)"
        }
        "removed-key" => {
            "a key whose support the chosen systemd version has removed, so it ignores the line"
        }
        "wrong-section" | "outside-section" => "a setting in a section where systemd ignores it",
        "invalid-value" => {
            "a value systemd cannot parse and ignores, so the setting keeps its previous value"
        }
        "overridden" => "a line that a later line or drop-in overrides, so it has no effect",
        "not-loaded" | "fatal-setting" => "something that makes systemd refuse to load the unit",
        _ => "a line systemd reads otherwise than written, or a problem of the input",
    };
    let full = format!(
        "Exposure reads unit files as the chosen systemd version does and reports {what}. The result's \
         message says which line and why; diagnostics do not change the score, but a \
         hardening line systemd ignores protects nothing."
    );
    json!({
        "id": format!("diagnostic/{code}"),
        "name": code.split('-').map(title_case).collect::<String>(),
        "shortDescription": { "text": format!("Unit file diagnostic: {code}") },
        "fullDescription": { "text": full },
        "help": { "text": full, "markdown": full },
        "helpUri": "https://www.freedesktop.org/software/systemd/man/systemd.syntax.html",
        "properties": { "tags": ["systemd", "correctness"] },
    })
}

/// The rules of a log, each added once, in the order results first use them.
#[derive(Default)]
struct Rules {
    ids: Vec<String>,
    rules: Vec<Value>,
}

impl Rules {
    fn index(&mut self, id: &str, make: impl FnOnce() -> Value) -> usize {
        if let Some(i) = self.ids.iter().position(|r| r == id) {
            return i;
        }
        self.ids.push(id.to_owned());
        self.rules.push(make());
        self.rules.len() - 1
    }
}

/// A check's exact cost, to rank rows: weight × badness / range (scaled).
pub(crate) fn cost(row: &Row) -> u64 {
    let b = u64::from(row.detail.badness.unwrap_or(0));
    u64::from(row.detail.weight) * b * 1000 / u64::from(row.detail.range.max(1))
}

pub(crate) fn failing(r: &UnitReport) -> Vec<&Row> {
    r.rows
        .iter()
        .filter(|row| row.detail.badness.is_some_and(|b| b > 0))
        .collect()
}

pub(crate) fn row_text(row: &Row) -> String {
    let desc = row
        .description
        .clone()
        .unwrap_or(std::borrow::Cow::Borrowed(row.detail.summary));
    match row.exposure {
        Some(e) => format!("{} {desc} (exposure {e})", row.name),
        None => format!("{} {desc}", row.name),
    }
}

/// One SARIF physical location.
fn location(place: &Place, cwd: &Path, message: Option<String>, id: Option<usize>) -> Value {
    let mut loc = json!({
        "physicalLocation": {
            "artifactLocation": artifact_location(&place.file, cwd),
            "region": { "startLine": place.line.max(1) },
        }
    });
    if let Some(m) = message {
        loc["message"] = json!({ "text": m });
    }
    if let Some(i) = id {
        loc["id"] = json!(i);
    }
    loc
}

/// A SARIF suppression for an accepted check: `inSource` for a comment in the unit's files,
/// `external` for `--accept`.
fn suppression(x: &crate::accept::Accepted) -> Value {
    json!({
        "kind": if x.in_source { "inSource" } else { "external" },
        "status": "accepted",
        "justification": format!("{} ({})", x.reason, x.source),
    })
}

fn fingerprint(unit_file: &str, unit: &str, what: &str) -> Value {
    json!({ "exposureFinding/v1": format!("{unit_file}:{unit}:{what}") })
}

/// Points every check's rule at its entry in the Learn view of the page at `base`
/// (`base#learn/NAME`, the option the check reads) instead of the man page, which the rule's
/// help still links.
pub fn link_rules_to_learn(log: &mut Value, base: &str) {
    let Some(rules) = log["runs"][0]["tool"]["driver"]["rules"].as_array_mut() else {
        return;
    };
    for rule in rules {
        let entry = rule["id"]
            .as_str()
            .and_then(exposure_core::learn::entry_of_check);
        if let Some(name) = entry {
            rule["helpUri"] = Value::String(exposure_core::learn::url(base, name));
        }
    }
}

/// The SARIF log of `assessed`, with `category` as the run's automation id.
pub fn log(
    assessed: &[Assessed],
    granularity: Granularity,
    category: &str,
    systemd_version: &str,
) -> Value {
    let cwd = std::env::current_dir().unwrap_or_default();
    let mut rules = Rules::default();
    let mut results = Vec::new();
    for a in assessed {
        let r = &a.report;
        let anchor = a.anchor();
        // As the artifact is named: `./units/a.service` and `units/a.service` are one file.
        let unit_file = workspace_path(&a.source.unit_file(&r.unit, &a.path), &cwd);
        let place_of = |row: &Row| {
            r.provenance(row)
                .last()
                .map(|o| a.source.artifact(o.file.as_deref(), o.line, &a.path))
        };
        if r.refused.is_none() {
            let mut rows = failing(r);
            match granularity {
                Granularity::Checks => {
                    for row in rows {
                        let c = &REGISTRY[row.detail.check];
                        let idx = rules.index(row.json_field, || check_rule(c));
                        let level = if row.detail.badness == Some(row.detail.range) {
                            "warning"
                        } else {
                            "note"
                        };
                        let mut msg = format!("{}: {}", r.unit, row_text(row));
                        if let Some(fix) = c.doc.fix {
                            msg.push_str(&format!(". Consider {fix}."));
                        }
                        let at = place_of(row).unwrap_or_else(|| anchor.clone());
                        let mut result = json!({
                            "ruleId": row.json_field,
                            "ruleIndex": idx,
                            "level": level,
                            "message": { "text": msg },
                            "locations": [location(&at, &cwd, None, None)],
                            "partialFingerprints": fingerprint(&unit_file, &r.unit, row.json_field),
                        });
                        if let Some(x) = a.accepted.iter().find(|x| x.check == row.detail.check) {
                            result["suppressions"] = json!([suppression(x)]);
                        }
                        results.push(result);
                    }
                }
                Granularity::Units if !rows.is_empty() => {
                    // Costliest first; ties in systemd's order (the sort is stable).
                    rows.sort_by_key(|row| std::cmp::Reverse(cost(row)));
                    // Accepted checks are not named: they cost nothing any more.
                    let accepted_rows = rows.len();
                    rows.retain(|row| !a.accepted.iter().any(|x| x.check == row.detail.check));
                    let accepted_rows = accepted_rows - rows.len();
                    let p = r.predicate;
                    let id = format!("exposure/{}", p.as_str().to_ascii_lowercase());
                    let idx = rules.index(&id, || unit_rule(p));
                    let named: Vec<String> = rows
                        .iter()
                        .take(NAMED)
                        .map(|row| match row.exposure {
                            Some(e) => format!("{} ({e})", row.name),
                            None => row.name.to_owned(),
                        })
                        .collect();
                    let more = rows.len().saturating_sub(NAMED);
                    let mut msg = format!(
                        "{}: exposure {} {} (as systemd-analyze security {systemd_version} \
                         scores it); {} of {} checks fail.",
                        r.unit,
                        r.exposure,
                        p,
                        rows.len() + accepted_rows,
                        r.rows.len(),
                    );
                    if !named.is_empty() {
                        msg.push_str(&format!(" Costing most: {}", named.join(", ")));
                        if more > 0 {
                            msg.push_str(&format!(", and {more} more"));
                        }
                        msg.push('.');
                    }
                    if let Some(e) = a.accepted_exposure {
                        msg.push_str(&format!(
                            " With its {accepted_rows} failing check(s) accepted: {e} {}.",
                            Predicate::of(e)
                        ));
                    }
                    let related: Vec<Value> = rows
                        .iter()
                        .filter_map(|row| place_of(row).map(|at| (row, at)))
                        .take(RELATED)
                        .enumerate()
                        .map(|(i, (row, at))| location(&at, &cwd, Some(row_text(row)), Some(i)))
                        .collect();
                    let mut result = json!({
                        "ruleId": id,
                        "ruleIndex": idx,
                        "level": predicate_level(p),
                        "message": { "text": msg },
                        "locations": [location(&anchor, &cwd, None, None)],
                        "partialFingerprints": fingerprint(&unit_file, &r.unit, "exposure"),
                        "properties": {
                            "exposure": r.exposure.as_f64(),
                            "predicate": p.as_str(),
                            "failingChecks": rows.iter().map(|row| row.json_field).collect::<Vec<_>>(),
                        },
                    });
                    if !related.is_empty() {
                        result["relatedLocations"] = json!(related);
                    }
                    if rows.is_empty() {
                        // Every failing check is accepted: so is the unit's result.
                        result["suppressions"] =
                            json!(a.accepted.iter().map(suppression).collect::<Vec<_>>());
                    }
                    results.push(result);
                }
                Granularity::Units => {}
            }
        }
        for d in &r.diagnostics {
            results.push(diagnostic_result(
                d, a, &anchor, &unit_file, &cwd, &mut rules,
            ));
        }
    }
    json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": {
                "name": "exposure",
                "version": env!("CARGO_PKG_VERSION"),
                "semanticVersion": env!("CARGO_PKG_VERSION"),
                "informationUri": "https://www.freedesktop.org/software/systemd/man/systemd-analyze.html",
                "rules": rules.rules,
            }},
            "automationDetails": { "id": category },
            "originalUriBaseIds": {
                "%SRCROOT%": { "uri": format!("file://{}/", crate::locate::uri(&cwd.to_string_lossy()).trim_end_matches('/')) },
            },
            "columnKind": "unicodeCodePoints",
            "properties": { "systemdVersion": systemd_version },
            "results": results,
        }],
    })
}

fn diagnostic_result(
    d: &Diagnostic,
    a: &Assessed,
    anchor: &Place,
    unit_file: &str,
    cwd: &Path,
    rules: &mut Rules,
) -> Value {
    let id = format!("diagnostic/{}", d.code);
    let idx = rules.index(&id, || diagnostic_rule(d.code));
    let level = match d.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    };
    let at = match d.line() {
        Some(l) => a.source.artifact(d.file.as_deref(), l, &a.path),
        None => anchor.clone(),
    };
    let mut msg = format!("{}: {}", a.report.unit, d.message);
    if let Some(h) = &d.help {
        msg.push_str(&format!(" ({h})"));
    }
    // The message names the key and value: stable when lines move. The file is the one the
    // diagnostic is in, for two drop-ins with the same mistake.
    let file = d
        .file
        .as_deref()
        .map(|f| {
            let file = a
                .source
                .in_file(Some(f), d.line().unwrap_or(0), &a.path)
                .file;
            workspace_path(&file, cwd)
        })
        .unwrap_or_else(|| unit_file.to_owned());
    json!({
        "ruleId": id,
        "ruleIndex": idx,
        "level": level,
        "message": { "text": msg },
        "locations": [location(&at, cwd, None, None)],
        "partialFingerprints": fingerprint(&file, &a.report.unit, &format!("{}:{}", d.code, without_digits(&d.message))),
    })
}

/// `s` with each run of digits written `#`: messages that quote line numbers stay the same
/// when lines move.
fn without_digits(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if c.is_ascii_digit() {
            if !out.ends_with('#') {
                out.push('#');
            }
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn severities_follow_weights_and_verdicts() {
        assert_eq!(check_severity(2500), "10.0");
        assert_eq!(check_severity(2000), "8.0");
        assert_eq!(check_severity(1000), "4.0");
        assert_eq!(check_severity(500), "2.0");
        assert_eq!(check_severity(100), "0.4");
        assert_eq!(check_severity(10), "0.1");
        for c in &REGISTRY {
            let s: f64 = check_severity(c.weight).parse().unwrap();
            assert!((0.1..=10.0).contains(&s), "{}", c.name);
        }
        assert_eq!(predicate_severity(Predicate::Unsafe), "9.0");
        assert_eq!(clip("abcdef", 4), "abc…");
        assert_eq!(title_case("UNSAFE"), "Unsafe");
        assert_eq!(title_case("overridden"), "Overridden");
        assert_eq!(
            without_digits("set again on line 12 (of 3)"),
            "set again on line # (of #)"
        );
    }
}
