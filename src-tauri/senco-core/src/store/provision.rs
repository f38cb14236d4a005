//! The whole-school provision map: every planned intervention in an academic year with its
//! planned cost and its cost to date, per-pupil totals against the notional SEN threshold,
//! and totals by area, wave and year group. Money is integer pence throughout.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::Serialize;
use ts_rs::TS;

use crate::apdr;
use crate::error::Result;
use crate::export::Csv;
use crate::pupil::year_name;

use super::Store;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ProvisionRow {
    pub upn: String,
    pub name: String,
    pub nc_year: i32,
    pub intervention: String,
    pub intervention_name: String,
    pub area: String,
    pub wave: String,
    pub start_date: String,
    pub end_date: String,
    #[ts(type = "number")]
    pub sessions_per_week: i64,
    #[ts(type = "number")]
    pub weeks: i64,
    #[ts(type = "number")]
    pub minutes: i64,
    #[ts(type = "number")]
    pub group_size: i64,
    #[ts(type = "number")]
    pub hourly_rate_pence: i64,
    #[ts(type = "number")]
    pub resources_pence: i64,
    #[ts(type = "number")]
    pub planned_cost_pence: i64,
    #[ts(type = "number")]
    pub sessions_delivered: i64,
    #[ts(type = "number")]
    pub cost_to_date_pence: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct PupilTotal {
    pub upn: String,
    pub name: String,
    pub nc_year: i32,
    #[ts(type = "number")]
    pub planned_cost_pence: i64,
    #[ts(type = "number")]
    pub cost_to_date_pence: i64,
    pub over_threshold: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct GroupTotal {
    pub group: String,
    #[ts(type = "number")]
    pub pupils: i64,
    #[ts(type = "number")]
    pub planned_cost_pence: i64,
    #[ts(type = "number")]
    pub cost_to_date_pence: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ProvisionMap {
    /// The academic year, named by the calendar year it starts in.
    pub year: i32,
    pub year_label: String,
    #[ts(type = "number")]
    pub threshold_pence: i64,
    pub rows: Vec<ProvisionRow>,
    pub pupils: Vec<PupilTotal>,
    pub by_area: Vec<GroupTotal>,
    pub by_wave: Vec<GroupTotal>,
    pub by_year_group: Vec<GroupTotal>,
    #[ts(type = "number")]
    pub school_planned_pence: i64,
    #[ts(type = "number")]
    pub school_to_date_pence: i64,
}

impl ProvisionMap {
    /// The file name its CSV is saved under, such as `provision-map-2025-26.csv`.
    pub fn csv_file_name(&self) -> String {
        format!("provision-map-{}-{:02}.csv", self.year, (self.year + 1) % 100)
    }
}

impl Store {
    /// The provision map for the academic year starting in September of `year`: the
    /// interventions that start in it.
    pub fn provision_map(&self, year: i32) -> Result<ProvisionMap> {
        let from = NaiveDate::from_ymd_opt(year, 9, 1).unwrap_or(NaiveDate::MIN);
        let to = NaiveDate::from_ymd_opt(year + 1, 8, 31).unwrap_or(NaiveDate::MAX);
        let mut statement = self.conn.prepare_cached(
            "SELECT p.upn, CASE WHEN p.preferred_forename = '' THEN p.legal_forename ELSE p.preferred_forename END || ' ' ||
                           CASE WHEN p.preferred_surname = '' THEN p.legal_surname ELSE p.preferred_surname END,
                    p.nc_year, i.key, i.name, i.area, i.wave, pi.start_date, pi.end_date, pi.sessions_per_week, pi.weeks,
                    pi.minutes_per_session, pi.group_size, pi.hourly_rate_pence, pi.resources_pence,
                    (SELECT count(*) FROM delivery d WHERE d.planned_intervention_id = pi.id),
                    (SELECT coalesce(sum(d.minutes), 0) FROM delivery d WHERE d.planned_intervention_id = pi.id)
             FROM planned_intervention pi JOIN pupil p ON p.id = pi.pupil_id JOIN intervention i ON i.id = pi.intervention_id
             WHERE pi.start_date BETWEEN ?1 AND ?2
             ORDER BY p.legal_surname, p.legal_forename, p.upn, pi.start_date, i.name",
        )?;
        let rows: Vec<ProvisionRow> = statement
            .query_map([from, to], |r| {
                let (per_week, weeks, minutes, group, rate, resources): (i64, i64, i64, i64, i64, i64) =
                    (r.get(9)?, r.get(10)?, r.get(11)?, r.get(12)?, r.get(13)?, r.get(14)?);
                let delivered: i64 = r.get(15)?;
                let minutes_delivered: i64 = r.get(16)?;
                Ok(ProvisionRow {
                    upn: r.get(0)?,
                    name: r.get(1)?,
                    nc_year: r.get(2)?,
                    intervention: r.get(3)?,
                    intervention_name: r.get(4)?,
                    area: r.get(5)?,
                    wave: r.get(6)?,
                    start_date: r.get(7)?,
                    end_date: r.get(8)?,
                    sessions_per_week: per_week,
                    weeks,
                    minutes,
                    group_size: group,
                    hourly_rate_pence: rate,
                    resources_pence: resources,
                    planned_cost_pence: apdr::planned_cost_pence(per_week, weeks, minutes, rate, group, resources),
                    sessions_delivered: delivered,
                    cost_to_date_pence: if delivered == 0 { 0 } else { apdr::cost_pence(minutes_delivered, rate, group, resources) },
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        let threshold = self.threshold_pence()?;
        Ok(summarise(year, threshold, rows))
    }
}

fn summarise(year: i32, threshold: i64, rows: Vec<ProvisionRow>) -> ProvisionMap {
    let mut pupils: BTreeMap<String, PupilTotal> = BTreeMap::new();
    /// The pupils in a group, and its planned and to-date costs.
    type Group = (std::collections::BTreeSet<String>, i64, i64);
    let mut groups: [BTreeMap<String, Group>; 3] = Default::default();
    for row in &rows {
        let total = pupils.entry(row.upn.clone()).or_insert_with(|| PupilTotal {
            upn: row.upn.clone(),
            name: row.name.clone(),
            nc_year: row.nc_year,
            planned_cost_pence: 0,
            cost_to_date_pence: 0,
            over_threshold: false,
        });
        total.planned_cost_pence += row.planned_cost_pence;
        total.cost_to_date_pence += row.cost_to_date_pence;
        let area = crate::census::BroadArea::from_slug(&row.area).map(|a| a.label().to_string()).unwrap_or_else(|| row.area.clone());
        let wave = apdr::Wave::ALL.into_iter().find(|w| w.code() == row.wave).map(|w| w.label().to_string()).unwrap_or_else(|| row.wave.clone());
        for (map, key) in groups.iter_mut().zip([area, wave, format!("{:02} {}", row.nc_year + 1, year_name(row.nc_year))]) {
            let entry = map.entry(key).or_default();
            entry.0.insert(row.upn.clone());
            entry.1 += row.planned_cost_pence;
            entry.2 += row.cost_to_date_pence;
        }
    }
    let mut pupils: Vec<PupilTotal> = pupils.into_values().collect();
    for p in &mut pupils {
        p.over_threshold = p.planned_cost_pence > threshold;
    }
    pupils.sort_by(|a, b| b.planned_cost_pence.cmp(&a.planned_cost_pence).then(a.name.cmp(&b.name)));
    let [by_area, by_wave, by_year_group] = groups.map(|map| {
        map.into_iter()
            .map(|(group, (upns, planned, to_date))| GroupTotal {
                // Year groups sort by number; the number is dropped from what is shown.
                group: group.split_once(' ').filter(|(n, _)| n.chars().all(|c| c.is_ascii_digit())).map(|(_, g)| g.to_string()).unwrap_or(group),
                pupils: upns.len() as i64,
                planned_cost_pence: planned,
                cost_to_date_pence: to_date,
            })
            .collect::<Vec<_>>()
    });
    ProvisionMap {
        year,
        year_label: format!("{}/{:02}", year, (year + 1) % 100),
        threshold_pence: threshold,
        school_planned_pence: rows.iter().map(|r| r.planned_cost_pence).sum(),
        school_to_date_pence: rows.iter().map(|r| r.cost_to_date_pence).sum(),
        rows,
        pupils,
        by_area,
        by_wave,
        by_year_group,
    }
}

/// Pence as pounds with two decimals and no symbol, for spreadsheets ("1234.56").
fn decimal(pence: i64) -> String {
    format!("{}{}.{:02}", if pence < 0 { "-" } else { "" }, pence.unsigned_abs() / 100, pence.unsigned_abs() % 100)
}

/// The provision map as CSV for Excel: one row per intervention per pupil, then a total.
pub fn provision_csv(map: &ProvisionMap) -> String {
    let mut csv = Csv::new(&[
        "UPN", "Name", "Year group", "Intervention", "Area", "Wave", "Start", "End", "Sessions a week", "Weeks", "Minutes a session",
        "Group size", "Hourly rate (£)", "Resources (£)", "Planned cost (£)", "Sessions delivered", "Cost to date (£)",
    ]);
    for r in &map.rows {
        let area = crate::census::BroadArea::from_slug(&r.area).map(|a| a.label()).unwrap_or(&r.area);
        let wave = apdr::Wave::ALL.into_iter().find(|w| w.code() == r.wave).map(|w| w.label()).unwrap_or(&r.wave);
        csv.row(&[
            r.upn.clone(), r.name.clone(), year_name(r.nc_year), r.intervention_name.clone(), area.to_string(), wave.to_string(),
            r.start_date.clone(), r.end_date.clone(), r.sessions_per_week.to_string(), r.weeks.to_string(), r.minutes.to_string(),
            r.group_size.to_string(), decimal(r.hourly_rate_pence), decimal(r.resources_pence), decimal(r.planned_cost_pence),
            r.sessions_delivered.to_string(), decimal(r.cost_to_date_pence),
        ]);
    }
    let blank = || String::new();
    let mut total: Vec<String> = vec![blank(); 17];
    total[1] = format!("School total, {}", map.year_label);
    total[14] = decimal(map.school_planned_pence);
    total[16] = decimal(map.school_to_date_pence);
    csv.row(&total);
    csv.finish()
}
