//! Arbitrary bytes as `systemctl show` output.
#![no_main]

use exposure_core::{InputKind, Options, analyze};
use exposure_conformance::invariants::check_analysis_json;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let opts = Options {
        kind: Some(InputKind::SystemctlShow),
        ..Options::default()
    };
    check_analysis_json(&analyze(&text, &opts), &text);
});
