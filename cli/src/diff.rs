//! `exposure diff OLD NEW`: what a change to units does to their exposure, for a pull request.
//! Per unit the score before and after, every check whose row changed (before, after, weight,
//! the lines that set it), what a check that passes now protects against and may break, what
//! a check that fails now no longer protects against, and the diagnostics the change brings
//! or fixes. Markdown (a PR comment, `$GITHUB_STEP_SUMMARY`) or JSON.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::ExitCode;

use exposure_core::checks::REGISTRY;
use exposure_core::{Options, Row, Severity, Tenths, UnitReport, Version};
use serde_json::{Value, json};

use crate::Assessed;
use crate::render::md_cell;

/// The version of the JSON shape of `exposure diff --format json`.
pub const DIFF_VERSION: u32 = 1;

#[derive(Copy, Clone, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// A report for a pull request comment or the job summary.
    Markdown,
    Json,
}

/// A line of a unit's files, as a person opens it.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Line {
    file: String,
    line: u32,
    directive: String,
}

/// One check whose row differs.
struct Changed<'a> {
    before: &'a Row,
    after: &'a Row,
    /// The lines that set the values the check read: in NEW when it improved, in OLD when it
    /// got worse (the lines the change removed or altered).
    lines: Vec<Line>,
}

impl Changed<'_> {
    /// The row's change in tenths, as systemd prints the rows.
    fn delta(&self) -> i64 {
        let t = |r: &Row| i64::from(r.exposure.map_or(0, |e| e.0));
        t(self.after) - t(self.before)
    }
    /// Whether the check is better off: passes now, or costs less.
    fn better(&self) -> bool {
        self.delta() < 0 || (self.delta() == 0 && self.after.set == Some(true))
    }
    /// Whether the check is worse off: costs more, or fails now (a row that only changed its
    /// text, e.g. to "does not apply", is neither).
    fn worse(&self) -> bool {
        self.delta() > 0 || (self.delta() == 0 && self.after.set == Some(false))
    }
}

/// A unit in OLD, NEW or both.
struct Pair<'a> {
    old: Option<&'a Assessed>,
    new: Option<&'a Assessed>,
}

fn lines(row: &Row, a: &Assessed) -> Vec<Line> {
    let mut out: Vec<Line> = Vec::new();
    for o in a.report.provenance(row) {
        let at = a.source.in_file(o.file.as_deref(), o.line, &a.path);
        let l = Line {
            file: at.file,
            line: at.line,
            directive: o.directive.to_string(),
        };
        if !out.contains(&l) {
            out.push(l);
        }
    }
    out
}

fn changed<'a>(old: &'a Assessed, new: &'a Assessed) -> Vec<Changed<'a>> {
    let before: BTreeMap<usize, &Row> = old
        .report
        .rows
        .iter()
        .map(|r| (r.detail.check, r))
        .collect();
    let mut out = Vec::new();
    for after in &new.report.rows {
        let Some(before) = before.get(&after.detail.check) else {
            continue;
        };
        if before.set == after.set
            && before.exposure == after.exposure
            && before.description == after.description
        {
            continue;
        }
        let mut c = Changed {
            before,
            after,
            lines: Vec::new(),
        };
        c.lines = if c.worse() {
            lines(before, old)
        } else {
            lines(after, new)
        };
        out.push(c);
    }
    // What moved the score most first; then systemd's order.
    out.sort_by_key(|c| std::cmp::Reverse(c.delta().abs()));
    out
}

/// `code: message` of each warning and error, with where it is.
fn diagnostics(a: &Assessed) -> Vec<(String, Severity, String)> {
    a.report
        .diagnostics
        .iter()
        .filter(|d| d.severity >= Severity::Warning)
        .map(|d| {
            let at = match d.line() {
                Some(l) => {
                    let p = a.source.in_file(d.file.as_deref(), l, &a.path);
                    format!("{}:{}", p.file, p.line)
                }
                None => d.file.clone().unwrap_or_else(|| a.path.clone()),
            };
            (format!("{}: {}", d.code, d.message), d.severity, at)
        })
        .collect()
}

