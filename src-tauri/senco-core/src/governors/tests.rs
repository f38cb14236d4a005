//! Property tests of the governors' promise, over random synthetic schools from 30 pupils
//! to several thousand: every published count is 0, at least the threshold, or `c`; no hidden
//! count can be worked out from what is published (an attacker written here, apart from the
//! suppression code, solves for each one); and a roll-up's totals are the sums of its
//! schools' exact counts.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use microlp::{ComparisonOp, OptimizationDirection, Problem};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde_json::Value;

use super::national::National;
use super::*;
use crate::census::NeedCode;

fn day(s: &str) -> NaiveDate {
    s.parse().expect("iso date")
}

/// A random school: its size, its mix of statuses and needs and its flags all vary, so that
/// small cells turn up in every table.
fn school(seed: u64, pupils: usize) -> Facts {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let sen_rate: f64 = rng.gen_range(0.05..0.35);
    let ehc_share: f64 = rng.gen_range(0.05..0.5);
    let years: (i32, i32) = if rng.gen_bool(0.6) { (0, 6) } else { (7, 13) };
    let needs: Vec<NeedCode> = NeedCode::ALL.iter().copied().filter(|_| rng.gen_bool(0.7)).collect();
    let needs = if needs.is_empty() { vec![NeedCode::SLCN] } else { needs };
    let cohort = |n: usize, rng: &mut ChaCha8Rng| -> Vec<CensusPupil> {
        (0..n)
            .map(|_| {
                let status = if rng.gen_bool(sen_rate) {
                    if rng.gen_bool(ehc_share) {
                        CensusStatus::E
                    } else {
                        CensusStatus::K
                    }
                } else {
                    CensusStatus::N
                };
                CensusPupil {
                    status,
                    need: (status != CensusStatus::N).then(|| needs[rng.gen_range(0..needs.len())]).filter(|_| rng.gen_bool(0.98)),
                    year: rng.gen_range(years.0..=years.1),
                    sex: if rng.gen_bool(0.5) { Sex::M } else { Sex::F },
                    pupil_premium: rng.gen_bool(0.25),
                    fsm: rng.gen_bool(0.2),
                    eal: rng.gen_bool(0.15),
                    looked_after: rng.gen_bool(0.01),
                    attendance: rng.gen_bool(0.9).then(|| rng.gen_range(70.0..100.0)),
                    parent_meetings: rng.gen_range(0..5),
                }
            })
            .collect()
    };
    let census = day("2026-01-15");
    let mut cohorts = vec![Cohort { date: census, pupils: cohort(pupils, &mut rng), flags_known: true }];
    for back in 1..rng.gen_range(1..=5) {
        let size = (pupils as f64 * rng.gen_range(0.8..1.2)) as usize;
        cohorts.push(Cohort { date: trend_dates(census)[back], pupils: cohort(size, &mut rng), flags_known: false });
    }
    let timeliness = |rng: &mut ChaCha8Rng, n: usize| -> Vec<Timeliness> {
        (0..n).map(|_| [Timeliness::OnTime, Timeliness::OnTime, Timeliness::Late, Timeliness::Overdue][rng.gen_range(0..4)]).collect()
    };
    let sen = cohorts[0].pupils.iter().filter(|p| p.status != CensusStatus::N).count();
    let ehc = cohorts[0].pupils.iter().filter(|p| p.status == CensusStatus::E).count();
    let names = ["Phonics catch-up", "Precision teaching", "Lego-based therapy", "Sensory circuits"];
    Facts {
        school: SchoolLine { name: format!("Test School {seed}"), urn: format!("{}", 800_000 + seed), la_code: "886".into(), phase: Some(crate::school::Phase::Primary), duties: None, duties_read: None },
        reviews: timeliness(&mut rng, sen * 2),
        annual_reviews: timeliness(&mut rng, ehc),
        requests: (0..rng.gen_range(0..6)).map(|_| [RequestOutcome::Agreed, RequestOutcome::Declined, RequestOutcome::Awaiting][rng.gen_range(0..3)]).collect(),
        outcome_ratings: (0..sen * 3).map(|_| rng.gen_range(-2..=2)).collect(),
        interventions: (0..sen)
            .map(|_| InterventionResult {
                name: names[rng.gen_range(0..names.len())].into(),
                entry: rng.gen_bool(0.8).then(|| rng.gen_range(60.0..80.0)),
                exit: rng.gen_bool(0.7).then(|| rng.gen_range(60.0..90.0)),
            })
            .collect(),
        training: (0..rng.gen_range(0..12)).map(|_| if rng.gen_bool(0.3) { None } else { Some(BroadArea::ALL[rng.gen_range(0..4)]) }).collect(),
        spend_pence: rng.gen_range(0..10_000_000),
        budget_pence: rng.gen_bool(0.5).then(|| rng.gen_range(1..20_000_000)),
        cohorts,
    }
}

fn sizes() -> Vec<(u64, usize)> {
    let mut rng = ChaCha8Rng::seed_from_u64(2026);
    let mut out: Vec<(u64, usize)> = (0..24).map(|seed| (seed, rng.gen_range(30..400))).collect();
    out.extend((24..30).map(|seed| (seed, rng.gen_range(400..3000))));
    out
}

// ---- The attacker: it reads only the published JSON and what anyone knows about it. ----

/// A published figure as the attacker sees it: a known number, or the sum of unknowns.
#[derive(Clone, Debug)]
struct Expr {
    vars: Vec<usize>,
    constant: f64,
}

impl Expr {
    fn plus(&self, other: &Expr) -> Expr {
        Expr { vars: self.vars.iter().chain(&other.vars).copied().collect(), constant: self.constant + other.constant }
    }
}

struct Attacker {
    vars: usize,
    /// Figures some file shows, by name: hidden in another file, they are known all the same.
    known: BTreeMap<String, f64>,
    /// Hidden figures by name, so two files hiding the same figure share one unknown.
    named: BTreeMap<String, Expr>,
    /// (expression, value) pairs that must be equal: `expr = value` or `a - b = 0`.
    equations: Vec<(Vec<(usize, f64)>, f64)>,
    /// Each hidden figure, named, with its expression and true value, for the report.
    hidden: Vec<(String, Expr)>,
}

