//! A paste analyzed a bounded amount of work at a time, for a caller that must not block for
//! long: the page keeps every browser task short whatever was pasted, one unit of 15 MiB
//! included.
//!
//! [`Stepwise::new`] plans the work (which units, which files; one pass over the text), then
//! each [`Stepwise::step`] does about `budget` bytes of it: several small units at once, or a
//! slice of a large one's lines (parsing) or entries (loading). The last step returns exactly
//! what [`crate::analyze`] returns for the same text and options (a test holds it on every
//! corpus unit and on generated pastes, with budgets down to one byte).

use crate::input::InputKind;
use crate::load::Staged;
use crate::syntax::{self, FileParser};
use crate::unit::UnitName;
use crate::{
    Analysis, Diagnostic, FileInput, MAX_INPUT_BYTES, Options, analyze_files, analyze_part,
    for_version, loaded_unit, paste_units, push, report, unit_name,
};
use crate::{online, show};

/// The fixed work of a unit (scoring its checks, making its rows), counted as this many bytes:
/// a small unit takes about 30 µs natively, as long as parsing and loading 512 bytes of text.
const UNIT_COST: usize = 512;

/// One file of a unit: where it is in the paste.
#[derive(Debug, Clone)]
struct FilePlan {
    path: Option<String>,
    offset: usize,
    len: usize,
    line_base: u32,
}

impl FilePlan {
    /// The file's text in the paste.
    fn body<'t>(&self, text: &'t str) -> &'t str {
        &text[self.offset..self.offset + self.len]
    }

    fn input<'t>(&'t self, text: &'t str) -> FileInput<'t> {
        FileInput {
            path: self.path.as_deref(),
            text: self.body(text),
            offset: self.offset,
            line_base: self.line_base,
        }
    }

    /// A parser of this file, for a unit with these sections, before its first line.
    fn parser(&self, text: &str, sections: &'static [&'static str]) -> Box<FileParser<'static>> {
        let origin = syntax::Origin {
            offset: self.offset,
            line_base: self.line_base,
        };
        Box::new(FileParser::new(
            self.body(text),
            self.path.as_deref(),
            origin,
            Some(sections),
        ))
    }
}

/// One unit of a unit-file or `systemctl cat` paste.
#[derive(Debug, Clone)]
struct UnitPlan {
    name: String,
    files: Vec<FilePlan>,
}

impl UnitPlan {
    fn len(&self) -> usize {
        self.files.iter().map(|f| f.len).sum()
    }
}

/// One unit of a `systemctl show` paste: where its properties are in the paste (a step reads
/// them there again rather than parsing the whole paste), and its diagnostics.
struct ShowPlan {
    properties: Vec<(std::ops::Range<usize>, std::ops::Range<usize>, crate::Span)>,
    diagnostics: Vec<Diagnostic>,
    /// Bytes from its first property to its last.
    len: usize,
}

impl ShowPlan {
    fn of(text: &str, unit: &show::ShowUnit<'_>) -> ShowPlan {
        // Every name and value is a slice of `text`: its place is its distance from the start.
        let at = |part: &str| {
            let start = part.as_ptr() as usize - text.as_ptr() as usize;
            start..start + part.len()
        };
        let properties: Vec<_> = unit
            .properties
            .iter()
            .map(|p| (at(p.name), at(p.value), p.span))
            .collect();
        let len = match (unit.properties.first(), unit.properties.last()) {
            (Some(a), Some(b)) => (b.span.end - a.span.start) as usize,
            _ => 0,
        };
        ShowPlan {
            properties,
            diagnostics: unit.diagnostics.clone(),
            len,
        }
    }

    fn unit<'t>(&self, text: &'t str) -> show::ShowUnit<'t> {
        show::ShowUnit::new(
            self.properties
                .iter()
                .map(|(name, value, span)| show::Property {
                    name: &text[name.clone()],
                    value: &text[value.clone()],
                    span: *span,
                })
                .collect(),
            self.diagnostics.clone(),
        )
    }
}

/// A unit too large for one step, part way through.
enum Large {
    /// Parsing file `files.len()`, a slice of lines at a time.
    Parse {
        name: UnitName,
        files: Vec<syntax::File>,
        parser: Box<FileParser<'static>>,
    },
    /// Loading file `file`, whose first `done` entries are read.
    Load {
        name: UnitName,
        files: Vec<syntax::File>,
        staged: Box<Staged>,
        file: usize,
        done: usize,
    },
}

