//! Gathering the governors' summary: one anonymous line per pupil on roll at each census
//! point, and the counts of reviews, requests, outcomes, interventions and training in the
//! 12 months to the census. No name, UPN, date of birth or free text leaves these queries.

use chrono::{Months, NaiveDate};
use rusqlite::{params, OptionalExtension};

use crate::apdr::Review;
use crate::census::{BroadArea, NeedCode};
use crate::governors::national::National;
use crate::governors::{
    self, disclosure, Aggregate, OutputFormat, CensusPupil, CensusStatus, Cohort, Facts, InterventionResult, Published, RequestOutcome, SchoolLine, Timeliness,
};
use crate::pupil::{academic_year, Sex};
use crate::duties::{Duties, DutiesInput};
use crate::statutory::{twelve_months_after, AssessDecision};
use crate::{Error, Result, Stamp};

use super::{audit, Store};

const BUDGET_SETTING: &str = "notional_sen_budget_pence";
const NATIONAL_SETTING: &str = "national_figures";
const DUTIES_SETTING: &str = "school_duties";

fn timeliness(due: NaiveDate, held: Option<NaiveDate>, census: NaiveDate) -> Timeliness {
    match held.filter(|h| *h <= census) {
        Some(h) if h <= due => Timeliness::OnTime,
        Some(_) => Timeliness::Late,
        None => Timeliness::Overdue,
    }
}

