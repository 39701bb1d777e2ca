//! The page's state and every way it can change, as one pure [`Reducible`].
//!
//! Nothing in here touches the DOM or the browser: the component layer reads the URL fragment
//! and hands it in as a string, and applies the theme to the document. That keeps this file
//! compilable and tested natively with plain `#[test]`s.

use std::rc::Rc;

use exposure_core::advise::Tier;
use exposure_core::exercise::Exercise;
use exposure_core::link;
use exposure_core::{InputKind, Version};
use yew::Reducible;

use crate::example::EXAMPLE_UNIT;
use crate::text::Text;

/// The colour scheme the user picked. `Auto` follows `prefers-color-scheme`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Theme {
    #[default]
    Auto,
    Light,
    Dark,
}

impl Theme {
    /// The value of `<html data-theme>`, or `None` to leave the choice to the media query.
    pub fn attr(self) -> Option<&'static str> {
        match self {
            Theme::Auto => None,
            Theme::Light => Some("light"),
            Theme::Dark => Some("dark"),
        }
    }

    /// The theme the toggle button switches to: auto → light → dark → auto.
    pub fn next(self) -> Theme {
        match self {
            Theme::Auto => Theme::Light,
            Theme::Light => Theme::Dark,
            Theme::Dark => Theme::Auto,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Theme::Auto => "auto",
            Theme::Light => "light",
            Theme::Dark => "dark",
        }
    }
}

/// The order of a unit's check rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Sort {
    /// The biggest contribution to the exposure first; ties in systemd's order.
    #[default]
    Contribution,
    /// The order `systemd-analyze security` prints.
    Systemd,
}

impl Sort {
    pub const ALL: [Sort; 2] = [Sort::Contribution, Sort::Systemd];

    /// The `<option value>`.
    pub fn value(self) -> &'static str {
        match self {
            Sort::Contribution => "contribution",
            Sort::Systemd => "systemd",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Sort::Contribution => "biggest exposure first",
            Sort::Systemd => "systemd's order",
        }
    }

    pub fn parse(value: &str) -> Option<Sort> {
        Sort::ALL.into_iter().find(|s| s.value() == value)
    }
}

/// How a unit's check rows are shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Breakdown {
    pub sort: Sort,
    /// Only the checks that failed (fully or partly).
    pub failing_only: bool,
    /// Grouped by theme (identity, file system, …), sorted within each group.
    pub group: bool,
    /// The compact table, as `systemd-analyze security` prints it (mark, name, description,
    /// exposure), instead of the full one with shares and explanations.
    pub table: bool,
}

impl Breakdown {
    /// This view, and the row whose explanation is open, as a link carries them.
    pub fn to_link(self, open_row: Option<&str>) -> link::LinkView {
        link::LinkView {
            systemd_order: self.sort == Sort::Systemd,
            failing_only: self.failing_only,
            group: self.group,
            table: self.table,
            open_row: open_row.map(str::to_owned),
        }
    }

    /// The view a link carries (the open row is [`link::LinkView::open_row`]).
    pub fn from_link(view: &link::LinkView) -> Breakdown {
        Breakdown {
            sort: if view.systemd_order {
                Sort::Systemd
            } else {
                Sort::Contribution
            },
            failing_only: view.failing_only,
            group: view.group,
            table: view.table,
        }
    }
}

/// Where the text in the input came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// The built-in example unit.
    Example,
    /// A `#unit=` link.
    Link,
    /// The user typed or pasted it.
    Edited,
    /// The text the page held when it was last open, kept in local storage.
    Stored,
    /// Files dropped on the page or picked with "Open files".
    Files,
}

impl Source {
    /// Whether a text from this source is the user's own work, which the page keeps in the
    /// browser and never drops without asking. A link's text or an example is not, until the
    /// user edits it.
    pub fn is_users(self) -> bool {
        matches!(self, Source::Edited | Source::Stored | Source::Files)
    }
}

/// A text the page set aside when another one replaced it: the user's own text when a link,
/// an example or files were opened over it (or the link's text after switching back). One
/// click swaps it back in.
#[derive(Debug, Clone, PartialEq)]
pub struct SetAside {
    pub text: Text,
    pub source: Source,
    /// Its lines as the text area counts them (counted once: it can be megabytes).
    pub lines: usize,
}

impl SetAside {
    pub fn new(text: Text, source: Source) -> SetAside {
        let lines = crate::view::line_count(&text);
        SetAside {
            text,
            source,
            lines,
        }
    }
}

/// What the page keeps of the user's work: their text and the text set aside, if any.
pub type Snapshot = (Text, Option<Text>);

/// What the browser kept of the user's work: the text last shown and the text set aside, if
/// any (see [`AppState::kept`]).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Kept {
    pub input: Option<String>,
    pub set_aside: Option<String>,
    /// The systemd version last chosen (a profile id), if any.
    pub version: Option<String>,
    /// The fragment this tab last wrote to the address bar, if any: an address that is still
    /// it is the page's own (perhaps a moment behind the text), not a link opened.
    pub address: Option<String>,
}

/// Share links longer than this (the whole URL, in bytes) get a warning and a download
/// button: some browsers, chat tools and mail clients cut or refuse longer links.
pub const LINK_WARN_BYTES: usize = 8 * 1024;

/// Texts longer than this (bytes) are not put in the text area, whose layout would freeze the
/// page for seconds: a paste that large, or files that large, are shown as a read-only preview
/// and analyzed all the same (up to [`exposure_core::MAX_INPUT_BYTES`]).
pub const EDIT_LIMIT: usize = 1 << 20;
/// Texts with more lines than this are shown read-only too (see `view::editable`): Chromium
/// lays out a text area of 5,000 lines of 60 characters in about 120 ms, 20,000 in 550 ms.
pub const EDIT_MAX_LINES: usize = 5_000;
/// Texts with a line longer than this many bytes are shown read-only too.
pub const EDIT_MAX_LINE: usize = 16 << 10;

/// The advisor assesses the unit again for each line it considers: above this many bytes of
/// input it would take seconds, so the page makes no suggestion (the CLI still does).
pub const ADVISE_LIMIT: usize = 1 << 20;

/// Up to this many bytes the advisor runs on every edit; above, once typing pauses for
/// [`ADVICE_PAUSE_MS`] (for a text of 20,000 lines it takes about a second).
pub const LIVE_ADVICE_LIMIT: usize = 64 << 10;
pub const ADVICE_PAUSE_MS: u32 = 500;

/// The storage key under which the page keeps the user's last text (in the tab's session
/// storage and in local storage, for the next tab).
pub const STORAGE_KEY: &str = "exposure.input";
/// The storage key of the text set aside (see [`SetAside`]), when it is the user's own.
pub const SET_ASIDE_KEY: &str = "exposure.set-aside";
/// The local-storage key of the systemd version last chosen (a profile id such as `257`).
pub const VERSION_KEY: &str = "exposure.version";
/// The session-storage key of the fragment this tab last wrote to the address bar.
pub const ADDRESS_KEY: &str = "exposure.address";

/// The address bar follows the text once edits pause this long (browsers limit how often
/// a page may rewrite its address).
pub const ADDRESS_PAUSE_MS: u32 = 500;

