//! On a mismatch: what differs (a signature to group mismatches by), the explanation, and
//! the unit shrunk line by line against the real tool.

use crate::generate::Case;
use crate::oracle::{Outcome, Target, ours, theirs};
use serde_json::Value;
use std::collections::HashMap;
use std::fmt::Write as _;
use std::path::Path;

/// What kind of difference there is, to keep a shrunk unit failing the same way.
pub(crate) fn signature(ours: &Outcome, theirs: &Outcome) -> Option<String> {
    match (ours, theirs) {
        (Outcome::Refused(_), Outcome::Refused(_)) => None,
        (Outcome::Refused(_), Outcome::Scored { .. }) => Some("we refuse".into()),
        (Outcome::Scored { .. }, Outcome::Refused(why)) => {
            Some(format!("systemd refuses: {}", refusal_key(why)))
        }
        (
            Outcome::Scored {
                unit: u1,
                exposure: e1,
                predicate: p1,
                rows: r1,
            },
            Outcome::Scored {
                unit: u2,
                exposure: e2,
                predicate: p2,
                rows: r2,
            },
        ) => {
            if u1 != u2 {
                return Some("unit name".into());
            }
            let fields: Vec<&str> = differing_rows(r1, r2).iter().map(|(f, _, _)| *f).collect();
            if !fields.is_empty() {
                return Some(fields.join(" "));
            }
            if r1 != r2 {
                return Some("row order".into());
            }
            (e1 != e2 || p1 != p2).then(|| "summary".into())
        }
    }
}

/// The gist of why systemd refused a unit: the message before "fatal error", or the
/// "Refusing" line, without file, line number and value.
pub(crate) fn refusal_key(why: &str) -> String {
    let lines: Vec<&str> = why.lines().collect();
    let mut key = lines.iter().find(|l| l.contains("Refusing")).copied();
    if let Some(i) = lines
        .iter()
        .position(|l| l.contains("Unit configuration has fatal error"))
    {
        key = i.checked_sub(1).map(|j| lines[j]);
    }
    let Some(k) = key else {
        return lines.last().copied().unwrap_or("").to_owned();
    };
    // Drop "/path/file:LINE: " or "NAME: ".
    let k = match k.find(": ") {
        Some(i) => &k[i + 2..],
        None => k,
    };
    let k = k.rsplit_once(": ").map_or(k, |(a, _)| a);
    k.to_owned()
}

/// Rows that differ, by `json_field`: (field, ours, systemd's).
pub(crate) fn differing_rows<'a>(
    r1: &'a [Value],
    r2: &'a [Value],
) -> Vec<(&'a str, Option<&'a Value>, Option<&'a Value>)> {
    let key = |v: &'a Value| v["json_field"].as_str().unwrap_or("");
    let m1: HashMap<&str, &Value> = r1.iter().map(|v| (key(v), v)).collect();
    let m2: HashMap<&str, &Value> = r2.iter().map(|v| (key(v), v)).collect();
    let mut out = Vec::new();
    for v in r1.iter().chain(r2) {
        let k = key(v);
        let (a, b) = (m1.get(k).copied(), m2.get(k).copied());
        if a != b && !out.iter().any(|(f, _, _)| *f == k) {
            out.push((k, a, b));
        }
    }
    out
}

/// A readable account of the difference.
pub(crate) fn explain(ours: &Outcome, theirs: &Outcome) -> String {
    match (ours, theirs) {
        (
            Outcome::Refused(why),
            Outcome::Scored {
                exposure,
                predicate,
                ..
            },
        ) => {
            format!("we refuse it ({why}); systemd scores it {exposure} {predicate}")
        }
        (
            Outcome::Scored {
                exposure,
                predicate,
                ..
            },
            Outcome::Refused(why),
        ) => {
            format!("systemd refuses it:\n{why}\n  we score it {exposure} {predicate}")
        }
        (
            Outcome::Scored {
                unit: u1,
                exposure: e1,
                predicate: p1,
                rows: r1,
            },
            Outcome::Scored {
                unit: u2,
                exposure: e2,
                predicate: p2,
                rows: r2,
            },
        ) => {
            let mut s = format!("ours: {u1} {e1} {p1}; systemd: {u2} {e2} {p2}\n");
            let rows = differing_rows(r1, r2);
            for (f, a, b) in &rows {
                let show = |v: Option<&Value>| v.map_or("(missing)".to_owned(), |v| v.to_string());
                let _ = writeln!(
                    s,
                    "  {f}:\n    ours    {}\n    systemd {}",
                    show(*a),
                    show(*b)
                );
            }
            if rows.is_empty() && r1 != r2 {
                let names = |r: &[Value]| -> String {
                    r.iter()
                        .map(|v| v["name"].as_str().unwrap_or("").to_owned())
                        .collect::<Vec<_>>()
                        .join(", ")
                };
                let _ = writeln!(
                    s,
                    "  row order differs:\n    ours    {}\n    systemd {}",
                    names(r1),
                    names(r2)
                );
            }
            s
        }
        _ => String::new(),
    }
}

pub(crate) fn render(c: &Case) -> String {
    // Make the invisible characters that matter to the parser visible.
    let show = |t: &str| {
        t.replace('\r', "<CR>")
            .replace('\u{feff}', "<BOM>")
            .replace('\0', "<NUL>")
    };
    let mut s = format!("==> {} <==\n{}", c.file, show(&c.main));
    for (n, t) in &c.dropins {
        let _ = write!(s, "==> {}.d/{n} <==\n{}", c.file, show(t));
    }
    s
}

/// Shrinks a mismatching case by dropping drop-ins and single lines while it still mismatches
/// the same way (same [`signature`]).
pub(crate) fn shrink(dir: &Path, c: &Case, sig: &str, t: &Target) -> Case {
    let still = |c: &Case| {
        signature(&ours(c, t), &theirs(dir, std::slice::from_ref(c), t)[0]).as_deref() == Some(sig)
    };
    let mut best = c.clone();
    let mut i = 0;
    while i < best.dropins.len() {
        let mut t = best.clone();
        t.dropins.remove(i);
        if still(&t) {
            best = t;
        } else {
            i += 1;
        }
    }
    // File 0 is the unit file, then the drop-ins.
    for f in 0..=best.dropins.len() {
        let text = if f == 0 {
            &best.main
        } else {
            &best.dropins[f - 1].1
        };
        let mut lines: Vec<String> = text.lines().map(str::to_owned).collect();
        let mut j = lines.len();
        while j > 0 {
            j -= 1;
            let mut cand = lines.clone();
            cand.remove(j);
            let mut joined = cand.join("\n");
            if !cand.is_empty() {
                joined.push('\n');
            }
            let mut t = best.clone();
            if f == 0 {
                t.main = joined;
            } else {
                t.dropins[f - 1].1 = joined;
            }
            if still(&t) {
                best = t;
                lines = cand;
            }
        }
    }
    best
}
