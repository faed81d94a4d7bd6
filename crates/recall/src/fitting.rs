//! Fitting FSRS parameters to the person's own reviews, keeping them only when they
//! predict those reviews better than the parameters in use (as Anki does), and what a
//! desired retention would cost a day.

use memseed_store::StoredParameters;
use memseed_study::Scheduler;
use memseed_study::fit::{self, Fit, Review, Workload};

use crate::{Recall, RecallError};

/// What `optimize` did.
#[derive(Clone, Debug, PartialEq)]
pub struct Optimized {
    /// The topic fitted to, or `None` for all topics.
    pub topic: Option<String>,
    /// Reviews fitted on.
    pub reviews: usize,
    /// The parameters in use before, judged on those reviews.
    pub before: Fit,
    /// The fitted parameters, judged on the same reviews.
    pub fitted: Fit,
    /// Whether the fitted parameters were kept (they predict better).
    pub kept: bool,
}

/// Retentions whose workload the stats show.
pub const RETENTIONS: [f32; 5] = [0.8, 0.85, 0.9, 0.93, 0.95];

impl Recall {
    /// Reviews that set a schedule (not crams), of `topic` or all, as the fit reads them.
    fn fit_reviews(&self, topic: Option<&str>) -> Result<Vec<Review>, RecallError> {
        Ok(self
            .store
            .histories(topic)?
            .into_iter()
            .filter(|r| r.rescheduled)
            .map(|r| Review {
                card: r.card_id,
                at: r.at,
                rating: r.rating,
            })
            .collect())
    }

    /// The parameters in use for `topic`.
    fn parameters_for(&self, topic: Option<&str>) -> &[f32] {
        match topic {
            Some(t) => self.scheduler(t).parameters(),
            None => self.scheduler.parameters(),
        }
    }

    /// Fits FSRS parameters to the reviews of `topic` (or all) with the `fsrs` crate's
    /// training, and keeps them, stored with the date and the review count, only if their
    /// log loss on those reviews is lower than the parameters' in use.
    ///
    /// # Errors
    /// [`fit::FitError::NotEnough`] (saying how many more reviews are needed) below the
    /// crate's minimum.
    pub fn optimize(&mut self, topic: Option<&str>, now: i64) -> Result<Optimized, RecallError> {
        self.check_topic(topic)?;
        let reviews = self.fit_reviews(topic)?;
        let fitted_params = fit::fit(&reviews)?;
        let before = fit::evaluate(self.parameters_for(topic), &reviews)?;
        let fitted = fit::evaluate(&fitted_params, &reviews)?;
        let kept = fitted.log_loss < before.log_loss;
        if kept {
            self.store.save_parameters(&StoredParameters {
                at: now,
                topic: topic.map(str::to_string),
                parameters: fitted_params,
                reviews: reviews.len() as i64,
                log_loss: fitted.log_loss,
                rmse_bins: fitted.rmse_bins,
            })?;
            self.load_parameters()?;
        }
        Ok(Optimized {
            topic: topic.map(str::to_string),
            reviews: reviews.len(),
            before,
            fitted,
            kept,
        })
    }

    /// How well the parameters in use predict the person's reviews (log loss and RMSE over
    /// bins); `None` when there are no reviews on a later day to judge them on yet.
    pub fn evaluation(&self, topic: Option<&str>) -> Result<Option<Fit>, RecallError> {
        let reviews = self.fit_reviews(topic)?;
        match fit::evaluate(self.parameters_for(topic), &reviews) {
            Ok(f) => Ok(Some(f)),
            Err(fit::FitError::NotEnough { .. }) => Ok(None),
            Err(e) => Err(e.into()),
        }
    }

    /// Whether the parameters in use were fitted (and when, on how many reviews), or are
    /// FSRS's defaults.
    pub fn parameters_in_use(
        &self,
        topic: Option<&str>,
    ) -> Result<Option<StoredParameters>, RecallError> {
        Ok(self.store.parameters(topic)?)
    }

    /// The expected daily workload at a few desired retentions, for a deck the size of the
    /// current one with the day's new-card limit (the crate's simulator).
    pub fn workload(&self, topic: Option<&str>) -> Result<Vec<Workload>, RecallError> {
        let deck = self
            .deck
            .cards()
            .iter()
            .filter(|c| topic.is_none_or(|t| c.topic == t))
            .count();
        Ok(fit::workload(
            self.parameters_for(topic),
            deck.max(1),
            self.new_per_day as usize,
            &RETENTIONS,
        )?)
    }

    /// (Re)loads the stored parameters into the schedulers.
    pub(crate) fn load_parameters(&mut self) -> Result<(), RecallError> {
        let settings = self.scheduler.settings().clone();
        let make = |p: &[f32]| {
            Scheduler::with_parameters(settings.clone(), p)
                .map_err(|e| RecallError::Settings(e.to_string()))
        };
        if let Some(p) = self.store.parameters(None)? {
            self.scheduler = make(&p.parameters)?;
        }
        self.topic_schedulers.clear();
        for topic in self.deck.topics() {
            if let Some(p) = self.store.parameters(Some(topic))?
                && p.topic.as_deref() == Some(topic)
            {
                let s = make(&p.parameters)?;
                self.topic_schedulers.insert(topic.to_string(), s);
            }
        }
        Ok(())
    }
}
