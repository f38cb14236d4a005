//! Evidence readiness: which of a pack's evidence rules a pupil's records meet, before any
//! pack is built. The rules are data (`assets/packs/*.json`, docs/formats/evidence-rules.md):
//! each names one of the checks below with its numbers, whether it is required or advisory,
//! and the screen that fixes it. The checks and their sentences are here, so every rule
//! set words the same evidence the same way. Evaluation is a pure function of one pupil's
//! evidence (`Store::evidence` gathers it), so it never grows with the school.

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::apdr::pounds;
use crate::census::{BroadArea, SenStatus};
use crate::error::{Error, Result};

/// What a rules file says it is.
pub const RULES_FORMAT: &str = "senco-evidence-rules";
/// The newest rules format this build reads.
pub const RULES_SCHEMA: u32 = 1;

/// The packs the toolkit builds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum PackType {
    /// A request for an EHC needs assessment.
    Ehcna,
    /// Kent High Needs Funding.
    Hnf,
    /// A referral to a LIFT meeting.
    Lift,
}

/// How much a rule matters: a required rule not met means the pack is not ready.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum Level {
    Required,
    Advisory,
}

/// Where in the app the evidence is put right.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum FixPlace {
    /// The pupil's details (attendance among them).
    Details,
    /// The pupil's needs.
    Needs,
    /// The pupil's support cycles: assessments, plans, delivery, reviews.
    Cycles,
    /// The pupil's parent meetings.
    Meetings,
    /// The pupil's specialist involvement.
    Specialists,
    /// The school's intervention library and costs.
    Library,
    /// The pupil's consents.
    Consents,
    /// The school's staff training records.
    Training,
}

/// The checks a rule can name, with their numbers. (Rules are read by the core only, so
/// they have no TypeScript binding.)
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "camelCase", rename_all_fields = "camelCase", deny_unknown_fields)]
pub enum Check {
    /// The parent's views, in their own words, in an assessment or review.
    ParentViews,
    /// The pupil's views, in their own words, in an assessment or review.
    PupilViews,
    /// At least `min` signed-off reviews, falling in at least `terms` different terms.
    ReviewedCycles { min: u32, terms: u32 },
    /// Specialist advice recorded, with every recommendation acted on.
    AdviceActedOn,
    /// Baseline measures on at least `min` different dates.
    AttainmentPoints { min: u32 },
    /// An attendance figure on the pupil's record.
    Attendance,
    /// In the latest plan, at least one ticked strategy for each broad area of the pupil's
    /// current needs.
    StrategiesForEachArea,
    /// The latest plan's costed provision, against the notional SEN threshold.
    CostedProvision,
    /// At least `min` parent meetings in this academic year.
    ParentMeetings { min: u32 },
    /// At least `min` plans (cycles with a plan).
    Plans { min: u32 },
    /// A parent's or carer's consent of this kind that stands today.
    Consent { consent: crate::people::ConsentKind },
    /// Staff training for each of the pupil's areas of need within the last `years` years.
    StaffTraining { years: u32 },
    /// The outcome of a LIFT meeting about the pupil, recorded as LIFT involvement.
    LiftOutcome,
}

/// One rule of a rule set.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Rule {
    /// Stable within its rule set, such as `parent-views`.
    pub id: String,
    /// What the evidence is, for the checklist ("Parent's views").
    pub title: String,
    pub level: Level,
    pub check: Check,
    pub fix: FixPlace,
    /// Which pupils the rule is for; every pupil unless it says.
    #[serde(default)]
    pub applies_to: AppliesTo,
}

/// Which pupils a rule asks evidence of. Kent's High Needs Funding criteria ask for the LIFT
/// outcome and specialists' advice only for pupils without an EHC plan, whose needs have
/// not been assessed by the LA.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum AppliesTo {
    #[default]
    Everyone,
    WithoutPlan,
    WithPlan,
}

impl AppliesTo {
    fn includes(self, status: Option<SenStatus>) -> bool {
        match self {
            AppliesTo::Everyone => true,
            AppliesTo::WithoutPlan => status != Some(SenStatus::EhcPlan),
            AppliesTo::WithPlan => status == Some(SenStatus::EhcPlan),
        }
    }
}

