//! A pupil's details: what the add and edit forms send, the checks on it, and the record the
//! pupil screen shows.
//!
//! `PupilInput` carries dates as typed text so that every wrong field can be reported beside
//! that field; `PupilInput::validate` turns it into a `ValidPupil` or a list of problems.

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::census::{BroadArea, NeedCode, SenStatus};
use crate::error::{Error, FieldProblem, Result};
use crate::dates::read as parse_date;
use crate::sen::NeedId;
use crate::text;
use crate::upn::Upn;

/// The longest form or class name accepted.
pub const FORM_MAX: usize = 20;

/// A database id for a pupil.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, TS)]
#[ts(export, type = "number")]
pub struct PupilId(pub i64);

/// National Curriculum years run from Nursery (-1) and Reception (0) to Year 14.
pub const NC_YEARS: std::ops::RangeInclusive<i32> = -1..=14;

/// "N", "R", "Y1" … "Y14".
pub fn nc_year_label(year: i32) -> String {
    match year {
        -1 => "N".to_string(),
        0 => "R".to_string(),
        y => format!("Y{y}"),
    }
}

/// A year group in any spelling `read_year` takes, or `None`.
pub fn parse_nc_year(text: &str) -> Option<i32> {
    read_year(text).ok()
}

/// A year group in any of the ways schools and MIS exports write it: "Year 6", "Yr6", "Y6",
/// "6", "Reception", "R", "YR", "Nursery", "N", "N1", "N2"; or why it is not one. The one
/// reader for the import, the command line and the forms.
pub fn read_year(text: &str) -> Result<i32, String> {
    let key: String = if text.trim().starts_with('-') { String::from("-") } else { text.chars().filter(|c| c.is_alphanumeric()).flat_map(char::to_uppercase).collect() };
    let bad = || format!("\"{}\" is not a year group: use Nursery, N1, N2, Reception, R, or Year 1 to Year 14", crate::text::shown(text));
    let year = match key.as_str() {
        "N" | "N1" | "N2" | "NURSERY" | "YN" => -1,
        "R" | "YR" | "RECEPTION" | "YEARR" | "REC" => 0,
        other => {
            let digits = other.strip_prefix("YEAR").or_else(|| other.strip_prefix("YR")).or_else(|| other.strip_prefix('Y')).unwrap_or(other);
            if digits.is_empty() || digits.len() > 2 || !digits.bytes().all(|b| b.is_ascii_digit()) {
                return Err(bad());
            }
            digits.parse().map_err(|_| bad())?
        }
    };
    if NC_YEARS.contains(&year) {
        Ok(year)
    } else {
        Err(bad())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub enum Sex {
    F,
    M,
}

impl Sex {
    pub const ALL: [Sex; 2] = [Sex::F, Sex::M];

    pub fn label(self) -> &'static str {
        match self {
            Sex::F => "Female",
            Sex::M => "Male",
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Sex::F => "F",
            Sex::M => "M",
        }
    }

    pub fn from_code(code: &str) -> Option<Sex> {
        match code.trim().to_ascii_uppercase().as_str() {
            "F" => Some(Sex::F),
            "M" => Some(Sex::M),
            _ => None,
        }
    }
}

/// What the add and edit forms send.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", default)]
#[ts(export)]
pub struct PupilInput {
    pub upn: String,
    pub legal_forename: String,
    pub legal_surname: String,
    pub preferred_forename: String,
    pub preferred_surname: String,
    /// YYYY-MM-DD.
    pub date_of_birth: String,
    /// "F" or "M", as in the census.
    pub sex: String,
    pub nc_year: i32,
    pub form: String,
    /// YYYY-MM-DD.
    pub admission_date: String,
    pub pupil_premium: bool,
    pub fsm: bool,
    pub eal: bool,
    pub looked_after: bool,
    pub attendance_pct: Option<f64>,
}

/// A pupil's details after every check has passed.
#[derive(Debug, Clone, PartialEq)]
pub struct ValidPupil {
    pub upn: Upn,
    pub legal_forename: String,
    pub legal_surname: String,
    pub preferred_forename: String,
    pub preferred_surname: String,
    pub date_of_birth: NaiveDate,
    pub sex: Sex,
    pub nc_year: i32,
    pub form: String,
    pub admission_date: NaiveDate,
    pub pupil_premium: bool,
    pub fsm: bool,
    pub eal: bool,
    pub looked_after: bool,
    pub attendance_pct: Option<f64>,
}

impl PupilInput {
    /// Checks every field against `today`, reporting all problems at once.
    pub fn validate(&self, today: NaiveDate) -> Result<ValidPupil> {
        let mut problems = Vec::new();
        let upn = Upn::parse(&self.upn)
            .map_err(|e| problems.push(FieldProblem::new("upn", e.to_string())))
            .ok();
        let mut name = |field: &str, label: &str, text: &str, required: bool| {
            text::name(field, label, text, required).map_err(|p| problems.push(p)).unwrap_or_default()
        };
        let legal_forename = name("legalForename", "pupil's legal first name", &self.legal_forename, true);
        let legal_surname = name("legalSurname", "pupil's legal surname", &self.legal_surname, true);
        let preferred_forename = name("preferredForename", "pupil's preferred first name", &self.preferred_forename, false);
        let preferred_surname = name("preferredSurname", "pupil's preferred surname", &self.preferred_surname, false);
        let form = text::line("form", "form or class", &self.form, FORM_MAX).map_err(|p| problems.push(p)).unwrap_or_default();
        let date_of_birth = parse_date("dateOfBirth", "date of birth", &self.date_of_birth)
            .map_err(|p| problems.push(p))
            .ok();
        let admission_date = parse_date("admissionDate", "admission date", &self.admission_date)
            .map_err(|p| problems.push(p))
            .ok();
        let sex = Sex::from_code(&self.sex);
        if sex.is_none() {
            problems.push(FieldProblem::new("sex", "choose the pupil's sex as recorded in the census (F or M)"));
        }
        if !NC_YEARS.contains(&self.nc_year) {
            problems.push(FieldProblem::new("ncYear", "choose a year group from Nursery to Year 14"));
        }
        if let Some(dob) = date_of_birth {
            if dob > today {
                problems.push(FieldProblem::new("dateOfBirth", "the date of birth is in the future"));
            } else if NC_YEARS.contains(&self.nc_year) {
                if let Some(message) = year_group_mismatch(dob, self.nc_year, today) {
                    problems.push(FieldProblem::new("dateOfBirth", message));
                }
            }
        }
        if let Some(admitted) = admission_date {
            if admitted > today {
                problems.push(FieldProblem::new("admissionDate", "the admission date is in the future"));
            }
            if date_of_birth.is_some_and(|dob| dob <= today && admitted < dob) {
                problems.push(FieldProblem::new("admissionDate", "the admission date is before the date of birth"));
            }
        }
        if let Some(pct) = self.attendance_pct {
            if !(0.0..=100.0).contains(&pct) || pct.is_nan() {
                problems.push(FieldProblem::new("attendancePct", "attendance is a percentage from 0 to 100"));
            }
        }
        match (problems.is_empty(), upn, date_of_birth, admission_date, sex) {
            (true, Some(upn), Some(date_of_birth), Some(admission_date), Some(sex)) => Ok(ValidPupil {
                upn,
                legal_forename,
                legal_surname,
                preferred_forename,
                preferred_surname,
                date_of_birth,
                sex,
                nc_year: self.nc_year,
                form,
                admission_date,
                pupil_premium: self.pupil_premium,
                fsm: self.fsm,
                eal: self.eal,
                looked_after: self.looked_after,
                attendance_pct: self.attendance_pct,
            }),
            _ => Err(Error::Invalid(problems)),
        }
    }
}

/// The year group a date of birth gives in the academic year containing `today`: a child
/// starts Reception in the September after their fourth birthday.
pub fn expected_nc_year(date_of_birth: NaiveDate, today: NaiveDate) -> i32 {
    academic_year(today) - academic_year(date_of_birth) - 5
}

/// The school year a date falls in, named by the calendar year it starts: 2026 for
/// 1 September 2026 to 31 August 2027.
pub fn academic_year(date: NaiveDate) -> i32 {
    if date.month() >= 9 { date.year() } else { date.year() - 1 }
}

/// Pupils are sometimes taught one year above or below their age group; more than that is
/// almost always a typing mistake in the date or the year group.
fn year_group_mismatch(date_of_birth: NaiveDate, nc_year: i32, today: NaiveDate) -> Option<String> {
    let expected = expected_nc_year(date_of_birth, today);
    if (nc_year - expected).abs() <= 1 {
        return None;
    }
    let cohort = academic_year(today) - nc_year - 5;
    Some(format!(
        "this date of birth fits {}, not {}: pupils in {} were born between 1 September {} and 31 August {}",
        year_name(expected),
        year_name(nc_year),
        year_name(nc_year),
        cohort,
        cohort + 1
    ))
}

/// "Nursery", "Reception", "Year 1" …
pub fn year_name(year: i32) -> String {
    match year {
        -1 => "Nursery".to_string(),
        0 => "Reception".to_string(),
        y if y < -1 => "below Nursery".to_string(),
        y => format!("Year {y}"),
    }
}

/// One period of a pupil's SEN status history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct StatusPeriod {
    pub status: SenStatus,
    pub start_date: NaiveDate,
    pub end_date: Option<NaiveDate>,
    pub reason: String,
}

