//! Files dropped on the page or picked with "Open files": turned into one text to analyze.
//!
//! A browser gives a dropped file's name, never its folder, so the files are laid out the way
//! `systemctl cat` prints a unit: the unit file under a `# /etc/systemd/system/NAME` header,
//! then its drop-ins (`*.conf`, in the order systemd applies them: by file name) under
//! `# /etc/systemd/system/NAME.d/FILE`. The header keeps the unit's name, which matters to
//! the assessment (templates, instances, the unit type). Anything else (a `systemctl show`
//! capture, a text file) is opened as it is.

use exposure_core::unit::UnitName;

/// Where the headers put the files; any absolute path would do.
const DIR: &str = "/etc/systemd/system";

/// The text to analyze, and a message for the person when something about the files needs
/// saying (drop-ins with no unit file, several units, …).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Opened {
    pub text: String,
    pub notice: Option<String>,
}

/// Why the files were not opened; the text in the page is left as it was.
pub fn too_big(total: usize) -> String {
    format!(
        "These files were not opened: together, {}; your text was kept.",
        exposure_core::over_limit(total as u64)
    )
}

/// A file name as a header can hold it (`systemctl cat` headers have no white space).
fn header_name(name: &str) -> String {
    name.chars()
        .map(|c| if c.is_whitespace() { '_' } else { c })
        .collect()
}

/// The files' names, for a message: `a.conf, b.txt`.
fn names(files: &[(String, String)]) -> String {
    let names: Vec<&str> = files.iter().map(|(n, _)| n.as_str()).collect();
    names.join(", ")
}

fn push_file(out: &mut String, header: &str, text: &str) {
    if !out.is_empty() && !out.ends_with("\n\n") {
        out.push_str(if out.ends_with('\n') { "\n" } else { "\n\n" });
    }
    out.push_str("# ");
    out.push_str(header);
    out.push('\n');
    out.push_str(text);
    if !text.ends_with('\n') {
        out.push('\n');
    }
}

