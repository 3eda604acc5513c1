//! Reading Excel workbooks (.xlsx, .xlsm, .xls, .ods) to import reviews, through calamine.
//! Two layouts are accepted, the two that old scoring files have (docs/formats.md):
//! - **one row per review**: a header row with Tjeneste/Service, Dato/Date and item
//!   columns (item ids, or the items' nb or en names, matched without regard to case and
//!   spacing); Type, Skala/Scale and NAV-kontor are read where present;
//! - **a scoring sheet**: one row per item (an id or name column and a Skår/Score column),
//!   the service and date in labelled cells above the table ("Tjeneste:", "Dato:") or given
//!   by the caller ([`SheetDefaults`]).
//!
//! The format is judged from the bytes, not the name (a workbook renamed .xls is still
//! read; a text file named .xlsx is refused as not a workbook), and an encrypted workbook is
//! refused as such. Every cell that cannot be read is named by sheet and cell
//! ("Ark1!G3: «6» er utenfor 1–5") and a file with any such cell gives nothing. Computed
//! cells (formulas: a total row) are left out; a merged cell counts for every row it spans
//! where it names the service, date or type, and is refused where it would be a score.

use std::collections::{BTreeMap, HashMap};
use std::io::Cursor;
use std::path::Path;

use calamine::{Data, Dimensions, Range, Reader, Sheets};
use chrono::NaiveDate;

use crate::incoming::{self, TableReview};
use ips_domain::evaluation::{Evaluation, EvaluationType};
use ips_domain::scale::{DataFileError, Problem, Scale};
use ips_domain::service::{DEFAULT_SCALE, ScaleSet};
use ips_text::i18n::Msg;
use ips_text::text::{Lang, parse_date, parse_number};

/// What the caller knows when a scoring sheet does not say it (the CLI's `--service` and
/// `--date`, the app's preview fields). A value in the sheet wins.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SheetDefaults {
    pub service: Option<String>,
    pub date: Option<NaiveDate>,
}

/// Whether the file is a workbook by its name (as the user's system names it).
pub fn is_workbook(path: &Path) -> bool {
    path.extension()
        .and_then(|x| x.to_str())
        .is_some_and(|x| ["xlsx", "xlsm", "xls", "ods"].iter().any(|w| x.eq_ignore_ascii_case(w)))
}

/// Which layout a review came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layout {
    /// One row per review.
    Rows,
    /// One row per item, the service and date above the table.
    ScoringSheet,
}

/// One review as the workbook has it, before the caller's [`SheetDefaults`]: a scoring
/// sheet may leave out the service or the date.
#[derive(Debug, Clone, PartialEq)]
pub struct SheetReview {
    pub layout: Layout,
    /// Where it is: the row's first cell ("Ark1!A3") or the sheet ("Ark1").
    pub location: String,
    pub service: Option<String>,
    pub nav_office: Option<String>,
    pub date: Option<NaiveDate>,
    /// The date cell's text as written, for a message about it.
    pub date_text: String,
    /// Where the date is (or would be), for a message about it.
    pub date_cell: String,
    pub kind: EvaluationType,
    pub scale: String,
    pub scores: BTreeMap<String, u8>,
}

/// What a workbook holds.
#[derive(Debug, Clone, Default)]
pub struct WorkbookRead {
    pub reviews: Vec<SheetReview>,
    /// Remarks that do not stop the import (columns that are not items), in the language asked.
    pub notes: Vec<String>,
}

impl WorkbookRead {
    /// Whether a scoring sheet lacks the service or the date (the caller must give it).
    pub fn needs(&self) -> (bool, bool) {
        let sheets = self.reviews.iter().filter(|r| r.layout == Layout::ScoringSheet);
        sheets.fold((false, false), |(s, d), r| (s || r.service.is_none(), d || r.date.is_none()))
    }
}

