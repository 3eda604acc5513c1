//! The layers hold: the core crate (`crates/ips-core`) depends on no UI, window, PDF or chart
//! crate, and the PDF crate on no UI crate, in their whole dependency trees (as helix keeps
//! `helix-core` free of terminal crates). Read from `cargo tree`, so a new dependency that
//! pulls one in fails here.

use std::process::Command;

/// The names of every crate in a package's normal (non-dev, non-build) dependency tree.
fn dependency_names(package: &str) -> Vec<String> {
    let out = Command::new(env!("CARGO"))
        .args(["tree", "--offline", "-p", package, "-e", "normal", "--prefix", "none", "--format", "{p}"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .unwrap_or_else(|e| panic!("cannot run cargo tree: {e}"));
    assert!(out.status.success(), "cargo tree failed: {}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8_lossy(&out.stdout);
    let mut names: Vec<String> = text.lines().filter_map(|l| l.split_whitespace().next()).map(str::to_string).collect();
    names.sort();
    names.dedup();
    names
}

const UI: &[&str] = &["egui", "eframe", "egui_plot", "egui_kittest", "winit", "glow", "glutin", "wgpu", "accesskit"];
const PDF_AND_CHARTS: &[&str] = &["printpdf", "plotters", "lopdf"];

#[test]
fn core_has_no_ui_pdf_or_chart_dependency() {
    let names = dependency_names("ips-core");
    assert!(names.iter().any(|n| n == "serde"), "the tree was read: {names:?}");
    for bad in UI.iter().chain(PDF_AND_CHARTS) {
        assert!(!names.iter().any(|n| n == bad), "ips-core depends on {bad}: {names:?}");
    }
}

#[test]
fn pdf_has_no_ui_dependency() {
    let names = dependency_names("ips-pdf");
    assert!(names.iter().any(|n| n == "printpdf"), "the tree was read: {names:?}");
    assert!(names.iter().any(|n| n == "ips-core"), "{names:?}");
    for bad in UI {
        assert!(!names.iter().any(|n| n == bad), "ips-pdf depends on {bad}: {names:?}");
    }
}

#[test]
fn the_app_sees_the_core_through_its_crate() {
    // The binary's own source has no copy of the domain: no `mod core` or `mod pdf` left.
    let lib = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/src/lib.rs")).unwrap();
    assert!(lib.contains("pub mod cli") && lib.contains("pub mod gui"), "{lib}");
    assert!(!lib.contains("mod core") && !lib.contains("mod pdf"), "{lib}");
    let names = dependency_names("ips-fidelity");
    assert!(names.iter().any(|n| n == "ips-core") && names.iter().any(|n| n == "ips-pdf"), "{names:?}");
}
