//! Reading units from disk the way `systemd-analyze security --offline=yes` finds them: the
//! unit file (or, for an instance, its template) and the drop-ins beside it.

use std::path::{Path, PathBuf};

use exposure_core::unit::UnitName;

/// A unit read from disk: its name and its files (unit file first, then drop-ins in the order
/// systemd applies them).
#[derive(Debug)]
pub struct DiskUnit {
    pub name: String,
    pub files: Vec<(String, String)>,
}

/// Why a unit could not be read.
#[derive(Debug)]
pub struct ReadError(pub String);

/// Reads `path` as a unit. For `dir/foo@bar.service` that does not exist, the template
/// `dir/foo@.service` is read instead. Drop-ins come from `NAME.d/`, the template's `.d/`,
/// the prefix folders (`foo-.service.d/` for `foo-bar.service`) and the type folder
/// (`service.d/`), all in the unit's directory, sorted by file name; for one file name the
/// most specific folder wins.
pub fn read_unit(path: &Path) -> Result<DiskUnit, ReadError> {
    let file_name = path
        .file_name()
        .and_then(|n| n.to_str())
        .ok_or_else(|| ReadError(format!("{}: not a unit file name", path.display())))?;
    let name = UnitName::parse(file_name).ok_or_else(|| {
        ReadError(format!(
            "{}: {file_name:?} is not a valid unit name (expected something like foo.service)",
            path.display()
        ))
    })?;
    let dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
    let dir = if dir.as_os_str().is_empty() {
        PathBuf::from(".")
    } else {
        dir
    };
    let main = if path.exists() {
        path.to_path_buf()
    } else if let Some(t) = name.template().filter(|_| !name.is_template()) {
        let tp = dir.join(&t);
        if !tp.exists() {
            return Err(ReadError(format!(
                "{}: no such file, and no template {} beside it",
                path.display(),
                tp.display()
            )));
        }
        tp
    } else {
        return Err(ReadError(format!("{}: no such file", path.display())));
    };
    let text = read_text(&main)?;
    let mut files = vec![(main.display().to_string(), text)];

    // Drop-in folders from most to least specific.
    let suffix = name.kind.suffix();
    let mut folders = vec![format!("{file_name}.d")];
    if let Some(t) = name.template().filter(|t| t != file_name) {
        folders.push(format!("{t}.d"));
    }
    let stem = name.prefix.as_str();
    let mut cut = stem.len();
    while let Some(i) = stem[..cut].rfind('-') {
        folders.push(format!("{}-.{suffix}.d", &stem[..i]));
        cut = i;
    }
    folders.push(format!("{suffix}.d"));
    let mut dropins: Vec<(String, PathBuf)> = Vec::new();
    for folder in &folders {
        let Ok(rd) = std::fs::read_dir(dir.join(folder)) else {
            continue;
        };
        let mut here: Vec<PathBuf> = rd
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|e| e == "conf"))
            .collect();
        here.sort();
        for p in here {
            let base = p.file_name().unwrap().to_string_lossy().into_owned();
            if !dropins.iter().any(|(b, _)| *b == base) {
                dropins.push((base, p));
            }
        }
    }
    dropins.sort_by(|a, b| a.0.cmp(&b.0));
    for (_, p) in dropins {
        let text = read_text(&p)?;
        files.push((p.display().to_string(), text));
    }
    Ok(DiskUnit {
        name: file_name.to_owned(),
        files,
    })
}

/// Reads a file as UTF-8 (invalid bytes are replaced, and systemd would ignore such lines).
pub fn read_text(p: &Path) -> Result<String, ReadError> {
    let bytes = std::fs::read(p).map_err(|e| ReadError(format!("{}: {e}", p.display())))?;
    Ok(String::from_utf8(bytes)
        .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tmp() -> PathBuf {
        let d = std::env::temp_dir().join(format!(
            "exposure-cli-{}-{}",
            std::process::id(),
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .unwrap()
                .as_nanos()
        ));
        std::fs::create_dir_all(&d).unwrap();
        d
    }

    #[test]
    fn finds_template_and_dropins_in_order() {
        let d = tmp();
        std::fs::write(d.join("foo-bar@.service"), "[Service]\nExecStart=/x\n").unwrap();
        for (folder, file) in [
            ("foo-bar@baz.service.d", "20-a.conf"),
            ("foo-bar@.service.d", "10-b.conf"),
            ("foo-bar@.service.d", "20-a.conf"),
            ("foo-.service.d", "05-c.conf"),
            ("service.d", "99-d.conf"),
        ] {
            std::fs::create_dir_all(d.join(folder)).unwrap();
            std::fs::write(d.join(folder).join(file), format!("# {folder}\n")).unwrap();
        }
        let u = read_unit(&d.join("foo-bar@baz.service")).unwrap();
        assert_eq!(u.name, "foo-bar@baz.service");
        let got: Vec<String> = u
            .files
            .iter()
            .map(|(_, t)| t.lines().next().unwrap().to_owned())
            .collect();
        assert_eq!(
            got,
            [
                "[Service]",
                "# foo-.service.d",
                "# foo-bar@.service.d",
                "# foo-bar@baz.service.d",
                "# service.d"
            ]
        );
        std::fs::remove_dir_all(d).unwrap();
    }

    #[test]
    fn missing_files_are_errors() {
        let d = tmp();
        assert!(
            read_unit(&d.join("nope.service"))
                .unwrap_err()
                .0
                .contains("no such file")
        );
        assert!(
            read_unit(&d.join("a@b.service"))
                .unwrap_err()
                .0
                .contains("no template")
        );
        assert!(
            read_unit(&d.join("README"))
                .unwrap_err()
                .0
                .contains("not a valid unit name")
        );
        std::fs::remove_dir_all(d).unwrap();
    }
}
