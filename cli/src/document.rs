//! `--format json`: one versioned document, `docs/exposure-report.schema.json` describes it.
//! Serialized straight from the reports (no tree of JSON values in between).

use exposure_core::document::UnitJson;
use exposure_core::{Tenths, Version};
use serde::Serialize;
use serde_json::Value;

use crate::Assessed;
use crate::outcome::Outcome;

pub use exposure_core::document::SCHEMA_VERSION;

#[derive(Serialize)]
pub struct Document<'a> {
    schema_version: u32,
    tool: Tool,
    systemd_version: &'static str,
    units: Units<'a>,
    summary: Summary<'a>,
    #[serde(skip_serializing_if = "Option::is_none")]
    baseline: Option<Value>,
}

#[derive(Serialize)]
struct Tool {
    name: &'static str,
    version: &'static str,
}

struct Units<'a>(&'a [Assessed], Version);

impl Serialize for Units<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.0.iter().map(|a| unit_doc(a, self.1)))
    }
}

fn unit_doc(a: &Assessed, version: Version) -> UnitDoc<'_> {
    UnitDoc {
        base: UnitJson::new(&a.report, version),
        file: &a.path,
        exposure_accepted: a.accepted_exposure.map(Tenths::as_f64),
        accepted: a.accepted.iter().map(AcceptedDoc::from).collect(),
    }
}

/// Writes the document's pretty text, exactly `render::json_text(&document(..))` and a line
/// end, to `w`: the units (nearly all of the text) are serialized on all cores a few dozen at
/// a time and written in input order as they come, so that memory holds a few dozen units'
/// text, reused from one batch to the next, never the whole document.
pub fn write(
    w: &mut impl std::io::Write,
    assessed: &[Assessed],
    outcome: &Outcome,
    version: Version,
) -> std::io::Result<()> {
    /// Units serialized together: enough for every core, few enough to stay in cache.
    const BATCH: usize = 64;
    let mut doc = document(assessed, outcome, version);
    doc.units = Units(&[], version);
    let frame = crate::render::json_text(&doc);
    // The first such line is the document's own: field names are fixed and strings escaped.
    let empty = "\n  \"units\": [],\n";
    let at = frame.find(empty).expect("the document has a units field");
    write!(w, "{}\n  \"units\": [", &frame[..at])?;
    // The buffers of one batch serve the next (fresh memory costs a page fault a page).
    let pool = std::sync::Mutex::new(Vec::<Vec<u8>>::new());
    for (n, batch) in assessed.chunks(BATCH).enumerate() {
        // A unit is an element of the array of the document's units field: two levels deep.
        let units = crate::par::map(batch, |a| {
            let reused = pool.lock().ok().and_then(|mut p| p.pop());
            // A unit's report is about 20 KB: start large enough that it rarely grows.
            let mut u = reused.unwrap_or_else(|| Vec::with_capacity(32 << 10));
            let first = n == 0 && std::ptr::eq(a, &batch[0]);
            u.extend_from_slice(if first { b"\n    " } else { b",\n    " });
            unit_bytes(&mut u, &unit_doc(a, version));
            u
        });
        // The batch in one system call (or as few as the output takes).
        let mut slices: Vec<std::io::IoSlice<'_>> =
            units.iter().map(|u| std::io::IoSlice::new(u)).collect();
        let mut rest = &mut slices[..];
        while !rest.is_empty() {
            match w.write_vectored(rest) {
                Ok(0) => return Err(std::io::ErrorKind::WriteZero.into()),
                Ok(n) => std::io::IoSlice::advance_slices(&mut rest, n),
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(e) => return Err(e),
            }
        }
        for mut u in units {
            u.clear();
            if let Ok(mut p) = pool.lock() {
                p.push(u);
            }
        }
    }
    let tail = &frame[at + empty.len()..];
    let close = if assessed.is_empty() { "" } else { "\n  " };
    write!(w, "{close}],\n{tail}\n")
}

