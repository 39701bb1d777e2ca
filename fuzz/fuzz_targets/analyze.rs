//! Arbitrary bytes as a paste: analyzed as detected and as each input kind, then advised on.
//!
//! The advisor assesses the unit again for every candidate line, which makes it ten times
//! slower than the four analyses together; it runs on one input in four (picked by a hash of
//! the input, so mutations reach it), which keeps the target fast without leaving it out.
#![no_main]

use exposure_core::advise::{Tier, advise};
use exposure_core::{FileInput, InputKind, Options, analyze, input};
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
        check_analysis(&analyze(text, &opts), text);
    }

    // The advisor on the first unit: the first `systemctl cat` unit with its drop-ins, or
    // the whole paste as one unit file.
    if (hash >> 8) % 4 != 0 {
        return;
    }
    let opts = Options::default();
    if input::detect(text) == InputKind::SystemctlCat {
        let (units, _) = input::split_cat(text);
        if let Some(u) = units.first() {
            let name = u.unit.path.rsplit('/').next().unwrap_or(u.unit.path);
            let files: Vec<FileInput<'_>> = std::iter::once(&u.unit)
                .chain(&u.dropins)
                .map(|f| FileInput {
                    path: Some(f.path),
                    text: f.text,
                    offset: f.offset,
                    line_base: f.header_line,
                })
                .collect();
            let _ = advise(name, &files, &opts, Tier::Strict);
        }
    } else {
        let name = unit_name.unwrap_or("unit.service");
        let files = [FileInput {
            path: None,
            text,
            offset: 0,
            line_base: 0,
        }];
        if let Ok(a) = advise(name, &files, &opts, Tier::Strict) {
            assert!(
                a.exposure_after <= a.exposure_before,
                "advice raised the score"
            );
        }
    }
});
