//! The assessment side of the page: the summary of several units, and the shown unit's
//! score with its version choice, its override and its breakdown.

use exposure_core::advise::Advice;
use exposure_core::{Analysis, UnitReport, Version};
use yew::prelude::*;

use super::advice::override_view;
use super::breakdown::breakdown_view;
use super::{Dispatcher, make_callback, on_value};
use crate::state::{Action, AppState};
use crate::strip::VersionScore;
use crate::{dom, view};

/// What the hooks derived for the assessment side of the page.
pub struct Assessment<'a> {
    pub analysis: &'a Analysis,
    pub advice: &'a [Advice],
    /// The shown unit's score under every version.
    pub strip: &'a [VersionScore],
    /// The drop-in last put on the clipboard: its button says "Copied" while it is shown.
    pub dropin_copied: &'a UseStateHandle<Option<String>>,
    /// The suggestions shown are those of the text before the last edits (a long text is
    /// advised on once typing pauses).
    pub advice_stale: bool,
    /// The text is too large for the editor, so the advisor makes no suggestion.
    pub too_large: bool,
    /// The text holds no service yet: the page explains what to paste instead of scoring.
    pub awaiting: Option<view::Awaiting>,
    /// Selects a line of the text (1-based) in the editor.
    pub goto_line: Callback<u32>,
}

/// Chooses a version to score as (remembered for the next visit).
fn pick_version(d: &Dispatcher) -> Callback<Version> {
    make_callback(d, |version: Version| {
        dom::keep_version(version.as_str());
        Action::SetVersion(version)
    })
}

/// The version selector's `change`.
fn on_version(d: &Dispatcher) -> Callback<Event> {
    let pick = pick_version(d);
    Callback::from(move |e: Event| {
        if let Some(version) = super::value_of(&e).as_deref().and_then(Version::parse) {
            pick.emit(version);
        }
    })
}

pub fn units_view(a: &Assessment<'_>, state: &AppState, d: &Dispatcher) -> Html {
    let (analysis, advice) = (a.analysis, a.advice);
    let on_version = on_version(d);
    if let Some(awaiting) = a.awaiting {
        return empty_view(awaiting, d);
    }
    let Some(shown) = view::shown_unit(&analysis.units, state.selected_unit.as_deref()) else {
        // A version that cannot read unit files (249) says why, and can be switched here.
        if let Some(why) = state.version.unit_files_refused()
            && analysis.kind != exposure_core::InputKind::SystemctlShow
        {
            return html! {
                <div class="empty">
                    <p data-testid="no-unit">{ format!("{why}.") }</p>
                    { version_choice(state.version, &on_version) }
                </div>
            };
        }
        return html! {
            <p class="empty" data-testid="no-unit">
                { "No service to assess yet: paste a unit file with a [Service] section." }
            </p>
        };
    };
    let shown_advice = advice.iter().find(|x| x.unit == shown.unit);
    let named = name_field(analysis.kind, &shown.unit, state);
    html! {
        <>
            if analysis.units.len() > 1 {
                { summary_view(&analysis.units, &shown.unit, &state.unit_filter, d) }
            }
            { unit_view(shown, shown_advice, state, a, d, named) }
        </>
    }
}

/// One line per unit, like the table `systemd-analyze security` prints for several units;
/// each name is a button that shows that unit's breakdown.
/// How many units the summary table lists (a table of thousands of rows takes the page
/// half a second to lay out); the unit shown is always listed.
const SUMMARY_SHOWN: usize = 200;

fn summary_view(units: &[UnitReport], shown: &str, filter: &str, d: &Dispatcher) -> Html {
    let (listed, matching) = view::summary_units(units, filter, shown, SUMMARY_SHOWN);
    let more = matching.saturating_sub(SUMMARY_SHOWN);
    let oninput = on_value(d, |v| Some(Action::FilterUnits(v)));
    let heading = if filter.trim().is_empty() {
        format!("{} units", units.len())
    } else {
        format!("{} units, {matching} matching", units.len())
    };
    html! {
        <section class="summary-area" aria-label="Units">
            <h2>{ heading }</h2>
            if units.len() > 20 {
                <input type="search" class="summary-filter" data-testid="summary-filter"
                    placeholder="Find a unit by name" aria-label="Find a unit by name"
                    value={filter.to_owned()} {oninput} />
            }
            <div class="table-wrap">
                <table class="summary" data-testid="summary">
                    <thead>
                        <tr>
                            <th scope="col">{ "UNIT" }</th>
                            <th class="num" scope="col">{ "EXPOSURE" }</th>
                            <th scope="col">{ "PREDICATE" }</th>
                            <th scope="col"><span class="sr-only">{ "Verdict" }</span></th>
                        </tr>
                    </thead>
                    <tbody>
                        { for listed.into_iter().map(|u| {
                            let is_shown = u.unit == shown;
                            let onclick = {
                                let name = u.unit.clone();
                                make_callback(d, move |_: MouseEvent| Action::SelectUnit(name.clone()))
                            };
                            html! {
                                <tr data-testid="summary-row" data-unit={u.unit.clone()}
                                    class={classes!(format!("band-{}", u.predicate.band()),
                                        is_shown.then_some("shown"))}>
                                    <td>
                                        <button type="button" class="unit-pick" {onclick}
                                            aria-pressed={is_shown.to_string()}>
                                            { u.unit.clone() }
                                        </button>
                                    </td>
                                    <td class="num">{ u.exposure.to_string() }</td>
                                    <td class="predicate">{ u.predicate.as_str() }</td>
                                    <td class="glyph" aria-hidden="true">{ u.predicate.emoji() }</td>
                                </tr>
                            }
                        }) }
                    </tbody>
                </table>
            </div>
            if more > 0 {
                <p class="muted" data-testid="summary-more">
                    { format!("\u{2026} and {more} more, not listed here: find them by name (the \
                        exposure command lists them all).") }
                </p>
            }
        </section>
    }
}

