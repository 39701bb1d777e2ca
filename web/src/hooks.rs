//! The App's hooks: each thing the page derives from its state, or keeps in step with the
//! browser, behind one call (the analysis, the advice, the paused large text, the kept copy,
//! the link).

use std::rc::Rc;

use exposure_core::advise::{Advice, advise_paste_leaving_out};
use exposure_core::{Analysis, Diagnostic, Options, analyze, link};
use gloo::events::EventListener;
use yew::prelude::*;

use crate::state::{
    ADDRESS_PAUSE_MS, ADVICE_PAUSE_MS, ADVISE_LIMIT, Action, AppState, EDIT_LIMIT, LINK_WARN_BYTES,
    LIVE_ADVICE_LIMIT, Snapshot, Source,
};
use crate::text::Text;
use crate::{dom, steps, view};

/// The text the slow work follows: what is slow to derive from a long text (the advisor
/// assesses the unit again for each line it considers; the link compresses the whole text;
/// local storage writes it) follows it once typing pauses; a short text is followed on every
/// edit.
#[hook]
pub fn use_paused_text(input: &Text) -> Text {
    let paused_text = use_state(|| input.clone());
    {
        let paused_text = paused_text.clone();
        use_effect_with(input.clone(), move |text| {
            let text = text.clone();
            let timeout = (text.len() > LIVE_ADVICE_LIMIT).then(|| {
                gloo::timers::callback::Timeout::new(ADVICE_PAUSE_MS, move || paused_text.set(text))
            });
            move || drop(timeout)
        });
    }
    if input.len() <= LIVE_ADVICE_LIMIT {
        input.clone()
    } else {
        (*paused_text).clone()
    }
}

/// Keeps the user's work for a reload and for the next tab: a short text on every edit, a
/// long one once typing pauses, and whatever is not written yet at once when the page is
/// hidden or closed. A link's or an example's text is not kept until it is edited.
/// What the page opened with is already kept: writing it again on load would replace the
/// text another tab kept since (this tab's copy came from its own session storage).
#[hook]
pub fn use_keeper(state: &AppState, slow_source: &Text) {
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
        let settled = Text::ptr_eq(slow_source, &state.input);
        use_effect_with(state.kept().filter(|_| settled), move |snapshot| {
            if let Some(s) = snapshot {
                keeper.borrow_mut().write(s.clone());
            }
        });
    }
    use_effect_with((), move |_| {
        let listeners = dom::on_leave(move || keeper.borrow_mut().flush());
        move || drop(listeners)
    });
}

/// A link opened (or pasted into the address bar) while the page is open.
#[hook]
pub fn use_link_opened(dispatcher: UseReducerDispatcher<AppState>) {
    use_effect_with((), move |_| {
        let listener = EventListener::new(&gloo::utils::window(), "hashchange", move |_| {
            dispatcher.dispatch(Action::OpenFragment(dom::fragment()));
        });
        move || drop(listener)
    });
}

/// The page's analysis of its text, and how far it got.
pub struct Analyzed {
    pub analysis: Rc<Analysis>,
    /// The lines the gutter and the diagnostics number: the text area's, or those the job of
    /// a large text counted (none while it runs).
    pub lines: Rc<view::Lines>,
    /// The text fits the text area; a larger one is shown read-only and analyzed in steps.
    pub small: bool,
    /// A large text's analysis is still running, `progress` units of it done.
    pub pending: bool,
    pub progress: Option<(usize, usize)>,
    /// The diagnostics in the order the page lists them (sorted once per analysis).
    order: Rc<Vec<view::DiagnosticAt>>,
}

impl Analyzed {
    /// The diagnostics, in the order the page lists them.
    pub fn diagnostics(&self) -> Vec<&Diagnostic> {
        view::resolve(&self.analysis, &self.order)
    }
}

/// Analyzes the text whenever it, the forced kind, the version or the unit's name changes: a
/// text the text area takes at once, in the same render; a larger one (by bytes, lines or its
/// longest line, see `view::editable`) a few units per browser task ([`crate::steps`]), so
/// the page shows it at once and answers input while the analysis runs.
#[hook]
pub fn use_analysis(state: &AppState) -> Analyzed {
    // The lines of the text as the text area shows them, counted once per text rather than on
    // every render (the dependency compares by pointer first, see `Text`).
    // (A text over EDIT_LIMIT is numbered by its job, in a task of its own.)
    let lines = use_memo(state.input.clone(), |text| {
        (text.len() <= EDIT_LIMIT).then(|| Rc::new(view::Lines::new(text)))
    });
    let small = lines
        .as_ref()
        .as_ref()
        .is_some_and(|l| view::editable(state.input.len(), l));
    let big = use_state(|| None::<steps::Finished>);
    let progress = use_state(|| None::<(usize, usize)>);
    let generation = use_mut_ref(|| Rc::new(std::cell::Cell::new(0u64)));
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
    let lines: Rc<view::Lines> = match (lines.as_ref(), finished) {
        (Some(l), _) if small => l.clone(),
        (_, Some(f)) => f.lines.clone(),
        _ => Rc::new(view::Lines::new("")),
    };
    let finished = finished.map(|f| f.analysis.clone());
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
        None if pending => Rc::new(Analysis {
            kind: memo.kind,
            units: Vec::new(),
            diagnostics: Vec::new(),
        }),
        None => memo,
    };
    let order = use_memo(crate::text::Shared(analysis.clone()), |a| {
        view::diagnostic_order(&a.0)
    });
    Analyzed {
        analysis,
        lines,
        small,
        pending,
        progress: *progress,
        order,
    }
}

