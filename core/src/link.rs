//! The share-link payload: the text of a unit packed into a URL fragment (`#unit=<payload>`).
//!
//! `payload = base64url_no_padding(raw_deflate(utf8(text)))`
//!
//! * raw DEFLATE is RFC 1951 with no zlib or gzip header or trailer;
//! * base64url is RFC 4648 §5 (`-` and `_`), written without `=` padding.
//!
//! The format is a stable contract: links that were shared once must keep opening. Decoding
//! is bounded ([`MAX_TEXT_BYTES`]) so a tiny link cannot expand into gigabytes. Pure: no IO.

use std::fmt;

/// The largest text a link may expand to: 1 MiB of UTF-8.
pub const MAX_TEXT_BYTES: usize = 1 << 20;

/// Compression level handed to the DEFLATE encoder (0..=10; 9 is zlib's "best").
const LEVEL: u8 = 9;

/// Why a payload could not be turned back into text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LinkError {
    /// The payload is empty.
    Empty,
    /// The payload is not base64url (e.g. it was cut, or characters were changed).
    Base64(String),
    /// The bytes are not a complete raw DEFLATE stream.
    Deflate(String),
    /// The text would be larger than [`MAX_TEXT_BYTES`].
    TooLarge { limit: usize },
    /// The decompressed bytes are not UTF-8 text.
    NotUtf8 { valid_up_to: usize },
}

impl fmt::Display for LinkError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LinkError::Empty => f.write_str("the link carries no unit text (the payload is empty)"),
            LinkError::Base64(why) => write!(
                f,
                "the link is damaged: its payload is not valid base64url ({why}); \
                 was it cut short or edited?"
            ),
            LinkError::Deflate(why) => write!(
                f,
                "the link is damaged: its payload is not a complete compressed text ({why}); \
                 was it cut short?"
            ),
            LinkError::TooLarge { limit } => write!(
                f,
                "the link's text is larger than the {} KiB limit and was not opened",
                limit / 1024
            ),
            LinkError::NotUtf8 { valid_up_to } => write!(
                f,
                "the link's content is not UTF-8 text (invalid byte after {valid_up_to} bytes)"
            ),
        }
    }
}

impl std::error::Error for LinkError {}

/// Packs `text` into a link payload (no `#unit=` prefix).
pub fn encode(text: &str) -> String {
    let packed = miniz_oxide::deflate::compress_to_vec(text.as_bytes(), LEVEL);
    b64::encode(&packed)
}

/// Unpacks a link payload (no `#unit=` prefix) into the text it carries.
///
/// Surrounding whitespace is ignored; anything else malformed is an error, never a panic.
pub fn decode(payload: &str) -> Result<String, LinkError> {
    let payload = payload.trim();
    if payload.is_empty() {
        return Err(LinkError::Empty);
    }
    let packed = b64::decode(payload.as_bytes()).map_err(LinkError::Base64)?;
    let bytes = miniz_oxide::inflate::decompress_to_vec_with_limit(&packed, MAX_TEXT_BYTES)
        .map_err(|e| match e.status {
            miniz_oxide::inflate::TINFLStatus::HasMoreOutput => LinkError::TooLarge {
                limit: MAX_TEXT_BYTES,
            },
            _ => LinkError::Deflate(e.to_string()),
        })?;
    String::from_utf8(bytes).map_err(|e| LinkError::NotUtf8 {
        valid_up_to: e.utf8_error().valid_up_to(),
    })
}

/// Everything a share link carries:
/// `#unit=<payload>[&tier=T][&v=V][&name=N][&off=U:S,…][&view=F,…][&row=R]`.
/// `tier`, `v` and `name` are written only when they differ from what the page opens with
/// (tier `moderate`, the default version, the name the text itself gives); `view` and `row`
/// (how the breakdown is shown, see [`LinkView`]) only when they differ from its defaults.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct LinkState {
    pub text: String,
    /// `safe`, `moderate` or `strict`; `None`: moderate.
    pub tier: Option<crate::advise::Tier>,
    /// `None`: the default version.
    pub version: Option<crate::Version>,
    /// The unit name to assess a bare text under.
    pub unit_name: Option<String>,
    /// Suggestions left out, as `(unit, setting)`.
    pub left_out: Vec<(String, String)>,
    /// How the breakdown is shown (the view options; see [`LinkView`]).
    pub view: LinkView,

    // --- Classroom mode (`crate::exercise`): `&goal=G[&hide=H][&orig=P]` ---
    /// An exercise: the goal, the help hidden and, in a student's answer link, the original
    /// text (`orig=`, a payload like `unit=`'s). `None`: an ordinary link. Written after
    /// every other part; a link without a valid `goal=` is no exercise.
    pub exercise: Option<crate::exercise::Exercise>,
}

