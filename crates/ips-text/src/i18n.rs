//! The one mechanism for user-facing text: per-language catalogs of keyed templates,
//! compiled into the program and parsed once.
//!
//! - `i18n/nb.json`, `i18n/en.json`: the app, the command line and the core's messages
//!   (labels, problems with files, storage errors).
//! - `reports/nb.json`, `reports/en.json`: the PDF report's wording.
//!
//! Every view reaches text the same way: typed structs of `&'static str` fields made with
//! [`texts!`] (the app's `Strings`, the report's `ReportTexts`, the CLI's texts), or a
//! [`Msg`] (a key and its arguments) that is turned into words where it is shown, in the
//! user's language. Templates name their arguments in braces (`{file}`) and are filled by
//! [`fill`], the only place that does so. Scale texts (items, levels, bands) stay in the
//! scale files, which carry both languages.
//!
//! Tests check that both languages have the same keys and the same placeholders, and that
//! every key the code uses exists.

use std::collections::HashMap;
use std::sync::OnceLock;

use crate::text::Lang;

/// The catalogs compiled into the program: (file, JSON) per language.
pub const APP_CATALOGS: [(&str, &str); 2] =
    [("i18n/nb.json", include_str!("../../../i18n/nb.json")), ("i18n/en.json", include_str!("../../../i18n/en.json"))];
pub const REPORT_CATALOGS: [(&str, &str); 2] = [
    ("reports/nb.json", include_str!("../../../reports/nb.json")),
    ("reports/en.json", include_str!("../../../reports/en.json")),
];

/// Which catalog a key lives in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Book {
    /// App, CLI and core messages (`i18n/`).
    App,
    /// The PDF report (`reports/`).
    Report,
}

/// One language's texts of one book: key → template.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Catalog {
    pub file: &'static str,
    entries: HashMap<String, String>,
}

/// A problem with a catalog file (a build defect the tests catch).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{file}: {message}")]
pub struct CatalogError {
    pub file: String,
    pub message: String,
}

impl Catalog {
    /// Parses a catalog: a flat JSON object of strings; `format_version` and `lang` are read
    /// and checked, every other key is a text.
    pub fn parse(file: &'static str, json: &str, lang: Lang) -> Result<Catalog, CatalogError> {
        let err = |message: String| CatalogError { file: file.to_string(), message };
        let raw: serde_json::Map<String, serde_json::Value> =
            serde_json::from_str(json).map_err(|e| err(format!("not a valid catalog: {e}")))?;
        let mut entries = HashMap::new();
        for (key, value) in raw {
            match (key.as_str(), value) {
                ("format_version", serde_json::Value::Number(n)) if n.as_u64() == Some(1) => {}
                ("format_version", v) => return Err(err(format!("format version {v} is not supported"))),
                ("lang", serde_json::Value::String(code)) => {
                    if Lang::from_code(&code) != Some(lang) {
                        return Err(err(format!("lang: '{code}' where '{}' was expected", lang.code())));
                    }
                }
                (_, serde_json::Value::String(text)) => {
                    entries.insert(key, text);
                }
                (_, _) => return Err(err(format!("{key}: expected a text"))),
            }
        }
        Ok(Catalog { file, entries })
    }

    /// The template for `key`; the key itself when it is missing (the tests make sure no key
    /// the code uses is missing, so a user never sees one).
    pub fn get<'a>(&'a self, key: &'a str) -> &'a str {
        self.entries.get(key).map_or(key, String::as_str)
    }

    pub fn contains(&self, key: &str) -> bool {
        self.entries.contains_key(key)
    }

    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.entries.keys().map(String::as_str)
    }
}

fn load(book: Book, lang: Lang) -> Catalog {
    let files = match book {
        Book::App => APP_CATALOGS,
        Book::Report => REPORT_CATALOGS,
    };
    let (file, json) = match lang {
        Lang::Nb => files[0],
        Lang::En => files[1],
    };
    // A broken built-in catalog is a build defect caught by the tests; the program still
    // runs, showing keys instead of words, rather than stopping.
    Catalog::parse(file, json, lang).unwrap_or_else(|_| Catalog { file, entries: HashMap::new() })
}

