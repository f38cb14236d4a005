//! The `pupil` table, the whole pupil record read for the pupil screen, and the `Store`
//! actions on a pupil's details: add, edit, leave.

use chrono::NaiveDate;
use rusqlite::types::{FromSql, FromSqlError, FromSqlResult, ToSqlOutput, ValueRef};
use rusqlite::{params, Connection, OptionalExtension, ToSql};

use crate::census::SenStatus;
use crate::error::{Error, Result};
use crate::pupil::{Enrolment, PupilId, PupilInput, PupilRecord, Sex, ValidPupil};
use crate::upn::Upn;
use crate::Stamp;

use super::{audit, sen, Store};

impl Store {
    pub fn add_pupil(&mut self, input: &PupilInput, stamp: Stamp) -> Result<PupilRecord> {
        let pupil = input.validate(stamp.today)?;
        let tx = self.begin(stamp)?;
        refuse_duplicate_upn(&tx, &pupil.upn, None)?;
        let id = insert(&tx, &pupil)?;
        sen::open_status(&tx, id, SenStatus::NoSen, pupil.admission_date, "admitted")?;
        audit::record(&tx, stamp, "add", "pupil", Some(id), &format!("added pupil {}", pupil.upn))?;
        finish(tx, id)
    }

    pub fn update_pupil(&mut self, id: PupilId, input: &PupilInput, stamp: Stamp) -> Result<PupilRecord> {
        let pupil = input.validate(stamp.today)?;
        let tx = self.begin(stamp)?;
        sen::position(&tx, id)?.refuse_if_left(stamp.today)?;
        if let Some(left) = previous_leaving(&tx, id)? {
            if pupil.admission_date <= left {
                return Err(Error::invalid("admissionDate", format!("the pupil was last on roll until {}; this admission must come after that", crate::dates::short(left))));
            }
        }
        if pupil.admission_date > sen::first_status_start(&tx, id)? {
            return Err(Error::invalid("admissionDate", "the pupil has SEN status history from before that admission date"));
        }
        refuse_duplicate_upn(&tx, &pupil.upn, Some(id))?;
        update(&tx, id, &pupil)?;
        audit::record(&tx, stamp, "edit", "pupil", Some(id), &format!("edited details of pupil {}", pupil.upn))?;
        finish(tx, id)
    }

    /// Marks a pupil as left. The record is archived, never deleted; their open needs end
    /// on the leaving date.
    pub fn leave(&mut self, id: PupilId, leaving_date: &str, stamp: Stamp) -> Result<PupilRecord> {
        let tx = self.begin(stamp)?;
        let plan = sen::position(&tx, id)?.plan_leaving(leaving_date, stamp.today)?;
        for closing in &plan.close_needs {
            sen::close_need(&tx, *closing)?;
        }
        set_leaving_date(&tx, id, plan.date)?;
        let ended = if plan.close_needs.is_empty() { String::new() } else { format!("; {} open needs ended", plan.close_needs.len()) };
        audit::record(&tx, stamp, "leave", "pupil", Some(id), &format!("left on {}{ended}", plan.date))?;
        finish(tx, id)
    }

    /// Re-admits a pupil who left and has come back: a new admission under the same UPN.
    /// Their earlier time on roll and all their history are kept; their SEN status starts
    /// again as No SEN from the new admission date, and their needs stay ended.
    pub fn readmit(&mut self, id: PupilId, admission_date: &str, stamp: Stamp) -> Result<PupilRecord> {
        let tx = self.begin(stamp)?;
        let plan = sen::position(&tx, id)?.plan_readmission(admission_date, stamp.today)?;
        tx.prepare_cached("INSERT INTO enrolment (pupil_id, admission_date, leaving_date) VALUES (?1, ?2, ?3)")?
            .execute(params![id.0, plan.previous_admission, plan.previous_leaving])?;
        tx.prepare_cached("UPDATE pupil SET admission_date = ?2, leaving_date = NULL WHERE id = ?1")?
            .execute(params![id.0, plan.admission_date])?;
        sen::restart_status(&tx, id, plan.previous_leaving, plan.admission_date)?;
        let summary = format!("re-admitted on {} (on roll {} to {} before)", plan.admission_date, plan.previous_admission, plan.previous_leaving);
        audit::record(&tx, stamp, "readmit", "pupil", Some(id), &summary)?;
        finish(tx, id)
    }

