//! National figures to compare the school with, from a dated data file: the one shipped in
//! `assets/national/sen-in-england.json`, or a newer one the SENCO has loaded. Nothing here
//! is hard-coded but the measures' names.
//!
//! A file is refused whole, naming the file and the figure, when it cannot be true: no
//! figures (loading it would replace every national figure with none), a percentage outside
//! 0 to 100, SEN support and EHC plans adding up to more than all SEN, a source that is not
//! an https address, hidden characters or over-long text, or (when loaded) a date after today.
//! Whatever it quotes from the file is shown through `text::shown`.

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use super::disclosure::{Comparison, PublishedTable};
use super::Figure;
use crate::school::Phase;
use crate::text::shown;
use crate::{Error, Result};

/// The longest name, note and source accepted, in characters.
pub const NAME_MAX: usize = 200;
pub const NOTE_MAX: usize = 1000;
pub const SOURCE_MAX: usize = 500;
/// Published percentages are rounded to one decimal place, so SEN support and EHC plans may
/// add up to all SEN plus this much.
const ROUNDING: f64 = 0.1 + 1e-9;

pub const SHIPPED: &str = include_str!("../../../../assets/national/sen-in-england.json");

/// The measures a national file may give, with what they are a percentage of.
pub const MEASURES: [(&str, &str); 3] =
    [("sen_support_pct", "On SEN support (K)"), ("ehc_plan_pct", "With an EHC plan (E)"), ("all_sen_pct", "All pupils with SEN")];

/// The kinds of school a figure may be for. The DfE's headline figures count every school,
/// special and independent schools included, which pushes the EHC plan share far above a
/// mainstream school's; its tables by school type give state-funded primary and secondary
/// schools their own figures, and a school is compared with its own phase.
pub const GROUPS: [(&str, &str); 3] =
    [("all", "All schools"), ("primary", "State-funded primary schools"), ("secondary", "State-funded secondary schools")];

/// The areas a figure may be for: England, or Kent's own figures (the DfE's tables by local
/// authority).
pub const AREAS: [&str; 2] = ["England", "Kent"];

fn all_schools() -> String {
    "all".into()
}

fn england() -> String {
    "England".into()
}

/// What a comparison saved before `against` was carried was made with.
pub fn all_schools_in_england() -> String {
    group_label("all", "England")
}

/// The groups to compare a school of this phase with: primary schools (infant and junior
/// included) with primary figures, secondary with secondary, an all-through school with
/// both. A special school, or a summary whose phase is not known (an older aggregate file),
/// is compared with all schools, since there are no figures for its own kind in the file.
pub fn groups_for(phases: &[Option<Phase>]) -> Vec<&'static str> {
    let mut groups: Vec<&'static str> = Vec::new();
    for phase in phases {
        let wanted: &[&'static str] = match phase {
            Some(Phase::Primary | Phase::Infant | Phase::Junior) => &["primary"],
            Some(Phase::Secondary) => &["secondary"],
            Some(Phase::AllThrough) => &["primary", "secondary"],
            Some(Phase::Special) | None => &["all"],
        };
        for g in wanted {
            if !groups.contains(g) {
                groups.push(g);
            }
        }
    }
    if groups.is_empty() {
        groups.push("all");
    }
    // Always in the file's order of groups, so a roll-up reads the same whichever school came first.
    groups.sort_by_key(|g| GROUPS.iter().position(|(code, _)| code == g));
    groups
}

/// "State-funded primary schools in Kent".
pub fn group_label(group: &str, area: &str) -> String {
    let name = GROUPS.iter().find(|(code, _)| *code == group).map_or(group, |(_, label)| label);
    format!("{name} in {area}")
}

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
    /// Which schools the figure counts: one of `GROUPS`; "all" when the file does not say.
    #[serde(default = "all_schools")]
    pub group: String,
    /// One of `AREAS`; "England" when the file does not say.
    #[serde(default = "england")]
    pub area: String,
    pub value: f64,
    pub source: String,
}