impl Attacker {
    fn number(&mut self, v: &Value, name: String) -> Expr {
        match v {
            Value::Number(n) => Expr { vars: vec![], constant: n.as_f64().expect("a count") },
            Value::String(c) if c == "c" => {
                if let Some(known) = self.known.get(&name) {
                    return Expr { vars: vec![], constant: *known };
                }
                if let Some(e) = self.named.get(&name) {
                    return e.clone();
                }
                let e = Expr { vars: vec![self.vars], constant: 0.0 };
                self.named.insert(name.clone(), e.clone());
                self.vars += 1;
                self.hidden.push((name, e.clone()));
                e
            }
            other => panic!("{name}: a published count must be a number or \"c\", not {other}"),
        }
    }

    fn equal(&mut self, a: &Expr, b: &Expr) {
        let mut terms: BTreeMap<usize, f64> = BTreeMap::new();
        for v in &a.vars {
            *terms.entry(*v).or_default() += 1.0;
        }
        for v in &b.vars {
            *terms.entry(*v).or_default() -= 1.0;
        }
        terms.retain(|_, c| *c != 0.0);
        let rhs = b.constant - a.constant;
        if terms.is_empty() {
            assert!(rhs.abs() < 1e-9, "the published figures contradict each other");
            return;
        }
        self.equations.push((terms.into_iter().collect(), rhs));
    }

    fn range(&self, target: &Expr) -> (f64, f64) {
        let solve = |direction| {
            let mut p = Problem::new(direction);
            let mut weight = vec![0.0; self.vars];
            for v in &target.vars {
                weight[*v] += 1.0;
            }
            // Zeros are always shown, so anyone knows each c is at least 1.
            let x: Vec<_> = weight.iter().map(|w| p.add_integer_var(*w, (1, 1_000_000))).collect();
            for (terms, rhs) in &self.equations {
                let e: Vec<_> = terms.iter().map(|(v, c)| (x[*v], *c)).collect();
                p.add_constraint(e.as_slice(), ComparisonOp::Eq, *rhs);
            }
            p.solve().expect("the true figures are a solution").into_solution().expect("solved").objective()
        };
        (solve(OptimizationDirection::Minimize) + target.constant, solve(OptimizationDirection::Maximize) + target.constant)
    }
}

/// Every hidden figure an attacker can pin to one value, from the published JSON alone.
fn recoverable(published: &Value) -> Vec<String> {
    recoverable_all(std::slice::from_ref(published))
}

/// The name every file gives a figure, with its shown value (None for c).
fn named_figures(published: &Value) -> Vec<(String, Option<f64>)> {
    let mut out = Vec::new();
    for t in published["tables"].as_array().expect("tables") {
        let id = t["id"].as_str().expect("id");
        let columns: Vec<&str> = t["columns"].as_array().expect("columns").iter().map(|c| c.as_str().expect("column")).collect();
        for r in t["rows"].as_array().expect("rows") {
            let label = r["label"].as_str().expect("label");
            for (c, cell) in r["cells"].as_array().expect("cells").iter().enumerate() {
                out.push((format!("{id} / {label} / {}", columns[c]), cell["count"].as_f64()));
            }
            out.push((format!("{id} / {label} / total"), r["total"].as_f64()));
        }
        for (c, v) in t["column_totals"].as_array().expect("column totals").iter().enumerate() {
            out.push((format!("{id} / total / {}", columns[c]), v.as_f64()));
        }
        if !t["grand_total"].is_null() {
            out.push((format!("{id} / grand total"), t["grand_total"].as_f64()));
        }
    }
    out
}

/// Every figure hidden somewhere that an attacker holding all the files (the same census
/// day, so the same pupils) can pin to one value.
fn recoverable_all(files: &[Value]) -> Vec<String> {
    let known: BTreeMap<String, f64> = files.iter().flat_map(named_figures).filter_map(|(name, v)| v.map(|v| (name, v))).collect();
    let mut a = Attacker { vars: 0, known, named: BTreeMap::new(), equations: vec![], hidden: vec![] };
    for published in files {
        equations_of(&mut a, published);
    }
    let mut out = Vec::new();
    for (name, expr) in &a.hidden {
        let (lo, hi) = a.range(expr);
        if hi - lo < 0.5 {
            out.push(format!("{name} = {lo}"));
        }
    }
    out
}

