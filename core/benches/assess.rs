//! Speed of the engine: parse + load + assess of one typical unit, the advisor on it, and
//! parse + load + assess of the whole dev corpus.
//!
//! Run: `cargo bench -p exposure-core`. The corpus benchmark reads `../shared/corpus/dev`
//! (or `$EXPOSURE_CORPUS/dev`) and is skipped when it is absent.

#![cfg_attr(target_arch = "wasm32", allow(dead_code, unused_imports))]

use std::path::PathBuf;

#[cfg(not(target_arch = "wasm32"))]
use criterion::{Criterion, criterion_group, criterion_main};
use exposure_core::advise::{Tier, advise_paste};
use exposure_core::{FileInput, Options, analyze, analyze_unit};

/// A typical moderately hardened network daemon, written for this benchmark (also counted by
/// `examples/instructions.rs`).
const TYPICAL: &str = include_str!("typical.service");

fn corpus() -> Vec<(String, String)> {
    let root = std::env::var("EXPOSURE_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|_| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/corpus"));
    let dev = root.join("dev");
    let Ok(index) = std::fs::read_to_string(dev.join("index.tsv")) else {
        return Vec::new();
    };
    index
        .lines()
        .skip(1)
        .filter_map(|l| {
            let f: Vec<&str> = l.split('\t').collect();
            let text = std::fs::read_to_string(dev.join(f.get(3)?)).ok()?;
            Some((f.get(2)?.to_string(), text))
        })
        .collect()
}

#[cfg(not(target_arch = "wasm32"))]
fn bench(c: &mut Criterion) {
    let opts = Options::default();
    c.bench_function("typical unit: parse + assess", |b| {
        b.iter(|| analyze(std::hint::black_box(TYPICAL), &opts))
    });
    // The advisor scores the unit once per line it tries (about twice per suggestion).
    c.bench_function("typical unit: advise (strict tier)", |b| {
        b.iter(|| advise_paste(std::hint::black_box(TYPICAL), &opts, Tier::Strict))
    });
    let units = corpus();
    if units.is_empty() {
        eprintln!("dev corpus not found: skipping the corpus benchmark");
        return;
    }
    c.bench_function(
        &format!("dev corpus ({} units): parse + assess", units.len()),
        |b| {
            b.iter(|| {
                for (name, text) in &units {
                    let f = [FileInput::whole(None, text)];
                    let _ = std::hint::black_box(analyze_unit(name, &f, &opts));
                }
            })
        },
    );
}

#[cfg(not(target_arch = "wasm32"))]
criterion_group!(benches, bench);
#[cfg(not(target_arch = "wasm32"))]
criterion_main!(benches);

#[cfg(target_arch = "wasm32")]
fn main() {}
