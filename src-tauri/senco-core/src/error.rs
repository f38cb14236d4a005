//! The one error type of `senco-core`.
//!
//! Each variant is something a caller can act on, and its message is written for a SENCO:
//! it names the field, file or record, says what went wrong in plain words and what to do.
//! The shells map variants to stable codes (see `Error::code`) and never parse the message.
//!
//! Storage failures are sorted here, once, into what a person can act on: another program
//! holding the database (`Busy`), a damaged file (`Damaged`), a full or read-only disk, or a
//! file that could not be read or written (`File`, which always names the file).

use std::fmt;
use std::io;
use std::path::{Path, PathBuf};

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
    /// A rule about the record as a whole was broken; nothing was saved.
    #[error("{0}")]
    Refused(String),
    #[error("that passphrase is not right for this school")]
    WrongPassphrase,
    /// A real school was opened without its passphrase (the demo key was tried and refused).
    #[error("{} is a school protected by its own passphrase: give the passphrase to open it", .0.display())]
    PassphraseRequired(PathBuf),
    #[error("that recovery key is not right for this school")]
    WrongRecoveryKey,
    #[error("{what} {id} was not found")]
    NotFound { what: &'static str, id: String },
    #[error("{} is not a SENCO Toolkit school database ({reason})", .path.display())]
    NotASchoolDatabase { path: PathBuf, reason: String },
    /// The key file opened, but it holds the key of another database.
    #[error(
        "the key file {} belongs to a different school database, not to {} (or the very start of \
         that database is damaged): put back the key file that was saved with this database, as \
         a backup keeps the two together",
        .key_file.display(), .database.display()
    )]
    KeyFileMismatch { database: PathBuf, key_file: PathBuf },
    /// The database's pages fail their checks. Nothing was written to it.
    #[error(
        "{} is damaged ({detail}); nothing was changed. Restore the most recent backup \
         (the database and its .keys file together), and run `senco check` for details",
        damaged_subject(.path)
    )]
    Damaged { path: Option<PathBuf>, detail: String },
    #[error(
        "this school database was written by a newer version of SENCO Toolkit \
         (version {found}, this app understands up to {supported}); \
         install the newer version to open it"
    )]
    NewerDatabase { found: i64, supported: i64 },
    #[error("no school is open: unlock it first")]
    Locked,
    /// The demo school's key is published with the app, so it must never hold a real child:
    /// what could bring one in (an MIS file, a restore, a catalogue) is refused in it.
    #[error(
        "the demo school is open to anyone (its key is published with the app), so it must hold \
         invented pupils only: {0} is not possible in it. Set up your own school, protected by \
         its own passphrase, and do it there; nothing was changed"
    )]
    DemoSchool(&'static str),
    #[error("a school database already exists at {}", .0.display())]
    AlreadyExists(PathBuf),
    /// Another program held the database for longer than the busy timeout.
    #[error(
        "another program is using this school's database (the SENCO Toolkit app, or an IT \
         script such as a backup or import) and did not finish within {0} seconds; nothing \
         was changed: try again when it has finished"
    )]
    Busy(u64),
    /// The disk is full or read-only; the database is unchanged.
    #[error("{0}")]
    Storage(String),
    /// A file could not be read or written; names the file and the cause in plain words.
    #[error("could not {doing} {}: {}", .path.display(), plain_cause(.source))]
    File { path: PathBuf, doing: &'static str, source: io::Error },
    #[error("the school database could not be read or written: {0}")]
    Database(rusqlite::Error),
}

fn summarise(problems: &[FieldProblem]) -> String {
    problems.iter().map(|p| format!("{}: {}", p.field, p.message)).collect::<Vec<_>>().join("; ")
}

fn damaged_subject(path: &Option<PathBuf>) -> String {
    match path {
        Some(path) => format!("the school database {}", path.display()),
        None => "the school database".to_string(),
    }
}

