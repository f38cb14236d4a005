//! The rules of SEN status and needs, as pure checks on a pupil's current position.
//!
//! The store reads the position, asks these functions whether a change is allowed and what
//! it implies (which records close on which day), and writes the result in one transaction.
//! Rules kept here:
//! - one open status at a time; a new one starts after the current one began, which closes
//!   on the day before; nothing starts before admission or in the future;
//! - SEN support (K) and an EHC plan (E) need a primary need (rank 1);
//! - NSA is allowed only with SEN support;
//! - a pupil who has left is archived and cannot be changed; leaving cannot come before
//!   the start of the current status or of an open need, and every open need ends on the
//!   leaving date;
//! - a reason is one line of text (see `crate::text`).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::census::{NeedCode, SenStatus};
use crate::error::{Error, Result};
use crate::dates::{self, read as parse_date};
use crate::text;

/// A database id for one recorded need.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, TS)]
#[ts(export, type = "number")]
pub struct NeedId(pub i64);

impl std::fmt::Display for NeedId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// What the "Change SEN status" form sends.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct StatusChange {
    pub status: SenStatus,
    /// YYYY-MM-DD.
    pub start_date: String,
    pub reason: String,
    /// Required for K and E when the pupil has no primary need yet; replaces it otherwise.
    pub primary_need: Option<NeedCode>,
}

/// What the "Add a need" form sends.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct NeedInput {
    pub code: NeedCode,
    /// 1 is the primary need. None takes the next free rank (`next_free_rank`).
    #[serde(default)]
    pub rank: Option<u32>,
    /// YYYY-MM-DD.
    pub start_date: String,
}

/// The highest rank recorded. The census collects ranks 1 and 2.
pub const MAX_RANK: u32 = 3;

/// The lowest rank not held by an open need, if any is free: where a new need goes unless
/// someone chooses to replace one.
pub fn next_free_rank(open_ranks: impl IntoIterator<Item = u32>) -> Option<u32> {
    let taken: Vec<u32> = open_ranks.into_iter().collect();
    (1..=MAX_RANK).find(|rank| !taken.contains(rank))
}

/// A need that is open now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OpenNeed {
    pub id: NeedId,
    pub code: NeedCode,
    pub rank: u32,
    pub start_date: NaiveDate,
}

/// What the rules need to know about a pupil.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Position {
    pub name: String,
    pub admission_date: NaiveDate,
    pub leaving_date: Option<NaiveDate>,
    pub status: SenStatus,
    pub status_since: NaiveDate,
    pub open_needs: Vec<OpenNeed>,
    /// The latest day any need of the current time on roll began or ended, if any.
    pub latest_need_date: Option<NaiveDate>,
}

/// A need to close, and on which day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Closing {
    pub need_id: NeedId,
    pub end_date: NaiveDate,
}

/// The writes an allowed status change implies.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatusPlan {
    pub status: SenStatus,
    pub start_date: NaiveDate,
    pub reason: String,
    /// The day the current status closes: the day before the new one starts.
    pub previous_ends: NaiveDate,
    /// A change on the day the current status began corrects it instead of following it.
    pub replaces_current: bool,
    pub close_needs: Vec<Closing>,
    pub add_primary: Option<NeedCode>,
}

/// How far ahead a leaving date may be recorded (July leavers are often recorded in June).
pub const MAX_DAYS_AHEAD: i64 = 366;

/// The writes re-admitting a pupil who left implies.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadmissionPlan {
    pub admission_date: NaiveDate,
    /// The time on roll that ended, kept in the pupil's history.
    pub previous_admission: NaiveDate,
    pub previous_leaving: NaiveDate,
}

/// The writes leaving implies.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LeavingPlan {
    pub date: NaiveDate,
    /// Every open need ends on the leaving date.
    pub close_needs: Vec<Closing>,
}

/// The writes an allowed new need implies.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NeedPlan {
    pub code: NeedCode,
    pub rank: u32,
    pub start_date: NaiveDate,
    pub close_needs: Vec<Closing>,
}

/// A need that a change would end, and on which day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct NeedEnding {
    pub code: NeedCode,
    pub rank: u32,
    pub end_date: NaiveDate,
}