/// The whole state of the page.
#[derive(Debug, Clone, PartialEq)]
pub struct AppState {
    /// The text being analyzed, exactly as in the text area. Shared, not copied, between
    /// states and renders: it can be megabytes.
    pub input: Text,
    /// The input kind the user forced; `None` lets core detect it.
    pub kind: Option<InputKind>,
    pub theme: Theme,
    pub source: Source,
    /// A message the page must show until it is dismissed, e.g. why a link did not open.
    pub notice: Option<String>,
    /// How far the suggested override goes.
    pub tier: Tier,
    /// The systemd whose `systemd-analyze security` the page scores as.
    pub version: Version,
    /// The instance to assess a template of a `systemctl cat` paste as (`foo@bar.service`),
    /// when the paste's drop-in folders name none.
    pub unit_name: Option<String>,
    /// The unit whose breakdown is shown when the input holds several; `None` (or a name no
    /// longer in the input) shows the first.
    pub selected_unit: Option<String>,
    pub breakdown: Breakdown,
    /// The check whose explanation is open in the breakdown, by its JSON field.
    pub open_row: Option<String>,
    /// Suggested lines the person unticked, as `(unit, setting)`: the override and its
    /// predicted score leave them out.
    pub left_out: Vec<(String, String)>,
    /// What the summary of many units is narrowed to (part of a unit name; empty: all).
    pub unit_filter: String,
    /// The text another one replaced, until it is switched back or forgotten.
    pub set_aside: Option<SetAside>,
    /// A link that was not opened because both texts the page holds are the user's (see
    /// [`ONE_ASIDE`]): it opens once one of them is forgotten, and stays in the address bar
    /// until then (or until its notice is dismissed).
    pub link_waiting: Option<String>,

    // --- Classroom mode (`views::exercise`, core's `exercise`) ---
    /// The exercise an exercise link opened, its `original` always filled in (the teacher's
    /// link's text, or the answer link's `orig=`); `None` outside classroom mode.
    pub exercise: Option<Exercise>,
    /// The student unfolded the help the exercise hides.
    pub hints_shown: bool,
}

/// Everything that changes the state.
#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    /// The text area's content changed.
    Edit(String),
    /// The URL fragment changed (the user opened or pasted a link into an open page).
    OpenFragment(String),
    /// Force an input kind, or `None` to go back to detection.
    ForceKind(Option<InputKind>),
    SetTheme(Theme),
    /// Empty the input (the page also forgets its stored copy).
    Clear,
    /// Replace the input with the default example unit.
    LoadExample,
    /// Replace the input with the example of this menu value ([`crate::example::EXAMPLES`]);
    /// an unknown value changes nothing.
    LoadExampleId(String),
    DismissNotice,
    /// Choose how far the suggested override goes.
    SetTier(Tier),
    /// Choose the systemd version to score as.
    SetVersion(Version),
    /// Name the instance a template is assessed as (empty: the version's own instance).
    NameUnit(String),
    /// Show this unit's breakdown (of several in the input).
    SelectUnit(String),
    /// Change the order, filter or grouping of the check rows.
    SetBreakdown(Breakdown),
    /// A check's explanation was opened (`true`) or closed, by the check's JSON field.
    ToggleRow {
        row: String,
        open: bool,
    },
    /// Files dropped or picked, as `(name, text)`: they replace the input
    /// ([`crate::files::combine`]), unless together they are too big to read.
    OpenFiles(Vec<(String, String)>),
    /// Show a message (e.g. why dropped files were not opened).
    ShowNotice(String),
    /// Narrow the summary of many units to the names containing this text.
    FilterUnits(String),
    /// Swap the text set aside with the one shown.
    SwitchBack,
    /// Drop the text set aside.
    ForgetSetAside,
    /// Tick (`true`) or untick a suggested line of a unit's override.
    Choose {
        unit: String,
        setting: String,
        chosen: bool,
    },
    /// Unfold the help an exercise hides.
    ShowHints,
    /// Leave classroom mode: the text stays, every help shows again.
    LeaveExercise,
}

/// Finds the `unit=` payload in a URL fragment (`#unit=<payload>`; with or without the `#`,
/// possibly among other `&`-separated `key=value` parts).
pub fn unit_payload(fragment: &str) -> Option<&str> {
    link::fragment_part(fragment, "unit")
}

/// The URL fragment that opens `text`: `#unit=<payload>`.
pub fn fragment_for(text: &str) -> String {
    link::LinkState {
        text: text.to_owned(),
        ..link::LinkState::default()
    }
    .fragment()
}

/// The exercise a link carries, with the text it starts from: the answer link's original, or
/// the teacher's link's own text.
fn exercise_of(l: &link::LinkState) -> Option<Exercise> {
    l.exercise.clone().map(|e| Exercise {
        original: Some(e.original.unwrap_or_else(|| l.text.clone())),
        ..e
    })
}

/// A link's text and choices (core's `LinkState`, the one share-link grammar), or `None` when
/// the fragment carries no `unit=` at all.
fn open_link(fragment: &str) -> Option<Result<link::LinkState, link::LinkError>> {
    unit_payload(fragment)?;
    Some(link::LinkState::parse(fragment))
}

impl AppState {
    /// The state the page opens with, given the URL fragment it was opened with.
    ///
    /// * no `unit=` in the fragment: the example unit;
    /// * a `unit=` that decodes: its text (even when empty);
    /// * a `unit=` that does not: the example unit **and** a notice that says why the link
    ///   did not open and that the example is shown instead.
    pub fn from_fragment(fragment: &str) -> AppState {
        AppState::open(fragment, Kept::default())
    }

    /// The state the page opens with, given its URL fragment and what the browser kept of the
    /// user's work.
    ///
    /// * No link, or one that does not open: the kept text (else the example), and the kept
    ///   text set aside, if any.
    /// * A link whose text is the kept one (the address bar follows the user's edits of a
    ///   link's text, so this is a reload after editing), or the address this tab wrote itself
    ///   (it follows the text once typing pauses, so it can be a moment behind): the kept
    ///   text, as the user's own.
    /// * A link with another text: the link's text, and the kept text set aside, so that it is
    ///   one click away and never overwritten by the link's.
    pub fn open(fragment: &str, kept: Kept) -> AppState {
        let stored = kept.input.filter(|t| !t.is_empty());
        let kept_aside = kept
            .set_aside
            .filter(|t| !t.is_empty())
            .map(|t| SetAside::new(t.into(), Source::Stored));
        let own_address = !fragment.is_empty() && kept.address.as_deref() == Some(fragment);
        let mut state = AppState::from_fragment_only(fragment);
        // Without a link, the version last chosen in this browser.
        if state.source == Source::Example
            && let Some(v) = kept.version.as_deref().and_then(Version::parse)
        {
            state.version = v;
        }
        match stored {
            Some(text) if state.source == Source::Example => AppState {
                input: text.into(),
                source: Source::Stored,
                notice: state.notice.map(|n| {
                    n.replace(
                        "The example unit is shown instead.",
                        "Your last text is shown instead.",
                    )
                }),
                set_aside: kept_aside,
                ..state
            },
            Some(text) if *text == *state.input || own_address => AppState {
                input: text.into(),
                source: Source::Stored,
                set_aside: kept_aside,
                ..state
            },
            // Two texts of the user's kept, and a link with a third: the link waits (it would
            // push one of them out of the one place a text is set aside).
            Some(text)
                if kept_aside
                    .as_ref()
                    .is_some_and(|a| *a.text != *state.input && *a.text != *text) =>
            {
                let mine = AppState {
                    input: text.into(),
                    source: Source::Stored,
                    set_aside: kept_aside,
                    version: kept
                        .version
                        .as_deref()
                        .and_then(Version::parse)
                        .unwrap_or_default(),
                    ..AppState::from_fragment_only("")
                };
                (*Rc::new(mine).reduce(Action::OpenFragment(fragment.to_owned()))).clone()
            }
            Some(text) => AppState {
                set_aside: Some(SetAside::new(text.into(), Source::Stored)),
                ..state
            },
            // Nothing shown is kept, but a text set aside is (e.g. after Clear): offered back.
            None => AppState {
                set_aside: state.set_aside.or(kept_aside),
                ..state
            },
        }
    }

