//! Disclosure control: which counts a governor output may show.
//!
//! Primary suppression hides every count from 1 to one below the threshold. Secondary
//! suppression then hides more until no hidden figure can be worked out from what is shown.
//! "Worked out" is checked, not assumed: every published figure (cells, row and column
//! totals, grand totals, the same pupils counted in two tables, areas as sums of needs, the
//! current year of the trend) becomes an equation over the hidden cells, which are unknown
//! whole numbers of at least 1 (a true 0 is always shown, so a reader knows that much), and an integer program finds the least and greatest value
//! each hidden figure can take. If they are equal the figure is disclosed, and the nearest
//! small published figure in its row or column is hidden too, until none is.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use chrono::NaiveDate;
use microlp::{ComparisonOp, OptimizationDirection, Problem};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use ts_rs::TS;

use super::{population_key, Aggregate, CountTable, PercentOf, SchoolLine, DEFAULT_THRESHOLD, MAX_THRESHOLD, SCHEMA_VERSION};
use crate::{Error, Result};

/// A published count: a number, or `c` where it is hidden.
#[derive(Debug, Clone, Copy, PartialEq, Eq, TS)]
#[ts(type = "number | \"c\"")]
pub enum Figure {
    Count(u64),
    Suppressed,
}

impl Figure {
    pub fn count(self) -> Option<u64> {
        match self {
            Figure::Count(n) => Some(n),
            Figure::Suppressed => None,
        }
    }

    /// "12", or "c".
    pub fn text(self) -> String {
        match self {
            Figure::Count(n) => n.to_string(),
            Figure::Suppressed => "c".into(),
        }
    }
}

impl Serialize for Figure {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        match self {
            Figure::Count(n) => s.serialize_u64(*n),
            Figure::Suppressed => s.serialize_str("c"),
        }
    }
}

impl<'de> Deserialize<'de> for Figure {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Raw {
            N(u64),
            S(String),
        }
        match Raw::deserialize(d)? {
            Raw::N(n) => Ok(Figure::Count(n)),
            Raw::S(s) if s == "c" => Ok(Figure::Suppressed),
            Raw::S(s) => Err(serde::de::Error::custom(format!("a count must be a number or \"c\", not {s:?}"))),
        }
    }
}

/// One cell as published: its count and, where both it and what it is a share of are shown,
/// its percentage to one decimal place.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct PublishedCell {
    pub count: Figure,
    pub percent: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct PublishedRow {
    pub label: String,
    pub cells: Vec<PublishedCell>,
    pub total: Figure,
}

/// A published table. Its shape is a compatibility boundary (docs/formats/governor-summary.md).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct PublishedTable {
    pub id: String,
    pub title: String,
    pub note: String,
    pub columns: Vec<String>,
    pub rows: Vec<PublishedRow>,
    /// Empty, with no grand total, where rows are different census points.
    pub column_totals: Vec<Figure>,
    pub grand_total: Option<Figure>,
    pub percent_of: PercentOf,
}

/// A figure that is not a count of pupils, shown only where the pupils behind it are.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct PublishedMeasure {
    pub id: String,
    pub label: String,
    /// As printed: "£12,345.00", "94.2%", or "not shown" with the reason in `note`.
    pub value: String,
    pub note: String,
}

/// A national figure beside the school's.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Comparison {
    pub label: String,
    /// The schools the figure is for: "State-funded primary schools in England". Summaries
    /// saved before it was carried compared with all schools in England.
    #[serde(default = "super::national::all_schools_in_england")]
    pub against: String,
    /// The school's percentage, if shown.
    pub school: Option<f64>,
    pub national: f64,
    pub national_year: i32,
    pub source: String,
}

/// The governors' summary: the only thing any governor output shows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Published {
    #[ts(type = "number")]
    pub schema_version: u32,
    pub kind: String,
    #[ts(type = "string")]
    pub census_date: NaiveDate,
    #[ts(type = "number")]
    pub threshold: u32,
    pub schools: Vec<SchoolLine>,
    pub method: String,
    /// Why a table is left out, where one is.
    pub notes: Vec<String>,
    pub tables: Vec<PublishedTable>,
    pub measures: Vec<PublishedMeasure>,
    pub comparisons: Vec<Comparison>,
}

pub const PUBLISHED_KIND: &str = "published";

/// The sentence every output carries about how small numbers are protected.
pub fn method(threshold: u32) -> String {
    format!(
        "Counts from 1 to {} are not shown (c), so that no child can be recognised. Further counts are hidden (also c) wherever a hidden count \
         could otherwise be worked out from the totals or from another table; this is checked by solving for every hidden count. \
         A percentage is shown only where its count and the total it is a share of are both shown. No pupil's name, initials, pupil number, \
         date of birth or notes appear in this summary.",
        threshold - 1
    )
}

/// Checks a threshold the SENCO asked for: never below the default.
pub fn threshold(asked: Option<u32>) -> Result<u32> {
    match asked {
        None => Ok(DEFAULT_THRESHOLD),
        Some(n) if n < DEFAULT_THRESHOLD => Err(Error::invalid(
            "threshold",
            format!("the threshold can be raised but not lowered below {DEFAULT_THRESHOLD}, so that counts of fewer than {DEFAULT_THRESHOLD} pupils are never shown"),
        )),
        Some(n) if n > MAX_THRESHOLD => Err(Error::invalid("threshold", format!("the threshold can be at most {MAX_THRESHOLD}"))),
        Some(n) => Ok(n),
    }
}

