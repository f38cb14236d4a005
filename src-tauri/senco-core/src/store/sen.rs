//! The `sen_status` and `need` tables: a pupil's position now, their history, and the writes
//! that `crate::sen` plans; and the `Store` actions that change a status or a need.

use chrono::NaiveDate;
use rusqlite::types::{FromSql, FromSqlResult, ToSqlOutput, ValueRef};
use rusqlite::{params, Connection, OptionalExtension, ToSql};

use crate::census::{NeedCode, SenStatus};
use crate::error::{Error, Result};
use crate::pupil::{display_name, NeedRecord, PupilId, PupilRecord, StatusPeriod};
use crate::sen::{Closing, LeavingPreview, NeedId, NeedInput, NeedPlan, NeedPreview, OpenNeed, Position, StatusChange, StatusPlan, StatusPreview};
use crate::Stamp;

use super::pupils::finish;
use super::{audit, Store};

impl Store {
    /// What `set_status` would do, by the same rules, writing nothing.
    pub fn preview_status(&self, id: PupilId, change: &StatusChange, today: NaiveDate) -> Result<StatusPreview> {
        position(&self.conn, id)?.preview_status_change(change, today)
    }

    /// What `add_need` would do, by the same rules, writing nothing.
    pub fn preview_need(&self, id: PupilId, need: &NeedInput, today: NaiveDate) -> Result<NeedPreview> {
        position(&self.conn, id)?.preview_new_need(need, today)
    }

    /// What `leave` would do, by the same rules, writing nothing.
    pub fn preview_leaving(&self, id: PupilId, leaving_date: &str, today: NaiveDate) -> Result<LeavingPreview> {
        position(&self.conn, id)?.preview_leaving(leaving_date, today)
    }

    pub fn set_status(&mut self, id: PupilId, change: &StatusChange, stamp: Stamp) -> Result<PupilRecord> {
        let tx = self.begin(stamp)?;
        let plan = position(&tx, id)?.plan_status_change(change, stamp.today)?;
        apply_status_plan(&tx, id, &plan)?;
        let reason = if plan.reason.is_empty() { String::new() } else { format!(": {}", plan.reason) };
        let summary = format!("status {} from {}{reason}", plan.status.code(), plan.start_date);
        audit::record(&tx, stamp, "set-status", "pupil", Some(id), &summary)?;
        finish(tx, id)
    }

    pub fn add_need(&mut self, id: PupilId, need: &NeedInput, stamp: Stamp) -> Result<PupilRecord> {
        let tx = self.begin(stamp)?;
        let plan = position(&tx, id)?.plan_new_need(need, stamp.today)?;
        apply_need_plan(&tx, id, &plan)?;
        let summary = format!("need {} rank {} from {}", plan.code, plan.rank, plan.start_date);
        audit::record(&tx, stamp, "add-need", "pupil", Some(id), &summary)?;
        finish(tx, id)
    }

    pub fn end_need(&mut self, id: PupilId, need_id: NeedId, end_date: &str, stamp: Stamp) -> Result<PupilRecord> {
        let tx = self.begin(stamp)?;
        let closing = position(&tx, id)?.check_end_need(need_id, end_date, stamp.today)?;
        close_need(&tx, closing)?;
        audit::record(&tx, stamp, "end-need", "pupil", Some(id), &format!("need {need_id} ended {}", closing.end_date))?;
        finish(tx, id)
    }
}

// Codes are stored as the census writes them.
code_column!(SenStatus, "SEN status");
code_column!(NeedCode, "need code");

impl ToSql for NeedId {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        self.0.to_sql()
    }
}

impl FromSql for NeedId {
    fn column_result(value: ValueRef<'_>) -> FromSqlResult<Self> {
        i64::column_result(value).map(NeedId)
    }
}

