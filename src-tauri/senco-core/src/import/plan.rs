//! The dry run: what an import would do to the register, worked out before anything is
//! written, and the same plan that `Store::apply_import` then carries out.
//!
//! Matching, in order: the UPN; the former UPN (a temporary UPN upgraded to the permanent
//! one); then legal surname and date of birth, which a person must confirm. A UPN whose date
//! of birth differs from the register's is a conflict to resolve, never merged.
//!
//! The MIS wins on a pupil's details (names, sex, year group, form, flags, attendance). The
//! toolkit wins on SEN: for a pupil already on the register, a different status or primary
//! need becomes a reconciliation item for the school office, and the record is left alone.
//! A pupil new to the register starts with the MIS's SEN history.
//!
//! The plan carries a fingerprint of every change it would make, so an apply can check that
//! neither the file nor the school changed since the person looked at the preview.

use std::collections::{BTreeMap, HashMap};

use chrono::NaiveDate;
use serde::Serialize;
use sha2::{Digest, Sha256};
use ts_rs::TS;

use crate::census::{NeedCode, SenStatus};
use crate::pupil::{display_name, PupilId, PupilInput, Sex};
use crate::upn::Upn;

use crate::text::shown;
use super::{Field, FileFacts, MisNeed, MisPupil, Parsed, Place, Problem, Source};

/// A pupil already on the register, as the plan compares them.
#[derive(Debug, Clone, PartialEq)]
pub struct Existing {
    pub id: PupilId,
    pub details: MisPupil,
    pub leaving_date: Option<NaiveDate>,
    pub status: SenStatus,
    pub primary_need: Option<NeedCode>,
}

/// A reconciliation item still open: the MIS and the toolkit disagree about one field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, rename = "ImportDifference")]
pub struct Difference {
    pub pupil_id: PupilId,
    pub upn: String,
    pub name: String,
    /// `senStatus` or `primaryNeed`.
    pub field: Field,
    pub toolkit: String,
    pub mis: String,
}

/// How a file's pupil was matched to the register.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, rename = "ImportMatch")]
pub enum MatchedBy {
    Upn,
    /// The file's former UPN is the register's: the UPN is upgraded.
    FormerUpn,
    /// Legal surname and date of birth: shown for a person to confirm.
    NameAndBirth,
}

/// One field that an import changes: old → new, as shown to a person.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, rename = "ImportFieldChange")]
pub struct FieldChange {
    pub field: Field,
    pub label: String,
    pub old: String,
    pub new: String,
}

/// A pupil on the register whose details the import changes.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, rename = "ImportChanged")]
pub struct Changed {
    pub pupil_id: PupilId,
    pub place: Place,
    /// The place in words: "record 12", "line 5".
    pub at: String,
    pub upn: String,
    pub name: String,
    pub matched_by: MatchedBy,
    pub changes: Vec<FieldChange>,
    #[serde(skip)]
    #[ts(skip)]
    pub input: PupilInput,
}

/// One period of the SEN history a new pupil starts with.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, rename = "ImportStartingStatus")]
pub struct StartingStatus {
    pub status: SenStatus,
    pub start_date: NaiveDate,
    pub end_date: Option<NaiveDate>,
}

/// A pupil the import adds, with the SEN history they start with.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, rename = "ImportNewPupil")]
pub struct NewPupil {
    pub place: Place,
    /// The place in words: "record 12", "line 5".
    pub at: String,
    pub upn: String,
    pub name: String,
    pub date_of_birth: NaiveDate,
    pub nc_year: i32,
    pub status: SenStatus,
    pub primary_need: Option<NeedCode>,
    /// The file gave no admission date; this one was taken instead.
    pub admission_assumed: bool,
    #[serde(skip)]
    #[ts(skip)]
    pub input: PupilInput,
    #[serde(skip)]
    #[ts(skip)]
    pub statuses: Vec<StartingStatus>,
    #[serde(skip)]
    #[ts(skip)]
    pub needs: Vec<MisNeed>,
}

