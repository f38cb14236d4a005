//! The statutory clock: when each step of an EHC needs assessment is due, and each step of
//! an EHC plan's annual review, as pure functions of their dates (no clock, no store).
//!
//! Each limit is coded from the words of the SEND Regulations 2014 (legislation.gov.uk),
//! quoted beside its constant and again beside its test; docs/statutory-clock.md lists them.
//! Weeks are counted in calendar days: the clock starts on the day the local authority
//! receives the request, and "within 6 weeks" means by that day plus 42 days. A window
//! "beginning with the day" something is served counts that day as its first. Exceptions to
//! the time limits (regs 5(4) and 10(4), and 10(4) again through 13(3)) are recorded with a
//! reason; they explain a late step, they never move its date.

use chrono::{Months, NaiveDate};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::dates;
use crate::error::{Error, Result};
use crate::text;

/// Reg 5(1): the LA notifies its decision whether to assess "as soon as practicable and in
/// any event within 6 weeks of" receiving the request.
pub const DECISION_DAYS: i64 = 6 * 7;
/// Reg 8: a person the LA asks for advice for an assessment (the school among them) gives it
/// within 6 weeks of the LA's request.
pub const ADVICE_DAYS: i64 = 6 * 7;
/// Reg 10(1): the LA's notice that it will not issue a plan comes "within 16 weeks" of the
/// request. A draft plan has no limit of its own: it is a step toward the final plan.
pub const NO_PLAN_DAYS: i64 = 16 * 7;
/// Reg 13(1)(a) (and 22(2)(c) for amendments after a review): the family has "at least 15
/// days, beginning with the day on which the draft plan was served" to comment. The day it
/// was served is the first of the 15, so a draft served on 15 June gives until 29 June.
/// It is the least time the LA must allow, never a deadline on the family.
pub const COMMENT_DAYS: i64 = 15;
/// Reg 13(2): the final EHC plan "within 20 weeks" of the request.
pub const FINAL_DAYS: i64 = 20 * 7;
/// An annual review's papers go out at least this many days before the meeting, and the
/// school's report within this many days after it.
pub const REVIEW_PAPERS_DAYS: i64 = 14;

/// The last day of a window of `days` days "beginning with the day" `first`.
pub fn window_end(first: NaiveDate, days: i64) -> NaiveDate {
    first + chrono::Duration::days(days - 1)
}

/// What the LA decided about assessing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum AssessDecision {
    Assess,
    DeclineToAssess,
}

impl AssessDecision {
    pub const ALL: [AssessDecision; 2] = [AssessDecision::Assess, AssessDecision::DeclineToAssess];

    pub fn label(self) -> &'static str {
        match self {
            AssessDecision::Assess => "The LA will assess",
            AssessDecision::DeclineToAssess => "The LA will not assess",
        }
    }
}

/// What came at the 16-week point.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum DraftOutcome {
    DraftPlan,
    NoPlan,
}

impl DraftOutcome {
    pub const ALL: [DraftOutcome; 2] = [DraftOutcome::DraftPlan, DraftOutcome::NoPlan];

    pub fn label(self) -> &'static str {
        match self {
            DraftOutcome::DraftPlan => "A draft EHC plan",
            DraftOutcome::NoPlan => "A notice that no plan will be issued",
        }
    }
}

/// The exceptions the regulations allow to their time limits: reg 10(4)(a) to (d) for the
/// 16-week notice of no plan and, through reg 13(3), for the 20-week final plan; reg 5(4)
/// for the 6-week decision, which has no early-years limb, so its limbs are lettered
/// (a) to (c). A pupil's absence from school is not among them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum ExceptionKind {
    /// (a): the LA asked a head teacher for advice in the period from one week before the
    /// school closed for at least 4 continuous weeks to one week before it reopened.
    /// (Requests stored before the limbs were told apart said `schoolClosed`; migration 0011
    /// renamed them.)
    SchoolClosure,
    /// (b): the same, for an early years provider (reg 10(4) only).
    EarlyYearsClosure,
    /// (c): exceptional personal circumstances of the child or the parent.
    PersonalCircumstances,
    /// (d): the child or the parent away from the LA's area for a continuous period of at
    /// least 4 weeks.
    OutOfArea,
}

impl ExceptionKind {
    pub const ALL: [ExceptionKind; 4] = [ExceptionKind::SchoolClosure, ExceptionKind::EarlyYearsClosure, ExceptionKind::PersonalCircumstances, ExceptionKind::OutOfArea];

    /// What the exception is, with the regulations that allow it.
    pub fn label(self) -> &'static str {
        match self {
            ExceptionKind::SchoolClosure => "The LA asked the school for advice from a week before a closure of 4 weeks or more until a week before it reopened (reg 5(4)(a), 10(4)(a))",
            ExceptionKind::EarlyYearsClosure => "The LA asked an early years provider for advice from a week before its closure of 4 weeks or more until a week before it reopened (reg 10(4)(b))",
            ExceptionKind::PersonalCircumstances => "Exceptional personal circumstances of the child or the parent (reg 5(4)(b), 10(4)(c))",
            ExceptionKind::OutOfArea => "The child or the parent away from the LA's area for 4 weeks or more in a row (reg 5(4)(c), 10(4)(d))",
        }
    }

    /// A short name for where the exception is quoted beside a step.
    pub fn short(self) -> &'static str {
        match self {
            ExceptionKind::SchoolClosure => "school closure",
            ExceptionKind::EarlyYearsClosure => "early years provider's closure",
            ExceptionKind::PersonalCircumstances => "exceptional personal circumstances",
            ExceptionKind::OutOfArea => "away from the LA's area",
        }
    }

    /// The regulation and limb that let this exception explain the step `key` late, or
    /// `None` when the law gives that step no such exception.
    pub fn citation(self, key: &str) -> Option<&'static str> {
        use ExceptionKind::*;
        match (key, self) {
            ("decision", SchoolClosure) => Some("reg 5(4)(a)"),
            ("decision", PersonalCircumstances) => Some("reg 5(4)(b)"),
            ("decision", OutOfArea) => Some("reg 5(4)(c)"),
            ("draft", SchoolClosure) => Some("reg 10(4)(a)"),
            ("draft", EarlyYearsClosure) => Some("reg 10(4)(b)"),
            ("draft", PersonalCircumstances) => Some("reg 10(4)(c)"),
            ("draft", OutOfArea) => Some("reg 10(4)(d)"),
            ("finalPlan", SchoolClosure) => Some("reg 10(4)(a) through 13(3)"),
            ("finalPlan", EarlyYearsClosure) => Some("reg 10(4)(b) through 13(3)"),
            ("finalPlan", PersonalCircumstances) => Some("reg 10(4)(c) through 13(3)"),
            ("finalPlan", OutOfArea) => Some("reg 10(4)(d) through 13(3)"),
            _ => None,
        }
    }
}

/// An exception, with its reason and the days it covered (to the end of time if open).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Exception {
    pub kind: ExceptionKind,
    pub reason: String,
    pub from: NaiveDate,
    pub to: Option<NaiveDate>,
}

impl Exception {
    fn overlaps(&self, start: NaiveDate, end: NaiveDate) -> bool {
        self.from <= end && self.to.is_none_or(|to| to >= start)
    }
}

