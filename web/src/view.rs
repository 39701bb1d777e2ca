//! Pure helpers between core's report and the page: text formats of the test hooks, line
//! numbers, offsets. No DOM here, so they run natively and under Node.

use exposure_core::{Analysis, Diagnostic, Row, Severity, Tenths, UnitReport, order};

use crate::state::{Breakdown, EDIT_LIMIT, EDIT_MAX_LINE, EDIT_MAX_LINES, Sort};

/// A unit's check rows as the breakdown shows them: filtered, then in groups (one untitled
/// group when not grouping by theme), each sorted as asked.
pub fn arrange(rows: &[Row], b: Breakdown) -> Vec<(Option<&'static str>, Vec<&Row>)> {
    let mut kept: Vec<&Row> = rows
        .iter()
        .filter(|r| !b.failing_only || r.set == Some(false))
        .collect();
    if b.sort == Sort::Contribution {
        // stable: equal contributions stay in systemd's order
        order::sort_by_key(&mut kept, &|r| {
            std::cmp::Reverse(r.exposure.map_or(0, |e| e.0))
        });
    }
    if !b.group {
        return vec![(None, kept)];
    }
    let theme = |r: &Row| exposure_core::checks::REGISTRY[r.detail.check].theme;
    let mut themes: Vec<_> = kept.iter().map(|r| theme(r)).collect();
    order::sort(&mut themes);
    themes.dedup();
    themes
        .into_iter()
        .map(|t| {
            let in_theme = kept.iter().copied().filter(|r| theme(r) == t).collect();
            (Some(t.title()), in_theme)
        })
        .collect()
}

/// The unit whose breakdown the page shows: the one named `selected`, or the first when
/// nothing (or a unit no longer in the input) is selected. `None` when there is no unit.
pub fn shown_unit<'a>(units: &'a [UnitReport], selected: Option<&str>) -> Option<&'a UnitReport> {
    selected
        .and_then(|name| units.iter().find(|u| u.unit == name))
        .or_else(|| units.first())
}

/// The units the summary lists: those whose name contains `filter` (ignoring ASCII case), at most
/// `cap` of them in paste order, and the unit shown whatever the filter; with how many match.
pub fn summary_units<'a>(
    units: &'a [UnitReport],
    filter: &str,
    shown: &str,
    cap: usize,
) -> (Vec<&'a UnitReport>, usize) {
    // Unit names are ASCII: ASCII case folding is enough (and full Unicode case folding would
    // add its tables to the page's bundle).
    let needle = filter.trim().to_ascii_lowercase();
    let matches =
        |u: &UnitReport| needle.is_empty() || u.unit.to_ascii_lowercase().contains(&needle);
    let (mut list, mut matching) = (Vec::new(), 0);
    for u in units {
        let m = matches(u);
        matching += usize::from(m);
        if (m && matching <= cap) || u.unit == shown {
            list.push(u);
        }
    }
    (list, matching)
}

/// The text of a check's exposure cell and its `data-exposure` attribute: `0.4`, or empty
/// when the check contributes nothing.
pub fn exposure_text(exposure: Option<Tenths>) -> String {
    exposure.map(|e| e.to_string()).unwrap_or_default()
}

/// The mark in front of a check: passed, failed, or not applicable (blank).
pub fn check_mark(set: Option<bool>) -> &'static str {
    match set {
        Some(true) => "\u{2713}",  // ✓
        Some(false) => "\u{2717}", // ✗
        None => "",
    }
}

/// The number of lines the text area shows for `text` (a trailing newline opens a new line).
pub fn line_count(text: &str) -> usize {
    line_breaks(text).count() + 1
}

/// The byte offsets just past each line break the text area shows: `\n`, `\r\n` or a lone `\r`
/// (a text area turns both into `\n`). A NUL breaks no line here, although systemd's parser
/// ends a line at one: the page numbers lines as the text area shows them.
fn line_breaks(text: &str) -> LineBreaks<'_> {
    LineBreaks {
        text,
        at: 0,
        cr: text.contains('\r'),
    }
}

/// The iterator of [`line_breaks`]. Without `\r` in the text it looks for `\n` alone, a word
/// at a time (a byte at a time was 140 ms for 16 MiB in the page's WebAssembly).
struct LineBreaks<'a> {
    text: &'a str,
    at: usize,
    cr: bool,
}