/// One recorded need, current or ended.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct NeedRecord {
    pub id: NeedId,
    pub code: NeedCode,
    pub description: String,
    pub area: BroadArea,
    pub rank: u32,
    pub start_date: NaiveDate,
    pub end_date: Option<NaiveDate>,
}

/// An earlier time on roll, for a pupil who left and was re-admitted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Enrolment {
    pub admission_date: NaiveDate,
    pub leaving_date: NaiveDate,
}

/// Everything the pupil screen shows.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct PupilRecord {
    pub id: PupilId,
    pub upn: String,
    pub upn_temporary: bool,
    pub legal_forename: String,
    pub legal_surname: String,
    pub preferred_forename: String,
    pub preferred_surname: String,
    pub date_of_birth: NaiveDate,
    pub sex: Sex,
    pub nc_year: i32,
    pub form: String,
    pub admission_date: NaiveDate,
    pub leaving_date: Option<NaiveDate>,
    pub pupil_premium: bool,
    pub fsm: bool,
    pub eal: bool,
    pub looked_after: bool,
    pub attendance_pct: Option<f64>,
    pub status: SenStatus,
    pub status_since: NaiveDate,
    /// Oldest first.
    pub status_history: Vec<StatusPeriod>,
    /// Current needs by rank, then ended needs, newest first.
    pub needs: Vec<NeedRecord>,
    /// The rank a new need takes unless someone chooses one to replace; None when every
    /// rank is taken.
    pub next_rank: Option<u32>,
    /// Earlier times on roll, oldest first, if the pupil left and was re-admitted.
    pub previous_enrolments: Vec<Enrolment>,
}

