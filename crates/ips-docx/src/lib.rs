//! The Word reports: the domain's report model ([`ips_domain::report`]) laid out as a .docx
//! that the service and the styringsgruppe can edit. [`render`] has the PDF report's
//! sections in its order, [`render_plan`] the handlingsplan on its own, for the service to
//! fill in. Headings use Word's own heading styles (so the navigation pane and an inserted
//! table of contents find them), the items and the handlingsplan are real tables, and the
//! charts are the PDF's, drawn as pictures. Nothing here reads a file or the clock: the
//! time stamped in the document's properties is passed in.

use chrono::{DateTime, FixedOffset};
use docx_rs::{
    AbstractNumbering, AlignmentType, BreakType, Docx, Footer, Header, IndentLevel, Level, LevelJc, LevelText,
    NumberFormat, Numbering, NumberingId, PageMargin, PageNum, Paragraph, Pic, Run, RunFonts, Shading,
    SpecialIndentType, Start, Style, StyleType, Table, TableCell, TableLayoutType, TableRow, WidthType,
};

use ips_domain::evaluation::{Evaluation, ServiceInfo};
use ips_domain::report::{ActionRow, ReportModel, ReportTexts, build};
use ips_domain::service::ScaleSet;
use ips_text::text::Lang;

/// Why a Word report could not be made.
#[derive(Debug, thiserror::Error)]
pub enum DocxError {
    #[error("unknown scale '{0}'")]
    UnknownScale(String),
    #[error("{0}")]
    Chart(#[from] ips_pdf::PdfError),
    #[error("the Word document could not be written: {0}")]
    Write(String),
}

/// What goes in: the whole report, or the handlingsplan alone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Report,
    PlanOnly,
}

/// Builds the report model for `evaluation` with the service's other reviews and renders it
/// as a Word document; `now` is the time the document's properties say it was made.
pub fn report(
    scales: &ScaleSet,
    service: &ServiceInfo,
    evaluation: &Evaluation,
    history: &[&Evaluation],
    lang: Lang,
    now: DateTime<FixedOffset>,
    kind: Kind,
) -> Result<Vec<u8>, DocxError> {
    let texts = ReportTexts::builtin(lang);
    let model = build(scales, service, evaluation, history, texts, now.date_naive())
        .ok_or_else(|| DocxError::UnknownScale(evaluation.scale.clone()))?;
    match kind {
        Kind::Report => render(&model, now),
        Kind::PlanOnly => render_plan(&model, now),
    }
}

/// A4 with 2 cm margins, in twentieths of a point (Word's unit for pages and tables).
const PAGE_W: u32 = 11_906;
const PAGE_H: u32 = 16_838;
const MARGIN: i32 = 1_134;
const CONTENT_W: usize = (PAGE_W as usize) - 2 * (MARGIN as usize);
/// English Metric Units per millimetre (pictures' sizes).
const EMU_PER_MM: f32 = 36_000.0;
/// The bullet list's numbering.
const BULLETS: usize = 1;

const ACCENT: &str = "1F5C99";
const MUTED: &str = "5F6368";
const WARN: &str = "B3261E";
const HEADER_FILL: &str = "E8EDF3";

