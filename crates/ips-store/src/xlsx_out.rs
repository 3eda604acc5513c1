//! Excel workbooks (.xlsx), written with `rust_xlsxwriter`: every review one row each, the
//! summary across services, and the outcome figures. Headers and labels are in the user's
//! language; dates are date cells shown as dd.mm.yyyy (Excel sorts and filters them as
//! dates); scores and totals are numbers; each sheet has a bold, frozen header row, an
//! autofilter and columns fitted to their text.
//!
//! The rows are gathered service by service ([`WorkbookRows::add_service`], as a scan
//! visits them) and held compact until the workbook is written, as the CSV export does.

use ips_domain::evaluation::{EvaluationType, ReviewStatus};
use ips_domain::outcomes::QuarterFigures;
use ips_domain::scoring::score;
use ips_domain::service::{DEFAULT_SCALE, ScaleSet, Service};
use ips_domain::summary::Summary;
use ips_text::i18n::{fill, text};
use ips_text::text::Lang;
use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, Workbook, Worksheet, XlsxError};

/// A workbook that could not be put together (a library limit such as a sheet of more
/// than 1,048,576 rows); the message is the library's.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct WorkbookError(String);

impl From<XlsxError> for WorkbookError {
    fn from(e: XlsxError) -> WorkbookError {
        WorkbookError(e.to_string())
    }
}

/// The reviews and outcome figures of a workspace, gathered for a workbook.
#[derive(Debug, Default)]
pub struct WorkbookRows {
    /// Each service's name and region, once.
    services: Vec<(String, String)>,
    /// Section columns (id, name in the language), then item columns, of every scale in use.
    sections: Vec<(String, String)>,
    items: Vec<String>,
    scale_ids: Vec<String>,
    reviews: Vec<ReviewRow>,
    outcomes: Vec<(u32, QuarterFigures)>,
}

#[derive(Debug)]
struct ReviewRow {
    service: u32,
    date: chrono::NaiveDate,
    kind: EvaluationType,
    status: ReviewStatus,
    scale: String,
    version: String,
    total: u32,
    band: String,
    /// Per section column known when the row came.
    sections: Box<[Option<u32>]>,
    /// Per item column known when the row came.
    scores: Box<[Option<u8>]>,
}

impl WorkbookRows {
    pub fn new(scales: &ScaleSet, lang: Lang) -> WorkbookRows {
        let mut rows = WorkbookRows::default();
        rows.use_scale(scales, DEFAULT_SCALE, lang);
        rows
    }

    /// Adds the columns of scale `id` the first time it is seen
    /// ([`ScaleSet::versions_for_columns`]).
    fn use_scale(&mut self, scales: &ScaleSet, id: &str, lang: Lang) {
        if self.scale_ids.iter().any(|s| s == id) {
            return;
        }
        self.scale_ids.push(id.to_string());
        for scale in scales.versions_for_columns(id) {
            for section in &scale.sections {
                if !self.sections.iter().any(|(s, _)| *s == section.id) {
                    self.sections.push((section.id.clone(), section.name.get(lang).to_string()));
                }
            }
            for item in &scale.items {
                if !self.items.contains(&item.id) {
                    self.items.push(item.id.clone());
                }
            }
        }
    }

    /// Adds a row per review of `service` whose scale is known, each scored on the scale
    /// version it records, and a row per quarter of its outcome figures.
    pub fn add_service(&mut self, scales: &ScaleSet, service: &Service, lang: Lang) {
        let at = self.services.len() as u32;
        self.services.push((service.info.name.clone(), service.info.region.clone()));
        for rec in &service.evaluations {
            let e = &rec.evaluation;
            let Some(scale) = scales.for_evaluation(e) else {
                continue;
            };
            self.use_scale(scales, &e.scale, lang);
            let summary = score(scale, &e.scores);
            let sections = self
                .sections
                .iter()
                .map(|(id, _)| summary.sections.iter().find(|s| s.id == *id && s.scored > 0).map(|s| s.total))
                .collect();
            self.reviews.push(ReviewRow {
                service: at,
                date: e.date,
                kind: e.kind,
                status: ips_domain::lifecycle::status_of(e),
                scale: e.scale.clone(),
                version: scale.version.clone(),
                total: summary.total,
                band: summary.band(scale).map(|b| b.label.get(lang).to_string()).unwrap_or_default(),
                sections,
                scores: self.items.iter().map(|id| e.scores.get(id).copied()).collect(),
            });
        }
        self.outcomes.extend(service.outcomes.iter().map(|q| (at, q.clone())));
    }

