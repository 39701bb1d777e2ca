//! Low-level value parsing as systemd 252's C helpers do it: word splitting with its flags,
//! `strtol`-style integers, path checks and Base64 validation. Each function is written to
//! give the same accept/reject answer as its systemd counterpart on every input, since a
//! value systemd rejects keeps the setting's previous value and that changes scores.

use std::borrow::Cow;

/// `extract_first_word()` flags that the loader needs.
pub const UNQUOTE: u32 = 1;
pub const RELAX: u32 = 1 << 1;
pub const RETAIN_ESCAPE: u32 = 1 << 2;
pub const DONT_COALESCE_SEPARATORS: u32 = 1 << 3;

/// systemd's `WHITESPACE`.
pub const WHITESPACE: &str = " \t\n\r";

/// The outcome of one `extract_first_word()` call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Word<'a> {
    /// No more words (the C function returns 0).
    End,
    /// A word and what is left to parse (`None` when the input was used up). The word is
    /// borrowed from the input when it is a plain run of it (no quotes or escapes taken out).
    Found(Cow<'a, str>, Option<&'a str>),
    /// Bad quoting or a trailing backslash (the C function returns -EINVAL).
    Invalid,
}

/// One step of `extract_first_word(&p, &word, separators, flags)`. `p == None` stands for a
/// NULL pointer, which the C code returns after consuming the whole input.
pub fn extract_first_word<'a>(p: Option<&'a str>, separators: &str, flags: u32) -> Word<'a> {
    let Some(p) = p else {
        return Word::End;
    };
    let b = p.as_bytes();
    let is_sep = |c: u8| separators.as_bytes().contains(&c);
    let mut i = 0;
    let mut s: Option<Vec<u8>> = (flags & DONT_COALESCE_SEPARATORS != 0).then(Vec::new);

    // Skip leading separators.
    loop {
        let Some(&c) = b.get(i) else {
            return finish(s, None);
        };
        if is_sep(c) {
            if flags & DONT_COALESCE_SEPARATORS != 0 {
                return finish(s, Some(&p[i + 1..]));
            }
            i += 1;
        } else {
            break;
        }
    }
    // Most words are a plain run of the input up to a separator or the end: borrowed as they
    // are. Any other word is built a byte at a time below, from its start.
    if let Some(word) = plain_word(p, i, separators.as_bytes(), flags) {
        return word;
    }
    let out = s.get_or_insert_with(Vec::new);
    let mut quote = 0u8;
    let mut backslash = false;
    loop {
        let c = b.get(i).copied();
        if backslash {
            match c {
                None => {
                    return if flags & RELAX != 0 {
                        finish(s, None)
                    } else {
                        Word::Invalid
                    };
                }
                Some(c) => out.push(c),
            }
            backslash = false;
            i += 1;
        } else if quote != 0 {
            match in_quotes(b, &mut i, &mut quote, out, flags) {
                Some(escape) => backslash = escape,
                None if flags & RELAX != 0 => return finish(s, None),
                None => return Word::Invalid,
            }
        } else {
            match unquoted(b, &mut i, out, separators.as_bytes(), flags) {
                Unquoted::Quote(q) => quote = q,
                Unquoted::Backslash => backslash = true,
                Unquoted::End(rest) => return finish(s, rest.map(|j| &p[j..])),
            }
        }
    }
}

/// Inside quotes, from `b[*i]`: copies bytes into `out` up to the closing quote (kept unless
/// `UNQUOTE`; `*quote` is then 0) or a backslash that escapes (`Some(true)`), and moves past
/// it. `None` when the input ends first.
fn in_quotes(
    b: &[u8],
    i: &mut usize,
    quote: &mut u8,
    out: &mut Vec<u8>,
    flags: u32,
) -> Option<bool> {
    loop {
        let c = *b.get(*i)?;
        if c == *quote {
            *quote = 0;
            if flags & UNQUOTE != 0 {
                break;
            }
        } else if c == b'\\' && flags & RETAIN_ESCAPE == 0 {
            *i += 1;
            return Some(true);
        }
        out.push(c);
        if *quote == 0 {
            break;
        }
        *i += 1;
    }
    *i += 1;
    Some(false)
}

