//! Security policies in systemd-analyze's `--security-policy` JSON format: an object keyed by
//! `json_field`, each value an object with any of `weight`, `range`, `description_good`,
//! `description_bad`, `description_na`.
//!
//! systemd ignores entries and fields of the wrong type silently; we ignore them the same way
//! (so scores match) but say so in a diagnostic.

use crate::checks::REGISTRY;
use crate::diag::{Diagnostic, Severity};

/// Overrides for one check.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PolicyEntry {
    pub weight: Option<u32>,
    pub range: Option<u32>,
    pub description_good: Option<String>,
    pub description_bad: Option<String>,
    pub description_na: Option<String>,
}

/// A parsed policy.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Policy {
    /// `(json_field, entry)` sorted by field, one per field: a sorted vector rather than a
    /// `BTreeMap`, whose code the page would link only to clone and drop an empty policy.
    pub entries: Vec<(String, PolicyEntry)>,
}

/// A policy file that is not JSON at all: systemd refuses it (exit status 1).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PolicyError {
    pub line: usize,
    pub column: usize,
    pub message: String,
}

impl std::fmt::Display for PolicyError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}: {}", self.line, self.column, self.message)
    }
}

impl std::error::Error for PolicyError {}

impl Policy {
    /// [`Policy::parse`] as `version` reads a policy file: from 261 a top level that is not a
    /// JSON object is an error (K11) rather than ignored.
    pub fn parse_for(
        text: &str,
        version: crate::Version,
    ) -> Result<(Policy, Vec<Diagnostic>), PolicyError> {
        if version.profile().refusals.policy_not_object
            && let Ok(v) = serde_json::from_str::<serde_json::Value>(text)
            && !v.is_object()
        {
            return Err(PolicyError {
                line: 1,
                column: 1,
                message: format!(
                    "the policy is not a JSON object, which systemd {} refuses",
                    version.as_str()
                ),
            });
        }
        Policy::parse(text)
    }

    /// Parses a policy. Malformed JSON is an error; well-formed JSON of the wrong shape is
    /// accepted the way systemd accepts it, with warnings.
    pub fn parse(text: &str) -> Result<(Policy, Vec<Diagnostic>), PolicyError> {
        let value: serde_json::Value = serde_json::from_str(text).map_err(|e| PolicyError {
            line: e.line(),
            column: e.column(),
            message: format!("the policy is not valid JSON: {e}"),
        })?;
        let mut diags = Vec::new();
        let mut warn = |msg: String| diags.push(Diagnostic::new(Severity::Warning, "policy", msg));
        let mut policy = Policy::default();
        let Some(obj) = value.as_object() else {
            warn("the policy is not a JSON object; systemd ignores it".into());
            return Ok((policy, diags));
        };
        for (key, v) in obj {
            if !REGISTRY.iter().any(|c| c.json_field == key) {
                warn(format!(
                    "policy entry {key:?} names no check; it is ignored"
                ));
                continue;
            }
            let Some(o) = v.as_object() else {
                warn(format!(
                    "policy entry {key:?} is not an object; it is ignored"
                ));
                continue;
            };
            let mut e = PolicyEntry::default();
            for (field, fv) in o {
                match field.as_str() {
                    "weight" | "range" => match fv.as_u64().and_then(|n| u32::try_from(n).ok()) {
                        Some(n) if field == "weight" => e.weight = Some(n),
                        Some(n) => e.range = Some(n),
                        None => warn(format!(
                            "{key}.{field} is not an unsigned integer; it is ignored"
                        )),
                    },
                    "description_good" | "description_bad" | "description_na" => {
                        match fv.as_str() {
                            Some(s) => {
                                let slot = match field.as_str() {
                                    "description_good" => &mut e.description_good,
                                    "description_bad" => &mut e.description_bad,
                                    _ => &mut e.description_na,
                                };
                                *slot = Some(s.to_owned());
                            }
                            None => warn(format!("{key}.{field} is not a string; it is ignored")),
                        }
                    }
                    other => warn(format!(
                        "{key}.{other} is not a policy field; it is ignored"
                    )),
                }
            }
            match policy
                .entries
                .binary_search_by(|(k, _)| k.as_str().cmp(key))
            {
                Ok(i) => policy.entries[i].1 = e,
                Err(i) => policy.entries.insert(i, (key.clone(), e)),
            }
        }
        Ok((policy, diags))
    }

    pub fn get(&self, json_field: &str) -> Option<&PolicyEntry> {
        let i = self
            .entries
            .binary_search_by(|(k, _)| k.as_str().cmp(json_field))
            .ok()?;
        Some(&self.entries[i].1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_weights_ranges_and_texts() {
        let (p, d) = Policy::parse(
            r#"{"PrivateNetwork":{"weight":0},"UMask":{"range":20,"description_bad":"x"},"Nope":{}}"#,
        )
        .unwrap();
        assert_eq!(p.get("PrivateNetwork").unwrap().weight, Some(0));
        assert_eq!(p.get("UMask").unwrap().range, Some(20));
        assert_eq!(
            p.get("UMask").unwrap().description_bad.as_deref(),
            Some("x")
        );
        assert_eq!(d.len(), 1);
    }

    #[test]
    fn wrong_types_are_ignored_like_systemd() {
        let (p, d) = Policy::parse(r#"{"UMask":{"weight":"9","range":-1}}"#).unwrap();
        assert_eq!(p.get("UMask").unwrap(), &PolicyEntry::default());
        assert_eq!(d.len(), 2);
        let (p, _) = Policy::parse("[1,2]").unwrap();
        assert!(p.entries.is_empty());
        // 261 and later refuse a policy that is not an object.
        let v = |s| crate::Version::parse(s).unwrap();
        assert!(Policy::parse_for("[1,2]", v("260")).is_ok());
        let e = Policy::parse_for("[1,2]", v("261")).unwrap_err();
        assert!(e.message.contains("systemd 261 refuses"), "{}", e.message);
        assert!(Policy::parse_for("{}", v("262")).is_ok());
    }

    #[test]
    fn malformed_json_names_line_and_column() {
        let e = Policy::parse("{\n  \"UMask\": {,}\n}").unwrap_err();
        assert_eq!(e.line, 2);
        assert!(e.to_string().starts_with("2:"));
    }
}
