//! CSV export (one row per evaluation, for Excel and R) and CSV import in the same layout.
//! Import is all-or-nothing per file: a file with any bad row imports nothing, and every
//! problem is reported with the line and column.

use std::collections::BTreeMap;
use std::io::Write;

use crate::incoming::{self, TableReview};
use crate::workspace::{Scan, ServiceRecord, Workspace};
use ips_domain::evaluation::{Evaluation, EvaluationType};
use ips_domain::scale::{DataFileError, Problem};
use ips_domain::scoring::score;
use ips_domain::service::{DEFAULT_SCALE, ScaleSet};
use ips_text::text::{Lang, parse_date, parse_number};

/// The fixed columns before the item columns.
pub const FIXED_COLUMNS: [&str; 6] = ["service", "date", "type", "scale", "total", "band"];

/// CSV dialect: plain (comma, no BOM, ISO dates; for R and scripts) or Excel: what
/// Norwegian Excel opens as a table with its cells typed, i.e. a BOM (for æøå), semicolons
/// (its list separator), CRLF line ends and day-first dates `21.04.2026`, which it reads as
/// dates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Dialect {
    #[default]
    Plain,
    Excel,
}

/// The export's rows, gathered service by service. The header's item columns are every
/// item of every scale in use (default scale first, in scale order), known only when the
/// last review is seen: so each row is held as a compact record (about 100 bytes: no text
/// but the band) until the header can be written, and the full reviews are not kept.
#[derive(Debug, Default)]
pub struct CsvExport {
    /// Service names, each once.
    names: Vec<String>,
    /// The item columns so far, and the scale ids they came from.
    columns: Vec<String>,
    scale_ids: Vec<String>,
    rows: Vec<SpooledRow>,
}

#[derive(Debug)]
struct SpooledRow {
    name: u32,
    date: chrono::NaiveDate,
    kind: EvaluationType,
    scale: u16,
    total: u32,
    band: Box<str>,
    /// Per item column known when the row came.
    scores: Box<[Option<u8>]>,
}

impl CsvExport {
    pub fn new(scales: &ScaleSet) -> Self {
        let mut export = CsvExport::default();
        export.use_scale(scales, DEFAULT_SCALE);
        export
    }

    /// The index of scale `id`, adding its items to the columns the first time.
    fn use_scale(&mut self, scales: &ScaleSet, id: &str) -> u16 {
        if let Some(i) = self.scale_ids.iter().position(|s| s == id) {
            return i as u16;
        }
        self.scale_ids.push(id.to_string());
        for scale in scales.versions_for_columns(id) {
            for item in &scale.items {
                if !self.columns.contains(&item.id) {
                    self.columns.push(item.id.clone());
                }
            }
        }
        (self.scale_ids.len() - 1) as u16
    }

    /// Adds a row per review of `service` whose scale is known here, each scored on the
    /// scale version it records (a corrected scale never re-bands it).
    pub fn add_service(&mut self, scales: &ScaleSet, service: &ServiceRecord, lang: Lang) {
        let name = self.names.len() as u32;
        self.names.push(service.info.name.clone());
        for rec in &service.evaluations {
            let e = &rec.evaluation;
            let Some(scale) = scales.for_evaluation(e) else {
                continue;
            };
            let summary = score(scale, &e.scores);
            let band = summary.band(scale).map(|b| b.label.get(lang)).unwrap_or_default().into();
            let scale_index = self.use_scale(scales, &e.scale);
            let scores = self.columns.iter().map(|id| e.scores.get(id).copied()).collect();
            self.rows.push(SpooledRow {
                name,
                date: e.date,
                kind: e.kind,
                scale: scale_index,
                total: summary.total,
                band,
                scores,
            });
        }
    }

