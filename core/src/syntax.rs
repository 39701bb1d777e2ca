//! Unit-file syntax, read the way systemd 252's `config_parse()` reads it.
//!
//! - lines end at `\n`, `\r` or NUL (`\r\n` and `\n\r` count as one line end, `\n\n` as two);
//! - lines whose first non-blank character is `#` or `;` are comments, also in the middle of a
//!   continuation; a UTF-8 byte-order mark is dropped from the first line that has one;
//! - each line is stripped of surrounding whitespace; empty lines are skipped;
//! - a line ending in an unescaped backslash continues on the next line: the backslash becomes a
//!   space and the next line is appended as is;
//! - `[Name]` opens a section. A header that does not end in `]`, or whose name has quotes,
//!   backslashes or control characters, is fatal: systemd stops reading the file there (a unit
//!   file then fails to load; a drop-in keeps what came before). `Key=Value` is an assignment,
//!   with key and value stripped of whitespace;
//! - a line without `=` or with an empty key is ignored with a warning, as is an assignment
//!   before any section;
//! - a line (not a comment) that is not UTF-8 clean — invalid bytes (written as U+FFFF by the
//!   reader) or a Unicode noncharacter — is fatal, like a bad section header.
//!
//! Parsing never fails: it returns every assignment it could read, each with its line and byte
//! span in the original text, plus diagnostics. Which sections and keys are *known* is decided
//! later, by the loader, which knows the unit type.

use std::borrow::Cow;
use std::sync::Arc;

use crate::diag::{Diagnostic, Severity, Span};

/// One `Key=Value` assignment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// The section it appears in, as written (e.g. `Service`); shared by its entries.
    pub section: Arc<str>,
    pub key: String,
    /// The value with continuation lines joined (each backslash replaced by a space).
    pub value: String,
    /// The whole logical line (from the first byte of the key to the end of the last
    /// continuation line); `span.line` is the line of the key.
    pub span: Span,
    /// The key alone.
    pub key_span: Span,
}

/// A section header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Section {
    pub name: String,
    pub span: Span,
}

/// One parsed file: a unit file or a drop-in.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct File {
    /// The name or path this file was given as (e.g. `/etc/systemd/system/foo.service.d/x.conf`).
    pub path: Option<String>,
    pub sections: Vec<Section>,
    pub entries: Vec<Entry>,
    pub diagnostics: Vec<Diagnostic>,
    /// Set when systemd would refuse the whole file (e.g. an invalid section header).
    pub fatal: bool,
    /// When `fatal`: how many of `entries` come before the fatal line. systemd stops reading
    /// the file there, so later entries never take effect (a drop-in with a bad header still
    /// applies the lines above it; a unit file with one fails to load).
    pub fatal_at: Option<usize>,
    /// True when the file has no bytes at all (systemd reads an empty unit file as masked).
    pub empty: bool,
}

/// Where a file's text sits inside the whole input (for `systemctl cat` pastes).
impl File {
    /// Reads an empty section header (`[]`) as an invalid one, fatal from there on, as
    /// systemd 262 does (earlier versions read it as an unknown section). `version` names
    /// the version in the message.
    pub fn refuse_empty_section_names(&mut self, version: &str) {
        let Some(s) = self.sections.iter().find(|s| s.name.is_empty()) else {
            return;
        };
        let span = s.span;
        let before = self
            .entries
            .iter()
            .take_while(|e| e.span.start < span.start)
            .count();
        if self.fatal_at.is_some_and(|at| at <= before) {
            return;
        }
        self.fatal = true;
        self.fatal_at = Some(before);
        let d = Diagnostic::new(
            Severity::Error,
            "invalid-section-header",
            format!(
                "Invalid section header '[]' (systemd {version} refuses an empty section name): \
                 systemd stops reading this file here"
            ),
        )
        .at(self.path.as_deref(), span);
        // The first fatal line's reason is the one reported: put it before the others.
        self.diagnostics.insert(0, d);
    }
}

#[derive(Debug, Clone, Copy, Default)]
pub struct Origin {
    /// Byte offset of the file's first byte in the whole input.
    pub offset: usize,
    /// 1-based line number of the file's first line in the whole input, minus one.
    pub line_base: u32,
}

/// Parses one file. `path` only labels diagnostics. `known_sections` lists the sections the unit
/// type has (e.g. `Unit`, `Service`, `Install`); any other section is ignored with a warning,
/// except `X-` sections, which systemd ignores silently. `None` accepts every section.
pub fn parse(
    text: &str,
    path: Option<&str>,
    origin: Origin,
    known_sections: Option<&[&str]>,
) -> File {
    let mut parser = FileParser::new(text, path, origin, known_sections);
    parser.run(text, usize::MAX);
    parser.finish(text)
}

