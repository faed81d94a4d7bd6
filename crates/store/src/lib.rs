//! memseed's study history in SQLite: the cards made from packs with their schedule, every
//! review, quiz answers and the error journal. This crate knows SQL and nothing of FSRS:
//! the caller computes a card's next schedule and hands it over; storing it and logging the
//! review happen in one transaction, committed before the call returns.

use std::fmt;
use std::path::{Path, PathBuf};
use std::time::Duration;

mod cards;
mod history;
mod journal;
mod params;
mod plans;
mod reviews;

pub use cards::{CardRow, NewCard, Scheduled, Synced};
pub use history::{CardHistory, HistoryImported, ReviewEntry};
pub use journal::{JournalEntry, QuizAnswer};
pub use params::StoredParameters;
pub use plans::Plan;
pub use reviews::{ReviewLog, Source, Undone};

use rusqlite::{Connection, ErrorCode, OpenFlags, TransactionBehavior};

/// `PRAGMA application_id` of a memseed database ("mems").
pub const APPLICATION_ID: i32 = 0x6d65_6d73;
/// How long a writer waits for another before giving up.
pub const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// The schema migrations, in order; the database's `user_version` counts those applied.
const MIGRATIONS: &[&str] = &[
    include_str!("../migrations/001_initial.sql"),
    include_str!("../migrations/002_undo_suspend_parameters_plans.sql"),
];

/// The schema version this binary writes.
pub fn schema_version() -> u32 {
    MIGRATIONS.len() as u32
}

/// What can go wrong with the database.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("{path} is not a memseed database (it has other tables); pass --db with another path")]
    NotMemseed { path: PathBuf },
    #[error(
        "{path} was written by a newer memseed (schema {found}; this one knows {known}); it was left untouched: upgrade memseed to use it"
    )]
    TooNew {
        path: PathBuf,
        found: u32,
        known: u32,
    },
    #[error(
        "{path} is locked by another memseed (or another program) for more than {} s; nothing was written, try again",
        BUSY_TIMEOUT.as_secs()
    )]
    Locked { path: PathBuf },
    #[error("{path} is read-only; nothing was written (check its permissions, or pass --db)")]
    ReadOnly { path: PathBuf },
    #[error("{path} is not a SQLite database; it was left untouched: pass --db with another path")]
    NotADatabase { path: PathBuf },
    #[error("the disk holding {path} is full; nothing was saved (free some space and try again)")]
    DiskFull { path: PathBuf },
    #[error(
        "{path} is damaged ({detail}); it was left untouched: restore a backup (`memseed backup` makes one) or pass --db with another path"
    )]
    Corrupt { path: PathBuf, detail: String },
    #[error("{path} already exists; a backup never overwrites a file, choose a new name")]
    Exists { path: PathBuf },
    #[error("there is no card \"{key}\"")]
    UnknownCard { key: String },
    #[error("cannot create {path}: {source}")]
    Create {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("database {path}: {context}: {source}")]
    Sql {
        path: PathBuf,
        context: &'static str,
        #[source]
        source: rusqlite::Error,
    },
}

/// An open memseed database.
pub struct Store {
    conn: Connection,
    path: PathBuf,
}

impl fmt::Debug for Store {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Store").field("path", &self.path).finish()
    }
}

