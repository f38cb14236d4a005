//! `senco register list`: the register, filtered, as a table, CSV or JSON.

use std::process::ExitCode;

use senco_core::register::{RegisterFilter, Roll, SortColumn};

use super::{parse_area, parse_need, parse_status, parse_year};
use crate::args::ListArgs;
use crate::context::Context;
use crate::output::{self, Failure};

pub fn list(context: &Context, args: ListArgs) -> Result<ExitCode, Failure> {
    let filter = RegisterFilter {
        status: args.status.as_deref().map(parse_status).transpose()?,
        need: args.need.as_deref().map(parse_need).transpose()?,
        area: args.area.as_deref().map(parse_area).transpose()?,
        nc_year: args.year.as_deref().map(parse_year).transpose()?,
        roll: if args.all { Roll::All } else if args.left { Roll::Left } else { Roll::OnRoll },
        search: args.search,
        ..RegisterFilter::default()
    };
    let mut store = context.open()?;
    let rows = store.register_rows(&filter, SortColumn::Name, false, context.stamp.today)?;
    let copy = output::Copy { what: "the register", pupils: rows.len(), pupil: None, out: args.out.as_deref() };
    copy.write(&mut store, context.stamp, &output::register(&rows, args.format))?;
    output::note(&output::pupils(rows.len()));
    Ok(ExitCode::SUCCESS)
}
