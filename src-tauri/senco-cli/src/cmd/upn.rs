//! `senco upn check`: each UPN as valid, temporary or invalid with the reason.

use std::process::ExitCode;

use senco_core::upn::Upn;

use crate::output::{self, Failure};

/// Exit 1 if any UPN is invalid.
pub fn check(upns: &[String]) -> Result<ExitCode, Failure> {
    let mut any_invalid = false;
    for text in upns {
        let line = match Upn::parse(text) {
            Ok(upn) if upn.is_temporary() => format!("{upn}\ttemporary\n"),
            Ok(upn) => format!("{upn}\tvalid\n"),
            Err(e) => {
                any_invalid = true;
                format!("{}\tinvalid: {e}\n", text.trim())
            }
        };
        output::out(&line)?;
    }
    Ok(if any_invalid { ExitCode::from(1) } else { ExitCode::SUCCESS })
}
