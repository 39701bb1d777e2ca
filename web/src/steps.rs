//! Large texts analyzed a bounded amount of work per task, so the page answers input while it
//! works.
//!
//! [`Job`] drives an [`exposure_core::stepwise::Stepwise`] one browser task after another (a
//! zero-delay timeout each), about [`CHUNK_BYTES`] of text per task — a few small units, or a
//! slice of one large unit's lines or entries — and reports progress and the result through
//! callbacks. Planning the work and numbering the text's lines get tasks of their own. A job
//! whose text was replaced stops at its next task (the generation counter moved on).

use std::cell::Cell;
use std::rc::Rc;

use exposure_core::stepwise::Stepwise;
use exposure_core::{Analysis, Options};
use yew::Callback;

use crate::text::Text;
use crate::view::Lines;

/// About this much text is analyzed per task: ~20 to 40 ms in the page's WebAssembly.
pub const CHUNK_BYTES: usize = 128 << 10;

/// The result of a job: the text it is for, its analysis and its lines.
#[derive(Debug, Clone, PartialEq)]
pub struct Finished {
    pub text: Text,
    pub opts_kind: Option<exposure_core::InputKind>,
    pub opts_version: exposure_core::Version,
    pub opts_unit_name: Option<String>,
    pub analysis: Rc<Analysis>,
    pub lines: Rc<Lines>,
}

/// One large text being analyzed.
pub struct Job {
    pub text: Text,
    pub opts: Options,
    /// This job's generation; the job stops when `current` no longer equals it.
    pub generation: u64,
    pub current: Rc<Cell<u64>>,
    /// `(units done, units in all)` after each task but the last.
    pub on_progress: Callback<(usize, usize)>,
    pub on_done: Callback<Finished>,
    lines: Option<Rc<Lines>>,
    work: Option<Stepwise>,
}

impl Job {
    pub fn new(
        text: Text,
        opts: Options,
        current: Rc<Cell<u64>>,
        on_progress: Callback<(usize, usize)>,
        on_done: Callback<Finished>,
    ) -> Job {
        Job {
            text,
            opts,
            generation: current.get(),
            current,
            on_progress,
            on_done,
            lines: None,
            work: None,
        }
    }

    /// Runs the next part in a task of its own.
    pub fn schedule(self) {
        gloo::timers::callback::Timeout::new(0, move || self.run()).forget();
    }

    fn run(mut self) {
        if self.current.get() != self.generation {
            return; // the text changed: a newer job has the page
        }
        // The text's lines as the page numbers them (a pass over the text), then the plan of
        // the work (another): each a task of its own.
        if self.lines.is_none() {
            self.lines = Some(Rc::new(Lines::new(&self.text)));
            return self.schedule();
        }
        let Some(work) = &mut self.work else {
            self.work = Some(Stepwise::new(&self.text, &self.opts));
            return self.schedule();
        };
        match work.step(&self.text, CHUNK_BYTES) {
            None => {
                self.on_progress.emit(work.progress());
                self.schedule();
            }
            Some(analysis) => {
                // Showing the result is a task of its own too (rendering thousands of units is
                // work of its own).
                let done = Finished {
                    text: self.text.clone(),
                    opts_kind: self.opts.kind,
                    opts_version: self.opts.version,
                    opts_unit_name: self.opts.unit_name.clone(),
                    analysis: Rc::new(analysis),
                    lines: self.lines.take().unwrap_or_else(|| Rc::new(Lines::new(""))),
                };
                let on_done = self.on_done.clone();
                gloo::timers::callback::Timeout::new(0, move || on_done.emit(done)).forget();
            }
        }
    }
}
