//! Exposure's engine for JavaScript (the npm package): exact `systemd-analyze security` scores,
//! the advisor, the teaching docs and the share-link format, as plain JavaScript objects.
//!
//! Thin over `exposure-core`: each function reads its options, calls the core and hands the
//! result back through serde-wasm-bindgen (maps as plain objects, numbers as numbers). Bad
//! input is a JavaScript `Error` with a message that says what is wrong, never a trap. The
//! TypeScript declarations of the results are in `TS_TYPES` below.

use exposure_core::advise::{self, Tier};
use exposure_core::checks::{self, REGISTRY};
use exposure_core::document::{SCHEMA_VERSION, UnitJson};
use exposure_core::exercise::{self, Exercise, Hide};
use exposure_core::input::InputKind;
use exposure_core::link::LinkState;
use exposure_core::policy::Policy;
use exposure_core::{Options, Version};
use serde::Serialize;
use serde_json::{Value, json};
use wasm_bindgen::prelude::*;

#[wasm_bindgen(typescript_custom_section)]
const TS_TYPES: &str = r#"
/** Options of `analyze` and `suggest`. Every field is optional. */
export interface Options {
  /** The systemd to score as: "257" (the default), "252", "debian-12", "ubuntu-24.04", …; see `versions()`. */
  systemdVersion?: string;
  /** What the text is: "auto" (the default) detects it. */
  kind?: "auto" | "unit" | "cat" | "show";
  /** The name to assess a bare unit file under (e.g. "nginx.service"); a `systemctl cat` paste names its units itself. */
  unit?: string;
  /** A security policy in `systemd-analyze --security-policy` JSON form, as an object. */
  policy?: Record<string, unknown>;
  /** Assess units of the per-user service manager, as `systemd-analyze --user` does. */
  user?: boolean;
}

/** Options of `suggest`. */
export interface SuggestOptions extends Options {
  /** How far the advice goes: "safe", "moderate" (the default) or "strict". */
  tier?: "safe" | "moderate" | "strict";
  /** Settings to leave out of the drop-in, e.g. ["PrivateNetwork"]. */
  leaveOut?: string[];
}

/** One row, as `systemd-analyze security --json=short` prints it. */
export interface CheckRow {
  /** true: passed; false: failed (fully or in part); null: not applicable. */
  set: boolean | null;
  /** The check's id as systemd prints it, e.g. "PrivateNetwork=". */
  name: string;
  /** The policy key, e.g. "PrivateNetwork". */
  json_field: string;
  description: string | null;
  /** The row's contribution as systemd prints it ("0.2"), or null. */
  exposure: string | null;
}

/** A problem of the input, at a line of the text that was analyzed. */
export interface Diagnostic {
  severity: "error" | "warning" | "info";
  /** A stable code, e.g. "unknown-key", "invalid-value". */
  code: string;
  message: string;
  /** The file of a `systemctl cat` paste the line belongs to. */
  file?: string | null;
  /** 1-based line and column in the text passed in, and byte offsets. */
  span: { line: number; start: number; end: number } | null;
  line: number | null;
  column: number | null;
  help?: string | null;
}

/** One unit's result: the shape of a unit of `exposure --format json`. */
export interface UnitResult {
  unit: string;
  systemd_version: string;
  systemd_version_evidence: "verified" | "derived";
  /** The overall exposure, 0.0 to 10.0 (lower is better); null when systemd refuses the unit. */
  exposure: number | null;
  predicate: "PERFECT" | "SAFE" | "OK" | "MEDIUM" | "EXPOSED" | "UNSAFE" | "DANGEROUS" | null;
  /** Why systemd would refuse the unit, or null. */
  refused: string | null;
  checks: CheckRow[];
  diagnostics: Diagnostic[];
}

/** The result of `analyze`. */
export interface AnalyzeResult {
  schema_version: number;
  tool: { name: "exposure"; version: string };
  systemd_version: string;
  /** What the text was read as. */
  kind: "unit file" | "systemctl cat" | "systemctl show";
  units: UnitResult[];
  /** Problems of the input as a whole (e.g. text before the first `systemctl cat` header). */
  diagnostics: Diagnostic[];
}

