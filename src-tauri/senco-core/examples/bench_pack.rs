//! Benchmark, not a test: building one pupil's EHC needs assessment pack (PDF, attachments,
//! data and manifest, zipped) on all-through demo schools of 200, 2,000 and 20,000 pupils
//! with six years of history, for the pupil with the longest history in each. A pack reads
//! one pupil's rows only, so its time should not grow with the school. Prints medians, the
//! bundle's size and pages, and the ratios measured in this one run (see docs/benchmarks.md).
//! The yardstick is the issue's: LibreOffice takes about 1 s to turn a 22-page DOCX into PDF.
//!
//! cargo run --release -p senco-core --features bench-probes --example bench_pack

use std::time::{Duration, Instant};

use chrono::NaiveDate;
use senco_core::demo::{self, DemoSpec};
use senco_core::readiness::{shipped, PackType};
use senco_core::school::Phase;
use senco_core::{Stamp, Store};

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples[samples.len() / 2]
}

fn main() {
    let dir = tempfile::tempdir().expect("temporary folder");
    let today = NaiveDate::from_ymd_opt(2026, 11, 23).expect("date");
    let rules = shipped(PackType::Ehcna).expect("rules");
    let libreoffice = Duration::from_secs(1);
    println!("| pupils | pupil's cycles | pack build (median of 31) | per page | bundle | PDF | pages | vs the 200-pupil school | vs LibreOffice's 1 s |");
    println!("|---|---|---|---|---|---|---|---|---|");
    let mut first: Option<Duration> = None;
    for pupils in [200, 2_000, 20_000] {
        let path = dir.path().join(format!("demo-{pupils}.senco"));
        let store: Store = demo::create_as(&path, DemoSpec { pupils, seed: 42, years: 6 }, Phase::AllThrough, Stamp::on(today)).expect("demo school");
        let (pupil, cycles) = store.pupil_with_most_cycles().expect("query").expect("a pupil with cycles");
        let (pack, bytes) = store.build_pack(pupil, &rules, today, None).expect("pack");
        let pdf = senco_core::pack::render(&pack).expect("pdf");
        let pages = ["/Type /Page", "/Type/Page"].iter().map(|m| pdf.windows(m.len() + 1).filter(|w| w.starts_with(m.as_bytes()) && w[m.len()] != b's').count()).sum::<usize>();
        let time = median((0..31).map(|_| {
            let start = Instant::now();
            std::hint::black_box(store.build_pack(pupil, &rules, today, None).expect("pack"));
            start.elapsed()
        }).collect());
        let base = *first.get_or_insert(time);
        println!(
            "| {pupils} | {cycles} | {:.1} ms | {:.2} ms | {} KB | {} KB | {pages} | {:.2}× | {:.0}× faster |",
            time.as_secs_f64() * 1000.0,
            time.as_secs_f64() * 1000.0 / pages as f64,
            bytes.len().div_ceil(1024),
            pdf.len().div_ceil(1024),
            time.as_secs_f64() / base.as_secs_f64(),
            libreoffice.as_secs_f64() / time.as_secs_f64()
        );
    }
}
