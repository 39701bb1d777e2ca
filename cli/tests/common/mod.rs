//! What the command's test files share: running `exposure` as a user would, a scratch folder,
//! and compiling a JSON Schema once.
#![allow(dead_code)] // each test file uses some of these

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

/// The version these tests' numbers are systemd's for: 252, the `systemd-analyze` of the
/// recorded corpus (and of Debian 12, installed here).
pub const VERSION: &str = "--systemd-version=252";

/// Runs `exposure --systemd-version=252 ARGS` in `dir`, with `stdin` as its standard input.
pub fn run_in(dir: Option<&Path>, args: &[&str], stdin: Option<&str>) -> Output {
    let mut c = Command::new(env!("CARGO_BIN_EXE_exposure"));
    c.arg(VERSION)
        .args(args)
        .env("LANG", "C.UTF-8")
        .env_remove("GITHUB_STEP_SUMMARY")
        .env_remove("EXPOSURE_LEARN_URL")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    if let Some(d) = dir {
        c.current_dir(d);
    }
    let mut child = c.spawn().expect("run exposure");
    if let Some(s) = stdin {
        use std::io::Write;
        let _ = child.stdin.take().unwrap().write_all(s.as_bytes());
    } else {
        drop(child.stdin.take());
    }
    child.wait_with_output().unwrap()
}

/// An empty scratch folder for one test.
pub fn tmpdir(suite: &str, tag: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!(
        "exposure-{suite}-test-{tag}-{}",
        std::process::id()
    ));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// A JSON Schema compiled with format checks on.
pub fn compile_schema(text: &str, what: &str) -> jsonschema::Validator {
    let schema: serde_json::Value = serde_json::from_str(text).unwrap();
    jsonschema::options()
        .should_validate_formats(true)
        .build(&schema)
        .unwrap_or_else(|e| panic!("{what} compiles: {e}"))
}

/// The overall line of the installed `systemd-analyze security --offline=yes` (252 here) for
/// the unit file `unit` (drop-ins beside it applied), without the face, which depends on the
/// terminal; `None` when it is not installed or prints no overall line.
pub fn systemd_overall(unit: &Path) -> Option<String> {
    let out = Command::new("systemd-analyze")
        .args(["security", "--offline=yes"])
        .arg(unit)
        .env("SYSTEMD_EMOJI", "0")
        .output()
        .ok()?;
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    let line = text.lines().find(|l| l.starts_with("→ Overall"))?;
    Some(line.rsplit_once(' ')?.0.to_owned())
}

/// The exposure of [`systemd_overall`], e.g. `9.6`.
pub fn systemd_exposure(unit: &Path) -> Option<String> {
    let line = systemd_overall(unit)?;
    let (_, after) = line.rsplit_once(": ")?;
    Some(after.split_whitespace().next()?.to_owned())
}