/// A request for an EHC needs assessment, as far as it has gone.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct RequestDates {
    /// The day the LA received the request: the clock starts here.
    pub received: NaiveDate,
    pub decision: Option<(NaiveDate, AssessDecision)>,
    pub draft: Option<(NaiveDate, DraftOutcome)>,
    /// When the parent's or young person's comments on the draft went back.
    pub comments: Option<NaiveDate>,
    pub final_plan: Option<NaiveDate>,
    #[serde(default)]
    pub exceptions: Vec<Exception>,
    /// When the LA asked the school for its advice for the assessment (reg 8's 6 weeks
    /// start here), and when the school gave it.
    #[serde(default)]
    pub advice_asked: Option<NaiveDate>,
    #[serde(default)]
    pub advice_given: Option<NaiveDate>,
}

impl RequestDates {
    /// A request just sent: only its receipt is known.
    pub fn received(received: NaiveDate) -> RequestDates {
        RequestDates { received, decision: None, draft: None, comments: None, final_plan: None, exceptions: Vec::new(), advice_asked: None, advice_given: None }
    }
}

impl RequestDates {
    /// Whether the process is still running: no final plan yet, and not ended by a decision
    /// not to assess or a notice of no plan.
    pub fn running(&self) -> bool {
        self.final_plan.is_none()
            && !matches!(self.decision, Some((_, AssessDecision::DeclineToAssess)))
            && !matches!(self.draft, Some((_, DraftOutcome::NoPlan)))
    }

    /// The steps `record` would take next (on a date it accepts), in order: what the form's
    /// "what happened" offers, so a SENCO is never offered a step that would be refused.
    pub fn can_record(&self) -> Vec<RequestStep> {
        if !self.running() {
            return Vec::new();
        }
        let assessing = matches!(self.decision, Some((_, AssessDecision::Assess)));
        let drafted = matches!(self.draft, Some((_, DraftOutcome::DraftPlan)));
        RequestStep::ALL
            .into_iter()
            .filter(|step| match step {
                RequestStep::Decision => self.decision.is_none(),
                RequestStep::AdviceAsked => assessing && self.advice_asked.is_none(),
                RequestStep::AdviceGiven => self.advice_asked.is_some() && self.advice_given.is_none(),
                RequestStep::Draft => assessing && self.draft.is_none(),
                RequestStep::Comments => drafted && self.comments.is_none(),
                RequestStep::FinalPlan => drafted,
            })
            .collect()
    }
}

/// Something that happened to a request, as the SENCO records it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", rename_all_fields = "camelCase", tag = "step")]
#[ts(export)]
pub enum RequestEvent {
    Decision { date: NaiveDate, decision: AssessDecision },
    AdviceAsked { date: NaiveDate },
    AdviceGiven { date: NaiveDate },
    Draft { date: NaiveDate, outcome: DraftOutcome },
    Comments { date: NaiveDate },
    FinalPlan { date: NaiveDate },
}

impl RequestEvent {
    pub fn date(&self) -> NaiveDate {
        match self {
            RequestEvent::Decision { date, .. }
            | RequestEvent::AdviceAsked { date }
            | RequestEvent::AdviceGiven { date }
            | RequestEvent::Draft { date, .. }
            | RequestEvent::Comments { date }
            | RequestEvent::FinalPlan { date } => *date,
        }
    }
}

/// The names of `RequestEvent`'s steps, in the order they happen, with what a SENCO calls
/// each: the choices of "what happened".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum RequestStep {
    Decision,
    AdviceAsked,
    AdviceGiven,
    Draft,
    Comments,
    FinalPlan,
}

impl RequestStep {
    pub const ALL: [RequestStep; 6] = [RequestStep::Decision, RequestStep::AdviceAsked, RequestStep::AdviceGiven, RequestStep::Draft, RequestStep::Comments, RequestStep::FinalPlan];

    pub fn label(self) -> &'static str {
        match self {
            RequestStep::Decision => "The LA decided whether to assess",
            RequestStep::AdviceAsked => "The LA asked the school for its advice",
            RequestStep::AdviceGiven => "The school gave the LA its advice",
            RequestStep::Draft => "The LA sent a draft plan, or said it will not issue one",
            RequestStep::Comments => "The family's comments on the draft went back",
            RequestStep::FinalPlan => "The LA issued the final EHC plan",
        }
    }
}

fn refuse(field: &str, message: String) -> Error {
    Error::invalid(field, message)
}

/// The request with `event` recorded, or why it cannot be: a date before the request was
/// received, after `today`, or before the step it follows; a step out of order; a step
/// already recorded; or a step after the process has ended.
pub fn record(request: &RequestDates, event: &RequestEvent, today: NaiveDate) -> Result<RequestDates> {
    let date = event.date();
    if date < request.received {
        return Err(refuse("date", format!("{} is before the LA received the request ({})", dates::short(date), dates::short(request.received))));
    }
    if date > today {
        return Err(refuse("date", format!("{} is still to come: record a step once it has happened", dates::short(date))));
    }
    if !request.running() {
        return Err(Error::Refused("this request has ended: record a new request if the family or school asks again".into()));
    }
    let mut next = request.clone();
    let after = |field: &str, earlier: NaiveDate, what: &str| -> Result<()> {
        if date < earlier {
            return Err(refuse(field, format!("{} is before the {what} ({})", dates::short(date), dates::short(earlier))));
        }
        Ok(())
    };
    match *event {
        RequestEvent::Decision { decision, .. } => {
            if let Some((day, _)) = request.decision {
                return Err(Error::Refused(format!("the LA's decision is already recorded ({})", dates::short(day))));
            }
            next.decision = Some((date, decision));
        }
        RequestEvent::AdviceAsked { .. } => {
            let Some((decided, AssessDecision::Assess)) = request.decision else {
                return Err(Error::Refused("record the LA's decision to assess before its request for the school's advice".into()));
            };
            if let Some(day) = request.advice_asked {
                return Err(Error::Refused(format!("the LA's request for the school's advice is already recorded ({})", dates::short(day))));
            }
            after("date", decided, "decision to assess")?;
            next.advice_asked = Some(date);
        }
        RequestEvent::AdviceGiven { .. } => {
            let Some(asked) = request.advice_asked else {
                return Err(Error::Refused("record when the LA asked for the school's advice before when it was given".into()));
            };
            if let Some(day) = request.advice_given {
                return Err(Error::Refused(format!("the school's advice is already recorded as given ({})", dates::short(day))));
            }
            after("date", asked, "LA's request for advice")?;
            next.advice_given = Some(date);
        }
        RequestEvent::Draft { outcome, .. } => {
            let Some((decided, AssessDecision::Assess)) = request.decision else {
                return Err(Error::Refused("record the LA's decision to assess before the draft plan or notice".into()));
            };
            if let Some((day, _)) = request.draft {
                return Err(Error::Refused(format!("the draft plan or notice is already recorded ({})", dates::short(day))));
            }
            after("date", decided, "decision to assess")?;
            next.draft = Some((date, outcome));
        }
        RequestEvent::Comments { .. } | RequestEvent::FinalPlan { .. } => {
            let Some((drafted, DraftOutcome::DraftPlan)) = request.draft else {
                return Err(Error::Refused("record the draft plan before the family's comments or the final plan".into()));
            };
            after("date", drafted, "draft plan")?;
            if matches!(event, RequestEvent::Comments { .. }) {
                if request.comments.is_some() {
                    return Err(Error::Refused("the family's comments are already recorded".into()));
                }
                next.comments = Some(date);
            } else {
                next.final_plan = Some(date);
            }
        }
    }
    Ok(next)
}