/// Finds the reviews in a workbook's `bytes` (from the file `file`), checked cell by cell
/// against the scales (the service and date of a scoring sheet may still be missing: see
/// [`into_evaluations`]). The file is read by the intake, which calls this.
pub fn read_workbook(file: &str, bytes: &[u8], scales: &ScaleSet, lang: Lang) -> Result<WorkbookRead, DataFileError> {
    let file = file.to_string();
    let grids = open(bytes).map_err(|m| DataFileError::single(&file, "", m))?;
    let words = Words::new(scales);
    let mut found = Found::default();
    let mut any_filled = false;
    for grid in &grids {
        if grid.cells.is_empty() || grid.cells.used_cells().all(|(_, _, d)| text_of(d).is_empty()) {
            continue;
        }
        any_filled = true;
        if let Some(header) = grid.find_rows_header(&words) {
            grid.read_rows(header, &words, scales, &mut found, lang);
        } else if let Some(table) = grid.find_scoring_table(&words) {
            grid.read_scoring_sheet(table, &words, scales, &mut found);
        }
    }
    let Found { read, problems } = found;
    if !problems.is_empty() {
        return Err(DataFileError { file, problems });
    }
    if read.reviews.is_empty() {
        let m =
            if any_filled { ips_text::msg!("core.xlsx_in.no_layout") } else { ips_text::msg!("core.xlsx_in.empty") };
        return Err(DataFileError::single(file, "", m));
    }
    Ok(read)
}

/// The reviews as evaluations, the scoring sheets' missing service and date taken from
/// `defaults`; every review passes the checks a review's own file does.
pub fn into_evaluations(
    file: &str,
    read: &WorkbookRead,
    scales: &ScaleSet,
    defaults: &SheetDefaults,
) -> Result<Vec<Evaluation>, DataFileError> {
    let mut problems = Vec::new();
    let mut evaluations = Vec::new();
    for r in &read.reviews {
        let service = r.service.clone().or_else(|| defaults.service.clone().filter(|s| !s.trim().is_empty()));
        let date = r.date.or(defaults.date);
        let Some(service) = service else {
            problems.push(Problem::new(&r.location, ips_text::msg!("core.xlsx_in.sheet_no_service")));
            continue;
        };
        let Some(date) = date else {
            problems.push(Problem::new(&r.location, ips_text::msg!("core.xlsx_in.sheet_no_date")));
            continue;
        };
        let Some(scale) = scales.get(&r.scale) else {
            continue; // Named when read.
        };
        let row = TableReview {
            scale,
            service,
            nav_office: r.nav_office.clone(),
            date,
            kind: r.kind,
            scores: r.scores.clone(),
        };
        let value = || if r.date_text.is_empty() { date.format("%Y-%m-%d").to_string() } else { r.date_text.clone() };
        let checked = incoming::checked(
            scales,
            row,
            |from, to| {
                let m = ips_text::msg!("core.xlsx_in.implausible_date", value = value(), from = from, to = to);
                Problem::new(&r.date_cell, m)
            },
            |p| Problem { location: format!("{}: {}", r.location, p.location), ..p },
        );
        match checked {
            Ok(e) => evaluations.push(e),
            Err(ps) => problems.extend(ps),
        }
    }
    if problems.is_empty() { Ok(evaluations) } else { Err(DataFileError { file: file.to_string(), problems }) }
}

/// One worksheet: its cells, its formulas (to leave computed cells out) and its merged cells.
struct Grid {
    name: String,
    cells: Range<Data>,
    formulas: Range<String>,
    merged: Vec<Dimensions>,
}

