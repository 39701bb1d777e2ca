//! Classroom mode: an exercise is a unit, a goal score and the help hidden from the student.
//!
//! A teacher's link carries the unit as given (`#unit=…&goal=3.0&hide=advice,fixes`); the
//! student's answer link carries the student's text and the original it started from
//! (`&orig=…`), so whoever opens it sees the final diff. The link grammar itself is in
//! [`crate::link`]; this module is the rules: reading a goal, whether an analysis meets it, the
//! progress towards it, and the line diff between the original and the student's text. Pure.

use crate::Analysis;
use crate::diag::Severity;
use crate::report::Tenths;

/// The help an exercise can hide (behind "Show hints" on the page).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Hide {
    /// The suggested override (the advisor's drop-in and its predicted score).
    pub advice: bool,
    /// The per-row fixes of the breakdown (what to write to pass each check).
    pub fixes: bool,
}

impl Hide {
    /// The `hide=` value: `advice`, `fixes`, `advice,fixes`, or `None` when nothing is hidden.
    pub fn as_link(self) -> Option<String> {
        let parts: Vec<&str> = [(self.advice, "advice"), (self.fixes, "fixes")]
            .into_iter()
            .filter_map(|(on, name)| on.then_some(name))
            .collect();
        (!parts.is_empty()).then(|| parts.join(","))
    }

    /// Reads a `hide=` value; words it does not know are ignored (a newer link still opens).
    pub fn parse(value: &str) -> Hide {
        let mut hide = Hide::default();
        for word in value.split(',') {
            match word {
                "advice" => hide.advice = true,
                "fixes" => hide.fixes = true,
                _ => {}
            }
        }
        hide
    }

    pub fn any(self) -> bool {
        self.advice || self.fixes
    }
}

/// An exercise as a link carries it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Exercise {
    /// Solved once the exposure is at most this.
    pub goal: Tenths,
    pub hide: Hide,
    /// In a student's answer link: the text the exercise started from (the link's own text is
    /// the student's). `None` in the teacher's link, whose text is the original.
    pub original: Option<String>,
}

/// The highest goal a link may set: systemd's scale ends at 10.0.
pub const MAX_GOAL: Tenths = Tenths(100);

/// Reads a goal score: `3`, `3.0` or `3.5` (one decimal at most), from 0.0 to 10.0. Anything
/// else is `None`.
pub fn parse_goal(value: &str) -> Option<Tenths> {
    let value = value.trim();
    let (whole, tenth) = value.split_once('.').unwrap_or((value, "0"));
    let digits = |s: &str, max_len: usize| {
        !s.is_empty() && s.len() <= max_len && s.bytes().all(|b| b.is_ascii_digit())
    };
    if !digits(whole, 2) || !digits(tenth, 1) {
        return None;
    }
    let tenths = whole.parse::<u32>().ok()? * 10 + tenth.parse::<u32>().ok()?;
    (tenths <= MAX_GOAL.0).then_some(Tenths(tenths))
}

/// Where the student stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// No unit to score (an empty text, or no `[Service]` yet).
    Unscored,
    /// The text has diagnostics of severity error (systemd would refuse it, or a line cannot
    /// be read): not solved, whatever the score.
    Errors { score: Tenths, errors: usize },
    /// Scored, above the goal.
    Working { score: Tenths },
    /// At or below the goal, with no error.
    Solved { score: Tenths },
}

impl Status {
    pub fn is_solved(self) -> bool {
        matches!(self, Status::Solved { .. })
    }
}

/// The score an exercise is judged by: the highest exposure among the text's units (an
/// exercise is usually one unit; with several, every one must reach the goal).
pub fn score_of(analysis: &Analysis) -> Option<Tenths> {
    analysis.units.iter().map(|u| u.exposure).max()
}

/// The number of diagnostics of severity error, of the text and of its units.
pub fn errors_of(analysis: &Analysis) -> usize {
    analysis
        .diagnostics
        .iter()
        .chain(analysis.units.iter().flat_map(|u| &u.diagnostics))
        .filter(|d| d.severity == Severity::Error)
        .count()
        + analysis
            .units
            .iter()
            .filter(|u| u.refused.is_some())
            .count()
}