/// The diagnostics of `b` that `a` does not have (as a multiset of texts: lines move).
fn added(a: Option<&Assessed>, b: Option<&Assessed>) -> Vec<(String, Severity, String)> {
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    for (k, _, _) in a.map(diagnostics).unwrap_or_default() {
        *seen.entry(k).or_default() += 1;
    }
    b.map(diagnostics)
        .unwrap_or_default()
        .into_iter()
        .filter(|(k, _, _)| match seen.get_mut(k) {
            Some(n) if *n > 0 => {
                *n -= 1;
                false
            }
            _ => true,
        })
        .collect()
}

fn pairs<'a>(old: &'a [Assessed], new: &'a [Assessed]) -> Vec<Pair<'a>> {
    // Two single units are the same unit, whatever their names.
    if old.len() == 1 && new.len() == 1 {
        return vec![Pair {
            old: Some(&old[0]),
            new: Some(&new[0]),
        }];
    }
    let mut used = vec![false; old.len()];
    let mut out = Vec::new();
    for n in new {
        let found = (0..old.len()).find(|&i| !used[i] && old[i].report.unit == n.report.unit);
        if let Some(i) = found {
            used[i] = true;
        }
        out.push(Pair {
            old: found.map(|i| &old[i]),
            new: Some(n),
        });
    }
    for (i, o) in old.iter().enumerate() {
        if !used[i] {
            out.push(Pair {
                old: Some(o),
                new: None,
            });
        }
    }
    out
}

fn score(r: &UnitReport) -> Option<Tenths> {
    r.refused.is_none().then_some(r.exposure)
}

/// A signed change in tenths: `+0.3`, `-1.2`, `0.0`.
fn signed(t: i64) -> String {
    let sign = match t.signum() {
        1 => "+",
        -1 => "-",
        _ => "",
    };
    format!("{sign}{}", Tenths(t.unsigned_abs() as u32))
}

fn first_sentence(s: &str) -> &str {
    match s.find(". ") {
        Some(i) => &s[..=i],
        None => s,
    }
}

fn verdict(r: &UnitReport) -> String {
    match &r.refused {
        Some(_) => "not loaded".to_owned(),
        None => format!("{} {}", r.exposure, r.predicate),
    }
}

fn row_cell(r: &Row) -> String {
    let mark = match r.set {
        Some(true) => "✓ ",
        Some(false) => "✗ ",
        None => "",
    };
    let text = md_cell(r.description.as_deref().unwrap_or("—"));
    match r.exposure {
        Some(e) => format!("{mark}{text} ({e})"),
        None => format!("{mark}{text}"),
    }
}

fn unit_name(p: &Pair) -> String {
    p.new
        .or(p.old)
        .map(|a| a.report.unit.clone())
        .unwrap_or_default()
}

fn change_of(p: &Pair) -> Option<i64> {
    let b = score(&p.old?.report)?;
    let a = score(&p.new?.report)?;
    Some(i64::from(a.0) - i64::from(b.0))
}

