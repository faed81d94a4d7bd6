//! Errors a request can end in: shown as an HTML page to a browser, as JSON to the API.
//! Every user mistake is a 4xx with a message and a hint; a bug is a logged 500.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use serde_json::json;

/// A request that cannot be answered, with what to tell the person.
#[derive(Clone, Debug, PartialEq)]
pub struct Problem {
    pub status: StatusCode,
    pub message: String,
    pub hint: String,
}

impl Problem {
    pub fn not_found(message: impl Into<String>, hint: impl Into<String>) -> Problem {
        Problem {
            status: StatusCode::NOT_FOUND,
            message: message.into(),
            hint: hint.into(),
        }
    }

    pub fn bad_request(message: impl Into<String>, hint: impl Into<String>) -> Problem {
        Problem {
            status: StatusCode::BAD_REQUEST,
            message: message.into(),
            hint: hint.into(),
        }
    }

    /// A bug on our side: logged, and shown without details.
    pub fn internal(context: &str, error: impl std::fmt::Display) -> Problem {
        eprintln!("memseed serve: internal error while {context}: {error}");
        Problem {
            status: StatusCode::INTERNAL_SERVER_ERROR,
            message: "Something went wrong on memseed's side.".into(),
            hint: "The error was logged where the server runs; please report it.".into(),
        }
    }

    /// The JSON form, for the API.
    pub fn json(self) -> Response {
        (
            self.status,
            Json(json!({
                "error": { "status": self.status.as_u16(), "message": self.message, "hint": self.hint }
            })),
        )
            .into_response()
    }
}

/// An API error: a [`Problem`] answered as JSON.
pub struct ApiError(pub Problem);

impl From<Problem> for ApiError {
    fn from(p: Problem) -> Self {
        ApiError(p)
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        self.0.json()
    }
}

/// A page error: a [`Problem`] answered as an HTML page.
pub struct PageError(pub Problem);

impl From<Problem> for PageError {
    fn from(p: Problem) -> Self {
        PageError(p)
    }
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        let status = self.0.status;
        (status, Html(crate::chrome::error_page(&self.0))).into_response()
    }
}

/// A path that did not decode (bad percent-encoding, not UTF-8): the person's mistake.
pub fn bad_path(r: axum::extract::rejection::PathRejection) -> Problem {
    Problem::bad_request(
        format!("The address is not valid: {}", r.body_text()),
        "Topic and concept ids are plain words; check the link.",
    )
}
