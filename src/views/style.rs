//! Colours only on a terminal, never when `NO_COLOR` is set or the output is
//! piped (unless asked for with `--color always`).

use std::io::IsTerminal;

/// When to colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ColorChoice {
    /// Colour when writing to a terminal and NO_COLOR is not set.
    #[default]
    Auto,
    Always,
    Never,
}

#[derive(Debug, Clone, Copy)]
pub struct Style {
    pub color: bool,
    /// Columns to fit: the terminal's (or `COLUMNS`); `None` when piped,
    /// where output is stable whatever the terminal.
    pub width: Option<usize>,
}

/// Lines are never fitted narrower than this.
const MIN_WIDTH: usize = 40;

impl Style {
    pub fn for_stdout(choice: ColorChoice) -> Self {
        let terminal = std::io::stdout().is_terminal();
        let color = match choice {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => {
                std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()) && terminal
            }
        };
        let columns = std::env::var("COLUMNS")
            .ok()
            .and_then(|c| c.trim().parse::<usize>().ok())
            .filter(|c| *c > 0);
        let width = columns
            .or_else(|| {
                terminal
                    .then(terminal_size::terminal_size)
                    .flatten()
                    .map(|(w, _)| usize::from(w.0))
            })
            .map(|w| w.max(MIN_WIDTH));
        Style { color, width }
    }

    pub fn plain() -> Self {
        Style {
            color: false,
            width: None,
        }
    }

    /// `text` in a colour; its own control characters are escaped first,
    /// so that only dossier's colour codes reach the terminal.
    fn paint(&self, code: &str, text: &str) -> String {
        let text = super::escape::text(text);
        if self.color {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.into_owned()
        }
    }

    pub fn title(&self, text: &str) -> String {
        self.paint("1", text)
    }

    pub fn dim(&self, text: &str) -> String {
        self.paint("2", text)
    }

    pub fn label(&self, text: &str) -> String {
        self.paint("36", text)
    }

    /// A matched word in a snippet: coloured on a terminal, `**marked**` in plain
    /// text, so that a pipe still shows what matched.
    pub fn highlight(&self, text: &str) -> String {
        if self.color {
            self.paint("1;31", text)
        } else {
            format!("**{}**", super::escape::text(text))
        }
    }
}
