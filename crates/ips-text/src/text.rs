//! Languages and localized text. Every user-facing string in a scale or report exists in
//! Norwegian bokmål (the default) and English, and in nynorsk where it has been written
//! (a scale file without nynorsk falls back to bokmål); this module holds them and picks
//! one, and writes numbers, dates and months as each language does.

use serde::{Deserialize, Serialize};

/// A language the product speaks. Bokmål is the default everywhere.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub enum Lang {
    /// Norwegian bokmål.
    #[default]
    #[serde(rename = "nb")]
    Nb,
    /// Norwegian nynorsk.
    #[serde(rename = "nn")]
    Nn,
    /// English.
    #[serde(rename = "en")]
    En,
}

impl Lang {
    /// All languages, default first, in the order the language menu offers them.
    pub const ALL: [Lang; 3] = [Lang::Nb, Lang::Nn, Lang::En];

    /// The language code used in files and on the command line.
    pub fn code(self) -> &'static str {
        match self {
            Lang::Nb => "nb",
            Lang::Nn => "nn",
            Lang::En => "en",
        }
    }

    /// The language's tag as documents declare it (BCP 47: a PDF's /Lang, a Word file's
    /// language), for readers and screen readers.
    pub fn tag(self) -> &'static str {
        match self {
            Lang::Nb => "nb-NO",
            Lang::Nn => "nn-NO",
            Lang::En => "en",
        }
    }

    /// Its place in [`Lang::ALL`] (for tables kept per language).
    pub fn index(self) -> usize {
        match self {
            Lang::Nb => 0,
            Lang::Nn => 1,
            Lang::En => 2,
        }
    }

    /// The language's name in itself, as a language menu shows it.
    pub fn native_name(self) -> &'static str {
        match self {
            Lang::Nb => "Bokmål",
            Lang::Nn => "Nynorsk",
            Lang::En => "English",
        }
    }

    /// Whether the language is one of Norway's two written forms, which share the number,
    /// date and quotation conventions (`19,3`, `44 %`, `21.04.2026`, «…»).
    pub fn is_norwegian(self) -> bool {
        matches!(self, Lang::Nb | Lang::Nn)
    }

    /// Parses a language code (`nb`, `no`, `nn`, `en`), case-insensitively.
    pub fn from_code(code: &str) -> Option<Lang> {
        match code.trim().to_ascii_lowercase().as_str() {
            "nb" | "no" | "nob" => Some(Lang::Nb),
            "nn" | "nno" => Some(Lang::Nn),
            "en" | "eng" => Some(Lang::En),
            _ => None,
        }
    }
}

impl std::str::FromStr for Lang {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Lang::from_code(s).ok_or_else(|| format!("unknown language '{s}' (use nb, nn or en)"))
    }
}

/// A text in every supported language; nynorsk is optional and falls back to bokmål.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Text {
    pub nb: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nn: Option<String>,
    pub en: String,
}

impl Text {
    pub fn new(nb: impl Into<String>, en: impl Into<String>) -> Self {
        Text { nb: nb.into(), nn: None, en: en.into() }
    }

    /// The text in `lang` (nynorsk, where the text has none, in bokmål).
    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::Nb => &self.nb,
            Lang::Nn => self.nn.as_deref().filter(|t| !t.is_empty()).unwrap_or(&self.nb),
            Lang::En => &self.en,
        }
    }
}

/// `text` in the language's quotation marks: «…» in Norwegian, “…” in English.
pub fn quoted(text: &str, lang: Lang) -> String {
    if lang.is_norwegian() { format!("«{text}»") } else { format!("“{text}”") }
}

/// A change with its sign: "+3", "−2" (a real minus sign), "0".
pub fn signed(v: i32) -> String {
    match v {
        v if v > 0 => format!("+{v}"),
        v if v < 0 => format!("−{}", v.unsigned_abs()),
        _ => "0".to_string(),
    }
}

/// Measured values are shown, and compared with a scale's cuts, rounded to this many
/// decimals: "20,0" never sits beside the score of 20.04.
pub const VALUE_DECIMALS: i32 = 1;

/// A measured value rounded as it is shown and compared (half away from zero).
pub fn shown_value(v: f64) -> f64 {
    let f = 10f64.powi(VALUE_DECIMALS);
    (v * f).round() / f
}

/// A measured number as written in `lang`: whole numbers bare, others with one decimal,
/// "91,7" in Norwegian and "91.7" in English. The same rounding as [`shown_value`].
pub fn format_number(v: f64, lang: Lang) -> String {
    let v = shown_value(v);
    let s = if (v - v.round()).abs() < 1e-9 { format!("{}", v.round() as i64) } else { format!("{v:.1}") };
    if lang.is_norwegian() { s.replace('.', ",") } else { s }
}

