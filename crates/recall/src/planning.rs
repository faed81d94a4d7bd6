//! Interview dates: stored per topic (or for all), summarised for the stats, and turned
//! into the day's extra new cards and cram reviews in the study queue.

use std::collections::{HashMap, HashSet};

use memseed_store::Plan as StoredPlan;
use memseed_study::plan::{self, Plan, PlanCard};
use memseed_study::{QueueItem, local_day_start};

use crate::{Recall, RecallError, state_of};

const DAY: i64 = 86_400;

/// Days since 1970-01-01 of a civil date (proleptic Gregorian; Howard Hinnant's
/// `days_from_civil`).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The start of a `YYYY-MM-DD` date in local time (`utc_offset` seconds east of UTC).
pub fn parse_date(s: &str, utc_offset: i32) -> Option<i64> {
    let mut it = s.trim().splitn(3, '-');
    let y: i64 = it.next()?.parse().ok()?;
    let m: i64 = it.next()?.parse().ok()?;
    let d: i64 = it.next()?.parse().ok()?;
    if !(1..=12).contains(&m) || !(1..=31).contains(&d) || !(1970..=9999).contains(&y) {
        return None;
    }
    let days = days_from_civil(y, m, d);
    // Reject dates such as 2026-02-31, which roll into the next month.
    let next_month = if m == 12 {
        days_from_civil(y + 1, 1, 1)
    } else {
        days_from_civil(y, m + 1, 1)
    };
    if days >= next_month {
        return None;
    }
    Some(days * DAY - i64::from(utc_offset))
}

impl Recall {
    /// Sets the interview date of `topic` (or of every topic): `YYYY-MM-DD`, today or
    /// later.
    pub fn set_plan(
        &mut self,
        topic: Option<&str>,
        date: &str,
        now: i64,
    ) -> Result<i64, RecallError> {
        self.check_topic(topic)?;
        let until = parse_date(date, self.utc_offset)
            .filter(|&u| u > local_day_start(now, self.utc_offset))
            .ok_or_else(|| RecallError::BadDate(memseed_core::pack::text::clip(date, 40)))?;
        self.store.set_plan(topic, until, now)?;
        Ok(until)
    }

    /// Removes the interview date of `topic` (or of every topic).
    pub fn clear_plan(&mut self, topic: Option<&str>) -> Result<bool, RecallError> {
        Ok(self.store.clear_plan(topic)?)
    }

    /// The stored plan that applies to `topic`: its own, else the one for every topic.
    fn stored_plan(&self, topic: Option<&str>) -> Result<Option<StoredPlan>, RecallError> {
        let plans = self.store.plans()?;
        Ok(plans
            .iter()
            .find(|p| p.topic.as_deref() == topic && topic.is_some())
            .or_else(|| plans.iter().find(|p| p.topic.is_none()))
            .cloned())
    }

    /// The plan of `topic` (or of every topic) at `now`, with the cards left and the
    /// reviews a day it takes; `None` without a date, or once the date has passed.
    pub fn plan(&self, topic: Option<&str>, now: i64) -> Result<Option<Plan>, RecallError> {
        let Some(stored) = self.stored_plan(topic)? else {
            return Ok(None);
        };
        let today = local_day_start(now, self.utc_offset);
        if stored.until <= today {
            return Ok(None);
        }
        let scope = stored.topic.as_deref().or(topic);
        let data = self.plan_data(scope, now)?;
        Ok(Some(plan::summarize(&data.cards(), today, stored.until)))
    }

    /// Every plan with its summary, soonest first.
    pub fn plans(&self, now: i64) -> Result<Vec<(Option<String>, Plan)>, RecallError> {
        let mut out = Vec::new();
        for p in self.store.plans()? {
            if let Some(summary) = self.plan(p.topic.as_deref(), now)?
                && summary.until == p.until
            {
                out.push((p.topic, summary));
            }
        }
        Ok(out)
    }

