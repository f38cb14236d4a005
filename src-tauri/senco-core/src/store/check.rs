//! Integrity checks: a quick one on every open, and the full set behind `senco check`.
//!
//! The quick check (`PRAGMA quick_check`) reads every table and index page, so SQLCipher
//! verifies each page's authentication code as it decrypts it: a flipped byte anywhere in
//! the school's data is found before anything is written. The full check adds SQLCipher's
//! own page-by-page check (free pages included), SQLite's integrity check and the foreign
//! keys, and reports each finding in plain words. It never writes.

use std::path::{Path, PathBuf};

use rusqlite::{Connection, OpenFlags};
use serde::Serialize;

use super::{connect, refuse_unusable_database_file, unlock_key, user_version, Unlock, SCHEMA_VERSION};
use crate::error::{Error, Result};
use crate::keys::{key_file_path, KeyFile};

/// Refuses a database whose pages fail the quick check.
pub(super) fn quick(conn: &Connection) -> Result<()> {
    let problems = rows(conn, "PRAGMA quick_check(5)")?;
    if problems.iter().all(|p| p == "ok") {
        Ok(())
    } else {
        Err(Error::Damaged { path: None, detail: problems.join("; ") })
    }
}

/// The rows a checking pragma returns, or the error it stopped on as one row.
fn rows(conn: &Connection, pragma: &str) -> Result<Vec<String>> {
    let run = || -> rusqlite::Result<Vec<String>> {
        let mut statement = conn.prepare(pragma)?;
        let found = statement.query_map([], |r| r.get::<_, String>(0))?.collect();
        found
    };
    match run() {
        Ok(found) => Ok(found),
        Err(rusqlite::Error::SqliteFailure(e, message))
            if matches!(e.code, rusqlite::ErrorCode::DatabaseCorrupt | rusqlite::ErrorCode::NotADatabase) =>
        {
            Ok(vec![message.unwrap_or_else(|| "a page failed its check".into())])
        }
        Err(e) => Err(e.into()),
    }
}

/// One line of a check's report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[ts(export, rename = "CheckFinding")]
pub struct Finding {
    /// What was checked, e.g. "page authentication (SQLCipher)".
    pub check: String,
    pub passed: bool,
    /// What was found, in plain words.
    pub detail: String,
}

/// What `senco check` found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CheckReport {
    pub database: PathBuf,
    pub findings: Vec<Finding>,
}

impl CheckReport {
    pub fn healthy(&self) -> bool {
        self.findings.iter().all(|f| f.passed)
    }

    fn add(&mut self, check: &str, problems: Vec<String>, ok_detail: &str) {
        let passed = problems.is_empty();
        let detail = if passed {
            ok_detail.to_string()
        } else {
            let shown: Vec<&str> = problems.iter().take(5).map(String::as_str).collect();
            let more = problems.len().saturating_sub(shown.len());
            format!("{}{}", shown.join("; "), if more > 0 { format!("; and {more} more") } else { String::new() })
        };
        self.findings.push(Finding { check: check.to_string(), passed, detail });
    }
}

/// Runs every check on a school without changing it. Problems that stop the checks early
/// (a wrong passphrase, a missing key file) are errors; damage is reported as findings.
pub fn full(path: &Path, unlock: Unlock<'_>) -> Result<CheckReport> {
    refuse_unusable_database_file(path)?;
    let keys_path = key_file_path(path);
    let key_file = KeyFile::read(&keys_path)?;
    let mut report = CheckReport { database: path.to_path_buf(), findings: Vec::new() };
    key_file.check_belongs_to(path, &keys_path)?;
    let data_key = unlock_key(&key_file, unlock, path)?;
    report.add("key file", vec![], "the key file opens and belongs to this database");
    let conn = match connect(path, &data_key, OpenFlags::SQLITE_OPEN_READ_ONLY, key_file.knows_its_database()) {
        Ok(conn) => conn,
        Err(Error::Damaged { detail, .. }) => {
            report.add("first page", vec![detail], "");
            return Ok(report);
        }
        Err(e) => return Err(e),
    };
    let version = user_version(&conn)?;
    let version_problem = match version {
        0 => vec!["it holds no school".to_string()],
        v if v > SCHEMA_VERSION => vec![format!("it was written by a newer version of SENCO Toolkit (schema {v})")],
        _ => vec![],
    };
    report.add("schema version", version_problem, &format!("schema version {version}"));
    let cipher = rows(&conn, "PRAGMA cipher_integrity_check")?;
    report.add(
        "page authentication (SQLCipher)",
        cipher.into_iter().map(|line| plain_page_problem(&line)).collect(),
        "every page of the file is intact",
    );
    let structure: Vec<String> = rows(&conn, "PRAGMA integrity_check(20)")?.into_iter().filter(|r| r != "ok").collect();
    report.add("database structure (SQLite)", structure, "tables and indexes agree");
    let disagreeing = rows(&conn, "SELECT upn FROM pupil p
        WHERE p.current_status IS NOT coalesce((SELECT status FROM sen_status s WHERE s.pupil_id = p.id AND s.end_date IS NULL), 'N')
           OR p.primary_need IS NOT (SELECT need_code FROM register_primary_need r WHERE r.pupil_id = p.id ORDER BY ended, start_date DESC, id DESC LIMIT 1)")
    .map(|upns| upns.into_iter().map(|upn| format!("the register's status or primary need for {upn} disagrees with their history")).collect())
    .unwrap_or_else(|e| vec![e.to_string()]);
    if version >= 4 {
        report.add("register and history", disagreeing, "every pupil's status and primary need on the register match their history");
    }
    let links = rows(&conn, "SELECT \"table\" || ' row ' || rowid || ' points to a missing ' || parent FROM pragma_foreign_key_check")
        .unwrap_or_else(|e| vec![e.to_string()]);
    report.add("links between records", links, "every record's links point to existing records");
    Ok(report)
}

/// "HMAC verification failed for page 5" becomes words for a technician.
fn plain_page_problem(line: &str) -> String {
    match line.rsplit_once("page ") {
        Some((_, page)) if line.contains("HMAC") => format!("page {page} has been changed or damaged since it was written"),
        _ => line.to_string(),
    }
}