/// A figure of a table: one cell, a row or column total, or the grand total.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) enum Fig {
    Cell(usize, usize, usize),
    Row(usize, usize),
    Col(usize, usize),
    Grand(usize),
}

impl Fig {
    fn table(self) -> usize {
        match self {
            Fig::Cell(t, ..) | Fig::Row(t, _) | Fig::Col(t, _) | Fig::Grand(t) => t,
        }
    }
}

/// The tables as equations: every figure as a sum of cells of underived tables (atoms).
pub(crate) struct Model {
    /// For a derived table, the index of the table it sums.
    base: Vec<Option<usize>>,
    atom_index: HashMap<(usize, usize, usize), usize>,
    atom_cell: Vec<Fig>,
    atom_value: Vec<u64>,
    pub(crate) figures: Vec<Fig>,
    exprs: HashMap<Fig, Vec<usize>>,
    keys: HashMap<Fig, String>,
    /// The same as `exprs` and `keys`, and each figure's value, by the figure's place in
    /// `figures`; and for each cell, the figures that add it up.
    expr_list: Vec<Vec<usize>>,
    key_list: Vec<Option<String>>,
    values: Vec<u64>,
    atom_figures: Vec<Vec<usize>>,
}

impl Model {
    pub(crate) fn new(tables: &[CountTable]) -> Model {
        let by_id: HashMap<&str, usize> = tables.iter().enumerate().map(|(i, t)| (t.id.as_str(), i)).collect();
        let base: Vec<Option<usize>> = tables.iter().map(|t| t.derived.as_ref().and_then(|d| by_id.get(d.from.as_str()).copied())).collect();
        let mut atom_index = HashMap::new();
        let mut atom_value = Vec::new();
        let mut atom_cell = Vec::new();
        for (t, table) in tables.iter().enumerate().filter(|(t, _)| base[*t].is_none()) {
            for (r, row) in table.rows.iter().enumerate() {
                for (c, v) in row.cells.iter().enumerate() {
                    atom_index.insert((t, r, c), atom_value.len());
                    atom_cell.push(Fig::Cell(t, r, c));
                    atom_value.push(*v);
                }
            }
        }
        let mut model = Model {
            base,
            atom_index,
            atom_cell,
            atom_value,
            figures: Vec::new(),
            exprs: HashMap::new(),
            keys: HashMap::new(),
            expr_list: Vec::new(),
            key_list: Vec::new(),
            values: Vec::new(),
            atom_figures: Vec::new(),
        };
        for (t, table) in tables.iter().enumerate() {
            let columns = table.columns.len();
            let cell = |m: &Model, r: usize, c: usize| -> Vec<usize> {
                match (m.base[t], &table.derived) {
                    (Some(b), Some(d)) => d.groups[r].iter().map(|g| m.atom_index[&(b, *g, c)]).collect(),
                    _ => vec![m.atom_index[&(t, r, c)]],
                }
            };
            for r in 0..table.rows.len() {
                for c in 0..columns {
                    let e = cell(&model, r, c);
                    model.add(Fig::Cell(t, r, c), e, table.link.as_ref().map(|l| population_key(l, Some(r), Some(c))));
                }
                let e = (0..columns).flat_map(|c| cell(&model, r, c)).collect();
                model.add(Fig::Row(t, r), e, table.link.as_ref().map(|l| population_key(l, Some(r), None)));
            }
            if table.column_totals {
                for c in 0..columns {
                    let e = (0..table.rows.len()).flat_map(|r| cell(&model, r, c)).collect();
                    model.add(Fig::Col(t, c), e, table.link.as_ref().map(|l| population_key(l, None, Some(c))));
                }
                let e = (0..table.rows.len()).flat_map(|r| (0..columns).map(move |c| (r, c))).flat_map(|(r, c)| cell(&model, r, c)).collect();
                model.add(Fig::Grand(t), e, table.link.as_ref().map(|l| population_key(l, None, None)));
            }
        }
        model.atom_figures = vec![Vec::new(); model.atom_value.len()];
        for (i, fig) in model.figures.iter().enumerate() {
            let expr = model.exprs[fig].clone();
            model.values.push(expr.iter().map(|a| model.atom_value[*a]).sum());
            for a in &expr {
                model.atom_figures[*a].push(i);
            }
            model.expr_list.push(expr);
            model.key_list.push(model.keys.get(fig).cloned());
        }
        model
    }

    fn add(&mut self, fig: Fig, mut expr: Vec<usize>, key: Option<String>) {
        expr.sort();
        self.figures.push(fig);
        self.exprs.insert(fig, expr);
        if let Some(k) = key {
            self.keys.insert(fig, k);
        }
    }

    /// Each figure that counts a known set of pupils, with the key of that set and its value.
    pub(crate) fn keyed_values(&self) -> Vec<(Fig, String, u64)> {
        self.figures.iter().enumerate().filter_map(|(i, f)| self.key_list[i].clone().map(|k| (*f, k, self.values[i]))).collect()
    }

    /// The index of the table a figure is in.
    pub(crate) fn table_of(&self, fig: Fig) -> usize {
        fig.table()
    }

    pub(crate) fn value(&self, fig: Fig) -> u64 {
        self.exprs[&fig].iter().map(|a| self.atom_value[*a]).sum()
    }

