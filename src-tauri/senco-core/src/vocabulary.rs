//! The words and rules the screens need, as data: SEN statuses, needs, broad areas, year
//! groups, sexes and school phases, with their labels and the rules a form must show
//! (which statuses need a primary need, where NSA is allowed, the highest rank).
//!
//! The UI asks for this once and never retypes it, so a label or a rule changes in one
//! place: here and in `census`, `pupil` and `sen`, which this module reads.

use serde::Serialize;
use ts_rs::TS;

use crate::apdr::{AssessmentSource, Decision, NoticeMethod, PfaDomain, Wave, RATING_SCALE};
use crate::people::Service;
use crate::store::{WorkKind, DUE_SOON_DAYS};
use crate::census::{need_types, BroadArea, NeedCode, NeedType, SenStatus};
use crate::pupil::{nc_year_label, Sex, NC_YEARS};
use crate::school::Phase;
use crate::sen::MAX_RANK;
use crate::text;

/// Everything the screens need to name codes and follow the rules.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Vocabulary {
    pub statuses: Vec<StatusTerm>,
    pub needs: Vec<NeedType>,
    pub areas: Vec<AreaTerm>,
    pub years: Vec<YearTerm>,
    pub sexes: Vec<SexTerm>,
    pub phases: Vec<PhaseTerm>,
    /// The highest need rank; rank 1 is the primary need.
    pub max_rank: u32,
    /// The longest names and reasons accepted, for the forms' `maxlength`.
    pub name_max: usize,
    pub reason_max: usize,
    pub note_max: usize,
    /// The largest report that can be attached, in bytes.
    pub attachment_max_bytes: usize,
    /// The graduated approach's words: where assessments draw evidence from, how parents
    /// were told, Preparing for Adulthood domains, review decisions, the rating scale,
    /// intervention waves and specialist services.
    pub sources: Vec<Term>,
    pub notice_methods: Vec<Term>,
    pub pfa_domains: Vec<Term>,
    pub decisions: Vec<Term>,
    /// The decisions after which the cycle needs a next review date (all but ending SEN support).
    pub decisions_needing_next_review: Vec<String>,
    pub ratings: Vec<Term>,
    pub waves: Vec<Term>,
    pub services: Vec<Term>,
    pub worklist_kinds: Vec<Term>,
    /// A request for an EHC needs assessment: the LA's decisions and the exceptions to its
    /// time limits.
    pub assess_decisions: Vec<Term>,
    pub draft_outcomes: Vec<Term>,
    pub exception_kinds: Vec<Term>,
    /// What can happen to a request, in order: the choices of "what happened".
    pub request_steps: Vec<Term>,
    /// The evidence packs, with their names.
    pub pack_types: Vec<Term>,
    /// What a parent or carer can consent to.
    pub consent_kinds: Vec<Term>,
    /// The steps of an EHC plan's annual review that are recorded.
    pub review_steps: Vec<Term>,
    /// Where the SENCO stands with the mandatory qualification.
    pub qualifications: Vec<Term>,
    /// The longest SENCO name accepted.
    pub senco_name_max: usize,
    /// What the duties' form says beside each date: the rule it is judged by.
    pub duty_hints: DutyHints,
    /// The shortest password a pack bundle may have.
    pub pack_password_min: usize,
    /// How many days ahead a review counts as due soon on the worklist.
    #[ts(type = "number")]
    pub due_soon_days: i64,
}

/// The hints beside the duties' dates, from the rules `duties` judges them by.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct DutyHints {
    pub appointed: String,
    pub sen_report: String,
    pub accessibility_plan: String,
}

/// A value as the commands send it, and its label.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Term {
    pub value: String,
    pub label: String,
}

fn terms<T: Serialize + Copy>(all: &[T], label: impl Fn(T) -> &'static str) -> Vec<Term> {
    all.iter()
        .map(|&v| Term {
            value: serde_json::to_value(v).ok().and_then(|v| v.as_str().map(str::to_string)).unwrap_or_default(),
            label: label(v).to_string(),
        })
        .collect()
}

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct StatusTerm {
    pub status: SenStatus,
    /// The code stored and shown on the command line: N, M, K or E.
    pub code: String,
    /// What the census sees (monitoring counts as N).
    pub census_code: String,
    pub label: String,
    /// For badges and narrow columns.
    pub short_label: String,
    /// SEN support and EHC plans need a primary need.
    pub needs_primary_need: bool,
    /// NSA (no specialist assessment) may be recorded with this status.
    pub allows_nsa: bool,
    /// A change to this status is confirmed in a second step that names the pupil, the old
    /// and new status and the date.
    pub asks_confirmation: bool,
}

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct AreaTerm {
    pub area: BroadArea,
    pub slug: String,
    pub label: String,
}

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct YearTerm {
    pub year: i32,
    /// "N", "R", "Y1" … "Y14".
    pub short_label: String,
    /// "Nursery", "Reception", "Year 1" …
    pub label: String,
}

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct SexTerm {
    pub sex: Sex,
    pub label: String,
}

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct PhaseTerm {
    pub phase: Phase,
    pub label: String,
}