/// A pupil on roll whom the file does not list: perhaps a leaver. Never archived by an import.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, rename = "ImportMissing")]
pub struct Missing {
    pub pupil_id: PupilId,
    pub upn: String,
    pub name: String,
    pub nc_year: i32,
}

/// Everything an import would do.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ImportPlan {
    pub source: Source,
    pub facts: FileFacts,
    pub warnings: Vec<String>,
    #[ts(type = "Record<string, number>")]
    pub ignored: BTreeMap<String, u64>,
    /// Pupils read from the file without a problem.
    #[ts(type = "number")]
    pub pupils_read: u64,
    pub new_pupils: Vec<NewPupil>,
    pub changed: Vec<Changed>,
    /// Pupils matched with nothing to change.
    #[ts(type = "number")]
    pub unchanged: u64,
    /// Disagreements about SEN the import would newly record (or update) for the office.
    pub differences: Vec<Difference>,
    /// Recorded disagreements that the file now agrees with, which the import closes.
    pub resolved: Vec<Difference>,
    pub missing: Vec<Missing>,
    pub problems: Vec<Problem>,
    /// A hash of every change, so an apply can check it is the plan that was previewed.
    pub fingerprint: String,
    /// `is_no_op`, for the app.
    pub no_op: bool,
    /// `name_matches`, for the app.
    #[ts(type = "number")]
    pub name_matches: u64,
    /// What to tell a person when the plan changes nothing; empty otherwise.
    pub message: String,
    /// Every problem is in a row (none in the file as a whole) and other rows would change
    /// the register: the SENCO may choose to import the others and leave these rows out,
    /// listed for the office to correct in the MIS.
    pub can_leave_out: bool,
}

/// What an import that would change nothing says, in the preview and after it.
pub const NOTHING_TO_CHANGE: &str = "Nothing to change: the register already matches this file.";

impl ImportPlan {
    /// True when applying would change nothing.
    pub fn is_no_op(&self) -> bool {
        self.new_pupils.is_empty() && self.changed.is_empty() && self.differences.is_empty() && self.resolved.is_empty()
    }

    /// Matches by name and date of birth, which a person must confirm before applying.
    pub fn name_matches(&self) -> usize {
        self.changed.iter().filter(|c| c.matched_by == MatchedBy::NameAndBirth).count()
    }
}

/// The school importing: its numbers, for the CTF destination check.
pub struct Here<'a> {
    pub la: &'a str,
    pub estab: &'a str,
}

/// A warning for each name of `p` holding a "?": the mark a Windows-1252 export writes for a
/// letter it cannot write ("Zo?" for "Zoë"). The pupil is imported, and the SENCO or the
/// office puts the letter right in the MIS (or here).
fn unwritten_letters(p: &MisPupil) -> Vec<String> {
    [
        (Field::LegalSurname, &p.legal_surname),
        (Field::LegalForename, &p.legal_forename),
        (Field::PreferredSurname, &p.preferred_surname),
        (Field::PreferredForename, &p.preferred_forename),
    ]
    .into_iter()
    .filter(|(_, name)| name.contains('?'))
    .map(|(field, name)| {
        format!(
            "{} (UPN {}), {}: \"{}\" has a \"?\" where the MIS could not write a letter; the pupil is imported as it is, so correct the name in the MIS or on the pupil's record",
            p.place,
            crate::text::shown(&p.upn),
            field.label(),
            crate::text::shown(name)
        )
    })
    .collect()
}

