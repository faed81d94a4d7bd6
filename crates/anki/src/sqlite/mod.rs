//! The collection file inside a package: written as schema 11 (`collection.anki2`), read
//! from schema 11 or 18. SQL lives here and nowhere else in the crate.

pub mod read;
pub mod write;