    /// The queue with the plan's share of the day added: new critical and high cards
    /// beyond the day's limit, and cram reviews of cards whose next review falls after the
    /// date.
    pub(crate) fn with_plan(
        &self,
        topic: Option<&str>,
        mut queue: Vec<QueueItem>,
        now: i64,
    ) -> Result<Vec<QueueItem>, RecallError> {
        let Some(stored) = self.stored_plan(topic)? else {
            return Ok(queue);
        };
        let today = local_day_start(now, self.utc_offset);
        if stored.until <= today {
            return Ok(queue);
        }
        let scope = stored.topic.as_deref().or(topic);
        let data = self.plan_data(scope, now)?;
        let cards = data.cards();
        let summary = plan::summarize(&cards, today, stored.until);
        let (new, cram) = plan::today(&cards, &summary, now);
        let mut queued: HashSet<String> = queue.iter().map(|q| q.key.clone()).collect();
        let new_today = self.store.new_seen_since(scope, today)? as usize;
        let room = summary.new_per_day.saturating_sub(new_today);
        for key in new.into_iter().take(room) {
            if queued.insert(key.to_string()) {
                queue.push(QueueItem {
                    key: key.to_string(),
                    is_new: true,
                    cram: false,
                });
            }
        }
        for key in cram {
            if queued.insert(key.to_string()) {
                queue.push(QueueItem {
                    key: key.to_string(),
                    is_new: false,
                    cram: true,
                });
            }
        }
        Ok(queue)
    }

    fn plan_data(&self, topic: Option<&str>, now: i64) -> Result<PlanData, RecallError> {
        let today = local_day_start(now, self.utc_offset);
        let rows: HashMap<String, memseed_store::CardRow> = self
            .store
            .cards(topic)?
            .into_iter()
            .filter(|r| r.suspended.is_none())
            .map(|r| (r.key.clone(), r))
            .collect();
        let mut days: HashMap<String, HashSet<i64>> = HashMap::new();
        for r in self.store.histories(topic)? {
            days.entry(r.key)
                .or_default()
                .insert(local_day_start(r.at, self.utc_offset));
        }
        let entries = self
            .deck
            .cards()
            .iter()
            .filter(|c| topic.is_none_or(|t| c.topic == t))
            .filter_map(|c| {
                let key = c.key();
                let row = rows.get(&key)?;
                let d = days.get(&key);
                Some(PlanEntry {
                    tier: c.tier,
                    state: (row.phase != "new").then(|| state_of(row)),
                    review_days: d.map_or(0, |d| u32::try_from(d.len()).unwrap_or(u32::MAX)),
                    reviewed_today: d.is_some_and(|d| d.contains(&today)),
                    key,
                })
            })
            .collect();
        Ok(PlanData { entries })
    }
}

/// The cards of a plan, owned, so [`PlanCard`]s can borrow them.
struct PlanData {
    entries: Vec<PlanEntry>,
}

struct PlanEntry {
    key: String,
    tier: memseed_core::pack::Tier,
    state: Option<memseed_study::CardState>,
    review_days: u32,
    reviewed_today: bool,
}

impl PlanData {
    fn cards(&self) -> Vec<PlanCard<'_>> {
        self.entries
            .iter()
            .map(|e| PlanCard {
                key: &e.key,
                tier: e.tier,
                state: e.state.as_ref(),
                review_days: e.review_days,
                reviewed_today: e.reviewed_today,
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_parse_to_local_midnight_and_nonsense_is_refused() {
        assert_eq!(parse_date("1970-01-02", 0), Some(DAY));
        assert_eq!(parse_date("2026-12-20", 0), Some(1_797_724_800));
        assert_eq!(parse_date("2026-12-20", 3600), Some(1_797_724_800 - 3600));
        for bad in [
            "2026-02-30",
            "2026-13-01",
            "20-12-2026",
            "",
            "2026-12",
            "tomorrow",
        ] {
            assert_eq!(parse_date(bad, 0), None, "{bad}");
        }
        assert_eq!(
            parse_date("2024-02-29", 0),
            Some(days_from_civil(2024, 2, 29) * DAY)
        );
    }
}
