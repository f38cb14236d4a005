//! The graduated approach: a pupil's assess, plan, do and review cycles, as the SEND Code of
//! Practice (6.44 to 6.56) describes them, and the rules each stage keeps.
//!
//! Each stage arrives as a document (from a form, or from `senco cycle record --file`) and
//! is checked here, the same way for both: `validate` returns the document with its dates
//! as ISO and its text checked, or every problem at once, each naming its field. The store
//! keeps the cycle rules that need the other records (one open cycle, a review after the
//! plan, a locked cycle changed only by amendment).
//!
//! The documents are versioned (`STAGE_SCHEMA_VERSION`) and described in
//! `docs/formats/cycle-stage.md`.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::census::BroadArea;
use crate::dates;
use crate::error::{Error, FieldProblem, Result};
use crate::text;

/// The version of the stage documents `senco cycle record` reads.
pub const STAGE_SCHEMA_VERSION: u32 = 1;

/// The most entries a list in a stage may hold (outcomes, baselines, sessions…).
pub const LIST_MAX: usize = 50;

/// The longest a session may be, in minutes.
pub const SESSION_MINUTES_MAX: i64 = 480;

/// The most sessions a week an intervention may be planned for.
pub const SESSIONS_PER_WEEK_MAX: i64 = 25;

/// The largest group an intervention may be planned for.
pub const GROUP_SIZE_MAX: i64 = 40;

/// Where the Code of Practice says an assessment draws its evidence from (6.45).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum AssessmentSource {
    TeacherAssessment,
    ProgressAndAttainment,
    PeersAndNationalData,
    ParentViews,
    PupilViews,
    ExternalAdvice,
}

impl AssessmentSource {
    pub const ALL: [AssessmentSource; 6] = [
        AssessmentSource::TeacherAssessment,
        AssessmentSource::ProgressAndAttainment,
        AssessmentSource::PeersAndNationalData,
        AssessmentSource::ParentViews,
        AssessmentSource::PupilViews,
        AssessmentSource::ExternalAdvice,
    ];

    pub fn label(self) -> &'static str {
        match self {
            AssessmentSource::TeacherAssessment => "Teacher assessment and experience of the pupil",
            AssessmentSource::ProgressAndAttainment => "Progress, attainment and behaviour",
            AssessmentSource::PeersAndNationalData => "Comparison with peers and national data",
            AssessmentSource::ParentViews => "The parents' views and experience",
            AssessmentSource::PupilViews => "The pupil's own views",
            AssessmentSource::ExternalAdvice => "Advice from outside services",
        }
    }
}

/// How parents were formally told that their child receives SEN support (6.39, a "must").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum NoticeMethod {
    Letter,
    Email,
    Meeting,
    Phone,
}

impl NoticeMethod {
    pub const ALL: [NoticeMethod; 4] = [NoticeMethod::Letter, NoticeMethod::Email, NoticeMethod::Meeting, NoticeMethod::Phone];

    pub fn label(self) -> &'static str {
        match self {
            NoticeMethod::Letter => "Letter",
            NoticeMethod::Email => "Email",
            NoticeMethod::Meeting => "In a meeting",
            NoticeMethod::Phone => "Phone call",
        }
    }
}

/// Preparing for Adulthood outcomes (Code of Practice chapter 8).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum PfaDomain {
    Employment,
    IndependentLiving,
    CommunityInclusion,
    Health,
}

impl PfaDomain {
    pub const ALL: [PfaDomain; 4] = [PfaDomain::Employment, PfaDomain::IndependentLiving, PfaDomain::CommunityInclusion, PfaDomain::Health];

    pub fn label(self) -> &'static str {
        match self {
            PfaDomain::Employment => "Employment",
            PfaDomain::IndependentLiving => "Independent living",
            PfaDomain::CommunityInclusion => "Friends, relationships and community",
            PfaDomain::Health => "Good health",
        }
    }
}

/// What a review decides (6.54 to 6.56, 6.63).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum Decision {
    Continue,
    Adapt,
    SeekSpecialistAdvice,
    RequestEhcNeedsAssessment,
    EndSenSupport,
}

impl Decision {
    pub const ALL: [Decision; 5] =
        [Decision::Continue, Decision::Adapt, Decision::SeekSpecialistAdvice, Decision::RequestEhcNeedsAssessment, Decision::EndSenSupport];

