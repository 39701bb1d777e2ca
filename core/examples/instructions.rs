//! Runs the engine on the benchmark's typical unit a given number of times, for counting its
//! instructions under callgrind (`scripts/core-bench.sh`): a number that does not swing with
//! the machine's load, unlike the times criterion measures.
//!
//! `cargo run --release -p exposure-core --example instructions -- assess|advise N`

use exposure_core::advise::{Tier, advise_paste};
use exposure_core::{Options, analyze};

const TYPICAL: &str = include_str!("../benches/typical.service");

fn main() {
    let mut args = std::env::args().skip(1);
    let what = args.next().unwrap_or_default();
    let n: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(1);
    let opts = Options::default();
    for _ in 0..n {
        match what.as_str() {
            "assess" => drop(std::hint::black_box(analyze(
                std::hint::black_box(TYPICAL),
                &opts,
            ))),
            "advise" => drop(std::hint::black_box(advise_paste(
                std::hint::black_box(TYPICAL),
                &opts,
                Tier::Strict,
            ))),
            _ => {
                eprintln!("usage: instructions assess|advise N");
                std::process::exit(2);
            }
        }
    }
}
