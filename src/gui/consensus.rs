//! The consensus view: two reviewers' independent scores side by side, the largest
//! disagreements first, agreement statistics, and the agreed (consensus) score per item.
//! Scores stay hidden until both reviewers are done, unless revealed on purpose.

use egui::{RichText, Ui};

use super::editor::EvaluationEditor;
use super::strings::Strings;
use super::widgets::named_selectable;
use ips_core::text::Lang;

pub fn ui(ed: &mut EvaluationEditor, ui: &mut Ui, s: &Strings, lang: Lang) {
    if ed.draft.reviewers.len() < 2 {
        ui.label(s.consensus_needs_two);
        return;
    }
    let all_done = ed.draft.reviewers.iter().all(|r| r.done);
    if !all_done && !ed.reveal {
        ui.label(s.consensus_hidden);
        for r in &ed.draft.reviewers {
            ui.label(format!("• {}: {}", r.name, if r.done { s.done } else { s.not_done }));
        }
        if ui.button(s.reveal_anyway).clicked() {
            ed.reveal = true;
        }
        return;
    }
    let (a, b) = (&ed.draft.reviewers[0], &ed.draft.reviewers[1]);
    let (name_a, name_b) = (a.name.clone(), b.name.clone());
    let (scores_a, scores_b) = (a.scores.clone(), b.scores.clone());
    if let Some(ag) = &ed.summary.agreement {
        egui::Frame::group(ui.style()).show(ui, |ui| {
            ui.horizontal_wrapped(|ui| {
                ui.strong(s.agreement);
                let pct = |x: Option<f64>| x.map_or("–".to_string(), |v| format!("{:.0} %", v * 100.0));
                ui.label(format!("{}: {} / {} ({})", s.exact_agreement, ag.exact, ag.compared, pct(ag.exact_share())));
                ui.label(format!(
                    "{}: {} / {} ({})",
                    s.within_one,
                    ag.within_one,
                    ag.compared,
                    pct(ag.within_one_share())
                ));
                ui.label(format!("{}: {}", s.weighted_kappa, ag.kappa.map_or("–".to_string(), |k| format!("{k:.2}"))));
                ui.label(format!("{}: {}", s.large_differences, ag.large.len()));
            });
        });
    }
    ui.horizontal(|ui| {
        if ui.button(s.copy_agreed).on_hover_text(s.copy_agreed_hint).clicked() {
            for item in &ed.scale.items {
                if let (Some(x), Some(y)) = (scores_a.get(&item.id), scores_b.get(&item.id))
                    && x == y
                    && !ed.draft.scores.contains_key(&item.id)
                {
                    ed.draft.scores.insert(item.id.clone(), *x);
                }
            }
        }
        ui.weak(s.consensus_order_note);
    });
    ui.separator();

    // Disagreements of two or more first, then the rest, in scale order within each group.
    let mut order: Vec<usize> = (0..ed.scale.items.len()).collect();
    let diff = |i: usize| {
        let id = &ed.scale.items[i].id;
        match (scores_a.get(id), scores_b.get(id)) {
            (Some(x), Some(y)) => x.abs_diff(*y),
            _ => 0,
        }
    };
    order.sort_by_key(|&i| (diff(i) < 2, i));
    egui::ScrollArea::vertical().id_salt("consensus_scroll").show(ui, |ui| {
        egui::Grid::new("consensus_grid").num_columns(5).striped(true).spacing([14.0, 6.0]).show(ui, |ui| {
            ui.strong(s.item);
            ui.strong(&name_a);
            ui.strong(&name_b);
            ui.strong(s.difference);
            ui.strong(s.consensus_scores);
            ui.end_row();
            for i in order {
                let item = ed.scale.items[i].clone();
                let (x, y) = (scores_a.get(&item.id).copied(), scores_b.get(&item.id).copied());
                let d = diff(i);
                let name = RichText::new(format!("{} {}", item.id, item.name.get(lang)));
                ui.label(if d >= 2 { name.strong() } else { name });
                ui.label(x.map_or("–".into(), |v| v.to_string()));
                ui.label(y.map_or("–".into(), |v| v.to_string()));
                if d >= 2 {
                    ui.colored_label(ui.visuals().warn_fg_color, format!("{d}"));
                } else {
                    ui.label(if x.is_some() && y.is_some() { d.to_string() } else { "–".into() });
                }
                ui.horizontal(|ui| {
                    let current = ed.draft.scores.get(&item.id).copied();
                    for v in ed.scale.score_range() {
                        if named_selectable(
                            ui,
                            current == Some(v),
                            v.to_string(),
                            format!("{} {}: {v}", item.id, s.consensus_scores),
                        )
                        .clicked()
                        {
                            ed.draft.scores.insert(item.id.clone(), v);
                        }
                    }
                });
                ui.end_row();
            }
        });
    });
}
