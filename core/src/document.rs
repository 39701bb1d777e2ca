//! One unit's report in the shape of `exposure --format json` (`docs/exposure-report.schema.json`):
//! the rows as systemd's `--json=short` prints them, the score as a number. The CLI and the
//! JavaScript package both serialize this value, so the two documents cannot drift apart.

use serde::Serialize;

use crate::Diagnostic;
use crate::report::{Row, UnitReport};
use crate::version::{Evidence, Version};

/// The version of the document's shape; raised when a field changes meaning or goes away
/// (adding one does not).
pub const SCHEMA_VERSION: u32 = 1;

/// A unit of the JSON document. A refused unit has no exposure, no predicate and no rows.
#[derive(Debug)]
pub struct UnitJson<'a> {
    pub unit: &'a str,
    pub systemd_version: &'static str,
    pub systemd_version_evidence: Evidence,
    pub exposure: Option<f64>,
    pub predicate: Option<&'static str>,
    pub refused: Option<&'a str>,
    pub checks: &'a [Row],
    pub diagnostics: &'a [Diagnostic],
}

impl Serialize for UnitJson<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut st = s.serialize_struct("UnitJson", UnitJson::FIELDS)?;
        self.serialize_fields(&mut st)?;
        st.end()
    }
}

impl UnitJson<'_> {
    /// How many fields [`UnitJson::serialize_fields`] writes.
    pub const FIELDS: usize = 8;

    /// Writes the unit's fields into a struct being serialized: the document of the CLI adds
    /// its own after them (a struct, not serde's `flatten`, which goes through a map).
    pub fn serialize_fields<S: serde::ser::SerializeStruct>(
        &self,
        s: &mut S,
    ) -> Result<(), S::Error> {
        s.serialize_field("unit", self.unit)?;
        s.serialize_field("systemd_version", self.systemd_version)?;
        s.serialize_field("systemd_version_evidence", &self.systemd_version_evidence)?;
        s.serialize_field("exposure", &self.exposure)?;
        s.serialize_field("predicate", &self.predicate)?;
        s.serialize_field("refused", &self.refused)?;
        s.serialize_field("checks", self.checks)?;
        s.serialize_field("diagnostics", self.diagnostics)
    }
}

impl<'a> UnitJson<'a> {
    pub fn new(r: &'a UnitReport, version: Version) -> Self {
        let scored = r.refused.is_none();
        UnitJson {
            unit: &r.unit,
            systemd_version: version.as_str(),
            systemd_version_evidence: version.profile().evidence,
            exposure: scored.then(|| r.exposure.as_f64()),
            predicate: scored.then(|| r.predicate.as_str()),
            refused: r.refused.as_deref(),
            checks: if scored { &r.rows } else { &[] },
            diagnostics: &r.diagnostics,
        }
    }
}
