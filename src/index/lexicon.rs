//! The term dictionaries of an index's last commit, opened alone.
//!
//! A search whose words the index does not hold (a typo, a word from
//! another field of study) needs nothing else to answer: not the schema
//! tantivy serialises to open an index, not the segment readers with their
//! stores, columns and norms. Opening those was two thirds of such a
//! search, and of `dossier --version`'s time again (docs/performance.md).
//! So `search` asks this first, and opens the index only when a word is
//! there (see `search::unmatched`).
//!
//! It checks what opening the index checks of the files it reads, and of
//! the lists naming them: `meta.json` (dossier's schema and settings byte
//! for byte, this format, documents, what tantivy requires of the rest,
//! each segment's count against its norms), `.managed.json` (a list of the
//! index's own files), that every file of each segment is there, and each
//! `.term`'s footer and table of fields (with the `.idx`'s table when a
//! field has no dictionary). Anything unexpected is `None`: the caller
//! opens the index as always, which says what is wrong. Damage inside the
//! files it does not read (stores, postings, positions, columns, norms,
//! deletions) is said by the next search that reads them, and by
//! `dossier stats --check`.

use std::path::{Path, PathBuf};

use tantivy::Term;
use tantivy::directory::footer::Footer;
use tantivy::directory::{CompositeFile, Directory, MmapDirectory};
use tantivy::schema::Field;
use tantivy::termdict::TermDictionary;

use super::SCHEMA_VERSION;
use super::meta_file::MetaSummary;

/// `meta.json` as tantivy writes it for a new index of dossier's schema and
/// settings, kept rather than written afresh: an index's own `meta.json`
/// must hold the same schema and settings, byte for byte (as when a search
/// opens the whole index, `search_directory`), and having tantivy write it
/// is a sixth of a search that finds nothing. A test checks it is what
/// tantivy writes today; after a change of schema,
/// `DOSSIER_WRITE_EXPECTED_META=1 cargo test --lib expected_meta` rewrites
/// it (and SCHEMA_VERSION must change with the schema).
const EXPECTED_META: &[u8] = include_bytes!("expected_meta.json");

/// The files of a segment a reader opens, beside its deletions.
const SEGMENT_FILES: [&str; 6] = ["term", "idx", "pos", "fast", "fieldnorm", "store"];

/// What tantivy requires of `meta.json` beyond what dossier reads of it
/// (`MetaSummary`): a file without it cannot be opened.
#[derive(serde::Deserialize)]
struct RequiredMeta {
    segments: Vec<RequiredSegment>,
    /// Required, and of its type; its value is not needed.
    #[serde(rename = "opstamp")]
    _opstamp: u64,
}

#[derive(serde::Deserialize)]
struct RequiredSegment {
    deletes: Option<RequiredDeletes>,
}

#[derive(serde::Deserialize)]
struct RequiredDeletes {
    #[serde(rename = "num_deleted_docs")]
    _num_deleted_docs: u32,
    /// The commit that wrote the deletions: their file's name.
    opstamp: u64,
}

/// Each segment's term dictionaries, as the last commit lists them.
pub struct Lexicon {
    dir: PathBuf,
    /// The folder's files as tantivy maps them: an index opened after this
    /// (`DossierIndex::open_after`) maps the same files once, while this
    /// lives.
    directory: MmapDirectory,
    segments: Vec<SegmentLexicon>,
}

/// One segment's term dictionaries, and its postings' table of fields.
struct SegmentLexicon {
    terms: CompositeFile,
    /// The segment's `.idx`, opened only when a field has no dictionary
    /// (to tell a field no document holds from damage): its table of
    /// fields is a third of the cost of opening both.
    postings_path: String,
    postings: std::cell::OnceCell<Option<CompositeFile>>,
}

impl Lexicon {
    /// The term dictionaries of the index in `dir`, when it is one this
    /// dossier wrote, holding documents, whose lists and dictionaries read
    /// as they should; `None` otherwise.
    pub fn open(dir: &Path) -> Option<Lexicon> {
        std::panic::catch_unwind(|| Self::open_unguarded(dir))
            .ok()
            .flatten()
    }

