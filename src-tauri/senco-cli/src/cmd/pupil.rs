//! `senco pupil …`: add, show and change one pupil.

use std::process::ExitCode;

use senco_core::pupil::PupilInput;
use senco_core::sen::{NeedInput, StatusChange};

use super::{parse_need, parse_status, parse_year};
use crate::args::{PupilAddArgs, PupilCommand};
use crate::context::Context;
use crate::output::{self, Failure};

pub fn run(context: &Context, command: PupilCommand) -> Result<ExitCode, Failure> {
    let mut store = context.open()?;
    let stamp = context.stamp;
    let record = match command {
        PupilCommand::Add(args) => store.add_pupil(&input(args)?, stamp)?,
        PupilCommand::Show { upn, format } => {
            let record = store.pupil_by_upn(&upn)?;
            output::out(&output::record(&record, format))?;
            return Ok(ExitCode::SUCCESS);
        }
        PupilCommand::SetStatus { upn, status, start, reason, primary_need } => {
            let id = store.pupil_by_upn(&upn)?.id;
            let change = StatusChange {
                status: parse_status(&status)?,
                start_date: start,
                reason,
                primary_need: primary_need.as_deref().map(parse_need).transpose()?,
            };
            store.set_status(id, &change, stamp)?
        }
        PupilCommand::AddNeed { upn, need, rank, start } => {
            let id = store.pupil_by_upn(&upn)?.id;
            store.add_need(id, &NeedInput { code: parse_need(&need)?, rank, start_date: start }, stamp)?
        }
        PupilCommand::Leave { upn, date } => {
            let id = store.pupil_by_upn(&upn)?.id;
            store.leave(id, &date, stamp)?
        }
    };
    output::note(&format!("{} ({}): {} since {}", record.display_name(), record.upn, record.status, record.status_since));
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
