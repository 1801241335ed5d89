//! A segment's document store (`.store`), checked where tantivy would abort
//! on it. tantivy opens every segment's store whenever a reader opens (a
//! search, a refresh, a rebuild), and trusts the count at the head of the
//! store's skip index: a damaged count has it reserve room for that many
//! offsets (8 TB for a flipped byte), and an allocation that fails aborts the
//! process, which no `catch_unwind` sees: the user got "memory allocation of
//! 8796093022208 bytes failed" and a backtrace, even from
//! `dossier index --rebuild`, the remedy every message names.
//!
//! Other damage in a store makes tantivy return an error or panic, which
//! dossier reports as a damaged index (app/panics.rs); only the abort is
//! checked here, so opening a store reads a few dozen bytes more, not its
//! skip index (some 20 KB a segment on the UN General Debate corpus).
//!
//! The layout read (tantivy 0.27, `store/footer.rs`, `directory/footer.rs`):
//! a file ends with tantivy's footer (its JSON, then its length and a magic
//! number, two u32 LE); before it, the store ends with 28 bytes: format
//! version (u32), the skip index's offset (u64), compressor id (u8), 15
//! reserved; the skip index runs from that offset to those 28 bytes and
//! starts with a VInt count of layer offsets, each a VInt of a byte or more.

use std::io;
use std::ops::Range;
use std::path::Path;
use std::sync::Arc;

use tantivy::Directory;
use tantivy::directory::error::{DeleteError, LockError, OpenReadError, OpenWriteError};
use tantivy::directory::{
    DirectoryLock, FileHandle, Lock, MmapDirectory, WatchCallback, WatchHandle, WritePtr,
};

/// tantivy's own footer: its length and magic number, after its JSON.
const FILE_FOOTER_TAIL: usize = 8;
/// The document store's footer (`DocStoreFooter::SIZE_IN_BYTES`).
const STORE_FOOTER: usize = 28;
/// A VInt of a u64 takes ten bytes at most.
const MAX_VINT_BYTES: usize = 10;
/// The skip index has a layer for each power of eight of its checkpoints
/// (`CHECKPOINT_PERIOD`): a dozen for four billion documents. More is damage,
/// and a count bounded only by the bytes left would still have tantivy
/// reserve eight times the store's size.
const MAX_LAYERS: u64 = 64;
/// The compressor id of an uncompressed store, the only kind dossier writes
/// (`schema::index_settings`). tantivy's lz4 reader reserves what a block's
/// first four bytes say (4 GB when damaged): an abort under a memory limit.
const UNCOMPRESSED: u8 = 0;

/// Whether `path` names a segment's document store.
pub fn is_store(path: &Path) -> bool {
    path.extension()
        .is_some_and(|extension| extension == "store")
}

/// `handle`, a `.store` file, when tantivy can open it without aborting;
/// an `InvalidData` error saying what is wrong otherwise. A file too short
/// for its footers is left to tantivy, which reports that itself.
pub fn check_store(handle: &dyn FileHandle) -> io::Result<()> {
    let read = |range: Range<usize>| handle.read_bytes(range);
    let len = handle.len();
    if len < FILE_FOOTER_TAIL {
        return Ok(());
    }
    let tail = read(len - FILE_FOOTER_TAIL..len)?;
    let Some(footer_json) = le_u64(tail.as_slice(), 4) else {
        return Ok(());
    };
    let Some(store_len) = (len - FILE_FOOTER_TAIL).checked_sub(footer_json as usize) else {
        return Ok(());
    };
    let Some(data_and_index) = store_len.checked_sub(STORE_FOOTER) else {
        return Ok(());
    };
    let footer = read(data_and_index..data_and_index + 13)?;
    let footer = footer.as_slice();
    let (Some(offset), Some(&compressor)) =
        (footer.get(4..).and_then(|b| le_u64(b, 8)), footer.get(12))
    else {
        return Ok(());
    };
    if compressor != UNCOMPRESSED {
        return Err(damage(format!(
            "its footer names compressor {compressor}, and dossier writes its stores uncompressed"
        )));
    }
    let offset = usize::try_from(offset)
        .ok()
        .filter(|&offset| offset <= data_and_index)
        .ok_or_else(|| {
            damage(format!(
                "its footer puts its skip index past its end ({data_and_index} bytes)"
            ))
        })?;
    let head_end = data_and_index.min(offset + MAX_VINT_BYTES);
    let head = read(offset..head_end)?;
    let Some((count, count_len)) = vint(head.as_slice()) else {
        return Err(damage(format!(
            "its skip index at byte {offset} does not start with a count"
        )));
    };
    let rest = data_and_index - offset - count_len;
    if count > rest as u64 || count > MAX_LAYERS {
        return Err(damage(format!(
            "its skip index counts {count} layers in {rest} bytes"
        )));
    }
    Ok(())
}