    /// What the browser should keep of this state, or `None` when the text shown is not the
    /// user's own (a link's or an example's, unedited): the user's last text stays kept.
    /// The set-aside text is kept when it is the user's.
    pub fn kept(&self) -> Option<Snapshot> {
        self.source.is_users().then(|| {
            let aside = self
                .set_aside
                .as_ref()
                .filter(|a| a.source.is_users())
                .map(|a| a.text.clone());
            (self.input.clone(), aside)
        })
    }

    /// Shows `text` from `source` instead of the current text. The user's own text, when it
    /// differs, is set aside rather than dropped; a link's or an example's text is simply
    /// replaced (the user's text already set aside stays so).
    fn replace_input(&mut self, text: Text, source: Source) {
        if *text == *self.input {
            return;
        }
        if self.source.is_users() && !self.input.is_empty() {
            self.set_aside = Some(SetAside::new(self.input.clone(), self.source));
        }
        self.input = text;
        self.source = source;
        self.notice = None;
        // A name given to the text before is not this one's.
        self.unit_name = None;
    }

    fn from_fragment_only(fragment: &str) -> AppState {
        let example = AppState {
            input: EXAMPLE_UNIT.into(),
            kind: None,
            theme: Theme::Auto,
            source: Source::Example,
            notice: None,
            tier: Tier::Moderate,
            version: Version::default(),
            unit_name: None,
            selected_unit: None,
            breakdown: Breakdown::default(),
            open_row: None,
            left_out: Vec::new(),
            unit_filter: String::new(),
            set_aside: None,
            link_waiting: None,
            exercise: None,
            hints_shown: false,
        };
        match open_link(fragment) {
            None => example,
            Some(Ok(l)) => AppState {
                exercise: exercise_of(&l),
                input: l.text.as_str().into(),
                source: Source::Link,
                tier: l.tier.unwrap_or(example.tier),
                // A link means the same score for everyone who opens it, whatever version
                // they chose last.
                version: l.version.unwrap_or_default(),
                unit_name: l.unit_name,
                left_out: l.left_out,
                breakdown: Breakdown::from_link(&l.view),
                open_row: l.view.open_row,
                ..example
            },
            Some(Err(e)) => AppState {
                notice: Some(link_notice(&e)),
                ..example
            },
        }
    }

    /// The fragment that reopens this state: the text, and the tier and unticked
    /// suggestions when they differ from what a page opens with.
    pub fn share_fragment(&self) -> String {
        self.fragment_with(&self.input)
    }

    /// [`AppState::share_fragment`] for another text (the page links a long text as it was
    /// when typing last paused), with this state's tier and choices.
    pub fn fragment_with(&self, text: &str) -> String {
        link::LinkState {
            text: text.to_owned(),
            tier: Some(self.tier),
            version: Some(self.version),
            unit_name: self.unit_name.clone(),
            left_out: self.left_out.clone(),
            view: self.breakdown.to_link(self.open_row.as_deref()),
            // In classroom mode: the teacher's link while the text is the original, the
            // student's answer link (with `orig=`) once it is not.
            exercise: self.exercise.as_ref().map(|e| Exercise {
                original: e.original.clone().filter(|o| o != text),
                ..e.clone()
            }),
        }
        .fragment()
    }

    /// Whether the person left this suggested line out of the unit's override.
    pub fn is_left_out(&self, unit: &str, setting: &str) -> bool {
        self.left_out.iter().any(|(u, s)| u == unit && s == setting)
    }
}

fn link_notice(e: &link::LinkError) -> String {
    format!("{} The example unit is shown instead.", link_failed(e))
}

/// "This link could not be opened: <why>." as one sentence, whether or not the reason ends
/// with its own question mark.
fn link_failed(e: &link::LinkError) -> String {
    // A cut or altered payload: the decoder's own words ("Invalid symbol 33, offset 4") mean
    // nothing to the person who clicked it.
    let why = match e {
        link::LinkError::Base64(_) | link::LinkError::Deflate(_) => {
            "it is incomplete or damaged (it may have been cut when it was copied)".to_owned()
        }
        _ => e.to_string(),
    };
    let stop = if why.ends_with(['.', '?', '!']) {
        ""
    } else {
        "."
    };
    format!("This link could not be opened: {why}{stop}")
}

