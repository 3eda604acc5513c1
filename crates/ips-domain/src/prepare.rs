//! The reviewers' preparation pack, from the scale's data alone (any scale): per data
//! source (documents to ask for, people to interview, what to observe, administrative
//! data) the items that draw on it; the figures to collect before the visit (every measured
//! item's inputs with their units); and a blank scoring form with every item, its levels,
//! its checklist and room for notes, for the days on site.

use crate::scale::{InputKind, ItemKind, Scale};
use ips_text::text::Lang;

/// The items that draw on one data source.
#[derive(Debug, Clone, PartialEq)]
pub struct SourceList {
    pub id: String,
    pub name: String,
    /// (item id, item name).
    pub items: Vec<(String, String)>,
}

/// One figure to collect before the visit.
#[derive(Debug, Clone, PartialEq)]
pub struct Figure {
    pub item: String,
    pub item_name: String,
    pub label: String,
    /// The unit, or empty for a yes/no question.
    pub unit: String,
    pub yes_no: bool,
    /// Asked once per row (e.g. per employment specialist): the row's name.
    pub per_row: Option<String>,
}

/// One item of the blank scoring form.
#[derive(Debug, Clone, PartialEq)]
pub struct FormItem {
    pub id: String,
    pub name: String,
    pub section: String,
    pub sources: Vec<String>,
    /// (score, level text), lowest first.
    pub levels: Vec<(u8, String)>,
    pub elements: Vec<String>,
    pub inputs: Vec<String>,
}

/// The whole pack.
#[derive(Debug, Clone, PartialEq)]
pub struct PrepPack {
    pub scale_name: String,
    pub scale_id: String,
    pub scale_version: String,
    pub lang: Lang,
    pub sources: Vec<SourceList>,
    pub figures: Vec<Figure>,
    pub form: Vec<FormItem>,
}

/// Builds the pack for `scale` in `lang`.
pub fn pack(scale: &Scale, lang: Lang) -> PrepPack {
    let sources = scale
        .sources
        .iter()
        .map(|s| SourceList {
            id: s.id.clone(),
            name: s.name.get(lang).to_string(),
            items: scale
                .items
                .iter()
                .filter(|i| i.sources.contains(&s.id))
                .map(|i| (i.id.clone(), i.name.get(lang).to_string()))
                .collect(),
        })
        .collect();
    let mut figures = Vec::new();
    let mut form = Vec::new();
    for item in &scale.items {
        let mut inputs = Vec::new();
        let mut elements = Vec::new();
        match &item.kind {
            ItemKind::Measured(m) => {
                for input in &m.inputs {
                    let (unit, yes_no) = match &input.kind {
                        InputKind::Number { unit, .. } => {
                            (unit.as_ref().map_or("", |u| u.get(lang)).to_string(), false)
                        }
                        InputKind::Flag => (String::new(), true),
                    };
                    inputs.push(if unit.is_empty() {
                        input.label.get(lang).to_string()
                    } else {
                        format!("{} ({unit})", input.label.get(lang))
                    });
                    figures.push(Figure {
                        item: item.id.clone(),
                        item_name: item.name.get(lang).to_string(),
                        label: input.label.get(lang).to_string(),
                        unit,
                        yes_no,
                        per_row: m.per_row.as_ref().map(|r| r.label.get(lang).to_string()),
                    });
                }
            }
            ItemKind::Checklist(c) => elements = c.elements.iter().map(|e| e.text.get(lang).to_string()).collect(),
            ItemKind::Described => {}
        }
        form.push(FormItem {
            id: item.id.clone(),
            name: item.name.get(lang).to_string(),
            section: scale.sections.get(item.section).map_or(String::new(), |s| s.name.get(lang).to_string()),
            sources: item.sources.clone(),
            levels: item
                .levels
                .iter()
                .enumerate()
                .map(|(i, t)| (scale.score_min + i as u8, t.get(lang).to_string()))
                .collect(),
            elements,
            inputs,
        });
    }
    PrepPack {
        scale_name: scale.name.get(lang).to_string(),
        scale_id: scale.id.clone(),
        scale_version: scale.version.clone(),
        lang,
        sources,
        figures,
        form,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::service::ScaleSet;

    #[test]
    fn the_pack_comes_from_the_scale() {
        let scales = ScaleSet::builtin().0;
        for scale in scales.all() {
            let p = pack(scale, Lang::Nb);
            assert_eq!(p.form.len(), scale.items.len(), "{}", scale.id);
            assert_eq!(p.sources.len(), scale.sources.len());
            let measured_inputs: usize = scale
                .items
                .iter()
                .map(|i| match &i.kind {
                    ItemKind::Measured(m) => m.inputs.len(),
                    _ => 0,
                })
                .sum();
            assert_eq!(p.figures.len(), measured_inputs);
        }
        let ips = scales.get("ips-25").unwrap_or_else(|| panic!("ips-25"));
        let p = pack(ips, Lang::Nb);
        let b1 = p.figures.iter().find(|f| f.item == "B1" && f.unit == "årsverk");
        assert!(b1.is_some(), "{:?}", p.figures);
        assert!(p.sources.iter().any(|s| s.id == "OBS" && s.items.iter().any(|(id, _)| id == "O4")));
        assert_eq!(p.form[0].levels.len(), 5);
    }
}
