//! FSRS tuned to the person, on the progress page: the parameters in use (the defaults, or
//! fitted on a date to a number of reviews) with their log loss and RMSE (bins), the
//! Optimize button (`POST /stats/optimize`, `memseed optimize` on the web) and what it did,
//! and the expected daily workload at a few desired retentions.

use std::collections::HashMap;
use std::sync::Arc;

use axum::extract::rejection::FormRejection;
use axum::extract::{Form, State};
use axum::response::Html;
use memseed_recall::{Fit, FitError, Optimized, Recall, RecallError, Workload};
use memseed_store::StoredParameters;

use crate::actions::bad_form;
use crate::error::{PageError, Problem};
use crate::plan::civil_date;
use crate::progress::stats_html;
use crate::state::AppState;
use crate::study::{now, with_recall};

/// What the progress page needs from the study service about the parameters.
pub(crate) struct TuningData {
    /// For every topic (`None`), then each topic with parameters of its own: what is in
    /// use and how well it predicts the reviews.
    params: Vec<(Option<String>, Option<StoredParameters>, Option<Fit>)>,
    workload: Vec<Workload>,
    /// The desired retention in use.
    retention: f32,
    utc_offset: i32,
}

impl TuningData {
    /// Reads it from the service (the workload is the crate's simulator: ~60 ms).
    pub(crate) fn load(r: &Recall) -> Result<TuningData, RecallError> {
        let mut params = vec![(None, r.parameters_in_use(None)?, r.evaluation(None)?)];
        for topic in r.deck().topics() {
            if let Some(p) = r.parameters_in_use(Some(topic))?
                && p.topic.as_deref() == Some(topic)
            {
                params.push((Some(topic.to_string()), Some(p), r.evaluation(Some(topic))?));
            }
        }
        // Every topic shares the settings; the topic-less scheduler holds them.
        let retention = r.scheduler("").settings().desired_retention;
        Ok(TuningData {
            params,
            workload: r.workload(None)?,
            retention,
            utc_offset: r.utc_offset,
        })
    }
}

/// One row of the parameters table.
pub(crate) struct ParamRow {
    pub(crate) scope: String,
    /// `FSRS's defaults` or `fitted 2026-12-04 to 1,234 reviews`.
    pub(crate) source: String,
    pub(crate) log_loss: String,
    pub(crate) rmse: String,
}

/// One row of the workload table.
pub(crate) struct WorkloadRow {
    pub(crate) retention: String,
    pub(crate) reviews: String,
    pub(crate) minutes: String,
    pub(crate) recalled: String,
    pub(crate) in_use: bool,
}

/// What the progress page shows about the parameters.
pub(crate) struct Tuning {
    pub(crate) params: Vec<ParamRow>,
    pub(crate) workload: Vec<WorkloadRow>,
    /// The Optimize form's choices: (topic id, title); the empty id is every topic.
    pub(crate) scopes: Vec<(String, String)>,
    /// What the Optimize button just did.
    pub(crate) outcome: Option<Outcome>,
}

fn title(st: &AppState, topic: Option<&str>) -> String {
    match topic {
        None => "All topics".into(),
        Some(t) => st
            .topic(t)
            .map(|x| memseed_core::prose::plain(&x.pack.topic.title))
            .unwrap_or_else(|| t.to_string()),
    }
}

/// A count with thousands separated: `12,345`.
fn count(n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    if n < 0 { format!("-{out}") } else { out }
}

/// Two measures side by side, with 4 decimals, or as many more (up to 7) as it takes to
/// tell them apart: a fit that wins by 0.00004 must not read as a tie.
fn pair(a: f64, b: f64) -> (String, String) {
    let mut digits = 4;
    while digits < 7 && format!("{a:.digits$}") == format!("{b:.digits$}") && a != b {
        digits += 1;
    }
    (format!("{a:.digits$}"), format!("{b:.digits$}"))
}

impl Tuning {
    pub(crate) fn new(st: &AppState, d: TuningData, outcome: Option<Outcome>) -> Tuning {
        let params = d
            .params
            .iter()
            .map(|(topic, stored, fit)| ParamRow {
                scope: title(st, topic.as_deref()),
                source: match stored {
                    Some(p) => format!(
                        "fitted {} to {} reviews",
                        civil_date(p.at, d.utc_offset),
                        count(p.reviews)
                    ),
                    None => "FSRS\u{2019}s defaults".into(),
                },
                log_loss: fit.map_or_else(|| "\u{2014}".into(), |f| format!("{:.4}", f.log_loss)),
                rmse: fit.map_or_else(|| "\u{2014}".into(), |f| format!("{:.4}", f.rmse_bins)),
            })
            .collect();
        let workload = d
            .workload
            .iter()
            .map(|w| WorkloadRow {
                retention: format!("{:.0}%", w.retention * 100.0),
                reviews: format!("{:.0}", w.reviews_per_day),
                minutes: format!("{:.0}", w.minutes_per_day),
                recalled: format!("{:.0}%", w.recalled * 100.0),
                in_use: (w.retention - d.retention).abs() < 1e-4,
            })
            .collect();
        let mut scopes = vec![(String::new(), "All topics".to_string())];
        scopes.extend(
            st.topics
                .iter()
                .map(|t| (t.slug().to_string(), title(st, Some(t.slug())))),
        );
        Tuning {
            params,
            workload,
            scopes,
            outcome,
        }
    }

