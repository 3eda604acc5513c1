//! Excel out: `export --format xlsx`, `summary -o FILE.xlsx` and the app's *Eksporter til
//! Excel …* and *Lagre sammendraget i Excel …*, each read back with calamine (a reader other
//! than the writer): the sheets, the headers in the user's language, dates as date cells,
//! scores as numbers; and from the file's XML, the frozen header row and the autofilter.

use crate::util;

use std::io::Read;
use std::path::Path;

use calamine::{Data, Reader, Xlsx, open_workbook};
use egui_kittest::kittest::Queryable;
use ips_fidelity::gui::{App, FilePurpose, Settings};

fn workbook(path: &Path) -> Xlsx<std::io::BufReader<std::fs::File>> {
    open_workbook(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The sheet's cells, row by row.
fn cells(path: &Path, sheet: &str) -> Vec<Vec<Data>> {
    let range = workbook(path).worksheet_range(sheet).unwrap_or_else(|e| panic!("{sheet}: {e}"));
    range.rows().map(<[Data]>::to_vec).collect()
}

fn text(d: &Data) -> String {
    match d {
        Data::String(s) => s.clone(),
        other => panic!("a text cell, not {other:?}"),
    }
}

fn number(d: &Data) -> f64 {
    match d {
        Data::Float(f) => *f,
        Data::Int(i) => *i as f64,
        other => panic!("a number cell, not {other:?}"),
    }
}

fn date(d: &Data) -> chrono::NaiveDate {
    match d {
        Data::DateTime(dt) => dt.as_datetime().expect("a date").date(),
        other => panic!("a date cell, not {other:?}"),
    }
}

/// The XML of one part of the workbook (a zip).
fn part(path: &Path, name: &str) -> String {
    let file = std::fs::File::open(path).expect("workbook");
    let mut zip = zip::ZipArchive::new(file).expect("a zip");
    let mut xml = String::new();
    zip.by_name(name).unwrap_or_else(|e| panic!("{name}: {e}")).read_to_string(&mut xml).expect("xml");
    xml
}

/// Each sheet's header row is frozen and carries an autofilter, and its columns are set
/// to widths fitted to the text (not Excel's default for every column).
fn assert_sheet_layout(path: &Path, sheets: usize) {
    for i in 1..=sheets {
        let xml = part(path, &format!("xl/worksheets/sheet{i}.xml"));
        assert!(xml.contains("ySplit=\"1\"") && xml.contains("state=\"frozen\""), "sheet {i}: frozen header row");
        assert!(xml.contains("<autoFilter ref=\"A1:"), "sheet {i}: an autofilter");
        assert!(xml.contains("<cols>") && xml.contains("customWidth=\"1\""), "sheet {i}: fitted columns");
        let styles = part(path, "xl/styles.xml");
        assert!(styles.contains("formatCode=\"dd.mm.yyyy\""), "dates shown day first");
    }
}

#[test]
fn export_xlsx_has_the_reviews_the_summary_and_the_outcomes_as_typed_cells() {
    let out = util::tempdir();
    let path = out.path().join("alle.xlsx");
    let shown = path.display().to_string();
    for _ in 0..2 {
        // Twice onto the same file: replaced, not refused.
        let r = util::run(&["export", "--format", "xlsx", "-o", &shown, "--workspace", "examples/workspace"]);
        assert_eq!(r.code, 0, "{}", r.stderr);
        assert!(r.stderr.contains(&format!("3 evalueringer skrevet til {shown}")), "{}", r.stderr);
    }
    assert_eq!(
        workbook(&path).sheet_names(),
        ["Evalueringer", "Oppsummering", "Tjenester og punkter", "Måltall"].map(String::from)
    );
    assert_sheet_layout(&path, 4);

    let rows = cells(&path, "Evalueringer");
    let head: Vec<String> = rows[0].iter().map(text).collect();
    assert_eq!(
        head[..9],
        ["Tjeneste", "Region", "Dato", "Type", "Status", "Skala", "Versjon", "Totalskår", "Kvalitetsnivå"]
            .map(String::from)
    );
    let b1 = head.iter().position(|h| h == "B1").expect("an item column per item");
    assert_eq!(head.len() - b1, 25, "the 25 items: {head:?}");
    assert!(head[9..b1].iter().all(|h| !h.is_empty()), "the section subtotals, by name: {head:?}");
    assert_eq!(rows.len(), 4, "three reviews");
    // The same reviews as the CSV export, row for row.
    let csv = util::run(&["export", "--format", "csv", "--workspace", "examples/workspace"]);
    let mut csv_rows: Vec<Vec<String>> =
        csv.stdout.lines().skip(1).map(|l| l.split(',').map(str::to_string).collect()).collect();
    csv_rows.sort();
    let mut sheet_rows: Vec<Vec<String>> = rows[1..]
        .iter()
        .map(|r| vec![text(&r[0]), date(&r[2]).to_string(), number(&r[7]).to_string(), number(&r[b1]).to_string()])
        .collect();
    sheet_rows.sort();
    let csv_b1 = 6;
    let csv_rows: Vec<Vec<String>> =
        csv_rows.iter().map(|r| vec![r[0].clone(), r[1].clone(), r[4].clone(), r[csv_b1].clone()]).collect();
    assert_eq!(sheet_rows, csv_rows);
    let latest = rows[1..].iter().find(|r| date(&r[2]) == chrono::NaiveDate::from_ymd_opt(2026, 4, 21).expect("date"));
    let latest = latest.expect("the review of 21.04.2026");
    assert_eq!(text(&latest[0]), "IPS Nordby");
    assert_eq!(text(&latest[3]), "Ekstern evaluering", "the type in words, not a code");
    assert!(["Planlagt", "Skåring", "Utkast", "Endelig"].contains(&text(&latest[4]).as_str()));
    assert_eq!(text(&latest[5]), "ips-25");
    assert_eq!(number(&latest[7]), 106.0);
    assert_eq!(text(&latest[8]), "Bra kvalitet");
    // The section subtotals add up to the total.
    let sections: f64 = latest[9..b1].iter().map(number).sum();
    assert_eq!(sections, 106.0);

    let summary = cells(&path, "Oppsummering");
    assert_eq!(
        summary[0].iter().map(text).collect::<Vec<_>>(),
        ["Punkt", "Navn", "Gjennomsnitt", "Median", "Antall skåret"]
    );
    assert_eq!(text(&summary[1][0]), "B1");
    assert!((1.0..=5.0).contains(&number(&summary[1][2])), "a mean as a number");
    assert!(summary.iter().any(|r| r.first().is_some_and(|c| c == &Data::String("Kvalitetsnivå".into()))));
    let services = cells(&path, "Tjenester og punkter");
    assert_eq!(text(&services[1][0]), "IPS Nordby");
    assert_eq!(date(&services[1][2]).to_string(), "2026-04-21");

    let outcomes = cells(&path, "Måltall");
    assert_eq!(text(&outcomes[0][2]), "Kvartal");
    let q1 = outcomes.iter().find(|r| r[2] == Data::String("1. kvartal 2026".into())).expect("1. kvartal 2026");
    assert_eq!(number(&q1[3]), 60.0);
    assert_eq!(number(&q1[4]), 25.0);
    assert!((number(&q1[8]) - 25.0 / 60.0).abs() < 1e-9, "the share in work as a fraction (shown as %)");
}

#[test]
fn export_xlsx_in_english_and_its_mistakes() {
    let out = util::tempdir();
    let path = out.path().join("all.xlsx");
    let shown = path.display().to_string();
    let r = util::run_en(&["export", "--format", "xlsx", "-o", &shown, "--workspace", "examples/workspace"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(
        workbook(&path).sheet_names(),
        ["Reviews", "Summary", "Services and items", "Outcomes"].map(String::from)
    );
    let rows = cells(&path, "Reviews");
    assert_eq!(text(&rows[0][0]), "Service");
    assert!(rows[1..].iter().all(|r| text(&r[3]) == "Independent review"), "{:?}", rows[1]);
    let outcomes = cells(&path, "Outcomes");
    assert!(outcomes.iter().any(|r| r[2] == Data::String("Q1 2026".into())));

    // A workbook goes to a file, never to the terminal.
    for args in [
        vec!["export", "--format", "xlsx", "--workspace", "examples/workspace"],
        vec!["export", "--format", "xlsx", "-o", "-", "--workspace", "examples/workspace"],
    ] {
        let r = util::run(&args);
        assert_eq!(r.code, 2, "{args:?}");
        assert!(r.stderr.contains("-o FIL.xlsx"), "{}", r.stderr);
        assert!(r.stdout.is_empty());
    }
    // Onto a folder: one message naming it, nothing written.
    let r = util::run(&[
        "export",
        "--format",
        "xlsx",
        "-o",
        &out.path().display().to_string(),
        "--workspace",
        "examples/workspace",
    ]);
    assert_ne!(r.code, 0);
    assert!(r.stderr.contains(&out.path().display().to_string()), "{}", r.stderr);
    // A review file that cannot be read is named, the rest exported, and the exit code
    // says something was left out.
    let ws = util::tempdir();
    util::copy_tree(&util::repo("examples/workspace"), ws.path());
    let broken = ws.path().join("services/ips-nordby/evaluations/2025-04-08_independent.json");
    std::fs::write(&broken, "{ not json").expect("break");
    let target = out.path().join("partial.xlsx");
    let ws_arg = ws.path().display().to_string();
    let r = util::run(&["export", "--format", "xlsx", "-o", &target.display().to_string(), "--workspace", &ws_arg]);
    assert_eq!(r.code, 4, "{}", r.stderr);
    assert!(r.stderr.contains("2025-04-08_independent.json"), "{}", r.stderr);
    assert_eq!(cells(&target, "Evalueringer").len(), 3, "the two readable reviews");
}

#[test]
fn summary_to_xlsx_has_the_items_the_bands_and_the_services() {
    let out = util::tempdir();
    let path = out.path().join("oversikt.xlsx");
    let shown = path.display().to_string();
    let r = util::run(&["summary", "-o", &shown, "--workspace", "examples/workspace"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(workbook(&path).sheet_names(), ["Oppsummering", "Tjenester og punkter"].map(String::from));
    assert_sheet_layout(&path, 2);
    let items = cells(&path, "Oppsummering");
    assert_eq!(items.iter().filter(|r| matches!(&r[0], Data::String(s) if s.len() <= 3 && !s.is_empty())).count(), 25);
    // The same means as `summary --json`.
    let json = util::run(&["summary", "--json", "--workspace", "examples/workspace"]);
    let v: serde_json::Value = serde_json::from_str(&json.stdout).expect("json");
    let mean_b1 = v["items"][0]["mean"].as_f64().expect("mean");
    assert_eq!(number(&items[1][2]), mean_b1);
    // A PDF still when the name says so.
    let pdf = out.path().join("oversikt.pdf");
    let r = util::run(&["summary", "-o", &pdf.display().to_string(), "--workspace", "examples/workspace"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(std::fs::read(&pdf).expect("pdf").starts_with(b"%PDF"));
}

#[test]
fn the_app_exports_to_excel_and_saves_the_summary_in_excel() {
    let dir = util::tempdir();
    util::copy_tree(&util::repo("examples/workspace"), dir.path());
    let out = util::tempdir();
    let target = out.path().join("alle.xlsx");
    let mut app = App::new(dir.path(), Settings::default(), util::today());
    let asked = util::choose(&mut app, Some(vec![target.clone()]));
    app.settle();
    let mut h = util::harness(app);
    util::settle(&mut h);
    let before = util::files_of(dir.path());
    h.get_by_label("Arbeidsområde").click();
    util::settle(&mut h);
    h.get_by_label("Eksporter til Excel …").click();
    util::settle(&mut h);
    let request = asked.lock().expect("lock")[0].clone();
    assert_eq!(request.purpose, FilePurpose::ExportExcel);
    assert_eq!(request.file_name, "ips-fidelity_2026-11-23.xlsx");
    assert!(util::messages(h.state()).contains("3 evalueringer eksportert til"), "{}", util::messages(h.state()));
    assert_eq!(cells(&target, "Evalueringer").len(), 4);
    assert_eq!(util::files_of(dir.path()), before, "an export changes nothing in the workspace");

    // The regional summary.
    let summary = out.path().join("region.xlsx");
    let asked = util::choose(h.state_mut(), Some(vec![summary.clone()]));
    h.get_by_label("Regionoversikt").click();
    util::frames(&mut h);
    h.get_by_label("Lagre sammendraget i Excel …").click();
    util::settle(&mut h);
    let request = asked.lock().expect("lock")[0].clone();
    assert_eq!(request.purpose, FilePurpose::SaveSummaryExcel);
    assert_eq!(request.file_name, "regionoversikt_2026-11-23.xlsx");
    assert_eq!(workbook(&summary).sheet_names(), ["Oppsummering", "Tjenester og punkter"].map(String::from));
    assert_eq!(text(&cells(&summary, "Tjenester og punkter")[1][0]), "IPS Nordby");
}
