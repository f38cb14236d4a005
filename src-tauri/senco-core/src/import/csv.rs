//! Pupil lists exported from an MIS as CSV (SIMS, Arbor, Bromcom, or any other through a
//! profile the SENCO builds by matching columns).
//!
//! The file's bytes are read as they come from Excel or an MIS: UTF-8 (with or without a
//! byte-order mark), UTF-16 with a byte-order mark ("Unicode text"), or Windows-1252 (what
//! Excel's "CSV" writes on an English Windows). The delimiter is the one among comma,
//! semicolon and tab that the heading line uses most. Quoted cells may hold delimiters,
//! doubled quotes and line breaks; problems name the line on which the row starts.
//!
//! Limits, so that a hostile file costs little: 1,000 cells a row and 10,000 characters a
//! cell. A row past either is a problem naming its line; the tokenizer never backtracks.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::census::SenStatus;

use crate::text::shown;
use super::{values, Field, FileFacts, MisNeed, MisPupil, MisSen, Parsed, Place, Problem, Source};

pub const MAX_CELLS: usize = 1000;
pub const MAX_CELL_CHARS: usize = 10_000;

/// The profiles shipped with the toolkit, as data.
pub const SHIPPED: &str = include_str!("../../../../assets/import/profiles.json");

/// Which headings a MIS's export uses for each field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ImportProfile {
    pub id: String,
    pub name: String,
    /// For each field, the headings it may appear under.
    #[ts(type = "Partial<Record<string, Array<string>>>")]
    pub columns: BTreeMap<Field, Vec<String>>,
}

#[derive(Deserialize)]
struct ProfileFile {
    schema_version: u32,
    profiles: Vec<ImportProfile>,
}

/// The shipped profiles: SIMS, Arbor and Bromcom.
pub fn shipped() -> Vec<ImportProfile> {
    let file: ProfileFile = serde_json::from_str(SHIPPED).expect("the shipped import profiles are valid JSON (checked by a test)");
    debug_assert_eq!(file.schema_version, 1);
    file.profiles
}

impl ImportProfile {
    /// Which column index each field comes from, given the file's headings.
    fn mapping(&self, headings: &[String]) -> BTreeMap<Field, usize> {
        let squashed: Vec<String> = headings.iter().map(|h| values::squash(h)).collect();
        let mut mapping = BTreeMap::new();
        for (field, names) in &self.columns {
            let found = names.iter().find_map(|name| {
                let want = values::squash(name);
                squashed.iter().position(|h| *h == want)
            });
            if let Some(index) = found {
                mapping.insert(*field, index);
            }
        }
        mapping
    }

    /// Checks a profile the SENCO built: a name, and each required field matched.
    pub fn validate(&self) -> crate::Result<()> {
        let mut problems = Vec::new();
        if let Err(p) = crate::text::line("name", "profile's name", &self.name, 60) {
            problems.push(p);
        } else if self.name.trim().is_empty() {
            problems.push(crate::FieldProblem::new("name", "give the profile a name, such as the MIS it is for"));
        }
        for field in Field::ALL.into_iter().filter(|f| f.required()) {
            if self.columns.get(&field).is_none_or(|names| names.iter().all(|n| n.trim().is_empty())) {
                problems.push(crate::FieldProblem::new(field.name(), format!("choose the column that holds the {}", field.label())));
            }
        }
        for names in self.columns.values() {
            for name in names {
                if let Err(p) = crate::text::line("columns", "column heading", name, 200) {
                    problems.push(p);
                }
            }
        }
        if problems.is_empty() {
            Ok(())
        } else {
            Err(crate::Error::Invalid(problems))
        }
    }
}

/// Which profile to read a CSV with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Choice {
    /// The profile whose headings match the file best.
    Auto,
    /// A shipped or saved profile, by id.
    Named(String),
}