    pub fn label(self) -> &'static str {
        match self {
            Decision::Continue => "Continue the same support",
            Decision::Adapt => "Adapt the support",
            Decision::SeekSpecialistAdvice => "Seek specialist advice",
            Decision::RequestEhcNeedsAssessment => "Request an EHC needs assessment",
            Decision::EndSenSupport => "End SEN support",
        }
    }

    /// Every decision but ending SEN support leads to another review.
    pub fn needs_next_review(self) -> bool {
        self != Decision::EndSenSupport
    }
}

/// The one scale outcomes are rated on at review.
pub const RATING_SCALE: [(i8, &str); 5] = [
    (-2, "Went backwards"),
    (-1, "No progress"),
    (0, "Some progress, outcome not met"),
    (1, "Outcome met"),
    (2, "Outcome exceeded"),
];

/// Intervention waves.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum Wave {
    Universal,
    Targeted,
    Specialist,
}

impl Wave {
    pub const ALL: [Wave; 3] = [Wave::Universal, Wave::Targeted, Wave::Specialist];

    pub fn code(self) -> &'static str {
        match self {
            Wave::Universal => "universal",
            Wave::Targeted => "targeted",
            Wave::Specialist => "specialist",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Wave::Universal => "Universal (wave 1)",
            Wave::Targeted => "Targeted (wave 2)",
            Wave::Specialist => "Specialist (wave 3)",
        }
    }
}

