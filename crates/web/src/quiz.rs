//! The quiz in the browser (`/topics/{slug}/quiz?level=…`): the CLI's `memseed quiz`, one
//! question at a time, "Show answer", then "Got it" or "Missed it". The questions and what
//! an answer stores come from the same code as the CLI's (`memseed_study::drill`,
//! `Recall::answer_quiz`), so a miss goes to the error journal and brings its cards forward.
//!
//! A quiz lives in its address: the level, the seed that fixes its order, and the answers
//! so far (`a=yn…`), so it works without JavaScript and a reload loses nothing. "Show
//! answer" is a round trip that notes when the question was shown, as the terminal times
//! the wait before Enter; a timed quiz counts a later answer as missed, as the CLI does.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};

use askama::Template;
use axum::extract::rejection::PathRejection;
use axum::extract::{Form, Path, Query, State};
use axum::response::{Html, IntoResponse, Redirect, Response};
use memseed_core::pack::Difficulty;
use memseed_core::pack::text::clip;
use memseed_core::prose;
use memseed_recall::MISSED_DUE_IN;
use memseed_study::drill::{self, QuizItem};

use crate::chrome::{Chrome, render};
use crate::error::{PageError, Problem, bad_path};
use crate::learn::{plural, topic_or_404};
use crate::state::{AppState, Topic};
use crate::study::{now, with_recall};
use crate::view::{self, Rich, rich, rich_paras};

/// Questions in a quiz unless the address says otherwise (the CLI's `--count` default).
pub const DEFAULT_COUNT: usize = 10;
/// The most questions (or drilled concepts) one page session takes.
pub const MAX_COUNT: usize = 200;

/// Milliseconds since the epoch: when a question was shown.
fn now_ms() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis() as u64)
        .unwrap_or(0)
}

pub(crate) fn param<'a>(q: &'a HashMap<String, String>, name: &str) -> Option<&'a str> {
    q.get(name).map(|v| v.trim()).filter(|v| !v.is_empty())
}

/// `count=`: how many questions or concepts, 1 to [`MAX_COUNT`].
pub(crate) fn count_param(q: &HashMap<String, String>) -> Result<usize, Problem> {
    match param(q, "count") {
        None => Ok(DEFAULT_COUNT),
        Some(c) => c
            .parse::<usize>()
            .ok()
            .filter(|n| (1..=MAX_COUNT).contains(n))
            .ok_or_else(|| {
                Problem::bad_request(
                    format!("\u{201c}{}\u{201d} is not a count.", clip(c, 20)),
                    format!("Use count=1 to {MAX_COUNT}."),
                )
            }),
    }
}

/// A number the page itself put in the address (seed, time); `None` when absent.
fn number<T: std::str::FromStr>(
    q: &HashMap<String, String>,
    name: &str,
) -> Result<Option<T>, Problem> {
    param(q, name)
        .map(|v| {
            v.parse::<T>().map_err(|_| {
                Problem::bad_request(
                    format!("\u{201c}{}\u{201d} is not a valid {name}.", clip(v, 20)),
                    "Start the quiz again from the topic page.",
                )
            })
        })
        .transpose()
}

/// What the page says when the server has no study database.
pub(crate) const STUDY_OFF: &str = "Study is off: this server has no study database, so nothing you answer could be stored. Start it with `memseed serve` (add --db PATH to choose the file).";

/// One quiz as its address describes it.
struct Session {
    level: Difficulty,
    count: usize,
    timed: Option<u32>,
    seed: u64,
    /// Answers so far: `y` right, `n` missed.
    answers: String,
}

impl Session {
    fn from_query(q: &HashMap<String, String>, level: Difficulty) -> Result<Session, Problem> {
        let timed = number::<u32>(q, "timed")?.filter(|&s| s > 0);
        let answers = param(q, "a").unwrap_or("").to_string();
        if !answers.chars().all(|c| c == 'y' || c == 'n') || answers.len() > MAX_COUNT {
            return Err(Problem::bad_request(
                "The quiz's answers in the address are not valid.",
                "Start the quiz again from the topic page.",
            ));
        }
        Ok(Session {
            level,
            count: count_param(q)?,
            timed,
            seed: number(q, "seed")?.unwrap_or_else(|| now() as u64),
            answers,
        })
    }

    /// The quiz's state as form fields: (name, value).
    fn fields(&self) -> Vec<(&'static str, String)> {
        let mut f = vec![
            ("level", self.level.as_str().to_string()),
            ("count", self.count.to_string()),
            ("seed", self.seed.to_string()),
        ];
        if let Some(t) = self.timed {
            f.push(("timed", t.to_string()));
        }
        if !self.answers.is_empty() {
            f.push(("a", self.answers.clone()));
        }
        f
    }

    fn url(&self, slug: &str) -> String {
        let query: Vec<String> = self
            .fields()
            .into_iter()
            .map(|(k, v)| format!("{k}={}", view::path_part(&v)))
            .collect();
        format!("{}/quiz?{}", view::topic_url(slug), query.join("&"))
    }
}

