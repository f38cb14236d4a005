//! The commands, as thin adapters: state and arguments in, one `senco_core` call, the error
//! mapped. Each is `#[tauri::command(async)]` so it runs off the UI thread.

pub mod care;
pub mod governors;
pub mod import;
pub mod pupils;
pub mod school;
pub mod support;

use senco_core::Stamp;

/// The shell reads the clock; the core is handed the moment.
pub(crate) fn now() -> Stamp {
    let now = chrono::Local::now();
    Stamp { today: now.date_naive(), at: now.naive_local() }
}
