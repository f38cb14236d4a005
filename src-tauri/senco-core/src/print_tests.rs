//! Text cannot break a printed document: arbitrary text (any Unicode scalar, control and
//! direction characters, combining marks, characters the font lacks, one word of millions of
//! characters) goes through every PDF the product makes (the evidence pack, the family
//! summary, the subject-access record and the governors' summary), and each result must lay
//! out without a panic and pass `qpdf --check`. The cases come from a seeded generator, so a
//! failure names its seed and can be run again; there are few of them, so the test takes
//! seconds.

use std::path::Path;
use std::process::Command;

use chrono::NaiveDate;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde_json::Value;

use crate::demo::{self, DemoSpec};
use crate::governors::{self, national::National, OutputFormat};
use crate::pupil::PupilId;
use crate::summary::FamilySummary;
use crate::Stamp;

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 26).unwrap()
}

/// One character, drawn from the kinds that break layouts more often than chance would.
fn character(rng: &mut ChaCha8Rng) -> char {
    let pick = |rng: &mut ChaCha8Rng, ranges: &[(u32, u32)]| {
        let (from, to) = ranges[rng.gen_range(0..ranges.len())];
        char::from_u32(rng.gen_range(from..=to)).unwrap_or('\u{FFFD}')
    };
    match rng.gen_range(0..10) {
        0..=3 => pick(rng, &[(0x61, 0x7A), (0x41, 0x5A), (0x20, 0x20), (0x20, 0x20)]),
        4 => pick(rng, &[(0x00, 0x1F), (0x7F, 0x9F), (0x0A, 0x0A), (0x0D, 0x0D), (0x09, 0x09)]),
        5 => pick(rng, &[(0x200B, 0x200F), (0x202A, 0x202E), (0x2066, 0x2069), (0xFEFF, 0xFEFF), (0x2028, 0x2029)]),
        6 => pick(rng, &[(0x0300, 0x036F), (0x00C0, 0x024F), (0x0370, 0x03FF), (0x0400, 0x04FF)]),
        7 => pick(rng, &[(0x4E00, 0x9FFF), (0x0600, 0x06FF), (0x1F300, 0x1FAFF), (0xE000, 0xF8FF)]),
        8 => pick(rng, &[(0x21, 0x7E), (0xA0, 0xFF), (0x2000, 0x206F)]),
        _ => loop {
            if let Some(c) = char::from_u32(rng.gen_range(0..=0x10FFFF)) {
                break c;
            }
        },
    }
}

/// Arbitrary text of a length chosen from short to long.
fn text(rng: &mut ChaCha8Rng) -> String {
    let length = [0, 1, 7, 60, 400, 3_000][rng.gen_range(0..6)];
    (0..length).map(|_| character(rng)).collect()
}

/// One word with no space to break at, `length` characters long.
fn huge_word(rng: &mut ChaCha8Rng, length: usize) -> String {
    let c = ['W', 'm', '@', '語', '\u{1F600}'][rng.gen_range(0..5)];
    std::iter::repeat_n(c, length).collect()
}

/// The PDF is well formed by qpdf's full check (structure, cross-reference, streams).
fn qpdf_check(pdf: &[u8], what: &str, dir: &Path) {
    assert!(pdf.starts_with(b"%PDF-"), "{what}: not a PDF");
    let path = dir.join("check.pdf");
    std::fs::write(&path, pdf).unwrap();
    let out = Command::new("qpdf").arg("--check").arg(&path).output().expect("qpdf is installed (apt-get install qpdf)");
    assert!(
        out.status.success(),
        "{what}: qpdf --check failed ({:?}): {}{}",
        out.status.code(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Every string in a JSON document replaced by arbitrary text, dates kept so the record
/// still has its preparation date.
fn scramble(value: &mut Value, rng: &mut ChaCha8Rng) {
    match value {
        Value::String(s) if s.parse::<NaiveDate>().is_err() => *s = text(rng),
        Value::Array(items) => items.iter_mut().for_each(|v| scramble(v, rng)),
        Value::Object(map) => map.values_mut().for_each(|v| scramble(v, rng)),
        _ => {}
    }
}

#[test]
fn arbitrary_text_never_breaks_any_pdf_the_toolkit_prints() {
    let dir = tempfile::tempdir().unwrap();
    let store = demo::create(&dir.path().join("demo.senco"), DemoSpec { pupils: 40, seed: 3, years: 2 }, Stamp::on(today())).unwrap();
    // A pupil with support cycles, so the pack and the record have every section filled.
    let pupil = (1..=40).map(PupilId).find(|id| store.cycles(*id).is_ok_and(|c| !c.is_empty())).expect("a demo pupil with cycles");
    let rules = crate::readiness::shipped(crate::readiness::PackType::Ehcna).unwrap();
    let pack = store.pack(pupil, &rules, today()).unwrap();
    let (record, _) = crate::sar::gather(&store, pupil, today()).unwrap();
    let census = governors::latest_census(today());
    let facts = store.governor_facts(census, today()).unwrap();

    for seed in 0..4u64 {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        // The first case carries one word of three million characters through the family
        // summary and of 200,000 through the others (which print it more than once), so the
        // test stays quick; pdf::tests lays out three million in every single-line slot.
        let big = |rng: &mut ChaCha8Rng| if seed == 0 { huge_word(rng, 200_000) } else { text(rng) };

        let mut p = pack.clone();
        p.rules_name = big(&mut rng);
        p.rules_version = text(&mut rng);
        p.school_name = text(&mut rng);
        p.pupil.legal_surname = text(&mut rng);
        p.pupil.legal_forename = text(&mut rng);
        p.readiness.summary = text(&mut rng);
        let pdf = crate::pack::render(&p).unwrap_or_else(|e| panic!("seed {seed}: the pack was refused: {e}"));
        qpdf_check(&pdf, &format!("pack, seed {seed}"), dir.path());

        let summary = FamilySummary {
            name: text(&mut rng),
            first: text(&mut rng),
            school: text(&mut rng),
            plan_date: text(&mut rng),
            review_date: "2027-01-15".into(),
            admire: if seed == 0 { huge_word(&mut rng, 3_000_000) } else { text(&mut rng) },
            important: text(&mut rng),
            outcomes: (0..3).map(|_| text(&mut rng)).collect(),
            all_adults: text(&mut rng),
            interventions: vec![(text(&mut rng), Some((3, 20))), (text(&mut rng), None)],
        };
        let pdf = crate::summary::render(&summary, today()).unwrap_or_else(|e| panic!("seed {seed}: the summary was refused: {e}"));
        qpdf_check(&pdf, &format!("family summary, seed {seed}"), dir.path());

        let mut r = record.clone();
        scramble(&mut r, &mut rng);
        r["pupil"]["legalSurname"] = Value::String(big(&mut rng));
        let pdf = crate::sar::render(&r).unwrap_or_else(|e| panic!("seed {seed}: the subject-access record was refused: {e}"));
        qpdf_check(&pdf, &format!("subject-access record, seed {seed}"), dir.path());

        let mut f = facts.clone();
        f.school.name = big(&mut rng);
        for item in &mut f.interventions {
            item.name = text(&mut rng);
        }
        let aggregate = governors::summarise(&f);
        let (_, pdf) = governors::render(&aggregate, OutputFormat::Pdf, governors::DEFAULT_THRESHOLD, &National::shipped(), today())
            .unwrap_or_else(|e| panic!("seed {seed}: the governors' summary was refused: {e}"));
        qpdf_check(&pdf, &format!("governors' summary, seed {seed}"), dir.path());
    }
}
