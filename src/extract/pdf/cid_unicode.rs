//! What each CID of Adobe's four CJK character collections means in
//! Unicode: the tables a font's CIDs are read through when the font has no
//! ToUnicode map and no program of its own (a non-embedded Ryumin-Light or
//! STSong-Light with Identity-H). pdf_oxide has such tables, but they lack
//! common ideographs (一, 二, 十, 女 in Japan1 and GB1), so dossier keeps its
//! own, made from Adobe's CMaps by `cid_unicode/generate.py` (BSD-3-Clause,
//! Adobe; the notice is in `cid_unicode/NOTICE`).

/// Adobe's CJK character collections.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Collection {
    Japan1,
    Gb1,
    Cns1,
    Korea1,
}

impl Collection {
    /// The collection a CIDSystemInfo's `/Ordering` names (with `/Registry
    /// (Adobe)`).
    pub fn from_ordering(ordering: &[u8]) -> Option<Collection> {
        match ordering {
            b"Japan1" => Some(Collection::Japan1),
            b"GB1" => Some(Collection::Gb1),
            b"CNS1" => Some(Collection::Cns1),
            b"Korea1" => Some(Collection::Korea1),
            _ => None,
        }
    }

    /// For CID 0, 1, 2, …: the code point as 3 bytes little-endian, 0 for
    /// none.
    fn table(self) -> &'static [u8] {
        match self {
            Collection::Japan1 => include_bytes!("cid_unicode/japan1.bin"),
            Collection::Gb1 => include_bytes!("cid_unicode/gb1.bin"),
            Collection::Cns1 => include_bytes!("cid_unicode/cns1.bin"),
            Collection::Korea1 => include_bytes!("cid_unicode/korea1.bin"),
        }
    }

    /// The character CID `cid` stands for, if it stands for one.
    pub fn char_of(self, cid: u16) -> Option<char> {
        let at = usize::from(cid) * 3;
        let bytes = self.table().get(at..at + 3)?;
        let code = u32::from_le_bytes([bytes[0], bytes[1], bytes[2], 0]);
        (code != 0).then(|| char::from_u32(code)).flatten()
    }

    /// Every CID with a meaning, in order.
    pub fn chars(self) -> impl Iterator<Item = (u16, char)> {
        let count = (self.table().len() / 3).min(usize::from(u16::MAX) + 1);
        (0..count).filter_map(move |cid| {
            let cid = u16::try_from(cid).ok()?;
            Some((cid, self.char_of(cid)?))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn common_characters_have_their_cids() {
        // Adobe-Japan1: CID 34 is "A"; Adobe-GB1: CID 34 is "A" too.
        assert_eq!(Collection::Japan1.char_of(34), Some('A'));
        assert_eq!(Collection::Gb1.char_of(34), Some('A'));
        for (collection, text) in [
            (Collection::Japan1, "一二十女第条"),
            (Collection::Gb1, "一二十女妇安全理事会联合国"),
            (Collection::Cns1, "一二十女安全理事會聯合國"),
            (Collection::Korea1, "안전보장이사회"),
        ] {
            for c in text.chars() {
                assert!(
                    collection.chars().any(|(_, had)| had == c),
                    "{c} missing from {collection:?}"
                );
            }
        }
        assert_eq!(Collection::Japan1.char_of(u16::MAX), None);
    }
}
