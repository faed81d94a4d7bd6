//! Pack ids for imported items, by the Markdown importer's rules: a slug of the title,
//! made unique with `-2`, `-3`, …, and the id memseed gave an item when it exported it.

use std::collections::HashSet;

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

/// `GIL (Global Interpreter Lock)` → `gil-global-interpreter-lock`: ASCII letters and
/// digits, `-` between words, at most 48 bytes cut at a `-` (the Markdown importer's rule).
pub fn slug(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if c == '+' {
            out.push_str("plus");
        } else if c == '#' && !out.is_empty() {
            out.push_str("sharp");
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    let mut out = out.trim_end_matches('-').to_string();
    if out.len() > 48 {
        let cut = out[..48].rfind('-').unwrap_or(48);
        out.truncate(cut);
    }
    out
}

/// Whether an id is valid in a pack.
pub fn valid_id(id: &str) -> bool {
    let b = id.as_bytes();
    !b.is_empty()
        && b.len() <= 64
        && b[0].is_ascii_alphanumeric()
        && b.iter()
            .all(|&c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == b'-' || c == b'_')
}

/// A code language the pack format accepts (`python`, `c++`, `sh`).
pub fn valid_lang(l: &str) -> bool {
    (1..=32).contains(&l.len())
        && l.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '#' | '.'))
}
