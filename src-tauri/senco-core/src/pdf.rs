//! The toolkit's printed documents: A4 pages laid out here, written by printpdf.
//!
//! Layout is our own and small: headings, wrapped paragraphs, labelled facts and tables
//! whose header row repeats on every page they run onto. Nothing is cut off at any length:
//! a word wider than its column is broken, a table row taller than a page goes on over the
//! page (header repeated), and characters the font cannot draw print as "?" rather than as
//! empty boxes. Widths are added with saturating arithmetic, so text of any length (millions
//! of characters in one word) lays out without overflow, and text that has one line to itself
//! (the running header and footer) is cut short with "…" to fit, never run off the page.
//!
//! Output is a pure function of what is laid out: fonts are subset to the glyphs used and
//! named `F1`/`F2`, bookmarks get fixed ids, and the document ID in the trailer is made from
//! the content, so the same document gives the same bytes every time (printpdf's own ids
//! come from a counter that moves on within one process).
//!
//! The font is Andika (SIL, OFL 1.1; `assets/fonts/`), designed for clear reading.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{Datelike, NaiveDate};
use printpdf::{
    Color, FontId, Greyscale, Line, LinePoint, Mm, Op, PageAnnotId, PageAnnotation, PaintMode, ParsedFont, PdfDocument, PdfFont, PdfFontHandle, PdfPage, PdfSaveOptions, Point, Pt, Rect, Rgb,
    TextItem,
};

use crate::error::{Error, Result};

const REGULAR: &[u8] = include_bytes!("../../../assets/fonts/Andika-Regular.ttf");
const BOLD: &[u8] = include_bytes!("../../../assets/fonts/Andika-Bold.ttf");

pub const PAGE_W: f32 = 210.0;
pub const PAGE_H: f32 = 297.0;
const MARGIN: f32 = 18.0;
/// Space kept at the top of each page for the running header.
const TOP: f32 = PAGE_H - MARGIN - 8.0;
/// The lowest a line of body text may sit, above the footer.
const BOTTOM: f32 = MARGIN + 6.0;
const PT_TO_MM: f32 = 25.4 / 72.0;
const CELL_PAD: f32 = 1.6;

/// A bar chart's data: series (name and colour) and rows of values, `None` where hidden.
#[derive(Debug, Clone, PartialEq)]
pub struct BarChart {
    pub title: String,
    pub unit: String,
    pub series: Vec<(String, (f32, f32, f32))>,
    pub rows: Vec<(String, Vec<Option<f64>>)>,
    pub max: f64,
}

/// "12" or "12.5": a chart's value without trailing zeros.
pub fn number(v: f64) -> String {
    if (v - v.round()).abs() < 1e-9 {
        format!("{}", v.round() as i64)
    } else {
        format!("{v:.1}")
    }
}

/// How text is drawn.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Style {
    pub bold: bool,
    pub size: f32,
}

impl Style {
    pub const fn regular(size: f32) -> Style {
        Style { bold: false, size }
    }
    pub const fn bold(size: f32) -> Style {
        Style { bold: true, size }
    }
    fn line_height(self) -> f32 {
        self.size * 1.4 * PT_TO_MM
    }
}

#[derive(Debug, Clone)]
enum Mark {
    Text { style: Style, x: f32, y: f32, text: String },
    Rule { x1: f32, x2: f32, y: f32, grey: f32, width: f32 },
    Box { x: f32, y: f32, w: f32, h: f32, fill: Option<(f32, f32, f32)>, stroke: bool },
}

/// Glyph widths of one face, for measuring and wrapping. The widths of the first 1,024
/// characters (Latin, its extensions, Greek, Cyrillic) are looked up once.
struct Metrics {
    font: ParsedFont,
    upem: f32,
    common: Vec<Option<u16>>,
}

impl Metrics {
    fn load(bytes: &[u8]) -> Result<Metrics> {
        let font = ParsedFont::from_bytes(bytes, 0, &mut Vec::new()).ok_or_else(|| Error::Refused("the shipped font could not be read".into()))?;
        let upem = f32::from(font.units_per_em);
        let common = (0u32..1024).map(|c| font.lookup_glyph_index(c).filter(|g| *g != 0).and_then(|g| font.get_glyph_width(g))).collect();
        Ok(Metrics { font, upem, common })
    }
    fn units(&self, c: char) -> u32 {
        match self.common.get(c as usize) {
            Some(w) => w.map_or(0, u32::from),
            None => self.font.lookup_glyph_index(c as u32).and_then(|g| self.font.get_glyph_width(g)).map_or(0, u32::from),
        }
    }
    fn scale(&self, size: f32) -> f32 {
        size * PT_TO_MM / self.upem
    }
    /// A run of text's width in font units, saturating rather than overflowing.
    fn units_of(&self, text: &str) -> u32 {
        text.chars().fold(0u32, |sum, c| sum.saturating_add(self.units(c)))
    }
    fn width(&self, text: &str, size: f32) -> f32 {
        self.units_of(text) as f32 * self.scale(size)
    }
    fn has(&self, c: char) -> bool {
        match self.common.get(c as usize) {
            Some(w) => w.is_some(),
            None => self.font.lookup_glyph_index(c as u32).is_some_and(|g| g != 0),
        }
    }
}

