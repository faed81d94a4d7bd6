//! The router, its layers (security headers, Host and same-site guards, limits, time-outs,
//! panics caught), and the server loop: a cap on open connections, a time limit on reading
//! a request's headers and on an idle connection, and a graceful stop on Ctrl-C or SIGTERM.

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
use tower_http::compression::CompressionLayer;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::timeout::TimeoutLayer;

use crate::error::Problem;
use crate::guard::{self, Hosts};
use crate::state::AppState;
use crate::{
    actions, anki, api, assets, chrome, compare, compress, find, idle, import, learn, leeches,
    plan, progress, pwa, quiz, reconstruct, study, tuning,
};

/// Request bodies larger than this are refused with 413.
pub const BODY_LIMIT: usize = 64 * 1024;
/// A request that takes longer than this to answer is answered with 503.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(15);
/// A client must send a request's whole header within this time, or the connection closes.
pub const HEADER_TIMEOUT: Duration = Duration::from_secs(10);
/// A connection with no traffic either way for this long is closed.
pub const IDLE_TIMEOUT: Duration = Duration::from_secs(30);
/// Open connections at most; more wait in the operating system's queue until one closes.
pub const MAX_CONNECTIONS: usize = 512;

/// The server loop's limits; the defaults are the constants above.
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    pub max_connections: usize,
    pub header_timeout: Duration,
    pub idle_timeout: Duration,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_connections: MAX_CONNECTIONS,
            header_timeout: HEADER_TIMEOUT,
            idle_timeout: IDLE_TIMEOUT,
        }
    }
}

/// Where to listen.
#[derive(Clone, Debug)]
pub struct ServeOptions {
    pub bind: IpAddr,
    /// 0 picks a free port.
    pub port: u16,
    /// Host names to answer besides the loopback ones (`--allow-host`).
    pub allow_hosts: Vec<String>,
}

impl ServeOptions {
    /// The Host names this server answers: on a loopback address, only loopback names and
    /// `allow_hosts` (so a page that rebinds a name of its own to 127.0.0.1 is refused);
    /// elsewhere `allow_hosts` if given, else any.
    pub fn hosts(&self) -> Hosts {
        if self.bind.is_loopback() {
            Hosts::loopback(&self.allow_hosts)
        } else if self.allow_hosts.is_empty() {
            Hosts::default()
        } else {
            Hosts {
                allowed: Some(self.allow_hosts.clone()),
            }
        }
    }
}

/// What the server serves: the topics, and the study service if there is a database.
pub struct Served<'a> {
    pub catalog: &'a Catalog,
    pub recall: Option<memseed_recall::Recall>,
    /// Where the Import page saves topics (`<data dir>/topics`).
    pub topics_dir: Option<std::path::PathBuf>,
}

/// Every route of the app, with its layers.
pub fn router(state: Arc<AppState>) -> Router {
    let app = Router::new()
        // Learn
        .route("/", get(learn::home))
        .route("/topics/{slug}", get(learn::topic))
        .route("/topics/{slug}/concepts/{id}", get(learn::concept))
        .route("/topics/{slug}/interview", get(learn::interview))
        .route("/topics/{slug}/last-hour", get(learn::last_hour))
        .route("/topics/{slug}/anki", get(anki::export))
        .route("/compare", get(compare::page))
        .route("/search", get(find::page))
        .route("/api/search", get(find::api))
        // Compress
        .route("/compress", get(compress::page))
        .route("/api/topics/{slug}/view", get(compress::view_api))
        // Study
        .route("/study", get(study::page))
        .route("/study/rate", post(study::rate_form))
        .route("/api/study/review", post(study::review_api))
        .route("/stats", get(progress::stats_page))
        .route("/api/stats", get(progress::stats_api))
        // Study: undo, suspension, leeches, FSRS tuning, the interview date (issue 18)
        .route("/study/undo", post(actions::undo_form))
        .route("/api/study/undo", post(actions::undo_api))
        .route("/study/suspend", post(actions::suspend_form))
        .route("/leeches", get(leeches::page))
        .route("/leeches/unsuspend", post(leeches::unsuspend_form))
        .route("/stats/optimize", post(tuning::optimize_form))
        .route("/stats/plan", post(plan::plan_form))
        // Drills: quiz and reconstruct (issue 18)
        .route("/topics/{slug}/quiz", get(quiz::page).post(quiz::answer))
        .route(
            "/topics/{slug}/reconstruct",
            get(reconstruct::page).post(reconstruct::rate),
        )
        // The JSON API
        .route("/api/topics", get(api::topics))
        .route("/api/topics/{slug}", get(api::topic))
        .route("/api/topics/{slug}/compress", get(api::compress))
        .route("/api/topics/{slug}/card.png", get(api::card_png))
        .route("/api/topics/{slug}/card.svg", get(api::card_svg))
        // Assets and the installable app
        .route("/assets/{name}", get(assets::serve))
        .route("/icons/{name}", get(pwa::icon))
        .route("/favicon.ico", get(pwa::favicon))
        .route("/manifest.webmanifest", get(pwa::manifest))
        .route("/sw.js", get(pwa::worker))
        .route("/offline", get(pwa::offline))
        .fallback(chrome::not_found)
        .with_state(state.clone());
    with_layers(app, Some(BODY_LIMIT))
        .merge(with_layers(import::routes(state.clone()), None))
        .layer(axum::middleware::from_fn(guard::check_same_site))
        .layer(axum::middleware::from_fn_with_state(
            state.hosts.clone(),
            guard::check_host,
        ))
}