/// The catalog of a book in a language, parsed on first use.
pub fn catalog(book: Book, lang: Lang) -> &'static Catalog {
    static CATALOGS: [OnceLock<Catalog>; 4] = [OnceLock::new(), OnceLock::new(), OnceLock::new(), OnceLock::new()];
    let i = match (book, lang) {
        (Book::App, Lang::Nb) => 0,
        (Book::App, Lang::En) => 1,
        (Book::Report, Lang::Nb) => 2,
        (Book::Report, Lang::En) => 3,
    };
    CATALOGS[i].get_or_init(|| load(book, lang))
}

/// An app text by key.
pub fn text(lang: Lang, key: &str) -> &'static str {
    let c = catalog(Book::App, lang);
    c.entries.get(key).map_or("", String::as_str)
}

/// Fills a template's `{name}` placeholders with the arguments; unknown ones stay as they are.
pub fn fill(template: &str, args: &[(&str, String)]) -> String {
    let mut out = String::with_capacity(template.len() + 16);
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        match after.find('}') {
            Some(close) => {
                let name = &after[..close];
                match args.iter().find(|(n, _)| *n == name) {
                    Some((_, value)) => out.push_str(value),
                    None => {
                        out.push('{');
                        out.push_str(name);
                        out.push('}');
                    }
                }
                rest = &after[close + 1..];
            }
            None => {
                out.push_str(&rest[open..]);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

/// The placeholders a template names, in order.
pub fn placeholders(template: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        let after = &rest[open + 1..];
        let Some(close) = after.find('}') else { break };
        out.push(&after[..close]);
        rest = &after[close + 1..];
    }
    out
}

/// A message to show: a catalog key and its arguments, turned into words where it is
/// shown ([`Msg::text`]), in the user's language. Core errors carry these instead of
/// sentences.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Msg {
    pub key: &'static str,
    pub args: Vec<(&'static str, String)>,
}

impl Msg {
    /// A text that is the same in every language (an operating system's error, a parser's
    /// message about the file's syntax): shown as it is.
    pub fn literal(text: impl Into<String>) -> Msg {
        Msg { key: "", args: vec![("text", text.into())] }
    }

    /// The message in `lang`.
    pub fn text(&self, lang: Lang) -> String {
        if self.key.is_empty() {
            return self.args.first().map_or(String::new(), |(_, t)| t.clone());
        }
        fill(catalog(Book::App, lang).get(self.key), &self.args)
    }
}

/// Without a language (logs, tests, `{}`): English.
impl std::fmt::Display for Msg {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.text(Lang::En))
    }
}

impl From<String> for Msg {
    fn from(text: String) -> Msg {
        Msg::literal(text)
    }
}

impl From<&str> for Msg {
    fn from(text: &str) -> Msg {
        Msg::literal(text)
    }
}

/// `msg!("key", name = value, ...)`: a [`Msg`] with named arguments.
#[macro_export]
macro_rules! msg {
    ($key:literal $(, $name:ident = $value:expr)* $(,)?) => {
        $crate::i18n::Msg { key: $key, args: vec![$((stringify!($name), ($value).to_string())),*] }
    };
}

/// Declares a struct of `&'static str` texts read from a catalog, one field per key:
/// typed access (a misspelt key does not compile) over the one catalog mechanism.
/// `texts!(pub struct Strings, Book::App, "app.", { key_a, key_b });` reads `app.key_a`, ...
#[macro_export]
macro_rules! texts {
    ($(#[$meta:meta])* $vis:vis struct $name:ident, $book:expr, $prefix:literal, { $($key:ident),* $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq)]
        $vis struct $name {
            pub lang: $crate::text::Lang,
            $(pub $key: &'static str,)*
        }

        impl $name {
            /// Every key of this struct, with the catalog prefix.
            pub const KEYS: &'static [&'static str] = &[$(concat!($prefix, stringify!($key))),*];

            /// The texts in `lang` (parsed once, then shared).
            pub fn get(lang: $crate::text::Lang) -> &'static $name {
                static CACHE: [std::sync::OnceLock<$name>; 2] = [std::sync::OnceLock::new(), std::sync::OnceLock::new()];
                let i = match lang {
                    $crate::text::Lang::Nb => 0,
                    $crate::text::Lang::En => 1,
                };
                CACHE[i].get_or_init(|| {
                    let c: &'static $crate::i18n::Catalog = $crate::i18n::catalog($book, lang);
                    $name { lang, $($key: c.get(concat!($prefix, stringify!($key))),)* }
                })
            }
        }
    };
}

