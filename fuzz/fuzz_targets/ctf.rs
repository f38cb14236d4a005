//! Any bytes given to the CTF reader: it must return problems, never panic or hang, and a
//! file it reads must plan against an empty register without panicking either.
#![no_main]

use libfuzzer_sys::fuzz_target;
use senco_core::import::{ctf, plan};

fuzz_target!(|data: &[u8]| {
    let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 26).unwrap();
    let parsed = ctf::read(data, today, ("886", "2001"));
    for problem in &parsed.problems {
        assert!(!problem.message.is_empty());
    }
    let _ = plan::plan(parsed, &[], &[], &plan::Here { la: "886", estab: "2001" }, today);
});
