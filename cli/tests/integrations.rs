//! The integrations of issue 17: the GitHub Action (`action.yml` and its script, run here as
//! GitHub runs it), the pre-commit hooks (`.pre-commit-hooks.yaml`: the files they select),
//! and a drop-in given as an argument, as pre-commit gives it.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

mod common;

use common::{run_in, systemd_exposure};
use serde_yaml::Value;

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_owned()
}

fn yaml(name: &str) -> Value {
    let text = std::fs::read_to_string(repo().join(name)).unwrap();
    serde_yaml::from_str(&text).unwrap_or_else(|e| panic!("{name} is YAML: {e}"))
}

fn stderr(o: &Output) -> String {
    String::from_utf8(o.stderr.clone()).unwrap()
}

#[test]
fn the_action_is_a_composite_action_whose_inputs_all_reach_the_script() {
    let action = yaml("action.yml");
    assert_eq!(action["runs"]["using"], "composite");
    let inputs: Vec<String> = action["inputs"]
        .as_mapping()
        .unwrap()
        .keys()
        .map(|k| k.as_str().unwrap().to_owned())
        .collect();
    for i in [
        "paths",
        "threshold",
        "fail-on",
        "systemd-version",
        "sarif",
        "baseline",
    ] {
        assert!(inputs.contains(&i.to_owned()), "input {i}");
    }
    let steps = action["runs"]["steps"].as_sequence().unwrap();
    for s in steps {
        if s.get("run").is_some() {
            assert_eq!(s["shell"], "bash", "a composite step names its shell");
        }
    }
    let run = steps.iter().find(|s| s["id"] == "run").unwrap();
    let env = run["env"].as_mapping().unwrap();
    let script = std::fs::read_to_string(repo().join("cli/ci/action.sh")).unwrap();
    let all = serde_yaml::to_string(&action).unwrap();
    for i in &inputs {
        let var = format!("INPUT_{}", i.to_uppercase().replace('-', "_"));
        assert_eq!(
            env.get(var.as_str()).and_then(Value::as_str),
            Some(format!("${{{{ inputs.{i} }}}}").as_str()),
            "{var} passes input {i}"
        );
        assert!(
            script.contains(&format!("${{{var}")),
            "the script reads {var}"
        );
        assert!(all.contains(&format!("inputs.{i}")));
    }
    // And the script reads no input the action does not pass.
    let read: BTreeSet<String> = regex::Regex::new(r"\$\{(INPUT_[A-Z_]+)")
        .unwrap()
        .captures_iter(&script)
        .map(|c| c[1].to_owned())
        .collect();
    for var in read {
        assert!(env.contains_key(var.as_str()), "{var} is set by the action");
    }
    assert!(
        run["run"]
            .as_str()
            .unwrap()
            .contains("$GITHUB_ACTION_PATH/cli/ci/action.sh")
    );
    let install = steps
        .iter()
        .find(|s| s["name"] == "Install the exposure command")
        .unwrap();
    assert!(
        install["run"]
            .as_str()
            .unwrap()
            .starts_with("cargo install --locked --path \"$GITHUB_ACTION_PATH/cli\"")
    );
}

/// Runs `git ARGS` in `dir` (as a configured user); its standard output, trimmed.
fn git_in(dir: &Path, args: &[&str]) -> String {
    let out = Command::new("git")
        .args(["-c", "user.name=t", "-c", "user.email=t@t.invalid"])
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap();
    assert!(out.status.success(), "git {args:?}: {}", stderr(&out));
    String::from_utf8(out.stdout).unwrap().trim().to_owned()
}

/// A scratch git repository with units/web.service committed; the base commit's id.
fn git_project(tag: &str) -> (PathBuf, String) {
    let d = common::tmpdir("action", tag);
    let git = |args: &[&str]| git_in(&d, args);
    git(&["init", "-q", "-b", "main"]);
    std::fs::create_dir_all(d.join("units")).unwrap();
    std::fs::write(
        d.join("units/web.service"),
        "[Service]\nExecStart=/usr/bin/web\nUser=web\n",
    )
    .unwrap();
    git(&["add", "."]);
    git(&["commit", "-q", "-m", "base"]);
    let base = git(&["rev-parse", "HEAD"]);
    (d, base)
}

