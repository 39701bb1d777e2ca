//! Byte searches and a hash eight bytes at a time, for the scans every input goes through
//! (lines of unit files and of `systemctl show` captures, which can be megabytes, and the names
//! on them). `str`'s own char searches cost more to set up than a short line costs to read.

const ONES: u64 = 0x0101_0101_0101_0101;
const HIGHS: u64 = 0x8080_8080_8080_8080;

/// The high bit of each byte of `x` that is zero. Only the lowest set bit is exact (a borrow
/// can mark the byte above a zero), which is the one the searches use.
fn zero_bytes(x: u64) -> u64 {
    x.wrapping_sub(ONES) & !x & HIGHS
}

/// The index of the first byte of `hay` for which `any_of` (given a word, the zero bytes of
/// its transformations) finds one, or `None`.
fn search(hay: &[u8], found: impl Fn(u64) -> u64, one: impl Fn(u8) -> bool) -> Option<usize> {
    let mut words = hay.chunks_exact(8);
    let mut at = 0;
    for w in &mut words {
        let hits = found(u64::from_le_bytes(w.try_into().expect("8 bytes")));
        if hits != 0 {
            return Some(at + (hits.trailing_zeros() / 8) as usize);
        }
        at += 8;
    }
    words
        .remainder()
        .iter()
        .position(|&b| one(b))
        .map(|i| at + i)
}

/// The index of the first `b` in `hay`.
pub fn find_byte(hay: &[u8], b: u8) -> Option<usize> {
    let pattern = ONES * u64::from(b);
    search(hay, |w| zero_bytes(w ^ pattern), |x| x == b)
}

/// The index of the first `\n`, `\r` or NUL in `hay`: what ends a line of a unit file.
pub fn find_line_end(hay: &[u8]) -> Option<usize> {
    const NL: u64 = ONES * b'\n' as u64;
    const CR: u64 = ONES * b'\r' as u64;
    // The lowest of the three marks is exact: each is exact at its own lowest zero byte, and a
    // false mark only ever sits above a true one of the same search.
    search(
        hay,
        |w| zero_bytes(w ^ NL) | zero_bytes(w ^ CR) | zero_bytes(w),
        |x| matches!(x, b'\n' | b'\r' | 0),
    )
}

/// Whether every byte of `bytes` is printable ASCII (space to `~`), eight at a time.
pub fn printable_ascii(bytes: &[u8]) -> bool {
    const SPACE: u64 = ONES * b' ' as u64;
    const DEL: u64 = ONES * 0x7f;
    let mut words = bytes.chunks_exact(8);
    for w in &mut words {
        let x = u64::from_le_bytes(w.try_into().expect("8 bytes"));
        // Bytes of 0x80 and above; then, all bytes being ASCII, those below a space (the
        // subtraction borrows into their high bit) and DEL.
        if x & HIGHS != 0 || x.wrapping_sub(SPACE) & !x & HIGHS != 0 || zero_bytes(x ^ DEL) != 0 {
            return false;
        }
    }
    words.remainder().iter().all(|b| (b' '..=b'~').contains(b))
}

/// `text.split_inclusive('\n')`, the newline searched for a word at a time.
pub fn lines_inclusive(text: &str) -> impl Iterator<Item = &str> {
    let mut rest = text;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        let end = find_byte(rest.as_bytes(), b'\n').map_or(rest.len(), |i| i + 1);
        // A newline is ASCII: the cut is on a character boundary.
        let (line, tail) = rest.split_at(end);
        rest = tail;
        Some(line)
    })
}

/// `text.lines()`: [`lines_inclusive`] without the `\n` or `\r\n` that ends each line.
pub fn lines(text: &str) -> impl Iterator<Item = &str> {
    lines_inclusive(text).map(|l| match l.strip_suffix('\n') {
        Some(l) => l.strip_suffix('\r').unwrap_or(l),
        None => l,
    })
}

/// A hash of short keys a word at a time (multiply and rotate, as rustc's FxHash does), for
/// maps of names that are short and not chosen to collide (property and capability names):
/// SipHash, or FNV a byte at a time, cost more than the rest of a parse.
#[derive(Default, Clone, Copy, Debug)]
pub struct WordHasher(u64);

impl WordHasher {
    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
}

impl std::hash::Hasher for WordHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        let mut words = bytes.chunks_exact(8);
        for w in &mut words {
            self.add(u64::from_le_bytes(w.try_into().expect("8 bytes")));
        }
        let rest = words.remainder();
        if !rest.is_empty() {
            let mut w = [0u8; 8];
            w[..rest.len()].copy_from_slice(rest);
            self.add(u64::from_le_bytes(w));
        }
    }
    fn write_u8(&mut self, b: u8) {
        self.add(u64::from(b));
    }
}

/// A `HashMap` with [`WordHasher`].
pub type FastMap<K, V> = std::collections::HashMap<K, V, std::hash::BuildHasherDefault<WordHasher>>;

#[cfg(test)]
mod tests {
    use super::*;

    const TEXTS: &[&str] = &[
        "",
        "\n",
        "a",
        "a\n",
        "ab\ncd",
        "0123456\n89abcdef\n\n\nx",
        "01234567\n",
        "0123456789abcdef0123\u{e9}\n\u{1f600}\n\r\nlast line without one",
        "long line long line long line long line long line long line\nshort",
        "\r\n\r\nx\ry\0z\r",
        "a\u{100}\u{a0a}\u{d0d}\u{10a0a}\nb",
    ];

    #[test]
    fn lines_are_strs_lines() {
        for text in TEXTS {
            let want: Vec<&str> = text.split_inclusive('\n').collect();
            assert_eq!(lines_inclusive(text).collect::<Vec<_>>(), want, "{text:?}");
            // str::lines keeps a lone '\r' at the very end, and so does this.
            let want: Vec<&str> = text.lines().collect();
            assert_eq!(lines(text).collect::<Vec<_>>(), want, "{text:?}");
        }
    }

    #[test]
    fn printable_ascii_is_space_to_tilde() {
        for x in 0..=255u8 {
            for at in 0..17 {
                let mut s = vec![b'a'; 17];
                s[at] = x;
                let want = (b' '..=b'~').contains(&x);
                assert_eq!(printable_ascii(&s), want, "{x:#x} at {at}");
            }
        }
        assert!(printable_ascii(b"") && printable_ascii(b"Service runs as root user ~!"));
    }

    #[test]
    fn searches_find_the_first_byte() {
        for text in TEXTS {
            let b = text.as_bytes();
            for start in 0..b.len() {
                let hay = &b[start..];
                for x in [b'\n', b'\r', 0, b'a', 0x0a, 0xc4] {
                    assert_eq!(find_byte(hay, x), hay.iter().position(|&y| y == x));
                }
                let eol = hay.iter().position(|&y| matches!(y, b'\n' | b'\r' | 0));
                assert_eq!(find_line_end(hay), eol, "{hay:?}");
            }
        }
        // Every byte value next to every other, at every place in a word.
        for x in 0..=255u8 {
            for at in 0..9 {
                let mut hay = vec![x.wrapping_add(1); 9];
                hay[at] = x;
                assert_eq!(find_byte(&hay, x), Some(at));
            }
        }
    }
}
