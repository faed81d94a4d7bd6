//! The Import page: paste Markdown or upload notes (or one Anki deck), see the pack they
//! make and its 2 KB card, then save it as a topic the server serves at once. Uploads are multipart with the
//! page token in the query; the pack text is shown for editing and checked again on save.

use std::sync::Arc;

use askama::Template;
use axum::Router;
use axum::extract::{DefaultBodyLimit, Multipart, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use memseed_catalog::Origin;
use memseed_core::{Card, Compressor, Pack, load_str};
use memseed_import::{Note, Options, Sidecar};

use crate::chrome::{Chrome, error_page, render};
use crate::error::{PageError, Problem};
use crate::state::{AddError, AppState};

/// The largest upload or paste the Import page takes: 2 MiB. Bigger note folders import
/// with `memseed import`, which has no such limit.
pub const IMPORT_LIMIT: usize = 2 * 1024 * 1024;

/// Files taken from one upload.
const MAX_FILES: usize = 500;

/// The budget of the card shown with the preview.
const PREVIEW_BUDGET: u64 = 2048;

/// The Import page's routes, with their own body limit (the rest of the app keeps 64 KiB).
pub fn routes(state: Arc<AppState>) -> Router {
    Router::new()
        .route("/import", get(page).post(preview))
        .route("/import/save", post(save))
        .layer(DefaultBodyLimit::max(IMPORT_LIMIT))
        .with_state(state)
}

#[derive(Template)]
#[template(path = "import.html")]
struct ImportPage {
    chrome: Chrome,
    limit: String,
    text: String,
    id: String,
    title: String,
    error: String,
    preview: Option<Preview>,
    can_save: bool,
}

/// What an import made, for the page.
struct Preview {
    id: String,
    title: String,
    notes: usize,
    tiers: [usize; 4],
    concepts: usize,
    traps: usize,
    questions: usize,
    practice: usize,
    warnings: Vec<String>,
    card: String,
    card_bytes: usize,
    toml: String,
    /// The first concepts with tier and anchor.
    top: Vec<(String, &'static str, String)>,
}

fn page_with(
    error: &str,
    text: &str,
    id: &str,
    title: &str,
    preview: Option<Preview>,
    st: &AppState,
) -> ImportPage {
    ImportPage {
        chrome: Chrome::new("Import notes")
            .nav("import")
            .describe("Turn your own Markdown notes into a topic to compress and study."),
        limit: format!("{} MiB", IMPORT_LIMIT / (1024 * 1024)),
        text: text.to_string(),
        id: id.to_string(),
        title: title.to_string(),
        error: error.to_string(),
        preview,
        can_save: st.topics_dir.is_some(),
    }
}

/// `GET /import`.
pub async fn page(State(st): State<Arc<AppState>>) -> Result<Html<String>, PageError> {
    render(&page_with("", "", "", "", None, &st))
}

/// A refusal shown as the error page.
fn refuse(status: StatusCode, message: impl Into<String>, hint: impl Into<String>) -> Response {
    let p = Problem {
        status,
        message: message.into(),
        hint: hint.into(),
    };
    (status, Html(error_page(&p))).into_response()
}

fn too_large() -> Response {
    refuse(
        StatusCode::PAYLOAD_TOO_LARGE,
        format!(
            "The upload is larger than {} MiB, the most the Import page takes.",
            IMPORT_LIMIT / (1024 * 1024)
        ),
        "Import a large folder of notes from a terminal: memseed import FOLDER. Nothing was saved.",
    )
}

/// Refuses a body whose declared length is over the limit before reading it.
fn over_limit(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok())
        .is_some_and(|n| n > IMPORT_LIMIT)
}

/// The fields of a multipart form: text fields by name, files as notes.
struct Form {
    fields: Vec<(String, String)>,
    files: Vec<Note>,
    /// Anki packages and text exports, by name.
    anki: Vec<(String, Vec<u8>)>,
    skipped: Vec<String>,
}

impl Form {
    fn get(&self, name: &str) -> &str {
        self.fields
            .iter()
            .find(|(k, _)| k == name)
            .map_or("", |(_, v)| v.as_str())
    }
}

async fn read_form(mut mp: Multipart) -> Result<Form, Response> {
    let mut form = Form {
        fields: Vec::new(),
        files: Vec::new(),
        anki: Vec::new(),
        skipped: Vec::new(),
    };
    loop {
        let field = match mp.next_field().await {
            Ok(Some(f)) => f,
            Ok(None) => break,
            Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => return Err(too_large()),
            Err(e) => {
                return Err(refuse(
                    StatusCode::BAD_REQUEST,
                    format!("The form could not be read: {}.", e.body_text()),
                    "Reload the page and try again. Nothing was saved.",
                ));
            }
        };
        let name = field.name().unwrap_or("").to_string();
        let file_name = field.file_name().map(str::to_string);
        let bytes = match field.bytes().await {
            Ok(b) => b,
            Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => return Err(too_large()),
            Err(e) => {
                return Err(refuse(
                    StatusCode::BAD_REQUEST,
                    format!("The form could not be read: {}.", e.body_text()),
                    "Reload the page and try again. Nothing was saved.",
                ));
            }
        };
        match file_name {
            Some(f) if name == "files" => {
                if f.is_empty() && bytes.is_empty() {
                    continue; // the file input left empty
                }
                if form.files.len() >= MAX_FILES {
                    form.skipped.push(format!(
                        "{f}: more than {MAX_FILES} files in one upload; skipped"
                    ));
                    continue;
                }
                let lower = f.to_ascii_lowercase();
                if memseed_anki::is_anki_file(&f, &bytes) {
                    form.anki.push((f, bytes.to_vec()));
                    continue;
                }
                if !(lower.ends_with(".md")
                    || lower.ends_with(".markdown")
                    || lower.ends_with(".txt"))
                {
                    form.skipped.push(format!(
                        "{f}: not a .md, .markdown or .txt file, nor an Anki .apkg, .colpkg or .csv; skipped"
                    ));
                    continue;
                }
                match memseed_import::read::decode(&f, bytes.to_vec()) {
                    Ok(text) => form.files.push(Note {
                        markdown: (!lower.ends_with(".txt")).then_some(true),
                        name: f,
                        text,
                    }),
                    Err(w) => form.skipped.push(w.to_string()),
                }
            }
            _ => match String::from_utf8(bytes.to_vec()) {
                Ok(s) => form.fields.push((name, s)),
                Err(_) => {
                    return Err(refuse(
                        StatusCode::BAD_REQUEST,
                        format!("The field \"{name}\" is not UTF-8 text."),
                        "Paste text, or upload the notes as files. Nothing was saved.",
                    ));
                }
            },
        }
    }
    Ok(form)
}

/// `POST /import`: the pack the pasted or uploaded notes make, not saved yet.
pub async fn preview(
    State(st): State<Arc<AppState>>,
    headers: HeaderMap,
    mp: Multipart,
) -> Response {
    if over_limit(&headers) {
        return too_large();
    }
    let form = match read_form(mp).await {
        Ok(f) => f,
        Err(r) => return r,
    };
    let text = form.get("text").replace("\r\n", "\n");
    let id = form.get("id").trim().to_string();
    let title = form.get("title").trim().to_string();
    let mut notes = form.files;
    notes.sort_by(|a, b| a.name.cmp(&b.name));
    if !text.trim().is_empty() {
        notes.insert(
            0,
            Note {
                name: "pasted text".into(),
                text: text.clone(),
                markdown: None,
            },
        );
    }
    let again = |msg: &str, st: &AppState| -> Response {
        let page = page_with(msg, &text, &id, &title, None, st);
        match render(&page) {
            Ok(html) => (StatusCode::UNPROCESSABLE_ENTITY, html).into_response(),
            Err(e) => e.into_response(),
        }
    };
    let anki_count = form.anki.len();
    if notes.is_empty() && anki_count == 0 {
        let mut msg = "Paste some notes or choose files to import.".to_string();
        if !form.skipped.is_empty() {
            msg = format!("No note could be read: {}", form.skipped.join("; "));
        }
        return again(&msg, &st);
    }
    let skipped = form.skipped;
    let id_opt = (!id.is_empty()).then(|| id.clone());
    let title_opt = (!title.is_empty()).then(|| title.clone());
    let made = if let Some((name, bytes)) = form.anki.into_iter().next() {
        if !notes.is_empty() || anki_count > 1 {
            return again(
                "Import an Anki deck on its own: one .apkg (or Anki text file) with no other files or pasted text.",
                &st,
            );
        }
        tokio::task::spawn_blocking(move || -> Result<Preview, String> {
            let limits = memseed_anki::Limits {
                media: false,
                ..memseed_anki::Limits::default()
            };
            let col = memseed_anki::read_bytes(&name, &bytes, &limits).map_err(|e| e.to_string())?;
            let opts = memseed_anki::Options {
                id: id_opt,
                title: title_opt,
                now: crate::study::now(),
            };
            let imported = memseed_anki::to_pack(&col, &name, &opts).map_err(|e| e.to_string())?;
            let mut warnings = skipped;
            warnings.extend(imported.warnings.iter().map(ToString::to_string));
            if !imported.history.is_empty() {
                warnings.push(format!(
                    "{name}: the deck's review history ({} cards) is not brought in from this page; memseed import {name} --with-history brings it into your study database",
                    imported.history.len()
                ));
            }
            Ok(preview_of(&imported.pack, imported.toml, imported.notes, warnings))
        })
        .await
    } else {
        let opts = Options {
            id: id_opt,
            title: title_opt,
        };
        tokio::task::spawn_blocking(move || -> Result<Preview, String> {
            let imported =
                memseed_import::import(&notes, &opts, &|_| {}).map_err(|e| e.to_string())?;
            let mut warnings = skipped;
            warnings.extend(imported.warnings.iter().map(ToString::to_string));
            Ok(preview_of(
                &imported.pack,
                imported.toml,
                imported.notes,
                warnings,
            ))
        })
        .await
    };
    match made {
        Ok(Ok(preview)) => {
            let page = page_with("", &text, &id, &title, Some(preview), &st);
            match render(&page) {
                Ok(html) => html.into_response(),
                Err(e) => e.into_response(),
            }
        }
        Ok(Err(msg)) => again(&format!("These notes make no topic: {msg}."), &st),
        Err(e) => PageError(Problem::internal("importing notes", e)).into_response(),
    }
}

/// What the page shows of an imported pack: counts, the first concepts, its 2 KB card and
/// the pack text.
fn preview_of(p: &Pack, toml: String, notes: usize, warnings: Vec<String>) -> Preview {
    let compressor = Compressor::new(p);
    let (card, card_bytes) = match Card::new(p, &compressor, PREVIEW_BUDGET) {
        Ok(c) => {
            let t = c.text();
            let n = t.len();
            (t, n)
        }
        Err(e) => (format!("(no card fits in {PREVIEW_BUDGET} bytes: {e})"), 0),
    };
    let mut order: Vec<usize> = (0..p.concepts.len()).collect();
    order.sort_by_key(|&i| (p.concepts[i].tier, i));
    let top = order
        .into_iter()
        .take(12)
        .map(|i| {
            let c = &p.concepts[i];
            (
                c.title.clone(),
                c.tier.as_str(),
                c.anchor.clone().unwrap_or_default(),
            )
        })
        .collect();
    Preview {
        id: p.topic.id.clone(),
        title: p.topic.title.clone(),
        notes,
        tiers: p.concepts_by_tier(),
        concepts: p.concepts.len(),
        traps: p.traps.len(),
        questions: p.questions.len(),
        practice: p.practice.len(),
        warnings,
        card,
        card_bytes,
        toml,
        top,
    }
}

/// `POST /import/save`: checks the pack text again, writes it to the topics folder (never
/// over a file), and serves it from now on.
pub async fn save(State(st): State<Arc<AppState>>, headers: HeaderMap, mp: Multipart) -> Response {
    if over_limit(&headers) {
        return too_large();
    }
    let form = match read_form(mp).await {
        Ok(f) => f,
        Err(r) => return r,
    };
    let toml = form.get("toml").replace("\r\n", "\n");
    let Some(dir) = st.topics_dir.clone() else {
        return refuse(
            StatusCode::CONFLICT,
            "This server has no topics folder to save to.",
            "Start it with memseed serve (which uses your data directory), or import from a terminal. Nothing was saved.",
        );
    };
    let pack: Pack = match load_str("imported.toml", &toml) {
        Ok((p, _)) => p,
        Err(errs) => {
            let first: Vec<String> = errs.0.iter().take(5).map(ToString::to_string).collect();
            return refuse(
                StatusCode::UNPROCESSABLE_ENTITY,
                format!("The pack text has errors: {}", first.join("; ")),
                "Go back, fix the text (or import again), and save. Nothing was saved.",
            );
        }
    };
    let id = pack.topic.id.clone();
    if st.topic(&id).is_some() {
        return refuse(
            StatusCode::CONFLICT,
            format!("A topic with the id \"{id}\" already exists."),
            "Go back and give this one another id, or update the existing pack with memseed import --update. Nothing was saved.",
        );
    }
    let path = dir.join(format!("{id}.toml"));
    let written = tokio::task::spawn_blocking({
        let path = path.clone();
        let pack = pack.clone();
        move || write_new(&dir, &path, &toml, &pack)
    })
    .await;
    match written {
        Ok(Ok(())) => {}
        Ok(Err(WriteError::Exists)) => {
            return refuse(
                StatusCode::CONFLICT,
                format!("{} already exists.", path.display()),
                "Give the topic another id, or use memseed import --update to merge into it. Nothing was saved.",
            );
        }
        Ok(Err(WriteError::Io(e))) => {
            return refuse(
                StatusCode::INSUFFICIENT_STORAGE,
                format!("The pack could not be written to the topics folder: {e}."),
                "Check the disk and the folder's permissions. Nothing was saved.",
            );
        }
        Err(e) => {
            return PageError(Problem::internal("saving an imported topic", e)).into_response();
        }
    }
    let slug = crate::view::topic_url(&id);
    let added = {
        let st = st.clone();
        tokio::task::spawn_blocking(move || {
            st.add_topic(pack, Origin::User(path), crate::study::now())
                .map(|_| ())
        })
        .await
    };
    match added {
        Ok(Ok(())) => Redirect::to(&slug).into_response(),
        Ok(Err(AddError::Exists)) => refuse(
            StatusCode::CONFLICT,
            format!("A topic with the id \"{id}\" was added meanwhile."),
            "It is saved; restart the server to serve this file.",
        ),
        Ok(Err(AddError::Full)) => refuse(
            StatusCode::SERVICE_UNAVAILABLE,
            "The topic is saved, but this server has added as many topics as it will while running.",
            "Restart memseed serve to see it.",
        ),
        Ok(Err(AddError::Study(e))) => refuse(
            StatusCode::SERVICE_UNAVAILABLE,
            format!("The topic is saved and served, but its study cards could not be added: {e}."),
            "Restart memseed serve to study it.",
        ),
        Err(e) => PageError(Problem::internal("serving an imported topic", e)).into_response(),
    }
}

enum WriteError {
    Exists,
    Io(std::io::Error),
}

/// Writes the pack and its import sidecar; never replaces a file.
fn write_new(
    dir: &std::path::Path,
    path: &std::path::Path,
    toml: &str,
    pack: &Pack,
) -> Result<(), WriteError> {
    use std::io::Write;
    std::fs::create_dir_all(dir).map_err(WriteError::Io)?;
    let mut f = match std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
    {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => return Err(WriteError::Exists),
        Err(e) => return Err(WriteError::Io(e)),
    };
    if let Err(e) = f.write_all(toml.as_bytes()).and_then(|()| f.sync_all()) {
        let _ = std::fs::remove_file(path);
        return Err(WriteError::Io(e));
    }
    let sidecar = path.with_extension("import.json");
    std::fs::write(sidecar, Sidecar::of(pack).to_json()).map_err(WriteError::Io)
}
