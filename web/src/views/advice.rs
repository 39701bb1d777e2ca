//! The suggested override: how far it goes, the score it predicts, how to install it, the
//! drop-in with its copy button, and each suggested line with its checkbox.

use exposure_core::UnitReport;
use exposure_core::advise::{Advice, Line, Tier};
use yew::prelude::*;

use super::units::Assessment;
use super::{Dispatcher, checked, make_callback, on_value};
use crate::state::{ADVISE_LIMIT, Action, AppState};
use crate::{dom, suggest};

/// The override section of the shown unit.
pub fn override_view(
    unit: &UnitReport,
    advice: Option<&Advice>,
    state: &AppState,
    a: &Assessment<'_>,
    d: &Dispatcher,
) -> Html {
    let override_text = advice.map(suggest::override_block).unwrap_or_default();
    let on_tier = on_value(d, |v| Tier::parse(&v).map(Action::SetTier));
    html! {
        <section class="override-area" id="override" aria-label="Suggested override">
            <h3>{ "Suggested override" }</h3>
            <label class="tier">
                { "Go as far as " }
                <select onchange={on_tier} data-testid="tier">
                    { for Tier::ALL.iter().map(|t| html! {
                        <option value={t.as_str()} selected={*t == state.tier}>
                            { suggest::tier_label(*t) }
                        </option>
                    }) }
                </select>
            </label>
            if advice.is_some() && a.advice_stale {
                <p class="muted" role="status" data-testid="advice-stale">
                    { "This text is long: the suggestions are updated when you pause typing." }
                </p>
            }
            if let Some(advice) = advice {
                <p class="predicted" data-testid="override-after">
                    { format!("{} {} → {} {} once installed ", advice.exposure_before,
                        advice.predicate_before, advice.exposure_after, advice.predicate_after) }
                    <span class="muted">{ "(the score systemd-analyze will print)" }</span>
                </p>
                { steps_view(&unit.unit) }
            } else if a.too_large {
                <p class="muted">
                    { format!("Suggestions are made for texts the editor takes (up to {} KiB \
                        and {} lines); this one is larger. The CLI (exposure suggest) has no \
                        such limit.", ADVISE_LIMIT / 1024, crate::state::EDIT_MAX_LINES) }
                </p>
            } else {
                <p class="muted">{ "Suggestions need the unit file: paste it or systemctl cat output." }</p>
            }
            <div class="override-box">
                <pre class="override" data-testid="override">
                    // One block per line, so that a long line wraps under itself, indented.
                    { for override_text.split_inclusive('\n').map(|l| html! {
                        <span class="line">{ l.to_owned() }</span>
                    }) }
                </pre>
                if let Some(advice) = advice {
                    { copy_view(&advice.dropin, a.dropin_copied) }
                }
            </div>
            if let Some(advice) = advice {
                <ul class="suggestions">
                    { for advice.lines.iter().map(|l| suggestion_view(unit, l, d)) }
                </ul>
            }
        </section>
    }
}

/// How to install the override, check that the service still works, and undo it: the
/// advisor's own steps (`exposure_core::advise::steps`, the ones `exposure suggest` prints),
/// each with the command to copy.
pub fn steps_view(unit: &str) -> Html {
    use exposure_core::advise::{StepKind, steps};
    let all = steps(unit);
    let group = |kind: StepKind, title: &'static str| {
        html! {
            <section class="step-group" data-kind={kind.as_str()}>
                <h4>{ title }</h4>
                <ol>
                    { for all.iter().filter(|s| s.kind == kind).map(|s| html! {
                        <li><span>{ &s.what }</span><code>{ &s.command }</code></li>
                    }) }
                </ol>
            </section>
        }
    };
    html! {
        <div class="steps" data-testid="steps">
            { group(StepKind::Apply, "Install it") }
            { group(StepKind::Check, "Check that the service still works") }
            { group(StepKind::Undo, "Undo it") }
        </div>
    }
}

/// One suggested line: a checkbox to keep it in the override or leave it out, its gain and
/// what it may break; a withheld line says why it is not suggested.
fn suggestion_view(unit: &UnitReport, l: &Line, d: &Dispatcher) -> Html {
    let fixes = crate::view::rows_fixed_by(l.setting, &unit.rows);
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
        let (unit, setting) = (unit.unit.clone(), l.setting.to_owned());
        make_callback(d, move |e: Event| Action::Choose {
            unit: unit.clone(),
            setting: setting.clone(),
            chosen: checked(&e).unwrap_or(false),
        })
    };
    html! {
        <li data-testid="suggestion" data-setting={l.setting} id={suggestion_id(l.setting)}
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
            if !fixes.is_empty() {
                <span class="fixes" data-testid="fixes">{ fixes_text(&fixes) }</span>
            }
            <span class="breaks">{ format!("May break: {}.", l.may_break) }</span>
        </li>
    }
}

/// Copies the full drop-in (with its comments, without control characters) to the
/// clipboard; `copied` holds the text copied last, so the button says "Copied" until the
/// drop-in changes.
pub fn copy_view(text: &str, copied: &UseStateHandle<Option<String>>) -> Html {
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

/// The failing rows a suggestion acts on, as the breakdown names them (the first few).
fn fixes_text(rows: &[&exposure_core::Row]) -> String {
    const SHOWN: usize = 3;
    let names: Vec<&str> = rows.iter().take(SHOWN).map(|r| r.name).collect();
    let more = rows.len().saturating_sub(SHOWN);
    let more = if more > 0 {
        format!(" and {more} more")
    } else {
        String::new()
    };
    format!("Fixes {}{more}.", names.join(", "))
}

/// The element id of the suggestion of `setting` (a row that it fixes links to it).
pub fn suggestion_id(setting: &str) -> String {
    format!("suggest-{setting}")
}
