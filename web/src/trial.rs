//! "Try on this unit" in the Learn view: an entry's example added to the shown unit as a
//! drop-in, the score change and the rows it moved, and taking it out again. Pure (no DOM):
//! tested natively.
//!
//! The user's text is never lost: the trial keeps the text as it was, and "Remove" puts back
//! exactly that text while the tried text is unchanged; once the person edited it, only the
//! block the trial added is taken out (and if that block was edited too, nothing is touched).

use exposure_core::{InputKind, Row, Tenths, UnitReport, input};

use crate::text::Text;

/// The folder `systemctl edit` writes a unit's drop-ins to, and the file name of the trial's:
/// `zz-` sorts it after the unit's own drop-ins, so its lines win as a last drop-in's do.
const DROPIN_DIR: &str = "/etc/systemd/system";
const DROPIN_FILE: &str = "zz-learn-try.conf";

/// An entry's example, tried on a unit.
#[derive(Debug, Clone, PartialEq)]
pub struct Trial {
    /// The entry's name (`ProtectSystem`).
    pub name: &'static str,
    /// The unit it was added to, as the analysis names it.
    pub unit: String,
    /// The text before the trial, exactly.
    pub before: Text,
    /// The text with the trial's block in it.
    pub after: Text,
    /// What was inserted, exactly (newlines included).
    pub block: String,
}

/// Why an entry cannot be tried on the text shown.
pub fn unavailable(kind: InputKind) -> Option<&'static str> {
    (kind == InputKind::SystemctlShow).then_some(
        "A systemctl show capture holds the settings PID 1 resolved, not files: try it on a \
         unit file or systemctl cat output.",
    )
}

/// The text with `example` (a drop-in starting with `[Service]`) added for `unit`: after the
/// unit's last file under a drop-in header of its own in `systemctl cat` output, or as a
/// `[Service]` section appended to a unit file (the way systemd reads a drop-in: after the
/// unit's own lines). `None` for a `systemctl show` capture.
pub fn add(
    text: &Text,
    kind: InputKind,
    unit: &str,
    name: &'static str,
    example: &str,
) -> Option<Trial> {
    unavailable(kind).is_none().then_some(())?;
    let lead = if text.is_empty() || text.ends_with('\n') {
        ""
    } else {
        "\n"
    };
    let (at, block) = match kind {
        InputKind::SystemctlCat => {
            let (at, file) = cat_insertion(text, unit);
            // A blank line before the header, as systemctl cat prints between files.
            let gap = if at == 0 || text[..at].ends_with("\n\n") {
                ""
            } else {
                "\n"
            };
            let lead = if at == text.len() { lead } else { "" };
            (
                at,
                format!("{lead}{gap}# {DROPIN_DIR}/{file}.d/{DROPIN_FILE}\n{example}"),
            )
        }
        _ => (
            text.len(),
            format!("{lead}\n# Tried from the Learn view: {name}=\n{example}"),
        ),
    };
    let mut after = String::with_capacity(text.len() + block.len());
    after.push_str(&text[..at]);
    after.push_str(&block);
    after.push_str(&text[at..]);
    Some(Trial {
        name,
        unit: unit.to_owned(),
        before: text.clone(),
        after: after.into(),
        block,
    })
}

/// Where the drop-in of `unit` goes in `systemctl cat` output: right before the next unit's
/// header (a drop-in belongs to the unit printed before it), else at the end; and the unit's
/// file name its drop-in folder is named after.
fn cat_insertion(text: &str, unit: &str) -> (usize, String) {
    let (units, _) = input::split_cat(text);
    let base = |p: &str| p.rsplit('/').next().unwrap_or(p).to_owned();
    let template = |n: &str| match n.split_once('@') {
        Some((prefix, rest)) => {
            let suffix = rest.rsplit_once('.').map_or("", |(_, s)| s);
            format!("{prefix}@.{suffix}")
        }
        None => n.to_owned(),
    };
    let i = units
        .iter()
        .position(|u| base(u.unit.path) == unit)
        .or_else(|| {
            units
                .iter()
                .position(|u| template(&base(u.unit.path)) == template(unit))
        });
    let Some(i) = i else {
        return (text.len(), unit.to_owned());
    };
    let file = base(units[i].unit.path);
    let at = units.get(i + 1).map_or(text.len(), |next| {
        // The next unit's header line starts after the newline before it.
        let header_end = next.unit.offset.saturating_sub(1);
        text[..header_end].rfind('\n').map_or(0, |n| n + 1)
    });
    (at, file)
}

/// What "Remove" does with the text shown.
#[derive(Debug, Clone, PartialEq)]
pub enum Removal {
    /// The text is the tried one, unchanged: the text from before, exactly.
    Restore(Text),
    /// The person edited elsewhere: their text without the trial's block.
    Cut(String),
    /// The block itself was edited (or is there twice): the page leaves the text alone.
    Edited,
}

pub fn remove(trial: &Trial, shown: &Text) -> Removal {
    if *shown == trial.after {
        return Removal::Restore(trial.before.clone());
    }
    if shown.matches(trial.block.as_str()).count() == 1 {
        return Removal::Cut(shown.replacen(trial.block.as_str(), "", 1));
    }
    Removal::Edited
}

/// A row the trial moved: its cost and result before and after.
#[derive(Debug, Clone, PartialEq)]
pub struct Moved {
    pub name: &'static str,
    pub json_field: &'static str,
    pub before: (Option<bool>, Option<Tenths>),
    pub after: (Option<bool>, Option<Tenths>),
}