/// Runs cli/ci/action.sh in `dir` as the action's step does, with `inputs` as INPUT_*.
fn action(dir: &Path, inputs: &[(&str, &str)], base_sha: &str) -> (Output, String, String) {
    let bin = Path::new(env!("CARGO_BIN_EXE_exposure")).parent().unwrap();
    let path = format!("{}:{}", bin.display(), std::env::var("PATH").unwrap());
    let summary = dir.join("summary.md");
    let output = dir.join("output.txt");
    let _ = std::fs::remove_file(&summary);
    let _ = std::fs::remove_file(&output);
    let runner_temp = dir.join("runner-temp");
    std::fs::create_dir_all(&runner_temp).unwrap();
    let mut c = Command::new("bash");
    c.arg(repo().join("cli/ci/action.sh"))
        .current_dir(dir)
        .env("PATH", path)
        .env("GITHUB_STEP_SUMMARY", &summary)
        .env("GITHUB_OUTPUT", &output)
        .env("RUNNER_TEMP", &runner_temp)
        .env("BASE_SHA", base_sha)
        .env("LANG", "C.UTF-8");
    // As the action's env: sets every input, with its default when not given.
    let action = yaml("action.yml");
    for (k, v) in action["inputs"].as_mapping().unwrap() {
        let name = k.as_str().unwrap();
        let value = inputs
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v.to_string())
            .unwrap_or_else(|| v["default"].as_str().unwrap_or("").to_owned());
        c.env(
            format!("INPUT_{}", name.to_uppercase().replace('-', "_")),
            value,
        );
    }
    let out = c.output().unwrap();
    let read = |p: &Path| std::fs::read_to_string(p).unwrap_or_default();
    (out, read(&summary), read(&output))
}

#[test]
fn the_action_script_annotates_summarizes_writes_sarif_and_reports_the_pull_request() {
    let (d, base) = git_project("run");
    let web = d.join("units/web.service");
    let before = systemd_exposure(&web);
    let (out, summary, output) = action(
        &d,
        &[
            ("paths", "units"),
            ("threshold", "50"),
            ("systemd-version", "252"),
            ("sarif", "exposure.sarif"),
        ],
        "",
    );
    // web.service is above 5.0.
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let annotations = String::from_utf8(out.stdout).unwrap();
    assert!(
        annotations.starts_with("::error file=units/web.service,line=1,title=web.service%3A "),
        "{annotations}"
    );
    assert!(summary.starts_with("## Exposure\n"), "{summary}");
    if let Some(e) = &before {
        assert!(
            summary.contains(&format!("| `web.service` | {e} ⛔ |")),
            "{summary}"
        );
    }
    assert!(
        !summary.contains("before → after"),
        "no pull request, no diff"
    );
    let sarif: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(d.join("exposure.sarif")).unwrap()).unwrap();
    assert_eq!(sarif["version"], "2.1.0");
    assert_eq!(
        sarif["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "units/web.service"
    );
    assert_eq!(output, "sarif=exposure.sarif\n");

    // A pull request hardens the unit: the summary has the report against its base.
    std::fs::write(
        &web,
        "[Service]\nExecStart=/usr/bin/web\nUser=web\nPrivateTmp=yes\n",
    )
    .unwrap();
    let after = systemd_exposure(&web);
    let (out, summary, _) = action(&d, &[("paths", "units"), ("systemd-version", "252")], &base);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(summary.contains("## Exposure: before → after"), "{summary}");
    if let (Some(b), Some(a)) = (&before, &after) {
        assert!(
            summary.contains(&format!("### `web.service`: {b} "))
                && summary.contains(&format!(" → {a} ")),
            "{summary}"
        );
    }
    assert!(
        summary.contains("`PrivateTmp=yes` (units/web.service:4)"),
        "the base's checkout is not named: {summary}"
    );
    assert!(!summary.contains("exposure-base"), "{summary}");
    // The base's worktree is gone.
    assert!(!d.join("runner-temp/exposure-base").exists());

    // With a baseline recorded at the base, the threshold no longer fails what it knows.
    run_in(Some(&d), &["--write-baseline=b.json", "units"], None);
    let (out, summary, _) = action(
        &d,
        &[
            ("paths", "units"),
            ("threshold", "50"),
            ("systemd-version", "252"),
            ("baseline", "b.json"),
            ("diff", "false"),
        ],
        &base,
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        summary.contains("### Against the baseline `b.json`"),
        "{summary}"
    );
    assert!(!summary.contains("before → after"), "diff: false");
}