/** One suggested line of a drop-in. */
export interface SuggestedLine {
  setting: string;
  value: string;
  tier: "safe" | "moderate" | "strict";
  /** How much this line lowers the exposure, given the lines before it. */
  gain: number;
  /** What the setting may break and how that shows. */
  may_break: string;
  /** Set when the line is only a comment, with the reason it is not suggested. */
  withheld: string | null;
  /** The caller asked to leave it out. */
  left_out: boolean;
}

/** The advice for one unit. */
export interface Advice {
  unit: string;
  tier: "safe" | "moderate" | "strict";
  exposure_before: number;
  predicate_before: string;
  /** The exposure the unit will have with the drop-in (the chosen systemd's own number). */
  exposure_after: number;
  predicate_after: string;
  /** The drop-in, ready for `systemctl edit UNIT`. */
  dropin: string;
  lines: SuggestedLine[];
}

/** A check of the registry. */
export interface CheckInfo {
  name: string;
  json_field: string;
  weight: number;
  range: number;
  /** The setting to read about, e.g. "PrivateTmp=". */
  directive: string;
  theme: string;
  /** The check exists in the version asked about. */
  scored: boolean;
}

/** Our teaching text of a check. */
export interface Explanation extends CheckInfo {
  good: string;
  bad: string;
  why: string;
  fix: string | null;
  breaks: string;
  relax: string;
  example: string;
  /** What is particular to this check in the version asked about. */
  version_note: string;
  /** The man page of the setting. */
  man: string;
  /** The systemd version that introduced the setting (1: older than systemd 38). */
  since: number;
}

/** An entry of the Learn reference: a sandboxing option, scored or not. */
export interface LearnEntry {
  /** The directive without "=", e.g. "ReadWritePaths" (the page's #learn/NAME anchor). */
  name: string;
  theme: "identity" | "file-system" | "devices" | "kernel" | "network" | "system-calls" | "capabilities" | "namespaces" | "ipc" | "resources";
  summary: string;
  why: string;
  breaks: string;
  relax: string;
  example: string;
  /** The systemd version that added it, when known (1: older than systemd 38). */
  since: number | null;
  /** Values beyond booleans later versions accept: [value, first version]. */
  values: [string, string][];
  /** The checks it moves: [json_field, name, weight]. */
  checks: [string, string, number][];
  /** Empty when scored; else why systemd-analyze does not score it. */
  unscored: string;
  man: string;
}

/** A systemd version Exposure scores as. */
export interface VersionInfo {
  id: string;
  release: string;
  shipped_by: string;
  /** "verified": checked against that release's real binary; "derived": read from systemd's sources. */
  evidence: "verified" | "derived";
  aliases: string[];
  default: boolean;
}

/** What a share link carries. */
export interface LinkState {
  text: string;
  tier?: "safe" | "moderate" | "strict";
  systemdVersion?: string;
  unit?: string;
  /** Suggestions left out, as [unit, setting] pairs. */
  leftOut?: [string, string][];
  /** Classroom mode: an exercise link (see the README's "Teaching with Exposure"). */
  exercise?: LinkExercise;
}

/** An exercise a link carries. */
export interface LinkExercise {
  /** Solved once the exposure is at most this: 0 to 10, one decimal at most. */
  goal: number;
  /** The help the page folds behind "Show hints". */
  hide?: ("advice" | "fixes")[];
  /** In a student's answer link only: the text the exercise started from. */
  original?: string;
}
"#;

#[wasm_bindgen]
extern "C" {
    /// An `Options` object (TypeScript type above).
    #[wasm_bindgen(typescript_type = "Options")]
    pub type JsOptions;
    /// A `SuggestOptions` object.
    #[wasm_bindgen(typescript_type = "SuggestOptions")]
    pub type JsSuggestOptions;
}

/// Plain objects for maps, so results read as `r.units[0].exposure`.
fn to_js<T: Serialize + ?Sized>(value: &T) -> Result<JsValue, JsError> {
    let s = serde_wasm_bindgen::Serializer::new()
        .serialize_maps_as_objects(true)
        .serialize_missing_as_null(true);
    value
        .serialize(&s)
        .map_err(|e| JsError::new(&format!("exposure: cannot return the result: {e}")))
}

