//! Taking a backup and restoring one.
//!
//! A backup copies the open database with SQLite's online backup API in one step, so it is
//! one consistent snapshot that includes what is still in the WAL, while other programs go
//! on writing. The copy is keyed with the same data key and salt, so the school's own key
//! file opens it. It is made in a private staging folder beside the backup's final name,
//! zipped with the key file and a manifest to a temporary file, flushed, and renamed.
//!
//! A restore never touches the school it replaces until the backup has been checked entry
//! by entry against its manifest, unpacked into a staging folder beside the school, opened
//! with the passphrase or recovery key, and passed every integrity check. Then a marker
//! file (`<school>.restore`) is written, and the switch follows: the old school's files
//! are renamed to a dated copy (`<school>-before-restore-<when>`), and the restored key
//! file and database renamed into place. Each step can be repeated, so a restore killed at
//! any moment is finished by the next program to open the school (`Store::open`, `senco
//! check` and the next restore all call `finish_interrupted_restore` first): the school
//! is either the old one or the restored one, never a mix.

use std::fs::{self, OpenOptions};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use rusqlite::{Connection, OpenFlags};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::create::Staging;
use super::{audit, check, Store, Unlock};
use crate::backup::{self, BackupManifest, DATABASE_ENTRY, KEYS_ENTRY};
use crate::error::{file_error, Error, Result};
use crate::files;
use crate::keys::{database_salt, key_file_path, KeyFile};
use crate::Stamp;

/// A backup that was written.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct BackupTaken {
    pub path: String,
    #[ts(type = "number")]
    pub bytes: u64,
    pub manifest: BackupManifest,
}

/// What checking a backup found.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct BackupCheck {
    pub manifest: BackupManifest,
    /// Whether the passphrase or recovery key given opened it (false: none was given).
    pub unlocked: bool,
    /// What the integrity checks found, once unlocked.
    pub findings: Vec<check::Finding>,
}

/// What a restore would do, shown before it is done.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct RestorePlan {
    pub manifest: BackupManifest,
    pub target: String,
    /// Whether a school is there now (it is kept as a dated copy).
    pub replaces_school: bool,
    /// When the school there now was last changed, if it opens with the same secret.
    pub target_last_changed: Option<String>,
    /// Whether the person must confirm: the backup is older than the school it replaces,
    /// or that school does not open with the secret given (it may be another school).
    pub needs_confirmation: bool,
    /// One sentence saying what will happen.
    pub message: String,
}

/// What a restore did.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct RestoreOutcome {
    pub manifest: BackupManifest,
    pub target: String,
    /// Where the school that was replaced now is, if there was one.
    pub replaced_copy: Option<String>,
}