fn markdown(pairs: &[Pair], version: Version) -> String {
    let mut out = format!(
        "## Exposure: before → after\n\nScores as `systemd-analyze security` of systemd {} gives \
         them ({}).\n\n| Unit | Before | After | Change |\n| --- | ---: | ---: | ---: |\n",
        version.as_str(),
        version.profile().evidence.label()
    );
    for p in pairs {
        let before = p.old.map(|a| verdict(&a.report)).unwrap_or("—".into());
        let after = p.new.map(|a| verdict(&a.report)).unwrap_or("—".into());
        let change = match (p.old, p.new, change_of(p)) {
            (_, _, Some(0)) => "no change".to_owned(),
            (_, _, Some(d)) => format!("{} {}", signed(d), if d < 0 { "better" } else { "worse" }),
            (None, Some(_), _) => "new unit".to_owned(),
            (Some(_), None, _) => "removed".to_owned(),
            _ => "—".to_owned(),
        };
        out.push_str(&format!(
            "| `{}` | {before} | {after} | {change} |\n",
            md_cell(&unit_name(p))
        ));
    }
    for p in pairs {
        let (Some(old), Some(new)) = (p.old, p.new) else {
            continue;
        };
        let rows = if old.report.refused.is_none() && new.report.refused.is_none() {
            changed(old, new)
        } else {
            Vec::new()
        };
        let new_diags = added(Some(old), Some(new));
        let fixed = added(Some(new), Some(old));
        if rows.is_empty() && new_diags.is_empty() && fixed.is_empty() {
            continue;
        }
        out.push_str(&format!(
            "\n### `{}`: {} → {}\n",
            md_cell(&unit_name(p)),
            verdict(&old.report),
            verdict(&new.report)
        ));
        if !rows.is_empty() {
            out.push_str(
                "\n| Check | Before | After | Weight | Change | Lines |\n\
                 | --- | --- | --- | ---: | ---: | --- |\n",
            );
            for c in &rows {
                let set_by: Vec<String> = c
                    .lines
                    .iter()
                    .map(|l| {
                        format!(
                            "`{}` ({}:{})",
                            md_cell(&l.directive),
                            md_cell(&l.file),
                            l.line
                        )
                    })
                    .collect();
                // A check that got worse: the lines before the change.
                let was = if c.worse() { "before: " } else { "" };
                out.push_str(&format!(
                    "| `{}` | {} | {} | {} | {} | {} |\n",
                    md_cell(c.after.name),
                    row_cell(c.before),
                    row_cell(c.after),
                    c.after.detail.weight,
                    signed(c.delta()),
                    if set_by.is_empty() {
                        "defaults".to_owned()
                    } else {
                        format!("{was}{}", set_by.join(", "))
                    }
                ));
            }
            let better: Vec<&Changed> = rows.iter().filter(|c| c.better()).collect();
            let worse: Vec<&Changed> = rows.iter().filter(|c| c.worse()).collect();
            let mut seen = Vec::new();
            if !better.is_empty() {
                out.push_str("\n**What the change protects against, and what it may break:**\n\n");
                for c in better {
                    let check = &REGISTRY[c.after.detail.check];
                    if seen.contains(&check.json_field) {
                        continue;
                    }
                    seen.push(check.json_field);
                    out.push_str(&format!(
                        "- `{}` — {} **May break:** {}\n",
                        md_cell(c.after.name),
                        md_cell(first_sentence(check.doc.why)),
                        md_cell(check.doc.breaks)
                    ));
                }
            }
            if !worse.is_empty() {
                out.push_str("\n**No longer protected:**\n\n");
                for c in worse {
                    let check = &REGISTRY[c.after.detail.check];
                    out.push_str(&format!(
                        "- `{}` — {}\n",
                        md_cell(c.after.name),
                        md_cell(first_sentence(check.doc.why))
                    ));
                }
            }
        }
        if !new_diags.is_empty() {
            out.push_str("\n**New diagnostics:**\n\n");
            for (k, _, at) in &new_diags {
                out.push_str(&format!("- {}: {}\n", md_cell(at), md_cell(k)));
            }
        }
        if !fixed.is_empty() {
            out.push_str("\n**Fixed diagnostics:**\n\n");
            for (k, _, _) in &fixed {
                out.push_str(&format!("- {}\n", md_cell(k)));
            }
        }
    }
    out.push_str(
        "\n<sub>Row changes are systemd's rounded per-check contributions; the unit's change is \
         its overall score's. `exposure explain CHECK` tells more about a check.</sub>\n",
    );
    out
}

fn row_json(r: &Row) -> Value {
    json!({
        "set": r.set,
        "description": r.description,
        "exposure": r.exposure.map(Tenths::as_f64),
    })
}

