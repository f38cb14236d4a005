//! Consents, staff training and EHC plans' annual reviews: the records the evidence packs
//! and the statutory clock need beyond the graduated approach.

use chrono::NaiveDate;
use rusqlite::{params, OptionalExtension};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::census::{BroadArea, SenStatus};
use crate::dates;
use crate::error::{Error, FieldProblem, Result};
use crate::people::{Consent, ConsentKind, Training};
use crate::pupil::PupilId;
use crate::statutory::{self, ClockStep, ReviewDates, ReviewOutcome};
use crate::Stamp;

use super::{audit, Cached, Store};

/// A stored consent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ConsentRecord {
    #[ts(type = "number")]
    pub id: i64,
    pub kind_label: String,
    /// Given on or before the day it was read, and not withdrawn by then.
    pub stands: bool,
    #[serde(flatten)]
    pub consent: Consent,
}

/// A stored training record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct TrainingRecord {
    #[ts(type = "number")]
    pub id: i64,
    pub area_label: String,
    #[serde(flatten)]
    pub training: Training,
}

/// A pupil's annual review: its dates and the clock on the day it was read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct AnnualReview {
    #[ts(type = "number")]
    pub id: i64,
    pub dates: ReviewDates,
    pub steps: Vec<ClockStep>,
}

/// What happened in an annual review.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "step", rename_all = "camelCase")]
#[ts(export)]
pub enum ReviewEvent {
    /// The LA decided, after the last review meeting, to keep, amend or cease the plan.
    LaKeeps { date: NaiveDate },
    LaAmends { date: NaiveDate },
    LaCeases { date: NaiveDate },
    /// The LA sent its proposed amendments to the family.
    Amendments { date: NaiveDate },
    /// The LA issued the amended plan.
    AmendedPlan { date: NaiveDate },
    /// The meeting is booked for `date` (or was held then).
    Meeting { date: NaiveDate },
    /// Everyone was told the meeting's date.
    Notice { date: NaiveDate },
    /// The papers went out.
    Papers { date: NaiveDate },
    /// The school's report of the meeting went to the LA; the next review runs from the
    /// meeting, and the LA's decision on this one is tracked with it.
    Report { date: NaiveDate },
}

/// The steps of an annual review that are recorded, for the form that records them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum ReviewStep {
    LaKeeps,
    LaAmends,
    LaCeases,
    Amendments,
    AmendedPlan,
    Meeting,
    Notice,
    Papers,
    Report,
}

impl ReviewStep {
    pub const ALL: [ReviewStep; 9] = [
        ReviewStep::LaKeeps,
        ReviewStep::LaAmends,
        ReviewStep::LaCeases,
        ReviewStep::Amendments,
        ReviewStep::AmendedPlan,
        ReviewStep::Meeting,
        ReviewStep::Notice,
        ReviewStep::Papers,
        ReviewStep::Report,
    ];

    pub fn label(self) -> &'static str {
        match self {
            ReviewStep::LaKeeps => "The LA decided to keep the plan as it is, on",
            ReviewStep::LaAmends => "The LA decided to amend the plan, on",
            ReviewStep::LaCeases => "The LA decided to cease the plan, on",
            ReviewStep::Amendments => "The LA sent the proposed amendments on",
            ReviewStep::AmendedPlan => "The LA issued the amended plan on",
            ReviewStep::Meeting => "The meeting is booked or held on",
            ReviewStep::Notice => "Everyone was told the meeting's date on",
            ReviewStep::Papers => "The papers were sent on",
            ReviewStep::Report => "The school's report was sent on",
        }
    }
}

impl ReviewStep {
    /// The event this step records, on `date`.
    pub fn event(self, date: NaiveDate) -> ReviewEvent {
        match self {
            ReviewStep::LaKeeps => ReviewEvent::LaKeeps { date },
            ReviewStep::LaAmends => ReviewEvent::LaAmends { date },
            ReviewStep::LaCeases => ReviewEvent::LaCeases { date },
            ReviewStep::Amendments => ReviewEvent::Amendments { date },
            ReviewStep::AmendedPlan => ReviewEvent::AmendedPlan { date },
            ReviewStep::Meeting => ReviewEvent::Meeting { date },
            ReviewStep::Notice => ReviewEvent::Notice { date },
            ReviewStep::Papers => ReviewEvent::Papers { date },
            ReviewStep::Report => ReviewEvent::Report { date },
        }
    }
}

/// The columns of `annual_review` that `review_dates` reads, in its order.
pub(crate) const REVIEW_COLUMNS: &str = "last, after_meeting, la_decision, la_outcome, amendments_sent, amended_plan, meeting, notice_sent, papers_sent, report_sent";

