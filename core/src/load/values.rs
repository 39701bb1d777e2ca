//! Value parsers shared by the offline loader and the online reader.

use super::*;

/// systemd's `parse_boolean()`.
pub fn parse_boolean(v: &str) -> Option<bool> {
    const YES: &[&str] = &["1", "yes", "y", "true", "t", "on"];
    const NO: &[&str] = &["0", "no", "n", "false", "f", "off"];
    if YES.iter().any(|y| y.eq_ignore_ascii_case(v)) {
        Some(true)
    } else if NO.iter().any(|n| n.eq_ignore_ascii_case(v)) {
        Some(false)
    } else {
        None
    }
}

/// Splits a value into words the way `extract_first_word(…, EXTRACT_UNQUOTE)` does: separated
/// by whitespace, with `'…'`/`"…"` quoting and backslash escapes. `None` on bad quoting.
pub fn words(v: &str) -> Option<Vec<String>> {
    let (ws, bad) = cparse::words(v, UNQUOTE);
    (!bad).then_some(ws)
}

/// Parses an IP prefix the way `in_addr_prefix_from_string_auto()` does (a missing prefix
/// length means a full-length prefix; the length is read like C's `strtoul`, so `010` is 8).
pub fn parse_ip_prefix(s: &str) -> Option<IpPrefix> {
    let (addr, len) = match s.split_once('/') {
        Some((a, l)) => (a, Some(l)),
        None => (s, None),
    };
    let (v6, bytes, max) = if let Ok(a) = addr.parse::<std::net::Ipv4Addr>() {
        let mut b = [0u8; 16];
        b[..4].copy_from_slice(&a.octets());
        (false, b, 32u8)
    } else if let Ok(a) = addr.parse::<std::net::Ipv6Addr>() {
        (true, a.octets(), 128u8)
    } else {
        return None;
    };
    let prefix_len = match len {
        None => max,
        Some(l) => {
            let n = cparse::safe_atou(l, 0)?;
            if n > u32::from(max) {
                return None;
            }
            n as u8
        }
    };
    Some(IpPrefix {
        v6,
        addr: bytes,
        prefix_len,
    })
}