/// Every unit of a paste, analyzed in steps.
pub struct Stepwise {
    opts: Options,
    kind: InputKind,
    /// The units of a unit-file or `systemctl cat` paste; `None` for a `systemctl show`
    /// paste (see `show`) or one too large to analyze (refused by the first step).
    plan: Option<Vec<UnitPlan>>,
    /// The units of a `systemctl show` paste, parsed once, and the name a unit without `Id=`
    /// is assessed under.
    show: Option<(Vec<ShowPlan>, String)>,
    /// Units in the paste, and how many are done.
    total: usize,
    next: usize,
    large: Option<Large>,
    acc: Analysis,
}

impl Stepwise {
    /// Plans the analysis of `text` (a pass over it, about as long as [`unit_count`]).
    pub fn new(text: &str, opts: &Options) -> Stepwise {
        let mut job = Stepwise {
            opts: opts.clone(),
            kind: InputKind::UnitFile,
            plan: None,
            show: None,
            total: 0,
            next: 0,
            large: None,
            acc: empty(InputKind::UnitFile),
        };
        if text.len() > MAX_INPUT_BYTES {
            // Refused at once, by the first (and only) step; the kind is told from the start.
            let head = &text[..text.floor_char_boundary(64 << 10)];
            job.kind = opts.kind.unwrap_or_else(|| crate::input::detect(head));
            job.acc = empty(job.kind);
            return job;
        }
        job.kind = opts.kind.unwrap_or_else(|| crate::input::detect(text));
        job.acc = empty(job.kind);
        if job.kind == InputKind::SystemctlShow {
            let mut parsed = show::parse(text);
            job.acc.diagnostics = online::input_diagnostics(&mut parsed);
            let units: Vec<ShowPlan> = parsed.units.iter().map(|u| ShowPlan::of(text, u)).collect();
            job.total = units.len();
            job.show = Some((units, online::fallback_name(opts)));
            return job;
        }
        let (units, outside) = paste_units(text, job.kind, opts);
        job.acc.diagnostics.extend(outside);
        job.total = units.len();
        job.plan = Some(
            units
                .into_iter()
                .map(|(name, files)| UnitPlan {
                    name,
                    files: files
                        .iter()
                        .map(|f| FilePlan {
                            path: f.path.map(str::to_owned),
                            offset: f.offset,
                            len: f.text.len(),
                            line_base: f.line_base,
                        })
                        .collect(),
                })
                .collect(),
        );
        job
    }

    /// The kind of paste, as detected or forced.
    pub fn kind(&self) -> InputKind {
        self.kind
    }

    /// `(units done, units in all)`.
    pub fn progress(&self) -> (usize, usize) {
        (self.next, self.total)
    }

    /// Does about `budget` bytes of the work on `text` (the text given to [`Stepwise::new`]).
    /// Returns the analysis once everything is done, and `None` until then.
    pub fn step(&mut self, text: &str, budget: usize) -> Option<Analysis> {
        let budget = budget.max(1);
        if let Some((units, fallback)) = &self.show {
            let mut left = budget;
            while left > 0
                && let Some(plan) = units.get(self.next)
            {
                let u = plan.unit(text);
                push(&mut self.acc, online::unit_report(&u, fallback, &self.opts));
                self.next += 1;
                left = left.saturating_sub(plan.len.max(UNIT_COST));
            }
            return (self.next >= self.total)
                .then(|| std::mem::replace(&mut self.acc, empty(self.kind)));
        }
        let Some(plan) = self.plan.take() else {
            // A paste too large to analyze: refused at once.
            return Some(analyze_part(text, &self.opts, 0..0));
        };
        let mut left = budget;
        while left > 0 {
            if let Some(large) = self.large.take() {
                match self.large_step(&plan[self.next], large, text, &mut left) {
                    Some(still) => self.large = Some(still),
                    None => self.next += 1,
                }
                continue;
            }
            let Some(unit) = plan.get(self.next) else {
                break;
            };
            // Besides its text, each unit costs a fixed amount (its checks, scores and rows):
            // about as much as this many bytes of text.
            let len = unit.len().max(UNIT_COST);
            if len <= left {
                let files: Vec<FileInput<'_>> = unit.files.iter().map(|f| f.input(text)).collect();
                push(&mut self.acc, analyze_files(&unit.name, &files, &self.opts));
                self.next += 1;
                left = left.saturating_sub(len);
            } else if left < budget {
                break; // a large unit starts a step of its own
            } else {
                match unit_name(&unit.name, self.opts.version) {
                    Err(d) => {
                        self.refuse(d);
                        self.next += 1;
                    }
                    Ok(parsed) => {
                        let name = parsed.assessed_as(self.opts.version.profile().instance);
                        let first = &unit.files[0];
                        let parser = first.parser(text, parsed.kind.sections());
                        self.large = Some(Large::Parse {
                            name,
                            files: Vec::new(),
                            parser,
                        });
                        left = left.saturating_sub(first.len.min(left) / 4);
                    }
                }
            }
        }
        self.plan = Some(plan);
        (self.next >= self.total && self.large.is_none())
            .then(|| std::mem::replace(&mut self.acc, empty(self.kind)))
    }

