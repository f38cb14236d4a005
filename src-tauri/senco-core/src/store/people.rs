//! Parent meetings, specialist involvement (with recommendations and attached reports kept
//! inside the encrypted store) and one-page profiles.

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use rusqlite::{params, OptionalExtension};
use serde::Serialize;
use ts_rs::TS;

use crate::error::{Error, Result};
use crate::people::{attachment_copy_name, attachment_type, Involvement, ParentMeeting, Profile, Recommendation, Service};
use crate::pupil::{academic_year, PupilId};
use crate::{files, text};
use crate::Stamp;

use super::{audit, Cached, Store};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct MeetingsRecord {
    pub meetings: Vec<ParentMeeting>,
    /// Meetings in the academic year containing the day asked about.
    #[ts(type = "number")]
    pub this_year: i64,
    /// How many are expected by that day: three a year, pro rata (as the worklist counts).
    #[ts(type = "number")]
    pub expected_by_now: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct AttachmentInfo {
    #[ts(type = "number")]
    pub id: i64,
    pub name: String,
    pub media_type: String,
    #[ts(type = "number")]
    pub bytes: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct InvolvementRecord {
    #[ts(type = "number")]
    pub id: i64,
    pub service_label: String,
    #[serde(flatten)]
    pub involvement: Involvement,
    pub attachments: Vec<AttachmentInfo>,
}

impl Store {
    pub fn add_parent_meeting(&mut self, pupil: PupilId, meeting: &ParentMeeting, stamp: Stamp) -> Result<MeetingsRecord> {
        let meeting = meeting.validate(stamp.today)?;
        let tx = self.begin(stamp)?;
        super::sen::position(&tx, pupil)?;
        tx.exec(
            "INSERT INTO parent_meeting (pupil_id, date, attendees, summary, actions) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![pupil.0, meeting.date, meeting.attendees, meeting.summary, meeting.actions],
        )?;
        audit::record(&tx, stamp, "parent-meeting", "pupil", Some(pupil), &format!("parent meeting on {}", meeting.date))?;
        tx.commit()?;
        self.parent_meetings(pupil, stamp.today)
    }

    pub fn parent_meetings(&self, pupil: PupilId, today: NaiveDate) -> Result<MeetingsRecord> {
        let meetings: Vec<ParentMeeting> = self
            .conn
            .prepare_cached("SELECT date, attendees, summary, actions FROM parent_meeting WHERE pupil_id = ?1 ORDER BY date DESC, id DESC")?
            .query_map([pupil.0], |r| Ok(ParentMeeting { date: r.get(0)?, attendees: r.get(1)?, summary: r.get(2)?, actions: r.get(3)? }))?
            .collect::<rusqlite::Result<_>>()?;
        let start = NaiveDate::from_ymd_opt(academic_year(today), 9, 1).expect("exists").to_string();
        let this_year = meetings.iter().filter(|m| m.date >= start && m.date <= today.to_string()).count() as i64;
        let expected_by_now = super::worklist::meetings_expected(today).2;
        Ok(MeetingsRecord { meetings, this_year, expected_by_now })
    }

    pub fn add_involvement(&mut self, pupil: PupilId, involvement: &Involvement, stamp: Stamp) -> Result<InvolvementRecord> {
        let i = involvement.validate(stamp.today)?;
        let tx = self.begin(stamp)?;
        super::sen::position(&tx, pupil)?;
        tx.exec(
            "INSERT INTO involvement (pupil_id, service, referral_date, seen_date, report_date, advice) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![pupil.0, i.service.code(), i.referral_date, i.seen_date, i.report_date, i.advice],
        )?;
        let id = tx.last_insert_rowid();
        for r in &i.recommendations {
            tx.exec("INSERT INTO recommendation (involvement_id, text, acted_on, acted_how) VALUES (?1, ?2, ?3, ?4)", params![id, r.text, r.acted_on, r.acted_how])?;
        }
        audit::record(&tx, stamp, "involvement", "pupil", Some(pupil), &format!("{} involvement recorded", i.service.code()))?;
        tx.commit()?;
        self.involvements(pupil)?.into_iter().find(|r| r.id == id).ok_or_else(|| Error::NotFound { what: "involvement", id: id.to_string() })
    }

    /// Records that recommendation number `index` (from 1) of an involvement was acted on.
    pub fn act_on_recommendation(&mut self, involvement: i64, index: usize, acted_on: &str, how: &str, stamp: Stamp) -> Result<InvolvementRecord> {
        let date = crate::dates::read("actedOn", "date it was acted on", acted_on).map_err(|p| Error::Invalid(vec![p]))?;
        if date > stamp.today {
            return Err(Error::invalid("actedOn", "the date it was acted on is in the future"));
        }
        let how = text::line("actedHow", "how it was acted on", how, text::REASON_MAX).map_err(|p| Error::Invalid(vec![p]))?;
        if how.is_empty() {
            return Err(Error::invalid("actedHow", "say how the recommendation was acted on"));
        }
        let tx = self.begin(stamp)?;
        let pupil: i64 = tx
            .query_row("SELECT pupil_id FROM involvement WHERE id = ?1", [involvement], |r| r.get(0))
            .optional()?
            .ok_or_else(|| Error::NotFound { what: "involvement", id: involvement.to_string() })?;
        let ids: Vec<i64> = tx.prepare("SELECT id FROM recommendation WHERE involvement_id = ?1 ORDER BY id")?.query_map([involvement], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?;
        let Some(id) = index.checked_sub(1).and_then(|i| ids.get(i)) else {
            return Err(Error::NotFound { what: "recommendation", id: index.to_string() });
        };
        tx.exec("UPDATE recommendation SET acted_on = ?2, acted_how = ?3 WHERE id = ?1", params![id, date, how])?;
        audit::record(&tx, stamp, "act-on-recommendation", "pupil", Some(PupilId(pupil)), &format!("recommendation {index} acted on {date}"))?;
        tx.commit()?;
        self.involvements(PupilId(pupil))?.into_iter().find(|r| r.id == involvement).ok_or_else(|| Error::NotFound { what: "involvement", id: involvement.to_string() })
    }

    /// Attaches a report (PDF or image) to an involvement, inside the encrypted store.
    pub fn attach_report(&mut self, involvement: i64, name: &str, bytes: &[u8], stamp: Stamp) -> Result<AttachmentInfo> {
        let name = text::line("name", "file name", name, 200).map_err(|p| Error::Invalid(vec![p]))?;
        let media_type = attachment_type(&name, bytes)?;
        let tx = self.begin(stamp)?;
        let pupil: i64 = tx
            .query_row("SELECT pupil_id FROM involvement WHERE id = ?1", [involvement], |r| r.get(0))
            .optional()?
            .ok_or_else(|| Error::NotFound { what: "involvement", id: involvement.to_string() })?;
        tx.exec("INSERT INTO attachment (involvement_id, name, media_type, bytes) VALUES (?1, ?2, ?3, ?4)", params![involvement, name, media_type, bytes])?;
        let id = tx.last_insert_rowid();
        audit::record(&tx, stamp, "attach-report", "pupil", Some(PupilId(pupil)), &format!("attached {name} ({} bytes)", bytes.len()))?;
        tx.commit()?;
        Ok(AttachmentInfo { id, name, media_type: media_type.into(), bytes: bytes.len() as i64 })
    }

    /// An attached report's name, type and bytes.
    pub fn attachment(&self, id: i64) -> Result<(String, String, Vec<u8>)> {
        self.conn
            .query_row("SELECT name, media_type, bytes FROM attachment WHERE id = ?1", [id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .optional()?
            .ok_or_else(|| Error::NotFound { what: "attachment", id: id.to_string() })
    }

    /// Saves a copy of an attached report into `folder` (made owner-only if new), written
    /// to a temporary file and renamed, and records in the audit trail that a copy left
    /// the encrypted store. Returns where it went. If the copy cannot be written, nothing is
    /// recorded; if the record cannot be written, the copy is removed again.
    pub fn save_attachment_copy(&mut self, id: i64, folder: &Path, stamp: Stamp) -> Result<PathBuf> {
        let (name, media_type, bytes) = self.attachment(id)?;
        let pupil: i64 = self.conn.query_row(
            "SELECT i.pupil_id FROM attachment a JOIN involvement i ON i.id = a.involvement_id WHERE a.id = ?1",
            [id],
            |r| r.get(0),
        )?;
        files::create_private_dir(folder)?;
        let place = super::Place::Exact { name: attachment_copy_name(id, &name, &media_type) };
        let audit = super::ExportAudit::about("save-report-copy", Some(PupilId(pupil)), format!("saved a copy of {name} outside the encrypted store"));
        let (path, _) = self.deliver(folder, &place, audit, stamp, |p| files::write_atomically(p, &bytes))?;
        Ok(path)
    }

    pub fn involvements(&self, pupil: PupilId) -> Result<Vec<InvolvementRecord>> {
        type Row = (i64, String, Option<String>, Option<String>, Option<String>, String);
        let rows: Vec<Row> = self
            .conn
            .prepare_cached("SELECT id, service, referral_date, seen_date, report_date, advice FROM involvement WHERE pupil_id = ?1 ORDER BY coalesce(referral_date, seen_date, report_date) DESC, id DESC")?
            .query_map([pupil.0], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?)))?
            .collect::<rusqlite::Result<_>>()?;
        rows.into_iter()
            .map(|(id, service, referral_date, seen_date, report_date, advice)| {
                let service = Service::ALL.into_iter().find(|s| s.code() == service).unwrap_or(Service::Other);
                let recommendations = self
                    .conn
                    .prepare_cached("SELECT text, acted_on, acted_how FROM recommendation WHERE involvement_id = ?1 ORDER BY id")?
                    .query_map([id], |r| Ok(Recommendation { text: r.get(0)?, acted_on: r.get(1)?, acted_how: r.get(2)? }))?
                    .collect::<rusqlite::Result<_>>()?;
                let attachments = self
                    .conn
                    .prepare_cached("SELECT id, name, media_type, length(bytes) FROM attachment WHERE involvement_id = ?1 ORDER BY id")?
                    .query_map([id], |r| Ok(AttachmentInfo { id: r.get(0)?, name: r.get(1)?, media_type: r.get(2)?, bytes: r.get(3)? }))?
                    .collect::<rusqlite::Result<_>>()?;
                Ok(InvolvementRecord {
                    id,
                    service_label: service.label().to_string(),
                    involvement: Involvement { service, referral_date, seen_date, report_date, advice, recommendations },
                    attachments,
                })
            })
            .collect()
    }

    pub fn set_profile(&mut self, pupil: PupilId, profile: &Profile, stamp: Stamp) -> Result<Profile> {
        let profile = profile.validate()?;
        let tx = self.begin(stamp)?;
        super::sen::position(&tx, pupil)?;
        tx.exec(
            "INSERT INTO profile (pupil_id, admire, important, support, updated_on) VALUES (?1, ?2, ?3, ?4, ?5)
             ON CONFLICT (pupil_id) DO UPDATE SET admire = excluded.admire, important = excluded.important, support = excluded.support, updated_on = excluded.updated_on",
            params![pupil.0, profile.admire, profile.important, profile.support, stamp.today],
        )?;
        audit::record(&tx, stamp, "profile", "pupil", Some(pupil), "one-page profile updated")?;
        tx.commit()?;
        Ok(profile)
    }

    pub fn profile(&self, pupil: PupilId) -> Result<Option<Profile>> {
        Ok(self
            .conn
            .query_row("SELECT admire, important, support FROM profile WHERE pupil_id = ?1", [pupil.0], |r| Ok(Profile { admire: r.get(0)?, important: r.get(1)?, support: r.get(2)? }))
            .optional()?)
    }
}
