//! The register's selection: one statement with every filter as a parameter, so no SQL is
//! ever built from what the SENCO types; and the `Store` methods that read the register.

use chrono::NaiveDate;
use rusqlite::{params, Connection};

use crate::census::{BroadArea, NeedCode};
use crate::error::Result;
use crate::pupil::PupilId;
use crate::register::{self as rules, RegisterFilter, RegisterPage, RegisterQuery, RegisterRow, Roll, SortColumn};

use super::Store;

impl Store {
    /// One page of the register, with counts for everything the filter selects.
    /// A pupil with a leaving date still to come is on roll until that day.
    pub fn register(&self, query: &RegisterQuery, today: NaiveDate) -> Result<RegisterPage> {
        let rows = select(&self.conn, &query.filter, today)?;
        let everyone = self.conn.prepare_cached("SELECT count(*) FROM pupil")?.query_row([], |r| r.get(0))?;
        Ok(RegisterPage { everyone, ..rules::page(rows, query) })
    }

    /// Every row the filter selects, sorted; for the command line's list and exports.
    pub fn register_rows(&self, filter: &RegisterFilter, sort: SortColumn, descending: bool, today: NaiveDate) -> Result<Vec<RegisterRow>> {
        let mut rows = select(&self.conn, filter, today)?;
        rules::sort_rows(&mut rows, sort, descending);
        Ok(rows)
    }

    /// The raw scan the register is benchmarked against: the same pupils, no joins.
    #[cfg(feature = "bench-probes")]
    pub fn raw_pupil_scan(&self) -> Result<usize> {
        raw_scan(&self.conn)
    }

    /// The integrity check that every open runs, alone.
    #[cfg(feature = "bench-probes")]
    pub fn quick_check(&self) -> Result<()> {
        super::check::quick(&self.conn)
    }

    /// The register's SQL, joins included, stepped through raw: the second baseline.
    #[cfg(feature = "bench-probes")]
    pub fn raw_register_scan(&self) -> Result<usize> {
        raw_register_scan(&self.conn)
    }
}

const SELECT: &str = "
SELECT p.id, p.upn, p.legal_forename, p.legal_surname, p.preferred_forename, p.preferred_surname,
       p.nc_year, p.form, p.current_status, p.primary_need,
       p.pupil_premium, p.fsm, p.eal, p.looked_after, p.leaving_date, p.date_of_birth
FROM pupil p
WHERE (?1 IS NULL OR p.current_status = ?1)
  AND (?2 IS NULL OR p.primary_need = ?2)
  AND (?3 IS NULL OR p.primary_need IN (SELECT code FROM need_type WHERE broad_area = ?3))
  AND (?4 IS NULL OR p.nc_year = ?4)
  AND (?5 IS NULL OR p.pupil_premium = ?5)
  AND (?6 IS NULL OR p.fsm = ?6)
  AND (?7 IS NULL OR p.eal = ?7)
  AND (?8 IS NULL OR p.looked_after = ?8)
  AND (?9 = 'all' OR (?9 = 'onRoll' AND (p.leaving_date IS NULL OR p.leaving_date >= ?11)) OR (?9 = 'left' AND p.leaving_date < ?11))
  AND (?10 IS NULL
       OR p.upn LIKE ?10 ESCAPE '\\'
       OR (p.legal_forename || ' ' || p.legal_surname) LIKE ?10 ESCAPE '\\'
       OR (p.preferred_forename || ' ' || p.legal_surname) LIKE ?10 ESCAPE '\\'
       OR (p.legal_forename || ' ' || p.preferred_surname) LIKE ?10 ESCAPE '\\'
       OR (p.preferred_forename || ' ' || p.preferred_surname) LIKE ?10 ESCAPE '\\'
       OR (p.legal_surname || ' ' || p.legal_forename) LIKE ?10 ESCAPE '\\')";

