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
        school: SchoolLine { name: format!("Test School {seed}"), urn: format!("{}", 800_000 + seed), la_code: "886".into() },
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
                let e = Expr { vars: vec![self.vars], constant: 0.0 };
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
    let mut a = Attacker { vars: 0, equations: vec![], hidden: vec![] };
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
    let register = find("register").expect("a register table");
    let status: BTreeMap<String, Expr> = register.rows.iter().map(|(label, cells)| (label.clone(), cells[0].clone())).collect();
    let mut links: Vec<(Expr, Expr)> = Vec::new();
    for t in &tables {
        let by_status = matches!(
            t.id.as_str(),
            "schools" | "area" | "need" | "key_stage" | "year" | "sex" | "pupil_premium" | "fsm" | "eal" | "looked_after" | "parent_meetings"
        );
        if by_status {
            for (c, column) in t.columns.iter().enumerate() {
                links.push((t.column_sums[c].clone(), status[column].clone()));
            }
        }
        // Attendance covers everyone when its total is the register's: then it links too.
        if t.id == "persistent_absence" {
            let everyone = |id: &str| published["tables"].as_array().unwrap().iter().find(|x| x["id"] == id).map(|x| x["grand_total"].clone());
            if everyone("persistent_absence").is_some_and(|g| g.is_number() && Some(g) == everyone("register")) {
                for (c, column) in t.columns.iter().enumerate() {
                    links.push((t.column_sums[c].clone(), status[column].clone()));
                }
            }
        }
        if t.id == "trend" {
            for (c, column) in t.columns.iter().enumerate() {
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
    let mut out = Vec::new();
    for (name, expr) in &a.hidden {
        let (lo, hi) = a.range(expr);
        if hi - lo < 0.5 {
            out.push(format!("{name} = {lo}"));
        }
    }
    out
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
