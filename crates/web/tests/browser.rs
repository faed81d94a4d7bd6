//! End-to-end in headless Chromium, driven through chromedriver (Debian's `chromium` and
//! `chromium-driver`, which `.ci/run` installs): every page checked by axe-core in light
//! and dark at 1366 and 375 px wide, and what only a browser shows — the study keys with
//! focus elsewhere, the sticky compress bar, presets, the share card's theme, compare,
//! instant search, self-test, printing, the service worker serving visited pages once the
//! server is gone — with time to first byte and the slider's round trip measured in the
//! page. Screenshots of every page at both widths and in both themes land in
//! `target/tmp/screenshots/` for a person to look at; the numbers in
//! `target/tmp/screenshots/timings.txt`.
//!
//! axe-core comes from npm (`npm install axe-core@4` into `target/axe/`, done by `.ci/run`,
//! or here when it is missing). Without chromedriver on the PATH the test says so and
//! passes, unless `MEMSEED_REQUIRE_BROWSER=1` (set by `.ci/run`), where a missing browser
//! or a missing axe-core is a failure.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;
use std::time::Duration;

use fantoccini::key::Key;
use fantoccini::{Client, Locator};
use memseed_catalog::Catalog;
use memseed_web::{AppState, router};
use serde_json::json;

#[allow(dead_code)]
mod common;
use common::{
    browser, find_on_path, js, js_async, require_browser, screenshot, shots_dir, start_driver,
    wait_for,
};

/// Desktop and phone viewports.
const WIDE: (u32, u32) = (1366, 757);
const PHONE: (u32, u32) = (375, 812);

/// The workspace's `target/` directory.
fn target_dir() -> PathBuf {
    Path::new(env!("CARGO_TARGET_TMPDIR"))
        .parent()
        .expect("target/tmp has a parent")
        .to_path_buf()
}

/// axe-core's source: from `MEMSEED_AXE`, or `target/axe/` (installing it there with npm
/// when missing). `None` when it cannot be had.
fn axe_source() -> Option<String> {
    if let Some(p) = std::env::var_os("MEMSEED_AXE") {
        return std::fs::read_to_string(p).ok();
    }
    let dir = target_dir().join("axe");
    let file = dir.join("node_modules/axe-core/axe.min.js");
    if !file.is_file() {
        std::fs::create_dir_all(&dir).ok()?;
        let ok = Command::new("npm")
            .args([
                "install",
                "--no-audit",
                "--no-fund",
                "--silent",
                "axe-core@4",
            ])
            .current_dir(&dir)
            .status()
            .is_ok_and(|s| s.success());
        if !ok {
            return None;
        }
    }
    std::fs::read_to_string(file).ok()
}

/// Opens `url` and waits for its fonts, so screenshots and measurements see the page as
/// drawn.
async fn open(c: &Client, url: &str) {
    c.goto(url).await.unwrap_or_else(|e| panic!("{url}: {e}"));
    js_async(
        c,
        "const done = arguments[arguments.length - 1]; document.fonts.ready.then(() => done(true));",
    )
    .await;
}

/// Makes the viewport exactly `w` × `h` CSS pixels (the window is a little larger).
async fn resize(c: &Client, (w, h): (u32, u32)) {
    let mut size = (w, h);
    for _ in 0..3 {
        c.set_window_size(size.0, size.1).await.unwrap();
        tokio::time::sleep(Duration::from_millis(60)).await;
        let inner = js(c, "return [window.innerWidth, window.innerHeight]").await;
        let (iw, ih) = (
            inner[0].as_u64().unwrap() as u32,
            inner[1].as_u64().unwrap() as u32,
        );
        if (iw, ih) == (w, h) {
            return;
        }
        size = (size.0 + w - iw.min(w), size.1 + h - ih.min(h));
        if iw > w || ih > h {
            size = (size.0 - iw.saturating_sub(w), size.1 - ih.saturating_sub(h));
        }
    }
    let inner = js(c, "return [window.innerWidth, window.innerHeight]").await;
    assert_eq!(inner, json!([w, h]), "the viewport size");
}

/// Sets the page theme (as the toggle does, remembered) and reloads.
async fn theme(c: &Client, theme: &str) {
    js(
        c,
        &format!("localStorage.setItem('memseed-theme', '{theme}'); location.reload();"),
    )
    .await;
    wait_for(
        c,
        &format!(
            "return document.readyState === 'complete' && document.documentElement.dataset.theme === '{theme}'"
        ),
        "the theme",
    )
    .await;
}

/// Runs axe-core on the page as it stands; panics with every violation.
async fn axe(c: &Client, src: &str, what: &str) {
    if js(c, "return typeof window.axe").await != json!("object") {
        js(c, &format!("{src}\n;return typeof window.axe;")).await;
    }
    let v = js_async(
        c,
        "const done = arguments[arguments.length - 1];
         axe.run(document, { resultTypes: ['violations'] }).then(r => done(r.violations.map(v => ({
           id: v.id, impact: v.impact, help: v.help,
           nodes: v.nodes.slice(0, 4).map(n => n.target.join(' ') + ': ' + (n.failureSummary || '').split('\\n').slice(0, 2).join(' '))
         })))).catch(e => done([{ id: 'axe-error', help: String(e) }]));",
    )
    .await;
    let list = v.as_array().expect("violations");
    assert!(
        list.is_empty(),
        "axe-core finds {} violation(s) on {what}:\n{}",
        list.len(),
        serde_json::to_string_pretty(&v).unwrap()
    );
}

/// Seconds-free median of a list of milliseconds.
fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