impl Store {
    /// Writes a backup of this school to `out`.
    pub fn backup(&mut self, out: &Path, stamp: Stamp) -> Result<BackupTaken> {
        let name = out.file_name().ok_or_else(|| Error::invalid("out", "give a file name for the backup"))?.to_string_lossy().into_owned();
        let folder = parent_of(out);
        if !folder.is_dir() {
            return Err(Error::Refused(format!("{} is not a folder that exists (or it cannot be reached): choose another folder for the backup", folder.display())));
        }
        for own in [self.path.clone(), key_file_path(&self.path), files::with_suffix(&self.path, "-wal"), files::with_suffix(&self.path, "-shm"), super::in_use_path(&self.path)] {
            if same_file(out, &own) {
                return Err(Error::Refused(format!("{} is the school's own file: write the backup somewhere else, such as a USB stick", out.display())));
            }
        }
        if out.exists() && backup::open(out).is_err() {
            return Err(Error::Refused(format!("{} already exists and is not a SENCO Toolkit backup, so it is not replaced: choose another name", out.display())));
        }
        let salt = database_salt(&self.path)?.ok_or_else(|| Error::Damaged { path: Some(self.path.clone()), detail: "it is shorter than its first page".into() })?;
        // One staging name for every backup in a folder, so a backup killed part-way (with
        // its copy and its unfinished zip inside) is cleared away by the next one, whatever
        // that one is called.
        let staging = Staging::new(&folder, "senco", "backup")?;
        let copy = staging.dir.join(DATABASE_ENTRY);
        // SQLite would create the copy with the process's umask (0644): it is made owner-only
        // first, and SQLite opens the empty file as it finds it.
        drop(files::create_private_file(&copy)?);
        {
            let mut dest = Connection::open_with_flags(&copy, OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_CREATE | OpenFlags::SQLITE_OPEN_NO_MUTEX)
                .map_err(|e| staging_error(out, e))?;
            let _ = dest.execute_batch("PRAGMA cipher_log_level = NONE;");
            dest.pragma_update(None, "key", self.key.sqlcipher_pragma_value_with_salt(&salt).as_str()).map_err(|e| staging_error(out, e))?;
            // One step: the whole copy is read in one read transaction, so it is a single
            // snapshot however much other programs write meanwhile.
            let copier = rusqlite::backup::Backup::new(&self.conn, &mut dest).map_err(|e| staging_error(out, e))?;
            copier.step(-1).map_err(|e| staging_error(out, e))?;
        }
        if database_salt(&copy)? != Some(salt) {
            return Err(Error::Storage(format!("the copy of the school in {} did not keep the database's salt, so its key file would not open it; nothing was kept", staging.dir.display())));
        }
        let manifest = BackupManifest {
            format: backup::FORMAT.into(),
            format_version: backup::FORMAT_VERSION,
            app_version: backup::APP_VERSION.into(),
            schema_version: self.schema_version()?,
            school: self.school.name.clone(),
            taken_at: stamp.at.format("%Y-%m-%dT%H:%M:%S").to_string(),
            files: vec![],
        };
        let temporary = staging.dir.join(format!("{name}.partial"));
        let written = (|| -> Result<BackupTaken> {
            let mut file = files::create_private_file(&temporary)?;
            let manifest = backup::write(&mut file, &temporary, &copy, &key_file_path(&self.path), manifest)?;
            file.sync_all().map_err(file_error(&temporary, "write"))?;
            let bytes = file.metadata().map_err(file_error(&temporary, "write"))?.len();
            fs::rename(&temporary, out).map_err(file_error(out, "write the backup to"))?;
            files::sync_folder(out);
            Ok(BackupTaken { path: out.display().to_string(), bytes, manifest })
        })();
        if written.is_err() {
            let _ = fs::remove_file(&temporary);
        }
        // Named by the file the person asked for, not the temporary one.
        let taken = written.map_err(|e| match e {
            Error::File { path, doing, source } if path == temporary => Error::File { path: out.to_path_buf(), doing, source },
            other => other,
        })?;
        drop(staging);
        let tx = self.begin(stamp)?;
        audit::record(&tx, stamp, "backup", "school", None, &format!("backup written ({name}, {} bytes)", taken.bytes))?;
        put_setting(&tx, LAST_BACKUP, Some(&manifest_time(stamp)))?;
        put_setting(&tx, LAST_BACKUP_ERROR, None)?;
        tx.commit()?;
        Ok(taken)
    }

    /// The automatic backups' settings and when the last backup was taken.
    pub fn backup_settings(&self) -> Result<BackupSettings> {
        let keep = match self.setting(BACKUP_KEEP)? {
            Some(text) => text.parse().unwrap_or(BACKUP_KEEP_DEFAULT),
            None => BACKUP_KEEP_DEFAULT,
        };
        Ok(BackupSettings {
            folder: self.setting(BACKUP_FOLDER)?,
            keep,
            last_backup_at: self.setting(LAST_BACKUP)?,
            last_error: self.setting(LAST_BACKUP_ERROR)?,
        })
    }

