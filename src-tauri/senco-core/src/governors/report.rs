//! The governors' summary laid out: the measures that are not counts, the charts, the PDF
//! for a board pack and the self-contained HTML page. Everything here reads a `Published`
//! summary only, so nothing a governor sees can hold more than the suppressed figures.

use chrono::NaiveDate;
use serde::Serialize;
use ts_rs::TS;

use super::disclosure::{PublishedMeasure, PublishedTable};
use super::{Aggregate, Figure, Published, CensusStatus};
use crate::apdr::pounds;
use crate::dates;
use crate::pdf::{number, BarChart, Document, Style};
use crate::Result;

const SEN_SUPPORT: (f32, f32, f32) = (0.16, 0.42, 0.62);
const EHC_PLAN: (f32, f32, f32) = (0.85, 0.45, 0.13);

/// Money and attendance, each shown only where the pupils behind it are.
pub(crate) fn measures(aggregate: &Aggregate, tables: &[PublishedTable], threshold: u32) -> Vec<PublishedMeasure> {
    let m = &aggregate.measures;
    let schools = aggregate.schools.len();
    let mut out = vec![PublishedMeasure {
        id: "spend".into(),
        label: "Planned cost of interventions this academic year".into(),
        value: pounds(m.spend_pence),
        note: "Staff time at the school's rates and resources, for interventions starting this academic year.".into(),
    }];
    match m.budget_pence {
        Some(budget) if m.budget_schools as usize == schools => {
            out.push(PublishedMeasure { id: "budget".into(), label: "Notional SEN budget".into(), value: pounds(budget), note: String::new() });
            if budget > 0 {
                out.push(PublishedMeasure {
                    id: "spend_share".into(),
                    label: "Planned cost as a share of the notional SEN budget".into(),
                    value: format!("{}%", number((m.spend_with_budget_pence as f64 * 1000.0 / budget as f64).round() / 10.0)),
                    note: String::new(),
                });
            }
        }
        Some(budget) => out.push(PublishedMeasure {
            id: "budget".into(),
            label: "Notional SEN budget".into(),
            value: pounds(budget),
            note: format!("Recorded by {} of {} schools; their planned cost is {}.", m.budget_schools, schools, pounds(m.spend_with_budget_pence)),
        }),
        None => out.push(PublishedMeasure {
            id: "budget".into(),
            label: "Notional SEN budget".into(),
            value: "not recorded".into(),
            note: "The SENCO can record it on the Library screen, or with senco budget.".into(),
        }),
    }
    let register = tables.iter().find(|t| t.id == "register");
    for (i, status) in CensusStatus::ALL.iter().enumerate() {
        let shown = register.and_then(|t| t.rows.get(i)).is_some_and(|r| matches!(r.cells[0].count, Figure::Count(_)));
        let pupils = m.attendance_pupils[i];
        let (value, note) = if pupils == 0 {
            ("not recorded".to_string(), String::new())
        } else if !shown || pupils < threshold {
            ("not shown".to_string(), format!("Fewer than {threshold} pupils, or their number is hidden."))
        } else {
            // The number of pupils is not printed: where attendance is recorded for only some
            // pupils it is a count the tables may hide.
            (format!("{}%", number((m.attendance_sum[i] / pupils as f64 * 10.0).round() / 10.0)), "Average of the pupils with attendance recorded.".to_string())
        };
        out.push(PublishedMeasure { id: format!("attendance_{}", ["n", "k", "e"][i]), label: format!("Average attendance: {}", status.label()), value, note });
    }
    // The school's duties: the SENCO and the reviews, each school's in a roll-up, named.
    for school in &aggregate.schools {
        let Some(duties) = &school.duties else { continue };
        // Duties are kept only as they are now: judged on the day they were read.
        let on = school.duties_read.unwrap_or(aggregate.census_date);
        let on_name = format!("on {}, the day this summary was made", crate::dates::long(on));
        for line in duties.lines(on, &on_name) {
            let (id, label) = if schools == 1 { (line.id.to_string(), line.label.to_string()) } else { (format!("{}:{}", line.id, school.urn), format!("{}: {}", school.name, line.label)) };
            out.push(PublishedMeasure { id, label, value: line.value, note: line.note });
        }
    }
    out
}

