//! `senco worklist` and `senco provision-map`: what is due, and what provision costs.

use std::process::ExitCode;

use senco_core::apdr::pounds;
use senco_core::export;
use senco_core::pupil::academic_year;
use senco_core::store::provision_csv;

use crate::args::{ListFormat, ProvisionMapArgs, TableOrJson, WorklistArgs};
use crate::context::Context;
use crate::output::{self, Failure};

pub fn worklist(context: &Context, args: WorklistArgs) -> Result<ExitCode, Failure> {
    let mut store = context.open()?;
    let today = context.stamp.today;
    let items = store.worklist(today)?;
    let mut names: Vec<&str> = items.iter().map(|w| w.upn.as_str()).collect();
    names.sort_unstable();
    names.dedup();
    let copy = output::Copy { what: "the worklist", pupils: names.len(), pupil: None, out: args.out.as_deref() };
    match args.format {
        TableOrJson::Json => copy.write(&mut store, context.stamp, &export::worklist_json(&items, today))?,
        TableOrJson::Table => {
            let mut out = format!("{:<12} {:<14} {:<26} {}\n", "DUE", "UPN", "NAME", "WHAT");
            for w in &items {
                let due = w.due.parse().map(senco_core::dates::short).unwrap_or_else(|_| w.due.clone());
                out.push_str(&format!("{:<12} {:<14} {:<26} {}: {}\n", due, w.upn, w.name.chars().take(26).collect::<String>(), w.label, w.detail));
            }
            copy.write(&mut store, context.stamp, &out)?;
        }
    }
    output::note(&format!("{} item{} on the worklist", items.len(), if items.len() == 1 { "" } else { "s" }));
    Ok(ExitCode::SUCCESS)
}

pub fn map(context: &Context, args: ProvisionMapArgs) -> Result<ExitCode, Failure> {
    let mut store = context.open()?;
    let year = args.year.unwrap_or_else(|| academic_year(context.stamp.today));
    let map = store.provision_map(year)?;
    let copy = output::Copy { what: "the provision map", pupils: map.pupils.len(), pupil: None, out: args.out.as_deref() };
    match args.format {
        ListFormat::Csv => copy.write(&mut store, context.stamp, &provision_csv(&map))?,
        ListFormat::Json => copy.write(&mut store, context.stamp, &export::provision_json(&map))?,
        ListFormat::Table => {
            let mut out = format!("Provision map {}: {} interventions, planned {}, to date {}\n", map.year_label, map.rows.len(), pounds(map.school_planned_pence), pounds(map.school_to_date_pence));
            for (title, groups) in [("By area", &map.by_area), ("By wave", &map.by_wave), ("By year group", &map.by_year_group)] {
                out.push_str(&format!("{title}:\n"));
                for g in groups.iter() {
                    out.push_str(&format!("  {:<40} {:>5} pupils  planned {:>12}  to date {:>12}\n", g.group, g.pupils, pounds(g.planned_cost_pence), pounds(g.cost_to_date_pence)));
                }
            }
            let over = map.pupils.iter().filter(|p| p.over_threshold).count();
            out.push_str(&format!("Pupils over the {} threshold: {over}\n", pounds(map.threshold_pence)));
            copy.write(&mut store, context.stamp, &out)?;
        }
    }
    Ok(ExitCode::SUCCESS)
}
