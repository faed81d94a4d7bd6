//! The interview date on the web, as `memseed study --until` in the terminal: the form on
//! the progress page that sets or removes a topic's date (`POST /stats/plan`), and each
//! plan as the page shows it (cards left, reviews a day until the date).

use std::collections::HashMap;
use std::sync::Arc;

use axum::extract::rejection::FormRejection;
use axum::extract::{Form, State};
use axum::response::{IntoResponse, Redirect, Response};
use memseed_recall::Plan;

use crate::actions::bad_form;
use crate::error::{PageError, Problem};
use crate::state::AppState;
use crate::study::{now, with_recall};

const DAY: i64 = 86_400;

/// `YYYY-MM-DD` of the local day holding `at` (unix seconds; `utc_offset` seconds east of
/// UTC). Howard Hinnant's `civil_from_days`.
pub(crate) fn civil_date(at: i64, utc_offset: i32) -> String {
    let z = (at + i64::from(utc_offset)).div_euclid(DAY) + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("{y:04}-{m:02}-{d:02}")
}

/// One plan as the progress page lists it.
pub(crate) struct PlanRow {
    /// The topic's id, empty for every topic (the form's value).
    pub(crate) topic: String,
    pub(crate) title: String,
    pub(crate) until: String,
    pub(crate) days_left: u32,
    pub(crate) ready: usize,
    pub(crate) cards: usize,
    pub(crate) left_new: usize,
    pub(crate) left_review: usize,
    pub(crate) new_per_day: usize,
    pub(crate) reviews_per_day: String,
}

impl PlanRow {
    /// The row of `plan`, for `topic` (or every topic).
    pub(crate) fn new(st: &AppState, topic: Option<&str>, plan: &Plan, utc_offset: i32) -> Self {
        PlanRow {
            topic: topic.unwrap_or_default().to_string(),
            title: topic.map_or_else(
                || "All topics".to_string(),
                |t| {
                    st.topic(t)
                        .map(|x| memseed_core::prose::plain(&x.pack.topic.title))
                        .unwrap_or_else(|| t.to_string())
                },
            ),
            until: civil_date(plan.until, utc_offset),
            days_left: plan.days_left,
            ready: plan.ready,
            cards: plan.cards,
            left_new: plan.left_new,
            left_review: plan.left_review,
            new_per_day: plan.new_per_day,
            reviews_per_day: format!("{:.0}", plan.reviews_per_day.ceil()),
        }
    }
}

/// The topic a form names: empty for every topic; otherwise one that is served.
fn form_topic(st: &AppState, f: &HashMap<String, String>) -> Result<Option<String>, Problem> {
    match f.get("topic").map(|t| t.trim()).filter(|t| !t.is_empty()) {
        None => Ok(None),
        Some(t) if st.topic(t).is_some() => Ok(Some(t.to_string())),
        Some(t) => Err(Problem::not_found(
            format!(
                "There is no topic \u{201c}{}\u{201d}.",
                memseed_core::pack::text::clip(t, 60)
            ),
            "Choose a topic from the list on the progress page. Nothing was changed.",
        )),
    }
}

/// `POST /stats/plan`: `until=YYYY-MM-DD` sets the interview date of `topic` (empty: every
/// topic); `clear=1` removes it. Back to the progress page, which shows the plan.
pub async fn plan_form(
    State(st): State<Arc<AppState>>,
    form: Result<Form<HashMap<String, String>>, FormRejection>,
) -> Result<Response, PageError> {
    let Form(f) = form.map_err(bad_form)?;
    let topic = form_topic(&st, &f)?;
    if f.contains_key("clear") {
        with_recall(&st, move |r| r.clear_plan(topic.as_deref())).await?;
        return Ok(Redirect::to("/stats#plan").into_response());
    }
    let date = f
        .get("until")
        .map(|d| d.trim())
        .filter(|d| !d.is_empty())
        .ok_or_else(|| {
            Problem::bad_request(
                "The form has no date.",
                "Pick the date of your interview (YYYY-MM-DD). Nothing was changed.",
            )
        })?
        .to_string();
    let at = now();
    with_recall(&st, move |r| r.set_plan(topic.as_deref(), &date, at)).await?;
    Ok(Redirect::to("/stats#plan").into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn civil_dates_match_the_parser() {
        assert_eq!(civil_date(0, 0), "1970-01-01");
        assert_eq!(civil_date(1_797_724_800, 0), "2026-12-20");
        assert_eq!(civil_date(1_797_724_800 - 1, 0), "2026-12-19");
        assert_eq!(civil_date(1_797_724_800 - 3600, 3600), "2026-12-20");
        for date in [
            "2024-02-29",
            "2000-03-01",
            "1999-12-31",
            "2100-02-28",
            "9999-12-31",
        ] {
            let at = memseed_recall::parse_date(date, 0).unwrap();
            assert_eq!(civil_date(at, 0), date);
            assert_eq!(civil_date(at + DAY - 1, 0), date);
        }
    }

    #[test]
    fn every_day_from_1970_to_2200_round_trips_through_the_parser() {
        let mut at = 0;
        while at < memseed_recall::parse_date("2200-01-01", 0).unwrap() {
            let date = civil_date(at, 0);
            assert_eq!(memseed_recall::parse_date(&date, 0), Some(at), "{date}");
            at += DAY;
        }
    }
}
