//! Benchmark, not a test: backing up, verifying and restoring a 2,000-pupil demo school
//! (three years of history) against copying its two files with `std::fs::copy`, the least
//! a backup can cost; and the backup's size against the database's. Prints medians and the
//! ratios measured in this one run (see docs/benchmarks.md).
//!
//! cargo run --release -p senco-core --example bench_backup

use std::time::{Duration, Instant};

use chrono::NaiveDate;
use senco_core::demo::{self, DemoSpec};
use senco_core::store::{restore, verify_backup};
use senco_core::{Stamp, Unlock};

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples[samples.len() / 2]
}

fn ms(d: Duration) -> String {
    format!("{:.0} ms", d.as_secs_f64() * 1000.0)
}

fn time(runs: usize, mut f: impl FnMut(usize)) -> Duration {
    median((0..runs).map(|i| {
        let start = Instant::now();
        f(i);
        start.elapsed()
    }).collect())
}

fn main() {
    let today = NaiveDate::from_ymd_opt(2026, 11, 26).expect("date");
    let stamp = Stamp::on(today);
    let dir = tempfile::tempdir().expect("scratch");
    let db = dir.path().join("school.db");
    let mut store = demo::create(&db, DemoSpec { pupils: 2000, seed: 3, years: 3 }, stamp).expect("demo");
    let size = std::fs::metadata(&db).expect("db").len();
    let runs = 7;
    let out = |i: usize| dir.path().join(format!("b-{i}.senco-backup"));

    let copy = time(runs, |i| {
        let folder = dir.path().join(format!("copy-{i}"));
        std::fs::create_dir(&folder).expect("folder");
        std::fs::copy(&db, folder.join("school.db")).expect("copy");
        std::fs::copy(dir.path().join("school.db.keys"), folder.join("school.db.keys")).expect("copy keys");
        std::fs::File::open(folder.join("school.db")).and_then(|f| f.sync_all()).expect("sync");
    });
    let backup = time(runs, |i| {
        store.backup(&out(i), stamp).expect("backup");
    });
    let bytes = std::fs::metadata(out(0)).expect("backup").len();
    let manifest_only = time(runs, |i| {
        verify_backup(&out(i), None, &dir.path().join("scratch")).expect("verify");
    });
    let verify_unlocked = time(3, |i| {
        verify_backup(&out(i), Some(Unlock::Demo), &dir.path().join("scratch")).expect("verify");
    });
    let restored = time(3, |i| {
        restore(&out(i), &dir.path().join(format!("restored-{i}")).join("school.db"), Unlock::Demo, true, stamp).expect("restore");
    });
    drop(store);
    let check = time(3, |_| {
        assert!(senco_core::store::check(&db, Unlock::Demo).expect("check").healthy());
    });

    println!("2,000-pupil demo school: database {:.1} MB, backup file {:.1} MB ({:.3}x)", size as f64 / 1e6, bytes as f64 / 1e6, bytes as f64 / size as f64);
    println!("copy the two files (floor)        {}", ms(copy));
    println!("senco backup                      {}  ({:.1}x the copy)", ms(backup), backup.as_secs_f64() / copy.as_secs_f64());
    println!("backup verify, hashes only        {}  ({:.1}x the copy)", ms(manifest_only), manifest_only.as_secs_f64() / copy.as_secs_f64());
    println!("backup verify, unlocked + checks  {}  ({:.2}x senco check on the school)", ms(verify_unlocked), verify_unlocked.as_secs_f64() / check.as_secs_f64());
    println!("restore (checks, unlock, switch)  {}  ({:.2}x senco check on the school)", ms(restored), restored.as_secs_f64() / check.as_secs_f64());
    println!("senco check on the school         {}", ms(check));
}