/// Text as it may be printed: control and direction-changing characters dropped, tabs and
/// line ends kept as spaces and breaks, and characters the font lacks shown as "?".
pub fn printable(text: &str, fonts: &(impl Fn(char) -> bool + ?Sized)) -> String {
    text.chars()
        .filter_map(|c| match c {
            '\n' => Some('\n'),
            '\t' | '\r' => Some(' '),
            c if c.is_control() => None,
            '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{FEFF}' | '\u{2028}' | '\u{2029}' => None,
            c if fonts(c) => Some(c),
            _ => Some('?'),
        })
        .collect()
}

/// A document being laid out.
pub struct Document {
    title: String,
    /// Left and right of the running header, from page 2 on (the cover has none).
    header: (String, String),
    footer_left: String,
    pages: Vec<Vec<Mark>>,
    y: f32,
    bookmarks: Vec<(String, usize)>,
    regular: Metrics,
    bold: Metrics,
    date: NaiveDate,
}

pub const LEFT: f32 = MARGIN;
pub const WIDTH: f32 = PAGE_W - 2.0 * MARGIN;

impl Document {
    /// A new document dated `date` (its creation date, from the data, not the clock).
    pub fn new(title: &str, header: (&str, &str), footer_left: &str, date: NaiveDate) -> Result<Document> {
        let mut doc = Document {
            title: String::new(),
            header: (String::new(), String::new()),
            footer_left: String::new(),
            pages: vec![Vec::new()],
            y: TOP,
            bookmarks: Vec::new(),
            regular: Metrics::load(REGULAR)?,
            bold: Metrics::load(BOLD)?,
            date,
        };
        doc.title = doc.clean(title);
        doc.header = (doc.clean(header.0), doc.clean(header.1));
        doc.footer_left = doc.clean(footer_left);
        Ok(doc)
    }

    fn clean(&self, text: &str) -> String {
        printable(text, &|c| self.regular.has(c) && self.bold.has(c))
    }

    fn metrics(&self, style: Style) -> &Metrics {
        if style.bold {
            &self.bold
        } else {
            &self.regular
        }
    }

    pub fn width_of(&self, text: &str, style: Style) -> f32 {
        self.metrics(style).width(text, style.size)
    }

    /// The page being written, counting from 1.
    pub fn page_number(&self) -> usize {
        self.pages.len()
    }

    pub fn page_count(&self) -> usize {
        self.pages.len()
    }

    pub fn new_page(&mut self) {
        self.pages.push(Vec::new());
        self.y = TOP;
    }

    /// Space left on this page, in mm.
    pub fn room(&self) -> f32 {
        self.y - BOTTOM
    }

    /// Starts a new page unless `height` mm fit on this one.
    pub fn ensure(&mut self, height: f32) {
        if self.room() < height {
            self.new_page();
        }
    }

    pub fn gap(&mut self, mm: f32) {
        self.y -= mm;
    }

    /// Moves the cursor to `mm` below the top of the page.
    pub fn move_to(&mut self, mm_from_top: f32) {
        self.y = PAGE_H - mm_from_top;
    }

    fn mark(&mut self, mark: Mark) {
        self.pages.last_mut().expect("a page").push(mark);
    }

    fn mark_on(&mut self, page: usize, mark: Mark) {
        self.pages[page - 1].push(mark);
    }

    /// Text at a place, on one line, unwrapped (already cleaned).
    fn put(&mut self, style: Style, x: f32, y: f32, text: String) {
        if !text.trim().is_empty() {
            self.mark(Mark::Text { style, x, y, text });
        }
    }