    fn refuse(&mut self, d: Diagnostic) {
        push(&mut self.acc, Err(d));
    }

    /// Works on the large unit; returns it while it is not done (then `left` is spent), and
    /// `None` once its report (or refusal) is in the analysis.
    fn large_step(
        &mut self,
        unit: &UnitPlan,
        large: Large,
        text: &str,
        left: &mut usize,
    ) -> Option<Large> {
        match large {
            Large::Parse {
                name,
                mut files,
                mut parser,
            } => {
                let plan = &unit.files[files.len()];
                let body = plan.body(text);
                let lines = (*left / parser.average_line(body)).max(1);
                if parser.run(body, lines) {
                    *left = 0;
                    return Some(Large::Parse {
                        name,
                        files,
                        parser,
                    });
                }
                *left = left.saturating_sub(1);
                files.push(for_version(parser.finish(body), self.opts.version));
                match unit.files.get(files.len()) {
                    Some(next) => {
                        let parser = next.parser(text, name.kind.sections());
                        Some(Large::Parse {
                            name,
                            files,
                            parser,
                        })
                    }
                    None => {
                        let mut staged = Staged::new(&name, self.opts.version);
                        if self.opts.user {
                            staged = staged.in_user_manager();
                        }
                        let mut staged = Box::new(staged);
                        staged.begin_file_taking(&mut files[0]);
                        Some(Large::Load {
                            name,
                            files,
                            staged,
                            file: 0,
                            done: 0,
                        })
                    }
                }
            }
            Large::Load {
                name,
                mut files,
                mut staged,
                mut file,
                mut done,
            } => {
                let count = entries_for(&files[file], done, *left);
                match staged.entries_from(&files[file], done, count) {
                    Some(read) => {
                        *left = 0;
                        return Some(Large::Load {
                            name,
                            files,
                            staged,
                            file,
                            done: read,
                        });
                    }
                    None => {
                        *left = left.saturating_sub(1);
                        staged.end_file(&files[file]);
                    }
                }
                file += 1;
                done = 0;
                if let Some(f) = files.get_mut(file) {
                    staged.begin_file_taking(f);
                    return Some(Large::Load {
                        name,
                        files,
                        staged,
                        file,
                        done,
                    });
                }
                let masked = files.first().is_some_and(|f| f.empty);
                let unit = loaded_unit(name, staged.finish(), masked);
                let r = report(unit.name, unit.loaded, &self.opts);
                push(&mut self.acc, r);
                *left = 0;
                None
            }
        }
    }
}

fn empty(kind: InputKind) -> Analysis {
    Analysis {
        kind,
        units: Vec::new(),
        diagnostics: Vec::new(),
    }
}

