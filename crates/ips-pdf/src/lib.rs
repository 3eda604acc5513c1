//! The PDF report: lays out a [`ReportModel`] on A4 pages, charts laid out by plotters and
//! drawn as vector graphics ([`charts`]), written as PDF/A-1b by [`canvas`]. A small flow
//! layout wraps text into cells and columns, breaks pages, repeats table headers, and stamps
//! every page with the footer, page numbers and, for a partial review, "Foreløpig". The
//! document carries its metadata (title, reviewers as author, creation time, language) and an
//! outline of its sections. The embedded DejaVu Sans covers æøå, dashes and bullets.

mod backend;
mod canvas;
mod charts;
mod packs;

pub use packs::{meeting_pack, prepare};

use canvas::{Face, Mark, Meta, OutlineEntry, PT_PER_MM, Rgb3};
use chrono::NaiveDate;

use ips_domain::evaluation::{Evaluation, ServiceInfo};
use ips_domain::report::{HeatMap, ReportModel, ReportTexts, build};
use ips_domain::service::ScaleSet;
use ips_text::text::Lang;

const FONT_REGULAR: &[u8] = include_bytes!("../../../assets/fonts/DejaVuSans.ttf");
const FONT_BOLD: &[u8] = include_bytes!("../../../assets/fonts/DejaVuSans-Bold.ttf");

const PAGE_W: f32 = 210.0;
const PAGE_H: f32 = 297.0;
const MARGIN_X: f32 = 20.0;
const TOP: f32 = PAGE_H - 22.0;
const BOTTOM: f32 = 20.0;
const CONTENT_W: f32 = PAGE_W - 2.0 * MARGIN_X;

#[derive(Debug, thiserror::Error)]
pub enum PdfError {
    #[error("{0}")]
    Texts(#[from] ips_domain::scale::DataFileError),
    #[error("unknown scale '{0}'")]
    UnknownScale(String),
    #[error("the embedded font could not be read")]
    Font,
    #[error("a chart could not be drawn: {0}")]
    Chart(String),
    #[error("the PDF could not be written: {0}")]
    Write(String),
}

const INK: Rgb3 = Rgb3(0.13, 0.13, 0.15);
const MUTED: Rgb3 = Rgb3(0.38, 0.38, 0.42);
const ACCENT: Rgb3 = Rgb3(0.08, 0.32, 0.55);
const RULE: Rgb3 = Rgb3(0.78, 0.80, 0.84);
const HEADER_FILL: Rgb3 = Rgb3(0.90, 0.93, 0.97);
const WARN: Rgb3 = Rgb3(0.75, 0.12, 0.12);

/// A table column: header and width in mm.
struct Col<'a> {
    header: &'a str,
    width: f32,
}

/// The flow layout: a cursor moving down the current page, pages as lists of marks.
struct Layout {
    regular: Face,
    bold: Face,
    pages: Vec<Vec<Mark>>,
    y: f32,
    /// The outline: each section's heading and where it is, in order.
    outline: Vec<OutlineEntry>,
}

impl Layout {
    fn new() -> Result<Layout, PdfError> {
        let regular = Face::new(FONT_REGULAR).ok_or(PdfError::Font)?;
        let bold = Face::new(FONT_BOLD).ok_or(PdfError::Font)?;
        Ok(Layout { regular, bold, pages: vec![Vec::new()], y: TOP, outline: Vec::new() })
    }

    fn ops(&mut self) -> &mut Vec<Mark> {
        // `pages` always holds at least one page.
        let last = self.pages.len() - 1;
        &mut self.pages[last]
    }

    fn new_page(&mut self) {
        self.pages.push(Vec::new());
        self.y = TOP;
    }

    /// Starts a new page unless `h` mm still fit on this one.
    fn ensure(&mut self, h: f32) {
        if self.y - h < BOTTOM {
            self.new_page();
        }
    }

    fn face(&self, bold: bool) -> &Face {
        if bold { &self.bold } else { &self.regular }
    }

    /// Draws one line of text with its baseline at (x, y) mm.
    fn text_at(&mut self, x: f32, y: f32, text: &str, size: f32, bold: bool, c: Rgb3) {
        text_op(self.ops(), x, y, text, size, bold, c);
    }

    fn rect(&mut self, x: f32, y: f32, w: f32, h: f32, fill: Rgb3) {
        let points = vec![(x, y), (x + w, y), (x + w, y + h), (x, y + h)];
        self.ops().push(Mark::Fill { points, color: fill });
    }

    fn hline(&mut self, x0: f32, x1: f32, y: f32, c: Rgb3, thickness: f32) {
        hline_op(self.ops(), x0, x1, y, c, thickness);
    }

