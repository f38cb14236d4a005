//! What the app holds between commands: where the school's data lives and the open store.
//!
//! A school can be opened in the background while the window loads (`--demo` at start-up):
//! its key derivation then overlaps the webview's start instead of delaying the window.
//! Every command first waits for that opening to finish (`settle`), so none ever sees a
//! half-opened state.

use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, MutexGuard};
use std::thread::JoinHandle;

use senco_core::store::{default_database_path, demo_database_path};
use senco_core::school::School;
use senco_core::{Error, Store};

/// Who acts through the app, for the audit trail: the app and the computer account.
pub fn app_actor() -> String {
    let user = std::env::var("USER").or_else(|_| std::env::var("LOGNAME")).or_else(|_| std::env::var("USERNAME")).unwrap_or_else(|_| "unknown account".into());
    format!("SENCO Toolkit app ({user})")
}

pub struct AppState {
    data_dir: PathBuf,
    /// The open school, if any. Commands hold the lock only inside one synchronous core
    /// call, never across an `.await`.
    store: Mutex<Option<Store>>,
    /// A school being opened in the background, if any.
    opening: Mutex<Option<JoinHandle<senco_core::Result<Store>>>>,
    /// Why the background opening failed, until `app_state` reports it.
    start_error: Mutex<Option<Error>>,
    /// The MIS file the import wizard last previewed, until it is applied.
    staged: Mutex<Option<Staged>>,
    /// Set by `import_cancel`; a running apply stops and rolls back when it sees it.
    cancel: AtomicBool,
}

/// An MIS file read for the import wizard, with the fingerprint of the plan it showed.
#[derive(Clone)]
pub struct Staged {
    pub name: String,
    pub parsed: senco_core::import::Parsed,
    pub fingerprint: String,
}

impl AppState {
    pub fn new(data_dir: PathBuf) -> AppState {
        senco_core::store::set_process_actor(&app_actor());
        AppState {
            data_dir,
            store: Mutex::new(None),
            opening: Mutex::new(None),
            start_error: Mutex::new(None),
            staged: Mutex::new(None),
            cancel: AtomicBool::new(false),
        }
    }

    /// Starts opening a school on another thread; the next command waits for it.
    pub fn open_in_background(&self, open: impl FnOnce() -> senco_core::Result<Store> + Send + 'static) {
        *self.opening.lock().unwrap_or_else(|p| p.into_inner()) = Some(std::thread::spawn(open));
    }

    /// Waits for a background opening and keeps the school it opened. The `opening` lock is
    /// held until the school is in place, so a command that arrives meanwhile waits too and
    /// never sees the app with no school; a failure is kept for `take_start_error`.
    pub fn settle(&self) {
        let mut opening = self.opening.lock().unwrap_or_else(|p| p.into_inner());
        let Some(handle) = opening.take() else { return };
        let outcome = handle.join().unwrap_or_else(|_| Err(Error::Refused("the school could not be opened at start-up".into())));
        match outcome {
            Ok(mut store) => {
                let _ = store.set_actor(&app_actor());
                *self.store.lock().unwrap_or_else(|p| p.into_inner()) = Some(store)
            }
            Err(error) => *self.start_error.lock().unwrap_or_else(|p| p.into_inner()) = Some(error),
        }
    }

    /// Why the school could not be opened at start-up, once.
    pub fn take_start_error(&self) -> Option<Error> {
        self.settle();
        self.start_error.lock().unwrap_or_else(|p| p.into_inner()).take()
    }

    pub fn school_path(&self) -> PathBuf {
        default_database_path(&self.data_dir)
    }

    pub fn data_dir(&self) -> &std::path::Path {
        &self.data_dir
    }

    pub fn demo_path(&self) -> PathBuf {
        demo_database_path(&self.data_dir)
    }

    /// Where backups go when the SENCO has chosen no folder: the data folder's `backups`.
    pub fn backup_fallback(&self) -> PathBuf {
        self.data_dir.join("backups")
    }

    /// Backs the open school up if an automatic backup is due (daily), or `always` (when
    /// the app closes). A demo school is never backed up. A failure is remembered by the
    /// core for the worklist.
    pub fn automatic_backup(&self, always: bool) {
        let fallback = self.backup_fallback();
        let mut slot = self.slot();
        let Some(store) = slot.as_mut() else { return };
        if store.school().is_demo {
            return;
        }
        let stamp = crate::commands::now();
        if always || store.backup_due(stamp.at).unwrap_or(false) {
            if let Err(error) = store.backup_to_folder(&fallback, stamp) {
                eprintln!("automatic backup: {error}");
            }
        }
    }

    pub fn slot(&self) -> MutexGuard<'_, Option<Store>> {
        // A background opening that failed is reported by `app_state`; here it leaves no
        // school open, which every command already handles.
        self.settle();
        // A panic inside a command must not lock the SENCO out for the rest of the session.
        self.store.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Makes `store` the open school, closing any other, and returns its details.
    /// Keeps the school open. First the app's own folders are cleared of what an export or
    /// a write killed part-way left (`Store::recover_exports`, `files::clear_abandoned_temporaries`).
    pub fn keep_open(&self, mut store: Store) -> School {
        let _ = store.set_actor(&app_actor());
        let exports = self.data_dir.join("exports");
        store.recover_exports(&exports);
        for folder in [self.data_dir.clone(), exports, self.backup_fallback()] {
            senco_core::files::clear_abandoned_temporaries(&folder);
        }
        let school = store.school().clone();
        *self.slot() = Some(store);
        school
    }

    pub fn stage(&self, staged: Option<Staged>) {
        *self.staged.lock().unwrap_or_else(|p| p.into_inner()) = staged;
    }

    pub fn staged(&self) -> Option<Staged> {
        self.staged.lock().unwrap_or_else(|p| p.into_inner()).clone()
    }

    pub fn cancel_import(&self, cancel: bool) {
        self.cancel.store(cancel, Ordering::SeqCst);
    }

    pub fn import_cancelled(&self) -> bool {
        self.cancel.load(Ordering::SeqCst)
    }

    /// Runs `action` on the open store, or says that no school is open.
    pub fn with_store<T>(&self, action: impl FnOnce(&mut Store) -> senco_core::Result<T>) -> senco_core::Result<T> {
        let mut slot = self.slot();
        let store = slot.as_mut().ok_or(Error::Locked)?;
        action(store)
    }
}
