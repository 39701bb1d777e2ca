//! The link to the text: copy it, or, for a text too long to travel as a link, download it.

use exposure_core::link;
use yew::prelude::*;

use super::editor::download_text;
use crate::dom;
use crate::state::LINK_WARN_BYTES;
use crate::text::Text;

/// The share link, a button that copies it, and — when the link is too long to travel well —
/// a warning and a download of the text instead. `copied` holds the fragment whose link was
/// copied last: the button says so until the text changes.
pub fn share_view(
    fragment: Option<&str>,
    text: &Text,
    copied: &UseStateHandle<Option<String>>,
) -> Html {
    let on_download = download_text(text);
    let Some(fragment) = fragment else {
        return html! {
            <div class="share">
                <p class="link-warning" role="status" data-testid="link-warning">
                    { format!("This text is too large for a link (over {} KiB), so the address bar \
                        no longer follows it. Share it as a file: ", link::MAX_TEXT_BYTES / 1024) }
                    <button type="button" data-testid="download" onclick={on_download}>
                        { "Download the text" }
                    </button>
                </p>
            </div>
        };
    };
    let url = dom::page_url(fragment);
    let long = url.len() > LINK_WARN_BYTES;
    html! {
        <div class="share">
            <p>
                <a data-testid="share-link" href={fragment.to_owned()}>{ "Link to this text" }</a>
                { " " }
                { copy_button(&url, fragment, "copy-link", copied) }
                <span class="muted">
                    { " \u{2014} the link (also in the address bar) carries the text and how it is \
                        shown; nothing is uploaded." }
                </span>
            </p>
            if long {
                <p class="link-warning" role="status" data-testid="link-warning">
                    { format!("This link is {} KB long; some browsers, chats and mail clients cut \
                        links over 8 KB, so the address bar no longer follows the text (Copy link \
                        still copies it). Share the text as a file instead: ", url.len().div_ceil(1024)) }
                    <button type="button" data-testid="download" onclick={on_download}>
                        { "Download the text" }
                    </button>
                </p>
            }
        </div>
    }
}

/// The button that copies the whole address `url` (of `fragment`) and says so until another
/// link is shown. `copied` holds the fragment copied last.
pub fn copy_button(
    url: &str,
    fragment: &str,
    testid: &'static str,
    copied: &UseStateHandle<Option<String>>,
) -> Html {
    let onclick = {
        let (url, copied, fragment) = (url.to_owned(), copied.clone(), fragment.to_owned());
        Callback::from(move |_: MouseEvent| {
            dom::copy_to_clipboard(&url);
            copied.set(Some(fragment.clone()));
        })
    };
    html! {
        <button type="button" data-testid={testid} {onclick}>
            { if copied.as_deref() == Some(fragment) { "Link copied" } else { "Copy link" } }
        </button>
    }
}