    /// Writes the header and every row; returns the number of rows.
    pub fn write(&self, dialect: Dialect, out: &mut dyn Write) -> std::io::Result<usize> {
        let excel = dialect == Dialect::Excel;
        if excel {
            out.write_all("\u{feff}".as_bytes())?;
        }
        let mut w = csv::WriterBuilder::new()
            .delimiter(if excel { b';' } else { b',' })
            .terminator(if excel { csv::Terminator::CRLF } else { csv::Terminator::Any(b'\n') })
            .from_writer(out);
        w.write_record(FIXED_COLUMNS.iter().copied().chain(self.columns.iter().map(String::as_str)))?;
        let mut cells: Vec<String> = Vec::with_capacity(FIXED_COLUMNS.len() + self.columns.len());
        for row in &self.rows {
            cells.clear();
            cells.push(self.names[row.name as usize].clone());
            // Files and plain exports keep ISO dates; Excel gets the dates it recognises.
            cells.push(if excel {
                ips_text::text::norwegian_date(row.date)
            } else {
                row.date.format("%Y-%m-%d").to_string()
            });
            cells.push(row.kind.code().to_string());
            cells.push(self.scale_ids[row.scale as usize].clone());
            cells.push(row.total.to_string());
            cells.push(row.band.to_string());
            cells.extend(
                (0..self.columns.len())
                    .map(|k| row.scores.get(k).copied().flatten().map_or(String::new(), |s| s.to_string())),
            );
            w.write_record(&cells)?;
        }
        w.flush()?;
        Ok(self.rows.len())
    }
}

/// Writes every evaluation in the workspace as CSV.
pub fn export(ws: &Workspace, lang: Lang, dialect: Dialect, out: &mut dyn Write) -> std::io::Result<usize> {
    let mut export = CsvExport::new(&ws.scales);
    for service in &ws.services {
        export.add_service(&ws.scales, service, lang);
    }
    export.write(dialect, out)
}

/// Writes every evaluation in the workspace at `root` as CSV without loading the workspace:
/// services are read a batch at a time ([`scan`]), so memory stays near the size of the
/// rows, not of the reviews. Returns the number of rows and what the scan found; nothing is
/// written when the workspace cannot be read.
pub fn export_from_disk(
    root: &std::path::Path,
    lang: Lang,
    dialect: Dialect,
    out: &mut dyn Write,
) -> std::io::Result<(usize, Scan)> {
    let (export, found) = gather_from_disk(root, None, lang);
    if found.unreachable.is_some() {
        return Ok((0, found));
    }
    Ok((export.write(dialect, out)?, found))
}

/// The rows of every review of the workspace at `root`, read as [`export_from_disk`] does.
pub fn gather_from_disk(
    root: &std::path::Path,
    index: Option<&crate::index::WorkspaceIndex>,
    lang: Lang,
) -> (CsvExport, Scan) {
    let mut export: Option<CsvExport> = None;
    let found = crate::workspace::scan_with(root, index, |scales, service| {
        export.get_or_insert_with(|| CsvExport::new(scales)).add_service(scales, &service, lang);
        Ok::<(), std::convert::Infallible>(())
    })
    .unwrap_or_else(|never| match never {});
    let export = export.unwrap_or_else(|| CsvExport::new(&found.scales));
    (export, found)
}