/// The text of the file and what it was encoded as.
pub fn decode(bytes: &[u8]) -> Result<(String, &'static str), String> {
    if bytes.is_empty() {
        return Err("the file is empty".to_string());
    }
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        return std::str::from_utf8(rest)
            .map(|s| (s.to_string(), "UTF-8 with BOM"))
            .map_err(|e| format!("the file says it is UTF-8 but byte {} is not UTF-8", e.valid_up_to() + 3));
    }
    for (bom, encoding, name) in [(b"\xFF\xFE", encoding_rs::UTF_16LE, "UTF-16"), (b"\xFE\xFF", encoding_rs::UTF_16BE, "UTF-16")] {
        if bytes.starts_with(bom) {
            let (text, _, bad) = encoding.decode(bytes);
            if bad {
                return Err("the file says it is UTF-16 but is damaged".to_string());
            }
            return Ok((text.into_owned(), name));
        }
    }
    let sample = &bytes[..bytes.len().min(64 * 1024)];
    if sample.contains(&0) || looks_binary(sample) {
        return Err("the file is not text (it looks like a spreadsheet, archive or other binary file); save it from the MIS or Excel as CSV".to_string());
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => Ok((text.to_string(), "UTF-8")),
        Err(_) => {
            let (text, _, _) = encoding_rs::WINDOWS_1252.decode(bytes);
            Ok((text.into_owned(), "Windows-1252"))
        }
    }
}

/// Control bytes other than tab, CR, LF and form feed are not in text files.
fn looks_binary(sample: &[u8]) -> bool {
    let control = sample.iter().filter(|b| b.is_ascii_control() && !matches!(b, b'\t' | b'\r' | b'\n' | b'\x0c')).count();
    control * 100 > sample.len().max(1)
}

/// The delimiter the first line uses most, outside quotes: comma, semicolon or tab.
pub fn delimiter(text: &str) -> (char, &'static str) {
    let mut counts = [0usize; 3];
    let mut quoted = false;
    for c in text.chars() {
        match c {
            '"' => quoted = !quoted,
            '\n' | '\r' if !quoted => break,
            ',' if !quoted => counts[0] += 1,
            ';' if !quoted => counts[1] += 1,
            '\t' if !quoted => counts[2] += 1,
            _ => {}
        }
    }
    let best = (0..3).max_by_key(|&i| (counts[i], 3 - i)).unwrap_or(0);
    [(',', "comma"), (';', "semicolon"), ('\t', "tab")][best]
}

/// One row: the line it starts on and its cells.
pub struct Row {
    pub line: u64,
    pub cells: Vec<String>,
}

