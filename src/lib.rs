//! ips-fidelity: score IPS fidelity reviews (IPS kvalitetsskala) and follow a service's
//! quality over the years.
//!
//! Layers, from the bottom:
//! - [`core`]: the domain (scales as data, evaluations, scoring, agreement, schedule,
//!   trends, workspace files, CSV). No UI or PDF dependency.
//! - [`pdf`]: the PDF report, laid out from the core's report model (printpdf, plotters).
//! - [`cli`]: the command line, a thin printer of what the core computes.
//! - [`gui`]: the egui desktop app, views that render core data and send commands.

pub mod cli;
pub mod core;
pub mod gui;
pub mod pdf;