/// Adds what one published file says to the attacker's equations.
fn equations_of(a: &mut Attacker, published: &Value) {
    // Each table's cells, row totals, column sums and totals, as expressions.
    struct Table {
        id: String,
        columns: Vec<String>,
        rows: Vec<(String, Vec<Expr>)>,
        column_sums: Vec<Expr>,
    }
    let mut tables: Vec<Table> = Vec::new();
    for t in published["tables"].as_array().expect("tables") {
        let id = t["id"].as_str().expect("id").to_string();
        let columns: Vec<String> = t["columns"].as_array().expect("columns").iter().map(|c| c.as_str().expect("column").to_string()).collect();
        let mut rows = Vec::new();
        for r in t["rows"].as_array().expect("rows") {
            let label = r["label"].as_str().expect("label").to_string();
            let cells: Vec<Expr> = r["cells"]
                .as_array()
                .expect("cells")
                .iter()
                .enumerate()
                .map(|(c, cell)| a.number(&cell["count"], format!("{id} / {label} / {}", columns[c])))
                .collect();
            let sum = cells.iter().fold(Expr { vars: vec![], constant: 0.0 }, |s, e| s.plus(e));
            let total = a.number(&r["total"], format!("{id} / {label} / total"));
            a.equal(&total, &sum);
            rows.push((label, cells));
        }
        let column_sums: Vec<Expr> = (0..columns.len()).map(|c| rows.iter().fold(Expr { vars: vec![], constant: 0.0 }, |s, (_, cells)| s.plus(&cells[c]))).collect();
        if let Some(totals) = t["column_totals"].as_array() {
            for (c, v) in totals.iter().enumerate() {
                let total = a.number(v, format!("{id} / total / {}", columns[c]));
                a.equal(&total, &column_sums[c]);
            }
        }
        if !t["grand_total"].is_null() {
            let grand = a.number(&t["grand_total"], format!("{id} / grand total"));
            let all = column_sums.iter().fold(Expr { vars: vec![], constant: 0.0 }, |s, e| s.plus(e));
            a.equal(&grand, &all);
        }
        tables.push(Table { id, columns, rows, column_sums });
    }

    // What anyone knows: the register's three counts are the same pupils as every table by
    // status; areas are sums of needs; key stages are sums of year groups.
    let find = |id: &str| tables.iter().find(|t| t.id == id);
    // A tiny school's register may be left out (all its pupils in one status); then
    // nothing links to it.
    let status: BTreeMap<String, Expr> = find("register").map(|register| register.rows.iter().map(|(label, cells)| (label.clone(), cells[0].clone())).collect()).unwrap_or_default();
    let mut links: Vec<(Expr, Expr)> = Vec::new();
    for t in &tables {
        let by_status = matches!(
            t.id.as_str(),
            "schools" | "area" | "need" | "key_stage" | "year" | "sex" | "pupil_premium" | "fsm" | "eal" | "looked_after" | "parent_meetings"
        );
        if by_status {
            for (c, column) in t.columns.iter().enumerate().filter(|(_, column)| status.contains_key(*column)) {
                links.push((t.column_sums[c].clone(), status[column].clone()));
            }
        }
        // Attendance covers everyone when its total is the register's: then it links too.
        if t.id == "persistent_absence" {
            let everyone = |id: &str| published["tables"].as_array().unwrap().iter().find(|x| x["id"] == id).map(|x| x["grand_total"].clone());
            if everyone("persistent_absence").is_some_and(|g| g.is_number() && Some(g) == everyone("register")) {
                for (c, column) in t.columns.iter().enumerate().filter(|(_, column)| status.contains_key(*column)) {
                    links.push((t.column_sums[c].clone(), status[column].clone()));
                }
            }
        }
        if t.id == "trend" {
            for (c, column) in t.columns.iter().enumerate().filter(|(_, column)| status.contains_key(*column)) {
                links.push((t.rows[0].1[c].clone(), status[column].clone()));
            }
        }
    }
    if let (Some(need), Some(area)) = (find("need"), find("area")) {
        for (label, cells) in &area.rows {
            let members: Vec<&(String, Vec<Expr>)> = need
                .rows
                .iter()
                .filter(|(n, _)| {
                    let code = NeedCode::ALL.iter().find(|c| c.description() == n);
                    code.map_or(label == BroadArea::Uncategorised.label(), |c| c.area().label() == label)
                })
                .collect();
            for c in 0..cells.len() {
                let sum = members.iter().fold(Expr { vars: vec![], constant: 0.0 }, |s, (_, row)| s.plus(&row[c]));
                links.push((cells[c].clone(), sum));
            }
        }
    }
    if let (Some(year), Some(stage)) = (find("year"), find("key_stage")) {
        let stage_of = |y: &str| -> &str {
            let n: i32 = y.strip_prefix("Year ").and_then(|n| n.parse().ok()).unwrap_or(0);
            match n {
                0 => "Early years",
                1..=2 => "Key stage 1",
                3..=6 => "Key stage 2",
                7..=9 => "Key stage 3",
                10..=11 => "Key stage 4",
                _ => "Sixth form",
            }
        };
        for (label, cells) in &stage.rows {
            let members: Vec<_> = year.rows.iter().filter(|(y, _)| label.starts_with(stage_of(y))).collect();
            for c in 0..cells.len() {
                let sum = members.iter().fold(Expr { vars: vec![], constant: 0.0 }, |s, (_, row)| s.plus(&row[c]));
                links.push((cells[c].clone(), sum));
            }
        }
    }
    for (x, y) in links {
        a.equal(&x, &y);
    }
}

fn counts(published: &Value) -> Vec<(String, Value)> {
    let mut out = Vec::new();
    for t in published["tables"].as_array().expect("tables") {
        for r in t["rows"].as_array().expect("rows") {
            for c in r["cells"].as_array().expect("cells") {
                out.push((format!("{} / {}", t["id"], r["label"]), c["count"].clone()));
            }
            out.push((format!("{} / {} total", t["id"], r["label"]), r["total"].clone()));
        }
        for c in t["column_totals"].as_array().expect("column totals") {
            out.push((format!("{} column total", t["id"]), c.clone()));
        }
        out.push((format!("{} grand total", t["id"]), t["grand_total"].clone()));
    }
    out
}

fn published(facts: &Facts, threshold: u32) -> (Published, Value) {
    let p = publish(&summarise(facts), threshold, &National::shipped());
    let v = serde_json::to_value(&p).expect("serialises");
    (p, v)
}

#[test]
fn every_published_count_is_zero_at_least_the_threshold_or_c() {
    for (seed, pupils) in sizes() {
        for threshold in [5, 10] {
            let (_, v) = published(&school(seed, pupils), threshold);
            for (place, count) in counts(&v) {
                match count {
                    Value::Null => {}
                    Value::String(c) => assert_eq!(c, "c", "school {seed}: {place}"),
                    Value::Number(n) => {
                        let n = n.as_u64().expect("whole");
                        assert!(n == 0 || n >= threshold as u64, "school {seed} ({pupils} pupils), threshold {threshold}: {place} shows {n}");
                    }
                    other => panic!("school {seed}: {place} is {other}"),
                }
            }
        }
    }
}

#[test]
fn no_hidden_count_can_be_worked_out_from_the_published_figures() {
    for (seed, pupils) in sizes() {
        let (p, v) = published(&school(seed, pupils), DEFAULT_THRESHOLD);
        let found = recoverable(&v);
        assert!(found.is_empty(), "school {seed} ({pupils} pupils): an attacker can work out {found:?}");
        assert!(p.tables.iter().any(|t| t.id == "register"), "the register is always published");
    }
}

