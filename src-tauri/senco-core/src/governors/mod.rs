//! The governors' inclusion summary: what the register, the support cycles and the requests
//! say about SEN in the school at a census point, as tables of counts that identify no child.
//!
//! The flow is one way: the store gathers `Facts` (one anonymous line per pupil on roll, no
//! name, UPN, date of birth or free text), `summarise` turns them into an `Aggregate` of exact
//! counts (the "for aggregation" file a trust's central team may receive), and
//! `disclosure::publish` suppresses what could identify a child, giving the `Published`
//! summary that every governor output (the app's view, PDF, HTML and JSON) shows.
//! `rollup` merges many schools' aggregates; `report` lays a published summary out.

pub mod disclosure;
pub mod national;
pub mod report;
pub mod rollup;

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate, Weekday};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::census::{BroadArea, NeedCode};
use crate::pupil::{year_name, Sex};

pub use disclosure::{publish, publish_after, Figure, Published};

/// The version of the aggregate and published JSON. Bump it when a field's meaning changes.
pub const SCHEMA_VERSION: u32 = 1;

/// The smallest count shown; counts from 1 to one below it print as `c`.
pub const DEFAULT_THRESHOLD: u32 = 5;

/// The largest threshold the app accepts: beyond it nearly everything would be hidden.
pub const MAX_THRESHOLD: u32 = 50;

/// How many census points a trend covers at most.
pub const TREND_YEARS: usize = 5;

/// A pupil's SEN status as the census counts it: M (monitoring) counts as N.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, TS)]
#[ts(export)]
pub enum CensusStatus {
    N,
    K,
    E,
}

impl CensusStatus {
    pub const ALL: [CensusStatus; 3] = [CensusStatus::N, CensusStatus::K, CensusStatus::E];

    pub fn label(self) -> &'static str {
        match self {
            CensusStatus::N => "No SEN",
            CensusStatus::K => "SEN support",
            CensusStatus::E => "EHC plan",
        }
    }
}

/// One pupil on roll at a census point, with nothing that names them.
#[derive(Debug, Clone, PartialEq)]
pub struct CensusPupil {
    pub status: CensusStatus,
    /// The primary need at the census, for K and E.
    pub need: Option<NeedCode>,
    /// National curriculum year at the census (-1 Nursery, 0 Reception).
    pub year: i32,
    pub sex: Sex,
    pub pupil_premium: bool,
    pub fsm: bool,
    pub eal: bool,
    pub looked_after: bool,
    /// Attendance this year as a percentage, where the school has recorded it.
    pub attendance: Option<f64>,
    /// Parent meetings in the 12 months to the census.
    pub parent_meetings: u32,
}

/// The pupils on roll at one census point.
#[derive(Debug, Clone, PartialEq)]
pub struct Cohort {
    pub date: NaiveDate,
    pub pupils: Vec<CensusPupil>,
    /// Whether the pupil premium, FSM, EAL, looked-after flags and attendance are known for
    /// that day (the store keeps today's only, so only for a census in this school year).
    pub flags_known: bool,
}

/// Something due in the period and whether it happened on time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Timeliness {
    OnTime,
    Late,
    /// Due in the period and not held by the census day.
    Overdue,
}

/// Where an EHC needs assessment request made in the period stands at the census.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RequestOutcome {
    Agreed,
    Declined,
    Awaiting,
}

/// One intervention a pupil finished in the period, with its entry and exit scores.
#[derive(Debug, Clone, PartialEq)]
pub struct InterventionResult {
    /// The intervention's name in the school's library (never pupil text).
    pub name: String,
    pub entry: Option<f64>,
    pub exit: Option<f64>,
}