/// A rules file: its name, version, the pack it is for, and its rules in order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RuleSet {
    pub format: String,
    pub schema_version: u32,
    pub name: String,
    pub version: String,
    pub pack: PackType,
    pub rules: Vec<Rule>,
}

/// The rule sets that ship with the app.
pub const SHIPPED: [(PackType, &str); 3] = [
    (PackType::Ehcna, include_str!("../../../assets/packs/kent-ehcna.json")),
    (PackType::Hnf, include_str!("../../../assets/packs/kent-hnf.json")),
    (PackType::Lift, include_str!("../../../assets/packs/kent-lift.json")),
];

/// The longest name, version, rule id and rule title a rules file may give, in characters.
pub const RULES_NAME_MAX: usize = 100;
pub const RULES_VERSION_MAX: usize = 40;
pub const RULE_ID_MAX: usize = 60;
pub const RULE_TITLE_MAX: usize = 200;

/// Reads a rules file, naming the line and column of anything wrong with it.
pub fn parse_rules(source: &str, text: &str) -> Result<RuleSet> {
    let set: RuleSet = serde_json::from_str(text).map_err(|e| Error::Refused(format!("{source}, line {}, column {}: {}", e.line(), e.column(), e)))?;
    if set.format != RULES_FORMAT {
        return Err(Error::Refused(format!("{source} is not an evidence rules file (its format is \"{}\", not \"{RULES_FORMAT}\")", set.format)));
    }
    if set.schema_version == 0 || set.schema_version > RULES_SCHEMA {
        return Err(Error::Refused(format!("{source} is rules format {}; this version of the app reads format {RULES_SCHEMA}", set.schema_version)));
    }
    // The name, version and titles are printed in packs and on screen: one line each, with
    // no hidden characters, whatever the file holds.
    let line = |field: &str, text: &str, max: usize| crate::text::line(field, field, text, max).map_err(|p| Error::Refused(format!("{source}: {}", p.message)));
    line("name", &set.name, RULES_NAME_MAX)?;
    line("version", &set.version, RULES_VERSION_MAX)?;
    for (i, rule) in set.rules.iter().enumerate() {
        line(&format!("rules[{i}].id"), &rule.id, RULE_ID_MAX)?;
        line(&format!("rules[{i}].title"), &rule.title, RULE_TITLE_MAX)?;
    }
    let mut seen = std::collections::HashSet::new();
    if let Some(rule) = set.rules.iter().find(|r| !seen.insert(r.id.as_str())) {
        return Err(Error::Refused(format!("{source} has two rules with the id \"{}\"", rule.id)));
    }
    if set.rules.is_empty() {
        return Err(Error::Refused(format!("{source} has no rules")));
    }
    Ok(set)
}

/// The shipped rule set for a pack.
pub fn shipped(pack: PackType) -> Result<RuleSet> {
    let (_, text) = SHIPPED.iter().find(|(p, _)| *p == pack).ok_or_else(|| Error::Refused(format!("no rules ship yet for the {} pack", pack_label(pack))))?;
    parse_rules("the shipped rules", text)
}

impl PackType {
    pub const ALL: [PackType; 3] = [PackType::Ehcna, PackType::Hnf, PackType::Lift];
}

pub fn pack_label(pack: PackType) -> &'static str {
    match pack {
        PackType::Ehcna => "EHC needs assessment request",
        PackType::Hnf => "High Needs Funding",
        PackType::Lift => "LIFT referral",
    }
}

/// What one pupil's records hold that the rules look at. Gathered by `Store::evidence`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Evidence {
    pub status: Option<SenStatus>,
    /// The broad areas of the pupil's current needs.
    pub need_areas: Vec<BroadArea>,
    /// Dates of parent views and of pupil views found in assessments and reviews.
    pub parent_views: Vec<NaiveDate>,
    pub pupil_views: Vec<NaiveDate>,
    /// Dates of signed-off reviews.
    pub reviews: Vec<NaiveDate>,
    /// How many cycles have a plan.
    pub plans: u32,
    /// Dates of baseline measures.
    pub measures: Vec<NaiveDate>,
    pub attendance_pct: Option<f64>,
    /// The broad areas of the strategies ticked in the latest plan (`None` for items under
    /// no area, such as whole-school expectations).
    pub strategy_areas: Vec<Option<BroadArea>>,
    /// The latest plan's planned cost, if there is a plan.
    pub planned_cost_pence: Option<i64>,
    pub threshold_pence: i64,
    /// For each specialist involvement: its recommendations, and how many are acted on.
    pub advice: Vec<(usize, usize)>,
    pub meetings_this_year: u32,
    /// Consents that stand today, and those withdrawn.
    pub consents: Vec<crate::people::ConsentKind>,
    pub withdrawn: Vec<crate::people::ConsentKind>,
    /// The school's training: when, and for which area (`None` for all areas).
    pub training: Vec<(NaiveDate, Option<BroadArea>)>,
    /// Dates of LIFT meetings about the pupil whose advice is recorded.
    pub lift_outcomes: Vec<NaiveDate>,
    /// The day the evidence was gathered.
    pub today: NaiveDate,
}