/// Works out the plan. Writes nothing.
pub fn plan(parsed: Parsed, existing: &[Existing], open_items: &[Difference], here: &Here<'_>, today: NaiveDate) -> ImportPlan {
    let mut problems = parsed.problems;
    let mut warnings = parsed.warnings;
    if parsed.source == Source::Ctf && !parsed.facts.destination.is_empty() {
        let ours = format!("{}/{}", here.la, here.estab);
        if parsed.facts.destination != ours {
            warnings.push(format!(
                "this CTF was addressed to the school {}, not to this school ({ours}); check it is the right file",
                parsed.facts.destination
            ));
        }
    }
    warnings.extend(parsed.pupils.iter().flat_map(unwritten_letters));
    let pupils_read = parsed.pupils.len() as u64;
    let mut by_upn: HashMap<&str, usize> = HashMap::new();
    let mut by_name: HashMap<(String, NaiveDate), Vec<usize>> = HashMap::new();
    for (i, e) in existing.iter().enumerate() {
        by_upn.insert(e.details.upn.as_str(), i);
        if let Some(dob) = e.details.date_of_birth {
            by_name.entry((e.details.legal_surname.to_lowercase(), dob)).or_default().push(i);
        }
    }
    // UPNs given more than once in the file are problems on every record that gives them.
    let mut places: HashMap<String, Vec<Place>> = HashMap::new();
    for p in &parsed.pupils {
        places.entry(p.upn.to_ascii_uppercase()).or_default().push(p.place);
    }
    let file_upns: std::collections::HashSet<String> = places.keys().cloned().collect();
    let mut claimed: HashMap<usize, Place> = HashMap::new();
    let mut new_pupils = Vec::new();
    let mut changed = Vec::new();
    let mut unchanged = 0u64;
    let mut differences = Vec::new();
    let mut agreed: Vec<(PupilId, Field)> = Vec::new();
    for pupil in parsed.pupils {
        let place = pupil.place;
        let mut problem = |field: Field, message: String| problems.push(Problem::at(place, &pupil.upn, field, message));
        let twice = &places[&pupil.upn.to_ascii_uppercase()];
        if twice.len() > 1 {
            let others: Vec<String> = twice.iter().filter(|p| **p != place).map(ToString::to_string).collect();
            problem(Field::Upn, format!("the same UPN is also given on {}; each pupil has their own UPN", others.join(", ")));
            continue;
        }
        let upn = match Upn::parse(&pupil.upn) {
            Ok(upn) => upn,
            Err(e) => {
                problem(Field::Upn, format!("\"{}\" is not a valid UPN: {e}", shown(&pupil.upn)));
                continue;
            }
        };
        let former = if pupil.former_upn.is_empty() {
            None
        } else {
            match Upn::parse(&pupil.former_upn) {
                Ok(former) => Some(former),
                Err(e) => {
                    problem(Field::FormerUpn, format!("\"{}\" is not a valid UPN: {e}", shown(&pupil.former_upn)));
                    continue;
                }
            }
        };
        let dob = pupil.date_of_birth.expect("a pupil read without problems has a date of birth");
        let found = if let Some(&i) = by_upn.get(upn.as_str()) {
            Some((i, MatchedBy::Upn))
        } else if let Some(&i) = former.as_ref().and_then(|f| by_upn.get(f.as_str())) {
            Some((i, MatchedBy::FormerUpn))
        } else {
            let candidates: Vec<usize> = by_name
                .get(&(pupil.legal_surname.to_lowercase(), dob))
                .map(|c| c.iter().copied().filter(|&i| on_roll(&existing[i], today) && !file_upns.contains(&existing[i].details.upn)).collect())
                .unwrap_or_default();
            match candidates.as_slice() {
                [] => None,
                [i] => Some((*i, MatchedBy::NameAndBirth)),
                _ => {
                    problem(
                        Field::LegalSurname,
                        format!(
                            "{} pupils on the register share this surname and date of birth and none has this UPN; add the UPN to the right one by hand first",
                            candidates.len()
                        ),
                    );
                    continue;
                }
            }
        };
        let Some((index, matched_by)) = found else {
            match new_pupil(&pupil, upn, today) {
                Ok(new) => new_pupils.push(new),
                Err(found) => problems.extend(found),
            }
            continue;
        };
        let e = &existing[index];
        if let Some(other) = claimed.insert(index, place) {
            problem(Field::Upn, format!("this record and {other} both match {} on the register", e.details.upn));
            continue;
        }
        let name = display(&e.details);
        if let Some(left) = e.leaving_date.filter(|d| *d < today) {
            problem(
                Field::Upn,
                format!("{name} left on {}; to take them back on roll, re-admit them from their record, then import again", crate::dates::short(left)),
            );
            continue;
        }
        if e.details.date_of_birth != Some(dob) {
            problem(
                Field::DateOfBirth,
                format!(
                    "UPN conflict: on the register {} is {name}, born {}; the file gives {}. Check which is right and correct it at source; nothing was merged",
                    e.details.upn,
                    e.details.date_of_birth.map_or("on an unknown date".to_string(), crate::dates::short),
                    crate::dates::short(dob)
                ),
            );
            continue;
        }
        let (changes, input) = compare(&e.details, &pupil, &upn);
        if let Err(crate::Error::Invalid(found)) = input.validate(today) {
            for p in found {
                problems.push(Problem::new(place, &pupil.upn, &p.field, p.message));
            }
            continue;
        }
        if let Some(sen) = &pupil.sen {
            let mis_status = sen.status.census_code().to_string();
            let toolkit_status = e.status.census_code().to_string();
            let mis_need = sen.primary_need();
            let mut disagree = |field: Field, toolkit: String, mis: String| {
                if toolkit == mis {
                    agreed.push((e.id, field));
                } else {
                    differences.push(Difference { pupil_id: e.id, upn: upn.to_string(), name: name.clone(), field, toolkit, mis });
                }
            };
            disagree(Field::SenStatus, toolkit_status, mis_status);
            let need_text = |n: Option<NeedCode>| n.map_or("none".to_string(), |n| n.code().to_string());
            let toolkit_need = if e.status.needs_primary_need() { e.primary_need } else { None };
            disagree(Field::PrimaryNeed, need_text(toolkit_need), need_text(if sen.status.needs_primary_need() { mis_need } else { None }));
        }
        if changes.is_empty() {
            unchanged += 1;
        } else {
            changed.push(Changed { pupil_id: e.id, place, at: place.to_string(), upn: upn.to_string(), name, matched_by, changes, input });
        }
    }
    // A difference already recorded with the same values is not news; one the file now
    // agrees with is resolved.
    differences.retain(|d| !open_items.iter().any(|o| o.pupil_id == d.pupil_id && o.field == d.field && o.toolkit == d.toolkit && o.mis == d.mis));
    let resolved: Vec<Difference> = open_items.iter().filter(|o| agreed.contains(&(o.pupil_id, o.field))).cloned().collect();
    let missing = existing
        .iter()
        .enumerate()
        .filter(|(i, e)| on_roll(e, today) && !claimed.contains_key(i))
        .map(|(_, e)| Missing { pupil_id: e.id, upn: e.details.upn.clone(), name: display(&e.details), nc_year: e.details.nc_year.unwrap_or(0) })
        .collect();
    problems.sort();
    let mut plan = ImportPlan {
        source: parsed.source,
        facts: parsed.facts,
        warnings,
        ignored: parsed.ignored,
        pupils_read,
        new_pupils,
        changed,
        unchanged,
        differences,
        resolved,
        missing,
        problems,
        fingerprint: String::new(),
        no_op: false,
        name_matches: 0,
        message: String::new(),
        can_leave_out: false,
    };
    plan.fingerprint = fingerprint(&plan);
    plan.no_op = plan.is_no_op();
    plan.name_matches = plan.name_matches() as u64;
    plan.can_leave_out = !plan.problems.is_empty() && plan.problems.iter().all(|p| p.place != Place::File) && !plan.no_op;
    if plan.no_op && plan.problems.is_empty() {
        plan.message = NOTHING_TO_CHANGE.to_string();
    }
    plan
}

