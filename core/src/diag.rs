//! One diagnostic type shared by every stage: parsing, loading, assessment.

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
    /// Informational: the user may want to know (e.g. an implied setting).
    Info,
    /// systemd would accept the unit but ignore or reinterpret this line.
    Warning,
    /// systemd would refuse the unit (or the input cannot be read as intended).
    Error,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    pub severity: Severity,
    /// Stable machine-readable code, e.g. `unknown-key`, `invalid-value`, `ignored-setting`.
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
