//! The quiz and the reconstruct drill in the browser store what the terminal stores: the
//! same answers given to the real `memseed quiz`/`reconstruct` and to the real `memseed
//! serve` (over HTTP, with the pages' own forms) leave the same rows in two databases.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Output, Stdio};
use std::time::Duration;

use memseed_store::Store;

#[allow(dead_code)]
mod common;

/// 2026-11-21 10:00 UTC: the CLI's pinned clock, and the web quiz's seed.
const T0: i64 = 1_795_255_200;

fn cli(db: &Path, args: &[&str], input: &str) -> Output {
    let o = common::run(db, T0, args, input);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    o
}

/// `memseed serve` on `db`, stopped when dropped.
struct Server {
    child: Child,
    addr: String,
}

impl Server {
    fn start(db: &Path) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_memseed"))
            .arg("--db")
            .arg(db)
            .args(["serve", "--port", "0"])
            .env("MEMSEED_DATA_DIR", db.parent().unwrap())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
        let first = lines.next().unwrap().unwrap();
        let url = first
            .split_whitespace()
            .find(|w| w.starts_with("http://"))
            .unwrap_or_else(|| panic!("no URL in {first:?}"));
        let addr = url
            .trim_start_matches("http://")
            .trim_end_matches('/')
            .to_string();
        Server { child, addr }
    }

    /// (status, Location header, body).
    fn request(&self, method: &str, path: &str, form: Option<&str>) -> (u16, String, String) {
        let mut s = TcpStream::connect(&self.addr).unwrap();
        s.set_read_timeout(Some(Duration::from_secs(15))).unwrap();
        let body = form.unwrap_or("");
        let extra = if form.is_some() {
            format!(
                "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n",
                body.len()
            )
        } else {
            String::new()
        };
        write!(
            s,
            "{method} {path} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n{extra}\r\n{body}",
            self.addr
        )
        .unwrap();
        let mut out = String::new();
        s.read_to_string(&mut out).unwrap();
        let (head, body) = out.split_once("\r\n\r\n").unwrap();
        let status = head[9..12].parse().unwrap();
        let location = head
            .lines()
            .find_map(|l| l.strip_prefix("location: "))
            .unwrap_or("")
            .to_string();
        (status, location, body.to_string())
    }

    fn get(&self, path: &str) -> String {
        let (status, _, body) = self.request("GET", path, None);
        assert_eq!(status, 200, "{path}: {body}");
        body
    }

    /// Submits the form `id` of `page` with `extra` fields added; follows a redirect.
    fn submit(&self, page: &str, id: &str, extra: &[(&str, &str)]) -> String {
        let at = page
            .find(&format!("id=\"{id}\""))
            .unwrap_or_else(|| panic!("no form {id} in {page}"));
        let start = page[..at].rfind("<form").unwrap();
        let form = &page[start..start + page[start..].find("</form>").unwrap()];
        let mut fields: Vec<(String, String)> = form
            .split("<input type=\"hidden\" name=\"")
            .skip(1)
            .map(|rest| {
                let name = rest[..rest.find('"').unwrap()].to_string();
                let v = rest.find("value=\"").unwrap() + 7;
                let value = rest[v..v + rest[v..].find('"').unwrap()].replace("&#38;", "&");
                (name, value)
            })
            .collect();
        fields.extend(extra.iter().map(|(k, v)| (k.to_string(), v.to_string())));
        let query = fields
            .iter()
            .map(|(k, v)| format!("{k}={}", encode(v)))
            .collect::<Vec<_>>()
            .join("&");
        let path = page_path(page);
        if form.contains("method=\"post\"") {
            let (status, location, body) = self.request("POST", &path, Some(&query));
            assert_eq!(status, 303, "{body}");
            self.get(&location)
        } else {
            self.get(&format!("{path}?{query}"))
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The page's own path, from its breadcrumb's topic link (forms post to their own page).
fn page_path(page: &str) -> String {
    let kind = if page.contains("id=\"quiz\"") {
        "quiz"
    } else {
        "reconstruct"
    };
    format!("/topics/python/{kind}")
}

fn encode(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// Keys of the cards a miss brought forward: due `MISSED_DUE_IN` after an answer.
fn brought_forward(store: &Store) -> Vec<String> {
    let times: Vec<i64> = store.quiz_answers().unwrap().iter().map(|a| a.at).collect();
    let mut keys: Vec<String> = store
        .cards(Some("python"))
        .unwrap()
        .into_iter()
        .filter(|c| {
            times
                .iter()
                .any(|t| c.due == t + memseed_recall::MISSED_DUE_IN)
        })
        .map(|c| c.key)
        .collect();
    keys.sort();
    keys
}

/// Every Python question and concept card rated Easy a day ago, so a miss has cards to
/// bring forward (a new card is due already).
fn known(db: &Path) {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    let at = now.max(T0) - 86_400;
    let cat = memseed_catalog::Catalog::bundled();
    let mut r = memseed_recall::Recall::open(
        db,
        memseed_recall::Deck::from_catalog(&cat),
        memseed_study::Settings::default(),
        at,
    )
    .unwrap();
    let keys: Vec<String> = r
        .deck()
        .cards()
        .iter()
        .map(|c| c.key())
        .filter(|k| {
            k.starts_with("python/") && (k.ends_with("/question") || k.ends_with("/concept-anchor"))
        })
        .collect();
    for k in keys {
        r.rate(
            &k,
            memseed_study::Rating::Easy,
            memseed_store::Source::Study,
            at,
        )
        .unwrap();
    }
}

#[test]
fn a_quiz_on_the_web_stores_what_the_cli_stores() {
    let dir = tempfile::tempdir().unwrap();
    let (cli_db, web_db) = (dir.path().join("cli.db"), dir.path().join("web.db"));
    known(&cli_db);
    known(&web_db);
    let text = String::from_utf8(
        cli(
            &cli_db,
            &["quiz", "python", "--level", "expert", "--count", "4"],
            "\nn\n\ny\n\nn\n\ny\n",
        )
        .stdout,
    )
    .unwrap();
    assert!(text.contains("Quiz over: 2 of 4 right."), "{text}");

    let web = Server::start(&web_db);
    let mut page = web.get(&format!(
        "/topics/python/quiz?level=expert&count=4&seed={T0}"
    ));
    for had in ["n", "y", "n", "y"] {
        assert!(page.contains("Show the answer"), "{page}");
        page = web.submit(&page, "reveal-form", &[]);
        assert!(page.contains("Did you have it?"), "{page}");
        page = web.submit(&page, "grade-form", &[("had", had)]);
    }
    assert!(
        page.contains("Quiz over: <span id=\"quiz-score\">2 of 4 right.</span>"),
        "{page}"
    );
    assert!(page.contains("in your error journal"), "{page}");
    assert!(page.contains("Study the misses"), "{page}");
    drop(web);

    let (c, w) = (Store::open(&cli_db).unwrap(), Store::open(&web_db).unwrap());
    let answers = |s: &Store| -> Vec<(String, String, String, bool)> {
        s.quiz_answers()
            .unwrap()
            .into_iter()
            .map(|a| (a.topic, a.level, a.item, a.correct))
            .collect()
    };
    assert_eq!(answers(&w), answers(&c));
    assert_eq!(answers(&w).len(), 4);
    let journal = |s: &Store| -> Vec<(String, String, String, String, Option<String>)> {
        s.journal_entries(100)
            .unwrap()
            .into_iter()
            .map(|j| (j.topic, j.item, j.source, j.prompt, j.card_key))
            .collect()
    };
    assert_eq!(journal(&w), journal(&c));
    assert_eq!(journal(&w).len(), 2, "the two misses are in the journal");
    assert!(!brought_forward(&c).is_empty());
    assert_eq!(brought_forward(&w), brought_forward(&c));
    // The web measured the time to "Show the answer", as the terminal does to Enter.
    assert!(
        w.quiz_answers()
            .unwrap()
            .iter()
            .all(|a| a.seconds.is_some())
    );
}

#[test]
fn a_reconstruct_drill_on_the_web_stores_what_the_cli_stores() {
    let dir = tempfile::tempdir().unwrap();
    let (cli_db, web_db) = (dir.path().join("cli.db"), dir.path().join("web.db"));
    cli(
        &cli_db,
        &["reconstruct", "python", "--budget", "2257", "--count", "2"],
        "\n3\n\n1\n",
    );
    let web = Server::start(&web_db);
    let mut page = web.get("/topics/python/reconstruct?budget=2257&count=2");
    assert!(page.contains("The anchors you keep"), "{page}");
    let start = page.split("id=\"start-drill\" href=\"").nth(1).unwrap();
    let start = start[..start.find('"').unwrap()].replace("&#38;", "&");
    page = web.get(&start);
    for rating in ["3", "1"] {
        assert!(page.contains("Re-derive: "), "{page}");
        page = web.submit(&page, "reveal-form", &[]);
        page = web.submit(&page, "grade-form", &[("rating", rating)]);
    }
    assert!(page.contains("Drill over: 2 concepts rated"), "{page}");
    assert!(page.contains("Study the ones rated Again"), "{page}");
    drop(web);
    let reviews = |db: &Path| -> Vec<(String, u8, String, String, bool)> {
        Store::open(db)
            .unwrap()
            .reviews()
            .unwrap()
            .into_iter()
            .map(|r| (r.key, r.rating, r.source, r.phase_before, r.rescheduled))
            .collect()
    };
    assert_eq!(reviews(&web_db), reviews(&cli_db));
    assert_eq!(reviews(&web_db).len(), 2);
}
