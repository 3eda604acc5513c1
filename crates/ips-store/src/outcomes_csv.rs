//! The outcome figures' CSV (måltall per quarter): the file format, parsed into the
//! domain's [`QuarterFigures`] with every bad cell named by its line.

use ips_domain::outcomes::{JobSeekersBasis, Quarter, QuarterFigures};
use ips_domain::scale::{DataFileError, Problem};
use ips_text::text::parse_number;

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
    let mut reader = crate::csv_read::reader_of(text);
    let headers: Vec<String> = match reader.headers() {
        Ok(h) => h.iter().map(|s| s.trim().to_ascii_lowercase()).collect(),
        Err(e) => return Err(DataFileError::single(file, "", ips_text::msg!("core.csv.line", line = 1, error = e))),
    };
    if let Some(e) = crate::csv_read::duplicate_column(file, &headers) {
        return Err(e);
    }
    let col = |name: &str| headers.iter().position(|h| h == name);
    let required = ["service", "period", "job_seekers", "in_work", "new_jobs", "specialist_fte"];
    let missing: Vec<&str> = required.iter().copied().filter(|c| col(c).is_none()).collect();
    if !missing.is_empty() {
        let m = ips_text::msg!("core.outcomes.columns", missing = missing.join(", "));
        return Err(DataFileError::single(file, "", m));
    }
    let c = |name: &str| col(name).unwrap_or(0);
    let c_education = col("in_education");
    let c_basis = col("job_seekers_basis");
    let mut problems = Vec::new();
    let mut rows: Vec<(u64, OutcomeRow)> = Vec::new();
    let mut lines = crate::csv_read::LineCounter::new(text);
    for (row_no, record) in reader.records().enumerate() {
        let position = match &record {
            Ok(r) => r.position(),
            Err(e) => e.position(),
        };
        let line = lines.line_of(position, row_no);
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                problems.push(Problem::new("", ips_text::msg!("core.csv.line", line = line, error = e)));
                continue;
            }
        };
        let cell = |i: usize| record.get(i).map(str::trim).unwrap_or("");
        let before = problems.len();
        let service = cell(c("service")).to_string();
        if service.is_empty() {
            problems.push(Problem::new("", ips_text::msg!("core.csv.no_service", line = line)));
        }
        let period = Quarter::parse(cell(c("period")));
        if period.is_none() {
            problems.push(Problem::new(
                "",
                ips_text::msg!("core.outcomes.bad_period", line = line, value = cell(c("period"))),
            ));
        }
        let mut count = |name: &str| -> u32 {
            let value = cell(c(name));
            match parse_number(value).filter(|v| v.fract() == 0.0 && (0.0..=1e9).contains(v)) {
                Some(v) => v as u32,
                None => {
                    let m = ips_text::msg!("core.outcomes.bad_count", line = line, column = name, value = value);
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
                let m = ips_text::msg!(
                    "core.outcomes.bad_number",
                    line = line,
                    column = "specialist_fte",
                    value = fte_text
                );
                problems.push(Problem::new("", m));
                0.0
            }
        };
        let job_seekers_basis = match c_basis.map(&cell) {
            None | Some("") => None,
            Some(v) => {
                let basis = JobSeekersBasis::parse(v);
                if basis.is_none() {
                    let m = ips_text::msg!("core.outcomes.bad_basis", line = line, value = v);
                    problems.push(Problem::new("", m));
                }
                basis
            }
        };
        if problems.len() > before {
            continue;
        }
        let figures = QuarterFigures {
            job_seekers_basis,
            period: period.unwrap_or(Quarter { year: 2000, q: 1 }),
            job_seekers,
            in_work,
            in_education,
            new_jobs,
            specialist_fte,
        };
        if in_work > job_seekers {
            let m = ips_text::msg!(
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
            let m = ips_text::msg!(
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
            let m = ips_text::msg!("core.outcomes.twice_in_file", line = line, first = first, period = figures.period);
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_rows_and_their_problems() {
        let ok = "service,period,job_seekers,in_work,new_jobs,specialist_fte,in_education\n\
                  IPS Nordby,2026-Q1,40,17,5,2.5,3\nIPS Nordby,2026-Q2,42,18,4,2.5,\n";
        let rows = parse_csv("o.csv", ok).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].figures.employment_rate().map(|r| (r * 1000.0).round()), Some(425.0));
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