    /// Splits `text` into lines no wider than `width` mm, between words only where a line
    /// may break ([`breakable_words`]); words longer than a line are
    /// broken between characters. Paragraph breaks in the text are kept.
    fn wrap(&self, text: &str, size: f32, bold: bool, width: f32) -> Vec<String> {
        let face = self.face(bold);
        let mut lines = Vec::new();
        for para in text.split('\n') {
            let mut line = String::new();
            for word in breakable_words(para) {
                let candidate = if line.is_empty() { word.to_string() } else { format!("{line} {word}") };
                if face.width(&candidate, size) <= width {
                    line = candidate;
                    continue;
                }
                if !line.is_empty() {
                    lines.push(std::mem::take(&mut line));
                }
                if face.width(word, size) <= width {
                    line = word.to_string();
                } else {
                    for ch in word.chars() {
                        let mut next = line.clone();
                        next.push(ch);
                        if face.width(&next, size) > width && !line.is_empty() {
                            lines.push(std::mem::take(&mut line));
                            line.push(ch);
                        } else {
                            line = next;
                        }
                    }
                }
            }
            lines.push(line);
        }
        lines
    }

    fn line_height(size: f32) -> f32 {
        size * 1.35 / PT_PER_MM
    }

    /// A wrapped paragraph at the cursor, flowing onto new pages.
    fn paragraph(&mut self, text: &str, size: f32, bold: bool, c: Rgb3, indent: f32) {
        let lh = Self::line_height(size);
        for line in self.wrap(text, size, bold, CONTENT_W - indent) {
            self.ensure(lh);
            self.y -= lh;
            self.text_at(MARGIN_X + indent, self.y + lh * 0.25, &line, size, bold, c);
        }
    }

    fn bullet(&mut self, text: &str, size: f32) {
        let lh = Self::line_height(size);
        let lines = self.wrap(text, size, false, CONTENT_W - 6.0);
        for (i, line) in lines.iter().enumerate() {
            self.ensure(lh);
            self.y -= lh;
            if i == 0 {
                self.text_at(MARGIN_X + 1.5, self.y + lh * 0.25, "•", size, false, ACCENT);
            }
            self.text_at(MARGIN_X + 6.0, self.y + lh * 0.25, line, size, false, INK);
        }
    }

    fn space(&mut self, mm: f32) {
        self.y -= mm;
    }

    fn heading(&mut self, text: &str) {
        // Keep a heading with at least a few lines of what follows.
        self.ensure(30.0);
        self.outline.push(OutlineEntry { title: text.to_string(), page: self.pages.len() - 1, y: self.y });
        self.space(5.0);
        self.paragraph(text, 15.0, true, ACCENT, 0.0);
        self.space(1.0);
        self.hline(MARGIN_X, MARGIN_X + CONTENT_W, self.y, RULE, 0.8);
        self.space(3.0);
    }

    fn subheading(&mut self, text: &str) {
        self.ensure(18.0);
        self.space(2.5);
        self.paragraph(text, 11.5, true, INK, 0.0);
        self.space(1.0);
    }