/// Opens the workbook in `bytes` and reads every worksheet.
fn open(bytes: &[u8]) -> Result<Vec<Grid>, Msg> {
    const ZIP: &[u8] = b"PK\x03\x04";
    const OLE: &[u8] = &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    let not_workbook = |e: &dyn std::fmt::Display| ips_text::msg!("core.xlsx_in.not_workbook", error = e);
    let cursor = Cursor::new(bytes);
    let mut sheets: Sheets<Cursor<&[u8]>> = if bytes.starts_with(ZIP) {
        // An OpenDocument file names its kind in its first entry, stored uncompressed.
        let head = &bytes[..bytes.len().min(200)];
        if memchr::memmem::find(head, b"opendocument.spreadsheet").is_some() {
            Sheets::Ods(calamine::Ods::new(cursor).map_err(|e| match e {
                calamine::OdsError::Password => ips_text::msg!("core.xlsx_in.encrypted"),
                e => not_workbook(&e),
            })?)
        } else {
            Sheets::Xlsx(calamine::Xlsx::new(cursor).map_err(|e| not_workbook(&e))?)
        }
    } else if bytes.starts_with(OLE) {
        // An encrypted .xlsx is an OLE container with the workbook in `EncryptedPackage`.
        let marker: Vec<u8> = "EncryptedPackage".encode_utf16().flat_map(u16::to_le_bytes).collect();
        if memchr::memmem::find(bytes, &marker).is_some() {
            return Err(ips_text::msg!("core.xlsx_in.encrypted"));
        }
        Sheets::Xls(calamine::Xls::new(cursor).map_err(|e| match e {
            calamine::XlsError::Password => ips_text::msg!("core.xlsx_in.encrypted"),
            e => not_workbook(&e),
        })?)
    } else {
        return Err(ips_text::msg!("core.xlsx_in.not_a_workbook"));
    };
    let mut grids = Vec::new();
    // Parsing a sheet again for its formulas and merged cells costs as much as reading it:
    // an .xlsx is looked into first, and only what it has is parsed.
    let (formulas_in, merges_in) = match &sheets {
        Sheets::Xlsx(_) => xlsx_has(bytes),
        _ => (true, true),
    };
    for name in sheets.sheet_names() {
        let cells = sheets.worksheet_range(&name).map_err(|e| match e {
            calamine::Error::Ods(calamine::OdsError::Password) | calamine::Error::Xls(calamine::XlsError::Password) => {
                ips_text::msg!("core.xlsx_in.encrypted")
            }
            e => not_workbook(&e),
        })?;
        // A sheet whose formulas cannot be read has its values all the same.
        let formulas = if formulas_in { sheets.worksheet_formula(&name).unwrap_or_default() } else { Range::empty() };
        let merged = match &mut sheets {
            _ if !merges_in => Vec::new(),
            Sheets::Xlsx(x) => x.merge_cells_by_sheet_name(&name).unwrap_or_default(),
            Sheets::Xls(x) => x.merge_cells_by_sheet_name(&name).unwrap_or_default(),
            _ => Vec::new(),
        };
        grids.push(Grid { name, cells, formulas, merged });
    }
    Ok(grids)
}

/// Whether the worksheets of an .xlsx have any formulas and any merged cells (from their
/// XML, unparsed); `true` when that cannot be told, so they are parsed for.
fn xlsx_has(bytes: &[u8]) -> (bool, bool) {
    use std::io::Read;
    let Ok(mut zip) = zip::ZipArchive::new(Cursor::new(bytes)) else {
        return (true, true);
    };
    let (mut formulas, mut merges) = (false, false);
    for k in 0..zip.len() {
        let Ok(mut entry) = zip.by_index(k) else {
            return (true, true);
        };
        let name = entry.name().map(|n| n.into_owned()).unwrap_or_default();
        if !(name.starts_with("xl/worksheets/") && name.ends_with(".xml")) {
            continue;
        }
        let mut xml = Vec::new();
        if entry.read_to_end(&mut xml).is_err() {
            return (true, true);
        }
        let has = |needle: &[u8]| memchr::memmem::find(&xml, needle).is_some();
        formulas = formulas || has(b"<f>") || has(b"<f ") || has(b"<x:f");
        merges = merges || has(b"<mergeCell ") || has(b"<x:mergeCell");
    }
    (formulas, merges)
}

/// The words the two layouts are found by, and the scales' items by id and name.
struct Words {
    /// Per scale: an item's id and its names (normalised) to its id.
    items: HashMap<String, HashMap<String, String>>,
    /// Headers of the rows layout that are known and not items (region, total, band,
    /// sections, …): left out without a note.
    known_other: Vec<String>,
}

// The bokmål, nynorsk and English words for each header.
const SERVICE: &[&str] =
    &["tjeneste", "teneste", "service", "ips-tjeneste", "ips-teneste", "tjenestenavn", "tenestenamn"];
