//! Large texts analyzed a few units per task, so the page answers input while it works.
//!
//! `exposure_core::analyze_part` analyzes some units of a paste; appending the parts of
//! consecutive ranges gives exactly `analyze`'s result. [`Job`] runs those parts one browser
//! task after another (a zero-delay timeout each), about [`CHUNK_BYTES`] of text per task,
//! and reports progress and the result through callbacks. A job whose text was replaced stops
//! at its next task (the generation counter moved on).

use std::cell::Cell;
use std::rc::Rc;

use exposure_core::{Analysis, Options, analyze_part, unit_count};
use yew::Callback;

/// About this much text is analyzed per task: ~20 to 40 ms in the page's WebAssembly.
pub const CHUNK_BYTES: usize = 128 << 10;

/// How many units to analyze per task, for `total` units in `len` bytes of text.
pub fn units_per_task(len: usize, total: usize) -> usize {
    if len == 0 || total == 0 {
        return 1;
    }
    ((total as u128 * CHUNK_BYTES as u128 / len as u128) as usize).max(1)
}

/// The result of a job: the text it is for, and its analysis.
#[derive(Debug, Clone, PartialEq)]
pub struct Finished {
    pub text: Rc<str>,
    pub opts_kind: Option<exposure_core::InputKind>,
    pub opts_version: exposure_core::Version,
    pub opts_unit_name: Option<String>,
    pub analysis: Rc<Analysis>,
}

/// One large text being analyzed.
pub struct Job {
    pub text: Rc<str>,
    pub opts: Options,
    /// This job's generation; the job stops when `current` no longer equals it.
    pub generation: u64,
    pub current: Rc<Cell<u64>>,
    /// `(units done, units in all)` after each task but the last.
    pub on_progress: Callback<(usize, usize)>,
    pub on_done: Callback<Finished>,
    total: Option<usize>,
    next: usize,
    acc: Option<Analysis>,
}

impl Job {
    pub fn new(
        text: Rc<str>,
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
            total: None,
            next: 0,
            acc: None,
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
        // Counting the units is a pass over the text: it gets a task of its own.
        let Some(total) = self.total else {
            self.total = Some(unit_count(&self.text, &self.opts));
            return self.schedule();
        };
        let end = self.next + units_per_task(self.text.len(), total);
        let part = analyze_part(&self.text, &self.opts, self.next..end);
        match &mut self.acc {
            Some(all) => all.append(part),
            None => self.acc = Some(part),
        }
        self.next = end;
        if self.next >= total {
            // At least one part ran, so there is an analysis (the first carries the
            // input-wide diagnostics even when the text holds no unit).
            let Some(analysis) = self.acc.take() else {
                return;
            };
            // Showing the result is a task of its own too (rendering thousands of units is
            // work of its own).
            let done = Finished {
                text: self.text.clone(),
                opts_kind: self.opts.kind,
                opts_version: self.opts.version,
                opts_unit_name: self.opts.unit_name.clone(),
                analysis: Rc::new(analysis),
            };
            let on_done = self.on_done.clone();
            gloo::timers::callback::Timeout::new(0, move || on_done.emit(done)).forget();
        } else {
            self.on_progress.emit((self.next, total));
            self.schedule();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parts_cover_the_text_in_about_chunk_sized_steps() {
        assert_eq!(units_per_task(0, 0), 1);
        assert_eq!(units_per_task(10, 0), 1);
        // 10 MiB in 5000 units: ~2 KiB a unit, ~62 units per task.
        assert_eq!(units_per_task(10 << 20, 5000), 62);
        // One huge unit: one unit per task.
        assert_eq!(units_per_task(10 << 20, 1), 1);
    }

    #[test]
    fn appended_parts_equal_the_whole() {
        let text = "# /a/x.service\n[Service]\nExecStart=/x\n# /a/y.service\n[Service]\nBad=1\n# /a/z.service\n[Service]\nExecStart=/z\n";
        let opts = Options::default();
        let n = unit_count(text, &opts);
        assert_eq!(n, 3);
        let mut all = analyze_part(text, &opts, 0..1);
        for i in 1..n {
            all.append(analyze_part(text, &opts, i..i + 1));
        }
        assert_eq!(all, exposure_core::analyze(text, &opts));
    }
}