#[test]
fn the_attacker_finds_what_primary_suppression_alone_would_leave() {
    // The attacker is only worth trusting if it catches a real disclosure: publish with
    // primary suppression only and it must recover a hidden count.
    let facts = school(3, 120);
    let aggregate = summarise(&facts);
    let mut hidden = std::collections::BTreeSet::new();
    let model = disclosure::Model::new(&aggregate.tables);
    for fig in &model.figures {
        let v = model.value(*fig);
        if (1..DEFAULT_THRESHOLD as u64).contains(&v) {
            hidden.insert(*fig);
        }
    }
    let tables = disclosure::published_tables(&aggregate.tables, &hidden);
    let v = serde_json::json!({ "tables": tables });
    assert!(!recoverable(&v).is_empty(), "primary suppression alone leaves counts that can be worked out");
}

#[test]
fn the_headline_counts_survive_in_an_ordinary_school() {
    // Protection must not cost the summary: a 400-pupil school with a national-like mix
    // keeps its register counts and its breakdowns by sex shown.
    let mut facts = school(11, 400);
    for (i, p) in facts.cohorts[0].pupils.iter_mut().enumerate() {
        p.status = match i % 20 {
            0 => CensusStatus::E,
            1..=3 => CensusStatus::K,
            _ => CensusStatus::N,
        };
        p.need = (p.status != CensusStatus::N).then_some(NeedCode::SLCN);
    }
    let (p, _) = published(&facts, DEFAULT_THRESHOLD);
    let register = p.tables.iter().find(|t| t.id == "register").expect("register");
    assert!(register.rows.iter().all(|r| r.cells[0].count != Figure::Suppressed), "{register:?}");
    let sex = p.tables.iter().find(|t| t.id == "sex").expect("sex");
    assert!(sex.column_totals.iter().all(|f| *f != Figure::Suppressed), "{sex:?}");
}

#[test]
fn percentages_show_only_where_both_counts_do() {
    for (seed, pupils) in sizes().into_iter().take(8) {
        let (p, _) = published(&school(seed, pupils), DEFAULT_THRESHOLD);
        for t in &p.tables {
            for r in &t.rows {
                for (c, cell) in r.cells.iter().enumerate() {
                    if cell.percent.is_some() {
                        assert_ne!(cell.count, Figure::Suppressed, "{} / {}", t.id, r.label);
                        let whole = match t.percent_of {
                            PercentOf::Row => Some(r.total),
                            PercentOf::Column => t.column_totals.get(c).copied(),
                            PercentOf::None => None,
                        };
                        assert!(matches!(whole, Some(Figure::Count(_))), "{} / {}: a share of a hidden total", t.id, r.label);
                    }
                }
            }
        }
    }
}

#[test]
fn a_threshold_can_be_raised_but_never_lowered() {
    assert_eq!(disclosure::threshold(None).unwrap(), 5);
    assert_eq!(disclosure::threshold(Some(10)).unwrap(), 10);
    let low = disclosure::threshold(Some(3)).unwrap_err().to_string();
    assert!(low.contains("not lowered below 5"), "{low}");
    assert!(disclosure::threshold(Some(MAX_THRESHOLD + 1)).is_err());
}

#[test]
fn every_output_states_the_method_and_the_threshold() {
    let facts = school(5, 200);
    let aggregate = summarise(&facts);
    let national = National::shipped();
    for threshold in [5, 8] {
        let (_, html) = render(&aggregate, OutputFormat::Html, threshold, &national, day("2026-02-01")).unwrap();
        let html = String::from_utf8(html).unwrap();
        assert!(html.contains(&format!("Counts from 1 to {} are not shown", threshold - 1)), "the HTML states the method");
        assert!(html.contains(&format!("Smallest count shown: {threshold}.")), "the HTML states the threshold");
        assert!(!html.contains("<script") && !html.contains("http-equiv=\"refresh\"") && !html.contains("src=\"http"), "nothing runs or is fetched");
        let (_, json) = render(&aggregate, OutputFormat::Json, threshold, &national, day("2026-02-01")).unwrap();
        let v: Value = serde_json::from_slice(&json).unwrap();
        assert_eq!(v["threshold"], threshold);
        assert!(v["method"].as_str().unwrap().contains("checked by solving"));
    }
}

#[test]
fn a_roll_up_adds_up_its_schools_exact_counts() {
    // Primaries and secondaries mixed, and the first school with attendance for everyone
    // while the others have it for some: the merged table then matches no register total.
    let schools: Vec<(String, Aggregate)> = (0..12)
        .map(|i| {
            let mut facts = school(100 + i, 40 + 30 * i as usize);
            if i == 0 {
                for p in &mut facts.cohorts[0].pupils {
                    p.attendance.get_or_insert(95.0);
                }
            }
            (format!("school-{i}.json"), summarise(&facts))
        })
        .collect();
    let merged = rollup::merge(&schools).unwrap();
    for table in &merged.tables {
        if table.id == "schools" {
            continue;
        }
        // Each row's exact counts are the sum of the same row in every school that has it.
        for row in &table.rows {
            let mut expected = vec![0u64; row.cells.len()];
            for (_, a) in &schools {
                if let Some(r) = a.tables.iter().find(|t| t.id == table.id).and_then(|t| t.rows.iter().find(|r| r.label == row.label)) {
                    for (e, v) in expected.iter_mut().zip(&r.cells) {
                        *e += v;
                    }
                }
            }
            assert_eq!(row.cells, expected, "{} / {}", table.id, row.label);
        }
    }
    let by_school = merged.tables.iter().find(|t| t.id == "schools").unwrap();
    assert_eq!(by_school.rows.len(), 12);
    let register = merged.tables.iter().find(|t| t.id == "register").unwrap();
    assert_eq!(by_school.grand_total(), register.grand_total());
    // Published again, the roll-up keeps the same promise.
    let v = serde_json::to_value(publish(&merged, DEFAULT_THRESHOLD, &National::shipped())).unwrap();
    assert!(recoverable(&v).is_empty(), "{:?}", recoverable(&v));
    // Year groups from primaries and secondaries come out in order.
    let year = merged.tables.iter().find(|t| t.id == "year").unwrap();
    let numbers: Vec<i64> = year.link.as_ref().unwrap().rows.iter().map(|c| c.trim_start_matches("year=").parse().unwrap()).collect();
    assert!(numbers.windows(2).all(|w| w[0] < w[1]), "{numbers:?}");
    // A roll-up is not merged again: its school-by-school rows would be counted twice.
    let err = rollup::read("trust.json", &serde_json::to_string(&merged).unwrap()).unwrap_err().to_string();
    assert!(err.contains("trust.json") && err.contains("already a roll-up"), "{err}");
}

