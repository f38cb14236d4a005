//! The encrypted store: one SQLCipher database per school, with its key file beside it.
//!
//! Invariants:
//! - a school appears on disk whole or not at all: it is built in a private folder beside
//!   its final name and linked into place only when complete (`create`);
//! - opening never writes to a file it then refuses: the file is keyed and checked on a
//!   read-only connection first (the key proved by a read, the schema version, a quick
//!   integrity check), and only then opened for writing and migrated (`open_with_key`);
//! - every connection has a busy timeout, `foreign_keys` and WAL, and starts its write
//!   transactions `IMMEDIATE`, so two programs writing one school queue instead of failing;
//! - the schema moves forward only, through the numbered files in `migrations/`, each in its
//!   own transaction under `PRAGMA user_version`; a newer database is refused;
//! - every user action is one transaction that also writes an audit row, so a refused or
//!   failed action changes nothing; `begin` is the only way to start one.
//!
//! SQL lives in the submodules, one per table group, next to its row mapping, and each adds
//! the `Store` methods of its area.

/// Stores a code type as its `code()` and reads it back through its `ALL` list, so a code
/// this build does not know is an error that names it, never a silent default.
macro_rules! code_column {
    ($type:ty, $what:literal) => {
        impl rusqlite::ToSql for $type {
            fn to_sql(&self) -> rusqlite::Result<rusqlite::types::ToSqlOutput<'_>> {
                Ok(rusqlite::types::ToSqlOutput::from(self.code()))
            }
        }

        impl rusqlite::types::FromSql for $type {
            fn column_result(value: rusqlite::types::ValueRef<'_>) -> rusqlite::types::FromSqlResult<Self> {
                let text = value.as_str()?;
                <$type>::ALL.into_iter().find(|c| c.code() == text).ok_or_else(|| {
                    rusqlite::types::FromSqlError::Other(format!("the stored {} {text:?} is not one this app knows", $what).into())
                })
            }
        }
    };
}

mod audit;
mod backup;
mod check;
mod create;
mod cycles;
mod evidence;
mod governors;
mod import;
mod library;
mod people;
mod provision;
mod records;
mod retention;
mod pupils;
mod register;
mod requests;
mod school;
mod sen;
mod deliver;
mod worklist;
#[cfg(feature = "bench-probes")]
mod probes;

use std::fs;
use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::{Connection, OpenFlags, Transaction, TransactionBehavior};

use crate::error::{file_error, Error, Result};
use crate::files;
use crate::keys::{key_file_path, DataKey, KeyFile, DEMO_PASSPHRASE};
use crate::school::School;
use crate::Stamp;

pub use audit::{set_process_actor, AuditEntry, AuditQuery};
pub use backup::{plan_restore, restore, verify_backup, BackupCheck, BackupSettings, BackupStatus, BackupTaken, RestoreOutcome, RestorePlan};
pub use check::{CheckReport, Finding};
pub use deliver::{Copied, ExportAudit, Place};
pub use cycles::{Amendment, CycleRecord, CycleStage, InterventionProgress, Roster, RosterPupil};
pub use library::SCHOOL_ITEMS;
pub use people::{AttachmentInfo, InvolvementRecord, MeetingsRecord};
pub use provision::{provision_csv, GroupTotal, ProvisionMap, ProvisionRow, PupilTotal};
pub use evidence::PackWritten;
pub use import::{ImportOutcome, Progress, ReconciliationItem};
pub use school::{LockSetting, LOCK_MINUTES_DEFAULT};
pub use retention::{retain_until, ErasureCount, PurgeCandidate, PurgeList, RetentionSetting};
pub use records::{AnnualReview, ConsentRecord, ReviewEvent, ReviewStep, TrainingRecord};
pub use requests::RequestRecord;
pub(crate) use requests::write_dates as request_json;
pub use worklist::{WorkItem, WorkKind, DUE_SOON_DAYS};
pub(crate) use create::create;
pub(crate) use cycles::demo_record;
pub(crate) use pupils::insert_demo_pupil;
pub(crate) use sen::{insert_need_period, insert_status_period};

