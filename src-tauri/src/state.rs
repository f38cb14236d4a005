//! What the app holds between commands: where the school's data lives and the open store.
//!
//! A school can be opened in the background while the window loads (`--demo` at start-up):
//! its key derivation then overlaps the webview's start instead of delaying the window.
//! Every command first waits for that opening to finish (`settle`), so none ever sees a
//! half-opened state.

use std::path::PathBuf;
use std::sync::{Mutex, MutexGuard};
use std::thread::JoinHandle;

use senco_core::store::{default_database_path, demo_database_path};
use senco_core::school::School;
use senco_core::{Error, Store};

pub struct AppState {
    data_dir: PathBuf,
    /// The open school, if any. Commands hold the lock only inside one synchronous core
    /// call, never across an `.await`.
    store: Mutex<Option<Store>>,
    /// A school being opened in the background, if any.
    opening: Mutex<Option<JoinHandle<senco_core::Result<Store>>>>,
}

impl AppState {
    pub fn new(data_dir: PathBuf) -> AppState {
        AppState { data_dir, store: Mutex::new(None), opening: Mutex::new(None) }
    }

    /// Starts opening a school on another thread; the next command waits for it.
    pub fn open_in_background(&self, open: impl FnOnce() -> senco_core::Result<Store> + Send + 'static) {
        *self.opening.lock().unwrap_or_else(|p| p.into_inner()) = Some(std::thread::spawn(open));
    }

    /// Waits for a background opening, keeps the school it opened, and hands back its error
    /// once if it failed.
    pub fn settle(&self) -> senco_core::Result<()> {
        let Some(opening) = self.opening.lock().unwrap_or_else(|p| p.into_inner()).take() else { return Ok(()) };
        match opening.join() {
            Ok(Ok(store)) => {
                *self.store.lock().unwrap_or_else(|p| p.into_inner()) = Some(store);
                Ok(())
            }
            Ok(Err(error)) => Err(error),
            Err(_) => Err(Error::Refused("the school could not be opened at start-up".into())),
        }
    }

    pub fn school_path(&self) -> PathBuf {
        default_database_path(&self.data_dir)
    }

    pub fn demo_path(&self) -> PathBuf {
        demo_database_path(&self.data_dir)
    }

    pub fn slot(&self) -> MutexGuard<'_, Option<Store>> {
        // A background opening that failed is reported by `app_state`; here it leaves no
        // school open, which every command already handles.
        let _ = self.settle();
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