/// The options object as JSON (`undefined`/`null`: no options).
fn options_json(options: &JsValue) -> Result<serde_json::Map<String, Value>, JsError> {
    if options.is_undefined() || options.is_null() {
        return Ok(serde_json::Map::new());
    }
    match serde_wasm_bindgen::from_value::<Value>(options.clone()) {
        Ok(Value::Object(m)) => Ok(m),
        Ok(_) => Err(JsError::new("exposure: options must be an object")),
        Err(e) => Err(JsError::new(&format!(
            "exposure: cannot read the options: {e}"
        ))),
    }
}

fn string_option<'a>(
    m: &'a serde_json::Map<String, Value>,
    key: &str,
) -> Result<Option<&'a str>, JsError> {
    match m.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s)),
        Some(other) => Err(JsError::new(&format!(
            "exposure: option {key} must be a string, not {other}"
        ))),
    }
}

fn version_option(m: &serde_json::Map<String, Value>) -> Result<Version, JsError> {
    parse_version(string_option(m, "systemdVersion")?)
}

/// A `systemdVersion` as given (`None`: the default version).
fn parse_version(v: Option<&str>) -> Result<Version, JsError> {
    match v {
        None => Ok(Version::default()),
        Some(v) => Version::parse(v).ok_or_else(|| {
            let known: Vec<&str> = Version::all().map(|v| v.as_str()).collect();
            JsError::new(&format!(
                "exposure: unknown systemdVersion {v:?}; known: {}",
                known.join(", ")
            ))
        }),
    }
}

/// Core options from a JavaScript options object; `known` lists the keys the caller accepts
/// beyond the common ones.
fn core_options(m: &serde_json::Map<String, Value>, known: &[&str]) -> Result<Options, JsError> {
    for k in m.keys() {
        if !["systemdVersion", "kind", "unit", "policy", "user"].contains(&k.as_str())
            && !known.contains(&k.as_str())
        {
            return Err(JsError::new(&format!("exposure: unknown option {k:?}")));
        }
    }
    let version = version_option(m)?;
    let kind = match string_option(m, "kind")? {
        None | Some("auto") => None,
        Some("unit") => Some(InputKind::UnitFile),
        Some("cat") => Some(InputKind::SystemctlCat),
        Some("show") => Some(InputKind::SystemctlShow),
        Some(other) => {
            return Err(JsError::new(&format!(
                "exposure: kind must be \"auto\", \"unit\", \"cat\" or \"show\", not {other:?}"
            )));
        }
    };
    let unit_name = match string_option(m, "unit")? {
        None => None,
        Some(n) if exposure_core::unit::UnitName::parse(n).is_some() => Some(n.to_owned()),
        Some(n) => {
            return Err(JsError::new(&format!(
                "exposure: {n:?} is not a unit name (e.g. \"nginx.service\")"
            )));
        }
    };
    let policy = match m.get("policy") {
        None | Some(Value::Null) => None,
        Some(p) => {
            let (policy, _) = Policy::parse_for(&p.to_string(), version)
                .map_err(|e| JsError::new(&format!("exposure: policy: {}", e.message)))?;
            Some(policy)
        }
    };
    let user = match m.get("user") {
        None | Some(Value::Null) => false,
        Some(Value::Bool(b)) => *b,
        Some(other) => {
            return Err(JsError::new(&format!(
                "exposure: option user must be true or false, not {other}"
            )));
        }
    };
    Ok(Options {
        kind,
        unit_name,
        version,
        policy,
        user,
    })
}

/// A diagnostic with its 1-based line and column in `text` beside the core's span.
fn diagnostic_json(d: &exposure_core::Diagnostic, text: &str) -> Value {
    let mut v = serde_json::to_value(d).unwrap_or(Value::Null);
    let (line, column) = match d.span {
        Some(s) => {
            let start = (s.start as usize).min(text.len());
            let start = (0..=start)
                .rev()
                .find(|&i| text.is_char_boundary(i))
                .unwrap_or(0);
            let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
            (
                json!(s.line),
                json!(text[line_start..start].chars().count() + 1),
            )
        }
        None => (Value::Null, Value::Null),
    };
    if let Value::Object(m) = &mut v {
        m.insert("line".into(), line);
        m.insert("column".into(), column);
    }
    v
}