/// What a status change would do, for its confirmation step: worked out by the same rules
/// that make the change, and writing nothing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct StatusPreview {
    pub from: SenStatus,
    pub to: SenStatus,
    pub start_date: NaiveDate,
    pub reason: String,
    /// The last day of the current status (the day before the new one), unless the change
    /// corrects a status that began the same day.
    pub previous_ends: Option<NaiveDate>,
    pub needs_ending: Vec<NeedEnding>,
    /// The primary need from the start date: a new one, or the current one kept.
    pub primary_need: Option<NeedCode>,
    pub primary_is_new: bool,
}

/// What recording a need would do: in particular, which need it replaces.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct NeedPreview {
    pub code: NeedCode,
    pub rank: u32,
    pub start_date: NaiveDate,
    pub replaces: Option<NeedEnding>,
}

/// What marking a pupil as left would do.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct LeavingPreview {
    pub date: NaiveDate,
    pub needs_ending: Vec<NeedEnding>,
}

impl Position {
    /// The needs a list of closings ends, named.
    fn endings(&self, closings: &[Closing]) -> Vec<NeedEnding> {
        closings
            .iter()
            .filter_map(|c| self.open_need(|n| n.id == c.need_id).map(|n| NeedEnding { code: n.code, rank: n.rank, end_date: c.end_date }))
            .collect()
    }

    pub fn preview_status_change(&self, change: &StatusChange, today: NaiveDate) -> Result<StatusPreview> {
        let plan = self.plan_status_change(change, today)?;
        let kept = self.open_need(|n| n.rank == 1).map(|n| n.code).filter(|_| plan.status.needs_primary_need());
        Ok(StatusPreview {
            from: self.status,
            to: plan.status,
            start_date: plan.start_date,
            reason: plan.reason.clone(),
            previous_ends: (!plan.replaces_current).then_some(plan.previous_ends),
            needs_ending: self.endings(&plan.close_needs),
            primary_need: plan.add_primary.or(kept),
            primary_is_new: plan.add_primary.is_some(),
        })
    }

    pub fn preview_new_need(&self, need: &NeedInput, today: NaiveDate) -> Result<NeedPreview> {
        let plan = self.plan_new_need(need, today)?;
        Ok(NeedPreview { code: plan.code, rank: plan.rank, start_date: plan.start_date, replaces: self.endings(&plan.close_needs).into_iter().next() })
    }

    pub fn preview_leaving(&self, leaving_date: &str, today: NaiveDate) -> Result<LeavingPreview> {
        let plan = self.plan_leaving(leaving_date, today)?;
        Ok(LeavingPreview { date: plan.date, needs_ending: self.endings(&plan.close_needs) })
    }

    /// A pupil with a leaving date is archived: their record can be read but not changed.
    /// A leaving date still to come keeps them on the register until that day, but their
    /// SEN record is already closed.
    pub fn refuse_if_left(&self, today: NaiveDate) -> Result<()> {
        match self.leaving_date {
            Some(left) if left < today => Err(Error::Refused(format!(
                "{} left on {}; their record is archived and cannot be changed (re-admit them if they have come back)",
                self.name,
                dates::short(left)
            ))),
            Some(leaves) => Err(Error::Refused(format!(
                "{} is recorded as leaving on {}; their record is closed to changes, and they stay on the register until that day",
                self.name,
                dates::short(leaves)
            ))),
            None => Ok(()),
        }
    }

    fn open_need(&self, pred: impl Fn(&OpenNeed) -> bool) -> Option<&OpenNeed> {
        self.open_needs.iter().find(|n| pred(n))
    }

    /// Checks a start date typed into a form: a real date, not in the future and not before
    /// the pupil was admitted.
    fn start_date(&self, field: &str, text: &str, today: NaiveDate) -> Result<NaiveDate> {
        let date = parse_date(field, "start date", text).map_err(|p| Error::Invalid(vec![p]))?;
        if date > today {
            return Err(Error::invalid(field, "the start date is in the future"));
        }
        if date < self.admission_date {
            return Err(Error::invalid(
                field,
                format!("the start date is before the pupil was admitted on {}", self.admission_date),
            ));
        }
        Ok(date)
    }