/// A count as written in `lang`: "60 000" in Norwegian (a space between thousands from five
/// digits on, as Språkrådet advises; "3000" stays whole), "60,000" and "3,000" in English.
pub fn format_count(n: usize, lang: Lang) -> String {
    let digits = n.to_string();
    let (separator, from) = if lang.is_norwegian() { ('\u{a0}', 5) } else { (',', 4) };
    if digits.len() < from {
        return digits;
    }
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(separator);
        }
        out.push(c);
    }
    out
}

/// A number as it is stored, every decimal kept ("0,75" in Norwegian), for a field the user
/// edits: editing it changes nothing else.
pub fn format_number_exact(v: f64, lang: Lang) -> String {
    let s = format!("{v}");
    if lang.is_norwegian() { s.replace('.', ",") } else { s }
}

/// A number as typed: "12", "12.5", the Norwegian "12,5", spaces as thousands separators
/// ("1 200"). `None` for anything else, and for infinities and NaN.
pub fn parse_number(text: &str) -> Option<f64> {
    let t: String = text.trim().chars().filter(|c| !c.is_whitespace() && *c != '\u{a0}').collect();
    let t = t.replace(',', ".");
    t.parse::<f64>().ok().filter(|v| v.is_finite())
}

/// A date as people type it: `21.04.2026`, `21.4.26`, `21/4/2026` (day first, as in Norway
/// and Britain) or the files' `2026-04-21`. A two-digit year is 20yy (`4.5.69` is
/// 04.05.2069, not 1969: a review is never that old, and a typo should not move it a
/// century back).
pub fn parse_date(text: &str) -> Option<chrono::NaiveDate> {
    let t = text.trim();
    ["%Y-%m-%d", "%d.%m.%Y", "%d/%m/%Y", "%d %b %Y"]
        .iter()
        .find_map(|f| chrono::NaiveDate::parse_from_str(t, f).ok())
        .filter(|d| chrono::Datelike::year(d) >= 1000)
        .or_else(|| {
            // Two-digit years only when the text really has two digits at the end.
            let year_digits = t.rsplit(['.', '/']).next().map_or(0, str::len);
            (year_digits == 2)
                .then(|| ["%d.%m.%y", "%d/%m/%y"].iter().find_map(|f| chrono::NaiveDate::parse_from_str(t, f).ok()))
                .flatten()
                .and_then(|d| {
                    let year = 2000 + chrono::Datelike::year(&d).rem_euclid(100);
                    chrono::Datelike::with_year(&d, year)
                })
        })
}

/// A date as Norwegian writes it and Norwegian Excel reads it as a date: `21.04.2026`.
pub fn norwegian_date(date: chrono::NaiveDate) -> String {
    date.format("%d.%m.%Y").to_string()
}

/// A date as shown: `21.04.2026` in Norwegian, `21 Apr 2026` in English. Files keep ISO.
pub fn format_date(date: chrono::NaiveDate, lang: Lang) -> String {
    if lang.is_norwegian() { norwegian_date(date) } else { date.format("%-d %b %Y").to_string() }
}

/// A month as shown on a time axis: `mai 2024`, `apr. 2026` in Norwegian (the month's
/// name, shortened as Språkrådet does: «jan.», «feb.», «mars», …), `Apr 2026` in English.
pub fn format_month(date: chrono::NaiveDate, lang: Lang) -> String {
    const NORWEGIAN: [&str; 12] =
        ["jan.", "feb.", "mars", "apr.", "mai", "juni", "juli", "aug.", "sep.", "okt.", "nov.", "des."];
    if lang.is_norwegian() {
        let month = NORWEGIAN[chrono::Datelike::month0(&date) as usize];
        format!("{month} {}", chrono::Datelike::year(&date))
    } else {
        date.format("%b %Y").to_string()
    }
}

/// A file's size as people read it: "16 MB", "640 kB", "312 byte". Whole units (rounded
/// up, so a file just over a limit never reads as the limit), with a no-break space; the
/// same in every language, so a message made before the language is known reads right.
pub fn format_size(bytes: u64) -> String {
    const KB: u64 = 1024;
    const MB: u64 = 1024 * 1024;
    match bytes {
        b if b >= MB => format!("{}\u{a0}MB", b.div_ceil(MB)),
        b if b >= KB => format!("{}\u{a0}kB", b.div_ceil(KB)),
        b => format!("{b}\u{a0}byte"),
    }
}

/// A number with a fixed count of decimals, in the language's form: `0,50` / `0.50`.
pub fn format_decimal(v: f64, decimals: usize, lang: Lang) -> String {
    let s = format!("{v:.decimals$}");
    if lang.is_norwegian() { s.replace('.', ",") } else { s }
}