    /// Wraps `text` to `width` mm: at spaces where it can, inside a word where it must.
    /// Blank lines in the text are kept as paragraph breaks.
    pub fn wrap(&self, text: &str, style: Style, width: f32) -> Vec<String> {
        let text = self.clean(text);
        let m = self.metrics(style);
        // Widths in font units, added up as the line grows, so each word is measured once.
        let limit = (width / m.scale(style.size)) as u32;
        let space = m.units(' ');
        let mut lines = Vec::new();
        for para in text.split('\n') {
            let (mut line, mut used) = (String::new(), 0u32);
            for word in para.split(' ').filter(|w| !w.is_empty()) {
                let w = m.units_of(word);
                let with = if line.is_empty() { w } else { used.saturating_add(space).saturating_add(w) };
                if with <= limit {
                    if !line.is_empty() {
                        line.push(' ');
                    }
                    line.push_str(word);
                    used = with;
                    continue;
                }
                if !line.is_empty() {
                    lines.push(std::mem::take(&mut line));
                    used = 0;
                }
                if w <= limit {
                    line.push_str(word);
                    used = w;
                    continue;
                }
                // A word wider than the line is broken where it must be.
                for c in word.chars() {
                    let cw = m.units(c);
                    if !line.is_empty() && used.saturating_add(cw) > limit {
                        lines.push(std::mem::take(&mut line));
                        used = 0;
                    }
                    line.push(c);
                    used = used.saturating_add(cw);
                }
            }
            lines.push(line);
        }
        while lines.len() > 1 && lines.last().is_some_and(|l| l.is_empty()) {
            lines.pop();
        }
        lines
    }

    /// `text` (already cleaned) on one line of `width` mm: whole if it fits, otherwise cut
    /// short with "…".
    fn fit(&self, text: &str, style: Style, width: f32) -> String {
        let m = self.metrics(style);
        let limit = (width.max(0.0) / m.scale(style.size)) as u32;
        if m.units_of(text) <= limit {
            return text.to_string();
        }
        let room = limit.saturating_sub(m.units('…'));
        let (mut out, mut used) = (String::new(), 0u32);
        for c in text.chars() {
            used = used.saturating_add(m.units(c));
            if used > room {
                break;
            }
            out.push(c);
        }
        out.push('…');
        out
    }

    /// A bookmark to the current page; outline entries are sorted by page and then by name
    /// (printpdf's rule), so section titles carry their letter.
    pub fn bookmark(&mut self, name: &str) {
        let name = self.clean(name);
        self.bookmarks.push((name, self.page_number()));
    }

    /// A section heading, with a rule under it and a bookmark. Never left alone at the foot
    /// of a page.
    pub fn heading(&mut self, text: &str) {
        self.ensure(22.0);
        if self.y < TOP {
            self.gap(5.0);
        }
        let style = Style::bold(15.0);
        self.y -= style.line_height();
        let text = self.clean(text);
        let y = self.y;
        self.put(style, LEFT, y, text.clone());
        self.mark(Mark::Rule { x1: LEFT, x2: LEFT + WIDTH, y: y - 2.2, grey: -1.0, width: 0.8 });
        self.bookmarks.push((text, self.page_number()));
        self.y -= 6.0;
    }

    /// A smaller heading inside a section.
    pub fn subheading(&mut self, text: &str) {
        self.ensure(16.0);
        self.gap(2.0);
        let style = Style::bold(11.5);
        self.lines(text, style, LEFT, WIDTH);
        self.gap(1.0);
    }

    /// Wrapped text at `x`, `width` wide, going over pages as it must.
    pub fn lines(&mut self, text: &str, style: Style, x: f32, width: f32) {
        let lh = style.line_height();
        for line in self.wrap(text, style, width) {
            self.ensure(lh);
            self.y -= lh;
            let y = self.y;
            self.put(style, x, y + lh * 0.22, line);
        }
    }

    pub fn paragraph(&mut self, text: &str) {
        self.lines(text, Style::regular(10.5), LEFT, WIDTH);
        self.gap(2.0);
    }

    pub fn paragraph_styled(&mut self, text: &str, style: Style) {
        self.lines(text, style, LEFT, WIDTH);
        self.gap(style.size * 0.25);
    }

    /// Label and value pairs, as a two-column table with no header.
    pub fn facts(&mut self, facts: &[(&str, String)]) {
        let rows: Vec<Vec<String>> = facts.iter().map(|(k, v)| vec![(*k).to_string(), v.clone()]).collect();
        self.table_inner(None, &[0.32, 0.68], &rows, true);
    }

    /// A table. `widths` are fractions of the text width; the header row repeats on every
    /// page the table runs onto, and so it does when one tall row goes over a page.
    pub fn table(&mut self, header: &[&str], widths: &[f32], rows: &[Vec<String>]) {
        let header: Vec<String> = header.iter().map(|s| (*s).to_string()).collect();
        self.table_inner(Some(&header), widths, rows, false);
    }