const DATE: &[&str] = &["dato", "date", "evalueringsdato"];
const TYPE: &[&str] = &["type", "evalueringstype"];
const SCALE: &[&str] = &["skala", "scale"];
const OFFICE: &[&str] = &["nav-kontor", "nav_office", "nav office", "nav kontor"];
const SCORE: &[&str] = &["skår", "skar", "score", "poeng"];
/// A row in a scoring sheet that adds up the others.
const TOTAL: &[&str] =
    &["sum", "total", "totalt", "totalskår", "total skår", "samlet skår", "samla skår", "sum skår", "gjennomsnitt"];

impl Words {
    fn new(scales: &ScaleSet) -> Words {
        let mut items: HashMap<String, HashMap<String, String>> = HashMap::new();
        let mut known_other: Vec<String> =
            ["region", "status", "versjon", "version", "total", "band", "kvalitetsnivå", "sum", "totalskår"]
                .iter()
                .map(|s| s.to_string())
                .collect();
        for lang in Lang::ALL {
            for key in
                ["core.xlsx.region", "core.xlsx.status", "core.xlsx.version", "core.xlsx.total", "core.xlsx.band"]
            {
                known_other.push(norm(ips_text::i18n::text(lang, key)));
            }
        }
        for scale in scales.all() {
            let map = items.entry(scale.id.clone()).or_default();
            for item in &scale.items {
                for key in [&item.id, &item.name.nb, &item.name.en] {
                    map.entry(norm(key)).or_insert_with(|| item.id.clone());
                }
            }
            for section in &scale.sections {
                known_other.extend([norm(&section.name.nb), norm(&section.name.en), norm(&section.id)]);
            }
        }
        Words { items, known_other }
    }

    /// The item a header or label names in `scale`: its id, its name, or an id in front of
    /// the name ("B1. Antall jobbspesialister").
    fn item(&self, scale: &str, text: &str) -> Option<&str> {
        let map = self.items.get(scale)?;
        let n = norm(text);
        if n.is_empty() {
            return None;
        }
        if let Some(id) = map.get(&n) {
            return Some(id);
        }
        let first = n.split([' ', '.', ':', '-', ')']).next().unwrap_or("");
        map.get(first).filter(|id| id.eq_ignore_ascii_case(first)).map(String::as_str)
    }

    /// The item in any scale (for finding the layout before the scale is known).
    fn any_item(&self, text: &str) -> bool {
        self.items.keys().any(|s| self.item(s, text).is_some())
    }
}

/// Text as matched: lower case, one space between words, no colon at the end.
fn norm(s: &str) -> String {
    let lower = s.replace('\u{a0}', " ").to_lowercase();
    let joined = lower.split_whitespace().collect::<Vec<_>>().join(" ");
    joined.trim_end_matches(':').trim().to_string()
}

fn is_one_of(words: &[&str], text: &str) -> bool {
    let n = norm(text);
    words.contains(&n.as_str())
}

/// A cell's value as text, as the user sees it (a date as 21.04.2026).
fn text_of(d: &Data) -> String {
    match d {
        Data::Empty => String::new(),
        Data::String(s) => s.trim().to_string(),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        Data::Float(f) => f.to_string().replace('.', ","),
        Data::Int(i) => i.to_string(),
        Data::Bool(b) => b.to_string(),
        Data::DateTime(x) => x.as_datetime().map(|d| ips_text::text::norwegian_date(d.date())).unwrap_or_default(),
        Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::Error(e) => e.to_string(),
    }
}

/// A cell's column and row as Excel names them ("G3").
fn a1(row: u32, col: u32) -> String {
    let mut letters = Vec::new();
    let mut c = col + 1;
    while c > 0 {
        let rem = ((c - 1) % 26) as u8;
        letters.push(char::from(b'A' + rem));
        c = (c - 1) / 26;
    }
    letters.iter().rev().collect::<String>() + &(row + 1).to_string()
}

/// A scale's item columns (column, item id), and the columns that are neither items nor known.
type ColumnsOf<'a> = (Vec<(u32, String)>, Vec<&'a (u32, String)>);

/// What the sheets gave so far: reviews and notes, and the cells that could not be read.
#[derive(Default)]
struct Found {
    read: WorkbookRead,
    problems: Vec<Problem>,
}

/// How far down the first rows a header row is looked for.
const HEADER_ROWS: u32 = 30;