/// Everything the summary counts, gathered by `Store::governor_facts`.
#[derive(Debug, Clone, PartialEq)]
pub struct Facts {
    pub school: SchoolLine,
    /// The current census first, then earlier ones, newest first.
    pub cohorts: Vec<Cohort>,
    /// APDR reviews due in the 12 months to the census.
    pub reviews: Vec<Timeliness>,
    /// EHC plans' annual reviews due in the 12 months to the census.
    pub annual_reviews: Vec<Timeliness>,
    /// EHC needs assessment requests made in the 12 months to the census.
    pub requests: Vec<RequestOutcome>,
    /// Ratings (-2 to +2) of outcomes at reviews in the 12 months to the census.
    pub outcome_ratings: Vec<i64>,
    /// Interventions that ended in the 12 months to the census.
    pub interventions: Vec<InterventionResult>,
    /// Staff training in the 12 months to the census: its area, or None for all areas.
    pub training: Vec<Option<BroadArea>>,
    /// Planned cost of the interventions of the academic year holding the census, in pence.
    pub spend_pence: i64,
    /// The school's notional SEN budget as recorded now, if the SENCO has recorded it.
    pub budget_pence: Option<i64>,
}

/// The school as governor outputs name it: public facts only.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SchoolLine {
    pub name: String,
    pub urn: String,
    pub la_code: String,
    /// Which schools its figures are compared with. Aggregate files made before the phase
    /// was carried have none, and are compared with all schools.
    #[serde(default)]
    pub phase: Option<crate::school::Phase>,
    /// The SENCO and the reviews the governing body must see, as recorded when the file was
    /// made; none in older files.
    #[serde(default)]
    pub duties: Option<crate::duties::Duties>,
    /// The day the duties were read, which they are judged on.
    #[serde(default)]
    #[ts(type = "string | null")]
    pub duties_read: Option<NaiveDate>,
}

/// Exact counts with no identifiers: the "for aggregation" file, OFFICIAL-SENSITIVE.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Aggregate {
    pub schema_version: u32,
    /// Always "aggregate", so a published file is never merged by mistake.
    pub kind: String,
    pub marking: String,
    pub census_date: NaiveDate,
    /// The schools counted (one for a school, many for a roll-up).
    pub schools: Vec<SchoolLine>,
    pub tables: Vec<CountTable>,
    pub measures: Measures,
    /// Why tables are left out, for the reader.
    #[serde(default)]
    pub notes: Vec<String>,
}

pub const AGGREGATE_KIND: &str = "aggregate";
pub const MARKING: &str = "OFFICIAL-SENSITIVE";

/// Figures that are not counts of pupils: money and attendance.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Measures {
    pub spend_pence: i64,
    pub budget_pence: Option<i64>,
    /// Schools that recorded a budget, so a roll-up compares like with like.
    pub budget_schools: u32,
    pub spend_with_budget_pence: i64,
    /// Sum of attendance percentages and the number of pupils with one, by N, K, E.
    pub attendance_sum: [f64; 3],
    pub attendance_pupils: [u32; 3],
}

/// A table of exact counts. Rows are disjoint groups, so row totals, column totals and the
/// grand total are sums, and the disclosure check can reason about them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CountTable {
    pub id: String,
    pub title: String,
    pub columns: Vec<String>,
    pub rows: Vec<CountRow>,
    /// Whether column totals and a grand total mean anything (not when rows are years).
    pub column_totals: bool,
    pub percent: PercentOf,
    /// What the table's figures are counts of, for finding the same figure in other tables.
    pub link: Option<Link>,
    /// A table whose rows are groups of another table's rows (areas of needs).
    pub derived: Option<Derived>,
    /// A sentence for the reader: what is counted and over which period.
    pub note: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CountRow {
    pub label: String,
    pub cells: Vec<u64>,
}

/// What a percentage is a share of.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum PercentOf {
    Row,
    Column,
    None,
}

/// Conditions that say which pupils a table's figures count, so that two tables' figures
/// for the same pupils are known to be equal ("status=K", "need=ASD", "census=2025-01-16").
/// `base` is the statuses the whole table counts; a row or column may narrow them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Link {
    pub base: String,
    pub rows: Vec<String>,
    pub columns: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Derived {
    pub from: String,
    /// For each row, the rows of `from` it adds up.
    pub groups: Vec<Vec<usize>>,
}

