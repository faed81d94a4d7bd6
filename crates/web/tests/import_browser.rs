//! End-to-end: the Import page in headless Chromium: paste notes, see the pack and its
//! card, save, and land on the new topic's page; and an upload through the file input.
//! Skipped without chromedriver unless `MEMSEED_REQUIRE_BROWSER=1`.

use std::net::SocketAddr;
use std::sync::Arc;

use fantoccini::Locator;
use memseed_catalog::Catalog;
use memseed_web::{AppState, router};

#[allow(dead_code)]
mod common;
use common::{browser, find_on_path, js, require_browser, screenshot, start_driver, wait_for};

const NOTES: &str = "# Tea\n\n## Water temperature\n\nGreen tea wants water well below boiling, black tea near it.\n\n## Steep time\n\nMost teas want two to five minutes in the pot.\n\nQ: Why brew green tea cooler?\nA: Hot water pulls out its bitter compounds.\n";

#[test]
fn paste_preview_save_and_upload_in_a_real_browser() {
    let Some(driver_path) = find_on_path("chromedriver") else {
        if require_browser() {
            panic!("chromedriver is not installed (apt-get install chromium chromium-driver)");
        }
        eprintln!(
            "SKIPPED: chromedriver is not installed; `.ci/run` installs it and runs this test"
        );
        return;
    };
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let topics = tempfile::tempdir().unwrap();
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr: SocketAddr = listener.local_addr().unwrap();
        let mut st = AppState::new(&Catalog::bundled());
        st.topics_dir = Some(topics.path().to_path_buf());
        let app = router(Arc::new(st));
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        let base = format!("http://{addr}");

        let (_driver, port) = start_driver(&driver_path);
        let profile = tempfile::tempdir().unwrap();
        let c = browser(port, profile.path(), (1280, 1000)).await;

        // The nav leads to the page.
        c.goto(&format!("{base}/")).await.unwrap();
        c.find(Locator::Css("nav a[href='/import']"))
            .await
            .unwrap()
            .click()
            .await
            .unwrap();
        wait_for(
            &c,
            "return location.pathname === '/import' && !!document.getElementById('import-text')",
            "the Import page",
        )
        .await;

        // Paste and make the pack.
        let area = c.find(Locator::Id("import-text")).await.unwrap();
        area.send_keys(NOTES).await.unwrap();
        c.find(Locator::Id("import-id"))
            .await
            .unwrap()
            .send_keys("tea-notes")
            .await
            .unwrap();
        c.find(Locator::Id("import-go"))
            .await
            .unwrap()
            .click()
            .await
            .unwrap();
        wait_for(
            &c,
            "return !!document.getElementById('import-preview')",
            "the preview",
        )
        .await;
        let summary = js(
            &c,
            "return document.getElementById('import-summary').textContent",
        )
        .await;
        assert!(
            summary.as_str().unwrap().contains("2 concepts"),
            "{summary}"
        );
        assert!(
            summary.as_str().unwrap().contains("1 questions"),
            "{summary}"
        );
        let card = js(
            &c,
            "return document.getElementById('import-card').textContent",
        )
        .await;
        let card = card.as_str().unwrap().to_string();
        assert!(
            card.contains("Water temperature — Green tea wants water"),
            "{card}"
        );
        assert!(card.len() <= 2048, "{}", card.len());
        screenshot(&c, "import-preview.png").await;

        // Save: the browser lands on the new topic's page, served at once.
        c.find(Locator::Id("import-save"))
            .await
            .unwrap()
            .click()
            .await
            .unwrap();
        wait_for(
            &c,
            "return location.pathname === '/topics/tea-notes'",
            "the new topic's page",
        )
        .await;
        let body = js(&c, "return document.body.textContent").await;
        assert!(body.as_str().unwrap().contains("Steep time"), "{body}");
        assert!(topics.path().join("tea-notes.toml").is_file());
        screenshot(&c, "import-saved.png").await;

        // An upload through the file input.
        let file_dir = tempfile::tempdir().unwrap();
        let file = file_dir.path().join("coffee.md");
        std::fs::write(
            &file,
            "# Coffee\n\n## Grind\n\nA finer grind extracts faster and tastes stronger.\n",
        )
        .unwrap();
        c.goto(&format!("{base}/import")).await.unwrap();
        c.find(Locator::Id("import-files"))
            .await
            .unwrap()
            .send_keys(&file.display().to_string())
            .await
            .unwrap();
        c.find(Locator::Id("import-go"))
            .await
            .unwrap()
            .click()
            .await
            .unwrap();
        wait_for(
            &c,
            "return !!document.getElementById('import-preview')",
            "the upload's preview",
        )
        .await;
        let summary = js(
            &c,
            "return document.getElementById('import-summary').textContent",
        )
        .await;
        assert!(
            summary.as_str().unwrap().contains("1 concepts"),
            "{summary}"
        );
        let card = js(
            &c,
            "return document.getElementById('import-card').textContent",
        )
        .await;
        assert!(
            card.as_str()
                .unwrap()
                .contains("Grind — A finer grind extracts faster"),
            "{card}"
        );
        c.close().await.unwrap();
    });
}