impl Grid {
    /// The rows in use (an empty sheet has none: it is passed over before).
    fn rows(&self) -> std::ops::RangeInclusive<u32> {
        let (start, end) = (self.cells.start().unwrap_or_default(), self.cells.end().unwrap_or_default());
        start.0..=end.0
    }

    fn cols(&self) -> std::ops::RangeInclusive<u32> {
        let (start, end) = (self.cells.start().unwrap_or_default(), self.cells.end().unwrap_or_default());
        start.1..=end.1
    }

    fn cell_name(&self, row: u32, col: u32) -> String {
        format!("{}!{}", self.name, a1(row, col))
    }

    /// The merged region of more than one cell that holds this cell.
    fn merged_at(&self, row: u32, col: u32) -> Option<&Dimensions> {
        self.merged
            .iter()
            .find(|m| (m.start.0..=m.end.0).contains(&row) && (m.start.1..=m.end.1).contains(&col) && m.start != m.end)
    }

    /// The cell's value; inside a merged region, the region's (its first cell's).
    fn value(&self, row: u32, col: u32) -> &Data {
        let (r, c) = self.merged_at(row, col).map_or((row, col), |m| m.start);
        self.cells.get_value((r, c)).unwrap_or(&Data::Empty)
    }

    fn is_formula(&self, row: u32, col: u32) -> bool {
        self.formulas.get_value((row, col)).is_some_and(|f| !f.trim().is_empty())
    }

    fn text(&self, row: u32, col: u32) -> String {
        text_of(self.value(row, col))
    }

    /// The first row with a service, a date and at least one item column.
    fn find_rows_header(&self, words: &Words) -> Option<u32> {
        self.rows().take(HEADER_ROWS as usize).find(|&r| {
            let texts: Vec<String> = self.cols().map(|c| self.text(r, c)).collect();
            texts.iter().any(|t| is_one_of(SERVICE, t))
                && texts.iter().any(|t| is_one_of(DATE, t))
                && texts.iter().any(|t| words.any_item(t))
        })
    }

