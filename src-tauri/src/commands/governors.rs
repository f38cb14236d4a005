//! The governors' view: the summary with small numbers hidden, its charts, and its files.
//! Nothing here reaches a pupil's record; the core's `Published` summary is all it sees.

use serde::Serialize;
use senco_core::governors::{self, disclosure, report, OutputFormat, Published};
use tauri::State;
use ts_rs::TS;

use super::now;
use crate::error::CommandResult;
use crate::state::AppState;

/// A format the summary can be written in, with its label.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct FormatOption {
    pub format: OutputFormat,
    pub label: String,
}

/// Everything the governors' view shows, and the choices it offers.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct GovernorView {
    pub published: Published,
    pub charts: Vec<report::Chart>,
    /// The census days a summary can be made for, newest first (ISO).
    pub census_days: Vec<String>,
    pub default_threshold: u32,
    pub max_threshold: u32,
    pub formats: Vec<FormatOption>,
    /// The notional SEN budget in pence, if recorded.
    #[ts(type = "number | null")]
    pub budget_pence: Option<i64>,
}

fn census(text: Option<&str>) -> CommandResult<chrono::NaiveDate> {
    Ok(match text.filter(|t| !t.trim().is_empty()) {
        Some(t) => senco_core::dates::read("census", "Census day", t).map_err(|p| senco_core::Error::Invalid(vec![p]))?,
        None => governors::latest_census(now().today),
    })
}

#[tauri::command(async)]
pub fn governor_summary(state: State<'_, AppState>, census: Option<String>, threshold: Option<u32>) -> CommandResult<GovernorView> {
    let day = self::census(census.as_deref())?;
    let threshold = disclosure::threshold(threshold)?;
    let today = now().today;
    let (published, budget_pence) = state.with_store(|store| Ok((store.governor_summary(day, threshold, today)?, store.notional_budget_pence()?)))?;
    Ok(GovernorView {
        charts: report::charts(&published),
        published,
        census_days: governors::recent_census_days(today, 6).iter().map(|d| d.to_string()).collect(),
        default_threshold: governors::DEFAULT_THRESHOLD,
        max_threshold: governors::MAX_THRESHOLD,
        formats: OutputFormat::ALL.iter().map(|f| FormatOption { format: *f, label: f.label().to_string() }).collect(),
        budget_pence,
    })
}

/// Writes the summary in a format into the `exports` folder and returns the file's path.
#[tauri::command(async)]
pub fn governor_export(state: State<'_, AppState>, format: OutputFormat, census: Option<String>, threshold: Option<u32>) -> CommandResult<String> {
    let day = self::census(census.as_deref())?;
    let threshold = disclosure::threshold(threshold)?;
    let folder = state.data_dir().join("exports");
    Ok(state.with_store(|store| store.write_governor_output(&folder, format, day, threshold, now()))?.display().to_string())
}

/// Records the SENCO, the qualification and the review dates (all checked first; a refused
/// form changes nothing) and returns them as kept.
#[tauri::command(async)]
pub fn duties_set(state: State<'_, AppState>, duties: senco_core::duties::DutiesInput) -> CommandResult<senco_core::duties::Duties> {
    Ok(state.with_store(|store| store.set_duties(&duties, now()))?)
}

/// Records (or, with null, forgets) the school's notional SEN budget, in pence.
#[tauri::command(async)]
pub fn budget_set(state: State<'_, AppState>, pence: Option<i64>) -> CommandResult<Option<i64>> {
    Ok(state.with_store(|store| {
        store.set_notional_budget_pence(pence, now())?;
        store.notional_budget_pence()
    })?)
}