/// The whole report as a .docx, with the PDF's sections in its order.
pub fn render(m: &ReportModel, now: DateTime<FixedOffset>) -> Result<Vec<u8>, DocxError> {
    let t = m.texts;
    let mut d = Doc::new(m);

    // 1. Cover.
    d.push(para(&m.title).style("Title"));
    d.push(para_colored(t.subtitle, MUTED));
    d.push(para(&m.service).style("Subtitle"));
    d.table(&[], &m.cover.iter().map(|(l, v)| vec![l.clone(), v.clone()]).collect::<Vec<_>>(), &[25, 75]);
    if m.preliminary {
        d.push(para_strong(t.preliminary_note, WARN));
    }
    for w in &m.warnings {
        d.push(para_strong(w, WARN));
    }

    // 2. Summary.
    d.heading(1, t.summary_heading);
    d.push(para_strong(&format!("{}: {} {} {}", t.total, m.total, t.of, m.max), "000000"));
    let band = m.band.clone().unwrap_or_else(|| t.no_band.to_string());
    d.push(para_strong(&format!("{}: {band}", t.band), if m.band.is_some() { ACCENT } else { WARN }));
    d.push(para(&m.change_line));
    let sections: Vec<Vec<String>> = m.sections.iter().map(|s| s.cells(t.dash)).collect();
    d.table(&[t.section, t.now, t.previous], &sections, &[50, 25, 25]);
    if let Some((heading, lines)) = &m.next_band {
        d.heading(2, t.next_band_heading);
        d.push(para(heading));
        if !lines.is_empty() {
            d.push(para_colored(&format!("{}:", t.closest_items), MUTED));
            for line in lines {
                d.bullet(line);
            }
        }
    }

    // 3. Charts and the item heat map.
    d.heading(1, t.charts_heading);
    let [total, sections] = ips_pdf::chart_pictures(m)?;
    d.heading(2, t.chart_total);
    d.picture(total);
    d.heading(2, t.chart_sections);
    d.picture(sections);
    d.heading(1, t.heat_map_heading);
    d.push(para_colored(t.heat_map_note, MUTED));
    d.heat_map(m);

    // 4. All items, with the whole rationale (the PDF shortens it; here it is edited).
    d.heading(1, t.items_heading);
    let items: Vec<Vec<String>> = m
        .items
        .iter()
        .map(|r| {
            let mut cells = r.cells(t.dash);
            cells.push(r.rationale.clone());
            cells
        })
        .collect();
    d.table(&[t.item, t.score, t.previous, t.change, t.rationale], &items, &[30, 8, 10, 9, 43]);

    // 5. Strengths and areas to improve.
    d.heading(1, t.strengths_heading);
    if m.strengths.is_empty() {
        d.push(para_colored(t.no_strengths, MUTED));
    } else {
        d.push(para(t.strengths_intro));
        for r in &m.strengths {
            d.bullet(&format!("{} {}", r.id, r.name));
        }
    }
    d.heading(1, t.improve_heading);
    improvements(&mut d, m);

    // 6. The previous plan's outcome, then this review's handlingsplan.
    previous_plan(&mut d, m);
    d.heading(1, t.plan_heading);
    if m.actions.is_empty() {
        d.push(para_colored(t.plan_empty, MUTED));
    } else {
        plan_table(&mut d, t, &m.actions, 0);
    }

    // 7. Schedule and styringsgruppe.
    d.heading(1, t.schedule_heading);
    for line in &m.schedule_lines {
        d.push(para(line));
    }
    d.heading(2, t.steering_heading);
    for line in &m.steering_lines {
        d.push(para(line));
    }
    d.push(para_strong(t.agenda_heading, "000000"));
    for a in &m.agenda {
        d.bullet(a);
    }

    // 8. The factual-accuracy round and the audit trail.
    if !m.accuracy.is_empty() {
        d.heading(1, t.accuracy_heading);
        let rows: Vec<Vec<String>> = m
            .accuracy
            .iter()
            .map(|a| vec![a.item.clone(), a.comment.clone(), a.answer.clone(), a.why.clone()])
            .collect();
        d.table(&[t.item, t.comment, t.answer, t.reason], &rows, &[10, 45, 20, 25]);
    }
    if !m.audit.is_empty() {
        d.heading(1, t.audit_heading);
        let rows: Vec<Vec<String>> =
            m.audit.iter().map(|a| vec![a.when.clone(), a.who.clone(), a.what.clone(), a.reason.clone()]).collect();
        d.table(&[t.when, t.who, t.what, t.reason], &rows, &[18, 17, 35, 30]);
    }
    d.finish(m, &format!("{} – {}", m.title, m.footer), now)
}

/// The handlingsplan on its own, for the service to fill in: what to improve, the actions
/// agreed so far and empty rows for more, and how the previous plan went.
pub fn render_plan(m: &ReportModel, now: DateTime<FixedOffset>) -> Result<Vec<u8>, DocxError> {
    /// Rows left empty for the service's own actions.
    const EMPTY_ROWS: usize = 5;
    let t = m.texts;
    let mut d = Doc::new(m);
    d.push(para(&format!("{} – {}", t.plan_heading, m.service)).style("Title"));
    d.table(&[], &m.cover.iter().map(|(l, v)| vec![l.clone(), v.clone()]).collect::<Vec<_>>(), &[25, 75]);
    let band = m.band.clone().unwrap_or_else(|| t.no_band.to_string());
    d.push(para_strong(&format!("{}: {} {} {} · {}: {band}", t.total, m.total, t.of, m.max, t.band), "000000"));
    d.heading(1, t.improve_heading);
    improvements(&mut d, m);
    d.heading(1, t.plan_heading);
    plan_table(&mut d, t, &m.actions, EMPTY_ROWS);
    previous_plan(&mut d, m);
    d.finish(m, &format!("{} – {}", t.plan_heading, m.footer), now)
}

