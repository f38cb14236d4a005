//! The synthetic demo school: deterministic for a seed, invented names only, valid UPNs with
//! the school's LA code, and SEN status histories over several years.
//!
//! The mix follows the national picture (DfE, January 2025): about 14% of pupils on SEN
//! support and 5% with an EHC plan, with primary needs weighted as the national tables
//! report them (SLCN most common on SEN support, autism on EHC plans). Demo pupils are
//! never real: fixtures, demos and benchmarks all come from here.

use std::collections::HashMap;
use std::path::Path;

use chrono::{Duration, NaiveDate};
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rusqlite::Transaction;

use crate::census::{NeedCode, SenStatus};
use crate::error::{Error, Result};
use crate::keys::{KdfCost, DEMO_PASSPHRASE};
use crate::pupil::{academic_year, PupilInput, StatusPeriod};
use crate::school::{Phase, School, KENT_LA_CODE};
use crate::store::{self, Store};
use crate::Stamp;

/// What to generate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DemoSpec {
    pub pupils: u32,
    pub seed: u64,
    /// How many years of SEN history to invent.
    pub years: u32,
}

impl Default for DemoSpec {
    fn default() -> DemoSpec {
        DemoSpec { pupils: 420, seed: 1, years: 3 }
    }
}

pub const MIN_PUPILS: u32 = 200;
pub const MAX_PUPILS: u32 = 20_000;

/// The demo school's own establishment number; other UPNs come from invented feeder schools.
const DEMO_ESTABLISHMENT: u16 = 2999;

/// The dates a demo school can be generated for. Its UPNs are allocated in each pupil's
/// Reception year, which for the oldest pupils (Year 13) must be 2000 or later, and before
/// 2100, since a UPN holds the year in two digits.
pub const FIRST_DAY: (i32, u32, u32) = (2013, 9, 1);
pub const LAST_DAY: (i32, u32, u32) = (2098, 8, 31);

/// Creates a demo school at `path`, encrypted with `passphrase` or the fixed demo passphrase.
/// Like every school, it appears whole or not at all.
pub fn create(path: &Path, spec: DemoSpec, passphrase: Option<&str>, stamp: Stamp) -> Result<Store> {
    let day = |(y, m, d): (i32, u32, u32)| NaiveDate::from_ymd_opt(y, m, d).expect("a real day");
    if stamp.today < day(FIRST_DAY) || stamp.today > day(LAST_DAY) {
        return Err(Error::invalid(
            "today",
            format!("a demo school can be made for dates from {} to {}, not {}", day(FIRST_DAY), day(LAST_DAY), stamp.today),
        ));
    }
    if !(MIN_PUPILS..=MAX_PUPILS).contains(&spec.pupils) {
        return Err(Error::invalid("pupils", format!("a demo school has from {MIN_PUPILS} to {MAX_PUPILS} pupils")));
    }
    if !(1..=10).contains(&spec.years) {
        return Err(Error::invalid("years", "a demo school has from 1 to 10 years of history"));
    }
    let phase = phase_for(spec.pupils);
    let school = School {
        name: "Hollowbrook Demo School".to_string(),
        urn: "999999".to_string(),
        la_code: KENT_LA_CODE.to_string(),
        establishment_number: DEMO_ESTABLISHMENT.to_string(),
        phase,
        is_demo: true,
    };
    let pupils = generate(spec, phase, stamp.today);
    let passphrase = passphrase.unwrap_or(DEMO_PASSPHRASE);
    let (store, _recovery_key) = store::create(path, &school, passphrase, KdfCost::DEFAULT, stamp, |tx| write(tx, &pupils, stamp.today))?;
    Ok(store)
}