    /// Whether no parameters can be judged yet (no reviews on a later day).
    pub(crate) fn unjudged(&self) -> bool {
        self.params.iter().all(|p| p.log_loss == "\u{2014}")
    }
}

/// What one press of Optimize did, in words.
pub(crate) struct Outcome {
    /// `kept`, `refused` or `more`.
    pub(crate) kind: &'static str,
    pub(crate) headline: String,
    pub(crate) detail: String,
}

impl Outcome {
    fn new(st: &AppState, topic: Option<&str>, result: Result<Optimized, FitError>) -> Outcome {
        let scope = title(st, topic);
        match result {
            Ok(o) => {
                let (loss_before, loss_fitted) = pair(o.before.log_loss, o.fitted.log_loss);
                let (rmse_before, rmse_fitted) = pair(o.before.rmse_bins, o.fitted.rmse_bins);
                let numbers = format!(
                    "Fitted to {} reviews of {scope}. Log loss: {loss_before} in use, {loss_fitted} fitted; RMSE (bins): {rmse_before} in use, {rmse_fitted} fitted (lower is better).",
                    count(o.reviews as i64),
                );
                if o.kept {
                    Outcome {
                        kind: "kept",
                        headline: "Kept: the fitted parameters predict your reviews better, and schedule from now on.".into(),
                        detail: numbers,
                    }
                } else {
                    Outcome {
                        kind: "refused",
                        headline: "Not kept: they predict your reviews no better than the parameters in use, which stay.".into(),
                        detail: numbers,
                    }
                }
            }
            Err(FitError::NotEnough { have }) => {
                let min = memseed_study::fit::MIN_ITEMS;
                Outcome {
                    kind: "more",
                    headline: format!(
                        "Not enough reviews to fit yet: {} more are needed.",
                        min.saturating_sub(have)
                    ),
                    detail: format!(
                        "Fitting needs {min} reviews of cards already seen on an earlier day ({scope} has {have}). Keep studying; nothing was changed."
                    ),
                }
            }
            Err(FitError::Fsrs(why)) => Outcome {
                kind: "refused",
                headline: "FSRS could not fit these reviews; the parameters in use stay.".into(),
                detail: why,
            },
        }
    }
}

/// `POST /stats/optimize` with `topic` (empty: every topic): fits FSRS to the person's
/// reviews and keeps the result only if it predicts them better, then shows the progress
/// page with what happened.
pub async fn optimize_form(
    State(st): State<Arc<AppState>>,
    form: Result<Form<HashMap<String, String>>, FormRejection>,
) -> Result<Html<String>, PageError> {
    let Form(f) = form.map_err(bad_form)?;
    let topic = match f.get("topic").map(|t| t.trim()).filter(|t| !t.is_empty()) {
        None => None,
        Some(t) if st.topic(t).is_some() => Some(t.to_string()),
        Some(t) => {
            return Err(PageError(Problem::not_found(
                format!(
                    "There is no topic \u{201c}{}\u{201d}.",
                    memseed_core::pack::text::clip(t, 60)
                ),
                "Choose a topic from the list on the progress page. Nothing was changed.",
            )));
        }
    };
    let at = now();
    let t = topic.clone();
    let result = with_recall(&st, move |r| match r.optimize(t.as_deref(), at) {
        Ok(o) => Ok(Ok(o)),
        Err(RecallError::Fit(e)) => Ok(Err(e)),
        Err(e) => Err(e),
    })
    .await?;
    let outcome = Outcome::new(&st, topic.as_deref(), result);
    stats_html(&st, Some(outcome)).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_have_thousands_separated() {
        assert_eq!(count(0), "0");
        assert_eq!(count(999), "999");
        assert_eq!(count(1000), "1,000");
        assert_eq!(count(1_234_567), "1,234,567");
        assert_eq!(count(-12_345), "-12,345");
    }

    #[test]
    fn close_measures_get_the_decimals_that_tell_them_apart() {
        assert_eq!(pair(0.3863, 0.3798), ("0.3863".into(), "0.3798".into()));
        assert_eq!(pair(0.32104, 0.32101), ("0.32104".into(), "0.32101".into()));
        assert_eq!(pair(0.5, 0.5), ("0.5000".into(), "0.5000".into()));
        assert_eq!(
            pair(0.1, 0.100_000_001),
            ("0.1000000".into(), "0.1000000".into())
        );
    }
}
