//! What the app holds between commands: where the school's data lives and the open store.

use std::path::PathBuf;
use std::sync::{Mutex, MutexGuard};

use senco_core::store::{default_database_path, demo_database_path};
use senco_core::school::School;
use senco_core::{Error, Store};

pub struct AppState {
    data_dir: PathBuf,
    /// The open school, if any. Commands hold the lock only inside one synchronous core
    /// call, never across an `.await`.
    store: Mutex<Option<Store>>,
}

impl AppState {
    pub fn new(data_dir: PathBuf) -> AppState {
        AppState { data_dir, store: Mutex::new(None) }
    }

    pub fn school_path(&self) -> PathBuf {
        default_database_path(&self.data_dir)
    }

    pub fn demo_path(&self) -> PathBuf {
        demo_database_path(&self.data_dir)
    }

    pub fn slot(&self) -> MutexGuard<'_, Option<Store>> {
        // A panic inside a command must not lock the SENCO out for the rest of the session.
        self.store.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Makes `store` the open school, closing any other, and returns its details.
    pub fn keep_open(&self, store: Store) -> School {
        let school = store.school().clone();
        *self.slot() = Some(store);
        school
    }

    /// Runs `action` on the open store, or says that no school is open.
    pub fn with_store<T>(&self, action: impl FnOnce(&mut Store) -> senco_core::Result<T>) -> senco_core::Result<T> {
        let mut slot = self.slot();
        let store = slot.as_mut().ok_or(Error::Locked)?;
        action(store)
    }
}