impl National {
    pub fn shipped() -> National {
        National::parse(SHIPPED, "the shipped national figures").expect("the shipped file is checked by a test")
    }

    /// This file, with the shipped figures of any group and area it gives none for: a file
    /// loaded before figures named their group (all of it "all schools") still leaves a
    /// primary school its primary figures.
    pub fn with_shipped_groups(mut self) -> National {
        let shipped = National::shipped();
        let missing: Vec<NationalFigure> =
            shipped.figures.into_iter().filter(|s| !self.figures.iter().any(|f| f.group == s.group && f.area == s.area)).collect();
        self.figures.extend(missing);
        self
    }

    /// Reads a newly chosen national figures file: everything `parse` checks, and its dates
    /// are not after `today` (the Stamp's).
    pub fn load(text: &str, file: &str, today: NaiveDate) -> Result<National> {
        let national = National::parse(text, file)?;
        if national.updated > today {
            return Err(Error::Refused(format!(
                "{file}: updated: {} is after today ({}), so the file cannot be right; check its date",
                national.updated,
                today
            )));
        }
        if let Some((i, f)) = national.figures.iter().enumerate().find(|(_, f)| f.year > today.year()) {
            return Err(Error::Refused(format!("{file}: figures[{i}]: the census of {} has not happened yet", f.year)));
        }
        Ok(national)
    }

