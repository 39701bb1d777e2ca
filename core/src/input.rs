//! What was pasted: a unit file, `systemctl cat` output (units with their drop-ins, each
//! under a `# /path` header), or `systemctl show` output. Detection and splitting.

use serde::{Deserialize, Serialize};

use crate::unit::UnitType;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum InputKind {
    /// One unit file.
    UnitFile,
    /// `systemctl cat UNIT...`: files under `# /path` headers.
    SystemctlCat,
    /// `systemctl show UNIT...` (with or without `--all`).
    SystemctlShow,
}

impl InputKind {
    pub fn label(self) -> &'static str {
        match self {
            InputKind::UnitFile => "unit file",
            InputKind::SystemctlCat => "systemctl cat",
            InputKind::SystemctlShow => "systemctl show",
        }
    }
    pub fn parse(s: &str) -> Option<InputKind> {
        match s {
            "unit" | "unit-file" | "file" => Some(InputKind::UnitFile),
            "cat" | "systemctl-cat" => Some(InputKind::SystemctlCat),
            "show" | "systemctl-show" => Some(InputKind::SystemctlShow),
            _ => None,
        }
    }
}

/// The text of a file's bytes as systemd reads them: each invalid UTF-8 sequence becomes
/// U+FFFF, a noncharacter, which the unit-file parser refuses as systemd refuses invalid UTF-8
/// (outside comments: the unit does not load, a drop-in ends there). Every reader of bytes
/// (the CLI's files and standard input, the page's opened files) goes through here.
pub fn text_from_bytes(bytes: &[u8]) -> std::borrow::Cow<'_, str> {
    match std::str::from_utf8(bytes) {
        Ok(text) => std::borrow::Cow::Borrowed(text),
        Err(_) => {
            let mut text = String::with_capacity(text_len_from_bytes(bytes));
            for chunk in bytes.utf8_chunks() {
                text.push_str(chunk.valid());
                if !chunk.invalid().is_empty() {
                    text.push('\u{ffff}');
                }
            }
            std::borrow::Cow::Owned(text)
        }
    }
}

/// [`text_from_bytes`] for bytes the caller owns: valid UTF-8 becomes the text without a copy.
pub fn text_from_vec(bytes: Vec<u8>) -> String {
    String::from_utf8(bytes).unwrap_or_else(|e| text_from_bytes(e.as_bytes()).into_owned())
}

/// The length in bytes of [`text_from_bytes`]'s text, measured without building it (an
/// invalid sequence is at most 3 bytes, as is U+FFFF).
pub fn text_len_from_bytes(bytes: &[u8]) -> usize {
    bytes
        .utf8_chunks()
        .map(|c| c.valid().len() + if c.invalid().is_empty() { 0 } else { 3 })
        .sum()
}

/// The path in a `systemctl cat` header line (`# /etc/systemd/system/foo.service`).
pub fn cat_header(line: &str) -> Option<&str> {
    let p = line.trim_end().strip_prefix("# ")?;
    if !p.starts_with('/') || p.contains(char::is_whitespace) {
        return None;
    }
    let base = p.rsplit('/').next()?;
    let (_, ext) = base.rsplit_once('.')?;
    (ext == "conf" || UnitType::from_suffix(ext).is_some()).then_some(p)
}

/// Properties that only `systemctl show` prints; two of them make a paste a `show` capture.
const SHOW_MARKERS: &[&str] = &[
    "Id=",
    "Names=",
    "LoadState=",
    "ActiveState=",
    "SubState=",
    "FragmentPath=",
    "UnitFileState=",
    "InvocationID=",
    "ExecMainStartTimestamp=",
    "CapabilityBoundingSet=cap_",
    "MainPID=",
    "ControlGroup=",
];