/// A chart's data, as the app's view, the PDF and the HTML page all draw it.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Chart {
    pub title: String,
    /// "%" or "" (counts).
    pub unit: String,
    pub series: Vec<Series>,
    pub rows: Vec<ChartRow>,
    pub max: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct Series {
    pub name: String,
    /// "#2a6b9e".
    pub colour: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct ChartRow {
    pub label: String,
    /// One value per series; None where the figure is hidden (drawn as "c").
    pub values: Vec<Option<f64>>,
}

fn hex((r, g, b): (f32, f32, f32)) -> String {
    format!("#{:02x}{:02x}{:02x}", (r * 255.0).round() as u8, (g * 255.0).round() as u8, (b * 255.0).round() as u8)
}

impl Chart {
    fn bars(&self) -> BarChart {
        let rgb = |h: &str| {
            let n = |i: usize| u8::from_str_radix(&h[i..i + 2], 16).unwrap_or(0) as f32 / 255.0;
            (n(1), n(3), n(5))
        };
        BarChart {
            title: self.title.clone(),
            unit: self.unit.clone(),
            series: self.series.iter().map(|s| (s.name.clone(), rgb(&s.colour))).collect(),
            rows: self.rows.iter().map(|r| (r.label.clone(), r.values.clone())).collect(),
            max: self.max,
        }
    }
}

/// The charts every output draws, from the published tables only.
pub fn charts(published: &Published) -> Vec<Chart> {
    let table = |id: &str| published.tables.iter().find(|t| t.id == id);
    let series = vec![Series { name: "SEN support".into(), colour: hex(SEN_SUPPORT) }, Series { name: "EHC plan".into(), colour: hex(EHC_PLAN) }];
    let chart = |title: &str, unit: &str, rows: Vec<ChartRow>| {
        let max = rows.iter().flat_map(|r| r.values.iter().flatten()).fold(0.0f64, |a, b| a.max(*b));
        Chart { title: title.into(), unit: unit.into(), series: series.clone(), rows, max: (max * 1.15).max(5.0) }
    };
    let mut charts = Vec::new();
    if let Some(trend) = table("trend") {
        let rows = trend.rows.iter().rev().map(|r| ChartRow { label: r.label.clone(), values: vec![r.cells[1].percent, r.cells[2].percent] }).collect();
        charts.push(chart("Share of pupils on the SEN register, by census", "%", rows));
    }
    for (id, title) in [("area", "Pupils by broad area of need"), ("key_stage", "Pupils on the register by key stage")] {
        if let Some(t) = table(id) {
            let (k, e) = if t.columns.len() == 3 { (1, 2) } else { (0, 1) };
            let rows = t
                .rows
                .iter()
                .map(|r| ChartRow { label: r.label.clone(), values: vec![r.cells[k].count.count().map(|n| n as f64), r.cells[e].count.count().map(|n| n as f64)] })
                .collect();
            charts.push(chart(title, "", rows));
        }
    }
    charts
}

fn heading(published: &Published) -> (String, String) {
    match published.schools.as_slice() {
        [one] => (format!("Inclusion summary for governors: {}", one.name), one.name.clone()),
        many => (format!("Inclusion summary: {} schools together", many.len()), format!("{} schools", many.len())),
    }
}

fn cell_text(cell: &super::disclosure::PublishedCell) -> String {
    match (cell.count, cell.percent) {
        (Figure::Count(n), Some(p)) => format!("{n} ({}%)", number(p)),
        (count, _) => count.text(),
    }
}

fn table_rows(t: &PublishedTable) -> (Vec<String>, Vec<Vec<String>>) {
    let mut header = vec![String::new()];
    header.extend(t.columns.iter().cloned());
    if t.columns.len() > 1 {
        header.push("Total".into());
    }
    let mut rows: Vec<Vec<String>> = t
        .rows
        .iter()
        .map(|r| {
            let mut row = vec![r.label.clone()];
            row.extend(r.cells.iter().map(cell_text));
            if t.columns.len() > 1 {
                row.push(r.total.text());
            }
            row
        })
        .collect();
    if let Some(grand) = t.grand_total {
        let mut row = vec!["Total".to_string()];
        row.extend(t.column_totals.iter().map(|f| f.text()));
        if t.columns.len() > 1 {
            row.push(grand.text());
        }
        rows.push(row);
    }
    (header, rows)
}

/// The summary as a PDF for a governing body's board pack, charts drawn as vector shapes.
pub fn pdf(published: &Published, today: NaiveDate) -> Result<Vec<u8>> {
    let (title, short) = heading(published);
    let mut doc = Document::new(&title, ("OFFICIAL", &short), &format!("Census {}", dates::short(published.census_date)), today)?;
    doc.paragraph_styled(&title, Style::bold(17.0));
    doc.paragraph(&format!("Census day {}. Smallest count shown: {}.", dates::long(published.census_date), published.threshold));
    doc.banner(&published.method, Style::regular(9.0), (0.93, 0.95, 0.98));
    // What is left out, and why.
    for note in &published.notes {
        doc.paragraph_styled(note, Style::regular(8.5));
    }
    doc.heading("At a glance");
    if !published.comparisons.is_empty() {
        let rows: Vec<Vec<String>> = published
            .comparisons
            .iter()
            .map(|c| vec![c.label.clone(), c.school.map_or("c".into(), |p| format!("{}%", number(p))), c.against.clone(), format!("{}% ({})", number(c.national), c.national_year)])
            .collect();
        doc.table(&["", "This summary", "Compared with", "Their figure (census)"], &[0.3, 0.16, 0.34, 0.2], &rows);
        doc.paragraph_styled(&format!("Sources: {}", comparison_sources(published).join("; ")), Style::regular(8.0));
    }
    let rows: Vec<Vec<String>> = published.measures.iter().map(|m| vec![m.label.clone(), m.value.clone(), m.note.clone()]).collect();
    doc.table(&["Measure", "Value", "Note"], &[0.4, 0.18, 0.42], &rows);
    // Each heading keeps its first chart or table with it.
    doc.ensure(75.0);
    doc.heading("Charts");
    for chart in charts(published) {
        doc.bar_chart(&chart.bars());
    }
    // The heading keeps its first table (or as much of it as a page allows) with it.
    let first_rows = published.tables.first().map_or(0, |t| t.rows.len());
    doc.ensure(((first_rows as f32 + 3.0) * 7.5 + 40.0).min(140.0));
    doc.heading("Tables");
    for t in &published.tables {
        // A short table stays whole on one page; a long one keeps its title with its first rows.
        doc.ensure(((t.rows.len() as f32 + 3.0) * 7.5 + 14.0).min(110.0));
        doc.subheading(&t.title);
        doc.paragraph_styled(&t.note, Style::regular(8.5));
        let (header, rows) = table_rows(t);
        let header: Vec<&str> = header.iter().map(String::as_str).collect();
        let n = header.len();
        let first = if n > 4 { 0.3 } else { 0.4 };
        let rest = (1.0 - first) / (n - 1) as f32;
        let widths: Vec<f32> = std::iter::once(first).chain(std::iter::repeat_n(rest, n - 1)).collect();
        doc.table(&header, &widths, &rows);
    }
    doc.finish()
}

fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c if c.is_control() || crate::text::is_hidden(c) => {}
            c => out.push(c),
        }
    }
    out
}