impl Iterator for LineBreaks<'_> {
    type Item = usize;

    fn next(&mut self) -> Option<usize> {
        let bytes = self.text.as_bytes();
        let rest = &bytes[self.at..];
        let i = if self.cr {
            rest.iter().position(|&b| b == b'\n' || b == b'\r')?
        } else {
            self.text[self.at..].find('\n')?
        };
        let mut end = self.at + i + 1;
        if rest[i] == b'\r' && bytes.get(end) == Some(&b'\n') {
            end += 1; // "\r\n" is one line break
        }
        self.at = end;
        Some(end)
    }
}

/// The lines of a text as the text area shows them, to number a byte offset's line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lines {
    /// Where each line but the first starts.
    starts: Vec<usize>,
    /// The longest line's length in bytes (with its line break).
    longest: usize,
}

impl Lines {
    pub fn new(text: &str) -> Lines {
        let starts: Vec<usize> = line_breaks(text).collect();
        let mut longest = 0;
        let mut from = 0;
        for &s in starts.iter().chain(std::iter::once(&text.len())) {
            longest = longest.max(s - from);
            from = s;
        }
        Lines { starts, longest }
    }

    /// The longest line's length in bytes (with its line break).
    pub fn longest(&self) -> usize {
        self.longest
    }

    /// How many lines the text area shows.
    pub fn count(&self) -> usize {
        self.starts.len() + 1
    }

    /// The 1-based line (as the text area shows it) holding byte `offset`.
    pub fn line_of(&self, offset: usize) -> u32 {
        (self.starts.partition_point(|&s| s <= offset) + 1) as u32
    }

    /// The bytes of 1-based `line` (without its line break) in a text of `len` bytes.
    pub fn range(&self, line: u32, len: usize) -> Option<(usize, usize)> {
        let i = (line as usize).checked_sub(1)?;
        let start = if i == 0 { 0 } else { *self.starts.get(i - 1)? };
        let end = self
            .starts
            .get(i)
            .map_or(len, |&next| next.saturating_sub(1).max(start));
        Some((start, end))
    }

    /// The line of a diagnostic, as the gutter numbers it, if it has one.
    pub fn of(&self, d: &Diagnostic) -> Option<u32> {
        d.span.map(|s| self.line_of(s.start as usize))
    }
}

/// The byte offset in `text` of a UTF-16 offset (as a text area's selection gives it),
/// clamped to the text and moved back to a character boundary.
pub fn byte_offset(text: &str, utf16: u32) -> usize {
    let mut units = 0u32;
    for (i, c) in text.char_indices() {
        if units >= utf16 {
            return i;
        }
        units += c.len_utf16() as u32;
        if units > utf16 {
            return i;
        }
    }
    text.len()
}

/// The text after pasting `pasted` over the UTF-16 selection `from..to` of `text`.
pub fn paste_into(text: &str, from: u32, to: u32, pasted: &str) -> String {
    let (a, b) = (
        byte_offset(text, from.min(to)),
        byte_offset(text, from.max(to)),
    );
    let mut out = String::with_capacity(text.len() - (b - a) + pasted.len());
    out.push_str(&text[..a]);
    out.push_str(pasted);
    out.push_str(&text[b..]);
    out
}

/// The first `n` lines of `text` (with their newlines), for a preview.
pub fn head_lines(text: &str, n: usize) -> &str {
    match text.match_indices('\n').nth(n.saturating_sub(1)) {
        Some((i, _)) if n > 0 => &text[..=i],
        _ if n == 0 => "",
        _ => text,
    }
}

/// The first `n` lines of `text`, each cut to `width` characters (with `…`): the read-only
/// preview of a large text, which may be a single line of megabytes.
pub fn preview(text: &str, n: usize, width: usize) -> String {
    // Only the start of the text can be shown: no need to look further (a line of 16 MiB).
    let head = &text[..text.floor_char_boundary(n.saturating_mul(width + 1).saturating_mul(4))];
    let mut out = String::new();
    for line in head_lines(head, n).split_inclusive('\n') {
        let body = line.strip_suffix('\n').unwrap_or(line);
        match body.char_indices().nth(width) {
            Some((cut, _)) => {
                out.push_str(&body[..cut]);
                out.push('\u{2026}');
                if line.ends_with('\n') {
                    out.push('\n');
                }
            }
            None => out.push_str(line),
        }
    }
    out
}

/// Whether a text goes in the text area: not over [`EDIT_LIMIT`] bytes, [`EDIT_MAX_LINES`]
/// lines or a line of [`EDIT_MAX_LINE`] bytes. The text area's layout grows with each of them
/// (200,000 short lines froze the page for seconds, then a second per keystroke); beyond, the
/// page shows a read-only preview and analyzes the text in steps.
pub fn editable(len: usize, lines: &Lines) -> bool {
    len <= EDIT_LIMIT && lines.count() <= EDIT_MAX_LINES && lines.longest() <= EDIT_MAX_LINE
}

