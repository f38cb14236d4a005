//! `senco init`, `senco demo` and `senco check`: making a school and checking one.

use std::process::ExitCode;

use senco_core::demo::{self, DemoSpec};
use senco_core::register::{RegisterFilter, Roll, SortColumn};
use senco_core::school::{Phase, SchoolSetup};
use senco_core::store;
use senco_core::Store;

use crate::args::{CheckArgs, DemoArgs, InitArgs, PhaseArg};
use crate::context::Context;
use crate::output::{self, Failure};

pub fn init(context: &Context, args: InitArgs) -> Result<ExitCode, Failure> {
    let path = context.school_path();
    let passphrase = context.passphrase().ok_or_else(|| {
        Failure::Usage("set SENCO_PASSPHRASE or give --passphrase-file to choose the school's passphrase".into())
    })?;
    let setup = SchoolSetup {
        name: args.name,
        urn: args.urn,
        la_code: args.la,
        establishment_number: args.estab,
        phase: match args.phase {
            PhaseArg::Primary => Phase::Primary,
            PhaseArg::Secondary => Phase::Secondary,
            PhaseArg::AllThrough => Phase::AllThrough,
            PhaseArg::Special => Phase::Special,
            PhaseArg::Infant => Phase::Infant,
            PhaseArg::Junior => Phase::Junior,
        },
    };
    let (_store, recovery_key) = Store::create(&path, &setup, passphrase, passphrase, context.stamp)?;
    output::note(&format!("Created {}. Its recovery key is below: print it or write it down and keep it safe.", path.display()));
    output::note("It is shown only this once, and it opens the school if the passphrase is forgotten.");
    output::out(&format!("{}\n", recovery_key.as_str()))?;
    Ok(ExitCode::SUCCESS)
}

pub fn demo(context: &Context, args: DemoArgs) -> Result<ExitCode, Failure> {
    if let (Some(schools), Some(folder)) = (args.schools, args.aggregates.as_deref()) {
        let written = demo::trust::write_aggregates(folder, schools, args.pupils, args.seed, context.stamp)?;
        for path in &written {
            output::out(&format!("{}\n", path.display()))?;
        }
        output::note(&format!("Wrote {} demo schools' aggregation files (synthetic pupils only) into {}.", written.len(), folder.display()));
        return Ok(ExitCode::SUCCESS);
    }
    let path = context.demo_path();
    let spec = DemoSpec { pupils: args.pupils, seed: args.seed, years: args.years };
    let store = demo::create(&path, spec, context.stamp)?;
    let all = RegisterFilter { roll: Roll::All, ..RegisterFilter::default() };
    let rows = store.register_rows(&all, SortColumn::Name, false, context.stamp.today)?;
    output::note(&format!(
        "Created the demo school at {} with {} synthetic pupils (seed {}). It uses the fixed demo key, not a passphrase: its pupils are invented, so anyone may open it.",
        path.display(),
        rows.len(),
        args.seed
    ));
    if let Some(file) = args.ctf.as_deref() {
        let school = store.school();
        let here = senco_core::import::ctf::Establishment { la: &school.la_code, estab: &school.establishment_number, urn: &school.urn, name: &school.name };
        let pupils = store.mis_pupils(context.stamp.today)?;
        let xml = senco_core::import::ctf::write(&here, &here, &pupils, context.stamp.today);
        senco_core::files::write_atomically(file, xml.as_bytes())?;
        output::note(&format!("Wrote the demo school's {} pupils on roll as a Common Transfer File: {}", pupils.len(), file.display()));
    }
    Ok(ExitCode::SUCCESS)
}

/// Runs every check; exit 1 if the school is damaged.
pub fn check(context: &Context, args: CheckArgs) -> Result<ExitCode, Failure> {
    let report = store::check(&context.school_path(), context.unlock())?;
    output::out(&output::check_report(&report, args.format))?;
    Ok(if report.healthy() { ExitCode::SUCCESS } else { ExitCode::from(1) })
}
