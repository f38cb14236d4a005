//! One module per command group. Each function takes the `Context` and its arguments, calls
//! the core, and prints through `output`.

pub mod care;
pub mod catalogue;
pub mod pack;
pub mod cycle;
pub mod governors;
pub mod import;
pub mod provision;
pub mod pupil;
pub mod records;
pub mod register;
pub mod request;
pub mod school;
pub mod upn;

use senco_core::census::{BroadArea, NeedCode, SenStatus};

use crate::output::Failure;

pub fn parse_status(text: &str) -> Result<SenStatus, Failure> {
    SenStatus::from_code(text).ok_or_else(|| Failure::Usage(format!("--status takes N, M, K or E, not \"{text}\"")))
}

pub fn parse_need(text: &str) -> Result<NeedCode, Failure> {
    NeedCode::from_code(text).ok_or_else(|| {
        let codes: Vec<&str> = NeedCode::ALL.iter().map(|n| n.code()).collect();
        Failure::Usage(format!("\"{text}\" is not a need code; use one of {}", codes.join(", ")))
    })
}

pub fn parse_area(text: &str) -> Result<BroadArea, Failure> {
    BroadArea::from_slug(text).ok_or_else(|| {
        let slugs: Vec<&str> = BroadArea::ALL.iter().map(|a| a.slug()).collect();
        Failure::Usage(format!("--area takes {}, not \"{text}\"", slugs.join(", ")))
    })
}

pub fn parse_year(text: &str) -> Result<i32, Failure> {
    senco_core::pupil::read_year(text).map_err(|why| Failure::Usage(format!("--year: {why}")))
}