    /// Figures that must share a fate: the same sum of cells, or the same pupils by key.
    fn classes(&self) -> Vec<Vec<Fig>> {
        let mut groups: BTreeMap<String, Vec<Fig>> = BTreeMap::new();
        for fig in &self.figures {
            let key = match self.keys.get(fig) {
                Some(k) => format!("k:{k}"),
                None => format!("e:{:?}", self.exprs[fig]),
            };
            groups.entry(key).or_default().push(*fig);
        }
        // Two figures with the same cells are also the same, whatever their keys.
        let mut by_expr: BTreeMap<&Vec<usize>, Vec<Fig>> = BTreeMap::new();
        for fig in &self.figures {
            by_expr.entry(&self.exprs[fig]).or_default().push(*fig);
        }
        let mut union = UnionFind::new(self.figures.len());
        let position: HashMap<Fig, usize> = self.figures.iter().enumerate().map(|(i, f)| (*f, i)).collect();
        for group in groups.values().chain(by_expr.values()) {
            for pair in group.windows(2) {
                union.join(position[&pair[0]], position[&pair[1]]);
            }
        }
        let mut classes: BTreeMap<usize, Vec<Fig>> = BTreeMap::new();
        for (i, fig) in self.figures.iter().enumerate() {
            classes.entry(union.find(i)).or_default().push(*fig);
        }
        classes.into_values().collect()
    }

    /// Which of the hidden figures `check` can be worked out exactly from the shown ones.
    pub(crate) fn disclosed(&self, hidden: &BTreeSet<Fig>, check: &BTreeSet<Fig>) -> Vec<Fig> {
        self.disclosed_near(hidden, check, None)
    }

    /// As `disclosed`, but with `near`, only the shown figures that add up one of those cells
    /// count: a quick, looser test for choosing a companion (the next full check still
    /// decides whether it was enough).
    fn disclosed_near(&self, hidden: &BTreeSet<Fig>, check: &BTreeSet<Fig>, near: Option<&BTreeSet<usize>>) -> Vec<Fig> {
        let is_hidden: Vec<bool> = self.atom_cell.iter().map(|f| hidden.contains(f)).collect();
        let hidden_atom = |a: usize| -> bool { is_hidden[a] };
        // The figures to read: all of them, or (near) those that add up one of the cells.
        let figures: Vec<usize> = match near {
            // Big totals are left out of the quick test: they pin little and cost much.
            Some(near) => near
                .iter()
                .flat_map(|a| self.atom_figures[*a].iter().copied())
                .filter(|i| self.expr_list[*i].len() <= NEAR_LIMIT)
                .collect::<BTreeSet<usize>>()
                .into_iter()
                .collect(),
            None => (0..self.figures.len()).collect(),
        };
        // Equations: every shown figure that involves a hidden cell.
        let mut equations: Vec<(Vec<usize>, f64)> = Vec::new();
        let mut by_key: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
        for i in figures {
            let fig = self.figures[i];
            if hidden.contains(&fig) {
                // Hidden figures of the same pupils in different tables are equal.
                if let Some(k) = &self.key_list[i] {
                    by_key.entry(k.as_str()).or_default().push(i);
                }
                continue;
            }
            let expr = &self.expr_list[i];
            let unknown: Vec<usize> = expr.iter().copied().filter(|a| hidden_atom(*a)).collect();
            if unknown.is_empty() {
                continue;
            }
            let known: u64 = expr.iter().filter(|a| !hidden_atom(**a)).map(|a| self.atom_value[*a]).sum();
            equations.push((unknown, (self.values[i] - known) as f64));
        }
        let mut differences: Vec<(Vec<(usize, f64)>, f64)> = Vec::new();
        for group in by_key.values().filter(|g| g.len() > 1) {
            for pair in group.windows(2) {
                let mut terms: BTreeMap<usize, f64> = BTreeMap::new();
                let mut constant = 0.0;
                for (i, sign) in [(pair[0], 1.0), (pair[1], -1.0)] {
                    for a in &self.expr_list[i] {
                        if hidden_atom(*a) {
                            *terms.entry(*a).or_default() += sign;
                        } else {
                            constant -= sign * self.atom_value[*a] as f64;
                        }
                    }
                }
                terms.retain(|_, v| *v != 0.0);
                if !terms.is_empty() {
                    differences.push((terms.into_iter().collect(), constant));
                }
            }
        }

        // Split the hidden cells into groups no equation joins, and solve each group alone.
        let atoms: Vec<usize> = (0..self.atom_value.len()).filter(|a| hidden_atom(*a)).collect();
        let local: HashMap<usize, usize> = atoms.iter().enumerate().map(|(i, a)| (*a, i)).collect();
        let mut union = UnionFind::new(atoms.len());
        for terms in equations.iter().map(|(u, _)| u.clone()).chain(differences.iter().map(|(t, _)| t.iter().map(|(a, _)| *a).collect())) {
            for pair in terms.windows(2) {
                union.join(local[&pair[0]], local[&pair[1]]);
            }
        }
        let truth: Vec<f64> = atoms.iter().map(|a| self.atom_value[*a] as f64).collect();
        let targets: Vec<(Fig, Vec<usize>)> =
            check.iter().map(|f| (*f, self.exprs[f].iter().filter(|a| hidden_atom(**a)).map(|a| local[a]).collect())).collect();
        let mut component_of_target: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
        for (_, expr) in &targets {
            // A figure spanning two groups is solved for over both.
            if let Some(first) = expr.first() {
                for a in &expr[1..] {
                    union.join(*first, *a);
                }
            }
        }
        let mut out = Vec::new();
        for (i, (fig, expr)) in targets.iter().enumerate() {
            match expr.first() {
                Some(first) => component_of_target.entry(union.find(*first)).or_default().push(i),
                // Hidden, but every cell it adds up is shown.
                None => out.push(*fig),
            }
        }
        for (component, members) in component_of_target {
            let vars: Vec<usize> = (0..atoms.len()).filter(|v| union.find(*v) == component).collect();
            let position: HashMap<usize, usize> = vars.iter().enumerate().map(|(i, v)| (*v, i)).collect();
            let rows: Vec<(Vec<(usize, f64)>, f64)> = equations
                .iter()
                .filter(|(u, _)| position.contains_key(&local[&u[0]]))
                .map(|(u, rhs)| (u.iter().map(|a| (position[&local[a]], 1.0)).collect(), *rhs))
                .chain(
                    differences
                        .iter()
                        .filter(|(t, _)| position.contains_key(&local[&t[0].0]))
                        .map(|(t, rhs)| (t.iter().map(|(a, c)| (position[&local[a]], *c)).collect(), *rhs)),
                )
                .collect();
            let truth: Vec<f64> = vars.iter().map(|v| truth[*v]).collect();
            let objectives: Vec<Vec<usize>> = members.iter().map(|i| targets[*i].1.iter().map(|v| position[v]).collect()).collect();
            let mut settled = vec![false; members.len()];
            let prove = |solution: &[f64], settled: &mut Vec<bool>| {
                for (m, objective) in objectives.iter().enumerate() {
                    let moved: f64 = objective.iter().map(|v| solution[*v] - truth[*v]).sum();
                    if moved.abs() > 0.5 {
                        settled[m] = true;
                    }
                }
            };
            // A few solves that push the hidden cells in mixed directions at once settle most
            // figures (each differs from the truth somewhere); each figure left is then solved
            // for on its own. The weights are fixed, so the result is the same every time.
            for round in 0..2u64 {
                let weights: Vec<(usize, f64)> = (0..vars.len())
                    .map(|v| {
                        let h = (v as u64 + 1).wrapping_mul(0x9E37_79B9_7F4A_7C15).wrapping_add(round.wrapping_mul(0xD1B5_4A32_D192_ED03));
                        (v, 1.0 + (h >> 60) as f64 * if (h >> 59) & 1 == 0 { 1.0 } else { -1.0 })
                    })
                    .collect();
                for direction in [OptimizationDirection::Maximize, OptimizationDirection::Minimize] {
                    if settled.iter().all(|s| *s) {
                        break;
                    }
                    if let Some(solution) = solve(vars.len(), &rows, &weights, direction) {
                        prove(&solution, &mut settled);
                    }
                }
            }
            for m in 0..members.len() {
                for direction in [OptimizationDirection::Maximize, OptimizationDirection::Minimize] {
                    if settled[m] {
                        break;
                    }
                    let objective: Vec<(usize, f64)> = objectives[m].iter().map(|v| (*v, 1.0)).collect();
                    match solve(vars.len(), &rows, &objective, direction) {
                        Some(solution) => prove(&solution, &mut settled),
                        // The true figures always solve the equations, so a failure is the
                        // solver's: count the figure as disclosed and hide more (fail closed).
                        None => break,
                    }
                }
                if !settled[m] {
                    out.push(targets[members[m]].0);
                }
            }
        }
        out
    }