    fn open_unguarded(dir: &Path) -> Option<Lexicon> {
        let whole = std::fs::read(dir.join("meta.json")).ok()?;
        let slim = super::search_directory::without_expected_schema(&whole, EXPECTED_META)?;
        let meta = MetaSummary::from_bytes(&slim)?;
        if meta.commit_info()?.schema_version != SCHEMA_VERSION {
            return None;
        }
        let documents: u64 = meta.segments.iter().map(|s| u64::from(s.num_docs())).sum();
        if documents == 0 {
            return None;
        }
        // What tantivy requires of the rest, read as it reads it.
        let required: RequiredMeta = serde_json::from_slice(&slim).ok()?;
        if required.segments.len() != meta.segments.len() {
            return None;
        }
        if !super::check_managed_list(dir).ok()? {
            return None;
        }
        super::check_segment_sizes(dir, &meta).ok()?;
        let directory = MmapDirectory::open(dir).ok()?;
        let mut segments = Vec::with_capacity(meta.segments.len());
        for (segment, required) in meta.segments.iter().zip(&required.segments) {
            let stem = segment.file_stem();
            // Each file a reader opens is there (what is inside is read by
            // the search that needs it).
            let deletes = required
                .deletes
                .as_ref()
                .map(|deletes| format!("{stem}.{}.del", deletes.opstamp));
            let files = SEGMENT_FILES.iter().map(|ext| format!("{stem}.{ext}"));
            if !files.chain(deletes).all(|name| dir.join(name).is_file()) {
                return None;
            }
            segments.push(SegmentLexicon {
                terms: composite(&directory, &format!("{stem}.term"))?,
                postings_path: format!("{stem}.idx"),
                postings: std::cell::OnceCell::new(),
            });
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
                let Some(dictionary) = segment.dictionary(term.field(), &self.directory)? else {
                    continue;
                };
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
                let Some(dictionary) = segment.dictionary(field, &self.directory)? else {
                    continue;
                };
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

impl SegmentLexicon {
    /// The dictionary of `field`; none when the segment has neither it nor
    /// postings for the field (no document holds it), and a field with
    /// postings but no dictionary is damage (`None`), as tantivy finds it.
    fn dictionary(
        &self,
        field: Field,
        directory: &MmapDirectory,
    ) -> Option<Option<TermDictionary>> {
        if let Some(file) = self.terms.open_read(field) {
            return Some(Some(TermDictionary::open(file).ok()?));
        }
        let postings = self
            .postings
            .get_or_init(|| composite(directory, &self.postings_path))
            .as_ref()?;
        postings.open_read(field).is_none().then_some(None)
    }
}

/// The composite file (one part per field) at `path`, its footer checked.
fn composite(directory: &MmapDirectory, path: &str) -> Option<CompositeFile> {
    let file = directory.open_read(Path::new(path)).ok()?;
    let (footer, body) = Footer::extract_footer(file).ok()?;
    footer.is_compatible().ok()?;
    CompositeFile::open(&body).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;
    use tantivy::directory::{CompositeWrite, RamDirectory};
    use tantivy::postings::TermInfo;
    use tantivy::termdict::TermDictionaryBuilder;

    /// A composite file of `parts` (a field, its bytes), as tantivy writes
    /// a segment's `.term` and `.idx`.
    fn composite_of(
        directory: &RamDirectory,
        name: &str,
        parts: &[(Field, &[u8])],
    ) -> CompositeFile {
        let mut write = CompositeWrite::wrap(directory.open_write(Path::new(name)).unwrap());
        for (field, bytes) in parts {
            write.for_field(*field).write_all(bytes).unwrap();
        }
        write.close().unwrap();
        CompositeFile::open(&directory.open_read(Path::new(name)).unwrap()).unwrap()
    }

    #[test]
    fn a_field_is_found_where_tantivy_finds_it() {
        let directory = RamDirectory::create();
        let mut builder = TermDictionaryBuilder::create(Vec::new()).unwrap();
        builder.insert(b"peace", &TermInfo::default()).unwrap();
        let dictionary = builder.finish().unwrap();
        let [with_both, postings_only, terms_only] = [0, 1, 2].map(Field::from_field_id);
        let segment = SegmentLexicon {
            terms: composite_of(
                &directory,
                "a.term",
                &[(with_both, &dictionary), (terms_only, &dictionary)],
            ),
            postings_path: String::new(),
            postings: std::cell::OnceCell::from(Some(composite_of(
                &directory,
                "a.idx",
                &[(with_both, b"p"), (postings_only, b"p")],
            ))),
        };
        let lexicon = Lexicon {
            dir: PathBuf::new(),
            directory: MmapDirectory::create_from_tempdir().unwrap(),
            segments: vec![segment],
        };
        let term = |field: Field, text: &str| Term::from_field_text(field, text);
        assert_eq!(lexicon.holds(&term(with_both, "peace")), Some(true));
        assert_eq!(lexicon.holds(&term(with_both, "war")), Some(false));
        // A dictionary without postings is read: a whole search then finds
        // the field empty.
        assert_eq!(lexicon.holds(&term(terms_only, "peace")), Some(true));
        // Neither: no document of the segment holds the field.
        let neither = Field::from_field_id(3);
        assert_eq!(lexicon.holds(&term(neither, "peace")), Some(false));
        // Postings without terms: damage, which the whole index reports.
        assert_eq!(lexicon.holds(&term(postings_only, "peace")), None);
        assert_eq!(lexicon.for_each_term(postings_only, |_| {}), None);
        let mut keys = Vec::new();
        lexicon.for_each_term(with_both, |key| keys.push(key.to_vec()));
        assert_eq!(keys, [b"peace".to_vec()]);
    }

    #[test]
    fn the_expected_meta_json_is_what_tantivy_writes_for_dossiers_schema() {
        let folder = tempfile::tempdir().unwrap();
        let (schema, _) = crate::index::schema::build_schema();
        tantivy::IndexBuilder::new()
            .schema(schema)
            .settings(crate::index::schema::index_settings())
            .create_in_dir(folder.path())
            .unwrap();
        let written = std::fs::read(folder.path().join("meta.json")).unwrap();
        if std::env::var_os("DOSSIER_WRITE_EXPECTED_META").is_some() {
            let kept = concat!(env!("CARGO_MANIFEST_DIR"), "/src/index/expected_meta.json");
            std::fs::write(kept, &written).unwrap();
        }
        assert!(
            written == EXPECTED_META,
            "src/index/expected_meta.json is not what tantivy writes for dossier's schema: \
             rewrite it with `DOSSIER_WRITE_EXPECTED_META=1 cargo test --lib expected_meta`, \
             run the tests again (the file is read when they are built), and raise \
             SCHEMA_VERSION if the schema changed"
        );
    }
}
