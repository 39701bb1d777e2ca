//! Classroom mode: the "Create exercise" dialog that makes a teacher's link from the current
//! unit, and, for a page opened from an exercise link, the goal, the progress towards it, the
//! hints folded away, and the "Solved" state with the diff and the answer link. The rules (the
//! goal, the solved rule, the diff) are core's `exercise`; this only renders them.
//!
//! The hidden help is folded, not secret: the page still computes it, and a style rule hides
//! it (`.hide-advice`, `.hide-fixes` on the result pane) until "Show hints".

use exposure_core::advise::Advice;
use exposure_core::exercise::{self, DiffLine, Exercise, Hide, Status};
use exposure_core::report::Tenths;
use exposure_core::{Analysis, Options, analyze};
use yew::prelude::*;

use super::{Dispatcher, checked, make_callback, value_of};
use crate::dom;
use crate::state::{Action, AppState};

/// What the teacher has typed and ticked in the dialog so far.
#[derive(Clone, PartialEq)]
pub struct Form {
    /// The goal as typed (empty: the suggested override's predicted score).
    goal: UseStateHandle<String>,
    hide_advice: UseStateHandle<bool>,
    hide_fixes: UseStateHandle<bool>,
    /// The link copied last (the button says so until the link changes).
    copied: UseStateHandle<Option<String>>,
}

#[hook]
pub fn use_form() -> Form {
    Form {
        goal: use_state(String::new),
        hide_advice: use_state(|| true),
        hide_fixes: use_state(|| true),
        copied: use_state(|| None),
    }
}

/// The score of the text the exercise started from (for the progress bar), analyzed once per
/// exercise and version.
#[hook]
pub fn use_start_score(state: &AppState) -> Option<Tenths> {
    let original = state.exercise.as_ref().and_then(|e| e.original.clone());
    let score = use_memo(
        (original, state.kind, state.version, state.unit_name.clone()),
        |(original, kind, version, unit_name)| {
            let original = original.as_deref()?;
            let opts = Options {
                kind: *kind,
                version: *version,
                unit_name: unit_name.clone(),
                ..Options::default()
            };
            exercise::score_of(&analyze(original, &opts))
        },
    );
    *score
}

/// The result pane's classes that fold the help an exercise hides, until "Show hints".
pub fn folded(state: &AppState) -> Classes {
    let hide = match &state.exercise {
        Some(e) if !state.hints_shown => e.hide,
        _ => Hide::default(),
    };
    classes!(
        hide.advice.then_some("hide-advice"),
        hide.fixes.then_some("hide-fixes")
    )
}

/// A link and the button that copies the whole address.
fn copy_link(
    fragment: &str,
    (testid, copy_id): (&'static str, &'static str),
    label: &str,
    copied: &UseStateHandle<Option<String>>,
) -> Html {
    html! {
        <p class="exercise-link">
            <a data-testid={testid} href={fragment.to_owned()}>{ label.to_owned() }</a>
            { " " }
            { super::share::copy_button(&dom::page_url(fragment), fragment, copy_id, copied) }
        </p>
    }
}

/// "Create exercise": the goal, the help to hide, and the teacher's link (outside classroom
/// mode). The goal proposed is what the suggested override reaches.
pub fn create_view(state: &AppState, form: &Form, advice: Option<&Advice>) -> Html {
    let suggested = advice.map(|a| a.exposure_after.to_string());
    let typed = form.goal.trim();
    let goal = if typed.is_empty() {
        suggested.as_deref().and_then(exercise::parse_goal)
    } else {
        exercise::parse_goal(typed)
    };
    let hide = Hide {
        advice: *form.hide_advice,
        fixes: *form.hide_fixes,
    };
    let link = goal.map(|goal| {
        AppState {
            exercise: Some(Exercise {
                goal,
                hide,
                original: None,
            }),
            ..state.clone()
        }
        .fragment_with(&state.input)
    });
    let on_goal = {
        let g = form.goal.clone();
        Callback::from(move |e: InputEvent| g.set(value_of(&e).unwrap_or_default()))
    };
    let on_hide = |h: &UseStateHandle<bool>| {
        let h = h.clone();
        Callback::from(move |e: Event| h.set(checked(&e).unwrap_or(false)))
    };
    html! {
        <details class="exercise-create" data-testid="exercise-create">
            <summary>{ "Create exercise" }</summary>
            <p class="muted">
                { "A link for students: this unit, a goal score, and the help you choose folded \
                   away behind \u{201c}Show hints\u{201d}." }
            </p>
            <label class="goal">
                { "Goal: exposure at most " }
                <input type="text" inputmode="decimal" size="4" data-testid="exercise-goal"
                    placeholder={suggested.clone().unwrap_or_else(|| "3.0".to_owned())}
                    value={(*form.goal).clone()} oninput={on_goal} />
            </label>
            if goal.is_none() {
                <p class="link-warning" role="status" data-testid="exercise-goal-error">
                    { "The goal is a score from 0.0 to 10.0, with one decimal at most." }
                </p>
            }
            <fieldset>
                <legend>{ "Fold away" }</legend>
                <label>
                    <input type="checkbox" data-testid="exercise-hide-advice"
                        checked={hide.advice} onchange={on_hide(&form.hide_advice)} />
                    { " the suggested override" }
                </label>
                <label>
                    <input type="checkbox" data-testid="exercise-hide-fixes"
                        checked={hide.fixes} onchange={on_hide(&form.hide_fixes)} />
                    { " each row's fix" }
                </label>
            </fieldset>
            if let Some(link) = &link {
                { copy_link(link, ("exercise-link", "exercise-link-copy"), "Exercise link (for students)", &form.copied) }
            }
        </details>
    }
}

