//! `systemctl show` text, read line by line: `Name=value` properties, grouped into units.
//!
//! `systemctl show A B` prints one block of properties per unit, separated by an empty line,
//! with or without `--all` (which adds the empty values) or `-p NAME` (which selects some). The
//! parser keeps every property with its line and byte span in the whole input so that later
//! stages can point at it. It never fails: a line that is not `Name=value` becomes a
//! diagnostic naming the line, and parsing goes on.
//!
//! When two units were pasted without the empty line between them, a property that a unit
//! prints only once appearing again after the unit's `Id=` line starts a new unit.

use crate::diag::{Diagnostic, Severity, Span};
use crate::input::is_property_name;
use crate::scan::FastMap;

/// One `Name=value` line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Property<'a> {
    pub name: &'a str,
    pub value: &'a str,
    /// The whole line, without its line break and surrounding white space.
    pub span: Span,
}

impl Property<'_> {
    /// The line as printed, e.g. `PrivateTmp=yes`.
    pub fn text(&self) -> String {
        let mut s = String::with_capacity(self.name.len() + 1 + self.value.len());
        s.push_str(self.name);
        s.push('=');
        s.push_str(self.value);
        s
    }
}

/// The properties of one unit, in printed order.
#[derive(Debug, Clone, Default)]
pub struct ShowUnit<'a> {
    pub properties: Vec<Property<'a>>,
    /// Lines of this unit's block that could not be read.
    pub diagnostics: Vec<Diagnostic>,
    /// The positions of each name's first and last lines in `properties`, valid while
    /// `indexed` is the number of properties (see [`ShowUnit::index`]): `get` without a scan.
    /// [`parse`] fills it as it reads.
    last: FastMap<&'a str, [u32; 2]>,
    indexed: usize,
}

/// Units are equal when their lines and diagnostics are (the index is a cache).
impl PartialEq for ShowUnit<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.properties == other.properties && self.diagnostics == other.diagnostics
    }
}

impl Eq for ShowUnit<'_> {}

impl<'a> ShowUnit<'a> {
    /// A unit of these properties, indexed for [`ShowUnit::get`].
    pub fn new(properties: Vec<Property<'a>>, diagnostics: Vec<Diagnostic>) -> Self {
        let mut u = ShowUnit {
            properties,
            diagnostics,
            ..ShowUnit::default()
        };
        u.index();
        u
    }

    /// Indexes the properties by name (the last line of each) for [`ShowUnit::get`]; a unit
    /// whose properties changed since is searched line by line.
    pub fn index(&mut self) {
        self.last.clear();
        self.last.reserve(self.properties.len());
        for (i, p) in self.properties.iter().enumerate() {
            Self::mark(&mut self.last, p.name, i);
        }
        self.indexed = self.properties.len();
    }

    /// Records in `index` that the property at position `at` prints `name`: its first line
    /// stays, its last becomes `at`.
    fn mark(index: &mut FastMap<&'a str, [u32; 2]>, name: &'a str, at: usize) {
        index
            .entry(name)
            .and_modify(|first_last| first_last[1] = at as u32)
            .or_insert([at as u32; 2]);
    }

    /// The last line printing `name` (`systemctl show` prints most properties once).
    pub fn get(&self, name: &str) -> Option<&Property<'a>> {
        if self.indexed == self.properties.len() && self.indexed > 0 {
            return self
                .last
                .get(name)
                .map(|at| &self.properties[at[1] as usize]);
        }
        self.properties.iter().rev().find(|p| p.name == name)
    }

    /// Every line printing `name`, in printed order (e.g. the `DeviceAllow=` entries).
    pub fn all<'s>(&'s self, name: &'s str) -> impl Iterator<Item = &'s Property<'a>> + 's {
        self.properties.iter().filter(move |p| p.name == name)
    }

    /// The unit's name from its `Id=` line.
    pub fn id(&self) -> Option<&'a str> {
        self.get("Id").map(|p| p.value).filter(|v| !v.is_empty())
    }
}

/// A parsed paste.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Show<'a> {
    pub units: Vec<ShowUnit<'a>>,
    /// Problems outside any unit (e.g. a block with no property at all).
    pub diagnostics: Vec<Diagnostic>,
}

/// Properties that `systemctl show` prints once per entry, so a repeat does not start a new unit.
fn repeatable(name: &str) -> bool {
    matches!(
        name,
        "DeviceAllow"
            | "EnvironmentFiles"
            | "IODeviceWeight"
            | "IODeviceLatencyTargetUSec"
            | "IOReadBandwidthMax"
            | "IOWriteBandwidthMax"
            | "IOReadIOPSMax"
            | "IOWriteIOPSMax"
            | "BlockIODeviceWeight"
            | "BlockIOReadBandwidth"
            | "BlockIOWriteBandwidth"
            | "Paths"
            | "TimersMonotonic"
            | "TimersCalendar"
            | "Listen"
    ) || name.starts_with("Exec") && !name.starts_with("ExecMain")
}