/// Lays the files out as one text: see the module documentation. `files` are `(name, text)`
/// in the order the browser gave them.
pub fn combine(mut files: Vec<(String, String)>) -> Opened {
    exposure_core::order::sort_by(&mut files, &|a, b| a.0.cmp(&b.0));
    let (units, rest): (Vec<_>, Vec<_>) = files
        .into_iter()
        .partition(|(name, _)| UnitName::parse(&header_name(name)).is_some());
    let (dropins, others): (Vec<_>, Vec<_>) = rest
        .into_iter()
        .partition(|(name, _)| name.ends_with(".conf"));

    if units.is_empty() {
        // Nothing to name a unit by: one file opens as it is; several are put one after the
        // other, each under a comment with its name.
        let mut all: Vec<(String, String)> = dropins.into_iter().chain(others).collect();
        if all.len() == 1 {
            let (_, text) = all.pop().unwrap_or_default();
            return Opened { text, notice: None };
        }
        let notice = Some(format!(
            "None of {} is named like a unit (e.g. foo.service), so they were put one after the \
             other as they are. To assess a unit with its drop-ins, open the unit file together \
             with them.",
            names(&all)
        ));
        let mut text = String::new();
        for (_, t) in &all {
            text.push_str(t);
            if !text.ends_with('\n') {
                text.push('\n');
            }
        }
        return Opened { text, notice };
    }

    // One allocation for the whole text (it can be 16 MiB): the files and their headers.
    let headers: usize = units.len() + dropins.len();
    let mut text = String::with_capacity(
        units
            .iter()
            .chain(&dropins)
            .map(|(n, t)| t.len() + n.len() + 1)
            .sum::<usize>()
            + headers * (DIR.len() + 16),
    );
    let mut notes = Vec::new();
    let first = header_name(&units[0].0);
    for (i, (name, t)) in units.iter().enumerate() {
        let name = header_name(name);
        push_file(&mut text, &format!("{DIR}/{name}"), t);
        if i == 0 {
            for (d, dt) in &dropins {
                push_file(&mut text, &format!("{DIR}/{name}.d/{}", header_name(d)), dt);
            }
        }
    }
    if !dropins.is_empty() && units.len() > 1 {
        notes.push(format!(
            "The drop-ins ({}) were applied to {first}, the first unit by name.",
            names(&dropins)
        ));
    }
    if !others.is_empty() {
        notes.push(format!(
            "Not opened, as neither a unit nor a drop-in (*.conf): {}.",
            names(&others)
        ));
    }
    Opened {
        text,
        notice: (!notes.is_empty()).then(|| notes.join(" ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use exposure_core::{Options, analyze};

    fn f(name: &str, text: &str) -> (String, String) {
        (name.to_owned(), text.to_owned())
    }

    #[test]
    fn a_unit_with_drop_ins_reads_like_systemctl_cat() {
        let o = combine(vec![
            f("20-net.conf", "[Service]\nPrivateNetwork=yes"),
            f("web@.service", "[Service]\nExecStart=/usr/bin/web\n"),
            f("10-tmp.conf", "[Service]\nPrivateTmp=yes\n"),
        ]);
        assert_eq!(o.notice, None);
        assert_eq!(
            o.text,
            "# /etc/systemd/system/web@.service\n[Service]\nExecStart=/usr/bin/web\n\n\
             # /etc/systemd/system/web@.service.d/10-tmp.conf\n[Service]\nPrivateTmp=yes\n\n\
             # /etc/systemd/system/web@.service.d/20-net.conf\n[Service]\nPrivateNetwork=yes\n"
        );
        // The engine reads it as one unit with two drop-ins; a template is assessed as an
        // instance of it, as systemd-analyze does (257, the default: `test_instance`).
        let a = analyze(&o.text, &Options::default());
        assert_eq!(a.units.len(), 1);
        assert_eq!(a.units[0].unit, "web@test_instance.service");
        let row = |field: &str| {
            a.units[0]
                .rows
                .iter()
                .find(|r| r.json_field == field)
                .unwrap()
                .set
        };
        assert_eq!(row("PrivateTmp"), Some(true));
        assert_eq!(row("PrivateNetwork"), Some(true));
    }

    #[test]
    fn one_unit_file_keeps_its_name() {
        let o = combine(vec![f("db.socket", "[Socket]\nListenStream=5432\n")]);
        assert_eq!(
            o.text,
            "# /etc/systemd/system/db.socket\n[Socket]\nListenStream=5432\n"
        );
    }

    #[test]
    fn other_files_open_as_they_are() {
        let show = "Id=x.service\nLoadState=loaded\n";
        assert_eq!(combine(vec![f("show.txt", show)]).text, show);
        assert_eq!(
            combine(vec![f("override.conf", "[Service]\n")]).text,
            "[Service]\n"
        );
        let o = combine(vec![f("b.txt", "B"), f("a.conf", "A\n")]);
        assert_eq!(o.text, "A\nB\n");
        assert!(o.notice.unwrap().contains("a.conf, b.txt"));
    }

    #[test]
    fn several_units_and_strays_are_explained() {
        let o = combine(vec![
            f("b.service", "[Service]\n"),
            f("a.service", "[Service]\n"),
            f("o.conf", "[Service]\nUser=x\n"),
            f("notes.md", "hello"),
        ]);
        assert!(o.text.starts_with("# /etc/systemd/system/a.service\n"));
        assert!(
            o.text
                .contains("# /etc/systemd/system/a.service.d/o.conf\n")
        );
        assert!(o.text.contains("# /etc/systemd/system/b.service\n"));
        assert!(!o.text.contains("hello"));
        let n = o.notice.unwrap();
        assert!(n.contains("applied to a.service"), "{n}");
        assert!(n.contains("notes.md"), "{n}");
        assert_eq!(analyze(&o.text, &Options::default()).units.len(), 2);
    }

    #[test]
    fn white_space_in_names_does_not_break_the_headers() {
        let o = combine(vec![
            f("x.service", "[Service]\n"),
            f("my override.conf", "[Service]\nPrivateTmp=yes\n"),
        ]);
        assert!(o.text.contains("x.service.d/my_override.conf\n"));
        let a = analyze(&o.text, &Options::default());
        assert!(a.diagnostics.is_empty(), "{:?}", a.diagnostics);
    }
}
