//! Raw scans the graduated-approach benchmark compares against (`bench_support`): the same
//! rows the worklist, a pupil's cycle history and the provision map read, stepped through
//! with every column read and nothing else done. Not part of the API.

use rusqlite::Connection;

use crate::error::Result;
use crate::pupil::PupilId;

use super::Store;

fn scan(conn: &Connection, sql: &str, params: impl rusqlite::Params) -> Result<usize> {
    let mut statement = conn.prepare_cached(sql)?;
    let columns = statement.column_count();
    let mut rows = statement.query(params)?;
    let mut count = 0;
    while let Some(row) = rows.next()? {
        for i in 0..columns {
            std::hint::black_box(row.get_ref(i)?);
        }
        count += 1;
    }
    Ok(count)
}

impl Store {
    /// The governors' yardstick: one aggregate scan of the pupils on roll at a census, by
    /// the status each held that day.
    pub fn raw_census_scan(&self, census: chrono::NaiveDate) -> Result<usize> {
        scan(
            &self.conn,
            "SELECT s.status, count(*) FROM pupil p LEFT JOIN sen_status s ON s.pupil_id = p.id AND s.start_date <= ?1 AND (s.end_date IS NULL OR s.end_date >= ?1)
             WHERE p.admission_date <= ?1 AND (p.leaving_date IS NULL OR p.leaving_date >= ?1) GROUP BY s.status",
            [census],
        )
    }

    /// Every row the worklist looks at: open cycles, pupils on K or E, this year's parent
    /// meetings and the recommendations not acted on, each read once.
    pub fn raw_worklist_scan(&self, today: chrono::NaiveDate) -> Result<usize> {
        let year_start = super::worklist::meetings_expected(today).0;
        Ok(scan(&self.conn, "SELECT pupil_id, number, review_due, plan_date, parent_notice_on FROM cycle WHERE locked_on IS NULL", [])?
            + scan(&self.conn, "SELECT id, upn, legal_forename, legal_surname, current_status, leaving_date FROM pupil WHERE current_status IN ('K', 'E')", [])?
            + scan(&self.conn, "SELECT pupil_id, date FROM parent_meeting WHERE date >= ?1", [year_start])?
            + scan(&self.conn, "SELECT r.id, i.pupil_id, i.service, i.report_date FROM recommendation r JOIN involvement i ON i.id = r.involvement_id WHERE r.acted_on IS NULL", [])?)
    }

    /// Every row of one pupil's cycle history: the cycles with their stage documents, the
    /// planned interventions, the sessions and the amendments.
    pub fn raw_history_scan(&self, pupil: PupilId) -> Result<usize> {
        Ok(scan(&self.conn, "SELECT * FROM cycle WHERE pupil_id = ?1", [pupil.0])?
            + scan(&self.conn, "SELECT s.* FROM cycle_stage s JOIN cycle c ON c.id = s.cycle_id WHERE c.pupil_id = ?1", [pupil.0])?
            + scan(&self.conn, "SELECT p.*, i.key, i.name FROM planned_intervention p JOIN intervention i ON i.id = p.intervention_id WHERE p.pupil_id = ?1", [pupil.0])?
            + scan(&self.conn, "SELECT d.* FROM delivery d JOIN planned_intervention p ON p.id = d.planned_intervention_id WHERE p.pupil_id = ?1", [pupil.0])?
            + scan(&self.conn, "SELECT a.* FROM amendment a JOIN cycle c ON c.id = a.cycle_id WHERE c.pupil_id = ?1", [pupil.0])?)
    }

    /// Every planned intervention starting in the academic year, with its pupil, library
    /// entry and sessions, read raw.
    pub fn raw_provision_scan(&self, year: i32) -> Result<usize> {
        let from = format!("{year}-09-01");
        let to = format!("{}-08-31", year + 1);
        Ok(scan(
            &self.conn,
            "SELECT pi.*, p.upn, p.legal_forename, p.legal_surname, p.nc_year, i.key, i.name, i.area, i.wave
             FROM planned_intervention pi JOIN pupil p ON p.id = pi.pupil_id JOIN intervention i ON i.id = pi.intervention_id
             WHERE pi.start_date BETWEEN ?1 AND ?2",
            [&from, &to],
        )? + scan(
            &self.conn,
            "SELECT d.planned_intervention_id, d.minutes FROM delivery d JOIN planned_intervention pi ON pi.id = d.planned_intervention_id WHERE pi.start_date BETWEEN ?1 AND ?2",
            [&from, &to],
        )?)
    }

    /// The pupil with the longest cycle history, for the history benchmark.
    pub fn pupil_with_most_cycles(&self) -> Result<Option<(PupilId, i64)>> {
        use rusqlite::OptionalExtension;
        Ok(self
            .conn
            .query_row("SELECT pupil_id, count(*) AS n FROM cycle GROUP BY pupil_id ORDER BY n DESC LIMIT 1", [], |r| Ok((PupilId(r.get(0)?), r.get(1)?)))
            .optional()?)
    }

    /// How many rows of each graduated-approach table the school holds.
    pub fn support_counts(&self) -> Result<Vec<(&'static str, i64)>> {
        ["cycle", "planned_intervention", "delivery", "parent_meeting", "involvement", "recommendation"]
            .into_iter()
            .map(|table| Ok((table, self.conn.query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))?)))
            .collect()
    }
}

impl Store {
    /// The import's yardstick: the same pupils, statuses and needs an import of a new school
    /// writes, inserted in one transaction with prepared statements and no checks, matching,
    /// audit or reconciliation.
    pub fn raw_insert_pupils(&mut self, pupils: &[crate::import::MisPupil]) -> Result<usize> {
        let tx = self.conn.transaction()?;
        for p in pupils {
            tx.prepare_cached(
                "INSERT INTO pupil (upn, legal_forename, legal_surname, preferred_forename, preferred_surname, date_of_birth, sex, nc_year, form,
                                    admission_date, pupil_premium, fsm, eal, looked_after, attendance_pct)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, '', ?9, ?10, ?11, ?12, ?13, ?14)",
            )?
            .execute(rusqlite::params![
                p.upn,
                p.legal_forename,
                p.legal_surname,
                p.preferred_forename,
                p.preferred_surname,
                p.date_of_birth,
                p.sex.map_or("F", crate::pupil::Sex::code),
                p.nc_year,
                p.admission_date,
                p.pupil_premium.unwrap_or(false),
                p.fsm.unwrap_or(false),
                p.eal.unwrap_or(false),
                p.looked_after.unwrap_or(false),
                p.attendance_pct
            ])?;
            let id = tx.last_insert_rowid();
            if let Some(sen) = &p.sen {
                tx.prepare_cached("INSERT INTO sen_status (pupil_id, status, start_date, reason) VALUES (?1, ?2, ?3, '')")?
                    .execute(rusqlite::params![id, sen.status.code(), sen.start_date.or(p.admission_date)])?;
                for need in sen.needs.iter().filter(|n| n.end_date.is_none()) {
                    tx.prepare_cached("INSERT INTO need (pupil_id, need_code, rank, start_date) VALUES (?1, ?2, ?3, ?4)")?
                        .execute(rusqlite::params![id, need.code.code(), need.rank, need.start_date.or(p.admission_date)])?;
                }
            }
        }
        tx.commit()?;
        Ok(pupils.len())
    }
}