    fn table_inner(&mut self, header: Option<&[String]>, widths: &[f32], rows: &[Vec<String>], label_column: bool) {
        let style = Style::regular(9.5);
        let head_style = Style::bold(9.5);
        let lh = style.line_height();
        let cols: Vec<f32> = widths.iter().map(|w| w * WIDTH).collect();
        let wrap_row = |doc: &Document, cells: &[String], head: bool| -> Vec<Vec<String>> {
            cols.iter()
                .enumerate()
                .map(|(i, w)| {
                    let cell = cells.get(i).map(String::as_str).unwrap_or("");
                    let st = if head || (label_column && i == 0) { head_style } else { style };
                    doc.wrap(cell, st, w - 2.0 * CELL_PAD)
                })
                .collect()
        };
        let header_lines = header.map(|h| wrap_row(self, h, true));
        let header_height = header_lines.as_ref().map_or(0.0, |l| l.iter().map(Vec::len).max().unwrap_or(1) as f32 * lh + 2.0 * CELL_PAD);
        let draw_header = |doc: &mut Document| {
            if let Some(lines) = &header_lines {
                doc.draw_row(&cols, lines, 0, usize::MAX, true, label_column, header_height, lh);
            }
        };
        // Keep the header with the whole first row (or as much of it as a page holds).
        let first = rows.first().map_or(1, |r| wrap_row(self, r, false).iter().map(Vec::len).max().unwrap_or(1));
        self.ensure((header_height + first as f32 * lh + 2.0 * CELL_PAD).min(TOP - BOTTOM));
        draw_header(self);
        for row in rows {
            let lines = wrap_row(self, row, false);
            let tallest = lines.iter().map(Vec::len).max().unwrap_or(1).max(1);
            let mut from = 0;
            // Set once a row has moved to a fresh page: it is never moved again, so the loop
            // always progresses.
            let mut moved = false;
            while from < tallest {
                let fits = ((self.room() - 2.0 * CELL_PAD) / lh).floor().max(0.0) as usize;
                // Move a row to the next page whole when it would fit there, or when
                // nothing of it fits here.
                let whole_page = ((TOP - BOTTOM - header_height - 2.0 * CELL_PAD) / lh).floor() as usize;
                if !moved && (fits == 0 || (fits < tallest - from && tallest - from <= whole_page)) {
                    self.new_page();
                    draw_header(self);
                    moved = true;
                    continue;
                }
                moved = false;
                let to = tallest.min(from + fits.max(1));
                let height = (to - from) as f32 * lh + 2.0 * CELL_PAD;
                self.draw_row(&cols, &lines, from, to, false, label_column, height, lh);
                from = to;
            }
        }
        self.gap(4.0);
    }

    #[allow(clippy::too_many_arguments)]
    fn draw_row(&mut self, cols: &[f32], lines: &[Vec<String>], from: usize, to: usize, head: bool, label_column: bool, height: f32, lh: f32) {
        let top = self.y;
        let mut x = LEFT;
        let fill = if head { Some((0.87, 0.91, 0.96)) } else { None };
        for (i, w) in cols.iter().enumerate() {
            let label = label_column && i == 0;
            let cell_fill = fill.or(if label { Some((0.95, 0.95, 0.95)) } else { None });
            self.mark(Mark::Box { x, y: top - height, w: *w, h: height, fill: cell_fill, stroke: true });
            let style = if head || label { Style::bold(9.5) } else { Style::regular(9.5) };
            let cell = &lines[i];
            let end = to.min(cell.len());
            for (n, line) in cell.iter().enumerate().take(end).skip(from) {
                let y = top - CELL_PAD - (n - from + 1) as f32 * lh + lh * 0.25;
                self.put(style, x + CELL_PAD, y, line.clone());
            }
            x += w;
        }
        self.y -= height;
    }

    /// A filled band with text on it (the cover's title block, a status banner).
    pub fn banner(&mut self, text: &str, style: Style, fill: (f32, f32, f32)) {
        let lines = self.wrap(text, style, WIDTH - 8.0);
        let lh = style.line_height();
        let h = lines.len() as f32 * lh + 6.0;
        self.ensure(h);
        let top = self.y;
        self.mark(Mark::Box { x: LEFT, y: top - h, w: WIDTH, h, fill: Some(fill), stroke: false });
        for (n, line) in lines.into_iter().enumerate() {
            self.put(style, LEFT + 4.0, top - 3.0 - (n + 1) as f32 * lh + lh * 0.25, line);
        }
        self.y -= h + 3.0;
    }