impl PupilRecord {
    pub fn current_needs(&self) -> impl Iterator<Item = &NeedRecord> {
        self.needs.iter().filter(|n| n.end_date.is_none())
    }

    pub fn primary_need(&self) -> Option<NeedCode> {
        self.current_needs().find(|n| n.rank == 1).map(|n| n.code)
    }

    /// The form a pupil is known by: preferred names where given.
    pub fn display_name(&self) -> String {
        display_name(&self.legal_forename, &self.legal_surname, &self.preferred_forename, &self.preferred_surname)
    }
}

pub fn display_name(legal_forename: &str, legal_surname: &str, preferred_forename: &str, preferred_surname: &str) -> String {
    let forename = if preferred_forename.is_empty() { legal_forename } else { preferred_forename };
    let surname = if preferred_surname.is_empty() { legal_surname } else { preferred_surname };
    format!("{forename} {surname}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
    }

    fn input() -> PupilInput {
        PupilInput {
            upn: "K886200724123".into(),
            legal_forename: "Ada".into(),
            legal_surname: "Quill".into(),
            date_of_birth: "2017-03-14".into(),
            sex: "F".into(),
            nc_year: 5,
            admission_date: "2021-09-01".into(),
            ..PupilInput::default()
        }
    }

    /// Applies `change` to a valid pupil and renders the outcome as one line.
    fn check(change: impl Fn(&mut PupilInput), expected: &str) {
        let mut pupil = input();
        change(&mut pupil);
        let actual = match pupil.validate(date("2026-11-23")) {
            Ok(_) => "ok".to_string(),
            Err(e) => e.fields().iter().map(|p| format!("{}: {}", p.field, p.message)).collect::<Vec<_>>().join(" | "),
        };
        assert_eq!(actual, expected);
    }

    #[test]
    fn a_complete_pupil_is_valid() {
        check(|_| {}, "ok");
        check(|p| p.upn = "V88612342500A".into(), "ok");
        check(|p| p.nc_year = 4, "ok"); // one year out of age group is allowed
    }

    #[test]
    fn each_bad_field_is_named_beside_its_field() {
        check(|p| p.upn = "A801200005001".into(), "upn: the check letter does not match: it is A but the digits give B; check the UPN for a typing mistake");
        check(|p| p.legal_surname = "  ".into(), "legalSurname: enter the pupil's legal surname");
        check(|p| p.date_of_birth = "2027-01-01".into(), "dateOfBirth: the date of birth is in the future");
        check(|p| p.date_of_birth = "14/03/2017".into(), "ok");
        check(|p| p.date_of_birth = "30/02/2017".into(), "dateOfBirth: the date of birth \"30/02/2017\" is a date that does not exist: February 2017 has no day 30");
        check(|p| p.nc_year = 9, "dateOfBirth: this date of birth fits Year 5, not Year 9: pupils in Year 9 were born between 1 September 2012 and 31 August 2013");
        check(|p| p.admission_date = "2016-01-01".into(), "admissionDate: the admission date is before the date of birth");
        check(|p| p.sex = "X".into(), "sex: choose the pupil's sex as recorded in the census (F or M)");
        check(|p| p.attendance_pct = Some(101.0), "attendancePct: attendance is a percentage from 0 to 100");
    }

    #[test]
    fn year_groups_follow_the_september_cut_off() {
        let today = date("2026-11-23");
        assert_eq!(expected_nc_year(date("2015-09-01"), today), 6, "born 1 September: oldest in Year 6");
        assert_eq!(expected_nc_year(date("2016-08-31"), today), 6, "born 31 August: youngest in Year 6");
        assert_eq!(expected_nc_year(date("2016-09-01"), today), 5);
        assert_eq!(expected_nc_year(date("2022-01-10"), today), 0, "Reception");
        assert_eq!(parse_nc_year("y7"), Some(7));
        assert_eq!(parse_nc_year("R"), Some(0));
        assert_eq!(parse_nc_year("Y15"), None);
    }
}
