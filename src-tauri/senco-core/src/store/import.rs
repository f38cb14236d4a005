//! The `Store` side of an MIS import: the register as the plan compares it, the one
//! transaction that applies a plan, the reconciliation list, saved column profiles, and the
//! register written out as a CTF (for the demo school).
//!
//! An apply works the plan out again inside its transaction, from the same file, so what it
//! writes is what the dry run showed for the school as it is at that moment; when the caller
//! gives the fingerprint it previewed, a different plan is refused. Any problem, an
//! unconfirmed name match, a cancel or an error rolls the whole import back.

use chrono::NaiveDate;
use rusqlite::{params, Connection, OptionalExtension};
use serde::Serialize;
use ts_rs::TS;

use crate::census::{NeedCode, SenStatus};
use crate::error::{Error, Result};
use crate::import::csv::{self, ImportProfile};
use crate::import::plan::{self, Difference, Existing, Here, ImportPlan};
use crate::import::{Field, MisNeed, MisPupil, MisSen, Parsed, Place};
use crate::pupil::{PupilId, StatusPeriod};
use crate::Stamp;

use super::{audit, pupils, sen, Store};

/// What an apply did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ImportOutcome {
    /// False when the register already matched the file and nothing was written.
    pub applied: bool,
    #[ts(type = "number")]
    pub new_pupils: u64,
    #[ts(type = "number")]
    pub changed: u64,
    #[ts(type = "number")]
    pub differences: u64,
    #[ts(type = "number")]
    pub resolved: u64,
    /// Rows with problems the SENCO chose to leave out, for the office to correct.
    #[ts(type = "number")]
    pub left_out: u64,
    pub message: String,
}

/// One open reconciliation item, for the school office.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ReconciliationItem {
    pub pupil_id: PupilId,
    pub upn: String,
    pub name: String,
    pub nc_year: i32,
    pub field: Field,
    pub label: String,
    pub toolkit: String,
    pub mis: String,
    /// "ctf" or "csv": the kind of file that showed the difference.
    pub source: String,
    pub first_seen: NaiveDate,
    pub last_seen: NaiveDate,
}

/// What the demo school refuses: an MIS file (a CTF, the transfer file from another
/// school, or a CSV) holds real children.
const IMPORT_IN_DEMO: &str = "importing pupils from an MIS export or a Common Transfer File";

/// How far an apply has got, for a progress bar. Returning false from the callback cancels.
pub type Progress<'a> = &'a mut dyn FnMut(u64, u64) -> bool;

/// The rows with problems, once each, as "line 3 (UPN …)".
fn left_out_rows(plan: &ImportPlan) -> Vec<String> {
    let mut rows: Vec<String> = Vec::new();
    for p in &plan.problems {
        let row = if p.upn.is_empty() { p.at.clone() } else { format!("{} (UPN {})", p.at, crate::text::shown(&p.upn)) };
        if !rows.contains(&row) {
            rows.push(row);
        }
    }
    rows
}

fn plural_rows(n: usize) -> String {
    format!("{n} row{} with problems", if n == 1 { "" } else { "s" })
}

impl Store {
    /// The dry run: what importing this file would do. Writes nothing.
    pub fn plan_import(&self, parsed: Parsed, today: NaiveDate) -> Result<ImportPlan> {
        self.refuse_in_demo(IMPORT_IN_DEMO)?;
        plan_on(&self.conn, parsed, &self.school.la_code, &self.school.establishment_number, today)
    }