/// The level from `level=`, or a 400 with the CLI's line.
fn level(q: &HashMap<String, String>) -> Result<Option<Difficulty>, Problem> {
    param(q, "level")
        .map(|l| {
            drill::parse_level(l).map_err(|e| {
                Problem::bad_request(
                    format!("{}.", capitalise(&e.to_string())),
                    "Pick a level below or on the topic page.",
                )
            })
        })
        .transpose()
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

/// A level to pick, with how many questions it has.
struct LevelLink {
    label: &'static str,
    count: String,
    href: String,
}

/// The question being asked.
struct Question {
    number: usize,
    of: usize,
    text: Rich,
    code: String,
    item: String,
}

/// A missed question on the result screen.
struct Missed {
    question: Rich,
    href: String,
}

#[derive(Template)]
#[template(path = "quiz.html")]
struct QuizPage {
    chrome: Chrome,
    topic: String,
    topic_href: String,
    /// `off`, `levels`, `empty`, `question`, `answer` or `result`.
    screen: &'static str,
    /// What the page says when study is off.
    off: &'static str,
    level: &'static str,
    intro: String,
    levels: Vec<LevelLink>,
    fields: Vec<(&'static str, String)>,
    shown: u64,
    question: Option<Question>,
    answer: Vec<Rich>,
    /// Time's up: the answer counts as missed.
    late: String,
    seconds: String,
    score: String,
    missed: Vec<Missed>,
    journal: String,
    /// Next steps: (label, href).
    next: Vec<(String, String)>,
}

impl QuizPage {
    fn new(t: &Topic, screen: &'static str) -> QuizPage {
        let title = prose::plain(&t.pack.topic.title);
        QuizPage {
            chrome: Chrome::new(format!("Quiz: {title}")).script("drills.js"),
            topic: title,
            topic_href: view::topic_url(t.slug()),
            screen,
            off: STUDY_OFF,
            level: "",
            intro: String::new(),
            levels: Vec::new(),
            fields: Vec::new(),
            shown: 0,
            question: None,
            answer: Vec::new(),
            late: String::new(),
            seconds: String::new(),
            score: String::new(),
            missed: Vec::new(),
            journal: String::new(),
            next: Vec::new(),
        }
    }
}

/// The quiz address for a level of a topic (links from the topic and interview pages).
pub(crate) fn quiz_url(slug: &str, level: Difficulty) -> String {
    format!("{}/quiz?level={}", view::topic_url(slug), level.as_str())
}

/// Each level with how many questions it has, for "Quiz me" links.
pub(crate) fn level_links(t: &Topic) -> Vec<(String, String)> {
    Difficulty::ALL
        .into_iter()
        .filter_map(|l| {
            let n = drill::quiz_items(&t.pack, l).len();
            (n > 0).then(|| {
                (
                    format!("{} ({})", capitalise(l.as_str()), n),
                    quiz_url(t.slug(), l),
                )
            })
        })
        .collect()
}

/// `GET /topics/{slug}/quiz[?level=L][&count=N][&timed=S][&seed=…&a=…][&shown=MS]`.
pub async fn page(
    State(st): State<Arc<AppState>>,
    slug: Result<Path<String>, PathRejection>,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Html<String>, PageError> {
    let Path(slug) = slug.map_err(|r| PageError(bad_path(r)))?;
    let t = topic_or_404(&st, &slug)?;
    let Some(level) = level(&q)? else {
        let mut p = QuizPage::new(t, "levels");
        p.levels = Difficulty::ALL
            .into_iter()
            .map(|l| LevelLink {
                label: l.as_str(),
                count: plural(
                    drill::quiz_items(&t.pack, l).len() as u64,
                    "question",
                    "questions",
                ),
                href: quiz_url(t.slug(), l),
            })
            .collect();
        return render(&p);
    };
    let s = Session::from_query(&q, level)?;
    let mut p = QuizPage::new(t, "question");
    p.level = level.as_str();
    p.chrome.title = format!(
        "{} quiz: {} \u{2014} memseed",
        capitalise(level.as_str()),
        p.topic
    );
    if st.recall.is_none() {
        p.screen = "off";
        return render(&p);
    }
    let items = drill::quiz(&t.pack, level, s.seed, s.count);
    if items.is_empty() {
        p.screen = "empty";
        return render(&p);
    }
    p.intro = format!(
        "{} questions{}. Answer in your head (or aloud), show the answer, then say if you had it.",
        items.len(),
        s.timed.map(|x| format!(", {x} s each")).unwrap_or_default()
    );
    let done = s.answers.len();
    if done >= items.len() {
        return render(&result(p, t, &s, &items));
    }
    let item = &items[done];
    p.question = Some(Question {
        number: done + 1,
        of: items.len(),
        text: rich(&item.question),
        code: item.code.clone(),
        item: item.id.clone(),
    });
    p.fields = s.fields();
    match number::<u64>(&q, "shown")? {
        None => p.shown = now_ms(),
        Some(shown) => {
            let secs = now_ms().saturating_sub(shown) as f64 / 1000.0;
            p.screen = "answer";
            p.answer = rich_paras(Some(&item.answer));
            p.seconds = format!("{secs:.3}");
            if drill::is_late(secs, s.timed) {
                // A stale page (or a hand-made address) can be hours old: say so, not
                // a ten-digit count of seconds.
                let took = if secs >= 3600.0 {
                    "over an hour".to_string()
                } else {
                    format!("{secs:.0} s")
                };
                let limit = s.timed.unwrap_or_default();
                p.late = format!(
                    "Time\u{2019}s up: {took} for a {limit} s limit. This one counts as missed."
                );
            }
        }
    }
    render(&p)
}

fn result(mut p: QuizPage, t: &Topic, s: &Session, items: &[QuizItem]) -> QuizPage {
    p.screen = "result";
    let right = s.answers.chars().filter(|&c| c == 'y').count();
    p.score = format!("{right} of {} right.", s.answers.len());
    let missed: Vec<&QuizItem> = items
        .iter()
        .zip(s.answers.chars())
        .filter(|(_, a)| *a == 'n')
        .map(|(i, _)| i)
        .collect();
    let slug = t.slug();
    p.missed = missed
        .iter()
        .map(|i| Missed {
            question: rich(&i.question),
            href: format!(
                "{}/interview#{}-{}",
                view::topic_url(slug),
                if i.card.is_some() { "q" } else { "p" },
                view::path_part(&i.id)
            ),
        })
        .collect();
    if !missed.is_empty() {
        p.journal = format!(
            "{} in your error journal, and {} cards come due in {}.",
            if missed.len() == 1 {
                "It is"
            } else {
                "They are"
            },
            if missed.len() == 1 { "its" } else { "their" },
            memseed_recall::describe_interval(MISSED_DUE_IN)
        );
        let mut study: Vec<String> = Vec::new();
        for i in &missed {
            if i.card.is_some() {
                study.push(i.id.clone());
            }
            study.extend(i.concepts.iter().cloned());
        }
        study.dedup();
        if !study.is_empty() {
            p.next.push((
                "Study the misses".into(),
                format!(
                    "/study?topic={}&items={}",
                    view::path_part(slug),
                    study
                        .iter()
                        .map(|i| view::path_part(i))
                        .collect::<Vec<_>>()
                        .join(",")
                ),
            ));
        }
    }
    let again = Session {
        level: s.level,
        count: s.count,
        timed: s.timed,
        seed: s.seed.wrapping_add(1),
        answers: String::new(),
    };
    p.next
        .push(("Another quiz at this level".into(), again.url(slug)));
    p.next
        .push((format!("Back to {}", p.topic), view::topic_url(slug)));
    p
}

/// The form "Got it" and "Missed it" post.
#[derive(serde::Deserialize)]
pub struct AnswerForm {
    item: String,
    had: String,
    #[serde(default)]
    seconds: String,
    #[serde(flatten)]
    rest: HashMap<String, String>,
}

/// `POST /topics/{slug}/quiz`: stores one self-graded answer, then the next question.
pub async fn answer(
    State(st): State<Arc<AppState>>,
    slug: Result<Path<String>, PathRejection>,
    Form(f): Form<AnswerForm>,
) -> Result<Response, PageError> {
    let Path(slug) = slug.map_err(|r| PageError(bad_path(r)))?;
    let t = topic_or_404(&st, &slug)?;
    let Some(level) = level(&f.rest)? else {
        return Err(Problem::bad_request(
            "A quiz answer needs its level.",
            "Start the quiz from the topic page.",
        )
        .into());
    };
    let mut s = Session::from_query(&f.rest, level)?;
    let had_it = match f.had.as_str() {
        "y" => true,
        "n" => false,
        other => {
            return Err(Problem::bad_request(
                format!("\u{201c}{}\u{201d} is not an answer.", clip(other, 20)),
                "Send had=y (got it) or had=n (missed it).",
            )
            .into());
        }
    };
    let seconds = f
        .seconds
        .trim()
        .parse::<f64>()
        .ok()
        .filter(|x| x.is_finite() && *x >= 0.0);
    let items = drill::quiz(&t.pack, level, s.seed, s.count);
    let Some(item) = items
        .get(s.answers.len())
        .filter(|i| i.id == f.item)
        .cloned()
    else {
        return Err(Problem::bad_request(
            "This question is not the quiz's next one; nothing was saved.",
            "The page was out of date (answered twice, or the pack changed). Go back to the quiz.",
        )
        .into());
    };
    let correct = drill::counts_as_right(had_it, seconds.unwrap_or(0.0), s.timed);
    let topic = t.slug().to_string();
    let lvl = level.as_str();
    with_recall(&st, move |r| {
        r.answer_quiz(&topic, lvl, &item, correct, seconds, now())
    })
    .await?;
    s.answers.push(if correct { 'y' } else { 'n' });
    Ok(Redirect::to(&s.url(t.slug())).into_response())
}
