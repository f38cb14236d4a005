//! The `cycle` tables: each pupil's assess-plan-do-review cycles, their ticked strategies,
//! planned interventions and delivery log, and the `Store` actions that record a stage.
//!
//! Rules kept here, on top of each stage's own checks in `crate::apdr`:
//! - a pupil on roll has at most one open cycle; an assessment with no open cycle opens the
//!   next one, and an assessment while a planned cycle is open is refused;
//! - a plan needs the cycle's assessment, comes on or after it, ticks items that exist in
//!   the school's catalogues and plans interventions from its library;
//! - sessions are logged against interventions planned in the open cycle, within their
//!   dates, once a day each;
//! - a review comes on or after the plan; signing it off locks the cycle, and a locked
//!   cycle changes only by a dated amendment, which the audit trail keeps too.

use chrono::NaiveDate;
use rusqlite::{params, Connection, OptionalExtension, Transaction};
use serde::Serialize;
use ts_rs::TS;

use crate::apdr::{self, Assessment, Delivery, Plan, Review, Session, StageDocument, STAGE_SCHEMA_VERSION};
use crate::catalogue::Catalogue;
use crate::dates;
use crate::error::{Error, FieldProblem, Result};
use crate::pupil::PupilId;
use crate::text;
use crate::Stamp;

use super::{audit, Cached, Store};

/// Where a cycle has got to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum CycleStage {
    /// Opened: the assessment is recorded, the plan is not.
    Assess,
    /// Planned, nothing delivered yet.
    Plan,
    /// Sessions are being delivered.
    Do,
    /// A review is drafted but not signed off.
    Review,
    /// Signed off and locked.
    Closed,
}

/// A planned intervention with what has been delivered so far and what it costs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct InterventionProgress {
    pub key: String,
    pub name: String,
    #[ts(type = "number")]
    pub sessions_planned: i64,
    #[ts(type = "number")]
    pub sessions_delivered: i64,
    #[ts(type = "number")]
    pub sessions_attended: i64,
    #[ts(type = "number")]
    pub minutes_delivered: i64,
    pub entry_score: String,
    pub exit_score: String,
    #[ts(type = "number")]
    pub hourly_rate_pence: i64,
    #[ts(type = "number")]
    pub planned_cost_pence: i64,
    #[ts(type = "number")]
    pub cost_to_date_pence: i64,
    /// Newest first.
    pub sessions: Vec<Session>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Amendment {
    pub made_on: String,
    pub text: String,
}

/// One cycle as the pupil screen and `senco cycle show` present it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct CycleRecord {
    pub number: u32,
    pub opened_on: String,
    pub stage: CycleStage,
    pub assessment: Option<Assessment>,
    pub plan: Option<Plan>,
    pub review: Option<Review>,
    pub locked_on: Option<String>,
    pub interventions: Vec<InterventionProgress>,
    pub amendments: Vec<Amendment>,
}

pub(crate) struct OpenCycle {
    id: i64,
    number: u32,
    assessment: Option<Assessment>,
    plan: Option<Plan>,
    locked_on: Option<String>,
}