fn improvements(d: &mut Doc, m: &ReportModel) {
    let t = m.texts;
    if m.improvements.is_empty() {
        d.push(para_colored(&m.no_improvements, MUTED));
        return;
    }
    d.push(para(&m.improve_intro));
    for r in &m.improvements {
        let score = r.score.map_or(t.dash.to_string(), |s| s.to_string());
        d.push(
            para_strong(&format!("{} {} ({} {score})", r.id, r.name, t.score.to_lowercase()), "000000").keep_next(true),
        );
        let rec: &str = if r.recommendation.is_empty() { t.no_recommendation } else { &r.recommendation };
        d.push(para(&format!("{}: {rec}", t.recommendation)));
    }
}

fn previous_plan(d: &mut Doc, m: &ReportModel) {
    let t = m.texts;
    if let Some((intro, rows)) = &m.previous_plan {
        d.heading(1, t.previous_plan_heading);
        d.push(para(intro));
        let rows: Vec<Vec<String>> =
            rows.iter().map(|r| vec![r.what.clone(), r.item.clone(), r.outcome.clone(), r.last_note.clone()]).collect();
        d.table(&[t.action, t.item, t.outcome, t.last_note], &rows, &[35, 15, 20, 30]);
    }
}

/// The handlingsplan's table (tiltak, punkt, ansvarlig, frist, status), with `empty` rows
/// more to write in.
fn plan_table(d: &mut Doc, t: &ReportTexts, actions: &[ActionRow], empty: usize) {
    let mut rows: Vec<Vec<String>> = actions
        .iter()
        .map(|a| vec![a.what.clone(), a.item.clone(), a.owner.clone(), a.deadline.clone(), a.status.clone()])
        .collect();
    rows.extend(std::iter::repeat_n(vec![String::new(); 5], empty));
    d.table(&[t.action, t.item, t.owner, t.deadline, t.status], &rows, &[32, 24, 16, 13, 15]);
}

/// The document being written: docx-rs's builder, moved along.
struct Doc {
    docx: Docx,
    lang: Lang,
}

impl Doc {
    fn new(m: &ReportModel) -> Doc {
        let heading = |id: &str, name: &str, size: usize, level: usize| {
            Style::new(id, StyleType::Paragraph)
                .name(name)
                .based_on("Normal")
                .next("Normal")
                .size(size)
                .bold()
                .color(ACCENT)
                .outline_lvl(level)
        };
        let bullets = AbstractNumbering::new(BULLETS).add_level(
            Level::new(0, Start::new(1), NumberFormat::new("bullet"), LevelText::new("•"), LevelJc::new("left"))
                .indent(Some(720), Some(SpecialIndentType::Hanging(360)), None, None),
        );
        let docx = Docx::new()
            .page_size(PAGE_W, PAGE_H)
            .page_margin(PageMargin::new().top(MARGIN).bottom(MARGIN).left(MARGIN).right(MARGIN))
            .default_fonts(RunFonts::new().ascii("Calibri").hi_ansi("Calibri").cs("Calibri"))
            .default_size(21)
            // Word's own style ids and names, so that it treats them as its headings.
            .add_style(
                Style::new("Title", StyleType::Paragraph)
                    .name("Title")
                    .based_on("Normal")
                    .size(48)
                    .bold()
                    .color(ACCENT),
            )
            .add_style(Style::new("Subtitle", StyleType::Paragraph).name("Subtitle").based_on("Normal").size(36).bold())
            .add_style(heading("Heading1", "heading 1", 32, 0))
            .add_style(heading("Heading2", "heading 2", 26, 1))
            .add_abstract_numbering(bullets)
            .add_numbering(Numbering::new(BULLETS, BULLETS));
        Doc { docx, lang: m.lang }
    }

    fn push(&mut self, p: Paragraph) {
        self.docx = std::mem::take(&mut self.docx).add_paragraph(p);
    }

