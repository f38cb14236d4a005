//! The `pupil` table and the whole pupil record read for the pupil screen.

use chrono::NaiveDate;
use rusqlite::types::ToSqlOutput;
use rusqlite::{params, Connection, OptionalExtension, ToSql};

use crate::error::{Error, Result};
use crate::pupil::{PupilId, PupilRecord, Sex, ValidPupil};
use crate::upn::Upn;

use super::sen;

pub(super) fn refuse_duplicate_upn(conn: &Connection, upn: &Upn, except: Option<PupilId>) -> Result<()> {
    match id_by_upn(conn, upn)? {
        Some(other) if Some(other) != except => Err(Error::invalid(
            "upn",
            format!("UPN {upn} is already used by another pupil on the register; each pupil's UPN is unique"),
        )),
        _ => Ok(()),
    }
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

// How the column-mapped domain values are written: a UPN as its 13 characters, sex as the
// census's one letter.
impl ToSql for Upn {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(ToSqlOutput::from(self.as_str()))
    }
}

impl ToSql for Sex {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(ToSqlOutput::from(self.code()))
    }
}

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
            let upn: String = r.get(0)?;
            let sex: String = r.get(6)?;
            Ok(PupilRecord {
                id,
                upn_temporary: upn.as_bytes().last().is_some_and(u8::is_ascii_alphabetic),
                upn,
                legal_forename: r.get(1)?,
                legal_surname: r.get(2)?,
                preferred_forename: r.get(3)?,
                preferred_surname: r.get(4)?,
                date_of_birth: r.get(5)?,
                sex: Sex::from_code(&sex).unwrap_or(Sex::F),
                nc_year: r.get(7)?,
                form: r.get(8)?,
                admission_date: r.get(9)?,
                leaving_date: r.get(10)?,
                pupil_premium: r.get(11)?,
                fsm: r.get(12)?,
                eal: r.get(13)?,
                looked_after: r.get(14)?,
                attendance_pct: r.get(15)?,
                status: crate::census::SenStatus::NoSen,
                status_since: r.get(9)?,
                status_history: Vec::new(),
                needs: Vec::new(),
            })
        })
        .optional()?
        .ok_or_else(|| Error::NotFound { what: "pupil", id: id.0.to_string() })?;
    let status_history = sen::status_history(conn, id)?;
    let current = status_history.iter().find(|p| p.end_date.is_none()).or(status_history.last());
    Ok(PupilRecord {
        status: current.map_or(details.status, |p| p.status),
        status_since: current.map_or(details.status_since, |p| p.start_date),
        needs: sen::needs(conn, id)?,
        status_history,
        ..details
    })
}
