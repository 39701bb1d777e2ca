//! The page: one Yew component, [`App`], over [`AppState`] (a reducer, see
//! [`crate::state`]). Its hooks ([`crate::hooks`]) derive the analysis, the advice, the
//! paused large text and the link; its plain view functions ([`crate::views`]) render them.
//! (One component on purpose: a child component was seen to keep rendering stale props.)
//!
//! User text is only ever rendered as text nodes and attribute values (never as HTML).

use yew::prelude::*;

use crate::hooks::{
    use_advice, use_analysis, use_keeper, use_link_opened, use_open_row_shown, use_paused_text,
    use_share,
};
use crate::state::AppState;
use crate::text::Text;
use crate::views::units::Assessment;
use crate::views::{diagnostics, editor, exercise, header, learn, print, share, units};
use crate::{dom, view};

#[function_component(App)]
pub fn app() -> Html {
    let state = use_reducer(|| AppState::open(&dom::fragment(), dom::kept()));
    let d = state.dispatcher();
    let textarea = use_node_ref();
    let gutter = use_node_ref();
    let menu = use_node_ref();
    let link_copied = use_state(|| None::<String>);
    let dropin_copied = use_state(|| None::<String>);
    use_effect_with(state.theme, |theme| dom::apply_theme(*theme));

    let slow_source = use_paused_text(&state.input);
    use_keeper(&state, &slow_source);
    use_link_opened(d.clone());
    let analyzed = use_analysis(&state);
    use_open_row_shown(&state, analyzed.pending);
    let advised = use_advice(&state, &slow_source, &analyzed);
    let share = use_share(&state, &slow_source);
    let diagnostics = analyzed.diagnostics();
    let exercise_form = exercise::use_form();
    let exercise_start = exercise::use_start_score(&state);
    let learning = learn::use_learn(&state);

    // Files dropped anywhere on the page open; the browser must not navigate to them.
    let on_files = header::open_files(&d);
    let ondragover = Callback::from(|e: DragEvent| e.prevent_default());
    let ondrop = {
        let on_files = on_files.clone();
        Callback::from(move |e: DragEvent| {
            e.prevent_default();
            if let Some(list) = e.data_transfer().and_then(|d| d.files())
                && list.length() > 0
            {
                on_files.emit(list);
            }
        })
    };
    let on_goto = {
        let (textarea, text) = (textarea.clone(), state.input.clone());
        Callback::from(move |(start, end)| editor::select_range(&textarea, &text, start, end))
    };
    let goto_line = {
        let (on_goto, lines, len) = (on_goto.clone(), analyzed.lines.clone(), state.input.len());
        Callback::from(move |line| {
            if let Some(range) = lines.range(line, len) {
                on_goto.emit(range);
            }
        })
    };
    // A text with no service yet gets what to paste instead of a score of defaults.
    let awaiting = analyzed
        .small
        .then(|| view::awaiting(&state.input, analyzed.analysis.kind))
        .flatten();
    let assessment = Assessment {
        analysis: &analyzed.analysis,
        advice: &advised.advice,
        strip: &advised.strip,
        dropin_copied: &dropin_copied,
        advice_stale: !Text::ptr_eq(&slow_source, &state.input),
        too_large: !analyzed.small,
        awaiting,
        goto_line,
    };

    html! {
        <div class="page" {ondragover} {ondrop}>
            { header::header_view(&state, &d, &on_files, &menu) }
            { header::notices_view(&state, &d) }
            { learn::trial_banner(&learning, &state, &d) }
            if learning.open() {
                { learn::learn_view(&learning, &state,
                    &learn::Target { analysis: &analyzed.analysis, small: analyzed.small }, &d) }
            } else {
            { print::unit_text(&state.input, analyzed.small) }
            <main class="panes">
                <section class="pane input-pane" aria-label="Unit file">
                    { editor::pane_head(&state, &analyzed, &d) }
                    { editor::input_view(&state, &analyzed, &d, &textarea, &gutter) }
                    { share::share_view(share.as_deref(), &slow_source, &link_copied) }
                    if state.exercise.is_none() && analyzed.small {
                        { exercise::create_view(&state, &exercise_form, advised.advice.first()) }
                    }
                </section>
                <section class={classes!("pane", "result-pane", exercise::folded(&state))}
                    aria-label="Assessment">
                    if let (Some(e), false) = (&state.exercise, analyzed.pending) {
                        { exercise::exercise_view(&state, e, &analyzed.analysis, exercise_start,
                            &d, &link_copied) }
                    }
                    if analyzed.pending {
                        <p class="pending muted" role="status" data-testid="pending">
                            { match analyzed.progress {
                                Some((done, total)) => format!(
                                    "Analyzing the text: {done} of {total} units\u{2026}"),
                                None => "Analyzing the text\u{2026}".to_owned(),
                            } }
                        </p>
                    }
                    if awaiting != Some(view::Awaiting::Nothing) {
                        { diagnostics::diagnostics_view(&diagnostics, &analyzed.lines, &on_goto) }
                    }
                    if !analyzed.pending {
                        { units::units_view(&assessment, &state, &d) }
                    }
                </section>
            </main>
            }
            <footer class="bottom muted">
                { "Exposure computes what systemd-analyze security reports, without running systemd. \
                   Your text never leaves this page." }
            </footer>
        </div>
    }
}