/// [`editable`] for a text not numbered yet: a text over [`EDIT_LIMIT`] bytes is answered
/// without counting its lines (a paste of megabytes).
pub fn editable_text(text: &str) -> bool {
    text.len() <= EDIT_LIMIT && editable(text.len(), &Lines::new(text))
}

/// Every diagnostic of the analysis (input-wide and per unit) once, by line, then severity
/// (errors first); diagnostics without a line come first.
pub fn all_diagnostics(analysis: &Analysis) -> Vec<&Diagnostic> {
    resolve(analysis, &diagnostic_order(analysis))
}

/// Where a diagnostic is in an [`Analysis`]: `(unit, index)`, with [`INPUT`] for the unit of
/// the input-wide ones.
pub type DiagnosticAt = (u32, u32);
pub const INPUT: u32 = u32::MAX;

/// The order [`all_diagnostics`] lists them in, as positions: computed once per analysis (a
/// paste of 450,000 bad lines has as many, and sorting them took tens of milliseconds on every
/// render).
pub fn diagnostic_order(analysis: &Analysis) -> Vec<DiagnosticAt> {
    let input = (0..analysis.diagnostics.len()).map(|i| (INPUT, i as u32));
    let per_unit = analysis
        .units
        .iter()
        .enumerate()
        .flat_map(|(u, r)| (0..r.diagnostics.len()).map(move |i| (u as u32, i as u32)));
    let mut all: Vec<DiagnosticAt> = input.chain(per_unit).collect();
    let get = |at: &DiagnosticAt| diagnostic_at(analysis, *at);
    // Sorted on every field (the line is the span's), so that equal diagnostics end up side by
    // side and go in one pass (a paste of thousands of units has thousands of them: no pairwise
    // comparison).
    order::sort_by(&mut all, &|a, b| {
        let (a, b) = (get(a), get(b));
        (
            a.line(),
            std::cmp::Reverse(a.severity),
            a.span.map(|s| (s.start, s.end)),
        )
            .cmp(&(
                b.line(),
                std::cmp::Reverse(b.severity),
                b.span.map(|s| (s.start, s.end)),
            ))
            .then_with(|| a.code.cmp(b.code))
            .then_with(|| a.message.cmp(&b.message))
            .then_with(|| a.file.cmp(&b.file))
            .then_with(|| a.help.cmp(&b.help))
    });
    all.dedup_by(|a, b| get(a) == get(b));
    all
}

fn diagnostic_at(analysis: &Analysis, (unit, i): DiagnosticAt) -> &Diagnostic {
    match unit {
        INPUT => &analysis.diagnostics[i as usize],
        u => &analysis.units[u as usize].diagnostics[i as usize],
    }
}

/// The diagnostics at `order` (from [`diagnostic_order`] of the same analysis).
pub fn resolve<'a>(analysis: &'a Analysis, order: &[DiagnosticAt]) -> Vec<&'a Diagnostic> {
    order
        .iter()
        .map(|at| diagnostic_at(analysis, *at))
        .collect()
}

/// The gutter's marks: `(line, (worst severity, its message))`, sorted by line, one per line.
/// (A sorted vector rather than a `BTreeMap`: the page links no B-tree code for it.)
pub type Marks = Vec<(u32, (Severity, String))>;

/// The worst severity reported on each line of the (single) pasted text, for the gutter.
pub fn line_marks(diagnostics: &[&Diagnostic], lines: &Lines) -> Marks {
    // Every diagnostic of a paste has a span in the paste, whatever file of a `systemctl cat`
    // paste it is in: the gutter numbers the lines of the paste as the text area shows them.
    let mut marks = Marks::new();
    for d in diagnostics {
        if let Some(line) = lines.of(d) {
            // The diagnostics come in line order: the search almost always ends at the end.
            match marks.binary_search_by_key(&line, |(l, _)| *l) {
                Ok(i) if d.severity > marks[i].1.0 => marks[i].1 = (d.severity, d.message.clone()),
                Ok(_) => {}
                Err(i) => marks.insert(i, (line, (d.severity, d.message.clone()))),
            }
        }
    }
    marks
}

/// Where a diagnostic points, as the page prints it: `line 7` (a line of the pasted text, as
/// the gutter numbers it), `line 9 (/etc/…/foo.conf)` in a `systemctl cat` paste, a file alone,
/// or `input`.
pub fn location(d: &Diagnostic, lines: &Lines) -> String {
    match (&d.file, lines.of(d)) {
        (None, Some(line)) => format!("line {line}"),
        (Some(file), Some(line)) => format!("line {line} ({file})"),
        (Some(file), None) => file.clone(),
        (None, None) => "input".to_owned(),
    }
}

