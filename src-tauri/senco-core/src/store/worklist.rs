//! The worklist: what is due, across the whole school, most urgent first. Each kind is one
//! indexed query over the pupils on roll, so the cost per pupil does not grow with the
//! school (see `docs/benchmarks.md`).

use chrono::{Datelike, Duration, NaiveDate};
use rusqlite::params;
use serde::Serialize;
use ts_rs::TS;

use crate::dates;
use crate::error::Result;
use crate::pupil::{academic_year, PupilId};

use super::Store;

/// How far ahead a review counts as due.
pub const DUE_SOON_DAYS: i64 = 14;

/// Parent meetings expected in an academic year for a pupil on SEN support (CoP 6.65).
pub const MEETINGS_A_YEAR: i64 = 3;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum WorkKind {
    ReviewOverdue,
    ReviewDue,
    NoOpenCycle,
    NoParentNotice,
    FewParentMeetings,
    RecommendationNotActedOn,
    /// A step the LA owes on an EHC needs assessment request is late, or due within the
    /// next 14 days.
    RequestStepDue,
    /// The school's own advice for an EHC needs assessment, which the LA asked for, is late
    /// or due within the next 14 days (6 weeks from the LA's request, reg 8).
    AdviceDue,
    /// A step of an EHC plan's annual review (papers, meeting, the school's report) is late,
    /// or due within the next 14 days.
    AnnualReviewDue,
    /// A pupil with an EHC plan moves phase at the end of this school year: the plan must be
    /// reviewed and amended before 15 February (31 March to a post-16 institution, reg 18),
    /// and no review meeting is recorded yet this school year.
    PhaseTransferReview,
}

impl WorkKind {
    pub const ALL: [WorkKind; 10] = [
        WorkKind::ReviewOverdue,
        WorkKind::ReviewDue,
        WorkKind::NoOpenCycle,
        WorkKind::NoParentNotice,
        WorkKind::FewParentMeetings,
        WorkKind::RecommendationNotActedOn,
        WorkKind::RequestStepDue,
        WorkKind::AdviceDue,
        WorkKind::AnnualReviewDue,
        WorkKind::PhaseTransferReview,
    ];

