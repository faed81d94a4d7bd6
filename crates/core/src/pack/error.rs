//! Errors and warnings from loading a pack, each pinned to file, line, column and field.

use std::fmt;

/// One problem in a pack file, with the place a person needs to fix it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PackError {
    pub file: String,
    /// 1-based line.
    pub line: usize,
    /// 1-based column, in characters.
    pub column: usize,
    /// Where in the document: `concepts[3] "gil"`, or `topic`, or empty for the file itself.
    pub place: String,
    /// The key concerned, if any: `tier`, `derives`.
    pub field: Option<String>,
    pub message: String,
}

impl fmt::Display for PackError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}: ", self.file, self.line, self.column)?;
        match (&self.place[..], &self.field) {
            ("", None) => {}
            ("", Some(field)) => write!(f, "field `{field}`: ")?,
            (place, None) => write!(f, "{place}: ")?,
            (place, Some(field)) => write!(f, "{place}: field `{field}`: ")?,
        }
        f.write_str(&self.message)
    }
}

/// Every error found in one pack. Loading fails if there is at least one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PackErrors(pub Vec<PackError>);

impl fmt::Display for PackErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, e) in self.0.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{e}")?;
        }
        Ok(())
    }
}

impl std::error::Error for PackErrors {}

/// Something worth a look that does not stop the pack from loading.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Warning(pub PackError);

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "warning: {}", self.0)
    }
}
