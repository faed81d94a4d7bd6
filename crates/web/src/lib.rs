//! memseed's local web app: every topic to read (topic, concept, interview and last-hour
//! pages, search) and Compression Mode with a live budget slider, over a JSON API.
//!
//! Pages are rendered on the server from askama templates; CSS, one small script and the
//! font are compiled into the binary. Nothing here parses packs or compresses: that is the
//! core's job; this crate turns its answers into HTTP.

mod api;
mod assets;
mod error;
mod pages;
mod search;
mod server;
mod state;
mod study;
mod view;

pub use server::{ServeOptions, Served, router, serve};
pub use state::AppState;
