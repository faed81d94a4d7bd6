//! Tiers from the deck's own history, explained. What a person keeps forgetting matters
//! most; what they review without a slip matters least. Each concept's note gets a score:
//!
//! ```text
//! score = 2.0·ln(1 + lapses)      times its cards were forgotten after being learnt
//!       + 0.5·ln(1 + reviews)     times its cards were answered
//!       + 1.0·[marked]            the note carries Anki's `marked` tag
//!       + 1.0·[leech]             Anki tagged it a leech
//! ```
//!
//! As in the Markdown importer, the top 8% of the concepts (1 to 12) are critical and the
//! next 17% high, the bottom 20% low — here among notes that were reviewed and only those
//! with a lapse (or a mark) can be critical or high; a note never reviewed stays medium.
//! A tier tag (`critical`, `memseed::tier::high`) sets the tier outright; a critical or
//! high concept with no anchor is demoted to medium. A deck with no history at all ranks
//! nothing: every concept is medium, and the reason says so.

use memseed_core::pack::Tier;

/// The history of one concept's note.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Signals {
    pub lapses: u32,
    pub reviews: u32,
    pub marked: bool,
    pub leech: bool,
    /// A tier its tags set.
    pub tagged: Option<Tier>,
    /// Whether the note came from a memseed export (its tier tag is memseed's own).
    pub memseed: bool,
    pub has_anchor: bool,
}

impl Signals {
    fn parts(&self) -> [f64; 4] {
        [
            2.0 * (1.0 + f64::from(self.lapses)).ln(),
            0.5 * (1.0 + f64::from(self.reviews)).ln(),
            if self.marked { 1.0 } else { 0.0 },
            if self.leech { 1.0 } else { 0.0 },
        ]
    }

    /// The score the tiers are ranked by.
    pub fn score(&self) -> f64 {
        self.parts().iter().sum()
    }
}

/// The tiers, with a reason for each, and the concepts demoted for want of an anchor.
#[derive(Debug, PartialEq)]
pub struct Ranked {
    pub tiers: Vec<Tier>,
    pub reasons: Vec<String>,
    /// Indexes of concepts that ranked critical or high but have no anchor.
    pub demoted: Vec<(usize, Tier)>,
}

/// Ranks concepts by their notes' history.
pub fn rank(sig: &[Signals]) -> Ranked {
    let n = sig.len();
    let scores: Vec<f64> = sig.iter().map(Signals::score).collect();
    let history = sig.iter().any(|s| s.reviews > 0 || s.lapses > 0);
    let mut order: Vec<usize> = (0..n)
        .filter(|&i| sig[i].reviews > 0 || sig[i].lapses > 0)
        .collect();
    order.sort_by(|&a, &b| scores[b].total_cmp(&scores[a]).then(a.cmp(&b)));
    let reviewed = order.len();
    let quota = |share: f64| (n as f64 * share).round() as usize;
    let mut crit_left = quota(0.08).clamp(1, 12);
    let mut high_left = quota(0.17).min(30);
    let low_from = reviewed - quota(0.20).min(reviewed);

    let mut tiers = vec![Tier::Medium; n];
    let mut reasons = vec![String::new(); n];
    let mut demoted = Vec::new();
    let mut rank_of = vec![None; n];
    for (r, &i) in order.iter().enumerate() {
        rank_of[i] = Some(r);
    }
    // Ranked notes first (so the quotas go by score), then the rest.
    let unranked = (0..n).filter(|i| rank_of[*i].is_none());
    for i in order.iter().copied().chain(unranked) {
        let s = &sig[i];
        let why = explain(s, scores[i], rank_of[i], reviewed);
        let (wanted, reason) = if let Some(t) = s.tagged {
            let by = if s.memseed {
                format!(
                    "tier {}: as memseed exported it (tag memseed::tier::{})",
                    t.as_str(),
                    t.as_str()
                )
            } else {
                format!("tier {}: tagged {} in Anki", t.as_str(), t.as_str())
            };
            (t, by)
        } else if !history {
            (
                Tier::Medium,
                "tier medium: the deck has no review history to rank by".to_string(),
            )
        } else {
            let r = rank_of[i];
            let eligible = s.lapses > 0 || s.marked || s.leech;
            let t = match r {
                None => Tier::Medium,
                Some(_) if eligible && crit_left > 0 => Tier::Critical,
                Some(_) if eligible && high_left > 0 => Tier::High,
                Some(r) if r >= low_from && s.lapses == 0 => Tier::Low,
                Some(_) => Tier::Medium,
            };
            match t {
                Tier::Critical => crit_left -= 1,
                Tier::High => high_left -= 1,
                _ => {}
            }
            let reason = if r.is_none() {
                "tier medium: never reviewed in Anki".to_string()
            } else {
                format!("tier {}", t.as_str())
            };
            (t, reason)
        };
        if wanted <= Tier::High && !s.has_anchor {
            demoted.push((i, wanted));
            tiers[i] = Tier::Medium;
            reasons[i] = format!(
                "tier medium: would be {} but has no anchor; {why}",
                wanted.as_str()
            );
            continue;
        }
        tiers[i] = wanted;
        reasons[i] = if why.is_empty() {
            reason
        } else {
            format!("{reason}: {why}")
        };
    }
    Ranked {
        tiers,
        reasons,
        demoted,
    }
}

