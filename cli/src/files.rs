//! Reading units from disk the way `systemd-analyze security --offline=yes` finds them: the
//! unit file (or, for an instance, its template) and the drop-ins beside it.

use std::fs::{File, Metadata};
use std::io::Read;
use std::os::fd::AsFd;
use std::os::unix::fs::{FileTypeExt, MetadataExt, OpenOptionsExt};
use std::path::{Path, PathBuf};

use exposure_core::unit::UnitName;
use exposure_core::{MAX_INPUT_BYTES, format_bytes, format_size, over_limit};

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
///
/// As systemd 252 does, a unit file that is a character device (a link to `/dev/null` or any
/// other) is read as empty, that is masked, and a drop-in that is `/dev/null` as empty; a
/// drop-in that cannot be opened (a dangling or looping link, no permission) or is a directory
/// is skipped, with a warning in `warnings` (systemd skips it silently). A drop-in that is
/// another device, a FIFO or a socket is refused: systemd would block or read without end.
/// The files together are read up to [`MAX_INPUT_BYTES`] and refused beyond it.
pub fn read_unit(path: &Path, warnings: &mut Vec<String>) -> Result<DiskUnit, ReadError> {
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
    let (main, meta) = match std::fs::metadata(path) {
        Ok(m) => (path.to_path_buf(), m),
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
            return Err(ReadError(format!("{}: {e}", path.display())));
        }
        Err(_) => match name.template().filter(|_| !name.is_template()) {
            Some(t) => {
                let tp = dir.join(&t);
                match std::fs::metadata(&tp) {
                    Ok(m) => (tp, m),
                    Err(_) => {
                        return Err(ReadError(format!(
                            "{}: no such file, and no template {} beside it",
                            path.display(),
                            tp.display()
                        )));
                    }
                }
            }
            None => return Err(ReadError(format!("{}: no such file", path.display()))),
        },
    };
    let mut budget = Budget::new();
    let text = if meta.file_type().is_char_device() {
        // null_or_empty(): systemd reads any character device as a masked unit.
        if !is_dev_null(&meta) {
            warnings.push(format!(
                "{}: is a character device, which systemd reads as empty: a masked unit",
                main.display()
            ));
        }
        String::new()
    } else {
        refuse_special(&meta, &main)?;
        read_regular(&main, &meta, &mut budget, warnings)?
    };
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
    let present = folders_in(&dir);
    for folder in &folders {
        if present
            .as_ref()
            .is_some_and(|p| !p.contains(folder.as_str()))
        {
            continue;
        }
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
        let meta = match std::fs::metadata(&p) {
            Ok(m) => m,
            Err(e) => {
                let why = if e.kind() == std::io::ErrorKind::NotFound {
                    "it is a dangling link (its target does not exist)".to_owned()
                } else if e.raw_os_error() == Some(libc::ELOOP) {
                    "it is a link in a loop".to_owned()
                } else {
                    e.to_string()
                };
                warnings.push(format!(
                    "{}: drop-in skipped: {why} (systemd skips it too)",
                    p.display()
                ));
                continue;
            }
        };
        let t = meta.file_type();
        let text = if t.is_dir() {
            warnings.push(format!(
                "{}: drop-in skipped: it is a directory (systemd skips it too)",
                p.display()
            ));
            continue;
        } else if t.is_char_device() && is_dev_null(&meta) {
            // Read as empty, as systemd reads it: it only hides a drop-in of the same name
            // in a less specific folder.
            String::new()
        } else if t.is_file() {
            read_regular(&p, &meta, &mut budget, warnings)?
        } else {
            return Err(ReadError(format!(
                "{}: this drop-in is {}, not a file or /dev/null; systemd would block or read \
                 without end on it, so the unit is not assessed",
                p.display(),
                special_kind(&meta)
            )));
        };
        files.push((p.display().to_string(), text));
    }
    Ok(DiskUnit {
        name: file_name.to_owned(),
        files,
    })
}