/// A file parsed a number of lines at a time, for a caller that must not block for long (the
/// page, with one unit of megabytes): [`FileParser::new`], [`FileParser::run`] until it says
/// nothing is left, then [`FileParser::finish`] give exactly what [`parse`] gives. Every call
/// takes the same `text`.
pub(crate) struct FileParser<'k> {
    p: Parser<'k>,
    origin: Origin,
    /// Physical lines with their byte ranges (without the line terminator).
    lines: Vec<(usize, usize)>,
    /// The next line to read.
    next: usize,
    /// Logical line being accumulated across continuations: (text, first byte, first line).
    cont: Option<(String, usize, u32)>,
    bom_seen: bool,
    /// systemd stopped reading the file (a line too long).
    stopped: bool,
}

impl<'k> FileParser<'k> {
    pub(crate) fn new(
        text: &str,
        path: Option<&str>,
        origin: Origin,
        known_sections: Option<&'k [&'k str]>,
    ) -> Self {
        let p = Parser {
            file: File {
                path: path.map(str::to_owned),
                empty: text.is_empty(),
                ..File::default()
            },
            section: None,
            section_ignored: false,
            known_sections,
        };
        // Physical lines with their byte ranges (without the line terminator). Like read_line(),
        // '\n', '\r' and NUL all end a line, and a run of them ends one line only as long as no
        // kind repeats ("\r\n" is one line end, "\n\n" two) and no NUL came before.
        let bytes = text.as_bytes();
        // One line per '\n' in most files: sized once instead of grown.
        let mut lines = Vec::with_capacity(bytes.iter().filter(|&&b| b == b'\n').count() + 1);
        let mut start = 0usize;
        let mut i = 0usize;
        let eol = |b: u8| match b {
            b'\n' => 1u8,
            b'\r' => 2,
            0 => 4,
            _ => 0,
        };
        while i < bytes.len() {
            let Some(end) = crate::scan::find_line_end(&bytes[i..]) else {
                break;
            };
            i += end;
            lines.push((start, i));
            let mut seen = 0u8;
            while i < bytes.len() {
                let k = eol(bytes[i]);
                if k == 0 || seen & k != 0 || seen & 4 != 0 {
                    break;
                }
                seen |= k;
                i += 1;
            }
            start = i;
        }
        if start < text.len() {
            lines.push((start, text.len()));
        }

        // Most lines of a unit file are assignments (a bounded guess: a file of blank lines
        // must not reserve for millions).
        let mut p = p;
        p.file.entries.reserve(lines.len().min(256));
        FileParser {
            p,
            origin,
            lines,
            next: 0,
            cont: None,
            bom_seen: false,
            stopped: false,
        }
    }

    /// The average length of the file's physical lines in bytes (at least 1).
    pub(crate) fn average_line(&self, text: &str) -> usize {
        (text.len() / self.lines.len().max(1)).max(1)
    }

    /// Reads up to `count` more physical lines; returns whether any are left to read.
    pub(crate) fn run(&mut self, text: &str, count: usize) -> bool {
        let origin = self.origin;
        let p = &mut self.p;
        let mut cont = self.cont.take();
        let mut bom_seen = self.bom_seen;
        let mut stopped = self.stopped;
        let from = self.next;
        let to = if stopped {
            from
        } else {
            from.saturating_add(count).min(self.lines.len())
        };
        for idx in from..to {
            let (s, e) = self.lines[idx];
            let line_no = origin.line_base + idx as u32 + 1;
            // read_line() refuses a line of LONG_LINE_MAX bytes or more before anything else looks
            // at it (a comment too): systemd stops reading the file there.
            if e - s >= LONG_LINE_MAX {
                p.too_long(
                    format!("This line is {} bytes long", e - s),
                    line_no,
                    origin,
                    s,
                    e,
                );
                cont = None;
                stopped = true;
                break;
            }
            // Comment lines are dropped first, also in the middle of a continuation.
            if trim_start_ws(&text[s..e]).starts_with(['#', ';']) {
                continue;
            }
            let mut s = s;
            if !bom_seen && text[s..e].starts_with('\u{feff}') {
                s += '\u{feff}'.len_utf8();
                bom_seen = true;
            }
            let raw = &text[s..e];
            // So does a continuation that would grow past LONG_LINE_MAX.
            let grown = cont.as_ref().map_or(0, |(acc, _, _)| acc.len() + raw.len());
            if grown > LONG_LINE_MAX {
                let msg = format!("This continued line grows to {grown} bytes");
                p.too_long(msg, line_no, origin, s, e);
                cont = None;
                stopped = true;
                break;
            }
            // Scanning `raw` alone is the same as scanning the whole logical line (what came
            // before ends in the space that replaced an unescaped backslash, so no escape is
            // pending) and keeps a long continuation linear.
            let continued = ends_with_unescaped_backslash(raw);
            let (acc, first_byte, first_line) = match cont.take() {
                Some((mut acc, fb, fl)) => {
                    acc.push_str(raw);
                    (Cow::Owned(acc), fb, fl)
                }
                None => (Cow::Borrowed(raw), s, line_no),
            };
            if continued {
                let mut acc = acc.into_owned();
                acc.pop();
                acc.push(' ');
                cont = Some((acc, first_byte, first_line));
                continue;
            }
            let span = Span {
                line: first_line,
                start: (origin.offset + first_byte) as u32,
                end: (origin.offset + e) as u32,
            };
            p.line(&acc, span, origin.offset + first_byte, &text[first_byte..e]);
        }
        self.next = if stopped { self.lines.len() } else { to };
        self.cont = cont;
        self.bom_seen = bom_seen;
        self.stopped = stopped;
        self.next < self.lines.len()
    }

    /// The file, once every line is read.
    pub(crate) fn finish(mut self, text: &str) -> File {
        let origin = self.origin;
        let mut p = self.p;
        let cont = &mut self.cont;
        if let Some((acc, fb, fl)) = cont.take() {
            // The file ended inside a continuation: systemd parses what it has.
            let span = Span {
                line: fl,
                start: (origin.offset + fb) as u32,
                end: (origin.offset + text.len()) as u32,
            };
            p.line(&acc, span, origin.offset + fb, &text[fb..]);
        }
        p.file
    }
}

