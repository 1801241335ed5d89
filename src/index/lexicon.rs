//! The term dictionaries of an index's last commit, opened alone.
//!
//! A search whose words the index does not hold (a typo, a word from
//! another field of study) needs nothing else to answer: not the schema
//! tantivy parses or serialises, not the segment readers with their
//! stores, columns and norms. Opening those was two thirds of such a
//! search, and of `dossier --version`'s time again (docs/performance.md).
//! So `search` asks this first, and opens the index only when a word is
//! there (see `search::unmatched`).
//!
//! Anything unexpected (no index, another format, no documents, a file
//! missing or unreadable) is `None`: the caller opens the index as always,
//! which says what is wrong. Damage in files this does not read (stores,
//! postings, columns) is found by the next search that reads them, and by
//! `dossier stats --check`.

use std::path::{Path, PathBuf};

use tantivy::Term;
use tantivy::directory::footer::Footer;
use tantivy::directory::{CompositeFile, Directory, MmapDirectory};
use tantivy::schema::Field;
use tantivy::termdict::TermDictionary;

use super::SCHEMA_VERSION;
use super::meta_file::MetaSummary;

/// Each segment's term dictionaries, as the last commit lists them.
pub struct Lexicon {
    dir: PathBuf,
    /// The folder's files as tantivy maps them: an index opened after this
    /// (`DossierIndex::open_after`) maps the same dictionaries once, while
    /// this lives.
    directory: MmapDirectory,
    segments: Vec<CompositeFile>,
}

impl Lexicon {
    /// The term dictionaries of the index in `dir`, when its `meta.json` is
    /// one this dossier wrote (its format) and it holds documents; `None`
    /// otherwise.
    pub fn open(dir: &Path) -> Option<Lexicon> {
        std::panic::catch_unwind(|| Self::open_unguarded(dir))
            .ok()
            .flatten()
    }

    fn open_unguarded(dir: &Path) -> Option<Lexicon> {
        // Its segments and payload; the schema between them, most of the
        // file, is not read (passing over it cost a seventh of this search).
        let meta = MetaSummary::from_ends(&std::fs::read(dir.join("meta.json")).ok()?)?;
        if meta.commit_info()?.schema_version != SCHEMA_VERSION {
            return None;
        }
        let documents: u64 = meta.segments.iter().map(|s| u64::from(s.num_docs())).sum();
        if documents == 0 {
            return None;
        }
        let directory = MmapDirectory::open(dir).ok()?;
        let mut segments = Vec::with_capacity(meta.segments.len());
        for segment in &meta.segments {
            let path = format!("{}.term", segment.file_stem());
            let file = directory.open_read(Path::new(&path)).ok()?;
            let (footer, body) = Footer::extract_footer(file).ok()?;
            footer.is_compatible().ok()?;
            segments.push(CompositeFile::open(&body).ok()?);
        }
        Some(Lexicon {
            dir: dir.to_path_buf(),
            directory,
            segments,
        })
    }

    /// The files mapped so far, when they are those of the folder `dir`.
    pub(super) fn directory_of(&self, dir: &Path) -> Option<&MmapDirectory> {
        (self.dir == dir).then_some(&self.directory)
    }

    /// Whether a segment's dictionary holds `term`; `None` when one cannot
    /// be read.
    pub fn holds(&self, term: &Term) -> Option<bool> {
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            for segment in &self.segments {
                let Some(file) = segment.open_read(term.field()) else {
                    continue;
                };
                let dictionary = TermDictionary::open(file).ok()?;
                if dictionary
                    .get(term.serialized_value_bytes())
                    .ok()?
                    .is_some()
                {
                    return Some(true);
                }
            }
            Some(false)
        }))
        .ok()
        .flatten()
    }

    /// Every term of `field` in every segment, given to `each` (meant for
    /// fields of a few dozen terms: languages); `None` when a dictionary
    /// cannot be read.
    pub fn for_each_term(&self, field: Field, mut each: impl FnMut(&[u8])) -> Option<()> {
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            for segment in &self.segments {
                let Some(file) = segment.open_read(field) else {
                    continue;
                };
                let dictionary = TermDictionary::open(file).ok()?;
                let mut terms = dictionary.stream().ok()?;
                while terms.advance() {
                    each(terms.key());
                }
            }
            Some(())
        }))
        .ok()
        .flatten()
    }
}