/// Splits text into rows. A row over the limits, or a quote left open at the end, is a
/// problem naming its line.
pub fn rows(text: &str, delimiter: char) -> (Vec<Row>, Vec<Problem>) {
    let mut rows = Vec::new();
    let mut problems = Vec::new();
    let mut chars = text.chars().peekable();
    let mut line: u64 = 1;
    let mut row_line = 1;
    let mut cells: Vec<String> = Vec::new();
    let mut cell = String::new();
    let mut cell_chars = 0usize;
    let mut quoted = false;
    let mut quote_line = 0;
    let mut at_cell_start = true;
    let mut broken: Option<String> = None;
    let mut end_row = |cells: &mut Vec<String>, cell: &mut String, broken: &mut Option<String>, row_line: u64| {
        cells.push(std::mem::take(cell));
        match broken.take() {
            Some(message) => problems.push(Problem::new(Place::Line(row_line), "", "", message)),
            None => {
                if !(cells.len() == 1 && cells[0].trim().is_empty()) {
                    rows.push(Row { line: row_line, cells: std::mem::take(cells) });
                }
            }
        }
        cells.clear();
    };
    while let Some(c) = chars.next() {
        if quoted {
            match c {
                '"' if chars.peek() == Some(&'"') => {
                    chars.next();
                    push(&mut cell, &mut cell_chars, '"', &mut broken, cells.len());
                }
                '"' => quoted = false,
                '\n' => {
                    line += 1;
                    push(&mut cell, &mut cell_chars, '\n', &mut broken, cells.len());
                }
                '\r' => {
                    if chars.peek() == Some(&'\n') {
                        chars.next();
                    }
                    line += 1;
                    push(&mut cell, &mut cell_chars, '\n', &mut broken, cells.len());
                }
                other => push(&mut cell, &mut cell_chars, other, &mut broken, cells.len()),
            }
            continue;
        }
        match c {
            '"' if at_cell_start => {
                quoted = true;
                quote_line = line;
                at_cell_start = false;
            }
            c if c == delimiter => {
                if cells.len() + 1 >= MAX_CELLS && broken.is_none() {
                    broken = Some(format!("the row has more than {MAX_CELLS} cells; a pupil list has far fewer, so check the file is the right one"));
                }
                if broken.is_none() {
                    cells.push(std::mem::take(&mut cell));
                }
                cell.clear();
                cell_chars = 0;
                at_cell_start = true;
            }
            '\n' | '\r' => {
                if c == '\r' && chars.peek() == Some(&'\n') {
                    chars.next();
                }
                end_row(&mut cells, &mut cell, &mut broken, row_line);
                cell_chars = 0;
                at_cell_start = true;
                line += 1;
                row_line = line;
            }
            other => {
                push(&mut cell, &mut cell_chars, other, &mut broken, cells.len());
                at_cell_start = false;
            }
        }
    }
    if quoted {
        broken.get_or_insert(format!("a quoted cell that starts on line {quote_line} is never closed: the file may have been cut short"));
    }
    if !cells.is_empty() || !cell.is_empty() || broken.is_some() {
        end_row(&mut cells, &mut cell, &mut broken, row_line);
    }
    (rows, problems)
}

fn push(cell: &mut String, count: &mut usize, c: char, broken: &mut Option<String>, index: usize) {
    *count += 1;
    if *count > MAX_CELL_CHARS {
        if broken.is_none() {
            *broken = Some(format!("cell {} is longer than {MAX_CELL_CHARS} characters", index + 1));
        }
        return;
    }
    cell.push(c);
}

/// The heading line of a CSV, for matching its columns by hand, with a few rows of example
/// values under each.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, rename = "CsvHeadings")]
pub struct Headings {
    pub headings: Vec<String>,
    /// Up to three values from the first rows, per column.
    pub examples: Vec<Vec<String>>,
    pub encoding: String,
    pub delimiter: String,
}

/// Reads the heading line and the first rows' values.
pub fn headings(bytes: &[u8]) -> Result<Headings, String> {
    within_limit(bytes)?;
    let (text, encoding) = decode(bytes)?;
    let (delimiter, name) = delimiter(&text);
    let (rows, problems) = rows(&text, delimiter);
    let Some(first) = rows.first() else {
        return Err(problems.first().map_or("the file has no heading line".to_string(), |p| format!("{}: {}", p.place, p.message)));
    };
    let headings: Vec<String> = first.cells.iter().map(|h| shown(h.trim())).collect();
    let examples = (0..headings.len())
        .map(|i| rows.iter().skip(1).take(3).filter_map(|r| r.cells.get(i)).map(|c| shown(c.trim())).collect())
        .collect();
    Ok(Headings { headings, examples, encoding: encoding.to_string(), delimiter: name.to_string() })
}

/// Refuses a file past `files::CSV_LIMIT`, whichever shell read it.
fn within_limit(bytes: &[u8]) -> Result<(), String> {
    let limit = crate::files::CSV_LIMIT;
    if bytes.len() as u64 > limit.bytes() {
        return Err(format!("the file is larger than {} MB, the most {} may be, so it was not read; check that it is the right file", limit.megabytes, limit.kind));
    }
    Ok(())
}