impl Store {
    /// Opens (creating if needed) the database at `path`: WAL mode, a busy timeout, foreign
    /// keys on, migrations applied. A database of another program, or of a newer memseed,
    /// is refused and left as it is.
    pub fn open(path: &Path) -> Result<Store, StoreError> {
        let path = &plain(path);
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|source| StoreError::Create {
                path: dir.to_path_buf(),
                source,
            })?;
        }
        let conn = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_WRITE
                | OpenFlags::SQLITE_OPEN_CREATE
                | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .map_err(|e| classify(path, "opening", e))?;
        Store::setup(conn, path.to_path_buf())
    }

    /// Opens an existing database only to read it, for when the user may not write it (a
    /// read-only file or folder). Nothing is created, migrated or switched to WAL. If SQLite
    /// cannot set up its shared-memory file beside a WAL database (the folder is read-only
    /// too), the file is opened as immutable: a snapshot, which is what a report needs.
    pub fn open_read_only(path: &Path) -> Result<Store, StoreError> {
        let path = &plain(path);
        let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let mut conn = Connection::open_with_flags(path, flags)
            .map_err(|e| classify(path, "opening read-only", e))?;
        let version = match Store::identify(&conn, path) {
            // SQLite reports the missing shared-memory file as read-only or cannot-open.
            Err(StoreError::ReadOnly { .. }) => {
                drop(conn);
                conn = Connection::open_with_flags(
                    immutable_uri(path),
                    flags | OpenFlags::SQLITE_OPEN_URI,
                )
                .map_err(|e| classify(path, "opening read-only", e))?;
                Store::identify(&conn, path)?
            }
            r => r?,
        };
        let path = path.to_path_buf();
        // An older schema would need a migration, which is a write.
        if version < schema_version() {
            return Err(StoreError::ReadOnly { path });
        }
        Ok(Store { conn, path })
    }

    /// The schema version of a database memseed may use: another program's database, or
    /// one of a newer memseed, is refused. An empty database (version 0) is memseed's to
    /// set up.
    fn identify(conn: &Connection, path: &Path) -> Result<u32, StoreError> {
        let err = |context| move |e| classify(path, context, e);
        let app: i32 = conn
            .pragma_query_value(None, "application_id", |r| r.get(0))
            .map_err(err("reading the application id"))?;
        let version: u32 = conn
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .map_err(err("reading the schema version"))?;
        let tables: i64 = conn
            .query_row("SELECT count(*) FROM sqlite_schema", [], |r| r.get(0))
            .map_err(err("reading the schema"))?;
        let path = path.to_path_buf();
        if app != APPLICATION_ID && (tables > 0 || version > 0) {
            return Err(StoreError::NotMemseed { path });
        }
        if version > schema_version() {
            return Err(StoreError::TooNew {
                path,
                found: version,
                known: schema_version(),
            });
        }
        Ok(version)
    }

    /// A private in-memory database, for tests.
    pub fn open_in_memory() -> Result<Store, StoreError> {
        let conn = Connection::open_in_memory()
            .map_err(|e| classify(Path::new(":memory:"), "opening", e))?;
        Store::setup(conn, PathBuf::from(":memory:"))
    }

    fn setup(conn: Connection, path: PathBuf) -> Result<Store, StoreError> {
        let err = |context| {
            let path = path.clone();
            move |e| classify(&path, context, e)
        };
        conn.busy_timeout(BUSY_TIMEOUT)
            .map_err(err("setting the busy timeout"))?;
        conn.pragma_update(None, "foreign_keys", true)
            .map_err(err("turning on foreign keys"))?;
        let version = Store::identify(&conn, &path)?;
        if path.as_os_str() != ":memory:" {
            let mode: String = conn
                .pragma_update_and_check(None, "journal_mode", "WAL", |r| r.get(0))
                .map_err(err("switching to WAL"))?;
            debug_assert_eq!(mode.to_lowercase(), "wal");
        }
        conn.pragma_update(None, "synchronous", "FULL")
            .map_err(err("setting synchronous"))?;
        let mut store = Store { conn, path };
        store.migrate(version)?;
        Ok(store)
    }

    fn migrate(&mut self, from: u32) -> Result<(), StoreError> {
        if from == schema_version() {
            return Ok(());
        }
        let path = self.path.clone();
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Exclusive)
            .map_err(|e| classify(&path, "starting a migration", e))?;
        // Another process may have migrated while this one waited for the lock.
        let now: u32 = tx
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .map_err(|e| classify(&path, "reading the schema version", e))?;
        for (i, sql) in MIGRATIONS.iter().enumerate().skip(now as usize) {
            tx.execute_batch(sql)
                .map_err(|e| classify(&path, "applying a migration", e))?;
            tx.pragma_update(None, "user_version", (i + 1) as u32)
                .map_err(|e| classify(&path, "recording the schema version", e))?;
        }
        tx.pragma_update(None, "application_id", APPLICATION_ID)
            .map_err(|e| classify(&path, "marking the database as memseed's", e))?;
        tx.commit()
            .map_err(|e| classify(&path, "committing a migration", e))
    }

    /// Caps the database at its current size plus `extra_pages` pages (SQLite's
    /// `max_page_count`): a write that needs more fails as on a full disk. This is how the
    /// tests make a disk full; memseed itself never calls it.
    pub fn limit_growth(&self, extra_pages: u32) -> Result<(), StoreError> {
        let pages: u32 = self
            .conn
            .pragma_query_value(None, "page_count", |r| r.get(0))
            .map_err(self.sql("reading the page count"))?;
        self.conn
            .pragma_update(None, "max_page_count", pages + extra_pages)
            .map_err(self.sql("capping the page count"))
    }

    /// Changes how long a write waits for another writer (default [`BUSY_TIMEOUT`]).
    pub fn set_busy_timeout(&self, wait: Duration) -> Result<(), StoreError> {
        self.conn
            .busy_timeout(wait)
            .map_err(self.sql("setting the busy timeout"))
    }

    /// Where the database lives.
    pub fn path(&self) -> &Path {
        &self.path
    }

    fn sql(&self, context: &'static str) -> impl Fn(rusqlite::Error) -> StoreError + '_ {
        move |e| classify(&self.path, context, e)
    }

    /// Runs a query and maps every row.
    fn query_all<T>(
        &self,
        context: &'static str,
        sql: &str,
        params: impl rusqlite::Params,
        map: impl FnMut(&rusqlite::Row<'_>) -> rusqlite::Result<T>,
    ) -> Result<Vec<T>, StoreError> {
        let mut st = self.conn.prepare_cached(sql).map_err(self.sql(context))?;
        st.query_map(params, map)
            .map_err(self.sql(context))?
            .collect::<Result<_, _>>()
            .map_err(self.sql(context))
    }

    /// Writes a consistent copy of the database to `dest` (which must not exist), safe while
    /// other connections write: `VACUUM INTO` reads one snapshot. The copy is written under
    /// a temporary name beside `dest` and linked into place only when complete, so a failure
    /// (a full disk) leaves no partial file behind and a retry can use the same name.
    pub fn backup(&self, dest: &Path) -> Result<(), StoreError> {
        let dest = plain(dest);
        if dest.exists() {
            return Err(StoreError::Exists { path: dest });
        }
        if let Some(dir) = dest.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|source| StoreError::Create {
                path: dir.to_path_buf(),
                source,
            })?;
        }
        let mut tmp_name = dest.file_name().unwrap_or_default().to_os_string();
        tmp_name.push(format!(".partial-{}", std::process::id()));
        let tmp = dest.with_file_name(tmp_name);
        let _ = std::fs::remove_file(&tmp);
        let result = self.backup_to(&tmp).and_then(|()| {
            // A hard link fails if `dest` appeared meanwhile: never overwrite.
            std::fs::hard_link(&tmp, &dest).map_err(|source| match source.kind() {
                std::io::ErrorKind::AlreadyExists => StoreError::Exists { path: dest.clone() },
                _ => StoreError::Create {
                    path: dest.clone(),
                    source,
                },
            })
        });
        let _ = std::fs::remove_file(&tmp);
        result
    }

    fn backup_to(&self, tmp: &Path) -> Result<(), StoreError> {
        let name = tmp.to_str().ok_or_else(|| StoreError::Create {
            path: tmp.to_path_buf(),
            source: std::io::Error::other("the backup path is not valid UTF-8"),
        })?;
        self.conn
            .execute("VACUUM INTO ?1", [name])
            .map_err(|e| classify(tmp, "writing the backup", e))?;
        Ok(())
    }

    /// Refuses a damaged database: `PRAGMA quick_check` reads every page and must say `ok`.
    /// For start-up, so a server never begins serving on a file it cannot read.
    pub fn check_readable(&self) -> Result<(), StoreError> {
        let detail: String = self
            .conn
            .query_row("PRAGMA quick_check", [], |r| r.get(0))
            .map_err(|e| match classify(&self.path, "checking the database", e) {
                StoreError::Sql { path, source, .. } => StoreError::Corrupt {
                    path,
                    detail: source.to_string(),
                },
                other => other,
            })?;
        if detail == "ok" {
            Ok(())
        } else {
            Err(StoreError::Corrupt {
                path: self.path.clone(),
                detail: memseed_text_clip(&detail),
            })
        }
    }

    /// `PRAGMA integrity_check`: `ok` for a sound database.
    pub fn integrity_check(&self) -> Result<String, StoreError> {
        self.conn
            .query_row("PRAGMA integrity_check", [], |r| r.get(0))
            .map_err(self.sql("checking integrity"))
    }
}