impl CountTable {
    pub fn row_total(&self, r: usize) -> u64 {
        self.rows[r].cells.iter().sum()
    }

    pub fn column_total(&self, c: usize) -> u64 {
        self.rows.iter().map(|row| row.cells[c]).sum()
    }

    pub fn grand_total(&self) -> u64 {
        self.rows.iter().map(|row| row.cells.iter().sum::<u64>()).sum()
    }
}

/// The day of each census term in a year: autumn (first Thursday of October), spring (third
/// Thursday of January) and summer (third Thursday of May).
pub fn census_days(year: i32) -> [NaiveDate; 3] {
    let nth = |month, n| NaiveDate::from_weekday_of_month_opt(year, month, Weekday::Thu, n).expect("every month has a third Thursday");
    [nth(1, 3), nth(5, 3), nth(10, 1)]
}

/// The latest census day before `today`.
pub fn latest_census(today: NaiveDate) -> NaiveDate {
    (today.year() - 1..=today.year()).flat_map(census_days).filter(|d| *d < today).max().expect("a census day falls in every year")
}

/// The census days before `today`, newest first: the ones a summary can be asked for.
pub fn recent_census_days(today: NaiveDate, count: usize) -> Vec<NaiveDate> {
    let mut days: Vec<NaiveDate> = (today.year() - 3..=today.year()).flat_map(census_days).filter(|d| *d < today).collect();
    days.sort_by(|a, b| b.cmp(a));
    days.truncate(count);
    days
}

/// The same census term in earlier years, newest first, `census` included.
pub fn trend_dates(census: NaiveDate) -> Vec<NaiveDate> {
    (0..TREND_YEARS as i32)
        .filter_map(|back| {
            let year = census.year() - back;
            // The same term: the census of that year nearest the same day of the year.
            census_days(year).into_iter().min_by_key(|d| (d.ordinal() as i32 - census.ordinal() as i32).abs())
        })
        .collect()
}

const STATUS_COLUMNS: [&str; 3] = ["No SEN", "SEN support", "EHC plan"];

fn status_index(status: CensusStatus) -> usize {
    CensusStatus::ALL.iter().position(|s| *s == status).expect("in ALL")
}

fn key_stage(year: i32) -> (usize, &'static str) {
    match year {
        ..=0 => (0, "Early years (Nursery and Reception)"),
        1..=2 => (1, "Key stage 1 (Years 1 and 2)"),
        3..=6 => (2, "Key stage 2 (Years 3 to 6)"),
        7..=9 => (3, "Key stage 3 (Years 7 to 9)"),
        10..=11 => (4, "Key stage 4 (Years 10 and 11)"),
        _ => (5, "Sixth form (Years 12 and over)"),
    }
}

/// Builds a table of pupils by some grouping (rows) against N, K and E (columns).
fn by_status<K: Ord + Clone>(
    id: &str,
    title: &str,
    pupils: &[CensusPupil],
    group: impl Fn(&CensusPupil) -> K,
    rows: &[(K, String, String)],
    percent: PercentOf,
    note: &str,
) -> CountTable {
    let mut counts: BTreeMap<K, [u64; 3]> = BTreeMap::new();
    for p in pupils {
        counts.entry(group(p)).or_default()[status_index(p.status)] += 1;
    }
    CountTable {
        id: id.into(),
        title: title.into(),
        columns: STATUS_COLUMNS.iter().map(|c| c.to_string()).collect(),
        rows: rows.iter().map(|(k, label, _)| CountRow { label: label.clone(), cells: counts.get(k).copied().unwrap_or_default().to_vec() }).collect(),
        column_totals: true,
        percent,
        link: Some(Link {
            base: "NKE".into(),
            rows: rows.iter().map(|(_, _, cond)| cond.clone()).collect(),
            columns: vec!["status=N".into(), "status=K".into(), "status=E".into()],
        }),
        derived: None,
        note: note.into(),
    }
}

