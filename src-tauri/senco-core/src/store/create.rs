//! Creating a school, atomically.
//!
//! A new school (database and key file) is built in a private staging folder beside its
//! final name, `.<name>.creating-<random>`, which holds a lock file for as long as its
//! creator runs. Only when the school is complete, closed and flushed is it linked into
//! place, key file first and database second, each with a link that refuses an existing
//! name. So:
//! - a creation killed at any moment leaves no database under the final name: at most a
//!   staging folder (removed by the next creation, since its lock is free) or, in the
//!   instant between the two links, a key file with no database, which is harmless and is
//!   moved aside (never deleted) by the next creation;
//! - of two programs creating the same school, exactly one wins; the other is told the
//!   school exists, and its recovery key is never shown.

use std::fs::{self, File};
use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::{Connection, OpenFlags, Transaction};

use super::{audit, migrate, school, Store};
use crate::error::{file_error, Error, Result};
use crate::files;
use crate::keys::{key_file_path, KdfCost, KeyFile, RecoveryKey};
use crate::school::{School, SchoolSetup};
use crate::Stamp;

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
        let school = setup.validate(passphrase, passphrase_again)?.into_school();
        create(path, &school, passphrase, KdfCost::DEFAULT, stamp, |_| Ok(()))
    }
}

/// Builds a school at `path`: `fill` adds whatever it starts with (the demo's pupils) in
/// the same transaction as the school itself.
pub(crate) fn create(
    path: &Path,
    school: &School,
    passphrase: &str,
    cost: KdfCost,
    stamp: Stamp,
    fill: impl FnOnce(&Transaction<'_>) -> Result<()>,
) -> Result<(Store, RecoveryKey)> {
    let name = path.file_name().ok_or_else(|| Error::invalid("db", "give a file name for the school database"))?;
    let name = name.to_string_lossy().into_owned();
    // A restore stopped part-way is finished first: its school is never taken for none.
    super::backup::finish_interrupted_restore(path)?;
    let parent = match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent.to_path_buf(),
        _ => PathBuf::from("."),
    };
    if !parent.exists() {
        files::create_private_dir(&parent)?;
    }
    let keys_path = key_file_path(path);
    let staging = Staging::new(&parent, &name, "creating")?;
    refuse_existing(path, &keys_path, &staging)?;

    let (mut key_file, data_key, recovery_key) = KeyFile::create(passphrase, cost)?;
    let staged_db = staging.dir.join(&name);
    let staged_keys = key_file_path(&staged_db);
    files::create_private_file(&staged_db)?;
    {
        let mut conn = Connection::open_with_flags(&staged_db, OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX)?;
        conn.pragma_update(None, "key", data_key.sqlcipher_pragma_value().as_str())?;
        super::tune(&conn)?;
        // Nobody else can see this file, and a crash discards it whole, so it needs no
        // journal while it is filled; WAL is switched on before it is put in place.
        conn.execute_batch("PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; PRAGMA foreign_keys = ON;")?;
        migrate(&mut conn)?;
        let tx = conn.transaction()?;
        school::insert(&tx, school, stamp)?;
        audit::record(&tx, stamp, "create", "school", None, &format!("set up {}", school.name))?;
        fill(&tx)?;
        tx.commit()?;
        // Checked before it is put in place, so a school that would not open is never linked.
        super::check::quick(&conn).map_err(|e| e.at(&staged_db))?;
        let mode: String = conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))?;
        debug_assert_eq!(mode, "wal");
        conn.close().map_err(|(_, e)| Error::from(e))?;
    }
    File::open(&staged_db).and_then(|f| f.sync_all()).map_err(file_error(&staged_db, "write"))?;
    key_file.bind_to(&staged_db)?;
    key_file.set_school_name(&school.name);
    key_file.write(&staged_keys)?;

    refuse_existing(path, &keys_path, &staging)?;
    files::link_new(&staged_keys, &keys_path).map_err(|e| match e.kind() {
        std::io::ErrorKind::AlreadyExists => Error::AlreadyExists(path.to_path_buf()),
        _ => file_error(&keys_path, "create")(e),
    })?;
    if let Err(e) = files::link_new(&staged_db, path) {
        let _ = fs::remove_file(&keys_path);
        return Err(match e.kind() {
            std::io::ErrorKind::AlreadyExists => Error::AlreadyExists(path.to_path_buf()),
            _ => file_error(path, "create")(e),
        });
    }
    files::sync_folder(path);
    drop(staging);
    let store = Store::open_with_key(path, &data_key, true)?;
    Ok((store, recovery_key))
}