/// Guesses the kind of a paste.
pub fn detect(text: &str) -> InputKind {
    let mut sections = 0;
    let mut markers = 0;
    // Whether every non-empty line is a `Name=value` property as `systemctl show` prints them.
    let mut all_properties = true;
    for line in crate::scan::lines(text) {
        // Once a section header and a line that is not a property were seen, only a
        // `systemctl cat` header can change the answer: other lines are passed over by their
        // first byte (a paste of a million lines is told in a few milliseconds).
        if sections > 0 && !all_properties && line.trim_start().as_bytes().first() != Some(&b'#') {
            continue;
        }
        // Two markers make it `systemctl show` output unless a section header or a `systemctl
        // cat` header comes: only lines that start like one are read further.
        if markers >= 2 && !matches!(line.trim_start().as_bytes().first(), Some(b'[' | b'#')) {
            continue;
        }
        let t = line.trim();
        match t.as_bytes().first() {
            None => {}
            Some(b'#') => {
                // One `systemctl cat` header decides: no need to read further.
                if cat_header(t).is_some() {
                    return InputKind::SystemctlCat;
                }
                all_properties = false;
            }
            Some(b'[') => {
                all_properties = false;
                if t.ends_with(']') {
                    sections += 1;
                }
            }
            Some(_) => {
                let eq = crate::scan::find_byte(t.as_bytes(), b'=');
                if !eq.is_some_and(|i| is_property_name(&t[..i])) {
                    all_properties = false;
                } else if SHOW_MARKERS.iter().any(|m| t.starts_with(m)) {
                    markers += 1;
                }
            }
        }
    }
    if sections == 0 && (markers >= 2 || markers == 1 && all_properties) {
        InputKind::SystemctlShow
    } else {
        InputKind::UnitFile
    }
}

/// A property name as `systemctl show` prints it: ASCII letters and digits, a letter first.
pub(crate) fn is_property_name(n: &str) -> bool {
    let mut b = n.bytes();
    b.next().is_some_and(|c| c.is_ascii_alphabetic()) && b.all(|c| c.is_ascii_alphanumeric())
}

/// One file of a `systemctl cat` paste.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CatFile<'a> {
    pub path: &'a str,
    pub text: &'a str,
    /// Byte offset of `text` in the whole paste.
    pub offset: usize,
    /// Line number of the header line (so `text` starts on the next line).
    pub header_line: u32,
}

/// A unit with its drop-ins, as `systemctl cat` printed them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CatUnit<'a> {
    pub unit: CatFile<'a>,
    pub dropins: Vec<CatFile<'a>>,
}