/// Creates a demo school at `path` holding exactly `pupils`: hand-written synthetic
/// fixtures, for tests that need to know who is on the register. Labelled a demo like any
/// other, opened with the demo key.
pub fn create_from(path: &Path, pupils: &[DemoPupil], stamp: Stamp) -> Result<Store> {
    let school = School {
        name: "Hollowbrook Demo School".to_string(),
        urn: "999999".to_string(),
        la_code: KENT_LA_CODE.to_string(),
        establishment_number: DEMO_ESTABLISHMENT.to_string(),
        phase: Phase::Primary,
        is_demo: true,
    };
    let (store, _recovery_key) = store::create(path, &school, DEMO_PASSPHRASE, KdfCost::DEFAULT, stamp, |tx| write(tx, pupils, stamp.today))?;
    Ok(store)
}

/// One invented pupil: details, status history (oldest first) and needs.
#[derive(Debug, Clone, PartialEq)]
pub struct DemoPupil {
    pub input: PupilInput,
    pub leaving_date: Option<NaiveDate>,
    pub statuses: Vec<StatusPeriod>,
    pub needs: Vec<(NeedCode, u32, NaiveDate, Option<NaiveDate>)>,
}

fn phase_for(pupils: u32) -> Phase {
    match pupils {
        0..=800 => Phase::Primary,
        801..=2500 => Phase::Secondary,
        _ => Phase::AllThrough,
    }
}

fn years_for(phase: Phase) -> std::ops::RangeInclusive<i32> {
    match phase {
        Phase::Primary => 0..=6,
        Phase::Secondary => 7..=13,
        Phase::AllThrough | Phase::Special => -1..=13,
    }
}

/// Primary needs on SEN support, in tenths of a percent, close to the national tables.
const SUPPORT_NEEDS: &[(NeedCode, u32)] = &[
    (NeedCode::SLCN, 257), (NeedCode::SEMH, 223), (NeedCode::MLD, 158), (NeedCode::ASD, 120),
    (NeedCode::SPLD, 110), (NeedCode::OTH, 35), (NeedCode::PD, 25), (NeedCode::NSA, 25),
    (NeedCode::HI, 18), (NeedCode::VI, 9), (NeedCode::SLD, 12), (NeedCode::MSI, 3), (NeedCode::PMLD, 5),
];

/// Primary needs with an EHC plan, in tenths of a percent.
const PLAN_NEEDS: &[(NeedCode, u32)] = &[
    (NeedCode::ASD, 336), (NeedCode::SLCN, 200), (NeedCode::SEMH, 160), (NeedCode::SLD, 70),
    (NeedCode::MLD, 60), (NeedCode::PD, 50), (NeedCode::SPLD, 30), (NeedCode::OTH, 40),
    (NeedCode::HI, 20), (NeedCode::PMLD, 15), (NeedCode::VI, 12), (NeedCode::MSI, 7),
];

const FORENAMES: &[&str] = &[
    "Amara", "Bodhi", "Callum", "Delphine", "Ezra", "Freya", "Gideon", "Hollis", "Isla", "Jago",
    "Kestrel", "Linnea", "Marlo", "Nyla", "Orrin", "Perrin", "Quinn", "Rowan", "Saffi", "Tobiah",
    "Una", "Vesper", "Wren", "Xanthe", "Yusuf", "Zuri", "Alder", "Briar", "Cosmo", "Dara",
    "Elowen", "Fenn", "Greer", "Huxley", "Ione", "Juno", "Kit", "Lark", "Mabli", "Nico",
    "Oona", "Pip", "Rafferty", "Sorrel", "Tamsin", "Umar", "Vida", "Wilf", "Yara", "Zeph",
];

const SURNAMES: &[&str] = &[
    "Ashcombe", "Brindlewood", "Carrow", "Dunmore", "Eldridge", "Fairbank", "Gorsley", "Hatherden",
    "Ivesley", "Jessop", "Kettering", "Larchmont", "Mossley", "Northam", "Oakhurst", "Penhallow",
    "Quarrendon", "Rookwood", "Stainby", "Thornbury", "Underhill", "Vantongeren", "Wickersham",
    "Yelland", "Zanetti", "Abernathy-Cole", "Blackwood", "Coldharbour", "Dewhurst", "Emsworth",
    "Fellgate", "Greenhalgh", "Hollins", "Inchbald", "Jolliffe", "Kingsdown", "Lowenthal", "Marchetti",
    "Nettleford", "Oyelaran", "Pemberton", "Radclyffe", "Sandling", "Tolhurst", "Upwood", "Whitlock",
    "Okonkwo-Hale", "Brightwater", "Castellan", "Dimbleby",
];