/// Reads a CSV export with the chosen profile. `profiles` holds the shipped and saved ones.
pub fn read(bytes: &[u8], choice: &Choice, profiles: &[ImportProfile]) -> Parsed {
    if let Err(message) = within_limit(bytes) {
        return Parsed::failed(Source::Csv, Problem::file(message));
    }
    let (text, encoding) = match decode(bytes) {
        Ok(decoded) => decoded,
        Err(message) => return Parsed::failed(Source::Csv, Problem::file(message)),
    };
    let (delimiter, delimiter_name) = delimiter(&text);
    let (mut rows, row_problems) = rows(&text, delimiter);
    let mut parsed = Parsed::failed(Source::Csv, Problem::file(""));
    parsed.problems.clear();
    parsed.facts = FileFacts { encoding: encoding.to_string(), delimiter: delimiter_name.to_string(), ..FileFacts::default() };
    if encoding == "Windows-1252" && bytes.windows(2).any(|w| (0xC2..=0xDF).contains(&w[0]) && (0x80..=0xBF).contains(&w[1])) {
        parsed.warnings.push(
            "the file is not all UTF-8, so it was read as Windows-1252, but parts of it look like UTF-8: check accented names in the preview, and save the file again from the MIS if they look wrong".to_string(),
        );
    }
    if rows.is_empty() {
        parsed.problems.extend(row_problems);
        parsed.problems.push(Problem::file("the file has no heading line: it holds no rows"));
        return parsed;
    }
    let heading = rows.remove(0);
    if row_problems.iter().any(|p| p.place == Place::Line(1)) || heading.line != 1 && row_problems.iter().any(|p| p.place < Place::Line(heading.line)) {
        parsed.problems.extend(row_problems);
        parsed.problems.push(Problem::file("the heading line could not be read, so no column is known"));
        return parsed;
    }
    let headings: Vec<String> = heading.cells.iter().map(|h| h.trim().to_string()).collect();
    let profile = match choose(choice, profiles, &headings) {
        Ok(profile) => profile,
        Err(message) => {
            parsed.problems.push(Problem::new(Place::Line(heading.line), "", "", message));
            return parsed;
        }
    };
    let mapping = profile.mapping(&headings);
    parsed.facts.profile = profile.name.clone();
    for (index, heading) in headings.iter().enumerate() {
        if !mapping.values().any(|i| *i == index) && !heading.is_empty() {
            *parsed.ignored.entry(shown(heading)).or_insert(0) += 1;
        }
    }
    parsed.problems.extend(row_problems);
    if rows.is_empty() {
        parsed.problems.push(Problem::file("the file has a heading line but no pupils"));
        return parsed;
    }
    for row in rows {
        if row.cells.len() > headings.len() {
            parsed.problems.push(Problem::new(
                Place::Line(row.line),
                "",
                "",
                format!("the row has {} cells but the heading line has {}; a delimiter may be missing its quotes", row.cells.len(), headings.len()),
            ));
            continue;
        }
        let cell = |field: Field| mapping.get(&field).and_then(|i| row.cells.get(*i)).map(|s| s.trim());
        match pupil(&row, &cell, mapping.contains_key(&Field::SenStatus)) {
            Ok(pupil) => parsed.pupils.push(pupil),
            Err(problems) => parsed.problems.extend(problems),
        }
    }
    parsed
}

