//! The Learn view (`#learn`, `#learn/NAME`): core's reference of sandboxing options
//! ([`exposure_core::learn`]) grouped by theme and searchable as you type, each entry with a
//! stable deep link and "Try on this unit" ([`crate::trial`]), which adds the entry's example to
//! the shown unit as a drop-in, shows the score change and the rows that moved, and takes it out
//! again.
//!
//! The view's own state (the route read from the address bar, the search, the trial) lives in
//! [`use_learn`], beside the page's reducer: opening the view never changes the text, and
//! following a `#learn` link leaves the unit as it was.

use std::rc::Rc;

use exposure_core::learn::{self, Entry, THEMES};
use exposure_core::{Analysis, analyze};
use gloo::events::EventListener;
use yew::prelude::*;

use super::Dispatcher;
use crate::state::{Action, AppState};
use crate::trial::{self, Change, Removal, Trial};
use crate::{dom, view};

/// The Learn view's state.
#[derive(Clone)]
pub struct Learn {
    /// `None`: the page's main view; `Some(None)`: the index; `Some(Some(name))`: an entry, as
    /// the address bar names it.
    pub route: Option<Option<String>>,
    query: UseStateHandle<String>,
    trial: UseStateHandle<Option<Trial>>,
    /// Why "Remove" left the text alone.
    note: UseStateHandle<Option<String>>,
    /// The trial's score change, from the engine: the unit before and after the drop-in.
    change: Rc<Option<Result<Change, String>>>,
}

impl Learn {
    pub fn open(&self) -> bool {
        self.route.is_some()
    }
}

fn read_route() -> Option<Option<String>> {
    learn::route(&dom::fragment()).map(|n| n.map(str::to_owned))
}

/// The Learn view's state, following the address bar (`hashchange`), and the entry a deep link
/// names scrolled to and focused once it is shown.
#[hook]
pub fn use_learn(state: &AppState) -> Learn {
    let route = use_state(read_route);
    let query = use_state(String::new);
    let trial = use_state(|| None::<Trial>);
    let note = use_state(|| None::<String>);
    {
        let (route, query) = (route.clone(), query.clone());
        use_effect_with((), move |_| {
            let listener = EventListener::new(&gloo::utils::window(), "hashchange", move |_| {
                let next = read_route();
                // A deep link shows its entry whatever was searched for.
                if matches!(next, Some(Some(_))) {
                    query.set(String::new());
                }
                route.set(next);
            });
            move || drop(listener)
        });
    }
    use_effect_with((*route).clone(), |route| {
        if let Some(Some(name)) = route {
            focus_entry(name);
        }
    });
    let change = use_memo(
        (
            (*trial).clone(),
            state.kind,
            state.version,
            state.unit_name.clone(),
        ),
        |(trial, kind, version, unit_name)| {
            let t = trial.as_ref()?;
            let opts = crate::hooks::read_as(*kind, *version, unit_name.as_deref());
            let before = analyze(&t.before, &opts);
            let after = analyze(&t.after, &opts);
            let unit = |a: &Analysis| a.units.iter().find(|u| u.unit == t.unit).cloned();
            Some(match (unit(&before), unit(&after)) {
                (Some(b), Some(a)) => Ok(trial::change(&b, &a)),
                _ => Err(format!(
                    "{} is no longer scored with the tried lines in place.",
                    t.unit
                )),
            })
        },
    );
    Learn {
        route: (*route).clone(),
        query,
        trial,
        note,
        change,
    }
}

/// The id of an entry's element.
fn entry_id(name: &str) -> String {
    format!("learn-{name}")
}

/// Scrolls to the entry `name` (any case) and focuses it, so a deep link lands on it.
fn focus_entry(name: &str) {
    let Some(e) = learn::find(name) else { return };
    if let Some(el) = gloo::utils::document().get_element_by_id(&entry_id(e.name)) {
        el.scroll_into_view();
        if let Ok(el) = wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(el) {
            let _ = el.focus();
        }
    }
}

