//! Retention and erasure: how long a leaver's SEN file is kept, the list of files past
//! that date, and erasing them.
//!
//! A pupil who has left is kept until their date of birth plus the school's retention
//! period (31 years by default: age 25, the end of SEND duties, plus six years for claims;
//! a school may choose 25 to 35, domain.md §8.4). Erasure removes every row of the pupil,
//! attachments and audit entries about them included, in one transaction with SQLite's
//! `secure_delete` on (set on every connection), then checkpoints the WAL so no copy of
//! the erased pages stays in it. Its own audit entry keeps only the count and the date.

use chrono::{Datelike, NaiveDate};
use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::{audit, Store};
use crate::error::{Error, Result};
use crate::pupil::PupilId;
use crate::Stamp;

pub const RETENTION_DEFAULT_YEARS: u32 = 31;
pub const RETENTION_MIN_YEARS: u32 = 25;
pub const RETENTION_MAX_YEARS: u32 = 35;
const RETENTION_SETTING: &str = "retention_years";

/// The day a leaver's file may be erased: their birthday `years` on (1 March for a
/// 29 February birthday in a common year, when in England and Wales the age is reached).
pub fn retain_until(date_of_birth: NaiveDate, years: u32) -> NaiveDate {
    let year = date_of_birth.year() + years as i32;
    date_of_birth
        .with_year(year)
        .or_else(|| NaiveDate::from_ymd_opt(year, 3, 1))
        .expect("a real day")
}

/// A leaver whose file is past its retention date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct PurgeCandidate {
    pub pupil_id: PupilId,
    pub upn: String,
    pub name: String,
    pub date_of_birth: NaiveDate,
    pub left_on: NaiveDate,
    pub retain_until: NaiveDate,
}

/// The files due for erasure, with how much erasing all of them removes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct PurgeList {
    pub years: u32,
    pub today: NaiveDate,
    pub candidates: Vec<PurgeCandidate>,
}

/// What erasing a set of pupils removes, counted before it is done, for the confirmation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ErasureCount {
    pub pupils: u32,
    /// Rows of every kind: details, history, cycles, provision, meetings, audit entries…
    pub records: u32,
    pub attachments: u32,
}

impl ErasureCount {
    /// "2 pupils: 37 records and 3 attachments", the words every confirmation and the audit
    /// entry use.
    pub fn describe(&self) -> String {
        format!(
            "{} {}: {} records and {} attachments",
            self.pupils,
            if self.pupils == 1 { "pupil" } else { "pupils" },
            self.records,
            self.attachments
        )
    }
}

/// The retention setting with its bounds, for the settings form.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct RetentionSetting {
    pub years: u32,
    pub default_years: u32,
    pub min_years: u32,
    pub max_years: u32,
}

/// Every table that holds a pupil's rows, with how to find them, children before parents.
pub(super) const PUPIL_ROWS: &[(&str, &str)] = &[
    ("delivery", "planned_intervention_id IN (SELECT id FROM planned_intervention WHERE pupil_id = ?1)"),
    ("planned_intervention", "pupil_id = ?1"),
    ("strategy_tick", "cycle_id IN (SELECT id FROM cycle WHERE pupil_id = ?1)"),
    ("cycle_stage", "cycle_id IN (SELECT id FROM cycle WHERE pupil_id = ?1)"),
    ("amendment", "cycle_id IN (SELECT id FROM cycle WHERE pupil_id = ?1)"),
    ("cycle", "pupil_id = ?1"),
    ("attachment", "involvement_id IN (SELECT id FROM involvement WHERE pupil_id = ?1)"),
    ("recommendation", "involvement_id IN (SELECT id FROM involvement WHERE pupil_id = ?1)"),
    ("involvement", "pupil_id = ?1"),
    ("parent_meeting", "pupil_id = ?1"),
    ("profile", "pupil_id = ?1"),
    ("ehc_request", "pupil_id = ?1"),
    ("consent", "pupil_id = ?1"),
    ("annual_review", "pupil_id = ?1"),
    ("reconciliation", "pupil_id = ?1"),
    ("enrolment", "pupil_id = ?1"),
    ("need", "pupil_id = ?1"),
    ("sen_status", "pupil_id = ?1"),
    ("audit", "record = 'pupil' AND record_id = ?1"),
    ("pupil", "id = ?1"),
];

impl Store {
    pub fn retention_setting(&self) -> Result<RetentionSetting> {
        let stored: Option<String> = self.conn.query_row("SELECT value FROM setting WHERE key = ?1", [RETENTION_SETTING], |r| r.get(0)).optional()?;
        let years = match stored {
            None => RETENTION_DEFAULT_YEARS,
            Some(text) => text.parse().ok().filter(|y| (RETENTION_MIN_YEARS..=RETENTION_MAX_YEARS).contains(y)).ok_or_else(|| Error::Damaged {
                path: Some(self.path.clone()),
                detail: format!("the retention period is stored as {:?}", crate::text::shown(&text)),
            })?,
        };
        Ok(RetentionSetting { years, default_years: RETENTION_DEFAULT_YEARS, min_years: RETENTION_MIN_YEARS, max_years: RETENTION_MAX_YEARS })
    }

