//! Envelope encryption for a school's database.
//!
//! A random 256-bit data key keys SQLCipher. It is never stored in the clear: the key file
//! beside the database holds it twice, wrapped (XChaCha20-Poly1305) under a key derived
//! with Argon2id from the passphrase, and again under one derived from the recovery key.
//! So a wrong passphrase fails the authentication tag and changes nothing, a new passphrase
//! re-wraps the same data key without re-encrypting the database, and a backup that copies
//! the database with its key file can be opened with either secret.
//!
//! The key file is a compatibility boundary: it is written field by field with a
//! `schema_version`, never as a dump of these types. It also records the database's
//! SQLCipher salt (the file's first 16 bytes, which are not secret), so a key file put beside
//! the wrong database is named as such instead of looking like damage. Its cost parameters
//! are bounded, so a damaged or hostile key file cannot make opening hang or abort.

use std::fs;
use std::path::{Path, PathBuf};

use argon2::{Algorithm, Argon2, Params, Version};
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use rand::rngs::OsRng;
use rand::RngCore;
use serde_json::{json, Value};
use zeroize::Zeroizing;

use crate::error::{file_error, Error, Result};
use crate::files;

/// The passphrase that opens synthetic demo schools. Demo data is not secret.
pub const DEMO_PASSPHRASE: &str = "demo school: synthetic pupils only";

/// The shortest passphrase a school may choose.
pub const MIN_PASSPHRASE_CHARS: usize = 10;

const KEY_FILE_FORMAT: &str = "senco-toolkit-keys";
/// A key file is well under 1 KiB; anything far larger is not one.
const MAX_KEY_FILE_BYTES: u64 = 64 * 1024;
const KEY_FILE_VERSION: i64 = 1;
const PASSPHRASE_AAD: &[u8] = b"senco-toolkit keys v1: passphrase slot";
const RECOVERY_AAD: &[u8] = b"senco-toolkit keys v1: recovery slot";
/// Letters and digits that cannot be misread for each other when copied by hand.
const RECOVERY_ALPHABET: &[u8; 32] = b"ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
const RECOVERY_CHARS: usize = 25;

/// Argon2id cost. 64 MiB and 3 passes is OWASP's first recommended setting.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KdfCost {
    pub memory_kib: u32,
    pub iterations: u32,
    pub parallelism: u32,
}

impl KdfCost {
    pub const DEFAULT: KdfCost = KdfCost { memory_kib: 64 * 1024, iterations: 3, parallelism: 1 };

    /// The demo school's cost: 4 MiB and 1 pass. Its passphrase is printed in the app and
    /// the README ([`DEMO_PASSPHRASE`]), so a slow derivation would protect nothing; on a
    /// 2-core laptop the default's quarter of a second competes with the window's start.
    pub const DEMO: KdfCost = KdfCost { memory_kib: 4 * 1024, iterations: 1, parallelism: 1 };

    /// The most a key file may ask for: 1 GiB of memory, 10 passes, 8 lanes. More would make
    /// a school laptop run out of memory or appear to hang.
    const MAX: KdfCost = KdfCost { memory_kib: 1024 * 1024, iterations: 10, parallelism: 8 };

    /// Why this cost is unusable, if it is.
    fn problem(self) -> Option<String> {
        if self.parallelism == 0 || self.parallelism > KdfCost::MAX.parallelism {
            return Some(format!("it asks for {} lanes of key derivation (1 to {} are allowed)", self.parallelism, KdfCost::MAX.parallelism));
        }
        if self.memory_kib < 8 * self.parallelism || self.memory_kib > KdfCost::MAX.memory_kib {
            return Some(format!(
                "it asks for {} KiB of memory for key derivation (at most {} KiB is allowed)",
                self.memory_kib,
                KdfCost::MAX.memory_kib
            ));
        }
        if self.iterations == 0 || self.iterations > KdfCost::MAX.iterations {
            return Some(format!("it asks for {} passes of key derivation (1 to {} are allowed)", self.iterations, KdfCost::MAX.iterations));
        }
        None
    }
}

/// The first 16 bytes of a SQLCipher database: its salt, stored in the clear.
pub type DatabaseSalt = [u8; 16];

