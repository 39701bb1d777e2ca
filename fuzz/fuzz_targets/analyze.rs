//! Arbitrary bytes as a paste: analyzed as detected and as each input kind, whole and in two
//! parts (`analyze_part`, which must append up to exactly `analyze`). The advisor has its own
//! target (`advise`): it assesses the unit again for every candidate line, which would make
//! this one ten times slower.
#![no_main]

use exposure_core::{InputKind, Options, analyze, analyze_part, input, unit_count};
use exposure_fuzz::check_analysis;
use libfuzzer_sys::fuzz_target;

/// Unit names to assess a pasted unit file under, picked by a hash of the input, so templates,
/// instances (specifier expansion) and other unit types are reached too.
const NAMES: [Option<&str>; 4] = [
    None,
    Some("fuzz@inst-x.service"),
    Some("tmpl@.service"),
    Some("sock.socket"),
];

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let text = text.as_ref();
    let hash = data
        .iter()
        .fold(0u32, |h, &b| h.wrapping_mul(31).wrapping_add(u32::from(b)));
    let unit_name = NAMES[hash as usize % NAMES.len()];
    for kind in [
        None,
        Some(InputKind::UnitFile),
        Some(InputKind::SystemctlCat),
        Some(InputKind::SystemctlShow),
    ] {
        let opts = Options {
            kind,
            unit_name: unit_name.map(str::to_owned),
            ..Options::default()
        };
        let whole = analyze(text, &opts);
        check_analysis(&whole, text);
        // In two parts, split at a unit picked by the hash: the same analysis. (Each part
        // parses the whole text again, so more parts would make this target quadratic.)
        let n = unit_count(text, &opts);
        // The first part is never empty: every part that starts at unit 0 carries the
        // diagnostics of the input as a whole.
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
    }
    let _ = input::detect(text);
});