#[test]
fn a_roll_up_refuses_mixed_census_points_versions_and_a_school_twice() {
    let a = summarise(&school(1, 60));
    let mut b = summarise(&school(2, 60));
    b.census_date = day("2025-10-02");
    let err = rollup::merge(&[("a.json".into(), a.clone()), ("b.json".into(), b)]).unwrap_err().to_string();
    assert!(err.contains("b.json") && err.contains("2 Oct 2025"), "{err}");
    let err = rollup::merge(&[("a.json".into(), a.clone()), ("again.json".into(), a.clone())]).unwrap_err().to_string();
    assert!(err.contains("again.json") && err.contains("a.json"), "{err}");
    let mut text = serde_json::to_value(&a).unwrap();
    text["schema_version"] = 99.into();
    let err = rollup::read("old.json", &text.to_string()).unwrap_err().to_string();
    assert!(err.contains("old.json") && err.contains("schema version 99"), "{err}");
    let published = serde_json::to_string(&publish(&a, 5, &National::shipped())).unwrap();
    let err = rollup::read("pub.json", &published).unwrap_err().to_string();
    assert!(err.contains("pub.json") && err.contains("published summary"), "{err}");
    let err = rollup::read("junk.json", "{ not json").unwrap_err().to_string();
    assert!(err.contains("junk.json") && err.contains("line 1"), "{err}");
}

#[test]
fn census_days_and_the_default_census() {
    assert_eq!(census_days(2025), [day("2025-01-16"), day("2025-05-15"), day("2025-10-02")]);
    assert_eq!(latest_census(day("2026-11-26")), day("2026-10-01"));
    assert_eq!(latest_census(day("2026-01-15")), day("2025-10-02"), "the census day itself is not yet over");
    assert_eq!(trend_dates(day("2026-01-15")), vec![day("2026-01-15"), day("2025-01-16"), day("2024-01-18"), day("2023-01-19"), day("2022-01-20")]);
}

