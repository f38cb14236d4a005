//! A trust's or a community of schools' roll-up: many schools' aggregation files merged into
//! one aggregate (school by school and in total), which is then published with disclosure
//! control applied again, as for one school.

use chrono::NaiveDate;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::io::Read;
use std::path::Path;

use super::{Aggregate, CountRow, CountTable, Derived, Link, Measures, PercentOf, AGGREGATE_KIND, MARKING, SCHEMA_VERSION};
use crate::{Error, Result};

/// The largest aggregation file read: a school's is some tens of kilobytes.
pub const FILE_LIMIT: u64 = 4 * 1024 * 1024;

/// The most pupils one count in a school's file may hold: more than any school in England.
pub const COUNT_LIMIT: u64 = 100_000;

/// The longest school name, as the app accepts one (`school::SCHOOL_NAME_MAX`).
const NAME_LIMIT: usize = crate::school::SCHOOL_NAME_MAX;

/// The longest label, title or note of a table, and the most tables, rows and columns.
const LABEL_LIMIT: usize = 200;
const NOTE_LIMIT: usize = 1_000;
const TABLE_LIMIT: usize = 100;
const ROW_LIMIT: usize = 1_000;
const COLUMN_LIMIT: usize = 20;

/// The most the planned cost or the budget of one school may be, in pence (£100 million,
/// as the budget setting allows).
const PENCE_LIMIT: i64 = 10_000_000_000;

/// Reads and checks one aggregation file at `path`, stopping at `FILE_LIMIT` bytes as it
/// reads (a special file or a pipe may say nothing of its size, or never end).
pub fn read_file(path: &Path) -> Result<Aggregate> {
    let name = path.display().to_string();
    let file = std::fs::File::open(path).map_err(|e| Error::Refused(format!("{name} could not be read: {}", crate::error::plain_cause(&e))))?;
    let mut bytes = Vec::new();
    file.take(FILE_LIMIT + 1).read_to_end(&mut bytes).map_err(|e| Error::Refused(format!("{name} could not be read: {}", crate::error::plain_cause(&e))))?;
    if bytes.len() as u64 > FILE_LIMIT {
        return Err(Error::Refused(format!(
            "{name} is larger than {} MB, the most an aggregation file may be; a school's file is far smaller, so this is not one",
            FILE_LIMIT / (1024 * 1024)
        )));
    }
    let text = String::from_utf8(bytes).map_err(|_| Error::Refused(format!("{name} is not text (UTF-8), so it is not an aggregation file")))?;
    read(&name, &text)
}

/// Reads one aggregation file, naming the file and what is wrong with it.
pub fn read(file: &str, text: &str) -> Result<Aggregate> {
    let value: serde_json::Value =
        serde_json::from_str(text).map_err(|e| Error::Refused(format!("{file} is not JSON: line {}, column {}: {e}", e.line(), e.column())))?;
    match value.get("kind").and_then(|k| k.as_str()) {
        Some(AGGREGATE_KIND) => {}
        Some("published") => {
            return Err(Error::Refused(format!("{file} is a published summary, with small counts hidden; a roll-up needs each school's file for aggregation")))
        }
        _ => return Err(Error::Refused(format!("{file} is not a governors' aggregation file (it has no \"kind\": \"aggregate\")"))),
    }
    match value.get("schema_version").and_then(|v| v.as_u64()) {
        Some(v) if v == SCHEMA_VERSION as u64 => {}
        Some(v) => return Err(Error::Refused(format!("{file} has schema version {v}; this version of the app reads version {SCHEMA_VERSION}"))),
        None => return Err(Error::Refused(format!("{file} has no schema_version"))),
    }
    let aggregate: Aggregate = serde_json::from_value(value).map_err(|e| Error::Refused(format!("{file} is damaged: {e}")))?;
    if aggregate.schools.len() != 1 || aggregate.tables.iter().any(|t| t.id == "schools") {
        return Err(Error::Refused(format!("{file} is already a roll-up of {} schools; merge the schools' own files instead", aggregate.schools.len())));
    }
    for t in &aggregate.tables {
        let width = t.columns.len();
        let damaged = |what: String| Error::Refused(format!("{file} is damaged: table {}: {what}", t.id));
        if let Some(row) = t.rows.iter().find(|r| r.cells.len() != width) {
            return Err(damaged(format!("row {:?} has {} cells for {} columns", row.label, row.cells.len(), width)));
        }
        if let Some(link) = &t.link {
            if link.rows.len() != t.rows.len() || link.columns.len() != width {
                return Err(damaged("its links do not match its rows and columns".into()));
            }
        }
        if let Some(d) = &t.derived {
            let base = aggregate.tables.iter().find(|b| b.id == d.from).ok_or_else(|| damaged(format!("it adds up a table {} that is missing", d.from)))?;
            if d.groups.len() != t.rows.len() || d.groups.iter().flatten().any(|g| *g >= base.rows.len()) || base.columns.len() != width {
                return Err(damaged(format!("its groups do not match the rows of {}", d.from)));
            }
        }
    }
    match aggregate.tables.iter().find(|t| t.id == "register") {
        Some(r) if r.columns.len() == 1 && r.rows.len() == 3 => {}
        _ => return Err(Error::Refused(format!("{file} is damaged: it has no register table of No SEN, SEN support and EHC plan"))),
    }
    check(file, &aggregate)?;
    Ok(aggregate)
}