    pub fn label(self) -> &'static str {
        match self {
            WorkKind::ReviewOverdue => "Review overdue",
            WorkKind::ReviewDue => "Review due soon",
            WorkKind::NoOpenCycle => "No open support cycle",
            WorkKind::NoParentNotice => "Parents not yet told formally",
            WorkKind::FewParentMeetings => "Parent meetings behind",
            WorkKind::RecommendationNotActedOn => "Specialist advice not acted on",
            WorkKind::RequestStepDue => "EHC needs assessment: the LA's next step",
            WorkKind::AdviceDue => "EHC needs assessment: our advice is due",
            WorkKind::AnnualReviewDue => "EHC plan annual review",
            WorkKind::PhaseTransferReview => "EHC plan: review before the move to the next phase",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct WorkItem {
    pub kind: WorkKind,
    pub label: String,
    pub pupil_id: PupilId,
    pub upn: String,
    pub name: String,
    /// ISO date the thing was or is due.
    pub due: String,
    pub overdue: bool,
    /// One line saying what is wrong, in words.
    pub detail: String,
    /// The cycle concerned, where there is one.
    pub cycle: Option<u32>,
}

/// The start of `today`'s academic year, its length in days, and how many parent meetings
/// are expected by `today`: three a year, pro rata, rounded down.
pub fn meetings_expected(today: NaiveDate) -> (NaiveDate, i64, i64) {
    let year_start = NaiveDate::from_ymd_opt(academic_year(today), 9, 1).expect("1 September exists");
    let year_days = (NaiveDate::from_ymd_opt(year_start.year() + 1, 9, 1).expect("exists") - year_start).num_days();
    let elapsed = (today - year_start).num_days();
    (year_start, year_days, MEETINGS_A_YEAR * elapsed / year_days)
}

impl Store {
    /// Everything due on `today`, most urgent first: overdue items by how long they have
    /// waited, then the rest by due date.
    pub fn worklist(&self, today: NaiveDate) -> Result<Vec<WorkItem>> {
        let on_roll = "(p.leaving_date IS NULL OR p.leaving_date >= ?1)";
        let name = "CASE WHEN p.preferred_forename = '' THEN p.legal_forename ELSE p.preferred_forename END || ' ' || CASE WHEN p.preferred_surname = '' THEN p.legal_surname ELSE p.preferred_surname END";
        let mut items = Vec::new();
        let mut push = |kind: WorkKind, id: i64, upn: String, name: String, due: NaiveDate, detail: String, cycle: Option<u32>| {
            items.push(WorkItem { kind, label: kind.label().to_string(), pupil_id: PupilId(id), upn, name, due: due.to_string(), overdue: due < today, detail, cycle });
        };

        let soon = today + Duration::days(DUE_SOON_DAYS);
        let sql = format!("SELECT p.id, p.upn, {name}, c.number, c.review_due FROM cycle c JOIN pupil p ON p.id = c.pupil_id WHERE c.locked_on IS NULL AND c.review_due <= ?2 AND {on_roll}");
        let mut statement = self.conn.prepare_cached(&sql)?;
        let mut rows = statement.query(params![today, soon])?;
        while let Some(r) = rows.next()? {
            let due: NaiveDate = r.get(4)?;
            let number: u32 = r.get(3)?;
            let (kind, detail) = if due < today {
                (WorkKind::ReviewOverdue, format!("cycle {number}'s review was due on {}, {} days ago", dates::short(due), (today - due).num_days()))
            } else {
                (WorkKind::ReviewDue, format!("cycle {number}'s review is due on {}", dates::short(due)))
            };
            push(kind, r.get(0)?, r.get(1)?, r.get(2)?, due, detail, Some(number));
        }

        let sql = format!(
            "SELECT p.id, p.upn, {name}, p.current_status,
                    coalesce((SELECT c.next_review FROM cycle c WHERE c.pupil_id = p.id ORDER BY c.number DESC LIMIT 1),
                             (SELECT s.start_date FROM sen_status s WHERE s.pupil_id = p.id AND s.end_date IS NULL))
             FROM pupil p WHERE p.current_status IN ('K', 'E') AND {on_roll}
               AND NOT EXISTS (SELECT 1 FROM cycle c WHERE c.pupil_id = p.id AND c.locked_on IS NULL)"
        );
        let mut statement = self.conn.prepare_cached(&sql)?;
        let mut rows = statement.query(params![today])?;
        while let Some(r) = rows.next()? {
            let status: String = r.get(3)?;
            let due: NaiveDate = r.get::<_, Option<NaiveDate>>(4)?.unwrap_or(today);
            let on = if status == "E" { "an EHC plan" } else { "SEN support" };
            push(WorkKind::NoOpenCycle, r.get(0)?, r.get(1)?, r.get(2)?, due, format!("on {on} with no open assess-plan-do-review cycle"), None);
        }

        let sql = format!("SELECT p.id, p.upn, {name}, c.number, c.plan_date FROM cycle c JOIN pupil p ON p.id = c.pupil_id WHERE c.locked_on IS NULL AND c.plan_date IS NOT NULL AND c.parent_notice_on IS NULL AND {on_roll}");
        let mut statement = self.conn.prepare_cached(&sql)?;
        let mut rows = statement.query(params![today])?;
        while let Some(r) = rows.next()? {
            let due: NaiveDate = r.get(4)?;
            let number: u32 = r.get(3)?;
            push(WorkKind::NoParentNotice, r.get(0)?, r.get(1)?, r.get(2)?, due, format!("cycle {number} was planned on {} with no record of the formal notice to parents", dates::short(due)), Some(number));
        }

        let (year_start, year_days, expected) = meetings_expected(today);
        if expected > 0 {
            let sql = format!(
                "SELECT p.id, p.upn, {name}, (SELECT count(*) FROM parent_meeting m WHERE m.pupil_id = p.id AND m.date >= ?2 AND m.date <= ?1) AS held
                 FROM pupil p WHERE p.current_status IN ('K', 'E') AND {on_roll} AND held < ?3"
            );
            let mut statement = self.conn.prepare_cached(&sql)?;
            let mut rows = statement.query(params![today, year_start, expected])?;
            while let Some(r) = rows.next()? {
                let held: i64 = r.get(3)?;
                // The day by which the next meeting was due, pro rata through the year.
                let due = year_start + Duration::days(((held + 1) * year_days + MEETINGS_A_YEAR - 1) / MEETINGS_A_YEAR);
                let detail = format!("{held} parent meeting{} this school year; {expected} expected by now (three a year)", if held == 1 { "" } else { "s" });
                push(WorkKind::FewParentMeetings, r.get(0)?, r.get(1)?, r.get(2)?, due, detail, None);
            }
        }

        let sql = format!(
            "SELECT p.id, p.upn, {name}, i.service, coalesce(i.report_date, i.seen_date, i.referral_date), count(*)
             FROM recommendation r JOIN involvement i ON i.id = r.involvement_id JOIN pupil p ON p.id = i.pupil_id
             WHERE r.acted_on IS NULL AND {on_roll} GROUP BY i.id"
        );
        let mut statement = self.conn.prepare_cached(&sql)?;
        let mut rows = statement.query(params![today])?;
        while let Some(r) = rows.next()? {
            let service: String = r.get(3)?;
            let due = r.get::<_, Option<NaiveDate>>(4)?.unwrap_or(today);
            let count: i64 = r.get(5)?;
            let detail = format!("{count} recommendation{} from {} not yet acted on", if count == 1 { "" } else { "s" }, crate::people::Service::label_for(&service));
            push(WorkKind::RecommendationNotActedOn, r.get(0)?, r.get(1)?, r.get(2)?, due, detail, None);
        }

        // Running requests for an EHC needs assessment: each is a handful of dates, so the
        // clock runs here, in Rust, on the few that are running.
        let sql = format!("SELECT p.id, p.upn, {name}, r.dates FROM ehc_request r JOIN pupil p ON p.id = r.pupil_id WHERE r.running = 1 AND {on_roll}");
        let mut statement = self.conn.prepare_cached(&sql)?;
        let mut rows = statement.query(params![today])?;
        while let Some(r) = rows.next()? {
            let request = super::requests::read_dates(&r.get::<_, String>(3)?)?;
            // The LA's next step that is late or near, and the school's own advice (reg 8);
            // the family's window is never work that is due.
            for (owner, kind) in [("la", WorkKind::RequestStepDue), ("school", WorkKind::AdviceDue)] {
                for step in crate::statutory::request_clock(&request, today) {
                    let Some(due) = step.due.filter(|_| step.owner == owner) else { continue };
                    let detail = match step.status {
                        crate::statutory::StepState::Overdue { days } if step.explained_by.is_empty() => format!("{}: due {}, {days} days ago", step.step, dates::short(due)),
                        crate::statutory::StepState::Overdue { days } => format!("{}: due {}, {days} days ago ({})", step.step, dates::short(due), step.explained_by.join("; ")),
                        crate::statutory::StepState::Due { days_left } if step.key == "draft" && days_left <= DUE_SOON_DAYS as i32 => format!("{}: {}", step.step, step.status_text),
                        crate::statutory::StepState::Due { days_left } if days_left <= DUE_SOON_DAYS as i32 => format!("{}: due {}", step.step, dates::short(due)),
                        _ => continue,
                    };
                    push(kind, r.get(0)?, r.get(1)?, r.get(2)?, due, detail, None);
                    break;
                }
            }
        }

        // EHC plans' current annual reviews: the LA's follow-up to the last meeting and the
        // next review's steps, the first that is late or near.
        let columns = super::records::REVIEW_COLUMNS.split(", ").map(|c| format!("r.{c}")).collect::<Vec<_>>().join(", ");
        let sql = format!(
            "SELECT p.id, p.upn, {name}, p.nc_year, {columns} FROM annual_review r JOIN pupil p ON p.id = r.pupil_id
             WHERE p.current_status = 'E' AND {on_roll}
               AND NOT EXISTS (SELECT 1 FROM annual_review later WHERE later.pupil_id = r.pupil_id AND (later.last > r.last OR later.last = r.last AND later.id > r.id))"
        );
        let mut statement = self.conn.prepare_cached(&sql)?;
        let mut rows = statement.query(params![today])?;
        while let Some(r) = rows.next()? {
            let review = super::records::review_dates(r, 4)?;
            let from_year_9 = r.get::<_, i32>(3)? >= 9;
            for step in crate::statutory::review_clock(&review, today, from_year_9) {
                let Some(due) = step.due.filter(|_| step.done.is_none()) else { continue };
                let detail = match step.status {
                    crate::statutory::StepState::Overdue { days } => format!("{}: due {}, {days} days ago", step.step, dates::short(due)),
                    crate::statutory::StepState::Due { days_left } if days_left <= DUE_SOON_DAYS as i32 => format!("{}: due {}", step.step, dates::short(due)),
                    _ => continue,
                };
                push(WorkKind::AnnualReviewDue, r.get(0)?, r.get(1)?, r.get(2)?, due, detail, None);
                break;
            }
        }

        // Pupils with an EHC plan who move phase at the end of this school year (reg 18): from
        // September, until a review meeting is held this school year.
        let phase = self.school().phase;
        let sql = format!(
            "SELECT p.id, p.upn, {name}, p.nc_year,
                    (SELECT max(r.meeting) FROM annual_review r WHERE r.pupil_id = p.id AND r.meeting <= ?1)
             FROM pupil p WHERE p.current_status = 'E' AND {on_roll}"
        );
        let mut statement = self.conn.prepare_cached(&sql)?;
        let mut rows = statement.query(params![today])?;
        while let Some(r) = rows.next()? {
            let Some(transfer) = crate::statutory::phase_transfer(phase, r.get(3)?, today) else { continue };
            let held: Option<NaiveDate> = r.get::<_, Option<String>>(4)?.and_then(|t| t.parse().ok());
            if held.is_some_and(|day| day >= transfer.from) {
                continue;
            }
            let before = transfer.deadline + Duration::days(1);
            let detail = format!(
                "{}: the EHC plan must be reviewed and amended, naming the next setting, before {} (reg 18); no review meeting is recorded this school year",
                transfer.what,
                dates::short(before)
            );
            push(WorkKind::PhaseTransferReview, r.get(0)?, r.get(1)?, r.get(2)?, transfer.deadline, detail, None);
        }

        items.sort_by(|a, b| b.overdue.cmp(&a.overdue).then(a.due.cmp(&b.due)).then(a.kind.cmp(&b.kind)).then(a.name.cmp(&b.name)));
        Ok(items)
    }
}
