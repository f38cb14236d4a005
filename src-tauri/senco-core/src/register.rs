//! The SEN register: which pupils a filter selects, in which order, a page at a time, with
//! counts by status for the whole selection.
//!
//! The store fetches the rows a filter selects; sorting, counting and paging happen here,
//! as pure functions, so that every column sorts the same way and is tested without SQL.

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

/// Sorts the selected rows by `column`, with name then UPN as tie-breaks so the order is
/// stable and the same on every run.
pub fn sort_rows(rows: &mut Vec<RegisterRow>, column: SortColumn, descending: bool) {
    let order = sorted_order(rows, column, descending);
    let mut slots: Vec<Option<RegisterRow>> = std::mem::take(rows).into_iter().map(Some).collect();
    rows.extend(order.into_iter().map(|i| slots[i].take().expect("each index once")));
}

/// The indices of `rows` in sorted order. Lower-cased names are computed once per row, not
/// once per comparison: on 20,000 rows that is most of the cost of a sort.
fn sorted_order(rows: &[RegisterRow], column: SortColumn, descending: bool) -> Vec<usize> {
    let names: Vec<(String, String)> = rows.iter().map(|r| (r.surname.to_lowercase(), r.forename.to_lowercase())).collect();
    let mut order: Vec<usize> = (0..rows.len()).collect();
    order.sort_by(|&i, &j| {
        let (a, b) = (&rows[i], &rows[j]);
        let primary = match column {
            SortColumn::Name => Ordering::Equal,
            SortColumn::Upn => a.upn.cmp(&b.upn),
            SortColumn::NcYear => a.nc_year.cmp(&b.nc_year),
            SortColumn::Form => a.form.cmp(&b.form),
            SortColumn::Status => a.status.cmp(&b.status),
            SortColumn::PrimaryNeed => a.primary_need.map(|n| n.code()).cmp(&b.primary_need.map(|n| n.code())),
            SortColumn::Area => a.area.cmp(&b.area),
        };
        let ordering = primary.then_with(|| names[i].cmp(&names[j])).then_with(|| a.upn.cmp(&b.upn));
        if descending { ordering.reverse() } else { ordering }
    });
    order
}

pub fn count_statuses(rows: &[RegisterRow]) -> StatusCounts {
    let mut counts = StatusCounts::default();
    for row in rows {
        match row.status {
            SenStatus::NoSen => counts.no_sen += 1,
            SenStatus::Monitoring => counts.monitoring += 1,
            SenStatus::SenSupport => counts.sen_support += 1,
            SenStatus::EhcPlan => counts.ehc_plan += 1,
        }
    }
    counts
}

/// Sorts, counts and cuts out the requested page.
pub fn page(rows: Vec<RegisterRow>, query: &RegisterQuery) -> RegisterPage {
    let page_size = if query.page_size == 0 { DEFAULT_PAGE_SIZE } else { query.page_size.min(500) };
    let counts = count_statuses(&rows);
    let total = rows.len() as u32;
    let last_page = total.saturating_sub(1) / page_size;
    let page = query.page.min(last_page);
    let order = sorted_order(&rows, query.sort, query.descending);
    let start = (page * page_size) as usize;
    let rows = order.into_iter().skip(start).take(page_size as usize).map(|i| rows[i].clone()).collect();
    RegisterPage { rows, total, everyone: total, page, page_size, counts }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(surname: &str, year: i32, status: SenStatus, need: Option<NeedCode>) -> RegisterRow {
        RegisterRow {
            id: PupilId(0),
            upn: format!("X{surname}"),
            upn_temporary: false,
            forename: "Sam".into(),
            surname: surname.into(),
            nc_year: year,
            form: String::new(),
            status,
            primary_need: need,
            area: need.map(|n| n.area()),
            pupil_premium: false,
            fsm: false,
            eal: false,
            looked_after: false,
            leaving_date: None,
            date_of_birth: NaiveDate::from_ymd_opt(2018, 1, 1).unwrap(),
        }
    }

    fn check(column: SortColumn, descending: bool, expected: &str) {
        use NeedCode::*;
        use SenStatus::*;
        let mut rows = vec![
            row("Okafor", 3, SenSupport, Some(SLCN)),
            row("abbott", 6, NoSen, None),
            row("Bryce", 3, EhcPlan, Some(ASD)),
            row("Chen", 1, SenSupport, Some(MLD)),
        ];
        sort_rows(&mut rows, column, descending);
        let order: Vec<&str> = rows.iter().map(|r| r.surname.as_str()).collect();
        assert_eq!(order.join(" "), expected, "sorting by {column:?}");
    }

    #[test]
    fn every_column_sorts_with_name_as_the_tie_break() {
        check(SortColumn::Name, false, "abbott Bryce Chen Okafor");
        check(SortColumn::Name, true, "Okafor Chen Bryce abbott");
        check(SortColumn::NcYear, false, "Chen Bryce Okafor abbott");
        check(SortColumn::Status, false, "abbott Chen Okafor Bryce");
        check(SortColumn::PrimaryNeed, false, "abbott Bryce Chen Okafor");
        check(SortColumn::Area, false, "abbott Bryce Okafor Chen");
    }

    #[test]
    fn pages_are_cut_after_sorting_and_counts_cover_the_whole_selection() {
        let rows: Vec<RegisterRow> = (0..120)
            .map(|i| row(&format!("P{i:03}"), 3, if i % 4 == 0 { SenStatus::SenSupport } else { SenStatus::NoSen }, None))
            .collect();
        let query = RegisterQuery { page: 2, ..RegisterQuery::default() };
        let page = page(rows, &query);
        assert_eq!((page.total, page.page, page.rows.len()), (120, 2, 20), "the third page of 50 holds the last 20");
        assert_eq!(page.rows[0].surname, "P100");
        assert_eq!((page.counts.sen_support, page.counts.no_sen), (30, 90));
    }
}
