//! Outcome figures (måltall) per quarter and service: job seekers in the portfolio, in
//! ordinary paid work, in education, new job starts and specialist årsverk, from which the
//! employment rate and job seekers per årsverk follow. Stored in the service's
//! `outcomes.json`; imported from CSV with the same rules as reviews (all or nothing per
//! file, conflicts named and never overwritten).

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::scale::{DataFileError, Problem};
use ips_text::i18n::Msg;

/// A calendar quarter, written `2026-Q1` in files and shown as "1. kvartal 2026" /
/// "Q1 2026" ([`Quarter::label`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Quarter {
    pub year: i32,
    /// 1 to 4.
    pub q: u8,
}

impl Quarter {
    /// `2026-Q1` (also `2026-q1`, `2026 Q1`, `Q1 2026`, the Norwegian `2026K1`, `2026-K1`,
    /// `K1 2026` and "1. kvartal 2026", as shown); `None` for anything else.
    pub fn parse(s: &str) -> Option<Quarter> {
        let s = s.trim().to_uppercase();
        // "1. kvartal 2026" / "1 kvartal 2026"
        if let Some((q, y)) = s.split_once("KVARTAL") {
            return Self::of_parts(y.trim(), q.trim().trim_end_matches('.').trim());
        }
        let s = s.replace('K', "Q");
        let (year, q) = if let Some((y, q)) = s.split_once("-Q").or_else(|| s.split_once(" Q")) {
            (y.trim(), q.trim())
        } else if let Some((y, q)) = s.split_once('Q').filter(|(y, _)| y.len() == 4) {
            (y.trim(), q.trim())
        } else {
            let (q, y) = s.strip_prefix('Q')?.split_once(' ')?;
            (y.trim(), q.trim())
        };
        Self::of_parts(year, q)
    }

    fn of_parts(year: &str, q: &str) -> Option<Quarter> {
        let year: i32 = year.parse().ok().filter(|y| (1900..=9999).contains(y))?;
        let q: u8 = q.parse().ok().filter(|q| (1..=4).contains(q))?;
        Some(Quarter { year, q })
    }

    /// The quarter as shown: "1. kvartal 2026" in Norwegian (both written forms), "Q1 2026"
    /// in English. Files keep `2026-Q1`.
    pub fn label(self, lang: ips_text::text::Lang) -> String {
        if lang.is_norwegian() {
            format!("{}.\u{a0}kvartal {}", self.q, self.year)
        } else {
            format!("Q{} {}", self.q, self.year)
        }
    }

    /// The quarter's first day.
    pub fn start(self) -> chrono::NaiveDate {
        chrono::NaiveDate::from_ymd_opt(self.year, u32::from(self.q) * 3 - 2, 1).unwrap_or_default()
    }

    /// The quarter's middle (where it is drawn on a time axis).
    pub fn middle(self) -> chrono::NaiveDate {
        self.start() + chrono::Days::new(45)
    }

    /// The quarter a day falls in.
    pub fn of(date: chrono::NaiveDate) -> Quarter {
        use chrono::Datelike;
        Quarter { year: date.year(), q: ((date.month() - 1) / 3 + 1) as u8 }
    }
}

impl fmt::Display for Quarter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-Q{}", self.year, self.q)
    }
}

impl Serialize for Quarter {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Quarter {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Quarter::parse(&s).ok_or_else(|| serde::de::Error::custom(format!("'{s}' is not a quarter like 2026-Q1")))
    }
}

/// Whom a quarter's `job_seekers` (and so its employment rate) counts. The 40 %
/// benchmark (IPS Grow) is counted over people who were out of work when they started.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum JobSeekersBasis {
    /// Only those who were out of work at entry (the benchmark's denominator).
    OutOfWorkAtEntry,
    /// Everyone in the portfolio, also those who had a job when they started.
    AllInPortfolio,
}

impl JobSeekersBasis {
    pub const ALL: [JobSeekersBasis; 2] = [JobSeekersBasis::OutOfWorkAtEntry, JobSeekersBasis::AllInPortfolio];

    /// As written in files and CSV columns.
    pub fn id(self) -> &'static str {
        match self {
            JobSeekersBasis::OutOfWorkAtEntry => "out_of_work_at_entry",
            JobSeekersBasis::AllInPortfolio => "all_in_portfolio",
        }
    }

    pub fn parse(s: &str) -> Option<JobSeekersBasis> {
        Self::ALL.into_iter().find(|b| b.id().eq_ignore_ascii_case(s.trim()))
    }

    /// What the figures count, in words.
    pub fn label(self, lang: ips_text::text::Lang) -> &'static str {
        match self {
            JobSeekersBasis::OutOfWorkAtEntry => ips_text::i18n::text(lang, "core.outcomes.basis_out_of_work"),
            JobSeekersBasis::AllInPortfolio => ips_text::i18n::text(lang, "core.outcomes.basis_all"),
        }
    }
}