/// A person's words with the date they were given.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[ts(export)]
pub struct View {
    pub text: String,
    pub date: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[ts(export)]
pub struct Baseline {
    /// E.g. "Standardised reading score".
    pub name: String,
    pub score: String,
    pub date: String,
    /// What is expected for the pupil's age on this measure ("85 to 115", "Year 4 expected
    /// standard"), so a pack shows the gap and the rate of progress, not just two numbers.
    /// Empty when not known; stages saved before it was asked for have none.
    #[serde(default)]
    pub expected: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[ts(export)]
pub struct AreaSummary {
    pub area: BroadArea,
    pub summary: String,
}

/// Assess: what the school knows about the pupil's needs, and from where.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[ts(export)]
pub struct Assessment {
    pub date: String,
    pub assessed_by: String,
    pub sources: Vec<AssessmentSource>,
    #[serde(default)]
    pub baselines: Vec<Baseline>,
    pub needs: Vec<AreaSummary>,
    #[serde(default)]
    pub parent_view: Option<View>,
    #[serde(default)]
    pub pupil_view: Option<View>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[ts(export)]
pub struct ParentNotice {
    pub date: String,
    pub method: NoticeMethod,
}

/// A SMART outcome.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[ts(export)]
pub struct Outcome {
    pub area: BroadArea,
    #[serde(default)]
    pub pfa: Option<PfaDomain>,
    /// What the pupil will be able to do.
    pub description: String,
    /// How everyone will know it is met.
    pub success_criterion: String,
    pub baseline: String,
    pub target: String,
}

/// A catalogue item ticked for this plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[ts(export)]
pub struct StrategyTick {
    pub item_id: String,
    #[serde(default)]
    pub note: String,
    /// Filled in by the store: the catalogue, version and wording the tick was made against.
    #[serde(default)]
    pub catalogue: String,
    #[serde(default)]
    pub version: String,
    #[serde(default)]
    pub item_text: String,
}

/// An intervention from the school's library, planned for this pupil.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[ts(export)]
pub struct PlannedIntervention {
    /// The library entry's key, e.g. `elsa`.
    pub intervention: String,
    #[ts(type = "number")]
    pub sessions_per_week: i64,
    #[ts(type = "number")]
    pub minutes_per_session: i64,
    #[ts(type = "number")]
    pub group_size: i64,
    /// A staff role key, e.g. `ta`.
    pub staff_role: String,
    pub start_date: String,
    pub end_date: String,
    /// Weeks of delivery; empty means the whole weeks between the dates.
    #[serde(default)]
    #[ts(type = "number | null")]
    pub weeks: Option<i64>,
    #[serde(default)]
    #[ts(type = "number")]
    pub resources_pence: i64,
}

/// Plan: outcomes, provision and the review date, agreed with parents.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[ts(export)]
pub struct Plan {
    pub date: String,
    #[serde(default)]
    pub parent_notice: Option<ParentNotice>,
    pub outcomes: Vec<Outcome>,
    #[serde(default)]
    pub strategies: Vec<StrategyTick>,
    #[serde(default)]
    pub interventions: Vec<PlannedIntervention>,
    /// The strategies every adult working with the pupil should use.
    #[serde(default)]
    pub all_adults: String,
    pub review_date: String,
}

/// One session of an intervention for one pupil.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[ts(export)]
pub struct Session {
    pub intervention: String,
    pub date: String,
    #[ts(type = "number")]
    pub minutes: i64,
    pub attended: bool,
    #[serde(default)]
    pub note: String,
}

/// Entry and exit scores for one planned intervention.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[ts(export)]
pub struct Scores {
    pub intervention: String,
    #[serde(default)]
    pub entry_score: Option<String>,
    #[serde(default)]
    pub exit_score: Option<String>,
}

/// Do: sessions delivered, and entry and exit scores.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[ts(export)]
pub struct Delivery {
    #[serde(default)]
    pub sessions: Vec<Session>,
    #[serde(default)]
    pub scores: Vec<Scores>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[ts(export)]
pub struct OutcomeRating {
    /// The outcome's number in the plan, from 1.
    #[ts(type = "number")]
    pub outcome: usize,
    /// On `RATING_SCALE`, -2 to +2.
    #[ts(type = "number")]
    pub rating: i64,
    pub evidence: String,
}

/// Review: how each outcome went, what parents and pupil say, and what happens next.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[ts(export)]
pub struct Review {
    pub date: String,
    pub ratings: Vec<OutcomeRating>,
    #[serde(default)]
    pub parent_view: Option<View>,
    #[serde(default)]
    pub pupil_view: Option<View>,
    pub decision: Decision,
    #[serde(default)]
    pub next_review_date: Option<String>,
    /// Signing off locks the cycle: later corrections are amendments.
    #[serde(default)]
    pub sign_off: bool,
}

/// One stage, as `senco cycle record --file` reads it: the stage's fields plus `"stage"`
/// (assess, plan, delivery or review) and `"schema"` (defaults to the current version).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StageDocument {
    Assess { schema: u32, assessment: Assessment },
    Plan { schema: u32, plan: Plan },
    Delivery { schema: u32, delivery: Delivery },
    Review { schema: u32, review: Review },
}

impl<'de> Deserialize<'de> for StageDocument {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> std::result::Result<Self, D::Error> {
        use serde::de::Error as _;
        let mut map = serde_json::Map::<String, serde_json::Value>::deserialize(deserializer)?;
        let stage = map.remove("stage").ok_or_else(|| D::Error::custom("the document has no \"stage\": give assess, plan, delivery or review"))?;
        let schema = match map.remove("schema") {
            None => STAGE_SCHEMA_VERSION,
            Some(v) => v.as_u64().and_then(|v| u32::try_from(v).ok()).ok_or_else(|| D::Error::custom("\"schema\" must be a whole number"))?,
        };
        let rest = serde_json::Value::Object(map);
        let fields = |e: serde_json::Error| D::Error::custom(e.to_string());
        Ok(match stage.as_str() {
            Some("assess") => StageDocument::Assess { schema, assessment: serde_json::from_value(rest).map_err(fields)? },
            Some("plan") => StageDocument::Plan { schema, plan: serde_json::from_value(rest).map_err(fields)? },
            Some("delivery") => StageDocument::Delivery { schema, delivery: serde_json::from_value(rest).map_err(fields)? },
            Some("review") => StageDocument::Review { schema, review: serde_json::from_value(rest).map_err(fields)? },
            _ => return Err(D::Error::custom(format!("\"stage\" is {stage}; give assess, plan, delivery or review"))),
        })
    }
}

impl StageDocument {
    pub fn schema(&self) -> u32 {
        match self {
            StageDocument::Assess { schema, .. }
            | StageDocument::Plan { schema, .. }
            | StageDocument::Delivery { schema, .. }
            | StageDocument::Review { schema, .. } => *schema,
        }
    }
}

/// Collects every problem in a document before refusing it.
#[derive(Default)]
struct Problems(Vec<FieldProblem>);

impl Problems {
    fn date(&mut self, field: &str, label: &str, text: &str, today: NaiveDate) -> Option<NaiveDate> {
        match dates::read(field, label, text) {
            Ok(date) if date > today => {
                self.0.push(FieldProblem::new(field, format!("the {label} ({}) is in the future", dates::short(date))));
                None
            }
            Ok(date) => Some(date),
            Err(problem) => {
                self.0.push(problem);
                None
            }
        }
    }

