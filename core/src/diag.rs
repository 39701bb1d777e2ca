//! One diagnostic type shared by every stage: parsing, loading, assessment.

use std::borrow::Cow;

use serde::Serialize;

/// A byte range in one input text, plus the 1-based line it starts on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Default)]
pub struct Span {
    /// 1-based line number in the pasted text (or in the file named by `Diagnostic::file`).
    pub line: u32,
    /// Byte offset of the first byte (inclusive) in the whole input text.
    pub start: u32,
    /// Byte offset past the last byte (exclusive).
    pub end: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Informational: the user may want to know (e.g. an earlier line a later one overrides).
    Info,
    /// systemd would accept the unit but ignore or reinterpret this line.
    Warning,
    /// systemd would refuse the unit (or the input cannot be read as intended).
    Error,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    pub severity: Severity,
    /// Stable machine-readable code, e.g. `unknown-key`, `invalid-value`, `wrong-section`.
    pub code: &'static str,
    /// One sentence naming the problem.
    pub message: String,
    /// The file within the input this refers to (`None` for a single pasted unit).
    pub file: Option<String>,
    /// Where it is; `None` only for problems of the input as a whole.
    pub span: Option<Span>,
    /// A suggested fix, e.g. "did you mean `ProtectSystem=`?".
    pub help: Option<String>,
}

impl Diagnostic {
    pub fn new(severity: Severity, code: &'static str, message: impl Into<String>) -> Self {
        Diagnostic {
            severity,
            code,
            message: message.into(),
            file: None,
            span: None,
            help: None,
        }
    }
    pub fn at(mut self, file: Option<&str>, span: Span) -> Self {
        self.file = file.map(str::to_owned);
        self.span = Some(span);
        self
    }
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }
    /// 1-based line, if the diagnostic has a location.
    pub fn line(&self) -> Option<u32> {
        self.span.map(|s| s.line)
    }
}

/// Whether [`printable`] escapes `c`.
pub fn unprintable(c: char) -> bool {
    matches!(c, '\0'..='\x1f' | '\x7f'..='\u{9f}')
        || matches!(c, '\u{61c}' | '\u{200e}' | '\u{200f}')
        || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
        || !crate::syntax::utf8_clean(c)
}

/// `s` made safe to print on a terminal or to write into a file people read: control
/// characters (C0 with tab and newline, DEL, C1), the Unicode bidirectional controls and the
/// noncharacters (which stand for invalid UTF-8, see [`crate::syntax::utf8_clean`]) are
/// written as escapes (`\x1b`, `\r`, `\t`, `\u{202e}`), so text taken from an input cannot
/// move the cursor, recolour or hide what follows, or reorder it on screen. Everything else is
/// kept as it is, backslashes included: unit names such as `dev-disk-by\x2duuid.device` hold
/// them, and systemd prints them so. Borrowed when there is nothing to escape.
pub fn printable(s: &str) -> Cow<'_, str> {
    let escaped = unprintable;
    // Printable ASCII, nearly every string, needs no look at each character.
    if crate::scan::printable_ascii(s.as_bytes()) || !s.contains(escaped) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\0'..='\x1f' | '\x7f' => out.push_str(&format!("\\x{:02x}", c as u32)),
            c if escaped(c) => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::printable;

    #[test]
    fn controls_and_bidi_overrides_are_escaped() {
        assert_eq!(
            printable("nginx.service: 1.2 OK \u{1f642}\x1b[8m"),
            "nginx.service: 1.2 OK \u{1f642}\\x1b[8m"
        );
        assert_eq!(printable("a\tb\r\nc\0\x7f"), "a\\tb\\r\\nc\\x00\\x7f");
        // C1 controls (CSI is U+009B) and the bidirectional controls.
        assert_eq!(printable("\u{9b}31m"), "\\u{9b}31m");
        assert_eq!(
            printable("x\u{202e}cod.exe\u{2066}\u{2069}\u{200f}"),
            "x\\u{202e}cod.exe\\u{2066}\\u{2069}\\u{200f}"
        );
        assert_eq!(printable("caf\u{ffff}\u{fdd0}"), "caf\\u{ffff}\\u{fdd0}");
    }

    #[test]
    fn ordinary_text_is_borrowed_unchanged() {
        for s in [
            "",
            "systemd-fsck@dev-disk-by\\x2duuid-1234.service",
            "Service runs as root user \u{2192} 9.6 UNSAFE \u{1f628} \u{e9}\u{a0}\u{2028}",
        ] {
            assert!(matches!(printable(s), std::borrow::Cow::Borrowed(t) if t == s));
        }
    }
}