/// The request with an exception added, its reason checked like any other text.
pub fn add_exception(request: &RequestDates, exception: &Exception) -> Result<RequestDates> {
    let reason = text::line("reason", "reason", &exception.reason, text::REASON_MAX).map_err(|p| Error::Invalid(vec![p]))?;
    if reason.is_empty() {
        return Err(refuse("reason", "say why the time limit could not be kept".into()));
    }
    if exception.to.is_some_and(|to| to < exception.from) {
        return Err(refuse("to", "the exception ends before it starts".into()));
    }
    let mut next = request.clone();
    next.exceptions.push(Exception { reason, ..exception.clone() });
    Ok(next)
}

/// Where a step stands on a given day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", rename_all_fields = "camelCase", tag = "state")]
#[ts(export)]
pub enum StepState {
    /// Done by its date.
    OnTime,
    /// Done, this many days after its date.
    Late { days: i32 },
    /// Not done, and its date is still to come (or is today).
    Due { days_left: i32 },
    /// Not done, and its date has passed by this many days.
    Overdue { days: i32 },
    /// Its date cannot be known yet: the step it follows has not happened.
    NotYet,
    /// Not needed: an earlier step ended the process (no assessment, or no plan).
    Ended,
    /// Done; the step has no time limit of its own (a draft plan, the family's comments).
    Done,
    /// Not done, and no time limit of its own falls on it now (a draft plan after the
    /// 16-week point for a notice of no plan).
    Waiting,
    /// The least time the LA must give the family is still running, to its last day in
    /// `days_left` days. Never a deadline on the family.
    WindowOpen { days_left: i32 },
    /// The least time the LA must give the family has run; they may still comment if the
    /// LA allows. Never "overdue".
    WindowRun,
}

/// One step of a clock.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ClockStep {
    /// A stable key, such as `decision`; a request's steps use the names of
    /// `RequestEvent`'s steps, so a step offered from the clock can be recorded as it is.
    pub key: String,
    /// What the step is, in a SENCO's words.
    pub step: String,
    /// Who owes it: `la`, `family` or `school`.
    pub owner: String,
    /// The latest day it may happen, when that can be known.
    pub due: Option<NaiveDate>,
    /// The statutory limit, in words ("6 weeks from the request").
    pub limit: String,
    pub done: Option<NaiveDate>,
    pub status: StepState,
    /// Where it stands, in words: "done 7 days late", "due in 42 days"…
    pub status_text: String,
    /// The recorded exceptions that explain it being late or overdue, in words.
    pub explained_by: Vec<String>,
}

impl ClockStep {
    /// Whether the step is overdue today, or was done late, with no exception to explain it.
    pub fn unexplained_delay(&self) -> bool {
        matches!(self.status, StepState::Late { .. } | StepState::Overdue { .. }) && self.explained_by.is_empty()
    }
}

fn add(date: NaiveDate, days: i64) -> NaiveDate {
    date + chrono::Duration::days(days)
}

/// A step's state in words.
pub fn describe(state: StepState) -> String {
    let days = |n: i32| format!("{n} day{}", if n == 1 { "" } else { "s" });
    match state {
        StepState::OnTime => "done on time".into(),
        StepState::Late { days: n } => format!("done {} late", days(n)),
        StepState::Due { days_left: 0 } => "due today".into(),
        StepState::Due { days_left } => format!("due in {}", days(days_left)),
        StepState::Overdue { days: n } => format!("overdue by {}", days(n)),
        StepState::NotYet => "date set by the step before".into(),
        StepState::Ended => "not needed".into(),
        StepState::Done => "done".into(),
        StepState::Waiting => "waiting; no time limit of its own".into(),
        StepState::WindowOpen { days_left } => format!("open for {} more", days(days_left + 1)),
        StepState::WindowRun => "the least time has run".into(),
    }
}

/// A step's state from its due day, when it was done, and today; with the exceptions that
/// overlap the time from `start` to its due day (or to today, if later and not yet done).
#[allow(clippy::too_many_arguments)]
fn step(key: &str, step: &str, owner: &str, limit: &str, start: NaiveDate, due: NaiveDate, done: Option<NaiveDate>, today: NaiveDate, exceptions: &[Exception]) -> ClockStep {
    let days = |from: NaiveDate, to: NaiveDate| i32::try_from((to - from).num_days()).unwrap_or(i32::MAX);
    let state = match done {
        Some(day) if day <= due => StepState::OnTime,
        Some(day) => StepState::Late { days: days(due, day) },
        None if today <= due => StepState::Due { days_left: days(today, due) },
        None => StepState::Overdue { days: days(due, today) },
    };
    let delayed = matches!(state, StepState::Late { .. } | StepState::Overdue { .. });
    let end = done.unwrap_or(today).max(due);
    let explained_by = if delayed {
        exceptions
            .iter()
            .filter(|e| e.overlaps(start, end))
            .filter_map(|e| {
                let cited = e.kind.citation(key)?;
                Some(match e.to {
                    Some(to) => format!("{} ({cited}) from {} to {}: {}", e.kind.short(), dates::short(e.from), dates::short(to), e.reason),
                    None => format!("{} ({cited}) from {}: {}", e.kind.short(), dates::short(e.from), e.reason),
                })
            })
            .collect()
    } else {
        Vec::new()
    };
    ClockStep { key: key.into(), step: step.into(), owner: owner.into(), due: Some(due), limit: limit.into(), done, status: state, status_text: describe(state), explained_by }
}

fn waiting(key: &str, step: &str, owner: &str, limit: &str, state: StepState) -> ClockStep {
    ClockStep { key: key.into(), step: step.into(), owner: owner.into(), due: None, limit: limit.into(), done: None, status: state, status_text: describe(state), explained_by: Vec::new() }
}

/// A step whose state and words are set here rather than by its due day; `named` is its key,
/// its words, its owner and its limit.
fn fixed(named: (&str, &str, &str, &str), due: Option<NaiveDate>, done: Option<NaiveDate>, status: StepState, status_text: String) -> ClockStep {
    let (key, step, owner, limit) = named;
    ClockStep { key: key.into(), step: step.into(), owner: owner.into(), due, limit: limit.into(), done, status, status_text, explained_by: Vec::new() }
}

