//! A unit to advise on, read from standard input: a unit file or `systemctl cat` output.

use exposure_core::{InputKind, Options};

use crate::files::DiskUnit;

/// The unit of `text` to advise on: the only one, or the one `--unit` names (which also names
/// a single unit file's text). Each file is kept apart, so lines are the files' own.
pub fn unit_from_text(text: &str, unit: Option<&str>) -> Result<DiskUnit, String> {
    let kind = exposure_core::input::detect(text);
    if kind == InputKind::SystemctlShow {
        return Err(
            "standard input: this is systemctl show output, which has no unit file to \
                    add a drop-in to; pipe systemctl cat UNIT instead"
                .to_owned(),
        );
    }
    let opts = Options {
        unit_name: unit.map(str::to_owned),
        ..Options::default()
    };
    let units = exposure_core::unit_files(text, kind, &opts);
    let names: Vec<&str> = units.iter().map(|(n, _)| n.as_str()).collect();
    let chosen = match (kind, unit) {
        (InputKind::SystemctlCat, Some(u)) => units
            .iter()
            .find(|(n, _)| n == u || template_of(u).is_some_and(|t| *n == t))
            .ok_or_else(|| {
                format!(
                    "standard input: no unit {u} in it (it holds {})",
                    names.join(", ")
                )
            })?,
        _ if units.len() == 1 => &units[0],
        _ if units.is_empty() => return Err("standard input: no unit found".to_owned()),
        _ => {
            return Err(format!(
                "standard input holds {} units ({}); choose one with --unit NAME",
                units.len(),
                names.join(", ")
            ));
        }
    };
    Ok(DiskUnit {
        name: chosen.0.clone(),
        files: chosen
            .1
            .iter()
            .map(|f| (f.path.unwrap_or("<stdin>").to_owned(), f.text.to_owned()))
            .collect(),
    })
}

/// `foo@.service` for `foo@bar.service`.
fn template_of(unit: &str) -> Option<String> {
    let (prefix, rest) = unit.split_once('@')?;
    let (_, suffix) = rest.rsplit_once('.')?;
    Some(format!("{prefix}@.{suffix}"))
}