/// Splits `systemctl show` output into units and properties.
pub fn parse(text: &str) -> Show<'_> {
    let mut out = Show::default();
    let mut cur = ShowUnit::default();
    let mut has_id = false;
    let mut offset = 0usize;
    let mut first = true;
    for (i, raw) in crate::scan::lines_inclusive(text).enumerate() {
        let line_no = i as u32 + 1;
        let line_start = offset;
        offset += raw.len();
        let ends = raw
            .bytes()
            .rev()
            .take_while(|&b| b == b'\n' || b == b'\r')
            .count();
        let mut body = &raw[..raw.len() - ends];
        let mut start = line_start;
        if first {
            first = false;
            if let Some(rest) = body.strip_prefix('\u{feff}') {
                start += body.len() - rest.len();
                body = rest;
            }
        }
        let trimmed_start = trim_start(body);
        start += body.len() - trimmed_start.len();
        let t = trim_end(trimmed_start);
        let span = Span {
            line: line_no,
            start: start as u32,
            end: (start + t.len()) as u32,
        };
        if t.is_empty() {
            close(&mut out, std::mem::take(&mut cur));
            has_id = false;
            continue;
        }
        if cur.properties.is_empty() {
            // A unit prints as many properties as the one before it, most likely: room for
            // them at once, not a rehash at every doubling.
            cur.last
                .reserve(out.units.last().map_or(64, |u| u.properties.len()));
        }
        // (A word-at-a-time byte search: a char pattern costs more to set up.)
        let eq = crate::scan::find_byte(t.as_bytes(), b'=');
        let Some((name, value)) = eq
            .map(|i| (&t[..i], &t[i + 1..]))
            .filter(|(n, _)| is_property_name(n))
        else {
            cur.diagnostics.push(
                Diagnostic::new(
                    Severity::Warning,
                    "not-a-property",
                    format!(
                        "Line {line_no} is not a Name=value property line of systemctl show output and is ignored"
                    ),
                )
                .at(None, span),
            );
            continue;
        };
        let again = cur
            .last
            .get(name)
            .map(|at| at[0] as usize)
            .filter(|_| !repeatable(name));
        if has_id && again.is_some() {
            // Two units pasted without the empty line between them.
            let mut next = ShowUnit::default();
            next.diagnostics.push(
                Diagnostic::new(
                    Severity::Info,
                    "unit-boundary",
                    format!(
                        "{name}= appears a second time after Id=: a new unit is assumed to start on line {line_no} (systemctl show separates units with an empty line)"
                    ),
                )
                .at(None, span),
            );
            close(&mut out, std::mem::replace(&mut cur, next));
            has_id = false;
        } else if let Some(prev) = again.map(|i| &cur.properties[i]) {
            let d = Diagnostic::new(
                Severity::Warning,
                "duplicate-property",
                format!(
                    "{name}= is printed again on line {line_no}; the later line is used (systemctl show prints it once per unit)"
                ),
            )
            .at(None, prev.span);
            cur.diagnostics.push(d);
        }
        if name == "Id" {
            has_id = true;
        }
        ShowUnit::mark(&mut cur.last, name, cur.properties.len());
        cur.properties.push(Property {
            name,
            value: trim_end(trim_start(value)),
            span,
        });
    }
    close(&mut out, cur);
    out
}

/// Ends a block: a unit if it has properties, otherwise its diagnostics belong to the paste.
fn close<'a>(out: &mut Show<'a>, mut unit: ShowUnit<'a>) {
    if unit.properties.is_empty() {
        out.diagnostics.extend(unit.diagnostics);
    } else {
        // [`parse`] indexed the lines as it read them.
        unit.indexed = unit.properties.len();
        out.units.push(unit);
    }
}

/// The ASCII characters `char::is_whitespace` takes: tab to carriage return, and space.
fn ascii_space(b: u8) -> bool {
    matches!(b, b'\t'..=b'\r' | b' ')
}

/// `s.trim_start()`, ASCII whitespace taken off a byte at a time (the rest as `str` does).
fn trim_start(s: &str) -> &str {
    let n = s.bytes().take_while(|&b| ascii_space(b)).count();
    let rest = &s[n..];
    if rest.as_bytes().first().is_some_and(|&b| b >= 0x80) {
        rest.trim_start()
    } else {
        rest
    }
}

