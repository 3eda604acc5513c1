//! The one mechanism for user-facing text: per-language catalogs of keyed templates,
//! compiled into the program and parsed once.
//!
//! - `i18n/nb.json`, `i18n/nn.json`, `i18n/en.json`: the app, the command line and the
//!   core's messages (labels, problems with files, storage errors).
//! - `reports/nb.json`, `reports/nn.json`, `reports/en.json`: the reports' wording.
//!
//! Every view reaches text the same way: typed structs of `&'static str` fields made with
//! [`texts!`] (the app's `Strings`, the report's `ReportTexts`, the CLI's texts), or a
//! [`Msg`] (a key and its arguments) that is turned into words where it is shown, in the
//! user's language. Templates name their arguments in braces (`{file}`) and are filled by
//! [`fill`], the only place that does so. A count chooses its words with a plural
//! selection, `{count, plural, =0 {ingen evalueringer} one {# evaluering} other {#
//! evalueringer}}` (`#` is the count as given; bokmål, nynorsk and English all have the
//! categories one and other), so that each language writes whole sentences with its own
//! agreement and word order. Scale texts (items, levels, bands) stay in the scale files,
//! which carry the languages themselves.
//!
//! Tests check that every language has the same keys and the same placeholders, that every
//! plural has both `one` and `other`, that no text writes a lazy plural ("evaluering(er)"),
//! and that every key the code uses exists.

use std::collections::HashMap;
use std::sync::OnceLock;

use crate::text::Lang;

/// The catalogs compiled into the program: (file, JSON) per language, in the order of
/// [`Lang::ALL`].
pub const APP_CATALOGS: [(&str, &str); 3] = [
    ("i18n/nb.json", include_str!("../../../i18n/nb.json")),
    ("i18n/nn.json", include_str!("../../../i18n/nn.json")),
    ("i18n/en.json", include_str!("../../../i18n/en.json")),
];
pub const REPORT_CATALOGS: [(&str, &str); 3] = [
    ("reports/nb.json", include_str!("../../../reports/nb.json")),
    ("reports/nn.json", include_str!("../../../reports/nn.json")),
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
    let (file, json) = files[lang.index()];
    // A broken built-in catalog is a build defect caught by the tests; the program still
    // runs, showing keys instead of words, rather than stopping.
    Catalog::parse(file, json, lang).unwrap_or_else(|_| Catalog { file, entries: HashMap::new() })
}

/// The catalog of a book in a language, parsed on first use.
pub fn catalog(book: Book, lang: Lang) -> &'static Catalog {
    static CATALOGS: [OnceLock<Catalog>; 2 * Lang::ALL.len()] = [const { OnceLock::new() }; 2 * Lang::ALL.len()];
    let book_at = match book {
        Book::App => 0,
        Book::Report => Lang::ALL.len(),
    };
    CATALOGS[book_at + lang.index()].get_or_init(|| load(book, lang))
}

/// An app text by key.
pub fn text(lang: Lang, key: &str) -> &'static str {
    let c = catalog(Book::App, lang);
    c.entries.get(key).map_or("", String::as_str)
}

/// One piece of a template: text as it is, a placeholder, or a plural selection.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Piece<'t> {
    Text(&'t str),
    Arg(&'t str),
    /// `{name, plural, =0 {…} one {…} other {…}}`: the cases in order, each with its
    /// selector (`=0`, `one`, `other`) and its template.
    Plural {
        name: &'t str,
        cases: Vec<(&'t str, &'t str)>,
    },
}

/// The end (exclusive) of the braces opened just before `from`, or `None` when they are
/// never closed.
fn closing(t: &str, from: usize) -> Option<usize> {
    let mut depth = 1;
    for (i, c) in t[from..].char_indices() {
        match c {
            '{' => depth += 1,
            '}' => {
                depth -= 1;
                if depth == 0 {
                    return Some(from + i);
                }
            }
            _ => {}
        }
    }
    None
}

/// The cases of a plural selection's body (`=0 {…} one {…} other {…}`); `None` when it is
/// not one.
fn plural_cases(body: &str) -> Option<Vec<(&str, &str)>> {
    let mut cases = Vec::new();
    let mut rest = body.trim_start();
    while !rest.is_empty() {
        let open = rest.find('{')?;
        let selector = rest[..open].trim();
        if selector.is_empty() || selector.contains(char::is_whitespace) {
            return None;
        }
        let close = closing(rest, open + 1)?;
        cases.push((selector, &rest[open + 1..close]));
        rest = rest[close + 1..].trim_start();
    }
    (!cases.is_empty()).then_some(cases)
}

/// A template in pieces. Braces that open no placeholder (none closed, `{ }`) stay text.
fn pieces(template: &str) -> Vec<Piece<'_>> {
    let mut out = Vec::new();
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        let Some(close) = closing(rest, open + 1) else { break };
        let inner = &rest[open + 1..close];
        let piece = match inner.split_once(',') {
            Some((name, more)) => more
                .trim_start()
                .strip_prefix("plural")
                .and_then(|body| body.trim_start().strip_prefix(','))
                .and_then(plural_cases)
                .map(|cases| Piece::Plural { name: name.trim(), cases }),
            None => Some(Piece::Arg(inner)),
        };
        match piece {
            Some(piece) => {
                if open > 0 {
                    out.push(Piece::Text(&rest[..open]));
                }
                out.push(piece);
            }
            None => out.push(Piece::Text(&rest[..=close])),
        }
        rest = &rest[close + 1..];
    }
    if !rest.is_empty() {
        out.push(Piece::Text(rest));
    }
    out
}

