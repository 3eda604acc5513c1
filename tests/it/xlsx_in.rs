//! Excel in: `import FILE.xlsx|.xls|.ods` and the app's preview before an import with
//! workbooks. Both layouts (one row per review; a scoring sheet), the examples in
//! `examples/`, a workbook the export wrote, bad cells named by sheet and cell with nothing
//! written, an encrypted workbook, a text file named .xlsx, an empty sheet, merged cells,
//! and 10,000 rows.

use crate::util;

use std::path::{Path, PathBuf};

use egui_kittest::kittest::{NodeT, Queryable};
use ips_fidelity::gui::{App, Settings};
use ips_store::workspace::Workspace;
use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};

/// A workbook with one sheet `Ark1` whose rows are `rows` (text; a cell that reads as a
/// number is written as one, `=…` as a formula, `d:2026-04-21` as a date cell).
fn workbook(path: &Path, rows: &[&[&str]], merged: &[(u32, u16, u32, u16)]) {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet().set_name("Ark1").expect("name");
    let date = Format::new().set_num_format("dd.mm.yyyy");
    for (r, row) in rows.iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            let (r, c) = (r as u32, c as u16);
            if cell.is_empty() {
                continue;
            }
            if let Some(iso) = cell.strip_prefix("d:") {
                let d = ExcelDateTime::parse_from_str(iso).expect("date");
                ws.write_datetime_with_format(r, c, &d, &date).expect("date cell");
            } else if let Some(f) = cell.strip_prefix('=') {
                ws.write_formula(r, c, format!("={f}").as_str()).expect("formula");
            } else if let Ok(n) = cell.parse::<f64>() {
                ws.write_number(r, c, n).expect("number");
            } else {
                ws.write_string(r, c, *cell).expect("text");
            }
        }
    }
    for &(r0, c0, r1, c1) in merged {
        let first = rows[r0 as usize][c0 as usize];
        ws.merge_range(r0, c0, r1, c1, first, &Format::new()).expect("merge");
    }
    wb.save(path).expect("save");
}

fn example_copy() -> tempfile::TempDir {
    let dir = util::tempdir();
    util::copy_tree(&util::repo("examples/workspace"), dir.path());
    dir
}

fn import(files: &[&Path], ws: &Path, extra: &[&str]) -> util::Run {
    let mut args: Vec<String> = vec!["import".into()];
    args.extend(files.iter().map(|f| f.display().to_string()));
    args.extend(["--workspace".into(), ws.display().to_string()]);
    args.extend(extra.iter().map(|s| s.to_string()));
    util::run(&args.iter().map(String::as_str).collect::<Vec<_>>())
}

fn review(ws: &Path, service: &str, date: &str) -> Option<ips_domain::evaluation::Evaluation> {
    let w = Workspace::load(ws);
    let s = w.services.iter().find(|s| s.info.name == service)?;
    s.evaluations.iter().find(|e| e.evaluation.date.to_string() == date).map(|e| e.evaluation.clone())
}