/// The version selector beside a score, and what backs the chosen version's score.
fn version_choice(version: Version, on_change: &Callback<Event>) -> Html {
    let evidence = version.profile().evidence;
    html! {
        <span class="version-choice">
            <label>
                <span class="sr-only">{ "systemd version" }</span>
                <select onchange={on_change.clone()} data-testid="systemd-version"
                    title="The systemd whose systemd-analyze security to score as">
                    { for Version::all().map(|v| {
                        let p = v.profile();
                        let label = if p.shipped_by.is_empty() {
                            format!("systemd {}", p.id)
                        } else {
                            format!("systemd {} ({})", p.id, p.shipped_by)
                        };
                        html! {
                            <option value={p.id} selected={v == version}>{ label }</option>
                        }
                    }) }
                </select>
            </label>
            <span class={classes!("version", "muted", format!("evidence-{}", match evidence {
                    exposure_core::version::Evidence::Verified => "verified",
                    exposure_core::version::Evidence::Derived => "derived",
                }))} data-testid="version"
                title="The systemd version whose systemd-analyze security this score equals">
                { format!("{} — {}", version.scores_it(), evidence.label()) }
            </span>
        </span>
    }
}

/// The shown unit's score under every version; a click chooses that version (remembered as
/// the selector's choice is).
fn version_strip(strip: &[VersionScore], current: Version, pick: &Callback<Version>) -> Html {
    if strip.is_empty() {
        return Html::default();
    }
    html! {
        <div class="version-strip" data-testid="version-strip"
            aria-label="This unit's score under each systemd version">
            { for strip.iter().map(|s| {
                let id = s.version.as_str();
                let (score, band) = match s.score {
                    Some((t, p)) => (t.to_string(), format!("band-{}", p.band())),
                    None => ("–".to_owned(), "band-none".to_owned()),
                };
                let title = match s.score {
                    Some((t, p)) => format!("systemd {id}: {t} {} ({})", p.as_str(),
                        s.version.profile().evidence.label()),
                    None => format!("systemd {id}: not scored (it cannot read this input, or refuses the unit)"),
                };
                let onclick = {
                    let (pick, version) = (pick.clone(), s.version);
                    Callback::from(move |_: MouseEvent| pick.emit(version))
                };
                html! {
                    <button type="button" value={id}
                        class={classes!("version-score", band, (s.version == current).then_some("current"))}
                        data-testid="version-score" data-version={id} title={title}
                        aria-pressed={(s.version == current).to_string()} {onclick}>
                        <span class="v">{ id }</span>
                        <span class="s">{ score }</span>
                    </button>
                }
            }) }
        </div>
    }
}

/// Whether the shown unit gets an "assess as" field: a pasted unit file (named `unit.service`
/// otherwise), a template of a `systemctl cat` paste whose drop-ins name no instance, or a
/// name already given.
fn name_field(kind: exposure_core::InputKind, shown: &str, state: &AppState) -> bool {
    use exposure_core::InputKind;
    state.unit_name.is_some()
        || kind == InputKind::UnitFile
        || (kind == InputKind::SystemctlCat
            && shown.ends_with(&format!("@{}.service", state.version.profile().instance)))
}