/// What stops a run of unquoted bytes.
enum Unquoted {
    /// A quote that opens (with `UNQUOTE`).
    Quote(u8),
    /// A backslash that escapes.
    Backslash,
    /// The end of the word; what is left starts at the index (`None`: nothing is left).
    End(Option<usize>),
}

/// Outside quotes, from `b[*i]`: copies bytes into `out` up to a quote, a backslash or a
/// separator, and moves past what stopped it (the separators, unless they are not coalesced).
fn unquoted(b: &[u8], i: &mut usize, out: &mut Vec<u8>, separators: &[u8], flags: u32) -> Unquoted {
    let stop = run_end(b, *i, separators, flags);
    out.extend_from_slice(&b[*i..stop]);
    *i = stop;
    let Some(c) = b.get(stop).copied() else {
        return Unquoted::End(None);
    };
    *i += 1;
    if (c == b'\'' || c == b'"') && flags & UNQUOTE != 0 {
        return Unquoted::Quote(c);
    }
    if c == b'\\' && flags & RETAIN_ESCAPE == 0 {
        return Unquoted::Backslash;
    }
    Unquoted::End(after_separator(b, stop, separators, flags))
}

/// Where the run of plain bytes from `b[start]` ends: at a quote that opens (with `UNQUOTE`),
/// a backslash that escapes, a separator, or the end.
fn run_end(b: &[u8], start: usize, separators: &[u8], flags: u32) -> usize {
    b[start..]
        .iter()
        .position(|&c| {
            ((c == b'\'' || c == b'"') && flags & UNQUOTE != 0)
                || (c == b'\\' && flags & RETAIN_ESCAPE == 0)
                || separators.contains(&c)
        })
        .map_or(b.len(), |p| start + p)
}

/// What is left after the separator at `b[at]`: the next byte, or (when separators coalesce)
/// the first byte after the run of separators; `None` when nothing is left.
fn after_separator(b: &[u8], at: usize, separators: &[u8], flags: u32) -> Option<usize> {
    if flags & DONT_COALESCE_SEPARATORS != 0 {
        return Some(at + 1);
    }
    let skipped = b[at..]
        .iter()
        .take_while(|c| separators.contains(c))
        .count();
    (at + skipped < b.len()).then_some(at + skipped)
}

fn finish(s: Option<Vec<u8>>, rest: Option<&str>) -> Word<'_> {
    match s {
        None => Word::End,
        // Words are cut at ASCII bytes only, so they stay valid UTF-8.
        Some(v) => Word::Found(Cow::Owned(String::from_utf8(v).unwrap_or_default()), rest),
    }
}

/// The word starting at `p[i]` (not a separator) when it holds no quote or escape that changes
/// it: the input up to the next separator or the end, and what is left after it, as
/// [`unquoted`] would leave it. `None` when a quote or backslash comes first.
fn plain_word<'a>(p: &'a str, i: usize, separators: &[u8], flags: u32) -> Option<Word<'a>> {
    let b = p.as_bytes();
    let stop = run_end(b, i, separators, flags);
    let rest = match b.get(stop) {
        None => None,
        // A quote or backslash stopped the run (they come before the separators, as there).
        Some(&c) if (c == b'\'' || c == b'"') && flags & UNQUOTE != 0 => return None,
        Some(b'\\') if flags & RETAIN_ESCAPE == 0 => return None,
        Some(_) => after_separator(b, stop, separators, flags),
    };
    Some(Word::Found(
        Cow::Borrowed(&p[i..stop]),
        rest.map(|r| &p[r..]),
    ))
}

/// Every word of `v` (whitespace-separated) until the end or the first syntax error. The flag
/// says whether parsing stopped at an error; the words before it are returned either way, as
/// the C loops that apply each word as they go have applied them.
pub fn words(v: &str, flags: u32) -> (Vec<Cow<'_, str>>, bool) {
    let mut out = Vec::new();
    let mut p = Some(v);
    loop {
        match extract_first_word(p, WHITESPACE, flags) {
            Word::End => return (out, false),
            Word::Invalid => return (out, true),
            Word::Found(w, rest) => {
                out.push(w);
                p = rest;
            }
        }
    }
}

