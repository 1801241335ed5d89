//! Output: what a person reads on a terminal, what a pipe gets (plain, stable
//! text), and what a script gets (`--json`). Views turn the library's data
//! into text, JSON, CSV and SVG; they never search, count or index.

pub mod cite;
pub mod escape;
pub mod json;
pub mod kwic;
pub mod progress;
pub mod stats;
pub mod style;
pub mod terminal;
pub mod topics;
pub mod trend;
pub mod update;