impl Store {
    /// A pupil's cycles, newest first.
    pub fn cycles(&self, pupil: PupilId) -> Result<Vec<CycleRecord>> {
        super::sen::position(&self.conn, pupil)?;
        let ids: Vec<i64> = self
            .conn
            .prepare_cached("SELECT id FROM cycle WHERE pupil_id = ?1 ORDER BY number DESC")?
            .query_map([pupil.0], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        ids.into_iter().map(|id| cycle_record(&self.conn, id)).collect()
    }

    /// Records one stage of a pupil's cycle. `cycle` names the cycle meant, if the caller
    /// knows it; a locked cycle is refused (amend it instead).
    pub fn record_stage(&mut self, pupil: PupilId, cycle: Option<u32>, document: &StageDocument, stamp: Stamp) -> Result<CycleRecord> {
        if document.schema() != STAGE_SCHEMA_VERSION {
            return Err(Error::invalid(
                "schema",
                format!("this is a version {} stage document; this app reads version {STAGE_SCHEMA_VERSION}", document.schema()),
            ));
        }
        let catalogues = self.catalogues()?;
        let tx = self.begin(stamp)?;
        refuse_if_not_on_roll(&tx, pupil, stamp.today)?;
        let open = open_cycle(&tx, pupil)?;
        if let Some(number) = cycle {
            let matches_open = open.as_ref().is_some_and(|o| o.number == number);
            if !matches_open {
                let locked: Option<Option<String>> = tx
                    .row("SELECT locked_on FROM cycle WHERE pupil_id = ?1 AND number = ?2", params![pupil.0, number], |r| r.get(0))
                    .optional()?;
                return Err(match locked {
                    Some(Some(on)) => locked_error(number, &on),
                    Some(None) => Error::Refused(format!("cycle {number} is not the pupil's open cycle")),
                    None if matches!(document, StageDocument::Assess { .. }) && open.is_none() => {
                        Error::Refused(format!("the pupil has no cycle {number}; leave the cycle out to start the next one"))
                    }
                    None => Error::NotFound { what: "cycle", id: number.to_string() },
                });
            }
        }
        let (id, action) = record_in(&tx, pupil, open, document, &catalogues, stamp)?;
        let number: u32 = tx.row("SELECT number FROM cycle WHERE id = ?1", [id], |r| r.get(0))?;
        audit::record(&tx, stamp, &format!("cycle-{action}"), "pupil", Some(pupil), &format!("cycle {number}: {action} recorded"))?;
        let record = cycle_record(&tx, id)?;
        tx.commit()?;
        Ok(record)
    }

    /// Adds a dated correction to a signed-off cycle; the cycle itself stays as it was.
    pub fn amend_cycle(&mut self, pupil: PupilId, number: u32, correction: &str, stamp: Stamp) -> Result<CycleRecord> {
        let correction = text::note("text", "amendment", correction).map_err(|p| Error::Invalid(vec![p]))?;
        if correction.is_empty() {
            return Err(Error::invalid("text", "write what is corrected and why"));
        }
        let tx = self.begin(stamp)?;
        let (id, locked): (i64, Option<String>) = tx
            .row("SELECT id, locked_on FROM cycle WHERE pupil_id = ?1 AND number = ?2", params![pupil.0, number], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?
            .ok_or_else(|| Error::NotFound { what: "cycle", id: number.to_string() })?;
        if locked.is_none() {
            return Err(Error::Refused(format!("cycle {number} is still open: change it directly; amendments are for signed-off cycles")));
        }
        tx.exec("INSERT INTO amendment (cycle_id, made_on, text) VALUES (?1, ?2, ?3)", params![id, stamp.today, correction])?;
        audit::record(&tx, stamp, "cycle-amend", "pupil", Some(pupil), &format!("cycle {number} amended: {correction}"))?;
        let record = cycle_record(&tx, id)?;
        tx.commit()?;
        Ok(record)
    }

    /// Logs one session of a group intervention for every pupil in the group at once: one
    /// step, one transaction. Each entry is a pupil and whether they attended.
    pub fn log_group_session(&mut self, intervention: &str, date: &str, minutes: i64, attendance: &[(PupilId, bool)], note: &str, stamp: Stamp) -> Result<usize> {
        if attendance.is_empty() {
            return Err(Error::invalid("pupils", "choose the pupils in the group"));
        }
        let tx = self.begin(stamp)?;
        for (pupil, attended) in attendance {
            let open = need_open(open_cycle(&tx, *pupil)?, "log sessions for").map_err(|e| name_pupil(&tx, *pupil, e))?;
            let delivery = Delivery {
                sessions: vec![Session { intervention: intervention.to_string(), date: date.to_string(), minutes, attended: *attended, note: note.to_string() }],
                scores: vec![],
            };
            record_delivery(&tx, open, &delivery, stamp).map_err(|e| name_pupil(&tx, *pupil, e))?;
        }
        audit::record(&tx, stamp, "group-session", "intervention", None, &format!("{intervention} on {date}: {} pupils", attendance.len()))?;
        tx.commit()?;
        Ok(attendance.len())
    }
}

/// Records one stage inside a transaction, by the same rules as `record_stage`; the demo
/// school's history is written through here too.
pub(crate) fn record_in(tx: &Transaction<'_>, pupil: PupilId, open: Option<OpenCycle>, document: &StageDocument, catalogues: &[Catalogue], stamp: Stamp) -> Result<(i64, &'static str)> {
    Ok(match document {
        StageDocument::Assess { assessment, .. } => (record_assessment(tx, pupil, open, assessment, stamp)?, "assess"),
        StageDocument::Plan { plan, .. } => (record_plan(tx, pupil, need_open(open, "plan")?, plan, catalogues, stamp)?, "plan"),
        StageDocument::Delivery { delivery, .. } => (record_delivery(tx, need_open(open, "log sessions for")?, delivery, stamp)?, "deliver"),
        StageDocument::Review { review, .. } => (record_review(tx, need_open(open, "review")?, review, stamp)?, "review"),
    })
}

/// The demo generator's way in: records a stage on the pupil's open cycle.
pub(crate) fn demo_record(tx: &Transaction<'_>, pupil: PupilId, document: &StageDocument, catalogues: &[Catalogue], stamp: Stamp) -> Result<i64> {
    let open = open_cycle(tx, pupil)?;
    Ok(record_in(tx, pupil, open, document, catalogues, stamp)?.0)
}

fn name_pupil(conn: &Connection, pupil: PupilId, error: Error) -> Error {
    let name: String = conn
        .row("SELECT legal_forename || ' ' || legal_surname FROM pupil WHERE id = ?1", [pupil.0], |r| r.get(0))
        .unwrap_or_else(|_| format!("pupil {}", pupil.0));
    match error {
        Error::Refused(message) => Error::Refused(format!("{name}: {message}")),
        Error::Invalid(problems) => Error::Invalid(problems.into_iter().map(|p| FieldProblem { message: format!("{name}: {}", p.message), ..p }).collect()),
        other => other,
    }
}

fn locked_error(number: u32, on: &str) -> Error {
    let on = on.parse::<NaiveDate>().map(dates::short).unwrap_or_else(|_| on.to_string());
    Error::Refused(format!("cycle {number} was signed off on {on} and is locked: record an amendment to correct it"))
}

fn need_open(open: Option<OpenCycle>, doing: &str) -> Result<OpenCycle> {
    open.ok_or_else(|| Error::Refused(format!("the pupil has no open cycle to {doing}: record an assessment first, which starts one")))
}

fn refuse_if_not_on_roll(conn: &Connection, pupil: PupilId, today: NaiveDate) -> Result<()> {
    let left: Option<NaiveDate> = conn
        .row("SELECT leaving_date FROM pupil WHERE id = ?1", [pupil.0], |r| r.get(0))
        .optional()?
        .ok_or_else(|| Error::NotFound { what: "pupil", id: pupil.0.to_string() })?;
    match left {
        Some(left) if left < today => Err(Error::Refused(format!("the pupil left on {}; their record is archived", dates::short(left)))),
        _ => Ok(()),
    }
}

fn open_cycle(conn: &Connection, pupil: PupilId) -> Result<Option<OpenCycle>> {
    conn.prepare_cached("SELECT id, number, locked_on FROM cycle WHERE pupil_id = ?1 AND locked_on IS NULL")?
        .query_row([pupil.0], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, u32>(1)?, r.get(2)?)))
        .optional()?
        .map(|(id, number, locked_on)| {
            Ok(OpenCycle { id, number, assessment: stage(conn, id, "assess")?, plan: stage(conn, id, "plan")?, locked_on })
        })
        .transpose()
}