    /// Chooses the folder automatic backups go to (a USB stick, a network share) and how
    /// many of them to keep there. The folder must exist now.
    pub fn set_backup_settings(&mut self, folder: Option<&str>, keep: u32, stamp: Stamp) -> Result<BackupSettings> {
        let folder = folder.map(str::trim).filter(|f| !f.is_empty());
        let mut problems = Vec::new();
        if let Some(f) = folder {
            if let Err(e) = crate::text::line("folder", "The backup folder", f, 1000) {
                problems.push(e);
            } else if !Path::new(f).is_dir() {
                problems.push(crate::FieldProblem::new("folder", format!("{f} is not a folder that can be reached now: plug in the stick or connect to the share, or choose another folder")));
            }
        }
        if !(1..=BACKUP_KEEP_MAX).contains(&keep) {
            problems.push(crate::FieldProblem::new("keep", format!("keep between 1 and {BACKUP_KEEP_MAX} backups")));
        }
        if !problems.is_empty() {
            return Err(Error::Invalid(problems));
        }
        let tx = self.begin(stamp)?;
        put_setting(&tx, BACKUP_FOLDER, folder)?;
        put_setting(&tx, BACKUP_KEEP, Some(&keep.to_string()))?;
        audit::record(&tx, stamp, "set-backups", "setting", None, &format!("automatic backups to {}, keeping {keep}", folder.unwrap_or("the data folder")))?;
        tx.commit()?;
        self.backup_settings()
    }

    /// Writes a dated backup into the chosen folder (or `fallback` if none is chosen) and
    /// removes this school's oldest dated backups there beyond the number to keep. A failure
    /// is remembered for the worklist, and returned.
    pub fn backup_to_folder(&mut self, fallback: &Path, stamp: Stamp) -> Result<BackupTaken> {
        let settings = self.backup_settings()?;
        let folder = settings.folder.as_deref().map(PathBuf::from).unwrap_or_else(|| fallback.to_path_buf());
        let prefix = backup_prefix(&self.school.name);
        let attempt = (|| {
            if settings.folder.is_none() {
                files::create_private_dir(&folder)?;
            }
            if !folder.is_dir() {
                return Err(Error::Refused(format!("the backup folder {} cannot be reached (a USB stick not plugged in, or a share not connected)", folder.display())));
            }
            let out = folder.join(format!("{prefix}{}.senco-backup", stamp.at.format("%Y-%m-%d-%H%M%S")));
            let taken = self.backup(&out, stamp)?;
            prune(&folder, &prefix, settings.keep);
            Ok(taken)
        })();
        if let Err(e) = &attempt {
            let message = format!("{} ({})", e, manifest_time(stamp));
            if let Ok(tx) = self.begin(stamp) {
                if put_setting(&tx, LAST_BACKUP_ERROR, Some(&message)).is_ok() {
                    let _ = tx.commit();
                }
            }
        }
        attempt
    }

    /// Whether an automatic backup is due at `now`: none yet, or the last one a day old.
    pub fn backup_due(&self, now: chrono::NaiveDateTime) -> Result<bool> {
        Ok(match self.setting(LAST_BACKUP)? {
            None => true,
            Some(last) => chrono::NaiveDateTime::parse_from_str(&last, "%Y-%m-%dT%H:%M:%S").map(|t| now - t >= chrono::Duration::days(1)).unwrap_or(true),
        })
    }

    /// What the worklist says about backups at `now`: a warning when the last one is more
    /// than 7 days old (or there is none), or the chosen folder cannot be reached.
    pub fn backup_status(&self, now: chrono::NaiveDateTime) -> Result<BackupStatus> {
        let settings = self.backup_settings()?;
        let reachable = settings.folder.as_deref().is_none_or(|f| Path::new(f).is_dir());
        let last = settings.last_backup_at.as_deref().and_then(|t| chrono::NaiveDateTime::parse_from_str(t, "%Y-%m-%dT%H:%M:%S").ok());
        let days = last.map(|t| (now.date() - t.date()).num_days());
        let mut warnings = Vec::new();
        match days {
            None => warnings.push("This school has never been backed up: back it up now, to a USB stick or the school's network share.".to_string()),
            Some(d) if d > STALE_DAYS => warnings.push(format!("The last backup was {d} days ago, on {}: back up now.", shown_time(settings.last_backup_at.as_deref().unwrap_or("")))),
            _ => {}
        }
        if !reachable {
            warnings.push(format!("The backup folder {} cannot be reached: plug in the USB stick or connect to the share, or choose another folder.", settings.folder.as_deref().unwrap_or("")));
        }
        if let Some(error) = &settings.last_error {
            warnings.push(format!("The last automatic backup failed: {error}"));
        }
        Ok(BackupStatus { settings, reachable, days_since_last: days, warnings })
    }

    pub(super) fn setting(&self, key: &str) -> Result<Option<String>> {
        use rusqlite::OptionalExtension;
        Ok(self.conn.query_row("SELECT value FROM setting WHERE key = ?1", [key], |r| r.get(0)).optional()?)
    }
}