impl LinkState {
    /// The URL fragment, `#` included.
    pub fn fragment(&self) -> String {
        let mut f = format!("#unit={}", encode(&self.text));
        if let Some(t) = self.tier.filter(|t| *t != crate::advise::Tier::Moderate) {
            f.push_str("&tier=");
            f.push_str(t.as_str());
        }
        if let Some(v) = self.version.filter(|v| *v != crate::Version::default()) {
            f.push_str("&v=");
            f.push_str(v.as_str());
        }
        if let Some(n) = &self.unit_name {
            f.push_str("&name=");
            f.push_str(n);
        }
        if !self.left_out.is_empty() {
            let parts: Vec<String> = self
                .left_out
                .iter()
                .map(|(u, s)| format!("{u}:{s}"))
                .collect();
            f.push_str("&off=");
            f.push_str(&parts.join(","));
        }
        self.view.push_to(&mut f);
        if let Some(e) = &self.exercise {
            f.push_str(&exercise_fragment(e));
        }
        f
    }

    /// Reads a fragment (with or without `#`). Only a missing or damaged `unit=` payload is an
    /// error; a part it does not understand (an unknown version, a malformed name) is dropped,
    /// so an old link keeps opening.
    pub fn parse(fragment: &str) -> Result<LinkState, LinkError> {
        let text = decode(fragment_part(fragment, "unit").unwrap_or(""))?;
        Ok(LinkState {
            text,
            tier: fragment_part(fragment, "tier").and_then(crate::advise::Tier::parse),
            version: fragment_part(fragment, "v").and_then(crate::Version::parse),
            unit_name: fragment_part(fragment, "name")
                .filter(|n| crate::unit::UnitName::parse(n).is_some())
                .map(str::to_owned),
            left_out: fragment_part(fragment, "off")
                .map(parse_left_out)
                .unwrap_or_default(),
            view: LinkView::parse(fragment),
            exercise: parse_exercise(fragment)?,
        })
    }
}

/// What a check's JSON field is made of (one of systemd's ends with a `)`), and so a `row=`.
fn is_row_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b == b')'
}

// --- The view options: how the breakdown is shown. -------------------------------------------

/// How the page shows the breakdown, as a link carries it: `&view=<flag>,…` (any of
/// `systemd`, `failing`, `group`, `table`, in that order; unknown flags are dropped) and
/// `&row=<json field>` (the check whose explanation is open). The default view (biggest
/// exposure first, every row, no groups, the full table, nothing open) writes nothing, so a
/// link made before these parts existed opens as it always did.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct LinkView {
    /// Rows in the order `systemd-analyze security` prints them (else biggest exposure first).
    pub systemd_order: bool,
    /// Only the failing rows.
    pub failing_only: bool,
    /// Grouped by theme.
    pub group: bool,
    /// The compact table, as `systemd-analyze security` prints it.
    pub table: bool,
    /// The check whose explanation is open, by its JSON field (`PrivateNetwork`).
    pub open_row: Option<String>,
}

