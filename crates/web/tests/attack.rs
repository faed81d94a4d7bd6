//! The hardening issue's attack test, through a real server on a real socket: cross-site
//! writes and a foreign Host are refused (F1, F2), 200 idle sockets do not stop probes and
//! are closed when idle (F7), and expensive share cards do not hold up other requests (F5).

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::sync::Arc;
use std::time::{Duration, Instant};

use memseed_catalog::{Catalog, Origin};
use memseed_core::synth::{self, Shape};
use memseed_recall::{Deck, Recall};
use memseed_store::Store;
use memseed_study::Settings;
use memseed_web::{AppState, Hosts, Limits, router, run, token};

/// A server on 127.0.0.1 with `state`, until the returned guard is dropped.
struct Server {
    addr: SocketAddr,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Some(s) = self.stop.take() {
            let _ = s.send(());
        }
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

fn start(state: AppState, limits: Limits) -> Server {
    let (tx, rx) = std::sync::mpsc::channel();
    let (stop_tx, stop_rx) = tokio::sync::oneshot::channel::<()>();
    let thread = std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap();
        rt.block_on(async move {
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
            tx.send(listener.local_addr().unwrap()).unwrap();
            let app = router(Arc::new(state));
            run(listener, app, limits, async {
                let _ = stop_rx.await;
            })
            .await;
        });
    });
    Server {
        addr: rx.recv().unwrap(),
        stop: Some(stop_tx),
        thread: Some(thread),
    }
}

/// Sends a raw HTTP/1.1 request and returns the status code and body.
fn request(addr: SocketAddr, raw: &str) -> (u16, String) {
    let mut s = TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    s.write_all(raw.as_bytes()).unwrap();
    let mut buf = Vec::new();
    let _ = s.read_to_end(&mut buf);
    let text = String::from_utf8_lossy(&buf).into_owned();
    let status = text
        .split_whitespace()
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    let body = text.split("\r\n\r\n").nth(1).unwrap_or("").to_string();
    (status, body)
}

fn get(addr: SocketAddr, path: &str) -> (u16, String) {
    request(
        addr,
        &format!("GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"),
    )
}

fn post(addr: SocketAddr, path: &str, headers: &[(&str, &str)], ct: &str, body: &str) -> u16 {
    let mut raw = format!(
        "POST {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\nContent-Type: {ct}\r\nContent-Length: {}\r\n",
        body.len()
    );
    for (k, v) in headers {
        raw.push_str(&format!("{k}: {v}\r\n"));
    }
    raw.push_str("\r\n");
    raw.push_str(body);
    request(addr, &raw).0
}

fn study_state(hosts: Hosts) -> AppState {
    let cat = Catalog::bundled();
    let recall = Recall::with_store(
        Store::open_in_memory().unwrap(),
        Deck::from_catalog(&cat),
        Settings::default(),
        1_800_000_000,
    )
    .unwrap();
    let mut st = AppState::with_recall(&cat, recall);
    st.hosts = hosts;
    st
}

fn reviews(addr: SocketAddr) -> u64 {
    let (s, body) = get(addr, "/api/stats");
    assert_eq!(s, 200, "{body}");
    serde_json::from_str::<serde_json::Value>(&body).unwrap()["reviews_total"]
        .as_u64()
        .unwrap()
}