/// One stage document of a cycle, if it has been recorded.
fn stage<T: serde::de::DeserializeOwned>(conn: &Connection, cycle: i64, stage: &str) -> Result<Option<T>> {
    stored(conn.row("SELECT document FROM cycle_stage WHERE cycle_id = ?1 AND stage = ?2", params![cycle, stage], |r| r.get(0)).optional()?)
}

/// Writes (or replaces) one stage document of a cycle.
fn put_stage<T: Serialize>(conn: &Connection, cycle: i64, stage: &str, document: &T) -> Result<()> {
    conn.exec(
        "INSERT INTO cycle_stage (cycle_id, stage, document) VALUES (?1, ?2, ?3) ON CONFLICT (cycle_id, stage) DO UPDATE SET document = excluded.document",
        params![cycle, stage, json(document)],
    )?;
    Ok(())
}

/// Reads a stage document written by this module.
fn stored<T: serde::de::DeserializeOwned>(json: Option<String>) -> Result<Option<T>> {
    json.map(|j| serde_json::from_str(&j).map_err(|e| Error::Damaged { path: None, detail: format!("a stored cycle stage cannot be read: {e}") }))
        .transpose()
}

fn json<T: Serialize>(value: &T) -> String {
    serde_json::to_string(value).expect("stage documents serialise")
}

