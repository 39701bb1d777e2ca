//! The page: Yew function components over [`AppState`].
//!
//! User text is only ever rendered as text nodes and attribute values (never as HTML).

use exposure_core::advise::{Advice, Tier, advise_paste_leaving_out};
use exposure_core::{Analysis, Diagnostic, Options, Severity, UnitReport, analyze, link};
use gloo::events::EventListener;
use wasm_bindgen::JsCast;
use web_sys::{HtmlInputElement, HtmlSelectElement, HtmlTextAreaElement};
use yew::prelude::*;

use crate::state::{
    ADVICE_PAUSE_MS, ADVISE_LIMIT, Action, AppState, Breakdown, EDIT_LIMIT, LINK_WARN_BYTES,
    LIVE_ADVICE_LIMIT, Snapshot, Sort, Source,
};
use crate::text::Text;
use crate::{dom, example, kinds, steps, suggest, view};

#[function_component(App)]
pub fn app() -> Html {
    let state = use_reducer(|| AppState::open(&dom::fragment(), dom::kept()));
    let textarea = use_node_ref();
    let gutter = use_node_ref();
    let link_copied = use_state(|| None::<String>);
    // The drop-in last put on the clipboard: its button says "Copied" while it is shown.
    let dropin_copied = use_state(|| None::<String>);

    use_effect_with(state.theme, |theme| dom::apply_theme(*theme));

    // What is slow to derive from a long text (the advisor assesses the unit again for each
    // line it considers; the link compresses the whole text; local storage writes it) follows
    // it once typing pauses; a short text is followed on every edit.
    let paused_text = use_state(|| state.input.clone());
    {
        let paused_text = paused_text.clone();
        use_effect_with(state.input.clone(), move |text| {
            let text = text.clone();
            let timeout = (text.len() > LIVE_ADVICE_LIMIT).then(|| {
                gloo::timers::callback::Timeout::new(ADVICE_PAUSE_MS, move || paused_text.set(text))
            });
            move || drop(timeout)
        });
    }
    let slow_source = if state.input.len() <= LIVE_ADVICE_LIMIT {
        state.input.clone()
    } else {
        (*paused_text).clone()
    };
    // Keep the user's work for a reload and for the next tab: a short text on every edit, a
    // long one once typing pauses, and whatever is not written yet at once when the page is
    // hidden or closed. A link's or an example's text is not kept until it is edited.
    // What the page opened with is already kept: writing it again on load would replace the
    // text another tab kept since (this tab's copy came from its own session storage).
    let keeper = use_mut_ref(|| Keeper {
        latest: None,
        written: state.kept(),
    });
    keeper.borrow_mut().latest = state.kept();
    {
        let keeper = keeper.clone();
        // (Only once the slow text caught up with the text shown: a long text being typed is
        // written when typing pauses, never as it was before a link, example or files replaced
        // it.)
        let settled = Text::ptr_eq(&slow_source, &state.input);
        use_effect_with(state.kept().filter(|_| settled), move |snapshot| {
            if let Some(s) = snapshot {
                keeper.borrow_mut().write(s.clone());
            }
        });
    }
    {
        let keeper = keeper.clone();
        use_effect_with((), move |_| {
            let listeners = dom::on_leave(move || keeper.borrow_mut().flush());
            move || drop(listeners)
        });
    }

    // A link opened (or pasted into the address bar) while the page is open.
    {
        let dispatcher = state.dispatcher();
        use_effect_with((), move |_| {
            let listener = EventListener::new(&gloo::utils::window(), "hashchange", move |_| {
                dispatcher.dispatch(Action::OpenFragment(dom::fragment()));
            });
            move || drop(listener)
        });
    }

    // The lines of the text as the text area shows them, counted once per text rather than on
    // every render (the dependency compares by pointer first, see `Text`).
    // (A text over EDIT_LIMIT is numbered by its job, in a task of its own.)
    let lines = use_memo(state.input.clone(), |text| {
        (text.len() <= EDIT_LIMIT).then(|| std::rc::Rc::new(view::Lines::new(text)))
    });
    // A text too large for the text area (by bytes, lines or its longest line, see
    // `view::editable`) is shown read-only and analyzed a few units per browser task
    // (crate::steps), so the page shows it at once and answers input while the analysis runs;
    // smaller texts are analyzed at once, in the same render.
    let small = lines
        .as_ref()
        .as_ref()
        .is_some_and(|l| view::editable(state.input.len(), l));
    let big = use_state(|| None::<steps::Finished>);
    let progress = use_state(|| None::<(usize, usize)>);
    let generation = use_mut_ref(|| std::rc::Rc::new(std::cell::Cell::new(0u64)));
    {
        let (big, progress) = (big.clone(), progress.clone());
        let current = generation.borrow().clone();
        use_effect_with(
            (
                state.input.clone(),
                state.kind,
                state.version,
                state.unit_name.clone(),
                small,
            ),
            move |(text, kind, version, unit_name, small)| {
                current.set(current.get() + 1);
                if !small {
                    progress.set(None);
                    let on_progress = {
                        let progress = progress.clone();
                        Callback::from(move |p| progress.set(Some(p)))
                    };
                    let on_done = Callback::from(move |f| {
                        progress.set(None);
                        big.set(Some(f));
                    });
                    let opts = read_as(*kind, *version, unit_name.as_deref());
                    steps::Job::new(text.clone(), opts, current, on_progress, on_done).schedule();
                }
            },
        );
    }
    // The finished analysis of the large text shown, if its job is done.
    let finished = big.as_ref().filter(|f| {
        !small
            && Text::ptr_eq(&f.text, &state.input)
            && f.opts_kind == state.kind
            && f.opts_version == state.version
            && f.opts_unit_name == state.unit_name
    });
    let pending = !small && finished.is_none();
    // The lines the gutter and the diagnostics number: the text area's, or those the job of
    // a large text counted (none while it runs).
    let lines: std::rc::Rc<view::Lines> = match (lines.as_ref(), finished) {
        (Some(l), _) if small => l.clone(),
        (_, Some(f)) => f.lines.clone(),
        _ => std::rc::Rc::new(view::Lines::new("")),
    };
    let finished = finished.map(|f| f.analysis.clone());

    // Re-analyze whenever the text or the forced kind changes (i.e. on every input event).
    let memo = use_memo(
        (
            small.then(|| state.input.clone()),
            state.kind,
            state.version,
            state.unit_name.clone(),
        ),
        |(text, kind, version, unit_name)| {
            let opts = read_as(*kind, *version, unit_name.as_deref());
            // A large text gets nothing here: its analysis comes from its job.
            analyze(text.as_deref().unwrap_or_default(), &opts)
        },
    );
    let analysis = match finished {
        Some(a) => a,
        None if pending => std::rc::Rc::new(exposure_core::Analysis {
            kind: memo.kind,
            units: Vec::new(),
            diagnostics: Vec::new(),
        }),
        None => memo,
    };

    // The advisor re-assesses the unit once per candidate line: run it only when the text, the
    // kind, the tier, the lines left out or the unit shown change, and for the shown unit only.
    let shown_name =
        view::shown_unit(&analysis.units, state.selected_unit.as_deref()).map(|u| u.unit.clone());
    let advice_stale = !Text::ptr_eq(&slow_source, &state.input);
    // The shown unit's score under every version (a strip beside the score).
    let shown_index = view::shown_unit(&analysis.units, state.selected_unit.as_deref())
        .and_then(|u| analysis.units.iter().position(|x| std::ptr::eq(x, u)));
    let strip = use_memo(
        (
            slow_source.clone(),
            state.kind,
            state.unit_name.clone(),
            shown_index,
        ),
        |(text, kind, unit_name, index)| match index {
            Some(i) => crate::strip::scores(text, *kind, unit_name.as_deref(), *i),
            None => Vec::new(),
        },
    );
    let advice = use_memo(
        (
            slow_source.clone(),
            state.kind,
            state.tier,
            (state.version, state.unit_name.clone()),
            state.left_out.clone(),
            shown_name,
            small,
        ),
        |(text, kind, tier, (version, unit_name), left_out, shown, small)| {
            let opts = read_as(*kind, *version, unit_name.as_deref());
            match shown {
                Some(name) if *small && text.len() <= ADVISE_LIMIT => {
                    advise_paste_leaving_out(text, &opts, *tier, left_out, Some(name))
                }
                _ => Vec::new(),
            }
        },
    );
    let on_name_unit = {
        let dispatcher = state.dispatcher();
        Callback::from(move |e: Event| {
            if let Some(input) = e.target_dyn_into::<web_sys::HtmlInputElement>() {
                dispatcher.dispatch(Action::NameUnit(input.value()));
            }
        })
    };
    let on_tier = {
        let dispatcher = state.dispatcher();
        Callback::from(move |e: Event| {
            if let Some(select) = e.target_dyn_into::<HtmlSelectElement>()
                && let Some(tier) = Tier::parse(&select.value())
            {
                dispatcher.dispatch(Action::SetTier(tier));
            }
        })
    };
    let on_pick_version = {
        let dispatcher = state.dispatcher();
        Callback::from(move |version: exposure_core::Version| {
            dom::keep_version(version.as_str());
            dispatcher.dispatch(Action::SetVersion(version));
        })
    };
    let on_version = {
        let pick = on_pick_version.clone();
        Callback::from(move |e: Event| {
            if let Some(select) = e.target_dyn_into::<HtmlSelectElement>()
                && let Some(version) = exposure_core::Version::parse(&select.value())
            {
                pick.emit(version);
            }
        })
    };
    // No link for a text a link cannot carry (the decoder's bound): offer the file instead.
    let share = use_memo(
        (
            slow_source.clone(),
            state.tier,
            (state.version, state.unit_name.clone()),
            state.left_out.clone(),
        ),
        |(text, _, _, _)| (text.len() <= link::MAX_TEXT_BYTES).then(|| state.fragment_with(text)),
    );
    // Once a link's text is edited (or another text shown), the address bar follows, so a
    // reload shows what the user sees rather than the link's original text.
    use_effect_with(share.clone(), |share| dom::follow_link(share.as_deref()));
    // Sorted once per analysis; each render only looks them up.
    let order = use_memo(crate::text::Shared(analysis.clone()), |a| {
        view::diagnostic_order(&a.0)
    });
    let diagnostics = view::resolve(&analysis, &order);

    let on_edit = {
        let dispatcher = state.dispatcher();
        Callback::from(move |text: String| dispatcher.dispatch(Action::Edit(text)))
    };
    let on_example = {
        let dispatcher = state.dispatcher();
        Callback::from(move |_: MouseEvent| dispatcher.dispatch(Action::LoadExample))
    };
    let on_example_menu = {
        let dispatcher = state.dispatcher();
        Callback::from(move |e: Event| {
            if let Some(select) = e.target_dyn_into::<HtmlSelectElement>() {
                let id = select.value();
                // The menu is an action, not a setting: it goes back to its prompt.
                select.set_value("");
                if !id.is_empty() {
                    dispatcher.dispatch(Action::LoadExampleId(id));
                }
            }
        })
    };
    let on_clear = {
        let dispatcher = state.dispatcher();
        Callback::from(move |_: MouseEvent| dispatcher.dispatch(Action::Clear))
    };
    let on_theme = {
        let dispatcher = state.dispatcher();
        let next = state.theme.next();
        Callback::from(move |_: MouseEvent| dispatcher.dispatch(Action::SetTheme(next)))
    };
    let on_dismiss = {
        let dispatcher = state.dispatcher();
        Callback::from(move |_: MouseEvent| dispatcher.dispatch(Action::DismissNotice))
    };
    let on_kind = {
        let dispatcher = state.dispatcher();
        Callback::from(move |e: Event| {
            if let Some(select) = e.target_dyn_into::<HtmlSelectElement>() {
                dispatcher.dispatch(Action::ForceKind(kinds::from_value(&select.value())));
            }
        })
    };
    let on_select_unit = {
        let dispatcher = state.dispatcher();
        Callback::from(move |name: String| dispatcher.dispatch(Action::SelectUnit(name)))
    };
    let on_choose = {
        let dispatcher = state.dispatcher();
        Callback::from(move |(unit, setting, chosen): (String, String, bool)| {
            dispatcher.dispatch(Action::Choose {
                unit,
                setting,
                chosen,
            })
        })
    };
    let on_files = {
        let dispatcher = state.dispatcher();
        Callback::from(move |list: web_sys::FileList| {
            let dispatcher = dispatcher.clone();
            dom::read_files(&list, exposure_core::MAX_INPUT_BYTES, move |r| {
                dispatcher.dispatch(match r {
                    Ok(files) => Action::OpenFiles(files),
                    Err(total) => Action::ShowNotice(crate::files::too_big(total)),
                })
            });
        })
    };
    // Files dropped anywhere on the page open; the browser must not navigate to them.
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
    let on_pick = {
        let on_files = on_files.clone();
        Callback::from(move |e: Event| {
            if let Some(input) = e.target_dyn_into::<HtmlInputElement>() {
                if let Some(list) = input.files()
                    && list.length() > 0
                {
                    on_files.emit(list);
                }
                // Picking the same files again must fire `change` again.
                input.set_value("");
            }
        })
    };
    let on_filter = {
        let dispatcher = state.dispatcher();
        Callback::from(move |text: String| dispatcher.dispatch(Action::FilterUnits(text)))
    };
    let on_breakdown = {
        let dispatcher = state.dispatcher();
        Callback::from(move |b| dispatcher.dispatch(Action::SetBreakdown(b)))
    };
    let on_goto = {
        let textarea = textarea.clone();
        let text = state.input.clone();
        Callback::from(move |d: (usize, usize)| select_range(&textarea, &text, d.0, d.1))
    };

    let source = match state.source {
        Source::Example => "example unit",
        Source::Link => "opened from a link",
        Source::Edited => "your text",
        Source::Stored => "your text from last time",
        Source::Files => "opened files",
    };

    html! {
        <div class="page" {ondragover} {ondrop}>
            <header class="top">
                <div class="brand">
                    <h1>{ "Exposure" }</h1>
                    <p class="tagline">{ "systemd hardening, scored in your browser" }</p>
                </div>
                <nav class="actions">
                    <button type="button" onclick={on_example}>{ "Example" }</button>
                    <label class="button file-pick" title="Open a unit file and its drop-ins (or drop them on the page)">
                        { "Open files\u{2026}" }
                        <input type="file" multiple=true data-testid="open-files" onchange={on_pick}
                            accept=".service,.socket,.conf,.txt,text/plain" class="sr-only" />
                    </label>
                    <button type="button" data-testid="clear" onclick={on_clear.clone()}
                        title="Empty the text and forget the copy kept in this browser">
                        { "Clear" }
                    </button>
                    <select class="examples" data-testid="examples" onchange={on_example_menu}
                        aria-label="Load an example">
                        <option value="" selected=true>{ "More examples\u{2026}" }</option>
                        { for example::EXAMPLES.iter().map(|e| html! {
                            <option value={e.id}>{ e.label }</option>
                        }) }
                    </select>
                    <button type="button" class="theme" onclick={on_theme}
                        aria-label="Switch colour theme">
                        { format!("Theme: {}", state.theme.label()) }
                    </button>
                </nav>
            </header>

            if let Some(notice) = &state.notice {
                <div class="notice" role="alert" data-testid="notice">
                    <span>{ notice.clone() }</span>
                    <button type="button" onclick={on_dismiss}>{ "Dismiss" }</button>
                </div>
            }

            if let Some(aside) = &state.set_aside {
                { set_aside_view(aside, state.source, &state.dispatcher()) }
            }

            <main class="panes">
                <section class="pane input-pane" aria-label="Unit file">
                    <div class="pane-head">
                        <h2>{ "Unit" }</h2>
                        <span class="muted">{ source }</span>
                        <label class="kind">
                            { "Read as " }
                            <select onchange={on_kind} data-testid="kind">
                                <option value="" selected={state.kind.is_none()}>
                                    { format!("detect ({})", analysis.kind.label()) }
                                </option>
                                { for kinds::KINDS.iter().map(|(k, value)| html! {
                                    <option value={*value} selected={state.kind == Some(*k)}>
                                        { k.label() }
                                    </option>
                                }) }
                            </select>
                        </label>
                    </div>
                    if !small {
                        { big_text_view(&state.input, (!pending).then(|| lines.count()), &on_clear) }
                    } else {
                        { editor_view(EditorProps { text: &state.input,
                            marks: view::line_marks(&diagnostics, &lines), lines: lines.count(),
                            node: textarea.clone(), gutter: gutter.clone(), on_edit }) }
                    }
                    { share_view(share.as_deref(), &slow_source, &link_copied) }
                </section>

                <section class="pane result-pane" aria-label="Assessment">
                    if pending {
                        <p class="pending muted" role="status" data-testid="pending">
                            { match *progress {
                                Some((done, total)) => format!(
                                    "Analyzing the text: {done} of {total} units\u{2026}"),
                                None => "Analyzing the text\u{2026}".to_owned(),
                            } }
                        </p>
                    }
                    { diagnostics_view(&diagnostics, &lines, &on_goto) }
                    if !pending {
                    { units_view(&analysis, &advice, &state, &UnitCallbacks {
                        tier: on_tier, version: on_version.clone(), strip: strip.clone(),
                        pick_version: on_pick_version.clone(), name_unit: on_name_unit,
                        select: on_select_unit,
                        breakdown: on_breakdown,
                        choose: on_choose, dropin_copied: dropin_copied.clone(), advice_stale,
                        too_large: !small,
                        filter: on_filter }) }
                    }
                </section>
            </main>

            <footer class="bottom muted">
                { "Exposure computes what systemd-analyze security reports, without running systemd. \
                   Your text never leaves this page." }
            </footer>
        </div>
    }
}