/// Parses an unsigned integer the way `strtoul()` does for `base` (0 = detect `0x`/`0`),
/// after the caller has skipped whitespace. Returns the value (saturated) and how many bytes
/// were used, or `None` when no digits were found. A leading `-` negates (wrapping), as C does.
fn strtoul(s: &[u8], base: u32) -> Option<(u128, bool, usize)> {
    let mut i = 0;
    while i < s.len() && WHITESPACE.as_bytes().contains(&s[i]) {
        i += 1;
    }
    let mut neg = false;
    if i < s.len() && (s[i] == b'+' || s[i] == b'-') {
        neg = s[i] == b'-';
        i += 1;
    }
    let mut base = base;
    let hex_prefix = i + 1 < s.len() && s[i] == b'0' && (s[i + 1] | 0x20) == b'x';
    if (base == 0 || base == 16)
        && hex_prefix
        && s.get(i + 2).is_some_and(|c| c.is_ascii_hexdigit())
    {
        base = 16;
        i += 2;
    } else if base == 0 {
        base = if s.get(i) == Some(&b'0') { 8 } else { 10 };
    }
    let start = i;
    let mut v: u128 = 0;
    while let Some(d) = s.get(i).and_then(|c| (*c as char).to_digit(base)) {
        v = (v * u128::from(base) + u128::from(d)).min(u128::from(u64::MAX) + 1);
        i += 1;
    }
    (i > start).then_some((v, neg, i))
}

/// `safe_atou_full()` flags.
pub const REFUSE_PLUS_MINUS: u32 = 1 << 30;

/// systemd's `mangle_base()`: Python-style `0b`/`0o` prefixes when no base is given.
fn mangle_base(s: &[u8], base: u32) -> (&[u8], u32) {
    if base != 0 {
        return (s, base);
    }
    if s.len() >= 2 && s[0] == b'0' && (s[1] == b'b' || s[1] == b'B') {
        return (&s[2..], 2);
    }
    if s.len() >= 2 && s[0] == b'0' && (s[1] == b'o' || s[1] == b'O') {
        return (&s[2..], 8);
    }
    (s, base)
}

/// `safe_atou_full(s, base | flags)`: an unsigned 32-bit number; `None` on any error.
pub fn safe_atou(s: &str, base_and_flags: u32) -> Option<u32> {
    let base = base_and_flags & 0xff;
    let s = s.trim_start_matches([' ', '\t', '\n', '\r']).as_bytes();
    if base_and_flags & REFUSE_PLUS_MINUS != 0 && matches!(s.first(), Some(b'+' | b'-')) {
        return None;
    }
    let (s, base) = mangle_base(s, base);
    let (v, neg, used) = strtoul(s, base)?;
    if used != s.len() || v > u128::from(u64::MAX) {
        return None;
    }
    if v != 0 && s.first() == Some(&b'-') {
        return None;
    }
    let _ = neg;
    u32::try_from(v).ok()
}

/// `safe_atoi()`: a signed 32-bit number in any of C's notations; `None` on any error.
pub fn safe_atoi(s: &str) -> Option<i32> {
    let s = s.trim_start_matches([' ', '\t', '\n', '\r']).as_bytes();
    let (s, base) = mangle_base(s, 0);
    let (v, neg, used) = strtoul(s, base)?;
    if used != s.len() {
        return None;
    }
    let v = i128::try_from(v).ok()?;
    let v = if neg { -v } else { v };
    i32::try_from(v).ok()
}

/// `path_is_absolute()`.
pub fn path_is_absolute(p: &str) -> bool {
    p.starts_with('/')
}

/// `path_simplify()`: drops duplicate slashes, `.` components and a trailing slash.
pub fn path_simplify(p: &str) -> String {
    if p.is_empty() {
        return String::new();
    }
    let abs = p.starts_with('/');
    let parts: Vec<&str> = p
        .split('/')
        .filter(|c| !c.is_empty() && *c != ".")
        .collect();
    let mut out = String::new();
    if abs {
        out.push('/');
    }
    out.push_str(&parts.join("/"));
    if out.is_empty() {
        out.push('.');
    }
    out
}

/// `path_is_valid()` (`..` allowed) or `path_is_safe()` (`..` refused): non-empty, every
/// component at most 255 bytes, shorter than `PATH_MAX`.
fn path_is_valid_full(p: &str, accept_dot_dot: bool) -> bool {
    !p.is_empty()
        && p.len() < 4096
        && p.split('/')
            .all(|c| c.len() <= 255 && (accept_dot_dot || c != ".."))
}