#[test]
fn the_shipped_national_figures_read_and_a_bad_file_is_named() {
    let n = National::shipped();
    assert!(n.figures.iter().any(|f| f.year == 2025 && f.measure == "ehc_plan_pct"));
    let err = National::parse(r#"{"name":"x","updated":"2026-06-01","figures":[{"year":2026,"measure":"ehcp","value":5.5,"source":"s"}]}"#, "new.json")
        .unwrap_err()
        .to_string();
    assert!(err.contains("new.json: figures[0]") && err.contains("unknown measure"), "{err}");
    let err = National::parse(r#"{"name":"x","updated":"2026-06-01","figures":[{"year":2026,"measure":"ehc_plan_pct","value":150,"source":"s"}]}"#, "new.json")
        .unwrap_err()
        .to_string();
    assert!(err.contains("not a percentage"), "{err}");
}

#[test]
fn a_census_in_an_earlier_school_year_leaves_out_what_is_kept_only_as_it_is_now() {
    let mut facts = school(21, 200);
    facts.cohorts[0].flags_known = false;
    let p = publish(&summarise(&facts), DEFAULT_THRESHOLD, &National::shipped());
    for id in ["pupil_premium", "fsm", "eal", "looked_after", "persistent_absence"] {
        assert!(p.tables.iter().all(|t| t.id != id), "{id} is left out");
    }
    assert!(p.notes.iter().any(|n| n.contains("only for a census day in this school year")), "{:?}", p.notes);
    assert!(p.measures.iter().filter(|m| m.id.starts_with("attendance")).all(|m| m.value == "not recorded"));
}

#[test]
fn hostile_names_are_text_in_the_html_and_printable_in_the_pdf() {
    // A school's name and the library's intervention names are the only typed text that
    // reaches a governor output: markup, direction overrides and control characters in them
    // stay inert, and a very long name still lays out.
    let mut facts = school(31, 150);
    facts.school.name = "<script>alert(1)</script> \u{202E}loohcS\u{0007} & \"Co\"".into();
    let long = "Phonics ".repeat(1_250);
    for (i, item) in facts.interventions.iter_mut().enumerate() {
        item.name = if i % 2 == 0 { "<img src=x onerror=alert(1)>=SUM(A1)".into() } else { long.clone() };
    }
    let aggregate = summarise(&facts);
    let national = National::shipped();
    let (_, html) = render(&aggregate, OutputFormat::Html, DEFAULT_THRESHOLD, &national, day("2026-02-01")).unwrap();
    let html = String::from_utf8(html).unwrap();
    assert!(!html.contains("<script>") && !html.contains("<img"), "markup is escaped");
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(!html.contains('\u{202E}') && !html.contains('\u{0007}'), "direction and control characters are dropped");
    let (_, pdf) = render(&aggregate, OutputFormat::Pdf, DEFAULT_THRESHOLD, &national, day("2026-02-01")).unwrap();
    assert!(pdf.starts_with(b"%PDF-"));
}

/// The summaries a school makes of one census day at thresholds in `order`, each made
/// knowing the ones before, as the store makes them.
fn published_in_order(aggregate: &Aggregate, order: &[u32]) -> Vec<Published> {
    let mut made: Vec<Published> = Vec::new();
    for threshold in order {
        let next = publish_after(aggregate, *threshold, &National::shipped(), &made);
        made.push(next);
    }
    made
}

fn values(made: &[Published]) -> Vec<Value> {
    made.iter().map(|p| serde_json::to_value(p).expect("serialises")).collect()
}

/// The schools of the differencing tests: small to middling, where thresholds 5, 10 and
/// 20 hide different cells.
fn differencing_schools() -> Vec<(u64, usize)> {
    vec![(40, 45), (41, 90), (42, 150), (43, 260), (44, 120), (45, 70)]
}

#[test]
fn the_attacker_works_out_hidden_counts_from_summaries_made_at_two_thresholds_each_alone() {
    // The defect: each file alone is safe, but the same census day published at 5 and at
    // 10 (or 20) apart gives hidden counts away. The attacker must find that, or its
    // silence below proves nothing.
    let found: Vec<String> = differencing_schools()
        .into_iter()
        .flat_map(|(seed, pupils)| {
            let aggregate = summarise(&school(seed, pupils));
            let files: Vec<Value> = [5, 10, 20].iter().map(|t| serde_json::to_value(publish(&aggregate, *t, &National::shipped())).unwrap()).collect();
            for file in &files {
                assert!(recoverable(file).is_empty(), "school {seed}: each file alone is safe");
            }
            recoverable_all(&files)
        })
        .collect();
    assert!(!found.is_empty(), "summaries made apart at thresholds 5, 10 and 20 give counts away");
}

#[test]
fn summaries_of_one_census_day_at_thresholds_5_10_and_20_in_any_order_give_nothing_away_together() {
    let orders: [[u32; 3]; 6] = [[5, 10, 20], [5, 20, 10], [10, 5, 20], [10, 20, 5], [20, 5, 10], [20, 10, 5]];
    for (seed, pupils) in differencing_schools() {
        let aggregate = summarise(&school(seed, pupils));
        for order in orders {
            let made = published_in_order(&aggregate, &order);
            let found = recoverable_all(&values(&made));
            assert!(found.is_empty(), "school {seed} ({pupils} pupils), thresholds in the order {order:?}: {found:?}");
            // Each later summary hides at least what every earlier one hid.
            for (i, later) in made.iter().enumerate().skip(1) {
                let hidden: std::collections::BTreeSet<String> = later.hidden_places().into_iter().collect();
                let shown_tables: Vec<&str> = later.tables.iter().map(|t| t.id.as_str()).collect();
                for earlier in &made[..i] {
                    for place in earlier.hidden_places() {
                        let table = place.split(" / ").next().unwrap();
                        assert!(hidden.contains(&place) || !shown_tables.contains(&table), "school {seed}, order {order:?}: {place} shown after being hidden");
                    }
                    for t in &later.tables {
                        assert!(earlier.tables.iter().any(|e| e.id == t.id), "school {seed}, order {order:?}: table {} shown after being left out", t.id);
                    }
                }
                let alone = publish(&aggregate, later.threshold, &National::shipped());
                assert_eq!(later.notes.iter().any(|n| n.contains("made before")), alone.tables != later.tables, "the later summary says why it hides more: {:?}", later.notes);
            }
        }
    }
}

#[test]
fn a_summary_made_after_the_records_for_its_census_day_changed_hides_the_changed_counts() {
    let facts = school(46, 200);
    let first = publish(&summarise(&facts), DEFAULT_THRESHOLD, &National::shipped());
    // Three pupils' statuses on the census day are corrected afterwards.
    let mut corrected = facts.clone();
    let mut moved = 0;
    for p in corrected.cohorts[0].pupils.iter_mut().filter(|p| p.status == CensusStatus::N) {
        p.status = CensusStatus::K;
        p.need = Some(NeedCode::SLCN);
        moved += 1;
        if moved == 3 {
            break;
        }
    }
    let second = publish_after(&summarise(&corrected), DEFAULT_THRESHOLD, &National::shipped(), std::slice::from_ref(&first));
    let shown = |p: &Published| -> BTreeMap<String, Value> {
        named_figures(&serde_json::to_value(p).unwrap()).into_iter().filter_map(|(n, v)| v.map(|v| (n, Value::from(v)))).collect()
    };
    let (before, after) = (shown(&first), shown(&second));
    for (name, value) in &after {
        assert_eq!(before.get(name), Some(value), "{name} is shown only as the first summary showed it");
    }
    assert!(second.notes.iter().any(|n| n.contains("changed since")), "{:?}", second.notes);
}

/// Tables in which a row or column whose total is hidden has one cell that is not a shown
/// 0: every member of a small group is in one category. Written apart from the code.
fn groups_in_one_category(published: &Value) -> Vec<String> {
    let mut out = Vec::new();
    let zero = |v: &Value| v.as_u64() == Some(0);
    for t in published["tables"].as_array().unwrap() {
        let id = t["id"].as_str().unwrap();
        let rows = t["rows"].as_array().unwrap();
        for r in rows {
            let cells = r["cells"].as_array().unwrap();
            if r["total"] == "c" && cells.len() > 1 && cells.iter().filter(|c| !zero(&c["count"])).count() == 1 {
                out.push(format!("{id} / {}", r["label"]));
            }
        }
        for (c, total) in t["column_totals"].as_array().unwrap().iter().enumerate() {
            if total == "c" && rows.len() > 1 && rows.iter().filter(|r| !zero(&r["cells"][c]["count"])).count() == 1 {
                out.push(format!("{id} / {}", t["columns"][c]));
            }
        }
    }
    out
}

/// Tiny schools, from 6 to 30 pupils.
fn tiny_schools() -> Vec<(u64, usize)> {
    let mut rng = ChaCha8Rng::seed_from_u64(620);
    (0..30).map(|seed| (500 + seed, rng.gen_range(6..=30))).collect()
}

#[test]
fn on_tiny_schools_no_small_group_falls_wholly_in_one_category_and_nothing_hidden_can_be_worked_out() {
    let mut left_out = 0;
    for (seed, pupils) in tiny_schools() {
        for threshold in [5, 10] {
            let (p, v) = published(&school(seed, pupils), threshold);
            let groups = groups_in_one_category(&v);
            assert!(groups.is_empty(), "school {seed} ({pupils} pupils), threshold {threshold}: {groups:?}");
            let found = recoverable(&v);
            assert!(found.is_empty(), "school {seed} ({pupils} pupils), threshold {threshold}: {found:?}");
            left_out += p.notes.iter().filter(|n| n.contains("falls wholly in one category")).count();
        }
    }
    assert!(left_out > 0, "tiny schools do have such groups, and the notes say which tables went");
}

#[test]
fn a_school_of_six_does_not_show_that_every_sen_pupil_has_free_meals_or_that_the_plan_is_a_girl_s() {
    // The issue's school: six pupils, every one eligible for free school meals; one girl
    // with an EHC plan for autism, the rest on SEN support or none.
    let census = day("2026-01-15");
    let pupil = |status, need, sex| CensusPupil {
        status,
        need,
        year: 3,
        sex,
        pupil_premium: true,
        fsm: true,
        eal: false,
        looked_after: false,
        attendance: Some(95.0),
        parent_meetings: 3,
    };
    let pupils = vec![
        pupil(CensusStatus::E, Some(NeedCode::ASD), Sex::F),
        pupil(CensusStatus::K, Some(NeedCode::SLCN), Sex::M),
        pupil(CensusStatus::K, Some(NeedCode::SLCN), Sex::F),
        pupil(CensusStatus::N, None, Sex::M),
        pupil(CensusStatus::N, None, Sex::M),
        pupil(CensusStatus::N, None, Sex::F),
    ];
    let mut facts = school(47, 30);
    facts.cohorts = vec![Cohort { date: census, pupils, flags_known: true }];
    let (p, v) = published(&facts, DEFAULT_THRESHOLD);
    assert_eq!(groups_in_one_category(&v), Vec::<String>::new());
    for id in ["fsm", "sex"] {
        assert!(p.tables.iter().all(|t| t.id != id), "the {id} table is left out");
    }
    assert!(p.notes.iter().any(|n| n.contains("Free school meals") && n.contains("falls wholly in one category")), "{:?}", p.notes);
    assert!(report::html(&p).contains("Free school meals&quot; is not shown, because in it a small group"), "the page says so too");
    assert!(recoverable(&v).is_empty());
}

/// An aggregation file of one school, as JSON to break.
fn aggregate_json(seed: u64) -> Value {
    serde_json::to_value(summarise(&school(seed, 120))).unwrap()
}

fn table_mut<'a>(v: &'a mut Value, id: &str) -> &'a mut Value {
    v["tables"].as_array_mut().unwrap().iter_mut().find(|t| t["id"] == id).unwrap()
}