/// The names in `dir` that end in `.d` (drop-in folders, or links to them), listed once per
/// folder for the whole run: most units have none of the folders [`read_unit`] looks for, and
/// a folder of many units would otherwise be asked for each of them, one failed open each.
/// `None` when `dir` cannot be listed (then every folder is tried).
fn folders_in(dir: &Path) -> Option<std::sync::Arc<std::collections::HashSet<String>>> {
    use std::collections::{HashMap, HashSet};
    use std::sync::{Arc, Mutex, OnceLock};
    type Listed = HashMap<PathBuf, Option<Arc<HashSet<String>>>>;
    static LISTED: OnceLock<Mutex<Listed>> = OnceLock::new();
    let listed = LISTED.get_or_init(Mutex::default);
    if let Some(known) = listed.lock().ok()?.get(dir) {
        return known.clone();
    }
    let names = std::fs::read_dir(dir).ok().map(|rd| {
        Arc::new(
            rd.filter_map(|e| e.ok()?.file_name().into_string().ok())
                .filter(|n| n.ends_with(".d"))
                .collect::<HashSet<String>>(),
        )
    });
    listed.lock().ok()?.insert(dir.to_path_buf(), names.clone());
    names
}

/// What is left of [`MAX_INPUT_BYTES`] for the files of one input.
struct Budget {
    /// The size of the texts read so far (what core measures against the limit).
    used: u64,
}

impl Budget {
    fn new() -> Budget {
        Budget { used: 0 }
    }
    fn left(&self) -> u64 {
        (MAX_INPUT_BYTES as u64).saturating_sub(self.used)
    }
}

fn metadata(p: &Path) -> Result<Metadata, ReadError> {
    std::fs::metadata(p).map_err(|e| ReadError(format!("{}: {e}", p.display())))
}

/// What a file that is not a regular file is, in words.
fn special_kind(m: &Metadata) -> &'static str {
    let t = m.file_type();
    if t.is_dir() {
        "a directory"
    } else if t.is_char_device() {
        "a character device"
    } else if t.is_block_device() {
        "a block device"
    } else if t.is_fifo() {
        "a FIFO (named pipe)"
    } else if t.is_socket() {
        "a socket"
    } else {
        "not a regular file"
    }
}

/// Refuses what is not a regular file, before it is opened (opening a FIFO waits for a writer,
/// a device may never stop giving bytes).
fn refuse_special(m: &Metadata, p: &Path) -> Result<(), ReadError> {
    if m.file_type().is_file() {
        return Ok(());
    }
    let hint = if m.file_type().is_fifo() {
        "; give it on standard input instead (exposure - < FILE)"
    } else {
        ""
    };
    Err(ReadError(format!(
        "{}: is {}, not a regular file{hint}",
        p.display(),
        special_kind(m)
    )))
}

/// Whether `m` is the null device (the link `systemctl mask` makes points at it).
fn is_dev_null(m: &Metadata) -> bool {
    // Linux's /dev/null is character device 1:3.
    const DEV_NULL: u64 = (1 << 8) | 3;
    let null = std::fs::metadata("/dev/null").map_or(DEV_NULL, |n| n.rdev());
    m.file_type().is_char_device() && m.rdev() == null
}

/// Reads a regular file whose metadata is `m`, within `budget`: a file whose size is over what
/// is left is refused without being read, and reading stops one byte past it (the file may
/// grow, or not be what it was when `m` was taken).
fn read_regular(
    p: &Path,
    m: &Metadata,
    budget: &mut Budget,
    warnings: &mut Vec<String>,
) -> Result<String, ReadError> {
    let label = p.display().to_string();
    if m.len() > budget.left() {
        return Err(too_big(&label, budget.used + m.len(), budget.used > 0));
    }
    // O_NONBLOCK: if a FIFO took the file's place since `m`, opening it does not wait.
    let file = std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK | libc::O_NOCTTY)
        .open(p)
        .map_err(|e| ReadError(format!("{label}: {e}")))?;
    let now = file
        .metadata()
        .map_err(|e| ReadError(format!("{label}: {e}")))?;
    refuse_special(&now, p)?;
    let bytes = read_bounded_sized(file, &label, budget, now.len())?;
    decode(bytes, &label, budget, warnings)
}

/// Reads standard input, up to [`MAX_INPUT_BYTES`]: a regular file over the limit (`- < FILE`)
/// is refused without being read, a pipe or a device is read until one byte past the limit.
pub fn read_stdin(warnings: &mut Vec<String>) -> Result<String, ReadError> {
    const LABEL: &str = "standard input";
    let stdin = std::io::stdin();
    let mut budget = Budget::new();
    if let Ok(m) = stdin
        .as_fd()
        .try_clone_to_owned()
        .and_then(|fd| File::from(fd).metadata())
    {
        if m.file_type().is_dir() {
            return Err(ReadError(format!("{LABEL}: is a directory")));
        }
        if m.file_type().is_file() && m.len() > budget.left() {
            return Err(too_big(LABEL, m.len(), false));
        }
    }
    let bytes = read_bounded(stdin.lock(), LABEL, &mut budget)?;
    decode(bytes, LABEL, &mut budget, warnings)
}

