//! Any bytes given to the CSV reader with the shipped profiles: problems, never a panic,
//! and what it reads plans against an empty register without panicking.
#![no_main]

use libfuzzer_sys::fuzz_target;
use senco_core::import::csv::{self, Choice};
use senco_core::import::plan;

fuzz_target!(|data: &[u8]| {
    let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 26).unwrap();
    let parsed = csv::read(data, &Choice::Auto, &csv::shipped());
    let _ = csv::headings(data);
    let _ = plan::plan(parsed, &[], &[], &plan::Here { la: "886", estab: "2001" }, today);
});
