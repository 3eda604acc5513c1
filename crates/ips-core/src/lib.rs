//! The domain core (crate `ips-core`): scales, evaluations, scoring, agreement, schedule, trends, the
//! workspace on disk and CSV. It knows nothing of egui, printpdf or plotters; the GUI, the
//! PDF report and the CLI render the plain data it computes.

pub mod agreement;
pub mod csv_io;
pub mod edit;
pub mod evaluation;
pub mod history;
pub mod i18n;
pub mod intake;
pub mod lifecycle;
pub mod meetings;
pub mod outcomes;
pub mod package;
pub mod plan;
pub mod prepare;
pub mod presence;
pub mod report;
pub mod scale;
pub mod schedule;
pub mod scoring;
pub mod store;
pub mod summary;
pub mod synced;
pub mod text;
pub mod trends;
pub mod workspace;