    /// The first row with a Skår/Score cell, and the column beside it that names items in
    /// the rows below (the one naming most of them).
    fn find_scoring_table(&self, words: &Words) -> Option<(u32, u32, u32)> {
        for r in self.rows().take(HEADER_ROWS as usize) {
            let Some(score_col) = self.cols().find(|&c| is_one_of(SCORE, &self.text(r, c))) else {
                continue;
            };
            let below = (r + 1)..=*self.rows().end();
            let named = |c: u32| below.clone().filter(|&rr| words.any_item(&self.text(rr, c))).count();
            let best = self.cols().filter(|&c| c != score_col).map(|c| (named(c), c)).filter(|(n, _)| *n > 0);
            // Most items named; of equals, the leftmost. When none is (every id mistyped),
            // the nearest headed column to the left, so that the mistakes are named.
            if let Some((_, item_col)) = best.max_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1))) {
                return Some((r, item_col, score_col));
            }
            let left = (*self.cols().start()..score_col).rev().find(|&c| !self.text(r, c).is_empty());
            if let Some(item_col) = left {
                return Some((r, item_col, score_col));
            }
        }
        None
    }

    fn read_rows(&self, header: u32, words: &Words, scales: &ScaleSet, found: &mut Found, lang: Lang) {
        let Found { read, problems } = found;
        let headers: Vec<(u32, String)> = self.cols().map(|c| (c, self.text(header, c))).collect();
        let col = |words: &[&str]| headers.iter().find(|(_, h)| is_one_of(words, h)).map(|(c, _)| *c);
        let (Some(c_service), Some(c_date)) = (col(SERVICE), col(DATE)) else {
            return;
        };
        let (c_type, c_scale, c_office) = (col(TYPE), col(SCALE), col(OFFICE));
        let fixed = [Some(c_service), Some(c_date), c_type, c_scale, c_office];
        let others: Vec<&(u32, String)> =
            headers.iter().filter(|(c, h)| !fixed.contains(&Some(*c)) && !h.is_empty()).collect();
        let mut unread: Vec<String> = Vec::new();
        // Per scale (rows may name theirs): its item columns, and the columns that are
        // neither items nor known, worked out once.
        let mut layouts: HashMap<String, ColumnsOf<'_>> = HashMap::new();
        for r in (header + 1)..=*self.rows().end() {
            let filled = |c: u32| match self.value(r, c) {
                Data::Empty => false,
                Data::String(s) => !s.trim().is_empty(),
                _ => true,
            };
            if !self.cols().any(filled) {
                continue;
            }
            let scale_text = c_scale.map(|c| self.text(r, c)).unwrap_or_default();
            let scale_id = if scale_text.is_empty() { DEFAULT_SCALE } else { scale_text.as_str() };
            let Some(scale) = scales.get(scale_id) else {
                let at = self.cell_name(r, c_scale.unwrap_or(c_service));
                problems.push(Problem::new(at, ips_text::msg!("core.xlsx_in.unknown_scale", value = scale_text)));
                continue;
            };
            let (item_cols, unknown) = layouts.entry(scale.id.clone()).or_insert_with(|| {
                let items = others
                    .iter()
                    .filter_map(|(c, h)| words.item(&scale.id, h).map(|id| (*c, id.to_string())))
                    .collect();
                let unknown = others
                    .iter()
                    .filter(|(_, h)| words.item(&scale.id, h).is_none() && !words.known_other.contains(&norm(h)))
                    .copied()
                    .collect();
                (items, unknown)
            });
            // A row computed from the others (a total or mean at the bottom) is not a review.
            let computed = item_cols.iter().filter(|(c, _)| filled(*c)).all(|(c, _)| self.is_formula(r, *c))
                && item_cols.iter().any(|(c, _)| filled(*c));
            let service = self.text(r, c_service);
            if computed || (is_one_of(TOTAL, &service) && self.text(r, c_date).is_empty()) {
                continue;
            }
            for (c, h) in unknown.iter() {
                if filled(*c) && !unread.contains(h) {
                    unread.push(h.clone());
                }
            }
            let before = problems.len();
            if service.is_empty() {
                problems.push(Problem::new(self.cell_name(r, c_service), ips_text::msg!("core.xlsx_in.no_service")));
            }
            let (date, date_text) = self.date_at(r, c_date, problems);
            let kind = c_type.map_or(Some(EvaluationType::Independent), |c| self.kind_at(r, c, problems));
            let mut scores = BTreeMap::new();
            for (c, id) in item_cols.iter() {
                if let Some(s) = self.score_at(r, *c, scale, problems) {
                    scores.insert(id.clone(), s);
                }
            }
            if problems.len() > before {
                continue;
            }
            let office = c_office.map(|c| self.text(r, c)).filter(|o| !o.is_empty());
            read.reviews.push(SheetReview {
                layout: Layout::Rows,
                location: self.cell_name(r, c_service),
                service: Some(service),
                nav_office: office,
                date,
                date_text,
                date_cell: self.cell_name(r, c_date),
                kind: kind.unwrap_or_default(),
                scale: scale.id.clone(),
                scores,
            });
        }
        if !unread.is_empty() {
            let columns = unread.iter().map(|h| format!("«{h}»")).collect::<Vec<_>>().join(", ");
            let m = ips_text::msg!("core.xlsx_in.columns_ignored", sheet = self.name, columns = columns);
            read.notes.push(m.text(lang));
        }
    }

    fn read_scoring_sheet(&self, table: (u32, u32, u32), words: &Words, scales: &ScaleSet, found: &mut Found) {
        let (header, item_col, score_col) = table;
        let Found { read, problems } = found;
        let before = problems.len();
        // The labelled cells above the table: "Tjeneste:" and the value to its right (or
        // in the same cell after the colon).
        let mut service = None;
        let mut office = None;
        let mut date = None;
        let mut date_text = String::new();
        let mut date_cell = self.name.clone();
        let mut kind = EvaluationType::Independent;
        let mut scale_id = DEFAULT_SCALE.to_string();
        for r in *self.rows().start()..header {
            for c in self.cols() {
                let label = self.text(r, c);
                let (label, inline) = match label.split_once(':') {
                    Some((l, v)) if !v.trim().is_empty() => (l.to_string(), Some(v.trim().to_string())),
                    _ => (label, None),
                };
                let is = |words: &[&str]| is_one_of(words, &label);
                if !(is(SERVICE) || is(DATE) || is(TYPE) || is(SCALE) || is(OFFICE)) {
                    continue;
                }
                let value_cell = (c + 1..=*self.cols().end()).find(|&cc| !self.text(r, cc).is_empty());
                if is(DATE) {
                    match (inline.as_deref(), value_cell) {
                        (Some(v), _) => {
                            date_cell = self.cell_name(r, c);
                            date_text = v.to_string();
                            date = parse_date(v);
                            if date.is_none() {
                                let m = ips_text::msg!("core.xlsx_in.not_a_date", value = v);
                                problems.push(Problem::new(self.cell_name(r, c), m));
                            }
                        }
                        (None, Some(vc)) => {
                            date_cell = self.cell_name(r, vc);
                            (date, date_text) = self.date_at(r, vc, problems);
                        }
                        (None, None) => {}
                    }
                    continue;
                }
                let value = inline.or_else(|| value_cell.map(|vc| self.text(r, vc))).filter(|v| !v.is_empty());
                let Some(value) = value else { continue };
                if is(SERVICE) {
                    service = Some(value);
                } else if is(OFFICE) {
                    office = Some(value);
                } else if is(SCALE) {
                    scale_id = value;
                } else if let Some(k) = parse_kind(&value) {
                    kind = k;
                } else {
                    let at = self.cell_name(r, value_cell.unwrap_or(c));
                    problems.push(Problem::new(at, ips_text::msg!("core.xlsx_in.unknown_type", value = value)));
                }
            }
        }
        let Some(scale) = scales.get(&scale_id) else {
            problems.push(Problem::new(&self.name, ips_text::msg!("core.xlsx_in.unknown_scale", value = scale_id)));
            return;
        };
        let mut scores = BTreeMap::new();
        let mut seen: HashMap<String, String> = HashMap::new();
        for r in (header + 1)..=*self.rows().end() {
            let label = self.text(r, item_col);
            let score_text = self.text(r, score_col);
            if (label.is_empty() && score_text.is_empty()) || self.is_formula(r, score_col) {
                continue;
            }
            let Some(id) = words.item(&scale.id, &label) else {
                if score_text.is_empty() || is_one_of(TOTAL, &label) {
                    continue; // A section's heading, or a total typed in.
                }
                let m = ips_text::msg!("core.xlsx_in.unknown_item", value = label, scale = scale.id);
                problems.push(Problem::new(self.cell_name(r, item_col), m));
                continue;
            };
            if let Some(other) = seen.get(id) {
                let m = ips_text::msg!("core.xlsx_in.item_twice", item = id, other = other);
                problems.push(Problem::new(self.cell_name(r, item_col), m));
                continue;
            }
            seen.insert(id.to_string(), a1(r, item_col));
            if let Some(s) = self.score_at(r, score_col, scale, problems) {
                scores.insert(id.to_string(), s);
            }
        }
        if problems.len() > before {
            return;
        }
        read.reviews.push(SheetReview {
            layout: Layout::ScoringSheet,
            location: self.name.clone(),
            service,
            nav_office: office,
            date,
            date_text,
            date_cell,
            kind,
            scale: scale.id.clone(),
            scores,
        });
    }

    /// The date in a cell: a date cell, `21.04.2026` or `2026-04-21` as text.
    fn date_at(&self, r: u32, c: u32, problems: &mut Vec<Problem>) -> (Option<NaiveDate>, String) {
        let d = self.value(r, c);
        let text = text_of(d);
        let date = match d {
            Data::DateTime(x) => x.as_datetime().map(|t| t.date()),
            Data::DateTimeIso(s) => s.get(..10).and_then(|s| NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()),
            Data::String(s) => parse_date(s),
            _ => None,
        };
        if date.is_none() {
            let m = if text.is_empty() {
                ips_text::msg!("core.xlsx_in.no_date")
            } else {
                ips_text::msg!("core.xlsx_in.not_a_date", value = text)
            };
            problems.push(Problem::new(self.cell_name(r, c), m));
        }
        (date, text)
    }

    fn kind_at(&self, r: u32, c: u32, problems: &mut Vec<Problem>) -> Option<EvaluationType> {
        let text = self.text(r, c);
        let kind = parse_kind(&text);
        if kind.is_none() {
            problems
                .push(Problem::new(self.cell_name(r, c), ips_text::msg!("core.xlsx_in.unknown_type", value = text)));
        }
        kind
    }

    /// The score in a cell (`None` when empty); a bad one is named.
    fn score_at(&self, r: u32, c: u32, scale: &Scale, problems: &mut Vec<Problem>) -> Option<u8> {
        if let Some(m) = self.merged_at(r, c) {
            let range = format!("{}:{}", a1(m.start.0, m.start.1), a1(m.end.0, m.end.1));
            problems
                .push(Problem::new(self.cell_name(r, c), ips_text::msg!("core.xlsx_in.merged_score", range = range)));
            return None;
        }
        let d = self.value(r, c);
        let number = match d {
            Data::Empty => return None,
            Data::String(s) if s.trim().is_empty() => return None,
            Data::Float(f) => Some(*f),
            Data::Int(i) => Some(*i as f64),
            Data::String(s) => parse_number(s),
            _ => None,
        };
        let (min, max) = (scale.score_min, scale.score_max);
        match number {
            Some(v) if v.fract() == 0.0 && (f64::from(min)..=f64::from(max)).contains(&v) => Some(v as u8),
            Some(v) if v.fract() == 0.0 => {
                let m = ips_text::msg!("core.xlsx_in.out_of_range", value = text_of(d), min = min, max = max);
                problems.push(Problem::new(self.cell_name(r, c), m));
                None
            }
            _ => {
                let m = ips_text::msg!("core.xlsx_in.not_a_score", value = text_of(d), min = min, max = max);
                problems.push(Problem::new(self.cell_name(r, c), m));
                None
            }
        }
    }
}

