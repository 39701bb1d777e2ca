//! Output formats: systemd's table, JSON (SARIF is in `sarif.rs`).

use exposure_core::{Predicate, UnitReport, Version, printable};
use serde_json::{Value, json};

/// Text for a Markdown table cell or inline text (job summaries, `exposure diff`, the fleet
/// report): control characters made visible, `|` escaped (it would end the cell) and backticks
/// replaced (they would open a code span).
pub fn md_cell(s: &str) -> String {
    printable(s).replace('|', "\\|").replace('`', "'")
}

/// How to decorate text output.
#[derive(Debug, Clone, Copy)]
pub struct Style {
    pub color: bool,
    /// Emoji faces (else ASCII faces).
    pub emoji: bool,
    /// ✓ ✗ → (else + - ->).
    pub utf8: bool,
}

/// Display width of a string in terminal columns (emoji count as two).
fn width(s: &str) -> usize {
    if s.is_ascii() {
        return s.len();
    }
    s.chars()
        .map(|c| if (c as u32) >= 0x1F000 { 2 } else { 1 })
        .sum()
}

fn pad(s: &str, w: usize) -> String {
    let fill = w.saturating_sub(width(s));
    let mut out = String::with_capacity(s.len() + fill);
    out.push_str(s);
    out.extend(std::iter::repeat_n(' ', fill));
    out
}

fn rpad(s: &str, w: usize) -> String {
    let mut out: String = std::iter::repeat_n(' ', w.saturating_sub(width(s))).collect();
    out.push_str(s);
    out
}

fn colorize(p: Predicate, s: &str, style: Style) -> String {
    if !style.color {
        return s.to_owned();
    }
    let code = match p.band() {
        "red" => "\x1b[1;31m",
        "yellow" => "\x1b[1;33m",
        "green" => "\x1b[1;32m",
        _ => return s.to_owned(),
    };
    format!("{code}{s}\x1b[0m")
}

pub fn face(p: Predicate, style: Style) -> &'static str {
    if style.emoji { p.emoji() } else { p.ascii() }
}

/// The details table and the overall line, laid out as systemd-analyze prints them when its
/// output is not a terminal (no width limit). Written into one string, the cells borrowed: a
/// check's name is printable as it is (a test holds every version's names so), a description
/// goes through [`printable`], an exposure is written into a buffer of its row.
pub fn table(r: &UnitReport, style: Style) -> String {
    use std::borrow::Cow;
    let (good, bad) = if style.utf8 {
        ("✓", "✗")
    } else {
        ("+", "-")
    };
    struct Cells<'a> {
        mark: &'static str,
        name: &'a str,
        description: Cow<'a, str>,
        /// The exposure's text, right-aligned in the buffer (`exposure_at..`), if any.
        exposure: [u8; 12],
        exposure_at: usize,
    }
    impl Cells<'_> {
        fn exposure(&self) -> &str {
            std::str::from_utf8(&self.exposure[self.exposure_at..]).expect("ASCII digits")
        }
    }
    let header = Cells {
        mark: " ",
        name: "NAME",
        description: "DESCRIPTION".into(),
        exposure: *b"    EXPOSURE",
        exposure_at: 4,
    };
    let cells: Vec<Cells<'_>> = r
        .rows
        .iter()
        .map(|row| {
            let mut exposure = [0u8; 12];
            let exposure_at = match row.exposure {
                Some(e) => 12 - e.text(&mut exposure).len(),
                None => 12,
            };
            debug_assert!(
                matches!(printable(row.name), Cow::Borrowed(_)),
                "{}",
                row.name
            );
            Cells {
                mark: match row.set {
                    Some(true) => good,
                    Some(false) => bad,
                    None => " ",
                },
                name: row.name,
                description: printable(row.description.as_deref().unwrap_or_default()),
                exposure,
                exposure_at,
            }
        })
        .collect();
    let mut w = [0usize; 4];
    for c in cells.iter().chain(std::iter::once(&header)) {
        w[0] = w[0].max(width(c.mark));
        w[1] = w[1].max(width(c.name));
        w[2] = w[2].max(width(&c.description));
        w[3] = w[3].max(c.exposure().len());
    }
    let line_len = w.iter().sum::<usize>() + 8;
    let mut out = String::with_capacity((cells.len() + 3) * line_len + 128);
    for c in std::iter::once(&header).chain(cells.iter()) {
        for (i, s) in [c.mark, c.name, &c.description].into_iter().enumerate() {
            out.push_str(s);
            spaces(&mut out, w[i].saturating_sub(width(s)) + 1);
        }
        let exposure = c.exposure();
        if !exposure.is_empty() {
            spaces(&mut out, w[3].saturating_sub(exposure.len()));
            out.push_str(exposure);
        }
        out.push('\n');
    }
    out.push('\n');
    out.push_str(&overall_line(r, style));
    out.push('\n');
    out
}