/// The line under the figures: whom the benchmark counts and whom these figures count
/// (the quarters' bases, each named once; "not stated" for quarters that do not say).
pub fn basis_note(definition: Option<&str>, quarters: &[QuarterFigures], lang: ips_text::text::Lang) -> Option<String> {
    let mut bases: Vec<Option<JobSeekersBasis>> = Vec::new();
    for q in quarters {
        if !bases.contains(&q.job_seekers_basis) {
            bases.push(q.job_seekers_basis);
        }
    }
    let words: Vec<&str> = bases
        .iter()
        .map(|b| b.map_or_else(|| ips_text::i18n::text(lang, "core.outcomes.basis_not_stated"), |b| b.label(lang)))
        .collect();
    let used = (!words.is_empty()).then(|| {
        ips_text::i18n::fill(ips_text::i18n::text(lang, "core.outcomes.basis_used"), &[("bases", words.join("; "))])
    });
    match (definition, used) {
        (None, None) => None,
        (Some(d), None) => Some(d.to_string()),
        (None, Some(u)) => Some(u),
        (Some(d), Some(u)) => Some(format!("{d} {u}")),
    }
}

/// One quarter's figures for one service.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QuarterFigures {
    pub period: Quarter,
    /// Job seekers in the portfolio (whom it counts: `job_seekers_basis`).
    pub job_seekers: u32,
    /// Of them, in ordinary paid work.
    pub in_work: u32,
    /// Of them, in education (optional).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub in_education: Option<u32>,
    /// New job starts in the quarter.
    pub new_jobs: u32,
    /// Employment specialist årsverk.
    pub specialist_fte: f64,
    /// Whom `job_seekers` counts; `None` in files that do not say.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub job_seekers_basis: Option<JobSeekersBasis>,
}

impl QuarterFigures {
    /// In work / job seekers, as a share from 0 to 1 (every percentage in the program is a
    /// share; the formatter writes "44 %"); `None` with no job seekers.
    pub fn employment_rate(&self) -> Option<f64> {
        (self.job_seekers > 0).then(|| f64::from(self.in_work) / f64::from(self.job_seekers))
    }

    /// Job seekers per specialist årsverk; `None` with no årsverk.
    pub fn job_seekers_per_fte(&self) -> Option<f64> {
        (self.specialist_fte > 0.0).then(|| f64::from(self.job_seekers) / self.specialist_fte)
    }

    /// What is wrong with the figures (counts that do not add up, årsverk out of range).
    pub fn problems(&self) -> Vec<Msg> {
        let mut out = Vec::new();
        if self.in_work > self.job_seekers {
            out.push(ips_text::msg!(
                "core.outcomes.more_in_work",
                in_work = self.in_work,
                job_seekers = self.job_seekers
            ));
        }
        if let Some(ed) = self.in_education
            && ed > self.job_seekers
        {
            out.push(ips_text::msg!(
                "core.outcomes.more_in_education",
                in_education = ed,
                job_seekers = self.job_seekers
            ));
        }
        if !self.specialist_fte.is_finite() || !(0.0..=1000.0).contains(&self.specialist_fte) {
            out.push(ips_text::msg!("core.outcomes.bad_fte", value = self.specialist_fte));
        }
        out
    }
}

/// The `outcomes.json` file of a service.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct OutcomesFile {
    #[serde(default = "one")]
    pub format_version: u32,
    #[serde(default)]
    pub quarters: Vec<QuarterFigures>,
}

fn one() -> u32 {
    1
}

impl OutcomesFile {
    /// Parses and checks the file: one entry per quarter, figures that add up.
    pub fn from_json(file: &str, json: &str) -> Result<OutcomesFile, DataFileError> {
        let mut f: OutcomesFile = crate::scale::parse_json(file, json)?;
        if f.format_version != 1 {
            let m = ips_text::msg!("core.format_version", found = f.format_version, supported = 1);
            return Err(DataFileError::single(file, "format_version", m));
        }
        let mut problems = Vec::new();
        for (i, q) in f.quarters.iter().enumerate() {
            for m in q.problems() {
                problems.push(Problem::new(format!("quarters[{i}]"), m));
            }
            if f.quarters[..i].iter().any(|o| o.period == q.period) {
                problems.push(Problem::new(
                    format!("quarters[{i}]"),
                    ips_text::msg!("core.outcomes.twice", period = q.period),
                ));
            }
        }
        if !problems.is_empty() {
            return Err(DataFileError { file: file.to_string(), problems });
        }
        f.quarters.sort_by_key(|q| q.period);
        Ok(f)
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_else(|_| "{}".to_string()) + "\n"
    }
}

