//! The PDF report: made from the example service and from standalone files, read back as
//! text (lopdf) to check what it says, in Norwegian and English, complete and partial.

use crate::util;

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
        "Totalskår: 106 av 125",
        "Kvalitetsnivå: Bra kvalitet",
        "NAV Nordby",
        "Kari Lunde",
        "Handlingsplan",
        "Forbedringsområder",
        "Styrker",
        "Frist for neste evaluering",
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
    // The title is the scale's name; the subtitle says what the document is.
    assert!(text.contains("IPS Supported Employment Fidelity Scale"));
    assert!(text.contains("Fidelity review – report to the steering group"));
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
    assert!(text.contains("Totalskår: 84 av 125"));
    assert!(text.contains("Kvalitetsnivå: Godkjent kvalitet"));
    assert!(text.contains("Ingen tidligere evaluering å sammenligne med"));
}

/// A PDF object, following a reference.
fn resolved<'a>(doc: &'a lopdf::Document, o: &'a lopdf::Object) -> &'a lopdf::Object {
    match o {
        lopdf::Object::Reference(id) => doc.get_object(*id).expect("referenced object"),
        other => other,
    }
}

/// A PDF text string (PDFDocEncoding or UTF-16BE with its mark) as a Rust string.
fn pdf_string(o: &lopdf::Object) -> String {
    let bytes = o.as_str().expect("a string");
    if let Some(rest) = bytes.strip_prefix(&[0xFE, 0xFF]) {
        let units: Vec<u16> = rest.chunks(2).map(|c| u16::from_be_bytes([c[0], *c.get(1).unwrap_or(&0)])).collect();
        String::from_utf16_lossy(&units)
    } else {
        String::from_utf8_lossy(bytes).into_owned()
    }
}

#[test]
fn report_is_print_quality_vectors_metadata_outline_and_heat_map() {
    let dir = tempdir();
    let out = dir.path().join("nordby.pdf");
    let args =
        ["report", "--workspace", "examples/workspace", "--service", "IPS Nordby", "-o", &out.display().to_string()];
    let r = run(&args);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let bytes = std::fs::read(&out).expect("the report");
    assert!(bytes.len() < 300 * 1024, "{} bytes", bytes.len());
    let doc = lopdf::Document::load_mem(&bytes).expect("a PDF");

    // No raster image anywhere: the charts are vector graphics.
    let images = doc
        .objects
        .values()
        .filter(|o| match o {
            lopdf::Object::Stream(s) => s.dict.get(b"Subtype").and_then(|v| v.as_name()).is_ok_and(|n| n == b"Image"),
            _ => false,
        })
        .count();
    assert_eq!(images, 0, "image objects in the report");

    // Metadata: title after the scale's name, the reviewers as author, created today.
    let info_ref = doc.trailer.get(b"Info").expect("an Info dictionary");
    let info = resolved(&doc, info_ref).as_dict().expect("a dictionary");
    let field = |k: &[u8]| pdf_string(resolved(&doc, info.get(k).expect("metadata field")));
    let scale: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(repo("scales/ips-25.json")).expect("scale")).expect("json");
    let scale_name = scale["name"]["nb"].as_str().expect("name");
    assert!(field(b"Title").starts_with(scale_name), "{}", field(b"Title"));
    assert!(field(b"Title").contains("IPS Nordby"));
    assert_eq!(field(b"Author"), "Kari Lunde, Silje Aas");
    assert!(field(b"Producer").starts_with("ips-fidelity"));
    let created = field(b"CreationDate");
    let today_utc = chrono::Utc::now().date_naive();
    let today_local = chrono::Local::now().date_naive();
    assert!(
        [today_utc, today_local].iter().any(|d| created.starts_with(&format!("D:{}", d.format("%Y%m%d")))),
        "{created}"
    );

    // Language and outline on the catalog.
    let catalog = doc.catalog().expect("a catalog");
    assert_eq!(pdf_string(catalog.get(b"Lang").expect("/Lang")), "nb-NO");
    let outlines = resolved(&doc, catalog.get(b"Outlines").expect("an outline")).as_dict().expect("dictionary");
    assert_eq!(
        catalog.get(b"PageMode").and_then(|m| m.as_name()).ok(),
        Some(&b"UseOutlines"[..]),
        "the reader opens the outline beside the pages"
    );
    let mut titles = Vec::new();
    let mut next = outlines.get(b"First").ok().cloned();
    while let Some(o) = next {
        let entry = resolved(&doc, &o).as_dict().expect("an outline entry");
        titles.push(pdf_string(entry.get(b"Title").expect("title")));
        next = entry.get(b"Next").ok().cloned();
    }
    let report_texts: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(repo("reports/nb.json")).expect("texts")).expect("json");
    let heading = |k: &str| report_texts[k].as_str().expect("a report text").to_string();
    assert_eq!(
        titles,
        [
            "summary_heading",
            "charts_heading",
            "heat_map_heading",
            "items_heading",
            "strengths_heading",
            "improve_heading",
            "previous_plan_heading",
            "plan_heading",
            "schedule_heading",
            "accuracy_heading",
            "audit_heading"
        ]
        .map(heading),
        "the outline in section order"
    );

    // The heat map: the review dates as headers and every item's scores, oldest first, as
    // text in the PDF, read from the review files.
    let (text, _) = pdf_text(&out);
    let folder = repo("examples/workspace/services/ips-nordby/evaluations");
    let mut files: Vec<_> = std::fs::read_dir(&folder).expect("reviews").flatten().map(|e| e.path()).collect();
    files.sort();
    let reviews: Vec<serde_json::Value> = files
        .iter()
        .map(|f| serde_json::from_str(&std::fs::read_to_string(f).expect("review")).expect("json"))
        .collect();
    assert_eq!(reviews.len(), 3);
    let dates: Vec<String> = reviews
        .iter()
        .map(|r| {
            let d = chrono::NaiveDate::parse_from_str(r["date"].as_str().expect("date"), "%Y-%m-%d").expect("date");
            d.format("%d.%m.%Y").to_string()
        })
        .collect();
    let heat = &text[text.find(&heading("heat_map_heading")).expect("the heat map")..];
    assert!(heat.contains(&dates.join(" ")), "column headers {dates:?}");
    for (id, nb, _) in example_scale_items() {
        let scores: Vec<String> =
            reviews.iter().map(|r| r["scores"][&id].as_u64().expect("score").to_string()).collect();
        let row = format!("{id} {nb}");
        // Long names are shortened with "…" in the map; the scores follow the name.
        let start = heat.find(&row[..row.len().min(20)]).unwrap_or_else(|| panic!("row {row}"));
        let after_name = &heat[start..];
        let scores_text = scores.join(" ");
        assert!(after_name[..200.min(after_name.len())].contains(&scores_text), "{id}: {scores_text}");
    }

    // Norwegian dates only: no ISO date is shown anywhere.
    let iso = text.split_whitespace().filter(|w| {
        let w = w.trim_matches(|c: char| !c.is_ascii_digit());
        w.len() == 10 && chrono::NaiveDate::parse_from_str(w, "%Y-%m-%d").is_ok()
    });
    assert_eq!(iso.count(), 0, "ISO dates in the nb report");
    assert!(text.contains("21.04.2026"));
}

