#![cfg(target_arch = "wasm32")]
//! wasm-bindgen tests without a DOM: they run under Node.js (no `run_in_browser`), and prove
//! that core and the page's pure helpers behave the same once compiled to WebAssembly.

use exposure_core::{Options, Predicate, analyze, link};
use exposure_web::example::EXAMPLE_UNIT;
use exposure_web::state::{Action, AppState, Source, fragment_for, unit_payload};
use exposure_web::{suggest, view};
use std::rc::Rc;
use wasm_bindgen_test::*;
use yew::Reducible;

#[wasm_bindgen_test]
fn link_codec_round_trips_in_wasm() {
    let text = "[Service]\nExecStart=/usr/bin/env \u{1F628}\n";
    let payload = link::encode(text);
    assert_eq!(link::decode(&payload).unwrap(), text);
    // made by Python's zlib (raw DEFLATE, level 9) + base64url without padding
    assert_eq!(
        link::decode("iw5OLSrLTE6N5XKtSE0OLkksKrHVLy0u0k_KzNMvKSpN5QooyixLLEkNyS2wrUwt5gIA")
            .unwrap(),
        "[Service]\nExecStart=/usr/bin/true\nPrivateTmp=yes\n"
    );
}

#[wasm_bindgen_test]
fn link_decoding_is_bounded_in_wasm() {
    let bomb = link::encode(&"x".repeat(link::MAX_TEXT_BYTES + 1));
    let err = link::decode(&bomb).unwrap_err();
    assert!(err.to_string().contains("limit"), "{err}");
}

#[wasm_bindgen_test]
fn state_opens_links_and_the_example() {
    assert_eq!(&*AppState::from_fragment("").input, EXAMPLE_UNIT);
    let s = AppState::from_fragment(&fragment_for("[Service]\nUser=web\n"));
    assert_eq!(
        (&*s.input, s.source),
        ("[Service]\nUser=web\n", Source::Link)
    );
    let bad = AppState::from_fragment("#unit=!!");
    assert_eq!(&*bad.input, EXAMPLE_UNIT);
    assert!(bad.notice.unwrap().contains("could not be opened"));
    assert_eq!(unit_payload("#x=1&unit=abc"), Some("abc"));

    let edited = Rc::new(AppState::from_fragment("")).reduce(Action::Edit("abc".into()));
    assert_eq!(edited.source, Source::Edited);
}

#[wasm_bindgen_test]
fn core_assesses_the_example_in_wasm() {
    let analysis = analyze(EXAMPLE_UNIT, &Options::default());
    assert_eq!(analysis.units.len(), 1, "{:?}", analysis.diagnostics);
    let unit = &analysis.units[0];
    assert!(!unit.rows.is_empty());
    assert!(unit.exposure.0 <= 100);
    assert_eq!(unit.predicate, Predicate::of(unit.exposure));
    let shown = unit.exposure.to_string();
    let (int, frac) = shown.split_once('.').expect("one decimal");
    assert!(
        !int.is_empty() && int.bytes().all(|b| b.is_ascii_digit()),
        "{shown}"
    );
    assert_eq!(frac.len(), 1, "{shown}");
    // every row's exposure cell is empty or one decimal
    for row in &unit.rows {
        let cell = view::exposure_text(row.exposure);
        assert!(cell.is_empty() || cell.split_once('.').is_some_and(|(_, f)| f.len() == 1));
    }
}

#[wasm_bindgen_test]
fn a_bare_service_gets_override_suggestions() {
    let text = "[Service]\nExecStart=/usr/bin/true\n";
    let advice = exposure_core::advise::advise_paste(
        text,
        &Options::default(),
        exposure_core::advise::Tier::Moderate,
    );
    let block = suggest::override_block(&advice[0]);
    assert!(block.starts_with("[Service]\n"), "{block:?}");
    assert!(block.lines().any(|l| l == "PrivateTmp=yes"), "{block:?}");
    // In wasm too, the block scores exactly as predicted once appended.
    let hardened = format!("{text}{}", block.trim_start_matches("[Service]\n"));
    let after = &analyze(&hardened, &Options::default()).units[0];
    assert_eq!(after.exposure, advice[0].exposure_after);
    assert!(after.exposure < advice[0].exposure_before);
}

#[wasm_bindgen_test]
fn core_never_panics_on_garbage_in_wasm() {
    for text in [
        "",
        "\u{0}\u{0}",
        "[",
        "=",
        "[Service]\n\\\n\\",
        "no unit at all\n\n\n",
    ] {
        let _ = analyze(text, &Options::default());
    }
}

#[wasm_bindgen_test]
fn utf16_offsets_in_wasm() {
    assert_eq!(view::utf16_range("\u{1F628}x", 4, 5), (2, 3));
}