fn yes_no(id: &str, title: &str, yes: &str, no: &str, cond: &str, pupils: &[CensusPupil], f: impl Fn(&CensusPupil) -> bool) -> CountTable {
    by_status(
        id,
        title,
        pupils,
        |p| !f(p),
        &[(false, yes.to_string(), format!("{cond}=yes")), (true, no.to_string(), format!("{cond}=no"))],
        PercentOf::Column,
        "Pupils on roll at the census. Percentages are of each column.",
    )
}

/// A one-column table of counts, linked to nothing else.
fn tally(id: &str, title: &str, column: &str, rows: Vec<(String, u64)>, note: &str) -> CountTable {
    CountTable {
        id: id.into(),
        title: title.into(),
        columns: vec![column.into()],
        rows: rows.into_iter().map(|(label, n)| CountRow { label, cells: vec![n] }).collect(),
        column_totals: true,
        percent: PercentOf::Column,
        link: None,
        derived: None,
        note: note.into(),
    }
}

fn timeliness(id: &str, title: &str, items: &[Timeliness], note: &str) -> CountTable {
    let count = |t: Timeliness| items.iter().filter(|i| **i == t).count() as u64;
    tally(
        id,
        title,
        "Due",
        vec![
            ("Held on time".into(), count(Timeliness::OnTime)),
            ("Held late".into(), count(Timeliness::Late)),
            ("Not yet held".into(), count(Timeliness::Overdue)),
        ],
        note,
    )
}

/// Why the flag tables are missing from a summary of an earlier school year.
const FLAGS_NOTE: &str = "Pupil premium, free school meals, English as an additional language, looked-after children and attendance are kept as they are now, so they are shown only for a census day in this school year.";

/// The tables by pupil premium, FSM, EAL, looked-after and persistent absence.
fn flag_tables(tables: &mut Vec<CountTable>, pupils: &[CensusPupil]) {
    tables.push(yes_no("pupil_premium", "Pupil premium", "Pupil premium", "Not pupil premium", "pp", pupils, |p| p.pupil_premium));
    tables.push(yes_no("fsm", "Free school meals", "Eligible for free school meals", "Not eligible", "fsm", pupils, |p| p.fsm));
    tables.push(yes_no("eal", "English as an additional language", "English as an additional language", "English as a first language", "eal", pupils, |p| p.eal));
    tables.push(yes_no("looked_after", "Looked-after children", "Looked after", "Not looked after", "lac", pupils, |p| p.looked_after));

    let with_attendance: Vec<CensusPupil> = pupils.iter().filter(|p| p.attendance.is_some()).cloned().collect();
    let mut absence = yes_no(
        "persistent_absence",
        "Persistent absence (attendance below 90%)",
        "Persistently absent",
        "Attending 90% or more",
        "absent",
        &with_attendance,
        |p| p.attendance.is_some_and(|a| a < 90.0),
    );
    absence.note = "Pupils on roll with attendance recorded. Percentages are of each column.".into();
    if with_attendance.len() < pupils.len() {
        // Only some pupils are counted, so the columns are not the register's.
        absence.link.as_mut().expect("by_status links").base = "NKE|attendance".into();
    }
    tables.push(absence);

}

/// Pupils on K or E by whether they had at least three parent meetings in the year.
fn meetings_table(pupils: &[CensusPupil]) -> CountTable {
    let meetings: Vec<CensusPupil> = pupils.iter().filter(|p| p.status != CensusStatus::N).cloned().collect();
    let mut meeting_table = by_status(
        "parent_meetings",
        "Meetings with parents in the last 12 months",
        &meetings,
        |p| p.parent_meetings < 3,
        &[(false, "3 or more meetings".into(), "meetings=3+".into()), (true, "Fewer than 3".into(), "meetings=0-2".into())],
        PercentOf::Column,
        "Pupils on SEN support or with an EHC plan. The Code of Practice expects at least three meetings a year.",
    );
    // Only K and E are counted: drop the empty No SEN column.
    meeting_table.columns.remove(0);
    for row in &mut meeting_table.rows {
        row.cells.remove(0);
    }
    if let Some(link) = meeting_table.link.as_mut() {
        link.base = "KE".into();
        link.columns.remove(0);
    }
    meeting_table
}

