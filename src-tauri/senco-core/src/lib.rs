//! `senco-core` is the SENCO Toolkit without its windows: the school census vocabulary, the
//! rules of the SEN register, the encrypted store and the synthetic demo school.
//!
//! Invariants, kept by this crate's `Cargo.toml` and by review:
//! - no Tauri, no clap, no windowing and no network;
//! - no clock, no environment and no fixed paths: the date (`Stamp`), every path and every
//!   passphrase are passed in by the shells;
//! - one error type (`Error`) whose variants a caller can act on.
//!
//! Modules in reading order: the vocabulary (`upn`, `census`), the records and their rules
//! (`school`, `pupil`, `sen`, `register`), then `keys` and `store`, and `demo`.

pub mod apdr;
pub mod backup;
pub mod catalogue;
pub mod census;
pub mod dates;
pub mod demo;
pub mod duties;
pub mod error;
pub mod export;
pub mod files;
pub mod governors;
pub mod import;
pub mod keys;
pub mod library;
pub mod pack;
pub mod pdf;
#[cfg(test)]
mod print_tests;
pub mod people;
pub mod pupil;
pub mod readiness;
pub mod register;
pub mod sar;
pub mod school;
pub mod sen;
pub mod statutory;
pub mod summary;
pub mod store;
pub mod text;
pub mod upn;
pub mod vocabulary;

use chrono::{NaiveDate, NaiveDateTime};

pub use error::{Error, ErrorCode, FieldProblem, Result};
pub use store::{Store, Unlock};

/// The moment an action happens. The shells read the clock; the core never does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stamp {
    /// The school day the action belongs to: used for "in the future" checks and ages.
    pub today: NaiveDate,
    /// When the action happened, for the audit trail.
    pub at: NaiveDateTime,
}

impl Stamp {
    /// A stamp at the start of `today`, for scripts and tests that fix the date.
    pub fn on(today: NaiveDate) -> Stamp {
        Stamp { today, at: today.and_hms_opt(0, 0, 0).expect("midnight exists") }
    }
}
