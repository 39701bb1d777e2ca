//! The breakdown: one row per check, sorted, filtered and grouped as the user chooses, each
//! with its teaching text folded under it.

use exposure_core::advise::Advice;
use exposure_core::{Row, UnitReport};
use yew::prelude::*;

use super::{Dispatcher, checked, make_callback, value_of};
use crate::state::{Action, Breakdown, Sort};
use crate::view;

/// The controls and the table of the shown unit's checks, each with its share of the score.
pub fn breakdown_view(
    unit: &UnitReport,
    advice: Option<&Advice>,
    breakdown: Breakdown,
    open_row: Option<&str>,
    d: &Dispatcher,
    goto_line: &Callback<u32>,
) -> Html {
    let on_toggle = make_callback(d, |(row, open)| Action::ToggleRow { row, open });
    let shares = view::shares(&unit.rows);
    // The suggested (not withheld, not left out) setting that fixes each failing row.
    let fixed_by = |row: &Row| {
        advice?
            .lines
            .iter()
            .filter(|l| l.withheld.is_none() && !l.left_out)
            .find(|l| {
                view::rows_fixed_by(l.setting, &unit.rows)
                    .iter()
                    .any(|r| std::ptr::eq(*r, row))
            })
            .map(|l| l.setting)
    };
    let share_of = |row: &Row| {
        unit.rows
            .iter()
            .position(|r| std::ptr::eq(r, row))
            .and_then(|i| shares[i])
    };
    html! {
        <section class="breakdown" data-testid="breakdown" aria-label="Breakdown">
            <h3>{ "Breakdown" }</h3>
            <p class="muted how">
                { format!("Exposure is each check's weighted cost as systemd-analyze prints it; \
                    Share is what it adds to the {} (a check's cost over the weight of all the \
                    checks that apply).", unit.exposure) }
            </p>
            { breakdown_controls(breakdown, &make_callback(d, Action::SetBreakdown)) }
            if breakdown.table {
                { super::table::systemd_table(unit, breakdown) }
            } else {
            <div class="table-wrap">
                <table class="checks">
                    <thead>
                        <tr>
                            <th class="mark" scope="col"><span class="sr-only">{ "Result" }</span></th>
                            <th scope="col">{ "Check" }</th>
                            <th scope="col">{ "Description" }</th>
                            <th class="num share" scope="col">{ "Share" }</th>
                            <th class="num" scope="col">{ "Exposure" }</th>
                        </tr>
                    </thead>
                    { for view::arrange(&unit.rows, breakdown).into_iter().map(|(title, rows)| {
                        let subtotal: u64 = rows.iter().filter_map(|r| share_of(r)).sum();
                        html! {
                            <tbody>
                                if let Some(title) = title {
                                    <tr class="group-head">
                                        <th colspan="5" scope="rowgroup">
                                            <span data-testid="group-title">{ title }</span>
                                            <span class="subtotal" data-testid="group-subtotal">
                                                { format!(" \u{2014} {} of {}", view::share_text(subtotal), unit.exposure) }
                                            </span>
                                        </th>
                                    </tr>
                                }
                                { for rows.into_iter().map(|r| {
                                    let open = open_row == Some(r.json_field);
                                    check_row(unit, r, share_of(r), fixed_by(r), goto_line, (open, &on_toggle))
                                }) }
                            </tbody>
                        }
                    }) }
                </table>
            </div>
            }
        </section>
    }
}

/// One check's row of the breakdown table.
fn check_row(
    unit: &UnitReport,
    row: &Row,
    share: Option<u64>,
    fixed_by: Option<&'static str>,
    goto_line: &Callback<u32>,
    open: (bool, &Callback<(String, bool)>),
) -> Html {
    let exposure = view::exposure_text(row.exposure);
    let class = match row.set {
        Some(true) => "pass",
        Some(false) => "fail",
        None => "na",
    };
    html! {
        <tr {class} data-testid="check" data-json-field={row.json_field}
            data-exposure={exposure.clone()}>
            <td class="mark">{ view::check_mark(row.set) }</td>
            <td class="name">{ super::table::check_name(row.name) }</td>
            <td class="desc">
                { row.description.as_deref().unwrap_or_default().to_owned() }
                { super::learn::row_link(row.json_field) }
                if let Some(setting) = fixed_by {
                    { fix_link(setting) }
                }
                { doc_view(unit, row, goto_line, open) }
            </td>
            <td class="num share" data-testid="share">
                { share.filter(|s| *s > 0).map(view::share_text).unwrap_or_default() }
            </td>
            <td class="num">{ exposure }</td>
        </tr>
    }
}

