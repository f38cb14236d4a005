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
//!   that race to create the same file cannot both win;
//! - a file the person chose is read through `read_limited` (or streamed through `Capped`),
//!   which counts the bytes as they arrive and stops one past the limit, so `/dev/zero`, a
//!   FIFO or a file that grows while it is read can never exhaust memory: the file's size
//!   as its metadata reports it is never trusted.

use std::fs::{self, File, OpenOptions};
use std::io::{self, BufRead, Read, Write};
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

/// Creates the temporary file for `path` (`temporary_sibling`), locked for as long as this
/// program holds it, so `clear_abandoned_temporaries` can tell a killed writer's file from
/// a running one's.
fn create_temporary(path: &Path) -> Result<(PathBuf, File)> {
    if let Some(folder) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        clear_abandoned_temporaries(folder);
    }
    // Another program clearing the folder may take a new file for an abandoned one in the
    // moment before it is locked: then it is made again under another name.
    for _ in 0..8 {
        let temporary = temporary_sibling(path);
        let file = create_private_file(&temporary)?;
        if file.try_lock().is_ok() && still_named(&file, &temporary) {
            return Ok((temporary, file));
        }
        drop(file);
        let _ = fs::remove_file(&temporary);
    }
    Err(Error::Storage(format!("could not lock a temporary file for {}: another program keeps clearing its folder", path.display())))
}

/// Whether `path` still names the open `file` (another program has not removed it).
fn still_named(file: &File, path: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        match (file.metadata(), fs::metadata(path)) {
            (Ok(open), Ok(named)) => (open.dev(), open.ino()) == (named.dev(), named.ino()),
            _ => false,
        }
    }
    #[cfg(not(unix))]
    {
        // Windows refuses to remove a file another program has open.
        let _ = (file, path);
        true
    }
}

