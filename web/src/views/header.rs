//! The top of the page: its title and actions, the notice, and the text set aside.

use yew::prelude::*;

use super::{Dispatcher, make_callback};
use crate::state::{Action, AppState, SetAside, Source};
use crate::{dom, example};

/// Opens files dropped on the page or picked (unless together they are too big to read).
pub fn open_files(dispatcher: &Dispatcher) -> Callback<web_sys::FileList> {
    let dispatcher = dispatcher.clone();
    Callback::from(move |list: web_sys::FileList| {
        let dispatcher = dispatcher.clone();
        dom::read_files(&list, exposure_core::MAX_INPUT_BYTES, move |r| {
            dispatcher.dispatch(match r {
                Ok(files) => Action::OpenFiles(files),
                Err(total) => Action::ShowNotice(crate::files::too_big(total)),
            })
        });
    })
}

/// The title and the page's actions: the examples, opening files, Clear, the theme.
pub fn header_view(
    state: &AppState,
    d: &Dispatcher,
    on_files: &Callback<web_sys::FileList>,
    menu: &NodeRef,
) -> Html {
    let on_pick = {
        let on_files = on_files.clone();
        Callback::from(move |e: Event| {
            if let Some(input) = e.target_dyn_into::<web_sys::HtmlInputElement>() {
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
    let next = state.theme.next();
    html! {
        <header class="top">
            <div class="brand">
                <h1>{ "Exposure" }</h1>
                <p class="tagline">{ "systemd hardening, scored in your browser" }</p>
            </div>
            <nav class="actions">
                <button type="button" onclick={make_callback(d, |_: MouseEvent| Action::LoadExample)}>
                    { "Example" }
                </button>
                <label class="button file-pick" title="Open a unit file and its drop-ins (or drop them on the page)">
                    { "Open files\u{2026}" }
                    <input type="file" multiple=true data-testid="open-files" onchange={on_pick}
                        accept=".service,.socket,.conf,.txt,text/plain" class="sr-only" />
                </label>
                <button type="button" data-testid="clear" onclick={make_callback(d, |_: MouseEvent| Action::Clear)}
                    title="Empty the text (it is set aside: Undo brings it back)">
                    { "Clear" }
                </button>
                { examples_menu(d, menu) }
                <a class="button" href={exposure_core::learn::INDEX_FRAGMENT} data-testid="learn-open"
                    title="What every sandboxing option does (works offline)">{ "Learn" }</a>
                <button type="button" class="theme" aria-label="Switch colour theme"
                    onclick={make_callback(d, move |_: MouseEvent| Action::SetTheme(next))}>
                    { format!("Theme: {}", state.theme.label()) }
                </button>
            </nav>
        </header>
    }
}

/// The examples: a menu that opens on a click, Enter or Space (never on an arrow key, which
/// a `<select>` takes as a choice) and loads the example chosen; the user's text is set
/// aside, one click away.
fn examples_menu(d: &Dispatcher, menu: &NodeRef) -> Html {
    html! {
        <details class="examples" ref={menu.clone()}>
            <summary class="button" data-testid="examples">{ "More examples\u{2026}" }</summary>
            <ul class="menu" aria-label="Examples">
                { for example::EXAMPLES.iter().map(|e| {
                    let (id, menu, dispatcher) = (e.id.to_owned(), menu.clone(), d.clone());
                    let onclick = Callback::from(move |_: MouseEvent| {
                        if let Some(details) = menu.cast::<web_sys::Element>() {
                            let _ = details.remove_attribute("open");
                        }
                        dispatcher.dispatch(Action::LoadExampleId(id.clone()));
                    });
                    html! {
                        <li>
                            <button type="button" data-testid="example-item" value={e.id} {onclick}>
                                { e.label }
                            </button>
                        </li>
                    }
                }) }
            </ul>
        </details>
    }
}

/// A message for the user (e.g. why dropped files were not opened), and the text set aside.
pub fn notices_view(state: &AppState, d: &Dispatcher) -> Html {
    html! {
        <>
            if let Some(notice) = &state.notice {
                <div class="notice" role="alert" data-testid="notice">
                    <span>{ notice.clone() }</span>
                    <button type="button" onclick={make_callback(d, |_: MouseEvent| Action::DismissNotice)}>
                        { "Dismiss" }
                    </button>
                </div>
            }
            if let Some(aside) = &state.set_aside {
                { set_aside_view(aside, state, d) }
            }
        </>
    }
}

/// Says which text is set aside and offers it back: the user's own text when a link, an
/// example or files replaced it or Clear emptied the editor (then the button is "Undo"), or
/// the other text after switching back.
fn set_aside_view(aside: &SetAside, state: &AppState, d: &Dispatcher) -> Html {
    let (shown, cleared) = (state.source, state.input.is_empty());
    let lines = aside.lines;
    let lines = if lines == 1 {
        "1 line".to_owned()
    } else {
        format!("{lines} lines")
    };
    let what = match (aside.source.is_users(), shown) {
        _ if cleared => {
            let whose = match aside.source {
                s if s.is_users() => "Your text",
                Source::Link => "The link's text",
                _ => "The example",
            };
            format!("Text cleared. {whose} ({lines}) is kept.")
        }
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
    let back = if cleared {
        "Undo"
    } else if aside.source.is_users() {
        "Switch back"
    } else {
        "Switch to it"
    };
    let on_back = make_callback(d, |_: MouseEvent| Action::SwitchBack);
    let on_forget = make_callback(d, |_: MouseEvent| Action::ForgetSetAside);
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