fn json(pairs: &[Pair], version: Version) -> Value {
    let side = |a: Option<&Assessed>| match a {
        None => Value::Null,
        Some(a) => json!({
            "file": a.path,
            "exposure": score(&a.report).map(Tenths::as_f64),
            "predicate": score(&a.report).map(|_| a.report.predicate.as_str()),
            "refused": a.report.refused,
        }),
    };
    let diag = |list: Vec<(String, Severity, String)>| -> Vec<Value> {
        list.into_iter()
            .map(|(k, s, at)| {
                json!({
                    "severity": if s == Severity::Error { "error" } else { "warning" },
                    "text": k,
                    "at": at,
                })
            })
            .collect()
    };
    let units: Vec<Value> = pairs
        .iter()
        .map(|p| {
            let rows = match (p.old, p.new) {
                (Some(o), Some(n)) if o.report.refused.is_none() && n.report.refused.is_none() => {
                    changed(o, n)
                }
                _ => Vec::new(),
            };
            let checks: Vec<Value> = rows
                .iter()
                .map(|c| {
                    let check = &REGISTRY[c.after.detail.check];
                    json!({
                        "check": c.after.json_field,
                        "name": c.after.name,
                        "weight": c.after.detail.weight,
                        "before": row_json(c.before),
                        "after": row_json(c.after),
                        "change": c.delta() as f64 / 10.0,
                        "better": c.better(),
                        "worse": c.worse(),
                        "lines": c.lines.iter().map(|l| json!({
                            "file": l.file, "line": l.line, "directive": l.directive,
                        })).collect::<Vec<_>>(),
                        "protects": first_sentence(check.doc.why),
                        "may_break": c.better().then_some(check.doc.breaks),
                    })
                })
                .collect();
            let status = match (p.old, p.new, change_of(p)) {
                (None, _, _) => "added",
                (_, None, _) => "removed",
                (_, _, Some(d)) if d < 0 => "better",
                (_, _, Some(d)) if d > 0 => "worse",
                _ => "same",
            };
            json!({
                "unit": unit_name(p),
                "status": status,
                "before": side(p.old),
                "after": side(p.new),
                "change": change_of(p).map(|d| d as f64 / 10.0),
                "checks": checks,
                "new_diagnostics": diag(added(p.old, p.new)),
                "fixed_diagnostics": diag(added(p.new, p.old)),
            })
        })
        .collect();
    json!({
        "exposure_diff": DIFF_VERSION,
        "tool": { "name": "exposure", "version": env!("CARGO_PKG_VERSION") },
        "systemd_version": version.as_str(),
        "units": units,
    })
}

/// Reads the inputs of one side; `None` (after the messages) when one cannot be read.
fn side(path: &Path, opts: &Options) -> Option<Vec<Assessed>> {
    let mut unreadable = Vec::new();
    let mut out = Vec::new();
    let unit_named = path
        .file_name()
        .and_then(|n| n.to_str())
        .is_some_and(|n| exposure_core::unit::UnitName::parse(n).is_some());
    // A folder without units is a side where every unit is added or removed.
    let inputs = if path.is_dir() && !unit_named {
        let mut warnings = Vec::new();
        let found = crate::walk::service_files(path, &mut warnings);
        crate::complain_all(&warnings);
        found
    } else {
        vec![path.to_path_buf()]
    };
    for p in inputs {
        match crate::assess_path(&p, opts, false, true) {
            Ok(list) => out.extend(list),
            Err(msgs) => unreadable.extend(msgs),
        }
    }
    crate::complain_all(&unreadable);
    unreadable.is_empty().then_some(out)
}

/// `exposure diff OLD NEW`.
pub fn run(
    old: &Path,
    new: &Path,
    unit: Option<&str>,
    format: Format,
    version: Version,
) -> ExitCode {
    if old.as_os_str() == "-" && new.as_os_str() == "-" {
        crate::complain("only one of OLD and NEW can be standard input");
        return ExitCode::from(2);
    }
    let opts = Options {
        version,
        unit_name: unit.map(str::to_owned),
        ..Options::default()
    };
    let (Some(before), Some(after)) = (side(old, &opts), side(new, &opts)) else {
        return ExitCode::FAILURE;
    };
    let pairs = pairs(&before, &after);
    let out = match format {
        Format::Markdown => markdown(&pairs, version),
        Format::Json => format!("{}\n", crate::render::json_text(&json(&pairs, version))),
    };
    if crate::write_out(&out) {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}
