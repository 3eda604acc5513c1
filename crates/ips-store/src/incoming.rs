//! A review read from a table (a CSV line, a workbook row) made into an [`Evaluation`] and
//! put through the checks every incoming review passes ([`ScaleSet::check_incoming`]). One
//! definition for both tables: the review they build, and an implausible date said with the
//! value as the table has it (what the user typed, not the date it was read as), while every
//! other problem is placed by the table (its line, its cell).

use chrono::NaiveDate;
use ips_domain::evaluation::{
    Evaluation, EvaluationType, FORMAT_VERSION, PLAUSIBLE_YEARS, Scores, ServiceInfo, ServiceRef,
};
use ips_domain::scale::{Problem, Scale};
use ips_domain::service::ScaleSet;

/// What a table's row says of one review.
pub(crate) struct TableReview<'a> {
    pub scale: &'a Scale,
    pub service: String,
    /// The NAV office, where the table has one (a service made by the import gets it).
    pub nav_office: Option<String>,
    pub date: NaiveDate,
    pub kind: EvaluationType,
    pub scores: Scores,
}

/// The review of `row`, or its problems: `implausible_date(from, to)` says a date outside
/// [`PLAUSIBLE_YEARS`], `place` puts any other problem at the row.
pub(crate) fn checked(
    scales: &ScaleSet,
    row: TableReview<'_>,
    implausible_date: impl Fn(i32, i32) -> Problem,
    place: impl Fn(Problem) -> Problem,
) -> Result<Evaluation, Vec<Problem>> {
    let mut e = Evaluation::new(row.scale, "", row.date, row.kind);
    e.format_version = FORMAT_VERSION;
    e.service = match row.nav_office.filter(|o| !o.is_empty()) {
        Some(office) => {
            let mut info = ServiceInfo::named(row.service);
            info.nav_office = office;
            ServiceRef::Info(info)
        }
        None => ServiceRef::Name(row.service),
    };
    e.scores = row.scores;
    match scales.check_incoming(&e) {
        Ok(_) => Ok(e),
        Err(problems) => Err(problems
            .into_iter()
            .map(|p| match p.location.as_str() {
                "date" => implausible_date(*PLAUSIBLE_YEARS.start(), *PLAUSIBLE_YEARS.end()),
                _ => place(p),
            })
            .collect()),
    }
}
