//! Runs one command: library calls, then a view; decides the exit status
//! (0 found or done, 1 nothing found, 2 error). Its input is already checked:
//! the command line (`cli`) turns flags into the typed commands below.

mod export;
mod index;
mod panics;
mod search;
mod update;
mod views;

use std::io::{self, Write};
use std::path::PathBuf;

pub use export::{ExportCommand, ExportWhat};
pub use index::IndexCommand;
pub use search::{SearchCommand, ShowCommand};
pub use update::UpdateCommand;
pub use views::{KwicCommand, TrendCommand, TrendOutput};

use crate::extract::pdf::sandbox;
use crate::index::DossierIndex;
use crate::views::style::{ColorChoice, Style};

/// The exit statuses, as grep has them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Found = 0,
    NothingFound = 1,
    Error = 2,
}

/// What to run, and on which folders.
#[derive(Debug)]
pub struct Invocation {
    pub sources: PathBuf,
    pub index: PathBuf,
    /// A `sources.toml` kept elsewhere than in the sources folder.
    pub config: Option<PathBuf>,
    pub color: ColorChoice,
    pub command: Command,
}

#[derive(Debug)]
pub enum Command {
    Update(UpdateCommand),
    Index(IndexCommand),
    Search(SearchCommand),
    Show(ShowCommand),
    Kwic(KwicCommand),
    Trend(TrendCommand),
    Topics {
        json: bool,
    },
    Stats {
        json: bool,
        /// Check every file's checksum too.
        check: bool,
    },
    Export(ExportCommand),
    /// Read one PDF as a child process (see `extract::pdf::sandbox`).
    ReadPdf {
        memory_mb: u64,
    },
}

/// The folders a command works on, and how its output looks.
pub struct Context {
    pub sources: PathBuf,
    pub index: PathBuf,
    pub config: Option<PathBuf>,
    pub style: Style,
}

/// Writes a message to standard error with every control character but
/// newline and tab escaped (a message may quote any argument or file name),
/// and without panicking when standard error is closed.
pub fn report(message: &str) {
    // What was written to standard output before comes first, as it did
    // when standard output was written a line at a time.
    flush_piped_stdout();
    let escaped = crate::views::escape::text(message);
    let _ = io::stderr().lock().write_all(escaped.as_bytes());
}

pub fn run(invocation: Invocation) -> anyhow::Result<Status> {
    if let Command::ReadPdf { memory_mb } = invocation.command {
        sandbox::serve(memory_mb, io::stdin().lock(), io::stdout().lock())?;
        return Ok(Status::Found);
    }
    // PDFs are read in children of this program, each within a memory limit.
    if let Ok(program) = std::env::current_exe() {
        sandbox::enable(program);
    }
    let mut out = Output::for_stdout();
    let context = Context {
        sources: invocation.sources,
        index: invocation.index,
        config: invocation.config,
        style: Style::for_stdout(invocation.color),
    };
    let out: &mut dyn Write = &mut out;
    let status = match panics::catching(|| dispatch(&context, &invocation.command, out)) {
        Ok(status) => status?,
        Err(panic) => return Err(panics::after_panic(&context.index, panic).into()),
    };
    out.flush()?;
    Ok(status)
}

/// Standard output as ripgrep writes it: a line at a time on a terminal, so
/// that results appear as they come; in blocks when piped or redirected,
/// where a write per line was most of the time of a long listing (`kwic`
/// wrote its 28,736 lines in as many system calls). The block buffer is
/// the process's own, so that [`report`] can flush it before it writes to
/// standard error: notes and errors keep their place after the results
/// when both streams go to one pipe (`2>&1`).
enum Output {
    Terminal(io::StdoutLock<'static>),
    Piped,
}

static PIPED_STDOUT: std::sync::Mutex<Option<io::BufWriter<io::Stdout>>> =
    std::sync::Mutex::new(None);

/// Runs `write` on the block buffer of standard output.
fn with_piped_stdout<T>(
    write: impl FnOnce(&mut io::BufWriter<io::Stdout>) -> io::Result<T>,
) -> io::Result<T> {
    let mut buffer = PIPED_STDOUT
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    write(buffer.get_or_insert_with(|| io::BufWriter::with_capacity(64 * 1024, io::stdout())))
}

/// Writes out what the block buffer of standard output holds, if any.
fn flush_piped_stdout() {
    let mut buffer = PIPED_STDOUT
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    if let Some(buffer) = buffer.as_mut() {
        let _ = buffer.flush();
    }
}

impl Output {
    fn for_stdout() -> Self {
        use std::io::IsTerminal;
        let stdout = io::stdout();
        if stdout.is_terminal() {
            Output::Terminal(stdout.lock())
        } else {
            Output::Piped
        }
    }
}

/// A failed write to standard output says so (`search x > /dev/full` said
/// only "No space left on device"); a closed pipe stays as it is, which
/// `main` takes for success.
fn stdout_error(error: io::Error) -> io::Error {
    if error.kind() == io::ErrorKind::BrokenPipe {
        return error;
    }
    io::Error::new(error.kind(), crate::error::StdoutFailed(error))
}

impl Write for Output {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match self {
            Output::Terminal(out) => out.write(buf),
            Output::Piped => with_piped_stdout(|out| out.write(buf)),
        }
        .map_err(stdout_error)
    }