/// `n` spaces at the end of `out`.
fn spaces(out: &mut String, n: usize) {
    const SPACES: &str = "                                                                ";
    let mut n = n;
    while n > 0 {
        let k = n.min(SPACES.len());
        out.push_str(&SPACES[..k]);
        n -= k;
    }
}

pub fn overall_line(r: &UnitReport, style: Style) -> String {
    let arrow = if style.utf8 { "→" } else { "->" };
    let verdict = format!("{} {}", r.exposure, r.predicate);
    format!(
        "{arrow} Overall exposure level for {}: {} {}",
        printable(&r.unit),
        colorize(r.predicate, &verdict, style),
        face(r.predicate, style)
    )
}

/// The overview systemd-analyze prints for several units: UNIT, EXPOSURE, PREDICATE, HAPPY.
pub fn summary(reports: &[&UnitReport], style: Style) -> String {
    let header = [
        "UNIT".to_owned(),
        "EXPOSURE".into(),
        "PREDICATE".into(),
        "HAPPY".into(),
    ];
    let rows: Vec<[String; 4]> = reports
        .iter()
        .map(|r| {
            [
                printable(&r.unit).into_owned(),
                r.exposure.to_string(),
                r.predicate.to_string(),
                face(r.predicate, style).to_owned(),
            ]
        })
        .collect();
    let mut w = [0usize; 4];
    for c in rows.iter().chain(std::iter::once(&header)) {
        for (i, s) in c.iter().enumerate() {
            w[i] = w[i].max(width(s));
        }
    }
    let mut out = String::new();
    for (n, c) in std::iter::once(&header).chain(rows.iter()).enumerate() {
        let pred = if n == 0 {
            pad(&c[2], w[2])
        } else {
            let p = reports[n - 1].predicate;
            let padded = pad(&c[2], w[2]);
            colorize(p, &padded, style)
        };
        out.push_str(&format!(
            "{} {} {} {}\n",
            pad(&c[0], w[0]),
            rpad(&c[1], w[1]),
            pred,
            c[3]
        ));
    }
    out
}

/// `v` as pretty JSON that is safe on a terminal: serde_json escapes the C0 controls, and
/// this also writes DEL, the C1 controls, the bidirectional controls and the noncharacters as
/// `\uXXXX` (a surrogate pair above U+FFFF), so the value a JSON reader gets is unchanged.
/// Serialized straight from `v`'s own types, with no tree of values in between.
pub fn json_text<T: serde::Serialize + ?Sized>(v: &T) -> String {
    json_text_at(v, 0)
}

/// [`json_text`] for a value that stands `depth` levels deep in a larger document: its lines
/// after the first are indented for that depth (the first is where the caller puts it).
pub fn json_text_at<T: serde::Serialize + ?Sized>(v: &T, depth: usize) -> String {
    let mut out = Vec::with_capacity(4096);
    json_bytes_into(&mut out, v, depth);
    String::from_utf8(out).expect("serde_json writes UTF-8")
}

/// [`json_text_at`] appended to `out` as bytes (UTF-8), for text written out as it is.
pub fn json_bytes_into<T: serde::Serialize + ?Sized>(out: &mut Vec<u8>, v: &T, depth: usize) {
    let mut ser = serde_json::Serializer::with_formatter(
        out,
        Printable {
            depth,
            has_value: false,
        },
    );
    v.serialize(&mut ser).expect("serializable");
}

/// A line break and the indentation of `depth` in [`json_text`]'s layout (two spaces a level).
pub fn line_indent<W: ?Sized + std::io::Write>(w: &mut W, depth: usize) -> std::io::Result<()> {
    const SPACES: &[u8] = b"\n                                                                ";
    let mut n = depth * 2;
    w.write_all(&SPACES[..1 + n.min(SPACES.len() - 1)])?;
    n = n.saturating_sub(SPACES.len() - 1);
    while n > 0 {
        let k = n.min(SPACES.len() - 1);
        w.write_all(&SPACES[1..=k])?;
        n -= k;
    }
    Ok(())
}