const BACKUP_FOLDER: &str = "backup_folder";
const BACKUP_KEEP: &str = "backup_keep";
const LAST_BACKUP: &str = "last_backup_at";
const LAST_BACKUP_ERROR: &str = "last_backup_error";
pub const BACKUP_KEEP_DEFAULT: u32 = 14;
pub const BACKUP_KEEP_MAX: u32 = 365;
/// The worklist warns when the last backup is older than this.
pub const STALE_DAYS: i64 = 7;

fn manifest_time(stamp: Stamp) -> String {
    stamp.at.format("%Y-%m-%dT%H:%M:%S").to_string()
}

pub(super) fn put_setting(conn: &Connection, key: &str, value: Option<&str>) -> Result<()> {
    match value {
        Some(v) => conn.execute("INSERT INTO setting (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET value = excluded.value", rusqlite::params![key, v])?,
        None => conn.execute("DELETE FROM setting WHERE key = ?1", [key])?,
    };
    Ok(())
}

/// "Hollowbrook Demo School" backs up as `hollowbrook-demo-school-2026-11-26-160400.senco-backup`.
fn backup_prefix(school: &str) -> String {
    let mut slug = String::new();
    for c in school.chars().flat_map(char::to_lowercase) {
        if c.is_ascii_alphanumeric() {
            slug.push(c);
        } else if !slug.ends_with('-') && !slug.is_empty() {
            slug.push('-');
        }
    }
    let slug = slug.trim_end_matches('-');
    format!("{}-", if slug.is_empty() { "school" } else { slug })
}

/// Removes this school's dated backups in `folder` beyond the newest `keep`. Only names
/// this app writes are touched; a file that will not go is left for next time.
fn prune(folder: &Path, prefix: &str, keep: u32) {
    let Ok(entries) = fs::read_dir(folder) else { return };
    let mut ours: Vec<String> = entries
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| {
            n.strip_prefix(prefix).and_then(|rest| rest.strip_suffix(".senco-backup")).is_some_and(|stamp| {
                stamp.len() == 17 && stamp.chars().all(|c| c.is_ascii_digit() || c == '-')
            })
        })
        .collect();
    ours.sort();
    let excess = ours.len().saturating_sub(keep as usize);
    for name in &ours[..excess] {
        let _ = fs::remove_file(folder.join(name));
    }
}

/// The automatic backups' settings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct BackupSettings {
    /// The chosen folder; none means the data folder's `backups` (same disk: a stopgap).
    pub folder: Option<String>,
    pub keep: u32,
    pub last_backup_at: Option<String>,
    pub last_error: Option<String>,
}

/// Backups as the worklist and the Backup screen show them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct BackupStatus {
    pub settings: BackupSettings,
    pub reachable: bool,
    #[ts(type = "number | null")]
    pub days_since_last: Option<i64>,
    /// What needs doing, most important first; empty when all is well.
    pub warnings: Vec<String>,
}

/// Whether two paths name the same file (by their folders' real paths and their names).
fn same_file(a: &Path, b: &Path) -> bool {
    let real = |p: &Path| -> Option<PathBuf> { Some(fs::canonicalize(parent_of(p)).ok()?.join(p.file_name()?)) };
    match (real(a), real(b)) {
        (Some(a), Some(b)) => a == b,
        _ => false,
    }
}