impl Store {
    /// The pupils on roll at `date`, as the census would count them, with no identifiers.
    /// Attendance and the pupil premium, FSM, EAL and looked-after flags are today's, so they
    /// are given for the current census only (`current`).
    fn cohort(&self, date: NaiveDate, today: NaiveDate, current: bool) -> Result<Cohort> {
        let since = date.checked_sub_months(Months::new(12)).unwrap_or(NaiveDate::MIN);
        let shift = academic_year(today) - academic_year(date);
        let mut statement = self.conn.prepare_cached(
            "SELECT p.sex, p.nc_year, p.pupil_premium, p.fsm, p.eal, p.looked_after, p.attendance_pct, p.date_of_birth,
                    (SELECT s.status FROM sen_status s WHERE s.pupil_id = p.id AND s.start_date <= ?1 AND (s.end_date IS NULL OR s.end_date >= ?1)
                     ORDER BY s.start_date DESC LIMIT 1),
                    (SELECT n.need_code FROM need n WHERE n.pupil_id = p.id AND n.start_date <= ?1 AND (n.end_date IS NULL OR n.end_date >= ?1)
                     ORDER BY n.rank, n.start_date DESC LIMIT 1),
                    (SELECT count(*) FROM parent_meeting m WHERE m.pupil_id = p.id AND m.date > ?2 AND m.date <= ?1)
             FROM pupil p
             WHERE (p.admission_date <= ?1 AND (p.leaving_date IS NULL OR p.leaving_date >= ?1))
                OR EXISTS (SELECT 1 FROM enrolment e WHERE e.pupil_id = p.id AND e.admission_date <= ?1 AND e.leaving_date >= ?1)",
        )?;
        let pupils = statement
            .query_map(params![date, since], |r| {
                let status: Option<String> = r.get(8)?;
                let need: Option<String> = r.get(9)?;
                // The year group that day: this year's, in this school year; otherwise the
                // one the date of birth gives, since a leaver's year group stops moving on.
                let born: NaiveDate = r.get(7)?;
                let year = if shift == 0 { r.get::<_, i32>(1)? } else { academic_year(date) - academic_year(born) - 5 };
                let status = match status.as_deref() {
                    Some("K") => CensusStatus::K,
                    Some("E") => CensusStatus::E,
                    _ => CensusStatus::N,
                };
                Ok(CensusPupil {
                    status,
                    need: if status == CensusStatus::N { None } else { need.as_deref().and_then(NeedCode::from_code) },
                    year,
                    sex: r.get::<_, Sex>(0)?,
                    pupil_premium: current && r.get(2)?,
                    fsm: current && r.get(3)?,
                    eal: current && r.get(4)?,
                    looked_after: current && r.get(5)?,
                    attendance: if current { r.get(6)? } else { None },
                    parent_meetings: r.get(10)?,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(Cohort { date, pupils, flags_known: current })
    }

    /// Everything the governors' summary counts at the census `census`.
    pub fn governor_facts(&self, census: NaiveDate, today: NaiveDate) -> Result<Facts> {
        if census > today {
            return Err(Error::invalid("census", format!("the census day {} has not happened yet", crate::dates::short(census))));
        }
        let since = census.checked_sub_months(Months::new(12)).unwrap_or(NaiveDate::MIN);
        // Earlier census points only where the school's status history reaches back to them.
        let history_from: Option<NaiveDate> = self.conn.query_row("SELECT min(start_date) FROM sen_status WHERE status IN ('K', 'E')", [], |r| r.get(0))?;
        let mut cohorts = Vec::new();
        for (i, date) in governors::trend_dates(census).into_iter().enumerate() {
            if i == 0 || history_from.is_some_and(|from| from <= date) {
                // Flags and attendance are kept as they are now: right for a census in this
                // school year only.
                cohorts.push(self.cohort(date, today, i == 0 && academic_year(date) == academic_year(today))?);
            }
        }

        let reviews = self
            .conn
            .prepare_cached("SELECT review_due, reviewed_on FROM cycle WHERE review_due > ?1 AND review_due <= ?2")?
            .query_map(params![since, census], |r| Ok(timeliness(r.get(0)?, r.get(1)?, census)))?
            .collect::<rusqlite::Result<Vec<_>>>()?;

        let mut annual_reviews = Vec::new();
        let mut statement = self.conn.prepare_cached("SELECT last, meeting FROM annual_review")?;
        for row in statement.query_map([], |r| Ok((r.get::<_, NaiveDate>(0)?, r.get::<_, Option<NaiveDate>>(1)?)))? {
            let (last, meeting) = row?;
            let due = twelve_months_after(last);
            if due > since && due <= census {
                annual_reviews.push(timeliness(due, meeting, census));
            }
        }

        let mut requests = Vec::new();
        let mut statement = self.conn.prepare_cached("SELECT dates FROM ehc_request WHERE received > ?1 AND received <= ?2")?;
        for row in statement.query_map(params![since, census], |r| r.get::<_, String>(0))? {
            let dates = super::requests::read_dates(&row?)?;
            requests.push(match dates.decision {
                Some((day, AssessDecision::Assess)) if day <= census => RequestOutcome::Agreed,
                Some((day, AssessDecision::DeclineToAssess)) if day <= census => RequestOutcome::Declined,
                _ => RequestOutcome::Awaiting,
            });
        }

        let mut outcome_ratings = Vec::new();
        let mut statement = self.conn.prepare_cached(
            "SELECT s.document FROM cycle c JOIN cycle_stage s ON s.cycle_id = c.id AND s.stage = 'review' WHERE c.reviewed_on > ?1 AND c.reviewed_on <= ?2",
        )?;
        for row in statement.query_map(params![since, census], |r| r.get::<_, String>(0))? {
            let review: Review = serde_json::from_str(&row?)
                .map_err(|e| Error::Damaged { path: None, detail: format!("a stored review cannot be read: {e}") })?;
            outcome_ratings.extend(review.ratings.iter().map(|r| r.rating));
        }

        let score = |text: String| text.trim().trim_end_matches('%').trim().parse::<f64>().ok().filter(|v| v.is_finite());
        let interventions = self
            .conn
            .prepare_cached(
                "SELECT i.name, pi.entry_score, pi.exit_score FROM planned_intervention pi JOIN intervention i ON i.id = pi.intervention_id
                 WHERE pi.end_date > ?1 AND pi.end_date <= ?2",
            )?
            .query_map(params![since, census], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get::<_, String>(2)?)))?
            .map(|row| row.map(|(name, entry, exit)| InterventionResult { name, entry: score(entry), exit: score(exit) }))
            .collect::<rusqlite::Result<Vec<_>>>()?;

        let training = self
            .conn
            .prepare_cached("SELECT area FROM staff_training WHERE date > ?1 AND date <= ?2")?
            .query_map(params![since, census], |r| r.get::<_, Option<String>>(0))?
            .map(|row| row.map(|area| area.as_deref().and_then(BroadArea::from_slug)))
            .collect::<rusqlite::Result<Vec<_>>>()?;

        let school = self.school();
        Ok(Facts {
            school: SchoolLine { name: school.name.clone(), urn: school.urn.clone(), la_code: school.la_code.clone(), phase: Some(school.phase), duties: Some(self.duties()?), duties_read: Some(today) },
            cohorts,
            reviews,
            annual_reviews,
            requests,
            outcome_ratings,
            interventions,
            training,
            spend_pence: self.provision_map(academic_year(census))?.school_planned_pence,
            budget_pence: self.notional_budget_pence()?,
        })
    }

    /// The exact counts, for a trust's central team (OFFICIAL-SENSITIVE).
    pub fn governor_aggregate(&self, census: NaiveDate, today: NaiveDate) -> Result<Aggregate> {
        Ok(governors::summarise(&self.governor_facts(census, today)?))
    }

    /// The governors' summary with small numbers hidden, as the next output for its census
    /// day would show it: hiding everything the school's earlier outputs for that day hid.
    pub fn governor_summary(&self, census: NaiveDate, threshold: u32, today: NaiveDate) -> Result<Published> {
        let aggregate = self.governor_aggregate(census, today)?;
        Ok(disclosure::publish_after(&aggregate, threshold, &self.national()?, &publications(&self.conn, census)?))
    }

    /// Writes a governor output into `folder` (never over an earlier file) and records it
    /// in the same step: the publication (what it showed and hid, for later outputs of the
    /// same census day) and the audit entry are committed before the file takes its name,
    /// and a failure before the commit removes the file. A program stopped between the
    /// commit and the rename leaves the file under a temporary name, which the next output
    /// puts in place; one stopped before the commit leaves an unrecorded temporary file,
    /// which the next output removes. So a file under its final name always has its entry.
    pub fn write_governor_output(&mut self, folder: &std::path::Path, format: OutputFormat, census: NaiveDate, threshold: u32, stamp: Stamp) -> Result<std::path::PathBuf> {
        let aggregate = self.governor_aggregate(census, stamp.today)?;
        let national = self.national()?;
        crate::files::create_private_dir(folder)?;
        // The write lock is taken before anything is written, so a program holding the
        // school for longer than the busy timeout leaves no file behind.
        let tx = self.begin(stamp)?;
        let reserved = settle_outputs(&tx, folder)?;
        let earlier = publications(&tx, census)?;
        let published = (format != OutputFormat::Aggregate).then(|| disclosure::publish_after(&aggregate, threshold, &national, &earlier));
        let (stem, bytes) = governors::render_published(&aggregate, format, published.as_ref(), stamp.today)?;
        let staged = crate::files::stage_new(folder, &stem, format.extension(), &bytes, &reserved)?;
        let recorded = (|| -> Result<()> {
            let hidden = published.as_ref().map(|p| p.hidden_places()).unwrap_or_default();
            let json = |value: &dyn Fn() -> serde_json::Result<String>| value().map_err(|e| Error::Refused(format!("the governors' summary cannot be recorded: {e}")));
            tx.execute(
                "INSERT INTO publication (census_date, threshold, format, made_at, path, pending, hidden, published) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                params![
                    census,
                    threshold,
                    format.code(),
                    stamp.at.format("%Y-%m-%dT%H:%M:%S").to_string(),
                    path_text(&staged.path)?,
                    staged.temporary.as_deref().map(path_text).transpose()?,
                    json(&|| serde_json::to_string(&hidden))?,
                    published.as_ref().map(|p| json(&|| serde_json::to_string(p))).transpose()?,
                ],
            )?;
            let what = format!("{} for the census of {census}, smallest count {threshold}: {}", format.label(), staged.path.display());
            audit::record(&tx, stamp, "governor-export", "school", None, &what)?;
            Ok(())
        })();
        if let Err(error) = recorded.and_then(|()| tx.commit().map_err(Error::from)) {
            staged.abandon();
            return Err(error);
        }
        staged.settle()?;
        Ok(staged.path)
    }

    /// The school's notional SEN budget for the year, if recorded.
    pub fn notional_budget_pence(&self) -> Result<Option<i64>> {
        let value: Option<String> = self.conn.query_row("SELECT value FROM setting WHERE key = ?1", [BUDGET_SETTING], |r| r.get(0)).optional()?;
        Ok(value.and_then(|v| v.parse().ok()))
    }

    pub fn set_notional_budget_pence(&mut self, pence: Option<i64>, stamp: Stamp) -> Result<()> {
        if pence.is_some_and(|p| !(0..=10_000_000_000).contains(&p)) {
            return Err(Error::invalid("budgetPence", "the notional SEN budget must be between £0 and £100,000,000"));
        }
        let tx = self.begin(stamp)?;
        match pence {
            Some(p) => tx.execute(
                "INSERT INTO setting (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                params![BUDGET_SETTING, p.to_string()],
            )?,
            None => tx.execute("DELETE FROM setting WHERE key = ?1", [BUDGET_SETTING])?,
        };
        let what = pence.map_or("notional SEN budget cleared".to_string(), |p| format!("notional SEN budget {}", crate::apdr::pounds(p)));
        audit::record(&tx, stamp, "set-budget", "setting", None, &what)?;
        tx.commit()?;
        Ok(())
    }

    /// The SENCO and the reviews the governing body must see, as recorded (empty if never).
    pub fn duties(&self) -> Result<Duties> {
        let value: Option<String> = self.conn.query_row("SELECT value FROM setting WHERE key = ?1", [DUTIES_SETTING], |r| r.get(0)).optional()?;
        match value {
            Some(text) => serde_json::from_str(&text).map_err(|e| Error::Refused(format!("the school's recorded SEN duties cannot be read ({e}); record them again"))),
            None => Ok(Duties::default()),
        }
    }

    /// Records the SENCO and the review dates, checked first (a refused form changes nothing),
    /// with an audit entry in the same step.
    pub fn set_duties(&mut self, input: &DutiesInput, stamp: Stamp) -> Result<Duties> {
        let duties = input.validate(stamp.today)?;
        let tx = self.begin(stamp)?;
        tx.execute(
            "INSERT INTO setting (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            params![DUTIES_SETTING, serde_json::to_string(&duties).map_err(|e| Error::Refused(e.to_string()))?],
        )?;
        let date = |d: Option<NaiveDate>| d.map_or("not recorded".to_string(), crate::dates::short);
        let what = format!(
            "SENCO {}; qualification {}; took up the post {}; SEN information report reviewed {}; accessibility plan reviewed {}",
            if duties.senco_name.is_empty() { "not recorded" } else { duties.senco_name.as_str() },
            duties.qualification.map_or("not recorded", |q| q.code()),
            date(duties.senco_appointed),
            date(duties.sen_report_reviewed),
            date(duties.accessibility_plan_reviewed)
        );
        audit::record(&tx, stamp, "set-duties", "setting", None, &what)?;
        tx.commit()?;
        Ok(duties)
    }

    /// The national figures: the SENCO's loaded file, or the one the app ships.
    pub fn national(&self) -> Result<National> {
        let value: Option<String> = self.conn.query_row("SELECT value FROM setting WHERE key = ?1", [NATIONAL_SETTING], |r| r.get(0)).optional()?;
        match value {
            Some(text) => National::parse(&text, "the loaded national figures").map(National::with_shipped_groups),
            None => Ok(National::shipped()),
        }
    }

    /// Loads a newer national figures file (checked first, against the Stamp's today; a bad
    /// file changes nothing).
    pub fn load_national(&mut self, text: &str, file: &str, stamp: Stamp) -> Result<National> {
        let national = National::load(text, file, stamp.today)?;
        let tx = self.begin(stamp)?;
        let stored = serde_json::to_string(&national).map_err(|e| Error::Refused(e.to_string()))?;
        tx.execute("INSERT INTO setting (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET value = excluded.value", params![NATIONAL_SETTING, stored])?;
        audit::record(&tx, stamp, "load-national", "setting", None, &format!("{} (updated {})", national.name, national.updated))?;
        tx.commit()?;
        Ok(national)
    }
}

/// A path as the publication table keeps it: the store holds text, so a path that is not
/// Unicode is refused (naming it) rather than recorded wrongly.
fn path_text(path: &std::path::Path) -> Result<String> {
    path.to_str().map(str::to_string).ok_or_else(|| Error::Refused(format!("{} is not a name the app can record; choose a folder with a plain name", path.display())))
}

/// The summaries published earlier for a census day (the exact counts sent to a trust are
/// not published, so they are not among them).
fn publications(conn: &rusqlite::Connection, census: NaiveDate) -> Result<Vec<Published>> {
    let mut statement = conn.prepare_cached("SELECT id, published FROM publication WHERE census_date = ?1 AND published IS NOT NULL ORDER BY id")?;
    let rows = statement.query_map([census], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?)))?.collect::<rusqlite::Result<Vec<_>>>()?;
    rows.into_iter()
        .map(|(id, text)| {
            serde_json::from_str(&text).map_err(|e| Error::Damaged { path: None, detail: format!("table publication, row {id}, field published cannot be read: {e}") })
        })
        .collect()
}

