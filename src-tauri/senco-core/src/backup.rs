//! The backup file: one zip holding the school's encrypted database, its key file and a
//! manifest (format docs/formats/backup.md).
//!
//! Invariants:
//! - a backup stays encrypted: the database is the SQLCipher file and the key file holds
//!   only wrapped keys, so a lost USB stick holds nothing readable;
//! - every entry's size and SHA-256 are in the manifest, and a backup whose entries do not
//!   match, that is cut short, that holds anything else, or that a newer app made is
//!   refused with the name of what failed, before anything is written;
//! - reading streams each entry through its hash, so a large school needs no more memory
//!   than a small one.
//!
//! Taking a backup (the online backup API) and restoring one (staging, the dated copy and
//! the switch) are the store's: `store/backup.rs`.

use std::fs::File;
use std::io::{self, BufReader, Read, Seek, Write};
use std::path::Path;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use ts_rs::TS;

use crate::error::{file_error, Error, Result};

/// What the manifest's `format` says.
pub const FORMAT: &str = "senco-backup";
/// The backup format this build writes and reads.
pub const FORMAT_VERSION: u32 = 1;
/// The version of the app that writes a backup.
pub const APP_VERSION: &str = env!("CARGO_PKG_VERSION");

pub const MANIFEST_ENTRY: &str = "manifest.json";
pub const DATABASE_ENTRY: &str = "school.db";
pub const KEYS_ENTRY: &str = "school.db.keys";

/// A manifest larger than this is not one of ours.
const MANIFEST_LIMIT: u64 = 64 * 1024;

/// What a backup says about itself.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct BackupManifest {
    pub format: String,
    pub format_version: u32,
    /// The SENCO Toolkit version that took it.
    pub app_version: String,
    /// The database's schema version when it was taken.
    #[ts(type = "number")]
    pub schema_version: i64,
    pub school: String,
    /// When it was taken, ISO local time (`2026-11-26T16:04:00`).
    pub taken_at: String,
    pub files: Vec<BackupFile>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct BackupFile {
    pub name: String,
    #[ts(type = "number")]
    pub size: u64,
    pub sha256: String,
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Copies `from` into `to`, returning the byte count and SHA-256.
fn copy_hashing(mut from: impl Read, mut to: impl Write) -> io::Result<(u64, String)> {
    let mut hasher = Sha256::new();
    let mut buffer = vec![0u8; 256 * 1024];
    let mut total = 0u64;
    loop {
        let n = match from.read(&mut buffer) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        hasher.update(&buffer[..n]);
        to.write_all(&buffer[..n])?;
        total += n as u64;
    }
    Ok((total, hex(&hasher.finalize())))
}

/// The hash and size of a file on disk.
pub fn file_digest(path: &Path) -> Result<(u64, String)> {
    let file = File::open(path).map_err(file_error(path, "read"))?;
    copy_hashing(BufReader::new(file), io::sink()).map_err(file_error(path, "read"))
}

/// Writes the backup zip to `out` (an open, new file): the manifest first, then the
/// database and the key file, stored as they are (encrypted data does not compress).
/// `manifest.files` is filled in here from the bytes actually written.
pub(crate) fn write(out: &mut File, out_path: &Path, database: &Path, keys: &Path, mut manifest: BackupManifest) -> Result<BackupManifest> {
    manifest.files = vec![];
    for (name, path) in [(DATABASE_ENTRY, database), (KEYS_ENTRY, keys)] {
        let (size, sha256) = file_digest(path)?;
        manifest.files.push(BackupFile { name: name.into(), size, sha256 });
    }
    let manifest_bytes = serde_json::to_vec_pretty(&manifest).expect("the manifest serialises");
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Stored)
        .large_file(true)
        .unix_permissions(0o600)
        .system(zip::System::Unix);
    let failed = |e: zip::result::ZipError| match e {
        zip::result::ZipError::Io(io) => file_error(out_path, "write")(io),
        other => Error::Storage(format!("could not write {}: {other}", out_path.display())),
    };
    let mut writer = zip::ZipWriter::new(&mut *out);
    writer.start_file(MANIFEST_ENTRY, options).map_err(failed)?;
    writer.write_all(&manifest_bytes).map_err(file_error(out_path, "write"))?;
    for (name, path) in [(DATABASE_ENTRY, database), (KEYS_ENTRY, keys)] {
        writer.start_file(name, options).map_err(failed)?;
        let source = File::open(path).map_err(file_error(path, "read"))?;
        let expected = manifest.files.iter().find(|f| f.name == name).expect("listed above");
        let (size, sha256) = copy_hashing(BufReader::new(source), &mut writer).map_err(file_error(out_path, "write"))?;
        if size != expected.size || sha256 != expected.sha256 {
            return Err(Error::Storage(format!("{} changed while the backup was being written; nothing was kept: try again", path.display())));
        }
    }
    writer.finish().map_err(failed)?;
    Ok(manifest)
}