    /// Published figures that, hidden too, would protect `fig`, best first. A hidden figure
    /// is pinned by the shown figures that add up any of its cells; hiding a cell that
    /// appears in many of those (or in `fig` itself) loosens them most. Cells come before
    /// totals, small counts before large, 0 last, and figures another table shares (the
    /// register's counts) only when nothing else will do.
    fn companions(&self, fig: Fig, hidden: &BTreeSet<Fig>, shared: &dyn Fn(Fig) -> bool) -> Vec<Fig> {
        let own: BTreeSet<usize> = self.exprs[&fig].iter().copied().collect();
        let mut score: BTreeMap<Fig, usize> = BTreeMap::new();
        for a in &own {
            let cell = self.atom_cell[*a];
            if !hidden.contains(&cell) {
                *score.entry(cell).or_default() += 100;
            }
        }
        let pinning: BTreeSet<usize> = own.iter().flat_map(|a| self.atom_figures[*a].iter().copied()).collect();
        for i in pinning {
            let g = self.figures[i];
            if hidden.contains(&g) {
                continue;
            }
            // `g` is shown and pins `fig`: any shown cell of it, or `g` itself, would loosen it.
            // A big total's cells are too many to weigh one by one, and each loosens it little.
            *score.entry(g).or_default() += 1;
            if self.expr_list[i].len() > NEAR_LIMIT {
                continue;
            }
            for a in &self.expr_list[i] {
                let cell = self.atom_cell[*a];
                if !hidden.contains(&cell) && !own.contains(a) {
                    *score.entry(cell).or_default() += 1;
                }
            }
        }
        // Any figure of the same table may protect it too (a row total can pin another row's).
        for g in self.figures.iter().filter(|g| g.table() == fig.table()) {
            score.entry(*g).or_default();
        }
        // A true 0 is never hidden: readers then know every c is at least 1, and the
        // equations say so too.
        let mut candidates: Vec<(Fig, usize)> = score.into_iter().filter(|(f, _)| !hidden.contains(f) && self.value(*f) > 0).collect();
        candidates.sort_by_key(|(f, n)| (shared(*f), !matches!(f, Fig::Cell(..)), std::cmp::Reverse((*n).min(100)), self.value(*f)));
        candidates.into_iter().map(|(f, _)| f).collect()
    }
}