/// Where a rule stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum RuleState {
    Met,
    Missing,
    Warning,
    /// The rule is not for this pupil (`AppliesTo`).
    NotNeeded,
}

impl RuleState {
    pub fn label(self) -> &'static str {
        match self {
            RuleState::Met => "Met",
            RuleState::Missing => "Missing",
            RuleState::Warning => "Warning",
            RuleState::NotNeeded => "Not needed",
        }
    }
}

/// One line of the readiness checklist.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct RuleResult {
    pub id: String,
    pub title: String,
    pub level: Level,
    pub state: RuleState,
    /// The state in words, for the checklist ("Met", "Not needed").
    pub state_label: String,
    /// A plain sentence: what was found, or what is missing.
    pub sentence: String,
    pub fix: FixPlace,
}

/// The checklist for one pupil and one rule set.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Readiness {
    pub rules_name: String,
    pub rules_version: String,
    pub pack: PackType,
    /// Every required rule is met.
    pub ready: bool,
    /// "Ready: …" or "Not ready: 2 required pieces of evidence are missing."
    pub summary: String,
    pub results: Vec<RuleResult>,
}

/// The school term a date falls in, as (the academic year's first calendar year, term):
/// autumn is September to December, spring January to March, summer April to August.
pub fn term_of(date: NaiveDate) -> (i32, u8) {
    match date.month() {
        9..=12 => (date.year(), 0),
        1..=3 => (date.year() - 1, 1),
        _ => (date.year() - 1, 2),
    }
}

/// The day `years` years before `today` (bounded, so a rules file's large number cannot
/// overflow).
pub fn years_before(today: NaiveDate, years: u32) -> NaiveDate {
    today.checked_sub_months(chrono::Months::new(years.min(100) * 12)).unwrap_or(NaiveDate::MIN)
}

