//! FSRS parameters fitted to one person's reviews: the training data built from their
//! review histories, the fit (the `fsrs` crate's own training), how well a set of
//! parameters predicts those reviews (log loss and RMSE over bins, the crate's evaluation),
//! and the daily workload a desired retention costs (the crate's simulator). Pure: the
//! reviews come in as data.

use fsrs::{
    ComputeParametersInput, DEFAULT_PARAMETERS, FSRS, FSRSItem, FSRSReview, SimulatorConfig,
    compute_parameters, simulate,
};

/// One review of one card, as the fit needs it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Review {
    /// Any id that is the same for every review of one card.
    pub card: i64,
    /// Unix seconds.
    pub at: i64,
    /// 1 again, 2 hard, 3 good, 4 easy.
    pub rating: u8,
}

/// Below this many training items (reviews of a card on a later day than its previous
/// one), the crate does not train at all and returns its defaults: FSRS's own threshold
/// for a full fit.
pub const MIN_ITEMS: usize = 64;

/// How well parameters predict the reviews they are judged on: lower is better.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Fit {
    pub log_loss: f64,
    pub rmse_bins: f64,
}

/// Why parameters could not be fitted or judged.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum FitError {
    #[error(
        "fitting needs at least {MIN_ITEMS} reviews of cards already seen on an earlier day; there are {have}: {} more are needed",
        MIN_ITEMS - have
    )]
    NotEnough { have: usize },
    #[error("FSRS could not fit or judge these reviews: {0}")]
    Fsrs(String),
}

const DAY: i64 = 86_400;

/// The training items of a set of reviews: for every review of a card on a later day than
/// its previous review, the card's history up to and including it (FSRS's short-term
/// reviews on the same day stay in the history). Returns the items and, aligned with them,
/// their card ids. `reviews` may come in any order.
pub fn items(reviews: &[Review]) -> (Vec<FSRSItem>, Vec<i64>) {
    let mut sorted: Vec<Review> = reviews
        .iter()
        .copied()
        .filter(|r| (1..=4).contains(&r.rating))
        .collect();
    sorted.sort_by_key(|r| (r.card, r.at));
    let mut items = Vec::new();
    let mut ids = Vec::new();
    for card in sorted.chunk_by(|a, b| a.card == b.card) {
        let mut history: Vec<FSRSReview> = Vec::with_capacity(card.len());
        for (i, r) in card.iter().enumerate() {
            let delta_t = if i == 0 {
                0
            } else {
                u32::try_from((r.at - card[i - 1].at).max(0) / DAY).unwrap_or(u32::MAX)
            };
            history.push(FSRSReview {
                rating: u32::from(r.rating),
                delta_t,
            });
            if i > 0 && delta_t > 0 {
                items.push(FSRSItem {
                    reviews: history.clone(),
                });
                ids.push(r.card);
            }
        }
    }
    (items, ids)
}

/// Fits FSRS parameters to `reviews` with the crate's training (deterministic: the crate
/// seeds its own shuffling).
///
/// # Errors
/// [`FitError::NotEnough`] below [`MIN_ITEMS`] training items.
pub fn fit(reviews: &[Review]) -> Result<Vec<f32>, FitError> {
    let (train_set, card_ids) = items(reviews);
    if train_set.len() < MIN_ITEMS {
        return Err(FitError::NotEnough {
            have: train_set.len(),
        });
    }
    compute_parameters(ComputeParametersInput {
        train_set,
        card_ids: Some(card_ids),
        ..ComputeParametersInput::default()
    })
    .map_err(|e| FitError::Fsrs(format!("{e:?}")))
}