/// Runs SQL through the connection's statement cache: the same few statements run many
/// thousand times when a demo school or an import is written.
pub(crate) trait Cached {
    fn exec<P: rusqlite::Params>(&self, sql: &str, params: P) -> rusqlite::Result<usize>;
    fn row<T, P: rusqlite::Params, F: FnOnce(&rusqlite::Row<'_>) -> rusqlite::Result<T>>(&self, sql: &str, params: P, f: F) -> rusqlite::Result<T>;
}

impl Cached for Connection {
    fn exec<P: rusqlite::Params>(&self, sql: &str, params: P) -> rusqlite::Result<usize> {
        self.prepare_cached(sql)?.execute(params)
    }

    fn row<T, P: rusqlite::Params, F: FnOnce(&rusqlite::Row<'_>) -> rusqlite::Result<T>>(&self, sql: &str, params: P, f: F) -> rusqlite::Result<T> {
        self.prepare_cached(sql)?.query_row(params, f)
    }
}

/// The migrations, in order. Entry N takes the database to `user_version` N + 1.
const MIGRATIONS: &[&str] = &[
    include_str!("../migrations/0001_register.sql"),
    include_str!("../migrations/0002_register_covering_indexes.sql"),
    include_str!("../migrations/0003_register_current_columns.sql"),
    include_str!("../migrations/0004_enrolments_and_leavers.sql"),
    include_str!("../migrations/0005_graduated_approach.sql"),
    include_str!("../migrations/0006_ehc_requests.sql"),
    include_str!("../migrations/0007_consent_training_reviews.sql"),
    include_str!("../migrations/0008_mis_import.sql"),
    include_str!("../migrations/0009_audit_retention.sql"),
    include_str!("../migrations/0010_publications.sql"),
    include_str!("../migrations/0011_exception_limbs.sql"),
    include_str!("../migrations/0012_review_follow_up.sql"),
];

/// The migration after which the provision library is seeded from `assets/library`.
const LIBRARY_MIGRATION: usize = 5;

/// The schema version this build writes.
pub const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

/// How long a writer waits for another program to finish before giving up.
pub const BUSY_TIMEOUT: Duration = Duration::from_secs(10);

/// How a database is unlocked.
pub enum Unlock<'a> {
    Passphrase(&'a str),
    RecoveryKey(&'a str),
    /// The fixed key of synthetic demo schools; a real school answers `PassphraseRequired`.
    Demo,
}

/// An open, unlocked school database.
pub struct Store {
    conn: Connection,
    path: PathBuf,
    school: School,
    /// The data key, kept for taking backups (a backup's connection is keyed with it).
    key: DataKey,
    /// A shared lock on `<database>.lock` for as long as the school is open, so a restore
    /// (which needs it alone) can tell that another program has the school open.
    _in_use: fs::File,
}

impl Store {
    /// Opens and unlocks a school database, bringing its schema up to date.
    pub fn open(path: &Path, unlock: Unlock<'_>) -> Result<Store> {
        backup::finish_interrupted_restore(path)?;
        refuse_unusable_database_file(path)?;
        let keys_path = key_file_path(path);
        if !keys_path.exists() {
            return Err(Error::NotASchoolDatabase {
                path: path.to_path_buf(),
                reason: format!("there is no key file {} beside it", keys_path.display()),
            });
        }
        let key_file = KeyFile::read(&keys_path)?;
        key_file.check_belongs_to(path, &keys_path)?;
        let demo = matches!(unlock, Unlock::Demo);
        let data_key = unlock_key(&key_file, unlock, path)?;
        let store = Store::open_with_key(path, &data_key, key_file.knows_its_database())?;
        if demo && !store.school.is_demo {
            // Only a demo school opens without its passphrase.
            return Err(Error::PassphraseRequired(path.to_path_buf()));
        }
        Ok(store)
    }

    /// Checks a database read-only, then opens it for writing. `key_file_is_bound` says the
    /// key file was proved to belong to this database, so a failed first read is damage.
    fn open_with_key(path: &Path, data_key: &DataKey, key_file_is_bound: bool) -> Result<Store> {
        {
            let reader = connect(path, data_key, OpenFlags::SQLITE_OPEN_READ_ONLY, key_file_is_bound)?;
            let found = user_version(&reader)?;
            if found == 0 {
                return Err(Error::NotASchoolDatabase { path: path.to_path_buf(), reason: "it holds no school".into() });
            }
            if found > SCHEMA_VERSION {
                return Err(Error::NewerDatabase { found, supported: SCHEMA_VERSION });
            }
            check::quick(&reader).map_err(|e| e.at(path))?;
            let has_school: i64 = reader.query_row("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'school'", [], |r| r.get(0))?;
            if has_school == 0 {
                return Err(Error::NotASchoolDatabase { path: path.to_path_buf(), reason: "it has no school in it".into() });
            }
        }
        // Owner-only before anything is written, so a file that cannot be made private is
        // refused unchanged.
        for file in [path.to_path_buf(), key_file_path(path), files::with_suffix(path, "-wal"), files::with_suffix(path, "-shm")] {
            if file.exists() {
                files::make_private(&file, false)?;
            }
        }
        let mut conn = connect(path, data_key, OpenFlags::SQLITE_OPEN_READ_WRITE, key_file_is_bound)?;
        if conn.is_readonly(rusqlite::MAIN_DB)? {
            return Err(Error::Storage(format!(
                "{} can be read but not written (the file or its folder is read-only), so nothing could be saved: \
                 ask IT to give this account write access, or copy the school somewhere writable",
                path.display()
            )));
        }
        let mode: String = conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))?;
        debug_assert_eq!(mode, "wal");
        migrate(&mut conn).map_err(|e| e.at(path))?;
        let school = school::load(&conn).map_err(|_| Error::NotASchoolDatabase {
            path: path.to_path_buf(),
            reason: "it has no school in it".to_string(),
        })?;
        let in_use = hold_in_use(path)?;
        Ok(Store { conn, path: path.to_path_buf(), school, key: data_key.clone(), _in_use: in_use })
    }