/// A breakdown row's link to the entry of the option its check reads.
pub fn row_link(json_field: &str) -> Html {
    match learn::entry_of_check(json_field) {
        Some(name) => html! {
            <a class="learn-link" href={learn::fragment(name)} data-testid="learn-link"
                title={format!("{name}= in the Learn view")}>{ "Learn" }</a>
        },
        None => Html::default(),
    }
}

/// What "Try on this unit" acts on: the analysis of the text shown, and whether the editor
/// takes that text.
pub struct Target<'a> {
    pub analysis: &'a Analysis,
    /// The text fits the editor (a larger one is analyzed in steps and is not tried on).
    pub small: bool,
}

/// The Learn view: search, then every entry (or those matching) grouped by theme.
pub fn learn_view(l: &Learn, state: &AppState, target: &Target, d: &Dispatcher) -> Html {
    let all = learn::entries().len();
    let hits = learn::search(&l.query);
    let on_search = {
        let query = l.query.clone();
        Callback::from(move |e: InputEvent| {
            if let Some(v) = super::value_of(&e) {
                query.set(v);
            }
        })
    };
    let wanted = l.route.clone().flatten();
    let missing = wanted
        .as_deref()
        .filter(|n| learn::find(n).is_none())
        .map(|n| format!("No entry is named {n}= (the search below may find it)."));
    let count = if l.query.trim().is_empty() {
        format!("{all} options")
    } else {
        format!("{} of {all} options match", hits.len())
    };
    let tryable = try_status(l, state, target);
    html! {
        <main class="learn" id="learn" data-testid="learn" aria-label="Learn">
            <div class="learn-head">
                <h2>{ "Learn: the sandboxing options" }</h2>
                <a class="button back" href="#" data-testid="learn-back">{ "Back to the unit" }</a>
            </div>
            <p class="muted">
                { "What each option does, why it matters, what it may break and how to relax it \
                   narrowly, with the checks of systemd-analyze security it moves. Each entry has \
                   a link of its own: " }
                <code>{ "#learn/ProtectSystem" }</code>{ "." }
            </p>
            <label class="learn-search">
                <span class="sr-only">{ "Search the options" }</span>
                <input type="search" data-testid="learn-search" placeholder="Search: a name or a word (secrets, ports, /tmp\u{2026})"
                    value={(*l.query).clone()} oninput={on_search} />
            </label>
            <p class="muted" data-testid="learn-count" role="status">{ count }</p>
            if let Some(m) = missing {
                <p class="notice" role="alert" data-testid="learn-missing">{ m }</p>
            }
            // Keyed, in a container of their own: without keys, a search that removed whole
            // themes made Yew re-create the search box, which lost the focus mid-word.
            <div class="learn-list">
            { for THEMES.iter().filter_map(|t| {
                let in_theme: Vec<&Entry> = hits.iter().filter(|e| e.theme == *t).collect();
                (!in_theme.is_empty()).then(|| html! {
                    <section key={t.title()} class="learn-theme" data-testid="learn-theme" aria-label={t.title()}>
                        <h3>{ t.title() }</h3>
                        { for in_theme.into_iter().map(|e| {
                            let target = wanted.as_deref().is_some_and(|w| w.eq_ignore_ascii_case(e.name));
                            entry_view(e, target, l, &tryable, state, d)
                        }) }
                    </section>
                })
            }) }
            </div>
        </main>
    }
}

/// Whether the shown unit can take a trial, and which.
struct TryStatus {
    unit: Option<String>,
    kind: exposure_core::InputKind,
    /// Why no entry can be tried now.
    blocked: Option<String>,
}

fn try_status(l: &Learn, state: &AppState, target: &Target) -> TryStatus {
    let unit = view::shown_unit(&target.analysis.units, state.selected_unit.as_deref())
        .map(|u| u.unit.clone());
    let kind = target.analysis.kind;
    let blocked = if let Some(why) = trial::unavailable(kind) {
        Some(why.to_owned())
    } else if !target.small {
        Some("The text is too large for the editor: try options on a smaller one.".to_owned())
    } else if unit.is_none() {
        Some("There is no unit to try it on: paste one first.".to_owned())
    } else {
        l.trial
            .as_ref()
            .map(|t| format!("{}= is being tried: remove it first.", t.name))
    };
    TryStatus {
        unit,
        kind,
        blocked,
    }
}