    /// A horizontal bar chart drawn as vector shapes: one row per category, one bar per
    /// series, the value at the end of each bar, and "c" where a value is not shown.
    pub fn bar_chart(&mut self, chart: &BarChart) {
        let label_w = 52.0;
        let value_w = 14.0;
        let bar_h = 3.6;
        let small = Style::regular(8.5);
        let lh = small.line_height();
        let row_h = |label: &str, this: &Document| -> f32 {
            let lines = this.wrap(label, small, label_w - 2.0).len().max(1) as f32;
            (lines * lh).max(chart.series.len() as f32 * (bar_h + 0.8)) + 2.0
        };
        // The whole chart stays on one page where it fits; otherwise the title, the legend
        // and the first row stay together.
        let first = chart.rows.first().map_or(0.0, |(l, _)| row_h(l, self));
        let all: f32 = chart.rows.iter().map(|(l, _)| row_h(l, self)).sum();
        let head = Style::bold(10.0).line_height() + lh + 4.0;
        self.ensure(if head + all < TOP - BOTTOM { head + all + 3.0 } else { head + first });
        self.paragraph_styled(&chart.title, Style::bold(10.0));
        let mut x = LEFT + label_w;
        for (name, colour) in &chart.series {
            let top = self.y;
            self.mark(Mark::Box { x, y: top - 3.2, w: 3.2, h: 3.2, fill: Some(*colour), stroke: false });
            let name = self.fit(&self.clean(name), small, (WIDTH - label_w) / chart.series.len().max(1) as f32 - 10.0);
            let w = self.width_of(&name, small);
            self.put(small, x + 4.5, top - 2.9, name);
            x += w + 10.0;
        }
        self.y -= lh + 2.0;
        let scale_w = WIDTH - label_w - value_w;
        let max = chart.max.max(1e-9);
        for (label, values) in &chart.rows {
            let h = row_h(label, self);
            self.ensure(h);
            let top = self.y;
            for (n, line) in self.wrap(label, small, label_w - 2.0).into_iter().enumerate() {
                self.put(small, LEFT, top - (n + 1) as f32 * lh + lh * 0.25, line);
            }
            for (i, ((_, colour), value)) in chart.series.iter().zip(values).enumerate() {
                let y = top - (i as f32 + 1.0) * (bar_h + 0.8);
                let (w, text) = match value {
                    Some(v) => ((*v / max) as f32 * scale_w, format!("{}{}", number(*v), chart.unit)),
                    None => (0.0, "c".to_string()),
                };
                if w > 0.0 {
                    self.mark(Mark::Box { x: LEFT + label_w, y, w, h: bar_h, fill: Some(*colour), stroke: false });
                }
                self.put(small, LEFT + label_w + w + 1.2, y + 0.7, text);
            }
            // The axis the bars grow from.
            self.mark(Mark::Box { x: LEFT + label_w - 0.3, y: top - h + 1.0, w: 0.3, h: h - 1.0, fill: Some((0.55, 0.55, 0.55)), stroke: false });
            self.y -= h;
        }
        self.y -= 3.0;
    }

    /// Text placed on an earlier page (the contents, filled in once pages are known).
    pub fn text_on(&mut self, page: usize, style: Style, x: f32, mm_from_top: f32, text: &str) {
        let text = self.clean(text);
        self.mark_on(page, Mark::Text { style, x, y: PAGE_H - mm_from_top, text });
    }

    /// A dotted leader line on an earlier page.
    pub fn rule_on(&mut self, page: usize, x1: f32, x2: f32, mm_from_top: f32) {
        self.mark_on(page, Mark::Rule { x1, x2, y: PAGE_H - mm_from_top, grey: 0.75, width: 0.3 });
    }

    pub fn bookmarks(&self) -> &[(String, usize)] {
        &self.bookmarks
    }

    /// Lays out the running header and footer and writes the PDF.
    pub fn finish(mut self) -> Result<Vec<u8>> {
        self.running_header_and_footer();
        self.write()
    }

    /// Puts the running header (from page 2) and the footer on every page.
    fn running_header_and_footer(&mut self) {
        let total = self.pages.len();
        let small = Style::regular(8.5);
        let head = Style::bold(8.5);
        // The running header and footer have a line each: what does not fit is cut short.
        let (l, r) = self.header.clone();
        let r = self.fit(&r, head, WIDTH * 0.6);
        let l = self.fit(&l, head, WIDTH - self.width_of(&r, head) - 6.0);
        let widest_footer = self.width_of(&format!("Page {total} of {total}"), small);
        let left = self.fit(&self.footer_left, small, WIDTH - widest_footer - 6.0);
        for page in 1..=total {
            let footer = format!("Page {page} of {total}");
            let x = PAGE_W - MARGIN - self.width_of(&footer, small);
            self.mark_on(page, Mark::Text { style: small, x, y: MARGIN - 4.0, text: footer });
            self.mark_on(page, Mark::Text { style: small, x: LEFT, y: MARGIN - 4.0, text: left.clone() });
            if page > 1 {
                let (l, r) = (l.clone(), r.clone());
                let rx = PAGE_W - MARGIN - self.width_of(&r, head);
                self.mark_on(page, Mark::Text { style: head, x: LEFT, y: PAGE_H - MARGIN + 1.0, text: l });
                self.mark_on(page, Mark::Text { style: head, x: rx, y: PAGE_H - MARGIN + 1.0, text: r });
                self.mark_on(page, Mark::Rule { x1: LEFT, x2: PAGE_W - MARGIN, y: PAGE_H - MARGIN - 1.5, grey: 0.6, width: 0.4 });
            }
        }
    }

