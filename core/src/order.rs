//! One stable sort for the whole crate and the page.
//!
//! `slice::sort_by` is generic over the element type and the comparison closure, so every call
//! site with its own closure compiles a fresh copy of the standard library's sort (about 3.5 KB
//! of WebAssembly each; the page had eleven). Here the sorting itself happens once, on indices,
//! through a `&dyn` comparison; only the small step that moves the elements into that order is
//! generic. The result is exactly that of a stable sort: elements that compare equal keep their
//! order, so replacing `v.sort_by(f)` with [`sort_by`]`(&mut v, &f)` changes nothing but size.

use std::cmp::Ordering;

/// Sorts `v` by `cmp` where the order of elements that compare equal does not matter (they are
/// equal in every respect the caller reads, or no two compare equal). Natively that is the
/// standard library's unstable sort, the fastest; in the page it is [`sort_by`], whose code is
/// already there, as an unstable sort would add about 2 KB gzip for each element type.
#[allow(clippy::ptr_arg)] // the page's `sort_by` takes the `Vec`
pub fn sort_unstable_by<T>(v: &mut Vec<T>, cmp: impl Fn(&T, &T) -> Ordering) {
    #[cfg(target_arch = "wasm32")]
    sort_by(v, &cmp);
    #[cfg(not(target_arch = "wasm32"))]
    v.sort_unstable_by(cmp);
}

/// Sorts `v` stably by `cmp`, like `v.sort_by(cmp)`.
pub fn sort_by<T>(v: &mut Vec<T>, cmp: &dyn Fn(&T, &T) -> Ordering) {
    if v.len() < 2 {
        return;
    }
    let order = stable_order(v.len(), &|a, b| cmp(&v[a], &v[b]));
    let mut slots: Vec<Option<T>> = std::mem::take(v).into_iter().map(Some).collect();
    v.extend(order.into_iter().filter_map(|i| slots[i].take()));
}

/// Sorts `v` stably, like `v.sort()`.
pub fn sort<T: Ord>(v: &mut Vec<T>) {
    sort_by(v, &|a, b| a.cmp(b));
}

/// Sorts `v` stably by the key `key` gives, like `v.sort_by_key(key)`.
pub fn sort_by_key<T, K: Ord>(v: &mut Vec<T>, key: &dyn Fn(&T) -> K) {
    sort_by(v, &|a, b| key(a).cmp(&key(b)));
}

/// The indices `0..n` in the order a stable sort by `cmp` (comparing indices) puts them: a
/// top-down merge sort, the only sorting code this needs.
fn stable_order(n: usize, cmp: &dyn Fn(usize, usize) -> Ordering) -> Vec<usize> {
    let mut idx: Vec<usize> = (0..n).collect();
    let mut tmp = idx.clone();
    merge_sort(&mut idx, &mut tmp, cmp);
    idx
}

fn merge_sort(v: &mut [usize], tmp: &mut [usize], cmp: &dyn Fn(usize, usize) -> Ordering) {
    let n = v.len();
    if n < 2 {
        return;
    }
    let mid = n / 2;
    merge_sort(&mut v[..mid], &mut tmp[..mid], cmp);
    merge_sort(&mut v[mid..], &mut tmp[mid..], cmp);
    // Already in order: the common case for nearly sorted input.
    if cmp(v[mid - 1], v[mid]) != Ordering::Greater {
        return;
    }
    let (mut i, mut j) = (0, mid);
    for slot in tmp[..n].iter_mut() {
        // Take from the left run on ties: that is what keeps the sort stable.
        if j >= n || (i < mid && cmp(v[i], v[j]) != Ordering::Greater) {
            *slot = v[i];
            i += 1;
        } else {
            *slot = v[j];
            j += 1;
        }
    }
    v.copy_from_slice(&tmp[..n]);
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A small deterministic generator, so the test needs no dependency.
    fn numbers(seed: u64, n: usize, modulo: u64) -> Vec<u64> {
        let mut x = seed;
        (0..n)
            .map(|_| {
                x = x
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                (x >> 33) % modulo
            })
            .collect()
    }

    #[test]
    fn agrees_with_the_standard_stable_sort() {
        for seed in 0..200 {
            for n in [0, 1, 2, 3, 7, 8, 9, 31, 64, 100, 257] {
                // Pairs (key, original position): many equal keys, so stability is visible.
                let keys = numbers(seed, n, 1 + seed % 13);
                let items: Vec<(u64, usize)> = keys.into_iter().zip(0..).collect();
                let mut ours = items.clone();
                let mut std = items.clone();
                sort_by(&mut ours, &|a, b| a.0.cmp(&b.0));
                std.sort_by_key(|a| a.0);
                assert_eq!(ours, std, "seed {seed}, n {n}");
                let mut ours = items.clone();
                let mut std = items;
                sort_by_key(&mut ours, &|a| std::cmp::Reverse(a.0));
                std.sort_by_key(|a| std::cmp::Reverse(a.0));
                assert_eq!(ours, std, "seed {seed}, n {n}, by key");
            }
        }
    }

    #[test]
    fn sorts_owned_values_without_losing_any() {
        let mut v: Vec<String> = ["b", "a", "c", "a", "b"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        sort_by(&mut v, &|a, b| a.cmp(b));
        assert_eq!(v, ["a", "a", "b", "b", "c"]);
    }
}