fn solve(vars: usize, rows: &[(Vec<(usize, f64)>, f64)], objective: &[(usize, f64)], direction: OptimizationDirection) -> Option<Vec<f64>> {
    let mut problem = Problem::new(direction);
    let mut weight = vec![0.0; vars];
    for (v, w) in objective {
        weight[*v] += *w;
    }
    // A hidden count is a whole number of at least 1: zeros are always shown.
    let variables: Vec<_> = weight.iter().map(|w| problem.add_integer_var(*w, (1, 10_000_000))).collect();
    for (terms, rhs) in rows {
        let expr: Vec<_> = terms.iter().map(|(v, c)| (variables[*v], *c)).collect();
        problem.add_constraint(expr.as_slice(), ComparisonOp::Eq, *rhs);
    }
    let solution = problem.solve().ok()?.into_solution().ok()?;
    Some(variables.iter().map(|v| solution.var_value(*v).round()).collect())
}

struct UnionFind(Vec<usize>);

impl UnionFind {
    fn new(n: usize) -> UnionFind {
        UnionFind((0..n).collect())
    }
    fn find(&mut self, mut i: usize) -> usize {
        while self.0[i] != i {
            self.0[i] = self.0[self.0[i]];
            i = self.0[i];
        }
        i
    }
    fn join(&mut self, a: usize, b: usize) {
        let (a, b) = (self.find(a), self.find(b));
        if a != b {
            self.0[a.max(b)] = a.min(b);
        }
    }
}

/// The largest sum the quick companion test reads.
const NEAR_LIMIT: usize = 64;

/// How many of the best companions are tried two at a time when none will do alone.
const PAIRS: usize = 5;

/// How many companions are tried for each disclosed figure before settling for the best guess.
const TRIES: usize = 8;

/// Which figures to hide: every count from 1 to below the threshold and every figure in
/// `start` (what an earlier summary or another set of the same tables needed), then as many
/// more as it takes for none to be worked out.
fn suppress_from(tables: &[CountTable], threshold: u32, start: &BTreeSet<Fig>) -> BTreeSet<Fig> {
    let model = Model::new(tables);
    let classes = model.classes();
    let class_of: HashMap<Fig, usize> = classes.iter().enumerate().flat_map(|(i, c)| c.iter().map(move |f| (*f, i))).collect();
    let mut hidden: BTreeSet<Fig> = BTreeSet::new();
    let hide = |fig: Fig, hidden: &mut BTreeSet<Fig>| {
        for f in &classes[class_of[&fig]] {
            hidden.insert(*f);
        }
    };
    // A figure is shared when another table shows the same pupils.
    let shared = |fig: Fig| classes[class_of[&fig]].iter().any(|f| f.table() != fig.table());
    for fig in &model.figures {
        let v = model.value(*fig);
        if (v >= 1 && v < threshold as u64) || start.contains(fig) {
            hide(*fig, &mut hidden);
        }
    }
    // Hiding more only removes equations, so a figure once shown to be safe stays safe:
    // each round checks only the figures not yet known to be.
    let mut safe: BTreeSet<Fig> = BTreeSet::new();
    loop {
        let check: BTreeSet<Fig> = hidden.difference(&safe).copied().collect();
        let disclosed = model.disclosed(&hidden, &check);
        safe.extend(check.iter().filter(|f| !disclosed.contains(f)));
        if disclosed.is_empty() {
            return hidden;
        }
        let before = hidden.len();
        // One companion per row or class a round: hiding it may already protect the others,
        // which the next round's check will tell.
        let mut touched: BTreeSet<(usize, char, usize)> = BTreeSet::new();
        let lines = |f: Fig| -> Vec<(usize, char, usize)> {
            let class = (usize::MAX, 'k', class_of[&f]);
            match f {
                Fig::Cell(t, r, _) | Fig::Row(t, r) => vec![(t, 'r', r), class],
                Fig::Col(..) | Fig::Grand(_) => vec![class],
            }
        };
        for fig in &disclosed {
            if lines(*fig).iter().any(|l| touched.contains(l)) {
                continue;
            }
            touched.extend(lines(*fig));
            let candidates = model.companions(*fig, &hidden, &shared);
            // The first few candidates are tried: the first whose hiding leaves `fig` unpinned
            // is hidden; if none does alone, the best is hidden and the next round goes on.
            // Figures other tables share (the register's counts) are tried only when nothing
            // else is left: hiding one hides it everywhere, which would unpin almost anything.
            let (own, shared_ones): (Vec<Fig>, Vec<Fig>) = candidates.iter().partition(|c| !shared(**c));
            let pool = if own.is_empty() { shared_ones } else { own };
            // A companion is good when, hidden, neither it nor `fig` can be worked out. One is
            // tried at a time, then pairs of the best few; if none will do, the best is hidden
            // and the next round goes on.
            let works = |chosen: &[Fig]| -> bool {
                let mut trial = hidden.clone();
                let mut near: BTreeSet<usize> = model.exprs[fig].iter().copied().collect();
                let mut check = BTreeSet::from([*fig]);
                for c in chosen {
                    hide(*c, &mut trial);
                    near.extend(model.exprs[c].iter().copied());
                    check.insert(*c);
                }
                model.disclosed_near(&trial, &check, Some(&near)).is_empty()
            };
            let best: Vec<Fig> = pool.iter().take(PAIRS).copied().collect();
            let chosen: Vec<Fig> = match pool.iter().take(TRIES).find(|c| works(&[**c])) {
                Some(c) => vec![*c],
                None => best
                    .iter()
                    .enumerate()
                    .flat_map(|(i, a)| best[i + 1..].iter().map(move |b| vec![*a, *b]))
                    .find(|pair| works(pair))
                    .or_else(|| pool.first().map(|c| vec![*c]))
                    .unwrap_or_default(),
            };
            if !chosen.is_empty() {
                for companion in chosen {
                    touched.extend(lines(companion));
                    hide(companion, &mut hidden);
                }
                continue;
            }
            // Nothing near it is left to hide: hide the rest of its table's cells, then its totals.
            let in_table: Vec<Fig> = model.figures.iter().copied().filter(|f| f.table() == fig.table() && !hidden.contains(f) && model.value(*f) > 0).collect();
            let inner: Vec<Fig> = in_table.iter().copied().filter(|f| matches!(f, Fig::Cell(..) | Fig::Row(..))).collect();
            for f in if inner.is_empty() { in_table } else { inner } {
                hide(f, &mut hidden);
            }
        }
        if hidden.len() == before {
            // A figure is still worked out through other tables: hide everything rather
            // than publish it.
            for f in model.figures.iter().filter(|f| model.value(**f) > 0) {
                hide(*f, &mut hidden);
            }
            if hidden.len() == before {
                // Every count but the zeros is hidden: no equation is left to pin anything.
                return hidden;
            }
        }
    }
}