impl LinkView {
    /// The flags of `view=`, each with its word.
    fn flags(&self) -> [(bool, &'static str); 4] {
        [
            (self.systemd_order, "systemd"),
            (self.failing_only, "failing"),
            (self.group, "group"),
            (self.table, "table"),
        ]
    }

    /// Appends `&view=…` and `&row=…` to a fragment, each only when not the default.
    fn push_to(&self, f: &mut String) {
        let on: Vec<&str> = self
            .flags()
            .into_iter()
            .filter_map(|(set, word)| set.then_some(word))
            .collect();
        if !on.is_empty() {
            f.push_str("&view=");
            f.push_str(&on.join(","));
        }
        if let Some(row) = &self.open_row {
            f.push_str("&row=");
            f.push_str(row);
        }
    }

    /// Reads `view=` and `row=` from a fragment; what it does not understand is dropped.
    pub fn parse(fragment: &str) -> LinkView {
        let words: Vec<&str> = fragment_part(fragment, "view")
            .map(|v| v.split(',').collect())
            .unwrap_or_default();
        let has = |w: &str| words.contains(&w);
        LinkView {
            systemd_order: has("systemd"),
            failing_only: has("failing"),
            group: has("group"),
            table: has("table"),
            open_row: fragment_part(fragment, "row")
                .filter(|r| !r.is_empty() && r.bytes().all(is_row_byte))
                .map(str::to_owned),
        }
    }
}

// --- Classroom mode: the exercise parts of a link ---

/// `&goal=G[&hide=H][&orig=P]`.
fn exercise_fragment(e: &crate::exercise::Exercise) -> String {
    let mut f = format!("&goal={}", e.goal);
    if let Some(hide) = e.hide.as_link() {
        f.push_str("&hide=");
        f.push_str(&hide);
    }
    if let Some(original) = &e.original {
        f.push_str("&orig=");
        f.push_str(&encode(original));
    }
    f
}

/// The exercise a fragment carries: `None` without a valid `goal=`; an error only when an
/// `orig=` payload is damaged (the answer could not be compared with its original).
fn parse_exercise(fragment: &str) -> Result<Option<crate::exercise::Exercise>, LinkError> {
    let Some(goal) = fragment_part(fragment, "goal").and_then(crate::exercise::parse_goal) else {
        return Ok(None);
    };
    Ok(Some(crate::exercise::Exercise {
        goal,
        hide: fragment_part(fragment, "hide")
            .map(crate::exercise::Hide::parse)
            .unwrap_or_default(),
        original: fragment_part(fragment, "orig").map(decode).transpose()?,
    }))
}

/// The value of the `key=` part of a URL fragment, if any.
pub fn fragment_part<'a>(fragment: &'a str, key: &str) -> Option<&'a str> {
    let fragment = fragment.strip_prefix('#').unwrap_or(fragment);
    fragment
        .split('&')
        .find_map(|part| part.strip_prefix(key)?.strip_prefix('='))
}

/// The suggestions left out, as a link carries them: `<unit>:<Setting>,…`. Unit names may hold
/// `:` but never `,`; settings hold neither. Malformed parts are skipped.
pub fn parse_left_out(value: &str) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = value
        .split(',')
        .filter_map(|p| p.rsplit_once(':'))
        .filter(|(u, s)| {
            !u.is_empty() && !s.is_empty() && s.bytes().all(|b| b.is_ascii_alphanumeric())
        })
        .map(|(u, s)| (u.to_owned(), s.to_owned()))
        .collect();
    crate::order::sort(&mut out);
    out.dedup();
    out
}

/// base64url (RFC 4648 §5) by hand: the `base64` crate's general-purpose engine, unrolled for
/// speed, cost the page about as much code as the rest of the link codec. Encoding writes no
/// `=` padding; decoding takes a payload with or without it, and refuses what that engine
/// refuses (a bad symbol, a lone last symbol, padding inside the text, set bits after the last
/// byte) with the same words, so a damaged link reads as it did. The tests compare both.
mod b64 {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

    pub fn encode(bytes: &[u8]) -> String {
        let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
        for chunk in bytes.chunks(3) {
            let n = chunk
                .iter()
                .enumerate()
                .fold(0u32, |n, (i, b)| n | u32::from(*b) << (16 - 8 * i));
            for i in 0..=chunk.len() {
                out.push(char::from(ALPHABET[(n >> (18 - 6 * i) & 63) as usize]));
            }
        }
        out
    }