/// A database path exactly as given: SQLite (built with URI file names on) reads a name
/// that starts with `file:` as a URI (`file:m.db?mode=memory` would be an in-memory
/// database, and nothing would be saved), so such a relative name is prefixed with `./`.
fn plain(path: &Path) -> PathBuf {
    if path.to_str().is_some_and(|p| p.starts_with("file:")) {
        Path::new(".").join(path)
    } else {
        path.to_path_buf()
    }
}

/// At most 200 characters of a message from SQLite.
fn memseed_text_clip(s: &str) -> String {
    match s.char_indices().nth(200) {
        Some((i, _)) => format!("{}…", &s[..i]),
        None => s.to_string(),
    }
}

/// `file:` URI for `path` with `immutable=1`; `?`, `#` and `%` are percent-encoded so the
/// path cannot be read as query parameters.
fn immutable_uri(path: &Path) -> String {
    let mut uri = String::from("file:");
    for c in path.to_string_lossy().chars() {
        match c {
            '?' => uri.push_str("%3f"),
            '#' => uri.push_str("%23"),
            '%' => uri.push_str("%25"),
            c => uri.push(c),
        }
    }
    uri.push_str("?immutable=1");
    uri
}

/// Maps SQLite errors on one database to [`StoreError`]s, by what was being done.
pub(crate) struct Errors(PathBuf);