/// The byte count the page shows ("2,187 bytes"), as a number.
async fn shown_bytes(c: &Client) -> u64 {
    let t = c
        .find(Locator::Id("total-bytes"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    t.chars()
        .filter(char::is_ascii_digit)
        .collect::<String>()
        .parse()
        .unwrap_or_else(|_| panic!("{t}"))
}

/// The UTF-8 length of the text the copy button copies.
async fn copied_bytes(c: &Client) -> u64 {
    js(
        c,
        "return new TextEncoder().encode(document.getElementById('card-text').value).length",
    )
    .await
    .as_u64()
    .unwrap()
}

async fn seed_titles(c: &Client) -> Vec<String> {
    let v = js(c, "return Array.from(document.querySelectorAll('#card .sec-seeds .entry a')).map(a => a.textContent)").await;
    v.as_array()
        .unwrap()
        .iter()
        .map(|s| s.as_str().unwrap().to_string())
        .collect()
}

async fn budget(c: &Client) -> u64 {
    js(
        c,
        "return Number(document.getElementById('compress').dataset.budget)",
    )
    .await
    .as_u64()
    .unwrap()
}

/// Waits until the card shown is the answer for the slider's current position.
async fn settled(c: &Client) {
    wait_for(
        c,
        "const p = document.getElementById('compress'); const r = document.getElementById('budget-range');
         const min = +p.dataset.min, max = +p.dataset.max, steps = +p.dataset.steps;
         const want = Math.round(min * Math.pow(max / min, r.value / steps));
         return p.dataset.budget === String(want);",
        "the card to follow the slider",
    )
    .await;
}

/// Every page a person sees, by name: (name, path, what to do first).
fn pages() -> Vec<(&'static str, &'static str, &'static str)> {
    vec![
        ("home", "/", ""),
        ("topic", "/topics/python", ""),
        ("concept", "/topics/python/concepts/gil", ""),
        ("interview", "/topics/python/interview", ""),
        ("interview-test", "/topics/python/interview?mode=test", ""),
        ("last-hour", "/topics/python/last-hour", ""),
        ("compress", "/compress?topic=python", ""),
        ("compress-error", "/compress?topic=python&budget=lots", ""),
        ("compare", "/compare?topic=python&a=gil&b=threading", ""),
        ("search", "/search?q=decorator", ""),
        ("search-none", "/search?q=decorater", ""),
        ("search-instant", "/topics/git", "instant"),
        ("study", "/study?topic=python", "reveal"),
        ("study-done", "/study?topic=python&items=gil", ""),
        ("stats", "/stats", ""),
        ("import", "/import", ""),
        ("leeches", "/leeches", ""),
        ("help", "/", "help"),
        ("not-found", "/no/such/page", ""),
        ("offline", "/offline", ""),
        // Drills and "For me" (issue 18).
        ("quiz-levels", "/topics/python/quiz", ""),
        ("quiz", "/topics/python/quiz?level=beginner&seed=1", ""),
        (
            "quiz-answer",
            "/topics/python/quiz?level=beginner&seed=1&timed=30&shown=0",
            "",
        ),
        (
            "quiz-result",
            "/topics/python/quiz?level=beginner&count=2&seed=1&a=ny",
            "",
        ),
        ("reconstruct", "/topics/python/reconstruct?budget=2257", ""),
        (
            "reconstruct-answer",
            "/topics/python/reconstruct?budget=2257&go=1&shown=1",
            "",
        ),
        (
            "reconstruct-result",
            "/topics/python/reconstruct?budget=2257&count=2&go=1&r=31",
            "",
        ),
        ("compress-for-me", "/compress?topic=python&for_me=1", ""),
    ]
}

/// Does what a page's screenshot needs first: open the answer, the search, the help.
async fn prepare(c: &Client, step: &str) {
    match step {
        "reveal" => {
            js(
                c,
                "const r = document.getElementById('reveal'); if (r) r.open = true;",
            )
            .await;
        }
        "instant" => {
            let box_ = c.find(Locator::Id("search-box")).await.unwrap();
            box_.click().await.unwrap();
            box_.send_keys("branch").await.unwrap();
            wait_for(
                c,
                "return !document.getElementById('search-pop').hidden && document.querySelectorAll('#search-list [role=option]').length > 0",
                "instant results",
            )
            .await;
            box_.send_keys(&Key::Down.to_string()).await.unwrap();
        }
        "help" => {
            js(c, "document.getElementById('help').showModal()").await;
        }
        _ => {}
    }
}

#[test]
fn the_web_app_in_a_real_browser() {
    let Some(driver_path) = find_on_path("chromedriver") else {
        if require_browser() {
            panic!("chromedriver is not installed (apt-get install chromium chromium-driver)");
        }
        eprintln!(
            "SKIPPED: chromedriver is not installed; `.ci/run` installs it and runs this test"
        );
        return;
    };
    let axe_src = axe_source();
    if axe_src.is_none() {
        assert!(
            !require_browser(),
            "axe-core is missing: npm install axe-core@4 in target/axe (as .ci/run does)"
        );
        eprintln!("axe-core is not available (no npm?): accessibility checks skipped");
    }
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr: SocketAddr = listener.local_addr().unwrap();
        let cat = Catalog::bundled();
        let recall = memseed_recall::Recall::with_store(
            memseed_store::Store::open_in_memory().unwrap(),
            memseed_recall::Deck::from_catalog(&cat),
            memseed_study::Settings::default(),
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .unwrap()
                .as_secs() as i64,
        )
        .unwrap();
        let app = router(Arc::new(AppState::with_recall(&cat, recall)));
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        // The server loop `memseed serve` runs, so the page sees what a person's browser does.
        let server = tokio::spawn(memseed_web::run(listener, app, memseed_web::Limits::default(), async {
            let _ = stopped.await;
        }));
        let base = format!("http://{addr}");

        let (_driver, port) = start_driver(&driver_path);
        let profile = tempfile::tempdir().unwrap();
        let c = browser(port, profile.path(), WIDE).await;
        resize(&c, WIDE).await;
        let mut timings = Vec::new();

        compression_mode(&c, &base, &mut timings).await;
        study_keys(&c, &base).await;
        study_tools(&c, &base, axe_src.as_deref()).await;
        drills(&c, &base, &mut timings).await;
        instant_search_and_help(&c, &base).await;
        reading_pages(&c, &base).await;
        compare(&c, &base).await;
        printing(&c, &base).await;
        first_byte(&c, &base, &mut timings).await;

        // Every page, both widths, both themes: looked at, and checked by axe-core.
        for (width, size) in [("1366", WIDE), ("375", PHONE)] {
            resize(&c, size).await;
            for (name, path, step) in pages() {
                open(&c, &format!("{base}{path}")).await;
                for t in ["light", "dark"] {
                    theme(&c, t).await;
                    prepare(&c, step).await;
                    let fits = js(
                        &c,
                        "return document.documentElement.scrollWidth <= document.documentElement.clientWidth",
                    )
                    .await;
                    if fits != json!(true) {
                        let wide = js(
                            &c,
                            "const w = document.documentElement.clientWidth; return [w, document.documentElement.scrollWidth, window.innerWidth].concat(Array.from(document.querySelectorAll('body *')).filter(e => e.getBoundingClientRect().right > w || e.scrollWidth > e.clientWidth + 1 && getComputedStyle(e).overflowX === 'visible').slice(0, 6).map(e => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right)))",
                        )
                        .await;
                        panic!("{name} does not fit {width} px ({t}): {wide}");
                    }
                    screenshot(&c, &format!("{name}-{width}-{t}.png")).await;
                    if let Some(src) = &axe_src {
                        axe(&c, src, &format!("{name} at {width} px, {t}")).await;
                    }
                }
            }
        }
        resize(&c, WIDE).await;

        offline_with_the_service_worker(&c, &base, stop).await;
        let _ = server.await;
        c.close().await.unwrap();
        let report = timings.join("\n") + "\n";
        eprint!("{report}");
        std::fs::write(shots_dir().join("timings.txt"), report).unwrap();
    });
}

