//! How the core puts files on disk: readable by their owner only, and never half-written
//! under their final name.
//!
//! Invariants:
//! - every file the core creates is mode 0600 and every folder 0700 (on Unix; elsewhere the
//!   user's profile folder already keeps other users out);
//! - a file is written to a temporary name in the same folder, flushed to disk, then renamed
//!   over the final name, and the folder is flushed too; a crash leaves the old file or the
//!   new one, never a mix;
//! - `link_new` puts a finished file in place only if nothing is there yet, so two programs
//!   that race to create the same file cannot both win.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use rand::rngs::OsRng;
use rand::RngCore;

use crate::error::{file_error, Error, Result};

/// Creates `path` (and missing parents) as folders only their owner can open.
pub fn create_private_dir(path: &Path) -> Result<()> {
    let mut builder = fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder.create(path).map_err(file_error(path, "create the folder"))
}

/// Creates a new, empty file that only its owner can read; fails if it exists.
pub fn create_private_file(path: &Path) -> Result<File> {
    let mut options = OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options.open(path).map_err(file_error(path, "create"))
}

/// Tightens an existing file or folder to owner-only, if it is looser.
pub fn make_private(path: &Path, folder: bool) -> Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;

        let metadata = fs::metadata(path).map_err(file_error(path, "read the permissions of"))?;
        let wanted = if folder { 0o700 } else { 0o600 };
        if metadata.permissions().mode() & 0o077 != 0 {
            fs::set_permissions(path, fs::Permissions::from_mode(wanted))
                .map_err(file_error(path, "restrict the permissions of"))?;
        }
    }
    #[cfg(not(unix))]
    let _ = (path, folder);
    Ok(())
}

/// Writes `bytes` to `path` through a temporary file, a flush and a rename.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> Result<()> {
    let temporary = temporary_sibling(path);
    let written = (|| {
        let mut file = create_private_file(&temporary)?;
        file.write_all(bytes).map_err(file_error(&temporary, "write"))?;
        file.sync_all().map_err(file_error(&temporary, "write"))?;
        fs::rename(&temporary, path).map_err(file_error(path, "replace"))?;
        sync_folder(path);
        Ok(())
    })();
    if written.is_err() {
        let _ = fs::remove_file(&temporary);
    }
    written
}

/// Puts the finished file `from` at `to` only if nothing is at `to`; `from` stays where it
/// is. A hard link is atomic and refuses an existing name. Disks without hard links (some
/// USB sticks) get a copy beside `to`, then `to` reserved with an exclusive create (which
/// also refuses an existing name), then the copy renamed over that empty placeholder; a
/// crash in between leaves at most an empty file, which is never taken for a school.
pub fn link_new(from: &Path, to: &Path) -> io::Result<()> {
    match fs::hard_link(from, to) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => Err(e),
        Err(_) => {
            let staged = temporary_sibling(to);
            fs::copy(from, &staged)?;
            File::open(&staged)?.sync_all()?;
            let mut reserve = OpenOptions::new();
            reserve.write(true).create_new(true);
            #[cfg(unix)]
            std::os::unix::fs::OpenOptionsExt::mode(&mut reserve, 0o600);
            if let Err(e) = reserve.open(to) {
                let _ = fs::remove_file(&staged);
                return Err(e);
            }
            fs::rename(&staged, to)
        }
    }
}

/// Writes `bytes` as a new file in `folder` named `stem.ext`, or `stem-2.ext`, `stem-3.ext`…
/// when that name holds something else: an export never replaces an earlier one (whose
/// SHA-256 may already have been sent on). The same bytes under the first name count as
/// written already. Returns the path and whether this call created it. Written to a
/// temporary file, flushed, then put in place with `link_new`, so two programs writing at
/// once each get their own name and a crash leaves no partial file under a final name.
pub fn write_new(folder: &Path, stem: &str, ext: &str, bytes: &[u8]) -> Result<(PathBuf, bool)> {
    let first = folder.join(format!("{stem}.{ext}"));
    let temporary = temporary_sibling(&first);
    let written = (|| {
        let mut file = create_private_file(&temporary)?;
        file.write_all(bytes).map_err(file_error(&temporary, "write"))?;
        file.sync_all().map_err(file_error(&temporary, "write"))?;
        for n in 1..1000 {
            let path = if n == 1 { first.clone() } else { folder.join(format!("{stem}-{n}.{ext}")) };
            match link_new(&temporary, &path) {
                Ok(()) => {
                    sync_folder(&path);
                    return Ok((path, true));
                }
                Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {
                    if fs::read(&path).is_ok_and(|old| old == bytes) {
                        return Ok((path, false));
                    }
                }
                Err(e) => return Err(file_error(&path, "write")(e)),
            }
        }
        Err(Error::Refused(format!("{} already holds 999 files named {stem}: move some elsewhere first", folder.display())))
    })();
    let _ = fs::remove_file(&temporary);
    written
}

