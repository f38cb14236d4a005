//! Benchmark, not a test: opening the store and querying the register on demo schools of
//! 2,000 and 20,000 pupils, against key derivation alone and a raw SELECT of the same rows.
//! The demo school's key derivation is deliberately cheap (`KdfCost::DEMO`: its passphrase
//! is public); a real school adds one derivation at `KdfCost::DEFAULT`, timed on its own.
//! Prints medians and the ratios measured in this one run (see docs/benchmarks.md).
//!
//! cargo run --release -p senco-core --features bench-probes --example bench_register

use std::path::Path;
use std::time::{Duration, Instant};

use chrono::NaiveDate;
use senco_core::census::SenStatus;
use senco_core::demo::{self, DemoSpec};
use senco_core::keys::{key_file_path, KdfCost, KeyFile, DEMO_PASSPHRASE};
use senco_core::register::{RegisterFilter, RegisterQuery, Roll, SortColumn};
use senco_core::{Stamp, Store, Unlock};

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

struct Measured {
    pupils: u32,
    key_derivation: Duration,
    open: Duration,
    quick_check: Duration,
    register_all: Duration,
    register_filtered: Duration,
    raw_scan: Duration,
    raw_joined: Duration,
}

fn measure(dir: &Path, pupils: u32) -> Measured {
    let path = dir.join(format!("demo-{pupils}.senco"));
    let today = NaiveDate::from_ymd_opt(2026, 11, 23).expect("date");
    drop(demo::create(&path, DemoSpec { pupils, seed: 42, years: 4 }, Stamp::on(today)).expect("demo school"));
    let key_file = KeyFile::read(&key_file_path(&path)).expect("key file");
    let key_derivation = time(5, || key_file.unlock_with_passphrase(DEMO_PASSPHRASE).expect("unlocks"));
    let open = time(5, || Store::open(&path, Unlock::Passphrase(DEMO_PASSPHRASE)).expect("opens"));
    let store = Store::open(&path, Unlock::Passphrase(DEMO_PASSPHRASE)).expect("opens");
    let quick_check = time(5, || store.quick_check().expect("intact"));
    let all = RegisterQuery { filter: RegisterFilter { roll: Roll::All, ..RegisterFilter::default() }, sort: SortColumn::Name, ..RegisterQuery::default() };
    let filtered = RegisterQuery {
        filter: RegisterFilter { status: Some(SenStatus::SenSupport), roll: Roll::OnRoll, ..RegisterFilter::default() },
        sort: SortColumn::NcYear,
        ..RegisterQuery::default()
    };
    let runs = 21;
    let register_all = time(runs, || store.register(&all, today).expect("register"));
    let register_filtered = time(runs, || store.register(&filtered, today).expect("register"));
    let raw_scan = time(runs, || store.raw_pupil_scan().expect("scan"));
    let raw_joined = time(runs, || store.raw_register_scan().expect("scan"));
    Measured { pupils, key_derivation, open, quick_check, register_all, register_filtered, raw_scan, raw_joined }
}

fn main() {
    let dir = tempfile::tempdir().expect("temporary folder");
    // A real school's derivation: creating a key file derives twice (passphrase and
    // recovery key), so half of that.
    let real_derivation = time(5, || KeyFile::create(DEMO_PASSPHRASE, KdfCost::DEFAULT).expect("key file")) / 2;
    let results: Vec<Measured> = [2_000, 20_000].into_iter().map(|n| measure(dir.path(), n)).collect();
    println!("A real school's key derivation (64 MiB, 3 passes): {}", ms(real_derivation));
    println!();
    println!("| pupils | key derivation (demo's cost) | open + unlock | of which integrity check | open − key derivation | register, all rows | register, SEN support only | raw SELECT, pupil table | raw SELECT, register's joins | all ÷ raw pupil | all ÷ raw joins | filtered ÷ raw pupil |");
    println!("|---|---|---|---|---|---|---|---|---|---|---|---|");
    for m in &results {
        println!(
            "| {} | {} | {} | {} | {} | {} | {} | {} | {} | {:.2}× | {:.2}× | {:.2}× |",
            m.pupils,
            ms(m.key_derivation),
            ms(m.open),
            ms(m.quick_check),
            ms(m.open.saturating_sub(m.key_derivation)),
            ms(m.register_all),
            ms(m.register_filtered),
            ms(m.raw_scan),
            ms(m.raw_joined),
            m.register_all.as_secs_f64() / m.raw_scan.as_secs_f64(),
            m.register_all.as_secs_f64() / m.raw_joined.as_secs_f64(),
            m.register_filtered.as_secs_f64() / m.raw_scan.as_secs_f64(),
        );
    }
    let (small, large) = (&results[0], &results[1]);
    println!();
    println!("open at 20,000 ÷ open at 2,000: {:.2}×", large.open.as_secs_f64() / small.open.as_secs_f64());
    println!("raw SELECT at 20,000 ÷ at 2,000: {:.2}×", large.raw_scan.as_secs_f64() / small.raw_scan.as_secs_f64());
}
