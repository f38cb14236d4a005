//! Pupil data from the school's MIS: the DfE Common Transfer File (`ctf`) and the CSV lists
//! MISs export (`csv`), read into one shape (`MisPupil`), then compared with the register
//! (`plan`) before anything is written.
//!
//! Invariants:
//! - reading never fails whole and never panics: a file that cannot be read at all gives one
//!   problem at "file", and every bad record gives a problem naming its record or line and
//!   field, so one report lists everything wrong;
//! - reading writes nothing; `plan` writes nothing; only `Store::apply_import` writes, in one
//!   transaction, and only when the plan has no problems;
//! - the toolkit's own SEN records win: an import never ends, replaces or deletes a status,
//!   need, cycle or note of a pupil already on the register. Where the MIS disagrees, the plan
//!   names a reconciliation item for the school office instead.

pub mod csv;
pub mod ctf;
pub mod plan;
pub mod values;

use std::collections::BTreeMap;
use std::fmt;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::census::{NeedCode, SenStatus};
use crate::pupil::Sex;

/// Where in a file something was read: a CTF's pupil record, or a CSV's line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", tag = "kind", content = "number")]
#[ts(export, rename = "ImportPlace")]
pub enum Place {
    /// The file as a whole.
    File,
    /// The nth `Pupil` element of a CTF, from 1.
    Record(#[ts(type = "number")] u64),
    /// The line of a CSV where the row starts, from 1 (the heading line is line 1).
    Line(#[ts(type = "number")] u64),
}

impl fmt::Display for Place {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Place::File => f.write_str("file"),
            Place::Record(n) => write!(f, "record {n}"),
            Place::Line(n) => write!(f, "line {n}"),
        }
    }
}

/// One thing wrong in a file: where, which field (if one), and what, in words.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, rename = "ImportProblem")]
pub struct Problem {
    pub place: Place,
    /// The place in words: "record 12", "line 5", "file".
    pub at: String,
    /// The UPN the record gives, when it gives one, so a reader can find the pupil.
    pub upn: String,
    /// The field's name, as in `Field::name`; empty for the record or file as a whole.
    pub field: String,
    pub message: String,
}

impl Problem {
    pub fn file(message: impl Into<String>) -> Problem {
        Problem { place: Place::File, at: Place::File.to_string(), upn: String::new(), field: String::new(), message: message.into() }
    }

    pub fn at(place: Place, upn: &str, field: Field, message: impl Into<String>) -> Problem {
        Problem::new(place, upn, field.name(), message)
    }

    /// A problem with a row or record as a whole (`field` empty) or with a named field.
    pub fn new(place: Place, upn: &str, field: &str, message: impl Into<String>) -> Problem {
        Problem { place, at: place.to_string(), upn: upn.to_string(), field: field.to_string(), message: message.into() }
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.place)?;
        if !self.upn.is_empty() {
            write!(f, " (UPN {})", crate::text::shown(&self.upn))?;
        }
        if !self.field.is_empty() {
            match Field::from_name(&self.field) {
                Some(field) => write!(f, ", {}", field.label())?,
                None => write!(f, ", {}", self.field)?,
            }
        }
        write!(f, ": {}", self.message)
    }
}

/// The fields an import reads. Their names are the ones profiles and problems use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, rename = "ImportField")]
pub enum Field {
    Upn,
    FormerUpn,
    LegalSurname,
    LegalForename,
    PreferredSurname,
    PreferredForename,
    DateOfBirth,
    Sex,
    NcYear,
    Form,
    AdmissionDate,
    SenStatus,
    SenStartDate,
    PrimaryNeed,
    SecondaryNeed,
    PupilPremium,
    Fsm,
    Eal,
    LookedAfter,
    AttendancePct,
}

impl Field {
    pub const ALL: [Field; 20] = [
        Field::Upn,
        Field::FormerUpn,
        Field::LegalSurname,
        Field::LegalForename,
        Field::PreferredSurname,
        Field::PreferredForename,
        Field::DateOfBirth,
        Field::Sex,
        Field::NcYear,
        Field::Form,
        Field::AdmissionDate,
        Field::SenStatus,
        Field::SenStartDate,
        Field::PrimaryNeed,
        Field::SecondaryNeed,
        Field::PupilPremium,
        Field::Fsm,
        Field::Eal,
        Field::LookedAfter,
        Field::AttendancePct,
    ];

    /// The name used in profiles, problems and JSON.
    pub fn name(self) -> &'static str {
        match self {
            Field::Upn => "upn",
            Field::FormerUpn => "formerUpn",
            Field::LegalSurname => "legalSurname",
            Field::LegalForename => "legalForename",
            Field::PreferredSurname => "preferredSurname",
            Field::PreferredForename => "preferredForename",
            Field::DateOfBirth => "dateOfBirth",
            Field::Sex => "sex",
            Field::NcYear => "ncYear",
            Field::Form => "form",
            Field::AdmissionDate => "admissionDate",
            Field::SenStatus => "senStatus",
            Field::SenStartDate => "senStartDate",
            Field::PrimaryNeed => "primaryNeed",
            Field::SecondaryNeed => "secondaryNeed",
            Field::PupilPremium => "pupilPremium",
            Field::Fsm => "fsm",
            Field::Eal => "eal",
            Field::LookedAfter => "lookedAfter",
            Field::AttendancePct => "attendancePct",
        }
    }

    /// What a SENCO calls it.
    pub fn label(self) -> &'static str {
        match self {
            Field::Upn => "UPN",
            Field::FormerUpn => "former UPN",
            Field::LegalSurname => "legal surname",
            Field::LegalForename => "legal first name",
            Field::PreferredSurname => "preferred surname",
            Field::PreferredForename => "preferred first name",
            Field::DateOfBirth => "date of birth",
            Field::Sex => "sex",
            Field::NcYear => "year group",
            Field::Form => "form or class",
            Field::AdmissionDate => "admission date",
            Field::SenStatus => "SEN status",
            Field::SenStartDate => "SEN status start date",
            Field::PrimaryNeed => "primary need",
            Field::SecondaryNeed => "secondary need",
            Field::PupilPremium => "pupil premium",
            Field::Fsm => "free school meals",
            Field::Eal => "English as an additional language",
            Field::LookedAfter => "looked after",
            Field::AttendancePct => "attendance %",
        }
    }

    /// A CSV needs these columns to be read at all.
    pub fn required(self) -> bool {
        matches!(self, Field::Upn | Field::LegalSurname | Field::LegalForename | Field::DateOfBirth | Field::Sex | Field::NcYear)
    }

    pub fn from_name(name: &str) -> Option<Field> {
        Field::ALL.into_iter().find(|f| f.name() == name)
    }
}