/// Scores every unit of `text` (a unit file, `systemctl cat` or `systemctl show` output) as
/// the chosen systemd does. The result has the shape of `exposure --format json`.
#[wasm_bindgen(unchecked_return_type = "AnalyzeResult")]
pub fn analyze(text: &str, options: Option<JsOptions>) -> Result<JsValue, JsError> {
    let m = options_json(&options.map_or(JsValue::UNDEFINED, JsValue::from))?;
    let opts = core_options(&m, &[])?;
    let analysis = exposure_core::analyze(text, &opts);
    let units: Vec<Value> = analysis
        .units
        .iter()
        .map(|r| {
            let mut u = serde_json::to_value(UnitJson::new(r, opts.version)).unwrap_or_default();
            u["diagnostics"] = r
                .diagnostics
                .iter()
                .map(|d| diagnostic_json(d, text))
                .collect();
            u
        })
        .collect();
    let doc = json!({
        "schema_version": SCHEMA_VERSION,
        "tool": { "name": "exposure", "version": env!("CARGO_PKG_VERSION") },
        "systemd_version": opts.version.as_str(),
        "kind": analysis.kind.label(),
        "units": units,
        "diagnostics": analysis
            .diagnostics
            .iter()
            .map(|d| diagnostic_json(d, text))
            .collect::<Vec<_>>(),
    });
    to_js(&doc)
}

/// The advisor: a drop-in for each unit of `text` (a unit file or `systemctl cat` output) and
/// the exposure the unit would have with it, as the chosen systemd scores it.
#[wasm_bindgen(unchecked_return_type = "Advice[]")]
pub fn suggest(text: &str, options: Option<JsSuggestOptions>) -> Result<JsValue, JsError> {
    let m = options_json(&options.map_or(JsValue::UNDEFINED, JsValue::from))?;
    let opts = core_options(&m, &["tier", "leaveOut"])?;
    let tier = match string_option(&m, "tier")? {
        None => Tier::Moderate,
        Some(t) => Tier::parse(t).ok_or_else(|| {
            JsError::new(&format!(
                "exposure: tier must be \"safe\", \"moderate\" or \"strict\", not {t:?}"
            ))
        })?,
    };
    let leave_out: Vec<String> = match m.get("leaveOut") {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Array(a)) => a
            .iter()
            .map(|v| {
                v.as_str().map(str::to_owned).ok_or_else(|| {
                    JsError::new("exposure: leaveOut must be an array of setting names")
                })
            })
            .collect::<Result<_, _>>()?,
        Some(_) => {
            return Err(JsError::new(
                "exposure: leaveOut must be an array of setting names",
            ));
        }
    };
    if opts.kind == Some(InputKind::SystemctlShow)
        || (opts.kind.is_none() && exposure_core::input::detect(text) == InputKind::SystemctlShow)
    {
        return Err(JsError::new(
            "exposure: suggest needs the unit's files (a unit file or `systemctl cat` output); \
             `systemctl show` output has no lines a drop-in could be predicted from",
        ));
    }
    let advice = if leave_out.is_empty() {
        advise::advise_paste(text, &opts, tier)
    } else {
        // Every unit of the paste leaves the same settings out.
        let units: Vec<String> = exposure_core::analyze(text, &opts)
            .units
            .into_iter()
            .map(|u| u.unit)
            .collect();
        let pairs: Vec<(String, String)> = units
            .iter()
            .flat_map(|u| leave_out.iter().map(move |s| (u.clone(), s.clone())))
            .collect();
        advise::advise_paste_leaving_out(text, &opts, tier, &pairs, None)
    };
    let out: Vec<Value> = advice
        .iter()
        .map(|a| {
            json!({
                "unit": a.unit,
                "tier": a.tier.as_str(),
                "exposure_before": a.exposure_before.as_f64(),
                "predicate_before": a.predicate_before.as_str(),
                "exposure_after": a.exposure_after.as_f64(),
                "predicate_after": a.predicate_after.as_str(),
                "dropin": a.dropin,
                "lines": a.lines.iter().map(|l| json!({
                    "setting": l.setting,
                    "value": l.value,
                    "tier": l.tier.as_str(),
                    "gain": l.gain.as_f64(),
                    "may_break": l.may_break,
                    "withheld": l.withheld,
                    "left_out": l.left_out,
                })).collect::<Vec<_>>(),
            })
        })
        .collect();
    to_js(&out)
}

