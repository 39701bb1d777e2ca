//! A directory on the command line: every service unit file in it and in its subfolders.

use std::path::{Path, PathBuf};

use exposure_core::unit::{UnitName, UnitType};

/// Folders that hold a unit's drop-ins or links to other units, not unit files to assess:
/// `NAME.d/` (read with the unit), `NAME.wants/`, `NAME.requires/`, `NAME.upholds/`.
fn is_unit_folder(name: &str) -> bool {
    [".d", ".wants", ".requires", ".upholds"]
        .iter()
        .any(|s| name.ends_with(s))
}

/// The service unit files under `dir`, in file-name order, depth first: files whose name is
/// a service unit's (`foo.service`, `foo@.service`, `foo@bar.service`), regular or a link. Hidden
/// folders, drop-in folders and `.wants/`-like folders are not entered, nor links to folders
/// (no loops). Warnings (a folder that cannot be read) go to `warnings`.
pub fn service_files(dir: &Path, warnings: &mut Vec<String>) -> Vec<PathBuf> {
    let mut out = Vec::new();
    walk(dir, &mut out, warnings);
    out
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>, warnings: &mut Vec<String>) {
    let entries = match std::fs::read_dir(dir) {
        Ok(rd) => rd,
        Err(e) => {
            warnings.push(format!("{}: folder skipped: {e}", dir.display()));
            return;
        }
    };
    let mut entries: Vec<(String, PathBuf, std::fs::FileType)> = entries
        .filter_map(Result::ok)
        .filter_map(|e| {
            let t = e.file_type().ok()?;
            Some((e.file_name().to_string_lossy().into_owned(), e.path(), t))
        })
        .collect();
    entries.sort_by(|a, b| a.0.cmp(&b.0));
    for (name, path, t) in entries {
        if t.is_dir() {
            if !name.starts_with('.') && !is_unit_folder(&name) {
                walk(&path, out, warnings);
            }
        } else if UnitName::parse(&name).is_some_and(|u| u.kind == UnitType::Service) {
            out.push(path);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_services_and_skips_dropin_and_wants_folders() {
        let d = std::env::temp_dir().join(format!("exposure-walk-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&d);
        for sub in ["b", "b/c", "a.service.d", "multi-user.target.wants", ".git"] {
            std::fs::create_dir_all(d.join(sub)).unwrap();
        }
        for f in [
            "z.service",
            "a.service",
            "a.service.d/x.conf",
            "t@.service",
            "x.socket",
            "README",
            "b/c/deep.service",
            "b/m.service",
            "multi-user.target.wants/a.service",
            ".git/h.service",
        ] {
            std::fs::write(d.join(f), "[Service]\nExecStart=/x\n").unwrap();
        }
        let mut w = Vec::new();
        let got: Vec<String> = service_files(&d, &mut w)
            .iter()
            .map(|p| p.strip_prefix(&d).unwrap().display().to_string())
            .collect();
        assert_eq!(
            got,
            [
                "a.service",
                "b/c/deep.service",
                "b/m.service",
                "t@.service",
                "z.service"
            ]
        );
        assert!(w.is_empty());
        std::fs::remove_dir_all(d).unwrap();
    }
}
