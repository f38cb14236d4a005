//! Benchmark, not a test: how long the app takes from process start to its first screen
//! rendered with the demo school's data (the worklist, since that became the first screen), against a blank Tauri 2 window built the same way, measured in one
//! run. Prints medians and the ratio (see docs/benchmarks.md).
//!
//! Build both in release, then run under a display:
//!   cargo build --release --features tauri/custom-protocol --bin senco-toolkit --example blank_window --example bench_startup
//!   xvfb-run -a target/release/examples/bench_startup
//!
//! The app exits when its first screen has rendered because `SENCO_STARTUP_PROBE` is set
//! (see `commands::school::startup_finished`); the blank window exits when its page loads.
//! The demo school is made once beforehand, so its creation is not measured, only opening.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

const RUNS: usize = 7;

fn release(name: &str) -> PathBuf {
    let exe = std::env::current_exe().expect("this program's path");
    let release = exe.parent().and_then(Path::parent).expect("target/release");
    match name {
        "senco-toolkit" => release.join(name),
        other => release.join("examples").join(other),
    }
}

fn run(program: &Path, data: &Path) -> Duration {
    let started = Instant::now();
    let status = Command::new(program)
        .arg("--demo")
        .env("SENCO_DATA_DIR", data)
        .env("SENCO_STARTUP_PROBE", "1")
        .status()
        .unwrap_or_else(|e| panic!("{} runs: {e}", program.display()));
    assert!(status.success(), "{} exited with {status}", program.display());
    started.elapsed()
}

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples[samples.len() / 2]
}

fn ms(d: Duration) -> String {
    format!("{:.0} ms", d.as_secs_f64() * 1000.0)
}

fn main() {
    let app = release("senco-toolkit");
    let blank = release("blank_window");
    let data = tempfile::tempdir().expect("a data folder");
    // Make the demo school once, and warm the file cache and WebKit's first start.
    run(&app, data.path());
    run(&blank, data.path());
    let (mut app_times, mut blank_times) = (Vec::new(), Vec::new());
    for _ in 0..RUNS {
        blank_times.push(run(&blank, data.path()));
        app_times.push(run(&app, data.path()));
    }
    let (app_median, blank_median) = (median(app_times.clone()), median(blank_times.clone()));
    println!("| runs | blank Tauri window | SENCO Toolkit, demo worklist rendered | ratio |");
    println!("|---|---|---|---|");
    println!("| {RUNS} | {} | {} | {:.2}× |", ms(blank_median), ms(app_median), app_median.as_secs_f64() / blank_median.as_secs_f64());
    println!();
    println!("app runs: {}", app_times.iter().map(|d| ms(*d)).collect::<Vec<_>>().join(", "));
    println!("blank runs: {}", blank_times.iter().map(|d| ms(*d)).collect::<Vec<_>>().join(", "));
}
