//! The one error type of `senco-core`.
//!
//! Each variant is something a caller can act on, and its message is written for a SENCO:
//! it names the field, file or record and says what to do. The shells map variants to
//! stable codes (see `Error::code`) and never parse the message text.

use std::path::PathBuf;

use serde::Serialize;
use ts_rs::TS;

/// A problem with one field of a form or record, shown beside that field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct FieldProblem {
    /// The field's name as the UI and the CLI know it, e.g. `upn` or `dateOfBirth`.
    pub field: String,
    pub message: String,
}

impl FieldProblem {
    pub fn new(field: &str, message: impl Into<String>) -> FieldProblem {
        FieldProblem { field: field.to_string(), message: message.into() }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// One or more fields are wrong; nothing was saved.
    #[error("{}", summarise(.0))]
    Invalid(Vec<FieldProblem>),
    /// A rule about the pupil's record as a whole was broken; nothing was saved.
    #[error("{0}")]
    Refused(String),
    #[error("that passphrase is not right for this school")]
    WrongPassphrase,
    #[error("that recovery key is not right for this school")]
    WrongRecoveryKey,
    #[error("{what} {id} was not found")]
    NotFound { what: &'static str, id: String },
    #[error("{} is not a SENCO Toolkit school database ({reason})", .path.display())]
    NotASchoolDatabase { path: PathBuf, reason: String },
    #[error(
        "this school database was written by a newer version of SENCO Toolkit \
         (database version {found}, this app understands up to {supported}); \
         install the newer version to open it"
    )]
    NewerDatabase { found: i64, supported: i64 },
    #[error("no school is open: unlock it first")]
    Locked,
    #[error("a school database already exists at {}", .0.display())]
    AlreadyExists(PathBuf),
    #[error("the school database could not be read or written: {0}")]
    Database(#[from] rusqlite::Error),
    #[error("a file could not be read or written: {0}")]
    Io(#[from] std::io::Error),
}

fn summarise(problems: &[FieldProblem]) -> String {
    problems.iter().map(|p| format!("{}: {}", p.field, p.message)).collect::<Vec<_>>().join("; ")
}

/// Stable codes for the shells. The UI switches on these, never on message text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum ErrorCode {
    Invalid,
    Refused,
    WrongPassphrase,
    WrongRecoveryKey,
    NotFound,
    NotASchoolDatabase,
    NewerDatabase,
    Locked,
    AlreadyExists,
    Storage,
}

impl Error {
    pub fn code(&self) -> ErrorCode {
        match self {
            Error::Invalid(_) => ErrorCode::Invalid,
            Error::Refused(_) => ErrorCode::Refused,
            Error::WrongPassphrase => ErrorCode::WrongPassphrase,
            Error::WrongRecoveryKey => ErrorCode::WrongRecoveryKey,
            Error::NotFound { .. } => ErrorCode::NotFound,
            Error::NotASchoolDatabase { .. } => ErrorCode::NotASchoolDatabase,
            Error::NewerDatabase { .. } => ErrorCode::NewerDatabase,
            Error::Locked => ErrorCode::Locked,
            Error::AlreadyExists(_) => ErrorCode::AlreadyExists,
            Error::Database(_) | Error::Io(_) => ErrorCode::Storage,
        }
    }

    /// The per-field problems, empty unless this is `Invalid`.
    pub fn fields(&self) -> &[FieldProblem] {
        match self {
            Error::Invalid(problems) => problems,
            _ => &[],
        }
    }

    pub(crate) fn invalid(field: &str, message: impl Into<String>) -> Error {
        Error::Invalid(vec![FieldProblem::new(field, message)])
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