fn check_info(c: &checks::Check, index: usize, version: Version) -> serde_json::Map<String, Value> {
    serde_json::Map::from_iter([
        ("name".to_owned(), json!(version.row_name(c))),
        ("json_field".to_owned(), json!(c.json_field)),
        ("weight".to_owned(), json!(c.weight)),
        ("range".to_owned(), json!(c.range)),
        ("directive".to_owned(), json!(c.directive)),
        ("theme".to_owned(), json!(format!("{:?}", c.theme))),
        ("scored".to_owned(), json!(version.has_check(index))),
    ])
}

/// Every check of the registry, as the chosen version scores them (default: 257).
#[wasm_bindgen(unchecked_return_type = "CheckInfo[]")]
pub fn checks(
    #[wasm_bindgen(js_name = systemdVersion)] systemd_version: Option<String>,
) -> Result<JsValue, JsError> {
    let version = version_arg(systemd_version)?;
    let all: Vec<Value> = REGISTRY
        .iter()
        .enumerate()
        .map(|(i, c)| Value::Object(check_info(c, i, version)))
        .collect();
    to_js(&all)
}

fn version_arg(v: Option<String>) -> Result<Version, JsError> {
    parse_version(v.as_deref())
}

/// Our teaching text of a check, found by its id (`PrivateTmp=`), its JSON field
/// (`PrivateTmp`) or its setting; an unknown name is an error that suggests near ones.
#[wasm_bindgen(unchecked_return_type = "Explanation")]
pub fn explain(
    check: &str,
    #[wasm_bindgen(js_name = systemdVersion)] systemd_version: Option<String>,
) -> Result<JsValue, JsError> {
    let version = version_arg(systemd_version)?;
    let Some((index, c)) = checks::find(check) else {
        return Err(JsError::new(&format!(
            "exposure: no check named {check:?}; checks() lists them all"
        )));
    };
    let mut m = check_info(c, index, version);
    let d = &c.doc;
    for (k, v) in [
        ("good", d.good),
        ("bad", d.bad),
        ("why", d.why),
        ("breaks", d.breaks),
        ("relax", d.relax),
        ("example", d.example),
    ] {
        m.insert(k.into(), Value::String(v.to_owned()));
    }
    m.insert("fix".into(), json!(d.fix));
    m.insert(
        "version_note".into(),
        Value::String(version.explain_check(index)),
    );
    m.insert("man".into(), Value::String(c.url()));
    m.insert("since".into(), json!(c.since));
    to_js(&Value::Object(m))
}

/// The Learn reference: every sandboxing option whose name or texts contain every word of
/// `query` (all of them without one), names first.
#[wasm_bindgen(unchecked_return_type = "LearnEntry[]")]
pub fn learn(query: Option<String>) -> Result<JsValue, JsError> {
    to_js(&exposure_core::learn::search(
        query.as_deref().unwrap_or(""),
    ))
}

/// The systemd versions Exposure scores as, oldest first.
#[wasm_bindgen(unchecked_return_type = "VersionInfo[]")]
pub fn versions() -> Result<JsValue, JsError> {
    let all: Vec<Value> = Version::all()
        .map(|v| {
            let p = v.profile();
            json!({
                "id": p.id,
                "release": p.release,
                "shipped_by": p.shipped_by,
                "evidence": p.evidence,
                "aliases": p.aliases,
                "default": v == Version::default(),
            })
        })
        .collect();
    to_js(&all)
}