/// The folder a path is in (`.` for a bare file name).
fn parent_of(path: &Path) -> PathBuf {
    match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// An error writing the staged copy of the database, named by the backup the person asked
/// for: a full disk or a failing write says so.
fn staging_error(out: &Path, error: rusqlite::Error) -> Error {
    if let rusqlite::Error::SqliteFailure(failure, _) = &error {
        use rusqlite::ErrorCode::*;
        let cause = match failure.code {
            DiskFull => Some("the disk is full: free some space or choose another disk"),
            SystemIoFailure => Some("the disk refused the write (it may be full, removed or failing): free some space or choose another disk"),
            ReadOnly | CannotOpen | PermissionDenied => Some("the folder cannot be written to: choose another folder, or ask IT for access"),
            _ => None,
        };
        if let Some(cause) = cause {
            return Error::Storage(format!("could not write the backup {}: {cause}; nothing was kept", out.display()));
        }
    }
    match Error::from(error) {
        Error::Database(e) => Error::Storage(format!("could not write the backup {}: {e}; nothing was kept", out.display())),
        other => other,
    }
}

/// Checks a backup without restoring it: every entry against the manifest, and, given a
/// secret, that it unlocks and passes every integrity check (unpacked in a private folder
/// inside `scratch`, removed afterwards).
pub fn verify_backup(file: &Path, unlock: Option<Unlock<'_>>, scratch: &Path) -> Result<BackupCheck> {
    let mut opened = backup::open(file)?;
    opened.verify_contents()?;
    let manifest = opened.manifest.clone();
    let Some(unlock) = unlock else {
        return Ok(BackupCheck { manifest, unlocked: false, findings: vec![] });
    };
    files::create_private_dir(scratch)?;
    let staging = Staging::new(scratch, "backup-check", "checking")?;
    opened.extract(&staging.dir)?;
    let report = unlock_and_check(file, &staging.dir.join(DATABASE_ENTRY), unlock)?;
    Ok(BackupCheck { manifest, unlocked: true, findings: report.findings })
}

/// Opens an unpacked backup with the secret and runs the full checks on it.
fn unlock_and_check(file: &Path, staged: &Path, unlock: Unlock<'_>) -> Result<check::CheckReport> {
    let report = check::full(staged, unlock).map_err(|e| match e {
        Error::WrongPassphrase => Error::Refused(format!("that passphrase does not open the backup {}: it is the passphrase the school had when the backup was taken", file.display())),
        Error::WrongRecoveryKey => Error::Refused(format!("that recovery key does not open the backup {}", file.display())),
        Error::Damaged { detail, .. } => Error::Refused(format!("the database in {} is damaged ({detail}); the backup cannot be used", file.display())),
        other => other,
    })?;
    Ok(report)
}

/// Whether the school at `target` (or staged there) is a demo: its key file opens with the
/// published demo key. (A real school's never does; `Store::open` refuses it.)
fn is_demo_school(target: &Path) -> bool {
    KeyFile::read(&key_file_path(target)).is_ok_and(|k| k.unlock_with_passphrase(crate::keys::DEMO_PASSPHRASE).is_ok())
}

/// The school's name when it was last written, and its last audit entry's time, if the
/// secret opens it (read-only; never written).
fn last_change(target: &Path, unlock: &Unlock<'_>) -> Option<String> {
    let key_file = KeyFile::read(&key_file_path(target)).ok()?;
    let data_key = match unlock {
        Unlock::Passphrase(p) => key_file.unlock_with_passphrase(p).ok()?,
        Unlock::RecoveryKey(r) => key_file.unlock_with_recovery_key(r).ok()?,
        Unlock::Demo => key_file.unlock_with_passphrase(crate::keys::DEMO_PASSPHRASE).ok()?,
    };
    let conn = super::connect(target, &data_key, OpenFlags::SQLITE_OPEN_READ_ONLY, key_file.knows_its_database()).ok()?;
    conn.query_row("SELECT max(at) FROM audit", [], |r| r.get::<_, Option<String>>(0)).ok().flatten()
}

/// What restoring `file` over `target` would do. Reads the backup's manifest and, if a
/// school is at `target`, when it was last changed; writes nothing.
pub fn plan_restore(file: &Path, target: &Path, unlock: &Unlock<'_>) -> Result<RestorePlan> {
    finish_interrupted_restore(target)?;
    let opened = backup::open(file)?;
    let manifest = opened.manifest.clone();
    let taken = shown_time(&manifest.taken_at);
    let replaces_school = target.exists();
    let (target_last_changed, needs_confirmation, message) = if !replaces_school {
        (None, false, format!("This restores {} as it was on {taken} to {}.", manifest.school, target.display()))
    } else {
        match last_change(target, unlock) {
            Some(last) if last > manifest.taken_at => {
                let days = days_between(&manifest.taken_at, &last);
                let later = match days {
                    Some(0) | None => "later the same day".to_string(),
                    Some(1) => "1 day later".to_string(),
                    Some(n) => format!("{n} days later"),
                };
                (
                    Some(last.clone()),
                    true,
                    format!(
                        "This backup is older than the school it replaces: it was taken on {taken}, and the school was last changed on {}, {later}. \
                         Every change made since the backup will be lost (the school now in place is kept as a dated copy).",
                        shown_time(&last)
                    ),
                )
            }
            Some(last) => (Some(last), false, format!("This restores {} as it was on {taken}; the school now in place is kept as a dated copy.", manifest.school)),
            None => (
                None,
                true,
                format!(
                    "The school now at {} does not open with the passphrase or recovery key given, so it may be a different school. \
                     It will be kept as a dated copy and replaced by {} as it was on {taken}.",
                    target.display(),
                    manifest.school
                ),
            ),
        }
    };
    Ok(RestorePlan { manifest, target: target.display().to_string(), replaces_school, target_last_changed, needs_confirmation, message })
}

fn shown_time(iso: &str) -> String {
    match chrono::NaiveDateTime::parse_from_str(iso, "%Y-%m-%dT%H:%M:%S") {
        Ok(t) => format!("{} at {}", crate::dates::short(t.date()), t.format("%H:%M")),
        Err(_) => crate::text::shown(iso),
    }
}

fn days_between(from: &str, to: &str) -> Option<i64> {
    let parse = |s: &str| chrono::NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S").ok();
    Some((parse(to)?.date() - parse(from)?.date()).num_days())
}

/// The marker of a restore that has been checked and is being switched into place.
#[derive(Debug, Serialize, Deserialize)]
struct Marker {
    /// The staging folder's name, in the school's folder.
    staging: String,
    /// The dated copy's database name, in the school's folder.
    aside: String,
}

fn marker_path(target: &Path) -> PathBuf {
    files::with_suffix(target, ".restore")
}

/// Restores `file` over `target` (see the module's notes). `confirmed` must be true when
/// `plan_restore` says the person must confirm.
pub fn restore(file: &Path, target: &Path, unlock: Unlock<'_>, confirmed: bool, stamp: Stamp) -> Result<RestoreOutcome> {
    restore_until(file, target, unlock, confirmed, stamp, usize::MAX)
}

/// `restore`, with the switch stopped after `steps` renames, as if the power went then.
pub(super) fn restore_until(file: &Path, target: &Path, unlock: Unlock<'_>, confirmed: bool, stamp: Stamp, steps: usize) -> Result<RestoreOutcome> {
    let plan = plan_restore(file, target, &unlock)?;
    if plan.needs_confirmation && !confirmed {
        return Err(Error::Refused(format!("{} Nothing was changed: confirm to go ahead.", plan.message)));
    }
    let name = target.file_name().ok_or_else(|| Error::invalid("db", "give a file name for the school database"))?.to_string_lossy().into_owned();
    let folder = parent_of(target);
    if !folder.exists() {
        files::create_private_dir(&folder)?;
    }
    // No other program may have the school open while it is replaced: the app or a script
    // would go on writing to the dated copy. Held until the switch is done.
    // (With no school there yet, nobody can have it open.)
    let in_use_path = super::in_use_path(target);
    let in_use = if target.exists() {
        let in_use = match files::create_private_file(&in_use_path) {
            Ok(file) => file,
            Err(_) => OpenOptions::new().read(true).write(true).open(&in_use_path).map_err(file_error(&in_use_path, "open"))?,
        };
        match in_use.try_lock() {
            Ok(()) => {}
            Err(fs::TryLockError::WouldBlock) => {
                return Err(Error::Refused(format!(
                    "another program has the school {} open (the SENCO Toolkit app, or a script): close it, then restore again; nothing was changed",
                    target.display()
                )))
            }
            Err(fs::TryLockError::Error(e)) => return Err(file_error(&in_use_path, "lock")(e)),
        }
        Some(in_use)
    } else {
        None
    };
    let staging = Staging::new(&folder, &name, "restoring")?;
    let mut opened = backup::open(file)?;
    opened.extract(&staging.dir)?;
    // Over the demo, only a demo's backup: a real school's would put real children where
    // the demo button opens them (its own key goes with it, but the place is the demo's).
    if is_demo_school(target) && !is_demo_school(&staging.dir.join(DATABASE_ENTRY)) {
        return Err(Error::DemoSchool("restoring a real school's backup over it"));
    }
    let report = unlock_and_check(file, &staging.dir.join(DATABASE_ENTRY), unlock)?;
    if !report.healthy() {
        let failed: Vec<String> = report.findings.iter().filter(|f| !f.passed).map(|f| format!("{}: {}", f.check, f.detail)).collect();
        return Err(Error::Refused(format!("the backup {} unlocks but fails its checks ({}); nothing was changed", file.display(), failed.join("; "))));
    }
    files::sync_folder(&staging.dir.join(DATABASE_ENTRY));

    let stem = Path::new(&name).file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_else(|| name.clone());
    let extension = Path::new(&name).extension().map(|e| format!(".{}", e.to_string_lossy())).unwrap_or_default();
    let mut aside = format!("{stem}-before-restore-{}{extension}", stamp.at.format("%Y-%m-%d-%H%M%S"));
    let mut n = 2;
    while folder.join(&aside).exists() || key_file_path(&folder.join(&aside)).exists() {
        aside = format!("{stem}-before-restore-{}-{n}{extension}", stamp.at.format("%Y-%m-%d-%H%M%S"));
        n += 1;
    }
    let marker = Marker { staging: staging.dir.file_name().expect("named").to_string_lossy().into_owned(), aside };
    let marker_file = marker_path(target);
    let temporary = files::temporary_sibling(&marker_file);
    let lock = (|| -> Result<std::fs::File> {
        let mut lock = files::create_private_file(&temporary)?;
        lock.lock().map_err(file_error(&temporary, "lock"))?;
        lock.write_all(&serde_json::to_vec(&marker).expect("serialises")).map_err(file_error(&temporary, "write"))?;
        lock.sync_all().map_err(file_error(&temporary, "write"))?;
        files::link_new(&temporary, &marker_file).map_err(|e| {
            if e.kind() == std::io::ErrorKind::AlreadyExists {
                Error::Refused(format!("another restore of {} is under way; nothing was changed", target.display()))
            } else {
                file_error(&marker_file, "write")(e)
            }
        })?;
        files::sync_folder(&marker_file);
        Ok(lock)
    })();
    let _ = fs::remove_file(&temporary);
    let lock = lock?;
    // From here the restore goes forward: if this process stops, the next one finishes it.
    // The staging folder stays locked until the switch is done, so no other restore takes
    // it for an abandoned one.
    let staging_lock = staging.keep();
    let replaced = switch_until(target, &marker, steps)?;
    drop(staging_lock);
    drop(lock);
    drop(in_use);
    let manifest = plan.manifest;
    Ok(RestoreOutcome { manifest, target: target.display().to_string(), replaced_copy: replaced.map(|p| p.display().to_string()) })
}

/// Finishes a restore that was stopped part-way, if there is one; does nothing otherwise.
pub(crate) fn finish_interrupted_restore(target: &Path) -> Result<()> {
    let marker_file = marker_path(target);
    let mut file = match OpenOptions::new().read(true).open(&marker_file) {
        Ok(file) => file,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(file_error(&marker_file, "read")(e)),
    };
    // Waits while the restore that wrote it is still switching.
    file.lock().map_err(file_error(&marker_file, "lock"))?;
    // The marker this handle opened may have been finished and replaced by a newer one
    // meanwhile: only the marker still at the path is acted on.
    match fs::metadata(&marker_file) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(file_error(&marker_file, "read")(e)),
        Ok(now) => {
            #[cfg(unix)]
            {
                use std::os::unix::fs::MetadataExt;
                let held = file.metadata().map_err(file_error(&marker_file, "read"))?;
                if (held.dev(), held.ino()) != (now.dev(), now.ino()) {
                    drop(file);
                    return finish_interrupted_restore(target);
                }
            }
            #[cfg(not(unix))]
            let _ = now;
        }
    }
    let mut text = String::new();
    file.read_to_string(&mut text).map_err(file_error(&marker_file, "read"))?;
    if text.is_empty() {
        // A marker reserved but never written (a copy on a disk without hard links, cut off):
        // nothing had been switched, so the restore never started.
        fs::remove_file(&marker_file).map_err(file_error(&marker_file, "remove"))?;
        return Ok(());
    }
    let marker: Marker = serde_json::from_str(&text).map_err(|e| Error::Damaged {
        path: Some(marker_file.clone()),
        detail: format!("this note of a restore under way cannot be read ({e}); ask IT to look at the school's folder"),
    })?;
    if !marker_is_ours(target, &marker) {
        return Err(Error::Damaged { path: Some(marker_file), detail: "it names files that a restore of this school would not make; ask IT to look at the school's folder".into() });
    }
    switch(target, &marker)?;
    Ok(())
}

