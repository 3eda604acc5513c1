//! What changed between two versions of a scale, for the user who decides whether new
//! reviews are to be scored on a version a package brought: the bands (their ranges and
//! names), the cuts that turn a measured value or a checklist count into a score, the
//! items added or removed, their texts, and the cadence of reviews and meetings.

use ips_text::i18n::Msg;
use ips_text::text::Lang;

use crate::scale::{ItemKind, Scale};

/// One difference between an adopted version and a newer one.
#[derive(Debug, Clone, PartialEq)]
pub enum ScaleChange {
    /// A band's range on the total changed, or the band is new or gone.
    BandRange {
        label: String,
        from: Option<(u32, u32)>,
        to: Option<(u32, u32)>,
    },
    /// A band's name changed.
    BandLabel {
        from: String,
        to: String,
    },
    ItemAdded {
        item: String,
        name: String,
    },
    ItemRemoved {
        item: String,
        name: String,
    },
    /// The thresholds that make the proposed score (measured cuts, caps, checklist counts).
    Cuts {
        item: String,
    },
    /// The item's name, purpose, level descriptions or checklist texts.
    Texts {
        item: String,
    },
    /// Scores range or the weak-item limit.
    Scoring,
    /// When reviews and meetings are due.
    Cadence,
}

impl ScaleChange {
    /// The change in words.
    pub fn msg(&self) -> Msg {
        let range = |r: &Option<(u32, u32)>| r.map_or_else(|| "–".to_string(), |(a, b)| format!("{a}–{b}"));
        match self {
            ScaleChange::BandRange { label, from, to } => {
                ips_text::msg!("core.scale_change.band_range", band = label, from = range(from), to = range(to))
            }
            ScaleChange::BandLabel { from, to } => ips_text::msg!("core.scale_change.band_label", from = from, to = to),
            ScaleChange::ItemAdded { item, name } => {
                ips_text::msg!("core.scale_change.item_added", item = item, name = name)
            }
            ScaleChange::ItemRemoved { item, name } => {
                ips_text::msg!("core.scale_change.item_removed", item = item, name = name)
            }
            ScaleChange::Cuts { item } => ips_text::msg!("core.scale_change.cuts", item = item),
            ScaleChange::Texts { item } => ips_text::msg!("core.scale_change.texts", item = item),
            ScaleChange::Scoring => ips_text::msg!("core.scale_change.scoring"),
            ScaleChange::Cadence => ips_text::msg!("core.scale_change.cadence"),
        }
    }

    /// Whether the change can move a total into another band or change a proposed score
    /// (shown first: it is what decides).
    pub fn changes_scores(&self) -> bool {
        matches!(self, ScaleChange::BandRange { .. } | ScaleChange::Cuts { .. } | ScaleChange::Scoring)
            || matches!(self, ScaleChange::ItemAdded { .. } | ScaleChange::ItemRemoved { .. })
    }
}

/// What changes from `from` to `to`, in `lang` for the names it quotes; those that change
/// scores or bands first. Empty when the two score and read the same.
pub fn changes(from: &Scale, to: &Scale, lang: Lang) -> Vec<ScaleChange> {
    let mut out = Vec::new();
    if (from.score_min, from.score_max, from.weak_item_max) != (to.score_min, to.score_max, to.weak_item_max) {
        out.push(ScaleChange::Scoring);
    }
    for band in &to.bands {
        let old = from.bands.iter().find(|b| b.id == band.id);
        if old.map(|b| (b.min, b.max)) != Some((band.min, band.max)) {
            out.push(ScaleChange::BandRange {
                label: band.label.get(lang).to_string(),
                from: old.map(|b| (b.min, b.max)),
                to: Some((band.min, band.max)),
            });
        }
        if let Some(old) = old
            && old.label != band.label
        {
            out.push(ScaleChange::BandLabel {
                from: old.label.get(lang).to_string(),
                to: band.label.get(lang).to_string(),
            });
        }
    }
    for band in from.bands.iter().filter(|b| !to.bands.iter().any(|n| n.id == b.id)) {
        out.push(ScaleChange::BandRange {
            label: band.label.get(lang).to_string(),
            from: Some((band.min, band.max)),
            to: None,
        });
    }
    for item in &to.items {
        let Some(old) = from.item(&item.id) else {
            out.push(ScaleChange::ItemAdded { item: item.id.clone(), name: item.name.get(lang).to_string() });
            continue;
        };
        if cuts_differ(&old.kind, &item.kind) {
            out.push(ScaleChange::Cuts { item: item.id.clone() });
        }
        let texts_differ = old.name != item.name
            || old.purpose != item.purpose
            || old.levels != item.levels
            || match (&old.kind, &item.kind) {
                (ItemKind::Checklist(a), ItemKind::Checklist(b)) => {
                    a.elements.iter().map(|e| &e.text).ne(b.elements.iter().map(|e| &e.text))
                }
                _ => false,
            };
        if texts_differ {
            out.push(ScaleChange::Texts { item: item.id.clone() });
        }
    }
    for item in from.items.iter().filter(|i| to.item(&i.id).is_none()) {
        out.push(ScaleChange::ItemRemoved { item: item.id.clone(), name: item.name.get(lang).to_string() });
    }
    if from.cadence != to.cadence {
        out.push(ScaleChange::Cadence);
    }
    // Stable: what changes scores first, each group in the scale's order.
    out.sort_by_key(|c| !c.changes_scores());
    out
}

/// Whether the rules that propose a score differ (not the texts).
fn cuts_differ(a: &ItemKind, b: &ItemKind) -> bool {
    match (a, b) {
        (ItemKind::Described, ItemKind::Described) => false,
        (ItemKind::Checklist(a), ItemKind::Checklist(b)) => {
            a.score_by_count != b.score_by_count || a.elements.len() != b.elements.len()
        }
        (ItemKind::Measured(a), ItemKind::Measured(b)) => {
            a.cuts != b.cuts
                || a.otherwise != b.otherwise
                || a.caps != b.caps
                || a.direction != b.direction
                || a.value != b.value
        }
        _ => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::service::ScaleSet;

    fn ips25() -> Scale {
        ScaleSet::builtin().0.get("ips-25").cloned().unwrap_or_else(|| panic!("ips-25"))
    }

    #[test]
    fn the_same_scale_has_no_changes() {
        assert_eq!(changes(&ips25(), &ips25(), Lang::Nb), Vec::new());
    }

    #[test]
    fn a_moved_band_and_a_new_text_are_named_band_first() {
        let from = ips25();
        let mut to = from.clone();
        to.version = "2027.1".into();
        to.items[3].levels[0].nb.push_str(" (ny tekst)");
        to.bands[0].min = 80;
        to.bands[1].max = 79;
        let found = changes(&from, &to, Lang::Nb);
        assert!(
            matches!(&found[0], ScaleChange::BandRange { from: Some((115, 125)), to: Some((80, 125)), .. }),
            "{found:?}"
        );
        assert!(found.contains(&ScaleChange::Texts { item: to.items[3].id.clone() }), "{found:?}");
        assert_eq!(found.iter().filter(|c| c.changes_scores()).count(), 2, "{found:?}");
        assert!(found[0].msg().text(Lang::Nb).contains("115–125"), "{}", found[0].msg().text(Lang::Nb));
    }
}