/// Reads a broken file; the refusal must name the file and `says`.
fn refused(v: &Value, says: &str) {
    let err = rollup::read("broken.json", &v.to_string()).expect_err(says).to_string();
    assert!(err.contains("broken.json") && err.contains(says), "{err} should say {says:?}");
}

/// A hand edit of an aggregation file.
type Breaks = Box<dyn Fn(&mut Value)>;

#[test]
fn a_roll_up_refuses_hand_edited_files_that_do_not_add_up_or_cannot_be_true() {
    let sex_count = |v: &mut Value| table_mut(v, "sex")["rows"][0]["cells"][0].as_u64().unwrap();
    let cases: Vec<(&str, Breaks)> = vec![
        ("table sex", Box::new(move |v| {
            let n = sex_count(v);
            table_mut(v, "sex")["rows"][0]["cells"][0] = (n + 7).into();
        })),
        ("more than the 100000 pupils", Box::new(|v| table_mut(v, "register")["rows"][0]["cells"][0] = 4_000_000_000_000u64.into())),
        ("more than the 100000 pupils", Box::new(|v| table_mut(v, "training")["rows"][0]["cells"][0] = (u64::MAX - 3).into())),
        ("the planned cost", Box::new(|v| v["measures"]["spend_pence"] = (-500).into())),
        ("the budget", Box::new(|v| v["measures"]["budget_pence"] = (-1).into())),
        ("table reviews: it appears twice", Box::new(|v| {
            let t = table_mut(v, "reviews").clone();
            v["tables"].as_array_mut().unwrap().push(t);
        })),
        ("URN is not six digits", Box::new(|v| v["schools"][0]["urn"] = "../../etc/x".into())),
        ("LA code is not three digits", Box::new(|v| v["schools"][0]["la_code"] = "8/6".into())),
        ("longer than 120 characters", Box::new(|v| v["schools"][0]["name"] = "A".repeat(4_000_000).into())),
        ("direction or hidden characters", Box::new(|v| v["schools"][0]["name"] = "Hollow\u{202E}kcab".into())),
        ("the school's SEN duties", Box::new(|v| v["schools"][0]["duties"] = serde_json::json!({ "sencoName": "=HYPERLINK(1)", "qualification": null, "sencoAppointed": null, "senReportReviewed": null, "accessibilityPlanReviewed": null }))),
        ("table interventions: a label", Box::new(|v| table_mut(v, "interventions")["rows"][0]["label"] = "x".repeat(10_000).into())),
        ("table area", Box::new(|v| table_mut(v, "area")["rows"][0]["cells"][0] = 9_999.into())),
        ("attendance", Box::new(|v| v["measures"]["attendance_sum"][0] = (-3.0).into())),
    ];
    for (says, break_it) in cases {
        let mut v = aggregate_json(48);
        break_it(&mut v);
        refused(&v, says);
    }
}

#[test]
fn the_app_s_own_aggregation_files_read_back_and_merge() {
    let files: Vec<(String, Aggregate)> = sizes()
        .into_iter()
        .map(|(seed, pupils)| {
            let text = serde_json::to_string(&summarise(&school(seed, pupils))).unwrap();
            (format!("school-{seed}.json"), rollup::read(&format!("school-{seed}.json"), &text).unwrap_or_else(|e| panic!("school {seed}: {e}")))
        })
        .collect();
    assert!(rollup::merge(&files).is_ok());
}

#[test]
fn a_roll_up_of_counts_near_the_integer_limit_is_refused_not_crashed() {
    // Each school's counts pass the per-file limit; the sum is checked all the same, so
    // the merged aggregate itself is made with checked arithmetic.
    let mut a = summarise(&school(49, 60));
    let mut b = summarise(&school(50, 60));
    for agg in [&mut a, &mut b] {
        agg.measures.spend_pence = i64::MAX - 10;
    }
    let err = rollup::merge(&[("a.json".into(), a.clone()), ("b.json".into(), b.clone())]).unwrap_err().to_string();
    assert!(err.contains("b.json") && err.contains("measures"), "{err}");
    a.measures.spend_pence = 0;
    b.measures.spend_pence = 0;
    a.tables.iter_mut().find(|t| t.id == "training").unwrap().rows[0].cells[0] = u64::MAX - 1;
    b.tables.iter_mut().find(|t| t.id == "training").unwrap().rows[0].cells[0] = 5;
    let err = rollup::merge(&[("a.json".into(), a), ("b.json".into(), b)]).unwrap_err().to_string();
    assert!(err.contains("b.json") && err.contains("training"), "{err}");
}