/// systemd's `LONG_LINE_MAX`: the longest line (or continued line) it reads, 1 MiB.
pub const LONG_LINE_MAX: usize = 1 << 20;

/// systemd's WHITESPACE: what it trims around lines, keys and values.
fn is_ws(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r')
}

/// `s` without leading whitespace. The bytes trimmed are ASCII, so the cut is a char boundary.
fn trim_start_ws(s: &str) -> &str {
    let n = s.bytes().take_while(|&b| is_ws(b)).count();
    &s[n..]
}

/// `s` without leading or trailing whitespace.
fn trim_ws(s: &str) -> &str {
    let s = trim_start_ws(s);
    let n = s.bytes().rev().take_while(|&b| is_ws(b)).count();
    &s[..s.len() - n]
}

/// Whether systemd's `utf8_is_valid()` accepts `c`: not the noncharacters U+FDD0–U+FDEF and
/// U+xFFFE/U+xFFFF. It refuses a line holding one, or invalid UTF-8, which whoever reads bytes
/// into text for this parser writes as U+FFFF (the `exposure` command does), so that the line
/// is refused as systemd refuses it.
pub fn utf8_clean(c: char) -> bool {
    !matches!(c, '\u{fdd0}'..='\u{fdef}') && (c as u32) & 0xfffe != 0xfffe
}

/// Whether the last backslash of `s` escapes nothing: each backslash escapes the byte after
/// it, so only the run of backslashes at the end counts, and an odd one leaves one unescaped.
fn ends_with_unescaped_backslash(s: &str) -> bool {
    s.bytes().rev().take_while(|&b| b == b'\\').count() % 2 == 1
}

struct Parser<'k> {
    known_sections: Option<&'k [&'k str]>,
    file: File,
    section: Option<Arc<str>>,
    section_ignored: bool,
}

