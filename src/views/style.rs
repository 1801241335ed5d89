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
        let mut out = String::new();
        self.push_paint(&mut out, code, text);
        out
    }

    /// [`Self::paint`], appended to `out`: a view that prints thousands of
    /// lines builds each in one reused buffer.
    fn push_paint(&self, out: &mut String, code: &str, text: &str) {
        let text = super::escape::text(text);
        if self.color {
            out.push_str("\x1b[");
            out.push_str(code);
            out.push('m');
            out.push_str(&text);
            out.push_str("\x1b[0m");
        } else {
            out.push_str(&text);
        }
    }

    /// [`Self::dim`], appended to `out`.
    pub fn push_dim(&self, out: &mut String, text: &str) {
        self.push_paint(out, "2", text)
    }

    /// [`Self::highlight`], appended to `out`.
    pub fn push_highlight(&self, out: &mut String, text: &str) {
        if self.color {
            self.push_paint(out, "1;31", text)
        } else {
            out.push_str("**");
            out.push_str(&super::escape::text(text));
            out.push_str("**");
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
        let mut out = String::new();
        self.push_highlight(&mut out, text);
        out
    }
}