    /// How many review rows there are.
    pub fn reviews(&self) -> usize {
        self.reviews.len()
    }
}

/// The cell formats of one workbook.
struct Formats {
    header: Format,
    date: Format,
    decimal: Format,
    percent: Format,
}

impl Formats {
    fn new() -> Formats {
        Formats {
            header: Format::new().set_bold(),
            // Excel's own codes, shown with the reader's separators: dd.mm.yyyy is what a
            // Norwegian reader expects, and an English one reads it as day-first too.
            date: Format::new().set_num_format("dd.mm.yyyy"),
            decimal: Format::new().set_num_format("0.0"),
            percent: Format::new().set_num_format("0 %"),
        }
    }
}

/// A worksheet named `name` with `headers` in bold on a frozen first row.
fn sheet<'a>(wb: &'a mut Workbook, name: &str, headers: &[&str], f: &Formats) -> Result<&'a mut Worksheet, XlsxError> {
    let ws = wb.add_worksheet();
    ws.set_name(name)?;
    for (c, h) in headers.iter().enumerate() {
        ws.write_string_with_format(0, c as u16, *h, &f.header)?;
    }
    ws.set_freeze_panes(1, 0)?;
    Ok(ws)
}

/// The autofilter over a sheet's rows and fitted columns: what a sheet gets last.
fn finish(ws: &mut Worksheet, rows: u32, columns: usize) -> Result<(), XlsxError> {
    if columns > 0 {
        ws.autofilter(0, 0, rows, columns.saturating_sub(1) as u16)?;
    }
    ws.autofit();
    Ok(())
}

fn date_cell(ws: &mut Worksheet, row: u32, col: u16, date: chrono::NaiveDate, f: &Formats) -> Result<(), XlsxError> {
    use chrono::Datelike;
    let d = ExcelDateTime::from_ymd(date.year() as u16, date.month() as u8, date.day() as u8)?;
    ws.write_datetime_with_format(row, col, &d, &f.date)?;
    Ok(())
}

fn t(lang: Lang, key: &str) -> &'static str {
    text(lang, key)
}

/// The workbook of `export --format xlsx` and the app's *Eksporter til Excel*: the reviews,
/// the summary (when there is one), and the outcome figures.
pub fn export_workbook(rows: &WorkbookRows, summary: Option<&Summary>, lang: Lang) -> Result<Vec<u8>, WorkbookError> {
    let f = Formats::new();
    let mut wb = Workbook::new();
    properties(&mut wb, t(lang, "core.xlsx.title_export"));
    reviews_sheet(&mut wb, rows, lang, &f)?;
    if let Some(s) = summary {
        summary_sheets(&mut wb, s, lang, &f)?;
    }
    outcomes_sheet(&mut wb, rows, lang, &f)?;
    Ok(wb.save_to_buffer()?)
}

/// The workbook of `summary -o FILE.xlsx` and the app's summary saved as Excel.
pub fn summary_workbook(summary: &Summary, lang: Lang) -> Result<Vec<u8>, WorkbookError> {
    let f = Formats::new();
    let mut wb = Workbook::new();
    properties(&mut wb, t(lang, "core.xlsx.title_summary"));
    summary_sheets(&mut wb, summary, lang, &f)?;
    Ok(wb.save_to_buffer()?)
}

