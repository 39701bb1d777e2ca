//! System-call sets: a bit set over every syscall name systemd knows, group expansion, and the
//! per-group evaluation the `SystemCallFilter=~@group` checks use.

use serde::{Serialize, Serializer};

use crate::tables::{NOT_ON_X86_64, SYSCALL_NAMES, syscall_group, syscall_index};

const WORDS: usize = SYSCALL_NAMES.len().div_ceil(64);

/// A set of syscalls, indexed by position in [`SYSCALL_NAMES`].
#[derive(Clone, PartialEq, Eq, Default)]
pub struct SyscallSet {
    bits: Vec<u64>,
}

impl std::fmt::Debug for SyscallSet {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_set().entries(self.names()).finish()
    }
}

impl Serialize for SyscallSet {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.names())
    }
}

impl SyscallSet {
    pub fn insert(&mut self, i: usize) {
        if self.bits.is_empty() {
            self.bits = vec![0; WORDS];
        }
        self.bits[i / 64] |= 1 << (i % 64);
    }
    pub fn remove(&mut self, i: usize) {
        if let Some(w) = self.bits.get_mut(i / 64) {
            *w &= !(1 << (i % 64));
        }
    }
    pub fn contains(&self, i: usize) -> bool {
        self.bits
            .get(i / 64)
            .is_some_and(|w| w & (1 << (i % 64)) != 0)
    }
    pub fn contains_name(&self, name: &str) -> bool {
        syscall_index(name).is_some_and(|i| self.contains(i))
    }
    pub fn is_empty(&self) -> bool {
        self.bits.iter().all(|&w| w == 0)
    }
    pub fn len(&self) -> usize {
        self.bits.iter().map(|w| w.count_ones() as usize).sum()
    }
    pub fn clear(&mut self) {
        self.bits.clear();
    }
    /// Member names, sorted.
    pub fn names(&self) -> impl Iterator<Item = &'static str> + '_ {
        SYSCALL_NAMES
            .iter()
            .enumerate()
            .filter(|&(i, _)| self.contains(i))
            .map(|(_, n)| *n)
    }
}

/// A syscall group with its members flattened (nested groups expanded in place).
struct Flat {
    name: &'static str,
    /// Every member's index, depth first in definition order.
    members: Vec<u16>,
    /// The members that are real syscalls on x86-64, in the same order.
    native: Vec<u16>,
}

fn groups() -> &'static [Flat] {
    static GROUPS: std::sync::OnceLock<Vec<Flat>> = std::sync::OnceLock::new();
    GROUPS.get_or_init(|| {
        fn walk(name: &str, out: &mut Vec<u16>) {
            for m in syscall_group(name).unwrap_or(&[]) {
                if m.starts_with('@') {
                    walk(m, out);
                } else if let Some(i) = syscall_index(m) {
                    out.push(i as u16);
                }
            }
        }
        crate::tables::GROUPS_252
            .iter()
            .map(|&(name, _)| {
                let mut members = Vec::new();
                walk(name, &mut members);
                let native = members
                    .iter()
                    .copied()
                    .filter(|&i| is_native(SYSCALL_NAMES[usize::from(i)]))
                    .collect();
                Flat {
                    name,
                    members,
                    native,
                }
            })
            .collect()
    })
}

fn group(name: &str) -> Option<&'static Flat> {
    groups().iter().find(|g| g.name == name)
}

/// Calls `f` with the index of every syscall a name stands for: a single known syscall, or
/// every member of a group (recursively). Returns false when the name is unknown.
pub fn expand(name: &str, f: &mut impl FnMut(usize)) -> bool {
    if name.starts_with('@') {
        let Some(g) = group(name) else {
            return false;
        };
        for &i in &g.members {
            f(usize::from(i));
        }
        true
    } else if let Some(i) = syscall_index(name) {
        f(i);
        true
    } else {
        false
    }
}

/// Whether a group member exists as a real syscall on x86-64 (others are skipped by checks).
pub fn is_native(name: &str) -> bool {
    !NOT_ON_X86_64.contains(&name)
}

/// The first member of `group` (depth first, in definition order, native syscalls only) for
/// which `offends` holds, given the member's index in [`SYSCALL_NAMES`].
pub fn first_offender(group_name: &str, offends: &impl Fn(usize) -> bool) -> Option<&'static str> {
    group(group_name)?
        .native
        .iter()
        .map(|&i| usize::from(i))
        .find(|&i| offends(i))
        .map(|i| SYSCALL_NAMES[i])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn set_operations() {
        let mut s = SyscallSet::default();
        assert!(s.is_empty());
        let i = syscall_index("mount").unwrap();
        s.insert(i);
        assert!(s.contains_name("mount"));
        assert_eq!(s.len(), 1);
        s.remove(i);
        assert!(s.is_empty());
    }

    #[test]
    fn expands_nested_groups() {
        let mut s = SyscallSet::default();
        assert!(expand("@privileged", &mut |i| s.insert(i)));
        assert!(s.contains_name("chown")); // via @chown
        assert!(s.contains_name("reboot")); // via @reboot
        assert!(!expand("@nope", &mut |_| {}));
        assert!(!expand("nope", &mut |_| {}));
    }

    #[test]
    fn offender_order_skips_foreign_calls() {
        let name = |i: usize| SYSCALL_NAMES[i];
        // Nothing allowed → the first native @privileged member is chown (from @chown).
        assert_eq!(first_offender("@privileged", &|_| true), Some("chown"));
        // umount is not an x86-64 syscall, so the first real @mount member is chroot.
        assert_eq!(
            first_offender("@mount", &|i| name(i) != "chroot"),
            Some("fsconfig")
        );
        assert_eq!(first_offender("@clock", &|i| name(i).ends_with("64")), None);
    }
}