/// The layers every route gets: panics caught, a time-out, a body limit (the Import page
/// sets its own), compression (brotli or gzip, as the client accepts; images are left
/// alone; [`run`] sends loopback clients uncompressed), security headers.
fn with_layers(app: Router, body_limit: Option<usize>) -> Router {
    let headers: [(HeaderName, &'static str); 6] = [
        (header::CONTENT_SECURITY_POLICY, "default-src 'self'"),
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (header::X_FRAME_OPTIONS, "DENY"),
        // Same-origin requests keep their referrer (and browsers send a real `Origin` with
        // form posts); other sites learn nothing.
        (header::REFERRER_POLICY, "same-origin"),
        (
            HeaderName::from_static("cross-origin-opener-policy"),
            "same-origin",
        ),
        (
            HeaderName::from_static("permissions-policy"),
            "camera=(), microphone=(), geolocation=()",
        ),
    ];
    let mut app =
        app.layer(CatchPanicLayer::custom(panic_response))
            .layer(TimeoutLayer::with_status_code(
                StatusCode::SERVICE_UNAVAILABLE,
                REQUEST_TIMEOUT,
            ));
    if let Some(limit) = body_limit {
        app = app.layer(RequestBodyLimitLayer::new(limit));
    }
    app = app.layer(CompressionLayer::new().br(true).gzip(true));
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
    (p.status, Html(chrome::error_page(&p))).into_response()
}

/// Serves the catalog until Ctrl-C or SIGTERM; in-flight requests finish first. `ready` is
/// called with the bound address once the socket listens.
pub fn serve(
    what: Served<'_>,
    opts: &ServeOptions,
    ready: impl FnOnce(SocketAddr),
) -> io::Result<()> {
    let mut state = match what.recall {
        Some(r) => AppState::with_recall(what.catalog, r),
        None => AppState::new(what.catalog),
    };
    state.hosts = opts.hosts();
    state.topics_dir = what.topics_dir;
    let app = router(Arc::new(state));
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    rt.block_on(async move {
        let listener = tokio::net::TcpListener::bind((opts.bind, opts.port)).await?;
        ready(listener.local_addr()?);
        run(listener, app, Limits::default(), stop_signal()).await;
        Ok(())
    })
}

/// Accepts connections on `listener` until `stop` resolves, each served by hyper with the
/// time limits of `limits`, at most `limits.max_connections` at once; then lets requests in
/// flight finish.
pub async fn run(
    listener: tokio::net::TcpListener,
    app: Router,
    limits: Limits,
    stop: impl std::future::Future<Output = ()>,
) {
    let slots = Arc::new(tokio::sync::Semaphore::new(limits.max_connections));
    let graceful = hyper_util::server::graceful::GracefulShutdown::new();
    tokio::pin!(stop);
    loop {
        let slot = tokio::select! {
            s = slots.clone().acquire_owned() => match s {
                Ok(s) => s,
                Err(_) => break,
            },
            () = &mut stop => break,
        };
        let (stream, peer) = tokio::select! {
            r = listener.accept() => match r {
                Ok(accepted) => accepted,
                Err(e) => {
                    // Out of file descriptors, or a connection reset before accept: wait
                    // a moment rather than spin.
                    eprintln!("memseed serve: cannot accept a connection: {e}");
                    tokio::time::sleep(Duration::from_millis(100)).await;
                    continue;
                }
            },
            () = &mut stop => break,
        };
        let _ = stream.set_nodelay(true);
        let io = idle::Watched::new(stream);
        let last = io.last_activity();
        // Compression saves bytes on a network and costs time: on loopback (the browser on
        // this machine) a page goes out as is, which keeps the first byte quick.
        let loopback = peer.ip().is_loopback();
        let app = app.clone();
        let service =
            hyper::service::service_fn(move |mut req: hyper::Request<hyper::body::Incoming>| {
                if loopback {
                    req.headers_mut().remove(header::ACCEPT_ENCODING);
                }
                tower::ServiceExt::oneshot(app.clone(), req)
            });
        let conn = hyper::server::conn::http1::Builder::new()
            .timer(hyper_util::rt::TokioTimer::new())
            .header_read_timeout(limits.header_timeout)
            .keep_alive(true)
            .serve_connection(hyper_util::rt::TokioIo::new(io), service);
        let conn = graceful.watch(conn);
        tokio::spawn(async move {
            let _slot = slot;
            tokio::select! {
                _ = conn => {}
                () = idle::expired(last, limits.idle_timeout) => {}
            }
        });
    }
    // Requests in flight finish; idle connections close at once.
    let _ = tokio::time::timeout(REQUEST_TIMEOUT, graceful.shutdown()).await;
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
        let app = with_layers(
            Router::new().route(
                "/boom",
                get(|| async {
                    if true {
                        panic!("boom");
                    }
                    "never"
                }),
            ),
            Some(BODY_LIMIT),
        );
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
