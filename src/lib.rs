//! ips-fidelity: score IPS fidelity reviews (IPS kvalitetsskala) and follow a service's
//! quality over the years.
//!
//! The Cargo workspace shows the layers, from the bottom (`docs/architecture.md` has the
//! map, and `tests/it/architecture.rs` keeps the walls):
//! - `crates/ips-text` ([`ips_text`]): languages, catalogs, typed messages, formatting.
//! - `crates/ips-domain` ([`ips_domain`]): the pure domain (scales, reviews, scoring, the
//!   review cycle, services, outcomes, meetings) and the read models every front end
//!   prints. No files, no environment, no clock.
//! - `crates/ips-store` ([`ips_store`]): the workspace on disk, the file formats and the
//!   use-cases both front ends call.
//! - `crates/ips-pdf` ([`ips_pdf`]): renders the domain's read models as PDF.
//! - [`cli`]: the command line, a thin printer of what the layers below compute.
//! - [`gui`]: the egui desktop app, views that render domain data and send commands.

pub mod cli;
pub mod generate;
pub mod gui;