/// Finishes outputs a stopped program recorded but did not put in place, and removes from
/// `folder` the temporary files of outputs that were never recorded. Runs inside the write
/// transaction, so no other program is between writing its temporary file and recording
/// it. Returns the names still waiting (a rename refused), which no new output may take.
fn settle_outputs(tx: &rusqlite::Transaction<'_>, folder: &std::path::Path) -> Result<Vec<std::path::PathBuf>> {
    let pending: Vec<(i64, String, String)> = tx
        .prepare_cached("SELECT id, path, pending FROM publication WHERE pending IS NOT NULL")?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let mut waiting = Vec::new();
    let mut recorded = Vec::new();
    for (id, path, temporary) in pending {
        let (path, temporary) = (std::path::PathBuf::from(path), std::path::PathBuf::from(temporary));
        match crate::files::settle(&temporary, &path) {
            Ok(()) => {
                tx.execute("UPDATE publication SET pending = NULL WHERE id = ?1", [id])?;
            }
            Err(_) => {
                waiting.push(path);
                recorded.push(temporary);
            }
        }
    }
    // Temporary files of governor outputs no record names: their program stopped before
    // the record was made, so they were never an output.
    if let Ok(entries) = std::fs::read_dir(folder) {
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            if name.starts_with("governors-") && name.contains(".tmp-") && !recorded.contains(&entry.path()) {
                let _ = std::fs::remove_file(entry.path());
            }
        }
    }
    Ok(waiting)
}