    pub fn plan_status_change(&self, change: &StatusChange, today: NaiveDate) -> Result<StatusPlan> {
        self.refuse_if_left(today)?;
        let reason = text::line("reason", "reason", &change.reason, text::REASON_MAX).map_err(|p| Error::Invalid(vec![p]))?;
        let start = self.start_date("startDate", &change.start_date, today)?;
        if change.status == self.status {
            return Err(Error::invalid("status", format!("the pupil's status is already {}", self.status)));
        }
        if start < self.status_since {
            return Err(Error::invalid(
                "startDate",
                format!(
                    "the current status ({}) began on {}; a change cannot start before that day",
                    self.status, self.status_since
                ),
            ));
        }
        let replaces_current = start == self.status_since;
        let previous_ends = start.pred_opt().expect("a date after 2000 has a day before it");
        let mut close_needs = Vec::new();
        let mut add_primary = None;
        if change.status.needs_primary_need() {
            let current_primary = self.open_need(|n| n.rank == 1).map(|n| n.code);
            let primary = match (change.primary_need, current_primary) {
                (Some(code), _) => code,
                (None, Some(code)) => code,
                (None, None) => {
                    return Err(Error::invalid(
                        "primaryNeed",
                        format!("{} needs a primary need: choose the pupil's main type of need", change.status),
                    ))
                }
            };
            let nsa_kept = primary == NeedCode::NSA || self.open_need(|n| n.code == NeedCode::NSA && n.rank != 1).is_some();
            if !change.status.allows(NeedCode::NSA) && nsa_kept {
                return Err(Error::invalid(
                    "primaryNeed",
                    "NSA (no specialist assessment) can only be used with SEN support; record the assessed type of need for an EHC plan",
                ));
            }
            if change.primary_need.is_some() && current_primary != Some(primary) {
                for need in self.open_needs.iter().filter(|n| n.rank == 1 || n.code == primary) {
                    if start <= need.start_date {
                        return Err(Error::invalid(
                            "startDate",
                            format!("the {} need began on {}; the change must start after that", need.code, need.start_date),
                        ));
                    }
                    close_needs.push(Closing { need_id: need.id, end_date: previous_ends });
                }
                add_primary = Some(primary);
            }
        } else {
            // No SEN or monitoring: the recorded needs are no longer SEN needs, so they end
            // with the status that had them.
            for need in &self.open_needs {
                close_needs.push(Closing { need_id: need.id, end_date: previous_ends.max(need.start_date) });
            }
        }
        if reason.is_empty() {
            return Err(Error::invalid("reason", "give the reason for the change, such as \"after the spring review\""));
        }
        Ok(StatusPlan {
            status: change.status,
            start_date: start,
            reason,
            previous_ends,
            replaces_current,
            close_needs,
            add_primary,
        })
    }

    pub fn plan_new_need(&self, need: &NeedInput, today: NaiveDate) -> Result<NeedPlan> {
        self.refuse_if_left(today)?;
        let start = self.start_date("startDate", &need.start_date, today)?;
        let rank = match need.rank {
            Some(rank) if (1..=MAX_RANK).contains(&rank) => rank,
            Some(_) => return Err(Error::invalid("rank", format!("the rank is from 1 (primary) to {MAX_RANK}"))),
            None => next_free_rank(self.open_needs.iter().map(|n| n.rank)).ok_or_else(|| {
                Error::invalid("rank", format!("the pupil has a need of every rank from 1 to {MAX_RANK}: choose the rank to replace, or end a need first"))
            })?,
        };
        if self.status == SenStatus::NoSen {
            return Err(Error::Refused(format!(
                "{} has no SEN status; change their status to monitoring, SEN support or an EHC plan first",
                self.name
            )));
        }
        if !self.status.allows(need.code) {
            return Err(Error::invalid("code", "NSA (no specialist assessment) can only be used with SEN support"));
        }
        if let Some(same) = self.open_need(|n| n.code == need.code) {
            return Err(Error::invalid(
                "code",
                format!("{} is already recorded as need {} since {}", need.code, same.rank, same.start_date),
            ));
        }
        let mut close_needs = Vec::new();
        if let Some(replaced) = self.open_need(|n| n.rank == rank) {
            if start <= replaced.start_date {
                return Err(Error::invalid(
                    "startDate",
                    format!(
                        "{} has been need {} since {}; the new need must start after that day",
                        replaced.code, replaced.rank, replaced.start_date
                    ),
                ));
            }
            close_needs.push(Closing { need_id: replaced.id, end_date: start.pred_opt().expect("after another date") });
        }
        Ok(NeedPlan { code: need.code, rank, start_date: start, close_needs })
    }