/// A review's dates from a row whose columns from `at` are `REVIEW_COLUMNS`.
pub(crate) fn review_dates(r: &rusqlite::Row<'_>, at: usize) -> Result<ReviewDates> {
    let text = |i: usize| -> Result<Option<String>> { Ok(r.get::<_, Option<String>>(at + i)?) };
    let day = |t: String| t.parse::<NaiveDate>().map_err(|_| Error::Damaged { path: None, detail: format!("an annual review holds a date that cannot be read: {t}") });
    let opt = |i: usize| -> Result<Option<NaiveDate>> { text(i)?.map(day).transpose() };
    let last = day(text(0)?.unwrap_or_default())?;
    let outcome = text(3)?.and_then(|c| ReviewOutcome::from_code(&c));
    Ok(ReviewDates {
        last,
        after_meeting: r.get::<_, i64>(at + 1)? == 1,
        la_decision: opt(2)?.zip(outcome),
        amendments_sent: opt(4)?,
        amended_plan: opt(5)?,
        meeting: opt(6)?,
        notice_sent: opt(7)?,
        papers_sent: opt(8)?,
        report_sent: opt(9)?,
    })
}

fn area_label(area: Option<BroadArea>) -> String {
    area.map_or("All areas of need", BroadArea::label).to_string()
}

impl Store {
    pub fn add_consent(&mut self, pupil: PupilId, consent: &Consent, stamp: Stamp) -> Result<Vec<ConsentRecord>> {
        if consent.withdrawn.as_ref().is_some_and(|w| !w.trim().is_empty()) {
            return Err(Error::invalid("withdrawn", "record the consent first, then that it was withdrawn"));
        }
        let c = consent.validate(stamp.today)?;
        let tx = self.begin(stamp)?;
        super::sen::position(&tx, pupil)?;
        tx.exec(
            "INSERT INTO consent (pupil_id, kind, given_by, date, scope, withdrawn) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![pupil.0, c.kind.code(), c.given_by, c.date, c.scope, c.withdrawn],
        )?;
        audit::record(&tx, stamp, "consent", "pupil", Some(pupil), &format!("{} recorded, given {}", c.kind.code(), c.date))?;
        tx.commit()?;
        self.consents(pupil, stamp.today)
    }

    /// Records that a consent was withdrawn on `date`; once only.
    pub fn withdraw_consent(&mut self, id: i64, date: &str, stamp: Stamp) -> Result<Vec<ConsentRecord>> {
        let tx = self.begin(stamp)?;
        let (pupil, given, withdrawn): (i64, String, Option<String>) = tx
            .row("SELECT pupil_id, date, withdrawn FROM consent WHERE id = ?1", [id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .optional()?
            .ok_or_else(|| Error::NotFound { what: "consent", id: id.to_string() })?;
        if let Some(on) = withdrawn {
            return Err(Error::Refused(format!("this consent was already withdrawn on {}", on.parse().map(dates::short).unwrap_or(on))));
        }
        let day = dates::read("withdrawn", "date consent was withdrawn", date).map_err(|p| Error::Invalid(vec![p]))?;
        if day > stamp.today || day.to_string() < given {
            return Err(Error::Invalid(vec![FieldProblem::new("withdrawn", format!("{} is not between the day consent was given and today", dates::short(day)))]));
        }
        tx.exec("UPDATE consent SET withdrawn = ?1 WHERE id = ?2", params![day.to_string(), id])?;
        audit::record(&tx, stamp, "consent-withdrawn", "pupil", Some(PupilId(pupil)), &format!("consent withdrawn {day}"))?;
        tx.commit()?;
        self.consents(PupilId(pupil), stamp.today)
    }

    /// A pupil's consents, newest first, each saying whether it stands on `today`.
    pub fn consents(&self, pupil: PupilId, today: NaiveDate) -> Result<Vec<ConsentRecord>> {
        super::sen::position(&self.conn, pupil)?;
        let rows: Vec<(i64, String, String, String, String, Option<String>)> = self
            .conn
            .prepare_cached("SELECT id, kind, given_by, date, scope, withdrawn FROM consent WHERE pupil_id = ?1 ORDER BY date DESC, id DESC")?
            .query_map([pupil.0], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?)))?
            .collect::<rusqlite::Result<_>>()?;
        rows.into_iter()
            .map(|(id, kind, given_by, date, scope, withdrawn)| {
                let kind = ConsentKind::from_code(&kind).ok_or_else(|| Error::Damaged { path: None, detail: format!("a consent has a kind this version does not know: {kind}") })?;
                let consent = Consent { kind, given_by, date, scope, withdrawn };
                Ok(ConsentRecord { id, kind_label: kind.label().into(), stands: consent.stands_on(today), consent })
            })
            .collect()
    }