/// `json_bytes_into(out, unit, 2)`, written by hand where the bytes are (the rows, a few
/// thousand strings a second that are nearly always plain ASCII): serde's generic path escapes
/// each string a byte at a time. Everything else goes through serde at its depth, and the
/// test below holds the two equal.
fn unit_bytes(out: &mut Vec<u8>, u: &UnitDoc<'_>) {
    use crate::render::json_bytes_into;
    const DEPTH: usize = 2;
    let b = &u.base;
    let mut obj = Object::open(out, DEPTH);
    obj.key(out, b"\"unit\": ");
    string(out, b.unit);
    obj.key(out, b"\"systemd_version\": ");
    string(out, b.systemd_version);
    obj.key(out, b"\"systemd_version_evidence\": ");
    json_bytes_into(out, &b.systemd_version_evidence, DEPTH + 1);
    obj.key(out, b"\"exposure\": ");
    json_bytes_into(out, &b.exposure, DEPTH + 1);
    obj.key(out, b"\"predicate\": ");
    json_bytes_into(out, &b.predicate, DEPTH + 1);
    obj.key(out, b"\"refused\": ");
    json_bytes_into(out, &b.refused, DEPTH + 1);
    obj.key(out, b"\"checks\": ");
    if b.checks.is_empty() {
        out.extend_from_slice(b"[]");
    } else {
        out.push(b'[');
        for (i, row) in b.checks.iter().enumerate() {
            // A row is an object at depth 4, its fields at depth 5: each key is written with
            // the comma, line break and indentation before it, in one copy.
            out.extend_from_slice(if i > 0 {
                b",\n        {\n          \"set\": "
            } else {
                b"\n        {\n          \"set\": "
            });
            out.extend_from_slice(match row.set {
                Some(true) => b"true",
                Some(false) => b"false",
                None => b"null",
            });
            out.extend_from_slice(b",\n          \"name\": ");
            known_plain(out, row.name);
            out.extend_from_slice(b",\n          \"json_field\": ");
            known_plain(out, row.json_field);
            out.extend_from_slice(b",\n          \"description\": ");
            match &row.description {
                // Most are the check's own texts (the very strings), which need no look.
                Some(d) if registry_text(row.detail.check, d) => known_plain(out, d),
                Some(d) => string(out, d),
                None => out.extend_from_slice(b"null"),
            }
            out.extend_from_slice(b",\n          \"exposure\": ");
            match row.exposure {
                Some(e) => known_plain(out, e.text(&mut [0; 12])),
                None => out.extend_from_slice(b"null"),
            }
            out.extend_from_slice(b"\n        }");
        }
        indent(out, DEPTH + 1);
        out.push(b']');
    }
    obj.key(out, b"\"diagnostics\": ");
    json_bytes_into(out, b.diagnostics, DEPTH + 1);
    obj.key(out, b"\"file\": ");
    string(out, u.file);
    obj.key(out, b"\"exposure_accepted\": ");
    json_bytes_into(out, &u.exposure_accepted, DEPTH + 1);
    obj.key(out, b"\"accepted\": ");
    json_bytes_into(out, &u.accepted, DEPTH + 1);
    obj.close(out);
}

/// An object being written at `depth`, in the layout of `render::json_text`.
struct Object {
    depth: usize,
    fields: usize,
}

impl Object {
    fn open(out: &mut Vec<u8>, depth: usize) -> Object {
        out.push(b'{');
        Object { depth, fields: 0 }
    }
    /// The next field's key, `quoted` as it is written (`"name": `).
    fn key(&mut self, out: &mut Vec<u8>, quoted: &[u8]) {
        if self.fields > 0 {
            out.push(b',');
        }
        self.fields += 1;
        indent(out, self.depth + 1);
        out.extend_from_slice(quoted);
    }
    fn close(self, out: &mut Vec<u8>) {
        if self.fields > 0 {
            indent(out, self.depth);
        }
        out.push(b'}');
    }
}

/// A line break and the indentation of `depth`, as `render::json_text` lays them out.
fn indent(out: &mut Vec<u8>, depth: usize) {
    crate::render::line_indent(out, depth).expect("writing to memory");
}

/// `s` as a JSON string: copied as it is when it holds no byte JSON or
/// `render::json_text` escapes (a quote, a backslash, a control character or DEL) and no
/// character `json_text` escapes among its non-ASCII ones; else escaped by serde and
/// `json_text`'s rules.
fn string(out: &mut Vec<u8>, s: &str) {
    if plain(s) {
        out.reserve(s.len() + 2);
        out.push(b'"');
        out.extend_from_slice(s.as_bytes());
        out.push(b'"');
    } else {
        crate::render::json_bytes_into(out, s, 0);
    }
}

/// Whether `text` is one of check `check`'s own texts in systemd's output (the same bytes at
/// the same address, not a copy: a policy's text is never taken for one).
fn registry_text(check: usize, text: &str) -> bool {
    let t = &exposure_core::checks::REGISTRY[check].systemd;
    [t.good, t.bad, t.na]
        .iter()
        .any(|x| x.len() == text.len() && std::ptr::eq(x.as_ptr(), text.as_ptr()))
}