/// The export workbook of the workspace at `root` ([`export_workbook`]): every review, read
/// a batch of services at a time as the CSV export reads them (through `index`), the
/// summary of the services on the default scale, and the outcome figures. With the bytes,
/// the number of review rows; the scan says what could not be read (and when the workspace
/// could not be reached at all, nothing was made).
pub fn export_from_disk(
    root: &std::path::Path,
    index: Option<&crate::index::WorkspaceIndex>,
    lang: Lang,
    today: chrono::NaiveDate,
) -> (Result<(Vec<u8>, usize), WorkbookError>, crate::workspace::Scan) {
    let mut rows: Option<WorkbookRows> = None;
    let found = crate::workspace::scan_with(root, index, |scales, service| {
        rows.get_or_insert_with(|| WorkbookRows::new(scales, lang)).add_service(scales, &service, lang);
        Ok::<(), std::convert::Infallible>(())
    })
    .unwrap_or_else(|never| match never {});
    if found.unreachable.is_some() {
        return (Ok((Vec::new(), 0)), found);
    }
    let rows = rows.unwrap_or_else(|| WorkbookRows::new(&found.scales, lang));
    // The summary from the services in brief (their latest reviews, not every review).
    let ws = crate::workspace::Workspace::open_brief_once(root, today);
    let summary = ws.summary(DEFAULT_SCALE, &ips_domain::summary::Selection { region: None }, lang, today);
    let made = export_workbook(&rows, summary.as_ref(), lang).map(|bytes| (bytes, rows.reviews()));
    (made, found)
}

fn properties(wb: &mut Workbook, title: &str) {
    let props = DocProperties::new().set_title(title).set_author(concat!("ips-fidelity ", env!("CARGO_PKG_VERSION")));
    wb.set_properties(&props);
}

fn reviews_sheet(wb: &mut Workbook, rows: &WorkbookRows, lang: Lang, f: &Formats) -> Result<(), XlsxError> {
    // Whole keys in the source, so the catalog test sees each one used.
    let fixed = [
        "core.xlsx.service",
        "core.xlsx.region",
        "core.xlsx.date",
        "core.xlsx.type",
        "core.xlsx.status",
        "core.xlsx.scale",
        "core.xlsx.version",
        "core.xlsx.total",
        "core.xlsx.band",
    ];
    let mut headers: Vec<&str> = fixed.iter().map(|k| t(lang, k)).collect();
    headers.extend(rows.sections.iter().map(|(_, name)| name.as_str()));
    headers.extend(rows.items.iter().map(String::as_str));
    let ws = sheet(wb, t(lang, "core.xlsx.sheet_reviews"), &headers, f)?;
    for (i, r) in rows.reviews.iter().enumerate() {
        let row = i as u32 + 1;
        let (name, region) = &rows.services[r.service as usize];
        ws.write_string(row, 0, name)?;
        ws.write_string(row, 1, region)?;
        date_cell(ws, row, 2, r.date, f)?;
        ws.write_string(row, 3, r.kind.label(lang))?;
        ws.write_string(row, 4, r.status.label(lang))?;
        ws.write_string(row, 5, &r.scale)?;
        ws.write_string(row, 6, &r.version)?;
        ws.write_number(row, 7, f64::from(r.total))?;
        ws.write_string(row, 8, &r.band)?;
        let mut col = fixed.len() as u16;
        for k in 0..rows.sections.len() {
            if let Some(v) = r.sections.get(k).copied().flatten() {
                ws.write_number(row, col, f64::from(v))?;
            }
            col += 1;
        }
        for k in 0..rows.items.len() {
            if let Some(v) = r.scores.get(k).copied().flatten() {
                ws.write_number(row, col, f64::from(v))?;
            }
            col += 1;
        }
    }
    finish(ws, rows.reviews.len() as u32, headers.len())
}

