//! The desktop shell: starts Tauri, holds the open school in `AppState`, and lists every
//! command in one handler.
//!
//! Invariant: no SQL, no business rules and no layout here. Commands take their state and
//! arguments, call one `senco_core` function and map its error (see `commands`).

pub mod commands;
pub mod error;
pub mod state;

use std::path::PathBuf;

use tauri::{Manager, Runtime};

pub use state::AppState;

/// Registers state and commands on a builder. `main` passes the real builder; the IPC tests
/// pass `tauri::test::mock_builder()` and a temporary data directory.
pub fn app<R: Runtime>(builder: tauri::Builder<R>, data_dir: Option<PathBuf>) -> tauri::Builder<R> {
    let builder = match data_dir.or_else(data_dir_from_environment) {
        Some(dir) => builder.manage(state_for(dir)),
        None => builder,
    };
    let builder = builder.setup(|app| {
        // Tauri knows the app data directory only once the app exists.
        if app.try_state::<AppState>().is_none() {
            let dir = app.path().app_data_dir()?;
            app.manage(state_for(dir));
        }
        open_main_window(app)?;
        Ok(())
    });
    builder.invoke_handler(tauri::generate_handler![
        commands::school::app_state,
        commands::school::open_demo,
        commands::school::create_school,
        commands::school::unlock,
        commands::school::unlock_with_recovery_key,
        commands::school::close_school,
        commands::school::read_date,
        commands::school::startup_finished,
        commands::pupils::need_types,
        commands::pupils::vocabulary,
        commands::pupils::register_page,
        commands::pupils::pupil_get,
        commands::pupils::pupil_add,
        commands::pupils::pupil_update,
        commands::pupils::pupil_set_status,
        commands::pupils::pupil_preview_status,
        commands::pupils::pupil_preview_need,
        commands::pupils::pupil_preview_leave,
        commands::pupils::pupil_add_need,
        commands::pupils::pupil_end_need,
        commands::pupils::pupil_leave,
        commands::pupils::pupil_readmit,
        commands::pupils::pupil_cancel_leaving,
        commands::support::catalogues,
        commands::support::catalogue_add_item,
        commands::support::catalogue_load,
        commands::support::library,
        commands::support::intervention_save,
        commands::support::role_set_rates,
        commands::support::threshold_set,
        commands::support::worklist,
        commands::support::cycles,
        commands::support::cycle_assess,
        commands::support::cycle_plan,
        commands::support::cycle_deliver,
        commands::support::cycle_review,
        commands::support::cycle_amend,
        commands::support::group_session,
        commands::support::rosters,
        commands::support::meetings,
        commands::support::meeting_add,
        commands::support::involvements,
        commands::support::involvement_add,
        commands::support::recommendation_acted,
        commands::support::report_attach,
        commands::support::report_save_copy,
        commands::support::report_check,
        commands::support::pack_readiness,
        commands::support::requests,
        commands::support::request_add,
        commands::support::request_step,
        commands::support::request_exception,
        commands::support::pack_build,
        commands::support::family_summary,
        commands::support::consents,
        commands::support::consent_add,
        commands::support::consent_withdraw,
        commands::support::training,
        commands::support::training_add,
        commands::support::annual_review,
        commands::support::annual_review_start,
        commands::support::annual_review_step,
        commands::support::profile,
        commands::support::profile_save,
        commands::support::provision_map,
        commands::support::provision_map_export,
        commands::governors::governor_summary,
        commands::governors::governor_export,
        commands::governors::budget_set,
        commands::governors::duties_set,
        commands::import::import_setup,
        commands::import::import_headings,
        commands::import::import_profile_save,
        commands::import::import_preview,
        commands::import::import_apply,
        commands::import::import_cancel,
        commands::import::reconciliation,
        commands::import::reconciliation_export,
        commands::care::care_settings,
        commands::care::lock_setting,
        commands::care::lock_minutes_set,
        commands::care::retention_years_set,
        commands::care::backup_settings_save,
        commands::care::backup_status,
        commands::care::backup_now,
        commands::care::restore_preview,
        commands::care::restore_apply,
        commands::care::backups_found,
        commands::care::audit_list,
        commands::care::audit_export,
        commands::care::purge_list,
        commands::care::erasure_count,
        commands::care::erase,
        commands::care::subject_access,
    ])
}