/// A review type as a code or in either language ("Ekstern evaluering", "Egenvurdering").
fn parse_kind(text: &str) -> Option<EvaluationType> {
    static LABELS: std::sync::OnceLock<Vec<(String, EvaluationType)>> = std::sync::OnceLock::new();
    let labels = LABELS.get_or_init(|| {
        let all = EvaluationType::ALL.into_iter().flat_map(|k| Lang::ALL.map(|l| (norm(k.label(l)), k)));
        all.collect()
    });
    let n = norm(text);
    EvaluationType::from_code(&n).or_else(|| labels.iter().find(|(label, _)| *label == n).map(|(_, k)| *k))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_are_named_as_excel_names_them() {
        assert_eq!(a1(0, 0), "A1");
        assert_eq!(a1(2, 6), "G3");
        assert_eq!(a1(9, 25), "Z10");
        assert_eq!(a1(0, 26), "AA1");
        assert_eq!(a1(0, 27 + 25), "BA1");
    }

    #[test]
    fn headers_match_without_case_spacing_or_colon() {
        let scales = ScaleSet::builtin().0;
        let words = Words::new(&scales);
        assert_eq!(words.item("ips-25", " b1 "), Some("B1"));
        assert_eq!(words.item("ips-25", "B1. Whatever the sheet calls it"), Some("B1"));
        let name = scales.get("ips-25").and_then(|s| s.item("B1")).map(|i| i.name.nb.clone()).unwrap_or_default();
        assert_eq!(words.item("ips-25", &name.to_uppercase().replace(' ', "  ")), Some("B1"));
        assert_eq!(words.item("ips-25", "Kommentar"), None);
        assert!(is_one_of(SERVICE, "Tjeneste:"));
        assert!(is_one_of(DATE, " DATO "));
        assert_eq!(parse_kind("Ekstern evaluering"), Some(EvaluationType::Independent));
        assert_eq!(parse_kind("self-assessment"), Some(EvaluationType::SelfAssessment));
        assert_eq!(parse_kind("Besøk"), None);
    }

    #[test]
    fn text_that_is_not_a_workbook_is_refused() {
        let m = open(b"service;date\nIPS;2026-01-01\n").err().map(|m| m.text(Lang::Nb)).unwrap_or_default();
        assert!(m.contains("arbeidsbok"), "{m}");
    }
}
