//! Dates as people in English schools type and read them: day, month, year, whatever the
//! computer's locale. Stored and exchanged as ISO `YYYY-MM-DD`; shown as "14 Mar 2017".
//!
//! `read` accepts the ways a SENCO writes a date: `14/03/2017`, `14/3/17`, `14.3.17`,
//! `14-03-2017`, `14 Mar 2017`, `14 March 2017` and ISO `2017-03-14`. A wrong date gets a
//! message that says what is wrong with it: a day that does not exist ("30 February 2017"),
//! a month that does not exist (often a US-style date), or a shape that is not a date.
//! Two-digit years are 2000 to 2079, and 1980 to 1999 from 80 up.

use chrono::{Datelike, NaiveDate};
use serde::Serialize;
use ts_rs::TS;

use crate::error::FieldProblem;

const MONTHS: [&str; 12] = [
    "January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December",
];

/// A date read from what someone typed, in both forms the UI needs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct DateReading {
    /// `YYYY-MM-DD`, as stored and sent.
    pub iso: String,
    /// "14 Mar 2017", as shown back in a date field.
    pub display: String,
}

/// "14 Mar 2017".
pub fn short(date: NaiveDate) -> String {
    format!("{} {} {}", date.day(), &MONTHS[date.month0() as usize][..3], date.year())
}

/// "14 March 2017".
pub fn long(date: NaiveDate) -> String {
    format!("{} {} {}", date.day(), MONTHS[date.month0() as usize], date.year())
}

/// Reads a typed date for the UI's date fields, giving both forms back.
pub fn reading(field: &str, label: &str, text: &str) -> Result<DateReading, FieldProblem> {
    let date = read(field, label, text)?;
    Ok(DateReading { iso: date.to_string(), display: short(date) })
}

/// Reads a date typed into a form, naming the field and the problem when it is wrong.
pub fn read(field: &str, label: &str, text: &str) -> Result<NaiveDate, FieldProblem> {
    let text = text.trim();
    if text.is_empty() {
        return Err(FieldProblem::new(field, format!("enter the {label}")));
    }
    let problem = |why: String| FieldProblem::new(field, format!("the {label} {why}"));
    let Some((day, month, year)) = parts(text) else {
        return Err(problem(format!(
            "\"{text}\" is not a date: write the day, month and year, such as 14/03/2017 or 14 Mar 2017"
        )));
    };
    if !(1..=12).contains(&month) {
        return Err(problem(format!(
            "\"{text}\" has no month {month}: dates are written day, month, year, such as 14/03/2017"
        )));
    }
    let year = match year {
        0..=79 => 2000 + year,
        80..=99 => 1900 + year,
        100..=999 => return Err(problem(format!("\"{text}\" has a year of three digits; write it in full, such as 2017"))),
        _ => year,
    };
    NaiveDate::from_ymd_opt(year, month, day).ok_or_else(|| {
        let month_name = MONTHS[(month - 1) as usize];
        problem(format!("\"{text}\" is a date that does not exist: {month_name} {year} has no day {day}"))
    })
}

/// Day, month and year, in the order the text gives them.
fn parts(text: &str) -> Option<(u32, u32, i32)> {
    // ISO first: four digits, then month and day.
    let iso: Vec<&str> = text.split('-').collect();
    if iso.len() == 3 && iso[0].len() == 4 && iso.iter().all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit())) {
        return Some((iso[2].parse().ok()?, iso[1].parse().ok()?, iso[0].parse().ok()?));
    }
    let pieces: Vec<&str> = text.split(['/', '.', '-', ' ', ',']).filter(|p| !p.is_empty()).collect();
    if pieces.len() != 3 {
        return None;
    }
    let day: u32 = number(pieces[0])?;
    let month = match number(pieces[1]) {
        Some(month) => month,
        None => month_named(pieces[1])?,
    };
    let year: i32 = number(pieces[2])?;
    Some((day, month, year))
}

fn number<T: std::str::FromStr>(text: &str) -> Option<T> {
    (text.len() <= 4 && text.bytes().all(|b| b.is_ascii_digit())).then(|| text.parse().ok()).flatten()
}

/// "Mar", "march", "Sept" → 3, 3, 9.
fn month_named(text: &str) -> Option<u32> {
    let lower = text.trim_end_matches('.').to_lowercase();
    if lower.len() < 3 {
        return None;
    }
    MONTHS.iter().position(|m| m.to_lowercase().starts_with(&lower) || (lower == "sept" && *m == "September")).map(|i| i as u32 + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(input: &str, expected: &str) {
        let actual = match read("dateOfBirth", "date of birth", input) {
            Ok(date) => date.to_string(),
            Err(problem) => problem.message,
        };
        assert_eq!(actual, expected, "for {input:?}");
    }

    #[test]
    fn the_ways_a_senco_writes_a_date_all_read_as_day_month_year() {
        check("2017-03-14", "2017-03-14");
        check("14/03/2017", "2017-03-14");
        check("14/3/2017", "2017-03-14");
        check("14.3.17", "2017-03-14");
        check("14-03-2017", "2017-03-14");
        check("14 Mar 2017", "2017-03-14");
        check(" 14 march 2017 ", "2017-03-14");
        check("14 Sept 2017", "2017-09-14");
        check("1/9/99", "1999-09-01");
        check("29/02/2024", "2024-02-29");
    }

    #[test]
    fn a_wrong_date_says_what_is_wrong_with_it() {
        check("", "enter the date of birth");
        check("2017-02-30", "the date of birth \"2017-02-30\" is a date that does not exist: February 2017 has no day 30");
        check("03/14/2017", "the date of birth \"03/14/2017\" has no month 14: dates are written day, month, year, such as 14/03/2017");
        check("next Tuesday", "the date of birth \"next Tuesday\" is not a date: write the day, month and year, such as 14/03/2017 or 14 Mar 2017");
        check("14/03/217", "the date of birth \"14/03/217\" has a year of three digits; write it in full, such as 2017");
        check("14 Ma 2017", "the date of birth \"14 Ma 2017\" is not a date: write the day, month and year, such as 14/03/2017 or 14 Mar 2017");
    }

    #[test]
    fn dates_are_shown_the_british_way() {
        let date = NaiveDate::from_ymd_opt(2017, 3, 4).unwrap();
        assert_eq!(short(date), "4 Mar 2017");
        assert_eq!(long(date), "4 March 2017");
        assert_eq!(reading("d", "date", "4.3.17").unwrap(), DateReading { iso: "2017-03-04".into(), display: "4 Mar 2017".into() });
    }
}
