//! The school a database belongs to: the details asked for when it is set up, and the
//! rules for the passphrase that protects it.
//!
//! `SchoolSetup::validate` is the only way to a `ValidSchool`, and so to a new database.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{Error, FieldProblem, Result};
use crate::keys::MIN_PASSPHRASE_CHARS;
use crate::text;

/// Kent's LA number, the default for a new school.
pub const KENT_LA_CODE: &str = "886";

/// What "Set up my school" asks for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct SchoolSetup {
    pub name: String,
    /// The six-digit Unique Reference Number from Get Information About Schools.
    pub urn: String,
    /// The three-digit LA number, 886 for Kent.
    pub la_code: String,
    /// The four-digit DfE establishment number.
    pub establishment_number: String,
    pub phase: Phase,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum Phase {
    Primary,
    Secondary,
    AllThrough,
    Special,
    /// Reception to Year 2; its pupils transfer to a junior school after Year 2.
    Infant,
    /// Years 3 to 6.
    Junior,
}

impl Phase {
    pub const ALL: [Phase; 6] = [Phase::Primary, Phase::Infant, Phase::Junior, Phase::Secondary, Phase::AllThrough, Phase::Special];

    pub fn code(self) -> &'static str {
        match self {
            Phase::Primary => "primary",
            Phase::Secondary => "secondary",
            Phase::AllThrough => "all-through",
            Phase::Special => "special",
            Phase::Infant => "infant",
            Phase::Junior => "junior",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Phase::Primary => "Primary",
            Phase::Secondary => "Secondary",
            Phase::AllThrough => "All-through",
            Phase::Special => "Special",
            Phase::Infant => "Infant",
            Phase::Junior => "Junior",
        }
    }

    pub fn from_code(code: &str) -> Option<Phase> {
        Phase::ALL.into_iter().find(|p| p.code() == code.trim().to_ascii_lowercase())
    }
}

/// The school as the app shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct School {
    pub name: String,
    pub urn: String,
    pub la_code: String,
    pub establishment_number: String,
    pub phase: Phase,
    /// Demo schools hold synthetic pupils only, and the app says so on every screen.
    pub is_demo: bool,
}

/// A school's details after every check has passed; the only way to make a `School`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidSchool(School);

impl ValidSchool {
    pub fn into_school(self) -> School {
        self.0
    }
}

/// The longest school name accepted.
pub const SCHOOL_NAME_MAX: usize = 120;

impl SchoolSetup {
    /// Checks every field and the passphrase (typed twice), reporting all problems at once.
    pub fn validate(&self, passphrase: &str, passphrase_again: &str) -> Result<ValidSchool> {
        let mut problems = Vec::new();
        let name = text::line("name", "school's name", &self.name, SCHOOL_NAME_MAX).map_err(|p| problems.push(p)).unwrap_or_default();
        if name.is_empty() && problems.is_empty() {
            problems.push(FieldProblem::new("name", "enter the school's name"));
        }
        if !digits(&self.urn, 6) {
            problems.push(FieldProblem::new("urn", "the URN is the school's six-digit Unique Reference Number"));
        }
        if !digits(&self.la_code, 3) {
            problems.push(FieldProblem::new("laCode", "the LA code has three digits (Kent is 886)"));
        }
        if !digits(&self.establishment_number, 4) {
            problems.push(FieldProblem::new(
                "establishmentNumber",
                "the DfE establishment number has four digits (the part after the LA code)",
            ));
        }
        let school_words = [name.as_str(), self.urn.as_str(), "senco", "school", "toolkit", "kent"];
        if let Err(problem) = check_passphrase(passphrase, passphrase_again, &school_words) {
            problems.push(problem);
        }
        if !problems.is_empty() {
            return Err(Error::Invalid(problems));
        }
        Ok(ValidSchool(School {
            name,
            urn: self.urn.trim().to_string(),
            la_code: self.la_code.trim().to_string(),
            establishment_number: self.establishment_number.trim().to_string(),
            phase: self.phase,
            is_demo: false,
        }))
    }
}

/// The lowest zxcvbn score (0 to 4) a passphrase may have: 3 means "safely unguessable".
pub const MIN_PASSPHRASE_SCORE: zxcvbn::Score = zxcvbn::Score::Three;

/// A passphrase must be long enough, hard to guess and typed the same twice. Words about
/// the school (`context`) count as easy to guess.
pub fn check_passphrase(passphrase: &str, again: &str, context: &[&str]) -> Result<(), FieldProblem> {
    if passphrase.trim().is_empty() && !passphrase.is_empty() {
        return Err(FieldProblem::new("passphrase", "the passphrase cannot be made only of spaces"));
    }
    if passphrase.chars().count() < MIN_PASSPHRASE_CHARS {
        return Err(FieldProblem::new(
            "passphrase",
            format!("the passphrase needs at least {MIN_PASSPHRASE_CHARS} characters; a short sentence is easy to remember"),
        ));
    }
    if passphrase == crate::keys::DEMO_PASSPHRASE {
        return Err(FieldProblem::new("passphrase", "that is the demo school's published key; choose a passphrase of your own"));
    }
    if passphrase.chars().count() > 200 {
        return Err(FieldProblem::new("passphrase", "the passphrase is longer than 200 characters"));
    }
    let strength = zxcvbn::zxcvbn(passphrase, context);
    if strength.score() < MIN_PASSPHRASE_SCORE {
        let mut why = String::from("this passphrase would be easy to guess");
        if let Some(feedback) = strength.feedback() {
            if let Some(warning) = feedback.warning() {
                why.push_str(&format!(" ({})", warning.to_string().trim_end_matches('.').to_lowercase()));
            }
        }
        why.push_str("; four or five unrelated words, such as a short odd sentence, are strong and easy to remember");
        return Err(FieldProblem::new("passphrase", why));
    }
    if passphrase != again {
        return Err(FieldProblem::new("passphraseAgain", "the two passphrases are not the same"));
    }
    Ok(())
}

fn digits(text: &str, count: usize) -> bool {
    let text = text.trim();
    text.len() == count && text.bytes().all(|b| b.is_ascii_digit())
}
