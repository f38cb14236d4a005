//! Files the person chooses are bounded, and what is in them cannot break an output: every
//! kind of file `senco` reads stops at its limit however it is made (`/dev/zero` has no size
//! and no end), naming the file and the limit with exit code 1; messages that quote a file
//! show hidden characters as their code; and catalogues and national figures that cannot be
//! right are refused before anything is stored.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const TODAY: &str = "2026-11-26";

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn senco(db: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_senco")).args(args).args(["--today", TODAY, "--db"]).arg(db).env_remove("SENCO_PASSPHRASE").output().expect("senco runs")
}

fn ok(out: Output) -> String {
    assert!(out.status.success(), "stdout: {}\nstderr: {}", text(&out.stdout), text(&out.stderr));
    text(&out.stdout)
}

/// Exit code 1 (refused, never an abort), with everything it printed.
fn refused(out: Output) -> String {
    let all = format!("{}{}", text(&out.stdout), text(&out.stderr));
    assert_eq!(out.status.code(), Some(1), "{all}");
    all
}

fn demo(dir: &Path) -> PathBuf {
    let db = dir.join("demo.senco");
    ok(Command::new(env!("CARGO_BIN_EXE_senco")).args(["demo", "--today", TODAY, "--pupils", "30", "--db"]).arg(&db).output().unwrap());
    db
}

/// A real school: the demo school refuses MIS files and catalogues before reading them
/// matters.
const PASSPHRASE: &str = "quiet lantern over marsh fields";

fn school(dir: &Path) -> PathBuf {
    let db = dir.join("school.senco");
    ok(Command::new(env!("CARGO_BIN_EXE_senco"))
        .args(["init", "--name", "Bounds Primary", "--urn", "118000", "--estab", "2001", "--db"])
        .arg(&db)
        .env("SENCO_PASSPHRASE", PASSPHRASE)
        .output()
        .unwrap());
    db
}

fn senco_real(db: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_senco")).args(args).args(["--today", TODAY, "--db"]).arg(db).env("SENCO_PASSPHRASE", PASSPHRASE).output().expect("senco runs")
}

fn first_upn(db: &Path) -> String {
    let csv = ok(senco(db, &["register", "list", "--format", "csv"]));
    csv.lines().nth(1).unwrap().split(',').next().unwrap().to_string()
}

#[test]
fn every_file_senco_reads_stops_at_its_limit_even_from_dev_zero() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo(dir.path());
    let upn = first_upn(&db);
    let real = school(dir.path());
    let out = refused(senco_real(&real, &["import", "ctf", "/dev/zero", "--dry-run"]));
    assert!(out.contains("more than 1 MB"), "{out}");
    for (args, want) in [
        (["import", "csv", "/dev/zero", "--dry-run"].as_slice(), "/dev/zero is larger than 50 MB, the most a CSV file may be"),
        (["catalogue", "load", "/dev/zero"].as_slice(), "/dev/zero is larger than 5 MB, the most a catalogue file may be"),
    ] {
        let out = refused(senco_real(&real, args));
        assert!(out.contains(want), "{args:?}: {out}");
    }
    let cases: [(&[&str], &str); 4] = [
        (&["catalogue", "check", "/dev/zero"], "/dev/zero is larger than 5 MB, the most a catalogue file may be"),
        (&["pack", "check", "--pupil", &upn, "--rules", "/dev/zero"], "/dev/zero is larger than 1 MB, the most an evidence rules file may be"),
        (&["national", "--load", "/dev/zero"], "/dev/zero is larger than 1 MB, the most a national figures file may be"),
        (&["cycle", "record", "--pupil", &upn, "--file", "/dev/zero"], "/dev/zero is larger than 2 MB, the most a stage document may be"),
    ];
    for (args, want) in cases {
        let out = refused(senco(&db, args));
        assert!(out.contains(want), "{args:?}: {out}");
    }
    // Secrets kept in files: a passphrase, a pack's password, a recovery key.
    let secret = "/dev/zero is larger than 1 MB, the most a passphrase, password or recovery key file may be";
    let out = refused(senco(&real, &["register", "list", "--passphrase-file", "/dev/zero"]));
    assert!(out.contains(secret), "{out}");
    let packs = dir.path().join("packs");
    let out = refused(senco(&db, &["pack", "build", "--pupil", &upn, "--type", "lift", "--out", packs.to_str().unwrap(), "--password-file", "/dev/zero"]));
    assert!(out.contains(secret) && !packs.exists(), "{out}");
    let out = refused(senco(&real, &["restore", dir.path().join("demo.senco").to_str().unwrap(), "--recovery-key-file", "/dev/zero"]));
    assert!(out.contains(secret), "{out}");
}

