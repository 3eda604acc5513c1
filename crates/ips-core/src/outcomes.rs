//! Outcome figures (måltall) per quarter and service: job seekers in the portfolio, in
//! ordinary paid work, in education, new job starts and specialist årsverk, from which the
//! employment rate and job seekers per årsverk follow. Stored in the service's
//! `outcomes.json`; imported from CSV with the same rules as reviews (all or nothing per
//! file, conflicts named and never overwritten).

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::i18n::Msg;
use crate::scale::{DataFileError, Problem};
use crate::text::parse_number;

/// A calendar quarter, written `2026-Q1`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Quarter {
    pub year: i32,
    /// 1 to 4.
    pub q: u8,
}

impl Quarter {
    /// `2026-Q1` (also `2026-q1`, `2026 Q1`, `Q1 2026`); `None` for anything else.
    pub fn parse(s: &str) -> Option<Quarter> {
        let s = s.trim().to_ascii_uppercase();
        let (year, q) = if let Some((y, q)) = s.split_once("-Q").or_else(|| s.split_once(" Q")) {
            (y.trim(), q.trim())
        } else {
            let (q, y) = s.strip_prefix('Q')?.split_once(' ')?;
            (y.trim(), q.trim())
        };
        let year: i32 = year.parse().ok().filter(|y| (1900..=9999).contains(y))?;
        let q: u8 = q.parse().ok().filter(|q| (1..=4).contains(q))?;
        Some(Quarter { year, q })
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

/// One quarter's figures for one service.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QuarterFigures {
    pub period: Quarter,
    /// Job seekers in the portfolio.
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
}

impl QuarterFigures {
    /// In work / job seekers, in percent; `None` with no job seekers.
    pub fn employment_rate(&self) -> Option<f64> {
        (self.job_seekers > 0).then(|| f64::from(self.in_work) * 100.0 / f64::from(self.job_seekers))
    }

    /// Job seekers per specialist årsverk; `None` with no årsverk.
    pub fn job_seekers_per_fte(&self) -> Option<f64> {
        (self.specialist_fte > 0.0).then(|| f64::from(self.job_seekers) / self.specialist_fte)
    }