impl Reducible for AppState {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        // Editing one's text, or forgetting the one set aside, is meant to drop a text.
        let may_drop = matches!(action, Action::Edit(_) | Action::ForgetSetAside);
        let link = match &action {
            Action::OpenFragment(f) => Some(f.clone()),
            _ => None,
        };
        let mut next = (*self).clone();
        match action {
            Action::Edit(text) => {
                if *text == *self.input {
                    return self;
                }
                next.input = text.into();
                next.source = Source::Edited;
            }
            Action::OpenFragment(fragment) => match open_link(&fragment) {
                // A fragment without a unit (e.g. `#` alone) leaves the user's text alone.
                None => return self,
                Some(Ok(l)) => {
                    next.exercise = exercise_of(&l);
                    next.hints_shown = false;
                    // Following our own share link re-opens what is already shown.
                    next.replace_input(l.text.into(), Source::Link);
                    next.tier = l.tier.unwrap_or(self.tier);
                    next.left_out = l.left_out;
                    next.version = l.version.unwrap_or_default();
                    next.unit_name = l.unit_name;
                    next.breakdown = Breakdown::from_link(&l.view);
                    next.open_row = l.view.open_row;
                }
                // Keep the text the user has; say why the link did not open.
                Some(Err(e)) => {
                    next.notice = Some(format!("{} Your text was kept.", link_failed(&e)));
                }
            },
            Action::ForceKind(kind) => next.kind = kind,
            Action::SetTheme(theme) => next.theme = theme,
            // The text cleared is set aside (and kept in the browser when it is the user's):
            // Undo is one click. A text of the user's already set aside is not replaced by a
            // link's or an example's.
            Action::Clear => {
                let users_aside = next.set_aside.as_ref().is_some_and(|a| a.source.is_users());
                if !next.input.is_empty() && (self.source.is_users() || !users_aside) {
                    next.set_aside = Some(SetAside::new(next.input.clone(), self.source));
                }
                next.input = "".into();
                next.source = Source::Edited;
                next.notice = None;
            }
            Action::LoadExample => next.replace_input(EXAMPLE_UNIT.into(), Source::Example),
            Action::LoadExampleId(id) => {
                let Some(example) = crate::example::by_id(&id) else {
                    return self;
                };
                next.replace_input(example.text.into(), Source::Example);
            }
            Action::SwitchBack => {
                let Some(aside) = next.set_aside.take() else {
                    return self;
                };
                next.set_aside = (!next.input.is_empty())
                    .then(|| SetAside::new(next.input.clone(), next.source));
                next.input = aside.text;
                next.source = aside.source;
                next.notice = None;
            }
            Action::ForgetSetAside => {
                next.set_aside = None;
                if let Some(link) = next.link_waiting.take() {
                    return Rc::new(next).reduce(Action::OpenFragment(link));
                }
            }
            Action::DismissNotice => {
                next.notice = None;
                next.link_waiting = None;
            }
            Action::ShowNotice(text) => next.notice = Some(text),
            Action::FilterUnits(text) => next.unit_filter = text,
            Action::SetTier(tier) => next.tier = tier,
            Action::SetVersion(version) => next.version = version,
            Action::NameUnit(name) => {
                let name = name.trim();
                next.unit_name = (!name.is_empty()).then(|| name.to_owned());
            }
            Action::SelectUnit(name) => next.selected_unit = Some(name),
            Action::SetBreakdown(b) => next.breakdown = b,
            Action::ToggleRow { row, open } => {
                if open {
                    next.open_row = Some(row);
                } else if next.open_row.as_deref() == Some(row.as_str()) {
                    next.open_row = None;
                }
            }
            Action::OpenFiles(files) => {
                if files.is_empty() {
                    return self;
                }
                let total: usize = files.iter().map(|(_, t)| t.len()).sum();
                if total > exposure_core::MAX_INPUT_BYTES {
                    next.notice = Some(crate::files::too_big(total));
                } else {
                    let opened = crate::files::combine(files);
                    next.replace_input(opened.text.into(), Source::Files);
                    next.notice = opened.notice;
                    next.selected_unit = None;
                }
            }
            Action::Choose {
                unit,
                setting,
                chosen,
            } => {
                next.left_out.retain(|(u, s)| *u != unit || *s != setting);
                if !chosen {
                    next.left_out.push((unit, setting));
                    exposure_core::order::sort(&mut next.left_out);
                }
            }
            Action::ShowHints => next.hints_shown = true,
            Action::LeaveExercise => {
                next.exercise = None;
                next.hints_shown = false;
            }
        }
        // Only one text is set aside: what would replace one of the user's texts (the one shown
        // when the one set aside is theirs too) changes nothing and says why, rather than
        // losing it.
        if !may_drop && self.users_texts().any(|t| !next.holds(t)) {
            next = AppState {
                notice: Some(
                    if link.is_some() {
                        LINK_WAITS
                    } else {
                        ONE_ASIDE
                    }
                    .to_owned(),
                ),
                link_waiting: link.or_else(|| self.link_waiting.clone()),
                ..(*self).clone()
            };
        }
        if next == *self { self } else { Rc::new(next) }
    }
}

/// Why a text was not replaced (see the end of [`AppState::reduce`]).
pub const ONE_ASIDE: &str = "Nothing was replaced: the text shown and the text set aside are \
    both yours, and only one can be set aside. Choose Forget it (or Switch back, then Forget \
    it) for the one you no longer need, then try again.";

/// Why a link was not opened yet (see [`AppState::link_waiting`]).
pub const LINK_WAITS: &str = "This link is not opened yet: the text shown and the text set \
    aside are both yours, and only one can be set aside. Choose Forget it for the one you no \
    longer need (or Switch back, then Forget it) and the link opens; it stays in the address \
    bar until then.";

impl AppState {
    /// The user's own texts the page holds (shown or set aside), not empty.
    fn users_texts(&self) -> impl Iterator<Item = &Text> {
        let shown = self.source.is_users().then_some(&self.input);
        let aside = self
            .set_aside
            .as_ref()
            .filter(|a| a.source.is_users())
            .map(|a| &a.text);
        shown.into_iter().chain(aside).filter(|t| !t.is_empty())
    }