/// A file written to a temporary name and given its final name, but not yet put there:
/// for an output that must arrive together with its record in the store. The caller
/// records `path` (and `temporary`), commits, then calls `settle`; if the record fails it
/// calls `abandon`. A program stopped in between leaves only the temporary file, which the
/// record lets the next run put in place (or, unrecorded, clear away).
#[derive(Debug)]
pub struct Staged {
    /// None when the same bytes are already at `path`: nothing is left to put in place.
    pub temporary: Option<PathBuf>,
    pub path: PathBuf,
}

/// Writes `bytes` as `stem.ext` (or `stem-2.ext`…, never over another file) in `folder`,
/// to a temporary file only: `path` is the first free name or one already holding the same
/// bytes, leaving out the names in `reserved` (other outputs not yet in place).
pub fn stage_new(folder: &Path, stem: &str, ext: &str, bytes: &[u8], reserved: &[PathBuf]) -> Result<Staged> {
    for n in 1..1000 {
        let path = if n == 1 { folder.join(format!("{stem}.{ext}")) } else { folder.join(format!("{stem}-{n}.{ext}")) };
        if reserved.contains(&path) {
            continue;
        }
        match fs::symlink_metadata(&path) {
            Ok(_) => {
                if fs::read(&path).is_ok_and(|old| old == bytes) {
                    return Ok(Staged { temporary: None, path });
                }
            }
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                let temporary = temporary_sibling(&path);
                let written = (|| {
                    let mut file = create_private_file(&temporary)?;
                    file.write_all(bytes).map_err(file_error(&temporary, "write"))?;
                    file.sync_all().map_err(file_error(&temporary, "write"))
                })();
                if let Err(e) = written {
                    let _ = fs::remove_file(&temporary);
                    return Err(e);
                }
                sync_folder(&temporary);
                return Ok(Staged { temporary: Some(temporary), path });
            }
            Err(e) => return Err(file_error(&path, "read")(e)),
        }
    }
    Err(Error::Refused(format!("{} already holds 999 files named {stem}: move some elsewhere first", folder.display())))
}

impl Staged {
    /// Puts the file in place (never over another file) and removes the temporary one.
    pub fn settle(&self) -> Result<()> {
        match &self.temporary {
            Some(temporary) => settle(temporary, &self.path),
            None => Ok(()),
        }
    }

    /// Removes the temporary file: its record was never made.
    pub fn abandon(&self) {
        if let Some(temporary) = &self.temporary {
            let _ = fs::remove_file(temporary);
        }
    }
}

/// Puts the temporary file `temporary` at `path` unless something is there already, then
/// removes it. Done when `temporary` is gone (another run settled it first) or `path`
/// holds the same bytes; refused, naming `path`, if it holds a different file.
pub fn settle(temporary: &Path, path: &Path) -> Result<()> {
    match link_new(temporary, path) {
        Ok(()) => sync_folder(path),
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(()),
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {
            let same = match (fs::read(temporary), fs::read(path)) {
                (Ok(ours), Ok(theirs)) => ours == theirs,
                (Err(e), _) if e.kind() == io::ErrorKind::NotFound => true,
                _ => false,
            };
            if !same {
                return Err(Error::Refused(format!(
                    "{} was made by another program while this output was written; the output is kept as {}",
                    path.display(),
                    temporary.display()
                )));
            }
        }
        Err(e) => return Err(file_error(path, "write")(e)),
    }
    match fs::remove_file(temporary) {
        Ok(()) => {
            sync_folder(temporary);
            Ok(())
        }
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(file_error(temporary, "remove")(e)),
    }
}