/// The steps of an EHC needs assessment on `today`, in the order they happen: the LA's
/// decision whether to assess; the school's advice, once the LA asks for it; the draft plan
/// or the notice that no plan will be issued; the family's comments on a draft; and the
/// final plan. A decision not to assess, or a notice of no plan, ends the later steps.
/// Each step's key is the name of the `RequestEvent` that completes it.
pub fn request_clock(request: &RequestDates, today: NaiveDate) -> Vec<ClockStep> {
    let start = request.received;
    let exceptions = &request.exceptions;
    let days_to = |from: NaiveDate, to: NaiveDate| i32::try_from((to - from).num_days()).unwrap_or(i32::MAX);
    let mut steps = vec![step(
        "decision",
        "The LA decides whether to assess",
        "la",
        "6 weeks from the request (reg 5(1))",
        start,
        add(start, DECISION_DAYS),
        request.decision.map(|(day, _)| day),
        today,
        exceptions,
    )];
    let declined = matches!(request.decision, Some((_, AssessDecision::DeclineToAssess)));
    let no_plan = matches!(request.draft, Some((_, DraftOutcome::NoPlan)));

    // Reg 8: the school's own deadline, from the day the LA asks it for advice.
    let (advice_key, advice_step, advice_limit) = ("adviceGiven", "The school gives the LA its advice for the assessment", "6 weeks from the LA's request for it (reg 8)");
    steps.push(match request.advice_asked {
        Some(asked) => step(advice_key, advice_step, "school", advice_limit, asked, add(asked, ADVICE_DAYS), request.advice_given, today, &[]),
        None if declined || !request.running() => waiting(advice_key, advice_step, "school", advice_limit, StepState::Ended),
        None => fixed((advice_key, advice_step, "school", advice_limit), None, None, StepState::NotYet, "the 6 weeks start when the LA asks for the school's advice".into()),
    });

    // Reg 10(1) limits only the notice that no plan will be issued; a draft plan is a step
    // toward the final plan of reg 13(2), with no limit of its own.
    let (draft_key, draft_step, draft_limit) = (
        "draft",
        "The LA sends a draft plan, or says it will not issue one",
        "a notice of no plan within 16 weeks (reg 10(1)); a draft plan has no limit of its own",
    );
    let notice_due = add(start, NO_PLAN_DAYS);
    steps.push(match request.draft {
        _ if declined => waiting(draft_key, draft_step, "la", draft_limit, StepState::Ended),
        Some((day, DraftOutcome::NoPlan)) => step(draft_key, draft_step, "la", draft_limit, start, notice_due, Some(day), today, exceptions),
        Some((day, DraftOutcome::DraftPlan)) => {
            fixed((draft_key, draft_step, "la", draft_limit), None, Some(day), StepState::Done, "a draft plan came: a step toward the final plan".into())
        }
        None if today <= notice_due => fixed(
            (draft_key, draft_step, "la", draft_limit),
            Some(notice_due),
            None,
            StepState::Due { days_left: days_to(today, notice_due) },
            format!("if the LA will not issue a plan, it must say so by {}", dates::short(notice_due)),
        ),
        None => fixed(
            (draft_key, draft_step, "la", draft_limit),
            None,
            None,
            StepState::Waiting,
            format!("no notice of no plan came by {}: a draft plan is to come, in time for the final plan", dates::short(notice_due)),
        ),
    });

    // Reg 13(1)(a): at least 15 days, beginning with the day the draft was served. The
    // least time the LA must allow: the family is never late.
    let (comments_key, comments_step, comments_limit) = ("comments", "The family comments on the draft and may ask for a school to be named", "at least 15 days from the draft, counting its day (reg 13(1)(a))");
    steps.push(match request.draft {
        _ if declined || no_plan => waiting(comments_key, comments_step, "family", comments_limit, StepState::Ended),
        Some((served, _)) => {
            let last = window_end(served, COMMENT_DAYS);
            let (status, text) = match request.comments {
                Some(_) => (StepState::Done, "the family's comments went back".to_string()),
                None if today <= last => (
                    StepState::WindowOpen { days_left: days_to(today, last) },
                    format!("the family has until {}, and may take longer if the LA allows", dates::short(last)),
                ),
                None => (StepState::WindowRun, format!("the family had until {} at least, and may take longer if the LA allows", dates::short(last))),
            };
            fixed((comments_key, comments_step, "family", comments_limit), Some(last), request.comments, status, text)
        }
        None => waiting(comments_key, comments_step, "family", comments_limit, StepState::NotYet),
    });
    let (final_key, final_step, final_limit) = ("finalPlan", "The LA issues the final EHC plan", "20 weeks from the request (reg 13(2))");
    steps.push(if declined || no_plan {
        waiting(final_key, final_step, "la", final_limit, StepState::Ended)
    } else {
        step(final_key, final_step, "la", final_limit, start, add(start, FINAL_DAYS), request.final_plan, today, exceptions)
    });
    steps
}

/// A move between phases of education (reg 2: early years to school, infant to junior,
/// primary to secondary, secondary to a post-16 institution…) that a pupil in a year group
/// makes at the end of this school year.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct PhaseTransfer {
    /// The move, in words: "Year 6 to secondary school".
    pub what: String,
    /// The last day the plan may be reviewed and amended by: 14 February, or 30 March from
    /// secondary school to a post-16 institution (reg 18(1): "before" 15 February or 31 March).
    pub deadline: NaiveDate,
    /// The day the school year of the move began: the worklist carries it from then.
    pub from: NaiveDate,
}

/// Reg 18(1): a child "within 12 months of a transfer between phases" has the EHC plan
/// reviewed and amended before 15 February of the calendar year of the transfer (before 31
/// March from secondary school to a post-16 institution). Who moves follows from the year
/// group and the school's phase: Nursery to Reception where the school has a nursery; an
/// infant school's Year 2; a junior or primary school's Year 6; Year 11 in a secondary,
/// all-through or special school (to a college or other post-16 institution). An all-through
/// school's Year 6 stay, so they have no transfer.
pub fn phase_transfer(phase: crate::school::Phase, nc_year: i32, today: NaiveDate) -> Option<PhaseTransfer> {
    use crate::school::Phase::*;
    let what = match (phase, nc_year) {
        (Primary | Infant | AllThrough | Special, -1) => "Nursery to Reception",
        (Infant, 2) => "Year 2 to junior school",
        (Primary | Junior, 6) => "Year 6 to secondary school",
        (Secondary | AllThrough | Special, 11) => "Year 11 to a college or other post-16 institution",
        _ => return None,
    };
    let start = crate::pupil::academic_year(today);
    let (month, day) = if nc_year == 11 { (3, 30) } else { (2, 14) };
    Some(PhaseTransfer {
        what: what.to_string(),
        deadline: NaiveDate::from_ymd_opt(start + 1, month, day).expect("14 February and 30 March exist"),
        from: NaiveDate::from_ymd_opt(start, 9, 1).expect("1 September exists"),
    })
}

/// An EHC plan's annual review, as far as it has gone: the LA's follow-up to the last
/// review meeting, then the next review.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ReviewDates {
    /// The last review meeting, or the day the plan was finalised if there has been none.
    pub last: NaiveDate,
    /// Whether `last` was a review meeting (so the LA's decision on it is due), rather than
    /// the day tracking started from.
    #[serde(default)]
    pub after_meeting: bool,
    /// The LA's decision on the last review, and what it decided.
    #[serde(default)]
    pub la_decision: Option<(NaiveDate, ReviewOutcome)>,
    /// When the LA sent its proposed amendments to the family.
    #[serde(default)]
    pub amendments_sent: Option<NaiveDate>,
    /// When the LA issued the amended plan.
    #[serde(default)]
    pub amended_plan: Option<NaiveDate>,
    /// The next meeting, planned or held.
    pub meeting: Option<NaiveDate>,
    /// When everyone was told the meeting's date.
    #[serde(default)]
    pub notice_sent: Option<NaiveDate>,
    pub papers_sent: Option<NaiveDate>,
    pub report_sent: Option<NaiveDate>,
}

