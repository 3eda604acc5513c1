//! Review packages: a service exported from one workspace and imported into another comes
//! back field by field; importing again changes nothing; a differing review is a conflict.
//! Two reviewers on two laptops bring their scores into one review, blind scoring kept.

use crate::util;

use std::path::Path;

use ips_store::workspace::Workspace;
use util::{copy_tree, repo, run, run_en, tempdir};

const REVIEW: &str = "services/ips-nordby/evaluations/2026-04-21_independent.json";

fn json(path: &Path) -> serde_json::Value {
    serde_json::from_str(&std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display())))
        .expect("json")
}

#[test]
fn a_package_round_trips_the_example_field_by_field() {
    let dir = tempdir();
    let from = dir.path().join("from");
    copy_tree(&repo("examples/workspace"), &from);
    let pkg = dir.path().join("nordby.ipspakke.json");
    let r = run(&[
        "export",
        "--format",
        "package",
        "--service",
        "IPS Nordby",
        "-o",
        &pkg.display().to_string(),
        "--workspace",
        &from.display().to_string(),
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stderr.contains("3 evalueringer"), "{}", r.stderr);

    let to = dir.path().join("to");
    let r = run(&["import", &pkg.display().to_string(), "--workspace", &to.display().to_string()]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    // Three reviews, five quarters of outcome figures and ten meetings.
    assert!(r.stdout.contains("18 lagt til, 0 uendret, 0 konflikter"), "{}", r.stdout);

    // Every review file, and the service's details, as they were.
    let reviews = from.join("services/ips-nordby/evaluations");
    let mut n = 0;
    for f in std::fs::read_dir(&reviews).expect("reviews").flatten() {
        let name = f.file_name();
        let back = to.join("services/ips-nordby/evaluations").join(&name);
        // Every field of the review as the program reads it (a hand-written `84` comes back
        // as the same number written `84.0`).
        let read = |p: &Path| {
            let text = std::fs::read_to_string(p).expect("review");
            ips_domain::evaluation::Evaluation::from_json(&p.display().to_string(), &text).expect("a review")
        };
        assert_eq!(read(&back), read(&f.path()), "{name:?}");
        n += 1;
    }
    assert_eq!(n, 3);
    assert_eq!(
        json(&to.join("services/ips-nordby/service.json")),
        json(&from.join("services/ips-nordby/service.json")),
        "region, health trust and the rest"
    );
    assert!(to.join("scales/ips-25_2026-1.json").is_file(), "the scale version it is scored on");
    for file in ["outcomes.json", "meetings.json"] {
        let path = |root: &Path| root.join("services/ips-nordby").join(file);
        assert_eq!(json(&path(&to)), json(&path(&from)), "{file}");
    }

    // Again: nothing changes.
    let r = run(&["import", &pkg.display().to_string(), "--workspace", &to.display().to_string()]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("0 lagt til, 18 uendret, 0 konflikter"), "{}", r.stdout);

    // A review changed here is a conflict: named, exit 2, and not overwritten.
    let here = to.join(REVIEW);
    let mut v = json(&here);
    v["items"]["B1"]["rationale"] = serde_json::json!("Endret her.");
    std::fs::write(&here, serde_json::to_string_pretty(&v).expect("json")).expect("write");
    let before = std::fs::read(&here).expect("read");
    let r = run(&["import", &pkg.display().to_string(), "--workspace", &to.display().to_string()]);
    assert_eq!(r.code, 2, "{}", r.stdout);
    assert!(r.stderr.contains("2026-04-21_independent.json: konflikt"), "{}", r.stderr);
    assert_eq!(std::fs::read(&here).expect("read"), before);
}

/// The example's 2026 review as scored by one reviewer alone on their own laptop.
fn laptop(dir: &Path, keep: &str) {
    copy_tree(&repo("examples/workspace"), dir);
    let p = dir.join(REVIEW);
    let mut v = json(&p);
    let reviewers: Vec<serde_json::Value> = v["reviewers"]
        .as_array()
        .expect("reviewers")
        .iter()
        .filter(|r| r["name"] == keep)
        .cloned()
        .map(|mut r| {
            r["done"] = serde_json::json!(true);
            r
        })
        .collect();
    assert_eq!(reviewers.len(), 1, "{keep}");
    v["reviewers"] = serde_json::Value::Array(reviewers);
    // Reviewers score while the review is being scored, long before it is final.
    v["status"] = serde_json::json!("scoring");
    if let Some(o) = v.as_object_mut() {
        o.remove("audit");
    }
    std::fs::write(&p, serde_json::to_string_pretty(&v).expect("json")).expect("write");
}

#[test]
fn two_reviewers_on_two_laptops_merge_their_scores() {
    let dir = tempdir();
    let (kari, silje) = (dir.path().join("kari"), dir.path().join("silje"));
    laptop(&kari, "Kari Lunde");
    laptop(&silje, "Silje Aas");
    let pkg = dir.path().join("kari.ipspakke.json");
    let export = |reviewer: &str, ws: &Path| {
        run(&[
            "export",
            "--format",
            "package",
            "--service",
            "IPS Nordby",
            "--date",
            "21.04.2026",
            "--reviewer",
            reviewer,
            "-o",
            &pkg.display().to_string(),
            "--workspace",
            &ws.display().to_string(),
        ])
    };
    let r = export("Kari Lunde", &kari);
    assert_eq!(r.code, 0, "{}", r.stderr);
    // Only Kari's own entry travels: no consensus scores, no rationale.
    let p = json(&pkg);
    assert_eq!(p["reviewer"], "Kari Lunde");
    assert_eq!(p["reviews"][0]["reviewers"].as_array().map(Vec::len), Some(1));
    assert!(p["reviews"][0]["scores"].as_object().is_none_or(serde_json::Map::is_empty));

    let r = run(&["import", &pkg.display().to_string(), "--workspace", &silje.display().to_string()]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("skårene til Kari Lunde er lagt til"), "{}", r.stdout);
    // Silje's review now has both reviewers, exactly as in the example where both scored in
    // one file; the consensus view's agreement is the same.
    let merged = Workspace::load(&silje);
    let original = Workspace::load(&repo("examples/workspace"));
    let review = |ws: &Workspace| {
        let svc = &ws.services[0];
        svc.evaluations[svc.evaluation_index("2026-04-21_independent.json").expect("the review")].evaluation.clone()
    };
    let (m, o) = (review(&merged), review(&original));
    let scores = |e: &ips_domain::evaluation::Evaluation, name: &str| {
        e.reviewers.iter().find(|r| r.name == name).map(|r| r.scores.clone()).expect("reviewer")
    };
    for name in ["Kari Lunde", "Silje Aas"] {
        assert_eq!(scores(&m, name), scores(&o, name), "{name}");
    }
    // Kari's own rationale, ticks and figures came with her scores.
    let own = |e: &ips_domain::evaluation::Evaluation| {
        e.reviewers.iter().find(|r| r.name == "Kari Lunde").map(|r| r.items.clone()).expect("Kari")
    };
    assert_eq!(own(&m), own(&o));
    assert!(own(&m)["O5"].rationale.contains("Alle fem elementene"));
    assert_eq!(own(&m)["O5"].checked.len(), 5);
    let scale = merged.scales.for_evaluation(&m).expect("scale");
    let agree = |e: &ips_domain::evaluation::Evaluation| {
        ips_domain::agreement::agreement(scale, &scores(e, "Kari Lunde"), &scores(e, "Silje Aas"))
    };
    assert_eq!(agree(&m), agree(&o));
    assert_eq!(merged.saved_versions(0, 2).len(), 1, "the version before the merge is kept");

    // The same package again changes nothing; a different one for Kari is a conflict.
    let r = run(&["import", &pkg.display().to_string(), "--workspace", &silje.display().to_string()]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("0 lagt til, 1 uendret"), "{}", r.stdout);
    let mut changed = json(&pkg);
    changed["reviews"][0]["reviewers"][0]["scores"]["B1"] = serde_json::json!(1);
    std::fs::write(&pkg, changed.to_string()).expect("write");
    let before = std::fs::read(silje.join(REVIEW)).expect("read");
    let r = run(&["import", &pkg.display().to_string(), "--workspace", &silje.display().to_string()]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("har allerede Kari Lunde med andre skårer"), "{}", r.stderr);
    assert_eq!(std::fs::read(silje.join(REVIEW)).expect("read"), before);
    // Another rationale alone is a conflict too.
    let mut changed = json(&pkg);
    changed["reviews"][0]["reviewers"][0]["scores"]["B1"] = p["reviews"][0]["reviewers"][0]["scores"]["B1"].clone();
    changed["reviews"][0]["reviewers"][0]["items"]["O5"]["rationale"] = serde_json::json!("Noe annet.");
    std::fs::write(&pkg, changed.to_string()).expect("write");
    let r = run(&["import", &pkg.display().to_string(), "--workspace", &silje.display().to_string()]);
    assert_eq!(r.code, 2, "{}", r.stdout);
    assert_eq!(std::fs::read(silje.join(REVIEW)).expect("read"), before);
}

#[test]
fn a_reviewer_not_done_is_not_packaged() {
    let dir = tempdir();
    let kari = dir.path().join("kari");
    laptop(&kari, "Kari Lunde");
    let p = kari.join(REVIEW);
    let mut v = json(&p);
    v["reviewers"][0]["done"] = serde_json::json!(false);
    std::fs::write(&p, v.to_string()).expect("write");
    let out = dir.path().join("never.json");
    let r = run_en(&[
        "export",
        "--format",
        "package",
        "--service",
        "IPS Nordby",
        "--date",
        "2026-04-21",
        "--reviewer",
        "Kari Lunde",
        "-o",
        &out.display().to_string(),
        "--workspace",
        &kari.display().to_string(),
    ]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("has not marked their scoring as done"), "{}", r.stderr);
    assert!(!out.exists());
    let r = run_en(&["export", "--format", "package", "--workspace", &kari.display().to_string()]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("give --service NAME"), "{}", r.stderr);
}

mod app {
    use super::*;

    use egui_kittest::kittest::Queryable;
    use ips_fidelity::gui::{App, Command, Route, ServiceTab, Settings};
    use util::{choose, drop_files, harness, messages, today};

    #[test]
    fn a_package_is_exported_from_the_service_page_and_imported_by_dropping_it() {
        let dir = tempdir();
        let from = dir.path().join("from");
        copy_tree(&repo("examples/workspace"), &from);
        let pkg = dir.path().join("til kollega.ipspakke.json");
        let mut app = App::new(&from, Settings::default(), today());
        let asked = choose(&mut app, Some(vec![pkg.clone()]));
        app.apply(Command::Navigate(Route::Service("ips-nordby".into(), ServiceTab::Evaluations)));
        app.settle();
        let mut h = harness(app);
        util::frames(&mut h);
        h.get_by_label("Eksporter pakke …").click();
        // Written on a thread of its own.
        util::settle(&mut h);
        assert_eq!(asked.lock().expect("lock")[0].file_name, "ips-nordby_2026-11-23.ipspakke.json");
        assert!(messages(h.state()).contains("Pakke med 3 evalueringer skrevet til"), "{}", messages(h.state()));
        assert!(ips_store::package::Package::is_package(&std::fs::read_to_string(&pkg).expect("the package")));

        let to = dir.path().join("to");
        let mut h = harness(App::new(&to, Settings::default(), today()));
        util::frames(&mut h);
        drop_files(&mut h, &[&pkg]);
        // Three reviews, five quarters and ten meetings.
        assert!(
            messages(h.state()).contains("Import: 18 lagt til, 0 uendret, 0 i konflikt"),
            "{}",
            messages(h.state())
        );
        assert_eq!(h.state().route, Route::Overview);
        assert!(h.query_by_label("IPS Nordby").is_some());
        assert_eq!(Workspace::load(&to).services[0].info.region, "Nordland");
    }

    #[test]
    fn two_laptops_merge_in_the_app_and_agree_in_the_consensus_view() {
        let dir = tempdir();
        let (kari, silje) = (dir.path().join("kari"), dir.path().join("silje"));
        laptop(&kari, "Kari Lunde");
        laptop(&silje, "Silje Aas");
        let pkg = dir.path().join("kari.ipspakke.json");
        let file = "2026-04-21_independent.json";

        // Kari, done scoring, sends her scores.
        let mut app = App::new(&kari, Settings::default(), today());
        let asked = choose(&mut app, Some(vec![pkg.clone()]));
        app.apply(Command::OpenEvaluation("ips-nordby".into(), file.into()));
        app.settle();
        let mut h = harness(app);
        util::frames(&mut h);
        h.get_by_label("Kari Lunde").click();
        util::frames(&mut h);
        h.get_by_label("Send mine skårer …").click();
        // Written on a thread of its own.
        util::settle(&mut h);
        assert_eq!(asked.lock().expect("lock")[0].file_name, "ips-nordby_2026-04-21_kari-lunde.ipspakke.json");
        assert!(messages(h.state()).contains("Skårene dine er lagret"), "{}", messages(h.state()));

        // Silje drops it on her window; the consensus view shows both, agreeing as in the
        // example where both scored in one file.
        let mut h = harness(App::new(&silje, Settings::default(), today()));
        util::frames(&mut h);
        drop_files(&mut h, &[&pkg]);
        assert!(messages(h.state()).contains("Import: 1 lagt til, 0 uendret, 0 i konflikt"), "{}", messages(h.state()));
        h.state_mut().apply(Command::OpenEvaluation("ips-nordby".into(), file.into()));
        h.state_mut().settle();
        util::frames(&mut h);
        h.get_by_label("Enighet og konsensus").click();
        util::frames(&mut h);
        assert!(h.query_by_label_contains("Helt enige: 17 / 25").is_some());
        assert!(h.query_by_label("Kari Lunde").is_some() && h.query_by_label("Silje Aas").is_some());

        // Kari changes B1 and sends again: her two versions side by side; Silje keeps the
        // one here first, and nothing changes; the second time she takes the package's.
        let mut changed = json(&pkg);
        changed["reviews"][0]["reviewers"][0]["scores"]["B1"] = serde_json::json!(1);
        std::fs::write(&pkg, changed.to_string()).expect("write");
        let kari_b1 = |dir: &Path| {
            let ws = Workspace::load(dir);
            let svc = &ws.services[0];
            let e = &svc.evaluations[svc.evaluation_index(file).expect("review")].evaluation;
            e.reviewers.iter().find(|r| r.name == "Kari Lunde").and_then(|r| r.scores.get("B1").copied())
        };
        let before = kari_b1(&silje);
        for (button, expected) in [("Behold skårene her", before), ("Bruk skårene fra pakken", Some(1))] {
            drop_files(&mut h, &[&pkg]);
            assert!(h.query_by_label("Ulike skårer for samme evaluator – Kari Lunde").is_some());
            assert!(h.query_by_label("B1 Deltakerportefølje").is_some(), "the item that differs");
            assert_eq!(kari_b1(&silje), before, "nothing overwritten before the choice");
            h.get_by_label(button).click();
            util::frames(&mut h);
            assert!(h.query_by_label("Ulike skårer for samme evaluator – Kari Lunde").is_none());
            assert_eq!(kari_b1(&silje), expected, "{button}");
        }
    }
}