/// How many entries after the first `done` make about `budget` bytes of the file.
fn entries_for(file: &syntax::File, done: usize, budget: usize) -> usize {
    let mut bytes = 0usize;
    let mut n = 0usize;
    for e in file.entries.iter().skip(done) {
        bytes += (e.span.end - e.span.start) as usize + 1;
        n += 1;
        if bytes >= budget {
            break;
        }
    }
    n.max(1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analyze;

    /// Runs a stepwise analysis to its end with `budget` bytes a step.
    fn stepped(text: &str, opts: &Options, budget: usize) -> (Analysis, usize) {
        let mut job = Stepwise::new(text, opts);
        for steps in 1.. {
            if let Some(done) = job.step(text, budget) {
                return (done, steps);
            }
            assert!(steps < 10_000_000, "no end");
        }
        unreachable!()
    }

    fn texts() -> Vec<String> {
        let mut out: Vec<String> = [
            // unit files: continuations (with comments inside), a BOM, unknown keys, a key in
            // the wrong section, a fatal line, an invalid section header, an empty file
            "\u{feff}[Unit]\nDescription=a \\\n# inside\n  b\n[Service]\nExecStart=/x \\\n  --flag\nBogus=1\nUser=nobody\nProtectSystem=strict\n[Install]\nPrivateTmp=yes\n",
            "[Service]\nExecStart=/x\nx\n[Bad\nPrivateTmp=yes\n",
            "[Service]\nExecStart=/x\nCapabilityBoundingSet=CAP_NET_ADMIN\nCapabilityBoundingSet=~CAP_SYS_ADMIN\nSystemCallFilter=@system-service\nSystemCallFilter=~@mount\nRestrictAddressFamilies=AF_INET\n",
            "[Service]\nExecStart=/x\nA=b\\",
            "",
            "garbage",
            // systemctl cat: text before the first header, drop-ins, a drop-in with a fatal
            // header, a template, a header without a unit name, a socket, a unit without
            // ExecStart
            "stray text\n# /lib/systemd/system/a.service\n[Service]\nExecStart=/x\nBogus=1\n\
             # /etc/systemd/system/a.service.d/o.conf\n[Service]\nPrivateTmp=yes\n[Broken\nUser=x\n\
             # /etc/systemd/system/a.service.d/p.conf\n[Service]\nProtectHome=yes\n\
             # /lib/systemd/system/not-a-name\n[Service]\nExecStart=/y\n\
             # /lib/systemd/system/b@.service\n[Service]\nExecStart=/z %i\nUser=%i\n\
             # /lib/systemd/system/c.socket\n[Socket]\nListenStream=80\n\
             # /lib/systemd/system/d.service\n[Service]\n",
            // systemctl show
            "Id=a.service\nLoadState=loaded\nType=simple\nPrivateTmp=yes\n\n\
             Id=b.service\nLoadState=loaded\nUser=nobody\nbroken line\n\n\
             Id=c.service\nLoadState=masked\n\nId=d.service\nLoadState=loaded\n",
        ]
        .into_iter()
        .map(str::to_owned)
        .collect();
        // systemctl show: units pasted without the empty line between them, a property
        // printed twice, lines that are no property inside a unit and between units, a BOM
        let mut show = String::from("\u{feff}Id=a.service\nType=simple\nId=b.service\nUser=x\n\n");
        for i in 0..400 {
            show.push_str(&format!(
                "Id=u{i}.service\nLoadState=loaded\nPrivateTmp={}\nPrivateTmp=no\nnot a property {i}\nDeviceAllow=/dev/null rw\nDeviceAllow=/dev/zero r\n\ngarbage between units\n\n",
                i % 2
            ));
        }
        out.push(show);
        // a large unit of unknown keys and invalid lines, and many small units
        let mut big = String::from("[Service]\nExecStart=/x\n");
        for i in 0..3000 {
            big.push_str(&format!(
                "Unknown{}=v\nline without equals {i}\nPrivateTmp={}\n",
                i % 7,
                i % 2
            ));
        }
        out.push(big.clone());
        let mut many = String::new();
        for i in 0..300 {
            many.push_str(&format!(
                "# /etc/systemd/system/u{i}.service\n[Service]\nExecStart=/x\nUser=u{i}\n"
            ));
        }
        many.push_str("# /etc/systemd/system/huge.service\n");
        many.push_str(&big);
        many.push_str("# /etc/systemd/system/huge.service.d/x.conf\n");
        many.push_str(&big);
        out.push(many);
        out.push("#".repeat(MAX_INPUT_BYTES + 1));
        out
    }

    #[test]
    fn in_steps_of_any_size_the_result_is_analyze_s() {
        let opts = Options::default();
        for text in texts() {
            let whole = analyze(&text, &opts);
            let budgets: &[usize] = if text.len() > 1 << 20 {
                &[1 << 20]
            } else {
                &[1, 7, 64, 1000, 4096, 1 << 20, usize::MAX]
            };
            for &budget in budgets {
                let (got, _) = stepped(&text, &opts, budget);
                assert_eq!(
                    got,
                    whole,
                    "{:?}… in steps of {budget}",
                    &text[..text.len().min(60)]
                );
            }
        }
    }

    #[test]
    fn a_large_unit_takes_many_steps_and_each_is_bounded() {
        let text = texts()
            .into_iter()
            .find(|t| t.starts_with("[Service]\nExecStart=/x\nUnknown"))
            .unwrap();
        let (_, steps) = stepped(&text, &Options::default(), 4096);
        // parsing and loading, each in slices of about 4 KiB
        assert!(
            steps >= 2 * text.len() / 4096 / 2,
            "{steps} steps for {} bytes",
            text.len()
        );
        let (_, steps) = stepped(&text, &Options::default(), usize::MAX);
        assert!(steps <= 3, "{steps}");
    }

    #[test]
    fn forced_kinds_and_progress() {
        let text = "[Service]\nExecStart=/x\n";
        for kind in [
            InputKind::UnitFile,
            InputKind::SystemctlCat,
            InputKind::SystemctlShow,
        ] {
            let opts = Options {
                kind: Some(kind),
                ..Options::default()
            };
            let mut job = Stepwise::new(text, &opts);
            assert_eq!(job.kind(), kind);
            assert_eq!(job.progress().0, 0);
            let (got, _) = stepped(text, &opts, 3);
            assert_eq!(got, analyze(text, &opts), "{kind:?}");
            while job.step(text, 3).is_none() {}
            assert_eq!(job.progress().0, job.progress().1);
        }
    }
}