/// A string [`string`] would copy as it is, without looking: the check names, JSON fields and
/// systemd texts of every version's registry (a test holds each of them [`plain`]) and
/// exposure numbers.
fn known_plain(out: &mut Vec<u8>, s: &str) {
    debug_assert!(plain(s), "{s:?}");
    out.reserve(s.len() + 2);
    out.push(b'"');
    out.extend_from_slice(s.as_bytes());
    out.push(b'"');
}

/// Whether [`string`] may copy `s` between quotes as it is: its ASCII bytes are printable
/// and neither `"` nor `\`, eight at a time, and its other characters are ones
/// [`exposure_core::diag::unprintable`] lets through.
fn plain(s: &str) -> bool {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGHS: u64 = 0x8080_8080_8080_8080;
    let zero = |x: u64| x.wrapping_sub(ONES) & !x & HIGHS;
    let b = s.as_bytes();
    let mut words = b.chunks_exact(8);
    let mut ascii = true;
    for w in &mut words {
        let x = u64::from_le_bytes(w.try_into().expect("8 bytes"));
        if x & HIGHS != 0 {
            ascii = false;
            break;
        }
        // Below a space (the subtraction borrows into the high bit of an ASCII byte), DEL,
        // a quote or a backslash.
        let space = x.wrapping_sub(ONES * u64::from(b' ')) & !x & HIGHS;
        if space
            | zero(x ^ (ONES * 0x7f))
            | zero(x ^ (ONES * u64::from(b'"')))
            | zero(x ^ (ONES * u64::from(b'\\')))
            != 0
        {
            return false;
        }
    }
    let ok = |c: char| {
        !c.is_ascii_control() && c != '"' && c != '\\' && !exposure_core::diag::unprintable(c)
    };
    let rest = words.remainder();
    if ascii && rest.is_ascii() {
        return rest.iter().all(|&c| ok(char::from(c)));
    }
    s.chars().all(ok)
}

/// A unit of the document: the unit as core shapes it, then where it came from and what was
/// accepted.
struct UnitDoc<'a> {
    base: UnitJson<'a>,
    file: &'a str,
    exposure_accepted: Option<f64>,
    accepted: Vec<AcceptedDoc<'a>>,
}

impl Serialize for UnitDoc<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut st = s.serialize_struct("UnitDoc", UnitJson::FIELDS + 3)?;
        self.base.serialize_fields(&mut st)?;
        st.serialize_field("file", self.file)?;
        st.serialize_field("exposure_accepted", &self.exposure_accepted)?;
        st.serialize_field("accepted", &self.accepted)?;
        st.end()
    }
}

#[derive(Serialize)]
struct AcceptedDoc<'a> {
    check: &'static str,
    reason: &'a str,
    source: &'a str,
    expires: Option<&'a str>,
}

impl<'a> From<&'a crate::accept::Accepted> for AcceptedDoc<'a> {
    fn from(x: &'a crate::accept::Accepted) -> Self {
        AcceptedDoc {
            check: exposure_core::checks::REGISTRY[x.check].json_field,
            reason: &x.reason,
            source: &x.source,
            expires: x.expires.as_deref(),
        }
    }
}

#[derive(Serialize)]
struct Summary<'a> {
    units: usize,
    assessed: usize,
    refused: usize,
    unreadable: &'a [String],
    highest_exposure: Option<f64>,
    threshold: f64,
    above_threshold: Vec<&'a str>,
    diagnostics: Counts,
    fail_on: Option<&'static str>,
    failed: bool,
}

#[derive(Serialize)]
struct Counts {
    error: usize,
    warning: usize,
    info: usize,
}

