//! The input side of the page: the editor with its line numbers, the read-only preview of a
//! text too large to edit, and how the text is read.

use wasm_bindgen::JsCast;
use web_sys::HtmlTextAreaElement;
use yew::prelude::*;

use super::{Dispatcher, make_callback, on_value};
use crate::hooks::Analyzed;
use crate::state::{Action, AppState, EDIT_LIMIT, Source};
use crate::text::Text;
use crate::{dom, kinds, view};

/// The pane head: what the text is, and how it is read (detected, or the kind forced).
pub fn pane_head(state: &AppState, analyzed: &Analyzed, d: &Dispatcher) -> Html {
    let source = match state.source {
        Source::Example => "example unit",
        Source::Link => "opened from a link",
        Source::Edited => "your text",
        Source::Stored => "your text from last time",
        Source::Files => "opened files",
    };
    let on_kind = on_value(d, |v| Some(Action::ForceKind(kinds::from_value(&v))));
    html! {
        <div class="pane-head">
            <h2>{ "Unit" }</h2>
            <span class="muted">{ source }</span>
            <label class="kind">
                { "Read as " }
                <select onchange={on_kind} data-testid="kind">
                    <option value="" selected={state.kind.is_none()}>
                        { format!("detect ({})", analyzed.analysis.kind.label()) }
                    </option>
                    { for kinds::KINDS.iter().map(|(k, value)| html! {
                        <option value={*value} selected={state.kind == Some(*k)}>
                            { k.label() }
                        </option>
                    }) }
                </select>
            </label>
        </div>
    }
}

/// The editor, or the preview of a text too large for it.
pub fn input_view(
    state: &AppState,
    analyzed: &Analyzed,
    d: &Dispatcher,
    textarea: &NodeRef,
    gutter: &NodeRef,
) -> Html {
    let lines = &analyzed.lines;
    if !analyzed.small {
        let on_clear = make_callback(d, |_: MouseEvent| Action::Clear);
        return big_text_view(
            &state.input,
            (!analyzed.pending).then(|| lines.count()),
            &on_clear,
        );
    }
    editor_view(EditorProps {
        text: &state.input,
        marks: view::line_marks(&analyzed.diagnostics(), lines),
        lines: lines.count(),
        node: textarea.clone(),
        gutter: gutter.clone(),
        on_edit: make_callback(d, Action::Edit),
    })
}

/// Selects `start..end` (bytes of `text`) in the text area and scrolls it into view.
pub fn select_range(textarea: &NodeRef, text: &str, start: usize, end: usize) {
    if let Some(ta) = textarea.cast::<HtmlTextAreaElement>() {
        let (from, to) = view::utf16_range(text, start, end);
        let _ = ta.focus();
        let _ = ta.set_selection_range(from, to);
    }
}

/// What the editor shows and reports.
pub struct EditorProps<'a> {
    pub text: &'a str,
    /// Lines with diagnostics: the worst severity and its message.
    pub marks: view::Marks,
    /// How many lines the text area shows.
    pub lines: usize,
    /// The text area and its gutter.
    pub node: NodeRef,
    pub gutter: NodeRef,
    pub on_edit: Callback<String>,
}

