//! The consensus view: two reviewers' independent scores side by side, the largest
//! disagreements first, agreement statistics, and the agreed (consensus) score per item.
//! Scores stay hidden until both reviewers are done, unless revealed on purpose. It draws
//! the review read-only and emits [`Edit`]s; the editor applies them.

use egui::{RichText, Ui};

use super::ViewCx;
use super::widgets::named_selectable;
use ips_domain::agreement::Agreement;
use ips_domain::edit::{Edit, ScoreTarget};
use ips_domain::evaluation::Evaluation;
use ips_domain::scale::Scale;
use ips_text::text::{format_decimal, format_percent};

/// The consensus tab's own state.
#[derive(Debug, Default)]
pub struct ConsensusView {
    /// A reviewer chose to see the other reviewers' scores before all are done.
    pub reveal: bool,
}

impl ConsensusView {
    pub fn ui(
        &mut self,
        ui: &mut Ui,
        cx: &ViewCx,
        scale: &Scale,
        draft: &Evaluation,
        agreement: Option<&Agreement>,
        edits: &mut Vec<Edit>,
    ) {
        let ViewCx { s, lang, .. } = *cx;
        let [a, b, ..] = draft.reviewers.as_slice() else {
            ui.label(s.consensus_needs_two);
            return;
        };
        let all_done = draft.reviewers.iter().all(|r| r.done);
        if !all_done && !self.reveal {
            ui.label(s.consensus_hidden);
            for r in &draft.reviewers {
                ui.label(format!("• {}: {}", r.name, if r.done { s.done } else { s.not_done }));
            }
            if ui.button(s.reveal_anyway).clicked() {
                self.reveal = true;
            }
            return;
        }
        if let Some(ag) = agreement {
            egui::Frame::group(ui.style()).show(ui, |ui| {
                ui.horizontal_wrapped(|ui| {
                    ui.strong(s.agreement);
                    let pct = |x: Option<f64>| x.map_or("–".to_string(), |v| format_percent(v, lang));
                    ui.label(format!(
                        "{}: {} / {} ({})",
                        s.exact_agreement,
                        ag.exact,
                        ag.compared,
                        pct(ag.exact_share())
                    ));
                    ui.label(format!(
                        "{}: {} / {} ({})",
                        s.within_one,
                        ag.within_one,
                        ag.compared,
                        pct(ag.within_one_share())
                    ));
                    ui.label(format!(
                        "{}: {}",
                        s.weighted_kappa,
                        ag.kappa.map_or("–".to_string(), |k| format_decimal(k, 2, lang))
                    ));
                    ui.label(format!("{}: {}", s.large_differences, ag.large.len()));
                });
            });
        }
        ui.horizontal(|ui| {
            if ui.button(s.copy_agreed).on_hover_text(s.copy_agreed_hint).clicked() {
                for item in &scale.items {
                    if let (Some(x), Some(y)) = (a.scores.get(&item.id), b.scores.get(&item.id))
                        && x == y
                        && !draft.scores.contains_key(&item.id)
                    {
                        edits.push(Edit::Score {
                            target: ScoreTarget::Consensus,
                            item: item.id.clone(),
                            value: Some(*x),
                        });
                    }
                }
            }
            ui.weak(s.consensus_order_note);
        });
        ui.separator();

        // Disagreements of two or more first, then the rest, in scale order within each group.
        let diff = |i: usize| {
            let id = &scale.items[i].id;
            match (a.scores.get(id), b.scores.get(id)) {
                (Some(x), Some(y)) => x.abs_diff(*y),
                _ => 0,
            }
        };
        let mut order: Vec<usize> = (0..scale.items.len()).collect();
        order.sort_by_key(|&i| (diff(i) < 2, i));
        egui::ScrollArea::vertical().id_salt("consensus_scroll").show(ui, |ui| {
            egui::Grid::new("consensus_grid").num_columns(5).striped(true).spacing([14.0, 6.0]).show(ui, |ui| {
                ui.strong(s.item);
                ui.strong(&a.name);
                ui.strong(&b.name);
                ui.strong(s.difference);
                ui.strong(s.consensus_scores);
                ui.end_row();
                for i in order {
                    let item = &scale.items[i];
                    let (x, y) = (a.scores.get(&item.id).copied(), b.scores.get(&item.id).copied());
                    let d = diff(i);
                    let name = RichText::new(format!("{} {}", item.id, item.name.get(lang)));
                    ui.label(if d >= 2 { name.strong() } else { name });
                    // Each reviewer's own rationale, when they wrote one, on hover (marked ✎).
                    for (r, score) in [(a, x), (b, y)] {
                        let why = r.items.get(&item.id).map_or("", |n| n.rationale.trim());
                        let text = score.map_or("–".into(), |v| v.to_string());
                        if why.is_empty() {
                            ui.label(text);
                        } else {
                            ui.label(format!("{text} ✎")).on_hover_text(format!("{}: {why}", r.name));
                        }
                    }
                    if d >= 2 {
                        ui.colored_label(ui.visuals().warn_fg_color, format!("{d}"));
                    } else {
                        ui.label(if x.is_some() && y.is_some() { d.to_string() } else { "–".into() });
                    }
                    ui.horizontal(|ui| {
                        let current = draft.scores.get(&item.id).copied();
                        for v in scale.score_range() {
                            let name = format!("{} {}: {v}", item.id, s.consensus_scores);
                            if named_selectable(ui, current == Some(v), v.to_string(), name).clicked() {
                                edits.push(Edit::Score {
                                    target: ScoreTarget::Consensus,
                                    item: item.id.clone(),
                                    value: Some(v),
                                });
                            }
                        }
                    });
                    ui.end_row();
                }
            });
        });
    }
}