/// The user's work as last rendered and as last written to the browser's storage.
struct Keeper {
    latest: Option<Snapshot>,
    written: Option<Snapshot>,
}

impl Keeper {
    /// Writes `snapshot` unless it is what was written last.
    fn write(&mut self, snapshot: Snapshot) {
        if self.written.as_ref() != Some(&snapshot) {
            let last = self
                .written
                .as_ref()
                .map(|(input, aside)| (&**input, aside.as_deref()));
            dom::keep(&snapshot.0, snapshot.1.as_deref(), last);
            self.written = Some(snapshot);
        }
    }

    /// Writes the latest state now (the page is being hidden or closed).
    fn flush(&mut self) {
        if let Some(latest) = self.latest.clone() {
            self.write(latest);
        }
    }
}

/// Says which text is set aside and offers it back: the user's own text when a link, an
/// example or files replaced it, or the other text after switching back.
fn set_aside_view(
    aside: &crate::state::SetAside,
    shown: Source,
    dispatcher: &UseReducerDispatcher<AppState>,
) -> Html {
    let lines = aside.lines;
    let lines = if lines == 1 {
        "1 line".to_owned()
    } else {
        format!("{lines} lines")
    };
    let what = match (aside.source.is_users(), shown) {
        (true, Source::Link) => {
            format!("Opened from a link. Your previous text ({lines}) is kept.")
        }
        (true, Source::Example) => format!("Example loaded. Your previous text ({lines}) is kept."),
        (true, Source::Files) => format!("Files opened. Your previous text ({lines}) is kept."),
        (true, _) => format!("Your earlier text ({lines}) is kept."),
        (false, _) => match aside.source {
            Source::Link => format!("The link's text ({lines}) is set aside."),
            _ => format!("The example ({lines}) is set aside."),
        },
    };
    let back = if aside.source.is_users() {
        "Switch back"
    } else {
        "Switch to it"
    };
    let on_back = {
        let dispatcher = dispatcher.clone();
        Callback::from(move |_: MouseEvent| dispatcher.dispatch(Action::SwitchBack))
    };
    let on_forget = {
        let dispatcher = dispatcher.clone();
        Callback::from(move |_: MouseEvent| dispatcher.dispatch(Action::ForgetSetAside))
    };
    html! {
        <div class="notice set-aside" role="status" data-testid="set-aside">
            <span>{ what }</span>
            <button type="button" data-testid="switch-back" onclick={on_back}>{ back }</button>
            <button type="button" data-testid="forget-set-aside" onclick={on_forget}>
                { "Forget it" }
            </button>
        </div>
    }
}