fn unit_view(
    unit: &UnitReport,
    advice: Option<&Advice>,
    state: &AppState,
    a: &Assessment<'_>,
    d: &Dispatcher,
    name_field: bool,
) -> Html {
    let band = unit.predicate.band();
    html! {
        <article class={classes!("unit", format!("band-{band}"))} data-testid="unit"
            data-unit={unit.unit.clone()}>
            <div class="unit-head">
                <h2 class="unit-name">{ unit.unit.clone() }</h2>
                if name_field {
                    { name_input(unit, state, d) }
                }
            </div>
            <div class="verdict">
                <span class="score" data-testid="exposure">{ unit.exposure.to_string() }</span>
                <span class="predicate" data-testid="predicate">{ unit.predicate.as_str() }</span>
                <span class="glyph" aria-hidden="true">{ unit.predicate.emoji() }</span>
                <meter class="meter" min="0" max="100" low="50" high="75" optimum="0"
                    value={unit.exposure.0.to_string()}
                    aria-label="Overall exposure, 0 to 10" />
                { version_choice(state.version, &on_version(d)) }
                { version_strip(a.strip, state.version, &pick_version(d)) }
            </div>
            { meaning_view(unit) }
            if let Some(advice) = advice {
                { to_override(advice) }
            }
            if let Some(why) = &unit.refused {
                <p class="refused" role="status">
                    { format!("systemd would not load this unit: {why}") }
                </p>
            }
            { breakdown_view(unit, advice, state.breakdown, state.open_row.as_deref(), d, &a.goto_line) }
            { override_view(unit, advice, state, a, d) }
        </article>
    }
}

/// The field naming the unit: a pasted unit file has no name of its own (it is called
/// `unit.service` until named), a template's instance is the version's own.
fn name_input(unit: &UnitReport, state: &AppState, d: &Dispatcher) -> Html {
    let unnamed = state.unit_name.is_none() && unit.unit == "unit.service";
    html! {
        <label class={classes!("assess-as", (!unnamed).then_some("muted"))}>
            if unnamed {
                <span data-testid="name-hint">
                    { "No # /path header names this text: what is the unit called? " }
                </span>
            } else {
                { "Assess as " }
            }
            <input type="text" data-testid="unit-name" spellcheck="false"
                value={state.unit_name.clone().unwrap_or_default()}
                placeholder={unit.unit.clone()}
                onchange={on_value(d, |v| Some(Action::NameUnit(v)))}
                title="The unit's name (e.g. nginx.service, or an instance such as foo@bar.service \
                    for %i): the steps and the drop-in use it" />
        </label>
    }
}

/// What the score means: its scale, where systemd's bands begin and where this unit sits,
/// and one sentence on what costs most.
fn meaning_view(unit: &UnitReport) -> Html {
    let bands = view::bands();
    html! {
        <div class="meaning" data-testid="meaning">
            <p class="scale">
                <strong>{ format!("{} of 10", unit.exposure) }</strong>
                { " \u{2014} lower is better (0: every check passes; 10: none does)." }
            </p>
            <ol class="bands" data-testid="bands" aria-label="systemd's bands">
                { for bands.iter().map(|(p, from)| {
                    let current = *p == unit.predicate;
                    html! {
                        <li class={classes!(format!("band-{}", p.band()), current.then_some("current"))}
                            data-predicate={p.as_str()} aria-current={current.then_some("true")}>
                            <span class="p">{ p.as_str() }</span>
                            <span class="from">{ format!("from {from}") }</span>
                        </li>
                    }
                }) }
            </ol>
            <p class="sentence" data-testid="sentence">{ view::score_sentence(unit) }</p>
        </div>
    }
}

/// Instead of a score while the text holds no service: what to paste, the examples, and
/// that the text stays in the browser.
fn empty_view(awaiting: view::Awaiting, d: &Dispatcher) -> Html {
    let first = match awaiting {
        view::Awaiting::Nothing => "Paste a service to see its score.",
        view::Awaiting::NoService => {
            "No [Service] section yet: the score appears once the text has one."
        }
    };
    html! {
        <div class="empty-state" data-testid="empty-state">
            <h2>{ first }</h2>
            <p>
                { "Paste a service's unit file (e.g. /etc/systemd/system/nginx.service), or what \
                   systemctl cat nginx.service or systemctl show nginx.service prints, into the \
                   editor \u{2014} or drop the files on the page. You get the score \
                   systemd-analyze security would print (0 to 10, lower is better), every check \
                   behind it, and an override that lowers it." }
            </p>
            <p>{ "Or start from an example:" }</p>
            <ul class="empty-examples">
                { for crate::example::EXAMPLES.iter().map(|e| {
                    let id = e.id.to_owned();
                    html! {
                        <li>
                            <button type="button" data-testid="empty-example" value={e.id}
                                onclick={make_callback(d, move |_: MouseEvent| Action::LoadExampleId(id.clone()))}>
                                { e.label }
                            </button>
                        </li>
                    }
                }) }
            </ul>
            <p class="muted">{ "Your text never leaves this page: nothing is uploaded." }</p>
        </div>
    }
}

/// A shortcut from the score to the override below the breakdown, with what it predicts.
fn to_override(advice: &Advice) -> Html {
    let onclick = Callback::from(|_: MouseEvent| {
        if let Some(el) = gloo::utils::document().get_element_by_id("override") {
            el.scroll_into_view();
        }
    });
    html! {
        <button type="button" class="to-override" data-testid="to-override" {onclick}>
            { format!("Suggested override: {} \u{2192} {} {} \u{2193}", advice.exposure_before,
                advice.exposure_after, advice.predicate_after) }
        </button>
    }
}
