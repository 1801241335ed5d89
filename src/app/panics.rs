//! A panic is never the answer a user gets. tantivy panics on some damaged
//! index files (a corrupted fast field: six random corruptions of six), and
//! a bug anywhere would print a backtrace and exit 101. So a command runs
//! with its panics caught: the index is then checked (tantivy writes a
//! checksum at the end of each file), and the user reads either "the index
//! is damaged: rebuild it" or "an internal error, please report it", with
//! exit status 2.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::Path;
use std::sync::{Mutex, Once};

use crate::Error;
use crate::index::damaged_files;

/// The last panic's message and place, as the hook saw it.
static LAST_PANIC: Mutex<Option<String>> = Mutex::new(None);

/// Runs `f`; a panic becomes its message (and where it happened).
pub fn catching<T>(f: impl FnOnce() -> T) -> Result<T, String> {
    install_quiet_hook();
    catch_unwind(AssertUnwindSafe(f)).map_err(|_| {
        LAST_PANIC
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .take()
            .unwrap_or_else(|| "a panic".to_string())
    })
}

/// What to tell the user after a panic: a damaged index if its files fail
/// their checksums, else an internal error.
pub fn after_panic(index: &Path, message: String) -> Error {
    match damaged_files(index) {
        Some(files) if !files.is_empty() => {
            Error::damaged(index, format!("{} failed its checksum", files.join(", ")))
        }
        _ => Error::Internal(format!(
            "{message}; if the index is at fault, `dossier index --rebuild` rebuilds it"
        )),
    }
}

/// Panics are recorded, not printed: the message the user reads is the
/// one [`after_panic`] words.
fn install_quiet_hook() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        std::panic::set_hook(Box::new(|info| {
            let payload = info
                .payload()
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| info.payload().downcast_ref::<String>().cloned())
                .unwrap_or_default();
            let place = info
                .location()
                .map(|l| format!(" at {}:{}", l.file(), l.line()))
                .unwrap_or_default();
            *LAST_PANIC.lock().unwrap_or_else(|e| e.into_inner()) =
                Some(format!("{payload}{place}"));
        }));
    });
}
