//! The page's plain view functions: each turns part of the state (and what the hooks derive
//! from it) into HTML for the App's one render. They are functions, not components of their
//! own: a child component was seen to keep rendering stale props after some sequences of
//! updates, leaving the editor's gutter behind the text.
//!
//! A view that changes the state builds its callbacks here with [`make_callback`] (Yew's
//! `function_todomvc` pattern over the reducer in [`crate::state`]).

pub mod advice;
pub mod breakdown;
pub mod diagnostics;
pub mod editor;
pub mod exercise;
pub mod header;
pub mod learn;
pub mod print;
pub mod share;
pub mod table;
pub mod units;

use wasm_bindgen::JsCast;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use crate::state::{Action, AppState};

/// What dispatches the page's actions (cloned into every callback).
pub type Dispatcher = UseReducerDispatcher<AppState>;

/// A callback that dispatches the action `f` makes of its event.
pub fn make_callback<E: 'static>(
    dispatcher: &Dispatcher,
    f: impl Fn(E) -> Action + 'static,
) -> Callback<E> {
    let dispatcher = dispatcher.clone();
    Callback::from(move |e: E| dispatcher.dispatch(f(e)))
}

/// A callback on a `<select>`'s or an `<input>`'s `change` or `input`: dispatches the action `f`
/// makes of its value, if any.
pub fn on_value<E: AsRef<Event> + 'static>(
    dispatcher: &Dispatcher,
    f: impl Fn(String) -> Option<Action> + 'static,
) -> Callback<E> {
    let dispatcher = dispatcher.clone();
    Callback::from(move |e: E| {
        if let Some(value) = value_of(e.as_ref())
            && let Some(action) = f(value)
        {
            dispatcher.dispatch(action);
        }
    })
}

/// The value of the `<select>` or `<input>` an event is on.
pub fn value_of(e: &Event) -> Option<String> {
    let target = e.target()?;
    if let Some(select) = target.dyn_ref::<HtmlSelectElement>() {
        return Some(select.value());
    }
    target.dyn_ref::<HtmlInputElement>().map(|i| i.value())
}

/// Whether the checkbox an event is on is ticked.
pub fn checked(e: &Event) -> Option<bool> {
    e.target_dyn_into::<HtmlInputElement>().map(|i| i.checked())
}