/// The fields an import reads, with their labels, for the app's column matching.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, rename = "ImportFieldInfo")]
pub struct FieldInfo {
    pub field: Field,
    pub label: String,
    pub required: bool,
}

pub fn fields() -> Vec<FieldInfo> {
    Field::ALL.into_iter().map(|field| FieldInfo { field, label: field.label().to_string(), required: field.required() }).collect()
}

/// One need as the MIS records it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct MisNeed {
    pub code: NeedCode,
    pub rank: u32,
    pub start_date: Option<NaiveDate>,
    pub end_date: Option<NaiveDate>,
}

/// The SEN provision the MIS records: its latest status (N, K or E) and the needs.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct MisSen {
    pub status: SenStatus,
    pub start_date: Option<NaiveDate>,
    /// Earlier statuses, oldest first, when the file carries a history (a CTF does).
    pub earlier: Vec<(SenStatus, NaiveDate)>,
    pub needs: Vec<MisNeed>,
}

impl MisSen {
    /// The need ranked first and still open.
    pub fn primary_need(&self) -> Option<NeedCode> {
        self.needs.iter().filter(|n| n.end_date.is_none()).min_by_key(|n| n.rank).map(|n| n.code)
    }
}

/// One pupil as the MIS file gives them. Fields the file does not carry are `None` (or empty
/// names), and an import leaves those fields of the register as they are.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct MisPupil {
    pub place: Place,
    pub upn: String,
    pub former_upn: String,
    pub legal_surname: String,
    pub legal_forename: String,
    pub preferred_surname: String,
    pub preferred_forename: String,
    pub date_of_birth: Option<NaiveDate>,
    pub sex: Option<Sex>,
    pub nc_year: Option<i32>,
    pub form: Option<String>,
    pub admission_date: Option<NaiveDate>,
    pub pupil_premium: Option<bool>,
    pub fsm: Option<bool>,
    pub eal: Option<bool>,
    pub looked_after: Option<bool>,
    pub attendance_pct: Option<f64>,
    /// `None` when the file says nothing about SEN (a CSV without the columns).
    pub sen: Option<MisSen>,
}

impl MisPupil {
    pub fn empty(place: Place) -> MisPupil {
        MisPupil {
            place,
            upn: String::new(),
            former_upn: String::new(),
            legal_surname: String::new(),
            legal_forename: String::new(),
            preferred_surname: String::new(),
            preferred_forename: String::new(),
            date_of_birth: None,
            sex: None,
            nc_year: None,
            form: None,
            admission_date: None,
            pupil_premium: None,
            fsm: None,
            eal: None,
            looked_after: None,
            attendance_pct: None,
            sen: None,
        }
    }
}

/// Which kind of file was read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, rename = "ImportSource")]
pub enum Source {
    Ctf,
    Csv,
}

impl Source {
    pub fn code(self) -> &'static str {
        match self {
            Source::Ctf => "ctf",
            Source::Csv => "csv",
        }
    }
}

/// What the file says about itself.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, rename = "ImportFileFacts")]
pub struct FileFacts {
    /// CTF: the header's `CTFversion`.
    pub ctf_version: String,
    /// CTF: the sending school's name and LA/establishment number.
    pub source_school: String,
    /// CTF: the destination's LA and establishment number, "886/2001".
    pub destination: String,
    /// CSV: "UTF-8", "UTF-8 with BOM" or "Windows-1252".
    pub encoding: String,
    /// CSV: "comma", "semicolon" or "tab".
    pub delimiter: String,
    /// CSV: the profile the columns were matched with.
    pub profile: String,
}

/// A file read into pupils, with everything wrong in it.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, rename = "ImportParsed")]
pub struct Parsed {
    pub source: Source,
    pub facts: FileFacts,
    pub pupils: Vec<MisPupil>,
    pub problems: Vec<Problem>,
    /// Things to know that do not stop the import, such as a CTF meant for another school.
    pub warnings: Vec<String>,
    /// Elements or columns the import does not read, with how often each appeared.
    #[ts(type = "Record<string, number>")]
    pub ignored: BTreeMap<String, u64>,
}

impl Parsed {
    pub fn failed(source: Source, problem: Problem) -> Parsed {
        Parsed { source, facts: FileFacts::default(), pupils: Vec::new(), problems: vec![problem], warnings: Vec::new(), ignored: BTreeMap::new() }
    }
}

#[cfg(test)]
mod tests;
