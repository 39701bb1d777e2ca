//! Presentation helpers for the advisor's override block (`exposure_core::advise`).

use exposure_core::Tenths;
use exposure_core::advise::{Advice, Tier};

/// The drop-in as `[Section]` and one `Key=value` per line, without the comments: what the
/// `override` block shows (the copy button copies the full text, comments included).
pub fn override_block(a: &Advice) -> String {
    let mut out = String::new();
    for line in a.dropin.lines() {
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        out.push_str(line);
        out.push('\n');
    }
    if out.lines().count() <= 1 {
        return String::new();
    }
    out
}

/// How a tier is offered in the menu.
pub fn tier_label(t: Tier) -> &'static str {
    match t {
        Tier::Safe => "safe: rarely breaks anything",
        Tier::Moderate => "moderate: suits most daemons",
        Tier::Strict => "strict: everything that fits",
    }
}

/// What one line removes, for the list beside the block.
pub fn gain_text(g: Tenths) -> String {
    if g.0 == 0 {
        "−<0.1".to_owned()
    } else {
        format!("−{g}")
    }
}

/// The drop-in as the copy button puts it on the clipboard: without the control characters
/// a unit's text can smuggle into it (an escape sequence in a path ends up in a comment), which
/// a terminal would obey when the drop-in is pasted into `systemctl edit`, and without
/// invisible bidirectional overrides. Returns the text and how many characters were removed.
pub fn for_clipboard(dropin: &str) -> (String, usize) {
    let unsafe_char = |c: char| {
        (c.is_control() && c != '\n' && c != '\t')
            || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
    };
    let removed = dropin.chars().filter(|&c| unsafe_char(c)).count();
    if removed == 0 {
        return (dropin.to_owned(), 0);
    }
    (
        dropin.chars().filter(|&c| !unsafe_char(c)).collect(),
        removed,
    )
}

#[cfg(test)]
mod tests {
    use exposure_core::advise::advise_paste;
    use exposure_core::{FileInput, Options, analyze_unit};

    use super::*;

    const BARE: &str = "[Service]\nExecStart=/usr/bin/true\n";

    #[test]
    fn the_clipboard_gets_no_control_characters() {
        assert_eq!(
            for_clipboard("[Service]\n# in /srv\tx\nA=b\n"),
            ("[Service]\n# in /srv\tx\nA=b\n".to_owned(), 0)
        );
        let (text, removed) =
            for_clipboard("# /srv/\u{1b}[201~\u{1b}[8mx\r\u{7f}\u{9b}\u{202e}y\nA=b\n");
        assert_eq!(text, "# /srv/[201~[8mxy\nA=b\n");
        assert_eq!(removed, 6);
        // through the advisor: an escape in WorkingDirectory= never reaches the clipboard
        let unit = "[Service]\nExecStart=/usr/bin/true\nWorkingDirectory=/srv/\u{1b}[201~x\n";
        for a in advise_paste(unit, &Options::default(), Tier::Strict) {
            let (text, _) = for_clipboard(&a.dropin);
            assert!(!text.contains('\u{1b}'), "{text:?}");
        }
    }

    #[test]
    fn the_block_is_the_dropin_without_comments() {
        let a = &advise_paste(BARE, &Options::default(), Tier::Moderate)[0];
        let block = override_block(a);
        assert!(block.starts_with("[Service]\n"), "{block}");
        assert!(block.lines().any(|l| l == "PrivateTmp=yes"), "{block}");
        assert!(!block.contains('#'));
        // Applying the block gives exactly the predicted score.
        let files = [FileInput::whole(None, BARE), FileInput::whole(None, &block)];
        let after = analyze_unit("unit.service", &files, &Options::default()).unwrap();
        assert_eq!(after.exposure, a.exposure_after);
    }

    #[test]
    fn a_unit_with_nothing_left_to_suggest_gets_an_empty_block() {
        let strict = &advise_paste(BARE, &Options::default(), Tier::Strict)[0];
        let hardened = format!(
            "{BARE}{}",
            override_block(strict).trim_start_matches("[Service]\n")
        );
        let again = &advise_paste(&hardened, &Options::default(), Tier::Strict)[0];
        assert_eq!(override_block(again), "", "{}", again.dropin);
    }

    #[test]
    fn labels_and_gains() {
        assert!(tier_label(Tier::Safe).starts_with("safe"));
        assert_eq!(gain_text(Tenths(0)), "−<0.1");
        assert_eq!(gain_text(Tenths(17)), "−1.7");
    }
}