fn summary_sheets(wb: &mut Workbook, s: &Summary, lang: Lang, f: &Formats) -> Result<(), XlsxError> {
    // The items, then the bands below them (a blank row between).
    let headers = ["core.xlsx.item", "core.xlsx.name", "core.xlsx.mean", "core.xlsx.median", "core.xlsx.scored"]
        .map(|k| t(lang, k));
    let ws = sheet(wb, t(lang, "core.xlsx.sheet_summary"), &headers, f)?;
    for (i, item) in s.items.iter().enumerate() {
        let row = i as u32 + 1;
        ws.write_string(row, 0, &item.id)?;
        ws.write_string(row, 1, &item.name)?;
        if item.scored > 0 {
            ws.write_number_with_format(row, 2, item.mean, &f.decimal)?;
            ws.write_number_with_format(row, 3, item.median, &f.decimal)?;
        }
        ws.write_number(row, 4, item.scored as f64)?;
    }
    let items_end = s.items.len() as u32;
    // The autofilter covers the item table; the band table is below it.
    ws.autofilter(0, 0, items_end, headers.len() as u16 - 1)?;
    let band_head = items_end + 2;
    ws.write_string_with_format(band_head, 0, t(lang, "core.xlsx.band"), &f.header)?;
    ws.write_string_with_format(band_head, 1, t(lang, "core.xlsx.services"), &f.header)?;
    for (i, b) in s.bands.iter().enumerate() {
        let row = band_head + 1 + i as u32;
        ws.write_string(row, 0, &b.label)?;
        ws.write_number(row, 1, b.count as f64)?;
    }
    ws.autofit();
    // The items' names are long: a readable column, not one as wide as the longest name.
    ws.set_column_width(1, 60)?;

    // Services × items: each service's latest complete independent review.
    let fixed = ["core.xlsx.service", "core.xlsx.region", "core.xlsx.date", "core.xlsx.total", "core.xlsx.band"];
    let mut headers: Vec<&str> = fixed.iter().map(|k| t(lang, k)).collect();
    headers.extend(s.items.iter().map(|i| i.id.as_str()));
    let ws = sheet(wb, t(lang, "core.xlsx.sheet_services"), &headers, f)?;
    for (i, r) in s.rows.iter().enumerate() {
        let row = i as u32 + 1;
        ws.write_string(row, 0, &r.name)?;
        ws.write_string(row, 1, &r.region)?;
        date_cell(ws, row, 2, r.date, f)?;
        ws.write_number(row, 3, f64::from(r.total))?;
        ws.write_string(row, 4, r.band.as_deref().unwrap_or(""))?;
        for (k, v) in r.scores.iter().enumerate() {
            if let Some(v) = v {
                ws.write_number(row, (fixed.len() + k) as u16, f64::from(*v))?;
            }
        }
    }
    finish(ws, s.rows.len() as u32, headers.len())
}

fn outcomes_sheet(wb: &mut Workbook, rows: &WorkbookRows, lang: Lang, f: &Formats) -> Result<(), XlsxError> {
    let keys = [
        "core.xlsx.service",
        "core.xlsx.region",
        "core.xlsx.quarter",
        "core.xlsx.job_seekers",
        "core.xlsx.in_work",
        "core.xlsx.in_education",
        "core.xlsx.new_jobs",
        "core.xlsx.fte",
        "core.xlsx.employment_rate",
        "core.xlsx.per_fte",
    ];
    let headers = keys.map(|k| t(lang, k));
    let ws = sheet(wb, t(lang, "core.xlsx.sheet_outcomes"), &headers, f)?;
    for (i, (at, q)) in rows.outcomes.iter().enumerate() {
        let row = i as u32 + 1;
        let (name, region) = &rows.services[*at as usize];
        ws.write_string(row, 0, name)?;
        ws.write_string(row, 1, region)?;
        let quarter = fill(
            t(lang, "core.xlsx.quarter_name"),
            &[("q", q.period.q.to_string()), ("year", q.period.year.to_string())],
        );
        ws.write_string(row, 2, &quarter)?;
        ws.write_number(row, 3, f64::from(q.job_seekers))?;
        ws.write_number(row, 4, f64::from(q.in_work))?;
        if let Some(e) = q.in_education {
            ws.write_number(row, 5, f64::from(e))?;
        }
        ws.write_number(row, 6, f64::from(q.new_jobs))?;
        ws.write_number_with_format(row, 7, q.specialist_fte, &f.decimal)?;
        if let Some(share) = q.employment_rate() {
            ws.write_number_with_format(row, 8, share, &f.percent)?;
        }
        if let Some(per) = q.job_seekers_per_fte() {
            ws.write_number_with_format(row, 9, per, &f.decimal)?;
        }
    }
    finish(ws, rows.outcomes.len() as u32, headers.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sheet_of_more_rows_than_excel_holds_is_an_error_not_a_panic() {
        let mut wb = Workbook::new();
        let f = Formats::new();
        let ws = sheet(&mut wb, "x", &["a"], &f).expect("sheet");
        assert!(ws.write_number(1_048_576, 0, 1.0).is_err());
    }
}