    /// A date that may be in the future (a review date, an end date).
    fn any_date(&mut self, field: &str, label: &str, text: &str) -> Option<NaiveDate> {
        dates::read(field, label, text).map_err(|p| self.0.push(p)).ok()
    }

    fn line(&mut self, field: &str, label: &str, value: &str, required: bool) -> String {
        match text::line(field, label, value, text::REASON_MAX) {
            Ok(v) if v.is_empty() && required => {
                self.0.push(FieldProblem::new(field, format!("enter the {label}")));
                v
            }
            Ok(v) => v,
            Err(p) => {
                self.0.push(p);
                value.to_string()
            }
        }
    }

    fn note(&mut self, field: &str, label: &str, value: &str, required: bool) -> String {
        match text::note(field, label, value) {
            Ok(v) if v.is_empty() && required => {
                self.0.push(FieldProblem::new(field, format!("enter the {label}")));
                v
            }
            Ok(v) => v,
            Err(p) => {
                self.0.push(p);
                value.to_string()
            }
        }
    }

    fn list<T>(&mut self, field: &str, label: &str, list: &[T]) {
        if list.len() > LIST_MAX {
            self.0.push(FieldProblem::new(field, format!("{} {label} were given; at most {LIST_MAX} are allowed", list.len())));
        }
    }

    fn number(&mut self, field: &str, label: &str, value: i64, range: std::ops::RangeInclusive<i64>) {
        if !range.contains(&value) {
            let why = if value < 0 {
                "cannot be negative".to_string()
            } else if value == 0 && *range.start() > 0 {
                "cannot be zero".to_string()
            } else {
                format!("must be between {} and {}", range.start(), range.end())
            };
            self.0.push(FieldProblem::new(field, format!("the {label} ({value}) {why}")));
        }
    }

    fn view(&mut self, field: &str, who: &str, view: &Option<View>, today: NaiveDate) -> Option<View> {
        let view = view.as_ref()?;
        let text = self.note(&format!("{field}.text"), &format!("{who}'s view"), &view.text, true);
        let date = self.date(&format!("{field}.date"), &format!("date of the {who}'s view"), &view.date, today);
        Some(View { text, date: iso(date, &view.date) })
    }