#[test]
fn an_aggregation_file_is_read_only_up_to_its_limit_even_from_a_file_with_no_end() {
    let err = rollup::read_file(std::path::Path::new("/dev/zero")).unwrap_err().to_string();
    assert!(err.contains("/dev/zero") && err.contains("4 MB"), "{err}");
}

#[test]
fn each_school_is_compared_with_schools_of_its_own_phase_never_with_all_schools_special_ones_included() {
    // Issue 21 §5: the DfE's headline EHC plan share counts special and independent schools,
    // so a mainstream school is compared with the state-funded figures for its own phase.
    use crate::school::Phase;
    let compared = |phase: Option<Phase>| {
        let mut facts = school(51, 300);
        facts.school.phase = phase;
        publish(&summarise(&facts), DEFAULT_THRESHOLD, &National::shipped()).comparisons
    };
    let against = |phase: Option<Phase>| -> Vec<String> {
        let mut groups: Vec<String> = compared(phase).into_iter().map(|c| c.against).collect();
        groups.dedup();
        groups
    };
    for phase in [Phase::Primary, Phase::Infant, Phase::Junior] {
        assert_eq!(against(Some(phase)), ["State-funded primary schools in England"], "{phase:?}");
    }
    assert_eq!(against(Some(Phase::Secondary)), ["State-funded secondary schools in England"]);
    assert_eq!(against(Some(Phase::AllThrough)), ["State-funded primary schools in England", "State-funded secondary schools in England"]);
    assert_eq!(against(Some(Phase::Special)), ["All schools in England"]);
    assert_eq!(against(None), ["All schools in England"], "an aggregate file made before the phase was carried");

    // The primary school's EHC plan figure is the primary one (2.5% in January 2023), not the
    // 5.3% of all schools, and each row names its own census year and source.
    let primary = compared(Some(Phase::Primary));
    let ehc = primary.iter().find(|c| c.label == "With an EHC plan (E)").unwrap();
    assert_eq!((ehc.national, ehc.national_year), (2.5, 2023));
    assert!(ehc.source.ends_with("/special-educational-needs-in-england/2022-23"), "{}", ehc.source);
    let all = primary.iter().find(|c| c.label == "All pupils with SEN").unwrap();
    assert_eq!((all.national, all.national_year), (18.2, 2025));
}

#[test]
fn the_governors_pdf_and_page_name_the_schools_each_figure_is_for_and_every_source() {
    let mut facts = school(52, 300);
    facts.school.phase = Some(crate::school::Phase::Secondary);
    let aggregate = summarise(&facts);
    let (_, html) = render(&aggregate, OutputFormat::Html, DEFAULT_THRESHOLD, &National::shipped(), day("2026-02-01")).unwrap();
    let html = String::from_utf8(html).unwrap();
    assert!(html.contains("State-funded secondary schools in England"), "the row says which schools");
    assert!(!html.contains("All schools in England"));
    assert!(html.contains("special-educational-needs-in-england/2022-23") && html.contains("special-educational-needs-in-england/2024-25"), "every source is listed");
}

#[test]
fn the_summary_shows_the_senco_their_qualification_and_when_the_report_and_plan_were_reviewed() {
    use crate::duties::{DutiesInput, Qualification};
    let mut facts = school(53, 200);
    let input = DutiesInput {
        senco_name: "Ms A Example".into(),
        qualification: Some(Qualification::Held),
        senco_appointed: "2019-09-02".into(),
        sen_report_reviewed: "2024-11-20".into(),
        accessibility_plan_reviewed: String::new(),
    };
    facts.school.duties = Some(input.validate(day("2026-12-07")).unwrap());
    facts.school.duties_read = Some(day("2026-01-20"));
    let published = publish(&summarise(&facts), DEFAULT_THRESHOLD, &National::shipped());
    let measure = |id: &str| published.measures.iter().find(|m| m.id == id).unwrap_or_else(|| panic!("{id}: {:?}", published.measures)).clone();
    assert_eq!(measure("senco").value, "Ms A Example");
    assert_eq!(measure("senco_qualification").value, "Held");
    assert_eq!(measure("sen_report").value, "20 November 2024");
    // Read on 20 January 2026: the yearly review fell due before then.
    assert!(measure("sen_report").note.starts_with("Due again by 20 November 2025: overdue on 20 January 2026, the day this summary was made."), "{:?}", measure("sen_report"));
    assert_eq!(measure("accessibility_plan").value, "not recorded");

    // In a roll-up each school's lines are named; a file from before duties were carried has none.
    let mut other = school(54, 150);
    other.school.duties = None;
    let merged = crate::governors::rollup::merge(&[("a.json".into(), summarise(&facts)), ("b.json".into(), summarise(&other))]).unwrap();
    let rolled = publish(&merged, DEFAULT_THRESHOLD, &National::shipped());
    assert!(rolled.measures.iter().any(|m| m.label == format!("{}: SENCO", facts.school.name) && m.value == "Ms A Example"), "{:?}", rolled.measures);
    assert!(!rolled.measures.iter().any(|m| m.label.starts_with(&other.school.name)));
}

#[test]
fn a_summary_saved_before_comparisons_named_their_schools_still_reads_as_all_schools() {
    // The store reads back every summary published for a census day; one saved before
    // `against` was carried must not make that day's summary fail as damaged.
    let published = publish(&summarise(&school(55, 200)), DEFAULT_THRESHOLD, &National::shipped());
    let mut old = serde_json::to_value(&published).unwrap();
    for c in old["comparisons"].as_array_mut().unwrap() {
        c.as_object_mut().unwrap().remove("against");
    }
    assert!(!old["comparisons"].as_array().unwrap().is_empty());
    let read: Published = serde_json::from_value(old).expect("an older summary reads");
    assert!(read.comparisons.iter().all(|c| c.against == "All schools in England"));
}
