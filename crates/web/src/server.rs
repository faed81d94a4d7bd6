//! The router, its layers (security headers, limits, time-outs, panics caught), and the
//! server loop with a graceful stop on Ctrl-C or SIGTERM.

use std::any::Any;
use std::io;
use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::http::{HeaderName, HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};
use memseed_catalog::Catalog;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::timeout::TimeoutLayer;

use crate::error::Problem;
use crate::state::AppState;
use crate::{api, assets, pages, study};

/// Request bodies larger than this are refused (no route takes one today).
pub const BODY_LIMIT: usize = 64 * 1024;
/// A request that takes longer than this is answered with 408.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(15);

/// Where to listen.
#[derive(Clone, Debug)]
pub struct ServeOptions {
    pub bind: IpAddr,
    /// 0 picks a free port.
    pub port: u16,
}

/// What the server serves: the topics, and the study service if there is a database.
pub struct Served<'a> {
    pub catalog: &'a Catalog,
    pub recall: Option<memseed_recall::Recall>,
}

/// Every route of the app, with its layers.
pub fn router(state: Arc<AppState>) -> Router {
    let app = Router::new()
        .route("/", get(pages::home))
        .route("/topics/{slug}", get(pages::topic))
        .route("/topics/{slug}/concepts/{id}", get(pages::concept))
        .route("/topics/{slug}/interview", get(pages::interview))
        .route("/topics/{slug}/last-hour", get(pages::last_hour))
        .route("/compress", get(pages::compress))
        .route("/search", get(pages::search))
        .route("/assets/{name}", get(assets::serve))
        .route("/api/topics", get(api::topics))
        .route("/api/topics/{slug}", get(api::topic))
        .route("/api/topics/{slug}/compress", get(api::compress))
        .route("/api/topics/{slug}/card.png", get(api::card_png))
        .route("/api/topics/{slug}/card.svg", get(api::card_svg))
        .route("/study", get(study::page))
        .route("/study/rate", post(study::rate_form))
        .route("/stats", get(study::stats_page))
        .route("/api/study/review", post(study::review_api))
        .route("/api/stats", get(study::stats_api))
        .fallback(pages::not_found)
        .with_state(state);
    with_layers(app)
}

/// The layers every route gets: panics caught, a time-out, a body limit, security headers.
fn with_layers(app: Router) -> Router {
    let headers: [(HeaderName, &'static str); 6] = [
        (header::CONTENT_SECURITY_POLICY, "default-src 'self'"),
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (header::X_FRAME_OPTIONS, "DENY"),
        (header::REFERRER_POLICY, "no-referrer"),
        (
            HeaderName::from_static("cross-origin-opener-policy"),
            "same-origin",
        ),
        (
            HeaderName::from_static("permissions-policy"),
            "camera=(), microphone=(), geolocation=()",
        ),
    ];
    let mut app = app
        .layer(CatchPanicLayer::custom(panic_response))
        .layer(TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            REQUEST_TIMEOUT,
        ))
        .layer(RequestBodyLimitLayer::new(BODY_LIMIT));
    for (name, value) in headers {
        app = app.layer(SetResponseHeaderLayer::if_not_present(
            name,
            HeaderValue::from_static(value),
        ));
    }
    app
}

/// A panic in a handler: logged, answered with a 500 page, the connection kept.
fn panic_response(err: Box<dyn Any + Send + 'static>) -> Response {
    let what = err
        .downcast_ref::<String>()
        .map(String::as_str)
        .or_else(|| err.downcast_ref::<&str>().copied())
        .unwrap_or("unknown panic");
    let p = Problem::internal("answering a request (a handler panicked)", what);
    (p.status, Html(pages::error_page(&p))).into_response()
}

/// Serves the catalog until Ctrl-C or SIGTERM; in-flight requests finish first. `ready` is
/// called with the bound address once the socket listens.
pub fn serve(
    what: Served<'_>,
    opts: &ServeOptions,
    ready: impl FnOnce(SocketAddr),
) -> io::Result<()> {
    let state = Arc::new(match what.recall {
        Some(r) => AppState::with_recall(what.catalog, r),
        None => AppState::new(what.catalog),
    });
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    rt.block_on(async move {
        let listener = tokio::net::TcpListener::bind((opts.bind, opts.port)).await?;
        ready(listener.local_addr()?);
        axum::serve(listener, router(state))
            .with_graceful_shutdown(stop_signal())
            .await
    })
}

/// Resolves on Ctrl-C or SIGTERM.
async fn stop_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = term => {},
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::body::Body;
    use axum::http::Request;
    use tower::ServiceExt;

    #[tokio::test]
    async fn a_panicking_handler_becomes_a_logged_500_page() {
        let app = with_layers(Router::new().route(
            "/boom",
            get(|| async {
                if true {
                    panic!("boom");
                }
                "never"
            }),
        ));
        let res = app
            .oneshot(Request::get("/boom").body(Body::empty()).unwrap())
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::INTERNAL_SERVER_ERROR);
        assert_eq!(
            res.headers()[header::CONTENT_SECURITY_POLICY],
            "default-src 'self'"
        );
        let body = http_body_util::BodyExt::collect(res.into_body())
            .await
            .unwrap()
            .to_bytes();
        let html = String::from_utf8_lossy(&body);
        assert!(html.contains("Something went wrong"), "{html}");
        assert!(!html.contains("boom"), "panic details stay in the log");
    }
}