/// A chart as inline SVG for the HTML page: each category's name on its own line with its
/// bars below, so long names never run into the bars and the chart stays legible when a
/// phone shrinks it.
fn svg_chart(chart: &BarChart) -> String {
    let (bar_h, gap, width, label_h) = (14.0, 3.0, 420.0, 16.0);
    let scale = width - 60.0;
    let row_h = label_h + chart.series.len() as f64 * (bar_h + gap) + 8.0;
    let height = 24.0 + chart.rows.len() as f64 * row_h;
    let colour = |(r, g, b): (f32, f32, f32)| format!("rgb({},{},{})", (r * 255.0) as u8, (g * 255.0) as u8, (b * 255.0) as u8);
    let mut svg = format!(
        "<svg role=\"img\" aria-label=\"{}\" viewBox=\"0 0 {width} {height}\" xmlns=\"http://www.w3.org/2000/svg\" font-family=\"sans-serif\" font-size=\"12\">",
        escape(&chart.title)
    );
    let mut x = 0.0;
    for (name, c) in &chart.series {
        svg.push_str(&format!("<rect x=\"{x}\" y=\"4\" width=\"11\" height=\"11\" fill=\"{}\"/><text x=\"{}\" y=\"14\">{}</text>", colour(*c), x + 15.0, escape(name)));
        x += 15.0 + name.chars().count() as f64 * 7.0 + 20.0;
    }
    for (i, (label, values)) in chart.rows.iter().enumerate() {
        let top = 24.0 + i as f64 * row_h;
        svg.push_str(&format!("<text x=\"0\" y=\"{}\" font-weight=\"bold\">{}</text>", top + 12.0, escape(label)));
        for (j, ((_, c), v)) in chart.series.iter().zip(values).enumerate() {
            let y = top + label_h + j as f64 * (bar_h + gap);
            let (w, text) = match v {
                Some(v) => (v / chart.max.max(1e-9) * scale, format!("{}{}", number(*v), chart.unit)),
                None => (0.0, "c".into()),
            };
            svg.push_str(&format!(
                "<rect x=\"0\" y=\"{y}\" width=\"{w:.1}\" height=\"{bar_h}\" fill=\"{}\"/><text x=\"{:.1}\" y=\"{:.1}\">{}</text>",
                colour(*c),
                w + 4.0,
                y + bar_h - 3.0,
                escape(&text)
            ));
        }
    }
    svg.push_str("</svg>");
    svg
}