    pub fn check_end_need(&self, need_id: NeedId, end_date: &str, today: NaiveDate) -> Result<Closing> {
        self.refuse_if_left(today)?;
        let need = self.open_need(|n| n.id == need_id).ok_or(Error::NotFound {
            what: "current need",
            id: need_id.to_string(),
        })?;
        let end = parse_date("endDate", "end date", end_date).map_err(|p| Error::Invalid(vec![p]))?;
        if end > today {
            return Err(Error::invalid("endDate", "the end date is in the future"));
        }
        if end < need.start_date {
            return Err(Error::invalid("endDate", format!("the need began on {}; it cannot end before that", need.start_date)));
        }
        if need.rank == 1 && self.status.needs_primary_need() {
            return Err(Error::Refused(format!(
                "{} is on {} and must keep a primary need; add the new primary need instead, which replaces {}",
                self.name, self.status, need.code
            )));
        }
        Ok(Closing { need_id, end_date: end })
    }

    /// A pupil who left and has come back: a new admission under the same UPN, after their
    /// leaving date and not in the future, with everything before it kept.
    pub fn plan_readmission(&self, admission_date: &str, today: NaiveDate) -> Result<ReadmissionPlan> {
        let Some(left) = self.leaving_date.filter(|left| *left < today) else {
            return Err(Error::Refused(format!("{} has not left, so cannot be re-admitted", self.name)));
        };
        let date = parse_date("admissionDate", "admission date", admission_date).map_err(|p| Error::Invalid(vec![p]))?;
        if date > today {
            return Err(Error::invalid("admissionDate", "the admission date is in the future"));
        }
        if date <= left {
            return Err(Error::invalid("admissionDate", format!("{} left on {}; they can be re-admitted from the day after", self.name, dates::short(left))));
        }
        Ok(ReadmissionPlan { admission_date: date, previous_admission: self.admission_date, previous_leaving: left })
    }

    /// A leaving date still to come can be taken back (a mistake, or plans that changed):
    /// the date it removes. Once the day has passed the pupil has left; they are
    /// re-admitted instead.
    pub fn plan_cancel_leaving(&self, today: NaiveDate) -> Result<NaiveDate> {
        match self.leaving_date {
            Some(leaves) if leaves >= today => Ok(leaves),
            Some(left) => Err(Error::Refused(format!(
                "{} left on {}; to take them back on roll, re-admit them",
                self.name,
                dates::short(left)
            ))),
            None => Err(Error::Refused(format!("{} has no leaving date to take back", self.name))),
        }
    }

    pub fn plan_leaving(&self, leaving_date: &str, today: NaiveDate) -> Result<LeavingPlan> {
        self.refuse_if_left(today)?;
        let date = parse_date("leavingDate", "leaving date", leaving_date).map_err(|p| Error::Invalid(vec![p]))?;
        if date > today + chrono::Duration::days(MAX_DAYS_AHEAD) {
            return Err(Error::invalid("leavingDate", "a leaving date can be recorded up to a year ahead"));
        }
        if date < self.admission_date {
            return Err(Error::invalid("leavingDate", format!("the leaving date is before the pupil was admitted on {}", self.admission_date)));
        }
        if date < self.status_since {
            return Err(Error::invalid("leavingDate", format!("the pupil's current status began on {}, after that date", self.status_since)));
        }
        if let Some(need) = self.open_needs.iter().filter(|n| n.start_date > date).min_by_key(|n| n.start_date) {
            return Err(Error::invalid(
                "leavingDate",
                format!("the pupil's {} need began on {}, after that date", need.code, need.start_date),
            ));
        }
        if let Some(latest) = self.latest_need_date.filter(|latest| *latest > date) {
            return Err(Error::invalid(
                "leavingDate",
                format!("the pupil's needs are recorded up to {}, after that date", dates::short(latest)),
            ));
        }
        let close_needs = self.open_needs.iter().map(|n| Closing { need_id: n.id, end_date: date }).collect();
        Ok(LeavingPlan { date, close_needs })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
    }