/// Refuses to build over a school, and moves aside a key file left without its database.
fn refuse_existing(path: &Path, keys_path: &Path, staging: &Staging) -> Result<()> {
    // An empty file under the name is a placeholder left by a creation stopped part-way on a
    // disk without hard links (see `files::link_new`): it never held a school.
    if fs::metadata(path).is_ok_and(|m| m.is_file() && m.len() == 0) && !staging.another_creator_is_running() {
        let _ = fs::remove_file(path);
    }
    if path.exists() {
        return Err(Error::AlreadyExists(path.to_path_buf()));
    }
    if keys_path.exists() {
        if staging.another_creator_is_running() {
            return Err(Error::Refused(format!(
                "another program is creating a school at {} right now; wait for it to finish",
                path.display()
            )));
        }
        if path.exists() {
            return Err(Error::AlreadyExists(path.to_path_buf()));
        }
        // A key file with no database: a creation stopped between its two links, or a
        // database moved away by hand. It is useless alone, but it is kept, renamed.
        let aside = files::with_suffix(keys_path, &format!(".without-database-{}", files::random_hex(4)));
        match fs::rename(keys_path, &aside) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(file_error(keys_path, "move aside")(e)),
        }
    }
    Ok(())
}

/// The private folder a school is built in, locked while its creator runs, removed when
/// dropped.
pub(super) struct Staging {
    pub(super) dir: PathBuf,
    parent: PathBuf,
    prefix: String,
    lock: Option<File>,
}

/// A staging folder with no lock file yet is left alone for this long, in case its
/// creator is between making the folder and locking it.
const UNLOCKED_GRACE: Duration = Duration::from_secs(60);

impl Staging {
    /// A new staging folder `.<name>.<kind>-<random>` in `parent` (`kind` is `creating`
    /// for a new school, `restoring` for a restore).
    pub(super) fn new(parent: &Path, name: &str, kind: &str) -> Result<Staging> {
        // Another program clearing abandoned folders may take a new, still empty one for a
        // killed creator's in the moment before its lock file exists: then it is made again.
        let mut tries = 0;
        loop {
            tries += 1;
            match Staging::try_new(parent, name, kind) {
                Err(Error::File { source, .. }) if source.kind() == std::io::ErrorKind::NotFound && tries < 4 => continue,
                other => return other,
            }
        }
    }

    fn try_new(parent: &Path, name: &str, kind: &str) -> Result<Staging> {
        let prefix = format!(".{name}.{kind}-");
        let dir = parent.join(format!("{prefix}{}", files::random_hex(8)));
        let mut builder = fs::DirBuilder::new();
        #[cfg(unix)]
        std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
        builder.create(&dir).map_err(file_error(&dir, "create the folder"))?;
        let mut staging = Staging { dir, parent: parent.to_path_buf(), prefix, lock: None };
        // The lock file is locked before it takes its name: another creator that found
        // `lock` unlocked between its creation and its locking would take this folder for
        // an abandoned one and remove it. Until it is named, the folder's age vouches for it.
        let pending = staging.dir.join("lock.pending");
        let lock = files::create_private_file(&pending)?;
        lock.try_lock().map_err(|e| Error::Storage(format!("could not lock {}: {e}", staging.dir.display())))?;
        fs::rename(&pending, staging.dir.join("lock")).map_err(file_error(&pending, "rename"))?;
        staging.lock = Some(lock);
        staging.remove_abandoned();
        Ok(staging)
    }

    /// Other staging folders of the same school, with whether their creator still runs.
    fn others(&self) -> Vec<(PathBuf, bool)> {
        let Ok(entries) = fs::read_dir(&self.parent) else { return Vec::new() };
        // The file system's idea of now: when this folder was made, a moment ago.
        let now = fs::metadata(&self.dir).and_then(|m| m.modified()).ok();
        entries
            .flatten()
            .filter(|e| e.file_name().to_string_lossy().starts_with(&self.prefix) && e.path() != self.dir)
            .map(|e| {
                let dir = e.path();
                let empty = fs::read_dir(&dir).map(|mut d| d.next().is_none()).unwrap_or(false);
                let lock = File::open(dir.join("lock")).or_else(|_| File::open(dir.join("lock.pending")));
                let running = match lock {
                    Ok(lock) => matches!(lock.try_lock(), Err(fs::TryLockError::WouldBlock)),
                    // Killed between making the folder and its lock file: nothing is in it.
                    Err(_) if empty => false,
                    Err(_) => match (now, fs::metadata(&dir).and_then(|m| m.modified())) {
                        (Some(now), Ok(made)) => now.duration_since(made).unwrap_or_default() < UNLOCKED_GRACE,
                        _ => false,
                    },
                };
                (dir, running)
            })
            .collect()
    }

    /// Leaves the folder in place when dropped (a restore that must be finished later), and
    /// returns its lock, which the caller holds while it still uses the folder.
    pub(super) fn keep(mut self) -> Option<File> {
        self.dir = PathBuf::new();
        self.lock.take()
    }

    fn another_creator_is_running(&self) -> bool {
        self.others().iter().any(|(_, running)| *running)
    }

    /// Removes staging folders whose creator was stopped part-way.
    fn remove_abandoned(&self) {
        for (dir, running) in self.others() {
            if !running {
                let _ = fs::remove_dir_all(dir);
            }
        }
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        drop(self.lock.take());
        if !self.dir.as_os_str().is_empty() {
            files::remove_staging(&self.dir);
        }
    }
}