/// The solved rule: a scored text whose exposure is at most the goal, with no diagnostic of
/// severity error and no unit systemd would refuse.
pub fn status(analysis: &Analysis, goal: Tenths) -> Status {
    let Some(score) = score_of(analysis) else {
        return Status::Unscored;
    };
    match errors_of(analysis) {
        0 if score <= goal => Status::Solved { score },
        0 => Status::Working { score },
        errors => Status::Errors { score, errors },
    }
}

/// How far the score has come from where the exercise started towards the goal, in percent
/// (0 at the start or worse, 100 at the goal or better). A start already at the goal is 100.
pub fn progress_percent(start: Tenths, now: Tenths, goal: Tenths) -> u32 {
    if now <= goal || start <= goal {
        return 100;
    }
    if now >= start {
        return 0;
    }
    (start.0 - now.0) * 100 / (start.0 - goal.0)
}

/// One line of a [`line_diff`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DiffLine {
    Same(String),
    Removed(String),
    Added(String),
}

/// Above this many cells (lines of the original × lines of the answer) the diff does not look
/// for the longest common run of the middle part: it shows it removed and added.
const DIFF_CELLS: usize = 4_000_000;

/// The line diff from `old` to `new`: lines kept, removed and added, in order, following a
/// longest common subsequence of lines (the common first and last lines are matched first).
/// A removed line comes before the line added in its place.
pub fn line_diff(old: &str, new: &str) -> Vec<DiffLine> {
    let a: Vec<&str> = old.lines().collect();
    let b: Vec<&str> = new.lines().collect();
    let head = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let tail = a[head..]
        .iter()
        .rev()
        .zip(b[head..].iter().rev())
        .take_while(|(x, y)| x == y)
        .count();
    let (ma, mb) = (&a[head..a.len() - tail], &b[head..b.len() - tail]);
    let mut out: Vec<DiffLine> = a[..head].iter().map(|l| same(l)).collect();
    if ma.len().saturating_mul(mb.len()) > DIFF_CELLS {
        out.extend(ma.iter().map(|l| DiffLine::Removed((*l).to_owned())));
        out.extend(mb.iter().map(|l| DiffLine::Added((*l).to_owned())));
    } else {
        // lcs[i][j]: the longest common subsequence of ma[i..] and mb[j..].
        let w = mb.len() + 1;
        let mut lcs = vec![0u32; (ma.len() + 1) * w];
        for i in (0..ma.len()).rev() {
            for j in (0..mb.len()).rev() {
                lcs[i * w + j] = if ma[i] == mb[j] {
                    lcs[(i + 1) * w + j + 1] + 1
                } else {
                    lcs[(i + 1) * w + j].max(lcs[i * w + j + 1])
                };
            }
        }
        let (mut i, mut j) = (0, 0);
        while i < ma.len() || j < mb.len() {
            if i < ma.len() && j < mb.len() && ma[i] == mb[j] {
                out.push(same(ma[i]));
                (i, j) = (i + 1, j + 1);
            } else if i < ma.len() && (j == mb.len() || lcs[(i + 1) * w + j] >= lcs[i * w + j + 1])
            {
                out.push(DiffLine::Removed(ma[i].to_owned()));
                i += 1;
            } else {
                out.push(DiffLine::Added(mb[j].to_owned()));
                j += 1;
            }
        }
    }
    out.extend(a[a.len() - tail..].iter().map(|l| same(l)));
    out
}

impl DiffLine {
    /// The line's kind (`same`, `removed`, `added`), its unified-diff marker (`  `, `- `,
    /// `+ `) and its text.
    pub fn parts(&self) -> (&'static str, &'static str, &str) {
        match self {
            DiffLine::Same(t) => ("same", "  ", t),
            DiffLine::Removed(t) => ("removed", "- ", t),
            DiffLine::Added(t) => ("added", "+ ", t),
        }
    }
}