fn percent(part: Figure, whole: Option<Figure>) -> Option<f64> {
    match (part, whole) {
        (Figure::Count(p), Some(Figure::Count(w))) if w > 0 => Some((p as f64 * 1000.0 / w as f64).round() / 10.0),
        _ => None,
    }
}

fn shown(hidden: &BTreeSet<Fig>, fig: Fig, value: u64) -> Figure {
    if hidden.contains(&fig) {
        Figure::Suppressed
    } else {
        Figure::Count(value)
    }
}

/// The published tables of an aggregate: suppressed, with percentages where both parts show.
pub(crate) fn published_tables(tables: &[CountTable], hidden: &BTreeSet<Fig>) -> Vec<PublishedTable> {
    tables
        .iter()
        .enumerate()
        .map(|(t, table)| {
            let column_totals: Vec<Figure> =
                if table.column_totals { (0..table.columns.len()).map(|c| shown(hidden, Fig::Col(t, c), table.column_total(c))).collect() } else { Vec::new() };
            let grand_total = table.column_totals.then(|| shown(hidden, Fig::Grand(t), table.grand_total()));
            PublishedTable {
                id: table.id.clone(),
                title: table.title.clone(),
                note: table.note.clone(),
                columns: table.columns.clone(),
                rows: table
                    .rows
                    .iter()
                    .enumerate()
                    .map(|(r, row)| {
                        let total = shown(hidden, Fig::Row(t, r), table.row_total(r));
                        PublishedRow {
                            label: row.label.clone(),
                            cells: row
                                .cells
                                .iter()
                                .enumerate()
                                .map(|(c, v)| {
                                    let count = shown(hidden, Fig::Cell(t, r, c), *v);
                                    let whole = match table.percent {
                                        PercentOf::Row => Some(total),
                                        PercentOf::Column => column_totals.get(c).copied(),
                                        PercentOf::None => None,
                                    };
                                    PublishedCell { count, percent: percent(count, whole) }
                                })
                                .collect(),
                            total,
                        }
                    })
                    .collect(),
                column_totals,
                grand_total,
                percent_of: table.percent,
            }
        })
        .collect()
}

/// Tables with more detail than a summary needs: each is published only if it is safe.
const DETAIL: [(&str, &str); 2] = [
    ("year", "Year groups are not shown, because some would show too few pupils; key stages are shown instead."),
    ("need", "Individual primary needs are not shown, because showing them would hide more of the other figures; broad areas are shown instead."),
];

/// A figure's place by table id, so suppressions of two sets of tables can be compared.
fn place(tables: &[CountTable], f: Fig) -> (String, u8, usize, usize) {
    match f {
        Fig::Cell(t, r, c) => (tables[t].id.clone(), 0, r, c),
        Fig::Row(t, r) => (tables[t].id.clone(), 1, r, 0),
        Fig::Col(t, c) => (tables[t].id.clone(), 2, 0, c),
        Fig::Grand(t) => (tables[t].id.clone(), 3, 0, 0),
    }
}

/// Where a figure stands in a table, by names rather than positions, so the same figure can
/// be found in a summary made earlier: (table id, row label, column label); `None` for a
/// total over that direction.
pub type Place = (String, Option<String>, Option<String>);

fn place_of(tables: &[CountTable], f: Fig) -> Place {
    let t = &tables[f.table()];
    match f {
        Fig::Cell(_, r, c) => (t.id.clone(), Some(t.rows[r].label.clone()), Some(t.columns[c].clone())),
        Fig::Row(_, r) => (t.id.clone(), Some(t.rows[r].label.clone()), None),
        Fig::Col(_, c) => (t.id.clone(), None, Some(t.columns[c].clone())),
        Fig::Grand(_) => (t.id.clone(), None, None),
    }
}

/// Every figure of published tables with its place.
fn published_places(tables: &[PublishedTable]) -> Vec<(Place, Figure)> {
    let mut out = Vec::new();
    for t in tables {
        for row in &t.rows {
            for (cell, column) in row.cells.iter().zip(&t.columns) {
                out.push(((t.id.clone(), Some(row.label.clone()), Some(column.clone())), cell.count));
            }
            out.push(((t.id.clone(), Some(row.label.clone()), None), row.total));
        }
        for (total, column) in t.column_totals.iter().zip(&t.columns) {
            out.push(((t.id.clone(), None, Some(column.clone())), *total));
        }
        if let Some(grand) = t.grand_total {
            out.push(((t.id.clone(), None, None), grand));
        }
    }
    out
}