/// Whether `name` is one of our temporary files: `<name>.tmp-` and twelve hex digits.
fn is_temporary_name(name: &str) -> bool {
    name.rsplit_once(".tmp-").is_some_and(|(stem, tail)| !stem.is_empty() && tail.len() == 12 && tail.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f')))
}

/// Removes the temporary files in `folder` that a writer killed part-way left (a partial
/// export, a half-written settings file): those named as `temporary_sibling` names them
/// and no longer locked by a running program. Nothing else is touched. Best effort.
pub fn clear_abandoned_temporaries(folder: &Path) {
    let Ok(entries) = fs::read_dir(folder) else { return };
    for entry in entries.flatten() {
        if !is_temporary_name(&entry.file_name().to_string_lossy()) || !entry.file_type().is_ok_and(|t| t.is_file()) {
            continue;
        }
        let path = entry.path();
        let Ok(file) = OpenOptions::new().read(true).open(&path) else { continue };
        if file.try_lock().is_ok() {
            // Removed while locked, so its writer, if it is just starting, sees it gone. (Windows
            // cannot remove an open file; there a writer's open file is never removed at all.)
            #[cfg(not(unix))]
            drop(file);
            let _ = fs::remove_file(&path);
        }
    }
}

/// Writes `bytes` to `path` through a temporary file, a flush and a rename.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> Result<()> {
    let (temporary, mut file) = create_temporary(path)?;
    let written = (|| {
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
    let (temporary, mut file) = create_temporary(&first)?;
    let written = (|| {
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

/// How much of a chosen file is read, and what kind of file it is, for the message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limit {
    /// What the file is, as a message names it: "a CTF", "a catalogue file".
    pub kind: &'static str,
    /// The most it may hold, in megabytes (MiB).
    pub megabytes: u64,
}

impl Limit {
    pub const fn new(kind: &'static str, megabytes: u64) -> Limit {
        Limit { kind, megabytes }
    }

    pub const fn bytes(self) -> u64 {
        self.megabytes * 1024 * 1024
    }

    /// The refusal for a file past this limit, naming the file and the limit.
    pub fn refusal(self, file: &str) -> Error {
        Error::Refused(format!(
            "{file} is larger than {} MB, the most {} may be, so it was not read; check that it is the right file",
            self.megabytes, self.kind
        ))
    }
}

/// A CTF: a 34,000-pupil file is about 51 MB.
pub const CTF_LIMIT: Limit = Limit::new("a CTF", 100);
/// A CSV export: 20,000 pupils with 40 columns is well under 20 MB.
pub const CSV_LIMIT: Limit = Limit::new("a CSV file", 50);
/// A provision catalogue: a real framework is well under 1 MB.
pub const CATALOGUE_LIMIT: Limit = Limit::new("a catalogue file", 5);
/// Removes a staging folder with its `lock` file last: a run killed part-way through leaves
/// either its (unlocked) lock or an empty folder, and the next run clears both at once.
/// Removing the lock first once left a folder of files with no lock, which looks like a
/// writer just starting and was kept.
pub fn remove_staging(dir: &Path) {
    if let Ok(entries) = fs::read_dir(dir) {
        for entry in entries.flatten() {
            if entry.file_name() == "lock" {
                continue;
            }
            let path = entry.path();
            let _ = if path.is_dir() { fs::remove_dir_all(&path) } else { fs::remove_file(&path) };
        }
    }
    let _ = fs::remove_dir_all(dir);
}

/// An evidence rules file: the shipped ones are under 2 KB.
pub const RULES_LIMIT: Limit = Limit::new("an evidence rules file", 1);
/// A national figures file: the shipped one is about 5 KB.
pub const NATIONAL_LIMIT: Limit = Limit::new("a national figures file", 1);
/// A stage document for `senco cycle record --file`.
pub const STAGE_LIMIT: Limit = Limit::new("a stage document", 2);

/// A passphrase, pack password or recovery key kept in a file: a line of text.
pub const SECRET_LIMIT: Limit = Limit::new("a passphrase, password or recovery key file", 1);
/// A pack bundle to verify: its attachments are at most 10 MB each.
pub const BUNDLE_LIMIT: Limit = Limit::new("a pack bundle", 1024);

/// Reads a whole file the person chose, refusing it (naming the file and the limit) once more
/// than `limit` bytes have arrived. The bytes are counted as they are read, through
/// `Read::take`, so a device, a FIFO or a file that grows cannot make it read for ever.
pub fn read_limited(path: &Path, limit: Limit) -> Result<Vec<u8>> {
    let unreadable = |e: io::Error| Error::Refused(format!("{} could not be read: {}", path.display(), crate::error::plain_cause(&e)));
    let file = File::open(path).map_err(unreadable)?;
    let mut bytes = Vec::new();
    file.take(limit.bytes() + 1).read_to_end(&mut bytes).map_err(unreadable)?;
    if bytes.len() as u64 > limit.bytes() {
        return Err(limit.refusal(&path.display().to_string()));
    }
    Ok(bytes)
}

/// `read_limited`, as UTF-8 text (a byte-order mark is dropped); text that is not UTF-8 is
/// refused, naming the first byte that is not.
pub fn read_text_limited(path: &Path, limit: Limit) -> Result<String> {
    let bytes = read_limited(path, limit)?;
    let text = String::from_utf8(bytes).map_err(|e| {
        Error::Refused(format!("{} is not UTF-8 text (byte {} is not valid): save it as UTF-8", path.display(), e.utf8_error().valid_up_to() + 1))
    })?;
    Ok(match text.strip_prefix('\u{FEFF}') {
        Some(rest) => rest.to_string(),
        None => text,
    })
}

/// A stream that gives at most `limit` bytes in all, and at most `piece` bytes between two
/// calls of `start_piece`, then fails with `exceeded` set. A streaming reader such as the
/// CTF's calls `start_piece` before each element, so one endless text or tag cannot grow its
/// buffer past `piece` either.
pub struct Capped<R> {
    inner: R,
    limit: u64,
    piece: u64,
    total: u64,
    in_piece: u64,
    exceeded: Option<Exceeded>,
}

/// Which limit a `Capped` stream reached.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exceeded {
    Total,
    Piece,
}

impl<R: BufRead> Capped<R> {
    pub fn new(inner: R, limit: u64, piece: u64) -> Capped<R> {
        Capped { inner, limit, piece, total: 0, in_piece: 0, exceeded: None }
    }

    /// Starts counting a new piece (an element) from here.
    pub fn start_piece(&mut self) {
        self.in_piece = 0;
    }

    /// Which limit was reached, if one was.
    pub fn exceeded(&self) -> Option<Exceeded> {
        self.exceeded
    }

    fn room(&self) -> u64 {
        (self.limit - self.total.min(self.limit)).min(self.piece - self.in_piece.min(self.piece))
    }
}

impl<R: BufRead> Read for Capped<R> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        let available = self.fill_buf()?;
        let n = available.len().min(out.len());
        out[..n].copy_from_slice(&available[..n]);
        self.consume(n);
        Ok(n)
    }
}

impl<R: BufRead> BufRead for Capped<R> {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        let room = self.room();
        if room == 0 {
            // Only a stream with more to give has gone past a limit.
            if self.inner.fill_buf()?.is_empty() {
                return Ok(&[]);
            }
            self.exceeded = Some(if self.total >= self.limit { Exceeded::Total } else { Exceeded::Piece });
            return Err(io::Error::other("the file is larger than its limit"));
        }
        let available = self.inner.fill_buf()?;
        let n = available.len().min(usize::try_from(room).unwrap_or(usize::MAX));
        Ok(&available[..n])
    }

    fn consume(&mut self, n: usize) {
        self.total += n as u64;
        self.in_piece += n as u64;
        self.inner.consume(n);
    }
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
    fn a_killed_writers_temporary_file_is_removed_by_the_next_write_and_nothing_else_is() {
        let dir = tempfile::tempdir().unwrap();
        let folder = dir.path();
        // What `kill -9` during an export leaves: a partial bundle under a temporary name.
        fs::write(folder.join("pack.zip.tmp-0123456789ab"), "half a pack").unwrap();
        // A writer still running holds its temporary file locked.
        let (running, _held) = create_temporary(&folder.join("other.pdf")).unwrap();
        // Files that only look like ours are someone else's.
        for name in ["notes.tmp-zz", "notes.tmp-0123456789", "notes.tmp-0123456789AB", "x.tmp-0123456789abc"] {
            fs::write(folder.join(name), "mine").unwrap();
        }
        write_new(folder, "summary", "pdf", b"%PDF").unwrap();
        let mut names: Vec<String> = fs::read_dir(folder).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
        names.sort();
        let running = running.file_name().unwrap().to_string_lossy().into_owned();
        let mut expected = vec!["notes.tmp-0123456789", "notes.tmp-0123456789AB", "notes.tmp-zz", running.as_str(), "summary.pdf", "x.tmp-0123456789abc"];
        expected.sort();
        assert_eq!(names, expected);
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

    #[test]
    fn a_chosen_file_is_read_only_up_to_its_limit_however_it_is_made() {
        let dir = tempfile::tempdir().unwrap();
        let small = dir.path().join("small.txt");
        fs::write(&small, "\u{FEFF}hello").unwrap();
        assert_eq!(read_text_limited(&small, RULES_LIMIT).unwrap(), "hello");
        let exact = dir.path().join("exact.bin");
        fs::write(&exact, vec![b'a'; RULES_LIMIT.bytes() as usize]).unwrap();
        assert_eq!(read_limited(&exact, RULES_LIMIT).unwrap().len() as u64, RULES_LIMIT.bytes(), "a file of exactly the limit is read");
        fs::write(&exact, vec![b'a'; RULES_LIMIT.bytes() as usize + 1]).unwrap();
        let err = read_limited(&exact, RULES_LIMIT).unwrap_err().to_string();
        assert!(err.contains("exact.bin is larger than 1 MB, the most an evidence rules file may be"), "{err}");
        // A device has no size in its metadata and never ends: the limit still stops it.
        let err = read_limited(Path::new("/dev/zero"), NATIONAL_LIMIT).unwrap_err().to_string();
        assert!(err.contains("/dev/zero is larger than 1 MB, the most a national figures file may be"), "{err}");
        let err = read_text_limited(&dir.path().join("missing.txt"), RULES_LIMIT).unwrap_err().to_string();
        assert!(err.contains("missing.txt could not be read: it does not exist"), "{err}");
        fs::write(&small, b"ab\xffcd").unwrap();
        let err = read_text_limited(&small, RULES_LIMIT).unwrap_err().to_string();
        assert!(err.contains("small.txt is not UTF-8 text (byte 3 is not valid)"), "{err}");
    }

    #[test]
    fn a_capped_stream_stops_at_its_total_and_at_each_piece() {
        let mut capped = Capped::new(io::BufReader::with_capacity(7, io::repeat(b'x')), 100, 30);
        for _ in 0..3 {
            capped.start_piece();
            let mut buf = [0u8; 20];
            assert!(capped.read(&mut buf).unwrap() > 0, "each piece starts with room again");
        }
        assert_eq!(capped.exceeded(), None);
        let mut all = Vec::new();
        assert!(capped.read_to_end(&mut all).is_err(), "an endless piece is stopped");
        assert_eq!(capped.exceeded(), Some(Exceeded::Piece));
        assert!(all.len() <= 30, "{}", all.len());

        let mut capped = Capped::new(io::BufReader::new(io::repeat(b'x')), 100, 30);
        let mut total = 0;
        let failed = loop {
            capped.start_piece();
            let mut buf = [0u8; 16];
            match capped.read(&mut buf) {
                Ok(n) => total += n,
                Err(_) => break true,
            }
        };
        assert!(failed && total == 100, "{total}");
        assert_eq!(capped.exceeded(), Some(Exceeded::Total));

        // A stream that ends exactly at the limit is not past it.
        let mut exact = Capped::new(&[b'y'; 100][..], 100, 100);
        let mut all = Vec::new();
        exact.read_to_end(&mut all).unwrap();
        assert_eq!((all.len(), exact.exceeded()), (100, None));
    }
}
