//! Arbitrary bytes as a paste, advised on: the first `systemctl cat` unit with its drop-ins,
//! or the whole paste as one unit file, at the strict tier and with some lines left out.
#![no_main]

use exposure_core::advise::{Tier, advise, advise_leaving_out};
use exposure_core::{FileInput, InputKind, Options, analyze_unit, input, unit_files};
use libfuzzer_sys::fuzz_target;

const NAMES: [&str; 3] = ["unit.service", "fuzz@inst-x.service", "tmpl@.service"];

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let text = text.as_ref();
    let hash = data
        .iter()
        .fold(0u32, |h, &b| h.wrapping_mul(31).wrapping_add(u32::from(b)));
    let opts = Options::default();
    // The first unit of a `systemctl cat` paste, or anything else read as one unit file
    // under a name picked by the hash.
    let kind = match input::detect(text) {
        InputKind::SystemctlCat => InputKind::SystemctlCat,
        _ => InputKind::UnitFile,
    };
    let named = Options {
        unit_name: Some(NAMES[hash as usize % NAMES.len()].to_owned()),
        ..Options::default()
    };
    let Some((name, files)) = unit_files(text, kind, &named).into_iter().next() else {
        return;
    };
    let Ok(a) = advise(&name, &files, &opts, Tier::Strict) else {
        return;
    };
    assert!(
        a.exposure_after <= a.exposure_before,
        "advice raised the score"
    );
    let gains: u32 = a.lines.iter().map(|l| l.gain.0).sum();
    assert_eq!(
        gains,
        a.exposure_before.0 - a.exposure_after.0,
        "gains do not add up"
    );
    // The drop-in as written predicts what it says.
    let mut with = files.clone();
    with.push(FileInput::whole(Some("zz-exposure.conf"), &a.dropin));
    if let Ok(r) = analyze_unit(&name, &with, &opts) {
        assert_eq!(r.exposure, a.exposure_after, "the drop-in scores otherwise");
    }
    // Every other line left out: still a prediction of the drop-in as written.
    let out: Vec<&str> = a
        .lines
        .iter()
        .filter(|l| l.withheld.is_none())
        .step_by(2)
        .map(|l| l.setting)
        .collect();
    if let Ok(b) = advise_leaving_out(&name, &files, &opts, Tier::Strict, &out) {
        assert!(
            b.exposure_after <= b.exposure_before,
            "partial advice raised the score"
        );
        let gains: u32 = b.lines.iter().map(|l| l.gain.0).sum();
        assert_eq!(
            gains,
            b.exposure_before.0 - b.exposure_after.0,
            "partial gains"
        );
        assert!(b.lines.iter().filter(|l| l.left_out).count() >= out.len().min(1));
    }
});