/// serde_json's pretty layout (two spaces a level), with the characters
/// [`exposure_core::diag::unprintable`] names escaped inside strings.
struct Printable {
    depth: usize,
    has_value: bool,
}

impl Printable {
    fn indent<W: ?Sized + std::io::Write>(&self, w: &mut W) -> std::io::Result<()> {
        line_indent(w, self.depth)
    }
    fn open<W: ?Sized + std::io::Write>(&mut self, w: &mut W, c: &[u8]) -> std::io::Result<()> {
        self.depth += 1;
        self.has_value = false;
        w.write_all(c)
    }
    fn close<W: ?Sized + std::io::Write>(&mut self, w: &mut W, c: &[u8]) -> std::io::Result<()> {
        self.depth -= 1;
        if self.has_value {
            self.indent(w)?;
        }
        w.write_all(c)
    }
    fn item<W: ?Sized + std::io::Write>(&mut self, w: &mut W, first: bool) -> std::io::Result<()> {
        if !first {
            w.write_all(b",")?;
        }
        self.indent(w)
    }
}

impl serde_json::ser::Formatter for Printable {
    fn write_string_fragment<W: ?Sized + std::io::Write>(
        &mut self,
        w: &mut W,
        fragment: &str,
    ) -> std::io::Result<()> {
        // serde_json has escaped the C0 controls already: printable ASCII needs no more.
        // (A word at a time and memchr, not a byte at a time.)
        if fragment.is_ascii() && !fragment.as_bytes().contains(&0x7f) {
            return w.write_all(fragment.as_bytes());
        }
        let mut rest = fragment;
        while let Some(i) = rest.find(exposure_core::diag::unprintable) {
            w.write_all(&rest.as_bytes()[..i])?;
            let c = rest[i..].chars().next().expect("a character at i");
            let mut units = [0u16; 2];
            for u in c.encode_utf16(&mut units) {
                write!(w, "\\u{u:04x}")?;
            }
            rest = &rest[i + c.len_utf8()..];
        }
        w.write_all(rest.as_bytes())
    }
    fn begin_array<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.open(w, b"[")
    }
    fn end_array<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.close(w, b"]")
    }
    fn begin_array_value<W: ?Sized + std::io::Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> std::io::Result<()> {
        self.item(w, first)
    }
    fn end_array_value<W: ?Sized + std::io::Write>(&mut self, _: &mut W) -> std::io::Result<()> {
        self.has_value = true;
        Ok(())
    }
    fn begin_object<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.open(w, b"{")
    }
    fn end_object<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.close(w, b"}")
    }
    fn begin_object_key<W: ?Sized + std::io::Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> std::io::Result<()> {
        self.item(w, first)
    }
    fn begin_object_value<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        w.write_all(b": ")
    }
    fn end_object_value<W: ?Sized + std::io::Write>(&mut self, _: &mut W) -> std::io::Result<()> {
        self.has_value = true;
        Ok(())
    }
}

/// One unit's score under every profile: its name as the first profile that read it assessed
/// it, then per version the score or why there is none.
pub struct Across {
    pub unit: String,
    pub scores: Vec<(Version, Result<UnitReport, String>)>,
}

/// `--systemd-version all` as a table: one line per unit, one column per version, each cell
/// the exposure (`-` when that version refuses the unit, `n/a` when it cannot read it), then a
/// line saying which versions are verified.
pub fn across_table(units: &[Across]) -> String {
    let versions: Vec<Version> = Version::all().collect();
    let mut header = vec!["UNIT".to_owned()];
    header.extend(versions.iter().map(|v| v.as_str().to_owned()));
    let mut rows = vec![header];
    for u in units {
        let mut row = vec![printable(&u.unit).into_owned()];
        for v in &versions {
            let cell = match u.scores.iter().find(|(w, _)| w == v).map(|(_, r)| r) {
                Some(Ok(r)) if r.refused.is_none() => r.exposure.to_string(),
                Some(Ok(_)) => "-".to_owned(),
                Some(Err(_)) | None => "n/a".to_owned(),
            };
            row.push(cell);
        }
        rows.push(row);
    }
    let mut w = vec![0usize; rows[0].len()];
    for r in &rows {
        for (i, c) in r.iter().enumerate() {
            w[i] = w[i].max(width(c));
        }
    }
    let mut out = String::new();
    for r in &rows {
        let cells: Vec<String> = r
            .iter()
            .enumerate()
            .map(|(i, c)| if i == 0 { pad(c, w[i]) } else { rpad(c, w[i]) })
            .collect();
        out.push_str(cells.join("  ").trim_end());
        out.push('\n');
    }
    let verified: Vec<&str> = versions
        .iter()
        .filter(|v| v.profile().evidence == exposure_core::version::Evidence::Verified)
        .map(|v| v.as_str())
        .collect();
    out.push_str(&format!(
        "\n{} are verified against real binaries; the others are derived from systemd's source. \
         n/a: that version cannot read the input (249 has no offline mode); -: it refuses the unit.\n",
        verified.join(", ")
    ));
    out
}

