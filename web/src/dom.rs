//! Browser glue: everything here needs a `window`.

use crate::state::{STORAGE_KEY, Theme};

/// The current URL fragment, with its `#` (empty when there is none).
pub fn fragment() -> String {
    gloo::utils::window().location().hash().unwrap_or_default()
}

/// Sets or clears `<html data-theme>`, which the style sheet reads.
pub fn apply_theme(theme: Theme) {
    let root = gloo::utils::document_element();
    let _ = match theme.attr() {
        Some(value) => root.set_attribute("data-theme", value),
        None => root.remove_attribute("data-theme"),
    };
}

/// Puts `text` on the clipboard (asynchronously; a refusal by the browser is ignored, the
/// text stays selectable in the page).
pub fn copy_to_clipboard(text: &str) {
    let clipboard = gloo::utils::window().navigator().clipboard();
    let _ = clipboard.write_text(text);
}

fn storage() -> Option<web_sys::Storage> {
    gloo::utils::window().local_storage().ok().flatten()
}

/// The input kept from the last visit, if the browser lets the page keep one.
pub fn stored_input() -> Option<String> {
    storage()?.get_item(STORAGE_KEY).ok().flatten()
}

/// Keeps `text` for the next visit (an empty text forgets it). A browser that refuses (private
/// mode, full quota) just gets nothing kept.
pub fn store_input(text: &str) {
    if let Some(s) = storage() {
        let _ = if text.is_empty() {
            s.remove_item(STORAGE_KEY)
        } else {
            s.set_item(STORAGE_KEY, text)
        };
    }
}