    pub fn school(&self) -> &School {
        &self.school
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Refuses, in the demo school, `what` could bring a real child's data into it: its key
    /// is published with the app, so it must hold invented pupils only.
    pub fn refuse_in_demo(&self, what: &'static str) -> Result<()> {
        if self.school.is_demo { Err(Error::DemoSchool(what)) } else { Ok(()) }
    }

    /// The schema version of the open database.
    pub fn schema_version(&self) -> Result<i64> {
        user_version(&self.conn)
    }

    /// Starts the one transaction of a user action. It waits for other writers (up to
    /// `BUSY_TIMEOUT`), and refuses a date after the real one on a real school: `--today`
    /// may move the date back for scripts, never forward past the clock.
    pub(crate) fn begin(&mut self, stamp: Stamp) -> Result<Transaction<'_>> {
        if !self.school.is_demo && stamp.today > stamp.at.date() {
            return Err(Error::Refused(format!(
                "the date given ({}) is after today's date ({}); on a real school the date can be moved back for a script, not forward",
                stamp.today,
                stamp.at.date()
            )));
        }
        Ok(self.conn.transaction_with_behavior(TransactionBehavior::Immediate)?)
    }
}

/// The school's write lock, held until dropped (then released, having changed nothing).
pub struct WriteLock<'a>(#[allow(dead_code)] Transaction<'a>);

impl Store {
    /// Takes the school's write lock, as another program in the middle of a long change
    /// holds it, until the guard is dropped: for tests of what waits on it (and gives up
    /// after `BUSY_TIMEOUT`).
    pub fn hold_write_lock(&mut self, stamp: Stamp) -> Result<WriteLock<'_>> {
        Ok(WriteLock(self.begin(stamp)?))
    }
}

/// The file every program with the school open holds a shared lock on.
pub(crate) fn in_use_path(database: &Path) -> PathBuf {
    files::with_suffix(database, ".lock")
}

/// Takes a shared lock on the school's in-use file, waiting while a restore holds it alone.
fn hold_in_use(database: &Path) -> Result<fs::File> {
    let path = in_use_path(database);
    let file = match files::create_private_file(&path) {
        Ok(file) => file,
        Err(_) => fs::OpenOptions::new().read(true).write(true).open(&path).map_err(file_error(&path, "open"))?,
    };
    file.lock_shared().map_err(file_error(&path, "lock"))?;
    Ok(file)
}