/// A share (0..1) as a whole percentage: `44 %` in Norwegian (with a space), `44%` in English.
pub fn format_percent(share: f64, lang: Lang) -> String {
    let p = (share * 100.0).round();
    if lang.is_norwegian() { format!("{p:.0}\u{a0}%") } else { format!("{p:.0}%") }
}

/// A share shown beside a goal (the 40 % in work): a whole percentage, unless rounding would
/// put it on the other side of the goal, then one decimal (`39,7 %` for 25 of 63, never a
/// "40 %" marked as short of 40 %).
pub fn format_percent_against(share: f64, goal: Option<f64>, lang: Lang) -> String {
    let whole = (share * 100.0).round() / 100.0;
    match goal {
        Some(g) if (share < g) != (whole < g) => {
            let p = format_decimal((share * 1000.0).round() / 10.0, 1, lang);
            if lang.is_norwegian() { format!("{p}\u{a0}%") } else { format!("{p}%") }
        }
        _ => format_percent(share, lang),
    }
}

/// `part` of `whole` as a percentage (`format_percent`); `None` when there is no whole.
pub fn format_share(part: usize, whole: usize, lang: Lang) -> Option<String> {
    (whole > 0).then(|| format_percent(part as f64 / whole as f64, lang))
}

/// What two service names are compared by, so that one service is one name however it was
/// typed: Unicode NFC, case folded, invisible characters (zero-width spaces and joiners, the
/// soft hyphen, a byte-order mark) removed, runs of white space made one space, and the end
/// trimmed of spaces and punctuation. "IPS Nordby", "IPS  Nordby", "ips nordby." and
/// "IPS Nordby\u{200b}" give the same key; a blank name gives an empty one.
pub fn name_key(name: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    let invisible = |c: &char| matches!(c, '\u{200b}'..='\u{200f}' | '\u{2060}'..='\u{2064}' | '\u{feff}' | '\u{00ad}');
    let visible: String = name.nfc().filter(|c| !invisible(c)).collect();
    let folded = visible.to_lowercase();
    let words: Vec<&str> = folded.split_whitespace().collect();
    words.join(" ").trim_end_matches(|c: char| c.is_whitespace() || c.is_ascii_punctuation() || c == '…').to_string()
}

/// A key that sorts names in Norwegian alphabetical order: case-insensitive, with æ, ø and å
/// after z, in that order (plain Unicode order would put å before ø), and the old spelling
/// "aa" sorted as the å it stands for (Aasen beside Åsen, after Zahl), as Norwegian
/// dictionaries and telephone books do.
pub fn sort_key(name: &str) -> String {
    let lower: String = name.trim().chars().flat_map(char::to_lowercase).collect();
    lower
        .replace("aa", "å")
        .chars()
        .map(|c| match c {
            'æ' | 'ä' => '{',
            'ø' | 'ö' => '|',
            'å' => '}',
            c => c,
        })
        .collect()
}

#[cfg(test)]
mod tests {

    #[test]
    fn a_share_beside_its_goal_never_rounds_across_it() {
        let goal = Some(0.4);
        assert_eq!(format_percent_against(25.0 / 63.0, goal, Lang::Nb), "39,7\u{a0}%");
        assert_eq!(format_percent_against(25.0 / 63.0, goal, Lang::En), "39.7%");
        assert_eq!(format_percent_against(25.0 / 62.0, goal, Lang::Nb), "40\u{a0}%");
        assert_eq!(format_percent_against(0.45, goal, Lang::Nb), "45\u{a0}%");
        assert_eq!(format_percent_against(0.36, goal, Lang::Nb), "36\u{a0}%");
        assert_eq!(format_percent_against(25.0 / 63.0, None, Lang::Nb), "40\u{a0}%");
    }
    use super::*;

    #[test]
    fn names_that_look_the_same_are_one_name() {
        let key = name_key("IPS Nordby");
        for same in ["IPS  Nordby", "ips nordby.", "IPS Nordby\u{200b}", " IPS Nordby ", "IPS\tNordby!", "IPS Nordby…"]
        {
            assert_eq!(name_key(same), key, "{same:?}");
        }
        // A composed and a decomposed å (a Mac's file names) are one letter.
        assert_eq!(name_key("IPS \u{c5}s"), name_key("IPS A\u{30a}s"));
        assert_ne!(name_key("IPS Nordby"), name_key("IPS Nordby 2"));
        assert_eq!(name_key("   "), "");
        assert_eq!(name_key(""), "");
    }

    #[test]
    fn counts_are_grouped_as_each_language_writes_them() {
        assert_eq!(format_count(3000, Lang::Nb), "3000");
        assert_eq!(format_count(60000, Lang::Nb), "60\u{a0}000");
        assert_eq!(format_count(1234567, Lang::Nb), "1\u{a0}234\u{a0}567");
        assert_eq!(format_count(3000, Lang::En), "3,000");
        assert_eq!(format_count(999, Lang::En), "999");
    }

