//! `senco import ctf|csv` and `senco reconcile`: pupils from the school's MIS, previewed
//! before anything is written, and the list of SEN differences for the school office.
//!
//! Exit codes: 0 when the import was applied (or had nothing to do, or was a dry run with no
//! problems); 1 when the file has a problem, and then nothing was written.

use std::fs::File;
use std::io::BufReader;
use std::path::Path;
use std::process::ExitCode;

use senco_core::import::csv::{self, Choice};
use senco_core::import::plan::{MatchedBy, ImportPlan};
use senco_core::import::{ctf, Parsed, Source};
use senco_core::pupil::year_name;
use senco_core::store::ImportOutcome;
use senco_core::{dates, export, Store};

use crate::args::{ImportArgs, ImportCommand, ListFormat, ReconcileArgs, RecordFormat};
use crate::context::Context;
use crate::output::{self, Failure};

/// How many lines of each list the text report shows.
const SHOWN: usize = 25;

fn cannot_read(file: &Path, e: &std::io::Error) -> Failure {
    Failure::Refused(format!("{} could not be read: {}", file.display(), senco_core::error::plain_cause(e)))
}

/// Reads the file the way its kind needs.
fn parse<'a>(store: &Store, command: &'a ImportCommand, today: chrono::NaiveDate) -> Result<(Parsed, &'a ImportArgs), Failure> {
    match command {
        ImportCommand::Ctf(args) => {
            let file = File::open(&args.file).map_err(|e| cannot_read(&args.file, &e))?;
            let school = store.school();
            let parsed = ctf::read(BufReader::with_capacity(256 * 1024, file), today, (&school.la_code, &school.establishment_number));
            Ok((parsed, args))
        }
        ImportCommand::Csv { common, profile } => {
            let bytes = senco_core::files::read_limited(&common.file, senco_core::files::CSV_LIMIT)?;
            let choice = if profile == "auto" { Choice::Auto } else { Choice::Named(profile.clone()) };
            Ok((csv::read(&bytes, &choice, &store.import_profiles()?), common))
        }
    }
}

pub fn run(context: &Context, command: ImportCommand) -> Result<ExitCode, Failure> {
    let mut store = context.open()?;
    let (parsed, args) = parse(&store, &command, context.stamp.today)?;
    let name = args.file.file_name().map_or_else(|| args.file.display().to_string(), |n| n.to_string_lossy().into_owned());
    let (plan, outcome) = if args.dry_run {
        (store.plan_import(parsed, context.stamp.today)?, None)
    } else {
        let preview = store.plan_import(parsed.clone(), context.stamp.today)?;
        let blocked = !(preview.problems.is_empty() || (args.leave_out_refused && preview.can_leave_out));
        if blocked || (preview.name_matches() > 0 && !args.confirm_matches) {
            (preview, None)
        } else {
            let mut last_shown = 0;
            let mut progress = |done: u64, total: u64| {
                if total >= 500 && done * 10 / total > last_shown {
                    last_shown = done * 10 / total;
                    output::note(&format!("Importing: {done} of {total}"));
                }
                true
            };
            // The plan is worked out again inside the transaction; if another program (the
            // app, a second script) imported first, this one sees the register as it is now.
            let (plan, outcome) = store.apply_import(parsed, &name, None, args.confirm_matches, args.leave_out_refused, &mut progress, context.stamp)?;
            (plan, Some(outcome))
        }
    };
    match args.format {
        RecordFormat::Json => output::out(&json(&args.file, &plan, outcome.as_ref(), args.dry_run))?,
        RecordFormat::Text => output::out(&text(&args.file, &plan, outcome.as_ref(), args.dry_run, context.stamp.today))?,
    }
    if !plan.problems.is_empty() && outcome.is_none() {
        let choice = if plan.can_leave_out { " Or import the others with --leave-out-refused: the rows with problems are left out, listed for the office." } else { "" };
        output::note(&format!(
            "Nothing was imported: the file has {} problem{}. Correct them in the MIS or the file, then import again.{choice}",
            plan.problems.len(),
            if plan.problems.len() == 1 { "" } else { "s" }
        ));
        return Ok(ExitCode::from(1));
    }
    if outcome.is_none() && !args.dry_run {
        output::note(&format!(
            "Nothing was imported: {} pupil{} matched only by surname and date of birth. Check them above, then import again with --confirm-matches.",
            plan.name_matches(),
            if plan.name_matches() == 1 { "" } else { "s" }
        ));
        return Ok(ExitCode::from(1));
    }
    Ok(ExitCode::SUCCESS)
}

fn json(file: &Path, plan: &ImportPlan, outcome: Option<&ImportOutcome>, dry_run: bool) -> String {
    let document = serde_json::json!({
        "schema_version": export::SCHEMA_VERSION,
        "file": file.display().to_string(),
        "dry_run": dry_run,
        "applied": outcome.is_some_and(|o| o.applied),
        "no_op": plan.is_no_op() && plan.problems.is_empty(),
        "outcome": outcome,
        "plan": plan,
    });
    format!("{}\n", serde_json::to_string_pretty(&document).expect("JSON values serialise"))
}

fn more(out: &mut String, total: usize) {
    if total > SHOWN {
        out.push_str(&format!("  … and {} more (--format json lists them all)\n", total - SHOWN));
    }
}