/// The exact tables for one school's facts.
pub fn summarise(facts: &Facts) -> Aggregate {
    let current = facts.cohorts.first().expect("the store always gathers the census cohort");
    let pupils = &current.pupils;
    let mut tables = Vec::new();

    tables.push(CountTable {
        id: "register".into(),
        title: "Pupils on the SEN register".into(),
        columns: vec!["Pupils".into()],
        rows: CensusStatus::ALL
            .iter()
            .map(|s| CountRow { label: s.label().into(), cells: vec![pupils.iter().filter(|p| p.status == *s).count() as u64] })
            .collect(),
        column_totals: true,
        percent: PercentOf::Column,
        link: Some(Link { base: "NKE".into(), rows: vec!["status=N".into(), "status=K".into(), "status=E".into()], columns: vec![String::new()] }),
        derived: None,
        note: "Pupils on roll at the census. Pupils the school is monitoring (not on the register) count as no SEN, as in the census.".into(),
    });

    let trend: Vec<&Cohort> = facts.cohorts.iter().filter(|c| !c.pupils.is_empty() || c.date == current.date).collect();
    tables.push(CountTable {
        id: "trend".into(),
        title: "The register over the years".into(),
        columns: STATUS_COLUMNS.iter().map(|c| c.to_string()).collect(),
        rows: trend
            .iter()
            .map(|c| {
                let mut cells = vec![0; 3];
                for p in &c.pupils {
                    cells[status_index(p.status)] += 1;
                }
                CountRow { label: crate::dates::short(c.date), cells }
            })
            .collect(),
        column_totals: false,
        percent: PercentOf::Row,
        link: Some(Link {
            base: "NKE".into(),
            rows: trend.iter().map(|c| if c.date == current.date { String::new() } else { format!("census={}", c.date) }).collect(),
            columns: vec!["status=N".into(), "status=K".into(), "status=E".into()],
        }),
        derived: None,
        note: "Pupils on roll at the same census in each year the school has records for. Percentages are of each year's roll.".into(),
    });

    // Needs: K and E only, grouped by broad area so the area table is a sum of rows.
    let sen: Vec<&CensusPupil> = pupils.iter().filter(|p| p.status != CensusStatus::N).collect();
    let mut needs: Vec<NeedCode> = NeedCode::ALL.to_vec();
    needs.sort_by_key(|n| BroadArea::ALL.iter().position(|a| *a == n.area()));
    let need_rows: Vec<(NeedCode, [u64; 2])> = needs
        .iter()
        .map(|n| {
            let mut cells = [0; 2];
            for p in sen.iter().filter(|p| p.need == Some(*n)) {
                cells[status_index(p.status) - 1] += 1;
            }
            (*n, cells)
        })
        .collect();
    let unrecorded: [u64; 2] = [CensusStatus::K, CensusStatus::E].map(|s| sen.iter().filter(|p| p.status == s && p.need.is_none()).count() as u64);
    let mut need_table = CountTable {
        id: "need".into(),
        title: "Primary need".into(),
        columns: vec!["SEN support".into(), "EHC plan".into()],
        rows: need_rows.iter().map(|(n, cells)| CountRow { label: n.description().into(), cells: cells.to_vec() }).collect(),
        column_totals: true,
        percent: PercentOf::Column,
        link: Some(Link {
            base: "KE".into(),
            rows: need_rows.iter().map(|(n, _)| format!("need={}", n.code())).collect(),
            columns: vec!["status=K".into(), "status=E".into()],
        }),
        derived: None,
        note: "Pupils on SEN support or with an EHC plan, by the primary need recorded at the census. Percentages are of each column.".into(),
    };
    if unrecorded.iter().any(|n| *n > 0) {
        need_table.rows.push(CountRow { label: "No primary need recorded".into(), cells: unrecorded.to_vec() });
        need_table.link.as_mut().expect("set above").rows.push("need=none".into());
    }
    let mut groups: Vec<Vec<usize>> = BroadArea::ALL
        .iter()
        .map(|a| needs.iter().enumerate().filter(|(_, n)| n.area() == *a).map(|(i, _)| i).collect())
        .collect();
    if need_table.rows.len() > needs.len() {
        groups[BroadArea::ALL.len() - 1].push(needs.len());
    }
    let area_rows: Vec<CountRow> = BroadArea::ALL
        .iter()
        .zip(&groups)
        .map(|(a, g)| CountRow {
            label: a.label().into(),
            cells: (0..2).map(|c| g.iter().map(|r| need_table.rows[*r].cells[c]).sum()).collect(),
        })
        .collect();
    tables.push(CountTable {
        id: "area".into(),
        title: "Broad area of need".into(),
        columns: need_table.columns.clone(),
        rows: area_rows,
        column_totals: true,
        percent: PercentOf::Column,
        link: Some(Link {
            base: "KE".into(),
            rows: BroadArea::ALL.iter().map(|a| format!("area={}", a.slug())).collect(),
            columns: vec!["status=K".into(), "status=E".into()],
        }),
        derived: Some(Derived { from: "need".into(), groups }),
        note: "The primary needs above, grouped into the Code of Practice's four broad areas.".into(),
    });
    tables.push(need_table);

    // Year groups present in the school, and their key stages.
    let mut years: Vec<i32> = pupils.iter().map(|p| p.year).collect();
    years.sort();
    years.dedup();
    let year_table = by_status(
        "year",
        "Year group",
        pupils,
        |p| p.year,
        &years.iter().map(|y| (*y, year_name(*y), format!("year={y}"))).collect::<Vec<_>>(),
        PercentOf::Row,
        "Pupils on roll at the census by year group. Percentages are of each year group.",
    );
    let mut stages: Vec<(usize, &str)> = years.iter().map(|y| key_stage(*y)).collect();
    stages.dedup();
    let stage_groups: Vec<Vec<usize>> =
        stages.iter().map(|(s, _)| years.iter().enumerate().filter(|(_, y)| key_stage(**y).0 == *s).map(|(i, _)| i).collect()).collect();
    tables.push(CountTable {
        id: "key_stage".into(),
        title: "Key stage".into(),
        columns: year_table.columns.clone(),
        rows: stage_groups
            .iter()
            .zip(&stages)
            .map(|(g, (_, label))| CountRow { label: label.to_string(), cells: (0..3).map(|c| g.iter().map(|r| year_table.rows[*r].cells[c]).sum()).collect() })
            .collect(),
        column_totals: true,
        percent: PercentOf::Row,
        link: Some(Link { base: "NKE".into(), rows: stages.iter().map(|(s, _)| format!("stage={s}")).collect(), columns: year_table.link.as_ref().expect("by_status links").columns.clone() }),
        derived: Some(Derived { from: "year".into(), groups: stage_groups }),
        note: "Pupils on roll at the census by key stage. Percentages are of each key stage.".into(),
    });
    tables.push(year_table);

    tables.push(by_status(
        "sex",
        "Sex",
        pupils,
        |p| p.sex == Sex::M,
        &[(false, "Girls".into(), "sex=F".into()), (true, "Boys".into(), "sex=M".into())],
        PercentOf::Column,
        "Pupils on roll at the census. Percentages are of each column.",
    ));
    let mut notes = Vec::new();
    if current.flags_known {
        flag_tables(&mut tables, pupils);
    } else {
        notes.push(FLAGS_NOTE.to_string());
    }
    tables.push(meetings_table(pupils));

    tables.push(timeliness(
        "reviews",
        "Support plan reviews due in the last 12 months",
        &facts.reviews,
        "Reviews of SEN support cycles (assess, plan, do, review) whose date fell in the 12 months to the census.",
    ));
    tables.push(timeliness(
        "annual_reviews",
        "EHC plan annual reviews due in the last 12 months",
        &facts.annual_reviews,
        "Annual reviews must be held within 12 months of the plan or the last review.",
    ));
    let requests = |o: RequestOutcome| facts.requests.iter().filter(|r| **r == o).count() as u64;
    tables.push(tally(
        "ehcna",
        "EHC needs assessment requests made in the last 12 months",
        "Requests",
        vec![
            ("Agreed to assess".into(), requests(RequestOutcome::Agreed)),
            ("Declined to assess".into(), requests(RequestOutcome::Declined)),
            ("Awaiting the decision".into(), requests(RequestOutcome::Awaiting)),
        ],
        "Requests the local authority received in the 12 months to the census, and where each stands.",
    ));
    let rated = |lo: i64, hi: i64| facts.outcome_ratings.iter().filter(|r| (lo..=hi).contains(*r)).count() as u64;
    tables.push(tally(
        "outcomes",
        "Outcomes at reviews in the last 12 months",
        "Outcomes",
        vec![("Exceeded or met".into(), rated(1, 2)), ("Partly met".into(), rated(0, 0)), ("Not met".into(), rated(-2, -1))],
        "Each outcome of a support plan reviewed in the 12 months to the census, as the review rated it.",
    ));

    let mut by_intervention: BTreeMap<&str, [u64; 3]> = BTreeMap::new();
    for i in &facts.interventions {
        let column = match (i.entry, i.exit) {
            (Some(entry), Some(exit)) if exit > entry => 0,
            (Some(_), Some(_)) => 1,
            _ => 2,
        };
        by_intervention.entry(&i.name).or_default()[column] += 1;
    }
    tables.push(CountTable {
        id: "interventions".into(),
        title: "Interventions ended in the last 12 months, by effect".into(),
        columns: vec!["Score rose".into(), "No rise".into(), "Not scored".into()],
        rows: by_intervention.iter().map(|(name, cells)| CountRow { label: name.to_string(), cells: cells.to_vec() }).collect(),
        column_totals: true,
        percent: PercentOf::Row,
        link: None,
        derived: None,
        note: "Pupils' places in interventions that ended in the 12 months to the census, by whether the exit score rose above the entry score.".into(),
    });

    let mut training: Vec<(String, u64)> = BroadArea::ALL
        .iter()
        .filter(|a| **a != BroadArea::Uncategorised)
        .map(|a| (a.label().to_string(), facts.training.iter().filter(|t| **t == Some(*a)).count() as u64))
        .collect();
    training.push(("SEN in general".into(), facts.training.iter().filter(|t| t.is_none() || **t == Some(BroadArea::Uncategorised)).count() as u64));
    tables.push(tally("training", "Staff training in the last 12 months", "Courses", training, "Training recorded for school staff, by area of need."));

    let mut measures = Measures {
        spend_pence: facts.spend_pence,
        budget_pence: facts.budget_pence,
        budget_schools: facts.budget_pence.is_some() as u32,
        spend_with_budget_pence: if facts.budget_pence.is_some() { facts.spend_pence } else { 0 },
        ..Measures::default()
    };
    for p in pupils.iter().filter(|_| current.flags_known) {
        if let Some(a) = p.attendance {
            measures.attendance_sum[status_index(p.status)] += a;
            measures.attendance_pupils[status_index(p.status)] += 1;
        }
    }

    Aggregate {
        schema_version: SCHEMA_VERSION,
        kind: AGGREGATE_KIND.into(),
        marking: MARKING.into(),
        census_date: current.date,
        schools: vec![facts.school.clone()],
        tables,
        measures,
        notes,
    }
}