impl Published {
    /// The figures this summary shows as `c`, as "table / row / column" ("total" for a total).
    pub fn hidden_places(&self) -> Vec<String> {
        published_places(&self.tables)
            .into_iter()
            .filter(|(_, f)| *f == Figure::Suppressed)
            .map(|((t, r, c), _)| format!("{t} / {} / {}", r.unwrap_or_else(|| "total".into()), c.unwrap_or_else(|| "total".into())))
            .collect()
    }
}

/// What earlier summaries of the same census day oblige a new one to do, so that all of
/// them together show no more than the first did: hide every figure any of them hid (or
/// did not show, or showed with another value, if the records have changed since), and
/// leave out every table any of them left out.
#[derive(Default)]
struct Earlier {
    /// Figures to hide, by place.
    hide: BTreeSet<Place>,
    /// Tables to leave out, with the reason.
    leave_out: BTreeMap<String, String>,
    /// Whether a figure has changed since an earlier summary showed it.
    changed: bool,
}

const EARLIER_NOTE: &str = "A summary for this census day was made before. Every count it hid is hidden here too, and every table it left out is left out, so that the summaries together show no more than the first one did.";
const CHANGED_NOTE: &str = "Some figures for this census day have changed since an earlier summary was made for it; they are hidden (c), so that the change cannot be traced to a child.";

fn earlier_rules(tables: &[CountTable], earlier: &[&Published]) -> Earlier {
    let mut rules = Earlier::default();
    if earlier.is_empty() {
        return rules;
    }
    let model = Model::new(tables);
    let shown: Vec<(BTreeSet<String>, HashMap<Place, Figure>)> =
        earlier.iter().map(|e| (e.tables.iter().map(|t| t.id.clone()).collect(), published_places(&e.tables).into_iter().collect())).collect();
    for table in tables {
        if let Some(i) = shown.iter().position(|(ids, _)| !ids.contains(&table.id)) {
            // The reason the earlier summary gave, so the same summary reads the same.
            let quoted = format!("\"{}\"", table.title);
            let detail = DETAIL.iter().find(|(id, _)| *id == table.id).map(|(_, note)| note.to_string());
            let note = earlier[i]
                .notes
                .iter()
                .find(|n| n.contains(&quoted))
                .cloned()
                .or(detail)
                .unwrap_or_else(|| format!("The table {quoted} is not shown, because an earlier summary for this census day left it out."));
            rules.leave_out.insert(table.id.clone(), note);
        }
    }
    for fig in &model.figures {
        let place = place_of(tables, *fig);
        if rules.leave_out.contains_key(&place.0) {
            continue;
        }
        let value = model.value(*fig);
        for (_, figures) in &shown {
            let before = figures.get(&place).copied();
            let must_hide = match before {
                Some(Figure::Count(n)) if n == value => false,
                Some(Figure::Count(_)) => {
                    rules.changed = true;
                    true
                }
                // Hidden before, or not there (a row that was not in the table then).
                Some(Figure::Suppressed) => true,
                None => value > 0,
            };
            if !must_hide {
                continue;
            }
            if value == 0 {
                // A true 0 is never hidden (every c stands for at least 1), so a figure
                // hidden before that is 0 now can only be kept from view with its table.
                let title = &tables[fig.table()].title;
                rules.leave_out.insert(place.0.clone(), format!("The table \"{title}\" is not shown, because its figures have changed since an earlier summary for this census day."));
            } else {
                rules.hide.insert(place.clone());
            }
        }
    }
    rules
}

/// Tables in which a group whose size is hidden falls wholly in one category: a row or a
/// column whose total is `c` and whose other cells are all 0 tells the reader something
/// about every child in that group ("every pupil with an EHC plan is a girl"), though no
/// small count is shown. This is group (attribute) disclosure.
pub fn whole_groups(tables: &[PublishedTable], threshold: u32) -> Vec<String> {
    let small = |f: Figure| match f {
        Figure::Suppressed => true,
        Figure::Count(n) => n >= 1 && n < threshold as u64,
    };
    let one_category = |cells: &mut dyn Iterator<Item = Figure>| -> bool {
        let mut width = 0;
        let mut members = 0;
        for f in cells {
            width += 1;
            if f != Figure::Count(0) {
                members += 1;
            }
        }
        width >= 2 && members == 1
    };
    let mut out = Vec::new();
    for t in tables {
        let rows = t.rows.iter().any(|r| small(r.total) && one_category(&mut r.cells.iter().map(|c| c.count)));
        let columns = t.column_totals.iter().enumerate().any(|(c, total)| small(*total) && one_category(&mut t.rows.iter().map(|r| r.cells[c].count)));
        if rows || columns {
            out.push(t.id.clone());
        }
    }
    out
}

/// The governors' summary of an aggregate (one school's or a roll-up's) at a threshold,
/// as the first summary of its census day.
pub fn publish(aggregate: &Aggregate, threshold: u32, national: &super::national::National) -> Published {
    publish_after(aggregate, threshold, national, &[])
}