impl Parser<'_> {
    fn set_fatal(&mut self) {
        self.file.fatal = true;
        if self.file.fatal_at.is_none() {
            self.file.fatal_at = Some(self.file.entries.len());
        }
    }

    /// A line over [`LONG_LINE_MAX`] (bytes `s..e` of the file's text): fatal.
    fn too_long(&mut self, what: String, line: u32, origin: Origin, s: usize, e: usize) {
        let span = Span {
            line,
            start: (origin.offset + s) as u32,
            end: (origin.offset + e) as u32,
        };
        let msg =
            format!("{what}; systemd reads lines of up to 1 MiB and stops reading this file here");
        self.diag(Severity::Error, "line-too-long", msg, span);
        self.set_fatal();
    }

    fn diag(&mut self, severity: Severity, code: &'static str, msg: String, span: Span) {
        let d = Diagnostic::new(severity, code, msg).at(self.file.path.as_deref(), span);
        self.file.diagnostics.push(d);
    }

    /// `l` is the logical line (continuations joined); `abs` the byte offset of its first
    /// physical byte in the whole input; `src` the original text of the logical line.
    fn line(&mut self, l: &str, span: Span, abs: usize, src: &str) {
        let t = trim_ws(l);
        if t.is_empty() || t.starts_with(['#', ';']) {
            return;
        }
        // Every ASCII character is clean; only a line with others needs the closer look.
        if let Some(c) = (!t.is_ascii())
            .then(|| t.chars().find(|&c| !utf8_clean(c)))
            .flatten()
        {
            self.diag(
                Severity::Error,
                "not-utf8",
                format!(
                    "This line is not UTF-8 clean to systemd (invalid bytes, or the noncharacter \
                     U+{:04X}): systemd stops reading this file here",
                    c as u32
                ),
                span,
            );
            self.set_fatal();
            return;
        }
        let lead = l.len() - trim_start_ws(l).len();
        if t.starts_with('[') {
            if !t.ends_with(']') || t.len() < 2 {
                self.diag(
                    Severity::Error,
                    "invalid-section-header",
                    format!("Invalid section header '{t}': systemd stops reading this file here"),
                    span,
                );
                self.set_fatal();
                return;
            }
            let name = &t[1..t.len() - 1];
            // string_is_safe(): no ASCII control characters, quotes or backslashes. An empty
            // name ("[]") is safe; it is just an unknown section.
            if name
                .chars()
                .any(|c| c < ' ' || c == '\x7f' || c == '\\' || c == '"' || c == '\'')
            {
                self.diag(
                    Severity::Error,
                    "invalid-section-header",
                    format!("Bad characters in section header '{t}': systemd stops reading this file here"),
                    span,
                );
                self.set_fatal();
                return;
            }
            self.file.sections.push(Section {
                name: name.to_owned(),
                span,
            });
            if let Some(known) = self.known_sections
                && !known.contains(&name)
            {
                if !name.starts_with("X-") {
                    let help = known
                        .iter()
                        .find(|k| k.eq_ignore_ascii_case(name))
                        .map(|k| format!("section names are case-sensitive: did you mean [{k}]?"));
                    let mut d = Diagnostic::new(
                        Severity::Warning,
                        "unknown-section",
                        format!("Unknown section [{name}]; systemd ignores everything in it"),
                    )
                    .at(self.file.path.as_deref(), span);
                    d.help = help;
                    self.file.diagnostics.push(d);
                }
                self.section = None;
                self.section_ignored = true;
                return;
            }
            self.section = Some(Arc::from(name));
            self.section_ignored = false;
            return;
        }
        let Some(section) = self.section.clone() else {
            if !self.section_ignored {
                self.diag(
                    Severity::Warning,
                    "outside-section",
                    "Assignment outside of any section; systemd ignores it".into(),
                    span,
                );
            }
            return;
        };
        let Some(eq) = crate::scan::find_byte(t.as_bytes(), b'=') else {
            self.diag(
                Severity::Warning,
                "missing-equals",
                format!("Missing '=' in '{}'; systemd ignores this line", shorten(t)),
                span,
            );
            return;
        };
        if eq == 0 {
            self.diag(
                Severity::Warning,
                "missing-key",
                "Missing key name before '='; systemd ignores this line".into(),
                span,
            );
            return;
        }
        let key = trim_ws(&t[..eq]);
        let value = trim_ws(&t[eq + 1..]);
        // The key sits at the start of the logical line, which starts on its first physical
        // line, so its bytes are found verbatim in `src`.
        let key_start = abs + lead.min(src.len());
        let key_span = Span {
            line: span.line,
            start: key_start as u32,
            end: (key_start + key.len()) as u32,
        };
        self.file.entries.push(Entry {
            section,
            key: key.to_owned(),
            value: value.to_owned(),
            span,
            key_span,
        });
    }
}