    /// What is wrong with the figures (counts that do not add up, årsverk out of range).
    pub fn problems(&self) -> Vec<Msg> {
        let mut out = Vec::new();
        if self.in_work > self.job_seekers {
            out.push(crate::msg!("core.outcomes.more_in_work", in_work = self.in_work, job_seekers = self.job_seekers));
        }
        if let Some(ed) = self.in_education
            && ed > self.job_seekers
        {
            out.push(crate::msg!("core.outcomes.more_in_education", in_education = ed, job_seekers = self.job_seekers));
        }
        if !self.specialist_fte.is_finite() || !(0.0..=1000.0).contains(&self.specialist_fte) {
            out.push(crate::msg!("core.outcomes.bad_fte", value = self.specialist_fte));
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
            let m = crate::msg!("core.format_version", found = f.format_version, supported = 1);
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
                    crate::msg!("core.outcomes.twice", period = q.period),
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

/// One row of an outcomes CSV: the service's name and its figures.
#[derive(Debug, Clone, PartialEq)]
pub struct OutcomeRow {
    pub service: String,
    pub figures: QuarterFigures,
}

/// Whether a CSV holds outcome figures (its header names `period` and `job_seekers`) rather
/// than reviews.
pub fn is_outcomes_csv(text: &str) -> bool {
    let header = text.strip_prefix('\u{feff}').unwrap_or(text).lines().next().unwrap_or("").to_ascii_lowercase();
    let cells: Vec<&str> = header.split([',', ';']).map(str::trim).collect();
    cells.contains(&"period") && cells.contains(&"job_seekers")
}

/// Parses an outcomes CSV: `service,period,job_seekers,in_work,new_jobs,specialist_fte`,
/// with `in_education` optional (`;` and decimal commas as Norwegian Excel writes them).
/// Every bad cell is reported with its line; nothing is returned unless all rows are good.
pub fn parse_csv(file: &str, text: &str) -> Result<Vec<OutcomeRow>, DataFileError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut reader = crate::csv_io::reader_of(text);
    let headers: Vec<String> = match reader.headers() {
        Ok(h) => h.iter().map(|s| s.trim().to_ascii_lowercase()).collect(),
        Err(e) => return Err(DataFileError::single(file, "", crate::msg!("core.csv.line", line = 1, error = e))),
    };
    let col = |name: &str| headers.iter().position(|h| h == name);
    let required = ["service", "period", "job_seekers", "in_work", "new_jobs", "specialist_fte"];
    let missing: Vec<&str> = required.iter().copied().filter(|c| col(c).is_none()).collect();
    if !missing.is_empty() {
        let m = crate::msg!("core.outcomes.columns", missing = missing.join(", "));
        return Err(DataFileError::single(file, "", m));
    }
    let c = |name: &str| col(name).unwrap_or(0);
    let c_education = col("in_education");
    let mut problems = Vec::new();
    let mut rows: Vec<(u64, OutcomeRow)> = Vec::new();
    let mut lines = crate::csv_io::LineCounter::new(text);
    for (row_no, record) in reader.records().enumerate() {
        let position = match &record {
            Ok(r) => r.position(),
            Err(e) => e.position(),
        };
        let line = lines.line_of(position, row_no);
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                problems.push(Problem::new("", crate::msg!("core.csv.line", line = line, error = e)));
                continue;
            }
        };
        let cell = |i: usize| record.get(i).map(str::trim).unwrap_or("");
        let before = problems.len();
        let service = cell(c("service")).to_string();
        if service.is_empty() {
            problems.push(Problem::new("", crate::msg!("core.csv.no_service", line = line)));
        }
        let period = Quarter::parse(cell(c("period")));
        if period.is_none() {
            problems.push(Problem::new(
                "",
                crate::msg!("core.outcomes.bad_period", line = line, value = cell(c("period"))),
            ));
        }
        let mut count = |name: &str| -> u32 {
            let value = cell(c(name));
            match parse_number(value).filter(|v| v.fract() == 0.0 && (0.0..=1e9).contains(v)) {
                Some(v) => v as u32,
                None => {
                    let m = crate::msg!("core.outcomes.bad_count", line = line, column = name, value = value);
                    problems.push(Problem::new("", m));
                    0
                }
            }
        };
        let job_seekers = count("job_seekers");
        let in_work = count("in_work");
        let new_jobs = count("new_jobs");
        let in_education = match c_education.map(&cell) {
            None | Some("") => None,
            Some(_) => Some(count("in_education")),
        };
        let fte_text = cell(c("specialist_fte"));
        let specialist_fte = match parse_number(fte_text).filter(|v| (0.0..=1000.0).contains(v)) {
            Some(v) => v,
            None => {
                let m =
                    crate::msg!("core.outcomes.bad_number", line = line, column = "specialist_fte", value = fte_text);
                problems.push(Problem::new("", m));
                0.0
            }
        };
        if problems.len() > before {
            continue;
        }
        let figures = QuarterFigures {
            period: period.unwrap_or(Quarter { year: 2000, q: 1 }),
            job_seekers,
            in_work,
            in_education,
            new_jobs,
            specialist_fte,
        };
        if in_work > job_seekers {
            let m = crate::msg!(
                "core.outcomes.csv_more_in_work",
                line = line,
                in_work = in_work,
                job_seekers = job_seekers
            );
            problems.push(Problem::new("", m));
        }
        if let Some(ed) = in_education
            && ed > job_seekers
        {
            let m = crate::msg!(
                "core.outcomes.csv_more_in_education",
                line = line,
                in_education = ed,
                job_seekers = job_seekers
            );
            problems.push(Problem::new("", m));
        }
        let same = rows.iter().find(|(_, r)| {
            r.service.trim().to_lowercase() == service.trim().to_lowercase() && r.figures.period == figures.period
        });
        if let Some((first, r)) = same
            && r.figures != figures
        {
            let m = crate::msg!("core.outcomes.twice_in_file", line = line, first = first, period = figures.period);
            problems.push(Problem::new("", m));
        }
        rows.push((line, OutcomeRow { service, figures }));
    }
    if problems.is_empty() {
        Ok(rows.into_iter().map(|(_, r)| r).collect())
    } else {
        Err(DataFileError { file: file.to_string(), problems })
    }
}

/// Where each imported row went.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OutcomeImport {
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
        assert_eq!(Quarter::parse("2026"), None);
        assert_eq!(
            Quarter::of(chrono::NaiveDate::from_ymd_opt(2026, 4, 21).unwrap_or_default()).to_string(),
            "2026-Q2"
        );
    }

    #[test]
    fn csv_rows_and_their_problems() {
        let ok = "service,period,job_seekers,in_work,new_jobs,specialist_fte,in_education\n\
                  IPS Nordby,2026-Q1,40,17,5,2.5,3\nIPS Nordby,2026-Q2,42,18,4,2.5,\n";
        let rows = parse_csv("o.csv", ok).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].figures.employment_rate().map(|r| (r * 10.0).round()), Some(425.0));
        assert_eq!(rows[0].figures.job_seekers_per_fte(), Some(16.0));
        assert_eq!(rows[1].figures.in_education, None);
        let excel =
            "\u{feff}service;period;job_seekers;in_work;new_jobs;specialist_fte\r\nIPS Nordby;2026-Q1;40;17;5;2,5\r\n";
        assert_eq!(parse_csv("x.csv", excel).map(|r| r[0].figures.specialist_fte).ok(), Some(2.5));
        let bad = "service,period,job_seekers,in_work,new_jobs,specialist_fte\n\
                   A,2026-Q5,40,17,5,2\nA,2026-Q1,-3,0,0,1\nA,2026-Q2,10,12,0,1\n";
        let err = parse_csv("bad.csv", bad).err().map(|e| e.to_string()).unwrap_or_default();
        assert!(err.contains("line 2") && err.contains("2026-Q5"), "{err}");
        assert!(err.contains("line 3") && err.contains("-3"), "{err}");
        assert!(err.contains("line 4") && err.contains("12"), "{err}");
        let short = "service,period\nA,2026-Q1\n";
        let err = parse_csv("s.csv", short).err().map(|e| e.to_string()).unwrap_or_default();
        assert!(err.contains("job_seekers"), "{err}");
    }
}
