//! `CommandError`: the only error shape the UI sees. The UI switches on `code`.

use senco_core::{ErrorCode, FieldProblem};
use serde::Serialize;
use ts_rs::TS;

#[derive(Debug, Serialize, TS)]
#[ts(export)]
pub struct CommandError {
    pub code: ErrorCode,
    pub message: String,
    pub fields: Vec<FieldProblem>,
}

impl From<senco_core::Error> for CommandError {
    fn from(error: senco_core::Error) -> CommandError {
        CommandError { code: error.code(), message: error.to_string(), fields: error.fields().to_vec() }
    }
}

pub type CommandResult<T> = Result<T, CommandError>;