/// The case a count selects: an exact `=N` first, then `one` for 1 and `other` for the
/// rest (bokmål, nynorsk and English agree). `value` is the argument as given, perhaps
/// formatted ("60 000", "1,5"): a value that is not a whole number is `other`.
fn select<'c>(cases: &[(&str, &'c str)], value: &str) -> &'c str {
    let digits: String = value.chars().filter(|c| !c.is_whitespace() && *c != '\u{a0}' && *c != '\u{202f}').collect();
    let n: Option<i64> = digits.replace('−', "-").parse().ok();
    let exact =
        n.and_then(|n| cases.iter().find(|(s, _)| s.strip_prefix('=').and_then(|x| x.parse::<i64>().ok()) == Some(n)));
    let category = if n == Some(1) { "one" } else { "other" };
    exact
        .or_else(|| cases.iter().find(|(s, _)| *s == category))
        .or_else(|| cases.iter().find(|(s, _)| *s == "other"))
        .map_or("", |&(_, t)| t)
}

/// Fills a template's `{name}` placeholders with the arguments, and its plural selections
/// with the case the count chooses (`#` in it is the count); unknown placeholders stay as
/// they are.
pub fn fill(template: &str, args: &[(&str, String)]) -> String {
    let mut out = String::with_capacity(template.len() + 16);
    for piece in pieces(template) {
        match piece {
            Piece::Text(t) => out.push_str(t),
            Piece::Arg(name) => match args.iter().find(|(n, _)| *n == name) {
                Some((_, value)) => out.push_str(value),
                None => {
                    out.push('{');
                    out.push_str(name);
                    out.push('}');
                }
            },
            Piece::Plural { name, cases } => match args.iter().find(|(n, _)| *n == name) {
                Some((_, value)) => {
                    let case = select(&cases, value).replace('#', value);
                    out.push_str(&fill(&case, args));
                }
                None => out.push_str(&format!("{{{name}}}")),
            },
        }
    }
    out
}

/// The placeholders a template names, in order (a plural's count, then those in its cases).
pub fn placeholders(template: &str) -> Vec<&str> {
    let mut out = Vec::new();
    for piece in pieces(template) {
        match piece {
            Piece::Text(_) => {}
            Piece::Arg(name) => out.push(name),
            Piece::Plural { name, cases } => {
                out.push(name);
                for (_, case) in cases {
                    for p in placeholders(case) {
                        if !out.contains(&p) {
                            out.push(p);
                        }
                    }
                }
            }
        }
    }
    out
}