    fn write(self) -> Result<Vec<u8>> {
        // Subset each face to the glyphs this document uses.
        let mut used: [BTreeSet<char>; 2] = [BTreeSet::new(), BTreeSet::new()];
        for mark in self.pages.iter().flatten() {
            if let Mark::Text { style, text, .. } = mark {
                used[usize::from(style.bold)].extend(text.chars());
            }
        }
        let mut doc = PdfDocument::new(&self.title);
        let stamp = printpdf::OffsetDateTime {
            date: printpdf::Date { year: self.date.year(), month: self.date.month() as u8, day: self.date.day() as u8 },
            time: printpdf::Time { hour: 12, minute: 0, second: 0, millisecond: 0 },
            offset: printpdf::Offset { hours: 0, minutes: 0, seconds: 0, milliseconds: 0 },
        };
        doc.metadata.info.creation_date = stamp;
        doc.metadata.info.modification_date = stamp;
        doc.metadata.info.metadata_date = stamp;
        doc.metadata.info.author = "SENCO Toolkit".into();
        doc.metadata.info.creator = "SENCO Toolkit".into();
        doc.metadata.info.producer = format!("SENCO Toolkit {}", env!("CARGO_PKG_VERSION"));
        doc.metadata.info.identifier = String::new();
        let ids = [FontId("F1".into()), FontId("F2".into())];
        for (n, (bytes, chars)) in [(REGULAR, &used[0]), (BOLD, &used[1])].into_iter().enumerate() {
            let font = subset(bytes, chars)?;
            doc.resources.fonts.map.insert(ids[n].clone(), PdfFont::new(font));
        }
        for (n, (name, page)) in self.bookmarks.iter().enumerate() {
            doc.bookmarks.map.insert(PageAnnotId(format!("B{n:04}")), PageAnnotation { name: name.clone(), page: *page });
        }
        let pages: Vec<PdfPage> = self.pages.into_iter().map(|marks| PdfPage::new(Mm(PAGE_W), Mm(PAGE_H), ops(marks, &ids))).collect();
        let mut warnings = Vec::new();
        // printpdf compresses at zlib's slowest level, which took most of a pack's time; the
        // streams are compressed here at the default level instead (a few per cent larger).
        let mut lo = doc.with_pages(pages).to_lopdf_document(&PdfSaveOptions { subset_fonts: false, optimize: false, ..PdfSaveOptions::default() }, &mut warnings);
        for object in lo.objects.values_mut() {
            if let lopdf::Object::Stream(stream) = object {
                if stream.dict.get(b"Filter").is_err() {
                    let mut encoder = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
                    std::io::Write::write_all(&mut encoder, &stream.content).map_err(|e| Error::Refused(format!("the PDF could not be compressed: {e}")))?;
                    let packed = encoder.finish().map_err(|e| Error::Refused(format!("the PDF could not be compressed: {e}")))?;
                    if packed.len() + 19 < stream.content.len() {
                        stream.dict.set("Filter", "FlateDecode");
                        stream.set_content(packed);
                    }
                }
            }
        }
        let mut bytes = Vec::new();
        lo.save_to(&mut bytes).map_err(|e| Error::Refused(format!("the PDF could not be written: {e}")))?;
        Ok(fixed_id(bytes))
    }
}

fn colour(rgb: (f32, f32, f32)) -> Color {
    Color::Rgb(Rgb::new(rgb.0, rgb.1, rgb.2, None))
}