    /// Reads a national figures file, naming the file and what is wrong with it.
    pub fn parse(text: &str, file: &str) -> Result<National> {
        let national: National = serde_json::from_str(text)
            .map_err(|e| Error::Refused(format!("{file} is not a national figures file: line {}, column {}: {}", e.line(), e.column(), shown_error(&e))))?;
        let refuse = |problem: crate::error::FieldProblem| Error::Refused(format!("{file}: {}", problem.message));
        crate::text::line("name", "name", &national.name, NAME_MAX).map_err(refuse)?;
        crate::text::note("note", "note", &national.note).map_err(refuse)?;
        if national.note.chars().count() > NOTE_MAX {
            return Err(Error::Refused(format!("{file}: the note is {} characters long; at most {NOTE_MAX} are allowed", national.note.chars().count())));
        }
        if national.figures.is_empty() {
            return Err(Error::Refused(format!(
                "{file} gives no figures; loading it would remove every national figure, so it was not loaded"
            )));
        }
        for (i, f) in national.figures.iter().enumerate() {
            let at = format!("{file}: figures[{i}]");
            if !MEASURES.iter().any(|(m, _)| *m == f.measure) {
                let known: Vec<&str> = MEASURES.iter().map(|(m, _)| *m).collect();
                return Err(Error::Refused(format!("{at}: unknown measure \"{}\"; the measures are {}", shown(&f.measure), known.join(", "))));
            }
            if !GROUPS.iter().any(|(g, _)| *g == f.group) {
                let known: Vec<&str> = GROUPS.iter().map(|(g, _)| *g).collect();
                return Err(Error::Refused(format!("{at}: unknown group of schools \"{}\"; the groups are {}", shown(&f.group), known.join(", "))));
            }
            if !AREAS.contains(&f.area.as_str()) {
                return Err(Error::Refused(format!("{at}: unknown area \"{}\"; the areas are {}", shown(&f.area), AREAS.join(", "))));
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
            crate::text::line("source", "source", &f.source, SOURCE_MAX).map_err(|p| Error::Refused(format!("{at}: {}", p.message)))?;
            if !is_https_address(&f.source) {
                return Err(Error::Refused(format!(
                    "{at}: the source \"{}\" is not an https address; give the web page the figure is published on (https://…)",
                    shown(&f.source)
                )));
            }
            if national.figures[..i].iter().any(|g| g.year == f.year && g.measure == f.measure && g.group == f.group && g.area == f.area) {
                return Err(Error::Refused(format!("{at}: {} for {} ({}) is given twice", f.measure, f.year, group_label(&f.group, &f.area))));
            }
        }
        for f in national.figures.iter().filter(|f| f.measure == "all_sen_pct") {
            let part = |measure: &str| {
                national.figures.iter().find(|g| g.year == f.year && g.group == f.group && g.area == f.area && g.measure == measure).map(|g| g.value)
            };
            if let (Some(k), Some(e)) = (part("sen_support_pct"), part("ehc_plan_pct")) {
                if k + e > f.value + ROUNDING {
                    return Err(Error::Refused(format!(
                        "{file}: for {} ({}), SEN support ({k}%) and EHC plans ({e}%) add up to more than all pupils with SEN ({}%), which cannot be true",
                        f.year,
                        group_label(&f.group, &f.area),
                        f.value
                    )));
                }
            }
        }
        Ok(national)
    }

    /// The latest figure for a measure, group and area from a January census on or before
    /// the census date.
    fn latest(&self, measure: &str, group: &str, area: &str, census: NaiveDate) -> Option<&NationalFigure> {
        self.figures.iter().filter(|f| f.measure == measure && f.group == group && f.area == area && f.year <= census.year()).max_by_key(|f| f.year)
    }

    /// The school's register percentages beside the figures for schools of its own phase
    /// (`groups_for`): for each group, England's and then (for a Kent school) Kent's, where
    /// the file has them. A group with no
    /// figure for a measure gives no row: a primary school is never quietly compared with
    /// all schools.
    pub fn comparisons(&self, census: NaiveDate, tables: &[PublishedTable], phases: &[Option<Phase>], in_kent: bool) -> Vec<Comparison> {
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
        let school = [share(cell(1)), share(cell(2)), share(all_sen)];
        let mut out = Vec::new();
        for group in groups_for(phases) {
            // Kent's own figures are for Kent's schools only.
            for area in AREAS.into_iter().filter(|a| *a != "Kent" || in_kent) {
                for ((measure, label), school) in MEASURES.iter().zip(school) {
                    if let Some(f) = self.latest(measure, group, area, census) {
                        out.push(Comparison {
                            label: label.to_string(),
                            against: group_label(group, area),
                            school,
                            national: f.value,
                            national_year: f.year,
                            source: f.source.clone(),
                        });
                    }
                }
            }
        }
        out
    }
}

/// `https://host/…`: an https address with a host and no spaces.
fn is_https_address(text: &str) -> bool {
    let Some(rest) = text.strip_prefix("https://") else { return false };
    let host = rest.split(['/', '?', '#']).next().unwrap_or("");
    !host.is_empty() && host.contains('.') && !text.chars().any(char::is_whitespace)
}

/// serde_json's message, which may quote the file, with hidden characters shown as codes.
fn shown_error(error: &serde_json::Error) -> String {
    error.to_string().chars().map(|c| if c.is_control() || crate::text::is_hidden(c) { format!("<U+{:04X}>", c as u32) } else { c.to_string() }).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const SOURCE: &str = "https://explore-education-statistics.service.gov.uk/find-statistics/special-educational-needs-in-england";

    fn file(updated: &str, figures: &[(i32, &str, f64, &str)]) -> String {
        let figures: Vec<serde_json::Value> = figures
            .iter()
            .map(|(year, measure, value, source)| serde_json::json!({ "year": year, "measure": measure, "value": value, "source": source }))
            .collect();
        serde_json::json!({ "name": "Newer figures", "updated": updated, "figures": figures }).to_string()
    }

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 26).unwrap()
    }

    fn refused(text: &str, why: &str) {
        let err = National::load(text, "new.json", today()).unwrap_err().to_string();
        assert!(err.starts_with("new.json") && err.contains(why), "expected {why:?} in {err:?}");
        assert!(!err.chars().any(|c| c.is_control() || crate::text::is_hidden(c)), "{err:?}");
    }

    #[test]
    fn figures_that_cannot_be_true_are_refused_naming_the_file_and_the_figure() {
        let good = file("2026-06-11", &[(2026, "sen_support_pct", 14.0, SOURCE), (2026, "ehc_plan_pct", 5.9, SOURCE), (2026, "all_sen_pct", 19.9, SOURCE)]);
        assert_eq!(National::load(&good, "new.json", today()).unwrap().figures.len(), 3);
        // Rounded figures may add up to a tenth more than all SEN.
        let rounded = file("2026-06-11", &[(2026, "sen_support_pct", 14.05, SOURCE), (2026, "ehc_plan_pct", 5.95, SOURCE), (2026, "all_sen_pct", 19.9, SOURCE)]);
        assert!(National::load(&rounded, "new.json", today()).is_ok());

        refused(&file("2026-06-11", &[]), "gives no figures");
        refused(&file("2026-06-11", &[(2026, "ehc_plan_pct", 100.5, SOURCE)]), "figures[0]: 100.5 is not a percentage from 0 to 100");
        refused(&file("2026-06-11", &[(2026, "ehc_plan_pct", -0.5, SOURCE)]), "is not a percentage");
        refused(
            &file("2026-06-11", &[(2026, "sen_support_pct", 14.0, SOURCE), (2026, "ehc_plan_pct", 5.9, SOURCE), (2026, "all_sen_pct", 18.0, SOURCE)]),
            "add up to more than all pupils with SEN",
        );
        refused(&file("2027-01-02", &[(2026, "ehc_plan_pct", 5.9, SOURCE)]), "2027-01-02 is after today (2026-11-26)");
        refused(&file("2026-06-11", &[(2027, "ehc_plan_pct", 5.9, SOURCE)]), "the census of 2027 has not happened yet");
        refused(&file("2026-06-11", &[(2026, "ehc_plan_pct", 5.9, "http://example.org/x")]), "is not an https address");
        refused(&file("2026-06-11", &[(2026, "ehc_plan_pct", 5.9, "javascript:alert(1)")]), "is not an https address");
        refused(&file("2026-06-11", &[(2026, "ehc_plan_pct", 5.9, "DfE, June 2026")]), "is not an https address");
        refused(&file("2026-06-11", &[(2026, "ehc_plan_pct", 5.9, "https://")]), "is not an https address");
        refused(&file("2026-06-11", &[(2026, "ehc\u{1b}[2J", 5.9, SOURCE)]), "unknown measure \"ehc<U+001B>[2J\"");
    }

    #[test]
    fn hidden_characters_and_over_long_text_in_a_name_or_source_are_refused_not_echoed() {
        let named = |name: &str| serde_json::json!({ "name": name, "updated": "2026-06-11", "figures": [{ "year": 2026, "measure": "ehc_plan_pct", "value": 5.9, "source": SOURCE }] }).to_string();
        refused(&named("DfE \u{1b}]0;owned\u{7}"), "invisible control character (U+001B)");
        refused(&named("DfE \u{202E}gnidaer"), "hidden formatting character (U+202E)");
        refused(&named(&"N".repeat(NAME_MAX + 1)), "the name is 201 characters long");
        refused(&file("2026-06-11", &[(2026, "ehc_plan_pct", 5.9, "https://example.org/\u{1b}[2J")]), "invisible control character (U+001B)");
        refused("{\"name\": \"\u{1b}[2J\", \u{1b}", "is not a national figures file");
    }

    #[test]
    fn figures_name_their_schools_and_area_and_a_file_for_kent_gives_kents_own_rows() {
        let figure = |group: &str, area: &str, measure: &str, value: f64| {
            serde_json::json!({ "year": 2026, "measure": measure, "group": group, "area": area, "value": value, "source": SOURCE })
        };
        let with = |figures: Vec<serde_json::Value>| serde_json::json!({ "name": "Kent", "updated": "2026-06-11", "figures": figures }).to_string();
        refused(&with(vec![figure("special", "England", "ehc_plan_pct", 40.0)]), "unknown group of schools \"special\"; the groups are all, primary, secondary");
        refused(&with(vec![figure("primary", "Medway\u{202E}", "ehc_plan_pct", 3.0)]), "unknown area \"Medway<U+202E>\"; the areas are England, Kent");
        refused(&with(vec![figure("primary", "Kent", "ehc_plan_pct", 3.0), figure("primary", "Kent", "ehc_plan_pct", 3.1)]), "(State-funded primary schools in Kent) is given twice");
        // The same measure and year for two groups is two figures, and each group's parts are
        // checked against its own total.
        refused(
            &with(vec![figure("primary", "Kent", "sen_support_pct", 15.0), figure("primary", "Kent", "ehc_plan_pct", 3.0), figure("primary", "Kent", "all_sen_pct", 17.0)]),
            "for 2026 (State-funded primary schools in Kent), SEN support (15%) and EHC plans (3%) add up to more",
        );
        let kent = National::load(
            &with(vec![figure("primary", "England", "ehc_plan_pct", 3.4), figure("primary", "Kent", "ehc_plan_pct", 3.9), figure("secondary", "Kent", "ehc_plan_pct", 3.1)]),
            "kent.json",
            today(),
        )
        .unwrap();
        let census = NaiveDate::from_ymd_opt(2026, 10, 1).unwrap();
        let rows = kent.comparisons(census, &[], &[Some(Phase::Junior)], true);
        let rows: Vec<(&str, f64)> = rows.iter().map(|c| (c.against.as_str(), c.national)).collect();
        assert_eq!(rows, [("State-funded primary schools in England", 3.4), ("State-funded primary schools in Kent", 3.9)]);
        // An all-through school: each group's England row, then its Kent row.
        let through: Vec<String> = kent.comparisons(census, &[], &[Some(Phase::AllThrough)], true).into_iter().map(|c| c.against).collect();
        assert_eq!(through, ["State-funded primary schools in England", "State-funded primary schools in Kent", "State-funded secondary schools in Kent"]);
        // A school outside Kent is not compared with Kent.
        let elsewhere: Vec<String> = kent.comparisons(census, &[], &[Some(Phase::Primary)], false).into_iter().map(|c| c.against).collect();
        assert_eq!(elsewhere, ["State-funded primary schools in England"]);
        // A census before the figures' year has nothing to compare with.
        assert!(kent.comparisons(NaiveDate::from_ymd_opt(2025, 10, 2).unwrap(), &[], &[Some(Phase::Primary)], true).is_empty());
    }

    #[test]
    fn a_file_without_groups_is_all_schools_in_england_as_before_and_keeps_the_shipped_phases() {
        let old = file("2026-06-11", &[(2026, "ehc_plan_pct", 5.9, SOURCE)]);
        let loaded = National::load(&old, "old.json", today()).unwrap();
        let f = &loaded.figures[0];
        assert_eq!((f.group.as_str(), f.area.as_str()), ("all", "England"));
        // Its all-schools figures replace the shipped ones; a primary school still meets the
        // shipped primary figures, which the file does not give.
        let merged = loaded.with_shipped_groups();
        assert_eq!(merged.figures.iter().filter(|f| f.group == "all").count(), 1);
        let rows = merged.comparisons(NaiveDate::from_ymd_opt(2026, 10, 1).unwrap(), &[], &[Some(Phase::Primary)], true);
        assert!(!rows.is_empty() && rows.iter().all(|c| c.against == "State-funded primary schools in England"), "{rows:?}");
        assert_eq!(all_schools_in_england(), "All schools in England");
    }

    #[test]
    fn a_roll_up_of_a_primary_and_a_secondary_school_is_compared_with_both_in_one_order() {
        assert_eq!(groups_for(&[Some(Phase::Secondary), Some(Phase::Infant), Some(Phase::Primary)]), ["primary", "secondary"]);
        assert_eq!(groups_for(&[Some(Phase::Special), Some(Phase::Primary)]), ["all", "primary"]);
        assert_eq!(groups_for(&[]), ["all"]);
    }

    #[test]
    fn the_shipped_figures_pass_every_check() {
        let shipped = National::shipped();
        assert!(National::load(SHIPPED, "shipped", shipped.updated).is_ok());
    }
}