    fn value(b: u8) -> Option<u8> {
        Some(match b {
            b'A'..=b'Z' => b - b'A',
            b'a'..=b'z' => b - b'a' + 26,
            b'0'..=b'9' => b - b'0' + 52,
            b'-' => 62,
            b'_' => 63,
            _ => return None,
        })
    }

    fn invalid(at: usize, b: u8) -> String {
        format!("Invalid symbol {b}, offset {at}.")
    }

    /// The bytes `s` encodes, or why it is not base64url (in the `base64` crate's words).
    pub fn decode(s: &[u8]) -> Result<Vec<u8>, String> {
        let n = s.len();
        let rem = n % 4;
        if rem == 1 && s[n - 1] != b'=' && value(s[n - 1]).is_none() {
            return Err(invalid(n - 1, s[n - 1]));
        }
        // Every quad but the last is plain symbols; the last may be short or padded.
        let body = (n - rem).saturating_sub(if rem == 0 { 4 } else { 0 });
        let mut out = Vec::with_capacity(n / 4 * 3 + 3);
        for (q, quad) in s[..body].chunks_exact(4).enumerate() {
            let mut v = 0u32;
            for (i, &b) in quad.iter().enumerate() {
                v = v << 6 | u32::from(value(b).ok_or_else(|| invalid(4 * q + i, b))?);
            }
            out.extend_from_slice(&v.to_be_bytes()[1..]);
        }
        let (mut v, mut symbols, mut pad, mut last) = (0u32, 0usize, None, 0u8);
        for (i, &b) in s[body..].iter().enumerate() {
            if b == b'=' {
                if i < 2 {
                    return Err(invalid(body + i, b));
                }
                pad.get_or_insert(i);
                continue;
            }
            if let Some(p) = pad {
                return Err(invalid(body + p, b'='));
            }
            last = b;
            v |= u32::from(value(b).ok_or_else(|| invalid(body + i, b))?) << (26 - 6 * symbols);
            symbols += 1;
        }
        if n > 0 && symbols < 2 {
            return Err(format!("Invalid input length: {}", body + symbols));
        }
        let whole = symbols * 6 / 8;
        if v & (!0u32 >> (whole * 8)) != 0 {
            return Err(format!(
                "Invalid last symbol {last}, offset {}.",
                body + symbols - 1
            ));
        }
        out.extend_from_slice(&v.to_be_bytes()[..whole]);
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The `base64` crate's decoder as the page used it before [`b64`]: URL-safe alphabet,
    /// padding optional, non-zero trailing bits refused.
    fn crate_decode(s: &str) -> Result<Vec<u8>, String> {
        use base64::Engine as _;
        use base64::engine::general_purpose::{GeneralPurpose, GeneralPurposeConfig};
        const LENIENT: GeneralPurpose = GeneralPurpose::new(
            &base64::alphabet::URL_SAFE,
            GeneralPurposeConfig::new()
                .with_decode_padding_mode(base64::engine::DecodePaddingMode::Indifferent),
        );
        LENIENT.decode(s).map_err(|e| e.to_string())
    }

    #[test]
    fn the_base64url_codec_agrees_with_the_base64_crate() {
        use base64::Engine as _;
        let mut x = 0x2545_f491_4f6c_dd1du64;
        let mut next = move |m: u64| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x % m
        };
        for len in 0..70 {
            for _ in 0..40 {
                let bytes: Vec<u8> = (0..len).map(|_| next(256) as u8).collect();
                let ours = b64::encode(&bytes);
                assert_eq!(
                    ours,
                    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(&bytes)
                );
                assert_eq!(b64::decode(ours.as_bytes()), Ok(bytes.clone()));
                // Damage it: padding, a foreign symbol, a cut, a changed last symbol.
                let mut damaged = ours.into_bytes();
                for _ in 0..=next(3) {
                    let symbols = b"AZaz09-_=+/ .";
                    match next(4) {
                        0 => damaged.push(b'='),
                        1 if !damaged.is_empty() => {
                            let at = next(damaged.len() as u64) as usize;
                            damaged[at] = symbols[next(symbols.len() as u64) as usize];
                        }
                        2 => {
                            damaged.pop();
                        }
                        _ => damaged.push(symbols[next(symbols.len() as u64) as usize]),
                    }
                }
                let text = String::from_utf8(damaged).unwrap();
                assert_eq!(
                    b64::decode(text.as_bytes()),
                    crate_decode(&text),
                    "{text:?}"
                );
            }
        }
        for text in [
            "", "=", "==", "A", "A=", "AA", "AA=", "AA==", "AA===", "AB==", "AAA=", "AAB=", "AAAA",
            "AAAA=", "AAAAA", "A=AA", "AA=A", "A===", "****", "AAAA*",
        ] {
            assert_eq!(b64::decode(text.as_bytes()), crate_decode(text), "{text:?}");
        }
    }

