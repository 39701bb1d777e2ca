//! What only a printout shows: the unit's text, which the editor cannot print whole (a text
//! area prints only what it shows). The `@media print` rules of
//! `web/style.css` lay out the rest of the report for paper.

use yew::prelude::*;

use crate::text::Text;

/// Printouts show at most this many bytes of the text (a handout, not an archive).
const PRINT_LIMIT: usize = 64 << 10;

/// The text as printed, hidden on screen.
pub fn unit_text(text: &Text, small: bool) -> Html {
    if text.is_empty() {
        return Html::default();
    }
    let shown = if small && text.len() <= PRINT_LIMIT {
        text.to_string()
    } else {
        let mut end = PRINT_LIMIT.min(text.len());
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        format!("{}\n\u{2026} ({} bytes in all)", &text[..end], text.len())
    };
    html! {
        <section class="print-only print-unit" data-testid="print-unit" aria-label="The unit as printed">
            <h2>{ "The unit" }</h2>
            <pre>{ shown }</pre>
        </section>
    }
}