/// The named profile, or for `Auto` the one matching every required column and most others.
fn choose<'a>(choice: &Choice, profiles: &'a [ImportProfile], headings: &[String]) -> Result<&'a ImportProfile, String> {
    let missing = |p: &ImportProfile| -> Vec<Field> {
        let mapping = p.mapping(headings);
        Field::ALL.into_iter().filter(|f| f.required() && !mapping.contains_key(f)).collect()
    };
    let seen = || headings.iter().take(30).map(|h| format!("\"{}\"", shown(h))).collect::<Vec<_>>().join(", ");
    match choice {
        Choice::Named(id) => {
            let profile = profiles.iter().find(|p| p.id == *id).ok_or_else(|| {
                let ids: Vec<&str> = profiles.iter().map(|p| p.id.as_str()).collect();
                format!("there is no import profile \"{}\"; the profiles are {}", shown(id), ids.join(", "))
            })?;
            let missing = missing(profile);
            if missing.is_empty() {
                Ok(profile)
            } else {
                let names: Vec<&str> = missing.iter().map(|f| f.label()).collect();
                Err(format!(
                    "the {} profile finds no column for the {}; the headings are {}. Choose another profile, or match the columns yourself",
                    profile.name,
                    names.join(", "),
                    seen()
                ))
            }
        }
        Choice::Auto => profiles
            .iter()
            .filter(|p| missing(p).is_empty())
            .max_by_key(|p| p.mapping(headings).len())
            .ok_or_else(|| format!("no import profile matches these headings: {}. Choose a profile, or match the columns yourself", seen())),
    }
}