/// The exercise panel of a page opened from an exercise link.
pub fn exercise_view(
    state: &AppState,
    e: &Exercise,
    analysis: &Analysis,
    start: Option<Tenths>,
    d: &Dispatcher,
    copied: &UseStateHandle<Option<String>>,
) -> Html {
    let status = exercise::status(analysis, e.goal);
    let (key, line) = match status {
        Status::Unscored => ("unscored", "Paste or write a service to score.".to_owned()),
        Status::Errors { score, errors } => (
            "errors",
            format!(
                "Score {score}, but {errors} error{} must be fixed first: systemd would not \
                 accept this unit as it is.",
                if errors == 1 { "" } else { "s" }
            ),
        ),
        Status::Working { score } => (
            "working",
            format!("Score {score}: {} to go.", Tenths(score.0 - e.goal.0)),
        ),
        Status::Solved { score } => ("solved", format!("Score {score}: the goal is reached.")),
    };
    let now = match status {
        Status::Errors { score, .. } | Status::Working { score } | Status::Solved { score } => {
            Some(score)
        }
        Status::Unscored => None,
    };
    let percent = match (start, now) {
        (Some(s), Some(n)) if !matches!(status, Status::Errors { .. }) => {
            exercise::progress_percent(s, n, e.goal)
        }
        _ => 0,
    };
    let original = e.original.as_deref().unwrap_or_default();
    let edited = *state.input != *original;
    let answer = state.share_fragment();
    let on_hints = make_callback(d, |_: MouseEvent| Action::ShowHints);
    let on_leave = make_callback(d, |_: MouseEvent| Action::LeaveExercise);
    html! {
        <section class={classes!("exercise", format!("exercise-{key}"))} data-testid="exercise"
            data-status={key} aria-label="Exercise">
            <h2>{ format!("Exercise: bring the exposure down to {} or below", e.goal) }</h2>
            <p class="muted">{ "Edit the unit: once it has no errors and scores at or below the goal, it is solved." }</p>
            <label class="exercise-progress">
                <span data-testid="exercise-status" role="status">{ line }</span>
                <progress max="100" value={percent.to_string()} data-testid="exercise-progress"
                    data-percent={percent.to_string()}>{ format!("{percent}%") }</progress>
                if let Some(start) = start {
                    <span class="muted">{ format!("started at {start}, goal {}", e.goal) }</span>
                }
            </label>
            if e.hide.any() && !state.hints_shown {
                <p>
                    <button type="button" data-testid="exercise-show-hints" onclick={on_hints}>
                        { "Show hints" }
                    </button>
                    <span class="muted">{ format!(" (folded away: {})", folded_names(e.hide)) }</span>
                </p>
            }
            if status.is_solved() {
                <div class="solved-box" data-testid="exercise-solved">
                    <p class="solved"><strong>{ "\u{2713} Solved" }</strong>
                        { format!(" \u{2014} from {} to {}.",
                            start.map(|s| s.to_string()).unwrap_or_default(),
                            now.map(|s| s.to_string()).unwrap_or_default()) }</p>
                    <p>{ "Your changes:" }</p>
                    { diff_view(&exercise::line_diff(original, &state.input)) }
                </div>
            }
            if edited {
                { copy_link(&answer, ("answer-link", "answer-link-copy"), "Answer link (your text, the goal and the original)", copied) }
            }
            <p>
                <button type="button" class="quiet" data-testid="exercise-leave" onclick={on_leave}>
                    { "Leave the exercise" }
                </button>
            </p>
        </section>
    }
}

fn folded_names(hide: Hide) -> &'static str {
    match (hide.advice, hide.fixes) {
        (true, true) => "the suggested override and each row's fix",
        (true, false) => "the suggested override",
        _ => "each row's fix",
    }
}

/// The line diff, one line each, marked as a unified diff marks them.
fn diff_view(diff: &[DiffLine]) -> Html {
    html! {
        <pre class="diff" data-testid="exercise-diff">
            { for diff.iter().map(|l| {
                let (class, mark, text) = l.parts();
                html! { <span class={classes!("diff-line", class)}>{ format!("{mark}{text}\n") }</span> }
            }) }
        </pre>
    }
}