impl ReviewDates {
    /// A review tracked from `last`, with nothing after it recorded.
    pub fn from(last: NaiveDate, after_meeting: bool) -> ReviewDates {
        ReviewDates { last, after_meeting, la_decision: None, amendments_sent: None, amended_plan: None, meeting: None, notice_sent: None, papers_sent: None, report_sent: None }
    }
}

/// What the LA decided after a review meeting (reg 20(10)).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum ReviewOutcome {
    Keep,
    Amend,
    Cease,
}

impl ReviewOutcome {
    pub fn code(self) -> &'static str {
        match self {
            ReviewOutcome::Keep => "keep",
            ReviewOutcome::Amend => "amend",
            ReviewOutcome::Cease => "cease",
        }
    }

    pub fn from_code(code: &str) -> Option<ReviewOutcome> {
        [ReviewOutcome::Keep, ReviewOutcome::Amend, ReviewOutcome::Cease].into_iter().find(|o| o.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            ReviewOutcome::Keep => "keep the plan as it is",
            ReviewOutcome::Amend => "amend the plan",
            ReviewOutcome::Cease => "cease the plan",
        }
    }
}

/// Days from the review meeting to the LA's decision (reg 20(10)).
pub const REVIEW_DECISION_DAYS: i64 = 4 * 7;
/// Days from the LA sending proposed amendments to the amended plan (reg 22(3)).
pub const AMENDED_PLAN_DAYS: i64 = 8 * 7;

/// The day 12 calendar months after `date` (29 February gives 28 February).
pub fn twelve_months_after(date: NaiveDate) -> NaiveDate {
    date.checked_add_months(Months::new(12)).expect("a date a year on exists")
}