/// Splits `systemctl cat` output on its header lines. Text before the first header is
/// returned as `preamble` (the caller reports it). A drop-in (a `.conf` whose folder ends in
/// `.d`) belongs to the unit printed before it.
pub fn split_cat(text: &str) -> (Vec<CatUnit<'_>>, Option<(usize, u32)>) {
    let mut files: Vec<CatFile<'_>> = Vec::new();
    let mut offset = 0;
    let mut preamble = None;
    for (i, line) in text.split_inclusive('\n').enumerate() {
        let line_no = i as u32 + 1;
        // A header starts with "# /" (the test first: most lines are not one).
        if line.starts_with("# /")
            && let Some(path) = cat_header(line.trim_end_matches(['\n', '\r']))
            // Right after a header, a comment naming the same file is the file's own first
            // line (Debian's sysstat units start with `# /lib/systemd/system/sysstat.service`,
            // and `systemctl cat` prints it under its header), not a second, empty file.
            && !files.last().is_some_and(|last| {
                last.offset == offset && last.path.rsplit('/').next() == path.rsplit('/').next()
            })
        {
            if let Some(last) = files.last_mut() {
                last.text = &text[last.offset..offset];
            }
            files.push(CatFile {
                path,
                text: "",
                offset: offset + line.len(),
                header_line: line_no,
            });
        } else if files.is_empty() && !line.trim().is_empty() && preamble.is_none() {
            preamble = Some((offset, line_no));
        }
        offset += line.len();
    }
    if let Some(last) = files.last_mut() {
        last.text = &text[last.offset.min(text.len())..];
    }
    let mut units: Vec<CatUnit<'_>> = Vec::new();
    for f in files {
        let is_dropin = f.path.ends_with(".conf")
            && f.path
                .rsplit('/')
                .nth(1)
                .is_some_and(|dir| dir.ends_with(".d"));
        match units.last_mut() {
            Some(u) if is_dropin => u.dropins.push(f),
            _ => units.push(CatUnit {
                unit: f,
                dropins: Vec::new(),
            }),
        }
    }
    (units, preamble)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_that_starts_with_its_own_path_is_one_file() {
        let text = "# /lib/systemd/system/sysstat.service\n# /lib/systemd/system/sysstat.service\n[Service]\nExecStart=/bin/true\n";
        let (units, _) = split_cat(text);
        assert_eq!(units.len(), 1);
        assert!(
            units[0]
                .unit
                .text
                .starts_with("# /lib/systemd/system/sysstat.service\n[Service]")
        );
        // another unit's header right after an empty file is still a header
        let (units, _) =
            split_cat("# /etc/systemd/system/a.service\n# /etc/systemd/system/b.service\nA=b\n");
        assert_eq!(units.len(), 2);
    }

    #[test]
    fn invalid_utf8_is_read_as_u_ffff() {
        assert_eq!(text_from_bytes(b"A=b\n"), "A=b\n");
        let text = text_from_bytes(b"A=\xff\xfe\nB=\xe2\x82\n");
        assert_eq!(text, "A=\u{ffff}\u{ffff}\nB=\u{ffff}\n");
        assert_eq!(text_len_from_bytes(b"A=\xff\xfe\nB=\xe2\x82\n"), text.len());
        assert_eq!(text_from_vec(b"A=\xff\n".to_vec()), "A=\u{ffff}\n");
        assert_eq!(text_from_vec(b"A=b\n".to_vec()), "A=b\n");
    }

    #[test]
    fn detects_kinds() {
        assert_eq!(detect("[Service]\nExecStart=/x\n"), InputKind::UnitFile);
        assert_eq!(
            detect("# /lib/systemd/system/a.service\n[Service]\n"),
            InputKind::SystemctlCat
        );
        assert_eq!(
            detect("Type=simple\nId=a.service\nLoadState=loaded\n"),
            InputKind::SystemctlShow
        );
        assert_eq!(detect("garbage"), InputKind::UnitFile);
        // `systemctl show -p User -p Id`: one marker, but nothing else than properties.
        assert_eq!(
            detect("User=nobody\nId=a.service\n"),
            InputKind::SystemctlShow
        );
        assert_eq!(
            detect("User=nobody\nId=a.service\nnot a property\n"),
            InputKind::UnitFile
        );
        // `--all` output of an unhardened unit starts with empty values.
        assert_eq!(
            detect(
                "Type=simple\nUser=\nRestrictAddressFamilies=~\nId=a.service\nLoadState=loaded\n"
            ),
            InputKind::SystemctlShow
        );
        // A comment that merely mentions a path is not a header.
        assert_eq!(
            detect("# /etc/foo is read at start\n[Service]\n"),
            InputKind::UnitFile
        );
    }

    #[test]
    fn splits_units_and_dropins() {
        let text = "# /lib/systemd/system/a.service\n[Service]\nExecStart=/x\n\n# /etc/systemd/system/a.service.d/o.conf\n[Service]\nUser=u\n\n# /lib/systemd/system/b.service\n[Service]\n";
        let (units, pre) = split_cat(text);
        assert!(pre.is_none());
        assert_eq!(units.len(), 2);
        assert_eq!(units[0].unit.path, "/lib/systemd/system/a.service");
        assert_eq!(units[0].unit.text, "[Service]\nExecStart=/x\n\n");
        assert_eq!(units[0].dropins.len(), 1);
        assert_eq!(units[0].dropins[0].header_line, 5);
        assert_eq!(&text[units[0].dropins[0].offset..][..9], "[Service]");
        assert_eq!(units[1].unit.text, "[Service]\n");
    }

    #[test]
    fn reports_text_before_the_first_header() {
        let (units, pre) = split_cat("oops\n# /lib/systemd/system/a.service\n");
        assert_eq!(units.len(), 1);
        assert_eq!(pre, Some((0, 1)));
    }
}