fn on_roll(e: &Existing, today: NaiveDate) -> bool {
    e.leaving_date.is_none_or(|d| d >= today)
}

fn display(p: &MisPupil) -> String {
    display_name(&p.legal_forename, &p.legal_surname, &p.preferred_forename, &p.preferred_surname)
}

fn yes_no(flag: bool) -> String {
    if flag { "yes" } else { "no" }.to_string()
}

/// The register's details with the file's laid over them, and the fields that change.
fn compare(old: &MisPupil, new: &MisPupil, upn: &Upn) -> (Vec<FieldChange>, PupilInput) {
    let mut changes = Vec::new();
    let mut change = |field: Field, old: String, new: String| {
        changes.push(FieldChange { field, label: field.label().to_string(), old, new });
    };
    let mut input = input_from(old);
    if old.upn != upn.as_str() {
        change(Field::Upn, old.upn.clone(), upn.to_string());
        input.upn = upn.to_string();
    }
    for (field, was, now, target) in [
        (Field::LegalSurname, &old.legal_surname, &new.legal_surname, &mut input.legal_surname),
        (Field::LegalForename, &old.legal_forename, &new.legal_forename, &mut input.legal_forename),
        (Field::PreferredSurname, &old.preferred_surname, &new.preferred_surname, &mut input.preferred_surname),
        (Field::PreferredForename, &old.preferred_forename, &new.preferred_forename, &mut input.preferred_forename),
    ] {
        // Names differing only in capitals are the same name; an empty preferred name in
        // the file leaves the register's as it is.
        if !now.is_empty() && was.to_lowercase() != now.to_lowercase() {
            change(field, was.clone(), now.clone());
            *target = now.clone();
        }
    }
    if let (Some(was), Some(now)) = (old.sex, new.sex) {
        if was != now {
            change(Field::Sex, was.label().to_string(), now.label().to_string());
            input.sex = now.code().to_string();
        }
    }
    if let (Some(was), Some(now)) = (old.nc_year, new.nc_year) {
        if was != now {
            change(Field::NcYear, crate::pupil::year_name(was), crate::pupil::year_name(now));
            input.nc_year = now;
        }
    }
    if let Some(now) = &new.form {
        if old.form.as_deref().unwrap_or("") != now {
            change(Field::Form, old.form.clone().unwrap_or_default(), now.clone());
            input.form = now.clone();
        }
    }
    for (field, was, now, target) in [
        (Field::PupilPremium, old.pupil_premium, new.pupil_premium, &mut input.pupil_premium),
        (Field::Fsm, old.fsm, new.fsm, &mut input.fsm),
        (Field::Eal, old.eal, new.eal, &mut input.eal),
        (Field::LookedAfter, old.looked_after, new.looked_after, &mut input.looked_after),
    ] {
        if let Some(now) = now {
            if was != Some(now) {
                change(field, yes_no(was.unwrap_or(false)), yes_no(now));
                *target = now;
            }
        }
    }
    if let Some(now) = new.attendance_pct {
        if old.attendance_pct.is_none_or(|was| (was - now).abs() >= 0.05) {
            change(Field::AttendancePct, old.attendance_pct.map_or("not recorded".to_string(), |a| format!("{a:.1}%")), format!("{now:.1}%"));
            input.attendance_pct = Some(now);
        }
    }
    (changes, input)
}