    fn write_all(&mut self, buf: &[u8]) -> io::Result<()> {
        match self {
            Output::Terminal(out) => out.write_all(buf),
            Output::Piped => with_piped_stdout(|out| out.write_all(buf)),
        }
        .map_err(stdout_error)
    }

    fn flush(&mut self) -> io::Result<()> {
        match self {
            Output::Terminal(out) => out.flush(),
            Output::Piped => with_piped_stdout(|out| out.flush()),
        }
        .map_err(stdout_error)
    }
}

fn dispatch(context: &Context, command: &Command, out: &mut dyn Write) -> anyhow::Result<Status> {
    Ok(match command {
        Command::Update(command) => update::run(context, command, out)?,
        Command::Index(command) => index::run(context, command, out)?,
        Command::Search(command) => search::run_search(context, command, out)?,
        Command::Show(command) => search::run_show(context, command, out)?,
        Command::Kwic(command) => views::run_kwic(context, command, out)?,
        Command::Trend(command) => views::run_trend(context, command, out)?,
        Command::Topics { json } => views::run_topics(context, *json, out)?,
        Command::Stats { json, check } => views::run_stats(context, *json, *check, out)?,
        Command::Export(command) => export::run(context, command, out)?,
        Command::ReadPdf { .. } => Status::Found,
    })
}

/// Notes on how a query was read, on standard error.
fn tell(notes: &[String]) {
    for note in notes {
        report(&format!("dossier: note: {note}\n"));
    }
}

/// When nothing matched: which filters were on, and, for a query read with
/// operators, how to search its words as typed.
fn explain_nothing(request: &crate::search::SearchRequest) {
    let mut filters = Vec::new();
    for source in &request.sources {
        filters.push(format!("--source {source}"));
    }
    for topic in &request.topics {
        filters.push(format!("--topic {topic}"));
    }
    for lang in &request.langs {
        filters.push(format!("--lang {lang}"));
    }
    if let Some(years) = &request.years {
        filters.push(format!("--year {years}"));
    }
    if !filters.is_empty() {
        report(&format!(
            "dossier: nothing matched with the filters {}\n",
            filters.join(" ")
        ));
    }
    // A filter field (`source:nato`) is no reason: --plain would drop it.
    let filter_field = |w: &str| {
        ["source:", "topic:", "year:", "lang:", "id:"]
            .iter()
            .any(|f| w.trim_start_matches(['-', '+', '(']).starts_with(f))
    };
    // Nor is `*`, every document: --plain would search no word.
    let operators = request.query.split_whitespace().any(|w| {
        if matches!(w, "*" | "*:*") {
            return false;
        }
        matches!(w, "AND" | "OR" | "NOT")
            || w.starts_with('-')
            || w.contains(['"', '(', ')', '*', '~', '“', '”', '«', '»'])
            || (w.contains(':') && !filter_field(w))
    });
    if !request.plain && operators {
        report(
            "dossier: the query was read with operators (quotes, parentheses, field:, *, ~, -, AND/OR/NOT); to search its words as typed, add --plain\n",
        );
    }
}

impl Context {
    /// Opens the index for reading; an empty one says how to fill it.
    fn open_filled_index(&self) -> anyhow::Result<DossierIndex> {
        self.open_filled_index_after(None)
    }

    /// [`Self::open_filled_index`], beside the term dictionaries a search
    /// has opened already (see `DossierIndex::open_after`).
    fn open_filled_index_after(
        &self,
        lexicon: Option<&crate::index::lexicon::Lexicon>,
    ) -> anyhow::Result<DossierIndex> {
        let index = DossierIndex::open_after(&self.index, lexicon)?;
        if index.reader()?.searcher().num_docs() == 0 {
            anyhow::bail!(
                "the index at {} is empty: put documents under {} and run `dossier index`",
                self.index.display(),
                self.sources.display()
            );
        }
        Ok(index)
    }
}

fn found(any: bool) -> Status {
    if any {
        Status::Found
    } else {
        Status::NothingFound
    }
}
