//! What every analysis must satisfy whatever the input, checked by the property tests and
//! the fuzz targets (`fuzz/`) besides "no panic".

use exposure_core::{Analysis, Diagnostic, Predicate, UnitReport};

/// The most lines an input can have: the unit-file reader ends lines at `\n`, `\r` and NUL as
/// systemd does (a `\r\n` pair is one line end), the `systemctl show` reader at `\n` only.
pub fn line_count(text: &str) -> u32 {
    let ends = text
        .bytes()
        .filter(|&b| matches!(b, b'\n' | b'\r' | 0))
        .count();
    u32::try_from(ends + 1).unwrap_or(u32::MAX)
}

/// A diagnostic's span, when it has one, lies inside the input: its line exists and its byte
/// range is a valid slice of the text (the front ends slice the input with it).
pub fn check_diagnostic(d: &Diagnostic, text: &str, lines: u32) {
    let Some(s) = d.span else { return };
    assert!(
        (1..=lines).contains(&s.line),
        "diagnostic {:?} on line {} of {}: {}",
        d.code,
        s.line,
        lines,
        d.message
    );
    let (start, end) = (s.start as usize, s.end as usize);
    assert!(
        start <= end && end <= text.len(),
        "diagnostic {:?} spans {start}..{end} of {} bytes",
        d.code,
        text.len()
    );
    assert!(
        text.is_char_boundary(start) && text.is_char_boundary(end),
        "diagnostic {:?} span {start}..{end} splits a character",
        d.code
    );
}

/// The score and every row stay in range; the predicate matches the score; provenance and
/// diagnostics point inside the input.
pub fn check_report(u: &UnitReport, text: &str, lines: u32) {
    assert!(u.exposure.0 <= 100, "{}: exposure {}", u.unit, u.exposure);
    assert_eq!(u.predicate, Predicate::of(u.exposure));
    for r in &u.rows {
        if let Some(b) = r.detail.badness {
            assert!(
                b <= r.detail.range,
                "{}: badness {b} over range {}",
                r.json_field,
                r.detail.range
            );
        }
        if let Some(e) = r.exposure {
            assert!(e.0 <= 100, "{}: row exposure {e}", r.json_field);
        }
        for o in u.provenance(r) {
            assert!(
                (1..=lines).contains(&o.line),
                "{}: provenance on line {} of {}",
                r.json_field,
                o.line,
                lines
            );
        }
    }
    for d in &u.diagnostics {
        check_diagnostic(d, text, lines);
    }
}

/// Every report and diagnostic of an analysis is in range (see [`check_report`]).
pub fn check_analysis(a: &Analysis, text: &str) {
    let lines = line_count(text);
    for u in &a.units {
        check_report(u, text, lines);
    }
    for d in &a.diagnostics {
        check_diagnostic(d, text, lines);
    }
}

/// [`check_analysis`], and the analysis serializes as the front ends do. Serializing escapes
/// every description string, the costliest step of a run, so a fuzz target that analyzes one
/// input several ways serializes one of the analyses only.
pub fn check_analysis_json(a: &Analysis, text: &str) {
    check_analysis(a, text);
    serde_json::to_string(a).expect("an analysis serializes");
}