    fn finish<T>(self, value: T) -> Result<T> {
        if self.0.is_empty() { Ok(value) } else { Err(Error::Invalid(self.0)) }
    }
}

fn iso(date: Option<NaiveDate>, fallback: &str) -> String {
    date.map(|d| d.to_string()).unwrap_or_else(|| fallback.to_string())
}

impl Assessment {
    /// Checks an assessment and returns it with ISO dates.
    pub fn validate(&self, today: NaiveDate) -> Result<Assessment> {
        let mut p = Problems::default();
        let date = p.date("date", "assessment date", &self.date, today);
        let assessed_by = p.line("assessedBy", "name of who assessed", &self.assessed_by, true);
        if self.sources.is_empty() {
            p.0.push(FieldProblem::new("sources", "tick at least one source of evidence the assessment used"));
        }
        let mut sources = self.sources.clone();
        sources.dedup();
        p.list("baselines", "baseline measures", &self.baselines);
        let baselines = self
            .baselines
            .iter()
            .enumerate()
            .map(|(i, b)| Baseline {
                name: p.line(&format!("baselines[{i}].name"), "measure's name", &b.name, true),
                score: p.line(&format!("baselines[{i}].score"), "score", &b.score, true),
                date: iso(p.date(&format!("baselines[{i}].date"), "date of the measure", &b.date, today), &b.date),
                expected: p.line(&format!("baselines[{i}].expected"), "expected level for the pupil's age", &b.expected, false),
            })
            .collect();
        if self.needs.is_empty() {
            p.0.push(FieldProblem::new("needs", "summarise the pupil's needs in at least one broad area"));
        }
        p.list("needs", "need summaries", &self.needs);
        let needs = self
            .needs
            .iter()
            .enumerate()
            .map(|(i, n)| AreaSummary { area: n.area, summary: p.note(&format!("needs[{i}].summary"), "summary of needs", &n.summary, true) })
            .collect();
        let parent_view = p.view("parentView", "parent", &self.parent_view, today);
        let pupil_view = p.view("pupilView", "pupil", &self.pupil_view, today);
        p.finish(Assessment { date: iso(date, &self.date), assessed_by, sources, baselines, needs, parent_view, pupil_view })
    }
}

/// The whole weeks from `start` to `end`, counting both days: the default weeks of delivery.
pub fn whole_weeks(start: NaiveDate, end: NaiveDate) -> i64 {
    (((end - start).num_days() + 1) / 7).max(1)
}

impl Plan {
    /// Checks a plan on its own; the store adds the checks against the catalogue, the
    /// library and the assessment.
    pub fn validate(&self, today: NaiveDate) -> Result<Plan> {
        let mut p = Problems::default();
        let date = p.date("date", "plan date", &self.date, today);
        let parent_notice = self.parent_notice.as_ref().map(|n| {
            let d = p.date("parentNotice.date", "date parents were told", &n.date, today);
            ParentNotice { date: iso(d, &n.date), method: n.method }
        });
        if self.outcomes.is_empty() {
            p.0.push(FieldProblem::new("outcomes", "a plan needs at least one outcome"));
        }
        p.list("outcomes", "outcomes", &self.outcomes);
        let outcomes = self
            .outcomes
            .iter()
            .enumerate()
            .map(|(i, o)| {
                if o.area == BroadArea::Uncategorised {
                    p.0.push(FieldProblem::new(&format!("outcomes[{i}].area"), "choose one of the four broad areas of need"));
                }
                Outcome {
                    area: o.area,
                    pfa: o.pfa,
                    description: p.line(&format!("outcomes[{i}].description"), "outcome", &o.description, true),
                    success_criterion: p.line(&format!("outcomes[{i}].successCriterion"), "success criterion", &o.success_criterion, true),
                    baseline: p.line(&format!("outcomes[{i}].baseline"), "baseline", &o.baseline, true),
                    target: p.line(&format!("outcomes[{i}].target"), "target", &o.target, true),
                }
            })
            .collect();
        p.list("strategies", "strategies", &self.strategies);
        let mut seen = std::collections::HashSet::new();
        let strategies = self
            .strategies
            .iter()
            .enumerate()
            .map(|(i, s)| {
                if !seen.insert(s.item_id.clone()) {
                    p.0.push(FieldProblem::new(&format!("strategies[{i}].itemId"), format!("{} is ticked twice", s.item_id)));
                }
                StrategyTick { note: p.line(&format!("strategies[{i}].note"), "note", &s.note, false), ..s.clone() }
            })
            .collect();
        p.list("interventions", "interventions", &self.interventions);
        let mut seen = std::collections::HashSet::new();
        let interventions = self
            .interventions
            .iter()
            .enumerate()
            .map(|(i, v)| {
                let f = |name: &str| format!("interventions[{i}].{name}");
                if !seen.insert(v.intervention.clone()) {
                    p.0.push(FieldProblem::new(&f("intervention"), format!("{} is planned twice", v.intervention)));
                }
                p.number(&f("sessionsPerWeek"), "sessions a week", v.sessions_per_week, 1..=SESSIONS_PER_WEEK_MAX);
                p.number(&f("minutesPerSession"), "minutes a session", v.minutes_per_session, 1..=SESSION_MINUTES_MAX);
                p.number(&f("groupSize"), "group size", v.group_size, 1..=GROUP_SIZE_MAX);
                p.number(&f("resourcesPence"), "resources cost", v.resources_pence, 0..=100_000_000);
                let start = p.any_date(&f("startDate"), "start date", &v.start_date);
                let end = p.any_date(&f("endDate"), "end date", &v.end_date);
                let mut weeks = v.weeks;
                if let (Some(start), Some(end)) = (start, end) {
                    if end < start {
                        p.0.push(FieldProblem::new(&f("endDate"), format!("the end date ({}) is before the start date ({})", dates::short(end), dates::short(start))));
                    } else {
                        let most = whole_weeks(start, end);
                        match v.weeks {
                            None => weeks = Some(most),
                            Some(w) => p.number(&f("weeks"), "weeks of delivery", w, 1..=most.max(1) + 1),
                        }
                    }
                    if let Some(date) = date {
                        if start < date {
                            p.0.push(FieldProblem::new(&f("startDate"), format!("the start date ({}) is before the plan date ({})", dates::short(start), dates::short(date))));
                        }
                    }
                }
                PlannedIntervention {
                    start_date: iso(start, &v.start_date),
                    end_date: iso(end, &v.end_date),
                    weeks,
                    ..v.clone()
                }
            })
            .collect();
        let all_adults = p.note("allAdults", "strategies for all adults", &self.all_adults, false);
        let review = p.any_date("reviewDate", "review date", &self.review_date);
        if let (Some(date), Some(review)) = (date, review) {
            if review <= date {
                p.0.push(FieldProblem::new("reviewDate", format!("the review date ({}) must come after the plan date ({})", dates::short(review), dates::short(date))));
            }
        }
        p.finish(Plan {
            date: iso(date, &self.date),
            parent_notice,
            outcomes,
            strategies,
            interventions,
            all_adults,
            review_date: iso(review, &self.review_date),
        })
    }
}

impl Delivery {
    pub fn validate(&self, today: NaiveDate) -> Result<Delivery> {
        let mut p = Problems::default();
        if self.sessions.is_empty() && self.scores.is_empty() {
            p.0.push(FieldProblem::new("sessions", "log at least one session, or an entry or exit score"));
        }
        if self.sessions.len() > 500 {
            p.0.push(FieldProblem::new("sessions", format!("{} sessions were given; at most 500 at once", self.sessions.len())));
        }
        let sessions = self
            .sessions
            .iter()
            .enumerate()
            .map(|(i, s)| {
                p.number(&format!("sessions[{i}].minutes"), "minutes", s.minutes, 1..=SESSION_MINUTES_MAX);
                Session {
                    date: iso(p.date(&format!("sessions[{i}].date"), "session date", &s.date, today), &s.date),
                    note: p.line(&format!("sessions[{i}].note"), "note", &s.note, false),
                    ..s.clone()
                }
            })
            .collect();
        let scores = self
            .scores
            .iter()
            .enumerate()
            .map(|(i, s)| Scores {
                intervention: s.intervention.clone(),
                entry_score: s.entry_score.as_ref().map(|v| p.line(&format!("scores[{i}].entryScore"), "entry score", v, false)),
                exit_score: s.exit_score.as_ref().map(|v| p.line(&format!("scores[{i}].exitScore"), "exit score", v, false)),
            })
            .collect();
        p.finish(Delivery { sessions, scores })
    }
}

impl Review {
    /// Checks a review against the plan it reviews.
    pub fn validate(&self, plan: &Plan, today: NaiveDate) -> Result<Review> {
        let mut p = Problems::default();
        let date = p.date("date", "review date", &self.date, today);
        if let (Some(date), Ok(plan_date)) = (date, plan.date.parse::<NaiveDate>()) {
            if date < plan_date {
                p.0.push(FieldProblem::new("date", format!("the review date ({}) is before the plan it reviews ({})", dates::short(date), dates::short(plan_date))));
            }
        }
        let mut rated = vec![false; plan.outcomes.len()];
        let ratings = self
            .ratings
            .iter()
            .enumerate()
            .map(|(i, r)| {
                if r.outcome == 0 || r.outcome > plan.outcomes.len() {
                    p.0.push(FieldProblem::new(&format!("ratings[{i}].outcome"), format!("the plan has outcomes 1 to {}; there is no outcome {}", plan.outcomes.len(), r.outcome)));
                } else if std::mem::replace(&mut rated[r.outcome - 1], true) {
                    p.0.push(FieldProblem::new(&format!("ratings[{i}].outcome"), format!("outcome {} is rated twice", r.outcome)));
                }
                if !(-2..=2).contains(&r.rating) {
                    p.0.push(FieldProblem::new(&format!("ratings[{i}].rating"), format!("the rating {} is not on the scale from -2 (went backwards) to +2 (exceeded)", r.rating)));
                }
                OutcomeRating { evidence: p.line(&format!("ratings[{i}].evidence"), "evidence", &r.evidence, true), ..r.clone() }
            })
            .collect();
        if self.sign_off {
            if let Some(missing) = rated.iter().position(|r| !r) {
                p.0.push(FieldProblem::new("ratings", format!("rate outcome {} before signing the review off", missing + 1)));
            }
        }
        let parent_view = p.view("parentView", "parent", &self.parent_view, today);
        let pupil_view = p.view("pupilView", "pupil", &self.pupil_view, today);
        let next = match (&self.next_review_date, self.decision.needs_next_review()) {
            (Some(text), _) if !text.trim().is_empty() => {
                let next = p.any_date("nextReviewDate", "next review date", text);
                if let (Some(next), Some(date)) = (next, date) {
                    if next <= date {
                        p.0.push(FieldProblem::new("nextReviewDate", format!("the next review date ({}) must come after this review ({})", dates::short(next), dates::short(date))));
                    }
                }
                Some(iso(next, text))
            }
            (_, true) if self.sign_off => {
                p.0.push(FieldProblem::new("nextReviewDate", "enter the next review date: every decision but ending SEN support leads to another review"));
                None
            }
            _ => None,
        };
        p.finish(Review { date: iso(date, &self.date), ratings, parent_view, pupil_view, decision: self.decision, next_review_date: next, sign_off: self.sign_off })
    }
}

/// Rounds `numerator / denominator` to the nearest whole number, halves up (both positive).
fn round_div(numerator: i128, denominator: i128) -> i64 {
    ((2 * numerator + denominator) / (2 * denominator)) as i64
}

/// The cost to one pupil of `sessions` sessions of `minutes` each at `rate_pence` an hour,
/// shared by a group of `group_size`, plus resources: rounded to the penny once.
pub fn cost_pence(sessions_minutes: i64, rate_pence: i64, group_size: i64, resources_pence: i64) -> i64 {
    round_div(sessions_minutes as i128 * rate_pence as i128, 60 * group_size.max(1) as i128) + resources_pence
}

/// Planned cost: sessions a week × weeks × minutes ÷ 60 × hourly rate ÷ group size, plus
/// resources, rounded to the penny once.
pub fn planned_cost_pence(sessions_per_week: i64, weeks: i64, minutes: i64, rate_pence: i64, group_size: i64, resources_pence: i64) -> i64 {
    cost_pence(sessions_per_week * weeks * minutes, rate_pence, group_size, resources_pence)
}

/// "£1,234.56".
pub fn pounds(pence: i64) -> String {
    let sign = if pence < 0 { "-" } else { "" };
    let pence = pence.unsigned_abs();
    let pounds = (pence / 100).to_string();
    let mut grouped = String::new();
    for (i, c) in pounds.chars().enumerate() {
        if i > 0 && (pounds.len() - i).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(c);
    }
    format!("{sign}£{grouped}.{:02}", pence % 100)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 26).unwrap()
    }

