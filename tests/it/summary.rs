//! The resource centre's summary (`ips-fidelity summary`): its numbers equal an independent
//! computation from the CSV export, for all services and for one region, and the reviewers'
//! agreement equals a hand computation.

use crate::util;

use std::collections::BTreeMap;
use std::path::Path;

use util::{copy_tree, repo, run, run_en, tempdir};

/// The 25 item ids of the CSV header, in order.
fn item_columns(header: &[String]) -> Vec<String> {
    header.iter().skip(6).cloned().collect()
}

/// A service's latest complete review as read from the CSV: (date, band label, item scores).
type Latest = (String, String, Vec<u8>);

/// Each service's latest complete independent IPS-25 review from the CSV export, computed
/// here without the program's code, by service name.
fn latest_complete(csv: &str) -> (Vec<String>, BTreeMap<String, Latest>) {
    let mut lines = csv.lines();
    let header: Vec<String> = lines.next().expect("a header").split(',').map(str::to_string).collect();
    let items = item_columns(&header);
    let mut latest: BTreeMap<String, Latest> = BTreeMap::new();
    for line in lines {
        let cells: Vec<&str> = line.split(',').collect();
        let (service, date, kind, scale, band) = (cells[0], cells[1], cells[2], cells[3], cells[5]);
        let scores: Vec<Option<u8>> = cells[6..].iter().map(|c| c.parse().ok()).collect();
        if kind != "independent" || scale != "ips-25" || scores.iter().any(Option::is_none) {
            continue;
        }
        let scores: Vec<u8> = scores.into_iter().flatten().collect();
        let newer = latest.get(service).is_none_or(|(d, _, _)| date > d.as_str());
        if newer {
            latest.insert(service.to_string(), (date.to_string(), band.to_string(), scores));
        }
    }
    (items, latest)
}

fn regions_of(ws: &Path) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    for entry in std::fs::read_dir(ws.join("services")).expect("services").flatten() {
        let text = std::fs::read_to_string(entry.path().join("service.json")).expect("service.json");
        let v: serde_json::Value = serde_json::from_str(&text).expect("json");
        out.insert(v["name"].as_str().unwrap_or("").to_string(), v["region"].as_str().unwrap_or("").to_string());
    }
    out
}

fn check(summary: &serde_json::Value, items: &[String], chosen: &[&Latest]) {
    assert_eq!(summary["services"].as_u64(), Some(chosen.len() as u64));
    // Bands: the count of each label.
    let mut bands: BTreeMap<String, u64> = BTreeMap::new();
    for (_, band, _) in chosen {
        *bands.entry(band.clone()).or_default() += 1;
    }
    let listed: u64 =
        summary["bands"].as_array().expect("bands").iter().map(|b| b["count"].as_u64().expect("count")).sum();
    assert_eq!(listed, chosen.len() as u64);
    for b in summary["bands"].as_array().expect("bands") {
        let label = b["label"].as_str().expect("label");
        assert_eq!(b["count"].as_u64(), Some(bands.get(label).copied().unwrap_or(0)), "{label}");
        assert!(b["id"].is_string());
    }
    // Item means, and the three weakest (ties in the scale's order).
    let means: Vec<f64> = (0..items.len())
        .map(|k| chosen.iter().map(|(_, _, s)| f64::from(s[k])).sum::<f64>() / chosen.len() as f64)
        .collect();
    for (k, id) in items.iter().enumerate() {
        let item = summary["items"].as_array().expect("items").iter().find(|i| i["id"] == id.as_str()).expect("item");
        let mean = item["mean"].as_f64().expect("the mean is a number");
        assert!((mean - means[k]).abs() < 1e-9, "{id}: {mean} vs {}", means[k]);
    }
    let mut order: Vec<usize> = (0..items.len()).collect();
    order.sort_by(|a, b| means[*a].total_cmp(&means[*b]));
    let weakest: Vec<&str> = order.iter().take(3).map(|k| items[*k].as_str()).collect();
    let listed: Vec<&str> = summary["weakest"].as_array().expect("weakest").iter().filter_map(|v| v.as_str()).collect();
    assert_eq!(listed, weakest);
    assert!(summary["overdue"].is_array());
    assert!(summary["agreement"].is_object());
}