/// Unwraps the data key with whichever secret was given.
fn unlock_key(key_file: &KeyFile, unlock: Unlock<'_>, path: &Path) -> Result<DataKey> {
    match unlock {
        Unlock::Passphrase(passphrase) => key_file.unlock_with_passphrase(passphrase),
        Unlock::RecoveryKey(recovery_key) => key_file.unlock_with_recovery_key(recovery_key),
        Unlock::Demo => key_file
            .unlock_with_passphrase(DEMO_PASSPHRASE)
            .map_err(|_| Error::PassphraseRequired(path.to_path_buf())),
    }
}

/// The name of the school at `path`, as its key file records it, without unlocking it:
/// for the unlock screen. None if there is no readable key file or it records no name.
pub fn school_name_before_unlock(path: &Path) -> Option<String> {
    let _ = backup::finish_interrupted_restore(path);
    KeyFile::read(&key_file_path(path)).ok()?.school_name().map(str::to_string)
}

/// Finishes a restore of the school at `path` that was stopped part-way, if there is one.
/// Everything that looks at a school's files calls this first (opening, creating, the
/// recovery key, the app's first screen), so none of them sees a half-switched school.
pub fn finish_interrupted_restore(path: &Path) -> Result<()> {
    backup::finish_interrupted_restore(path)
}

/// Runs every integrity check on a school without changing it (`senco check`).
pub fn check(path: &Path, unlock: Unlock<'_>) -> Result<CheckReport> {
    backup::finish_interrupted_restore(path)?;
    check::full(path, unlock)
}

/// A database file that cannot be a school is refused before anything opens it: a missing
/// file, a folder, or an empty file (which SQLite would otherwise turn into a new database).
fn refuse_unusable_database_file(path: &Path) -> Result<()> {
    let metadata = match fs::metadata(path) {
        Ok(metadata) => metadata,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(Error::NotFound { what: "school database", id: path.display().to_string() })
        }
        Err(e) => return Err(file_error(path, "open")(e)),
    };
    let refuse = |reason: &str| Err(Error::NotASchoolDatabase { path: path.to_path_buf(), reason: reason.to_string() });
    if metadata.is_dir() {
        return refuse("it is a folder");
    }
    if metadata.len() == 0 {
        return refuse("the file is empty");
    }
    // A school's database is whole 4 KiB pages; anything else was never one, or was cut short.
    if metadata.len() % 4096 != 0 {
        return refuse(&format!("its size, {} bytes, is not that of a school database: it was never one, or it has been cut short", metadata.len()));
    }
    Ok(())
}

/// Opens a connection and proves the key with a read before anything else happens.
fn connect(path: &Path, data_key: &DataKey, flags: OpenFlags, key_file_is_bound: bool) -> Result<Connection> {
    let mut conn = Connection::open_with_flags(path, flags | OpenFlags::SQLITE_OPEN_NO_MUTEX)
        .map_err(|e| match e {
            rusqlite::Error::SqliteFailure(f, _) if f.code == rusqlite::ErrorCode::CannotOpen => Error::File {
                path: path.to_path_buf(),
                doing: "open",
                source: std::io::Error::from(std::io::ErrorKind::PermissionDenied),
            },
            other => Error::from(other),
        })?;
    conn.busy_timeout(BUSY_TIMEOUT)?;
    conn.set_transaction_behavior(TransactionBehavior::Immediate);
    // SQLCipher logs failed page checks to stderr; our error says it better.
    let _ = conn.execute_batch("PRAGMA cipher_log_level = NONE;");
    conn.pragma_update(None, "key", data_key.sqlcipher_pragma_value().as_str())?;
    match conn.query_row("SELECT count(*) FROM sqlite_master", [], |r| r.get::<_, i64>(0)) {
        Ok(_) => {}
        Err(rusqlite::Error::SqliteFailure(e, _)) if matches!(e.code, rusqlite::ErrorCode::NotADatabase | rusqlite::ErrorCode::DatabaseCorrupt) => {
            return Err(if key_file_is_bound {
                Error::Damaged { path: Some(path.to_path_buf()), detail: "its first page fails its check".into() }
            } else {
                Error::NotASchoolDatabase {
                    path: path.to_path_buf(),
                    reason: "it is damaged, is not a database, or its key file belongs to another database".into(),
                }
            });
        }
        Err(e) => return Err(e.into()),
    }
    conn.pragma_update(None, "foreign_keys", "ON")?;
    // Deleted records are overwritten with zeros, not left in free pages (erasure).
    conn.pragma_update(None, "secure_delete", "ON")?;
    // After the key is proved: a PRAGMA before it would make SQLCipher read the file unkeyed.
    tune(&conn)?;
    Ok(conn)
}