    fn plan() -> Plan {
        Plan {
            date: "02/11/2026".into(),
            parent_notice: None,
            outcomes: vec![Outcome {
                area: BroadArea::CognitionAndLearning,
                pfa: None,
                description: "Reads a page of a decodable book aloud".into(),
                success_criterion: "Four pages in a row with fewer than 3 errors".into(),
                baseline: "Phase 3 sounds".into(),
                target: "Phase 5 sounds".into(),
            }],
            strategies: vec![],
            interventions: vec![PlannedIntervention {
                intervention: "precision-teaching".into(),
                sessions_per_week: 3,
                minutes_per_session: 10,
                group_size: 1,
                staff_role: "ta".into(),
                start_date: "2 Nov 2026".into(),
                end_date: "18 Dec 2026".into(),
                weeks: None,
                resources_pence: 0,
            }],
            all_adults: String::new(),
            review_date: "5 Feb 2027".into(),
        }
    }

    fn fields(result: Result<impl std::fmt::Debug>) -> Vec<String> {
        match result {
            Err(Error::Invalid(problems)) => problems.into_iter().map(|p| format!("{}: {}", p.field, p.message)).collect(),
            other => panic!("expected problems, got {other:?}"),
        }
    }

    #[test]
    fn a_plan_reads_british_dates_and_fills_in_the_weeks_between_them() {
        let plan = plan().validate(today()).unwrap();
        assert_eq!(plan.date, "2026-11-02");
        assert_eq!(plan.review_date, "2027-02-05");
        // 2 Nov to 18 Dec is 47 days: 6 whole weeks.
        assert_eq!(plan.interventions[0].weeks, Some(6));
    }

