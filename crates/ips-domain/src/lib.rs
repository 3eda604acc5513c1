//! The domain of ips-fidelity (crate `ips-domain`): pure data and rules. It reads no file,
//! no environment variable and no clock, and starts no thread: the front ends pass in today's
//! date, the time and the user's name, and storage passes in what it read. `clippy.toml`
//! beside this crate forbids the calls that would break that, and `tests/it/architecture.rs`
//! checks it.
//!
//! The model:
//! - [`scale`]: a fidelity scale as data (items, levels, bands, cadence), parsed and checked
//!   once; [`scale_change`]: what differs between two versions; [`service`]: the set of every known scale version, and a service with its reviews.
//! - [`evaluation`]: one review as stored; [`edit`]: edits of it as values (undoable);
//!   [`lifecycle`]: planned → scoring → draft → final, the audit trail and the final lock;
//!   [`plan`]: the handlingsplan's rules; [`agreement`]: two reviewers' consensus.
//! - [`scoring`]: totals, bands and the change since the previous review; [`schedule`]: when
//!   the next review and meeting are due; [`history`]: a service's reviews over time.
//! - [`outcomes`]: outcome figures (måltall) per quarter; [`meetings`]: the styringsgruppe's
//!   meetings.
//!
//! The read models the views, the CLI and the PDF print:
//! - [`trends`]: a service's series and the overview row; [`brief`]: a service in brief;
//!   [`summary`]: many services for a resource centre; [`report`]: the report; [`prepare`]:
//!   the reviewers' preparation pack; [`meeting_pack`]: the styringsgruppe's meeting pack.
//! - [`palette`]: the bands' colours, one ramp for the screen and for paper.

pub mod agreement;
pub mod brief;
pub mod edit;
pub mod evaluation;
pub mod history;
pub mod lifecycle;
pub mod meeting_pack;
pub mod meetings;
pub mod outcomes;
pub mod palette;
pub mod plan;
pub mod prepare;
pub mod report;
pub mod scale;
pub mod scale_change;
pub mod schedule;
pub mod scoring;
pub mod service;
pub mod summary;
pub mod trends;
