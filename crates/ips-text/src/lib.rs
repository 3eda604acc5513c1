//! The words of ips-fidelity (crate `ips-text`), and nothing of the domain.
//!
//! - [`text`]: the languages ([`text::Lang`]) and every formatting rule a language has
//!   (dates, numbers, percentages, sorting names).
//! - [`i18n`]: the text catalogs (`i18n/*.json`, `reports/*.json`) compiled in and parsed
//!   once, typed messages ([`i18n::Msg`], put into words where they are shown) and typed text
//!   structs ([`texts!`]).
//!
//! The domain, storage, the PDF and both front ends take their words from here.

pub mod i18n;
pub mod text;