/// `s.trim_end()`, as [`trim_start`].
fn trim_end(s: &str) -> &str {
    let n = s.bytes().rev().take_while(|&b| ascii_space(b)).count();
    let rest = &s[..s.len() - n];
    if rest.as_bytes().last().is_some_and(|&b| b >= 0x80) {
        rest.trim_end()
    } else {
        rest
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trims_as_str_trims() {
        for s in [
            "",
            " ",
            "a",
            " a ",
            "\t a\x0b\x0c\r\n",
            "\u{a0}a\u{2003}",
            " \u{3000} a \u{85}",
            "caf\u{e9}",
            "\u{e9} ",
            "\x1f a \x1f",
        ] {
            assert_eq!(trim_start(s), s.trim_start(), "{s:?}");
            assert_eq!(trim_end(s), s.trim_end(), "{s:?}");
        }
    }

    #[test]
    fn reads_properties_with_spans() {
        let text = "Type=simple\r\nUser=www-data\nId=a.service\n";
        let s = parse(text);
        assert_eq!(s.units.len(), 1);
        let u = &s.units[0];
        assert_eq!(u.properties.len(), 3);
        let user = u.get("User").unwrap();
        assert_eq!(user.value, "www-data");
        assert_eq!(user.span.line, 2);
        assert_eq!(
            &text[user.span.start as usize..user.span.end as usize],
            "User=www-data"
        );
        assert_eq!(u.id(), Some("a.service"));
        assert!(u.diagnostics.is_empty() && s.diagnostics.is_empty());
    }

    #[test]
    fn get_finds_the_last_line_indexed_or_not() {
        let text = "User=a\nDeviceAllow=/dev/null rw\nDeviceAllow=/dev/zero r\nId=a.service\n";
        let mut u = parse(text).units.remove(0);
        assert_eq!(u.get("DeviceAllow").unwrap().value, "/dev/zero r");
        assert_eq!(u.get("User").unwrap().span.line, 1);
        assert!(u.get("Group").is_none());
        // Lines added after the index are found too, and win as the last ones.
        let late = Property {
            name: "User",
            value: "b",
            span: Span::default(),
        };
        u.properties.push(late.clone());
        assert_eq!(u.get("User").unwrap().value, "b");
        u.index();
        assert_eq!(u.get("User").unwrap().value, "b");
        let built = ShowUnit::new(u.properties.clone(), Vec::new());
        assert_eq!(built, u);
        assert_eq!(built.get("Id").unwrap().value, "a.service");
    }

    #[test]
    fn splits_units_at_empty_lines() {
        let s = parse("User=a\nId=a.service\n\nUser=b\nId=b.service\n\n\n");
        let ids: Vec<_> = s.units.iter().map(|u| u.id().unwrap()).collect();
        assert_eq!(ids, ["a.service", "b.service"]);
        assert_eq!(s.units[1].get("User").unwrap().span.line, 4);
    }

    #[test]
    fn splits_units_pasted_without_an_empty_line() {
        let s = parse(
            "Type=simple\nDeviceAllow=/dev/null rw\nDeviceAllow=char-rtc r\nId=a.service\nLoadState=loaded\nType=notify\nId=b.service\n",
        );
        assert_eq!(s.units.len(), 2);
        assert_eq!(s.units[0].all("DeviceAllow").count(), 2);
        assert_eq!(s.units[1].id(), Some("b.service"));
        assert_eq!(s.units[1].get("Type").unwrap().value, "notify");
        assert_eq!(s.units[1].diagnostics[0].code, "unit-boundary");
    }

    #[test]
    fn keeps_repeated_entries_and_empty_values() {
        let s = parse(
            "DeviceAllow=char-rtc r\nDeviceAllow=/dev/sda r\nRestrictAddressFamilies=\nSystemCallFilter=~\nId=x.service\n",
        );
        let u = &s.units[0];
        let d: Vec<_> = u.all("DeviceAllow").map(|p| p.value).collect();
        assert_eq!(d, ["char-rtc r", "/dev/sda r"]);
        assert_eq!(u.get("RestrictAddressFamilies").unwrap().value, "");
        assert_eq!(u.get("SystemCallFilter").unwrap().value, "~");
    }

    #[test]
    fn garbled_lines_become_diagnostics() {
        let text =
            "$ systemctl show foo\nUser=x\nthis is junk\n=oops\nId=foo.service\n\nstray words\n";
        let s = parse(text);
        assert_eq!(s.units.len(), 1);
        let lines: Vec<_> = s.units[0]
            .diagnostics
            .iter()
            .map(|d| d.line().unwrap())
            .collect();
        assert_eq!(lines, [1, 3, 4]);
        // A block without any property is no unit; its problems belong to the paste.
        assert_eq!(s.diagnostics.len(), 1);
        assert_eq!(s.diagnostics[0].line(), Some(7));
    }

    #[test]
    fn a_repeated_single_property_before_id_is_reported() {
        let s = parse("User=a\nUser=b\nId=x.service\n");
        assert_eq!(s.units.len(), 1);
        assert_eq!(s.units[0].get("User").unwrap().value, "b");
        assert_eq!(s.units[0].diagnostics[0].code, "duplicate-property");
        assert_eq!(s.units[0].diagnostics[0].line(), Some(1));
    }
}