#[test]
fn summary_json_equals_a_computation_from_the_csv_export() {
    let dir = tempdir();
    let ws = dir.path().join("ws");
    let csv_path = dir.path().join("all.csv");
    let ws_arg = ws.display().to_string();
    let r = run(&[
        "dev",
        "generate",
        "--services",
        "40",
        "--reviews",
        "3",
        "--seed",
        "7",
        "--workspace",
        &ws_arg,
        "--csv",
        &csv_path.display().to_string(),
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    // A later, incomplete review of one service does not count; its complete one does.
    let first = std::fs::read_dir(ws.join("services")).expect("services").flatten().next().expect("a service").path();
    std::fs::write(
        first.join("evaluations/2030-01-01_independent.json"),
        r#"{"scale": "ips-25", "service": "x", "date": "2030-01-01", "scores": {"B1": 1}}"#,
    )
    .expect("write");
    let r = run(&["export", "--format", "csv", "-o", &csv_path.display().to_string(), "--workspace", &ws_arg]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let csv = std::fs::read_to_string(&csv_path).expect("the export");
    let (items, latest) = latest_complete(&csv);
    assert_eq!(latest.len(), 40);

    let r = run(&["summary", "--workspace", &ws_arg, "--json"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let all: serde_json::Value = serde_json::from_str(&r.stdout).expect("JSON");
    check(&all, &items, &latest.values().collect::<Vec<_>>());

    // One region: the services whose service.json names it.
    let regions = regions_of(&ws);
    let region = "Nordland";
    let chosen: Vec<_> = latest
        .iter()
        .filter(|(name, _)| regions.get(*name).map(String::as_str) == Some(region))
        .map(|(_, v)| v)
        .collect();
    assert!(chosen.len() >= 3, "{} in {region}", chosen.len());
    let r = run(&["summary", "--workspace", &ws_arg, "--region", region, "--json"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let one: serde_json::Value = serde_json::from_str(&r.stdout).expect("JSON");
    check(&one, &items, &chosen);

    // The PDF for the resource centre: the same services, every service's scores in the
    // heat map as text, no raster image.
    let pdf = dir.path().join("region.pdf");
    let r = run(&["summary", "--workspace", &ws_arg, "--region", region, "-o", &pdf.display().to_string()]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let bytes = std::fs::read(&pdf).expect("the PDF");
    let doc = lopdf::Document::load_mem(&bytes).expect("a PDF");
    let pages: Vec<u32> = doc.get_pages().keys().copied().collect();
    let text = doc.extract_text(&pages).expect("text").split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(text.contains(&format!("Tjenester med fullført ekstern evaluering: {}", chosen.len())), "{text}");
    assert!(text.contains(&format!("Region: {region}")));
    for (name, (_, _, scores)) in
        latest.iter().filter(|(name, _)| regions.get(*name).map(String::as_str) == Some(region))
    {
        let row = scores.iter().map(u8::to_string).collect::<Vec<_>>().join(" ");
        assert!(text.contains(&format!("{name} {row}")), "{name}: {row}");
    }
    let images = doc.objects.values().filter(|o| matches!(o, lopdf::Object::Stream(s) if s.dict.get(b"Subtype").and_then(|v| v.as_name()).is_ok_and(|n| n == b"Image"))).count();
    assert_eq!(images, 0);

    // An unknown region is bad input, with the known ones listed.
    let r = run_en(&["summary", "--workspace", &ws_arg, "--region", "Atlantis"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("no service has the region 'Atlantis'") && r.stderr.contains("Nordland"), "{}", r.stderr);
}

/// Three reviews with two reviewers each, on three items, computed by hand:
///
/// | review | pair | B1 | B2 | B3 |
/// |---|---|---|---|---|
/// | 1 | Kari / Ola   | 4 / 4 | 3 / 5 | 2 / 3 |
/// | 2 | Kari / Ola   | 5 / 4 | 4 / 4 | –     |
/// | 3 | Kari / Silje | 3 / 3 | 2 / 5 | 4 / 4 |
///
/// B1: 3 compared, 2 exact, 3 within one, 0 two or more. B2: 3, 1, 1, 2. B3: 2, 1, 2, 0.
/// Kari & Ola: 2 reviews, 5 compared, 2 exact, 4 within one. Kari & Silje: 1, 3, 2, 2.
#[test]
fn calibration_equals_a_hand_computation() {
    let dir = tempdir();
    copy_tree(&repo("examples/workspace"), dir.path());
    let evals = dir.path().join("services/ips-nordby/evaluations");
    for f in std::fs::read_dir(&evals).expect("list").flatten() {
        std::fs::remove_file(f.path()).expect("remove");
    }
    let review = |date: &str, a: (&str, [Option<u8>; 3]), b: (&str, [Option<u8>; 3])| {
        let scores = |s: [Option<u8>; 3]| {
            let mut m = serde_json::Map::new();
            for (id, v) in ["B1", "B2", "B3"].iter().zip(s) {
                if let Some(v) = v {
                    m.insert((*id).to_string(), serde_json::json!(v));
                }
            }
            serde_json::Value::Object(m)
        };
        let v = serde_json::json!({
            "scale": "ips-25", "service": "IPS Nordby", "date": date,
            "reviewers": [{"name": a.0, "scores": scores(a.1), "done": true}, {"name": b.0, "scores": scores(b.1), "done": true}],
            "scores": {}
        });
        std::fs::write(evals.join(format!("{date}_independent.json")), v.to_string()).expect("write");
    };
    review("2024-01-10", ("Kari", [Some(4), Some(3), Some(2)]), ("Ola", [Some(4), Some(5), Some(3)]));
    review("2025-01-10", ("Kari", [Some(5), Some(4), None]), ("Ola", [Some(4), Some(4), None]));
    review("2026-01-10", ("Silje", [Some(3), Some(5), Some(4)]), ("Kari", [Some(3), Some(2), Some(4)]));
    let r = run(&["summary", "--workspace", &dir.path().display().to_string(), "--json"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).expect("JSON");
    let a = &v["agreement"];
    assert_eq!(a["reviews"], 3);
    let item = |id: &str| a["items"].as_array().expect("items").iter().find(|i| i["id"] == id).cloned().expect("item");
    for (id, compared, exact, within, apart) in
        [("B1", 3, 2, 3, 0), ("B2", 3, 1, 1, 2), ("B3", 2, 1, 2, 0), ("O1", 0, 0, 0, 0)]
    {
        let i = item(id);
        assert_eq!(
            (i["compared"].as_u64(), i["exact"].as_u64(), i["within_one"].as_u64(), i["two_or_more"].as_u64()),
            (Some(compared), Some(exact), Some(within), Some(apart)),
            "{id}"
        );
    }
    assert_eq!(a["most_apart"], serde_json::json!(["B2"]));
    let pairs = a["pairs"].as_array().expect("pairs");
    assert_eq!(pairs.len(), 2);
    assert_eq!(pairs[0]["reviewers"], serde_json::json!(["Kari", "Ola"]));
    assert_eq!(
        (
            pairs[0]["reviews"].as_u64(),
            pairs[0]["compared"].as_u64(),
            pairs[0]["exact"].as_u64(),
            pairs[0]["within_one"].as_u64()
        ),
        (Some(2), Some(5), Some(2), Some(4))
    );
    // Quadratic-weighted kappa over the five items Kari and Ola both scored in their two
    // reviews, the categories 1–5 (worked by hand: 1 − (6/16) / (40/16/5) = 0.25), and over
    // Kari and Silje's three (1 − (9/16) / (21/16/3) = −2/7).
    let kappa = |p: &serde_json::Value| p["kappa"].as_f64().expect("kappa");
    assert!((kappa(&pairs[0]) - 0.25).abs() < 1e-9, "{}", pairs[0]);
    assert!((kappa(&pairs[1]) + 2.0 / 7.0).abs() < 1e-9, "{}", pairs[1]);
    assert_eq!(pairs[1]["reviewers"], serde_json::json!(["Kari", "Silje"]));
    assert_eq!(
        (
            pairs[1]["reviews"].as_u64(),
            pairs[1]["compared"].as_u64(),
            pairs[1]["exact"].as_u64(),
            pairs[1]["within_one"].as_u64()
        ),
        (Some(1), Some(3), Some(2), Some(2))
    );
    // In words too.
    let r = run(&["summary", "--workspace", &dir.path().display().to_string()]);
    assert!(
        r.stdout.contains("Kari og Ola (evalueringer: 2): helt enige 40\u{a0}%, innen ett poeng 80\u{a0}%"),
        "{}",
        r.stdout
    );
}

mod app {
    use super::*;

    use egui_kittest::kittest::{NodeT, Queryable};
    use ips_fidelity::gui::{App, Command, Route, Settings};
    use util::{harness, today};

    #[test]
    fn regional_overview_in_the_app() {
        let dir = tempdir();
        let ws = dir.path().join("ws");
        let r = run(&[
            "dev",
            "generate",
            "--services",
            "12",
            "--reviews",
            "2",
            "--seed",
            "3",
            "--workspace",
            &ws.display().to_string(),
        ]);
        assert_eq!(r.code, 0, "{}", r.stderr);
        let regions = regions_of(&ws);
        let in_nordland = regions.values().filter(|r| r.as_str() == "Nordland").count();
        assert!((2..12).contains(&in_nordland), "{in_nordland}");
        let today = today();
        let mut h = harness(App::new(&ws, Settings::default(), today));
        util::frames(&mut h);
        h.get_by_label("Regionoversikt").click();
        util::frames(&mut h);
        assert_eq!(h.state().route, Route::Region);
        assert!(h.query_by_label("Tjenester med fullført ekstern evaluering: 12").is_some());
        assert!(h.query_by_label("Tjenester og punkter (siste fullførte evaluering)").is_some());
        assert!(h.query_by_label("Enighet mellom evaluatorene").is_some());
        // The PDF summary, where the user chooses.
        let pdf = dir.path().join("oversikt.pdf");
        let asked = util::choose(h.state_mut(), Some(vec![pdf.clone()]));
        h.get_by_label("Lag PDF-sammendrag …").click();
        // Rendered and written on a thread of its own.
        util::settle(&mut h);
        assert_eq!(asked.lock().expect("lock")[0].file_name, "regionoversikt_2026-11-23.pdf");
        assert!(std::fs::read(&pdf).expect("the PDF").starts_with(b"%PDF"));
        // One region.
        h.get_by_role_and_label(egui::accesskit::Role::ComboBox, "Region").click();
        util::frames(&mut h);
        h.get_by_label("Nordland").click();
        util::frames(&mut h);
        assert!(h.query_by_label(&format!("Tjenester med fullført ekstern evaluering: {in_nordland}")).is_some());
        // One service against the median.
        let name = regions.iter().find(|(_, r)| r.as_str() == "Nordland").map(|(n, _)| n.clone()).expect("a service");
        h.get_by_role_and_label(egui::accesskit::Role::ComboBox, "Én tjeneste mot medianen").scroll_to_me();
        util::frames(&mut h);
        h.get_by_role_and_label(egui::accesskit::Role::ComboBox, "Én tjeneste mot medianen").click();
        util::frames(&mut h);
        // The service in the list that opened (its name is also a link in the heat map).
        let option = h
            .query_all_by_label(&name)
            .find(|n| n.accesskit_node().role() != egui::accesskit::Role::Link)
            .expect("the service in the list");
        option.click();
        util::frames(&mut h);
        assert_eq!(h.state().route, Route::Region);
        // The comparison table: the service's own column beside the median.
        let roles: Vec<_> = h.query_all_by_label(&name).map(|n| n.accesskit_node().role()).collect();
        assert!(
            roles.contains(&egui::accesskit::Role::Label),
            "the heat map's link and the comparison's header: {roles:?}"
        );
        // The overview filters by region too.
        h.state_mut().apply(Command::Navigate(Route::Overview));
        h.state_mut().settle();
        util::frames(&mut h);
        h.get_by_role_and_label(egui::accesskit::Role::ComboBox, "Region").click();
        util::frames(&mut h);
        // The choice in the list (the rows show regions as labels too).
        h.get_by_role_and_label(egui::accesskit::Role::Button, "Nordland").click();
        util::frames(&mut h);
        assert!(h.query_by_label(&name).is_some());
        let others = regions.iter().filter(|(_, r)| r.as_str() != "Nordland").count();
        let shown_others =
            regions.iter().filter(|(n, r)| r.as_str() != "Nordland" && h.query_by_label(n).is_some()).count();
        assert!(others > 0);
        assert_eq!(shown_others, 0, "only Nordland's services are listed");
    }

    /// The example service three times, in regions "Sør", "SØR" and "sør".
    fn one_region_three_spellings(root: &Path) {
        copy_tree(&repo("examples/workspace"), root);
        let services = root.join("services");
        for (folder, name, region) in
            [("ips-nordby", "IPS Nordby", "Sør"), ("ips-a", "IPS A", "SØR"), ("ips-b", "IPS B", "sør")]
        {
            if folder != "ips-nordby" {
                copy_tree(&services.join("ips-nordby"), &services.join(folder));
            }
            let path = services.join(folder).join("service.json");
            let mut info: serde_json::Value =
                serde_json::from_str(&std::fs::read_to_string(&path).expect("service.json")).expect("JSON");
            info["name"] = name.into();
            info["region"] = region.into();
            std::fs::write(&path, serde_json::to_string_pretty(&info).expect("JSON")).expect("write");
        }
    }

    /// Regression: "SØR" and "Sør" were one region in the dropdown (Unicode lower case) and
    /// two in the overview's filter and `summary --region` (ASCII case only).
    #[test]
    fn a_region_is_one_region_whatever_its_case_in_the_dropdown_the_filter_and_the_cli() {
        let dir = tempdir();
        let ws = dir.path().join("ws");
        one_region_three_spellings(&ws);
        let ws_arg = ws.display().to_string();
        for spelling in ["SØR", "sør", "Sør"] {
            let r = run(&["summary", "--workspace", &ws_arg, "--region", spelling, "--json"]);
            assert_eq!(r.code, 0, "{spelling}: {}", r.stderr);
            let v: serde_json::Value = serde_json::from_str(&r.stdout).expect("JSON");
            assert_eq!(v["services"], 3, "{spelling}: {}", r.stdout);
        }
        let mut h = harness(App::new(&ws, Settings::default(), today()));
        util::frames(&mut h);
        // The overview's filter offers the region once (the rows show each spelling as
        // written), and keeps all three services.
        let count = |h: &egui_kittest::Harness<'_, App>, label: &str| h.query_all_by_label(label).count();
        let before = [count(&h, "Sør"), count(&h, "SØR"), count(&h, "sør")];
        h.get_by_role_and_label(egui::accesskit::Role::ComboBox, "Region").click();
        util::frames(&mut h);
        let open = [count(&h, "Sør"), count(&h, "SØR"), count(&h, "sør")];
        let added: Vec<usize> = (0..3).filter(|&i| open[i] > before[i]).collect();
        assert_eq!(open.iter().sum::<usize>(), before.iter().sum::<usize>() + 1, "one entry in the dropdown");
        let entry = ["Sør", "SØR", "sør"][added[0]];
        h.get_by_role_and_label(egui::accesskit::Role::Button, entry).click();
        util::frames(&mut h);
        for name in ["IPS Nordby", "IPS A", "IPS B"] {
            assert!(h.query_by_label(name).is_some(), "{name} is in the filtered overview");
        }
        // The regional overview counts the same three.
        h.get_by_label("Regionoversikt").click();
        util::frames(&mut h);
        h.get_by_role_and_label(egui::accesskit::Role::ComboBox, "Region").click();
        util::frames(&mut h);
        h.get_by_role_and_label(egui::accesskit::Role::Button, entry).click();
        util::frames(&mut h);
        assert!(h.query_by_label("Tjenester med fullført ekstern evaluering: 3").is_some());
    }

    /// The weakest items were written three times (app, CLI, PDF); now one definition
    /// (`Summary::weakest_lines`) gives the same line in each.
    #[test]
    fn the_app_the_cli_and_the_pdf_list_the_same_weakest_items() {
        let dir = tempdir();
        let ws = dir.path().join("ws");
        one_region_three_spellings(&ws);
        let ws_arg = ws.display().to_string();
        let loaded = ips_store::workspace::Workspace::load(&ws);
        let all = ips_domain::summary::Selection::default();
        let sum = loaded.summary("ips-25", &all, ips_text::text::Lang::Nb, today()).expect("a summary");
        let lines = sum.weakest_lines(ips_text::text::Lang::Nb);
        assert_eq!(lines.len(), 3, "{lines:?}");
        assert!(lines[0].contains(','), "a decimal comma in nb: {lines:?}");
        let joined = lines.join("; ");
        // The command line.
        let r = run(&["summary", "--workspace", &ws_arg]);
        assert_eq!(r.code, 0, "{}", r.stderr);
        assert!(r.stdout.contains(&format!("Svakeste punkter: {joined}")), "{}", r.stdout);
        // The PDF.
        let pdf = dir.path().join("sum.pdf");
        let r = run(&["summary", "--workspace", &ws_arg, "-o", &pdf.display().to_string()]);
        assert_eq!(r.code, 0, "{}", r.stderr);
        let doc = lopdf::Document::load_mem(&std::fs::read(&pdf).expect("the PDF")).expect("a PDF");
        let pages: Vec<u32> = doc.get_pages().keys().copied().collect();
        let text = doc.extract_text(&pages).expect("text").split_whitespace().collect::<Vec<_>>().join(" ");
        for line in &lines {
            let words = line.split_whitespace().collect::<Vec<_>>().join(" ");
            assert!(text.contains(&words), "the PDF lists {line}");
        }
        // The app's regional overview.
        let mut h = harness(App::new(&ws, Settings::default(), today()));
        util::frames(&mut h);
        h.get_by_label("Regionoversikt").click();
        util::frames(&mut h);
        assert!(h.query_by_label(&format!("Svakeste punkter: {joined}")).is_some(), "the app lists {joined}");
    }
}