    const UNIT: &str = "[Service]\nExecStart=/usr/bin/true\nPrivateTmp=yes\n";
    /// `UNIT` packed by Python's zlib: `compressobj(9, DEFLATED, -15)` (raw DEFLATE), then
    /// `urlsafe_b64encode(..).rstrip(b"=")`: an encoder other than ours.
    const UNIT_FROM_PYTHON: &str =
        "iw5OLSrLTE6N5XKtSE0OLkksKrHVLy0u0k_KzNMvKSpN5QooyixLLEkNyS2wrUwt5gIA";

    #[test]
    fn decodes_a_payload_made_by_another_encoder() {
        assert_eq!(decode(UNIT_FROM_PYTHON).unwrap(), UNIT);
    }

    #[test]
    fn decodes_non_ascii_text_from_python() {
        // "# naïve ✓\n[Unit]\nDescription=Ünïcode\n", same recipe as above
        let p = "U1bISzy8vixV4dGcyVzRoXmZJbFcLqnFyUWZBSWZ-Xm2h-fkHV6fnJ-SygUA";
        assert_eq!(
            decode(p).unwrap(),
            "# naïve \u{2713}\n[Unit]\nDescription=Ünïcode\n"
        );
    }

    #[test]
    fn round_trips() {
        for text in [
            "",
            "x",
            UNIT,
            "[Unit]\r\nDescription=crlf \\\n  continued\r\n",
            "emoji \u{1F628} and tabs\t\t",
        ] {
            let p = encode(text);
            assert!(
                p.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'),
                "payload {p:?} has characters outside base64url or padding"
            );
            assert_eq!(decode(&p).as_deref(), Ok(text));
        }
    }

    #[test]
    fn round_trips_a_large_repetitive_unit_compactly() {
        let text = "ProtectSystem=strict\n".repeat(2000);
        let p = encode(&text);
        assert!(p.len() < 400, "payload is {} chars", p.len());
        assert_eq!(decode(&p).unwrap(), text);
    }

    #[test]
    fn accepts_padding_and_surrounding_whitespace() {
        let p = encode(UNIT);
        let padded = format!("{p}{}", "=".repeat((4 - p.len() % 4) % 4));
        assert_eq!(decode(&padded).unwrap(), UNIT);
        assert_eq!(decode(&format!("  {p}\n")).unwrap(), UNIT);
    }

    #[test]
    fn empty_payload_is_an_error() {
        assert_eq!(decode(""), Err(LinkError::Empty));
        assert_eq!(decode("   "), Err(LinkError::Empty));
    }

    #[test]
    fn bad_base64_is_reported_as_such() {
        for p in ["not base64!", "abc+/def", "a"] {
            let e = decode(p).unwrap_err();
            assert!(matches!(e, LinkError::Base64(_)), "{p:?} gave {e:?}");
            assert!(e.to_string().contains("base64url"), "{e}");
        }
    }

    #[test]
    fn truncated_stream_is_a_deflate_error() {
        let p = &UNIT_FROM_PYTHON[..UNIT_FROM_PYTHON.len() - 12];
        let e = decode(p).unwrap_err();
        assert!(matches!(e, LinkError::Deflate(_)), "{e:?}");
        assert!(e.to_string().contains("compressed"), "{e}");
    }

    #[test]
    fn zlib_wrapped_stream_is_rejected() {
        // zlib.compress(UNIT): the same stream with a zlib header, which the format excludes
        let p = "eJyLDk4tKstMTo3lcq1ITQ4uSSwqsdUvLS7ST8rM0y8pKk3lCijKLEssSQ3JLbCtTC3mAgDDJhHy";
        assert!(decode(p).is_err());
    }

