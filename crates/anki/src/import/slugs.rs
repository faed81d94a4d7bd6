//! Pack ids for imported items, by the Markdown importer's rules: a slug of the title,
//! made unique with `-2`, `-3`, …, and the id memseed gave an item when it exported it.

use std::collections::HashSet;

pub use memseed_core::pack::ids::{slug, valid_id, valid_lang};

/// Unique ids of one kind.
#[derive(Default)]
pub struct Ids {
    taken: HashSet<String>,
}

impl Ids {
    /// `wanted` when it is a valid id not taken yet, else a slug of `title` not taken
    /// (`gil`, `gil-2`, …), else `PREFIX-HASH` for a title without ASCII letters or digits.
    pub fn make_or(&mut self, wanted: Option<&str>, title: &str, prefix: &str) -> String {
        if let Some(w) = wanted.filter(|w| valid_id(w) && !self.taken.contains(*w)) {
            self.taken.insert(w.to_string());
            return w.to_string();
        }
        self.make(title, prefix)
    }

    pub fn make(&mut self, title: &str, prefix: &str) -> String {
        let mut base = slug(title);
        if base.is_empty() {
            base = format!("{prefix}-{:08x}", crate::ids::hash64(title) as u32);
        }
        let mut id = base.clone();
        let mut k = 2;
        while self.taken.contains(&id) {
            id = format!("{base}-{k}");
            k += 1;
        }
        self.taken.insert(id.clone());
        id
    }
}