/// Reads a file named on the command line (a capture, the policy): a regular file of at most
/// [`MAX_INPUT_BYTES`].
pub fn read_file(p: &Path, warnings: &mut Vec<String>) -> Result<String, ReadError> {
    let m = metadata(p)?;
    refuse_special(&m, p)?;
    read_regular(p, &m, &mut Budget::new(), warnings)
}

/// Reads `r` to its end, or to one byte past what `budget` leaves, which is refused.
fn read_bounded(r: impl Read, label: &str, budget: &mut Budget) -> Result<Vec<u8>, ReadError> {
    read_bounded_sized(r, label, budget, 0)
}

/// [`read_bounded`] of what should be `size` bytes (a regular file's length): read into room
/// for all of it at once.
fn read_bounded_sized(
    r: impl Read,
    label: &str,
    budget: &mut Budget,
    size: u64,
) -> Result<Vec<u8>, ReadError> {
    let room = size.min(budget.left()) as usize + 1;
    let mut bytes = Vec::with_capacity(room);
    r.take(budget.left() + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| ReadError(format!("{label}: {e}")))?;
    let len = bytes.len() as u64;
    if len > budget.left() {
        return Err(ReadError(format!(
            "{label}: {}more than {} bytes, over the {} MiB limit; reading stopped there",
            together(budget.used > 0),
            format_bytes(MAX_INPUT_BYTES as u64),
            MAX_INPUT_BYTES >> 20
        )));
    }
    budget.used += len;
    Ok(bytes)
}

/// The refusal of `len` bytes; `after_others` when they are the files of one unit together.
fn too_big(label: &str, len: u64, after_others: bool) -> ReadError {
    ReadError(format!(
        "{label}: {}{}; not read",
        together(after_others),
        over_limit(len)
    ))
}

fn together(after_others: bool) -> &'static str {
    if after_others {
        "with the unit's files read before it, "
    } else {
        ""
    }
}

/// The text of an input. Each invalid UTF-8 sequence is read as U+FFFF, a noncharacter that
/// core's unit-file parser refuses as systemd refuses invalid UTF-8 (a unit file with such a
/// line, outside comments, does not load; a drop-in ends there), with a warning naming the
/// input and the first line holding one. A text this replacement (3 bytes for each sequence)
/// would take over what `budget` leaves (the bytes are already counted in it) is refused.
fn decode(
    bytes: Vec<u8>,
    label: &str,
    budget: &mut Budget,
    warnings: &mut Vec<String>,
) -> Result<String, ReadError> {
    let e = match String::from_utf8(bytes) {
        Ok(text) => return Ok(text),
        Err(e) => e,
    };
    let valid = e.utf8_error().valid_up_to();
    let bytes = e.into_bytes();
    let line = 1 + bytes[..valid].iter().filter(|&&b| b == b'\n').count();
    // Measured before it is built.
    let text_len = exposure_core::input::text_len_from_bytes(&bytes);
    let growth = (text_len - bytes.len()) as u64;
    if growth > budget.left() {
        let others = budget.used - bytes.len() as u64;
        return Err(ReadError(format!(
            "{label}:{line}: not valid UTF-8; with U+FFFF (3 bytes) in place of each invalid \
             sequence, its {} bytes become {}, which{} is over the {} MiB limit; not analyzed",
            format_bytes(bytes.len() as u64),
            format_size(text_len as u64),
            if others > 0 {
                " with the unit's files read before it"
            } else {
                ""
            },
            MAX_INPUT_BYTES >> 20
        )));
    }
    budget.used += growth;
    let text = exposure_core::input::text_from_bytes(&bytes).into_owned();
    warnings.push(format!(
        "{label}:{line}: not valid UTF-8 (the first such line); its invalid bytes are read as \
         U+FFFF, which systemd's unit-file parser refuses like invalid UTF-8 (outside comments)"
    ));
    Ok(text)
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
        let u = read_unit(&d.join("foo-bar@baz.service"), &mut Vec::new()).unwrap();
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
            read_unit(&d.join("nope.service"), &mut Vec::new())
                .unwrap_err()
                .0
                .contains("no such file")
        );
        assert!(
            read_unit(&d.join("a@b.service"), &mut Vec::new())
                .unwrap_err()
                .0
                .contains("no template")
        );
        assert!(
            read_unit(&d.join("README"), &mut Vec::new())
                .unwrap_err()
                .0
                .contains("not a valid unit name")
        );
        std::fs::remove_dir_all(d).unwrap();
    }
}