    #[test]
    fn a_bad_plan_lists_every_problem_by_field() {
        let mut bad = plan();
        bad.outcomes.clear();
        bad.review_date = "1 Nov 2026".into();
        bad.interventions[0].group_size = 0;
        bad.interventions[0].minutes_per_session = -5;
        assert_eq!(
            fields(bad.validate(today())),
            [
                "outcomes: a plan needs at least one outcome",
                "interventions[0].minutesPerSession: the minutes a session (-5) cannot be negative",
                "interventions[0].groupSize: the group size (0) cannot be zero",
                "reviewDate: the review date (1 Nov 2026) must come after the plan date (2 Nov 2026)",
            ]
        );
    }

    #[test]
    fn a_review_rates_every_outcome_on_the_scale_before_sign_off() {
        let plan = plan().validate(today()).unwrap();
        let review = Review {
            date: "1 Nov 2026".into(),
            ratings: vec![OutcomeRating { outcome: 2, rating: 3, evidence: "".into() }],
            parent_view: None,
            pupil_view: None,
            decision: Decision::Continue,
            next_review_date: None,
            sign_off: true,
        };
        assert_eq!(
            fields(review.validate(&plan, today())),
            [
                "date: the review date (1 Nov 2026) is before the plan it reviews (2 Nov 2026)",
                "ratings[0].outcome: the plan has outcomes 1 to 1; there is no outcome 2",
                "ratings[0].rating: the rating 3 is not on the scale from -2 (went backwards) to +2 (exceeded)",
                "ratings[0].evidence: enter the evidence",
                "ratings: rate outcome 1 before signing the review off",
                "nextReviewDate: enter the next review date: every decision but ending SEN support leads to another review",
            ]
        );
    }

