//! The audit trail: one row per change, written in the same transaction as the change,
//! stamped with the real time of the action (never the `--today` a script gave) and with
//! who acted (the program and the computer account, which the shell names).
//!
//! Entries cannot be changed or deleted (triggers in migration 0009 refuse it); an
//! erasure alone removes the entries about the pupil it erases, and leaves its own entry,
//! which names no child.

use chrono::NaiveDate;
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
        self.audit(&AuditQuery { limit: Some(limit), ..AuditQuery::default() })
    }

    /// The audit entries a query asks for, newest first.
    pub fn audit(&self, query: &AuditQuery) -> Result<Vec<AuditEntry>> {
        let pupil = match &query.upn {
            Some(upn) => Some(self.pupil_by_upn(upn)?.id.0),
            None => None,
        };
        let from = query.from.map(|d| d.format("%Y-%m-%d").to_string());
        // `to` is a whole day: everything before the next midnight.
        let to = query.to.and_then(|d| d.succ_opt()).map(|d| d.format("%Y-%m-%d").to_string());
        let mut statement = self.conn.prepare_cached(
            "SELECT a.id, a.at, a.actor, a.action, a.record, a.record_id, p.upn, a.summary
               FROM audit a LEFT JOIN pupil p ON a.record = 'pupil' AND p.id = a.record_id
              WHERE (?1 IS NULL OR (a.record = 'pupil' AND a.record_id = ?1))
                AND (?2 IS NULL OR a.at >= ?2)
                AND (?3 IS NULL OR a.at < ?3)
              ORDER BY a.id DESC
              LIMIT ?4",
        )?;
        let limit = query.limit.map(i64::from).unwrap_or(-1);
        let rows = statement.query_map(params![pupil, from, to, limit], |r| {
            Ok(AuditEntry {
                id: r.get(0)?,
                at: r.get(1)?,
                actor: r.get(2)?,
                action: r.get(3)?,
                record: r.get(4)?,
                record_id: r.get(5)?,
                upn: r.get(6)?,
                summary: r.get(7)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Names who acts through this store from now on, e.g. "senco command line (jsmith)".
    pub fn set_actor(&mut self, actor: &str) -> Result<()> {
        set_actor(&self.conn, &crate::text::shown(actor))
    }
}

/// Which entries to list: all by default.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AuditQuery {
    /// Only entries about this pupil.
    pub upn: Option<String>,
    /// From this day, inclusive.
    pub from: Option<NaiveDate>,
    /// To this day, inclusive.
    pub to: Option<NaiveDate>,
    pub limit: Option<u32>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct AuditEntry {
    #[ts(type = "number")]
    pub id: i64,
    /// When, ISO local time.
    pub at: String,
    /// Who: the program and the computer account.
    pub actor: String,
    pub action: String,
    pub record: String,
    #[ts(type = "number | null")]
    pub record_id: Option<i64>,
    /// The pupil's UPN, when the entry is about a pupil still on file.
    pub upn: Option<String>,
    pub summary: String,
}

/// Who acts through this process, named once by the shell at start-up (the CLI, the app),
/// so even the first rows (a school's creation, a passphrase reset with the recovery key)
/// say who.
static PROCESS_ACTOR: std::sync::OnceLock<String> = std::sync::OnceLock::new();

/// Names who acts through this process; the first call wins.
pub fn set_process_actor(actor: &str) {
    let _ = PROCESS_ACTOR.set(crate::text::shown(actor));
}

pub(super) fn process_actor() -> &'static str {
    PROCESS_ACTOR.get().map(String::as_str).unwrap_or("")
}

/// Registers `senco_actor()` on a connection: every audit row it writes names this actor.
pub(super) fn set_actor(conn: &Connection, actor: &str) -> Result<()> {
    let actor = actor.to_string();
    conn.create_scalar_function("senco_actor", 0, rusqlite::functions::FunctionFlags::SQLITE_UTF8, move |_| Ok(actor.clone()))?;
    Ok(())
}

pub(super) fn record(conn: &Connection, stamp: Stamp, action: &str, record: &str, id: Option<PupilId>, summary: &str) -> Result<()> {
    conn.execute(
        "INSERT INTO audit (at, action, record, record_id, summary, actor) VALUES (?1, ?2, ?3, ?4, ?5, senco_actor())",
        params![stamp.at.format("%Y-%m-%dT%H:%M:%S").to_string(), action, record, id.map(|i| i.0), summary],
    )?;
    Ok(())
}