/// Compression Mode: sizes, the slider by keyboard, presets, a typed budget, a bad one,
/// the sticky bar and the phone layout, the share card's theme, "Study these", and the
/// slider's round trip and the full card's paint, timed in the page.
async fn compression_mode(c: &Client, base: &str, timings: &mut Vec<String>) {
    open(c, &format!("{base}/compress?topic=python")).await;
    let pressed = || async {
        js(c, "return Array.from(document.querySelectorAll('.preset')).map(p => p.getAttribute('aria-pressed'))").await
    };
    assert_eq!(pressed().await, json!(["true", "false", "false", "false"]));
    let seed = budget(c).await;
    let first = shown_bytes(c).await;
    assert!(first <= seed && first > 1500, "{first} of {seed}");
    assert_eq!(copied_bytes(c).await, first);
    let seeds_before = seed_titles(c).await;
    assert!(seeds_before.len() >= 9, "{seeds_before:?}");

    // The slider by keyboard: twelve steps are one octave, so the budget doubles.
    let range = c.find(Locator::Id("budget-range")).await.unwrap();
    js(c, "document.getElementById('budget-range').focus()").await;
    range
        .send_keys(&Key::Right.to_string().repeat(12))
        .await
        .unwrap();
    settled(c).await;
    let doubled = budget(c).await;
    let ratio = doubled as f64 / seed as f64;
    assert!(
        (1.85..2.15).contains(&ratio),
        "12 steps from {seed} gave {doubled}"
    );
    let second = shown_bytes(c).await;
    assert!(second > first, "{second} after moving up from {first}");
    assert_eq!(copied_bytes(c).await, second);
    assert_eq!(pressed().await, json!(["false", "false", "false", "false"]));
    let url = c.current_url().await.unwrap();
    assert!(
        url.as_str().ends_with(&format!("budget={doubled}")),
        "{url}"
    );
    for s in &seeds_before {
        assert!(
            seed_titles(c).await.contains(s),
            "{s} kept when the budget grew"
        );
    }
    let valuetext = range.attr("aria-valuetext").await.unwrap().unwrap();
    assert!(valuetext.contains("bytes"), "{valuetext}");
    let status = js(c, "return document.getElementById('cm-status').textContent").await;
    assert!(status.as_str().unwrap().starts_with("Card at "), "{status}");

    // A preset: its card, pressed.
    c.find(Locator::Css(".preset:nth-child(2)"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    wait_for(
        c,
        "return document.querySelector('.preset:nth-child(2)').getAttribute('aria-pressed') === 'true'",
        "the cheatsheet preset pressed",
    )
    .await;
    let cheat: u64 = js(
        c,
        "return Number(document.querySelector('.preset:nth-child(2)').dataset.budget)",
    )
    .await
    .as_u64()
    .unwrap();
    assert_eq!(budget(c).await, cheat);
    assert_eq!(pressed().await, json!(["false", "true", "false", "false"]));
    let copied = c.find(Locator::Id("copy-text")).await.unwrap();
    copied.click().await.unwrap();
    wait_for(
        c,
        "return document.getElementById('copy-status').textContent.startsWith('Copied')",
        "the copy status",
    )
    .await;
    let status = js(
        c,
        "return document.getElementById('copy-status').textContent",
    )
    .await;
    assert_eq!(
        status,
        json!(format!("Copied {} bytes", shown_bytes(c).await))
    );

    // Type a budget: 16 KB brings the concepts' interview answers.
    let boxed = c.find(Locator::Id("budget-box")).await.unwrap();
    boxed.clear().await.unwrap();
    boxed
        .send_keys(&format!("16KB{}", Key::Enter))
        .await
        .unwrap();
    wait_for(
        c,
        "return document.getElementById('compress').dataset.budget === '16384'",
        "the 16 KB card",
    )
    .await;
    let at16 = shown_bytes(c).await;
    assert!(at16 <= 16384 && at16 > 15000, "{at16}");
    assert_eq!(copied_bytes(c).await, at16);
    assert_eq!(
        js(c, "return !!document.querySelector('#card .kind-answer')").await,
        json!(true)
    );
    assert_eq!(
        js(c, "return !!document.querySelector('#card .entry code')").await,
        json!(true),
        "inline code shows as code"
    );
    screenshot(c, "compress-16kb-1366.png").await;

    // A bad budget: one short line with an example, marked invalid; the card stays.
    boxed.clear().await.unwrap();
    boxed
        .send_keys(&format!("lots{}", Key::Enter))
        .await
        .unwrap();
    wait_for(
        c,
        "return document.getElementById('budget-error').textContent.includes('is not a size')",
        "the budget error",
    )
    .await;
    assert_eq!(shown_bytes(c).await, at16);
    assert_eq!(
        boxed.attr("aria-invalid").await.unwrap().as_deref(),
        Some("true")
    );
    let lines = js(
        c,
        "const e = document.getElementById('budget-error'); return Math.round(e.getBoundingClientRect().height / parseFloat(getComputedStyle(e).lineHeight))",
    )
    .await;
    assert_eq!(lines, json!(1), "one line");
    screenshot(c, "compress-error-inline-1366.png").await;

    // The bar stays in reach at 1366 × 757 while the card scrolls by.
    js(c, "window.scrollTo(0, 2500)").await;
    tokio::time::sleep(Duration::from_millis(100)).await;
    let rect = js(
        c,
        "const r = document.getElementById('budget-range').getBoundingClientRect(); return [r.top, r.bottom, window.innerHeight, window.scrollY]",
    )
    .await;
    let (top, bottom, h, scrolled) = (
        rect[0].as_f64().unwrap(),
        rect[1].as_f64().unwrap(),
        rect[2].as_f64().unwrap(),
        rect[3].as_f64().unwrap(),
    );
    assert!(scrolled > 1000.0, "the page scrolled ({scrolled})");
    assert!(
        top >= 0.0 && bottom <= h && top < 200.0,
        "slider at {top}..{bottom} of {h}"
    );
    screenshot(c, "compress-scrolled-1366.png").await;

    // The share card's theme: the preview and the download follow the choice.
    open(c, &format!("{base}/compress?topic=python")).await;
    let pixel = "const done = arguments[arguments.length - 1]; const img = document.getElementById('png-preview');
        const go = () => { const cv = document.createElement('canvas'); cv.width = 1200; cv.height = 630;
          const x = cv.getContext('2d'); x.drawImage(img, 0, 0); const d = x.getImageData(3, 315, 1, 1).data;
          done([img.naturalWidth, d[0], d[1], d[2], img.getAttribute('src'), document.getElementById('dl-png').getAttribute('href')]); };
        img.loading = 'eager';
        if (img.complete && img.naturalWidth) go(); else img.addEventListener('load', go, { once: true });";
    let dark = js_async(c, pixel).await;
    assert_eq!(dark[0], json!(1200));
    assert!(dark[1].as_u64().unwrap() < 60, "a dark card: {dark}");
    assert!(dark[4].as_str().unwrap().ends_with("theme=dark"));
    c.find(Locator::Css("label[for=png-light]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    wait_for(
        c,
        "const i = document.getElementById('png-preview'); return i.getAttribute('src').endsWith('theme=light') && i.complete && i.naturalWidth === 1200",
        "the light preview",
    )
    .await;
    let light = js_async(c, pixel).await;
    assert!(light[1].as_u64().unwrap() > 200, "a light card: {light}");
    assert!(
        light[5].as_str().unwrap().ends_with("theme=light"),
        "{light}"
    );
    assert!(
        c.current_url()
            .await
            .unwrap()
            .as_str()
            .ends_with("&theme=light")
    );
    c.find(Locator::Id("share-card"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    wait_for(
        c,
        "const t = document.getElementById('share-status').textContent; return t.startsWith('Link copied') || t === 'Shared'",
        "the share action",
    )
    .await;
    js(c, "document.querySelector('.sharecard').scrollIntoView()").await;
    screenshot(c, "compress-share-light-1366.png").await;

    // The slider's round trip, timed in the page: from the input event to the new card
    // drawn, over 40 budgets from about 1.3 KB to 13 KB.
    open(c, &format!("{base}/compress?topic=python")).await;
    let trip = js_async(
        c,
        r#"const done = arguments[arguments.length - 1];
        const r = document.getElementById('budget-range'); const p = document.getElementById('compress');
        const max = Number(r.max), lo = 0.30, hi = 0.60, n = 40, times = [];
        (async () => {
          for (let i = 0; i < n; i++) {
            const v = Math.round((lo + (hi - lo) * i / (n - 1)) * max);
            const before = p.dataset.budget;
            if (String(v) === r.value) continue;
            const t0 = performance.now();
            await new Promise(res => {
              const ob = new MutationObserver(() => { if (p.dataset.budget !== before) { ob.disconnect(); res(); } });
              ob.observe(p, { attributes: true });
              r.value = String(v); r.dispatchEvent(new Event('input'));
            });
            await new Promise(res => requestAnimationFrame(() => res()));
            times.push(performance.now() - t0);
          }
          done(times);
        })();"#,
    )
    .await;
    let trip: Vec<f64> = trip
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_f64().unwrap())
        .collect();
    let trip_median = median(trip.clone());
    timings.push(format!(
        "slider round trip: median {trip_median:.1} ms, max {:.1} ms over {} moves (1366 px, Python, ~1.3 to ~13 KB)",
        trip.iter().copied().fold(0.0, f64::max),
        trip.len()
    ));
    assert!(
        trip_median < 40.0,
        "slider round trip median {trip_median} ms"
    );

    // The whole pack: the card's entries draw lazily, so the first frame comes quickly.
    let paint = js_async(
        c,
        r#"const done = arguments[arguments.length - 1];
        const p = document.getElementById('compress'); const all = document.querySelector('.preset:nth-child(4)');
        const t0 = performance.now();
        const ob = new MutationObserver(() => { if (p.dataset.budget === all.dataset.budget) { ob.disconnect();
          requestAnimationFrame(() => setTimeout(() => done([performance.now() - t0, document.documentElement.scrollHeight]), 0)); } });
        ob.observe(p, { attributes: true });
        all.click();"#,
    )
    .await;
    timings.push(format!(
        "everything card (Python, full): {:.0} ms from the click to the first frame, page {} px tall",
        paint[0].as_f64().unwrap(),
        paint[1]
    ));
    screenshot(c, "compress-everything-1366.png").await;

    // "Study these" studies what the card keeps.
    let study = c.find(Locator::Id("study-these")).await.unwrap();
    let href = study.attr("href").await.unwrap().unwrap();
    assert!(href.starts_with("/study?topic=python&budget="), "{href}");

    // On a phone the card comes first, right under the compact bar.
    resize(c, PHONE).await;
    open(c, &format!("{base}/compress?topic=python")).await;
    let card_top = js(
        c,
        "return document.getElementById('card').getBoundingClientRect().top + window.scrollY",
    )
    .await
    .as_f64()
    .unwrap();
    assert!(
        card_top < 420.0,
        "the card starts {card_top} px down at 375 px"
    );
    timings.push(format!(
        "compress at 375 px: the card starts {card_top:.0} px down"
    ));
    js(c, "window.scrollTo(0, 1500)").await;
    tokio::time::sleep(Duration::from_millis(100)).await;
    let top = js(
        c,
        "return document.getElementById('budget-range').getBoundingClientRect().top",
    )
    .await;
    assert!(
        (0.0..250.0).contains(&top.as_f64().unwrap()),
        "the slider stays in reach on a phone: {top}"
    );
    screenshot(c, "compress-scrolled-375.png").await;
    resize(c, WIDE).await;
}

/// Study: keys belong to the card only when focus is free; no sideways shift when the
/// answer opens; on a phone no key hints and every rating button on screen.
async fn study_keys(c: &Client, base: &str) {
    open(c, &format!("{base}/study?topic=python")).await;
    let open_now = "return document.getElementById('reveal').open";
    // Enter on a topic filter follows the link.
    js(
        c,
        "document.querySelector('.filters a[href=\"/study?topic=git\"]').focus()",
    )
    .await;
    c.active_element()
        .await
        .unwrap()
        .send_keys(&Key::Enter.to_string())
        .await
        .unwrap();
    wait_for(
        c,
        "return location.search === '?topic=git' && document.readyState === 'complete'",
        "the Git filter",
    )
    .await;
    assert_eq!(js(c, open_now).await, json!(false));
    open(c, &format!("{base}/study?topic=python")).await;
    // Space on the theme button switches the theme, and only that.
    let before = js(c, "return getComputedStyle(document.body).backgroundColor").await;
    js(c, "document.getElementById('theme-toggle').focus()").await;
    c.active_element()
        .await
        .unwrap()
        .send_keys(" ")
        .await
        .unwrap();
    wait_for(
        c,
        &format!("return getComputedStyle(document.body).backgroundColor !== {before}"),
        "the theme to switch",
    )
    .await;
    assert_eq!(
        js(c, open_now).await,
        json!(false),
        "Space on the theme button"
    );
    js(c, "localStorage.removeItem('memseed-theme')").await;
    // Enter on the search box searches.
    js(c, "document.getElementById('search-box').focus()").await;
    assert_eq!(js(c, open_now).await, json!(false));
    // Enter on the page itself shows the answer; nothing moves sideways.
    js(c, "document.activeElement.blur()").await;
    let left = "return document.getElementById('flash').getBoundingClientRect().left";
    let x0 = js(c, left).await;
    c.find(Locator::Css("body"))
        .await
        .unwrap()
        .send_keys(&Key::Enter.to_string())
        .await
        .unwrap();
    assert_eq!(js(c, open_now).await, json!(true), "Enter with focus free");
    assert_eq!(
        js(c, left).await,
        x0,
        "the card does not shift when the answer opens"
    );
    assert_eq!(
        js(c, "return document.activeElement.dataset.key").await,
        json!("3"),
        "focus on Good"
    );
    let first_prompt = js(c, "return document.getElementById('prompt').textContent").await;
    c.active_element()
        .await
        .unwrap()
        .send_keys("3")
        .await
        .unwrap();
    wait_for(
        c,
        "return !!document.getElementById('study-counts') && document.getElementById('study-counts').textContent.includes('1 review today')",
        "the rating to be saved",
    )
    .await;
    let next_prompt = js(c, "return document.getElementById('prompt').textContent").await;
    assert_ne!(first_prompt, next_prompt, "the next card is shown");

    // A phone: no key hints, and all four ratings on screen once the answer is open.
    resize(c, PHONE).await;
    open(c, &format!("{base}/study?topic=python")).await;
    c.find(Locator::Css("#reveal summary"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let hints = js(
        c,
        "return Array.from(document.querySelectorAll('kbd.hint')).filter(k => k.offsetParent !== null).length",
    )
    .await;
    assert_eq!(hints, json!(0), "no key hints on a phone");
    let below = js(
        c,
        "return Array.from(document.querySelectorAll('.rate button')).filter(b => b.getBoundingClientRect().bottom > window.innerHeight).length",
    )
    .await;

    assert_eq!(below, json!(0), "every rating button on screen at 375 px");
    screenshot(c, "study-answer-375.png").await;
    resize(c, WIDE).await;

    // Rate the GIL alone: the done screen says when it comes back, as /stats counts.
    open(c, &format!("{base}/study?topic=python&items=gil")).await;
    if js(c, "return !!document.getElementById('reveal')").await == json!(true) {
        js(c, "document.getElementById('reveal').open = true").await;
        c.find(Locator::Css(".rate .r3"))
            .await
            .unwrap()
            .click()
            .await
            .unwrap();
    }
    wait_for(
        c,
        "return !!document.getElementById('done')",
        "the done screen",
    )
    .await;
    let later = js(
        c,
        "return document.getElementById('done-later').textContent",
    )
    .await;
    assert!(
        later.as_str().unwrap().contains("The next card returns in"),
        "{later}"
    );
}

/// Instant search from any page (Ctrl+K and /), with marks, keyboard choice and
/// suggestions; the ? help sheet.
async fn instant_search_and_help(c: &Client, base: &str) {
    open(c, &format!("{base}/topics/git")).await;
    {
        use fantoccini::actions::{InputSource, KeyAction, KeyActions};
        let ctrl = char::from(Key::Control);
        let keys = KeyActions::new("keyboard".into())
            .then(KeyAction::Down { value: ctrl })
            .then(KeyAction::Down { value: 'k' })
            .then(KeyAction::Up { value: 'k' })
            .then(KeyAction::Up { value: ctrl });
        c.perform_actions(keys).await.unwrap();
        c.release_actions().await.unwrap();
    }
    assert_eq!(
        js(c, "return document.activeElement.id").await,
        json!("search-box"),
        "Ctrl+K focuses search"
    );
    let box_ = c.find(Locator::Id("search-box")).await.unwrap();
    box_.send_keys("decorat").await.unwrap();
    wait_for(
        c,
        "return document.querySelectorAll('#search-list [role=option] mark').length > 0",
        "marked results while typing",
    )
    .await;
    assert_eq!(
        box_.attr("aria-expanded").await.unwrap().as_deref(),
        Some("true")
    );
    box_.send_keys(&Key::Down.to_string()).await.unwrap();
    let active = box_.attr("aria-activedescendant").await.unwrap();
    assert_eq!(active.as_deref(), Some("sr-0"));
    screenshot(c, "search-instant-1366.png").await;
    box_.send_keys(&Key::Enter.to_string()).await.unwrap();
    wait_for(
        c,
        "return location.pathname.startsWith('/topics/python/concepts/') && document.readyState === 'complete'",
        "the chosen result",
    )
    .await;
    // "/" works too, and a typo gets a suggestion.
    c.find(Locator::Css("body"))
        .await
        .unwrap()
        .send_keys("/")
        .await
        .unwrap();
    assert_eq!(
        js(c, "return document.activeElement.id").await,
        json!("search-box")
    );
    let box_ = c.find(Locator::Id("search-box")).await.unwrap();
    box_.send_keys("decorater").await.unwrap();
    wait_for(
        c,
        "return document.getElementById('search-list').textContent.includes('Did you mean decorator?')",
        "a suggestion",
    )
    .await;
    box_.send_keys(&Key::Escape.to_string()).await.unwrap();
    assert_eq!(
        box_.attr("aria-expanded").await.unwrap().as_deref(),
        Some("false")
    );
    // ? opens the help sheet; Escape closes it.
    js(c, "document.activeElement.blur()").await;
    c.find(Locator::Css("body"))
        .await
        .unwrap()
        .send_keys("?")
        .await
        .unwrap();
    assert_eq!(
        js(c, "return document.getElementById('help').open").await,
        json!(true)
    );
    c.active_element()
        .await
        .unwrap()
        .send_keys(&Key::Escape.to_string())
        .await
        .unwrap();
    wait_for(
        c,
        "return !document.getElementById('help').open",
        "the help to close",
    )
    .await;
}

/// Interview self-test and filter; concept pages' depth and [ ]; the topic tree.
async fn reading_pages(c: &Client, base: &str) {
    open(c, &format!("{base}/topics/python/interview")).await;
    c.find(Locator::Id("mode-link"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    wait_for(
        c,
        "return location.search.includes('mode=test') && document.readyState === 'complete'",
        "self-test mode",
    )
    .await;
    let visible = "return Array.from(document.querySelectorAll('#level-beginner .short')).filter(e => e.checkVisibility()).length";
    assert_eq!(
        js(c, visible).await,
        json!(0),
        "answers hidden in self-test"
    );
    c.find(Locator::Css("#level-beginner .reveal summary"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    assert_eq!(
        js(c, visible).await,
        json!(1),
        "one answer shown on request"
    );
    let filter = c.find(Locator::Id("q-filter")).await.unwrap();
    filter.send_keys("GIL").await.unwrap();
    wait_for(
        c,
        "const n = document.querySelectorAll('.level-group .q:not([hidden])').length; return n > 0 && n < 10",
        "the question filter",
    )
    .await;
    let height = js(c, "return document.documentElement.scrollHeight").await;
    assert!(height.as_f64().unwrap() < 8000.0, "a short page: {height}");

    open(c, &format!("{base}/topics/python/concepts/gil")).await;
    let deep_visible =
        "return getComputedStyle(document.querySelector('.d-deep')).display !== 'none'";
    assert_eq!(js(c, deep_visible).await, json!(false));
    c.find(Locator::Css("label[for=depth-deep]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    assert_eq!(js(c, deep_visible).await, json!(true));
    let next = js(
        c,
        "return document.getElementById('next-concept').getAttribute('href')",
    )
    .await;
    c.find(Locator::Css("body"))
        .await
        .unwrap()
        .send_keys("]")
        .await
        .unwrap();
    wait_for(
        c,
        &format!("return location.pathname === {next}"),
        "] to open the next concept",
    )
    .await;

    open(c, &format!("{base}/topics/python")).await;
    let overview = js(
        c,
        "const o = Array.from(document.querySelectorAll('.overview .ov:not(.what)')); const top = o[0].getBoundingClientRect().top;
         return o.every(e => Math.abs(e.getBoundingClientRect().top - top) < 2) && Math.abs(o[o.length - 1].getBoundingClientRect().right - document.querySelector('.overview').getBoundingClientRect().right) < 2",
    )
    .await;
    assert_eq!(
        overview,
        json!(true),
        "the overview fills its row, no empty column"
    );
}

/// Compare: pick the second concept, the page follows; the share link copies.
async fn compare(c: &Client, base: &str) {
    open(c, &format!("{base}/compare?topic=python&a=gil")).await;
    assert_eq!(
        js(c, "return document.querySelectorAll('.side').length").await,
        json!(2)
    );
    js(
        c,
        "const s = document.getElementById('pick-b'); s.value = 'decorators'; s.dispatchEvent(new Event('change'));",
    )
    .await;
    wait_for(
        c,
        "return location.search.includes('b=decorators') && document.readyState === 'complete'",
        "the new pair",
    )
    .await;
    let heads = js(c, "return Array.from(document.querySelectorAll('.side h2 a')).map(a => a.getAttribute('href'))").await;
    assert_eq!(
        heads,
        json!([
            "/topics/python/concepts/gil",
            "/topics/python/concepts/decorators"
        ])
    );
    let link = js(c, "return document.getElementById('compare-link').value").await;
    assert_eq!(link, json!(c.current_url().await.unwrap().as_str()));
    c.find(Locator::Id("copy-link"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    wait_for(
        c,
        "return document.getElementById('copy-link-status').textContent === 'Link copied'",
        "the copy",
    )
    .await;
}

/// The last-hour sheet prints on one page.
async fn printing(c: &Client, base: &str) {
    open(c, &format!("{base}/topics/python/last-hour")).await;
    let pdf = c
        .print(fantoccini::wd::PrintConfiguration::default())
        .await
        .unwrap();
    std::fs::write(shots_dir().join("last-hour.pdf"), &pdf).unwrap();
    let text = String::from_utf8_lossy(&pdf);
    let pages = text.matches("/Type /Page").count() - text.matches("/Type /Pages").count();
    assert_eq!(pages, 1, "the last-hour sheet prints on {pages} page(s)");
}

/// Time to first byte, from the page's own navigation timing, with the service worker in
/// place (it answers from the network first).
async fn first_byte(c: &Client, base: &str, timings: &mut Vec<String>) {
    let mut ttfb = Vec::new();
    let mut sizes = Vec::new();
    for _ in 0..8 {
        for path in [
            "/",
            "/topics/python",
            "/topics/python/interview",
            "/compress?topic=python",
            "/topics/python/concepts/gil",
        ] {
            open(c, &format!("{base}{path}")).await;
            let v = js(
                c,
                "const n = performance.getEntriesByType('navigation')[0]; return [n.responseStart - n.requestStart, n.transferSize, n.decodedBodySize]",
            )
            .await;
            ttfb.push(v[0].as_f64().unwrap());
            if path.contains("interview") {
                sizes.push((v[1].as_u64().unwrap_or(0), v[2].as_u64().unwrap_or(0)));
            }
        }
    }
    let m = median(ttfb.clone());
    timings.push(format!(
        "time to first byte: median {m:.1} ms, max {:.1} ms over {} page loads (5 pages × 8)",
        ttfb.iter().copied().fold(0.0, f64::max),
        ttfb.len()
    ));
    if let Some((wire, body)) = sizes.iter().find(|s| s.0 > 0) {
        timings.push(format!(
            "interview page: {body} bytes of HTML, {wire} bytes on the wire (loopback: sent as is)"
        ));
    }
    assert!(
        m < 5.0,
        "time to first byte median {m} ms (the issue's bound: under 5 ms)"
    );
}

/// The service worker registers and keeps the pages visited; with the server gone, they
/// still open, and a page never visited says it is offline.
async fn offline_with_the_service_worker(
    c: &Client,
    base: &str,
    stop: tokio::sync::oneshot::Sender<()>,
) {
    open(c, &format!("{base}/topics/python")).await;
    let reg = js_async(
        c,
        "const done = arguments[arguments.length - 1];
         navigator.serviceWorker.ready.then(r => done([r.active && r.active.state, r.scope]));",
    )
    .await;
    assert_eq!(reg[0], json!("activated"), "{reg}");
    open(c, &format!("{base}/topics/python/concepts/decorators")).await;
    assert_eq!(
        js(c, "return !!navigator.serviceWorker.controller").await,
        json!(true),
        "the worker controls the page"
    );
    wait_for(
        c,
        "if (!window.__kept) { window.__kept = 'wait'; caches.open('memseed-pages').then(k => k.match(location.href)).then(r => window.__kept = !!r); } return window.__kept === true;",
        "the page kept",
    )
    .await;
    let _ = stop.send(());
    // The server is gone.
    let gone = js_async(
        c,
        "const done = arguments[arguments.length - 1];
         const tryit = () => fetch('/api/topics', { cache: 'no-store' }).then(() => setTimeout(tryit, 100), () => done(true));
         tryit();",
    )
    .await;
    assert_eq!(gone, json!(true));
    open(c, &format!("{base}/topics/python/concepts/decorators")).await;
    let h1 = js(c, "return document.querySelector('h1').textContent").await;
    assert!(
        h1.as_str().unwrap().contains("Decorator"),
        "a kept page offline: {h1}"
    );
    screenshot(c, "offline-kept-1366.png").await;
    open(c, &format!("{base}/topics/rust")).await;
    let h1 = js(c, "return document.querySelector('h1').textContent").await;
    assert_eq!(h1, json!("You are offline"), "a page never visited");
}

/// Issue 18 in the browser: Ctrl+Z in the search box leaves the rating alone, on the page
/// it undoes it and the card comes back; Suspend puts the card on /leeches (checked by
/// axe-core in the page loop); Optimize's answer and the interview date on /stats.
async fn study_tools(c: &Client, base: &str, axe_src: Option<&str>) {
    let key = "return document.getElementById('flash').dataset.key";
    let reviews_today =
        "return document.getElementById('study-counts').textContent.split('\u{b7}').pop().trim()";
    let notice = "const n = document.getElementById('study-notice'); return n ? n.textContent : ''";
    open(c, &format!("{base}/study?topic=python")).await;
    let first = js(c, key).await;
    let before = js(c, reviews_today).await;
    js(c, "document.getElementById('reveal').open = true").await;
    c.find(Locator::Css(".rate .r3"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    wait_for(
        c,
        &format!(
            "return document.readyState === 'complete' && !!document.getElementById('undo-form') && document.getElementById('flash').dataset.key !== {first}"
        ),
        "the next card after a rating",
    )
    .await;
    let rated = js(c, reviews_today).await;
    assert_ne!(rated, before, "the rating counts");
    let ctrl_z = format!("{}z", Key::Control);
    // In the search box, Ctrl+Z is the box's own.
    js(c, "document.getElementById('search-box').focus()").await;
    c.active_element()
        .await
        .unwrap()
        .send_keys(&ctrl_z)
        .await
        .unwrap();
    tokio::time::sleep(Duration::from_millis(400)).await;
    assert_eq!(
        js(c, notice).await,
        json!(""),
        "no undo from the search box"
    );
    assert_eq!(js(c, reviews_today).await, rated);
    // With focus on the page, it undoes the rating: the same card again, the review gone.
    js(c, "document.activeElement.blur()").await;
    c.find(Locator::Css("body"))
        .await
        .unwrap()
        .send_keys(&ctrl_z)
        .await
        .unwrap();
    wait_for(
        c,
        "const n = document.getElementById('study-notice'); return document.readyState === 'complete' && !!n && n.textContent.startsWith('Undone:')",
        "Ctrl+Z to undo the rating",
    )
    .await;
    assert_eq!(js(c, key).await, first, "the undone card is shown again");
    assert_eq!(js(c, reviews_today).await, before, "the review is gone");
    screenshot(c, "study-undone-1366.png").await;
    // Suspend it: out of the queue, on the Leeches page.
    c.find(Locator::Id("suspend"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    wait_for(
        c,
        "const n = document.getElementById('study-notice'); return document.readyState === 'complete' && !!n && n.textContent.startsWith('Suspended')",
        "the suspension",
    )
    .await;
    assert_ne!(js(c, key).await, first);
    open(c, &format!("{base}/leeches")).await;
    let listed = js(
        c,
        &format!("return !!document.querySelector('#leech-list [data-key=\"' + {first} + '\"]')"),
    )
    .await;
    assert_eq!(listed, json!(true), "{first} is listed on /leeches");
    // Optimize with too few reviews says how many more; its answer passes axe-core.
    open(c, &format!("{base}/stats")).await;
    c.find(Locator::Id("optimize"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    wait_for(
        c,
        "const r = document.getElementById('optimize-result'); return document.readyState === 'complete' && !!r && r.textContent.includes('more are needed')",
        "Optimize's answer",
    )
    .await;
    if let Some(src) = axe_src {
        axe(c, src, "the Optimize answer on /stats").await;
    }
    // An interview date for Git in ten days: /stats lists the plan (and the page loop
    // checks it at both widths and in both themes).
    js(
        c,
        "document.getElementById('plan-topic').value = 'git'; document.getElementById('plan-until').value = new Date(Date.now() + 10 * 864e5).toISOString().slice(0, 10); document.getElementById('plan-until').form.requestSubmit();",
    )
    .await;
    wait_for(
        c,
        "return document.readyState === 'complete' && !!document.querySelector('#plans tr[data-topic=\"git\"]')",
        "the plan on /stats",
    )
    .await;
    let row = js(
        c,
        "return document.querySelector('#plans tr[data-topic=\"git\"]').textContent",
    )
    .await;
    assert!(row.as_str().unwrap().contains("10 days left"), "{row}");
    for part in ["plan", "fsrs"] {
        js(
            c,
            &format!("document.getElementById('{part}').scrollIntoView()"),
        )
        .await;
        screenshot(c, &format!("stats-{part}-1366.png")).await;
    }
}

// ---- Drills and "For me" (issue 18) ------------------------------------------------------

/// One quiz driven by keys and clicks (keys only when focus is free), its result screen;
/// then the "For me" toggle in Compression Mode, kept in the address, with its slider
/// round trip timed as the plain one is.
async fn drills(c: &Client, base: &str, timings: &mut Vec<String>) {
    open(
        c,
        &format!("{base}/topics/python/quiz?level=beginner&count=2&seed=5"),
    )
    .await;
    assert!(
        js(c, "return document.getElementById('prompt').textContent")
            .await
            .as_str()
            .is_some_and(|p| !p.is_empty())
    );
    // Space on a link is the link's: the answer stays hidden.
    js(
        c,
        "document.querySelector('.crumbs a[href=\"/topics/python\"]').focus()",
    )
    .await;
    c.active_element()
        .await
        .unwrap()
        .send_keys(" ")
        .await
        .unwrap();
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(
        js(c, "return !!document.getElementById('show-answer')").await,
        json!(true),
        "keys on a link do not reveal"
    );
    // Space with focus free shows the answer; N says "missed it".
    js(c, "document.activeElement.blur()").await;
    c.find(Locator::Css("body"))
        .await
        .unwrap()
        .send_keys(" ")
        .await
        .unwrap();
    wait_for(
        c,
        "return !!document.getElementById('grade-form') && document.readyState === 'complete'",
        "the answer",
    )
    .await;
    assert_eq!(
        js(c, "return document.activeElement.dataset.key").await,
        json!("y"),
        "focus on Got it"
    );
    c.active_element()
        .await
        .unwrap()
        .send_keys("n")
        .await
        .unwrap();
    wait_for(
        c,
        "return location.search.includes('a=n') && !!document.getElementById('show-answer')",
        "the second question",
    )
    .await;
    // The second by mouse.
    c.find(Locator::Id("show-answer"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    wait_for(
        c,
        "return !!document.getElementById('grade-form')",
        "the answer",
    )
    .await;
    c.find(Locator::Css("button[data-key=y]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    wait_for(
        c,
        "return !!document.getElementById('quiz-score')",
        "the result",
    )
    .await;
    assert_eq!(
        js(
            c,
            "return document.getElementById('quiz-score').textContent"
        )
        .await,
        json!("1 of 2 right.")
    );
    assert_eq!(
        js(
            c,
            "return document.querySelectorAll('#quiz-missed li').length"
        )
        .await,
        json!(1)
    );
    screenshot(c, "quiz-result-driven-1366.png").await;

    // "For me": the toggle asks the server again; the address keeps it.
    open(c, &format!("{base}/compress?topic=python&budget=2257")).await;
    c.find(Locator::Id("for-me"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    wait_for(
        c,
        "return location.search.includes('for_me=1') && document.getElementById('for-me-note').textContent.startsWith('For me: weighted by what you are likely to have forgotten of Python')",
        "the For me note (Python was studied above)",
    )
    .await;
    assert!(
        js(c, "return document.getElementById('png-link').href")
            .await
            .as_str()
            .unwrap()
            .ends_with("&for_me=1")
    );
    let trip = js_async(
        c,
        r#"const done = arguments[arguments.length - 1];
        const r = document.getElementById('budget-range'); const p = document.getElementById('compress');
        const max = Number(r.max), n = 20, times = [];
        const step = (i) => {
          if (i >= n) { done(times); return; }
          const v = Math.round((0.30 + 0.30 * i / (n - 1)) * max);
          const before = p.dataset.budget;
          r.value = String(v);
          const t0 = performance.now();
          new Promise((res) => {
            const ob = new MutationObserver(() => { if (p.dataset.budget !== before) { ob.disconnect(); res(); } });
            ob.observe(p, { attributes: true });
            r.dispatchEvent(new Event('input'));
          }).then(() => { times.push(performance.now() - t0); setTimeout(() => step(i + 1), 30); });
        };
        step(0);"#,
    )
    .await;
    let trip: Vec<f64> = trip
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_f64().unwrap())
        .collect();
    let m = median(trip.clone());
    timings.push(format!(
        "slider round trip with For me on (a few Python reviews): median {m:.1} ms over {} moves",
        trip.len()
    ));
    assert!(m < 40.0, "For me slider round trip median {m} ms");
    assert!(
        js(c, "return location.search.includes('for_me=1')").await == json!(true),
        "the address keeps the toggle"
    );
    // Off again: the address forgets it.
    c.find(Locator::Id("for-me"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    wait_for(
        c,
        "return !location.search.includes('for_me')",
        "the toggle off in the address",
    )
    .await;
}
