//! A trust's or a community of schools' roll-up: many schools' aggregation files merged into
//! one aggregate (school by school and in total), which is then published with disclosure
//! control applied again, as for one school.

use std::collections::{BTreeMap, HashMap};

use super::{Aggregate, CountRow, CountTable, Derived, Link, Measures, PercentOf, AGGREGATE_KIND, MARKING, SCHEMA_VERSION};
use crate::{Error, Result};

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
    Ok(aggregate)
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
                    Some(m) => m.cells.iter_mut().zip(&row.cells).for_each(|(a, b)| *a += b),
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
            row.cells = (0..row.cells.len()).map(|c| g.iter().map(|i| base.rows[*i].cells[c]).sum()).collect();
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
    for (_, a) in inputs {
        let m = &a.measures;
        measures.spend_pence += m.spend_pence;
        if let Some(b) = m.budget_pence {
            measures.budget_pence = Some(measures.budget_pence.unwrap_or(0) + b);
        }
        measures.budget_schools += m.budget_schools;
        measures.spend_with_budget_pence += m.spend_with_budget_pence;
        for i in 0..3 {
            measures.attendance_sum[i] += m.attendance_sum[i];
            measures.attendance_pupils[i] += m.attendance_pupils[i];
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
