//! The diagnostics: each names its line (a button that selects it in the editor) and the
//! problem.

use exposure_core::Diagnostic;
use yew::prelude::*;

use crate::view;

/// How many diagnostics the list shows; a text of garbage can have one per line.
const DIAGNOSTICS_SHOWN: usize = 200;

pub fn diagnostics_view(
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
