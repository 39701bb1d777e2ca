//! Exposure's single-page app: paste a systemd unit, see the exposure score that
//! `systemd-analyze security` would give it, computed by `exposure-core` in the browser.
//!
//! * [`state`]: the page state as a pure reducer (tested natively);
//! * [`view`]: pure helpers that turn core's report into what the page shows;
//! * [`files`]: dropped or picked files laid out as one text, like `systemctl cat`;
//! * [`steps`]: large texts analyzed a few units per browser task;
//! * [`app`]: the page's one Yew component, with [`hooks`] for what it derives from the
//!   state and plain view functions in [`views`];
//! * [`dom`]: the few places that touch the browser (URL fragment, theme attribute, local
//!   storage).

pub mod app;
pub mod bench;
pub mod dom;
pub mod example;
pub mod files;
pub mod hooks;
pub mod kinds;
pub mod state;
pub mod steps;
pub mod strip;
pub mod suggest;
pub mod text;
pub mod trial;
pub mod view;
pub mod views;

pub use app::App;