    /// Applies an import in one transaction, or refuses and writes nothing: when the file
    /// has problems (unless the SENCO chose `leave_out_refused` and every problem is in a
    /// row, `ImportPlan::can_leave_out`: then the other rows are imported and the ones left
    /// out are named in the outcome and the audit trail, for the office), when a name match
    /// is not confirmed, when `expected` is given and the plan is no longer the one
    /// previewed, or when `progress` asks to stop.
    // Each argument is a separate choice a person made in the preview; a struct of them would
    // only move the list.
    #[allow(clippy::too_many_arguments)]
    pub fn apply_import(
        &mut self,
        parsed: Parsed,
        file_name: &str,
        expected: Option<&str>,
        confirm_name_matches: bool,
        leave_out_refused: bool,
        progress: Progress<'_>,
        stamp: Stamp,
    ) -> Result<(ImportPlan, ImportOutcome)> {
        self.refuse_in_demo(IMPORT_IN_DEMO)?;
        let (la, estab) = (self.school.la_code.clone(), self.school.establishment_number.clone());
        let tx = self.begin(stamp)?;
        let plan = plan_on(&tx, parsed, &la, &estab, stamp.today)?;
        let may_apply = plan.problems.is_empty() || (leave_out_refused && plan.can_leave_out);
        if !may_apply {
            let choice = if plan.can_leave_out { ", or choose to import the others and leave these rows out for the office" } else { "" };
            return Err(Error::Refused(format!(
                "the file has {} problem{}, so nothing was imported; correct them in the MIS or the file and import again{choice}",
                plan.problems.len(),
                if plan.problems.len() == 1 { "" } else { "s" }
            )));
        }
        let left_out = left_out_rows(&plan);
        if expected.is_some_and(|e| e != plan.fingerprint) {
            return Err(Error::Refused(
                "the register or the file changed after the preview, so nothing was imported; preview the import again".to_string(),
            ));
        }
        if plan.name_matches() > 0 && !confirm_name_matches {
            return Err(Error::Refused(format!(
                "{} pupil{} in the file matched the register by surname and date of birth only; check them in the preview and confirm, then import again",
                plan.name_matches(),
                if plan.name_matches() == 1 { "" } else { "s" }
            )));
        }
        if plan.is_no_op() {
            let outcome = ImportOutcome {
                applied: false,
                new_pupils: 0,
                changed: 0,
                differences: 0,
                resolved: 0,
                left_out: 0,
                message: plan::NOTHING_TO_CHANGE.to_string(),
            };
            return Ok((plan, outcome));
        }
        let total = (plan.new_pupils.len() + plan.changed.len()) as u64;
        let mut done = 0u64;
        let cancelled = || Error::Refused("the import was cancelled; nothing was written".to_string());
        let source = plan.source.code();
        for new in &plan.new_pupils {
            let pupil = new.input.validate(stamp.today)?;
            let id = pupils::insert(&tx, &pupil)?;
            for period in &new.statuses {
                let reason = format!("from the MIS ({})", source.to_uppercase());
                sen::insert_status_period(&tx, id, &StatusPeriod { status: period.status, start_date: period.start_date, end_date: period.end_date, reason })?;
            }
            for need in &new.needs {
                let start = need.start_date.unwrap_or(pupil.admission_date);
                sen::insert_need_period(&tx, id, need.code, need.rank, start, need.end_date)?;
            }
            audit::record(&tx, stamp, "import-add", "pupil", Some(id), &format!("added pupil {} from the MIS ({source})", pupil.upn))?;
            done += 1;
            if done.is_multiple_of(64) && !progress(done, total) {
                return Err(cancelled());
            }
        }
        for changed in &plan.changed {
            let pupil = changed.input.validate(stamp.today)?;
            pupils::update(&tx, changed.pupil_id, &pupil)?;
            let fields: Vec<&str> = changed.changes.iter().map(|c| c.label.as_str()).collect();
            audit::record(&tx, stamp, "import-edit", "pupil", Some(changed.pupil_id), &format!("{} updated from the MIS ({source})", fields.join(", ")))?;
            done += 1;
            if done.is_multiple_of(64) && !progress(done, total) {
                return Err(cancelled());
            }
        }
        let today = stamp.today.to_string();
        for d in &plan.differences {
            tx.prepare_cached(
                "INSERT INTO reconciliation (pupil_id, field, toolkit_value, mis_value, source, first_seen, last_seen)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6)
                 ON CONFLICT (pupil_id, field) WHERE resolved_on IS NULL
                 DO UPDATE SET toolkit_value = excluded.toolkit_value, mis_value = excluded.mis_value,
                               source = excluded.source, last_seen = excluded.last_seen",
            )?
            .execute(params![d.pupil_id.0, d.field.name(), d.toolkit, d.mis, source, today])?;
        }
        for d in &plan.resolved {
            tx.prepare_cached("UPDATE reconciliation SET resolved_on = ?3 WHERE pupil_id = ?1 AND field = ?2 AND resolved_on IS NULL")?
                .execute(params![d.pupil_id.0, d.field.name(), today])?;
        }
        let outcome = ImportOutcome {
            applied: true,
            new_pupils: plan.new_pupils.len() as u64,
            changed: plan.changed.len() as u64,
            differences: plan.differences.len() as u64,
            resolved: plan.resolved.len() as u64,
            left_out: left_out.len() as u64,
            message: format!(
                "Imported: {} new pupil{}, {} updated, {} SEN difference{} for the office, {} resolved.{}",
                plan.new_pupils.len(),
                if plan.new_pupils.len() == 1 { "" } else { "s" },
                plan.changed.len(),
                plan.differences.len(),
                if plan.differences.len() == 1 { "" } else { "s" },
                plan.resolved.len(),
                if left_out.is_empty() { String::new() } else { format!(" Left out for the office to correct in the MIS: {}.", left_out.join("; ")) }
            ),
        };
        if !left_out.is_empty() {
            audit::record(&tx, stamp, "import-left-out", "school", None, &format!("the SENCO chose to import the others and leave out {}: {}", plural_rows(left_out.len()), left_out.join("; ")))?;
        }
        tx.prepare_cached(
            "INSERT INTO import_run (at, source, file_name, new_pupils, changed, differences, resolved) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        )?
        .execute(params![
            stamp.at.format("%Y-%m-%dT%H:%M:%S").to_string(),
            source,
            file_name,
            outcome.new_pupils as i64,
            outcome.changed as i64,
            outcome.differences as i64,
            outcome.resolved as i64
        ])?;
        audit::record(&tx, stamp, "import", "school", None, &format!("{} ({source} file {file_name})", outcome.message.trim_end_matches('.')))?;
        // The last chance to stop: a cancel up to here writes nothing.
        if !progress(total, total) {
            return Err(cancelled());
        }
        tx.commit()?;
        Ok((plan, outcome))
    }

    /// The open reconciliation items where the toolkit still disagrees with what the MIS
    /// last said, for pupils on roll, by year group and name.
    pub fn reconciliation(&self, today: NaiveDate) -> Result<Vec<ReconciliationItem>> {
        let mut statement = self.conn.prepare_cached(
            "SELECT r.pupil_id, p.upn, p.legal_forename, p.legal_surname, p.preferred_forename, p.preferred_surname, p.nc_year,
                    r.field, r.mis_value, r.source, r.first_seen, r.last_seen, p.current_status, p.primary_need
             FROM reconciliation r JOIN pupil p ON p.id = r.pupil_id
             WHERE r.resolved_on IS NULL AND (p.leaving_date IS NULL OR p.leaving_date >= ?1)
             ORDER BY p.nc_year, p.legal_surname, p.legal_forename, r.field DESC",
        )?;
        let rows = statement.query_map([today], |r| {
            let field: String = r.get(7)?;
            let status: SenStatus = r.get(12)?;
            let need: Option<NeedCode> = r.get(13)?;
            let field = Field::from_name(&field).unwrap_or(Field::SenStatus);
            let toolkit = match field {
                Field::SenStatus => status.census_code().to_string(),
                _ => need.filter(|_| status.needs_primary_need()).map_or("none".to_string(), |n| n.code().to_string()),
            };
            Ok(ReconciliationItem {
                pupil_id: PupilId(r.get(0)?),
                upn: r.get(1)?,
                name: crate::pupil::display_name(&r.get::<_, String>(2)?, &r.get::<_, String>(3)?, &r.get::<_, String>(4)?, &r.get::<_, String>(5)?),
                nc_year: r.get(6)?,
                field,
                label: field.label().to_string(),
                toolkit,
                mis: r.get(8)?,
                source: r.get(9)?,
                first_seen: r.get(10)?,
                last_seen: r.get(11)?,
            })
        })?;
        let items: Vec<ReconciliationItem> = rows.collect::<rusqlite::Result<_>>()?;
        Ok(items.into_iter().filter(|i| i.toolkit != i.mis).collect())
    }

    /// The shipped profiles, then those saved in this school.
    pub fn import_profiles(&self) -> Result<Vec<ImportProfile>> {
        let mut profiles = csv::shipped();
        let mut statement = self.conn.prepare_cached("SELECT id, name, columns FROM import_profile ORDER BY name")?;
        let saved = statement.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get::<_, String>(2)?)))?;
        for row in saved {
            let (id, name, columns) = row?;
            let columns = serde_json::from_str(&columns)
                .map_err(|e| Error::Damaged { path: None, detail: format!("the saved import profile {name:?} cannot be read: {e}") })?;
            profiles.push(ImportProfile { id, name, columns });
        }
        Ok(profiles)
    }

    /// Saves a profile the SENCO built, under an id made from its name ("my-sims-export").
    /// Saving under the same name again replaces it.
    pub fn save_import_profile(&mut self, profile: &ImportProfile, stamp: Stamp) -> Result<ImportProfile> {
        profile.validate()?;
        let slug: String = profile.name.trim().to_lowercase().chars().map(|c| if c.is_alphanumeric() { c } else { '-' }).collect();
        let slug = slug.split('-').filter(|s| !s.is_empty()).collect::<Vec<_>>().join("-");
        if slug.is_empty() {
            return Err(Error::invalid("name", "give the profile a name with letters or digits, such as the MIS it is for"));
        }
        let id = format!("own-{slug}");
        let saved = ImportProfile { id, name: profile.name.trim().to_string(), columns: profile.columns.clone() };
        let tx = self.begin(stamp)?;
        let other: Option<String> =
            tx.prepare_cached("SELECT name FROM import_profile WHERE id = ?1")?.query_row([&saved.id], |r| r.get(0)).optional()?;
        if let Some(other) = other.filter(|o| !o.eq_ignore_ascii_case(&saved.name)) {
            return Err(Error::invalid("name", format!("the saved profile \"{other}\" has a name too like this one; choose another name, or use that name to replace it")));
        }
        tx.prepare_cached(
            "INSERT INTO import_profile (id, name, columns, saved_at) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT (id) DO UPDATE SET name = excluded.name, columns = excluded.columns, saved_at = excluded.saved_at",
        )?
        .execute(params![saved.id, saved.name, serde_json::to_string(&saved.columns).unwrap_or_default(), stamp.today.to_string()])?;
        audit::record(&tx, stamp, "save-profile", "import-profile", None, &format!("saved the import profile {}", saved.name))?;
        tx.commit()?;
        Ok(saved)
    }

    /// Every pupil on roll as an MIS would send them, with their SEN history in census
    /// codes; the demo school writes its CTF from this.
    pub fn mis_pupils(&self, today: NaiveDate) -> Result<Vec<MisPupil>> {
        let existing = existing(&self.conn)?;
        let mut pupils = Vec::new();
        for e in existing.into_iter().filter(|e| e.leaving_date.is_none_or(|d| d >= today)) {
            let mut p = e.details.clone();
            let history = sen::status_history(&self.conn, e.id)?;
            let mut census: Vec<(SenStatus, NaiveDate)> = Vec::new();
            for period in history.iter().filter(|h| h.start_date >= p.admission_date.unwrap_or(h.start_date)) {
                let status = if period.status == SenStatus::Monitoring { SenStatus::NoSen } else { period.status };
                if census.last().is_none_or(|(s, _)| *s != status) {
                    census.push((status, period.start_date));
                }
            }
            let (status, start) = census.pop().unwrap_or((SenStatus::NoSen, p.admission_date.unwrap_or(today)));
            let needs = sen::needs(&self.conn, e.id)?
                .into_iter()
                // Leaving ends a pupil's needs on their last day; the MIS still lists them.
                .map(|n| MisNeed { code: n.code, rank: n.rank, start_date: Some(n.start_date), end_date: n.end_date.filter(|end| Some(*end) != e.leaving_date) })
                .collect();
            p.sen = Some(MisSen { status, start_date: Some(start), earlier: census, needs });
            pupils.push(p);
        }
        Ok(pupils)
    }
}

