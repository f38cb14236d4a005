//! Requests for an EHC needs assessment: recorded when sent, then each step the LA takes as
//! it happens, with exceptions; the statutory clock (`statutory`) runs on their dates.

use chrono::NaiveDate;
use rusqlite::{params, OptionalExtension};
use serde::Serialize;
use ts_rs::TS;

use crate::dates;
use crate::error::{Error, Result};
use crate::pupil::PupilId;
use crate::statutory::{self, ClockStep, Exception, RequestDates, RequestEvent};
use crate::Stamp;

use super::{audit, Store};

/// A request with its clock on the day it was read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct RequestRecord {
    #[ts(type = "number")]
    pub id: i64,
    pub sent: NaiveDate,
    pub dates: RequestDates,
    pub running: bool,
    pub steps: Vec<ClockStep>,
    /// What can be recorded next: the choices of the form's "what happened".
    pub can_record: Vec<statutory::RequestStep>,
}

pub(crate) fn read_dates(json: &str) -> Result<RequestDates> {
    serde_json::from_str(json).map_err(|e| Error::Damaged { path: None, detail: format!("a stored EHC needs assessment request cannot be read: {e}") })
}

/// A request's dates as stored: one JSON document.
pub(crate) fn write_dates(dates: &RequestDates) -> String {
    serde_json::to_string(dates).expect("request dates serialise")
}

impl Store {
    /// Records a request as sent (and received, if later). A pupil must be on SEN support or
    /// have an EHC plan, the dates must have happened, and only one request runs at a time.
    pub fn add_request(&mut self, pupil: PupilId, sent: NaiveDate, received: Option<NaiveDate>, stamp: Stamp) -> Result<RequestRecord> {
        let record = self.pupil(pupil)?;
        if !matches!(record.status, crate::census::SenStatus::SenSupport | crate::census::SenStatus::EhcPlan) {
            return Err(Error::Refused(format!(
                "{} is {}: a request for an EHC needs assessment is recorded for a pupil on SEN support or with an EHC plan",
                record.display_name(),
                record.status.label()
            )));
        }
        let received = received.unwrap_or(sent);
        if received < sent {
            return Err(Error::invalid("received", format!("the LA cannot receive the request ({}) before it was sent ({})", dates::short(received), dates::short(sent))));
        }
        if received > stamp.today {
            return Err(Error::invalid("sent", format!("{} is still to come: record the request once it is sent", dates::short(received))));
        }
        let tx = self.begin(stamp)?;
        let running: Option<String> = tx.query_row("SELECT received FROM ehc_request WHERE pupil_id = ?1 AND running = 1", [pupil.0], |r| r.get(0)).optional()?;
        if let Some(day) = running {
            return Err(Error::Refused(format!("a request received on {} is still running for this pupil", day.parse().map(dates::short).unwrap_or(day))));
        }
        let request = RequestDates::received(received);
        tx.execute(
            "INSERT INTO ehc_request (pupil_id, received, sent, running, dates) VALUES (?1, ?2, ?3, 1, ?4)",
            params![pupil.0, received, sent, write_dates(&request)],
        )?;
        let id = tx.last_insert_rowid();
        audit::record(&tx, stamp, "add-ehc-request", "pupil", Some(pupil), &format!("EHC needs assessment request sent {}", dates::short(sent)))?;
        tx.commit()?;
        Ok(RequestRecord { id, sent, running: true, steps: statutory::request_clock(&request, stamp.today), can_record: request.can_record(), dates: request })
    }

    /// Records a step of a request, through the rules of `statutory::record`.
    pub fn record_request_step(&mut self, id: i64, event: &RequestEvent, stamp: Stamp) -> Result<RequestRecord> {
        self.change_request(id, stamp, "record-ehc-request-step", |dates| statutory::record(dates, event, stamp.today))
    }

    /// Adds an exception to a request's time limits.
    pub fn add_request_exception(&mut self, id: i64, exception: &Exception, stamp: Stamp) -> Result<RequestRecord> {
        self.change_request(id, stamp, "add-ehc-request-exception", |dates| statutory::add_exception(dates, exception))
    }

    fn change_request(&mut self, id: i64, stamp: Stamp, action: &str, change: impl FnOnce(&RequestDates) -> Result<RequestDates>) -> Result<RequestRecord> {
        let tx = self.begin(stamp)?;
        let (pupil, sent, json): (i64, NaiveDate, String) = tx
            .query_row("SELECT pupil_id, sent, dates FROM ehc_request WHERE id = ?1", [id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .optional()?
            .ok_or_else(|| Error::NotFound { what: "request", id: id.to_string() })?;
        let next = change(&read_dates(&json)?)?;
        tx.execute("UPDATE ehc_request SET dates = ?1, running = ?2 WHERE id = ?3", params![write_dates(&next), next.running(), id])?;
        audit::record(&tx, stamp, action, "pupil", Some(PupilId(pupil)), "EHC needs assessment request updated")?;
        tx.commit()?;
        Ok(RequestRecord { id, sent, running: next.running(), steps: statutory::request_clock(&next, stamp.today), can_record: next.can_record(), dates: next })
    }

    /// A pupil's requests, newest first, each with its clock on `today`.
    pub fn requests(&self, pupil: PupilId, today: NaiveDate) -> Result<Vec<RequestRecord>> {
        super::sen::position(&self.conn, pupil)?;
        let rows: Vec<(i64, NaiveDate, String)> = self
            .conn
            .prepare_cached("SELECT id, sent, dates FROM ehc_request WHERE pupil_id = ?1 ORDER BY received DESC, id DESC")?
            .query_map([pupil.0], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
            .collect::<rusqlite::Result<_>>()?;
        rows.into_iter()
            .map(|(id, sent, json)| {
                let dates = read_dates(&json)?;
                Ok(RequestRecord { id, sent, running: dates.running(), steps: statutory::request_clock(&dates, today), can_record: dates.can_record(), dates })
            })
            .collect()
    }
}