/// The man page's name, read from its address (`systemd.exec(5)`).
fn man_name(url: &str) -> String {
    let page = url
        .rsplit('/')
        .next()
        .and_then(|p| p.split(".html").next())
        .unwrap_or("systemd.exec");
    format!("{page}(5)")
}

fn since_text(e: &Entry) -> String {
    let mut s = match e.since {
        Some(exposure_core::checks::EARLY) => "Since before systemd 38".to_owned(),
        Some(v) => format!("Since systemd {v}"),
        None => "Version not recorded".to_owned(),
    };
    if !e.values.is_empty() {
        let values: Vec<String> = e
            .values
            .iter()
            .map(|(v, from)| format!("{}={v} from {from}", e.name))
            .collect();
        s.push_str(&format!("; later values: {}", values.join(", ")));
    }
    s
}

fn entry_view(
    e: &Entry,
    is_target: bool,
    l: &Learn,
    status: &TryStatus,
    state: &AppState,
    d: &Dispatcher,
) -> Html {
    let class = classes!("learn-entry", is_target.then_some("target"));
    html! {
        <article key={e.name} {class} id={entry_id(e.name)} data-testid="learn-entry" data-name={e.name}
            tabindex="-1">
            <h4>
                <code>{ format!("{}=", e.name) }</code>
                <a class="permalink" href={learn::fragment(e.name)} data-testid="learn-permalink"
                    title="A link to this entry">{ "#" }</a>
            </h4>
            <p class="summary">{ e.summary }</p>
            <p>{ e.why }</p>
            <p><strong>{ "May break: " }</strong>{ e.breaks }</p>
            <p><strong>{ "Relax it narrowly: " }</strong>{ e.relax }</p>
            <pre class="example" data-testid="learn-example">{ e.example }</pre>
            if e.checks.is_empty() {
                <p class="unscored" data-testid="learn-unscored">
                    <strong>{ "Not scored by systemd-analyze. " }</strong>{ e.unscored }
                </p>
            } else {
                <div class="learn-checks" data-testid="learn-checks">
                    <strong>{ format!("Checks it moves ({}):", e.checks.len()) }</strong>
                    <ul>
                        { for e.checks.iter().map(|(field, name, weight)| html! {
                            <li data-json-field={*field}>
                                <code>{ *name }</code>{ format!(" \u{2014} weight {weight}") }
                            </li>
                        }) }
                    </ul>
                </div>
            }
            <p class="muted facts">
                { format!("{} \u{b7} ", since_text(e)) }
                <a href={e.man.clone()} rel="noreferrer noopener" target="_blank">
                    { man_name(&e.man) }
                </a>
            </p>
            { try_view(e, l, status, state, d) }
        </article>
    }
}

/// "Try on this unit", or the trial of this entry: the score change, the rows that moved and
/// "Remove".
fn try_view(e: &Entry, l: &Learn, status: &TryStatus, state: &AppState, d: &Dispatcher) -> Html {
    if let Some(t) = l.trial.as_ref().filter(|t| t.name == e.name) {
        return trial_view(t, l, state, d);
    }
    let blocked = status.blocked.clone();
    let onclick = {
        let (trial, note, d) = (l.trial.clone(), l.note.clone(), d.clone());
        let (input, kind, unit) = (state.input.clone(), status.kind, status.unit.clone());
        let (name, example) = (e.name, e.example);
        Callback::from(move |_: MouseEvent| {
            let Some(unit) = &unit else { return };
            if let Some(t) = trial::add(&input, kind, unit, name, example) {
                note.set(None);
                d.dispatch(Action::Edit(t.after.to_string()));
                trial.set(Some(t));
            }
        })
    };
    html! {
        <p class="try">
            <button type="button" data-testid="try-entry" disabled={blocked.is_some()} {onclick}
                title={blocked.clone().unwrap_or_else(|| "Add this example to the unit as a drop-in".to_owned())}>
                { match &status.unit {
                    Some(u) => format!("Try on {u}"),
                    None => "Try on this unit".to_owned(),
                } }
            </button>
            if let Some(why) = blocked.filter(|_| l.trial.is_none()) {
                <span class="muted">{ format!(" {why}") }</span>
            }
        </p>
    }
}

