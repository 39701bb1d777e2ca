//! The boundary types that the web page and the CLI consume: plain data, public fields,
//! serde-serializable. A row serializes exactly like one element of systemd's
//! `systemd-analyze security --json=short` array.

use std::borrow::Cow;

use serde::{Serialize, Serializer};

use crate::diag::Diagnostic;

/// An exposure in tenths: 0..=100, printed as `9.6`, `10.0`, `0.2`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Tenths(pub u32);

impl std::fmt::Display for Tenths {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.pad(self.text(&mut [0; 12]))
    }
}

impl Tenths {
    /// The value as printed (`9.6`), written into `buf` without the formatting machinery
    /// (reports print thousands of these).
    pub fn text(self, buf: &mut [u8; 12]) -> &str {
        let mut at = buf.len() - 2;
        buf[at] = b'.';
        buf[at + 1] = b'0' + (self.0 % 10) as u8;
        let mut whole = self.0 / 10;
        loop {
            at -= 1;
            buf[at] = b'0' + (whole % 10) as u8;
            whole /= 10;
            if whole == 0 {
                break;
            }
        }
        std::str::from_utf8(&buf[at..]).expect("ASCII digits")
    }

    /// The value as a JSON number with one decimal (e.g. 9.6).
    pub fn as_f64(self) -> f64 {
        f64::from(self.0) / 10.0
    }
}

/// Serializes as the string systemd prints (`"0.2"`), which is the `--json=short` form.
impl Serialize for Tenths {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.text(&mut [0; 12]))
    }
}

/// systemd's verdict for an overall exposure, with its thresholds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum Predicate {
    Perfect,
    Safe,
    Ok,
    Medium,
    Exposed,
    Unsafe,
    Dangerous,
}

impl Predicate {
    /// The first row of systemd's table whose minimum the exposure reaches.
    pub fn of(e: Tenths) -> Predicate {
        match e.0 {
            100.. => Predicate::Dangerous,
            90..=99 => Predicate::Unsafe,
            75..=89 => Predicate::Exposed,
            50..=74 => Predicate::Medium,
            10..=49 => Predicate::Ok,
            1..=9 => Predicate::Safe,
            0 => Predicate::Perfect,
        }
    }
    pub fn as_str(self) -> &'static str {
        match self {
            Predicate::Perfect => "PERFECT",
            Predicate::Safe => "SAFE",
            Predicate::Ok => "OK",
            Predicate::Medium => "MEDIUM",
            Predicate::Exposed => "EXPOSED",
            Predicate::Unsafe => "UNSAFE",
            Predicate::Dangerous => "DANGEROUS",
        }
    }
    /// The emoji systemd prints on a UTF-8 terminal.
    pub fn emoji(self) -> &'static str {
        match self {
            Predicate::Perfect => "\u{1F607}",
            Predicate::Safe => "\u{1F600}",
            Predicate::Ok => "\u{1F642}",
            Predicate::Medium => "\u{1F610}",
            Predicate::Exposed => "\u{1F641}",
            Predicate::Unsafe => "\u{1F628}",
            Predicate::Dangerous => "\u{1F922}",
        }
    }
    /// The ASCII face systemd prints when emoji are off.
    pub fn ascii(self) -> &'static str {
        match self {
            Predicate::Perfect => ":-]",
            Predicate::Safe => ":-}",
            Predicate::Ok => ":-)",
            Predicate::Medium => ":-|",
            Predicate::Exposed => ":-(",
            Predicate::Unsafe => ":-{",
            Predicate::Dangerous => ":-[",
        }
    }
    /// Colour band systemd uses on a terminal: `red`, `yellow`, `green` or `none`.
    pub fn band(self) -> &'static str {
        match self {
            Predicate::Dangerous | Predicate::Unsafe => "red",
            Predicate::Exposed => "yellow",
            Predicate::Medium => "none",
            Predicate::Ok | Predicate::Safe | Predicate::Perfect => "green",
        }
    }
}

impl std::fmt::Display for Predicate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One assessed check, in the shape of systemd's `--json=short` element
/// (`set`, `name`, `json_field`, `description`, `exposure`), plus the numbers behind it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Row {
    /// `true` passed, `false` failed (fully or partly), `None` not applicable.
    pub set: Option<bool>,
    /// The check's id as systemd prints it, e.g. `PrivateNetwork=`.
    pub name: &'static str,
    /// The policy key, e.g. `PrivateNetwork`.
    pub json_field: &'static str,
    /// The text systemd prints for this outcome (`None` where systemd prints none).
    pub description: Option<Cow<'static, str>>,
    /// This row's contribution as systemd prints it; `None` when it contributes nothing.
    pub exposure: Option<Tenths>,
    #[serde(skip)]
    pub detail: RowDetail,
}

/// The numbers and teaching hooks behind a row; not part of the systemd JSON shape.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RowDetail {
    /// Index of the check in the registry (`crate::checks::REGISTRY`).
    pub check: usize,
    /// Badness in `0..=range`; `None` when not applicable.
    pub badness: Option<u32>,
    pub weight: u32,
    pub range: u32,
    /// Our own one-line explanation of this outcome.
    pub summary: &'static str,
}

/// The assessment of one unit.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct UnitReport {
    /// The unit's name, e.g. `nginx.service` (an instance name for a template).
    pub unit: String,
    /// Overall exposure in tenths, as systemd's summary line.
    pub exposure: Tenths,
    pub predicate: Predicate,
    /// Rows in the order systemd prints them.
    pub rows: Vec<Row>,
    /// Set when systemd would refuse to load or assess this unit (the score is then what it
    /// would be if it loaded, and the CLI refuses like systemd does).
    pub refused: Option<String>,
    pub diagnostics: Vec<Diagnostic>,
    /// The lines that set or implied each setting, by directive name: what
    /// [`UnitReport::provenance`] reads (a row's lines are looked up when they are shown, not
    /// copied into every row).
    #[serde(skip)]
    pub origins: crate::model::Origins,
}

impl UnitReport {
    /// The lines of the input that set or implied the values `row`'s check read.
    pub fn provenance<'r>(&'r self, row: &Row) -> impl Iterator<Item = &'r crate::model::Origin> {
        crate::checks::reads_at(row.detail.check)
            .iter()
            .filter_map(|s| self.origins.get(s))
            .flatten()
    }
}
