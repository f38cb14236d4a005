//! Everything a command needs from outside the core, read once: the database path, the
//! passphrase, the clock and the data folder. Commands get a `Context` and never read the
//! environment or the clock themselves.

use std::path::{Path, PathBuf};

use senco_core::store::{data_dir, default_database_path, demo_database_path};
use senco_core::{Error, Stamp, Store, Unlock};

use crate::args::Global;
use crate::output::{self, Failure};

pub struct Context {
    db: Option<PathBuf>,
    passphrase: Option<String>,
    data_dir: PathBuf,
    pub stamp: Stamp,
}

impl Context {
    pub fn new(global: &Global) -> Result<Context, Failure> {
        let now = chrono::Local::now().naive_local();
        // `--today` moves the school day; the moment of the action stays the real one.
        let stamp = Stamp { today: global.today.unwrap_or(now.date()), at: now };
        senco_core::store::set_process_actor(&actor());
        Ok(Context {
            db: global.db.clone(),
            passphrase: read_passphrase(global.passphrase_file.as_deref())?,
            data_dir: data_dir(|name| std::env::var_os(name)),
            stamp,
        })
    }

    /// The school database: `--db`, else the desktop app's.
    pub fn school_path(&self) -> PathBuf {
        self.db.clone().unwrap_or_else(|| default_database_path(&self.data_dir))
    }

    /// The demo school's database: `--db`, else the desktop app's demo school.
    pub fn demo_path(&self) -> PathBuf {
        self.db.clone().unwrap_or_else(|| demo_database_path(&self.data_dir))
    }

    /// A private folder for unpacking a backup to check it.
    pub fn scratch_dir(&self) -> PathBuf {
        self.data_dir.join("scratch")
    }

    pub fn passphrase(&self) -> Option<&str> {
        self.passphrase.as_deref()
    }

    /// The passphrase if one was given, else the demo school's fixed key.
    pub fn unlock(&self) -> Unlock<'_> {
        match self.passphrase() {
            Some(passphrase) => Unlock::Passphrase(passphrase),
            None => Unlock::Demo,
        }
    }

    /// Opens the school, saying so when it is the demo school. A demo school always opens
    /// with its fixed key, so a script that exported the real school's passphrase can still
    /// read a demo; a real school never opens with the demo key.
    pub fn open(&self) -> Result<Store, Failure> {
        let path = self.school_path();
        let store = match Store::open(&path, self.unlock()) {
            Err(Error::WrongPassphrase) => match Store::open(&path, Unlock::Demo) {
                Ok(demo) => demo,
                Err(_) => return Err(Error::WrongPassphrase.into()),
            },
            other => other?,
        };
        let mut store = store;
        store.set_actor(&actor())?;
        if store.school().is_demo {
            output::note("Demo school: synthetic pupils only, not real data.");
        }
        Ok(store)
    }
}

fn read_passphrase(file: Option<&Path>) -> Result<Option<String>, Failure> {
    if let Some(file) = file {
        let text = senco_core::files::read_text_limited(file, senco_core::files::SECRET_LIMIT)?;
        return Ok(Some(text.trim_end_matches(['\r', '\n']).to_string()));
    }
    Ok(std::env::var("SENCO_PASSPHRASE").ok().filter(|p| !p.is_empty()))
}

/// Who acts, for the audit trail: this program and the computer account.
fn actor() -> String {
    let user = std::env::var("USER").or_else(|_| std::env::var("LOGNAME")).or_else(|_| std::env::var("USERNAME")).unwrap_or_else(|_| "unknown account".into());
    format!("senco command line ({user})")
}