#[test]
fn english_report_has_english_dates_and_language() {
    let dir = tempdir();
    let out = dir.path().join("en.pdf");
    let args = ["report", "--workspace", "examples/workspace", "--service", "IPS Nordby", "-o"];
    let r = run_en(&[&args[..], &[out.display().to_string().as_str()]].concat());
    assert_eq!(r.code, 0, "{}", r.stderr);
    let (text, _) = pdf_text(&out);
    assert!(text.contains("21 Apr 2026"), "English dates");
    assert!(!text.contains("21.04.2026"));
    assert!(text.contains("Items over time"));
    let doc = lopdf::Document::load(&out).expect("a PDF");
    let catalog = doc.catalog().expect("a catalog");
    assert_eq!(pdf_string(catalog.get(b"Lang").expect("/Lang")), "en");
}

/// A service with its own report language (`report_lang` in its service.json: a nynorsk
/// municipality's service) gets its reports in it by default; `--lang` still decides when
/// given.
#[test]
fn a_service_with_its_own_report_language_gets_reports_in_it() {
    let dir = tempdir();
    let ws = dir.path().join("ws");
    util::copy_tree(&repo("examples/workspace"), &ws);
    let info = ws.join("services/ips-nordby/service.json");
    let mut v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&info).expect("service")).expect("json");
    v["report_lang"] = serde_json::json!("nn");
    write(&info, &v.to_string());
    let (ws_arg, out) = (ws.display().to_string(), dir.path().join("r.pdf"));
    let out_arg = out.display().to_string();
    let report = ["report", "--workspace", ws_arg.as_str(), "--service", "IPS Nordby", "-o", out_arg.as_str()];
    let r = run(&report);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let (text, _) = pdf_text(&out);
    assert!(text.contains("Kvalitetsevaluering – rapport til styringsgruppa"), "nynorsk: {text}");
    assert!(text.contains("Rapporten er laga"), "nynorsk");
    let r = run(&[&["--lang", "nb"][..], &report[..]].concat());
    assert_eq!(r.code, 0, "{}", r.stderr);
    let (text, _) = pdf_text(&out);
    assert!(text.contains("Kvalitetsevaluering – rapport til styringsgruppen"), "--lang decides: {text}");
}