pub fn severity_label(s: Severity) -> &'static str {
    match s {
        Severity::Info => "info",
        Severity::Warning => "warning",
        Severity::Error => "error",
    }
}

/// Converts a byte range of `text` into the UTF-16 offsets that a text area's selection uses.
/// Offsets past the end or inside a character are moved back to the previous boundary.
pub fn utf16_range(text: &str, start: usize, end: usize) -> (u32, u32) {
    let at = |byte: usize| -> u32 {
        let mut byte = byte.min(text.len());
        while !text.is_char_boundary(byte) {
            byte -= 1;
        }
        text[..byte].encode_utf16().count() as u32
    };
    (at(start), at(end.max(start)))
}

/// What the result side shows instead of a score while the text holds no service yet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Awaiting {
    /// Nothing but blank lines and comments.
    Nothing,
    /// A unit file with no `[Service]` section yet (a fragment, or a unit being typed).
    NoService,
}

/// Whether a text (read as `kind`) is still empty, or a unit file with no `[Service]`
/// section: the page then explains what to paste rather than scoring a unit of defaults.
pub fn awaiting(text: &str, kind: exposure_core::InputKind) -> Option<Awaiting> {
    let mut lines = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with(['#', ';']));
    let Some(first) = lines.next() else {
        return Some(Awaiting::Nothing);
    };
    let service = |l: &str| l == "[Service]";
    let no_service =
        kind == exposure_core::InputKind::UnitFile && !service(first) && !lines.any(service);
    no_service.then_some(Awaiting::NoService)
}

/// Where each of systemd's bands begins on the 0–10 scale, lowest first: `(predicate, from)`
/// (read from [`Predicate::of`], not written down again).
pub fn bands() -> Vec<(exposure_core::Predicate, Tenths)> {
    let mut bands: Vec<(exposure_core::Predicate, Tenths)> = Vec::new();
    for t in 0..=100 {
        let p = exposure_core::Predicate::of(Tenths(t));
        if bands.last().is_none_or(|(q, _)| *q != p) {
            bands.push((p, Tenths(t)));
        }
    }
    bands
}

/// What each row adds to the overall score, in hundredths of a point: the row's weighted
/// badness over the weight of every check that applies, on the 0–10 scale (the score is
/// these shares summed, rounded up to a tenth). `None` for rows that do not apply.
pub fn shares(rows: &[Row]) -> Vec<Option<u64>> {
    let weighted = |r: &Row| {
        let d = &r.detail;
        d.badness
            .filter(|_| d.range > 0)
            .map(|b| (u64::from(b) * u64::from(d.weight)).div_ceil(u64::from(d.range)))
    };
    let total: u64 = rows
        .iter()
        .filter(|r| weighted(r).is_some())
        .map(|r| u64::from(r.detail.weight))
        .sum();
    rows.iter()
        .map(|r| weighted(r).map(|w| (w * 1000).checked_div(total).unwrap_or(0)))
        .collect()
}

/// A share in hundredths as the page prints it: one decimal, never "0.0" for a share that
/// is not zero.
pub fn share_text(hundredths: u64) -> String {
    match hundredths {
        0 => "0".to_owned(),
        1..=4 => "<0.1".to_owned(),
        h => {
            let tenths = (h + 5) / 10;
            format!("{}.{}", tenths / 10, tenths % 10)
        }
    }
}

/// One plain sentence on a unit's result: how many of the checks that apply it passes, and
/// the failing checks that cost the most.
pub fn score_sentence(unit: &UnitReport) -> String {
    let shares = shares(&unit.rows);
    let applies = unit.rows.iter().filter(|r| r.set.is_some()).count();
    let passed = unit.rows.iter().filter(|r| r.set == Some(true)).count();
    let mut costly: Vec<(&Row, u64)> = unit
        .rows
        .iter()
        .zip(&shares)
        .filter_map(|(r, s)| s.filter(|s| *s > 0).map(|s| (r, s)))
        .collect();
    order::sort_by_key(&mut costly, &|(_, s)| std::cmp::Reverse(*s));
    let mut sentence = format!(
        "{} passes {passed} of the {applies} checks that apply to it",
        unit.unit
    );
    if costly.is_empty() {
        sentence.push_str(", and none of them adds to its score.");
        return sentence;
    }
    let top: Vec<String> = costly
        .iter()
        .take(3)
        .map(|(r, s)| format!("{} ({})", r.name, share_text(*s)))
        .collect();
    let list = match top.as_slice() {
        [one] => one.clone(),
        [a, b] => format!("{a} and {b}"),
        [rest @ .., last] => format!("{}, and {last}", rest.join(", ")),
        [] => String::new(),
    };
    sentence.push_str(&format!(
        "; most of its {} comes from {list}.",
        unit.exposure
    ));
    sentence
}