/// Whether a marker names only what a restore of `target` makes: a staging folder
/// `.<name>.restoring-<16 hex>` and a dated copy `<stem>-before-restore-…<ext>`, both plain
/// names in the school's folder. Anything else is never renamed or removed.
fn marker_is_ours(target: &Path, marker: &Marker) -> bool {
    let Some(name) = target.file_name().map(|n| n.to_string_lossy().into_owned()) else { return false };
    let stem = Path::new(&name).file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
    let extension = Path::new(&name).extension().map(|e| format!(".{}", e.to_string_lossy())).unwrap_or_default();
    let plain = |n: &str| !n.is_empty() && !n.contains(['/', '\\', ':']) && n != "." && n != "..";
    let staging_ok = marker
        .staging
        .strip_prefix(&format!(".{name}.restoring-"))
        .is_some_and(|random| random.len() == 16 && random.chars().all(|c| c.is_ascii_hexdigit()));
    let aside_ok = marker.aside.starts_with(&format!("{stem}-before-restore-")) && marker.aside.ends_with(&extension);
    plain(&marker.staging) && plain(&marker.aside) && staging_ok && aside_ok
}

/// The switch, written so that running it again after a stop at any point completes it.
fn switch(target: &Path, marker: &Marker) -> Result<Option<PathBuf>> {
    switch_until(target, marker, usize::MAX)
}

