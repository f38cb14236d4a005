//! The school a database belongs to: the details asked for when it is set up.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{Error, FieldProblem, Result};
use crate::keys::MIN_PASSPHRASE_CHARS;

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
}

impl Phase {
    pub const ALL: [Phase; 4] = [Phase::Primary, Phase::Secondary, Phase::AllThrough, Phase::Special];

    pub fn code(self) -> &'static str {
        match self {
            Phase::Primary => "primary",
            Phase::Secondary => "secondary",
            Phase::AllThrough => "all-through",
            Phase::Special => "special",
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

impl SchoolSetup {
    /// Checks every field and the passphrase (typed twice), reporting all problems at once.
    pub fn validate(&self, passphrase: &str, passphrase_again: &str) -> Result<()> {
        let mut problems = Vec::new();
        if self.name.trim().is_empty() {
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
        if let Err(problem) = check_passphrase(passphrase, passphrase_again) {
            problems.push(problem);
        }
        if problems.is_empty() { Ok(()) } else { Err(Error::Invalid(problems)) }
    }
}

/// A passphrase must be long enough and typed the same twice.
pub fn check_passphrase(passphrase: &str, again: &str) -> Result<(), FieldProblem> {
    if passphrase.chars().count() < MIN_PASSPHRASE_CHARS {
        return Err(FieldProblem::new(
            "passphrase",
            format!("the passphrase needs at least {MIN_PASSPHRASE_CHARS} characters; a short sentence is easy to remember"),
        ));
    }
    if passphrase != again {
        return Err(FieldProblem::new("passphraseAgain", "the two passphrases are not the same"));
    }
    Ok(())
}

fn digits(text: &str, count: usize) -> bool {
    text.len() == count && text.bytes().all(|b| b.is_ascii_digit())
}