/// Parses a CSV file in the export's layout into evaluations. `file` names the source in
/// every message. Columns: `service` and `date` are required; `type` defaults to
/// independent, `scale` to ips-25; `total`, `band` and `nav_office` are accepted; every
/// other column must be an item id of the row's scale. Empty cells are unscored items.
pub fn import(file: &str, text: &str, scales: &ScaleSet) -> Result<Vec<Evaluation>, DataFileError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut reader = crate::csv_read::reader_of(text);
    let mut problems = Vec::new();
    let headers: Vec<String> = match reader.headers() {
        Ok(h) => h.iter().map(|s| s.trim().to_string()).collect(),
        Err(e) => return Err(DataFileError::single(file, "", ips_text::msg!("core.csv.line", line = 1, error = e))),
    };
    if let Some(e) = crate::csv_read::duplicate_column(file, &headers) {
        return Err(e);
    }
    let col = |name: &str| headers.iter().position(|h| h.eq_ignore_ascii_case(name));
    let (Some(c_service), Some(c_date)) = (col("service"), col("date")) else {
        return Err(DataFileError::single(file, "", ips_text::msg!("core.csv.header")));
    };
    let c_type = col("type");
    let c_scale = col("scale");
    let c_office = col("nav_office");
    let known = ["service", "date", "type", "scale", "total", "band", "nav_office"];
    let mut evaluations = Vec::new();
    let mut lines = crate::csv_read::LineCounter::new(text);
    for (row_no, record) in reader.records().enumerate() {
        // The file's line where the record starts, counted from its byte offset: quoted
        // cells may span lines, and the reader's own line count goes wrong with CRLF.
        let position = match &record {
            Ok(r) => r.position(),
            Err(e) => e.position(),
        };
        let line = lines.line_of(position, row_no);
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                problems.push(Problem::new("", ips_text::msg!("core.csv.line", line = line, error = e)));
                continue;
            }
        };
        let cell = |c: Option<usize>| c.and_then(|c| record.get(c)).map(str::trim).unwrap_or("");
        let service = cell(Some(c_service)).to_string();
        if service.is_empty() {
            problems.push(Problem::new("", ips_text::msg!("core.csv.no_service", line = line)));
        }
        let date = match parse_date(cell(Some(c_date))) {
            Some(d) => d,
            None => {
                let m = ips_text::msg!("core.csv.not_a_date", line = line, value = cell(Some(c_date)));
                problems.push(Problem::new("", m));
                continue;
            }
        };
        let kind = match EvaluationType::from_code(cell(c_type)) {
            Some(k) => k,
            None => {
                let m = ips_text::msg!("core.csv.unknown_type", line = line, value = cell(c_type));
                problems.push(Problem::new("", m));
                continue;
            }
        };
        let scale_id = match cell(c_scale) {
            "" => DEFAULT_SCALE,
            s => s,
        };
        let Some(scale) = scales.get(scale_id) else {
            problems.push(Problem::new("", ips_text::msg!("core.csv.unknown_scale", line = line, scale = scale_id)));
            continue;
        };
        let mut scores = BTreeMap::new();
        for (i, header) in headers.iter().enumerate() {
            if known.iter().any(|k| header.eq_ignore_ascii_case(k)) {
                continue;
            }
            let value = record.get(i).map(str::trim).unwrap_or("");
            if scale.item(header).is_none() {
                if !value.is_empty() {
                    let m = ips_text::msg!("core.csv.unknown_item", line = line, item = header, scale = scale_id);
                    problems.push(Problem::new("", m));
                }
                continue;
            }
            if value.is_empty() {
                continue;
            }
            // A whole number, also as Excel may write it ("4,0" with a decimal comma).
            let whole = parse_number(value).filter(|v| v.fract() == 0.0 && (0.0..=255.0).contains(v)).map(|v| v as u8);
            match whole {
                Some(s) if scale.score_range().contains(&s) => {
                    scores.insert(header.clone(), s);
                }
                _ => problems.push(Problem::new(
                    "",
                    ips_text::msg!(
                        "core.csv.bad_score",
                        line = line,
                        item = header,
                        value = value,
                        min = scale.score_min,
                        max = scale.score_max
                    ),
                )),
            }
        }
        let row = TableReview { scale, service, nav_office: Some(cell(c_office).to_string()), date, kind, scores };
        // The checks every review passes, whichever way it comes (a plausible date, …).
        // The cells were checked above with their line; what is left is said with it too.
        let checked = incoming::checked(
            scales,
            row,
            |from, to| {
                let m = ips_text::msg!(
                    "core.csv.implausible_date",
                    line = line,
                    value = cell(Some(c_date)),
                    from = from,
                    to = to
                );
                Problem::new("", m)
            },
            |p| Problem { location: format!("{line}: {}", p.location), ..p },
        );
        match checked {
            Ok(e) => evaluations.push(e),
            Err(ps) => problems.extend(ps),
        }
    }
    if problems.is_empty() { Ok(evaluations) } else { Err(DataFileError { file: file.to_string(), problems }) }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scales() -> ScaleSet {
        ScaleSet::builtin().0
    }

    #[test]
    fn minimal_csv_imports_with_defaults() {
        let csv = "service,date,B1,B2\nIPS Bodø,2026-05-04,5,4\nIPS Bodø,2025-05-04,,3\n";
        let evs = import("a.csv", csv, &scales()).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(evs.len(), 2);
        assert_eq!(evs[0].scale, "ips-25");
        assert_eq!(evs[0].kind, EvaluationType::Independent);
        assert_eq!(evs[0].scores.get("B1"), Some(&5));
        assert_eq!(evs[1].scores.get("B1"), None);
    }

    #[test]
    fn excel_dialect_with_bom_and_semicolons() {
        let csv = "\u{feff}service;date;type;B1\n\"IPS Ås; Vestby\";2026-05-04;self_assessment;2\n";
        let evs = import("a.csv", csv, &scales()).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(evs[0].service.name(), "IPS Ås; Vestby");
        assert_eq!(evs[0].kind, EvaluationType::SelfAssessment);
    }

    #[test]
    fn every_bad_cell_is_reported_with_line_and_column() {
        let csv = "service,date,B1,Q7\nA,2026-05-04,7,\nB,04.05.2026,3,\nC,2026-01-01,x,2\n";
        let err = import("bad.csv", csv, &scales()).err().map(|e| e.lines()).unwrap_or_default();
        assert!(
            err.contains(
                &"bad.csv: line 2, column B1: score '7' is not a whole number in the scale's range 1–5".to_string()
            ),
            "{err:?}"
        );
        // A day-first date is a date (Norwegian Excel writes them so).
        assert!(err.iter().all(|l| !l.contains("line 3")), "{err:?}");
        assert!(err.iter().any(|l| l.starts_with("bad.csv: line 4, column Q7: unknown item id 'Q7'")), "{err:?}");
        assert_eq!(err.len(), 3, "{err:?}");
    }

    #[test]
    fn line_numbers_follow_multi_line_cells() {
        let csv = "service,date,B1\n\"IPS\nNord\",2026-01-01,3\nB,2026-01-01,9\n";
        let err = import("x.csv", csv, &scales()).err().map(|e| e.lines()).unwrap_or_default();
        assert!(err.iter().any(|l| l.starts_with("x.csv: line 4, column B1:")), "{err:?}");
    }

    #[test]
    fn missing_columns() {
        let err = import("x.csv", "name,when\n", &scales()).err().map(|e| e.to_string()).unwrap_or_default();
        assert_eq!(err, "x.csv: line 1: the header needs at least the columns 'service' and 'date'");
    }

    /// A Norwegian Excel user's CSV: byte-order mark, semicolons, CRLF, day-first dates.
    #[test]
    fn norwegian_excel_csv_imports() {
        let text = "\u{feff}service;date;type;B1;B2\r\nIPS Ås;04.05.2026;independent;3;4\r\nIPS Ås;4.5.26;self_assessment;2;\r\n";
        let evs = import("excel.csv", text, &scales()).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(evs.len(), 2);
        let may4 = chrono::NaiveDate::from_ymd_opt(2026, 5, 4).unwrap_or_default();
        assert!(evs.iter().all(|e| e.date == may4), "{:?}", evs.iter().map(|e| e.date).collect::<Vec<_>>());
        assert_eq!(evs[0].scores.get("B2"), Some(&4));
        // An error names the file's real line (the header is line 1).
        let bad = "\u{feff}service;date;B1\r\nIPS Ås;04.05.2026;3\r\nIPS Ås;31.02.2026;3\r\n";
        let err = import("excel.csv", bad, &scales()).err().map(|e| e.to_string()).unwrap_or_default();
        assert!(err.contains("excel.csv: line 3, column 'date': '31.02.2026' is not a date"), "{err}");
        // Scores Excel wrote with a decimal comma are the same whole scores; 4,5 is not one.
        let commas = "service;date;B1;B2\r\nIPS Ås;04.05.2026;3,0;\"4,0\"\r\n";
        let evs = import("excel.csv", commas, &scales()).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!((evs[0].scores.get("B1"), evs[0].scores.get("B2")), (Some(&3), Some(&4)));
        let half = "service;date;B1\r\nIPS Ås;04.05.2026;4,5\r\n";
        let err = import("excel.csv", half, &scales()).err().map(|e| e.to_string()).unwrap_or_default();
        assert!(err.contains("line 2") && err.contains("4,5"), "{err}");
    }

    /// The Excel export: BOM, semicolons, CRLF and dates Norwegian Excel reads as dates.
    #[test]
    fn excel_export_has_norwegian_dates() {
        let dir = std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../../examples/workspace"));
        let ws = Workspace::load(dir);
        let mut out = Vec::new();
        let rows = export(&ws, Lang::Nb, Dialect::Excel, &mut out).unwrap_or_else(|e| panic!("{e}"));
        let text = String::from_utf8(out).unwrap_or_default();
        assert!(text.starts_with("\u{feff}service;date;type;"), "{}", &text[..40.min(text.len())]);
        assert_eq!(text.matches("\r\n").count(), rows + 1, "CRLF on every line");
        assert!(text.contains("IPS Nordby;21.04.2026;independent;ips-25;106;Bra kvalitet;"), "{text}");
        let mut plain = Vec::new();
        export(&ws, Lang::Nb, Dialect::Plain, &mut plain).unwrap_or_else(|e| panic!("{e}"));
        assert!(String::from_utf8(plain).unwrap_or_default().contains("IPS Nordby,2026-04-21,independent"));
    }
}