/// What the page suggests for the unit it shows, and that unit's score under every version.
pub struct Advised {
    pub advice: Rc<Vec<Advice>>,
    pub strip: Rc<Vec<crate::strip::VersionScore>>,
}

/// The advisor re-assesses the unit once per candidate line: it runs only when the (paused)
/// text, the kind, the tier, the lines left out or the unit shown change, and for the shown
/// unit only.
#[hook]
pub fn use_advice(state: &AppState, slow_source: &Text, analyzed: &Analyzed) -> Advised {
    let units = &analyzed.analysis.units;
    let shown = view::shown_unit(units, state.selected_unit.as_deref());
    let shown_name = shown.map(|u| u.unit.clone());
    let shown_index = shown.and_then(|u| units.iter().position(|x| std::ptr::eq(x, u)));
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
            analyzed.small,
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
    Advised { advice, strip }
}

/// A link that opens a row's explanation (`&row=`) shows that row: once the link's text is
/// analyzed, the row is scrolled into view. Once per text a link opened (the text is the key),
/// so opening or closing rows afterwards never moves the page.
#[hook]
pub fn use_open_row_shown(state: &AppState, pending: bool) {
    let link_text = (state.source == Source::Link && !pending).then(|| state.input.clone());
    let row = state.open_row.clone();
    use_effect_with(link_text, move |text| {
        if let (Some(_), Some(field)) = (text, row) {
            // `field` is a JSON field (letters, digits, `_`, `)`), checked when the link was read.
            let selector = format!("[data-testid=\"check\"][data-json-field=\"{field}\"]");
            if let Ok(Some(el)) = gloo::utils::document().query_selector(&selector) {
                el.scroll_into_view();
            }
        }
    });
}

/// The link to the (paused) text with the page's choices and view, and the address bar kept
/// on it once edits pause ([`ADDRESS_PAUSE_MS`]): copying the address shares what the page
/// shows, and a reload shows it. No link for a text a link cannot carry (the decoder's
/// bound): the page offers the file instead; a link longer than [`LINK_WARN_BYTES`] is not
/// put in the address bar (the share view says so).
#[hook]
pub fn use_share(state: &AppState, slow_source: &Text) -> Rc<Option<String>> {
    let share = use_memo(
        (
            slow_source.clone(),
            state.tier,
            (state.version, state.unit_name.clone()),
            (state.left_out.clone(), state.exercise.clone()),
            (state.breakdown, state.open_row.clone()),
        ),
        |(text, ..)| (text.len() <= link::MAX_TEXT_BYTES).then(|| state.fragment_with(text)),
    );
    // An emptied text (Clear) is followed at once: a reload right after it must not find the
    // text before it in the address, as a link to open over the cleared (and set-aside) one.
    let emptied = slow_source.is_empty();
    // A link too long is not put there, and the address is left as it was: a long link that
    // was opened keeps opening on a reload (and a reload of this tab's own address, now behind,
    // reopens the kept text, see `AppState::open`).
    // A link waiting to be opened stays in the address bar (see `AppState::link_waiting`).
    let waiting = state.link_waiting.is_some();
    use_effect_with(
        (share.clone(), emptied, waiting),
        |(share, emptied, waiting)| {
            let follow = share
                .as_deref()
                .filter(|f| !*waiting && dom::page_url(f).len() <= LINK_WARN_BYTES)
                .map(str::to_owned);
            let timeout = match follow {
                Some(f) if *emptied => {
                    dom::follow_link(&f);
                    None
                }
                // Replaced (so cancelled) by the next change before it fires.
                Some(f) => Some(gloo::timers::callback::Timeout::new(
                    ADDRESS_PAUSE_MS,
                    move || dom::follow_link(&f),
                )),
                None => None,
            };
            move || drop(timeout)
        },
    );
    share
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

/// The engine's options for the page: its defaults, with the input kind the person forced
/// and the systemd version chosen.
pub fn read_as(
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
