//! What one pupil's records hold for an evidence pack's rules (`readiness::Evidence`), read
//! from that pupil's rows only, so the check costs the same in any size of school.

use chrono::NaiveDate;

use crate::error::Result;
use crate::pupil::PupilId;
use crate::readiness::{self, Evidence, Readiness, RuleSet};

use super::Store;

fn day(text: &str) -> Option<NaiveDate> {
    text.parse().ok()
}

impl Store {
    /// The evidence the pack rules look at, for one pupil on `today`.
    pub fn evidence(&self, pupil: PupilId, today: NaiveDate) -> Result<Evidence> {
        let record = self.pupil(pupil)?;
        let on_roll = record.leaving_date.is_none_or(|left| left > today);
        let cycles = self.cycles(pupil)?;
        let mut evidence = Evidence {
            status: on_roll.then_some(record.status),
            need_areas: record.current_needs().map(|n| n.area).collect(),
            attendance_pct: record.attendance_pct,
            threshold_pence: self.threshold_pence()?,
            meetings_this_year: u32::try_from(self.parent_meetings(pupil, today)?.this_year).unwrap_or(0),
            ..Evidence::default()
        };
        for cycle in &cycles {
            if let Some(assessment) = &cycle.assessment {
                evidence.parent_views.extend(assessment.parent_view.as_ref().and_then(|v| day(&v.date)));
                evidence.pupil_views.extend(assessment.pupil_view.as_ref().and_then(|v| day(&v.date)));
                evidence.measures.extend(assessment.baselines.iter().filter_map(|b| day(&b.date)));
            }
            if let Some(review) = &cycle.review {
                evidence.parent_views.extend(review.parent_view.as_ref().and_then(|v| day(&v.date)));
                evidence.pupil_views.extend(review.pupil_view.as_ref().and_then(|v| day(&v.date)));
                if cycle.locked_on.is_some() {
                    evidence.reviews.extend(day(&review.date));
                }
            }
            evidence.plans += u32::from(cycle.plan.is_some());
        }
        // Cycles come newest first: the latest plan is the first one found.
        if let Some((cycle, plan)) = cycles.iter().find_map(|c| c.plan.as_ref().map(|p| (c, p))) {
            let catalogues = self.catalogues()?;
            evidence.strategy_areas = plan
                .strategies
                .iter()
                .map(|tick| catalogues.iter().find_map(|c| c.item(&tick.item_id)).and_then(|item| item.area))
                .collect();
            evidence.planned_cost_pence = Some(cycle.interventions.iter().map(|i| i.planned_cost_pence).sum());
        }
        evidence.advice = self
            .involvements(pupil)?
            .iter()
            .map(|i| (i.involvement.recommendations.len(), i.involvement.recommendations.iter().filter(|r| r.acted_on.is_some()).count()))
            .collect();
        Ok(evidence)
    }

    /// A pupil's readiness for a pack under a rule set: each rule met, missing or a warning.
    pub fn readiness(&self, pupil: PupilId, rules: &RuleSet, today: NaiveDate) -> Result<Readiness> {
        readiness::check(rules, &self.evidence(pupil, today)?)
    }
}
