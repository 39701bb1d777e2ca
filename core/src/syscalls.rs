//! System-call sets: a bit set over every syscall name systemd knows, group expansion, and the
//! per-group evaluation the `SystemCallFilter=~@group` checks use.

use serde::{Serialize, Serializer};

use crate::tables::{self, ALL_SYSCALL_NAMES as SYSCALL_NAMES, NOT_ON_X86_64, syscall_index};

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
    /// Adds every member of `other`.
    pub fn union_with(&mut self, other: &SyscallSet) {
        if self.bits.is_empty() {
            self.bits.clone_from(&other.bits);
            return;
        }
        for (w, o) in self.bits.iter_mut().zip(&other.bits) {
            *w |= o;
        }
    }
    /// Removes every member of `other`.
    pub fn subtract(&mut self, other: &SyscallSet) {
        for (w, o) in self.bits.iter_mut().zip(&other.bits) {
            *w &= !o;
        }
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
    /// Every member this version's libseccomp resolves, by index, depth first in definition
    /// order (what a filter naming the group adds or removes).
    members: Vec<u16>,
    /// The members that resolve to a real syscall on x86-64, in the same order.
    native: Vec<u16>,
    /// `members` as a set.
    set: SyscallSet,
}

/// The syscall groups of one version (K7): 252's table with some groups replaced or added,
/// and the members that version's libseccomp does not resolve on x86-64 (besides those of
/// [`NOT_ON_X86_64`]).
#[derive(Debug, Clone, Copy)]
pub struct Groups {
    /// Which cache of flattened groups is this table's.
    slot: usize,
    overrides: &'static [(&'static str, &'static [&'static str])],
    unresolved: &'static [&'static str],
}

const fn table(
    slot: usize,
    overrides: &'static [(&'static str, &'static [&'static str])],
    unresolved: &'static [&'static str],
) -> Groups {
    Groups {
        slot,
        overrides,
        unresolved,
    }
}

/// Names no tested libseccomp resolves (2.5.4 of Debian 12, 2.6.0 of 13, 2.6.1 of sid): a filter
/// entry naming one is dropped (`~uretprobe` alone filters nothing on all four releases).
const UNRESOLVED: &[&str] = &["uretprobe"];
/// And `open_tree_attr` (in `@mount` from 258), which 2.6.1 (Debian sid) resolves and 2.6.0
/// (Debian 13) does not.
const UNRESOLVED_2_6_0: &[&str] = &["uretprobe", "open_tree_attr"];

pub const GROUPS_252: Groups = table(0, &[], UNRESOLVED);
pub const GROUPS_249: Groups = table(1, tables::GROUPS_249, UNRESOLVED);
pub const GROUPS_252_RHEL: Groups = table(2, tables::GROUPS_252_RHEL, UNRESOLVED);
pub const GROUPS_254: Groups = table(3, tables::GROUPS_254, UNRESOLVED);
pub const GROUPS_255: Groups = table(4, tables::GROUPS_255, UNRESOLVED);
pub const GROUPS_256: Groups = table(5, tables::GROUPS_256, UNRESOLVED);
pub const GROUPS_257: Groups = table(6, tables::GROUPS_257, UNRESOLVED_2_6_0);
pub const GROUPS_258: Groups = table(7, tables::GROUPS_258, UNRESOLVED);
pub const GROUPS_259: Groups = table(8, tables::GROUPS_259, UNRESOLVED);
pub const GROUPS_260: Groups = table(9, tables::GROUPS_260, UNRESOLVED);
pub const GROUPS_261: Groups = table(10, tables::GROUPS_261, UNRESOLVED);
pub const GROUPS_262: Groups = table(11, tables::GROUPS_262, UNRESOLVED);
const SLOTS: usize = 12;

