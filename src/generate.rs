//! A deterministic generator of large workspaces for tests and benchmarks: the same seed
//! gives byte-identical files. Reviews rise and fall plausibly around a service's level.

use std::path::Path;

use chrono::{Datelike, Months, NaiveDate};

use ips_domain::evaluation::{Evaluation, EvaluationType, ItemNotes};
use ips_domain::service::DEFAULT_SCALE;
use ips_store::csv_io::{self, Dialect};
use ips_store::workspace::Workspace;
use ips_text::text::Lang;

/// xorshift64*: small, fast and the same everywhere.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
}

const PLACES: &[&str] = &[
    "Bodø",
    "Tromsø",
    "Ålesund",
    "Førde",
    "Gjøvik",
    "Hamar",
    "Kristiansand",
    "Lillehammer",
    "Molde",
    "Narvik",
    "Ørsta",
    "Sandnessjøen",
    "Skien",
    "Stavanger",
    "Trondheim",
    "Vadsø",
    "Arendal",
    "Bærum",
    "Drammen",
    "Haugesund",
];

/// The region (fylke) of each place above, in the same order.
const REGIONS: &[&str] = &[
    "Nordland",
    "Troms",
    "Møre og Romsdal",
    "Vestland",
    "Innlandet",
    "Innlandet",
    "Agder",
    "Innlandet",
    "Møre og Romsdal",
    "Nordland",
    "Møre og Romsdal",
    "Nordland",
    "Telemark",
    "Rogaland",
    "Trøndelag",
    "Finnmark",
    "Agder",
    "Akershus",
    "Buskerud",
    "Rogaland",
];

/// The most reviews per service that are dated every six months from 2015 and end before 2100.
const MAX_HALF_YEARLY: u32 = 160;
/// From the first generated date (2015-03-01) to the end of 2099, in days.
const SPAN_DAYS: u64 = 31_000;

/// Writes `services` services with `reviews` independent reviews each into `root`, and
/// optionally all of them as one CSV file.
pub fn generate(root: &Path, services: u32, reviews: u32, seed: u64, csv: Option<&Path>) -> anyhow::Result<()> {
    let mut ws = Workspace::load(root);
    let scale = ws.scales.get(DEFAULT_SCALE).cloned().ok_or_else(|| anyhow::anyhow!("no built-in IPS-25 scale"))?;
    let mut rng = Rng(seed.max(1).wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1);
    let start = NaiveDate::from_ymd_opt(2015, 3, 1).ok_or_else(|| anyhow::anyhow!("date"))?;
    let mut evaluations = Vec::with_capacity((u64::from(services) * u64::from(reviews)).min(1 << 20) as usize);
    for s in 0..services {
        let place = PLACES[s as usize % PLACES.len()];
        let name = format!("IPS {place} {:03}", s + 1);
        let mut level: Vec<i32> = scale.items.iter().map(|_| 2 + rng.below(3) as i32).collect();
        for r in 0..reviews {
            // Every six months, as services are reviewed; a service with more reviews than
            // fit before 2100 that way (a stress test) has them closer together, so every
            // date stays one a review can have.
            let date = if reviews <= MAX_HALF_YEARLY {
                start.checked_add_months(Months::new(r.saturating_mul(6).saturating_add(s % 6)))
            } else {
                let step = (SPAN_DAYS / u64::from(reviews)).max(1);
                start.checked_add_days(chrono::Days::new(u64::from(r) * step + u64::from(s % 6)))
            }
            .filter(|d| d.year() <= *ips_domain::evaluation::PLAUSIBLE_YEARS.end())
            .ok_or_else(|| anyhow::anyhow!("{reviews} reviews per service do not fit before 2100"))?;
            let mut e = Evaluation::new(&scale, &name, date, EvaluationType::Independent);
            for (item, l) in scale.items.iter().zip(level.iter_mut()) {
                // Mostly improving, sometimes slipping back.
                *l = (*l + [-1, 0, 0, 1, 1][rng.below(5) as usize]).clamp(1, 5);
                e.scores.insert(item.id.clone(), *l as u8);
                if rng.below(4) == 0 {
                    e.items.insert(
                        item.id.clone(),
                        ItemNotes {
                            rationale: format!("Generert begrunnelse for {} i gjennomgang {}.", item.id, r + 1),
                            sources: vec!["INT".into()],
                            ..ItemNotes::default()
                        },
                    );
                }
            }
            evaluations.push(e);
        }
    }
    ws.import(evaluations)?;
    // Each service gets its place's region, for the resource centre's summaries.
    let mut ws = Workspace::load(root);
    for i in 0..ws.services.len() {
        let place = PLACES.iter().position(|p| ws.services[i].info.name.contains(p)).unwrap_or(0);
        if ws.services[i].info.region.is_empty() {
            ws.services[i].info.region = REGIONS[place % REGIONS.len()].to_string();
            ws.save_service(i)?;
        }
    }
    if let Some(csv) = csv {
        let ws = Workspace::load(root);
        let mut buf = Vec::new();
        csv_io::export(&ws, Lang::Nb, Dialect::Plain, &mut buf)?;
        std::fs::write(csv, buf)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_files() {
        let (a, b) = (tempfile::tempdir(), tempfile::tempdir());
        let (Ok(a), Ok(b)) = (a, b) else { panic!("tempdir") };
        generate(a.path(), 3, 4, 7, None).unwrap_or_else(|e| panic!("{e}"));
        generate(b.path(), 3, 4, 7, None).unwrap_or_else(|e| panic!("{e}"));
        let wa = Workspace::load(a.path());
        let wb = Workspace::load(b.path());
        assert!(wa.problems.is_empty(), "{:?}", wa.problems);
        assert_eq!(wa.services.len(), 3);
        assert_eq!(wa.all_evaluations().count(), 12);
        let ja: Vec<String> = wa.all_evaluations().map(|(_, e)| e.evaluation.to_json()).collect();
        let jb: Vec<String> = wb.all_evaluations().map(|(_, e)| e.evaluation.to_json()).collect();
        assert_eq!(ja, jb);
    }
}
