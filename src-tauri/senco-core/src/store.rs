//! The encrypted store: one SQLCipher database per school, with its key file beside it.
//!
//! Invariants:
//! - every connection is keyed first, then checked with a read, then gets `foreign_keys` and
//!   WAL; nothing else is set in migrations;
//! - the schema moves forward only, through the numbered files in `migrations/`, each in
//!   its own transaction under `PRAGMA user_version`; a newer database is refused;
//! - every user action is one transaction that also writes an audit row, so a refused or
//!   failed action changes nothing.
//!
//! SQL lives in the submodules, one per table group, next to its row mapping.

mod audit;
mod pupils;
mod register;
mod school;
mod sen;

use std::fs;
use std::path::{Path, PathBuf};

use rusqlite::{Connection, OpenFlags, Transaction};

use crate::census::SenStatus;
use crate::error::{Error, Result};
use crate::keys::{key_file_path, DataKey, KdfCost, KeyFile, RecoveryKey};
use crate::pupil::{PupilId, PupilInput, PupilRecord};
use crate::register::{self as register_rules, RegisterFilter, RegisterPage, RegisterQuery, RegisterRow, SortColumn};
use crate::school::{check_passphrase, School, SchoolSetup};
use crate::sen::{NeedInput, StatusChange};
use crate::upn::Upn;
use crate::Stamp;

pub use audit::AuditEntry;

/// The migrations, in order. Entry N takes the database to `user_version` N + 1.
const MIGRATIONS: &[&str] = &[
    include_str!("../migrations/0001_register.sql"),
    include_str!("../migrations/0002_register_covering_indexes.sql"),
];

/// The schema version this build writes.
pub const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