/// The trial shown in its entry.
fn trial_view(t: &Trial, l: &Learn, state: &AppState, d: &Dispatcher) -> Html {
    let edited = *state.input != *t.after;
    html! {
        <div class="trial" data-testid="trial" role="status">
            <p>
                { format!("Added to {} as a drop-in. ", t.unit) }
                { change_summary(l) }
            </p>
            if let Some(Ok(c)) = l.change.as_ref() {
                if c.moved.is_empty() {
                    <p class="muted">{ "No row moved: the unit already had it, or the checks \
                        do not read it." }</p>
                } else {
                    <ul class="moved" data-testid="trial-moved">
                        { for c.moved.iter().map(|m| html! {
                            <li data-json-field={m.json_field}>
                                <code>{ m.name }</code>
                                { format!(" {} {} \u{2192} {} {}",
                                    view::check_mark(m.before.0), view::exposure_text(m.before.1),
                                    view::check_mark(m.after.0), view::exposure_text(m.after.1)) }
                            </li>
                        }) }
                    </ul>
                }
            }
            if edited {
                <p class="muted">{ "The text was edited since; Remove takes out only the tried lines." }</p>
            }
            <button type="button" data-testid="trial-remove" onclick={remove_callback(l, state, d)}>
                { "Remove" }
            </button>
        </div>
    }
}

/// "9.6 → 8.1 (−1.5)", from the engine.
fn change_summary(l: &Learn) -> Html {
    match l.change.as_ref() {
        Some(Ok(c)) => {
            let delta = i64::from(c.after.0) - i64::from(c.before.0);
            let sign = if delta < 0 { "\u{2212}" } else { "+" };
            html! {
                <span data-testid="trial-change" data-before={c.before.to_string()}
                    data-after={c.after.to_string()}>
                    { format!("Exposure {} \u{2192} {} ({sign}{}.{})", c.before, c.after,
                        delta.abs() / 10, delta.abs() % 10) }
                </span>
            }
        }
        Some(Err(why)) => html! { <span>{ why.clone() }</span> },
        None => Html::default(),
    }
}

fn remove_callback(l: &Learn, state: &AppState, d: &Dispatcher) -> Callback<MouseEvent> {
    let (trial, note, d, shown) = (
        l.trial.clone(),
        l.note.clone(),
        d.clone(),
        state.input.clone(),
    );
    Callback::from(move |_: MouseEvent| {
        let Some(t) = trial.as_ref() else { return };
        match trial::remove(t, &shown) {
            Removal::Restore(before) => d.dispatch(Action::Edit(before.to_string())),
            Removal::Cut(text) => d.dispatch(Action::Edit(text)),
            Removal::Edited => {
                note.set(Some(format!(
                    "The tried lines of {}= were edited, so the page left the text alone: \
                     remove them by hand.",
                    t.name
                )));
            }
        }
        trial.set(None);
    })
}

/// The trial, shown above either view while it lasts: what was added, the score change, a way
/// to its entry and "Remove".
pub fn trial_banner(l: &Learn, state: &AppState, d: &Dispatcher) -> Html {
    match l.trial.as_ref() {
        Some(t) => html! {
            <div class="notice trial-banner" role="status" data-testid="trial-banner">
                <span>
                    { format!("Trying {}= on {}. ", t.name, t.unit) }
                    { change_summary(l) }
                </span>
                if !l.open() {
                    <a class="button" href={learn::fragment(t.name)}>{ "Its entry" }</a>
                }
                <button type="button" data-testid="trial-banner-remove"
                    onclick={remove_callback(l, state, d)}>{ "Remove" }</button>
            </div>
        },
        None => match l.note.as_ref() {
            Some(n) => html! {
                <div class="notice" role="alert"><span>{ n.clone() }</span></div>
            },
            _ => Html::default(),
        },
    }
}