/// The summary as one HTML file: styles and charts inline, nothing fetched, readable on a phone.
pub fn html(published: &Published) -> String {
    let (title, _) = heading(published);
    let mut h = String::new();
    h.push_str("<!doctype html>\n<html lang=\"en-GB\"><head><meta charset=\"utf-8\">");
    h.push_str("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\">");
    h.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">");
    h.push_str(&format!("<title>{}</title>", escape(&title)));
    h.push_str(
        "<style>body{font-family:system-ui,sans-serif;max-width:52rem;margin:0 auto;padding:1rem;line-height:1.45;color:#1b1b1b}\
         h1{font-size:1.5rem}h2{margin-top:2rem;border-bottom:2px solid #2a6b9e}h3{margin-bottom:.25rem}\
         .method{background:#eef2f8;padding:.75rem 1rem;border-left:4px solid #2a6b9e}\
         .scroll{overflow-x:auto}table{border-collapse:collapse;margin:.5rem 0 1rem}th,td{border:1px solid #bbb;padding:.3rem .5rem;text-align:right}\
         th:first-child,td:first-child{text-align:left}thead th{background:#e8e8e8}tfoot td{font-weight:bold}\
         .note{font-size:.9rem;color:#444}svg{width:100%;max-width:36rem;height:auto}figure{margin:1rem 0}figcaption{font-weight:bold}\
         @media print{h2{break-after:avoid}table,figure{break-inside:avoid}}</style></head><body>",
    );
    h.push_str(&format!("<p class=\"note\">OFFICIAL</p><h1>{}</h1>", escape(&title)));
    h.push_str(&format!(
        "<p>Census day {}. Smallest count shown: {}.</p><p class=\"method\">{}</p>",
        escape(&dates::long(published.census_date)),
        published.threshold,
        escape(&published.method)
    ));
    for note in &published.notes {
        h.push_str(&format!("<p class=\"note\">{}</p>", escape(note)));
    }
    h.push_str("<h2>At a glance</h2>");
    if !published.comparisons.is_empty() {
        h.push_str("<div class=\"scroll\"><table><thead><tr><th></th><th>This summary</th><th style=\"text-align:left\">Compared with</th><th>Their figure (census)</th></tr></thead><tbody>");
        for c in &published.comparisons {
            h.push_str(&format!(
                "<tr><td>{}</td><td>{}</td><td style=\"text-align:left\">{}</td><td>{}% ({})</td></tr>",
                escape(&c.label),
                c.school.map_or("c".into(), |p| format!("{}%", number(p))),
                escape(&c.against),
                number(c.national),
                c.national_year
            ));
        }
        h.push_str("</tbody></table></div>");
        h.push_str(&format!("<p class=\"note\">Sources: {}</p>", escape(&comparison_sources(published).join("; "))));
    }
    h.push_str("<div class=\"scroll\"><table><thead><tr><th>Measure</th><th>Value</th><th style=\"text-align:left\">Note</th></tr></thead><tbody>");
    for m in &published.measures {
        h.push_str(&format!("<tr><td>{}</td><td>{}</td><td style=\"text-align:left\">{}</td></tr>", escape(&m.label), escape(&m.value), escape(&m.note)));
    }
    h.push_str("</tbody></table></div><h2>Charts</h2>");
    for chart in charts(published) {
        h.push_str(&format!("<figure><figcaption>{}</figcaption>{}</figure>", escape(&chart.title), svg_chart(&chart.bars())));
    }
    h.push_str("<h2>Tables</h2>");
    for t in &published.tables {
        let (header, rows) = table_rows(t);
        h.push_str(&format!("<h3 id=\"{}\">{}</h3><p class=\"note\">{}</p><div class=\"scroll\"><table><thead><tr>", escape(&t.id), escape(&t.title), escape(&t.note)));
        for c in &header {
            h.push_str(&format!("<th scope=\"col\">{}</th>", escape(c)));
        }
        h.push_str("</tr></thead><tbody>");
        let last = rows.len().saturating_sub(usize::from(t.grand_total.is_some()));
        for (i, row) in rows.iter().enumerate() {
            if i == last && t.grand_total.is_some() {
                h.push_str("</tbody><tfoot>");
            }
            h.push_str("<tr>");
            for (j, cell) in row.iter().enumerate() {
                if j == 0 {
                    h.push_str(&format!("<th scope=\"row\">{}</th>", escape(cell)));
                } else {
                    h.push_str(&format!("<td>{}</td>", escape(cell)));
                }
            }
            h.push_str("</tr>");
        }
        h.push_str(if t.grand_total.is_some() { "</tfoot></table></div>" } else { "</tbody></table></div>" });
    }
    h.push_str("</body></html>\n");
    h
}

/// Each source the comparisons quote, once, in the order first quoted.
fn comparison_sources(published: &Published) -> Vec<String> {
    let mut sources: Vec<String> = Vec::new();
    for c in &published.comparisons {
        if !sources.contains(&c.source) {
            sources.push(c.source.clone());
        }
    }
    sources
}