/// How a database is unlocked.
pub enum Unlock<'a> {
    Passphrase(&'a str),
    RecoveryKey(&'a str),
}

/// An open, unlocked school database.
pub struct Store {
    conn: Connection,
    school: School,
}

impl Store {
    /// Creates a school's encrypted database and its key file. Returns the recovery key,
    /// which is shown once and never stored in the clear.
    pub fn create(
        path: &Path,
        setup: &SchoolSetup,
        passphrase: &str,
        passphrase_again: &str,
        stamp: Stamp,
    ) -> Result<(Store, RecoveryKey)> {
        setup.validate(passphrase, passphrase_again)?;
        let school = School {
            name: setup.name.trim().to_string(),
            urn: setup.urn.clone(),
            la_code: setup.la_code.clone(),
            establishment_number: setup.establishment_number.clone(),
            phase: setup.phase,
            is_demo: false,
        };
        Store::create_with(path, &school, passphrase, KdfCost::DEFAULT, stamp)
    }

    /// Creates a database for `school` with no checks on the passphrase; the demo school
    /// uses it with the fixed demo passphrase.
    pub(crate) fn create_with(
        path: &Path,
        school: &School,
        passphrase: &str,
        cost: KdfCost,
        stamp: Stamp,
    ) -> Result<(Store, RecoveryKey)> {
        let keys_path = key_file_path(path);
        for existing in [path, keys_path.as_path()] {
            if existing.exists() {
                return Err(Error::AlreadyExists(existing.to_path_buf()));
            }
        }
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            fs::create_dir_all(parent)?;
        }
        let (key_file, data_key, recovery_key) = KeyFile::create(passphrase, cost)?;
        let created = (|| {
            let mut conn = connect(path, &data_key, OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_CREATE)?;
            migrate(&mut conn)?;
            let tx = conn.transaction()?;
            school::insert(&tx, school, stamp)?;
            audit::record(&tx, stamp, "create", "school", None, &format!("set up {}", school.name))?;
            tx.commit()?;
            key_file.write(&keys_path)?;
            Ok(Store { conn, school: school.clone() })
        })();
        if created.is_err() {
            remove_database_files(path);
        }
        created.map(|store| (store, recovery_key))
    }

    /// Opens and unlocks a school database, bringing its schema up to date.
    pub fn open(path: &Path, unlock: Unlock<'_>) -> Result<Store> {
        let keys_path = key_file_path(path);
        if !path.exists() {
            return Err(Error::NotFound { what: "school database", id: path.display().to_string() });
        }
        if !keys_path.exists() {
            return Err(Error::NotASchoolDatabase {
                path: path.to_path_buf(),
                reason: format!("there is no key file {} beside it", keys_path.display()),
            });
        }
        let key_file = KeyFile::read(&keys_path)?;
        let data_key = match unlock {
            Unlock::Passphrase(passphrase) => key_file.unlock_with_passphrase(passphrase)?,
            Unlock::RecoveryKey(recovery_key) => key_file.unlock_with_recovery_key(recovery_key)?,
        };
        Store::open_with_key(path, &data_key)
    }

    /// Unlocks with the recovery key and sets a new passphrase. The recovery key stays valid.
    pub fn reset_passphrase(path: &Path, recovery_key: &str, new_passphrase: &str, again: &str) -> Result<Store> {
        check_passphrase(new_passphrase, again).map_err(|p| Error::Invalid(vec![p]))?;
        let keys_path = key_file_path(path);
        let mut key_file = KeyFile::read(&keys_path)?;
        let data_key = key_file.unlock_with_recovery_key(recovery_key)?;
        let store = Store::open_with_key(path, &data_key)?;
        key_file.set_passphrase(&data_key, new_passphrase)?;
        key_file.write(&keys_path)?;
        Ok(store)
    }

    fn open_with_key(path: &Path, data_key: &DataKey) -> Result<Store> {
        let mut conn = connect(path, data_key, OpenFlags::SQLITE_OPEN_READ_WRITE)?;
        let found: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
        if found > SCHEMA_VERSION {
            return Err(Error::NewerDatabase { found, supported: SCHEMA_VERSION });
        }
        migrate(&mut conn)?;
        let school = school::load(&conn).map_err(|_| Error::NotASchoolDatabase {
            path: path.to_path_buf(),
            reason: "it has no school in it".to_string(),
        })?;
        Ok(Store { conn, school })
    }

    pub fn school(&self) -> &School {
        &self.school
    }

    /// The schema version of the open database.
    pub fn schema_version(&self) -> Result<i64> {
        Ok(self.conn.pragma_query_value(None, "user_version", |r| r.get(0))?)
    }

    pub fn add_pupil(&mut self, input: &PupilInput, stamp: Stamp) -> Result<PupilRecord> {
        let pupil = input.validate(stamp.today)?;
        let tx = self.conn.transaction()?;
        pupils::refuse_duplicate_upn(&tx, &pupil.upn, None)?;
        let id = pupils::insert(&tx, &pupil)?;
        sen::open_status(&tx, id, SenStatus::NoSen, pupil.admission_date, "admitted")?;
        audit::record(&tx, stamp, "add", "pupil", Some(id), &format!("added pupil {}", pupil.upn))?;
        finish(tx, id)
    }

    pub fn update_pupil(&mut self, id: PupilId, input: &PupilInput, stamp: Stamp) -> Result<PupilRecord> {
        let pupil = input.validate(stamp.today)?;
        let tx = self.conn.transaction()?;
        sen::position(&tx, id)?.refuse_if_left()?;
        if pupil.admission_date > sen::first_status_start(&tx, id)? {
            return Err(Error::invalid("admissionDate", "the pupil has SEN status history from before that admission date"));
        }
        pupils::refuse_duplicate_upn(&tx, &pupil.upn, Some(id))?;
        pupils::update(&tx, id, &pupil)?;
        audit::record(&tx, stamp, "edit", "pupil", Some(id), &format!("edited details of pupil {}", pupil.upn))?;
        finish(tx, id)
    }

    pub fn set_status(&mut self, id: PupilId, change: &StatusChange, stamp: Stamp) -> Result<PupilRecord> {
        let tx = self.conn.transaction()?;
        let plan = sen::position(&tx, id)?.plan_status_change(change, stamp.today)?;
        sen::apply_status_plan(&tx, id, &plan)?;
        let summary = format!("status {} from {}{}", plan.status.code(), plan.start_date, reason_suffix(&plan.reason));
        audit::record(&tx, stamp, "set-status", "pupil", Some(id), &summary)?;
        finish(tx, id)
    }

    pub fn add_need(&mut self, id: PupilId, need: &NeedInput, stamp: Stamp) -> Result<PupilRecord> {
        let tx = self.conn.transaction()?;
        let plan = sen::position(&tx, id)?.plan_new_need(need, stamp.today)?;
        sen::apply_need_plan(&tx, id, &plan)?;
        let summary = format!("need {} rank {} from {}", plan.code, plan.rank, plan.start_date);
        audit::record(&tx, stamp, "add-need", "pupil", Some(id), &summary)?;
        finish(tx, id)
    }

    pub fn end_need(&mut self, id: PupilId, need_id: i64, end_date: &str, stamp: Stamp) -> Result<PupilRecord> {
        let tx = self.conn.transaction()?;
        let closing = sen::position(&tx, id)?.check_end_need(need_id, end_date, stamp.today)?;
        sen::close_need(&tx, closing)?;
        audit::record(&tx, stamp, "end-need", "pupil", Some(id), &format!("need {need_id} ended {}", closing.end_date))?;
        finish(tx, id)
    }

    /// Marks a pupil as left. The record is archived, never deleted.
    pub fn leave(&mut self, id: PupilId, leaving_date: &str, stamp: Stamp) -> Result<PupilRecord> {
        let tx = self.conn.transaction()?;
        let date = sen::position(&tx, id)?.check_leaving(leaving_date, stamp.today)?;
        pupils::set_leaving_date(&tx, id, date)?;
        audit::record(&tx, stamp, "leave", "pupil", Some(id), &format!("left on {date}"))?;
        finish(tx, id)
    }

    pub fn pupil(&self, id: PupilId) -> Result<PupilRecord> {
        pupils::record(&self.conn, id)
    }

    pub fn pupil_by_upn(&self, upn: &str) -> Result<PupilRecord> {
        let parsed = Upn::parse(upn).map_err(|e| Error::invalid("upn", e.to_string()))?;
        let id = pupils::id_by_upn(&self.conn, &parsed)?
            .ok_or_else(|| Error::NotFound { what: "pupil with UPN", id: parsed.to_string() })?;
        self.pupil(id)
    }

    /// One page of the register, with counts for everything the filter selects.
    pub fn register(&self, query: &RegisterQuery) -> Result<RegisterPage> {
        let rows = register::select(&self.conn, &query.filter)?;
        Ok(register_rules::page(rows, query))
    }

    /// Every row the filter selects, sorted; for the command line's list and exports.
    pub fn register_rows(&self, filter: &RegisterFilter, sort: SortColumn, descending: bool) -> Result<Vec<RegisterRow>> {
        let mut rows = register::select(&self.conn, filter)?;
        register_rules::sort_rows(&mut rows, sort, descending);
        Ok(rows)
    }

    /// The raw scan the register is benchmarked against: the same pupils, no joins.
    pub fn raw_pupil_scan(&self) -> Result<usize> {
        register::raw_scan(&self.conn)
    }

    /// The register's SQL, joins included, stepped through raw: the second benchmark baseline.
    pub fn raw_register_scan(&self) -> Result<usize> {
        register::raw_register_scan(&self.conn)
    }

    /// The most recent audit entries, newest first.
    pub fn audit_trail(&self, limit: u32) -> Result<Vec<AuditEntry>> {
        audit::recent(&self.conn, limit)
    }

    /// Runs `fill` in one transaction: everything or nothing. For the demo generator.
    pub(crate) fn in_transaction<T>(&mut self, fill: impl FnOnce(&Transaction<'_>) -> Result<T>) -> Result<T> {
        let tx = self.conn.transaction()?;
        let value = fill(&tx)?;
        tx.commit()?;
        Ok(value)
    }
}

fn reason_suffix(reason: &str) -> String {
    if reason.is_empty() { String::new() } else { format!(": {reason}") }
}

/// Commits and returns the pupil as the screen will show them.
fn finish(tx: Transaction<'_>, id: PupilId) -> Result<PupilRecord> {
    let record = pupils::record(&tx, id)?;
    tx.commit()?;
    Ok(record)
}

/// Opens a connection and proves the key with a read before anything else happens.
fn connect(path: &Path, data_key: &DataKey, flags: OpenFlags) -> Result<Connection> {
    let not_a_database = |reason: &str| Error::NotASchoolDatabase { path: path.to_path_buf(), reason: reason.to_string() };
    let conn = Connection::open_with_flags(path, flags | OpenFlags::SQLITE_OPEN_NO_MUTEX)?;
    // SQLCipher logs failed page checks to stderr; our error says it better.
    let _ = conn.execute_batch("PRAGMA cipher_log_level = NONE;");
    conn.pragma_update(None, "key", data_key.sqlcipher_pragma_value().as_str())?;
    match conn.query_row("SELECT count(*) FROM sqlite_master", [], |r| r.get::<_, i64>(0)) {
        Ok(_) => {}
        Err(rusqlite::Error::SqliteFailure(e, _)) if e.code == rusqlite::ErrorCode::NotADatabase => {
            return Err(not_a_database("the file is damaged, or is not a database"));
        }
        Err(e) => return Err(e.into()),
    }
    conn.pragma_update(None, "foreign_keys", "ON")?;
    let mode: String = conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))?;
    debug_assert_eq!(mode, "wal");
    Ok(conn)
}

