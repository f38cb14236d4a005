//! Benchmark, not a test: the worklist, one pupil's full cycle history and the whole-school
//! provision map on demo schools of 200, 2,000 and 20,000 pupils with six years of
//! history, each against a raw scan of the same rows, and the cost per pupil at each size.
//! All three are all-through schools (`demo::create_as`), so only the size differs: left to
//! itself the demo makes the largest school all-through, which holds more history per pupil.
//! Prints medians and the ratios measured in this one run (see docs/benchmarks.md).
//!
//! cargo run --release -p senco-core --features bench-probes --example bench_support

use std::path::Path;
use std::time::{Duration, Instant};

use chrono::NaiveDate;
use senco_core::demo::{self, DemoSpec};
use senco_core::pupil::academic_year;
use senco_core::school::Phase;
use senco_core::{Stamp, Store};

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples[samples.len() / 2]
}

fn time<T>(runs: usize, mut f: impl FnMut() -> T) -> Duration {
    median((0..runs).map(|_| {
        let start = Instant::now();
        std::hint::black_box(f());
        start.elapsed()
    }).collect())
}

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1000.0)
}

fn us_per(d: Duration, n: u32) -> String {
    format!("{:.2} µs", d.as_secs_f64() * 1e6 / f64::from(n))
}

struct Measured {
    pupils: u32,
    build: Duration,
    counts: Vec<(&'static str, i64)>,
    items: usize,
    worklist: Duration,
    worklist_raw: Duration,
    history_cycles: i64,
    history: Duration,
    history_raw: Duration,
    map_rows: usize,
    map: Duration,
    map_raw: Duration,
}

fn measure(dir: &Path, pupils: u32) -> Measured {
    let path = dir.join(format!("demo-{pupils}.senco"));
    let today = NaiveDate::from_ymd_opt(2026, 11, 23).expect("date");
    let started = Instant::now();
    let store: Store = demo::create_as(&path, DemoSpec { pupils, seed: 42, years: 6 }, Phase::AllThrough, Stamp::on(today)).expect("demo school");
    let build = started.elapsed();
    let runs = 15;
    let items = store.worklist(today).expect("worklist").len();
    let worklist = time(runs, || store.worklist(today).expect("worklist"));
    let worklist_raw = time(runs, || store.raw_worklist_scan(today).expect("scan"));
    let (pupil, history_cycles) = store.pupil_with_most_cycles().expect("query").expect("a pupil with cycles");
    let history = time(runs, || store.cycles(pupil).expect("cycles"));
    let history_raw = time(runs, || store.raw_history_scan(pupil).expect("scan"));
    let year = academic_year(today) - 1;
    let map_rows = store.provision_map(year).expect("map").rows.len();
    let map = time(runs, || store.provision_map(year).expect("map"));
    let map_raw = time(runs, || store.raw_provision_scan(year).expect("scan"));
    let counts = store.support_counts().expect("counts");
    Measured { pupils, build, counts, items, worklist, worklist_raw, history_cycles, history, history_raw, map_rows, map, map_raw }
}

fn main() {
    let dir = tempfile::tempdir().expect("temporary folder");
    let results: Vec<Measured> = [200, 2_000, 20_000].into_iter().map(|n| measure(dir.path(), n)).collect();
    println!("| pupils | demo built in | cycles | sessions | worklist items | worklist | raw scan | ratio | per pupil | longest history (cycles) | history | raw scan | ratio | provision map rows (last year) | provision map | raw scan | ratio | per pupil |");
    println!("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|");
    for m in &results {
        let count = |t: &str| m.counts.iter().find(|(n, _)| *n == t).map_or(0, |(_, c)| *c);
        println!(
            "| {} | {:.1} s | {} | {} | {} | {} | {} | {:.2}× | {} | {} | {} | {} | {:.2}× | {} | {} | {} | {:.2}× | {} |",
            m.pupils,
            m.build.as_secs_f64(),
            count("cycle"),
            count("delivery"),
            m.items,
            ms(m.worklist),
            ms(m.worklist_raw),
            m.worklist.as_secs_f64() / m.worklist_raw.as_secs_f64(),
            us_per(m.worklist, m.pupils),
            m.history_cycles,
            ms(m.history),
            ms(m.history_raw),
            m.history.as_secs_f64() / m.history_raw.as_secs_f64(),
            m.map_rows,
            ms(m.map),
            ms(m.map_raw),
            m.map.as_secs_f64() / m.map_raw.as_secs_f64(),
            us_per(m.map, m.pupils),
        );
    }
    let (small, large) = (&results[1], &results[2]);
    let per = |d: Duration, n: u32| d.as_secs_f64() / f64::from(n);
    println!();
    println!(
        "Cost per pupil, 20,000 against 2,000: worklist {:.2}× (its raw scan {:.2}×), provision map {:.2}× (its raw scan {:.2}×); 1.00× means it does not grow with the school.",
        per(large.worklist, large.pupils) / per(small.worklist, small.pupils),
        per(large.worklist_raw, large.pupils) / per(small.worklist_raw, small.pupils),
        per(large.map, large.pupils) / per(small.map, small.pupils),
        per(large.map_raw, large.pupils) / per(small.map_raw, small.pupils),
    );
}