fn select(conn: &Connection, filter: &RegisterFilter, today: NaiveDate) -> Result<Vec<RegisterRow>> {
    let roll = match filter.roll {
        Roll::OnRoll => "onRoll",
        Roll::Left => "left",
        Roll::All => "all",
    };
    let search = filter.search.trim();
    let pattern = (!search.is_empty()).then(|| format!("%{}%", escape_like(search)));
    let mut statement = conn.prepare_cached(SELECT)?;
    let rows = statement.query_map(
        params![
            filter.status,
            filter.need,
            filter.area.map(BroadArea::slug),
            filter.nc_year,
            filter.pupil_premium,
            filter.fsm,
            filter.eal,
            filter.looked_after,
            roll,
            pattern,
            today,
        ],
        |r| {
            // Every UPN was checked when it was written; the register reads it as text.
            let upn: String = r.get(1)?;
            let preferred_forename: String = r.get(4)?;
            let preferred_surname: String = r.get(5)?;
            let primary_need: Option<NeedCode> = r.get(9)?;
            Ok(RegisterRow {
                id: PupilId(r.get(0)?),
                upn_temporary: upn.as_bytes().last().is_some_and(u8::is_ascii_alphabetic),
                upn,
                forename: if preferred_forename.is_empty() { r.get(2)? } else { preferred_forename },
                surname: if preferred_surname.is_empty() { r.get(3)? } else { preferred_surname },
                nc_year: r.get(6)?,
                form: r.get(7)?,
                status: r.get(8)?,
                primary_need,
                area: primary_need.map(|n| n.area()),
                pupil_premium: r.get(10)?,
                fsm: r.get(11)?,
                eal: r.get(12)?,
                looked_after: r.get(13)?,
                leaving_date: r.get_ref(14)?.as_str_or_null()?.map(iso_date).transpose()?,
                date_of_birth: iso_date(r.get_ref(15)?.as_str()?)?,
            })
        },
    )?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The baseline for the benchmark: the same columns of every pupil, with no joins.
#[cfg(feature = "bench-probes")]
fn raw_scan(conn: &Connection) -> Result<usize> {
    let mut statement = conn.prepare_cached(
        "SELECT id, upn, legal_forename, legal_surname, preferred_forename, preferred_surname, nc_year, form,
                pupil_premium, fsm, eal, looked_after, leaving_date FROM pupil",
    )?;
    let mut rows = statement.query([])?;
    let mut count = 0;
    while let Some(row) = rows.next()? {
        // Read every column, as the register does, so the comparison is like for like.
        let _: (i64, String, String, String, String, String) = (row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?, row.get(4)?, row.get(5)?);
        let _: (i32, String, bool, bool, bool, bool, Option<String>) =
            (row.get(6)?, row.get(7)?, row.get(8)?, row.get(9)?, row.get(10)?, row.get(11)?, row.get(12)?);
        count += 1;
    }
    Ok(count)
}

/// The second baseline: the register's own SELECT with no filter, stepped through with
/// every column read, but no mapping, sorting or counting.
#[cfg(feature = "bench-probes")]
fn raw_register_scan(conn: &Connection) -> Result<usize> {
    let mut statement = conn.prepare_cached(SELECT)?;
    let none: Option<String> = None;
    let mut rows = statement.query(params![none, none, none, none, none, none, none, none, "all", none, none])?;
    let mut count = 0;
    while let Some(row) = rows.next()? {
        let _: (i64, String, String, String, String, String) = (row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?, row.get(4)?, row.get(5)?);
        let _: (i32, String, String, Option<String>) = (row.get(6)?, row.get(7)?, row.get(8)?, row.get(9)?);
        let _: (bool, bool, bool, bool, Option<String>) = (row.get(10)?, row.get(11)?, row.get(12)?, row.get(13)?, row.get(14)?);
        count += 1;
    }
    Ok(count)
}

/// A stored `YYYY-MM-DD` date, read without a general-purpose parser: the register reads
/// two for each of up to 20,000 pupils.
fn iso_date(text: &str) -> rusqlite::Result<NaiveDate> {
    let bytes = text.as_bytes();
    let number = |range: std::ops::Range<usize>| -> Option<u32> {
        bytes.get(range)?.iter().try_fold(0u32, |n, &b| b.is_ascii_digit().then(|| n * 10 + u32::from(b - b'0')))
    };
    let parsed = (bytes.len() == 10 && bytes[4] == b'-' && bytes[7] == b'-')
        .then(|| NaiveDate::from_ymd_opt(number(0..4)? as i32, number(5..7)?, number(8..10)?))
        .flatten();
    parsed.ok_or_else(|| rusqlite::Error::FromSqlConversionFailure(0, rusqlite::types::Type::Text, format!("the stored date {text:?} is not a date").into()))
}

fn escape_like(text: &str) -> String {
    text.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_")
}
