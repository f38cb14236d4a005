//! Copies that leave the encrypted store: every export (a pack, a family summary, a
//! subject-access folder, a list a script asked for) arrives under its final name only
//! together with its audit entry.
//!
//! The order makes the pair hold through a kill at any moment, a full disk or another
//! program holding the school:
//! 1. the output is written whole into a locked staging folder `.senco-export-<token>` in
//!    the folder it goes to (owner-only, as every file the core writes);
//! 2. the audit entry, naming the token, is committed;
//! 3. the output is renamed out of the staging folder to its final name, and the staging
//!    folder removed.
//!
//! A failure before 2 (another program holding the school past the busy timeout, a full
//! disk) removes the staging folder: no file, no entry. A kill before 2 leaves an unlocked
//! staging folder with no entry; a kill between 2 and 3 leaves one whose token is in the
//! audit trail. The next export into that folder, and the app when it opens a school,
//! finish both (`recover_exports`): the first is removed, the second is put in place, so
//! what is under final names always matches the audit trail. Staging folders another
//! program still holds (their lock is taken) are left alone, and nothing but this pattern
//! is ever touched.

use std::fs::{self, File};
use std::io::Write;
use std::path::{Path, PathBuf};

use rusqlite::OptionalExtension;
use serde::{Deserialize, Serialize};

use crate::error::{file_error, Error, Result};
use crate::files;
use crate::pupil::PupilId;
use crate::Stamp;

use super::Store;

/// Staging folders of exports start with this; the rest of the name is the token.
const PREFIX: &str = ".senco-export-";
/// The entry inside a staging folder that becomes the output.
const OUTPUT: &str = "output";
/// Where it goes, written before the audit entry so a roll-forward knows.
const PLACE: &str = "place.json";

/// Where an output goes.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(tag = "mode", rename_all = "snake_case")]
pub enum Place {
    /// A new name in the folder: `stem.ext` (or the folder `stem` when `ext` is empty), or
    /// `stem-2.ext`, `stem-3.ext`… when that name is taken: an export never replaces an
    /// earlier one, whose SHA-256 may already have been sent on. A file with the same bytes
    /// under the first name counts as this one.
    New { stem: String, ext: String },
    /// Exactly this file name in the folder, replacing what is there (`--out FILE`).
    Exact { name: String },
}

impl Place {
    pub fn new(stem: &str, ext: &str) -> Place {
        Place::New { stem: stem.to_string(), ext: ext.to_string() }
    }

    /// The folder and place of `--out FILE`.
    pub fn exact(path: &Path) -> Result<(PathBuf, Place)> {
        let name = path
            .file_name()
            .ok_or_else(|| Error::invalid("out", format!("{} does not name a file", path.display())))?
            .to_string_lossy()
            .into_owned();
        let folder = match path.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        Ok((folder, Place::Exact { name }))
    }
}

/// The audit entry of an export: what left, about whom, in a sentence.
#[derive(Debug, Clone)]
pub struct ExportAudit {
    pub action: &'static str,
    pub record: &'static str,
    pub pupil: Option<PupilId>,
    pub summary: String,
}

impl ExportAudit {
    pub fn about(action: &'static str, pupil: Option<PupilId>, summary: impl Into<String>) -> ExportAudit {
        ExportAudit { action, record: "pupil", pupil, summary: summary.into() }
    }
}

/// Pupil data copied out as a list or a record, for its audit entry.
#[derive(Debug, Clone, Copy)]
pub struct Copied<'a> {
    /// What it is: "the register", "a pupil's record".
    pub what: &'a str,
    /// How many pupils it names.
    pub pupils: usize,
    /// The one pupil it is about, if it is one pupil's record: the entry is filed under them.
    pub pupil: Option<PupilId>,
}

impl Copied<'_> {
    fn counted(&self) -> String {
        let pupils = if self.pupils == 1 { "1 pupil".to_string() } else { format!("{} pupils", self.pupils) };
        format!("{} ({pupils})", self.what)
    }
}

/// A staging folder, locked while its writer runs; removed when dropped.
struct Staging {
    dir: PathBuf,
    token: String,
    lock: Option<File>,
}

