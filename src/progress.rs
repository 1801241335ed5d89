//! How long work reports its progress: to a sink the top passes in, never by
//! drawing. A refresh or a crawl says what it is doing (`begin`, `advance`,
//! `finish`); whoever called it decides whether that becomes a progress bar
//! on a terminal (`views::progress`), nothing (a pipe, `--quiet`, a test), or
//! something else. ripgrep's searcher reports to a `Sink` the same way, and
//! its printers render.

/// Receives the progress of one piece of long work at a time. Methods may be
/// called from several threads at once.
pub trait Progress: Sync {
    /// Work of `total` steps begins: `what` names it (`indexing`, a source
    /// id) and `unit` says what a step is (`files`, `pages at most`). A
    /// `total` of 0 is a step of unknown length (committing), `unit` then
    /// saying what it does.
    fn begin(&self, what: &str, total: u64, unit: &str);

    /// One step is done; `item` names it (a file id, an address).
    fn advance(&self, item: &str);

    /// The work begun last is over.
    fn finish(&self);
}

/// Progress nobody watches.
#[derive(Debug, Clone, Copy, Default)]
pub struct Silent;

impl Progress for Silent {
    fn begin(&self, _what: &str, _total: u64, _unit: &str) {}
    fn advance(&self, _item: &str) {}
    fn finish(&self) {}
}