fn plan_on(conn: &Connection, parsed: Parsed, la: &str, estab: &str, today: NaiveDate) -> Result<ImportPlan> {
    let existing = existing(conn)?;
    let open = open_items(conn)?;
    Ok(plan::plan(parsed, &existing, &open, &Here { la, estab }, today))
}

/// Every pupil on the register, leavers too, as the plan compares them.
fn existing(conn: &Connection) -> Result<Vec<Existing>> {
    let mut statement = conn.prepare_cached(
        "SELECT id, upn, legal_forename, legal_surname, preferred_forename, preferred_surname, date_of_birth, sex, nc_year,
                form, admission_date, leaving_date, pupil_premium, fsm, eal, looked_after, attendance_pct, current_status, primary_need
         FROM pupil ORDER BY id",
    )?;
    let rows = statement.query_map([], |r| {
        let id = PupilId(r.get(0)?);
        let mut details = MisPupil::empty(Place::File);
        details.upn = r.get(1)?;
        details.legal_forename = r.get(2)?;
        details.legal_surname = r.get(3)?;
        details.preferred_forename = r.get(4)?;
        details.preferred_surname = r.get(5)?;
        details.date_of_birth = Some(r.get(6)?);
        details.sex = Some(r.get(7)?);
        details.nc_year = Some(r.get(8)?);
        details.form = Some(r.get(9)?);
        details.admission_date = Some(r.get(10)?);
        details.pupil_premium = Some(r.get(12)?);
        details.fsm = Some(r.get(13)?);
        details.eal = Some(r.get(14)?);
        details.looked_after = Some(r.get(15)?);
        details.attendance_pct = r.get(16)?;
        Ok(Existing { id, details, leaving_date: r.get(11)?, status: r.get(17)?, primary_need: r.get(18)? })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

fn open_items(conn: &Connection) -> Result<Vec<Difference>> {
    let mut statement = conn.prepare_cached(
        "SELECT r.pupil_id, p.upn, r.field, r.toolkit_value, r.mis_value FROM reconciliation r JOIN pupil p ON p.id = r.pupil_id
         WHERE r.resolved_on IS NULL ORDER BY r.id",
    )?;
    let rows = statement.query_map([], |r| {
        let field: String = r.get(2)?;
        Ok(Difference {
            pupil_id: PupilId(r.get(0)?),
            upn: r.get(1)?,
            name: String::new(),
            field: Field::from_name(&field).unwrap_or(Field::SenStatus),
            toolkit: r.get(3)?,
            mis: r.get(4)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}
