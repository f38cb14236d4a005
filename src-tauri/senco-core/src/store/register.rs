//! The register's selection: one statement with every filter as a parameter, so no SQL is
//! ever built from what the SENCO types (only the ORDER BY, from the sort column's enum);
//! and the `Store` methods that read the register. The order is the one `register` defines,
//! with names compared by [`rules::name_order`] as the `name_order` collation.

use std::fmt::Write as _;

use chrono::NaiveDate;
#[cfg(feature = "bench-probes")]
use rusqlite::params;
use rusqlite::{Connection, Params};

use crate::census::{BroadArea, NeedCode, SenStatus};
use crate::error::Result;
use crate::pupil::PupilId;
use crate::register::{self as rules, RegisterFilter, RegisterPage, RegisterQuery, RegisterRow, Roll, SortColumn, StatusCounts};

use super::Store;

impl Store {
    /// One page of the register, with counts for everything the filter selects.
    /// A pupil with a leaving date still to come is on roll until that day.
    /// Sorting and paging happen in SQL, so only the page's rows are built.
    pub fn register(&self, query: &RegisterQuery, today: NaiveDate) -> Result<RegisterPage> {
        let counts = count(&self.conn, &query.filter, today)?;
        let total = counts.no_sen + counts.monitoring + counts.sen_support + counts.ehc_plan;
        let page_size = rules::page_size(query.page_size);
        let page = rules::clamp_page(query.page, page_size, total);
        let rows = select(&self.conn, &query.filter, query.sort, query.descending, today, (i64::from(page_size), i64::from(page) * i64::from(page_size)))?;
        let everyone = self.conn.prepare_cached("SELECT count(*) FROM pupil")?.query_row([], |r| r.get(0))?;
        Ok(RegisterPage { rows, total, everyone, page, page_size, counts })
    }

    /// Every row the filter selects, sorted; for the command line's list and exports.
    pub fn register_rows(&self, filter: &RegisterFilter, sort: SortColumn, descending: bool, today: NaiveDate) -> Result<Vec<RegisterRow>> {
        select(&self.conn, filter, sort, descending, today, (-1, 0))
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

    /// The register's SQL, unsorted and unpaged, stepped through raw: the second baseline.
    #[cfg(feature = "bench-probes")]
    pub fn raw_register_scan(&self) -> Result<usize> {
        raw_register_scan(&self.conn)
    }
}

/// Registers the `name_order` collation the register's ORDER BY uses. Every connection the
/// store reads the register through has it (see `tune`).
pub(crate) fn add_collations(conn: &Connection) -> Result<()> {
    conn.create_collation("name_order", rules::name_order)?;
    Ok(())
}

const COLUMNS: &str = "p.id, p.upn, p.legal_forename, p.legal_surname, p.preferred_forename, p.preferred_surname,
       p.nc_year, p.form, p.current_status, p.primary_need,
       p.pupil_premium, p.fsm, p.eal, p.looked_after, p.leaving_date, p.date_of_birth";

const FILTER: &str = "
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

/// The ORDER BY for a column: the column, then the name shown (preferred where given),
/// then the UPN, every key reversed when descending. Built from the enums only.
fn order_by(column: SortColumn, descending: bool) -> String {
    let mut keys: Vec<String> = Vec::new();
    let rank = |cases: &mut String, code: &str, rank: usize| {
        let _ = write!(cases, " WHEN '{code}' THEN {rank}");
    };
    match column {
        SortColumn::Name => {}
        SortColumn::Upn => keys.push("p.upn".into()),
        SortColumn::NcYear => keys.push("p.nc_year".into()),
        SortColumn::Form => keys.push("p.form".into()),
        SortColumn::Status => {
            let mut cases = String::new();
            for (i, status) in SenStatus::ALL.into_iter().enumerate() {
                rank(&mut cases, status.code(), i);
            }
            keys.push(format!("CASE p.current_status{cases} END"));
        }
        // Codes compare as text, and a pupil with no primary need comes first.
        SortColumn::PrimaryNeed => keys.push("p.primary_need".into()),
        SortColumn::Area => {
            let mut cases = String::new();
            for need in NeedCode::ALL {
                rank(&mut cases, need.code(), area_rank(need.area()));
            }
            keys.push(format!("CASE p.primary_need{cases} ELSE 0 END"));
        }
    }
    keys.push("CASE WHEN p.preferred_surname = '' THEN p.legal_surname ELSE p.preferred_surname END COLLATE name_order".into());
    keys.push("CASE WHEN p.preferred_forename = '' THEN p.legal_forename ELSE p.preferred_forename END COLLATE name_order".into());
    keys.push("p.upn".into());
    let direction = if descending { " DESC" } else { "" };
    keys.iter().map(|key| format!("{key}{direction}")).collect::<Vec<_>>().join(", ")
}

/// An area's place in the order: after "no area" (0), in the order the areas are declared.
fn area_rank(area: BroadArea) -> usize {
    1 + BroadArea::ALL.iter().position(|a| *a == area).expect("every area is in ALL")
}

/// The filter's parameters, ?1 to ?11, in the order FILTER numbers them.
fn filter_params(filter: &RegisterFilter, today: NaiveDate) -> impl Params + '_ {
    let roll = match filter.roll {
        Roll::OnRoll => "onRoll",
        Roll::Left => "left",
        Roll::All => "all",
    };
    let search = filter.search.trim();
    let pattern = (!search.is_empty()).then(|| format!("%{}%", escape_like(search)));
    (
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
    )
}

/// How many pupils of each status the filter selects.
fn count(conn: &Connection, filter: &RegisterFilter, today: NaiveDate) -> Result<StatusCounts> {
    let mut statement = conn.prepare_cached(&format!("SELECT p.current_status, count(*) {FILTER} GROUP BY p.current_status"))?;
    let mut counts = StatusCounts::default();
    let mut rows = statement.query(filter_params(filter, today))?;
    while let Some(row) = rows.next()? {
        let n: u32 = row.get(1)?;
        match row.get::<_, SenStatus>(0)? {
            SenStatus::NoSen => counts.no_sen = n,
            SenStatus::Monitoring => counts.monitoring = n,
            SenStatus::SenSupport => counts.sen_support = n,
            SenStatus::EhcPlan => counts.ehc_plan = n,
        }
    }
    Ok(counts)
}

/// The rows the filter selects, in the register's order; `(limit, offset)` cut out a page
/// (a limit of -1 means every row).
fn select(conn: &Connection, filter: &RegisterFilter, sort: SortColumn, descending: bool, today: NaiveDate, (limit, offset): (i64, i64)) -> Result<Vec<RegisterRow>> {
    let sql = format!("SELECT {COLUMNS} {FILTER} ORDER BY {} LIMIT {limit} OFFSET {offset}", order_by(sort, descending));
    let mut statement = conn.prepare_cached(&sql)?;
    let rows = statement.query_map(filter_params(filter, today), |r| {
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
    })?;
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

/// The second baseline: the register's own SELECT with no filter, unsorted and unpaged, stepped through with
/// every column read, but no mapping, sorting or counting.
#[cfg(feature = "bench-probes")]
fn raw_register_scan(conn: &Connection) -> Result<usize> {
    let mut statement = conn.prepare_cached(&format!("SELECT {COLUMNS} {FILTER}"))?;
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
