//! The register over a whole synthetic school, through the public API only: whatever the
//! filter, every row matches it, the counts add up, and paging shows each pupil once.

use std::collections::HashSet;

use chrono::NaiveDate;
use senco_core::census::{BroadArea, NeedCode, SenStatus};
use senco_core::demo::{self, DemoSpec};
use senco_core::register::{RegisterFilter, RegisterQuery, RegisterRow, Roll, SortColumn};
use senco_core::{Stamp, Store};

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 23).unwrap()
}

fn school(dir: &std::path::Path) -> Store {
    demo::create(&dir.join("demo.senco"), DemoSpec { pupils: 2000, seed: 11, years: 4 }, Stamp::on(today())).unwrap()
}

/// Runs `filter` page by page and checks every row with `matches`.
fn check(store: &Store, name: &str, filter: RegisterFilter, matches: impl Fn(&RegisterRow) -> bool) -> u32 {
    let first = store.register(&RegisterQuery { filter: filter.clone(), page_size: 100, ..RegisterQuery::default() }, today()).unwrap();
    let counts = &first.counts;
    assert_eq!(counts.no_sen + counts.monitoring + counts.sen_support + counts.ehc_plan, first.total, "{name}: counts add up");
    let mut seen = HashSet::new();
    let pages = first.total.div_ceil(100);
    for page in 0..pages {
        let query = RegisterQuery { filter: filter.clone(), page, page_size: 100, sort: SortColumn::Status, descending: true };
        for row in store.register(&query, today()).unwrap().rows {
            assert!(matches(&row), "{name}: {} should not be selected", row.upn);
            assert!(seen.insert(row.upn.clone()), "{name}: {} shown twice", row.upn);
        }
    }
    assert_eq!(seen.len() as u32, first.total, "{name}: paging shows every selected pupil once");
    first.total
}

#[test]
fn every_filter_selects_only_what_it_says_and_paging_covers_it_once() {
    let dir = tempfile::tempdir().unwrap();
    let store = school(dir.path());
    // A pupil is on roll up to and including the leaving date: the last day at the school.
    let on_roll = check(&store, "on roll", RegisterFilter::default(), |r| r.leaving_date.is_none_or(|d| d >= today()));
    let left = check(&store, "left", RegisterFilter { roll: Roll::Left, ..RegisterFilter::default() }, |r| r.leaving_date.is_some_and(|d| d < today()));
    let all = check(&store, "all", RegisterFilter { roll: Roll::All, ..RegisterFilter::default() }, |_| true);
    assert_eq!((on_roll + left, all), (2000, 2000));
    assert!(left > 0, "the demo has leavers");

    let k = check(&store, "K", RegisterFilter { status: Some(SenStatus::SenSupport), ..RegisterFilter::default() },
        |r| r.status == SenStatus::SenSupport && r.primary_need.is_some());
    assert!(k > 200, "about 14% on SEN support: {k}");
    check(&store, "E with ASD", RegisterFilter { status: Some(SenStatus::EhcPlan), need: Some(NeedCode::ASD), ..RegisterFilter::default() },
        |r| r.status == SenStatus::EhcPlan && r.primary_need == Some(NeedCode::ASD));
    check(&store, "SEMH area", RegisterFilter { area: Some(BroadArea::SocialEmotionalMentalHealth), ..RegisterFilter::default() },
        |r| r.area == Some(BroadArea::SocialEmotionalMentalHealth));
    check(&store, "Year 9 FSM not EAL", RegisterFilter { nc_year: Some(9), fsm: Some(true), eal: Some(false), ..RegisterFilter::default() },
        |r| r.nc_year == 9 && r.fsm && !r.eal);
    check(&store, "looked after", RegisterFilter { looked_after: Some(true), roll: Roll::All, ..RegisterFilter::default() }, |r| r.looked_after);
    let by_upn = check(&store, "UPN prefix", RegisterFilter { search: "886299".into(), ..RegisterFilter::default() }, |r| r.upn.contains("886299"));
    assert!(by_upn > 0, "pupils whose UPN the demo school allocated");
}