/// One line on what made a note's score.
fn explain(s: &Signals, score: f64, rank: Option<usize>, of: usize) -> String {
    if s.reviews == 0 && s.lapses == 0 && !s.marked && !s.leech {
        return String::new();
    }
    let p = s.parts();
    let plural = |n: u32| if n == 1 { "" } else { "s" };
    let mut parts = vec![
        format!("{} lapse{} (+{:.2})", s.lapses, plural(s.lapses), p[0]),
        format!("{} review{} (+{:.2})", s.reviews, plural(s.reviews), p[1]),
    ];
    if s.marked {
        parts.push(format!("marked (+{:.2})", p[2]));
    }
    if s.leech {
        parts.push(format!("a leech (+{:.2})", p[3]));
    }
    match rank {
        Some(r) => format!(
            "score {score:.2}, rank {} of {of} reviewed: {}",
            r + 1,
            parts.join("; ")
        ),
        None => parts.join("; "),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(lapses: u32, reviews: u32) -> Signals {
        Signals {
            lapses,
            reviews,
            has_anchor: true,
            ..Signals::default()
        }
    }

    #[test]
    fn lapses_make_critical_and_clean_reviews_make_low() {
        let mut sig: Vec<Signals> = (0..20).map(|i| s(0, 3 + i % 4)).collect();
        sig[3] = s(6, 20);
        sig[7] = s(2, 9);
        sig[9] = s(0, 0);
        let r = rank(&sig);
        assert_eq!(r.tiers[3], Tier::Critical, "{}", r.reasons[3]);
        assert_eq!(
            r.tiers[7],
            Tier::Critical,
            "2 of 20 is 8%: {}",
            r.reasons[7]
        );
        assert!(r.reasons[3].starts_with("tier critical: score 5.41, rank 1 of 19 reviewed: 6 lapses (+3.89); 20 reviews (+1.52)"), "{}", r.reasons[3]);
        assert_eq!(r.tiers[9], Tier::Medium);
        assert_eq!(r.reasons[9], "tier medium: never reviewed in Anki");
        assert!(r.tiers.iter().filter(|t| **t == Tier::Low).count() >= 3);
        assert!(!r.tiers.contains(&Tier::High), "no other note lapsed");
    }

    #[test]
    fn tags_set_tiers_and_no_anchor_demotes() {
        let mut sig = vec![s(5, 10), s(0, 0), s(0, 0)];
        sig[0].has_anchor = false;
        sig[1].tagged = Some(Tier::High);
        sig[1].memseed = true;
        sig[2].tagged = Some(Tier::Low);
        let r = rank(&sig);
        assert_eq!(r.tiers, [Tier::Medium, Tier::High, Tier::Low]);
        assert_eq!(r.demoted, [(0, Tier::Critical)]);
        assert!(
            r.reasons[0].starts_with("tier medium: would be critical but has no anchor"),
            "{}",
            r.reasons[0]
        );
        assert_eq!(
            r.reasons[1],
            "tier high: as memseed exported it (tag memseed::tier::high)"
        );
    }

    #[test]
    fn no_history_ranks_nothing() {
        let r = rank(&[s(0, 0), s(0, 0)]);
        assert_eq!(r.tiers, [Tier::Medium, Tier::Medium]);
        assert_eq!(
            r.reasons[0],
            "tier medium: the deck has no review history to rank by"
        );
    }
}