fn pick_weighted(rng: &mut ChaCha8Rng, table: &[(NeedCode, u32)]) -> NeedCode {
    let total: u32 = table.iter().map(|(_, w)| w).sum();
    let mut roll = rng.gen_range(0..total);
    for &(code, weight) in table {
        if roll < weight {
            return code;
        }
        roll -= weight;
    }
    table[0].0
}

fn september(year: i32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, 9, 1).expect("1 September exists")
}

fn day_between(rng: &mut ChaCha8Rng, from: NaiveDate, to: NaiveDate) -> NaiveDate {
    if to <= from {
        return from;
    }
    from + Duration::days(rng.gen_range(0..=(to - from).num_days()))
}

/// Generates the pupils, with no IO, so the output can be checked directly.
pub fn generate(spec: DemoSpec, phase: Phase, today: NaiveDate) -> Vec<DemoPupil> {
    let mut rng = ChaCha8Rng::seed_from_u64(spec.seed);
    let this_year = academic_year(today);
    let years = years_for(phase);
    let first_year = *years.start();
    let history_start = september(this_year - spec.years as i32 + 1);
    let feeders: Vec<u16> = (2001..2041).collect();
    let mut serials: HashMap<(u16, i32), u16> = HashMap::new();
    let mut pupils = Vec::with_capacity(spec.pupils as usize);
    for _ in 0..spec.pupils {
        let nc_year = rng.gen_range(years.clone());
        let cohort = this_year - nc_year - 5;
        let date_of_birth = day_between(&mut rng, september(cohort), september(cohort + 1) - Duration::days(1));
        // Most pupils joined at the start of the school's first year; some moved in later.
        let joined_year = if rng.gen_bool(0.8) { this_year - (nc_year - first_year) } else { this_year - rng.gen_range(0..=(nc_year - first_year).max(0)) };
        let admission_date = if rng.gen_bool(0.85) {
            september(joined_year)
        } else {
            day_between(&mut rng, september(joined_year), (september(joined_year + 1) - Duration::days(1)).min(today))
        }
        .min(today);
        // The UPN was allocated by the first school, in the pupil's Reception year.
        let allocated_year = (cohort + 5).max(2000);
        let establishment = if rng.gen_bool(0.55) { DEMO_ESTABLISHMENT } else { *feeders.choose(&mut rng).expect("feeders") };
        let serial = serials.entry((establishment, allocated_year)).or_insert(0);
        *serial += 1;
        let upn = crate::upn::Upn::from_parts(886, establishment, allocated_year as u16, *serial % 1000);
        let forename = *FORENAMES.choose(&mut rng).expect("names");
        let surname = *SURNAMES.choose(&mut rng).expect("names");
        let roll: f64 = rng.gen();
        let final_status = match roll {
            r if r < 0.05 => SenStatus::EhcPlan,
            r if r < 0.19 => SenStatus::SenSupport,
            r if r < 0.23 => SenStatus::Monitoring,
            _ => SenStatus::NoSen,
        };
        let sen = final_status.needs_primary_need();
        let fsm = rng.gen_bool(match final_status {
            SenStatus::EhcPlan => 0.44,
            SenStatus::SenSupport => 0.39,
            _ => 0.22,
        });
        let input = PupilInput {
            upn: upn.to_string(),
            legal_forename: forename.to_string(),
            legal_surname: surname.to_string(),
            preferred_forename: if rng.gen_bool(0.05) { FORENAMES.choose(&mut rng).expect("names").to_string() } else { String::new() },
            preferred_surname: String::new(),
            date_of_birth: date_of_birth.to_string(),
            sex: if rng.gen_bool(if sen { 0.64 } else { 0.5 }) { "M" } else { "F" }.to_string(),
            nc_year,
            form: format!("{}{}", crate::pupil::nc_year_label(nc_year), ["A", "B", "C"].choose(&mut rng).expect("forms")),
            admission_date: admission_date.to_string(),
            pupil_premium: fsm || rng.gen_bool(0.04),
            fsm,
            eal: rng.gen_bool(0.2),
            looked_after: rng.gen_bool(0.01),
            attendance_pct: Some((rng.gen_range(820..=1000) as f64) / 10.0),
        };
        let (statuses, needs) = history(&mut rng, final_status, admission_date.max(history_start), admission_date, today);
        let leaving_date = rng.gen_bool(0.03).then(|| {
            let since = statuses.last().map_or(admission_date, |s| s.start_date);
            day_between(&mut rng, since, today)
        });
        pupils.push(DemoPupil { input, leaving_date, statuses, needs });
    }
    pupils
}