fn ops(marks: Vec<Mark>, ids: &[FontId; 2]) -> Vec<Op> {
    let mut ops = Vec::with_capacity(marks.len() * 4);
    // The fill colour and font last set on this page, so each is set only when it changes.
    let mut black = false;
    let mut font: Option<(bool, f32)> = None;
    for mark in marks {
        match mark {
            Mark::Text { style, x, y, text } => {
                ops.push(Op::StartTextSection);
                if !black {
                    ops.push(Op::SetFillColor { col: Color::Greyscale(Greyscale::new(0.0, None)) });
                    black = true;
                }
                if font != Some((style.bold, style.size)) {
                    ops.push(Op::SetFont { font: PdfFontHandle::External(ids[usize::from(style.bold)].clone()), size: Pt(style.size) });
                    font = Some((style.bold, style.size));
                }
                ops.extend([Op::SetTextCursor { pos: Point::new(Mm(x), Mm(y)) }, Op::ShowText { items: vec![TextItem::Text(text)] }, Op::EndTextSection]);
            }
            Mark::Rule { x1, x2, y, grey, width } => ops.extend([
                Op::SetOutlineColor { col: if grey < 0.0 { colour((0.16, 0.33, 0.58)) } else { Color::Greyscale(Greyscale::new(grey, None)) } },
                Op::SetOutlineThickness { pt: Pt(width) },
                Op::DrawLine {
                    line: Line {
                        points: vec![LinePoint { p: Point::new(Mm(x1), Mm(y)), bezier: false }, LinePoint { p: Point::new(Mm(x2), Mm(y)), bezier: false }],
                        is_closed: false,
                    },
                },
            ]),
            Mark::Box { x, y, w, h, fill, stroke } => {
                if let Some(rgb) = fill {
                    black = false;
                    ops.extend([
                        Op::SetFillColor { col: colour(rgb) },
                        Op::DrawRectangle { rectangle: Rect { mode: Some(PaintMode::Fill), ..Rect::from_xywh(Mm(x).into(), Mm(y).into(), Mm(w).into(), Mm(h).into()) } },
                    ]);
                }
                if stroke {
                    ops.extend([
                        Op::SetOutlineColor { col: Color::Greyscale(Greyscale::new(0.55, None)) },
                        Op::SetOutlineThickness { pt: Pt(0.4) },
                        Op::DrawRectangle { rectangle: Rect { mode: Some(PaintMode::Stroke), ..Rect::from_xywh(Mm(x).into(), Mm(y).into(), Mm(w).into(), Mm(h).into()) } },
                    ]);
                }
            }
        }
    }
    ops
}

/// The font cut down to the glyphs for `chars` (and glyph 0), with its Unicode cmap kept so
/// text can still be searched and copied.
fn subset(bytes: &[u8], chars: &BTreeSet<char>) -> Result<ParsedFont> {
    use allsorts::binary::read::ReadScope;
    use allsorts::font_data::FontData;
    use allsorts::subset::{CmapTarget, SubsetProfile};
    let broken = |what: &str| Error::Refused(format!("the shipped font could not be {what}"));
    let full = Metrics::load(bytes)?;
    let glyphs: BTreeMap<u16, ()> = chars.iter().filter_map(|c| full.font.lookup_glyph_index(*c as u32)).filter(|g| *g != 0).map(|g| (g, ())).collect();
    let ids: Vec<u16> = std::iter::once(0).chain(glyphs.keys().copied()).collect();
    let data = ReadScope::new(bytes).read::<FontData<'_>>().map_err(|_| broken("read"))?;
    let provider = data.table_provider(0).map_err(|_| broken("read"))?;
    let cut = allsorts::subset::subset(&provider, &ids, &SubsetProfile::Pdf, CmapTarget::Unicode).map_err(|_| broken("subset"))?;
    ParsedFont::from_bytes(&cut, 0, &mut Vec::new()).ok_or_else(|| broken("subset"))
}

