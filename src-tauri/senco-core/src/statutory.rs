//! The statutory clock: when each step of an EHC needs assessment is due, and each step of
//! an EHC plan's annual review, as pure functions of their dates (no clock, no store).
//!
//! Weeks are counted in calendar days, as the SEND Regulations 2014 count them: the clock
//! starts on the day the local authority receives the request, and "within 6 weeks" means
//! by that day plus 42 days. Exceptions to the time limits (regs 10(4) and 13(3)) are
//! recorded with a reason; they explain a late step, they never move its date.

use chrono::{Months, NaiveDate};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::dates;
use crate::error::{Error, Result};
use crate::text;

/// Days from the request's receipt to the LA's decision whether to assess (reg 5).
pub const DECISION_DAYS: i64 = 6 * 7;
/// Days to the draft plan or the notice that no plan will be issued (reg 10).
pub const DRAFT_DAYS: i64 = 16 * 7;
/// Days from the draft plan for the parent's or young person's comments.
pub const COMMENT_DAYS: i64 = 15;
/// Days to the final EHC plan (reg 13).
pub const FINAL_DAYS: i64 = 20 * 7;
/// An annual review's papers go out at least this many days before the meeting, and the
/// school's report within this many days after it.
pub const REVIEW_PAPERS_DAYS: i64 = 14;

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

/// The exceptions the regulations allow to their time limits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum ExceptionKind {
    /// The school was closed, or the pupil absent, for 4 weeks or more.
    SchoolClosed,
    /// Exceptional personal circumstances of the child, young person or parent.
    PersonalCircumstances,
    /// The child, young person or parent was out of the area for 4 weeks or more.
    OutOfArea,
}

impl ExceptionKind {
    pub const ALL: [ExceptionKind; 3] = [ExceptionKind::SchoolClosed, ExceptionKind::PersonalCircumstances, ExceptionKind::OutOfArea];