    fn heading(&mut self, level: usize, text: &str) {
        let style = if level <= 1 { "Heading1" } else { "Heading2" };
        self.push(para(text).style(style).keep_next(true));
    }

    fn bullet(&mut self, text: &str) {
        self.push(para(text).numbering(NumberingId::new(BULLETS), IndentLevel::new(0)));
    }

    /// A table over the content's width, `widths` in percent; a bold shaded header row when
    /// `headers` has any (a cover's label–value table has none).
    fn table(&mut self, headers: &[&str], rows: &[Vec<String>], widths: &[usize]) {
        let grid: Vec<usize> = widths.iter().map(|w| CONTENT_W * w / 100).collect();
        let cell = |text: &str, k: usize, bold: bool, fill: Option<&str>| {
            let mut run = Run::new();
            if bold {
                run = run.bold();
            }
            // A line break in the text stays one (a rationale's paragraphs).
            for (i, line) in text.split('\n').enumerate() {
                if i > 0 {
                    run = run.add_break(BreakType::TextWrapping);
                }
                run = run.add_text(line);
            }
            let mut c = TableCell::new().add_paragraph(Paragraph::new().add_run(run)).width(grid[k], WidthType::Dxa);
            if let Some(f) = fill {
                c = c.shading(Shading::new().fill(f));
            }
            c
        };
        let mut table_rows = Vec::new();
        if !headers.is_empty() {
            table_rows.push(TableRow::new(
                headers.iter().enumerate().map(|(k, h)| cell(h, k, true, Some(HEADER_FILL))).collect(),
            ));
        }
        for row in rows {
            let cells =
                row.iter().enumerate().take(grid.len()).map(|(k, v)| cell(v, k, headers.is_empty() && k == 0, None));
            table_rows.push(TableRow::new(cells.collect()).cant_split());
        }
        if table_rows.is_empty() {
            return;
        }
        let table =
            Table::new(table_rows).set_grid(grid).width(CONTENT_W, WidthType::Dxa).layout(TableLayoutType::Fixed);
        self.docx = std::mem::take(&mut self.docx).add_table(table);
        // Word runs a table into the next one without a paragraph between.
        self.push(Paragraph::new());
    }

    /// The item heat map as a table: items down, the latest reviews across, each score in
    /// its cell over the PDF's colour.
    fn heat_map(&mut self, m: &ReportModel) {
        const MAX_COLUMNS: usize = 8;
        let t = m.texts;
        let map = &m.heat_map;
        let skip = map.columns.len().saturating_sub(MAX_COLUMNS);
        let columns = &map.columns[skip..];
        if columns.is_empty() {
            return;
        }
        let name_w = CONTENT_W * 40 / 100;
        let cell_w = (CONTENT_W - name_w) / columns.len();
        let mut grid = vec![name_w];
        grid.extend(std::iter::repeat_n(cell_w, columns.len()));
        let text_cell = |text: &str, w: usize, bold: bool, fill: &str, centred: bool| {
            let mut run = Run::new().add_text(text).size(16);
            if bold {
                run = run.bold();
            }
            let mut p = Paragraph::new().add_run(run);
            if centred {
                p = p.align(AlignmentType::Center);
            }
            TableCell::new().add_paragraph(p).width(w, WidthType::Dxa).shading(Shading::new().fill(fill))
        };
        let mut header = vec![text_cell(t.item, name_w, true, HEADER_FILL, false)];
        for c in columns {
            let label = if c.self_assessment { format!("{} {}", c.label, t.heat_map_self) } else { c.label.clone() };
            header.push(text_cell(&label, cell_w, c.current, HEADER_FILL, true));
        }
        let mut rows = vec![TableRow::new(header)];
        for r in &map.rows {
            let mut cells = vec![text_cell(&format!("{} {}", r.id, r.name), name_w, false, "FFFFFF", false)];
            for score in &r.cells[skip.min(r.cells.len())..] {
                let (text, fill) = match score {
                    Some(s) => {
                        let [red, green, blue] = ips_pdf::heat_fill(*s, map);
                        (s.to_string(), format!("{red:02X}{green:02X}{blue:02X}"))
                    }
                    None => (t.dash.to_string(), "FFFFFF".to_string()),
                };
                cells.push(text_cell(&text, cell_w, false, &fill, true));
            }
            rows.push(TableRow::new(cells).cant_split());
        }
        let table = Table::new(rows).set_grid(grid).width(CONTENT_W, WidthType::Dxa).layout(TableLayoutType::Fixed);
        self.docx = std::mem::take(&mut self.docx).add_table(table);
        self.push(Paragraph::new());
    }

