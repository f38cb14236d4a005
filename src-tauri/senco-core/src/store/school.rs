//! The `school` table (one row: the school the database belongs to), and resetting the
//! passphrase with the recovery key.

use std::path::Path;

use rusqlite::{params, Connection};

use crate::error::{Error, Result};
use crate::keys::{key_file_path, KeyFile};
use crate::school::{check_passphrase, Phase, School};
use crate::Stamp;

use super::{audit, Store};

impl Store {
    /// Unlocks with the recovery key and sets a new passphrase. The recovery key stays valid.
    /// The audit row and the new key file are written together: if the key file cannot be
    /// written, the audit row is rolled back and the old passphrase still works.
    pub fn reset_passphrase(path: &Path, recovery_key: &str, new_passphrase: &str, again: &str, stamp: Stamp) -> Result<Store> {
        super::backup::finish_interrupted_restore(path)?;
        let keys_path = key_file_path(path);
        let mut key_file = KeyFile::read(&keys_path)?;
        key_file.check_belongs_to(path, &keys_path)?;
        let data_key = key_file.unlock_with_recovery_key(recovery_key)?;
        let mut store = Store::open_with_key(path, &data_key, key_file.knows_its_database())?;
        let context = [store.school.name.as_str(), store.school.urn.as_str(), "senco", "school", "toolkit", "kent"];
        check_passphrase(new_passphrase, again, &context).map_err(|p| Error::Invalid(vec![p]))?;
        if !key_file.knows_its_database() {
            key_file.bind_to(path)?;
        }
        key_file.set_passphrase(&data_key, new_passphrase)?;
        let tx = store.begin(stamp)?;
        audit::record(&tx, stamp, "reset-passphrase", "school", None, "set a new passphrase with the recovery key")?;
        key_file.write(&keys_path)?;
        tx.commit()?;
        Ok(store)
    }
}

pub(super) fn insert(conn: &Connection, school: &School, stamp: Stamp) -> Result<()> {
    conn.execute(
        "INSERT INTO school (id, name, urn, la_code, establishment_number, phase, is_demo, created_at)
         VALUES (1, ?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![
            school.name,
            school.urn,
            school.la_code,
            school.establishment_number,
            school.phase,
            school.is_demo,
            stamp.at.format("%Y-%m-%dT%H:%M:%S").to_string(),
        ],
    )?;
    Ok(())
}

pub(super) fn load(conn: &Connection) -> Result<School> {
    Ok(conn.query_row(
        "SELECT name, urn, la_code, establishment_number, phase, is_demo FROM school WHERE id = 1",
        [],
        |r| {
            Ok(School {
                name: r.get(0)?,
                urn: r.get(1)?,
                la_code: r.get(2)?,
                establishment_number: r.get(3)?,
                phase: r.get(4)?,
                is_demo: r.get(5)?,
            })
        },
    )?)
}

code_column!(Phase, "phase");

/// How long the app waits, with nobody using it, before it locks.
pub const LOCK_MINUTES_DEFAULT: u32 = 10;
pub const LOCK_MINUTES_MIN: u32 = 1;
pub const LOCK_MINUTES_MAX: u32 = 60;
const LOCK_MINUTES: &str = "lock_minutes";

/// The idle lock's setting with its bounds, for the settings form.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct LockSetting {
    pub minutes: u32,
    pub default_minutes: u32,
    pub min_minutes: u32,
    pub max_minutes: u32,
}

impl Store {
    pub fn lock_setting(&self) -> Result<LockSetting> {
        let minutes = self.setting(LOCK_MINUTES)?.and_then(|m| m.parse().ok()).filter(|m| (LOCK_MINUTES_MIN..=LOCK_MINUTES_MAX).contains(m)).unwrap_or(LOCK_MINUTES_DEFAULT);
        Ok(LockSetting { minutes, default_minutes: LOCK_MINUTES_DEFAULT, min_minutes: LOCK_MINUTES_MIN, max_minutes: LOCK_MINUTES_MAX })
    }

    /// Sets how many idle minutes lock the app.
    pub fn set_lock_minutes(&mut self, minutes: u32, stamp: Stamp) -> Result<LockSetting> {
        if !(LOCK_MINUTES_MIN..=LOCK_MINUTES_MAX).contains(&minutes) {
            return Err(Error::invalid("minutes", format!("lock after between {LOCK_MINUTES_MIN} and {LOCK_MINUTES_MAX} minutes with nobody using it")));
        }
        let tx = self.begin(stamp)?;
        super::backup::put_setting(&tx, LOCK_MINUTES, Some(&minutes.to_string()))?;
        audit::record(&tx, stamp, "set-lock", "setting", None, &format!("the app locks after {minutes} idle minutes"))?;
        tx.commit()?;
        self.lock_setting()
    }
}