/// The little-endian number in the first `width` bytes of `bytes`.
fn le_u64(bytes: &[u8], width: usize) -> Option<u64> {
    let mut number = [0u8; 8];
    number[..width].copy_from_slice(bytes.get(..width)?);
    Some(u64::from_le_bytes(number))
}

/// The VInt at the start of `bytes` as tantivy reads it (seven bits a byte,
/// least significant first, the last byte's high bit set) and its length;
/// `None` when no byte within ten ends it.
fn vint(bytes: &[u8]) -> Option<(u64, usize)> {
    let mut value = 0u64;
    for (i, &byte) in bytes.iter().take(MAX_VINT_BYTES).enumerate() {
        value |= u64::from(byte & 0x7f) << (7 * i);
        if byte >= 0x80 {
            return Some((value, i + 1));
        }
    }
    None
}

/// What dossier found wrong in a store, told apart from tantivy's own I/O
/// errors: only this reason is quoted to the user (tantivy's own are long,
/// and speak of versions where a byte was flipped).
#[derive(Debug)]
pub struct StoreDamage(String);

impl std::fmt::Display for StoreDamage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for StoreDamage {}

/// The damage [`check_store`] found, when `error` is its.
pub fn store_damage(error: &io::Error) -> Option<&StoreDamage> {
    error.get_ref()?.downcast_ref()
}

fn damage(what: String) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, StoreDamage(what))
}

/// The index folder as a refresh opens it: an [`MmapDirectory`] whose
/// `.store` files are checked ([`check_store`]) before tantivy reads them.
/// A search's directory does the same (search_directory.rs).
#[derive(Clone, Debug)]
pub struct CheckedDirectory {
    inner: MmapDirectory,
}

impl CheckedDirectory {
    pub fn open(dir: &Path) -> tantivy::Result<CheckedDirectory> {
        Ok(CheckedDirectory {
            inner: MmapDirectory::open(dir)?,
        })
    }
}

/// `inner`'s handle on `path`, checked when it is a store.
pub fn checked_handle(
    inner: &MmapDirectory,
    path: &Path,
) -> Result<Arc<dyn FileHandle>, OpenReadError> {
    let handle = inner.get_file_handle(path)?;
    if is_store(path) {
        check_store(handle.as_ref())
            .map_err(|error| OpenReadError::wrap_io_error(error, path.to_path_buf()))?;
    }
    Ok(handle)
}

impl Directory for CheckedDirectory {
    fn get_file_handle(&self, path: &Path) -> Result<Arc<dyn FileHandle>, OpenReadError> {
        checked_handle(&self.inner, path)
    }

    fn delete(&self, path: &Path) -> Result<(), DeleteError> {
        self.inner.delete(path)
    }

    fn exists(&self, path: &Path) -> Result<bool, OpenReadError> {
        self.inner.exists(path)
    }

    fn open_write(&self, path: &Path) -> Result<WritePtr, OpenWriteError> {
        self.inner.open_write(path)
    }

    fn atomic_read(&self, path: &Path) -> Result<Vec<u8>, OpenReadError> {
        self.inner.atomic_read(path)
    }

    fn atomic_write(&self, path: &Path, data: &[u8]) -> io::Result<()> {
        self.inner.atomic_write(path, data)
    }

    fn sync_directory(&self) -> io::Result<()> {
        self.inner.sync_directory()
    }