/// Reads a database's salt, or `None` if the file is shorter than that.
pub fn database_salt(database: &Path) -> Result<Option<DatabaseSalt>> {
    use std::io::Read;
    let mut file = fs::File::open(database).map_err(file_error(database, "open"))?;
    let mut salt = [0u8; 16];
    match file.read_exact(&mut salt) {
        Ok(()) => Ok(Some(salt)),
        Err(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => Ok(None),
        Err(e) => Err(file_error(database, "read")(e)),
    }
}

/// The key SQLCipher uses. Wiped from memory when dropped.
#[derive(Clone)]
pub struct DataKey(Zeroizing<[u8; 32]>);

impl DataKey {
    fn random() -> DataKey {
        let mut bytes = Zeroizing::new([0u8; 32]);
        OsRng.fill_bytes(bytes.as_mut());
        DataKey(bytes)
    }

    /// The raw-key form of `PRAGMA key`, which skips SQLCipher's own key derivation.
    pub(crate) fn sqlcipher_pragma_value(&self) -> Zeroizing<String> {
        Zeroizing::new(format!("x'{}'", hex(self.0.as_ref())))
    }

    /// The raw key with the database's salt: a new database keyed so gets that salt
    /// instead of a random one, so a copy made with the backup API matches its key file.
    pub(crate) fn sqlcipher_pragma_value_with_salt(&self, salt: &DatabaseSalt) -> Zeroizing<String> {
        Zeroizing::new(format!("x'{}{}'", hex(self.0.as_ref()), hex(salt)))
    }
}

/// The recovery key, shown to the SENCO once, as five groups of five characters.
pub struct RecoveryKey(Zeroizing<String>);

impl RecoveryKey {
    fn random() -> RecoveryKey {
        let mut text = String::with_capacity(RECOVERY_CHARS + 4);
        let mut bytes = [0u8; RECOVERY_CHARS];
        OsRng.fill_bytes(&mut bytes);
        for (i, b) in bytes.iter().enumerate() {
            if i > 0 && i % 5 == 0 {
                text.push('-');
            }
            text.push(char::from(RECOVERY_ALPHABET[usize::from(b % 32)]));
        }
        RecoveryKey(Zeroizing::new(text))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// What the recovery key is checked against: upper case, no spaces or dashes.
    fn normalised(text: &str) -> Zeroizing<String> {
        Zeroizing::new(
            text.chars()
                .filter(|c| c.is_ascii_alphanumeric())
                .map(|c| c.to_ascii_uppercase())
                .collect(),
        )
    }
}

struct Slot {
    salt: [u8; 16],
    nonce: [u8; 24],
    wrapped_key: Vec<u8>,
}

/// The contents of a school's key file.
pub struct KeyFile {
    cost: KdfCost,
    passphrase: Slot,
    recovery: Slot,
    /// The salt of the database this key file belongs to; absent in files from before it
    /// was recorded.
    database_salt: Option<DatabaseSalt>,
    /// The school's name, so the unlock screen can say which school it opens. A school's
    /// name is public; nothing about a pupil is ever here.
    school_name: Option<String>,
}

impl KeyFile {
    /// Makes a new data key and wraps it under both secrets.
    pub fn create(passphrase: &str, cost: KdfCost) -> Result<(KeyFile, DataKey, RecoveryKey)> {
        let data_key = DataKey::random();
        let recovery_key = RecoveryKey::random();
        let passphrase_slot = wrap(&data_key, passphrase.as_bytes(), PASSPHRASE_AAD, cost)?;
        let recovery_slot = wrap(
            &data_key,
            RecoveryKey::normalised(recovery_key.as_str()).as_bytes(),
            RECOVERY_AAD,
            cost,
        )?;
        let file = KeyFile { cost, passphrase: passphrase_slot, recovery: recovery_slot, database_salt: None, school_name: None };
        Ok((file, data_key, recovery_key))
    }

    pub fn unlock_with_passphrase(&self, passphrase: &str) -> Result<DataKey> {
        unwrap(&self.passphrase, passphrase.as_bytes(), PASSPHRASE_AAD, self.cost)
            .ok_or(Error::WrongPassphrase)
    }

    pub fn unlock_with_recovery_key(&self, recovery_key: &str) -> Result<DataKey> {
        let normalised = RecoveryKey::normalised(recovery_key);
        unwrap(&self.recovery, normalised.as_bytes(), RECOVERY_AAD, self.cost)
            .ok_or(Error::WrongRecoveryKey)
    }

    /// Wraps the same data key under a new passphrase; the recovery key stays valid.
    pub fn set_passphrase(&mut self, data_key: &DataKey, new_passphrase: &str) -> Result<()> {
        self.passphrase = wrap(data_key, new_passphrase.as_bytes(), PASSPHRASE_AAD, self.cost)?;
        Ok(())
    }

    /// Ties this key file to the database at `database`, by its salt.
    pub fn bind_to(&mut self, database: &Path) -> Result<()> {
        self.database_salt = database_salt(database)?;
        Ok(())
    }

    /// Refuses a key file that belongs to another database. Files that predate the
    /// recorded salt pass, and the database's own checks decide.
    pub fn check_belongs_to(&self, database: &Path, key_file: &Path) -> Result<()> {
        match (self.database_salt, database_salt(database)?) {
            (Some(recorded), Some(found)) if recorded != found => Err(Error::KeyFileMismatch {
                database: database.to_path_buf(),
                key_file: key_file.to_path_buf(),
            }),
            _ => Ok(()),
        }
    }

    pub fn set_school_name(&mut self, name: &str) {
        self.school_name = Some(name.to_string());
    }

    /// The name of the school this key file opens, if it records one.
    pub fn school_name(&self) -> Option<&str> {
        self.school_name.as_deref()
    }

    /// Whether this key file records which database it belongs to.
    pub fn knows_its_database(&self) -> bool {
        self.database_salt.is_some()
    }

    pub fn read(path: &Path) -> Result<KeyFile> {
        let damaged = |reason: &str| Error::NotASchoolDatabase {
            path: path.to_path_buf(),
            reason: format!("this key file is damaged or is not a SENCO Toolkit key file: {reason}"),
        };
        let metadata = fs::metadata(path).map_err(file_error(path, "read the key file"))?;
        if metadata.is_dir() {
            return Err(damaged("it is a folder, not a file"));
        }
        if !metadata.is_file() || metadata.len() > MAX_KEY_FILE_BYTES {
            return Err(damaged("it is not an ordinary file the size of a key file"));
        }
        let mut bytes = Vec::new();
        std::io::Read::read_to_end(&mut std::io::Read::take(fs::File::open(path).map_err(file_error(path, "read the key file"))?, MAX_KEY_FILE_BYTES + 1), &mut bytes)
            .map_err(file_error(path, "read the key file"))?;
        if bytes.len() as u64 > MAX_KEY_FILE_BYTES {
            return Err(damaged("it is far larger than a key file"));
        }
        let text = String::from_utf8(bytes).map_err(|_| damaged("it is not text"))?;
        let mut value: Value = serde_json::from_str(&text).map_err(|_| damaged("it is not JSON"))?;
        // A changed byte that still reads as JSON would otherwise look like a wrong secret.
        if let Some(check) = value.as_object_mut().and_then(|fields| fields.remove("check")) {
            if check.as_str() != Some(checksum(&value).as_str()) {
                return Err(damaged("its contents have been changed or damaged since it was written"));
            }
        }
        if value["format"] != KEY_FILE_FORMAT {
            return Err(damaged("it does not say it is one"));
        }
        let version = value["schema_version"].as_i64().ok_or_else(|| damaged("it has no schema_version"))?;
        if version > KEY_FILE_VERSION {
            return Err(Error::NewerDatabase { found: version, supported: KEY_FILE_VERSION });
        }
        let number = |v: &Value, field: &str| {
            v[field].as_u64().and_then(|n| u32::try_from(n).ok()).ok_or_else(|| damaged(&format!("kdf.{field} is not a number")))
        };
        let kdf = &value["kdf"];
        if kdf["algorithm"] != "argon2id" {
            return Err(damaged("it names an unknown key derivation"));
        }
        let cost = KdfCost {
            memory_kib: number(kdf, "memory_kib")?,
            iterations: number(kdf, "iterations")?,
            parallelism: number(kdf, "parallelism")?,
        };
        if let Some(problem) = cost.problem() {
            return Err(damaged(&problem));
        }
        let slot = |name: &str| -> Result<Slot> {
            let v = &value[name];
            let field = |f: &str| {
                v[f].as_str().and_then(unhex).ok_or_else(|| damaged(&format!("{name}.{f} is missing or not hexadecimal")))
            };
            let wrapped_key = field("wrapped_key")?;
            if wrapped_key.len() != 48 {
                return Err(damaged(&format!("{name}.wrapped_key has the wrong length")));
            }
            Ok(Slot {
                salt: field("salt")?.try_into().map_err(|_| damaged(&format!("{name}.salt has the wrong length")))?,
                nonce: field("nonce")?.try_into().map_err(|_| damaged(&format!("{name}.nonce has the wrong length")))?,
                wrapped_key,
            })
        };
        let database_salt = match &value["database_salt"] {
            Value::Null => None,
            v => Some(
                v.as_str()
                    .and_then(unhex)
                    .and_then(|b| <DatabaseSalt>::try_from(b).ok())
                    .ok_or_else(|| damaged("database_salt is not 16 hexadecimal bytes"))?,
            ),
        };
        // A name that would not pass as a school's name is not shown.
        let school_name = value["school_name"]
            .as_str()
            .and_then(|name| crate::text::line("name", "school's name", name, crate::school::SCHOOL_NAME_MAX).ok())
            .filter(|name| !name.is_empty());
        Ok(KeyFile { cost, passphrase: slot("passphrase")?, recovery: slot("recovery")?, database_salt, school_name })
    }

    /// Writes the key file through a temporary file and a rename, so a crash part-way
    /// leaves the old file whole. The file is readable by its owner only.
    pub fn write(&self, path: &Path) -> Result<()> {
        let slot = |s: &Slot| {
            json!({ "salt": hex(&s.salt), "nonce": hex(&s.nonce), "wrapped_key": hex(&s.wrapped_key) })
        };
        let mut value = json!({
            "format": KEY_FILE_FORMAT,
            "schema_version": KEY_FILE_VERSION,
            "kdf": {
                "algorithm": "argon2id",
                "memory_kib": self.cost.memory_kib,
                "iterations": self.cost.iterations,
                "parallelism": self.cost.parallelism,
            },
            "cipher": "xchacha20poly1305",
            "passphrase": slot(&self.passphrase),
            "recovery": slot(&self.recovery),
        });
        if let Some(salt) = self.database_salt {
            value["database_salt"] = json!(hex(&salt));
        }
        if let Some(name) = &self.school_name {
            value["school_name"] = json!(name);
        }
        value["check"] = json!(checksum(&value));
        let text = serde_json::to_string_pretty(&value).expect("a JSON value serialises");
        files::write_atomically(path, text.as_bytes())
    }
}

/// Where the key file of a database lives: beside it, with `.keys` added to the name.
pub fn key_file_path(database: &Path) -> PathBuf {
    let mut name = database.file_name().unwrap_or_default().to_os_string();
    name.push(".keys");
    database.with_file_name(name)
}

fn derive(secret: &[u8], salt: &[u8], cost: KdfCost) -> Result<Zeroizing<[u8; 32]>> {
    let params = Params::new(cost.memory_kib, cost.iterations, cost.parallelism, Some(32))
        .map_err(|e| Error::Refused(format!("the key file asks for an unusable key derivation: {e}")))?;
    let mut out = Zeroizing::new([0u8; 32]);
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
        .hash_password_into(secret, salt, out.as_mut())
        .map_err(|e| Error::Refused(format!("the key could not be derived: {e}")))?;
    Ok(out)
}

fn wrap(data_key: &DataKey, secret: &[u8], aad: &[u8], cost: KdfCost) -> Result<Slot> {
    let mut salt = [0u8; 16];
    let mut nonce = [0u8; 24];
    OsRng.fill_bytes(&mut salt);
    OsRng.fill_bytes(&mut nonce);
    let kek = derive(secret, &salt, cost)?;
    let cipher = XChaCha20Poly1305::new(kek.as_ref().into());
    let wrapped_key = cipher
        .encrypt(XNonce::from_slice(&nonce), Payload { msg: data_key.0.as_ref(), aad })
        .expect("encrypting 32 bytes cannot fail");
    Ok(Slot { salt, nonce, wrapped_key })
}

fn unwrap(slot: &Slot, secret: &[u8], aad: &[u8], cost: KdfCost) -> Option<DataKey> {
    let kek = derive(secret, &slot.salt, cost).ok()?;
    let cipher = XChaCha20Poly1305::new(kek.as_ref().into());
    let plain = Zeroizing::new(
        cipher.decrypt(XNonce::from_slice(&slot.nonce), Payload { msg: &slot.wrapped_key, aad }).ok()?,
    );
    let bytes: [u8; 32] = plain.as_slice().try_into().ok()?;
    Some(DataKey(Zeroizing::new(bytes)))
}

/// A checksum of the key file's fields (FNV-1a, 64 bits, over their compact JSON with keys
/// sorted): it tells damage from a wrong secret. It is not a defence against someone who
/// edits the file on purpose; the authentication tags are.
fn checksum(value: &Value) -> String {
    let text = serde_json::to_string(value).expect("a JSON value serialises");
    let hash = text.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |hash, byte| (hash ^ u64::from(byte)).wrapping_mul(0x0000_0100_0000_01b3));
    format!("{hash:016x}")
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn unhex(text: &str) -> Option<Vec<u8>> {
    if !text.len().is_multiple_of(2) {
        return None;
    }
    (0..text.len()).step_by(2).map(|i| u8::from_str_radix(text.get(i..i + 2)?, 16).ok()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Cheap enough for unit tests; the real cost is exercised by the store tests.
    const TEST_COST: KdfCost = KdfCost { memory_kib: 64, iterations: 1, parallelism: 1 };

    #[test]
    fn both_secrets_unwrap_the_same_data_key_and_wrong_ones_do_not() {
        let (file, key, recovery) = KeyFile::create("correct horse battery", TEST_COST).unwrap();
        let original = key.sqlcipher_pragma_value();
        let by_passphrase = file.unlock_with_passphrase("correct horse battery").unwrap();
        assert_eq!(by_passphrase.sqlcipher_pragma_value(), original);
        let typed = recovery.as_str().to_lowercase().replace('-', " ");
        let by_recovery = file.unlock_with_recovery_key(&typed).unwrap();
        assert_eq!(by_recovery.sqlcipher_pragma_value(), original, "recovery key typed loosely still works");
        assert!(matches!(file.unlock_with_passphrase("correct horse battery!"), Err(Error::WrongPassphrase)));
        assert!(matches!(file.unlock_with_recovery_key("AAAAA-AAAAA"), Err(Error::WrongRecoveryKey)));
    }

    #[test]
    fn a_new_passphrase_replaces_the_old_and_survives_a_round_trip_through_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("school.senco.keys");
        let (mut file, key, recovery) = KeyFile::create("first passphrase", TEST_COST).unwrap();
        file.set_passphrase(&key, "second passphrase").unwrap();
        file.write(&path).unwrap();
        let reread = KeyFile::read(&path).unwrap();
        assert!(matches!(reread.unlock_with_passphrase("first passphrase"), Err(Error::WrongPassphrase)));
        assert!(reread.unlock_with_passphrase("second passphrase").is_ok());
        assert!(reread.unlock_with_recovery_key(recovery.as_str()).is_ok());
        let text = fs::read_to_string(&path).unwrap();
        assert!(!text.contains("second passphrase"), "the passphrase itself is never stored");
    }

    #[test]
    fn recovery_keys_are_five_groups_of_unambiguous_characters() {
        let key = RecoveryKey::random();
        let groups: Vec<&str> = key.as_str().split('-').collect();
        assert_eq!(groups.len(), 5);
        assert!(groups.iter().all(|g| g.len() == 5 && g.bytes().all(|b| RECOVERY_ALPHABET.contains(&b))));
    }

    #[test]
    fn a_changed_character_that_still_reads_is_named_as_damage_not_a_wrong_secret() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("school.senco.keys");
        let (file, _, _) = KeyFile::create("correct horse battery", TEST_COST).unwrap();
        file.write(&path).unwrap();
        let text = fs::read_to_string(&path).unwrap();
        let salt = text.split("\"salt\": \"").nth(1).unwrap()[..2].to_string();
        let flipped = if salt == "00" { "01" } else { "00" };
        fs::write(&path, text.replacen(&format!("\"salt\": \"{salt}"), &format!("\"salt\": \"{flipped}"), 1)).unwrap();
        let err = KeyFile::read(&path).err().unwrap();
        assert!(err.to_string().contains("changed or damaged"), "{err}");
    }

    #[test]
    fn a_damaged_key_file_is_named_as_such() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("x.keys");
        fs::write(&path, "{\"format\": \"something else\"}").unwrap();
        let err = KeyFile::read(&path).err().unwrap();
        assert!(err.to_string().contains("key file is damaged"), "{err}");
    }
}