/// What an operating-system error means, in words a SENCO or an IT technician can act on.
pub fn plain_cause(error: &io::Error) -> String {
    use io::ErrorKind::*;
    let words = match error.kind() {
        NotFound => "it does not exist",
        PermissionDenied => "permission was refused: check who owns the file and its folder",
        IsADirectory => "it is a folder, not a file",
        NotADirectory => "part of the path is a file, not a folder",
        StorageFull => "the disk is full: free some space and try again",
        FileTooLarge => "the file grew larger than this disk or this account allows (is the disk full?): free some space or choose another disk",
        ReadOnlyFilesystem => "the disk or folder is read-only",
        AlreadyExists => "a file with that name already exists",
        InvalidData => "it is not text, or not in the expected format",
        _ => return error.to_string(),
    };
    words.to_string()
}

impl From<rusqlite::Error> for Error {
    fn from(error: rusqlite::Error) -> Error {
        use rusqlite::ErrorCode::*;
        if let rusqlite::Error::FromSqlConversionFailure(_, _, cause) = &error {
            return Error::Damaged { path: None, detail: format!("a record holds a value this version does not know: {cause}") };
        }
        if let rusqlite::Error::SqliteFailure(failure, _) = &error {
            match failure.code {
                DatabaseBusy | DatabaseLocked => return Error::Busy(crate::store::BUSY_TIMEOUT.as_secs()),
                DiskFull => return Error::Storage("the disk is full: free some space and try again; nothing was changed".into()),
                ReadOnly => return Error::Storage("the school database's folder or disk is read-only, so nothing could be saved".into()),
                DatabaseCorrupt | NotADatabase => {
                    return Error::Damaged { path: None, detail: "a page of the file failed its check".into() }
                }
                _ => {}
            }
        }
        Error::Database(error)
    }
}

/// Stable codes for the shells. The UI switches on these, never on message text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum ErrorCode {
    Invalid,
    Refused,
    WrongPassphrase,
    PassphraseRequired,
    WrongRecoveryKey,
    NotFound,
    NotASchoolDatabase,
    WrongKeyFile,
    Damaged,
    NewerDatabase,
    Locked,
    DemoSchool,
    AlreadyExists,
    Busy,
    Storage,
}

impl Error {
    pub fn code(&self) -> ErrorCode {
        match self {
            Error::Invalid(_) => ErrorCode::Invalid,
            Error::Refused(_) => ErrorCode::Refused,
            Error::WrongPassphrase => ErrorCode::WrongPassphrase,
            Error::PassphraseRequired(_) => ErrorCode::PassphraseRequired,
            Error::WrongRecoveryKey => ErrorCode::WrongRecoveryKey,
            Error::NotFound { .. } => ErrorCode::NotFound,
            Error::NotASchoolDatabase { .. } => ErrorCode::NotASchoolDatabase,
            Error::KeyFileMismatch { .. } => ErrorCode::WrongKeyFile,
            Error::Damaged { .. } => ErrorCode::Damaged,
            Error::NewerDatabase { .. } => ErrorCode::NewerDatabase,
            Error::Locked => ErrorCode::Locked,
            Error::DemoSchool(_) => ErrorCode::DemoSchool,
            Error::AlreadyExists(_) => ErrorCode::AlreadyExists,
            Error::Busy(_) => ErrorCode::Busy,
            Error::Storage(_) | Error::File { .. } | Error::Database(_) => ErrorCode::Storage,
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

    /// Names the database in a damage report that was raised without knowing the file.
    pub(crate) fn at(self, path: &Path) -> Error {
        match self {
            Error::Damaged { path: None, detail } => Error::Damaged { path: Some(path.to_path_buf()), detail },
            other => other,
        }
    }
}

/// Builds an `Error::File` for `path`: `fs::read(p).map_err(file_error(p, "read"))`.
pub(crate) fn file_error<'a>(path: &'a Path, doing: &'static str) -> impl FnOnce(io::Error) -> Error + 'a {
    move |source| Error::File { path: path.to_path_buf(), doing, source }
}

impl fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let text = serde_json::to_value(self).ok().and_then(|v| v.as_str().map(str::to_string)).unwrap_or_default();
        f.write_str(&text)
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