    pub fn label(self) -> &'static str {
        match self {
            ExceptionKind::SchoolClosed => "school closed or pupil absent for 4 weeks or more",
            ExceptionKind::PersonalCircumstances => "exceptional personal circumstances",
            ExceptionKind::OutOfArea => "out of the area for 4 weeks or more",
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
}

impl RequestDates {
    /// A request just sent: only its receipt is known.
    pub fn received(received: NaiveDate) -> RequestDates {
        RequestDates { received, decision: None, draft: None, comments: None, final_plan: None, exceptions: Vec::new() }
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
}

/// Something that happened to a request, as the SENCO records it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", rename_all_fields = "camelCase", tag = "step")]
#[ts(export)]
pub enum RequestEvent {
    Decision { date: NaiveDate, decision: AssessDecision },
    Draft { date: NaiveDate, outcome: DraftOutcome },
    Comments { date: NaiveDate },
    FinalPlan { date: NaiveDate },
}

fn refuse(field: &str, message: String) -> Error {
    Error::invalid(field, message)
}

/// The request with `event` recorded, or why it cannot be: a date before the request was
/// received, after `today`, or before the step it follows; a step out of order; a step
/// already recorded; or a step after the process has ended.
pub fn record(request: &RequestDates, event: &RequestEvent, today: NaiveDate) -> Result<RequestDates> {
    let date = match event {
        RequestEvent::Decision { date, .. } | RequestEvent::Draft { date, .. } | RequestEvent::Comments { date } | RequestEvent::FinalPlan { date } => *date,
    };
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
            .map(|e| match e.to {
                Some(to) => format!("{} from {} to {}: {}", e.kind.label(), dates::short(e.from), dates::short(to), e.reason),
                None => format!("{} from {}: {}", e.kind.label(), dates::short(e.from), e.reason),
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

/// The four steps of an EHC needs assessment on `today`: the decision whether to assess,
/// the draft plan or notice of no plan, the family's comments on a draft, and the final
/// plan. A decision not to assess, or a notice of no plan, ends the later steps.
pub fn request_clock(request: &RequestDates, today: NaiveDate) -> Vec<ClockStep> {
    let start = request.received;
    let exceptions = &request.exceptions;
    let mut steps = vec![step(
        "decision",
        "The LA decides whether to assess",
        "la",
        "6 weeks from the request",
        start,
        add(start, DECISION_DAYS),
        request.decision.map(|(day, _)| day),
        today,
        exceptions,
    )];
    let declined = matches!(request.decision, Some((_, AssessDecision::DeclineToAssess)));
    let (draft_key, draft_step, draft_limit) = ("draft", "The LA sends a draft plan, or says it will not issue one", "16 weeks from the request");
    steps.push(if declined {
        waiting(draft_key, draft_step, "la", draft_limit, StepState::Ended)
    } else {
        step(draft_key, draft_step, "la", draft_limit, start, add(start, DRAFT_DAYS), request.draft.map(|(day, _)| day), today, exceptions)
    });
    let no_plan = matches!(request.draft, Some((_, DraftOutcome::NoPlan)));
    let (comments_key, comments_step, comments_limit) = ("comments", "The family comments on the draft and may ask for a school to be named", "15 days from the draft");
    steps.push(match request.draft {
        _ if declined || no_plan => waiting(comments_key, comments_step, "family", comments_limit, StepState::Ended),
        Some((drafted, _)) => step(comments_key, comments_step, "family", comments_limit, drafted, add(drafted, COMMENT_DAYS), request.comments, today, exceptions),
        None => waiting(comments_key, comments_step, "family", comments_limit, StepState::NotYet),
    });
    let (final_key, final_step, final_limit) = ("finalPlan", "The LA issues the final EHC plan", "20 weeks from the request");
    steps.push(if declined || no_plan {
        waiting(final_key, final_step, "la", final_limit, StepState::Ended)
    } else {
        step(final_key, final_step, "la", final_limit, start, add(start, FINAL_DAYS), request.final_plan, today, exceptions)
    });
    steps
}

/// An EHC plan's annual review, as far as it has gone.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ReviewDates {
    /// The last review meeting, or the day the plan was finalised if there has been none.
    pub last: NaiveDate,
    /// The next meeting, planned or held.
    pub meeting: Option<NaiveDate>,
    pub papers_sent: Option<NaiveDate>,
    pub report_sent: Option<NaiveDate>,
}

/// The day 12 calendar months after `date` (29 February gives 28 February).
pub fn twelve_months_after(date: NaiveDate) -> NaiveDate {
    date.checked_add_months(Months::new(12)).expect("a date a year on exists")
}

/// The three steps of an annual review on `today`: the meeting within 12 months of the last,
/// the papers out 2 weeks before it, and the school's report within 2 weeks after it.
pub fn review_clock(review: &ReviewDates, today: NaiveDate) -> Vec<ClockStep> {
    let due = twelve_months_after(review.last);
    let held = review.meeting.filter(|m| *m <= today);
    let mut steps = Vec::new();
    let (papers_key, papers_step, papers_limit) = ("papers", "The school sends out the review's papers", "2 weeks before the meeting");
    steps.push(match review.meeting {
        Some(meeting) => step(papers_key, papers_step, "school", papers_limit, review.last, add(meeting, -REVIEW_PAPERS_DAYS), review.papers_sent, today, &[]),
        None => waiting(papers_key, papers_step, "school", papers_limit, StepState::NotYet),
    });
    steps.push(step("meeting", "The annual review meeting is held", "school", "12 months from the last review", review.last, due, held, today, &[]));
    let (report_key, report_step, report_limit) = ("report", "The school sends its report of the review to the LA", "2 weeks after the meeting");
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

    /// Worked example: a request received on Monday 2 March 2026. Six weeks is 42 days
    /// (Monday 13 April), sixteen weeks 112 days (Monday 22 June), twenty weeks 140 days
    /// (Monday 20 July); each falls on the same weekday as the receipt.
    #[test]
    fn a_request_received_on_2_march_2026_runs_to_20_july() {
        let steps = request_clock(&RequestDates::received(d("2026-03-02")), d("2026-03-02"));
        let expected = [Some("2026-04-13".to_string()), Some("2026-06-22".to_string()), None, Some("2026-07-20".to_string())];
        assert_eq!(dues(&steps), expected);
        assert_eq!(steps[0].status, StepState::Due { days_left: 42 });
        assert_eq!(steps[2].status, StepState::NotYet, "the comments wait for a draft");
        let tags: Vec<String> = [
            RequestEvent::Decision { date: d("2026-04-01"), decision: AssessDecision::Assess },
            RequestEvent::Draft { date: d("2026-04-01"), outcome: DraftOutcome::DraftPlan },
            RequestEvent::Comments { date: d("2026-04-01") },
            RequestEvent::FinalPlan { date: d("2026-04-01") },
        ]
        .iter()
        .map(|e| serde_json::to_value(e).unwrap()["step"].as_str().unwrap().to_string())
        .collect();
        assert_eq!(steps.iter().map(|s| s.key.clone()).collect::<Vec<_>>(), tags, "each step's key is how it is recorded");
    }

    /// Worked example across a leap day and the clocks changing: received 20 February 2028.
    #[test]
    fn weeks_are_calendar_days_across_a_leap_day() {
        let steps = request_clock(&RequestDates::received(d("2028-02-20")), d("2028-02-20"));
        assert_eq!(steps[0].due, Some(d("2028-04-02")), "20 Feb + 42 days, with 29 Feb in between");
        assert_eq!(steps[3].due, Some(d("2028-07-09")));
    }

    #[test]
    fn late_steps_say_by_how_much_and_an_exception_explains_without_moving_the_date() {
        let mut request = RequestDates::received(d("2026-03-02"));
        request.decision = Some((d("2026-04-20"), AssessDecision::Assess));
        request.draft = Some((d("2026-06-15"), DraftOutcome::DraftPlan));
        let steps = request_clock(&request, d("2026-07-27"));
        assert_eq!(steps[0].status, StepState::Late { days: 7 });
        assert!(steps[0].unexplained_delay());
        assert_eq!(steps[1].status, StepState::OnTime);
        assert_eq!((steps[2].due, steps[2].status), (Some(d("2026-06-30")), StepState::Overdue { days: 27 }), "15 days from the draft");
        assert_eq!((steps[3].due, steps[3].status), (Some(d("2026-07-20")), StepState::Overdue { days: 7 }));

        request.exceptions.push(Exception {
            kind: ExceptionKind::SchoolClosed,
            reason: "Easter holiday and a flood closed the school".into(),
            from: d("2026-03-30"),
            to: Some(d("2026-04-27")),
        });
        let explained = request_clock(&request, d("2026-07-27"));
        assert_eq!(explained[0].due, Some(d("2026-04-13")), "the date does not move");
        assert_eq!(explained[0].status, StepState::Late { days: 7 });
        assert!(!explained[0].unexplained_delay());
        assert!(explained[0].explained_by[0].contains("30 Mar 2026 to 27 Apr 2026: Easter holiday"), "{:?}", explained[0].explained_by);
        assert!(explained[2].explained_by.is_empty(), "the closure was over before the draft came");
    }

    #[test]
    fn a_decision_not_to_assess_or_a_notice_of_no_plan_ends_the_later_steps() {
        let mut request = RequestDates::received(d("2026-03-02"));
        request.decision = Some((d("2026-04-10"), AssessDecision::DeclineToAssess));
        let states: Vec<StepState> = request_clock(&request, d("2026-09-01")).iter().map(|s| s.status).collect();
        assert_eq!(states, [StepState::OnTime, StepState::Ended, StepState::Ended, StepState::Ended]);
        request.decision = Some((d("2026-04-10"), AssessDecision::Assess));
        request.draft = Some((d("2026-06-01"), DraftOutcome::NoPlan));
        let states: Vec<StepState> = request_clock(&request, d("2026-09-01")).iter().map(|s| s.status).collect();
        assert_eq!(states, [StepState::OnTime, StepState::OnTime, StepState::Ended, StepState::Ended]);
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

    #[test]
    fn an_annual_review_is_due_within_12_months_with_papers_before_and_a_report_after() {
        let review = ReviewDates { last: d("2024-02-29"), meeting: Some(d("2025-02-20")), papers_sent: Some(d("2025-02-10")), report_sent: None };
        let steps = review_clock(&review, d("2025-03-10"));
        assert_eq!(steps[1].due, Some(d("2025-02-28")), "12 months from 29 February is 28 February");
        assert_eq!(steps[0].due, Some(d("2025-02-06")));
        assert_eq!(steps[0].status, StepState::Late { days: 4 });
        assert_eq!(steps[1].status, StepState::OnTime);
        assert_eq!((steps[2].due, steps[2].status), (Some(d("2025-03-06")), StepState::Overdue { days: 4 }));

        let not_yet = review_clock(&ReviewDates { last: d("2025-06-01"), meeting: None, papers_sent: None, report_sent: None }, d("2026-06-03"));
        assert_eq!(not_yet[1].status, StepState::Overdue { days: 2 });
        assert_eq!((not_yet[0].status, not_yet[2].status), (StepState::NotYet, StepState::NotYet));
    }
}