    /// Takes back a leaving date still to come: the pupil stays on roll, and the needs that
    /// leaving would have ended stay open.
    pub fn cancel_leaving(&mut self, id: PupilId, stamp: Stamp) -> Result<PupilRecord> {
        let tx = self.begin(stamp)?;
        let leaves = sen::position(&tx, id)?.plan_cancel_leaving(stamp.today)?;
        tx.prepare_cached("UPDATE need SET end_date = NULL WHERE pupil_id = ?1 AND end_date = ?2")?.execute(params![id.0, leaves])?;
        tx.prepare_cached("UPDATE pupil SET leaving_date = NULL WHERE id = ?1")?.execute([id.0])?;
        audit::record(&tx, stamp, "cancel-leaving", "pupil", Some(id), &format!("leaving date {leaves} taken back"))?;
        finish(tx, id)
    }

    pub fn pupil(&self, id: PupilId) -> Result<PupilRecord> {
        record(&self.conn, id)
    }

    pub fn pupil_by_upn(&self, upn: &str) -> Result<PupilRecord> {
        let parsed = Upn::parse(upn).map_err(|e| Error::invalid("upn", e.to_string()))?;
        let id = id_by_upn(&self.conn, &parsed)?
            .ok_or_else(|| Error::NotFound { what: "pupil with UPN", id: parsed.to_string() })?;
        self.pupil(id)
    }
}

/// Inserts a generated pupil with their leaving date; only the demo generator uses it.
pub(crate) fn insert_demo_pupil(tx: &rusqlite::Transaction<'_>, pupil: &ValidPupil, leaving_date: Option<NaiveDate>) -> Result<PupilId> {
    let id = insert(tx, pupil)?;
    if let Some(date) = leaving_date {
        set_leaving_date(tx, id, date)?;
    }
    Ok(id)
}

/// Commits and returns the pupil as the screen will show them.
pub(super) fn finish(tx: rusqlite::Transaction<'_>, id: PupilId) -> Result<PupilRecord> {
    let record = record(&tx, id)?;
    tx.commit()?;
    Ok(record)
}

fn refuse_duplicate_upn(conn: &Connection, upn: &Upn, except: Option<PupilId>) -> Result<()> {
    match id_by_upn(conn, upn)? {
        Some(other) if Some(other) != except && except.is_none() && leaver(conn, other)?.is_some() => {
            let (name, left) = leaver(conn, other)?.expect("a leaver");
            Err(Error::invalid(
                "upn",
                format!(
                    "UPN {upn} is {name}'s, who left on {}: to take them back on roll, open their record (the register's Left view) and re-admit them, so their history is kept",
                    crate::dates::short(left)
                ),
            ))
        }
        Some(other) if Some(other) != except => Err(Error::invalid(
            "upn",
            format!("UPN {upn} is already used by another pupil on the register; each pupil's UPN is unique"),
        )),
        _ => Ok(()),
    }
}

/// The name and leaving date of a pupil who has a leaving date.
fn leaver(conn: &Connection, id: PupilId) -> Result<Option<(String, NaiveDate)>> {
    let found = conn
        .prepare_cached("SELECT legal_forename, legal_surname, leaving_date FROM pupil WHERE id = ?1 AND leaving_date IS NOT NULL")?
        .query_row([id.0], |r| Ok((format!("{} {}", r.get::<_, String>(0)?, r.get::<_, String>(1)?), r.get(2)?)))
        .optional()?;
    Ok(found)
}

/// The end of the pupil's last earlier time on roll, if they have been re-admitted.
fn previous_leaving(conn: &Connection, id: PupilId) -> Result<Option<NaiveDate>> {
    Ok(conn.prepare_cached("SELECT max(leaving_date) FROM enrolment WHERE pupil_id = ?1")?.query_row([id.0], |r| r.get(0))?)
}

/// Earlier times on roll, oldest first.
fn previous_enrolments(conn: &Connection, id: PupilId) -> Result<Vec<Enrolment>> {
    let mut statement = conn.prepare_cached("SELECT admission_date, leaving_date FROM enrolment WHERE pupil_id = ?1 ORDER BY admission_date")?;
    let rows = statement.query_map([id.0], |r| Ok(Enrolment { admission_date: r.get(0)?, leaving_date: r.get(1)? }))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub(super) fn id_by_upn(conn: &Connection, upn: &Upn) -> Result<Option<PupilId>> {
    Ok(conn
        .prepare_cached("SELECT id FROM pupil WHERE upn = ?1")?
        .query_row([upn.as_str()], |r| r.get(0).map(PupilId))
        .optional()?)
}

pub(super) fn insert(conn: &Connection, p: &ValidPupil) -> Result<PupilId> {
    conn.prepare_cached(
        "INSERT INTO pupil (upn, legal_forename, legal_surname, preferred_forename, preferred_surname,
                            date_of_birth, sex, nc_year, form, admission_date,
                            pupil_premium, fsm, eal, looked_after, attendance_pct)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)",
    )?
    .execute(details(p).as_slice())?;
    Ok(PupilId(conn.last_insert_rowid()))
}

