//! The input kinds the user can force in the "Read as" menu.

use exposure_core::InputKind;

/// `(kind, <option value>)`, in menu order. The values are those `InputKind::parse` accepts.
pub const KINDS: &[(InputKind, &str)] = &[
    (InputKind::UnitFile, "unit"),
    (InputKind::SystemctlCat, "cat"),
    (InputKind::SystemctlShow, "show"),
];

/// The kind an `<option value>` stands for; `None` (detect) for anything else.
pub fn from_value(value: &str) -> Option<InputKind> {
    KINDS.iter().find(|(_, v)| *v == value).map(|(k, _)| *k)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_round_trip_and_agree_with_core() {
        for (kind, value) in KINDS {
            assert_eq!(from_value(value), Some(*kind));
            assert_eq!(InputKind::parse(value), Some(*kind));
        }
        let mut values: Vec<_> = KINDS.iter().map(|(_, v)| v).collect();
        values.sort();
        values.dedup();
        assert_eq!(values.len(), KINDS.len());
        assert_eq!(from_value(""), None);
        assert_eq!(from_value("bogus"), None);
    }
}
