//! The SEN register: which pupils a filter selects, in which order, a page at a time, with
//! counts by status for the whole selection.
//!
//! The order is defined here: each column, then the name shown (surname, then forename,
//! compared by [`name_order`]), then the UPN, all reversed when descending. The store sorts,
//! counts and pages in SQL (one pass for the counts, one for the page), so a register of
//! 20,000 pupils builds only the 50 rows it shows.

use std::cmp::Ordering;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::census::{BroadArea, NeedCode, SenStatus};
use crate::pupil::PupilId;

/// Which pupils are on the register's current view.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", default)]
#[ts(export)]
pub struct RegisterFilter {
    pub status: Option<SenStatus>,
    /// The pupil's current primary need.
    pub need: Option<NeedCode>,
    /// The broad area of the pupil's current primary need.
    pub area: Option<BroadArea>,
    pub nc_year: Option<i32>,
    pub pupil_premium: Option<bool>,
    pub fsm: Option<bool>,
    pub eal: Option<bool>,
    pub looked_after: Option<bool>,
    pub roll: Roll,
    /// Part of a name (legal or preferred) or of a UPN.
    pub search: String,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum Roll {
    #[default]
    OnRoll,
    Left,
    All,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum SortColumn {
    #[default]
    Name,
    Upn,
    NcYear,
    Form,
    Status,
    PrimaryNeed,
    Area,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", default)]
#[ts(export)]
pub struct RegisterQuery {
    pub filter: RegisterFilter,
    pub sort: SortColumn,
    pub descending: bool,
    /// From 0.
    pub page: u32,
    /// 0 means the default of 50.
    pub page_size: u32,
}

/// One pupil's line on the register.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct RegisterRow {
    pub id: PupilId,
    pub upn: String,
    pub upn_temporary: bool,
    /// Preferred names where given.
    pub forename: String,
    pub surname: String,
    pub nc_year: i32,
    pub form: String,
    pub status: SenStatus,
    pub primary_need: Option<NeedCode>,
    pub area: Option<BroadArea>,
    pub pupil_premium: bool,
    pub fsm: bool,
    pub eal: bool,
    pub looked_after: bool,
    pub leaving_date: Option<NaiveDate>,
    pub date_of_birth: NaiveDate,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct StatusCounts {
    pub no_sen: u32,
    pub monitoring: u32,
    pub sen_support: u32,
    pub ehc_plan: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct RegisterPage {
    pub rows: Vec<RegisterRow>,
    /// Pupils the filter selects, on every page.
    pub total: u32,
    /// Every pupil the school has, on roll or left, whatever the filter: 0 means a new
    /// school, which gets a welcome rather than "no pupils match".
    pub everyone: u32,
    pub page: u32,
    pub page_size: u32,
    pub counts: StatusCounts,
}

pub const DEFAULT_PAGE_SIZE: u32 = 50;

/// The page size a query asks for: 0 means the default, and no page is larger than 500.
pub fn page_size(requested: u32) -> u32 {
    if requested == 0 { DEFAULT_PAGE_SIZE } else { requested.min(500) }
}

/// The page shown: the one asked for, or the last one when fewer pupils now match.
pub fn clamp_page(requested: u32, page_size: u32, total: u32) -> u32 {
    requested.min(total.saturating_sub(1) / page_size.max(1))
}

/// How two names compare on the register: letter by letter after lower-casing (every
/// language's capitals, not only A to Z), so "abbott" comes before "Bryce". No allocation:
/// a sort of 20,000 names calls this hundreds of thousands of times.
pub fn name_order(a: &str, b: &str) -> Ordering {
    a.chars().flat_map(char::to_lowercase).cmp(b.chars().flat_map(char::to_lowercase))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_compare_without_regard_to_capitals_in_any_alphabet() {
        assert_eq!(name_order("abbott", "Bryce"), Ordering::Less);
        assert_eq!(name_order("ÖZTÜRK", "öztürk"), Ordering::Equal);
        assert_eq!(name_order("Ødegaard", "Zhou"), Ordering::Greater, "letters beyond z sort after it, as before");
        assert_eq!(name_order("Ann", "Anna"), Ordering::Less);
    }

    #[test]
    fn a_page_past_the_end_shows_the_last_page() {
        assert_eq!(page_size(0), DEFAULT_PAGE_SIZE);
        assert_eq!(page_size(10_000), 500);
        assert_eq!(clamp_page(2, 50, 120), 2, "the third page of 50 holds the last 20");
        assert_eq!(clamp_page(9, 50, 120), 2);
        assert_eq!(clamp_page(3, 50, 0), 0, "an empty selection has one, empty, page");
    }
}
