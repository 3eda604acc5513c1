//! Word out: `report … -o FILE.docx`, `report … --plan-only -o plan.docx` and the app's
//! *Lagre rapport som …* with a .docx name, read back from the package's XML with the zip
//! crate (a reader other than the writer, docx-rs): Word's heading styles, the PDF's
//! sections in order, the items and the handlingsplan as tables, the charts as PNG
//! pictures, the footer's page number, the title and authors in the document's properties.

use crate::util;

use std::io::Read;
use std::path::Path;

use ips_domain::report::ReportTexts;
use ips_fidelity::gui::{App, Command, Settings};
use ips_text::text::Lang;

/// The package's parts by name.
fn parts(path: &Path) -> std::collections::BTreeMap<String, Vec<u8>> {
    let file = std::fs::File::open(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut zip = zip::ZipArchive::new(file).unwrap_or_else(|e| panic!("{}: not a zip: {e}", path.display()));
    let mut out = std::collections::BTreeMap::new();
    for k in 0..zip.len() {
        let mut entry = zip.by_index(k).expect("entry");
        let mut bytes = Vec::new();
        entry.read_to_end(&mut bytes).expect("read");
        out.insert(entry.name().to_string(), bytes);
    }
    out
}

fn text(parts: &std::collections::BTreeMap<String, Vec<u8>>, name: &str) -> String {
    String::from_utf8(parts.get(name).unwrap_or_else(|| panic!("no {name}")).clone()).expect("utf-8")
}

/// Each paragraph of the body as (style id, text), tables' cells included, in order.
fn paragraphs(xml: &str) -> Vec<(String, String)> {
    let unescape = |s: &str| s.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&amp;", "&");
    let mut out = Vec::new();
    let starts = xml.match_indices("<w:p").filter(|(i, _)| matches!(xml.as_bytes().get(i + 4), Some(b' ' | b'>')));
    for (i, _) in starts {
        let body = xml[i..].split("</w:p>").next().unwrap_or("");
        let style = body.split("<w:pStyle w:val=\"").nth(1).and_then(|s| s.split('"').next()).unwrap_or("").to_string();
        let mut words = String::new();
        for piece in body.split("<w:t").skip(1) {
            let Some((_, rest)) = piece.split_once('>') else { continue };
            words.push_str(&unescape(rest.split("</w:t>").next().unwrap_or("")));
        }
        out.push((style, words));
    }
    out
}

fn headings(xml: &str) -> Vec<String> {
    paragraphs(xml).into_iter().filter(|(s, _)| s == "Heading1").map(|(_, t)| t).collect()
}

/// The table rows (cells' texts) of the document, table by table.
fn tables(xml: &str) -> Vec<Vec<Vec<String>>> {
    xml.split("<w:tbl>")
        .skip(1)
        .map(|t| {
            let t = t.split("</w:tbl>").next().unwrap_or("");
            t.split("</w:tr>")
                .filter(|row| row.contains("<w:tc>"))
                .map(|row| {
                    row.split("<w:tc>")
                        .skip(1)
                        .map(|cell| paragraphs(cell).into_iter().map(|(_, t)| t).collect::<Vec<_>>().join("\n"))
                        .collect()
                })
                .collect()
        })
        .collect()
}

fn workspace() -> tempfile::TempDir {
    let dir = util::tempdir();
    util::copy_tree(&util::repo("examples/workspace"), dir.path());
    dir
}

/// The report as Word: the PDF's sections as Word headings, in the PDF's order; tables for
/// the items (every score) and the handlingsplan; two PNG charts; the page number in the
/// footer; the title and reviewers in the properties. In English too.
#[test]
fn the_report_in_word_has_the_pdfs_sections_tables_and_charts() {
    let dir = workspace();
    let out = util::tempdir();
    for (lang, t) in [(Lang::Nb, ReportTexts::builtin(Lang::Nb)), (Lang::En, ReportTexts::builtin(Lang::En))] {
        let target = out.path().join(format!("rapport-{}.docx", lang.code()));
        let ws = dir.path().display().to_string();
        let r = util::run(&[
            "report",
            "--service",
            "IPS Nordby",
            "-o",
            &target.display().to_string(),
            "--workspace",
            &ws,
            "--lang",
            lang.code(),
        ]);
        assert_eq!(r.code, 0, "{}", r.stderr);
        let p = parts(&target);
        let doc = text(&p, "word/document.xml");
        let styles = text(&p, "word/styles.xml");
        assert!(styles.contains(r#"w:styleId="Heading1""#), "Word's own heading style id");
        assert!(styles.contains(r#"w:val="heading 1""#), "and name: {styles}");
        assert!(styles.contains(r#"<w:outlineLvl w:val="0""#), "an outline level for the navigation pane");
        let expected = [
            t.summary_heading,
            t.charts_heading,
            t.heat_map_heading,
            t.items_heading,
            t.strengths_heading,
            t.improve_heading,
            t.previous_plan_heading,
            t.plan_heading,
            t.schedule_heading,
        ];
        let found = headings(&doc);
        let mut at = 0;
        for h in expected {
            let k = found[at..].iter().position(|f| f == h).unwrap_or_else(|| panic!("{h} after {at} in {found:?}"));
            at += k + 1;
        }
        let all = tables(&doc);
        let item_table = all
            .iter()
            .find(|tb| tb[0].len() == 5 && tb[0][1] == t.score)
            .unwrap_or_else(|| panic!("the items' table: {:?}", all.iter().map(|t| &t[0]).collect::<Vec<_>>()));
        assert_eq!(item_table.len(), 26, "a header and 25 items");
        assert!(item_table[1][0].starts_with("B1 "), "{:?}", item_table[1]);
        let plan = all
            .iter()
            .find(|tb| tb[0] == [t.action, t.item, t.owner, t.deadline, t.status])
            .expect("the handlingsplan's table: tiltak, punkt, ansvarlig, frist, status");
        assert!(plan.len() > 1 && plan.iter().skip(1).all(|r| !r[0].is_empty()), "{plan:?}");
        let pictures: Vec<&Vec<u8>> =
            p.iter().filter(|(n, _)| n.starts_with("word/media/") && n.ends_with(".png")).map(|(_, b)| b).collect();
        assert_eq!(pictures.len(), 2, "two charts");
        for png in pictures {
            assert!(png.starts_with(b"\x89PNG\r\n\x1a\n") && png.len() > 10_000, "a real picture");
        }
        let footer =
            p.iter().find(|(n, _)| n.starts_with("word/footer")).map(|(_, b)| String::from_utf8_lossy(b).into_owned());
        assert!(footer.is_some_and(|f| f.contains("PAGE")), "the page number in the footer");
        let core = text(&p, "docProps/core.xml");
        assert!(core.contains("<dc:title>") && core.contains("IPS Nordby"), "{core}");
        assert!(core.contains("Kari Lunde"), "the reviewers as authors: {core}");
    }
}

/// `--plan-only`: the handlingsplan alone, with rows left to fill in; without a .docx name
/// it is refused in one line and nothing is written.
#[test]
fn the_plan_alone_for_the_service_to_fill_in() {
    let dir = workspace();
    let out = util::tempdir();
    let ws = dir.path().display().to_string();
    let t = ReportTexts::builtin(Lang::Nb);
    let target = out.path().join("plan.docx");
    let args =
        ["report", "--service", "IPS Nordby", "--plan-only", "-o", &target.display().to_string(), "--workspace", &ws];
    let r = util::run(&args);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let doc = text(&parts(&target), "word/document.xml");
    assert_eq!(headings(&doc), [t.improve_heading, t.plan_heading, t.previous_plan_heading]);
    let plan =
        tables(&doc).into_iter().find(|tb| tb[0] == [t.action, t.item, t.owner, t.deadline, t.status]).expect("plan");
    let empty = plan.iter().filter(|r| r.iter().all(String::is_empty)).count();
    assert_eq!(empty, 5, "rows to fill in: {plan:?}");
    assert!(plan.len() > 6, "the actions agreed so far too");

    let pdf = out.path().join("plan.pdf");
    let r = util::run(&[
        "report",
        "--service",
        "IPS Nordby",
        "--plan-only",
        "-o",
        &pdf.display().to_string(),
        "--workspace",
        &ws,
    ]);
    assert_eq!(r.code, 2);
    assert_eq!(r.stderr.lines().count(), 1, "{}", r.stderr);
    assert!(r.stderr.contains("-o plan.docx"), "{}", r.stderr);
    assert!(!pdf.exists());
}

/// The app's *Lagre rapport som …* writes Word when the chosen name ends in .docx.
#[test]
fn the_app_saves_the_report_as_word() {
    let dir = workspace();
    let out = util::tempdir();
    let target = out.path().join("til styringsgruppen.docx");
    let mut app = App::new(dir.path(), Settings::default(), util::today());
    let _asked = util::choose(&mut app, Some(vec![target.clone()]));
    app.apply(Command::OpenEvaluation("ips-nordby".into(), "2026-04-21_independent.json".into()));
    app.settle();
    app.apply(Command::SaveReportAs(target.clone()));
    let mut h = util::harness(app);
    for _ in 0..500 {
        h.run_ok();
        if target.exists() && !h.state().report.is_running() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let doc = text(&parts(&target), "word/document.xml");
    assert!(headings(&doc).contains(&ReportTexts::builtin(Lang::Nb).plan_heading.to_string()));
    assert!(util::messages(h.state()).contains("til styringsgruppen.docx"), "{}", util::messages(h.state()));
}
