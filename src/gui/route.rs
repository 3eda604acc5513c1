//! Where the user is: the [`Route`] (a screen, named by stable ids) and the service's tabs.

/// Where the user is. Services and reviews are named by stable ids (the service's folder,
/// the review's file name), never by list positions that change when the list does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Route {
    Welcome,
    /// The resource centre's overview of many services.
    Region,
    /// The workspace's folder cannot be read (a dropped network share): why, and a retry.
    Unreachable(String),
    Overview,
    Service(String, ServiceTab),
    Evaluation(String, String),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ServiceTab {
    Evaluations,
    Trends,
    Outcomes,
    Meetings,
}
