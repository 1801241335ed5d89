//! A progress bar on standard error when it is a terminal; nothing otherwise.

use std::io::IsTerminal;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

pub struct Progress {
    bar: Option<ProgressBar>,
}

impl Progress {
    /// `wanted` is the caller's wish; the bar shows only on a terminal.
    pub fn new(wanted: bool, total: u64, what: &str) -> Self {
        Self::with_unit(wanted, total, what, "files")
    }

    /// A crawl's bar: requests out of the source's page cap.
    pub fn pages(wanted: bool, total: u64, what: &str) -> Self {
        Self::with_unit(wanted, total, what, "pages at most")
    }

    fn with_unit(wanted: bool, total: u64, what: &str, unit: &str) -> Self {
        if !wanted || !std::io::stderr().is_terminal() || total == 0 {
            return Progress { bar: None };
        }
        let bar = ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::stderr());
        let style = ProgressStyle::with_template(&format!(
            "{what} {{bar:30}} {{pos}}/{{len}} {unit} ({{eta}} left) {{wide_msg}}"
        ))
        .unwrap_or_else(|_| ProgressStyle::default_bar());
        bar.set_style(style);
        bar.enable_steady_tick(Duration::from_millis(200));
        Progress { bar: Some(bar) }
    }

    pub fn advance(&self, item: &str) {
        if let Some(bar) = &self.bar {
            bar.inc(1);
            bar.set_message(item.to_string());
        }
    }

    pub fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}