/// Where each imported row went.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum QuarterMerge {
    Added {
        service: String,
        period: Quarter,
    },
    Unchanged {
        service: String,
        period: Quarter,
    },
    /// The service has other figures for that quarter: kept, nothing written.
    Conflict {
        service: String,
        period: Quarter,
    },
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quarters_parse_and_print() {
        assert_eq!(Quarter::parse("2026-Q1"), Some(Quarter { year: 2026, q: 1 }));
        assert_eq!(Quarter::parse("2026-q4").map(|q| q.to_string()), Some("2026-Q4".into()));
        assert_eq!(Quarter::parse("Q3 2025"), Some(Quarter { year: 2025, q: 3 }));
        assert_eq!(Quarter::parse("2026-Q5"), None);
        let q1 = Some(Quarter { year: 2026, q: 1 });
        for typed in ["2026K1", "2026-K1", "2026 k1", "K1 2026", "1. kvartal 2026", "1.\u{a0}kvartal 2026", "Q1 2026"] {
            assert_eq!(Quarter::parse(typed), q1, "{typed}");
        }
        for lang in ips_text::text::Lang::ALL {
            let shown = Quarter { year: 2026, q: 3 }.label(lang);
            assert_eq!(Quarter::parse(&shown), Some(Quarter { year: 2026, q: 3 }), "{shown} reads back");
        }
        assert_eq!(Quarter { year: 2026, q: 1 }.label(ips_text::text::Lang::Nb), "1.\u{a0}kvartal 2026");
        assert_eq!(Quarter::parse("2026"), None);
        assert_eq!(
            Quarter::of(chrono::NaiveDate::from_ymd_opt(2026, 4, 21).unwrap_or_default()).to_string(),
            "2026-Q2"
        );
    }

    /// Regression: `employment_rate` was in percent while the formatter takes shares, and
    /// four callers divided by 100. Every percentage is a share now, the benchmark too.
    #[test]
    fn the_employment_rate_and_its_benchmark_are_shares() {
        let q = QuarterFigures {
            period: Quarter { year: 2026, q: 1 },
            job_seekers: 40,
            in_work: 18,
            in_education: None,
            new_jobs: 5,
            specialist_fte: 2.5,
            job_seekers_basis: None,
        };
        assert_eq!(q.employment_rate(), Some(0.45));
        let shown = q.employment_rate().map(|r| ips_text::text::format_percent(r, ips_text::text::Lang::Nb));
        assert_eq!(shown.as_deref(), Some("45\u{a0}%"));
        let (scales, _) = crate::service::ScaleSet::builtin();
        let ips25 = scales.get("ips-25").expect("ips-25");
        assert_eq!(ips25.outcome_benchmarks.employment_rate, Some(0.4));
    }

    #[test]
    fn the_figures_say_whom_they_count() {
        use ips_text::text::Lang;
        let q = |basis| QuarterFigures {
            period: Quarter { year: 2026, q: 1 },
            job_seekers: 40,
            in_work: 18,
            in_education: None,
            new_jobs: 5,
            specialist_fte: 2.0,
            job_seekers_basis: basis,
        };
        let json = serde_json::to_string(&q(Some(JobSeekersBasis::OutOfWorkAtEntry))).unwrap_or_default();
        assert!(json.contains("\"job_seekers_basis\":\"out_of_work_at_entry\""), "{json}");
        assert!(!serde_json::to_string(&q(None)).unwrap_or_default().contains("basis"), "not stated: not written");
        assert_eq!(JobSeekersBasis::parse(" All_in_portfolio"), Some(JobSeekersBasis::AllInPortfolio));
        let both = [q(Some(JobSeekersBasis::OutOfWorkAtEntry)), q(None), q(Some(JobSeekersBasis::OutOfWorkAtEntry))];
        let note = basis_note(Some("Def."), &both, Lang::Nb).unwrap_or_default();
        assert!(note.starts_with("Def. "), "{note}");
        assert!(note.contains(JobSeekersBasis::OutOfWorkAtEntry.label(Lang::Nb)), "{note}");
        assert!(note.contains(ips_text::i18n::text(Lang::Nb, "core.outcomes.basis_not_stated")), "{note}");
        assert_eq!(note.matches(JobSeekersBasis::OutOfWorkAtEntry.label(Lang::Nb)).count(), 1, "each named once");
        assert_eq!(basis_note(None, &[], Lang::En), None);
    }
}