/// The text area with a line-number gutter that scrolls with it.
fn editor_view(props: EditorProps<'_>) -> Html {
    let gutter = props.gutter.clone();
    let oninput = {
        let on_edit = props.on_edit.clone();
        Callback::from(move |e: InputEvent| {
            if let Some(ta) = e.target_dyn_into::<HtmlTextAreaElement>() {
                on_edit.emit(ta.value());
            }
        })
    };
    let onscroll = {
        let gutter = gutter.clone();
        Callback::from(move |e: Event| {
            if let (Some(ta), Some(g)) = (
                e.target()
                    .and_then(|t| t.dyn_into::<HtmlTextAreaElement>().ok()),
                gutter.cast::<web_sys::Element>(),
            ) {
                g.set_scroll_top(ta.scroll_top());
            }
        })
    };
    // A paste that would make the text larger than the text area can take (bytes, lines or
    // line length) goes to the state instead (the page then shows a read-only preview);
    // smaller ones are the browser's.
    let onpaste = {
        let on_edit = props.on_edit.clone();
        Callback::from(move |e: Event| {
            let Some(ta) = e
                .target()
                .and_then(|t| t.dyn_into::<HtmlTextAreaElement>().ok())
            else {
                return;
            };
            let Some(pasted) = e
                .dyn_ref::<web_sys::ClipboardEvent>()
                .and_then(|c| c.clipboard_data())
                .and_then(|d| dom::clipboard_value(&d))
            else {
                return;
            };
            let current = ta.value();
            let from = ta.selection_start().ok().flatten().unwrap_or(0);
            let to = ta.selection_end().ok().flatten().unwrap_or(from);
            // Each UTF-16 unit is at least a byte: this paste is too large for the text area
            // whatever it holds, and large enough to be brought in a slice per task.
            if pasted.length() as usize > EDIT_LIMIT {
                e.prevent_default();
                let on_edit = on_edit.clone();
                dom::string_in_steps(pasted, move |pasted| {
                    on_edit.emit(view::paste_into(&current, from, to, &pasted));
                });
                return;
            }
            let Some(pasted) = dom::string_from_js(&pasted.into()) else {
                return;
            };
            let after = view::paste_into(&current, from, to, &pasted);
            if view::editable_text(&after) {
                return;
            }
            e.prevent_default();
            on_edit.emit(after);
        })
    };
    let gutter_parts = gutter_view(props.lines, &props.marks);
    html! {
        // The gutter's width is set by the digits of the last line number (at most 4: the
        // editor takes 5,000 lines) rather than measured from its content: measuring 4,700
        // numbers again made each keystroke lay out the whole editor (290 ms).
        <div class={classes!("editor", (props.lines > 999).then_some("digits-4"))}>
            <div class="gutter" aria-hidden="true" ref={gutter}>{ gutter_parts }</div>
            <textarea ref={props.node.clone()} data-testid="unit-input" value={props.text.to_owned()}
                {oninput} {onscroll} {onpaste} spellcheck="false" autocomplete="off" autocapitalize="off"
                wrap="off" aria-label="Unit file text"
                placeholder="Paste a unit file, `systemctl cat` or `systemctl show` output" />
        </div>
    }
}

/// The most lines the gutter marks (a text of garbage can have a diagnostic on every line).
const GUTTER_MARKS: usize = 1000;

/// The gutter's line numbers: one text node per run of unmarked lines and a `<span>` per
/// marked line (its class says the worst severity, its title the message), so that a text of
/// 100,000 lines costs a few nodes rather than 100,000 elements on every keystroke.
fn gutter_view(lines: usize, marks: &view::Marks) -> Html {
    use std::fmt::Write;
    let mut parts: Vec<Html> = Vec::new();
    let mut run = String::new();
    let mut marks = marks
        .iter()
        .filter(|(l, _)| *l as usize <= lines)
        .take(GUTTER_MARKS)
        .peekable();
    for n in 1..=lines {
        match marks.next_if(|(l, _)| *l as usize == n) {
            Some((_, (severity, message))) => {
                if !run.is_empty() {
                    parts.push(html! { { std::mem::take(&mut run) } });
                }
                let class = classes!("mark", format!("mark-{}", view::severity_label(*severity)));
                parts.push(html! { <span {class} title={message.clone()}>{ n }</span> });
            }
            None => {
                let _ = write!(run, "{n}");
            }
        }
        if n < lines {
            run.push('\n');
        }
    }
    if !run.is_empty() {
        parts.push(html! { { run } });
    }
    parts.into_iter().collect()
}

/// Downloads the text as `exposure-input.txt` (shared, not copied: it can be megabytes).
pub fn download_text(text: &Text) -> Callback<MouseEvent> {
    let text = text.clone();
    Callback::from(move |_: MouseEvent| dom::download("exposure-input.txt", &text))
}

/// Lines of a large text shown in its preview.
const PREVIEW_LINES: usize = 60;
/// Characters shown of each previewed line (a text can be one line of 16 MiB).
const PREVIEW_WIDTH: usize = 400;

/// A text too large for the text area (`view::editable`): its size, a preview of its first
/// lines, and what can be done with it. It is analyzed all the same.
fn big_text_view(text: &Text, lines: Option<usize>, on_clear: &Callback<MouseEvent>) -> Html {
    let lines = lines.map_or_else(|| "counting lines".to_owned(), |n| format!("{n} lines"));
    let on_download = download_text(text);
    html! {
        <div class="big-text" data-testid="big-text">
            <p role="status">
                { format!("{} MiB, {lines}: too large to edit here, so it is shown \
                    read-only; it is analyzed all the same. A text this large may not be kept \
                    for your next visit: download it to keep it.", exposure_core::format_mib(text.len())) }
            </p>
            <p>
                <button type="button" onclick={on_download}>{ "Download the text" }</button>
                { " " }
                <button type="button" onclick={on_clear.clone()}>{ "Clear" }</button>
            </p>
            <pre class="preview" aria-label={format!("The first {PREVIEW_LINES} lines")}>
                { view::preview(text, PREVIEW_LINES, PREVIEW_WIDTH) }
            </pre>
        </div>
    }
}