fn same(line: &str) -> DiffLine {
    DiffLine::Same(line.to_owned())
}

/// The diff as text, one line each: `  ` kept, `- ` removed, `+ ` added (a unified diff's
/// markers, without its headers).
pub fn diff_text(diff: &[DiffLine]) -> String {
    let mut out = String::new();
    for line in diff {
        let (_, mark, text) = line.parts();
        out.push_str(mark);
        out.push_str(text);
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Options, Version, analyze};

    const BARE: &str = "[Service]\nExecStart=/usr/bin/sleep infinity\n";

    fn opts() -> Options {
        Options {
            version: Version::parse("252").unwrap(),
            ..Options::default()
        }
    }

    #[test]
    fn goals_are_read_with_one_decimal_from_0_to_10() {
        assert_eq!(parse_goal("3.0"), Some(Tenths(30)));
        assert_eq!(parse_goal("3"), Some(Tenths(30)));
        assert_eq!(parse_goal(" 4.5 "), Some(Tenths(45)));
        assert_eq!(parse_goal("0"), Some(Tenths(0)));
        assert_eq!(parse_goal("10.0"), Some(Tenths(100)));
        for bad in [
            "", ".", "3.", ".5", "3.25", "10.1", "11", "-1", "3,0", "1e1", "abc", "100",
        ] {
            assert_eq!(parse_goal(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn hide_round_trips_and_ignores_unknown_words() {
        for hide in [
            Hide::default(),
            Hide {
                advice: true,
                fixes: false,
            },
            Hide {
                advice: false,
                fixes: true,
            },
            Hide {
                advice: true,
                fixes: true,
            },
        ] {
            assert_eq!(Hide::parse(&hide.as_link().unwrap_or_default()), hide);
        }
        assert_eq!(Hide::default().as_link(), None);
        assert_eq!(
            Hide::parse("fixes,later-kind,advice"),
            Hide {
                advice: true,
                fixes: true
            }
        );
    }

    #[test]
    fn a_bare_service_is_working_and_the_advisors_drop_in_solves_it() {
        let a = analyze(BARE, &opts());
        let score = score_of(&a).unwrap();
        assert_eq!(status(&a, Tenths(50)), Status::Working { score });
        // The goal is the score the advisor predicts for its strict drop-in: appending the
        // drop-in's lines must reach it, and so solve the exercise.
        let advice = crate::advise::advise_paste(BARE, &opts(), crate::advise::Tier::Strict);
        let advice = advice.into_iter().next().expect("advice for the unit");
        let goal = advice.exposure_after;
        assert!(goal < score, "{goal} vs {score}");
        let solved_text = format!("{BARE}{}", advice.dropin);
        let solved = analyze(&solved_text, &opts());
        assert_eq!(status(&solved, goal), Status::Solved { score: goal });
        // A goal at the exact score counts as reached; one tenth below does not.
        assert!(!status(&solved, Tenths(goal.0 - 1)).is_solved());
    }

    #[test]
    fn an_error_blocks_the_solution_whatever_the_score() {
        // A bad section header: systemd refuses the file.
        let text = format!("{BARE}[Service\n");
        let a = analyze(&text, &opts());
        let Status::Errors { errors, .. } = status(&a, MAX_GOAL) else {
            panic!("{:?}", status(&a, MAX_GOAL));
        };
        assert!(errors > 0);
        // An empty text (no ExecStart=: refused) solves nothing either.
        assert!(!status(&analyze("", &opts()), MAX_GOAL).is_solved());
        let none = Analysis {
            kind: crate::InputKind::UnitFile,
            units: Vec::new(),
            diagnostics: Vec::new(),
        };
        assert_eq!(status(&none, MAX_GOAL), Status::Unscored);
    }

    #[test]
    fn progress_runs_from_the_start_to_the_goal() {
        assert_eq!(progress_percent(Tenths(92), Tenths(92), Tenths(30)), 0);
        assert_eq!(progress_percent(Tenths(92), Tenths(96), Tenths(30)), 0);
        assert_eq!(progress_percent(Tenths(90), Tenths(60), Tenths(30)), 50);
        assert_eq!(progress_percent(Tenths(90), Tenths(30), Tenths(30)), 100);
        assert_eq!(progress_percent(Tenths(90), Tenths(10), Tenths(30)), 100);
        assert_eq!(progress_percent(Tenths(20), Tenths(40), Tenths(30)), 100);
    }

    #[test]
    fn the_diff_keeps_removes_and_adds_lines_in_order() {
        let old = "[Service]\nExecStart=/bin/x\nUser=root\nPrivateTmp=no\n";
        let new = "[Service]\nExecStart=/bin/x\nUser=app\nPrivateTmp=no\nNoNewPrivileges=yes\n";
        let d = line_diff(old, new);
        assert_eq!(
            diff_text(&d),
            "  [Service]\n  ExecStart=/bin/x\n- User=root\n+ User=app\n  PrivateTmp=no\n+ NoNewPrivileges=yes\n"
        );
        assert!(
            line_diff(old, old)
                .iter()
                .all(|l| matches!(l, DiffLine::Same(_)))
        );
        assert_eq!(line_diff("", "a\n"), vec![DiffLine::Added("a".into())]);
        assert_eq!(
            line_diff("a\nb\n", ""),
            vec![DiffLine::Removed("a".into()), DiffLine::Removed("b".into())]
        );
        // Reordered lines: one kept, the other removed and added.
        let d = line_diff("a\nb\n", "b\na\n");
        assert_eq!(
            d.iter().filter(|l| matches!(l, DiffLine::Same(_))).count(),
            1
        );
        assert_eq!(d.len(), 3);
    }

    #[test]
    fn the_diff_of_very_different_long_texts_stays_bounded() {
        let old: String = (0..3000).map(|i| format!("a{i}\n")).collect();
        let new: String = (0..3000).map(|i| format!("b{i}\n")).collect();
        let d = line_diff(&format!("same\n{old}"), &format!("same\n{new}"));
        assert_eq!(d.len(), 6001);
        assert_eq!(d[0], DiffLine::Same("same".into()));
    }
}

/// README's "Teaching with Exposure" example: its link is what our encoder writes for the unit
/// shown beside it, and the goal it sets is one the advisor's strict drop-in reaches.
#[cfg(test)]
mod readme {
    use super::*;
    use crate::link::LinkState;

    const README: &str = include_str!("../../README.md");

    fn section() -> &'static str {
        let start = README
            .find("## Teaching with Exposure")
            .expect("README has a \"Teaching with Exposure\" section");
        let rest = &README[start + 3..];
        &rest[..rest.find("\n## ").unwrap_or(rest.len())]
    }

    #[test]
    fn the_example_exercise_link_is_ours_and_reachable() {
        let s = section();
        let unit = s
            .split("```ini\n")
            .nth(1)
            .and_then(|b| b.split("```").next())
            .expect("the example unit in an ```ini block");
        let fragment = s
            .split_whitespace()
            .find_map(|w| w.split_once("#unit=").map(|(_, f)| format!("#unit={f}")))
            .expect("an example #unit= link")
            .trim_end_matches(['`', '.', ')', '>'])
            .to_owned();
        let link = LinkState::parse(&fragment).expect("the example link opens");
        assert_eq!(link.text, unit);
        let e = link
            .exercise
            .clone()
            .expect("the example link is an exercise");
        assert_eq!(e.original, None, "the teacher's link carries no original");
        assert_eq!(
            link.fragment(),
            fragment,
            "the link is what our encoder writes"
        );
        let opts = crate::Options {
            version: link.version.unwrap_or_default(),
            ..crate::Options::default()
        };
        let advice = crate::advise::advise_paste(unit, &opts, crate::advise::Tier::Strict);
        let start = score_of(&crate::analyze(unit, &opts)).unwrap();
        assert!(start > e.goal, "the example starts above its goal");
        assert!(
            advice[0].exposure_after <= e.goal,
            "the goal is out of the advisor's reach"
        );
    }
}