pub(super) fn update(conn: &Connection, id: PupilId, p: &ValidPupil) -> Result<()> {
    let mut values = details(p).to_vec();
    values.push(&id.0);
    conn.prepare_cached(
        "UPDATE pupil SET upn = ?1, legal_forename = ?2, legal_surname = ?3, preferred_forename = ?4,
                preferred_surname = ?5, date_of_birth = ?6, sex = ?7, nc_year = ?8, form = ?9,
                admission_date = ?10, pupil_premium = ?11, fsm = ?12, eal = ?13, looked_after = ?14,
                attendance_pct = ?15
         WHERE id = ?16",
    )?
    .execute(values.as_slice())?;
    Ok(())
}

// How the column-mapped domain values are written and read: a UPN as its 13 characters,
// sex as the census's one letter. Reading back anything else is an error, never a default.
impl ToSql for Upn {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(ToSqlOutput::from(self.as_str()))
    }
}

impl FromSql for Upn {
    fn column_result(value: ValueRef<'_>) -> FromSqlResult<Self> {
        let text = value.as_str()?;
        Upn::parse(text).map_err(|e| FromSqlError::Other(format!("the stored UPN {text:?} is not valid: {e}").into()))
    }
}

code_column!(Sex, "sex");

/// The pupil's details as parameters ?1 to ?15, in the column order of `insert` and `update`.
fn details(p: &ValidPupil) -> [&dyn ToSql; 15] {
    [
        &p.upn,
        &p.legal_forename,
        &p.legal_surname,
        &p.preferred_forename,
        &p.preferred_surname,
        &p.date_of_birth,
        &p.sex,
        &p.nc_year,
        &p.form,
        &p.admission_date,
        &p.pupil_premium,
        &p.fsm,
        &p.eal,
        &p.looked_after,
        &p.attendance_pct,
    ]
}

pub(super) fn set_leaving_date(conn: &Connection, id: PupilId, date: NaiveDate) -> Result<()> {
    conn.execute("UPDATE pupil SET leaving_date = ?2 WHERE id = ?1", params![id.0, date])?;
    Ok(())
}

pub(super) fn record(conn: &Connection, id: PupilId) -> Result<PupilRecord> {
    let details = conn
        .prepare_cached(
            "SELECT upn, legal_forename, legal_surname, preferred_forename, preferred_surname,
                    date_of_birth, sex, nc_year, form, admission_date, leaving_date,
                    pupil_premium, fsm, eal, looked_after, attendance_pct
             FROM pupil WHERE id = ?1",
        )?
        .query_row([id.0], |r| {
            let upn: Upn = r.get(0)?;
            Ok(PupilRecord {
                id,
                upn_temporary: upn.is_temporary(),
                upn: upn.to_string(),
                legal_forename: r.get(1)?,
                legal_surname: r.get(2)?,
                preferred_forename: r.get(3)?,
                preferred_surname: r.get(4)?,
                date_of_birth: r.get(5)?,
                sex: r.get(6)?,
                nc_year: r.get(7)?,
                form: r.get(8)?,
                admission_date: r.get(9)?,
                leaving_date: r.get(10)?,
                pupil_premium: r.get(11)?,
                fsm: r.get(12)?,
                eal: r.get(13)?,
                looked_after: r.get(14)?,
                attendance_pct: r.get(15)?,
                status: SenStatus::NoSen,
                status_since: r.get(9)?,
                status_history: Vec::new(),
                needs: Vec::new(),
                next_rank: None,
                previous_enrolments: Vec::new(),
            })
        })
        .optional()?
        .ok_or_else(|| Error::NotFound { what: "pupil", id: id.0.to_string() })?;
    let status_history = sen::status_history(conn, id)?;
    let current = status_history.iter().find(|p| p.end_date.is_none()).or(status_history.last());
    let needs = sen::needs(conn, id)?;
    Ok(PupilRecord {
        status: current.map_or(details.status, |p| p.status),
        status_since: current.map_or(details.status_since, |p| p.start_date),
        next_rank: crate::sen::next_free_rank(needs.iter().filter(|n| n.end_date.is_none()).map(|n| n.rank)),
        previous_enrolments: previous_enrolments(conn, id)?,
        needs,
        status_history,
        ..details
    })
}