#[test]
fn cross_site_posts_and_a_foreign_host_are_refused_by_the_real_server() {
    let server = start(study_state(Hosts::loopback(&[])), Limits::default());
    let a = server.addr;
    let form = format!(
        "csrf={}&key=python%2Fgil%2Fconcept-anchor&rating=3&topic=python",
        token()
    );
    let json = r#"{"key":"python/gil/concept-anchor","rating":3}"#;
    let urlenc = "application/x-www-form-urlencoded";
    let evil = ("Origin", "http://evil.example");
    let xsite = ("Sec-Fetch-Site", "cross-site");
    for (headers, ct, body) in [
        (vec![evil], urlenc, form.as_str()),
        (vec![xsite], urlenc, form.as_str()),
        (vec![], urlenc, "key=python%2Fgil%2Fconcept-anchor&rating=3"),
        (vec![evil], "application/json", json),
        (vec![xsite], "application/json", json),
        (vec![], "text/plain", json),
    ] {
        let path = if ct == urlenc {
            "/study/rate"
        } else {
            "/api/study/review"
        };
        let s = post(a, path, &headers, ct, body);
        assert_eq!(s, 403, "{path} {headers:?} {ct}");
    }
    assert_eq!(reviews(a), 0, "no cross-site request wrote anything");
    let own = format!("http://{a}");
    let same = [("Origin", own.as_str()), ("Sec-Fetch-Site", "same-origin")];
    assert_eq!(
        post(a, "/api/study/review", &same, "application/json", json),
        200
    );
    assert_eq!(post(a, "/study/rate", &same, urlenc, &form), 303);
    assert_eq!(reviews(a), 2);
    // DNS rebinding: the page's own name for 127.0.0.1 is not answered.
    let (s, body) = request(
        a,
        "GET /api/stats HTTP/1.1\r\nHost: rebind.evil.example\r\nConnection: close\r\n\r\n",
    );
    assert_eq!(s, 421, "{body}");
    assert!(!body.contains("reviews_total"));
}

#[test]
fn two_hundred_idle_sockets_do_not_stop_probes_and_are_closed_when_idle() {
    let limits = Limits {
        max_connections: 512,
        header_timeout: Duration::from_secs(1),
        idle_timeout: Duration::from_secs(2),
    };
    let server = start(study_state(Hosts::default()), limits);
    let a = server.addr;
    let mut idle: Vec<TcpStream> = (0..200).map(|_| TcpStream::connect(a).unwrap()).collect();
    // A slowloris: a request line and part of a header, then nothing.
    let mut partial = TcpStream::connect(a).unwrap();
    partial
        .write_all(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")
        .unwrap();
    for _ in 0..10 {
        let t = Instant::now();
        let (s, _) = get(a, "/api/topics");
        assert_eq!(s, 200);
        assert!(
            t.elapsed() < Duration::from_secs(1),
            "probe took {:?}",
            t.elapsed()
        );
    }
    // After the idle time, the server has closed them: reads see the end.
    std::thread::sleep(Duration::from_millis(3500));
    let mut closed = 0;
    for s in idle.iter_mut().chain(std::iter::once(&mut partial)) {
        s.set_read_timeout(Some(Duration::from_millis(500)))
            .unwrap();
        let mut buf = [0u8; 256];
        match s.read(&mut buf) {
            // EOF, or a 408 the server sent before closing.
            Ok(_) => closed += 1,
            Err(e) if e.kind() == std::io::ErrorKind::ConnectionReset => closed += 1,
            Err(_) => {}
        }
    }
    assert_eq!(closed, 201, "every idle and partial connection was closed");
    let (s, _) = get(a, "/api/topics");
    assert_eq!(s, 200, "and the server still answers");
}

#[test]
fn expensive_share_cards_do_not_hold_up_other_requests() {
    // About 100,000 concepts: a 1 GB budget keeps all of them.
    let pack = synth::pack(7, Shape::like_ours(100_000));
    let built = Instant::now();
    let state = AppState::from_packs([(pack, Origin::Bundled)]);
    eprintln!("prepared a 100,000-concept topic in {:?}", built.elapsed());
    let server = start(state, Limits::default());
    let a = server.addr;
    let t0 = Instant::now();
    let cards: Vec<_> = ["svg", "png"]
        .iter()
        .map(|ext| {
            let path = format!("/api/topics/synthetic-7/card.{ext}?budget=1GB");
            std::thread::spawn(move || {
                let t = Instant::now();
                let (s, body) = get(a, &path);
                (s, body.len(), t.elapsed())
            })
        })
        .collect();
    let mut slowest = Duration::ZERO;
    while t0.elapsed() < Duration::from_secs(3) {
        let t = Instant::now();
        let (s, _) = get(a, "/api/topics");
        assert_eq!(s, 200);
        slowest = slowest.max(t.elapsed());
    }
    assert!(slowest < Duration::from_secs(1), "a probe took {slowest:?}");
    for c in cards {
        let (s, len, took) = c.join().unwrap();
        eprintln!("1 GB share card: {s}, {len} bytes, {took:?}");
        assert!(s == 200 || s == 503, "{s}");
        assert!(took < Duration::from_secs(20), "{took:?}");
    }
    eprintln!("slowest probe alongside: {slowest:?}");
}