    #[test]
    fn costs_are_pence_rounded_once_per_intervention() {
        // 3 a week × 6 weeks × 10 minutes = 180 minutes = 3 hours at £20.50, one-to-one.
        assert_eq!(planned_cost_pence(3, 6, 10, 2050, 1, 0), 6150);
        // The same shared by a group of 7: 6150 / 7 = 878.57… → 879, plus £12 of books.
        assert_eq!(planned_cost_pence(3, 6, 10, 2050, 7, 1200), 879 + 1200);
        // 1 minute at £0.01 an hour is a sixtieth of a penny: rounds to nothing, not up.
        assert_eq!(cost_pence(1, 1, 1, 0), 0);
        assert_eq!(cost_pence(30, 1, 1, 0), 1, "half a penny rounds up");
        assert_eq!(pounds(612_345), "£6,123.45");
        assert_eq!(pounds(5), "£0.05");
        assert_eq!(pounds(100_000_000), "£1,000,000.00");
    }

    #[test]
    fn whole_weeks_count_both_end_days() {
        let d = |s: &str| s.parse::<NaiveDate>().unwrap();
        assert_eq!(whole_weeks(d("2026-11-02"), d("2026-11-06")), 1);
        assert_eq!(whole_weeks(d("2026-11-02"), d("2026-11-08")), 1);
        assert_eq!(whole_weeks(d("2026-11-02"), d("2026-11-15")), 2);
        // 7 Sep to 16 Jul is 313 days: 44 whole weeks (holidays are taken off by hand).
        assert_eq!(whole_weeks(d("2026-09-07"), d("2027-07-16")), 44);
    }

    #[test]
    fn stage_documents_say_which_stage_they_are() {
        let json = r#"{"stage":"delivery","sessions":[{"intervention":"elsa","date":"2026-11-20","minutes":30,"attended":true}]}"#;
        let doc: StageDocument = serde_json::from_str(json).unwrap();
        assert_eq!(doc.schema(), 1);
        assert!(matches!(doc, StageDocument::Delivery { .. }));
        let wrong = serde_json::from_str::<StageDocument>(r#"{"stage":"plan","date":"2026-11-20","outcomes":[],"reviewDate":"x","colour":"red"}"#);
        assert!(wrong.unwrap_err().to_string().contains("colour"));
    }
}