/// The form input for a pupil's details, as the register holds them.
fn input_from(p: &MisPupil) -> PupilInput {
    PupilInput {
        upn: p.upn.clone(),
        legal_forename: p.legal_forename.clone(),
        legal_surname: p.legal_surname.clone(),
        preferred_forename: p.preferred_forename.clone(),
        preferred_surname: p.preferred_surname.clone(),
        date_of_birth: p.date_of_birth.map(|d| d.to_string()).unwrap_or_default(),
        sex: p.sex.map_or("", Sex::code).to_string(),
        nc_year: p.nc_year.unwrap_or(0),
        form: p.form.clone().unwrap_or_default(),
        admission_date: p.admission_date.map(|d| d.to_string()).unwrap_or_default(),
        pupil_premium: p.pupil_premium.unwrap_or(false),
        fsm: p.fsm.unwrap_or(false),
        eal: p.eal.unwrap_or(false),
        looked_after: p.looked_after.unwrap_or(false),
        attendance_pct: p.attendance_pct,
    }
}

/// A pupil new to the register, checked as the add form checks one, with the SEN history
/// they start with.
fn new_pupil(p: &MisPupil, upn: Upn, today: NaiveDate) -> Result<NewPupil, Vec<Problem>> {
    let dob = p.date_of_birth.expect("checked by the reader");
    let sen = p.sen.clone().unwrap_or(super::MisSen { status: SenStatus::NoSen, start_date: None, earlier: Vec::new(), needs: Vec::new() });
    // With no admission date in the file (a CTF from another school carries none for this
    // one), the pupil is taken as admitted at the start of this school year; the preview says
    // so, and SEN history from before it starts on that day.
    let school_year_start = NaiveDate::from_ymd_opt(crate::pupil::academic_year(today), 9, 1).expect("1 September exists");
    let admission_assumed = p.admission_date.is_none();
    let admission = p.admission_date.unwrap_or(school_year_start.min(today)).max(dob);
    let mut input = input_from(p);
    input.upn = upn.to_string();
    input.admission_date = admission.to_string();
    let problem = |field: &str, message: String| Problem::new(p.place, &p.upn, field, message);
    if let Err(crate::Error::Invalid(found)) = input.validate(today) {
        return Err(found.into_iter().map(|f| problem(&f.field, f.message)).collect());
    }
    // Statuses by start date, none before admission; No SEN until the first.
    let mut starts: Vec<(SenStatus, NaiveDate)> = sen.earlier.clone();
    starts.push((sen.status, sen.start_date.unwrap_or(admission)));
    let mut statuses: Vec<StartingStatus> = Vec::new();
    for (status, start) in starts {
        let start = start.max(admission).min(today);
        match statuses.last_mut() {
            Some(last) if last.start_date == start => last.status = status,
            Some(last) if last.status == status => {}
            _ => statuses.push(StartingStatus { status, start_date: start, end_date: None }),
        }
    }
    if statuses.first().is_some_and(|s| s.start_date > admission) {
        statuses.insert(0, StartingStatus { status: SenStatus::NoSen, start_date: admission, end_date: None });
    }
    statuses.dedup_by(|b, a| a.status == b.status);
    for i in 1..statuses.len() {
        statuses[i - 1].end_date = statuses[i].start_date.pred_opt();
    }
    let current = statuses.last().map_or(SenStatus::NoSen, |s| s.status);
    let current_since = statuses.last().map_or(admission, |s| s.start_date);
    let mut needs = Vec::new();
    let mut problems = Vec::new();
    for need in &sen.needs {
        let start = need.start_date.unwrap_or(current_since).max(admission).min(today);
        match need.end_date {
            Some(end) if end < admission => {}
            Some(end) => needs.push(MisNeed { start_date: Some(start), end_date: Some(end.max(start)), ..need.clone() }),
            None if current.needs_primary_need() => {
                if !current.allows(need.code) {
                    problems.push(problem(
                        Field::PrimaryNeed.name(),
                        "NSA (no specialist assessment) belongs to SEN support only; the MIS gives it with an EHC plan".to_string(),
                    ));
                }
                needs.push(MisNeed { start_date: Some(start), ..need.clone() })
            }
            None => {}
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    let primary_need = needs.iter().filter(|n| n.end_date.is_none() && n.rank == 1).map(|n| n.code).next();
    if current.needs_primary_need() && primary_need.is_none() {
        return Err(vec![problem(Field::PrimaryNeed.name(), format!("the SEN status is {} but no need ranked 1 is given", current.code()))]);
    }
    Ok(NewPupil {
        place: p.place,
        at: p.place.to_string(),
        upn: upn.to_string(),
        name: display(p),
        date_of_birth: dob,
        nc_year: input.nc_year,
        status: current,
        primary_need,
        admission_assumed,
        input,
        statuses,
        needs,
    })
}

fn fingerprint(plan: &ImportPlan) -> String {
    let mut hash = Sha256::new();
    for new in &plan.new_pupils {
        hash.update(serde_json::to_vec(&(&new.input, &new.statuses, &new.needs)).unwrap_or_default());
    }
    for changed in &plan.changed {
        hash.update(serde_json::to_vec(&(changed.pupil_id, &changed.changes)).unwrap_or_default());
    }
    hash.update(serde_json::to_vec(&(&plan.differences, &plan.resolved)).unwrap_or_default());
    hash.finalize().iter().take(16).map(|b| format!("{b:02x}")).collect()
}