impl Errors {
    /// The mapper for errors while doing `context`.
    pub(crate) fn at(&self, context: &'static str) -> impl Fn(rusqlite::Error) -> StoreError + '_ {
        move |err| classify(&self.0, context, err)
    }
}

impl Store {
    /// Starts a write transaction that takes the write lock at once (`BEGIN IMMEDIATE`),
    /// with the error mapper for the work inside it; `context` names the start.
    pub(crate) fn write(
        &mut self,
        context: &'static str,
    ) -> Result<(rusqlite::Transaction<'_>, Errors), StoreError> {
        let errors = Errors(self.path.clone());
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(errors.at(context))?;
        Ok((tx, errors))
    }
}

/// Turns SQLite's codes into the errors a person can act on.
pub(crate) fn classify(path: &Path, context: &'static str, e: rusqlite::Error) -> StoreError {
    let path = path.to_path_buf();
    match e.sqlite_error_code() {
        Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked) => StoreError::Locked { path },
        Some(ErrorCode::ReadOnly) => StoreError::ReadOnly { path },
        Some(ErrorCode::NotADatabase) => StoreError::NotADatabase { path },
        Some(ErrorCode::DiskFull) => StoreError::DiskFull { path },
        Some(ErrorCode::DatabaseCorrupt) => StoreError::Corrupt {
            path,
            detail: e.to_string(),
        },
        _ => StoreError::Sql {
            path,
            context,
            source: e,
        },
    }
}

#[cfg(test)]
mod tests;
