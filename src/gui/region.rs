//! The resource centre's overview of many services ("Regionoversikt"): for all services or
//! one region, the spread over bands, the weakest items, each item's mean and median, a
//! services × items heat map, one service against the selection's median, overdue reviews,
//! and how often the reviewers agreed per item and per pair. The numbers are
//! [`ips_domain::summary`]'s, computed when the data or the selection changes.

use chrono::NaiveDate;
use egui::{Color32, RichText, Ui};

use super::widgets::{band_color, score_color, text_on};
use super::{Command, Derived, Route, ServiceTab, ViewCx};
use ips_domain::service::DEFAULT_SCALE;
use ips_domain::summary::{Selection, Summary};
use ips_store::workspace::Workspace;
use ips_text::text::{Lang, format_date, format_decimal, format_share};

#[derive(Debug, Default)]
pub struct RegionView {
    pub region: Option<String>,
    /// The service compared with the selection's median (by name).
    focus: Option<String>,
    cache: Option<(u64, Option<String>, Lang, Summary)>,
}

impl RegionView {
    /// Brings the cached summary up to date with the data, the region and the language.
    fn refresh(&mut self, ws: &Workspace, derived: &Derived, version: u64, lang: Lang, today: NaiveDate) {
        let fresh = self.cache.as_ref().is_some_and(|(v, r, l, _)| *v == version && *r == self.region && *l == lang);
        if !fresh {
            let selection = Selection { region: self.region.clone() };
            self.cache = ws
                .summary_with(&derived.facts, DEFAULT_SCALE, &selection, lang, today)
                .map(|sum| (version, self.region.clone(), lang, sum));
        }
    }

