//! Benchmark, not a test: the governors' summary of demo schools of 200, 2,000 and 20,000
//! pupils (all-through, five years of history) against one aggregate scan of the same rows
//! (a single GROUP BY over the pupils on roll at the census), and a trust's roll-up of 50 and
//! of 600 schools' aggregation files. The summary gathers five census points and the
//! year's reviews, requests, outcomes, interventions and training, then checks every hidden
//! count by solving for it; the ratios say what that costs. Prints medians and the ratios
//! measured in this one run (see docs/benchmarks.md).
//!
//! cargo run --release -p senco-core --features bench-probes --example bench_governors

use std::time::{Duration, Instant};

use chrono::NaiveDate;
use senco_core::demo::{self, DemoSpec};
use senco_core::governors::{self, national::National, rollup};
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
    format!("{:.1} ms", d.as_secs_f64() * 1000.0)
}

fn main() {
    let dir = tempfile::tempdir().expect("temporary folder");
    let today = NaiveDate::from_ymd_opt(2026, 11, 26).expect("date");
    let census = governors::latest_census(today);
    let national = National::shipped();
    println!("| pupils | aggregate scan | gather the facts | exact tables | suppression checked | whole summary | summary ÷ scan | vs the 200-pupil school |");
    println!("|---|---|---|---|---|---|---|---|");
    let mut first: Option<Duration> = None;
    for pupils in [200, 2_000, 20_000] {
        let path = dir.path().join(format!("demo-{pupils}.senco"));
        let store: Store = demo::create_as(&path, DemoSpec { pupils, seed: 42, years: 5 }, Phase::AllThrough, Stamp::on(today)).expect("demo school");
        let runs = if pupils >= 20_000 { 5 } else { 11 };
        let scan = time(runs, || store.raw_census_scan(census).expect("scan"));
        let facts = store.governor_facts(census, today).expect("facts");
        let gather = time(runs, || store.governor_facts(census, today).expect("facts"));
        let aggregate = governors::summarise(&facts);
        let tables = time(runs, || governors::summarise(&facts));
        let publish = time(runs, || governors::publish(&aggregate, 5, &national));
        let whole = time(runs, || store.governor_summary(census, 5, today).expect("summary"));
        let base = *first.get_or_insert(whole);
        println!(
            "| {pupils} | {} | {} | {} | {} | {} | {:.1}× | {:.2}× |",
            ms(scan),
            ms(gather),
            ms(tables),
            ms(publish),
            ms(whole),
            whole.as_secs_f64() / scan.as_secs_f64(),
            whole.as_secs_f64() / base.as_secs_f64()
        );
    }

    // A trust or a community of schools: real demo schools' aggregation files, merged and
    // published again.
    let folder = dir.path().join("trust");
    let started = Instant::now();
    let files = demo::trust::write_aggregates(&folder, 600, 420, 7, Stamp::on(today)).expect("aggregation files");
    eprintln!("wrote 600 demo schools' aggregation files in {:.0} s", started.elapsed().as_secs_f64());
    let inputs: Vec<(String, governors::Aggregate)> = files
        .iter()
        .map(|f| {
            let name = f.display().to_string();
            let text = std::fs::read_to_string(f).expect("read");
            (name.clone(), rollup::read(&name, &text).expect("aggregate"))
        })
        .collect();
    println!();
    println!("| schools | pupils | read and merge | suppression checked | whole roll-up | per school | vs 50 schools, per school |");
    println!("|---|---|---|---|---|---|---|");
    let mut per_school_50: Option<f64> = None;
    for n in [50, 600] {
        let slice = &inputs[..n];
        let merged = rollup::merge(slice).expect("merge");
        let pupils: u64 = merged.tables.iter().find(|t| t.id == "register").map(|t| t.grand_total()).unwrap_or(0);
        let merge = time(5, || rollup::merge(slice).expect("merge"));
        let publish = time(3, || governors::publish(&merged, 5, &national));
        let whole = merge + publish;
        let per = whole.as_secs_f64() / n as f64;
        let base = *per_school_50.get_or_insert(per);
        println!("| {n} | {pupils} | {} | {} | {} | {:.2} ms | {:.2}× |", ms(merge), ms(publish), ms(whole), per * 1000.0, per / base);
    }
}