/// The failing rows a suggested setting acts on: the check of that name, and the checks
/// systemd names after it (`CapabilityBoundingSet=~CAP_SYS_ADMIN`, `SystemCallFilter=~@clock`,
/// `RestrictAddressFamilies=~AF_INET`…).
pub fn rows_fixed_by<'a>(setting: &str, rows: &'a [Row]) -> Vec<&'a Row> {
    rows.iter()
        .filter(|r| r.set == Some(false))
        .filter(|r| {
            r.name
                .strip_prefix(setting)
                .is_some_and(|rest| rest.starts_with('='))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use exposure_core::Span;

    use super::*;

    #[test]
    fn exposure_and_mark_formats() {
        assert_eq!(exposure_text(Some(Tenths(4))), "0.4");
        assert_eq!(exposure_text(Some(Tenths(100))), "10.0");
        assert_eq!(exposure_text(None), "");
        assert_eq!(check_mark(Some(true)), "✓");
        assert_eq!(check_mark(Some(false)), "✗");
        assert_eq!(check_mark(None), "");
    }

    #[test]
    fn the_shown_unit_is_the_selected_one_or_the_first() {
        let text = "# /etc/systemd/system/a.service\n[Service]\nExecStart=/bin/a\n\n\
                    # /etc/systemd/system/b.service\n[Service]\nExecStart=/bin/b\nPrivateTmp=yes\n";
        let a = exposure_core::analyze(text, &exposure_core::Options::default());
        let names: Vec<_> = a.units.iter().map(|u| u.unit.as_str()).collect();
        assert_eq!(names, ["a.service", "b.service"]);
        let shown = |sel| shown_unit(&a.units, sel).map(|u| u.unit.as_str());
        assert_eq!(shown(None), Some("a.service"));
        assert_eq!(shown(Some("b.service")), Some("b.service"));
        assert_eq!(shown(Some("gone.service")), Some("a.service"));
        assert_eq!(shown_unit(&[], Some("a.service")), None);
    }

    #[test]
    fn the_breakdown_sorts_filters_and_groups() {
        let text = "[Service]\nExecStart=/bin/a\nPrivateTmp=yes\nProtectSystem=full\n";
        let a = exposure_core::analyze(text, &exposure_core::Options::default());
        let rows = &a.units[0].rows;
        let key = |r: &Row| r.exposure.map_or(0, |e| e.0);
        let flat = |groups: Vec<(Option<&str>, Vec<&Row>)>| -> Vec<&'static str> {
            groups
                .into_iter()
                .flat_map(|(_, rs)| rs.into_iter().map(|r| r.json_field))
                .collect()
        };
        let systemd: Vec<_> = rows.iter().map(|r| r.json_field).collect();
        let b = Breakdown {
            sort: Sort::Systemd,
            ..Breakdown::default()
        };
        assert_eq!(flat(arrange(rows, b)), systemd);

        // by contribution: descending, ties keep systemd's order
        let by = arrange(rows, Breakdown::default());
        assert_eq!(by.len(), 1);
        assert_eq!(by[0].0, None);
        let sorted = &by[0].1;
        assert_eq!(sorted.len(), rows.len());
        for w in sorted.windows(2) {
            assert!(key(w[0]) >= key(w[1]));
            if key(w[0]) == key(w[1]) {
                let pos = |f| systemd.iter().position(|x| *x == f).unwrap();
                assert!(pos(w[0].json_field) < pos(w[1].json_field));
            }
        }
        assert!(key(sorted[0]) > 0);

        // failing only
        let failing = flat(arrange(
            rows,
            Breakdown {
                failing_only: true,
                ..Breakdown::default()
            },
        ));
        assert!(!failing.is_empty() && failing.len() < rows.len());
        assert!(!failing.contains(&"PrivateTmp"), "PrivateTmp=yes passes");
        for f in &failing {
            assert_eq!(
                rows.iter().find(|r| r.json_field == *f).unwrap().set,
                Some(false)
            );
        }

        // grouped: titled groups in theme order, every row once, sorted inside each group
        let groups = arrange(
            rows,
            Breakdown {
                group: true,
                ..Breakdown::default()
            },
        );
        assert!(groups.len() > 1);
        assert!(groups.iter().all(|(t, rs)| t.is_some() && !rs.is_empty()));
        assert_eq!(
            groups.iter().map(|(_, rs)| rs.len()).sum::<usize>(),
            rows.len()
        );
        let titles: Vec<_> = groups.iter().map(|(t, _)| t.unwrap()).collect();
        assert!(titles.contains(&"File system"), "{titles:?}");
        for (_, rs) in &groups {
            assert!(rs.windows(2).all(|w| key(w[0]) >= key(w[1])));
        }
    }

    #[test]
    fn counts_lines_like_a_text_area() {
        assert_eq!(line_count(""), 1);
        assert_eq!(line_count("a"), 1);
        assert_eq!(line_count("a\n"), 2);
        assert_eq!(line_count("a\r\nb\nc"), 3);
    }

    fn twenty() -> Lines {
        Lines::new(&"a\n".repeat(20))
    }

    #[test]
    fn a_text_is_editable_up_to_its_bytes_lines_and_longest_line() {
        let fits = |t: &str| {
            let counted = editable(t.len(), &Lines::new(t));
            assert_eq!(editable_text(t), counted, "the two answers agree");
            counted
        };
        assert!(fits("[Service]\nExecStart=/x\n"));
        assert!(fits(""));
        assert!(fits("\n\r\n\r"));
        assert!(fits(&"x\n".repeat(EDIT_MAX_LINES - 1)));
        assert!(!fits(&"x\n".repeat(EDIT_MAX_LINES)), "one line too many");
        assert!(fits(&"x".repeat(EDIT_MAX_LINE)));
        assert!(!fits(&"x".repeat(EDIT_MAX_LINE + 1)), "one line too long");
        let long_lines =
            format!("{}\n", "x".repeat(EDIT_MAX_LINE - 1)).repeat(EDIT_LIMIT / EDIT_MAX_LINE + 1);
        assert!(!fits(&long_lines), "too many bytes");
    }

    #[test]
    fn lines_are_numbered_as_the_text_area_shows_them() {
        for (text, breaks) in [
            ("a\nb\n", vec![2, 4]),
            ("a\r\nb\rc\n\r", vec![3, 5, 7, 8]),
            ("\r\r\n\n", vec![1, 3, 4]),
            ("", vec![]),
        ] {
            assert_eq!(line_breaks(text).collect::<Vec<_>>(), breaks, "{text:?}");
        }
        let text = "a\r\nb\rc\0d\ne";
        let lines = Lines::new(text);
        assert_eq!(lines.count(), 4);
        assert_eq!(line_count(text), 4);
        let line = |needle: &str| lines.line_of(text.find(needle).unwrap());
        assert_eq!(
            [line("a"), line("b"), line("c"), line("d"), line("e")],
            [1, 2, 3, 3, 4]
        );
        assert_eq!(Lines::new("").count(), 1);
        assert_eq!(Lines::new("").longest(), 0);
        assert_eq!(Lines::new("ab\nabcd\r\nx").longest(), 6);
        assert_eq!(Lines::new("ab\nabcd").longest(), 4);
        assert_eq!(Lines::new("x\n").line_of(2), 2);
    }

    #[test]
    fn a_nul_does_not_shift_the_gutter_marks() {
        // systemd (and so core) ends a line at NUL: core says line 3, the text area line 2
        let text = "[Service]\nA=1\0Bogus=2\nExecStart=/x\n";
        let analysis = exposure_core::analyze(text, &exposure_core::Options::default());
        let all = all_diagnostics(&analysis);
        let bogus = all
            .iter()
            .find(|d| d.message.contains("Bogus"))
            .expect("the unknown key is reported");
        assert_eq!(bogus.line(), Some(3), "core counts the NUL as a line end");
        let lines = Lines::new(text);
        assert_eq!(lines.of(bogus), Some(2));
        assert!(line_marks(&all, &lines).iter().any(|(l, _)| *l == 2));
        assert_eq!(location(bogus, &lines), "line 2");
    }

    fn diag(severity: Severity, line: Option<u32>, file: Option<&str>) -> Diagnostic {
        let d = Diagnostic::new(severity, "test", format!("{severity:?} at {line:?}"));
        match line {
            // in a text of short lines ("a\n" each, see `twenty`), line L starts at 2(L-1)
            Some(line) => d.at(
                file,
                Span {
                    line,
                    start: 2 * (line - 1),
                    end: 2 * (line - 1) + 1,
                },
            ),
            None => Diagnostic {
                file: file.map(str::to_owned),
                ..d
            },
        }
    }

    #[test]
    fn all_diagnostics_once_each_by_line_then_worst_first() {
        let text = "# /lib/systemd/system/a.service\n[Service]\nBogus=1\nExecStart=/x\n\
            # /lib/systemd/system/b.service\n[Service]\nExecStart=/y\nOther=2\n";
        let mut a = exposure_core::analyze(text, &exposure_core::Options::default());
        // The same diagnostic reported twice (input-wide and by its unit) is listed once.
        let dup = a.units[0].diagnostics[0].clone();
        a.diagnostics.push(dup);
        a.diagnostics.push(diag(Severity::Error, None, None));
        a.diagnostics.push(diag(Severity::Info, Some(3), None));
        let all = all_diagnostics(&a);
        let got: Vec<(Option<u32>, Severity)> =
            all.iter().map(|d| (d.line(), d.severity)).collect();
        assert_eq!(
            got,
            [
                (None, Severity::Error),
                (Some(3), Severity::Warning),
                (Some(3), Severity::Info),
                (Some(8), Severity::Warning),
            ]
        );
    }

    #[test]
    fn all_diagnostics_tells_apart_spans_that_end_differently() {
        let at = |end| {
            let mut d = diag(Severity::Warning, Some(3), None);
            d.span = Some(Span {
                line: 3,
                start: 10,
                end,
            });
            d
        };
        let a = exposure_core::Analysis {
            kind: exposure_core::InputKind::UnitFile,
            units: Vec::new(),
            diagnostics: vec![at(12), at(15), at(12)],
        };
        let ends: Vec<u32> = all_diagnostics(&a)
            .iter()
            .filter_map(|d| d.span.map(|s| s.end))
            .collect();
        assert_eq!(ends, [12, 15]);
    }

    #[test]
    fn line_marks_keep_the_worst_severity_of_each_line() {
        let a = diag(Severity::Info, Some(3), None);
        let b = diag(Severity::Error, Some(3), None);
        let c = diag(Severity::Warning, Some(5), None);
        let d = diag(Severity::Error, Some(9), Some("override.conf"));
        let e = diag(Severity::Error, None, None);
        let marks = line_marks(&[&a, &b, &c, &d, &e], &twenty());
        let got: Vec<(u32, Severity, &str)> = marks
            .iter()
            .map(|(l, (s, m))| (*l, *s, m.as_str()))
            .collect();
        assert_eq!(
            got,
            [
                (3, Severity::Error, b.message.as_str()),
                (5, Severity::Warning, c.message.as_str()),
                (9, Severity::Error, d.message.as_str()),
            ]
        );
    }

    #[test]
    fn locations() {
        assert_eq!(
            location(&diag(Severity::Info, Some(7), None), &twenty()),
            "line 7"
        );
        assert_eq!(
            location(&diag(Severity::Info, Some(3), Some("a.conf")), &twenty()),
            "line 3 (a.conf)"
        );
        assert_eq!(
            location(&diag(Severity::Info, None, Some("a.conf")), &twenty()),
            "a.conf"
        );
        assert_eq!(
            location(&diag(Severity::Info, None, None), &twenty()),
            "input"
        );
    }

    #[test]
    fn the_summary_lists_matching_units_up_to_a_cap_and_the_shown_one() {
        let text: String = (0..10)
            .map(|i| format!("# /lib/systemd/system/u{i}.service\n[Service]\nExecStart=/x\n"))
            .collect();
        let a = exposure_core::analyze(&text, &exposure_core::Options::default());
        let names = |l: &[&UnitReport]| l.iter().map(|u| u.unit.clone()).collect::<Vec<_>>();
        let (l, n) = summary_units(&a.units, "", "u0.service", 3);
        assert_eq!(
            (names(&l), n),
            (
                vec![
                    "u0.service".into(),
                    "u1.service".into(),
                    "u2.service".into()
                ],
                10
            )
        );
        let (l, n) = summary_units(&a.units, "U9", "u0.service", 3);
        assert_eq!(
            (names(&l), n),
            (vec!["u0.service".into(), "u9.service".into()], 1)
        );
        let (l, n) = summary_units(&a.units, "nothing", "u5.service", 3);
        assert_eq!((names(&l), n), (vec!["u5.service".into()], 0));
    }

    #[test]
    fn pasting_over_a_selection() {
        let text = "añ😀b";
        // UTF-16: a=0, ñ=1, 😀=2..4, b=4
        assert_eq!(byte_offset(text, 0), 0);
        assert_eq!(byte_offset(text, 2), 3);
        assert_eq!(
            byte_offset(text, 3),
            3,
            "inside the emoji: back to its start"
        );
        assert_eq!(byte_offset(text, 4), 7);
        assert_eq!(byte_offset(text, 99), 8);
        assert_eq!(paste_into(text, 2, 4, "X"), "añXb");
        assert_eq!(paste_into(text, 4, 2, "X"), "añXb");
        assert_eq!(paste_into(text, 5, 5, "!"), "añ😀b!");
        assert_eq!(paste_into("", 0, 0, "new"), "new");
    }

    #[test]
    fn previews_and_line_counts() {
        assert_eq!(head_lines("a\nb\nc\n", 2), "a\nb\n");
        assert_eq!(head_lines("a\nb", 5), "a\nb");
        assert_eq!(head_lines("a\nb", 0), "");
        assert_eq!(preview("abcdef\nxy\nz\n", 2, 3), "abc\u{2026}\nxy\n");
        assert_eq!(preview("éééé", 5, 2), "éé\u{2026}");
        let one_line = "x".repeat(1 << 20);
        assert_eq!(preview(&one_line, 60, 400).chars().count(), 401);
        let long_then_short = format!("{}\nsecond\n", "y".repeat(1 << 20));
        assert_eq!(
            preview(&long_then_short, 60, 3),
            "yyy\u{2026}",
            "the start is all it reads"
        );
        assert_eq!(line_count(""), 1);
        assert_eq!(line_count("a\nb\n"), 3);
    }

    #[test]
    fn utf16_offsets() {
        let text = "a\u{e9}\u{1F628}b"; // 1 + 2 + 4 + 1 bytes; 1 + 1 + 2 + 1 UTF-16 units
        assert_eq!(utf16_range(text, 0, 1), (0, 1));
        assert_eq!(utf16_range(text, 1, 3), (1, 2));
        assert_eq!(utf16_range(text, 3, 7), (2, 4));
        assert_eq!(utf16_range(text, 7, 8), (4, 5));
        assert_eq!(utf16_range(text, 4, 100), (2, 5)); // inside the emoji; past the end
        assert_eq!(utf16_range(text, 5, 2), (2, 2)); // end before start
    }

    #[test]
    fn an_empty_text_or_one_with_no_service_awaits_a_service() {
        use exposure_core::InputKind::{SystemctlShow, UnitFile};
        assert_eq!(awaiting("", UnitFile), Some(Awaiting::Nothing));
        assert_eq!(
            awaiting("\n  # a comment\n; another\n", UnitFile),
            Some(Awaiting::Nothing)
        );
        assert_eq!(
            awaiting("[Unit]\nDescription=x\n", UnitFile),
            Some(Awaiting::NoService)
        );
        assert_eq!(awaiting("[Unit]\n[Service]\nUser=a\n", UnitFile), None);
        assert_eq!(awaiting("Id=a.service\nUser=a\n", SystemctlShow), None);
    }

    #[test]
    fn bands_begin_where_the_predicate_changes() {
        let bands = bands();
        assert_eq!(
            bands.first(),
            Some(&(exposure_core::Predicate::of(Tenths(0)), Tenths(0)))
        );
        for w in bands.windows(2) {
            assert!(w[0].1 < w[1].1);
            assert_ne!(w[0].0, w[1].0);
            assert_eq!(exposure_core::Predicate::of(Tenths(w[1].1.0 - 1)), w[0].0);
        }
        assert_eq!(
            bands.last().map(|b| b.0),
            Some(exposure_core::Predicate::of(Tenths(100)))
        );
    }

    #[test]
    fn the_shares_add_up_to_the_score() {
        for e in crate::example::EXAMPLES {
            let a = exposure_core::analyze(e.text, &exposure_core::Options::default());
            for u in &a.units {
                let sum: u64 = shares(&u.rows).into_iter().flatten().sum();
                // each share is rounded down to a hundredth; the score is rounded up to a tenth
                let score = u64::from(u.exposure.0) * 10;
                assert!(
                    sum <= score && score < sum + 10 + u.rows.len() as u64,
                    "{}: {sum} vs {score}",
                    e.id
                );
                assert!(score_sentence(u).starts_with(&u.unit), "{}", e.id);
            }
        }
        assert_eq!(share_text(0), "0");
        assert_eq!(share_text(3), "<0.1");
        assert_eq!(share_text(44), "0.4");
        assert_eq!(share_text(45), "0.5");
    }

    #[test]
    fn a_line_range_is_that_line_without_its_break() {
        let text = "a\nbc\n\nd";
        let lines = Lines::new(text);
        let at = |n| lines.range(n, text.len()).map(|(s, e)| &text[s..e]);
        assert_eq!(at(1), Some("a"));
        assert_eq!(at(2), Some("bc"));
        assert_eq!(at(3), Some(""));
        assert_eq!(at(4), Some("d"));
        assert_eq!(at(5), None);
        assert_eq!(at(0), None);
    }
}