    fn position(status: SenStatus, needs: &[(NeedCode, u32)]) -> Position {
        Position {
            name: "Ada Quill".into(),
            admission_date: date("2022-09-01"),
            leaving_date: None,
            status,
            status_since: date("2024-01-10"),
            open_needs: needs
                .iter()
                .enumerate()
                .map(|(i, &(code, rank))| OpenNeed { id: NeedId(i as i64 + 1), code, rank, start_date: date("2024-01-10") })
                .collect(),
            latest_need_date: (!needs.is_empty()).then(|| date("2024-01-10")),
        }
    }

    fn change(status: SenStatus, start: &str, primary: Option<NeedCode>) -> StatusChange {
        StatusChange { status, start_date: start.into(), reason: "review".into(), primary_need: primary }
    }

    /// Renders the outcome of a status change as one line: the writes, or the refusal.
    fn check_status(from: &Position, to: StatusChange, expected: &str) {
        let actual = match from.plan_status_change(&to, date("2026-11-23")) {
            Ok(plan) => format!(
                "{} from {}, previous ends {}, close {:?}, add {:?}",
                plan.status.code(),
                plan.start_date,
                plan.previous_ends,
                plan.close_needs.iter().map(|c| (c.need_id.0, c.end_date.to_string())).collect::<Vec<_>>(),
                plan.add_primary
            ),
            Err(e) => format!("{:?}: {e}", e.code()),
        };
        assert_eq!(actual, expected);
    }

    #[test]
    fn status_changes_close_the_previous_status_the_day_before() {
        use NeedCode::*;
        use SenStatus::*;
        check_status(&position(Monitoring, &[]), change(SenSupport, "2025-03-01", Some(SLCN)),
            "K from 2025-03-01, previous ends 2025-02-28, close [], add Some(SLCN)");
        check_status(&position(SenSupport, &[(SLCN, 1)]), change(EhcPlan, "2026-05-01", None),
            "E from 2026-05-01, previous ends 2026-04-30, close [], add None");
        check_status(&position(SenSupport, &[(SLCN, 1), (SEMH, 2)]), change(NoSen, "2026-07-20", None),
            "N from 2026-07-20, previous ends 2026-07-19, close [(1, \"2026-07-19\"), (2, \"2026-07-19\")], add None");
        check_status(&position(SenSupport, &[(NSA, 1)]), change(SenSupport, "2026-01-01", None),
            "Invalid: status: the pupil's status is already SEN support (K)");
    }

    #[test]
    fn status_changes_that_break_a_rule_are_refused() {
        use NeedCode::*;
        use SenStatus::*;
        check_status(&position(Monitoring, &[]), change(SenSupport, "2025-03-01", None),
            "Invalid: primaryNeed: SEN support (K) needs a primary need: choose the pupil's main type of need");
        check_status(&position(SenSupport, &[(SLCN, 1)]), change(EhcPlan, "2023-12-01", None),
            "Invalid: startDate: the current status (SEN support (K)) began on 2024-01-10; a change cannot start before that day");
        check_status(&position(SenSupport, &[(NSA, 1)]), change(EhcPlan, "2026-01-01", None),
            "Invalid: primaryNeed: NSA (no specialist assessment) can only be used with SEN support; record the assessed type of need for an EHC plan");
        check_status(&position(Monitoring, &[]), change(SenSupport, "2027-01-01", Some(MLD)),
            "Invalid: startDate: the start date is in the future");
        check_status(&position(Monitoring, &[]), change(SenSupport, "2020-01-01", Some(MLD)),
            "Invalid: startDate: the start date is before the pupil was admitted on 2022-09-01");
        let mut left = position(SenSupport, &[(SLCN, 1)]);
        left.leaving_date = Some(date("2025-07-20"));
        check_status(&left, change(NoSen, "2026-01-01", None),
            "Refused: Ada Quill left on 20 Jul 2025; their record is archived and cannot be changed (re-admit them if they have come back)");
    }

