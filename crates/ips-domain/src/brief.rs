//! A service in brief: what the overview and the summary need of its reviews, computed once
//! when they are read, so that a workspace of 60,000 reviews opens without holding them.

use chrono::NaiveDate;

use crate::service::{ScaleSet, Service};
use crate::summary::SummaryInput;
use crate::trends::ServiceOverview;

/// A service's overview row and its summary input.
#[derive(Debug, Clone, PartialEq)]
pub struct ServiceBrief {
    pub overview: ServiceOverview,
    pub summary: SummaryInput,
}

impl ServiceBrief {
    /// The brief of a service whose reviews are in memory, by the same definitions the
    /// overview and the summary use for a loaded service.
    pub fn of(service: &Service, scales: &ScaleSet, today: NaiveDate) -> ServiceBrief {
        let facts = crate::history::review_facts(service, scales);
        let overview = crate::trends::overview_of(service, &facts, scales, today);
        let summary = crate::summary::summary_input(service, &facts, scales);
        ServiceBrief { overview, summary }
    }
}