#[test]
fn the_pre_commit_hooks_select_service_units_and_their_dropins() {
    let hooks = yaml(".pre-commit-hooks.yaml");
    let hooks = hooks.as_sequence().unwrap();
    let ids: Vec<&str> = hooks.iter().map(|h| h["id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["exposure", "exposure-system"]);
    for h in hooks {
        // pre-commit matches with Python's re.search; this pattern means the same in Rust's.
        let re = regex::Regex::new(h["files"].as_str().unwrap()).unwrap();
        for path in [
            "web.service",
            "units/web.service",
            "debian/foo@.service",
            "etc/systemd/system/nginx.service.d/override.conf",
            "nginx.service.d/10-harden.conf",
        ] {
            assert!(re.is_match(path), "{:?} selects {path}", h["id"]);
        }
        for path in [
            "README.md",
            "web.socket",
            "web.services",
            "web.service.orig",
            "nginx.service.d/README",
            "nginx.service.d/sub/x.conf",
            "nginx.conf",
        ] {
            assert!(!re.is_match(path), "{:?} leaves {path}", h["id"]);
        }
    }
    assert_eq!(hooks[0]["language"], "script");
    let entry = repo().join(hooks[0]["entry"].as_str().unwrap());
    use std::os::unix::fs::PermissionsExt;
    assert!(
        std::fs::metadata(&entry).unwrap().permissions().mode() & 0o111 != 0,
        "{} is executable",
        entry.display()
    );
    assert_eq!(hooks[1]["entry"], "exposure");
}

#[test]
fn a_dropin_argument_scores_its_unit_once() {
    let d = common::tmpdir("integrations", "dropin-arg");
    std::fs::create_dir_all(d.join("units/web.service.d")).unwrap();
    std::fs::write(
        d.join("units/web.service"),
        "[Service]\nExecStart=/usr/bin/web\n",
    )
    .unwrap();
    std::fs::write(
        d.join("units/web.service.d/harden.conf"),
        "[Service]\nDynamicUser=yes\n",
    )
    .unwrap();
    let out = run_in(
        Some(&d),
        &[
            "--format=json",
            "units/web.service.d/harden.conf",
            "units/web.service",
        ],
        None,
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let units = doc["units"].as_array().unwrap();
    assert_eq!(units.len(), 1, "once, though named twice");
    assert_eq!(units[0]["file"], "units/web.service");
    if let Some(e) = systemd_exposure(&d.join("units/web.service")) {
        assert_eq!(format!("{:.1}", units[0]["exposure"].as_f64().unwrap()), e);
    }
    let out = run_in(Some(&d), &["units/web.service.d/harden.conf"], None);
    assert_eq!(out.status.code(), Some(0));
    assert!(
        String::from_utf8(out.stdout)
            .unwrap()
            .contains("Overall exposure level for web.service")
    );
    // A drop-in of a unit that is not in the repository: said, and not a failure.
    std::fs::create_dir_all(d.join("etc/nginx.service.d")).unwrap();
    std::fs::write(
        d.join("etc/nginx.service.d/x.conf"),
        "[Service]\nPrivateTmp=yes\n",
    )
    .unwrap();
    let out = run_in(Some(&d), &["etc/nginx.service.d/x.conf"], None);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        stderr(&out),
        "exposure: etc/nginx.service.d/x.conf: a drop-in, and etc/nginx.service is not beside its folder: not scored\n"
    );
}

/// The long options `exposure [SUBCOMMAND] --help` lists.
fn long_options(sub: &[&str]) -> BTreeSet<String> {
    let mut args = sub.to_vec();
    args.push("--help");
    let out = Command::new(env!("CARGO_BIN_EXE_exposure"))
        .args(&args)
        .output()
        .unwrap();
    let help = String::from_utf8(out.stdout).unwrap();
    regex::Regex::new(r"(?m)^\s+(?:-\w, )?(--[a-z][a-z-]*)")
        .unwrap()
        .captures_iter(&help)
        .map(|c| c[1].to_owned())
        .collect()
}

fn generated(args: &[&str]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_exposure"))
        .args(args)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn shell_completions_offer_every_option_and_subcommand() {
    let options = long_options(&[]);
    assert!(
        options.contains("--baseline") && options.contains("--format"),
        "{options:?}"
    );
    let subcommands = ["suggest", "diff", "completions", "man", "explain"];
    for shell in ["bash", "zsh", "fish", "elvish", "powershell"] {
        let script = generated(&["completions", shell]);
        for o in &options {
            // fish names long options without their dashes (`-l format`).
            let bare = o.trim_start_matches("--");
            assert!(
                script.contains(o.as_str()) || script.contains(&format!("-l {bare}")),
                "{shell} completes {o}"
            );
        }
        for s in subcommands {
            assert!(script.contains(s), "{shell} completes {s}");
        }
    }
    // Bash itself completes with it: `exposure --for<TAB>` and `exposure --format <TAB>`.
    let script = generated(&["completions", "bash"]);
    let complete = |words: &str, cword: usize| -> String {
        let test = format!(
            "{script}\nCOMP_WORDS=({words}); COMP_CWORD={cword}; COMP_LINE=\"{words}\"; COMP_POINT=${{#COMP_LINE}}; \
             _exposure exposure \"${{COMP_WORDS[$COMP_CWORD]}}\" \"${{COMP_WORDS[$COMP_CWORD-1]}}\"; \
             printf '%s\\n' \"${{COMPREPLY[@]}}\""
        );
        let out = Command::new("bash").arg("-c").arg(test).output().unwrap();
        assert!(out.status.success(), "{}", stderr(&out));
        String::from_utf8(out.stdout).unwrap()
    };
    assert_eq!(complete("exposure --for", 1).trim(), "--format");
    let formats = complete("exposure --format ''", 2);
    assert_eq!(
        formats.split_whitespace().collect::<Vec<_>>(),
        ["table", "json", "sarif", "github"]
    );
    let shells = complete("exposure completions ''", 2);
    assert!(shells.split_whitespace().any(|s| s == "zsh"), "{shells}");
}

#[test]
fn the_manual_page_documents_every_option_subcommand_and_exit_status() {
    let page = generated(&["man"]);
    assert!(page.starts_with(".ie"), "roff");
    assert!(page.contains(".TH exposure 1"));
    // roff writes a dash as \-.
    for o in long_options(&[]) {
        assert!(page.contains(&o.replace('-', "\\-")), "the page has {o}");
    }
    for s in ["suggest", "diff", "completions", "man", "explain"] {
        assert!(
            page.contains(&format!("exposure\\-{s}(1)")),
            "the page lists {s}"
        );
    }
    assert!(page.contains("Exit status:"));
    // man renders it.
    let dir = common::tmpdir("integrations", "man");
    std::fs::write(dir.join("exposure.1"), &page).unwrap();
    if let Ok(out) = Command::new("man")
        .arg("-l")
        .arg(dir.join("exposure.1"))
        .env("MANWIDTH", "100")
        .env("PAGER", "cat")
        .output()
    {
        // Without the overstrikes of bold and underlined text.
        let text = regex::Regex::new(".\x08")
            .unwrap()
            .replace_all(&String::from_utf8_lossy(&out.stdout), "")
            .into_owned();
        assert!(text.contains("--write-baseline <FILE>"), "{text}");
    }
}

#[test]
fn pre_commit_runs_the_hook_on_a_scratch_repository() {
    // pre-commit (from PyPI) runs the hook as a user's repository would; where it is not
    // installed this test says so and checks nothing more.
    if !Command::new("pre-commit")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
    {
        eprintln!("pre-commit is not installed (pip install pre-commit): not run");
        return;
    }
    let d = common::tmpdir("integrations", "pre-commit");
    let git = |args: &[&str]| git_in(&d, args);
    git(&["init", "-q"]);
    std::fs::create_dir_all(d.join("units/web.service.d")).unwrap();
    std::fs::write(
        d.join("units/web.service"),
        "[Service]\nExecStart=/usr/bin/web\nProtectSytem=full\n",
    )
    .unwrap();
    std::fs::write(
        d.join("units/web.service.d/harden.conf"),
        "[Service]\nPrivateTmp=yes\n",
    )
    .unwrap();
    std::fs::write(d.join("README.md"), "units\n").unwrap();
    git(&["add", "."]);
    let bin = Path::new(env!("CARGO_BIN_EXE_exposure")).parent().unwrap();
    let path = format!("{}:{}", bin.display(), std::env::var("PATH").unwrap());
    let hook = || {
        let out = Command::new("pre-commit")
            .args(["try-repo"])
            .arg(repo())
            .args(["exposure-system", "--all-files"])
            .current_dir(&d)
            .env("PATH", &path)
            .env("PRE_COMMIT_HOME", d.join(".pre-commit-home"))
            .env("LANG", "C.UTF-8")
            .output()
            .unwrap();
        (out.status.code(), String::from_utf8(out.stdout).unwrap())
    };
    let (code, text) = hook();
    assert_eq!(code, Some(1), "{text}");
    assert!(
        text.contains("installed exposure)") && text.contains("Failed"),
        "{text}"
    );
    assert!(
        text.contains("units/web.service:3: Unknown key ProtectSytem="),
        "{text}"
    );
    assert!(text.contains("exposure: 1 diagnostic at warning or error level (--fail-on warning)"));
    std::fs::write(
        d.join("units/web.service"),
        "[Service]\nExecStart=/usr/bin/web\nProtectSystem=full\n",
    )
    .unwrap();
    git(&["add", "."]);
    let (code, text) = hook();
    assert_eq!(code, Some(0), "{text}");
    assert!(text.contains("Passed"), "{text}");
}