fn text(file: &Path, plan: &ImportPlan, outcome: Option<&ImportOutcome>, dry_run: bool, _today: chrono::NaiveDate) -> String {
    let mut out = String::new();
    let f = &plan.facts;
    let about = match plan.source {
        Source::Ctf => format!("CTF {} from {}", f.ctf_version, f.source_school),
        Source::Csv => format!("CSV, {}, {}-separated, read with the {} profile", f.encoding, f.delimiter, if f.profile.is_empty() { "(none)" } else { &f.profile }),
    };
    out.push_str(&format!("{}: {about}\n", file.display()));
    out.push_str(&format!("Read {} pupil{} without problems.\n", plan.pupils_read, if plan.pupils_read == 1 { "" } else { "s" }));
    for warning in &plan.warnings {
        out.push_str(&format!("Warning: {warning}\n"));
    }
    if !plan.ignored.is_empty() {
        let list: Vec<String> = plan.ignored.iter().map(|(k, n)| format!("{k} ({n})")).collect();
        out.push_str(&format!("Not read (ignored): {}\n", list.join(", ")));
    }
    out.push_str(&format!("\nNew pupils: {}\n", plan.new_pupils.len()));
    for p in plan.new_pupils.iter().take(SHOWN) {
        let need = p.primary_need.map_or(String::new(), |n| format!(", {}", n.code()));
        out.push_str(&format!("  {}  {}  {}, born {}, {}{need}\n", p.place, p.upn, p.name, dates::short(p.date_of_birth), p.status.short_label()));
    }
    more(&mut out, plan.new_pupils.len());
    out.push_str(&format!("\nChanged pupils: {}\n", plan.changed.len()));
    for c in plan.changed.iter().take(SHOWN) {
        let how = match c.matched_by {
            MatchedBy::Upn => "",
            MatchedBy::FormerUpn => " (matched by former UPN)",
            MatchedBy::NameAndBirth => " (matched by surname and date of birth: CONFIRM)",
        };
        let changes: Vec<String> = c.changes.iter().map(|ch| format!("{} {} → {}", ch.label, shown_value(&ch.old), shown_value(&ch.new))).collect();
        out.push_str(&format!("  {}  {}  {}{how}: {}\n", c.place, c.upn, c.name, changes.join("; ")));
    }
    more(&mut out, plan.changed.len());
    out.push_str(&format!("\nSEN differences for the office (the toolkit's record is kept): {}\n", plan.differences.len()));
    for d in plan.differences.iter().take(SHOWN) {
        out.push_str(&format!("  {}  {}: {} is {} here, {} in the MIS\n", d.upn, d.name, d.field.label(), d.toolkit, d.mis));
    }
    more(&mut out, plan.differences.len());
    if !plan.resolved.is_empty() {
        out.push_str(&format!("Differences now resolved: {}\n", plan.resolved.len()));
    }
    out.push_str(&format!("\nPossible leavers (on roll here, not in the file; nothing is archived): {}\n", plan.missing.len()));
    for m in plan.missing.iter().take(SHOWN) {
        out.push_str(&format!("  {}  {}, {}\n", m.upn, m.name, year_name(m.nc_year)));
    }
    more(&mut out, plan.missing.len());
    out.push_str(&format!("\nProblems: {}\n", plan.problems.len()));
    for p in &plan.problems {
        out.push_str(&format!("  {p}\n"));
    }
    out.push_str(&format!("\nUnchanged: {}\n", plan.unchanged));
    out.push('\n');
    match outcome {
        Some(o) => out.push_str(&format!("{}\n", o.message)),
        _ if !plan.problems.is_empty() => out.push_str("Nothing was written.\n"),
        None if dry_run && plan.is_no_op() => out.push_str("Dry run: nothing to change; the register already matches this file.\n"),
        None if dry_run => out.push_str("Dry run: nothing was written.\n"),
        None => out.push_str("Nothing was written.\n"),
    }
    out
}

fn shown_value(text: &str) -> String {
    if text.is_empty() {
        "(blank)".to_string()
    } else {
        text.to_string()
    }
}

pub fn reconcile(context: &Context, args: ReconcileArgs) -> Result<ExitCode, Failure> {
    let mut store = context.open()?;
    let items = store.reconciliation(context.stamp.today)?;
    let mut upns: Vec<&str> = items.iter().map(|i| i.upn.as_str()).collect();
    upns.sort_unstable();
    upns.dedup();
    let copy = output::Copy { what: "the MIS differences", pupils: upns.len(), pupil: None, out: args.out.as_deref() };
    let text = match args.format {
        ListFormat::Csv => export::reconciliation_csv(&items),
        ListFormat::Json => export::reconciliation_json(&items),
        ListFormat::Table => {
            let mut out = String::new();
            if items.is_empty() {
                out.push_str("No differences: the MIS and the toolkit agree on every pupil's SEN status and primary need.\n");
            } else {
                out.push_str(&format!("{:<14} {:<28} {:<6} {:<16} {:<8} {:<8} since\n", "UPN", "pupil", "year", "field", "toolkit", "MIS"));
                for i in &items {
                    out.push_str(&format!(
                        "{:<14} {:<28} {:<6} {:<16} {:<8} {:<8} {}\n",
                        i.upn,
                        i.name,
                        senco_core::pupil::nc_year_label(i.nc_year),
                        i.label,
                        i.toolkit,
                        i.mis,
                        dates::short(i.first_seen)
                    ));
                }
                out.push_str(&format!("{} difference{}: correct the MIS (or the toolkit) before the next census.\n", items.len(), if items.len() == 1 { "" } else { "s" }));
            }
            out
        }
    };
    copy.write(&mut store, context.stamp, &text)?;
    Ok(ExitCode::SUCCESS)
}