type Needs = Vec<(NeedCode, u32, NaiveDate, Option<NaiveDate>)>;

/// Invents a status history that ends in `final_status`: monitoring before SEN support,
/// SEN support before an EHC plan, and some pupils who came off SEN support.
fn history(rng: &mut ChaCha8Rng, final_status: SenStatus, from: NaiveDate, admitted: NaiveDate, today: NaiveDate) -> (Vec<StatusPeriod>, Needs) {
    let mut steps: Vec<SenStatus> = match final_status {
        SenStatus::EhcPlan => vec![SenStatus::SenSupport, SenStatus::EhcPlan],
        SenStatus::SenSupport if rng.gen_bool(0.5) => vec![SenStatus::Monitoring, SenStatus::SenSupport],
        SenStatus::SenSupport => vec![SenStatus::SenSupport],
        SenStatus::Monitoring => vec![SenStatus::Monitoring],
        SenStatus::NoSen if rng.gen_bool(0.05) => vec![SenStatus::SenSupport, SenStatus::NoSen],
        SenStatus::NoSen => vec![],
    };
    if final_status == SenStatus::EhcPlan && rng.gen_bool(0.3) {
        steps.insert(0, SenStatus::Monitoring);
    }
    let mut statuses = vec![StatusPeriod { status: SenStatus::NoSen, start_date: admitted, end_date: None, reason: "admitted".into() }];
    let mut needs: Needs = Vec::new();
    let mut cursor = from.max(admitted + Duration::days(1));
    let span = (today - cursor).num_days().max(steps.len() as i64 + 1);
    let step_days = span / (steps.len() as i64 + 1);
    for status in steps {
        let start = (cursor + Duration::days(rng.gen_range(1..=step_days.max(1)))).min(today);
        if start <= statuses.last().expect("admitted").start_date {
            continue;
        }
        let previous = statuses.last_mut().expect("admitted");
        previous.end_date = Some(start - Duration::days(1));
        let reason = match status {
            SenStatus::Monitoring => "concern raised by class teacher",
            SenStatus::SenSupport => "assess-plan-do-review cycle started",
            SenStatus::EhcPlan => "EHC plan issued by the local authority",
            SenStatus::NoSen => "needs met through quality first teaching",
        };
        statuses.push(StatusPeriod { status, start_date: start, end_date: None, reason: reason.into() });
        for need in needs.iter_mut().filter(|n| n.3.is_none()) {
            if !status.needs_primary_need() {
                need.3 = Some((start - Duration::days(1)).max(need.2));
            }
        }
        if status.needs_primary_need() && !needs.iter().any(|n| n.3.is_none() && n.1 == 1) {
            let table = if status == SenStatus::EhcPlan { PLAN_NEEDS } else { SUPPORT_NEEDS };
            let primary = pick_weighted(rng, table);
            needs.push((primary, 1, start, None));
            if rng.gen_bool(0.35) {
                let secondary = pick_weighted(rng, PLAN_NEEDS);
                if secondary != primary {
                    needs.push((secondary, 2, start, None));
                }
            }
        }
        cursor = start;
    }
    (statuses, needs)
}

