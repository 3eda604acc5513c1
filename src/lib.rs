//! ips-fidelity: score IPS fidelity reviews (IPS kvalitetsskala) and follow a service's
//! quality over the years.
//!
//! The Cargo workspace shows the layers, from the bottom:
//! - `crates/ips-core` ([`ips_core`]): the domain (scales as data, evaluations, scoring,
//!   agreement, schedule, trends, report model, workspace files, CSV, user-facing text).
//!   It depends on no UI or PDF crate; `tests/architecture.rs` proves it.
//! - `crates/ips-pdf` ([`ips_pdf`]): the PDF report, laid out from the core's report model.
//! - [`cli`]: the command line, a thin printer of what the core computes.
//! - [`gui`]: the egui desktop app, views that render core data and send commands.

pub mod cli;
pub mod generate;
pub mod gui;
