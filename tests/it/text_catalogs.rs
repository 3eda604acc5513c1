//! The one text mechanism holds: every key the program uses (the typed text structs of the
//! app, the command line and the report, and every `msg!`/`i18n::text` key in the source)
//! exists in both languages' catalogs, and no catalog holds a key nothing uses.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use ips_domain::report::ReportTexts;
use ips_fidelity::cli::CliTexts;
use ips_fidelity::gui::strings::Strings;
use ips_text::i18n::{Book, catalog};
use ips_text::text::Lang;

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("source folder").flatten() {
        let path = entry.path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|x| x == "rs") {
            out.push(path);
        }
    }
}

/// Catalog keys named in the source: string literals like `"core.csv.bad_score"`.
fn keys_in_source() -> BTreeSet<String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    for dir in ["src", "crates/ips-text/src", "crates/ips-domain/src", "crates/ips-store/src", "crates/ips-pdf/src"] {
        rust_files(&root.join(dir), &mut files);
    }
    let is_key = |s: &str| {
        ["core.", "app.", "cli.", "clap."].iter().any(|p| s.starts_with(p))
            && s.len() > 5
            && s.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '.')
    };
    let mut keys = BTreeSet::new();
    for file in files {
        let text = std::fs::read_to_string(&file).expect("source");
        for literal in text.split('"').skip(1).step_by(2) {
            if is_key(literal) {
                keys.insert(literal.to_string());
            }
        }
    }
    keys
}

#[test]
fn every_key_the_program_uses_is_in_both_languages() {
    let source = keys_in_source();
    assert!(source.len() >= 20, "the scan found the keys: {source:?}");
    for lang in Lang::ALL {
        let app = catalog(Book::App, lang);
        let report = catalog(Book::Report, lang);
        for key in Strings::KEYS.iter().chain(CliTexts::KEYS).map(|k| k.to_string()).chain(source.iter().cloned()) {
            assert!(app.contains(&key), "{}: missing '{key}'", app.file);
        }
        for key in ReportTexts::KEYS {
            assert!(report.contains(key), "{}: missing '{key}'", report.file);
        }
    }
}

#[test]
fn no_catalog_key_is_unused() {
    let mut used: BTreeSet<String> = keys_in_source();
    used.extend(Strings::KEYS.iter().chain(CliTexts::KEYS).map(|k| k.to_string()));
    // The command line's help: one text per command, argument and placeholder.
    used.extend(ips_fidelity::cli::help::catalog_keys());
    for key in catalog(Book::App, Lang::Nb).keys() {
        assert!(used.contains(key), "i18n/nb.json: '{key}' is not used by the program");
    }
    for key in catalog(Book::Report, Lang::Nb).keys() {
        assert!(ReportTexts::KEYS.contains(&key), "reports/nb.json: '{key}' is not used by the report");
    }
}

#[test]
fn the_texts_differ_between_languages() {
    let (nb, en) = (Strings::get(Lang::Nb), Strings::get(Lang::En));
    assert_ne!(nb.nav_services, en.nav_services);
    assert_eq!(nb.nav_services, "Tjenester");
    let (nb, en) = (CliTexts::get(Lang::Nb), CliTexts::get(Lang::En));
    assert_ne!(nb.import_summary, en.import_summary);
}