/// `path_is_normalized()`.
pub fn path_is_normalized(p: &str) -> bool {
    path_is_valid_full(p, false)
        && p != "."
        && !p.starts_with("./")
        && !p.ends_with("/.")
        && !p.contains("/./")
        && !p.contains("//")
}

/// `path_simplify_and_warn()`: simplifies `p`; `None` when systemd rejects it (not absolute
/// when that is required, invalid, or not normalized after simplification).
pub fn path_simplify_checked(p: &str, require_absolute: bool) -> Option<String> {
    if require_absolute && !path_is_absolute(p) {
        return None;
    }
    let s = path_simplify(p);
    (path_is_valid_full(&s, true) && path_is_normalized(&s)).then_some(s)
}

/// `filename_is_valid()`.
pub fn filename_is_valid(s: &str) -> bool {
    !s.is_empty() && s != "." && s != ".." && !s.contains('/') && s.len() <= 255
}

/// `credential_name_valid()`: a valid file name and a valid fd name (printable ASCII, no `:`).
pub fn credential_name_valid(s: &str) -> bool {
    filename_is_valid(s) && s.bytes().all(|b| (b' '..127).contains(&b) && b != b':')
}

/// Whether `unbase64mem()` accepts `s` (whitespace is ignored anywhere; groups of four;
/// padding only at the end).
pub fn base64_valid(s: &str) -> bool {
    let mut it = s
        .bytes()
        .filter(|b| !WHITESPACE.as_bytes().contains(b))
        .peekable();
    let val = |c: u8| -> Option<u32> {
        match c {
            b'A'..=b'Z' => Some(u32::from(c - b'A')),
            b'a'..=b'z' => Some(u32::from(c - b'a') + 26),
            b'0'..=b'9' => Some(u32::from(c - b'0') + 52),
            b'+' => Some(62),
            b'/' => Some(63),
            _ => None,
        }
    };
    loop {
        let Some(a) = it.next() else {
            return true;
        };
        let (Some(b), Some(c), Some(d)) = (it.next(), it.next(), it.next()) else {
            return false;
        };
        if a == b'=' || b == b'=' || val(a).is_none() || val(b).is_none() {
            return false;
        }
        if c == b'=' {
            return d == b'=' && val(b).unwrap() & 15 == 0 && it.peek().is_none();
        }
        let Some(cv) = val(c) else {
            return false;
        };
        if d == b'=' {
            return cv & 3 == 0 && it.peek().is_none();
        }
        if val(d).is_none() {
            return false;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all(v: &str, flags: u32) -> (Vec<String>, bool) {
        let (ws, bad) = words(v, flags);
        (ws.into_iter().map(Cow::into_owned).collect(), bad)
    }

    /// `extract_first_word` as it was before words were borrowed: every word built a byte at a
    /// time. The borrowing version must answer exactly as it does.
    mod byte_at_a_time {
        use super::super::{DONT_COALESCE_SEPARATORS, RELAX, RETAIN_ESCAPE, UNQUOTE, Word};

        /// One step of `extract_first_word(&p, &word, separators, flags)`. `p == None` stands for a
        /// NULL pointer, which the C code returns after consuming the whole input.
        pub fn extract_first_word<'a>(
            p: Option<&'a str>,
            separators: &str,
            flags: u32,
        ) -> Word<'a> {
            let Some(p) = p else {
                return Word::End;
            };
            let b = p.as_bytes();
            let is_sep = |c: u8| separators.as_bytes().contains(&c);
            let mut i = 0;
            let mut s: Option<Vec<u8>> = (flags & DONT_COALESCE_SEPARATORS != 0).then(Vec::new);

            // Skip leading separators.
            loop {
                let Some(&c) = b.get(i) else {
                    return finish(s, None);
                };
                if is_sep(c) {
                    if flags & DONT_COALESCE_SEPARATORS != 0 {
                        return finish(s, Some(&p[i + 1..]));
                    }
                    i += 1;
                } else {
                    s.get_or_insert_with(Vec::new);
                    break;
                }
            }
            let out = s.as_mut().expect("allocated above");
            let mut quote = 0u8;
            let mut backslash = false;
            loop {
                let c = b.get(i).copied();
                if backslash {
                    match c {
                        None => {
                            return if flags & RELAX != 0 {
                                finish(s, None)
                            } else {
                                Word::Invalid
                            };
                        }
                        Some(c) => out.push(c),
                    }
                    backslash = false;
                    i += 1;
                } else if quote != 0 {
                    match in_quotes(b, &mut i, &mut quote, out, flags) {
                        Some(escape) => backslash = escape,
                        None if flags & RELAX != 0 => return finish(s, None),
                        None => return Word::Invalid,
                    }
                } else {
                    match unquoted(b, &mut i, out, separators.as_bytes(), flags) {
                        Unquoted::Quote(q) => quote = q,
                        Unquoted::Backslash => backslash = true,
                        Unquoted::End(rest) => return finish(s, rest.map(|j| &p[j..])),
                    }
                }
            }
        }

        /// Inside quotes, from `b[*i]`: copies bytes into `out` up to the closing quote (kept unless
        /// `UNQUOTE`; `*quote` is then 0) or a backslash that escapes (`Some(true)`), and moves past
        /// it. `None` when the input ends first.
        fn in_quotes(
            b: &[u8],
            i: &mut usize,
            quote: &mut u8,
            out: &mut Vec<u8>,
            flags: u32,
        ) -> Option<bool> {
            loop {
                let c = *b.get(*i)?;
                if c == *quote {
                    *quote = 0;
                    if flags & UNQUOTE != 0 {
                        break;
                    }
                } else if c == b'\\' && flags & RETAIN_ESCAPE == 0 {
                    *i += 1;
                    return Some(true);
                }
                out.push(c);
                if *quote == 0 {
                    break;
                }
                *i += 1;
            }
            *i += 1;
            Some(false)
        }

        /// What stops a run of unquoted bytes.
        enum Unquoted {
            /// A quote that opens (with `UNQUOTE`).
            Quote(u8),
            /// A backslash that escapes.
            Backslash,
            /// The end of the word; what is left starts at the index (`None`: nothing is left).
            End(Option<usize>),
        }

        /// Outside quotes, from `b[*i]`: copies bytes into `out` up to a quote, a backslash or a
        /// separator, and moves past what stopped it (the separators, unless they are not coalesced).
        fn unquoted(
            b: &[u8],
            i: &mut usize,
            out: &mut Vec<u8>,
            separators: &[u8],
            flags: u32,
        ) -> Unquoted {
            loop {
                let Some(c) = b.get(*i).copied() else {
                    return Unquoted::End(None);
                };
                if (c == b'\'' || c == b'"') && flags & UNQUOTE != 0 {
                    *i += 1;
                    return Unquoted::Quote(c);
                } else if c == b'\\' && flags & RETAIN_ESCAPE == 0 {
                    *i += 1;
                    return Unquoted::Backslash;
                } else if separators.contains(&c) {
                    if flags & DONT_COALESCE_SEPARATORS != 0 {
                        return Unquoted::End(Some(*i + 1));
                    }
                    // Skip the coalesced separators.
                    while let Some(c) = b.get(*i) {
                        if !separators.contains(c) {
                            return Unquoted::End(Some(*i));
                        }
                        *i += 1;
                    }
                    return Unquoted::End(None);
                }
                out.push(c);
                *i += 1;
            }
        }

        fn finish(s: Option<Vec<u8>>, rest: Option<&str>) -> Word<'_> {
            match s {
                None => Word::End,
                // Words are cut at ASCII bytes only, so they stay valid UTF-8.
                Some(v) => Word::Found(String::from_utf8(v).unwrap_or_default().into(), rest),
            }
        }
    }

    #[test]
    fn borrowed_words_are_the_words_built_a_byte_at_a_time() {
        let alphabet = ["a", " ", ":", "'", "\"", "\\", "é", "\t"];
        let mut texts = vec![String::new()];
        let mut last = vec![String::new()];
        for _ in 0..5 {
            last = last
                .iter()
                .flat_map(|t| alphabet.iter().map(move |c| format!("{t}{c}")))
                .collect();
            texts.extend(last.iter().cloned());
        }
        for flags in 0..16 {
            for separators in [WHITESPACE, ":", " :"] {
                for t in &texts {
                    // Every step of the loop a caller runs, not only the first word.
                    let mut p = Some(t.as_str());
                    loop {
                        let ours = extract_first_word(p, separators, flags);
                        let theirs = byte_at_a_time::extract_first_word(p, separators, flags);
                        assert_eq!(ours, theirs, "{t:?} {separators:?} flags {flags}");
                        match ours {
                            Word::Found(_, rest) => p = rest,
                            _ => break,
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn word_splitting_follows_the_flags() {
        assert_eq!(
            all("  a  b\tc ", 0),
            (vec!["a".into(), "b".into(), "c".into()], false)
        );
        // Without UNQUOTE quotes are ordinary characters.
        assert_eq!(
            all("\"pid\" x", 0),
            (vec!["\"pid\"".into(), "x".into()], false)
        );
        assert_eq!(
            all("\"a b\" c", UNQUOTE),
            (vec!["a b".into(), "c".into()], false)
        );
        assert_eq!(all("a 'b", UNQUOTE), (vec!["a".into()], true));
        // A backslash escapes the next character; a trailing one is an error.
        assert_eq!(all("a\\ b c\\", 0), (vec!["a b".into()], true));
        assert_eq!(
            all("a\\ b", RETAIN_ESCAPE),
            (vec!["a\\".into(), "b".into()], false)
        );
    }

    #[test]
    fn colon_fields_keep_empty_ones() {
        let w = extract_first_word(Some("foo:/x:y"), ":", DONT_COALESCE_SEPARATORS);
        assert_eq!(w, Word::Found("foo".into(), Some("/x:y")));
        let w = extract_first_word(Some("foo"), ":", DONT_COALESCE_SEPARATORS);
        assert_eq!(w, Word::Found("foo".into(), None));
        let w = extract_first_word(Some(":x"), ":", DONT_COALESCE_SEPARATORS);
        assert_eq!(w, Word::Found("".into(), Some("x")));
    }

    #[test]
    fn integers_like_c() {
        assert_eq!(safe_atoi("021"), Some(17));
        assert_eq!(safe_atoi("0x15"), Some(21));
        assert_eq!(safe_atoi("0o21"), Some(17));
        assert_eq!(safe_atoi("0b101"), Some(5));
        assert_eq!(safe_atoi("+5"), Some(5));
        assert_eq!(safe_atoi("-1"), Some(-1));
        assert_eq!(safe_atoi(" 7"), Some(7));
        assert_eq!(safe_atoi("7 "), None);
        assert_eq!(safe_atoi("0x"), None);
        assert_eq!(safe_atoi("99999999999"), None);
        assert_eq!(safe_atou("0022", 8 | REFUSE_PLUS_MINUS), Some(0o22));
        assert_eq!(safe_atou("+022", 8 | REFUSE_PLUS_MINUS), None);
        assert_eq!(safe_atou("0o22", 8 | REFUSE_PLUS_MINUS), None);
        assert_eq!(safe_atou("000000000000000077", 8), Some(0o77));
        assert_eq!(safe_atou("-0", 0), Some(0));
        assert_eq!(safe_atou("-1", 0), None);
        assert_eq!(safe_atou("0x10", 0), Some(16));
    }

    #[test]
    fn paths() {
        assert_eq!(
            path_simplify_checked("//srv/./x/", true).as_deref(),
            Some("/srv/x")
        );
        assert_eq!(path_simplify_checked("/a/../b", true), None);
        assert_eq!(path_simplify_checked("rel", true), None);
        assert_eq!(path_simplify_checked("/", true).as_deref(), Some("/"));
        assert!(path_is_normalized("/dev/null"));
        assert!(!path_is_normalized("/dev/../x"));
    }

    #[test]
    fn base64() {
        assert!(base64_valid(""));
        assert!(base64_valid("YWJj"));
        assert!(base64_valid("YW Jj\nZA=="));
        assert!(base64_valid("YWI="));
        assert!(!base64_valid("abc"));
        assert!(!base64_valid("YWJj="));
        assert!(!base64_valid("YW=="));
        assert!(!base64_valid("YWJjZA==YWJj"));
    }
}