impl Groups {
    /// A group's members in definition order (nested groups by name).
    pub fn members(&self, name: &str) -> Option<&'static [&'static str]> {
        self.overrides
            .iter()
            .chain(tables::GROUPS_252)
            .find(|(g, _)| *g == name)
            .map(|&(_, m)| m)
    }

    fn flat(&self) -> &'static [Flat] {
        static CACHE: [std::sync::OnceLock<Vec<Flat>>; SLOTS] =
            [const { std::sync::OnceLock::new() }; SLOTS];
        CACHE[self.slot].get_or_init(|| {
            fn walk(g: &Groups, name: &str, out: &mut Vec<u16>) {
                for m in g.members(name).unwrap_or(&[]) {
                    if m.starts_with('@') {
                        walk(g, m, out);
                    } else if let Some(i) = syscall_index(m) {
                        out.push(i as u16);
                    }
                }
            }
            let mut names: Vec<&'static str> = tables::GROUPS_252.iter().map(|&(n, _)| n).collect();
            for &(n, _) in self.overrides {
                if !names.contains(&n) {
                    names.push(n);
                }
            }
            names
                .into_iter()
                .map(|name| {
                    let mut members = Vec::new();
                    walk(self, name, &mut members);
                    members.retain(|&i| !self.unresolved.contains(&SYSCALL_NAMES[usize::from(i)]));
                    let native = members
                        .iter()
                        .copied()
                        .filter(|&i| is_native(SYSCALL_NAMES[usize::from(i)]))
                        .collect();
                    let mut set = SyscallSet::default();
                    for &i in &members {
                        set.insert(usize::from(i));
                    }
                    Flat {
                        name,
                        members,
                        native,
                        set,
                    }
                })
                .collect()
        })
    }

    fn group(&self, name: &str) -> Option<&'static Flat> {
        self.flat().iter().find(|g| g.name == name)
    }

    /// Calls `f` with the index of every syscall a name stands for: a single known syscall,
    /// or every member of a group (recursively); names this version's libseccomp does not
    /// resolve are left out, as systemd drops them. Returns false when the name is unknown.
    pub fn expand(&self, name: &str, f: &mut impl FnMut(usize)) -> bool {
        if name.starts_with('@') {
            let Some(g) = self.group(name) else {
                return false;
            };
            for &i in &g.members {
                f(usize::from(i));
            }
            true
        } else if let Some(i) = syscall_index(name) {
            if !self.unresolved.contains(&SYSCALL_NAMES[i]) {
                f(i);
            }
            true
        } else {
            false
        }
    }

    /// Adds to `set` (or, with `add` false, removes from it) every syscall `name` stands for,
    /// as [`Groups::expand`] lists them, a group at once. Returns false when the name is
    /// unknown.
    pub fn apply(&self, name: &str, set: &mut SyscallSet, add: bool) -> bool {
        match self.group(name) {
            Some(g) if add => set.union_with(&g.set),
            Some(g) => set.subtract(&g.set),
            None => {
                return self.expand(name, &mut |i| {
                    if add { set.insert(i) } else { set.remove(i) }
                });
            }
        }
        true
    }

    /// The first member of `group` (depth first, in definition order, resolvable syscalls
    /// only) for which `offends` holds, given the member's index in [`SYSCALL_NAMES`].
    pub fn first_offender(
        &self,
        group_name: &str,
        offends: &impl Fn(usize) -> bool,
    ) -> Option<&'static str> {
        self.group(group_name)?
            .native
            .iter()
            .map(|&i| usize::from(i))
            .find(|&i| offends(i))
            .map(|i| SYSCALL_NAMES[i])
    }
}

/// [`Groups::expand`] with 252's groups.
pub fn expand(name: &str, f: &mut impl FnMut(usize)) -> bool {
    GROUPS_252.expand(name, f)
}

/// Whether a group member exists as a real syscall on x86-64 (others are skipped by checks).
pub fn is_native(name: &str) -> bool {
    !NOT_ON_X86_64.contains(&name)
}

/// [`Groups::first_offender`] with 252's groups.
pub fn first_offender(group_name: &str, offends: &impl Fn(usize) -> bool) -> Option<&'static str> {
    GROUPS_252.first_offender(group_name, offends)
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
    fn applying_a_group_adds_or_removes_what_it_expands_to() {
        for g in [&GROUPS_252, &GROUPS_249, &GROUPS_257, &GROUPS_262] {
            for name in [
                "@system-service",
                "@privileged",
                "@mount",
                "mount",
                "uretprobe",
                "@x",
            ] {
                let mut by_one = SyscallSet::default();
                let mut at_once = SyscallSet::default();
                let known = g.expand("@default", &mut |i| by_one.insert(i));
                assert!(known && g.apply("@default", &mut at_once, true));
                for add in [true, false] {
                    let a = g.expand(name, &mut |i| {
                        if add {
                            by_one.insert(i)
                        } else {
                            by_one.remove(i)
                        }
                    });
                    assert_eq!(g.apply(name, &mut at_once, add), a, "{name}");
                    assert_eq!(
                        by_one.names().collect::<Vec<_>>(),
                        at_once.names().collect::<Vec<_>>(),
                        "{name} {add}"
                    );
                }
            }
        }
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