    pub fn add_training(&mut self, training: &Training, stamp: Stamp) -> Result<TrainingRecord> {
        let t = training.validate(stamp.today)?;
        let tx = self.begin(stamp)?;
        tx.exec("INSERT INTO staff_training (staff, course, date, area) VALUES (?1, ?2, ?3, ?4)", params![t.staff, t.course, t.date, t.area.map(BroadArea::slug)])?;
        let id = tx.last_insert_rowid();
        audit::record(&tx, stamp, "staff-training", "school", None, &format!("training on {} recorded", t.date))?;
        tx.commit()?;
        Ok(TrainingRecord { id, area_label: area_label(t.area), training: t })
    }

    /// The school's training records since `since`, newest first.
    pub fn training(&self, since: Option<NaiveDate>) -> Result<Vec<TrainingRecord>> {
        let since = since.map(|d| d.to_string()).unwrap_or_default();
        let rows: Vec<(i64, String, String, String, Option<String>)> = self
            .conn
            .prepare_cached("SELECT id, staff, course, date, area FROM staff_training WHERE date >= ?1 ORDER BY date DESC, id DESC")?
            .query_map([since], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)))?
            .collect::<rusqlite::Result<_>>()?;
        rows.into_iter()
            .map(|(id, staff, course, date, area)| {
                let area = match area {
                    None => None,
                    Some(slug) => Some(BroadArea::from_slug(&slug).ok_or_else(|| Error::Damaged { path: None, detail: format!("a training record has an area this version does not know: {slug}") })?),
                };
                Ok(TrainingRecord { id, area_label: area_label(area), training: Training { staff, course, date, area } })
            })
            .collect()
    }

    /// Starts tracking a pupil's annual reviews from the last review (or the day the plan
    /// was finalised). Only for a pupil with an EHC plan, and once.
    pub fn start_annual_reviews(&mut self, pupil: PupilId, last: NaiveDate, stamp: Stamp) -> Result<AnnualReview> {
        let record = self.pupil(pupil)?;
        if record.status != SenStatus::EhcPlan {
            return Err(Error::Refused(format!("{} has no EHC plan ({}), so has no annual review", record.display_name(), record.status.label())));
        }
        if last > stamp.today {
            return Err(Error::invalid("last", format!("{} is still to come: give the last review, or the day the plan was finalised", dates::short(last))));
        }
        let tx = self.begin(stamp)?;
        let exists: Option<i64> = tx.row("SELECT id FROM annual_review WHERE pupil_id = ?1 LIMIT 1", [pupil.0], |r| r.get(0)).optional()?;
        if exists.is_some() {
            return Err(Error::Refused("this pupil's annual reviews are already tracked: record the next meeting instead".into()));
        }
        tx.exec("INSERT INTO annual_review (pupil_id, last) VALUES (?1, ?2)", params![pupil.0, last.to_string()])?;
        audit::record(&tx, stamp, "annual-review-start", "pupil", Some(pupil), &format!("annual reviews tracked from {last}"))?;
        tx.commit()?;
        self.annual_review(pupil, stamp.today)?.ok_or_else(|| Error::NotFound { what: "annual review", id: pupil.0.to_string() })
    }

    /// Records a step of the pupil's current annual review.
    pub fn record_review_step(&mut self, pupil: PupilId, event: &ReviewEvent, stamp: Stamp) -> Result<AnnualReview> {
        let current = self.annual_review(pupil, stamp.today)?.ok_or_else(|| Error::Refused("this pupil's annual reviews are not tracked yet: give the last review's date first".into()))?;
        let d = current.dates.clone();
        let future = |date: NaiveDate, what: &str| -> Result<()> {
            if date > stamp.today {
                Err(Error::invalid("date", format!("{what} on {} is still to come", dates::short(date))))
            } else {
                Ok(())
            }
        };
        let tx = self.begin(stamp)?;
        match event {
            ReviewEvent::LaKeeps { date } | ReviewEvent::LaAmends { date } | ReviewEvent::LaCeases { date } => {
                future(*date, "the LA's decision")?;
                if !d.after_meeting {
                    return Err(Error::Refused("the LA's decision follows a review meeting: record the meeting and the school's report first".into()));
                }
                if let Some((day, _)) = d.la_decision {
                    return Err(Error::Refused(format!("the LA's decision on this review is already recorded ({})", dates::short(day))));
                }
                if *date < d.last {
                    return Err(Error::invalid("date", format!("the LA decides after the review meeting ({})", dates::short(d.last))));
                }
                let outcome = match event {
                    ReviewEvent::LaKeeps { .. } => ReviewOutcome::Keep,
                    ReviewEvent::LaAmends { .. } => ReviewOutcome::Amend,
                    _ => ReviewOutcome::Cease,
                };
                tx.exec("UPDATE annual_review SET la_decision = ?1, la_outcome = ?2 WHERE id = ?3", params![date.to_string(), outcome.code(), current.id])?;
            }
            ReviewEvent::Amendments { date } => {
                future(*date, "proposed amendments sent")?;
                let Some((decided, ReviewOutcome::Amend)) = d.la_decision else {
                    return Err(Error::Refused("record the LA's decision to amend the plan before its proposed amendments".into()));
                };
                if *date < decided {
                    return Err(Error::invalid("date", format!("the amendments follow the LA's decision ({})", dates::short(decided))));
                }
                tx.exec("UPDATE annual_review SET amendments_sent = ?1 WHERE id = ?2", params![date.to_string(), current.id])?;
            }
            ReviewEvent::AmendedPlan { date } => {
                future(*date, "the amended plan")?;
                let Some(sent) = d.amendments_sent else {
                    return Err(Error::Refused("record when the LA sent the proposed amendments before the amended plan".into()));
                };
                if *date < sent {
                    return Err(Error::invalid("date", format!("the amended plan follows the proposed amendments ({})", dates::short(sent))));
                }
                tx.exec("UPDATE annual_review SET amended_plan = ?1 WHERE id = ?2", params![date.to_string(), current.id])?;
            }
            ReviewEvent::Notice { date } => {
                future(*date, "the notice of the meeting")?;
                let Some(meeting) = d.meeting else {
                    return Err(Error::Refused("book the meeting before recording when its date was given".into()));
                };
                if *date > meeting {
                    return Err(Error::invalid("date", format!("the notice goes out by the meeting ({})", dates::short(meeting))));
                }
                tx.exec("UPDATE annual_review SET notice_sent = ?1 WHERE id = ?2", params![date.to_string(), current.id])?;
            }
            ReviewEvent::Meeting { date } => {
                if *date <= d.last {
                    return Err(Error::invalid("date", format!("the meeting must come after the last review ({})", dates::short(d.last))));
                }
                // Papers and notice sent for another date no longer count for a rebooked meeting.
                let papers = d.papers_sent.filter(|_| d.meeting == Some(*date));
                let notice = d.notice_sent.filter(|_| d.meeting == Some(*date));
                tx.exec(
                    "UPDATE annual_review SET meeting = ?1, papers_sent = ?2, notice_sent = ?3 WHERE id = ?4",
                    params![date.to_string(), papers.map(|p| p.to_string()), notice.map(|p| p.to_string()), current.id],
                )?;
            }
            ReviewEvent::Papers { date } => {
                future(*date, "papers sent")?;
                let Some(meeting) = d.meeting else {
                    return Err(Error::Refused("book the meeting before recording the papers sent for it".into()));
                };
                if *date <= d.last || *date > meeting {
                    return Err(Error::invalid("date", format!("the papers go out after the last review ({}) and by the meeting ({})", dates::short(d.last), dates::short(meeting))));
                }
                tx.exec("UPDATE annual_review SET papers_sent = ?1 WHERE id = ?2", params![date.to_string(), current.id])?;
            }
            ReviewEvent::Report { date } => {
                future(*date, "a report sent")?;
                let Some(meeting) = d.meeting.filter(|m| *m <= stamp.today) else {
                    return Err(Error::Refused("the report follows the meeting: record the meeting once it is held".into()));
                };
                if *date < meeting {
                    return Err(Error::invalid("date", format!("the report cannot go before the meeting ({})", dates::short(meeting))));
                }
                tx.exec("UPDATE annual_review SET report_sent = ?1 WHERE id = ?2", params![date.to_string(), current.id])?;
                tx.exec("INSERT INTO annual_review (pupil_id, last, after_meeting) VALUES (?1, ?2, 1)", params![pupil.0, meeting.to_string()])?;
            }
        }
        audit::record(&tx, stamp, "annual-review-step", "pupil", Some(pupil), "annual review updated")?;
        tx.commit()?;
        self.annual_review(pupil, stamp.today)?.ok_or_else(|| Error::NotFound { what: "annual review", id: pupil.0.to_string() })
    }

    /// The pupil's current annual review, if tracked.
    pub fn annual_review(&self, pupil: PupilId, today: NaiveDate) -> Result<Option<AnnualReview>> {
        let sql = format!(
            "SELECT r.id, p.nc_year, {REVIEW_COLUMNS} FROM annual_review r JOIN pupil p ON p.id = r.pupil_id WHERE r.pupil_id = ?1 ORDER BY r.last DESC, r.id DESC LIMIT 1"
        );
        let row = self.conn.prepare_cached(&sql)?.query_row([pupil.0], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, i32>(1)?, review_dates(r, 2)))).optional()?;
        let Some((id, nc_year, dates)) = row else { return Ok(None) };
        let dates = dates?;
        Ok(Some(AnnualReview { id, steps: statutory::review_clock(&dates, today, nc_year >= 9), dates }))
    }
}