    fn acquire_lock(&self, lock: &Lock) -> Result<DirectoryLock, LockError> {
        self.inner.acquire_lock(lock)
    }

    fn watch(&self, watch_callback: WatchCallback) -> tantivy::Result<WatchHandle> {
        self.inner.watch(watch_callback)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vints_read_as_tantivy_writes_them() {
        assert_eq!(vint(&[0x80]), Some((0, 1)));
        assert_eq!(vint(&[0x85, 9]), Some((5, 1)));
        assert_eq!(vint(&[0x05, 0x81]), Some((5 + 128, 2)));
        assert_eq!(vint(&[0, 0, 0, 0, 0, 0xa0]), Some((1 << 40, 6)));
        assert_eq!(vint(&[0x05]), None);
        assert_eq!(vint(&[0; 11]), None);
        assert_eq!(vint(&[]), None);
    }

    /// A store laid out as tantivy writes one: `data`, a skip index
    /// starting with `count`, the 28-byte footer pointing at `offset`,
    /// tantivy's footer.
    fn store(count: &[u8], offset: Option<u64>) -> &'static [u8] {
        store_of(count, offset, UNCOMPRESSED)
    }

    fn store_of(count: &[u8], offset: Option<u64>, compressor: u8) -> &'static [u8] {
        let mut bytes = b"documents".to_vec();
        let skip_index = bytes.len() as u64;
        bytes.extend_from_slice(count);
        bytes.extend_from_slice(&[0x83, 0x85, 0x87]);
        bytes.extend_from_slice(&2u32.to_le_bytes());
        bytes.extend_from_slice(&offset.unwrap_or(skip_index).to_le_bytes());
        bytes.push(compressor);
        bytes.extend_from_slice(&[0; 15]);
        let json = br#"{"crc":1,"version":{}}"#;
        bytes.extend_from_slice(json);
        bytes.extend_from_slice(&(json.len() as u32).to_le_bytes());
        bytes.extend_from_slice(&1337u32.to_le_bytes());
        bytes.leak()
    }

    #[test]
    fn a_count_the_skip_index_cannot_hold_is_damage() {
        assert!(check_store(&store(&[0x83], None)).is_ok());
        assert!(check_store(&store(&[0x84], None)).is_err());
        let terabytes = check_store(&store(&[0, 0, 0, 0, 0, 0xa0], None)).unwrap_err();
        assert_eq!(terabytes.kind(), io::ErrorKind::InvalidData);
        assert!(
            terabytes.to_string().contains("1099511627776"),
            "{terabytes}"
        );
        assert!(check_store(&store(&[0x00; 12], None)).is_err());
        assert!(store_damage(&terabytes).is_some());
    }

    #[test]
    fn more_layers_than_any_store_has_is_damage() {
        // The three layer offsets the fixture has, then 65 more bytes: a
        // count of 65 fits in the bytes left but not in any real store.
        let mut count = vec![0x83];
        assert!(check_store(&store(&count, None)).is_ok());
        count = vec![0xc1];
        count.extend(std::iter::repeat_n(0x81, 62));
        assert!(check_store(&store(&count, None)).is_err());
    }

    #[test]
    fn a_compressed_store_is_damage() {
        assert!(check_store(&store_of(&[0x83], None, UNCOMPRESSED)).is_ok());
        for compressor in [1, 4, 0xff] {
            let named = check_store(&store_of(&[0x83], None, compressor)).unwrap_err();
            assert!(named.to_string().contains("compressor"), "{named}");
        }
    }

    #[test]
    fn a_skip_index_past_the_end_is_damage() {
        let past = check_store(&store(&[0x83], Some(1 << 20))).unwrap_err();
        assert!(past.to_string().contains("past its end"), "{past}");
        assert!(check_store(&store(&[0x83], Some(u64::MAX))).is_err());
    }

    #[test]
    fn files_too_short_for_their_footers_are_left_to_tantivy() {
        assert!(check_store(&&b"abc"[..]).is_ok());
        assert!(check_store(&&[0xff; 40][..]).is_ok());
        assert!(check_store(&&b"\x05\0\0\0magi"[..]).is_ok());
    }
}
