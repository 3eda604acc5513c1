//! Every integration test, in one binary (as ripgrep's `tests/tests.rs`): one link of egui,
//! eframe, krilla and lopdf instead of one per file. A module per feature, over the shared
//! harness in [`util`]. Unit tests live beside the code in each crate.

mod util;

// First in name order, which is the order libtest starts tests in: its children wait in
// delayed system calls nearly all the time, so started first they overlap every other test
// instead of running alone at the end.
#[path = "slow_share.rs"]
mod a_slow_share;

mod architecture;
mod cli;
mod cli_help;
mod data_files;
mod desktop;
mod documented_commands;
mod docx;
mod edges;
mod faults;
mod fuzz;
mod fuzz_corpus;
mod ips25_rules;
mod local_index;
mod one_source_of_truth;
mod package;
mod pdfa;
mod properties;
mod reliability;
mod report;
mod review_cycle;
mod summary;
mod synced_folders;
mod text_catalogs;
mod ui;
mod ui_perf;
mod under_wine;
mod xlsx;
mod xlsx_in;