/// Flushes a folder's entries, so a rename survives a power cut. Best effort: some
/// platforms cannot open a folder for this, and the rename itself is still atomic.
pub fn sync_folder(path: &Path) {
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        if let Ok(folder) = File::open(parent) {
            let _ = folder.sync_all();
        }
    }
}

/// `name.tmp-<random>` beside `path`: unique, so two writers never share a temporary file.
pub fn temporary_sibling(path: &Path) -> PathBuf {
    with_suffix(path, &format!(".tmp-{}", random_hex(6)))
}

/// `path` with `suffix` added to its file name.
pub fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(suffix);
    path.with_file_name(name)
}

pub fn random_hex(bytes: usize) -> String {
    let mut buffer = vec![0u8; bytes];
    OsRng.fill_bytes(&mut buffer);
    buffer.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    #[test]
    fn two_writers_exporting_at_once_each_get_their_own_file() {
        let dir = tempfile::tempdir().unwrap();
        let folder = dir.path().to_path_buf();
        let writers: Vec<_> = (0..8u8)
            .map(|n| {
                let folder = folder.clone();
                std::thread::spawn(move || write_new(&folder, "pack", "zip", &[n; 64]).unwrap())
            })
            .collect();
        let mut paths: Vec<PathBuf> = writers.into_iter().map(|w| w.join().unwrap().0).collect();
        for (n, path) in paths.iter().enumerate() {
            let bytes = fs::read(path).unwrap();
            assert_eq!(bytes.len(), 64, "{} is whole", path.display());
            assert!(bytes.iter().all(|b| *b == bytes[0]), "{} holds one writer's bytes (writer {n})", path.display());
        }
        paths.sort();
        paths.dedup();
        assert_eq!(paths.len(), 8, "no writer's export replaced another's");
    }

    #[test]
    fn an_export_never_replaces_an_earlier_one_but_the_same_bytes_are_the_same_file() {
        let dir = tempfile::tempdir().unwrap();
        let (first, created) = write_new(dir.path(), "pack", "zip", b"one").unwrap();
        assert!(created && first.ends_with("pack.zip"));
        let (again, created) = write_new(dir.path(), "pack", "zip", b"one").unwrap();
        assert_eq!((again, created), (first.clone(), false), "the same bytes are already there");
        let (second, created) = write_new(dir.path(), "pack", "zip", b"two").unwrap();
        assert!(created && second.ends_with("pack-2.zip"), "{}", second.display());
        assert_eq!(fs::read(&first).unwrap(), b"one", "the earlier export is untouched");
        let names: Vec<_> = fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert_eq!(names.len(), 2, "no temporary file is left: {names:?}");
    }

    fn mode(path: &Path) -> u32 {
        fs::metadata(path).unwrap().permissions().mode() & 0o777
    }

    #[test]
    fn written_files_and_created_folders_are_for_their_owner_only() {
        let dir = tempfile::tempdir().unwrap();
        let folder = dir.path().join("a/b");
        create_private_dir(&folder).unwrap();
        assert_eq!(mode(&folder), 0o700);
        let file = folder.join("x.json");
        write_atomically(&file, b"first").unwrap();
        write_atomically(&file, b"second").unwrap();
        assert_eq!(fs::read(&file).unwrap(), b"second");
        assert_eq!(mode(&file), 0o600);
        assert_eq!(fs::read_dir(&folder).unwrap().count(), 1, "no temporary file is left behind");
    }

    #[test]
    fn a_new_name_is_taken_once_and_a_second_taker_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let (a, b, target) = (dir.path().join("a"), dir.path().join("b"), dir.path().join("t"));
        fs::write(&a, "a").unwrap();
        fs::write(&b, "b").unwrap();
        link_new(&a, &target).unwrap();
        assert_eq!(link_new(&b, &target).unwrap_err().kind(), io::ErrorKind::AlreadyExists);
        assert_eq!(fs::read_to_string(&target).unwrap(), "a");
    }

    #[test]
    fn loose_permissions_are_tightened() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("old.senco");
        fs::write(&file, "x").unwrap();
        fs::set_permissions(&file, fs::Permissions::from_mode(0o644)).unwrap();
        make_private(&file, false).unwrap();
        assert_eq!(mode(&file), 0o600);
    }
}