/// Sort, filter and group the check rows.
fn breakdown_controls(b: Breakdown, on_change: &Callback<Breakdown>) -> Html {
    let on_sort = {
        let on_change = on_change.clone();
        Callback::from(move |e: Event| {
            if let Some(sort) = value_of(&e).as_deref().and_then(Sort::parse) {
                on_change.emit(Breakdown { sort, ..b });
            }
        })
    };
    let checkbox = |set: fn(Breakdown, bool) -> Breakdown| {
        let on_change = on_change.clone();
        Callback::from(move |e: Event| {
            if let Some(ticked) = checked(&e) {
                on_change.emit(set(b, ticked));
            }
        })
    };
    let on_failing = checkbox(|b, failing_only| Breakdown { failing_only, ..b });
    let on_group = checkbox(|b, group| Breakdown { group, ..b });
    let on_table = checkbox(|b, table| Breakdown { table, ..b });
    html! {
        <div class="breakdown-controls">
            <label>
                { "Sort: " }
                <select data-testid="sort" onchange={on_sort}>
                    { for Sort::ALL.iter().map(|s| html! {
                        <option value={s.value()} selected={*s == b.sort}>{ s.label() }</option>
                    }) }
                </select>
            </label>
            <label>
                <input type="checkbox" data-testid="failing-only" checked={b.failing_only}
                    onchange={on_failing} />
                { " failing only" }
            </label>
            <label>
                <input type="checkbox" data-testid="group" checked={b.group} onchange={on_group} />
                { " group by theme" }
            </label>
            <label title="One line per check, as systemd-analyze security prints it">
                <input type="checkbox" data-testid="table-view" checked={b.table} onchange={on_table} />
                { " systemd's table" }
            </label>
        </div>
    }
}

/// The check's teaching text, folded under its description: what it does, what it may break,
/// how to relax it, an example, and where the value came from.
/// Whether it is open travels with the link (`open`: the row's, and what reports a toggle).
fn doc_view(
    unit: &UnitReport,
    row: &Row,
    goto_line: &Callback<u32>,
    open: (bool, &Callback<(String, bool)>),
) -> Html {
    let from: Vec<&exposure_core::model::Origin> = unit.provenance(row).collect();
    let (is_open, on_toggle) = open;
    let ontoggle = {
        let field = row.json_field;
        on_toggle.reform(move |e: Event| {
            let now = e
                .target_dyn_into::<web_sys::Element>()
                .is_some_and(|el| el.has_attribute("open"));
            (field.to_owned(), now)
        })
    };
    let check = &exposure_core::checks::REGISTRY[row.detail.check];
    let doc = &check.doc;
    let since = if check.since == exposure_core::checks::EARLY {
        "before systemd 38".to_owned()
    } else {
        format!("since systemd {}", check.since)
    };
    html! {
        <details class="doc" data-testid="doc" open={is_open} {ontoggle}>
            <summary>{ row.detail.summary }</summary>
            if !from.is_empty() {
                <p class="from">
                    { "From: " }
                    { for from.iter().map(|o| {
                        let line = o.line;
                        let onclick = goto_line.reform(move |_: MouseEvent| line);
                        html! {
                            <button type="button" class="origin loc" data-testid="origin" {onclick}
                                title="Select this line in the editor">
                                { format!("line {}: {}{}", o.line, o.directive,
                                    if o.implied { " (implies it)" } else { "" }) }
                            </button>
                        }
                    }) }
                </p>
            }
            <p>{ doc.why }</p>
            <p><strong>{ "May break: " }</strong>{ doc.breaks }</p>
            <p><strong>{ "Relax it narrowly: " }</strong>{ doc.relax }</p>
            <pre class="example">{ doc.example }</pre>
            <p class="muted">
                { format!("{} · weight {} · ", since, check.weight) }
                <a href={check.url()} rel="noreferrer noopener" target="_blank">{ "manual" }</a>
            </p>
        </details>
    }
}

/// A failing row's link to the suggestion that fixes it (in the override below).
fn fix_link(setting: &'static str) -> Html {
    let onclick = Callback::from(move |_: MouseEvent| {
        if let Some(el) =
            gloo::utils::document().get_element_by_id(&super::advice::suggestion_id(setting))
        {
            el.scroll_into_view();
        }
    });
    html! {
        <button type="button" class="fix-link" data-testid="fix-link" data-setting={setting}
            {onclick}>
            { format!("Fixed by {setting}= \u{2193}") }
        </button>
    }
}