/// The two example workbooks import: the rows layout (names and ids as headers, a merged
/// service cell, a formula column and a mean row left out, a comment column named as not
/// read) and the scoring sheet (labelled cells, section headings, a formula total); again,
/// they are unchanged.
#[test]
fn the_example_workbooks_import_in_both_layouts() {
    let dir = example_copy();
    let rows = util::repo("examples/import-rader.xlsx");
    let sheet = util::repo("examples/import-skaringsark.xlsx");
    let r = import(&[&rows, &sheet], dir.path(), &[]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    assert!(r.stdout.contains("5 lagt til, 0 uendret, 0 konflikter"), "{}", r.stdout);
    assert!(
        r.stderr.contains("Evalueringer: kolonner som ikke er punkter på skalaen, ble ikke lest: «Kommentar»"),
        "{}",
        r.stderr
    );
    // The merged cell names IPS Fjellby for both its rows.
    let second = review(dir.path(), "IPS Fjellby", "2025-05-05").expect("Fjellby's second review");
    assert_eq!(second.scores.len(), 25);
    assert_eq!(second.scores.values().map(|&v| u32::from(v)).sum::<u32>(), 12 * 4 + 13 * 3);
    let self_assessment = review(dir.path(), "IPS Sørvik", "2024-09-16").expect("Sørvik's self-assessment");
    assert_eq!(self_assessment.kind, ips_domain::evaluation::EvaluationType::SelfAssessment);
    // Items named by their Norwegian names are the items.
    assert_eq!(self_assessment.scores.get("B1"), Some(&4));
    let nordby = review(dir.path(), "IPS Nordby", "2025-10-20").expect("the scoring sheet's review");
    assert_eq!(nordby.scores.len(), 25);
    assert_eq!(nordby.scores.get("B3"), Some(&3));
    assert_eq!(nordby.scores.get("T14"), Some(&3));

    let again = import(&[&rows, &sheet], dir.path(), &[]);
    assert_eq!(again.code, 0, "{}", again.stderr);
    assert!(again.stdout.contains("0 lagt til, 5 uendret, 0 konflikter"), "{}", again.stdout);
}

/// A workbook the export wrote imports into an empty workspace with every review, type and
/// score as it was: the export's headers, type labels and date cells are read.
#[test]
fn an_exported_workbook_imports_again() {
    let dir = example_copy();
    let out = util::tempdir();
    let xlsx = out.path().join("alle.xlsx");
    let e = util::run(&[
        "export",
        "--format",
        "xlsx",
        "-o",
        &xlsx.display().to_string(),
        "--workspace",
        &dir.path().display().to_string(),
    ]);
    assert_eq!(e.code, 0, "{}", e.stderr);
    let empty = util::tempdir();
    let r = import(&[&xlsx], empty.path(), &[]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    let (before, after) = (Workspace::load(dir.path()), Workspace::load(empty.path()));
    let key = |w: &Workspace| {
        let mut all: Vec<_> = w
            .services
            .iter()
            .flat_map(|s| {
                s.evaluations.iter().map(|e| {
                    let e = &e.evaluation;
                    (s.info.name.clone(), e.date, e.kind, e.scores.clone())
                })
            })
            .collect();
        all.sort_by(|a, b| (&a.0, a.1).cmp(&(&b.0, b.1)));
        all
    };
    assert!(!key(&before).is_empty());
    assert_eq!(key(&before), key(&after));
    assert!(r.stderr.trim().is_empty(), "the export's own columns are all known: {}", r.stderr);
}

/// Every bad cell is named by sheet and cell, the import exits 2, and nothing from the file
/// is written (the good rows neither).
#[test]
fn bad_cells_are_named_and_nothing_is_written() {
    let dir = example_copy();
    let before = util::files_of(dir.path());
    let files = util::tempdir();
    let bad = files.path().join("gammel.xlsx");
    workbook(
        &bad,
        &[
            &["Tjeneste", "Dato", "Type", "B1", "B2", "B3", "O1"],
            &["IPS Ny", "d:2025-03-03", "Ekstern evaluering", "3", "4", "5", "2"],
            &["IPS Ny", "d:2025-09-01", "Ekstern evaluering", "3", "4", "6", "2"],
            &["IPS Ny", "31.02.2025", "Ekstern evaluering", "x", "4,5", "", ""],
            &["", "d:2026-01-05", "Besøk", "3", "3", "3", "3"],
            &["IPS Ny", "d:2026-03-02", "Egenvurdering", "3", "3", "", ""],
            &["IPS Ny", "d:2026-03-09", "Egenvurdering", "3", "", "", ""],
        ],
        // A score merged over two rows cannot be one.
        &[(5, 4, 6, 4)],
    );
    let r = import(&[&bad], dir.path(), &[]);
    assert_eq!(r.code, 2, "{}{}", r.stdout, r.stderr);
    let at = |cell: &str, says: &str| {
        let line = format!("gammel.xlsx: Ark1!{cell}: {says}");
        assert!(r.stderr.contains(&line), "no «{line}» in:\n{}", r.stderr);
    };
    at("F3", "«6» er utenfor 1–5");
    at("B4", "«31.02.2025» er ikke en dato");
    at("D4", "«x» er ikke en hel skår fra 1 til 5");
    at("E4", "«4,5» er ikke en hel skår fra 1 til 5");
    at("A5", "tjenestenavnet er tomt");
    at("C5", "«Besøk» er ikke en evalueringstype");
    at("E6", "cellene E6:E7 er slått sammen");
    assert_eq!(util::files_of(dir.path()), before, "nothing written");
    // In English too.
    let en = import(&[&bad], dir.path(), &["--lang", "en"]);
    assert!(en.stderr.contains("Ark1!F3: '6' is outside 1–5"), "{}", en.stderr);
}

/// A scoring sheet without its service and date is refused saying what to give; with
/// `--service` and `--date` it imports. A formula total and section headings are left out;
/// an unknown item is named.
#[test]
fn a_scoring_sheet_takes_service_and_date_from_the_command_line() {
    let dir = example_copy();
    let files = util::tempdir();
    let sheet = files.path().join("skåring.xlsx");
    workbook(
        &sheet,
        &[&["Punkt", "Skår"], &["Bemanning", ""], &["B1", "4"], &["b2", "3"], &["Sum", "=SUM(B3:B4)"]],
        &[],
    );
    let r = import(&[&sheet], dir.path(), &[]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("skåring.xlsx: Ark1: arket sier ikke hvilken tjeneste"), "{}", r.stderr);
    assert!(r.stderr.contains("--service"), "{}", r.stderr);
    let r = import(&[&sheet], dir.path(), &["--service", "IPS Nordby", "--date", "03.11.2025"]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    let e = review(dir.path(), "IPS Nordby", "2025-11-03").expect("imported");
    assert_eq!(e.scores.iter().map(|(k, v)| (k.as_str(), *v)).collect::<Vec<_>>(), [("B1", 4), ("B2", 3)]);

    let typo = files.path().join("skrivefeil.xlsx");
    workbook(
        &typo,
        &[&["Tjeneste:", "IPS Nordby"], &["Dato:", "d:2025-12-01"], &[], &["Punkt", "Skår"], &["B9", "4"]],
        &[],
    );
    let r = import(&[&typo], dir.path(), &[]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("skrivefeil.xlsx: Ark1!A5: «B9» er ikke et punkt på skalaen ips-25"), "{}", r.stderr);
}

/// .xls and .ods are read as .xlsx is; an encrypted workbook, a text file named .xlsx, an
/// empty workbook and one without either layout each get one message naming the file.
#[test]
fn other_formats_and_files_that_are_not_workbooks() {
    for fixture in ["rader.xls", "rader.ods"] {
        let dir = example_copy();
        let path = util::repo(&format!("tests/fixtures/workbooks/{fixture}"));
        let r = import(&[&path], dir.path(), &[]);
        assert_eq!(r.code, 0, "{fixture}: {}", r.stderr);
        let e = review(dir.path(), "IPS Elvebakken", "2025-08-18").expect(fixture);
        assert_eq!(e.kind, ips_domain::evaluation::EvaluationType::SelfAssessment, "{fixture}");
        assert_eq!(e.scores.get("B3"), Some(&4), "{fixture}");
    }
    let dir = example_copy();
    let before = util::files_of(dir.path());
    let files = util::tempdir();
    let text = files.path().join("egentlig.xlsx");
    std::fs::write(&text, "service;date;B1\nIPS Nordby;2026-01-01;3\n").expect("write");
    let empty = files.path().join("tom.xlsx");
    workbook(&empty, &[], &[]);
    let other = files.path().join("budsjett.xlsx");
    workbook(&other, &[&["Post", "Beløp"], &["Lønn", "100"]], &[]);
    let cases: [(PathBuf, &str); 4] = [
        (util::repo("tests/fixtures/workbooks/passord.xlsx"), "arbeidsboken er passordbeskyttet (kryptert)"),
        (text, "filen er ikke en Excel- eller OpenDocument-arbeidsbok"),
        (empty, "arbeidsboken har ingen ark med innhold"),
        (other, "fant ingen evalueringer"),
    ];
    for (path, says) in &cases {
        let r = import(&[path], dir.path(), &[]);
        assert_eq!(r.code, 2, "{}: {}", path.display(), r.stderr);
        let lines: Vec<&str> = r.stderr.lines().collect();
        assert_eq!(lines.len(), 1, "one message: {}", r.stderr);
        assert!(lines[0].starts_with(&format!("{}: {says}", path.display())), "{}", r.stderr);
    }
    assert_eq!(util::files_of(dir.path()), before, "nothing written");
}

/// 10,000 review rows are read and checked in well under 2 s, and all of them import.
#[test]
fn ten_thousand_rows_import() {
    let files = util::tempdir();
    let big = files.path().join("ti-tusen.xlsx");
    let scales = ips_domain::service::ScaleSet::builtin().0;
    let ids: Vec<String> =
        scales.get("ips-25").map(|s| s.items.iter().map(|i| i.id.clone()).collect()).unwrap_or_default();
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    let headers = ["Tjeneste", "Dato", "Type"].into_iter().chain(ids.iter().map(String::as_str));
    for (c, h) in headers.enumerate() {
        ws.write_string(0, c as u16, h).expect("header");
    }
    let date = Format::new().set_num_format("dd.mm.yyyy");
    for k in 0..10_000u32 {
        let r = k + 1;
        ws.write_string(r, 0, format!("IPS Tjeneste {:03}", k % 500)).expect("service");
        let d = ExcelDateTime::from_ymd(2015 + (k / 500) as u16 % 10, 1 + (k / 5000) as u8, 1 + (k % 500 / 20) as u8)
            .expect("date");
        ws.write_datetime_with_format(r, 1, &d, &date).expect("date");
        ws.write_string(r, 2, if k % 2 == 0 { "Ekstern evaluering" } else { "Egenvurdering" }).expect("type");
        for c in 0..ids.len() {
            ws.write_number(r, 3 + c as u16, f64::from(1 + (k + c as u32) % 5)).expect("score");
        }
    }
    wb.save(&big).expect("save");
    let started = std::time::Instant::now();
    let read = ips_store::intake::read_workbook(&big, &scales, ips_text::text::Lang::Nb).expect("read");
    let evaluations =
        ips_store::xlsx_in::into_evaluations("ti-tusen.xlsx", &read, &scales, &Default::default()).expect("checked");
    let took = started.elapsed();
    assert_eq!(evaluations.len(), 10_000);
    eprintln!("10,000 rows read and checked in {took:?}");
    assert!(took < std::time::Duration::from_secs(2), "10,000 rows read and checked in {took:?}");
    let empty = util::tempdir();
    let r = import(&[&big], empty.path(), &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("lagt til, 0 uendret, 0 konflikter"), "{}", r.stdout);
    let count: usize = Workspace::load(empty.path()).services.iter().map(|s| s.evaluations.len()).sum();
    assert_eq!(count, evaluations.len());
}

fn app_in(dir: &Path) -> App {
    App::new(dir, Settings::default(), util::today())
}

/// In the app, a dropped workbook is shown before anything is written: its reviews, what a
/// scoring sheet lacks (typed into the preview), and a refused file with its cells named.
/// *Avbryt* writes nothing; *Importer* imports.
#[test]
fn the_app_previews_a_workbook_before_importing() {
    let dir = example_copy();
    let files = util::tempdir();
    let sheet = files.path().join("skåring.xlsx");
    workbook(&sheet, &[&["Punkt", "Skår"], &["B1", "4"], &["B2", "3"]], &[]);
    let bad = files.path().join("feil.xlsx");
    workbook(&bad, &[&["Tjeneste", "Dato", "B1"], &["IPS Ny", "d:2025-03-03", "9"]], &[]);
    let mut h = util::harness(app_in(dir.path()));
    util::settle(&mut h);
    let before = util::files_of(dir.path());

    util::drop_files(&mut h, &[&util::repo("examples/import-rader.xlsx")]);
    assert!(h.query_by_label("Forhåndsvisning av importen").is_some(), "the preview is shown");
    assert!(h.query_all_by_label("IPS Fjellby").next().is_some(), "its reviews are listed");
    assert!(h.query_by_label("Evalueringer!A7").is_some(), "by sheet and cell");
    assert_eq!(util::files_of(dir.path()), before, "nothing written while previewing");
    h.get_by_label("Avbryt").click();
    util::frames(&mut h);
    assert!(h.state().import_preview.is_none());
    assert_eq!(util::files_of(dir.path()), before, "nothing written when cancelled");

    util::drop_files(&mut h, &[&sheet, &bad]);
    assert!(h.query_by_label_contains("Ark1!C2: «9» er utenfor 1–5").is_some(), "the bad cell is named");
    let import = "Importer (1)";
    assert!(h.get_by_label(import).accesskit_node().is_disabled(), "waits for the service and date");
    for (name, text) in [("Tjeneste", "IPS Nordby"), ("Dato", "03.11.2025")] {
        h.get_by(|n| n.role() == egui::accesskit::Role::TextInput && n.label().as_deref() == Some(name)).click();
        h.run();
        h.get_by(|n| n.role() == egui::accesskit::Role::TextInput && n.label().as_deref() == Some(name))
            .type_text(text);
        h.run();
    }
    h.run();
    // Changed on disk after it was shown: what is imported is what the user saw.
    workbook(&sheet, &[&["Punkt", "Skår"], &["B1", "1"], &["B2", "1"]], &[]);
    h.get_by_label(import).click();
    util::settle(&mut h);
    assert!(h.state().import_preview.is_none());
    let m = util::messages(h.state());
    assert!(m.contains("Import: 1 lagt til, 0 uendret, 0 i konflikt"), "{m}");
    assert!(m.contains("feil.xlsx"), "the refused file is said: {m}");
    let e = review(dir.path(), "IPS Nordby", "2025-11-03").expect("imported from the preview");
    assert_eq!(e.scores.get("B2"), Some(&3), "the scores shown, not the file's later ones");
    assert!(!Workspace::load(dir.path()).services.iter().any(|s| s.info.name == "IPS Ny"));
}
