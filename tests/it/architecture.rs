//! The layers hold, as the compiler and `cargo tree` see them:
//! - `ips-text` knows no domain; `ips-domain` knows only the text crate (no storage, UI, PDF
//!   or chart crate); `ips-store`, `ips-pdf` and `ips-docx` no UI; `ips-pdf` and `ips-docx`
//!   no storage.
//! - the domain reads no file, environment or clock and starts no thread: its `clippy.toml`
//!   forbids those calls, and its source names none of them;
//! - no library crate has an import circle between its modules.
//!
//! Read from `cargo tree` and the sources, so a new dependency or import that breaks a wall
//! fails here.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
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

const UI: &[&str] =
    &["egui", "eframe", "egui_plot", "egui_kittest", "winit", "glow", "glutin", "wgpu", "accesskit", "rfd"];
const PDF_AND_CHARTS: &[&str] = &["krilla", "plotters", "lopdf"];
/// Crates that reach the file system, the host or the environment for the domain.
const SYSTEM: &[&str] = &["gethostname", "rustix", "directories", "tempfile", "csv"];

fn assert_none_of(package: &str, names: &[String], bad: &[&str]) {
    for b in bad {
        assert!(!names.iter().any(|n| n == b), "{package} depends on {b}: {names:?}");
    }
}

#[test]
fn the_text_crate_knows_no_domain() {
    let names = dependency_names("ips-text");
    assert!(names.iter().any(|n| n == "serde"), "the tree was read: {names:?}");
    assert_none_of("ips-text", &names, &["ips-domain", "ips-store", "ips-pdf"]);
    assert_none_of("ips-text", &names, UI);
    assert_none_of("ips-text", &names, PDF_AND_CHARTS);
}

#[test]
fn the_domain_depends_only_on_the_text_crate() {
    let names = dependency_names("ips-domain");
    assert!(names.iter().any(|n| n == "ips-text"), "the tree was read: {names:?}");
    assert_none_of("ips-domain", &names, &["ips-store", "ips-pdf"]);
    assert_none_of("ips-domain", &names, UI);
    assert_none_of("ips-domain", &names, PDF_AND_CHARTS);
    assert_none_of("ips-domain", &names, SYSTEM);
}

#[test]
fn storage_and_pdf_have_no_ui_and_pdf_no_storage() {
    let store = dependency_names("ips-store");
    assert!(store.iter().any(|n| n == "ips-domain"), "{store:?}");
    assert_none_of("ips-store", &store, UI);
    assert_none_of("ips-store", &store, PDF_AND_CHARTS);
    let pdf = dependency_names("ips-pdf");
    assert!(pdf.iter().any(|n| n == "krilla") && pdf.iter().any(|n| n == "ips-domain"), "{pdf:?}");
    assert_none_of("ips-pdf", &pdf, UI);
    assert_none_of("ips-pdf", &pdf, &["ips-store"]);
    assert_none_of("ips-pdf", &pdf, SYSTEM);
    let docx = dependency_names("ips-docx");
    assert!(docx.iter().any(|n| n == "docx-rs") && docx.iter().any(|n| n == "ips-pdf"), "{docx:?}");
    assert_none_of("ips-docx", &docx, UI);
    assert_none_of("ips-docx", &docx, &["ips-store"]);
    assert_none_of("ips-docx", &docx, SYSTEM);
}

#[test]
fn the_app_sees_the_layers_through_their_crates() {
    // The binary's own source has no copy of the domain: no `mod core` or `mod pdf` left.
    let lib = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/src/lib.rs")).unwrap();
    assert!(lib.contains("pub mod cli") && lib.contains("pub mod gui"), "{lib}");
    assert!(!lib.contains("mod core") && !lib.contains("mod pdf"), "{lib}");
    let names = dependency_names("ips-fidelity");
    for c in ["ips-text", "ips-domain", "ips-store", "ips-pdf", "ips-docx"] {
        assert!(names.iter().any(|n| n == c), "{c}: {names:?}");
    }
}

/// The crate's `.rs` files with their text, tests (`#[cfg(test)] mod …`) cut off.
fn sources(src: &Path) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut entries: Vec<_> = std::fs::read_dir(src).expect("source folder").flatten().map(|e| e.path()).collect();
    entries.sort();
    for p in entries {
        if p.extension().is_some_and(|e| e == "rs") {
            let text = std::fs::read_to_string(&p).expect("source file");
            let body = match text.find("#[cfg(test)]") {
                Some(i) => text[..i].to_string(),
                None => text,
            };
            out.push((p.file_stem().expect("file name").to_string_lossy().into_owned(), body));
        }
    }
    out
}