#[test]
fn a_ctf_larger_than_its_limit_is_refused_naming_the_limit() {
    let dir = tempfile::tempdir().unwrap();
    let db = school(dir.path());
    // 101 MB of comments between the root's tags: each small, the whole too large.
    let big = dir.path().join("big.xml");
    let mut file = std::io::BufWriter::new(std::fs::File::create(&big).unwrap());
    std::io::Write::write_all(&mut file, b"<CTfile>").unwrap();
    let comment = [b"<!--".as_slice(), &[b'x'; 4088], b"-->\n"].concat();
    for _ in 0..(101 * 256) {
        std::io::Write::write_all(&mut file, &comment).unwrap();
    }
    std::io::Write::write_all(&mut file, b"</CTfile>").unwrap();
    drop(file);
    let out = refused(senco_real(&db, &["import", "ctf", big.to_str().unwrap(), "--dry-run"]));
    assert!(out.contains("larger than 100 MB, the most a CTF may be"), "{out}");
}

#[test]
fn catalogue_check_never_echoes_escape_sequences_or_nuls_to_the_terminal() {
    let dir = tempfile::tempdir().unwrap();
    let hostile = dir.path().join("hostile.catalogue");
    std::fs::write(&hostile, "catalogue: T\nversion: 1\nprefix: T\n\u{1b}]0;owned\u{7}\u{0}\u{202E}\nsec\u{1b}[2Jtion S1: x\n").unwrap();
    let out = senco(&dir.path().join("none.senco"), &["catalogue", "check", hostile.to_str().unwrap()]);
    let all = refused(out);
    assert!(!all.chars().any(|c| (c.is_control() && c != '\n') || c == '\u{202E}'), "{all:?}");
    assert!(all.contains("<U+001B>]0;owned<U+0007><U+0000><U+202E>") && all.contains("sec<U+001B>[2Jtion"), "{all}");
}

#[test]
fn catalogue_load_refuses_a_file_without_its_headers_as_check_does() {
    let dir = tempfile::tempdir().unwrap();
    let db = school(dir.path());
    let headless = dir.path().join("headless.catalogue");
    std::fs::write(&headless, "prefix: OAP\nsection S1: All\n  heading H: One\n    item 01: Fine\n").unwrap();
    let checked = refused(senco_real(&db, &["catalogue", "check", headless.to_str().unwrap()]));
    assert!(checked.contains("the `catalogue:` header is missing"), "{checked}");
    let loaded = refused(senco_real(&db, &["catalogue", "load", headless.to_str().unwrap()]));
    assert!(loaded.contains("the `catalogue:` header is missing") && loaded.contains("nothing was loaded"), "{loaded}");
    assert!(!ok(senco_real(&db, &["catalogue", "list"])).contains("OAP."), "nothing was loaded");
}

#[test]
fn national_load_refuses_figures_that_cannot_be_true_and_keeps_the_old_ones() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo(dir.path());
    let source = "https://explore-education-statistics.service.gov.uk/find-statistics/special-educational-needs-in-england";
    let before = ok(senco(&db, &["national"]));
    let cases = [
        (r#"{"name":"Empty","updated":"2026-06-11","figures":[]}"#.to_string(), "gives no figures"),
        (
            format!(r#"{{"name":"Sum","updated":"2026-06-11","figures":[{{"year":2026,"measure":"sen_support_pct","value":15,"source":"{source}"}},{{"year":2026,"measure":"ehc_plan_pct","value":6,"source":"{source}"}},{{"year":2026,"measure":"all_sen_pct","value":19,"source":"{source}"}}]}}"#),
            "add up to more than all pupils with SEN",
        ),
        (format!(r#"{{"name":"Future","updated":"2026-12-01","figures":[{{"year":2026,"measure":"ehc_plan_pct","value":5.9,"source":"{source}"}}]}}"#), "is after today"),
        (r#"{"name":"Plain","updated":"2026-06-11","figures":[{"year":2026,"measure":"ehc_plan_pct","value":5.9,"source":"http://example.org/x"}]}"#.to_string(), "not an https address"),
        (format!(r#"{{"name":"Over","updated":"2026-06-11","figures":[{{"year":2026,"measure":"ehc_plan_pct","value":100.1,"source":"{source}"}}]}}"#), "not a percentage from 0 to 100"),
        (format!("{{\"name\":\"DfE \\u001b]0;owned\\u0007 \\u202e\",\"updated\":\"2026-06-11\",\"figures\":[{{\"year\":2026,\"measure\":\"ehc_plan_pct\",\"value\":5.9,\"source\":\"{source}\"}}]}}"), "invisible control character (U+001B)"),
    ];
    for (n, (json, why)) in cases.iter().enumerate() {
        let file = dir.path().join(format!("national-{n}.json"));
        std::fs::write(&file, json).unwrap();
        let out = refused(senco(&db, &["national", "--load", file.to_str().unwrap()]));
        assert!(out.contains(&format!("national-{n}.json")) && out.contains(why), "{why}: {out}");
        assert!(!out.chars().any(|c| (c.is_control() && c != '\n') || c == '\u{202E}'), "{out:?}");
    }
    assert_eq!(ok(senco(&db, &["national"])), before, "a refused file changes nothing");
}