/// "Agreement to a LIFT referral" as it reads inside a sentence.
fn lower_first(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map(|c| c.to_lowercase().chain(chars).collect()).unwrap_or_default()
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

fn latest(dates: &[NaiveDate]) -> Option<String> {
    dates.iter().max().map(|d| crate::dates::short(*d))
}

/// Checks one pupil's evidence against a rule set. Refuses a pupil who is not on SEN support
/// or an EHC plan, with the reason: no pack is made for them.
pub fn check(rules: &RuleSet, evidence: &Evidence) -> Result<Readiness> {
    match evidence.status {
        Some(SenStatus::SenSupport | SenStatus::EhcPlan) => {}
        Some(other) => {
            return Err(Error::Refused(format!(
                "a {} pack is for a pupil on SEN support or with an EHC plan; this pupil's status is {}",
                pack_label(rules.pack),
                other.label()
            )))
        }
        None => return Err(Error::Refused("this pupil is not on roll".into())),
    }
    let results: Vec<RuleResult> = rules
        .rules
        .iter()
        .map(|rule| {
            let (state, sentence) = if !rule.applies_to.includes(evidence.status) {
                let whom = if rule.applies_to == AppliesTo::WithoutPlan { "without" } else { "with" };
                let has = if evidence.status == Some(SenStatus::EhcPlan) { "has" } else { "does not have" };
                (RuleState::NotNeeded, format!("Not needed: these rules ask for it only for a pupil {whom} an EHC plan, and this pupil {has} one."))
            } else {
                let (met, sentence) = judge(&rule.check, evidence);
                let state = match (met, rule.level) {
                    (true, _) => RuleState::Met,
                    (false, Level::Required) => RuleState::Missing,
                    (false, Level::Advisory) => RuleState::Warning,
                };
                (state, sentence)
            };
            RuleResult { id: rule.id.clone(), title: rule.title.clone(), level: rule.level, state, state_label: state.label().to_string(), sentence, fix: rule.fix }
        })
        .collect();
    let missing = results.iter().filter(|r| r.state == RuleState::Missing).count();
    let ready = missing == 0;
    let summary = if ready {
        "Ready: every required piece of evidence is there.".to_string()
    } else {
        format!("Not ready: {} missing.", plural(missing, "required piece of evidence is", "required pieces of evidence are"))
    };
    Ok(Readiness { rules_name: rules.name.clone(), rules_version: rules.version.clone(), pack: rules.pack, ready, summary, results })
}

/// Whether the evidence meets one check, and the sentence that says so.
fn judge(check: &Check, e: &Evidence) -> (bool, String) {
    match check {
        Check::ParentViews | Check::PupilViews => {
            let (whose, dates) = if *check == Check::ParentViews { ("parent's", &e.parent_views) } else { ("pupil's", &e.pupil_views) };
            match latest(dates) {
                Some(day) => (true, format!("The {whose} views are recorded, most recently on {day}.")),
                None => (false, format!("No {whose} views are recorded: add them, in their own words, to an assessment or a review.")),
            }
        }
        Check::ReviewedCycles { min, terms } => {
            let mut seen: Vec<(i32, u8)> = e.reviews.iter().map(|d| term_of(*d)).collect();
            seen.sort();
            seen.dedup();
            let (n, t) = (e.reviews.len(), seen.len());
            let met = n >= *min as usize && t >= *terms as usize;
            let found = if n == 0 { "No review is signed off yet".to_string() } else { format!("{} signed off, in {}", plural(n, "review is", "reviews are"), plural(t, "term", "terms")) };
            if met {
                (true, format!("{found}."))
            } else {
                (false, format!("{found}; at least {} over {} (autumn, spring, summer) are needed.", plural(*min as usize, "reviewed cycle", "reviewed cycles"), plural(*terms as usize, "term", "terms")))
            }
        }
        Check::AdviceActedOn => {
            let given: usize = e.advice.iter().map(|(n, _)| n).sum();
            let acted: usize = e.advice.iter().map(|(_, a)| a).sum();
            match (e.advice.len(), given - acted) {
                (0, _) => (false, "No specialist involvement is recorded: add the advice of the specialists who have seen the pupil.".into()),
                (_, 0) => (true, format!("{}; every recommendation is acted on.", plural(e.advice.len(), "specialist involvement is recorded", "specialist involvements are recorded"))),
                (_, open) => (false, format!("{open} of {given} {} {} not yet acted on: record when and how each was acted on.", if given == 1 { "recommendation" } else { "recommendations" }, if open == 1 { "is" } else { "are" })),
            }
        }
        Check::AttainmentPoints { min } => {
            let mut dates = e.measures.clone();
            dates.sort();
            dates.dedup();
            let met = dates.len() >= *min as usize;
            let found = if dates.is_empty() { "No attainment measure is recorded".to_string() } else { format!("Attainment is measured on {}", plural(dates.len(), "date", "dates")) };
            if met {
                (true, format!("{found}."))
            } else {
                (false, format!("{found}; measures from at least {} are needed to show progress over time.", plural(*min as usize, "date", "dates")))
            }
        }
        Check::Attendance => match e.attendance_pct {
            Some(pct) => (true, format!("Attendance is recorded: {pct:.1}%.")),
            None => (false, "No attendance figure is on the pupil's record: add it from the school's MIS.".into()),
        },
        Check::StrategiesForEachArea => {
            if e.strategy_areas.is_empty() && e.planned_cost_pence.is_none() {
                return (false, "There is no plan yet: plan the strategies from the Mainstream Core Standards for each area of need.".into());
            }
            // A need with no broad area (no specialist assessment yet) asks for no strategy.
            let mut areas: Vec<BroadArea> = e.need_areas.iter().copied().filter(|a| *a != BroadArea::Uncategorised).collect();
            areas.sort();
            areas.dedup();
            let without: Vec<&str> = areas.iter().filter(|a| !e.strategy_areas.contains(&Some(**a))).map(|a| a.label()).collect();
            if areas.is_empty() {
                (false, "The pupil has no current need in a broad area, so no strategy can be matched to one.".into())
            } else if without.is_empty() {
                (true, format!("The latest plan has strategies for each area of need ({}).", areas.iter().map(|a| a.label()).collect::<Vec<_>>().join(", ")))
            } else {
                (false, format!("The latest plan has no strategy for {}: tick the strategies in place for that area.", without.join(" or ")))
            }
        }
        Check::CostedProvision => match e.planned_cost_pence {
            None => (false, "There is no plan yet, so no provision is costed.".into()),
            Some(cost) if cost >= e.threshold_pence => (true, format!("The latest plan's provision costs {}, at or above the {} notional threshold.", pounds(cost), pounds(e.threshold_pence))),
            Some(cost) => (false, format!("The latest plan's provision costs {}, below the {} notional threshold: the LA may ask why the school's own budget is not enough.", pounds(cost), pounds(e.threshold_pence))),
        },
        Check::ParentMeetings { min } => {
            let n = e.meetings_this_year as usize;
            if n >= *min as usize {
                (true, format!("{} with the parents this school year.", plural(n, "meeting", "meetings")))
            } else {
                (false, format!("{} with the parents this school year; at least {} are expected.", plural(n, "meeting", "meetings"), min))
            }
        }
        Check::Consent { consent } => {
            if e.consents.contains(consent) {
                (true, format!("{} is recorded and stands.", consent.label()))
            } else if e.withdrawn.contains(consent) {
                (false, format!("The {} was withdrawn: record a new consent if the parent gives it again.", lower_first(consent.label())))
            } else {
                (false, format!("No {} is recorded: record who gave it, when and what it covers.", lower_first(consent.label())))
            }
        }
        Check::StaffTraining { years } => {
            let since = years_before(e.today, *years);
            let recent: Vec<Option<BroadArea>> = e.training.iter().filter(|(d, _)| *d >= since && *d <= e.today).map(|(_, a)| *a).collect();
            // Training for all areas of need (general SEN training) counts for each.
            let general = recent.contains(&None);
            let mut areas: Vec<BroadArea> = e.need_areas.iter().copied().filter(|a| *a != BroadArea::Uncategorised).collect();
            areas.sort();
            areas.dedup();
            let untrained: Vec<&str> = areas.iter().filter(|a| !general && !recent.contains(&Some(**a))).map(|a| a.label()).collect();
            let window = plural(*years as usize, "year", "years");
            if areas.is_empty() {
                (false, "The pupil has no current need in a broad area, so training cannot be matched to one.".into())
            } else if untrained.is_empty() {
                (true, format!("Staff were trained for each area of need in the last {window}."))
            } else {
                (false, format!("No staff training for {} is recorded in the last {window}: record the training staff have had.", untrained.join(" or ")))
            }
        }
        Check::LiftOutcome => match latest(&e.lift_outcomes) {
            Some(day) => (true, format!("The LIFT outcome is recorded, most recently from {day}.")),
            None => (false, "No LIFT outcome is recorded: record the LIFT meeting's advice as specialist involvement.".into()),
        },
        Check::Plans { min } => {
            let n = e.plans as usize;
            if n >= *min as usize {
                (true, format!("{} recorded.", plural(n, "plan is", "plans are")))
            } else {
                (false, format!("{} recorded; at least {} are needed.", plural(n, "plan is", "plans are"), min))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    fn ready_pupil() -> Evidence {
        Evidence {
            status: Some(SenStatus::SenSupport),
            need_areas: vec![BroadArea::CognitionAndLearning],
            parent_views: vec![d("2025-10-01")],
            pupil_views: vec![d("2025-10-01")],
            reviews: vec![d("2025-12-10"), d("2026-03-20")],
            plans: 2,
            measures: vec![d("2025-09-20"), d("2026-01-15")],
            attendance_pct: Some(94.5),
            strategy_areas: vec![Some(BroadArea::CognitionAndLearning), None],
            planned_cost_pence: Some(650_000),
            threshold_pence: 600_000,
            advice: vec![(2, 2)],
            meetings_this_year: 3,
            consents: vec![crate::people::ConsentKind::ShareInformation, crate::people::ConsentKind::LiftAgreement],
            training: vec![(d("2025-06-01"), Some(BroadArea::CognitionAndLearning))],
            lift_outcomes: vec![d("2025-11-01")],
            withdrawn: vec![],
            today: d("2026-04-01"),
        }
    }

    #[test]
    fn the_shipped_rules_read_cleanly() {
        let rules = shipped(PackType::Ehcna).unwrap();
        assert_eq!(rules.pack, PackType::Ehcna);
        assert!(rules.rules.len() >= 10);
        for (pack, _) in SHIPPED {
            let set = shipped(pack).unwrap();
            assert_eq!(set.pack, pack, "{} is filed under the wrong pack", set.name);
            assert!(check(&set, &ready_pupil()).unwrap().ready, "the fully evidenced pupil is ready for {}", set.name);
        }
    }

    /// Kent's High Needs Funding criteria ask for the LIFT outcome and specialists' advice
    /// for pupils without an EHC plan; a pupil with a plan was shown them as missing.
    #[test]
    fn a_pupil_with_an_ehc_plan_is_not_asked_for_the_lift_outcome_or_advice_for_hnf() {
        let rules = shipped(PackType::Hnf).unwrap();
        let mut e = ready_pupil();
        e.lift_outcomes.clear();
        e.advice.clear();
        let on_support = check(&rules, &e).unwrap();
        let missing: Vec<&str> = on_support.results.iter().filter(|r| r.state == RuleState::Missing).map(|r| r.id.as_str()).collect();
        assert_eq!(missing, ["lift-outcome", "advice"], "still asked of a pupil on SEN support");
        e.status = Some(SenStatus::EhcPlan);
        let with_plan = check(&rules, &e).unwrap();
        assert!(with_plan.ready, "{:#?}", with_plan.results);
        let lift = with_plan.results.iter().find(|r| r.id == "lift-outcome").unwrap();
        assert_eq!((lift.state, lift.state_label.as_str()), (RuleState::NotNeeded, "Not needed"));
        assert!(lift.sentence.contains("only for a pupil without an EHC plan, and this pupil has one"), "{}", lift.sentence);
    }

    #[test]
    fn general_sen_training_counts_for_every_area_but_old_training_does_not() {
        let rules = shipped(PackType::Hnf).unwrap();
        let training = |e: &Evidence| check(&rules, e).unwrap().results.into_iter().find(|r| r.id == "training").unwrap();
        let mut e = ready_pupil();
        e.need_areas = vec![BroadArea::CognitionAndLearning, BroadArea::SensoryAndPhysical];
        e.training = vec![(d("2025-06-01"), Some(BroadArea::CognitionAndLearning))];
        let r = training(&e);
        assert_eq!(r.state, RuleState::Missing);
        assert!(r.sentence.contains("Sensory and/or physical"), "{}", r.sentence);
        e.training.push((d("2025-01-10"), None));
        assert_eq!(training(&e).state, RuleState::Met, "training for all areas counts for each");
        e.training = vec![(d("2023-06-01"), None)];
        assert_eq!(training(&e).state, RuleState::Missing, "training more than two years ago does not count");
        assert_eq!(years_before(d("2026-04-01"), u32::MAX), d("1926-04-01"), "a huge number of years cannot overflow");
    }

    #[test]
    fn a_withdrawn_consent_is_named_as_withdrawn() {
        let rules = shipped(PackType::Ehcna).unwrap();
        let mut e = ready_pupil();
        e.consents.clear();
        e.withdrawn = vec![crate::people::ConsentKind::ShareInformation];
        let r = check(&rules, &e).unwrap().results.into_iter().find(|r| r.id == "consent").unwrap();
        assert_eq!(r.state, RuleState::Missing);
        assert!(r.sentence.contains("was withdrawn"), "{}", r.sentence);
    }

    #[test]
    fn a_pupil_with_every_piece_of_evidence_is_ready() {
        let readiness = check(&shipped(PackType::Ehcna).unwrap(), &ready_pupil()).unwrap();
        let not_met: Vec<&RuleResult> = readiness.results.iter().filter(|r| r.state != RuleState::Met).collect();
        assert!(not_met.is_empty(), "{not_met:#?}");
        assert!(readiness.ready);
    }

    #[test]
    fn each_gap_is_named_in_a_plain_sentence_and_only_required_gaps_stop_the_pack() {
        let rules = shipped(PackType::Ehcna).unwrap();
        let mut e = ready_pupil();
        e.reviews = vec![d("2025-12-10"), d("2025-12-15")];
        e.advice = vec![(3, 1)];
        e.planned_cost_pence = Some(420_050);
        let readiness = check(&rules, &e).unwrap();
        let by_id = |id: &str| readiness.results.iter().find(|r| r.id == id).unwrap().clone();
        let cycles = by_id("reviewed-cycles");
        assert_eq!(cycles.state, RuleState::Missing);
        assert_eq!(cycles.sentence, "2 reviews are signed off, in 1 term; at least 2 reviewed cycles over 2 terms (autumn, spring, summer) are needed.");
        assert_eq!(by_id("advice").sentence, "2 of 3 recommendations are not yet acted on: record when and how each was acted on.");
        let cost = by_id("costed-provision");
        assert_eq!((cost.state, cost.level), (RuleState::Warning, Level::Advisory));
        assert!(cost.sentence.contains("£4,200.50") && cost.sentence.contains("£6,000.00"), "{}", cost.sentence);
        assert!(!readiness.ready);
        assert_eq!(readiness.summary, "Not ready: 2 required pieces of evidence are missing.");

        e = ready_pupil();
        e.attendance_pct = None;
        assert_eq!(check(&rules, &e).unwrap().summary, "Not ready: 1 required piece of evidence is missing.");
        e = ready_pupil();
        e.planned_cost_pence = Some(1);
        assert!(check(&rules, &e).unwrap().ready, "a warning alone does not stop the pack");
    }

    #[test]
    fn a_pupil_not_on_sen_support_or_a_plan_gets_no_pack_and_is_told_why() {
        let mut e = ready_pupil();
        e.status = Some(SenStatus::Monitoring);
        let refusal = check(&shipped(PackType::Ehcna).unwrap(), &e).unwrap_err().to_string();
        assert!(refusal.contains("SEN support or with an EHC plan") && refusal.contains("monitoring"), "{refusal}");
    }

    #[test]
    fn a_damaged_or_foreign_rules_file_is_refused_with_its_line() {
        let error = parse_rules("my.json", "{\n  \"format\": \"senco-evidence-rules\",\n  \"bogus\": 1\n}").unwrap_err().to_string();
        assert!(error.contains("my.json, line 3"), "{error}");
        let good = include_str!("../../../assets/packs/kent-ehcna.json");
        let foreign = good.replacen("senco-evidence-rules", "something-else", 1);
        assert!(parse_rules("x.json", &foreign).unwrap_err().to_string().contains("not an evidence rules file"));
        let unknown_check = good.replacen("\"parentViews\"", "\"horoscope\"", 1);
        assert!(parse_rules("x.json", &unknown_check).unwrap_err().to_string().contains("x.json, line"));
    }

    #[test]
    fn a_rules_file_name_or_title_that_is_too_long_or_hidden_is_refused() {
        let good = include_str!("../../../assets/packs/kent-ehcna.json");
        let mut set: serde_json::Value = serde_json::from_str(good).unwrap();
        let with = |field: &str, value: String| {
            let mut changed = set.clone();
            match field {
                "title" => changed["rules"][0]["title"] = value.into(),
                other => changed[other] = value.into(),
            }
            parse_rules("x.json", &changed.to_string()).unwrap_err().to_string()
        };
        let error = with("name", "W".repeat(3_000_000));
        assert!(error.contains("x.json: the name is 3000000 characters long; at most 100"), "{error}");
        assert!(with("version", "1".repeat(41)).contains("the version is 41 characters long"));
        assert!(with("title", "T".repeat(201)).contains("the rules[0].title is 201 characters long"));
        let error = with("name", "Kent \u{1b}[2J\u{202E}".into());
        assert!(error.contains("invisible control character (U+001B)") && !error.contains('\u{1b}'), "{error}");
        set["name"] = "Kent (2026)".into();
        assert!(parse_rules("x.json", &set.to_string()).is_ok());
    }

    #[test]
    fn terms_run_autumn_spring_summer() {
        assert_eq!(term_of(d("2025-12-10")), (2025, 0));
        assert_eq!(term_of(d("2026-03-31")), (2025, 1));
        assert_eq!(term_of(d("2026-04-01")), (2025, 2));
        assert_eq!(term_of(d("2026-08-31")), (2025, 2));
    }
}