/// One row read into a pupil, or every problem in it.
fn pupil<'a>(row: &Row, cell: &dyn Fn(Field) -> Option<&'a str>, has_sen: bool) -> Result<MisPupil, Vec<Problem>> {
    let place = Place::Line(row.line);
    let upn = cell(Field::Upn).unwrap_or("").to_string();
    let mut problems = Vec::new();
    let mut problem = |field: Field, message: String| problems.push(Problem::at(place, &upn, field, message));
    let mut pupil = MisPupil::empty(place);
    pupil.upn = upn.clone();
    if upn.is_empty() {
        problem(Field::Upn, "the row has no UPN".to_string());
    }
    pupil.former_upn = cell(Field::FormerUpn).unwrap_or("").to_string();
    for (field, target) in [
        (Field::LegalSurname, &mut pupil.legal_surname),
        (Field::LegalForename, &mut pupil.legal_forename),
        (Field::PreferredSurname, &mut pupil.preferred_surname),
        (Field::PreferredForename, &mut pupil.preferred_forename),
    ] {
        let text = cell(field).unwrap_or("");
        if field.required() && text.is_empty() {
            problem(field, format!("the row has no {}", field.label()));
        }
        *target = values::name_case(text);
    }
    let mut date = |field: Field, required: bool| -> Option<NaiveDate> {
        match cell(field) {
            Some(text) if !text.is_empty() => values::date(field.label(), text).map_err(|m| problem(field, m)).ok(),
            _ if required => {
                problem(field, format!("the row has no {}", field.label()));
                None
            }
            _ => None,
        }
    };
    pupil.date_of_birth = date(Field::DateOfBirth, true);
    pupil.admission_date = date(Field::AdmissionDate, false);
    let sen_start = date(Field::SenStartDate, false);
    match values::sex(cell(Field::Sex).unwrap_or("")) {
        Ok(sex) => pupil.sex = Some(sex),
        Err(m) => problem(Field::Sex, m),
    }
    match values::year(cell(Field::NcYear).unwrap_or("")) {
        Ok(year) => pupil.nc_year = Some(year),
        Err(m) => problem(Field::NcYear, m),
    }
    pupil.form = cell(Field::Form).map(str::to_string);
    for (field, target) in [
        (Field::PupilPremium, &mut pupil.pupil_premium),
        (Field::Fsm, &mut pupil.fsm),
        (Field::Eal, &mut pupil.eal),
        (Field::LookedAfter, &mut pupil.looked_after),
    ] {
        if let Some(text) = cell(field) {
            match values::flag(text) {
                Ok(flag) => *target = Some(flag),
                Err(m) => problem(field, m),
            }
        }
    }
    if let Some(text) = cell(Field::AttendancePct) {
        match values::percent(text) {
            Ok(pct) => pupil.attendance_pct = pct,
            Err(m) => problem(Field::AttendancePct, m),
        }
    }
    if has_sen {
        let status = values::status(cell(Field::SenStatus).unwrap_or("")).map_err(|m| problem(Field::SenStatus, m)).ok();
        let mut needs = Vec::new();
        for (field, rank) in [(Field::PrimaryNeed, 1), (Field::SecondaryNeed, 2)] {
            match cell(field) {
                Some(text) if !text.is_empty() => match values::need(text) {
                    Ok(code) if needs.iter().any(|n: &MisNeed| n.code == code) => {
                        problem(field, format!("the need {} is given twice", code.code()))
                    }
                    Ok(code) => needs.push(MisNeed { code, rank, start_date: sen_start, end_date: None }),
                    Err(m) => problem(field, m),
                },
                _ => {}
            }
        }
        if let Some(status) = status {
            if status.needs_primary_need() && !needs.iter().any(|n| n.rank == 1) {
                problem(Field::PrimaryNeed, format!("the SEN status is {} but no primary need is given; the census needs one", status.code()));
            }
            if status == SenStatus::NoSen {
                needs.clear();
            }
            pupil.sen = Some(MisSen { status, start_date: sen_start, earlier: Vec::new(), needs });
        }
    }
    if problems.is_empty() {
        Ok(pupil)
    } else {
        Err(problems)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cells(text: &str) -> Vec<Vec<String>> {
        let (rows, problems) = rows(text, ',');
        assert!(problems.is_empty(), "{problems:?}");
        rows.into_iter().map(|r| r.cells).collect()
    }

    #[test]
    fn quoted_cells_hold_commas_quotes_and_line_breaks() {
        assert_eq!(cells("a,\"b,c\",\"say \"\"hi\"\"\"\r\n1,\"two\nlines\",3\n"), vec![
            vec!["a".to_string(), "b,c".to_string(), "say \"hi\"".to_string()],
            vec!["1".to_string(), "two\nlines".to_string(), "3".to_string()],
        ]);
    }

    #[test]
    fn a_row_after_a_multiline_cell_is_numbered_by_its_own_line() {
        let (rows, _) = rows("h1,h2\n\"x\ny\",1\nz,2\n", ',');
        assert_eq!(rows.iter().map(|r| r.line).collect::<Vec<_>>(), vec![1, 2, 4]);
    }

    #[test]
    fn an_open_quote_at_the_end_is_a_problem_on_its_line() {
        let (_, problems) = rows("h\n\"never closed\n", ',');
        assert_eq!(problems[0].place, Place::Line(2));
        assert!(problems[0].message.contains("never closed"));
    }

    #[test]
    fn delimiters_are_detected_from_the_heading_line() {
        assert_eq!(delimiter("UPN;Surname;\"A,B\"\n1,2,3,4").1, "semicolon");
        assert_eq!(delimiter("UPN\tSurname\tForename").1, "tab");
        assert_eq!(delimiter("UPN,Surname").1, "comma");
    }

    #[test]
    fn encodings_as_excel_and_mis_exports_save_them() {
        assert_eq!(decode(b"\xEF\xBB\xBFUPN").unwrap(), ("UPN".to_string(), "UTF-8 with BOM"));
        assert_eq!(decode("Zoë".as_bytes()).unwrap().1, "UTF-8");
        assert_eq!(decode(b"Zo\xEB").unwrap(), ("Zoë".to_string(), "Windows-1252"));
        assert_eq!(decode(b"\xFF\xFEU\0P\0N\0").unwrap(), ("UPN".to_string(), "UTF-16"));
        assert!(decode(b"PK\x03\x04\x14\0\0\0").unwrap_err().contains("not text"));
        assert!(decode(b"").unwrap_err().contains("empty"));
    }

    #[test]
    fn the_shipped_profiles_read_and_each_has_the_required_fields() {
        let profiles = shipped();
        assert_eq!(profiles.iter().map(|p| p.id.as_str()).collect::<Vec<_>>(), ["sims", "arbor", "bromcom"]);
        for profile in &profiles {
            profile.validate().unwrap_or_else(|e| panic!("{}: {e}", profile.id));
        }
    }
}