    /// A table whose cells wrap; rows that do not fit continue on the next page, under a
    /// repeated header.
    fn table(&mut self, cols: &[Col<'_>], rows: &[Vec<String>], size: f32) {
        let lh = Self::line_height(size);
        let pad = 1.4;
        let header_lines: Vec<Vec<String>> =
            cols.iter().map(|c| self.wrap(c.header, size, true, c.width - 2.0 * pad)).collect();
        let header_h = header_lines.iter().map(Vec::len).max().unwrap_or(1) as f32 * lh + 2.0 * pad;
        let draw_header = |l: &mut Layout| {
            let top = l.y;
            l.rect(MARGIN_X, top - header_h, CONTENT_W, header_h, HEADER_FILL);
            let mut x = MARGIN_X;
            for (c, lines) in cols.iter().zip(&header_lines) {
                for (i, line) in lines.iter().enumerate() {
                    l.text_at(x + pad, top - pad - lh * (i as f32 + 1.0) + lh * 0.25, line, size, true, INK);
                }
                x += c.width;
            }
            l.y -= header_h;
        };
        self.ensure(header_h + lh + 2.0 * pad);
        draw_header(self);
        for row in rows {
            let cells: Vec<Vec<String>> =
                cols.iter().zip(row).map(|(c, text)| self.wrap(text, size, false, c.width - 2.0 * pad)).collect();
            let n_lines = cells.iter().map(Vec::len).max().unwrap_or(1).max(1);
            let mut done = 0;
            while done < n_lines {
                let room = ((self.y - BOTTOM - 2.0 * pad) / lh).floor().max(0.0) as usize;
                if room == 0 || (done == 0 && room < n_lines.min(3)) {
                    self.new_page();
                    draw_header(self);
                    continue;
                }
                let take = room.min(n_lines - done);
                let top = self.y;
                let mut x = MARGIN_X;
                for (c, lines) in cols.iter().zip(&cells) {
                    for (i, line) in lines.iter().skip(done).take(take).enumerate() {
                        self.text_at(x + pad, top - pad - lh * (i as f32 + 1.0) + lh * 0.25, line, size, false, INK);
                    }
                    x += c.width;
                }
                self.y -= take as f32 * lh + 2.0 * pad;
                self.hline(MARGIN_X, MARGIN_X + CONTENT_W, self.y, RULE, 0.4);
                done += take;
                if done < n_lines {
                    self.new_page();
                    draw_header(self);
                }
            }
        }
    }

    /// A subheading and a chart `height` mm high kept together on one page; `draw`
    /// gets the chart's lower-left corner and returns its vector operations.
    fn titled_chart(
        &mut self,
        title: &str,
        height: f32,
        draw: impl FnOnce(&Face, (f32, f32)) -> Result<Vec<Mark>, String>,
    ) -> Result<(), PdfError> {
        self.ensure(height + 14.0);
        self.subheading(title);
        self.y -= height;
        let ops = draw(&self.regular, (MARGIN_X, self.y)).map_err(PdfError::Chart)?;
        self.ops().extend(ops);
        self.space(2.0);
        Ok(())
    }

    /// The item heat map: items down, reviews across (the latest `MAX_COLUMNS`), each cell
    /// coloured by its score and showing it as a number.
    fn heat_map(&mut self, map: &HeatMap, item_word: &str, self_mark: &str, dash: &str) {
        const MAX_COLUMNS: usize = 8;
        let skip = map.columns.len().saturating_sub(MAX_COLUMNS);
        let columns = &map.columns[skip..];
        if columns.is_empty() {
            return;
        }
        let size = 7.5;
        let row_h = 5.2;
        let cell_w = (CONTENT_W - 62.0) / columns.len().max(4) as f32;
        let name_w = CONTENT_W - cell_w * columns.len() as f32;
        let header_h = 9.0;
        let draw_header = |l: &mut Layout| {
            let top = l.y;
            l.rect(MARGIN_X, top - header_h, CONTENT_W, header_h, HEADER_FILL);
            l.text_at(MARGIN_X + 1.4, top - header_h + 3.0, item_word, size, true, INK);
            for (k, c) in columns.iter().enumerate() {
                let x = MARGIN_X + name_w + cell_w * k as f32;
                let label = if c.self_assessment { format!("{} ({self_mark})", c.label) } else { c.label.clone() };
                // Long labels go on two lines: the date, then the mark.
                let lines: Vec<String> = if l.face(c.current).width(&label, size - 0.5) <= cell_w - 1.0 {
                    vec![label]
                } else {
                    let mut v = vec![c.label.clone()];
                    if c.self_assessment {
                        v.push(format!("({self_mark})"));
                    }
                    v
                };
                for (i, line) in lines.iter().rev().enumerate() {
                    let w = l.face(c.current).width(line, size - 0.5);
                    let y = top - header_h + 3.0 + i as f32 * 3.3;
                    l.text_at(x + (cell_w - w) / 2.0, y, line, size - 0.5, c.current, INK);
                }
            }
            l.y -= header_h;
        };
        self.ensure(header_h + row_h * 4.0);
        draw_header(self);
        for row in &map.rows {
            if self.y - row_h < BOTTOM {
                self.new_page();
                draw_header(self);
            }
            let top = self.y;
            let name = self.regular.fit(&format!("{} {}", row.id, row.name), size, name_w - 2.0);
            self.text_at(MARGIN_X + 1.4, top - row_h + 1.6, &name, size, false, INK);
            for (k, cell) in row.cells[skip..].iter().enumerate() {
                let x = MARGIN_X + name_w + cell_w * k as f32;
                if let Some(v) = cell {
                    self.rect(x + 0.3, top - row_h + 0.3, cell_w - 0.6, row_h - 0.6, score_fill(*v, map));
                }
                let text = cell.map_or(dash.to_string(), |v| v.to_string());
                let bold = columns[k].current;
                let w = self.face(bold).width(&text, size + 0.5);
                self.text_at(x + (cell_w - w) / 2.0, top - row_h + 1.6, &text, size + 0.5, bold, INK);
            }
            self.y -= row_h;
        }
        self.space(2.0);
    }

    /// The services × items heat map of a summary: one row per service (its latest complete
    /// review), one narrow column per item, the score in every cell.
    fn service_heat_map(&mut self, sum: &ips_domain::summary::Summary, service_word: &str, dash: &str) {
        let n = sum.items.len().max(1);
        let size = 6.5;
        let row_h = 4.6;
        let name_w = 46.0;
        let cell_w = (CONTENT_W - name_w) / n as f32;
        let header_h = 6.0;
        let draw_header = |l: &mut Layout| {
            let top = l.y;
            l.rect(MARGIN_X, top - header_h, CONTENT_W, header_h, HEADER_FILL);
            l.text_at(MARGIN_X + 1.0, top - header_h + 2.0, service_word, size, true, INK);
            for (k, i) in sum.items.iter().enumerate() {
                let x = MARGIN_X + name_w + cell_w * k as f32;
                let w = l.bold.width(&i.id, size - 1.0);
                l.text_at(x + (cell_w - w) / 2.0, top - header_h + 2.0, &i.id, size - 1.0, true, INK);
            }
            l.y -= header_h;
        };
        self.ensure(header_h + row_h * 4.0);
        draw_header(self);
        let map = HeatMap { score_min: sum.score_min, score_max: sum.score_max, ..HeatMap::default() };
        for row in &sum.rows {
            if self.y - row_h < BOTTOM {
                self.new_page();
                draw_header(self);
            }
            let top = self.y;
            let name = self.regular.fit(&row.name, size, name_w - 2.0);
            self.text_at(MARGIN_X + 1.0, top - row_h + 1.4, &name, size, false, INK);
            for (k, cell) in row.scores.iter().enumerate() {
                let x = MARGIN_X + name_w + cell_w * k as f32;
                if let Some(v) = cell {
                    self.rect(x + 0.2, top - row_h + 0.2, cell_w - 0.4, row_h - 0.4, score_fill(*v, &map));
                }
                let text = cell.map_or(dash.to_string(), |v| v.to_string());
                let w = self.regular.width(&text, size);
                self.text_at(x + (cell_w - w) / 2.0, top - row_h + 1.4, &text, size, false, INK);
            }
            self.y -= row_h;
        }
        self.space(2.0);
    }

    /// Footer, page numbers and the preliminary mark on every page; then the PDF bytes with
    /// the metadata, the document language and the outline.
    fn finish(
        mut self,
        footer: &str,
        page_word: &str,
        of_word: &str,
        preliminary: Option<&str>,
        meta: &Meta,
    ) -> Result<Vec<u8>, PdfError> {
        let n = self.pages.len();
        for (i, ops) in self.pages.iter_mut().enumerate() {
            hline_op(ops, MARGIN_X, PAGE_W - MARGIN_X, 14.0, RULE, 0.5);
            text_op(ops, MARGIN_X, 9.5, footer, 8.5, false, MUTED);
            let num = format!("{page_word} {} {of_word} {n}", i + 1);
            let w = self.regular.width(&num, 8.5);
            text_op(ops, PAGE_W - MARGIN_X - w, 9.5, &num, 8.5, false, MUTED);
            if let Some(mark) = preliminary {
                let w = self.bold.width(mark, 11.0);
                text_op(ops, PAGE_W - MARGIN_X - w, PAGE_H - 12.0, mark, 11.0, true, WARN);
            }
        }
        canvas::write(&self.pages, (PAGE_W, PAGE_H), (&self.regular, &self.bold), meta, &self.outline)
    }
}

/// Builds the report model and renders it: the whole report for one evaluation with the
/// service's `history` (its other evaluations; may be empty).
pub fn report(
    scales: &ScaleSet,
    service: &ServiceInfo,
    evaluation: &Evaluation,
    history: &[&Evaluation],
    lang: Lang,
    today: NaiveDate,
) -> Result<Vec<u8>, PdfError> {
    let texts = ReportTexts::builtin(lang);
    let model = build(scales, service, evaluation, history, texts, today)
        .ok_or_else(|| PdfError::UnknownScale(evaluation.scale.clone()))?;
    render(&model)
}

pub use charts::Png;

/// The report's two charts (the total over time, the sections now and before) as pictures,
/// at the size the PDF draws them: the Word report shows the same charts.
pub fn chart_pictures(m: &ReportModel) -> Result<[Png; 2], PdfError> {
    let (total_h, sections_h) = (CONTENT_W * 0.42, CONTENT_W * 0.8 * 0.42);
    Ok([
        charts::total_chart_png(m, CONTENT_W, total_h).map_err(PdfError::Chart)?,
        charts::sections_chart_png(m, CONTENT_W * 0.8, sections_h).map_err(PdfError::Chart)?,
    ])
}

/// A heat-map cell's fill as RGB bytes (the PDF's and the Word report's one ramp).
pub fn heat_fill(score: u8, map: &HeatMap) -> [u8; 3] {
    let Rgb3(r, g, b) = score_fill(score, map);
    [r, g, b].map(|c| (c.clamp(0.0, 1.0) * 255.0).round() as u8)
}

/// Renders the report as PDF bytes.
pub fn render(m: &ReportModel) -> Result<Vec<u8>, PdfError> {
    let t = &m.texts;
    let mut l = Layout::new()?;

    // 1. Cover.
    l.space(18.0);
    l.paragraph(&m.title, 24.0, true, ACCENT, 0.0);
    l.space(2.0);
    l.paragraph(t.subtitle, 12.0, false, MUTED, 0.0);
    l.space(10.0);
    l.paragraph(&m.service, 20.0, true, INK, 0.0);
    l.space(6.0);
    for (label, value) in &m.cover {
        let lh = Layout::line_height(11.0);
        let lines = l.wrap(value, 11.0, false, CONTENT_W - 55.0);
        l.ensure(lh * lines.len() as f32);
        l.y -= lh;
        l.text_at(MARGIN_X, l.y + lh * 0.25, label, 11.0, true, MUTED);
        for (i, line) in lines.iter().enumerate() {
            if i > 0 {
                l.y -= lh;
            }
            l.text_at(MARGIN_X + 55.0, l.y + lh * 0.25, line, 11.0, false, INK);
        }
        l.space(1.5);
    }
    if m.preliminary {
        l.space(6.0);
        l.paragraph(t.preliminary_note, 11.0, true, WARN, 0.0);
    }
    for w in &m.warnings {
        l.space(4.0);
        l.paragraph(w, 11.0, true, WARN, 0.0);
    }

    // 2. Summary.
    l.heading(t.summary_heading);
    l.paragraph(&format!("{}: {} {} {}", t.total, m.total, t.of, m.max), 14.0, true, INK, 0.0);
    l.space(1.0);
    let band = m.band.clone().unwrap_or_else(|| t.no_band.to_string());
    l.paragraph(&format!("{}: {band}", t.band), 12.0, true, if m.band.is_some() { ACCENT } else { WARN }, 0.0);
    l.paragraph(&m.change_line, 11.0, false, INK, 0.0);
    l.space(3.0);
    let section_rows: Vec<Vec<String>> = m.sections.iter().map(|s| s.cells(t.dash)).collect();
    l.table(
        &[
            Col { header: t.section, width: 90.0 },
            Col { header: t.now, width: 40.0 },
            Col { header: t.previous, width: 40.0 },
        ],
        &section_rows,
        10.0,
    );
    if let Some((heading, lines)) = &m.next_band {
        l.subheading(t.next_band_heading);
        l.paragraph(heading, 10.5, false, INK, 0.0);
        if !lines.is_empty() {
            l.space(1.0);
            l.paragraph(&format!("{}:", t.closest_items), 10.5, false, MUTED, 0.0);
            for line in lines {
                l.bullet(line, 10.0);
            }
        }
    }

    // 3. Charts and the item heat map.
    let (total_h, sections_h) = (CONTENT_W * 0.42, CONTENT_W * 0.8 * 0.42);
    // The section heading stays with its first chart.
    l.ensure(total_h + 40.0);
    l.heading(t.charts_heading);
    l.titled_chart(t.chart_total, total_h, |face, origin| charts::total_chart(m, face, origin, CONTENT_W, total_h))?;
    l.titled_chart(t.chart_sections, sections_h, |face, origin| {
        charts::sections_chart(m, face, origin, CONTENT_W * 0.8, sections_h)
    })?;
    l.new_page();
    l.heading(t.heat_map_heading);
    l.paragraph(t.heat_map_note, 9.5, false, MUTED, 0.0);
    l.space(2.0);
    l.heat_map(&m.heat_map, t.item, t.heat_map_self, t.dash);

    // 4. All items.
    l.heading(t.items_heading);
    let item_rows: Vec<Vec<String>> = m
        .items
        .iter()
        .map(|r| {
            let mut cells = r.cells(t.dash);
            cells.push(short(&r.rationale, 320));
            cells
        })
        .collect();
    l.table(
        &[
            Col { header: t.item, width: 48.0 },
            Col { header: t.score, width: 13.0 },
            Col { header: t.previous, width: 19.0 },
            Col { header: t.change, width: 17.0 },
            Col { header: t.rationale, width: CONTENT_W - 97.0 },
        ],
        &item_rows,
        8.5,
    );

    // 5. Strengths and areas to improve.
    l.heading(t.strengths_heading);
    if m.strengths.is_empty() {
        l.paragraph(t.no_strengths, 10.5, false, MUTED, 0.0);
    } else {
        l.paragraph(t.strengths_intro, 10.5, false, INK, 0.0);
        for r in &m.strengths {
            l.bullet(&format!("{} {}", r.id, r.name), 10.0);
        }
    }
    l.heading(t.improve_heading);
    if m.improvements.is_empty() {
        l.paragraph(&m.no_improvements, 10.5, false, MUTED, 0.0);
    } else {
        l.paragraph(&m.improve_intro, 10.5, false, INK, 0.0);
        for r in &m.improvements {
            l.space(1.5);
            let score = r.score.map_or(t.dash.to_string(), |s| s.to_string());
            l.paragraph(&format!("{} {} ({} {score})", r.id, r.name, t.score.to_lowercase()), 10.5, true, INK, 0.0);
            let rec: &str = if r.recommendation.is_empty() { t.no_recommendation } else { &r.recommendation };
            l.paragraph(&format!("{}: {rec}", t.recommendation), 10.0, false, INK, 4.0);
        }
    }

    // 6. The previous plan's outcome, then this review's handlingsplan.
    if let Some((intro, rows)) = &m.previous_plan {
        l.heading(t.previous_plan_heading);
        l.paragraph(intro, 10.5, false, INK, 0.0);
        l.space(1.5);
        let rows: Vec<Vec<String>> =
            rows.iter().map(|r| vec![r.what.clone(), r.item.clone(), r.outcome.clone(), r.last_note.clone()]).collect();
        l.table(
            &[
                Col { header: t.action, width: 62.0 },
                Col { header: t.item, width: 16.0 },
                Col { header: t.outcome, width: 30.0 },
                Col { header: t.last_note, width: CONTENT_W - 108.0 },
            ],
            &rows,
            8.5,
        );
    }
    l.heading(t.plan_heading);
    if m.actions.is_empty() {
        l.paragraph(t.plan_empty, 10.5, false, MUTED, 0.0);
    } else {
        let rows: Vec<Vec<String>> = m
            .actions
            .iter()
            .map(|a| vec![a.what.clone(), a.item.clone(), a.owner.clone(), a.deadline.clone(), a.status.clone()])
            .collect();
        l.table(
            &[
                Col { header: t.action, width: 54.0 },
                Col { header: t.item, width: 38.0 },
                Col { header: t.owner, width: 30.0 },
                Col { header: t.deadline, width: 21.0 },
                Col { header: t.status, width: CONTENT_W - 143.0 },
            ],
            &rows,
            8.5,
        );
    }

    // 7. Schedule and steering group.
    l.heading(t.schedule_heading);
    for line in &m.schedule_lines {
        l.paragraph(line, 10.5, false, INK, 0.0);
    }
    l.subheading(t.steering_heading);
    for line in &m.steering_lines {
        l.paragraph(line, 10.5, false, INK, 0.0);
    }
    l.space(2.0);
    l.paragraph(t.agenda_heading, 10.5, true, INK, 0.0);
    for a in &m.agenda {
        l.bullet(a, 10.0);
    }

    // 8. The factual-accuracy round and the audit trail, on the last page.
    if !m.accuracy.is_empty() || !m.audit.is_empty() {
        l.new_page();
    }
    if !m.accuracy.is_empty() {
        l.heading(t.accuracy_heading);
        let rows: Vec<Vec<String>> = m
            .accuracy
            .iter()
            .map(|a| vec![a.item.clone(), a.comment.clone(), a.answer.clone(), a.why.clone()])
            .collect();
        l.table(
            &[
                Col { header: t.item, width: 14.0 },
                Col { header: t.comment, width: 68.0 },
                Col { header: t.answer, width: 32.0 },
                Col { header: t.reason, width: CONTENT_W - 114.0 },
            ],
            &rows,
            8.5,
        );
    }
    if !m.audit.is_empty() {
        l.heading(t.audit_heading);
        let rows: Vec<Vec<String>> =
            m.audit.iter().map(|a| vec![a.when.clone(), a.who.clone(), a.what.clone(), a.reason.clone()]).collect();
        l.table(
            &[
                Col { header: t.when, width: 30.0 },
                Col { header: t.who, width: 26.0 },
                Col { header: t.what, width: 54.0 },
                Col { header: t.reason, width: CONTENT_W - 110.0 },
            ],
            &rows,
            8.5,
        );
    }

    // 9. Footer and page numbers on every page; a draft says so on every page.
    let marks: Vec<&str> =
        [m.draft.then_some(t.draft_mark), m.preliminary.then_some(t.preliminary)].into_iter().flatten().collect();
    let mark_text = marks.join(" · ");
    let mark = (!marks.is_empty()).then_some(mark_text.as_str());
    let meta = Meta {
        title: format!("{} – {}", m.title, m.footer),
        authors: m.reviewers.clone(),
        subject: format!("{}: {}", t.subtitle, m.footer),
        created: now(),
        lang_tag: m.lang.tag(),
    };
    l.finish(&m.footer, t.page, t.page_of, mark, &meta)
}

/// The local time now with its offset, as the PDF's creation date.
fn now() -> chrono::DateTime<chrono::FixedOffset> {
    chrono::Local::now().fixed_offset()
}

/// A heat-map cell's fill: the app's red–yellow–green ramp, lightened so the black number
/// stays readable and the map prints in black and white.
fn score_fill(score: u8, map: &HeatMap) -> Rgb3 {
    let span = f32::from(map.score_max.saturating_sub(map.score_min)).max(1.0);
    let t = f32::from(score.saturating_sub(map.score_min)) / span;
    let (red, yellow, green) = ([0.96, 0.72, 0.68], [0.99, 0.90, 0.62], [0.70, 0.87, 0.70]);
    let mix = |a: [f32; 3], b: [f32; 3], t: f32| {
        Rgb3(a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t, a[2] + (b[2] - a[2]) * t)
    };
    if t < 0.5 { mix(red, yellow, t * 2.0) } else { mix(yellow, green, (t - 0.5) * 2.0) }
}

/// One line of text with its baseline at (x, y) mm.
fn text_op(ops: &mut Vec<Mark>, x: f32, y: f32, text: &str, size: f32, bold: bool, c: Rgb3) {
    if text.is_empty() {
        return;
    }
    ops.push(Mark::Text { at: (x, y), text: text.to_string(), size_pt: size, bold, color: c, clockwise: 0.0 });
}

fn hline_op(ops: &mut Vec<Mark>, x0: f32, x1: f32, y: f32, c: Rgb3, thickness: f32) {
    ops.push(Mark::Stroke {
        points: vec![(x0, y), (x1, y)],
        closed: false,
        color: c,
        width_pt: thickness,
        round: false,
    });
}

/// The rationale shortened for the table ("short rationale"); the full text stays in the file.
fn short(text: &str, max_chars: usize) -> String {
    if text.chars().count() <= max_chars {
        return text.to_string();
    }
    let cut: String = text.chars().take(max_chars).collect();
    let cut = cut.rsplit_once(' ').map_or(cut.as_str(), |(a, _)| a).to_string();
    format!("{cut} …")
}

/// The resource centre's summary of many services as a PDF: bands, weakest items, each
/// item's mean and median, the services × items heat map, overdue reviews and the reviewers'
/// agreement, as [`ips_domain::summary::summarize`] computed them.
pub fn summary(
    sum: &ips_domain::summary::Summary,
    scale_name: &str,
    lang: Lang,
    today: NaiveDate,
) -> Result<Vec<u8>, PdfError> {
    let t = ReportTexts::builtin(lang);
    let region = sum.region.clone().unwrap_or_else(|| t.summary_all_regions.to_string());
    let footer = format!("{} – {region} – {}", t.summary_title, ips_text::text::format_date(today, lang));
    let mut l = Layout::new()?;
    l.space(6.0);
    l.paragraph(&format!("{} – {scale_name}", t.summary_title), 20.0, true, ACCENT, 0.0);
    l.paragraph(&format!("{}: {region}", t.summary_region), 12.0, true, INK, 0.0);
    l.paragraph(t.summary_subtitle, 10.5, false, MUTED, 0.0);
    l.space(3.0);
    l.paragraph(&format!("{}: {}", t.summary_services, sum.services), 12.0, true, INK, 0.0);

    l.heading(t.summary_bands);
    let rows: Vec<Vec<String>> = sum.bands.iter().map(|b| vec![b.label.clone(), b.count.to_string()]).collect();
    l.table(
        &[Col { header: t.summary_bands, width: 120.0 }, Col { header: t.summary_count, width: 50.0 }],
        &rows,
        10.0,
    );
    let num = |v: f64| ips_text::text::format_decimal(v, 1, lang);
    l.subheading(t.summary_weakest);
    for w in &sum.weakest_lines(lang) {
        l.bullet(w, 10.0);
    }

    l.heading(t.summary_items);
    let rows: Vec<Vec<String>> =
        sum.items.iter().map(|i| vec![format!("{} {}", i.id, i.name), num(i.mean), num(i.median)]).collect();
    l.table(
        &[
            Col { header: t.item, width: CONTENT_W - 44.0 },
            Col { header: t.summary_mean, width: 22.0 },
            Col { header: t.summary_median, width: 22.0 },
        ],
        &rows,
        8.5,
    );

    l.new_page();
    l.heading(t.summary_heat);
    l.paragraph(t.summary_heat_note, 9.0, false, MUTED, 0.0);
    l.space(2.0);
    l.service_heat_map(sum, t.summary_service, t.dash);

    l.heading(t.summary_overdue);
    if sum.overdue.is_empty() {
        l.paragraph(t.summary_none_overdue, 10.0, false, MUTED, 0.0);
    } else {
        let rows: Vec<Vec<String>> = sum
            .overdue
            .iter()
            .map(|o| {
                vec![
                    o.name.clone(),
                    o.region.clone(),
                    o.what.label(lang).to_string(),
                    ips_text::text::format_date(o.due, lang),
                ]
            })
            .collect();
        l.table(
            &[
                Col { header: t.summary_service, width: 60.0 },
                Col { header: t.summary_region, width: 40.0 },
                Col { header: t.what, width: 40.0 },
                Col { header: t.summary_due, width: 30.0 },
            ],
            &rows,
            9.0,
        );
    }

    // The heading stays with the start of its table.
    l.ensure(70.0);
    l.heading(t.summary_calibration);
    let a = &sum.agreement;
    l.paragraph(&format!("{}: {}", t.summary_reviews_with_two, a.reviews), 10.5, false, INK, 0.0);
    if a.reviews > 0 {
        let share =
            |n: usize, of: usize| ips_text::text::format_share(n, of, lang).unwrap_or_else(|| t.dash.to_string());
        let rows: Vec<Vec<String>> = a
            .most_apart_first()
            .iter()
            .map(|i| {
                let name =
                    sum.items.iter().find(|s| s.id == i.id).map_or(i.id.clone(), |s| format!("{} {}", s.id, s.name));
                vec![
                    name,
                    i.compared.to_string(),
                    share(i.exact, i.compared),
                    share(i.within_one, i.compared),
                    i.two_or_more.to_string(),
                ]
            })
            .collect();
        l.table(
            &[
                Col { header: t.item, width: CONTENT_W - 100.0 },
                Col { header: t.summary_compared, width: 30.0 },
                Col { header: t.summary_exact, width: 22.0 },
                Col { header: t.summary_within_one, width: 26.0 },
                Col { header: t.summary_two_or_more, width: 22.0 },
            ],
            &rows,
            8.0,
        );
        l.space(3.0);
        let rows: Vec<Vec<String>> = a
            .pairs
            .iter()
            .map(|p| {
                vec![
                    format!("{} – {}", p.reviewers[0], p.reviewers[1]),
                    p.reviews.to_string(),
                    share(p.exact, p.compared),
                    share(p.within_one, p.compared),
                    p.kappa.map_or(t.dash.to_string(), |k| ips_text::text::format_decimal(k, 2, lang)),
                ]
            })
            .collect();
        l.table(
            &[
                Col { header: t.summary_pair, width: CONTENT_W - 106.0 },
                Col { header: t.summary_reviews, width: 26.0 },
                Col { header: t.summary_exact, width: 24.0 },
                Col { header: t.summary_within_one, width: 28.0 },
                Col { header: t.summary_kappa, width: 28.0 },
            ],
            &rows,
            9.0,
        );
    }
    let meta = Meta {
        title: footer.clone(),
        authors: Vec::new(),
        subject: format!("{} – {scale_name}", t.summary_title),
        created: now(),
        lang_tag: lang.tag(),
    };
    l.finish(&footer, t.page, t.page_of, None, &meta)
}

/// The words of `para` between the spaces a line may break at: a no-break space (U+00A0,
/// and the narrow U+202F and the figure space U+2007) holds its two sides together, as in
/// "44 %" and "60 000", which the formatter writes so.
fn breakable_words(para: &str) -> impl Iterator<Item = &str> {
    para.split(|c: char| c.is_whitespace() && !matches!(c, '\u{a0}' | '\u{202f}' | '\u{2007}'))
        .filter(|w| !w.is_empty())
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_line_never_breaks_at_a_no_break_space() {
        let words: Vec<&str> = super::breakable_words("44\u{a0}% av  60\u{a0}000\tjobbsøkere").collect();
        assert_eq!(words, ["44\u{a0}%", "av", "60\u{a0}000", "jobbsøkere"]);
    }
}