/// The vocabulary of this build.
pub fn vocabulary() -> Vocabulary {
    Vocabulary {
        statuses: SenStatus::ALL
            .into_iter()
            .map(|status| StatusTerm {
                status,
                code: status.code().to_string(),
                census_code: status.census_code().to_string(),
                label: status.label().to_string(),
                short_label: status.short_label().to_string(),
                needs_primary_need: status.needs_primary_need(),
                allows_nsa: status.allows(NeedCode::NSA),
                asks_confirmation: status.asks_confirmation(),
            })
            .collect(),
        needs: need_types(),
        areas: BroadArea::ALL
            .into_iter()
            .map(|area| AreaTerm { area, slug: area.slug().to_string(), label: area.label().to_string() })
            .collect(),
        years: NC_YEARS
            .map(|year| YearTerm { year, short_label: nc_year_label(year), label: crate::pupil::year_name(year) })
            .collect(),
        sexes: Sex::ALL.into_iter().map(|sex| SexTerm { sex, label: sex.label().to_string() }).collect(),
        phases: Phase::ALL.into_iter().map(|phase| PhaseTerm { phase, label: phase.label().to_string() }).collect(),
        max_rank: MAX_RANK,
        name_max: text::NAME_MAX,
        reason_max: text::REASON_MAX,
        note_max: text::NOTE_MAX,
        attachment_max_bytes: crate::people::ATTACHMENT_MAX_BYTES,
        sources: terms(&AssessmentSource::ALL, AssessmentSource::label),
        notice_methods: terms(&NoticeMethod::ALL, NoticeMethod::label),
        pfa_domains: terms(&PfaDomain::ALL, PfaDomain::label),
        decisions: terms(&Decision::ALL, Decision::label),
        decisions_needing_next_review: terms(&Decision::ALL, Decision::label)
            .into_iter()
            .zip(Decision::ALL)
            .filter(|(_, d)| d.needs_next_review())
            .map(|(t, _)| t.value)
            .collect(),
        ratings: RATING_SCALE.iter().map(|(v, label)| Term { value: v.to_string(), label: format!("{v:+} {label}") }).collect(),
        waves: terms(&Wave::ALL, Wave::label),
        services: terms(&Service::ALL, Service::label),
        worklist_kinds: terms(&WorkKind::ALL, WorkKind::label),
        assess_decisions: terms(&crate::statutory::AssessDecision::ALL, crate::statutory::AssessDecision::label),
        draft_outcomes: terms(&crate::statutory::DraftOutcome::ALL, crate::statutory::DraftOutcome::label),
        exception_kinds: terms(&crate::statutory::ExceptionKind::ALL, crate::statutory::ExceptionKind::label),
        request_steps: terms(&crate::statutory::RequestStep::ALL, crate::statutory::RequestStep::label),
        pack_types: terms(&crate::readiness::PackType::ALL, crate::readiness::pack_label),
        consent_kinds: terms(&crate::people::ConsentKind::ALL, crate::people::ConsentKind::label),
        pack_password_min: crate::pack::PASSWORD_MIN,
        review_steps: terms(&crate::store::ReviewStep::ALL, crate::store::ReviewStep::label),
        due_soon_days: DUE_SOON_DAYS,
        qualifications: terms(&crate::duties::Qualification::ALL, crate::duties::Qualification::label),
        senco_name_max: crate::duties::NAME_MAX,
        duty_hints: DutyHints {
            appointed: format!("A new SENCO has {} years to gain the qualification", crate::duties::QUALIFY_YEARS),
            sen_report: format!("Reviewed every {} months", crate::duties::REPORT_MONTHS),
            accessibility_plan: format!("A plan for each {} years", crate::duties::ACCESSIBILITY_YEARS),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_vocabulary_carries_the_rules_the_forms_follow() {
        let words = vocabulary();
        assert_eq!(words.decisions_needing_next_review, ["continue", "adapt", "seekSpecialistAdvice", "requestEhcNeedsAssessment"], "all but ending SEN support");
        let rules: Vec<String> = words
            .statuses
            .iter()
            .map(|s| format!("{} {} primary:{} nsa:{}", s.code, s.short_label, s.needs_primary_need, s.allows_nsa))
            .collect();
        assert_eq!(
            rules,
            ["N No SEN primary:false nsa:false", "M Monitoring primary:false nsa:false", "K SEN support (K) primary:true nsa:true", "E EHC plan (E) primary:true nsa:false"]
        );
        assert_eq!(words.years.first().map(|y| (y.year, y.short_label.as_str(), y.label.as_str())), Some((-1, "N", "Nursery")));
        assert_eq!(words.years.last().map(|y| y.label.as_str()), Some("Year 14"));
        assert_eq!(words.needs.len(), 13);
        assert_eq!(words.max_rank, 3);
    }
}