    #[test]
    fn invalid_utf8_is_reported() {
        // raw DEFLATE of the bytes ff fe 20 61 62 63
        let e = decode("-_9PITEpGQA").unwrap_err();
        assert_eq!(e, LinkError::NotUtf8 { valid_up_to: 0 });
        assert!(e.to_string().contains("not UTF-8"), "{e}");
    }

    #[test]
    fn a_zip_bomb_is_refused() {
        let text = "a".repeat(MAX_TEXT_BYTES + 1);
        let p = encode(&text);
        assert!(p.len() < 4096, "bomb payload is {} chars", p.len());
        let e = decode(&p).unwrap_err();
        assert_eq!(
            e,
            LinkError::TooLarge {
                limit: MAX_TEXT_BYTES
            }
        );
        assert!(e.to_string().contains("1024 KiB"), "{e}");
    }

    #[test]
    fn exactly_the_limit_is_accepted() {
        let text = "b".repeat(MAX_TEXT_BYTES);
        assert_eq!(decode(&encode(&text)).unwrap().len(), MAX_TEXT_BYTES);
    }

    #[test]
    fn a_link_state_round_trips() {
        let state = LinkState {
            text: UNIT.to_owned(),
            tier: Some(crate::advise::Tier::Strict),
            version: crate::Version::parse("252"),
            unit_name: Some("web@shop.service".to_owned()),
            left_out: vec![("web@shop.service".to_owned(), "PrivateTmp".to_owned())],
            ..Default::default()
        };
        let f = state.fragment();
        assert!(f.starts_with("#unit="), "{f}");
        assert!(
            f.ends_with("&tier=strict&v=252&name=web@shop.service&off=web@shop.service:PrivateTmp"),
            "{f}"
        );
        assert_eq!(LinkState::parse(&f).unwrap(), state);
        // defaults are not written, and unknown parts are dropped
        let plain = LinkState {
            text: "x".into(),
            tier: Some(crate::advise::Tier::Moderate),
            ..Default::default()
        };
        assert_eq!(plain.fragment(), format!("#unit={}", encode("x")));
        let odd =
            LinkState::parse(&format!("unit={}&v=999&name=bad name&zz=1", encode("x"))).unwrap();
        assert_eq!((odd.version, odd.unit_name), (None, None));
        assert!(matches!(LinkState::parse("#v=252"), Err(LinkError::Empty)));
    }

    // --- The view options. -------------------------------------------------------------------

    #[test]
    fn the_view_options_round_trip() {
        let state = LinkState {
            text: UNIT.to_owned(),
            tier: Some(crate::advise::Tier::Strict),
            view: LinkView {
                systemd_order: true,
                failing_only: true,
                group: false,
                table: true,
                open_row: Some("RestrictAddressFamilies_AF_PACKET".to_owned()),
            },
            ..Default::default()
        };
        let f = state.fragment();
        assert!(
            f.ends_with(
                "&tier=strict&view=systemd,failing,table&row=RestrictAddressFamilies_AF_PACKET"
            ),
            "{f}"
        );
        assert_eq!(LinkState::parse(&f).unwrap(), state);
        // each flag alone
        for (i, word) in ["systemd", "failing", "group", "table"]
            .into_iter()
            .enumerate()
        {
            let v = LinkView::parse(&format!("#unit=x&view={word}"));
            let set: Vec<bool> = v.flags().iter().map(|(s, _)| *s).collect();
            assert_eq!(set.iter().filter(|s| **s).count(), 1, "{word}");
            assert!(set[i], "{word}");
            let mut f = String::new();
            v.push_to(&mut f);
            assert_eq!(f, format!("&view={word}"));
        }
    }