/// What a governor output is written as.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum OutputFormat {
    /// The board-pack PDF.
    Pdf,
    /// One self-contained web page.
    Html,
    /// The published figures as JSON (docs/formats/governor-summary.md).
    Json,
    /// Exact counts for a trust's central team: OFFICIAL-SENSITIVE.
    Aggregate,
}

impl OutputFormat {
    /// The word the store records it by.
    pub fn code(self) -> &'static str {
        match self {
            OutputFormat::Pdf => "pdf",
            OutputFormat::Html => "html",
            OutputFormat::Json => "json",
            OutputFormat::Aggregate => "aggregate",
        }
    }

    pub const ALL: [OutputFormat; 4] = [OutputFormat::Pdf, OutputFormat::Html, OutputFormat::Json, OutputFormat::Aggregate];

    pub fn extension(self) -> &'static str {
        match self {
            OutputFormat::Pdf => "pdf",
            OutputFormat::Html => "html",
            OutputFormat::Json | OutputFormat::Aggregate => "json",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            OutputFormat::Pdf => "PDF for the board pack",
            OutputFormat::Html => "Web page (HTML)",
            OutputFormat::Json => "Published figures (JSON)",
            OutputFormat::Aggregate => "Exact counts for the trust (JSON, OFFICIAL-SENSITIVE)",
        }
    }
}