/// The steps of an annual review on `today`. First, when `last` was a review meeting, the
/// LA's follow-up to it: its decision within 4 weeks of the meeting (reg 20(10)) and, if it
/// amends, the family's least 15 days on the proposed amendments (reg 22(2)(c)) and the
/// amended plan within 8 weeks of sending them (reg 22(3)). Then the next review: at least 2
/// weeks' notice of the meeting's date (reg 20(3)), the papers out at least 2 weeks before it
/// (reg 20(4)), the meeting within 12 months of the last, and the school's report within 2
/// weeks after it. From Year 9 (`from_year_9`) the meeting considers preparation for
/// adulthood and independent living (reg 20).
pub fn review_clock(review: &ReviewDates, today: NaiveDate, from_year_9: bool) -> Vec<ClockStep> {
    let due = twelve_months_after(review.last);
    let held = review.meeting.filter(|m| *m <= today);
    let mut steps = Vec::new();
    if review.after_meeting {
        let decided = review.la_decision.map(|(day, _)| day);
        steps.push(step(
            "laDecision",
            "The LA decides whether to keep, amend or cease the plan",
            "la",
            "4 weeks from the review meeting (reg 20(10))",
            review.last,
            add(review.last, REVIEW_DECISION_DAYS),
            decided,
            today,
            &[],
        ));
        if let Some((_, ReviewOutcome::Amend)) = review.la_decision {
            let (key, words, limit) = ("amendments", "The family comments on the proposed amendments", "at least 15 days from the proposed amendments, counting their day (reg 22(2)(c))");
            steps.push(match review.amendments_sent {
                Some(sent) => {
                    let last = window_end(sent, COMMENT_DAYS);
                    let (status, text) = match today <= last {
                        true => (StepState::WindowOpen { days_left: i32::try_from((last - today).num_days()).unwrap_or(i32::MAX) }, format!("the family has until {}, and may take longer if the LA allows", dates::short(last))),
                        false => (StepState::WindowRun, format!("the family had until {} at least, and may take longer if the LA allows", dates::short(last))),
                    };
                    fixed((key, words, "family", limit), Some(last), None, status, text)
                }
                None => waiting(key, words, "family", limit, StepState::NotYet),
            });
            let (key, words, limit) = ("amendedPlan", "The LA issues the amended plan", "8 weeks from sending the proposed amendments (reg 22(3))");
            steps.push(match review.amendments_sent {
                Some(sent) => step(key, words, "la", limit, sent, add(sent, AMENDED_PLAN_DAYS), review.amended_plan, today, &[]),
                None => waiting(key, words, "la", limit, StepState::NotYet),
            });
        }
    }
    let (notice_key, notice_step, notice_limit) = ("notice", "The school gives everyone the meeting's date", "at least 2 weeks before the meeting (reg 20(3))");
    steps.push(match review.meeting {
        Some(meeting) => step(notice_key, notice_step, "school", notice_limit, review.last, add(meeting, -REVIEW_PAPERS_DAYS), review.notice_sent, today, &[]),
        None => waiting(notice_key, notice_step, "school", notice_limit, StepState::NotYet),
    });
    let (papers_key, papers_step, papers_limit) = ("papers", "The school sends out the review's papers", "2 weeks before the meeting (reg 20(4))");
    steps.push(match review.meeting {
        Some(meeting) => step(papers_key, papers_step, "school", papers_limit, review.last, add(meeting, -REVIEW_PAPERS_DAYS), review.papers_sent, today, &[]),
        None => waiting(papers_key, papers_step, "school", papers_limit, StepState::NotYet),
    });
    let meeting_step = if from_year_9 {
        "The annual review meeting is held, considering preparation for adulthood and independent living (from Year 9, reg 20)"
    } else {
        "The annual review meeting is held"
    };
    steps.push(step("meeting", meeting_step, "school", "12 months from the last review", review.last, due, held, today, &[]));
    let (report_key, report_step, report_limit) = ("report", "The school sends its report of the review to the LA", "2 weeks after the meeting (reg 20)");
    steps.push(match held {
        Some(meeting) => step(report_key, report_step, "school", report_limit, meeting, add(meeting, REVIEW_PAPERS_DAYS), review.report_sent, today, &[]),
        None => waiting(report_key, report_step, "school", report_limit, StepState::NotYet),
    });
    steps
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    fn dues(steps: &[ClockStep]) -> Vec<Option<String>> {
        steps.iter().map(|s| s.due.map(|d| d.to_string())).collect()
    }

    fn by_key<'a>(steps: &'a [ClockStep], key: &str) -> &'a ClockStep {
        steps.iter().find(|s| s.key == key).unwrap_or_else(|| panic!("a step {key}"))
    }

    /// Worked example: a request received on Monday 2 March 2026. Six weeks is 42 days
    /// (Monday 13 April), sixteen weeks 112 days (Monday 22 June), twenty weeks 140 days
    /// (Monday 20 July); each falls on the same weekday as the receipt.
    #[test]
    fn a_request_received_on_2_march_2026_runs_to_20_july() {
        let steps = request_clock(&RequestDates::received(d("2026-03-02")), d("2026-03-02"));
        let expected = [Some("2026-04-13".to_string()), None, Some("2026-06-22".to_string()), None, Some("2026-07-20".to_string())];
        assert_eq!(dues(&steps), expected);
        assert_eq!(steps[0].status, StepState::Due { days_left: 42 });
        assert_eq!(by_key(&steps, "comments").status, StepState::NotYet, "the comments wait for a draft");
        assert_eq!(by_key(&steps, "adviceGiven").status, StepState::NotYet, "the school's 6 weeks wait for the LA to ask");
        let names: Vec<String> = RequestStep::ALL.iter().map(|s| serde_json::to_value(s).unwrap().as_str().unwrap().to_string()).collect();
        for step in &steps {
            assert!(names.contains(&step.key), "each step's key is the event that completes it: {}", step.key);
        }
        let event = RequestEvent::AdviceGiven { date: d("2026-04-01") };
        assert!(names.contains(&serde_json::to_value(&event).unwrap()["step"].as_str().unwrap().to_string()), "the vocabulary names each event");
    }

    /// Worked example across a leap day and the clocks changing: received 20 February 2028.
    #[test]
    fn weeks_are_calendar_days_across_a_leap_day() {
        let steps = request_clock(&RequestDates::received(d("2028-02-20")), d("2028-02-20"));
        assert_eq!(steps[0].due, Some(d("2028-04-02")), "20 Feb + 42 days, with 29 Feb in between");
        assert_eq!(by_key(&steps, "finalPlan").due, Some(d("2028-07-09")));
    }

    #[test]
    fn late_steps_say_by_how_much_and_an_exception_explains_without_moving_the_date() {
        let mut request = RequestDates::received(d("2026-03-02"));
        request.decision = Some((d("2026-04-20"), AssessDecision::Assess));
        request.draft = Some((d("2026-06-15"), DraftOutcome::DraftPlan));
        let steps = request_clock(&request, d("2026-07-27"));
        assert_eq!(steps[0].status, StepState::Late { days: 7 });
        assert!(steps[0].unexplained_delay());
        assert_eq!(by_key(&steps, "draft").status, StepState::Done, "a draft has no limit of its own");
        let comments = by_key(&steps, "comments");
        assert_eq!((comments.due, comments.status), (Some(d("2026-06-29")), StepState::WindowRun), "15 days from the draft, counting its day");
        assert!(!comments.unexplained_delay(), "the family is never late");
        let last = by_key(&steps, "finalPlan");
        assert_eq!((last.due, last.status), (Some(d("2026-07-20")), StepState::Overdue { days: 7 }));

        request.exceptions.push(Exception {
            kind: ExceptionKind::SchoolClosure,
            reason: "The LA asked for advice the week before the school shut for five weeks".into(),
            from: d("2026-03-30"),
            to: Some(d("2026-04-27")),
        });
        let explained = request_clock(&request, d("2026-07-27"));
        assert_eq!(explained[0].due, Some(d("2026-04-13")), "the date does not move");
        assert_eq!(explained[0].status, StepState::Late { days: 7 });
        assert!(!explained[0].unexplained_delay());
        assert!(explained[0].explained_by[0].starts_with("school closure (reg 5(4)(a)) from 30 Mar 2026 to 27 Apr 2026: The LA asked"), "{:?}", explained[0].explained_by);
        assert!(by_key(&explained, "finalPlan").explained_by[0].contains("(reg 10(4)(a) through 13(3))"), "the final plan's exception is reg 10(4) applied by 13(3)");
    }

    /// Reg 13(1)(a): the draft plan gives the family "at least 15 days, beginning with the
    /// day on which the draft plan was served". Served on 15 June: 15 June is the first day
    /// and 29 June the fifteenth, not 30 June. It is the least the LA must allow, so the
    /// family is never shown as late, on any day after.
    #[test]
    fn the_familys_15_days_begin_with_the_day_the_draft_is_served_and_never_fall_overdue() {
        let mut request = RequestDates::received(d("2026-03-02"));
        request.decision = Some((d("2026-04-10"), AssessDecision::Assess));
        request.draft = Some((d("2026-06-15"), DraftOutcome::DraftPlan));
        fn on_day(request: &RequestDates, today: &str) -> ClockStep {
            by_key(&request_clock(request, d(today)), "comments").clone()
        }
        assert_eq!(on_day(&request, "2026-06-15").due, Some(d("2026-06-29")));
        assert_eq!(on_day(&request, "2026-06-29").status, StepState::WindowOpen { days_left: 0 });
        assert_eq!(on_day(&request, "2026-06-29").status_text, "the family has until 29 Jun 2026, and may take longer if the LA allows");
        for later in 0..90 {
            let step = on_day(&request, &add(d("2026-06-30"), later).to_string());
            assert_eq!(step.status, StepState::WindowRun);
            assert!(!step.unexplained_delay() && !step.status_text.contains("overdue") && !step.status_text.contains("late"), "{}", step.status_text);
        }
        // Worked example: a draft served on the last day of a month.
        request.draft = Some((d("2027-01-31"), DraftOutcome::DraftPlan));
        assert_eq!(on_day(&request, "2027-01-31").due, Some(d("2027-02-14")));
        // And one whose fifteenth day is a leap day.
        request.draft = Some((d("2028-02-15"), DraftOutcome::DraftPlan));
        assert_eq!(on_day(&request, "2028-02-15").due, Some(d("2028-02-29")));
    }

    /// Reg 10(1): the notice that the LA will not issue a plan comes "within 16 weeks" of the
    /// request. A draft plan has no limit of its own; it is a step toward the final plan,
    /// which reg 13(2) wants "within 20 weeks".
    #[test]
    fn sixteen_weeks_limits_the_notice_of_no_plan_and_a_draft_after_it_is_no_breach() {
        let mut request = RequestDates::received(d("2026-03-02"));
        request.decision = Some((d("2026-04-10"), AssessDecision::Assess));
        let before = by_key(&request_clock(&request, d("2026-06-20")), "draft").clone();
        assert_eq!((before.due, before.status), (Some(d("2026-06-22")), StepState::Due { days_left: 2 }));
        assert_eq!(before.status_text, "if the LA will not issue a plan, it must say so by 22 Jun 2026");
        let after = by_key(&request_clock(&request, d("2026-07-01")), "draft").clone();
        assert_eq!(after.status, StepState::Waiting, "nothing by 16 weeks is not a breach");
        assert!(!after.unexplained_delay());
        request.draft = Some((d("2026-07-01"), DraftOutcome::DraftPlan));
        let drafted = by_key(&request_clock(&request, d("2026-07-01")), "draft").clone();
        assert_eq!((drafted.status, drafted.due), (StepState::Done, None));
        request.draft = Some((d("2026-07-01"), DraftOutcome::NoPlan));
        let notice = by_key(&request_clock(&request, d("2026-07-01")), "draft").clone();
        assert_eq!(notice.status, StepState::Late { days: 9 }, "a notice of no plan after 22 June is late");
    }

    /// Reg 5(4) (for the 6-week decision) and reg 10(4)(a) to (d) (for 16 weeks, and 20
    /// weeks through reg 13(3)): the LA "need not comply with the time limit" when it asked
    /// a school (a) or an early years provider (b) for advice around a closure of at least 4
    /// continuous weeks, for exceptional personal circumstances (c), or when the child or
    /// parent is away from the area for at least 4 weeks (d). Reg 5(4) has no early-years
    /// limb. An exception explains a late step; it never moves its date.
    #[test]
    fn each_exception_is_labelled_by_its_regulation_and_limb_and_explains_only_the_steps_it_applies_to() {
        for kind in ExceptionKind::ALL {
            assert!(kind.label().contains("(reg "), "{}", kind.label());
            assert!(!kind.label().to_lowercase().contains("pupil absent"), "a pupil's absence from school is not an exception");
        }
        assert_eq!(ExceptionKind::EarlyYearsClosure.citation("decision"), None);
        assert_eq!(ExceptionKind::OutOfArea.citation("draft"), Some("reg 10(4)(d)"));
        assert_eq!(ExceptionKind::PersonalCircumstances.citation("decision"), Some("reg 5(4)(b)"));
        assert_eq!(ExceptionKind::SchoolClosure.citation("adviceGiven"), None, "the school's own 6 weeks are not the LA's to excuse");

        // Worked example across a year end, with a closure that straddles the decision's date:
        // received 14 December 2026, decided on 1 February 2027, a week after 25 January.
        let mut request = RequestDates::received(d("2026-12-14"));
        assert_eq!(dues(&request_clock(&request, d("2026-12-14")))[0], Some("2027-01-25".to_string()));
        assert_eq!(by_key(&request_clock(&request, d("2026-12-14")), "finalPlan").due, Some(d("2027-05-03")));
        request.decision = Some((d("2027-02-01"), AssessDecision::Assess));
        request.exceptions.push(Exception { kind: ExceptionKind::EarlyYearsClosure, reason: "Nursery shut".into(), from: d("2027-01-20"), to: Some(d("2027-02-05")) });
        let steps = request_clock(&request, d("2027-02-02"));
        assert!(steps[0].unexplained_delay(), "an early years closure does not excuse the 6-week decision");
        request.exceptions.push(Exception { kind: ExceptionKind::OutOfArea, reason: "Family abroad".into(), from: d("2027-01-20"), to: Some(d("2027-02-20")) });
        let steps = request_clock(&request, d("2027-02-02"));
        assert_eq!((steps[0].due, steps[0].status), (Some(d("2027-01-25")), StepState::Late { days: 7 }), "the date does not move");
        assert_eq!(steps[0].explained_by, ["away from the LA's area (reg 5(4)(c)) from 20 Jan 2027 to 20 Feb 2027: Family abroad"]);
    }

    /// Reg 8: a person asked by the LA for advice for an assessment gives it within 6 weeks
    /// of the request. For the school that is its own deadline, on its worklist.
    #[test]
    fn the_schools_advice_is_due_6_weeks_after_the_la_asks_for_it() {
        let today = d("2026-06-20");
        let request = RequestDates::received(d("2026-03-02"));
        let early = record(&request, &RequestEvent::AdviceAsked { date: d("2026-03-10") }, today).unwrap_err();
        assert!(early.to_string().contains("decision to assess before"), "{early}");
        let decided = record(&request, &RequestEvent::Decision { date: d("2026-04-10"), decision: AssessDecision::Assess }, today).unwrap();
        let asked = record(&decided, &RequestEvent::AdviceAsked { date: d("2026-05-04") }, today).unwrap();
        let advice = by_key(&request_clock(&asked, d("2026-06-10")), "adviceGiven").clone();
        assert_eq!((advice.owner.as_str(), advice.due, advice.status), ("school", Some(d("2026-06-15")), StepState::Due { days_left: 5 }));
        let overdue = by_key(&request_clock(&asked, today), "adviceGiven").clone();
        assert_eq!(overdue.status, StepState::Overdue { days: 5 });
        let given = record(&asked, &RequestEvent::AdviceGiven { date: d("2026-06-12") }, today).unwrap();
        assert_eq!(by_key(&request_clock(&given, today), "adviceGiven").status, StepState::OnTime);
        assert!(record(&given, &RequestEvent::AdviceGiven { date: d("2026-06-13") }, today).unwrap_err().to_string().contains("already recorded"));
    }

    #[test]
    fn a_decision_not_to_assess_or_a_notice_of_no_plan_ends_the_later_steps() {
        let mut request = RequestDates::received(d("2026-03-02"));
        request.decision = Some((d("2026-04-10"), AssessDecision::DeclineToAssess));
        let states: Vec<StepState> = request_clock(&request, d("2026-09-01")).iter().map(|s| s.status).collect();
        assert_eq!(states, [StepState::OnTime, StepState::Ended, StepState::Ended, StepState::Ended, StepState::Ended]);
        request.decision = Some((d("2026-04-10"), AssessDecision::Assess));
        request.draft = Some((d("2026-06-01"), DraftOutcome::NoPlan));
        let states: Vec<StepState> = request_clock(&request, d("2026-09-01")).iter().map(|s| s.status).collect();
        assert_eq!(states, [StepState::OnTime, StepState::Ended, StepState::OnTime, StepState::Ended, StepState::Ended]);
    }

    #[test]
    fn steps_are_recorded_in_order_and_never_before_the_request_or_in_the_future() {
        let today = d("2026-09-01");
        let request = RequestDates::received(d("2026-03-02"));
        let early = record(&request, &RequestEvent::Decision { date: d("2026-03-01"), decision: AssessDecision::Assess }, today).unwrap_err();
        assert!(early.to_string().contains("before the LA received the request"), "{early}");
        let future = record(&request, &RequestEvent::Decision { date: d("2026-09-02"), decision: AssessDecision::Assess }, today).unwrap_err();
        assert!(future.to_string().contains("still to come"), "{future}");
        let out_of_order = record(&request, &RequestEvent::FinalPlan { date: d("2026-07-01") }, today).unwrap_err();
        assert!(out_of_order.to_string().contains("record the draft plan before"), "{out_of_order}");
        let decided = record(&request, &RequestEvent::Decision { date: d("2026-04-10"), decision: AssessDecision::Assess }, today).unwrap();
        assert!(record(&decided, &RequestEvent::Decision { date: d("2026-04-11"), decision: AssessDecision::Assess }, today).unwrap_err().to_string().contains("already recorded"));
        let drafted = record(&decided, &RequestEvent::Draft { date: d("2026-06-15"), outcome: DraftOutcome::DraftPlan }, today).unwrap();
        let done = record(&drafted, &RequestEvent::FinalPlan { date: d("2026-07-20") }, today).unwrap();
        assert!(!done.running());
        assert!(record(&done, &RequestEvent::Comments { date: d("2026-07-21") }, today).unwrap_err().to_string().contains("has ended"));
        let declined = record(&request, &RequestEvent::Decision { date: d("2026-04-10"), decision: AssessDecision::DeclineToAssess }, today).unwrap();
        assert!(!declined.running());
        let no_reason = Exception { kind: ExceptionKind::OutOfArea, reason: "  ".into(), from: d("2026-04-01"), to: None };
        assert!(add_exception(&request, &no_reason).is_err());
        let hostile = Exception { reason: "away\u{202E}".into(), ..no_reason.clone() };
        assert!(add_exception(&request, &hostile).is_err(), "reversed text is refused");
    }

    /// Reg 18(1): a child "within 12 months of a transfer between phases" has the plan
    /// reviewed and amended before "15 February" in the calendar year of transfer, or
    /// before "31 March" from secondary school to a post-16 institution.
    #[test]
    fn a_phase_transfer_review_falls_before_15_february_or_31_march_of_the_year_of_the_move() {
        use crate::school::Phase;
        let autumn = d("2026-10-05");
        let year6 = phase_transfer(Phase::Primary, 6, autumn).unwrap();
        assert_eq!((year6.what.as_str(), year6.deadline, year6.from), ("Year 6 to secondary school", d("2027-02-14"), d("2026-09-01")));
        assert_eq!(phase_transfer(Phase::Primary, 6, d("2027-07-20")).unwrap().deadline, d("2027-02-14"), "the same school year, after the deadline");
        assert_eq!(phase_transfer(Phase::Secondary, 11, autumn).unwrap().deadline, d("2027-03-30"));
        assert_eq!(phase_transfer(Phase::Infant, 2, autumn).unwrap().what, "Year 2 to junior school");
        assert_eq!(phase_transfer(Phase::Junior, 6, autumn).unwrap().deadline, d("2027-02-14"));
        assert_eq!(phase_transfer(Phase::AllThrough, 6, autumn), None, "an all-through school's Year 6 stay");
        assert_eq!(phase_transfer(Phase::Primary, 2, autumn), None, "a primary school's Year 2 stay");
        assert_eq!(phase_transfer(Phase::Primary, -1, autumn).unwrap().what, "Nursery to Reception");
        assert_eq!(phase_transfer(Phase::Secondary, 6, autumn), None);
    }

    #[test]
    fn an_annual_review_is_due_within_12_months_with_papers_before_and_a_report_after() {
        let review = ReviewDates { meeting: Some(d("2025-02-20")), papers_sent: Some(d("2025-02-10")), ..ReviewDates::from(d("2024-02-29"), false) };
        let steps = review_clock(&review, d("2025-03-10"), false);
        let meeting = by_key(&steps, "meeting");
        assert_eq!(meeting.due, Some(d("2025-02-28")), "12 months from 29 February is 28 February");
        assert_eq!(meeting.status, StepState::OnTime);
        let papers = by_key(&steps, "papers");
        assert_eq!((papers.due, papers.status), (Some(d("2025-02-06")), StepState::Late { days: 4 }));
        let report = by_key(&steps, "report");
        assert_eq!((report.due, report.status), (Some(d("2025-03-06")), StepState::Overdue { days: 4 }));
        assert!(steps.iter().all(|s| s.key != "laDecision"), "tracking began from the plan, not a meeting");

        let not_yet = review_clock(&ReviewDates::from(d("2025-06-01"), false), d("2026-06-03"), false);
        assert_eq!(by_key(&not_yet, "meeting").status, StepState::Overdue { days: 2 });
        assert_eq!((by_key(&not_yet, "papers").status, by_key(&not_yet, "report").status), (StepState::NotYet, StepState::NotYet));
    }

    /// Reg 20(3): "At least two weeks' notice of the date of the meeting must be given"; reg
    /// 20(10): the LA decides within 4 weeks of the meeting; reg 22(2)(c): proposed
    /// amendments give "at least 15 days, beginning with the day on which the draft plan was
    /// served"; reg 22(3): the amended plan "within 8 weeks of the local authority sending a
    /// copy". From Year 9 the review considers preparation for adulthood (reg 20).
    #[test]
    fn after_a_review_meeting_the_la_decides_in_4_weeks_and_an_amended_plan_follows_in_8() {
        let booked = ReviewDates { meeting: Some(d("2026-11-20")), ..ReviewDates::from(d("2025-11-25"), false) };
        let notice = by_key(&review_clock(&booked, d("2026-11-01"), false), "notice").clone();
        assert_eq!((notice.due, notice.owner.as_str(), notice.status), (Some(d("2026-11-06")), "school", StepState::Due { days_left: 5 }));
        let year9 = review_clock(&booked, d("2026-11-01"), true);
        assert!(by_key(&year9, "meeting").step.contains("preparation for adulthood and independent living (from Year 9, reg 20)"));

        let mut after = ReviewDates::from(d("2026-11-20"), true);
        let decision = by_key(&review_clock(&after, d("2026-12-20"), false), "laDecision").clone();
        assert_eq!((decision.due, decision.owner.as_str(), decision.status), (Some(d("2026-12-18")), "la", StepState::Overdue { days: 2 }));
        after.la_decision = Some((d("2026-12-10"), ReviewOutcome::Amend));
        after.amendments_sent = Some(d("2026-12-10"));
        let steps = review_clock(&after, d("2026-12-24"), false);
        assert_eq!(by_key(&steps, "laDecision").status, StepState::OnTime);
        let comments = by_key(&steps, "amendments");
        assert_eq!((comments.due, comments.status), (Some(d("2026-12-24")), StepState::WindowOpen { days_left: 0 }), "15 days counting 10 December");
        assert_eq!(by_key(&steps, "amendedPlan").due, Some(d("2027-02-04")), "8 weeks from 10 December");
        assert!(by_key(&review_clock(&after, d("2027-01-30"), false), "amendments").status == StepState::WindowRun, "the family is never late");
        after.la_decision = Some((d("2026-12-10"), ReviewOutcome::Keep));
        assert!(review_clock(&after, d("2026-12-24"), false).iter().all(|s| s.key != "amendedPlan"), "no amendments when the plan is kept");
    }

    #[test]
    fn the_form_offers_exactly_the_steps_the_rules_would_record() {
        // Whatever has happened so far, `can_record` lists a step if and only if `record`
        // accepts it on a day no earlier than everything before it (the walk records every
        // step on one day, which `record` allows).
        let received = d("2026-01-05");
        let today = d("2026-12-01");
        let day = d("2026-11-30");
        let event = |step: RequestStep| match step {
            RequestStep::Decision => RequestEvent::Decision { date: day, decision: AssessDecision::Assess },
            RequestStep::AdviceAsked => RequestEvent::AdviceAsked { date: day },
            RequestStep::AdviceGiven => RequestEvent::AdviceGiven { date: day },
            RequestStep::Draft => RequestEvent::Draft { date: day, outcome: DraftOutcome::DraftPlan },
            RequestStep::Comments => RequestEvent::Comments { date: day },
            RequestStep::FinalPlan => RequestEvent::FinalPlan { date: day },
        };
        // Every state reachable by recording steps in order, from a fresh request.
        let mut states = vec![RequestDates::received(received)];
        let mut declined = RequestDates::received(received);
        declined.decision = Some((d("2026-02-01"), AssessDecision::DeclineToAssess));
        states.push(declined);
        let mut seen = 0;
        while seen < states.len() {
            let state = states[seen].clone();
            seen += 1;
            let offered = state.can_record();
            for step in RequestStep::ALL {
                let recorded = record(&state, &event(step), today);
                assert_eq!(offered.contains(&step), recorded.is_ok(), "{step:?} after {state:?}: {recorded:?}");
                if let Ok(next) = recorded {
                    if states.len() < 200 && !states.contains(&next) {
                        states.push(next);
                    }
                }
            }
        }
        assert!(seen > 8, "the walk reached {seen} states");
    }

}
