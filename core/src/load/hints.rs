//! Unknown keys: the warning, and the "did you mean" hint.

use super::Loader;
use super::values::setting_name;
use crate::diag::{Diagnostic, Severity};
use crate::syntax::Entry;
use crate::tables::{self, DirectiveTable};

/// The closest known directive of a section, for a "did you mean" hint.
pub fn did_you_mean(table: DirectiveTable, key: &str, section: &str) -> Option<&'static str> {
    let lower: Vec<char> = key.chars().map(|c| c.to_ascii_lowercase()).collect();
    let limit = 2.max(key.len() / 5);
    // How often each ASCII character occurs in the key (others never match a name).
    let mut counts = [0u32; 128];
    for &c in &lower {
        if c.is_ascii() {
            counts[c as usize] += 1;
        }
    }
    let (mut prev, mut cur) = (Vec::new(), Vec::new());
    let mut best: Option<(usize, &'static str)> = None;
    for k in table.keys(section) {
        // Two lower bounds of the distance skip most names cheaply: the difference in length
        // (a megabyte-long key would otherwise cost a huge comparison per name), and the
        // characters one has that the other lacks (an unknown key is compared with every
        // name of its section).
        if lower.len().abs_diff(k.len()) > limit {
            continue;
        }
        let mut left = counts;
        let mut only_k = 0;
        for b in k.bytes() {
            let slot = &mut left[usize::from(b.to_ascii_lowercase() & 0x7f)];
            if *slot > 0 {
                *slot -= 1;
            } else {
                only_k += 1;
            }
        }
        let only_key = lower.len() - (k.len() - only_k);
        if only_k.max(only_key) > limit {
            continue;
        }
        let d = levenshtein(&lower, k, limit, &mut prev, &mut cur);
        if best.is_none_or(|(bd, _)| d < bd) {
            best = Some((d, k));
        }
    }
    best.filter(|&(d, _)| d <= limit).map(|(_, k)| k)
}

/// Edit distance between `a` (lower case) and the directive name `b` (ASCII, compared in lower
/// case), or `limit + 1` as soon as it must exceed `limit`. The two rows are buffers reused
/// across calls: this runs for every known key of the section for each unknown one.
pub(super) fn levenshtein(
    a: &[char],
    b: &str,
    limit: usize,
    prev: &mut Vec<usize>,
    cur: &mut Vec<usize>,
) -> usize {
    let b = b.as_bytes();
    prev.clear();
    prev.extend(0..=b.len());
    cur.clear();
    cur.resize(b.len() + 1, 0);
    for i in 1..=a.len() {
        cur[0] = i;
        let mut row_min = i;
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != char::from(b[j - 1].to_ascii_lowercase()));
            cur[j] = (prev[j] + 1).min(cur[j - 1] + 1).min(prev[j - 1] + cost);
            row_min = row_min.min(cur[j]);
        }
        if row_min > limit {
            // No later row can come back under the limit.
            return limit + 1;
        }
        std::mem::swap(prev, cur);
    }
    prev[b.len()]
}

impl Loader {
    /// A key the version recognises only to say its support was removed.
    pub(super) fn removed_key(&mut self, file: Option<&str>, e: &Entry) {
        let msg = format!(
            "Support for {}= has been removed from systemd (as of {}); it ignores this line",
            e.key, self.profile.id
        );
        let d = Diagnostic::new(Severity::Warning, "removed-key", msg).at(file, e.span);
        self.diags.push(d);
    }

    pub(super) fn unknown_key(&mut self, file: Option<&str>, e: &Entry) {
        let section = &*e.section;
        // Is it a real directive of another section?
        let elsewhere = self.profile.directives.elsewhere(section, &e.key);
        let hardening = setting_name(&e.key).is_some();
        let mut msg = match tables::first_release_knowing(section, &e.key) {
            // A key of a later systemd: the unit looks stronger than it is on this one.
            Some(later) => format!(
                "{}= is not known to systemd {} (systemd {later} knows it), so this systemd \
                 ignores this line",
                e.key, self.profile.id
            ),
            None => format!(
                "Unknown key {}= in section [{section}]; systemd ignores this line",
                e.key
            ),
        };
        let help = if let Some(s) = elsewhere {
            if hardening {
                msg = format!(
                    "{}= has no effect in [{section}]: systemd ignores it there, so this hardening setting does nothing",
                    e.key
                );
            }
            Some(format!(
                "{}= belongs in the [{}] section",
                e.key,
                self.name
                    .kind
                    .section()
                    .filter(|_| s != "Unit" && s != "Install")
                    .unwrap_or(s)
            ))
        } else {
            let near = *self
                .did_you_mean
                .entry((section.to_owned(), e.key.to_string()))
                .or_insert_with(|| did_you_mean(self.profile.directives, &e.key, section));
            near.map(|k| format!("did you mean {k}=?"))
        };
        let code = if elsewhere.is_some() {
            "wrong-section"
        } else {
            "unknown-key"
        };
        let mut d = Diagnostic::new(Severity::Warning, code, msg).at(file, e.span);
        d.help = help;
        self.diags.push(d);
    }
}