/// The language of the environment (`LC_ALL`, `LC_MESSAGES`, `LANG`, `LANGUAGE`), else of
/// the system (Windows and macOS keep the display language outside the environment).
pub fn env_lang() -> Lang {
    let vars = ["LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE"].map(|v| std::env::var(v).ok());
    lang_of_locale(&vars, sys_locale::get_locale)
}

/// The language for the locale variables `vars`, in the order POSIX reads them: the first
/// that is set and not `C`/`POSIX` decides; when none does, the system's locale (`system`,
/// `nb-NO`, `en-GB`) decides. English when it names English, Norwegian otherwise (also when
/// nothing is known).
pub fn lang_of_locale(vars: &[Option<String>], system: impl FnOnce() -> Option<String>) -> Lang {
    let code_of = |v: &str| v.split(['_', '.', '@', ':', '-']).next().unwrap_or("").to_string();
    for v in vars.iter().flatten() {
        let v = v.trim();
        if v.is_empty() || v == "C" || v == "POSIX" || v.starts_with("C.") {
            continue;
        }
        return Lang::from_code(&code_of(v)).unwrap_or(Lang::Nb);
    }
    system().and_then(|s| Lang::from_code(&code_of(s.trim()))).unwrap_or(Lang::Nb)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn catalogs_parse_and_agree() {
        for book in [Book::App, Book::Report] {
            let (nb, en) = (catalog(book, Lang::Nb), catalog(book, Lang::En));
            assert!(nb.keys().count() > 20, "{}: empty or unparsed", nb.file);
            for (a, b) in [(nb, en), (en, nb)] {
                for key in a.keys() {
                    assert!(b.contains(key), "{}: '{key}' has no translation in {}", a.file, b.file);
                    let (mut pa, mut pb) = (placeholders(a.get(key)), placeholders(b.get(key)));
                    pa.sort_unstable();
                    pb.sort_unstable();
                    assert_eq!(pa, pb, "'{key}': placeholders differ between {} and {}", a.file, b.file);
                }
            }
        }
        for (file, json) in APP_CATALOGS.iter().chain(REPORT_CATALOGS.iter()) {
            let lang = if file.contains("nb") { Lang::Nb } else { Lang::En };
            assert!(Catalog::parse(file, json, lang).is_ok(), "{file} does not parse");
        }
    }

    #[test]
    fn the_locale_variables_decide_before_the_system() {
        let some = |v: &str| Some(v.to_string());
        let never = || -> Option<String> { panic!("the system was asked though a variable decides") };
        assert_eq!(lang_of_locale(&[None, None, some("en_GB.UTF-8"), None], never), Lang::En);
        assert_eq!(lang_of_locale(&[some("nb_NO.UTF-8"), some("en_US.UTF-8")], never), Lang::Nb);
        assert_eq!(lang_of_locale(&[None, some("en_US.UTF-8"), some("C.UTF-8")], never), Lang::En);
        // C and POSIX say nothing of a language: the system decides (Windows, macOS).
        assert_eq!(lang_of_locale(&[some("C.UTF-8"), None], || some("en-US")), Lang::En);
        assert_eq!(lang_of_locale(&[None, None], || some("nb-NO")), Lang::Nb);
        assert_eq!(lang_of_locale(&[None, None], || some("nn-NO")), Lang::Nb);
        assert_eq!(lang_of_locale(&[None, None], || some("de-DE")), Lang::Nb);
        assert_eq!(lang_of_locale(&[None, None], || None), Lang::Nb);
    }

    #[test]
    fn fill_and_messages() {
        assert_eq!(fill("{a} av {b}", &[("a", "3".into()), ("b", "5".into())]), "3 av 5");
        assert_eq!(fill("{x} {", &[]), "{x} {");
        let m = msg!("core.score_out_of_range", score = 7, min = 1, max = 5);
        assert!(m.text(Lang::Nb).contains("7"), "{}", m.text(Lang::Nb));
        assert_ne!(m.text(Lang::Nb), m.text(Lang::En));
    }

    #[test]
    fn wrong_language_or_version_is_refused() {
        assert!(Catalog::parse("x.json", r#"{"format_version": 1, "lang": "en", "a": "b"}"#, Lang::Nb).is_err());
        assert!(Catalog::parse("x.json", r#"{"format_version": 2, "lang": "nb"}"#, Lang::Nb).is_err());
        assert!(Catalog::parse("x.json", r#"{"format_version": 1, "lang": "nb", "a": 3}"#, Lang::Nb).is_err());
    }
}