pub(super) fn position(conn: &Connection, id: PupilId) -> Result<Position> {
    let (name, admission_date, leaving_date) = conn
        .prepare_cached(
            "SELECT legal_forename, legal_surname, preferred_forename, preferred_surname, admission_date, leaving_date
             FROM pupil WHERE id = ?1",
        )?
        .query_row([id.0], |r| {
            let name = display_name(&r.get::<_, String>(0)?, &r.get::<_, String>(1)?, &r.get::<_, String>(2)?, &r.get::<_, String>(3)?);
            Ok((name, r.get(4)?, r.get(5)?))
        })
        .optional()?
        .ok_or_else(|| Error::NotFound { what: "pupil", id: id.0.to_string() })?;
    let (status, status_since): (SenStatus, NaiveDate) = conn
        .prepare_cached("SELECT status, start_date FROM sen_status WHERE pupil_id = ?1 AND end_date IS NULL")?
        .query_row([id.0], |r| Ok((r.get(0)?, r.get(1)?)))?;
    let mut statement = conn.prepare_cached(
        "SELECT id, need_code, rank, start_date FROM need WHERE pupil_id = ?1 AND end_date IS NULL ORDER BY rank",
    )?;
    let open_needs = statement
        .query_map([id.0], |r| {
            Ok(OpenNeed { id: r.get(0)?, code: r.get(1)?, rank: r.get(2)?, start_date: r.get(3)? })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let latest_need_date = conn
        .prepare_cached(
            "SELECT max(max(start_date, coalesce(end_date, start_date))) FROM need WHERE pupil_id = ?1
               AND start_date > coalesce((SELECT max(leaving_date) FROM enrolment WHERE pupil_id = ?1), '')",
        )?
        .query_row([id.0], |r| r.get(0))?;
    Ok(Position { name, admission_date, leaving_date, status, status_since, open_needs, latest_need_date })
}

/// The first status of the pupil's current time on roll.
pub(super) fn first_status_start(conn: &Connection, id: PupilId) -> Result<NaiveDate> {
    Ok(conn.query_row(
        "SELECT min(start_date) FROM sen_status WHERE pupil_id = ?1
           AND start_date > coalesce((SELECT max(leaving_date) FROM enrolment WHERE pupil_id = ?1), '')",
        [id.0],
        |r| r.get(0),
    )?)
}

/// On re-admission: the status held when the pupil left ends on their leaving date, and No
/// SEN starts from the new admission.
pub(super) fn restart_status(conn: &Connection, id: PupilId, left: NaiveDate, admitted: NaiveDate) -> Result<()> {
    close_status(conn, id, left)?;
    open_status(conn, id, SenStatus::NoSen, admitted, "re-admitted")
}

pub(super) fn open_status(conn: &Connection, id: PupilId, status: SenStatus, start: NaiveDate, reason: &str) -> Result<()> {
    conn.prepare_cached("INSERT INTO sen_status (pupil_id, status, start_date, reason) VALUES (?1, ?2, ?3, ?4)")?
        .execute(params![id.0, status, start, reason])?;
    Ok(())
}

fn close_status(conn: &Connection, id: PupilId, end: NaiveDate) -> Result<()> {
    conn.prepare_cached("UPDATE sen_status SET end_date = ?2 WHERE pupil_id = ?1 AND end_date IS NULL")?
        .execute(params![id.0, end])?;
    Ok(())
}

fn apply_status_plan(conn: &Connection, id: PupilId, plan: &StatusPlan) -> Result<()> {
    for closing in &plan.close_needs {
        close_need(conn, *closing)?;
    }
    if plan.replaces_current {
        conn.execute(
            "UPDATE sen_status SET status = ?2, reason = ?3 WHERE pupil_id = ?1 AND end_date IS NULL",
            params![id.0, plan.status, plan.reason],
        )?;
    } else {
        close_status(conn, id, plan.previous_ends)?;
        open_status(conn, id, plan.status, plan.start_date, &plan.reason)?;
    }
    if let Some(code) = plan.add_primary {
        insert_need(conn, id, code, 1, plan.start_date)?;
    }
    Ok(())
}

fn apply_need_plan(conn: &Connection, id: PupilId, plan: &NeedPlan) -> Result<()> {
    for closing in &plan.close_needs {
        close_need(conn, *closing)?;
    }
    insert_need(conn, id, plan.code, plan.rank, plan.start_date)
}

fn insert_need(conn: &Connection, id: PupilId, code: NeedCode, rank: u32, start: NaiveDate) -> Result<()> {
    conn.prepare_cached("INSERT INTO need (pupil_id, need_code, rank, start_date) VALUES (?1, ?2, ?3, ?4)")?
        .execute(params![id.0, code, rank, start])?;
    Ok(())
}

pub(super) fn close_need(conn: &Connection, closing: Closing) -> Result<()> {
    conn.prepare_cached("UPDATE need SET end_date = ?2 WHERE id = ?1 AND end_date IS NULL")?
        .execute(params![closing.need_id, closing.end_date])?;
    Ok(())
}

/// Writes one period of status history as it is; the demo generator writes history with it.
pub(crate) fn insert_status_period(conn: &Connection, id: PupilId, period: &StatusPeriod) -> Result<()> {
    conn.prepare_cached("INSERT INTO sen_status (pupil_id, status, start_date, end_date, reason) VALUES (?1, ?2, ?3, ?4, ?5)")?
        .execute(params![id.0, period.status, period.start_date, period.end_date, period.reason])?;
    Ok(())
}

pub(crate) fn insert_need_period(conn: &Connection, id: PupilId, code: NeedCode, rank: u32, start: NaiveDate, end: Option<NaiveDate>) -> Result<()> {
    conn.prepare_cached("INSERT INTO need (pupil_id, need_code, rank, start_date, end_date) VALUES (?1, ?2, ?3, ?4, ?5)")?
        .execute(params![id.0, code, rank, start, end])?;
    Ok(())
}

pub(super) fn status_history(conn: &Connection, id: PupilId) -> Result<Vec<StatusPeriod>> {
    let mut statement = conn.prepare_cached(
        "SELECT status, start_date, end_date, reason FROM sen_status WHERE pupil_id = ?1 ORDER BY start_date, id",
    )?;
    let rows = statement.query_map([id.0], |r| {
        Ok(StatusPeriod { status: r.get(0)?, start_date: r.get(1)?, end_date: r.get(2)?, reason: r.get(3)? })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Current needs by rank, then ended needs, most recently ended first.
pub(super) fn needs(conn: &Connection, id: PupilId) -> Result<Vec<NeedRecord>> {
    let mut statement = conn.prepare_cached(
        "SELECT id, need_code, rank, start_date, end_date FROM need WHERE pupil_id = ?1
         ORDER BY end_date IS NOT NULL, end_date DESC, rank, start_date",
    )?;
    let rows = statement.query_map([id.0], |r| {
        let code: NeedCode = r.get(1)?;
        Ok(NeedRecord {
            id: r.get(0)?,
            code,
            description: code.description().to_string(),
            area: code.area(),
            rank: r.get(2)?,
            start_date: r.get(3)?,
            end_date: r.get(4)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}