fn record_assessment(tx: &Transaction<'_>, pupil: PupilId, open: Option<OpenCycle>, input: &Assessment, stamp: Stamp) -> Result<i64> {
    let assessment = input.validate(stamp.today)?;
    match open {
        Some(open) if open.plan.is_some() => Err(Error::Refused(format!(
            "cycle {} is still open and planned: review it and sign it off before starting another (a pupil has one open cycle at a time)",
            open.number
        ))),
        Some(open) => {
            tx.exec("UPDATE cycle SET opened_on = ?2 WHERE id = ?1", params![open.id, assessment.date])?;
            put_stage(tx, open.id, "assess", &assessment)?;
            Ok(open.id)
        }
        None => {
            let number: u32 = tx.row("SELECT coalesce(max(number), 0) + 1 FROM cycle WHERE pupil_id = ?1", [pupil.0], |r| r.get(0))?;
            if let Some(last_review) = tx
                .row("SELECT reviewed_on FROM cycle WHERE pupil_id = ?1 AND number = ?2", params![pupil.0, number - 1], |r| r.get::<_, Option<String>>(0))
                .optional()?
                .flatten()
            {
                if assessment.date < last_review {
                    return Err(Error::invalid("date", format!("the assessment date is before the review that closed cycle {} ({})", number - 1, last_review)));
                }
            }
            tx.exec("INSERT INTO cycle (pupil_id, number, opened_on) VALUES (?1, ?2, ?3)", params![pupil.0, number, assessment.date])?;
            let id = tx.last_insert_rowid();
            put_stage(tx, id, "assess", &assessment)?;
            Ok(id)
        }
    }
}