fn shorten(s: &str) -> String {
    if s.chars().count() > 40 {
        let t: String = s.chars().take(40).collect();
        format!("{t}…")
    } else {
        s.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(text: &str) -> File {
        parse(
            text,
            None,
            Origin::default(),
            Some(&["Unit", "Service", "Install"]),
        )
    }

    fn kv(f: &File) -> Vec<(String, String, String, u32)> {
        f.entries
            .iter()
            .map(|e| {
                (
                    e.section.to_string(),
                    e.key.clone(),
                    e.value.clone(),
                    e.span.line,
                )
            })
            .collect()
    }

    #[test]
    fn sections_comments_and_repeats() {
        let f = p("# c\n[Unit]\nDescription = x y \n; c\n[Service]\nUser=a\nUser=b\n\n");
        assert_eq!(
            kv(&f),
            vec![
                ("Unit".into(), "Description".into(), "x y".into(), 3),
                ("Service".into(), "User".into(), "a".into(), 6),
                ("Service".into(), "User".into(), "b".into(), 7),
            ]
        );
        assert!(f.diagnostics.is_empty());
        assert!(!f.fatal);
    }

    #[test]
    fn continuation_joins_with_spaces_and_skips_comments() {
        // Same text as verified against systemd-analyze 252: the value becomes
        // "yes     RestrictAddressFamilies=AF_UNSPEC AF_FILE".
        let f = p(
            "[Service]\nPrivateTmp=yes \\\n# comment\n  \\\nRestrictAddressFamilies=AF_UNSPEC AF_FILE\n",
        );
        assert_eq!(f.entries.len(), 1);
        assert_eq!(
            f.entries[0].value,
            "yes     RestrictAddressFamilies=AF_UNSPEC AF_FILE"
        );
        assert_eq!(f.entries[0].span.line, 2);
        assert_eq!(f.entries[0].span.start, 10);
    }

    #[test]
    fn escaped_backslash_does_not_continue() {
        let f = p("[Service]\nA=x\\\\\nB=y\n");
        assert_eq!(kv(&f).len(), 2);
        assert_eq!(f.entries[0].value, "x\\\\");
    }

    #[test]
    fn only_the_trailing_backslashes_decide_a_continuation() {
        // The scan from the start, as systemd reads a line, against the count from the end.
        let from_start = |s: &str| {
            let mut escaped = false;
            for b in s.bytes() {
                escaped = !escaped && b == b'\\';
            }
            escaped
        };
        let alphabet = ["a", "\\", " ", "\"", "é"];
        let mut texts = vec![String::new()];
        for _ in 0..6 {
            let longer: Vec<String> = texts
                .iter()
                .flat_map(|t| alphabet.iter().map(move |c| format!("{t}{c}")))
                .collect();
            texts.extend(longer);
            texts.dedup();
        }
        for t in &texts {
            assert_eq!(ends_with_unescaped_backslash(t), from_start(t), "{t:?}");
        }
    }

    #[test]
    fn bad_lines_are_diagnosed_not_fatal() {
        let f = p("User=x\n[Service]\nfoo\n=x\n");
        let codes: Vec<_> = f.diagnostics.iter().map(|d| (d.code, d.line())).collect();
        assert_eq!(
            codes,
            vec![
                ("outside-section", Some(1)),
                ("missing-equals", Some(3)),
                ("missing-key", Some(4))
            ]
        );
        assert!(!f.fatal);
        assert!(f.entries.is_empty());
    }

    #[test]
    fn invalid_header_is_fatal() {
        let f = p("[Service\nExecStart=/x\n");
        assert!(f.fatal);
        assert_eq!(f.diagnostics[0].code, "invalid-section-header");
        let f = p("[Service] #c\n");
        assert!(f.fatal);
    }

    #[test]
    fn bom_crlf_and_spans() {
        let text = "\u{feff}[Service]\r\nUser=a\r\n";
        let f = p(text);
        assert_eq!(
            kv(&f),
            vec![("Service".into(), "User".into(), "a".into(), 2)]
        );
        let e = &f.entries[0];
        assert_eq!(
            &text[e.key_span.start as usize..e.key_span.end as usize],
            "User"
        );
        assert_eq!(&text[e.span.start as usize..e.span.end as usize], "User=a");
    }

    #[test]
    fn origin_offsets_lines_and_bytes() {
        let f = parse(
            "[Service]\n  User=a\n",
            Some("x.conf"),
            Origin {
                offset: 100,
                line_base: 9,
            },
            None,
        );
        let e = &f.entries[0];
        assert_eq!(e.span.line, 11);
        assert_eq!(e.key_span.start, 112);
    }

    #[test]
    fn unknown_sections_are_ignored_with_a_warning() {
        let f = p("[X-Foo]\nA=b\nno equals\n[service]\nUser=x\n[Service]\nUser=y\n");
        assert_eq!(
            kv(&f),
            vec![("Service".into(), "User".into(), "y".into(), 7)]
        );
        assert_eq!(f.diagnostics.len(), 1);
        assert_eq!(f.diagnostics[0].code, "unknown-section");
        assert_eq!(f.diagnostics[0].line(), Some(4));
        assert!(
            f.diagnostics[0]
                .help
                .as_deref()
                .unwrap()
                .contains("[Service]")
        );
    }

    #[test]
    fn empty_file_is_marked() {
        assert!(p("").empty);
        assert!(!p("\n").empty);
    }
}
