//! The breakdown: one row per check, sorted, filtered and grouped as the user chooses, each
//! with its teaching text folded under it.

use exposure_core::UnitReport;
use yew::prelude::*;

use super::{Dispatcher, checked, make_callback, value_of};
use crate::state::{Action, Breakdown, Sort};
use crate::view;

/// The controls and the table of the shown unit's checks.
pub fn breakdown_view(unit: &UnitReport, breakdown: Breakdown, d: &Dispatcher) -> Html {
    html! {
        <>
            { breakdown_controls(breakdown, &make_callback(d, Action::SetBreakdown)) }
            <div class="table-wrap">
                <table class="checks">
                    <thead>
                        <tr>
                            <th class="mark" scope="col"><span class="sr-only">{ "Result" }</span></th>
                            <th scope="col">{ "Check" }</th>
                            <th scope="col">{ "Description" }</th>
                            <th class="num" scope="col">{ "Exposure" }</th>
                        </tr>
                    </thead>
                    { for view::arrange(&unit.rows, breakdown).into_iter().map(|(title, rows)| html! {
                        <tbody>
                            if let Some(title) = title {
                                <tr class="group-head">
                                    <th colspan="4" scope="rowgroup" data-testid="group-title">
                                        { title }
                                    </th>
                                </tr>
                            }
                            { for rows.into_iter().map(check_row) }
                        </tbody>
                    }) }
                </table>
            </div>
        </>
    }
}

/// One check's row of the breakdown table.
fn check_row(row: &exposure_core::Row) -> Html {
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
            <td class="name">{ row.name }</td>
            <td class="desc">
                { row.description.as_deref().unwrap_or_default().to_owned() }
                { doc_view(row) }
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
        </div>
    }
}

/// The check's teaching text, folded under its description: what it does, what it may break,
/// how to relax it, an example, and where the value came from.
fn doc_view(row: &exposure_core::Row) -> Html {
    let check = &exposure_core::checks::REGISTRY[row.detail.check];
    let doc = &check.doc;
    let since = if check.since == exposure_core::checks::EARLY {
        "before systemd 38".to_owned()
    } else {
        format!("since systemd {}", check.since)
    };
    html! {
        <details class="doc" data-testid="doc">
            <summary>{ row.detail.summary }</summary>
            if !row.detail.provenance.is_empty() {
                <p class="from">
                    { "From: " }
                    { for row.detail.provenance.iter().map(|o| html! {
                        <span class="origin">
                            { format!("line {}: {}{}", o.line, o.directive,
                                if o.implied { " (implies it)" } else { "" }) }
                        </span>
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
