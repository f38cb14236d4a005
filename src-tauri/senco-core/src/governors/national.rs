//! National figures to compare the school with, from a dated data file: the one shipped in
//! `assets/national/sen-in-england.json`, or a newer one the SENCO has loaded. Nothing here
//! is hard-coded but the measures' names.

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use super::disclosure::{Comparison, PublishedTable};
use super::Figure;
use crate::{Error, Result};

pub const SHIPPED: &str = include_str!("../../../../assets/national/sen-in-england.json");

/// The measures a national file may give, with what they are a percentage of.
pub const MEASURES: [(&str, &str); 3] =
    [("sen_support_pct", "On SEN support (K)"), ("ehc_plan_pct", "With an EHC plan (E)"), ("all_sen_pct", "All pupils with SEN")];

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct National {
    pub name: String,
    pub updated: NaiveDate,
    #[serde(default)]
    pub note: String,
    pub figures: Vec<NationalFigure>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NationalFigure {
    pub year: i32,
    pub measure: String,
    pub value: f64,
    pub source: String,
}

impl National {
    pub fn shipped() -> National {
        National::parse(SHIPPED, "the shipped national figures").expect("the shipped file is checked by a test")
    }

    /// Reads a national figures file, naming the file and what is wrong with it.
    pub fn parse(text: &str, file: &str) -> Result<National> {
        let national: National = serde_json::from_str(text)
            .map_err(|e| Error::Refused(format!("{file} is not a national figures file: line {}, column {}: {e}", e.line(), e.column())))?;
        for (i, f) in national.figures.iter().enumerate() {
            let at = format!("{file}: figures[{i}]");
            if !MEASURES.iter().any(|(m, _)| *m == f.measure) {
                let known: Vec<&str> = MEASURES.iter().map(|(m, _)| *m).collect();
                return Err(Error::Refused(format!("{at}: unknown measure {:?}; the measures are {}", f.measure, known.join(", "))));
            }
            if !(0.0..=100.0).contains(&f.value) || !f.value.is_finite() {
                return Err(Error::Refused(format!("{at}: {} is not a percentage from 0 to 100", f.value)));
            }
            if !(2000..=2100).contains(&f.year) {
                return Err(Error::Refused(format!("{at}: {} is not a census year", f.year)));
            }
            if f.source.trim().is_empty() {
                return Err(Error::Refused(format!("{at}: every figure needs its source")));
            }
            if national.figures[..i].iter().any(|g| g.year == f.year && g.measure == f.measure) {
                return Err(Error::Refused(format!("{at}: {} for {} is given twice", f.measure, f.year)));
            }
        }
        Ok(national)
    }

    /// The latest figure for a measure from a January census on or before the census date.
    fn latest(&self, measure: &str, census: NaiveDate) -> Option<&NationalFigure> {
        self.figures.iter().filter(|f| f.measure == measure && f.year <= census.year()).max_by_key(|f| f.year)
    }

    /// The school's register percentages beside the national ones, where shown.
    pub fn comparisons(&self, census: NaiveDate, tables: &[PublishedTable]) -> Vec<Comparison> {
        let register = tables.iter().find(|t| t.id == "register");
        let cell = |r: usize| register.and_then(|t| t.rows.get(r)).map(|row| row.cells[0].count);
        let roll = register.and_then(|t| t.grand_total);
        let share = |part: Option<Figure>| match (part, roll) {
            (Some(Figure::Count(p)), Some(Figure::Count(w))) if w > 0 => Some((p as f64 * 1000.0 / w as f64).round() / 10.0),
            _ => None,
        };
        let all_sen = match (cell(1), cell(2)) {
            (Some(Figure::Count(k)), Some(Figure::Count(e))) => Some(Figure::Count(k + e)),
            _ => None,
        };
        MEASURES
            .iter()
            .zip([share(cell(1)), share(cell(2)), share(all_sen)])
            .filter_map(|((measure, label), school)| {
                self.latest(measure, census).map(|f| Comparison { label: label.to_string(), school, national: f.value, national_year: f.year, source: f.source.clone() })
            })
            .collect()
    }
}