fn record_plan(tx: &Transaction<'_>, pupil: PupilId, open: OpenCycle, input: &Plan, catalogues: &[Catalogue], stamp: Stamp) -> Result<i64> {
    let mut plan = input.validate(stamp.today)?;
    let Some(assessment) = &open.assessment else {
        return Err(Error::Refused(format!("cycle {} has no assessment yet: assess before planning", open.number)));
    };
    if plan.date < assessment.date {
        return Err(Error::invalid("date", format!("the plan date comes before the assessment it builds on ({})", short(&assessment.date))));
    }
    let mut problems = Vec::new();
    for (i, tick) in plan.strategies.iter_mut().enumerate() {
        match catalogues.iter().find_map(|c| c.item(&tick.item_id).map(|item| (c, item))) {
            Some((_, item)) if !item.provision => problems.push(FieldProblem::new(
                &format!("strategies[{i}].itemId"),
                format!("{} describes how a pupil may present, not provision: tick the strategies that meet that need", tick.item_id),
            )),
            Some((catalogue, item)) => {
                tick.catalogue = catalogue.name.clone();
                tick.version = catalogue.version.clone();
                tick.item_text = item.text.clone();
            }
            None => problems.push(FieldProblem::new(&format!("strategies[{i}].itemId"), format!("{} is not in the school's catalogues", tick.item_id))),
        }
    }
    let mut rows = Vec::new();
    for (i, planned) in plan.interventions.iter().enumerate() {
        let found: Option<(i64, String)> = tx
            .row("SELECT id, name FROM intervention WHERE key = ?1", [&planned.intervention], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?;
        let rate: Option<i64> = tx.row("SELECT school_rate_pence FROM staff_role WHERE key = ?1", [&planned.staff_role], |r| r.get(0)).optional()?;
        match (found, rate) {
            (None, _) => problems.push(FieldProblem::new(&format!("interventions[{i}].intervention"), format!("{} is not in the school's intervention library", planned.intervention))),
            (_, None) => problems.push(FieldProblem::new(&format!("interventions[{i}].staffRole"), format!("{} is not one of the school's staff roles", planned.staff_role))),
            (Some((id, _)), Some(rate)) => rows.push((id, rate, planned.clone())),
        }
    }
    if !problems.is_empty() {
        return Err(Error::Invalid(problems));
    }
    // Interventions dropped from the plan go, unless sessions are already logged for them.
    let kept: Vec<i64> = rows.iter().map(|(id, _, _)| *id).collect();
    let existing: Vec<(i64, i64, String, i64)> = tx
        .prepare("SELECT p.id, p.intervention_id, i.name, (SELECT count(*) FROM delivery d WHERE d.planned_intervention_id = p.id) FROM planned_intervention p JOIN intervention i ON i.id = p.intervention_id WHERE p.cycle_id = ?1")?
        .query_map([open.id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?
        .collect::<rusqlite::Result<_>>()?;
    for (planned_id, intervention_id, name, sessions) in existing {
        if !kept.contains(&intervention_id) {
            if sessions > 0 {
                return Err(Error::Refused(format!("{name} has {sessions} sessions logged in this cycle, so it stays in the plan; set its end date instead")));
            }
            tx.exec("DELETE FROM planned_intervention WHERE id = ?1", [planned_id])?;
        }
    }
    for (intervention_id, rate, p) in rows {
        let weeks = p.weeks.expect("validate fills in the weeks");
        tx.exec(
            "INSERT INTO planned_intervention (cycle_id, pupil_id, intervention_id, sessions_per_week, minutes_per_session, group_size, staff_role, hourly_rate_pence, start_date, end_date, weeks, resources_pence)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)
             ON CONFLICT (cycle_id, intervention_id) DO UPDATE SET sessions_per_week = excluded.sessions_per_week,
               minutes_per_session = excluded.minutes_per_session, group_size = excluded.group_size, staff_role = excluded.staff_role,
               hourly_rate_pence = excluded.hourly_rate_pence, start_date = excluded.start_date, end_date = excluded.end_date,
               weeks = excluded.weeks, resources_pence = excluded.resources_pence",
            params![open.id, pupil.0, intervention_id, p.sessions_per_week, p.minutes_per_session, p.group_size, p.staff_role, rate, p.start_date, p.end_date, weeks, p.resources_pence],
        )?;
    }
    tx.exec("DELETE FROM strategy_tick WHERE cycle_id = ?1", [open.id])?;
    for tick in &plan.strategies {
        tx.exec(
            "INSERT INTO strategy_tick (cycle_id, item_id, catalogue, version, item_text, note) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![open.id, tick.item_id, tick.catalogue, tick.version, tick.item_text, tick.note],
        )?;
    }
    tx.exec(
        "UPDATE cycle SET plan_date = ?2, parent_notice_on = ?3, review_due = ?4 WHERE id = ?1",
        params![open.id, plan.date, plan.parent_notice.as_ref().map(|n| n.date.clone()), plan.review_date],
    )?;
    put_stage(tx, open.id, "plan", &plan)?;
    Ok(open.id)
}

fn short(iso: &str) -> String {
    iso.parse::<NaiveDate>().map(dates::short).unwrap_or_else(|_| iso.to_string())
}

fn record_delivery(tx: &Transaction<'_>, open: OpenCycle, input: &Delivery, stamp: Stamp) -> Result<i64> {
    let delivery = input.validate(stamp.today)?;
    if open.plan.is_none() {
        return Err(Error::Refused(format!("cycle {} has no plan yet: plan the interventions before logging sessions", open.number)));
    }
    let planned = |i: usize, key: &str, field: &str| -> Result<(i64, String, String, String)> {
        tx.row(
            "SELECT p.id, i.name, p.start_date, p.end_date FROM planned_intervention p JOIN intervention i ON i.id = p.intervention_id WHERE p.cycle_id = ?1 AND i.key = ?2",
            params![open.id, key],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )
        .optional()?
        .ok_or_else(|| Error::invalid(&format!("{field}[{i}].intervention"), format!("{key} is not planned in cycle {}", open.number)))
    };
    for (i, session) in delivery.sessions.iter().enumerate() {
        let (planned_id, name, start, end) = planned(i, &session.intervention, "sessions")?;
        if session.date < start || session.date > end {
            return Err(Error::invalid(
                &format!("sessions[{i}].date"),
                format!("{name} runs from {} to {}; {} is outside those dates", short(&start), short(&end), short(&session.date)),
            ));
        }
        let inserted = tx.exec(
            "INSERT INTO delivery (planned_intervention_id, date, minutes, attended, note) VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT DO NOTHING",
            params![planned_id, session.date, session.minutes, session.attended, session.note],
        )?;
        if inserted == 0 {
            return Err(Error::invalid(&format!("sessions[{i}].date"), format!("a session of {name} is already logged on {}", short(&session.date))));
        }
    }
    for (i, scores) in delivery.scores.iter().enumerate() {
        let (planned_id, ..) = planned(i, &scores.intervention, "scores")?;
        if let Some(entry) = &scores.entry_score {
            tx.exec("UPDATE planned_intervention SET entry_score = ?2 WHERE id = ?1", params![planned_id, entry])?;
        }
        if let Some(exit) = &scores.exit_score {
            tx.exec("UPDATE planned_intervention SET exit_score = ?2 WHERE id = ?1", params![planned_id, exit])?;
        }
    }
    Ok(open.id)
}

fn record_review(tx: &Transaction<'_>, open: OpenCycle, input: &Review, stamp: Stamp) -> Result<i64> {
    debug_assert!(open.locked_on.is_none());
    let Some(plan) = &open.plan else {
        return Err(Error::Refused(format!("cycle {} has no plan yet: there is nothing to review", open.number)));
    };
    let review = input.validate(plan, stamp.today)?;
    let locked_on = review.sign_off.then(|| review.date.clone());
    tx.exec(
        "UPDATE cycle SET reviewed_on = ?2, next_review = ?3, locked_on = ?4 WHERE id = ?1",
        params![open.id, review.date, review.next_review_date, locked_on],
    )?;
    put_stage(tx, open.id, "review", &review)?;
    Ok(open.id)
}

fn cycle_record(conn: &Connection, id: i64) -> Result<CycleRecord> {
    let (number, opened_on, locked_on) = conn
        .prepare_cached("SELECT number, opened_on, locked_on FROM cycle WHERE id = ?1")?
        .query_row([id], |r| Ok((r.get::<_, u32>(0)?, r.get::<_, String>(1)?, r.get::<_, Option<String>>(2)?)))?;
    let assessment: Option<Assessment> = stage(conn, id, "assess")?;
    let plan: Option<Plan> = stage(conn, id, "plan")?;
    let review: Option<Review> = stage(conn, id, "review")?;
    let interventions = progress(conn, id)?;
    let amendments = conn
        .prepare_cached("SELECT made_on, text FROM amendment WHERE cycle_id = ?1 ORDER BY id")?
        .query_map([id], |r| Ok(Amendment { made_on: r.get(0)?, text: r.get(1)? }))?
        .collect::<rusqlite::Result<_>>()?;
    let stage = match (&plan, &review, &locked_on) {
        (_, _, Some(_)) => CycleStage::Closed,
        (_, Some(_), None) => CycleStage::Review,
        (None, _, _) => CycleStage::Assess,
        (Some(_), None, None) if interventions.iter().any(|i| i.sessions_delivered > 0) => CycleStage::Do,
        (Some(_), None, None) => CycleStage::Plan,
    };
    Ok(CycleRecord { number, opened_on, stage, assessment, plan, review, locked_on, interventions, amendments })
}

fn progress(conn: &Connection, cycle: i64) -> Result<Vec<InterventionProgress>> {
    type Row = (i64, String, String, i64, i64, i64, i64, i64, i64, String, String);
    let rows: Vec<Row> = conn
        .prepare_cached(
            "SELECT p.id, i.key, i.name, p.sessions_per_week, p.weeks, p.minutes_per_session, p.group_size, p.hourly_rate_pence, p.resources_pence, p.entry_score, p.exit_score
             FROM planned_intervention p JOIN intervention i ON i.id = p.intervention_id WHERE p.cycle_id = ?1 ORDER BY p.id",
        )?
        .query_map([cycle], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?, r.get(6)?, r.get(7)?, r.get(8)?, r.get(9)?, r.get(10)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let mut out = Vec::new();
    for (planned_id, key, name, per_week, weeks, minutes, group, rate, resources, entry_score, exit_score) in rows {
        let sessions: Vec<Session> = conn
            .prepare_cached("SELECT date, minutes, attended, note FROM delivery WHERE planned_intervention_id = ?1 ORDER BY date DESC")?
            .query_map([planned_id], |r| Ok(Session { intervention: key.clone(), date: r.get(0)?, minutes: r.get(1)?, attended: r.get(2)?, note: r.get(3)? }))?
            .collect::<rusqlite::Result<_>>()?;
        let minutes_delivered: i64 = sessions.iter().map(|s| s.minutes).sum();
        let cost_to_date = if sessions.is_empty() { 0 } else { apdr::cost_pence(minutes_delivered, rate, group, resources) };
        out.push(InterventionProgress {
            sessions_planned: per_week * weeks,
            sessions_delivered: sessions.len() as i64,
            sessions_attended: sessions.iter().filter(|s| s.attended).count() as i64,
            minutes_delivered,
            hourly_rate_pence: rate,
            planned_cost_pence: apdr::planned_cost_pence(per_week, weeks, minutes, rate, group, resources),
            cost_to_date_pence: cost_to_date,
            key,
            name,
            entry_score,
            exit_score,
            sessions,
        });
    }
    Ok(out)
}

/// The pupils planned into one intervention in their open cycles on a day: a group whose
/// session can be logged for everyone at once.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Roster {
    pub intervention: String,
    pub name: String,
    #[ts(type = "number")]
    pub minutes_per_session: i64,
    pub pupils: Vec<RosterPupil>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct RosterPupil {
    pub pupil_id: PupilId,
    pub name: String,
    pub upn: String,
    pub nc_year: i32,
}

impl Store {
    /// Every intervention running on `day` with the pupils planned into it.
    pub fn rosters(&self, day: NaiveDate) -> Result<Vec<Roster>> {
        let mut statement = self.conn.prepare_cached(
            "SELECT i.key, i.name, p.minutes_per_session, pu.id, pu.legal_surname || ', ' || CASE WHEN pu.preferred_forename = '' THEN pu.legal_forename ELSE pu.preferred_forename END, pu.upn, pu.nc_year
             FROM planned_intervention p JOIN cycle c ON c.id = p.cycle_id JOIN intervention i ON i.id = p.intervention_id JOIN pupil pu ON pu.id = p.pupil_id
             WHERE c.locked_on IS NULL AND p.start_date <= ?1 AND p.end_date >= ?1
             ORDER BY i.name, pu.legal_surname, pu.legal_forename",
        )?;
        let mut rosters: Vec<Roster> = Vec::new();
        let mut rows = statement.query([day])?;
        while let Some(r) = rows.next()? {
            let key: String = r.get(0)?;
            let pupil = RosterPupil { pupil_id: PupilId(r.get(3)?), name: r.get(4)?, upn: r.get(5)?, nc_year: r.get(6)? };
            match rosters.last_mut() {
                Some(last) if last.intervention == key => last.pupils.push(pupil),
                _ => rosters.push(Roster { intervention: key, name: r.get(1)?, minutes_per_session: r.get(2)?, pupils: vec![pupil] }),
            }
        }
        Ok(rosters)
    }
}