/// The page's share-link fragment (`#unit=…`) for a state; open it as `PAGE_URL + fragment`.
#[wasm_bindgen(js_name = encodeLink)]
pub fn encode_link(
    #[wasm_bindgen(unchecked_param_type = "LinkState")] state: JsValue,
) -> Result<String, JsError> {
    let m = options_json(&state)?;
    for k in m.keys() {
        if ![
            "text",
            "tier",
            "systemdVersion",
            "unit",
            "leftOut",
            "exercise",
        ]
        .contains(&k.as_str())
        {
            return Err(JsError::new(&format!("exposure: unknown link field {k:?}")));
        }
    }
    let Some(text) = string_option(&m, "text")? else {
        return Err(JsError::new("exposure: a link needs the unit's text"));
    };
    let tier = match string_option(&m, "tier")? {
        None => None,
        Some(t) => Some(
            Tier::parse(t).ok_or_else(|| JsError::new(&format!("exposure: unknown tier {t:?}")))?,
        ),
    };
    let version = match string_option(&m, "systemdVersion")? {
        None => None,
        Some(_) => Some(version_option(&m)?),
    };
    let left_out = match m.get("leftOut") {
        None | Some(Value::Null) => Vec::new(),
        Some(v) => serde_json::from_value::<Vec<(String, String)>>(v.clone()).map_err(|_| {
            JsError::new("exposure: leftOut must be an array of [unit, setting] pairs")
        })?,
    };
    let state = LinkState {
        text: text.to_owned(),
        tier,
        version,
        unit_name: string_option(&m, "unit")?.map(str::to_owned),
        left_out,
        exercise: match m.get("exercise") {
            None | Some(Value::Null) => None,
            Some(e) => Some(exercise_option(e)?),
        },
        // The page's view options (sort, grouping, open row) are not part of the package's API.
        ..LinkState::default()
    };
    Ok(state.fragment())
}

/// Reads a share-link fragment (with or without `#`, or a whole URL) back into its state.
#[wasm_bindgen(js_name = decodeLink, unchecked_return_type = "LinkState")]
pub fn decode_link(fragment: &str) -> Result<JsValue, JsError> {
    let fragment = fragment.split_once('#').map_or(fragment, |(_, f)| f);
    let state = LinkState::parse(fragment).map_err(|e| JsError::new(&format!("exposure: {e}")))?;
    let mut m = serde_json::Map::new();
    m.insert("text".into(), Value::String(state.text));
    if let Some(t) = state.tier {
        m.insert("tier".into(), json!(t.as_str()));
    }
    if let Some(v) = state.version {
        m.insert("systemdVersion".into(), json!(v.as_str()));
    }
    if let Some(n) = state.unit_name {
        m.insert("unit".into(), json!(n));
    }
    if !state.left_out.is_empty() {
        m.insert("leftOut".into(), json!(state.left_out));
    }
    if let Some(e) = state.exercise {
        let mut x = serde_json::Map::new();
        x.insert("goal".into(), json!(f64::from(e.goal.0) / 10.0));
        if let Some(hide) = e.hide.as_link() {
            x.insert("hide".into(), json!(hide.split(',').collect::<Vec<_>>()));
        }
        if let Some(original) = e.original {
            x.insert("original".into(), Value::String(original));
        }
        m.insert("exercise".into(), Value::Object(x));
    }
    to_js(&Value::Object(m))
}

/// The `exercise` field of a `LinkState`: a goal (a number from 0 to 10 with one decimal at
/// most), the help to hide and, for an answer link, the original text.
fn exercise_option(e: &Value) -> Result<Exercise, JsError> {
    let bad = |why: &str| JsError::new(&format!("exposure: exercise: {why}"));
    let Value::Object(e) = e else {
        return Err(bad("must be an object with a goal"));
    };
    for k in e.keys() {
        if !["goal", "hide", "original"].contains(&k.as_str()) {
            return Err(bad(&format!("unknown field {k:?}")));
        }
    }
    let goal = e
        .get("goal")
        .and_then(Value::as_f64)
        .and_then(|g| exercise::parse_goal(&g.to_string()))
        .ok_or_else(|| bad("goal must be a number from 0 to 10 with one decimal at most"))?;
    let mut hide = Hide::default();
    match e.get("hide") {
        None | Some(Value::Null) => {}
        Some(Value::Array(words)) => {
            for w in words {
                match w.as_str() {
                    Some("advice") => hide.advice = true,
                    Some("fixes") => hide.fixes = true,
                    _ => {
                        return Err(bad(&format!(
                            "hide takes \"advice\" and \"fixes\", not {w}"
                        )));
                    }
                }
            }
        }
        Some(_) => return Err(bad("hide must be an array")),
    }
    let original = match e.get("original") {
        None | Some(Value::Null) => None,
        Some(Value::String(o)) => Some(o.clone()),
        Some(_) => return Err(bad("original must be a string")),
    };
    Ok(Exercise {
        goal,
        hide,
        original,
    })
}