    #[test]
    fn needs_are_ranked_and_nsa_is_only_for_sen_support() {
        use NeedCode::*;
        use SenStatus::*;
        let today = date("2026-11-23");
        let need = |code, rank| NeedInput { code, rank: Some(rank), start_date: "2025-02-01".into() };
        let render = |r: Result<NeedPlan>| match r {
            Ok(p) => format!("{} rank {} close {:?}", p.code, p.rank, p.close_needs.iter().map(|c| c.need_id.0).collect::<Vec<_>>()),
            Err(e) => format!("{:?}: {e}", e.code()),
        };
        assert_eq!(render(position(SenSupport, &[(SLCN, 1)]).plan_new_need(&need(SEMH, 2), today)), "SEMH rank 2 close []");
        assert_eq!(render(position(SenSupport, &[(SLCN, 1)]).plan_new_need(&need(ASD, 1), today)), "ASD rank 1 close [1]", "a new primary need replaces the old one");
        assert_eq!(render(position(EhcPlan, &[(SLCN, 1)]).plan_new_need(&need(NSA, 2), today)), "Invalid: code: NSA (no specialist assessment) can only be used with SEN support");
        assert_eq!(render(position(SenSupport, &[(SLCN, 1)]).plan_new_need(&need(SLCN, 2), today)), "Invalid: code: SLCN is already recorded as need 1 since 2024-01-10");
        let next = |code| NeedInput { code, rank: None, start_date: "2025-02-01".into() };
        assert_eq!(render(position(SenSupport, &[(SLCN, 1)]).plan_new_need(&next(SEMH), today)), "SEMH rank 2 close []", "the next free rank by default");
        assert_eq!(render(position(SenSupport, &[(SLCN, 1), (SEMH, 2), (ASD, 3)]).plan_new_need(&next(HI), today)),
            "Invalid: rank: the pupil has a need of every rank from 1 to 3: choose the rank to replace, or end a need first");
        assert_eq!(next_free_rank([1, 3]), Some(2));
        assert_eq!(render(position(NoSen, &[]).plan_new_need(&need(MLD, 1), today)), "Refused: Ada Quill has no SEN status; change their status to monitoring, SEN support or an EHC plan first");
        let ending = position(SenSupport, &[(SLCN, 1), (SEMH, 2)]);
        assert!(ending.check_end_need(NeedId(2), "2025-06-01", today).is_ok(), "a secondary need can end");
        assert_eq!(ending.check_end_need(NeedId(1), "2025-06-01", today).unwrap_err().code(), crate::ErrorCode::Refused, "K keeps its primary need");
    }

    /// Renders the outcome of leaving on `date` as one line.
    fn check_leaving(from: &Position, leaving: &str, expected: &str) {
        let actual = match from.plan_leaving(leaving, date("2026-11-23")) {
            Ok(plan) => format!("left {}, end needs {:?}", plan.date, plan.close_needs.iter().map(|c| (c.need_id.0, c.end_date.to_string())).collect::<Vec<_>>()),
            Err(e) => format!("{:?}: {e}", e.code()),
        };
        assert_eq!(actual, expected);
    }

    #[test]
    fn leaving_ends_every_open_need_and_cannot_come_before_one_began() {
        use NeedCode::*;
        use SenStatus::*;
        let mut later_need = position(SenSupport, &[(SLCN, 1), (SEMH, 2)]);
        later_need.open_needs[1].start_date = date("2025-03-01");
        check_leaving(&later_need, "2025-07-18", "left 2025-07-18, end needs [(1, \"2025-07-18\"), (2, \"2025-07-18\")]");
        check_leaving(&later_need, "2025-02-01", "Invalid: leavingDate: the pupil's SEMH need began on 2025-03-01, after that date");
        check_leaving(&later_need, "2024-01-01", "Invalid: leavingDate: the pupil's current status began on 2024-01-10, after that date");
        check_leaving(&position(NoSen, &[]), "2027-07-22", "left 2027-07-22, end needs []");
        let mut ended_later = position(Monitoring, &[]);
        ended_later.latest_need_date = Some(date("2025-03-10"));
        check_leaving(&ended_later, "2025-03-01", "Invalid: leavingDate: the pupil's needs are recorded up to 10 Mar 2025, after that date");
        check_leaving(&position(NoSen, &[]), "2028-01-01", "Invalid: leavingDate: a leaving date can be recorded up to a year ahead");
    }

