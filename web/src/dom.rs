//! Browser glue: everything here needs a `window`.

use crate::state::Theme;

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