/// Checks a school's aggregate as the app's own would be: names and labels of a sensible
/// length, the school's URN and LA code as digits, counts no school could have, money that
/// is not negative, each table once, and every table adding up to the register where both
/// count the same pupils. Names the file and the table.
fn check(file: &str, aggregate: &Aggregate) -> Result<()> {
    let refuse = |what: String| Err(Error::Refused(format!("{file} is damaged: {what}")));
    let digits = |text: &str, n: usize| text.len() == n && text.bytes().all(|b| b.is_ascii_digit());
    for school in &aggregate.schools {
        if school.name.chars().count() > NAME_LIMIT || crate::text::line("name", "school's name", &school.name, NAME_LIMIT).is_err() {
            return refuse(format!("the school's name is longer than {NAME_LIMIT} characters or holds control, direction or hidden characters"));
        }
        if !digits(&school.urn, 6) {
            return refuse("the school's URN is not six digits".into());
        }
        if !digits(&school.la_code, 3) {
            return refuse("the school's LA code is not three digits".into());
        }
        if let Some(Err(e)) = school.duties.as_ref().map(|d| d.check(NaiveDate::MAX)) {
            return refuse(format!("the school's SEN duties: {e}"));
        }
    }
    if aggregate.notes.len() > TABLE_LIMIT || aggregate.notes.iter().any(|n| n.chars().count() > NOTE_LIMIT) {
        return refuse(format!("its notes are more than {TABLE_LIMIT}, or one is longer than {NOTE_LIMIT} characters"));
    }
    if aggregate.tables.len() > TABLE_LIMIT {
        return refuse(format!("it has {} tables; a school's file has about 20", aggregate.tables.len()));
    }
    let mut ids = HashSet::new();
    for t in &aggregate.tables {
        let table = |what: String| refuse(format!("table {}: {what}", t.id.chars().take(LABEL_LIMIT).collect::<String>()));
        if !ids.insert(t.id.as_str()) {
            return table("it appears twice".into());
        }
        let long = |text: &str, limit: usize| text.chars().count() > limit || text.chars().any(|c| c.is_control() && c != '\n');
        if long(&t.id, LABEL_LIMIT) || long(&t.title, LABEL_LIMIT) || long(&t.note, NOTE_LIMIT) {
            return table(format!("its name or title is longer than {LABEL_LIMIT} characters, or its note longer than {NOTE_LIMIT}, or one holds control characters"));
        }
        if t.rows.len() > ROW_LIMIT || t.columns.len() > COLUMN_LIMIT || t.columns.is_empty() {
            return table(format!("it has {} rows and {} columns; at most {ROW_LIMIT} and from 1 to {COLUMN_LIMIT} are read", t.rows.len(), t.columns.len()));
        }
        let labels = t.columns.iter().chain(t.rows.iter().map(|r| &r.label));
        let conditions = t.link.iter().flat_map(|l| std::iter::once(&l.base).chain(&l.rows).chain(&l.columns));
        if let Some(text) = labels.chain(conditions).find(|text| long(text, LABEL_LIMIT)) {
            return table(format!("a label of {} characters; at most {LABEL_LIMIT} are read", text.chars().count()));
        }
        let mut rows = HashSet::new();
        for row in &t.rows {
            if !rows.insert(row.label.as_str()) {
                return table(format!("row {:?} appears twice", row.label));
            }
            if let Some(n) = row.cells.iter().find(|n| **n > COUNT_LIMIT) {
                return table(format!("row {:?} counts {n}, more than the {COUNT_LIMIT} pupils any school has", row.label));
            }
        }
        if let Some(d) = &t.derived {
            let base = aggregate.tables.iter().find(|b| b.id == d.from).expect("read checked the base is there");
            for (row, group) in t.rows.iter().zip(&d.groups) {
                for (c, cell) in row.cells.iter().enumerate() {
                    // The base's counts are checked against the limit in their own turn.
                    let sum = group.iter().try_fold(0u64, |s, g| s.checked_add(base.rows[*g].cells[c]).filter(|s| *s <= COUNT_LIMIT * ROW_LIMIT as u64));
                    if sum != Some(*cell) {
                        let sum = sum.map_or("more than any school has".to_string(), |s| s.to_string());
                        return table(format!("row {:?} shows {cell} in column {:?}, but the rows of {} it adds up make {sum}", row.label, t.columns[c], d.from));
                    }
                }
            }
        }
    }
    // The same pupils counted in two tables must be the same number (the sex table's
    // columns and the register's rows, say).
    let model = super::disclosure::Model::new(&aggregate.tables);
    let mut by_pupils: BTreeMap<String, (usize, u64)> = BTreeMap::new();
    for (fig, key, value) in model.keyed_values() {
        match by_pupils.get(&key) {
            Some((other, seen)) if *seen != value => {
                let (a, b) = (&aggregate.tables[model.table_of(fig)], &aggregate.tables[*other]);
                return refuse(format!(
                    "table {} counts {value} pupils where table {} counts {seen} of the same pupils ({}); the tables do not add up",
                    a.id,
                    b.id,
                    describe(&key)
                ));
            }
            Some(_) => {}
            None => {
                by_pupils.insert(key, (model.table_of(fig), value));
            }
        }
    }
    let m = &aggregate.measures;
    let money = [("the planned cost", Some(m.spend_pence)), ("the budget", m.budget_pence), ("the planned cost against the budget", Some(m.spend_with_budget_pence))];
    if let Some((what, Some(p))) = money.iter().find(|(_, p)| p.is_some_and(|p| !(0..=PENCE_LIMIT).contains(&p))) {
        return refuse(format!("measures: {what} is {p} pence; it must be from 0 to £100,000,000"));
    }
    if m.budget_schools > 1 || (m.budget_schools == 1) != m.budget_pence.is_some() {
        return refuse("measures: budget_schools does not match the budget".into());
    }
    for i in 0..3 {
        let (sum, pupils) = (m.attendance_sum[i], m.attendance_pupils[i] as f64);
        if !sum.is_finite() || sum < 0.0 || sum > 100.0 * pupils || m.attendance_pupils[i] as u64 > COUNT_LIMIT {
            return refuse("measures: attendance is not a percentage of the pupils counted".into());
        }
    }
    Ok(())
}

