//! Shared helpers of the cross-crate suites: locating and reading the conformance corpus
//! ([`corpus`] reads the units its records name), and the invariants every analysis keeps
//! ([`invariants`], checked by the property tests and the fuzz targets).
//!
//! The corpus lives outside the repository (`../shared/corpus` beside the checkout, or the
//! folder named by `EXPOSURE_CORPUS`); its unit files are read from there, never copied in.

pub mod corpus;
pub mod invariants;

use std::io::Read;
use std::path::{Path, PathBuf};

/// The corpus root: `$EXPOSURE_CORPUS`, else `<workspace>/../shared/corpus`.
pub fn corpus_root() -> PathBuf {
    if let Ok(p) = std::env::var("EXPOSURE_CORPUS") {
        return PathBuf::from(p);
    }
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus")
}

/// Reads a gzip file to a string.
pub fn read_gz(path: &Path) -> String {
    let f = std::fs::File::open(path).unwrap_or_else(|e| {
        panic!(
            "cannot open {}: {e}\nThe conformance corpus is expected at ../shared/corpus beside the \
             repository, or in the folder named by EXPOSURE_CORPUS.",
            path.display()
        )
    });
    let mut s = String::new();
    flate2::read::GzDecoder::new(f)
        .read_to_string(&mut s)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    s
}

/// Reads every JSON line of a gzip file.
pub fn read_jsonl(path: &Path) -> Vec<serde_json::Value> {
    read_gz(path)
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).expect("valid JSON line"))
        .collect()
}

/// The Debian releases `../shared/tools/oracle-version.sh` runs beside the installed 252, with
/// the profile each is verified as.
pub const RELEASE_ORACLES: &[(&str, &str)] = &[
    ("bookworm-backports", "254"),
    ("trixie", "257"),
    ("sid", "262"),
];

/// The releases `EXPOSURE_DIFF_RELEASES` (a comma list; `make test-versions` sets it) asks the
/// release tests to run, each with its profile; `None` when it is not set (the test is then
/// skipped, and says so). An unknown release name panics with the known ones.
pub fn releases_from_env() -> Option<Vec<(&'static str, exposure_core::Version)>> {
    let Ok(list) = std::env::var("EXPOSURE_DIFF_RELEASES") else {
        println!(
            "skipped: EXPOSURE_DIFF_RELEASES is not set (e.g. bookworm-backports,trixie,sid; \
             `make test-versions` sets it)"
        );
        return None;
    };
    Some(
        list.split(',')
            .map(str::trim)
            .filter(|r| !r.is_empty())
            .map(|rel| {
                let Some(&(name, id)) = RELEASE_ORACLES.iter().find(|(r, _)| *r == rel) else {
                    panic!(
                        "EXPOSURE_DIFF_RELEASES: unknown release {rel:?}; known: {RELEASE_ORACLES:?}"
                    );
                };
                (name, exposure_core::Version::parse(id).expect("a profile"))
            })
            .collect(),
    )
}