/// How well `parameters` predict `reviews` (every training item of them).
///
/// # Errors
/// When there is nothing to judge on, or the parameters are unusable.
pub fn evaluate(parameters: &[f32], reviews: &[Review]) -> Result<Fit, FitError> {
    let (items, card_ids) = items(reviews);
    if items.is_empty() {
        return Err(FitError::NotEnough { have: 0 });
    }
    let model = FSRS::new(parameters).map_err(|e| FitError::Fsrs(format!("{e:?}")))?;
    let e = model
        .evaluate_with_card_ids(items, card_ids, |_| true)
        .map_err(|e| FitError::Fsrs(format!("{e:?}")))?;
    Ok(Fit {
        log_loss: f64::from(e.log_loss),
        rmse_bins: f64::from(e.rmse_bins),
    })
}

/// FSRS's default parameters.
pub fn default_parameters() -> Vec<f32> {
    DEFAULT_PARAMETERS.to_vec()
}

/// The expected daily workload at one desired retention.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Workload {
    pub retention: f32,
    /// Reviews a day, averaged over the simulated year.
    pub reviews_per_day: f64,
    /// Minutes a day, averaged over the simulated year.
    pub minutes_per_day: f64,
    /// The share of the deck you would recall on the last day.
    pub recalled: f64,
}

/// Simulates a year of study of `deck_size` cards, `new_per_day` new ones a day, with
/// `parameters`, at each of `retentions` (the crate's simulator, with its default review
/// times and rating odds), and returns the average daily workload of each.
///
/// # Errors
/// When the parameters are unusable.
pub fn workload(
    parameters: &[f32],
    deck_size: usize,
    new_per_day: usize,
    retentions: &[f32],
) -> Result<Vec<Workload>, FitError> {
    let config = SimulatorConfig {
        deck_size,
        learn_span: 365,
        learn_limit: new_per_day.max(1),
        ..SimulatorConfig::default()
    };
    retentions
        .iter()
        .map(|&r| {
            let sim = simulate(&config, parameters, r, Some(42), None)
                .map_err(|e| FitError::Fsrs(format!("{e:?}")))?;
            let days = sim.review_cnt_per_day.len().max(1) as f64;
            let reviews: usize = sim
                .review_cnt_per_day
                .iter()
                .zip(&sim.learn_cnt_per_day)
                .map(|(a, b)| a + b)
                .sum();
            let cost: f32 = sim.cost_per_day.iter().sum();
            Ok(Workload {
                retention: r,
                reviews_per_day: reviews as f64 / days,
                minutes_per_day: f64::from(cost) / 60.0 / days,
                recalled: f64::from(sim.memorized_cnt_per_day.last().copied().unwrap_or(0.0))
                    / deck_size.max(1) as f64,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(card: i64, day: i64, rating: u8) -> Review {
        Review {
            card,
            at: day * DAY + 3600,
            rating,
        }
    }

    #[test]
    fn items_are_the_histories_up_to_each_review_on_a_later_day() {
        let reviews = [
            r(1, 0, 3),
            r(1, 0, 3), // same day: short-term, kept in the history only
            r(1, 2, 3),
            r(1, 7, 1),
            r(2, 5, 4),
        ];
        let (items, ids) = items(&reviews);
        assert_eq!(ids, vec![1, 1]);
        assert_eq!(items[0].reviews.len(), 3);
        assert_eq!(
            items[1]
                .reviews
                .iter()
                .map(|x| (x.rating, x.delta_t))
                .collect::<Vec<_>>(),
            vec![(3, 0), (3, 0), (3, 2), (1, 5)]
        );
    }

    #[test]
    fn too_few_reviews_say_how_many_more_are_needed() {
        let reviews: Vec<Review> = (0..10).flat_map(|c| [r(c, 0, 3), r(c, 3, 3)]).collect();
        let e = fit(&reviews).unwrap_err();
        assert_eq!(e, FitError::NotEnough { have: 10 });
        assert!(e.to_string().contains("54 more are needed"), "{e}");
    }

    #[test]
    fn a_higher_retention_costs_more_reviews() {
        let w = workload(&default_parameters(), 500, 10, &[0.8, 0.95]).unwrap();
        assert!(w[1].reviews_per_day > w[0].reviews_per_day, "{w:?}");
        assert!(w[1].recalled > w[0].recalled, "{w:?}");
    }
}