    /// Whether `text` is shown or set aside.
    fn holds(&self, text: &Text) -> bool {
        *self.input == **text || self.set_aside.as_ref().is_some_and(|a| *a.text == **text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reduce(state: AppState, action: Action) -> AppState {
        (*Rc::new(state).reduce(action)).clone()
    }

    #[test]
    fn an_exercise_link_opens_classroom_mode_and_an_edit_makes_the_answer_link() {
        use exposure_core::exercise::Hide;
        use exposure_core::report::Tenths;
        let original = "[Service]\nExecStart=/bin/true\n";
        let teacher = link::LinkState {
            text: original.to_owned(),
            exercise: Some(Exercise {
                goal: Tenths(30),
                hide: Hide {
                    advice: true,
                    fixes: false,
                },
                original: None,
            }),
            ..Default::default()
        }
        .fragment();
        let s = AppState::from_fragment(&teacher);
        let e = s.exercise.clone().expect("classroom mode");
        assert_eq!(
            (e.goal, e.hide.advice, e.hide.fixes),
            (Tenths(30), true, false)
        );
        assert_eq!(e.original.as_deref(), Some(original));
        assert!(!s.hints_shown);
        // Unedited, the page's link is the teacher's link.
        assert_eq!(s.share_fragment(), teacher);

        let student = format!("{original}NoNewPrivileges=yes\n");
        let s = reduce(s, Action::Edit(student.clone()));
        let answer = s.share_fragment();
        assert_ne!(answer, teacher);
        assert!(answer.contains("&goal=3.0&hide=advice&orig="), "{answer}");
        // The answer link reopens the student's text, with the original to compare.
        let reopened = AppState::from_fragment(&answer);
        assert_eq!(&*reopened.input, student);
        assert_eq!(reopened.exercise, s.exercise);
        assert_eq!(reopened.share_fragment(), answer);

        let s = reduce(s, Action::ShowHints);
        assert!(s.hints_shown);
        let s = reduce(s, Action::LeaveExercise);
        assert_eq!((s.exercise.is_none(), s.hints_shown), (true, false));
        assert!(!s.share_fragment().contains("goal="));
        // A plain link opened in an open page leaves classroom mode too.
        let s = reduce(
            AppState::from_fragment(&teacher),
            Action::OpenFragment(fragment_for("x")),
        );
        assert_eq!(s.exercise, None);
    }

    #[test]
    fn the_tier_starts_moderate_and_can_change() {
        let s = AppState::from_fragment("");
        assert_eq!(s.tier, Tier::Moderate);
        let s = reduce(s, Action::SetTier(Tier::Strict));
        assert_eq!(s.tier, Tier::Strict);
        assert_eq!(&*s.input, EXAMPLE_UNIT, "choosing a tier keeps the text");
    }

    #[test]
    fn no_fragment_opens_the_example() {
        for fragment in ["", "#", "#top", "#kind=show"] {
            let s = AppState::from_fragment(fragment);
            assert_eq!(&*s.input, EXAMPLE_UNIT, "{fragment:?}");
            assert_eq!(s.source, Source::Example);
            assert_eq!(s.notice, None);
            assert_eq!(s.kind, None);
            assert_eq!(s.theme, Theme::Auto);
        }
    }

    #[test]
    fn a_unit_link_opens_its_text() {
        let text = "[Service]\nExecStart=/bin/true\n";
        let s = AppState::from_fragment(&fragment_for(text));
        assert_eq!(&*s.input, text);
        assert_eq!(s.source, Source::Link);
        assert_eq!(s.notice, None);
    }

    #[test]
    fn a_link_made_by_python_opens() {
        // zlib.compressobj(9, zlib.DEFLATED, -15) + urlsafe_b64encode without padding
        let s = AppState::from_fragment(
            "#unit=iw5OLSrLTE6N5XKtSE0OLkksKrHVLy0u0k_KzNMvKSpN5QooyixLLEkNyS2wrUwt5gIA",
        );
        assert_eq!(
            &*s.input,
            "[Service]\nExecStart=/usr/bin/true\nPrivateTmp=yes\n"
        );
    }

    #[test]
    fn the_unit_part_is_found_among_others() {
        assert_eq!(unit_payload("#a=1&unit=xyz&b=2"), Some("xyz"));
        assert_eq!(unit_payload("unit=abc"), Some("abc"));
        assert_eq!(unit_payload("#units=abc"), None);
        assert_eq!(unit_payload("#"), None);
    }

    #[test]
    fn a_malformed_link_says_so_and_shows_the_example() {
        for fragment in [
            "#unit=",
            "#unit=%%%",
            "#unit=AAAA",
            "#unit=iw5OLSrLTE6N5XKt",
        ] {
            let s = AppState::from_fragment(fragment);
            assert_eq!(&*s.input, EXAMPLE_UNIT, "{fragment:?}");
            assert_eq!(s.source, Source::Example);
            let notice = s.notice.expect("a notice");
            assert!(
                notice.starts_with("This link could not be opened: "),
                "{notice}"
            );
            assert!(
                notice.ends_with("The example unit is shown instead."),
                "{notice}"
            );
        }
    }

    #[test]
    fn the_share_fragment_reopens_the_same_text() {
        let s = reduce(
            AppState::from_fragment(""),
            Action::Edit("[Service]\nUser=nobody\n".into()),
        );
        let fragment = s.share_fragment();
        assert!(fragment.starts_with("#unit="), "{fragment}");
        assert_eq!(AppState::from_fragment(&fragment).input, s.input);
    }

    #[test]
    fn editing_replaces_the_input() {
        let s = reduce(AppState::from_fragment(""), Action::Edit("x".into()));
        assert_eq!(&*s.input, "x");
        assert_eq!(s.source, Source::Edited);
    }

    #[test]
    fn an_edit_that_changes_nothing_keeps_the_same_state() {
        let s = Rc::new(AppState::from_fragment(""));
        let same = s.clone().reduce(Action::Edit(EXAMPLE_UNIT.into()));
        assert!(Rc::ptr_eq(&s, &same));
    }

    #[test]
    fn editing_keeps_a_link_notice_until_dismissed() {
        let s = AppState::from_fragment("#unit=AAAA");
        let s = reduce(s, Action::Edit("y".into()));
        assert!(s.notice.is_some());
        let s = reduce(s, Action::DismissNotice);
        assert_eq!(s.notice, None);
        assert_eq!(&*s.input, "y");
    }

    #[test]
    fn opening_a_fragment_while_the_page_is_open() {
        let edited = reduce(AppState::from_fragment(""), Action::Edit("mine".into()));

        let s = reduce(edited.clone(), Action::OpenFragment(fragment_for("theirs")));
        assert_eq!(&*s.input, "theirs");
        assert_eq!(s.source, Source::Link);

        // a fragment without a unit does not touch the text
        assert_eq!(
            reduce(edited.clone(), Action::OpenFragment("#".into())),
            edited
        );

        // a damaged one keeps the text and says why
        let s = reduce(edited.clone(), Action::OpenFragment("#unit=@@".into()));
        assert_eq!(&*s.input, "mine");
        assert_eq!(s.source, Source::Edited);
        let notice = s.notice.unwrap();
        // in plain words, not the decoder's ("Invalid symbol 64, offset 0.")
        assert!(notice.contains("incomplete or damaged"), "{notice}");
        assert!(!notice.contains("symbol"), "{notice}");
        assert!(notice.ends_with("Your text was kept."), "{notice}");
        assert!(!notice.contains("?."), "one stop ends the reason: {notice}");
    }

    #[test]
    fn following_our_own_share_link_changes_nothing() {
        let s = Rc::new(reduce(
            AppState::from_fragment(""),
            Action::Edit("abc".into()),
        ));
        let after = s.clone().reduce(Action::OpenFragment(s.share_fragment()));
        assert!(Rc::ptr_eq(&s, &after));
    }

    #[test]
    fn load_example_restores_it_and_clears_the_notice() {
        let s = AppState::from_fragment("#unit=AAAA");
        let s = reduce(s, Action::Edit("other".into()));
        let s = reduce(s, Action::LoadExample);
        assert_eq!(&*s.input, EXAMPLE_UNIT);
        assert_eq!(s.source, Source::Example);
        assert_eq!(s.notice, None);
    }

    #[test]
    fn every_example_of_the_menu_loads() {
        let edited = reduce(
            AppState::from_fragment("#unit=AAAA"),
            Action::Edit("x".into()),
        );
        for e in crate::example::EXAMPLES {
            let s = reduce(edited.clone(), Action::LoadExampleId(e.id.into()));
            assert_eq!(&*s.input, e.text, "{}", e.id);
            assert_eq!(s.source, Source::Example);
            assert_eq!(s.notice, None);
        }
        let s = Rc::new(edited);
        let same = s.clone().reduce(Action::LoadExampleId("no-such".into()));
        assert!(Rc::ptr_eq(&s, &same), "an unknown value changes nothing");
    }

    #[test]
    fn selecting_a_unit_keeps_the_text() {
        let s = AppState::from_fragment("");
        assert_eq!(s.selected_unit, None);
        let s = reduce(s, Action::SelectUnit("b.service".into()));
        assert_eq!(s.selected_unit.as_deref(), Some("b.service"));
        assert_eq!(&*s.input, EXAMPLE_UNIT);
        // editing keeps the choice; the view falls back to the first unit if it is gone
        let s = reduce(s, Action::Edit("[Service]\n".into()));
        assert_eq!(s.selected_unit.as_deref(), Some("b.service"));
    }

    #[test]
    fn the_breakdown_starts_by_contribution_and_can_change() {
        let s = AppState::from_fragment("");
        assert_eq!(
            s.breakdown,
            Breakdown {
                sort: Sort::Contribution,
                failing_only: false,
                group: false,
                table: false,
            }
        );
        let b = Breakdown {
            sort: Sort::Systemd,
            failing_only: true,
            group: true,
            table: true,
        };
        let s = reduce(s, Action::SetBreakdown(b));
        assert_eq!(s.breakdown, b);
        assert_eq!(&*s.input, EXAMPLE_UNIT);
        for sort in Sort::ALL {
            assert_eq!(Sort::parse(sort.value()), Some(sort));
        }
        assert_eq!(Sort::parse("bogus"), None);
    }

    fn kept(input: &str) -> Kept {
        Kept {
            input: Some(input.to_owned()),
            ..Kept::default()
        }
    }

    #[test]
    fn the_stored_text_reopens_and_a_link_sets_it_aside() {
        let mine = "[Service]\nUser=kept\n";
        let s = AppState::open("", kept(mine));
        assert_eq!(&*s.input, mine);
        assert_eq!(s.source, Source::Stored);
        assert_eq!(s.notice, None);
        assert_eq!(s.set_aside, None);

        // a link shows its text and keeps the user's a click away
        let s = AppState::open(&fragment_for("linked"), kept(mine));
        assert_eq!(&*s.input, "linked");
        assert_eq!(s.source, Source::Link);
        let aside = s.set_aside.clone().expect("the kept text is set aside");
        assert_eq!((&*aside.text, aside.source), (mine, Source::Stored));
        assert_eq!(
            s.kept(),
            None,
            "an unedited link's text is not kept over the user's"
        );

        // a link whose text is the kept one (a reload after editing it) is the user's text
        let s = AppState::open(
            &fragment_for(mine),
            Kept {
                input: Some(mine.into()),
                set_aside: Some("older".into()),
                ..Kept::default()
            },
        );
        assert_eq!((&*s.input, s.source), (mine, Source::Stored));
        assert_eq!(s.set_aside.unwrap().text.as_ref(), "older");

        // a damaged link keeps the stored text and says so
        let s = AppState::open("#unit=AAAA", kept(mine));
        assert_eq!(&*s.input, mine);
        let notice = s.notice.unwrap();
        assert!(
            notice.starts_with("This link could not be opened: "),
            "{notice}"
        );
        assert!(
            notice.ends_with("Your last text is shown instead."),
            "{notice}"
        );

        // nothing (or nothing but an empty text) stored: the example
        for nothing in [Kept::default(), kept("")] {
            let s = AppState::open("", nothing);
            assert_eq!(&*s.input, EXAMPLE_UNIT);
            assert_eq!(s.source, Source::Example);
            assert_eq!(s.set_aside, None);
        }
    }

    #[test]
    fn a_reload_before_the_address_caught_up_shows_the_kept_text() {
        // The tab wrote `#unit=<old>` to its address bar, then the user typed "newer" (kept at
        // once) and reloaded before the address followed: the kept text, not the old one.
        let old = fragment_for("old");
        let kept = Kept {
            input: Some("newer".into()),
            address: Some(old.clone()),
            ..Kept::default()
        };
        let s = AppState::open(&old, kept.clone());
        assert_eq!((&*s.input, s.source), ("newer", Source::Stored));
        assert_eq!(s.set_aside, None);
        // Another link opened in the tab is a link: shown, the kept text set aside.
        let s = AppState::open(&fragment_for("theirs"), kept);
        assert_eq!((&*s.input, s.source), ("theirs", Source::Link));
        assert_eq!(s.set_aside.unwrap().text.as_ref(), "newer");
    }

    #[test]
    fn editing_a_links_text_makes_it_the_users_and_keeps_the_earlier_one() {
        let s = AppState::open(&fragment_for("linked"), kept("mine"));
        let s = reduce(s, Action::Edit("linked, edited".into()));
        assert_eq!(s.source, Source::Edited);
        let (input, aside) = s.kept().expect("the user's text is kept");
        assert_eq!(&*input, "linked, edited");
        assert_eq!(aside.as_deref(), Some("mine"));
        // what the browser keeps opens the same again
        let reopened = AppState::open(
            &s.share_fragment(),
            Kept {
                input: Some(input.to_string()),
                set_aside: aside.map(|a| a.to_string()),
                ..Kept::default()
            },
        );
        assert_eq!(&*reopened.input, "linked, edited");
        assert_eq!(reopened.source, Source::Stored);
        assert_eq!(reopened.set_aside.unwrap().text.as_ref(), "mine");
    }

    #[test]
    fn switching_back_swaps_the_texts_and_nothing_is_lost() {
        let s = reduce(AppState::from_fragment(""), Action::Edit("mine".into()));
        for replace in [
            Action::OpenFragment(fragment_for("theirs")),
            Action::LoadExample,
            Action::LoadExampleId(crate::example::EXAMPLES[0].id.into()),
            Action::OpenFiles(vec![("a.service".into(), "[Service]\n".into())]),
        ] {
            let replaced = reduce(s.clone(), replace.clone());
            assert_ne!(&*replaced.input, "mine", "{replace:?}");
            let aside = replaced.set_aside.clone().expect("set aside");
            assert_eq!((&*aside.text, aside.source), ("mine", Source::Edited));
            let back = reduce(replaced.clone(), Action::SwitchBack);
            assert_eq!((&*back.input, back.source), ("mine", Source::Edited));
            let other = back.set_aside.clone().expect("the other text is set aside");
            assert_eq!(other.text, replaced.input);
            assert_eq!(other.source, replaced.source);
            // and forward again
            let again = reduce(back, Action::SwitchBack);
            assert_eq!(again.input, replaced.input);
            let forgot = reduce(again, Action::ForgetSetAside);
            assert_eq!(forgot.set_aside, None);
            assert_eq!(forgot.input, replaced.input);
        }
        // a link over a link (or an example) keeps the user's text set aside, not the link's
        let s = reduce(s, Action::OpenFragment(fragment_for("first")));
        let s = reduce(s, Action::OpenFragment(fragment_for("second")));
        let s = reduce(s, Action::LoadExample);
        assert_eq!(s.set_aside.unwrap().text.as_ref(), "mine");
        // nothing to switch back to: nothing changes
        let plain = Rc::new(AppState::from_fragment(""));
        assert!(Rc::ptr_eq(
            &plain,
            &plain.clone().reduce(Action::SwitchBack)
        ));
    }

    #[test]
    fn with_two_texts_of_the_users_nothing_replaces_either() {
        // mine, then an example over it, edited: both are the user's
        let s = reduce(AppState::from_fragment(""), Action::Edit("mine".into()));
        let s = reduce(s, Action::LoadExample);
        let s = reduce(s, Action::Edit("example, edited".into()));
        for replace in [
            Action::LoadExample,
            Action::LoadExampleId(crate::example::EXAMPLES[1].id.into()),
            Action::OpenFiles(vec![("a.service".into(), "[Service]\n".into())]),
            Action::OpenFragment(fragment_for("theirs")),
            Action::Clear,
        ] {
            let after = reduce(s.clone(), replace.clone());
            assert_eq!(&*after.input, "example, edited", "{replace:?}");
            assert_eq!(after.set_aside.as_ref().unwrap().text.as_ref(), "mine");
            let why = match replace {
                Action::OpenFragment(_) => LINK_WAITS,
                _ => ONE_ASIDE,
            };
            assert_eq!(after.notice.as_deref(), Some(why), "{replace:?}");
            assert_eq!(after.kept(), s.kept());
        }
        // Forget it, then the replacement goes ahead, setting the shown text aside.
        let s = reduce(s, Action::ForgetSetAside);
        let s = reduce(s, Action::LoadExample);
        assert_eq!(&*s.input, EXAMPLE_UNIT);
        assert_eq!(
            s.set_aside.unwrap().text.as_ref(),
            "example, edited",
            "nothing is lost"
        );
        assert_eq!(s.notice, None);
    }

    #[test]
    fn a_link_over_two_texts_of_the_users_waits_until_one_is_forgotten() {
        let kept = Kept {
            input: Some("second".into()),
            set_aside: Some("first".into()),
            ..Kept::default()
        };
        let link = format!("{}&tier=strict", fragment_for("linked"));
        let s = AppState::open(&link, kept);
        assert_eq!((&*s.input, s.source), ("second", Source::Stored));
        assert_eq!(s.set_aside.clone().unwrap().text.as_ref(), "first");
        assert_eq!(s.link_waiting.as_deref(), Some(link.as_str()));
        assert_eq!(s.notice.as_deref(), Some(LINK_WAITS));
        assert_eq!(s.kept(), Some(("second".into(), Some("first".into()))));
        // Forget it: the link opens, the text shown is set aside.
        let opened = reduce(s.clone(), Action::ForgetSetAside);
        assert_eq!((&*opened.input, opened.source), ("linked", Source::Link));
        assert_eq!(opened.tier, Tier::Strict);
        assert_eq!(opened.set_aside.unwrap().text.as_ref(), "second");
        assert_eq!(opened.link_waiting, None);
        // Dismissing the notice drops the link instead.
        let dismissed = reduce(s, Action::DismissNotice);
        assert_eq!(dismissed.link_waiting, None);
        let forgot = reduce(dismissed, Action::ForgetSetAside);
        assert_eq!(&*forgot.input, "second");
        // The same for a link opened in the open page.
        let s = reduce(AppState::from_fragment(""), Action::Edit("first".into()));
        let s = reduce(s, Action::LoadExample);
        let s = reduce(s, Action::Edit("second".into()));
        let s = reduce(s, Action::OpenFragment(fragment_for("linked")));
        assert_eq!(&*s.input, "second");
        assert!(s.link_waiting.is_some());
        assert_eq!(&*reduce(s, Action::ForgetSetAside).input, "linked");
    }

    #[test]
    fn an_example_is_not_kept_over_the_users_text() {
        assert_eq!(AppState::from_fragment("").kept(), None);
        let s = reduce(AppState::from_fragment(""), Action::Edit("mine".into()));
        assert_eq!(s.kept(), Some(("mine".into(), None)));
        let s = reduce(s, Action::LoadExample);
        assert_eq!(s.kept(), None);
        let s = reduce(s, Action::Edit("example, edited".into()));
        assert_eq!(
            s.kept(),
            Some(("example, edited".into(), Some("mine".into())))
        );
    }

    #[test]
    fn unticking_a_suggestion_is_kept_and_shared() {
        let s = AppState::from_fragment("");
        assert!(s.left_out.is_empty());
        let untick = |s, unit: &str, setting: &str, chosen| {
            reduce(
                s,
                Action::Choose {
                    unit: unit.into(),
                    setting: setting.into(),
                    chosen,
                },
            )
        };
        let s = untick(s, "b.service", "ProtectHome", false);
        let s = untick(s, "a:x.service", "PrivateTmp", false);
        let s = untick(s, "a:x.service", "PrivateTmp", false);
        assert_eq!(s.left_out.len(), 2, "unticking twice is unticking once");
        assert!(s.is_left_out("b.service", "ProtectHome"));
        assert!(!s.is_left_out("a:x.service", "ProtectHome"));
        let s = reduce(s, Action::SetTier(Tier::Strict));
        // The link carries the tier and the choices, and opens them again.
        let f = s.share_fragment();
        assert!(f.ends_with("&tier=strict&off=a:x.service:PrivateTmp,b.service:ProtectHome"));
        let opened = AppState::from_fragment(&f);
        assert_eq!(opened.tier, Tier::Strict);
        assert_eq!(opened.left_out, s.left_out);
        assert_eq!(opened.input, s.input);
        // Ticking it again puts it back.
        let s = untick(s, "b.service", "ProtectHome", true);
        assert!(!s.is_left_out("b.service", "ProtectHome"));
        assert_eq!(s.left_out.len(), 1);
        // A default state's link is the text alone.
        assert!(!AppState::from_fragment("").share_fragment().contains('&'));
    }

    #[test]
    fn malformed_link_choices_are_skipped() {
        let f = format!(
            "{}&tier=extreme&off=,nocolon,:X,u.service:,u.service:Bad-Name,u.service:Good",
            fragment_for("[Service]\n")
        );
        let s = AppState::from_fragment(&f);
        assert_eq!(s.tier, Tier::Moderate);
        assert_eq!(s.left_out, [("u.service".to_owned(), "Good".to_owned())]);
        assert_eq!(&*s.input, "[Service]\n");
        assert!(s.notice.is_none());
    }

    #[test]
    fn opening_files_replaces_the_text_unless_too_big() {
        let s = reduce(AppState::from_fragment(""), Action::Edit("mine".into()));
        let s = reduce(
            s,
            Action::OpenFiles(vec![(
                "a.service".into(),
                "[Service]\nExecStart=/x\n".into(),
            )]),
        );
        assert_eq!(s.source, Source::Files);
        assert_eq!(
            &*s.input,
            "# /etc/systemd/system/a.service\n[Service]\nExecStart=/x\n"
        );
        assert_eq!(s.notice, None);
        let big = "#".repeat(exposure_core::MAX_INPUT_BYTES / 2 + 1);
        let after = reduce(
            s.clone(),
            Action::OpenFiles(vec![("x.conf".into(), big.clone()), ("y.conf".into(), big)]),
        );
        assert_eq!(after.input, s.input, "the text is kept");
        assert!(
            after
                .notice
                .unwrap()
                .contains("16.0 MiB (16,777,218 bytes) is over the 16 MiB limit")
        );
        assert_eq!(reduce(s.clone(), Action::OpenFiles(Vec::new())), s);
    }

    #[test]
    fn the_unit_filter_keeps_the_text() {
        let s = AppState::from_fragment("");
        assert_eq!(s.unit_filter, "");
        let s = reduce(s, Action::FilterUnits("ssh".into()));
        assert_eq!(s.unit_filter, "ssh");
        assert_eq!(&*s.input, EXAMPLE_UNIT);
    }

    #[test]
    fn clear_empties_the_input_and_undo_brings_it_back() {
        // the user's text: set aside as theirs, kept in the browser, one SwitchBack away
        let s = reduce(AppState::from_fragment(""), Action::Edit("mine".into()));
        let cleared = reduce(s.clone(), Action::Clear);
        assert_eq!((&*cleared.input, cleared.source), ("", Source::Edited));
        let aside = cleared
            .set_aside
            .clone()
            .expect("the cleared text is set aside");
        assert_eq!((&*aside.text, aside.source), ("mine", Source::Edited));
        assert_eq!(
            cleared.kept(),
            Some(("".into(), Some("mine".into()))),
            "the browser keeps the cleared text as the one set aside"
        );
        let undone = reduce(cleared.clone(), Action::SwitchBack);
        assert_eq!((&*undone.input, undone.source), ("mine", Source::Edited));
        assert_eq!(undone.set_aside, None, "an empty text is not set aside");
        assert_eq!(undone.kept(), Some(("mine".into(), None)));
        // a reload after Clear shows the example, with the cleared text offered back
        let (input, aside) = cleared.kept().unwrap();
        let reopened = AppState::open(
            "",
            Kept {
                input: Some(input.to_string()),
                set_aside: aside.map(|a| a.to_string()),
                ..Kept::default()
            },
        );
        assert_eq!(&*reopened.input, EXAMPLE_UNIT);
        assert_eq!(reopened.set_aside.unwrap().text.as_ref(), "mine");
        // Forget it: now it is gone, on purpose
        let forgot = reduce(cleared, Action::ForgetSetAside);
        assert_eq!(forgot.kept(), Some(("".into(), None)));

        // a link's text over the user's: clearing it keeps the user's text set aside
        let s = reduce(s, Action::OpenFragment(fragment_for("theirs")));
        let s = reduce(s, Action::Clear);
        assert_eq!(s.set_aside.clone().unwrap().text.as_ref(), "mine");
        // a link's (or an example's) text alone: clearing it can be undone too
        let s = reduce(
            AppState::from_fragment(&fragment_for("theirs")),
            Action::Clear,
        );
        let aside = s.set_aside.clone().unwrap();
        assert_eq!((&*aside.text, aside.source), ("theirs", Source::Link));
        assert_eq!(
            s.kept(),
            Some(("".into(), None)),
            "a link's text is not kept"
        );
        assert_eq!(&*reduce(s, Action::SwitchBack).input, "theirs");
        // clearing an empty text changes nothing
        let empty = Rc::new(reduce(AppState::from_fragment(""), Action::Clear));
        assert!(Rc::ptr_eq(&empty, &empty.clone().reduce(Action::Clear)));
    }

    #[test]
    fn the_view_options_travel_with_the_link() {
        let s = reduce(
            AppState::from_fragment(""),
            Action::Edit("[Service]\n".into()),
        );
        let b = Breakdown {
            sort: Sort::Systemd,
            failing_only: true,
            group: false,
            table: true,
        };
        let s = reduce(s, Action::SetBreakdown(b));
        let s = reduce(
            s,
            Action::ToggleRow {
                row: "PrivateTmp".into(),
                open: true,
            },
        );
        let f = s.share_fragment();
        assert!(
            f.ends_with("&view=systemd,failing,table&row=PrivateTmp"),
            "{f}"
        );
        let opened = AppState::from_fragment(&f);
        assert_eq!(opened.breakdown, b);
        assert_eq!(opened.open_row.as_deref(), Some("PrivateTmp"));
        // opened in an open page too
        let other = reduce(AppState::from_fragment(""), Action::OpenFragment(f));
        assert_eq!(other.breakdown, b);
        assert_eq!(other.open_row.as_deref(), Some("PrivateTmp"));
        // closing another row keeps the open one; closing it forgets it
        let still = reduce(
            opened.clone(),
            Action::ToggleRow {
                row: "User".into(),
                open: false,
            },
        );
        assert_eq!(still.open_row.as_deref(), Some("PrivateTmp"));
        let closed = reduce(
            opened,
            Action::ToggleRow {
                row: "PrivateTmp".into(),
                open: false,
            },
        );
        assert_eq!(closed.open_row, None);
        assert!(!closed.share_fragment().contains("&row="));
        // an old link (no view parts) opens with the default view
        let old = AppState::from_fragment(&format!("{}&tier=strict", fragment_for("x")));
        assert_eq!((old.breakdown, old.open_row), (Breakdown::default(), None));
    }

    #[test]
    fn theme_cycles_and_maps_to_the_attribute() {
        let mut t = Theme::default();
        let mut seen = vec![];
        for _ in 0..3 {
            seen.push((t.label(), t.attr()));
            t = t.next();
        }
        assert_eq!(t, Theme::Auto);
        assert_eq!(
            seen,
            [
                ("auto", None),
                ("light", Some("light")),
                ("dark", Some("dark"))
            ]
        );
        let s = reduce(AppState::from_fragment(""), Action::SetTheme(Theme::Dark));
        assert_eq!(s.theme, Theme::Dark);
    }

    #[test]
    fn forcing_a_kind_and_going_back_to_detection() {
        let kind = crate::kinds::KINDS[0].0;
        let s = reduce(AppState::from_fragment(""), Action::ForceKind(Some(kind)));
        assert_eq!(s.kind, Some(kind));
        let s = reduce(s, Action::ForceKind(None));
        assert_eq!(s.kind, None);
    }

    #[test]
    fn the_version_is_chosen_remembered_and_carried_by_links() {
        let v = |s| Version::parse(s).unwrap();
        let s = AppState::from_fragment("");
        assert_eq!(s.version, Version::default());
        let s = reduce(s, Action::SetVersion(v("254")));
        assert_eq!(&*s.input, EXAMPLE_UNIT, "choosing a version keeps the text");
        let f = s.share_fragment();
        assert!(f.ends_with("&v=254"), "{f}");
        let opened = AppState::from_fragment(&f);
        assert_eq!(opened.version, v("254"));
        // The default version is not written; a link without one opens with the default,
        // whatever version this browser chose last.
        let plain = reduce(s.clone(), Action::SetVersion(Version::default()));
        assert!(!plain.share_fragment().contains("&v="));
        let remembered = Kept {
            version: Some("262".into()),
            ..Kept::default()
        };
        assert_eq!(
            AppState::open(&plain.share_fragment(), remembered.clone()).version,
            Version::default()
        );
        // Without a link, the version chosen last; an unknown one is skipped.
        assert_eq!(AppState::open("", remembered).version, v("262"));
        let bogus = Kept {
            version: Some("263".into()),
            ..Kept::default()
        };
        assert_eq!(AppState::open("", bogus).version, Version::default());
        let f = format!("{}&v=nope", fragment_for("x"));
        assert_eq!(AppState::from_fragment(&f).version, Version::default());
        // Opening a link in an open page takes its version.
        let s = reduce(
            s,
            Action::OpenFragment(format!("{}&v=debian-12", fragment_for("y"))),
        );
        assert_eq!(s.version, v("252"));
    }

    #[test]
    fn a_unit_name_is_given_kept_and_carried_by_links() {
        let s = AppState::from_fragment(&fragment_for("x"));
        assert_eq!(s.unit_name, None);
        let s = reduce(s, Action::NameUnit(" web@shop.service ".into()));
        assert_eq!(s.unit_name.as_deref(), Some("web@shop.service"));
        let f = s.share_fragment();
        assert!(f.ends_with("&name=web@shop.service"), "{f}");
        assert_eq!(
            AppState::from_fragment(&f).unit_name.as_deref(),
            Some("web@shop.service")
        );
        // Not a unit name: skipped.
        let bad = format!("{}&name=no%20such", fragment_for("x"));
        assert_eq!(AppState::from_fragment(&bad).unit_name, None);
        // Emptied, or another text: forgotten.
        assert_eq!(
            reduce(s.clone(), Action::NameUnit(String::new())).unit_name,
            None
        );
        assert_eq!(reduce(s, Action::LoadExample).unit_name, None);
    }
}