/// The engine's options for the page: its defaults, with the input kind the person forced
/// and the systemd version chosen.
fn read_as(
    kind: Option<exposure_core::InputKind>,
    version: exposure_core::Version,
    unit_name: Option<&str>,
) -> Options {
    Options {
        kind,
        version,
        unit_name: unit_name.map(str::to_owned),
        ..Options::default()
    }
}

/// Selects `start..end` (bytes of `text`) in the text area and scrolls it into view.
fn select_range(textarea: &NodeRef, text: &str, start: usize, end: usize) {
    if let Some(ta) = textarea.cast::<HtmlTextAreaElement>() {
        let (from, to) = view::utf16_range(text, start, end);
        let _ = ta.focus();
        let _ = ta.set_selection_range(from, to);
    }
}

/// What the editor shows and reports. (A plain function of the App's render, not a component
/// of its own: a child component here was seen to keep rendering stale props after some
/// sequences of updates, leaving the gutter behind the text.)
struct EditorProps<'a> {
    text: &'a str,
    /// Lines with diagnostics: the worst severity and its message.
    marks: std::collections::BTreeMap<u32, (Severity, String)>,
    /// How many lines the text area shows.
    lines: usize,
    /// The text area and its gutter.
    node: NodeRef,
    gutter: NodeRef,
    on_edit: Callback<String>,
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
fn gutter_view(lines: usize, marks: &std::collections::BTreeMap<u32, (Severity, String)>) -> Html {
    use std::fmt::Write;
    let mut parts: Vec<Html> = Vec::new();
    let mut run = String::new();
    let mut marks = marks
        .iter()
        .filter(|(l, _)| **l as usize <= lines)
        .take(GUTTER_MARKS)
        .peekable();
    for n in 1..=lines {
        match marks.next_if(|(l, _)| **l as usize == n) {
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

/// How many diagnostics the list shows; a text of garbage can have one per line.
const DIAGNOSTICS_SHOWN: usize = 200;

fn diagnostics_view(
    diagnostics: &[&Diagnostic],
    lines: &view::Lines,
    on_goto: &Callback<(usize, usize)>,
) -> Html {
    if diagnostics.is_empty() {
        return html! {};
    }
    let more = diagnostics.len().saturating_sub(DIAGNOSTICS_SHOWN);
    html! {
        <section class="diagnostics" aria-label="Diagnostics">
            <h2>{ format!("Diagnostics ({})", diagnostics.len()) }</h2>
            <ul>
                { for diagnostics.iter().take(DIAGNOSTICS_SHOWN).map(|d| diagnostic_view(d, lines, on_goto)) }
            </ul>
            if more > 0 {
                <p class="muted" data-testid="diagnostics-more">
                    { format!("… and {more} more, not listed.") }
                </p>
            }
        </section>
    }
}

/// Downloads the text as `exposure-input.txt` (shared, not copied: it can be megabytes).
fn download_text(text: &Text) -> Callback<MouseEvent> {
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

fn diagnostic_view(
    d: &Diagnostic,
    lines: &view::Lines,
    on_goto: &Callback<(usize, usize)>,
) -> Html {
    let severity = view::severity_label(d.severity);
    let line = lines.of(d).map(|l| l.to_string()).unwrap_or_default();
    let location = view::location(d, lines);
    // Every span is in the pasted text (also those in the files of a `systemctl cat` paste).
    let goto = match d.span {
        Some(span) => {
            let on_goto = on_goto.clone();
            let range = (span.start as usize, span.end as usize);
            let onclick = Callback::from(move |_: MouseEvent| on_goto.emit(range));
            html! { <button type="button" class="loc" {onclick}>{ location }</button> }
        }
        None => html! { <span class="loc">{ location }</span> },
    };
    html! {
        <li class={classes!("diag", format!("sev-{severity}"))} data-testid="diagnostic"
            data-line={line} data-severity={severity} data-code={d.code}>
            { goto }
            <span class="sev">{ severity }</span>
            <span class="msg">{ d.message.clone() }</span>
            if let Some(help) = &d.help {
                <span class="help">{ help.clone() }</span>
            }
        </li>
    }
}

/// What the assessment side of the page reports back.
struct UnitCallbacks {
    tier: Callback<Event>,
    /// The systemd version selector.
    version: Callback<Event>,
    /// The shown unit's score under every version, and choosing one of them.
    strip: std::rc::Rc<Vec<crate::strip::VersionScore>>,
    pick_version: Callback<exposure_core::Version>,
    /// The "assess as" field's new value.
    name_unit: Callback<Event>,
    select: Callback<String>,
    breakdown: Callback<Breakdown>,
    /// `(unit, setting, ticked)` of a suggestion's checkbox.
    choose: Callback<(String, String, bool)>,
    dropin_copied: UseStateHandle<Option<String>>,
    /// The text typed in the summary's "find a unit" box.
    filter: Callback<String>,
    /// The text is too large for the editor, so the advisor makes no suggestion.
    too_large: bool,
    /// The suggestions shown are those of the text before the last edits (a long text is
    /// advised on once typing pauses).
    advice_stale: bool,
}

fn units_view(
    analysis: &Analysis,
    advice: &[Advice],
    state: &AppState,
    cb: &UnitCallbacks,
) -> Html {
    let Some(shown) = view::shown_unit(&analysis.units, state.selected_unit.as_deref()) else {
        // A version that cannot read unit files (249) says why, and can be switched here.
        if let Some(why) = state.version.unit_files_refused()
            && analysis.kind != exposure_core::InputKind::SystemctlShow
        {
            return html! {
                <div class="empty">
                    <p data-testid="no-unit">{ format!("{why}.") }</p>
                    { version_choice(state.version, &cb.version) }
                </div>
            };
        }
        return html! {
            <p class="empty" data-testid="no-unit">
                { "No service to assess yet: paste a unit file with a [Service] section." }
            </p>
        };
    };
    let a = advice.iter().find(|a| a.unit == shown.unit);
    html! {
        <>
            if analysis.units.len() > 1 {
                { summary_view(&analysis.units, &shown.unit, &state.unit_filter, &cb.select, &cb.filter) }
            }
            { unit_view(shown, a, state, cb, name_field(analysis.kind, &shown.unit, state)) }
        </>
    }
}

/// One line per unit, like the table `systemd-analyze security` prints for several units;
/// each name is a button that shows that unit's breakdown.
/// How many units the summary table lists (a table of thousands of rows takes the page
/// half a second to lay out); the unit shown is always listed.
const SUMMARY_SHOWN: usize = 200;

fn summary_view(
    units: &[UnitReport],
    shown: &str,
    filter: &str,
    on_select: &Callback<String>,
    on_filter: &Callback<String>,
) -> Html {
    let (listed, matching) = view::summary_units(units, filter, shown, SUMMARY_SHOWN);
    let more = matching.saturating_sub(SUMMARY_SHOWN);
    let oninput = {
        let on_filter = on_filter.clone();
        Callback::from(move |e: InputEvent| {
            if let Some(input) = e.target_dyn_into::<HtmlInputElement>() {
                on_filter.emit(input.value());
            }
        })
    };
    let heading = if filter.trim().is_empty() {
        format!("{} units", units.len())
    } else {
        format!("{} units, {matching} matching", units.len())
    };
    html! {
        <section class="summary-area" aria-label="Units">
            <h2>{ heading }</h2>
            if units.len() > 20 {
                <input type="search" class="summary-filter" data-testid="summary-filter"
                    placeholder="Find a unit by name" aria-label="Find a unit by name"
                    value={filter.to_owned()} {oninput} />
            }
            <div class="table-wrap">
                <table class="summary" data-testid="summary">
                    <thead>
                        <tr>
                            <th scope="col">{ "UNIT" }</th>
                            <th class="num" scope="col">{ "EXPOSURE" }</th>
                            <th scope="col">{ "PREDICATE" }</th>
                            <th scope="col"><span class="sr-only">{ "Verdict" }</span></th>
                        </tr>
                    </thead>
                    <tbody>
                        { for listed.into_iter().map(|u| {
                            let is_shown = u.unit == shown;
                            let onclick = {
                                let on_select = on_select.clone();
                                let name = u.unit.clone();
                                Callback::from(move |_: MouseEvent| on_select.emit(name.clone()))
                            };
                            html! {
                                <tr data-testid="summary-row" data-unit={u.unit.clone()}
                                    class={classes!(format!("band-{}", u.predicate.band()),
                                        is_shown.then_some("shown"))}>
                                    <td>
                                        <button type="button" class="unit-pick" {onclick}
                                            aria-pressed={is_shown.to_string()}>
                                            { u.unit.clone() }
                                        </button>
                                    </td>
                                    <td class="num">{ u.exposure.to_string() }</td>
                                    <td class="predicate">{ u.predicate.as_str() }</td>
                                    <td class="glyph" aria-hidden="true">{ u.predicate.emoji() }</td>
                                </tr>
                            }
                        }) }
                    </tbody>
                </table>
            </div>
            if more > 0 {
                <p class="muted" data-testid="summary-more">
                    { format!("\u{2026} and {more} more, not listed here: find them by name (the \
                        exposure command lists them all).") }
                </p>
            }
        </section>
    }
}

/// The version selector beside a score, and what backs the chosen version's score.
fn version_choice(version: exposure_core::Version, on_change: &Callback<Event>) -> Html {
    let evidence = version.profile().evidence;
    html! {
        <span class="version-choice">
            <label>
                <span class="sr-only">{ "systemd version" }</span>
                <select onchange={on_change.clone()} data-testid="systemd-version"
                    title="The systemd whose systemd-analyze security to score as">
                    { for exposure_core::Version::all().map(|v| {
                        let p = v.profile();
                        let label = if p.shipped_by.is_empty() {
                            format!("systemd {}", p.id)
                        } else {
                            format!("systemd {} ({})", p.id, p.shipped_by)
                        };
                        html! {
                            <option value={p.id} selected={v == version}>{ label }</option>
                        }
                    }) }
                </select>
            </label>
            <span class={classes!("version", "muted", format!("evidence-{}", match evidence {
                    exposure_core::version::Evidence::Verified => "verified",
                    exposure_core::version::Evidence::Derived => "derived",
                }))} data-testid="version"
                title="The systemd version whose systemd-analyze security this score equals">
                { format!("{} — {}", version.scores_it(), evidence.label()) }
            </span>
        </span>
    }
}

/// The shown unit's score under every version; a click chooses that version (remembered as
/// the selector's choice is).
fn version_strip(
    strip: &[crate::strip::VersionScore],
    current: exposure_core::Version,
    pick: &Callback<exposure_core::Version>,
) -> Html {
    if strip.is_empty() {
        return Html::default();
    }
    html! {
        <div class="version-strip" data-testid="version-strip"
            aria-label="This unit's score under each systemd version">
            { for strip.iter().map(|s| {
                let id = s.version.as_str();
                let (score, band) = match s.score {
                    Some((t, p)) => (t.to_string(), format!("band-{}", p.band())),
                    None => ("–".to_owned(), "band-none".to_owned()),
                };
                let title = match s.score {
                    Some((t, p)) => format!("systemd {id}: {t} {} ({})", p.as_str(),
                        s.version.profile().evidence.label()),
                    None => format!("systemd {id}: not scored (it cannot read this input, or refuses the unit)"),
                };
                let onclick = {
                    let (pick, version) = (pick.clone(), s.version);
                    Callback::from(move |_: MouseEvent| pick.emit(version))
                };
                html! {
                    <button type="button" value={id}
                        class={classes!("version-score", band, (s.version == current).then_some("current"))}
                        data-testid="version-score" data-version={id} title={title}
                        aria-pressed={(s.version == current).to_string()} {onclick}>
                        <span class="v">{ id }</span>
                        <span class="s">{ score }</span>
                    </button>
                }
            }) }
        </div>
    }
}

/// Whether the shown unit gets an "assess as" field: a pasted unit file (named `unit.service`
/// otherwise), a template of a `systemctl cat` paste whose drop-ins name no instance, or a
/// name already given.
fn name_field(kind: exposure_core::InputKind, shown: &str, state: &AppState) -> bool {
    use exposure_core::InputKind;
    state.unit_name.is_some()
        || kind == InputKind::UnitFile
        || (kind == InputKind::SystemctlCat
            && shown.ends_with(&format!("@{}.service", state.version.profile().instance)))
}

fn unit_view(
    unit: &UnitReport,
    advice: Option<&Advice>,
    state: &AppState,
    cb: &UnitCallbacks,
    name_field: bool,
) -> Html {
    let (tier, breakdown) = (state.tier, state.breakdown);
    let (on_tier, on_breakdown) = (&cb.tier, &cb.breakdown);
    let band = unit.predicate.band();
    let override_text = advice.map(suggest::override_block).unwrap_or_default();
    html! {
        <article class={classes!("unit", format!("band-{band}"))} data-testid="unit"
            data-unit={unit.unit.clone()}>
            <h2 class="unit-name">{ unit.unit.clone() }</h2>
            if name_field {
                <label class="assess-as muted">
                    { "Assess as " }
                    <input type="text" data-testid="unit-name" spellcheck="false"
                        value={state.unit_name.clone().unwrap_or_default()}
                        placeholder={unit.unit.clone()} onchange={cb.name_unit.clone()}
                        title="The unit name (e.g. an instance such as foo@bar.service, for %i)" />
                </label>
            }
            <div class="verdict">
                <span class="score" data-testid="exposure">{ unit.exposure.to_string() }</span>
                <span class="predicate" data-testid="predicate">{ unit.predicate.as_str() }</span>
                <span class="glyph" aria-hidden="true">{ unit.predicate.emoji() }</span>
                <meter class="meter" min="0" max="100" low="50" high="75" optimum="0"
                    value={unit.exposure.0.to_string()}
                    aria-label="Overall exposure, 0 to 10" />
                { version_choice(state.version, &cb.version) }
                { version_strip(&cb.strip, state.version, &cb.pick_version) }
            </div>
            if let Some(why) = &unit.refused {
                <p class="refused" role="status">
                    { format!("systemd would not load this unit: {why}") }
                </p>
            }

            <section class="override-area" aria-label="Suggested override">
                <h3>{ "Suggested override" }</h3>
                <label class="tier">
                    { "Go as far as " }
                    <select onchange={on_tier.clone()} data-testid="tier">
                        { for Tier::ALL.iter().map(|t| html! {
                            <option value={t.as_str()} selected={*t == tier}>
                                { suggest::tier_label(*t) }
                            </option>
                        }) }
                    </select>
                </label>
                if advice.is_some() && cb.advice_stale {
                    <p class="muted" role="status" data-testid="advice-stale">
                        { "This text is long: the suggestions are updated when you pause typing." }
                    </p>
                }
                if let Some(a) = advice {
                    <p class="predicted" data-testid="override-after">
                        { format!("{} {} → {} {} once installed ", a.exposure_before, a.predicate_before,
                            a.exposure_after, a.predicate_after) }
                        <span class="muted">{ "(the score systemd-analyze will print)" }</span>
                    </p>
                    <p class="muted">
                        { format!("Run systemctl edit {}, paste the block, save, then systemctl restart {}.",
                            unit.unit, unit.unit) }
                    </p>
                } else if cb.too_large {
                    <p class="muted">
                        { format!("Suggestions are made for texts the editor takes (up to {} KiB \
                            and {} lines); this one is larger. The CLI (exposure suggest) has no \
                            such limit.", ADVISE_LIMIT / 1024, crate::state::EDIT_MAX_LINES) }
                    </p>
                } else {
                    <p class="muted">{ "Suggestions need the unit file: paste it or systemctl cat output." }</p>
                }
                <div class="override-box">
                    <pre class="override" data-testid="override">{ override_text }</pre>
                    if let Some(a) = advice {
                        { copy_view(&a.dropin, &cb.dropin_copied) }
                    }
                </div>
                if let Some(a) = advice {
                    <ul class="suggestions">
                        { for a.lines.iter().map(|l| suggestion_view(&unit.unit, l, &cb.choose)) }
                    </ul>
                }
            </section>

            { breakdown_controls(breakdown, on_breakdown) }
            <div class="table-wrap">
                <table class="checks">
                    <thead>
                        <tr>
                            <th class="mark" scope="col"><span class="sr-only">{ "Result" }</span></th>
                            <th scope="col">{ "Check" }</th>
                            <th scope="col">{ "Description" }</th>
                            <th class="num" scope="col">{ "Exposure" }</th>
                        </tr>
                    </thead>
                    { for view::arrange(&unit.rows, breakdown).into_iter().map(|(title, rows)| html! {
                        <tbody>
                            if let Some(title) = title {
                                <tr class="group-head">
                                    <th colspan="4" scope="rowgroup" data-testid="group-title">
                                        { title }
                                    </th>
                                </tr>
                            }
                            { for rows.into_iter().map(check_row) }
                        </tbody>
                    }) }
                </table>
            </div>
        </article>
    }
}

/// One suggested line: a checkbox to keep it in the override or leave it out, its gain and
/// what it may break; a withheld line says why it is not suggested.
fn suggestion_view(
    unit: &str,
    l: &exposure_core::advise::Line,
    on_choose: &Callback<(String, String, bool)>,
) -> Html {
    let code = html! { <code>{ format!("{}={}", l.setting, l.value) }</code> };
    if let Some(why) = &l.withheld {
        return html! {
            <li data-testid="suggestion" data-setting={l.setting} class="withheld">
                { code }{ " " }
                <span class="muted">{ format!("not suggested: {why}") }</span>
            </li>
        };
    }
    let onchange = {
        let on_choose = on_choose.clone();
        let (unit, setting) = (unit.to_owned(), l.setting.to_owned());
        Callback::from(move |e: Event| {
            if let Some(input) = e.target_dyn_into::<HtmlInputElement>() {
                on_choose.emit((unit.clone(), setting.clone(), input.checked()));
            }
        })
    };
    html! {
        <li data-testid="suggestion" data-setting={l.setting}
            class={classes!(l.left_out.then_some("left-out"))}>
            <label>
                <input type="checkbox" data-testid="suggestion-toggle" checked={!l.left_out}
                    {onchange} />
                { " " }{ code }
            </label>
            { " " }
            if l.left_out {
                <span class="gain muted">{ "left out" }</span>
            } else {
                <span class="gain">{ suggest::gain_text(l.gain) }</span>
            }
            <span class="breaks">{ format!("May break: {}.", l.may_break) }</span>
        </li>
    }
}

/// One check's row of the breakdown table.
fn check_row(row: &exposure_core::Row) -> Html {
    let exposure = view::exposure_text(row.exposure);
    let class = match row.set {
        Some(true) => "pass",
        Some(false) => "fail",
        None => "na",
    };
    html! {
        <tr {class} data-testid="check" data-json-field={row.json_field}
            data-exposure={exposure.clone()}>
            <td class="mark">{ view::check_mark(row.set) }</td>
            <td class="name">{ row.name }</td>
            <td class="desc">
                { row.description.as_deref().unwrap_or_default().to_owned() }
                { doc_view(row) }
            </td>
            <td class="num">{ exposure }</td>
        </tr>
    }
}

/// Sort, filter and group the check rows.
fn breakdown_controls(b: Breakdown, on_change: &Callback<Breakdown>) -> Html {
    let on_sort = {
        let on_change = on_change.clone();
        Callback::from(move |e: Event| {
            if let Some(select) = e.target_dyn_into::<HtmlSelectElement>()
                && let Some(sort) = Sort::parse(&select.value())
            {
                on_change.emit(Breakdown { sort, ..b });
            }
        })
    };
    let checkbox = |set: fn(Breakdown, bool) -> Breakdown| {
        let on_change = on_change.clone();
        Callback::from(move |e: Event| {
            if let Some(input) = e.target_dyn_into::<HtmlInputElement>() {
                on_change.emit(set(b, input.checked()));
            }
        })
    };
    let on_failing = checkbox(|b, failing_only| Breakdown { failing_only, ..b });
    let on_group = checkbox(|b, group| Breakdown { group, ..b });
    html! {
        <div class="breakdown-controls">
            <label>
                { "Sort: " }
                <select data-testid="sort" onchange={on_sort}>
                    { for Sort::ALL.iter().map(|s| html! {
                        <option value={s.value()} selected={*s == b.sort}>{ s.label() }</option>
                    }) }
                </select>
            </label>
            <label>
                <input type="checkbox" data-testid="failing-only" checked={b.failing_only}
                    onchange={on_failing} />
                { " failing only" }
            </label>
            <label>
                <input type="checkbox" data-testid="group" checked={b.group} onchange={on_group} />
                { " group by theme" }
            </label>
        </div>
    }
}

/// The check's teaching text, folded under its description: what it does, what it may break,
/// how to relax it, an example, and where the value came from.
fn doc_view(row: &exposure_core::Row) -> Html {
    let check = &exposure_core::checks::REGISTRY[row.detail.check];
    let doc = &check.doc;
    let since = if check.since == exposure_core::checks::EARLY {
        "before systemd 38".to_owned()
    } else {
        format!("since systemd {}", check.since)
    };
    html! {
        <details class="doc" data-testid="doc">
            <summary>{ row.detail.summary }</summary>
            if !row.detail.provenance.is_empty() {
                <p class="from">
                    { "From: " }
                    { for row.detail.provenance.iter().map(|o| html! {
                        <span class="origin">
                            { format!("line {}: {}{}", o.line, o.directive,
                                if o.implied { " (implies it)" } else { "" }) }
                        </span>
                    }) }
                </p>
            }
            <p>{ doc.why }</p>
            <p><strong>{ "May break: " }</strong>{ doc.breaks }</p>
            <p><strong>{ "Relax it narrowly: " }</strong>{ doc.relax }</p>
            <pre class="example">{ doc.example }</pre>
            <p class="muted">
                { format!("{} · weight {} · ", since, check.weight) }
                <a href={check.url()} rel="noreferrer noopener" target="_blank">{ "manual" }</a>
            </p>
        </details>
    }
}

/// Copies the full drop-in (with its comments, without control characters) to the
/// clipboard; `copied` holds the text copied last, so the button says "Copied" until the
/// drop-in changes.
fn copy_view(text: &str, copied: &UseStateHandle<Option<String>>) -> Html {
    let is_copied = copied.as_deref() == Some(text);
    let (clean, removed) = suggest::for_clipboard(text);
    let onclick = {
        let (text, copied) = (text.to_owned(), copied.clone());
        Callback::from(move |_: MouseEvent| {
            dom::copy_to_clipboard(&clean);
            copied.set(Some(text.clone()));
        })
    };
    html! {
        <>
            <button type="button" class="copy" data-testid="copy" {onclick}>
                { if is_copied { "Copied" } else { "Copy drop-in" } }
            </button>
            if removed > 0 {
                <p class="muted" data-testid="copy-stripped">
                    { format!("The copy leaves out {removed} control character{} from the unit's \
                        text (a terminal would act on them when you paste).",
                        if removed == 1 { "" } else { "s" }) }
                </p>
            }
        </>
    }
}

/// The share link, a button that copies it, and — when the link is too long to travel well —
/// a warning and a download of the text instead. `copied` holds the fragment whose link was
/// copied last: the button says so until the text changes.
fn share_view(
    fragment: Option<&str>,
    text: &Text,
    copied: &UseStateHandle<Option<String>>,
) -> Html {
    let on_download = download_text(text);
    let Some(fragment) = fragment else {
        return html! {
            <div class="share">
                <p class="link-warning" role="status" data-testid="link-warning">
                    { format!("This text is too large for a link (over {} KiB). Share it as a file: ",
                        link::MAX_TEXT_BYTES / 1024) }
                    <button type="button" data-testid="download" onclick={on_download}>
                        { "Download the text" }
                    </button>
                </p>
            </div>
        };
    };
    let url = dom::page_url(fragment);
    let long = url.len() > LINK_WARN_BYTES;
    let on_copy = {
        let (url, copied, fragment) = (url.clone(), copied.clone(), fragment.to_owned());
        Callback::from(move |_: MouseEvent| {
            dom::copy_to_clipboard(&url);
            copied.set(Some(fragment.clone()));
        })
    };
    let is_copied = copied.as_deref() == Some(fragment);
    html! {
        <div class="share">
            <p>
                <a data-testid="share-link" href={fragment.to_owned()}>{ "Link to this text" }</a>
                { " " }
                <button type="button" data-testid="copy-link" onclick={on_copy}>
                    { if is_copied { "Link copied" } else { "Copy link" } }
                </button>
                <span class="muted">
                    { " \u{2014} the link carries the text itself; nothing is uploaded." }
                </span>
            </p>
            if long {
                <p class="link-warning" role="status" data-testid="link-warning">
                    { format!("This link is {} KB long; some browsers, chats and mail clients cut \
                        links over 8 KB. Share the text as a file instead: ", url.len().div_ceil(1024)) }
                    <button type="button" data-testid="download" onclick={on_download}>
                        { "Download the text" }
                    </button>
                </p>
            }
        </div>
    }
}
