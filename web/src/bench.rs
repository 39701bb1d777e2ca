//! Timing hooks for the page benchmark (`scripts/page-bench.mjs`): exported to JavaScript
//! (Trunk's loader puts the exports on `window.wasmBindings`), so the benchmark can time the
//! engine inside the page's own WebAssembly, apart from rendering.

use exposure_core::advise::{Tier, advise_paste};
use exposure_core::{Options, analyze};
use wasm_bindgen::prelude::*;

fn now() -> f64 {
    gloo::utils::window()
        .performance()
        .map(|p| p.now())
        .unwrap_or_default()
}

/// Mean milliseconds of `analyze(text)` over `runs` runs (at least one).
#[wasm_bindgen(js_name = benchAnalyzeMs)]
pub fn bench_analyze_ms(text: &str, runs: u32) -> f64 {
    let runs = runs.max(1);
    let opts = Options::default();
    let t0 = now();
    for _ in 0..runs {
        std::hint::black_box(analyze(std::hint::black_box(text), &opts));
    }
    (now() - t0) / f64::from(runs)
}

/// Mean milliseconds of the advisor (`advise_paste`, moderate tier) over `runs` runs.
#[wasm_bindgen(js_name = benchAdviseMs)]
pub fn bench_advise_ms(text: &str, runs: u32) -> f64 {
    let runs = runs.max(1);
    let opts = Options::default();
    let t0 = now();
    for _ in 0..runs {
        std::hint::black_box(advise_paste(
            std::hint::black_box(text),
            &opts,
            Tier::Moderate,
        ));
    }
    (now() - t0) / f64::from(runs)
}