/// Replaces printpdf's per-process document ID with one made from the document itself.
/// The ID strings keep their length, so the cross-reference offsets stay right.
fn fixed_id(mut bytes: Vec<u8>) -> Vec<u8> {
    use sha2::{Digest, Sha256};
    let Some(at) = bytes.windows(4).rposition(|w| w == b"/ID[" || w == b"/ID ") else { return bytes };
    let Some(open) = bytes[at..].iter().position(|b| *b == b'[').map(|p| at + p) else { return bytes };
    let Some(close) = bytes[open..].iter().position(|b| *b == b']').map(|p| open + p) else { return bytes };
    // Blank the IDs, hash the whole file, then write the hash in (hex, 32 characters each).
    let spans: Vec<(usize, usize)> = {
        let mut spans = Vec::new();
        let mut i = open;
        while i < close {
            if bytes[i] == b'(' {
                let end = bytes[i..close].iter().position(|b| *b == b')').map_or(close, |p| i + p);
                spans.push((i + 1, end));
                i = end;
            }
            i += 1;
        }
        spans
    };
    for (a, b) in &spans {
        bytes[*a..*b].fill(b'0');
    }
    let digest = Sha256::digest(&bytes);
    let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
    for (a, b) in spans {
        let hex = hex.as_bytes();
        for (n, slot) in bytes[a..b].iter_mut().enumerate() {
            *slot = hex[n % hex.len()];
        }
    }
    bytes
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc() -> Document {
        Document::new("Test", ("OFFICIAL-SENSITIVE", "Ada Example"), "Test School", NaiveDate::from_ymd_opt(2026, 11, 26).unwrap()).unwrap()
    }

    #[test]
    fn a_word_wider_than_its_column_is_broken_and_nothing_is_lost() {
        let d = doc();
        let word = "x".repeat(400);
        let lines = d.wrap(&word, Style::regular(10.0), 40.0);
        assert!(lines.len() > 5);
        assert_eq!(lines.concat(), word);
        for line in &lines {
            assert!(d.width_of(line, Style::regular(10.0)) <= 40.0, "{line}");
        }
    }

    #[test]
    fn a_word_of_three_million_characters_lays_out_without_overflow_and_stays_on_the_page() {
        // Andika's W is about 1,900 units wide: three million of them overflowed a u32 sum.
        let word = "W".repeat(3_000_000);
        let mut d = Document::new("Test", ("OFFICIAL-SENSITIVE", &word), &word, NaiveDate::from_ymd_opt(2026, 11, 26).unwrap()).unwrap();
        let style = Style::regular(10.0);
        assert!(d.width_of(&word, style) > PAGE_W, "the width saturates, it does not wrap round");
        let lines = d.wrap(&word, style, 40.0);
        assert_eq!(lines.iter().map(|l| l.len()).sum::<usize>(), word.len(), "nothing is lost");
        assert!(lines.iter().all(|l| d.width_of(l, style) <= 40.0));
        d.paragraph("First page");
        d.new_page();
        d.bar_chart(&BarChart { title: word[..5000].into(), unit: "%".into(), series: vec![(word[..5000].into(), (0.2, 0.4, 0.6)); 3], rows: vec![(word[..5000].into(), vec![Some(1.0); 3])], max: 1.0 });
        d.running_header_and_footer();
        for mark in d.pages.iter().flatten() {
            if let Mark::Text { style, x, text, .. } = mark {
                let right = x + d.width_of(text, *style);
                assert!(*x >= LEFT - 0.01 && right <= PAGE_W - MARGIN + 0.01, "{} characters from {x} to {right} mm", text.chars().count());
            }
        }
    }

    #[test]
    fn control_and_direction_characters_never_reach_the_page() {
        let d = doc();
        let lines = d.wrap("a\u{202E}b\u{0007}c\u{2066}d", Style::regular(10.0), 100.0);
        assert_eq!(lines, vec!["abcd".to_string()]);
        // A character the font cannot draw prints as a question mark, not an empty box.
        assert_eq!(d.wrap("語", Style::regular(10.0), 100.0), vec!["?".to_string()]);
    }

    #[test]
    fn the_same_document_gives_the_same_bytes_twice_in_one_process() {
        let build = || {
            let mut d = doc();
            d.heading("A. Section");
            d.paragraph("Some words £6,000 – café.");
            d.table(&["One", "Two"], &[0.5, 0.5], &[vec!["a".into(), "b".into()]]);
            d.finish().unwrap()
        };
        let (a, b) = (build(), build());
        assert!(a.starts_with(b"%PDF-"));
        assert_eq!(a, b);
    }

    #[test]
    fn a_long_table_goes_over_pages_and_a_huge_cell_is_split_not_cut() {
        let mut d = doc();
        let rows: Vec<Vec<String>> = (0..120).map(|i| vec![format!("row {i}"), "words ".repeat(i % 7 + 1)]).collect();
        d.table(&["Row", "Text"], &[0.3, 0.7], &rows);
        let huge = "long ".repeat(2_000);
        d.table(&["Field", "Value"], &[0.3, 0.7], &[vec!["huge".into(), huge]]);
        assert!(d.page_count() >= 6, "{} pages", d.page_count());
        // Every header row drawn is followed on its page by body text; every page of the
        // tables starts with the header.
        for page in &d.pages[1..] {
            let first = page.iter().find_map(|m| if let Mark::Text { style, text, .. } = m { Some((style.bold, text.clone())) } else { None });
            let (bold, text) = first.expect("text on each page");
            assert!(bold && (text == "Row" || text == "Field"), "page starts with {text}");
        }
        for mark in d.pages.iter().flatten() {
            if let Mark::Text { y, .. } = mark {
                assert!(*y >= BOTTOM - 1.0 && *y <= TOP, "text at {y} mm is outside the body");
            }
        }
    }
}