/// A population key ("KE|need=ASD") in words for a message.
fn describe(key: &str) -> String {
    let (statuses, rest) = key.split_once('|').unwrap_or((key, ""));
    let mut out = format!("statuses {}", if statuses.is_empty() { "none" } else { statuses });
    if !rest.is_empty() {
        out.push_str(&format!(", {rest}"));
    }
    out
}

/// Sort key for merged rows that are years, key stages or census points: the current census
/// first, then by number, newest census first. `None` for rows of no such order.
fn order(cond: &str) -> Option<(u8, i64)> {
    match cond.split_once('=') {
        None if cond.is_empty() => Some((0, 0)),
        Some(("census", date)) => date.replace('-', "").parse::<i64>().ok().map(|d| (1, -d)),
        Some((_, n)) => n.parse::<i64>().ok().map(|n| (1, n)),
        None => None,
    }
}

/// Merges schools' aggregates. Refuses a mix of census points or schema versions, or one
/// school twice, naming the files.
pub fn merge(inputs: &[(String, Aggregate)]) -> Result<Aggregate> {
    let Some((first_file, first)) = inputs.first() else {
        return Err(Error::Refused("a roll-up needs at least one school's aggregation file".into()));
    };
    let mut seen: HashMap<&str, &str> = HashMap::new();
    for (file, a) in inputs {
        if a.census_date != first.census_date {
            return Err(Error::Refused(format!(
                "{file} is for the census of {}, but {first_file} is for {}; a roll-up needs every school at the same census",
                crate::dates::short(a.census_date),
                crate::dates::short(first.census_date)
            )));
        }
        if a.schema_version != first.schema_version {
            return Err(Error::Refused(format!("{file} has schema version {}, but {first_file} has {}", a.schema_version, first.schema_version)));
        }
        for school in &a.schools {
            if let Some(other) = seen.insert(school.urn.as_str(), file.as_str()) {
                return Err(Error::Refused(format!("school URN {} ({}) is in both {other} and {file}", school.urn, school.name)));
            }
        }
    }

    // Merge each table by id, rows by label, in the first file's table order.
    let mut tables: Vec<CountTable> = Vec::new();
    let mut labels: HashMap<String, Vec<(String, String)>> = HashMap::new();
    for (file, a) in inputs {
        for t in &a.tables {
            let merged = match tables.iter_mut().find(|m| m.id == t.id) {
                Some(m) => m,
                None => {
                    tables.push(CountTable { rows: Vec::new(), ..t.clone() });
                    if let Some(link) = tables.last_mut().and_then(|m| m.link.as_mut()) {
                        link.rows.clear();
                    }
                    tables.last_mut().expect("just pushed")
                }
            };
            if merged.columns != t.columns {
                return Err(Error::Refused(format!("table {} has different columns in {file} than in {first_file}", t.id)));
            }
            // Two schools counting different pupils (attendance recorded for all, or for
            // some) make a table that matches no other table's total: it is linked to none.
            if let (Some(m), Some(l)) = (merged.link.as_mut(), t.link.as_ref()) {
                if m.base != l.base && !m.base.ends_with("|mixed") {
                    m.base = format!("{}|mixed", m.base);
                }
            }
            let known = labels.entry(t.id.clone()).or_default();
            for (r, row) in t.rows.iter().enumerate() {
                let cond = t.link.as_ref().map(|l| l.rows[r].clone()).unwrap_or_default();
                match merged.rows.iter_mut().find(|m| m.label == row.label) {
                    Some(m) => {
                        for (a, b) in m.cells.iter_mut().zip(&row.cells) {
                            *a = a.checked_add(*b).ok_or_else(|| too_big(file, &t.id))?;
                        }
                    }
                    None => {
                        merged.rows.push(row.clone());
                        known.push((row.label.clone(), cond.clone()));
                        if let Some(link) = merged.link.as_mut() {
                            link.rows.push(cond);
                        }
                    }
                }
            }
        }
    }
    // Rows that are years, stages or census points go in order; the rest as first seen.
    for t in &mut tables {
        if let Some(link) = t.link.as_mut() {
            if link.rows.iter().all(|c| order(c).is_some()) {
                let mut paired: Vec<(String, CountRow)> = link.rows.drain(..).zip(t.rows.drain(..)).collect();
                paired.sort_by_key(|(c, _)| order(c));
                for (c, r) in paired {
                    link.rows.push(c);
                    t.rows.push(r);
                }
            }
        }
    }
    // Derived tables are rebuilt from their merged base, by the labels each school grouped.
    let mut groups: BTreeMap<(String, String), Vec<String>> = BTreeMap::new();
    for (_, a) in inputs {
        for t in a.tables.iter().filter(|t| t.derived.is_some()) {
            let d = t.derived.as_ref().expect("filtered");
            let base = a.tables.iter().find(|b| b.id == d.from).ok_or_else(|| Error::Refused(format!("table {} is built from a missing table {}", t.id, d.from)))?;
            for (r, g) in d.groups.iter().enumerate() {
                let entry = groups.entry((t.id.clone(), t.rows[r].label.clone())).or_default();
                for i in g {
                    let label = base.rows.get(*i).map(|row| row.label.clone()).ok_or_else(|| Error::Refused(format!("table {} groups a row that {} does not have", t.id, d.from)))?;
                    if !entry.contains(&label) {
                        entry.push(label);
                    }
                }
            }
        }
    }
    let snapshot = tables.clone();
    for t in tables.iter_mut().filter(|t| t.derived.is_some()) {
        let from = t.derived.as_ref().expect("filtered").from.clone();
        let base = snapshot.iter().find(|b| b.id == from).expect("checked above");
        let new_groups: Vec<Vec<usize>> = t
            .rows
            .iter()
            .map(|r| {
                groups[&(t.id.clone(), r.label.clone())].iter().filter_map(|label| base.rows.iter().position(|b| &b.label == label)).collect()
            })
            .collect();
        for (row, g) in t.rows.iter_mut().zip(&new_groups) {
            row.cells = (0..row.cells.len())
                .map(|c| g.iter().try_fold(0u64, |sum, i| sum.checked_add(base.rows[*i].cells[c])).ok_or_else(|| too_big("the roll-up", &t.id)))
                .collect::<Result<Vec<u64>>>()?;
        }
        t.derived = Some(Derived { from, groups: new_groups });
    }

    // School by school: each school's register.
    let mut by_school = CountTable {
        id: "schools".into(),
        title: "Pupils on the SEN register, school by school".into(),
        columns: vec!["No SEN".into(), "SEN support".into(), "EHC plan".into()],
        rows: Vec::new(),
        column_totals: true,
        percent: PercentOf::Row,
        link: Some(Link { base: "NKE".into(), rows: Vec::new(), columns: vec!["status=N".into(), "status=K".into(), "status=E".into()] }),
        derived: None,
        note: "Each school's pupils on roll at the census. Percentages are of each school's roll.".into(),
    };
    for (file, a) in inputs {
        let register = a.tables.iter().find(|t| t.id == "register").ok_or_else(|| Error::Refused(format!("{file} has no register table")))?;
        let school = a.schools.first().ok_or_else(|| Error::Refused(format!("{file} names no school")))?;
        by_school.rows.push(CountRow { label: school.name.clone(), cells: register.rows.iter().map(|r| r.cells[0]).collect() });
        by_school.link.as_mut().expect("set above").rows.push(format!("school={}", school.urn));
    }
    let at = tables.iter().position(|t| t.id == "register").map_or(0, |i| i + 1);
    tables.insert(at, by_school);

    let mut measures = Measures::default();
    for (file, a) in inputs {
        let m = &a.measures;
        let add = |a: i64, b: i64| a.checked_add(b).ok_or_else(|| too_big(file, "measures"));
        measures.spend_pence = add(measures.spend_pence, m.spend_pence)?;
        if let Some(b) = m.budget_pence {
            measures.budget_pence = Some(add(measures.budget_pence.unwrap_or(0), b)?);
        }
        measures.budget_schools = measures.budget_schools.checked_add(m.budget_schools).ok_or_else(|| too_big(file, "measures"))?;
        measures.spend_with_budget_pence = add(measures.spend_with_budget_pence, m.spend_with_budget_pence)?;
        for i in 0..3 {
            measures.attendance_sum[i] += m.attendance_sum[i];
            measures.attendance_pupils[i] = measures.attendance_pupils[i].checked_add(m.attendance_pupils[i]).ok_or_else(|| too_big(file, "measures"))?;
        }
    }
    // Every total the published summary will add up must fit, too.
    for t in &tables {
        let mut grand = 0u64;
        for row in &t.rows {
            let total = row.cells.iter().try_fold(0u64, |s, c| s.checked_add(*c)).ok_or_else(|| too_big("the roll-up", &t.id))?;
            grand = grand.checked_add(total).ok_or_else(|| too_big("the roll-up", &t.id))?;
        }
    }
    Ok(Aggregate {
        schema_version: SCHEMA_VERSION,
        kind: AGGREGATE_KIND.into(),
        marking: MARKING.into(),
        census_date: first.census_date,
        schools: inputs.iter().flat_map(|(_, a)| a.schools.clone()).collect(),
        tables,
        measures,
        notes: {
            let mut notes: Vec<String> = inputs.iter().flat_map(|(_, a)| a.notes.clone()).collect();
            notes.sort();
            notes.dedup();
            notes
        },
    })
}

fn too_big(file: &str, table: &str) -> Error {
    Error::Refused(format!("{file}: table {table} adds up to more than a count can hold; the files cannot be merged"))
}