    /// Sets how many years after birth a leaver's file is kept.
    pub fn set_retention_years(&mut self, years: u32, stamp: Stamp) -> Result<RetentionSetting> {
        if !(RETENTION_MIN_YEARS..=RETENTION_MAX_YEARS).contains(&years) {
            return Err(Error::invalid(
                "years",
                format!("keep a leaver's SEN file until they are between {RETENTION_MIN_YEARS} and {RETENTION_MAX_YEARS} years old (the usual advice is {RETENTION_DEFAULT_YEARS})"),
            ));
        }
        let before = self.retention_setting()?.years;
        let tx = self.begin(stamp)?;
        tx.execute("INSERT INTO setting (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET value = excluded.value", params![RETENTION_SETTING, years.to_string()])?;
        audit::record(&tx, stamp, "set-retention", "setting", None, &format!("leavers' files kept until date of birth + {years} years (was {before})"))?;
        tx.commit()?;
        self.retention_setting()
    }

    /// The day this pupil's file may be erased, if they have left.
    pub fn retain_until(&self, pupil: PupilId) -> Result<Option<NaiveDate>> {
        let years = self.retention_setting()?.years;
        let row: Option<(NaiveDate, Option<NaiveDate>)> =
            self.conn.query_row("SELECT date_of_birth, leaving_date FROM pupil WHERE id = ?1", [pupil.0], |r| Ok((r.get(0)?, r.get(1)?))).optional()?;
        let (born, left) = row.ok_or(Error::NotFound { what: "pupil", id: pupil.0.to_string() })?;
        Ok(left.map(|_| retain_until(born, years)))
    }

    /// Leavers whose files are past their retention date on `today`, oldest date first.
    pub fn purge_list(&self, today: NaiveDate) -> Result<PurgeList> {
        let years = self.retention_setting()?.years;
        let mut statement = self.conn.prepare_cached(
            "SELECT id, upn, legal_forename || ' ' || legal_surname, date_of_birth, leaving_date FROM pupil
              WHERE leaving_date IS NOT NULL ORDER BY date_of_birth, id",
        )?;
        let rows = statement.query_map([], |r| Ok((PupilId(r.get(0)?), r.get::<_, String>(1)?, r.get::<_, String>(2)?, r.get::<_, NaiveDate>(3)?, r.get::<_, NaiveDate>(4)?)))?;
        let mut candidates = Vec::new();
        for row in rows {
            let (pupil_id, upn, name, date_of_birth, left_on) = row?;
            let until = retain_until(date_of_birth, years);
            if until <= today {
                candidates.push(PurgeCandidate { pupil_id, upn, name, date_of_birth, left_on, retain_until: until });
            }
        }
        Ok(PurgeList { years, today, candidates })
    }

    /// What erasing these pupils would remove.
    pub fn erasure_count(&self, pupils: &[PupilId]) -> Result<ErasureCount> {
        count(&self.conn, pupils)
    }

    /// Erases these pupils' files. Each must be on today's purge list, and `confirmed` must
    /// be the count the person was shown (`erasure_count`), so nothing more goes than they
    /// agreed to. All or nothing.
    pub fn erase(&mut self, pupils: &[PupilId], confirmed: ErasureCount, stamp: Stamp) -> Result<ErasureCount> {
        if pupils.is_empty() {
            return Err(Error::Refused("choose at least one pupil to erase".into()));
        }
        let due = self.purge_list(stamp.today)?;
        for pupil in pupils {
            if !due.candidates.iter().any(|c| c.pupil_id == *pupil) {
                return Err(Error::Refused(format!(
                    "pupil {} is not due for erasure: only pupils who have left and are past their retention date (date of birth + {} years) can be erased",
                    pupil.0, due.years
                )));
            }
        }
        let tx = self.begin(stamp)?;
        let counted = count(&tx, pupils)?;
        if counted != confirmed {
            return Err(Error::Refused(format!(
                "the records to erase have changed since they were counted ({} records and {} attachments now, {} and {} when confirmed); nothing was erased: look again and confirm",
                counted.records, counted.attachments, confirmed.records, confirmed.attachments
            )));
        }
        for pupil in pupils {
            tx.execute("INSERT INTO erasure_in_progress (pupil_id) VALUES (?1)", [pupil.0])?;
            for (table, which) in PUPIL_ROWS {
                tx.execute(&format!("DELETE FROM {table} WHERE {which}"), [pupil.0])?;
            }
        }
        tx.execute("DELETE FROM erasure_in_progress", [])?;
        let summary = format!("erased the files past their retention date of {}", counted.describe());
        audit::record(&tx, stamp, "erase", "school", None, &summary)?;
        tx.commit()?;
        // The erased pages were zeroed in the WAL's newer copies; fold them into the
        // database and empty the WAL, so the old pages are gone from it too.
        // A reader in another program can hold the checkpoint back: try for a few seconds.
        for _ in 0..50 {
            let busy: i64 = self.conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |r| r.get(0))?;
            if busy == 0 {
                break;
            }
            std::thread::sleep(std::time::Duration::from_millis(100));
        }
        Ok(counted)
    }
}

fn count(conn: &Connection, pupils: &[PupilId]) -> Result<ErasureCount> {
    let mut total = ErasureCount { pupils: pupils.len() as u32, records: 0, attachments: 0 };
    for pupil in pupils {
        for (table, which) in PUPIL_ROWS {
            let n: i64 = conn.query_row(&format!("SELECT count(*) FROM {table} WHERE {which}"), [pupil.0], |r| r.get(0))?;
            total.records += n as u32;
            if *table == "attachment" {
                total.attachments += n as u32;
            }
        }
    }
    Ok(total)
}
