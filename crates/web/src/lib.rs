//! memseed's local web app: every topic to read (topic, concept, interview and last-hour
//! pages, search) and Compression Mode with a live budget slider, over a JSON API.
//!
//! Pages are rendered on the server from askama templates; CSS, one small script and the
//! font are compiled into the binary. Nothing here parses packs or compresses: that is the
//! core's job; this crate turns its answers into HTTP.

mod api;
mod assets;
mod error;
mod guard;
mod idle;
mod import;
mod pages;
mod search;
mod server;
mod state;
mod study;
mod view;

pub use guard::{Hosts, TOKEN_FIELD, TOKEN_HEADER, token};
pub use import::IMPORT_LIMIT;
pub use server::{
    BODY_LIMIT, HEADER_TIMEOUT, IDLE_TIMEOUT, Limits, MAX_CONNECTIONS, REQUEST_TIMEOUT,
    ServeOptions, Served, router, run, serve,
};
pub use state::AppState;
