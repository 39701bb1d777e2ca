//! The breakdown as `systemd-analyze security` prints it: one compact line per check, with
//! its mark, name, description and exposure (the view option "systemd's table").

use exposure_core::{Row, UnitReport};
use yew::prelude::*;

use crate::state::Breakdown;
use crate::view;

/// The shown unit's checks in systemd's columns, sorted, filtered and grouped as chosen.
pub fn systemd_table(unit: &UnitReport, breakdown: Breakdown) -> Html {
    html! {
        <div class="table-wrap">
            <table class="systemd-table" data-testid="systemd-table">
                <thead>
                    <tr>
                        <th class="mark" scope="col"><span class="sr-only">{ "Result" }</span></th>
                        <th scope="col">{ "NAME" }</th>
                        <th scope="col">{ "DESCRIPTION" }</th>
                        <th class="num" scope="col">{ "EXPOSURE" }</th>
                    </tr>
                </thead>
                { for view::arrange(&unit.rows, breakdown).into_iter().map(|(title, rows)| html! {
                    <tbody>
                        if let Some(title) = title {
                            <tr class="group-head">
                                <th colspan="4" scope="rowgroup">{ title }</th>
                            </tr>
                        }
                        { for rows.into_iter().map(compact_row) }
                    </tbody>
                }) }
                <tfoot>
                    <tr>
                        <td colspan="4" data-testid="systemd-table-total">
                            { format!("\u{2192} Overall exposure level for {}: {} {}",
                                unit.unit, unit.exposure, unit.predicate.as_str()) }
                        </td>
                    </tr>
                </tfoot>
            </table>
        </div>
    }
}

/// One check, on one line as systemd prints it.
fn compact_row(row: &Row) -> Html {
    let class = match row.set {
        Some(true) => "pass",
        Some(false) => "fail",
        None => "na",
    };
    html! {
        <tr {class} data-testid="table-row" data-json-field={row.json_field}>
            <td class="mark">{ view::check_mark(row.set) }</td>
            <td class="name">{ check_name(row.name) }</td>
            <td class="desc">{ row.description.as_deref().unwrap_or_default().to_owned() }</td>
            <td class="num">{ view::exposure_text(row.exposure) }</td>
        </tr>
    }
}

/// A check's name that breaks only after its `=`, `|` or `(` (never mid-word).
pub fn check_name(name: &str) -> Html {
    html! {
        { for name.split_inclusive(['=', '|', '(']).map(|part| html! {
            <><span class="part">{ part }</span><wbr /></>
        }) }
    }
}