/// The governors' summary of an aggregate at a threshold, given every summary made earlier
/// for its census day (others are ignored).
///
/// The summary tables are suppressed first, starting from every figure an earlier summary
/// hid. Each detailed table (year groups, individual needs) is then added only if nothing
/// in it has to be hidden (year groups) or it hides nothing more in the other tables
/// (needs); otherwise a note says why it is left out. A table in which a small group falls
/// wholly in one category is left out, with a note, and the rest suppressed again.
pub fn publish_after(aggregate: &Aggregate, threshold: u32, national: &super::national::National, earlier: &[Published]) -> Published {
    let earlier: Vec<&Published> = earlier.iter().filter(|e| e.census_date == aggregate.census_date && e.kind == PUBLISHED_KIND).collect();
    let mut published = publish_with(aggregate, threshold, national, &earlier);
    // Where the earlier summaries made this one hide more than it would alone, say why.
    if !earlier.is_empty() && publish_with(aggregate, threshold, national, &[]).tables != published.tables {
        published.notes.push(EARLIER_NOTE.to_string());
    }
    published
}

fn publish_with(aggregate: &Aggregate, threshold: u32, national: &super::national::National, earlier: &[&Published]) -> Published {
    let rules = earlier_rules(&aggregate.tables, earlier);
    let mut leave_out = rules.leave_out.clone();
    let (tables, hidden, detail_notes) = loop {
        let (tables, hidden, notes) = suppress_tables(aggregate, threshold, &rules.hide, &leave_out);
        let grouped = whole_groups(&published_tables(&tables, &hidden), threshold);
        if grouped.is_empty() {
            break (tables, hidden, notes);
        }
        for id in grouped {
            let title = tables.iter().find(|t| t.id == id).map_or(id.clone(), |t| t.title.clone());
            leave_out.insert(
                id,
                format!("The table \"{title}\" is not shown, because in it a small group of pupils falls wholly in one category, which would say something about each of them."),
            );
        }
    };
    let mut notes = aggregate.notes.clone();
    if rules.changed {
        notes.push(CHANGED_NOTE.to_string());
    }
    // Why each table is left out, in the aggregate's order whatever the reason, so the same
    // summary reads the same way every time.
    let mut why: BTreeMap<String, String> = detail_notes;
    why.extend(leave_out);
    notes.extend(aggregate.tables.iter().filter_map(|t| why.get(&t.id).cloned()));
    let published = published_tables(&tables, &hidden);
    let measures = super::report::measures(aggregate, &published, threshold);
    let phases: Vec<Option<crate::school::Phase>> = aggregate.schools.iter().map(|s| s.phase).collect();
    let in_kent = aggregate.schools.iter().any(|s| s.la_code == crate::school::KENT_LA_CODE);
    let comparisons = national.comparisons(aggregate.census_date, &published, &phases, in_kent);
    Published {
        schema_version: SCHEMA_VERSION,
        kind: PUBLISHED_KIND.into(),
        census_date: aggregate.census_date,
        threshold,
        schools: aggregate.schools.clone(),
        method: method(threshold),
        notes,
        tables: published,
        measures,
        comparisons,
    }
}

/// The tables to publish and the figures to hide in them: the aggregate's tables less
/// `leave_out`, with every figure at a place in `hide` hidden from the start.
fn suppress_tables(aggregate: &Aggregate, threshold: u32, hide: &BTreeSet<Place>, leave_out: &BTreeMap<String, String>) -> (Vec<CountTable>, BTreeSet<Fig>, BTreeMap<String, String>) {
    let is_detail = |t: &CountTable| DETAIL.iter().any(|(id, _)| *id == t.id);
    let start_of = |tables: &[CountTable]| -> BTreeSet<Fig> { Model::new(tables).figures.iter().copied().filter(|f| hide.contains(&place_of(tables, *f))).collect() };
    let mut tables: Vec<CountTable> = aggregate.tables.iter().filter(|t| !is_detail(t) && !leave_out.contains_key(&t.id)).cloned().collect();
    let mut hidden = suppress_from(&tables, threshold, &start_of(&tables));
    let mut notes = BTreeMap::new();
    for (id, note) in DETAIL {
        let Some(detail) = aggregate.tables.iter().find(|t| t.id == id) else { continue };
        if leave_out.contains_key(id) {
            continue;
        }
        // Put it back where it was, before the table summed from it.
        let mut trial = tables.clone();
        let at = trial.iter().position(|t| t.derived.as_ref().is_some_and(|d| d.from == id)).map_or(trial.len(), |i| i + 1);
        trial.insert(at, detail.clone());
        // What the other tables needed stays hidden; the trial only adds to it.
        let moved = |f: Fig| -> Fig {
            let t = f.table();
            let t = if t >= at { t + 1 } else { t };
            match f {
                Fig::Cell(_, r, c) => Fig::Cell(t, r, c),
                Fig::Row(_, r) => Fig::Row(t, r),
                Fig::Col(_, c) => Fig::Col(t, c),
                Fig::Grand(_) => Fig::Grand(t),
            }
        };
        let mut start: BTreeSet<Fig> = hidden.iter().map(|f| moved(*f)).collect();
        start.extend(start_of(&trial));
        let trial_hidden = suppress_from(&trial, threshold, &start);
        let before: BTreeSet<_> = hidden.iter().map(|f| place(&tables, *f)).collect();
        let after: BTreeSet<_> = trial_hidden.iter().filter(|f| f.table() != at).map(|f| place(&trial, *f)).collect();
        let safe = match id {
            "year" => !trial_hidden.iter().any(|f| f.table() == at),
            _ => before == after,
        };
        if safe {
            tables = trial;
            hidden = trial_hidden;
        } else {
            notes.insert(id.to_string(), note.to_string());
        }
    }
    (tables, hidden, notes)
}