/// The domain's own source: no file, environment, clock or thread, and its `clippy.toml`
/// forbids them (clippy then refuses a new call in CI's `-D warnings`).
#[test]
fn the_domain_reads_no_file_environment_or_clock() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("crates/ips-domain");
    let forbidden =
        ["std::fs", "std::env", "std::thread", "Utc::now", "Local::now", "SystemTime", "Instant", "std::process"];
    for (module, body) in sources(&root.join("src")) {
        for (n, line) in body.lines().enumerate() {
            let code = line.split("//").next().unwrap_or("");
            for f in forbidden {
                assert!(!code.contains(f), "ips-domain/src/{module}.rs:{}: uses {f}: {line}", n + 1);
            }
        }
    }
    let clippy = std::fs::read_to_string(root.join("clippy.toml")).unwrap();
    for path in ["std::fs::read_to_string", "std::fs::write", "std::env::var", "chrono::Local::now", "chrono::Utc::now"]
    {
        assert!(clippy.contains(&format!("\"{path}\"")), "clippy.toml forbids {path}");
    }
    for ty in ["std::fs::File", "std::time::SystemTime", "std::time::Instant"] {
        assert!(clippy.contains(&format!("\"{ty}\"")), "clippy.toml forbids {ty}");
    }
}

/// Import edges between the top-level modules of a crate: `crate::m` (and `super::m` in a
/// module's own file) outside its tests.
fn module_edges(src: &Path) -> BTreeMap<String, BTreeSet<String>> {
    let files = sources(src);
    let modules: BTreeSet<String> = files.iter().map(|(m, _)| m.clone()).filter(|m| m != "lib").collect();
    let mut edges: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (module, body) in files.iter().filter(|(m, _)| m != "lib") {
        let body = body.replace("super::", "crate::");
        let mut to = BTreeSet::new();
        for (i, _) in body.match_indices("crate::") {
            let rest = &body[i + "crate::".len()..];
            let names: Vec<&str> = match rest.strip_prefix('{') {
                Some(group) => group.split('}').next().unwrap_or("").split(',').collect(),
                None => vec![rest],
            };
            for name in names {
                let name: String = name.trim().chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
                if modules.contains(&name) && &name != module {
                    to.insert(name);
                }
            }
        }
        edges.insert(module.clone(), to);
    }
    edges
}

/// A module that reaches itself again through its imports, with the path, if any.
fn circle(edges: &BTreeMap<String, BTreeSet<String>>) -> Option<Vec<String>> {
    fn walk(
        at: &str,
        edges: &BTreeMap<String, BTreeSet<String>>,
        path: &mut Vec<String>,
        done: &mut BTreeSet<String>,
    ) -> Option<Vec<String>> {
        if let Some(i) = path.iter().position(|p| p == at) {
            let mut c = path[i..].to_vec();
            c.push(at.to_string());
            return Some(c);
        }
        if done.contains(at) {
            return None;
        }
        path.push(at.to_string());
        for next in edges.get(at).into_iter().flatten() {
            if let Some(c) = walk(next, edges, path, done) {
                return Some(c);
            }
        }
        path.pop();
        done.insert(at.to_string());
        None
    }
    let mut done = BTreeSet::new();
    edges.keys().find_map(|m| walk(m, edges, &mut Vec::new(), &mut done))
}

#[test]
fn no_library_crate_has_an_import_circle() {
    for krate in ["ips-text", "ips-domain", "ips-store", "ips-pdf", "ips-docx"] {
        let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("crates").join(krate).join("src");
        let edges = module_edges(&src);
        assert!(edges.len() > 1 || krate == "ips-text" || krate == "ips-docx", "{krate}: modules were read: {edges:?}");
        if let Some(c) = circle(&edges) {
            panic!("{krate} has an import circle: {}", c.join(" -> "));
        }
    }
}

#[test]
fn the_circle_finder_finds_a_circle() {
    let edges: BTreeMap<String, BTreeSet<String>> = [("a", "b"), ("b", "c"), ("c", "a")]
        .into_iter()
        .map(|(f, t)| (f.to_string(), BTreeSet::from([t.to_string()])))
        .collect();
    assert_eq!(circle(&edges).map(|c| c.join(" -> ")).as_deref(), Some("a -> b -> c -> a"));
    let line: BTreeMap<String, BTreeSet<String>> =
        [("a", "b"), ("b", "c")].into_iter().map(|(f, t)| (f.to_string(), BTreeSet::from([t.to_string()]))).collect();
    assert_eq!(circle(&line), None);
}