    #[test]
    fn the_default_view_writes_nothing_and_old_links_open_with_it() {
        let plain = LinkState {
            text: UNIT.to_owned(),
            ..Default::default()
        };
        assert_eq!(plain.fragment(), format!("#unit={}", encode(UNIT)));
        // A link made before the view options existed (the Python-made payload above).
        let old = LinkState::parse(&format!("#unit={UNIT_FROM_PYTHON}&tier=strict")).unwrap();
        assert_eq!(old.text, UNIT);
        assert_eq!(old.tier, Some(crate::advise::Tier::Strict));
        assert_eq!(old.view, LinkView::default());
    }

    #[test]
    fn unknown_view_words_and_odd_rows_are_dropped() {
        let v = LinkView::parse("#unit=x&view=zebra,,group,TABLE&row=Bad-Row!");
        assert_eq!(
            v,
            LinkView {
                group: true,
                ..LinkView::default()
            }
        );
        assert_eq!(LinkView::parse("#unit=x&row=").open_row, None);
        // every check's JSON field travels as it is
        for check in &crate::checks::REGISTRY {
            let view = LinkView {
                open_row: Some(check.json_field.to_owned()),
                ..LinkView::default()
            };
            let mut f = String::new();
            view.push_to(&mut f);
            assert_eq!(LinkView::parse(&f), view, "{f}");
        }
        assert_eq!(
            LinkView::parse("#unit=x&row=PrivateTmp")
                .open_row
                .as_deref(),
            Some("PrivateTmp")
        );
    }

    #[test]
    fn exercise_links_round_trip_and_old_links_are_no_exercise() {
        use crate::exercise::{Exercise, Hide};
        use crate::report::Tenths;
        let teacher = LinkState {
            text: UNIT.to_owned(),
            version: crate::Version::parse("252"),
            exercise: Some(Exercise {
                goal: Tenths(30),
                hide: Hide {
                    advice: true,
                    fixes: true,
                },
                original: None,
            }),
            ..Default::default()
        };
        let f = teacher.fragment();
        assert!(f.ends_with("&v=252&goal=3.0&hide=advice,fixes"), "{f}");
        assert_eq!(LinkState::parse(&f).unwrap(), teacher);

        // The student's answer: their text, the same goal, the original for the diff.
        let student = "[Service]\nExecStart=/usr/bin/true\nPrivateTmp=yes\nNoNewPrivileges=yes\n";
        let answer = LinkState {
            text: student.to_owned(),
            exercise: Some(Exercise {
                original: Some(UNIT.to_owned()),
                ..teacher.exercise.clone().unwrap()
            }),
            ..teacher.clone()
        };
        let af = answer.fragment();
        assert_ne!(af, f);
        assert!(af.contains(&format!("&orig={}", encode(UNIT))), "{af}");
        assert_eq!(LinkState::parse(&af).unwrap(), answer);

        // Nothing hidden: no hide= part.
        let open = LinkState {
            text: "x".into(),
            exercise: Some(Exercise {
                goal: Tenths(45),
                hide: Hide::default(),
                original: None,
            }),
            ..Default::default()
        };
        assert_eq!(open.fragment(), format!("#unit={}&goal=4.5", encode("x")));

        // Old links (and links with a goal that cannot be read) are ordinary links.
        let old = format!("#unit={UNIT_FROM_PYTHON}&tier=strict&off=unit.service:PrivateTmp");
        let parsed = LinkState::parse(&old).unwrap();
        assert_eq!((parsed.text.as_str(), parsed.exercise), (UNIT, None));
        for goal in ["", "x", "11", "3.25"] {
            let l = LinkState::parse(&format!("#unit={}&goal={goal}&hide=advice", encode("x")));
            assert_eq!(l.unwrap().exercise, None, "goal={goal}");
        }
        // Unknown hide words are ignored; a damaged original is an error, not a wrong diff.
        let l = LinkState::parse(&format!("#unit={}&goal=2&hide=fixes,zz", encode("x"))).unwrap();
        assert_eq!(
            l.exercise.unwrap().hide,
            Hide {
                advice: false,
                fixes: true
            }
        );
        let bad = format!(
            "#unit={}&goal=2&orig={}",
            encode("x"),
            &UNIT_FROM_PYTHON[..20]
        );
        assert!(matches!(LinkState::parse(&bad), Err(LinkError::Deflate(_))));
    }
}