/// An opened backup whose manifest has been read and accepted (not yet its contents).
pub struct Backup<R: Read + Seek> {
    pub manifest: BackupManifest,
    archive: zip::ZipArchive<R>,
    name: String,
}

/// Opens the backup at `path` and reads its manifest. Refuses, naming the reason, a file
/// that is not a backup, is cut short, was made by a newer app, or lists other entries.
pub fn open(path: &Path) -> Result<Backup<BufReader<File>>> {
    let file = File::open(path).map_err(file_error(path, "open the backup"))?;
    if file.metadata().map_err(file_error(path, "read"))?.is_dir() {
        return Err(not_backup(path, "it is a folder"));
    }
    open_reader(BufReader::new(file), &path.display().to_string())
}

fn not_backup(path: &Path, why: &str) -> Error {
    Error::Refused(format!("{} is not a SENCO Toolkit backup that can be used: {why}", path.display()))
}

pub(crate) fn open_reader<R: Read + Seek>(reader: R, name: &str) -> Result<Backup<R>> {
    let refuse = |why: String| Error::Refused(format!("{name} is not a SENCO Toolkit backup that can be used: {why}"));
    let mut archive = zip::ZipArchive::new(reader).map_err(|e| {
        refuse(format!("it cannot be read as a backup file, so it is damaged, cut short (copied only in part) or another kind of file ({e})"))
    })?;
    let manifest: BackupManifest = {
        let entry = archive.by_name(MANIFEST_ENTRY).map_err(|_| refuse(format!("it has no {MANIFEST_ENTRY}")))?;
        if entry.size() > MANIFEST_LIMIT {
            return Err(refuse(format!("its {MANIFEST_ENTRY} is {} bytes, far larger than a backup's", entry.size())));
        }
        let mut bytes = Vec::new();
        entry.take(MANIFEST_LIMIT).read_to_end(&mut bytes).map_err(|e| refuse(format!("its {MANIFEST_ENTRY} cannot be read ({e})")))?;
        serde_json::from_slice(&bytes).map_err(|e| refuse(format!("its {MANIFEST_ENTRY} is not a backup manifest (line {}: {e})", e.line())))?
    };
    if manifest.format != FORMAT {
        return Err(refuse(format!("its manifest's format is {:?}, not {FORMAT:?}", manifest.format)));
    }
    if manifest.format_version > FORMAT_VERSION || newer(&manifest.app_version, APP_VERSION) {
        return Err(Error::Refused(format!(
            "{name} was made by SENCO Toolkit {}, which is newer than this app ({APP_VERSION}): install SENCO Toolkit {} or later to restore it",
            crate::text::shown(&manifest.app_version),
            crate::text::shown(&manifest.app_version)
        )));
    }
    if manifest.schema_version > crate::store::SCHEMA_VERSION {
        return Err(Error::NewerDatabase { found: manifest.schema_version, supported: crate::store::SCHEMA_VERSION });
    }
    for wanted in [DATABASE_ENTRY, KEYS_ENTRY] {
        if !manifest.files.iter().any(|f| f.name == wanted) {
            return Err(refuse(format!("its manifest does not list {wanted}")));
        }
    }
    let listed = |n: &str| n == MANIFEST_ENTRY || manifest.files.iter().any(|f| f.name == n);
    let names: Vec<String> = (0..archive.len())
        .map(|i| archive.name_for_index(i).and_then(|n| n.ok()).map(|n| n.into_owned()).unwrap_or_else(|| format!("entry {}", i + 1)))
        .collect();
    if let Some(extra) = names.iter().find(|n| !listed(n)) {
        return Err(refuse(format!("it holds {:?}, which its manifest does not list", crate::text::shown(extra))));
    }
    if manifest.files.len() != 2 || archive.len() != 3 {
        return Err(refuse("it holds more entries than a backup has".into()));
    }
    Ok(Backup { manifest, archive, name: name.to_string() })
}

