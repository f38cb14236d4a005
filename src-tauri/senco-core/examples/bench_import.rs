//! Benchmark, not a test: importing a CTF of about 2,000 pupils on roll into a fresh school (the dry run, and
//! the dry run plus apply) against the raw insert of the same pupils, statuses and needs
//! into SQLite in one transaction; and the peak memory of reading a 50 MB CTF, measured in a
//! child process against the same process reading an empty file. Prints medians and the
//! ratios measured in this one run (see docs/benchmarks.md).
//!
//! cargo run --release -p senco-core --features bench-probes --example bench_import

use std::io::BufReader;
use std::path::Path;
use std::time::{Duration, Instant};

use chrono::NaiveDate;
use senco_core::demo::{self, DemoSpec};
use senco_core::import::{ctf, MisPupil};
use senco_core::school::{Phase, SchoolSetup};
use senco_core::upn::Upn;
use senco_core::{Stamp, Store};

const PASSPHRASE: &str = "quiet lantern over marsh fields";

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 26).expect("date")
}

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples[samples.len() / 2]
}

fn ms(d: Duration) -> String {
    format!("{:.0} ms", d.as_secs_f64() * 1000.0)
}

fn fresh(dir: &Path, n: usize) -> Store {
    let setup = SchoolSetup { name: "Bench".into(), urn: "999999".into(), la_code: "886".into(), establishment_number: "2999".into(), phase: Phase::AllThrough };
    Store::create(&dir.join(format!("fresh-{n}.senco")), &setup, PASSPHRASE, PASSPHRASE, Stamp::on(today())).expect("school").0
}

/// The highest resident set this process has had, in MiB.
fn peak_mib() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").expect("proc status");
    let kb: f64 = status.lines().find(|l| l.starts_with("VmHWM:")).and_then(|l| l.split_whitespace().nth(1)).and_then(|n| n.parse().ok()).expect("VmHWM");
    kb / 1024.0
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.len() == 3 && args[1] == "--parse" {
        let file = std::fs::File::open(&args[2]).expect("file");
        let parsed = ctf::read(BufReader::with_capacity(256 * 1024, file), today(), ("886", "2999"));
        println!("{} {} {:.1}", parsed.pupils.len(), parsed.problems.len(), peak_mib());
        return;
    }
    let dir = tempfile::tempdir().expect("temporary folder");
    let demo = demo::create_as(&dir.path().join("demo.senco"), DemoSpec { pupils: 2_070, seed: 7, years: 5 }, Phase::AllThrough, Stamp::on(today())).expect("demo");
    let school = demo.school().clone();
    let here = ctf::Establishment { la: &school.la_code, estab: &school.establishment_number, urn: &school.urn, name: &school.name };
    let pupils = demo.mis_pupils(today()).expect("pupils");
    let xml = ctf::write(&here, &here, &pupils, today());
    println!("A {}-pupil CTF of {:.1} MB, into a fresh school each run (SQLCipher, WAL).", pupils.len(), xml.len() as f64 / 1e6);
    let runs = 7;
    let mut raw = Vec::new();
    let mut dry = Vec::new();
    let mut whole = Vec::new();
    for run in 0..runs {
        let mut store = fresh(dir.path(), run * 3);
        let start = Instant::now();
        store.raw_insert_pupils(&pupils).expect("raw insert");
        raw.push(start.elapsed());

        let store = fresh(dir.path(), run * 3 + 1);
        let start = Instant::now();
        let plan = store.plan_import(ctf::read(xml.as_bytes(), today(), ("886", "2999")), today()).expect("plan");
        dry.push(start.elapsed());
        assert_eq!(plan.new_pupils.len(), pupils.len());

        let mut store = fresh(dir.path(), run * 3 + 2);
        let start = Instant::now();
        let (_, outcome) = store.apply_import(ctf::read(xml.as_bytes(), today(), ("886", "2999")), "bench.xml", None, false, false, &mut |_, _| true, Stamp::on(today())).expect("apply");
        whole.push(start.elapsed());
        assert_eq!(outcome.new_pupils as usize, pupils.len());
    }
    let (raw, dry, whole) = (median(raw), median(dry), median(whole));
    println!();
    println!("| step | median of {runs} | ÷ raw insert |");
    println!("|---|---|---|");
    println!("| raw insert of the same rows, one transaction | {} | 1.0× |", ms(raw));
    println!("| dry run (read the CTF, match, plan) | {} | {:.2}× |", ms(dry), dry.as_secs_f64() / raw.as_secs_f64());
    println!("| import (read, plan again in the transaction, write, audit) | {} | {:.2}× |", ms(whole), whole.as_secs_f64() / raw.as_secs_f64());

    // 50 MB: the demo's pupils again and again under new UPNs, read by a child process.
    let mut big: Vec<MisPupil> = Vec::new();
    let mut serial = 0u16;
    while big.len() * (xml.len() / pupils.len()) < 50_000_000 {
        for p in &pupils {
            let mut copy = p.clone();
            copy.upn = Upn::from_parts(886, 3000 + serial / 1000, 2020, serial % 1000).to_string();
            serial += 1;
            big.push(copy);
        }
    }
    let big_file = dir.path().join("big.xml");
    std::fs::write(&big_file, ctf::write(&here, &here, &big, today())).expect("big file");
    let empty = dir.path().join("empty.xml");
    std::fs::write(&empty, "").expect("empty");
    let me = std::env::current_exe().expect("this program");
    let measure = |file: &Path| -> (String, f64) {
        let out = std::process::Command::new(&me).arg("--parse").arg(file).output().expect("child runs");
        let text = String::from_utf8_lossy(&out.stdout).trim().to_string();
        let peak = text.rsplit(' ').next().and_then(|n| n.parse().ok()).expect("peak");
        (text, peak)
    };
    let (idle_text, idle) = measure(&empty);
    let (big_text, peak) = measure(&big_file);
    let size = std::fs::metadata(&big_file).expect("size").len() as f64 / 1e6;
    println!();
    println!("Reading a {size:.0} MB CTF of {} pupils (pupils, problems, peak MiB): {big_text}; an empty file: {idle_text}.", big.len());
    println!("Peak resident memory {peak:.0} MiB, {:.0} MiB above the process reading nothing: {:.2} MiB per MB of file (the pupils read are kept).", peak - idle, (peak - idle) / size);
}