/// `--systemd-version all --format json`: per unit, the score under every version.
pub fn across_json(units: &[Across]) -> Value {
    Value::Array(
        units
            .iter()
            .map(|u| {
                let scores: Vec<Value> = u
                    .scores
                    .iter()
                    .map(|(v, r)| match r {
                        Ok(r) => json!({
                            "systemd_version": v.as_str(),
                            "systemd_version_evidence": v.profile().evidence,
                            "unit": r.unit,
                            "exposure": if r.refused.is_some() { Value::Null } else { json!(r.exposure.as_f64()) },
                            "predicate": if r.refused.is_some() { Value::Null } else { json!(r.predicate.as_str()) },
                            "refused": r.refused,
                        }),
                        Err(why) => json!({
                            "systemd_version": v.as_str(),
                            "systemd_version_evidence": v.profile().evidence,
                            "exposure": Value::Null,
                            "predicate": Value::Null,
                            "error": why,
                        }),
                    })
                    .collect();
                json!({ "unit": u.unit, "scores": scores })
            })
            .collect(),
    )
}

/// The advisor's steps ([`exposure_core::advise::steps`]) as text: a heading per kind, each
/// step's purpose, then its command indented.
pub fn steps_text(steps: &[exposure_core::advise::Step]) -> String {
    let mut out = String::new();
    let mut last = None;
    for s in steps {
        if last != Some(s.kind) {
            out.push_str(&format!("\n{}:\n", s.kind.as_str()));
            last = Some(s.kind);
        }
        out.push_str(&format!("  {}:\n      {}\n", s.what, s.command));
    }
    out.trim_end().to_owned()
}

#[cfg(test)]
mod tests {
    use super::{json_text, json_text_at};

    /// `table` writes check names as they are, without `printable`.
    #[test]
    fn every_versions_check_names_are_printable() {
        for version in exposure_core::Version::all() {
            for c in &exposure_core::checks::REGISTRY {
                let name = version.row_name(c);
                assert_eq!(exposure_core::printable(name), name);
            }
        }
    }

    #[test]
    fn json_layout_is_serde_json_pretty() {
        // Deeper than one run of the formatter's spaces (32 levels).
        let deep = (0..40).fold(serde_json::json!("deep"), |v, _| serde_json::json!([v]));
        let v = serde_json::json!({
            "a": [], "b": {}, "c": [1, [2, {"d": null}], {}], "e": {"f": [true], "g": "x"},
            "deep": deep,
        });
        assert_eq!(json_text(&v), serde_json::to_string_pretty(&v).unwrap());
        // Two levels down: the lines after the first indented by four more spaces.
        let inner = serde_json::to_string_pretty(&v)
            .unwrap()
            .replace('\n', "\n    ");
        assert_eq!(json_text_at(&v, 2), inner);
        assert_eq!(json_text(&1), "1");
    }

    #[test]
    fn json_escapes_what_serde_leaves_raw_and_keeps_the_value() {
        let v = serde_json::json!({ "unit": "a\x1b\u{7f}\u{9b}b\u{202e}c\u{2069}.service é" });
        let text = json_text(&v);
        assert_eq!(
            text,
            "{\n  \"unit\": \"a\\u001b\\u007f\\u009bb\\u202ec\\u2069.service é\"\n}"
        );
        assert_eq!(serde_json::from_str::<serde_json::Value>(&text).unwrap(), v);
        // Above U+FFFF, a surrogate pair: still JSON, still the same value.
        let v = serde_json::json!({ "unit": "x\u{1fffe}y" });
        let text = json_text(&v);
        assert!(text.contains("x\\ud83f\\udffey"), "{text}");
        assert_eq!(serde_json::from_str::<serde_json::Value>(&text).unwrap(), v);
    }
}
