//! `senco pupil …`: add, show and change one pupil.

use std::process::ExitCode;

use senco_core::dates;
use senco_core::pupil::{year_name, PupilInput};
use senco_core::sen::{NeedInput, StatusChange};

use super::{parse_need, parse_status, parse_year};
use crate::args::{PupilAddArgs, PupilCommand};
use crate::context::Context;
use crate::output::{self, Failure};

pub fn run(context: &Context, command: PupilCommand) -> Result<ExitCode, Failure> {
    let mut store = context.open()?;
    let stamp = context.stamp;
    let (record, done) = match command {
        PupilCommand::Add(args) => {
            let record = store.add_pupil(&input(args)?, stamp)?;
            let done = format!("added, in {}, admitted {}", year_name(record.nc_year), dates::short(record.admission_date));
            (record, done)
        }
        PupilCommand::Show { upn, format, out } => {
            let record = store.pupil_by_upn(&upn)?;
            let copy = output::Copy { what: "a pupil's record", pupils: 1, pupil: Some(record.id), out: out.as_deref() };
            copy.write(&mut store, stamp, &output::record(&record, format))?;
            return Ok(ExitCode::SUCCESS);
        }
        PupilCommand::SetStatus { upn, status, start, reason, primary_need } => {
            let before = store.pupil_by_upn(&upn)?;
            let change = StatusChange {
                status: parse_status(&status)?,
                start_date: start,
                reason,
                primary_need: primary_need.as_deref().map(parse_need).transpose()?,
            };
            let record = store.set_status(before.id, &change, stamp)?;
            let done = format!("now {} from {} (was {})", record.status, dates::short(record.status_since), before.status);
            (record, done)
        }
        PupilCommand::AddNeed { upn, need, rank, start } => {
            let id = store.pupil_by_upn(&upn)?.id;
            let code = parse_need(&need)?;
            let record = store.add_need(id, &NeedInput { code, rank, start_date: start }, stamp)?;
            let added = record.needs.iter().find(|n| n.code == code && n.end_date.is_none()).expect("the need just added");
            let done = format!("added {} as need {} from {}", added.code, added.rank, dates::short(added.start_date));
            (record, done)
        }
        PupilCommand::CancelLeaving { upn } => {
            let id = store.pupil_by_upn(&upn)?.id;
            let record = store.cancel_leaving(id, stamp)?;
            (record, "stays on roll: the leaving date is taken back, and their needs stay open".to_string())
        }
        PupilCommand::Readmit { upn, date } => {
            let id = store.pupil_by_upn(&upn)?.id;
            let record = store.readmit(id, &date, stamp)?;
            let done = format!("re-admitted on {}, with their history kept", dates::short(record.admission_date));
            (record, done)
        }
        PupilCommand::Leave { upn, date } => {
            let before = store.pupil_by_upn(&upn)?;
            let open_needs = before.current_needs().count();
            let record = store.leave(before.id, &date, stamp)?;
            let leaving = record.leaving_date.expect("just recorded");
            let ends = if leaving >= stamp.today { "end" } else { "ended" };
            let ended = match open_needs {
                0 => String::new(),
                1 => format!("; their open need {ends} that day"),
                n => format!("; their {n} open needs {ends} that day"),
            };
            let when = if leaving >= stamp.today {
                format!("leaves on {}: on the register until then, and the record is closed to changes", dates::short(leaving))
            } else {
                format!("left on {}, and the record is archived", dates::short(leaving))
            };
            (record, format!("{when}{ended}"))
        }
    };
    output::note(&format!("{} ({}): {done}.", record.display_name(), record.upn));
    Ok(ExitCode::SUCCESS)
}

fn input(args: PupilAddArgs) -> Result<PupilInput, Failure> {
    Ok(PupilInput {
        nc_year: parse_year(&args.year)?,
        upn: args.upn,
        legal_forename: args.forename,
        legal_surname: args.surname,
        preferred_forename: args.preferred_forename,
        preferred_surname: args.preferred_surname,
        date_of_birth: args.dob,
        sex: args.sex,
        form: args.form,
        admission_date: args.admitted,
        pupil_premium: args.pupil_premium,
        fsm: args.fsm,
        eal: args.eal,
        looked_after: args.looked_after,
        attendance_pct: args.attendance,
    })
}
