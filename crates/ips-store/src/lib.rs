//! The workspace of ips-fidelity on disk (crate `ips-store`), over the pure domain
//! (`ips-domain`).
//!
//! - [`workspace`]: the folder layout (`services/`, `evaluations/`, `scales/`, `conflicts/`,
//!   history), loading (in full or in brief), and every change to it: new services and
//!   reviews, saves checked against what was read, imports, restores, deletions.
//! - [`store`]: careful writes (atomic replace, fsync, locks), content stamps, saved versions.
//! - [`import`]: the use-case "import these files" (reviews, packages, outcome figures),
//!   which the CLI's `import` and the app's import both call.
//! - [`synced`]: sync services' conflict copies; [`presence`]: who else has a service open.
//! - File formats: [`csv_io`] (the reviews' CSV), [`outcomes_csv`] (the outcome figures'
//!   CSV), [`package`] (a service or a reviewer's scores in one file), [`intake`] (reading any
//!   file to import), [`xlsx_out`] (Excel workbooks: the reviews, the summary, the outcome
//!   figures).
//!
//! Both front ends (the desktop app and the CLI) call these; neither touches a file itself.

pub mod csv_io;
pub mod csv_read;
pub mod import;
mod incoming;
pub mod index;
pub mod intake;
pub mod outcomes_csv;
pub mod package;
pub mod presence;
pub mod store;
pub mod synced;
pub mod workspace;
pub mod xlsx_in;
pub mod xlsx_out;