/// The score before and after, and the rows whose result or cost changed (in the order of the
/// unit's rows after the trial).
#[derive(Debug, Clone, PartialEq)]
pub struct Change {
    pub before: Tenths,
    pub after: Tenths,
    pub moved: Vec<Moved>,
}

pub fn change(before: &UnitReport, after: &UnitReport) -> Change {
    let key = |r: &Row| (r.set, r.exposure);
    let moved = after
        .rows
        .iter()
        .filter_map(|a| {
            let b = before.rows.iter().find(|b| b.json_field == a.json_field);
            let was = b.map_or((None, None), key);
            (was != key(a)).then(|| Moved {
                name: a.name,
                json_field: a.json_field,
                before: was,
                after: key(a),
            })
        })
        .collect();
    Change {
        before: before.exposure,
        after: after.exposure,
        moved,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use exposure_core::{FileInput, Options, Version, analyze, analyze_unit, learn};

    fn opts() -> Options {
        Options::for_version(Version::parse("252").unwrap())
    }

    fn unit_of<'a>(a: &'a exposure_core::Analysis, name: &str) -> &'a UnitReport {
        a.units.iter().find(|u| u.unit == name).unwrap()
    }

    /// The trial's score is the engine's score of the unit with the example as a real drop-in
    /// (a file of its own after the unit's), for every entry.
    #[test]
    fn a_tried_entry_scores_as_the_same_drop_in() {
        let unit = "[Unit]\nDescription=x\n[Service]\nExecStart=/usr/bin/daemon\n";
        for e in learn::entries() {
            let t = add(
                &unit.into(),
                InputKind::UnitFile,
                "x.service",
                e.name,
                e.example,
            )
            .unwrap();
            let mut o = opts();
            o.unit_name = Some("x.service".into());
            let tried = analyze(&t.after, &o);
            let files = [
                FileInput::whole(Some("/etc/systemd/system/x.service"), unit),
                FileInput::whole(Some("/etc/systemd/system/x.service.d/t.conf"), e.example),
            ];
            let real = analyze_unit("x.service", &files, &opts()).unwrap();
            assert_eq!(tried.units[0].exposure, real.exposure, "{}", e.name);
            assert_eq!(
                tried.units[0].diagnostics.len(),
                real.diagnostics.len(),
                "{}",
                e.name
            );
        }
    }

    #[test]
    fn remove_restores_the_exact_text() {
        // No final newline, and a CRLF line: the text comes back byte for byte.
        let before: Text = "[Service]\r\nExecStart=/bin/true".into();
        let t = add(
            &before,
            InputKind::UnitFile,
            "x.service",
            "PrivateTmp",
            "[Service]\nPrivateTmp=yes\n",
        )
        .unwrap();
        assert!(t.after.starts_with(&*before) && t.after.ends_with("PrivateTmp=yes\n"));
        assert_eq!(remove(&t, &t.after), Removal::Restore(before.clone()));
        // Edited elsewhere: the person's edit stays, the block goes.
        let edited: Text = format!("# mine\n{}", &*t.after).into();
        assert_eq!(
            remove(&t, &edited),
            Removal::Cut(format!("# mine\n{}", &*before))
        );
        // The block edited: nothing is touched.
        let changed: Text = t.after.replace("PrivateTmp=yes", "PrivateTmp=no").into();
        assert_eq!(remove(&t, &changed), Removal::Edited);
    }

    #[test]
    fn in_systemctl_cat_output_the_drop_in_follows_its_unit() {
        let text: Text = "# /lib/systemd/system/a.service\n[Service]\nExecStart=/x\n\n\
                          # /etc/systemd/system/a.service.d/o.conf\n[Service]\nUser=u\n\n\
                          # /lib/systemd/system/b.service\n[Service]\nExecStart=/y\n"
            .into();
        let example = "[Service]\nPrivateNetwork=yes\n";
        let t = add(
            &text,
            InputKind::SystemctlCat,
            "a.service",
            "PrivateNetwork",
            example,
        )
        .unwrap();
        let (units, _) = input::split_cat(&t.after);
        assert_eq!(units.len(), 2);
        assert_eq!(units[0].dropins.len(), 2);
        assert_eq!(
            units[0].dropins[1].path,
            "/etc/systemd/system/a.service.d/zz-learn-try.conf"
        );
        assert!(units[1].dropins.is_empty());
        let before = analyze(&text, &opts());
        let after = analyze(&t.after, &opts());
        let c = change(unit_of(&before, "a.service"), unit_of(&after, "a.service"));
        assert!(c.after < c.before);
        assert!(c.moved.iter().any(|m| m.json_field == "PrivateNetwork"
            && m.before.0 == Some(false)
            && m.after.0 == Some(true)));
        // b is untouched.
        assert_eq!(
            unit_of(&before, "b.service").exposure,
            unit_of(&after, "b.service").exposure
        );
        assert_eq!(remove(&t, &t.after), Removal::Restore(text));
        // The last unit's drop-in goes at the end.
        let t = add(
            &t.before,
            InputKind::SystemctlCat,
            "b.service",
            "PrivateNetwork",
            example,
        )
        .unwrap();
        let (units, _) = input::split_cat(&t.after);
        assert_eq!(units[1].dropins.len(), 1);
    }

    #[test]
    fn a_show_capture_cannot_be_tried() {
        let text: Text = "Id=x.service\n".into();
        assert!(
            add(
                &text,
                InputKind::SystemctlShow,
                "x.service",
                "PrivateTmp",
                "[Service]\n"
            )
            .is_none()
        );
        assert!(unavailable(InputKind::SystemctlShow).is_some());
    }
}