/// An output's file name without extension, and its bytes. Pure: the same aggregate, format,
/// threshold, figures and date give the same bytes. The summary is published as the first
/// of its census day; `render_published` writes one published with earlier ones in mind.
pub fn render(aggregate: &Aggregate, format: OutputFormat, threshold: u32, national: &national::National, today: NaiveDate) -> crate::Result<(String, Vec<u8>)> {
    let published = (format != OutputFormat::Aggregate).then(|| publish(aggregate, threshold, national));
    render_published(aggregate, format, published.as_ref(), today)
}

/// As `render`, with the summary already published (`None` only for the aggregate, which
/// shows exact counts and needs none).
pub fn render_published(aggregate: &Aggregate, format: OutputFormat, published: Option<&Published>, today: NaiveDate) -> crate::Result<(String, Vec<u8>)> {
    let census = aggregate.census_date;
    let who = match aggregate.schools.as_slice() {
        [one] => format!("urn{}", one.urn.chars().filter(char::is_ascii_alphanumeric).collect::<String>()),
        many => format!("{}-schools", many.len()),
    };
    let json = |value: &dyn erased::Json| -> Vec<u8> {
        let mut bytes = value.to_json();
        bytes.push(b'\n');
        bytes
    };
    let summary = || published.ok_or_else(|| crate::Error::Refused(format!("the {} needs the published summary", format.label())));
    Ok(match format {
        OutputFormat::Aggregate => (format!("governors-aggregate-{who}-{census}"), json(aggregate)),
        OutputFormat::Json => (format!("governors-{who}-{census}"), json(summary()?)),
        OutputFormat::Html => (format!("governors-{who}-{census}"), report::html(summary()?).into_bytes()),
        OutputFormat::Pdf => (format!("governors-{who}-{census}"), report::pdf(summary()?, today)?),
    })
}

mod erased {
    pub trait Json {
        fn to_json(&self) -> Vec<u8>;
    }
    impl<T: serde::Serialize> Json for T {
        fn to_json(&self) -> Vec<u8> {
            serde_json::to_vec_pretty(self).expect("governor figures serialise")
        }
    }
}

/// The key of the population a figure counts, from its table's link: the statuses it covers
/// and its other conditions, so equal keys in two tables are the same pupils.
pub(crate) fn population_key(link: &Link, row: Option<usize>, column: Option<usize>) -> String {
    let mut statuses: Vec<char> = link.base.split('|').next().unwrap_or_default().chars().collect();
    let mut others: Vec<&str> = link.base.split('|').skip(1).collect();
    let conds = row.map(|r| link.rows[r].as_str()).into_iter().chain(column.map(|c| link.columns[c].as_str()));
    for cond in conds.flat_map(|c| c.split('&')).filter(|c| !c.is_empty()) {
        match cond.strip_prefix("status=") {
            Some(s) => statuses.retain(|c| s.contains(*c)),
            None => others.push(cond),
        }
    }
    others.sort();
    others.dedup();
    format!("{}|{}", statuses.into_iter().collect::<String>(), others.join("&"))
}

#[cfg(test)]
mod tests;