fn write(tx: &Transaction<'_>, pupils: &[DemoPupil], today: NaiveDate) -> Result<()> {
    for pupil in pupils {
        let valid = pupil.input.validate(today)?;
        let id = store::insert_demo_pupil(tx, &valid, pupil.leaving_date)?;
        for period in &pupil.statuses {
            store::insert_status_period(tx, id, period)?;
        }
        for &(code, rank, start, end) in &pupil.needs {
            store::insert_need_period(tx, id, code, rank, start, end)?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 23).unwrap()
    }

    #[test]
    fn the_same_seed_gives_the_same_school_and_another_seed_does_not() {
        let spec = DemoSpec { pupils: 300, seed: 7, years: 3 };
        assert_eq!(generate(spec, Phase::Primary, today()), generate(spec, Phase::Primary, today()));
        assert_ne!(generate(spec, Phase::Primary, today()), generate(DemoSpec { seed: 8, ..spec }, Phase::Primary, today()));
    }

    #[test]
    fn the_first_and_last_days_allowed_give_unique_valid_pupils() {
        for (y, m, d) in [FIRST_DAY, LAST_DAY] {
            let today = NaiveDate::from_ymd_opt(y, m, d).unwrap();
            let pupils = generate(DemoSpec { pupils: MAX_PUPILS, seed: 2, years: 10 }, phase_for(MAX_PUPILS), today);
            let mut upns = std::collections::HashSet::new();
            for pupil in &pupils {
                let valid = pupil.input.validate(today).unwrap_or_else(|e| panic!("{today}: {e}"));
                assert!(upns.insert(valid.upn), "{today}: UPNs are unique");
            }
        }
    }

    #[test]
    fn the_mix_is_national_like_and_every_pupil_is_valid() {
        let pupils = generate(DemoSpec { pupils: 5000, seed: 3, years: 4 }, Phase::AllThrough, today());
        let share = |status: SenStatus| {
            pupils.iter().filter(|p| p.statuses.last().unwrap().status == status).count() as f64 / pupils.len() as f64
        };
        let (k, e) = (share(SenStatus::SenSupport), share(SenStatus::EhcPlan));
        assert!((0.12..0.16).contains(&k), "about 14% on SEN support, got {k:.3}");
        assert!((0.04..0.06).contains(&e), "about 5% with an EHC plan, got {e:.3}");
        let mut upns = std::collections::HashSet::new();
        for pupil in &pupils {
            let valid = pupil.input.validate(today()).expect("a demo pupil passes every check");
            assert_eq!(valid.upn.la_code(), "886", "UPNs carry Kent's LA code");
            assert!(upns.insert(valid.upn), "UPNs are unique");
            let last = pupil.statuses.last().unwrap();
            let open_primary = pupil.needs.iter().filter(|n| n.3.is_none() && n.1 == 1).count();
            assert_eq!(open_primary, usize::from(last.status.needs_primary_need()), "K and E have one primary need, others none");
            for pair in pupil.statuses.windows(2) {
                assert_eq!(pair[0].end_date, pair[1].start_date.pred_opt(), "each status closes the day before the next");
            }
        }
        let slcn = pupils.iter().filter(|p| p.statuses.last().unwrap().status == SenStatus::SenSupport)
            .filter(|p| p.needs.iter().any(|n| n.1 == 1 && n.3.is_none() && n.0 == NeedCode::SLCN)).count();
        let support = pupils.iter().filter(|p| p.statuses.last().unwrap().status == SenStatus::SenSupport).count();
        assert!(slcn * 100 / support >= 18, "SLCN is the most common need on SEN support");
    }
}
