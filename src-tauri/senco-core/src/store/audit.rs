//! The audit trail: one row per change, written in the same transaction as the change,
//! stamped with the real time of the action (never the `--today` a script gave).

use rusqlite::{params, Connection};
use serde::Serialize;
use ts_rs::TS;

use crate::error::Result;
use crate::pupil::PupilId;
use crate::Stamp;

use super::Store;

impl Store {
    /// The most recent audit entries, newest first.
    pub fn audit_trail(&self, limit: u32) -> Result<Vec<AuditEntry>> {
        recent(&self.conn, limit)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct AuditEntry {
    pub at: String,
    pub action: String,
    pub record: String,
    #[ts(type = "number | null")]
    pub record_id: Option<i64>,
    pub summary: String,
}

pub(super) fn record(conn: &Connection, stamp: Stamp, action: &str, record: &str, id: Option<PupilId>, summary: &str) -> Result<()> {
    conn.execute(
        "INSERT INTO audit (at, action, record, record_id, summary) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![stamp.at.format("%Y-%m-%dT%H:%M:%S").to_string(), action, record, id.map(|i| i.0), summary],
    )?;
    Ok(())
}

fn recent(conn: &Connection, limit: u32) -> Result<Vec<AuditEntry>> {
    let mut statement = conn.prepare_cached(
        "SELECT at, action, record, record_id, summary FROM audit ORDER BY id DESC LIMIT ?1",
    )?;
    let rows = statement.query_map([limit], |r| {
        Ok(AuditEntry { at: r.get(0)?, action: r.get(1)?, record: r.get(2)?, record_id: r.get(3)?, summary: r.get(4)? })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}