impl Staging {
    fn new(folder: &Path) -> Result<Staging> {
        let token = files::random_hex(8);
        let dir = folder.join(format!("{PREFIX}{token}"));
        let mut builder = fs::DirBuilder::new();
        #[cfg(unix)]
        std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
        builder.create(&dir).map_err(file_error(&dir, "create the folder"))?;
        // Locked before it takes its name, so no other program ever sees it unlocked.
        let pending = dir.join("lock.pending");
        let made = (|| {
            let lock = files::create_private_file(&pending)?;
            lock.try_lock().map_err(|e| Error::Storage(format!("could not lock {}: {e}", dir.display())))?;
            fs::rename(&pending, dir.join("lock")).map_err(file_error(&pending, "rename"))?;
            Ok(lock)
        })();
        match made {
            Ok(lock) => Ok(Staging { dir, token, lock: Some(lock) }),
            Err(e) => {
                let _ = fs::remove_dir_all(&dir);
                Err(e)
            }
        }
    }
}

impl Staging {
    /// Leaves the folder unlocked and in place, as a killed writer does.
    #[cfg(test)]
    fn abandon(mut self) {
        drop(self.lock.take());
        self.dir = PathBuf::new();
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

/// The words the audit entry carries, so a roll-forward can find it.
fn token_note(token: &str) -> String {
    format!("[export {token}]")
}

impl Store {
    /// Writes an output into `folder` at `place` with its audit entry, as the module says:
    /// `write` makes the output at the path it is given (a file, or a folder for `Place::New`
    /// with an empty extension). Returns the final path and whether this call created it.
    pub fn deliver(
        &mut self,
        folder: &Path,
        place: &Place,
        audit: ExportAudit,
        stamp: Stamp,
        write: impl FnOnce(&Path) -> Result<()>,
    ) -> Result<(PathBuf, bool)> {
        let staging = self.stage(folder, place, write)?;
        self.audit_export(&staging, audit, stamp)?;
        // From here the audit entry stands: if this process stops, the next export into the
        // folder puts the output in place.
        put_in_place(folder, &staging.dir.join(OUTPUT), place)
    }

    /// Step 1 alone, for the tests that stop an export before or after its entry.
    fn stage(&self, folder: &Path, place: &Place, write: impl FnOnce(&Path) -> Result<()>) -> Result<Staging> {
        if !folder.is_dir() {
            return Err(Error::Refused(format!("{} is not a folder that exists: choose where to put the export", folder.display())));
        }
        self.recover_exports(folder);
        let staging = Staging::new(folder)?;
        let output = staging.dir.join(OUTPUT);
        write(&output)?;
        let place_path = staging.dir.join(PLACE);
        let mut place_file = files::create_private_file(&place_path)?;
        place_file.write_all(&serde_json::to_vec(place).expect("a place serialises")).map_err(file_error(&place_path, "write"))?;
        place_file.sync_all().map_err(file_error(&place_path, "write"))?;
        sync_tree(&output);
        Ok(staging)
    }

    fn audit_export(&mut self, staging: &Staging, audit: ExportAudit, stamp: Stamp) -> Result<()> {
        let tx = self.begin(stamp)?;
        let summary = format!("{} {}", audit.summary, token_note(&staging.token));
        super::audit::record(&tx, stamp, audit.action, audit.record, audit.pupil, &summary)?;
        tx.commit()?;
        Ok(())
    }

    /// Writes a list or a record of pupil data (CSV, JSON, text) to a file at `place` in
    /// `folder`, with its audit entry (see `deliver`).
    pub fn write_copy(&mut self, folder: &Path, place: &Place, copied: &Copied<'_>, bytes: &[u8], stamp: Stamp) -> Result<(PathBuf, bool)> {
        let audit = ExportAudit::about("export-list", copied.pupil, format!("{} written to a file", copied.counted()));
        self.deliver(folder, place, audit, stamp, |path| files::write_atomically(path, bytes))
    }

    /// Records a copy printed rather than written to a file (the command line's standard
    /// output): the entry is committed before the caller prints anything.
    /// Reading commands may look at another day (`--today`), so the entry is not refused for
    /// it: like every entry, it is stamped with the real time.
    pub fn record_printed(&mut self, copied: &Copied<'_>, stamp: Stamp) -> Result<()> {
        let tx = self.conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        super::audit::record(&tx, stamp, "export-list", "pupil", copied.pupil, &format!("{} printed", copied.counted()))?;
        tx.commit()?;
        Ok(())
    }

    /// Finishes what exports killed part-way left in `folder`: a staging folder whose audit
    /// entry was committed is put in place; one without is removed. Staging folders still
    /// held by a running program are left alone. Best effort: a folder that cannot be read
    /// is left as it is.
    pub fn recover_exports(&self, folder: &Path) {
        let Ok(entries) = fs::read_dir(folder) else { return };
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            let Some(token) = name.strip_prefix(PREFIX) else { continue };
            if token.len() != 16 || !token.bytes().all(|b| b.is_ascii_hexdigit()) {
                continue;
            }
            let dir = entry.path();
            // A running writer holds its lock (named `lock.pending` until it is locked).
            let lock = match ["lock", "lock.pending"].iter().find_map(|n| File::open(dir.join(n)).ok()) {
                Some(lock) => match lock.try_lock() {
                    Ok(()) => lock,
                    Err(_) => continue,
                },
                None => {
                    // Stopped before it made its lock: nothing was written in it yet.
                    let _ = fs::remove_dir(&dir);
                    continue;
                }
            };
            let audited = self
                .conn
                .query_row("SELECT 1 FROM audit WHERE instr(summary, ?1) > 0 LIMIT 1", [token_note(token)], |_| Ok(()))
                .optional()
                .ok()
                .flatten()
                .is_some();
            if audited {
                let place = fs::read(dir.join(PLACE)).ok().and_then(|b| serde_json::from_slice::<Place>(&b).ok());
                if let Some(place) = place {
                    if fs::symlink_metadata(dir.join(OUTPUT)).is_ok() {
                        let _ = put_in_place(folder, &dir.join(OUTPUT), &place);
                    }
                }
            }
            drop(lock);
            let _ = fs::remove_dir_all(&dir);
        }
    }
}

/// Flushes a file, or every file of a folder, to disk before the audit entry is committed.
fn sync_tree(path: &Path) {
    if path.is_dir() {
        if let Ok(entries) = fs::read_dir(path) {
            for entry in entries.flatten() {
                sync_tree(&entry.path());
            }
        }
        if let Ok(dir) = File::open(path) {
            let _ = dir.sync_all();
        }
    } else if let Ok(file) = File::open(path) {
        let _ = file.sync_all();
    }
}

/// Moves the finished `output` to its place in `folder`.
fn put_in_place(folder: &Path, output: &Path, place: &Place) -> Result<(PathBuf, bool)> {
    match place {
        Place::Exact { name } => {
            let path = folder.join(name);
            fs::rename(output, &path).map_err(file_error(&path, "replace"))?;
            files::sync_folder(&path);
            Ok((path, true))
        }
        Place::New { stem, ext } => {
            let is_folder = output.is_dir();
            let bytes = if is_folder { None } else { Some(fs::read(output).map_err(file_error(output, "read"))?) };
            for n in 1..1000 {
                let name = match (n, ext.is_empty()) {
                    (1, true) => stem.clone(),
                    (1, false) => format!("{stem}.{ext}"),
                    (n, true) => format!("{stem}-{n}"),
                    (n, false) => format!("{stem}-{n}.{ext}"),
                };
                let path = folder.join(name);
                if is_folder {
                    if fs::symlink_metadata(&path).is_ok() {
                        continue;
                    }
                    fs::rename(output, &path).map_err(file_error(&path, "create"))?;
                    files::sync_folder(&path);
                    return Ok((path, true));
                }
                match files::link_new(output, &path) {
                    Ok(()) => {
                        files::sync_folder(&path);
                        return Ok((path, true));
                    }
                    Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                        if fs::read(&path).ok() == bytes {
                            return Ok((path, false));
                        }
                    }
                    Err(e) => return Err(file_error(&path, "write")(e)),
                }
            }
            Err(Error::Refused(format!("{} already holds 999 exports named {stem}: move some elsewhere first", folder.display())))
        }
    }
}

#[cfg(all(test, unix))]
mod tests;
