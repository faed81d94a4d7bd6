//! memseed's local web app: every topic to read (topic, concept, interview and last-hour
//! pages, compare, search), Compression Mode with a live budget slider, study and
//! progress, over a JSON API; installable and usable offline.
//!
//! Pages are rendered on the server from askama templates; CSS, small scripts and the font
//! are compiled into the binary. Nothing here parses packs or compresses: that is the
//! core's job; this crate turns its answers into HTTP.
//!
//! Modules by page family (learn, compare, find, compress, study with its card actions and
//! leeches, progress with the interview plan and FSRS tuning, pwa) sit over
//! the shared frame (`chrome`), view models (`view`), errors and state.

mod actions;
mod anki;
mod api;
mod assets;
mod chrome;
mod compare;
mod compress;
mod error;
mod find;
mod guard;
mod idle;
mod import;
mod learn;
mod leeches;
mod plan;
mod progress;
mod pwa;
// Quiz and reconstruct drills, and "For me" in Compression Mode (issue 18).
mod personal;
mod quiz;
mod reconstruct;
mod search;
mod server;
mod state;
mod study;
mod tuning;
mod view;

pub use guard::{Hosts, TOKEN_FIELD, TOKEN_HEADER, token};
pub use import::IMPORT_LIMIT;
pub use server::{
    BODY_LIMIT, HEADER_TIMEOUT, IDLE_TIMEOUT, Limits, MAX_CONNECTIONS, REQUEST_TIMEOUT,
    ServeOptions, Served, router, run, serve,
};
pub use state::AppState;