fn migrate(conn: &mut Connection) -> Result<()> {
    let current: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
    for (index, sql) in MIGRATIONS.iter().enumerate().skip(current.max(0) as usize) {
        let tx = conn.transaction()?;
        tx.execute_batch(sql)?;
        tx.pragma_update(None, "user_version", index as i64 + 1)?;
        tx.commit()?;
    }
    Ok(())
}

/// Inserts a generated pupil with their leaving date; only the demo generator uses it.
pub(crate) fn insert_demo_pupil(tx: &Transaction<'_>, pupil: &crate::pupil::ValidPupil, leaving_date: Option<chrono::NaiveDate>) -> Result<PupilId> {
    let id = pupils::insert(tx, pupil)?;
    if let Some(date) = leaving_date {
        pupils::set_leaving_date(tx, id, date)?;
    }
    Ok(id)
}

pub(crate) use sen::{insert_need_period, insert_status_period};

/// Removes a database, its WAL files and its key file after a failed creation.
pub(crate) fn remove_database_files(path: &Path) {
    let with_suffix = |suffix: &str| {
        let mut name = path.file_name().unwrap_or_default().to_os_string();
        name.push(suffix);
        path.with_file_name(name)
    };
    for file in [path.to_path_buf(), with_suffix("-wal"), with_suffix("-shm"), key_file_path(path)] {
        let _ = fs::remove_file(file);
    }
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
