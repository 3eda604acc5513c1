//! The PDF report: made from the example service and from standalone files, read back as
//! text (lopdf) to check what it says, in Norwegian and English, complete and partial.

mod util;

use std::path::Path;

use util::{repo, run, run_en, tempdir, write};

/// The text of every page, whitespace collapsed, and the page count.
fn pdf_text(path: &Path) -> (String, usize) {
    let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    assert!(bytes.starts_with(b"%PDF"), "not a PDF");
    let doc = lopdf::Document::load_mem(&bytes).unwrap_or_else(|e| panic!("{e}"));
    let pages: Vec<u32> = doc.get_pages().keys().copied().collect();
    let text = doc.extract_text(&pages).unwrap_or_else(|e| panic!("{e}"));
    (text.split_whitespace().collect::<Vec<_>>().join(" "), pages.len())
}

fn example_scale_items() -> Vec<(String, String, String)> {
    let text = std::fs::read_to_string(repo("scales/ips-25.json")).expect("test data");
    let v: serde_json::Value = serde_json::from_str(&text).expect("test data");
    let items: Vec<(String, String, String)> = v["items"]
        .as_array()
        .cloned()
        .expect("items")
        .iter()
        .map(|i| {
            let s = |x: &serde_json::Value| x.as_str().expect("test data").to_string();
            (s(&i["id"]), s(&i["name"]["nb"]), s(&i["name"]["en"]))
        })
        .collect();
    // The loops over these must never pass by running zero times.
    assert_eq!(items.len(), 25, "the IPS-25 items");
    items
}

#[test]
fn example_service_report_in_norwegian() {
    let dir = tempdir();
    let out = dir.path().join("nordby.pdf");
    let r = run(&[
        "report",
        "--workspace",
        "examples/workspace",
        "--service",
        "IPS Nordby",
        "-o",
        &out.display().to_string(),
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let (text, pages) = pdf_text(&out);
    assert!(pages >= 4, "{pages} pages");
    for expected in [
        "IPS Nordby",
        "Total: 106 av 125",
        "Kvalitetsnivå: Bra kvalitet",
        "NAV Nordby",
        "Kari Lunde",
        "Handlingsplan",
        "Forbedringsområder",
        "Styrker",
        "Neste evaluering bør være senest",
        "minst 2 ganger i året",
        "Status IPS-tjenesten",
        "Endring siden forrige evaluering: +11",
    ] {
        assert!(text.contains(expected), "missing {expected:?}");
    }
    for (id, nb, _) in example_scale_items() {
        assert!(text.contains(&format!("{id} {nb}")), "missing item {id} {nb}");
    }
    let ws =
        std::fs::read_to_string(repo("examples/workspace/services/ips-nordby/evaluations/2026-04-21_independent.json"))
            .unwrap();
    let v: serde_json::Value = serde_json::from_str(&ws).unwrap();
    for a in v["actions"].as_array().cloned().unwrap() {
        let what = a["what"].as_str().unwrap().split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(text.contains(&what), "missing action {what:?}");
    }
    for p in 1..=pages {
        assert!(text.contains(&format!("Side {p} av {pages}")), "page number {p}");
    }
    assert_eq!(text.matches("IPS Nordby – 21.04.2026").count(), pages, "footer on every page");
    assert!(!text.contains("FORELØPIG"));
}

#[test]
fn partial_minimal_file_is_preliminary_on_every_page() {
    let dir = tempdir();
    let out = dir.path().join("partial.pdf");
    let r = run(&["report", "examples/partial.json", "-o", &out.display().to_string()]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let (text, pages) = pdf_text(&out);
    assert_eq!(text.matches("FORELØPIG").count(), pages);
    assert!(text.contains("Kvalitetsnivå: Ikke fastsatt (foreløpig)"));
    for band in ["Meget bra kvalitet", "Godkjent kvalitet", "Ikke individuell jobbstøtte (IPS)"] {
        assert!(!text.contains(&format!("Kvalitetsnivå: {band}")), "{band}");
    }
    assert!(text.contains("IPS Bodø"));
}

#[test]
fn english_report() {
    let dir = tempdir();
    let out = dir.path().join("en.pdf");
    let r = run(&["report", "examples/minimal.json", "-o", &out.display().to_string(), "--lang", "en"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let (text, pages) = pdf_text(&out);
    assert!(text.contains("Fidelity review of the IPS service"));
    assert!(text.contains("Fidelity band: Good fidelity"));
    assert!(text.contains(&format!("Page 1 of {pages}")));
    for (id, _, en) in example_scale_items() {
        assert!(text.contains(&format!("{id} {en}")), "missing item {id} {en}");
    }
}

#[test]
fn bad_input_leaves_no_pdf() {
    let dir = tempdir();
    let out = dir.path().join("never.pdf");
    let out_s = out.display().to_string();
    let bad = dir.path().join("bad.json");
    write(&bad, r#"{"scale": "ips-25", "service": "X", "date": "2026-01-01", "scores": {"B1": 9}}"#);
    let r = run_en(&["report", &bad.display().to_string(), "-o", &out_s]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("bad.json") && r.stderr.contains("score 9"), "{}", r.stderr);
    assert!(!out.exists());

    let r = run_en(&["report", "--workspace", "examples/workspace", "--service", "IPS Ukjent", "-o", &out_s]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("no service named 'IPS Ukjent'"), "{}", r.stderr);
    let r = run_en(&[
        "report",
        "--workspace",
        "examples/workspace",
        "--service",
        "IPS Nordby",
        "--date",
        "2020-01-01",
        "-o",
        &out_s,
    ]);
    assert_eq!(r.code, 2);
    let r = run_en(&["report", "-o", &out_s]);
    assert_eq!(r.code, 2);
    assert!(!out.exists());
    let leftovers: Vec<_> =
        std::fs::read_dir(dir.path()).into_iter().flatten().flatten().map(|e| e.file_name()).collect();
    assert_eq!(leftovers.len(), 1, "only bad.json: {leftovers:?}");
}

#[test]
fn report_for_a_chosen_date() {
    let dir = tempdir();
    let out = dir.path().join("first.pdf");
    let r = run(&[
        "report",
        "--workspace",
        "examples/workspace",
        "--service",
        "IPS Nordby",
        "--date",
        "2024-05-14",
        "-o",
        &out.display().to_string(),
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let (text, _) = pdf_text(&out);
    assert!(text.contains("Total: 84 av 125"));
    assert!(text.contains("Kvalitetsnivå: Godkjent kvalitet"));
    assert!(text.contains("Ingen tidligere evaluering å sammenligne med"));
}
