//! Arbitrary bytes as a paste: analyzed as detected and as each other input kind, and, for one
//! kind picked by the input's hash, in two parts (`analyze_part`, which must append up to
//! exactly `analyze`) and in steps (`stepwise`, which must end with exactly `analyze`'s
//! result). The advisor has its own target (`advise`): it assesses the unit again for every
//! candidate line, which would make this one ten times slower.
#![no_main]

use exposure_core::{InputKind, Options, analyze, analyze_part, input, unit_count};
use exposure_conformance::invariants::{check_analysis, check_analysis_json};
use libfuzzer_sys::fuzz_target;

/// Unit names to assess a pasted unit file under, picked by a hash of the input, so templates,
/// instances (specifier expansion) and other unit types are reached too.
const NAMES: [Option<&str>; 4] = [
    None,
    Some("fuzz@inst-x.service"),
    Some("tmpl@.service"),
    Some("sock.socket"),
];

/// The kinds a paste is analyzed as: `None` is "as detected".
const KINDS: [Option<InputKind>; 4] = [
    None,
    Some(InputKind::UnitFile),
    Some(InputKind::SystemctlCat),
    Some(InputKind::SystemctlShow),
];

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let text = text.as_ref();
    let hash = data
        .iter()
        .fold(0u32, |h, &b| h.wrapping_mul(31).wrapping_add(u32::from(b)));
    let unit_name = NAMES[hash as usize % NAMES.len()];
    let detected = input::detect(text);
    // The kind also analyzed in parts. Each part parses the whole text again, so splitting
    // every kind would make a run three times as long; over many runs every kind is split.
    let mut split = KINDS[(hash as usize >> 2) % KINDS.len()];
    if split == Some(detected) {
        split = None;
    }
    for kind in KINDS {
        // Asking for the detected kind is the same call as asking for none.
        if kind == Some(detected) {
            continue;
        }
        let opts = Options {
            kind,
            unit_name: unit_name.map(str::to_owned),
            ..Options::default()
        };
        let whole = analyze(text, &opts);
        if kind.is_none() {
            check_analysis_json(&whole, text);
        } else {
            check_analysis(&whole, text);
        }
        if kind != split {
            continue;
        }
        // In two parts, split at a unit picked by the hash: the same analysis. The first part
        // is never empty: every part that starts at unit 0 carries the diagnostics of the
        // input as a whole.
        let n = unit_count(text, &opts);
        let k = if n == 0 {
            0
        } else {
            1 + (hash as usize >> 4) % n
        };
        let mut parts = analyze_part(text, &opts, 0..k);
        if k < n {
            parts.append(analyze_part(text, &opts, k..n));
        }
        assert_eq!(parts, whole, "analysis in parts differs");
        // In steps of a budget picked by the hash (1 byte to 64 KiB): the same analysis.
        let budget = 1 + (hash as usize >> 8) % (64 << 10);
        let mut job = exposure_core::stepwise::Stepwise::new(text, &opts);
        let stepped = loop {
            if let Some(done) = job.step(text, budget) {
                break done;
            }
        };
        assert_eq!(stepped, whole, "analysis in steps of {budget} bytes differs");
    }
});