/// The switch, stopping after `steps` renames (for the tests, which stop it at every point
/// a power cut could).
fn switch_until(target: &Path, marker: &Marker, steps: usize) -> Result<Option<PathBuf>> {
    let folder = parent_of(target);
    let staging = folder.join(&marker.staging);
    let staged_db = staging.join(DATABASE_ENTRY);
    let staged_keys = staging.join(KEYS_ENTRY);
    let aside = folder.join(&marker.aside);
    let live_keys = key_file_path(target);
    let mut done = 0;
    let mut rename = |from: &Path, to: &Path| -> Result<bool> {
        if done >= steps {
            return Ok(false);
        }
        if to.exists() {
            // Never over a file: the dated copy is the school that was replaced.
            return Err(Error::Damaged {
                path: Some(to.to_path_buf()),
                detail: format!("a restore was finishing and would have moved {} over it; nothing was moved: ask IT to look at the school's folder", from.display()),
            });
        }
        done += 1;
        fs::rename(from, to).map_err(file_error(from, "move"))?;
        Ok(true)
    };
    if staged_db.exists() {
        // The old school's files go aside first: its WAL must never meet the restored
        // database. While the restored database is still staged, whatever is at the
        // school's name is the old school's.
        for suffix in ["-wal", "-shm"] {
            let live = files::with_suffix(target, suffix);
            if live.exists() && !rename(&live, &files::with_suffix(&aside, suffix))? {
                return Ok(None);
            }
        }
        if staged_keys.exists() {
            if live_keys.exists() && !rename(&live_keys, &key_file_path(&aside))? {
                return Ok(None);
            }
            if !rename(&staged_keys, &live_keys)? {
                return Ok(None);
            }
        }
        if target.exists() && !rename(target, &aside)? {
            return Ok(None);
        }
        if !rename(&staged_db, target)? {
            return Ok(None);
        }
        files::sync_folder(target);
    }
    if done >= steps {
        return Ok(None);
    }
    if staging.exists() {
        fs::remove_dir_all(&staging).map_err(file_error(&staging, "remove"))?;
    }
    let marker_file = marker_path(target);
    match fs::remove_file(&marker_file) {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => return Err(file_error(&marker_file, "remove")(e)),
    }
    files::sync_folder(target);
    Ok(aside.exists().then_some(aside))
}