/// Settings for every connection that writes many rows through cached statements.
pub(crate) fn tune(conn: &Connection) -> Result<()> {
    conn.set_prepared_statement_cache_capacity(128);
    // Keep each cached statement's plan: without this, SQLite compiles a statement again
    // whenever its parameters change (its STAT4 and partial-index checks), which made
    // writing a large demo school spend a third of its time re-parsing SQL.
    conn.set_db_config(rusqlite::config::DbConfig::SQLITE_DBCONFIG_ENABLE_QPSG, true)?;
    // 32 MiB of decrypted pages (the default is 2 MiB): a large school's worklist and
    // provision map revisit index pages that SQLCipher would otherwise decrypt again.
    conn.execute_batch("PRAGMA cache_size = -32768;")?;
    audit::set_actor(conn, audit::process_actor())?;
    register::add_collations(conn)
}

fn user_version(conn: &Connection) -> Result<i64> {
    Ok(conn.pragma_query_value(None, "user_version", |r| r.get(0))?)
}

/// Applies the missing migrations, each in its own transaction. The version is read again
/// inside each transaction, so two programs opening an old school at once migrate it once.
fn migrate(conn: &mut Connection) -> Result<()> {
    if user_version(conn)? >= SCHEMA_VERSION {
        return Ok(());
    }
    loop {
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let current = user_version(&tx)?.max(0) as usize;
        let Some(sql) = MIGRATIONS.get(current) else { return Ok(()) };
        tx.execute_batch(sql)?;
        if current + 1 == LIBRARY_MIGRATION {
            library::seed(&tx)?;
        }
        tx.pragma_update(None, "user_version", current as i64 + 1)?;
        tx.commit()?;
    }
}

/// The desktop app's identifier in tauri.conf.json; its data folder is named after it.
pub const APP_IDENTIFIER: &str = "uk.senco-toolkit.app";

/// The environment variable that points both shells at another data folder.
pub const DATA_DIR_VARIABLE: &str = "SENCO_DATA_DIR";

/// The data folder named by `SENCO_DATA_DIR`, if it is set. The shell passes in its
/// environment; the core never reads it.
pub fn data_dir_override(env: impl Fn(&str) -> Option<std::ffi::OsString>) -> Option<PathBuf> {
    env(DATA_DIR_VARIABLE).filter(|d| !d.is_empty()).map(PathBuf::from)
}

/// The data folder both shells use: `SENCO_DATA_DIR`, else the app's folder in the XDG data
/// home (`~/.local/share/uk.senco-toolkit.app`), where the desktop app keeps it on Linux.
pub fn data_dir(env: impl Fn(&str) -> Option<std::ffi::OsString>) -> PathBuf {
    if let Some(dir) = data_dir_override(&env) {
        return dir;
    }
    let base = env("XDG_DATA_HOME")
        .filter(|d| !d.is_empty())
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env("HOME").unwrap_or_default()).join(".local/share"));
    base.join(APP_IDENTIFIER)
}

/// The default file name of a school's database inside the app data directory.
pub fn default_database_path(data_dir: &Path) -> PathBuf {
    data_dir.join("school.senco")
}

/// The demo school's database inside the app data directory.
pub fn demo_database_path(data_dir: &Path) -> PathBuf {
    data_dir.join("demo.senco")
}

#[cfg(test)]
mod tests;
#[cfg(test)]
mod cycle_tests;
#[cfg(test)]
mod backup_tests;
#[cfg(test)]
mod retention_tests;