    fn picture(&mut self, png: ips_pdf::Png) {
        // 10 pixels per mm (the charts' unit): shown at the PDF's size.
        let (w_mm, h_mm) = (png.width_px as f32 / 10.0, png.height_px as f32 / 10.0);
        let (w, h) = ((w_mm * EMU_PER_MM).round() as u32, (h_mm * EMU_PER_MM).round() as u32);
        let pic = Pic::new_with_dimensions(png.bytes, png.width_px, png.height_px).size(w, h);
        self.push(Paragraph::new().add_run(Run::new().add_image(pic)));
    }

    /// The footer and page number on every page, a draft's mark in the header, the
    /// document's properties; the bytes of the .docx.
    fn finish(self, m: &ReportModel, title: &str, now: DateTime<FixedOffset>) -> Result<Vec<u8>, DocxError> {
        let t = m.texts;
        let footer = Footer::new().add_paragraph(
            Paragraph::new()
                .add_run(Run::new().add_text(format!("{} · {} ", m.footer, t.page)).size(16).color(MUTED))
                .add_page_num(PageNum::new()),
        );
        let marks: Vec<&str> =
            [m.draft.then_some(t.draft_mark), m.preliminary.then_some(t.preliminary)].into_iter().flatten().collect();
        let mut docx = self.docx.footer(footer);
        if !marks.is_empty() {
            let mark = Run::new().add_text(marks.join(" · ")).bold().size(24).color(WARN);
            docx =
                docx.header(Header::new().add_paragraph(Paragraph::new().add_run(mark).align(AlignmentType::Center)));
        }
        let stamp = now.to_utc().format("%Y-%m-%dT%H:%M:%SZ").to_string();
        let mut xml = docx.created_at(&stamp).updated_at(&stamp).build();
        xml.doc_props.core = core_properties(title, &m.reviewers.join(", "), &stamp, self.lang);
        // docx-rs puts an empty run format before a paragraph's style, where the schema
        // wants the style first; the empty element says nothing, so it goes.
        let tidy = |part: &mut Vec<u8>| {
            let text = String::from_utf8_lossy(part)
                .replace("<w:pPr><w:rPr /></w:pPr>", "")
                .replace("<w:pPr><w:rPr />", "<w:pPr>");
            *part = text.into_bytes();
        };
        tidy(&mut xml.document);
        xml.headers.iter_mut().chain(xml.footers.iter_mut()).for_each(tidy);
        let mut out = std::io::Cursor::new(Vec::new());
        xml.pack(&mut out).map_err(|e| DocxError::Write(e.to_string()))?;
        Ok(out.into_inner())
    }
}

/// `docProps/core.xml` with the title, the reviewers as authors, the time and the language
/// (docx-rs has no setter for the title and author).
fn core_properties(title: &str, authors: &str, stamp: &str, lang: Lang) -> Vec<u8> {
    let esc = |s: &str| s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;");
    let language = lang.tag();
    let creator = if authors.is_empty() { "ips-fidelity".to_string() } else { esc(authors) };
    format!(
        concat!(
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#,
            r#"<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">"#,
            r#"<dc:title>{title}</dc:title><dc:creator>{creator}</dc:creator><cp:lastModifiedBy>ips-fidelity</cp:lastModifiedBy>"#,
            r#"<dc:language>{language}</dc:language><cp:revision>1</cp:revision>"#,
            r#"<dcterms:created xsi:type="dcterms:W3CDTF">{stamp}</dcterms:created><dcterms:modified xsi:type="dcterms:W3CDTF">{stamp}</dcterms:modified>"#,
            r#"</cp:coreProperties>"#
        ),
        title = esc(title),
        creator = creator,
        language = language,
        stamp = stamp,
    )
    .into_bytes()
}

fn para(text: &str) -> Paragraph {
    Paragraph::new().add_run(Run::new().add_text(text))
}

fn para_colored(text: &str, color: &str) -> Paragraph {
    Paragraph::new().add_run(Run::new().add_text(text).color(color))
}

fn para_strong(text: &str, color: &str) -> Paragraph {
    Paragraph::new().add_run(Run::new().add_text(text).bold().color(color))
}