/// What is wrong with a template's plural selections: one without `one` or `other`, a
/// category these languages do not have, or braces that a plural leaves unclosed. Empty
/// when nothing is.
pub fn plural_problems(template: &str) -> Vec<String> {
    let mut problems = Vec::new();
    for piece in pieces(template) {
        if let Piece::Plural { name, cases } = piece {
            let has = |c: &str| cases.iter().any(|(s, _)| *s == c);
            if !has("one") || !has("other") {
                problems.push(format!("the plural of {{{name}}} needs both 'one' and 'other'"));
            }
            for (s, case) in &cases {
                if !matches!(*s, "one" | "other") && s.strip_prefix('=').is_none_or(|n| n.parse::<i64>().is_err()) {
                    problems.push(format!("the plural of {{{name}}} has the case '{s}' (use =N, one, other)"));
                }
                problems.extend(plural_problems(case));
            }
        }
    }
    if template.contains(", plural,") && !pieces(template).iter().any(|p| matches!(p, Piece::Plural { .. })) {
        problems.push("a plural that does not parse".to_string());
    }
    problems
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
                static CACHE: [std::sync::OnceLock<$name>; $crate::text::Lang::ALL.len()] =
                    [const { std::sync::OnceLock::new() }; $crate::text::Lang::ALL.len()];
                CACHE[lang.index()].get_or_init(|| {
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
/// `nb-NO`, `nn-NO`, `en-GB`) decides. English or nynorsk when it names them, bokmål
/// otherwise (also when nothing is known).
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
            let all = Lang::ALL.map(|lang| catalog(book, lang));
            for a in all {
                assert!(a.keys().count() > 20, "{}: empty or unparsed", a.file);
                for b in all {
                    for key in a.keys() {
                        assert!(b.contains(key), "{}: '{key}' has no translation in {}", a.file, b.file);
                        let (mut pa, mut pb) = (placeholders(a.get(key)), placeholders(b.get(key)));
                        pa.sort_unstable();
                        pb.sort_unstable();
                        assert_eq!(pa, pb, "'{key}': placeholders differ between {} and {}", a.file, b.file);
                    }
                }
                for key in a.keys() {
                    let text = a.get(key);
                    let problems = plural_problems(text);
                    assert!(problems.is_empty(), "{}: '{key}': {problems:?}", a.file);
                    // "evaluering(er)", "element(s)": a count chooses its words with a plural.
                    let lazy = ["(er)", "(e)", "(r)", "(s)", "(es)", "(ar)", "(ane)", "(ene)"];
                    assert!(!lazy.iter().any(|l| text.contains(l)), "{}: '{key}' has a lazy plural: {text}", a.file);
                }
            }
        }
        for (files, i) in [APP_CATALOGS, REPORT_CATALOGS].iter().flat_map(|f| (0..f.len()).map(move |i| (f, i))) {
            let (file, json) = files[i];
            assert!(Catalog::parse(file, json, Lang::ALL[i]).is_ok(), "{file} does not parse");
        }
    }

    /// The variables of a template's plural selections.
    fn plural_variables(template: &str) -> Vec<&str> {
        pieces(template)
            .into_iter()
            .filter_map(|p| match p {
                Piece::Plural { name, .. } => Some(name),
                _ => None,
            })
            .collect()
    }

    /// Every text that carries a count chooses its words by it, in every language where the
    /// words change (English always; bokmål and nynorsk alike): losing a plural fails here.
    #[test]
    fn count_bearing_texts_keep_their_plurals() {
        let app = [
            ("app.more_messages", "count"),
            ("app.files", "count"),
            ("app.meetings_per_year", "count"),
            ("cli.scale_ok", "items"),
            ("cli.scale_ok", "bands"),
            ("cli.import_summary", "conflicts"),
            ("cli.export_written", "rows"),
            ("core.next_band.elements", "n"),
            ("core.scale.too_many_items", "n"),
            ("core.scale.level_count", "expected"),
            ("core.scale.score_by_count_len", "elements"),
            ("core.scale.value_arity", "expected"),
            ("app.export_done", "rows"),
            ("cli.package_written", "reviews"),
            ("app.package_done", "reviews"),
            ("app.meetings_intro", "n"),
            ("app.loading_progress", "total"),
        ];
        let report = [
            ("interval_before", "before"),
            ("meetings_per_year", "n"),
            ("meetings_reason_before", "meetings_before"),
            ("meetings_reason_after", "meetings_after"),
            ("pack_latest_quarter", "job_seekers"),
            ("pack_latest_quarter", "new_jobs"),
            ("pack_cadence_line", "n"),
        ];
        for (book, keys) in [(Book::App, &app[..]), (Book::Report, &report[..])] {
            for lang in Lang::ALL {
                let c = catalog(book, lang);
                for (key, var) in keys {
                    assert!(
                        plural_variables(c.get(key)).contains(var),
                        "{}: '{key}' lost the plural of {{{var}}}",
                        c.file
                    );
                }
            }
            // Bokmål and nynorsk choose by the same counts, and English by each of them too.
            let [nb, nn, en] = Lang::ALL.map(|lang| catalog(book, lang));
            for key in nb.keys() {
                let (b, n, e) =
                    (plural_variables(nb.get(key)), plural_variables(nn.get(key)), plural_variables(en.get(key)));
                assert_eq!(b, n, "'{key}': nb and nn choose by different counts");
                assert!(b.iter().all(|v| e.contains(v)), "'{key}': English has no plural for {b:?}");
            }
        }
    }

    #[test]
    fn a_count_chooses_its_words() {
        let t = "{count, plural, =0 {ingen evalueringer} one {# evaluering} other {# evalueringer}} for {service}";
        let f = |n: &str| fill(t, &[("count", n.to_string()), ("service", "IPS Nordby".into())]);
        assert_eq!(f("0"), "ingen evalueringer for IPS Nordby");
        assert_eq!(f("1"), "1 evaluering for IPS Nordby");
        assert_eq!(f("2"), "2 evalueringer for IPS Nordby");
        assert_eq!(f("60\u{a0}000"), "60\u{a0}000 evalueringer for IPS Nordby", "a formatted count");
        assert_eq!(f("1,5"), "1,5 evalueringer for IPS Nordby", "not a whole number: other");
        let nested = "{n, plural, one {# tiltak for {who}} other {# tiltak for {who}}}";
        assert_eq!(fill(nested, &[("n", "1".into()), ("who", "Kari".into())]), "1 tiltak for Kari");
        assert_eq!(placeholders(t), ["count", "service"]);
        assert_eq!(placeholders(nested), ["n", "who"]);
        assert!(plural_problems(t).is_empty());
        assert!(!plural_problems("{n, plural, other {# ting}}").is_empty(), "one is missing");
        assert!(!plural_problems("{n, plural, one {#} few {#} other {#}}").is_empty(), "no 'few' here");
        assert_eq!(fill("{x} {", &[]), "{x} {");
        assert_eq!(fill("a { b", &[("b", "c".into())]), "a { b");
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
        assert_eq!(lang_of_locale(&[None, None], || some("nn-NO")), Lang::Nn);
        assert_eq!(lang_of_locale(&[some("nn_NO.UTF-8")], never), Lang::Nn);
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