    pub fn ui(&mut self, ui: &mut Ui, cx: &ViewCx, commands: &mut Vec<Command>) {
        let ViewCx { s, lang, ws, derived, data_version: version, today, .. } = *cx;
        ui.horizontal(|ui| {
            ui.heading(s.region_view);
            ui.separator();
            ui.label(s.region_field);
            ui.name_inputs(s.region_field, |ui| {
                egui::ComboBox::from_id_salt("region_view_region")
                    .selected_text(self.region.clone().unwrap_or_else(|| s.all_regions.to_string()))
                    .show_ui(ui, |ui| {
                        ui.selectable_value(&mut self.region, None, s.all_regions);
                        for r in &derived.regions {
                            ui.selectable_value(&mut self.region, Some(r.clone()), r);
                        }
                    });
            });
            ui.separator();
            if ui.button(s.summary_pdf).clicked() {
                commands.push(Command::PickFile(super::FilePurpose::SaveSummary));
            }
            if ui.button(s.summary_excel).clicked() {
                commands.push(Command::PickFile(super::FilePurpose::SaveSummaryExcel));
            }
        });
        ui.separator();
        let dark = ui.visuals().dark_mode;
        let Some(scale) = ws.scales.get(DEFAULT_SCALE) else {
            return;
        };
        self.refresh(ws, derived, version, lang, today);
        // Taken out while drawing (the focus choice below changes `self`), put back after.
        let Some(cache) = self.cache.take() else {
            return;
        };
        let sum = &cache.3;
        let focus = self.focus.clone();
        egui::ScrollArea::vertical().id_salt("region_scroll").show(ui, |ui| {
            ui.label(RichText::new(format!("{}: {}", s.services_with_review, sum.services)).strong());
            ui.horizontal_wrapped(|ui| {
                for (rank, b) in sum.bands.iter().enumerate() {
                    let fill = band_color(rank, sum.bands.len(), dark);
                    egui::Frame::new().fill(fill).corner_radius(4).inner_margin(egui::Margin::symmetric(6, 2)).show(
                        ui,
                        |ui| {
                            ui.label(RichText::new(format!("{}: {}", b.label, b.count)).color(text_on(fill)).strong());
                        },
                    );
                }
            });
            if sum.services == 0 {
                ui.weak(s.no_reviews_in_selection);
                return;
            }
            ui.add_space(6.0);
            let weakest = sum.weakest_lines(lang);
            ui.label(format!("{}: {}", s.weakest_items, weakest.join("; ")));

            ui.add_space(8.0);
            ui.heading(s.item_means);
            egui::Grid::new("region_items").num_columns(4).striped(true).spacing([14.0, 4.0]).show(ui, |ui| {
                for h in [s.item, s.col_mean, s.col_median, ""] {
                    ui.strong(h);
                }
                ui.end_row();
                let (lo, hi) = (f64::from(scale.score_min), f64::from(scale.score_max));
                for i in &sum.items {
                    ui.label(format!("{} {}", i.id, i.name));
                    ui.label(format_decimal(i.mean, 1, lang));
                    ui.label(format_decimal(i.median, 1, lang));
                    let (rect, _) = ui.allocate_exact_size(egui::vec2(160.0, 12.0), egui::Sense::hover());
                    let share = ((i.mean - lo) / (hi - lo).max(1.0)).clamp(0.0, 1.0) as f32;
                    ui.painter().rect_filled(rect, 2, ui.visuals().faint_bg_color);
                    let bar = egui::Rect::from_min_size(rect.min, egui::vec2(rect.width() * share, rect.height()));
                    ui.painter().rect_filled(bar, 2, score_color(i.mean.round() as u8, scale));
                    ui.end_row();
                }
            });

            ui.add_space(8.0);
            ui.heading(s.services_by_items);
            egui::ScrollArea::horizontal().id_salt("region_heat").show(ui, |ui| {
                egui::Grid::new("region_heat_grid").num_columns(scale.items.len() + 2).spacing([2.0, 2.0]).show(
                    ui,
                    |ui| {
                        ui.strong(s.col_service);
                        ui.strong(s.col_total);
                        for item in &scale.items {
                            ui.strong(&item.id).on_hover_text(item.name.get(lang));
                        }
                        ui.end_row();
                        for row in &sum.rows {
                            let link = ui.link(&row.name).on_hover_text(format_date(row.date, lang));
                            if link.clicked()
                                && let Some(svc) = ws.services.iter().find(|x| x.info.name == row.name)
                            {
                                commands.push(Command::Navigate(Route::Service(
                                    svc.folder.clone(),
                                    ServiceTab::Evaluations,
                                )));
                            }
                            ui.label(row.total.to_string());
                            for v in &row.scores {
                                let (rect, _) = ui.allocate_exact_size(egui::vec2(30.0, 20.0), egui::Sense::hover());
                                let fill = v.map_or(ui.visuals().faint_bg_color, |v| score_color(v, scale));
                                ui.painter().rect_filled(rect, 3, fill);
                                let text = v.map_or("–".to_string(), |v| v.to_string());
                                ui.painter().text(
                                    rect.center(),
                                    egui::Align2::CENTER_CENTER,
                                    text,
                                    egui::FontId::proportional(13.0),
                                    Color32::BLACK,
                                );
                            }
                            ui.end_row();
                        }
                    },
                );
            });

            ui.add_space(8.0);
            ui.heading(s.compare_with_median);
            ui.name_inputs(s.compare_with_median, |ui| {
                egui::ComboBox::from_id_salt("region_focus")
                    .selected_text(focus.clone().unwrap_or_else(|| s.choose_service.to_string()))
                    .show_ui(ui, |ui| {
                        for row in &sum.rows {
                            ui.selectable_value(&mut self.focus, Some(row.name.clone()), &row.name);
                        }
                    });
            });
            if let Some(row) = focus.as_ref().and_then(|f| sum.rows.iter().find(|r| &r.name == f)) {
                egui::Grid::new("region_focus_grid").num_columns(4).striped(true).spacing([14.0, 4.0]).show(ui, |ui| {
                    for h in [s.item, &row.name, s.col_median, s.col_change] {
                        ui.strong(h);
                    }
                    ui.end_row();
                    for (i, v) in sum.items.iter().zip(&row.scores) {
                        ui.label(format!("{} {}", i.id, i.name));
                        ui.label(v.map_or("–".to_string(), |v| v.to_string()));
                        ui.label(format_decimal(i.median, 1, lang));
                        let d = v.map(|v| f64::from(v) - i.median);
                        match d {
                            Some(d) if d < 0.0 => {
                                ui.colored_label(ui.visuals().error_fg_color, format_decimal(d, 1, lang))
                            }
                            Some(d) => ui.label(format!("+{}", format_decimal(d, 1, lang))),
                            None => ui.weak("–"),
                        };
                        ui.end_row();
                    }
                });
            }

            ui.add_space(8.0);
            ui.heading(s.overdue_reviews_heading);
            if sum.overdue.is_empty() {
                ui.weak(s.none_overdue);
            }
            for o in &sum.overdue {
                ui.colored_label(
                    ui.visuals().error_fg_color,
                    format!("{} – {} {} {}", o.name, o.what.label(lang), s.overdue, format_date(o.due, lang)),
                );
            }

            ui.add_space(8.0);
            ui.heading(s.calibration_heading);
            let a = &sum.agreement;
            ui.label(format!("{}: {}", s.reviews_with_two, a.reviews));
            if a.reviews == 0 {
                return;
            }
            let share = |n: usize, of: usize| format_share(n, of, lang).unwrap_or_else(|| "–".to_string());
            egui::Grid::new("calibration_items").num_columns(5).striped(true).spacing([14.0, 4.0]).show(ui, |ui| {
                for h in [s.item, s.col_compared, s.col_exact, s.col_within_one, s.col_two_or_more] {
                    ui.strong(h);
                }
                ui.end_row();
                // Most differences first: where the reviewers read the scale differently.
                for i in a.most_apart_first() {
                    let name = scale.item(&i.id).map_or(i.id.clone(), |it| format!("{} {}", it.id, it.name.get(lang)));
                    ui.label(name);
                    ui.label(i.compared.to_string());
                    ui.label(share(i.exact, i.compared));
                    ui.label(share(i.within_one, i.compared));
                    if i.two_or_more > 0 {
                        ui.colored_label(ui.visuals().warn_fg_color, i.two_or_more.to_string());
                    } else {
                        ui.label("0");
                    }
                    ui.end_row();
                }
            });
            ui.add_space(6.0);
            egui::Grid::new("calibration_pairs").num_columns(5).striped(true).spacing([14.0, 4.0]).show(ui, |ui| {
                for h in [s.reviewer_pair, s.col_reviews, s.col_exact, s.col_within_one] {
                    ui.strong(h);
                }
                ui.strong(s.col_kappa).on_hover_text(s.col_kappa_hint);
                ui.end_row();
                for p in &a.pairs {
                    ui.label(format!("{} – {}", p.reviewers[0], p.reviewers[1]));
                    ui.label(p.reviews.to_string());
                    ui.label(share(p.exact, p.compared));
                    ui.label(share(p.within_one, p.compared));
                    ui.label(p.kappa.map_or("–".to_string(), |k| ips_text::text::format_decimal(k, 2, lang)));
                    ui.end_row();
                }
            });
        });
        self.cache = Some(cache);
    }
}