    #[test]
    fn sizes_read_in_whole_units() {
        assert_eq!(format_size(16 * 1024 * 1024), "16\u{a0}MB");
        assert_eq!(format_size(16 * 1024 * 1024 + 1), "17\u{a0}MB", "just over a limit is over it");
        assert_eq!(format_size(640 * 1024), "640\u{a0}kB");
        assert_eq!(format_size(312), "312\u{a0}byte");
    }

    #[test]
    fn codes_round_trip() {
        for lang in Lang::ALL {
            assert_eq!(Lang::from_code(lang.code()), Some(lang));
        }
        assert_eq!(Lang::from_code("NO"), Some(Lang::Nb));
        assert_eq!(Lang::from_code("de"), None);
        assert_eq!(Lang::default(), Lang::Nb);
    }

    #[test]
    fn numbers_and_signs() {
        assert_eq!(signed(3), "+3");
        assert_eq!(signed(-2), "−2");
        assert_eq!(signed(0), "0");
        assert_eq!(format_number(21.0, Lang::Nb), "21");
        assert_eq!(format_number(20.5, Lang::Nb), "20,5");
        assert_eq!(format_number(91.666, Lang::En), "91.7");
    }

    #[test]
    fn numbers_as_typed() {
        assert_eq!(parse_number("12,5"), Some(12.5));
        assert_eq!(parse_number(" 1 200 "), Some(1200.0));
        assert_eq!(parse_number("abc"), None);
        assert_eq!(parse_number("inf"), None);
        assert_eq!(format_number_exact(0.75, Lang::Nb), "0,75");
        assert_eq!(parse_number(&format_number_exact(20.04, Lang::Nb)), Some(20.04));
        let d = chrono::NaiveDate::from_ymd_opt(2026, 4, 21);
        for typed in [" 2026-04-21 ", "21.04.2026", "21.4.2026", "21.4.26", "21/04/2026", "21/4/26", "21 Apr 2026"] {
            assert_eq!(parse_date(typed), d, "{typed}");
        }
        for bad in ["2026-13-01", "31.02.2026", "21.04", "21.04.126", "tomorrow", ""] {
            assert_eq!(parse_date(bad), None, "{bad}");
        }
        let d = d.unwrap_or_default();
        assert_eq!(format_date(d, Lang::Nb), "21.04.2026");
        assert_eq!(format_date(d, Lang::En), "21 Apr 2026");
        assert_eq!(format_month(d, Lang::Nb), "apr. 2026");
        assert_eq!(format_month(chrono::Datelike::with_month(&d, 5).unwrap_or(d), Lang::Nn), "mai 2026");
        assert_eq!(format_month(d, Lang::En), "Apr 2026");
        for lang in Lang::ALL {
            assert_eq!(parse_date(&format_date(d, lang)), Some(d), "what is shown can be typed back");
        }
        assert_eq!(format_decimal(0.5, 2, Lang::Nb), "0,50");
        assert_eq!(format_decimal(0.5, 2, Lang::En), "0.50");
        assert_eq!(format_percent(0.4444, Lang::Nb), "44\u{a0}%");
        assert_eq!(format_percent(0.4444, Lang::En), "44%");
    }

    #[test]
    fn norwegian_order() {
        let mut names = vec!["IPS Ålesund", "IPS Ørsta", "IPS Æsøy", "IPS Zeta", "ips bodø"];
        names.sort_by_key(|n| sort_key(n));
        assert_eq!(names, ["ips bodø", "IPS Zeta", "IPS Æsøy", "IPS Ørsta", "IPS Ålesund"]);
        let mut people = vec!["Aasen", "Zahl", "Abel", "Østby", "Åsmund"];
        people.sort_by_key(|n| sort_key(n));
        assert_eq!(people, ["Abel", "Zahl", "Østby", "Aasen", "Åsmund"], "aa is å");
    }

    #[test]
    fn text_picks_language() {
        let t = Text::new("Bemanning", "Staffing");
        assert_eq!(t.get(Lang::Nb), "Bemanning");
        assert_eq!(t.get(Lang::En), "Staffing");
        assert_eq!(t.get(Lang::Nn), "Bemanning", "no nynorsk: bokmål");
        let t = Text { nn: Some("Bemanning nn".into()), ..t };
        assert_eq!(t.get(Lang::Nn), "Bemanning nn");
        for lang in Lang::ALL {
            assert_eq!(Lang::ALL[lang.index()], lang);
        }
        assert_eq!(Lang::from_code("nn"), Some(Lang::Nn));
    }
}