/// Opens the main window (declared in tauri.conf.json with `"create": false`) with the
/// webview's own data (WebKit's caches and storage) in the cache folder, apart from the
/// school's files: backing up the data folder then means exactly the school.
fn open_main_window<R: Runtime>(app: &mut tauri::App<R>) -> tauri::Result<()> {
    let Some(config) = app.config().app.windows.iter().find(|w| w.label == "main" && !w.create).cloned() else {
        return Ok(());
    };
    let webview_data = app.path().app_cache_dir()?.join("webview");
    tauri::WebviewWindowBuilder::from_config(app.handle(), &config)?.data_directory(webview_data).build()?;
    Ok(())
}

/// `senco-toolkit --demo` opens straight onto the demo school (the README's first command).
fn state_for(dir: PathBuf) -> AppState {
    // The data folder holds only this app's files: only its owner may open it, even if an
    // older version made it readable by others.
    if dir.exists() {
        if let Err(error) = senco_core::files::make_private(&dir, true) {
            eprintln!("{error}");
        }
    }
    let state = AppState::new(dir);
    if std::env::args().skip(1).any(|arg| arg == "--demo") {
        // Derive the key and open while the window and the webview start.
        let path = state.demo_path();
        state.open_in_background(move || commands::school::demo_store(&path));
    }
    state
}

/// `SENCO_DATA_DIR` points the app at another data directory: the end-to-end tests start
/// each run on an empty one, and IT staff can keep the data on another disk.
fn data_dir_from_environment() -> Option<PathBuf> {
    senco_core::store::data_dir_override(|name| std::env::var_os(name))
}

pub fn run() {
    prefer_simple_rendering();
    let app = app(tauri::Builder::default(), None)
        // A backup when the window closes: the day's work is on the stick before the lid shuts.
        .on_window_event(|window, event| {
            if let tauri::WindowEvent::CloseRequested { .. } = event {
                if let Some(state) = window.try_state::<AppState>() {
                    state.automatic_backup(true);
                }
            }
        })
        .build(tauri::generate_context!())
        .expect("the SENCO Toolkit window could not start");
    // The daily backup: checked a minute after start and every quarter of an hour after,
    // so a school unlocked in the morning is backed up soon after.
    let handle = app.handle().clone();
    std::thread::spawn(move || loop {
        std::thread::sleep(std::time::Duration::from_secs(60));
        if let Some(state) = handle.try_state::<AppState>() {
            state.automatic_backup(false);
        }
        std::thread::sleep(std::time::Duration::from_secs(14 * 60));
    });
    app.run(|_, _| {});
}

/// On Linux, asks WebKitGTK not to composite the page on the GPU, unless IT staff have set
/// `WEBKIT_DISABLE_COMPOSITING_MODE` themselves. The app is forms and tables with no
/// animation, so compositing gains nothing, and where the GPU path is software (old laptops,
/// virtual machines, a display without acceleration) each frame of the register took about
/// 180 ms instead of 20. Called before the window exists; the start-up benchmark's blank
/// window calls it too, so the two are measured alike. The webview test sets the variable
/// to 0, because WebKitWebDriver's screenshots need compositing.
pub fn prefer_simple_rendering() {
    #[cfg(target_os = "linux")]
    if std::env::var_os("WEBKIT_DISABLE_COMPOSITING_MODE").is_none() {
        // Before any thread is started: nothing else reads the environment yet.
        std::env::set_var("WEBKIT_DISABLE_COMPOSITING_MODE", "1");
    }
}
