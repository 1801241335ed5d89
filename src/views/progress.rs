//! Progress drawn as a bar on standard error when it is a terminal; nothing
//! otherwise. The work itself only reports to [`crate::progress::Progress`].

use std::io::IsTerminal;
use std::sync::Mutex;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::progress::Progress;

/// A bar per piece of work, on a terminal.
pub struct ProgressBars {
    bar: Mutex<Option<ProgressBar>>,
    shown: bool,
}

impl ProgressBars {
    /// `wanted` is the caller's wish (not `--quiet`, not `--json`); bars
    /// show only when standard error is a terminal.
    pub fn new(wanted: bool) -> Self {
        ProgressBars {
            bar: Mutex::new(None),
            shown: wanted && std::io::stderr().is_terminal(),
        }
    }

    fn with_bar(&self, f: impl FnOnce(&mut Option<ProgressBar>)) {
        if self.shown {
            let mut bar = self.bar.lock().unwrap_or_else(|e| e.into_inner());
            f(&mut bar);
        }
    }
}

impl Progress for ProgressBars {
    fn begin(&self, what: &str, total: u64, unit: &str) {
        self.with_bar(|slot| {
            if let Some(old) = slot.take() {
                old.finish_and_clear();
            }
            let what = super::escape::one_line(what).replace(['{', '}'], "");
            if total == 0 {
                // A step of unknown length (committing): a spinner says it
                // is under way, rather than a blank screen for seconds.
                let spinner = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
                let style = ProgressStyle::with_template(&format!("{{spinner}} {what} {unit}"))
                    .unwrap_or_else(|_| ProgressStyle::default_spinner());
                spinner.set_style(style);
                spinner.enable_steady_tick(Duration::from_millis(120));
                *slot = Some(spinner);
                return;
            }
            let bar = ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::stderr());
            // A source id is a folder's name: it may hold anything. Braces
            // would be read as the template's own.
            let style = ProgressStyle::with_template(&format!(
                "{what} {{bar:30}} {{pos}}/{{len}} {unit} ({{eta}} left) {{wide_msg}}"
            ))
            .unwrap_or_else(|_| ProgressStyle::default_bar());
            bar.set_style(style);
            bar.enable_steady_tick(Duration::from_millis(200));
            *slot = Some(bar);
        });
    }

    fn advance(&self, item: &str) {
        self.with_bar(|slot| {
            if let Some(bar) = slot {
                bar.inc(1);
                bar.set_message(super::escape::one_line(item).into_owned());
            }
        });
    }

    fn finish(&self) {
        self.with_bar(|slot| {
            if let Some(bar) = slot.take() {
                bar.finish_and_clear();
            }
        });
    }
}