/// The document for `assessed`, with the run's `outcome`.
pub fn document<'a>(
    assessed: &'a [Assessed],
    outcome: &'a Outcome,
    version: Version,
) -> Document<'a> {
    let highest = assessed
        .iter()
        .filter(|a| a.report.refused.is_none())
        .map(|a| a.report.exposure)
        .max();
    let [info, warning, error] = outcome.diagnostics;
    Document {
        schema_version: SCHEMA_VERSION,
        tool: Tool {
            name: "exposure",
            version: env!("CARGO_PKG_VERSION"),
        },
        systemd_version: version.as_str(),
        units: Units(assessed, version),
        summary: Summary {
            units: assessed.len(),
            assessed: assessed.len() - outcome.refused,
            refused: outcome.refused,
            unreadable: &outcome.unreadable,
            highest_exposure: highest.map(Tenths::as_f64),
            threshold: f64::from(outcome.threshold) / 10.0,
            above_threshold: outcome.above.iter().map(|(u, _, _)| u.as_str()).collect(),
            diagnostics: Counts {
                error,
                warning,
                info,
            },
            fail_on: outcome.fail_on.map(|f| f.as_str()),
            failed: outcome.failed(),
        },
        baseline: outcome.baseline.as_ref().map(|c| c.to_json()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn registry_texts_and_exposures_need_no_escape() {
        for version in Version::all() {
            for c in &exposure_core::checks::REGISTRY {
                assert!(plain(version.row_name(c)), "{}", version.row_name(c));
                assert!(plain(c.json_field), "{}", c.json_field);
                for t in [c.systemd.good, c.systemd.bad, c.systemd.na] {
                    assert!(plain(t), "{t}");
                }
            }
        }
        for tenths in (0..=100).chain([u32::MAX / 10, u32::MAX]) {
            assert!(plain(Tenths(tenths).text(&mut [0; 12])), "{tenths}");
        }
    }

    #[test]
    fn a_string_is_written_as_serde_and_json_text_write_it() {
        // Every character class the plain check sorts, at every place around the eight-byte
        // words it reads.
        let specials = [
            "\"",
            "\\",
            "\n",
            "\t",
            "\u{1}",
            "\u{1f}",
            "\u{7f}",
            "\u{80}",
            "\u{9f}",
            "\u{a0}",
            "…",
            "✓",
            "é",
            "\u{202e}",
            "\u{2066}",
            "\u{61c}",
            "\u{fdd0}",
            "\u{ffff}",
            "\u{1f642}",
            "\u{10ffff}",
            " ",
            "~",
            "a",
        ];
        for special in specials {
            for before in 0..18 {
                for after in [0, 1, 7, 8, 9] {
                    let s = format!("{}{special}{}", "x".repeat(before), "y".repeat(after));
                    let mut ours = Vec::new();
                    string(&mut ours, &s);
                    let mut theirs = Vec::new();
                    crate::render::json_bytes_into(&mut theirs, s.as_str(), 0);
                    assert_eq!(
                        String::from_utf8(ours).unwrap(),
                        String::from_utf8(theirs).unwrap(),
                        "{s:?}"
                    );
                }
            }
        }
    }

    #[test]
    fn the_text_is_the_serialized_document() {
        let version = Version::default();
        let texts = [
            "[Service]\nExecStart=/bin/true\n",
            "[Service]\nExecStart=/bin/sleep 1\nPrivateTmp=yes\nUser=nobody\n",
            "[Service]\nExecStart=/bin/x\nDescription=caf\u{e9} \u{202e}\n",
            // Refused (no rows), with diagnostics.
            "[Service]\nPrivateTmp=maybe\nType=nonsense\n",
            "[Service]\nExecStart=/bin/x\nUser=r\u{f6}ot\\\"\nUMask=\x7f\n",
        ];
        // Every prefix of the texts, and more units than a batch of `write` holds.
        let many: Vec<&str> = texts.iter().copied().cycle().take(150).collect();
        let cases = (0..=texts.len()).map(|n| &texts[..n]).chain([&many[..]]);
        for units in cases {
            let n = units.len();
            let assessed: Vec<Assessed> = units
                .iter()
                .enumerate()
                .map(|(i, t)| {
                    let opts = exposure_core::Options {
                        version,
                        unit_name: Some(format!("u{i}.service")),
                        ..Default::default()
                    };
                    let a = exposure_core::analyze(t, &opts);
                    let source = crate::locate::Source::Disk {
                        unit_file: format!("u{i}\u{202e}\"\\.service"),
                        service_line: Some(1),
                    };
                    let report = a.units.into_iter().next().expect("a unit");
                    let path = format!("dir/u{i}\u{202e}\"\\\\.service");
                    Assessed::new(path, report, std::sync::Arc::new(source))
                })
                .collect();
            let outcome = Outcome::of(
                &assessed,
                0,
                crate::outcome::FailOn::Warning,
                vec!["gone\n".into()],
            );
            if n >= texts.len() {
                // The cases cover what the hand-written rows must get right.
                assert!(assessed.iter().any(|a| a.report.refused.is_some()));
                assert!(assessed.iter().any(|a| !a.report.diagnostics.is_empty()));
            }
            let whole = crate::render::json_text(&document(&assessed, &outcome, version));
            let mut text = Vec::new();
            write(&mut text, &assessed, &outcome, version).unwrap();
            assert_eq!(String::from_utf8(text).unwrap(), whole + "\n", "{n} units");
        }
    }
}
