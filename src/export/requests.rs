//! Where exported lines go: one stream (standard output), or numbered
//! request files of at most a given size, each a body a server takes in one
//! request (Quickwit refuses requests over 10 MiB). A record (a document, or
//! an action line and its document) is never split between two files.

use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

/// The default size of a request file: under Quickwit's 10 MiB limit, with
/// room for HTTP headers.
pub const DEFAULT_REQUEST_BYTES: u64 = 9 * 1024 * 1024;

pub enum Output<'a> {
    Stream(&'a mut dyn Write),
    Requests(RequestFiles),
}

impl Output<'_> {
    /// Writes one record; `true` when it alone is larger than a request may
    /// be (it is written to a file of its own all the same).
    pub fn write_record(&mut self, record: &[u8]) -> io::Result<bool> {
        match self {
            Output::Stream(out) => out.write_all(record).map(|()| false),
            Output::Requests(files) => files.write_record(record),
        }
    }

    /// Flushes; returns the number of request files written.
    pub fn finish(&mut self) -> io::Result<usize> {
        match self {
            Output::Stream(out) => out.flush().map(|()| 0),
            Output::Requests(files) => files.finish(),
        }
    }
}

/// `request-000001.ndjson`, `request-000002.ndjson`, … in a folder.
pub struct RequestFiles {
    dir: PathBuf,
    max_bytes: u64,
    current: Option<(BufWriter<File>, u64)>,
    written: usize,
}

impl RequestFiles {
    /// Request files in `dir` (made when missing), each at most `max_bytes`.
    /// A folder that already holds request files is refused: mixing two
    /// exports would send stale documents.
    pub fn create(dir: &Path, max_bytes: u64) -> io::Result<RequestFiles> {
        if dir.exists() && !dir.is_dir() {
            return Err(io::Error::other(format!(
                "{} is a file, where the folder for request files should be",
                dir.display()
            )));
        }
        std::fs::create_dir_all(dir).map_err(|e| with_path(dir, e))?;
        let stale = std::fs::read_dir(dir)
            .map_err(|e| with_path(dir, e))?
            .flatten()
            .any(|entry| entry.file_name().to_string_lossy().starts_with("request-"));
        if stale {
            return Err(io::Error::other(format!(
                "{} already holds request files of an earlier export: remove them or name another folder",
                dir.display()
            )));
        }
        Ok(RequestFiles {
            dir: dir.to_path_buf(),
            max_bytes,
            current: None,
            written: 0,
        })
    }

    fn write_record(&mut self, record: &[u8]) -> io::Result<bool> {
        let len = record.len() as u64;
        let full = self
            .current
            .as_ref()
            .is_some_and(|(_, used)| used + len > self.max_bytes);
        if full {
            self.close()?;
        }
        if self.current.is_none() {
            self.written += 1;
            let path = self.dir.join(format!("request-{:06}.ndjson", self.written));
            let file = File::create(&path).map_err(|e| with_path(&path, e))?;
            self.current = Some((BufWriter::new(file), 0));
        }
        if let Some((out, used)) = &mut self.current {
            out.write_all(record)?;
            *used += len;
        }
        Ok(len > self.max_bytes)
    }

    fn close(&mut self) -> io::Result<()> {
        if let Some((mut out, _)) = self.current.take() {
            out.flush()?;
        }
        Ok(())
    }

    fn finish(&mut self) -> io::Result<usize> {
        self.close()?;
        Ok(self.written)
    }
}

fn with_path(path: &Path, error: io::Error) -> io::Error {
    io::Error::new(error.kind(), format!("{}: {error}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_fill_files_up_to_the_limit_and_are_never_split() {
        let dir = tempfile::tempdir().unwrap();
        let mut files = RequestFiles::create(dir.path(), 100).unwrap();
        for _ in 0..5 {
            assert!(!files.write_record(&[b'a'; 40]).unwrap());
        }
        assert!(files.write_record(&[b'b'; 150]).unwrap());
        assert_eq!(files.finish().unwrap(), 4);
        let sizes: Vec<u64> = (1..=4)
            .map(|n| {
                std::fs::metadata(dir.path().join(format!("request-{n:06}.ndjson")))
                    .unwrap()
                    .len()
            })
            .collect();
        assert_eq!(sizes, [80, 80, 40, 150]);
        assert!(
            RequestFiles::create(dir.path(), 100).is_err(),
            "stale files"
        );
    }
}