    #[test]
    fn a_preview_says_what_the_change_would_do_by_the_same_rules() {
        use NeedCode::*;
        use SenStatus::*;
        let today = date("2026-11-23");
        let to_no_sen = position(SenSupport, &[(SLCN, 1), (SEMH, 2)]).preview_status_change(&change(NoSen, "2026-07-20", None), today).unwrap();
        assert_eq!((to_no_sen.previous_ends, to_no_sen.primary_need), (Some(date("2026-07-19")), None));
        assert_eq!(to_no_sen.needs_ending.iter().map(|n| (n.code, n.end_date.to_string())).collect::<Vec<_>>(), [(SLCN, "2026-07-19".to_string()), (SEMH, "2026-07-19".to_string())]);
        let to_plan = position(SenSupport, &[(SLCN, 1)]).preview_status_change(&change(EhcPlan, "2026-05-01", Some(ASD)), today).unwrap();
        assert_eq!((to_plan.primary_need, to_plan.primary_is_new, to_plan.needs_ending.len()), (Some(ASD), true, 1));
        let kept = position(SenSupport, &[(SLCN, 1)]).preview_status_change(&change(EhcPlan, "2026-05-01", None), today).unwrap();
        assert_eq!((kept.primary_need, kept.primary_is_new), (Some(SLCN), false));
        let need = position(SenSupport, &[(SLCN, 1)]).preview_new_need(&NeedInput { code: ASD, rank: Some(1), start_date: "2026-02-01".into() }, today).unwrap();
        assert_eq!(need.replaces.map(|r| (r.code, r.end_date.to_string())), Some((SLCN, "2026-01-31".to_string())));
        let leaving = position(SenSupport, &[(SLCN, 1)]).preview_leaving("2026-07-22", today).unwrap();
        assert_eq!(leaving.needs_ending[0].end_date, date("2026-07-22"));
        assert!(position(SenSupport, &[]).preview_status_change(&change(EhcPlan, "2026-05-01", None), today).is_err(), "a refusal is the same refusal");
    }

    #[test]
    fn a_pupil_who_left_can_be_re_admitted_after_their_leaving_date() {
        let today = date("2026-11-23");
        let mut left = position(SenStatus::SenSupport, &[]);
        left.leaving_date = Some(date("2025-07-18"));
        let plan = left.plan_readmission("2 Sep 2026", today).unwrap();
        assert_eq!((plan.admission_date, plan.previous_admission, plan.previous_leaving), (date("2026-09-02"), date("2022-09-01"), date("2025-07-18")));
        assert_eq!(left.plan_readmission("2025-07-18", today).unwrap_err().fields()[0].message, "Ada Quill left on 18 Jul 2025; they can be re-admitted from the day after");
        assert!(position(SenStatus::NoSen, &[]).plan_readmission("2026-09-02", today).is_err(), "only a pupil who has left");
        let mut leaving = position(SenStatus::NoSen, &[]);
        leaving.leaving_date = Some(date("2027-07-22"));
        assert!(leaving.plan_readmission("2026-09-02", today).is_err(), "a pupil still on roll until a leaving date to come has not left");
        let closed = leaving.plan_status_change(&change(SenStatus::Monitoring, "2026-11-01", None), today).unwrap_err();
        assert!(closed.to_string().contains("is recorded as leaving on 22 Jul 2027"), "{closed}");
    }

    #[test]
    fn a_reason_is_one_line_of_visible_text() {
        let silent = StatusChange { reason: "   ".into(), ..change(SenStatus::EhcPlan, "2026-05-01", None) };
        let refused = position(SenStatus::SenSupport, &[(NeedCode::SLCN, 1)]).plan_status_change(&silent, date("2026-11-23")).unwrap_err();
        assert_eq!(refused.fields()[0].message, "give the reason for the change, such as \"after the spring review\"");
        let change = StatusChange { reason: "review\u{202E}weiver".into(), ..change(SenStatus::EhcPlan, "2026-05-01", None) };
        let refused = position(SenStatus::SenSupport, &[(NeedCode::SLCN, 1)]).plan_status_change(&change, date("2026-11-23")).unwrap_err();
        assert_eq!(refused.fields()[0].field, "reason");
        let long = StatusChange { reason: "x".repeat(10_000), ..change };
        let refused = position(SenStatus::SenSupport, &[(NeedCode::SLCN, 1)]).plan_status_change(&long, date("2026-11-23")).unwrap_err();
        assert_eq!(refused.fields()[0].message, "the reason is 10000 characters long; at most 500 are allowed");
    }
}