/// Whether version `a` is newer than version `b` (dotted numbers; anything else counts as
/// newer, so an unreadable version is never trusted).
fn newer(a: &str, b: &str) -> bool {
    let parse = |v: &str| v.split(['-', '+']).next().unwrap_or("").split('.').map(|p| p.parse::<u64>().ok()).collect::<Option<Vec<_>>>();
    match (parse(a), parse(b)) {
        (Some(a), Some(b)) => a > b,
        _ => true,
    }
}

impl<R: Read + Seek> Backup<R> {
    /// Copies one entry into `to`, checking its size and SHA-256 against the manifest.
    fn copy_entry(&mut self, entry: &str, to: impl Write, to_path: Option<&Path>) -> Result<()> {
        let expected = self.manifest.files.iter().find(|f| f.name == entry).cloned().expect("checked at open");
        let name = self.name.clone();
        let file = self.archive.by_name(entry).map_err(|e| Error::Refused(format!("{name}: {entry} cannot be read ({e})")))?;
        // Backups store their entries as they are: anything compressed, or claiming another
        // size than the manifest, is not one of ours, and is never unpacked (a zip bomb).
        if file.compression() != zip::CompressionMethod::Stored || file.size() != expected.size {
            return Err(Error::Refused(format!(
                "{name}: {entry} is not stored as a backup stores it, or its size differs from the manifest's; the backup has been changed or damaged since it was made"
            )));
        }
        let mut file = file.take(expected.size + 1);
        let (size, sha256) = match copy_hashing(&mut file, to) {
            Ok(done) => done,
            Err(e) if e.kind() == io::ErrorKind::InvalidData || e.kind() == io::ErrorKind::UnexpectedEof => {
                return Err(Error::Refused(format!(
                    "{name}: {entry} is damaged or cut short ({e}); the backup cannot be used"
                )))
            }
            Err(e) => {
                return Err(match to_path {
                    Some(path) => file_error(path, "write")(e),
                    None => Error::Refused(format!("{name}: {entry} cannot be read ({e})")),
                })
            }
        };
        if size != expected.size {
            return Err(Error::Refused(format!(
                "{name}: {entry} is {size} bytes, but the manifest says {}; the backup has been changed or damaged since it was made",
                expected.size
            )));
        }
        if sha256 != expected.sha256 {
            return Err(Error::Refused(format!(
                "{name}: {entry} does not match its SHA-256 in the manifest; the backup has been changed or damaged since it was made"
            )));
        }
        Ok(())
    }

    /// Checks every entry against the manifest without writing anything.
    pub fn verify_contents(&mut self) -> Result<()> {
        for entry in [DATABASE_ENTRY, KEYS_ENTRY] {
            self.copy_entry(entry, io::sink(), None)?;
        }
        Ok(())
    }

    /// Writes the database and key file into `folder` (which must exist), as `school.db`
    /// and `school.db.keys`, each checked against the manifest as it is written and flushed.
    pub(crate) fn extract(&mut self, folder: &Path) -> Result<()> {
        for entry in [DATABASE_ENTRY, KEYS_ENTRY] {
            let path = folder.join(entry);
            let mut file = crate::files::create_private_file(&path)?;
            self.copy_entry(entry, &mut file, Some(&path))?;
            file.sync_all().map_err(file_error(&path, "write"))?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::newer;

    #[test]
    fn versions_compare_as_numbers_and_unreadable_ones_count_as_newer() {
        assert!(newer("0.10.0", "0.9.3"));
        assert!(!newer("0.9.3", "0.10.0"));
        assert!(!newer("1.2.0", "1.2.0"));
        assert!(newer("1.2.0.1", "1.2.0"));
        assert!(!newer("1.2.0-beta", "1.2.0"));
        assert!(newer("one", "1.0.0"));
    }
}
