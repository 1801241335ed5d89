//! A document on its way into the index, and the budget that bounds how many
//! bytes of them wait for the writer.
//!
//! Two reasons for a type of our own rather than tantivy's `TantivyDocument`:
//! the body is indexed under three fields (stemmed, exact, stored) and
//! `TantivyDocument` would hold three copies of it, while [`IndexDocument`]
//! holds one and names it three times; and tantivy's writer queue holds up to
//! 10,000 documents, so when extraction outruns indexing a large corpus would
//! queue gigabytes. Each document carries an [`InFlight`] share of a
//! [`Budget`], returned when the writer drops the document after indexing it:
//! extraction waits when the budget is spent, whatever the corpus size.

use std::sync::{Arc, Condvar, Mutex};

use tantivy::DateTime;
use tantivy::schema::document::Document;
use tantivy::schema::{Facet, Field, OwnedValue};

/// Field values, each stored once, and the fields that name them.
#[derive(Default)]
pub struct IndexDocument {
    values: Vec<OwnedValue>,
    fields: Vec<(Field, usize)>,
    in_flight: Option<InFlight>,
}

impl IndexDocument {
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a value under one or more fields.
    fn add(&mut self, fields: &[Field], value: OwnedValue) {
        let at = self.values.len();
        self.values.push(value);
        self.fields.extend(fields.iter().map(|f| (*f, at)));
    }

    /// A value as read back from a stored document.
    pub fn add_owned(&mut self, field: Field, value: OwnedValue) {
        self.add(&[field], value);
    }

    pub fn add_text(&mut self, fields: &[Field], text: impl Into<String>) {
        self.add(fields, OwnedValue::Str(text.into()));
    }

    pub fn add_u64(&mut self, field: Field, value: u64) {
        self.add(&[field], OwnedValue::U64(value));
    }

    pub fn add_i64(&mut self, field: Field, value: i64) {
        self.add(&[field], OwnedValue::I64(value));
    }

    pub fn add_date(&mut self, field: Field, value: DateTime) {
        self.add(&[field], OwnedValue::Date(value));
    }

    pub fn add_facet(&mut self, field: Field, value: Facet) {
        self.add(&[field], OwnedValue::Facet(value));
    }

    /// Bytes of text this document holds (what it costs in the queue).
    pub fn text_bytes(&self) -> usize {
        self.values
            .iter()
            .map(|v| match v {
                OwnedValue::Str(s) => s.len(),
                _ => 8,
            })
            .sum()
    }

    /// Takes a share of `budget` for this document, waiting until there is room.
    pub fn reserve(mut self, budget: &Arc<Budget>) -> Self {
        self.in_flight = Some(budget.acquire(self.text_bytes()));
        self
    }
}

impl Document for IndexDocument {
    type Value<'a> = &'a OwnedValue;
    type FieldsValuesIter<'a> = FieldValues<'a>;

    fn iter_fields_and_values(&self) -> FieldValues<'_> {
        FieldValues { doc: self, next: 0 }
    }
}

pub struct FieldValues<'a> {
    doc: &'a IndexDocument,
    next: usize,
}

impl<'a> Iterator for FieldValues<'a> {
    type Item = (Field, &'a OwnedValue);

    fn next(&mut self) -> Option<Self::Item> {
        let (field, at) = *self.doc.fields.get(self.next)?;
        self.next += 1;
        Some((field, &self.doc.values[at]))
    }
}

/// Bytes of documents allowed to wait for the writer at once.
pub struct Budget {
    used: Mutex<usize>,
    freed: Condvar,
    limit: usize,
}

impl Budget {
    pub fn new(limit: usize) -> Arc<Self> {
        Arc::new(Budget {
            used: Mutex::new(0),
            freed: Condvar::new(),
            limit,
        })
    }

    /// Waits until `bytes` fit (a document larger than the whole budget
    /// waits until nothing else is in flight, then goes alone).
    fn acquire(self: &Arc<Self>, bytes: usize) -> InFlight {
        let mut used = self.used.lock().unwrap_or_else(|e| e.into_inner());
        while *used > 0 && *used + bytes > self.limit {
            used = self.freed.wait(used).unwrap_or_else(|e| e.into_inner());
        }
        *used += bytes;
        InFlight {
            budget: Arc::clone(self),
            bytes,
        }
    }
}

/// A document's share of the budget, returned when the document is dropped.
pub struct InFlight {
    budget: Arc<Budget>,
    bytes: usize,
}

impl Drop for InFlight {
    fn drop(&mut self) {
        let mut used = self.budget.used.lock().unwrap_or_else(|e| e.into_inner());
        *used = used.saturating_sub(self.bytes);
        self.budget.freed.notify_all();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_body_three_fields() {
        let (_, fields) = crate::index::schema::build_schema();
        let mut doc = IndexDocument::new();
        doc.add_text(
            &[
                fields.ranking(crate::text::AnalysisGroup::ENGLISH).text,
                fields.body_exact,
                fields.body,
            ],
            "body text",
        );
        doc.add_u64(fields.year, 1999);
        let values: Vec<(Field, String)> = doc
            .iter_fields_and_values()
            .map(|(f, v)| (f, format!("{v:?}")))
            .collect();
        assert_eq!(values.len(), 4);
        assert_eq!(doc.text_bytes(), "body text".len() + 8);
    }

    #[test]
    fn the_budget_blocks_until_documents_are_dropped() {
        let budget = Budget::new(100);
        let first = budget.acquire(80);
        let b = Arc::clone(&budget);
        let waiter = std::thread::spawn(move || {
            let _second = b.acquire(50);
        });
        std::thread::sleep(std::time::Duration::from_millis(50));
        assert!(!waiter.is_finished(), "over budget: waits");
        drop(first);
        waiter.join().unwrap();
        // Larger than the whole budget: goes alone.
        let _huge = budget.acquire(1_000);
    }
}
